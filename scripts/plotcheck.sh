#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The pictures, checked: take the files the VM selftests dumped into their
# console log (t_picture_data), draw each kind of picture with
# scripts/pgmirror-plot, and check that every PNG exists, is not empty and
# decodes.  Runs after vmtest.
#
#   scripts/plotcheck.sh [CONSOLE_LOG [OUTDIR]]
#   scripts/plotcheck.sh --extract CONSOLE_LOG OUTDIR   only take the files out
#
# Last line: PGM-RESULT plot passed=P failed=F

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EXTRACT=0
if [ "${1:-}" = --extract ]; then
	EXTRACT=1
	shift
fi
LOG=${1:-$PGM_CACHE/vm/initrd-pgmirror_test.log}
OUT=${2:-$PGM_CACHE/pictures}
PLOT=$PGM_REPO/scripts/pgmirror-plot
PY=/usr/bin/python3
pass=0
fail=0

result() {
	echo "PGM-RESULT plot passed=$pass failed=$fail"
	[ "$fail" -eq 0 ]
	exit
}

[ -r "$LOG" ] || { echo "plot: no console log $LOG (run vmtest first)"; fail=1; result; }
rm -rf "$OUT"
mkdir -p "$OUT/data" || { fail=1; result; }

# "# PGM-FILE NAME" ... "# PGM-FILE-END": each block to $OUT/data/NAME
tr -d '\r' <"$LOG" | awk -v dir="$OUT/data" '
	/^# PGM-FILE-END$/ { if (f) close(f); f = ""; next }
	/^# PGM-FILE / {
		f = dir "/" $3
		d = f; sub(/\/[^\/]*$/, "", d)
		system("mkdir -p \"" d "\"")
		printf "" > f
		next
	}
	f { sub(/^# ?/, ""); print >> f }'
[ "$EXTRACT" = 1 ] && exit 0

# draw NAME ARGS...: one picture, checked
draw() {
	local png=$OUT/$1.png
	shift
	if "$PY" "$PLOT" "$@" "$png" >/dev/null &&
	   [ -s "$png" ] &&
	   "$PY" -c 'import sys, matplotlib.image as i; a = i.imread(sys.argv[1]); sys.exit(not (a.shape[0] > 100 and a.shape[1] > 100))' "$png"; then
		echo "ok - $png"
		pass=$((pass + 1))
	else
		echo "not ok - $png"
		fail=$((fail + 1))
	fi
}

D=$OUT/data
draw pageblocks pageblocks "$D/mobility-on/pageblocks" --title "pageblocks, mobility grouping on"
draw buddyinfo buddyinfo "$D/mobility-on/buddyinfo" --title "free blocks per order"
draw timeline timeline "$D/timeline" --title "a kmem trace of the test VM, replayed"
draw ab ab "$D/mobility-on" "$D/mobility-off" --title "the same trace: mobility grouping on (left) and off (right)"
echo "plot: pictures in $OUT"
result
