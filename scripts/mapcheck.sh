#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The function map in Documentation/design.rst against module/ and the
# extracted linux-source-6.12 tree (scripts/mapcheck.py says what it checks).
#
# Last line: PGM-RESULT mapcheck passed=P failed=F

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SRC=$(pgm_linux_source) || { echo "PGM-RESULT mapcheck passed=0 failed=1"; exit 1; }
exec python3 "$PGM_REPO/scripts/mapcheck.py" "$SRC"
