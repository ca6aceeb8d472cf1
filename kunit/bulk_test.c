// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_bulk: alloc_pages_bulk() as 6.12 has it.
 *
 * The bulk path takes the pcp list of the request's migratetype under one
 * pcp lock, refilling it from the buddy as a single allocation would, so
 * a bulk of N and N single allocations on the same fresh zone hand out the
 * same pfns in the same order and leave the same pcp count, high and
 * counters. It gives up to the single allocator, which returns one page,
 * for one page to fill, a local zone below its low watermark plus N, and
 * a first usable zone on another node.
 */

#include <kunit/test.h>
#include "test_util.h"
#include "pgmirror_trace.h"
#include "lru.h"

static struct pgm_instance *bulk_instance(struct kunit *test,
					  unsigned int nodes)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, nodes, 0, 0, 64 * PGMT_PB, 0);
	return pgmt_create(test, &topo);
}

/*
 * Bulk and single allocations agree page for page, and both refill as
 * nr_pcp_alloc() does. 32768 pages: min_free_kbytes int_sqrt(131072 *
 * 16) = 1448, min 362, low and high_min 362 + 90 = 452, batch 7. Each
 * refill raises high by its batch and doubles the next: 7, 14, 28 and
 * 56 pages, high 459, 473, 501 and 557, and 105 - 100 = 5 left over.
 */
static void bulk_matches_single(struct kunit *test)
{
	struct pgm_instance *bulk = bulk_instance(test, 1);
	struct pgm_instance *single = bulk_instance(test, 1);
	struct pgm_zone *bz = pgmt_zone(bulk, 0, PGM_ZONE_NORMAL);
	struct pgm_zone *sz = pgmt_zone(single, 0, PGM_ZONE_NORMAL);
	struct pgm_page **pages;
	unsigned int i, n = 100;

	pages = kunit_kcalloc(test, n, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_EQ(test, pgm___alloc_pages_bulk(bulk, GFP_KERNEL, 0, NULL,
						     n, pages), (unsigned long)n);
	/*
	 * The first refill claims the order-10 block at 0 and expand()
	 * leaves its upper halves: each refill takes the lowest pfns, in
	 * order, and the pcp hands them out from the head: page i is pfn i
	 */
	for (i = 0; i < n; i++) {
		struct pgm_page *page = pgm_alloc_pages(single, GFP_KERNEL, 0,
							0, NULL);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_EQ_MSG(test, pgmt_pfn(bulk, pages[i]),
				    (unsigned long)i, "page %u", i);
		KUNIT_EXPECT_EQ_MSG(test, pgmt_pfn(single, page),
				    (unsigned long)i, "page %u", i);
	}
	KUNIT_EXPECT_EQ(test, bz->per_cpu_pageset[0].count, 5);
	KUNIT_EXPECT_EQ(test, sz->per_cpu_pageset[0].count, 5);
	KUNIT_EXPECT_EQ(test, bz->per_cpu_pageset[0].high, 557);
	KUNIT_EXPECT_EQ(test, sz->per_cpu_pageset[0].high, 557);
	KUNIT_EXPECT_EQ(test, pgmt_event(bulk, PGM_PGALLOC_NORMAL), 100UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(single, PGM_PGALLOC_NORMAL), 100UL);
	KUNIT_EXPECT_EQ(test,
			pgm_zone_numa_event_state(bz, PGM_NUMA_HIT),
			100L);
	KUNIT_EXPECT_EQ(test, pgmt_event(bulk, PGM_PCP_REFILL), 4UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(single, PGM_PCP_REFILL), 4UL);
	for (i = 0; i < n; i++)
		pgm_free_pages(bulk, pages[i], 0);
	pgm_drain_all_pages(bulk, NULL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, bulk), 0UL);
}

/* mm_page_alloc fires for a page the single allocator hands out only */
static void bulk_probe_alloc(void *data, struct pgm_instance *inst,
			     unsigned long pfn, unsigned int order, gfp_t gfp,
			     int migratetype)
{
	atomic_inc(data);
}

/*
 * alloc_pages_bulk_noprof() counts the leading populated slots only: with
 * slots 0, 1 and 3 filled, 4 - 2 = 2 are left to fill, so the bulk path
 * runs, skips slot 3 and fills slot 2 (no mm_page_alloc). With slots 0 to
 * 2 filled one is left: the single allocator takes it (one
 * mm_page_alloc). A full array, or none, does nothing.
 */
static void bulk_skips_populated(struct kunit *test)
{
	struct pgm_instance *inst = bulk_instance(test, 1);
	struct pgm_page *pages[4] = { };
	atomic_t singles = ATOMIC_INIT(0);
	unsigned long refills;

	pages[0] = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	pages[1] = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	pages[3] = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_ASSERT_TRUE(test, pages[0] && pages[1] && pages[3]);
	refills = pgmt_event(inst, PGM_PCP_REFILL);
	/* One refill of 7, three handed out */
	KUNIT_ASSERT_EQ(test, refills, 1UL);
	KUNIT_ASSERT_EQ(test, pgm_register_trace(mm_page_alloc,
						 bulk_probe_alloc, &singles),
			0);

	KUNIT_EXPECT_EQ(test, pgm___alloc_pages_bulk(inst, GFP_KERNEL, 0, NULL,
						     4, pages), 4UL);
	KUNIT_EXPECT_NOT_NULL(test, pages[2]);
	KUNIT_EXPECT_EQ(test, atomic_read(&singles), 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGALLOC_NORMAL), 4UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PCP_REFILL), refills);

	pgm_free_pages(inst, pages[3], 0);
	pages[3] = NULL;
	KUNIT_EXPECT_EQ(test, pgm___alloc_pages_bulk(inst, GFP_KERNEL, 0, NULL,
						     4, pages), 4UL);
	KUNIT_EXPECT_NOT_NULL(test, pages[3]);
	KUNIT_EXPECT_EQ(test, atomic_read(&singles), 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGALLOC_NORMAL), 5UL);

	/* A full array, or none: nothing to do */
	KUNIT_EXPECT_EQ(test, pgm___alloc_pages_bulk(inst, GFP_KERNEL, 0, NULL,
						     4, pages), 4UL);
	KUNIT_EXPECT_EQ(test, pgm___alloc_pages_bulk(inst, GFP_KERNEL, 0, NULL,
						     0, pages), 0UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&singles), 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGALLOC_NORMAL), 5UL);
	pgm_unregister_trace(mm_page_alloc, bulk_probe_alloc, &singles);
	tracepoint_synchronize_unregister();
}

/*
 * The zone must have more than low + nr_pages free (zone_watermark_fast()
 * at order 0): at exactly that many the bulk path gives up and the single
 * allocator returns one page; one page more and all 32 come. nr_pages is
 * the array's size, filled slots included: with 16 of 32 filled, low + 32
 * free still sends the request to the single allocator, 17 in all.
 */
static void bulk_low_watermark(struct kunit *test)
{
	struct pgm_instance *above = bulk_instance(test, 1);
	struct pgm_instance *at = bulk_instance(test, 1);
	struct pgm_instance *half = bulk_instance(test, 1);
	unsigned int i;
	unsigned long low = pgm_low_wmark_pages(pgmt_zone(above, 0,
							  PGM_ZONE_NORMAL));
	struct pgm_page *pages[32] = { };

	/* 362 + 90, as worked out for bulk_matches_single() */
	KUNIT_ASSERT_EQ(test, low, 452UL);
	pgmt_mem_to(test, above, low + 32 + 1, false);
	KUNIT_EXPECT_EQ(test, pgm___alloc_pages_bulk(above, GFP_KERNEL, 0, NULL,
						     32, pages), 32UL);

	memset(pages, 0, sizeof(pages));
	pgmt_mem_to(test, at, low + 32, false);
	KUNIT_EXPECT_EQ(test, pgm___alloc_pages_bulk(at, GFP_KERNEL, 0, NULL,
						     32, pages), 1UL);
	KUNIT_EXPECT_NOT_NULL(test, pages[0]);
	KUNIT_EXPECT_NULL(test, pages[1]);

	memset(pages, 0, sizeof(pages));
	for (i = 0; i < 16; i++) {
		pages[i] = pgm_alloc_pages(half, GFP_KERNEL, 0, 0, NULL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	pgmt_mem_to(test, half, low + 32, false);
	KUNIT_EXPECT_EQ(test, pgm___alloc_pages_bulk(half, GFP_KERNEL, 0, NULL,
						     32, pages), 17UL);
	KUNIT_EXPECT_NOT_NULL(test, pages[16]);
	KUNIT_EXPECT_NULL(test, pages[17]);
}

/* With node 0 below the mark, the next zone is remote: one page */
static void bulk_remote_zone(struct kunit *test)
{
	struct pgm_instance *inst = bulk_instance(test, 2);
	struct pgm_zone *n0 = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_zone *n1 = pgmt_zone(inst, 1, PGM_ZONE_NORMAL);
	struct pgm_page *pages[16] = { };

	/*
	 * Both nodes' 65536 pages: min_free_kbytes 2048, min 512 split
	 * 256 a zone, low 256 + 64
	 */
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(n0), 320UL);
	pgmt_mem_to(test, inst, pgm_low_wmark_pages(n0), false);
	KUNIT_EXPECT_EQ(test, pgm___alloc_pages_bulk(inst, GFP_KERNEL, 0, NULL,
						     16, pages), 1UL);
	KUNIT_ASSERT_NOT_NULL(test, pages[0]);
	/* The single allocator's fast path found node 1 */
	KUNIT_EXPECT_PTR_EQ(test, pgm_page_zone(inst, pages[0]), n1);
}

/* Give back the filled slots of @pages and clear them */
static void bulk_give_back(struct pgm_instance *inst, struct pgm_page **pages,
			   unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (pages[i])
			pgm_free_pages(inst, pages[i], 0);
		pages[i] = NULL;
	}
}

/*
 * The bulk allocator does not charge a memcg: once memcg_kmem_online()
 * (the first memcg, here the first owner) a __GFP_ACCOUNT request goes to
 * the single allocator for one page. Before it, and without the flag
 * after it, the bulk path fills all 16.
 */
static void bulk_account(struct kunit *test)
{
	struct pgm_instance *inst = bulk_instance(test, 1);
	struct pgm_page *pages[16] = { };
	struct pgm_owner *owner;

	KUNIT_EXPECT_EQ(test, pgm___alloc_pages_bulk(inst, GFP_KERNEL_ACCOUNT,
						     0, NULL, 16, pages), 16UL);
	bulk_give_back(inst, pages, 16);

	owner = pgm_owner_create(inst, "memcg", NULL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(owner));
	KUNIT_EXPECT_EQ(test, pgm___alloc_pages_bulk(inst, GFP_KERNEL_ACCOUNT,
						     0, NULL, 16, pages), 1UL);
	KUNIT_EXPECT_NOT_NULL(test, pages[0]);
	KUNIT_EXPECT_NULL(test, pages[1]);
	bulk_give_back(inst, pages, 16);
	KUNIT_EXPECT_EQ(test, pgm___alloc_pages_bulk(inst, GFP_KERNEL, 0, NULL,
						     16, pages), 16UL);
	bulk_give_back(inst, pages, 16);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case pgm_bulk_cases[] = {
	KUNIT_CASE(bulk_matches_single),
	KUNIT_CASE(bulk_skips_populated),
	KUNIT_CASE(bulk_low_watermark),
	KUNIT_CASE(bulk_remote_zone),
	KUNIT_CASE(bulk_account),
	{}
};

static struct kunit_suite pgm_bulk_test_suite = {
	.name = "pgmirror_bulk",
	.test_cases = pgm_bulk_cases,
};

kunit_test_suite(pgm_bulk_test_suite);
