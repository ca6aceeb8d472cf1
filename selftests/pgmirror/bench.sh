#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pgmirror vs the host's alloc_pages(): ns per allocation and free for
# orders 0, 1, 3 and 9, in pairs and in bursts past the pcp's high_max
# (order 0 also by alloc_pages_bulk() calls of 256), ns per allocation in
# a fragmented DMA
# zone (shape=frag) at the same orders, and pairs of orders 0 and 3 with
# __GFP_ZERO on both sides, side by side, five alternating runs each.
# busybox sh compatible.
#
#   bench.sh [path/to/pgmirror.ko]

KO=${1:-$(dirname "$0")/pgmirror.ko}
D=/sys/kernel/debug/pgmirror/pgm0
ret=0

# The CPU's share of its last-level cache, in bytes, as cacheinfo's
# per_cpu_data_slice_size: the highest data or unified level's size over
# the CPUs in its shared_cpu_list; 0 without cacheinfo
cache_share() {
	for c in /sys/devices/system/cpu/cpu0/cache/index*; do
		[ -r "$c/size" ] || continue
		echo "$(cat "$c/level") $(cat "$c/type") $(cat "$c/size") $(cat "$c/shared_cpu_list")"
	done | awk '$2 == "Data" || $2 == "Unified" {
		if ($1 < lvl) next
		lvl = $1; s = $3 + 0
		if ($3 ~ /K$/) s *= 1024; else if ($3 ~ /M$/) s *= 1048576
		n = 0; m = split($4, r, ",")
		for (i = 1; i <= m; i++) {
			if (split(r[i], ab, "-") == 2) n += ab[2] - ab[1] + 1; else n++
		}
		share = n ? int(s / n) : 0
	} END { print share + 0 }'
}
SLICE=$(cache_share)

# Built as this kernel: with THP (and so order-9 pcp lists) in its mode,
# else without
THP=$(sed -n 's/.*\[\([a-z]*\)\].*/ transparent_hugepage=\1/p' \
	/sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)

# load KO: insmod with the 256 MiB carve-out at 1 GiB when it is free RAM;
# its pcps drain high orders as this kernel's do, from the same cache share
load() {
	# shellcheck disable=SC2086 # $THP is one word or none
	if grep -q '^ *40000000-4fffffff : ' /proc/iomem; then
		insmod "$1" base=0x40000000 size=256M $THP
	else
		insmod "$1" size=256M $THP
	fi || return 1
	echo "set per_cpu_data_slice_size=$SLICE" >"$D/control"
}

# run_bench PREFIX ARGS: one bench write, then its result line after
# PREFIX; or the reason, and a failure
run_bench() {
	if echo "$2" >"$D/bench" 2>/dev/null; then
		echo "$1 $(cat "$D/bench")"
	else
		echo "# bench $2: $(cat "$D/control")"
		return 1
	fi
}

load "$KO" || exit 1

echo "# pgmirror vs host alloc_pages, $(uname -r), $(nproc) CPUs, init_on_alloc $(grep -o 'init_on_alloc=[0-9]*' /proc/cmdline || echo default), per_cpu_data_slice_size $SLICE"
echo "# ns per allocation (with its free); 5 runs of each side, alternating;"
echo "# ratio = pgmirror / host (lower is faster): min median max"
printf '%-5s %-6s %8s %12s %10s %6s %6s %6s\n' order shape count pgmirror_ns host_ns min median max
# row ORDER COUNT SHAPE [ZERO [DIR]]: one bench write to DIR (pgm0), its
# line and its row
row() {
	dir=${5:-$D}
	if ! echo "order=$1 count=$2 shape=$3 zero=${4:-0} reps=${PGM_BENCH_REPS:-5}" >"$dir/bench" 2>/dev/null; then
		echo "# bench order=$1 count=$2 shape=$3 zero=${4:-0}: write failed: $(head -n 1 "$dir/control")"
		ret=1
		return
	fi
	line=$(cat "$dir/bench")
	echo "# $line"
	printf '%s\n' "$line" | awk '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%-5s %-6s %8s %12s %10s %6s %6s %6s\n", v["order"],
			v["shape"] (v["zero"] == 1 ? "+zero" : ""), v["count"],
			v["pgmirror_ns_per_op"], v["host_ns_per_op"],
			v["ratio_min"], v["ratio"], v["ratio_max"]
	}'
}

for spec in "0 100000" "1 50000" "3 20000" "9 2000"; do
	set -- $spec
	shapes="pair burst"
	# alloc_pages_bulk() hands out order-0 pages only
	[ "$1" = 0 ] && shapes="$shapes bulk"
	for shape in $shapes; do
		row "$1" "$2" "$shape"
	done
done
# A fragmented zone: the bench fills each side's DMA zone, the only one
# it may take whole, so the mirror's runs in an instance with one as large
F=/sys/kernel/debug/pgmirror/fragbench
if echo "create name=fragbench size=32M backing=none zones=DMA:16M,DMA32:*$THP" >/sys/kernel/debug/pgmirror/control; then
	# Its pcps drain high-order frees as the host's, as pgm0's do
	echo "set per_cpu_data_slice_size=$SLICE" >"$F/control" || ret=1
	for spec in "0 4000" "1 2000" "3 1000" "9 16"; do
		set -- $spec
		row "$1" "$2" frag 0 "$F"
	done
	[ "$(cat "$F/verify")" = ok ] || { echo "# fragbench verify: $(cat "$F/verify")"; ret=1; }
	echo "destroy name=fragbench" >/sys/kernel/debug/pgmirror/control || ret=1
else
	echo "# frag: cannot create an instance: $(head -n 1 /sys/kernel/debug/pgmirror/control)"
	ret=1
fi
# __GFP_ZERO on both sides: each zeroes what it hands out, the same work
row 0 100000 pair 1
row 3 20000 pair 1
# Throughput with N kthreads at once, each on its own CPU and pcp
for t in 1 2 4; do
	[ "$t" -le "$(nproc)" ] || continue
	run_bench "PGM-THREADS env=vm" \
		"threads=$t order=0 count=100000 shape=pair reps=${PGM_BENCH_REPS:-5}" || ret=1
done
# Control-write throughput: W writer processes on W CPUs, each pair an
# "alloc order=0", its handle read back and a "free handle=N" (three
# system calls), alternating with a bench run of one thread's pairs and
# with W processes making three getppid() calls a pair: the system calls
# alone, as far as this machine runs them in parallel. Each round's
# ratio is of its own runs
CB=$(dirname "$0")/pgmirror_ctlbench
if [ -x "$CB" ]; then
	for w in 1 2 4; do
		[ "$w" -le "$(nproc)" ] || continue
		rounds=""
		rep=1
		while [ $rep -le "${PGM_BENCH_REPS:-5}" ]; do
			if ! echo "order=0 count=20000 shape=pair reps=1" >"$D/bench" 2>/dev/null; then
				echo "# ctlbench writers=$w: bench failed: $(head -n 1 "$D/control")"
				ret=1
				break
			fi
			bp=$(sed -n 's/.* pgmirror_ns_per_op=\([0-9]*\) .*/\1/p' "$D/bench")
			if ! out=$("$CB" "$D/control" "$w" "${PGM_CTL_PAIRS:-20000}") ||
			   ! sys=$("$CB" "$D/control" "$w" "${PGM_CTL_PAIRS:-20000}" syscalls); then
				echo "# ctlbench writers=$w failed: $(head -n 1 "$D/control")"
				ret=1
				break
			fi
			rounds="$rounds ${out##*ns_per_pair=}:$bp:${sys##*ns_per_pair=}"
			rep=$((rep + 1))
		done
		[ $rep -gt "${PGM_BENCH_REPS:-5}" ] || continue
		# writers=W reps=R ns_per_pair bench_pair_ns per_bench_pair
		# (medians), per_bench_pair_min and _max, syscalls_ns_per_pair
		# (median)
		echo "$rounds" | awk -v w="$w" '
			function sort(a, n,   i, j, t) {
				for (i = 2; i <= n; i++)
					for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
						t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
					}
			}
			{
				for (i = 1; i <= NF; i++) {
					split($i, f, ":")
					c[i] = f[1] + 0; b[i] = f[2] + 0
					y[i] = f[3] + 0
					r[i] = b[i] > 0 ? c[i] / b[i] : 0
				}
				n = NF; m = int((n + 1) / 2)
				sort(c, n); sort(b, n); sort(r, n); sort(y, n)
				printf "PGM-CTL env=vm writers=%d reps=%d ns_per_pair=%d bench_pair_ns=%d per_bench_pair=%.2f per_bench_pair_min=%.2f per_bench_pair_max=%.2f syscalls_ns_per_pair=%d\n",
					w, n, c[m], b[m], r[m], r[1], r[n], y[m]
			}'
	done
fi
echo 'drain' >"$D/control"
[ "$(cat "$D/verify")" = ok ] || { echo "# verify: $(cat "$D/verify")"; ret=1; }

# Replay throughput: a synthetic kmem trace in ftrace's text, 4 CPUs,
# orders 0/1/3, three gfp masks, freed pfns handed out again
T=${TMPDIR:-/tmp}/bench.trace
awk -v n="${PGM_REPLAY_EVENTS:-300000}" 'BEGIN {
	srand(1); next_pfn = 1048576; live = 0; nfree = 0
	g[0] = "GFP_KERNEL"; g[1] = "GFP_HIGHUSER_MOVABLE|__GFP_ZERO"
	g[2] = "GFP_KERNEL|__GFP_RECLAIMABLE|__GFP_COMP"
	for (i = 0; i < n; i++) {
		cpu = i % 4
		if (live > 0 && (live > 4000 || rand() < 0.5)) {
			j = int(rand() * live); p = L[j]; o = O[j]
			L[j] = L[live - 1]; O[j] = O[live - 1]; live--
			F[nfree++] = p
			printf "bench-1 [%03d] ..... 1.000000: mm_page_free: page=0000000000000001 pfn=0x%x order=%d\n", cpu, p, o
		} else {
			r = rand(); o = r < 0.85 ? 0 : (r < 0.95 ? 1 : 3)
			if (nfree) p = F[--nfree]; else { p = next_pfn; next_pfn += 8 }
			L[live] = p; O[live++] = o
			printf "bench-1 [%03d] ..... 1.000000: mm_page_alloc: page=0000000000000001 pfn=0x%x order=%d migratetype=0 gfp_flags=%s\n", cpu, p, o, g[i % 3]
		}
	}
}' >"$T"
if echo "create name=replaybench size=1G backing=none$THP" >/sys/kernel/debug/pgmirror/control; then
	R=/sys/kernel/debug/pgmirror/replaybench
	for k in kswapd direct_reclaim direct_compaction kcompactd; do
		echo "set $k=0" >"$R/control"
	done
	for rep in 1 2 3; do
		"$(dirname "$0")/pgmirror-replay" "$T" --instance replaybench >"$T.out" 2>/dev/null || ret=1
		awk -v r="$rep" '$1 == "events" { e = $2 } $1 == "seconds" { s = $2 }
			$1 == "throughput" { t = $2 } $1 == "malformed" { m = $2 }
			END { printf "# replay run %d: %d events in %s s: %d events/s (malformed %d)\n", r, e, s, t, m }' "$T.out"
		awk '$1 == "throughput" { print $2 }' "$T.out" >>"$T.rates"
	done
	sort -n "$T.rates" | awk '{ v[NR] = $1 } END { printf "replay_events_per_s median=%d min=%d max=%d\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
	[ "$(cat "$R/verify")" = ok ] || { echo "# replaybench verify: $(cat "$R/verify")"; ret=1; }
	echo "destroy name=replaybench" >/sys/kernel/debug/pgmirror/control
else
	echo "# replay bench: cannot create an instance: $(head -n 1 /sys/kernel/debug/pgmirror/control)"
	ret=1
fi
rm -f "$T" "$T.out" "$T.rates"
rmmod pgmirror || ret=1

# What the tracepoints and explain hooks cost while disabled: this module
# against the same tree built with -DNOTRACE (pgmirror-notrace.ko, when
# make bench put it here), loaded in turn (on, out, on, out ...); each
# round's ratio to the host's alloc_pages() is measured in that round, so
# that drift in the machine divides out. scripts/bench.sh sums them up.
NT=$(dirname "$KO")/pgmirror-notrace.ko
[ -f "$NT" ] || exit $ret
round=1
while [ $round -le "${PGM_TRACE_ROUNDS:-4}" ]; do
	for side in on out; do
		ko=$KO
		[ $side = out ] && ko=$NT
		load "$ko" || { ret=1; break 2; }
		for spec in "0 100000 pair" "0 100000 burst" "1 50000 burst" \
			    "3 20000 burst" "9 2000 burst"; do
			set -- $spec
			run_bench "PGM-AB env=vm round=$round side=$side" \
				"order=$1 count=$2 shape=$3 reps=3" || ret=1
		done
		rmmod pgmirror || { ret=1; break 2; }
	done
	round=$((round + 1))
done
exit $ret
