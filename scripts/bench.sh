#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: pgmirror against the host's alloc_pages(), orders 0, 1, 3 and
# 9, in pairs and in bursts (order 0 also in bulk calls and, in UML, over a
# fragmented zone), in two environments:
#
#   vm   Debian's 6.12 kernel under QEMU TCG (init_on_alloc=0), with
#        selftests/pgmirror/bench.sh as the payload;
#   uml  the pgmirror_bench KUnit suite in UML at the CPU's own speed,
#        against UML's own 6.12 allocator, lock debugging off and, as in
#        Debian's kernel, no CONFIG_CMA; its scaling case in a kernel of
#        its own with CONFIG_CMA, whose alloc_contig_pages() gives a large
#        memmap the contiguous memory a boot-time memmap has;
#   x86  that scaling case again in the x86_64 KUnit kernel under QEMU
#        TCG with two vCPUs (and CONFIG_CMA): UML has one CPU and maps
#        each vmalloc() page into its host process with an mmap() of its
#        own.
#
# In UML, gdb also steps one order-0 allocation and its free on each side
# an instruction at a time (scripts/bench-insns.py), order-3 requests in
# the fragmented zone, and a control pair's two lines: counts that,
# unlike times, a busy machine cannot move.
#
# Each environment also runs the tree built with its trace and explain
# hooks compiled out (-DNOTRACE), alternating with the normal build, to
# show what the hooks cost while they are off.  Nothing here is a test:
# the figures are printed, compared by people, never asserted on.
#
# Environment: PGM_BENCH_ENVS ("vm uml x86" by default), PGM_TRACE_ROUNDS (4),
# PGM_BENCH_OUT (keep the raw lines in this directory),
# PGM_BENCH_BASELINE_CFLAGS (the VM baseline build's KCFLAGS, -DNOTRACE).

set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$PGM_REPO/scripts/vm-lib.sh"

ROUNDS=${PGM_TRACE_ROUNDS:-4}
if [ -n "${PGM_BENCH_OUT:-}" ]; then
	OUT=$PGM_BENCH_OUT
	mkdir -p "$OUT" && rm -f "$OUT"/* || exit 1
else
	OUT=$(mktemp -d)
	trap 'rm -rf "$OUT"' EXIT
fi
ret=0
# Each line's key=value fields into v[], ahead of a table's own awk
KV='{ delete v; for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }'

bench_vm() {
	# The host side must not zero what the mirror does not: Debian's
	# kernel has CONFIG_INIT_ON_ALLOC_DEFAULT_ON
	export PGM_VM_APPEND="${PGM_VM_APPEND:-} init_on_alloc=0"
	# One host thread per vCPU, so that threads=N can run in parallel;
	# four vCPUs, so that threads=4 and four writers run at all (on a
	# 2-core host no more than two of them run at once)
	export PGM_VM_TCG=${PGM_VM_TCG:-multi}
	export PGM_VM_SMP=${PGM_VM_SMP:-4}
	vm_setup || return 1
	vm_build_module || return 1
	if [ -z "${PGM_VM_KO:-}" ]; then
		echo "vm: building pgmirror.ko with -DNOTRACE"
		pgm_build_module "$VM_KDIR" "$VM_DIR/module-notrace-$VM_KVER" -s \
			KCFLAGS="${PGM_BENCH_BASELINE_CFLAGS:--DNOTRACE}" || return 1
		export VM_KO_NOTRACE=$VM_DIR/module-notrace-$VM_KVER/module/pgmirror.ko
	fi
	PGM_TRACE_ROUNDS=$ROUNDS vm_run bench.sh || return 1
	printf '%s\n' "$VM_OUT" | grep -v '^PGM-AB \|^PGM-THREADS \|^PGM-CTL '
	printf '%s\n' "$VM_OUT" | sed -n 's/^# \(order=.*\)/PGM-BENCH env=vm notrace=0 \1/p' >>"$OUT/table"
	printf '%s\n' "$VM_OUT" | grep '^PGM-AB ' >>"$OUT/ab"
	printf '%s\n' "$VM_OUT" | grep '^PGM-THREADS ' >>"$OUT/threads"
	printf '%s\n' "$VM_OUT" | grep '^PGM-CTL ' >>"$OUT/ctl"
	vm_check bench
}

# uml_build SIDE: build (and run once) the UML bench kernel of SIDE: on,
# out (-DNOTRACE) or cma (CONFIG_CMA, the scaling case alone)
uml_build() {
	local build=kunit-um-bench add=() filter='pgmirror_bench.bench_[pbfc]*'
	case $1 in
	out)
		build=kunit-um-bench-notrace
		add=(--kconfig_add CONFIG_PGMIRROR_NOTRACE=y)
		;;
	cma)
		build=kunit-um-bench-cma
		add=(--kconfig_add CONFIG_CMA=y)
		filter=pgmirror_bench.bench_scaling
		;;
	esac
	echo "uml: building and running $filter ($1) in $PGM_CACHE/$build" >&2
	PGM_KUNIT_BUILD=$build PGM_KUNITCONFIG=$PGM_REPO/kunit/bench.kunitconfig \
		"$PGM_REPO/scripts/kunit.sh" "${add[@]}" "$filter" \
		>"$OUT/uml-$1.log" 2>&1 ||
		{ tail -n 30 "$OUT/uml-$1.log"; return 1; }
	grep -a -o 'PGM-BENCH .*\|PGM-SCALE .*\|PGM-CTL .*\|PGM-CTLPARTS .*' \
		"$PGM_CACHE/$build/test.log"
}

# uml_boot SIDE: one more boot of SIDE's kernel, three runs of each side
uml_boot() {
	local build=kunit-um-bench
	[ "$1" = out ] && build=kunit-um-bench-notrace
	timeout 900 "$PGM_CACHE/$build/linux" mem=1G console=tty \
		kunit_shutdown=halt 'kunit.filter_glob=pgmirror_bench.bench_[pbf]*' \
		bench_test.bench_reps=3 </dev/null 2>&1 |
		grep -a -o 'PGM-BENCH .*'
}

# One boot of the UML bench kernel under gdb, running bench case $2 with
# scripts/bench-insns.py in mode $1 (empty: the order-0 pair)
insns_boot() {
	PGM_INSNS_MODE=$1 timeout 900 gdb -q -batch \
		-x "$PGM_REPO/scripts/bench-insns.py" \
		--args "$PGM_CACHE/kunit-um-bench/linux" mem=1G console=tty \
		kunit_shutdown=halt "kunit.filter_glob=pgmirror_bench.$2" \
		</dev/null 2>&1 | grep -a -o 'PGM-INSNS .*\|PGM-INSNS-PARTS .*' \
		>>"$OUT/insns"
}

# The order-0 pcp hit and its free, counted an instruction at a time, then
# the fragmented zone's order-3 requests and a control pair's lines
bench_insns() {
	if ! command -v gdb >/dev/null; then
		echo "uml: no gdb: no instruction counts (make deps)" >&2
		return 0
	fi
	echo "uml: counting an allocation's and a free's instructions under gdb" >&2
	insns_boot "" bench_pair
	echo "uml: counting the fragmented zone's order-3 requests under gdb" >&2
	insns_boot frag bench_frag
	echo "uml: counting a control pair's lines under gdb" >&2
	insns_boot ctl bench_ctl
}

bench_uml() {
	local side round
	uml_build on >"$OUT/uml-table" || return 1
	bench_insns
	uml_build out >/dev/null || return 1
	uml_build cma >"$OUT/uml-scale" || return 1
	grep '^PGM-BENCH ' "$OUT/uml-table" >>"$OUT/table"
	grep '^PGM-SCALE ' "$OUT/uml-scale" >>"$OUT/scale"
	grep '^PGM-CTL ' "$OUT/uml-table" >>"$OUT/ctl"
	grep '^PGM-CTLPARTS ' "$OUT/uml-table" >>"$OUT/ctlparts"
	for round in $(seq 1 "$ROUNDS"); do
		for side in on out; do
			echo "uml: round $round, $side" >&2
			uml_boot $side >"$OUT/uml-boot" || return 1
			sed "s/^PGM-BENCH env=uml notrace=[01] /PGM-AB env=uml round=$round side=$side /" \
				"$OUT/uml-boot" >>"$OUT/ab"
		done
	done
}

# Eleven rounds, not five: under TCG a create runs on both vCPUs and the
# memset on one, so a busy host core moves single rounds a long way
bench_x86() {
	local build=kunit-x86_64-bench
	echo "x86: building and running pgmirror_bench.bench_scaling in $PGM_CACHE/$build" >&2
	PGM_KUNIT_BUILD=$build PGM_KUNITCONFIG=$PGM_REPO/kunit/bench.kunitconfig \
		"$PGM_REPO/scripts/kunit.sh" --arch=x86_64 \
		--kconfig_add CONFIG_SMP=y --kconfig_add CONFIG_NR_CPUS=4 \
		--kconfig_add CONFIG_CMA=y \
		--qemu_args="-m 2048 -smp 2" --timeout=1800 \
		--kernel_args=bench_test.bench_reps=11 \
		'pgmirror_bench.bench_scaling' >"$OUT/x86.log" 2>&1 ||
		{ tail -n 30 "$OUT/x86.log"; return 1; }
	grep -a -o 'PGM-SCALE .*' "$PGM_CACHE/$build/test.log" >>"$OUT/scale"
}

for env in ${PGM_BENCH_ENVS:-vm uml x86}; do
	case $env in
	vm) bench_vm || ret=1 ;;
	uml) bench_uml || ret=1 ;;
	x86) bench_x86 || ret=1 ;;
	*) echo "bench: unknown environment '$env' (vm, uml, x86)"; ret=1 ;;
	esac
done

echo
# Where and what was measured, so that a pasted table says so itself
echo "# make bench $(date -u '+%Y-%m-%d %H:%M UTC'), tree $(git -C "$PGM_REPO" describe --always --dirty 2>/dev/null || echo unknown)," \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
	"$(nproc) CPUs, host kernel $(uname -r)"
echo "# pgmirror / host alloc_pages(): ns per allocation with its free (frag:"
echo "# per allocation, its free untimed), the median of alternating runs;"
echo "# ratio = pgmirror / host of each round's own two runs, min median max"
echo "# over the rounds (so not pgmirror_ns / host_ns, medians of their own)"
printf '%-4s %-5s %-10s %8s %12s %10s %6s %6s %6s %s\n' env order shape count \
	pgmirror_ns host_ns min median max init_on_alloc
[ -f "$OUT/table" ] && awk "$KV"'/^PGM-BENCH / {
	printf "%-4s %-5s %-10s %8s %12s %10s %6s %6s %6s %s\n", v["env"],
		v["order"], v["shape"] (v["zero"] == 1 ? "+zero" : ""),
		v["count"], v["pgmirror_ns_per_op"],
		v["host_ns_per_op"], v["ratio_min"], v["ratio"], v["ratio_max"],
		v["host_init_on_alloc"]
}' "$OUT/table"

echo
echo "# trace and explain hooks compiled in and off (on) against compiled out"
echo "# (-DNOTRACE, out): $ROUNDS rounds alternating on, out; each round's"
echo "# median ratio to the host, the median over rounds, and on/out; then"
echo "# the lowest and highest round of on (uml: each round a boot of its own,"
echo "# the spread across boots the main table's one boot cannot show)"
printf '%-4s %-5s %-6s %8s %8s %8s %8s %8s\n' env order shape on out on/out \
	on_min on_max
[ -f "$OUT/ab" ] && awk "$KV"'
	function med(list,   a, n, i, j, t) {
		n = split(list, a, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function ext(list, hi,   a, n, i, m) {
		n = split(list, a, " ")
		m = a[1] + 0
		for (i = 2; i <= n; i++)
			if (hi ? a[i] + 0 > m : a[i] + 0 < m)
				m = a[i] + 0
		return m
	}
	{
		k = v["env"] " " v["order"] " " v["shape"]
		if (!(k in seen)) { seen[k] = 1; keys[++nk] = k }
		r[k, v["side"]] = r[k, v["side"]] " " v["ratio"]
	}
	END {
		for (i = 1; i <= nk; i++) {
			split(keys[i], f, " ")
			on = med(r[keys[i], "on"]); out = med(r[keys[i], "out"])
			printf "%-4s %-5s %-6s %8.2f %8.2f %8.3f %8.2f %8.2f\n",
				f[1], f[2], f[3], on, out, (out > 0 ? on / out : 0),
				ext(r[keys[i], "on"], 0), ext(r[keys[i], "on"], 1)
		}
	}' "$OUT/ab"

if [ -s "$OUT/insns" ]; then
	echo
	echo "# instructions per call, stepped one at a time under gdb in the UML"
	echo "# bench kernel (scripts/bench-insns.py): an order-0 allocation that"
	echo "# hits the pcp, and its free; the fewest of three calls. frag3: 14"
	echo "# order-3 requests in a row in the fragmented zone, summed: 12 pcp"
	echo "# hits and 2 refills stealing 7 blocks each. irq: those spent turning"
	echo "# interrupts off and on around the pcp, as a UP kernel does on both"
	echo "# sides. Unlike the times, these do not move with load"
	printf '%-4s %-6s %9s %6s %6s %5s\n' env call pgmirror host ratio irq
	awk '$1 != "PGM-INSNS" { next }'"$KV"'{
		n[v["call"], v["side"]] = v["insns"]; irq[v["call"]] = v["irq"]
	}
	function row(c, p, h, q) {
		# A side gdb could not count (insns=0 failed=1) spoils the row
		if (p > 0 && h > 0)
			printf "%-4s %-6s %9d %6d %6.2f %5d\n", "uml", c, p, h,
				p / h, q
		else
			printf "%-4s %-6s %9s %6s %6s %5s\n", "uml", c,
				(p > 0 ? p : "failed"), (h > 0 ? h : "failed"),
				"-", "-"
	}
	END {
		row("alloc", n["alloc", "pgmirror"], n["alloc", "host"], irq["alloc"])
		row("free", n["free", "pgmirror"], n["free", "host"], irq["free"])
		pa = n["alloc", "pgmirror"]; pf = n["free", "pgmirror"]
		ha = n["alloc", "host"]; hf = n["free", "host"]
		row("pair", (pa > 0 && pf > 0) ? pa + pf : 0,
		    (ha > 0 && hf > 0) ? ha + hf : 0,
		    irq["alloc"] + irq["free"])
		if (("frag3", "pgmirror") in n || ("frag3", "host") in n)
			row("frag3", n["frag3", "pgmirror"],
			    n["frag3", "host"], irq["frag3"])
	}' "$OUT/insns"
fi

if [ -s "$OUT/threads" ]; then
	echo
	echo "# threads=N: N kthreads, each on its own CPU and pcp, order-0 pairs at"
	echo "# once; ns per op over all of them (wall time / operations), the"
	echo "# throughput in millions of operations per second, and the ratio:"
	echo "# medians of alternating runs, the ratio's min median max"
	printf '%-4s %7s %12s %10s %10s %10s %6s %6s %6s\n' env threads \
		pgmirror_ns host_ns pgm_Mops host_Mops min median max
	awk "$KV"'{
		p = v["pgmirror_ns_per_op"]; h = v["host_ns_per_op"]
		printf "%-4s %7s %12s %10s %10.2f %10.2f %6s %6s %6s\n", v["env"],
			v["threads"], p, h, (p > 0 ? 1000 / p : 0),
			(h > 0 ? 1000 / h : 0), v["ratio_min"], v["ratio"],
			v["ratio_max"]
	}' "$OUT/threads"
fi

if [ -s "$OUT/ctl" ]; then
	echo
	echo "# control writes: W writers on W CPUs, each pair an alloc order=0,"
	echo "# its handle read back and a free handle=N, alternating with one"
	echo "# thread's bench pairs; ns per pair over all writers, the bench pair's,"
	echo "# and their ratio: what the interface adds (medians, the ratio's min"
	echo "# median max). syscalls_ns: W processes making as many getppid() calls"
	echo "# a pair (three) in the same rounds, the system calls alone. uml: the"
	echo "# same lines handed to the control file's code in the kernel, no"
	echo "# system call, against bench pairs of the same instance"
	printf '%-4s %7s %12s %10s %8s %8s %8s %12s\n' env writers ns_per_pair \
		bench_ns min median max syscalls_ns
	awk "$KV"'{
		printf "%-4s %7s %12s %10s %8s %8s %8s %12s\n", v["env"],
			v["writers"], v["ns_per_pair"], v["bench_pair_ns"],
			v["per_bench_pair_min"], v["per_bench_pair"],
			v["per_bench_pair_max"],
			(("syscalls_ns_per_pair" in v) ? v["syscalls_ns_per_pair"] : "-")
	}' "$OUT/ctl"
fi

if [ -s "$OUT/ctlparts" ]; then
	echo
	echo "# where a uml control pair goes, in ns (medians): both lines parsed,"
	echo "# the block alone, then what its record and LRU entry add, what the"
	echo "# handle adds, each timed alone in the control rounds; rest: the"
	echo "# pair less all of those (interface lock, writer list, the commands'"
	echo "# own steps and status lines, reading the handle back)"
	printf '%-4s %8s %8s %8s %8s %8s\n' env parse pages record handle rest
	awk "$KV"'{
		printf "%-4s %8s %8s %8s %8s %8s\n", v["env"], v["parse_ns"],
			v["pages_ns"], v["record_ns"], v["handle_ns"], v["rest_ns"]
	}' "$OUT/ctlparts"
fi

if grep -q 'call=ctl_' "$OUT/insns" 2>/dev/null; then
	echo
	echo "# the uml control pair's instructions, stepped under gdb as the"
	echo "# order-0 pair above (scripts/bench-insns.py, PGM_INSNS_MODE=ctl):"
	echo "# pgm_control_run() for its alloc line and its free line, the"
	echo "# fewest of three each, their sum, and the sum in bench pairs (the"
	echo "# pgmirror pair of the instruction table)"
	printf '%-4s %8s %8s %8s %14s\n' env alloc free pair per_bench_pair
	awk '$1 != "PGM-INSNS" { next }'"$KV"'{ n[v["call"], v["side"]] = v["insns"] }
	END {
		a = n["ctl_alloc", "pgmirror"]; f = n["ctl_free", "pgmirror"]
		pa = n["alloc", "pgmirror"]; pf = n["free", "pgmirror"]
		pair = (pa > 0 && pf > 0) ? pa + pf : 0
		if (a > 0 && f > 0 && pair > 0)
			printf "%-4s %8d %8d %8d %14.2f\n", "uml", a, f, a + f,
				(a + f) / pair
		else
			printf "%-4s %8s %8s %8s %14s\n", "uml",
				(a > 0 ? a : "failed"), (f > 0 ? f : "failed"),
				"-", "-"
	}' "$OUT/insns"
fi

if grep -q '^PGM-INSNS-PARTS ' "$OUT/insns" 2>/dev/null; then
	echo
	echo "# where those instructions went, by the call of pgm_control_run()"
	echo "# they ran under: the parser; the block, from the allocator and back"
	echo "# to it; the allocation record's slab object; the handle (xarray,"
	echo "# its lock, numbering and claiming); the rest, the interface's own"
	echo "# (writer list, interface lock, the commands' steps, status lines)."
	echo "# floor: block + record + handle, which stays however far parse and"
	echo "# rest shrink while the record is a slab object and the handle an"
	echo "# xarray entry; for the pair, also in bench pairs"
	printf '%-4s %-5s %7s %7s %7s %7s %7s %7s %14s\n' env line parse \
		block record handle rest floor floor_per_pair
	awk "$KV"'
	$1 == "PGM-INSNS" && v["side"] == "pgmirror" { n[v["call"]] = v["insns"] }
	$1 == "PGM-INSNS-PARTS" {
		c = v["call"]; seen[c] = 1
		for (k in v)
			part[c, k] = v[k]
	}
	function row(name, pa, bl, re, ha, rs, pair) {
		printf "%-4s %-5s %7d %7d %7d %7d %7d %7d", "uml", name, pa,
			bl, re, ha, rs, bl + re + ha
		if (pair > 0)
			printf " %14.2f\n", (bl + re + ha) / pair
		else
			printf " %14s\n", "-"
	}
	END {
		pair = (n["alloc"] > 0 && n["free"] > 0) ? n["alloc"] + n["free"] : 0
		split("parse block record handle rest", names, " ")
		for (i = 1; i <= 5; i++)
			sum[names[i]] = 0
		split("ctl_alloc ctl_free", calls, " ")
		for (j = 1; j <= 2; j++) {
			c = calls[j]
			if (!(c in seen))
				continue
			row(substr(c, 5), part[c, "parse"], part[c, "block"],
			    part[c, "record"], part[c, "handle"],
			    part[c, "rest"], 0)
			for (i = 1; i <= 5; i++)
				sum[names[i]] += part[c, names[i]]
		}
		if (("ctl_alloc" in seen) && ("ctl_free" in seen))
			row("pair", sum["parse"], sum["block"], sum["record"],
			    sum["handle"], sum["rest"], pair)
	}' "$OUT/insns"
fi

if [ -s "$OUT/scale" ]; then
	echo
	echo "# scaling with size (metadata-only instances; x86: the x86_64 KUnit"
	echo "# kernel under TCG): the time to create one, on all its CPUs, against"
	echo "# a memset() of its metadata (init/memset) and against an allocation of"
	echo "# it as the memmap's (pages up to 4 MiB, then alloc_contig_pages(),"
	echo "# else vmalloc()) and that memset() (init/zalloc), alternating;"
	echo "# medians, each ratio's min median"
	echo "# max. Then pgmirror's order-0 ns per op in pairs and in bursts, every"
	echo "# size in turn in each of 7 rounds: min median max"
	printf '%-4s %7s %10s %12s %4s %11s %11s %11s %-16s %-16s %-12s %s\n' \
		env size pages metadata_b cpus init_ns memset_ns alloc_ns \
		"init/memset" "init/zalloc" pair_ns burst_ns
	awk "$KV"'{
		printf "%-4s %7s %10s %12s %4s %11s %11s %11s %-16s %-16s %-12s %s\n",
			v["env"], v["size"], v["pages"], v["metadata_bytes"],
			(v["cpus"] == "" ? 1 : v["cpus"]),
			v["init_ns"], v["memset_ns"], v["alloc_ns"],
			v["init_per_memset_min"] " " v["init_per_memset"] " " \
			v["init_per_memset_max"],
			v["init_per_zalloc_min"] " " v["init_per_zalloc"] " " \
			v["init_per_zalloc_max"],
			v["pair_ns_min"] " " v["pair_ns"] " " v["pair_ns_max"],
			v["burst_ns_min"] " " v["burst_ns"] " " v["burst_ns_max"]
	}' "$OUT/scale"
fi
exit $ret
