// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_fail_page_alloc: should_fail_alloc_page()'s filters (min-order,
 * __GFP_NOFAIL, ignore-gfp-wait, ignore-gfp-highmem), the fault_attr's
 * probability, times, interval and space as seen by the allocator, and the
 * fail_page_alloc/ debugfs directory.
 */

#include <kunit/test.h>
#include <linux/debug_locks.h>
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include "fail_page_alloc.h"
#include "test_util.h"

#ifdef CONFIG_FAULT_INJECTION

/* One NORMAL zone of two pageblocks: nothing but injection fails */
static struct pgm_instance *fpa_instance(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 1, 0, 0, 2 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	KUNIT_ASSERT_NOT_NULL(test, inst->fail_page_alloc);
	/* No stack dump per injected failure */
	inst->fail_page_alloc->attr.verbose = 0;
	return inst;
}

/* Fail every eligible request, without limit */
static struct pgm_fail_page_alloc *fpa_arm(struct pgm_instance *inst)
{
	struct pgm_fail_page_alloc *f = inst->fail_page_alloc;

	f->attr.probability = 100;
	f->attr.interval = 1;
	atomic_set(&f->attr.times, -1);
	atomic_set(&f->attr.space, 0);
	return f;
}

/* Allocate and free at once; true if the allocation failed */
static bool fpa_fails(struct pgm_instance *inst, gfp_t gfp,
		      unsigned int order)
{
	struct pgm_page *page = pgm_alloc_pages(inst, gfp, order, 0, NULL);

	if (!page)
		return true;
	pgm_free_pages(inst, page, order);
	return false;
}

/* Upstream's defaults: nothing fails until probability is set */
static void fpa_defaults(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_fail_page_alloc *f;

	pgmt_topology(&topo, 1, 0, 0, 2 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	f = inst->fail_page_alloc;
	KUNIT_ASSERT_NOT_NULL(test, f);

	KUNIT_EXPECT_EQ(test, f->min_order, 1U);
	KUNIT_EXPECT_TRUE(test, f->ignore_gfp_reclaim);
	KUNIT_EXPECT_TRUE(test, f->ignore_gfp_highmem);
	KUNIT_EXPECT_EQ(test, f->attr.probability, 0UL);
	KUNIT_EXPECT_EQ(test, f->attr.interval, 1UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->attr.times), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->attr.space), 0);
	KUNIT_EXPECT_EQ(test, f->attr.verbose, 2UL);
	KUNIT_EXPECT_FALSE(test, f->attr.task_filter);
	KUNIT_EXPECT_EQ(test, f->attr.require_end, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, f->attr.stacktrace_depth, 32UL);
	/* RATELIMIT_STATE_INIT_DISABLED, kept through the lock's init */
	KUNIT_EXPECT_EQ(test, f->attr.ratelimit_state.interval, 0);
	KUNIT_EXPECT_EQ(test, f->attr.ratelimit_state.burst,
			DEFAULT_RATELIMIT_BURST);

	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_ATOMIC, 1));
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_ATOMIC, 3));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->attr.times), 1);
}

/* An injected failure returns NULL before any zone is touched */
static void fpa_fails_atomic(struct kunit *test)
{
	struct pgm_instance *inst = fpa_instance(test);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_fail_page_alloc *f = fpa_arm(inst);
	long nr_free = pgmt_nr_free(zone);

	KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, GFP_ATOMIC, 1, 0, NULL));
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), nr_free);
	KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, GFP_ATOMIC | __GFP_NOWARN,
						2, 0, NULL));
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), nr_free);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	/* Disarmed, the same request is served */
	f->attr.probability = 0;
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_ATOMIC, 1));
}

/* Requests below min-order are never failed */
static void fpa_min_order(struct kunit *test)
{
	struct pgm_instance *inst = fpa_instance(test);
	struct pgm_fail_page_alloc *f = fpa_arm(inst);

	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_ATOMIC, 0));
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_ATOMIC, 1));

	f->min_order = 0;
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_ATOMIC, 0));

	f->min_order = 3;
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_ATOMIC, 0));
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_ATOMIC, 2));
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_ATOMIC, 3));
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_ATOMIC, 4));
}

/* __GFP_NOFAIL is never failed, even with both ignore switches off */
static void fpa_nofail(struct kunit *test)
{
	struct pgm_instance *inst = fpa_instance(test);
	struct pgm_fail_page_alloc *f = fpa_arm(inst);
	unsigned int order;

	f->min_order = 0;
	f->ignore_gfp_reclaim = false;
	f->ignore_gfp_highmem = false;
	for (order = 0; order <= 3; order++) {
		KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_KERNEL |
						   __GFP_NOFAIL, order));
		KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_KERNEL |
						   __GFP_HIGHMEM |
						   __GFP_NOFAIL, order));
		KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_KERNEL, order));
	}
}

/* ignore-gfp-wait: __GFP_DIRECT_RECLAIM shields, __GFP_KSWAPD_RECLAIM not */
static void fpa_ignore_gfp_reclaim(struct kunit *test)
{
	struct pgm_instance *inst = fpa_instance(test);
	struct pgm_fail_page_alloc *f = fpa_arm(inst);

	KUNIT_ASSERT_TRUE(test, f->ignore_gfp_reclaim);
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_KERNEL, 1));
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, __GFP_DIRECT_RECLAIM, 1));
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_NOWAIT, 1));
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_ATOMIC, 1));

	f->ignore_gfp_reclaim = false;
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_KERNEL, 1));
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, __GFP_DIRECT_RECLAIM, 1));

	f->ignore_gfp_reclaim = true;
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_KERNEL, 1));
}

/* ignore-gfp-highmem: __GFP_HIGHMEM shields while the switch is on */
static void fpa_ignore_gfp_highmem(struct kunit *test)
{
	struct pgm_instance *inst = fpa_instance(test);
	struct pgm_fail_page_alloc *f = fpa_arm(inst);

	KUNIT_ASSERT_TRUE(test, f->ignore_gfp_highmem);
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_ATOMIC | __GFP_HIGHMEM,
					   1));
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_ATOMIC, 1));

	f->ignore_gfp_highmem = false;
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_ATOMIC | __GFP_HIGHMEM, 1));
	/* ignore-gfp-wait still shields a highmem request that may sleep */
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_HIGHUSER, 1));

	/* Either switch alone shields a request with both bits */
	f->ignore_gfp_reclaim = false;
	f->ignore_gfp_highmem = true;
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_HIGHUSER, 1));
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_KERNEL, 1));

	f->ignore_gfp_highmem = false;
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_HIGHUSER, 1));
}

/* times=2 fails exactly two eligible requests; shielded ones do not count */
static void fpa_times(struct kunit *test)
{
	struct pgm_instance *inst = fpa_instance(test);
	struct pgm_fail_page_alloc *f = fpa_arm(inst);

	atomic_set(&f->attr.times, 2);
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_ATOMIC, 0));
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_KERNEL, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->attr.times), 2);

	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_ATOMIC, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->attr.times), 1);
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_ATOMIC, 2));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->attr.times), 0);
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_ATOMIC, 1));
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_ATOMIC, 2));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->attr.times), 0);
}

/* Probability 0 never fails, whatever times says */
static void fpa_probability_zero(struct kunit *test)
{
	struct pgm_instance *inst = fpa_instance(test);
	struct pgm_fail_page_alloc *f = fpa_arm(inst);
	unsigned int i, failed = 0;

	f->attr.probability = 0;
	f->min_order = 0;
	for (i = 0; i < 64; i++)
		failed += fpa_fails(inst, GFP_ATOMIC, i % 4);
	KUNIT_EXPECT_EQ(test, failed, 0U);
}

/* interval=3: only every third eligible request is failed */
static void fpa_interval(struct kunit *test)
{
	struct pgm_instance *inst = fpa_instance(test);
	struct pgm_fail_page_alloc *f = fpa_arm(inst);
	unsigned int i;

	f->attr.interval = 3;
	for (i = 1; i <= 9; i++)
		KUNIT_EXPECT_EQ_MSG(test, fpa_fails(inst, GFP_ATOMIC, 1),
				    i % 3 == 0, "request %u", i);
}

/* space counts pages: an order-1 request uses two of it */
static void fpa_space(struct kunit *test)
{
	struct pgm_instance *inst = fpa_instance(test);
	struct pgm_fail_page_alloc *f = fpa_arm(inst);

	atomic_set(&f->attr.space, 5);
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_ATOMIC, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->attr.space), 3);
	KUNIT_EXPECT_FALSE(test, fpa_fails(inst, GFP_ATOMIC, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->attr.space), 1);
	/* Once space is no larger than the request, failures start */
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_ATOMIC, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->attr.space), 1);
}

/*
 * A rate-limited report takes the fault_attr's lock: lockdep must accept
 * it, and stay on (a lock it has no key for turns it off)
 */
static void fpa_ratelimited_report(struct kunit *test)
{
	struct pgm_instance *inst = fpa_instance(test);
	struct pgm_fail_page_alloc *f = fpa_arm(inst);
	bool locks_on = debug_locks;

	f->attr.verbose = 1;
	f->attr.ratelimit_state.interval = 60 * HZ;
	f->attr.ratelimit_state.burst = 1;
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_ATOMIC, 1));
	KUNIT_EXPECT_TRUE(test, fpa_fails(inst, GFP_ATOMIC, 1));
	/* Rate limiting quiets the report, not the failure */
	KUNIT_EXPECT_EQ(test, f->attr.ratelimit_state.printed, 1);
	KUNIT_EXPECT_EQ(test, f->attr.ratelimit_state.missed, 1);
	if (IS_ENABLED(CONFIG_PROVE_LOCKING) && locks_on)
		KUNIT_EXPECT_TRUE(test, debug_locks);
}

/* Two instances: injection armed in one never reaches the other */
static void fpa_per_instance(struct kunit *test)
{
	struct pgm_instance *a = fpa_instance(test);
	struct pgm_instance *b = fpa_instance(test);

	fpa_arm(a);
	KUNIT_EXPECT_PTR_NE(test, a->fail_page_alloc, b->fail_page_alloc);
	KUNIT_EXPECT_TRUE(test, fpa_fails(a, GFP_ATOMIC, 1));
	KUNIT_EXPECT_FALSE(test, fpa_fails(b, GFP_ATOMIC, 1));
}

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS

static void fpa_remove_dir(void *dir)
{
	debugfs_remove(dir);
}

/* The file's mode bits, or 0 when it is missing */
static umode_t fpa_mode(struct dentry *dir, const char *name)
{
	struct dentry *d = debugfs_lookup(name, dir);
	umode_t mode;

	if (!d)
		return 0;
	mode = d_inode(d)->i_mode & 0777;
	dput(d);
	return mode;
}

/* fail_page_alloc/ holds the fault_attr files and upstream's three */
static void fpa_debugfs(struct kunit *test)
{
	static const char * const files[] = {
		"probability", "interval", "times", "space", "verbose",
		"verbose_ratelimit_interval_ms", "verbose_ratelimit_burst",
		"task-filter", "ignore-gfp-wait", "ignore-gfp-highmem",
		"min-order",
#ifdef CONFIG_FAULT_INJECTION_STACKTRACE_FILTER
		"stacktrace-depth", "require-start", "require-end",
		"reject-start", "reject-end",
#endif
	};
	struct pgm_instance *inst = fpa_instance(test);
	struct dentry *dir, *fdir;
	unsigned int i;

	dir = debugfs_create_dir("pgmirror-kunit-fail_page_alloc", NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dir));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, fpa_remove_dir, dir));

	pgm_fail_page_alloc_debugfs(inst, dir);
	fdir = debugfs_lookup("fail_page_alloc", dir);
	KUNIT_ASSERT_NOT_NULL(test, fdir);
	for (i = 0; i < ARRAY_SIZE(files); i++)
		KUNIT_EXPECT_EQ_MSG(test, fpa_mode(fdir, files[i]), 0600,
				    "%s", files[i]);
	dput(fdir);
}

#else /* !CONFIG_FAULT_INJECTION_DEBUG_FS */

static void fpa_debugfs(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION_DEBUG_FS");
}

#endif /* CONFIG_FAULT_INJECTION_DEBUG_FS */

static struct kunit_case pgmirror_fail_page_alloc_cases[] = {
	KUNIT_CASE(fpa_defaults),
	KUNIT_CASE(fpa_fails_atomic),
	KUNIT_CASE(fpa_min_order),
	KUNIT_CASE(fpa_nofail),
	KUNIT_CASE(fpa_ignore_gfp_reclaim),
	KUNIT_CASE(fpa_ignore_gfp_highmem),
	KUNIT_CASE(fpa_times),
	KUNIT_CASE(fpa_probability_zero),
	KUNIT_CASE(fpa_interval),
	KUNIT_CASE(fpa_space),
	KUNIT_CASE(fpa_ratelimited_report),
	KUNIT_CASE(fpa_per_instance),
	KUNIT_CASE(fpa_debugfs),
	{}
};

#else /* !CONFIG_FAULT_INJECTION */

/* Without the framework there is no state and nothing ever fails */
static void fpa_unavailable(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 1, 0, 0, 2 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	KUNIT_EXPECT_NULL(test, inst->fail_page_alloc);
	KUNIT_EXPECT_FALSE(test, pgm_should_fail_alloc_page(inst, GFP_ATOMIC,
							    1));
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION");
}

static struct kunit_case pgmirror_fail_page_alloc_cases[] = {
	KUNIT_CASE(fpa_unavailable),
	{}
};

#endif /* CONFIG_FAULT_INJECTION */

static struct kunit_suite pgmirror_fail_page_alloc_suite = {
	.name = "pgmirror_fail_page_alloc",
	.test_cases = pgmirror_fail_page_alloc_cases,
};

kunit_test_suite(pgmirror_fail_page_alloc_suite);
