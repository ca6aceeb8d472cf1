#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test VM with selftests/pgmirror/demo.sh as the payload and print
# the annotated session.  Fails if the VM does not finish cleanly.

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$PGM_REPO/scripts/vm-lib.sh"

vm_setup || exit 1
vm_build_module || exit 1
vm_run demo.sh || exit 1
printf '%s\n' "$VM_OUT"
problems=$(vm_problems)
[ "${VM_RC:-1}" -eq 0 ] || problems="$problems${problems:+$'\n'}demo payload exited ${VM_RC:-?}"
if [ -n "$problems" ]; then
	printf '%s\n' "$problems" | sed 's/^/demo: FAIL: /'
	vm_show_problems
	exit 1
fi
echo "demo: done in ${VM_SECS}s"
