// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_bench: make bench's native-speed half. In UML the mirror and
 * UML's own page allocator (the same 6.12 mm/page_alloc.c) run side by
 * side at the CPU's own speed, in the bench file's shapes. Each figure is
 * printed on a PGM-BENCH line for scripts/bench.sh; none is asserted on,
 * as the machines are shared and noisy. Built only with
 * CONFIG_PGMIRROR_KUNIT_BENCH (kunit/bench.kunitconfig), never in make
 * check.
 */
#include "test_util.h"
#include <linux/sizes.h>
#include "cmd.h"

static unsigned int bench_reps = 5;
module_param(bench_reps, uint, 0444);
MODULE_PARM_DESC(bench_reps, "pgmirror_bench: alternating runs of each side");

/* Ten times the VM bench's counts: a native op is that much quicker */
static const struct {
	unsigned int order;
	unsigned int count;
} bench_specs[] = {
	{ 0, 1000000 }, { 1, 500000 }, { 3, 200000 }, { 9, 20000 },
};

/* The VM bench's carve-out: 256 MiB in one Normal zone, one node */
#define BENCH_PAGES	(SZ_256M >> PAGE_SHIFT)

static void bench_shape(struct kunit *test, enum pgm_bench_shape shape)
{
	char err[PGM_STATUS_LEN], line[PGM_BENCH_LEN];
	struct pgm_topology topo;
	struct pgm_instance *inst;
	unsigned int i;
	int ret;

	pgmt_topology(&topo, 1, 0, 0, BENCH_PAGES, 0);
	inst = pgmt_create(test, &topo);
	/* As an insmod instance: the pcp of the CPU the bench runs on */
	inst->cpu_override = -1;
	for (i = 0; i < ARRAY_SIZE(bench_specs); i++) {
		struct pgm_bench_args a = {
			.order = bench_specs[i].order,
			.count = bench_specs[i].count,
			.shape = shape,
			.reps = clamp(bench_reps, 1U, PGM_BENCH_MAX_REPS),
		};

		mutex_lock(&inst->bench_lock);
		ret = pgm_bench_run(inst, &a, err, sizeof(err));
		mutex_unlock(&inst->bench_lock);
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "%s", err);
		spin_lock(&inst->status_lock);
		strscpy(line, inst->bench_result, sizeof(line));
		spin_unlock(&inst->status_lock);
		kunit_info(test, "PGM-BENCH env=uml notrace=%d %s\n",
			   IS_ENABLED(CONFIG_PGMIRROR_NOTRACE), line);
	}
	/* Every block came back */
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static void bench_pair(struct kunit *test)
{
	bench_shape(test, PGM_BENCH_PAIR);
}

static void bench_burst(struct kunit *test)
{
	bench_shape(test, PGM_BENCH_BURST);
}

static struct kunit_case pgmirror_bench_cases[] = {
	KUNIT_CASE_SLOW(bench_pair),
	KUNIT_CASE_SLOW(bench_burst),
	{}
};

static struct kunit_suite pgmirror_bench_suite = {
	.name = "pgmirror_bench",
	.test_cases = pgmirror_bench_cases,
};

kunit_test_suite(pgmirror_bench_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pgmirror: native-speed benchmark against alloc_pages()");
