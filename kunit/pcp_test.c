// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_pcp: zone_batchsize(), zone_highsize(), the pcp list index,
 * refills in batch units with the alloc_factor growth, the drain when a
 * free takes count past high, trylock failure and drain on demand.
 */

#include <kunit/test.h>
#include "explain.h"
#include "test_util.h"

struct size_case {
	const char *name;
	unsigned int nodes, cpus;
	unsigned long dma, dma32, normal;
	int fraction;
	enum pgm_zone_type zone;
	int batch, high_min, high_max;
};

/*
 * batch = rounddown_pow_of_two(b + b / 2) - 1, b = min(managed >> 10, 256) / 4
 * high_min = low watermark / CPUs of the node, high_max = managed / 8 / CPUs
 * (x86-like node: low DMA 40, DMA32 280, NORMAL 320; see pgmirror_watermark)
 */
static const struct size_case size_cases[] = {
	{ "NORMAL 128M 1cpu", 1, 1, 4096, 28672, 32768, 0, PGM_ZONE_NORMAL,
	  7, 320, 4096 },
	{ "DMA32 112M 1cpu", 1, 1, 4096, 28672, 32768, 0, PGM_ZONE_DMA32,
	  7, 280, 3584 },
	/* b = 4 / 4 = 1: rounddown_pow_of_two(1) - 1 = 0, then at least 1 */
	{ "DMA 16M 1cpu", 1, 1, 4096, 28672, 32768, 0, PGM_ZONE_DMA,
	  1, 40, 512 },
	{ "NORMAL 128M 4cpu", 1, 4, 4096, 28672, 32768, 0, PGM_ZONE_NORMAL,
	  7, 80, 1024 },
	/* 40 / 4 = 10 is still above batch * 4 = 4 */
	{ "DMA 16M 4cpu", 1, 4, 4096, 28672, 32768, 0, PGM_ZONE_DMA,
	  1, 10, 128 },
	/*
	 * 1 GiB: b = 256 / 4 = 64, rounddown_pow_of_two(96) - 1 = 63;
	 * min_free_kbytes 4096, min 1024, low 1024 + max(256, 262)
	 */
	{ "NORMAL 1G 1cpu", 1, 1, 0, 0, 262144, 0, PGM_ZONE_NORMAL,
	  63, 1286, 32768 },
	/* A fraction fixes high: managed / fraction, no auto-tuning range */
	{ "NORMAL 128M fraction 8", 1, 1, 4096, 28672, 32768, 8,
	  PGM_ZONE_NORMAL, 7, 4096, 4096 },
	{ "NORMAL 128M fraction 100", 1, 1, 4096, 28672, 32768, 100,
	  PGM_ZONE_NORMAL, 7, 327, 327 },
	/*
	 * Two nodes, four CPUs: two per node. 2 x 128M NORMAL: min_free_kbytes
	 * int_sqrt(262144 * 16) = 2048, min 256, low 320, split over 2 CPUs
	 */
	{ "2 nodes 4cpu", 2, 4, 0, 0, 32768, 0, PGM_ZONE_NORMAL,
	  7, 160, 2048 },
};

static void size_case_desc(const struct size_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(size, size_cases, size_case_desc);

static void pcp_batch_and_high(struct kunit *test)
{
	const struct size_case *c = test->param_value;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	unsigned int cpu;

	pgmt_topology(&topo, c->nodes, c->dma, c->dma32, c->normal, 0);
	topo.nr_cpus = c->cpus;
	topo.tun.percpu_pagelist_high_fraction = c->fraction;
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, c->zone);

	KUNIT_EXPECT_EQ(test, zone->pageset_batch, c->batch);
	KUNIT_EXPECT_EQ(test, zone->pageset_high_min, c->high_min);
	KUNIT_EXPECT_EQ(test, zone->pageset_high_max, c->high_max);
	for (cpu = 0; cpu < inst->nr_cpus; cpu++) {
		KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[cpu].batch,
				c->batch);
		KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[cpu].high_min,
				c->high_min);
	}
}

/*
 * zone_pcp_init(): every empty zone keeps the boot pageset, and each
 * zone_pcp_update() of setup_per_zone_wmarks() writes its sizes there,
 * in zone order, when they differ from the zone's last: with only NORMAL
 * populated, DMA and DMA32 (no pages: batch max(1, 0) = 1, high
 * max(0, 1 << 2) = 4 both ways), then MOVABLE, whose min is clamped to
 * SWAP_CLUSTER_MAX, so high_min is its low of 32 over one CPU and
 * high_max max(0 / 8, 4) = 4. That last one stays; NORMAL has its own.
 * (The host's CONFIG_ZONE_DEVICE adds a fifth empty zone whose 1/4/4
 * comes after; the mirror has no such zone, and nothing reads these.)
 */
static void pcp_empty_zones_boot_pageset(struct kunit *test)
{
	static const enum pgm_zone_type empty[] = {
		PGM_ZONE_DMA, PGM_ZONE_DMA32, PGM_ZONE_MOVABLE,
	};
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_per_cpu_pages *boot;
	struct pgm_zone *zone, *normal;
	unsigned int i;

	pgmt_topology(&topo, 1, 0, 0, 8 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	boot = inst->boot_pageset;
	for (i = 0; i < ARRAY_SIZE(empty); i++) {
		zone = pgmt_zone(inst, 0, empty[i]);
		KUNIT_EXPECT_PTR_EQ(test, zone->per_cpu_pageset, boot);
		KUNIT_EXPECT_PTR_EQ(test, zone->pcp_of[0], boot);
		KUNIT_EXPECT_PTR_EQ(test, zone->per_cpu_zonestats,
				    inst->boot_zonestats);
		KUNIT_EXPECT_EQ(test, zone->pageset_batch, 1);
	}
	KUNIT_EXPECT_EQ(test, pgmt_zone(inst, 0, PGM_ZONE_DMA)->pageset_high_min,
			4);
	zone = pgmt_zone(inst, 0, PGM_ZONE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgm_low_wmark_pages(zone), 32UL);
	KUNIT_EXPECT_EQ(test, zone->pageset_high_min, 32);
	KUNIT_EXPECT_EQ(test, zone->pageset_high_max, 4);
	KUNIT_EXPECT_EQ(test, boot->batch, 1);
	KUNIT_EXPECT_EQ(test, boot->high_min, 32);
	KUNIT_EXPECT_EQ(test, boot->high_max, 4);

	normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	KUNIT_EXPECT_PTR_NE(test, normal->per_cpu_pageset, boot);
	KUNIT_EXPECT_PTR_NE(test, normal->per_cpu_zonestats,
			    inst->boot_zonestats);
	/*
	 * NORMAL's own: 4096 pages, batch 4 / 4 = 1, rounded to 0, max(1, 0);
	 * min_free_kbytes 512, min 128, low 160: high_min 160 over one CPU,
	 * high_max 4096 / 8 = 512
	 */
	KUNIT_EXPECT_EQ(test, normal->pageset_batch, 1);
	KUNIT_EXPECT_EQ(test, normal->per_cpu_pageset[0].batch, 1);
	KUNIT_EXPECT_EQ(test, normal->pageset_high_min, 160);
	KUNIT_EXPECT_EQ(test, normal->pageset_high_max, 512);
}

static void pcp_pindex(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	int order, mt;

	/* Made without transparent_hugepage=: a kernel built without THP */
	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	for (order = 0; order <= PGM_PAGE_ALLOC_COSTLY_ORDER; order++) {
		KUNIT_EXPECT_TRUE(test, pgm_pcp_allowed_order(inst, order));
		for (mt = 0; mt < PGM_MIGRATE_PCPTYPES; mt++) {
			KUNIT_EXPECT_EQ(test, pgm_order_to_pindex(mt, order),
					3U * order + mt);
			KUNIT_EXPECT_EQ(test,
					pgm_pindex_to_order(3 * order + mt),
					order);
		}
	}
	/* pcp_allowed_order(): HPAGE_PMD_ORDER only under THP */
	for (order = 4; order <= PGM_MAX_PAGE_ORDER; order++)
		KUNIT_EXPECT_FALSE(test, pgm_pcp_allowed_order(inst, order));
	inst->tun.transparent_hugepage = PGM_THP_NEVER;
	for (order = 4; order <= PGM_MAX_PAGE_ORDER; order++)
		KUNIT_EXPECT_EQ(test, pgm_pcp_allowed_order(inst, order),
				order == PGM_PAGEBLOCK_ORDER);
	/*
	 * Pageblock order (NR_PCP_THP = 2): NR_LOWORDER_PCP_LISTS (12) for
	 * unmovable and reclaimable, 13 for movable
	 */
	KUNIT_EXPECT_EQ(test, pgm_order_to_pindex(PGM_MIGRATE_UNMOVABLE, 9), 12U);
	KUNIT_EXPECT_EQ(test, pgm_order_to_pindex(PGM_MIGRATE_RECLAIMABLE, 9),
			12U);
	KUNIT_EXPECT_EQ(test, pgm_order_to_pindex(PGM_MIGRATE_MOVABLE, 9), 13U);
	KUNIT_EXPECT_EQ(test, pgm_pindex_to_order(12), 9);
	KUNIT_EXPECT_EQ(test, pgm_pindex_to_order(13), 9);
	KUNIT_EXPECT_EQ(test, PGM_NR_PCP_LISTS, 14);
}

static struct pgm_instance *x86_like(struct kunit *test)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, 1, 4096, 28672, 32768, 0);
	return pgmt_create(test, &topo);
}

/*
 * A freed movable order-9 block waits on the movable pageblock-order pcp
 * list: an unmovable order-9 request does not get it from there, but goes
 * to the buddy and steals a whole free pageblock (a fallback: extfrag),
 * while a movable one takes it straight from the pcp list.
 */
static void pcp_thp_lists(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_per_cpu_pages *pcp;
	struct pgm_page *movable, *unmovable, *again;
	int len;

	/*
	 * high 16384 / 8 = 2048: room for two refills of two order-9 blocks.
	 * Built with THP; below 512 MiB hugepage_init() turns it to never,
	 * which leaves the order-9 lists and min_free_kbytes alone.
	 */
	pgmt_topology(&topo, 1, 0, 0, 32 * PGMT_PB, 0);
	topo.tun.percpu_pagelist_high_fraction = 8;
	topo.tun.transparent_hugepage = PGM_THP_ALWAYS;
	inst = pgmt_create(test, &topo);
	KUNIT_ASSERT_EQ(test, inst->tun.transparent_hugepage, PGM_THP_NEVER);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	pcp = &zone->per_cpu_pageset[0];
	KUNIT_ASSERT_EQ(test, pcp->high_max, 2048);

	movable = pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE, 9, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, movable);
	pgm_free_pages(inst, movable, 9);
	/*
	 * zone_batchsize(16384) = 3, and nr_pcp_alloc() scales a batch of 3
	 * to max(3 >> 9, 2) = 2 order-9 blocks: the refill took two, one was
	 * handed out and came back under high
	 */
	len = pgmt_pcp_list_len(inst, pcp, PGM_MIGRATE_MOVABLE, 9);
	KUNIT_ASSERT_EQ(test, len, 2);
	KUNIT_EXPECT_EQ(test, pgmt_pcp_list_len(inst, pcp, PGM_MIGRATE_UNMOVABLE, 9),
			0);
	KUNIT_ASSERT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_FALLBACK), 0UL);

	/* Not from the movable list: a fallback in the buddy */
	unmovable = pgm_alloc_pages(inst, GFP_KERNEL, 9, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, unmovable);
	KUNIT_EXPECT_PTR_NE(test, unmovable, movable);
	KUNIT_EXPECT_EQ(test, pgmt_pcp_list_len(inst, pcp, PGM_MIGRATE_MOVABLE, 9),
			len);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_FALLBACK), 1UL);

	/* The movable request takes the freed block, last in, first out */
	again = pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE, 9, 0, NULL);
	KUNIT_EXPECT_PTR_EQ(test, again, movable);
	KUNIT_EXPECT_EQ(test, pgmt_pcp_list_len(inst, pcp, PGM_MIGRATE_MOVABLE, 9),
			len - 1);
	pgm_free_pages(inst, again, 9);
	pgm_free_pages(inst, unmovable, 9);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Built without THP (NR_PCP_THP = 0), rmqueue() takes an order-9 request
 * to rmqueue_buddy() and free_unref_page() gives the block to
 * __free_pages_ok(): one pageblock leaves the buddy and comes back,
 * merged at once, with no refill and nothing on a pcp list.
 */
static void pcp_no_thp_order9_buddy(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_per_cpu_pages *pcp;
	struct pgm_page *page;
	unsigned long freed;
	long free;

	pgmt_topology(&topo, 1, 0, 0, 32 * PGMT_PB, 0);
	topo.tun.percpu_pagelist_high_fraction = 8;
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	pcp = &zone->per_cpu_pageset[0];
	free = pgmt_nr_free(zone);
	/* 16384 pages in 16 order-10 blocks */
	KUNIT_ASSERT_EQ(test, free, 16384L);
	KUNIT_ASSERT_EQ(test, zone->free_area[10].nr_free, 16UL);
	/* memblock_free_all()'s blocks counted too: free_one_page() */
	freed = pgmt_event(inst, PGM_PGFREE);
	KUNIT_ASSERT_EQ(test, freed, 16384UL);

	page = pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE, 9, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* One block split off an order-10 one; its buddy waits at order 9 */
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free - 512);
	KUNIT_EXPECT_EQ(test, zone->free_area[9].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_REFILL), 0UL);

	pgm_free_pages(inst, page, 9);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free);
	KUNIT_EXPECT_EQ(test, zone->free_area[9].nr_free, 0UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[10].nr_free, 16UL);
	KUNIT_EXPECT_EQ(test, pgmt_pcp_list_len(inst, pcp,
						PGM_MIGRATE_MOVABLE, 9), 0);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGFREE), freed + 512);

	/* A write to transparent_hugepage/enabled builds it with THP */
	KUNIT_ASSERT_EQ(test, pgm_start_stop_khugepaged(inst, PGM_THP_NEVER),
			0);
	page = pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE, 9, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* nr_pcp_alloc(): max(3 >> 9, 2) blocks, one handed out */
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_REFILL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_pcp_list_len(inst, pcp,
						PGM_MIGRATE_MOVABLE, 9), 1);
	pgm_free_pages(inst, page, 9);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * rmqueue(): a boosted zone wakes kswapd, and the flag is cleared, after a
 * pcp hit as after a buddy allocation; a request without ALLOC_KSWAPD
 * leaves both alone.
 */
static void pcp_boosted_wakeup_after_hit(struct kunit *test)
{
	struct pgm_instance *inst = x86_like(test);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	struct pgm_pglist_data *pgdat = zone->zone_pgdat;
	int count;

	KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL, 0, 0,
						    NULL));
	count = pcp->count;
	/* nr_pcp_alloc(): a batch of 7, one handed out */
	KUNIT_ASSERT_EQ(test, count, 6);
	KUNIT_ASSERT_EQ(test, pgdat->kswapd_highest_zoneidx, PGM_MAX_NR_ZONES);

	/* No __GFP_KSWAPD_RECLAIM: no ALLOC_KSWAPD, nothing happens */
	set_bit(PGM_ZONE_BOOSTED_WATERMARK, &zone->flags);
	KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL &
						    ~__GFP_RECLAIM, 0, 0,
						    NULL));
	KUNIT_EXPECT_EQ(test, pcp->count, count - 1);
	KUNIT_EXPECT_TRUE(test, test_bit(PGM_ZONE_BOOSTED_WATERMARK,
					 &zone->flags));
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_highest_zoneidx, PGM_MAX_NR_ZONES);

	/* A pcp hit with ALLOC_KSWAPD: wakeup_kswapd(zone, 0, 0, NORMAL) */
	KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL, 0, 0,
						    NULL));
	KUNIT_EXPECT_EQ(test, pcp->count, count - 2);
	KUNIT_EXPECT_FALSE(test, test_bit(PGM_ZONE_BOOSTED_WATERMARK,
					  &zone->flags));
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_highest_zoneidx, PGM_ZONE_NORMAL);
}

/*
 * percpu_pagelist_high_fraction_sysctl_handler(): writing the value it
 * already holds resizes nothing, so a watermark boost, which
 * low_wmark_pages() adds, does not reach high_min. 128 MiB of NORMAL:
 * min_free_kbytes int_sqrt(131072 * 16) = 1448, min 362, low 362 +
 * max(362 / 4, 32768 * 10 / 10000) = 452, over one CPU. A real change
 * recomputes every populated zone: 32768 / 8 = 4096, then back to 0,
 * low 452 + 512 of boost.
 */
static void pcp_high_fraction_same_value(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_per_cpu_pages *pcp;

	pgmt_topology(&topo, 1, 0, 0, 32768, 0);
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	pcp = &zone->per_cpu_pageset[0];
	KUNIT_ASSERT_EQ(test, zone->pageset_high_min, 452);
	KUNIT_ASSERT_EQ(test, pcp->high_min, 452);

	spin_lock_irq(&zone->lock);
	zone->watermark_boost = 512;
	spin_unlock_irq(&zone->lock);
	KUNIT_EXPECT_EQ(test, pgm_set_percpu_pagelist_high_fraction(inst, 0), 0);
	KUNIT_EXPECT_EQ(test, zone->pageset_high_min, 452);
	KUNIT_EXPECT_EQ(test, pcp->high_min, 452);

	KUNIT_EXPECT_EQ(test, pgm_set_percpu_pagelist_high_fraction(inst, 8), 0);
	KUNIT_EXPECT_EQ(test, pcp->high_min, 4096);
	KUNIT_EXPECT_EQ(test, pcp->high_max, 4096);
	KUNIT_EXPECT_EQ(test, pgm_set_percpu_pagelist_high_fraction(inst, 0), 0);
	KUNIT_EXPECT_EQ(test, pcp->high_min, 452 + 512);

	spin_lock_irq(&zone->lock);
	zone->watermark_boost = 0;
	spin_unlock_irq(&zone->lock);
}

/*
 * NORMAL: batch 7, high_min 320, high_max 4096. Each refill of an order-0
 * list takes batch << alloc_factor pages, raises high by that much, and
 * doubles the next refill.
 */
static void pcp_refill_batches(struct kunit *test)
{
	struct pgm_instance *inst = x86_like(test);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	int i;

	/* Refill 1: high = 320 + 7, 7 pages, alloc_factor 0 -> 1 */
	KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL, 0, 0,
						    NULL));
	KUNIT_EXPECT_EQ(test, pcp->count, 6);
	KUNIT_EXPECT_EQ(test, pcp->high, 327);
	KUNIT_EXPECT_EQ(test, pcp->alloc_factor, 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_REFILL_PAGES), 7UL);

	for (i = 0; i < 6; i++)
		KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL,
							    0, 0, NULL));
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_REFILL), 1UL);

	/* Refill 2: 7 << 1 = 14 pages, high = 327 + 14 */
	KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL, 0, 0,
						    NULL));
	KUNIT_EXPECT_EQ(test, pcp->count, 13);
	KUNIT_EXPECT_EQ(test, pcp->high, 341);
	KUNIT_EXPECT_EQ(test, pcp->alloc_factor, 2);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_REFILL_PAGES), 21UL);

	/*
	 * Order 3: the plain batch, scaled down by order: max(7 >> 3, 2) = 2
	 * blocks of 8 pages; high grows by the batch, 7.
	 */
	KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL, 3, 0,
						    NULL));
	KUNIT_EXPECT_EQ(test, pcp->count, 13 + 16 - 8);
	KUNIT_EXPECT_EQ(test, pcp->high, 348);
	KUNIT_EXPECT_EQ(test, pcp->alloc_factor, 2);
	KUNIT_EXPECT_EQ(test, pgmt_pcp_list_len(inst, pcp, PGM_MIGRATE_UNMOVABLE, 3), 1);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A fixed high of 256 (16384 pages / fraction 8 / 8 CPUs), batch 3. Frees
 * raise free_count up to batch << 5 = 96; the free that brings count to
 * high drains clamp(free_count, batch, high - batch) = 96 pages.
 */
static void pcp_drain_past_high(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_per_cpu_pages *pcp;
	struct pgm_page **pages;
	unsigned long drains, drained;
	long free_before;
	int i;

	pgmt_topology(&topo, 1, 0, 0, 16384, 0);
	topo.nr_cpus = 8;
	topo.tun.percpu_pagelist_high_fraction = 8;
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	pcp = &zone->per_cpu_pageset[0];
	KUNIT_ASSERT_EQ(test, pcp->batch, 3);
	KUNIT_ASSERT_EQ(test, pcp->high_min, 256);
	KUNIT_ASSERT_EQ(test, pcp->high_max, 256);

	pages = kunit_kcalloc(test, 300, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < 300; i++) {
		pages[i] = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	pgm_drain_all_pages(inst, NULL);
	KUNIT_ASSERT_EQ(test, pcp->count, 0);
	KUNIT_ASSERT_EQ(test, pcp->free_count, 0);

	drains = pgmt_event(inst, PGM_PCP_DRAIN);
	drained = pgmt_event(inst, PGM_PCP_DRAIN_PAGES);
	free_before = pgmt_nr_free(zone);
	/* 300 taken, the pcp drained */
	KUNIT_ASSERT_EQ(test, free_before, 16084L);
	for (i = 0; i < 255; i++)
		pgm_free_pages(inst, pages[i], 0);
	KUNIT_EXPECT_EQ(test, pcp->count, 255);
	KUNIT_EXPECT_EQ(test, pcp->free_count, 96);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_DRAIN), drains);

	pgm_free_pages(inst, pages[255], 0);
	KUNIT_EXPECT_EQ(test, pcp->count, 256 - 96);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_DRAIN), drains + 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_DRAIN_PAGES),
			drained + 96);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free_before + 96);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * @n pages of NORMAL taken, the lists drained and given back on CPU 0
 * under a high of @high: @n cached, nothing drained on the way
 */
static void pcp_cache_under_high(struct kunit *test, struct pgm_zone *zone,
				 int n, int high)
{
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	struct pgm_instance *inst = zone->inst;
	struct pgm_page **pages;
	int i;

	pages = kunit_kcalloc(test, n, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < n; i++) {
		pages[i] = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	pgm_drain_all_pages(inst, NULL);
	pcp->high = high;
	for (i = 0; i < n; i++)
		pgm_free_pages(inst, pages[i], 0);
	KUNIT_ASSERT_EQ(test, pcp->count, n);
	KUNIT_ASSERT_EQ(test, pcp->high, high);
}

/*
 * decay_pcp_high(): high = max3(count - (batch << 5), high - high / 8,
 * high_min) each step, draining what is above it in batch pieces. NORMAL:
 * batch 7, high_min 320; 500 pages cached under a high of 1000.
 */
static void pcp_decay_high(struct kunit *test)
{
	static const struct { int high, count; } steps[] = {
		{ 875, 500 }, { 766, 500 }, { 671, 500 }, { 588, 500 },
		{ 515, 500 },
		/* 515 - 64 = 451: the 49 pages above it are drained */
		{ 451, 451 }, { 395, 395 }, { 346, 346 },
		/* 346 - 43 = 303 is below high_min: 320 */
		{ 320, 320 },
	};
	struct pgm_instance *inst = x86_like(test);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	unsigned long drained;
	int i;

	pcp_cache_under_high(test, zone, 500, 1000);

	drained = pgmt_event(inst, PGM_PCP_DRAIN_PAGES);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		KUNIT_EXPECT_TRUE(test, pgm_decay_pcp_high(zone, 0));
		KUNIT_EXPECT_EQ(test, pcp->high, steps[i].high);
		KUNIT_EXPECT_EQ(test, pcp->count, steps[i].count);
	}
	/* Settled at high_min with nothing above it */
	KUNIT_EXPECT_FALSE(test, pgm_decay_pcp_high(zone, 0));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_DRAIN_PAGES),
			drained + 180);
	KUNIT_EXPECT_EQ(test, pgm_refresh_cpu_vm_stats(inst), 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * decay_pcp_high()'s first term: 3900 pages cached under a high of 4000
 * (high_max 4096). high - high / 8 = 3500, but count - (batch << 5) =
 * 3900 - 224 = 3676 is larger: one step drains 224, not 400.
 */
static void pcp_decay_high_count_bound(struct kunit *test)
{
	struct pgm_instance *inst = x86_like(test);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	unsigned long drained;

	KUNIT_ASSERT_EQ(test, pcp->high_max, 4096);
	pcp_cache_under_high(test, zone, 3900, 4000);

	drained = pgmt_event(inst, PGM_PCP_DRAIN_PAGES);
	KUNIT_EXPECT_TRUE(test, pgm_decay_pcp_high(zone, 0));
	KUNIT_EXPECT_EQ(test, pcp->high, 3676);
	KUNIT_EXPECT_EQ(test, pcp->count, 3676);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_DRAIN_PAGES),
			drained + 224);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * The x86-like node with four pcp CPUs: NORMAL has batch 7, high_min 80
 * and high_max 1024. @nr pages are allocated on CPU 0 and the lists
 * drained, so frees start from an empty pcp with free_count 0.
 */
static struct pgm_per_cpu_pages *four_cpus(struct kunit *test,
					   struct pgm_instance **instp,
					   struct pgm_page **pages, int nr,
					   int order)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_per_cpu_pages *pcp;
	int i;

	pgmt_topology(&topo, 1, 4096, 28672, 32768, 0);
	topo.nr_cpus = 4;
	inst = pgmt_create(test, &topo);
	pcp = &pgmt_zone(inst, 0, PGM_ZONE_NORMAL)->per_cpu_pageset[0];
	KUNIT_EXPECT_EQ(test, pcp->high_min, 80);
	KUNIT_EXPECT_EQ(test, pcp->high_max, 1024);
	for (i = 0; i < nr; i++) {
		pages[i] = pgm_alloc_pages(inst, GFP_KERNEL, order, 0, NULL);
		KUNIT_EXPECT_NOT_NULL(test, pages[i]);
	}
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, pcp->free_count, 0);
	*instp = inst;
	return pcp;
}

/*
 * Freeing with the zone above high: when count reaches high, high grows to
 * free_count + batch if that is larger, and clamp(free_count, batch,
 * high - batch) pages go back. free_count stops at batch << 5 = 224.
 */
static void pcp_free_raises_high(struct kunit *test)
{
	static const struct { int frees, high, count; } steps[] = {
		/* count 80 >= high 80: high 80 + 7, drain clamp(80, 7, 73) */
		{ 80, 87, 7 },
		/* count 87: high 160 + 7, drain clamp(160, 7, 80) */
		{ 160, 167, 7 },
		/* count 167: free_count is 224 now: high 231, drain 160 */
		{ 320, 231, 7 },
		/* count 231: 224 + 7 is not above 231; drain 224 */
		{ 544, 231, 7 },
	};
	struct pgm_instance *inst;
	struct pgm_per_cpu_pages *pcp;
	struct pgm_page **pages;
	int i, done = 0;

	pages = kunit_kcalloc(test, 544, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pcp = four_cpus(test, &inst, pages, 544, 0);
	pcp->high = 80;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		while (done < steps[i].frees)
			pgm_free_pages(inst, pages[done++], 0);
		KUNIT_EXPECT_EQ(test, pcp->high, steps[i].high);
		KUNIT_EXPECT_EQ(test, pcp->count, steps[i].count);
	}
	KUNIT_EXPECT_EQ(test, pcp->free_count, 224);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A fixed pcp_batch of 2048 lets free_count climb to 2048 << 5 = 65536,
 * past a short. With a fixed high of 40000, 40000 order-0 frees in a row
 * fill the list to high and the last drains clamp(free_count 40000, 2048,
 * 40000 - 2048) = 37952 pages, leaving batch on the list.
 */
static void pcp_free_count_wide_batch(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_per_cpu_pages *pcp;
	struct pgm_page **pages;
	int i, nr = 40000;

	pages = kunit_kcalloc(test, nr, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_topology(&topo, 1, 0, 0, 65536, 0);
	topo.tun.pcp_batch = 2048;
	topo.tun.pcp_high = nr;
	inst = pgmt_create(test, &topo);
	pcp = &pgmt_zone(inst, 0, PGM_ZONE_NORMAL)->per_cpu_pageset[0];
	KUNIT_ASSERT_EQ(test, pcp->batch, 2048);
	KUNIT_ASSERT_EQ(test, pcp->high_min, nr);
	KUNIT_ASSERT_EQ(test, pcp->high_max, nr);
	for (i = 0; i < nr; i++) {
		pages[i] = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	pgm_drain_all_pages(inst, NULL);
	KUNIT_ASSERT_EQ(test, pcp->count, 0);
	KUNIT_ASSERT_EQ(test, pcp->free_count, 0);

	for (i = 0; i < nr - 1; i++)
		pgm_free_pages(inst, pages[i], 0);
	KUNIT_EXPECT_EQ(test, pcp->count, nr - 1);
	KUNIT_EXPECT_EQ(test, pcp->free_count, nr - 1);
	pgm_free_pages(inst, pages[nr - 1], 0);
	KUNIT_EXPECT_EQ(test, pcp->free_count, nr);
	KUNIT_EXPECT_EQ(test, pcp->count, 2048);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * free_unref_folios() gives the orders the pcp lists do not take to the
 * buddy while it prepares the batch, before it commits any block to a pcp
 * list. Batch: [order-0 page A, order-4 block B at pfn 64]. Every page of
 * the zone is allocated; pfns 0..15 and three others sit on the pcp list
 * (fixed batch 4, high 20), so A's commit makes count 20 and drains the
 * 16 oldest, pfns 0..15: an order-4 block at pfn 0. Neither block has a
 * free buddy, so each goes to the head of the order-4 movable list, and
 * the one freed last is taken first: pfn 0 upstream, B would be if it
 * followed A's drain.
 */
static void pcp_folios_buddy_first(struct kunit *test)
{
	static const unsigned int orders[] = { 0, 4 };
	struct pgm_page *batch[ARRAY_SIZE(orders)], **pages, *first, *second;
	struct pgm_per_cpu_pages *pcp;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	int i;

	pages = kunit_kcalloc(test, PGMT_PB, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_topology(&topo, 1, 0, 0, PGMT_PB, 0);
	topo.tun.pcp_batch = 4;
	topo.tun.pcp_high = 20;
	inst = pgmt_create(test, &topo);
	pgmt_exact_counters(inst);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	pcp = &zone->per_cpu_pageset[0];
	pgmt_take_all(zone, pages, PGMT_PB);
	for (i = 0; i < PGMT_PB; i++)
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 0);

	/* pfns 64..79 become one order-4 allocation */
	pgmt_mark(pages[64], 4, PGM_MIGRATE_MOVABLE);
	for (i = 65; i < 80; i++) {
		pages[i]->flags &= ~PGM_PG_HEAD;
		pages[i]->private = 0;
	}

	for (i = 0; i < 16; i++)
		pgm_free_pages(inst, pages[i], 0);
	for (i = 100; i < 103; i++)
		pgm_free_pages(inst, pages[i], 0);
	KUNIT_ASSERT_EQ(test, pcp->count, 19);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 0);

	batch[0] = pages[103];
	batch[1] = pages[64];
	KUNIT_EXPECT_EQ(test, pgm_free_unref_folios(inst, batch, orders, 2),
			2U);
	KUNIT_EXPECT_EQ(test, pcp->count, 4);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 32);
	KUNIT_ASSERT_EQ(test, zone->free_area[4].nr_free, 2UL);
	first = pgmt_take(zone, 4, PGM_MIGRATE_MOVABLE);
	second = pgmt_take(zone, 4, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, first);
	KUNIT_ASSERT_NOT_NULL(test, second);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, first), zone->zone_start_pfn);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, second),
			zone->zone_start_pfn + 64);
}

/*
 * With ZONE_BELOW_HIGH set, every free lowers high by max(free_count,
 * batch), down to high_min; the drain at high_min clears the bit again
 * once the zone is back above its high watermark, and leaves it set while
 * the zone is below it: 200 free, 273 after the drain, high mark 384.
 */
static void pcp_below_high_shrinks(struct kunit *test)
{
	struct pgm_instance *inst;
	struct pgm_per_cpu_pages *pcp;
	struct pgm_zone *zone;
	struct pgm_page **pages;
	int i;

	pages = kunit_kcalloc(test, 80, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pcp = four_cpus(test, &inst, pages, 80, 0);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	pcp->high = 500;
	set_bit(PGM_ZONE_BELOW_HIGH, &zone->flags);

	/* 500 - 7 * 7 - 8 - 9 - 10 */
	for (i = 0; i < 10; i++)
		pgm_free_pages(inst, pages[i], 0);
	KUNIT_EXPECT_EQ(test, pcp->high, 424);
	KUNIT_EXPECT_EQ(test, pcp->count, 10);

	/* By the 28th free high is down to high_min; at count 80 it drains */
	for (; i < 79; i++)
		pgm_free_pages(inst, pages[i], 0);
	KUNIT_EXPECT_EQ(test, pcp->high, 80);
	KUNIT_EXPECT_EQ(test, pcp->count, 79);
	KUNIT_EXPECT_TRUE(test, test_bit(PGM_ZONE_BELOW_HIGH, &zone->flags));
	pgm_free_pages(inst, pages[79], 0);
	KUNIT_EXPECT_EQ(test, pcp->count, 80 - 73);
	KUNIT_EXPECT_FALSE(test, test_bit(PGM_ZONE_BELOW_HIGH, &zone->flags));

	/* 73 pages for the pcp, then the zone taken down to 200 free */
	for (i = 0; i < 73; i++)
		pages[i] = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	while (pgmt_nr_free(zone) > 200)
		KUNIT_ASSERT_TRUE(test,
				  pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE) ||
				  pgmt_take(zone, 0, PGM_MIGRATE_UNMOVABLE) ||
				  pgmt_take(zone, 0, PGM_MIGRATE_RECLAIMABLE));
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(zone), 384UL);
	set_bit(PGM_ZONE_BELOW_HIGH, &zone->flags);
	for (i = 0; i < 73; i++) {
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		pgm_free_pages(inst, pages[i], 0);
	}
	KUNIT_EXPECT_EQ(test, pcp->count, 80 - 73);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 273L);
	KUNIT_EXPECT_TRUE(test, test_bit(PGM_ZONE_BELOW_HIGH, &zone->flags));
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Under ZONE_BELOW_HIGH nr_pcp_high() returns max(count, high_min), not
 * the lowered high: 100 pages freed with the bit clear under a high of
 * 500 stay; the bit set, the 101st lowers high to 500 - 101 = 399 and,
 * count 101 being at the returned 101, drains clamp(101, 7, 101 - 7) =
 * 94 pages, 7 left.
 */
static void pcp_below_high_drains_at_count(struct kunit *test)
{
	struct pgm_instance *inst;
	struct pgm_per_cpu_pages *pcp;
	struct pgm_zone *zone;
	struct pgm_page **pages;
	int i;

	pages = kunit_kcalloc(test, 101, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pcp = four_cpus(test, &inst, pages, 101, 0);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	pcp->high = 500;
	for (i = 0; i < 100; i++)
		pgm_free_pages(inst, pages[i], 0);
	KUNIT_ASSERT_EQ(test, pcp->count, 100);
	KUNIT_ASSERT_EQ(test, pcp->high, 500);

	set_bit(PGM_ZONE_BELOW_HIGH, &zone->flags);
	pgm_free_pages(inst, pages[100], 0);
	KUNIT_EXPECT_EQ(test, pcp->high, 399);
	KUNIT_EXPECT_EQ(test, pcp->count, 7);
	KUNIT_EXPECT_FALSE(test, test_bit(PGM_ZONE_BELOW_HIGH, &zone->flags));
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * High-order frees in a row without allocations: once free_count reaches
 * batch, a free of order 1..3 drains min(count, batch << 5) at once.
 */
static void pcp_free_high_order_run(struct kunit *test)
{
	struct pgm_instance *inst;
	struct pgm_per_cpu_pages *pcp;
	struct pgm_page *pages[5];
	unsigned long drained;
	int i;

	pcp = four_cpus(test, &inst, pages, 5, 1);
	drained = pgmt_event(inst, PGM_PCP_DRAIN_PAGES);

	/* free_count 0, 2, 4, 6: below batch 7, nothing drains */
	for (i = 0; i < 4; i++)
		pgm_free_pages(inst, pages[i], 1);
	KUNIT_EXPECT_EQ(test, pcp->count, 8);
	KUNIT_EXPECT_EQ(test, pcp->free_count, 8);
	KUNIT_EXPECT_TRUE(test, pcp->flags & PGM_PCPF_PREV_FREE_HIGH_ORDER);

	/* free_count 8 >= 7 after a high-order free: all 10 pages go */
	pgm_free_pages(inst, pages[4], 1);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_DRAIN_PAGES),
			drained + 10);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* The pcp CPUs' cache share, in pages */
static int slice_pages(struct pgm_instance *inst, int pages)
{
	return pgm_set_per_cpu_data_slice_size(inst, pages << PAGE_SHIFT);
}

/*
 * PCPF_FREE_HIGH_BATCH, from the CPU's share of its cache: set once the
 * slice holds more than 3 * batch = 21 pages, so 22 pages set it and 21
 * do not. With it, the run above drains its 10 pages at the fifth free as
 * before (count 10 >= batch), but the frees after it keep their pages
 * until count reaches batch again: 2, 4, 6, then 8 drains. Without it,
 * free_count still at 10 drains every one of them at once.
 */
static void pcp_free_high_batch(struct kunit *test)
{
	static const int kept[] = { 2, 4, 6, 0 };
	struct pgm_per_cpu_pages *pcp, *dma;
	struct pgm_instance *inst;
	struct pgm_page *pages[2][9];
	int run, i;

	for (run = 0; run < 2; run++) {
		pcp = four_cpus(test, &inst, pages[run], 9, 1);
		dma = &pgmt_zone(inst, 0, PGM_ZONE_DMA)->per_cpu_pageset[3];
		KUNIT_ASSERT_EQ(test, slice_pages(inst, 21), 0);
		KUNIT_EXPECT_FALSE(test, pcp->flags & PGM_PCPF_FREE_HIGH_BATCH);
		/* Each pcp against its own batch: DMA's is 1, 21 > 3 */
		KUNIT_EXPECT_EQ(test, dma->batch, 1);
		KUNIT_EXPECT_TRUE(test, dma->flags & PGM_PCPF_FREE_HIGH_BATCH);
		KUNIT_EXPECT_EQ(test, pgm_set_per_cpu_data_slice_size(inst, -1),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, inst->tun.per_cpu_data_slice_size,
				21 << PAGE_SHIFT);
		if (run) {
			KUNIT_ASSERT_EQ(test, slice_pages(inst, 22), 0);
			KUNIT_EXPECT_TRUE(test, pcp->flags &
					  PGM_PCPF_FREE_HIGH_BATCH);
		}
		for (i = 0; i < 5; i++)
			pgm_free_pages(inst, pages[run][i], 1);
		KUNIT_EXPECT_EQ(test, pcp->count, 0);
		KUNIT_EXPECT_EQ(test, pcp->free_count, 10);
		for (; i < 9; i++) {
			pgm_free_pages(inst, pages[run][i], 1);
			KUNIT_EXPECT_EQ_MSG(test, pcp->count, run ? kept[i - 5] : 0,
					    "free %d", i + 1);
		}
		KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	}
}

/* A contended pcp lock sends both allocation and free to the buddy */
static void pcp_trylock_fail(struct kunit *test)
{
	struct pgm_instance *inst = x86_like(test);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	long free_before = pgmt_nr_free(zone);
	struct pgm_page *page;
	const char *want;
	char busy[64];

	/* A UP kernel cannot contend: its debug spinlocks call it a bug */
	if (!IS_ENABLED(CONFIG_SMP))
		kunit_skip(test, "needs SMP; run with --arch=x86_64");

	KUNIT_ASSERT_EQ(test, free_before, 32768L);
	snprintf(busy, sizeof(busy),
		 "rmqueue: pcp of CPU %d busy: the buddy lists", pcp->cpu);
	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	spin_lock(&pcp->lock);
	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_EXPECT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free_before - 1);
	if (page)
		pgm_free_pages(inst, page, 0);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	spin_unlock(&pcp->lock);
	pgm_explain_end(inst);
	want = busy;
	pgmt_expect_lines(test, inst->explain->buf, &want, 1);

	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free_before);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_TRYLOCK_FAIL), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_REFILL), 0UL);
}

/* drain empties every CPU's lists back into the buddy */
static void pcp_drain_on_demand(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_page *pages[64];
	unsigned int cpu;
	int i;

	pgmt_topology(&topo, 1, 0, 0, 8192, 0);
	topo.nr_cpus = 2;
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	/* Order-0 frees below high stay cached on the CPU that freed them */
	for (i = 0; i < 64; i++) {
		inst->cpu_override = i % 2;
		pages[i] = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	for (i = 0; i < 64; i++) {
		inst->cpu_override = (i + 1) % 2;
		pgm_free_pages(inst, pages[i], 0);
	}
	/*
	 * Batch 1 (8192 pages): each CPU's 32 requests refill 1, 2, 4, 8, 16
	 * and 32 pages and leave 31; 32 frees below high (113 + 63) add 32
	 */
	KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[0].count, 63);
	KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[1].count, 63);

	pgm_drain_all_pages(inst, NULL);
	for (cpu = 0; cpu < 2; cpu++)
		KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[cpu].count, 0);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 8192L);
	KUNIT_EXPECT_EQ(test, zone->free_area[PGM_MAX_PAGE_ORDER].nr_free, 8UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Two nodes of 128 MiB, pcp CPU 0 on node 0, CPU 1 on node 1 (NORMAL
 * batch 7), with stat_threshold @threshold on both zones. CPU 0 takes
 * and frees a page on each node, which leaves 7 pages on each of its
 * pcps; then six refreshes, each checked against @expire and @count.
 */
static void pcp_expire_run(struct kunit *test, bool upstream_thresholds,
			   const int *expire, const int *count, int diff)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_per_cpu_pages *local, *remote;
	struct pgm_zone *zone;
	unsigned int nid, i;

	pgmt_topology(&topo, 2, 0, 0, 32768, 0);
	topo.nr_cpus = 2;
	inst = pgmt_create(test, &topo);
	if (upstream_thresholds)
		pgm_refresh_zone_stat_thresholds(inst);
	zone = pgmt_zone(inst, 1, PGM_ZONE_NORMAL);
	/* 2 * fls(2 CPUs) * (1 + fls(1 unit of 128 MiB)) = 8, or 0 */
	KUNIT_ASSERT_EQ(test, zone->stat_threshold,
			upstream_thresholds ? 8 : 0);
	local = &pgmt_zone(inst, 0, PGM_ZONE_NORMAL)->per_cpu_pageset[0];
	remote = &zone->per_cpu_pageset[0];
	KUNIT_ASSERT_EQ(test, remote->batch, 7);
	for (nid = 0; nid < 2; nid++) {
		struct pgm_page *page;

		page = pgm_alloc_pages(inst, GFP_KERNEL | __GFP_THISNODE, 0,
				       nid, NULL);
		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_ASSERT_EQ(test, pgm_page_to_nid(page), (int)nid);
		pgm_free_pages(inst, page, 0);
	}
	KUNIT_ASSERT_EQ(test, local->count, 7);
	KUNIT_ASSERT_EQ(test, remote->count, 7);
	KUNIT_EXPECT_EQ(test, zone->vm_stat_diff[0][PGM_NR_FREE_PAGES], diff);

	for (i = 0; i < 6; i++) {
		pgm_refresh_cpu_vm_stats(inst);
		KUNIT_EXPECT_EQ(test, remote->expire, expire[i]);
		KUNIT_EXPECT_EQ(test, remote->count, count[i]);
		KUNIT_EXPECT_EQ(test, local->expire, 0);
		KUNIT_EXPECT_EQ(test, local->count, 7);
	}
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * The NUMA expiry of refresh_cpu_vm_stats(), with upstream's thresholds
 * (8). The refill's first block claims a free order-10 block of the
 * movable zone for the unmovable request: its -1024 and the +1023 of the
 * split each pass the threshold and fold into vm_stat; the other six
 * blocks count -1 each and stay below it: -6. The first refresh folds
 * that, which arms both pcps (3):
 * the local one is disarmed and kept, the remote one counts down 2, 1, 0
 * and gives its batch back at the third. Those 7 frees leave +7, so the
 * next fold arms it again (3), but an empty pcp has nothing to count
 * down, and then no diff re-arms it.
 */
static void pcp_remote_expire(struct kunit *test)
{
	static const int expire[] = { 2, 1, 0, 3, 3, 3 };
	static const int count[] = { 7, 7, 0, 0, 0, 0 };

	pcp_expire_run(test, true, expire, count, -6);
}

/*
 * With stat_threshold 0 every change folds at once, so a refresh never
 * finds a diff and never arms an expiry: as upstream, the remote pcp
 * keeps its pages.
 */
static void pcp_remote_expire_exact_counters(struct kunit *test)
{
	static const int expire[] = { 0, 0, 0, 0, 0, 0 };
	static const int count[] = { 7, 7, 7, 7, 7, 7 };

	pcp_expire_run(test, false, expire, count, 0);
}

/*
 * Upstream's refresh runs on each CPU, so what a decay drains from a pcp
 * changes that CPU's diff; the mirror's runs all pcp CPUs from one
 * context (pinned to pcp CPU 0 here) and must count it the same. Two
 * nodes with a pcp CPU each, upstream thresholds (8): pcp CPU 0 holds 7
 * pages of node 1 (a remote pcp) with no diff and expire 0; pcp CPU 1
 * holds pages of node 1 (its own) 3 above a high at high_min. The first
 * refresh drains those 3: +3 on CPU 1's diff, which the next fold finds
 * and arms CPU 1's pcp, local and so disarmed. CPU 0's fold finds nothing
 * and its remote pages stay; counted as CPU 0's, the +3 would arm it and
 * the fourth refresh would take its 7 pages back.
 */
static void pcp_decay_counts_as_its_cpu(struct kunit *test)
{
	struct pgm_per_cpu_pages *remote, *local;
	struct pgm_page *pages[10];
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	int i, cpu, kept;

	pgmt_topology(&topo, 2, 0, 0, 32768, 0);
	topo.nr_cpus = 2;
	inst = pgmt_create(test, &topo);
	pgm_refresh_zone_stat_thresholds(inst);
	zone = pgmt_zone(inst, 1, PGM_ZONE_NORMAL);
	KUNIT_ASSERT_EQ(test, zone->stat_threshold, 8);
	KUNIT_ASSERT_EQ(test, pgm_cpu_to_node(inst, 0), 0);
	KUNIT_ASSERT_EQ(test, pgm_cpu_to_node(inst, 1), 1);
	remote = &zone->per_cpu_pageset[0];
	local = &zone->per_cpu_pageset[1];

	for (cpu = 0; cpu < 2; cpu++) {
		int nr = cpu ? ARRAY_SIZE(pages) : 1;

		WRITE_ONCE(inst->cpu_override, cpu);
		for (i = 0; i < nr; i++) {
			pages[i] = pgm_alloc_pages(inst,
						   GFP_KERNEL | __GFP_THISNODE,
						   0, 1, NULL);
			KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		}
		for (i = 0; i < nr; i++)
			pgm_free_pages(inst, pages[i], 0);
	}
	KUNIT_ASSERT_EQ(test, remote->count, 7);
	/*
	 * nr_pcp_alloc() on CPU 1: 7 (high 320 + 7), then, alloc_factor 1,
	 * 14 (high 341): 21 taken, 10 handed out, all 10 back under high
	 */
	KUNIT_ASSERT_EQ(test, local->count, 21);
	kept = local->count - 3;
	local->high_min = kept;
	local->high = kept;
	for (cpu = 0; cpu < 2; cpu++) {
		pgm_fold_zone_stat_diffs(zone, cpu, NULL);
		zone->per_cpu_pageset[cpu].expire = 0;
	}

	WRITE_ONCE(inst->cpu_override, 0);
	pgm_refresh_cpu_vm_stats(inst);
	KUNIT_EXPECT_EQ(test, local->count, kept);
	KUNIT_EXPECT_EQ(test, zone->vm_stat_diff[1][PGM_NR_FREE_PAGES], 3);
	KUNIT_EXPECT_EQ(test, zone->vm_stat_diff[0][PGM_NR_FREE_PAGES], 0);
	for (i = 0; i < 5; i++) {
		pgm_refresh_cpu_vm_stats(inst);
		KUNIT_EXPECT_EQ(test, remote->expire, 0);
		KUNIT_EXPECT_EQ(test, remote->count, 7);
		KUNIT_EXPECT_EQ(test, local->expire, 0);
		KUNIT_EXPECT_EQ(test, local->count, kept);
	}
	WRITE_ONCE(inst->cpu_override, -1);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * __drain_all_pages(): a drain of every zone that finds another under way
 * (pcpu_drain_mutex held) leaves the work to it and drains nothing; the
 * page freed to the pcp stays there. Once that drain is done, the same
 * call empties the list.
 */
static void pcp_drain_all_in_flight(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_per_cpu_pages *pcp;
	struct pgm_page *page;
	int count;

	pgmt_topology(&topo, 1, 0, 0, 64 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	pcp = &pgmt_zone(inst, 0, PGM_ZONE_NORMAL)->per_cpu_pageset[0];
	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pgm_free_pages(inst, page, 0);
	/* A refill of 7, the page back */
	count = pcp->count;
	KUNIT_ASSERT_EQ(test, count, 7);

	mutex_lock(&inst->pcpu_drain_mutex);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pcp->count, count);
	mutex_unlock(&inst->pcpu_drain_mutex);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case pgmirror_pcp_cases[] = {
	KUNIT_CASE_PARAM(pcp_batch_and_high, size_gen_params),
	KUNIT_CASE(pcp_empty_zones_boot_pageset),
	KUNIT_CASE(pcp_pindex),
	KUNIT_CASE(pcp_no_thp_order9_buddy),
	KUNIT_CASE(pcp_thp_lists),
	KUNIT_CASE(pcp_boosted_wakeup_after_hit),
	KUNIT_CASE(pcp_high_fraction_same_value),
	KUNIT_CASE(pcp_refill_batches),
	KUNIT_CASE(pcp_drain_past_high),
	KUNIT_CASE(pcp_decay_high),
	KUNIT_CASE(pcp_decay_high_count_bound),
	KUNIT_CASE(pcp_free_raises_high),
	KUNIT_CASE(pcp_free_count_wide_batch),
	KUNIT_CASE(pcp_folios_buddy_first),
	KUNIT_CASE(pcp_below_high_shrinks),
	KUNIT_CASE(pcp_below_high_drains_at_count),
	KUNIT_CASE(pcp_free_high_order_run),
	KUNIT_CASE(pcp_free_high_batch),
	KUNIT_CASE(pcp_trylock_fail),
	KUNIT_CASE(pcp_drain_on_demand),
	KUNIT_CASE(pcp_remote_expire),
	KUNIT_CASE(pcp_remote_expire_exact_counters),
	KUNIT_CASE(pcp_decay_counts_as_its_cpu),
	KUNIT_CASE(pcp_drain_all_in_flight),
	{}
};

static struct kunit_suite pgmirror_pcp_suite = {
	.name = "pgmirror_pcp",
	.test_cases = pgmirror_pcp_cases,
};

kunit_test_suite(pgmirror_pcp_suite);
