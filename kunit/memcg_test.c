// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_memcg: an owner's memory.max and memory.high, as
 * try_charge_memcg(), try_to_free_mem_cgroup_pages(), the memcg OOM and
 * memory_max_write()/memory_high_write() have them in 6.12.
 *
 * Every count comes from upstream's charge loop: a charge over max that
 * may block counts a max event and reclaims, retries once after the
 * stock drain, then MAX_RECLAIM_RETRIES (16) times more, and only then
 * runs the memcg OOM: 18 max events before an OOM when reclaim frees
 * nothing.
 */

#include <kunit/test.h>
#include "test_util.h"
#include "lru.h"

/* MEMCG_CHARGE_BATCH, the pages a write may note before reclaiming */
#define PGM_MEMCG_CHARGE_BATCH_PAGES	64

struct memcg_ctx {
	struct pgm_instance *inst;
	struct pgm_owner *owner;
};

static struct memcg_ctx memcg_setup(struct kunit *test, const char *name,
				    unsigned long max, unsigned long high,
				    int adj)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup(test);
	struct memcg_ctx m = { .inst = c->inst };

	m.owner = pgm_owner_create(c->inst, name, NULL, adj);
	KUNIT_ASSERT_FALSE(test, IS_ERR(m.owner));
	m.owner->max = max;
	m.owner->high = high;
	return m;
}

static long usage(struct pgm_owner *o)
{
	return atomic_long_read(&o->nr_pages);
}

static long events(struct pgm_owner *o, enum pgm_memcg_event e)
{
	return atomic_long_read(&o->events[e]);
}

/* The sleep memory.high's throttle would have cost the owner's writers */
static unsigned int throttle_ms(struct pgm_owner *o)
{
	return jiffies_to_msecs(atomic_long_read(&o->high_throttle));
}

/* @n order-0 allocations of @kind for @o; all must succeed */
static void fill(struct kunit *test, struct pgm_instance *inst,
		 struct pgm_owner *o, enum pgm_kind kind, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		KUNIT_ASSERT_NOT_NULL(test,
				      pgmt_owner_alloc(inst, pgm_kind_gfp(kind),
						       0, o, kind));
}

static void free_all(struct pgm_instance *inst)
{
	pgm_iface_lock(inst);
	pgm_handles_free(inst, NULL, NULL);
	pgm_iface_unlock(inst);
}

/*
 * A memory.max write of @max below the owner's footprint: it ends with
 * the owner OOM-killed once and nothing charged; the pages are freed.
 */
static void max_write_kills(struct kunit *test, struct memcg_ctx *m,
			    unsigned long max)
{
	pgm_iface_lock(m->inst);
	pgm_owner_set_limit(m->inst, m->owner, false, max);
	pgm_iface_unlock(m->inst);
	KUNIT_EXPECT_EQ(test, usage(m->owner), 0L);
	KUNIT_EXPECT_EQ(test, events(m->owner, PGM_MEMCG_OOM), 1L);
	KUNIT_EXPECT_EQ(test, events(m->owner, PGM_MEMCG_OOM_KILL), 1L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, m->inst), 0UL);
	free_all(m->inst);
}

/*
 * Ten anon pages fill max=10. The eleventh finds nothing to reclaim
 * (anon, no swap): 18 max events, then the memcg OOM (one oom event)
 * kills the owner itself, its ten pages go, and the retried charge
 * succeeds: one page charged, oom_kill 1 and the global oom_kill 1.
 */
static void memcg_max_oom_kills_owner(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "a", 10, PGM_PAGE_COUNTER_MAX,
					 0);
	unsigned long kills = pgmt_event(m.inst, PGM_OOM_KILL);

	fill(test, m.inst, m.owner, PGM_KIND_ANON, 10);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 10L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_MAX), 0L);
	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(m.inst,
						     GFP_HIGHUSER_MOVABLE, 0,
						     m.owner, PGM_KIND_ANON));
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_MAX), 18L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_OOM), 1L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_OOM_KILL), 1L);
	KUNIT_EXPECT_EQ(test, pgmt_event(m.inst, PGM_OOM_KILL) - kills, 1UL);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 1L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, m.inst), 0UL);
	free_all(m.inst);
}

/*
 * memcg_max_oom_kills_owner with a costly charge: an order-4 anon block
 * (16 pages) over max=10 with ten anon pages charged. The same 18 max
 * events (one pass, the drain's retry, MAX_RECLAIM_RETRIES more), and no
 * retry for progress, but mem_cgroup_oom() refuses an order above
 * PAGE_ALLOC_COSTLY_ORDER before it counts an oom event: no kill, and
 * the charge fails; the block is freed and usage stays 10.
 */
static void memcg_max_costly_no_oom(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "a", 10, PGM_PAGE_COUNTER_MAX,
					 0);
	unsigned long kills = pgmt_event(m.inst, PGM_OOM_KILL);

	fill(test, m.inst, m.owner, PGM_KIND_ANON, 10);
	KUNIT_EXPECT_NULL(test, pgmt_owner_alloc(m.inst, GFP_HIGHUSER_MOVABLE,
						 PGM_PAGE_ALLOC_COSTLY_ORDER + 1,
						 m.owner, PGM_KIND_ANON));
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_MAX), 18L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_OOM), 0L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_OOM_KILL), 0L);
	KUNIT_EXPECT_EQ(test, pgmt_event(m.inst, PGM_OOM_KILL) - kills, 0UL);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 10L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, m.inst), 0UL);
	free_all(m.inst);
}

/*
 * A costly charge is not retried for reclaim's progress: ten anon and 100
 * file pages charged, max then lowered to 9 without a reclaim, so that no
 * pass can make room for 16 pages but the first three free file pages.
 * Still one pass, the drain's retry and MAX_RECLAIM_RETRIES more: 18 max
 * events, as upstream's nr_pages <= (1 << PAGE_ALLOC_COSTLY_ORDER) test
 * keeps; every file page gone, and no OOM for the costly order.
 */
static void memcg_max_costly_progress(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "a", PGM_PAGE_COUNTER_MAX,
					 PGM_PAGE_COUNTER_MAX, 0);

	fill(test, m.inst, m.owner, PGM_KIND_ANON, 10);
	fill(test, m.inst, m.owner, PGM_KIND_FILE, 100);
	KUNIT_ASSERT_EQ(test, usage(m.owner), 110L);
	WRITE_ONCE(m.owner->max, 9);
	KUNIT_EXPECT_NULL(test, pgmt_owner_alloc(m.inst, GFP_HIGHUSER_MOVABLE,
						 PGM_PAGE_ALLOC_COSTLY_ORDER + 1,
						 m.owner, PGM_KIND_ANON));
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_MAX), 18L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_OOM), 0L);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 10L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, m.inst), 0UL);
	free_all(m.inst);
}

/*
 * At max=4 with four anon pages: __GFP_RETRY_MAYFAIL fails before the
 * OOM (18 max events, no oom); __GFP_NORETRY after the drain's retry (2
 * more); GFP_NOWAIT at once, uncounted; GFP_ATOMIC (__GFP_HIGH) cannot
 * block either, and is forced over max with one max event. A failed
 * charge frees its block: the zone's free count is back.
 */
static void memcg_max_without_oom(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "b", 4, PGM_PAGE_COUNTER_MAX,
					 0);
	struct pgm_zone *zone = pgmt_zone(m.inst, 0, PGM_ZONE_NORMAL);
	long free;

	fill(test, m.inst, m.owner, PGM_KIND_ANON, 4);
	pgm_drain_all_pages(m.inst, zone);
	free = pgmt_nr_free(zone);
	KUNIT_EXPECT_NULL(test, pgmt_owner_alloc(m.inst,
						 GFP_HIGHUSER_MOVABLE |
						 __GFP_RETRY_MAYFAIL, 0,
						 m.owner, PGM_KIND_ANON));
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_MAX), 18L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_OOM), 0L);
	KUNIT_EXPECT_NULL(test, pgmt_owner_alloc(m.inst,
						 GFP_HIGHUSER_MOVABLE |
						 __GFP_NORETRY, 0,
						 m.owner, PGM_KIND_ANON));
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_MAX), 20L);
	KUNIT_EXPECT_NULL(test, pgmt_owner_alloc(m.inst, GFP_NOWAIT, 0,
						 m.owner, PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_MAX), 20L);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 4L);
	pgm_drain_all_pages(m.inst, zone);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free);

	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(m.inst, GFP_ATOMIC, 0,
						     m.owner,
						     PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_MAX), 21L);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 5L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, m.inst), 0UL);
	free_all(m.inst);
}

/* The owner's pages on node 0's inactive file list, all zones */
static unsigned long owner_file(const struct pgm_owner *o)
{
	unsigned long nr = 0;
	int z;

	for (z = 0; z < PGM_MAX_NR_ZONES; z++)
		nr += o->lruvec[0].inactive_file[z];
	return nr;
}

/*
 * Over max with clean file pages, the owner's own LRU is reclaimed and no
 * one else's. try_to_free_mem_cgroup_pages() asks for 32 pages and scans
 * size >> priority of the owner's 8: nothing until priority 3, then 1, 1,
 * 3 and 3 pages at priorities 3 to 0, all 8. Another owner's 8 file pages
 * stay; pgsteal_file counts 8, pgsteal_direct nothing.
 */
static void memcg_max_reclaims_own_lru(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "c", 8, PGM_PAGE_COUNTER_MAX,
					 0);
	struct pgm_owner *other = pgm_owner_create(m.inst, "d", NULL, 0);
	unsigned long steal = pgmt_event(m.inst, PGM_PGSTEAL_FILE);
	unsigned long direct = pgmt_event(m.inst, PGM_PGSTEAL_DIRECT);

	KUNIT_ASSERT_FALSE(test, IS_ERR(other));
	fill(test, m.inst, m.owner, PGM_KIND_FILE, 8);
	fill(test, m.inst, other, PGM_KIND_FILE, 8);
	KUNIT_EXPECT_EQ(test, owner_file(m.owner), 8UL);
	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(m.inst,
						     GFP_HIGHUSER_MOVABLE, 0,
						     m.owner, PGM_KIND_FILE));
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_MAX), 1L);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 1L);
	KUNIT_EXPECT_EQ(test, usage(other), 8L);
	KUNIT_EXPECT_EQ(test, owner_file(other), 8UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(m.inst, PGM_PGSTEAL_FILE) - steal,
			8UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(m.inst, PGM_PGSTEAL_DIRECT), direct);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, m.inst), 0UL);
	free_all(m.inst);
}

/*
 * memory.high: a charge that ends over it reclaims at once and counts a
 * high event. Four file pages under high=4, a fifth charged: the
 * over-high pass reclaims the four on the LRU (1, 1, 2 at priorities 2 to
 * 0), leaving the new page. This is the mirror's in-kernel path: the new
 * block is not on its list yet and is its caller's. Upstream reclaims on
 * the way back to user space, with the new folio on the LRU, and all five
 * go (1, 2, 2), as memcg_high_deferred's control write has it.
 */
static void memcg_high_reclaims(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "e", PGM_PAGE_COUNTER_MAX, 4,
					 0);

	fill(test, m.inst, m.owner, PGM_KIND_FILE, 4);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_HIGH), 0L);
	fill(test, m.inst, m.owner, PGM_KIND_FILE, 1);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_HIGH), 1L);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 1L);
	/* Under high again: no overage, no throttle */
	KUNIT_EXPECT_EQ(test, throttle_ms(m.owner), 0U);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, m.inst), 0UL);
	free_all(m.inst);
}

/*
 * A control write defers memory.high's reclaim to its way back to user
 * space (memcg_nr_pages_over_high), a charge that may not block too:
 * four file pages under high=4, a fifth charged with GFP_NOWAIT in a
 * write leaves the owner at 5 with no event. On the way out one pass
 * asks for the one page, at least 32: the five file pages on the LRU go
 * at priorities 2, 1 and 0 (1, 2, 2), no overage is left, one event.
 */
static void memcg_high_deferred(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "d", PGM_PAGE_COUNTER_MAX, 4,
					 0);
	struct pgm_iface_writer w;
	struct pgm_alloc *a;

	fill(test, m.inst, m.owner, PGM_KIND_FILE, 4);
	pgmt_writer_begin(m.inst, &w, true);
	a = pgm_alloc_create(m.inst, GFP_NOWAIT, 0, 0, m.owner, PGM_KIND_FILE);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_EQ(test, pgm_handle_add(m.inst, a, NULL), 0);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 5L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_HIGH), 0L);
	KUNIT_EXPECT_EQ(test, w.nr_pages_over_high, 1UL);

	KUNIT_EXPECT_EQ(test, atomic_read(&m.owner->nr_waiting), 1);
	pgm_owner_handle_over_high(m.inst, &w);
	KUNIT_EXPECT_EQ(test, atomic_read(&m.owner->nr_waiting), 0);
	pgmt_writer_end(m.inst, &w);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_HIGH), 1L);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 0L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, m.inst), 0UL);
}

/*
 * A penalty of at most HZ / 100 jiffies is not worth a sleep: one pass
 * and out, no retries. 1001 anon pages (nothing reclaimable) over
 * high=1000: an overage of (1 << 20) / 1000 = 1048, a penalty of
 * 1048 * 1048 * HZ >> 34, 0 jiffies at any HZ: one high event, no
 * throttle. The usage steps are the mirror's, a page a charge (no
 * per-CPU stock charging 64 ahead); the penalty arithmetic is 6.12's.
 */
static void memcg_high_small_overage(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "s", PGM_PAGE_COUNTER_MAX, 1000,
					 0);

	fill(test, m.inst, m.owner, PGM_KIND_ANON, 1000);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_HIGH), 0L);
	fill(test, m.inst, m.owner, PGM_KIND_ANON, 1);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 1001L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_HIGH), 1L);
	KUNIT_EXPECT_EQ(test, throttle_ms(m.owner), 0U);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, m.inst), 0UL);
	free_all(m.inst);
}

/*
 * A write that may block reclaims what it noted over high at once only
 * past MEMCG_CHARGE_BATCH pages: high=64, 64 anon pages under it, then
 * 64 more in a write note 64 and reclaim nothing; the 65th makes 65 >
 * 64. Nothing is reclaimable: usage 129 over 64 is an overage of
 * 65 << 20 / 64, a throttle of 4225 * HZ / 64 * 65 / 64 jiffies, above
 * HZ / 100, so the pass and 16 fruitless retries count 17 high events,
 * and the write's end has nothing left.
 */
static void memcg_high_batch(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "b", PGM_PAGE_COUNTER_MAX,
					 PGM_MEMCG_CHARGE_BATCH_PAGES, 0);
	gfp_t gfp = pgm_kind_gfp(PGM_KIND_ANON);
	struct pgm_iface_writer w;
	struct pgm_alloc *a;
	unsigned int i;

	fill(test, m.inst, m.owner, PGM_KIND_ANON,
	     PGM_MEMCG_CHARGE_BATCH_PAGES);
	pgmt_writer_begin(m.inst, &w, true);
	for (i = 0; i <= PGM_MEMCG_CHARGE_BATCH_PAGES; i++) {
		if (i == PGM_MEMCG_CHARGE_BATCH_PAGES) {
			KUNIT_EXPECT_EQ(test, w.nr_pages_over_high,
					(unsigned long)PGM_MEMCG_CHARGE_BATCH_PAGES);
			KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_HIGH),
					0L);
		}
		a = pgm_alloc_create(m.inst, gfp, 0, 0, m.owner,
				     PGM_KIND_ANON);
		KUNIT_ASSERT_NOT_NULL(test, a);
		KUNIT_ASSERT_EQ(test, pgm_handle_add(m.inst, a, NULL), 0);
	}
	KUNIT_EXPECT_EQ(test, w.nr_pages_over_high, 0UL);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_HIGH),
			PGM_MAX_RECLAIM_RETRIES + 1L);
	/*
	 * 129 pages over 64: overage 65 << 20 / 64, so the throttle
	 * (65 << 14)^2 * HZ >> 34, times 65 / 64, is some 67 * HZ:
	 * MEMCG_MAX_HIGH_DELAY_JIFFIES, two seconds, whatever HZ is
	 */
	KUNIT_EXPECT_EQ(test, throttle_ms(m.owner), 2000U);
	pgmt_writer_end(m.inst, &w);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_HIGH),
			PGM_MAX_RECLAIM_RETRIES + 1L);
	KUNIT_EXPECT_EQ(test, usage(m.owner),
			2L * PGM_MEMCG_CHARGE_BATCH_PAGES + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&m.owner->nr_waiting), 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, m.inst), 0UL);
	free_all(m.inst);
}

/*
 * Lowering the limits, as writes to memory.max and memory.high. Six file
 * pages and max=2: reclaimed, all six, no OOM. Six anon pages and
 * high=2: nothing to reclaim, the write gives up with the six charged and
 * no event. max=2 then: 16 fruitless passes, an oom event and the OOM
 * kill of the owner.
 */
static void memcg_set_limits(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "f", PGM_PAGE_COUNTER_MAX,
					 PGM_PAGE_COUNTER_MAX, 0);

	fill(test, m.inst, m.owner, PGM_KIND_FILE, 6);
	pgm_iface_lock(m.inst);
	pgm_owner_set_limit(m.inst, m.owner, false, 2);
	pgm_iface_unlock(m.inst);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 0L);
	KUNIT_EXPECT_EQ(test, m.owner->max, 2UL);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_OOM), 0L);

	m.owner->max = PGM_PAGE_COUNTER_MAX;
	fill(test, m.inst, m.owner, PGM_KIND_ANON, 6);
	pgm_iface_lock(m.inst);
	pgm_owner_set_limit(m.inst, m.owner, true, 2);
	pgm_iface_unlock(m.inst);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 6L);
	KUNIT_EXPECT_EQ(test, m.owner->high, 2UL);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_HIGH), 0L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_OOM), 0L);

	max_write_kills(test, &m, 2);
}

/*
 * An owner the OOM killer may not take (oom_score_adj -1000): over max
 * the OOM finds no victim, and the charge fails (oom 1, oom_kill 0). With
 * __GFP_NOFAIL it is forced over max instead.
 */
static void memcg_unkillable(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "g", 2, PGM_PAGE_COUNTER_MAX,
					 PGM_OOM_SCORE_ADJ_MIN);

	fill(test, m.inst, m.owner, PGM_KIND_ANON, 2);
	KUNIT_EXPECT_NULL(test, pgmt_owner_alloc(m.inst, GFP_HIGHUSER_MOVABLE,
						 0, m.owner, PGM_KIND_ANON));
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_OOM), 1L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_OOM_KILL), 0L);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 2L);
	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(m.inst,
						     GFP_KERNEL | __GFP_NOFAIL,
						     0, m.owner,
						     PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, usage(m.owner), 3L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_OOM), 2L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, m.inst), 0UL);
	free_all(m.inst);
}

/*
 * An owner the OOM killer chose before, grown again over a new max: the
 * limit write's OOM asks whether the writer is dying, not the owner, so
 * it kills the owner again and the write ends with the owner's pages gone
 * (it would otherwise count oom events for ever without killing).
 */
static void memcg_max_write_kills_victim(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "v", PGM_PAGE_COUNTER_MAX,
					 PGM_PAGE_COUNTER_MAX, 0);

	fill(test, m.inst, m.owner, PGM_KIND_ANON, 6);
	WRITE_ONCE(m.owner->oom_victim, true);
	max_write_kills(test, &m, 2);
}

/*
 * try_charge_memcg(): a victim the reap left charged (MMF_OOM_SKIP) fails
 * its charge before any max event or reclaim; __GFP_NOFAIL forces it, with
 * the one max event of the force path. A dying owner over memory.high is
 * not reclaimed (mem_cgroup_handle_over_high()): no high event.
 *
 * Over high by one page of two (high 1), nothing reclaimable: the
 * overage is (2 - 1) << 20 / 1, so the throttle would be
 * (2^20)^2 * HZ >> 34 = 64 * HZ, times 1 page / MEMCG_CHARGE_BATCH: HZ,
 * above HZ / 100 whatever HZ is (on a 64-bit kernel, as pgmirror's
 * are; 32-bit upstream's unsigned long would lose it). The first pass
 * and MAX_RECLAIM_RETRIES fruitless ones of SWAP_CLUSTER_MAX follow: 17
 * high events, and then the sleep of HZ jiffies, one second, counted.
 */
static void memcg_reaped_victim(struct kunit *test)
{
	struct memcg_ctx m = memcg_setup(test, "r", 2, 1, 0);

	/* Anon: each high reclaim pass counts its event and frees nothing */
	fill(test, m.inst, m.owner, PGM_KIND_ANON, 2);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_HIGH),
			PGM_MAX_RECLAIM_RETRIES + 1L);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 2L);
	KUNIT_EXPECT_EQ(test, throttle_ms(m.owner), 1000U);
	WRITE_ONCE(m.owner->oom_victim, true);
	WRITE_ONCE(m.owner->oom_skip, true);
	KUNIT_EXPECT_NULL(test, pgmt_owner_alloc(m.inst, GFP_KERNEL, 0,
						 m.owner, PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_MAX), 0L);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_OOM), 0L);
	KUNIT_EXPECT_NOT_NULL(test, pgmt_owner_alloc(m.inst,
						     GFP_KERNEL | __GFP_NOFAIL,
						     0, m.owner,
						     PGM_KIND_KERNEL));
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_MAX), 1L);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 3L);

	/* Dying and over high: a charge that fits max reclaims nothing */
	WRITE_ONCE(m.owner->oom_skip, false);
	WRITE_ONCE(m.owner->max, PGM_PAGE_COUNTER_MAX);
	fill(test, m.inst, m.owner, PGM_KIND_FILE, 2);
	KUNIT_EXPECT_EQ(test, events(m.owner, PGM_MEMCG_HIGH),
			PGM_MAX_RECLAIM_RETRIES + 1L);
	KUNIT_EXPECT_EQ(test, usage(m.owner), 5L);
	/* Nor is a dying task throttled */
	KUNIT_EXPECT_EQ(test, throttle_ms(m.owner), 1000U);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, m.inst), 0UL);
	free_all(m.inst);
}

static struct kunit_case memcg_cases[] = {
	KUNIT_CASE(memcg_max_oom_kills_owner),
	KUNIT_CASE(memcg_max_costly_no_oom),
	KUNIT_CASE(memcg_max_costly_progress),
	KUNIT_CASE(memcg_max_write_kills_victim),
	KUNIT_CASE(memcg_reaped_victim),
	KUNIT_CASE(memcg_high_deferred),
	KUNIT_CASE(memcg_high_batch),
	KUNIT_CASE(memcg_high_small_overage),
	KUNIT_CASE(memcg_max_without_oom),
	KUNIT_CASE(memcg_max_reclaims_own_lru),
	KUNIT_CASE(memcg_high_reclaims),
	KUNIT_CASE(memcg_set_limits),
	KUNIT_CASE(memcg_unkillable),
	{}
};

static struct kunit_suite memcg_suite = {
	.name = "pgmirror_memcg",
	.test_cases = memcg_cases,
};

kunit_test_suite(memcg_suite);
