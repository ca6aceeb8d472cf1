// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_oom: oom_badness, the choice of victim and the OOM step of
 * the 6.12 slow path.
 *
 * One node with a NORMAL zone of four pageblocks: 2048 managed pages, so
 * that a point of oom_score_adj is worth 2048 / 1000 = 2 pages (6.12
 * divides first). Allocations are made through the control file's core
 * API (pgm_alloc_create() plus a handle, under iface_lock) and filled
 * without __GFP_DIRECT_RECLAIM until the min watermark stops them. Anon
 * memory cannot be reclaimed (no swap), so a GFP_KERNEL request then has
 * only the OOM killer left.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include "cmd.h"
#include "test_util.h"
#include "lru.h"
#include "explain.h"

#define OOM_TOTAL	(4 * PGMT_PB)

static void oom_cleanup(void *data)
{
	struct pgm_instance *inst = data;

	pgm_iface_lock(inst);
	pgm_handles_free(inst, NULL, NULL);
	pgm_iface_unlock(inst);
}

static struct pgm_instance *oom_setup(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 1, 0, 0, OOM_TOTAL, 0);
	inst = pgmt_create(test, &topo);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, oom_cleanup, inst));
	KUNIT_ASSERT_EQ(test, pgm_totalram_pages(inst), OOM_TOTAL);
	return inst;
}

static struct pgm_owner *oom_owner(struct kunit *test,
				   struct pgm_instance *inst,
				   const char *name, int adj)
{
	struct pgm_owner *o = pgm_owner_create(inst, name, NULL, adj);

	KUNIT_ASSERT_FALSE(test, IS_ERR(o));
	return o;
}

/* Up to @n order-0 anon pages for @owner that cannot reclaim; how many */
static unsigned long oom_fill(struct pgm_instance *inst,
			      struct pgm_owner *owner, unsigned long n)
{
	return pgmt_owner_fill(inst, owner, PGM_KIND_ANON, n);
}

static long oom_footprint(struct pgm_owner *o)
{
	return atomic_long_read(&o->nr_pages);
}

static unsigned long oom_nr_handles(struct pgm_instance *inst)
{
	struct pgm_alloc *h;
	unsigned long idx, n = 0;

	xa_for_each(&inst->handles, idx, h)
		n++;
	return n;
}

struct oom_badness_case {
	long footprint;
	int adj;
	unsigned long totalpages;
	long points;
};

static const struct oom_badness_case oom_badness_cases[] = {
	{ 600, 0, OOM_TOTAL, 600 },
	{ 400, 500, OOM_TOTAL, 1400 },
	{ 100, 1000, OOM_TOTAL, 2100 },
	{ 500, -200, OOM_TOTAL, 100 },
	{ 100, -999, OOM_TOTAL, -1898 },
	{ 1000, -1000, OOM_TOTAL, LONG_MIN },
	{ 0, 1000, OOM_TOTAL, LONG_MIN },
	/* Fewer than 1000 pages: adj is worth nothing */
	{ 400, 500, 999, 400 },
	{ 400, 500, 100000, 50400 },
};

/* oom_badness(): footprint + adj * (totalpages / 1000), -1000 never */
static void oom_badness_values(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(oom_badness_cases); i++) {
		const struct oom_badness_case *c = &oom_badness_cases[i];
		char name[8];
		struct pgm_owner *o;

		snprintf(name, sizeof(name), "o%u", i);
		o = oom_owner(test, inst, name, c->adj);
		atomic_long_set(&o->nr_pages, c->footprint);
		KUNIT_EXPECT_EQ_MSG(test, pgm_oom_badness(o, c->totalpages),
				    c->points, "case %u", i);
		atomic_long_set(&o->nr_pages, 0);
	}
}

/*
 * A: 600 pages, adj 0: 600 points. B: 400 pages, adj +500:
 * 400 + 500 * 2 = 1400. B dies, and exactly its 400 pages come back.
 */
static void oom_picks_after_adj(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_owner *a = oom_owner(test, inst, "a", 0);
	struct pgm_owner *b = oom_owner(test, inst, "b", 500);
	long free_before;

	KUNIT_ASSERT_EQ(test, oom_fill(inst, a, 600), 600UL);
	KUNIT_ASSERT_EQ(test, oom_fill(inst, b, 400), 400UL);
	KUNIT_EXPECT_EQ(test, pgm_oom_badness(a, OOM_TOTAL), 600L);
	KUNIT_EXPECT_EQ(test, pgm_oom_badness(b, OOM_TOTAL), 1400L);
	pgm_drain_all_pages(inst, NULL);
	free_before = pgmt_nr_free(zone);

	KUNIT_EXPECT_TRUE(test, pgmt_oom_kill(inst));
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 1UL);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(b->oom_victim));
	KUNIT_EXPECT_FALSE(test, READ_ONCE(a->oom_victim));
	KUNIT_EXPECT_EQ(test, oom_footprint(b), 0L);
	KUNIT_EXPECT_EQ(test, oom_footprint(a), 600L);
	KUNIT_EXPECT_EQ(test, oom_nr_handles(inst), 600UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free_before + 400);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* Equal points: the last owner visited wins, as oom_evaluate_task() */
static void oom_tie_last_wins(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	struct pgm_owner *a = oom_owner(test, inst, "a", 0);
	struct pgm_owner *b = oom_owner(test, inst, "b", 0);

	KUNIT_ASSERT_EQ(test, oom_fill(inst, a, 100), 100UL);
	KUNIT_ASSERT_EQ(test, oom_fill(inst, b, 100), 100UL);
	KUNIT_EXPECT_TRUE(test, pgmt_oom_kill(inst));
	KUNIT_EXPECT_EQ(test, oom_footprint(a), 100L);
	KUNIT_EXPECT_EQ(test, oom_footprint(b), 0L);
}

/* OOM_SCORE_ADJ_MIN is never chosen, however large; nothing is killed */
static void oom_adj_min_never(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	struct pgm_owner *a = oom_owner(test, inst, "a", PGM_OOM_SCORE_ADJ_MIN);
	struct pgm_owner *b = oom_owner(test, inst, "b", -999);

	KUNIT_ASSERT_EQ(test, oom_fill(inst, a, 1000), 1000UL);
	KUNIT_EXPECT_FALSE(test, pgmt_oom_kill(inst));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, oom_footprint(a), 1000L);

	/* -999 with 10 pages: -1988 points, but still eligible */
	KUNIT_ASSERT_EQ(test, oom_fill(inst, b, 10), 10UL);
	KUNIT_EXPECT_TRUE(test, pgmt_oom_kill(inst));
	KUNIT_EXPECT_EQ(test, oom_footprint(b), 0L);
	KUNIT_EXPECT_EQ(test, oom_footprint(a), 1000L);
}

/*
 * "small" holds 300 pages, "big" the rest of the zone down to the min
 * watermark, all anon. Returns big.
 */
static struct pgm_owner *oom_fill_full(struct kunit *test,
				       struct pgm_instance *inst,
				       struct pgm_owner **small)
{
	struct pgm_owner *big;

	*small = oom_owner(test, inst, "small", 0);
	big = oom_owner(test, inst, "big", 0);
	KUNIT_ASSERT_EQ(test, oom_fill(inst, *small, 300), 300UL);
	KUNIT_ASSERT_LT(test, oom_fill(inst, big, OOM_TOTAL), OOM_TOTAL);
	KUNIT_ASSERT_GT(test, oom_footprint(big), 300L);
	return big;
}

/*
 * GFP_KERNEL with anon memory full: the free pages stand in for the
 * reclaimable ones (6.12.y) and keep should_reclaim_retry() going for 16
 * retries; the 17th round without progress ends in one kill, of big, then
 * success. Each round's reclaim walks the priorities twice, the second
 * time with full memcg walks, as it got nothing the first.
 */
static void oom_gfp_kernel_kills_once(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	struct pgm_owner *small, *big = oom_fill_full(test, inst, &small);
	unsigned long fails = pgmt_event(inst, PGM_ALLOC_FAIL);
	unsigned long stalls = pgmt_event(inst, PGM_ALLOCSTALL_NORMAL);
	static const char * const path[] = {
		"  reclaim: priority 12 down to 0: 0 back of 32",
		"  reclaim: priority 12 down to 0, full memcg walks: 0 back of 32",
		"slowpath: reclaim, result 0",
		"slowpath: retry, result 1, reclaim_retry",
		"slowpath: retry, result 16, reclaim_retry",
		"slowpath: reclaim, result 0",
		"slowpath: oom, result 1, killed",
		"slowpath: retry, result 0, oom_killed",
	};

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(inst, GFP_KERNEL, 0, NULL,
						     PGM_KIND_KERNEL));
	pgm_explain_end(inst);
	pgmt_expect_lines(test, inst->explain->buf, path, ARRAY_SIZE(path));
	KUNIT_EXPECT_FALSE(test, inst->explain->truncated);
	/* __alloc_pages_direct_compact() returns at once for order 0 */
	KUNIT_EXPECT_NULL(test, strstr(inst->explain->buf, "slowpath: compact"));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL) - stalls,
			PGMT_NO_PROGRESS_STALLS * (PGM_MAX_RECLAIM_RETRIES + 1));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), fails);
	KUNIT_EXPECT_EQ(test, oom_footprint(big), 0L);
	KUNIT_EXPECT_EQ(test, oom_footprint(small), 300L);
	KUNIT_EXPECT_EQ(test, oom_nr_handles(inst), 301UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

struct oom_holder {
	struct pgm_instance *inst;
	unsigned long stalls;
	struct completion locked;
};

/*
 * Holds oom_lock until the allocating test has gone round three times
 * after finding it taken: the first OOM step comes after 17 rounds, each
 * two stalls
 */
static int oom_hold_lock(void *data)
{
	struct oom_holder *h = data;

	mutex_lock(&h->inst->oom_lock);
	complete(&h->locked);
	while (pgmt_event(h->inst, PGM_ALLOCSTALL_NORMAL) <
	       h->stalls + PGMT_NO_PROGRESS_STALLS *
	       (PGM_MAX_RECLAIM_RETRIES + 1 + 3) &&
	       !kthread_should_stop())
		usleep_range(1000, 2000);
	mutex_unlock(&h->inst->oom_lock);
	while (!kthread_should_stop())
		usleep_range(1000, 2000);
	return 0;
}

/*
 * __alloc_pages_may_oom() with oom_lock taken by someone else: no kill,
 * a tick's sleep and progress, which resets the no-progress count, so the
 * request goes another 17 rounds (reclaim each time) before it tries
 * again; the lock is free by then: one kill and success. At least 34
 * rounds, 68 stalls; one OOM step with the lock free would have stopped
 * at 17 rounds.
 */
static void oom_lock_contended(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	struct pgm_owner *small, *big = oom_fill_full(test, inst, &small);
	unsigned long fails = pgmt_event(inst, PGM_ALLOC_FAIL);
	struct oom_holder h = {
		.inst = inst,
		.stalls = pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
	};
	struct task_struct *t;

	init_completion(&h.locked);
	t = kthread_run(oom_hold_lock, &h, "pgmt_oom_holder");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&h.locked);
	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(inst, GFP_KERNEL, 0, NULL,
						     PGM_KIND_KERNEL));
	kthread_stop(t);
	KUNIT_EXPECT_GE(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL),
			h.stalls + 2 * PGMT_NO_PROGRESS_STALLS *
			(PGM_MAX_RECLAIM_RETRIES + 1));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), fails);
	KUNIT_EXPECT_EQ(test, oom_footprint(big), 0L);
	KUNIT_EXPECT_EQ(test, oom_footprint(small), 300L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* Requests the OOM killer must leave alone fail without a kill */
static void oom_not_for_these(struct kunit *test)
{
	static const struct {
		gfp_t gfp;
		unsigned int order;
	} reqs[] = {
		{ GFP_KERNEL, PGM_PAGE_ALLOC_COSTLY_ORDER + 1 },
		{ GFP_KERNEL | __GFP_RETRY_MAYFAIL, 0 },
		{ GFP_KERNEL | __GFP_NORETRY, 0 },
		{ GFP_KERNEL | __GFP_THISNODE, 0 },
		{ GFP_NOFS, 0 },
	};
	struct pgm_instance *inst = oom_setup(test);
	struct pgm_owner *small, *big = oom_fill_full(test, inst, &small);
	long footprint = oom_footprint(big);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		unsigned long fails = pgmt_event(inst, PGM_ALLOC_FAIL);

		KUNIT_EXPECT_NULL_MSG(test,
				      pgmt_owner_alloc(inst, reqs[i].gfp |
						       __GFP_NOWARN,
						       reqs[i].order, NULL,
						       PGM_KIND_KERNEL),
				      "request %u", i);
		KUNIT_EXPECT_EQ_MSG(test, pgmt_event(inst, PGM_ALLOC_FAIL),
				    fails + 1, "request %u", i);
	}
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, oom_footprint(big), footprint);
	KUNIT_EXPECT_EQ(test, oom_footprint(small), 300L);
}

/*
 * vm.oom_kill_allocating_task: the requesting owner dies, not the one
 * with the most points. small (300 pages) asks with anon memory full:
 * small is killed, big keeps its pages, and the retry succeeds. An owner
 * with oom_score_adj -1000 (and 10 pages) asking leaves the choice to the
 * points: big; so does one without pages, in a second instance.
 */
static void oom_kill_allocating(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	struct pgm_owner *nokill = oom_owner(test, inst, "nokill",
					     PGM_OOM_SCORE_ADJ_MIN);
	struct pgm_owner *empty, *small, *big;
	struct pgm_zone *zone;
	long footprint;

	KUNIT_ASSERT_EQ(test, oom_fill(inst, nokill, 10), 10UL);
	big = oom_fill_full(test, inst, &small);
	footprint = oom_footprint(big);
	KUNIT_ASSERT_EQ(test, pgm_set_oom_kill_allocating_task(inst, 1), 0);
	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(inst, GFP_KERNEL, 0, small,
						     PGM_KIND_ANON));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 1UL);
	KUNIT_EXPECT_TRUE(test, pgm_owner_oom_victim(small));
	KUNIT_EXPECT_FALSE(test, pgm_owner_oom_victim(big));
	KUNIT_EXPECT_EQ(test, oom_footprint(small), 1L);
	KUNIT_EXPECT_EQ(test, oom_footprint(big), footprint);

	/*
	 * The fill's steals boosted min by a pageblock, so the zone is still
	 * below it without small's pages: the next request OOMs again
	 */
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	KUNIT_ASSERT_LT(test, pgmt_nr_free(zone),
			(long)pgm_min_wmark_pages(zone));
	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(inst, GFP_KERNEL, 0,
						     nokill, PGM_KIND_ANON));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 2UL);
	KUNIT_EXPECT_TRUE(test, pgm_owner_oom_victim(big));
	KUNIT_EXPECT_FALSE(test, pgm_owner_oom_victim(nokill));
	KUNIT_EXPECT_EQ(test, oom_footprint(big), 0L);
	KUNIT_EXPECT_EQ(test, oom_footprint(nokill), 11L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	/* An owner without pages is a task without an mm: points again */
	inst = oom_setup(test);
	big = oom_fill_full(test, inst, &small);
	empty = oom_owner(test, inst, "empty", 0);
	KUNIT_ASSERT_EQ(test, pgm_set_oom_kill_allocating_task(inst, 1), 0);
	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(inst, GFP_KERNEL, 0, empty,
						     PGM_KIND_ANON));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 1UL);
	KUNIT_EXPECT_TRUE(test, pgm_owner_oom_victim(big));
	KUNIT_EXPECT_FALSE(test, pgm_owner_oom_victim(empty));
	KUNIT_EXPECT_EQ(test, oom_footprint(empty), 1L);
}

/* A control write of GFP_NOFS on a thread of its own */
struct oom_nofs_writer {
	struct pgm_instance *inst;
	struct completion done;
	int ret;
	char status[PGM_STATUS_LEN];
};

static int oom_nofs_write(void *data)
{
	static const char line[] = "alloc order=0 gfp=GFP_NOFS tag=nofs";
	struct oom_nofs_writer *w = data;

	allow_signal(SIGTERM);
	w->ret = pgm_control_run(w->inst, line, sizeof(line) - 1, w->status);
	complete(&w->done);
	while (!kthread_should_stop())
		usleep_range(1000, 2000);
	return 0;
}

/*
 * Wait for the writer; a write still waiting after 20 s is failed and
 * stopped with a signal, so that kthread_stop() cannot hang
 */
static void oom_nofs_end(struct kunit *test, struct oom_nofs_writer *w,
			 struct task_struct *t)
{
	if (!wait_for_completion_timeout(&w->done, 20 * HZ)) {
		KUNIT_FAIL(test, "the write still waits");
		send_sig(SIGTERM, t, 1);
		wait_for_completion(&w->done);
	}
	kthread_stop(t);
}

/*
 * Start a GFP_NOFS write and wait until it has gone round the slow path
 * once past the OOM step: 17 rounds of two stalls, then one more stall.
 * Return: the writer's thread, or NULL (the test has failed).
 */
static struct task_struct *oom_nofs_start(struct kunit *test,
					  struct oom_nofs_writer *w)
{
	unsigned long stalls = pgmt_event(w->inst, PGM_ALLOCSTALL_NORMAL);
	struct task_struct *t;
	int i;

	init_completion(&w->done);
	t = kthread_run(oom_nofs_write, w, "pgmt_nofs");
	if (IS_ERR(t)) {
		KUNIT_FAIL(test, "no writer thread: %ld", PTR_ERR(t));
		return NULL;
	}
	/* Not a time: the writer is given up to 20 s to get there */
	for (i = 0; i < 20000; i++) {
		if (pgmt_event(w->inst, PGM_ALLOCSTALL_NORMAL) >
		    stalls + PGMT_NO_PROGRESS_STALLS *
		    (PGM_MAX_RECLAIM_RETRIES + 1))
			break;
		if (completion_done(&w->done))
			break;
		usleep_range(1000, 2000);
	}
	KUNIT_EXPECT_FALSE_MSG(test, completion_done(&w->done),
			       "the write ended: %d, %s", w->ret, w->status);
	return t;
}

/*
 * GFP_NOFS with anon memory full: out_of_memory() kills nobody for a
 * request whose reclaim could do no IO, but reports progress, and 6.12
 * goes round the slow path until memory comes back. A control write
 * waits for it, going round again past the OOM step: once another
 * writer frees big's memory it succeeds, nobody killed, nothing failed. A
 * signal ends the next such wait: EINTR, no handle, one failure.
 */
static void oom_nofs_waits(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	struct pgm_owner *small, *big = oom_fill_full(test, inst, &small);
	unsigned long fails = pgmt_event(inst, PGM_ALLOC_FAIL);
	struct oom_nofs_writer *w;
	char status[PGM_STATUS_LEN], line[32];
	struct task_struct *t;
	int len;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	w->inst = inst;
	t = oom_nofs_start(test, w);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), fails);

	/* Another writer frees big's memory, not the handle the write adds */
	pgm_iface_lock(inst);
	KUNIT_EXPECT_GT(test, pgm_owner_handles_free(inst, big), 0UL);
	pgm_iface_unlock(inst);
	oom_nofs_end(test, w, t);
	KUNIT_EXPECT_EQ(test, w->ret, 0);
	KUNIT_EXPECT_TRUE_MSG(test, str_has_prefix(w->status,
						   "ok: allocated 1 of 1 order-0, handles "),
			      "status %s", w->status);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), fails);
	KUNIT_EXPECT_EQ(test, oom_footprint(big), 0L);
	KUNIT_EXPECT_EQ(test, oom_footprint(small), 300L);

	/* The fill ends with the request the min watermark fails */
	KUNIT_ASSERT_GT(test, oom_fill(inst, big, OOM_TOTAL), 0UL);
	fails = pgmt_event(inst, PGM_ALLOC_FAIL);
	memset(w->status, 0, sizeof(w->status));
	t = oom_nofs_start(test, w);
	KUNIT_ASSERT_NOT_NULL(test, t);
	send_sig(SIGTERM, t, 1);
	oom_nofs_end(test, w, t);
	KUNIT_EXPECT_EQ(test, w->ret, -EINTR);
	KUNIT_EXPECT_STREQ(test, w->status,
			   "error: EINTR: interrupted while a request without __GFP_FS waited for memory");
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), fails + 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	len = snprintf(line, sizeof(line), "free tag=nofs");
	KUNIT_EXPECT_EQ(test, pgm_control_run(inst, line, len, status), 0);
	KUNIT_EXPECT_STREQ(test, status, "ok: freed 1 handles tagged 'nofs'");
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* __GFP_NOFAIL under pressure: a kill, then success */
static void oom_nofail_after_kill(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	struct pgm_owner *small, *big = oom_fill_full(test, inst, &small);

	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(inst, GFP_KERNEL |
						     __GFP_NOFAIL, 0, NULL,
						     PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 1UL);
	KUNIT_EXPECT_EQ(test, oom_footprint(big), 0L);
	KUNIT_EXPECT_EQ(test, oom_footprint(small), 300L);
}

/*
 * __GFP_NOFAIL with nothing to kill takes the reserves below min
 * (ALLOC_NO_WATERMARKS, as upstream's OOM step gives it) ...
 */
static void oom_nofail_no_victim_reserves(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	unsigned long fails;

	KUNIT_ASSERT_LT(test, oom_fill(inst, NULL, OOM_TOTAL), OOM_TOTAL);
	fails = pgmt_event(inst, PGM_ALLOC_FAIL);
	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(inst, GFP_KERNEL |
						     __GFP_NOFAIL, 0, NULL,
						     PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), fails);
}

/* ... and, the mirror's bound, fails once not even those are left */
static void oom_nofail_bounded(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	static const int mts[] = { PGM_MIGRATE_MOVABLE, PGM_MIGRATE_UNMOVABLE,
				   PGM_MIGRATE_RECLAIMABLE };
	unsigned long fails;
	unsigned int m;

	KUNIT_ASSERT_LT(test, oom_fill(inst, NULL, OOM_TOTAL), OOM_TOTAL);
	pgm_drain_all_pages(inst, NULL);
	for (m = 0; m < ARRAY_SIZE(mts); m++)
		while (pgmt_take(zone, 0, mts[m]))
			;
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 0L);

	fails = pgmt_event(inst, PGM_ALLOC_FAIL);
	KUNIT_EXPECT_NULL(test, pgmt_owner_alloc(inst, GFP_KERNEL |
						 __GFP_NOFAIL | __GFP_NOWARN,
						 0, NULL, PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), fails + 1);
}

/* An owner that allocates after being killed gets ALLOC_OOM */
static void oom_victim_allocates(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	struct pgm_owner *small, *big = oom_fill_full(test, inst, &small);

	/* big asks with reclaim allowed: it kills itself, then succeeds */
	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(inst,
						     GFP_HIGHUSER_MOVABLE, 0,
						     big, PGM_KIND_ANON));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 1UL);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(big->oom_victim));
	KUNIT_EXPECT_EQ(test, oom_footprint(big), 1L);
	KUNIT_EXPECT_EQ(test, oom_footprint(small), 300L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Two nodes of 16384 pages, without pcp lists (each page taken is one off
 * the free count), node 0 brought to @below pages under its min mark by
 * GFP_ATOMIC allocations there; kswapd off unless @kswapd.
 */
static struct pgm_instance *oom_two_nodes(struct kunit *test, long below,
					  bool kswapd)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	long n, want;

	pgmt_topology(&topo, 2, 0, 0, 16384, 0);
	inst = pgmt_create(test, &topo);
	pgmt_exact_counters(inst);
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_KSWAPD,
						  kswapd), 0);
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_PCP, 0), 0);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	/*
	 * Both nodes' 32768 pages: min_free_kbytes int_sqrt(131072 * 16) =
	 * 1448, min 362 split 181 a zone, low 181 + 45 = 226
	 */
	KUNIT_ASSERT_EQ(test, pgm_min_wmark_pages(zone), 181UL);
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(zone), 226UL);
	want = (long)pgm_min_wmark_pages(zone) - below;
	for (n = pgmt_nr_free(zone) - want; n > 0; n--)
		KUNIT_ASSERT_NOT_NULL(test,
				      pgm_alloc_pages(inst, GFP_ATOMIC |
						      __GFP_THISNODE |
						      __GFP_NOWARN, 0, 0,
						      NULL));
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), want);
	return inst;
}

/*
 * cpuset_node_allowed() lets a task the OOM killer chose allocate on any
 * node. An owner of node 0 marked a victim asks for a GFP_USER page
 * while node 0 is below min (free 40 under it, above min / 2) and node 1
 * is well above. The fast path tries node 0 alone (its nodes are the
 * nodemask) and fails; the slow path's first attempt, ALLOC_WMARK_MIN |
 * ALLOC_CPUSET, skips node 0 on its mark and takes node 1, which the
 * cpuset check allows for the victim before it looks at __GFP_HARDWALL.
 * Without the exception the hardwall request would skip node 1 and take
 * the page from node 0's reserve with ALLOC_OOM (a softwall GFP_KERNEL
 * one may use node 1 anyway).
 */
static void oom_victim_ignores_cpuset(struct kunit *test)
{
	struct pgm_instance *inst = oom_two_nodes(test, 40, false);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_owner *o;
	struct pgm_page *page;

	/* 181 - 40, above 90 */
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 141L);
	KUNIT_ASSERT_GT(test, pgmt_nr_free(zone),
			(long)pgm_min_wmark_pages(zone) / 2);
	o = pgmt_node_owner(test, inst, "victim", 0);
	WRITE_ONCE(o->oom_victim, true);
	page = pgm_alloc_pages_owner(inst, GFP_USER, 0, 0, NULL, o);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(page), 1);
	pgm_free_pages(inst, page, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * wakeup_kswapd() skips a node the cpuset does not allow. An owner of node
 * 0 allocates with node 0 between min and low: the fast path fails, the
 * slow path wakes kswapd and serves the request from node 0 at min. With
 * GFP_USER, hardwall, only node 0's kswapd is asked to balance; node 1's
 * request stays unset. GFP_KERNEL is softwall: the root's nodes take node
 * 1 in, whose kswapd then records the request (balanced, it is not woken).
 */
static void oom_kswapd_wake_in_cpuset(struct kunit *test)
{
	struct pgm_instance *inst = oom_two_nodes(test, -10, true);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_owner *o;
	struct pgm_page *page;

	/* 181 + 10, under low's 226 (the fill's claims are whole: no boost) */
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 191L);
	KUNIT_ASSERT_LT(test, pgmt_nr_free(zone),
			(long)pgm_low_wmark_pages(zone));
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(zone), 226UL);
	WRITE_ONCE(inst->node_data[0].kswapd_highest_zoneidx,
		   PGM_MAX_NR_ZONES);
	KUNIT_ASSERT_EQ(test, inst->node_data[1].kswapd_highest_zoneidx,
			PGM_MAX_NR_ZONES);

	o = pgmt_node_owner(test, inst, "zero", 0);
	page = pgm_alloc_pages_owner(inst, GFP_USER, 0, 0, NULL, o);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(page), 0);
	KUNIT_EXPECT_EQ(test, inst->node_data[0].kswapd_highest_zoneidx,
			PGM_ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, inst->node_data[1].kswapd_highest_zoneidx,
			PGM_MAX_NR_ZONES);
	pgm_free_pages(inst, page, 0);

	page = pgm_alloc_pages_owner(inst, GFP_KERNEL, 0, 0, NULL, o);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(page), 0);
	KUNIT_EXPECT_EQ(test, inst->node_data[1].kswapd_highest_zoneidx,
			PGM_ZONE_NORMAL);
	pgm_free_pages(inst, page, 0);
}

/*
 * An allocation without a handle is its in-kernel caller's: the reap
 * leaves it, and the victim is never chosen again (MMF_OOM_SKIP).
 */
static void oom_unreapable_skipped(struct kunit *test)
{
	struct pgm_instance *inst = oom_setup(test);
	struct pgm_owner *a = oom_owner(test, inst, "a", 0);
	struct pgm_alloc *kept;

	kept = pgm_alloc_create(inst, GFP_KERNEL & ~__GFP_DIRECT_RECLAIM, 2, 0,
				a, PGM_KIND_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kept);
	KUNIT_ASSERT_EQ(test, oom_fill(inst, a, 10), 10UL);
	KUNIT_EXPECT_EQ(test, pgm_oom_badness(a, OOM_TOTAL), 14L);

	KUNIT_EXPECT_TRUE(test, pgmt_oom_kill(inst));
	KUNIT_EXPECT_EQ(test, oom_footprint(a), 4L);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(a->oom_skip));
	KUNIT_EXPECT_EQ(test, pgm_oom_badness(a, OOM_TOTAL), LONG_MIN);
	KUNIT_EXPECT_FALSE(test, pgmt_oom_kill(inst));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 1UL);
	pgm_alloc_release(inst, kept);
}

/* out_of_memory() asked directly, under oom_lock as its callers hold it */
static bool oom_ask(struct pgm_instance *inst, struct pgm_oom_control *oc)
{
	bool killed;

	mutex_lock(&inst->oom_lock);
	killed = pgm_out_of_memory(oc);
	mutex_unlock(&inst->oom_lock);
	return killed;
}

/*
 * CONSTRAINT_CPUSET: c, limited to node 0, fails there. b (1900 pages),
 * limited to node 1, is the largest owner but its nodes do not meet c's,
 * so a (1500), the largest on node 0, dies; badness is normalised by
 * node 0's 2048 pages. A request without an owner is unconstrained and
 * picks b.
 *
 * The fills: min 64, low 80 a zone, batch 1, refills of 1, 2, 4, 8, 16,
 * then 32. a's 1500 take 31 + 46 * 32 = 1503 pages, leaving 545 free
 * and 3 on the pcp. c takes those 3, then 15 refills while free is above
 * low (the last from 97), and one more in the slow path at min (65 >
 * 64), which leaves 33: 3 + 15 * 32 + 1 = 484.
 */
static void oom_cpuset_constraint(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_owner *a, *b, *c;
	struct pgm_oom_control oc = { .gfp = GFP_KERNEL };
	struct pgm_alloc_context ac = { };
	unsigned int alloc_flags = PGM_ALLOC_WMARK_LOW;
	unsigned long filled;

	pgmt_topology(&topo, 2, 0, 0, OOM_TOTAL, 0);
	inst = pgmt_create(test, &topo);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, oom_cleanup, inst));
	a = pgmt_node_owner(test, inst, "a", 0);
	b = pgmt_node_owner(test, inst, "b", 1);
	c = pgmt_node_owner(test, inst, "c", 0);
	KUNIT_ASSERT_EQ(test, oom_fill(inst, b, 1900), 1900UL);
	KUNIT_ASSERT_EQ(test, oom_fill(inst, a, 1500), 1500UL);
	filled = oom_fill(inst, c, OOM_TOTAL);
	KUNIT_ASSERT_EQ(test, filled, 484UL);

	/* The constraint and totalpages, asked directly */
	KUNIT_ASSERT_TRUE(test, pgm_prepare_alloc_pages(inst, GFP_KERNEL, 0, 0,
							NULL, &ac,
							&alloc_flags));
	oc.inst = inst;
	oc.ac = &ac;
	KUNIT_EXPECT_TRUE(test, oom_ask(inst, &oc));
	KUNIT_EXPECT_EQ(test, oc.constraint, PGM_CONSTRAINT_NONE);
	KUNIT_EXPECT_EQ(test, oc.totalpages, 2UL * OOM_TOTAL);
	KUNIT_EXPECT_EQ(test, oom_footprint(b), 0L);
	KUNIT_EXPECT_EQ(test, oom_fill(inst, b, 1900), 1900UL);

	/* c's own request: reclaim fails, the OOM is limited to node 0 */
	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(inst, GFP_HIGHUSER_MOVABLE,
						     0, c, PGM_KIND_ANON));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_OOM_KILL), 2UL);
	KUNIT_EXPECT_EQ(test, oom_footprint(a), 0L);
	KUNIT_EXPECT_EQ(test, oom_footprint(b), 1900L);
	KUNIT_EXPECT_EQ(test, oom_footprint(c), 485L);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(a->oom_victim));

	/* A hardwall mask: the cpuset limits the zones */
	ac.cpuset_mems = &c->mems_allowed;
	oc.ac = &ac;
	oc.gfp = GFP_HIGHUSER_MOVABLE;
	KUNIT_EXPECT_TRUE(test, oom_ask(inst, &oc));
	KUNIT_EXPECT_EQ(test, oc.constraint, PGM_CONSTRAINT_CPUSET);
	KUNIT_EXPECT_EQ(test, oc.totalpages, (unsigned long)OOM_TOTAL);
	/* Only c is left on node 0 */
	KUNIT_EXPECT_EQ(test, oom_footprint(c), 0L);
	KUNIT_EXPECT_EQ(test, oom_footprint(b), 1900L);

	/*
	 * GFP_KERNEL is softwall: the root's nodes, so no constraint and all
	 * the pages, but a candidate's nodes must still meet c's
	 * (cpuset_mems_allowed_intersects()): b is not one, nobody dies
	 */
	oc.gfp = GFP_KERNEL;
	KUNIT_EXPECT_FALSE(test, oom_ask(inst, &oc));
	KUNIT_EXPECT_EQ(test, oc.constraint, PGM_CONSTRAINT_NONE);
	KUNIT_EXPECT_EQ(test, oc.totalpages, 2UL * OOM_TOTAL);
	KUNIT_EXPECT_EQ(test, oom_footprint(b), 1900L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case oom_cases[] = {
	KUNIT_CASE(oom_badness_values),
	KUNIT_CASE(oom_picks_after_adj),
	KUNIT_CASE(oom_tie_last_wins),
	KUNIT_CASE(oom_adj_min_never),
	KUNIT_CASE(oom_gfp_kernel_kills_once),
	KUNIT_CASE(oom_lock_contended),
	KUNIT_CASE(oom_not_for_these),
	KUNIT_CASE_SLOW(oom_nofs_waits),
	KUNIT_CASE(oom_kill_allocating),
	KUNIT_CASE(oom_nofail_after_kill),
	KUNIT_CASE(oom_nofail_no_victim_reserves),
	KUNIT_CASE(oom_nofail_bounded),
	KUNIT_CASE(oom_victim_allocates),
	KUNIT_CASE(oom_victim_ignores_cpuset),
	KUNIT_CASE(oom_kswapd_wake_in_cpuset),
	KUNIT_CASE(oom_unreapable_skipped),
	KUNIT_CASE(oom_cpuset_constraint),
	{}
};

static struct kunit_suite oom_suite = {
	.name = "pgmirror_oom",
	.test_cases = oom_cases,
};

kunit_test_suite(oom_suite);

MODULE_LICENSE("GPL");
