// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_kswapd: balance_pgdat(), boosted reclaim, kswapd_failures and
 * the wakeup rules, run synchronously (KUnit instances start no thread).
 *
 * One node with a NORMAL zone of four pageblocks: min 90, high 134.
 * Clean file pages with handles are made, then the zone is brought to
 * exactly min free pages. Each balance_pgdat() pass asks for
 * max(high + boost, SWAP_CLUSTER_MAX) pages and scans size >> priority
 * of the inactive file list in batches of 32, stopping early once that
 * many are back. No pass scans enough to hold the priority.
 *
 * While kswapd works, ZONE_RECLAIM_ACTIVE caps the pcp high at
 * batch << 2 (4 here), so reclaimed pages reach the buddy lists at once
 * and the balance check sees them.
 *
 * 1024 pages, no boost (asks 134): 12 and 11 scan nothing, then 10: 1,
 * 9: 1, 8: 3, 7: 7, 6: 15, 5: 31: 58 in all. The buddy lists then hold
 * 147 (min + 58, less one page on the pcp list) > 134: balanced, stop.
 *
 * 1800 pages and a boost of one pageblock (asks 646; the node is below
 * 646, so the boosted round is dropped for normal reclaim): 10: 1, 9: 3,
 * 8: 7, 7: 13, 6: 27, 5: 54, 4: 105, 3: 198, 2: 348: 756 in all. The
 * buddy lists hold 843 > 646, and the boost goes back to 0.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include "test_util.h"
#include "lru.h"

#define KSW_FILL	1024UL
#define KSW_FILL_BOOST	1800UL
#define KSW_MIN		90L
#define KSW_HIGH	134UL
#define KSW_STEAL	58UL
#define KSW_FREE	147L
#define KSW_STEAL_BOOST	756UL
#define KSW_FREE_BOOST	843L

static void ksw_fill_to_min(struct kunit *test, struct pgmt_mem_ctx *c,
			    enum pgm_kind kind, unsigned long nr)
{
	struct pgm_zone *zone = pgmt_zone(c->inst, 0, PGM_ZONE_NORMAL);

	pgmt_mem_fill(test, c, kind, nr, true);
	pgmt_mem_to_min(test, c->inst, false);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), KSW_MIN);
	KUNIT_ASSERT_EQ(test, zone->_watermark[PGM_WMARK_HIGH], KSW_HIGH);
}

/* Below low: reclaim until free > high, and stop there */
static void kswapd_balance_to_high(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	ksw_fill_to_min(test, c, PGM_KIND_FILE, KSW_FILL);
	KUNIT_EXPECT_TRUE(test, pgm_wakeup_kswapd(zone, GFP_KERNEL, 0,
						  PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_highest_zoneidx, PGM_ZONE_NORMAL);

	KUNIT_EXPECT_EQ(test, pgm_balance_pgdat(pgdat, 0, PGM_ZONE_NORMAL),
			KSW_STEAL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), KSW_FREE);
	KUNIT_EXPECT_GT(test, pgmt_nr_free(zone), (long)KSW_HIGH);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_KSWAPD), KSW_STEAL);
	/* Unboosted: kcompactd is left alone */
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_KSWAPD), KSW_STEAL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PAGEOUTRUN), 1UL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 0);

	/* Balanced now: a wakeup is not needed, a second run frees nothing */
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(zone, GFP_KERNEL, 0,
						   PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgm_balance_pgdat(pgdat, 0, PGM_ZONE_NORMAL),
			0UL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * kswapd honours memory.low and never reclaims within it (only a direct
 * reclaim's last retry does): the same 1024 file pages, charged to an
 * owner with low 2048, give nothing, a kswapd failure and no low event;
 * with low 0 the owner's lruvec gives what the root's did above.
 */
static void kswapd_memcg_low(struct kunit *test)
{
	gfp_t gfp = pgm_kind_gfp(PGM_KIND_FILE) & ~__GFP_DIRECT_RECLAIM;
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	struct pgm_owner *a = pgm_owner_create(inst, "a", NULL, 0);
	struct pgm_zone *zone;
	unsigned long i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	for (i = 0; i < KSW_FILL; i++)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_owner_alloc(inst, gfp, 0, a,
							     PGM_KIND_FILE));
	pgmt_mem_to_min(test, inst, false);
	/* KSW_STEAL is counted from 90 free to above 134, as for the root */
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), KSW_MIN);
	KUNIT_ASSERT_EQ(test, zone->_watermark[PGM_WMARK_HIGH], KSW_HIGH);
	WRITE_ONCE(a->low, 2 * KSW_FILL);

	KUNIT_EXPECT_EQ(test, pgm_balance_pgdat(pgdat, 0, PGM_ZONE_NORMAL),
			0UL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_KSWAPD), 0UL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&a->events[PGM_MEMCG_LOW]), 0L);

	WRITE_ONCE(a->low, 0);
	KUNIT_EXPECT_EQ(test, pgm_balance_pgdat(pgdat, 0, PGM_ZONE_NORMAL),
			KSW_STEAL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&a->nr_pages),
			(long)(KSW_FILL - KSW_STEAL));
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * balance_pgdat() goes down to priority 1 in cache trim mode (the 1024
 * inactive file pages >> priority are not 0 from priority 10 on) and
 * reclaims nothing, every page within the owner's memory.low: it runs
 * the priorities once more with the mode off, then counts one failure.
 * 64 reclaimable slab pages without handles, which the shrinker walks
 * but cannot free, count the passes. do_shrink_slab() with DEFAULT_SEEKS
 * asks (64 >> p) * 2 plus nr_deferred >> p; under 64 it defers it all.
 * First run, from priority 12 to 1: 0, ... 0, then 2, 4, 8, 17 and 39 at
 * priorities 6 to 2, all deferred (62), and 95 scanned at priority 1,
 * 62 + 64 - 95 = 31 deferred. The restart: 0 at 12 to 7, then 2, 5, 10,
 * 21, 47 deferred (93), and 93 / 2 + 64 = 110 scanned at priority 1.
 * slabs_scanned 95 + 110 = 205; without the restart, 95.
 */
static void kswapd_cache_trim_restart(struct kunit *test)
{
	gfp_t gfp = pgm_kind_gfp(PGM_KIND_FILE) & ~__GFP_DIRECT_RECLAIM;
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	struct pgm_owner *a = pgm_owner_create(inst, "a", NULL, 0);
	struct pgm_alloc *slab[64];
	unsigned long i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	for (i = 0; i < ARRAY_SIZE(slab); i++) {
		slab[i] = pgm_alloc_create(inst, pgm_kind_gfp(PGM_KIND_SLAB), 0,
					   0, NULL, PGM_KIND_SLAB);
		KUNIT_ASSERT_NOT_NULL(test, slab[i]);
	}
	KUNIT_ASSERT_EQ(test, pgm_node_page_state(pgdat,
						  PGM_NR_SLAB_RECLAIMABLE),
			(unsigned long)ARRAY_SIZE(slab));
	for (i = 0; i < KSW_FILL; i++)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_owner_alloc(inst, gfp, 0, a,
							     PGM_KIND_FILE));
	pgmt_mem_to_min(test, inst, false);
	WRITE_ONCE(a->low, 2 * KSW_FILL);
	KUNIT_ASSERT_EQ(test, pgmt_event(inst, PGM_SLABS_SCANNED), 0UL);

	KUNIT_EXPECT_EQ(test, pgm_balance_pgdat(pgdat, 0, PGM_ZONE_NORMAL),
			0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_SLABS_SCANNED), 205UL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pgdat->slab_nr_deferred), 47L);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_KSWAPD), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PAGEOUTRUN), 1UL);
	for (i = 0; i < ARRAY_SIZE(slab); i++)
		pgm_alloc_release(inst, slab[i]);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * wakeup_kswapd() records the order and zone, then wakes nobody while
 * kswapd is not waiting: at work, it reads them when it next looks. A
 * thread that exists but is not on its wait queue (this test's task
 * stands in for it) gets no wakeup on an unbalanced node; without a
 * thread, as KUnit's instances run, one is assumed waiting.
 */
static void kswapd_wakeup_while_busy(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	ksw_fill_to_min(test, c, PGM_KIND_FILE, KSW_FILL);
	WRITE_ONCE(pgdat->kswapd, current);
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(zone, GFP_KERNEL, 2,
						   PGM_ZONE_NORMAL));
	WRITE_ONCE(pgdat->kswapd, NULL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_order, 2);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_highest_zoneidx, PGM_ZONE_NORMAL);
	KUNIT_EXPECT_TRUE(test, pgm_wakeup_kswapd(zone, GFP_KERNEL, 2,
						  PGM_ZONE_NORMAL));
}

/*
 * kswapd() starts from order 0 and no zone, whatever was asked before
 * the thread ran: here an order-3 request on a balanced node. The thread
 * then sleeps without a run.
 */
static void kswapd_thread_starts_clean(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	int i;

	WRITE_ONCE(pgdat->kswapd_order, 3);
	WRITE_ONCE(pgdat->kswapd_highest_zoneidx, PGM_ZONE_NORMAL);
	KUNIT_ASSERT_EQ(test, pgm_kswapd_run(inst), 0);
	/*
	 * Lockless: the thread is on its queue from its nap to its wakeup.
	 * Up to 10 s for it to get there on a loaded, emulated machine.
	 */
	for (i = 0; i < 500 && !waitqueue_active(&pgdat->kswapd_wait); i++)
		msleep(20);
	/* Nobody wakes it meanwhile: it stays on the queue */
	KUNIT_EXPECT_TRUE(test, waitqueue_active(&pgdat->kswapd_wait));
	KUNIT_EXPECT_EQ(test, READ_ONCE(pgdat->kswapd_order), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pgdat->kswapd_highest_zoneidx),
			PGM_MAX_NR_ZONES);
	pgm_kswapd_stop(inst);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PAGEOUTRUN), 0UL);
}

/* The boost a fallback's claim attempt leaves: one pageblock here */
static void ksw_boost(struct kunit *test, struct pgm_zone *zone)
{
	unsigned long flags;
	bool boosted;

	spin_lock_irqsave(&zone->lock, flags);
	boosted = pgm_boost_watermark(zone);
	spin_unlock_irqrestore(&zone->lock, flags);
	KUNIT_ASSERT_TRUE(test, boosted);
	KUNIT_ASSERT_EQ(test, zone->watermark_boost, PGMT_PB);
}

/*
 * The boost a fallback's claim attempt leaves (pgm_boost_watermark(), one
 * pageblock here): reclaim goes on to high + boost, then the boost is
 * reset and kcompactd woken for pageblock_order.
 */
static void kswapd_boosted_reclaim(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	ksw_fill_to_min(test, c, PGM_KIND_FILE, KSW_FILL_BOOST);
	ksw_boost(test, zone);

	KUNIT_EXPECT_EQ(test, pgm_balance_pgdat(pgdat, 0, PGM_ZONE_NORMAL),
			KSW_STEAL_BOOST);
	/* There is room now: kcompactd is asked for a pageblock */
	KUNIT_EXPECT_EQ(test, pgdat->kcompactd_max_order, PGM_PAGEBLOCK_ORDER);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), KSW_FREE_BOOST);
	KUNIT_EXPECT_GT(test, pgmt_nr_free(zone),
			(long)(KSW_HIGH + PGMT_PB));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_KSWAPD),
			KSW_STEAL_BOOST);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A balanced node of 16384 pages (high 384) holding 8192 file pages,
 * @dirty or clean, boosted by one pageblock
 */
static struct pgm_instance *ksw_boosted_node(struct kunit *test, bool dirty)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup_pages(test, 32 * PGMT_PB);
	struct pgm_instance *inst = c->inst;
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	gfp_t gfp = pgm_kind_gfp(PGM_KIND_FILE) & ~__GFP_DIRECT_RECLAIM;
	int i;

	for (i = 0; i < 8192; i++) {
		struct pgm_alloc *a = pgmt_mem_alloc(inst, gfp, 0,
						     PGM_KIND_FILE);

		KUNIT_ASSERT_NOT_NULL(test, a);
		if (dirty)
			KUNIT_ASSERT_EQ(test, pgm_alloc_set_dirty(inst, a), 0);
	}
	KUNIT_ASSERT_EQ(test, zone->_watermark[PGM_WMARK_HIGH], 384UL);
	ksw_boost(test, zone);
	KUNIT_ASSERT_GT(test, pgmt_nr_free(zone),
			(long)pgm_high_wmark_pages(zone));
	return inst;
}

/*
 * Boosted reclaim writes nothing back: balance_pgdat() turns
 * may_writepage off while a boost is being reclaimed (until priority falls
 * below DEF_PRIORITY - 2). A node above high + boost whose 8192 file pages
 * are all dirty, boosted by one pageblock: priority 12 scans 8192 >> 12 = 2
 * pages, both dirty and kept, so the boosted run stops without progress,
 * counts a kswapd failure and takes the boost back.
 */
static void kswapd_boost_no_writeback(struct kunit *test)
{
	struct pgm_instance *inst = ksw_boosted_node(test, true);
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	KUNIT_EXPECT_EQ(test, pgm_balance_pgdat(pgdat, 0, PGM_ZONE_NORMAL),
			0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_NR_WRITTEN), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_KSWAPD), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_KSWAPD), 0UL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 1);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Boosted reclaim holds its priority at DEF_PRIORITY - 2 while it makes
 * progress, so that it reclaims the boost in small steps. A balanced node
 * of 16384 pages (high 384) with 8192 clean file pages and a boost of
 * 512: kswapd_shrink_node() asks for 896 and scans size >> priority, never
 * enough to stop raising, so priority 12 takes 2, 11 takes 3, then 10
 * holds: 7 a pass, 6 once the list is under 7168, until the boost is
 * reclaimed: 516 pages in 75 passes. Raising on would take 15, 31, 63,
 * 126, 248 and 481 at priorities 9 to 4: 976.
 */
static void kswapd_boost_holds_priority(struct kunit *test)
{
	struct pgm_instance *inst = ksw_boosted_node(test, false);
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	KUNIT_EXPECT_EQ(test, pgm_balance_pgdat(pgdat, 0, PGM_ZONE_NORMAL),
			516UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_KSWAPD), 516UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_KSWAPD), 516UL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 0);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * kswapd_shrink_node(): once compact_gap(order) = 2 << order pages are
 * back, the order drops to 0 and the node is balanced as for order 0,
 * fragmentation being compaction's to fix. File pages with handles
 * alternate with file pages without (never reclaimed), and the free pages
 * at min are single pages, so nothing reclaimed merges and no order-3
 * block can appear: woken for order 3, kswapd stops once the node is
 * above high at order 0, where with the order kept it would go on to
 * priority 1 and take nearly all 512.
 *
 * The LRU holds 1024, H1 N1 H2 N2 ... from the tail: isolate_lru_folios()
 * takes a page without a handle (N) as any other and shrink_folio_list()
 * keeps it, its in-kernel user holding a reference, so it counts in the
 * scan and goes to the head. The pcp high is 4 under ZONE_RECLAIM_ACTIVE,
 * batch 1: the 4th page freed drains 3, so after R pages the buddy lists
 * hold 90 + R - (1 + (R - 1) % 3). Priorities 12 and 11 scan nothing, 10
 * takes H1. From 9, in_reclaim_compaction() holds, but 9 scans N1 (1023
 * >> 9 = 1) and frees nothing, so should_continue_reclaim() stops. From
 * 8 it frees too, and shrink_node() repeats, 3 pages a round (1023
 * down to 1006 >> 8), H N H then N H N, 2 and 1 back in turn, until
 * compaction_suitable() sees more than min + compact_gap(3) = 106 free:
 * 12 rounds, R = 19 (108). 19 >= 16 drops the order. Order 0 then: 7
 * scans 1005 >> 7 = 7 from H20, 4 back (R = 23, 111 free), 6 scans 15
 * from N23, 7 back (R = 30, 117), 5 scans 994 >> 5 = 31 from H31, 16
 * back: R = 46, 135 free > 134, balanced. Scanned: 1 + 1 + 36 + 7 + 15 +
 * 31 = 91, none of the rounds 134 (nr_to_reclaim), so each lowered the
 * priority.
 */
static void kswapd_order_drops_to_zero(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	unsigned long reclaimed;
	int i;

	for (i = 0; i < 512; i++) {
		pgmt_mem_fill(test, c, PGM_KIND_FILE, 1, true);
		pgmt_mem_fill(test, c, PGM_KIND_FILE, 1, false);
	}
	pgmt_mem_to_min(test, inst, false);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), KSW_MIN);

	reclaimed = pgm_balance_pgdat(pgdat, 3, PGM_ZONE_NORMAL);
	for (i = 1; i < PGM_NR_PAGE_ORDERS; i++)
		KUNIT_EXPECT_EQ_MSG(test, zone->free_area[i].nr_free, 0UL,
				    "order %d", i);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 135L);
	KUNIT_EXPECT_EQ(test, reclaimed, 46UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_KSWAPD), 91UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_KSWAPD), 46UL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* Anon only: no progress, a failure per run, no wakeup from the 16th */
static void kswapd_failures_stop_wakeups(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	int i;

	ksw_fill_to_min(test, c, PGM_KIND_ANON, KSW_FILL);
	for (i = 1; i <= PGM_MAX_RECLAIM_RETRIES; i++) {
		KUNIT_EXPECT_TRUE(test, pgm_wakeup_kswapd(zone, GFP_KERNEL, 0,
							  PGM_ZONE_NORMAL));
		KUNIT_EXPECT_EQ(test, pgm_balance_pgdat(pgdat, 0,
							PGM_ZONE_NORMAL), 0UL);
		KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, i);
	}
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(zone, GFP_KERNEL, 0,
						   PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), KSW_MIN);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_KSWAPD), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PAGEOUTRUN),
			(unsigned long)PGM_MAX_RECLAIM_RETRIES);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * wakeup_kswapd() on a balanced node wakes no one unless a zone at or
 * below the request's highest zone has a boost pending
 * (pgdat_watermark_boosted() walks down from highest_zoneidx), and never
 * once kswapd_failures reaches MAX_RECLAIM_RETRIES. A DMA32 zone under
 * a NORMAL one, every page free: balanced at orders 0 and 3 even with
 * a boost of 64 on either zone.
 */
static void kswapd_wake_balanced_boosted(struct kunit *test)
{
	struct pgm_pglist_data *pgdat;
	struct pgm_zone *dma32, *normal;
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 1, 0, 4 * PGMT_PB, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	pgdat = &inst->node_data[0];
	dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(normal, GFP_KERNEL, 0,
						   PGM_ZONE_NORMAL));
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(normal, GFP_KERNEL, 3,
						   PGM_ZONE_NORMAL));
	/* The order and zone asked for are recorded all the same */
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_order, 3);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_highest_zoneidx, PGM_ZONE_NORMAL);

	WRITE_ONCE(normal->watermark_boost, 64);
	KUNIT_EXPECT_TRUE(test, pgm_wakeup_kswapd(normal, GFP_KERNEL, 0,
						  PGM_ZONE_NORMAL));
	KUNIT_EXPECT_TRUE(test, pgm_wakeup_kswapd(normal, GFP_KERNEL, 3,
						  PGM_ZONE_NORMAL));
	/* A boost above the request's highest zone does not count */
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(dma32, GFP_DMA32, 0,
						   PGM_ZONE_DMA32));

	WRITE_ONCE(normal->watermark_boost, 0);
	WRITE_ONCE(dma32->watermark_boost, 64);
	KUNIT_EXPECT_TRUE(test, pgm_wakeup_kswapd(dma32, GFP_DMA32, 0,
						  PGM_ZONE_DMA32));
	KUNIT_EXPECT_TRUE(test, pgm_wakeup_kswapd(normal, GFP_KERNEL, 0,
						  PGM_ZONE_NORMAL));

	WRITE_ONCE(pgdat->kswapd_failures, PGM_MAX_RECLAIM_RETRIES);
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(normal, GFP_KERNEL, 0,
						   PGM_ZONE_NORMAL));
	WRITE_ONCE(pgdat->kswapd_failures, PGM_MAX_RECLAIM_RETRIES - 1);
	KUNIT_EXPECT_TRUE(test, pgm_wakeup_kswapd(normal, GFP_KERNEL, 0,
						  PGM_ZONE_NORMAL));
	WRITE_ONCE(dma32->watermark_boost, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * pgdat_balanced(): one zone up to the request's highest zone meeting its
 * high watermark, with its lowmem_reserve for that zone, balances the
 * node. DMA32 and NORMAL of 2048 pages each: min_free_kbytes
 * int_sqrt(16384 * 16) = 512, so min 64 in each zone, high 64 + 2 *
 * max(64 / 4, 2048 * 10 / 10000) = 96, and DMA32's reserve against
 * NORMAL requests 2048 / 256 = 8. With NORMAL empty, DMA32 balances a
 * NORMAL request only above 104 free pages, a DMA32 request above 96.
 */
static void kswapd_balanced_any_zone(struct kunit *test)
{
	struct pgm_page **dpages, **npages;
	struct pgm_zone *dma32, *normal;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	unsigned long i, nr = 4 * PGMT_PB;

	pgmt_topology(&topo, 1, 0, nr, nr, 0);
	inst = pgmt_create(test, &topo);
	dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	KUNIT_ASSERT_EQ(test, pgm_min_wmark_pages(dma32), 64UL);
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(dma32), 96UL);
	KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(normal), 96UL);
	KUNIT_ASSERT_EQ(test, dma32->lowmem_reserve[PGM_ZONE_NORMAL], 8L);
	dpages = kunit_kcalloc(test, nr, sizeof(*dpages), GFP_KERNEL);
	npages = kunit_kcalloc(test, nr, sizeof(*npages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dpages);
	KUNIT_ASSERT_NOT_NULL(test, npages);

	/* NORMAL empty, DMA32 all free: balanced */
	pgmt_take_all(normal, npages, nr);
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(normal, GFP_KERNEL, 0,
						   PGM_ZONE_NORMAL));

	pgmt_take_all(dma32, dpages, nr);
	for (i = 0; i < 104; i++)
		pgmt_give(dma32, dpages[2 * i], 0);
	KUNIT_EXPECT_TRUE(test, pgm_wakeup_kswapd(normal, GFP_KERNEL, 0,
						  PGM_ZONE_NORMAL));
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(dma32, GFP_DMA32, 0,
						   PGM_ZONE_DMA32));
	pgmt_give(dma32, dpages[2 * i++], 0);
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(normal, GFP_KERNEL, 0,
						   PGM_ZONE_NORMAL));

	/* A full NORMAL zone balances NORMAL requests, not DMA32 ones */
	for (i = 0; i < nr; i++)
		pgmt_give(normal, npages[i], 0);
	pgmt_take_all(dma32, dpages, nr);
	for (i = 0; i < 96; i++)
		pgmt_give(dma32, dpages[2 * i], 0);
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(normal, GFP_KERNEL, 0,
						   PGM_ZONE_NORMAL));
	KUNIT_EXPECT_TRUE(test, pgm_wakeup_kswapd(dma32, GFP_DMA32, 0,
						  PGM_ZONE_DMA32));
	pgmt_give(dma32, dpages[2 * i++], 0);
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(dma32, GFP_DMA32, 0,
						   PGM_ZONE_DMA32));
}

/*
 * kswapd=0: a node below min records no order and is not woken, from the
 * slow path's wake_all_kswapds() or directly; on again, it is.
 */
static void kswapd_knob_off(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	ksw_fill_to_min(test, c, PGM_KIND_FILE, KSW_FILL);
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_KSWAPD, 0),
			0);
	KUNIT_EXPECT_FALSE(test, pgm_wakeup_kswapd(zone, GFP_KERNEL, 3,
						   PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_order, 0);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_highest_zoneidx, PGM_MAX_NR_ZONES);

	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_KSWAPD, 1),
			0);
	KUNIT_EXPECT_TRUE(test, pgm_wakeup_kswapd(zone, GFP_KERNEL, 3,
						  PGM_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_order, 3);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_highest_zoneidx, PGM_ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case kswapd_cases[] = {
	KUNIT_CASE(kswapd_balance_to_high),
	KUNIT_CASE(kswapd_memcg_low),
	KUNIT_CASE(kswapd_cache_trim_restart),
	KUNIT_CASE(kswapd_wakeup_while_busy),
	KUNIT_CASE(kswapd_thread_starts_clean),
	KUNIT_CASE(kswapd_boosted_reclaim),
	KUNIT_CASE(kswapd_boost_no_writeback),
	KUNIT_CASE(kswapd_boost_holds_priority),
	KUNIT_CASE(kswapd_order_drops_to_zero),
	KUNIT_CASE(kswapd_failures_stop_wakeups),
	KUNIT_CASE(kswapd_wake_balanced_boosted),
	KUNIT_CASE(kswapd_balanced_any_zone),
	KUNIT_CASE(kswapd_knob_off),
	{}
};

static struct kunit_suite kswapd_suite = {
	.name = "pgmirror_kswapd",
	.test_cases = kswapd_cases,
};

kunit_test_suite(kswapd_suite);

MODULE_LICENSE("GPL");
