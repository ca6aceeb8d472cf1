# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the pgmirror build and test scripts.  Source it, do not
# run it.  It sets:
#
#   PGM_REPO   the repository root (the directory above scripts/)
#   PGM_CACHE  where trees, builds and images are cached, outside the repo
#              (${PGM_CACHE:-$HOME/.cache/pgmirror})
#
# and provides pgm_linux_source, pgm_kdir_612, pgm_kdir_61, pgm_build_module.

PGM_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
PGM_CACHE=${PGM_CACHE:-${HOME:-/root}/.cache/pgmirror}
PGM_SOURCE_TARBALL=${PGM_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
export PGM_REPO PGM_CACHE

case "$PGM_CACHE/" in
"$PGM_REPO"/*)
	echo "pgmirror: PGM_CACHE ($PGM_CACHE) must be outside the repo" >&2
	exit 2
	;;
esac

pgm_log() { printf '%s\n' "pgmirror: $*" >&2; }
pgm_die() { pgm_log "$*"; exit 1; }

# Newest directory matching a glob (version sort), or nothing.
pgm_newest() {
	local d
	for d in "$@"; do
		[ -d "$d" ] && printf '%s\n' "$d"
	done | sort -V | tail -n 1
}

# Whether the extracted tree at $1 is whole
pgm_source_ready() {
	[ -f "$1/Makefile" ] && [ -f "$1/tools/testing/kunit/kunit.py" ] &&
		[ -f "$1/scripts/checkpatch.pl" ]
}

# The extracted linux-source-6.12 tree, extracting the tarball into the cache
# once.  Extraction goes to a temporary name and is renamed when complete, so
# an interrupted run never leaves a half tree behind; one extraction runs at
# a time (make -j2 style starts two scripts), and the next one clears what
# an interrupted one left.
pgm_linux_source() {
	local src=$PGM_CACHE/linux-source-6.12 tmp
	if pgm_source_ready "$src"; then
		printf '%s\n' "$src"
		return 0
	fi
	[ -f "$PGM_SOURCE_TARBALL" ] ||
		pgm_die "$PGM_SOURCE_TARBALL missing (make deps installs linux-source-6.12)"
	mkdir -p "$PGM_CACHE" || return 1
	exec 8>"$PGM_CACHE/.extract.lock" && flock 8 || return 1
	if pgm_source_ready "$src"; then
		exec 8>&-
		printf '%s\n' "$src"
		return 0
	fi
	rm -rf "$PGM_CACHE"/.extract.*/
	tmp=$(mktemp -d "$PGM_CACHE/.extract.XXXXXX") || return 1
	pgm_log "extracting $PGM_SOURCE_TARBALL into $PGM_CACHE (once)"
	if ! tar -C "$tmp" -xf "$PGM_SOURCE_TARBALL"; then
		rm -rf "$tmp"
		pgm_die "extracting $PGM_SOURCE_TARBALL failed"
	fi
	rm -rf "$src"
	mv "$tmp/linux-source-6.12" "$src" && rm -rf "$tmp" || return 1
	exec 8>&-
	printf '%s\n' "$src"
}

# Kernel build trees (headers packages).
pgm_kdir_612() {
	pgm_newest /usr/src/linux-headers-6.12*-amd64
}

pgm_kdir_61() {
	pgm_newest /usr/src/linux-headers-6.1.0-*-amd64
}

# pgm_build_module KDIR OUTDIR [make args...]
#
# Builds module/pgmirror.ko against KDIR from a copy of the sources in OUTDIR, so the
# repo stays clean and builds for different kernels do not share objects.
# Copies keep their mtimes, so a rebuild is incremental.
pgm_build_module() {
	local kdir=$1 out=$2
	shift 2
	[ -d "$kdir" ] || { pgm_log "no kernel build tree at '$kdir'"; return 1; }
	mkdir -p "$out" || return 1
	# Drop sources that left the repo, then copy the current ones over.
	(cd "$out" && for f in module/* kunit/*; do
		[ -f "$f" ] && [ ! -e "$PGM_REPO/$f" ] && rm -f "$f"
	done; true)
	(cd "$PGM_REPO" &&
	 tar -cf - Kbuild Kconfig $(ls -d module kunit 2>/dev/null)) |
		tar -C "$out" -xf - || return 1
	make -C "$kdir" M="$out" "$@" modules
}

# QEMU arguments of the x86_64 KUnit run: node 0 with the CPUs; node 1 with
# 320 MiB and no CPU, for pgmirror_differential (kunit.py's -m 1024 is
# overridden: 1% of node 1's zone must be a pageblock for a highatomic
# reserve, and the boot takes up to 19,000 of its pages); node 2 with no
# CPU and two zones, for pgmirror_differential_zones: RAM below 4 GiB ends
# 128 MiB into it (max-ram-below-4g), so it holds 128 MiB of DMA32 and,
# from 4 GiB, 128 MiB of Normal. The boot takes about half of each: the
# swiotlb's 64 MiB, the highest below 4 GiB, and early allocations from
# the top. QEMU warns that 1216M is not a multiple of 1G.
pgm_kunit_numa_args() {
	printf '%s' "-machine pc,max-ram-below-4g=1216M -m 1344" \
		" -object memory-backend-ram,id=m0,size=768M" \
		" -object memory-backend-ram,id=m1,size=320M" \
		" -object memory-backend-ram,id=m2,size=256M" \
		" -numa node,nodeid=0,cpus=0-1,memdev=m0" \
		" -numa node,nodeid=1,memdev=m1" \
		" -numa node,nodeid=2,memdev=m2"
}

# scripts/kunit.sh's arguments for the sanitizer run on SMP x86_64, which
# make check and make soak share (one build tree, so one configuration)
PGM_KUNIT_X86_64=(--arch=x86_64
	"--qemu_args=-smp 2 $(pgm_kunit_numa_args)"
	"--kunitconfig=$PGM_REPO/kunit/debug.kunitconfig"
	--kconfig_add CONFIG_SMP=y --kconfig_add CONFIG_NR_CPUS=4)
