// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_vmstat: the zone counters' per-CPU deltas, as mm/vmstat.c keeps
 * them in 6.12. Each pcp CPU's change to NR_FREE_PAGES stays in its
 * vm_stat_diff until it passes stat_threshold either way; the threshold
 * is 2 * fls(cpus) * (1 + fls(zone memory in 128 MiB units)), at most 125,
 * and while kswapd is awake max(1, (low - min) / cpus); a zone whose
 * drift could hide the gap between low and min gets a drift mark, below
 * which zone_watermark_ok_safe() reads the snapshot.
 */

#include <kunit/test.h>
#include "test_util.h"
#include "cmd.h"

/* A Normal zone of @pages with upstream's thresholds, pcp CPU 0 */
static struct pgm_instance *vmstat_instance(struct kunit *test,
					    unsigned long pages,
					    unsigned int cpus)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 1, 0, 0, pages, 0);
	topo.nr_cpus = cpus;
	inst = pgmt_create(test, &topo);
	pgm_refresh_zone_stat_thresholds(inst);
	return inst;
}

/* A DMA32 zone of @dma32 pages under a Normal zone of 2048, as above */
static struct pgm_instance *vmstat_two_zones(struct kunit *test,
					     unsigned long dma32,
					     unsigned int cpus)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 1, 0, dma32, 2048, 0);
	topo.nr_cpus = cpus;
	inst = pgmt_create(test, &topo);
	pgm_refresh_zone_stat_thresholds(inst);
	return inst;
}

static long snapshot(struct pgm_instance *inst, struct pgm_zone *zone)
{
	return pgm_zone_page_state_snapshot(zone, PGM_NR_FREE_PAGES,
					    inst->nr_cpus);
}

/*
 * calculate_normal_threshold(): 2048 pages (no 128 MiB unit) on 4 CPUs:
 * 2 * fls(4) * (1 + fls(0)) = 6; 1 GiB (8 units) on 4 CPUs: 2 * 3 * 5 =
 * 30; 64 GiB (512 units) on 64 CPUs: 2 * 7 * 11 = 154, capped at 125. The
 * drift mark is high + cpus * threshold where that exceeds low - min:
 * 2048 pages have min_free_kbytes int_sqrt(8192 * 16) = 362, min 90, low
 * 112 and high 134, so 24 > 22 and the mark is 158; 1 GiB's drift of 120
 * is under its gap of 262 (262144 * 10 / 10000), 64 GiB's 8000 under
 * 16777: no mark.
 */
static void vmstat_thresholds(struct kunit *test)
{
	static const struct {
		unsigned long pages;
		unsigned int cpus;
		int threshold;
		unsigned long mark;
	} cases[] = {
		{ 2048, 4, 6, 158 },
		{ 262144, 4, 30, 0 },
		{ 16777216, 64, 125, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pgm_instance *inst = vmstat_instance(test,
							    cases[i].pages,
							    cases[i].cpus);
		struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

		KUNIT_EXPECT_EQ_MSG(test, zone->stat_threshold,
				    cases[i].threshold, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, zone->percpu_drift_mark,
				    cases[i].mark, "case %u", i);
	}
}

static void vmstat_destroy(void *inst)
{
	pgm_instance_destroy(inst);
}

/*
 * The drift mark an instance is created with, as a booted 6.12 has it:
 * each secondary CPU's vmstat_cpu_online() in smp_init() refreshes the
 * thresholds before init_per_zone_wmark_min() sets any watermark, so with
 * low - min of 0 the mark becomes cpus * threshold, and the refresh after
 * the watermarks leaves it when that is not above low - min. 1 GiB (8
 * units): on 2 CPUs threshold 2 * 2 * 5 = 20 and mark 40, and kswapd's
 * pressure threshold min(125, (low - min) / 2) = 125 applies; on one CPU
 * (no secondary) threshold 10, no mark, and kswapd changes nothing. 2048
 * pages on 4 CPUs: threshold 6, drift 24 above low - min (22): the mark
 * is high 134 + 24 = 158, as vmstat_thresholds has it.
 */
static void vmstat_boot_drift_mark(struct kunit *test)
{
	static const struct {
		unsigned long pages;
		unsigned int cpus;
		int threshold;
		int pressure;
		unsigned long mark;
	} cases[] = {
		{ 262144, 2, 20, 125, 40 },
		{ 262144, 1, 10, 10, 0 },
		{ 2048, 4, 6, 5, 158 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pgm_topology topo;
		struct pgm_instance *inst;
		struct pgm_zone *zone;
		char err[PGM_STATUS_LEN] = "";

		pgmt_topology(&topo, 1, 0, 0, cases[i].pages, 0);
		topo.nr_cpus = cases[i].cpus;
		inst = pgm_instance_create("kunit", &topo, NULL, err,
					   sizeof(err));
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(inst), "create: %s", err);
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test, vmstat_destroy,
							  inst));
		zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
		KUNIT_EXPECT_EQ_MSG(test, zone->stat_threshold,
				    cases[i].threshold, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, zone->percpu_drift_mark,
				    cases[i].mark, "case %u", i);
		pgm_set_pgdat_percpu_threshold(zone->zone_pgdat, true);
		KUNIT_EXPECT_EQ_MSG(test, zone->stat_threshold,
				    cases[i].pressure, "case %u", i);
		pgm_set_pgdat_percpu_threshold(zone->zone_pgdat, false);
		KUNIT_EXPECT_EQ_MSG(test, zone->stat_threshold,
				    cases[i].threshold, "case %u", i);
	}
}

/*
 * The boot refresh runs before cma_init_reserved_areas() gives the CMA
 * pages to the buddy: 512 MiB DMA32 and Normal on 2 CPUs, 256 MiB of the
 * Normal zone CMA. At smp_init() Normal manages 65536 pages (2 units of
 * 128 MiB): threshold 2 * fls(2) * (1 + fls(2)) = 12, drift 24 over a gap
 * of 0, mark 24; DMA32's 131072 pages give 16 and mark 32. The refresh
 * after the watermarks gives both threshold 16 and, with low - min above
 * 32, keeps the marks.
 */
static void vmstat_boot_drift_mark_cma(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *normal, *dma32;
	char err[PGM_STATUS_LEN] = "";

	pgmt_topology(&topo, 1, 0, 131072, 131072, 0);
	topo.nr_cpus = 2;
	topo.cma_pages = 65536;
	inst = pgm_instance_create("kunit", &topo, NULL, err, sizeof(err));
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(inst), "create: %s", err);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, vmstat_destroy, inst));
	normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	KUNIT_ASSERT_EQ(test, normal->cma_pages, 65536UL);
	/* min_free_kbytes 4096, 512 pages of min each, gap max(128, 131) */
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(normal) -
			pgm_min_wmark_pages(normal), 131UL);
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(dma32) -
			pgm_min_wmark_pages(dma32), 131UL);
	KUNIT_EXPECT_EQ(test, normal->stat_threshold, 16);
	KUNIT_EXPECT_EQ(test, dma32->stat_threshold, 16);
	KUNIT_EXPECT_EQ(test, normal->percpu_drift_mark, 24UL);
	KUNIT_EXPECT_EQ(test, dma32->percpu_drift_mark, 32UL);
}

/*
 * __mod_zone_page_state(): with threshold 6, six order-0 allocations on
 * pcp CPU 0 stay in its delta (-6 is not past 6) and NR_FREE_PAGES still
 * reads 2048; the seventh makes -7 and folds it all: 2041. An order-3
 * block on CPU 1 is -8 at once and folds at once. A delta of -3 on CPU 2
 * waits for refresh_cpu_vm_stats(). The snapshot is exact throughout.
 */
static void vmstat_deltas_fold(struct kunit *test)
{
	struct pgm_instance *inst = vmstat_instance(test, 2048, 4);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *pages[10];
	int i;

	KUNIT_ASSERT_EQ(test, zone->stat_threshold, 6);
	for (i = 0; i < 6; i++)
		pages[i] = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 2048L);
	KUNIT_EXPECT_EQ(test, zone->vm_stat_diff[0][PGM_NR_FREE_PAGES], -6);
	KUNIT_EXPECT_EQ(test, snapshot(inst, zone), 2042L);
	pages[6] = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 2041L);
	KUNIT_EXPECT_EQ(test, zone->vm_stat_diff[0][PGM_NR_FREE_PAGES], 0);

	inst->cpu_override = 1;
	pages[7] = pgmt_take(zone, 3, PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 2033L);
	KUNIT_EXPECT_EQ(test, zone->vm_stat_diff[1][PGM_NR_FREE_PAGES], 0);

	inst->cpu_override = 2;
	pages[8] = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	pages[9] = pgmt_take(zone, 1, PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, zone->vm_stat_diff[2][PGM_NR_FREE_PAGES], -3);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 2033L);
	KUNIT_EXPECT_EQ(test, snapshot(inst, zone), 2030L);
	pgm_refresh_cpu_vm_stats(inst);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 2030L);
	KUNIT_EXPECT_EQ(test, zone->vm_stat_diff[2][PGM_NR_FREE_PAGES], 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	/* Freed on CPU 0: +1 each, folded at +7 */
	inst->cpu_override = 0;
	for (i = 0; i < 7; i++)
		pgmt_give(zone, pages[i], 0);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 2037L);
	pgmt_give(zone, pages[7], 3);
	pgmt_give(zone, pages[8], 0);
	pgmt_give(zone, pages[9], 1);
	pgm_refresh_cpu_vm_stats(inst);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 2048L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * zone_watermark_ok_safe(): NR_FREE_PAGES 10 above high, while the four
 * CPUs' deltas are -6 each: the fast check passes on the global count,
 * the safe one, below the drift mark, takes the snapshot (14 under high)
 * and fails. Without a drift mark it trusts the global count too.
 */
static void vmstat_watermark_ok_safe(struct kunit *test)
{
	struct pgm_instance *inst = vmstat_instance(test, 2048, 4);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	unsigned long high = pgm_high_wmark_pages(zone);
	long free = pgmt_nr_free(zone);
	unsigned int cpu;

	/* high 134 and the mark 158, as vmstat_thresholds() works out */
	KUNIT_ASSERT_EQ(test, high, 134UL);
	KUNIT_ASSERT_EQ(test, zone->percpu_drift_mark, 158UL);
	KUNIT_ASSERT_GT(test, free, (long)high + 10);
	/* The state the rule is about, set directly: restored below */
	atomic_long_set(&zone->vm_stat[PGM_NR_FREE_PAGES], high + 10);
	for (cpu = 0; cpu < 4; cpu++)
		zone->vm_stat_diff[cpu][PGM_NR_FREE_PAGES] = -6;
	KUNIT_EXPECT_EQ(test, snapshot(inst, zone), (long)high - 14);
	KUNIT_EXPECT_TRUE(test, pgm___zone_watermark_ok(zone, 0, high,
							PGM_ZONE_NORMAL, 0,
							pgmt_nr_free(zone)));
	KUNIT_EXPECT_FALSE(test, pgm_zone_watermark_ok_safe(zone, 0, high,
							    PGM_ZONE_NORMAL));
	zone->percpu_drift_mark = 0;
	KUNIT_EXPECT_TRUE(test, pgm_zone_watermark_ok_safe(zone, 0, high,
							   PGM_ZONE_NORMAL));
	for (cpu = 0; cpu < 4; cpu++)
		zone->vm_stat_diff[cpu][PGM_NR_FREE_PAGES] = 0;
	atomic_long_set(&zone->vm_stat[PGM_NR_FREE_PAGES], free);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * set_pgdat_percpu_threshold(): awake, kswapd runs the zone at
 * max(1, (low - min) / cpus); asleep, at the normal threshold again. A
 * zone without a drift mark keeps what it has.
 */
static void vmstat_kswapd_thresholds(struct kunit *test)
{
	struct pgm_instance *inst = vmstat_instance(test, 2048, 4);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	/* low 112 - min 90 (vmstat_thresholds) over 4 CPUs */
	KUNIT_ASSERT_NE(test, zone->percpu_drift_mark, 0UL);
	pgm_set_pgdat_percpu_threshold(zone->zone_pgdat, true);
	KUNIT_EXPECT_EQ(test, zone->stat_threshold, 5);
	pgm_set_pgdat_percpu_threshold(zone->zone_pgdat, false);
	KUNIT_EXPECT_EQ(test, zone->stat_threshold, 6);
	zone->percpu_drift_mark = 0;
	pgm_set_pgdat_percpu_threshold(zone->zone_pgdat, true);
	KUNIT_EXPECT_EQ(test, zone->stat_threshold, 6);
}

/* Every CPU's count of @item in node 0's Normal zone */
static unsigned long numa_events(struct pgm_instance *inst,
				 enum pgm_numa_stat_item item)
{
	return pgm_zone_numa_event_state(pgmt_zone(inst, 0, PGM_ZONE_NORMAL),
					 item);
}

/* One control line; its errno, the status in @status */
static int numa_set(struct pgm_instance *inst, const char *line,
		    char *status)
{
	return pgm_control_run(inst, line, strlen(line), status);
}

/*
 * vm.numa_stat, as sysctl_vm_numa_stat_handler(): each local order-0
 * allocation counts one numa_hit and one numa_local (zone_statistics());
 * writing 0 clears the counters (invalid_numa_statistics()) and stops
 * them; writing 1 counts again from there; 2 is refused, unchanged.
 */
static void vmstat_numa_stat(struct kunit *test)
{
	struct pgm_instance *inst = vmstat_instance(test, 2048, 1);
	char *status = kunit_kzalloc(test, PGM_STATUS_LEN, GFP_KERNEL);
	struct pgm_page *pages[9];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, status);
	for (i = 0; i < 3; i++)
		pages[i] = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_EXPECT_EQ(test, numa_events(inst, PGM_NUMA_HIT), 3UL);
	KUNIT_EXPECT_EQ(test, numa_events(inst, PGM_NUMA_LOCAL), 3UL);

	KUNIT_EXPECT_EQ(test, numa_set(inst, "set numa_stat=0", status), 0);
	KUNIT_EXPECT_STREQ(test, status, "ok: numa_stat=0");
	KUNIT_EXPECT_EQ(test, numa_events(inst, PGM_NUMA_HIT), 0UL);
	KUNIT_EXPECT_EQ(test, numa_events(inst, PGM_NUMA_LOCAL), 0UL);
	for (i = 3; i < 5; i++)
		pages[i] = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_EXPECT_EQ(test, numa_events(inst, PGM_NUMA_HIT), 0UL);

	KUNIT_EXPECT_EQ(test, numa_set(inst, "set numa_stat=2", status),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, status,
			   "error: EINVAL: numa_stat is 0 or 1, not 2");
	KUNIT_EXPECT_EQ(test, inst->tun.numa_stat, 0);

	KUNIT_EXPECT_EQ(test, numa_set(inst, "set numa_stat=1", status), 0);
	for (i = 5; i < 9; i++)
		pages[i] = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_EXPECT_EQ(test, numa_events(inst, PGM_NUMA_HIT), 4UL);
	KUNIT_EXPECT_EQ(test, numa_events(inst, PGM_NUMA_LOCAL), 4UL);

	/* 1 again changes nothing */
	KUNIT_EXPECT_EQ(test, numa_set(inst, "set numa_stat=1", status), 0);
	KUNIT_EXPECT_EQ(test, numa_events(inst, PGM_NUMA_HIT), 4UL);
	for (i = 0; i < 9; i++) {
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		pgm_free_pages(inst, pages[i], 0);
	}
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Boot hands every page to the buddy through __free_pages_core() ->
 * free_one_page(), which counts PGFREE: a fresh instance's pgfree is its
 * pages, CMA's included (init_cma_reserved_pageblock() frees them the
 * same way), and nothing was allocated.
 */
static void vmstat_pgfree_at_create(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 2, 0, 8 * PGM_PAGEBLOCK_NR_PAGES,
		      24 * PGM_PAGEBLOCK_NR_PAGES, 0);
	topo.cma_pages = 4 * PGM_PAGEBLOCK_NR_PAGES;
	inst = pgmt_create(test, &topo);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGFREE),
			2UL * 32 * PGM_PAGEBLOCK_NR_PAGES);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGALLOC_NORMAL), 0UL);
}

/*
 * stats prints global_zone_page_state(): the zones' counters summed as
 * they are, then clamped at 0 once. Three pcp CPUs on a DMA32 zone of one
 * pageblock: stat_threshold 2 * fls(3) * (1 + fls(0)) = 4. With every
 * page taken and the diffs folded, DMA32 counts 0; CPUs 1 and 2 give back
 * 4 and 1 pages (+4 and +1: within the threshold) and CPU 0 takes all
 * five (-5: past it, folded), so DMA32's counter is -5 while its pages,
 * with the deltas, are 0. Upstream's sum is Normal's 2048 less 5; each
 * zone clamped first would print 2048.
 */
static void vmstat_stats_sum(struct kunit *test)
{
	unsigned long nr = PGM_PAGEBLOCK_NR_PAGES, i;
	struct pgm_zone *dma32, *normal;
	struct pgm_instance *inst;
	struct pgm_page **pages;

	inst = vmstat_two_zones(test, nr, 3);
	dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	KUNIT_ASSERT_EQ(test, dma32->stat_threshold, 4);
	pages = kunit_kcalloc(test, nr, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);

	inst->cpu_override = 0;
	for (i = 0; i < nr; i++) {
		pages[i] = pgmt_take(dma32, 0, PGM_MIGRATE_MOVABLE);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	pgm_refresh_cpu_vm_stats(inst);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(dma32), 0L);
	inst->cpu_override = 1;
	for (i = 0; i < 4; i++)
		pgmt_give(dma32, pages[i], 0);
	inst->cpu_override = 2;
	pgmt_give(dma32, pages[4], 0);
	inst->cpu_override = 0;
	for (i = 0; i < 5; i++)
		pages[i] = pgmt_take(dma32, 0, PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&dma32->vm_stat[PGM_NR_FREE_PAGES]),
			-5L);
	KUNIT_EXPECT_EQ(test, snapshot(inst, dma32), 0L);

	/* Normal untouched: 2048 + -5 */
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(normal), 2048L);
	KUNIT_EXPECT_NOT_NULL(test,
			      strstr(pgmt_render(test, inst, pgm_stats_show),
				     "\nnr_free_pages 2043\n"));

	for (i = 0; i < nr; i++)
		pgmt_give(dma32, pages[i], 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * vmstat_update() queues itself again only while refresh_cpu_vm_stats()
 * changed something; a quiet CPU's worker waits for vmstat_shepherd(),
 * which queues it when need_update() finds a delta. 2048 pages on 2 CPUs
 * (threshold 2 * fls(2) * (1 + 0) = 4; low 112 split over the node's two
 * CPUs, zone_highsize(): high_min 56): both pcps' high set to 120, no
 * delta: a second passes and neither decays. A page taken on CPU 0
 * leaves -1 there: the shepherd runs CPU 0's worker, which folds it and
 * takes an eighth off high (decay_pcp_high(), nothing on the list); the
 * worker then runs each second, 105, 92, 81, 71, 63, 56, and stops at
 * high_min. CPU 1, quiet throughout, keeps its high.
 */
static void vmstat_worker_quiet_cpu(struct kunit *test)
{
	struct pgm_instance *inst = vmstat_instance(test, 2048, 2);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	struct pgm_per_cpu_pages *quiet = &zone->per_cpu_pageset[1];
	static const int decayed[] = { 105, 92, 81, 71, 63, 56 };
	struct pgm_page *page;
	int high = 120, tick;

	KUNIT_ASSERT_EQ(test, zone->stat_threshold, 4);
	KUNIT_ASSERT_EQ(test, pcp->count, 0);
	KUNIT_ASSERT_EQ(test, pcp->high_min, 56);
	pcp->high = high;
	quiet->high = high;
	pgm_vmstat_tick(inst);
	KUNIT_EXPECT_EQ(test, pcp->high, high);
	KUNIT_EXPECT_EQ(test, quiet->high, high);

	inst->cpu_override = 0;
	page = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_EQ(test, zone->vm_stat_diff[0][PGM_NR_FREE_PAGES], -1);
	for (tick = 0; tick < ARRAY_SIZE(decayed); tick++) {
		pgm_vmstat_tick(inst);
		KUNIT_EXPECT_EQ_MSG(test, pcp->high, decayed[tick], "second %d",
				    tick);
		/* Idle only once back at high_min */
		KUNIT_EXPECT_EQ(test, test_bit(0, inst->vmstat_idle),
				tick == ARRAY_SIZE(decayed) - 1);
	}
	KUNIT_EXPECT_EQ(test, zone->vm_stat_diff[0][PGM_NR_FREE_PAGES], 0);
	KUNIT_EXPECT_TRUE(test, test_bit(0, inst->vmstat_idle));
	/* Idle again: a high raised now stays */
	pcp->high = high;
	pgm_vmstat_tick(inst);
	KUNIT_EXPECT_EQ(test, pcp->high, high);
	KUNIT_EXPECT_EQ(test, quiet->high, high);
	pgmt_give(zone, page, 0);
	pcp->high = pcp->high_min;
	quiet->high = quiet->high_min;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * refresh_cpu_vm_stats() reports a fold through fold_diff(), which sums a
 * CPU's deltas over its zones: -1 in DMA32 and +1 in Normal fold to 0, and
 * the worker the shepherd ran for them is not queued again. With a high
 * raised after (to 104, 64 over Normal's high_min of 40: low 80 of its
 * 2048 pages, 64 + 16, over two CPUs), the next second leaves it; -1
 * alone keeps the worker on, and the second after decays it to 91.
 */
static void vmstat_worker_fold_sum(struct kunit *test)
{
	struct pgm_instance *inst;
	struct pgm_zone *dma32, *normal;
	struct pgm_per_cpu_pages *pcp;
	struct pgm_page *a, *b;
	int high;

	inst = vmstat_two_zones(test, 2048, 2);
	dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	KUNIT_ASSERT_EQ(test, dma32->stat_threshold, 4);
	KUNIT_ASSERT_EQ(test, normal->stat_threshold, 4);
	pcp = &normal->per_cpu_pageset[0];
	KUNIT_ASSERT_EQ(test, pcp->high_min, 40);
	inst->cpu_override = 0;

	/* Taken untracked, then given back on CPU 0: +1 in Normal */
	b = pgmt_take(normal, 0, PGM_MIGRATE_MOVABLE);
	pgm_fold_zone_stat_diffs(normal, 0, NULL);
	a = pgmt_take(dma32, 0, PGM_MIGRATE_MOVABLE);
	pgmt_give(normal, b, 0);
	KUNIT_ASSERT_EQ(test, dma32->vm_stat_diff[0][PGM_NR_FREE_PAGES], -1);
	KUNIT_ASSERT_EQ(test, normal->vm_stat_diff[0][PGM_NR_FREE_PAGES], 1);
	pgm_vmstat_tick(inst);
	KUNIT_EXPECT_EQ(test, normal->vm_stat_diff[0][PGM_NR_FREE_PAGES], 0);
	KUNIT_EXPECT_TRUE(test, test_bit(0, inst->vmstat_idle));
	high = pcp->high_min + 64;
	pcp->high = high;
	pgm_vmstat_tick(inst);
	KUNIT_EXPECT_EQ(test, pcp->high, high);

	/* -1 alone: the fold counts, the worker stays on */
	pcp->high = pcp->high_min;
	b = pgmt_take(normal, 0, PGM_MIGRATE_MOVABLE);
	pgm_vmstat_tick(inst);
	KUNIT_EXPECT_FALSE(test, test_bit(0, inst->vmstat_idle));
	pcp->high = high;
	pgm_vmstat_tick(inst);
	KUNIT_EXPECT_EQ(test, pcp->high, 91);
	pcp->high = pcp->high_min;
	pgmt_give(normal, b, 0);
	pgmt_give(dma32, a, 0);
	pgm_refresh_cpu_vm_stats(inst);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case vmstat_cases[] = {
	KUNIT_CASE(vmstat_thresholds),
	KUNIT_CASE(vmstat_boot_drift_mark),
	KUNIT_CASE(vmstat_boot_drift_mark_cma),
	KUNIT_CASE(vmstat_deltas_fold),
	KUNIT_CASE(vmstat_watermark_ok_safe),
	KUNIT_CASE(vmstat_kswapd_thresholds),
	KUNIT_CASE(vmstat_numa_stat),
	KUNIT_CASE(vmstat_pgfree_at_create),
	KUNIT_CASE(vmstat_stats_sum),
	KUNIT_CASE(vmstat_worker_quiet_cpu),
	KUNIT_CASE(vmstat_worker_fold_sum),
	{}
};

static struct kunit_suite vmstat_suite = {
	.name = "pgmirror_vmstat",
	.test_cases = vmstat_cases,
};

kunit_test_suite(vmstat_suite);
