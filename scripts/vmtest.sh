#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run selftests/pgmirror/pgmirror_test.sh inside Debian's 6.12 kernel under
# QEMU (TCG), with memmap=256M$0x40000000 reserved for the carve-out.
#
# Fails on a timeout, a missing end marker, any "not ok", a short run, and any
# WARNING, BUG, Oops or general protection fault in dmesg.  Last line:
#
#   PGM-RESULT vmtest passed=P failed=F skipped=S

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$PGM_REPO/scripts/vm-lib.sh"

result() {
	echo "vmtest: $1 passed, $2 failed, $3 skipped"
	echo "PGM-RESULT vmtest passed=$1 failed=$2 skipped=$3"
	[ "$2" -eq 0 ]
	exit
}

# Four vCPUs: the stress cases want more writers and readers than CPUs
export PGM_VM_SMP=${PGM_VM_SMP:-4}
# plotcheck.sh reads this run's console log: never a former run's
rm -f "$PGM_CACHE/vm/initrd-pgmirror_test.log"
vm_setup || result 0 1 0
vm_build_module || { echo "vmtest: module build failed"; result 0 1 0; }
vm_run pgmirror_test.sh || result 0 1 0

echo "----- KTAP (guest) -----"
printf '%s\n' "$VM_OUT"
echo "----- end of KTAP -----"

ktap=$(printf '%s\n' "$VM_OUT")
skipped=$(printf '%s\n' "$ktap" | grep -E -c '^ok [0-9]+ .*# *SKIP')
passed=$(( $(printf '%s\n' "$ktap" | grep -E -c '^ok [0-9]+') - skipped ))
failed=$(printf '%s\n' "$ktap" | grep -E -c '^not ok [0-9]+')
plan=$(printf '%s\n' "$ktap" | sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' | head -n 1)

problems=$(vm_problems)
ran=$((passed + failed + skipped))
if [ -n "$plan" ] && [ "$ran" -lt "$plan" ]; then
	echo "vmtest: FAIL: short run: planned $plan, ran $ran (the rest count as failed)"
	failed=$((failed + plan - ran))
elif [ -z "$plan" ]; then
	problems="$problems${problems:+$'\n'}no KTAP plan line from the guest"
fi
if [ -n "$VM_RC" ] && [ "$VM_RC" -ne 0 ] && [ "$VM_RC" -ne 4 ] && [ "$failed" -eq 0 ]; then
	problems="$problems${problems:+$'\n'}the selftest exited $VM_RC with no failed case"
fi

if [ -n "$problems" ]; then
	printf '%s\n' "$problems" | sed 's/^/vmtest: FAIL: /'
	vm_show_problems
	failed=$((failed + $(printf '%s\n' "$problems" | grep -c .)))
fi
echo "vmtest: guest run took ${VM_SECS}s (kernel $VM_KVER)"
result "$passed" "$failed" "$skipped"
