# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The VM used by vmtest.sh, demo.sh and bench.sh: Debian's 6.12 kernel in
# qemu-system-x86_64 (TCG; KVM is never used), booting a busybox-static
# initramfs whose /init runs one payload from selftests/pgmirror/ with the
# path of pgmirror.ko as its argument, dumps dmesg and powers off.
#
# Source after lib.sh.  Usage:
#
#   vm_setup                      pick kernel + matching headers, set VM_* vars
#   vm_build_module               build pgmirror.ko for that kernel (cached)
#   vm_run PAYLOAD [ARGS...]      build the initramfs and boot; sets VM_LOG,
#                                 VM_OUT (payload output), VM_DMESG, VM_RC
#                                 (payload exit status, or empty)
#
# Console markers written by /init (the payload's output lies between the
# first two):
#
#   === PGM-BEGIN / === PGM-RC <n> / === PGM-DMESG-BEGIN / === PGM-DMESG-END /
#   === PGM-END
#
# Environment: PGM_VM_TIMEOUT (seconds, default 600), PGM_VM_KERNEL (a
# vmlinuz), PGM_VM_KDIR (its headers), PGM_VM_KO (use this .ko, skip the
# build), PGM_VM_SMP, PGM_VM_MEM, PGM_VM_APPEND (extra kernel arguments),
# PGM_VM_TCG (single, the default, or multi: one host thread per vCPU).

VM_SPLATS='WARNING:|BUG:|Oops|general protection|Kernel panic|possible circular locking|inconsistent lock state|UBSAN:|KASAN:|kernel BUG|blocked for more than'

vm_setup() {
	local v
	VM_DIR=$PGM_CACHE/vm
	mkdir -p "$VM_DIR" || return 1
	VM_KERNEL=${PGM_VM_KERNEL:-$(ls /boot/vmlinuz-6.12*-amd64 2>/dev/null | sort -V | tail -n 1)}
	[ -n "$VM_KERNEL" ] && [ -r "$VM_KERNEL" ] ||
		{ pgm_log "no readable /boot/vmlinuz-6.12*-amd64 (make deps)"; return 1; }
	v=${VM_KERNEL##*/vmlinuz-}
	VM_KVER=$v
	# The module must match the booted kernel exactly (vermagic).
	VM_KDIR=${PGM_VM_KDIR:-}
	if [ -z "$VM_KDIR" ]; then
		for d in "/usr/src/linux-headers-$v" "/lib/modules/$v/build"; do
			[ -f "$d/Makefile" ] && { VM_KDIR=$d; break; }
		done
	fi
	[ -n "$VM_KDIR" ] ||
		{ pgm_log "no headers for $v (apt-get install linux-headers-$v)"; return 1; }
	VM_BUSYBOX=$(command -v busybox.static 2>/dev/null || true)
	[ -n "$VM_BUSYBOX" ] || VM_BUSYBOX=/bin/busybox
	if ! ldd "$VM_BUSYBOX" 2>&1 | grep -q 'not a dynamic'; then
		pgm_log "$VM_BUSYBOX is not static (apt-get install busybox-static)"
		return 1
	fi
	command -v qemu-system-x86_64 >/dev/null ||
		{ pgm_log "qemu-system-x86_64 missing (make deps)"; return 1; }
	command -v cpio >/dev/null || { pgm_log "cpio missing (make deps)"; return 1; }
	return 0
}

vm_build_module() {
	if [ -n "${PGM_VM_KO:-}" ]; then
		VM_KO=$PGM_VM_KO
		[ -f "$VM_KO" ] || { pgm_log "PGM_VM_KO=$VM_KO missing"; return 1; }
		return 0
	fi
	echo "vm: building pgmirror.ko for $VM_KVER"
	pgm_build_module "$VM_KDIR" "$VM_DIR/module-$VM_KVER" -s || return 1
	VM_KO=$VM_DIR/module-$VM_KVER/module/pgmirror.ko
	[ -f "$VM_KO" ]
}

# vm_copy_libs ROOT BINARY: the shared libraries BINARY needs, under ROOT
# vm_build_static ROOT NAME: selftests/pgmirror/NAME.c, static, into
# ROOT/pgm. No static libc: a note, and the cases that need it skip.
vm_build_static() {
	gcc -static -O2 -Wall -o "$1/pgm/$2" "$PGM_REPO/selftests/pgmirror/$2.c" &&
		return 0
	if [ "$(gcc -print-file-name=libc.a)" != libc.a ]; then
		pgm_log "$2.c does not build with the static libc there"
		return 1
	fi
	pgm_log "no static libc: $2 is not built; its cases will skip"
}

vm_copy_libs() {
	local root=$1 lib
	for lib in $(ldd "$2" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib" || return 1
	done
}

# vm_initramfs PAYLOAD [ARGS...]: writes $VM_DIR/initrd-<payload>.gz
vm_initramfs() {
	local payload=$1 root name
	shift
	name=${payload%.sh}
	root=$VM_DIR/root-$name
	VM_INITRD=$VM_DIR/initrd-$name.gz
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,pgm} || return 1
	cp "$VM_BUSYBOX" "$root/bin/busybox" || return 1
	cp "$VM_KO" "$root/pgm/pgmirror.ko" || return 1
	# The bench's second build, its trace hooks compiled out
	if [ -n "${VM_KO_NOTRACE:-}" ]; then
		cp "$VM_KO_NOTRACE" "$root/pgm/pgmirror-notrace.ko" || return 1
	fi
	cp "$PGM_REPO"/selftests/pgmirror/*.sh "$PGM_REPO"/scripts/pgmirror-replay \
		"$PGM_REPO"/scripts/pgmirror-ab "$PGM_REPO"/scripts/pgmirror-record \
		"$root/pgm/" || return 1
	# trace-cmd and its libraries, when the host has it: a selftest
	# records a trace.dat in the guest and replays it
	if command -v trace-cmd >/dev/null 2>&1; then
		local tc
		tc=$(command -v trace-cmd)
		mkdir -p "$root/usr/bin" && cp "$tc" "$root/usr/bin/trace-cmd" || return 1
		vm_copy_libs "$root" "$tc" || return 1
	fi
	# perf, when the host has it: a selftest records pgmirror's events with
	# perf record. Debian's /usr/bin/perf may be a wrapper script that
	# picks perf_<version>; the guest gets the first ELF binary found.
	local pf
	for pf in /usr/bin/perf /usr/bin/perf_*; do
		[ -f "$pf" ] && [ "$(head -c 4 "$pf" | od -An -c | tr -d ' ')" = '177ELF' ] && break
		pf=
	done
	if [ -n "$pf" ]; then
		mkdir -p "$root/usr/bin" && cp "$pf" "$root/usr/bin/perf" || return 1
		vm_copy_libs "$root" "$pf" || return 1
	fi
	# bpftrace for the selftests only (its LLVM libraries add 200 MB)
	if [ "$payload" = pgmirror_test.sh ] && command -v bpftrace >/dev/null 2>&1; then
		mkdir -p "$root/usr/bin" && cp "$(command -v bpftrace)" "$root/usr/bin/" || return 1
		vm_copy_libs "$root" "$(command -v bpftrace)" || return 1
	fi
	# The fuzzer runs in the busybox guest: a static binary. Without a
	# static libc its cases skip; with one, a build that fails is a failure
	vm_build_static "$root" pgmirror_fuzz || return 1
	# make bench's control-write throughput and the selftests' parallel
	# writers, static for the same reason
	if [ "$payload" = bench.sh ] || [ "$payload" = pgmirror_test.sh ]; then
		vm_build_static "$root" pgmirror_ctlbench || return 1
	fi
	# The kernel's built-in initramfs already has /dev/console; add it when
	# we can, in case this kernel's does not.
	[ "$(id -u)" -eq 0 ] && mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null
	{
		echo '#!/bin/busybox sh'
		echo '/bin/busybox --install -s /bin'
		echo 'export PATH=/bin:/sbin:/usr/bin HOME=/ TERM=dumb'
		echo 'mount -t proc proc /proc'
		echo 'mount -t sysfs sysfs /sys'
		echo 'mount -t debugfs debugfs /sys/kernel/debug'
		echo 'mount -t devtmpfs devtmpfs /dev 2>/dev/null'
		echo 'mount -t tmpfs tmpfs /tmp'
		echo '# Kernel messages go to dmesg, dumped below, not into the KTAP stream.'
		echo 'dmesg -n 1'
		echo 'cd /pgm'
		echo '# A newline first: the firmware leaves the console mid-line.'
		echo 'echo; echo "=== PGM-BEGIN"'
		printf 'sh /pgm/%s /pgm/pgmirror.ko' "$payload"
		printf ' %q' "$@"
		echo '; rc=$?'
		echo 'echo "=== PGM-RC $rc"'
		echo 'echo "=== PGM-DMESG-BEGIN"'
		echo 'dmesg'
		echo 'echo "=== PGM-DMESG-END"'
		echo 'echo "=== PGM-END"'
		echo '# Let the UART drain before the power goes.'
		echo 'sleep 1'
		echo 'poweroff -f'
	} >"$root/init"
	chmod 755 "$root/init" "$root"/pgm/*.sh
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
		gzip -1 >"$VM_INITRD"
}

# vm_boot: boots $VM_INITRD, console to $VM_LOG.  Returns timeout's status.
vm_boot() {
	local t=${PGM_VM_TIMEOUT:-600} rc
	VM_LOG=${VM_INITRD%.gz}.log
	# shellcheck disable=SC2016
	# One TCG thread for all vCPUs: multi-threaded TCG has been seen to
	# oops Debian's kernel at boot while it patches its own text (int3).
	set -- qemu-system-x86_64 -accel "tcg,thread=${PGM_VM_TCG:-single}" -m "${PGM_VM_MEM:-2G}" -smp "${PGM_VM_SMP:-2}" \
		-nographic -no-reboot -net none \
		-kernel "$VM_KERNEL" -initrd "$VM_INITRD" \
		-append "console=ttyS0 panic=-1 memmap=256M\$0x40000000 quiet ${PGM_VM_APPEND:-}"
	echo "vm: $* (timeout ${t}s)"
	VM_START=$(date +%s)
	# Drop carriage returns and the firmware's terminal escapes (ESC c,
	# ESC [?7l, ESC [2J ...), which would otherwise prefix the first marker.
	timeout --foreground -k 10 "$t" "$@" </dev/null 2>&1 |
		sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[A-Za-z]//g' >"$VM_LOG"
	rc=${PIPESTATUS[0]}
	VM_SECS=$(( $(date +%s) - VM_START ))
	echo "vm: qemu exited with $rc after ${VM_SECS}s; console log $VM_LOG"
	return "$rc"
}

# vm_section BEGIN END: the lines strictly between two markers of $VM_LOG
vm_section() {
	awk -v b="$1" -v e="$2" '
		index($0, e) == 1 { on = 0 }
		on { print }
		length($0) >= length(b) && substr($0, length($0) - length(b) + 1) == b { on = 1 }' "$VM_LOG"
}

vm_run() {
	local payload=$1
	shift
	VM_OUT='' VM_DMESG='' VM_RC='' VM_TIMEDOUT=0 VM_ENDED=0
	vm_initramfs "$payload" "$@" || { pgm_log "building the initramfs failed"; return 1; }
	for try in 1 2 3; do
		vm_boot
		VM_QEMU_RC=$?
		# A guest that died before /init started cannot have run pgmirror:
		# that is the emulator, so boot again (at most three times).
		grep -q '=== PGM-BEGIN$' "$VM_LOG" && break
		[ "$try" -lt 3 ] && echo "vm: the guest died before /init ran; booting again"
	done
	[ "$VM_QEMU_RC" -eq 124 ] || [ "$VM_QEMU_RC" -eq 137 ] && VM_TIMEDOUT=1
	grep -qx '=== PGM-END' "$VM_LOG" && VM_ENDED=1
	VM_OUT=$(vm_section '=== PGM-BEGIN' '=== PGM-RC')
	# No PGM-RC: the payload died; take everything after PGM-BEGIN.
	[ -z "$VM_OUT" ] && VM_OUT=$(sed -n '/=== PGM-BEGIN$/,$p' "$VM_LOG" | sed 1d)
	VM_RC=$(sed -n 's/^=== PGM-RC \([0-9]*\)$/\1/p' "$VM_LOG" | tail -n 1)
	VM_DMESG=$(vm_section '=== PGM-DMESG-BEGIN' '=== PGM-DMESG-END')
	return 0
}

# vm_problems: prints what went wrong with the last vm_run (empty: nothing)
vm_problems() {
	[ "$VM_TIMEDOUT" -eq 1 ] && echo "timeout: the VM did not power off within ${PGM_VM_TIMEOUT:-600}s"
	[ "$VM_ENDED" -eq 1 ] || echo "missing end marker (=== PGM-END): the guest crashed, panicked or hung"
	if [ -n "$VM_DMESG" ] && printf '%s\n' "$VM_DMESG" | grep -E -q "$VM_SPLATS"; then
		echo "dmesg has a WARNING/BUG/Oops/GPF/lockdep report"
	fi
	# Panics and oopses go to the console even with dmesg -n 1.
	if [ "$VM_ENDED" -ne 1 ] && grep -E -q "$VM_SPLATS" "$VM_LOG"; then
		echo "console has a kernel splat"
	fi
	return 0
}

# vm_check NAME: after a payload that must exit 0, print what went wrong
# as "NAME: FAIL: ..." lines with the splat or console context; fails if
# anything did
vm_check() {
	local problems
	problems=$(vm_problems)
	[ "${VM_RC:-1}" -eq 0 ] ||
		problems="$problems${problems:+$'\n'}$1 payload exited ${VM_RC:-?}"
	[ -z "$problems" ] && return 0
	printf '%s\n' "$problems" | sed "s/^/$1: FAIL: /"
	vm_show_problems
	return 1
}

# vm_show_problems: the splat context from dmesg, or the console tail
vm_show_problems() {
	if [ -n "$VM_DMESG" ] && printf '%s\n' "$VM_DMESG" | grep -E -q "$VM_SPLATS"; then
		printf '%s\n' "$VM_DMESG" | grep -E -B5 -A40 "$VM_SPLATS" | head -n 150 | sed 's/^/dmesg: /'
	elif [ "$VM_ENDED" -ne 1 ]; then
		tail -n 60 "$VM_LOG" | sed 's/^/console: /'
	fi
}
