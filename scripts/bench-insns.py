# SPDX-License-Identifier: GPL-2.0
#
# gdb -batch -x scripts/bench-insns.py --args UML-BENCH-KERNEL ...
#
# make bench's instruction counts: in the UML bench kernel running
# pgmirror_bench.bench_pair, one order-0 allocation that hits the pcp and
# its free are stepped through instruction by instruction (stepi), on each
# side: pgm_alloc_pages() and pgm_free_pages() against UML's own
# __alloc_pages_noprof() and __free_pages(). Unlike a time, the count does
# not move with the machine's load. UML's signals are held while a call is
# stepped, and the fewest of three calls is kept. Prints one line per call
# and side:
#
#   PGM-INSNS env=uml call=alloc side=pgmirror insns=N irq=M
#
# where irq is the part spent turning interrupts off and on around the pcp
# (a UP kernel's pcp_trylock_prepare(), the same on both sides).
#
# With PGM_INSNS_MODE=frag in the environment and the kernel running
# pgmirror_bench.bench_frag, it counts the fragmented zone's order-3
# allocations instead: in each side's first timed run at order 3, past
# its first SKIP requests, FRAG_CALLS requests in a row, each from the
# timed loop of pgm_bench_frag_run(). Both sides refill the same batch,
# so any FRAG_CALLS in a row hold the same number of refills, which
# steal their blocks from unmovable pageblocks. One line a side:
#
#   PGM-INSNS env=uml call=frag3 side=pgmirror insns=N irq=M
#
# with N the sum over the requests.
#
# With PGM_INSNS_MODE=ctl and the kernel running pgmirror_bench.bench_ctl,
# it counts a control pair's two lines as pgm_control_run() takes them,
# "alloc order=0 tag=ctl" and "free handle=N", each the fewest of three:
#
#   PGM-INSNS env=uml call=ctl_alloc side=pgmirror insns=N irq=M
#   PGM-INSNS env=uml call=ctl_free side=pgmirror insns=N irq=M
#
# each followed by where that line's instructions went, by the call of
# pgm_control_run() they ran under (see CTL_PARTS):
#
#   PGM-INSNS-PARTS env=uml call=ctl_alloc parse=N block=N record=N
#       handle=N rest=N

import os

import gdb

# A call longer than this took an interrupt or a reschedule: counted again
MAX_INSNS = 3000
# Calls counted per side; the fewest instructions is kept
TRIES = 3
IRQ_FUNCS = ("um_set_signals", "unblock_signals", "block_signals")


# UML's timer, I/O and console signals, held off while a call is stepped:
# stepped, their handlers' clock reads never finish
HELD = sum(1 << (sig - 1) for sig in (10, 14, 17, 23, 26, 28, 29))


def count_call(parts=None):
    """Step one call from its first instruction to its return."""
    old = int(gdb.parse_and_eval("(int)sigblock(%d)" % HELD))
    try:
        return step_call(parts)
    finally:
        gdb.parse_and_eval("(int)sigsetmask(%d)" % old)


def step_call(parts=None):
    """
    Count the call's instructions; with @parts, a dict, also add each to
    the part (ctl_part()) of the calls it ran under.
    """
    sp = int(gdb.parse_and_eval("$sp"))
    ret = int(gdb.parse_and_eval("*(unsigned long *)$sp"))
    stack = [gdb.selected_frame().name()]
    n = irq = 0
    if parts is not None:
        parts[ctl_part(stack)] = parts.get(ctl_part(stack), 0) + 1
    while n < MAX_INSNS:
        gdb.execute("stepi", to_string=True)
        n += 1
        if int(gdb.parse_and_eval("$pc")) == ret and \
           int(gdb.parse_and_eval("$sp")) > sp:
            return n, irq
        name = gdb.selected_frame().name()
        if name in IRQ_FUNCS:
            irq += 1
        if parts is not None:
            follow(stack, name)
            part = ctl_part(stack)
            parts[part] = parts.get(part, 0) + 1
    return None, None


def follow(stack, name):
    """
    Keep @stack, the functions entered from the first, up to date for a
    step now in @name: a name on it is a return to it, any other a call
    (or a jump to another function's start, which returns where the
    jumper would have). A function's out-of-line ".cold" part is itself.
    """
    name = (name or "?").split(".cold")[0]
    if name in stack:
        del stack[stack.index(name) + 1:]
    else:
        stack.append(name)


# What a control line's instructions are spent on, by the first function
# under pgm_control_run() they ran in that is named here: the parser, the
# block from the allocator and back to it (its pcp lock's interrupt
# switching included), the allocation record's slab object, and the
# handle (the xarray, its lock and the handle's own steps). The rest is
# the interface's: the writer list, its lock, the commands' steps and
# status lines, the record's fields.
CTL_PARTS = {
    "pgm_parse_cmd": "parse",
    "pgm_alloc_pages_owner": "block",
    "pgm_free_pages": "block",
    "kmem_cache_alloc_noprof": "record",
    "kmem_cache_free": "record",
    "pgm_handle_add": "handle",
    "pgm_handle_take": "handle",
}
CTL_PART_NAMES = ("parse", "block", "record", "handle", "rest")


def ctl_part(stack):
    for name in stack:
        if name in CTL_PARTS:
            return CTL_PARTS[name]
    return "rest"


def resume():
    gdb.execute("run" if not gdb.selected_inferior().pid else "continue",
                to_string=True)


def measure(func, ignore, call, side):
    """Skip @ignore calls of @func, then count TRIES of them."""
    bp = gdb.Breakpoint(func, internal=True)
    bp.ignore_count = ignore
    best = None
    tries = 0
    while tries < TRIES * 10 and (best is None or tries < TRIES):
        resume()
        tries += 1
        n, irq = count_call()
        if n is not None and (best is None or n < best[0]):
            best = (n, irq)
        bp.ignore_count = 100
    bp.delete()
    if best is None:
        print("PGM-INSNS env=uml call=%s side=%s insns=0 irq=0 failed=1" %
              (call, side), flush=True)
    else:
        print("PGM-INSNS env=uml call=%s side=%s insns=%d irq=%d" %
              (call, side, best[0], best[1]), flush=True)


# The fragmented zone's requests counted: past the fill and refills
# into the run, and twice the batch the bench gives both sides (7 at
# order 3 for UML's batch of 63)
FRAG_SKIP = 100
FRAG_CALLS = 14


def caller_is(func):
    """Does the call stopped at its first instruction return into func?"""
    ret = int(gdb.parse_and_eval("*(unsigned long *)$sp"))
    where = gdb.execute("info symbol %#x" % ret, to_string=True)
    return where.split()[0] == func


def measure_frag(func, order_reg, side):
    """
    Sum FRAG_CALLS order-3 requests of the next order-3 run of
    pgm_bench_frag_run(), which is this side's: the runs alternate.
    """
    run = gdb.Breakpoint("pgm_bench_frag_run", internal=True)
    run.condition = "$rsi == 3"
    resume()
    run.delete()
    # Only from here: the fill before the order-3 runs is order 0
    bp = gdb.Breakpoint(func, internal=True)
    bp.condition = "%s == 3" % order_reg
    bp.ignore_count = FRAG_SKIP
    total = irq = calls = tries = 0
    while calls < FRAG_CALLS and tries < FRAG_CALLS * 4:
        resume()
        tries += 1
        # An order-3 request of another caller (a slab) is not the bench's
        if not caller_is("pgm_bench_frag_run"):
            continue
        n, i = count_call()
        if n is None:
            break
        total += n
        irq += i
        calls += 1
    bp.delete()
    if calls < FRAG_CALLS:
        print("PGM-INSNS env=uml call=frag3 side=%s insns=0 irq=0 failed=1"
              % side, flush=True)
    else:
        print("PGM-INSNS env=uml call=frag3 side=%s insns=%d irq=%d" %
              (side, total, irq), flush=True)


# Well into the first of bench_ctl's runs of a million pairs
CTL_SKIP = 40000


def measure_ctl():
    """The fewest instructions of TRIES of each control line."""
    bp = gdb.Breakpoint("pgm_control_run", internal=True)
    bp.ignore_count = CTL_SKIP
    best = {"ctl_alloc": [], "ctl_free": []}
    tries = 0
    while tries < TRIES * 20 and min(len(b) for b in best.values()) < TRIES:
        resume()
        tries += 1
        # The line's first byte: "alloc ..." or "free ..."
        verb = int(gdb.parse_and_eval("*(unsigned char *)$rsi"))
        call = "ctl_alloc" if verb == ord("a") else "ctl_free"
        parts = {}
        n, irq = count_call(parts)
        if n is not None:
            best[call].append((n, irq, parts))
        bp.ignore_count = 10
    bp.delete()
    for call, counts in best.items():
        if counts:
            n, irq, parts = min(counts, key=lambda c: c[0])
            print("PGM-INSNS env=uml call=%s side=pgmirror insns=%d irq=%d"
                  % (call, n, irq), flush=True)
            print("PGM-INSNS-PARTS env=uml call=%s %s" %
                  (call, " ".join("%s=%d" % (p, parts.get(p, 0))
                                  for p in CTL_PART_NAMES)), flush=True)
        else:
            print("PGM-INSNS env=uml call=%s side=pgmirror insns=0 irq=0 "
                  "failed=1" % call, flush=True)


gdb.execute("set pagination off")
gdb.execute("set confirm off")
# UML runs on signals: its timer, its I/O and its page faults
gdb.execute("handle all nostop noprint pass")
if os.environ.get("PGM_INSNS_MODE") == "ctl":
    measure_ctl()
elif os.environ.get("PGM_INSNS_MODE") == "frag":
    # Each order's runs alternate pgmirror, host: the mirror's comes first
    measure_frag("pgm_alloc_pages", "$rdx", "pgmirror")
    measure_frag("__alloc_pages_noprof", "$rsi", "host")
else:
    # Well into the first run of each side's order-0 pairs (a million each)
    measure("pgm_alloc_pages", 200000, "alloc", "pgmirror")
    measure("pgm_free_pages", 10, "free", "pgmirror")
    measure("__alloc_pages_noprof", 300000, "alloc", "host")
    measure("__free_pages", 10, "free", "host")
gdb.execute("kill")
