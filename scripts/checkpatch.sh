#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch --strict on every .c and .h under module/ and kunit/.  The
# script comes from the extracted linux-source-6.12 tree (the headers packages
# do not ship it); run from there it finds spelling.txt and
# const_structs.checkpatch next to it.  Clean means no error, warning or check.
#
# Last line: PGM-RESULT checkpatch files=N errors=E warnings=W checks=C

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SRC=$(pgm_linux_source) || exit 1
cd "$PGM_REPO" || exit 1
mapfile -t files < <(find module kunit -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort)
if [ "${#files[@]}" -eq 0 ]; then
	echo "checkpatch: no .c or .h files under module/ or kunit/"
	echo "PGM-RESULT checkpatch files=0 errors=0 warnings=0 checks=0"
	exit 1
fi

out=$(perl "$SRC/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--no-summary -f "${files[@]}" 2>&1)
rc=$?
[ -n "$out" ] && printf '%s\n' "$out"

e=$(printf '%s\n' "$out" | grep -c ': ERROR:')
w=$(printf '%s\n' "$out" | grep -c ': WARNING:')
c=$(printf '%s\n' "$out" | grep -c ': CHECK:')
echo "checkpatch: ${#files[@]} files, $e errors, $w warnings, $c checks"
echo "PGM-RESULT checkpatch files=${#files[@]} errors=$e warnings=$w checks=$c"
[ "$rc" -eq 0 ] && [ $((e + w + c)) -eq 0 ]
