#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test VM with selftests/pgmirror/bench.sh as the payload: pgmirror
# vs host alloc_pages() for orders 0, 1, 3 and 9.  Timings are under TCG
# emulation; compare the ratio, not the absolute numbers.

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$PGM_REPO/scripts/vm-lib.sh"

# The host side must not zero what the mirror does not: Debian's kernel
# has CONFIG_INIT_ON_ALLOC_DEFAULT_ON
export PGM_VM_APPEND="${PGM_VM_APPEND:-} init_on_alloc=0"
vm_setup || exit 1
vm_build_module || exit 1
vm_run bench.sh || exit 1
printf '%s\n' "$VM_OUT"
problems=$(vm_problems)
[ "${VM_RC:-1}" -eq 0 ] || problems="$problems${problems:+$'\n'}bench payload exited ${VM_RC:-?}"
if [ -n "$problems" ]; then
	printf '%s\n' "$problems" | sed 's/^/bench: FAIL: /'
	vm_show_problems
	exit 1
fi
