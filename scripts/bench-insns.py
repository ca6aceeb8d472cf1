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

import gdb

# A call longer than this took an interrupt: counted again
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


def measure(func, ignore, call, side):
    """Skip @ignore calls of @func, then count TRIES of them."""
    bp = gdb.Breakpoint(func, internal=True)
    bp.ignore_count = ignore
    best = None
    tries = 0
    while tries < TRIES * 10 and (best is None or tries < TRIES):
        gdb.execute("run" if not gdb.selected_inferior().pid else "continue",
                    to_string=True)
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


gdb.execute("set pagination off")
gdb.execute("set confirm off")
# UML runs on signals: its timer, its I/O and its page faults
gdb.execute("handle all nostop noprint pass")
# Well into the first run of each side's order-0 pairs (a million each)
measure("pgm_alloc_pages", 200000, "alloc", "pgmirror")
measure("pgm_free_pages", 10, "free", "pgmirror")
measure("__alloc_pages_noprof", 300000, "alloc", "host")
measure("__free_pages", 10, "free", "host")
gdb.execute("kill")
