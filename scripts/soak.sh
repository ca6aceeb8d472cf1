#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make soak: longer runs than make check's, from other seeds.
#
#  - pgmirror_model over SEEDS seeds (200) in UML;
#  - pgmirror_fuzz from FUZZ_SEED (5) in UML: seeds make kunit does not run;
#  - the differential harness's random mixes against the real allocator
#    (both on node 1, the low mix on node 2's two zones), in the x86_64
#    KUnit kernel of make check, over DIFF_SEEDS seeds (50) from DIFF_SEED
#    (1). A KUnit case has 300 s, so each boot runs at most 15 seeds.
#
# Stops at the first run that fails.

set -eu
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SEEDS=${SEEDS:-200}
FUZZ_SEED=${FUZZ_SEED:-5}
DIFF_SEED=${DIFF_SEED:-1}
DIFF_SEEDS=${DIFF_SEEDS:-50}
PER_BOOT=15

"$PGM_REPO/scripts/kunit.sh" --timeout=3600 'pgmirror_model*' \
	--kernel_args "model_test.model_seeds=$SEEDS"
"$PGM_REPO/scripts/kunit.sh" --timeout=3600 'pgmirror_fuzz*' \
	--kernel_args "fuzz_test.fuzz_seed=$FUZZ_SEED"

seed=$DIFF_SEED
left=$DIFF_SEEDS
while [ "$left" -gt 0 ]; do
	n=$((left < PER_BOOT ? left : PER_BOOT))
	echo "soak: differential seeds $seed to $((seed + n - 1))"
	env PGM_KUNIT_NO_SKIP=1 "$PGM_REPO/scripts/kunit.sh" \
		"${PGM_KUNIT_X86_64[@]}" --timeout=3600 \
		'pgmirror_differential*.diff_random_*' \
		--kernel_args "differential_test.differential_seed=$seed" \
		--kernel_args "differential_test.differential_seeds=$n"
	seed=$((seed + n))
	left=$((left - n))
done
echo "soak: done"
