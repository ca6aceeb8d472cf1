// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_compaction: fragmentation_index, compaction_suitable, the
 * deferral arithmetic and compact_zone on a checkerboard.
 *
 * The numbers: fragmentation_index(order) is 1000 - (1000 + free * 1000 /
 * 2^order) / blocks with integer division. Eight free order-0 pages give
 * 1000 - 2000 / 8 = 750 at order 3 and 1000 - 5000 / 8 = 375 at order 1;
 * four order-0 pages and an order-2 block give 1000 - 2000 / 5 = 600 at
 * order 3; 1536 order-0 pages 1000 - 4000 / 1536 = 998 at order 9; six
 * order-8 blocks 1000 - 4000 / 6 = 334, below extfrag_threshold 500.
 *
 * The scanners follow compact_zone(): a second batch in the pageblock of
 * the last one takes the rest of it at once (finish_pageblock), and so
 * does a zone's first batch in pageblock 0, last_migrated_pfn's "none"
 * being pfn 0; the free scanner never enters the pageblock after the
 * migrate scanner's; migrated sources are freed to this CPU's pcp, which
 * compaction drains once the migrate scanner leaves the order-aligned
 * block it migrated from (never for pageblock 0, for the same reason).
 * Tests that count what a drain frees fix the pcp high above every free
 * of the run (cpt_hold_pcp()), so that only those drains free sources.
 *
 * The checkerboard (compact_node(): order -1, MIGRATE_SYNC): a backed
 * zone of four pageblocks. The first holds 256 anon pages at its even
 * pfns, its odd pfns free; the second is held without records, which no
 * scanner moves; in the last two the odd pfns are free, the even ones
 * anon pages but for 16 pinned. The first batch takes the first
 * pageblock whole, 256 pages (512 scanned); the free scanner starts at
 * the fourth and isolates its 256 free pages (512 scanned) as targets,
 * pfn 1537 upwards, taken by the sources highest first (migrate_pages()
 * walks the batch from its head, where each was put): pfn i moves to
 * 2047 - i. The second batch walks the second pageblock
 * (512 scanned) and finds nothing; the scanners then meet at the third.
 * The sources wait on the pcp: a drain makes the first pageblock one
 * free order-9 block. Before, 768 free order-0 pages make the order-9
 * index 1000 - (1000 + 1500) / 768 = 997.
 */

#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include "test_util.h"
#include "lru.h"
#include "compaction.h"
#include "cmd.h"
#include "explain.h"

/*
 * A NORMAL zone of @nr_pb pageblocks with every page taken, above a free
 * DMA zone of @dma pages
 */
static struct pgm_zone *cpt_zone_above(struct kunit *test, unsigned long dma,
				       unsigned long nr_pb,
				       struct pgm_page ***pagesp)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_page **pages;
	unsigned long i, nr = nr_pb * PGMT_PB;

	pgmt_topology(&topo, 1, dma, 0, nr, 0);
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	pages = kunit_kcalloc(test, nr, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_take_all(zone, pages, nr);
	for (i = 0; i < nr; i++)
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 0);
	*pagesp = pages;
	return zone;
}

/* The same at pfn 0: its first pageblock is pageblock 0 */
static struct pgm_zone *cpt_zone(struct kunit *test, unsigned long nr_pb,
				 struct pgm_page ***pagesp)
{
	return cpt_zone_above(test, 0, nr_pb, pagesp);
}

static void compaction_fragmentation_index(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone(test, 1, &pages);
	unsigned long i;

	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 3), 0);
	for (i = 0; i < 8; i++)
		pgmt_give(zone, pages[2 * i], 0);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 3), 750);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 1), 375);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 0), -1000);

	/* Four order-0 pages and one order-2 block */
	for (i = 4; i < 8; i++)
		pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 4);
	for (i = 16; i < 20; i++)
		pages[i]->flags &= ~PGM_PG_HEAD;
	pgmt_give(zone, pages[16], 2);
	KUNIT_EXPECT_EQ(test, zone->free_area[2].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 3), 600);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 2), -1000);
}

/*
 * __compaction_suitable(): the order-0 watermark check of min (low above
 * the costly order) plus compact_gap() = 2 << order, passed only by more
 * free pages than that. 4096 pages: min_free_kbytes int_sqrt(16384 * 16)
 * = 512, min 128, low 128 + max(128 / 4, 4096 * 10 / 10000) = 160. Order
 * 3 needs more than 144 (not 176), order 4 more than 192 (not 160), where
 * the order-4 index of all-order-0 free pages is far above 500.
 */
static void compaction_suitable(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone(test, 8, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long i;

	KUNIT_ASSERT_EQ(test, pgm_min_wmark_pages(zone), 128UL);
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(zone), 160UL);

	/* 16 free pages: below min + compact_gap(2) */
	for (i = 0; i < 16; i++)
		pgmt_give(zone, pages[2 * i], 0);
	KUNIT_EXPECT_FALSE(test, pgm_compaction_suitable(zone, 2,
							 PGM_ZONE_NORMAL));

	for (; i < 144; i++)
		pgmt_give(zone, pages[2 * i], 0);
	KUNIT_EXPECT_FALSE(test, pgm_compaction_suitable(zone, 3,
							 PGM_ZONE_NORMAL));
	pgmt_give(zone, pages[2 * i++], 0);
	KUNIT_EXPECT_TRUE(test, pgm_compaction_suitable(zone, 3,
							PGM_ZONE_NORMAL));
	KUNIT_EXPECT_FALSE(test, pgm_compaction_suitable(zone, 4,
							 PGM_ZONE_NORMAL));
	for (; i < 192; i++)
		pgmt_give(zone, pages[2 * i], 0);
	KUNIT_EXPECT_FALSE(test, pgm_compaction_suitable(zone, 4,
							 PGM_ZONE_NORMAL));
	pgmt_give(zone, pages[2 * i++], 0);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 4), 933);
	KUNIT_EXPECT_TRUE(test, pgm_compaction_suitable(zone, 4,
							PGM_ZONE_NORMAL));

	/* 1536 order-0 pages: fragmented, index 998 */
	for (; i < 1536; i++)
		pgmt_give(zone, pages[2 * i], 0);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 9), 998);
	KUNIT_EXPECT_TRUE(test, pgm_compaction_suitable(zone, 9,
							PGM_ZONE_NORMAL));
	KUNIT_EXPECT_TRUE(test, pgm_compaction_suitable(zone, 2,
							PGM_ZONE_NORMAL));
	/* A costly order past the watermark: 1536 < low + 2048 */
	KUNIT_EXPECT_FALSE(test, pgm_compaction_suitable(zone, 10,
							 PGM_ZONE_NORMAL));

	/* Six order-8 blocks instead: index 334, a lack of memory */
	for (i = 0; i < 1536; i++)
		pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 0);
	for (i = 0; i < 6; i++) {
		unsigned long j, base = i * PGMT_PB;

		for (j = 0; j < 256; j++)
			pages[base + j]->flags &= ~PGM_PG_HEAD;
		pgmt_give(zone, pages[base], 8);
	}
	KUNIT_EXPECT_EQ(test, zone->free_area[8].nr_free, 6UL);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 9), 334);
	KUNIT_EXPECT_FALSE(test, pgm_compaction_suitable(zone, 9,
							 PGM_ZONE_NORMAL));

	/*
	 * The extfrag threshold (500, vm.extfrag_threshold's default) is the
	 * last index that means a lack of memory: two order-0 pages more
	 * give 1000 - (1000 + 1538000 / 512) / 8 = 500, still refused; a
	 * third, 1000 - 4005 / 9 = 555.
	 */
	pgmt_give(zone, pages[6 * PGMT_PB], 0);
	pgmt_give(zone, pages[6 * PGMT_PB + 2], 0);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 9), 500);
	KUNIT_EXPECT_FALSE(test, pgm_compaction_suitable(zone, 9,
							 PGM_ZONE_NORMAL));
	pgmt_give(zone, pages[6 * PGMT_PB + 4], 0);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 9), 555);
	KUNIT_EXPECT_TRUE(test, pgm_compaction_suitable(zone, 9,
							PGM_ZONE_NORMAL));

	/* vm.extfrag_threshold moves that line: 555 refuses, 554 does not */
	KUNIT_ASSERT_EQ(test, pgm_set_extfrag_threshold(inst, 555), 0);
	KUNIT_EXPECT_FALSE(test, pgm_compaction_suitable(zone, 9,
							 PGM_ZONE_NORMAL));
	KUNIT_ASSERT_EQ(test, pgm_set_extfrag_threshold(inst, 554), 0);
	KUNIT_EXPECT_TRUE(test, pgm_compaction_suitable(zone, 9,
							PGM_ZONE_NORMAL));
	/* 1000 refuses every index but -1000 */
	KUNIT_ASSERT_EQ(test, pgm_set_extfrag_threshold(inst, 1000), 0);
	KUNIT_EXPECT_FALSE(test, pgm_compaction_suitable(zone, 9,
							 PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgm_set_extfrag_threshold(inst, 1001), -EINVAL);
	KUNIT_EXPECT_EQ(test, inst->tun.extfrag_threshold, 1000);
}

/*
 * Non-costly orders ignore the fragmentation index, whatever
 * extfrag_threshold says. 37 free order-2 blocks that cannot merge (every
 * other one), 148 pages: above min + compact_gap(3) = 144, and no free
 * block of order 3, so the order-3 index is 1000 - (1000 + 148000 / 8) /
 * 37 = 473, inside 0..500 and 0..1000, where a costly order would be
 * turned down.
 */
static void compaction_suitable_noncostly(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone(test, 8, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long i, j;

	for (i = 0; i < 37; i++) {
		for (j = 1; j < 4; j++)
			pages[8 * i + j]->flags &= ~PGM_PG_HEAD;
		pgmt_give(zone, pages[8 * i], 2);
	}
	KUNIT_ASSERT_EQ(test, zone->free_area[2].nr_free, 37UL);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 148L);
	KUNIT_ASSERT_EQ(test, pgm_min_wmark_pages(zone), 128UL);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 3), 473);
	KUNIT_EXPECT_TRUE(test, pgm_compaction_suitable(zone, 3,
							PGM_ZONE_NORMAL));
	KUNIT_ASSERT_EQ(test, pgm_set_extfrag_threshold(inst, 1000), 0);
	KUNIT_EXPECT_TRUE(test, pgm_compaction_suitable(zone, 3,
							PGM_ZONE_NORMAL));
}

/*
 * __compaction_suitable() checks with ALLOC_CMA: free pages in CMA
 * pageblocks are targets too. 2048 pages (min 90), the last two
 * pageblocks a CMA area and every other page taken: the 1024 free pages
 * are all CMA and pass min + compact_gap(2) = 98; counted as unusable,
 * as without ALLOC_CMA, none would.
 */
static void compaction_suitable_cma(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	topo.cma_pages = 2 * PGMT_PB;
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	KUNIT_ASSERT_EQ(test, pgm_min_wmark_pages(zone), 90UL);
	while (pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE))
		;
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 1024L);
	KUNIT_ASSERT_EQ(test, pgm_zone_page_state(zone, PGM_NR_FREE_CMA_PAGES),
			1024L);
	KUNIT_EXPECT_TRUE(test, pgm_compaction_suitable(zone, 2,
							PGM_ZONE_NORMAL));
}

static void compaction_deferral(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone(test, 1, &pages);
	int i;

	KUNIT_EXPECT_FALSE(test, pgm_compaction_deferred(zone, 4));
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 1U);

	pgm_defer_compaction(zone, 4);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 1U);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 0);
	KUNIT_EXPECT_TRUE(test, pgm_compaction_deferred(zone, 4));
	KUNIT_EXPECT_FALSE(test, pgm_compaction_deferred(zone, 4));
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 2U);

	for (i = 0; i < 10; i++)
		pgm_defer_compaction(zone, 4);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift,
			(unsigned int)PGM_COMPACT_MAX_DEFER_SHIFT);
	for (i = 0; i < 63; i++)
		KUNIT_EXPECT_TRUE(test, pgm_compaction_deferred(zone, 4));
	KUNIT_EXPECT_FALSE(test, pgm_compaction_restarting(zone, 4));
	KUNIT_EXPECT_FALSE(test, pgm_compaction_deferred(zone, 4));
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 64U);
	KUNIT_EXPECT_TRUE(test, pgm_compaction_restarting(zone, 4));

	pgm_compaction_defer_reset(zone, 4, false);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 5);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 6U);
	/* Below order_failed nothing is deferred nor counted */
	KUNIT_EXPECT_FALSE(test, pgm_compaction_deferred(zone, 3));
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 64U);

	pgm_defer_compaction(zone, 2);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 2);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	pgm_compaction_defer_reset(zone, 2, true);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 3);
}

struct cpt_ctx {
	struct pgm_instance *inst;
	struct pgm_backing *b;
};

/*
 * cpt_zone_above()'s zone, whose handles are freed after the case; the
 * DMA zone below it of @dma pages
 */
static struct pgm_zone *cpt_handles_zone(struct kunit *test, unsigned long dma,
					 struct pgm_page ***pagesp)
{
	struct pgm_zone *zone = cpt_zone_above(test, dma, 4, pagesp);

	pgmt_free_handles_at_end(test, zone->zone_pgdat->inst);
	return zone;
}

/* An allocation with a handle, as the control file makes, on @page */
static struct pgm_alloc *cpt_adopt(struct kunit *test,
				   struct pgm_instance *inst,
				   struct pgm_page *page, enum pgm_kind kind)
{
	return pgmt_adopt(test, inst, page, 0, kind);
}

#define CPT_PAGES	(4 * PGMT_PB)

static bool cpt_pinned(unsigned long i)
{
	return i >= PGMT_PB && !(i % 64);
}

/* A pcp high no run here reaches: sources wait for compaction's drain */
static void cpt_hold_pcp(struct kunit *test, struct pgm_instance *inst)
{
	KUNIT_ASSERT_EQ(test, pgm_set_pcp_size(inst, true, 4096), 0);
}

static int cpt_pcp_count(struct pgm_zone *zone)
{
	return zone->per_cpu_pageset[0].count;
}

/* An async direct compactor's control for a movable @order in @zone */
static struct pgm_compact_control cpt_async_cc(struct pgm_zone *zone,
					       int order)
{
	return (struct pgm_compact_control) {
		.zone = zone,
		.order = order,
		.gfp_mask = GFP_KERNEL | __GFP_MOVABLE,
		.migratetype = PGM_MIGRATE_MOVABLE,
		.highest_zoneidx = PGM_ZONE_NORMAL,
		.priority = PGM_COMPACT_PRIO_ASYNC,
		.direct_compaction = true,
		.async = true,
		.search_order = order,
	};
}

/* compact_node()'s control for @zone: synchronous, every pageblock */
static struct pgm_compact_control cpt_node_cc(struct pgm_zone *zone)
{
	return (struct pgm_compact_control) {
		.zone = zone,
		.order = -1,
		.gfp_mask = GFP_KERNEL,
		.migratetype = PGM_MIGRATE_MOVABLE,
		.highest_zoneidx = PGM_ZONE_NORMAL,
		.priority = PGM_COMPACT_PRIO_SYNC_FULL,
		.sync = true,
		.ignore_skip_hint = true,
	};
}

/*
 * post_alloc_hook() on compaction's targets: with poisoning on, a free
 * page written after its free is reported when the free scanner's block
 * is taken as a target or given back unused. The checkerboard of the case
 * below, anon pages only, then one byte changed at pfn 3 * 512 + 1, the
 * last pageblock's first free page, which the free scanner, starting
 * there, isolates first: one poison_corrupt, and none without the check.
 */
static void compaction_target_poison_checked(struct kunit *test)
{
	struct pgm_instance *inst = pgmt_create_backed(test, SZ_8M);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_compact_control cc = cpt_node_cc(zone);
	struct pgm_page **pages;
	unsigned long i;
	u8 *addr;

	pgmt_free_handles_at_end(test, inst);
	cpt_hold_pcp(test, inst);
	pages = kunit_kcalloc(test, CPT_PAGES, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_take_all(zone, pages, CPT_PAGES);
	for (i = 0; i < CPT_PAGES; i++) {
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		if (i >= PGMT_PB && i < 2 * PGMT_PB)
			continue;
		if (i & 1)
			pgmt_give(zone, pages[i], 0);
		else
			cpt_adopt(test, inst, pages[i], PGM_KIND_ANON);
	}
	KUNIT_ASSERT_EQ(test, pgm_set_page_debug(inst, PGM_PAGE_POISONING, 1),
			0);
	addr = pgm_page_address(inst, pages[3 * PGMT_PB + 1]);
	KUNIT_ASSERT_NOT_NULL(test, addr);
	addr[100] = 0;

	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL),
			PGM_COMPACT_COMPLETE);
	/* As the checkerboard's: pageblock 0's 256, the corrupt target too */
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 256UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_POISON_CORRUPT), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static void compaction_checkerboard(struct kunit *test)
{
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_page **pages;
	struct pgm_alloc **allocs;
	struct pgm_compact_control cc = { };
	unsigned long i;

	inst = pgmt_create_backed(test, SZ_8M);
	pgmt_free_handles_at_end(test, inst);
	cpt_hold_pcp(test, inst);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	pages = kunit_kcalloc(test, CPT_PAGES, sizeof(*pages), GFP_KERNEL);
	allocs = kunit_kcalloc(test, CPT_PAGES, sizeof(*allocs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_NOT_NULL(test, allocs);
	pgmt_take_all(zone, pages, CPT_PAGES);
	for (i = 0; i < CPT_PAGES; i++)
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);

	for (i = 0; i < CPT_PAGES; i++) {
		enum pgm_kind kind = cpt_pinned(i) ? PGM_KIND_PINNED :
						     PGM_KIND_ANON;
		struct pgm_alloc *a;
		char *addr;

		/* The second pageblock stays held, without records */
		if (i >= PGMT_PB && i < 2 * PGMT_PB)
			continue;
		if (i & 1) {
			pgmt_give(zone, pages[i], 0);
			continue;
		}
		a = cpt_adopt(test, inst, pages[i], kind);
		snprintf(a->tag, sizeof(a->tag), "cpt-%lu", i);
		addr = pgm_page_address(inst, pages[i]);
		KUNIT_ASSERT_NOT_NULL(test, addr);
		memset(addr, 0, PAGE_SIZE);
		strscpy(addr, a->tag, PGM_TAG_LEN);
		allocs[i] = a;
	}
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 3L * PGMT_PB / 2);
	KUNIT_ASSERT_EQ(test, zone->free_area[PGM_PAGEBLOCK_ORDER].nr_free,
			0UL);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 9), 997);

	cc = cpt_node_cc(zone);
	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL),
			PGM_COMPACT_COMPLETE);

	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 256UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_FAIL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			1024UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFREE_SCANNED),
			512UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTISOLATED), 512UL);
	/* The sources wait on the pcp; their odd neighbours and the third's */
	KUNIT_EXPECT_EQ(test, cpt_pcp_count(zone), 256);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), (long)PGMT_PB);
	KUNIT_EXPECT_EQ(test, zone->free_area[PGM_PAGEBLOCK_ORDER].nr_free,
			0UL);

	pgm_drain_all_pages(inst, zone);
	KUNIT_EXPECT_EQ(test, zone->free_area[PGM_PAGEBLOCK_ORDER].nr_free,
			1UL);
	KUNIT_EXPECT_TRUE(test, pages[0]->flags & PGM_PG_BUDDY);
	KUNIT_EXPECT_EQ(test, pages[0]->private,
			(unsigned long)PGM_PAGEBLOCK_ORDER);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 3L * PGMT_PB / 2);

	for (i = 0; i < CPT_PAGES; i += 2) {
		struct pgm_alloc *a = allocs[i];
		unsigned long pfn;
		char *addr;

		if (!a)
			continue;
		pfn = pgmt_pfn(inst, a->page);
		addr = pgm_page_address(inst, a->page);
		KUNIT_EXPECT_TRUE(test, a->page->flags & PGM_PG_HEAD);
		KUNIT_EXPECT_STREQ(test, addr, a->tag);
		KUNIT_EXPECT_PTR_EQ(test, xa_load(&inst->handles, a->id),
				    (void *)a);
		KUNIT_EXPECT_EQ(test, pfn, i < PGMT_PB ? 4 * PGMT_PB - 1 - i : i);
	}
	KUNIT_EXPECT_EQ(test, pgm_node_page_state(&inst->node_data[0],
						  PGM_NR_INACTIVE_ANON),
			(unsigned long)(3 * PGMT_PB / 2 - 16));
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Two pageblocks of the checkerboard (the second's even pfns all anon),
 * compact_node() again: the first batch takes pageblock 0 whole, leaving
 * the migrate scanner at the second, which the free scanner may then not
 * enter. The first page finds no target (-ENOMEM), the scanners have met,
 * and nothing moves: 512 scanned, 256 isolated, one failure.
 */
static void compaction_first_pageblock_whole(struct kunit *test)
{
	struct pgm_instance *inst = pgmt_create_backed(test, SZ_4M);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_compact_control cc = cpt_node_cc(zone);
	struct pgm_page **pages;
	struct pgm_alloc **a;
	unsigned long i;

	pgmt_free_handles_at_end(test, inst);
	pages = kunit_kcalloc(test, 2 * PGMT_PB, sizeof(*pages), GFP_KERNEL);
	a = kunit_kcalloc(test, 2 * PGMT_PB, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_NOT_NULL(test, a);
	pgmt_take_all(zone, pages, 2 * PGMT_PB);
	for (i = 0; i < 2 * PGMT_PB; i++) {
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		if (i & 1)
			pgmt_give(zone, pages[i], 0);
		else
			a[i] = cpt_adopt(test, inst, pages[i], PGM_KIND_ANON);
	}

	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL),
			PGM_COMPACT_COMPLETE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			512UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFREE_SCANNED), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTISOLATED), 256UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_FAIL), 1UL);
	for (i = 0; i < 2 * PGMT_PB; i += 2)
		KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[i]->page), i);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), (long)PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Four pageblocks, the first two a checkerboard of anon pages, the last
 * two free but for one anon page each, at offset 256: 1534 free pages,
 * index 993 for order 9, and suitable for compaction. The first pageblock
 * is of type @mt0. The free lists hold the third's and the fourth's first
 * halves as order-8 blocks, the fourth's at the head.
 */
static struct pgm_zone *cpt_fragmented(struct kunit *test, int mt0)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_handles_zone(test, 0, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long i;

	cpt_hold_pcp(test, inst);
	pgm_set_pageblock_migratetype(inst, 0, mt0);
	for (i = 0; i < 4 * PGMT_PB; i++) {
		if (i < 2 * PGMT_PB ? (i & 1) : (i % PGMT_PB) != 256) {
			pgmt_give(zone, pages[i], 0);
			continue;
		}
		cpt_adopt(test, inst, pages[i], PGM_KIND_ANON);
	}
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 1534L);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 9), 993);
	KUNIT_ASSERT_TRUE(test, pgm_compaction_suitable(zone, 9,
							PGM_ZONE_NORMAL));
	return zone;
}

/*
 * The slow path: a GFP_KERNEL order-9 request compacts asynchronously
 * before reclaim, which only migrates from unmovable pageblocks, of which
 * there are none: one stall, one failure, not deferred. Reclaim scans
 * nothing: with 1534 free, above high + compact_gap(9) = 134 + 1024
 * (high = low + (low - min) = 112 + 22), and compaction suitable, the
 * zone is compaction_ready() at the first priority, and the reclaim
 * reports progress 1 (one allocstall, no full-walk retry).
 * Compaction at DEF_COMPACT_PRIORITY (sync) then empties the first two
 * pageblocks (compaction_capture() shows how) and captures the first.
 */
static void compaction_slowpath(struct kunit *test)
{
	struct pgm_zone *zone = cpt_fragmented(test, PGM_MIGRATE_MOVABLE);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	static const char * const path[] = {
		"slowpath: compact, result complete, initial",
		"  reclaim: node 0 Normal ready for order-9 compaction at priority 12 (free 1534, high 134 + gap 1024): passed over",
		"  reclaim: priority 12 down to 12: 0 back of 32",
		"slowpath: reclaim, result 1",
		"  compaction captured pfn 0",
		"slowpath: compact, result success, served",
		"slowpath: success, result 0, direct_compaction",
		"result: pfn 0 (order 9)",
	};
	struct pgm_page *page;

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	page = pgm_alloc_pages(inst, GFP_KERNEL, 9, 0, NULL);
	pgm_explain_end(inst);
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* Explain names each step of that path */
	pgmt_expect_lines(test, inst->explain->buf, path, ARRAY_SIZE(path));
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTSTALL), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTSUCCESS), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 512UL);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 10);
	/* Captured blocks bypass rmqueue and its pgalloc count */
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGALLOC_NORMAL),
			0UL);
	pgm_free_pages(inst, page, 9);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * try_to_compact_pages() with a capture control, an unmovable order-9
 * request at DEF_COMPACT_PRIORITY:
 * - the first batch takes pageblock 0 whole (256 pages, 512 scanned);
 *   the fast free search finds the third pageblock's order-8 block at
 *   the tail of its list, inside the top quarter of the scan space
 *   (from pfn 1024), and takes it: 256 targets, pfns 1024-1279;
 * - the second batch takes 32 pages of the second pageblock (63 scanned)
 *   and the search the fourth's order-8 block, of which the third batch,
 *   the rest of that pageblock (224 pages, 449 scanned), uses the rest;
 * - the migrate scanner has left the order-9 block it migrated from:
 *   the drain frees the sources, oldest first, and the first pageblock,
 *   whole, is captured. The second merges into a free order-9 block,
 *   which compact_finished() then sees.
 * 512 pages moved, 1024 isolated and scanned by the migrate scanner, 512
 * by the free one; 1534 - 512 free pages less the capture, 1022, stay.
 */
static void compaction_capture(struct kunit *test)
{
	struct pgm_zone *zone = cpt_fragmented(test, PGM_MIGRATE_MOVABLE);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned int alloc_flags = PGM_ALLOC_WMARK_LOW;
	struct pgm_alloc_context ac = { };
	struct pgm_page *page = NULL;

	KUNIT_ASSERT_TRUE(test, pgm_prepare_alloc_pages(inst, GFP_KERNEL, 9, 0,
							NULL, &ac,
							&alloc_flags));
	KUNIT_EXPECT_EQ(test, pgm_try_to_compact_pages(GFP_KERNEL, 9,
						       alloc_flags, &ac,
						       PGM_DEF_COMPACT_PRIORITY,
						       &page),
			PGM_COMPACT_SUCCESS);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 0UL);
	KUNIT_EXPECT_FALSE(test, page->flags & PGM_PG_BUDDY);
	KUNIT_EXPECT_TRUE(test, list_empty(&zone->captures));
	KUNIT_EXPECT_EQ(test, zone->free_area[9].nr_free, 1UL);
	KUNIT_EXPECT_TRUE(test, pgm_pfn_to_page(inst, PGMT_PB)->flags &
			  PGM_PG_BUDDY);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 1022L);
	KUNIT_EXPECT_EQ(test, cpt_pcp_count(zone), 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			1024UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFREE_SCANNED),
			512UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTISOLATED), 1024UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 512UL);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 10);

	/* Freed, the capture merges with the second pageblock */
	pgmt_give(zone, page, 9);
	KUNIT_EXPECT_EQ(test, zone->free_area[9].nr_free, 0UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[10].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

#define CPT_GFP	GFP_HIGHUSER_MOVABLE

/*
 * try_to_compact_pages() for a movable request. Return: the block captured
 * at @pfn (< 0: none expected), still taken, or NULL.
 */
static struct pgm_page *cpt_try(struct kunit *test, struct pgm_instance *inst,
				enum pgm_compact_priority prio,
				enum pgm_compact_result rc, unsigned int order,
				long pfn)
{
	unsigned int alloc_flags = PGM_ALLOC_WMARK_LOW;
	struct pgm_alloc_context ac = { };
	struct pgm_page *page = NULL;

	KUNIT_EXPECT_TRUE(test, pgm_prepare_alloc_pages(inst, CPT_GFP, order,
							0, NULL, &ac,
							&alloc_flags));
	KUNIT_EXPECT_EQ(test, pgm_try_to_compact_pages(CPT_GFP, order,
						       alloc_flags, &ac, prio,
						       &page), rc);
	if (pfn < 0)
		KUNIT_EXPECT_NULL(test, page);
	else if (page)
		KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), (unsigned long)pfn);
	else
		KUNIT_FAIL(test, "nothing captured");
	return page;
}

/*
 * The priority decides where async direct compaction may migrate from;
 * a movable order-9 request, the first pageblock unmovable.
 * - PRIO_ASYNC passes over the first pageblock (not even scanned) and
 *   takes the second whole (skipping on failure, one order-9 block; 512
 *   scanned) into the third's order-8 block, which the fast free search
 *   finds. The drain after the batch completes the second pageblock,
 *   captured at pfn 512; compact_finished() does not look at the
 *   capture, so one more batch, 32 of the pages just moved, goes into
 *   the fourth's block before the run stops: 544 pfns scanned, 288
 *   moved. Before that batch, at a pageblock start, the migrate
 *   scanner's fast search (a costly movable request) reads the movable
 *   free lists of orders 8 to 3 for a block below pfn 1024: the fourth's
 *   order-8 block and two blocks each of orders 7 to 3, the third's and
 *   the fourth's upper halves, none below, 11 reads counted as scanned.
 * - PRIO_SYNC_LIGHT, on a second such zone, empties the first two
 *   pageblocks as compaction_capture() does (1024 scanned, 512 moved,
 *   and the same 11 reads at pfn 512, where the first pageblock's free
 *   pages are on the unmovable lists); the drain frees the unmovable
 *   pcp list first, and the first pageblock is captured at pfn 0.
 */
static void compaction_async_source(struct kunit *test)
{
	enum pgm_compact_priority prio[] = { PGM_COMPACT_PRIO_ASYNC,
					     PGM_COMPACT_PRIO_SYNC_LIGHT };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(prio); i++) {
		struct pgm_zone *zone = cpt_fragmented(test,
						       PGM_MIGRATE_UNMOVABLE);
		struct pgm_instance *inst = zone->zone_pgdat->inst;
		struct pgm_page *page;

		page = cpt_try(test, inst, prio[i], PGM_COMPACT_SUCCESS, 9,
			       i ? 0 : PGMT_PB);
		KUNIT_EXPECT_EQ(test,
				pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
				i ? 1035UL : 555UL);
		KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS),
				i ? 512UL : 288UL);
		/* The last batch's sources are still on the pcp */
		KUNIT_EXPECT_EQ(test, cpt_pcp_count(zone), i ? 0 : 32);
		if (page)
			pgmt_give(zone, page, 9);
		KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	}
}

/*
 * Only the highest priority takes targets from any pageblock: a movable
 * checkerboard in the first pageblock and an unmovable one (kernel pages)
 * in the second, 512 single free pages. A movable order-3 request:
 * - at PRIO_SYNC_LIGHT the first batch takes pageblock 0 whole (256
 *   pages, 512 scanned). With the migrate scanner at pfn 512, the fast
 *   free search wants pfns from 512 and reads the 256 movable order-0
 *   pages (all below), a direct compactor then moves the free scanner to
 *   the middle of the space, pfn 512, whose pageblock is unmovable, and
 *   the walk may not enter the migrate scanner's pageblock: no target,
 *   one page fails (-ENOMEM), the scanners have met (COMPLETE), and the
 *   zone is deferred;
 * - at MIN_COMPACT_PRIORITY, deferral ignored, the same search ends at
 *   the unmovable pageblock, which is suitable now, and takes its 256
 *   free pages around pfn 512 (512 scanned), which the sources take
 *   highest first: the anon page at i moves to 1023 - i. Pageblock 0's
 *   drain never comes (its last_migrated_pfn is "none"), so nothing is
 *   captured, the scanners meet, COMPLETE again; a drain makes
 *   pageblock 0 one free order-9 block.
 */
static void compaction_sync_full_targets(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone(test, 2, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_alloc **a;
	unsigned long i;

	a = kunit_kcalloc(test, PGMT_PB, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	pgmt_free_handles_at_end(test, inst);
	cpt_hold_pcp(test, inst);
	pgm_set_pageblock_migratetype(inst, PGMT_PB, PGM_MIGRATE_UNMOVABLE);
	for (i = 0; i < 2 * PGMT_PB; i++) {
		struct pgm_alloc *h;

		if (i & 1) {
			pgmt_give(zone, pages[i], 0);
			continue;
		}
		h = cpt_adopt(test, inst, pages[i], i < PGMT_PB ?
			      PGM_KIND_ANON : PGM_KIND_KERNEL);
		if (i < PGMT_PB)
			a[i] = h;
	}
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), (long)PGMT_PB);

	cpt_try(test, inst, PGM_COMPACT_PRIO_SYNC_LIGHT, PGM_COMPACT_COMPLETE,
		3, -1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTISOLATED), 256UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			512UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFREE_SCANNED),
			256UL);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 1U);
	KUNIT_EXPECT_TRUE(test, pgm_compaction_deferred(zone, 3));
	for (i = 0; i < PGMT_PB; i += 2)
		KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[i]->page), i);

	cpt_try(test, inst, PGM_MIN_COMPACT_PRIORITY, PGM_COMPACT_COMPLETE, 3,
		-1);
	/* The counters go on from the first run */
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 256UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTISOLATED), 768UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			1024UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFREE_SCANNED),
			1024UL);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 2U);
	for (i = 0; i < PGMT_PB; i += 2)
		KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[i]->page),
				2 * PGMT_PB - 1 - i);
	KUNIT_EXPECT_EQ(test, cpt_pcp_count(zone), (int)PGMT_PB / 2);
	KUNIT_EXPECT_EQ(test, zone->free_area[PGM_PAGEBLOCK_ORDER].nr_free,
			0UL);
	pgm_drain_all_pages(inst, zone);
	KUNIT_EXPECT_EQ(test, zone->free_area[PGM_PAGEBLOCK_ORDER].nr_free,
			1UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), (long)PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Three pageblocks, every page taken: in the first, an order-3 anon
 * allocation at pfn 0, a file page at 8 and an anon page at 9; the
 * third's odd pfns free, as targets. The rest is taken without a record,
 * which no scanner moves. The migrate scanner walks the whole first
 * pageblock for fewer than COMPACT_CLUSTER_MAX pages, and the free
 * scanner stops a pageblock above where it ended: hence the third.
 */
static struct pgm_zone *cpt_mixed(struct kunit *test, struct pgm_alloc **a)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone(test, 3, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_page *block;
	unsigned long i;
	int ret;

	pgmt_free_handles_at_end(test, inst);
	for (i = 0; i < 8; i++)
		pgmt_give(zone, pages[i], 0);
	block = pgmt_take(zone, 3, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_PTR_EQ(test, block, pages[0]);
	a[0] = pgm_alloc_adopt(inst, block, 3, NULL, PGM_KIND_ANON);
	KUNIT_ASSERT_NOT_NULL(test, a[0]);
	pgm_iface_lock(inst);
	ret = pgm_handle_add(inst, a[0], NULL);
	pgm_iface_unlock(inst);
	KUNIT_ASSERT_EQ(test, ret, 0);
	a[1] = cpt_adopt(test, inst, pages[8], PGM_KIND_FILE);
	a[2] = cpt_adopt(test, inst, pages[9], PGM_KIND_ANON);
	for (i = 2 * PGMT_PB + 1; i < 3 * PGMT_PB; i += 2)
		pgmt_give(zone, pages[i], 0);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), (long)PGMT_PB / 2);
	return zone;
}

static enum pgm_compact_result cpt_run(struct pgm_zone *zone, int order,
				       gfp_t gfp)
{
	struct pgm_compact_control cc = {
		.zone = zone,
		.order = order,
		.gfp_mask = gfp,
		.migratetype = PGM_MIGRATE_MOVABLE,
		.highest_zoneidx = PGM_ZONE_NORMAL,
		.priority = PGM_COMPACT_PRIO_SYNC_FULL,
		.search_order = order,
	};

	return pgm_compact_zone(&cc, NULL);
}

/*
 * What isolate_migratepages_block() passes over. For order 3 with
 * GFP_NOFS: the order-3 block (skip_isolation_on_order(): as large as
 * the order wanted) and the file page (a mapping, no __GFP_FS); the anon
 * page at 9 alone moves, into 1025, the tail of the order-0 free list.
 * For order 4 with GFP_KERNEL all three are taken, and move highest
 * first: the anon page into 1025, then, the search having taken what
 * else was free around it (1027-1043, for the ten pages wanted), the
 * file page into 1027. The order-3 block finds no target of its size:
 * 8 pages fail, and -ENOMEM ends the run before the scanners meet
 * (COMPACT_CONTENDED). Upstream's migrate_pages() would split that folio
 * and move its pages one by one; here one handle holds one block, which
 * cannot be split (see Documentation/design.rst).
 */
static void compaction_skipped_folios(struct kunit *test)
{
	struct pgm_alloc *a[3];
	struct pgm_zone *zone = cpt_mixed(test, a);
	struct pgm_instance *inst = zone->zone_pgdat->inst;

	cpt_run(zone, 3, GFP_NOFS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_FAIL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[0]->page), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[1]->page), 8UL);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[2]->page), 2UL * PGMT_PB + 1);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	zone = cpt_mixed(test, a);
	inst = zone->zone_pgdat->inst;
	KUNIT_EXPECT_EQ(test, cpt_run(zone, 4, GFP_KERNEL),
			PGM_COMPACT_CONTENDED);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_FAIL), 8UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[0]->page), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[2]->page), 2UL * PGMT_PB + 1);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[1]->page), 2UL * PGMT_PB + 3);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * fast_find_migrateblock() and the skip bits: a movable order-9 request at
 * PRIO_SYNC_LIGHT, in a NORMAL zone of eight pageblocks above a DMA one
 * (offsets here are the zone's). Pageblocks 0 and 3 hold anon pages, 1
 * and 4 kernel pages; 2 anon pages but for a free order-3 block at 1024;
 * 5, 6 and 7 are free but for an anon page at offset 256 (1541 free).
 * - At the zone start the fast search wants a movable free block of
 *   orders 8 to 3 below the first half of the space to the free scanner
 *   (offset 1536): it reads the three order-8 blocks and the three
 *   blocks of each of orders 7 to 4 (none below), then the order-3 block
 *   at 1024 (16 reads), and the migrate scanner starts at pageblock 2:
 *   pageblocks 0 and 1 are never walked. The batch claims pageblock 2
 *   (its skip bit) and takes 32 pages (40 scanned); the fast free search
 *   takes pageblock 5's order-8 block.
 * - The rest of pageblock 2 (finish_pageblock: 472 pages) moves into
 *   what is left of it and pageblock 6's order-8 block; the drain then
 *   completes pageblock 2, captured.
 * - The run goes on to the next batch: the fast search reads 16 blocks
 *   again, finds none, and sends the scanner back to where it jumped,
 *   pageblock 2, now skipped; pageblock 3 gives 32 pages, into the rest
 *   of pageblock 6's block and pageblock 7's, and the run stops with the
 *   capture.
 * 536 pages moved, 576 pfns scanned by the migrate scanner, 768 by the
 * free one (three order-8 blocks); pageblock 0 untouched.
 */
static void compaction_fast_migrate_block(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone_above(test, PGMT_PB, 8, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long base = zone->zone_start_pfn, i, b;
	struct pgm_page *page;
	struct pgm_alloc **a;

	a = kunit_kcalloc(test, 8 * PGMT_PB, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	pgmt_free_handles_at_end(test, inst);
	cpt_hold_pcp(test, inst);
	for (i = 0; i < 4 * PGMT_PB; i++) {
		b = i / PGMT_PB;
		if (b == 1 || (b == 2 && i < 2 * PGMT_PB + 8))
			continue;
		a[i] = cpt_adopt(test, inst, pages[i], PGM_KIND_ANON);
	}
	for (b = 5; b < 8; b++) {
		for (i = b * PGMT_PB; i < (b + 1) * PGMT_PB; i++) {
			if (i % PGMT_PB == 256)
				cpt_adopt(test, inst, pages[i], PGM_KIND_ANON);
			else
				pgmt_give(zone, pages[i], 0);
		}
	}
	/* Last, so that it heads the order-3 list */
	for (i = 2 * PGMT_PB; i < 2 * PGMT_PB + 8; i++)
		pgmt_give(zone, pages[i], 0);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 1541L);
	KUNIT_ASSERT_EQ(test, zone->free_area[3].nr_free, 4UL);

	page = cpt_try(test, inst, PGM_COMPACT_PRIO_SYNC_LIGHT,
		       PGM_COMPACT_SUCCESS, 9, base + 2 * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 536UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			576UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFREE_SCANNED),
			768UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTISOLATED), 1304UL);
	for (i = 0; i < PGMT_PB; i++)
		KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[i]->page), base + i);
	/* Highest first: 1063 into 5 * 512, the batch's last into 2591 */
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[1063]->page), base + 2560);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[1032]->page), base + 2591);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[1535]->page), base + 2592);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[1312]->page), base + 2815);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[1311]->page), base + 3072);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[1567]->page), base + 3320);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[1559]->page), base + 3584);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[1536]->page), base + 3607);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a[1568]->page), base + 1568);
	/* The last batch's sources and the order-3 rest of the targets */
	KUNIT_EXPECT_EQ(test, cpt_pcp_count(zone), 40);
	if (page)
		pgmt_give(zone, page, 9);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * compact_zone_order() makes a run at MIN_COMPACT_PRIORITY a whole-zone
 * one: its scanners meeting is COMPACT_COMPLETE in a zone that does not
 * start at pfn 0, where at a lower priority the same meeting is
 * COMPACT_PARTIAL_SKIPPED. A NORMAL zone of two pageblocks above a full
 * DMA pageblock, every odd page free, the even ones held off any LRU, so
 * that nothing moves and no order-3 block forms.
 */
static void compaction_min_priority_whole_zone(struct kunit *test)
{
	struct pgm_page **pages, **dma_pages;
	struct pgm_zone *zone = cpt_zone_above(test, PGMT_PB, 2, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long i;

	dma_pages = kunit_kcalloc(test, PGMT_PB, sizeof(*dma_pages),
				  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dma_pages);
	pgmt_take_all(pgmt_zone(inst, 0, PGM_ZONE_DMA), dma_pages, PGMT_PB);
	KUNIT_ASSERT_NE(test, zone->zone_start_pfn, 0UL);
	for (i = 1; i < 2 * PGMT_PB; i += 2)
		pgmt_give(zone, pages[i], 0);

	cpt_try(test, inst, PGM_COMPACT_PRIO_SYNC_LIGHT,
		PGM_COMPACT_PARTIAL_SKIPPED, 3, -1);
	cpt_try(test, inst, PGM_MIN_COMPACT_PRIORITY, PGM_COMPACT_COMPLETE, 3,
		-1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Async direct compaction skips on failure, one cc->order-aligned block
 * at a time; order 2, in a zone above a DMA pageblock, as a NORMAL zone
 * is (so that last_migrated_pfn is never pfn 0). Three pageblocks, every
 * page taken; at offsets in the first: 0 held (a kernel page), anon at
 * 1-3; anon at 4-7; 8 free, anon at 9-11; the rest held. The third's
 * even offsets free, as targets.
 * - The first batch fails the block at 0 (leaving 1-3) and takes 4-7
 *   (5 pfns scanned), moved highest first. The fast free search wants
 *   offsets from 512 (the top quarter of the space from 8 to 1024), reads
 *   8 at the tail of the order-0 list and takes 1024 for 7; each next
 *   page takes the next tail, 1026, 1028, 1030 (one read each). Past its
 *   order-2 block the drain frees 4-7, which merge into an order-2 block.
 * - The second batch takes 9-11 (a free page is no failure; 4 scanned),
 *   11 into 1032, 10 into 1034, 9 into 1036; drained, they and 8 make a
 *   second order-2 block.
 * - The third fails every block to the pageblock's end (125 scanned), and
 *   the two order-2 blocks end the run: 7 pages moved, 8 free pages read
 *   and 134 pfns scanned. Without skip-on-failure the first batch would
 *   take all 10.
 */
static void compaction_async_skip_on_failure(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone_above(test, PGMT_PB, 3, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long base = zone->zone_start_pfn;
	struct pgm_compact_control cc = cpt_async_cc(zone, 2);
	static const unsigned long moved_to[12] = {
		[4] = 1030, 1028, 1026, 1024, [9] = 1036, 1034, 1032,
	};
	struct pgm_alloc *a[12] = { };
	unsigned long i;

	KUNIT_ASSERT_EQ(test, base, (unsigned long)PGMT_PB);
	pgmt_free_handles_at_end(test, inst);
	cpt_hold_pcp(test, inst);
	for (i = 1; i < 12; i++) {
		if (i == 8)
			pgmt_give(zone, pages[i], 0);
		else
			a[i] = cpt_adopt(test, inst, pages[i], PGM_KIND_ANON);
	}
	for (i = 2 * PGMT_PB; i < 3 * PGMT_PB; i += 2)
		pgmt_give(zone, pages[i], 0);

	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL), PGM_COMPACT_SUCCESS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 7UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_FAIL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFREE_SCANNED), 8UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			134UL);
	for (i = 1; i < 12; i++) {
		if (!a[i])
			continue;
		KUNIT_EXPECT_EQ_MSG(test, pgmt_pfn(inst, a[i]->page),
				    base + (moved_to[i] ? moved_to[i] : i),
				    "anon at %lu", i);
	}
	/* Both drains ran: the pcp is empty, the blocks at 4 and 8 free */
	KUNIT_EXPECT_EQ(test, cpt_pcp_count(zone), 0);
	KUNIT_EXPECT_EQ(test, zone->free_area[2].nr_free, 2UL);
	KUNIT_EXPECT_TRUE(test, pages[4]->flags & PGM_PG_BUDDY);
	KUNIT_EXPECT_TRUE(test, pages[8]->flags & PGM_PG_BUDDY);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Async direct compaction for order 1 fails every order-aligned block that
 * holds a page neither free in the buddy nor on an LRU, tail pages too:
 * with an order-3 block on the pcp at offsets 0-7, upstream's
 * isolate_migratepages_block() fails at 0 and again at 2, 4 and 6, then
 * takes the anon pages at 8 and 9 (6 pfns scanned). Their block left, the
 * pcp is drained; the held pages fail at every even offset from 10 to 510
 * (251 more), and at the pageblock's end the order-3 block at 0 ends the
 * run: 257 scanned, where passing the tails would walk 1-7 too (260).
 */
static void compaction_async_pcp_tails_fail(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone_above(test, PGMT_PB, 3, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_compact_control cc = cpt_async_cc(zone, 1);
	unsigned long i;

	pgmt_free_handles_at_end(test, inst);
	cpt_hold_pcp(test, inst);
	/* Offsets 0-7 one order-3 block, freed onto the pcp */
	for (i = 1; i < 8; i++)
		pages[i]->flags &= ~PGM_PG_HEAD;
	pgmt_mark(pages[0], 3, PGM_MIGRATE_MOVABLE);
	pgm_free_pages(inst, pages[0], 3);
	KUNIT_ASSERT_EQ(test, cpt_pcp_count(zone), 8);
	cpt_adopt(test, inst, pages[8], PGM_KIND_ANON);
	cpt_adopt(test, inst, pages[9], PGM_KIND_ANON);
	for (i = 2 * PGMT_PB; i < 3 * PGMT_PB; i += 2)
		pgmt_give(zone, pages[i], 0);

	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL), PGM_COMPACT_SUCCESS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			257UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 2UL);
	KUNIT_EXPECT_EQ(test, cpt_pcp_count(zone), 0);
	KUNIT_EXPECT_TRUE(test, pages[0]->flags & PGM_PG_BUDDY);
	KUNIT_EXPECT_EQ(test, pages[0]->private, 3U);
	KUNIT_EXPECT_TRUE(test, pages[8]->flags & PGM_PG_BUDDY);
	KUNIT_EXPECT_EQ(test, pages[8]->private, 1U);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * pageblock_skip_persistent(): a pageblock one allocation fills is no
 * source. compact_node() over three pageblocks, the first one order-9
 * anon allocation, the second held, the third free: the first pageblock
 * is passed over unwalked, the second walked whole (finish_pageblock, the
 * zone being at pfn 0) for nothing, and the scanners meet: 512 scanned,
 * where walking the first would have stepped over its 512 pages too.
 */
static void compaction_skip_persistent(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone(test, 3, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_compact_control cc = {
		.zone = zone,
		.order = -1,
		.gfp_mask = GFP_KERNEL,
		.highest_zoneidx = PGM_ZONE_NORMAL,
		.priority = PGM_COMPACT_PRIO_SYNC_FULL,
		.sync = true,
		.ignore_skip_hint = true,
	};
	struct pgm_page *block;
	unsigned long i;

	for (i = 0; i < PGMT_PB; i++)
		pgmt_give(zone, pages[i], 0);
	block = pgmt_take(zone, PGM_PAGEBLOCK_ORDER, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_PTR_EQ(test, block, pages[0]);
	for (i = 2 * PGMT_PB; i < 3 * PGMT_PB; i++)
		pgmt_give(zone, pages[i], 0);

	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL),
			PGM_COMPACT_COMPLETE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			512UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTISOLATED), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A free page stays on the list of its pageblock's type when mobility
 * grouping is off: isolating an order-8 target makes its pageblock
 * movable, which without grouping is unmovable, and the pageblock's other
 * free page moves to the unmovable list with it (upstream's forced type
 * left it on the movable list, where the free scanners, unlinking it by
 * the pageblock's type, would corrupt both lists).
 */
static void compaction_mobility_off_isolate(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone(test, 1, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long flags, i;

	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_MOBILITY, 0),
			0);
	for (i = 0; i < 256; i++)
		pages[i]->flags &= ~PGM_PG_HEAD;
	pgmt_give(zone, pages[0], 8);
	pgmt_give(zone, pages[300], 0);
	KUNIT_ASSERT_EQ(test, pgm_get_pfnblock_migratetype(inst, 0),
			PGM_MIGRATE_MOVABLE);

	spin_lock_irqsave(&zone->lock, flags);
	pgm_isolate_free_block_locked(zone, pages[0], 8);
	spin_unlock_irqrestore(&zone->lock, flags);
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst, 0),
			PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_FALSE(test, pgm_free_area_empty(&zone->free_area[0],
						     PGM_MIGRATE_UNMOVABLE));
	KUNIT_EXPECT_TRUE(test, pgm_free_area_empty(&zone->free_area[0],
						    PGM_MIGRATE_MOVABLE));

	/* Given back, as release_free_list() does */
	pages[0]->flags |= PGM_PG_HEAD;
	pgmt_give(zone, pages[0], 8);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* Free pages[0..3] (one order-2 block) to the buddy with @capc set */
static void cpt_free_quad(struct pgm_zone *zone, struct pgm_page **pages,
			  struct pgm_capture_control *capc)
{
	unsigned int i;

	pgm_capture_begin(zone, capc);
	for (i = 0; i < 4; i++)
		pgmt_give(zone, pages[i], 0);
	pgm_capture_end(zone, capc);
}

/*
 * compaction_capture()'s rules, on an order-2 block of a movable
 * pageblock: an unmovable compactor may not take it (it would pollute the
 * movable block), another task's free is never captured, and a movable
 * compactor gets it at the fourth free, which completes order 2. The
 * three frees before it were counted free and the capture takes the four
 * back, so the free count does not move.
 */
static void compaction_capture_rules(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone(test, 1, &pages);
	struct pgm_compact_control cc = {
		.zone = zone,
		.order = 2,
		.migratetype = PGM_MIGRATE_UNMOVABLE,
	};
	struct pgm_capture_control capc = { .cc = &cc, .task = current };
	unsigned int i;

	cpt_free_quad(zone, pages, &capc);
	KUNIT_EXPECT_NULL(test, capc.page);
	KUNIT_EXPECT_EQ(test, zone->free_area[2].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 4L);

	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_PTR_EQ(test, pgmt_take(zone, 0,
						    PGM_MIGRATE_MOVABLE),
				    pages[i]);
	cc.migratetype = PGM_MIGRATE_MOVABLE;
	capc.task = NULL;
	cpt_free_quad(zone, pages, &capc);
	KUNIT_EXPECT_NULL(test, capc.page);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 4L);

	for (i = 0; i < 4; i++)
		pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	capc.task = current;
	cpt_free_quad(zone, pages, &capc);
	KUNIT_EXPECT_PTR_EQ(test, capc.page, pages[0]);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 0L);
	KUNIT_EXPECT_EQ(test, zone->free_area[0].nr_free, 0UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[1].nr_free, 0UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[2].nr_free, 0UL);
	pgmt_give(zone, pages[0], 2);
	KUNIT_EXPECT_EQ(test, zone->free_area[2].nr_free, 1UL);
}

/*
 * Two direct compactors of one zone, as two writers on two CPUs: each
 * captures only what its own task frees (its current->capture_control
 * upstream), and another's control, shown after this task's or shown and
 * hidden again meanwhile, neither takes the block nor hides this one.
 */
static void compaction_capture_per_task(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone(test, 1, &pages);
	struct pgm_compact_control cc = {
		.zone = zone,
		.order = 2,
		.migratetype = PGM_MIGRATE_MOVABLE,
	};
	struct pgm_capture_control mine = { .cc = &cc, .task = current };
	/* Other tasks': only the pointer is compared */
	struct pgm_capture_control other = { .cc = &cc, .task = &init_task };
	struct pgm_capture_control gone = { .cc = &cc, .task = &init_task };
	unsigned int i;

	pgm_capture_begin(zone, &mine);
	pgm_capture_begin(zone, &other);
	pgm_capture_begin(zone, &gone);
	pgm_capture_end(zone, &gone);
	for (i = 0; i < 4; i++)
		pgmt_give(zone, pages[i], 0);
	pgm_capture_end(zone, &other);
	pgm_capture_end(zone, &mine);
	KUNIT_EXPECT_PTR_EQ(test, mine.page, pages[0]);
	KUNIT_EXPECT_NULL(test, other.page);
	KUNIT_EXPECT_NULL(test, gone.page);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 0L);
	KUNIT_EXPECT_TRUE(test, list_empty(&zone->captures));
	pgmt_give(zone, pages[0], 2);
	KUNIT_EXPECT_EQ(test, zone->free_area[2].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 4L);
}

/*
 * compaction_zonelist_suitable() counts 1/order of the reclaimable pages
 * as free: 400 file pages are 44 (400 / 9) for order 9. The mark is the
 * low watermark plus compact_gap(9) = 1024, and the order-0 check needs
 * free pages above it: 43 pages short passes, 44 short fails, though all
 * 400 would cover either.
 */
static void compaction_zonelist_suitable_order(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup_pages(test, 16 * PGMT_PB);
	struct pgm_instance *inst = c->inst;
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_alloc_context ac;
	unsigned int alloc_flags;
	unsigned long need;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, 400, true);
	KUNIT_ASSERT_EQ(test, pgm_zone_reclaimable_pages(zone), 400UL);
	/*
	 * 8192 pages: min_free_kbytes int_sqrt(32768 * 16) = 724, min 181,
	 * low 181 + max(45, 8) = 226; the mark 1250
	 */
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(zone), 226UL);
	need = pgm_low_wmark_pages(zone) + 1024;
	KUNIT_ASSERT_TRUE(test, pgm_prepare_alloc_pages(inst, GFP_KERNEL, 9, 0,
							NULL, &ac,
							&alloc_flags));

	pgmt_mem_to(test, inst, need - 43, false);
	KUNIT_EXPECT_TRUE(test, pgm_compaction_zonelist_suitable(&ac, 9,
								 alloc_flags));
	/* One page fewer */
	KUNIT_ASSERT_NOT_NULL(test, pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE));
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), (long)(need - 44));
	KUNIT_EXPECT_FALSE(test, pgm_compaction_zonelist_suitable(&ac, 9,
								  alloc_flags));
}

/* Render a vmstat.c printer into a string */
/* @got is @want plus the trailing blank and newline upstream prints */
static void cpt_expect_line(struct kunit *test, const char *got,
			    const char *want)
{
	size_t len = strlen(want);

	KUNIT_EXPECT_EQ_MSG(test, strncmp(got, want, len), 0, "got: %s", got);
	got += min(len, strlen(got));
	KUNIT_EXPECT_TRUE(test, got[0] == ' ' && got[1] == '\n' && !got[2]);
}

/*
 * extfrag_index and unusable_index, as debugfs extfrag/ prints them, for
 * four free order-0 pages and one free order-2 block: 8 free pages in 5
 * blocks. unusable_free_index(): (free - suitable << order) * 1000 / free:
 * order 0 none unusable; orders 1 and 2 the four single pages, 500; from
 * order 3 everything. __fragmentation_index(): -1000 up to order 2, then
 * 1000 - (1000 + 8000 / 2^order) / 5: 600, 700, 750, 775, 788, 794, 797,
 * 799.
 */
static void compaction_index_files(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone(test, 1, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long i;

	/* Nothing free: unusable 1.000, fragmentation 0 */
	cpt_expect_line(test, pgmt_render(test, inst, pgm_unusable_show),
			"Node 0, zone   Normal 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000");
	cpt_expect_line(test, pgmt_render(test, inst, pgm_extfrag_show),
			"Node 0, zone   Normal  0.000  0.000  0.000  0.000  0.000  0.000  0.000  0.000  0.000  0.000  0.000");

	for (i = 0; i < 4; i++)
		pgmt_give(zone, pages[2 * i], 0);
	for (i = 16; i < 20; i++)
		pgmt_give(zone, pages[i], 0);
	KUNIT_ASSERT_EQ(test, zone->free_area[2].nr_free, 1UL);
	KUNIT_ASSERT_EQ(test, zone->free_area[0].nr_free, 4UL);

	cpt_expect_line(test, pgmt_render(test, inst, pgm_unusable_show),
			"Node 0, zone   Normal 0.000 0.500 0.500 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000");
	cpt_expect_line(test, pgmt_render(test, inst, pgm_extfrag_show),
			"Node 0, zone   Normal -1.000 -1.000 -1.000  0.600  0.700  0.750  0.775  0.788  0.794  0.797  0.799");
	/* The compaction code reads the same function */
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_index(zone, 3), 600);
}

/*
 * The pageblocks file: one line per block with its buddy-free pages. Four
 * fresh movable blocks (two order-10 blocks); an order-3 block taken from
 * the buddy leaves 504 in the first; block 1536 is free as the second
 * half of the order-10 block at 1024. A read resumed at record 3 starts
 * at block 1024. Pages on a pcp list are on no buddy list: after an
 * order-0 alloc and free, block 0 (where the smallest free blocks are, so
 * where the refill took its batch) has 504 less the pcp's count.
 */
static void compaction_pageblocks_file(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_page *page;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	KUNIT_ASSERT_NOT_NULL(test, pgmt_take(zone, 3, PGM_MIGRATE_MOVABLE));
	KUNIT_EXPECT_STREQ(test, pgmt_render_seq(test, inst,
						 &pgm_pageblocks_sops, 0),
			   "pfn zone migratetype free\n"
			   "0 Normal Movable 504\n"
			   "512 Normal Movable 512\n"
			   "1024 Normal Movable 512\n"
			   "1536 Normal Movable 512\n");
	KUNIT_EXPECT_STREQ(test, pgmt_render_seq(test, inst,
						 &pgm_pageblocks_sops, 3),
			   "1024 Normal Movable 512\n"
			   "1536 Normal Movable 512\n");

	/*
	 * zone_batchsize(2048) is 1: the refill takes pfn 8 from the order-3
	 * block left in pageblock 0, and the free keeps it on the pcp
	 */
	page = pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 8UL);
	pgm_free_pages(inst, page, 0);
	KUNIT_ASSERT_EQ(test, zone->per_cpu_pageset[0].count, 1);
	KUNIT_EXPECT_STREQ(test, pgmt_render_seq(test, inst,
						 &pgm_pageblocks_sops, 1),
			   "0 Normal Movable 503\n512 Normal Movable 512\n"
			   "1024 Normal Movable 512\n1536 Normal Movable 512\n");
}

/*
 * kcompactd. The zone of cpt_zone(): four pageblocks at pfn 0, every page
 * taken, then the odd pfns of the pageblocks in @odd_free given back;
 * the even pfns of pageblock 0 anon allocations with handles when @anon.
 */
static struct pgm_zone *kcd_zone(struct kunit *test, unsigned int odd_free,
				 bool anon)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_handles_zone(test, 0, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long i;

	for (i = 0; i < CPT_PAGES; i++) {
		if ((i & 1) && (odd_free & BIT(i / PGMT_PB)))
			pgmt_give(zone, pages[i], 0);
		else if (!(i & 1) && i < PGMT_PB && anon)
			cpt_adopt(test, inst, pages[i], PGM_KIND_ANON);
	}
	return zone;
}

/*
 * wakeup_kcompactd() keeps the largest order and the lowest highest zone
 * asked for, ignores order 0, and wakes only when a zone up to that
 * highest one gives COMPACT_CONTINUE at the min watermark. The zone: 1024
 * free order-0 pages, so order 3 fails its watermark but passes
 * compaction_suitable() (min + compact_gap() 16 at order 0). A request
 * capped at DMA, empty here, finds nothing to compact. wakeup_kswapd()
 * on a hopeless node (MAX_RECLAIM_RETRIES failures) leaves the order to
 * kcompactd only for a caller that cannot reclaim directly, and still
 * does with the kswapd knob off, which records nothing for kswapd.
 */
static void kcompactd_wakeup(struct kunit *test)
{
	struct pgm_zone *zone = kcd_zone(test, 0xf, false);
	struct pgm_pglist_data *pgdat = zone->zone_pgdat;

	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 2L * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 0);
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_highest_zoneidx,
			PGM_ZONE_NORMAL);

	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kcompactd(pgdat, 0,
						      PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 0);
	KUNIT_EXPECT_TRUE(test, pgm_wakeup_kcompactd(pgdat, 3,
						     PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 3);
	KUNIT_EXPECT_TRUE(test, pgm_wakeup_kcompactd(pgdat, 2,
						     PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 3);
	/* Order 0 records nothing, not even its lower zone, and wakes none */
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kcompactd(pgdat, 0,
						      PGM_ZONE_NORMAL));
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kcompactd(pgdat, 0, PGM_ZONE_DMA));
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_highest_zoneidx,
			PGM_ZONE_NORMAL);
	/* The knob off: not even recorded */
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(pgdat->inst,
						  PGM_POLICY_KCOMPACTD, 0), 0);
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kcompactd(pgdat, 4,
						      PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 3);
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(pgdat->inst,
						  PGM_POLICY_KCOMPACTD, 1), 0);
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kcompactd(pgdat, 2, PGM_ZONE_DMA));
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 3);
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_highest_zoneidx, PGM_ZONE_DMA);

	/* A run up to DMA compacts nothing, then forgets the request */
	pgm_kcompactd_do_work(pgdat);
	KUNIT_EXPECT_EQ(test, pgmt_event(pgdat->inst, PGM_KCOMPACTD_WAKE), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(pgdat->inst,
					 PGM_KCOMPACTD_MIGRATE_SCANNED), 0UL);
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 0);
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_highest_zoneidx,
			PGM_ZONE_NORMAL);

	WRITE_ONCE(pgdat->kswapd_failures, PGM_MAX_RECLAIM_RETRIES);
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(zone, GFP_KERNEL, 3,
						   PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 0);
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(zone, GFP_NOWAIT, 3,
						   PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 3);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_order, 3);

	/* The kswapd knob off: nothing for kswapd, the hand-off stays */
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(pgdat->inst,
						  PGM_POLICY_KSWAPD, 0), 0);
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(zone, GFP_NOWAIT, 4,
						   PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_order, 3);
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 4);
}

/* Ask the node's kcompactd for order 3 up to NORMAL, then run it */
static void kcd_run(struct kunit *test, struct pgm_pglist_data *pgdat)
{
	KUNIT_ASSERT_TRUE(test, pgm_wakeup_kcompactd(pgdat, 3,
						     PGM_ZONE_NORMAL));
	pgm_kcompactd_do_work(pgdat);
}

/*
 * kcompactd_do_work() at order 3 over the zone above, where nothing can
 * move (no page has a handle): the migrate scanner walks pageblocks 0 to
 * 2, 1536 pfns, marking each to be skipped, the free scanner nothing,
 * the scanners meet at pageblock 3 of a zone at pfn 0, COMPACT_COMPLETE:
 * the cached positions go back to the zone's ends (0 and 1536), the skip
 * bits stay (kcompactd does not ask kswapd to reset them), and the zone
 * is deferred as after sync direct compaction (shift 1, order_failed left
 * at 0). The next run is deferred (considered 1 of 2); the one after runs
 * again (considered reaches the limit) and passes over the three marked
 * pageblocks, scanning nothing; shift 2.
 */
static void kcompactd_defers(struct kunit *test)
{
	struct pgm_zone *zone = kcd_zone(test, 0xf, false);
	struct pgm_pglist_data *pgdat = zone->zone_pgdat;
	struct pgm_instance *inst = pgdat->inst;

	kcd_run(test, pgdat);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_WAKE), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_MIGRATE_SCANNED),
			3UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			3UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_FREE_SCANNED), 0UL);
	KUNIT_EXPECT_TRUE(test, pgm_get_pageblock_skip(inst, 0));
	KUNIT_EXPECT_TRUE(test, pgm_get_pageblock_skip(inst, 2 * PGMT_PB));
	KUNIT_EXPECT_FALSE(test, pgm_get_pageblock_skip(inst, 3 * PGMT_PB));
	KUNIT_EXPECT_EQ(test, zone->compact_cached_migrate_pfn[1], 0UL);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_free_pfn, 3UL * PGMT_PB);
	KUNIT_EXPECT_FALSE(test, zone->compact_blockskip_flush);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 1U);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 0);
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 0);

	kcd_run(test, pgdat);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_WAKE), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_MIGRATE_SCANNED),
			3UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 1U);

	kcd_run(test, pgdat);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_MIGRATE_SCANNED),
			3UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_WAKE), 3UL);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 2U);
}

/* A synchronous direct compactor's control for order 3 in @zone */
static struct pgm_compact_control cpt_sync_cc(struct pgm_zone *zone)
{
	struct pgm_compact_control cc = cpt_async_cc(zone, 3);

	cc.priority = PGM_COMPACT_PRIO_SYNC_LIGHT;
	cc.async = false;
	return cc;
}

/*
 * The scanners go on where the last run stopped. A NORMAL zone at pfn 512
 * (above a DMA zone of 512) of four pageblocks, all held but eight anon
 * pages at the start of the second (pfns 1024..1031) and the odd pfns of
 * the last. A synchronous direct compactor at order 3: pageblock 1 (pfn
 * 512) gives nothing, is marked and moves the cached migrate position to
 * pageblock_end_pfn(1024), 1536; pageblock 2's eight pages move to the
 * top pageblock, the drain merges them, COMPACT_SUCCESS at 1536 (1024
 * pfns scanned). The fast free search saw the top pageblock (2048): the
 * cached free position is one pageblock below, 1536. With that block
 * taken, the next run starts there, the scanners meet at once:
 * COMPACT_PARTIAL_SKIPPED, nothing scanned, the positions back at the
 * ends (512, 2048) and compact_blockskip_flush set. The one after passes
 * over the two marked pageblocks and walks only the third (512 pfns).
 */
static void compaction_cached_positions(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_handles_zone(test, PGMT_PB, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_compact_control cc;
	unsigned long i;

	for (i = PGMT_PB; i < PGMT_PB + 8; i++)
		cpt_adopt(test, inst, pages[i], PGM_KIND_ANON);
	for (i = 3 * PGMT_PB + 1; i < CPT_PAGES; i += 2)
		pgmt_give(zone, pages[i], 0);
	KUNIT_ASSERT_EQ(test, zone->compact_cached_migrate_pfn[1],
			(unsigned long)PGMT_PB);
	KUNIT_ASSERT_EQ(test, zone->compact_cached_free_pfn, 4UL * PGMT_PB);

	cc = cpt_sync_cc(zone);
	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL), PGM_COMPACT_SUCCESS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 8UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			2UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_migrate_pfn[0],
			3UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_migrate_pfn[1],
			3UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_free_pfn, 3UL * PGMT_PB);
	KUNIT_EXPECT_FALSE(test, zone->compact_blockskip_flush);
	KUNIT_EXPECT_TRUE(test, pages[PGMT_PB]->flags & PGM_PG_BUDDY);
	KUNIT_ASSERT_PTR_EQ(test, pgmt_take(zone, 3, PGM_MIGRATE_MOVABLE),
			    pages[PGMT_PB]);

	cc = cpt_sync_cc(zone);
	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL),
			PGM_COMPACT_PARTIAL_SKIPPED);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			2UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_migrate_pfn[1],
			(unsigned long)PGMT_PB);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_free_pfn, 4UL * PGMT_PB);
	KUNIT_EXPECT_TRUE(test, zone->compact_blockskip_flush);

	cc = cpt_sync_cc(zone);
	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL),
			PGM_COMPACT_PARTIAL_SKIPPED);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			3UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * What compaction keeps from one run to the next. kcompactd_defers's
 * zone, order 3, a synchronous direct compactor: the first run walks
 * pageblocks 0 to 2 (1536 pfns), marks them, and its scanners meet:
 * COMPACT_COMPLETE, the positions back at the ends, and
 * compact_blockskip_flush set for kswapd. A second run passes over the
 * marked pageblocks and scans nothing. Then pageblock 1's even pages
 * become anon LRU pages, and kswapd's reset_isolation_suitable() walks
 * the zone from both ends, sampling every eighth pfn: pageblock 1 has an
 * LRU page, so its bit is cleared and it becomes compact_init_migrate_pfn;
 * no sample from the top finds a free page (the free pages are the odd
 * pfns), so no free start is found, and with none found the positions
 * are left where the walk crossed: migrate 1024, free 1023, which meet at
 * once. A third run, not whole-zone (1024 is above 512), scans nothing
 * and ends COMPACT_PARTIAL_SKIPPED, setting the positions back again.
 */
static void compaction_skip_bits_persist(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_handles_zone(test, 0, &pages);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_compact_control cc;
	unsigned long i;

	for (i = 1; i < CPT_PAGES; i += 2)
		pgmt_give(zone, pages[i], 0);

	cc = cpt_sync_cc(zone);
	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL),
			PGM_COMPACT_COMPLETE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			3UL * PGMT_PB);
	KUNIT_EXPECT_TRUE(test, zone->compact_blockskip_flush);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_migrate_pfn[0], 0UL);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_free_pfn, 3UL * PGMT_PB);

	cc = cpt_sync_cc(zone);
	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL),
			PGM_COMPACT_COMPLETE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			3UL * PGMT_PB);

	for (i = PGMT_PB; i < 2 * PGMT_PB; i += 2)
		cpt_adopt(test, inst, pages[i], PGM_KIND_ANON);
	pgm_reset_isolation_suitable(zone->zone_pgdat);
	KUNIT_EXPECT_FALSE(test, zone->compact_blockskip_flush);
	KUNIT_EXPECT_TRUE(test, pgm_get_pageblock_skip(inst, 0));
	KUNIT_EXPECT_FALSE(test, pgm_get_pageblock_skip(inst, PGMT_PB));
	KUNIT_EXPECT_TRUE(test, pgm_get_pageblock_skip(inst, 2 * PGMT_PB));
	KUNIT_EXPECT_EQ(test, zone->compact_init_migrate_pfn,
			(unsigned long)PGMT_PB);
	KUNIT_EXPECT_EQ(test, zone->compact_init_free_pfn, 0UL);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_migrate_pfn[1],
			2UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_free_pfn,
			2UL * PGMT_PB - 1);

	cc = cpt_sync_cc(zone);
	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL),
			PGM_COMPACT_PARTIAL_SKIPPED);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			3UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 0UL);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_migrate_pfn[1], 0UL);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_free_pfn, 3UL * PGMT_PB);
}

/*
 * A run that makes the order: a free DMA zone of 512 pages (its order-9
 * block already passes order 3 at min: skipped, nothing scanned) below a
 * NORMAL zone of four pageblocks, all held but pfns 512..519, eight anon
 * pages with handles, and the odd pfns of the last pageblock, free. The
 * migrate scanner walks NORMAL's first pageblock (512 pfns, not the
 * zone's first batch in pageblock 0, so one batch of the 8), they move
 * to the top pageblock, and the drain past their order-aligned block
 * merges them: an order-3 block on a movable list, which an unmovable
 * (GFP_KERNEL) request may steal, COMPACT_SUCCESS at the next pageblock
 * start. compaction_defer_reset(): order_failed 3 + 1, considered and
 * shift kept (no allocation succeeded).
 */
static void kcompactd_success(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_handles_zone(test, PGMT_PB, &pages);
	struct pgm_pglist_data *pgdat = zone->zone_pgdat;
	struct pgm_instance *inst = pgdat->inst;
	unsigned long i;

	for (i = 0; i < 8; i++)
		cpt_adopt(test, inst, pages[i], PGM_KIND_ANON);
	for (i = 3 * PGMT_PB + 1; i < CPT_PAGES; i += 2)
		pgmt_give(zone, pages[i], 0);
	/* Deferred once, the limit of 2 reached by this run's look */
	zone->compact_defer_shift = 1;
	zone->compact_considered = 1;

	kcd_run(test, pgdat);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 8UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_MIGRATE_SCANNED),
			(unsigned long)PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			(unsigned long)PGMT_PB);
	/*
	 * fast_isolate_freepages(): low_pfn 2048 - (1024 >> 2), block 1536;
	 * the order-0 list's tail, 2049, is above it: one read, one page.
	 * fast_isolate_around() walks its pageblock from 2048 for the
	 * other seven, 2051..2063: 16 pfns. 17 in all, kcompactd's
	 */
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_FREE_SCANNED),
			17UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFREE_SCANNED), 17UL);
	KUNIT_EXPECT_TRUE(test, pages[0]->flags & PGM_PG_BUDDY);
	KUNIT_EXPECT_EQ(test, pages[0]->private, 3UL);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 4);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 1U);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 2U);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * fragmentation_score_zone() is extfrag_for_order(9): (free - free in
 * order-9 blocks) * 100 / free; weighted by present_pages / (node's
 * present pages + 1). A free DMA zone of 512 pages (one order-9 block,
 * score 0) under a NORMAL zone of 2048 whose free pages are 256 singles
 * (score 100): 2048 * 100 / 2561 = 79 for the node.
 */
static void kcompactd_fragmentation_score(struct kunit *test)
{
	struct pgm_page **pages;
	struct pgm_zone *zone = cpt_zone_above(test, PGMT_PB, 4, &pages);
	struct pgm_pglist_data *pgdat = zone->zone_pgdat;
	unsigned long i;

	KUNIT_EXPECT_EQ(test, pgm_fragmentation_score_node(pgdat), 0U);
	for (i = 3 * PGMT_PB + 1; i < CPT_PAGES; i += 2)
		pgmt_give(zone, pages[i], 0);
	KUNIT_EXPECT_EQ(test, pgm_extfrag_for_order(zone, 9), 100U);
	KUNIT_EXPECT_EQ(test, pgm_extfrag_for_order(pgmt_zone(pgdat->inst, 0,
							      PGM_ZONE_DMA),
						    9), 0U);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_score_node(pgdat), 79U);
	/*
	 * Eight more pages as an order-3 block: all 264 below order 9 still,
	 * 256 of them below order 3
	 */
	for (i = 8; i < 16; i++)
		pages[i]->flags &= ~PGM_PG_HEAD;
	pgmt_give(zone, pages[8], 3);
	KUNIT_EXPECT_EQ(test, pgm_extfrag_for_order(zone, 9), 100U);
	KUNIT_EXPECT_EQ(test, pgm_extfrag_for_order(zone, 3), 96U);
}

/*
 * Proactive compaction, as kcompactd's timeout runs it. The zone: the
 * anon checkerboard of pageblock 0, pageblocks 1 and 2 held, the odd
 * pfns of pageblock 3 free; the pcp lists off, so that freed sources
 * merge at once. 512 free singles: score 2048 * 100 / 2049 = 99, above
 * the high mark min(max(100 - p, 5) + 10, 100) for a proactiveness p of
 * 12 (98) but not 11 (99). At 20 (low mark 80) compact_node(proactive)
 * moves pageblock 0's 256 pages into pageblock 3's free pages (512 pfns
 * each scanner), pageblock 0 merges into an order-9 block, the zone's
 * score drops to 0, at most 80: COMPACT_SUCCESS. Progress keeps the
 * 500 ms check; none (the same zone without handles) puts it off << 6.
 */
static void kcompactd_proactive(struct kunit *test)
{
	struct pgm_zone *zone = kcd_zone(test, BIT(0) | BIT(3), true);
	struct pgm_pglist_data *pgdat = zone->zone_pgdat;
	struct pgm_instance *inst = pgdat->inst;
	struct pgm_zone *stuck = kcd_zone(test, BIT(0) | BIT(3), false);

	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_PCP, 0), 0);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_score_node(pgdat), 99U);

	KUNIT_ASSERT_EQ(test, pgm_set_compaction_proactiveness(inst, 0), 0);
	KUNIT_EXPECT_FALSE(test, pgm_should_proactive_compact_node(pgdat));
	KUNIT_EXPECT_EQ(test, pgm_kcompactd_proactive(pgdat), 500U);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED), 0UL);
	KUNIT_ASSERT_EQ(test, pgm_set_compaction_proactiveness(inst, 11), 0);
	KUNIT_EXPECT_FALSE(test, pgm_should_proactive_compact_node(pgdat));
	KUNIT_ASSERT_EQ(test, pgm_set_compaction_proactiveness(inst, 12), 0);
	KUNIT_EXPECT_TRUE(test, pgm_should_proactive_compact_node(pgdat));
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_KCOMPACTD, 0),
			0);
	KUNIT_EXPECT_FALSE(test, pgm_should_proactive_compact_node(pgdat));
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_KCOMPACTD, 1),
			0);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(pgdat->proactive_compact_trigger));
	KUNIT_EXPECT_EQ(test, pgm_set_compaction_proactiveness(inst, 101),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, inst->tun.compaction_proactiveness, 12);

	KUNIT_ASSERT_EQ(test, pgm_set_compaction_proactiveness(inst, 20), 0);
	KUNIT_EXPECT_EQ(test, pgm_kcompactd_proactive(pgdat), 500U);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(pgdat->proactive_compact_trigger));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 256UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_MIGRATE_SCANNED),
			(unsigned long)PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_FREE_SCANNED),
			(unsigned long)PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_WAKE), 0UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[PGM_PAGEBLOCK_ORDER].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_score_node(pgdat), 0U);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	/* Nothing moves: the scanners meet, the score stays 99 */
	KUNIT_EXPECT_EQ(test, pgm_kcompactd_proactive(stuck->zone_pgdat),
			500U << PGM_COMPACT_MAX_DEFER_SHIFT);
	KUNIT_EXPECT_EQ(test, pgmt_event(stuck->zone_pgdat->inst,
					 PGM_KCOMPACTD_MIGRATE_SCANNED),
			3UL * PGMT_PB);
}

struct cpt_killed {
	struct pgm_compact_control *cc;
	enum pgm_compact_result ret;
	struct completion done;
};

/* One compaction run from a thread with SIGKILL pending */
static int cpt_killed_fn(void *arg)
{
	struct cpt_killed *k = arg;

	allow_signal(SIGKILL);
	send_sig(SIGKILL, current, 1);
	k->ret = pgm_compact_zone(k->cc, NULL);
	return pgmt_thread_done(&k->done);
}

/*
 * A whole-zone run (compact_node(), order -1) stops on a fatal signal, as
 * upstream's migrate scanner aborts (ISOLATE_ABORT, COMPACT_CONTENDED):
 * killed before it starts, the checkerboard's run scans nothing and moves
 * nothing, where unkilled it moves pageblock 0's 256 pages.
 */
static void compaction_whole_zone_killed(struct kunit *test)
{
	struct pgm_zone *zone = kcd_zone(test, BIT(0) | BIT(3), true);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_compact_control cc = cpt_node_cc(zone);
	struct cpt_killed k = { .cc = &cc };
	struct task_struct *t;

	init_completion(&k.done);
	t = kthread_run(cpt_killed_fn, &k, "cpt_killed");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	wait_for_completion(&k.done);
	kthread_stop(t);
	put_task_struct(t);
	KUNIT_EXPECT_EQ(test, k.ret, PGM_COMPACT_CONTENDED);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED), 0UL);

	cc = cpt_node_cc(zone);
	KUNIT_EXPECT_EQ(test, pgm_compact_zone(&cc, NULL),
			PGM_COMPACT_COMPLETE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 256UL);
}

/*
 * The control file's compact: compact_node() MIGRATE_SYNC over each
 * zone until the scanners meet, whatever the score, reported as each
 * node's score before and after. kcompactd_proactive's zone, pcp lists
 * on: the sources wait on the pcp, pageblock 0 stays 256 free singles
 * and the targets are gone, 99 -> 99, until a drain merges it, 0.
 */
static void kcompactd_compact_command(struct kunit *test)
{
	struct pgm_zone *zone = kcd_zone(test, BIT(0) | BIT(3), true);
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	char status[PGM_STATUS_LEN];
	static const char line[] = "compact nid=0\n";

	cpt_hold_pcp(test, inst);
	KUNIT_ASSERT_EQ(test, pgm_control_run(inst, line, sizeof(line) - 1,
					      status), 0);
	KUNIT_EXPECT_STREQ(test, status,
			   "ok: compacted; fragmentation score by node 0:99->99");
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 256UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTMIGRATE_SCANNED),
			2UL * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_KCOMPACTD_MIGRATE_SCANNED),
			0UL);
	pgm_drain_all_pages(inst, zone);
	KUNIT_EXPECT_EQ(test, pgm_fragmentation_score_node(zone->zone_pgdat),
			0U);
}

/*
 * Node @nid's online host CPUs: host CPU c is pcp CPU c % nr_cpus, on
 * its block of pcp CPUs
 */
static void kcd_node_mask(struct pgm_instance *inst, int nid,
			  struct cpumask *mask)
{
	unsigned int cpu;

	cpumask_clear(mask);
	for_each_online_cpu(cpu)
		if ((cpu % inst->nr_cpus) * inst->nr_nodes / inst->nr_cpus ==
		    nid)
			cpumask_set_cpu(cpu, mask);
}

/*
 * kcompactd_cpu_online(): each kcompactd is bound to its node's online
 * host CPUs, as to x86's cpumask_of_node(); once all of them went
 * offline the scheduler widens the mask (select_fallback_rq(): every
 * possible CPU), and a CPU coming online puts the node's back. Two nodes
 * of one pcp CPU each: host CPU c is on node c % 2. The instance is on
 * the hotplug state's list while its threads run. Needs a second online
 * CPU (the x86_64 kernel).
 */
static void kcompactd_cpu_online(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct task_struct *t;
	struct cpumask *mask;
	int n, i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs");
	mask = kunit_kzalloc(test, cpumask_size(), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mask);
	pgmt_topology(&topo, 2, 0, 0, 2 * PGMT_PB, 0);
	topo.nr_cpus = 2;
	inst = pgmt_create(test, &topo);
	/* No proactive pass: each thread binds itself and sleeps */
	KUNIT_ASSERT_EQ(test, pgm_set_compaction_proactiveness(inst, 0), 0);
	KUNIT_ASSERT_EQ(test, pgm_kcompactd_run(inst), 0);
	KUNIT_EXPECT_TRUE(test, inst->kcompactd_cpuhp_added);
	KUNIT_EXPECT_FALSE(test, hlist_unhashed(&inst->kcompactd_cpuhp));
	for (n = 0; n < 2; n++) {
		t = inst->node_data[n].kcompactd;
		kcd_node_mask(inst, n, mask);
		/* Up to 10 s for it to run on a loaded, emulated machine */
		for (i = 0; i < 500 && !cpumask_equal(t->cpus_ptr, mask); i++)
			msleep(20);
		KUNIT_EXPECT_TRUE_MSG(test, cpumask_equal(t->cpus_ptr, mask),
				      "node %d on %*pbl", n,
				      cpumask_pr_args(t->cpus_ptr));
	}
	KUNIT_EXPECT_FALSE(test, cpumask_equal(mask, cpu_possible_mask));

	/* Node 1's kcompactd as the scheduler leaves it */
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(t, cpu_possible_mask), 0);
	KUNIT_EXPECT_EQ(test, pgm_kcompactd_cpu_online(1,
						       &inst->kcompactd_cpuhp),
			0);
	KUNIT_EXPECT_TRUE_MSG(test, cpumask_equal(t->cpus_ptr, mask),
			      "node 1 on %*pbl", cpumask_pr_args(t->cpus_ptr));
	pgm_kcompactd_stop(inst);
	KUNIT_EXPECT_FALSE(test, inst->kcompactd_cpuhp_added);
}

static struct kunit_case pgmirror_compaction_cases[] = {
	KUNIT_CASE(compaction_fragmentation_index),
	KUNIT_CASE(compaction_suitable),
	KUNIT_CASE(compaction_suitable_noncostly),
	KUNIT_CASE(compaction_suitable_cma),
	KUNIT_CASE(compaction_deferral),
	KUNIT_CASE(compaction_checkerboard),
	KUNIT_CASE(compaction_first_pageblock_whole),
	KUNIT_CASE(compaction_target_poison_checked),
	KUNIT_CASE(compaction_min_priority_whole_zone),
	KUNIT_CASE(compaction_slowpath),
	KUNIT_CASE(compaction_capture),
	KUNIT_CASE(compaction_capture_rules),
	KUNIT_CASE(compaction_capture_per_task),
	KUNIT_CASE(compaction_async_source),
	KUNIT_CASE(compaction_sync_full_targets),
	KUNIT_CASE(compaction_skipped_folios),
	KUNIT_CASE(compaction_async_skip_on_failure),
	KUNIT_CASE(compaction_async_pcp_tails_fail),
	KUNIT_CASE(compaction_fast_migrate_block),
	KUNIT_CASE(compaction_mobility_off_isolate),
	KUNIT_CASE(compaction_skip_persistent),
	KUNIT_CASE(compaction_zonelist_suitable_order),
	KUNIT_CASE(compaction_index_files),
	KUNIT_CASE(compaction_pageblocks_file),
	KUNIT_CASE(kcompactd_wakeup),
	KUNIT_CASE(kcompactd_defers),
	KUNIT_CASE(compaction_skip_bits_persist),
	KUNIT_CASE(compaction_cached_positions),
	KUNIT_CASE(kcompactd_success),
	KUNIT_CASE(kcompactd_fragmentation_score),
	KUNIT_CASE(kcompactd_proactive),
	KUNIT_CASE(kcompactd_compact_command),
	KUNIT_CASE(kcompactd_cpu_online),
	KUNIT_CASE(compaction_whole_zone_killed),
	{}
};

static struct kunit_suite pgmirror_compaction_suite = {
	.name = "pgmirror_compaction",
	.test_cases = pgmirror_compaction_cases,
};

kunit_test_suite(pgmirror_compaction_suite);
