// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_explain: the explanation of one request, line by line, for the
 * branches of get_page_from_freelist() and rmqueue() a request can take:
 * a pcp hit; a zone below its low watermark passed for the next one, an
 * empty pcp list refilled by a whole-pageblock claim; a claim refused for
 * a small block and the steal after it, or under NOFRAGMENT no steal; a
 * high-order atomic request served from the highatomic reserve; and the
 * slow path of a request that may not reclaim.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include "test_util.h"
#include "cmd.h"
#include "explain.h"
#include "lru.h"

static struct pgm_instance *two_zones(struct kunit *test, unsigned long dma32,
				      unsigned long normal)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, 1, 0, dma32, normal, 0);
	return pgmt_create(test, &topo);
}

/* Explain one pgm_alloc_pages() and return the text */
static const char *explain_alloc(struct kunit *test, struct pgm_instance *inst,
				 gfp_t gfp, unsigned int order,
				 struct pgm_page **page)
{
	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	*page = pgm_alloc_pages(inst, gfp, order, 0, NULL);
	pgm_explain_end(inst);
	KUNIT_EXPECT_FALSE(test, inst->explain->truncated);
	return inst->explain->buf;
}

/* @want, the lines joined with newlines, each from a format */
static char *lines(struct kunit *test, int n, ...)
{
	char *buf = kunit_kzalloc(test, PGM_EXPLAIN_LEN, GFP_KERNEL);
	size_t len = 0;
	va_list args;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	va_start(args, n);
	for (i = 0; i < n; i++)
		len += scnprintf(buf + len, PGM_EXPLAIN_LEN - len, "%s\n",
				 va_arg(args, const char *));
	va_end(args);
	return buf;
}

/*
 * @buf: a watermark check's line with no reserve flag and no boost, as
 * __zone_watermark_ok() compares: free - unusable > mark + lowmem_reserve.
 * A failed "high" is the check before the request's own mark, which only
 * marks the zone ZONE_BELOW_HIGH.
 */
static char *wm_line(struct kunit *test, const char *zone, const char *name,
		     unsigned long mark, long free, long unusable, long reserve)
{
	char *buf = kunit_kzalloc(test, 160, GFP_KERNEL);
	bool pass = free - unusable > (long)mark + reserve;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	snprintf(buf, 160,
		 "zone %s: %s %lu: free %ld - unusable %ld %s %lu + lowmem_reserve %ld: %s",
		 zone, name, mark, free, unusable, pass ? ">" : "<=", mark,
		 reserve, pass ? "passes" : !strcmp(name, "high") ?
		 "below high: ZONE_BELOW_HIGH set" : "watermark fails");
	return buf;
}

/*
 * nr_pcp_alloc() for an order-0 refill of an empty pcp that has not
 * refilled before (alloc_factor 0): the batch, as max_nr_alloc is never
 * below it, or 1 when high is below the batch. Read before the request;
 * @upstream is zone_batchsize()'s, which the pcp must hold.
 */
static int first_batch(struct kunit *test, struct pgm_per_cpu_pages *pcp,
		       int upstream)
{
	int high = clamp(READ_ONCE(pcp->high), READ_ONCE(pcp->high_min),
			 READ_ONCE(pcp->high_max));

	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, pcp->alloc_factor, 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pcp->batch), upstream);
	KUNIT_EXPECT_GE(test, high, upstream);
	return upstream;
}

/*
 * A movable order-0 request on one Normal zone with its pcp list already
 * filled: the high watermark passes and the list hands out its first page.
 * ALLOC_CMA comes with a movable request, ALLOC_KSWAPD with
 * __GFP_KSWAPD_RECLAIM, and NOFRAGMENT with a Normal zone on a one-node
 * machine: alloc_flags_nofragment() assumes DMA32 below it there.
 */
static void explain_pcp_hit(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 64 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	char l3[96], l4[64], *l2;
	struct pgm_page *page;
	const char *text;
	long free;

	KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE,
						    0, 0, NULL));
	free = pgmt_nr_free(zone);
	/*
	 * 32768 pages: min_free_kbytes 1448, min 362, high 362 + 2 * 90;
	 * the first refill took 7
	 */
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(zone), 542UL);
	KUNIT_ASSERT_EQ(test, free, 32761L);
	text = explain_alloc(test, inst, GFP_HIGHUSER_MOVABLE, 0, &page);
	KUNIT_ASSERT_NOT_NULL(test, page);
	l2 = wm_line(test, "Normal", "high", pgm_high_wmark_pages(zone), free,
		     0, 0);
	/* A refill of zone_batchsize(32768) = 7, the second page out */
	KUNIT_EXPECT_EQ(test, pcp->count, 5);
	snprintf(l3, sizeof(l3),
		 "rmqueue: pcp list Movable/0 hands out pfn %lu (5 pages left on the pcp)",
		 pgmt_pfn(inst, page));
	snprintf(l4, sizeof(l4), "result: pfn %lu (order 0)",
		 pgmt_pfn(inst, page));
	KUNIT_EXPECT_STREQ(test, text,
			   lines(test, 4,
				 "request order=0 gfp=GFP_HIGHUSER_MOVABLE -> node 0 Normal, Movable, alloc_flags=WMARK_LOW|CMA|NOFRAGMENT|KSWAPD",
				 l2, l3, l4));
}

/*
 * GFP_KERNEL with Normal below its low watermark: Normal fails it (node
 * reclaim is off), DMA32 passes high, its empty Unmovable pcp list is
 * refilled, and as DMA32 holds only movable pageblocks the first block
 * claims a whole order-10 block; the rest of the batch comes from it.
 * NOFRAGMENT is set for Normal on one node.
 */
static void explain_skip_and_claim(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 64 * PGMT_PB, 64 * PGMT_PB);
	struct pgm_zone *normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_zone *dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	struct pgm_per_cpu_pages *pcp = &dma32->per_cpu_pageset[0];
	char l5[96], l7[128], l8[64], l9[128], l10[64], *l1, *l2, *l4;
	long low = pgm_low_wmark_pages(normal), free32;
	int batch;
	struct pgm_page *page;
	const char *text;

	/*
	 * 65536 pages: min 512 split 256 a zone, low 320, high 384; DMA32
	 * keeps 32768 / 256 = 128 from Normal's requests
	 */
	KUNIT_ASSERT_EQ(test, low, 320L);
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(normal), 384UL);
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(dma32), 384UL);
	KUNIT_ASSERT_EQ(test, dma32->lowmem_reserve[PGM_ZONE_NORMAL], 128L);
	while (pgmt_nr_free(normal) > low / 2)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_take(normal, 0,
						      PGM_MIGRATE_MOVABLE));
	free32 = pgmt_nr_free(dma32);
	KUNIT_ASSERT_EQ(test, free32, 32768L);
	/* zone_batchsize(32768) = 7; DMA32's low is 256 + 64 */
	batch = first_batch(test, pcp, 7);
	text = explain_alloc(test, inst, GFP_KERNEL, 0, &page);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_PTR_EQ(test, pgm_page_zone(inst, page), dma32);
	l1 = wm_line(test, "Normal", "high", pgm_high_wmark_pages(normal),
		     pgmt_nr_free(normal), 0, 0);
	l2 = wm_line(test, "Normal", "low", low, pgmt_nr_free(normal), 0, 0);
	l4 = wm_line(test, "DMA32", "high", pgm_high_wmark_pages(dma32), free32,
		     0, dma32->lowmem_reserve[PGM_ZONE_NORMAL]);
	snprintf(l5, sizeof(l5),
		 "rmqueue: pcp list Unmovable/0 empty -> rmqueue_bulk batch %d",
		 batch);
	snprintf(l7, sizeof(l7),
		 "  __rmqueue_claim from Movable order 10: whole pageblocks at pfn %lu become Unmovable",
		 pgmt_pfn(inst, page));
	snprintf(l8, sizeof(l8), "  rmqueue_bulk: %d blocks", batch);
	snprintf(l9, sizeof(l9),
		 "rmqueue: pcp list Unmovable/0 hands out pfn %lu (%d pages left on the pcp)",
		 pgmt_pfn(inst, page), batch - 1);
	snprintf(l10, sizeof(l10), "result: pfn %lu (order 0)",
		 pgmt_pfn(inst, page));
	KUNIT_EXPECT_STREQ(test, text,
			   lines(test, 11,
				 "request order=0 gfp=GFP_KERNEL -> node 0 Normal, Unmovable, alloc_flags=WMARK_LOW|NOFRAGMENT|KSWAPD",
				 l1, l2,
				 "  node_reclaim: zone_reclaim_mode 0 or too far: skipped",
				 l4, l5,
				 "  __rmqueue_smallest Unmovable: nothing at orders 0..10",
				 l7, l8, l9, l10));
}

/*
 * GFP_NOWAIT (which has __GFP_NOWARN in 6.12) with nothing free: the fast
 * path fails at the low mark, with NOFRAGMENT and again without it; the
 * slow path (no NOFRAGMENT there) wakes kswapd, fails at min,
 * wakes it again at the retry, fails again and gives up, as it may not
 * reclaim.
 */
static void explain_slowpath_nopage(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 4 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;
	const char *text, *high, *low, *min;
	const char *skip = "  node_reclaim: zone_reclaim_mode 0 or too far: skipped";

	/* 2048 pages: min 90, low 112, high 134 */
	KUNIT_ASSERT_EQ(test, pgm_min_wmark_pages(zone), 90UL);
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(zone), 112UL);
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(zone), 134UL);
	while (pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE))
		;
	text = explain_alloc(test, inst, GFP_NOWAIT | __GFP_NOWARN, 0, &page);
	KUNIT_EXPECT_NULL(test, page);
	/* NON_BLOCK without MIN_RESERVE lowers nothing */
	high = wm_line(test, "Normal", "high", pgm_high_wmark_pages(zone), 0, 0,
		       0);
	low = wm_line(test, "Normal", "low", pgm_low_wmark_pages(zone), 0, 0, 0);
	min = wm_line(test, "Normal", "min", pgm_min_wmark_pages(zone), 0, 0, 0);
	KUNIT_EXPECT_STREQ(test, text,
			   lines(test, 17,
				 "request order=0 gfp=GFP_NOWAIT -> node 0 Normal, Unmovable, alloc_flags=WMARK_LOW|NOFRAGMENT|KSWAPD",
				 high, low, skip,
				 "no zone without fragmenting a pageblock: retry without NOFRAGMENT",
				 low, skip, "fast path failed: the slow path",
				 /* gfp_to_alloc_flags(): no direct reclaim */
				 "slowpath: alloc_flags WMARK_MIN|NON_BLOCK|CPUSET|KSWAPD",
				 "slowpath: wake_kswapd, result 1", min, skip,
				 "slowpath: wake_kswapd, result 1", min, skip,
				 "slowpath: nopage, result 0, cannot_reclaim",
				 "result: no page"));
}

/*
 * wakeup_kswapd() on a node kswapd has given up on (MAX_RECLAIM_RETRIES
 * failures) hands a request that cannot reclaim to kcompactd: the zone's
 * free pages are 1024 singles, so order 3 fails but compaction could make
 * it (COMPACT_CONTINUE at min), and kcompactd is woken; kswapd is not.
 */
static void explain_kcompactd_handoff(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 4 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page **pages;
	struct pgm_page *page;
	const char *text, *want;
	unsigned long i;

	pages = kunit_kcalloc(test, 4 * PGMT_PB, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_take_all(zone, pages, 4 * PGMT_PB);
	for (i = 1; i < 4 * PGMT_PB; i += 2)
		pgmt_give(zone, pages[i], 0);
	WRITE_ONCE(inst->node_data[0].kswapd_failures, PGM_MAX_RECLAIM_RETRIES);

	text = explain_alloc(test, inst, GFP_NOWAIT | __GFP_NOWARN, 3, &page);
	KUNIT_EXPECT_NULL(test, page);
	want = lines(test, 2,
		     "  node 0 given up by kswapd: kcompactd asked for order 3, woken",
		     "slowpath: wake_kswapd, result 0");
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, want));
	KUNIT_EXPECT_EQ(test, inst->node_data[0].kcompactd_max_order, 3);
}

/*
 * An order-4 request is not a pcp order: it goes to rmqueue_buddy(), and
 * on a fresh movable zone __rmqueue_smallest() finds its block at once.
 */
static void explain_buddy_path(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 64 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	char l4[64], *l2;
	struct pgm_page *page;
	const char *text;
	long free = pgmt_nr_free(zone);

	KUNIT_ASSERT_EQ(test, free, 32768L);
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(zone), 542UL);
	text = explain_alloc(test, inst, GFP_HIGHUSER_MOVABLE, 4, &page);
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* An order-4 request may not count 2^4 - 1 of the free pages */
	l2 = wm_line(test, "Normal", "high", pgm_high_wmark_pages(zone), free,
		     15, 0);
	snprintf(l4, sizeof(l4), "result: pfn %lu (order 4)",
		 pgmt_pfn(inst, page));
	KUNIT_EXPECT_STREQ(test, text,
			   lines(test, 4,
				 "request order=4 gfp=GFP_HIGHUSER_MOVABLE -> node 0 Normal, Movable, alloc_flags=WMARK_LOW|CMA|NOFRAGMENT|KSWAPD",
				 l2,
				 "rmqueue_buddy: order 4 from the buddy lists under the zone lock",
				 l4));
}

/*
 * An owner allowed node 1 only, asking with a nodemask of node 0 only:
 * the fast path passes node 0 by for the cpuset and has no other zone.
 * So does the slow path's first attempt, GFP_USER being __GFP_HARDWALL
 * (GFP_KERNEL's would take node 0 from the root cpuset, as
 * cpuset_node_allowed() lets a request that is not hardwall). Then its
 * check_retry_cpuset() drops the nodemask, as upstream's does for a
 * mempolicy that misses the cpuset, and starts over: node 1 serves.
 */
static void explain_nodemask_misses_owner(struct kunit *test)
{
	static const char * const want[] = {
		"zone Normal: not in the owner's nodes (cpuset): skipped",
		"slowpath: the nodemask misses the owner's nodes: restart without it",
	};
	struct pgm_nodemask only0 = { };
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_owner *owner;
	struct pgm_page *page;

	pgmt_topology(&topo, 2, 0, 0, 64 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	owner = pgmt_node_owner(test, inst, "n1", 1);
	__set_bit(0, only0.bits);

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	page = pgm_alloc_pages_owner(inst, GFP_USER, 0, 0, &only0, owner);
	pgm_explain_end(inst);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_PTR_EQ(test, pgm_page_zone(inst, page),
			    pgmt_zone(inst, 1, PGM_ZONE_NORMAL));
	pgmt_expect_lines(test, inst->explain->buf, want, ARRAY_SIZE(want));
}

/*
 * An owner allowed node 1 only, asking with a nodemask of both nodes:
 * ALLOC_CPUSET, so node 0's Normal is passed by for the cpuset and node
 * 1's serves. Two nodes with nothing below Normal: no NOFRAGMENT.
 */
static void explain_cpuset(struct kunit *test)
{
	struct pgm_nodemask both = { };
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *n1;
	struct pgm_owner *owner;
	struct pgm_page *page;
	char l4[96], l6[128], l7[64], l8[128], l9[64], *l3;
	const char *text;
	int count;
	long free;

	pgmt_topology(&topo, 2, 0, 0, 64 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	n1 = pgmt_zone(inst, 1, PGM_ZONE_NORMAL);
	owner = pgmt_node_owner(test, inst, "n1", 1);
	__set_bit(0, both.bits);
	__set_bit(1, both.bits);
	free = pgmt_nr_free(n1);
	KUNIT_ASSERT_EQ(test, free, 32768L);
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(n1), 384UL);
	/* zone_batchsize(32768) = 7; node 1's low is 256 + 64 */
	count = first_batch(test, &n1->per_cpu_pageset[0], 7) - 1;

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	page = pgm_alloc_pages_owner(inst, GFP_KERNEL, 0, 0, &both, owner);
	pgm_explain_end(inst);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_PTR_EQ(test, pgm_page_zone(inst, page), n1);
	text = inst->explain->buf;
	l3 = wm_line(test, "Normal", "high", pgm_high_wmark_pages(n1), free, 0,
		     0);
	snprintf(l4, sizeof(l4),
		 "rmqueue: pcp list Unmovable/0 empty -> rmqueue_bulk batch %d",
		 count + 1);
	snprintf(l6, sizeof(l6),
		 "  __rmqueue_claim from Movable order 10: whole pageblocks at pfn %lu become Unmovable",
		 pgmt_pfn(inst, page));
	snprintf(l7, sizeof(l7), "  rmqueue_bulk: %d blocks", count + 1);
	snprintf(l8, sizeof(l8),
		 "rmqueue: pcp list Unmovable/0 hands out pfn %lu (%d pages left on the pcp)",
		 pgmt_pfn(inst, page), count);
	snprintf(l9, sizeof(l9), "result: pfn %lu (order 0)",
		 pgmt_pfn(inst, page));
	KUNIT_EXPECT_STREQ(test, text,
			   lines(test, 9,
				 "request order=0 gfp=GFP_KERNEL -> node 0 Normal, Unmovable, alloc_flags=WMARK_LOW|CPUSET|KSWAPD",
				 "zone Normal: not in the owner's nodes (cpuset): skipped",
				 l3, l4,
				 "  __rmqueue_smallest Unmovable: nothing at orders 0..10",
				 l6, l7, l8, l9));
}

/*
 * A claim refused (256 free + 0 alike below a threshold of 257) and the
 * steal that follows, told by __rmqueue() under the zone lock.
 */
/* One order-0 __rmqueue() of @mt explained, under the zone lock */
static const char *explain_rmqueue(struct kunit *test, struct pgm_zone *zone,
				   int mt)
{
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_page *page;
	unsigned long flags;

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	spin_lock_irqsave(&zone->lock, flags);
	page = pgm___rmqueue(zone, 0, mt, 0);
	spin_unlock_irqrestore(&zone->lock, flags);
	pgm_explain_end(inst);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pgmt_mark(page, 0, mt);
	return inst->explain->buf;
}

/*
 * An unmovable order-0 __rmqueue() on a pageblock with 256 pages free as
 * one order-8 block, the claim threshold at 257, mobility grouping @on
 */
static const char *rmqueue_half_free(struct kunit *test, int on)
{
	struct pgm_instance *inst = two_zones(test, 0, 4 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	KUNIT_ASSERT_EQ(test, pgm_set_claim_threshold(inst, 257), 0);
	pgmt_half_free_block(test, inst, 256);
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_MOBILITY,
						  on), 0);

	return explain_rmqueue(test, zone, PGM_MIGRATE_UNMOVABLE);
}

static void explain_steal(struct kunit *test)
{
	const char *steal =
		"  __rmqueue_steal from Movable order 8: pfn 0, its pageblock stays Movable";

	KUNIT_EXPECT_STREQ(test, rmqueue_half_free(test, 1),
			   lines(test, 3,
				 "  __rmqueue_smallest Unmovable: nothing at orders 0..10",
				 "  __rmqueue_claim from Movable order 8: 256 free + 0 alike < 257 -> pageblock at pfn 0 stays Movable",
				 steal));
}

/*
 * page_group_by_mobility_disabled claims whatever the counts: the line
 * keeps the comparison that failed and says why the block is claimed
 * all the same.
 */
static void explain_claim_grouping_off(struct kunit *test)
{
	char claim[160];

	snprintf(claim, sizeof(claim),
		 "  __rmqueue_claim from Movable order %d: %d free + %d alike < %d (mobility grouping off) -> pageblock at pfn %d becomes Unmovable",
		 8, 256, 0, 257, 0);

	KUNIT_EXPECT_STREQ(test, rmqueue_half_free(test, 0),
			   lines(test, 2,
				 "  __rmqueue_smallest Unmovable: nothing at orders 0..10",
				 claim));
}

/*
 * try_to_claim_block() counts as movable the pages on an LRU
 * (PageLRU), whatever they were asked for with. Pageblock 0 of a
 * four-block zone holds 150 free pages (pfns 0..149: orders 7, 4, 2, 1),
 * 100 file pages on the LRU asked for without __GFP_MOVABLE (150..249)
 * and 262 kernel pages asked for with it (250..511); the zone's other
 * blocks are taken. An unmovable order-0 request finds the order-7 block:
 * movable 100, so alike = 512 - (150 + 100) = 262, and 150 + 262 >= 256
 * claims the block. A movable one, with the block unmovable: alike =
 * movable = 100, 150 + 100 < 256, and the block stays.
 */
static const char *claim_lru_rmqueue(struct kunit *test, int mt)
{
	struct pgm_instance *inst = two_zones(test, 0, 4 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page **pages;
	const char *text;
	int i;

	pgmt_half_free_block(test, inst, PGMT_PB);
	pages = kunit_kcalloc(test, PGMT_PB, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_take_all(zone, pages, PGMT_PB);
	for (i = 0; i < 150; i++)
		pgmt_give(zone, pages[i], 0);
	for (; i < 250; i++)
		pgmt_adopt(test, inst, pgmt_mark(pages[i], 0,
						 PGM_MIGRATE_UNMOVABLE),
			   0, PGM_KIND_FILE);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 150L);
	if (mt == PGM_MIGRATE_MOVABLE)
		pgmt_block0_unmovable(test, inst, 150);

	text = explain_rmqueue(test, zone, mt);
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst, 0),
			PGM_MIGRATE_UNMOVABLE);
	return text;
}

static void explain_claim_counts_lru(struct kunit *test)
{
	static const char * const unmovable[] = {
		"  __rmqueue_claim from Movable order 7: 150 free + 262 alike >= 256 -> pageblock at pfn 0 becomes Unmovable",
	};
	static const char * const movable[] = {
		"  __rmqueue_claim from Unmovable order 7: 150 free + 100 alike < 256 -> pageblock at pfn 0 stays Unmovable",
	};

	pgmt_expect_lines(test, claim_lru_rmqueue(test, PGM_MIGRATE_UNMOVABLE),
			  unmovable, ARRAY_SIZE(unmovable));
	pgmt_expect_lines(test, claim_lru_rmqueue(test, PGM_MIGRATE_MOVABLE),
			  movable, ARRAY_SIZE(movable));
}

/*
 * A movable order-0 __rmqueue() whose only free block is an unmovable
 * order-3 one at pfn 0, with @alloc_flags; *@pfn is the page's, or -1
 */
static const char *rmqueue_small_foreign(struct kunit *test,
					 unsigned int alloc_flags, long *pfn)
{
	struct pgm_instance *inst = two_zones(test, 0, 4 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;
	unsigned long flags;

	pgmt_half_free_block(test, inst, 8);
	pgmt_block0_unmovable(test, inst, 8);

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	spin_lock_irqsave(&zone->lock, flags);
	page = pgm___rmqueue(zone, 0, PGM_MIGRATE_MOVABLE, alloc_flags);
	spin_unlock_irqrestore(&zone->lock, flags);
	pgm_explain_end(inst);
	*pfn = -1;
	if (page) {
		pgmt_mark(page, 0, PGM_MIGRATE_MOVABLE);
		*pfn = pgmt_pfn(inst, page);
	}
	return inst->explain->buf;
}

/*
 * can_steal_fallback() lets a movable request claim only from a block of
 * pageblock_order / 2 = 4 up: the claim walk, from the largest order
 * down, stops at the order-3 block, and the steal walk, from order 0 up,
 * takes its first page.
 */
static void explain_claim_too_small(struct kunit *test)
{
	const char *steal =
		"  __rmqueue_steal from Unmovable order 3: pfn 0, its pageblock stays Unmovable";
	long pfn;
	const char *text = rmqueue_small_foreign(test, 0, &pfn);

	KUNIT_ASSERT_EQ(test, PGM_PAGEBLOCK_ORDER / 2, 4);
	KUNIT_EXPECT_STREQ(test, text,
			   lines(test, 3,
				 "  __rmqueue_smallest Movable: nothing at orders 0..10",
				 "  __rmqueue_claim from Unmovable order 3: too small to claim its pageblock",
				 steal));
	KUNIT_EXPECT_EQ(test, pfn, 0L);
}

/*
 * ALLOC_NOFRAGMENT: the claim walk starts at pageblock_order and finds
 * nothing there, and __rmqueue() does not steal; the request fails here
 * and get_page_from_freelist() tries the other zones first.
 */
static void explain_nofragment_no_steal(struct kunit *test)
{
	long pfn;
	const char *text = rmqueue_small_foreign(test, PGM_ALLOC_NOFRAGMENT,
						 &pfn);

	KUNIT_EXPECT_STREQ(test, text,
			   lines(test, 2,
				 "  __rmqueue_smallest Movable: nothing at orders 0..10",
				 "  NOFRAGMENT: a steal would fragment a pageblock: not here"));
	KUNIT_EXPECT_EQ(test, pfn, -1L);
}

/*
 * The watermark passes but the zone has no block to give: every
 * pageblock of a lone Normal zone is movable and misses its first page,
 * so nothing is free at pageblock_order, where NOFRAGMENT's claim walk
 * starts, and NOFRAGMENT refuses the steal. rmqueue_bulk() gets no
 * block, and get_page_from_freelist() goes on to the next zone; with
 * none it retries without NOFRAGMENT. An unmovable request may claim at
 * any order: the claim walk takes a half pageblock, try_to_steal_block()
 * finds the pageblock's other free pages and claims it (PB - 1 free of
 * PB, and the page taken, a kernel page off the LRU, alike), and
 * __rmqueue_smallest() hands out its smallest free block, the page after
 * the one taken.
 */
static void explain_no_block_next_zone(struct kunit *test)
{
	static const char * const want[] = {
		"  NOFRAGMENT: a steal would fragment a pageblock: not here",
		"zone Normal: no block: next zone",
		"no zone without fragmenting a pageblock: retry without NOFRAGMENT",
	};
	struct pgm_instance *inst = two_zones(test, 0, 4 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page **pages;
	struct pgm_page *page;
	const char *text;
	unsigned long i;
	char claim[128];

	pages = kunit_kcalloc(test, 4 * PGMT_PB, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_take_all(zone, pages, 4 * PGMT_PB);
	for (i = 0; i < 4 * PGMT_PB; i++) {
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		if (i % PGMT_PB)
			pgmt_give(zone, pages[i], 0);
	}
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 4L * (PGMT_PB - 1));
	KUNIT_ASSERT_EQ(test, zone->free_area[PGM_PAGEBLOCK_ORDER].nr_free, 0UL);

	text = explain_alloc(test, inst, GFP_KERNEL, 0, &page);
	pgmt_expect_lines(test, text, want, ARRAY_SIZE(want));
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page) % PGMT_PB, 1UL);
	snprintf(claim, sizeof(claim),
		 "  __rmqueue_claim from Movable order %d: %lu free + 1 alike >= %lu -> pageblock at pfn %lu becomes Unmovable",
		 PGM_PAGEBLOCK_ORDER - 1, PGMT_PB - 1, PGMT_PB / 2,
		 pgmt_pfn(inst, page) - 1);
	/* After the retry: the first pass claimed nothing */
	text = strstr(text, want[2]);
	KUNIT_ASSERT_NOT_NULL(test, text);
	pgmt_expect_lines(test, text, (const char * const []){ claim }, 1);
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst,
							   pgmt_pfn(inst, page)),
			PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_NOFRAGMENT_RETRY), 1UL);
}

/*
 * A high-order atomic request with the slow path's flags claims an
 * order-10 movable block whole (try_to_steal_block() expands it from its
 * first page, so the upper halves stay free at orders 9..4) and reserves
 * its pageblock (reserve_highatomic_pageblock()). The next one,
 * ALLOC_HIGHATOMIC too, is served in rmqueue_buddy() from the reserve
 * first: its smallest block of order 4 up, the order-4 half at +16. Then
 * the reserve is given back.
 */
static void explain_highatomic_reserve(struct kunit *test)
{
	/* A reserve needs 1% of the zone to be a pageblock at least */
	struct pgm_instance *inst = two_zones(test, 0, 220 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_alloc_context ac = { };
	unsigned int alloc_flags = 0;
	struct pgm_page *first, *page;
	unsigned long pfn;
	char line[128];

	first = pgmt_highatomic_alloc(test, inst, 4, &ac, &alloc_flags);
	pfn = pgmt_pfn(inst, first);
	KUNIT_ASSERT_EQ(test, pfn % (PGMT_PB * 2), 0UL);
	KUNIT_ASSERT_EQ(test, zone->nr_reserved_highatomic, PGMT_PB);

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	page = pgm_get_page_from_freelist(GFP_ATOMIC, 4, alloc_flags, &ac);
	pgm_explain_end(inst);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), pfn + 16);
	snprintf(line, sizeof(line),
		 "  HIGHATOMIC: pfn %lu from the highatomic reserve", pfn + 16);
	pgmt_expect_lines(test, inst->explain->buf,
			  (const char * const []){
			  "rmqueue_buddy: order 4 from the buddy lists under the zone lock",
			  line }, 2);

	/*
	 * unreserve_highatomic_pageblock() keeps the last block unless
	 * forced; forced, it finds the reserve's first free block from
	 * order 0 up, the order-5 half at +32, and gives its pageblock back
	 * as the request's type
	 */
	KUNIT_EXPECT_FALSE(test, pgm_unreserve_highatomic_pageblock(&ac, false));
	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	KUNIT_EXPECT_TRUE(test, pgm_unreserve_highatomic_pageblock(&ac, true));
	pgm_explain_end(inst);
	snprintf(line, sizeof(line),
		 "  highatomic: the pageblock of pfn %lu given back as Unmovable (0 pages reserved in Normal)",
		 pfn + 32);
	KUNIT_EXPECT_STREQ(test, inst->explain->buf, lines(test, 1, line));
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, 0UL);
	pgm_free_pages(inst, page, 4);
	pgm_free_pages(inst, first, 4);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* Take order-0 pages from @zone until it has at most @left free */
static void drain_to(struct kunit *test, struct pgm_zone *zone, long left)
{
	while (pgmt_nr_free(zone) > left)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_take(zone, 0,
						      PGM_MIGRATE_MOVABLE));
}

/*
 * Two nodes, node 0 with DMA32 below Normal: NOFRAGMENT. Both of node 0's
 * zones are below low; reaching node 1's Normal under NOFRAGMENT restarts
 * the walk without it, node 0 fails again and node 1 serves.
 */
static void explain_nofragment_remote(struct kunit *test)
{
	const char *skip = "  node_reclaim: zone_reclaim_mode 0 or too far: skipped";
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *n0, *d0, *n1;
	char l12[96], l14[128], *fail_n0, *fail_d0, *ok_n1, *high_n0, *high_d0;
	char l15[64], l16[128], l17[64];
	struct pgm_page *page;
	long free_n1;
	int count;

	pgmt_topology(&topo, 2, 0, 32 * PGMT_PB, 32 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	n0 = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	d0 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	n1 = pgmt_zone(inst, 1, PGM_ZONE_NORMAL);
	/*
	 * 65536 pages: min 512 split 128 a zone, low 160, high 192; DMA32
	 * keeps 16384 / 256 = 64 from Normal's requests
	 */
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(n0), 160UL);
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(d0), 160UL);
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(n0), 192UL);
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(d0), 192UL);
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(n1), 192UL);
	KUNIT_ASSERT_EQ(test, d0->lowmem_reserve[PGM_ZONE_NORMAL], 64L);
	drain_to(test, n0, pgm_low_wmark_pages(n0) / 2);
	drain_to(test, d0, pgm_low_wmark_pages(d0) / 2);
	free_n1 = pgmt_nr_free(n1);
	KUNIT_ASSERT_EQ(test, free_n1, 16384L);
	/* zone_batchsize(16384) = 3; node 1 Normal's low is 128 + 32 */
	count = first_batch(test, &n1->per_cpu_pageset[0], 3) - 1;

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	pgm_explain_end(inst);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_PTR_EQ(test, pgm_page_zone(inst, page), n1);
	high_n0 = wm_line(test, "Normal", "high", pgm_high_wmark_pages(n0),
			  pgmt_nr_free(n0), 0, 0);
	high_d0 = wm_line(test, "DMA32", "high", pgm_high_wmark_pages(d0),
			  pgmt_nr_free(d0), 0,
			  d0->lowmem_reserve[PGM_ZONE_NORMAL]);
	fail_n0 = wm_line(test, "Normal", "low", pgm_low_wmark_pages(n0),
			  pgmt_nr_free(n0), 0, 0);
	fail_d0 = wm_line(test, "DMA32", "low", pgm_low_wmark_pages(d0),
			  pgmt_nr_free(d0), 0,
			  d0->lowmem_reserve[PGM_ZONE_NORMAL]);
	ok_n1 = wm_line(test, "Normal", "high", pgm_high_wmark_pages(n1),
			free_n1, 0, 0);
	snprintf(l12, sizeof(l12),
		 "rmqueue: pcp list Unmovable/0 empty -> rmqueue_bulk batch %d",
		 count + 1);
	snprintf(l14, sizeof(l14),
		 "  __rmqueue_claim from Movable order 10: whole pageblocks at pfn %lu become Unmovable",
		 pgmt_pfn(inst, page));
	snprintf(l15, sizeof(l15), "  rmqueue_bulk: %d blocks", count + 1);
	snprintf(l16, sizeof(l16),
		 "rmqueue: pcp list Unmovable/0 hands out pfn %lu (%d pages left on the pcp)",
		 pgmt_pfn(inst, page), count);
	snprintf(l17, sizeof(l17), "result: pfn %lu (order 0)",
		 pgmt_pfn(inst, page));
	KUNIT_EXPECT_STREQ(test, inst->explain->buf,
			   lines(test, 19,
				 "request order=0 gfp=GFP_KERNEL -> node 0 Normal, Unmovable, alloc_flags=WMARK_LOW|NOFRAGMENT|KSWAPD",
				 high_n0, fail_n0, skip, high_d0, fail_d0, skip,
				 "zone Normal: remote under NOFRAGMENT: retry without NOFRAGMENT",
				 fail_n0, skip, fail_d0, skip, ok_n1, l12,
				 "  __rmqueue_smallest Unmovable: nothing at orders 0..10",
				 l14, l15, l16, l17));
}

/*
 * __GFP_MEMALLOC with the zone below min: the fast path and the first
 * slow-path try fail on the marks; at the retry gfp_pfmemalloc_flags()
 * gives ALLOC_NO_WATERMARKS and the zone serves below its marks.
 */
static void explain_no_watermarks(struct kunit *test)
{
	const char *skip = "  node_reclaim: zone_reclaim_mode 0 or too far: skipped";
	struct pgm_instance *inst = two_zones(test, 0, 64 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	char hit[128], ok[96], res[64], nowm[256];
	const char *text, *head, *high, *low, *min;
	struct pgm_page *page;

	/* 32768 pages: min 362, low 452, high 542 */
	KUNIT_ASSERT_EQ(test, pgm_min_wmark_pages(zone), 362UL);
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(zone), 452UL);
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(zone), 542UL);
	drain_to(test, zone, pgm_min_wmark_pages(zone) / 2);
	high = wm_line(test, "Normal", "high", pgm_high_wmark_pages(zone),
		       pgmt_nr_free(zone), 0, 0);
	low = wm_line(test, "Normal", "low", pgm_low_wmark_pages(zone),
		      pgmt_nr_free(zone), 0, 0);
	min = wm_line(test, "Normal", "min", pgm_min_wmark_pages(zone),
		      pgmt_nr_free(zone), 0, 0);
	text = explain_alloc(test, inst, GFP_KERNEL | __GFP_MEMALLOC, 0, &page);
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* The empty list refilled with a batch of 7, one handed out */
	snprintf(hit, sizeof(hit),
		 "rmqueue: pcp list Unmovable/0 hands out pfn %lu (6 pages left on the pcp)",
		 pgmt_pfn(inst, page));
	snprintf(ok, sizeof(ok), "slowpath: success, result %lu, retry",
		 pgmt_pfn(inst, page));
	snprintf(res, sizeof(res), "result: pfn %lu (order 0)",
		 pgmt_pfn(inst, page));
	/* The refill in the middle depends on the batch: compare around it */
	/*
	 * gfp_to_alloc_flags() starts at min with cpusets; at the retry
	 * gfp_pfmemalloc_flags() replaces all but KSWAPD with NO_WATERMARKS.
	 */
	head = lines(test, 14,
		     "request order=0 gfp=GFP_KERNEL|__GFP_MEMALLOC -> node 0 Normal, Unmovable, alloc_flags=WMARK_LOW|NOFRAGMENT|KSWAPD",
		     high, low, skip,
		     "no zone without fragmenting a pageblock: retry without NOFRAGMENT",
		     low, skip, "fast path failed: the slow path",
		     "slowpath: alloc_flags WMARK_MIN|CPUSET|KSWAPD",
		     "slowpath: wake_kswapd, result 1", min, skip,
		     "slowpath: wake_kswapd, result 1",
		     "slowpath: alloc_flags WMARK_MIN|NO_WATERMARKS|KSWAPD, the reserves (gfp_pfmemalloc_flags())");
	KUNIT_EXPECT_TRUE(test, str_has_prefix(text, head));
	/* The retry's check fails at min too, and NO_WATERMARKS serves */
	snprintf(nowm, sizeof(nowm), "\n%s%s",
		 lines(test, 2, min,
		       "zone Normal: below the mark, but NO_WATERMARKS"),
		 "rmqueue: pcp list Unmovable/0 empty");
	KUNIT_EXPECT_NOT_NULL(test, strnstr(text, nowm, PGM_EXPLAIN_LEN));
	KUNIT_EXPECT_NOT_NULL(test, strnstr(text, lines(test, 3, hit, ok, res),
					    PGM_EXPLAIN_LEN));
}

/*
 * GFP_ATOMIC in the slow path: ALLOC_MIN_RESERVE halves min and
 * ALLOC_NON_BLOCK takes a quarter of what is left (__zone_watermark_ok()),
 * and the line shows the mark that was compared. At exactly the lowered
 * mark the check fails; one page more passes.
 */
static void explain_reserve_lowered(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 64 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	unsigned long min = pgm_min_wmark_pages(zone);
	long half = min - min / 2, lowered = half - half / 4;
	gfp_t gfp = GFP_ATOMIC | __GFP_NOWARN;
	struct pgm_page *page, *spare;
	char want[192];
	const char *text;

	/* 362: MIN_RESERVE halves it to 181, NON_BLOCK takes a quarter off */
	KUNIT_ASSERT_EQ(test, min, 362UL);
	KUNIT_ASSERT_EQ(test, lowered, 136L);
	drain_to(test, zone, lowered + 1);
	spare = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, spare);

	text = explain_alloc(test, inst, gfp, 0, &page);
	KUNIT_EXPECT_NULL(test, page);
	snprintf(want, sizeof(want),
		 "\nzone Normal: min %lu lowered to %ld by MIN_RESERVE|NON_BLOCK: free %ld - unusable 0 <= %ld + lowmem_reserve 0: watermark fails\n",
		 min, lowered, lowered, lowered);
	KUNIT_EXPECT_NOT_NULL(test, strnstr(text, want, PGM_EXPLAIN_LEN));

	pgmt_give(zone, spare, 0);
	text = explain_alloc(test, inst, gfp, 0, &page);
	KUNIT_EXPECT_NOT_NULL(test, page);
	snprintf(want, sizeof(want),
		 "\nzone Normal: min %lu lowered to %ld by MIN_RESERVE|NON_BLOCK: free %ld - unusable 0 > %ld + lowmem_reserve 0: passes\n",
		 min, lowered, lowered + 1, lowered);
	KUNIT_EXPECT_NOT_NULL(test, strnstr(text, want, PGM_EXPLAIN_LEN));
}

/*
 * zone_watermark_fast() decides an order-0 request on the mark as it is
 * when the usable free pages clear it: GFP_ATOMIC with min + 1 free fails
 * low in the fast path, and in the slow path passes min without the
 * lowering its MIN_RESERVE|NON_BLOCK would give __zone_watermark_ok().
 */
static void explain_order0_fast_check(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 64 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	unsigned long min = pgm_min_wmark_pages(zone);
	struct pgm_page *page;
	const char *text;
	char *low, *pass;

	KUNIT_ASSERT_EQ(test, min, 362UL);
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(zone), 452UL);
	drain_to(test, zone, min + 1);
	low = wm_line(test, "Normal", "low", pgm_low_wmark_pages(zone), min + 1,
		      0, 0);
	pass = wm_line(test, "Normal", "min", min, min + 1, 0, 0);
	text = explain_alloc(test, inst, GFP_ATOMIC | __GFP_NOWARN, 0, &page);
	KUNIT_EXPECT_NOT_NULL(test, page);
	pgmt_expect_lines(test, text,
			  (const char * const []){ low,
			  "fast path failed: the slow path", pass }, 3);
	KUNIT_EXPECT_NULL(test, strstr(text, "lowered"));
}

/*
 * zone_watermark_fast(): a __GFP_HIGH order-0 request checked at min fails
 * against the boosted mark and is checked again at min without the boost.
 * GFP_ATOMIC in the slow path has MIN_RESERVE|NON_BLOCK, which lower a
 * mark m to h - h / 4 with h = m - m / 2. With a boost of min and free at
 * the boosted mark's lowered value, the first check fails and the second
 * passes, and the request is served.
 */
static void explain_boost_ignored(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 64 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	unsigned long min = zone->_watermark[PGM_WMARK_MIN];
	unsigned long boosted = 2 * min;
	long hb = boosted - boosted / 2, lb = hb - hb / 4;
	long h0 = min - min / 2, l0 = h0 - h0 / 4;
	char fail[192], pass[192], want[400];
	struct pgm_page *page;
	const char *text;

	/* 724 lowered to 362, then 272; 362 lowered to 181, then 136 */
	KUNIT_ASSERT_EQ(test, min, 362UL);
	KUNIT_ASSERT_EQ(test, lb, 272L);
	KUNIT_ASSERT_EQ(test, l0, 136L);
	drain_to(test, zone, lb);
	zone->watermark_boost = min;
	text = explain_alloc(test, inst, GFP_ATOMIC | __GFP_NOWARN, 0, &page);
	KUNIT_EXPECT_NOT_NULL(test, page);
	snprintf(fail, sizeof(fail),
		 "zone Normal: min %lu (boost %lu) lowered to %ld by MIN_RESERVE|NON_BLOCK: free %ld - unusable 0 <= %ld + lowmem_reserve 0: watermark fails",
		 boosted, min, lb, lb, lb);
	snprintf(pass, sizeof(pass),
		 "zone Normal: min %lu (boost %lu ignored) lowered to %ld by MIN_RESERVE|NON_BLOCK: free %ld - unusable 0 > %ld + lowmem_reserve 0: passes",
		 min, min, l0, lb, l0);
	snprintf(want, sizeof(want), "\n%s\n%s\n", fail, pass);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strnstr(text, want, PGM_EXPLAIN_LEN),
				  "%s", text);
	zone->watermark_boost = 0;
}

/*
 * A full text ends its steps with "...truncated" and keeps the room for
 * the closing lines, which follow it.
 */
static void explain_truncated_keeps_tail(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 4 * PGMT_PB);
	const char *buf, *end;
	int i;

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	for (i = 0; i < PGM_EXPLAIN_LEN / 64 && !inst->explain->truncated; i++)
		pgm_explain_add(inst, "step %04d %080d", i, 0);
	pgm_explain_add(inst, "a step after the cut");
	pgm_explain_add_tail(inst, "result: no page");
	pgm_explain_end(inst);
	buf = inst->explain->buf;
	KUNIT_EXPECT_TRUE(test, inst->explain->truncated);
	KUNIT_EXPECT_LT(test, strlen(buf), (size_t)PGM_EXPLAIN_LEN);
	KUNIT_EXPECT_EQ(test, strlen(buf), inst->explain->len);
	end = buf + strlen(buf) - strlen("...truncated\nresult: no page\n");
	KUNIT_EXPECT_STREQ(test, end, "...truncated\nresult: no page\n");
	KUNIT_EXPECT_NULL(test, strnstr(buf, "after the cut", PGM_EXPLAIN_LEN));
}

/*
 * A second explained request while one is in flight is refused, not
 * mixed in: the instance keeps one explanation.
 */
static void explain_busy(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 4 * PGMT_PB);

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	pgm_explain_add(inst, "first");
	KUNIT_EXPECT_EQ(test, pgm_explain_begin(inst), -EBUSY);
	pgm_explain_end(inst);
	KUNIT_EXPECT_STREQ(test, inst->explain->buf, "first\n");
	KUNIT_EXPECT_EQ(test, pgm_explain_begin(inst), 0);
	pgm_explain_end(inst);
}

struct explain_writer {
	struct pgm_instance *inst;
	char status[PGM_STATUS_LEN];
	struct completion done;
	int ret;
};

static int explain_writer_fn(void *arg)
{
	static const char line[] = "alloc order=0 explain=1\n";
	struct explain_writer *w = arg;

	w->ret = pgm_control_run(w->inst, line, sizeof(line) - 1, w->status);
	complete(&w->done);
	return 0;
}

/*
 * An explained alloc takes iface_lock shared, as any alloc: it runs while
 * another context (kswapd, a writer) holds the lock shared, so that the
 * request sees the instance as an unexplained one would.
 */
static void explain_lock_shared(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 4 * PGMT_PB);
	struct explain_writer *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct task_struct *t;
	unsigned long left;

	KUNIT_ASSERT_NOT_NULL(test, w);
	w->inst = inst;
	init_completion(&w->done);
	down_read(&inst->iface_lock);
	t = kthread_run(explain_writer_fn, w, "pgmt-explain");
	if (IS_ERR(t)) {
		up_read(&inst->iface_lock);
		KUNIT_FAIL(test, "no writer thread");
		return;
	}
	left = wait_for_completion_timeout(&w->done, 10 * HZ);
	up_read(&inst->iface_lock);
	if (!left)
		wait_for_completion(&w->done);
	KUNIT_EXPECT_NE_MSG(test, left, 0UL,
			    "the explained alloc waited for a shared holder");
	KUNIT_EXPECT_EQ(test, w->ret, 0);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(inst->explain->buf,
					       "request order=0 gfp=GFP_KERNEL"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(inst->explain->buf, "\nhandle 1\n"));

	/* While this context holds the explanation, a write is refused */
	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	explain_writer_fn(w);
	pgm_explain_end(inst);
	KUNIT_EXPECT_EQ(test, w->ret, -EBUSY);
	KUNIT_EXPECT_STREQ(test, w->status,
			   "error: EBUSY: another explained request is in progress");
}

/* A request prepare_alloc_pages() refuses still leaves its lines */
static void explain_refused(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 4 * PGMT_PB);
	struct pgm_page *page;

	KUNIT_EXPECT_STREQ(test,
			   explain_alloc(test, inst, GFP_KERNEL,
					 PGM_MAX_PAGE_ORDER + 1, &page),
			   lines(test, 2,
				 "request order=11 gfp=GFP_KERNEL -> node 0: not a request the allocator takes",
				 "result: no page"));
	KUNIT_EXPECT_NULL(test, page);
}

/*
 * An owner at a max of 0: the block is found, the charge fails and the
 * block is freed (mem_cgroup_charge() after the allocation), and the
 * text says so after its result.
 */
static void explain_charge_failed(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 4 * PGMT_PB);
	struct pgm_owner *owner = pgm_owner_create(inst, "m", NULL, 0);
	const char *tail = "\nmemcg: the charge to owner m failed: the block freed\n";
	const char *text;
	size_t len;

	KUNIT_ASSERT_FALSE(test, IS_ERR(owner));
	owner->max = 0;
	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	KUNIT_EXPECT_NULL(test, pgm_alloc_create(inst, GFP_NOWAIT, 0, 0, owner,
						 PGM_KIND_KERNEL));
	pgm_explain_end(inst);
	text = inst->explain->buf;
	len = strlen(text);
	KUNIT_ASSERT_GT(test, len, strlen(tail));
	KUNIT_EXPECT_STREQ(test, text + len - strlen(tail), tail);
	KUNIT_EXPECT_NOT_NULL(test, strnstr(text, "\nresult: pfn ",
					    PGM_EXPLAIN_LEN));
}

static struct kunit_case explain_cases[] = {
	KUNIT_CASE(explain_pcp_hit),
	KUNIT_CASE(explain_skip_and_claim),
	KUNIT_CASE(explain_slowpath_nopage),
	KUNIT_CASE(explain_kcompactd_handoff),
	KUNIT_CASE(explain_buddy_path),
	KUNIT_CASE(explain_cpuset),
	KUNIT_CASE(explain_steal),
	KUNIT_CASE(explain_nofragment_remote),
	KUNIT_CASE(explain_no_watermarks),
	KUNIT_CASE(explain_claim_grouping_off),
	KUNIT_CASE(explain_claim_counts_lru),
	KUNIT_CASE(explain_claim_too_small),
	KUNIT_CASE(explain_nofragment_no_steal),
	KUNIT_CASE(explain_no_block_next_zone),
	KUNIT_CASE(explain_highatomic_reserve),
	KUNIT_CASE(explain_nodemask_misses_owner),
	KUNIT_CASE(explain_reserve_lowered),
	KUNIT_CASE(explain_boost_ignored),
	KUNIT_CASE(explain_order0_fast_check),
	KUNIT_CASE(explain_lock_shared),
	KUNIT_CASE(explain_truncated_keeps_tail),
	KUNIT_CASE(explain_busy),
	KUNIT_CASE(explain_refused),
	KUNIT_CASE(explain_charge_failed),
	{}
};

static struct kunit_suite explain_suite = {
	.name = "pgmirror_explain",
	.test_cases = explain_cases,
};

kunit_test_suite(explain_suite);
