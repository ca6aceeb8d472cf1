#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test VM with selftests/pgmirror/demo.sh as the payload and print
# the annotated session.  Fails if the VM does not finish cleanly.

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$PGM_REPO/scripts/vm-lib.sh"
# The pictures' paths below are the tree's
cd "$PGM_REPO" || exit 1

vm_setup || exit 1
vm_build_module || exit 1
vm_run demo.sh || exit 1
# The files printed for the pictures are data, not part of the session
printf '%s\n' "$VM_OUT" | awk '/^# PGM-FILE-END$/ { skip = 0; next }
	/^# PGM-FILE / { skip = 1; next } !skip'
vm_check demo || exit 1
# The pictures, from the files the payload printed
pics=$PGM_CACHE/demo-pictures
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
	scripts/plotcheck.sh --extract "$VM_LOG" "$pics"
	for n in pgm0 mobility-on; do
		/usr/bin/python3 scripts/pgmirror-plot pageblocks "$pics/data/$n/pageblocks" \
			"$pics/$n-pageblocks.png" --title "$n: pageblocks" >/dev/null &&
		/usr/bin/python3 scripts/pgmirror-plot buddyinfo "$pics/data/$n/buddyinfo" \
			"$pics/$n-buddyinfo.png" --title "$n: free blocks per order" >/dev/null
	done
	/usr/bin/python3 scripts/pgmirror-plot ab "$pics/data/mobility-on" "$pics/data/mobility-off" \
		"$pics/mobility-ab.png" --title "mobility grouping on (left) and off (right)" >/dev/null
	echo "demo: pictures in $pics: $(cd "$pics" 2>/dev/null && ls -- *.png | tr '\n' ' ')"
else
	echo "demo: no pictures: python3-matplotlib is missing (make deps)"
fi
echo "demo: done in ${VM_SECS}s"
