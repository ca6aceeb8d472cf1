// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the mirror of mm/compaction.c: direct compaction, kcompactd.
 *
 * pgm_compact_zone() runs a migrate scanner up from the zone start and a
 * free scanner down from the zone end, a pageblock at a time, until they
 * meet or, for a direct compactor, a free block of the order wanted is
 * on a suitable free list (__compact_finished()). The free scanner takes
 * free blocks off the buddy lists, from the movable free lists first
 * (fast_isolate_freepages()), then from movable pageblocks; the migrate
 * scanner walks pfns in batches of COMPACT_CLUSTER_MAX pages (or the rest
 * of a pageblock, cc->finish_pageblock), finds each movable, migratable
 * allocation from its head page (PGM_PG_LRU and page->alloc, as upstream
 * finds the folio), moves it into one of the free blocks and frees the
 * source block as __free_pages() does, to this CPU's pcp for the orders
 * it takes. Compaction drains that pcp once the migrate scanner has left the
 * order-aligned block it migrated from, and a capture may take what merges.
 *
 * Migratable: an anon or file allocation with a handle, the only memory
 * whose owner reaches it through struct pgm_alloc alone. Pinned memory is
 * movable (it came from a movable pageblock) but never migrated, as
 * upstream's longterm pins make folio_migrate fail; kernel and slab
 * memory is not movable at all. Migration copies the data when both
 * blocks have memory behind them, moves the head page's order and
 * alloc_mt, and points the allocation at its new block under lru_lock;
 * the allocation keeps its handle, owner and LRU position.
 *
 * Locking: lru_lock of the zone's node while the migrate scanner finds
 * and moves allocations, the zone lock while free blocks are isolated or
 * freed, never both at once (see lru.c). A handle freed meanwhile is
 * freed after the move, from the new block: pgm_alloc_put() reads
 * a->page after its own lru_lock section.
 *
 * The priority decides, as upstream: async direct compaction migrates
 * only from pageblocks of the request's type; the highest priority
 * ignores deferral and skip bits, and takes targets from any pageblock.
 * A run goes on where the last left the scanners (the zone's cached
 * positions) and passes over the pageblocks marked skip, until the
 * scanners meet or kswapd resets the marks. Not mirrored: the migration
 * failures async mode adds for dirty or locked pages.
 *
 * kcompactd, one thread per node, compacts for the largest order its
 * wakers asked for (kswapd, and wakeup_kswapd() for callers that cannot
 * reclaim), and otherwise every 500 ms compacts the node proactively
 * while its fragmentation score is above compaction_proactiveness's mark.
 */

#include <linux/cpuhotplug.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "cmd.h"
#include "pgmirror.h"
#include "lru.h"
#include "compaction.h"

static unsigned long pgm_pageblock_start(unsigned long pfn)
{
	return pfn & ~(PGM_PAGEBLOCK_NR_PAGES - 1);
}

/* ========================= suitability ========================= */

static bool pgm_compaction_suitable_wmark(struct pgm_zone *zone, int order,
					  int highest_zoneidx,
					  unsigned long wmark_target)
{
	unsigned long watermark;

	watermark = order > PGM_PAGE_ALLOC_COSTLY_ORDER ?
		    pgm_low_wmark_pages(zone) : pgm_min_wmark_pages(zone);
	watermark += pgm_compact_gap(order);
	return pgm___zone_watermark_ok(zone, 0, watermark, highest_zoneidx,
				     PGM_ALLOC_CMA, wmark_target);
}

/**
 * pgm_compaction_suitable() - compaction_suitable(): worth compacting?
 * @zone: the zone
 * @order: the order wanted
 * @highest_zoneidx: the allocation's highest zone
 *
 * The order-0 watermark (low for costly orders, else min) plus
 * compact_gap() must be met; for costly orders a fragmentation index in
 * 0..extfrag_threshold means the failure is for lack of memory.
 *
 * Return: true if compaction may produce the block.
 */
bool pgm_compaction_suitable(struct pgm_zone *zone, int order,
			     int highest_zoneidx)
{
	long free = pgm_zone_page_state(zone, PGM_NR_FREE_PAGES);
	bool suitable;

	suitable = pgm_compaction_suitable_wmark(zone, order, highest_zoneidx,
						 free);
	if (suitable && order > PGM_PAGE_ALLOC_COSTLY_ORDER) {
		int fragindex = pgm_fragmentation_index(zone, order);
		int threshold = READ_ONCE(zone->zone_pgdat->inst->tun.extfrag_threshold);

		if (fragindex >= 0 && fragindex <= threshold)
			suitable = false;
	}
	return suitable;
}

/* compaction_suit_allocation_order() */
static enum pgm_compact_result
pgm_compaction_suit_allocation_order(struct pgm_zone *zone, unsigned int order,
				     int highest_zoneidx,
				     unsigned int alloc_flags)
{
	unsigned long mark;

	mark = pgm_wmark_pages(zone, alloc_flags & PGM_ALLOC_WMARK_MASK);
	if (pgm___zone_watermark_ok(zone, order, mark, highest_zoneidx,
				    alloc_flags,
				  pgm_zone_page_state(zone, PGM_NR_FREE_PAGES)))
		return PGM_COMPACT_SUCCESS;
	if (!pgm_compaction_suitable(zone, order, highest_zoneidx))
		return PGM_COMPACT_SKIPPED;
	return PGM_COMPACT_CONTINUE;
}

/* ========================= fragmentation score ========================= */

/* fragmentation_score_zone(): 0..100, the share of free memory in
 * blocks below a huge page
 */
static unsigned int fragmentation_score_zone(struct pgm_zone *zone)
{
	return pgm_extfrag_for_order(zone, PGM_COMPACTION_HPAGE_ORDER);
}

/* Weighted by the zone's share of the node, so small zones never trigger */
static unsigned int fragmentation_score_zone_weighted(struct pgm_zone *zone)
{
	u64 score = (u64)zone->present_pages * fragmentation_score_zone(zone);

	return div64_u64(score, zone->zone_pgdat->node_present_pages + 1);
}

/**
 * pgm_fragmentation_score_node() - fragmentation_score_node()
 * @pgdat: the node
 *
 * Return: the sum of its populated zones' weighted scores, 0..100.
 */
unsigned int pgm_fragmentation_score_node(struct pgm_pglist_data *pgdat)
{
	unsigned int score = 0;
	int z;

	for (z = 0; z < PGM_MAX_NR_ZONES; z++) {
		struct pgm_zone *zone = &pgdat->node_zones[z];

		if (pgm_populated_zone(zone))
			score += fragmentation_score_zone_weighted(zone);
	}
	return score;
}

/*
 * fragmentation_score_wmark(): proactive compaction starts above the high
 * mark and stops at the low one; the low one never goes under 5, so that
 * a proactiveness near 100 does not compact without end
 */
static unsigned int fragmentation_score_wmark(struct pgm_instance *inst,
					      bool low)
{
	unsigned int wmark_low;

	wmark_low = max(100U - READ_ONCE(inst->tun.compaction_proactiveness),
			5U);
	return low ? wmark_low : min(wmark_low + 10, 100U);
}

/* kswapd_is_running(): proactive work gives way to reclaim */
static bool kswapd_is_running(struct pgm_pglist_data *pgdat)
{
	struct task_struct *t = READ_ONCE(pgdat->kswapd);

	return t && task_is_running(t);
}

/**
 * pgm_should_proactive_compact_node() - should_proactive_compact_node()
 * @pgdat: the node
 *
 * Return: true if proactiveness and kcompactd are on, kswapd is not
 * running and the node's score is above the high mark.
 */
bool pgm_should_proactive_compact_node(struct pgm_pglist_data *pgdat)
{
	struct pgm_instance *inst = pgdat->inst;

	if (!READ_ONCE(inst->tun.compaction_proactiveness) ||
	    !READ_ONCE(inst->tun.kcompactd) || kswapd_is_running(pgdat))
		return false;
	return pgm_fragmentation_score_node(pgdat) >
	       fragmentation_score_wmark(inst, false);
}

/* ========================= deferral ========================= */

/**
 * pgm_defer_compaction() - defer_compaction(): compaction of @order failed
 * @zone: the zone
 * @order: the order
 *
 * The next 2^compact_defer_shift attempts (up to 2^6) at @order or above
 * are skipped.
 */
void pgm_defer_compaction(struct pgm_zone *zone, int order)
{
	zone->compact_considered = 0;
	zone->compact_defer_shift++;
	if (order < zone->compact_order_failed)
		zone->compact_order_failed = order;
	if (zone->compact_defer_shift > PGM_COMPACT_MAX_DEFER_SHIFT)
		zone->compact_defer_shift = PGM_COMPACT_MAX_DEFER_SHIFT;
}

/**
 * pgm_compaction_deferred() - compaction_deferred(): skip this attempt?
 * @zone: the zone
 * @order: the order
 *
 * Return: true while fewer than 2^compact_defer_shift attempts were
 * considered since the last failure at or below @order.
 */
bool pgm_compaction_deferred(struct pgm_zone *zone, int order)
{
	unsigned long defer_limit = 1UL << zone->compact_defer_shift;

	if (order < zone->compact_order_failed)
		return false;
	if (++zone->compact_considered >= defer_limit) {
		zone->compact_considered = defer_limit;
		return false;
	}
	return true;
}

/**
 * pgm_compaction_defer_reset() - compaction_defer_reset(): it worked
 * @zone: the zone
 * @order: the order compaction succeeded for
 * @alloc_success: the allocation itself succeeded too
 */
void pgm_compaction_defer_reset(struct pgm_zone *zone, int order,
				bool alloc_success)
{
	if (alloc_success) {
		zone->compact_considered = 0;
		zone->compact_defer_shift = 0;
	}
	if (order >= zone->compact_order_failed)
		zone->compact_order_failed = order + 1;
}

/**
 * pgm_compaction_restarting() - compaction_restarting(): deferred to the
 * maximum and considered enough times to try again in full
 * @zone: the zone
 * @order: the order
 *
 * Return: true if so.
 */
bool pgm_compaction_restarting(struct pgm_zone *zone, int order)
{
	if (order < zone->compact_order_failed)
		return false;
	return zone->compact_defer_shift == PGM_COMPACT_MAX_DEFER_SHIFT &&
	       zone->compact_considered >= 1UL << zone->compact_defer_shift;
}

/* ========================= the scanners ========================= */

static bool compact_scanners_met(struct pgm_compact_control *cc)
{
	return (cc->free_pfn >> PGM_PAGEBLOCK_ORDER) <=
	       (cc->migrate_pfn >> PGM_PAGEBLOCK_ORDER);
}

/* suitable_migration_target(): a movable block not already free whole */
static bool suitable_migration_target(struct pgm_compact_control *cc,
				      unsigned long pfn)
{
	struct pgm_instance *inst = cc->zone->zone_pgdat->inst;
	struct pgm_page *page = pgm_pfn_to_page(inst, pfn);
	int mt;

	/* Without the zone lock, as buddy_order_unsafe(): a hint only */
	if (READ_ONCE(page->flags) & PGM_PG_BUDDY) {
		unsigned int order = cc->order > 0 ? cc->order :
						     PGM_PAGEBLOCK_ORDER;

		if (READ_ONCE(page->private) >= order)
			return false;
	}
	if (cc->ignore_block_suitable)
		return true;
	mt = pgm_get_pfnblock_migratetype(inst, pfn);
	return mt == PGM_MIGRATE_MOVABLE || pgm_is_migrate_cma(mt);
}

/* Is @pfn's page the head of an allocation of at least @order? */
static bool pgm_head_of_order(struct pgm_instance *inst, unsigned long pfn,
			      unsigned int order)
{
	struct pgm_page *page = pgm_pfn_to_page(inst, pfn);

	return (READ_ONCE(page->flags) & PGM_PG_HEAD) &&
	       READ_ONCE(page->private) >= order;
}

/*
 * pageblock_skip_persistent(): a pageblock inside one allocation of a
 * pageblock or more (every allocation here is compound) never frees up
 * by migration; its head is at the pageblock's start or, for the largest
 * order, at the start of the pair.
 */
static bool pageblock_skip_persistent(struct pgm_instance *inst,
				      unsigned long pfn)
{
	unsigned long start = pgm_pageblock_start(pfn);

	return pgm_head_of_order(inst, start, PGM_PAGEBLOCK_ORDER) ||
	       pgm_head_of_order(inst, ALIGN_DOWN(start,
						  1UL << PGM_MAX_PAGE_ORDER),
				 PGM_MAX_PAGE_ORDER);
}

/*
 * suitable_migration_source(): not a pageblock one allocation fills;
 * async direct compaction only empties pageblocks of the request's own
 * type (movable or CMA for a movable request), so that it does not
 * fragment the others for little gain.
 */
static bool suitable_migration_source(struct pgm_compact_control *cc,
				      unsigned long pfn)
{
	struct pgm_instance *inst = cc->zone->zone_pgdat->inst;
	int mt;

	if (pageblock_skip_persistent(inst, pfn))
		return false;
	if (!cc->async || !cc->direct_compaction)
		return true;
	mt = pgm_get_pfnblock_migratetype(inst, pfn);
	if (cc->migratetype == PGM_MIGRATE_MOVABLE)
		return mt == PGM_MIGRATE_MOVABLE || pgm_is_migrate_cma(mt);
	return mt == cc->migratetype;
}

/* COMPACT_CLUSTER_MAX: pages isolated for migration per batch */
#define PGM_COMPACT_CLUSTER_MAX	PGM_SWAP_CLUSTER_MAX

/*
 * The pageblock skip bits, as upstream's: set where a scanner found
 * nothing more to do, and honoured unless ignore_skip_hint, until a
 * reset (__reset_isolation_suitable()) clears those of the pageblocks
 * worth another look.
 */
static bool isolation_suitable(struct pgm_compact_control *cc,
			       unsigned long pfn)
{
	if (cc->ignore_skip_hint)
		return true;
	return !pgm_get_pageblock_skip(cc->zone->zone_pgdat->inst, pfn);
}

/* set_pageblock_skip() */
static void skip_pageblock(struct pgm_compact_control *cc, unsigned long pfn)
{
	pgm_set_pageblock_skip(cc->zone->zone_pgdat->inst, pfn, true);
}

/* reset_cached_positions(): the next run starts at the zone's ends */
static void reset_cached_positions(struct pgm_zone *zone)
{
	zone->compact_cached_migrate_pfn[0] = zone->zone_start_pfn;
	zone->compact_cached_migrate_pfn[1] = zone->zone_start_pfn;
	zone->compact_cached_free_pfn =
		pgm_pageblock_start(pgm_zone_end_pfn(zone) - 1);
}

/*
 * __reset_isolation_pfn(): clear the skip bit of @pfn's pageblock if a
 * sample of every eighth page finds an LRU page (@check_source) or a free
 * one (@check_target) there; a pageblock whose bit is clear already
 * counts once both scanners' starts are being looked for, and the free
 * scanner's start is a movable pageblock. Return: true if the pageblock
 * is a place to start.
 */
static bool __reset_isolation_pfn(struct pgm_zone *zone, unsigned long pfn,
				  bool check_source, bool check_target)
{
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long p, end;

	if (pageblock_skip_persistent(inst, pfn))
		return false;
	if (check_source && check_target &&
	    !pgm_get_pageblock_skip(inst, pfn))
		return true;
	if (!check_source && check_target &&
	    pgm_get_pfnblock_migratetype(inst, pfn) != PGM_MIGRATE_MOVABLE)
		return false;

	p = max(pgm_pageblock_start(pfn), zone->zone_start_pfn);
	end = min(pgm_pageblock_start(pfn) + PGM_PAGEBLOCK_NR_PAGES,
		  pgm_zone_end_pfn(zone)) - 1;
	for (; p <= end; p += 1UL << PGM_PAGE_ALLOC_COSTLY_ORDER) {
		unsigned long flags = READ_ONCE(pgm_pfn_to_page(inst, p)->flags);

		if ((check_source && (flags & PGM_PG_LRU)) ||
		    (check_target && (flags & PGM_PG_BUDDY))) {
			pgm_set_pageblock_skip(inst, p, false);
			return true;
		}
	}
	return false;
}

/*
 * __reset_isolation_suitable(): once a direct compactor's scanners have
 * met (compact_blockskip_flush), walk the zone from both ends at once,
 * clearing the skip bits of pageblocks with an LRU page (from the bottom)
 * or a free one (from the top); the lowest and highest such become where
 * the scanners start, and compact_init_*_pfn. None found: the cached
 * positions are left where the walk crossed, so the scanners meet at once.
 */
static void __reset_isolation_suitable(struct pgm_zone *zone)
{
	/*
	 * Signed: in a zone at pfn 0 the free walk may go below 0, which the
	 * next compact_zone() then takes, as any pfn below the zone, for
	 * unset. Pfns fit 32 bits.
	 */
	long migrate_pfn = zone->zone_start_pfn;
	long free_pfn = pgm_zone_end_pfn(zone) - 1;
	long reset_migrate = free_pfn, reset_free = migrate_pfn;
	bool source_set = false, free_set = false;

	if (!zone->compact_blockskip_flush)
		return;
	zone->compact_blockskip_flush = false;

	for (; migrate_pfn < free_pfn; migrate_pfn += PGM_PAGEBLOCK_NR_PAGES,
	     free_pfn -= PGM_PAGEBLOCK_NR_PAGES) {
		cond_resched();
		if (__reset_isolation_pfn(zone, migrate_pfn, true, source_set) &&
		    migrate_pfn < reset_migrate) {
			source_set = true;
			reset_migrate = migrate_pfn;
			zone->compact_init_migrate_pfn = reset_migrate;
			zone->compact_cached_migrate_pfn[0] = reset_migrate;
			zone->compact_cached_migrate_pfn[1] = reset_migrate;
		}
		if (__reset_isolation_pfn(zone, free_pfn, free_set, true) &&
		    free_pfn > reset_free) {
			free_set = true;
			reset_free = free_pfn;
			zone->compact_init_free_pfn = reset_free;
			zone->compact_cached_free_pfn = reset_free;
		}
	}

	if (reset_migrate >= reset_free) {
		zone->compact_cached_migrate_pfn[0] = migrate_pfn;
		zone->compact_cached_migrate_pfn[1] = migrate_pfn;
		zone->compact_cached_free_pfn = free_pfn;
	}
}

/**
 * pgm_reset_isolation_suitable() - reset_isolation_suitable() of a node
 * @pgdat: the node
 *
 * What kswapd does as it goes to sleep: the skip bits of each populated
 * zone whose direct compactor's scanners met are reset, since reclaim may
 * have made room for compaction to succeed where it gave up.
 */
void pgm_reset_isolation_suitable(struct pgm_pglist_data *pgdat)
{
	int z;

	for (z = 0; z < PGM_MAX_NR_ZONES; z++) {
		struct pgm_zone *zone = &pgdat->node_zones[z];

		if (pgm_populated_zone(zone))
			__reset_isolation_suitable(zone);
	}
}

/*
 * update_cached_migrate(): the migrate scanner is done with the pageblock
 * before @pfn's end; the next run starts after it (pageblock_end_pfn() of
 * an aligned @pfn is the end of the pageblock after it, as upstream)
 */
static void update_cached_migrate(struct pgm_compact_control *cc,
				  unsigned long pfn)
{
	struct pgm_zone *zone = cc->zone;

	pfn = pgm_pageblock_start(pfn) + PGM_PAGEBLOCK_NR_PAGES;
	if (pfn > zone->compact_cached_migrate_pfn[0])
		zone->compact_cached_migrate_pfn[0] = pfn;
	if (!cc->async && pfn > zone->compact_cached_migrate_pfn[1])
		zone->compact_cached_migrate_pfn[1] = pfn;
}

/* update_pageblock_skip(): the free scanner walked @block whole */
static void update_pageblock_skip(struct pgm_compact_control *cc,
				  unsigned long block, unsigned long pfn)
{
	skip_pageblock(cc, block);
	if (pfn < cc->zone->compact_cached_free_pfn)
		cc->zone->compact_cached_free_pfn = pfn;
}

/* The migrate scanner claims a pageblock: was it claimed already? */
static bool test_and_set_skip(struct pgm_compact_control *cc,
			      unsigned long pfn)
{
	bool skip;

	if (cc->ignore_skip_hint)
		return false;
	skip = !isolation_suitable(cc, pfn);
	if (!skip)
		skip_pageblock(cc, pfn);
	return skip;
}

/*
 * __isolate_free_page() for the free scanners: behind an order-0 check of
 * the min mark without the boost (except in an isolated pageblock, whose
 * pages the free counters leave out already), the free block at @pfn goes
 * onto cc->freepages; zone lock held. Return: false if the mark refused.
 */
static bool compact_isolate_free(struct pgm_compact_control *cc,
				 struct pgm_page *page, unsigned long pfn,
				 unsigned int order)
{
	struct pgm_zone *zone = cc->zone;
	struct pgm_instance *inst = zone->zone_pgdat->inst;

	if (!pgm_is_migrate_isolate(pgm_get_pfnblock_migratetype(inst, pfn))) {
		unsigned long mark = zone->_watermark[PGM_WMARK_MIN] +
				     (1UL << order);
		long free = pgm_zone_page_state(zone, PGM_NR_FREE_PAGES);

		if (!pgm___zone_watermark_ok(zone, 0, mark, 0, PGM_ALLOC_CMA,
					     free))
			return false;
	}
	pgm_isolate_free_block_locked(zone, page, order);
	page->private = order;
	pgm_list_add_tail(inst->memmap, page, &cc->freepages[order]);
	cc->nr_freepages += 1UL << order;
	pgm_count_vm_events(inst, PGM_COMPACTISOLATED, 1L << order);
	return true;
}

/*
 * isolate_freepages_block(): walk up from *@start_pfn to @end_pfn, @stride
 * pfns at a time, taking free blocks until @want pages are isolated; zone
 * lock held. An allocated block above order 0 is passed at once, as
 * upstream passes a compound page (the mirror has no non-compound ones).
 * *@start_pfn is left where the walk stopped; *@scanned counts the pfns
 * visited and passed, as upstream's nr_scanned.
 *
 * Return: the pages isolated.
 */
static unsigned long isolate_freepages_block(struct pgm_compact_control *cc,
					     unsigned long *start_pfn,
					     unsigned long end_pfn,
					     unsigned long want,
					     unsigned int stride,
					     unsigned long *scanned)
{
	struct pgm_instance *inst = cc->zone->zone_pgdat->inst;
	unsigned long pfn = *start_pfn, isolated = 0;

	for (; pfn < end_pfn; pfn += stride) {
		struct pgm_page *page = pgm_pfn_to_page(inst, pfn);
		unsigned int order = page->private;

		(*scanned)++;
		if (page->flags & PGM_PG_HEAD) {
			if (order && pfn + (1UL << order) <= end_pfn) {
				pfn += (1UL << order) - 1;
				*scanned += (1UL << order) - 1;
			}
			continue;
		}
		if (!(page->flags & PGM_PG_BUDDY))
			continue;
		if (!compact_isolate_free(cc, page, pfn, order))
			break;
		isolated += 1UL << order;
		*scanned += (1UL << order) - 1;
		if (cc->nr_freepages >= want) {
			pfn += 1UL << order;
			break;
		}
		pfn += (1UL << order) - 1;
	}
	*start_pfn = min(pfn, end_pfn);
	return isolated;
}

/* freelist_scan_limit(): free-list entries a fast search reads */
static unsigned int freelist_scan_limit(struct pgm_compact_control *cc)
{
	unsigned short shift = min_t(unsigned short, BITS_PER_LONG - 1,
				     cc->fast_search_fail);

	return ((unsigned long)PGM_COMPACT_CLUSTER_MAX >> shift) + 1;
}

/* next_search_order(): the orders below cc->order round-robin; -1 at the end */
static int next_search_order(struct pgm_compact_control *cc, int order)
{
	order--;
	if (order < 0)
		order = cc->order - 1;
	if (order == cc->search_order) {
		cc->search_order--;
		if (cc->search_order < 0)
			cc->search_order = cc->order - 1;
		return -1;
	}
	return order;
}

/*
 * fast_isolate_around(): a synchronous or background compactor takes what
 * else is free in the pageblock of @pfn, where the fast search landed
 */
static void fast_isolate_around(struct pgm_compact_control *cc,
				unsigned long pfn, unsigned long want,
				unsigned long *scanned)
{
	struct pgm_zone *zone = cc->zone;
	unsigned long start, end, block, flags;

	if (cc->nr_freepages >= want)
		return;
	/* Async direct compaction scans as little as it can */
	if (cc->direct_compaction && cc->async)
		return;
	block = max(pgm_pageblock_start(pfn), zone->zone_start_pfn);
	end = min(pgm_pageblock_start(pfn) + PGM_PAGEBLOCK_NR_PAGES,
		  pgm_zone_end_pfn(zone));
	start = block;
	spin_lock_irqsave(&zone->lock, flags);
	isolate_freepages_block(cc, &start, end, want, 1, scanned);
	spin_unlock_irqrestore(&zone->lock, flags);
	/* Walked whole: full or nearly, not worth another look */
	if (start == end)
		skip_pageblock(cc, block);
}

/*
 * fast_isolate_freepages(): before walking pfns, look for a target on the
 * movable free lists of the orders below cc->order, from the tail, where
 * the pages freed longest ago are: one in the top quarter of the space
 * between the scanners is taken at once, else the highest one in the top
 * half. Each list is rotated so the next search starts where this one
 * stopped. A search that finds nothing moves the free scanner down to the
 * highest pageblock with free pages it saw, or a direct compactor to the
 * middle of the space.
 *
 * It searches this deep (half a pageblock of entries), and jumps so, only
 * at the start of a zone's scan: cc->free_pfn at or above
 * zone->compact_init_free_pfn, which a skip-bit reset sets (0 before the
 * first, so every search of a zone never reset is such a start). Other
 * searches read half freelist_scan_limit()'s entries. The highest
 * pageblock seen, less one, becomes the cached free scanner position if
 * it is at or above it.
 */
static void fast_isolate_freepages(struct pgm_compact_control *cc,
				   unsigned long want)
{
	struct pgm_zone *zone = cc->zone;
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_page *memmap = inst->memmap, *page = NULL;
	unsigned int limit = max(1U, freelist_scan_limit(cc) >> 1);
	unsigned long low_pfn, min_pfn, highest = 0, distance, scanned = 0;
	unsigned long flags;
	bool scan_start = false;
	int order;

	/* Compacting a whole zone (order -1) walks it all */
	if (cc->order <= 0)
		return;
	if (cc->free_pfn >= zone->compact_init_free_pfn) {
		limit = PGM_PAGEBLOCK_NR_PAGES >> 1;
		scan_start = true;
	}
	distance = cc->free_pfn - cc->migrate_pfn;
	low_pfn = pgm_pageblock_start(cc->free_pfn - (distance >> 2));
	min_pfn = pgm_pageblock_start(cc->free_pfn - (distance >> 1));
	/* Only when the scanners have crossed and the distance wrapped */
	if (min_pfn > low_pfn)
		low_pfn = min_pfn;
	cc->search_order = min_t(unsigned int, cc->order - 1,
				 cc->search_order);

	for (order = cc->search_order; !page && order >= 0;
	     order = next_search_order(cc, order)) {
		struct pgm_list *list =
			&zone->free_area[order].free_list[PGM_MIGRATE_MOVABLE];
		unsigned long high_pfn = 0;
		unsigned int order_scanned = 0;
		struct pgm_page *freepage;

		if (!zone->free_area[order].nr_free)
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		for (freepage = pgm_list_last(memmap, list); freepage;
		     freepage = pgm_list_prev(memmap, freepage)) {
			unsigned long pfn = pgm_page_to_pfn(inst, freepage);

			order_scanned++;
			scanned++;
			if (pfn >= highest)
				highest = max(pgm_pageblock_start(pfn),
					      zone->zone_start_pfn);
			if (pfn >= low_pfn) {
				cc->fast_search_fail = 0;
				cc->search_order = order;
				page = freepage;
				break;
			}
			if (pfn >= min_pfn && pfn > high_pfn) {
				high_pfn = pfn;
				/* A candidate shortens the search */
				limit >>= 1;
			}
			if (order_scanned >= limit)
				break;
		}
		if (!page && high_pfn) {
			page = pgm_pfn_to_page(inst, high_pfn);
			freepage = page;
		}
		/* The pages not looked at come first next time */
		if (freepage)
			pgm_list_rotate_to(memmap, freepage, list);
		if (page) {
			if (compact_isolate_free(cc, page,
						 pgm_page_to_pfn(inst, page),
						 order)) {
				scanned += (1UL << order) - 1;
			} else {
				/* The mark refused it: stop searching */
				order = cc->search_order + 1;
				page = NULL;
			}
		}
		spin_unlock_irqrestore(&zone->lock, flags);
		if (cc->nr_freepages >= want)
			break;
		/* A smaller search of the next order */
		if (order_scanned >= limit)
			limit = max(1U, limit >> 1);
	}

	if (!page) {
		cc->fast_search_fail++;
		if (!scan_start) {
			/* A continuation walks on from where it was */
		} else if (highest >= min_pfn) {
			page = pgm_pfn_to_page(inst, highest);
			cc->free_pfn = highest;
		} else if (cc->direct_compaction && min_pfn < inst->nr_pages) {
			/* pageblock_pfn_to_page(): the block must be the zone's */
			if (min_pfn >= zone->zone_start_pfn &&
			    min_pfn < pgm_zone_end_pfn(zone) &&
			    suitable_migration_target(cc, min_pfn))
				page = pgm_pfn_to_page(inst, min_pfn);
			cc->free_pfn = min_pfn;
		}
	}
	if (highest && highest >= zone->compact_cached_free_pfn)
		zone->compact_cached_free_pfn = highest -
						PGM_PAGEBLOCK_NR_PAGES;
	if (page)
		fast_isolate_around(cc, pgm_page_to_pfn(inst, page), want,
				    &scanned);
	cc->total_free_scanned += scanned;
	pgm_count_vm_events(inst, PGM_COMPACTFREE_SCANNED, scanned);
}

/*
 * isolate_freepages(): the free scanner, called when no isolated block is
 * large enough for the next allocation to move. The fast search first;
 * only if nothing at all is isolated then, the walk of the pageblocks from
 * cc->free_pfn down, never into the migrate scanner's pageblock or below,
 * until @want pages are isolated. Within a pageblock it walks up and
 * remembers where it stopped, as upstream's cc->free_pfn does, so a later
 * call goes on from there. Async compaction samples every
 * COMPACT_CLUSTER_MAX-th pfn until a pageblock gives something, then walks
 * every pfn, doubling the stride again after each pageblock that gave
 * nothing. The zone lock is held for one pageblock at a time (upstream's
 * for at most a cluster of pfns) and the walk reschedules every
 * COMPACT_CLUSTER_MAX pageblocks: a huge zone is never walked with
 * interrupts off.
 */
static void isolate_freepages(struct pgm_compact_control *cc,
			      unsigned long want)
{
	struct pgm_zone *zone = cc->zone;
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	unsigned long isolate_start_pfn, block_start, block_end, low_pfn;
	unsigned int stride = cc->async ? PGM_COMPACT_CLUSTER_MAX : 1;
	unsigned long scanned = 0, flags, isolated;

	fast_isolate_freepages(cc, want);
	if (cc->nr_freepages)
		return;

	isolate_start_pfn = cc->free_pfn;
	block_start = pgm_pageblock_start(isolate_start_pfn);
	block_end = min(block_start + PGM_PAGEBLOCK_NR_PAGES,
			pgm_zone_end_pfn(zone));
	low_pfn = pgm_pageblock_start(cc->migrate_pfn) + PGM_PAGEBLOCK_NR_PAGES;
	for (; block_start >= low_pfn;
	     block_end = block_start, block_start -= PGM_PAGEBLOCK_NR_PAGES,
	     isolate_start_pfn = block_start) {
		if (!(block_start % (PGM_COMPACT_CLUSTER_MAX *
				     PGM_PAGEBLOCK_NR_PAGES)))
			cond_resched();
		if (!suitable_migration_target(cc, block_start))
			continue;
		if (!isolation_suitable(cc, block_start))
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		isolated = isolate_freepages_block(cc, &isolate_start_pfn,
						   block_end, want, stride,
						   &scanned);
		spin_unlock_irqrestore(&zone->lock, flags);
		/* Walked whole: skip it, and the next run starts below */
		if (isolate_start_pfn == block_end)
			update_pageblock_skip(cc, block_start,
					      block_start - PGM_PAGEBLOCK_NR_PAGES);
		if (cc->nr_freepages >= want) {
			/* Done with this block: the next one down next time */
			if (isolate_start_pfn >= block_end)
				isolate_start_pfn = block_start -
						    PGM_PAGEBLOCK_NR_PAGES;
			break;
		}
		/* The watermark stopped it: do not go on needlessly */
		if (isolate_start_pfn < block_end)
			break;
		if (isolated) {
			stride = 1;
			continue;
		}
		stride = min_t(unsigned int, PGM_COMPACT_CLUSTER_MAX,
			       stride << 1);
	}
	cc->free_pfn = isolate_start_pfn;
	cc->total_free_scanned += scanned;
	pgm_count_vm_events(inst, PGM_COMPACTFREE_SCANNED, scanned);
}

/* compaction_alloc(): the smallest isolated block that fits, split */
static struct pgm_page *compaction_alloc(struct pgm_compact_control *cc,
					 unsigned int order)
{
	struct pgm_page *memmap = cc->zone->zone_pgdat->inst->memmap;
	struct pgm_page *page;
	unsigned int o;

	for (o = order; o < PGM_NR_PAGE_ORDERS; o++)
		if (!pgm_list_empty(&cc->freepages[o]))
			break;
	if (o == PGM_NR_PAGE_ORDERS)
		return NULL;
	page = pgm_list_first(memmap, &cc->freepages[o]);
	pgm_list_del(memmap, page, &cc->freepages[o]);
	while (o > order) {
		struct pgm_page *half;

		o--;
		half = page + (1UL << o);
		half->private = o;
		pgm_list_add(memmap, half, &cc->freepages[o]);
	}
	page->private = 0;
	cc->nr_freepages -= 1UL << order;
	/* post_alloc_hook(): a poisoned target is checked as it is taken */
	pgm_post_alloc_check(cc->zone->zone_pgdat->inst, page, order);
	return page;
}

/*
 * Free the blocks on @list (order in private) as allocated ones, through
 * __free_pages(): the orders pcp_allowed_order() takes (up to
 * PAGE_ALLOC_COSTLY_ORDER, and with THP a pageblock's) reach this CPU's
 * pcp, as upstream's freed sources and release_free_list() do, others the
 * buddy, where a capture may take them.
 */
static unsigned long pgm_compact_free_list(struct pgm_instance *inst,
					   struct pgm_list *list, bool targets)
{
	unsigned long high_pfn = 0;
	struct pgm_page *page;

	while ((page = pgm_list_first(inst->memmap, list))) {
		high_pfn = max(high_pfn, pgm_page_to_pfn(inst, page));
		pgm_list_del(inst->memmap, page, list);
		/* release_free_list(): unused targets pass post_alloc_hook() */
		if (targets)
			pgm_post_alloc_check(inst, page, page->private);
		/* mark_allocated() */
		page->flags |= PGM_PG_HEAD;
		pgm_free_pages(inst, page, page->private);
	}
	return high_pfn;
}

/*
 * release_free_list() at the end of a run: the unused targets go back, and
 * the next run's free scanner starts no lower than the highest of them
 * (only back up: the scanners meeting may have reset it to the zone end)
 */
static void pgm_release_freepages(struct pgm_compact_control *cc)
{
	unsigned long pfn = 0;
	unsigned int o;

	if (!cc->nr_freepages)
		return;
	for (o = 0; o < PGM_NR_PAGE_ORDERS; o++)
		pfn = max(pfn, pgm_compact_free_list(cc->zone->zone_pgdat->inst,
						     &cc->freepages[o], true));
	cc->nr_freepages = 0;
	pfn = pgm_pageblock_start(pfn);
	if (pfn > cc->zone->compact_cached_free_pfn)
		cc->zone->compact_cached_free_pfn = pfn;
}

/* What one batch of the migrate scanner did */
enum pgm_batch {
	PGM_BATCH_NONE,		/* ISOLATE_NONE: nothing to move */
	PGM_BATCH_MOVED,	/* migrate_pages() returned 0 */
	PGM_BATCH_NOMEM,	/* -ENOMEM: out of targets */
};

/* An allocation compaction may isolate, and that has a handle */
static bool pgm_alloc_migratable(struct pgm_compact_control *cc,
				 struct pgm_alloc *a)
{
	struct pgm_instance *inst = cc->zone->zone_pgdat->inst;
	u32 id = READ_ONCE(a->id);

	if (!pgm_alloc_isolatable(a, cc->gfp_mask))
		return false;
	return id && xa_load(&inst->handles, id) == a;
}

/* Move @a to @dst; lru_lock held. The old block goes on @sources. */
static void pgm_migrate_alloc(struct pgm_instance *inst, struct pgm_alloc *a,
			      struct pgm_page *dst, struct pgm_list *sources)
{
	struct pgm_page *src = a->page;

	pgm_copy_block(inst, dst, src, a->order);
	dst->flags |= PGM_PG_HEAD | PGM_PG_LRU | (src->flags & PGM_PG_COMPOUND);
	dst->private = a->order;
	dst->alloc_mt = src->alloc_mt;
	dst->alloc = a;
	WRITE_ONCE(a->page, dst);

	/* Still allocated, as a source folio is until the batch frees it */
	src->flags &= ~PGM_PG_LRU;
	pgm_list_add_tail(inst->memmap, src, sources);
}

/*
 * skip_isolation_on_order(): a block as large as the one wanted would only
 * need that order free to move, and none is, or compaction would not run;
 * a pageblock or more is beyond what compaction builds. Compacting a
 * whole zone (order -1) moves all but those.
 */
static bool skip_isolation_on_order(int order, int target_order)
{
	if (target_order != -1 && order >= target_order)
		return true;
	return order >= PGM_PAGEBLOCK_ORDER;
}

/*
 * The allocation whose head is at @pfn if the migrate scanner may take it;
 * lru_lock held. Pinned memory is skipped, as upstream skips pinned anon
 * folios rather than fail to migrate them; so are blocks too large, and
 * file memory when the request may not enter the filesystem (its folios
 * have a mapping, whose migration may take fs locks).
 */
static struct pgm_alloc *pgm_migrate_candidate(struct pgm_compact_control *cc,
					       unsigned long pfn)
{
	struct pgm_instance *inst = cc->zone->zone_pgdat->inst;
	struct pgm_page *page = pgm_pfn_to_page(inst, pfn);
	struct pgm_alloc *a;

	if (!(page->flags & PGM_PG_LRU))
		return NULL;
	a = page->alloc;
	/* Order 0 is no compound folio: the order test passes it over */
	if (a->order && skip_isolation_on_order(a->order, cc->order))
		return NULL;
	return pgm_alloc_migratable(cc, a) ? a : NULL;
}

/* move_freelist_tail(): make @page the last of @list, those after it first */
static void move_freelist_tail(struct pgm_page *memmap, struct pgm_page *page,
			       struct pgm_list *list)
{
	struct pgm_page *next = pgm_list_next(memmap, page);

	if (next)
		pgm_list_rotate_to(memmap, next, list);
}

/* update_fast_start_pfn(): the lowest pfn a fast search jumped to */
static void update_fast_start_pfn(struct pgm_compact_control *cc,
				  unsigned long pfn)
{
	if (cc->fast_start_pfn == ULONG_MAX)
		return;
	if (!cc->fast_start_pfn)
		cc->fast_start_pfn = pfn;
	cc->fast_start_pfn = min(cc->fast_start_pfn, pfn);
}

/* reinit_migrate_pfn(): a failed search goes back to the lowest jump */
static unsigned long reinit_migrate_pfn(struct pgm_compact_control *cc)
{
	if (!cc->fast_start_pfn || cc->fast_start_pfn == ULONG_MAX)
		return cc->migrate_pfn;
	cc->migrate_pfn = cc->fast_start_pfn;
	cc->fast_start_pfn = ULONG_MAX;
	return cc->migrate_pfn;
}

/*
 * fast_find_migrateblock(): for a costly movable request (or one not
 * direct), at a pageblock start, look on the movable free lists from
 * cc->order - 1 down to PAGE_ALLOC_COSTLY_ORDER for a free block in the
 * first half of the space to the free scanner (an eighth once the
 * scanner has left the zone start), in a pageblock not skipped, and
 * start the migrate scanner at its pageblock: freeing it around the
 * free block is likelier to give the order. freelist_scan_limit()
 * entries are read, each counted as scanned. Return: the pfn to start at.
 */
static unsigned long fast_find_migrateblock(struct pgm_compact_control *cc)
{
	struct pgm_zone *zone = cc->zone;
	struct pgm_instance *inst = zone->zone_pgdat->inst;
	struct pgm_page *memmap = inst->memmap;
	unsigned int limit = freelist_scan_limit(cc), nr_scanned = 0;
	unsigned long pfn = cc->migrate_pfn, distance, high_pfn, flags;
	bool found_block = false;
	int order;

	/* Skip bits keep a fast search from finding the same block again */
	if (cc->ignore_skip_hint || cc->finish_pageblock)
		return pfn;
	/* Elsewhere a batch goes on where COMPACT_CLUSTER_MAX stopped one */
	if (pfn != zone->zone_start_pfn && pfn != pgm_pageblock_start(pfn))
		return pfn;
	if (cc->order <= PGM_PAGE_ALLOC_COSTLY_ORDER)
		return pfn;
	/* Only a movable request may empty a movable pageblock so */
	if (cc->direct_compaction && cc->migratetype != PGM_MIGRATE_MOVABLE)
		return pfn;

	distance = (cc->free_pfn - cc->migrate_pfn) >> 1;
	if (cc->migrate_pfn != zone->zone_start_pfn)
		distance >>= 2;
	high_pfn = pgm_pageblock_start(cc->migrate_pfn + distance);

	for (order = cc->order - 1; order >= PGM_PAGE_ALLOC_COSTLY_ORDER &&
	     !found_block && nr_scanned < limit; order--) {
		struct pgm_list *list =
			&zone->free_area[order].free_list[PGM_MIGRATE_MOVABLE];
		struct pgm_page *freepage;

		if (!zone->free_area[order].nr_free)
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		for (freepage = pgm_list_first(memmap, list); freepage;
		     freepage = pgm_list_next(memmap, freepage)) {
			unsigned long free_pfn;

			if (nr_scanned++ >= limit) {
				move_freelist_tail(memmap, freepage, list);
				break;
			}
			free_pfn = pgm_page_to_pfn(inst, freepage);
			if (free_pfn >= high_pfn)
				continue;
			if (pgm_get_pageblock_skip(inst, free_pfn))
				continue;
			/* The next search starts after it */
			move_freelist_tail(memmap, freepage, list);
			update_fast_start_pfn(cc, free_pfn);
			pfn = max(pgm_pageblock_start(free_pfn),
				  zone->zone_start_pfn);
			cc->fast_search_fail = 0;
			found_block = true;
			break;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	cc->total_migrate_scanned += nr_scanned;
	pgm_count_vm_events(inst, PGM_COMPACTMIGRATE_SCANNED, nr_scanned);

	if (!found_block) {
		cc->fast_search_fail++;
		pfn = reinit_migrate_pfn(cc);
	}
	return pfn;
}

/*
 * One batch of the migrate scanner, isolate_migratepages() and
 * migrate_pages(): pass over the pageblocks that are no source, below
 * the free scanner's, then walk up from cc->migrate_pfn to the end of its
 * pageblock until COMPACT_CLUSTER_MAX pages of migratable allocations
 * are found (with cc->finish_pageblock, to the end), take a free block
 * for each, highest pfn first, calling the free scanner when none fits,
 * move them, and free the source blocks (__free_pages(), to the pcp for
 * the orders it takes). cc->migrate_pfn ends where the walk stopped. When the free
 * scanner has no target left, the rest of the batch stays put and only
 * the allocation that found none counts as failed, as migrate_pages()
 * gives up on -ENOMEM.
 *
 * Async direct compaction skips on failure, as upstream: it takes one
 * cc->order-aligned block at a time, and a page there it cannot take
 * (neither free nor an allocation it may move) gives the block up, the
 * allocations found in it left alone, since the order's buddy cannot
 * form there anyway.
 *
 * Return: PGM_BATCH_NONE if nothing was found (ISOLATE_NONE),
 * PGM_BATCH_NOMEM if the batch ran out of targets, else PGM_BATCH_MOVED.
 */
static enum pgm_batch pgm_compact_migrate_batch(struct pgm_compact_control *cc)
{
	struct pgm_zone *zone = cc->zone;
	struct pgm_pglist_data *pgdat = zone->zone_pgdat;
	struct pgm_instance *inst = pgdat->inst;
	unsigned long start = fast_find_migrateblock(cc);
	/* A block the fast search found is not checked for the skip bit */
	bool fast_find_block = start != cc->migrate_pfn && !cc->fast_search_fail;
	unsigned long block_end = pgm_pageblock_start(start) +
				  PGM_PAGEBLOCK_NR_PAGES;
	unsigned long pfn, end, want = 0, moved = 0, failed = 0, scanned = 0;
	bool skip_on_failure = cc->direct_compaction && cc->async &&
			       cc->order > 0;
	unsigned long first, next_skip = 0;
	bool valid, skip_updated = false;
	struct pgm_list sources;

	/*
	 * The first pageblock that is a source, never one that ends above
	 * the free scanner: once the scanners have met, a rescan finds
	 * nothing. Skip bits are read at pageblock starts.
	 */
	for (; block_end <= cc->free_pfn;
	     fast_find_block = false, start = block_end,
	     cc->migrate_pfn = start, block_end += PGM_PAGEBLOCK_NR_PAGES) {
		if (!(start % (PGM_COMPACT_CLUSTER_MAX *
			       PGM_PAGEBLOCK_NR_PAGES)))
			cond_resched();
		valid = start == pgm_pageblock_start(start) ||
			start == zone->zone_start_pfn;
		if (valid && !fast_find_block && !isolation_suitable(cc, start))
			continue;
		if (suitable_migration_source(cc, start))
			break;
		/* The blocks up to the free scanner may all be unsuitable */
		update_cached_migrate(cc, block_end);
	}
	if (block_end > cc->free_pfn)
		return PGM_BATCH_NONE;
	end = min(block_end, pgm_zone_end_pfn(zone));
	first = start;
	pgm_list_init(&sources);
	if (skip_on_failure)
		next_skip = ALIGN(start + 1, 1UL << cc->order);

	/*
	 * Find the batch, from @first; the walk stops after its last
	 * allocation, or, skipping on failure, at the end of the first
	 * order-aligned block that gave one
	 */
	spin_lock(&pgdat->lru_lock);
	for (pfn = start; pfn < end && (cc->finish_pageblock ||
					want < PGM_COMPACT_CLUSTER_MAX); pfn++) {
		struct pgm_page *page = pgm_pfn_to_page(inst, pfn);
		struct pgm_alloc *a;

		if (skip_on_failure && pfn >= next_skip) {
			if (want)
				break;
			next_skip = ALIGN(pfn + 1, 1UL << cc->order);
			first = pfn;
		}
		/* Pfns visited and stepped over; not those a failure skips */
		scanned++;
		a = pgm_migrate_candidate(cc, pfn);
		/*
		 * The first to isolate claims a pageblock the walk started
		 * at; one claimed already is left, but for a rescan
		 */
		if (a && valid && !skip_updated) {
			skip_updated = true;
			if (test_and_set_skip(cc, start) &&
			    !cc->finish_pageblock) {
				pfn = end;
				want = 0;
				break;
			}
		}
		if (a) {
			want += 1UL << a->order;
			pfn += (1UL << a->order) - 1;
			scanned += (1UL << a->order) - 1;
			continue;
		}
		/* A free block is no failure; the zone lock is not held */
		if (READ_ONCE(page->flags) & PGM_PG_BUDDY) {
			unsigned long order = READ_ONCE(page->private);

			if (order <= PGM_MAX_PAGE_ORDER) {
				pfn += (1UL << order) - 1;
				scanned += (1UL << order) - 1;
			}
			continue;
		}
		/*
		 * A block skip_isolation_on_order() refuses is stepped over
		 * whole, as a compound page. Anything else here is no LRU
		 * page and gives the order-aligned block up: a block the
		 * scanner may not move, a page cached on a pcp, a free page
		 * this run isolated as a target, and a page inside a block
		 * not stepped over (a tail past the aligned block its head
		 * failed, or of a free block the walk started in), which
		 * upstream fails as not PageBuddy and not PageLRU.
		 */
		if (page->flags & PGM_PG_HEAD && page->private &&
		    skip_isolation_on_order(page->private, cc->order)) {
			pfn += (1UL << page->private) - 1;
			scanned += (1UL << page->private) - 1;
		}
		if (!skip_on_failure)
			continue;
		want = 0;
		if (pfn < next_skip) {
			pfn = next_skip - 1;
			first = next_skip;
			next_skip += 1UL << cc->order;
		}
	}
	spin_unlock(&pgdat->lru_lock);
	/* A free block or a failure may have stepped past the pageblock */
	if (pfn > end)
		pfn = end;
	/*
	 * Walked to the end with nothing taken, or a rescan: skip it next,
	 * and the next run starts past it
	 */
	if (pfn == end && (!want || cc->finish_pageblock)) {
		if (valid && !skip_updated)
			skip_pageblock(cc, start);
		update_cached_migrate(cc, pfn);
	}
	end = pfn;
	cc->total_migrate_scanned += scanned;
	pgm_count_vm_events(inst, PGM_COMPACTMIGRATE_SCANNED, scanned);
	cc->migrate_pfn = end;
	if (!want)
		return PGM_BATCH_NONE;

	/*
	 * Highest pfn first: isolate_migratepages_block() puts each folio
	 * at the head of cc->migratepages, and migrate_pages() walks it from
	 * there. Allocations freed meanwhile have left the LRU and are not
	 * met. Each takes the smallest isolated block that fits; when none
	 * does, the free scanner runs once for it and the pages still to
	 * move, as compaction_alloc() calls isolate_freepages(), with
	 * lru_lock dropped (the zone lock is never taken inside it).
	 */
	spin_lock(&pgdat->lru_lock);
	for (pfn = end; pfn-- > first;) {
		struct pgm_alloc *a = pgm_migrate_candidate(cc, pfn);
		struct pgm_page *dst;

		if (!a)
			continue;
		pgm_count_vm_events(inst, PGM_COMPACTISOLATED, 1L << a->order);
		if (failed)
			continue;
		dst = compaction_alloc(cc, a->order);
		if (!dst) {
			spin_unlock(&pgdat->lru_lock);
			isolate_freepages(cc, want - moved);
			spin_lock(&pgdat->lru_lock);
			/* Freed while the lock was dropped: nothing to move */
			a = pgm_migrate_candidate(cc, pfn);
			if (!a)
				continue;
			dst = compaction_alloc(cc, a->order);
		}
		if (!dst) {
			failed = 1UL << a->order;
			continue;
		}
		pgm_migrate_alloc(inst, a, dst, &sources);
		moved += 1UL << a->order;
	}
	spin_unlock(&pgdat->lru_lock);

	pgm_compact_free_list(inst, &sources, false);
	pgm_count_vm_events(inst, PGM_PGMIGRATE_SUCCESS, moved);
	pgm_count_vm_events(inst, PGM_PGMIGRATE_FAIL, failed);
	return failed ? PGM_BATCH_NOMEM : PGM_BATCH_MOVED;
}

/* __compact_finished() */
static enum pgm_compact_result
pgm_compact_finished(struct pgm_compact_control *cc)
{
	struct pgm_zone *zone = cc->zone;
	unsigned int order;

	if (compact_scanners_met(cc)) {
		/* The next run starts anew */
		reset_cached_positions(zone);
		/*
		 * kswapd clears the skip bits when it goes to sleep, but only
		 * for an allocation's sake: not after kcompactd
		 */
		if (cc->direct_compaction)
			zone->compact_blockskip_flush = true;
		return cc->whole_zone ? PGM_COMPACT_COMPLETE :
					PGM_COMPACT_PARTIAL_SKIPPED;
	}
	/* Proactive: until the zone's score is down to the low mark */
	if (cc->proactive_compaction) {
		if (kswapd_is_running(zone->zone_pgdat))
			return PGM_COMPACT_PARTIAL_SKIPPED;
		if (fatal_signal_pending(current))
			return PGM_COMPACT_CONTENDED;
		return fragmentation_score_zone(zone) >
		       fragmentation_score_wmark(zone->zone_pgdat->inst, true) ?
		       PGM_COMPACT_CONTINUE : PGM_COMPACT_SUCCESS;
	}
	/*
	 * The whole zone: upstream's migrate scanner aborts on a fatal
	 * signal (ISOLATE_ABORT); here the batch boundary looks
	 */
	if (cc->order < 0)
		return fatal_signal_pending(current) ? PGM_COMPACT_CONTENDED :
						       PGM_COMPACT_CONTINUE;
	/* Always finish the pageblock the migrate scanner is in */
	if (cc->migrate_pfn & (PGM_PAGEBLOCK_NR_PAGES - 1))
		return PGM_COMPACT_CONTINUE;

	for (order = cc->order; order < PGM_NR_PAGE_ORDERS; order++) {
		struct pgm_free_area *area = &zone->free_area[order];
		bool can_steal;

		if (!pgm_free_area_empty(area, cc->migratetype))
			return PGM_COMPACT_SUCCESS;
		if (cc->migratetype == PGM_MIGRATE_MOVABLE &&
		    !pgm_free_area_empty(area, PGM_MIGRATE_CMA))
			return PGM_COMPACT_SUCCESS;
		if (cc->migratetype < PGM_MIGRATE_PCPTYPES &&
		    pgm_find_suitable_fallback(zone, area, order, cc->migratetype,
					       true, &can_steal) != -1)
			return PGM_COMPACT_SUCCESS;
	}
	if (fatal_signal_pending(current))
		return PGM_COMPACT_CONTENDED;
	/* COMPACT_NO_SUITABLE_PAGE turns into COMPACT_CONTINUE */
	return PGM_COMPACT_CONTINUE;
}

/**
 * pgm_compact_zone() - compact_zone(): compact one zone
 * @cc: the control; zone, order (-1: the whole zone), gfp_mask,
 *	alloc_flags, highest_zoneidx, priority and the mode flags set by the
 *	caller; the migratetype follows from the gfp mask, as upstream's
 * @capc: the capture control of a direct compactor, or NULL
 *
 * Return: PGM_COMPACT_SUCCESS when a block of cc->order is free or was
 * captured, PGM_COMPACT_COMPLETE when the scanners met over the whole
 * zone (PGM_COMPACT_PARTIAL_SKIPPED when they met, the run not counting
 * as one),
 * PGM_COMPACT_SKIPPED when the zone is not suitable,
 * PGM_COMPACT_CONTENDED on a fatal signal.
 */
enum pgm_compact_result pgm_compact_zone(struct pgm_compact_control *cc,
					 struct pgm_capture_control *capc)
{
	struct pgm_zone *zone = cc->zone;
	unsigned long start_pfn = zone->zone_start_pfn;
	unsigned long end_pfn = pgm_zone_end_pfn(zone);
	unsigned long last_migrated_pfn = 0;
	enum pgm_compact_result ret;
	enum pgm_batch batch;
	bool update_cached;
	unsigned int o;

	for (o = 0; o < PGM_NR_PAGE_ORDERS; o++)
		pgm_list_init(&cc->freepages[o]);
	cc->nr_freepages = 0;
	cc->total_migrate_scanned = 0;
	cc->total_free_scanned = 0;
	cc->migratetype = pgm_inst_gfp_migratetype(zone->zone_pgdat->inst,
						   cc->gfp_mask);

	if (cc->order >= 0) {
		ret = pgm_compaction_suit_allocation_order(zone, cc->order,
							   cc->highest_zoneidx,
							   cc->alloc_flags);
		if (ret != PGM_COMPACT_CONTINUE)
			return ret;
	}
	if (!zone->spanned_pages)
		return PGM_COMPACT_SKIPPED;

	/* Deferred long enough to be tried again: the skip bits go first */
	if (pgm_compaction_restarting(zone, cc->order))
		__reset_isolation_suitable(zone);

	/*
	 * The scanners start where the last run left them, unless the run
	 * covers the whole zone or the positions are outside it. A run from
	 * at or below compact_init_migrate_pfn (0 until a reset sets it)
	 * covers the whole zone.
	 */
	cc->fast_start_pfn = 0;
	if (cc->whole_zone) {
		cc->migrate_pfn = start_pfn;
		cc->free_pfn = pgm_pageblock_start(end_pfn - 1);
	} else {
		cc->migrate_pfn = zone->compact_cached_migrate_pfn[!cc->async];
		cc->free_pfn = zone->compact_cached_free_pfn;
		if (cc->free_pfn < start_pfn || cc->free_pfn >= end_pfn) {
			cc->free_pfn = pgm_pageblock_start(end_pfn - 1);
			zone->compact_cached_free_pfn = cc->free_pfn;
		}
		if (cc->migrate_pfn < start_pfn || cc->migrate_pfn >= end_pfn) {
			cc->migrate_pfn = start_pfn;
			zone->compact_cached_migrate_pfn[0] = start_pfn;
			zone->compact_cached_migrate_pfn[1] = start_pfn;
		}
		if (cc->migrate_pfn <= zone->compact_init_migrate_pfn)
			cc->whole_zone = true;
	}
	/*
	 * Until a pageblock gives something to move, async runs keep the
	 * sync position with theirs: no candidates is no candidates
	 */
	update_cached = cc->async && zone->compact_cached_migrate_pfn[0] ==
				     zone->compact_cached_migrate_pfn[1];

	while ((ret = pgm_compact_finished(cc)) == PGM_COMPACT_CONTINUE) {
		/*
		 * A second batch in the pageblock of the last one takes the
		 * rest of it at once. As upstream, 0 both means "none" and
		 * is pfn 0: a zone's first batch in pageblock 0 does too.
		 */
		cc->finish_pageblock =
			pgm_pageblock_start(last_migrated_pfn) ==
			pgm_pageblock_start(cc->migrate_pfn);
rescan:
		batch = pgm_compact_migrate_batch(cc);
		if (batch == PGM_BATCH_NONE) {
			if (update_cached)
				zone->compact_cached_migrate_pfn[1] =
					zone->compact_cached_migrate_pfn[0];
			goto check_drain;
		}
		update_cached = false;
		last_migrated_pfn = max(zone->zone_start_pfn,
					pgm_pageblock_start(cc->migrate_pfn - 1));
		if (batch == PGM_BATCH_NOMEM) {
			/* Out of targets before the scanners met: short */
			if (!compact_scanners_met(cc)) {
				ret = PGM_COMPACT_CONTENDED;
				break;
			}
			/*
			 * Below MIGRATE_SYNC a failure takes the rest of the
			 * pageblock once, so the block is done with
			 */
			if ((cc->migrate_pfn & (PGM_PAGEBLOCK_NR_PAGES - 1)) &&
			    !cc->ignore_skip_hint && !cc->finish_pageblock &&
			    !cc->sync) {
				cc->finish_pageblock = true;
				/* A drain cannot make this pageblock whole */
				if (cc->order == PGM_PAGEBLOCK_ORDER)
					last_migrated_pfn = 0;
				goto rescan;
			}
		}
		/* The block was captured: nothing left to wait for */
		if (capc && capc->page) {
			ret = PGM_COMPACT_SUCCESS;
			break;
		}
check_drain:
		/*
		 * Past the order-aligned block migrated from: drain this
		 * CPU's pcp, so the sources freed there merge and
		 * compact_finished() sees the block at once
		 */
		if (cc->order > 0 && last_migrated_pfn &&
		    last_migrated_pfn < ALIGN_DOWN(cc->migrate_pfn,
						   1UL << cc->order)) {
			pgm_drain_pages_zone(zone,
					     pgm_this_cpu(zone->zone_pgdat->inst));
			last_migrated_pfn = 0;
		}
		cond_resched();
	}
	pgm_release_freepages(cc);
	return ret;
}

/**
 * pgm_capture_begin() - show @capc to the frees of @zone
 * @zone: the zone compacted
 * @capc: the capture control, its task the one compacting
 *
 * As compact_zone_order() sets current->capture_control: from here a
 * block of the order wanted that the task frees in @zone is captured
 * (task_capc()).
 */
void pgm_capture_begin(struct pgm_zone *zone,
		       struct pgm_capture_control *capc)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	list_add(&capc->list, &zone->captures);
	spin_unlock_irqrestore(&zone->lock, flags);
}

/**
 * pgm_capture_end() - hide @capc from the frees of @zone again
 * @zone: the zone
 * @capc: what pgm_capture_begin() showed
 *
 * Under the zone lock, so that no free captures into @capc once it
 * returns and the caller reads @capc->page.
 */
void pgm_capture_end(struct pgm_zone *zone, struct pgm_capture_control *capc)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	list_del(&capc->list);
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * compact_zone_order(): one zone for a direct compactor, with a capture
 * control so that a block of the order wanted, once freed by migration,
 * goes to the compactor rather than to the free lists. The control is
 * hidden again before the page is read, so nothing captured is lost.
 */
static enum pgm_compact_result
pgm_compact_zone_order(struct pgm_zone *zone, int order, gfp_t gfp,
		       enum pgm_compact_priority prio,
		       unsigned int alloc_flags, int highest_zoneidx,
		       struct pgm_page **capture)
{
	struct pgm_compact_control cc = {
		.zone		= zone,
		.order		= order,
		.gfp_mask	= gfp,
		.migratetype	= pgm_inst_gfp_migratetype(zone->zone_pgdat->inst,
							   gfp),
		.alloc_flags	= alloc_flags,
		.highest_zoneidx = highest_zoneidx,
		.priority	= prio,
		.direct_compaction = true,
		.async		= prio == PGM_COMPACT_PRIO_ASYNC,
		/* The last resort covers the zone: scanners meeting end it */
		.whole_zone	= prio == PGM_MIN_COMPACT_PRIORITY,
		.ignore_skip_hint = prio == PGM_MIN_COMPACT_PRIORITY,
		.ignore_block_suitable = prio == PGM_MIN_COMPACT_PRIORITY,
		.search_order	= order,
	};
	struct pgm_capture_control capc = {
		.cc	= &cc,
		.page	= NULL,
		.task	= current,
	};
	enum pgm_compact_result ret;

	pgm_capture_begin(zone, &capc);
	ret = pgm_compact_zone(&cc, &capc);
	pgm_capture_end(zone, &capc);

	*capture = capc.page;
	if (*capture)
		ret = PGM_COMPACT_SUCCESS;
	return ret;
}

/**
 * pgm_try_to_compact_pages() - try_to_compact_pages() over the zonelist
 * @gfp: the allocation's gfp mask
 * @order: its order
 * @alloc_flags: its PGM_ALLOC_* flags
 * @ac: its context
 * @prio: enum pgm_compact_priority
 * @capture: set to the block compaction captured, or NULL
 *
 * Zones outside the owner's nodes are skipped under ALLOC_CPUSET, deferred
 * zones but at the highest priority; a zone that produced the block
 * resets its order_failed, one that failed at a synchronous priority is
 * deferred.
 *
 * Return: the best result of all zones tried.
 */
enum pgm_compact_result
pgm_try_to_compact_pages(gfp_t gfp, unsigned int order,
			 unsigned int alloc_flags,
			 const struct pgm_alloc_context *ac,
			 enum pgm_compact_priority prio,
			 struct pgm_page **capture)
{
	enum pgm_compact_result rc = PGM_COMPACT_SKIPPED;
	struct pgm_zoneref *z;
	struct pgm_zone *zone;

	/* gfp_compaction_allowed() */
	if (!(gfp & __GFP_IO))
		return rc;

	for (z = pgm_next_allowed_zone(ac, ac->zonelist->_zonerefs,
				       alloc_flags, gfp);
	     (zone = z->zone);
	     z = pgm_next_allowed_zone(ac, z + 1, alloc_flags, gfp)) {
		enum pgm_compact_result status;

		if (prio > PGM_MIN_COMPACT_PRIORITY &&
		    pgm_compaction_deferred(zone, order)) {
			rc = max_t(int, rc, PGM_COMPACT_DEFERRED);
			continue;
		}
		status = pgm_compact_zone_order(zone, order, gfp, prio,
						alloc_flags, ac->highest_zoneidx,
						capture);
		rc = max_t(int, rc, status);
		if (status == PGM_COMPACT_SUCCESS) {
			pgm_compaction_defer_reset(zone, order, false);
			break;
		}
		if (prio != PGM_COMPACT_PRIO_ASYNC &&
		    (status == PGM_COMPACT_COMPLETE ||
		     status == PGM_COMPACT_PARTIAL_SKIPPED))
			pgm_defer_compaction(zone, order);
		/*
		 * A fatal signal stops the walk at any priority. Upstream also
		 * stops an async walk on need_resched(); the mirror goes on,
		 * so that which zones are tried never depends on the scheduler.
		 */
		if (fatal_signal_pending(current))
			break;
	}
	return rc;
}

/**
 * pgm_compaction_zonelist_suitable() - compaction_zonelist_suitable():
 * would reclaim give compaction the order-0 pages it needs?
 * @ac: the allocation context
 * @order: the order
 * @alloc_flags: unused, as upstream
 *
 * Return: true if a zone passes the suitability watermark counting
 * 1/@order of its reclaimable pages as free.
 */
bool pgm_compaction_zonelist_suitable(const struct pgm_alloc_context *ac,
				      int order, unsigned int alloc_flags)
{
	struct pgm_zoneref *z;
	struct pgm_zone *zone;

	for (z = pgm_next_zones_zonelist(ac->zonelist->_zonerefs,
					 ac->highest_zoneidx, ac->nodemask);
	     (zone = z->zone);
	     z = pgm_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					 ac->nodemask)) {
		unsigned long available;

		/* Not all of it: thrashing for one high-order request is worse */
		available = pgm_zone_reclaimable_pages(zone) / order;
		available += pgm_zone_page_state_snapshot(zone,
							  PGM_NR_FREE_PAGES,
							  ac->inst->nr_cpus);
		if (pgm_compaction_suitable_wmark(zone, order,
						  ac->highest_zoneidx,
						  available))
			return true;
	}
	return false;
}

/* ========================= kcompactd ========================= */

/**
 * pgm_compact_node() - compact_node(): compact every zone of a node
 * @pgdat: the node
 * @proactive: kcompactd's background pass (MIGRATE_SYNC_LIGHT, each zone
 *	until its score is at most the low mark), else a compact_memory
 *	write's (MIGRATE_SYNC, each zone until the scanners meet)
 *
 * Both cover each zone whole and ignore the skip hints. The callers hold
 * iface_lock shared, as kswapd does: compaction moves handles' pages.
 *
 * Return: 0, or -EINTR on a fatal signal.
 */
int pgm_compact_node(struct pgm_pglist_data *pgdat, bool proactive)
{
	struct pgm_instance *inst = pgdat->inst;
	struct pgm_compact_control cc = {
		.order		= -1,
		.gfp_mask	= GFP_KERNEL,
		.priority	= PGM_MIN_COMPACT_PRIORITY,
		.sync		= !proactive,
		.ignore_skip_hint = true,
		.whole_zone	= true,
		.proactive_compaction = proactive,
	};
	int z;

	for (z = 0; z < PGM_MAX_NR_ZONES; z++) {
		struct pgm_zone *zone = &pgdat->node_zones[z];

		if (!pgm_populated_zone(zone))
			continue;
		if (fatal_signal_pending(current))
			return -EINTR;
		cc.zone = zone;
		pgm_compact_zone(&cc, NULL);
		if (proactive) {
			pgm_count_vm_events(inst, PGM_KCOMPACTD_MIGRATE_SCANNED,
					    cc.total_migrate_scanned);
			pgm_count_vm_events(inst, PGM_KCOMPACTD_FREE_SCANNED,
					    cc.total_free_scanned);
		}
	}
	return 0;
}

/**
 * pgm_set_extfrag_threshold() - a vm.extfrag_threshold write
 * @inst: the instance
 * @val: 0..PGM_EXTFRAG_THRESHOLD_MAX
 *
 * Read by the next compaction_suitable(); nothing else changes.
 *
 * Return: 0, or -EINVAL out of range.
 */
int pgm_set_extfrag_threshold(struct pgm_instance *inst, int val)
{
	if (val < 0 || val > PGM_EXTFRAG_THRESHOLD_MAX)
		return -EINVAL;
	mutex_lock(&inst->tunables_lock);
	WRITE_ONCE(inst->tun.extfrag_threshold, val);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/**
 * pgm_set_compaction_proactiveness() - a vm.compaction_proactiveness write
 * @inst: the instance
 * @val: 0..100
 *
 * A non-zero value also asks every node's kcompactd for a proactive pass
 * now, rather than at its next check.
 *
 * Return: 0, or -EINVAL out of range.
 */
int pgm_set_compaction_proactiveness(struct pgm_instance *inst, int val)
{
	unsigned int n;

	if (val < 0 || val > 100)
		return -EINVAL;
	mutex_lock(&inst->tunables_lock);
	WRITE_ONCE(inst->tun.compaction_proactiveness, val);
	mutex_unlock(&inst->tunables_lock);
	if (!val)
		return 0;
	for (n = 0; n < inst->nr_nodes; n++) {
		struct pgm_pglist_data *pgdat = &inst->node_data[n];

		if (READ_ONCE(pgdat->proactive_compact_trigger))
			continue;
		WRITE_ONCE(pgdat->proactive_compact_trigger, true);
		wake_up_interruptible(&pgdat->kcompactd_wait);
	}
	return 0;
}

/* kcompactd_node_suitable(): may compaction make the order asked for? */
static bool kcompactd_node_suitable(struct pgm_pglist_data *pgdat)
{
	int highest_zoneidx = READ_ONCE(pgdat->kcompactd_highest_zoneidx);
	int order = READ_ONCE(pgdat->kcompactd_max_order);
	int z;

	for (z = 0; z <= highest_zoneidx; z++) {
		struct pgm_zone *zone = &pgdat->node_zones[z];

		if (pgm_populated_zone(zone) &&
		    pgm_compaction_suit_allocation_order(zone, order,
							 highest_zoneidx,
							 PGM_ALLOC_WMARK_MIN) ==
		    PGM_COMPACT_CONTINUE)
			return true;
	}
	return false;
}

/**
 * pgm_kcompactd_do_work() - kcompactd_do_work(): one run for what was asked
 * @pgdat: the node
 *
 * Compacts each zone up to the highest asked for, at the largest order
 * asked for, MIGRATE_SYNC_LIGHT, skipping zones deferred, zones where the
 * order is already there above min and zones compaction cannot help. A
 * zone that produced the order has its deferral reset; one that did not
 * has its pcp lists drained and is deferred, as after sync direct
 * compaction. Then the request is forgotten unless a larger one came
 * meanwhile. The kcompactd thread holds iface_lock shared around it; KUnit
 * instances, which have no thread, call it directly.
 */
void pgm_kcompactd_do_work(struct pgm_pglist_data *pgdat)
{
	struct pgm_instance *inst = pgdat->inst;
	struct pgm_compact_control cc = {
		.order		= READ_ONCE(pgdat->kcompactd_max_order),
		.highest_zoneidx = READ_ONCE(pgdat->kcompactd_highest_zoneidx),
		.gfp_mask	= GFP_KERNEL,
		.priority	= PGM_COMPACT_PRIO_SYNC_LIGHT,
	};
	int z;

	cc.search_order = cc.order;
	pgm_count_vm_events(inst, PGM_KCOMPACTD_WAKE, 1);

	/* One control for every zone, as upstream: whole_zone carries over */
	for (z = 0; z <= cc.highest_zoneidx; z++) {
		struct pgm_zone *zone = &pgdat->node_zones[z];
		enum pgm_compact_result status;

		if (!pgm_populated_zone(zone))
			continue;
		if (pgm_compaction_deferred(zone, cc.order))
			continue;
		if (pgm_compaction_suit_allocation_order(zone, cc.order, z,
							 PGM_ALLOC_WMARK_MIN) !=
		    PGM_COMPACT_CONTINUE)
			continue;
		if (READ_ONCE(pgdat->kcompactd) == current &&
		    kthread_should_stop())
			return;

		cc.zone = zone;
		status = pgm_compact_zone(&cc, NULL);
		if (status == PGM_COMPACT_SUCCESS) {
			pgm_compaction_defer_reset(zone, cc.order, false);
		} else if (status == PGM_COMPACT_PARTIAL_SKIPPED ||
			   status == PGM_COMPACT_COMPLETE) {
			/* Blocks stranded on pcp lists could merge: drain */
			pgm_drain_all_pages(inst, zone);
			pgm_defer_compaction(zone, cc.order);
		}
		pgm_count_vm_events(inst, PGM_KCOMPACTD_MIGRATE_SCANNED,
				    cc.total_migrate_scanned);
		pgm_count_vm_events(inst, PGM_KCOMPACTD_FREE_SCANNED,
				    cc.total_free_scanned);
	}

	/* Keep a larger order or a tighter zone asked for meanwhile */
	if (READ_ONCE(pgdat->kcompactd_max_order) <= cc.order)
		WRITE_ONCE(pgdat->kcompactd_max_order, 0);
	if (READ_ONCE(pgdat->kcompactd_highest_zoneidx) >= cc.highest_zoneidx)
		WRITE_ONCE(pgdat->kcompactd_highest_zoneidx,
			   max(pgdat->nr_zones - 1, 0));
}

/**
 * pgm_wakeup_kcompactd() - wakeup_kcompactd(): ask a node for compaction
 * @pgdat: the node
 * @order: the order wanted; 0 asks nothing
 * @highest_zoneidx: the highest zone it may come from
 *
 * Records the largest order and the lowest zone asked for, then wakes
 * kcompactd if it is waiting and a zone could give the order after
 * compaction. With the kcompactd knob off, nothing. Any context; never
 * waits.
 *
 * Return: true if kcompactd was woken (or would be, without a thread:
 * KUnit instances have none, and a waiting one is assumed).
 */
bool pgm_wakeup_kcompactd(struct pgm_pglist_data *pgdat, int order,
			  enum pgm_zone_type highest_zoneidx)
{
	if (!order || !READ_ONCE(pgdat->inst->tun.kcompactd))
		return false;
	if (READ_ONCE(pgdat->kcompactd_max_order) < order)
		WRITE_ONCE(pgdat->kcompactd_max_order, order);
	if (READ_ONCE(pgdat->kcompactd_highest_zoneidx) > highest_zoneidx)
		WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, highest_zoneidx);

	/* Pairs with the barrier in the thread's wait: no wakeup lost */
	if (READ_ONCE(pgdat->kcompactd) &&
	    !wq_has_sleeper(&pgdat->kcompactd_wait))
		return false;
	if (!kcompactd_node_suitable(pgdat))
		return false;
	wake_up_interruptible(&pgdat->kcompactd_wait);
	return true;
}

/**
 * pgm_kcompactd_proactive() - kcompactd's background pass, if one is due
 * @pgdat: the node
 *
 * Compacts the node proactively when its score is above the high mark.
 * A pass that did not lower the score puts the next check off 64 times
 * longer. A compaction_proactiveness write's request is answered either
 * way. The thread holds iface_lock shared around it; KUnit instances call
 * it directly.
 *
 * Return: milliseconds until the next check.
 */
unsigned int pgm_kcompactd_proactive(struct pgm_pglist_data *pgdat)
{
	unsigned int ms = PGM_HPAGE_FRAG_CHECK_INTERVAL_MSEC;
	unsigned int prev_score, score;

	if (pgm_should_proactive_compact_node(pgdat)) {
		prev_score = pgm_fragmentation_score_node(pgdat);
		pgm_compact_node(pgdat, true);
		score = pgm_fragmentation_score_node(pgdat);
		if (score >= prev_score)
			ms <<= PGM_COMPACT_MAX_DEFER_SHIFT;
	}
	if (READ_ONCE(pgdat->proactive_compact_trigger))
		WRITE_ONCE(pgdat->proactive_compact_trigger, false);
	return ms;
}

static bool kcompactd_work_requested(struct pgm_pglist_data *pgdat)
{
	return READ_ONCE(pgdat->kcompactd_max_order) > 0 ||
	       kthread_should_stop() ||
	       READ_ONCE(pgdat->proactive_compact_trigger);
}

/*
 * kcompactd(): sleep until asked for an order, or for the check interval
 * (forever with proactiveness 0), then either compact for the order or,
 * on a timeout or a proactiveness write, check the node's score.
 */
static int kcompactd(void *data)
{
	struct pgm_pglist_data *pgdat = data;
	struct pgm_instance *inst = pgdat->inst;
	long default_timeout =
		msecs_to_jiffies(PGM_HPAGE_FRAG_CHECK_INTERVAL_MSEC);
	long timeout = default_timeout;

	pgm_bind_to_node(inst, pgdat->node_id, current);
	WRITE_ONCE(pgdat->kcompactd_max_order, 0);
	WRITE_ONCE(pgdat->kcompactd_highest_zoneidx,
		   max(pgdat->nr_zones - 1, 0));

	while (!kthread_should_stop()) {
		unsigned int ms;
		long left;

		if (!READ_ONCE(inst->tun.compaction_proactiveness))
			timeout = MAX_SCHEDULE_TIMEOUT;
		left = wait_event_interruptible_timeout(pgdat->kcompactd_wait,
							kcompactd_work_requested(pgdat),
							timeout);
		if (left > 0 && !READ_ONCE(pgdat->proactive_compact_trigger)) {
			/* An order asked for before the knob went off is dropped */
			if (!READ_ONCE(inst->tun.kcompactd)) {
				WRITE_ONCE(pgdat->kcompactd_max_order, 0);
			} else {
				down_read(&inst->iface_lock);
				pgm_kcompactd_do_work(pgdat);
				up_read(&inst->iface_lock);
			}
			timeout = default_timeout;
			continue;
		}

		down_read(&inst->iface_lock);
		ms = pgm_kcompactd_proactive(pgdat);
		up_read(&inst->iface_lock);
		timeout = msecs_to_jiffies(ms);
	}
	return 0;
}

/*
 * The hotplug state of kcompactd_cpu_online(): module-wide, as the
 * registration is; each instance with threads running is on its list
 */
static enum cpuhp_state pgm_kcompactd_online;

/**
 * pgm_kcompactd_cpu_online() - kcompactd_cpu_online() for one instance
 * @cpu: the host CPU coming online
 * @node: the instance's kcompactd_cpuhp
 *
 * A CPU coming online binds every kcompactd to its node's online CPUs
 * again: the new one joins its node's mask, and a mask the scheduler
 * widened when all of a node's CPUs went offline is put back. kswapd has
 * no such callback upstream, nor here.
 *
 * Return: 0.
 */
int pgm_kcompactd_cpu_online(unsigned int cpu, struct hlist_node *node)
{
	struct pgm_instance *inst = hlist_entry(node, struct pgm_instance,
						kcompactd_cpuhp);
	unsigned int n;

	for (n = 0; n < inst->nr_nodes; n++) {
		struct task_struct *t = READ_ONCE(inst->node_data[n].kcompactd);

		if (t)
			pgm_bind_to_node(inst, n, t);
	}
	return 0;
}

/**
 * pgm_kcompactd_init() - register kcompactd's CPU hotplug callback
 *
 * kcompactd_init()'s cpuhp_setup_state_nocalls(), made a multi-instance
 * state so that the callback finds each instance.
 *
 * Return: 0, or the cpuhp_setup_state_multi() error.
 */
int pgm_kcompactd_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN,
				      "pgmirror/kcompactd:online",
				      pgm_kcompactd_cpu_online, NULL);
	if (ret < 0)
		return ret;
	pgm_kcompactd_online = ret;
	return 0;
}

/**
 * pgm_kcompactd_exit() - unregister what pgm_kcompactd_init() registered
 *
 * Every instance's threads are stopped, so none is on the state's list.
 */
void pgm_kcompactd_exit(void)
{
	cpuhp_remove_multi_state(pgm_kcompactd_online);
	pgm_kcompactd_online = 0;
}

/**
 * pgm_kcompactd_run() - start one kcompactd thread per node of the instance
 * @inst: the instance; pgm_kcompactd_stop() stops them
 *
 * KUnit instances leave them off and call pgm_kcompactd_do_work() and
 * pgm_kcompactd_proactive() directly.
 *
 * Return: 0 or the kthread_run() error, with no kcompactd left running.
 */
int pgm_kcompactd_run(struct pgm_instance *inst)
{
	unsigned int n;
	int ret;

	for (n = 0; n < inst->nr_nodes; n++) {
		struct pgm_pglist_data *pgdat = &inst->node_data[n];
		struct task_struct *t;

		t = kthread_run(kcompactd, pgdat, "pgm_kcompactd/%s/%u",
				inst->name, n);
		if (IS_ERR(t)) {
			pgm_kcompactd_stop(inst);
			return PTR_ERR(t);
		}
		WRITE_ONCE(pgdat->kcompactd, t);
	}
	ret = cpuhp_state_add_instance_nocalls(pgm_kcompactd_online,
					       &inst->kcompactd_cpuhp);
	if (ret) {
		pgm_kcompactd_stop(inst);
		return ret;
	}
	inst->kcompactd_cpuhp_added = true;
	return 0;
}

/**
 * pgm_kcompactd_stop() - stop the instance's kcompactd threads
 * @inst: the instance
 *
 * Waits for a run in progress to finish; callers must not hold
 * iface_lock, nor the CPU hotplug lock (it waits for the callback).
 * Called before kswapd is stopped: a proactive pass reads
 * pgdat->kswapd's state.
 */
void pgm_kcompactd_stop(struct pgm_instance *inst)
{
	unsigned int n;

	/* Returns with no callback running: they hold the hotplug lock */
	if (inst->kcompactd_cpuhp_added) {
		cpuhp_state_remove_instance_nocalls(pgm_kcompactd_online,
						    &inst->kcompactd_cpuhp);
		inst->kcompactd_cpuhp_added = false;
	}
	for (n = 0; n < inst->nr_nodes; n++) {
		struct pgm_pglist_data *pgdat = &inst->node_data[n];

		if (!pgdat->kcompactd)
			continue;
		kthread_stop(pgdat->kcompactd);
		WRITE_ONCE(pgdat->kcompactd, NULL);
	}
}
