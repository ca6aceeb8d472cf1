// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror KUnit helpers.
 */

#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include "test_util.h"
#include "lru.h"

/**
 * pgmt_topology - the default topology with the same zones on every node
 * @topo: filled in
 * @nr_nodes: nodes
 * @dma: pages of DMA per node
 * @dma32: pages of DMA32 per node
 * @normal: pages of NORMAL per node
 * @movable: pages of MOVABLE per node
 */
void pgmt_topology(struct pgm_topology *topo, unsigned int nr_nodes,
		   unsigned long dma, unsigned long dma32,
		   unsigned long normal, unsigned long movable)
{
	unsigned int n;

	pgm_topology_default(topo);
	topo->nr_nodes = nr_nodes;
	topo->nr_cpus = 1;
	for (n = 0; n < nr_nodes; n++) {
		topo->zone_pages[n][PGM_ZONE_DMA] = dma;
		topo->zone_pages[n][PGM_ZONE_DMA32] = dma32;
		topo->zone_pages[n][PGM_ZONE_NORMAL] = normal;
		topo->zone_pages[n][PGM_ZONE_MOVABLE] = movable;
	}
}

static void pgmt_destroy(void *inst)
{
	pgm_instance_destroy(inst);
}

/**
 * pgmt_create_as_made - a metadata-only instance exactly as created,
 *	destroyed when the test ends
 * @test: the test
 * @topo: the topology
 *
 * Its stat thresholds and drift marks are upstream's, and the calling
 * context's pcp CPU is the host CPU's.
 *
 * Return: the instance; the test fails and stops when it cannot be built.
 */
struct pgm_instance *pgmt_create_as_made(struct kunit *test,
					 const struct pgm_topology *topo)
{
	struct pgm_instance *inst;
	char err[PGM_STATUS_LEN] = "";

	inst = pgm_instance_create("kunit", topo, NULL, err, sizeof(err));
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(inst), "create: %s", err);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, pgmt_destroy, inst));
	return inst;
}

/**
 * pgmt_create - a metadata-only instance destroyed when the test ends
 * @test: the test
 * @topo: the topology
 *
 * Return: the instance; the test fails and stops when it cannot be built.
 */
struct pgm_instance *pgmt_create(struct kunit *test,
				 const struct pgm_topology *topo)
{
	struct pgm_instance *inst = pgmt_create_as_made(test, topo);

	/* Deterministic pcp: every context uses pcp CPU 0 */
	inst->cpu_override = 0;
	pgmt_exact_counters(inst);
	return inst;
}

/**
 * pgmt_exact_counters - fold every change of a zone or node counter at once
 * @inst: the instance
 *
 * stat_threshold 0 on every zone and node, as the differential suite sets
 * the host's, so that a case reads NR_FREE_PAGES and the LRU, dirty and
 * slab counts exactly; without a drift mark
 * kswapd leaves it so. pgm_refresh_zone_stat_thresholds() gives the
 * upstream values back.
 */
void pgmt_exact_counters(struct pgm_instance *inst)
{
	struct pgm_zone *zone;
	unsigned int nid;

	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone)) {
		WRITE_ONCE(zone->stat_threshold, 0);
		zone->percpu_drift_mark = 0;
	}
	for (nid = 0; nid < inst->nr_nodes; nid++)
		WRITE_ONCE(inst->node_data[nid].stat_threshold, 0);
}

static void pgmt_release_backing(void *b)
{
	pgm_backing_release(b);
}

/**
 * pgmt_create_backed - a one-zone NORMAL instance over borrowed memory
 * @test: the test; the instance, then the memory, go when it ends
 * @bytes: a multiple of the borrowing chunk (4 MiB)
 *
 * Return: the instance; inst->backing maps its pfns.
 */
struct pgm_instance *pgmt_create_backed(struct kunit *test, u64 bytes)
{
	char err[PGM_STATUS_LEN] = "";
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_backing *b;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ_MSG(test, pgm_backing_borrow(b, bytes, err,
						     sizeof(err)), 0,
			    "%s", err);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   pgmt_release_backing,
							   b));
	pgmt_topology(&topo, 1, 0, 0, bytes >> PAGE_SHIFT, 0);
	inst = pgm_instance_create("kunit", &topo, b, err, sizeof(err));
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(inst), "create: %s", err);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, pgmt_destroy, inst));
	inst->cpu_override = 0;
	pgmt_exact_counters(inst);
	return inst;
}

/**
 * pgmt_mark - record a block taken off the free lists as an allocation
 * @page: the block, or NULL
 * @order: its order
 * @mt: the type it was requested as
 *
 * Return: @page.
 */
struct pgm_page *pgmt_mark(struct pgm_page *page, unsigned int order, int mt)
{
	if (page) {
		page->flags |= PGM_PG_HEAD;
		page->private = order;
		page->alloc_mt = mt;
	}
	return page;
}

/**
 * pgmt_take - take a block off the free lists as an allocation of type @mt
 * @zone: the zone
 * @order: the order
 * @mt: the free list, and the type recorded for the allocation
 *
 * Return: the block, or NULL.
 */
struct pgm_page *pgmt_take(struct pgm_zone *zone, unsigned int order, int mt)
{
	struct pgm_page *page;
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	page = pgm___rmqueue_smallest(zone, order, mt);
	spin_unlock_irqrestore(&zone->lock, flags);
	return pgmt_mark(page, order, mt);
}

/**
 * pgmt_give - free a block taken with pgmt_take() straight to the buddy
 * @zone: the zone
 * @page: the block
 * @order: its order
 */
void pgmt_give(struct pgm_zone *zone, struct pgm_page *page,
	       unsigned int order)
{
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long pfn = pgm_page_to_pfn(inst, page);
	unsigned long flags;

	page->flags &= ~(PGM_PG_HEAD | PGM_PG_COMPOUND);
	page->private = 0;
	spin_lock_irqsave(&zone->lock, flags);
	pgm___free_one_page(zone, page, pfn, order,
			    pgm_get_pfnblock_migratetype(inst, pfn),
				 false);
	spin_unlock_irqrestore(&zone->lock, flags);
}

/**
 * pgmt_take_all - take every page of a movable zone as order-0 movable
 * @zone: the zone, freshly built
 * @pages: indexed by pfn - zone_start_pfn
 * @nr: the zone's size
 */
void pgmt_take_all(struct pgm_zone *zone, struct pgm_page **pages,
		   unsigned long nr)
{
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long i;

	for (i = 0; i < nr; i++) {
		struct pgm_page *page = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);

		if (!page)
			break;
		pages[pgm_page_to_pfn(inst, page) - zone->zone_start_pfn] = page;
	}
}

/**
 * pgmt_report - log one verify() inconsistency to the test
 * @ctx: the test
 * @fmt: the message
 */
void pgmt_report(void *ctx, const char *fmt, ...)
{
	struct kunit *test = ctx;
	va_list args;
	char buf[192];

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	/* Under the zone lock: kunit_info() allocates for the test's log */
	pr_info("\t# %s: verify: %s", test->name, buf);
}

/**
 * pgmt_verify - run pgm_verify(), logging each inconsistency
 * @test: the test
 * @inst: the instance
 *
 * Return: the number of inconsistencies.
 */
unsigned long pgmt_verify(struct kunit *test, struct pgm_instance *inst)
{
	return pgm_verify(inst, pgmt_report, test);
}

/**
 * pgmt_pages_out - pages of @inst on no free list
 * @inst: the instance; every pcp list is drained first
 *
 * pgm_verify() takes a block held by someone for a block in use, which it
 * is: this counts them, so that a test can see every one come back.
 *
 * Return: the managed pages of every zone less their free pages.
 */
long pgmt_pages_out(struct pgm_instance *inst)
{
	struct pgm_zone *zone;
	long out = 0;

	pgm_drain_all_pages(inst, NULL);
	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone))
		out += pgm_zone_managed_pages(zone) -
		       pgm_zone_page_state_snapshot(zone, PGM_NR_FREE_PAGES,
						    inst->nr_cpus);
	return out;
}

/* ==================== memory-pressure helpers ==================== */

#define PGMT_MEM_CAP	1024UL

static void pgmt_mem_cleanup(void *data)
{
	struct pgmt_mem_ctx *c = data;

	while (c->nr_owned)
		pgm_alloc_release(c->inst, c->owned[--c->nr_owned]);
	pgm_iface_lock(c->inst);
	pgm_handles_free(c->inst, NULL, NULL);
	pgm_iface_unlock(c->inst);
}

/**
 * pgmt_mem_setup_topo - an instance of @topo for memory-pressure tests
 * @test: the test; everything made through the context is freed after it
 * @topo: the topology
 *
 * Return: the context.
 */
struct pgmt_mem_ctx *pgmt_mem_setup_topo(struct kunit *test,
					 const struct pgm_topology *topo)
{
	struct pgmt_mem_ctx *c;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->owned = kunit_kcalloc(test, PGMT_MEM_CAP, sizeof(*c->owned),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->owned);
	c->inst = pgmt_create(test, topo);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, pgmt_mem_cleanup, c));
	return c;
}

/**
 * pgmt_mem_setup_nodes - an instance of NORMAL zones for memory-pressure tests
 * @test: the test; everything made through the context is freed after it
 * @nr_nodes: nodes, each with one NORMAL zone; one pcp CPU, on node 0
 * @nr_pages: each zone's size
 *
 * Return: the context.
 */
struct pgmt_mem_ctx *pgmt_mem_setup_nodes(struct kunit *test,
					  unsigned int nr_nodes,
					  unsigned long nr_pages)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, nr_nodes, 0, 0, nr_pages, 0);
	return pgmt_mem_setup_topo(test, &topo);
}

/**
 * pgmt_mem_setup_pages - a one-zone NORMAL instance for memory-pressure tests
 * @test: the test; everything made through the context is freed after it
 * @nr_pages: the zone's size
 *
 * Return: the context.
 */
struct pgmt_mem_ctx *pgmt_mem_setup_pages(struct kunit *test,
					  unsigned long nr_pages)
{
	return pgmt_mem_setup_nodes(test, 1, nr_pages);
}

/**
 * pgmt_mem_setup - a four-pageblock NORMAL instance for memory-pressure tests
 * @test: the test; everything made through the context is freed after it
 *
 * Return: the context.
 */
struct pgmt_mem_ctx *pgmt_mem_setup(struct kunit *test)
{
	return pgmt_mem_setup_pages(test, 4 * PGMT_PB);
}

/**
 * pgmt_owner_alloc - the control file's alloc: a block for an owner, plus a
 * handle
 * @inst: the instance
 * @gfp: the gfp mask
 * @order: the order
 * @owner: the owner charged, or NULL
 * @kind: the kind
 *
 * Return: the allocation, or NULL.
 */
struct pgm_alloc *pgmt_owner_alloc(struct pgm_instance *inst, gfp_t gfp,
				   unsigned int order, struct pgm_owner *owner,
				   enum pgm_kind kind)
{
	struct pgm_alloc *a;

	pgm_iface_lock(inst);
	a = pgm_alloc_create(inst, gfp, order, 0, owner, kind);
	if (a && pgm_handle_add(inst, a, NULL)) {
		pgm_alloc_release(inst, a);
		a = NULL;
	}
	pgm_iface_unlock(inst);
	return a;
}

/**
 * pgmt_node_owner - an owner limited to one node, as "owner create nodes="
 * @test: the test; it stops when the owner cannot be made
 * @inst: the instance
 * @name: the owner's name
 * @nid: its one node
 *
 * Return: the owner.
 */
struct pgm_owner *pgmt_node_owner(struct kunit *test,
				  struct pgm_instance *inst, const char *name,
				  int nid)
{
	struct pgm_nodemask mask = { };
	struct pgm_owner *o;

	__set_bit(nid, mask.bits);
	o = pgm_owner_create(inst, name, &mask, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o));
	return o;
}

/**
 * pgmt_handle_free - free a handle as the free command does
 * @test: the test; it fails unless @a is the handle's allocation
 * @inst: the instance
 * @a: an allocation with a handle
 */
void pgmt_handle_free(struct kunit *test, struct pgm_instance *inst,
		      struct pgm_alloc *a)
{
	struct pgm_alloc *h;

	pgm_iface_lock(inst);
	h = pgm_handle_take(inst, READ_ONCE(a->id));
	KUNIT_EXPECT_PTR_EQ(test, h, a);
	if (h)
		pgm_alloc_release(inst, h);
	pgm_iface_unlock(inst);
}

/**
 * pgmt_writer_begin - be a control write holding iface_lock
 * @inst: the instance
 * @w: the writer's record, on the caller's stack
 * @shared: take iface_lock shared, as alloc and free do
 */
void pgmt_writer_begin(struct pgm_instance *inst, struct pgm_iface_writer *w,
		       bool shared)
{
	w->shared = shared;
	w->may_wait = true;
	w->status = NULL;
	pgm_iface_writer_add(inst, w);
	WARN_ON(pgm_iface_write_lock(inst, w));
}

/**
 * pgmt_writer_end - the end of what pgmt_writer_begin() started
 * @inst: the instance
 * @w: the writer's record
 */
void pgmt_writer_end(struct pgm_instance *inst, struct pgm_iface_writer *w)
{
	/* As pgm_control_run(): memory.high on the way back to user space */
	pgm_owner_handle_over_high(inst, w);
	pgm_iface_write_unlock(inst, w);
	pgm_iface_writer_del(inst, w);
}

static int pgmt_iface_reader_fn(void *data)
{
	struct pgmt_iface_reader *r = data;

	down_read(&r->inst->iface_lock);
	r->seen = READ_ONCE(*r->watch);
	up_read(&r->inst->iface_lock);
	return pgmt_thread_done(&r->done);
}

/**
 * pgmt_iface_reader_start - queue a reader on iface_lock
 * @test: the test
 * @inst: the instance; current holds iface_lock exclusively
 * @watch: what the reader notes when it gets the lock
 * @r: the reader, on the caller's stack
 *
 * Returns once the reader waits on the lock. up_write() hands the lock to
 * a waiting reader before anyone else can take it back, so the reader
 * notes *@watch at the first moment the writer lets go.
 */
void pgmt_iface_reader_start(struct kunit *test, struct pgm_instance *inst,
			     const unsigned long *watch,
			     struct pgmt_iface_reader *r)
{
	r->inst = inst;
	r->watch = watch;
	r->seen = ULONG_MAX;
	init_completion(&r->done);
	r->task = kthread_run(pgmt_iface_reader_fn, r, "pgmt_reader");
	KUNIT_ASSERT_FALSE(test, IS_ERR(r->task));
	while (!rwsem_is_contended(&inst->iface_lock))
		schedule_timeout_uninterruptible(1);
}

/**
 * pgmt_iface_reader_stop - wait for the reader pgmt_iface_reader_start() queued
 * @r: the reader; current no longer holds iface_lock
 *
 * Return: what it noted.
 */
unsigned long pgmt_iface_reader_stop(struct pgmt_iface_reader *r)
{
	wait_for_completion(&r->done);
	kthread_stop(r->task);
	return r->seen;
}

/**
 * pgmt_oom_kill - a global OOM kill, as a request without a context
 * @inst: the instance
 *
 * Return: true if an owner was killed.
 */
bool pgmt_oom_kill(struct pgm_instance *inst)
{
	struct pgm_oom_control oc = { .inst = inst, .gfp = GFP_KERNEL };
	bool killed;

	mutex_lock(&inst->oom_lock);
	killed = pgm_out_of_memory(&oc);
	mutex_unlock(&inst->oom_lock);
	return killed;
}

/**
 * pgmt_mem_alloc - pgmt_owner_alloc() without an owner
 * @inst: the instance
 * @gfp: the gfp mask
 * @order: the order
 * @kind: the kind
 *
 * Return: the allocation, or NULL.
 */
struct pgm_alloc *pgmt_mem_alloc(struct pgm_instance *inst, gfp_t gfp,
				 unsigned int order, enum pgm_kind kind)
{
	return pgmt_owner_alloc(inst, gfp, order, NULL, kind);
}

/**
 * pgmt_owner_fill - up to @n order-0 blocks of @kind with handles for @owner
 * @inst: the instance
 * @owner: the owner charged, or NULL
 * @kind: the kind
 * @n: how many at most
 *
 * Without __GFP_DIRECT_RECLAIM, so the min watermark stops the fill.
 *
 * Return: how many were allocated.
 */
unsigned long pgmt_owner_fill(struct pgm_instance *inst,
			      struct pgm_owner *owner, enum pgm_kind kind,
			      unsigned long n)
{
	gfp_t gfp = (pgm_kind_gfp(kind) & ~__GFP_DIRECT_RECLAIM) |
		    __GFP_NOWARN;
	unsigned long i;

	for (i = 0; i < n; i++)
		if (!pgmt_owner_alloc(inst, gfp, 0, owner, kind))
			break;
	return i;
}

/**
 * pgmt_mem_fill - @n order-0 blocks of @kind that cannot reclaim themselves
 * @test: the test
 * @c: the context from pgmt_mem_setup()
 * @kind: the kind
 * @n: how many
 * @handles: give them handles (reclaimable), or keep them in @c
 */
void pgmt_mem_fill(struct kunit *test, struct pgmt_mem_ctx *c,
		   enum pgm_kind kind, unsigned long n, bool handles)
{
	gfp_t gfp = pgm_kind_gfp(kind) & ~__GFP_DIRECT_RECLAIM;
	unsigned long i;

	for (i = 0; i < n; i++) {
		struct pgm_alloc *a;

		if (handles) {
			a = pgmt_mem_alloc(c->inst, gfp, 0, kind);
		} else {
			a = pgm_alloc_create(c->inst, gfp, 0, 0, NULL, kind);
			if (a)
				c->owned[c->nr_owned++] = a;
		}
		KUNIT_ASSERT_NOT_NULL(test, a);
	}
}

/*
 * Drain the pcp lists and take every free page of node 0's NORMAL zone raw
 * as order 0; the bitmap returned, indexed by pfn - zone_start_pfn, marks
 * the pages taken.
 */
static unsigned long *pgmt_take_free(struct kunit *test,
				     struct pgm_instance *inst)
{
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	static const int mts[] = { PGM_MIGRATE_MOVABLE, PGM_MIGRATE_UNMOVABLE,
				   PGM_MIGRATE_RECLAIMABLE };
	unsigned long *taken;
	unsigned int m;

	taken = kunit_kcalloc(test, BITS_TO_LONGS(zone->spanned_pages),
			      sizeof(*taken), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, taken);
	pgm_drain_all_pages(inst, NULL);
	for (m = 0; m < ARRAY_SIZE(mts); m++) {
		struct pgm_page *page;

		while ((page = pgmt_take(zone, 0, mts[m])))
			__set_bit(pgmt_pfn(inst, page) - zone->zone_start_pfn,
				  taken);
	}
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 0L);
	return taken;
}

static void pgmt_give_pfn(struct pgm_zone *zone, unsigned long *taken,
			  unsigned long i)
{
	struct pgm_instance *inst = zone->zone_pgdat->inst;

	pgmt_give(zone, pgm_pfn_to_page(inst, zone->zone_start_pfn + i), 0);
	__clear_bit(i, taken);
}

/**
 * pgmt_mem_to - leave exactly @nr pages free in node 0's NORMAL zone
 * @test: the test
 * @inst: the instance
 * @nr: the free pages wanted
 * @block: keep one free aligned order-4 block among them
 *
 * Take every free page raw, then give back (with @block) one aligned
 * order-4 block and single pages at even pfns whose buddies stay taken,
 * so that nothing merges, until exactly @nr pages are free.
 */
void pgmt_mem_to(struct kunit *test, struct pgm_instance *inst,
		 unsigned long nr, bool block)
{
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	unsigned long span = zone->spanned_pages, i, run = 0, start = span;
	unsigned long *taken = pgmt_take_free(test, inst);

	KUNIT_ASSERT_TRUE(test, !block || nr >= 16 + 1);
	for (i = 0; block && i < span; i++) {
		run = test_bit(i, taken) ? run + 1 : 0;
		if (run == 16 && !((i + 1) % 16)) {
			start = i + 1 - 16;
			break;
		}
	}
	KUNIT_ASSERT_TRUE(test, !block || start < span);
	for (i = start; i < span && i < start + 16; i++)
		pgmt_give_pfn(zone, taken, i);
	for (i = 0; i + 1 < span && pgmt_nr_free(zone) < (long)nr; i += 2)
		if (test_bit(i, taken) && test_bit(i + 1, taken))
			pgmt_give_pfn(zone, taken, i);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), (long)nr);
}

/**
 * pgmt_mem_to_min - leave exactly min pages free in node 0's NORMAL zone
 * @test: the test
 * @inst: the instance
 * @block: keep one free aligned order-4 block among them
 */
void pgmt_mem_to_min(struct kunit *test, struct pgm_instance *inst,
		     bool block)
{
	pgmt_mem_to(test, inst,
		    pgm_min_wmark_pages(pgmt_zone(inst, 0, PGM_ZONE_NORMAL)),
		    block);
}

/**
 * pgmt_mem_to_pageblock - leave one whole free pageblock in node 0's NORMAL
 * @test: the test
 * @inst: the instance
 *
 * Take every free page raw, then give back the last pageblock of which
 * every page was taken: it merges into one free block of pageblock order.
 */
void pgmt_mem_to_pageblock(struct kunit *test, struct pgm_instance *inst)
{
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	unsigned long *taken = pgmt_take_free(test, inst);
	unsigned long start, i;

	KUNIT_ASSERT_EQ(test, zone->zone_start_pfn % PGMT_PB, 0UL);
	for (start = ALIGN_DOWN(zone->spanned_pages, PGMT_PB); start; ) {
		start -= PGMT_PB;
		if (find_next_zero_bit(taken, start + PGMT_PB, start) ==
		    start + PGMT_PB)
			break;
	}
	KUNIT_ASSERT_EQ(test, find_next_zero_bit(taken, start + PGMT_PB, start),
			start + PGMT_PB);
	for (i = start; i < start + PGMT_PB; i++)
		pgmt_give_pfn(zone, taken, i);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), (long)PGMT_PB);
	KUNIT_ASSERT_EQ(test, zone->free_area[PGM_PAGEBLOCK_ORDER].nr_free, 1UL);
}

static void pgmt_free_handles(void *data)
{
	struct pgm_instance *inst = data;

	pgm_iface_lock(inst);
	pgm_handles_free(inst, NULL, NULL);
	pgm_iface_unlock(inst);
}

/**
 * pgmt_free_handles_at_end - free @inst's handles when the test ends
 * @test: the test
 * @inst: the instance, made with pgmt_create() or the like before
 *
 * Before the instance goes: a KUnit instance has no control file to free
 * them at its destroy.
 */
void pgmt_free_handles_at_end(struct kunit *test, struct pgm_instance *inst)
{
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   pgmt_free_handles,
							   inst));
}

/**
 * pgmt_adopt - an allocation with a handle, as the control file makes, on
 *	a block the test took
 * @test: the test
 * @inst: the instance; pgmt_free_handles_at_end() was called for it
 * @page: the block's head
 * @order: its order
 * @kind: the kind: anon and file go on an LRU (PageLRU)
 *
 * Return: the allocation.
 */
struct pgm_alloc *pgmt_adopt(struct kunit *test, struct pgm_instance *inst,
			     struct pgm_page *page, unsigned int order,
			     enum pgm_kind kind)
{
	struct pgm_alloc *a = pgm_alloc_adopt(inst, page, order, NULL, kind);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, a);
	pgm_iface_lock(inst);
	ret = pgm_handle_add(inst, a, NULL);
	pgm_iface_unlock(inst);
	if (ret)
		pgm_alloc_release(inst, a);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return a;
}

/**
 * pgmt_half_free_block - block 0 of a four-block zone partly free
 * @test: the test
 * @inst: an instance of one NORMAL zone of four pageblocks
 * @nr_free: pages of block 0 left free, from its start; the other pages
 *	are anon allocations, on the LRU (movable, to a claim), and blocks 1-3
 *	are allocated
 */
void pgmt_half_free_block(struct kunit *test, struct pgm_instance *inst,
			  unsigned long nr_free)
{
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page **pages, *b0;
	unsigned long i;

	pages = kunit_kcalloc(test, PGMT_PB, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	b0 = pgmt_take(zone, 9, PGM_MIGRATE_MOVABLE);
	for (i = 1; i < 4; i++)
		KUNIT_ASSERT_NOT_NULL(test,
				      pgmt_take(zone, 9, PGM_MIGRATE_MOVABLE));
	KUNIT_ASSERT_EQ(test, pgmt_pfn(inst, b0), 0UL);
	pgmt_give(zone, b0, 9);
	pgmt_take_all(zone, pages, PGMT_PB);
	for (i = 0; i < nr_free; i++)
		pgmt_give(zone, pages[i], 0);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), (long)nr_free);
	pgmt_free_handles_at_end(test, inst);
	for (; i < PGMT_PB; i++)
		pgmt_adopt(test, inst, pages[i], 0, PGM_KIND_ANON);
}

/**
 * pgmt_block0_unmovable - turn block 0 unmovable, free pages and all
 * @test: the test
 * @inst: an instance of one NORMAL zone, as pgmt_half_free_block() left it
 * @nr_free: the free pages block 0 holds, which move with it
 */
void pgmt_block0_unmovable(struct kunit *test, struct pgm_instance *inst,
			   int nr_free)
{
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	spin_lock_irq(&zone->lock);
	KUNIT_EXPECT_EQ(test, pgm_move_freepages_block(zone,
						       pgm_pfn_to_page(inst, 0),
						       PGM_MIGRATE_MOVABLE,
						       PGM_MIGRATE_UNMOVABLE),
			nr_free);
	spin_unlock_irq(&zone->lock);
}

/**
 * pgmt_highatomic_alloc - a GFP_ATOMIC request with the slow path's flags
 * @test: the test
 * @inst: the instance
 * @order: its order, above 0
 * @ac: filled by pgm_prepare_alloc_pages()
 * @alloc_flags: set to gfp_to_alloc_flags()'s, ALLOC_HIGHATOMIC among them
 *
 * Return: the page get_page_from_freelist() gave, whose pageblock
 * reserve_highatomic_pageblock() was then asked to reserve.
 */
struct pgm_page *pgmt_highatomic_alloc(struct kunit *test,
				       struct pgm_instance *inst,
				       unsigned int order,
				       struct pgm_alloc_context *ac,
				       unsigned int *alloc_flags)
{
	struct pgm_page *page;

	KUNIT_ASSERT_TRUE(test, pgm_prepare_alloc_pages(inst, GFP_ATOMIC,
							order, 0, NULL, ac,
							alloc_flags));
	*alloc_flags = pgm_gfp_to_alloc_flags(inst, GFP_ATOMIC, order);
	KUNIT_ASSERT_TRUE(test, *alloc_flags & PGM_ALLOC_HIGHATOMIC);
	page = pgm_get_page_from_freelist(GFP_ATOMIC, order, *alloc_flags, ac);
	KUNIT_ASSERT_NOT_NULL(test, page);
	return page;
}

/**
 * pgmt_expect_lines - expect these lines in an explanation, in this order
 * @test: the test
 * @text: the explanation
 * @want: whole lines, without their newline; others may come between
 * @n: entries in @want
 */
void pgmt_expect_lines(struct kunit *test, const char *text,
		       const char * const *want, unsigned int n)
{
	const char *at = text;
	char line[PGM_STATUS_LEN];
	unsigned int i;

	for (i = 0; i < n; i++) {
		const char *hit;

		snprintf(line, sizeof(line), "%s\n", want[i]);
		hit = strstr(at, line);
		/* A whole line: at the start, or right after a newline */
		while (hit && hit != text && hit[-1] != '\n')
			hit = strstr(hit + 1, line);
		KUNIT_EXPECT_NOT_NULL_MSG(test, hit,
					  "line %u \"%s\" not found after %td bytes of:\n%s",
					  i, want[i], at - text, text);
		if (!hit)
			return;
		at = hit + strlen(line);
	}
}

/**
 * pgmt_render - what one read of a single_open() file prints
 * @test: the test
 * @inst: the instance, as the file's m->private
 * @show: the file's show function
 *
 * Return: the text, NUL-terminated, freed with the test.
 */
char *pgmt_render(struct kunit *test, struct pgm_instance *inst,
		  int (*show)(struct seq_file *m, void *v))
{
	struct seq_file m = { .size = SZ_64K, .private = inst };

	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	KUNIT_ASSERT_EQ(test, show(&m, NULL), 0);
	KUNIT_ASSERT_LT(test, m.count, m.size);
	m.buf[m.count] = '\0';
	return m.buf;
}

/**
 * pgmt_render_seq - what a read of a seq_operations file prints from @pos
 * @test: the test
 * @inst: the instance, as the file's m->private
 * @ops: the file's iterator
 * @pos: the record to start from, as a seek or a later read resumes
 *
 * Return: the text, NUL-terminated, freed with the test.
 */
char *pgmt_render_seq(struct kunit *test, struct pgm_instance *inst,
		      const struct seq_operations *ops, loff_t pos)
{
	struct seq_file m = { .size = SZ_64K, .private = inst };
	void *v;

	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	for (v = ops->start(&m, &pos); !IS_ERR_OR_NULL(v);
	     v = ops->next(&m, v, &pos))
		KUNIT_ASSERT_EQ(test, ops->show(&m, v), 0);
	ops->stop(&m, v);
	KUNIT_ASSERT_FALSE(test, IS_ERR(v));
	KUNIT_ASSERT_LT(test, m.count, m.size);
	m.buf[m.count] = '\0';
	return m.buf;
}

/**
 * pgmt_thread_done - the end of a test thread a test may kill
 * @done: completed, for the test to read the thread's results
 *
 * The signal the test sent is dropped, and the thread stays until the
 * test's kthread_stop(), so that the test's reference to it holds.
 *
 * Return: 0, the thread's exit code.
 */
int pgmt_thread_done(struct completion *done)
{
	complete(done);
	flush_signals(current);
	while (!kthread_should_stop())
		schedule_timeout_uninterruptible(1);
	return 0;
}
