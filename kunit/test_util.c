// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror KUnit helpers.
 */

#include <kunit/test.h>
#include "test_util.h"

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
 * pgmt_create - a metadata-only instance destroyed when the test ends
 * @test: the test
 * @topo: the topology
 *
 * Return: the instance; the test fails and stops when it cannot be built.
 */
struct pgm_instance *pgmt_create(struct kunit *test,
				 const struct pgm_topology *topo)
{
	struct pgm_instance *inst;
	char err[PGM_STATUS_LEN] = "";

	inst = pgm_instance_create("kunit", topo, NULL, err, sizeof(err));
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(inst), "create: %s", err);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, pgmt_destroy, inst));
	/* Deterministic pcp: every context uses pcp CPU 0 */
	inst->cpu_override = 0;
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
	page = pgm_rmqueue_smallest(zone, order, mt);
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

	page->flags &= ~PGM_PG_HEAD;
	page->private = 0;
	spin_lock_irqsave(&zone->lock, flags);
	pgm_free_one_page_locked(zone, page, pfn, order,
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

static void pgmt_report(void *ctx, const char *fmt, ...)
{
	struct kunit *test = ctx;
	va_list args;
	char buf[192];

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	kunit_info(test, "verify: %s", buf);
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
