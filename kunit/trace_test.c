// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_trace: every event of the pgmirror trace system, caught by a
 * probe attached in the test, with the fields upstream's kmem events
 * would carry for the same request, and the decision events with the
 * numbers that decided.
 */

#include <kunit/test.h>
#include "test_util.h"
#include "pgmirror_trace.h"

#define NR_SEEN	64

struct seen {
	struct pgm_instance *inst;
	int n;
	unsigned long pfn[NR_SEEN];
	long a[NR_SEEN], b[NR_SEEN], c[NR_SEEN], d[NR_SEEN], e[NR_SEEN];
	const char *why[NR_SEEN];
};

static struct seen *seen_new(struct kunit *test, struct pgm_instance *inst)
{
	struct seen *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->inst = inst;
	return s;
}

/* The next slot for an event of @inst, or -1 */
static int seen_slot(struct seen *s, struct pgm_instance *inst)
{
	if (inst != s->inst || s->n >= NR_SEEN)
		return -1;
	return s->n++;
}

static void probe_alloc(void *data, struct pgm_instance *inst,
			unsigned long pfn, unsigned int order, gfp_t gfp,
			int migratetype)
{
	struct seen *s = data;
	int i = seen_slot(s, inst);

	if (i < 0)
		return;
	s->pfn[i] = pfn;
	s->a[i] = order;
	s->b[i] = (__force long)gfp;
	s->c[i] = migratetype;
}

static void probe_free(void *data, struct pgm_instance *inst,
		       unsigned long pfn, unsigned int order)
{
	struct seen *s = data;
	int i = seen_slot(s, inst);

	if (i < 0)
		return;
	s->pfn[i] = pfn;
	s->a[i] = order;
}

static void probe_zone_locked(void *data, struct pgm_instance *inst,
			      unsigned long pfn, unsigned int order,
			      int migratetype, int percpu_refill)
{
	struct seen *s = data;
	int i = seen_slot(s, inst);

	if (i < 0)
		return;
	s->pfn[i] = pfn;
	s->a[i] = order;
	s->b[i] = migratetype;
	s->c[i] = percpu_refill;
}

static void probe_drain(void *data, struct pgm_instance *inst,
			unsigned long pfn, unsigned int order, int migratetype)
{
	struct seen *s = data;
	int i = seen_slot(s, inst);

	if (i < 0)
		return;
	s->pfn[i] = pfn;
	s->a[i] = order;
	s->b[i] = migratetype;
}

static void probe_extfrag(void *data, struct pgm_instance *inst,
			  unsigned long pfn, int alloc_order,
			  int fallback_order, int alloc_mt, int fallback_mt,
			  int change_ownership)
{
	struct seen *s = data;
	int i = seen_slot(s, inst);

	if (i < 0)
		return;
	s->pfn[i] = pfn;
	s->a[i] = alloc_order;
	s->b[i] = fallback_order;
	s->c[i] = alloc_mt;
	s->d[i] = fallback_mt;
	s->e[i] = change_ownership;
}

static void probe_fallback(void *data, struct pgm_instance *inst,
			   unsigned long pfn, int start_mt, int fallback_mt,
			   unsigned int order, unsigned int fallback_order,
			   const char *decision, int free_pages,
			   int alike_pages, int threshold)
{
	struct seen *s = data;
	int i = seen_slot(s, inst);

	if (i < 0)
		return;
	s->pfn[i] = pfn;
	s->a[i] = start_mt;
	s->b[i] = fallback_mt;
	s->c[i] = free_pages;
	s->d[i] = alike_pages;
	s->e[i] = threshold;
	s->why[i] = decision;
}

static void probe_highatomic(void *data, struct pgm_instance *inst,
			     unsigned long pfn, bool reserve,
			     unsigned long nr_reserved)
{
	struct seen *s = data;
	int i = seen_slot(s, inst);

	if (i < 0)
		return;
	s->pfn[i] = pfn;
	s->a[i] = reserve;
	s->b[i] = nr_reserved;
}

static void probe_zone_skip(void *data, struct pgm_instance *inst, int nid,
			    const char *zone, int reason, unsigned int order,
			    long free, unsigned long mark, long lowmem_reserve)
{
	struct seen *s = data;
	int i = seen_slot(s, inst);

	if (i < 0)
		return;
	s->why[i] = zone;
	s->a[i] = reason;
	s->b[i] = free;
	s->c[i] = mark;
	s->d[i] = lowmem_reserve;
	s->e[i] = nid;
}

static void probe_slowpath(void *data, struct pgm_instance *inst, int step,
			   unsigned int order, gfp_t gfp, long result,
			   const char *why)
{
	struct seen *s = data;
	int i = seen_slot(s, inst);

	if (i < 0)
		return;
	s->a[i] = step;
	s->b[i] = order;
	s->c[i] = result;
	s->why[i] = why;
}

static struct pgm_instance *one_zone(struct kunit *test, unsigned long dma32,
				     unsigned long normal)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, 1, 0, dma32, normal, 0);
	return pgmt_create(test, &topo);
}

/* mm_page_alloc, mm_page_free: pfn, order, gfp, migratetype; a failure */
static void trace_alloc_free(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 0, 2 * PGMT_PB);
	struct seen *a = seen_new(test, inst), *f = seen_new(test, inst);
	struct pgm_page *page;

	KUNIT_ASSERT_EQ(test, pgm_register_trace(mm_page_alloc, probe_alloc,
						 a), 0);
	KUNIT_ASSERT_EQ(test, pgm_register_trace(mm_page_free, probe_free, f),
			0);
	page = pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE, 2, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pgm_free_pages(inst, page, 2);
	/*
	 * A failure, pfn -1: 1024 free less the 1023 an order-10 request
	 * discounts leave 1, under any watermark
	 */
	KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, GFP_NOWAIT | __GFP_NOWARN,
						PGM_MAX_PAGE_ORDER, 0, NULL));
	pgm_unregister_trace(mm_page_alloc, probe_alloc, a);
	pgm_unregister_trace(mm_page_free, probe_free, f);
	tracepoint_synchronize_unregister();

	KUNIT_ASSERT_EQ(test, a->n, 2);
	/* Batch 1: one order-2 block, the bottom of the split order-10 */
	KUNIT_EXPECT_EQ(test, a->pfn[0], 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 0UL);
	KUNIT_EXPECT_EQ(test, a->a[0], 2L);
	KUNIT_EXPECT_EQ(test, a->b[0], (__force long)GFP_HIGHUSER_MOVABLE);
	KUNIT_EXPECT_EQ(test, a->c[0], (long)PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, a->pfn[1], -1UL);
	KUNIT_EXPECT_EQ(test, a->a[1], (long)PGM_MAX_PAGE_ORDER);
	/* __alloc_pages() traces the caller's gfp and ac.migratetype */
	KUNIT_EXPECT_EQ(test, a->b[1],
			(__force long)(GFP_NOWAIT | __GFP_NOWARN));
	KUNIT_EXPECT_EQ(test, a->c[1], (long)PGM_MIGRATE_UNMOVABLE);
	KUNIT_ASSERT_EQ(test, f->n, 1);
	KUNIT_EXPECT_EQ(test, f->pfn[0], pgmt_pfn(inst, page));
	KUNIT_EXPECT_EQ(test, f->a[0], 2L);
}

/*
 * mm_page_alloc_zone_locked: the pcp refill of a movable order-0 request
 * takes batch blocks with percpu_refill=1; an order-4 request (not a pcp
 * order) takes one with percpu_refill=0. mm_page_pcpu_drain: one event per block
 * a drain gives back.
 */
static void trace_zone_locked_and_drain(struct kunit *test)
{
	/* 64 pageblocks: a pcp batch of 7 */
	struct pgm_instance *inst = one_zone(test, 0, 64 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	struct seen *z = seen_new(test, inst), *d = seen_new(test, inst);
	struct pgm_page *page;
	int i, cached;

	KUNIT_ASSERT_EQ(test, pgm_register_trace(mm_page_alloc_zone_locked,
						 probe_zone_locked, z), 0);
	page = pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pcp->batch, 7);
	KUNIT_EXPECT_EQ(test, z->n, 7);
	KUNIT_EXPECT_EQ(test, pcp->count, 6);
	/* expand() splits the order-10 block at 0 from the bottom up */
	for (i = 0; i < z->n; i++) {
		KUNIT_EXPECT_EQ(test, z->pfn[i], (unsigned long)i);
		KUNIT_EXPECT_EQ(test, z->a[i], 0L);
		KUNIT_EXPECT_EQ(test, z->b[i], (long)PGM_MIGRATE_MOVABLE);
		KUNIT_EXPECT_EQ(test, z->c[i], 1L);
	}
	z->n = 0;
	KUNIT_ASSERT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE,
						    4, 0, NULL));
	KUNIT_ASSERT_EQ(test, z->n, 1);
	/* 7 is free at order 0, 8 at order 3: the first order-4 is 16 */
	KUNIT_EXPECT_EQ(test, z->pfn[0], 16UL);
	KUNIT_EXPECT_EQ(test, z->a[0], 4L);
	KUNIT_EXPECT_EQ(test, z->b[0], (long)PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, z->c[0], 0L);
	pgm_unregister_trace(mm_page_alloc_zone_locked, probe_zone_locked, z);

	/* Order 4 is not a pcp order: the 6 the refill left are still there */
	cached = pcp->count;
	KUNIT_ASSERT_EQ(test, cached, 6);
	KUNIT_ASSERT_EQ(test, pgm_register_trace(mm_page_pcpu_drain,
						 probe_drain, d), 0);
	pgm_drain_all_pages(inst, NULL);
	pgm_unregister_trace(mm_page_pcpu_drain, probe_drain, d);
	tracepoint_synchronize_unregister();
	KUNIT_ASSERT_EQ(test, d->n, cached);
	/* The request took 0, the list's head; free_pcppages_bulk() the tail */
	for (i = 0; i < d->n; i++) {
		KUNIT_EXPECT_EQ(test, d->pfn[i], (unsigned long)(6 - i));
		KUNIT_EXPECT_EQ(test, d->a[i], 0L);
		KUNIT_EXPECT_EQ(test, d->b[i], (long)PGM_MIGRATE_MOVABLE);
	}
}

/*
 * Half a pageblock free, the rest movable allocations: an unmovable
 * request claims it. pgmirror_fallback carries free 256 + alike 0 against
 * the default threshold, 1 << (pageblock_order - 1) = 256;
 * mm_page_alloc_extfrag has fallback order 8, pfn 0 and the block now
 * unmovable (change_ownership=1). With the threshold one higher the same
 * request steals: "few", then "steal", change_ownership=0.
 */
static void trace_fallback_claim_steal(struct kunit *test)
{
	static const int thresholds[] = { 256, 257 };
	int t;

	for (t = 0; t < ARRAY_SIZE(thresholds); t++) {
		struct pgm_instance *inst = one_zone(test, 0, 4 * PGMT_PB);
		struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
		struct seen *fb = seen_new(test, inst);
		struct seen *ef = seen_new(test, inst);
		struct pgm_page *page;
		unsigned long flags;

		/* The first at the default, upstream's half a pageblock */
		if (t)
			KUNIT_ASSERT_EQ(test,
					pgm_set_claim_threshold(inst,
								thresholds[t]),
					0);
		pgmt_half_free_block(test, inst, 256);

		KUNIT_ASSERT_EQ(test, pgm_register_trace(mm_page_alloc_extfrag,
							 probe_extfrag, ef), 0);
		KUNIT_ASSERT_EQ(test, register_trace_pgmirror_fallback(probe_fallback,
								       fb), 0);
		spin_lock_irqsave(&zone->lock, flags);
		page = pgm___rmqueue(zone, 0, PGM_MIGRATE_UNMOVABLE, 0);
		spin_unlock_irqrestore(&zone->lock, flags);
		pgm_unregister_trace(mm_page_alloc_extfrag, probe_extfrag, ef);
		unregister_trace_pgmirror_fallback(probe_fallback, fb);
		tracepoint_synchronize_unregister();
		KUNIT_ASSERT_NOT_NULL(test, page);
		pgmt_mark(page, 0, PGM_MIGRATE_UNMOVABLE);

		KUNIT_ASSERT_GE(test, fb->n, 1);
		KUNIT_EXPECT_EQ(test, fb->pfn[0], 0UL);
		KUNIT_EXPECT_EQ(test, fb->a[0], (long)PGM_MIGRATE_UNMOVABLE);
		KUNIT_EXPECT_EQ(test, fb->b[0], (long)PGM_MIGRATE_MOVABLE);
		KUNIT_EXPECT_EQ(test, fb->c[0], 256L);
		KUNIT_EXPECT_EQ(test, fb->d[0], 0L);
		KUNIT_EXPECT_EQ(test, fb->e[0], (long)thresholds[t]);
		KUNIT_ASSERT_EQ(test, ef->n, 1);
		KUNIT_EXPECT_EQ(test, ef->pfn[0], 0UL);
		KUNIT_EXPECT_EQ(test, ef->a[0], 0L);
		KUNIT_EXPECT_EQ(test, ef->b[0], 8L);
		KUNIT_EXPECT_EQ(test, ef->c[0], (long)PGM_MIGRATE_UNMOVABLE);
		KUNIT_EXPECT_EQ(test, ef->d[0], (long)PGM_MIGRATE_MOVABLE);
		if (t == 0) {
			KUNIT_EXPECT_EQ(test, fb->n, 1);
			KUNIT_EXPECT_STREQ(test, fb->why[0], "claim");
			KUNIT_EXPECT_EQ(test, ef->e[0], 1L);
		} else {
			KUNIT_ASSERT_EQ(test, fb->n, 2);
			KUNIT_EXPECT_STREQ(test, fb->why[0], "few");
			KUNIT_EXPECT_STREQ(test, fb->why[1], "steal");
			KUNIT_EXPECT_EQ(test, ef->e[0], 0L);
		}
		KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	}
}

/* pgmirror_highatomic: a reserve of block 0, then giving it back */
static void trace_highatomic(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_alloc_context ac = { };
	struct seen *h;

	pgmt_topology(&topo, 1, 0, 0, 220 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	h = seen_new(test, inst);
	KUNIT_ASSERT_EQ(test, register_trace_pgmirror_highatomic(probe_highatomic,
								 h), 0);
	pgm_reserve_highatomic_pageblock(pgm_pfn_to_page(inst, 0), 0, zone);
	ac.inst = inst;
	ac.zonelist = &inst->node_data[0].node_zonelists[0];
	ac.highest_zoneidx = PGM_ZONE_NORMAL;
	ac.migratetype = PGM_MIGRATE_MOVABLE;
	KUNIT_EXPECT_TRUE(test, pgm_unreserve_highatomic_pageblock(&ac, true));
	unregister_trace_pgmirror_highatomic(probe_highatomic, h);
	tracepoint_synchronize_unregister();
	KUNIT_ASSERT_EQ(test, h->n, 2);
	KUNIT_EXPECT_EQ(test, h->pfn[0], 0UL);
	KUNIT_EXPECT_EQ(test, h->a[0], 1L);
	KUNIT_EXPECT_EQ(test, h->b[0], (long)PGMT_PB);
	KUNIT_EXPECT_EQ(test, h->a[1], 0L);
	KUNIT_EXPECT_EQ(test, h->b[1], 0L);
}

/*
 * pgmirror_zone_skip: Normal brought below its low watermark, so an
 * order-0 GFP_KERNEL request passes it by (free, low, lowmem_reserve 0
 * for a Normal request) and DMA32 serves. 8192 pages: min_free_kbytes
 * int_sqrt(32768 * 16) = 724, 181 pages of min, Normal's half 90, low
 * 90 + 22 = 112, and the zone taken down to 56.
 */
static void trace_zone_skip_watermark(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 8 * PGMT_PB, 8 * PGMT_PB);
	struct pgm_zone *normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct seen *z = seen_new(test, inst);
	struct pgm_page *page;
	long low = pgm_low_wmark_pages(normal);

	while (pgmt_nr_free(normal) > low / 2)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_take(normal, 0,
						      PGM_MIGRATE_MOVABLE));
	KUNIT_ASSERT_EQ(test, register_trace_pgmirror_zone_skip(probe_zone_skip,
								z), 0);
	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	unregister_trace_pgmirror_zone_skip(probe_zone_skip, z);
	tracepoint_synchronize_unregister();
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgm_page_zone(inst, page)->idx, PGM_ZONE_DMA32);
	KUNIT_ASSERT_EQ(test, z->n, 1);
	KUNIT_EXPECT_STREQ(test, z->why[0], "Normal");
	KUNIT_EXPECT_EQ(test, z->a[0], (long)PGM_SKIP_WATERMARK);
	KUNIT_EXPECT_EQ(test, low, 112L);
	KUNIT_EXPECT_EQ(test, z->b[0], 56L);
	KUNIT_EXPECT_EQ(test, z->c[0], 112L);
	KUNIT_EXPECT_EQ(test, z->d[0], 0L);
	KUNIT_EXPECT_EQ(test, z->e[0], 0L);
}

/*
 * pgmirror_slowpath: GFP_NOWAIT with nothing left wakes kswapd, wakes it
 * again at the retry, and gives up as it may not reclaim.
 */
static void trace_slowpath_nowait(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 0, 4 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct seen *sp = seen_new(test, inst);

	while (pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE))
		;
	KUNIT_ASSERT_EQ(test, register_trace_pgmirror_slowpath(probe_slowpath,
							       sp), 0);
	KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, GFP_NOWAIT | __GFP_NOWARN,
						0, 0, NULL));
	unregister_trace_pgmirror_slowpath(probe_slowpath, sp);
	tracepoint_synchronize_unregister();
	KUNIT_ASSERT_EQ(test, sp->n, 3);
	KUNIT_EXPECT_EQ(test, sp->a[0], (long)PGM_SLOW_WAKE_KSWAPD);
	KUNIT_EXPECT_EQ(test, sp->c[0], 1L);
	KUNIT_EXPECT_EQ(test, sp->a[1], (long)PGM_SLOW_WAKE_KSWAPD);
	KUNIT_EXPECT_EQ(test, sp->a[2], (long)PGM_SLOW_NOPAGE);
	KUNIT_EXPECT_STREQ(test, sp->why[2], "cannot_reclaim");
}

static void probe_batched(void *data, struct pgm_instance *inst,
			  unsigned long pfn)
{
	struct seen *s = data;
	int i = seen_slot(s, inst);

	if (i < 0)
		return;
	s->pfn[i] = pfn;
	/* Told from mm_page_free's order in the same buffer */
	s->a[i] = -1;
}

/*
 * free_unref_folios(): every block gets mm_page_free as it is prepared;
 * those the pcp lists take (orders 0..3) then get mm_page_free_batched as
 * they are committed, in order, once all are prepared: six of the one,
 * then five of the other, in one buffer. The order-4 block goes straight
 * to the buddy.
 */
static void trace_free_batched(struct kunit *test)
{
	static const unsigned int orders[] = { 0, 0, 4, 1, 0, 3 };
	struct pgm_instance *inst = one_zone(test, 0, 64 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct seen *f = seen_new(test, inst);
	struct pgm_page *pages[ARRAY_SIZE(orders)];
	unsigned long pfns[ARRAY_SIZE(orders)];
	int i, j, count;

	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		pages[i] = pgm_alloc_pages(inst, GFP_KERNEL, orders[i], 0, NULL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		pfns[i] = pgmt_pfn(inst, pages[i]);
	}
	/*
	 * Batch 7: order 0 refills 7 and leaves 6, then 5; order 4 is the
	 * buddy's; order 1 refills max(7 >> 1, 2) = 3 blocks, 9, then 8;
	 * order 3 refills 2 blocks, 16
	 */
	count = zone->per_cpu_pageset[0].count;
	KUNIT_ASSERT_EQ(test, count, 16);
	KUNIT_ASSERT_EQ(test, pgm_register_trace(mm_page_free, probe_free, f),
			0);
	KUNIT_ASSERT_EQ(test, pgm_register_trace(mm_page_free_batched,
						 probe_batched, f), 0);
	KUNIT_EXPECT_EQ(test, pgm_free_unref_folios(inst, pages, orders,
						    ARRAY_SIZE(orders)),
			(unsigned int)ARRAY_SIZE(orders));
	pgm_unregister_trace(mm_page_free, probe_free, f);
	pgm_unregister_trace(mm_page_free_batched, probe_batched, f);
	tracepoint_synchronize_unregister();

	KUNIT_ASSERT_EQ(test, f->n, (int)ARRAY_SIZE(orders) + 5);
	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		KUNIT_EXPECT_EQ(test, f->pfn[i], pfns[i]);
		KUNIT_EXPECT_EQ(test, f->a[i], (long)orders[i]);
		KUNIT_EXPECT_NULL(test, pages[i]);
	}
	for (i = 0, j = ARRAY_SIZE(orders); i < ARRAY_SIZE(orders); i++) {
		if (orders[i] == 4)
			continue;
		KUNIT_EXPECT_EQ(test, f->pfn[j], pfns[i]);
		KUNIT_EXPECT_EQ(test, f->a[j++], -1L);
	}
	/* Neither high-order free finds free_count at the batch: no free_high */
	KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[0].count, 29);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case trace_cases[] = {
	KUNIT_CASE(trace_alloc_free),
	KUNIT_CASE(trace_zone_locked_and_drain),
	KUNIT_CASE(trace_fallback_claim_steal),
	KUNIT_CASE(trace_highatomic),
	KUNIT_CASE(trace_zone_skip_watermark),
	KUNIT_CASE(trace_slowpath_nowait),
	KUNIT_CASE(trace_free_batched),
	{}
};

static struct kunit_suite trace_suite = {
	.name = "pgmirror_trace",
	.test_cases = trace_cases,
};

kunit_test_suite(trace_suite);
