// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_isolation: start_isolate_page_range(), test_pages_isolated()
 * and undo_isolate_page_range() as mm/page_isolation.c has them. A fresh
 * zone of four pageblocks holds two free order-10 blocks, each spanning
 * two pageblocks, so isolating pageblock 1 takes the split of
 * move_freepages_block_isolate().
 */

#include <kunit/test.h>
#include "test_util.h"
#include "lru.h"

static struct pgm_instance *four_blocks(struct kunit *test)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	return pgmt_create(test, &topo);
}

static int block_mt(struct pgm_instance *inst, unsigned long block)
{
	return pgm_get_pfnblock_migratetype(inst, block * PGMT_PB);
}

/*
 * Pageblock 1, the tail half of the order-10 block at pfn 0: the block is
 * split into two order-9 blocks, block 1's goes to the ISOLATE list and
 * leaves NR_FREE_PAGES. An order-10 request is served from pfn 1024, an
 * order-9 block comes from block 0, and block 1 never: no free list and
 * no fallback reaches it. Undone, block 1 is movable and merges again
 * with block 0 once that is freed.
 */
static void isolation_tail_of_large_buddy(struct kunit *test)
{
	struct pgm_instance *inst = four_blocks(test);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *p9, *p10;
	unsigned long bad = 0, busy = 0, flags;

	KUNIT_ASSERT_EQ(test, zone->free_area[10].nr_free, 2UL);
	KUNIT_ASSERT_EQ(test, pgm_start_isolate_page_range(inst, PGMT_PB,
							   2 * PGMT_PB,
							   PGM_MIGRATE_MOVABLE,
							   &bad), 0);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 1), PGM_MIGRATE_ISOLATE);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 0), PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, zone->nr_isolate_pageblock, 1UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[10].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[9].nr_free, 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), (long)(3 * PGMT_PB));
	KUNIT_EXPECT_EQ(test, pgm_test_pages_isolated(inst, PGMT_PB,
						      2 * PGMT_PB, &busy), 0);

	p10 = pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE, 10, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, p10);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, p10), 2 * PGMT_PB);
	/* Under the zone's watermarks now: take from the lists directly */
	p9 = pgmt_take(zone, 9, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, p9);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, p9), 0UL);
	/* Only the isolated block is left: no list and no fallback takes it */
	spin_lock_irqsave(&zone->lock, flags);
	KUNIT_EXPECT_NULL(test, pgm___rmqueue(zone, 0, PGM_MIGRATE_UNMOVABLE,
					      0));
	KUNIT_EXPECT_NULL(test, pgm___rmqueue(zone, 0, PGM_MIGRATE_MOVABLE,
					      PGM_ALLOC_CMA));
	spin_unlock_irqrestore(&zone->lock, flags);

	KUNIT_ASSERT_EQ(test, pgm_undo_isolate_page_range(inst, PGMT_PB,
							  2 * PGMT_PB,
							  PGM_MIGRATE_MOVABLE),
			0);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 1), PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, zone->nr_isolate_pageblock, 0UL);
	pgmt_give(zone, p9, 9);
	KUNIT_EXPECT_EQ(test, zone->free_area[10].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), (long)(2 * PGMT_PB));
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * has_unmovable_pages(): an allocation off the LRU in pageblock 2 stops
 * the isolation of blocks 1-3 there, and block 1, isolated first, is given
 * back: the range is all or nothing. Isolating twice, also through a range
 * that only touches the block, or beyond the zone, is refused.
 */
static void isolation_refused(struct kunit *test)
{
	struct pgm_instance *inst = four_blocks(test);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	unsigned long bad = 0;
	long free;

	/* Pageblocks 2-3 one allocation off any LRU: migration cannot move it */
	pgmt_take(zone, 10, PGM_MIGRATE_MOVABLE);
	pgmt_take(zone, 10, PGM_MIGRATE_MOVABLE);
	pgmt_give(zone, pgm_pfn_to_page(inst, 0), 10);
	free = pgmt_nr_free(zone);

	KUNIT_EXPECT_EQ(test, pgm_start_isolate_page_range(inst, PGMT_PB,
							   4 * PGMT_PB,
							   PGM_MIGRATE_MOVABLE,
							   &bad), -EBUSY);
	KUNIT_EXPECT_EQ(test, bad, 2 * PGMT_PB);
	KUNIT_EXPECT_EQ(test, block_mt(inst, 1), PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, zone->nr_isolate_pageblock, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free);

	KUNIT_ASSERT_EQ(test, pgm_start_isolate_page_range(inst, 0, PGMT_PB,
							   PGM_MIGRATE_MOVABLE,
							   &bad), 0);
	KUNIT_EXPECT_EQ(test, pgm_start_isolate_page_range(inst, 0, PGMT_PB,
							   PGM_MIGRATE_MOVABLE,
							   &bad), -EBUSY);
	/* A range inside the isolated block is refused too */
	KUNIT_EXPECT_EQ(test, pgm_start_isolate_page_range(inst, 1, PGMT_PB,
							   PGM_MIGRATE_MOVABLE,
							   &bad), -EBUSY);
	KUNIT_EXPECT_EQ(test, pgm_start_isolate_page_range(inst, 0,
							   5 * PGMT_PB,
							   PGM_MIGRATE_MOVABLE,
							   &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, zone->nr_isolate_pageblock, 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A failed range gives its blocks back upward, as upstream's
 * undo_isolate_page_range() (block 0, block 1), then the end block: each
 * block's free pages go to the tail of their list as it goes back. Blocks
 * 0 and 1 hold one free order-0 page each, at pfns 5 and 600, among anon
 * allocations on the LRU; block 2 is one allocation off any LRU, which
 * stops the isolation there; block 3 is free. Given back in that order,
 * the movable order-0 list is pfn 5 and then pfn 600.
 */
static void isolation_refused_gives_back_upward(struct kunit *test)
{
	struct pgm_instance *inst = four_blocks(test);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page **pages, *b[4];
	unsigned long i, bad = 0;

	pages = kunit_kcalloc(test, 2 * PGMT_PB, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < 4; i++) {
		struct pgm_page *page = pgmt_take(zone, 9, PGM_MIGRATE_MOVABLE);

		KUNIT_ASSERT_NOT_NULL(test, page);
		b[pgmt_pfn(inst, page) / PGMT_PB] = page;
	}
	pgmt_give(zone, b[0], 9);
	pgmt_give(zone, b[1], 9);
	/* Blocks 0 and 1 merged again: order 0 from pfn 0 on */
	pgmt_take_all(zone, pages, 2 * PGMT_PB);
	for (i = 0; i < 2 * PGMT_PB; i++)
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	pgmt_give(zone, b[3], 9);
	pgmt_give(zone, pages[600], 0);
	pgmt_give(zone, pages[5], 0);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), (long)PGMT_PB + 2);
	pgmt_free_handles_at_end(test, inst);
	for (i = 0; i < 2 * PGMT_PB; i++)
		if (i != 5 && i != 600)
			pgmt_adopt(test, inst, pages[i], 0, PGM_KIND_ANON);

	KUNIT_EXPECT_EQ(test, pgm_start_isolate_page_range(inst, 0,
							   4 * PGMT_PB,
							   PGM_MIGRATE_MOVABLE,
							   &bad), -EBUSY);
	KUNIT_EXPECT_EQ(test, bad, 2 * PGMT_PB);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, block_mt(inst, i), PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, zone->nr_isolate_pageblock, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), (long)PGMT_PB + 2);
	KUNIT_EXPECT_EQ(test, zone->free_area[0].nr_free, 2UL);
	for (i = 0; i < 2; i++) {
		struct pgm_page *page = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), i ? 600UL : 5UL);
	}
	pgmt_give(zone, pages[5], 0);
	pgmt_give(zone, pages[600], 0);
	pgmt_give(zone, b[2], 9);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A movable (LRU) allocation does not stop isolation, but the range is not
 * free until it goes: test_pages_isolated() names its pfn. Two order-2
 * blocks side by side, the first freed: the walk steps over that free
 * block and names the second's first pfn, not the block's or the range's.
 * Freed into the isolated block it lands on the ISOLATE list, outside
 * NR_FREE_PAGES.
 */
static void isolation_busy_until_freed(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	unsigned long start, bad = 0, busy = 0;
	struct pgm_alloc *a, *a0;
	long free;
	int pcp_count;

	a0 = pgmt_mem_alloc(inst, GFP_HIGHUSER_MOVABLE, 2, PGM_KIND_FILE);
	a = pgmt_mem_alloc(inst, GFP_HIGHUSER_MOVABLE, 2, PGM_KIND_FILE);
	KUNIT_ASSERT_NOT_NULL(test, a0);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_EQ(test, pgmt_pfn(inst, a->page),
			pgmt_pfn(inst, a0->page) + 4);
	start = ALIGN_DOWN(pgmt_pfn(inst, a->page), PGMT_PB);
	pgmt_handle_free(test, inst, a0);
	KUNIT_ASSERT_EQ(test, pgm_start_isolate_page_range(inst, start,
							   start + PGMT_PB,
							   PGM_MIGRATE_MOVABLE,
							   &bad), 0);
	pgm_drain_all_pages(inst, zone);
	KUNIT_EXPECT_EQ(test, pgm_test_pages_isolated(inst, start,
						      start + PGMT_PB, &busy),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, busy, pgmt_pfn(inst, a->page));

	free = pgmt_nr_free(zone);
	pcp_count = zone->per_cpu_pageset[0].count;
	/* As the free command: the handle goes with it, past the pcp */
	pgmt_handle_free(test, inst, a);
	KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[0].count, pcp_count);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free);
	KUNIT_EXPECT_EQ(test, pgm_test_pages_isolated(inst, start,
						      start + PGMT_PB, &busy),
			0);
	pgm_undo_isolate_page_range(inst, start, start + PGMT_PB,
				    PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free + PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Isolate the second pageblock of the order-10 block at @head: a failure
 * leaves its type as it was; a success is undone, and the block given
 * back the type asked for, movable, as upstream's undo does. Return: the
 * isolation's result, @bad the pfn it names on EBUSY.
 */
static int iso_second_block(struct kunit *test, struct pgm_instance *inst,
			    struct pgm_page *head, unsigned long *bad)
{
	unsigned long tail = pgmt_pfn(inst, head) + PGMT_PB;
	int mt = block_mt(inst, tail / PGMT_PB);
	int ret;

	*bad = 0;
	ret = pgm_start_isolate_page_range(inst, tail, tail + PGMT_PB,
					   PGM_MIGRATE_MOVABLE, bad);
	if (ret) {
		KUNIT_EXPECT_EQ(test, block_mt(inst, tail / PGMT_PB), mt);
		return ret;
	}
	KUNIT_EXPECT_EQ(test, block_mt(inst, tail / PGMT_PB),
			PGM_MIGRATE_ISOLATE);
	pgm_undo_isolate_page_range(inst, tail, tail + PGMT_PB,
				    PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, block_mt(inst, tail / PGMT_PB),
			PGM_MIGRATE_MOVABLE);
	return 0;
}

/*
 * has_unmovable_pages() on the second pageblock of an order-10 block: a
 * compound block off the LRU (slab, or __GFP_COMP) is looked at from its
 * head and cannot move, so the pageblock's first page is named; a plain
 * high-order block's other pages have no reference count and are passed
 * over, so that pageblock is isolated (and its pages stay allocated),
 * and given back as movable.
 */
static void isolation_compound_tail(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_page *plain, *comp;
	struct pgm_alloc *slab;
	unsigned long bad;
	long free;

	pgmt_topology(&topo, 1, 0, 0, 8 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	slab = pgm_alloc_create(inst, pgm_kind_gfp(PGM_KIND_SLAB), 10, 0,
				NULL, PGM_KIND_SLAB);
	KUNIT_ASSERT_NOT_NULL(test, slab);
	KUNIT_EXPECT_EQ(test, iso_second_block(test, inst, slab->page, &bad),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, bad, pgmt_pfn(inst, slab->page) + PGMT_PB);

	comp = pgm_alloc_pages(inst, GFP_KERNEL | __GFP_COMP, 10, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, comp);
	KUNIT_EXPECT_EQ(test, iso_second_block(test, inst, comp, &bad), -EBUSY);
	KUNIT_EXPECT_EQ(test, bad, pgmt_pfn(inst, comp) + PGMT_PB);

	plain = pgm_alloc_pages(inst, GFP_KERNEL, 10, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, plain);
	free = pgmt_nr_free(pgm_page_zone(inst, plain));
	KUNIT_EXPECT_EQ(test, iso_second_block(test, inst, plain, &bad), 0);
	/* No free page in the block: nothing moved either way */
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(pgm_page_zone(inst, plain)), free);

	pgm_free_pages(inst, plain, 10);
	pgm_free_pages(inst, comp, 10);
	pgm_alloc_release(inst, slab);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * isolate_single_pageblock() in ZONE_MOVABLE, where has_unmovable_pages()
 * passes every block: an order-10 __GFP_COMP block across the range's
 * first edge fails it (upstream's goto failed for a compound page across
 * the boundary), the pageblock given back its type; a plain order-10
 * block there lets it be isolated, as its pages are no compound page.
 */
static void isolation_compound_across_edge_movable(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_page *plain, *comp;
	unsigned long bad;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 8 * PGMT_PB);
	inst = pgmt_create(test, &topo);
	comp = pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 10, 0,
			       NULL);
	KUNIT_ASSERT_NOT_NULL(test, comp);
	KUNIT_ASSERT_EQ(test, pgm_page_zone(inst, comp)->idx, PGM_ZONE_MOVABLE);
	KUNIT_EXPECT_EQ(test, iso_second_block(test, inst, comp, &bad), -EBUSY);
	KUNIT_EXPECT_EQ(test, bad, pgmt_pfn(inst, comp));

	plain = pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE, 10, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, plain);
	KUNIT_ASSERT_EQ(test, pgm_page_zone(inst, plain)->idx,
			PGM_ZONE_MOVABLE);
	KUNIT_EXPECT_EQ(test, iso_second_block(test, inst, plain, &bad), 0);

	pgm_free_pages(inst, plain, 10);
	pgm_free_pages(inst, comp, 10);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * The range's last block is checked too (isolate_single_pageblock() with
 * isolate_before): [head, head + 100) of an order-10 __GFP_COMP block in
 * ZONE_MOVABLE. The first block is isolated (no page crosses its start);
 * the end block is the same one, so it is only checked: the compound
 * page at head runs past head + 512, which fails it with EBUSY at head,
 * and the first block is given back.
 */
static void isolation_compound_across_end_movable(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_page *comp;
	unsigned long head, bad = 0;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 8 * PGMT_PB);
	inst = pgmt_create(test, &topo);
	comp = pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 10, 0,
			       NULL);
	KUNIT_ASSERT_NOT_NULL(test, comp);
	KUNIT_ASSERT_EQ(test, pgm_page_zone(inst, comp)->idx, PGM_ZONE_MOVABLE);
	head = pgmt_pfn(inst, comp);
	KUNIT_EXPECT_EQ(test, pgm_start_isolate_page_range(inst, head,
							   head + 100,
							   PGM_MIGRATE_MOVABLE,
							   &bad), -EBUSY);
	KUNIT_EXPECT_EQ(test, bad, head);
	KUNIT_EXPECT_EQ(test, block_mt(inst, head / PGMT_PB),
			PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgm_page_zone(inst, comp)->nr_isolate_pageblock,
			0UL);
	pgm_free_pages(inst, comp, 10);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case isolation_cases[] = {
	KUNIT_CASE(isolation_tail_of_large_buddy),
	KUNIT_CASE(isolation_refused),
	KUNIT_CASE(isolation_refused_gives_back_upward),
	KUNIT_CASE(isolation_busy_until_freed),
	KUNIT_CASE(isolation_compound_tail),
	KUNIT_CASE(isolation_compound_across_edge_movable),
	KUNIT_CASE(isolation_compound_across_end_movable),
	{}
};

static struct kunit_suite isolation_suite = {
	.name = "pgmirror_isolation",
	.test_cases = isolation_cases,
};

kunit_test_suite(isolation_suite);
