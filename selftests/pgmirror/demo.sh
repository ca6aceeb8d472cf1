#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# An annotated pgmirror session: load an instance over the memmap= carve-out
# with DMA, DMA32 and Normal zones, watch the allocator through its /proc-style
# files while allocating several orders and GFP classes, give it all back,
# and end with a benchmark.  busybox sh compatible.
#
#   demo.sh [path/to/pgmirror.ko]

KO=${1:-$(dirname "$0")/pgmirror.ko}
D=/sys/kernel/debug/pgmirror/pgm0

# say: a comment line of the session
say() {
	printf '\n'
	printf '%s\n' "$@" | sed 's/^/# /'
}

# run CMD: show the command, then run it
run() {
	printf '$ %s\n' "$*"
	eval "$*"
}

# ctl CMD: send one command to control and show its status line
ctl() {
	printf '$ echo "%s" > control\n' "$1"
	printf '%s\n' "$1" >control 2>/dev/null
	cat control
}

say "pgmirror demo on $(uname -r), $(nproc) CPUs." \
    "The kernel booted with memmap=256M\$0x40000000: 256M at 1G is reserved," \
    "so the host never uses it.  pgmirror claims it and runs its own copy of" \
    "the 6.12 buddy allocator over it, with 16M DMA, 112M DMA32 and 128M Normal."
run insmod "$KO" base=0x40000000 size=256M 'zones=DMA:16M,DMA32:112M,NORMAL:*' nr_cpus=2 ||
	exit 1
run "grep pgmirror /proc/iomem"
cd "$D" || exit 1
run "ls -l"

say "buddyinfo: free blocks per order (0..10), per zone, exactly like" \
    "/proc/buddyinfo.  Everything starts as order-10 (4M) blocks."
run cat buddyinfo
START=$(cat buddyinfo)

say "pagetypeinfo: the same free blocks split by migratetype, and pageblock" \
    "counts.  At boot every pageblock is Movable, as upstream."
run cat pagetypeinfo

say "zoneinfo (first zone): watermarks min/low/high derived from" \
    "min_free_kbytes and watermark_scale_factor, lowmem protection, pcp lists."
run "head -n 40 zoneinfo"

say "stats: /proc/vmstat counter names, then pgmirror's own."
run cat stats

say "1000 single pages for the kernel (GFP_KERNEL, order 0).  They come from" \
    "the per-CPU lists, which refill from the buddy lists in batches: watch" \
    "pcp_refill in stats."
ctl "alloc order=0 count=1000 gfp=GFP_KERNEL tag=kernel0"

say "Order-3 user pages (GFP_HIGHUSER_MOVABLE): MOVABLE migratetype, highest" \
    "zone allowed is Movable, so Normal is tried first."
ctl "alloc order=3 count=64 gfp=GFP_HIGHUSER_MOVABLE tag=user3"

say "GFP_DMA32 limits the zonelist to DMA32 and below."
ctl "alloc order=0 count=256 gfp=GFP_DMA32 tag=dma32"

say "GFP_ATOMIC order 2: may not sleep, may dip below the min watermark."
ctl "alloc order=2 count=32 gfp=GFP_ATOMIC tag=atomic2"

say "__GFP_ZERO: the pages are cleared through the carve-out's mapping."
ctl "alloc order=1 count=16 gfp=GFP_KERNEL|__GFP_ZERO tag=zeroed"

say "The free lists now: blocks were split to serve the requests."
run cat buddyinfo
run cat stats

say "allocations: one line per live handle (first lines), then a count per tag."
run "head -n 12 allocations"
run "awk 'NR > 1 { n[\$7]++ } END { for (t in n) print t, n[t] }' allocations | sort"

say "Free everything by tag.  Order-0 frees go back to the pcp lists first."
for t in kernel0 user3 dma32 atomic2 zeroed; do
	ctl "free tag=$t"
done
run "grep -E '^(pgfree|pcp_|nr_free_pages|nr_handles)' stats"

say "drain empties every pcp list into the buddy lists, where the blocks" \
    "merge back with their buddies."
ctl "drain"
run cat buddyinfo
if [ "$(cat buddyinfo)" = "$START" ]; then
	say "buddyinfo is back where it started."
else
	say "buddyinfo differs from the start (for example a highatomic reserve" \
	    "or a stolen pageblock that keeps its blocks apart):"
fi

say "verify walks every free list, pageblock, pcp list and handle."
run cat verify

say "bench: alloc+free pairs, pgmirror against the host's alloc_pages()" \
    "(under TCG emulation, so only the ratio means anything)."
printf '$ echo "order=0 count=100000" > bench\n'
echo "order=0 count=100000" >bench
run cat bench

cd /
say "rmmod gives the carve-out back."
run rmmod pgmirror
run "grep -c pgmirror /proc/iomem"
exit 0
