// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_replay: the kmem trace parser on every line it meets, the pfn
 * map on frees it knows, frees it does not and frees of part of a block,
 * and determinism: one trace through two fresh instances of one topology
 * gives byte-identical buddyinfo, pagetypeinfo and stats.
 */

#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "test_util.h"
#include "cmd.h"

struct trace_case {
	const char *desc;
	const char *line;
	int ret;
	enum pgm_trace_kind kind;
	unsigned int cpu;
	unsigned long pfn;
	unsigned int order;
	gfp_t gfp;
	bool failed;
	unsigned long lost;
	bool hex;
	const char *instance;
};

static const struct trace_case trace_cases[] = {
	{ "trace file alloc",
	  "            bash-1234    [001] .....   123.456789: mm_page_alloc: page=000000003a1b2c4d pfn=0x12345 order=2 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP",
	  0, PGM_TRACE_ALLOC, 1, 0x12345, 2, GFP_KERNEL | __GFP_COMP },
	{ "trace-cmd report free",
	  "          <idle>-0     [003]  3270.389283: mm_page_free:         page=0xffffea0004b2e2c0 pfn=0x12cb8b order=0",
	  0, PGM_TRACE_FREE, 3, 0x12cb8b, 0 },
	{ "free_batched",
	  "kworker/u8:2-77 [000] d..1. 55.000001: mm_page_free_batched: page=00000000deadbeef pfn=0x1000 order=0",
	  0, PGM_TRACE_FREE, 0, 0x1000, 0 },
	{ "comm with a blank",
	  " Web Content-999 [012] ..... 1.000000: mm_page_free: page=0000000012345678 pfn=0x10 order=3",
	  0, PGM_TRACE_FREE, 12, 0x10, 3 },
	{ "failed alloc",
	  "  a.out-5 [000] ..... 9.0: mm_page_alloc: page=0000000000000000 pfn=0x0 order=9 migratetype=1 gfp_flags=GFP_TRANSHUGE",
	  0, PGM_TRACE_ALLOC, 0, 0, 9, GFP_TRANSHUGE, true },
	{ "failed alloc, trace-cmd",
	  "  a.out-5 [000] 9.0: mm_page_alloc: page=(nil) pfn=0x0 order=9 migratetype=1 gfp_flags=GFP_TRANSHUGE_LIGHT",
	  0, PGM_TRACE_ALLOC, 0, 0, 9, GFP_TRANSHUGE_LIGHT, true },
	{ "gfp none",
	  "x-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x2 order=0 migratetype=0 gfp_flags=none",
	  0, PGM_TRACE_ALLOC, 0, 2, 0, 0 },
	{ "gfp hex part dropped",
	  "x-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x2 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|0x4000000",
	  0, PGM_TRACE_ALLOC, 0, 2, 0, GFP_HIGHUSER_MOVABLE, .hex = true },
	/* A mask all hex names no bit: migratetype= gives the mobility */
	{ "gfp all hex, migratetype 1",
	  "x-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x2 order=0 migratetype=1 gfp_flags=0x140cca",
	  0, PGM_TRACE_ALLOC, 0, 2, 0, __GFP_MOVABLE, .hex = true },
	{ "gfp all hex, migratetype 2",
	  "x-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x2 order=0 migratetype=2 gfp_flags=0x10|0x400",
	  0, PGM_TRACE_ALLOC, 0, 2, 0, __GFP_RECLAIMABLE, .hex = true },
	{ "gfp all hex, migratetype 0",
	  "x-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x2 order=0 migratetype=0 gfp_flags=0xcc0",
	  0, PGM_TRACE_ALLOC, 0, 2, 0, 0, .hex = true },
	{ "gfp all hex, no migratetype",
	  "x-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x2 order=0 gfp_flags=0xcc0",
	  -EINVAL },
	{ "gfp all hex, migratetype 3",
	  "x-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x2 order=0 migratetype=3 gfp_flags=0xcc0",
	  -EINVAL },
	{ "bad migratetype",
	  "x-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x2 order=0 migratetype=x gfp_flags=GFP_KERNEL",
	  -EINVAL },
	{ "gfp of another kernel ignored",
	  "x-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x2 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOLOCKDEP|__GFP_SKIP_KASAN",
	  0, PGM_TRACE_ALLOC, 0, 2, 0, GFP_KERNEL },
	{ "gfp names of 6.1 ignored",
	  "x-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x2 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_SKIP_KASAN_POISON|__GFP_SKIP_KASAN_UNPOISON",
	  0, PGM_TRACE_ALLOC, 0, 2, 0, GFP_KERNEL },
	/* A page whose %p hashes to 0 is no NULL page: pfn= says which */
	{ "page hashed to zeros",
	  "x-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000000 pfn=0x1234 order=0 migratetype=0 gfp_flags=GFP_KERNEL",
	  0, PGM_TRACE_ALLOC, 0, 0x1234, 0, GFP_KERNEL },
	{ "pfn 0 allocated",
	  "x-1 [000] ..... 1.0: mm_page_alloc: page=00000000a1b2c3d4 pfn=0x0 order=0 migratetype=0 gfp_flags=GFP_KERNEL",
	  0, PGM_TRACE_ALLOC, 0, 0, 0, GFP_KERNEL },
	{ "CRLF",
	  "x-1 [003] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x2 order=1 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP\r",
	  0, PGM_TRACE_ALLOC, 3, 2, 1, GFP_KERNEL | __GFP_COMP },
	{ "CRLF blank", "\r", 0, PGM_TRACE_NONE },
	{ "free_batched of a larger folio",
	  "x-1 [001] ..... 1.0: mm_page_free_batched: page=0000000000000001 pfn=0x200 order=3",
	  0, PGM_TRACE_FREE, 1, 0x200, 0 },
	{ "alloc_zone_locked",
	  "x-1 [001] ..... 1.0: mm_page_alloc_zone_locked: page=0000000000000001 pfn=0x200 order=0 migratetype=1 percpu_refill=1",
	  0, PGM_TRACE_OTHER, 1 },
	/* The CPU field follows the PID: a bracket in the task name is not it */
	{ "task name with a bracket",
	  "ab[3]-77 [005] ..... 1.0: mm_page_free: page=0000000000000001 pfn=0x10 order=0",
	  0, PGM_TRACE_FREE, 5, 0x10, 0 },
	{ "task name with a bracketed word",
	  "x [3] y-77 [005] ..... 1.0: mm_page_free: page=0000000000000001 pfn=0x10 order=0",
	  0, PGM_TRACE_FREE, 5, 0x10, 0 },
	{ "perf script pid/tid",
	  "            perf  1234/1235 [002]   123.456789: kmem:mm_page_free: page=0xffffea0000048d40 pfn=0x10 order=0",
	  0, PGM_TRACE_FREE, 2, 0x10, 0 },
	{ "record-tgid",
	  "bash-1234 (   1234) [002] ..... 1.0: mm_page_free: page=0000000000000001 pfn=0x10 order=0",
	  0, PGM_TRACE_FREE, 2, 0x10, 0 },
	{ "pfn past 2^52 bytes",
	  "x-1 [000] ..... 1.0: mm_page_free: page=0000000000000001 pfn=0xfffffffffffffffe order=0",
	  -EINVAL },
	{ "other kmem event",
	  "x-1 [002] ..... 1.0: kmalloc: call_site=foo+0x1/0x2 ptr=0000000011112222 bytes_req=8",
	  0, PGM_TRACE_OTHER, 2 },
	{ "pcpu drain",
	  "x-1 [002] ..... 1.0: mm_page_pcpu_drain: page=0000000011112222 pfn=0x5 order=0 migratetype=1",
	  0, PGM_TRACE_OTHER, 2 },
	{ "comment", "# tracer: nop", 0, PGM_TRACE_NONE },
	{ "blank", "   ", 0, PGM_TRACE_NONE },
	{ "trace-cmd header", "cpus=4", 0, PGM_TRACE_NONE },
	{ "trace-cmd empty cpu", "CPU 1 is empty", 0, PGM_TRACE_NONE },
	{ "QEMU vCPU thread",
	  "CPU 0/KVM-4321 [002] ..... 1.0: mm_page_free: page=0000000000000001 pfn=0x10 order=0",
	  0, PGM_TRACE_FREE, 2, 0x10, 0 },
	{ "ring buffer overrun", "CPU:2 [LOST 1234 EVENTS]", 0, PGM_TRACE_LOST,
	  2, .lost = 1234 },
	{ "overrun, uncounted", "CPU:3 [LOST EVENTS]", 0, PGM_TRACE_LOST, 3 },
	{ "trace-cmd drops", "CPU:1 [5 EVENTS DROPPED]", 0, PGM_TRACE_LOST, 1,
	  .lost = 5 },
	{ "trace-cmd drops, uncounted", "CPU:0 [EVENTS DROPPED]", 0,
	  PGM_TRACE_LOST, 0 },
	{ "overrun line with more after it", "CPU:3 [LOST 7 EVENTS] x", -EINVAL },
	{ "perf script alloc",
	  "            perf  1234 [001]   123.456789: kmem:mm_page_alloc: page=0xffffea0000048d40 pfn=0x1235 order=0 migratetype=0 gfp_flags=GFP_KERNEL",
	  0, PGM_TRACE_ALLOC, 1, 0x1235, 0, GFP_KERNEL },
	{ "perf script, pgmirror's own event",
	  "            perf  1234 [003]   123.456789: pgmirror:mm_page_free: instance=pgm0 pfn=0x1236 order=1",
	  0, PGM_TRACE_FREE, 3, 0x1236, 1, .instance = "pgm0" },
	{ "no cpu field", "bash-1 123.0: mm_page_free: page=0 pfn=0x1 order=0",
	  -EINVAL },
	{ "no event name", "bash-1 [000] ..... 123.0 mm_page_free page=0",
	  -EINVAL },
	{ "free without pfn", "b-1 [000] 1.0: mm_page_free: page=0000000000000001 order=0",
	  -EINVAL },
	{ "free without order", "b-1 [000] 1.0: mm_page_free: page=0000000000000001 pfn=0x1",
	  -EINVAL },
	{ "alloc without gfp",
	  "b-1 [000] 1.0: mm_page_alloc: page=0000000000000001 pfn=0x1 order=0 migratetype=0",
	  -EINVAL },
	/* An x86_64 1 GiB hugetlb page's free: parsed, never replayed */
	{ "order 18", "b-1 [000] 1.0: mm_page_free: page=0000000000000001 pfn=0x40000 order=18",
	  0, PGM_TRACE_FREE, 0, 0x40000, 18 },
	{ "order 64", "b-1 [000] 1.0: mm_page_free: page=0000000000000001 pfn=0x1 order=64",
	  -EINVAL },
	{ "empty instance", "b-1 [000] 1.0: mm_page_free: instance= pfn=0x1 order=0",
	  -EINVAL },
	{ "instance name too long",
	  "b-1 [000] 1.0: mm_page_free: instance=abcdefghijklmnopqrstuvwxyz0123456 pfn=0x1 order=0",
	  -EINVAL },
	{ "bad pfn", "b-1 [000] 1.0: mm_page_free: page=0000000000000001 pfn=0xzz order=0",
	  -EINVAL },
	{ "unknown gfp",
	  "b-1 [000] 1.0: mm_page_alloc: page=0000000000000001 pfn=0x1 order=0 migratetype=0 gfp_flags=GFP_BOGUS",
	  -EINVAL },
	{ "empty gfp part",
	  "b-1 [000] 1.0: mm_page_alloc: page=0000000000000001 pfn=0x1 order=0 migratetype=0 gfp_flags=GFP_KERNEL||__GFP_COMP",
	  -EINVAL },
	{ "field without =", "b-1 [000] 1.0: mm_page_free: page=0000000000000001 pfn=0x1 order",
	  -EINVAL },
};

static void trace_case_desc(const struct trace_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(trace, trace_cases, trace_case_desc);

static void replay_parse(struct kunit *test)
{
	const struct trace_case *c = test->param_value;
	struct pgm_trace_event ev;
	char *line = kunit_kstrdup(test, c->line, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, line);
	KUNIT_ASSERT_EQ(test, pgm_parse_trace_line(line, &ev, NULL), c->ret);
	if (c->ret)
		return;
	KUNIT_EXPECT_EQ(test, ev.kind, c->kind);
	if (c->kind == PGM_TRACE_NONE)
		return;
	KUNIT_EXPECT_EQ(test, ev.cpu, c->cpu);
	if (c->kind == PGM_TRACE_LOST)
		KUNIT_EXPECT_EQ(test, ev.lost, c->lost);
	if (c->kind == PGM_TRACE_OTHER || c->kind == PGM_TRACE_LOST)
		return;
	KUNIT_EXPECT_EQ(test, ev.pfn, c->pfn);
	KUNIT_EXPECT_EQ(test, ev.order, c->order);
	KUNIT_EXPECT_EQ(test, ev.failed, c->failed);
	KUNIT_EXPECT_STREQ(test, ev.instance, c->instance ?: "");
	if (c->kind == PGM_TRACE_ALLOC) {
		KUNIT_EXPECT_EQ(test, (__force unsigned long)ev.gfp,
				(__force unsigned long)c->gfp);
		KUNIT_EXPECT_EQ(test, ev.gfp_hex, c->hex);
	}
}

/*
 * The gfp cache returns what a fresh parse would, hit or miss; an empty
 * gfp_flags= after a failed parse (an empty cache) is no name: EINVAL
 */
static void replay_parse_gfp_cache(struct kunit *test)
{
	static const char * const gfps[] = {
		"GFP_KERNEL|__GFP_COMP", "GFP_KERNEL|__GFP_COMP", "GFP_ATOMIC",
		"GFP_KERNEL|__GFP_COMP", "GFP_BOGUS", "GFP_KERNEL|__GFP_COMP",
		"GFP_BOGUS", "", "GFP_ATOMIC", "",
	};
	static const gfp_t want[] = {
		GFP_KERNEL | __GFP_COMP, GFP_KERNEL | __GFP_COMP, GFP_ATOMIC,
		GFP_KERNEL | __GFP_COMP, 0, GFP_KERNEL | __GFP_COMP,
		0, 0, GFP_ATOMIC, 0,
	};
	struct pgm_trace_gfp_cache *cache;
	struct pgm_trace_event ev;
	char line[200];
	int i;

	cache = kunit_kzalloc(test, sizeof(*cache), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cache);
	for (i = 0; i < ARRAY_SIZE(gfps); i++) {
		snprintf(line, sizeof(line),
			 "t-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x1 order=0 migratetype=0 gfp_flags=%s",
			 gfps[i]);
		KUNIT_ASSERT_EQ(test, pgm_parse_trace_line(line, &ev, cache),
				want[i] ? 0 : -EINVAL);
		if (want[i])
			KUNIT_EXPECT_EQ(test, (__force unsigned long)ev.gfp,
					(__force unsigned long)want[i]);
	}

	/*
	 * A bare number, three times: the hits must say it named nothing,
	 * so that each line's migratetype= gives the mobility, as a fresh
	 * parse's would
	 */
	for (i = 0; i < 3; i++) {
		static const gfp_t mobility[] = {
			0, __GFP_MOVABLE, __GFP_RECLAIMABLE,
		};
		struct pgm_trace_event fresh;

		snprintf(line, sizeof(line),
			 "t-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x1 order=0 migratetype=%d gfp_flags=0x140cca",
			 i);
		KUNIT_ASSERT_EQ(test, pgm_parse_trace_line(line, &fresh, NULL),
				0);
		snprintf(line, sizeof(line),
			 "t-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x1 order=0 migratetype=%d gfp_flags=0x140cca",
			 i);
		KUNIT_ASSERT_EQ(test, pgm_parse_trace_line(line, &ev, cache), 0);
		KUNIT_EXPECT_TRUE(test, ev.gfp_hex);
		KUNIT_EXPECT_EQ(test, (__force unsigned long)ev.gfp,
				(__force unsigned long)fresh.gfp);
		if (i)
			KUNIT_EXPECT_EQ(test, (__force unsigned long)ev.gfp,
					(__force unsigned long)mobility[i]);
	}
}

static void replay_release(void *inst)
{
	pgm_replay_release(inst);
}

/* One node, NORMAL of @blocks pageblocks, two pcp CPUs, with a replay */
static struct pgm_instance *replay_instance(struct kunit *test,
					    unsigned long blocks)
{
	struct pgm_instance *inst;
	struct pgm_topology topo;

	pgmt_topology(&topo, 1, 0, 0, blocks * PGMT_PB, 0);
	topo.nr_cpus = 2;
	topo.tun.kswapd = 0;
	inst = pgmt_create(test, &topo);
	KUNIT_ASSERT_EQ(test, pgm_replay_init(inst), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, replay_release,
							inst), 0);
	return inst;
}

/* A writer of the replay file, as an open of it holds one */
static struct pgm_replay_writer *replay_writer(struct kunit *test)
{
	struct pgm_replay_writer *w = kunit_kzalloc(test, sizeof(*w),
						    GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	return w;
}

static void feed_len(struct kunit *test, struct pgm_instance *inst,
		     struct pgm_replay_writer *w, const char *text, size_t len)
{
	size_t used = 0;

	pgm_iface_lock(inst);
	KUNIT_EXPECT_EQ(test, pgm_replay_feed(inst, w, text, len, &used), 0);
	pgm_iface_unlock(inst);
	KUNIT_EXPECT_EQ(test, used, len);
}

static void feed(struct kunit *test, struct pgm_instance *inst,
		 struct pgm_replay_writer *w, const char *text)
{
	feed_len(test, inst, w, text, strlen(text));
}

#define A(cpu, pfn, order, gfp) \
	"t-1 [" cpu "] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=" \
	pfn " order=" order " migratetype=0 gfp_flags=" gfp "\n"
#define F(cpu, pfn, order) \
	"t-1 [" cpu "] ..... 1.0: mm_page_free: page=0000000000000001 pfn=" \
	pfn " order=" order "\n"
#define B(cpu, pfn) \
	"t-1 [" cpu "] ..... 1.0: mm_page_free_batched: page=0000000000000001 pfn=" \
	pfn " order=0\n"

static unsigned long map_entries(struct pgm_instance *inst)
{
	unsigned long idx, n = 0;
	void *entry;

	/* Tombstones wait for a batched commit; they hold no block */
	xa_for_each(&inst->replay->map, idx, entry)
		n += !(xa_to_value(entry) & 16);
	return n;
}

/* Map slots, tombstones included */
static unsigned long map_slots(struct pgm_instance *inst)
{
	unsigned long idx, n = 0;
	void *entry;

	xa_for_each(&inst->replay->map, idx, entry)
		n++;
	return n;
}

/* Reset gives every page of an 8-pageblock instance back, counts and all */
static void replay_reset_all_free(struct kunit *test,
				  struct pgm_instance *inst)
{
	pgm_iface_lock(inst);
	pgm_replay_reset(inst);
	pgm_iface_unlock(inst);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, map_entries(inst), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(pgmt_zone(inst, 0, PGM_ZONE_NORMAL)),
			(long)(8 * PGMT_PB));
	KUNIT_EXPECT_EQ(test, inst->replay->stats.lines, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Allocations on the traced CPU modulo the pcp CPUs; a free of the same
 * pfn, of a pfn never allocated, and of pages inside an order-3 block,
 * which splits it; mm_page_free_batched alone frees, after mm_page_free
 * it only commits. Other events and broken lines are counted with their
 * first line number.
 */
static void replay_events(struct kunit *test)
{
	struct pgm_instance *inst = replay_instance(test, 8);
	struct pgm_replay_writer *w = replay_writer(test);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	const struct pgm_replay_stats *s = &inst->replay->stats;
	int cpu_override = inst->cpu_override;

	feed(test, inst, w,
	     "# tracer: nop\n"
	     A("005", "0x100", "0", "GFP_KERNEL")
	     A("000", "0x200", "3", "GFP_KERNEL|__GFP_ZERO")
	     F("000", "0x100", "0")
	     F("000", "0x999", "0")
	     "t-1 [000] ..... 1.0: kfree: call_site=x ptr=0000000000000001\n"
	     "garbage\n"
	     F("001", "0x201", "0")
	     B("001", "0x202")
	     B("000", "0x100"));

	/* The last is the pcp commit of line 4's free, not a free of its own */
	KUNIT_EXPECT_EQ(test, s->batched, 1UL);
	KUNIT_EXPECT_EQ(test, s->lines, 10UL);
	KUNIT_EXPECT_EQ(test, s->events, 8UL);
	KUNIT_EXPECT_EQ(test, s->alloc, 2UL);
	KUNIT_EXPECT_EQ(test, s->free, 3UL);
	KUNIT_EXPECT_EQ(test, s->free_unknown, 1UL);
	KUNIT_EXPECT_EQ(test, s->free_unknown_line, 5UL);
	KUNIT_EXPECT_EQ(test, s->skipped, 1UL);
	KUNIT_EXPECT_EQ(test, s->skipped_line, 6UL);
	KUNIT_EXPECT_EQ(test, s->malformed, 1UL);
	KUNIT_EXPECT_EQ(test, s->malformed_line, 7UL);
	KUNIT_EXPECT_EQ(test, s->split, 1UL);
	/* The order-3 block is eight order-0 pages now, two of them freed */
	KUNIT_EXPECT_EQ(test, map_entries(inst), 6UL);
	/*
	 * [005] and [001] are pcp CPU 1. Batch 1 (4096 pages): the refill of
	 * the first line was handed out whole, and 0x201 and 0x202 came back
	 * to its list, far below its high
	 */
	KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[1].count, 2);
	KUNIT_EXPECT_EQ(test, inst->cpu_override, cpu_override);
	/*
	 * A write ending on [001] pins pcp CPU 1 while it runs, not after:
	 * its free goes to CPU 1's list, and the caller's own setting, the
	 * running CPU's pcp (-1), is what it finds after
	 */
	inst->cpu_override = -1;
	feed(test, inst, w, F("001", "0x203", "0"));
	KUNIT_EXPECT_EQ(test, s->free, 4UL);
	KUNIT_EXPECT_EQ(test, s->free_unknown, 1UL);
	KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[1].count, 3);
	KUNIT_EXPECT_EQ(test, inst->cpu_override, -1);
	inst->cpu_override = cpu_override;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	replay_reset_all_free(test, inst);
}

/*
 * Lost events. 0x101 is allocated while the order-1 block at 0x100 still
 * is (the trace lost its free): the new block finds the old one over its
 * pfn, splits it and drops the page at 0x101 as an untraced free, not
 * lost from the map; 0x100 stays, an order-0 block freed alone after. A
 * pfn whose block would wrap past the end of the address space is a
 * malformed line, not a free of every pfn. Reset then gives every page
 * back.
 */
static void replay_lost_frees(struct kunit *test)
{
	struct pgm_instance *inst = replay_instance(test, 8);
	struct pgm_replay_writer *w = replay_writer(test);
	const struct pgm_replay_stats *s = &inst->replay->stats;

	feed(test, inst, w,
	     A("000", "0x100", "1", "GFP_KERNEL")
	     A("000", "0x101", "0", "GFP_KERNEL"));
	KUNIT_EXPECT_EQ(test, s->split, 1UL);
	KUNIT_EXPECT_EQ(test, s->untraced_free, 1UL);
	KUNIT_EXPECT_EQ(test, s->free, 0UL);
	/* 0x100, the split's first half, and the new 0x101 */
	KUNIT_EXPECT_EQ(test, map_entries(inst), 2UL);
	feed(test, inst, w,
	     F("000", "0x100", "0")
	     A("000", "0xfffffffffffffffe", "1", "GFP_KERNEL")
	     F("000", "0xfffffffffffffffe", "0"));
	KUNIT_EXPECT_EQ(test, s->alloc, 2UL);
	KUNIT_EXPECT_EQ(test, s->split, 1UL);
	KUNIT_EXPECT_EQ(test, s->untraced_free, 1UL);
	KUNIT_EXPECT_EQ(test, s->free, 1UL);
	KUNIT_EXPECT_EQ(test, s->malformed, 2UL);
	KUNIT_EXPECT_EQ(test, s->malformed_line, 4UL);
	KUNIT_EXPECT_EQ(test, map_entries(inst), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	replay_reset_all_free(test, inst);
}

/*
 * An allocation over blocks whose frees were lost drops every one of
 * them, not only the one starting at its pfn: 0x200 of order 2 covers
 * 0x200, 0x201 and 0x203. An order-1 block at 0x304 inside the order-3
 * block at 0x300 splits that one and drops its pages 0x304 and 0x305;
 * the other six stay, each freed alone later. A tombstone inside the new
 * block stays: 0x402's commit, which the merge of the per-CPU buffers may
 * put after the allocation, is counted in batched and frees nothing.
 */
static void replay_overlap(struct kunit *test)
{
	struct pgm_instance *inst = replay_instance(test, 8);
	struct pgm_replay_writer *w = replay_writer(test);
	const struct pgm_replay_stats *s = &inst->replay->stats;

	feed(test, inst, w,
	     A("000", "0x200", "0", "GFP_KERNEL")
	     A("000", "0x201", "0", "GFP_KERNEL")
	     A("000", "0x203", "0", "GFP_KERNEL")
	     A("000", "0x200", "2", "GFP_KERNEL"));
	KUNIT_EXPECT_EQ(test, s->alloc, 4UL);
	KUNIT_EXPECT_EQ(test, s->untraced_free, 3UL);
	KUNIT_EXPECT_EQ(test, map_entries(inst), 1UL);

	feed(test, inst, w,
	     A("001", "0x300", "3", "GFP_KERNEL")
	     A("001", "0x304", "1", "GFP_KERNEL"));
	KUNIT_EXPECT_EQ(test, s->split, 1UL);
	KUNIT_EXPECT_EQ(test, s->untraced_free, 5UL);
	KUNIT_EXPECT_EQ(test, map_entries(inst), 1UL + 6 + 1);
	feed(test, inst, w,
	     F("001", "0x300", "2") F("001", "0x306", "0") F("001", "0x307", "0"));
	KUNIT_EXPECT_EQ(test, s->free, 3UL);
	KUNIT_EXPECT_EQ(test, s->split, 1UL);
	KUNIT_EXPECT_EQ(test, map_entries(inst), 2UL);

	feed(test, inst, w,
	     A("000", "0x402", "0", "GFP_KERNEL")
	     F("000", "0x402", "0")
	     A("000", "0x400", "2", "GFP_KERNEL")
	     B("000", "0x402"));
	KUNIT_EXPECT_EQ(test, s->batched, 1UL);
	KUNIT_EXPECT_EQ(test, s->free, 4UL);
	KUNIT_EXPECT_EQ(test, s->split, 1UL);
	KUNIT_EXPECT_EQ(test, s->untraced_free, 5UL);
	KUNIT_EXPECT_EQ(test, map_entries(inst), 3UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	replay_reset_all_free(test, inst);
}

/*
 * mm_page_free_batched prints order=0 whatever the folio's order: alone
 * (no mm_page_free before it), it frees the whole block the trace
 * allocated at that pfn, as free_unref_folios() frees the folio, and
 * leaves no slot behind. A ring buffer overrun line is no event, counted
 * in lost with what it says was dropped.
 */
static void replay_batched_alone(struct kunit *test)
{
	struct pgm_instance *inst = replay_instance(test, 8);
	struct pgm_replay_writer *w = replay_writer(test);
	const struct pgm_replay_stats *s = &inst->replay->stats;

	feed(test, inst, w,
	     A("000", "0x200", "3", "GFP_KERNEL|__GFP_COMP")
	     "CPU:1 [LOST 77 EVENTS]\n"
	     "CPU:0 [LOST EVENTS]\n"
	     B("000", "0x200"));
	KUNIT_EXPECT_EQ(test, s->lines, 4UL);
	KUNIT_EXPECT_EQ(test, s->events, 2UL);
	KUNIT_EXPECT_EQ(test, s->lost, 2UL);
	KUNIT_EXPECT_EQ(test, s->lost_events, 77UL);
	KUNIT_EXPECT_EQ(test, s->free, 1UL);
	KUNIT_EXPECT_EQ(test, s->batched, 0UL);
	KUNIT_EXPECT_EQ(test, s->split, 0UL);
	KUNIT_EXPECT_EQ(test, map_slots(inst), 0UL);
	/* Nothing held: every page is free again before the reset */
	replay_reset_all_free(test, inst);
}

/*
 * A line cut between two writes is one event; a line longer than
 * PGM_REPLAY_LINE_MAX is one malformed line however it arrives; a free
 * covering two of our blocks frees both; an allocation that failed when
 * traced is skipped.
 */
static void replay_chunks(struct kunit *test)
{
	struct pgm_instance *inst = replay_instance(test, 8);
	struct pgm_replay_writer *w = replay_writer(test);
	const struct pgm_replay_stats *s = &inst->replay->stats;
	char *longline;

	feed(test, inst, w, "t-1 [000] ..... 1.0: mm_page_al");
	KUNIT_EXPECT_EQ(test, s->lines, 0UL);
	feed(test, inst, w,
	     "loc: page=0000000000000001 pfn=0x400 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n");
	KUNIT_EXPECT_EQ(test, s->alloc, 1UL);

	longline = kunit_kzalloc(test, PGM_REPLAY_LINE_MAX + 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, longline);
	memset(longline, 'x', PGM_REPLAY_LINE_MAX + 1);
	feed(test, inst, w, longline);
	feed(test, inst, w, "yyy\n");
	KUNIT_EXPECT_EQ(test, s->malformed, 1UL);
	KUNIT_EXPECT_EQ(test, s->malformed_line, 2UL);

	feed(test, inst, w, A("000", "0x401", "0", "GFP_KERNEL")
			 F("000", "0x400", "1")
			 "t-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000000 pfn=0x0 order=4 migratetype=0 gfp_flags=GFP_KERNEL\n");
	KUNIT_EXPECT_EQ(test, s->alloc, 2UL);
	KUNIT_EXPECT_EQ(test, s->free, 1UL);
	KUNIT_EXPECT_EQ(test, s->traced_fail, 1UL);
	KUNIT_EXPECT_EQ(test, map_entries(inst), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A commit after an mm_page_free the map did not know is that free's
 * commit, counted in batched: the unknown free is counted once.
 */
static void replay_unknown_commit(struct kunit *test)
{
	struct pgm_instance *inst = replay_instance(test, 8);
	struct pgm_replay_writer *w = replay_writer(test);
	const struct pgm_replay_stats *s = &inst->replay->stats;

	feed(test, inst, w, F("000", "0x999", "0") B("000", "0x999"));
	KUNIT_EXPECT_EQ(test, s->events, 2UL);
	KUNIT_EXPECT_EQ(test, s->free_unknown, 1UL);
	KUNIT_EXPECT_EQ(test, s->batched, 1UL);
	KUNIT_EXPECT_EQ(test, s->free, 0UL);
	/* The commit took the tombstone */
	KUNIT_EXPECT_EQ(test, map_slots(inst), 0UL);
}

/*
 * Frees that no commit follows (free_unref_page() traces none) leave at
 * most PGM_REPLAY_TOMBS tombstones, known frees and unknown ones alike:
 * the oldest goes first, and its late commit is then a free of its own,
 * of a pfn the map no longer knows. The newest is still a commit.
 */
static void replay_tomb_bound(struct kunit *test)
{
	const unsigned int nr = PGM_REPLAY_TOMBS + 10;
	struct pgm_instance *inst = replay_instance(test, 8);
	struct pgm_replay_writer *w = replay_writer(test);
	const struct pgm_replay_stats *s = &inst->replay->stats;
	size_t size = (size_t)nr * 200, n = 0;
	unsigned int i;
	char *buf, line[128];

	buf = kvmalloc(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* Known: each pfn allocated and freed, never committed */
	for (i = 0; i < nr; i++) {
		n += scnprintf(buf + n, size - n, A("000", "0x%x", "0", "GFP_KERNEL"),
			       0x100000 + i);
		n += scnprintf(buf + n, size - n, F("000", "0x%x", "0"),
			       0x100000 + i);
	}
	feed_len(test, inst, w, buf, n);
	KUNIT_EXPECT_EQ(test, s->alloc, (unsigned long)nr);
	KUNIT_EXPECT_EQ(test, s->free, (unsigned long)nr);
	KUNIT_EXPECT_EQ(test, map_entries(inst), 0UL);
	KUNIT_EXPECT_EQ(test, map_slots(inst), (unsigned long)PGM_REPLAY_TOMBS);

	/* Unknown: their tombstones push the known ones out */
	n = 0;
	for (i = 0; i < nr; i++)
		n += scnprintf(buf + n, size - n, F("001", "0x%x", "0"),
			       0x1000 + i);
	feed_len(test, inst, w, buf, n);
	kvfree(buf);
	KUNIT_EXPECT_EQ(test, s->free_unknown, (unsigned long)nr);
	KUNIT_EXPECT_EQ(test, map_slots(inst), (unsigned long)PGM_REPLAY_TOMBS);

	feed(test, inst, w, B("001", "0x1000"));
	KUNIT_EXPECT_EQ(test, s->free_unknown, nr + 1UL);
	KUNIT_EXPECT_EQ(test, s->batched, 0UL);
	scnprintf(line, sizeof(line), B("001", "0x%x"), 0x1000 + nr - 1);
	feed(test, inst, w, line);
	KUNIT_EXPECT_EQ(test, s->batched, 1UL);
	KUNIT_EXPECT_EQ(test, map_slots(inst), PGM_REPLAY_TOMBS - 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	replay_reset_all_free(test, inst);
}

/*
 * A dying instance stops a write at the first PGM_IFACE_BATCH lines, with
 * the CPU given back and the bytes taken up to the end of the last line
 * replayed; the rest, fed again, replays from there.
 */
static void replay_stopped(struct kunit *test)
{
	struct pgm_instance *inst = replay_instance(test, 8);
	struct pgm_replay_writer *w = replay_writer(test);
	const struct pgm_replay_stats *s = &inst->replay->stats;
	int cpu_override = inst->cpu_override;
	const unsigned int nr = PGM_IFACE_BATCH + 44;
	size_t size = (size_t)nr * 200, n = 0, at_batch = 0, used = 0;
	unsigned int i;
	char *buf;
	int ret;

	buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < nr; i++) {
		n += scnprintf(buf + n, size - n, A("001", "0x%x", "0", "GFP_KERNEL"),
			       0x1000 + i);
		if (i + 1 == PGM_IFACE_BATCH)
			at_batch = n;
	}
	WRITE_ONCE(inst->dying, true);
	pgm_iface_lock(inst);
	ret = pgm_replay_feed(inst, w, buf, n, &used);
	pgm_iface_unlock(inst);
	WRITE_ONCE(inst->dying, false);
	KUNIT_EXPECT_EQ(test, ret, -EINTR);
	KUNIT_EXPECT_EQ(test, used, at_batch);
	KUNIT_EXPECT_EQ(test, s->lines, (unsigned long)PGM_IFACE_BATCH);
	KUNIT_EXPECT_EQ(test, inst->cpu_override, cpu_override);

	feed_len(test, inst, w, buf + used, n - used);
	KUNIT_EXPECT_EQ(test, s->lines, (unsigned long)nr);
	KUNIT_EXPECT_EQ(test, s->alloc, (unsigned long)nr);
	KUNIT_EXPECT_EQ(test, inst->cpu_override, cpu_override);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Each writer (an open of the replay file) completes its own lines: a
 * half line of one is not completed by another's bytes, and a writer
 * that went leaves nothing the next one's first bytes would end.
 */
static void replay_writers(struct kunit *test)
{
	struct pgm_instance *inst = replay_instance(test, 8);
	struct pgm_replay_writer *w1 = replay_writer(test);
	struct pgm_replay_writer *w2 = replay_writer(test);
	struct pgm_replay_writer *w3 = replay_writer(test);
	const struct pgm_replay_stats *s = &inst->replay->stats;

	feed(test, inst, w1, "t-1 [000] ..... 1.0: mm_page_al");
	feed(test, inst, w2, A("001", "0x300", "0", "GFP_KERNEL"));
	feed(test, inst, w1,
	     "loc: page=0000000000000001 pfn=0x400 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n");
	KUNIT_EXPECT_EQ(test, s->lines, 2UL);
	KUNIT_EXPECT_EQ(test, s->alloc, 2UL);
	KUNIT_EXPECT_EQ(test, s->malformed, 0UL);
	KUNIT_EXPECT_EQ(test, map_entries(inst), 2UL);

	/*
	 * w2 leaves half a line and goes, as a write killed between two:
	 * the rest of the line, from w2 itself or from w3, starts a line
	 */
	feed(test, inst, w2, "t-1 [000] ..... 1.0: mm_page_al");
	pgm_replay_drop_partial(w2);
	feed(test, inst, w2,
	     "loc: page=0000000000000001 pfn=0x500 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n");
	KUNIT_EXPECT_EQ(test, s->lines, 3UL);
	KUNIT_EXPECT_EQ(test, s->alloc, 2UL);
	KUNIT_EXPECT_EQ(test, s->malformed, 1UL);
	KUNIT_EXPECT_EQ(test, s->malformed_line, 3UL);
	feed(test, inst, w3,
	     "loc: page=0000000000000001 pfn=0x500 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n");
	KUNIT_EXPECT_EQ(test, s->lines, 4UL);
	KUNIT_EXPECT_EQ(test, s->alloc, 2UL);
	KUNIT_EXPECT_EQ(test, s->malformed, 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A gfp mask with bits no name covers is counted in gfp_hex; one printed
 * as a number alone takes its mobility from migratetype=. Every pageblock
 * of a fresh instance is movable: movable requests take no fallback, an
 * unmovable one must.
 */
static void replay_gfp_hex(struct kunit *test)
{
	struct pgm_instance *inst = replay_instance(test, 8);
	struct pgm_replay_writer *w = replay_writer(test);
	const struct pgm_replay_stats *s = &inst->replay->stats;

	feed(test, inst, w,
	     A("000", "0x100", "0", "GFP_HIGHUSER_MOVABLE")
	     A("000", "0x101", "0", "GFP_HIGHUSER_MOVABLE|0x4000000")
	     "t-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x102 order=0 migratetype=1 gfp_flags=0x140cca\n");
	KUNIT_EXPECT_EQ(test, s->alloc, 3UL);
	KUNIT_EXPECT_EQ(test, s->gfp_hex, 2UL);
	KUNIT_EXPECT_EQ(test, s->gfp_hex_line, 2UL);
	KUNIT_EXPECT_EQ(test, s->malformed, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_FALLBACK), 0UL);

	/* The same number with migratetype=0 is unmovable: it falls back */
	feed(test, inst, w,
	     "t-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x103 order=0 migratetype=0 gfp_flags=0x140cca\n");
	KUNIT_EXPECT_EQ(test, s->alloc, 4UL);
	KUNIT_EXPECT_EQ(test, s->gfp_hex, 3UL);
	/* One order-10 movable block claimed whole; batch 1 needs no more */
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_FALLBACK), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_EXTFRAG_CLAIM), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * options/stacktrace: each event is followed by "<stack trace>" and a
 * " => func" line a frame, as trace_stack_print() writes them, and
 * "<user stack trace>" with userstacktrace. They belong to the event
 * before: neither events nor malformed.
 */
static void replay_stack_trace_lines(struct kunit *test)
{
	struct pgm_instance *inst = replay_instance(test, 8);
	struct pgm_replay_writer *w = replay_writer(test);
	const struct pgm_replay_stats *s = &inst->replay->stats;

	feed(test, inst, w,
	     A("000", "0x100", "0", "GFP_KERNEL")
	     "t-1 [000] ..... 1.0: <stack trace>\n"
	     " => __alloc_pages_noprof+0x1a2/0x340\n"
	     " => alloc_pages_mpol_noprof+0x9b/0x1e0\n"
	     "t-1 [000] ..... 1.0: <user stack trace>\n"
	     " => <00007f0000001234>\n"
	     F("000", "0x100", "0"));
	KUNIT_EXPECT_EQ(test, s->lines, 7UL);
	KUNIT_EXPECT_EQ(test, s->events, 2UL);
	KUNIT_EXPECT_EQ(test, s->alloc, 1UL);
	KUNIT_EXPECT_EQ(test, s->free, 1UL);
	KUNIT_EXPECT_EQ(test, s->skipped, 0UL);
	KUNIT_EXPECT_EQ(test, s->malformed, 0UL);
	KUNIT_EXPECT_EQ(test, map_entries(inst), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * One source a replay: the first allocation here is the host's (no
 * instance=), so an instance's events, which print alike, are skipped,
 * and so is a second instance's after a reset names the first. A free
 * above order 10 (an x86_64 1 GiB hugetlb page, order 18) was never
 * traced as allocated: free_unknown, the map untouched.
 */
static void replay_one_source(struct kunit *test)
{
	struct pgm_instance *inst = replay_instance(test, 8);
	struct pgm_replay_writer *w = replay_writer(test);
	const struct pgm_replay_stats *s = &inst->replay->stats;

	feed(test, inst, w,
	     A("000", "0x100", "0", "GFP_KERNEL")
	     "t-1 [000] ..... 1.0: mm_page_alloc: instance=pgm0 pfn=0x100 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
	     "t-1 [000] ..... 1.0: mm_page_free: instance=pgm0 pfn=0x100 order=0\n"
	     "t-1 [000] ..... 1.0: mm_page_free: page=0000000000000001 pfn=0x40000 order=18\n");
	KUNIT_EXPECT_EQ(test, s->events, 4UL);
	KUNIT_EXPECT_EQ(test, s->alloc, 1UL);
	KUNIT_EXPECT_EQ(test, s->free, 0UL);
	KUNIT_EXPECT_EQ(test, s->skipped, 2UL);
	KUNIT_EXPECT_EQ(test, s->skipped_line, 2UL);
	KUNIT_EXPECT_EQ(test, s->free_unknown, 1UL);
	KUNIT_EXPECT_EQ(test, s->free_unknown_line, 4UL);
	KUNIT_EXPECT_EQ(test, s->malformed, 0UL);
	KUNIT_EXPECT_EQ(test, map_entries(inst), 1UL);
	/* The order-18 free is refused before the map: no tombstone either */
	KUNIT_EXPECT_EQ(test, map_slots(inst), 1UL);

	pgm_iface_lock(inst);
	pgm_replay_reset(inst);
	pgm_iface_unlock(inst);
	feed(test, inst, w,
	     "t-1 [000] ..... 1.0: mm_page_alloc: instance=pgm0 pfn=0x100 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
	     "t-1 [000] ..... 1.0: mm_page_alloc: instance=pgm1 pfn=0x200 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
	     F("000", "0x100", "0")
	     "t-1 [000] ..... 1.0: mm_page_free: instance=pgm0 pfn=0x100 order=0\n");
	KUNIT_EXPECT_EQ(test, s->alloc, 1UL);
	KUNIT_EXPECT_EQ(test, s->free, 1UL);
	KUNIT_EXPECT_EQ(test, s->skipped, 2UL);
	KUNIT_EXPECT_EQ(test, map_entries(inst), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* What make_trace() wrote */
struct trace_counts {
	unsigned long alloc_order[PGM_NR_PAGE_ORDERS];
	unsigned long alloc;
	unsigned long free;
	unsigned long free_never_allocated;
};

/* A seeded workload: allocations of orders 0..9 and frees, four CPUs */
static char *make_trace(struct kunit *test, u64 seed, unsigned int nr,
			size_t *len, struct trace_counts *tc)
{
	static const char * const gfps[] = {
		"GFP_KERNEL", "GFP_HIGHUSER_MOVABLE", "GFP_KERNEL|__GFP_RECLAIMABLE",
		"GFP_ATOMIC", "GFP_NOWAIT|__GFP_NOWARN", "GFP_TRANSHUGE",
	};
	size_t size = (size_t)nr * 160, n = 0;
	unsigned long *live, nr_live = 0, next_pfn = 0x100000;
	struct rnd_state rnd;
	unsigned int i;
	char *buf;

	memset(tc, 0, sizeof(*tc));
	buf = vmalloc(size);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	live = kunit_kcalloc(test, nr, sizeof(*live), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);
	prandom_seed_state(&rnd, seed);
	for (i = 0; i < nr; i++) {
		unsigned int r = prandom_u32_state(&rnd), cpu = r % 4;

		if (nr_live && (r >> 8) % 100 < 48) {
			unsigned long j = (r >> 16) % nr_live;
			unsigned long v = live[j];

			live[j] = live[--nr_live];
			n += scnprintf(buf + n, size - n, F("%03u", "0x%lx", "%lu"),
				       cpu, v >> 4, v & 15);
			tc->free++;
		} else if ((r >> 8) % 100 < 50) {
			/* A free of memory the trace never saw allocated */
			n += scnprintf(buf + n, size - n, F("%03u", "0x%x", "0"),
				       cpu, 0x10 + (r >> 20));
			tc->free++;
			tc->free_never_allocated++;
		} else {
			unsigned int g = (r >> 12) % ARRAY_SIZE(gfps);
			unsigned int order = g == 5 ? 9 : (r >> 16) % 4;

			next_pfn = ALIGN(next_pfn, 1UL << order);
			live[nr_live++] = next_pfn << 4 | order;
			n += scnprintf(buf + n, size - n,
				       A("%03u", "0x%lx", "%u", "%s"), cpu,
				       next_pfn, order, gfps[g]);
			next_pfn += 1UL << order;
			tc->alloc++;
			tc->alloc_order[order]++;
		}
	}
	*len = n;
	return buf;
}

static char *show(struct kunit *test, struct pgm_instance *inst,
		  int (*fn)(struct seq_file *, void *), size_t *len)
{
	struct seq_file m = { .size = 64 * 1024, .private = inst };

	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	fn(&m, NULL);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(&m));
	*len = m.count;
	return m.buf;
}

/*
 * Determinism: the same trace, cut into different chunk sizes, through
 * two fresh instances gives byte-identical buddyinfo, pagetypeinfo and
 * stats, and the same counts.
 */
static void replay_deterministic(struct kunit *test)
{
	int (*const shows[])(struct seq_file *, void *) = {
		pgm_buddyinfo_show, pgm_pagetypeinfo_show, pgm_stats_show,
	};
	struct trace_counts tc;
	struct pgm_instance *a = replay_instance(test, 32);
	struct pgm_instance *b = replay_instance(test, 32);
	struct pgm_replay_writer *wa = replay_writer(test);
	struct pgm_replay_writer *wb = replay_writer(test);
	const struct pgm_replay_stats *st;
	size_t len, off, la, lb, chunk;
	char *trace, *sa, *sb;
	unsigned int i;

	trace = make_trace(test, 42, 20000, &len, &tc);
	/*
	 * Both cross PGM_IFACE_BATCH lines in the middle of a chunk, where
	 * the replay lets the lock go: the count runs over chunks
	 */
	for (off = 0; off < len; off += chunk) {
		chunk = min_t(size_t, 4096, len - off);
		feed_len(test, a, wa, trace + off, chunk);
	}
	for (off = 0; off < len; off += chunk) {
		chunk = min_t(size_t, 977, len - off);
		feed_len(test, b, wb, trace + off, chunk);
	}
	vfree(trace);

	/*
	 * Against what the trace holds: every allocation requested, every
	 * free replayed or unknown (a block pgmirror failed to allocate, or
	 * a pfn never allocated), nothing split, committed or dropped
	 */
	st = &a->replay->stats;
	KUNIT_EXPECT_EQ(test, st->lines, 20000UL);
	KUNIT_EXPECT_EQ(test, st->events, 20000UL);
	KUNIT_EXPECT_EQ(test, st->alloc + st->alloc_fail, tc.alloc);
	for (i = 0; i < PGM_NR_PAGE_ORDERS; i++)
		KUNIT_EXPECT_EQ_MSG(test, st->alloc_order[i], tc.alloc_order[i],
				    "order %u", i);
	KUNIT_EXPECT_EQ(test, st->traced_fail, 0UL);
	KUNIT_EXPECT_EQ(test, st->free + st->free_unknown, tc.free);
	KUNIT_EXPECT_GE(test, st->free_unknown, tc.free_never_allocated);
	KUNIT_EXPECT_GT(test, tc.free_never_allocated, 0UL);
	KUNIT_EXPECT_EQ(test, st->batched, 0UL);
	KUNIT_EXPECT_EQ(test, st->untraced_free, 0UL);
	KUNIT_EXPECT_EQ(test, st->split, 0UL);
	KUNIT_EXPECT_EQ(test, st->malformed, 0UL);
	KUNIT_EXPECT_EQ(test, st->skipped, 0UL);
	KUNIT_EXPECT_EQ(test, st->nomem, 0UL);
	KUNIT_EXPECT_EQ(test, memcmp(&a->replay->stats, &b->replay->stats,
				     sizeof(a->replay->stats)), 0);
	for (i = 0; i < ARRAY_SIZE(shows); i++) {
		sa = show(test, a, shows[i], &la);
		sb = show(test, b, shows[i], &lb);
		KUNIT_EXPECT_EQ(test, la, lb);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(sa, sb, min(la, lb)), 0,
				    "output %u differs", i);
	}
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, a), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, b), 0UL);
}

static struct kunit_case replay_cases[] = {
	KUNIT_CASE_PARAM(replay_parse, trace_gen_params),
	KUNIT_CASE(replay_parse_gfp_cache),
	KUNIT_CASE(replay_events),
	KUNIT_CASE(replay_lost_frees),
	KUNIT_CASE(replay_batched_alone),
	KUNIT_CASE(replay_chunks),
	KUNIT_CASE(replay_gfp_hex),
	KUNIT_CASE(replay_stack_trace_lines),
	KUNIT_CASE(replay_one_source),
	KUNIT_CASE(replay_writers),
	KUNIT_CASE(replay_unknown_commit),
	KUNIT_CASE(replay_tomb_bound),
	KUNIT_CASE(replay_overlap),
	KUNIT_CASE(replay_stopped),
	KUNIT_CASE(replay_deterministic),
	{}
};

static struct kunit_suite replay_suite = {
	.name = "pgmirror_replay",
	.test_cases = replay_cases,
};

kunit_test_suite(replay_suite);
