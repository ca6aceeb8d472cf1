#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages pgmirror's build and tests need.  Idempotent:
# installs only what is missing, and touches the network only then.  Works as
# root with no terminal (CI); as another user it goes through sudo -n.

set -u

PKGS="linux-source-6.12 linux-headers-6.12-amd64 linux-headers-amd64
      busybox-static cpio bc flex bison libelf-dev libssl-dev python3 kmod
      make gcc libc6-dev xz-utils"
# Installed with --no-install-recommends: its recommends are a desktop stack.
# linux-perf and bpftrace go into the selftest VM: pgmirror's trace system
# is checked with both (bpftrace's LLVM libraries come with clang-format).
# gdb counts make bench's fast-path instructions.
PKGS_NORECOMMENDS="qemu-system-x86 python3-matplotlib trace-cmd linux-perf
      bpftrace gdb"

export DEBIAN_FRONTEND=noninteractive
# A fresh machine's apt-daily or unattended-upgrades may hold the dpkg lock
# for a while after boot: wait for it rather than fail
APT_OPTS="-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold
	  -o DPkg::Lock::Timeout=600"

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo -n env DEBIAN_FRONTEND=noninteractive"
else
	SUDO=
fi

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing() {
	local p
	for p in "$@"; do
		installed "$p" || printf '%s ' "$p"
	done
}

command -v dpkg-query >/dev/null 2>&1 || {
	echo "deps: not a Debian system (no dpkg-query); install the packages by hand:" >&2
	echo "deps: $PKGS $PKGS_NORECOMMENDS" >&2
	exit 1
}

# shellcheck disable=SC2086
miss=$(missing $PKGS)
# shellcheck disable=SC2086
miss_norec=$(missing $PKGS_NORECOMMENDS)

if [ -z "$miss$miss_norec" ]; then
	echo "deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
	echo "deps: missing $miss$miss_norec and not root (no sudo)" >&2
	exit 1
fi

echo "deps: installing $miss$miss_norec"
# shellcheck disable=SC2086
if [ -n "$SUDO" ] && ! sudo -n true 2>/dev/null; then
	echo "deps: sudo asks for a password: run 'sudo make deps' first" >&2
	exit 1
fi
$SUDO apt-get $APT_OPTS update || { sleep 10; $SUDO apt-get $APT_OPTS update; } || exit 1
if [ -n "$miss" ]; then
	# shellcheck disable=SC2086
	$SUDO apt-get $APT_OPTS install $miss || exit 1
fi
if [ -n "$miss_norec" ]; then
	# shellcheck disable=SC2086
	$SUDO apt-get $APT_OPTS install --no-install-recommends $miss_norec || exit 1
fi

# shellcheck disable=SC2086
left=$(missing $PKGS $PKGS_NORECOMMENDS)
if [ -n "$left" ]; then
	echo "deps: still missing after install: $left" >&2
	exit 1
fi
echo "deps: done"
