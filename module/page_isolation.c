// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: pageblock isolation, as mm/page_isolation.c.
 *
 * An isolated pageblock is MIGRATE_ISOLATE: its free pages sit on the
 * ISOLATE free lists, which no allocation and no fallback takes from, and
 * pages freed into it go straight back there, uncounted in NR_FREE_PAGES.
 * Only blocks whose allocated pages could be migrated are isolated.
 */

#include <linux/spinlock.h>

#include "internal.h"
#include "pgmirror.h"

/*
 * has_unmovable_pages(): the first page of the block that migration could
 * not move, or NULL. Free pages, pcp pages and LRU allocations move;
 * everything in ZONE_MOVABLE is taken to. As upstream, only the head of
 * an allocation is looked at: its other pages have no reference count,
 * but for a compound block's, which page_folio() leads to the head. A
 * CMA block only goes to CMA.
 */
static struct pgm_page *has_unmovable_pages(struct pgm_zone *zone,
					    unsigned long start_pfn,
					    unsigned long end_pfn,
					    int migratetype)
{
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_page *page = pgm_pfn_to_page(inst, start_pfn);
	unsigned long pfn;

	if (pgm_is_migrate_cma(pgm_get_pfnblock_migratetype(inst, start_pfn)))
		return pgm_is_migrate_cma(migratetype) ? NULL : page;

	if (zone->idx == PGM_ZONE_MOVABLE)
		return NULL;
	/*
	 * A block larger than a pageblock may have begun in the one before:
	 * compound and off the LRU, it cannot move, and its first page here
	 * says so, as upstream's loop returns it.
	 */
	pfn = ALIGN_DOWN(start_pfn, 1UL << PGM_MAX_PAGE_ORDER);
	if (pfn != start_pfn && pgm_zone_spans_pfn(zone, pfn)) {
		struct pgm_page *head = pgm_pfn_to_page(inst, pfn);

		if ((head->flags & (PGM_PG_HEAD | PGM_PG_COMPOUND | PGM_PG_LRU)) ==
		    (PGM_PG_HEAD | PGM_PG_COMPOUND) &&
		    head->private == PGM_MAX_PAGE_ORDER)
			return page;
	}

	for (pfn = start_pfn; pfn < end_pfn; pfn++) {
		page = pgm_pfn_to_page(inst, pfn);
		if (pgm_page_buddy(page)) {
			pfn += (1UL << pgm_buddy_order(page)) - 1;
			continue;
		}
		/* No reference count upstream: pcp pages and tail pages */
		if (!(page->flags & PGM_PG_HEAD))
			continue;
		if (page->flags & PGM_PG_LRU) {
			pfn += (1UL << page->private) - 1;
			continue;
		}
		return page;
	}
	return NULL;
}

/* set_migratetype_isolate(): isolate one pageblock, or say what blocks it */
static int set_migratetype_isolate(struct pgm_zone *zone, unsigned long pfn,
				   int migratetype, unsigned long *bad_pfn)
{
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_page *page = pgm_pfn_to_page(inst, pfn), *unmovable;
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	/* Someone else, or an earlier range, has it */
	if (pgm_is_migrate_isolate(pgm_get_pfnblock_migratetype(inst, pfn))) {
		spin_unlock_irqrestore(&zone->lock, flags);
		*bad_pfn = pfn;
		return -EBUSY;
	}
	unmovable = has_unmovable_pages(zone, pfn, pfn + PGM_PAGEBLOCK_NR_PAGES,
					migratetype);
	if (!unmovable &&
	    pgm_move_freepages_block_isolate(zone, page,
					     PGM_MIGRATE_ISOLATE)) {
		zone->nr_isolate_pageblock++;
		spin_unlock_irqrestore(&zone->lock, flags);
		return 0;
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	*bad_pfn = unmovable ? pgm_page_to_pfn(inst, unmovable) : pfn;
	return -EBUSY;
}

/*
 * unset_migratetype_isolate(): give the block @migratetype back. Free
 * blocks of pageblock order or more could not merge with a neighbour that
 * was not isolated: take such a block off and free it again, so that it
 * merges now.
 */
static void unset_migratetype_isolate(struct pgm_zone *zone, unsigned long pfn,
				      int migratetype)
{
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_page *page = pgm_pfn_to_page(inst, pfn);
	bool isolated_page = false;
	unsigned long flags;
	unsigned int order = 0;

	spin_lock_irqsave(&zone->lock, flags);
	if (!pgm_is_migrate_isolate(pgm_get_pfnblock_migratetype(inst, pfn)))
		goto out;

	if (pgm_page_buddy(page)) {
		order = pgm_buddy_order(page);
		if (order >= PGM_PAGEBLOCK_ORDER && order < PGM_MAX_PAGE_ORDER) {
			unsigned long buddy_pfn = pfn ^ (1UL << order);

			if (pgm_zone_spans_pfn(zone, buddy_pfn) &&
			    !pgm_is_migrate_isolate(pgm_get_pfnblock_migratetype(inst,
										buddy_pfn))) {
				pgm_isolate_free_block_locked(zone, page, order);
				isolated_page = true;
			}
		}
	}
	if (!isolated_page) {
		pgm_move_freepages_block_isolate(zone, page, migratetype);
	} else {
		pgm_set_pageblock_migratetype(inst, pfn, migratetype);
		/* As set: without mobility grouping, maybe not @migratetype */
		pgm___free_one_page(zone, page, pfn, order,
				    pgm_get_pfnblock_migratetype(inst, pfn), true);
	}
	zone->nr_isolate_pageblock--;
out:
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * The zone of @start_pfn if it also spans @end_pfn - 1, else NULL. Upstream
 * leaves a range inside one zone to its callers; here it is checked.
 */
static struct pgm_zone *pgm_range_zone(struct pgm_instance *inst,
				       unsigned long start_pfn,
				       unsigned long end_pfn)
{
	struct pgm_zone *zone;

	if (start_pfn >= end_pfn || end_pfn > inst->nr_pages)
		return NULL;
	zone = pgm_page_zone(inst, pgm_pfn_to_page(inst, start_pfn));
	if (!pgm_zone_spans_pfn(zone, end_pfn - 1))
		return NULL;
	return zone;
}

/*
 * isolate_single_pageblock(): isolate the block after @boundary_pfn, or the
 * one before it with @isolate_before, unless @skip_isolation says it is
 * isolated already; then fail if an allocation crosses @boundary_pfn, as
 * part of it would be isolated and part not. The walk starts at the
 * MAX_ORDER_NR_PAGES block, the largest a page can be. A compound block
 * (slab, __GFP_COMP) or a folio on an LRU fails, as upstream fails any
 * compound page across the edge; a plain high-order block's pages each
 * pass, and pgmirror has no hugetlb. In ZONE_MOVABLE and CMA blocks
 * has_unmovable_pages() looks at nothing, so this is what stops them.
 */
static int isolate_single_pageblock(struct pgm_zone *zone,
				    unsigned long boundary_pfn,
				    bool isolate_before, bool skip_isolation,
				    int migratetype, unsigned long *bad_pfn)
{
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long block = isolate_before ?
		boundary_pfn - PGM_PAGEBLOCK_NR_PAGES : boundary_pfn;
	unsigned long pfn, flags;
	int ret = 0;

	if (!skip_isolation) {
		ret = set_migratetype_isolate(zone, block, migratetype, bad_pfn);
		if (ret)
			return ret;
	}
	/* Nothing crosses a zone's first or last pfn */
	if (boundary_pfn <= zone->zone_start_pfn ||
	    boundary_pfn >= pgm_zone_end_pfn(zone))
		return 0;

	pfn = max(ALIGN_DOWN(block, PGM_MAX_ORDER_NR_PAGES),
		  zone->zone_start_pfn);
	spin_lock_irqsave(&zone->lock, flags);
	while (pfn < boundary_pfn) {
		struct pgm_page *page = pgm_pfn_to_page(inst, pfn);

		if (pgm_page_buddy(page)) {
			pfn += 1UL << pgm_buddy_order(page);
			continue;
		}
		if ((page->flags & PGM_PG_HEAD) && page->private) {
			if ((page->flags & (PGM_PG_LRU | PGM_PG_COMPOUND)) &&
			    pfn + (1UL << page->private) > boundary_pfn) {
				*bad_pfn = pfn;
				ret = -EBUSY;
				break;
			}
			pfn += 1UL << page->private;
			continue;
		}
		pfn++;
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	if (ret && !skip_isolation)
		unset_migratetype_isolate(zone, block, migratetype);
	return ret;
}

/**
 * pgm_start_isolate_page_range - start_isolate_page_range(): isolate blocks
 * @inst: the instance
 * @start_pfn: first pfn
 * @end_pfn: pfn after the last; the pageblocks of [@start_pfn, @end_pfn)
 *	must lie in one zone
 * @migratetype: the type the blocks will go back to (MOVABLE or CMA)
 * @bad_pfn: set to the pfn that stopped the isolation, on -EBUSY
 *
 * Every pageblock the range touches is isolated, the two at its ends
 * first, as upstream; either all of them end isolated, or none does.
 * Pages on pcp lists stay there: drain them before testing the range.
 *
 * Context: may sleep between pageblocks.
 *
 * Return: 0, -EINVAL for a range whose pageblocks are not in one zone,
 * or -EBUSY when a block is isolated already, holds a page that could not
 * be migrated, or an allocation crosses the range's outer block edges.
 */
int pgm_start_isolate_page_range(struct pgm_instance *inst,
				 unsigned long start_pfn,
				 unsigned long end_pfn, int migratetype,
				 unsigned long *bad_pfn)
{
	unsigned long isolate_start = ALIGN_DOWN(start_pfn,
						 PGM_PAGEBLOCK_NR_PAGES);
	unsigned long isolate_end = ALIGN(end_pfn, PGM_PAGEBLOCK_NR_PAGES);
	struct pgm_zone *zone;
	unsigned long pfn;
	bool one_block;
	int ret;

	if (start_pfn >= end_pfn)
		return -EINVAL;
	zone = pgm_range_zone(inst, isolate_start, isolate_end);
	if (!zone)
		return -EINVAL;
	one_block = isolate_start == isolate_end - PGM_PAGEBLOCK_NR_PAGES;

	ret = isolate_single_pageblock(zone, isolate_start, false, false,
				       migratetype, bad_pfn);
	if (ret)
		return ret;
	ret = isolate_single_pageblock(zone, isolate_end, true, one_block,
				       migratetype, bad_pfn);
	if (ret) {
		unset_migratetype_isolate(zone, isolate_start, migratetype);
		return ret;
	}
	for (pfn = isolate_start + PGM_PAGEBLOCK_NR_PAGES;
	     pfn < isolate_end - PGM_PAGEBLOCK_NR_PAGES;
	     pfn += PGM_PAGEBLOCK_NR_PAGES) {
		ret = set_migratetype_isolate(zone, pfn, migratetype, bad_pfn);
		if (ret) {
			unsigned long undo;

			/*
			 * Upward, as undo_isolate_page_range(): each block's
			 * free pages go to the tail of their lists in turn
			 */
			for (undo = isolate_start; undo < pfn;
			     undo += PGM_PAGEBLOCK_NR_PAGES)
				unset_migratetype_isolate(zone, undo,
							  migratetype);
			unset_migratetype_isolate(zone, isolate_end -
						  PGM_PAGEBLOCK_NR_PAGES,
						  migratetype);
			return ret;
		}
		cond_resched();
	}
	return 0;
}

/**
 * pgm_undo_isolate_page_range - undo_isolate_page_range()
 * @inst: the instance
 * @start_pfn: first pfn
 * @end_pfn: pfn after the last; the range's pageblocks in one zone
 * @migratetype: the type the isolated blocks get back
 *
 * Every pageblock the range touches is given back; blocks that are not
 * isolated are left alone.
 *
 * Context: may sleep between pageblocks.
 *
 * Return: 0, or -EINVAL for a range whose pageblocks are not in one zone.
 */
int pgm_undo_isolate_page_range(struct pgm_instance *inst,
				unsigned long start_pfn, unsigned long end_pfn,
				int migratetype)
{
	unsigned long isolate_start = ALIGN_DOWN(start_pfn,
						 PGM_PAGEBLOCK_NR_PAGES);
	unsigned long isolate_end = ALIGN(end_pfn, PGM_PAGEBLOCK_NR_PAGES);
	struct pgm_zone *zone;
	unsigned long pfn;

	if (start_pfn >= end_pfn)
		return -EINVAL;
	zone = pgm_range_zone(inst, isolate_start, isolate_end);
	if (!zone)
		return -EINVAL;
	/* A range may be a whole zone of many gigabytes */
	for (pfn = isolate_start; pfn < isolate_end;
	     pfn += PGM_PAGEBLOCK_NR_PAGES) {
		unset_migratetype_isolate(zone, pfn, migratetype);
		cond_resched();
	}
	return 0;
}

/**
 * pgm_test_pages_isolated - test_pages_isolated(): is the range all free?
 * @inst: the instance
 * @start_pfn: first pfn; a free block must start there
 * @end_pfn: pfn after the last, in the same zone
 * @busy_pfn: set to the first pfn not free and isolated, on -EBUSY
 *
 * Return: 0 when every block the range touches is isolated and every
 * page is on a buddy free list; -EBUSY otherwise; -EINVAL for a bad range.
 */
int pgm_test_pages_isolated(struct pgm_instance *inst, unsigned long start_pfn,
			    unsigned long end_pfn, unsigned long *busy_pfn)
{
	struct pgm_zone *zone = pgm_range_zone(inst, start_pfn, end_pfn);
	unsigned long pfn, flags;
	int ret = 0;

	if (!zone)
		return -EINVAL;
	for (pfn = start_pfn; pfn < end_pfn; pfn += PGM_PAGEBLOCK_NR_PAGES) {
		if (!pgm_is_migrate_isolate(pgm_get_pfnblock_migratetype(inst,
									 pfn))) {
			*busy_pfn = pfn;
			return -EBUSY;
		}
	}

	spin_lock_irqsave(&zone->lock, flags);
	for (pfn = start_pfn; pfn < end_pfn;) {
		struct pgm_page *page = pgm_pfn_to_page(inst, pfn);

		if (!pgm_page_buddy(page)) {
			*busy_pfn = pfn;
			ret = -EBUSY;
			break;
		}
		pfn += 1UL << pgm_buddy_order(page);
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return ret;
}
