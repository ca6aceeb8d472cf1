#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-doc on module/ and kunit/, from the extracted linux-source-6.12
# tree (scripts/kerneldoc.py says what it checks).
#
# Last line: PGM-RESULT kerneldoc files=N warnings=W undocumented=U

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SRC=$(pgm_linux_source) || {
	echo "PGM-RESULT kerneldoc files=0 warnings=0 undocumented=0"
	exit 1
}
exec python3 "$PGM_REPO/scripts/kerneldoc.py" "$SRC"
