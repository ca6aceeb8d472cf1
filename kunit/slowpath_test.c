// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_slowpath: the gfp modifiers and rules of 6.12's
 * __alloc_pages_slowpath(), one case each, pinned to upstream's arithmetic.
 *
 * Most cases use one node with a NORMAL zone of four pageblocks, 2048
 * pages: min_free_kbytes = int_sqrt(2048 * 4 * 16) = 362, so min = 362 / 4
 * = 90, low = 90 + 90 / 4 = 112, high = 134. __zone_watermark_ok() lowers
 * min for the reserve flags:
 *   ALLOC_MIN_RESERVE (__GFP_HIGH):        90 - 45 = 45
 *   ... with ALLOC_NON_BLOCK (GFP_ATOMIC): 45 - 45 / 4 = 34
 *   ALLOC_OOM (an OOM victim):             90 - 45 = 45
 * and passes only while the free pages are above the result. The
 * watermark boost is turned off so that a fallback taking an unmovable
 * page from a movable block cannot raise the watermarks under a case.
 *
 * Memory that must not be reclaimed is anon (no swap) or file without a
 * handle, which still counts as reclaimable but which neither reclaim nor
 * compaction can move. OOM victims are owners holding pinned memory with
 * handles, which the OOM reaper frees but compaction leaves in place.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include "test_util.h"
#include "explain.h"
#include "lru.h"
#include "compaction.h"

#define SLOW_MIN		90L
#define SLOW_MIN_RESERVE	45L
#define SLOW_ATOMIC_MIN		34L
#define SLOW_FILL		1024UL
#define SLOW_VICTIM		256UL
/* Above low + compact_gap(4) = 112 + 32, the costly-order check */
#define SLOW_COMPACT_FREE	200UL

static struct pgm_zone *slow_zone(struct pgm_instance *inst)
{
	return pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
}

/* The 2048-page instance with no watermark boost */
static struct pgmt_mem_ctx *slow_setup(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);

	KUNIT_ASSERT_EQ(test, pgm_set_watermark_boost_factor(c->inst, 0), 0);
	KUNIT_ASSERT_EQ(test, (long)pgm_min_wmark_pages(slow_zone(c->inst)),
			SLOW_MIN);
	return c;
}

static long slow_footprint(struct pgm_owner *o)
{
	return atomic_long_read(&o->nr_pages);
}

/* An owner holding SLOW_VICTIM pinned pages, the only one OOM could kill */
static struct pgm_owner *slow_victim(struct kunit *test,
				     struct pgm_instance *inst)
{
	struct pgm_owner *o = pgm_owner_create(inst, "victim", NULL, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR(o));
	KUNIT_ASSERT_EQ(test, pgmt_owner_fill(inst, o, PGM_KIND_PINNED,
					      SLOW_VICTIM), SLOW_VICTIM);
	return o;
}

/*
 * __GFP_NORETRY on a movable order-2 request (no initial compaction):
 * one reclaim round, one compaction run, then nopage without OOM. min + 16
 * single pages pass compaction_suitable() (min + compact_gap(2) = 98),
 * but no order-2 block can be made.
 */
static void slowpath_noretry(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_owner *v = slow_victim(test, inst);

	pgmt_mem_fill(test, c, PGM_KIND_FILE, SLOW_FILL, false);
	pgmt_mem_to(test, inst, SLOW_MIN + 16, false);

	KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE |
						__GFP_NORETRY | __GFP_NOWARN,
						2, 0, NULL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 1UL);
	/* Counted for the highest zone the request may use */
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_MOVABLE),
			PGMT_NO_PROGRESS_STALLS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT),
			PGMT_NO_PROGRESS_STALLS * PGMT_NO_PROGRESS_SCAN_1024);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTSTALL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, slow_footprint(v), (long)SLOW_VICTIM);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * __GFP_RETRY_MAYFAIL with reclaimable pages that reclaim cannot free:
 * MAX_RECLAIM_RETRIES rounds without progress are retried, the 17th gives
 * up, and the OOM killer is never asked although it has a victim.
 */
static void slowpath_retry_mayfail_retries(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_owner *v = slow_victim(test, inst);

	pgmt_mem_fill(test, c, PGM_KIND_FILE, SLOW_FILL, false);
	pgmt_mem_to_min(test, inst, false);
	KUNIT_ASSERT_EQ(test, pgm_zone_reclaimable_pages(slow_zone(inst)),
			SLOW_FILL);

	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL |
					       __GFP_RETRY_MAYFAIL |
					       __GFP_NOWARN, 0,
					       PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS * (PGM_MAX_RECLAIM_RETRIES + 1));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, slow_footprint(v), (long)SLOW_VICTIM);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * __GFP_RETRY_MAYFAIL with nothing reclaimable: zone_reclaimable_pages()
 * counts the 90 free pages instead (6.12.y), so should_reclaim_retry()
 * sees 180 available, above min, and retries until the 17th round without
 * progress; then the request fails without OOM. The same request without
 * the modifier goes the same 17 rounds, kills the victim and succeeds at
 * the next freelist try.
 */
static void slowpath_retry_mayfail_nothing(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_owner *v = slow_victim(test, inst);

	pgmt_mem_fill(test, c, PGM_KIND_ANON, SLOW_FILL, false);
	pgmt_mem_to_min(test, inst, false);
	KUNIT_ASSERT_EQ(test, pgm_zone_reclaimable_pages(slow_zone(inst)),
			(unsigned long)SLOW_MIN);

	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL |
					       __GFP_RETRY_MAYFAIL |
					       __GFP_NOWARN, 0,
					       PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS * (PGM_MAX_RECLAIM_RETRIES + 1));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, slow_footprint(v), (long)SLOW_VICTIM);

	KUNIT_EXPECT_NOT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL, 0,
						   PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			2 * PGMT_NO_PROGRESS_STALLS *
			(PGM_MAX_RECLAIM_RETRIES + 1));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(v->oom_victim));
	KUNIT_EXPECT_EQ(test, slow_footprint(v), 0L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * __GFP_NOFAIL under pressure. After the 17 rounds the free pages keep
 * alive (see above), out_of_memory() kills nobody without __GFP_FS but
 * reports progress, and __GFP_NOFAIL then takes the reserves
 * (ALLOC_NO_WATERMARKS): the victim lives. With __GFP_FS, the OOM killer
 * runs, as a plain GFP_KERNEL request needs it to; at order 1 no free
 * block of that order exists, so should_reclaim_retry() fails at once.
 */
static void slowpath_nofail_pressure(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_owner *v = slow_victim(test, inst);

	pgmt_mem_fill(test, c, PGM_KIND_ANON, SLOW_FILL, false);
	pgmt_mem_to_min(test, inst, false);

	KUNIT_EXPECT_NOT_NULL(test, pgmt_mem_alloc(inst, GFP_NOFS |
						   __GFP_NOFAIL, 0,
						   PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS * (PGM_MAX_RECLAIM_RETRIES + 1));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 0UL);
	KUNIT_EXPECT_EQ(test, slow_footprint(v), (long)SLOW_VICTIM);

	KUNIT_EXPECT_NOT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL |
						   __GFP_NOFAIL, 1,
						   PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS * (PGM_MAX_RECLAIM_RETRIES + 2));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 0UL);
	KUNIT_EXPECT_EQ(test, slow_footprint(v), 0L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * __alloc_pages_may_oom() gives a __GFP_NOFAIL request the reserves
 * whole (ALLOC_NO_WATERMARKS) once out_of_memory() reported progress. At
 * 40 free pages, below min / 2 = 45 where nopage's ALLOC_MIN_RESERVE
 * fallback would fail too, GFP_NOFS | __GFP_NOFAIL: one round (40 counted
 * twice, 80, is not above min 90), the OOM step kills nobody without
 * __GFP_FS, and the page comes from the reserve at once.
 */
static void slowpath_nofail_no_watermarks(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_owner *v = slow_victim(test, inst);

	pgmt_mem_fill(test, c, PGM_KIND_ANON, SLOW_FILL, false);
	pgmt_mem_to(test, inst, 40, false);

	KUNIT_EXPECT_NOT_NULL(test, pgmt_mem_alloc(inst, GFP_NOFS |
						   __GFP_NOFAIL, 0,
						   PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			(unsigned long)PGMT_NO_PROGRESS_STALLS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 0UL);
	KUNIT_EXPECT_EQ(test, slow_footprint(v), (long)SLOW_VICTIM);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * __GFP_NOFAIL that may not OOM (__GFP_THISNODE) and has no victim: at
 * nopage, the cpuset fallback with ALLOC_MIN_RESERVE passes while more
 * than min - min / 2 = 45 pages are free. With 46 free, the free pages
 * standing in for reclaimable ones make 92 > 90 and keep the request in
 * the loop for 17 rounds first; with 45, 90 is not above min and it goes
 * to nopage after one. Upstream would loop for ever at 45; the mirror
 * drains the pcp lists, goes round once more (a second stall) and fails
 * there.
 */
static void slowpath_nofail_min_reserve(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	gfp_t gfp = GFP_KERNEL | __GFP_NOFAIL | __GFP_THISNODE;
	struct pgm_page *page;

	pgmt_mem_fill(test, c, PGM_KIND_ANON, SLOW_FILL, false);
	pgmt_mem_to(test, inst, SLOW_MIN_RESERVE + 1, false);

	page = pgm_alloc_pages(inst, gfp, 0, 0, NULL);
	KUNIT_EXPECT_NOT_NULL(test, page);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(slow_zone(inst)), SLOW_MIN_RESERVE);
	KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, gfp | __GFP_NOWARN, 0, 0,
						NULL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS * (PGM_MAX_RECLAIM_RETRIES + 1 + 2));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	if (page)
		pgm_free_pages(inst, page, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * An OOM victim gets ALLOC_OOM (min 45) at the retry step, unless it asks
 * with __GFP_NOMEMALLOC: then it reclaims (17 rounds: 2 * 60 free pages
 * pass min), finds nothing to kill and, as a victim with
 * __GFP_NOMEMALLOC, fails rather than loop. 60 free pages lie between
 * the two.
 */
static void slowpath_nomemalloc(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_owner *v = slow_victim(test, inst);

	KUNIT_ASSERT_TRUE(test, pgmt_oom_kill(inst));
	KUNIT_ASSERT_TRUE(test, READ_ONCE(v->oom_victim));
	pgmt_mem_fill(test, c, PGM_KIND_ANON, SLOW_FILL, false);
	pgmt_mem_to(test, inst, 60, false);

	KUNIT_EXPECT_NULL(test, pgmt_owner_alloc(inst, GFP_KERNEL |
						 __GFP_NOMEMALLOC |
						 __GFP_NOWARN, 0, v,
						 PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS * (PGM_MAX_RECLAIM_RETRIES + 1));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);

	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(inst, GFP_KERNEL, 0, v,
						     PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS * (PGM_MAX_RECLAIM_RETRIES + 1));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, slow_footprint(v), 1L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * GFP_ATOMIC never reclaims, even with reclaimable file pages, and may go
 * down to min 34: it passes with 35 free pages and fails with 34. Each
 * failing zone check counts a watermark failure: the fast path checks
 * twice (ALLOC_NOFRAGMENT, then without it, one node), then the failure
 * checks once at the first slow-path try and once at the retry step, 4;
 * the success only fails the fast path, 2.
 */
static void slowpath_atomic(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	unsigned long wmark_fails;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, SLOW_FILL, true);
	pgmt_mem_to(test, inst, SLOW_ATOMIC_MIN + 1, false);
	wmark_fails = pgmt_event(inst, PGM_WMARK_CHECK_FAIL);

	KUNIT_EXPECT_NOT_NULL(test, pgmt_mem_alloc(inst, GFP_ATOMIC, 0,
						   PGM_KIND_KERNEL));
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(slow_zone(inst)), SLOW_ATOMIC_MIN);
	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_ATOMIC | __GFP_NOWARN,
					       0, PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_WMARK_CHECK_FAIL),
			wmark_fails + 6);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * GFP_NOWAIT has no reserve access: it passes with 91 free pages and
 * fails with min = 90, where GFP_ATOMIC still passes. No reclaim.
 */
static void slowpath_nowait(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, SLOW_FILL, true);
	pgmt_mem_to(test, inst, SLOW_MIN + 1, false);

	KUNIT_EXPECT_NOT_NULL(test, pgmt_mem_alloc(inst, GFP_NOWAIT, 0,
						   PGM_KIND_KERNEL));
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(slow_zone(inst)), SLOW_MIN);
	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_NOWAIT, 0,
					       PGM_KIND_KERNEL));
	KUNIT_EXPECT_NOT_NULL(test, pgmt_mem_alloc(inst, GFP_ATOMIC, 0,
						   PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 3UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A costly order (4) of @gfp, which fails. Without __GFP_RETRY_MAYFAIL
 * (slowpath_costly): direct compaction
 * first, then one round of reclaim and compaction, then nopage before
 * should_reclaim_retry() and the OOM step. 200 single pages pass
 * compaction_suitable() (low + compact_gap(4) = 144, fragmentation index
 * 1000 - (1000 + 200 * 1000 / 16) / 200 = 933), but nothing can move.
 * The round's reclaim is one stall, not two: 200 is above high +
 * compact_gap(4) = 166, so the zone is compaction_ready() and the
 * reclaim reports progress 1 without scanning.
 */
static void slow_costly_fails(struct kunit *test, gfp_t gfp, const char *end)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_owner *v = slow_victim(test, inst);

	pgmt_mem_fill(test, c, PGM_KIND_FILE, SLOW_FILL, false);
	pgmt_mem_to(test, inst, SLOW_COMPACT_FREE, false);
	KUNIT_ASSERT_EQ(test, pgm_fragmentation_index(slow_zone(inst), 4), 933);

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, gfp | __GFP_NOWARN,
					       PGM_PAGE_ALLOC_COSTLY_ORDER + 1,
					       PGM_KIND_KERNEL));
	pgm_explain_end(inst);
	/* Where the slow path gave up */
	pgmt_expect_lines(test, inst->explain->buf, &end, 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTSTALL), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFAIL), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, slow_footprint(v), (long)SLOW_VICTIM);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static void slowpath_costly(struct kunit *test)
{
	slow_costly_fails(test, GFP_KERNEL, "slowpath: nopage, result 0, costly");
}

/*
 * slowpath_costly with __GFP_RETRY_MAYFAIL, which goes on past the
 * costly-order nopage: should_reclaim_retry() finds no zone with an
 * order-4 block, however much is reclaimable, and should_compact_retry()
 * sees a failure at DEF_COMPACT_PRIORITY, which is already the floor of a
 * costly order (MIN_COMPACT_COSTLY_PRIORITY): no higher priority, no
 * retry. The OOM step skips a costly order, so the victim stays, and
 * the request ends there (oom_no_victim), not at the costly exit. The
 * same two compaction stalls and one reclaim stall as without the flag;
 * a floor of MIN_COMPACT_PRIORITY would add a round at SYNC_FULL.
 */
static void slowpath_costly_retry_mayfail(struct kunit *test)
{
	slow_costly_fails(test, GFP_KERNEL | __GFP_RETRY_MAYFAIL,
			  "slowpath: nopage, result 0, oom_no_victim");
}

/*
 * A costly __GFP_NORETRY request gives up without reclaim when its first
 * compaction was skipped or deferred. At min (90 free, under low +
 * compact_gap(4) = 144) compaction_suitable() fails: COMPACT_SKIPPED,
 * and no stall is counted. With 200 free and the zone's compaction
 * deferred once for order 4 (considered 0 of 1 << 1): COMPACT_DEFERRED,
 * which __alloc_pages_direct_compact() counts as a stall and a failure,
 * being no COMPACT_SKIPPED. Either way no reclaim stall.
 */
/* One costly __GFP_NORETRY request with @free pages free; @stalls counted */
static void slow_noretry_nopage(struct kunit *test, long free, bool deferred,
				unsigned long stalls)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, SLOW_FILL, false);
	pgmt_mem_to(test, inst, free, false);
	if (deferred)
		pgm_defer_compaction(slow_zone(inst),
				     PGM_PAGE_ALLOC_COSTLY_ORDER + 1);
	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL | __GFP_NORETRY |
					       __GFP_NOWARN,
					       PGM_PAGE_ALLOC_COSTLY_ORDER + 1,
					       PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTSTALL), stalls);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFAIL), stalls);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static void slowpath_costly_noretry_skipped_deferred(struct kunit *test)
{
	slow_noretry_nopage(test, SLOW_MIN, false, 0);
	slow_noretry_nopage(test, SLOW_COMPACT_FREE, true, 1);
}

/*
 * should_compact_retry() raises a non-costly order's priority to
 * MIN_COMPACT_PRIORITY. A checkerboard: every odd pfn a kernel page, so no
 * order-2 block can ever be free, the even pfns below 200 free (100, over
 * min + compact_gap(2) = 98) and the rest file pages reclaim can take. An
 * order-2 GFP_KERNEL | __GFP_RETRY_MAYFAIL request: the first compaction
 * (ASYNC, the request being unmovable) fails; reclaim makes progress,
 * compaction at DEF_COMPACT_PRIORITY fails, should_reclaim_retry() finds
 * no order-2 block however much is reclaimable, and should_compact_retry()
 * goes to SYNC_FULL: one more reclaim and compaction, then no higher
 * priority and no OOM for __GFP_RETRY_MAYFAIL. Three compaction stalls,
 * two reclaim stalls; a floor of MIN_COMPACT_COSTLY_PRIORITY gives two and
 * one.
 */
static void slowpath_compact_priority_raised(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	struct pgm_zone *zone = slow_zone(inst);
	unsigned long pfn, nr = pgm_zone_managed_pages(zone);
	struct pgm_page **pages;

	pages = kunit_kcalloc(test, nr, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_take_all(zone, pages, nr);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 0L);
	for (pfn = 0; pfn < nr; pfn += 2) {
		struct pgm_alloc *a;

		if (pfn < 200) {
			pgmt_give(zone, pages[pfn], 0);
			continue;
		}
		a = pgm_alloc_adopt(inst, pages[pfn], 0, NULL, PGM_KIND_FILE);
		KUNIT_ASSERT_NOT_NULL(test, a);
		pgm_iface_lock(inst);
		KUNIT_ASSERT_EQ(test, pgm_handle_add(inst, a, NULL), 0);
		pgm_iface_unlock(inst);
	}
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 100L);
	KUNIT_ASSERT_EQ(test, (long)pgm_min_wmark_pages(zone), SLOW_MIN);

	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL |
					       __GFP_RETRY_MAYFAIL |
					       __GFP_NOWARN, 2,
					       PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTSTALL), 3UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFAIL), 3UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * slowpath_costly's set-up with one policy knob off, then its request: an
 * order-4 GFP_KERNEL allocation, which fails.
 */
static struct pgm_instance *slow_costly_knob(struct kunit *test,
					     enum pgm_policy knob)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, SLOW_FILL, false);
	pgmt_mem_to(test, inst, SLOW_COMPACT_FREE, false);
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, knob, 0), 0);
	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL | __GFP_NOWARN,
					       PGM_PAGE_ALLOC_COSTLY_ORDER + 1,
					       PGM_KIND_KERNEL));
	return inst;
}

/*
 * slowpath_costly with direct_compaction=0: both compaction steps return
 * COMPACT_SKIPPED before any stall is counted, as when compaction cannot
 * run; the reclaim round and the costly-order nopage stay.
 */
static void slowpath_knob_no_direct_compaction(struct kunit *test)
{
	struct pgm_instance *inst =
		slow_costly_knob(test, PGM_POLICY_DIRECT_COMPACTION);

	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTSTALL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTFAIL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * slowpath_costly with direct_reclaim=0: the round counts as no progress
 * without a stall; both compaction runs happen as before.
 */
static void slowpath_knob_no_direct_reclaim(struct kunit *test)
{
	struct pgm_instance *inst =
		slow_costly_knob(test, PGM_POLICY_DIRECT_RECLAIM);

	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTSTALL), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Costly __GFP_NORETRY after a failed (not skipped, not deferred)
 * initial compaction: __GFP_THISNODE gives up at once, without reclaim;
 * without it, one round of reclaim (one stall: the zone is
 * compaction_ready(), as in slowpath_costly) and compaction follows.
 */
static void slowpath_thisnode_costly_noretry(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	gfp_t gfp = GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, SLOW_FILL, false);
	pgmt_mem_to(test, inst, SLOW_COMPACT_FREE, false);

	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, gfp | __GFP_THISNODE,
					       PGM_PAGE_ALLOC_COSTLY_ORDER + 1,
					       PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTSTALL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);

	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, gfp,
					       PGM_PAGE_ALLOC_COSTLY_ORDER + 1,
					       PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTSTALL), 3UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * The highatomic reserve needs a zone of at least 100 pageblocks: 104
 * give 53248 pages, min_free_kbytes = int_sqrt(53248 * 4 * 16) = 1846,
 * min = 461, low = 576; 1% is 532 pages, at most 1024 reserved.
 *
 * With one free pageblock (512 pages, below low), a GFP_ATOMIC order-4
 * request passes in the slow path, claims the block and reserves it:
 * 512 reserved, 496 free. A GFP_KERNEL order-0 request cannot count the
 * free highatomic pages (496 - 496 = 0 < min) and reclaim finds nothing.
 * With no file pages, the free ones stand in for reclaimable: 992 - 496
 * = 496 > 461 keeps should_reclaim_retry() retrying until the 17th round
 * without progress; then it gives the block back before the OOM step, the
 * retry passes (496 > 461) and the victim lives.
 */
#define SLOW_HA_PAGES	(104 * PGMT_PB)

static void slowpath_highatomic_unreserve(struct kunit *test)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup_pages(test, SLOW_HA_PAGES);
	struct pgm_instance *inst = c->inst;
	struct pgm_zone *zone = slow_zone(inst);
	static const char * const unreserve[] = {
		/* The 17th round without progress finds no zone to retry for */
		"slowpath: retry, result 17, highatomic_unreserved",
	};
	char reserved[128], *back;
	struct pgm_owner *v;
	struct pgm_page *page;

	KUNIT_ASSERT_EQ(test, pgm_set_watermark_boost_factor(inst, 0), 0);
	KUNIT_ASSERT_EQ(test, pgm_min_wmark_pages(zone), 461UL);
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(zone), 576UL);
	v = slow_victim(test, inst);
	pgmt_mem_to_pageblock(test, inst);

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	page = pgm_alloc_pages(inst, GFP_ATOMIC, 4, 0, NULL);
	pgm_explain_end(inst);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_HIGHATOMIC_RESERVE), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), (long)PGMT_PB - 16);
	/* The claim made the block Unmovable before it was reserved */
	snprintf(reserved, sizeof(reserved),
		 "  highatomic: the Unmovable pageblock of pfn %lu reserved (%lu pages reserved in Normal)",
		 pgmt_pfn(inst, page), PGMT_PB);
	pgmt_expect_lines(test, inst->explain->buf,
			  (const char * const []){ reserved }, 1);

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	KUNIT_EXPECT_NOT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL, 0,
						   PGM_KIND_KERNEL));
	pgm_explain_end(inst);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, 0UL);
	back = strstr(inst->explain->buf,
		      " given back as Unmovable (0 pages reserved in Normal)\n");
	KUNIT_EXPECT_NOT_NULL(test, back);
	if (back)
		pgmt_expect_lines(test, back, unreserve, ARRAY_SIZE(unreserve));
	KUNIT_EXPECT_FALSE(test, inst->explain->truncated);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_HIGHATOMIC_UNRESERVE), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS * (PGM_MAX_RECLAIM_RETRIES + 1));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 0UL);
	KUNIT_EXPECT_EQ(test, slow_footprint(v), (long)SLOW_VICTIM);
	pgm_free_pages(inst, page, 4);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Reclaim that frees a few pages but leaves the zone below min: a
 * GFP_KERNEL|__GFP_NORETRY order-0 request then gives the highatomic
 * reserve and the pcp lists back and tries the freelists once more
 * (__alloc_pages_direct_reclaim()); __alloc_pages_direct_compact() returns
 * at once for order 0, and __GFP_NORETRY ends the request.
 */
static void slowpath_reclaim_progress_drain(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	static const char * const path[] = {
		"  reclaim made progress but no page: the highatomic reserve and pcp lists given back, the freelists again",
		"slowpath: nopage, result 0, noretry",
		"result: no page",
	};
	int i;

	pgmt_mem_fill(test, c, PGM_KIND_FILE, 4, true);
	pgmt_mem_to_min(test, inst, false);
	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_take(slow_zone(inst), 0,
						      PGM_MIGRATE_MOVABLE));

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	KUNIT_EXPECT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL |
					       __GFP_NORETRY | __GFP_NOWARN, 0,
					       PGM_KIND_KERNEL));
	pgm_explain_end(inst);
	/* 4 >> 2, 3 >> 1, then all 2 at priority 0: the four file pages */
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 4UL);
	pgmt_expect_lines(test, inst->explain->buf, path, ARRAY_SIZE(path));
	KUNIT_EXPECT_NULL(test, strstr(inst->explain->buf, "slowpath: compact"));
}

/*
 * The same step, where the drain serves: the zone at min (90) less eight
 * pages CPU 1 took and freed to its own pcp list, 82 free, and four file
 * pages. Reclaim frees the four to CPU 0's pcp list, where they do not
 * count either: 82, not above min. Every pcp list drained, 94 are free
 * and the freelists serve, __GFP_NORETRY and all.
 */
static void slowpath_reclaim_progress_drain_serves(struct kunit *test)
{
	struct pgm_page *taken[8];
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgmt_mem_ctx *c;
	struct pgm_zone *zone;
	int i;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	topo.nr_cpus = 2;
	c = pgmt_mem_setup_topo(test, &topo);
	inst = c->inst;
	zone = slow_zone(inst);
	KUNIT_ASSERT_EQ(test, pgm_set_watermark_boost_factor(inst, 0), 0);
	KUNIT_ASSERT_EQ(test, (long)pgm_min_wmark_pages(zone), SLOW_MIN);
	pgmt_mem_fill(test, c, PGM_KIND_FILE, 4, true);
	pgmt_mem_to_min(test, inst, false);
	for (i = 0; i < 8; i++) {
		taken[i] = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
		KUNIT_ASSERT_NOT_NULL(test, taken[i]);
	}
	inst->cpu_override = 1;
	for (i = 0; i < 8; i++)
		pgm_free_pages(inst, taken[i], 0);
	inst->cpu_override = 0;
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), SLOW_MIN - 8);
	KUNIT_ASSERT_EQ(test, zone->per_cpu_pageset[1].count, 8);

	KUNIT_EXPECT_NOT_NULL(test, pgmt_mem_alloc(inst, GFP_KERNEL |
						   __GFP_NORETRY |
						   __GFP_NOWARN, 0,
						   PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 4UL);
	KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[1].count, 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * At the retry step a request without ALLOC_CPUSET (atomic) drops the
 * nodemask: with node 0 empty and a nodemask of node 0 only, GFP_ATOMIC
 * gets its page from node 1, while GFP_KERNEL keeps the nodemask and
 * fails.
 */
static void slowpath_nodemask_reset(struct kunit *test)
{
	struct pgm_nodemask only0 = { };
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_page *page;

	pgmt_topology(&topo, 2, 0, 0, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	__set_bit(0, only0.bits);
	pgmt_mem_to(test, inst, 0, false);

	KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL |
						__GFP_NORETRY | __GFP_NOWARN,
						0, 0, &only0));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			PGMT_NO_PROGRESS_STALLS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);

	page = pgm_alloc_pages(inst, GFP_ATOMIC, 0, 0, &only0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(page), 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	pgm_free_pages(inst, page, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * check_retry_cpuset(): an owner limited to node 1 asking with a nodemask
 * of node 0 only and a hardwall mask (GFP_USER) finds no zone in the fast
 * path nor at the min retry; the nodemask misses its nodes, so the slow
 * path starts over without it and serves the request from node 1, before
 * any reclaim. GFP_KERNEL is softwall in the slow path: its first attempt
 * takes node 0, the root's. The same nodemask for an owner of node 0 is
 * kept.
 */
static void slowpath_cpuset_restart(struct kunit *test)
{
	static const struct {
		gfp_t gfp;
		int nid;
	} cases[] = { { GFP_USER, 1 }, { GFP_KERNEL, 0 } };
	unsigned int i;
	struct pgm_nodemask only0 = { };
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_owner *o1, *o0;
	struct pgm_page *page;

	pgmt_topology(&topo, 2, 0, 0, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	__set_bit(0, only0.bits);
	o1 = pgmt_node_owner(test, inst, "n1", 1);
	o0 = pgmt_node_owner(test, inst, "n0", 0);

	/* GFP_USER restarts to node 1; GFP_KERNEL, softwall, takes node 0 */
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		page = pgm_alloc_pages_owner(inst, cases[i].gfp, 0, 0, &only0,
					     o1);
		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_EQ(test, pgm_page_to_nid(page), cases[i].nid);
		KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH),
				i + 1UL);
		KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
				0UL);
		pgm_free_pages(inst, page, 0);
	}

	page = pgm_alloc_pages_owner(inst, GFP_KERNEL, 0, 0, &only0, o0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(page), 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 2UL);
	pgm_free_pages(inst, page, 0);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, o1), 0);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, o0), 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * __GFP_NOFAIL with the last free page on another CPU's pcp list: from
 * CPU 0 a plain GFP_KERNEL request finds nothing and fails; a
 * __GFP_NOFAIL one fails its fallbacks too, drains every pcp list and
 * gets that page on its second round.
 */
static void slowpath_nofail_remote_pcp(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_page *page, *got;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	topo.nr_cpus = 2;
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	pgmt_mem_to(test, inst, 1, false);

	/* CPU 1 takes the last page and frees it to its own pcp list */
	inst->cpu_override = 1;
	page = pgm_alloc_pages(inst, GFP_KERNEL | __GFP_MEMALLOC, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pgm_free_pages(inst, page, 0);
	inst->cpu_override = 0;
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 0L);
	KUNIT_ASSERT_EQ(test, zone->per_cpu_pageset[1].count, 1);

	KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL | __GFP_NOWARN,
						0, 0, NULL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);

	got = pgm_alloc_pages(inst, GFP_KERNEL | __GFP_NOFAIL, 0, 0, NULL);
	KUNIT_EXPECT_PTR_EQ(test, got, page);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[1].count, 0);
	if (got)
		pgm_free_pages(inst, got, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

struct slow_giver {
	struct pgm_instance *inst;
	struct pgm_page *page;
	struct completion done;
};

/* Another writer: after a while, give one page back, iface_lock exclusive */
static int slow_give_later(void *data)
{
	struct slow_giver *g = data;
	struct pgm_zone *zone = pgm_page_zone(g->inst, g->page);

	msleep(300);
	pgm_iface_lock(g->inst);
	pgmt_give(zone, g->page, 0);
	pgm_iface_unlock(g->inst);
	complete(&g->done);
	return 0;
}

/*
 * A control write's __GFP_NOFAIL request with nothing free, nothing to
 * reclaim and nobody to kill waits with its shared iface_lock let go (the
 * giver needs it exclusively), as upstream's
 * loop goes round, and gets the page another writer frees meanwhile. It
 * never fails, so alloc_fail stays 0.
 */
static void slowpath_nofail_waits(struct kunit *test)
{
	struct pgmt_mem_ctx *c = slow_setup(test);
	struct pgm_instance *inst = c->inst;
	struct slow_giver g = { .inst = inst };
	struct pgm_iface_writer w;
	struct task_struct *t;
	struct pgm_page *page;

	g.page = pgmt_take(slow_zone(inst), 0, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, g.page);
	pgmt_mem_to(test, inst, 0, false);
	init_completion(&g.done);

	t = kthread_run(slow_give_later, &g, "pgmt_giver");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	pgmt_writer_begin(inst, &w, true);
	page = pgm_alloc_pages(inst, GFP_KERNEL | __GFP_NOFAIL, 0, 0, NULL);
	pgmt_writer_end(inst, &w);
	wait_for_completion(&g.done);

	KUNIT_EXPECT_PTR_EQ(test, page, g.page);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_GE(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 2UL);
	if (page)
		pgm_free_pages(inst, page, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case slowpath_cases[] = {
	KUNIT_CASE(slowpath_noretry),
	KUNIT_CASE(slowpath_retry_mayfail_retries),
	KUNIT_CASE(slowpath_retry_mayfail_nothing),
	KUNIT_CASE(slowpath_nofail_pressure),
	KUNIT_CASE(slowpath_nofail_no_watermarks),
	KUNIT_CASE(slowpath_nofail_min_reserve),
	KUNIT_CASE(slowpath_nomemalloc),
	KUNIT_CASE(slowpath_atomic),
	KUNIT_CASE(slowpath_nowait),
	KUNIT_CASE(slowpath_costly),
	KUNIT_CASE(slowpath_costly_retry_mayfail),
	KUNIT_CASE(slowpath_costly_noretry_skipped_deferred),
	KUNIT_CASE(slowpath_compact_priority_raised),
	KUNIT_CASE(slowpath_knob_no_direct_compaction),
	KUNIT_CASE(slowpath_knob_no_direct_reclaim),
	KUNIT_CASE(slowpath_thisnode_costly_noretry),
	KUNIT_CASE(slowpath_highatomic_unreserve),
	KUNIT_CASE(slowpath_reclaim_progress_drain),
	KUNIT_CASE(slowpath_reclaim_progress_drain_serves),
	KUNIT_CASE(slowpath_nodemask_reset),
	KUNIT_CASE(slowpath_cpuset_restart),
	KUNIT_CASE(slowpath_nofail_remote_pcp),
	KUNIT_CASE(slowpath_nofail_waits),
	{}
};

static struct kunit_suite slowpath_suite = {
	.name = "pgmirror_slowpath",
	.test_cases = slowpath_cases,
};

kunit_test_suite(slowpath_suite);

MODULE_LICENSE("GPL");
