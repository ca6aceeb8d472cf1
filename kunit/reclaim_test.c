// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_reclaim: direct reclaim and the 6.12 reclaim retry loop.
 *
 * One node with a NORMAL zone of four pageblocks. RCL_FILL pages are made
 * through the control file's core API (pgm_alloc_create() plus a handle)
 * without __GFP_DIRECT_RECLAIM, the pcp lists are drained and the rest of
 * the zone taken raw until exactly min pages are free, so that a
 * GFP_KERNEL order-0 request fails its min watermark and must reclaim.
 *
 * The numbers: with 1024 pages on the inactive file list, priority p
 * scans size >> p of what is left. 12 and 11 scan nothing, then
 * 10: 1, 9: 1, 8: 3, 7: 7, 6: 15 (27 so far), 5: 31, and at 58 pages the
 * loop stops, SWAP_CLUSTER_MAX being reached. The slab shrinker
 * (do_shrink_slab()) is asked for (nr_deferred >> p) + (freeable >> p) *
 * 4 / DEFAULT_SEEKS and scans only in batches of SHRINK_BATCH (128):
 * 12 and 11 ask for nothing, 10 for 2, 9 for 4, 8 for 8, 7 for 16, 6 for
 * 32 and 5 for 1 + 64, each deferred (2, 6, 14, 30, 62, 126); 4 asks for
 * 126 >> 4 + 128 = 135, scans one batch of 128 and frees it, and the loop
 * stops.
 */

#include <kunit/test.h>
#include "test_util.h"
#include "lru.h"
#include "explain.h"

#define RCL_FILL	1024UL
#define RCL_PROGRESS	58UL
#define RCL_SLAB	128UL

static unsigned long rcl_stat(struct pgm_instance *inst, int item)
{
	return pgm_node_page_state(&inst->node_data[0], item);
}

static unsigned long rcl_nr_handles(struct pgm_instance *inst)
{
	struct pgm_alloc *h;
	unsigned long idx, n = 0;

	xa_for_each(&inst->handles, idx, h)
		n++;
	return n;
}

/* One pgm_try_to_free_pages() for a request of @gfp and @order */
static unsigned long rcl_try(struct kunit *test, struct pgm_instance *inst,
			     gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = PGM_ALLOC_WMARK_LOW;
	struct pgm_alloc_context ac = { };
	unsigned long progress;

	KUNIT_EXPECT_TRUE(test, pgm_prepare_alloc_pages(inst, gfp, order, 0,
							NULL, &ac,
							&alloc_flags));
	pgm_iface_lock(inst);
	progress = pgm_try_to_free_pages(&ac, order, gfp);
	pgm_iface_unlock(inst);
	return progress;
}

/* The DMA32 and Normal zones of the reclaim_idx cases, 4 pageblocks each */
static struct pgmt_mem_ctx *rcl_two_zones(struct kunit *test)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, 1, 0, 4 * PGMT_PB, 4 * PGMT_PB, 0);
	return pgmt_mem_setup_topo(test, &topo);
}

/*
 * pgm_try_to_free_pages() for a GFP_KERNEL request of @order, RCL_FILL
 * file pages made first and, with @at_min, the zone then brought to min
 * in single pages. Return: the progress; *@instp is the instance.
 */
static unsigned long rcl_direct(struct kunit *test,
				struct pgm_instance **instp,
				unsigned int order, bool at_min)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, RCL_FILL, true);
	if (at_min)
		pgmt_mem_to_min(test, inst, false);
	*instp = inst;
	return rcl_try(test, inst, GFP_KERNEL, order);
}

/*
 * throttle_direct_reclaim() never holds up a kernel thread, and KUnit's
 * cases run in one: with the zone at an eighth of min, below half its
 * reserve and with file pages to reclaim, direct reclaim runs at once and
 * pgscan_direct_throttle stays 0 (a control write, a user task, counts it;
 * the selftest t_reclaim_throttle has that).
 */
static void reclaim_kthread_not_throttled(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	KUNIT_ASSERT_TRUE(test, current->flags & PF_KTHREAD);
	/* 11 free, under allow_direct_reclaim()'s half of min 90 */
	KUNIT_ASSERT_EQ(test, pgm_min_wmark_pages(zone), 90UL);
	pgmt_mem_fill(test, c, PGM_KIND_FILE, RCL_FILL, true);
	pgmt_mem_to(test, inst, pgm_min_wmark_pages(zone) / 8, false);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 11L);
	/* The free level plays no part at order 0: the usual 58 */
	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0), RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT_THROTTLE),
			0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* pgm_try_to_free_pages() itself: 58 pages, one stall, all counted */
static void reclaim_progress(struct kunit *test)
{
	struct pgm_instance *inst;
	unsigned long progress = rcl_direct(test, &inst, 0, false);

	KUNIT_EXPECT_EQ(test, progress, RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_DMA32), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT),
			RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_FILE), RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_FILE), RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_INACTIVE_FILE),
			RCL_FILL - RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, rcl_nr_handles(inst), RCL_FILL - RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * isolate_lru_folios() takes a batch off the counters with one change per
 * zone (update_lru_sizes()), so the deltas fold per batch. One pcp CPU
 * and 2048 pages: a stat threshold of 2 * fls(1) * (1 + fls(0)) = 2. The
 * 58 pages of reclaim_progress come in batches of 1, 1, 3, 7, 15 and 31:
 * -1 and -2 stay in the delta, -5 folds, and so does each batch after,
 * leaving the node's and the zone's counts at 1024 - 58 = 966 and no
 * delta. A change per page would leave 967 and -1.
 */
static void reclaim_batches_fold(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	pgmt_mem_fill(test, c, PGM_KIND_FILE, RCL_FILL, true);
	pgmt_mem_to_min(test, inst, false);
	pgm_refresh_zone_stat_thresholds(inst);
	KUNIT_ASSERT_EQ(test, zone->stat_threshold, 2);
	KUNIT_ASSERT_EQ(test, pgdat->stat_threshold, 2);
	KUNIT_ASSERT_EQ(test, rcl_stat(inst, PGM_NR_INACTIVE_FILE), RCL_FILL);

	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0), RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_INACTIVE_FILE),
			RCL_FILL - RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, pgdat->vm_node_stat_diff[0][PGM_NR_INACTIVE_FILE],
			0);
	KUNIT_EXPECT_EQ(test, zone->nr_zone_lru[PGM_LRU_INACTIVE_FILE],
			(long)(RCL_FILL - RCL_PROGRESS));
	KUNIT_EXPECT_EQ(test, zone->lru_stat_diff[0][PGM_LRU_INACTIVE_FILE], 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * shrink_node(): progress on a node sets its kswapd_failures back to 0,
 * so a direct reclaim revives a kswapd that gave up on it; a reclaim that
 * frees nothing there (file blocks without a handle, which it cannot
 * claim) leaves the count where it was.
 */
static void reclaim_resets_kswapd_failures(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgmt_mem_ctx *d = pgmt_mem_setup(test);
	struct pgm_pglist_data *pgdat = &c->inst->node_data[0];

	pgmt_mem_fill(test, c, PGM_KIND_FILE, RCL_FILL, true);
	pgmt_mem_to_min(test, c->inst, false);
	WRITE_ONCE(pgdat->kswapd_failures, PGM_MAX_RECLAIM_RETRIES);
	KUNIT_EXPECT_EQ(test, rcl_try(test, c->inst, GFP_KERNEL, 0),
			RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 0);

	pgdat = &d->inst->node_data[0];
	pgmt_mem_fill(test, d, PGM_KIND_FILE, RCL_FILL, false);
	pgmt_mem_to_min(test, d->inst, false);
	WRITE_ONCE(pgdat->kswapd_failures, PGM_MAX_RECLAIM_RETRIES);
	KUNIT_EXPECT_EQ(test, rcl_try(test, d->inst, GFP_KERNEL, 0), 0UL);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, PGM_MAX_RECLAIM_RETRIES);
}

/*
 * shrink_lruvec()'s proportional_reclaim: global direct reclaim at
 * DEF_PRIORITY scans its whole target rather than stop at nr_to_reclaim.
 * 512 order-9 file folios are 2^18 pages, so priority 12's target is
 * 2^18 >> 12 = 64 pages, scanned in two batches of 32, each of which
 * takes one 512-page folio (isolation counts pages): 1024 reclaimed where
 * a reclaim that stopped at nr_to_reclaim would have freed one, 512.
 */
#define RCL_BIG_FOLIOS	512UL

static void reclaim_def_priority_scans_all(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup_pages(test,
						      RCL_BIG_FOLIOS * PGMT_PB +
						      4 * PGMT_PB);
	gfp_t gfp = pgm_kind_gfp(PGM_KIND_FILE) & ~__GFP_DIRECT_RECLAIM;
	struct pgm_instance *inst = c->inst;
	unsigned long i;

	for (i = 0; i < RCL_BIG_FOLIOS; i++)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_mem_alloc(inst, gfp, 9,
							   PGM_KIND_FILE));
	KUNIT_ASSERT_EQ(test, rcl_stat(inst, PGM_NR_INACTIVE_FILE),
			RCL_BIG_FOLIOS * PGMT_PB);

	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0),
			2 * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 2 * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 2 * PGMT_PB);
	KUNIT_EXPECT_EQ(test, rcl_nr_handles(inst), RCL_BIG_FOLIOS - 2);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * should_continue_reclaim(): for a costly order, shrink_node() repeats
 * while its last pass freed something, no zone passes min at that order,
 * compaction would not run (low + compact_gap() free) and the inactive
 * list holds more than compact_gap(). With the zone at min in single
 * pages, order 0 stops at the usual 58 pages (SWAP_CLUSTER_MAX reached
 * at priority 5); order 4 goes on from its first reclaiming pass, so it
 * reclaims more. The fill raised pcp high to its high_max, 2048 / 8 =
 * 256, and direct reclaim does not set ZONE_RECLAIM_ACTIVE: the pages it
 * frees wait on the pcp, where the buddy cannot see them. Priority 10
 * takes 1; 9 takes 1023 >> 9 = 1 a pass, and the 256th page freed sends
 * the oldest 32 (free_count's cap, batch 1 << 5), pfns 0 to 31, to the
 * buddy: 122 free with an order-5 block, order 4 passes min and the
 * repeating stops at 256.
 */
static void reclaim_for_compaction(struct kunit *test)
{
	struct pgm_instance *zero, *four;
	unsigned long order0 = rcl_direct(test, &zero, 0, true);

	KUNIT_EXPECT_EQ(test, order0, RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, rcl_direct(test, &four, 4, true), 256UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, zero), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, four), 0UL);
}

/*
 * compaction_ready(): a costly order's reclaim passes over a zone where
 * compaction can already work. The zone holds single free pages only
 * and, in the last two rows, one aligned order-4 block. Order 4 at min
 * needs free - 15 > min and that block; else compaction must be
 * suitable (free > low + compact_gap(4) = low + 32, fragindex over 500:
 * single pages give about 930) and free > high + 32. A ready zone is not
 * scanned and the reclaim reports progress 1. One short of ready,
 * priority 10 takes the one page 1024 >> 10 asks for (pcp off, so it
 * reaches the buddy lists and NR_FREE_PAGES at once), which makes the
 * zone ready at priority 9: progress 1 again, one page scanned. Either
 * way one allocstall: compaction_ready stops the full-walk retry, and
 * the priority loop at 12 or 9.
 */
static void reclaim_compaction_ready(struct kunit *test)
{
	static const struct {
		bool from_high;	/* else from min */
		unsigned long extra;
		bool block;
		unsigned long scanned;
	} rows[] = {
		{ true, 33, false, 0 },
		{ true, 32, false, 1 },
		{ false, 16, true, 0 },
		{ false, 15, true, 1 },
	};
	char want[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
		struct pgm_instance *inst = c->inst;
		struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
		unsigned long base = rows[i].from_high ?
				     pgm_high_wmark_pages(zone) :
				     pgm_min_wmark_pages(zone);

		/* 2048 pages: min 90, low 112, high 134 */
		KUNIT_ASSERT_EQ(test, pgm_min_wmark_pages(zone), 90UL);
		KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(zone), 112UL);
		KUNIT_ASSERT_EQ(test, pgm_high_wmark_pages(zone), 134UL);
		pgmt_exact_counters(inst);
		KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_PCP,
							  0), 0);
		pgmt_mem_fill(test, c, PGM_KIND_FILE, RCL_FILL, true);
		pgmt_mem_to(test, inst, base + rows[i].extra, rows[i].block);

		KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
		KUNIT_EXPECT_EQ_MSG(test, rcl_try(test, inst, GFP_KERNEL, 4),
				    1UL, "row %u", i);
		pgm_explain_end(inst);
		/* The priority loop ends where the zone was found ready */
		snprintf(want, sizeof(want),
			 "  reclaim: priority 12 down to %d: %lu back of 32",
			 rows[i].scanned ? 9 : 12, rows[i].scanned);
		pgmt_expect_lines(test, inst->explain->buf,
				  (const char * const []){ want }, 1);
		KUNIT_EXPECT_EQ_MSG(test, pgmt_event(inst, PGM_PGSCAN_DIRECT),
				    rows[i].scanned, "row %u", i);
		KUNIT_EXPECT_EQ_MSG(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT),
				    rows[i].scanned, "row %u", i);
		KUNIT_EXPECT_EQ_MSG(test, rcl_stat(inst, PGM_NR_INACTIVE_FILE),
				    RCL_FILL - rows[i].scanned, "row %u", i);
		KUNIT_EXPECT_EQ_MSG(test,
				    pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
				    1UL, "row %u", i);
		KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	}
}

/* Below min, GFP_KERNEL reclaims once and succeeds */
static void reclaim_alloc_succeeds(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_alloc *a;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, RCL_FILL, true);
	pgmt_mem_to_min(test, inst, false);

	a = pgmt_mem_alloc(inst, GFP_KERNEL, 0, PGM_KIND_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT),
			RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_INACTIVE_FILE),
			RCL_FILL - RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, rcl_nr_handles(inst),
			RCL_FILL - RCL_PROGRESS + 1);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Dirty file pages are written back, then freed. This pins the mirror's
 * behaviour, not 6.12's: upstream's direct reclaim writes no file folio
 * (shrink_folio_list() marks it for immediate reclaim and activates it,
 * for the flusher), so it would reclaim and write 0 here. The mirror has
 * no flusher to wait for (admin guide, "Differences from upstream").
 */
static void reclaim_dirty_written_back(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_alloc *h;
	unsigned long idx;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, RCL_FILL, true);
	xa_for_each(&inst->handles, idx, h)
		KUNIT_ASSERT_EQ(test, pgm_alloc_set_dirty(inst, h), 0);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_FILE_DIRTY), RCL_FILL);
	pgmt_mem_to_min(test, inst, false);

	KUNIT_ASSERT_NOT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL, 0,
						   PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_NR_WRITTEN), RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_FILE), RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_FILE_DIRTY),
			RCL_FILL - RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A dirty file block reclaim cannot claim (no handle: an in-kernel
 * caller's) is not written back: upstream's pageout() runs only on folios
 * isolated from the list. One direct reclaim over RCL_FILL such blocks
 * frees and writes nothing, and they all stay dirty.
 */
static void reclaim_unclaimed_not_written(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	unsigned long i;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, RCL_FILL, false);
	for (i = 0; i < c->nr_owned; i++)
		KUNIT_ASSERT_EQ(test, pgm_alloc_set_dirty(inst, c->owned[i]), 0);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_FILE_DIRTY), RCL_FILL);
	pgmt_mem_to_min(test, inst, false);

	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_NR_WRITTEN), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_FILE), 0UL);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_FILE_DIRTY), RCL_FILL);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_INACTIVE_FILE), RCL_FILL);
}

/*
 * A block whose handle another writer has just retired, but not yet
 * taken off the list, is as a folio whose last reference is going:
 * isolate_lru_folios() counts it in the batch and in pgscan, fails
 * folio_try_get() and moves it to the head untaken. 64 file pages from
 * the tail A1 (the retired one) to A64; try_to_free_pages() wants 32.
 * 64 >> 12..7 is 0; 6 scans A1 alone, nothing back; 5 takes 2 (A2, A3),
 * 4 takes 62 >> 4 = 3, 3 takes 59 >> 3 = 7, 2 takes 52 >> 2 = 13 (25
 * back), 1 takes 39 >> 1 = 19: 44 back, pgscan 1 + 2 + 3 + 7 + 13 + 19 =
 * 45. A1 stays on the list until its writer releases it.
 */
static void reclaim_busy_counted(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct list_head *list;
	struct pgm_alloc *a;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, 64, true);
	pgmt_mem_to_min(test, inst, false);
	list = &inst->node_data[0].lruvec.lists[PGM_LRU_INACTIVE_FILE];
	a = list_last_entry(list, struct pgm_alloc, lru);
	KUNIT_ASSERT_PTR_EQ(test, pgm_handle_take(inst, a->id), a);

	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0), 44UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 45UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 44UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 1UL);
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(list, struct pgm_alloc, lru),
			    a);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_INACTIVE_FILE), 20UL);

	pgm_alloc_release(inst, a);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_INACTIVE_FILE), 19UL);
	KUNIT_EXPECT_EQ(test, rcl_nr_handles(inst), 19UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Anon (no swap) and pinned memory is never reclaimed: 17 rounds (the free
 * pages stand in for reclaimable ones), then failure
 */
static void reclaim_anon_pinned_never(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;

	pgmt_mem_fill(test, c, PGM_KIND_ANON, RCL_FILL / 2, true);
	pgmt_mem_fill(test, c, PGM_KIND_PINNED, RCL_FILL / 2, true);
	pgmt_mem_to_min(test, inst, false);

	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL | __GFP_NOWARN, 0,
					       PGM_KIND_KERNEL));
	/*
	 * Nothing reclaimable, so zone_reclaimable_pages() counts the free
	 * pages instead: 2 * min passes min, and should_reclaim_retry()
	 * retries until MAX_RECLAIM_RETRIES rounds made no progress
	 */
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS * (PGM_MAX_RECLAIM_RETRIES + 1));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_INACTIVE_ANON),
			RCL_FILL / 2);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_UNEVICTABLE), RCL_FILL / 2);
	KUNIT_EXPECT_EQ(test, rcl_nr_handles(inst), RCL_FILL);
}

/*
 * File pages reclaim cannot free (owned by an in-kernel caller, no
 * handle) still count as reclaimable: no progress, 16 retries, then the
 * 17th round exceeds MAX_RECLAIM_RETRIES and the request fails.
 */
static void reclaim_no_progress_retries(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_zone *zone;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, RCL_FILL, false);
	pgmt_mem_to_min(test, inst, false);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, pgm_zone_reclaimable_pages(zone), RCL_FILL);

	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL | __GFP_NOWARN, 0,
					       PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS * (PGM_MAX_RECLAIM_RETRIES + 1));
	/* Every page scanned, none taken back: 34 * 2047 */
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT),
			PGMT_NO_PROGRESS_STALLS * (PGM_MAX_RECLAIM_RETRIES + 1) *
			PGMT_NO_PROGRESS_SCAN_1024);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_INACTIVE_FILE), RCL_FILL);
}

/* __GFP_NORETRY: one reclaim round, then fail */
static void reclaim_noretry_one_round(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, RCL_FILL, false);
	pgmt_mem_to_min(test, inst, false);

	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL | __GFP_NORETRY |
					  __GFP_NOWARN, 0, PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
}

/* A costly order: one round without __GFP_RETRY_MAYFAIL, 17 with it */
static void reclaim_costly_order(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, RCL_FILL, false);
	pgmt_mem_to_min(test, inst, true);

	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL | __GFP_NOWARN,
					       PGM_PAGE_ALLOC_COSTLY_ORDER + 1,
					       PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);

	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL | __GFP_NOWARN |
					       __GFP_RETRY_MAYFAIL,
					       PGM_PAGE_ALLOC_COSTLY_ORDER + 1,
					       PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS * (1 + PGM_MAX_RECLAIM_RETRIES + 1));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 2UL);
}

/* Reclaimable slab is shrunk; unreclaimable slab is not */
static void reclaim_slab_shrunk(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_alloc *u;

	u = pgmt_mem_alloc(inst, GFP_KERNEL & ~__GFP_DIRECT_RECLAIM, 0,
			   PGM_KIND_SLAB);
	KUNIT_ASSERT_NOT_NULL(test, u);
	pgmt_mem_fill(test, c, PGM_KIND_SLAB, RCL_FILL, true);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_SLAB_RECLAIMABLE),
			RCL_FILL);
	pgmt_mem_to_min(test, inst, false);

	KUNIT_ASSERT_NOT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL, 0,
						   PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_SLABS_SCANNED), RCL_SLAB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_SLAB_RECLAIMABLE),
			RCL_FILL - RCL_SLAB);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_SLAB_UNRECLAIMABLE), 1UL);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&inst->handles, u->id), (void *)u);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * reclaim_idx bounds what reclaim scans and how much: a GFP_DMA32
 * request's reclaim sizes its scan by the DMA32 zone's inactive file pages
 * alone (lruvec_lru_size() up to reclaim_idx) and skips the Normal pages
 * it meets, which count in pgscan and pgskip_normal, not towards the
 * batch, and go to the head of the list (isolate_lru_folios()). 1024
 * Normal file pages, the oldest, then 512 DMA32 ones: priorities 12 to 10
 * scan nothing (512 >> p), 9 scans 1 and walks past all 1024 Normal pages
 * to it, 8: 1 (511 >> 8), 7: 3, 6: 7, 5: 15 (27 so far), 4: 30 (485 >> 4),
 * and at 57 the loop stops, SWAP_CLUSTER_MAX being reached. pgscan_direct
 * is 57 + 1024; every Normal page stays.
 */
static void reclaim_zone_limited(struct kunit *test)
{
	gfp_t user = (GFP_USER | __GFP_MOVABLE) & ~__GFP_DIRECT_RECLAIM;
	struct pgm_instance *inst = rcl_two_zones(test)->inst;
	struct pgm_zone *dma32;
	unsigned long i;

	dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	for (i = 0; i < 1024; i++)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_mem_alloc(inst, user, 0,
							   PGM_KIND_FILE));
	for (i = 0; i < 512; i++)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_mem_alloc(inst,
							   user | __GFP_DMA32,
							   0, PGM_KIND_FILE));
	KUNIT_ASSERT_EQ(test, dma32->nr_zone_lru[PGM_LRU_INACTIVE_FILE], 512UL);
	KUNIT_ASSERT_EQ(test, rcl_stat(inst, PGM_NR_INACTIVE_FILE), 1536UL);

	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL | __GFP_DMA32, 0),
			57UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_DMA32), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 57UL + 1024);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSKIP_NORMAL), 1024UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 57UL);
	KUNIT_EXPECT_EQ(test, dma32->nr_zone_lru[PGM_LRU_INACTIVE_FILE],
			512UL - 57);
	KUNIT_EXPECT_EQ(test, pgmt_zone(inst, 0, PGM_ZONE_NORMAL)
				->nr_zone_lru[PGM_LRU_INACTIVE_FILE], 1024UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Shrinkers are not zone-aware: a GFP_DMA32 request's reclaim shrinks the
 * node's reclaimable slab wherever it lies (shrink_slab() takes the node,
 * not reclaim_idx), here all in Normal, with the arithmetic above: 128
 * pages at priority 4, and that is the progress. The 64 unreclaimable
 * slab pages, older, are on no shrinker's list: not walked, not freed.
 */
static void reclaim_slab_any_zone(struct kunit *test)
{
	struct pgmt_mem_ctx *c = rcl_two_zones(test);
	struct pgm_instance *inst = c->inst;
	unsigned long i;

	for (i = 0; i < 64; i++)
		KUNIT_ASSERT_NOT_NULL(test,
				      pgmt_mem_alloc(inst,
						     GFP_KERNEL & ~__GFP_DIRECT_RECLAIM,
						     0, PGM_KIND_SLAB));
	pgmt_mem_fill(test, c, PGM_KIND_SLAB, RCL_FILL, true);
	KUNIT_ASSERT_EQ(test, rcl_stat(inst, PGM_NR_SLAB_RECLAIMABLE), RCL_FILL);
	/* GFP_KERNEL's zone: not one page of DMA32 was taken */
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(pgmt_zone(inst, 0, PGM_ZONE_DMA32)),
			4L * PGMT_PB);

	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL | __GFP_DMA32, 0),
			RCL_SLAB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_SLABS_SCANNED), RCL_SLAB);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_SLAB_RECLAIMABLE),
			RCL_FILL - RCL_SLAB);
	KUNIT_EXPECT_EQ(test, rcl_stat(inst, PGM_NR_SLAB_UNRECLAIMABLE), 64UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Global reclaim visits each memcg's lruvec in turn (shrink_node_memcgs()):
 * the root's, then owner a's, then b's (mem_cgroup_iter()'s pre-order),
 * each scanned size >> priority of its own inactive file pages, and a
 * direct reclaimer's partial walk stops after the lruvec that brought
 * nr_to_reclaim back, leaving the node's position there for the next
 * one. 1024 file pages of no owner, 2048 of a and 1024 of b, GFP_KERNEL:
 * priority 12 scans nothing, 11 takes 1 of a, 10 one of each (4), 9:
 * 1, 3, 1 (9), 8: 3, 7, 3 (22), 7: the root's 7 (29) and a's 15 (44),
 * where the walk stops: root 12, a 27, b 5, position a. The next call
 * starts after a: at 12 it visits b alone (nothing) and reaches the end;
 * 11 nothing; 10: a's 1; 9: 1, 3, 1 (6); 8: 3, 7, 3 (19); 7: 7 and a's
 * 15 (41), stopping at a again: root 11, a 26, b 4 more. Destroying an
 * owner the position is not at leaves it; destroying a (its pages freed
 * first) resets it, as invalidate_reclaim_iterators()'s cmpxchg() of
 * the dead memcg: the third call starts at the root
 * again, 1001 and b's 1015 left: 9: 1, 1; 8: 3, 3; 7: 7, 7 (22); 6: the
 * root's 15 (37), where it stops.
 */
static void reclaim_memcg_walk(struct kunit *test)
{
	gfp_t gfp = pgm_kind_gfp(PGM_KIND_FILE) & ~__GFP_DIRECT_RECLAIM;
	struct pgmt_mem_ctx *c = pgmt_mem_setup_pages(test, 16 * PGMT_PB);
	struct pgm_instance *inst = c->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	struct pgm_owner *a = pgm_owner_create(inst, "a", NULL, 0);
	struct pgm_owner *b = pgm_owner_create(inst, "b", NULL, 0);
	struct pgm_lruvec *vec[3] = { &pgdat->lruvec };
	struct pgm_owner *d;
	static const unsigned long fill[3] = { 1024, 2048, 1024 };
	static const unsigned long left[2][3] = {
		{ 1024 - 12, 2048 - 27, 1024 - 5 },
		{ 1024 - 12 - 11, 2048 - 27 - 26, 1024 - 5 - 4 },
	};
	static const unsigned long progress[2] = { 44, 41 };
	unsigned long i;
	int v, call;

	KUNIT_ASSERT_FALSE(test, IS_ERR(a) || IS_ERR(b));
	vec[1] = &a->lruvec[0];
	vec[2] = &b->lruvec[0];
	for (v = 0; v < 3; v++)
		for (i = 0; i < fill[v]; i++)
			KUNIT_ASSERT_NOT_NULL(test,
					      pgmt_owner_alloc(inst, gfp, 0,
							       v == 1 ? a : v == 2 ? b : NULL,
							       PGM_KIND_FILE));
	for (v = 0; v < 3; v++)
		KUNIT_ASSERT_EQ(test, vec[v]->inactive_file[PGM_ZONE_NORMAL],
				fill[v]);

	for (call = 0; call < 2; call++) {
		KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0),
				progress[call]);
		for (v = 0; v < 3; v++)
			KUNIT_EXPECT_EQ_MSG(test,
					    vec[v]->inactive_file[PGM_ZONE_NORMAL],
					    left[call][v], "call %d lruvec %d",
					    call, v);
		KUNIT_EXPECT_EQ(test, READ_ONCE(pgdat->memcg_iter), (long)a->id);
	}

	/* An owner the position is not at leaves it where it is */
	d = pgm_owner_create(inst, "d", NULL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	pgm_iface_lock(inst);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, d), 0);
	pgm_iface_unlock(inst);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pgdat->memcg_iter), (long)a->id);

	pgm_iface_lock(inst);
	KUNIT_EXPECT_EQ(test, pgm_owner_handles_free(inst, a), left[1][1]);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, a), 0);
	pgm_iface_unlock(inst);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pgdat->memcg_iter), PGM_MEMCG_ITER_NONE);
	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0), 37UL);
	KUNIT_EXPECT_EQ(test, vec[0]->inactive_file[PGM_ZONE_NORMAL],
			left[1][0] - 26);
	KUNIT_EXPECT_EQ(test, vec[2]->inactive_file[PGM_ZONE_NORMAL],
			left[1][2] - 11);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pgdat->memcg_iter), PGM_MEMCG_ITER_ROOT);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* One owner with RCL_FILL pages of @kind and nothing else to take */
static struct pgm_owner *rcl_owner_filled(struct kunit *test,
					  struct pgm_instance **instp,
					  enum pgm_kind kind)
{
	gfp_t gfp = pgm_kind_gfp(kind) & ~__GFP_DIRECT_RECLAIM;
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct pgm_owner *a = pgm_owner_create(c->inst, "a", NULL, 0);
	unsigned long i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	for (i = 0; i < RCL_FILL; i++)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_owner_alloc(c->inst, gfp, 0, a,
							     kind));
	*instp = c->inst;
	return a;
}

/*
 * memory.low above the usage it protects (get_scan_count()'s proportional
 * protection): owner a, 1024 file pages, low 768, is scanned
 * L - L * 768 / (usage + 1) of its L pages (at least SWAP_CLUSTER_MAX),
 * then >> priority: 257 until 8 takes 1; 7: 256 >> 7 = 2 (3); 6: 254 -> 3
 * (6); 5: 251 -> 7 (13); 4: 244 -> 15 (28); 3: 229 -> 28 (56), where 32
 * are back. Unprotected, the same reclaim stops at priority 5 with 58.
 * a is above its low, so no low event.
 */
static void reclaim_memcg_low_proportional(struct kunit *test)
{
	struct pgm_instance *inst;
	struct pgm_owner *a = rcl_owner_filled(test, &inst, PGM_KIND_FILE);

	WRITE_ONCE(a->low, 768);
	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0), 56UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 56UL);
	KUNIT_EXPECT_EQ(test, a->lruvec[0].inactive_file[PGM_ZONE_NORMAL],
			RCL_FILL - 56);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&a->nr_pages),
			(long)(RCL_FILL - 56));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 1UL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&a->events[PGM_MEMCG_LOW]), 0L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A busy block on a list shorter than the batch is met again, as
 * isolate_lru_folios() moves it to the head and goes on taking the tail.
 * Owner a holds 4 file pages and 10 anon ones (no swap: never scanned,
 * but its usage stays above its low of 2, so it is never skipped).
 * get_scan_count() scans L - L * 2 / (14 + 1) = L of the L file pages
 * left, raised to SWAP_CLUSTER_MAX, so 32 >> priority. A1, the tail, is
 * busy. 12 to 6 scan nothing; 5 meets A1 (1); 4 takes A2 and A3 (2); 3
 * takes A4, then meets A1 three times (4); 2, 1 and 0 meet only A1, 8,
 * 16 and 32 times. 3 back, pgscan 1 + 2 + 4 + 8 + 16 + 32 = 63, where a
 * block met once a batch would make it 8.
 */
static void reclaim_busy_met_again(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	gfp_t gfp = pgm_kind_gfp(PGM_KIND_FILE) & ~__GFP_DIRECT_RECLAIM;
	struct pgm_instance *inst = c->inst;
	struct pgm_owner *a = pgm_owner_create(inst, "a", NULL, 0);
	struct list_head *list;
	struct pgm_alloc *busy;
	int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_owner_alloc(inst, gfp, 0, a,
							     PGM_KIND_FILE));
	gfp = pgm_kind_gfp(PGM_KIND_ANON) & ~__GFP_DIRECT_RECLAIM;
	for (i = 0; i < 10; i++)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_owner_alloc(inst, gfp, 0, a,
							     PGM_KIND_ANON));
	pgmt_mem_to_min(test, inst, false);
	WRITE_ONCE(a->low, 2);
	list = &a->lruvec[0].lists[PGM_LRU_INACTIVE_FILE];
	busy = list_last_entry(list, struct pgm_alloc, lru);
	KUNIT_ASSERT_PTR_EQ(test, pgm_handle_take(inst, busy->id), busy);

	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0), 3UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 63UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 3UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 1UL);
	KUNIT_EXPECT_TRUE(test, list_is_singular(list));
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(list, struct pgm_alloc, lru),
			    busy);
	KUNIT_EXPECT_EQ(test, a->lruvec[0].inactive_file[PGM_ZONE_NORMAL], 1UL);

	pgm_alloc_release(inst, busy);
	KUNIT_EXPECT_TRUE(test, list_empty(list));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&a->nr_pages), 10L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * An owner within memory.min is never reclaimed: a reclaim with nothing
 * else to take gets nothing, two stalls (the full-walk retry), and no
 * memory.low retry. Within memory.low instead (min 0, low 2048 over 1024
 * used), the two walks pass it over and the third, reclaiming low,
 * takes what an unprotected lruvec gives (protection min = 0: 58 pages,
 * priorities 12 to 5), counting a low event at each of its 8 visits.
 */
static void reclaim_memcg_min_low(struct kunit *test)
{
	struct pgm_instance *inst;
	struct pgm_owner *a = rcl_owner_filled(test, &inst, PGM_KIND_FILE);

	WRITE_ONCE(a->min, RCL_FILL);
	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&a->nr_pages), (long)RCL_FILL);

	WRITE_ONCE(a->min, 0);
	WRITE_ONCE(a->low, 2 * RCL_FILL);
	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0),
			RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS + 3);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT),
			RCL_PROGRESS);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&a->nr_pages),
			(long)(RCL_FILL - RCL_PROGRESS));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&a->events[PGM_MEMCG_LOW]), 8L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A protected owner above its protection has each list scanned at least
 * SWAP_CLUSTER_MAX >> priority, its empty active file list too: from
 * priority 5 shrink_list() is asked to deactivate it and may not
 * (nothing is short, nothing refaulted), so skipped_deactivate is set.
 * Owner a holds 1024 anon pages with low 1, and nothing is reclaimable:
 * the first walk (low scaling marks memcg_low_skipped), the full walk,
 * the force_deactivate retry, the memcg_low_reclaim retry (which sets
 * skipped_deactivate again, force_deactivate being cleared) and a last
 * force_deactivate retry: five stalls, no progress. Unprotected, two.
 */
static void reclaim_memcg_deactivate_retry(struct kunit *test)
{
	struct pgm_instance *inst;
	struct pgm_owner *a = rcl_owner_filled(test, &inst, PGM_KIND_ANON);
	static const char * const passes[] = {
		"  reclaim: priority 12 down to 0: 0 back of 32",
		"  reclaim: priority 12 down to 0, full memcg walks: 0 back of 32",
		"  reclaim: priority 12 down to 0, full memcg walks, deactivation forced: 0 back of 32",
		"  reclaim: priority 12 down to 0, full memcg walks, memory.low reclaimed: 0 back of 32",
		"  reclaim: priority 12 down to 0, full memcg walks, deactivation forced, memory.low reclaimed: 0 back of 32",
	};

	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS);
	WRITE_ONCE(a->low, 1);
	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	KUNIT_EXPECT_EQ(test, rcl_try(test, inst, GFP_KERNEL, 0), 0UL);
	pgm_explain_end(inst);
	pgmt_expect_lines(test, inst->explain->buf, passes, ARRAY_SIZE(passes));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS + 5);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&a->events[PGM_MEMCG_LOW]), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&a->nr_pages), (long)RCL_FILL);
}

static struct kunit_case reclaim_cases[] = {
	KUNIT_CASE(reclaim_progress),
	KUNIT_CASE(reclaim_resets_kswapd_failures),
	KUNIT_CASE(reclaim_batches_fold),
	KUNIT_CASE(reclaim_for_compaction),
	KUNIT_CASE(reclaim_def_priority_scans_all),
	KUNIT_CASE(reclaim_compaction_ready),
	KUNIT_CASE(reclaim_alloc_succeeds),
	KUNIT_CASE(reclaim_dirty_written_back),
	KUNIT_CASE(reclaim_unclaimed_not_written),
	KUNIT_CASE(reclaim_busy_counted),
	KUNIT_CASE(reclaim_busy_met_again),
	KUNIT_CASE(reclaim_anon_pinned_never),
	KUNIT_CASE(reclaim_no_progress_retries),
	KUNIT_CASE(reclaim_noretry_one_round),
	KUNIT_CASE(reclaim_costly_order),
	KUNIT_CASE(reclaim_slab_shrunk),
	KUNIT_CASE(reclaim_zone_limited),
	KUNIT_CASE(reclaim_slab_any_zone),
	KUNIT_CASE(reclaim_memcg_walk),
	KUNIT_CASE(reclaim_memcg_low_proportional),
	KUNIT_CASE(reclaim_memcg_min_low),
	KUNIT_CASE(reclaim_memcg_deactivate_retry),
	KUNIT_CASE(reclaim_kthread_not_throttled),
	{}
};

static struct kunit_suite reclaim_suite = {
	.name = "pgmirror_reclaim",
	.test_cases = reclaim_cases,
};

kunit_test_suite(reclaim_suite);

MODULE_LICENSE("GPL");
