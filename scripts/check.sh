#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CI entry point (make check, .ci/run).  Steps, all run even after a
# failure:
#
#   deps          install missing Debian packages             1 test
#   build-6.12    W=1 KCFLAGS=-Werror, 6.12 headers           1 test
#   build-6.1     W=1 KCFLAGS=-Werror, newest 6.1 headers     1 test
#   checkpatch    --strict on module/ and kunit/              1 test
#   kerneldoc     kernel-doc -Wall on module/ and kunit/;     1 test
#                 every external function has one
#   mapcheck      design.rst's function map against module/   1 test
#                 and 6.12's mm/ and include/linux/
#   kunit         KUnit in UML                                one per test case
#   kunit-x86_64  KUnit on SMP x86_64 in QEMU (TCG), with      one per test case
#                 KASAN, UBSAN, KFENCE, DEBUG_OBJECTS, lockdep
#                 (kunit/debug.kunitconfig); nodes 1 and 2 have
#                 memory and no CPU for pgmirror_differential*
#   vmtest        selftests in Debian's 6.12 under QEMU       one per KTAP case
#   plot          pictures drawn from vmtest's data           one per picture
#
# A KUnit or VM run that fails outside any test case (build error, crash,
# lockdep report, WARN in dmesg, timeout) adds failures of its own.  Build
# trees live in $PGM_CACHE, outside the repo.  The last line is exactly
# "N passed, N failed"; the exit status is non-zero if anything failed.

set -u
export CI=true
export DEBIAN_FRONTEND=noninteractive
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PGM_REPO" || exit 1

PASSED=0
FAILED=0
SUMMARY=()
T0=$(date +%s)
LOGDIR=$PGM_CACHE/check-logs
mkdir -p "$LOGDIR"

banner() {
	printf '\n==================== %s ====================\n' "$*"
}

# record NAME PASSED FAILED SECONDS
record() {
	PASSED=$((PASSED + $2))
	FAILED=$((FAILED + $3))
	SUMMARY+=("$(printf '%-12s %4d passed %4d failed  %4ss' "$1" "$2" "$3" "$4")")
}

# step NAME CMD...: one test, pass iff CMD exits 0; output to the console and
# to $LOGDIR/NAME.log
step() {
	local name=$1 t rc
	shift
	banner "$name"
	t=$(date +%s)
	"$@" 2>&1 | tee "$LOGDIR/$name.log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -eq 0 ]; then
		record "$name" 1 0 $(( $(date +%s) - t ))
	else
		echo "check: $name FAILED (exit $rc)"
		record "$name" 0 1 $(( $(date +%s) - t ))
	fi
}

# counted NAME CMD...: CMD ends with "PGM-RESULT <name> passed=P failed=F ..."
counted() {
	local name=$1 t rc line p f
	shift
	banner "$name"
	t=$(date +%s)
	"$@" 2>&1 | tee "$LOGDIR/$name.log"
	rc=${PIPESTATUS[0]}
	line=$(grep '^PGM-RESULT ' "$LOGDIR/$name.log" | tail -n 1)
	p=$(printf '%s\n' "$line" | sed -n 's/.* passed=\([0-9]*\).*/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.* failed=\([0-9]*\).*/\1/p')
	p=${p:-0}
	f=${f:-0}
	# A non-zero exit must never read as a pass.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "check: $name exited $rc without a failure count; counting one"
		f=1
	fi
	[ "$f" -eq 0 ] || echo "check: $name: $f FAILED"
	record "$name" "$p" "$f" $(( $(date +%s) - t ))
}

build() {
	local kdir=$1 label=$2 out rc
	if [ -z "$kdir" ]; then
		echo "check: no headers for $label under /usr/src (make deps)"
		return 1
	fi
	echo "check: building against $kdir (W=1, -Werror) in $PGM_CACHE/build-$label"
	out=$(pgm_build_module "$kdir" "$PGM_CACHE/build-$label" W=1 KCFLAGS=-Werror 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ "$rc" -eq 0 ] || return 1
	# -Werror makes compiler warnings fatal; modpost's need a look.
	if printf '%s\n' "$out" | grep -E -q '^(WARNING|ERROR): modpost'; then
		echo "check: modpost warnings"
		return 1
	fi
	ls -l "$PGM_CACHE/build-$label/module/pgmirror.ko"
}

step deps scripts/deps.sh
# Heavy steps run one after another: the machines have two cores.
step build-6.12 build "$(pgm_kdir_612)" 6.12
step build-6.1 build "$(pgm_kdir_61)" 6.1
step checkpatch scripts/checkpatch.sh
step kerneldoc scripts/kerneldoc.sh
step mapcheck scripts/mapcheck.sh
counted kunit scripts/kunit.sh
# The same suites on an SMP x86_64 kernel under QEMU, with the sanitizers:
# the real target, and the only place a pcp trylock can fail (UML is
# uniprocessor).
# Nodes 1 and 2 have memory and no CPU: pgmirror_differential and
# pgmirror_differential_zones compare pgmirror with the real allocator
# there (pgm_kunit_numa_args sizes them, overriding kunit.py's -m 1024).
# No case may skip here:
# a differential case that could not compare would otherwise pass unseen.
counted kunit-x86_64 env PGM_KUNIT_NO_SKIP=1 PGM_KUNIT_DIFF_RETRY=1 \
	scripts/kunit.sh "${PGM_KUNIT_X86_64[@]}"
counted vmtest scripts/vmtest.sh
counted plot scripts/plotcheck.sh

banner "summary"
printf '%s\n' "${SUMMARY[@]}"
echo "check: took $(( $(date +%s) - T0 ))s; logs in $LOGDIR"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
