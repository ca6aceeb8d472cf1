// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_policy: each policy knob changes exactly the path it names.
 *
 * page_group_by_mobility=0 serves every request as unmovable, as upstream
 * with page_group_by_mobility_disabled, so a movable request in a fresh
 * all-movable zone falls back; alloc_nofragment=0 leaves ALLOC_NOFRAGMENT
 * out of alloc_flags_nofragment(); highatomic=0 reserves no pageblock;
 * pcp=0 drains the lists and sends every request and free to the buddy;
 * pcp_batch and pcp_high replace zone_batchsize() and zone_highsize().
 */

#include <kunit/test.h>
#include "test_util.h"
#include "lru.h"

static struct pgm_instance *policy_instance(struct kunit *test,
					    unsigned long dma32)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, 1, 0, dma32, 220 * PGMT_PB, 0);
	return pgmt_create(test, &topo);
}

static void policy_group_by_mobility(struct kunit *test)
{
	struct pgm_instance *on = policy_instance(test, 0);
	struct pgm_instance *off = policy_instance(test, 0);
	struct pgm_per_cpu_pages *pcp;
	struct pgm_page *page;

	page = pgm_alloc_pages(on, GFP_HIGHUSER_MOVABLE, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, page->alloc_mt, PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(on, PGM_EXTFRAG_FALLBACK), 0UL);

	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(off, PGM_POLICY_MOBILITY, 0), 0);
	page = pgm_alloc_pages(off, GFP_HIGHUSER_MOVABLE, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, page->alloc_mt, PGM_MIGRATE_UNMOVABLE);
	/* Every pageblock is movable yet: the unmovable request falls back */
	KUNIT_EXPECT_EQ(test, pgmt_event(off, PGM_EXTFRAG_FALLBACK), 1UL);
	/*
	 * The refill: zone_batchsize(112640) = 31 (high_min, the low mark
	 * 671 + 167 = 838, is above it), the first from the claimed block,
	 * 30 more from its split, one handed out
	 */
	pcp = &pgmt_zone(off, 0, PGM_ZONE_NORMAL)->per_cpu_pageset[0];
	KUNIT_EXPECT_EQ(test, pgmt_pcp_list_len(off, pcp, PGM_MIGRATE_UNMOVABLE, 0),
			30);
}

/*
 * page_group_by_mobility_disabled's other two effects: every fallback
 * claims its pageblock (try_to_steal_block()), however few pages are free
 * or alike, and set_pageblock_migratetype() stores the three mergeable
 * types as unmovable. A movable pageblock with pfns 0..9 free and the
 * rest of it anon pages on the LRU: an unmovable request finds 10 free
 * + 0 alike, under half a pageblock, so with grouping on it steals a page
 * and the block stays movable; with it off it claims the block.
 */
static void policy_group_by_mobility_claims(struct kunit *test)
{
	struct pgm_topology topo;
	int on;

	pgmt_topology(&topo, 1, 0, 0, 2 * PGMT_PB, 0);
	for (on = 1; on >= 0; on--) {
		struct pgm_instance *inst = pgmt_create(test, &topo);
		struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
		struct pgm_page **pages, *page;
		unsigned long flags;
		int i;

		pages = kunit_kcalloc(test, 2 * PGMT_PB, sizeof(*pages),
				      GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages);
		pgmt_take_all(zone, pages, 2 * PGMT_PB);
		for (i = 0; i < 10; i++)
			pgmt_give(zone, pages[i], 0);
		pgmt_free_handles_at_end(test, inst);
		for (; i < PGMT_PB; i++)
			pgmt_adopt(test, inst, pages[i], 0, PGM_KIND_ANON);
		KUNIT_ASSERT_EQ(test,
				pgm_set_policy_knob(inst, PGM_POLICY_MOBILITY,
						    on), 0);

		spin_lock_irqsave(&zone->lock, flags);
		page = pgm___rmqueue(zone, 0, PGM_MIGRATE_UNMOVABLE, 0);
		spin_unlock_irqrestore(&zone->lock, flags);
		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst, 0),
				on ? PGM_MIGRATE_MOVABLE :
				     PGM_MIGRATE_UNMOVABLE);
		KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_CLAIM),
				on ? 0UL : 1UL);
		KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_STEAL),
				on ? 1UL : 0UL);

		/* Pageblock 1 has no free page to move */
		pgm_set_pageblock_migratetype(inst, PGMT_PB,
					      PGM_MIGRATE_RECLAIMABLE);
		KUNIT_EXPECT_EQ(test,
				pgm_get_pfnblock_migratetype(inst, PGMT_PB),
				on ? PGM_MIGRATE_RECLAIMABLE :
				     PGM_MIGRATE_UNMOVABLE);
		pgm_set_pageblock_migratetype(inst, PGMT_PB,
					      PGM_MIGRATE_HIGHATOMIC);
		KUNIT_EXPECT_EQ(test,
				pgm_get_pfnblock_migratetype(inst, PGMT_PB),
				PGM_MIGRATE_HIGHATOMIC);
		pgm_set_pageblock_migratetype(inst, PGMT_PB,
					      PGM_MIGRATE_MOVABLE);
		pgmt_mark(page, 0, PGM_MIGRATE_UNMOVABLE);
		pgmt_give(zone, page, 0);
		KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	}
}

static void policy_alloc_nofragment(struct kunit *test)
{
	struct pgm_instance *inst = policy_instance(test, 4 * PGMT_PB);
	struct pgm_zone *normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	/* NORMAL with a populated DMA32 below it: NOFRAGMENT, as upstream */
	KUNIT_EXPECT_EQ(test, pgm_alloc_flags_nofragment(inst, normal,
							 GFP_KERNEL),
			PGM_ALLOC_KSWAPD | PGM_ALLOC_NOFRAGMENT);
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_NOFRAGMENT, 0), 0);
	KUNIT_EXPECT_EQ(test, pgm_alloc_flags_nofragment(inst, normal,
							 GFP_KERNEL),
			PGM_ALLOC_KSWAPD);
}

/* The reservation of fallback_highatomic_cap, with the knob off */
static void policy_highatomic(struct kunit *test)
{
	struct pgm_instance *inst = policy_instance(test, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_HIGHATOMIC, 0), 0);
	pgm_reserve_highatomic_pageblock(pgm_pfn_to_page(inst, 0), 0, zone);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, 0UL);
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst, 0),
			PGM_MIGRATE_MOVABLE);

	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_HIGHATOMIC, 1), 0);
	pgm_reserve_highatomic_pageblock(pgm_pfn_to_page(inst, 0), 0, zone);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, 512UL);
}

static void policy_pcp(struct kunit *test)
{
	struct pgm_instance *inst = policy_instance(test, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	long free0 = pgmt_nr_free(zone);
	struct pgm_page *page;

	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* A refill of zone_batchsize(112640) = 31, one handed out */
	KUNIT_ASSERT_EQ(test, pcp->count, 30);

	/* Off: the cached pages go back first */
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_PCP, 0), 0);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free0 - 1);

	/* A free and an allocation straight through the buddy */
	pgm_free_pages(inst, page, 0);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free0);
	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_REFILL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free0 - 1);
	pgm_free_pages(inst, page, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Fixed pcp sizes feed upstream's nr_pcp_alloc() unchanged. batch 7, high
 * 50: the first refill takes batch << alloc_factor(0) = 7 pages (below
 * max(high - count - batch, batch) = 43) and raises alloc_factor; the
 * next takes 14. A high below the batch is upstream's "pcp disabled"
 * case: one page per refill.
 */
static void policy_pcp_sizes(struct kunit *test)
{
	struct pgm_instance *inst = policy_instance(test, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	int batch = pcp->batch, high_min = pcp->high_min;
	int high_max = pcp->high_max, i;

	/*
	 * zone_batchsize() of 112640 pages: min(112640 >> 10, 256) = 110,
	 * a quarter 27, rounddown_pow_of_two(27 + 13) - 1 = 31
	 */
	KUNIT_ASSERT_EQ(test, batch, 31);
	/*
	 * zone_highsize(): low 671 + 167 = 838 over one CPU; 112640 / 8 =
	 * 14080 with the fraction
	 */
	KUNIT_ASSERT_EQ(test, high_min, 838);
	KUNIT_ASSERT_EQ(test, high_max, 14080);
	KUNIT_ASSERT_EQ(test, pgm_set_pcp_size(inst, false, 7), 0);
	KUNIT_ASSERT_EQ(test, pgm_set_pcp_size(inst, true, 50), 0);
	KUNIT_EXPECT_EQ(test, pcp->batch, 7);
	KUNIT_EXPECT_EQ(test, pcp->high_min, 50);
	KUNIT_EXPECT_EQ(test, pcp->high_max, 50);

	KUNIT_ASSERT_EQ(test, pcp->count, 0);
	KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL, 0, 0,
						    NULL));
	KUNIT_EXPECT_EQ(test, pcp->count, 6);
	for (i = 0; i < 6; i++)
		KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL,
							    0, 0, NULL));
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL, 0, 0,
						    NULL));
	KUNIT_EXPECT_EQ(test, pcp->count, 13);

	KUNIT_ASSERT_EQ(test, pgm_set_pcp_size(inst, true, 3), 0);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL, 0, 0,
						    NULL));
	KUNIT_EXPECT_EQ(test, pcp->count, 0);

	/* Out of range: refused, nothing changed */
	KUNIT_EXPECT_EQ(test, pgm_set_pcp_size(inst, false, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_set_pcp_size(inst, false,
					       PGM_PCP_BATCH_MAX + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pcp->batch, 7);

	/* 0 gives the sizing back to zone_batchsize() and zone_highsize() */
	KUNIT_ASSERT_EQ(test, pgm_set_pcp_size(inst, false, 0), 0);
	KUNIT_ASSERT_EQ(test, pgm_set_pcp_size(inst, true, 0), 0);
	KUNIT_EXPECT_EQ(test, pcp->batch, batch);
	KUNIT_EXPECT_EQ(test, pcp->high_min, high_min);
	KUNIT_EXPECT_EQ(test, pcp->high_max, high_max);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case pgm_policy_cases[] = {
	KUNIT_CASE(policy_group_by_mobility),
	KUNIT_CASE(policy_group_by_mobility_claims),
	KUNIT_CASE(policy_alloc_nofragment),
	KUNIT_CASE(policy_highatomic),
	KUNIT_CASE(policy_pcp),
	KUNIT_CASE(policy_pcp_sizes),
	{}
};

static struct kunit_suite pgm_policy_test_suite = {
	.name = "pgmirror_policy",
	.test_cases = pgm_policy_cases,
};

kunit_test_suite(pgm_policy_test_suite);
