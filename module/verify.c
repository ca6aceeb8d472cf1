// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the consistency check behind the verify file.
 *
 * Upstream has no twin: with CONFIG_DEBUG_VM it checks pages one at a time
 * as they pass. The mirror can afford to walk a whole instance and account
 * for every page, so tests and users can ask whether the structures agree.
 */

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/nmi.h>
#include <linux/spinlock.h>

#include "pgmirror.h"

/* A zone's check in progress: its lists' walks and its problems */
struct verify_walk {
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	unsigned long walked;
	u32 prev;
	bool broken;
	bool back_reported;
	unsigned long *problems;
	void *ctx;
	void (*report)(void *ctx, const char *fmt, ...) __printf(2, 3);
};

/*
 * A block is aligned to its order. A free block's head holds PG_buddy
 * alone and its other pages no flag: set_buddy_order() overwrites a new
 * head's flags, and the buddy and compaction walkers read the flags of
 * any pfn. An allocated or cached block's other pages head nothing: one
 * that did would be a block inside another.
 */
static void verify_block(struct verify_walk *w, unsigned long pfn)
{
	struct pgm_page *page = pgm_pfn_to_page(w->inst, pfn);
	unsigned long i, nr = 1UL << page->private;
	struct pgm_zone *zone = w->zone;
	bool free = page->flags & PGM_PG_BUDDY;
	const char *kind = free ? "free" :
			   page->flags & PGM_PG_PCP ? "cached" : "allocated";

	if (!IS_ALIGNED(pfn, nr)) {
		w->report(w->ctx,
			  "node %d zone %s: %s block at pfn %lu is not aligned to its order %u\n",
			  pgm_zone_to_nid(zone), zone->name, kind, pfn,
			  page->private);
		(*w->problems)++;
	}
	if (free && page->flags != PGM_PG_BUDDY) {
		w->report(w->ctx,
			  "node %d zone %s: free block at pfn %lu has flags %#x\n",
			  pgm_zone_to_nid(zone), zone->name, pfn, page->flags);
		(*w->problems)++;
		return;
	}
	/*
	 * Within a pageblock every free block merged with its free buddy
	 * (__free_one_page()). Not across one: a claim or an unreserve
	 * retypes a block and leaves its neighbour unmerged, as upstream's.
	 */
	if (free && page->private < PGM_PAGEBLOCK_ORDER &&
	    IS_ALIGNED(pfn, nr) && pgm_zone_spans_pfn(zone, pfn ^ nr) &&
	    (pfn ^ nr) > pfn) {
		const struct pgm_page *buddy = page + nr;

		if (buddy->flags == PGM_PG_BUDDY &&
		    buddy->private == page->private) {
			w->report(w->ctx,
				  "node %d zone %s: free order-%u buddies at pfn %lu and %lu are not merged\n",
				  pgm_zone_to_nid(zone), zone->name,
				  page->private, pfn, pfn + nr);
			(*w->problems)++;
		}
	}
	for (i = 1; i < nr && pfn + i < pgm_zone_end_pfn(zone); i++) {
		if (free ? !page[i].flags :
		    !(page[i].flags & (PGM_PG_BUDDY | PGM_PG_PCP |
				       PGM_PG_HEAD)))
			continue;
		w->report(w->ctx,
			  "node %d zone %s: pfn %lu inside the %s block at %lu has flags %#x\n",
			  pgm_zone_to_nid(zone), zone->name, pfn + i, kind, pfn,
			  page[i].flags);
		(*w->problems)++;
		return;
	}
}

/*
 * The page a list links to next (@pfn), or NULL at its end. A link out
 * of the instance, or one more than the zone has pages (a cycle), is
 * reported and ends the walk: a corrupt list is found, not followed.
 */
static struct pgm_page *verify_link(struct verify_walk *w, u32 pfn)
{
	if (pfn == PGM_LIST_NIL)
		return NULL;
	if (pfn < w->inst->nr_pages && ++w->walked <= w->zone->spanned_pages) {
		struct pgm_page *page = w->inst->memmap + pfn;

		/* pgm_list_del() follows the links back: they must agree */
		if (page->buddy_list.prev != w->prev && !w->back_reported) {
			w->back_reported = true;
			w->report(w->ctx,
				  "node %d zone %s: pfn %u links back to %u, not %u\n",
				  pgm_zone_to_nid(w->zone), w->zone->name, pfn,
				  page->buddy_list.prev, w->prev);
			(*w->problems)++;
		}
		w->prev = pfn;
		return page;
	}
	w->broken = true;
	w->report(w->ctx, "node %d zone %s: a list links to pfn %u, %s\n",
		  pgm_zone_to_nid(w->zone), w->zone->name, pfn,
		  pfn < w->inst->nr_pages ?
		  "more links than the zone has pages" :
		  "outside the instance");
	(*w->problems)++;
	return NULL;
}

/* The first page of @list, starting a walk of it */
static struct pgm_page *verify_first(struct verify_walk *w,
				     const struct pgm_list *list)
{
	w->walked = 0;
	w->prev = PGM_LIST_NIL;
	w->broken = false;
	w->back_reported = false;
	return verify_link(w, list->first);
}

/* A walk of @list that ran to its end must end at its last page */
static void verify_last(struct verify_walk *w, const struct pgm_list *list)
{
	if (w->broken || list->last == w->prev)
		return;
	w->report(w->ctx, "node %d zone %s: a list's last is pfn %u, its walk ends at %u\n",
		  pgm_zone_to_nid(w->zone), w->zone->name, list->last, w->prev);
	(*w->problems)++;
}

/*
 * A zone of millions of pages is walked with its lock held and interrupts
 * off, as mark_free_pages() walks one for hibernation; the watchdog is
 * touched as there, every 128Ki pages or list entries
 */
#define VERIFY_WD_COUNT		BIT(17)

static unsigned long verify_zone(struct pgm_instance *inst,
				 struct pgm_zone *zone,
				 __printf(2, 3) void (*report)(void *ctx,
							       const char *fmt,
							       ...),
				 void *ctx)
{
	unsigned long problems = 0, pfn, flags;
	struct verify_walk w = {
		.inst = inst, .zone = zone, .problems = &problems,
		.report = report, .ctx = ctx,
	};
	long nr_free = 0, nr_cma = 0, snap_free, snap_cma;
	unsigned long listed_pages = 0, buddy_pages = 0, walked = 0;
	unsigned int order, cpu;
	int mt, block_mt;

	spin_lock_irqsave(&zone->lock, flags);
	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++) {
		unsigned long listed = 0;

		for (mt = 0; mt < PGM_MIGRATE_TYPES; mt++) {
			struct pgm_page *page;

			for (page = verify_first(&w, &zone->free_area[order]
						 .free_list[mt]);
			     page; page = verify_link(&w, page->buddy_list.next)) {
				pfn = pgm_page_to_pfn(inst, page);
				listed++;
				if (!(++walked % VERIFY_WD_COUNT))
					touch_nmi_watchdog();
				if (!pgm_page_buddy(page) ||
				    pgm_buddy_order(page) != order ||
				    !pgm_zone_spans_pfn(zone, pfn) ||
				    !IS_ALIGNED(pfn, 1UL << order)) {
					report(ctx,
					       "node %d zone %s: pfn %lu on the order-%u %s list is not a free order-%u block\n",
					       pgm_zone_to_nid(zone), zone->name,
					       pfn, order,
					       pgm_migratetype_names[mt], order);
					problems++;
				}
				block_mt = pgm_get_pfnblock_migratetype(inst, pfn);
				if (block_mt != mt) {
					report(ctx,
					       "node %d zone %s: pfn %lu on the %s list sits in a %s pageblock\n",
					       pgm_zone_to_nid(zone), zone->name,
					       pfn, pgm_migratetype_names[mt],
					       pgm_migratetype_names[block_mt]);
					problems++;
				}
				listed_pages += 1UL << order;
				if (!pgm_is_migrate_isolate(mt))
					nr_free += 1L << order;
				if (pgm_is_migrate_cma(mt))
					nr_cma += 1L << order;
			}
			verify_last(&w, &zone->free_area[order].free_list[mt]);
		}
		if (listed != zone->free_area[order].nr_free) {
			report(ctx,
			       "node %d zone %s: order-%u nr_free %lu but %lu listed\n",
			       pgm_zone_to_nid(zone), zone->name, order,
			       zone->free_area[order].nr_free, listed);
			problems++;
		}
	}
	/* The counters with every pcp CPU's delta: exact when all is quiet */
	snap_free = pgm_zone_page_state_snapshot(zone, PGM_NR_FREE_PAGES,
						 inst->nr_cpus);
	snap_cma = pgm_zone_page_state_snapshot(zone, PGM_NR_FREE_CMA_PAGES,
						inst->nr_cpus);
	if (nr_free != snap_free || nr_cma != snap_cma) {
		report(ctx,
		       "node %d zone %s: nr_free_pages %ld nr_free_cma %ld but %ld and %ld listed\n",
		       pgm_zone_to_nid(zone), zone->name, snap_free, snap_cma,
		       nr_free, nr_cma);
		problems++;
	}

	/* Every page is exactly one of: free, on a pcp list, allocated */
	for (pfn = zone->zone_start_pfn; pfn < pgm_zone_end_pfn(zone);) {
		struct pgm_page *page = pgm_pfn_to_page(inst, pfn);

		/* Blocks are aligned: each multiple is some block's start */
		if (!(pfn % VERIFY_WD_COUNT))
			touch_nmi_watchdog();
		if (!(page->flags & (PGM_PG_BUDDY | PGM_PG_PCP | PGM_PG_HEAD))) {
			report(ctx,
			       "node %d zone %s: pfn %lu is neither free, cached nor allocated\n",
			       pgm_zone_to_nid(zone), zone->name, pfn);
			problems++;
			pfn++;
			continue;
		}
		if (page->private > PGM_MAX_PAGE_ORDER) {
			report(ctx, "node %d zone %s: pfn %lu has order %u\n",
			       pgm_zone_to_nid(zone), zone->name, pfn,
			       page->private);
			problems++;
			/* Stepped over as one page, and counted as one */
			buddy_pages += !!(page->flags & PGM_PG_BUDDY);
			pfn++;
			continue;
		}
		if (page->flags & PGM_PG_BUDDY)
			buddy_pages += 1UL << page->private;
		verify_block(&w, pfn);
		pfn += 1UL << page->private;
	}
	/* A free block on no list would merge into a list it is not on */
	if (buddy_pages != listed_pages) {
		report(ctx,
		       "node %d zone %s: free blocks hold %lu pages but the free lists %lu\n",
		       pgm_zone_to_nid(zone), zone->name, buddy_pages,
		       listed_pages);
		problems++;
	}
	spin_unlock_irqrestore(&zone->lock, flags);

	for (cpu = 0; cpu < inst->nr_cpus; cpu++) {
		struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		unsigned int pindex;
		long count = 0;

		spin_lock(&pcp->lock);
		for (pindex = 0; pindex < PGM_NR_PCP_LISTS; pindex++) {
			int porder = pgm_pindex_to_order(pindex);
			struct pgm_page *page;

			for (page = verify_first(&w, &pcp->lists[pindex]); page;
			     page = verify_link(&w, page->buddy_list.next)) {
				if (!(page->flags & PGM_PG_PCP) ||
				    page->private != porder ||
				    pgm_page_zone(inst, page) != zone) {
					report(ctx,
					       "node %d zone %s cpu %u: pfn %lu on a pcp list is not an order-%d cached block\n",
					       pgm_zone_to_nid(zone),
					       zone->name, cpu,
					       pgm_page_to_pfn(inst, page),
					       porder);
					problems++;
				}
				count += 1L << porder;
			}
			verify_last(&w, &pcp->lists[pindex]);
		}
		if (count != pcp->count) {
			report(ctx,
			       "node %d zone %s cpu %u: pcp count %d but %ld listed\n",
			       pgm_zone_to_nid(zone), zone->name, cpu,
			       pcp->count, count);
			problems++;
		}
		spin_unlock(&pcp->lock);
	}

	return problems;
}

/**
 * pgm_verify - check that the allocator's structures agree
 * @inst: the instance; the caller keeps allocations and frees out
 * @report: called once per inconsistency
 * @ctx: passed to @report
 *
 * Walks every free list, pageblock and pcp list and accounts for every
 * page of every zone.
 *
 * Return: the number of inconsistencies found.
 */
unsigned long pgm_verify(struct pgm_instance *inst,
			 __printf(2, 3) void (*report)(void *ctx,
						       const char *fmt, ...),
			 void *ctx)
{
	struct pgm_zone *zone;
	unsigned long problems = 0;

	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone))
		if (pgm_populated_zone(zone))
			problems += verify_zone(inst, zone, report, ctx);

	return problems;
}
