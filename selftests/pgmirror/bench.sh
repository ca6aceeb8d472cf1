#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pgmirror vs the host's alloc_pages(): ns per allocation and free for
# orders 0, 1, 3 and 9, in pairs and in bursts of 256, side by side, five
# alternating runs each.  busybox sh compatible.
#
#   bench.sh [path/to/pgmirror.ko]

KO=${1:-$(dirname "$0")/pgmirror.ko}
D=/sys/kernel/debug/pgmirror/pgm0
ret=0

if grep -q '^ *40000000-4fffffff : ' /proc/iomem; then
	insmod "$KO" base=0x40000000 size=256M || exit 1
else
	insmod "$KO" size=256M || exit 1
fi

echo "# pgmirror vs host alloc_pages, $(uname -r), $(nproc) CPUs, init_on_alloc $(grep -o 'init_on_alloc=[0-9]*' /proc/cmdline || echo default)"
echo "# ns per allocation (with its free); 5 runs of each side, alternating;"
echo "# ratio = pgmirror / host (lower is faster): min median max"
printf '%-5s %-6s %8s %12s %10s %6s %6s %6s\n' order shape count pgmirror_ns host_ns min median max
for spec in "0 100000" "1 50000" "3 20000" "9 2000"; do
	set -- $spec
	for shape in pair burst; do
		if ! echo "order=$1 count=$2 shape=$shape reps=${PGM_BENCH_REPS:-5}" >"$D/bench" 2>/dev/null; then
			echo "# bench order=$1 count=$2 shape=$shape: write failed: $(cat "$D/control")"
			ret=1
			continue
		fi
		line=$(cat "$D/bench")
		echo "# $line"
		printf '%s\n' "$line" | awk '{
			for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			printf "%-5s %-6s %8s %12s %10s %6s %6s %6s\n", v["order"],
				v["shape"], v["count"], v["pgmirror_ns_per_op"],
				v["host_ns_per_op"], v["ratio_min"], v["ratio"],
				v["ratio_max"]
		}'
	done
done
echo 'drain' >"$D/control"
[ "$(cat "$D/verify")" = ok ] || { echo "# verify: $(cat "$D/verify")"; ret=1; }
rmmod pgmirror || ret=1
exit $ret
