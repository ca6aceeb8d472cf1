#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run pgmirror's KUnit suites in UML from Debian's linux-source-6.12.
#
#   scripts/kunit.sh [kunit.py run args...]   e.g. 'pgmirror_buddy*' or --arch=x86_64
#   scripts/kunit.sh --glue                   only add the glue
#   scripts/kunit.sh --unglue                 remove the glue and exit
#
# The tarball is extracted once into $PGM_CACHE (outside the repo).  The repo
# is glued into drivers/misc/ with a symlink and one line each in
# drivers/misc/Kconfig and drivers/misc/Makefile, all marked "pgmirror-glue".
# The last line of output is machine-readable:
#
#   PGM-RESULT kunit passed=P failed=F skipped=S
#
# The counts are kunit.py's parse of KUnit's own lines in the kernel log
# ($BUILD/test.ktap), so that a line another driver prints in between
# cannot turn passes into crashes. Exit status: 0 only if kunit.py passed
# and the kernel log has no lockdep report, BUG or WARNING.

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MARK="# pgmirror-glue"
KCONFIG_LINE="source \"drivers/misc/pgmirror/Kconfig\" $MARK"
MAKEFILE_LINE="obj-\$(CONFIG_PGMIRROR) += pgmirror/ $MARK"
SPLATS='possible circular locking|trying to register non-static key|inconsistent lock state|possible recursive locking|suspicious RCU usage|BUG:|WARNING:|Kernel panic|general protection|UBSAN:|ODEBUG:|KFENCE:|KASAN:'

result() {
	echo "PGM-RESULT kunit passed=$1 failed=$2 skipped=$3"
	exit "$4"
}

unglue() {
	local src=$1
	if [ -L "$src/drivers/misc/pgmirror" ]; then
		rm -f "$src/drivers/misc/pgmirror"
	fi
	sed -i "/pgmirror-glue/d" "$src/drivers/misc/Kconfig" "$src/drivers/misc/Makefile"
}

glue() {
	local src=$1 link=$1/drivers/misc/pgmirror
	if [ -e "$link" ] && [ ! -L "$link" ]; then
		pgm_log "$link exists and is not our symlink; refusing to touch it"
		return 1
	fi
	ln -sfn "$PGM_REPO" "$link" || return 1
	grep -qF "$MARK" "$src/drivers/misc/Kconfig" ||
		printf '%s\n' "$KCONFIG_LINE" >>"$src/drivers/misc/Kconfig"
	grep -qF "$MARK" "$src/drivers/misc/Makefile" ||
		printf '%s\n' "$MAKEFILE_LINE" >>"$src/drivers/misc/Makefile"
}

SRC=$(pgm_linux_source) || result 0 1 0 1

case "${1:-}" in
--unglue)
	unglue "$SRC"
	echo "kunit: glue removed from $SRC"
	exit 0
	;;
--glue)
	glue "$SRC" || exit 1
	echo "kunit: glued $PGM_REPO into $SRC/drivers/misc/pgmirror"
	exit 0
	;;
esac

ARCH=um
for a in "$@"; do
	case "$a" in
	--arch=*) ARCH=${a#--arch=} ;;
	esac
done
# make bench builds its own trees: PGM_KUNIT_BUILD names the build dir
# under $PGM_CACHE, PGM_KUNITCONFIG replaces kunit/.kunitconfig
BUILD=$PGM_CACHE/${PGM_KUNIT_BUILD:-kunit-$ARCH}
KUNITCONFIG=${PGM_KUNITCONFIG:-$PGM_REPO/kunit/.kunitconfig}
mkdir -p "$BUILD"
LOG=$BUILD/kunit-run.log

# One KUnit run per tree at a time: they share the glue and the build dir.
exec 9>"$PGM_CACHE/kunit.lock"
flock 9

glue "$SRC" || result 0 1 0 1

echo "kunit: $SRC (ARCH=$ARCH), build dir $BUILD"
rm -f "$BUILD/test.log"
(cd "$SRC" && python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$KUNITCONFIG" \
	--build_dir="$BUILD" --jobs="${PGM_JOBS:-2}" "$@") 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}

# "Testing complete. Ran 12 tests: passed: 11, failed: 1" (zero counts omitted)
summary_of() {
	sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -o 'Testing complete\. Ran [0-9]* tests.*' | tail -n 1
}
summary=$(summary_of "$LOG")

# kunit.py parses the console as it comes, and a line the rest of the
# kernel prints between a subtest's "KTAP version 1" and its "# Subtest:"
# (the i8042 mouse probe, the TSC's refined calibration: both async)
# derails the rest of the parse into crashes that never happened. The
# counts come from a second parse of KUnit's own lines: indented, or
# starting as KTAP's do. A crash still shows, as results that are missing.
if [ -f "$BUILD/test.log" ]; then
	grep -a -E '^([[:space:]]|KTAP version |TAP version |1\.\.|ok |not ok |#)' \
		"$BUILD/test.log" >"$BUILD/test.ktap"
	(cd "$SRC" && python3 tools/testing/kunit/kunit.py parse "$BUILD/test.ktap") \
		>"$BUILD/reparse.log" 2>&1
	prc=$?
	resummary=$(summary_of "$BUILD/reparse.log")
	if [ -n "$resummary" ] && [ "$resummary" != "$summary" ]; then
		echo "kunit: the kernel's own console lines broke kunit.py's parse; KUnit's lines alone:"
		cat "$BUILD/reparse.log"
		summary=$resummary
		# A kunit.py run that built and booted fails only on its parse
		[ "$rc" -ne 0 ] && [ "$prc" -eq 0 ] && rc=0
	fi
fi
count() {
	local n
	n=$(printf '%s\n' "$summary" | grep -o "$1: [0-9]*" | grep -o '[0-9]*$')
	echo "${n:-0}"
}
passed=$(count passed)
failed=$(( $(count failed) + $(count crashed) ))
skipped=$(count skipped)

if [ -z "$summary" ]; then
	echo "kunit: no test results (build or boot failed, see above)"
	failed=$((failed + 1))
elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "kunit: kunit.py failed (rc=$rc) with no failed test; counting one failure"
	failed=1
fi

# The counts the fuzz, model and differential suites report (kunit.py
# hides them on a pass)
if [ -f "$BUILD/test.log" ]; then
	grep -a -h -o '# [a-z_]*: \(fuzz\|model\): .*\|# diff_[a-z_]*: [0-9]* steps compared' "$BUILD/test.log" |
		sed 's/^# /kunit: /'
fi

if [ -f "$BUILD/test.log" ] && grep -E -q "$SPLATS" "$BUILD/test.log"; then
	echo "kunit: kernel log has a lockdep report, BUG or WARNING:"
	grep -E -B2 -A25 "$SPLATS" "$BUILD/test.log" | head -n 120 | sed 's/^/kunit:   /'
	failed=$((failed + 1))
	rc=1
fi

# pgmirror_differential and pgmirror_differential_zones compare with the
# live host allocator on nodes 1 and 2, where nothing else should run but
# the kernel's own work now and then may: with PGM_KUNIT_DIFF_RETRY=1, a
# run whose only failures are those suites' runs them once more, alone,
# and counts the second run. The first failure stays in the log above.
failed_suites() {
	sed 's/\x1b\[[0-9;]*m//g' "$1" |
		sed -n 's/^.*=* \[FAILED\] \(pgmirror_[a-z0-9_]*\) =*.*$/\1/p' | sort -u
}
only_differential() {
	local suites
	suites=$(failed_suites "$1")
	[ -n "$suites" ] &&
		! printf '%s\n' "$suites" | grep -qv '^pgmirror_differential\(_zones\)\?$'
}
if [ "${PGM_KUNIT_DIFF_RETRY:-0}" = 1 ] && [ "$failed" -gt 0 ] &&
   only_differential "$LOG"; then
	echo "kunit: only the differential suites failed; running them once more"
	first=$(sed 's/\x1b\[[0-9;]*m//g' "$LOG" | grep -c '^\[[0-9:]*\] \[FAILED\] diff_')
	(cd "$SRC" && python3 tools/testing/kunit/kunit.py run \
		--kunitconfig="$KUNITCONFIG" \
		--build_dir="$BUILD" --jobs="${PGM_JOBS:-2}" "$@" \
		'pgmirror_differential*') 2>&1 | tee "$BUILD/kunit-retry.log"
	again=$(summary_of "$BUILD/kunit-retry.log")
	if [ -n "$again" ] && ! printf '%s\n' "$again" | grep -q 'failed\|crashed\|skipped'; then
		echo "kunit: the differential suites passed when run again ($first case(s) failed the first time)"
		failed=$((failed - first))
		passed=$((passed + first))
		[ "$failed" -eq 0 ] && rc=0
	fi
fi

# Where every case can run (the x86_64 kernel, whose pgmirror_differential
# compares with the real allocator), a skip would hide that it did not
if [ "${PGM_KUNIT_NO_SKIP:-0}" = 1 ] && [ "$skipped" -gt 0 ]; then
	echo "kunit: $skipped cases skipped where none may be (PGM_KUNIT_NO_SKIP=1)"
	failed=$((failed + skipped))
	rc=1
fi

[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ] && result "$passed" 0 "$skipped" 0
result "$passed" "$failed" "$skipped" 1
