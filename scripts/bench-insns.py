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


def count_call():
    """Step one call from its first instruction to its return."""
    old = int(gdb.parse_and_eval("(int)sigblock(%d)" % HELD))
    try:
        return step_call()
    finally:
        gdb.parse_and_eval("(int)sigsetmask(%d)" % old)


def step_call():
    sp = int(gdb.parse_and_eval("$sp"))
    ret = int(gdb.parse_and_eval("*(unsigned long *)$sp"))
    n = irq = 0
    while n < MAX_INSNS:
        gdb.execute("stepi", to_string=True)
        n += 1
        if int(gdb.parse_and_eval("$pc")) == ret and \
           int(gdb.parse_and_eval("$sp")) > sp:
            return n, irq
        if gdb.selected_frame().name() in IRQ_FUNCS:
            irq += 1
    return None, None


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
        n, irq = count_call()
        if n is not None:
            best[call].append((n, irq))
        bp.ignore_count = 10
    bp.delete()
    for call, counts in best.items():
        if counts:
            n, irq = min(counts)
            print("PGM-INSNS env=uml call=%s side=pgmirror insns=%d irq=%d"
                  % (call, n, irq), flush=True)
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
