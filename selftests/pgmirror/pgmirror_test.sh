#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pgmirror end-to-end selftests through insmod and debugfs.  busybox sh
# compatible; KTAP output; kselftest exit codes (0 pass, 1 fail, 4 skip).
#
#   pgmirror_test.sh [path/to/pgmirror.ko]
#
# Without an argument it uses $PGMIRROR_KO, then ./pgmirror.ko next to this
# script, then `modinfo -n pgmirror`.  The carve-out cases need the boot
# parameter memmap=256M$0x40000000 (PGM_BASE overrides the base); without the
# reservation they are skipped and the rest run in borrow mode.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

KO=${1:-${PGMIRROR_KO:-}}
if [ -z "$KO" ]; then
	KO=$(dirname "$0")/pgmirror.ko
	[ -f "$KO" ] || KO=$(modinfo -n pgmirror 2>/dev/null)
fi
NAME=pgm0
DBG=/sys/kernel/debug/pgmirror
D=$DBG/$NAME
BASE=${PGM_BASE:-0x40000000}
CARVE_SIZE=256M
CARVE_BYTES=$((256 << 20))
BORROW_SIZE=64M
TMP=${TMPDIR:-/tmp}/pgmirror_test.$$
# Baseline buddyinfo of the currently loaded instance, after a drain
BASELINE=

# --------------------------------------------------------------- helpers ---

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

is_loaded() {
	grep -q '^pgmirror ' /proc/modules
}

unload() {
	is_loaded || return 0
	rmmod pgmirror 2>"$TMP/rmmod.err"
	local rc=$?
	[ $rc -eq 0 ] || diag "rmmod failed ($rc): $(cat "$TMP/rmmod.err")"
	return $rc
}

# load PARAMS...: insmod after unloading; INSMOD_RC / INSMOD_ERR
load() {
	unload || return 1
	BASELINE=
	insmod "$KO" "$@" 2>"$TMP/insmod.err"
	INSMOD_RC=$?
	INSMOD_ERR=$(cat "$TMP/insmod.err")
	return $INSMOD_RC
}

# Hex spelling of the carve-out in /proc/iomem: "40000000-4fffffff"
iomem_range() {
	printf '%08x-%08x' $((BASE)) $((BASE + CARVE_BYTES - 1))
}

have_carveout() {
	grep -q "^ *$(iomem_range) : " /proc/iomem
}

# load_default: the carve-out if reserved, else borrowed memory
load_default() {
	if [ "$HAVE_CARVE" = 1 ]; then
		load base="$BASE" size=$CARVE_SIZE "$@"
	else
		load size=$BORROW_SIZE "$@"
	fi || { diag "insmod failed ($INSMOD_RC): $INSMOD_ERR"; return 1; }
	[ -d "$D" ] || { diag "$D missing after insmod"; return 1; }
}

need_loaded() {
	if is_loaded && [ -d "$D" ]; then
		return 0
	fi
	load_default
}

# ctl CMD: one write to control; CTL_RC, CTL_ERR (shell's write error) and
# CTL_STATUS (what control reads back afterwards).  The write is a single
# write(2) of CMD plus a newline.
ctl() {
	CTL_ERR=$({ printf '%s\n' "$1" >"$D/control"; } 2>&1)
	CTL_RC=$?
	CTL_STATUS=$(cat "$D/control" 2>&1)
	return $CTL_RC
}

# ctl_ok CMD: ctl and require success and an "ok:" status
ctl_ok() {
	if ! ctl "$1"; then
		diag "'$1': write failed; control: $CTL_STATUS"
		return 1
	fi
	case $CTL_STATUS in
	ok:*) return 0 ;;
	esac
	diag "'$1' succeeded but control reads '$CTL_STATUS'"
	return 1
}

bi() {
	cat "$D/buddyinfo"
}

stat_val() {
	awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print "missing" }' "$D/stats"
}

# Sum of a set of stats, e.g. stat_sum '^pgalloc_'
stat_sum() {
	awk -v re="$1" '$1 ~ re { s += $2 } END { print s + 0 }' "$D/stats"
}

# Free pages counted from buddyinfo
bi_pages() {
	# busybox awk may lack math support (no ^), so double by hand
	bi | awk '{ p = 1; for (i = 5; i <= NF; i++) { s += $i * p; p *= 2 } } END { printf "%d\n", s }'
}

verify_ok() {
	local v
	v=$(cat "$D/verify" 2>&1)
	if [ "$v" != ok ]; then
		diag "verify: $(printf '%s' "$v" | head -n 20)"
		return 1
	fi
}

# drain and record the buddyinfo the instance returns to when all is freed
baseline() {
	if [ "$(stat_val nr_handles)" != 0 ]; then
		diag "freeing $(stat_val nr_handles) handles left by an earlier case"
		ctl "free all"
	fi
	ctl_ok drain || return 1
	BASELINE=$(bi)
}

# back_to_baseline: after freeing everything, drain and compare
back_to_baseline() {
	local now
	ctl_ok drain || return 1
	now=$(bi)
	if [ "$now" != "$BASELINE" ]; then
		diag "buddyinfo differs from the baseline:"
		diag "$(printf 'before:\n%s\nafter:\n%s\n' "$BASELINE" "$now")"
		return 1
	fi
	[ "$(stat_val nr_handles)" = 0 ] ||
		{ diag "nr_handles is $(stat_val nr_handles), want 0"; return 1; }
}

# finish_scenario: verify, free everything, back to the baseline, verify
# again and unload; every step runs even when one fails
finish_scenario() {
	local ret=0
	verify_ok || ret=1
	ctl_ok "free all" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	unload || ret=1
	return $ret
}

iomem_has_pgmirror() {
	grep -q ' : pgmirror$' /proc/iomem
}

dmesg_lines() {
	dmesg | wc -l
}

# errno_is RC ERRTEXT NAME: insmod's status matches errno NAME.  busybox
# insmod exits with the errno; kmod's prints strerror.
errno_is() {
	local num text
	case $3 in
	EINVAL) num=22 text='Invalid argument' ;;
	EBUSY) num=16 text='Device or resource busy' ;;
	ENOMEM) num=12 text='Cannot allocate memory' ;;
	E2BIG) num=7 text='Argument list too long' ;;
	*) return 1 ;;
	esac
	[ "$1" -eq "$num" ] || printf '%s' "$2" | grep -q "$text"
}

# ----------------------------------------------------------------- cases ---

# param_err "PARAMS" ERRNO: insmod must fail with ERRNO and leave nothing
param_err() {
	local n0 new ret=0
	unload || return 1
	n0=$(dmesg_lines)
	# shellcheck disable=SC2086
	if load $1; then
		diag "insmod $1 succeeded, want $2"
		unload
		return 1
	fi
	if ! errno_is "$INSMOD_RC" "$INSMOD_ERR" "$2"; then
		diag "insmod $1: rc $INSMOD_RC ($INSMOD_ERR), want $2"
		ret=1
	fi
	if is_loaded; then
		diag "module still listed in /proc/modules"
		ret=1
	fi
	if [ -e "$DBG" ]; then
		diag "$DBG left behind"
		ret=1
	fi
	if iomem_has_pgmirror; then
		diag "/proc/iomem still lists pgmirror"
		ret=1
	fi
	# The kernel's own lines on a first load (taint, signature) are no reason
	new=$(dmesg | tail -n +$((n0 + 1)) | grep 'pgmirror: ' |
		grep -v 'taints kernel\|module verification failed')
	if [ -z "$new" ]; then
		diag "no 'pgmirror: ...' line in dmesg explaining the failure"
		ret=1
	else
		diag "dmesg: $(printf '%s\n' "$new" | head -n 3)"
	fi
	return $ret
}

# no_carve: why a carve-out case cannot run. A box booted without a
# memmap= reservation at $BASE skips; one booted with it whose reservation
# is not in /proc/iomem fails
no_carve() {
	if grep -qF "\$$BASE" /proc/cmdline; then
		diag "memmap= is on the command line, but /proc/iomem has no $(iomem_range)"
		return 1
	fi
	SKIP_REASON="no memmap= reservation at $BASE"
	return $KSFT_SKIP
}

carve_param_err() {
	[ "$HAVE_CARVE" = 1 ] || { no_carve; return; }
	param_err "$@"
}

t_load_carveout() {
	local line
	[ "$HAVE_CARVE" = 1 ] || { no_carve; return; }
	load base="$BASE" size=$CARVE_SIZE ||
		{ diag "insmod failed ($INSMOD_RC): $INSMOD_ERR"; return 1; }
	line=$(grep ' : pgmirror$' /proc/iomem)
	diag "iomem: $line"
	case $line in
	*"$(iomem_range) : pgmirror") ;;
	*) diag "want '$(iomem_range) : pgmirror' in /proc/iomem"; return 1 ;;
	esac
	[ -d "$D" ] || { diag "$D missing"; return 1; }
	verify_ok
}

# want_mode FILE: the mode each debugfs file is made with, root-only
want_mode() {
	case $1 in
	control | bench | replay) echo 600 ;;
	allocations | owners | stats | verify | buddyinfo | pagetypeinfo | \
	zoneinfo | extfrag_index | unusable_index | pageblocks | tunables | \
	explain) echo 400 ;;
	*) echo unknown ;;
	esac
}

t_debugfs_files() {
	local f mode want ret=0
	need_loaded || return 1
	for f in control allocations owners stats verify bench buddyinfo pagetypeinfo zoneinfo \
		 extfrag_index unusable_index pageblocks tunables replay explain; do
		if [ ! -f "$D/$f" ]; then
			diag "$D/$f missing"
			ret=1
			continue
		fi
		if ! cat "$D/$f" >"$TMP/out" 2>"$TMP/err"; then
			diag "reading $f failed: $(cat "$TMP/err")"
			ret=1
		elif [ "$f" != control ] && [ ! -s "$TMP/out" ]; then
			diag "$f reads empty"
			ret=1
		fi
	done
	# Every file there, listed or not, has its exact mode
	for f in "$D"/* "$DBG/control"; do
		[ -f "$f" ] || continue
		mode=$(stat -c %a "$f")
		want=$(want_mode "${f##*/}")
		[ "$mode" = "$want" ] ||
			{ diag "$f has mode $mode, want $want"; ret=1; }
	done
	verify_ok || ret=1
	return $ret
}

t_proc_formats() {
	local bad ret=0
	need_loaded || return 1
	ctl_ok drain || return 1
	# /proc/buddyinfo: "Node 0, zone   Normal      1      0 ..." with 11 orders
	bad=$(bi | grep -Ev '^Node [0-9]+, zone +[A-Za-z0-9]+( +[0-9]+){11} *$')
	[ -z "$bad" ] || { diag "buddyinfo lines not in /proc format: $bad"; ret=1; }
	[ -n "$(bi)" ] || { diag "buddyinfo is empty"; ret=1; }
	grep -q '^Page block order: ' "$D/pagetypeinfo" ||
		{ diag "pagetypeinfo lacks 'Page block order:'"; ret=1; }
	grep -Eq '^Node [0-9]+, zone +[A-Za-z0-9]+$' "$D/zoneinfo" ||
		{ diag "zoneinfo lacks 'Node N, zone NAME' lines"; ret=1; }
	grep -Eq '^ +pages free +[0-9]+$' "$D/zoneinfo" ||
		{ diag "zoneinfo lacks 'pages free'"; ret=1; }
	grep -Eq '^      nr_inactive_anon [0-9]+$' "$D/zoneinfo" ||
		{ diag "zoneinfo lacks the per-node nr_inactive_anon"; ret=1; }
	head -n 1 "$D/allocations" | grep -q '^handle order pfn node zone migratetype tag owner kind dirty pages source$' ||
		{ diag "allocations header: $(head -n 1 "$D/allocations")"; ret=1; }
	# Each pcp CPU may keep a delta of the zone counters, as upstream's
	grep -Eq '^  vm stats threshold: [1-9][0-9]*$' "$D/zoneinfo" ||
		{ diag "zoneinfo: $(grep 'vm stats threshold' "$D/zoneinfo" | head -n 1)"; ret=1; }
	# With the pcp lists drained, the free lists hold every free page, and
	# with the per-CPU deltas folded (stat_refresh) the counter says so.
	ctl_ok drain || ret=1
	ctl_ok stat_refresh || ret=1
	if [ "$(bi_pages)" != "$(stat_val nr_free_pages)" ]; then
		diag "buddyinfo counts $(bi_pages) free pages, stats nr_free_pages $(stat_val nr_free_pages)"
		ret=1
	fi
	verify_ok || ret=1
	return $ret
}

# The keys of the first populated zone's lines up to its pagesets, the
# per-node block left out (its counters are the ones pgmirror keeps)
zone_keys() {
	awk '
	/^Node [0-9]+, zone/ { n = 0; skip = 0; next }
	/^  per-node stats/ { skip = 1; next }
	/^  pages free/ { skip = 0; k[n++] = "pages_free"; next }
	skip { next }
	/^  pagesets/ { for (i = 0; i < n; i++) print k[i]; exit }
	{ k[n++] = $1 }
	' "$1"
}

# zoneinfo's zone lines against the running kernel's /proc/zoneinfo: the
# same names in the same order, where that kernel is a 6.12, the format
# pgmirror follows. nr_zspages and nr_unaccepted depend on the kernel's
# config: pgmirror prints them as Debian's 6.12 does, and they are left
# out where the running kernel has none.
t_zoneinfo_host_lines() {
	local k ret=0
	need_loaded || return 1
	case "$(uname -r)" in
	6.12.*) ;;
	*) SKIP_REASON="running $(uname -r), not a 6.12 kernel"; return $KSFT_SKIP ;;
	esac
	zone_keys /proc/zoneinfo > "$TMP/zk_host"
	[ -s "$TMP/zk_host" ] || { diag "no populated zone in /proc/zoneinfo"; return 1; }
	zone_keys "$D/zoneinfo" > "$TMP/zk_pgm"
	for k in nr_zspages nr_unaccepted; do
		grep -qx "$k" "$TMP/zk_host" ||
			{ grep -vx "$k" "$TMP/zk_pgm" > "$TMP/zk_x"; mv "$TMP/zk_x" "$TMP/zk_pgm"; }
	done
	if ! cmp -s "$TMP/zk_host" "$TMP/zk_pgm"; then
		diag "zone lines differ from /proc/zoneinfo: $(diff "$TMP/zk_host" "$TMP/zk_pgm" | grep '^[<>]' | tr '\n' ' ')"
		ret=1
	fi
	grep -qx nr_unaccepted "$TMP/zk_host" && diag "the running kernel has nr_unaccepted: compared whole"
	return $ret
}

t_set_tunables() {
	local z0 z1 ret=0
	need_loaded || return 1
	z0=$(grep -E '^ +(min|low|high) ' "$D/zoneinfo")
	ctl_ok "set watermark_scale_factor=1000" || return 1
	z1=$(grep -E '^ +(min|low|high) ' "$D/zoneinfo")
	[ "$z0" != "$z1" ] || { diag "watermarks unchanged by watermark_scale_factor=1000"; ret=1; }
	ctl_ok "set watermark_scale_factor=10" || ret=1
	z1=$(grep -E '^ +(min|low|high) ' "$D/zoneinfo")
	[ "$z0" = "$z1" ] || { diag "watermarks not restored by watermark_scale_factor=10"; ret=1; }
	ctl_ok "set watermark_boost_factor=15000" || ret=1
	# As the sysctl: 0 is taken as written, min watermarks of 0
	ctl_ok "set min_free_kbytes=0" || ret=1
	# (an empty Movable zone keeps its clamp of SWAP_CLUSTER_MAX, 32)
	z1=$(awk '/^Node/ { z = $4 } $1 == "min" && z == "Normal" { print $2 }' "$D/zoneinfo")
	[ "$z1" = 0 ] || { diag "Normal's min watermark is '$z1' after min_free_kbytes=0, want 0"; ret=1; }
	# A short write, as the sysctl takes: the rest keep theirs, below 1 is 0
	ctl_ok "set lowmem_reserve_ratio=-5,64" || ret=1
	[ "$CTL_STATUS" = "ok: lowmem_reserve_ratio=0,64,32,0" ] ||
		{ diag "short lowmem_reserve_ratio write: $CTL_STATUS"; ret=1; }
	ctl_ok "set lowmem_reserve_ratio=256,256,32,0" || ret=1
	ctl_ok "set percpu_pagelist_high_fraction=0" || ret=1
	ctl_ok "set zone_reclaim_mode=0" || ret=1
	ctl_ok "set min_unmapped_ratio=1" || ret=1
	ctl_ok "set min_slab_ratio=5" || ret=1
	ctl_ok "set dirty_ratio=20" || ret=1
	verify_ok || ret=1
	# Fresh watermarks for the cases after this one
	unload || ret=1
	return $ret
}

# bad_cmd CMD ERRNO-ERE: the write fails, control reads "error: ERRNO: ...",
# and nothing changed
bad_cmd() {
	local b0 b1 h0 h1 t0 t1 o0 o1 ret=0
	need_loaded || return 1
	b0=$(bi)
	h0=$(stat_val nr_handles)
	t0=$(cat "$D/tunables")
	o0=$(cat "$D/owners")
	if ctl "$1"; then
		diag "write of '$1' succeeded; control: $CTL_STATUS"
		ret=1
	fi
	case $CTL_STATUS in
	error:*) diag "control: $CTL_STATUS" ;;
	*) diag "control reads '$CTL_STATUS', want 'error: ...'"; ret=1 ;;
	esac
	if ! printf '%s\n' "$CTL_STATUS" | grep -Eq "^error: ($2): .+"; then
		diag "want errno $2 and a reason"
		ret=1
	fi
	b1=$(bi)
	h1=$(stat_val nr_handles)
	t1=$(cat "$D/tunables")
	o1=$(cat "$D/owners")
	[ "$b0" = "$b1" ] || { diag "buddyinfo changed"; ret=1; }
	[ "$h0" = "$h1" ] || { diag "nr_handles changed $h0 -> $h1"; ret=1; }
	[ "$t0" = "$t1" ] || { diag "tunables changed"; ret=1; }
	[ "$o0" = "$o1" ] || { diag "owners changed"; ret=1; }
	verify_ok || ret=1
	# Undo a command that should not have worked, for the cases after us.
	[ $CTL_RC -eq 0 ] && case $1 in alloc*) ctl "free all" ;; esac
	return $ret
}

t_long_line() {
	local line="alloc"
	while [ ${#line} -lt 293 ]; do
		line="$line "
	done
	line="$line count=1"	# 300 bytes, 301 with the newline
	bad_cmd "$line" EINVAL
}

t_double_free() {
	local h
	need_loaded || return 1
	ctl_ok "alloc order=2 tag=dfree" || return 1
	h=$(awk '$7 == "dfree" { print $1 }' "$D/allocations")
	[ -n "$h" ] || { diag "no handle tagged dfree in allocations"; return 1; }
	ctl_ok "free handle=$h" || return 1
	bad_cmd "free handle=$h" ENOENT
}

t_round_trip() {
	local p0 f0 h0 n ret=0
	need_loaded || return 1
	baseline || return 1
	h0=$(stat_val nr_handles)
	p0=$(stat_sum '^pgalloc_')
	f0=$(stat_val pgfree)
	ctl_ok "alloc order=0 count=1000 tag=rt0" || ret=1
	diag "$CTL_STATUS"
	ctl_ok "alloc order=3 count=16 gfp=GFP_HIGHUSER_MOVABLE tag=rt3" || ret=1
	diag "$CTL_STATUS"
	ctl_ok "alloc order=9 count=2 tag=rt9" || ret=1
	ctl_ok "alloc order=10 gfp=GFP_KERNEL|__GFP_ZERO tag=rt10" || ret=1
	ctl_ok "alloc order=2 count=8 gfp=GFP_ATOMIC tag=rta" || ret=1
	ctl_ok "alloc order=1 count=8 gfp=GFP_NOWAIT|__GFP_NOWARN tag=rtn" || ret=1
	[ $ret -eq 0 ] || return 1
	# 1000 + 16 + 2 + 1 + 8 + 8 handles
	n=$(($(stat_val nr_handles) - h0))
	[ "$n" -eq 1035 ] || { diag "nr_handles grew by $n, want 1035"; ret=1; }
	n=$(awk 'NR > 1 && $7 ~ /^rt/' "$D/allocations" | wc -l)
	[ "$n" -eq 1035 ] || { diag "allocations lists $n rt* handles, want 1035"; ret=1; }
	n=$(awk 'NR > 1 && NF != 12' "$D/allocations" | wc -l)
	[ "$n" -eq 0 ] || { diag "$n allocations lines without 12 fields"; ret=1; }
	n=$(awk '$7 == "rt3" && $2 != 3' "$D/allocations" | wc -l)
	[ "$n" -eq 0 ] || { diag "rt3 handles with order != 3"; ret=1; }
	[ "$(bi)" != "$BASELINE" ] || { diag "buddyinfo unchanged by allocating"; ret=1; }
	# 1000 + 16*8 + 2*512 + 1024 + 8*4 + 8*2 pages
	n=$(($(stat_sum '^pgalloc_') - p0))
	[ "$n" -eq 3224 ] || { diag "pgalloc_* grew by $n, want 3224 pages"; ret=1; }
	verify_ok || ret=1
	for t in rt0 rt3 rt9 rt10 rta rtn; do
		ctl_ok "free tag=$t" || ret=1
	done
	n=$(($(stat_val pgfree) - f0))
	[ "$n" -eq 3224 ] || { diag "pgfree grew by $n, want 3224 pages"; ret=1; }
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

FUZZ=$(dirname "$0")/pgmirror_fuzz
# The user tools: beside this script in the VM and in an install, else
# in the tree's scripts/
TOOLS=$(dirname "$0")
[ -x "$TOOLS/pgmirror-replay" ] || TOOLS=$(dirname "$0")/../../scripts

# 50,000 fuzzed control lines: every refused one leaves the state as it was
t_fuzz_control() {
	local ret=0
	[ -x "$FUZZ" ] || { SKIP_REASON="pgmirror_fuzz not built"; return $KSFT_SKIP; }
	need_loaded || return 1
	ctl_ok "free all" || return 1
	"$FUZZ" control "$D" "${PGM_FUZZ_LINES:-50000}" "${PGM_FUZZ_SEED:-1}" || ret=1
	verify_ok || ret=1
	return $ret
}

# A control write stalled in copy_from_user (userfaultfd) holds no lock:
# readers and writers pass it within a second, and SIGKILL ends it. The
# instance's destroy waits for it, but lets others be made meanwhile.
t_stalled_write() {
	local rc ret=0
	[ -x "$FUZZ" ] || { SKIP_REASON="pgmirror_fuzz not built"; return $KSFT_SKIP; }
	need_loaded || return 1
	top_ok "create name=stall size=8M backing=none" || return 1
	"$FUZZ" stall "$DBG/stall" 1 0
	rc=$?
	[ -d "$DBG/stall" ] && { top_ok "destroy name=stall" || ret=1; }
	# 4: the writer did not stall; with userfaultfd there, a write that
	# returned at once is the bug this case is for
	if [ $rc -eq 4 ]; then
		[ -e /proc/sys/vm/unprivileged_userfaultfd ] ||
			{ SKIP_REASON="no userfaultfd in this kernel"; return $KSFT_SKIP; }
		diag "userfaultfd is there but the control write did not stall"
		return 1
	fi
	[ $rc -eq 0 ] || ret=1
	verify_ok || ret=1
	return $ret
}

# 200 bad parameter sets: one dmesg line each, no splat; then a good insmod
t_fuzz_params() {
	local ret=0
	[ -x "$FUZZ" ] || { SKIP_REASON="pgmirror_fuzz not built"; return $KSFT_SKIP; }
	unload || return 1
	"$FUZZ" params "$KO" "${PGM_FUZZ_SETS:-200}" "${PGM_FUZZ_SEED:-1}" || ret=1
	is_loaded && { diag "a bad parameter set left the module loaded"; ret=1; }
	load_default || ret=1
	verify_ok || ret=1
	return $ret
}

TOP=$DBG/control

# top CMD: one write to the top-level control; TOP_RC, TOP_STATUS
top() {
	{ printf '%s\n' "$1" >"$TOP"; } 2>/dev/null
	TOP_RC=$?
	TOP_STATUS=$(head -n 1 "$TOP")
	return $TOP_RC
}

top_ok() {
	top "$1" || { diag "'$1': $TOP_STATUS"; return 1; }
}

# top_err CMD ERRNO: refused with that errno name, nothing created
top_err() {
	local n0 n1
	n0=$(wc -l <"$TOP")
	if top "$1"; then
		diag "'$1' succeeded, want $2"
		return 1
	fi
	case $TOP_STATUS in
	"error: $2: "?*) ;;
	*) diag "'$1': status '$TOP_STATUS', want error: $2: reason"; return 1 ;;
	esac
	n1=$(wc -l <"$TOP")
	[ "$n0" = "$n1" ] || { diag "'$1' changed the instance list"; return 1; }
}

t_no_size() {
	unload || return 1
	insmod "$KO" 2>"$TMP/insmod.err" || { diag "insmod without size= failed: $(cat "$TMP/insmod.err")"; return 1; }
	[ -f "$TOP" ] || { diag "$TOP missing"; return 1; }
	[ "$(stat -c %a "$TOP")" = 600 ] || { diag "$TOP is not 0600"; return 1; }
	[ -z "$(ls -d "$DBG"/*/ 2>/dev/null)" ] || { diag "an instance without size="; return 1; }
	head -n 1 "$TOP" | grep -q '^ok: ready$' || { diag "top control reads '$(head -n 1 "$TOP")'"; return 1; }
}

# Instances at run time: bad lines refused, 16 side by side, metadata only
t_instances() {
	local i ret=0
	unload || return 1
	insmod "$KO" || return 1
	top_err "create size=8M" EINVAL || ret=1
	top_err "create name=a" EINVAL || ret=1
	top_err "create name=a size=8M backing=floppy" EINVAL || ret=1
	top_err "create name=a size=8M backing=carveout" EINVAL || ret=1
	top_err "create name=a size=3M" EINVAL || ret=1
	top_err "create name=a size=8M nodes=9" EINVAL || ret=1
	top_err "create name=a size=8M colour=red" EINVAL || ret=1
	top_err "create name=control size=8M" EINVAL || ret=1
	top_err "create name=a size=17179869248M" E2BIG || ret=1
	top_err "destroy name=nosuch" ENOENT || ret=1
	top_err "frobnicate name=a" EINVAL || ret=1
	i=0
	while [ $i -lt 16 ]; do
		top_ok "create name=i$i size=8M nodes=$((1 + i % 2))" || ret=1
		i=$((i + 1))
	done
	top_err "create name=i3 size=8M" EEXIST || ret=1
	# Each with the node count it was made with
	[ "$(awk '$1 ~ /^i[0-9]+$/ && $2 == 8388608 && $3 == "borrow" &&
		   $4 == 1 + substr($1, 2) % 2' "$TOP" | wc -l)" = 16 ] ||
		{ diag "$(cat "$TOP")"; ret=1; }
	# One instance at a time: the others are untouched
	D=$DBG/i5
	ctl_ok "alloc order=2 count=50 tag=x" || ret=1
	D=$DBG/i6
	[ "$(stat_val pgalloc_normal)" = 0 ] || { diag "i6 moved with i5"; ret=1; }
	i=0
	while [ $i -lt 16 ]; do
		D=$DBG/i$i
		verify_ok || ret=1
		i=$((i + 1))
	done
	# A 64 GiB, four-node machine with no memory behind it
	top_ok "create name=big size=64G backing=none nodes=4 zones=DMA32:4G,NORMAL:*" || ret=1
	diag "$(grep '^big ' "$TOP")"
	D=$DBG/big
	ctl_ok "alloc order=9 count=100 nid=3" || ret=1
	ctl "alloc gfp=GFP_KERNEL|__GFP_ZERO"
	case $CTL_STATUS in
	"error: EINVAL: "*none*) ;;
	*) diag "__GFP_ZERO on backing=none: '$CTL_STATUS'"; ret=1 ;;
	esac
	verify_ok || ret=1
	top_ok "destroy name=big" || ret=1
	[ -e "$DBG/big" ] && { diag "$DBG/big left after destroy"; ret=1; }
	top_ok "destroy name=i0" || ret=1
	D=$DBG/$NAME
	# rmmod takes the other 15 down, live allocations and all
	unload || ret=1
	[ -e "$DBG" ] && { diag "$DBG left after rmmod"; ret=1; }
	return $ret
}

# record_trace FILE: the host's own kmem events while page cache comes and
# goes and processes start; then vm.stat_refresh, whose pcp high decay
# drains the pcp lists the freed file left full, so that the trace always
# holds mm_page_pcpu_drain events (a free alone may fit under an
# auto-tuned high)
record_trace() {
	"$TOOLS/pgmirror-record" "$1" -- sh -c "dd if=/dev/zero of=$TMP/ws bs=1M count=32 2>/dev/null
		i=0
		while [ \$i -lt 20 ]; do sh -c 'cat /proc/meminfo' >/dev/null; i=\$((i + 1)); done
		rm -f $TMP/ws
		i=0
		while [ \$i -lt 8 ]; do echo 1 >/proc/sys/vm/stat_refresh; i=\$((i + 1)); done
		true" 2>/dev/null
}

# replay_val INSTANCE KEY
replay_val() {
	awk -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print "missing" }' "$DBG/$1/replay"
}

# A trace recorded here, replayed through two fresh instances of one shape
t_replay() {
	local tr=$TMP/kmem.trace ev ret=0 n
	need_loaded || return 1
	record_trace "$tr" || return 1
	diag "trace: $(wc -l <"$tr") lines, $(grep -c mm_page_alloc: "$tr") allocations"
	for n in rp1 rp2; do
		top_ok "create name=$n size=512M backing=none" || return 1
		echo "set kswapd=0" >"$DBG/$n/control" || ret=1
		"$TOOLS/pgmirror-replay" "$tr" --instance "$n" >"$TMP/replay.$n" 2>&1 ||
			{ diag "pgmirror-replay: $(cat "$TMP/replay.$n")"; ret=1; }
	done
	diag "$(grep -E '^(events|alloc|free|free_unknown|skipped|malformed|throughput) ' "$TMP/replay.rp1" | tr '\n' ' ')"
	ev=$(replay_val rp1 events)
	[ "$ev" -gt 1000 ] 2>/dev/null || { diag "only $ev events replayed"; ret=1; }
	[ "$(replay_val rp1 alloc)" -gt 0 ] 2>/dev/null || { diag "no allocation replayed"; ret=1; }
	# Against the trace itself: every mm_page_alloc line is replayed,
	# failed in the mirror, or a failure the trace recorded
	n=$(($(replay_val rp1 alloc) + $(replay_val rp1 alloc_fail) + $(replay_val rp1 traced_fail)))
	[ "$n" = "$(grep -c 'mm_page_alloc:' "$tr")" ] ||
		{ diag "$n allocations counted, $(grep -c 'mm_page_alloc:' "$tr") in the trace"; ret=1; }
	[ "$(replay_val rp1 malformed)" = 0 ] || { diag "malformed lines in the host's own trace"; ret=1; }
	[ "$(replay_val rp1 skipped)" -gt 0 ] 2>/dev/null || { diag "mm_page_pcpu_drain not skipped"; ret=1; }
	cmp -s "$DBG/rp1/replay" "$DBG/rp2/replay" || { diag "two replays counted differently"; ret=1; }
	# Broken lines and a line split over two writes of one open file
	{
		printf 'garbage\nt-1 [000] ..... 1.0: mm_page_al'
		printf 'loc: page=0000000000000001 pfn=0x77 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n'
	} >"$DBG/rp1/replay" || ret=1
	[ "$(replay_val rp1 malformed)" = 1 ] || { diag "garbage not counted"; ret=1; }
	[ "$(replay_val rp1 events)" = $((ev + 1)) ] || { diag "the split line was not one event"; ret=1; }
	# A half line is dropped when its file closes: the next open starts afresh
	printf 't-1 [000] ..... 1.0: mm_page_al' >"$DBG/rp1/replay" || ret=1
	printf 'loc: page=0000000000000001 pfn=0x78 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n' >"$DBG/rp1/replay" || ret=1
	[ "$(replay_val rp1 malformed)" = 2 ] || { diag "a half line of a closed file was completed by the next"; ret=1; }
	[ "$(replay_val rp1 events)" = $((ev + 1)) ] || { diag "a half line of a closed file made an event"; ret=1; }
	for n in rp1 rp2; do
		D=$DBG/$n
		verify_ok || ret=1
	done
	D=$DBG/$NAME
	cp "$tr" "$TMP/kept.trace"
	top_ok "destroy name=rp1" || ret=1
	top_ok "destroy name=rp2" || ret=1
	return $ret
}

# A trace.dat from trace-cmd record -e kmem, replayed as pgmirror-replay
# reads it: through trace-cmd report
t_replay_tracecmd() {
	local dat=$TMP/kmem.dat ret=0 n
	need_loaded || return 1
	if ! command -v trace-cmd >/dev/null 2>&1; then
		SKIP_REASON="no trace-cmd in this guest"
		return 4
	fi
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	trace-cmd record -q -e kmem:mm_page_alloc -e kmem:mm_page_free \
		-e kmem:mm_page_free_batched -o "$dat" \
		sh -c "dd if=/dev/zero of=$TMP/tc bs=1M count=16 2>/dev/null; rm -f $TMP/tc" \
		>"$TMP/tc.out" 2>&1 || { diag "trace-cmd record: $(tail -n 3 "$TMP/tc.out")"; return 1; }
	top_ok "create name=tc size=256M backing=none" || return 1
	"$TOOLS/pgmirror-replay" "$dat" --instance tc >"$TMP/tc.replay" 2>&1 ||
		{ diag "pgmirror-replay: $(cat "$TMP/tc.replay")"; ret=1; }
	diag "$(grep -E '^(events|alloc|free|batched|malformed) ' "$TMP/tc.replay" | tr '\n' ' ')"
	[ "$(replay_val tc alloc)" -gt 100 ] 2>/dev/null || { diag "only $(replay_val tc alloc) allocations from the trace.dat"; ret=1; }
	[ "$(replay_val tc malformed)" = 0 ] || { diag "malformed lines in trace-cmd report's text"; ret=1; }
	# trace-cmd record -e pgmirror sees pgmirror's own events
	trace-cmd record -q -e pgmirror -o "$TMP/pgm.dat" \
		sh -c "echo 'alloc order=2 count=10 tag=tcr' >$DBG/tc/control; echo 'free tag=tcr' >$DBG/tc/control" \
		>"$TMP/tc.out" 2>&1 || { diag "trace-cmd record -e pgmirror: $(tail -n 3 "$TMP/tc.out")"; ret=1; }
	n=$(trace-cmd report -i "$TMP/pgm.dat" 2>/dev/null | grep -c 'mm_page_alloc: *instance=tc ')
	[ "$n" = 10 ] || { diag "trace-cmd report shows $n pgmirror mm_page_alloc events for 10 allocations"; ret=1; }
	verify_destroy tc || ret=1
	return $ret
}

# perf record -e 'pgmirror:*' sees pgmirror's events, fields and all, as
# perf sees any tracepoint: 10 order-2 allocations, their frees
t_perf() {
	local ret=0 n
	need_loaded || return 1
	if ! command -v perf >/dev/null 2>&1; then
		SKIP_REASON="no perf in this guest"
		return 4
	fi
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	top_ok "create name=pf size=64M backing=none" || return 1
	perf record -q -e 'pgmirror:*' -a -o "$TMP/perf.data" -- \
		sh -c "echo 'alloc order=2 count=10 tag=pf' >$DBG/pf/control; echo 'free tag=pf' >$DBG/pf/control" \
		>"$TMP/perf.out" 2>&1 || { diag "perf record: $(tail -n 3 "$TMP/perf.out")"; ret=1; }
	perf script -i "$TMP/perf.data" >"$TMP/perf.txt" 2>"$TMP/perf.out" ||
		{ diag "perf script: $(tail -n 3 "$TMP/perf.out")"; ret=1; }
	n=$(grep -c 'pgmirror:mm_page_alloc: *instance=pf .*order=2' "$TMP/perf.txt")
	[ "$n" = 10 ] || { diag "perf script shows $n mm_page_alloc events for 10 allocations"; ret=1; }
	n=$(grep -c 'pgmirror:mm_page_free: *instance=pf .*order=2' "$TMP/perf.txt")
	[ "$n" = 10 ] || { diag "perf script shows $n mm_page_free events for 10 frees"; ret=1; }
	diag "$(grep -m 1 'pgmirror:mm_page_alloc:' "$TMP/perf.txt")"
	verify_destroy pf || ret=1
	return $ret
}

# verify_destroy NAME: the extra instance NAME verifies ok, then goes
verify_destroy() {
	local ret=0
	D=$DBG/$1
	verify_ok || ret=1
	D=$DBG/$NAME
	top_ok "destroy name=$1" || ret=1
	return $ret
}

# bpftrace attaches to a pgmirror tracepoint and reads its fields
t_bpftrace() {
	local ret=0
	need_loaded || return 1
	if ! command -v bpftrace >/dev/null 2>&1; then
		SKIP_REASON="no bpftrace in this guest"
		return 4
	fi
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	top_ok "create name=bt size=64M backing=none" || return 1
	cat >"$TMP/bt.bt" <<'EOF2'
tracepoint:pgmirror:mm_page_alloc /args->instance == "bt"/ { @allocs[args->order] = count(); }
EOF2
	echo "echo 'alloc order=3 count=7 tag=bt' >$DBG/bt/control" >"$TMP/bt.sh"
	bpftrace "$TMP/bt.bt" -c "/bin/sh $TMP/bt.sh" >"$TMP/bt.out" 2>&1 ||
		{ diag "bpftrace: $(tail -n 3 "$TMP/bt.out")"; ret=1; }
	diag "$(grep '@allocs' "$TMP/bt.out")"
	grep -q '^@allocs\[3\]: 7$' "$TMP/bt.out" || { diag "bpftrace did not count 7 order-3 allocations: $(tail -n 5 "$TMP/bt.out")"; ret=1; }
	echo "free tag=bt" >"$DBG/bt/control"
	verify_destroy bt || ret=1
	return $ret
}

# A/B on the recorded trace: mobility grouping on and off
t_ab() {
	local ret=0
	need_loaded || return 1
	[ -s "$TMP/kept.trace" ] || record_trace "$TMP/kept.trace" || return 1
	"$TOOLS/pgmirror-ab" "$TMP/kept.trace" --a "" --b "page_group_by_mobility=0" \
		--topology "size=256M backing=none" >"$TMP/ab" 2>&1 ||
		{ diag "pgmirror-ab: $(cat "$TMP/ab")"; return 1; }
	diag "$(cat "$TMP/ab")"
	grep -q '^extfrag_fallback ' "$TMP/ab" || { diag "no extfrag row"; ret=1; }
	grep -q '^pageblocks_Movable ' "$TMP/ab" || { diag "no pageblocks row"; ret=1; }
	grep -q '^unusable_order9_node0' "$TMP/ab" || { diag "no unusable row"; ret=1; }
	[ -z "$(ls -d "$DBG"/ab-* 2>/dev/null)" ] || { diag "pgmirror-ab left instances"; ret=1; }
	return $ret
}

# destroy and rmmod while a long replay writes: destroy stops the replay at
# once; rmmod is refused while the file is open, as for any debugfs file,
# and goes through when the write ends
# timed_destroy NAME: destroy instance NAME; the seconds it took in
# $destroy_s
timed_destroy() {
	local t0 t1 ret=0
	t0=$(cut -d' ' -f1 /proc/uptime)
	top_ok "destroy name=$1" || ret=1
	t1=$(cut -d' ' -f1 /proc/uptime)
	destroy_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
	return $ret
}

t_replay_rmmod() {
	local pid i=0 ret=0
	need_loaded || return 1
	[ -s "$TMP/kept.trace" ] || record_trace "$TMP/kept.trace" || return 1
	while [ $i -lt 30 ]; do
		cat "$TMP/kept.trace"
		i=$((i + 1))
	done >"$TMP/long.trace"
	top_ok "create name=rpm size=256M backing=none" || return 1
	# SIGKILL in the middle of a write: the replay stops, the instance
	# stays whole and takes the next write
	dd if="$TMP/long.trace" of="$DBG/rpm/replay" bs=1M conv=notrunc 2>/dev/null &
	pid=$!
	sleep 1
	kill -0 $pid 2>/dev/null || { diag "the replay ended within 1 s; nothing to kill"; ret=1; }
	kill -9 $pid 2>/dev/null
	wait $pid
	D=$DBG/rpm
	verify_ok || ret=1
	printf 'reset' >"$DBG/rpm/replay" || { diag "reset after a killed replay failed"; ret=1; }
	[ "$(replay_val rpm lines)" = 0 ] || { diag "reset after a killed replay left $(replay_val rpm lines) lines"; ret=1; }
	D=$DBG/$NAME

	dd if="$TMP/long.trace" of="$DBG/rpm/replay" bs=1M conv=notrunc 2>/dev/null &
	pid=$!
	sleep 1
	kill -0 $pid 2>/dev/null || { diag "the replay ended within 1 s; nothing to test"; ret=1; }
	timed_destroy rpm || ret=1
	wait $pid
	diag "destroy during a replay took $destroy_s s"
	# It stops at the next 256 lines, milliseconds even under TCG
	awk -v s="$destroy_s" 'BEGIN { exit !(s < 10) }' ||
		{ diag "destroy waited $destroy_s s for the replay"; ret=1; }
	[ -e "$DBG/rpm" ] && { diag "rpm left after destroy"; ret=1; }

	top_ok "create name=rpm size=256M backing=none" || return 1
	dd if="$TMP/long.trace" of="$DBG/rpm/replay" bs=1M conv=notrunc 2>/dev/null &
	pid=$!
	sleep 1
	kill -0 $pid 2>/dev/null || { diag "the second replay ended within 1 s"; ret=1; }
	i=0
	while is_loaded && [ $i -lt 600 ]; do
		rmmod pgmirror 2>/dev/null || sleep 0.1
		i=$((i + 1))
	done
	wait $pid
	diag "rmmod went through after $i tries"
	# The open replay file holds the module: the first try cannot succeed
	[ "$i" -ge 2 ] || { diag "rmmod went through at once, the replay open"; ret=1; }
	is_loaded && { diag "still loaded"; ret=1; }
	[ -e "$DBG" ] && { diag "$DBG left behind"; ret=1; }
	rm -f "$TMP/long.trace"
	return $ret
}

# The pgmirror trace system through tracefs: counts match stats, no
# pointer is printed, and the kmem-style lines replay
t_tracepoints() {
	local t=/sys/kernel/tracing tr=$TMP/pgm.trace f0 f1 n ret=0
	need_loaded || return 1
	[ -d "$t/events" ] || mount -t tracefs nodev "$t" 2>/dev/null
	[ -d "$t/events/pgmirror" ] || t=/sys/kernel/debug/tracing
	[ -d "$t/events/pgmirror" ] || { diag "no events/pgmirror in tracefs"; return 1; }
	for e in mm_page_alloc mm_page_free mm_page_free_batched mm_page_alloc_zone_locked \
		 mm_page_pcpu_drain mm_page_alloc_extfrag pgmirror_zone_skip \
		 pgmirror_fallback pgmirror_highatomic pgmirror_slowpath; do
		[ -d "$t/events/pgmirror/$e" ] || { diag "no event pgmirror:$e"; ret=1; }
	done
	echo 0 >"$t/tracing_on"
	echo 4096 >"$t/buffer_size_kb"
	: >"$t/trace"
	echo 1 >"$t/events/pgmirror/enable" || return 1
	f0=$(stat_val extfrag_fallback)
	echo 1 >"$t/tracing_on"
	ctl_ok "alloc order=0 count=100 tag=tp" || ret=1
	ctl_ok "free tag=tp" || ret=1
	ctl_ok "alloc order=3 count=20 tag=tp gfp=GFP_KERNEL|__GFP_RECLAIMABLE" || ret=1
	ctl_ok "free tag=tp" || ret=1
	ctl_ok "drain" || ret=1
	echo 0 >"$t/tracing_on"
	echo 0 >"$t/events/pgmirror/enable"
	f1=$(stat_val extfrag_fallback)
	grep "instance=$NAME " "$t/trace" >"$tr"
	: >"$t/trace"
	n=$(grep -c ': mm_page_alloc: ' "$tr")
	[ "$n" = 120 ] || { diag "$n mm_page_alloc events for 120 allocations"; ret=1; }
	n=$(grep -c ': mm_page_free: ' "$tr")
	[ "$n" = 120 ] || { diag "$n mm_page_free events for 120 frees"; ret=1; }
	n=$(grep -c ': mm_page_free_batched: ' "$tr")
	[ "$n" = 120 ] || { diag "$n mm_page_free_batched events for 120 batched frees"; ret=1; }
	n=$(grep -c ': mm_page_alloc_extfrag: ' "$tr")
	[ "$n" = $((f1 - f0)) ] || { diag "$n extfrag events, extfrag_fallback rose by $((f1 - f0))"; ret=1; }
	grep -q ': mm_page_pcpu_drain: ' "$tr" || { diag "no mm_page_pcpu_drain after drain"; ret=1; }
	grep -q ': pgmirror_slowpath: \|: pgmirror_fallback: \|: mm_page_alloc_zone_locked: ' "$tr" ||
		{ diag "no zone_locked or decision events"; ret=1; }
	if grep -Eq 'ffff[0-9a-f]{12}|page=[0-9a-f]{16}' "$tr"; then
		diag "a pointer: $(grep -Em 1 'ffff[0-9a-f]{12}|page=[0-9a-f]{16}' "$tr")"
		ret=1
	fi
	diag "$(wc -l <"$tr") events; e.g. $(grep -m 1 ': mm_page_alloc: ' "$tr" | sed 's/^ *//')"
	# pgmirror's own kmem-style events replay: every free is known
	top_ok "create name=tprp size=256M backing=none" || return 1
	"$TOOLS/pgmirror-replay" "$tr" --instance tprp >"$TMP/tprp" 2>&1 || { diag "$(cat "$TMP/tprp")"; ret=1; }
	[ "$(replay_val tprp alloc)" = 120 ] || { diag "replayed $(replay_val tprp alloc) of 120 allocations"; ret=1; }
	[ "$(replay_val tprp free_unknown)" = 0 ] || { diag "$(replay_val tprp free_unknown) unknown frees"; ret=1; }
	[ "$(replay_val tprp batched)" = 120 ] || { diag "$(replay_val tprp batched) batched commits"; ret=1; }
	[ "$(replay_val tprp malformed)" = 0 ] || { diag "malformed lines in pgmirror's own trace"; ret=1; }
	top_ok "destroy name=tprp" || ret=1
	verify_ok || ret=1
	return $ret
}

# alloc explain=1: the explain file tells the path of the first request
t_explain() {
	local ret=0 h
	need_loaded || return 1
	grep -q '^no request explained yet' "$D/explain" || { diag "explain before any: $(cat "$D/explain")"; ret=1; }
	ctl_ok "alloc order=3 gfp=GFP_KERNEL count=2 tag=ex explain=1" || return 1
	diag "$(cat "$D/explain")"
	h=$(awk '$7 == "ex" { print $1; exit }' "$D/allocations")
	head -n 1 "$D/explain" | grep -q '^request order=3 gfp=GFP_KERNEL -> node 0 ' ||
		{ diag "first line: $(head -n 1 "$D/explain")"; ret=1; }
	grep -q '^result: pfn [0-9]* (order 3)$' "$D/explain" || { diag "no result line"; ret=1; }
	# A zone's watermark check in its own numbers, and the buddy path
	grep -Eq '^zone [A-Za-z0-9]+: (min|low|high) [0-9]+.*: free [0-9]+ - unusable [0-9]+ (>|<=) [0-9]+ \+ lowmem_reserve [0-9]+.*: (passes|watermark fails)$' "$D/explain" ||
		{ diag "no watermark line"; ret=1; }
	grep -q '^rmqueue' "$D/explain" || { diag "no rmqueue line"; ret=1; }
	[ "$(tail -n 1 "$D/explain")" = "handle $h" ] || { diag "last line '$(tail -n 1 "$D/explain")', first handle $h"; ret=1; }
	[ "$(grep -c '^request ' "$D/explain")" = 1 ] || { diag "more than the first request explained"; ret=1; }
	bad_cmd "alloc explain=2" EINVAL || ret=1
	ctl_ok "free tag=ex" || ret=1
	verify_ok || ret=1
	return $ret
}

# dump_file NAME FILE: a copy of FILE in the log, for pictures on the host
# (scripts/plotcheck.sh takes them out)
dump_file() {
	{ echo "PGM-FILE $1"; cat "$2"; echo "PGM-FILE-END"; } | sed 's/^/# /'
}

# The data of the pictures: one trace replayed in eight parts through
# two instances, mobility grouping on and off; after each part a snapshot
# of the first, at the end both pageblock maps and buddyinfo
t_picture_data() {
	local tr=$TMP/kept.trace n lines part i=0 ret=0
	need_loaded || return 1
	[ -s "$tr" ] || record_trace "$tr" || return 1
	lines=$(wc -l <"$tr")
	part=$(((lines + 7) / 8))
	for n in pa pb; do
		top_ok "create name=$n size=256M backing=none zones=DMA32:64M,NORMAL:*" || return 1
		echo "set kswapd=0" >"$DBG/$n/control" || ret=1
	done
	echo "set page_group_by_mobility=0" >"$DBG/pb/control" || ret=1
	grep -qx 'page_group_by_mobility=0' "$DBG/pb/tunables" ||
		{ diag "pb: mobility grouping still on"; ret=1; }
	dump_file "timeline/0000.zoneinfo" "$DBG/pa/zoneinfo"
	dump_file "timeline/0000.stats" "$DBG/pa/stats"
	dump_file "timeline/0000.unusable" "$DBG/pa/unusable_index"
	while [ $i -lt 8 ]; do
		sed -n "$((i * part + 1)),$(((i + 1) * part))p" "$tr" >"$TMP/part"
		for n in pa pb; do
			cat "$TMP/part" >"$DBG/$n/replay" || ret=1
		done
		i=$((i + 1))
		n=$(printf '%04d' $(awk '$1 == "events" { print $2 }' "$DBG/pa/replay"))
		dump_file "timeline/$n.zoneinfo" "$DBG/pa/zoneinfo"
		dump_file "timeline/$n.stats" "$DBG/pa/stats"
		dump_file "timeline/$n.unusable" "$DBG/pa/unusable_index"
	done
	dump_file "mobility-on/pageblocks" "$DBG/pa/pageblocks"
	dump_file "mobility-on/buddyinfo" "$DBG/pa/buddyinfo"
	dump_file "mobility-off/pageblocks" "$DBG/pb/pageblocks"
	dump_file "mobility-off/buddyinfo" "$DBG/pb/buddyinfo"
	for n in pa pb; do
		D=$DBG/$n
		verify_ok || ret=1
		top_ok "destroy name=$n" || ret=1
	done
	D=$DBG/$NAME
	rm -f "$TMP/part"
	return $ret
}

# Blocks of a pageblock count in pagetypeinfo, per migratetype
pti_blocks() {
	awk -v t="$1" '/^Number of blocks type/ { for (i = 5; i <= NF; i++) if ($i == t) c = i; next }
		c && /^Node/ { n += $c } END { print n + 0 }' "$D/pagetypeinfo"
}

# isolate/unisolate: whole pageblocks, counted as Isolate, then given back
t_isolate() {
	local ret=0 free0 free1 h pfn blk
	need_loaded || return 1
	baseline || return 1
	free0=$(stat_val nr_free_pages)
	ctl_ok "isolate pfn=0x200-0x400" || return 1
	diag "$CTL_STATUS"
	case $CTL_STATUS in
	"ok: isolated pfn 512-1024: 1 pageblocks"*) ;;
	*) diag "status '$CTL_STATUS'"; ret=1 ;;
	esac
	[ "$(pti_blocks Isolate)" = 1 ] || { diag "pagetypeinfo counts $(pti_blocks Isolate) Isolate blocks"; ret=1; }
	free1=$(stat_val nr_free_pages)
	[ "$free1" -lt "$free0" ] || { diag "nr_free_pages $free0 -> $free1: the block is still counted"; ret=1; }
	bad_cmd "isolate pfn=512-1024" EBUSY || ret=1
	# An unaligned range isolates the blocks it touches: 0 and the isolated 1
	bad_cmd "isolate pfn=1-513" EBUSY || ret=1
	bad_cmd "isolate pfn=0-999999999" EINVAL || ret=1
	verify_ok || ret=1
	ctl_ok "unisolate pfn=512-1024" || ret=1
	[ "$(pti_blocks Isolate)" = 0 ] || { diag "Isolate blocks left after unisolate"; ret=1; }
	# A kernel allocation is not movable: its block cannot be isolated
	ctl_ok "alloc order=0 gfp=GFP_KERNEL tag=iso" || ret=1
	h=$(awk '$7 == "iso" { print $1; exit }' "$D/allocations")
	pfn=$(awk -v h="$h" '$1 == h { print $3 }' "$D/allocations")
	blk=$((pfn / 512 * 512))
	bad_cmd "isolate pfn=$blk-$((blk + 512))" EBUSY || ret=1
	ctl_ok "free tag=iso" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

# The pfn range and handle of the last alloc_contig or cma_alloc status:
# "A B H" from "... pfn A-B (N pages), handle H; ..."
contig_status() {
	printf '%s\n' "$CTL_STATUS" | sed -n 's/.* pfn \([0-9]*\)-\([0-9]*\) ([0-9]* pages), handle \([0-9]*\);.*/\1 \2 \3/p'
}

# alloc_contig: ranges with FreeBSD's limits, one handle each, freed back
t_alloc_contig() {
	local ret=0 a b h r
	need_loaded || return 1
	baseline || return 1
	ctl_ok "alloc_contig pages=512 tag=ct" || return 1
	diag "$CTL_STATUS"
	r=$(contig_status)
	set -- $r
	a=$1 b=$2 h=$3
	[ -n "$h" ] && [ $((b - a)) = 512 ] || { diag "status '$CTL_STATUS'"; ret=1; }
	# alloc_contig_pages() walks ALIGN(zone start, 512) in steps of 512
	[ -n "$a" ] && [ $((a % 512)) = 0 ] ||
		{ diag "pfn $a is not where the walk starts a range"; ret=1; }
	awk -v h="$h" '$1 == h && $11 == 512 && $12 == "contig" { f = 1 } END { exit !f }' "$D/allocations" ||
		{ diag "allocations: $(awk -v h="$h" '$1 == h' "$D/allocations")"; ret=1; }
	verify_ok || ret=1
	# 24 pages aligned to 16 that cross no multiple of 32, above pfn 1000
	ctl_ok "alloc_contig pages=24 low=1000 align=16 boundary=32 tag=ct" || ret=1
	r=$(contig_status)
	set -- $r
	a=$1 b=$2
	diag "$CTL_STATUS"
	[ -n "$b" ] && [ "$a" -ge 1000 ] && [ $((a % 16)) = 0 ] &&
		[ $((a / 32)) = $(((b - 1) / 32)) ] ||
		{ diag "range $a-$b breaks low=1000 align=16 boundary=32"; ret=1; }
	# Ending exactly at high, in the next pageblock: the ranges taken are
	# unmovable pages, so their own block cannot be isolated again
	r=$(((b / 512 + 1) * 512 + 64))
	ctl_ok "alloc_contig pages=8 low=$r high=$((r + 8)) tag=ct" || ret=1
	a=$(contig_status)
	[ "${a%% *}" = "$r" ] || { diag "status '$CTL_STATUS', want pfn $r"; ret=1; }
	bad_cmd "alloc_contig pages=8 low=$((r + 8)) high=$((r + 16))" ENOMEM || ret=1
	verify_ok || ret=1
	ctl_ok "free handle=$h" || ret=1
	ctl_ok "free tag=ct" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

# A long-term pin may not hold ZONE_MOVABLE: kind=pinned is moved to Normal
t_pin_longterm() {
	local ret=0 zone
	need_loaded || return 1
	top_ok "create name=pn size=32M backing=none zones=NORMAL:16M,MOVABLE:*" || return 1
	D=$DBG/pn
	ctl_ok "alloc kind=anon tag=a" || ret=1
	ctl_ok "alloc kind=pinned order=2 tag=p" || ret=1
	zone=$(awk '$7 == "a" { print $5 }' "$D/allocations")
	[ "$zone" = Movable ] || { diag "anon in '$zone', not Movable"; ret=1; }
	zone=$(awk '$7 == "p" { print $5 }' "$D/allocations")
	[ "$zone" = Normal ] || { diag "pinned in '$zone', not Normal"; ret=1; }
	[ "$(stat_val pgmigrate_success)" = 4 ] ||
		{ diag "pgmigrate_success $(stat_val pgmigrate_success), not 4"; ret=1; }
	verify_destroy pn || ret=1
	return $ret
}

# cma_alloc: an instance with a CMA area; aligned ranges, counted, released
t_cma_alloc() {
	local ret=0 r a h n0
	need_loaded || return 1
	n0=$(dmesg_lines)
	bad_cmd "cma_alloc count=1" EINVAL || ret=1
	top_ok "create name=cm size=16M cma=4M" || return 1
	D=$DBG/cm
	ctl_ok "cma_alloc count=512 align=9 tag=c1" || ret=1
	diag "$CTL_STATUS"
	r=$(contig_status)
	set -- $r
	a=$1 h=$3
	[ -n "$a" ] && [ $((a % 512)) = 0 ] || { diag "pfn '$a' is not order-9 aligned"; ret=1; }
	ctl_ok "cma_alloc count=10 tag=c2" || ret=1
	[ "$(stat_val cma_alloc_success)" = 2 ] || { diag "cma_alloc_success $(stat_val cma_alloc_success)"; ret=1; }
	awk -v h="$h" '$1 == h && $11 == 512 && $12 == "cma" { f = 1 } END { exit !f }' "$D/allocations" ||
		{ diag "allocations: $(awk -v h="$h" '$1 == h' "$D/allocations")"; ret=1; }
	verify_ok || ret=1
	# 4M of CMA is 1024 pages: 1024 more do not fit, 2048 are refused
	ctl "cma_alloc count=1024 tag=c3"
	case $CTL_STATUS in
	"error: ENOMEM: "*) ;;
	*) diag "cma_alloc past the free area: '$CTL_STATUS'"; ret=1 ;;
	esac
	[ "$(stat_val cma_alloc_fail)" = 1 ] || { diag "cma_alloc_fail $(stat_val cma_alloc_fail)"; ret=1; }
	bad_cmd "cma_alloc count=2048" EINVAL || ret=1
	ctl_ok "free tag=c1" || ret=1
	[ "$(stat_val nr_handles)" = 1 ] || ret=1
	# Destroyed with a CMA range and a contiguous range live: both go back
	ctl_ok "alloc_contig pages=100 tag=c3" || ret=1
	verify_destroy cm || ret=1
	dmesg | tail -n +$((n0 + 1)) | grep -qE 'WARNING|BUG:|bad free' &&
		{ diag "dmesg: $(dmesg | tail -n +$((n0 + 1)) | grep -E 'WARNING|BUG:|bad free' | tail -n 3)"; ret=1; }
	return $ret
}

# alloc_bulk: one __alloc_pages_bulk() call, a handle per page
t_alloc_bulk() {
	local n ret=0
	need_loaded || return 1
	baseline || return 1
	ctl_ok "alloc_bulk count=100 gfp=GFP_ATOMIC tag=bk" || return 1
	diag "$CTL_STATUS"
	case $CTL_STATUS in
	"ok: bulk allocated 100 of 100 order-0, handles "*) ;;
	*) diag "status '$CTL_STATUS'"; ret=1 ;;
	esac
	n=$(awk '$7 == "bk" && $2 == 0' "$D/allocations" | wc -l)
	[ "$n" = 100 ] || { diag "$n order-0 bk handles, want 100"; ret=1; }
	ctl_ok "free tag=bk" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

# Each policy knob off, some allocations, and back on
t_policy_knobs() {
	local k ret=0
	need_loaded || return 1
	for k in page_group_by_mobility alloc_nofragment highatomic pcp \
		 kswapd direct_reclaim direct_compaction kcompactd numa_stat; do
		ctl_ok "set $k=0" || ret=1
		grep -qx "$k=0" "$D/tunables" || { diag "tunables: no $k=0"; ret=1; }
		ctl_ok "alloc order=$((${#k} % 4)) count=32 tag=pk gfp=GFP_ATOMIC" || ret=1
		ctl_ok "free tag=pk" || ret=1
		ctl_ok "set $k=1" || ret=1
	done
	verify_ok || ret=1
	return $ret
}

# pcp sizes, the claim threshold and fallbacks[]; tunables reads back as set
t_policy_values() {
	local line saved=/tmp/pgm-tunables.saved ret=0
	need_loaded || return 1
	cat "$D/tunables" > "$saved" || return 1
	grep -qx 'claim_threshold=256' "$saved" || { diag "default claim_threshold missing"; ret=1; }
	grep -qx 'fallbacks=\[MIGRATE_MOVABLE\]={MIGRATE_RECLAIMABLE,MIGRATE_UNMOVABLE}' "$saved" ||
		{ diag "upstream's Movable fallbacks row missing"; ret=1; }
	ctl_ok "set pcp_batch=7" || ret=1
	ctl_ok "set pcp_high=50" || ret=1
	ctl_ok "set claim_threshold=0" || ret=1
	ctl_ok "set fallbacks=[MIGRATE_UNMOVABLE]={}" || ret=1
	[ "$CTL_STATUS" = "ok: fallbacks=[MIGRATE_UNMOVABLE]={}" ] || { diag "status '$CTL_STATUS'"; ret=1; }
	ctl_ok "alloc order=0 count=64 tag=pv" || ret=1
	ctl_ok "free tag=pv" || ret=1
	bad_cmd "set fallbacks=[MIGRATE_MOVABLE]={MIGRATE_MOVABLE}" EINVAL || ret=1
	bad_cmd "set pcp_batch=65537" EINVAL || ret=1
	bad_cmd "set claim_threshold=513" EINVAL || ret=1
	grep -qx 'per_cpu_data_slice_size=0' "$saved" || { diag "default per_cpu_data_slice_size missing"; ret=1; }
	ctl_ok "set per_cpu_data_slice_size=4194304" || ret=1
	bad_cmd "set per_cpu_data_slice_size=-1" EINVAL || ret=1
	grep -qx 'per_cpu_data_slice_size=4194304' "$D/tunables" || { diag "per_cpu_data_slice_size not in tunables"; ret=1; }
	grep -q '^transparent_hugepage=' "$saved" && { diag "tunables has a THP line for an instance without THP"; ret=1; }
	grep -qx 'pcp_high=50' "$D/tunables" || { diag "pcp_high not in tunables"; ret=1; }
	grep -qx 'extfrag_threshold=500' "$saved" || { diag "default extfrag_threshold missing"; ret=1; }
	ctl_ok "set extfrag_threshold=1000" || ret=1
	bad_cmd "set extfrag_threshold=1001" EINVAL || ret=1
	grep -qx 'extfrag_threshold=1000' "$D/tunables" || { diag "extfrag_threshold not in tunables"; ret=1; }
	# Every saved line is a valid set: the instance is as it was
	while read -r line; do
		ctl_ok "set $line" || ret=1
	done < "$saved"
	cmp -s "$saved" "$D/tunables" || { diag "tunables differ after restoring"; ret=1; }
	rm -f "$saved"
	verify_ok || ret=1
	return $ret
}

# page_poisoning on a live instance: freed pages poisoned and checked on
# allocation without a false report (no user can write a freed page: the
# catch itself is pgmirror_robust's KUnit case)
t_page_poisoning() {
	local ret=0 k
	need_loaded || return 1
	ctl_ok "set page_poisoning=1" || return 1
	ctl_ok "alloc order=2 count=64 tag=pp" || ret=1
	ctl_ok "free tag=pp" || ret=1
	ctl_ok "alloc order=0 count=64 tag=pp" || ret=1
	ctl_ok "free tag=pp" || ret=1
	[ "$(stat_val poison_corrupt)" = 0 ] || { diag "poison_corrupt $(stat_val poison_corrupt) without a corruption"; ret=1; }
	ctl_ok "set page_poisoning=0" || ret=1
	bad_cmd "set page_poisoning=2" EINVAL || ret=1
	# init_on_free and init_on_alloc: freed or allocated pages zeroed
	for k in init_on_free init_on_alloc; do
		ctl_ok "set $k=1" || ret=1
		ctl_ok "alloc order=1 count=32 tag=pp" || ret=1
		ctl_ok "free tag=pp" || ret=1
		verify_ok || ret=1
		ctl_ok "set $k=0" || ret=1
	done
	verify_ok || ret=1
	# Page debugging needs memory behind the pages
	top_ok "create name=pz size=8M backing=none" || ret=1
	D=$DBG/pz
	bad_cmd "set page_poisoning=1" EINVAL || ret=1
	bad_cmd "set init_on_free=1" EINVAL || ret=1
	verify_destroy pz || ret=1
	return $ret
}

# The physical base is root's alone: 0400, not 0444
t_base_perm() {
	local mode
	need_loaded || return 1
	mode=$(stat -c %a /sys/module/pgmirror/parameters/base)
	[ "$mode" = 400 ] || { diag "parameters/base is $mode, want 400"; return 1; }
}

# quick FILE: a read that must not wait behind a long command
quick() {
	local t0 t1
	t0=$(date +%s)
	if ! timeout 5 cat "$1" >/dev/null 2>"$TMP/quick.err"; then
		diag "reading $1 failed or took over 5 s: $(cat "$TMP/quick.err")"
		return 1
	fi
	t1=$(date +%s)
	# whole seconds: 2 allows for the boundary
	[ $((t1 - t0)) -le 2 ] || { diag "reading $1 took $((t1 - t0)) s"; return 1; }
}

# A long bench holds no lock readers need and dies with SIGKILL
t_bench_killable() {
	local pid i ret=0
	need_loaded || return 1
	( echo 'order=10 count=400000' >"$D/bench" ) 2>/dev/null &
	pid=$!
	sleep 1
	kill -0 $pid 2>/dev/null || { diag "the bench ended within 1 s; nothing to test"; return 1; }
	for f in stats verify control buddyinfo allocations; do
		quick "$D/$f" || ret=1
	done
	ctl_ok "alloc order=0 tag=beside" || ret=1
	ctl_ok "free tag=beside" || ret=1
	kill -9 $pid
	bench_gone $pid "the bench" || ret=1
	# destroy: the bench stops for it (destroy waits for the writer)
	if top_ok "create name=bk size=256M backing=none"; then
		( echo 'order=10 count=400000' >"$DBG/bk/bench" ) 2>/dev/null &
		pid=$!
		sleep 1
		kill -0 $pid 2>/dev/null || { diag "the bk bench ended within 1 s"; ret=1; }
		timed_destroy bk || ret=1
		bench_gone $pid "the bench of a destroyed instance" || ret=1
		awk -v s="$destroy_s" 'BEGIN { exit !(s < 2) }' ||
			{ diag "destroy waited $destroy_s s for the bench"; ret=1; }
	else
		ret=1
	fi
	# threads=2: the workers see the writer's SIGKILL through its stop flag
	if [ "$(nproc)" -ge 2 ]; then
		kill_bench "$D" 'threads=2 order=10 count=400000' \
			"the threads=2 bench" || ret=1
	fi
	# shape=frag: a fill of a 2 GiB DMA zone stops within 1024 pages and
	# gives every page back
	if [ -z "$(host_dma_free)" ]; then
		diag "no host DMA zone: no frag fill to kill"
	elif ! top_ok "create name=fk size=2G backing=none zones=DMA:*"; then
		ret=1
	else
		kill_bench "$DBG/fk" 'shape=frag order=9 count=1000000' \
			"the frag bench" || ret=1
		echo drain >"$DBG/fk/control"
		i=$(awk '{ p = 1; for (i = 5; i <= NF; i++) { s += $i * p; p *= 2 } } END { printf "%d\n", s }' "$DBG/fk/buddyinfo")
		[ "$i" = 524288 ] || { diag "fk: $i of 524288 pages free after the kill"; ret=1; }
		verify_destroy fk || ret=1
	fi
	unload || ret=1
	return $ret
}

# kill_bench DIR LINE WHAT: a bench of LINE in instance DIR, killed after
# 1 s, is gone within 2 s and says why in DIR/control
kill_bench() {
	local pid
	( echo "$2" >"$1/bench" ) 2>/dev/null &
	pid=$!
	sleep 1
	if ! kill -0 $pid 2>/dev/null; then
		diag "$3 ended within 1 s"
		return 1
	fi
	kill -9 $pid
	bench_gone $pid "$3" || return 1
	grep -q 'interrupted by a fatal signal' "$1/control" ||
		{ diag "$3 kill: $(head -n 1 "$1/control")"; return 1; }
}

# bench_gone PID WHAT: PID ends within 2 s of its SIGKILL
bench_gone() {
	local i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		diag "$2 outlived SIGKILL by 2 s"
		return 1
	fi
	wait "$1" 2>/dev/null
	return 0
}

t_bench() {
	local out b0 r0 ret=0
	need_loaded || return 1
	baseline || return 1
	grep 'batch:' "$D/zoneinfo" >"$TMP/batch.before"
	if ! { echo "order=0 count=2000" >"$D/bench"; } 2>"$TMP/err"; then
		diag "bench write failed: $(cat "$TMP/err")"
		return 1
	fi
	out=$(cat "$D/bench")
	diag "$out"
	printf '%s\n' "$out" | grep -Eq '^order=0 count=2000 shape=pair reps=5 zero=0 threads=1 pgmirror_ns_per_op=[0-9]+ host_ns_per_op=[0-9]+ ratio=[0-9]+\.[0-9][0-9] ratio_min=[0-9]+\.[0-9][0-9] ratio_max=[0-9]+\.[0-9][0-9] host_init_on_alloc=[01] pgmirror_init_on_alloc=0 pcp_batch=[0-9]+ pcp_high_min=[0-9]+ pcp_high_max=[0-9]+ burst=1 pgmirror_ns_min=[0-9]+ pgmirror_ns_max=[0-9]+ host_ns_min=[0-9]+ host_ns_max=[0-9]+ host_init_on_free=[01] pgmirror_init_on_free=0$' ||
		{ diag "bench output not in the spec's format"; ret=1; }
	# The run borrowed the host zone's pcp sizes and gave them back
	grep 'batch:' "$D/zoneinfo" | cmp -s - "$TMP/batch.before" ||
		{ diag "pcp batch differs after the bench"; ret=1; }
	for bad in "order=11 count=10" "order=0 count=0" "order=0 count=1000001" "bogus" \
		   "threads=0" "threads=65" "shape=bulk order=1" "threads=64 count=10"; do
		# Empty pcp lists: the once-a-second decay has nothing to drain
		ctl "drain"
		b0=$(bi)
		r0=$(cat "$D/bench")
		if { echo "$bad" >"$D/bench"; } 2>/dev/null; then
			diag "bench accepted '$bad'"
			ret=1
		fi
		grep -Eq '^error: EINVAL: .+' "$D/control" ||
			{ diag "'$bad': control reads '$(cat "$D/control")'"; ret=1; }
		[ "$(bi)" = "$b0" ] || { diag "'$bad' changed buddyinfo"; ret=1; }
		[ "$(cat "$D/bench")" = "$r0" ] ||
			{ diag "'$bad' changed the last result"; ret=1; }
	done
	# threads=64 parses, then is refused by the run: too few CPUs
	grep -q 'threads=64: .* CPUs online' "$D/control" ||
		{ diag "threads=64: $(cat "$D/control")"; ret=1; }
	# alloc_pages_bulk() on both sides
	if echo "shape=bulk count=2000" >"$D/bench" 2>/dev/null; then
		grep -q ' shape=bulk ' "$D/bench" || { diag "bulk: $(cat "$D/bench")"; ret=1; }
	else
		diag "shape=bulk failed: $(cat "$D/control")"
		ret=1
	fi
	# Two kthreads on two CPUs, each with its own pcp
	if [ "$(nproc)" -ge 2 ]; then
		if echo "threads=2 count=1000" >"$D/bench" 2>/dev/null; then
			grep -q ' threads=2 ' "$D/bench" ||
				{ diag "threads=2: $(cat "$D/bench")"; ret=1; }
		else
			diag "threads=2 failed: $(cat "$D/control")"
			ret=1
		fi
	fi
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

# host_dma_free: the free pages of the host's DMA zone, as /proc/zoneinfo
host_dma_free() {
	awk '/^Node 0, zone +DMA$/ { z = 1; next } /^Node/ { z = 0 }
		z && $1 == "pages" && $2 == "free" { print $3; exit }' /proc/zoneinfo
}

# shape=frag fragments the DMA zone of each side and gives it all back
t_bench_frag() {
	local ret=0 before after d b
	need_loaded || return 1
	before=$(host_dma_free)
	[ -n "$before" ] || { SKIP_REASON="the host has no DMA zone"; return 4; }
	# The default instance has no DMA zone: refused, nothing run
	if echo "shape=frag count=100" >"$D/bench" 2>/dev/null; then
		diag "shape=frag ran on an instance without a DMA zone"
		ret=1
	fi
	grep -q "^error: EINVAL: shape=frag .*the instance has none" "$D/control" ||
		{ diag "no DMA zone: $(head -n 1 "$D/control")"; ret=1; }
	top_ok "create name=fb size=32M backing=none zones=DMA:16M,DMA32:*" || return 1
	b=$DBG/fb/bench
	# No memory behind fb: the host would zero what the mirror could not
	if echo "shape=frag zero=1 count=10" >"$b" 2>/dev/null; then
		diag "zero=1 ran on a backing=none instance"
		ret=1
	fi
	grep -q "^error: EINVAL: zero=1 on an instance without memory" "$DBG/fb/control" ||
		{ diag "zero=1: $(head -n 1 "$DBG/fb/control")"; ret=1; }
	for spec in "0 1000" "3 100" "9 2"; do
		set -- $spec
		if echo "shape=frag order=$1 count=$2 reps=3" >"$b" 2>/dev/null; then
			grep -Eq "^order=$1 count=$2 shape=frag reps=3 .* host_ns_per_op=[1-9]" "$b" ||
				{ diag "frag order $1: $(cat "$b")"; ret=1; }
		else
			diag "frag order $1: $(head -n 1 "$DBG/fb/control")"
			ret=1
		fi
	done
	diag "$(cat "$b")"
	# The mirror's DMA zone is whole again, the host's within its pcp lists
	echo drain >"$DBG/fb/control"
	d=$(awk '$4 == "DMA" { p = 1; for (i = 5; i <= NF; i++) { s += $i * p; p *= 2 } } END { printf "%d\n", s }' "$DBG/fb/buddyinfo")
	[ "$d" = 4096 ] || { diag "the mirror's DMA zone has $d of 4096 pages free"; ret=1; }
	after=$(host_dma_free)
	[ $((before - after)) -lt 256 ] ||
		{ diag "the host's DMA zone had $before free pages, now $after"; ret=1; }
	verify_destroy fb || ret=1
	return $ret
}

# khugepaged's min_free_kbytes against this guest's own 6.12: an instance
# with the guest's populated zones and THP mode gets the guest's value.
# With 2G, set_recommended_min_free_kbytes() takes its pageblock term on
# both (11 pageblocks a zone up to Normal; 5% of the pages above high is
# more). Then never derives it again, and a bad word changes nothing.
t_thp_min_free_kbytes() {
	local mode host want mine zones nz ret=0
	need_loaded || return 1
	mode=$(sed -n 's/.*\[\([a-z]*\)\].*/\1/p' \
		/sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
	case $mode in
	always|madvise) ;;
	*) SKIP_REASON="THP is '${mode:-absent}' in this guest"; return 4 ;;
	esac
	grep -q '^Node 1,' /proc/zoneinfo &&
		{ SKIP_REASON="more than one node in this guest"; return 4; }
	# DMA, DMA32 and Normal as present there, in whole pageblocks
	zones=$(awk '/^Node 0, zone/ { z = $4 }
		$1 == "present" && $2 > 0 && (z == "DMA" || z == "DMA32" || z == "Normal") {
			n = int($2 / 512) * 512
			if (!n) { print "small", z; exit }
			s = s (s ? "," : "") toupper(z) ":" n; t += n
		}
		END { print t, s }' /proc/zoneinfo)
	case $zones in
	small*) SKIP_REASON="zone ${zones#small } holds less than a pageblock"; return 4 ;;
	esac
	nz=$(printf '%s\n' "${zones#* }" | tr ',' '\n' | wc -l)
	host=$(cat /proc/sys/vm/min_free_kbytes)
	want=$((nz * 512 * 11 * 4))
	[ "$host" = "$want" ] ||
		{ SKIP_REASON="this guest's $host KiB is not the pageblock term $want: 5% binds"; return 4; }
	top_ok "create name=thp size=$((${zones%% *} * 4))K backing=none zones=${zones#* } transparent_hugepage=$mode" ||
		return 1
	D=$DBG/thp
	mine=$(sed -n 's/^min_free_kbytes=//p' "$D/tunables")
	diag "guest zones ${zones#* }, THP $mode: min_free_kbytes $host, the instance's $mine"
	[ "$mine" = "$host" ] ||
		{ diag "zones ${zones#* }, THP $mode: min_free_kbytes $mine, the guest's $host"; ret=1; }
	grep -qx "transparent_hugepage=$mode" "$D/tunables" ||
		{ diag "tunables: no transparent_hugepage=$mode"; ret=1; }
	bad_cmd "set transparent_hugepage=sometimes" EINVAL || ret=1
	ctl_ok "set transparent_hugepage=never" || ret=1
	case $CTL_STATUS in
	"ok: transparent_hugepage=never min_free_kbytes="*" (was $host)") ;;
	*) diag "set never: '$CTL_STATUS'"; ret=1 ;;
	esac
	mine=$(sed -n 's/^min_free_kbytes=//p' "$D/tunables")
	[ "$mine" -lt "$host" ] 2>/dev/null ||
		{ diag "never left min_free_kbytes at $mine"; ret=1; }
	D=$DBG/$NAME
	verify_destroy thp || ret=1
	return $ret
}

# kthread_cpus NAME: the Cpus_allowed_list of the kernel thread NAME (its
# whole name, as /proc shows a kthread's), or nothing
kthread_cpus() {
	local s want
	want=$(printf 'Name:\t%s' "$1")
	for s in /proc/[0-9]*/status; do
		if grep -qxF "$want" "$s" 2>/dev/null; then
			awk '$1 == "Cpus_allowed_list:" { print $2 }' "$s"
			return
		fi
	done
}

t_multi_node() {
	local n t c ret=0
	if [ "$HAVE_CARVE" = 1 ]; then
		load base="$BASE" size=$CARVE_SIZE nodes=2 zones=DMA32:64M,NORMAL:*
	else
		load size=$BORROW_SIZE nodes=2 zones=DMA32:16M,NORMAL:*
	fi || { diag "insmod nodes=2 failed ($INSMOD_RC): $INSMOD_ERR"; return 1; }
	bi | while read -r l; do diag "$l"; done
	for node in 0 1; do
		for z in DMA32 Normal; do
			bi | grep -Eq "^Node $node, zone +$z " ||
				{ diag "buddyinfo has no Node $node $z line"; ret=1; }
		done
	done
	baseline || return 1
	ctl_ok "alloc nid=1 count=4 order=1 tag=n1" || ret=1
	n=$(awk '$7 == "n1" && $4 != 1' "$D/allocations" | wc -l)
	[ "$n" -eq 0 ] || { diag "nid=1 allocations landed off node 1"; ret=1; }
	ctl_ok "alloc gfp=GFP_DMA32 count=4 tag=d32" || ret=1
	n=$(awk '$7 == "d32" && $5 != "DMA32"' "$D/allocations" | wc -l)
	[ "$n" -eq 0 ] || { diag "GFP_DMA32 allocations outside ZONE_DMA32"; ret=1; }
	bad_cmd "alloc nid=2" EINVAL || ret=1
	# Four pcp CPUs, two a node: each node's threads on its own two CPUs
	if [ "$(nproc)" -eq 4 ]; then
		for t in kswapd kcompactd; do
			c="$(kthread_cpus "pgm_$t/$NAME/0") $(kthread_cpus "pgm_$t/$NAME/1")"
			diag "pgm_$t/$NAME/0 and /1 on CPUs $c"
			[ "$c" = "0-1 2-3" ] || { diag "pgm_$t not bound per node"; ret=1; }
		done
	fi
	ctl_ok "free all" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	unload || ret=1
	return $ret
}

# cpu_online N V: write V to the online file of host CPU N
cpu_online() {
	echo "$2" >"/sys/devices/system/cpu/cpu$1/online"
}

# wait_kthread_cpus NAME NOT: poll for up to 10 s for the kernel thread
# NAME to be found on CPUs other than NOT; prints where it is
wait_kthread_cpus() {
	local i=0 c
	while [ $i -lt 100 ]; do
		c=$(kthread_cpus "$1")
		[ -n "$c" ] && [ "$c" != "$2" ] && { echo "$c"; return 0; }
		sleep 0.1
		i=$((i + 1))
	done
	echo "$c"
	return 1
}

# kcompactd_cpu_online(): as on x86, a node mask holds its online CPUs
t_cpu_hotplug() {
	local k c ret=0
	if [ "$(nproc)" -ne 4 ] || [ ! -w /sys/devices/system/cpu/cpu2/online ] ||
		[ ! -w /sys/devices/system/cpu/cpu3/online ]; then
		SKIP_REASON="needs four CPUs, CPUs 2 and 3 hotpluggable"
		return $KSFT_SKIP
	fi
	load size=$BORROW_SIZE nodes=2 ||
		{ diag "insmod nodes=2 failed ($INSMOD_RC): $INSMOD_ERR"; return 1; }
	baseline || return 1
	k="pgm_kcompactd/$NAME/1"
	c=$(kthread_cpus "$k")
	[ "$c" = "2-3" ] || { diag "$k on CPUs $c before, not 2-3"; ret=1; }
	if cpu_online 2 0 && cpu_online 3 0; then
		# A proactiveness write wakes it: with none of its CPUs
		# online, the scheduler moves it and widens its mask
		ctl_ok "set compaction_proactiveness=20" || ret=1
		c=$(wait_kthread_cpus "$k" 2-3) ||
			{ diag "$k kept CPUs 2-3 with both offline"; ret=1; }
		diag "CPUs 2 and 3 offline: $k on CPUs $c"
		ctl_ok "alloc nid=1 count=4 tag=h1" || ret=1
		cpu_online 2 1 || { diag "CPU 2 stays offline"; ret=1; }
		c=$(kthread_cpus "$k")
		diag "CPU 2 online: $k on CPUs $c"
		[ "$c" = "2" ] || { diag "$k not bound to CPU 2"; ret=1; }
		cpu_online 3 1 || { diag "CPU 3 stays offline"; ret=1; }
		c=$(kthread_cpus "$k")
		diag "CPU 3 online: $k on CPUs $c"
		[ "$c" = "2-3" ] || { diag "$k not bound to CPUs 2-3"; ret=1; }
	else
		diag "cannot take CPUs 2 and 3 offline"
		ret=1
	fi
	cpu_online 2 1 2>/dev/null
	cpu_online 3 1 2>/dev/null
	[ "$(nproc)" -eq 4 ] || { diag "CPUs left offline"; ret=1; }
	ctl_ok "free all" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	unload || ret=1
	return $ret
}

# worker TAG ITERATIONS: allocate and free with one tag; failures to $TMP/TAG
worker() {
	local i=0 fails=0 o
	while [ $i -lt "$2" ]; do
		o=$((i % 4))
		printf 'alloc order=%d count=8 tag=%s\n' $o "$1" >"$D/control" 2>/dev/null ||
			fails=$((fails + 1))
		[ $((i % 16)) -eq 7 ] && { printf 'drain\n' >"$D/control" 2>/dev/null ||
			fails=$((fails + 1)); }
		printf 'free tag=%s\n' "$1" >"$D/control" 2>/dev/null ||
			fails=$((fails + 1))
		i=$((i + 1))
	done
	echo $fails >"$TMP/$1"
}

reader() {
	while [ ! -f "$TMP/stop" ]; do
		cat "$D/buddyinfo" "$D/zoneinfo" "$D/stats" "$D/allocations" \
			"$D/pagetypeinfo" >/dev/null 2>&1 || echo x >>"$TMP/readfail"
	done
}

t_concurrent() {
	local p0 p1 pr ret=0 iters=${PGM_CONC_ITERS:-400}
	load_default || return 1
	baseline || return 1
	rm -f "$TMP/cw0" "$TMP/cw1" "$TMP/stop" "$TMP/readfail"
	worker cw0 "$iters" &
	p0=$!
	worker cw1 "$iters" &
	p1=$!
	reader &
	pr=$!
	# One writer per vCPU, so each drives its own pcp lists.
	taskset -p -c 0 $p0 >/dev/null 2>&1
	taskset -p -c 1 $p1 >/dev/null 2>&1
	wait $p0 $p1
	touch "$TMP/stop"
	wait $pr
	diag "2 writers x $iters iterations, failures: $(cat "$TMP/cw0" "$TMP/cw1" | tr '\n' ' ')"
	[ "$(cat "$TMP/cw0")" = 0 ] && [ "$(cat "$TMP/cw1")" = 0 ] || ret=1
	[ -f "$TMP/readfail" ] && { diag "concurrent reads failed"; ret=1; }
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

# Two writers at once on two vCPUs, alloc and free taking the interface
# lock shared: each reads its own handle from its own open file and frees
# exactly that one
t_parallel_writers() {
	local cb out ret=0
	cb=$(dirname "$0")/pgmirror_ctlbench
	[ -x "$cb" ] || { SKIP_REASON="pgmirror_ctlbench not built"; return $KSFT_SKIP; }
	load_default || return 1
	baseline || return 1
	out=$("$cb" "$D/control" 2 1000 check 2>&1) || ret=1
	diag "$out"
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

# ----------------------------------------------------------- stress ---

# sw NAME OWNER KIND N: a writer of N rounds on a small instance: small
# allocations of one kind, an order-9 request that compacts, a GFP_NOWAIT
# burst that wakes kswapd, dirty and writeback, frees. Control errors are
# expected (memory runs out); a write must never hang or crash.
sw() {
	local i=0
	while [ $i -lt "$4" ] && [ ! -f "$TMP/stop" ]; do
		{
			echo "alloc order=$((i % 4)) count=64 owner=$2 kind=$3 tag=$1$((i % 4))"
			[ $((i % 4)) -eq 3 ] &&
				echo "alloc order=9 gfp=GFP_KERNEL|__GFP_RETRY_MAYFAIL tag=$1"
			[ $((i % 8)) -eq 5 ] &&
				echo "alloc order=0 gfp=GFP_NOWAIT count=1024 tag=$1"
			[ "$3" = file ] && echo "dirty tag=$1$((i % 4))" && echo "writeback tag=$1$((i % 4))"
			# Free every other size class: holes that compaction must close
			[ $((i % 4)) -eq 2 ] && echo "free tag=${1}1" && echo "free tag=${1}3" &&
				echo "free tag=$1"
		} | while IFS= read -r c; do
			printf '%s\n' "$c" >"$D/control" 2>/dev/null
		done
		i=$((i + 1))
	done
}

# set changes and owner churn, N rounds
ss() {
	local i=0
	while [ $i -lt "$1" ] && [ ! -f "$TMP/stop" ]; do
		for c in "set watermark_scale_factor=$((10 + i % 200))" \
			 "set min_free_kbytes=$((128 + (i % 8) * 64))" \
			 "set percpu_pagelist_high_fraction=$(( (i % 2) * 8 ))" \
			 "owner create name=churn$i" "owner destroy name=churn$i" \
			 "drain"; do
			printf '%s\n' "$c" >"$D/control" 2>/dev/null
		done
		i=$((i + 1))
	done
}

# every file, read until told to stop; a failed read (but ENOENT once the
# instance is gone) is recorded
sr() {
	while [ ! -f "$TMP/stop" ]; do
		for f in buddyinfo pagetypeinfo zoneinfo stats allocations owners \
			 verify control bench; do
			[ -d "$D" ] || break
			cat "$D/$f" >/dev/null 2>&1 ||
				{ [ -d "$D" ] && echo "$f" >>"$TMP/readfail"; }
		done
	done
}

# stress_start ROUNDS: two writers, a setter, two readers and a bench,
# one per vCPU where there are enough; STRESS_PIDS, STRESS_READERS
stress_start() {
	local n=$(nproc)
	rm -f "$TMP/stop" "$TMP/readfail"
	ctl "owner create name=sa"
	ctl "owner create name=sb"
	sw wa sa anon "$1" &
	STRESS_PIDS=$!
	taskset -p -c 0 $! >/dev/null 2>&1
	sw wb sb file "$1" &
	STRESS_PIDS="$STRESS_PIDS $!"
	taskset -p -c $((1 % n)) $! >/dev/null 2>&1
	ss "$1" &
	STRESS_PIDS="$STRESS_PIDS $!"
	taskset -p -c $((2 % n)) $! >/dev/null 2>&1
	( echo "order=0 count=20000" >"$D/bench" ) 2>/dev/null &
	STRESS_PIDS="$STRESS_PIDS $!"
	sr &
	STRESS_READERS=$!
	taskset -p -c $((3 % n)) $! >/dev/null 2>&1
	sr &
	STRESS_READERS="$STRESS_READERS $!"
}

stress_stop() {
	# shellcheck disable=SC2086
	wait $STRESS_PIDS
	touch "$TMP/stop"
	# shellcheck disable=SC2086
	wait $STRESS_READERS
}

# Everything at once for a fixed number of rounds: verify ok at the end,
# no splat, no hung task (run_case checks dmesg)
t_stress() {
	local ret=0 t0
	load_small || return 1
	# Half the zone as a checkerboard of movable pages: the writers'
	# order-9 requests then have to compact (or kcompactd does, in the
	# background) while everything else runs
	ctl "alloc kind=anon count=4096 tag=frag gfp=GFP_NOWAIT|__GFP_MOVABLE|__GFP_NOWARN"
	free_even_pfns frag || ret=1
	t0=$(date +%s)
	stress_start "${PGM_STRESS_ROUNDS:-40}"
	stress_stop
	diag "$(nproc) vCPUs, $(( $(date +%s) - t0 )) s; kswapd runs $(stat_val pageoutrun), compaction stalls $(stat_val compact_stall), kcompactd pfns scanned $(stat_val compact_daemon_migrate_scanned), pages migrated $(stat_val pgmigrate_success), oom kills $(stat_val oom_kill), direct reclaim $(stat_sum '^allocstall_')"
	[ "$(stat_val pageoutrun)" -gt 0 ] || { diag "kswapd never ran"; ret=1; }
	# kcompactd, proactive over the checkerboard, may close the holes
	# before any writer compacts itself: either counts
	[ $(( $(stat_val compact_stall) + $(stat_val compact_daemon_migrate_scanned) )) -gt 0 ] ||
		{ diag "compaction never ran"; ret=1; }
	[ -f "$TMP/readfail" ] && { diag "reads failed: $(sort -u "$TMP/readfail" | tr '\n' ' ')"; ret=1; }
	ctl "free all"
	verify_ok || ret=1
	unload || ret=1
	return $ret
}

# rmmod while all of it runs: it succeeds between writes or refuses while
# a file is open, and nothing crashes either way
t_stress_rmmod() {
	local ret=0 tries=0
	load_small || return 1
	stress_start 1000
	sleep 2
	while is_loaded && [ $tries -lt 200 ]; do
		rmmod pgmirror 2>/dev/null
		tries=$((tries + 1))
	done
	touch "$TMP/stop"
	stress_stop
	if is_loaded; then
		diag "rmmod never got in after $tries tries"
		unload || ret=1
	else
		diag "rmmod went through after $tries tries"
	fi
	[ -e "$DBG/$NAME" ] && { diag "$DBG/$NAME left behind"; ret=1; }
	return $ret
}

# 30 borrowed insmod/rmmod cycles with live allocations give every page back
t_borrow_cycles() {
	local m0 m1 i ret=0
	unload || return 1
	# One cycle first: the module's own text and first-use caches
	load size=32M && ctl "alloc order=0 count=64" && unload
	# Caches the earlier cases left (dentries, page cache) are not ours
	settle
	m0=$(mem_free_kb)
	diag "before: $(meminfo_brief)"
	i=0
	while [ $i -lt 30 ]; do
		load size=32M || { diag "insmod $i failed: $INSMOD_ERR"; return 1; }
		ctl_ok "owner create name=c" || ret=1
		ctl_ok "alloc order=$((i % 4)) count=64 owner=c kind=anon" || ret=1
		ctl_ok "alloc order=0 count=64 kind=file" || ret=1
		[ "$(stat_val nr_handles)" = 128 ] ||
			{ diag "cycle $i: $(stat_val nr_handles) handles, want 128"; ret=1; }
		verify_ok || ret=1
		unload || return 1
		i=$((i + 1))
	done
	settle
	m1=$(mem_free_kb)
	diag "after:  $(meminfo_brief)"
	diag "MemFree ${m0} kB before 30 cycles, ${m1} kB after"
	[ $((m0 - m1)) -le 1024 ] || { diag "MemFree fell by $((m0 - m1)) kB"; ret=1; }
	return $ret
}

t_rmmod_live() {
	local ret=0
	load_default || return 1
	ctl_ok "alloc order=0 count=500 tag=live0" || ret=1
	ctl_ok "alloc order=3 count=20 tag=live3" || ret=1
	ctl_ok "alloc order=10 tag=live10" || ret=1
	diag "rmmod with $(stat_val nr_handles) live handles"
	verify_ok || ret=1
	rmmod pgmirror 2>"$TMP/err" || { diag "rmmod failed: $(cat "$TMP/err")"; return 1; }
	is_loaded && { diag "still loaded"; ret=1; }
	[ -e "$DBG" ] && { diag "$DBG left behind"; ret=1; }
	iomem_has_pgmirror && { diag "/proc/iomem still lists pgmirror"; ret=1; }
	return $ret
}

# node_stat NAME: a per-node stat of zoneinfo, summed over the nodes, with
# every pcp CPU's delta folded in first (as vm.stat_refresh): without that
# the counters lag, as upstream's do
node_stat() {
	printf 'stat_refresh\n' >"$D/control"
	awk -v k="$1" '$1 == k { s += $2 } END { print s + 0 }' "$D/zoneinfo"
}

# free_anywhere: the instance's free pages, on the buddy lists or a pcp
free_anywhere() {
	awk '($1 == "pages" && $2 == "free") || $1 == "count:" { s += $NF } END { print s + 0 }' "$D/zoneinfo"
}

# owner_field NAME COLUMN: a column of the owners file for one owner,
# by the header's name for it
owner_field() {
	awk -v n="$1" -v k="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i; next }
		c && $1 == n { print $c }' "$D/owners"
}

t_owners() {
	local ret=0
	need_loaded || return 1
	head -n 1 "$D/owners" | grep -q '^name id nodes oom_score_adj pages min low high max low_events high_events max_events oom_events oom_kill_events high_throttle_ms$' ||
		{ diag "owners header: $(head -n 1 "$D/owners")"; ret=1; }
	ctl_ok "owner create name=web" || ret=1
	ctl_ok "owner create name=db nodes=0 oom_score_adj=-500" || ret=1
	[ "$(owner_field web nodes)" = 0 ] || { diag "web nodes $(owner_field web nodes)"; ret=1; }
	[ "$(owner_field db oom_score_adj)" = -500 ] || { diag "db oom_score_adj $(owner_field db oom_score_adj)"; ret=1; }
	[ "$(owner_field db pages)" = 0 ] || { diag "db pages $(owner_field db pages)"; ret=1; }
	bad_cmd "owner create name=web" EEXIST || ret=1
	ctl_ok "owner create name=prot min=5 low=max" || ret=1
	[ "$(owner_field prot min) $(owner_field prot low) $(owner_field prot low_events)" = "5 max 0" ] ||
		{ diag "prot min/low/low_events $(owner_field prot min) $(owner_field prot low) $(owner_field prot low_events)"; ret=1; }
	ctl_ok "owner set name=prot low=7" || ret=1
	[ "$(owner_field prot low)" = 7 ] || { diag "prot low $(owner_field prot low) after set"; ret=1; }
	bad_cmd "owner set name=prot min=x" EINVAL || ret=1
	ctl_ok "owner destroy name=prot" || ret=1
	ctl_ok "owner destroy name=db" || ret=1
	[ -z "$(owner_field db name)" ] || { diag "db still listed"; ret=1; }
	bad_cmd "owner destroy name=db" ENOENT || ret=1
	ctl_ok "owner destroy name=web" || ret=1
	verify_ok || ret=1
	return $ret
}

t_owner_alloc() {
	local n a0 s0 ret=0
	need_loaded || return 1
	baseline || return 1
	a0=$(node_stat nr_inactive_anon)
	s0=$(node_stat nr_slab_reclaimable)
	ctl_ok "owner create name=app" || return 1
	ctl_ok "alloc owner=app kind=anon order=1 count=3 tag=oa" || ret=1
	ctl_ok "alloc owner=app kind=slab tag=os" || ret=1
	n=$(awk '$7 == "oa" && $8 == "app" && $9 == "anon" && $10 == 0 && $6 == "Movable"' "$D/allocations" | wc -l)
	[ "$n" -eq 3 ] || { diag "$n anon allocations of app, want 3"; ret=1; }
	n=$(awk '$7 == "os" && $9 == "slab" && $6 == "Reclaimable"' "$D/allocations" | wc -l)
	[ "$n" -eq 1 ] || { diag "$n reclaimable slab allocations, want 1"; ret=1; }
	[ "$(owner_field app pages)" = 7 ] || { diag "app pages $(owner_field app pages), want 7"; ret=1; }
	[ "$(node_stat nr_inactive_anon)" -eq $((a0 + 6)) ] ||
		{ diag "nr_inactive_anon $(node_stat nr_inactive_anon), want $((a0 + 6))"; ret=1; }
	[ "$(node_stat nr_slab_reclaimable)" -eq $((s0 + 1)) ] ||
		{ diag "nr_slab_reclaimable $(node_stat nr_slab_reclaimable), want $((s0 + 1))"; ret=1; }
	verify_ok || ret=1
	bad_cmd "owner destroy name=app" EBUSY || ret=1
	ctl_ok "free tag=oa" || ret=1
	ctl_ok "free tag=os" || ret=1
	[ "$(owner_field app pages)" = 0 ] || { diag "app pages $(owner_field app pages) after free"; ret=1; }
	ctl_ok "owner destroy name=app" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

# Owner limits: max reclaims the owner's own file pages, then OOM-kills it;
# __GFP_RETRY_MAYFAIL fails first; owner set lowers a limit
t_owner_limits() {
	local ret=0
	need_loaded || return 1
	baseline || return 1
	ctl_ok "owner create name=lim max=8" || return 1
	ctl_ok "owner create name=other" || ret=1
	ctl_ok "alloc owner=lim kind=file count=8 tag=lf" || ret=1
	ctl_ok "alloc owner=other kind=file count=8 tag=of" || ret=1
	# Over max: 32 pages asked of the owner's 8, all reclaimed
	ctl_ok "alloc owner=lim kind=file tag=lf" || ret=1
	[ "$(owner_field lim pages)" = 1 ] || { diag "lim pages $(owner_field lim pages), want 1"; ret=1; }
	[ "$(owner_field lim max_events)" = 1 ] || { diag "lim max events $(owner_field lim max_events), want 1"; ret=1; }
	[ "$(owner_field other pages)" = 8 ] || { diag "other pages $(owner_field other pages), want 8"; ret=1; }
	[ "$(owner_field lim max)" = 8 ] && [ "$(owner_field lim high)" = max ] ||
		{ diag "lim limits: $(owner_field lim high) $(owner_field lim max)"; ret=1; }
	ctl_ok "free tag=lf" || ret=1
	# Anon cannot be reclaimed: 18 max events, then the owner's OOM
	ctl_ok "owner set name=lim max=4" || ret=1
	ctl_ok "alloc owner=lim kind=anon count=4 tag=la" || ret=1
	ctl "alloc owner=lim kind=anon gfp=GFP_HIGHUSER_MOVABLE|__GFP_RETRY_MAYFAIL tag=lb"
	case $CTL_STATUS in
	"error: ENOMEM: "*) ;;
	*) diag "__GFP_RETRY_MAYFAIL over max: '$CTL_STATUS'"; ret=1 ;;
	esac
	[ "$(owner_field lim max_events)" = 19 ] || { diag "lim max events $(owner_field lim max_events), want 19"; ret=1; }
	[ "$(owner_field lim oom_events)" = 0 ] || { diag "lim oom events $(owner_field lim oom_events), want 0"; ret=1; }
	ctl_ok "alloc owner=lim kind=anon tag=lc" || ret=1
	[ "$(owner_field lim oom_events)" = 1 ] && [ "$(owner_field lim oom_kill_events)" = 1 ] ||
		{ diag "lim oom/oom_kill events $(owner_field lim oom_events)/$(owner_field lim oom_kill_events), want 1/1"; ret=1; }
	[ "$(owner_field lim pages)" = 1 ] || { diag "lim pages $(owner_field lim pages) after the kill, want 1"; ret=1; }
	[ -z "$(awk '$7 == "la"' "$D/allocations")" ] || { diag "la handles survived the OOM kill"; ret=1; }
	dmesg | grep -q "Memory cgroup out of memory: Killed owner [0-9]* (lim)" ||
		{ diag "no memcg OOM kill line in dmesg"; ret=1; }
	ctl_ok "owner set name=lim high=0 max=max" || ret=1
	[ "$CTL_STATUS" = "ok: owner lim: 1 pages, min 0, low 0, high 0, max max" ] ||
		{ diag "owner set status '$CTL_STATUS'"; ret=1; }
	# Two anon pages over high=0 (lim, killed, is dying and exempt), in
	# one write: its way out makes 17 fruitless passes, then the throttle
	# of one page over one, 64 * HZ * 2 / 64 jiffies, two seconds, is
	# counted, not slept
	ctl_ok "owner create name=thr high=0" || ret=1
	ctl_ok "alloc owner=thr kind=anon count=2 tag=lt" || ret=1
	[ "$(owner_field thr high_events)" = 17 ] ||
		{ diag "thr high events $(owner_field thr high_events), want 17"; ret=1; }
	[ "$(owner_field thr high_throttle_ms)" = 2000 ] ||
		{ diag "thr high_throttle_ms $(owner_field thr high_throttle_ms), want 2000"; ret=1; }
	ctl_ok "free tag=lt" || ret=1
	ctl_ok "owner destroy name=thr" || ret=1
	bad_cmd "owner set name=lim" EINVAL || ret=1
	bad_cmd "owner set name=nosuch max=1" ENOENT || ret=1
	bad_cmd "owner set name=lim max=-1" EINVAL || ret=1
	verify_ok || ret=1
	ctl_ok "free all" || ret=1
	ctl_ok "owner destroy name=lim" || ret=1
	ctl_ok "owner destroy name=other" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

t_dirty_writeback() {
	local h n d0 ret=0
	need_loaded || return 1
	baseline || return 1
	d0=$(node_stat nr_dirty)
	ctl_ok "alloc kind=file order=1 count=2 tag=fd" || ret=1
	ctl_ok "alloc kind=anon tag=an" || ret=1
	ctl_ok "dirty tag=fd" || ret=1
	[ "$(node_stat nr_dirty)" -eq $((d0 + 4)) ] ||
		{ diag "nr_dirty $(node_stat nr_dirty), want $((d0 + 4))"; ret=1; }
	n=$(awk '$7 == "fd" && $10 == 1' "$D/allocations" | wc -l)
	[ "$n" -eq 2 ] || { diag "$n dirty fd allocations, want 2"; ret=1; }
	h=$(awk '$7 == "an" { print $1 }' "$D/allocations")
	bad_cmd "dirty handle=$h" EINVAL || ret=1
	bad_cmd "dirty tag=an" EINVAL || ret=1
	bad_cmd "dirty tag=nosuchtag" ENOENT || ret=1
	verify_ok || ret=1
	ctl_ok "writeback all" || ret=1
	[ "$(node_stat nr_dirty)" -eq "$d0" ] ||
		{ diag "nr_dirty $(node_stat nr_dirty) after writeback, want $d0"; ret=1; }
	n=$(awk '$7 == "fd" && $10 != 0' "$D/allocations" | wc -l)
	[ "$n" -eq 0 ] || { diag "$n fd allocations still dirty"; ret=1; }
	ctl_ok "free tag=fd" || ret=1
	ctl_ok "free tag=an" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

# memory.min through the control file: an owner within it keeps its file
# pages through direct reclaim, which takes an unprotected owner's instead
t_memcg_protection() {
	local p0 o0 free ret=0
	need_loaded || return 1
	baseline || return 1
	ctl_ok "owner create name=prot min=max" || ret=1
	ctl_ok "owner create name=open" || ret=1
	ctl_ok "alloc kind=file owner=prot count=4096 tag=pp gfp=__GFP_MOVABLE|__GFP_NOWARN" || ret=1
	ctl "alloc kind=file owner=open order=2 count=65536 tag=op gfp=__GFP_MOVABLE|__GFP_NOWARN"
	case $CTL_STATUS in
	ok:*) ;;
	*) diag "fill: $CTL_STATUS"; ret=1 ;;
	esac
	p0=$(owner_field prot pages)
	o0=$(owner_field open pages)
	free=$(free_anywhere)
	diag "filled: prot $p0 pages, open $o0, free $free"
	ctl_ok "alloc kind=kernel count=$((free + 256)) tag=pk" || ret=1
	[ "$(owner_field prot pages)" = "$p0" ] ||
		{ diag "prot pages $(owner_field prot pages), want $p0"; ret=1; }
	[ "$(owner_field open pages)" -lt "$o0" ] ||
		{ diag "open pages $(owner_field open pages), want fewer than $o0"; ret=1; }
	[ "$(owner_field prot low_events)" = 0 ] ||
		{ diag "prot low_events $(owner_field prot low_events)"; ret=1; }
	diag "after: prot $(owner_field prot pages) pages, open $(owner_field open pages), pgsteal_direct $(stat_val pgsteal_direct)"
	verify_ok || ret=1
	ctl_ok "free all" || ret=1
	ctl_ok "owner destroy name=prot" || ret=1
	ctl_ok "owner destroy name=open" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

# A user task's direct reclaim on a node down to half its min reserves:
# throttle_direct_reclaim(), counted and not slept. The file fill and an
# __GFP_HIGH kernel fill (reserves to 3/8 of min) neither reclaim nor wake
# kswapd, which is off so that nothing lifts the free pages in between
t_reclaim_throttle() {
	local t0 ret=0
	need_loaded || return 1
	baseline || return 1
	ctl_ok "set kswapd=0" || ret=1
	ctl "alloc kind=file order=2 count=65536 tag=tf gfp=__GFP_MOVABLE|__GFP_NOWARN"
	case $CTL_STATUS in
	ok:*) ;;
	*) diag "file fill: $CTL_STATUS"; ret=1 ;;
	esac
	ctl "alloc kind=kernel count=65536 tag=th gfp=__GFP_HIGH|__GFP_NOWARN"
	case $CTL_STATUS in
	ok:*) ;;
	*) diag "reserve fill: $CTL_STATUS"; ret=1 ;;
	esac
	t0=$(stat_val pgscan_direct_throttle)
	ctl_ok "alloc kind=kernel tag=tk" || ret=1
	[ "$(stat_val pgscan_direct_throttle)" -gt "$t0" ] ||
		{ diag "pgscan_direct_throttle stayed at $t0"; ret=1; }
	diag "pgscan_direct_throttle $(stat_val pgscan_direct_throttle), allocstall $(stat_sum '^allocstall_')"
	verify_ok || ret=1
	ctl_ok "free all" || ret=1
	ctl_ok "set kswapd=1" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

# Fill with file pages that neither reclaim nor wake kswapd, then make
# GFP_KERNEL reclaim directly: more kernel pages than the fill left free
# anywhere, buddy or pcp, by more than the counters can lag (64 were
# served without reclaim in one run, the fill having left them free)
t_direct_reclaim() {
	local s0 p0 f0 free n ret=0
	need_loaded || return 1
	baseline || return 1
	s0=$(stat_sum '^allocstall_')
	p0=$(stat_val pgsteal_direct)
	ctl "alloc kind=file order=2 count=65536 tag=rf gfp=__GFP_MOVABLE|__GFP_NOWARN"
	case $CTL_STATUS in
	ok:*) ;;
	*) diag "fill: $CTL_STATUS"; ret=1 ;;
	esac
	f0=$(node_stat nr_inactive_file)
	diag "filled: nr_inactive_file $f0"
	free=$(free_anywhere)
	diag "free after the fill, buddy and pcp: $free pages"
	ctl_ok "alloc kind=kernel count=$((free + 256)) tag=rk" || ret=1
	[ "$(stat_sum '^allocstall_')" -gt "$s0" ] ||
		{ diag "allocstall_* did not rise"; ret=1; }
	[ "$(stat_val pgsteal_direct)" -gt "$p0" ] ||
		{ diag "pgsteal_direct did not rise"; ret=1; }
	[ "$(node_stat nr_inactive_file)" -lt "$f0" ] ||
		{ diag "nr_inactive_file did not fall"; ret=1; }
	n=$(awk '$7 == "rk"' "$D/allocations" | wc -l)
	[ "$n" -eq $((free + 256)) ] || { diag "$n of $((free + 256)) kernel allocations"; ret=1; }
	diag "allocstall $(stat_sum '^allocstall_') pgscan_direct $(stat_val pgscan_direct) pgsteal_direct $(stat_val pgsteal_direct)"
	verify_ok || ret=1
	ctl_ok "free all" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

# zones_above_high: how many zones of zoneinfo have pages free above high
zones_above_high() {
	awk '$1 == "pages" && $2 == "free" { f = $3; z = 1 }
	     z && $1 == "high" { if (f > $2) n++; z = 0 }
	     END { print n + 0 }' "$D/zoneinfo"
}

# Fill to near min without direct reclaim: kswapd, woken by the slow path,
# reclaims in the background once the write drops iface_lock
t_kswapd() {
	local p0 i n=0 ret=0
	need_loaded || return 1
	baseline || return 1
	p0=$(stat_val pgsteal_kswapd)
	ctl "alloc kind=file order=2 count=65536 tag=kf gfp=GFP_NOWAIT|__GFP_MOVABLE|__GFP_NOWARN"
	diag "filled: $CTL_STATUS; nr_inactive_file $(node_stat nr_inactive_file)"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.5
		[ "$(stat_val pgsteal_kswapd)" -gt "$p0" ] &&
			[ "$(zones_above_high)" -gt 0 ] && break
	done
	n=$(zones_above_high)
	diag "after ${i}x0.5s: $n zone(s) above high; pageoutrun $(stat_val pageoutrun) pgscan_kswapd $(stat_val pgscan_kswapd) pgsteal_kswapd $(stat_val pgsteal_kswapd)"
	[ "$n" -gt 0 ] || { diag "no zone back above high"; ret=1; }
	[ "$(stat_val pgsteal_kswapd)" -gt "$p0" ] ||
		{ diag "pgsteal_kswapd did not rise"; ret=1; }
	verify_ok || ret=1
	ctl_ok "free all" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

# rmmod while kswapd reclaims: kthread_stop waits for the balance to end
# nr_kswapd: pgmirror's kswapd threads (comm pgm_kswapd/NAME/NID, cut)
nr_kswapd() {
	cat /proc/[0-9]*/comm 2>/dev/null | grep -c '^pgm_kswapd'
}

t_rmmod_kswapd() {
	local ret=0 i=0
	load_default || return 1
	[ "$(nr_kswapd)" -gt 0 ] || { diag "no pgm_kswapd thread after load"; ret=1; }
	ctl "alloc kind=file order=0 count=65536 tag=kr gfp=GFP_NOWAIT|__GFP_MOVABLE|__GFP_NOWARN"
	ctl "alloc kind=file order=2 count=65536 tag=kr2 gfp=GFP_NOWAIT|__GFP_MOVABLE|__GFP_NOWARN"
	# The fills woke kswapd: rmmod meets it balancing or just after
	while [ "$(stat_val pageoutrun)" = 0 ] && [ $i -lt 60 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	[ "$(stat_val pageoutrun)" -gt 0 ] 2>/dev/null || { diag "kswapd never ran"; ret=1; }
	rmmod pgmirror 2>"$TMP/err" || { diag "rmmod failed: $(cat "$TMP/err")"; return 1; }
	is_loaded && { diag "still loaded"; ret=1; }
	[ -e "$DBG" ] && { diag "$DBG left behind"; ret=1; }
	[ "$(nr_kswapd)" = 0 ] || { diag "$(nr_kswapd) pgm_kswapd threads left"; ret=1; }
	return $ret
}

# oom_owners: owners small (4096 anon pages, tag os) and large (the rest,
# tag ol), filled without reclaim down to the reserves
oom_owners() {
	local ret=0
	ctl_ok "owner create name=small" || ret=1
	ctl_ok "owner create name=large" || ret=1
	ctl_ok "alloc owner=small kind=anon count=4096 tag=os gfp=GFP_NOWAIT|__GFP_MOVABLE|__GFP_NOWARN" || ret=1
	ctl "alloc owner=large kind=anon order=2 count=65536 tag=ol gfp=GFP_NOWAIT|__GFP_MOVABLE|__GFP_NOWARN"
	ctl "alloc owner=large kind=anon count=65536 tag=ol gfp=GFP_NOWAIT|__GFP_MOVABLE|__GFP_NOWARN"
	diag "filled: small $(owner_field small pages) pages, large $(owner_field large pages) pages"
	[ "$(owner_field large pages)" -gt 4096 ] || { diag "large has only $(owner_field large pages) pages"; ret=1; }
	return $ret
}

# oom_owners_gone: free everything, destroy both owners, back to the baseline
oom_owners_gone() {
	local ret=0
	verify_ok || ret=1
	ctl_ok "free all" || ret=1
	ctl_ok "owner destroy name=small" || ret=1
	ctl_ok "owner destroy name=large" || ret=1
	back_to_baseline || ret=1
	verify_ok || ret=1
	return $ret
}

t_oom_kill() {
	local k0 n ret=0
	need_loaded || return 1
	baseline || return 1
	k0=$(stat_val oom_kill)
	oom_owners || ret=1
	# nothing to reclaim: GFP_KERNEL must kill the larger owner
	ctl_ok "alloc kind=kernel count=64 tag=ok" || ret=1
	[ "$(stat_val oom_kill)" -eq $((k0 + 1)) ] ||
		{ diag "oom_kill $(stat_val oom_kill), want $((k0 + 1))"; ret=1; }
	[ "$(owner_field large pages)" = 0 ] || { diag "large pages $(owner_field large pages), want 0"; ret=1; }
	[ "$(owner_field small pages)" = 4096 ] || { diag "small pages $(owner_field small pages), want 4096"; ret=1; }
	n=$(awk '$7 == "ol"' "$D/allocations" | wc -l)
	[ "$n" -eq 0 ] || { diag "$n allocations of large left"; ret=1; }
	n=$(awk '$7 == "ok"' "$D/allocations" | wc -l)
	[ "$n" -eq 64 ] || { diag "$n of 64 kernel allocations"; ret=1; }
	dmesg | grep -q "Out of memory: Killed owner [0-9]* (large)" ||
		{ diag "no OOM kill line in dmesg"; ret=1; }
	oom_owners_gone || ret=1
	return $ret
}

# oom_kill_allocating_task=1: the owner asking dies, not the largest
t_oom_kill_allocating() {
	local k0 l0 n d0 ret=0
	need_loaded || return 1
	baseline || return 1
	k0=$(stat_val oom_kill)
	d0=$(dmesg | grep -c "Out of memory (oom_kill_allocating_task): Killed owner [0-9]* (small)")
	oom_owners || ret=1
	# Without pcp lists, and filled again to the watermark: pages the
	# fills left on the pcps of whichever CPUs they ran on would come
	# back in the request's drain_all_pages() and be granted before the
	# kill, which then frees them with the rest of small
	ctl_ok "set pcp=0" || ret=1
	ctl "alloc owner=large kind=anon count=65536 tag=ol gfp=GFP_NOWAIT|__GFP_MOVABLE|__GFP_NOWARN"
	l0=$(owner_field large pages)
	ctl_ok "set oom_kill_allocating_task=1" || ret=1
	ctl_ok "alloc owner=small kind=anon count=64 tag=oa" || ret=1
	ctl_ok "set pcp=1" || ret=1
	[ "$(stat_val oom_kill)" -eq $((k0 + 1)) ] ||
		{ diag "oom_kill $(stat_val oom_kill), want $((k0 + 1))"; ret=1; }
	[ "$(owner_field large pages)" = "$l0" ] || { diag "large pages $(owner_field large pages), want $l0"; ret=1; }
	[ "$(owner_field small pages)" = 64 ] || { diag "small pages $(owner_field small pages), want 64"; ret=1; }
	n=$(awk '$7 == "os"' "$D/allocations" | wc -l)
	[ "$n" -eq 0 ] || { diag "$n allocations of small left"; ret=1; }
	n=$(dmesg | grep -c "Out of memory (oom_kill_allocating_task): Killed owner [0-9]* (small)")
	[ "$n" -eq $((d0 + 1)) ] || { diag "$((n - d0)) oom_kill_allocating_task lines in dmesg, want 1"; ret=1; }
	ctl_ok "set oom_kill_allocating_task=0" || ret=1
	oom_owners_gone || ret=1
	return $ret
}

# load_small: a fresh 32M instance (8192 pages, 16 pageblocks, min 181)
load_small() {
	if [ "$HAVE_CARVE" = 1 ]; then
		load base="$BASE" size=32M
	else
		load size=32M
	fi || { diag "insmod size=32M failed ($INSMOD_RC): $INSMOD_ERR"; return 1; }
}

# bi_order9: free blocks of order 9 and 10 in buddyinfo
bi_order9() {
	bi | awk '{ s += $14 + $15 } END { print s + 0 }'
}

# zone_field NAME: a field of node 0's Normal zone in zoneinfo (min, ...)
zone_field() {
	awk -v k="$1" '/^Node/ { z = ($2 == "0," && $4 == "Normal") }
		z && $1 == k && NF == 2 { print $2; exit }' "$D/zoneinfo"
}

# free_even_pfns TAG: free the handles of TAG at even pfns, one by one
free_even_pfns() {
	local h fails=0
	awk -v t="$1" '$7 == t && $3 % 2 == 0 { print $1 }' "$D/allocations" >"$TMP/even"
	while read -r h; do
		printf 'free handle=%s\n' "$h" >"$D/control" 2>/dev/null ||
			fails=$((fails + 1))
	done <"$TMP/even"
	diag "freed $(wc -l <"$TMP/even") $1 handles at even pfns, $fails failed"
	[ "$fails" -eq 0 ]
}

# tag_count TAG: the handles of TAG
tag_count() {
	awk -v t="$1" '$7 == t' "$D/allocations" | wc -l
}

# kept_handles TAG N: compaction moved the N handles of TAG, freed none
kept_handles() {
	local n
	n=$(tag_count "$1")
	[ "$n" -eq "$2" ] || { diag "$n $1 handles, want $2 (migrated, not freed)"; return 1; }
}

# checkerboard TAG: kcompactd off, fill the instance with order-0 anon
# pages of TAG, free those at even pfns and drain: no free block of order
# 9 or above is left
checkerboard() {
	ctl_ok "set kcompactd=0" || return 1
	ctl "alloc kind=anon count=65536 tag=$1 gfp=GFP_NOWAIT|__GFP_MOVABLE|__GFP_NOWARN"
	diag "filled: $CTL_STATUS"
	free_even_pfns "$1" || return 1
	ctl_ok drain || return 1
	diag "$(bi)"
	[ "$(bi_order9)" -eq 0 ] ||
		{ diag "$(bi_order9) free blocks of order 9 or 10 before compaction"; return 1; }
}

# The checkerboard, then kcompactd on and a compaction_proactiveness
# write, which asks for a proactive pass at once: kcompactd compacts in
# the background until the score is down, and blocks of order 9 appear
t_kcompactd_proactive() {
	local n0 i ret=0
	load_small || return 1
	baseline || return 1
	checkerboard kp || ret=1
	[ "$ret" -eq 0 ] || return 1
	n0=$(tag_count kp)
	ctl_ok "set kcompactd=1" || ret=1
	ctl_ok "set compaction_proactiveness=100" || ret=1
	grep -qx 'compaction_proactiveness=100' "$D/tunables" ||
		{ diag "tunables: no compaction_proactiveness=100"; ret=1; }
	i=0
	while [ "$i" -lt 30 ] && [ "$(stat_val compact_daemon_migrate_scanned)" -eq 0 ]; do
		sleep 1; i=$((i + 1))
	done
	ctl_ok "set compaction_proactiveness=0" || ret=1
	sleep 1
	ctl_ok drain || ret=1
	diag "$(grep -E '^(compact_daemon|pgmigrate_)' "$D/stats" | tr '\n' ' ')"
	diag "$(bi)"
	[ "$(stat_val compact_daemon_migrate_scanned)" -gt 0 ] ||
		{ diag "kcompactd never scanned"; ret=1; }
	[ "$(stat_val pgmigrate_success)" -gt 0 ] || { diag "nothing migrated"; ret=1; }
	[ "$(bi_order9)" -gt 0 ] || { diag "no free block of order 9 after the pass"; ret=1; }
	kept_handles kp "$n0" || ret=1
	finish_scenario || ret=1
	return $ret
}

# The checkerboard, then compact (as /proc/sys/vm/compact_memory): the
# status gives each node's fragmentation score before and after
t_compact_cmd() {
	local before after ret=0
	load_small || return 1
	baseline || return 1
	checkerboard kc || ret=1
	[ "$ret" -eq 0 ] || return 1
	ctl_ok compact || ret=1
	diag "$CTL_STATUS"
	before=$(printf '%s\n' "$CTL_STATUS" | sed -n 's/.* 0:\([0-9]*\)->\([0-9]*\)$/\1/p')
	after=$(printf '%s\n' "$CTL_STATUS" | sed -n 's/.* 0:\([0-9]*\)->\([0-9]*\)$/\2/p')
	[ -n "$before" ] && [ -n "$after" ] || { diag "no score in '$CTL_STATUS'"; return 1; }
	# fragmentation_score_zone_weighted(): no free block of order 9 or
	# more, so 100 of the zone's 8192 pages over the node's 8193
	[ "$before" -eq $((8192 * 100 / 8193)) ] ||
		{ diag "score before $before, want $((8192 * 100 / 8193))"; ret=1; }
	[ "$after" -lt "$before" ] || { diag "score $before->$after did not fall"; ret=1; }
	ctl_ok drain || ret=1
	[ "$(bi_order9)" -gt 0 ] || { diag "no free block of order 9 after compact"; ret=1; }
	[ "$(stat_val compact_daemon_migrate_scanned)" -eq 0 ] ||
		{ diag "compact counted as kcompactd's"; ret=1; }
	ctl "compact nid=1"
	[ "$CTL_RC" -ne 0 ] || { diag "compact nid=1 on one node succeeded"; ret=1; }
	finish_scenario || ret=1
	return $ret
}

# Fill a zone with order-0 anon pages, free those at even pfns (a
# checkerboard: no free block above order 0), then a costly order-9
# GFP_KERNEL|__GFP_RETRY_MAYFAIL request must compact to succeed
t_compaction() {
	local st0 sc0 mg0 n0 n ret=0
	load_small || return 1
	baseline || return 1
	# kcompactd off: the holes stay until this request compacts them
	checkerboard cf || ret=1
	n0=$(tag_count cf)
	[ "$ret" -eq 0 ] || return 1
	st0=$(stat_val compact_stall)
	sc0=$(stat_val compact_success)
	mg0=$(stat_val pgmigrate_success)
	ctl_ok "alloc order=9 gfp=GFP_KERNEL|__GFP_RETRY_MAYFAIL tag=c9" || ret=1
	diag "$CTL_STATUS"
	diag "$(grep -E '^(compact_|pgmigrate_)' "$D/stats" | tr '\n' ' ')"
	[ "$(stat_val compact_stall)" -gt "$st0" ] || { diag "compact_stall did not rise"; ret=1; }
	[ "$(stat_val compact_success)" -gt "$sc0" ] || { diag "compact_success did not rise"; ret=1; }
	[ "$(stat_val pgmigrate_success)" -gt "$mg0" ] || { diag "pgmigrate_success did not rise"; ret=1; }
	n=$(awk '$7 == "c9" && $2 == 9' "$D/allocations" | wc -l)
	[ "$n" -eq 1 ] || { diag "$n order-9 c9 handles, want 1"; ret=1; }
	kept_handles cf "$n0" || ret=1
	finish_scenario || ret=1
	return $ret
}

# Fill below min with memory nothing can reclaim and no owner to kill:
# GFP_KERNEL|__GFP_NOFAIL gets the reserves (ALLOC_NO_WATERMARKS)
t_nofail() {
	local f0 k0 free min n ret=0
	load_small || return 1
	baseline || return 1
	k0=$(stat_val oom_kill)
	ctl "alloc kind=pinned order=2 count=65536 tag=np gfp=GFP_ATOMIC|__GFP_MOVABLE|__GFP_NOWARN"
	diag "pinned: $CTL_STATUS"
	ctl "alloc kind=kernel count=65536 tag=nk gfp=GFP_ATOMIC|__GFP_NOWARN"
	diag "kernel: $CTL_STATUS"
	ctl_ok drain || ret=1
	ctl_ok stat_refresh || ret=1
	free=$(zone_field nr_free_pages)
	min=$(zone_field min)
	diag "free $free, min $min"
	[ "$free" -lt "$min" ] || { diag "free $free is not below min $min"; ret=1; }
	f0=$(stat_val alloc_fail)
	ctl_ok "alloc kind=kernel gfp=GFP_KERNEL|__GFP_NOFAIL tag=nf" || ret=1
	diag "$CTL_STATUS; free now $(zone_field nr_free_pages)"
	n=$(awk '$7 == "nf"' "$D/allocations" | wc -l)
	[ "$n" -eq 1 ] || { diag "$n nf handles, want 1"; ret=1; }
	[ "$(stat_val alloc_fail)" -eq "$f0" ] ||
		{ diag "alloc_fail rose $f0 -> $(stat_val alloc_fail)"; ret=1; }
	[ "$(stat_val oom_kill)" -eq "$k0" ] ||
		{ diag "oom_kill rose $k0 -> $(stat_val oom_kill) with no owner"; ret=1; }
	finish_scenario || ret=1
	return $ret
}

# fill_to_zero TAG: take every page, reserves and pcp pages included,
# with allocations nothing can reclaim and no owner to kill
fill_to_zero() {
	local i
	for i in 1 2 3; do
		ctl "alloc kind=kernel count=65536 tag=$1 gfp=GFP_KERNEL|__GFP_MEMALLOC|__GFP_NOWARN"
		ctl_ok drain || return 1
		ctl_ok stat_refresh || return 1
		[ "$(stat_val nr_free_pages)" = 0 ] && return 0
	done
	diag "nr_free_pages is $(stat_val nr_free_pages) after filling"
	return 1
}

# nofail_bg TAG [GFP]: a GFP_KERNEL|__GFP_NOFAIL (or GFP) write in the
# background; its exit status goes to $TMP/TAG.rc, its pid to NOFAIL_PID
nofail_bg() {
	rm -f "$TMP/$1.rc"
	( printf '%s\n' "alloc kind=kernel gfp=${2:-GFP_KERNEL|__GFP_NOFAIL} tag=$1" \
		>"$D/control" 2>/dev/null
	  echo $? >"$TMP/$1.rc" ) &
	NOFAIL_PID=$!
}

# With nothing free, nothing to reclaim and nobody to kill, a __GFP_NOFAIL
# write waits for memory instead of failing: a free from another writer
# lets it finish; rmmod is refused meanwhile (the open file holds the
# module); a signal ends the wait with EINTR
t_nofail_wait() {
	local h n st ret=0
	load_small || return 1
	baseline || return 1
	fill_to_zero nz || ret=1
	nofail_bg nw
	sleep 1
	[ -e "$TMP/nw.rc" ] &&
		{ diag "the write did not wait: rc $(cat "$TMP/nw.rc"), control: $(cat "$D/control")"; ret=1; }
	h=$(awk '$7 == "nz" { print $1; exit }' "$D/allocations")
	ctl_ok "free handle=$h" || ret=1
	wait "$NOFAIL_PID"
	[ "$(cat "$TMP/nw.rc" 2>/dev/null)" = 0 ] ||
		{ diag "the waiting write ended with rc $(cat "$TMP/nw.rc" 2>/dev/null)"; ret=1; }
	n=$(awk '$7 == "nw"' "$D/allocations" | wc -l)
	[ "$n" -eq 1 ] || { diag "$n nw handles, want 1"; ret=1; }
	verify_ok || ret=1

	nofail_bg ni
	sleep 1
	rmmod pgmirror 2>/dev/null && { diag "rmmod went through a waiting write"; ret=1; }
	kill -TERM "$NOFAIL_PID"
	wait "$NOFAIL_PID"
	st=$(cat "$D/control")
	case $st in
	"error: EINTR: "*) ;;
	*) diag "after the signal control reads '$st'"; ret=1 ;;
	esac
	n=$(awk '$7 == "ni"' "$D/allocations" | wc -l)
	[ "$n" -eq 0 ] || { diag "$n ni handles after the signal"; ret=1; }
	verify_ok || ret=1
	unload || ret=1
	return $ret
}

# GFP_NOFS with nothing free and nobody to kill: out_of_memory() kills
# nobody for it but reports progress, and the slow path goes round until
# memory comes back. The write waits as __GFP_NOFAIL does: a free from
# another writer lets it finish, a signal ends it with EINTR. A replay of
# the same request fails at once instead
t_nofs_wait() {
	local f0 n st rc ret=0
	load_small || return 1
	baseline || return 1
	fill_to_zero nz || ret=1
	nofail_bg fw GFP_NOFS
	sleep 1
	[ -e "$TMP/fw.rc" ] &&
		{ diag "the write did not wait: rc $(cat "$TMP/fw.rc"), control: $(cat "$D/control")"; ret=1; }
	ctl_ok "free tag=nz" || ret=1
	wait "$NOFAIL_PID"
	[ "$(cat "$TMP/fw.rc" 2>/dev/null)" = 0 ] ||
		{ diag "the waiting write ended with rc $(cat "$TMP/fw.rc" 2>/dev/null)"; ret=1; }
	n=$(awk '$7 == "fw"' "$D/allocations" | wc -l)
	[ "$n" -eq 1 ] || { diag "$n fw handles, want 1"; ret=1; }

	fill_to_zero nz2 || ret=1
	nofail_bg fi GFP_NOFS
	sleep 1
	kill -TERM "$NOFAIL_PID"
	wait "$NOFAIL_PID"
	st=$(cat "$D/control")
	case $st in
	"error: EINTR: interrupted while a request without __GFP_FS waited for memory") ;;
	*) diag "after the signal control reads '$st'"; ret=1 ;;
	esac
	n=$(awk '$7 == "fi"' "$D/allocations" | wc -l)
	[ "$n" -eq 0 ] || { diag "$n fi handles after the signal"; ret=1; }
	# alloc_bulk falls back to the single-page path, which waits the same
	( printf '%s\n' "alloc_bulk count=4 gfp=GFP_NOFS tag=fb" >"$D/control" 2>/dev/null ) &
	n=$!
	sleep 1
	kill -TERM "$n"
	wait "$n"
	st=$(cat "$D/control")
	case $st in
	"error: EINTR: interrupted while a request without __GFP_FS waited for memory") ;;
	*) diag "alloc_bulk after the signal: control reads '$st'"; ret=1 ;;
	esac

	f0=$(replay_val "$NAME" alloc_fail)
	[ "$f0" = missing ] && f0=0
	timeout 20 sh -c "printf '%s\n' 't-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x79 order=0 migratetype=0 gfp_flags=GFP_NOFS' >'$D/replay'"
	rc=$?
	[ "$rc" = 0 ] || { diag "the replayed GFP_NOFS request: rc $rc"; ret=1; }
	[ "$(replay_val "$NAME" alloc_fail)" = $((f0 + 1)) ] ||
		{ diag "replay alloc_fail $f0 -> $(replay_val "$NAME" alloc_fail)"; ret=1; }
	verify_ok || ret=1
	unload || ret=1
	return $ret
}

t_owner_nodes() {
	local n ret=0
	if [ "$HAVE_CARVE" = 1 ]; then
		load base="$BASE" size=$CARVE_SIZE nodes=2
	else
		load size=$BORROW_SIZE nodes=2
	fi || { diag "insmod nodes=2 failed ($INSMOD_RC): $INSMOD_ERR"; return 1; }
	ctl_ok "owner create name=n1 nodes=1" || ret=1
	[ "$(owner_field n1 nodes)" = 1 ] || { diag "n1 nodes $(owner_field n1 nodes)"; ret=1; }
	ctl_ok "alloc nid=0 owner=n1 kind=file count=4 tag=c1" || ret=1
	n=$(awk '$7 == "c1" && $4 == 1' "$D/allocations" | wc -l)
	[ "$n" -eq 4 ] || { diag "$n of 4 owner-n1 allocations on node 1"; ret=1; }
	# Hardwall (GFP_USER) stays on node 1; GFP_KERNEL is softwall in the
	# slow path, where node 0, the root cpuset's, is allowed
	bad_cmd "alloc nid=0 owner=n1 gfp=GFP_USER|__GFP_THISNODE|__GFP_NOWARN" ENOMEM || ret=1
	ctl_ok "alloc nid=0 owner=n1 gfp=GFP_KERNEL|__GFP_THISNODE tag=sw" || ret=1
	n=$(awk '$7 == "sw" && $4 == 0' "$D/allocations" | wc -l)
	[ "$n" -eq 1 ] || { diag "softwall GFP_KERNEL not on node 0 ($n)"; ret=1; }
	verify_ok || ret=1
	unload || ret=1
	return $ret
}

t_rmmod_owners() {
	local ret=0
	load_default || return 1
	ctl_ok "owner create name=keep" || ret=1
	ctl_ok "owner create name=idle" || ret=1
	ctl_ok "alloc owner=keep kind=file count=10 tag=k" || ret=1
	ctl_ok "dirty tag=k" || ret=1
	ctl_ok "alloc owner=keep kind=pinned order=2 tag=p" || ret=1
	verify_ok || ret=1
	rmmod pgmirror 2>"$TMP/err" || { diag "rmmod failed: $(cat "$TMP/err")"; return 1; }
	is_loaded && { diag "still loaded"; ret=1; }
	[ -e "$DBG" ] && { diag "$DBG left behind"; ret=1; }
	return $ret
}

# Let deferred frees finish and drop clean caches, so MemFree means memory
settle() {
	sync
	sleep 1
	echo 3 >/proc/sys/vm/drop_caches 2>/dev/null
	sleep 1
}

meminfo_brief() {
	awk '/^(MemFree|Slab|VmallocUsed|Percpu|Cached):/ { printf "%s %s ", $1, $2 }' /proc/meminfo
}

# MemFree plus the pages the host's pcp lists hold, which MemFree leaves
# out and which come and go with every free on every CPU
mem_free_kb() {
	local free pcp
	free=$(awk '$1 == "MemFree:" { print $2 }' /proc/meminfo)
	pcp=$(awk '$1 == "count:" { n += $2 } END { print n + 0 }' /proc/zoneinfo)
	echo $((free + pcp * 4))
}

t_borrow() {
	local m0 m1 m2 ret=0
	unload || return 1
	m0=$(mem_free_kb)
	load size=32M name=borrow1 ||
		{ diag "insmod size=32M failed ($INSMOD_RC): $INSMOD_ERR"; return 1; }
	m1=$(mem_free_kb)
	diag "MemFree ${m0} kB -> ${m1} kB with 32M borrowed"
	[ $((m0 - m1)) -ge 24576 ] || { diag "MemFree fell by less than 24M"; ret=1; }
	[ -d "$DBG/borrow1" ] || { diag "$DBG/borrow1 missing"; return 1; }
	iomem_has_pgmirror && { diag "borrow mode claimed iomem"; ret=1; }
	D=$DBG/borrow1
	baseline || ret=1
	ctl_ok "alloc order=0 count=64 tag=b0" || ret=1
	ctl_ok "alloc order=4 count=4 tag=b4" || ret=1
	ctl_ok "free tag=b0" || ret=1
	ctl_ok "free tag=b4" || ret=1
	back_to_baseline || ret=1
	# Leave some live, for rmmod to give back.
	ctl_ok "alloc order=0 count=64 tag=b0" || ret=1
	verify_ok || ret=1
	D=$DBG/$NAME
	unload || return 1
	[ -e "$DBG" ] && { diag "$DBG left behind"; ret=1; }
	m2=$(mem_free_kb)
	diag "MemFree after rmmod: ${m2} kB"
	[ $((m0 - m2)) -le 8192 ] || { diag "MemFree did not recover (leak?)"; ret=1; }
	return $ret
}

t_reload() {
	local ret=0
	load_default || return 1
	# The carve-out, given back by the last rmmod, is claimed again
	if [ "$HAVE_CARVE" = 1 ] && ! iomem_has_pgmirror; then
		diag "the carve-out is not claimed as pgmirror after a reload"
		ret=1
	fi
	ctl_ok "alloc order=5 count=3 tag=again" || ret=1
	verify_ok || ret=1
	unload || ret=1
	if iomem_has_pgmirror; then
		diag "/proc/iomem still lists pgmirror after rmmod"
		ret=1
	fi
	return $ret
}

# ----------------------------------------------------------------- runner ---

run_case() {
	local fn=$1 desc=$2 rc n0 splat
	n0=$(dmesg_lines)
	SKIP_REASON=
	eval "$fn"
	rc=$?
	splat=$(dmesg | tail -n +$((n0 + 1)) |
		grep -E 'WARNING:|BUG:|Oops|general protection|circular locking|inconsistent lock state|blocked for more than')
	if [ -n "$splat" ]; then
		diag "kernel splat during this case:"
		diag "$(dmesg | tail -n +$((n0 + 1)) | head -n 40)"
		rc=1
	fi
	NR=$((NR + 1))
	case $rc in
	0) echo "ok $NR - $desc"; PASS=$((PASS + 1)) ;;
	4) echo "ok $NR - $desc # SKIP $SKIP_REASON"; SKIP=$((SKIP + 1)) ;;
	*) echo "not ok $NR - $desc"; FAIL=$((FAIL + 1)) ;;
	esac
}

CASES='
param_err "size=0" EINVAL :: insmod size=0 fails with EINVAL
t_no_size :: insmod without size= makes no instance but the top-level control file
param_err "nodes=2" EINVAL :: insmod with nodes= but no size= fails with EINVAL
param_err "base=0x40000000" EINVAL :: insmod with base= but no size= fails with EINVAL
param_err "size=3M" EINVAL :: insmod size=3M (not a multiple of 4M) fails with EINVAL
param_err "size=4M nodes=4" EINVAL :: insmod size=4M nodes=4 (1M per node, under a pageblock) fails with EINVAL
param_err "base=0x40001000 size=16M" EINVAL :: insmod with a misaligned base fails with EINVAL
param_err "base=0x1000000 size=16M" EBUSY :: insmod over System RAM fails with EBUSY
param_err "size=64M nodes=5" EINVAL :: insmod nodes=5 fails with EINVAL
param_err "size=64M zones=DMA:16M,BOGUS:*" EINVAL :: insmod with an unknown zone name fails with EINVAL
param_err "size=64M zones=DMA:3M,NORMAL:*" EINVAL :: insmod with a zone not a multiple of 2M fails with EINVAL
param_err "size=64M zones=DMA:16M,,NORMAL" EINVAL :: insmod with a malformed zones= fails with EINVAL
param_err "size=32M zones=DMA:64M,NORMAL:*" EINVAL :: insmod with zones larger than the node fails with EINVAL
carve_param_err "base=$BASE size=32M zones=DMA:64M,NORMAL:*" EINVAL :: carve-out insmod with impossible zones fails and releases the region
param_err "size=64M name=bad/name" EINVAL :: insmod with an invalid name= fails with EINVAL
param_err "size=64M name=$(printf "caf\351")" EINVAL :: insmod with a Latin-1 letter in name= fails with EINVAL
param_err "size=64M zones=DMA:9223372036854775808,NORMAL:9223372036854792192" EINVAL :: insmod with zone sizes that wrap to the node size fails with EINVAL
param_err "size=64M zones=DMA:9223372036854775808,DMA32:9223372036854775808,NORMAL:*" EINVAL :: insmod with two 2^63-page zones and a star fails with EINVAL
param_err "size=17179869248M" E2BIG :: insmod size=17179869248M (borrowed) fails with E2BIG, no WARN
param_err "size=18446744073709551616" EINVAL :: insmod with a size over 64 bits fails with EINVAL
param_err "size=64M cma=16E" EINVAL :: insmod with a cma= that wraps fails with EINVAL
param_err "base=0xfd000000 size=16M" EBUSY :: insmod over a PCI BAR (the VGA framebuffer) fails with EBUSY
param_err "base=0xc0000000 size=16M" EBUSY :: insmod over the PCI hole fails with EBUSY
t_load_carveout :: insmod base=0x40000000 size=256M claims the carve-out in /proc/iomem
t_debugfs_files :: every debugfs file is readable and root-only
t_proc_formats :: buddyinfo, pagetypeinfo, zoneinfo and allocations use the kernel formats
t_zoneinfo_host_lines :: zoneinfo has the zone lines of the running kernel /proc/zoneinfo, in its order
t_set_tunables :: set commands change the watermarks and restore them
bad_cmd "frobnicate order=1" EINVAL :: control: unknown verb fails with EINVAL
bad_cmd "alloc gfp=GFP_KERNEL|__GFP_BOGUS" EINVAL :: control: unknown gfp flag fails with EINVAL
bad_cmd "alloc bogus=1" EINVAL :: control: unknown key fails with EINVAL
bad_cmd "alloc order=11" EINVAL :: control: order=11 fails with EINVAL
bad_cmd "alloc order=" EINVAL :: control: order= without a value fails with EINVAL
bad_cmd "alloc order=abc" EINVAL :: control: order=abc fails with EINVAL
bad_cmd "alloc count=0" EINVAL :: control: count=0 fails with EINVAL
bad_cmd "alloc count=65537" "EINVAL|E2BIG" :: control: count=65537 fails with EINVAL or E2BIG
bad_cmd "alloc count=4294967297" "EINVAL|E2BIG|ERANGE" :: control: a count that wraps 32 bits fails
bad_cmd "alloc nid=1" EINVAL :: control: nid beyond the nodes fails with EINVAL
bad_cmd "alloc order=1 order=2" EINVAL :: control: a duplicate key fails with EINVAL
bad_cmd "alloc gfp=__GFP_DMA|__GFP_DMA32" EINVAL :: control: an invalid zone combination fails with EINVAL
bad_cmd "alloc tag=bad/tag" EINVAL :: control: a tag with a bad character fails with EINVAL
bad_cmd "alloc tag=abcdefghijklmnopqrstuvwxyz0123456" EINVAL :: control: a 33-character tag fails with EINVAL
t_long_line :: control: a 300-byte line fails with EINVAL
bad_cmd "free handle=999999" ENOENT :: control: free of an unknown handle fails with ENOENT
bad_cmd "free tag=nosuchtag" ENOENT :: control: free of a tag with no handles fails with ENOENT
t_double_free :: control: a double free fails with ENOENT
bad_cmd "set nosuchkey=1" EINVAL :: control: set of an unknown key fails with EINVAL
bad_cmd "set watermark_scale_factor=0" EINVAL :: control: watermark_scale_factor=0 fails with EINVAL
bad_cmd "set watermark_scale_factor=3001" EINVAL :: control: watermark_scale_factor=3001 fails with EINVAL
bad_cmd "set watermark_scale_factor=" EINVAL :: control: set without a value fails with EINVAL
bad_cmd "set min_free_kbytes=-1" EINVAL :: control: min_free_kbytes=-1 fails with EINVAL
bad_cmd "set percpu_pagelist_high_fraction=7" EINVAL :: control: percpu_pagelist_high_fraction=7 fails with EINVAL
bad_cmd "set zone_reclaim_mode=-1" EINVAL :: control: zone_reclaim_mode=-1 fails with EINVAL
bad_cmd "set dirty_ratio=101" EINVAL :: control: dirty_ratio=101 fails with EINVAL
bad_cmd "set pcp=2" EINVAL :: control: pcp=2 fails with EINVAL
t_policy_knobs :: set page_group_by_mobility, alloc_nofragment, highatomic, pcp, kswapd, direct_reclaim, direct_compaction, kcompactd and numa_stat off and on; allocations work throughout
t_policy_values :: set pcp_batch, pcp_high, claim_threshold, fallbacks, per_cpu_data_slice_size and extfrag_threshold; bad values refused; the tunables file restores the instance
t_round_trip :: alloc/free round trip returns to the initial buddyinfo after drain
t_bench :: bench runs, prints the spec format, gives the pcp sizes back, runs threads=2 and rejects bad input
t_bench_frag :: shape=frag fragments the DMA zone of each side at orders 0, 3 and 9, is refused without one, and gives every page back
t_bench_killable :: a long bench blocks no reader or writer, stops when its instance is destroyed and dies with SIGKILL, with threads=2 and in a frag fill too
t_base_perm :: parameters/base is 0400
t_alloc_bulk :: alloc_bulk count=100: 100 order-0 handles, freed back to the baseline
t_page_poisoning :: set page_poisoning=1, init_on_free=1, init_on_alloc=1: allocations and frees run clean, no poison_corrupt; refused without a backing
bad_cmd "alloc_bulk order=1" EINVAL :: control: alloc_bulk with an order fails with EINVAL
t_alloc_contig :: alloc_contig pages=: a range per handle, FreeBSD low/high/align/boundary honoured, verify ok, freed back to the baseline
bad_cmd "stat_refresh now" EINVAL :: control: stat_refresh with an argument fails with EINVAL
bad_cmd "alloc_contig pages=4 gfp=GFP_KERNEL|__GFP_NOFAIL" EINVAL :: control: alloc_contig with __GFP_NOFAIL fails with EINVAL
bad_cmd "alloc_contig pages=8 boundary=4" EINVAL :: control: alloc_contig with a boundary smaller than the range fails with EINVAL
bad_cmd "alloc_contig pages=99999999" EINVAL :: control: alloc_contig larger than the instance fails with EINVAL
t_pin_longterm :: alloc kind=pinned in an instance with ZONE_MOVABLE is migrated to Normal before the pin, as FOLL_LONGTERM pins are, and counted in pgmigrate_success
t_cma_alloc :: cma_alloc count=: order-9 aligned ranges from a cma=4M instance, counted in stats, ENOMEM when full, EINVAL without an area; destroyed with ranges live
t_isolate :: isolate pfn=: one pageblock isolated, counted as Isolate and out of nr_free_pages; EBUSY twice or under a kernel allocation; unisolate gives it back
t_explain :: alloc explain=1: the explain file shows the request, each zone, the rmqueue path, the result and the handle
t_tracepoints :: the pgmirror trace system in tracefs: event counts match the commands and stats, no pointer printed, the trace replays
t_replay :: a kmem trace recorded in this VM replays through two fresh instances with equal counts; broken and split lines handled
t_picture_data :: the trace replayed in eight parts through two instances: snapshots and pageblock maps for scripts/plotcheck.sh
t_replay_tracecmd :: a trace.dat from trace-cmd record -e kmem in this VM replays through pgmirror-replay; trace-cmd record -e pgmirror sees the pgmirror events
t_perf :: perf record -e pgmirror:* sees 10 mm_page_alloc and 10 mm_page_free events of an instance, with their fields
t_bpftrace :: bpftrace counts 7 order-3 allocations of an instance on tracepoint:pgmirror:mm_page_alloc, by its instance and order fields
t_ab :: pgmirror-ab on that trace, mobility grouping on and off: the table is printed and the instances are gone
t_replay_rmmod :: a replay killed with SIGKILL leaves the instance whole; destroy during a long replay stops it within 10 s; rmmod waits for the write and releases everything
t_instances :: top-level control: bad create lines refused, 16 instances side by side, a 64 GiB 4-node backing=none instance, destroy and rmmod
t_fuzz_control :: 50000 fuzzed control lines: each one refused with EINVAL, ENOENT or EEXIST leaves a reason and buddyinfo, pagetypeinfo, stats, allocations, tunables and owners unchanged
t_stalled_write :: a control write stalled by userfaultfd blocks no reader or writer and dies with SIGKILL; the destroy of its instance waits for it while other instances are made
t_fuzz_params :: 200 generated bad parameter sets fail with one dmesg line each and no splat; a good insmod works after
t_thp_min_free_kbytes :: an instance laid out as this guest with its THP mode gets the guest min_free_kbytes from khugepaged, never derives it again, a bad word is refused
t_multi_node :: nodes=2 with DMA32: per-node zones, nid= and GFP_DMA32 placement, the kswapd and kcompactd of each node on its CPUs
t_cpu_hotplug :: nodes=2, CPUs 2 and 3 taken offline and brought back one at a time: node 1 kcompactd bound to CPU 2, then to CPUs 2-3
t_concurrent :: two writers on two vCPUs plus a reader, then verify ok
t_parallel_writers :: two writers at once, each reading its own status from its own open file: 1000 alloc and free handle pairs each, then verify ok
t_stress :: writers, set changes, owner churn, readers of every file, a bench, kswapd and compaction at once: verify ok, no splat
t_stress_rmmod :: rmmod tried throughout the same load: no crash, nothing left behind
t_borrow_cycles :: 30 borrowed insmod/rmmod cycles with live allocations: MemFree within 1 MiB
t_rmmod_live :: rmmod with live allocations releases everything
t_owners :: owner create/destroy and the owners file
t_owner_alloc :: alloc owner= kind= charges the owner and fills the LRU counters
t_owner_limits :: owner max=: its own file pages reclaimed, anon over max fails with __GFP_RETRY_MAYFAIL and OOM-kills the owner otherwise; owner set changes the limits; a write of two pages over high=0 counts 17 high events and a 2000 ms throttle
bad_cmd "alloc owner=nosuchowner" ENOENT :: control: alloc for an unknown owner fails with ENOENT
bad_cmd "alloc kind=heap" EINVAL :: control: an unknown kind fails with EINVAL
bad_cmd "owner create name=bad/name" EINVAL :: control: an owner name with a bad character fails with EINVAL
bad_cmd "owner create name=x nodes=1" EINVAL :: control: an owner node beyond the nodes fails with EINVAL
bad_cmd "owner create name=x oom_score_adj=1001" EINVAL :: control: oom_score_adj=1001 fails with EINVAL
bad_cmd "dirty all" EINVAL :: control: dirty all fails with EINVAL
t_dirty_writeback :: dirty and writeback move nr_dirty and the dirty column
t_direct_reclaim :: GFP_KERNEL below min reclaims file pages: allocstall and pgsteal rise, verify ok
t_reclaim_throttle :: a user task reclaiming with the node under half its min reserves counts pgscan_direct_throttle
t_memcg_protection :: an owner within memory.min keeps its file pages through direct reclaim, another gives
t_kswapd :: GFP_NOWAIT fill to near min: kswapd brings free back above high, pgsteal_kswapd rises
t_rmmod_kswapd :: rmmod while kswapd is reclaiming stops it cleanly
t_oom_kill :: anon memory full: GFP_KERNEL OOM-kills the larger owner, oom_kill 1, verify ok
t_oom_kill_allocating :: oom_kill_allocating_task=1: the requesting owner is killed, not the largest; dmesg names the knob
t_compaction :: checkerboard of anon pages: order-9 GFP_KERNEL|__GFP_RETRY_MAYFAIL compacts, compact_success rises, verify ok
t_kcompactd_proactive :: checkerboard, then compaction_proactiveness=100: kcompactd compacts in the background, order-9 blocks appear, verify ok
t_compact_cmd :: checkerboard, then compact: the status reports the fragmentation score of node 0, order-9 blocks appear, verify ok
t_nofail :: below min with nothing to reclaim or kill: GFP_KERNEL|__GFP_NOFAIL order 0 succeeds, verify ok
t_nofail_wait :: nothing free at all: __GFP_NOFAIL waits until another writer frees; rmmod refused meanwhile; EINTR on a signal
t_nofs_wait :: nothing free, nobody to kill: GFP_NOFS waits until another writer frees, EINTR on a signal (alloc_bulk too); a replay of it fails at once
t_owner_nodes :: nodes=2: an owner limited to node 1 gets node-1 pages (ALLOC_CPUSET), GFP_KERNEL softwall in the slow path
t_rmmod_owners :: rmmod with owners and dirty allocations alive releases everything
t_borrow :: borrow mode (size=32M, no base) loads, works, and gives the memory back
t_reload :: the carve-out is reusable after rmmod
'

main() {
	local total
	echo "TAP version 13"
	if [ "$(id -u)" -ne 0 ]; then
		echo "1..0 # SKIP must be root"
		exit $KSFT_SKIP
	fi
	if [ -z "$KO" ] || [ ! -f "$KO" ]; then
		echo "1..0 # SKIP pgmirror.ko not found (pass its path)"
		exit $KSFT_SKIP
	fi
	grep -q ' /sys/kernel/debug debugfs ' /proc/mounts ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	mkdir -p "$TMP" || exit $KSFT_FAIL
	trap 'rm -rf "$TMP"' EXIT
	# dash runs no EXIT trap on a signal: take the module out too
	trap 'unload; exit 130' INT
	trap 'unload; exit 143' TERM
	HAVE_CARVE=0
	have_carveout && HAVE_CARVE=1
	diag "module $KO; carve-out at $BASE: $([ $HAVE_CARVE = 1 ] && echo reserved || echo absent)"
	diag "kernel $(uname -r), $(nproc) CPUs"

	total=$(printf '%s\n' "$CASES" | grep -c ' :: ')
	echo "1..$total"
	NR=0 PASS=0 FAIL=0 SKIP=0
	while IFS= read -r line <&3; do
		case $line in
		*" :: "*) run_case "${line%% :: *}" "${line#* :: }" ;;
		esac
	done 3<<EOF
$CASES
EOF
	unload
	echo "# Totals: pass:$PASS fail:$FAIL xfail:0 xpass:0 skip:$SKIP error:0"
	[ $FAIL -eq 0 ] || exit $KSFT_FAIL
	[ $PASS -eq 0 ] && [ $SKIP -gt 0 ] && exit $KSFT_SKIP
	exit $KSFT_PASS
}

main "$@"
