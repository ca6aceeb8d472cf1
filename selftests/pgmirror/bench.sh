#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pgmirror vs the host's alloc_pages(): ns per alloc+free pair for orders
# 0, 1, 3 and 9, side by side.  busybox sh compatible.
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

echo "# pgmirror vs host alloc_pages, $(uname -r), $(nproc) CPUs"
echo "# ns per alloc+free; ratio = pgmirror / host (lower is faster)"
printf '%-6s %8s %14s %10s %7s\n' order count pgmirror_ns host_ns ratio
for spec in "0 100000" "1 50000" "3 20000" "9 2000"; do
	set -- $spec
	if ! echo "order=$1 count=$2" >"$D/bench" 2>/dev/null; then
		echo "# bench order=$1 count=$2: write failed"
		ret=1
		continue
	fi
	line=$(cat "$D/bench")
	echo "# $line"
	printf '%s\n' "$line" | awk '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%-6s %8s %14s %10s %7s\n", v["order"], v["count"],
			v["pgmirror_ns_per_op"], v["host_ns_per_op"], v["ratio"]
	}'
done
echo 'drain' >"$D/control"
[ "$(cat "$D/verify")" = ok ] || { echo "# verify: $(cat "$D/verify")"; ret=1; }
rmmod pgmirror || ret=1
exit $ret
