#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# An annotated pgmirror session: load an instance over the memmap= carve-out
# with DMA, DMA32 and Normal zones, watch the allocator through its /proc-style
# files while allocating several orders and GFP classes, give it all back,
# and run a benchmark.  Then a pressure act on a 64M instance: watermarks,
# kswapd, direct compaction of a fragmented zone and the OOM killer.  Last,
# a kmem trace of the VM's own kernel is replayed through two instances,
# mobility grouping on and off, side by side.  busybox sh compatible.
#
#   demo.sh [path/to/pgmirror.ko]

KO=${1:-$(dirname "$0")/pgmirror.ko}
D=/sys/kernel/debug/pgmirror/pgm0

# A failed or interrupted demo leaves no module and no files behind
cleanup() {
	cd /
	grep -q '^pgmirror ' /proc/modules && rmmod pgmirror
	rm -f /tmp/even /tmp/demo.trace
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# say: a comment line of the session
say() {
	printf '\n'
	printf '%s\n' "$@" | sed 's/^/# /'
}

# wm: free pages, boost and watermarks of the Normal zone
wm() {
	run "awk '/^Node/ { z = \$4 } z == \"Normal\" && /^ +(pages free|boost|min|low|high) /' zoneinfo"
}

# above_high: the Normal zone has more free pages than its high watermark
above_high() {
	awk '/^Node/ { z = $4 } z != "Normal" { next }
	     $1 == "pages" && $2 == "free" { f = $3 }
	     $1 == "high" && NF == 2 { h = $2 }
	     END { exit !(f > h) }' zoneinfo
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

say "Pressure.  Reload over 64M with one Normal zone (16384 pages), so one" \
    "zone's watermarks tell the story: below low an allocation wakes kswapd," \
    "at min only the reserves are left, then come direct reclaim, direct" \
    "compaction and the OOM killer."
cd /
run rmmod pgmirror
run insmod "$KO" base=0x40000000 size=64M nr_cpus=2 || exit 1
cd "$D" || exit 1

say "Two owners, each a charge account like a cgroup's: web and batch."
ctl "owner create name=web"
ctl "owner create name=batch"

say "The zone's free pages, watermark boost and min/low/high, derived from" \
    "min_free_kbytes (1024 kB here: min 256 pages) and watermark_scale_factor."
wm

say "web takes 4096 anon pages and batch 1024; then batch fills the rest with" \
    "page cache (kind=file) using a mask without reclaim flags: it neither" \
    "reclaims nor wakes kswapd, and stops at the min watermark."
ctl "alloc owner=web kind=anon count=4096 tag=web"
ctl "alloc owner=batch kind=anon count=1024 tag=batch"
ctl "alloc owner=batch kind=file order=2 count=65536 gfp=__GFP_MOVABLE|__GFP_NOWARN tag=cache"
wm

say "A GFP_ATOMIC page may dip below min (__GFP_HIGH), and its slow path" \
    "wakes kswapd (__GFP_KSWAPD_RECLAIM).  Being unmovable, it also falls" \
    "back to a movable pageblock, which boosts the watermarks by a pageblock" \
    "(watermark_boost).  kswapd reclaims batch's clean page cache in the" \
    "background until free pages are above high plus the boost, then drops" \
    "the boost."
ctl "alloc kind=kernel gfp=GFP_ATOMIC tag=kick"
run "grep -E '^(watermark_boost|extfrag_)' stats"
i=0
while [ $i -lt 40 ] && ! above_high; do
	sleep 0.25
	i=$((i + 1))
done
wm
say "pageoutrun counts kswapd's balance runs, pgscan/pgsteal_kswapd the page" \
    "cache pages it scanned and freed."
run "grep -E '^(pageoutrun|kswapd_|pgscan_kswapd|pgsteal_kswapd)' stats"

say "Fragmentation: drop the page cache, fill the zone with web's single" \
    "anon pages, then free every one that sits at an even pfn.  A third of" \
    "the zone is free, but only in single pages: nothing at order 9 or 10."
ctl "free tag=cache"
ctl "alloc owner=web kind=anon count=65536 gfp=__GFP_MOVABLE|__GFP_NOWARN tag=frag"
printf '$ %s\n' "for each frag handle at an even pfn: echo \"free handle=N\" > control"
awk '$7 == "frag" && $3 % 2 == 0 { print $1 }' allocations >/tmp/even
while read -r h; do
	printf 'free handle=%s\n' "$h" >control 2>/dev/null
done </tmp/even
echo "freed $(wc -l </tmp/even) handles"
ctl "drain"
run cat buddyinfo
run "grep -E '^(compact_|pgmigrate_)' stats"

say "An order-9 (2M) GFP_KERNEL|__GFP_RETRY_MAYFAIL request finds no block" \
    "big enough, so its slow path compacts directly: the migrate scanner" \
    "moves anon pages up from the bottom of the zone into free pages the" \
    "free scanner takes from the top, until a whole pageblock is free." \
    "compact_stall counts the runs, compact_success those that served the" \
    "allocation, pgmigrate_success the pages moved.  The handles keep their" \
    "numbers; only their pfns change."
ctl "alloc order=9 gfp=GFP_KERNEL|__GFP_RETRY_MAYFAIL tag=huge"
run "grep -E '^(compact_|pgmigrate_)' stats"
run cat buddyinfo

say "OOM.  web's anon pages fill what is left, down to min.  Without swap," \
    "anon memory cannot be reclaimed, and there is no page cache left."
ctl "alloc owner=web kind=anon count=65536 gfp=__GFP_MOVABLE|__GFP_NOWARN tag=more"
run cat owners
wm

say "batch asks for 64 more pages (kind=anon: GFP_HIGHUSER_MOVABLE).  Direct" \
    "reclaim finds nothing, so the OOM killer picks the owner with the" \
    "highest badness (pages + oom_score_adj * managed / 1000), web, frees" \
    "all its pages, and the allocation is retried and succeeds." \
    "(alloc_fail counts the three failed allocations that ended the fills.)"
ctl "alloc owner=batch kind=anon count=64 tag=batch"
run "grep -E '^(allocstall_|oom_kill|alloc_fail)' stats"
run cat owners
run "dmesg | grep 'Out of memory'"
run cat verify
[ "$(cat verify)" = ok ] || exit 1

cd /
say "A real workload, replayed.  pgmirror-record traces this VM's own kernel" \
    "(kmem:mm_page_alloc and mm_page_free) while page cache comes and goes" \
    "and processes start; the trace is ftrace text."
P=$(dirname "$0")
run "$P/pgmirror-record /tmp/demo.trace -- sh -c 'dd if=/dev/zero of=/tmp/ws bs=1M count=48 2>/dev/null; for i in 1 2 3 4 5 6 7 8; do sh -c \"cat /proc/meminfo\" >/dev/null; done; rm -f /tmp/ws'"
run "grep -m 3 ': mm_page_' /tmp/demo.trace"

say "pgmirror-ab makes two fresh 256M instances with no memory behind them" \
    "(backing=none), replays the trace through both with kswapd and direct" \
    "reclaim off (the trace already holds the host's own), and compares." \
    "A is upstream; B has page_group_by_mobility=0, so every request is" \
    "served as unmovable, as on a machine too small for mobility grouping." \
    "Each pfn the trace frees that it never allocated is counted, not guessed."
run "$P/pgmirror-ab /tmp/demo.trace --a '' --b 'page_group_by_mobility=0' --topology 'size=256M backing=none' --keep --names mobility-on,mobility-off"

say "The pictures: make demo draws the pageblock maps and free blocks of" \
    "both instances, and of pgm0 after the acts above, on the host."
for n in mobility-on mobility-off pgm0; do
	for f in pageblocks buddyinfo; do
		{ echo "PGM-FILE $n/$f"; cat "/sys/kernel/debug/pgmirror/$n/$f"; echo "PGM-FILE-END"; } |
			sed 's/^/# /'
	done
done
echo "destroy name=mobility-on" >/sys/kernel/debug/pgmirror/control
echo "destroy name=mobility-off" >/sys/kernel/debug/pgmirror/control

say "rmmod gives the carve-out back."
run rmmod pgmirror
run "grep -c pgmirror /proc/iomem"
exit 0
