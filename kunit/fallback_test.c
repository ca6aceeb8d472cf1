// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_fallback: the fallbacks[] order, whole-block claims against
 * single-block steals, the watermark boost, ALLOC_NOFRAGMENT, the CMA
 * balance rule and the highatomic reserve.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include "test_util.h"
#include "cmd.h"

static struct pgm_instance *one_zone(struct kunit *test, unsigned long pages,
				     unsigned long cma)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, 1, 0, 0, pages, 0);
	topo.cma_pages = cma;
	return pgmt_create(test, &topo);
}

static struct pgm_page *rmqueue(struct pgm_zone *zone, unsigned int order,
				int mt, unsigned int alloc_flags)
{
	struct pgm_page *page;
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	page = pgm___rmqueue(zone, order, mt, alloc_flags);
	spin_unlock_irqrestore(&zone->lock, flags);
	return pgmt_mark(page, order, mt);
}

static int block_mt(struct pgm_instance *inst, unsigned long block)
{
	return pgm_get_pfnblock_migratetype(inst, block * PGMT_PB);
}

/*
 * Eight pageblocks, all taken as order-9 allocations; the even ones are
 * then freed with the given types. Their odd buddies stay allocated, so
 * each free block stays an order-9 block of its own type.
 */
static void free_typed_blocks(struct pgm_instance *inst, const int *types,
			      int nr)
{
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	int i;

	for (i = 0; i < 8; i++)
		pgmt_take(zone, 9, PGM_MIGRATE_MOVABLE);
	for (i = 0; i < nr; i++) {
		struct pgm_page *page = pgm_pfn_to_page(inst, 2 * i * PGMT_PB);

		pgm_set_pageblock_migratetype(inst, 2 * i * PGMT_PB, types[i]);
		pgmt_give(zone, page, 9);
	}
}

struct order_case {
	int request;
	int first, second;	/* upstream's fallbacks[request] */
};

static const struct order_case order_cases[] = {
	{ PGM_MIGRATE_UNMOVABLE, PGM_MIGRATE_RECLAIMABLE, PGM_MIGRATE_MOVABLE },
	{ PGM_MIGRATE_MOVABLE, PGM_MIGRATE_RECLAIMABLE, PGM_MIGRATE_UNMOVABLE },
	{ PGM_MIGRATE_RECLAIMABLE, PGM_MIGRATE_UNMOVABLE, PGM_MIGRATE_MOVABLE },
};

static void order_case_desc(const struct order_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s",
		 pgm_migratetype_names[c->request]);
}

KUNIT_ARRAY_PARAM(order, order_cases, order_case_desc);

/* find_suitable_fallback() walks fallbacks[] in order and then gives up */
static void fallback_order(struct kunit *test)
{
	const struct order_case *c = test->param_value;
	static const int types[] = {
		PGM_MIGRATE_UNMOVABLE, PGM_MIGRATE_MOVABLE,
		PGM_MIGRATE_RECLAIMABLE,
	};
	struct pgm_instance *inst = one_zone(test, 8 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_free_area *area = &zone->free_area[9];
	bool can_steal;

	free_typed_blocks(inst, types, ARRAY_SIZE(types));
	KUNIT_ASSERT_EQ(test, area->nr_free, 3UL);

	KUNIT_EXPECT_EQ(test, pgm_find_suitable_fallback(zone, area, 9,
							 c->request,
							 false, &can_steal),
			c->first);
	KUNIT_EXPECT_TRUE(test, can_steal);
	KUNIT_ASSERT_NOT_NULL(test, pgmt_take(zone, 9, c->first));
	KUNIT_EXPECT_EQ(test, pgm_find_suitable_fallback(zone, area, 9,
							 c->request,
							 false, &can_steal),
			c->second);
	KUNIT_ASSERT_NOT_NULL(test, pgmt_take(zone, 9, c->second));
	/* Only the request's own type is left: no fallback */
	KUNIT_EXPECT_EQ(test, pgm_find_suitable_fallback(zone, area, 9,
							 c->request,
							 false, &can_steal),
			-1);
}

/*
 * An unmovable request with movable and reclaimable blocks free takes the
 * reclaimable one, whole: a pageblock-order block is claimed outright.
 */
static void fallback_claims_first_choice(struct kunit *test)
{
	static const int types[] = {
		PGM_MIGRATE_MOVABLE, PGM_MIGRATE_RECLAIMABLE,
	};
	struct pgm_instance *inst = one_zone(test, 8 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;

	free_typed_blocks(inst, types, ARRAY_SIZE(types));
	page = rmqueue(zone, 0, PGM_MIGRATE_UNMOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* The reclaimable block is block 2 */
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 2 * PGMT_PB);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 2), PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 0), PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_CLAIM), 1UL);
	/* The rest of the block went to the unmovable lists */
	KUNIT_EXPECT_EQ(test, zone->free_area[8].nr_free, 1UL);
	KUNIT_EXPECT_FALSE(test,
			   pgm_free_area_empty(&zone->free_area[8],
					       PGM_MIGRATE_UNMOVABLE));
}

/*
 * Exactly half a pageblock free (256) with the rest movable: an unmovable
 * request claims the whole block (free + alike >= 1 << (9 - 1)).
 */
static void fallback_claim_at_half(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 4 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;

	pgmt_half_free_block(test, inst, 256);
	page = rmqueue(zone, 0, PGM_MIGRATE_UNMOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 0UL);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 0), PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_CLAIM), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_STEAL), 0UL);
	/*
	 * The boost: min_free_kbytes int_sqrt(8192 * 16) = 362, min 90,
	 * high 90 + 22 + 22 = 134; max_boost = max(512, 134 * 15000 / 10000)
	 */
	KUNIT_EXPECT_EQ(test, zone->_watermark[PGM_WMARK_HIGH], 134UL);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * One page short of half (255 free): the claim fails at every order, so a
 * single order-0 page is stolen and the block stays movable.
 */
static void fallback_steal_below_half(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 4 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;

	pgmt_half_free_block(test, inst, 255);
	page = rmqueue(zone, 0, PGM_MIGRATE_UNMOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* 255 = orders 7..0; the smallest, order 0, sits at pfn 254 */
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 254UL);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 0), PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_CLAIM), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_STEAL), 1UL);
	/* Each of the 8 claim attempts boosted; the boost stops at 512 */
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_WATERMARK_BOOST), 8UL);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * boost_watermark()'s cap, max(pageblock_nr_pages, mult_frac(high,
 * watermark_boost_factor, 10000)): fallback_steal_below_half's eight
 * boosts stop at the pageblock (512) with the default factor, 134 * 15000
 * / 10000 = 201 being below it. With a factor of 50000 the cap is 134 * 5
 * = 670: 512 after the first boost, 670 from the second on.
 */
static void fallback_boost_cap(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 4 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	KUNIT_ASSERT_EQ(test, pgm_set_watermark_boost_factor(inst, 50000), 0);
	KUNIT_ASSERT_EQ(test, zone->_watermark[PGM_WMARK_HIGH], 134UL);
	pgmt_half_free_block(test, inst, 255);
	KUNIT_ASSERT_NOT_NULL(test, rmqueue(zone, 0, PGM_MIGRATE_UNMOVABLE, 0));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_WATERMARK_BOOST), 8UL);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, 670UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * claim_threshold=257: the 256 free pages of fallback_claim_at_half no
 * longer claim the block, so the order-8 block is stolen from at its
 * head; claim_threshold=0: the 255 of fallback_steal_below_half claim
 * it, and the request takes the smallest free page, pfn 254.
 */
static void fallback_knob_claim_threshold(struct kunit *test)
{
	struct pgm_instance *high = one_zone(test, 4 * PGMT_PB, 0);
	struct pgm_instance *low = one_zone(test, 4 * PGMT_PB, 0);
	struct pgm_page *page;

	KUNIT_EXPECT_EQ(test, high->tun.claim_threshold, 256);
	KUNIT_ASSERT_EQ(test, pgm_set_claim_threshold(high, 257), 0);
	pgmt_half_free_block(test, high, 256);
	page = rmqueue(pgmt_zone(high, 0, PGM_ZONE_NORMAL), 0,
		       PGM_MIGRATE_UNMOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(high, page), 0UL);
	KUNIT_EXPECT_EQ(test, block_mt(high, 0), PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(high, PGM_EXTFRAG_CLAIM), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(high, PGM_EXTFRAG_STEAL), 1UL);

	KUNIT_ASSERT_EQ(test, pgm_set_claim_threshold(low, 0), 0);
	pgmt_half_free_block(test, low, 255);
	page = rmqueue(pgmt_zone(low, 0, PGM_ZONE_NORMAL), 0,
		       PGM_MIGRATE_UNMOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(low, page), 254UL);
	KUNIT_EXPECT_EQ(test, block_mt(low, 0), PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(low, PGM_EXTFRAG_CLAIM), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(low, PGM_EXTFRAG_STEAL), 0UL);

	KUNIT_EXPECT_EQ(test, pgm_set_claim_threshold(low, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_set_claim_threshold(low, PGMT_PB + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, low->tun.claim_threshold, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, high), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, low), 0UL);
}

/*
 * set fallbacks: a reordered row changes which foreign block an order-9
 * unmovable request takes; an empty row leaves it no fallback at all;
 * the other rows keep upstream's order.
 */
static void fallback_knob_order(struct kunit *test)
{
	static const int types[] = { PGM_MIGRATE_RECLAIMABLE,
				     PGM_MIGRATE_MOVABLE };
	static const int movable_first[] = { PGM_MIGRATE_MOVABLE,
					     PGM_MIGRATE_RECLAIMABLE };
	static const int self[] = { PGM_MIGRATE_UNMOVABLE, -1 };
	static const int twice[] = { PGM_MIGRATE_MOVABLE, PGM_MIGRATE_MOVABLE };
	static const int gap[] = { -1, PGM_MIGRATE_MOVABLE };
	static const int none[] = { -1, -1 };
	struct pgm_instance *inst = one_zone(test, 8 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_free_area *area = &zone->free_area[9];
	struct pgm_page *page;
	bool can_steal;

	free_typed_blocks(inst, types, ARRAY_SIZE(types));
	KUNIT_ASSERT_EQ(test, pgm_set_fallbacks(inst, PGM_MIGRATE_UNMOVABLE,
						movable_first), 0);
	KUNIT_EXPECT_EQ(test, pgm_find_suitable_fallback(zone, area, 9,
							 PGM_MIGRATE_UNMOVABLE,
							 false, &can_steal),
			PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgm_find_suitable_fallback(zone, area, 9,
							 PGM_MIGRATE_MOVABLE,
							 false, &can_steal),
			PGM_MIGRATE_RECLAIMABLE);
	page = rmqueue(zone, 9, PGM_MIGRATE_UNMOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 2 * PGMT_PB);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 2), PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_FALLBACK), 1UL);

	KUNIT_ASSERT_EQ(test, pgm_set_fallbacks(inst, PGM_MIGRATE_UNMOVABLE,
						none), 0);
	KUNIT_EXPECT_EQ(test, pgm_find_suitable_fallback(zone, area, 9,
							 PGM_MIGRATE_UNMOVABLE,
							 false, &can_steal),
			-1);
	KUNIT_EXPECT_NULL(test, rmqueue(zone, 0, PGM_MIGRATE_UNMOVABLE, 0));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_FALLBACK), 1UL);

	/* Rows upstream's loop could not walk are refused, nothing changes */
	KUNIT_EXPECT_EQ(test, pgm_set_fallbacks(inst, PGM_MIGRATE_UNMOVABLE,
						self), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_set_fallbacks(inst, PGM_MIGRATE_UNMOVABLE,
						twice), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_set_fallbacks(inst, PGM_MIGRATE_UNMOVABLE,
						gap), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_set_fallbacks(inst, PGM_MIGRATE_HIGHATOMIC,
						none), -EINVAL);
	KUNIT_EXPECT_EQ(test, inst->tun.fallbacks[PGM_MIGRATE_UNMOVABLE][0], -1);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * can_steal_fallback() looks at the order of the free block found: a
 * movable request may claim from order pageblock_order / 2 = 4 up. With
 * only an order-3 unmovable block free it steals a single page.
 */
static void fallback_movable_small_block_steals(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 4 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;
	bool can_steal;

	pgmt_half_free_block(test, inst, 8);
	pgmt_block0_unmovable(test, inst, 8);

	KUNIT_EXPECT_EQ(test,
			pgm_find_suitable_fallback(zone, &zone->free_area[3], 3,
						   PGM_MIGRATE_MOVABLE, false,
						   &can_steal),
			PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_FALSE(test, can_steal);

	page = rmqueue(zone, 0, PGM_MIGRATE_MOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 0UL);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 0), PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_STEAL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_CLAIM), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * An order-3 movable request finding an order-8 unmovable block may
 * claim: the movable alike pages are the 256 movable allocations, and
 * 256 free + 256 alike >= 256, so the block turns movable.
 */
static void fallback_movable_claims_by_block_order(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 4 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;
	bool can_steal = false;

	pgmt_half_free_block(test, inst, 256);
	pgmt_block0_unmovable(test, inst, 256);
	KUNIT_EXPECT_EQ(test,
			pgm_find_suitable_fallback(zone, &zone->free_area[8], 8,
						   PGM_MIGRATE_MOVABLE, false,
						   &can_steal),
			PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_TRUE(test, can_steal);

	page = rmqueue(zone, 3, PGM_MIGRATE_MOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 0), PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_CLAIM), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * The alike pages decide: an unmovable pageblock 0 with 16 pages free (one
 * order-4 block, which a movable request may claim) and 496 anon pages on
 * the LRU. A movable order-0 request: 16 free + 496 alike >= 256 claims
 * the block for movable; the free pages alone would have stolen.
 */
static void fallback_movable_claims_by_alike(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 4 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;

	pgmt_half_free_block(test, inst, 16);
	pgmt_block0_unmovable(test, inst, 16);
	page = rmqueue(zone, 0, PGM_MIGRATE_MOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 0), PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_CLAIM), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_STEAL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Two nodes of DMA32 + NORMAL. Node 0's NORMAL holds only order-0 movable
 * pages: the first pass refuses to fragment it and takes a whole block of
 * node 0's DMA32 instead.
 */
static struct pgm_instance *two_nodes(struct kunit *test)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, 2, 0, 2 * PGMT_PB, 2 * PGMT_PB, 0);
	return pgmt_create(test, &topo);
}

static void checkerboard(struct kunit *test, struct pgm_zone *zone)
{
	struct pgm_page **pages;
	unsigned long i, n = zone->spanned_pages;

	pages = kunit_kcalloc(test, n, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_take_all(zone, pages, n);
	for (i = 0; i < n; i += 2)
		pgmt_give(zone, pages[i], 0);
}

static void fallback_nofragment_prefers_whole_block(struct kunit *test)
{
	struct pgm_instance *inst = two_nodes(test);
	struct pgm_zone *n0_normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_zone *n0_dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	struct pgm_page *page;

	checkerboard(test, n0_normal);
	KUNIT_EXPECT_EQ(test, pgm_alloc_flags_nofragment(inst, n0_normal,
							 GFP_KERNEL),
			(unsigned int)(PGM_ALLOC_NOFRAGMENT | PGM_ALLOC_KSWAPD));

	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_PTR_EQ(test, pgm_page_zone(inst, page), n0_dma32);
	/* node 0's NORMAL kept its 512 free pages and movable blocks */
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(n0_normal), 512L);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 2), PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 3), PGM_MIGRATE_MOVABLE);
	/* DMA32's order-10 block was claimed whole */
	KUNIT_EXPECT_EQ(test, block_mt(inst, 0), PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 1), PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_NOFRAGMENT_RETRY), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* With no whole block on node 0, it fragments node 0 before going remote */
static void fallback_nofragment_local_before_remote(struct kunit *test)
{
	struct pgm_instance *inst = two_nodes(test);
	struct pgm_zone *n0_normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_zone *n1_normal = pgmt_zone(inst, 1, PGM_ZONE_NORMAL);
	struct pgm_page *page;

	checkerboard(test, n0_normal);
	checkerboard(test, pgmt_zone(inst, 0, PGM_ZONE_DMA32));

	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_PTR_EQ(test, pgm_page_zone(inst, page), n0_normal);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_NOFRAGMENT_RETRY), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(n1_normal), 2L * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* Without DMA32 on a multi-node box, NORMAL requests never set NOFRAGMENT */
static void fallback_nofragment_flags(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst, *single;

	pgmt_topology(&topo, 2, 0, 0, 2 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	KUNIT_EXPECT_EQ(test,
			pgm_alloc_flags_nofragment(inst,
						   pgmt_zone(inst, 0,
							     PGM_ZONE_NORMAL),
						   GFP_KERNEL),
			(unsigned int)PGM_ALLOC_KSWAPD);

	pgmt_topology(&topo, 1, 0, 0, 2 * PGMT_PB, 0);
	single = pgmt_create(test, &topo);
	KUNIT_EXPECT_EQ(test,
			pgm_alloc_flags_nofragment(single,
						   pgmt_zone(single, 0,
							     PGM_ZONE_NORMAL),
						   GFP_NOWAIT & ~__GFP_KSWAPD_RECLAIM),
			(unsigned int)PGM_ALLOC_NOFRAGMENT);

	pgmt_topology(&topo, 1, 0, 2 * PGMT_PB, 0, 0);
	single = pgmt_create(test, &topo);
	KUNIT_EXPECT_EQ(test,
			pgm_alloc_flags_nofragment(single,
						   pgmt_zone(single, 0,
							     PGM_ZONE_DMA32),
						   GFP_KERNEL),
			(unsigned int)PGM_ALLOC_KSWAPD);
}

/*
 * CMA: with ALLOC_CMA and more than half of the free pages in CMA, a
 * movable request is served from CMA first.
 */
static void fallback_cma_balance(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 4 * PGMT_PB, 3 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;

	KUNIT_ASSERT_EQ(test, pgm_zone_page_state(zone, PGM_NR_FREE_CMA_PAGES),
			3L * PGMT_PB);
	/*
	 * 1536 > 2048 / 2. The CMA blocks were freed a pageblock each, as
	 * init_cma_reserved_pageblock() does: the first cannot merge with
	 * the movable one below, so the smallest CMA block is order 9 at 512
	 */
	page = rmqueue(zone, 0, PGM_MIGRATE_MOVABLE, PGM_ALLOC_CMA);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_CMA_FALLBACK), 1UL);

	/* Without ALLOC_CMA the movable order-9 block at 0 serves it */
	page = rmqueue(zone, 0, PGM_MIGRATE_MOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 0UL);
	/* Unmovable requests never get CMA, whatever they claim */
	while ((page = rmqueue(zone, 0, PGM_MIGRATE_UNMOVABLE, 0)))
		KUNIT_ASSERT_LT(test, pgmt_pfn(inst, page), PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgm_zone_page_state(zone, PGM_NR_FREE_CMA_PAGES),
			3L * PGMT_PB - 1);
}

static void fallback_cma_minority(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 4 * PGMT_PB, PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;

	/*
	 * 512 is not more than 2048 / 2: the movable lists come first, and
	 * their smallest block is the order-9 one at 1024
	 */
	page = rmqueue(zone, 0, PGM_MIGRATE_MOVABLE, PGM_ALLOC_CMA);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 2UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_CMA_FALLBACK), 0UL);
}

/*
 * The highatomic cap: 220 pageblocks (112640 pages), 1% is 1126 pages,
 * aligned up to 1536: three pageblocks at most.
 */
static void fallback_highatomic_cap(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 220 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	static const unsigned long expect[] = { 512, 1024, 1536, 1536 };
	unsigned long i;

	for (i = 0; i < ARRAY_SIZE(expect); i++) {
		struct pgm_page *page = pgm_pfn_to_page(inst, 4 * i * PGMT_PB);

		pgm_reserve_highatomic_pageblock(page, 0, zone);
		KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, expect[i]);
	}
	KUNIT_EXPECT_EQ(test, block_mt(inst, 8), PGM_MIGRATE_HIGHATOMIC);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 12), PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_HIGHATOMIC_RESERVE), 3UL);
}

/*
 * account_freepages(): reserving the pageblock of a fresh order-3
 * allocation at pfn 0 moves the 504 free pages left in pageblock 0 into
 * nr_free_highatomic (pageblock 1's order-9 block stays movable); freeing
 * the allocation merges it back to an order-9 highatomic block, 512 free,
 * and stops there: a highatomic block never merges with a movable one.
 */
static void fallback_highatomic_free_count(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 220 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page, *one;

	page = pgmt_take(zone, 3, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, pgmt_pfn(inst, page), 0UL);
	KUNIT_EXPECT_EQ(test, zone->nr_free_highatomic, 0UL);
	pgm_reserve_highatomic_pageblock(page, 3, zone);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, 512UL);
	KUNIT_EXPECT_EQ(test, zone->nr_free_highatomic, 504UL);

	pgmt_give(zone, page, 3);
	KUNIT_EXPECT_EQ(test, zone->nr_free_highatomic, 512UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[9].nr_free, 2UL);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 1), PGM_MIGRATE_MOVABLE);

	one = pgmt_take(zone, 0, PGM_MIGRATE_HIGHATOMIC);
	KUNIT_ASSERT_NOT_NULL(test, one);
	KUNIT_EXPECT_EQ(test, zone->nr_free_highatomic, 511UL);
	pgmt_give(zone, one, 0);
	KUNIT_EXPECT_EQ(test, zone->nr_free_highatomic, 512UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Below 100 pageblocks, 1% is less than a pageblock: nothing is reserved.
 * At 100 it is exactly one (51200 / 100 = 512): the block of an order-3
 * allocation at pfn 0 is reserved, and a second, at pfn 512 (pageblock
 * 1's order-9 block split), is refused: the reserve is at its maximum,
 * ALIGN(512, 512).
 */
static void fallback_highatomic_small_zone(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 99 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page, *other;

	pgm_reserve_highatomic_pageblock(pgm_pfn_to_page(inst, 0), 0, zone);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, 0UL);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 0), PGM_MIGRATE_MOVABLE);

	inst = one_zone(test, 100 * PGMT_PB, 0);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	page = pgmt_take(zone, 3, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, pgmt_pfn(inst, page), 0UL);
	pgm_reserve_highatomic_pageblock(page, 3, zone);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, 512UL);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 0), PGM_MIGRATE_HIGHATOMIC);

	other = pgmt_take(zone, 3, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, other);
	KUNIT_ASSERT_EQ(test, pgmt_pfn(inst, other), 512UL);
	pgm_reserve_highatomic_pageblock(other, 3, zone);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, 512UL);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 1), PGM_MIGRATE_MOVABLE);
	pgmt_give(zone, other, 3);
	pgmt_give(zone, page, 3);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A high-order atomic allocation reserves its pageblock; the reserve is
 * given back only when forced while it is the last block, converted to
 * the type of the request that gives it back (ac->migratetype), here a
 * movable one's, not the Unmovable the atomic fallback had claimed.
 */
static void fallback_highatomic_alloc_and_unreserve(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 220 * PGMT_PB, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	unsigned int alloc_flags = 0;
	struct pgm_alloc_context ac = { };
	struct pgm_page *page;
	unsigned long block;

	page = pgmt_highatomic_alloc(test, inst, 1, &ac, &alloc_flags);
	/* The refill claims the order-10 block at 0; the pcp's head is pfn 0 */
	KUNIT_ASSERT_EQ(test, pgmt_pfn(inst, page), 0UL);
	block = pgmt_pfn(inst, page) / PGMT_PB;
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, PGMT_PB);
	KUNIT_EXPECT_EQ(test, block_mt(inst, block), PGM_MIGRATE_HIGHATOMIC);

	/* One block left: kept unless forced */
	KUNIT_EXPECT_FALSE(test, pgm_unreserve_highatomic_pageblock(&ac, false));
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, PGMT_PB);
	ac.migratetype = PGM_MIGRATE_MOVABLE;
	KUNIT_EXPECT_TRUE(test, pgm_unreserve_highatomic_pageblock(&ac, true));
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, 0UL);
	KUNIT_EXPECT_EQ(test, block_mt(inst, block), PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_HIGHATOMIC_UNRESERVE), 1UL);
	pgm_free_pages(inst, page, 1);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* The bench's fragmented DMA zone, pcp off: each request one __rmqueue() */
static struct pgm_instance *frag_bench_zone(struct kunit *test,
					    unsigned long pages,
					    struct pgm_bench_frag *f)
{
	char status[PGM_STATUS_LEN];
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 1, pages, 0, 0, 0);
	inst = pgmt_create(test, &topo);
	KUNIT_ASSERT_EQ_MSG(test, pgm_control_run(inst, "set pcp=0\n", 10,
						  status), 0, "%s", status);
	*f = (struct pgm_bench_frag){
		.inst = inst, .max = pages,
		.fill_gfp = PGM_BENCH_FRAG_FILL_GFP, .gfp = PGM_BENCH_FRAG_GFP,
	};
	f->pages = kunit_kcalloc(test, pages, sizeof(*f->pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->pages);
	return inst;
}

/* One pgm_bench_frag_run() that must succeed */
static void frag_run_ok(struct kunit *test, struct pgm_bench_frag *f,
			unsigned int order, unsigned long count)
{
	char err[PGM_STATUS_LEN] = "";
	u64 ns = 0;

	KUNIT_ASSERT_EQ_MSG(test, pgm_bench_frag_run(f, order, count, &ns, err,
						     sizeof(err)),
			    0, "order %u: %s", order, err);
	KUNIT_EXPECT_GT(test, ns, 0ULL);
}

/*
 * shape=frag measures fallback: once the first fill has claimed all eight
 * pageblocks of a 16 MiB DMA zone for unmovable, every timed movable
 * request below order 4 is exactly one steal (can_steal_fallback()
 * refuses a claim below pageblock_order / 2; a fill of unmovable blocks
 * falls back nowhere), over three quarters of the 2048 >> order free
 * blocks from one fill; the blocks stay unmovable and the zone comes back
 * whole, four order-10 blocks.
 */
static void fallback_frag_bench_steals(struct kunit *test)
{
	static const unsigned int orders[] = { 0, 1, 3 };
	unsigned long steals, claims, b, count;
	struct pgm_bench_frag f;
	struct pgm_instance *inst = frag_bench_zone(test, 8 * PGMT_PB, &f);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_DMA);
	unsigned int i;

	frag_run_ok(test, &f, 3, 1);
	for (b = 0; b < 8; b++)
		KUNIT_EXPECT_EQ(test, block_mt(inst, b), PGM_MIGRATE_UNMOVABLE);
	/*
	 * The fill claimed the four order-10 blocks whole; the one timed
	 * order-3 request, under pageblock_order / 2, could only steal
	 */
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_CLAIM), 4UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_STEAL), 1UL);
	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		count = (2048 >> orders[i]) / 4 * 2 + 1;
		steals = pgmt_event(inst, PGM_EXTFRAG_STEAL);
		claims = pgmt_event(inst, PGM_EXTFRAG_CLAIM);
		frag_run_ok(test, &f, orders[i], count);
		KUNIT_EXPECT_EQ_MSG(test, pgmt_event(inst, PGM_EXTFRAG_STEAL) -
				    steals, count, "order %u", orders[i]);
		KUNIT_EXPECT_EQ_MSG(test, pgmt_event(inst, PGM_EXTFRAG_CLAIM),
				    claims, "order %u", orders[i]);
		for (b = 0; b < 8; b++)
			KUNIT_EXPECT_EQ(test, block_mt(inst, b),
					PGM_MIGRATE_UNMOVABLE);
		KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 8L * PGMT_PB);
		KUNIT_EXPECT_EQ(test, zone->free_area[PGM_MAX_PAGE_ORDER].nr_free,
				4UL);
	}
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * From order 4 a timed request claims its pageblock (half of it free is
 * claim_threshold's 256 pages), whose free pages move to the movable
 * lists: three order-4 requests are one claim and two plain hits on what
 * it moved. At order 9, in a fresh zone of two movable order-10 blocks,
 * the first fill claims both for unmovable, and each of two timed
 * requests claims one of the odd pageblocks, a fill apart: four claims.
 * The second fill claims nothing: the release merged the claimed block
 * with its unmovable buddy, which takes the freed page's type. Nothing is
 * stolen: every fill meets only wholly free blocks.
 */
static void fallback_frag_bench_claims(struct kunit *test)
{
	struct pgm_bench_frag f;
	struct pgm_instance *inst = frag_bench_zone(test, 4 * PGMT_PB, &f);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_DMA);
	unsigned long claims = pgmt_event(inst, PGM_EXTFRAG_CLAIM);
	unsigned long steals = pgmt_event(inst, PGM_EXTFRAG_STEAL);

	/* Boot's frees never fall back */
	KUNIT_ASSERT_EQ(test, claims, 0UL);
	KUNIT_ASSERT_EQ(test, steals, 0UL);
	frag_run_ok(test, &f, 9, 2);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_CLAIM) - claims,
			4UL);
	claims = pgmt_event(inst, PGM_EXTFRAG_CLAIM);
	frag_run_ok(test, &f, 4, 3);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_CLAIM) - claims,
			1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_STEAL), steals);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 4L * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* A frag bench at order 0 in a thread of its own, which a test may kill */
struct frag_killed {
	struct pgm_bench_frag *f;
	int ret;
	char err[PGM_STATUS_LEN];
	struct completion done;
};

static int frag_killed_fn(void *arg)
{
	struct frag_killed *k = arg;
	u64 ns;

	allow_signal(SIGKILL);
	k->ret = pgm_bench_frag_run(k->f, 0, ULONG_MAX / 2, &ns, k->err,
				    sizeof(k->err));
	return pgmt_thread_done(&k->done);
}

/*
 * A frag bench killed while it waits for iface_lock, which a writer took
 * exclusively between two of its runs, gives its fill back only once it
 * holds the lock again: that writer may be changing what a free does
 * (init_on_free, page_poisoning, pcp) or walking the pages. Until the
 * writer lets go the zone's free count holds still.
 */
static void fallback_frag_bench_killed_waiting(struct kunit *test)
{
	struct frag_killed *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	struct pgm_bench_frag f;
	struct pgm_instance *inst = frag_bench_zone(test, 8 * PGMT_PB, &f);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_DMA);
	struct task_struct *t;
	long held;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, k);
	k->f = &f;
	init_completion(&k->done);
	t = kthread_run(frag_killed_fn, k, "pgmt_frag");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	/* Past its first fill */
	for (i = 0; i < 1000 && pgmt_nr_free(zone) == 8L * PGMT_PB; i++)
		schedule_timeout_uninterruptible(1);
	down_write(&inst->iface_lock);
	held = pgmt_nr_free(zone);
	KUNIT_EXPECT_LT(test, held, 8L * PGMT_PB);
	send_sig(SIGKILL, t, 1);
	msleep(100);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), held);
	up_write(&inst->iface_lock);
	wait_for_completion(&k->done);
	kthread_stop(t);
	put_task_struct(t);
	KUNIT_EXPECT_EQ(test, k->ret, -EINTR);
	KUNIT_EXPECT_STREQ(test, k->err, "bench interrupted by a fatal signal");
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 8L * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Two pageblocks: the odd order-10 chunk lies past the zone's end, and
 * the one free order-9 block is all the zone has above the min watermark
 * (__zone_watermark_ok() leaves 512 - 512 + 1 pages): both runs fail with
 * ENOMEM and their reasons, and leave the zone whole.
 */
static void fallback_frag_bench_enomem(struct kunit *test)
{
	char err[PGM_STATUS_LEN] = "";
	struct pgm_bench_frag f;
	struct pgm_instance *inst = frag_bench_zone(test, 2 * PGMT_PB, &f);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_DMA);
	u64 ns;

	KUNIT_EXPECT_EQ(test, pgm_bench_frag_run(&f, 10, 1, &ns, err,
						 sizeof(err)), -ENOMEM);
	KUNIT_EXPECT_STREQ(test, err,
			   "pgmirror: no free order-10 block in the fragmented zone");
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 2L * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgm_bench_frag_run(&f, 9, 1, &ns, err,
						 sizeof(err)), -ENOMEM);
	KUNIT_EXPECT_STREQ(test, err,
			   "pgmirror order-9 allocation failed in the fragmented zone at iteration 0");
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 2L * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case pgmirror_fallback_cases[] = {
	KUNIT_CASE_PARAM(fallback_order, order_gen_params),
	KUNIT_CASE(fallback_claims_first_choice),
	KUNIT_CASE(fallback_claim_at_half),
	KUNIT_CASE(fallback_steal_below_half),
	KUNIT_CASE(fallback_boost_cap),
	KUNIT_CASE(fallback_knob_claim_threshold),
	KUNIT_CASE(fallback_knob_order),
	KUNIT_CASE(fallback_movable_small_block_steals),
	KUNIT_CASE(fallback_movable_claims_by_block_order),
	KUNIT_CASE(fallback_movable_claims_by_alike),
	KUNIT_CASE(fallback_nofragment_prefers_whole_block),
	KUNIT_CASE(fallback_nofragment_local_before_remote),
	KUNIT_CASE(fallback_nofragment_flags),
	KUNIT_CASE(fallback_cma_balance),
	KUNIT_CASE(fallback_cma_minority),
	KUNIT_CASE(fallback_highatomic_cap),
	KUNIT_CASE(fallback_highatomic_free_count),
	KUNIT_CASE(fallback_highatomic_small_zone),
	KUNIT_CASE(fallback_highatomic_alloc_and_unreserve),
	KUNIT_CASE(fallback_frag_bench_steals),
	KUNIT_CASE(fallback_frag_bench_claims),
	KUNIT_CASE(fallback_frag_bench_enomem),
	KUNIT_CASE(fallback_frag_bench_killed_waiting),
	{}
};

static struct kunit_suite pgmirror_fallback_suite = {
	.name = "pgmirror_fallback",
	.test_cases = pgmirror_fallback_cases,
};

kunit_test_suite(pgmirror_fallback_suite);
