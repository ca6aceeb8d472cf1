// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_explain: the explanation of one request, line by line, for the
 * branches of get_page_from_freelist() and rmqueue() a request can take:
 * a pcp hit; a zone below its low watermark passed for the next one, an
 * empty pcp list refilled by a whole-pageblock claim; and the slow path of
 * a request that may not reclaim.
 */

#include <kunit/test.h>
#include "test_util.h"
#include "explain.h"

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
	char l2[96], l3[96], l4[64];
	struct pgm_page *page;
	const char *text;
	long free;

	KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE,
						    0, 0, NULL));
	free = pgmt_nr_free(zone);
	text = explain_alloc(test, inst, GFP_HIGHUSER_MOVABLE, 0, &page);
	KUNIT_ASSERT_NOT_NULL(test, page);
	snprintf(l2, sizeof(l2), "zone Normal: free %ld above high %lu", free,
		 pgm_high_wmark_pages(zone));
	snprintf(l3, sizeof(l3),
		 "rmqueue: pcp list Movable/0 hands out pfn %lu (%d pages left on the pcp)",
		 pgmt_pfn(inst, page), pcp->count);
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
	char l2[128], l4[96], l5[96], l7[128], l8[64], l9[128], l10[64];
	long low = pgm_low_wmark_pages(normal), free32;
	struct pgm_page *page;
	const char *text;

	while (pgmt_nr_free(normal) > low / 2)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_take(normal, 0,
						      PGM_MIGRATE_MOVABLE));
	free32 = pgmt_nr_free(dma32);
	text = explain_alloc(test, inst, GFP_KERNEL, 0, &page);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_PTR_EQ(test, pgm_page_zone(inst, page), dma32);
	snprintf(l2, sizeof(l2),
		 "zone Normal: free %ld, mark %ld + lowmem_reserve 0 at order 0: watermark fails",
		 pgmt_nr_free(normal), low);
	snprintf(l4, sizeof(l4), "zone DMA32: free %ld above high %lu", free32,
		 pgm_high_wmark_pages(dma32));
	snprintf(l5, sizeof(l5),
		 "rmqueue: pcp list Unmovable/0 empty -> rmqueue_bulk batch %d",
		 pcp->count + 1);
	snprintf(l7, sizeof(l7),
		 "  __rmqueue_claim from Movable order 10: whole pageblocks at pfn %lu become Unmovable",
		 pgmt_pfn(inst, page));
	snprintf(l8, sizeof(l8), "  rmqueue_bulk: %d blocks", pcp->count + 1);
	snprintf(l9, sizeof(l9),
		 "rmqueue: pcp list Unmovable/0 hands out pfn %lu (%d pages left on the pcp)",
		 pgmt_pfn(inst, page), pcp->count);
	snprintf(l10, sizeof(l10), "result: pfn %lu (order 0)",
		 pgmt_pfn(inst, page));
	KUNIT_EXPECT_STREQ(test, text,
			   lines(test, 10,
				 "request order=0 gfp=GFP_KERNEL -> node 0 Normal, Unmovable, alloc_flags=WMARK_LOW|NOFRAGMENT|KSWAPD",
				 l2,
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
	char low[96], min[96];
	struct pgm_page *page;
	const char *text;
	const char *skip = "  node_reclaim: zone_reclaim_mode 0 or too far: skipped";

	while (pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE))
		;
	text = explain_alloc(test, inst, GFP_NOWAIT | __GFP_NOWARN, 0, &page);
	KUNIT_EXPECT_NULL(test, page);
	snprintf(low, sizeof(low),
		 "zone Normal: free 0, mark %lu + lowmem_reserve 0 at order 0: watermark fails",
		 pgm_low_wmark_pages(zone));
	snprintf(min, sizeof(min),
		 "zone Normal: free 0, mark %lu + lowmem_reserve 0 at order 0: watermark fails",
		 pgm_min_wmark_pages(zone));
	KUNIT_EXPECT_STREQ(test, text,
			   lines(test, 15,
				 "request order=0 gfp=GFP_NOWAIT -> node 0 Normal, Unmovable, alloc_flags=WMARK_LOW|NOFRAGMENT|KSWAPD",
				 low, skip,
				 "no zone without fragmenting a pageblock: retry without NOFRAGMENT",
				 low, skip, "fast path failed: the slow path",
				 "slowpath: wake_kswapd, result 1", min, skip,
				 "slowpath: wake_kswapd, result 1", min, skip,
				 "slowpath: nopage, result 0, cannot_reclaim",
				 "result: no page"));
}

/*
 * An order-4 request is not a pcp order: it goes to rmqueue_buddy(), and
 * on a fresh movable zone __rmqueue_smallest() finds its block at once.
 */
static void explain_buddy_path(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 64 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	char l2[96], l4[64];
	struct pgm_page *page;
	const char *text;
	long free = pgmt_nr_free(zone);

	text = explain_alloc(test, inst, GFP_HIGHUSER_MOVABLE, 4, &page);
	KUNIT_ASSERT_NOT_NULL(test, page);
	snprintf(l2, sizeof(l2), "zone Normal: free %ld above high %lu", free,
		 pgm_high_wmark_pages(zone));
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
	char l3[96], l4[96], l6[128], l7[64], l8[128], l9[64];
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

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	page = pgm_alloc_pages_owner(inst, GFP_KERNEL, 0, 0, &both, owner);
	pgm_explain_end(inst);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_PTR_EQ(test, pgm_page_zone(inst, page), n1);
	text = inst->explain->buf;
	count = n1->per_cpu_pageset[0].count;
	snprintf(l3, sizeof(l3), "zone Normal: free %ld above high %lu", free,
		 pgm_high_wmark_pages(n1));
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
static void explain_steal(struct kunit *test)
{
	struct pgm_instance *inst = two_zones(test, 0, 4 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;
	unsigned long flags;
	const char *steal =
		"  __rmqueue_steal from Movable order 8: pfn 0, its pageblock stays Movable";

	KUNIT_ASSERT_EQ(test, pgm_set_claim_threshold(inst, 257), 0);
	pgmt_half_free_block(test, inst, 256);

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	spin_lock_irqsave(&zone->lock, flags);
	page = pgm___rmqueue(zone, 0, PGM_MIGRATE_UNMOVABLE, 0);
	spin_unlock_irqrestore(&zone->lock, flags);
	pgm_explain_end(inst);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pgmt_mark(page, 0, PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_STREQ(test, inst->explain->buf,
			   lines(test, 3,
				 "  __rmqueue_smallest Unmovable: nothing at orders 0..10",
				 "  __rmqueue_claim from Movable order 8: 256 free + 0 alike < 257 -> pageblock at pfn 0 stays Movable",
				 steal));
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
	char fail_n0[128], fail_d0[128], ok_n1[96], l12[96], l14[128];
	char l15[64], l16[128], l17[64];
	struct pgm_page *page;
	long free_n1;
	int count;

	pgmt_topology(&topo, 2, 0, 32 * PGMT_PB, 32 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	n0 = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	d0 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	n1 = pgmt_zone(inst, 1, PGM_ZONE_NORMAL);
	drain_to(test, n0, pgm_low_wmark_pages(n0) / 2);
	drain_to(test, d0, pgm_low_wmark_pages(d0) / 2);
	free_n1 = pgmt_nr_free(n1);

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	pgm_explain_end(inst);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_PTR_EQ(test, pgm_page_zone(inst, page), n1);
	count = n1->per_cpu_pageset[0].count;
	snprintf(fail_n0, sizeof(fail_n0),
		 "zone Normal: free %ld, mark %lu + lowmem_reserve 0 at order 0: watermark fails",
		 pgmt_nr_free(n0), pgm_low_wmark_pages(n0));
	snprintf(fail_d0, sizeof(fail_d0),
		 "zone DMA32: free %ld, mark %lu + lowmem_reserve %ld at order 0: watermark fails",
		 pgmt_nr_free(d0), pgm_low_wmark_pages(d0),
		 d0->lowmem_reserve[PGM_ZONE_NORMAL]);
	snprintf(ok_n1, sizeof(ok_n1), "zone Normal: free %ld above high %lu",
		 free_n1, pgm_high_wmark_pages(n1));
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
			   lines(test, 17,
				 "request order=0 gfp=GFP_KERNEL -> node 0 Normal, Unmovable, alloc_flags=WMARK_LOW|NOFRAGMENT|KSWAPD",
				 fail_n0, skip, fail_d0, skip,
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
	char low[128], min[128], hit[128], ok[96], res[64];
	const char *text, *head;
	struct pgm_page *page;

	drain_to(test, zone, pgm_min_wmark_pages(zone) / 2);
	snprintf(low, sizeof(low),
		 "zone Normal: free %ld, mark %lu + lowmem_reserve 0 at order 0: watermark fails",
		 pgmt_nr_free(zone), pgm_low_wmark_pages(zone));
	snprintf(min, sizeof(min),
		 "zone Normal: free %ld, mark %lu + lowmem_reserve 0 at order 0: watermark fails",
		 pgmt_nr_free(zone), pgm_min_wmark_pages(zone));
	text = explain_alloc(test, inst, GFP_KERNEL | __GFP_MEMALLOC, 0, &page);
	KUNIT_ASSERT_NOT_NULL(test, page);
	snprintf(hit, sizeof(hit),
		 "rmqueue: pcp list Unmovable/0 hands out pfn %lu (%d pages left on the pcp)",
		 pgmt_pfn(inst, page), zone->per_cpu_pageset[0].count);
	snprintf(ok, sizeof(ok), "slowpath: success, result %lu, retry",
		 pgmt_pfn(inst, page));
	snprintf(res, sizeof(res), "result: pfn %lu (order 0)",
		 pgmt_pfn(inst, page));
	/* The refill in the middle depends on the batch: compare around it */
	head = lines(test, 11,
		     "request order=0 gfp=GFP_KERNEL|__GFP_MEMALLOC -> node 0 Normal, Unmovable, alloc_flags=WMARK_LOW|NOFRAGMENT|KSWAPD",
		     low, skip,
		     "no zone without fragmenting a pageblock: retry without NOFRAGMENT",
		     low, skip, "fast path failed: the slow path",
		     "slowpath: wake_kswapd, result 1", min, skip,
		     "slowpath: wake_kswapd, result 1");
	KUNIT_EXPECT_TRUE(test, str_has_prefix(text, head));
	KUNIT_EXPECT_NOT_NULL(test,
			      strnstr(text,
				      "\nzone Normal: below the mark, but NO_WATERMARKS\nrmqueue: pcp list Unmovable/0 empty",
				      PGM_EXPLAIN_LEN));
	KUNIT_EXPECT_NOT_NULL(test, strnstr(text, lines(test, 3, hit, ok, res),
					    PGM_EXPLAIN_LEN));
}

static struct kunit_case explain_cases[] = {
	KUNIT_CASE(explain_pcp_hit),
	KUNIT_CASE(explain_skip_and_claim),
	KUNIT_CASE(explain_slowpath_nopage),
	KUNIT_CASE(explain_buddy_path),
	KUNIT_CASE(explain_cpuset),
	KUNIT_CASE(explain_steal),
	KUNIT_CASE(explain_nofragment_remote),
	KUNIT_CASE(explain_no_watermarks),
	{}
};

static struct kunit_suite explain_suite = {
	.name = "pgmirror_explain",
	.test_cases = explain_cases,
};

kunit_test_suite(explain_suite);
