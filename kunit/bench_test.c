// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_bench: make bench's native-speed half. In UML the mirror and
 * UML's own page allocator (the same 6.12 mm/page_alloc.c) run side by
 * side at the CPU's own speed, in the bench file's shapes. Each figure is
 * printed on a PGM-BENCH line for scripts/bench.sh; none is asserted on,
 * as the machines are shared and noisy. Built only with
 * CONFIG_PGMIRROR_KUNIT_BENCH (kunit/bench.kunitconfig), never in make
 * check.
 */
#include "test_util.h"
#include <linux/cacheinfo.h>
#include <linux/ctype.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sizes.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include "cmd.h"
#include "lru.h"

static unsigned int bench_reps = 5;
module_param(bench_reps, uint, 0444);
MODULE_PARM_DESC(bench_reps, "pgmirror_bench: alternating runs of each side");

/* Ten times the VM bench's counts: a native op is that much quicker */
static const struct {
	unsigned int order;
	unsigned int count;
} bench_specs[] = {
	{ 0, 1000000 }, { 1, 500000 }, { 3, 200000 }, { 9, 20000 },
};

/* The VM bench's carve-out: 256 MiB in one Normal zone, one node */
#define BENCH_PAGES	(SZ_256M >> PAGE_SHIFT)

/* make bench runs the suite in UML and its scaling case under x86_64 */
#define BENCH_ENV	(IS_ENABLED(CONFIG_UML) ? "uml" : "x86")

/* One bench write on @inst, as the bench file makes it; its line in @line */
static void bench_write(struct kunit *test, struct pgm_instance *inst,
			const struct pgm_bench_args *a, char *line)
{
	char err[PGM_STATUS_LEN];
	int ret;

	mutex_lock(&inst->bench_lock);
	ret = pgm_bench_run(inst, a, err, sizeof(err));
	mutex_unlock(&inst->bench_lock);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "%s", err);
	spin_lock(&inst->status_lock);
	strscpy(line, inst->bench_result, PGM_BENCH_LEN);
	spin_unlock(&inst->status_lock);
}

/*
 * One of the mirror's tunables as the host kernel has it, so that both
 * sides do the same work: the mirror is an x86_64 node, where UML's
 * kernel has no ZONE_DMA32 (its alloc_flags_nofragment() never sets
 * ALLOC_NOFRAGMENT) and no CONFIG_NUMA (its zone_statistics() counts
 * nothing).
 */
static void bench_set(struct kunit *test, struct pgm_instance *inst,
		      const char *key, int val)
{
	char line[48], status[PGM_STATUS_LEN];
	int len = snprintf(line, sizeof(line), "set %s=%d\n", key, val);

	KUNIT_ASSERT_EQ_MSG(test, pgm_control_run(inst, line, len, status), 0,
			    "%s", status);
}

/*
 * The mirror configured as the host kernel is where that decides the
 * work: NUMA counters as its CONFIG_NUMA, and its pcps' high-order drain
 * (PCPF_FREE_HIGH_BATCH) from this CPU's cache share, as cacheinfo set
 * the host's
 */
static void bench_as_host(struct kunit *test, struct pgm_instance *inst)
{
	unsigned int slice;

	slice = get_cpu_cacheinfo(raw_smp_processor_id())->per_cpu_data_slice_size;
	bench_set(test, inst, "numa_stat", IS_ENABLED(CONFIG_NUMA));
	bench_set(test, inst, "per_cpu_data_slice_size",
		  min_t(unsigned int, slice, INT_MAX));
}

static void bench_shape(struct kunit *test, enum pgm_bench_shape shape)
{
	char line[PGM_BENCH_LEN];
	struct pgm_topology topo;
	struct pgm_instance *inst;
	unsigned int i;
	long out;

	pgmt_topology(&topo, 1, 0, 0, BENCH_PAGES, 0);
	inst = pgmt_create(test, &topo);
	/* As an insmod instance: the pcp of the CPU the bench runs on */
	inst->cpu_override = -1;
	pgm_refresh_zone_stat_thresholds(inst);
	bench_as_host(test, inst);
	out = pgmt_pages_out(inst);
	for (i = 0; i < ARRAY_SIZE(bench_specs); i++) {
		struct pgm_bench_args a = {
			.order = bench_specs[i].order,
			.count = bench_specs[i].count,
			.shape = shape,
			.reps = clamp(bench_reps, 1U, PGM_BENCH_MAX_REPS),
			.threads = 1,
		};

		/* alloc_pages_bulk() hands out order-0 pages only */
		if (shape == PGM_BENCH_BULK && a.order)
			continue;
		bench_write(test, inst, &a, line);
		kunit_info(test, "PGM-BENCH env=%s notrace=%d numa_stat=%d %s\n",
			   BENCH_ENV,
			   IS_ENABLED(CONFIG_PGMIRROR_NOTRACE),
			   IS_ENABLED(CONFIG_NUMA), line);
	}
	/* Every block came back */
	KUNIT_EXPECT_EQ(test, pgmt_pages_out(inst), out);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static void bench_pair(struct kunit *test)
{
	bench_shape(test, PGM_BENCH_PAIR);
}

static void bench_burst(struct kunit *test)
{
	bench_shape(test, PGM_BENCH_BURST);
}

static void bench_bulk(struct kunit *test)
{
	bench_shape(test, PGM_BENCH_BULK);
}

/*
 * One bench write on @inst; its pgmirror ns per op, the median of @reps
 * runs: single ones move by a fifth on a shared machine
 */
static unsigned long bench_mirror_ns(struct kunit *test,
				     struct pgm_instance *inst,
				     enum pgm_bench_shape shape,
				     unsigned int reps)
{
	struct pgm_bench_args a = {
		.order = 0, .count = 1000000, .shape = shape, .reps = reps,
		.threads = 1,
	};
	char line[PGM_BENCH_LEN];
	unsigned long ns = 0;
	const char *p;
	int ret;

	bench_write(test, inst, &a, line);
	p = strstr(line, "pgmirror_ns_per_op=");
	KUNIT_ASSERT_NOT_NULL(test, p);
	ret = sscanf(p, "pgmirror_ns_per_op=%lu", &ns);
	KUNIT_ASSERT_EQ(test, ret, 1);
	return ns;
}

static void bench_destroy(void *inst)
{
	pgm_instance_destroy(inst);
}

/*
 * The fill's mask: unmovable, no reclaim and no kswapd, quiet, and past
 * the watermarks (ALLOC_NO_WATERMARKS): a fill that stopped at min left
 * the reserve's larger free blocks, which the host's timed requests then
 * tried to claim (a scan of the pageblock each) and the mirror's, on
 * memory nothing else had touched, did not.
 */
#define FRAG_FILL_GFP	(__GFP_MEMALLOC | __GFP_NOWARN)
/* The timed requests: movable, no reclaim either */
#define FRAG_GFP	((GFP_HIGHUSER_MOVABLE & ~__GFP_RECLAIM) | __GFP_NOWARN)

/* Every figure sorted is below 2^63: one signed order serves u64 and s64 */
static int bench_cmp(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

/* Ascending: [n / 2] is the median, [0] and [n - 1] the extremes */
static void bench_sort(void *v, unsigned int n)
{
	sort(v, n, sizeof(u64), bench_cmp, NULL);
}

/*
 * @reps alternating runs of each side at @order (pgm_bench_frag_run()),
 * half the zone's pages in all, in blocks of @order, so that every order
 * takes as many pages; one PGM-BENCH line. An eighth ran for a millisecond
 * or two a side, and single ratios spread from 0.6 to 1.8.
 */
static void bench_frag_order(struct kunit *test, struct pgm_bench_frag *fs,
			     unsigned int order, unsigned int reps,
			     int nofragment)
{
	u64 m[PGM_BENCH_MAX_REPS], h[PGM_BENCH_MAX_REPS], ratio[PGM_BENCH_MAX_REPS];
	unsigned long count = fs[1].max / 2 >> order;
	char err[PGM_STATUS_LEN] = "";
	unsigned int r;
	int ret = 0;

	/* Steals leave the zone as they found it: as many pages as order 0 */
	if (order < PGM_PAGEBLOCK_ORDER / 2)
		count <<= order;
	for (r = 0; r < reps; r++) {
		ret = pgm_bench_frag_run(&fs[0], order, count, &m[r], err,
					 sizeof(err));
		if (!ret)
			ret = pgm_bench_frag_run(&fs[1], order, count, &h[r],
						 err, sizeof(err));
		if (ret)
			break;
		ratio[r] = div64_u64(m[r] * 100, h[r]);
		m[r] = div64_u64(m[r], count);
		h[r] = div64_u64(h[r], count);
	}
	/* Not an assertion: the array is freed by the caller */
	if (ret) {
		KUNIT_FAIL(test, "order %u: %s", order, err);
		return;
	}
	bench_sort(m, reps);
	bench_sort(h, reps);
	bench_sort(ratio, reps);
	kunit_info(test, "PGM-BENCH env=%s notrace=%d order=%u count=%lu shape=frag reps=%u zero=0 threads=1 pgmirror_ns_per_op=%llu host_ns_per_op=%llu ratio=%llu.%02llu ratio_min=%llu.%02llu ratio_max=%llu.%02llu host_init_on_alloc=%d alloc_nofragment=%d numa_stat=%d\n",
		   BENCH_ENV, IS_ENABLED(CONFIG_PGMIRROR_NOTRACE), order, count,
		   reps, m[reps / 2], h[reps / 2], ratio[reps / 2] / 100,
		   ratio[reps / 2] % 100, ratio[0] / 100, ratio[0] % 100,
		   ratio[reps - 1] / 100, ratio[reps - 1] % 100,
		   want_init_on_alloc(GFP_KERNEL), nofragment,
		   IS_ENABLED(CONFIG_NUMA));
}

/*
 * The fragmented-zone shape with all of UML's memory, which has no DMA
 * zone for the bench file's frag: both sides in the same state, the
 * mirror an instance as large. UML's own allocator is left holding all of
 * UML's memory for a moment in each of its runs; built in, the bench can
 * drain its pcp lists between steps. The mirror's alloc_nofragment,
 * numa_stat and cache share are the host kernel's: otherwise the mirror
 * would make a first pass that may not fall back before each refill, and
 * count NUMA events UML's kernel does not.
 */
static void bench_frag(struct kunit *test)
{
	unsigned int reps = clamp(bench_reps, 1U, PGM_BENCH_MAX_REPS), i;
	unsigned long pages = totalram_pages();
	int nofragment = IS_ENABLED(CONFIG_ZONE_DMA32);
	struct pgm_bench_frag fs[2] = {
		{ .max = pages, .fill_gfp = FRAG_FILL_GFP, .gfp = FRAG_GFP,
		  .host_drain = drain_all_pages },
		{ .max = pages, .fill_gfp = FRAG_FILL_GFP, .gfp = FRAG_GFP,
		  .host_drain = drain_all_pages },
	};
	struct pgm_topology topo;
	void **array;
	long out;

	pgmt_topology(&topo, 1, 0, 0, ALIGN(pages, PGM_MAX_ORDER_NR_PAGES), 0);
	fs[0].inst = pgmt_create(test, &topo);
	fs[0].inst->cpu_override = -1;
	pgm_refresh_zone_stat_thresholds(fs[0].inst);
	bench_set(test, fs[0].inst, "alloc_nofragment", nofragment);
	bench_as_host(test, fs[0].inst);
	array = vmalloc(array_size(pages, sizeof(*array)));
	KUNIT_ASSERT_NOT_NULL(test, array);
	fs[0].pages = array;
	fs[1].pages = array;
	out = pgmt_pages_out(fs[0].inst);
	for (i = 0; i < ARRAY_SIZE(bench_specs); i++)
		bench_frag_order(test, fs, bench_specs[i].order, reps,
				 nofragment);
	vfree(array);
	/* The fill and every timed block came back */
	KUNIT_EXPECT_EQ(test, pgmt_pages_out(fs[0].inst), out);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, fs[0].inst), 0UL);
}

/* One size of bench_scaling(): its instance and its figures */
struct bench_scale {
	struct pgm_instance *inst;
	unsigned long pages;
	/* A slot per round, sorted by bench_sort() before they are printed */
	u64 init[PGM_BENCH_MAX_REPS], mset[PGM_BENCH_MAX_REPS];
	u64 alloc[PGM_BENCH_MAX_REPS], ratio[PGM_BENCH_MAX_REPS];
	u64 za[PGM_BENCH_MAX_REPS];
	u64 pair[PGM_BENCH_MAX_REPS], burst[PGM_BENCH_MAX_REPS];
};

/*
 * One round of a baseline and a create of @sc's size: as much metadata
 * allocated as the memmap is (pgm_meta_kvmalloc()) and a memset() of it,
 * then the instance, which stays in @sc->inst; never both at once. Each
 * time goes to slot @r.
 */
static void bench_scale_round(struct kunit *test, struct bench_scale *sc,
			      unsigned int r)
{
	size_t meta = sc->pages * sizeof(struct pgm_page);
	char err[PGM_STATUS_LEN] = "";
	struct pgm_topology topo;
	void *buf;
	u64 t;

	if (sc->inst)
		kunit_release_action(test, bench_destroy, sc->inst);
	sc->inst = NULL;
	/*
	 * Unmap what vfree() left mapped now, not in a timed window: UML
	 * unmaps it from its host process a syscall at a time
	 */
	vm_unmap_aliases();
	t = ktime_get_ns();
	buf = pgm_meta_kvmalloc(meta);
	sc->alloc[r] = ktime_get_ns() - t;
	KUNIT_ASSERT_NOT_NULL(test, buf);
	t = ktime_get_ns();
	memset(buf, 0, meta);
	sc->mset[r] = max_t(u64, ktime_get_ns() - t, 1);
	pgm_meta_kvfree(buf, meta);
	vm_unmap_aliases();

	pgmt_topology(&topo, 1, 0, 0, sc->pages, 0);
	t = ktime_get_ns();
	sc->inst = pgm_instance_create("bench", &topo, NULL, err, sizeof(err));
	sc->init[r] = ktime_get_ns() - t;
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(sc->inst), "create: %s", err);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, bench_destroy,
							   sc->inst));
	sc->ratio[r] = div64_u64(sc->init[r] * 100, sc->mset[r]);
	sc->za[r] = div64_u64(sc->init[r] * 100, sc->alloc[r] + sc->mset[r]);
}

/*
 * @reps timed rounds of @sc's size after one untimed: the first touch of
 * memory UML's host has never lent it costs a host fault a page, which
 * only the first round would pay
 */
static void bench_scale_init(struct kunit *test, struct bench_scale *sc,
			     unsigned int reps)
{
	unsigned int r;

	bench_scale_round(test, sc, 0);
	for (r = 0; r < reps; r++)
		bench_scale_round(test, sc, r);
	sc->inst->cpu_override = -1;
}

/*
 * Scaling with size: metadata-only instances of 64 MiB to 64 GiB. For
 * each, the time to create it against a memset() of as many bytes of
 * metadata, and against an allocation of them as the memmap's (pages
 * up to 4 MiB, else vmalloc()) and that memset(): the least a zeroed
 * memmap costs. Then the order-0 cost per op in pairs and in bursts,
 * every size in turn in each of seven rounds, so that drift in the
 * machine hits all sizes alike.
 */
static void bench_scaling(struct kunit *test)
{
	static const unsigned int shifts[] = { 26, 30, 33, 36 };
	unsigned int reps = clamp(bench_reps, 1U, PGM_BENCH_MAX_REPS);
	unsigned int oprounds = 7, i, r;
	struct bench_scale *sc;

	sc = kunit_kcalloc(test, ARRAY_SIZE(shifts), sizeof(*sc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sc);
	for (i = 0; i < ARRAY_SIZE(shifts); i++) {
		sc[i].pages = (1UL << shifts[i]) >> PAGE_SHIFT;
		bench_scale_init(test, &sc[i], reps);
	}
	for (r = 0; r < oprounds; r++) {
		for (i = 0; i < ARRAY_SIZE(shifts); i++) {
			sc[i].pair[r] = bench_mirror_ns(test, sc[i].inst,
							PGM_BENCH_PAIR, 1);
			sc[i].burst[r] = bench_mirror_ns(test, sc[i].inst,
							 PGM_BENCH_BURST, 1);
		}
	}
	for (i = 0; i < ARRAY_SIZE(shifts); i++) {
		struct bench_scale *s = &sc[i];

		KUNIT_EXPECT_EQ(test, pgmt_pages_out(s->inst), 0L);
		KUNIT_EXPECT_EQ(test, pgmt_verify(test, s->inst), 0UL);
		kunit_release_action(test, bench_destroy, s->inst);
		bench_sort(s->init, reps);
		bench_sort(s->mset, reps);
		bench_sort(s->alloc, reps);
		bench_sort(s->ratio, reps);
		bench_sort(s->za, reps);
		bench_sort(s->pair, oprounds);
		bench_sort(s->burst, oprounds);
		kunit_info(test, "PGM-SCALE env=%s size=%luM pages=%lu metadata_bytes=%zu cpus=%u reps=%u init_ns=%llu memset_ns=%llu alloc_ns=%llu init_per_memset=%llu.%02llu init_per_memset_min=%llu.%02llu init_per_memset_max=%llu.%02llu init_per_zalloc=%llu.%02llu init_per_zalloc_min=%llu.%02llu init_per_zalloc_max=%llu.%02llu op_rounds=%u pair_ns=%llu pair_ns_min=%llu pair_ns_max=%llu burst_ns=%llu burst_ns_min=%llu burst_ns_max=%llu\n",
			   BENCH_ENV, (1UL << shifts[i]) >> 20, s->pages,
			   s->pages * sizeof(struct pgm_page),
			   num_online_cpus(), reps,
			   s->init[reps / 2], s->mset[reps / 2],
			   s->alloc[reps / 2],
			   s->ratio[reps / 2] / 100, s->ratio[reps / 2] % 100,
			   s->ratio[0] / 100, s->ratio[0] % 100,
			   s->ratio[reps - 1] / 100, s->ratio[reps - 1] % 100,
			   s->za[reps / 2] / 100, s->za[reps / 2] % 100,
			   s->za[0] / 100, s->za[0] % 100,
			   s->za[reps - 1] / 100, s->za[reps - 1] % 100,
			   oprounds, s->pair[oprounds / 2], s->pair[0],
			   s->pair[oprounds - 1], s->burst[oprounds / 2],
			   s->burst[0], s->burst[oprounds - 1]);
	}
}

#define CTL_PAIRS	1000000

/*
 * ns per alloc+free pair written as control lines: "alloc", the handle
 * read back from the status as a writer does, then "free handle=N". The
 * writer's own share is kept small (no sscanf(), no snprintf(), and of
 * the status only "ok: " compared: a 39-byte memcmp() was a call here),
 * as a user-space writer's is not on the kernel's clock; a line of
 * another shape puts no handle where the digits are read, and the free
 * fails.
 */
static u64 bench_ctl_run(struct kunit *test, struct pgm_instance *inst,
			 char *status)
{
	static const char alloc[] = "alloc order=0 tag=ctl\n";
	static const char ok[] = "ok: allocated 1 of 1 order-0, handles ";
	u64 t = ktime_get_ns();
	char free_cmd[32];
	unsigned int i;

	for (i = 0; i < CTL_PAIRS; i++) {
		const char *s = status + sizeof(ok) - 1;
		u32 first = 0;
		char *p;

		if (pgm_control_run(inst, alloc, sizeof(alloc) - 1, status) ||
		    memcmp(status, "ok: ", 4) || !isdigit(*s))
			goto fail;
		for (; isdigit(*s); s++)
			first = first * 10 + *s - '0';
		p = pgm_put_str(free_cmd, "free handle=");
		p = pgm_put_u32(p, first);
		*p++ = '\n';
		if (pgm_control_run(inst, free_cmd, p - free_cmd, status))
			goto fail;
	}
	return div_u64(ktime_get_ns() - t, CTL_PAIRS);
fail:
	KUNIT_FAIL(test, "pair %u: %s", i, status);
	return 0;
}

/*
 * The parts of a control pair bench_ctl() times apart, each holding the
 * one before it but the parser; what the pair adds around them all (the
 * interface lock, the writer list, the commands' own steps and status
 * lines, reading the handle back) is the rest
 */
enum {
	CTL_PART_PARSE,		/* both lines through pgm_parse_cmd() */
	CTL_PART_PAGES,		/* the block: pgm_alloc_pages(), pgm_free_pages() */
	CTL_PART_RECORD,	/* with its record and LRU entry */
	CTL_PART_HANDLE,	/* and a handle numbered and claimed */
	CTL_PART_REST,
	CTL_NR_PARTS
};

/*
 * As many as a control run, so that each part's slab and xarray
 * caches settle as the run's do
 */
#define CTL_PART_OPS	CTL_PAIRS

/* ns per pair of @part, alone */
static s64 bench_ctl_part(struct kunit *test, struct pgm_instance *inst,
			  int part)
{
	static const char lines[][24] = {
		"alloc order=0 tag=ctl\n", "free handle=1234567\n",
	};
	/* Their lengths, known: a strlen() per line was a tenth of this part */
	static const size_t lens[] = {
		sizeof("alloc order=0 tag=ctl\n") - 1,
		sizeof("free handle=1234567\n") - 1,
	};
	char err[PGM_STATUS_LEN] __uninitialized;
	struct pgm_cmd cmd __uninitialized;
	struct pgm_alloc *h;
	struct pgm_page *page;
	unsigned int i, l;
	u64 t;
	u32 id;

	/* Records a walker held before are not this part's to free */
	rcu_barrier();
	t = ktime_get_ns();
	for (i = 0; i < CTL_PART_OPS; i++) {
		switch (part) {
		case CTL_PART_PARSE:
			for (l = 0; l < ARRAY_SIZE(lines); l++)
				if (pgm_parse_cmd(lines[l], lens[l],
						  inst->nr_nodes, &cmd, err,
						  sizeof(err)))
					goto fail;
			break;
		case CTL_PART_PAGES:
			page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
			if (!page)
				goto fail;
			pgm_free_pages(inst, page, 0);
			break;
		default:
			h = pgm_alloc_create(inst, GFP_KERNEL, 0, 0, NULL,
					     PGM_KIND_KERNEL);
			if (!h)
				goto fail;
			if (part == CTL_PART_HANDLE) {
				if (pgm_handle_add(inst, h, &id)) {
					pgm_alloc_release(inst, h);
					goto fail;
				}
				h = pgm_handle_take(inst, id);
				if (!h)
					goto fail;
			}
			pgm_alloc_release(inst, h);
			break;
		}
	}
	return div_u64(ktime_get_ns() - t, CTL_PART_OPS);
fail:
	KUNIT_FAIL(test, "part %d failed at %u", part, i);
	return 0;
}

/*
 * The control file at the CPU's own speed: an "alloc order=0" and a
 * "free handle=N" line per pair through the parser, the interface lock, the
 * record and the handle, without the system call, against a bench pair
 * of the same instance, alternating (bench pairs, control pairs ...)
 * bench_reps times; each round's ratio is of its own two runs. Each round
 * then times the pair's parts alone (bench_ctl_part()), for a second line
 * that says where the pair goes.
 */
static void bench_ctl(struct kunit *test)
{
	char *status = kunit_kzalloc(test, PGM_STATUS_LEN, GFP_KERNEL);
	unsigned int reps = clamp(bench_reps, 1U, PGM_BENCH_MAX_REPS), r;
	u64 ns[PGM_BENCH_MAX_REPS], pair[PGM_BENCH_MAX_REPS];
	s64 part[CTL_NR_PARTS][PGM_BENCH_MAX_REPS];
	u64 ratio[PGM_BENCH_MAX_REPS];
	struct pgm_topology topo;
	struct pgm_instance *inst;
	unsigned int p;
	long out;

	KUNIT_ASSERT_NOT_NULL(test, status);
	pgmt_topology(&topo, 1, 0, 0, BENCH_PAGES, 0);
	inst = pgmt_create(test, &topo);
	inst->cpu_override = -1;
	pgm_refresh_zone_stat_thresholds(inst);
	out = pgmt_pages_out(inst);
	for (r = 0; r < reps; r++) {
		pair[r] = max_t(u64, bench_mirror_ns(test, inst,
						     PGM_BENCH_PAIR, 7), 1);
		ns[r] = bench_ctl_run(test, inst, status);
		ratio[r] = div64_u64(ns[r] * 100, pair[r]);
		for (p = 0; p < CTL_PART_REST; p++)
			part[p][r] = bench_ctl_part(test, inst, p);
		/* Signed: a round's parts may outrun its pairs */
		part[CTL_PART_REST][r] = (s64)ns[r] - part[CTL_PART_PARSE][r] -
					 part[CTL_PART_HANDLE][r];
		part[CTL_PART_HANDLE][r] -= part[CTL_PART_RECORD][r];
		part[CTL_PART_RECORD][r] -= part[CTL_PART_PAGES][r];
	}
	bench_sort(ns, reps);
	bench_sort(pair, reps);
	bench_sort(ratio, reps);
	kunit_info(test, "PGM-CTL env=%s writers=1 reps=%u ns_per_pair=%llu bench_pair_ns=%llu per_bench_pair=%llu.%02llu per_bench_pair_min=%llu.%02llu per_bench_pair_max=%llu.%02llu\n",
		   BENCH_ENV, reps, ns[reps / 2], pair[reps / 2],
		   ratio[reps / 2] / 100, ratio[reps / 2] % 100,
		   ratio[0] / 100, ratio[0] % 100,
		   ratio[reps - 1] / 100, ratio[reps - 1] % 100);
	for (p = 0; p < CTL_NR_PARTS; p++)
		bench_sort(part[p], reps);
	kunit_info(test, "PGM-CTLPARTS env=%s reps=%u parse_ns=%lld pages_ns=%lld record_ns=%lld handle_ns=%lld rest_ns=%lld\n",
		   BENCH_ENV, reps, part[CTL_PART_PARSE][reps / 2],
		   part[CTL_PART_PAGES][reps / 2],
		   part[CTL_PART_RECORD][reps / 2],
		   part[CTL_PART_HANDLE][reps / 2],
		   part[CTL_PART_REST][reps / 2]);
	/* Every record freed its block */
	KUNIT_EXPECT_EQ(test, pgmt_pages_out(inst), out);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case pgmirror_bench_cases[] = {
	KUNIT_CASE_SLOW(bench_pair),
	KUNIT_CASE_SLOW(bench_burst),
	KUNIT_CASE_SLOW(bench_bulk),
	KUNIT_CASE_SLOW(bench_frag),
	KUNIT_CASE_SLOW(bench_scaling),
	KUNIT_CASE_SLOW(bench_ctl),
	{}
};

static struct kunit_suite pgmirror_bench_suite = {
	.name = "pgmirror_bench",
	.test_cases = pgmirror_bench_cases,
};

kunit_test_suite(pgmirror_bench_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pgmirror: native-speed benchmark against alloc_pages()");
