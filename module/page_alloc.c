// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the mirror of mm/page_alloc.c (Linux 6.12).
 *
 * The buddy allocator proper: free lists, splitting and merging, the
 * migratetype fallback rules, the highatomic reserve, watermarks, the
 * per-cpu page lists and get_page_from_freelist(). Every function works on
 * one struct pgm_instance; there is no global allocator state.
 *
 * Locking is upstream's: zone->lock protects the free areas and the
 * pageblock bits of the zone, pcp->lock protects a per-cpu page list and is
 * only ever trylocked on the allocation and free paths. The pcp lock nests
 * outside the zone lock.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/math64.h>
#include <linux/log2.h>
#include <linux/sizes.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/poison.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/ratelimit.h>

#include "pgmirror.h"
#include "pgmirror_trace.h"
#include "explain.h"
#include "lru.h"
#include "compaction.h"

/* ==================== gfp to zone and migratetype ==================== */

#define PGM_GFP_ZONE_BITS	(___GFP_DMA | ___GFP_HIGHMEM | ___GFP_DMA32 | \
				 ___GFP_MOVABLE)

/*
 * x86_64's GFP_ZONE_TABLE and GFP_ZONE_BAD in one, indexed by the zone
 * bits as upstream's is: __GFP_HIGHMEM means NORMAL, and MOVABLE is only
 * reached by __GFP_MOVABLE together with __GFP_HIGHMEM. Each entry is the
 * zone plus one, so that the mixes upstream BUGs on, left out, read -1.
 */
static const u8 pgm_gfp_zones[PGM_GFP_ZONE_BITS + 1] = {
	[0]					= PGM_ZONE_NORMAL + 1,
	[___GFP_DMA]				= PGM_ZONE_DMA + 1,
	[___GFP_HIGHMEM]			= PGM_ZONE_NORMAL + 1,
	[___GFP_DMA32]				= PGM_ZONE_DMA32 + 1,
	[___GFP_MOVABLE]			= PGM_ZONE_NORMAL + 1,
	[___GFP_MOVABLE | ___GFP_DMA]		= PGM_ZONE_DMA + 1,
	[___GFP_MOVABLE | ___GFP_HIGHMEM]	= PGM_ZONE_MOVABLE + 1,
	[___GFP_MOVABLE | ___GFP_DMA32]		= PGM_ZONE_DMA32 + 1,
};

/**
 * pgm_gfp_zone - the zone a gfp mask allocates from
 * @gfp: the caller's gfp mask
 *
 * One load, as upstream's gfp_zone().
 *
 * Return: an enum pgm_zone_type, or -1 for a combination upstream BUGs on.
 */
__always_inline int pgm_gfp_zone(gfp_t gfp)
{
	return pgm_gfp_zones[(__force unsigned int)gfp & PGM_GFP_ZONE_BITS] - 1;
}

/* gfp_migratetype(): the two mobility bits are the migratetype */
#define PGM_GFP_MOVABLE_SHIFT	3
static_assert(1U << PGM_GFP_MOVABLE_SHIFT == ___GFP_MOVABLE);
static_assert(___GFP_MOVABLE >> PGM_GFP_MOVABLE_SHIFT == PGM_MIGRATE_MOVABLE);
static_assert(___GFP_RECLAIMABLE >> PGM_GFP_MOVABLE_SHIFT ==
	      PGM_MIGRATE_RECLAIMABLE);
static_assert((___GFP_MOVABLE | ___GFP_RECLAIMABLE) >> PGM_GFP_MOVABLE_SHIFT ==
	      PGM_MIGRATE_HIGHATOMIC);

/**
 * pgm_gfp_migratetype - the migratetype a gfp mask allocates for
 * @gfp: the caller's gfp mask
 *
 * Return: an enum pgm_migratetype, or -1 when both mobility bits are set
 * (upstream warns and would use MIGRATE_HIGHATOMIC).
 */
__always_inline int pgm_gfp_migratetype(gfp_t gfp)
{
	int mt = ((__force unsigned int)gfp &
		  (___GFP_MOVABLE | ___GFP_RECLAIMABLE)) >> PGM_GFP_MOVABLE_SHIFT;

	return mt == PGM_MIGRATE_HIGHATOMIC ? -1 : mt;
}

/* ==================== pageblock flags ==================== */

#define PGM_PB_BITS		4
#define PGM_PB_MT_MASK		0x7UL
/* PB_migrate_skip: compaction passes the block over */
#define PGM_PB_MIGRATE_SKIP	0x8UL

static unsigned long *pgm_pfnblock_word(struct pgm_instance *inst,
					unsigned long pfn, unsigned int *shift)
{
	unsigned long bitidx = (pfn >> PGM_PAGEBLOCK_ORDER) * PGM_PB_BITS;

	*shift = bitidx % BITS_PER_LONG;
	return &inst->pageblock_flags[bitidx / BITS_PER_LONG];
}

/**
 * pgm_get_pfnblock_migratetype - migratetype of the pageblock holding @pfn
 * @inst: the instance
 * @pfn: any pfn of the block
 *
 * Read without the zone lock on the free path, as upstream does.
 *
 * Return: the block's enum pgm_migratetype.
 */
int pgm_get_pfnblock_migratetype(struct pgm_instance *inst, unsigned long pfn)
{
	unsigned int shift;
	unsigned long *word = pgm_pfnblock_word(inst, pfn, &shift);

	return (READ_ONCE(*word) >> shift) & PGM_PB_MT_MASK;
}

/* Without mobility grouping the mergeable types are one */
static int pageblock_type(struct pgm_instance *inst, int migratetype)
{
	if (unlikely(!READ_ONCE(inst->tun.group_by_mobility)) &&
	    migratetype < PGM_MIGRATE_PCPTYPES)
		return PGM_MIGRATE_UNMOVABLE;
	return migratetype;
}

/*
 * The type as given, where free pages go on that type's lists with it.
 * Blocks of different zones share words, so the update is a cmpxchg loop.
 */
static void __pgm_set_pageblock_migratetype(struct pgm_instance *inst,
					    unsigned long pfn, int migratetype)
{
	unsigned int shift;
	unsigned long *word = pgm_pfnblock_word(inst, pfn, &shift);
	unsigned long old = READ_ONCE(*word), new;

	do {
		new = (old & ~(PGM_PB_MT_MASK << shift)) |
		      ((unsigned long)migratetype << shift);
	} while (!try_cmpxchg(word, &old, new));
}

/**
 * pgm_set_pageblock_migratetype - set the migratetype of a pageblock
 * @inst: the instance
 * @pfn: any pfn of the block
 * @migratetype: the new type; without mobility grouping a mergeable one
 *	becomes MIGRATE_UNMOVABLE, as upstream's does
 */
void pgm_set_pageblock_migratetype(struct pgm_instance *inst,
				   unsigned long pfn, int migratetype)
{
	__pgm_set_pageblock_migratetype(inst, pfn,
					pageblock_type(inst, migratetype));
}

/**
 * pgm_get_pageblock_skip - get_pageblock_skip(): is compaction to skip it?
 * @inst: the instance
 * @pfn: any pfn of the pageblock
 *
 * Return: the pageblock's PB_migrate_skip bit.
 */
bool pgm_get_pageblock_skip(struct pgm_instance *inst, unsigned long pfn)
{
	unsigned int shift;
	unsigned long *word = pgm_pfnblock_word(inst, pfn, &shift);

	return (READ_ONCE(*word) >> shift) & PGM_PB_MIGRATE_SKIP;
}

/**
 * pgm_set_pageblock_skip - set or clear a pageblock's PB_migrate_skip bit
 * @inst: the instance
 * @pfn: any pfn of the pageblock
 * @skip: the new value
 *
 * Without the zone lock, as upstream's: a cmpxchg loop, like the type's.
 */
void pgm_set_pageblock_skip(struct pgm_instance *inst, unsigned long pfn,
			    bool skip)
{
	unsigned int shift;
	unsigned long *word = pgm_pfnblock_word(inst, pfn, &shift);
	unsigned long old = READ_ONCE(*word), new;

	do {
		new = old & ~(PGM_PB_MIGRATE_SKIP << shift);
		if (skip)
			new |= PGM_PB_MIGRATE_SKIP << shift;
	} while (!try_cmpxchg(word, &old, new));
}

static int pgm_get_pageblock_migratetype(struct pgm_zone *zone,
					 struct pgm_page *page)
{
	struct pgm_instance *inst = zone->zone_pgdat->inst;

	return pgm_get_pfnblock_migratetype(inst, pgm_page_to_pfn(inst, page));
}

/* ==================== free lists ==================== */

static inline struct pgm_instance *zinst(struct pgm_zone *zone)
{
	return zone->inst;
}

/* The memmap that the zone's page lists index */
static inline struct pgm_page *zmap(struct pgm_zone *zone)
{
	return zone->inst->memmap;
}

/*
 * A page becoming a free block's head holds no other flag (verify checks
 * it): a store, not a read-modify-write, so that the far half expand()
 * splits off is written without first waiting to read its cache line
 */
static inline void set_buddy_order(struct pgm_page *page, unsigned int order)
{
	page->private = order;
	page->flags = PGM_PG_BUDDY;
}

/*
 * __mod_zone_page_state(): the calling pcp CPU's delta, folded into
 * vm_stat once it passes stat_threshold either way. Callers hold the zone
 * lock, which stands in for upstream's disabled interrupts.
 */
static inline void pgm___mod_zone_page_state(struct pgm_zone *zone,
					     unsigned int cpu,
					     enum pgm_zone_stat_item item,
					     long delta)
{
	s8 *p = &zone->vm_stat_diff[cpu][item];
	long x = delta + *p;

	if (unlikely(abs(x) > READ_ONCE(zone->stat_threshold))) {
		pgm_mod_zone_page_state(zone, item, x);
		x = 0;
	}
	*p = x;
}

/*
 * Free page counters skip isolated blocks, as upstream's do. The change
 * goes to the calling CPU's vm_stat_diff, as upstream's does, or to the
 * pcp CPU whose pages the refresh is draining (zone->stat_cpu).
 */
static inline void account_freepages(struct pgm_zone *zone, int nr_pages,
				     int migratetype)
{
	int cpu;

	if (pgm_is_migrate_isolate(migratetype))
		return;

	cpu = zone->stat_cpu;
	if (likely(cpu < 0))
		cpu = pgm_this_cpu(zinst(zone));
	pgm___mod_zone_page_state(zone, cpu, PGM_NR_FREE_PAGES, nr_pages);
	if (pgm_is_migrate_cma(migratetype))
		pgm___mod_zone_page_state(zone, cpu, PGM_NR_FREE_CMA_PAGES,
					  nr_pages);
	else if (pgm_is_migrate_highatomic(migratetype))
		WRITE_ONCE(zone->nr_free_highatomic,
			   zone->nr_free_highatomic + nr_pages);
}

static inline void __add_to_free_list(struct pgm_page *page,
				      struct pgm_zone *zone,
				      unsigned int order, int migratetype,
				      bool tail)
{
	struct pgm_free_area *area = &zone->free_area[order];

	if (tail)
		pgm_list_add_tail(zmap(zone), page, &area->free_list[migratetype]);
	else
		pgm_list_add(zmap(zone), page, &area->free_list[migratetype]);
	area->nr_free++;
}

static inline void move_to_free_list(struct pgm_page *page,
				     struct pgm_zone *zone,
				     unsigned int order, int old_mt, int new_mt)
{
	struct pgm_free_area *area = &zone->free_area[order];

	pgm_list_move_tail(zmap(zone), page, &area->free_list[old_mt],
			   &area->free_list[new_mt]);
	account_freepages(zone, -(1 << order), old_mt);
	account_freepages(zone, 1 << order, new_mt);
}

static inline void __del_page_from_free_list(struct pgm_page *page,
					     struct pgm_zone *zone,
					     unsigned int order, int migratetype)
{
	pgm_list_del(zmap(zone), page,
		     &zone->free_area[order].free_list[migratetype]);
	page->flags &= ~PGM_PG_BUDDY;
	page->private = 0;
	zone->free_area[order].nr_free--;
}

static inline void del_page_from_free_list(struct pgm_page *page,
					   struct pgm_zone *zone,
					   unsigned int order, int migratetype)
{
	__del_page_from_free_list(page, zone, order, migratetype);
	account_freepages(zone, -(1 << order), migratetype);
}

static inline struct pgm_page *
pgm_get_page_from_free_area(struct pgm_zone *zone, struct pgm_free_area *area,
			    int migratetype)
{
	return pgm_list_first(zmap(zone), &area->free_list[migratetype]);
}

/* ==================== buddy merging ==================== */

/* A buddy must be free at the same order and in the same zone. */
static inline bool page_is_buddy(const struct pgm_page *page,
				 const struct pgm_page *buddy,
				 unsigned int order)
{
	if (!pgm_page_buddy(buddy) || pgm_buddy_order(buddy) != order)
		return false;
	return page->zone_id == buddy->zone_id;
}

static struct pgm_page *find_buddy_page_pfn(struct pgm_instance *inst,
					    struct pgm_page *page,
					    unsigned long pfn,
					    unsigned int order,
					    unsigned long *buddy_pfn)
{
	unsigned long __buddy_pfn = pfn ^ (1UL << order);
	struct pgm_page *buddy;

	if (buddy_pfn)
		*buddy_pfn = __buddy_pfn;
	/* The instance's memmap ends where its pfns do. */
	if (__buddy_pfn >= inst->nr_pages)
		return NULL;
	buddy = page + (__buddy_pfn - pfn);
	return page_is_buddy(page, buddy, order) ? buddy : NULL;
}

/*
 * If the next-higher buddy is free, this block is likely to merge further
 * soon; keeping it at the tail lets that happen before it is reused.
 */
static bool buddy_merge_likely(struct pgm_instance *inst, unsigned long pfn,
			       unsigned long buddy_pfn, struct pgm_page *page,
			       unsigned int order)
{
	unsigned long higher_page_pfn;
	struct pgm_page *higher_page;

	if (order >= PGM_MAX_PAGE_ORDER - 1)
		return false;

	higher_page_pfn = buddy_pfn & pfn;
	higher_page = page + (higher_page_pfn - pfn);

	return find_buddy_page_pfn(inst, higher_page, higher_page_pfn,
				   order + 1, NULL) != NULL;
}

/*
 * task_capc(): the capture control of a direct compactor of @zone, if the
 * free comes from that compactor and nothing was captured yet. Several
 * tasks may compact one zone at once, each capturing for itself, as each
 * has a current->capture_control upstream. Upstream also excludes
 * kthreads; the mirror's kthreads never compact, and its KUnit cases,
 * which do, run in kthreads.
 */
static struct pgm_capture_control *task_capc(struct pgm_zone *zone)
{
	struct pgm_capture_control *capc;

	if (likely(list_empty(&zone->captures)))
		return NULL;
	list_for_each_entry(capc, &zone->captures, list)
		if (capc->task == current)
			return capc->page ? NULL : capc;
	return NULL;
}

/*
 * compaction_capture(): hand a block of the order compaction works for
 * straight to the compactor instead of the free lists, where a racing
 * allocation could take it. Never from CMA or isolated blocks, and a
 * movable block below pageblock order only to a movable request, so the
 * capture fragments no more than a fallback would.
 */
static bool compaction_capture(struct pgm_capture_control *capc,
			       struct pgm_page *page, unsigned int order,
			       int migratetype)
{
	if (!capc || order != capc->cc->order)
		return false;
	if (pgm_is_migrate_cma(migratetype) ||
	    pgm_is_migrate_isolate(migratetype))
		return false;
	if (order < PGM_PAGEBLOCK_ORDER &&
	    migratetype == PGM_MIGRATE_MOVABLE &&
	    capc->cc->migratetype != PGM_MIGRATE_MOVABLE)
		return false;
	capc->page = page;
	return true;
}

/**
 * pgm___free_one_page - __free_one_page(): merge a block into the buddy
 * @zone: the zone of @page; its lock is held
 * @page: the first page of the block
 * @pfn: its pfn
 * @order: its order
 * @migratetype: the free list it goes to (its pageblock's type)
 * @to_tail: FPI_TO_TAIL: queue at the tail whatever the heuristic says
 *
 * Merges with free buddies up to max order. At pageblock order and above a
 * block of a non-mergeable type (highatomic, CMA, isolate) never merges
 * with a block of another type, which keeps their accounting exact.
 */
void pgm___free_one_page(struct pgm_zone *zone, struct pgm_page *page,
			 unsigned long pfn, unsigned int order,
			      int migratetype, bool to_tail)
{
	struct pgm_instance *inst = zinst(zone);
	struct pgm_capture_control *capc;
	unsigned long buddy_pfn = 0;
	unsigned long combined_pfn;
	struct pgm_page *buddy;

	lockdep_assert_held(&zone->lock);
	capc = task_capc(zone);
	account_freepages(zone, 1 << order, migratetype);

	while (order < PGM_MAX_PAGE_ORDER) {
		int buddy_mt = migratetype;

		if (compaction_capture(capc, page, order, migratetype)) {
			account_freepages(zone, -(1 << order), migratetype);
			return;
		}

		buddy = find_buddy_page_pfn(inst, page, pfn, order, &buddy_pfn);
		if (!buddy)
			goto done_merging;

		if (unlikely(order >= PGM_PAGEBLOCK_ORDER)) {
			buddy_mt = pgm_get_pfnblock_migratetype(inst, buddy_pfn);
			if (migratetype != buddy_mt &&
			    (!pgm_migratetype_is_mergeable(migratetype) ||
			     !pgm_migratetype_is_mergeable(buddy_mt)))
				goto done_merging;
		}

		__del_page_from_free_list(buddy, zone, order, buddy_mt);
		/* expand() later puts the halves on the list of the whole */
		if (unlikely(buddy_mt != migratetype))
			__pgm_set_pageblock_migratetype(inst, buddy_pfn,
							migratetype);

		combined_pfn = buddy_pfn & pfn;
		page = page + (combined_pfn - pfn);
		pfn = combined_pfn;
		order++;
	}

done_merging:
	set_buddy_order(page, order);
	if (!to_tail)
		to_tail = buddy_merge_likely(inst, pfn, buddy_pfn, page, order);
	__add_to_free_list(page, zone, order, migratetype, to_tail);
}

/* Free in pageblock pieces so that each piece goes to its block's list. */
static void split_large_buddy(struct pgm_zone *zone, struct pgm_page *page,
			      unsigned long pfn, unsigned int order,
			      bool to_tail)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long end = pfn + (1UL << order);

	if (order > PGM_PAGEBLOCK_ORDER)
		order = PGM_PAGEBLOCK_ORDER;

	while (pfn != end) {
		int mt = pgm_get_pfnblock_migratetype(inst, pfn);

		pgm___free_one_page(zone, page, pfn, order, mt, to_tail);
		pfn += 1UL << order;
		page = pgm_pfn_to_page(inst, pfn);
	}
}

static void free_one_page(struct pgm_zone *zone, struct pgm_page *page,
			  unsigned long pfn, unsigned int order, bool to_tail)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	split_large_buddy(zone, page, pfn, order, to_tail);
	spin_unlock_irqrestore(&zone->lock, flags);
	__pgm_count_vm_events(zinst(zone), PGM_PGFREE, 1 << order);
}

/**
 * pgm___free_pages_core - hand a range to the buddy allocator at init
 * @zone: the zone
 * @pfn: first pfn, aligned to @order
 * @order: order of the range
 *
 * The mirror of __free_pages_core(): freed to the tail, no pcp, and
 * counted in pgfree as free_one_page() counts boot's frees.
 */
void pgm___free_pages_core(struct pgm_zone *zone, unsigned long pfn,
			   unsigned int order)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	split_large_buddy(zone, pgm_pfn_to_page(inst, pfn), pfn, order, true);
	spin_unlock_irqrestore(&zone->lock, flags);
	pgm_count_vm_events(inst, PGM_PGFREE, 1UL << order);
}

/* ==================== splitting ==================== */

/*
 * Split a block of order @high down to order @low, putting the upper
 * halves on the free lists. Returns the number of pages put back.
 */
static inline unsigned int expand(struct pgm_zone *zone, struct pgm_page *page,
				  int low, int high, int migratetype)
{
	unsigned int size = 1 << high;
	unsigned int nr_added = 0;

	while (high > low) {
		high--;
		size >>= 1;
		__add_to_free_list(&page[size], zone, high, migratetype, false);
		set_buddy_order(&page[size], high);
		nr_added += size;
	}

	return nr_added;
}

static __always_inline void page_del_and_expand(struct pgm_zone *zone,
						struct pgm_page *page, int low,
						int high, int migratetype)
{
	int nr_pages = 1 << high;

	__del_page_from_free_list(page, zone, high, migratetype);
	nr_pages -= expand(zone, page, low, high, migratetype);
	account_freepages(zone, -nr_pages, migratetype);
}

/**
 * pgm_isolate_free_block_locked - take a free block off its free list
 * @zone: the zone; its lock is held
 * @page: the first page of a free block
 * @order: its buddy order
 *
 * __isolate_free_page() less the watermark check, which the caller makes:
 * the block leaves the free lists and the free counters, and compaction
 * owns it until it frees it. A block of at least half a pageblock makes
 * each pageblock it covers movable, with that block's other free pages,
 * unless the pageblock's type cannot merge (highatomic, CMA, isolate):
 * the pages compaction moves in are movable ones.
 */
void pgm_isolate_free_block_locked(struct pgm_zone *zone,
				   struct pgm_page *page, unsigned int order)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long pfn = pgm_page_to_pfn(inst, page);
	unsigned long end = pfn + (1UL << order) - 1;

	lockdep_assert_held(&zone->lock);
	del_page_from_free_list(page, zone, order,
				pgm_get_pfnblock_migratetype(inst, pfn));
	if (order < PGM_PAGEBLOCK_ORDER - 1)
		return;
	for (; pfn < end; pfn += PGM_PAGEBLOCK_NR_PAGES) {
		int mt = pgm_get_pfnblock_migratetype(inst, pfn);

		if (pgm_migratetype_is_mergeable(mt))
			pgm_move_freepages_block(zone,
						 pgm_pfn_to_page(inst, pfn), mt,
						 PGM_MIGRATE_MOVABLE);
	}
}

/* Inlined into the refill and the other hot callers, as upstream's is */
static __always_inline struct pgm_page *
__rmqueue_smallest(struct pgm_zone *zone, unsigned int order, int migratetype)
{
	unsigned int current_order;
	struct pgm_free_area *area;
	struct pgm_page *page;

	for (current_order = order; current_order < PGM_NR_PAGE_ORDERS;
	     ++current_order) {
		area = &zone->free_area[current_order];
		page = pgm_get_page_from_free_area(zone, area, migratetype);
		if (!page)
			continue;
		page_del_and_expand(zone, page, order, current_order,
				    migratetype);
		if (pgm_trace_enabled(mm_page_alloc_zone_locked))
			pgm_trace(mm_page_alloc_zone_locked, zinst(zone),
				  pgm_page_to_pfn(zinst(zone), page), order,
				  migratetype,
				  pgm_pcp_allowed_order(zinst(zone), order) &&
				  migratetype < PGM_MIGRATE_PCPTYPES);
		return page;
	}

	return NULL;
}

/**
 * pgm___rmqueue_smallest - take the smallest block of @migratetype that fits
 * @zone: the zone; its lock is held
 * @order: the order wanted
 * @migratetype: the free list to take from
 *
 * Return: the first page of an order-@order block, or NULL.
 */
struct pgm_page *pgm___rmqueue_smallest(struct pgm_zone *zone,
					unsigned int order, int migratetype)
{
	return __rmqueue_smallest(zone, order, migratetype);
}

/* ==================== fallback and stealing ==================== */

/* The order in which each type falls back to the others */
const int pgm_fallbacks[PGM_MIGRATE_PCPTYPES][PGM_MIGRATE_PCPTYPES - 1] = {
	[PGM_MIGRATE_UNMOVABLE]   = { PGM_MIGRATE_RECLAIMABLE, PGM_MIGRATE_MOVABLE },
	[PGM_MIGRATE_MOVABLE]     = { PGM_MIGRATE_RECLAIMABLE, PGM_MIGRATE_UNMOVABLE },
	[PGM_MIGRATE_RECLAIMABLE] = { PGM_MIGRATE_UNMOVABLE, PGM_MIGRATE_MOVABLE },
};

static void change_pageblock_range(struct pgm_zone *zone,
				   struct pgm_page *pageblock_page,
				   int start_order, int migratetype)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long pfn = pgm_page_to_pfn(inst, pageblock_page);
	int nr_pageblocks = 1 << (start_order - PGM_PAGEBLOCK_ORDER);

	while (nr_pageblocks--) {
		pgm_set_pageblock_migratetype(inst, pfn, migratetype);
		pfn += PGM_PAGEBLOCK_NR_PAGES;
	}
}

static int __move_freepages_block(struct pgm_zone *zone,
				  unsigned long start_pfn, int old_mt,
				  int new_mt)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long pfn, end_pfn = start_pfn + PGM_PAGEBLOCK_NR_PAGES;
	int pages_moved = 0;

	/*
	 * The pages go where the block's type will say: upstream's forced
	 * MIGRATE_UNMOVABLE would leave them on the lists of the type asked
	 * for, which the free scanners would then unlink from the wrong list
	 */
	new_mt = pageblock_type(inst, new_mt);
	for (pfn = start_pfn; pfn < end_pfn;) {
		struct pgm_page *page = pgm_pfn_to_page(inst, pfn);
		unsigned int order;

		if (!pgm_page_buddy(page)) {
			pfn++;
			continue;
		}
		order = pgm_buddy_order(page);
		move_to_free_list(page, zone, order, old_mt, new_mt);
		pfn += 1UL << order;
		pages_moved += 1 << order;
	}

	__pgm_set_pageblock_migratetype(inst, start_pfn, new_mt);

	return pages_moved;
}

/*
 * Count the free and movable pages of @page's pageblock. Movable means on
 * an LRU, as upstream's PageLRU; nothing here is __PageMovable.
 */
static bool prep_move_freepages_block(struct pgm_zone *zone,
				      struct pgm_page *page,
				      unsigned long *start_pfn,
				      int *num_free, int *num_movable)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long pfn, start, end;

	pfn = pgm_page_to_pfn(inst, page);
	start = ALIGN_DOWN(pfn, PGM_PAGEBLOCK_NR_PAGES);
	end = start + PGM_PAGEBLOCK_NR_PAGES;

	/* Only the zone's lock is held: stay inside the zone */
	if (!pgm_zone_spans_pfn(zone, start))
		return false;
	if (!pgm_zone_spans_pfn(zone, end - 1))
		return false;

	*start_pfn = start;
	if (!num_free)
		return true;

	*num_free = 0;
	*num_movable = 0;
	for (pfn = start; pfn < end;) {
		page = pgm_pfn_to_page(inst, pfn);
		if (pgm_page_buddy(page)) {
			int nr = 1 << pgm_buddy_order(page);

			*num_free += nr;
			pfn += nr;
			continue;
		}
		if (page->flags & PGM_PG_HEAD) {
			unsigned long nr = 1UL << page->private;

			nr = min(nr, end - pfn);
			/* PageLRU: on an LRU, not isolated, whatever its gfp */
			if (READ_ONCE(page->flags) & PGM_PG_LRU)
				*num_movable += nr;
			pfn += nr;
			continue;
		}
		pfn++;
	}

	return true;
}

/**
 * pgm_move_freepages_block - move a pageblock's free pages to another type
 * @zone: the zone; its lock is held
 * @page: any page of the block
 * @old_mt: the block's current type
 * @new_mt: the type to give it
 *
 * Return: pages moved, or -1 when the block straddles the zone's edge.
 */
int pgm_move_freepages_block(struct pgm_zone *zone, struct pgm_page *page,
			     int old_mt, int new_mt)
{
	unsigned long start_pfn;

	if (!prep_move_freepages_block(zone, page, &start_pfn, NULL, NULL))
		return -1;

	return __move_freepages_block(zone, start_pfn, old_mt, new_mt);
}

/* find_large_buddy(): the head of a free block straddling @start_pfn */
static unsigned long find_large_buddy(struct pgm_instance *inst,
				      unsigned long start_pfn)
{
	unsigned long pfn = start_pfn;
	struct pgm_page *page;
	int order = 0;

	while (!pgm_page_buddy(page = pgm_pfn_to_page(inst, pfn))) {
		if (++order > PGM_MAX_PAGE_ORDER)
			return start_pfn;
		pfn &= ~0UL << order;
	}
	if (pfn + (1UL << pgm_buddy_order(page)) > start_pfn)
		return pfn;
	return start_pfn;
}

/**
 * pgm_move_freepages_block_isolate - move_freepages_block_isolate()
 * @zone: the zone; its lock is held
 * @page: any page of the pageblock
 * @migratetype: MIGRATE_ISOLATE, or the type the block goes back to
 *
 * A free block larger than a pageblock that covers this one is split into
 * pageblocks first, each freed under its own block's type, so that the
 * isolated part can neither merge with nor be allocated from the rest.
 *
 * Return: false when the block straddles the zone's edge.
 */
bool pgm_move_freepages_block_isolate(struct pgm_zone *zone,
				      struct pgm_page *page, int migratetype)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long start_pfn, pfn;

	if (!prep_move_freepages_block(zone, page, &start_pfn, NULL, NULL))
		return false;

	/* A tail pageblock of a larger free block */
	pfn = find_large_buddy(inst, start_pfn);
	if (pfn != start_pfn) {
		struct pgm_page *buddy = pgm_pfn_to_page(inst, pfn);
		int order = pgm_buddy_order(buddy);

		del_page_from_free_list(buddy, zone, order,
					pgm_get_pfnblock_migratetype(inst, pfn));
		pgm_set_pageblock_migratetype(inst, start_pfn, migratetype);
		split_large_buddy(zone, buddy, pfn, order, false);
		return true;
	}

	/* The first pageblock of a larger free block */
	page = pgm_pfn_to_page(inst, start_pfn);
	if (pgm_page_buddy(page) && pgm_buddy_order(page) > PGM_PAGEBLOCK_ORDER) {
		int order = pgm_buddy_order(page);

		del_page_from_free_list(page, zone, order,
					pgm_get_pfnblock_migratetype(inst,
								     start_pfn));
		pgm_set_pageblock_migratetype(inst, start_pfn, migratetype);
		split_large_buddy(zone, page, start_pfn, order, false);
		return true;
	}

	__move_freepages_block(zone, start_pfn,
			       pgm_get_pfnblock_migratetype(inst, start_pfn),
			       migratetype);
	return true;
}

static bool can_steal_fallback(unsigned int order, int start_mt)
{
	/* Large enough to take the whole block outright */
	if (order >= PGM_PAGEBLOCK_ORDER)
		return true;

	return order >= PGM_PAGEBLOCK_ORDER / 2 ||
	       start_mt == PGM_MIGRATE_RECLAIMABLE ||
	       start_mt == PGM_MIGRATE_UNMOVABLE;
}

/**
 * pgm_boost_watermark - raise the zone's boost after a fallback
 * @zone: the zone; its lock is held
 *
 * Each fallback adds a pageblock to the boost, up to
 * watermark_boost_factor of the high watermark.
 *
 * Return: true if the zone was boosted.
 */
bool pgm_boost_watermark(struct pgm_zone *zone)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long max_boost;
	int factor = READ_ONCE(inst->tun.watermark_boost_factor);

	if (!factor)
		return false;

	/* Small zones gain nothing from boosting */
	if ((PGM_PAGEBLOCK_NR_PAGES * 4) > pgm_zone_managed_pages(zone))
		return false;

	max_boost = mult_frac(zone->_watermark[PGM_WMARK_HIGH], factor, 10000);
	if (!max_boost)
		return false;

	max_boost = max(PGM_PAGEBLOCK_NR_PAGES, max_boost);
	zone->watermark_boost = min(zone->watermark_boost +
				    PGM_PAGEBLOCK_NR_PAGES, max_boost);
	__pgm_count_vm_events(inst, PGM_WATERMARK_BOOST, 1);

	return true;
}

/*
 * Claim the pageblock of @page for @start_type when it is large enough,
 * or when at least half of it is free or of a compatible mobility.
 */
static struct pgm_page *try_to_steal_block(struct pgm_zone *zone,
					   struct pgm_page *page,
					   int current_order, int order,
					   int start_type,
					   unsigned int alloc_flags)
{
	int free_pages, movable_pages, alike_pages, threshold;
	unsigned long start_pfn;
	int block_type;
	bool enough, claim;

	block_type = pgm_get_pageblock_migratetype(zone, page);

	/* Keep the highatomic accounting exact */
	if (pgm_is_migrate_highatomic(block_type)) {
		pgm_explain(zinst(zone),
			    "  __rmqueue_claim from %s order %d: a highatomic block is not claimed",
			    pgm_migratetype_names[block_type], current_order);
		return NULL;
	}

	if (current_order >= PGM_PAGEBLOCK_ORDER) {
		unsigned int nr_added;

		trace_pgmirror_fallback(zinst(zone),
					pgm_page_to_pfn(zinst(zone), page),
					start_type, block_type, order,
					current_order, "whole", 0, 0, 0);
		pgm_explain(zinst(zone),
			    "  __rmqueue_claim from %s order %d: whole pageblocks at pfn %lu become %s",
			    pgm_migratetype_names[block_type], current_order,
			    pgm_page_to_pfn(zinst(zone), page),
			    pgm_migratetype_names[start_type]);
		del_page_from_free_list(page, zone, current_order, block_type);
		change_pageblock_range(zone, page, current_order, start_type);
		nr_added = expand(zone, page, order, current_order, start_type);
		account_freepages(zone, nr_added, start_type);
		return page;
	}

	/* Fallbacks fragment: push reclaim harder to avoid more of them */
	if (pgm_boost_watermark(zone) && (alloc_flags & PGM_ALLOC_KSWAPD))
		set_bit(PGM_ZONE_BOOSTED_WATERMARK, &zone->flags);

	if (!prep_move_freepages_block(zone, page, &start_pfn, &free_pages,
				       &movable_pages)) {
		pgm_explain(zinst(zone),
			    "  __rmqueue_claim from %s order %d: its pageblock is not all in the zone: not claimed",
			    pgm_migratetype_names[block_type], current_order);
		return NULL;
	}

	if (start_type == PGM_MIGRATE_MOVABLE) {
		alike_pages = movable_pages;
	} else {
		/*
		 * Non-movable pages of a movable block are taken to be of our
		 * kind; between unmovable and reclaimable nothing is known.
		 */
		if (block_type == PGM_MIGRATE_MOVABLE)
			alike_pages = PGM_PAGEBLOCK_NR_PAGES -
				      (free_pages + movable_pages);
		else
			alike_pages = 0;
	}

	/*
	 * Half a pageblock upstream; the claim_threshold knob moves it.
	 * Without mobility grouping every fallback claims.
	 */
	threshold = READ_ONCE(zinst(zone)->tun.claim_threshold);
	enough = free_pages + alike_pages >= threshold;
	claim = enough || !READ_ONCE(zinst(zone)->tun.group_by_mobility);
	trace_pgmirror_fallback(zinst(zone), start_pfn, start_type, block_type,
				order, current_order, claim ? "claim" : "few",
				free_pages, alike_pages, threshold);
	pgm_explain(zinst(zone),
		    "  __rmqueue_claim from %s order %d: %d free + %d alike %s %d%s -> pageblock at pfn %lu %s %s",
		    pgm_migratetype_names[block_type], current_order, free_pages,
		    alike_pages, enough ? ">=" : "<", threshold,
		    claim && !enough ? " (mobility grouping off)" : "",
		    start_pfn, claim ? "becomes" : "stays",
		    pgm_migratetype_names[claim ? start_type : block_type]);
	if (claim) {
		__move_freepages_block(zone, start_pfn, block_type, start_type);
		return pgm___rmqueue_smallest(zone, order, start_type);
	}

	return NULL;
}

/*
 * Inlined in the claim and steal walks, which ask at every order and
 * mostly find the area empty: out of line, the calls were a seventh of
 * a fragmented zone's refill
 */
static __always_inline int
__find_suitable_fallback(struct pgm_zone *zone, struct pgm_free_area *area,
			 unsigned int order, int migratetype,
			 bool only_stealable, bool *can_steal)
{
	const int *row = zinst(zone)->tun.fallbacks[migratetype];
	int i, fallback_mt;

	if (area->nr_free == 0)
		return -1;

	*can_steal = false;
	for (i = 0; i < PGM_MIGRATE_PCPTYPES - 1; i++) {
		fallback_mt = READ_ONCE(row[i]);
		if (fallback_mt < 0)
			break;
		if (pgm_free_area_empty(area, fallback_mt))
			continue;

		if (can_steal_fallback(order, migratetype))
			*can_steal = true;

		if (!only_stealable)
			return fallback_mt;

		if (*can_steal)
			return fallback_mt;
	}

	return -1;
}

/**
 * pgm_find_suitable_fallback - the first fallback type with a free block
 * @zone: the zone of @area, whose instance holds the fallbacks[] order
 * @area: the free area of one order
 * @order: that order
 * @migratetype: the type wanted
 * @only_stealable: only return a type whose block may be claimed
 * @can_steal: set when the block may be claimed whole
 *
 * Return: the fallback migratetype, or -1.
 */
int pgm_find_suitable_fallback(struct pgm_zone *zone,
			       struct pgm_free_area *area, unsigned int order,
			       int migratetype, bool only_stealable,
			       bool *can_steal)
{
	return __find_suitable_fallback(zone, area, order, migratetype,
					only_stealable, can_steal);
}

/* mm_page_alloc_extfrag: did the block change hands, as upstream asks */
static void trace_extfrag(struct pgm_zone *zone, struct pgm_page *page,
			  int order, int current_order, int start_mt,
			  int fallback_mt)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long pfn;

	/*
	 * The pageblock's type is a READ_ONCE() the compiler may not sink
	 * into the tracepoint's branch: upstream reads it in TP_fast_assign
	 */
	if (!pgm_trace_enabled(mm_page_alloc_extfrag))
		return;
	pfn = pgm_page_to_pfn(inst, page);
	pgm_trace(mm_page_alloc_extfrag, inst, pfn, order, current_order,
		  start_mt, fallback_mt,
		  start_mt == pgm_get_pfnblock_migratetype(inst, pfn));
}

/* explain: a fallback too small to claim its pageblock */
static noinline void explain_no_claim(struct pgm_instance *inst,
				      int fallback_mt, int current_order)
{
	pgm_explain(inst,
		    "  __rmqueue_claim from %s order %d: too small to claim its pageblock",
		    pgm_migratetype_names[fallback_mt], current_order);
}

/*
 * Fall back by claiming a whole foreign block, largest first: the largest
 * free block roughly marks the block with the most free pages.
 */
static struct pgm_page *__rmqueue_claim(struct pgm_zone *zone, int order,
					int start_migratetype,
					unsigned int alloc_flags)
{
	struct pgm_instance *inst = zinst(zone);
	int current_order, min_order = order;
	struct pgm_free_area *area;
	struct pgm_page *page;
	int fallback_mt;
	bool can_steal;

	/* NOFRAGMENT: take whole blocks only; other zones are tried first */
	if (order < PGM_PAGEBLOCK_ORDER && (alloc_flags & PGM_ALLOC_NOFRAGMENT))
		min_order = PGM_PAGEBLOCK_ORDER;

	for (current_order = PGM_MAX_PAGE_ORDER; current_order >= min_order;
	     --current_order) {
		area = &zone->free_area[current_order];
		fallback_mt = __find_suitable_fallback(zone, area, current_order,
						       start_migratetype, false,
						       &can_steal);
		if (fallback_mt == -1)
			continue;

		if (!can_steal) {
			if (pgm_hooks(alloc_flags))
				explain_no_claim(inst, fallback_mt,
						 current_order);
			break;
		}

		page = pgm_get_page_from_free_area(zone, area, fallback_mt);
		page = try_to_steal_block(zone, page, current_order, order,
					  start_migratetype, alloc_flags);
		if (page) {
			__pgm_count_vm_events(inst, PGM_EXTFRAG_FALLBACK, 1);
			__pgm_count_vm_events(inst, PGM_EXTFRAG_CLAIM, 1);
			if (pgm_hooks(alloc_flags))
				trace_extfrag(zone, page, order, current_order,
					      start_migratetype, fallback_mt);
			return page;
		}
	}

	return NULL;
}

/* explain and trace a steal (__rmqueue_steal()) */
static noinline void hooks_steal(struct pgm_zone *zone, struct pgm_page *page,
				 int order, int current_order, int start_mt,
				 int fallback_mt)
{
	struct pgm_instance *inst = zinst(zone);

	trace_pgmirror_fallback(inst, pgm_page_to_pfn(inst, page), start_mt,
				fallback_mt, order, current_order, "steal", 0, 0,
				0);
	pgm_explain(inst,
		    "  __rmqueue_steal from %s order %d: pfn %lu, its pageblock stays %s",
		    pgm_migratetype_names[fallback_mt], current_order,
		    pgm_page_to_pfn(inst, page),
		    pgm_migratetype_names[fallback_mt]);
	trace_extfrag(zone, page, order, current_order, start_mt, fallback_mt);
}

/* Steal the smallest single block, leaving its pageblock's type alone. */
static __always_inline struct pgm_page *
__rmqueue_steal(struct pgm_zone *zone, int order, int start_migratetype,
		unsigned int alloc_flags)
{
	struct pgm_instance *inst = zinst(zone);
	struct pgm_free_area *area;
	int current_order;
	struct pgm_page *page;
	int fallback_mt;
	bool can_steal;

	for (current_order = order; current_order < PGM_NR_PAGE_ORDERS;
	     current_order++) {
		area = &zone->free_area[current_order];
		fallback_mt = __find_suitable_fallback(zone, area, current_order,
						       start_migratetype, false,
						       &can_steal);
		if (fallback_mt == -1)
			continue;

		page = pgm_get_page_from_free_area(zone, area, fallback_mt);
		page_del_and_expand(zone, page, order, current_order,
				    fallback_mt);
		__pgm_count_vm_events(inst, PGM_EXTFRAG_FALLBACK, 1);
		__pgm_count_vm_events(inst, PGM_EXTFRAG_STEAL, 1);
		if (pgm_hooks(alloc_flags))
			hooks_steal(zone, page, order, current_order,
				    start_migratetype, fallback_mt);
		return page;
	}

	return NULL;
}

enum pgm_rmqueue_mode {
	PGM_RMQUEUE_NORMAL,
	PGM_RMQUEUE_CMA,
	PGM_RMQUEUE_CLAIM,
	PGM_RMQUEUE_STEAL,
};

static struct pgm_page *__rmqueue_cma_fallback(struct pgm_zone *zone,
					       unsigned int order)
{
	struct pgm_page *page;

	/*
	 * CMA pageblocks are made at init only: without them the lists are
	 * empty and the walk would find nothing, at every order, before each
	 * refill's first fallback.
	 */
	if (!zone->cma_pages)
		return NULL;
	page = pgm___rmqueue_smallest(zone, order, PGM_MIGRATE_CMA);
	if (page) {
		__pgm_count_vm_events(zinst(zone), PGM_CMA_FALLBACK, 1);
		pgm_explain(zinst(zone), "  %s: pfn %lu", __func__,
			    pgm_page_to_pfn(zinst(zone), page));
	}
	return page;
}

/*
 * Take a block for @migratetype, falling back to CMA, then to claiming a
 * foreign block, then to stealing from one. @mode remembers the step that
 * worked so that a bulk refill does not search the earlier ones again.
 */
static __always_inline struct pgm_page *
__rmqueue(struct pgm_zone *zone, unsigned int order, int migratetype,
	  unsigned int alloc_flags, enum pgm_rmqueue_mode *mode)
{
	struct pgm_page *page;

	/*
	 * Keep CMA in use when it holds more than half of the free pages.
	 * A zone without CMA pageblocks (made at init only) never does: one
	 * test per block rather than two counter reads, a kernel without
	 * CONFIG_CMA not making even that one.
	 */
	if ((alloc_flags & PGM_ALLOC_CMA) && zone->cma_pages &&
	    pgm_zone_page_state(zone, PGM_NR_FREE_CMA_PAGES) >
	    pgm_zone_page_state(zone, PGM_NR_FREE_PAGES) / 2) {
		page = __rmqueue_cma_fallback(zone, order);
		if (page)
			return page;
	}

	switch (*mode) {
	case PGM_RMQUEUE_NORMAL:
		page = __rmqueue_smallest(zone, order, migratetype);
		if (page)
			return page;
		if (pgm_hooks(alloc_flags))
			pgm_explain(zinst(zone),
				    "  __rmqueue_smallest %s: nothing at orders %u..%d",
				    pgm_migratetype_names[migratetype], order,
				    PGM_MAX_PAGE_ORDER);
		fallthrough;
	case PGM_RMQUEUE_CMA:
		if (alloc_flags & PGM_ALLOC_CMA) {
			page = __rmqueue_cma_fallback(zone, order);
			if (page) {
				*mode = PGM_RMQUEUE_CMA;
				return page;
			}
		}
		fallthrough;
	case PGM_RMQUEUE_CLAIM:
		page = __rmqueue_claim(zone, order, migratetype, alloc_flags);
		if (page) {
			*mode = PGM_RMQUEUE_NORMAL;
			return page;
		}
		fallthrough;
	case PGM_RMQUEUE_STEAL:
		if (alloc_flags & PGM_ALLOC_NOFRAGMENT)
			pgm_explain(zinst(zone),
				    "  NOFRAGMENT: a steal would fragment a pageblock: not here");
		if (!(alloc_flags & PGM_ALLOC_NOFRAGMENT)) {
			page = __rmqueue_steal(zone, order, migratetype,
					       alloc_flags);
			if (page) {
				*mode = PGM_RMQUEUE_STEAL;
				return page;
			}
		}
	}

	return NULL;
}

/* Out of line: inlined into rmqueue_buddy() it costs the pcp path its registers */
static noinline struct pgm_page *rmqueue_out(struct pgm_zone *zone,
					     unsigned int order,
					     int migratetype,
					     unsigned int alloc_flags)
{
	enum pgm_rmqueue_mode mode = PGM_RMQUEUE_NORMAL;

	lockdep_assert_held(&zone->lock);
	return __rmqueue(zone, order, migratetype, alloc_flags, &mode);
}

/**
 * pgm___rmqueue - one block from the buddy lists, with every fallback
 * @zone: the zone; its lock is held
 * @order: the order
 * @migratetype: the type wanted
 * @alloc_flags: PGM_ALLOC_* flags
 *
 * Return: the block's first page, or NULL.
 */
struct pgm_page *pgm___rmqueue(struct pgm_zone *zone, unsigned int order,
			       int migratetype, unsigned int alloc_flags)
{
	return rmqueue_out(zone, order, migratetype,
			   alloc_flags | pgm_hooks_flag());
}

/* ==================== the highatomic reserve ==================== */

/**
 * pgm_reserve_highatomic_pageblock - reserve the block of a high-order atomic
 * @page: the page just allocated
 * @order: its order
 * @zone: its zone
 *
 * At least one pageblock and at most about 1% of the zone is reserved;
 * nothing when 1% is less than a pageblock.
 */
void pgm_reserve_highatomic_pageblock(struct pgm_page *page, int order,
				      struct pgm_zone *zone)
{
	unsigned long max_managed, flags;
	int mt;

	if ((pgm_zone_managed_pages(zone) / 100) < PGM_PAGEBLOCK_NR_PAGES ||
	    !READ_ONCE(zinst(zone)->tun.highatomic))
		return;
	max_managed = ALIGN(pgm_zone_managed_pages(zone) / 100,
			    PGM_PAGEBLOCK_NR_PAGES);
	if (READ_ONCE(zone->nr_reserved_highatomic) >= max_managed)
		return;

	spin_lock_irqsave(&zone->lock, flags);

	if (zone->nr_reserved_highatomic >= max_managed)
		goto out_unlock;

	mt = pgm_get_pageblock_migratetype(zone, page);
	/* Only blocks that can merge with others */
	if (!pgm_migratetype_is_mergeable(mt))
		goto out_unlock;

	if (order < PGM_PAGEBLOCK_ORDER) {
		if (pgm_move_freepages_block(zone, page, mt,
					     PGM_MIGRATE_HIGHATOMIC) == -1)
			goto out_unlock;
		zone->nr_reserved_highatomic += PGM_PAGEBLOCK_NR_PAGES;
	} else {
		change_pageblock_range(zone, page, order,
				       PGM_MIGRATE_HIGHATOMIC);
		zone->nr_reserved_highatomic += 1 << order;
	}
	__pgm_count_vm_events(zinst(zone), PGM_HIGHATOMIC_RESERVE, 1);
	trace_pgmirror_highatomic(zinst(zone),
				  pgm_page_to_pfn(zinst(zone), page), true,
				  zone->nr_reserved_highatomic);
	pgm_explain(zinst(zone),
		    "  highatomic: the %s pageblock of pfn %lu reserved (%lu pages reserved in %s)",
		    pgm_migratetype_names[mt],
		    pgm_page_to_pfn(zinst(zone), page),
		    zone->nr_reserved_highatomic, pgm_zone_names[zone->idx]);

out_unlock:
	spin_unlock_irqrestore(&zone->lock, flags);
}

/**
 * pgm_unreserve_highatomic_pageblock - give a highatomic block back
 * @ac: the allocation context of the failing allocation
 * @force: also give up the last reserved block
 *
 * Converts the first free highatomic block found to @ac's migratetype.
 *
 * Return: true if a block was given back.
 */
bool pgm_unreserve_highatomic_pageblock(const struct pgm_alloc_context *ac,
					bool force)
{
	struct pgm_zoneref *z = ac->zonelist->_zonerefs;
	unsigned long flags;
	struct pgm_zone *zone;
	struct pgm_page *page;
	int order, ret;

	for (z = pgm_next_zones_zonelist(z, ac->highest_zoneidx, ac->nodemask);
	     (zone = z->zone);
	     z = pgm_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					 ac->nodemask)) {
		/* Keep one block unless pressure is really high */
		if (!force &&
		    zone->nr_reserved_highatomic <= PGM_PAGEBLOCK_NR_PAGES)
			continue;

		spin_lock_irqsave(&zone->lock, flags);
		for (order = 0; order < PGM_NR_PAGE_ORDERS; order++) {
			struct pgm_free_area *area = &zone->free_area[order];
			int mt;

			page = pgm_get_page_from_free_area(zone, area,
							   PGM_MIGRATE_HIGHATOMIC);
			if (!page)
				continue;

			mt = pgm_get_pageblock_migratetype(zone, page);
			/* Several free pages of one block: count it once */
			if (pgm_is_migrate_highatomic(mt)) {
				unsigned long size;

				size = max(PGM_PAGEBLOCK_NR_PAGES, 1UL << order);
				size = min(size, zone->nr_reserved_highatomic);
				zone->nr_reserved_highatomic -= size;
			}

			if (order < PGM_PAGEBLOCK_ORDER) {
				ret = pgm_move_freepages_block(zone, page, mt,
							       ac->migratetype);
			} else {
				move_to_free_list(page, zone, order, mt,
						  ac->migratetype);
				change_pageblock_range(zone, page, order,
						       ac->migratetype);
				ret = 1;
			}
			if (ret > 0) {
				trace_pgmirror_highatomic(ac->inst,
							  pgm_page_to_pfn(ac->inst,
									  page),
							  false,
							  zone->nr_reserved_highatomic);
				pgm_explain(ac->inst,
					    "  highatomic: the pageblock of pfn %lu given back as %s (%lu pages reserved in %s)",
					    pgm_page_to_pfn(ac->inst, page),
					    pgm_migratetype_names[ac->migratetype],
					    zone->nr_reserved_highatomic,
					    pgm_zone_names[zone->idx]);
				spin_unlock_irqrestore(&zone->lock, flags);
				pgm_count_vm_events(ac->inst,
						    PGM_HIGHATOMIC_UNRESERVE, 1);
				return true;
			}
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}

	return false;
}

/* ==================== per-cpu page lists ==================== */

/**
 * pgm_pcp_allowed_order - may this order be cached on a pcp list?
 * @inst: the instance
 * @order: the order
 *
 * HPAGE_PMD_ORDER has pcp lists only in a kernel built with THP
 * (NR_PCP_THP): an instance made without transparent_hugepage= is one
 * built without, whose order-9 pages always go through the buddy lists.
 *
 * Return: true for orders up to PAGE_ALLOC_COSTLY_ORDER, and for pageblock
 * order where the instance has THP.
 */
bool pgm_pcp_allowed_order(const struct pgm_instance *inst,
			   unsigned int order)
{
	if (order <= PGM_PAGE_ALLOC_COSTLY_ORDER)
		return true;
	return order == PGM_PAGEBLOCK_ORDER &&
	       READ_ONCE(inst->tun.transparent_hugepage) != PGM_THP_NONE;
}

/**
 * pgm_order_to_pindex - the pcp list of an order and migratetype
 * @migratetype: a pcp type
 * @order: an order pgm_pcp_allowed_order() accepts
 *
 * Return: the list index; pageblock order has two lists, movable and the
 * rest.
 */
unsigned int pgm_order_to_pindex(int migratetype, int order)
{
	/* Pageblock order: movable blocks apart from the rest (NR_PCP_THP) */
	if (order > PGM_PAGE_ALLOC_COSTLY_ORDER)
		return PGM_NR_LOWORDER_PCP_LISTS +
		       (migratetype == PGM_MIGRATE_MOVABLE);

	return (PGM_MIGRATE_PCPTYPES * order) + migratetype;
}

/**
 * pgm_pindex_to_order - the order of the pages on a pcp list
 * @pindex: the list index
 *
 * Return: the order.
 */
int pgm_pindex_to_order(unsigned int pindex)
{
	if (pindex >= PGM_NR_LOWORDER_PCP_LISTS)
		return PGM_PAGEBLOCK_ORDER;

	return pindex / PGM_MIGRATE_PCPTYPES;
}

/**
 * pgm_cpu_to_node - the node a pcp CPU belongs to
 * @inst: the instance
 * @cpu: 0..nr_cpus-1
 *
 * CPUs are spread over the nodes in equal consecutive blocks, looked up
 * in a table made at create rather than divided out per request.
 *
 * Return: the node id.
 */
unsigned int pgm_cpu_to_node(const struct pgm_instance *inst,
			     unsigned int cpu)
{
	return inst->node_of_cpu[cpu];
}

/**
 * pgm_bind_to_node - keep a kthread on a node's host CPUs
 * @inst: the instance
 * @nid: the node
 * @p: the thread
 *
 * cpumask_of_node() for the instance: the online host CPUs whose pcp CPU
 * is on @nid (x86 adds a CPU to its node's mask as it comes up and takes
 * it out as it goes down), as kswapd() and kcompactd() bind themselves,
 * so that their frees and counter deltas go to the node's own pcp CPUs.
 * A node no online host CPU maps to leaves the thread as it is, as
 * upstream's CPU-less nodes do.
 */
void pgm_bind_to_node(const struct pgm_instance *inst, int nid,
		      struct task_struct *p)
{
	cpumask_var_t mask;
	unsigned int cpu;

	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return;
	for_each_online_cpu(cpu)
		if (pgm_cpu_to_node(inst, inst->pcp_cpu_of[cpu]) == nid)
			cpumask_set_cpu(cpu, mask);
	if (!cpumask_empty(mask))
		set_cpus_allowed_ptr(p, mask);
	free_cpumask_var(mask);
}

/**
 * pgm_node_nr_cpus - how many pcp CPUs a node has
 * @inst: the instance
 * @nid: the node
 *
 * Return: 0 for a memory-only node, as !node_state(nid, N_CPU).
 */
unsigned int pgm_node_nr_cpus(const struct pgm_instance *inst, int nid)
{
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < inst->nr_cpus; cpu++)
		n += pgm_cpu_to_node(inst, cpu) == nid;
	return n;
}

/*
 * free_pcppages_bulk(), with the free counters' change going to pcp CPU
 * @stat_cpu's diff, or the caller's for -1.
 */
static void __free_pcppages_bulk(struct pgm_zone *zone, int count,
				 struct pgm_per_cpu_pages *pcp, int pindex,
				 int stat_cpu)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long flags;
	int freed = 0;

	lockdep_assert_held(&pcp->lock);
	/* Never ask for more than the lists hold, or the loop never ends */
	count = min(pcp->count, count);
	if (count <= 0)
		return;

	pindex = pindex - 1;
	/* The caller's CPU looked up once, not for each page freed */
	if (stat_cpu < 0)
		stat_cpu = pgm_this_cpu(inst);
	spin_lock_irqsave(&zone->lock, flags);
	zone->stat_cpu = stat_cpu;
	while (count > 0) {
		struct pgm_list *list;
		int order, nr_pages;

		do {
			if (++pindex > PGM_NR_PCP_LISTS - 1)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (pgm_list_empty(list));

		order = pgm_pindex_to_order(pindex);
		nr_pages = 1 << order;
		do {
			struct pgm_page *page;
			unsigned long pfn;
			int mt;

			page = pgm_list_last(inst->memmap, list);
			pfn = pgm_page_to_pfn(inst, page);
			mt = pgm_get_pfnblock_migratetype(inst, pfn);
			pgm_list_del(inst->memmap, page, list);
			page->flags &= ~PGM_PG_PCP;
			page->private = 0;
			count -= nr_pages;
			pcp->count -= nr_pages;
			freed += nr_pages;
			pgm___free_one_page(zone, page, pfn, order, mt,
					    false);
			pgm_trace(mm_page_pcpu_drain, inst, pfn, order, mt);
		} while (count > 0 && !pgm_list_empty(list));
	}
	zone->stat_cpu = -1;
	spin_unlock_irqrestore(&zone->lock, flags);

	__pgm_count_vm_events(inst, PGM_PCP_DRAIN, 1);
	__pgm_count_vm_events(inst, PGM_PCP_DRAIN_PAGES, freed);
}

/**
 * pgm_free_pcppages_bulk - return pages from a pcp to the buddy lists
 * @zone: the zone
 * @count: pages to free
 * @pcp: the pcp; its lock is held
 * @pindex: the list to drain first; the others follow round-robin
 *
 * The free counters change the calling context's diff, as upstream's
 * drain of a remote CPU's pcp (drain_pages_zone()) does.
 */
void pgm_free_pcppages_bulk(struct pgm_zone *zone, int count,
			    struct pgm_per_cpu_pages *pcp, int pindex)
{
	__free_pcppages_bulk(zone, count, pcp, pindex, -1);
}

/*
 * Take up to @count blocks for a pcp list under one zone lock hold. Out
 * of line, with the buddy path inlined here: inlined into the pcp path,
 * its registers cost every pcp hit (under TCG, each spill is an emulated
 * memory access).
 */
static noinline int rmqueue_bulk(struct pgm_zone *zone, unsigned int order,
				 unsigned long count, struct pgm_list *list,
				 int migratetype, unsigned int alloc_flags,
				 unsigned int cpu)
{
	enum pgm_rmqueue_mode mode = PGM_RMQUEUE_NORMAL;
	unsigned long flags;
	int i;

	spin_lock_irqsave(&zone->lock, flags);
	/* The pcp's CPU is the caller's: no lookup for each page taken */
	zone->stat_cpu = cpu;
	for (i = 0; i < count; ++i) {
		struct pgm_page *page = __rmqueue(zone, order, migratetype,
						  alloc_flags, &mode);
		if (unlikely(!page))
			break;

		/* Tail insertion keeps the list in physical order */
		page->flags |= PGM_PG_PCP;
		page->private = order;
		pgm_list_add_tail(zmap(zone), page, list);
	}
	zone->stat_cpu = -1;
	spin_unlock_irqrestore(&zone->lock, flags);

	return i;
}

/**
 * pgm_nr_pcp_alloc - how many blocks a pcp refill takes
 * @pcp: the pcp; its lock is held
 * @zone: its zone
 * @order: the order refilled
 *
 * Inline, as upstream's: it runs once per refill, every few requests in a
 * fragmented zone's order-3 lists.
 *
 * Return: the number of blocks to move from the buddy lists.
 */
static inline int pgm_nr_pcp_alloc(struct pgm_per_cpu_pages *pcp,
				   struct pgm_zone *zone, int order)
{
	int high, base_batch, batch, max_nr_alloc;
	int high_max, high_min;

	base_batch = READ_ONCE(pcp->batch);
	high_min = READ_ONCE(pcp->high_min);
	high_max = READ_ONCE(pcp->high_max);
	pcp->high = clamp(pcp->high, high_min, high_max);
	high = pcp->high;

	/* pcp disabled: one page at a time */
	if (unlikely(high < base_batch))
		return 1;

	if (order)
		batch = base_batch;
	else
		batch = (base_batch << pcp->alloc_factor);

	/* Room to cache more: grow high while the zone is above high */
	if (high_min != high_max &&
	    !test_bit(PGM_ZONE_BELOW_HIGH, &zone->flags)) {
		pcp->high = min(high + batch, high_max);
		high = pcp->high;
	}

	if (!order) {
		max_nr_alloc = max(high - pcp->count - base_batch, base_batch);
		/* Allocating without freeing: double the next refill */
		if (batch <= max_nr_alloc &&
		    pcp->alloc_factor < PGM_PCP_BATCH_SCALE_MAX)
			pcp->alloc_factor++;
		batch = min(batch, max_nr_alloc);
	}

	/* A batch of 1 means nothing may stay cached */
	if (batch > 1)
		batch = max(batch >> order, 2);

	return batch;
}

/*
 * An empty pcp list takes a batch from the buddy. Out of line: the hit
 * that does not need it is inlined in both callers.
 */
static noinline bool rmqueue_pcplist_refill(struct pgm_zone *zone,
					    unsigned int order,
					    int migratetype,
					    unsigned int alloc_flags,
					    struct pgm_per_cpu_pages *pcp,
					    struct pgm_list *list)
{
	struct pgm_instance *inst = zinst(zone);
	int batch = pgm_nr_pcp_alloc(pcp, zone, order);
	int alloced;

	if (pgm_hooks(alloc_flags))
		pgm_explain(inst,
			    "rmqueue: pcp list %s/%u empty -> rmqueue_bulk batch %d",
			    pgm_migratetype_names[migratetype], order, batch);
	alloced = rmqueue_bulk(zone, order, batch, list, migratetype,
			       alloc_flags, pcp->cpu);
	if (pgm_hooks(alloc_flags))
		pgm_explain(inst, "  rmqueue_bulk: %d blocks", alloced);
	pcp->count += alloced << order;
	__pgm_count_vm_events(inst, PGM_PCP_REFILL, 1);
	__pgm_count_vm_events(inst, PGM_PCP_REFILL_PAGES, alloced << order);
	return !pgm_list_empty(list);
}

static __always_inline struct pgm_page *
__rmqueue_pcplist(struct pgm_zone *zone, unsigned int order, int migratetype,
		  unsigned int alloc_flags, struct pgm_per_cpu_pages *pcp,
		  struct pgm_list *list)
{
	struct pgm_instance *inst = zinst(zone);
	struct pgm_page *page;

	if (unlikely(pgm_list_empty(list)) &&
	    !rmqueue_pcplist_refill(zone, order, migratetype, alloc_flags, pcp,
				    list))
		return NULL;

	page = pgm_list_first(inst->memmap, list);
	pgm_list_del(inst->memmap, page, list);
	page->flags &= ~PGM_PG_PCP;
	page->private = 0;
	pcp->count -= 1 << order;
	if (pgm_hooks(alloc_flags))
		pgm_explain(inst,
			    "rmqueue: pcp list %s/%u hands out pfn %lu (%d pages left on the pcp)",
			    pgm_migratetype_names[migratetype], order,
			    pgm_page_to_pfn(inst, page), pcp->count);

	return page;
}

#if defined(CONFIG_SMP) || defined(CONFIG_PREEMPT_RT)
/* The pcp lock's trylock is enough: interrupts stay on */
static inline void pcp_flags_noop(unsigned long *flags) { }
#define pcp_trylock_prepare(flags)	pcp_flags_noop(&(flags))
#define pcp_trylock_finish(flags)	pcp_flags_noop(&(flags))
#define pcp_spin_lock_maybe_irqsave(pcp, flags)		\
	do { pcp_flags_noop(&(flags)); spin_lock(&(pcp)->lock); } while (0)
#define pcp_spin_unlock_maybe_irqrestore(pcp, flags)	\
	do { spin_unlock(&(pcp)->lock); pcp_flags_noop(&(flags)); } while (0)
#else
/*
 * A UP kernel's trylock always succeeds: interrupts go off around the pcp
 * instead, as upstream's UP build does (the UML KUnit and bench kernels)
 */
#define pcp_trylock_prepare(flags)	local_irq_save(flags)
#define pcp_trylock_finish(flags)	local_irq_restore(flags)
#define pcp_spin_lock_maybe_irqsave(pcp, flags)		\
	spin_lock_irqsave(&(pcp)->lock, flags)
#define pcp_spin_unlock_maybe_irqrestore(pcp, flags)	\
	spin_unlock_irqrestore(&(pcp)->lock, flags)
#endif

/*
 * Lock the pcp of @zone of the CPU the task runs on, pinned first as
 * pcp_spin_trylock() pins it: the pcp, the counter deltas a refill or a
 * drain under it moves and the NUMA statistics are then one CPU's, which
 * @cpu returns. NULL when the pcp is contended.
 */
static struct pgm_per_cpu_pages *pcp_spin_trylock(struct pgm_zone *zone,
						  unsigned int *cpu)
{
	int over = READ_ONCE(zinst(zone)->cpu_override);
	struct pgm_per_cpu_pages *pcp;

	preempt_disable();
	/* pgm_this_cpu(), without its two loads on the way to the pcp */
	if (likely(over < 0))
		pcp = zone->pcp_of[raw_smp_processor_id()];
	else
		pcp = &zone->per_cpu_pageset[over];
	*cpu = pcp->cpu;
	if (spin_trylock(&pcp->lock))
		return pcp;
	preempt_enable();
	pgm_count_vm_events(zinst(zone), PGM_PCP_TRYLOCK_FAIL, 1);
	return NULL;
}

static void pcp_spin_unlock(struct pgm_per_cpu_pages *pcp)
{
	spin_unlock(&pcp->lock);
	preempt_enable();
}

static __always_inline void zone_statistics(struct pgm_instance *inst,
					    struct pgm_zone *preferred_zone,
					    struct pgm_zone *z,
					    long nr_account, unsigned int cpu)
{
	int local_nid = pgm_cpu_to_node(inst, cpu);
	enum pgm_numa_stat_item local_stat = PGM_NUMA_LOCAL;

	/* vm.numa_stat=0: upstream's vm_numa_stat_key is off */
	if (!READ_ONCE(inst->tun.numa_stat))
		return;

	if (pgm_zone_to_nid(z) != local_nid)
		local_stat = PGM_NUMA_OTHER;

	if (pgm_zone_to_nid(z) == pgm_zone_to_nid(preferred_zone)) {
		pgm_count_numa_events(z, PGM_NUMA_HIT, nr_account);
	} else {
		pgm_count_numa_events(z, PGM_NUMA_MISS, nr_account);
		pgm_count_numa_events(preferred_zone, PGM_NUMA_FOREIGN,
				      nr_account);
	}
	pgm_count_numa_events(z, local_stat, nr_account);
}

static void count_pgalloc(struct pgm_instance *inst, struct pgm_page *page,
			  unsigned int order)
{
	__pgm_count_vm_events(inst, PGM_PGALLOC_DMA + pgm_page_zonenum(page),
			      1 << order);
}

static __always_inline struct pgm_page *
rmqueue_pcplist(struct pgm_zone *preferred_zone, struct pgm_zone *zone,
		unsigned int order, int migratetype, unsigned int alloc_flags)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long __maybe_unused UP_flags;
	struct pgm_per_cpu_pages *pcp;
	struct pgm_list *list;
	struct pgm_page *page;
	unsigned int cpu;

	pcp_trylock_prepare(UP_flags);
	pcp = pcp_spin_trylock(zone, &cpu);
	if (!pcp) {
		pcp_trylock_finish(UP_flags);
		if (pgm_hooks(alloc_flags))
			pgm_explain(inst,
				    "rmqueue: pcp of CPU %u busy: the buddy lists",
				    cpu);
		return NULL;
	}

	/* Allocating: the next free should drain in smaller batches */
	pcp->free_count >>= 1;
	list = &pcp->lists[pgm_order_to_pindex(migratetype, order)];
	page = __rmqueue_pcplist(zone, order, migratetype, alloc_flags, pcp,
				 list);
	pcp_spin_unlock(pcp);
	pcp_trylock_finish(UP_flags);
	if (page) {
		count_pgalloc(inst, page, order);
		zone_statistics(inst, preferred_zone, zone, 1, cpu);
	}
	return page;
}

static int nr_pcp_free(struct pgm_per_cpu_pages *pcp, int batch, int high,
		       bool free_high)
{
	int min_nr_free, max_nr_free;

	/* Freeing high orders without allocating: free a lot, quickly */
	if (unlikely(free_high))
		return min(pcp->count, batch << PGM_PCP_BATCH_SCALE_MAX);

	/* Check for pcp disabled */
	if (unlikely(high < batch))
		return 1;

	min_nr_free = batch;
	max_nr_free = high - batch;

	/* Scale with consecutive frees, keeping at least a batch cached */
	return clamp_t(int, pcp->free_count, min_nr_free, max_nr_free);
}

static __always_inline int nr_pcp_high(struct pgm_per_cpu_pages *pcp,
				       struct pgm_zone *zone, int batch,
				       bool free_high)
{
	int high, high_min, high_max;

	high_min = READ_ONCE(pcp->high_min);
	high_max = READ_ONCE(pcp->high_max);
	pcp->high = clamp(pcp->high, high_min, high_max);
	high = pcp->high;

	if (unlikely(!high))
		return 0;

	if (unlikely(free_high)) {
		pcp->high = max(high - (batch << PGM_PCP_BATCH_SCALE_MAX),
				high_min);
		return 0;
	}

	/* Under reclaim, shrink high so that pages go back to the zone */
	if (test_bit(PGM_ZONE_RECLAIM_ACTIVE, &zone->flags)) {
		int free_count = max_t(int, pcp->free_count, batch);

		pcp->high = max(high - free_count, high_min);
		return min(batch << 2, pcp->high);
	}

	if (high_min == high_max)
		return high;

	if (test_bit(PGM_ZONE_BELOW_HIGH, &zone->flags)) {
		int free_count = max_t(int, pcp->free_count, batch);

		pcp->high = max(high - free_count, high_min);
		high = max(pcp->count, high_min);
	} else if (pcp->count >= high) {
		int need_high = pcp->free_count + batch;

		/* Freeing more than high can hold: grow it */
		if (pcp->high < need_high)
			pcp->high = clamp(need_high, high_min, high_max);
	}

	return high;
}

static __always_inline void free_unref_page_commit(struct pgm_zone *zone,
						   struct pgm_per_cpu_pages *pcp,
				   struct pgm_page *page, int migratetype,
				   unsigned int order)
{
	struct pgm_instance *inst = zinst(zone);
	bool free_high = false;
	int high, batch, pindex;

	/* Freeing: the next refill should be smaller */
	pcp->alloc_factor >>= 1;
	__pgm_count_vm_events(inst, PGM_PGFREE, 1 << order);
	pindex = pgm_order_to_pindex(migratetype, order);
	page->flags |= PGM_PG_PCP;
	page->private = order;
	pgm_list_add(inst->memmap, page, &pcp->lists[pindex]);
	pcp->count += 1 << order;

	batch = READ_ONCE(pcp->batch);
	/*
	 * Cached high orders fragment the zone: when they are freed in a row
	 * without allocations, free them back in bulk.
	 */
	if (order && order <= PGM_PAGE_ALLOC_COSTLY_ORDER) {
		free_high = (pcp->free_count >= batch &&
			     (pcp->flags & PGM_PCPF_PREV_FREE_HIGH_ORDER) &&
			     (!(pcp->flags & PGM_PCPF_FREE_HIGH_BATCH) ||
			      pcp->count >= batch));
		pcp->flags |= PGM_PCPF_PREV_FREE_HIGH_ORDER;
	} else if (pcp->flags & PGM_PCPF_PREV_FREE_HIGH_ORDER) {
		pcp->flags &= ~PGM_PCPF_PREV_FREE_HIGH_ORDER;
	}
	if (pcp->free_count < (batch << PGM_PCP_BATCH_SCALE_MAX))
		pcp->free_count += (1 << order);
	high = nr_pcp_high(pcp, zone, batch, free_high);
	if (pcp->count >= high) {
		pgm_free_pcppages_bulk(zone, nr_pcp_free(pcp, batch, high,
							 free_high),
				       pcp, pindex);
		if (test_bit(PGM_ZONE_BELOW_HIGH, &zone->flags) &&
		    pgm___zone_watermark_ok(zone, 0, pgm_high_wmark_pages(zone),
					    PGM_ZONE_MOVABLE, 0,
					  pgm_zone_page_state(zone,
							      PGM_NR_FREE_PAGES)))
			clear_bit(PGM_ZONE_BELOW_HIGH, &zone->flags);
	}
}

static __always_inline void free_unref_page(struct pgm_instance *inst,
					    struct pgm_page *page,
					    unsigned int order)
{
	unsigned long pfn = pgm_page_to_pfn(inst, page);
	struct pgm_zone *zone = pgm_page_zone(inst, page);
	unsigned long __maybe_unused UP_flags;
	struct pgm_per_cpu_pages *pcp;
	unsigned int cpu;
	int migratetype;

	/* Kept, not worked out again from the page after the pcp lock */
	OPTIMIZER_HIDE_VAR(zone);

	if (!pgm_pcp_allowed_order(inst, order) || !READ_ONCE(inst->tun.pcp)) {
		free_one_page(zone, page, pfn, order, false);
		return;
	}

	/*
	 * pcp lists hold the three pcp types only: highatomic and CMA pages
	 * are cached as movable, isolated ones go straight to the buddy.
	 */
	migratetype = pgm_get_pfnblock_migratetype(inst, pfn);
	if (unlikely(migratetype > PGM_MIGRATE_RECLAIMABLE)) {
		if (unlikely(pgm_is_migrate_isolate(migratetype))) {
			free_one_page(zone, page, pfn, order, false);
			return;
		}
		migratetype = PGM_MIGRATE_MOVABLE;
	}

	pcp_trylock_prepare(UP_flags);
	pcp = pcp_spin_trylock(zone, &cpu);
	if (pcp) {
		free_unref_page_commit(zone, pcp, page, migratetype, order);
		pcp_spin_unlock(pcp);
	} else {
		free_one_page(zone, page, pfn, order, false);
	}
	pcp_trylock_finish(UP_flags);
}

/**
 * pgm_decay_pcp_high - shrink a pcp's high back towards high_min
 * @zone: the zone
 * @cpu: the pcp CPU
 *
 * high loses an eighth each call, but never drops below count minus the
 * largest free batch nor below high_min; pages above the new high go back
 * to the buddy in batch-sized pieces.
 *
 * Return: true while there is more decaying or draining to do.
 */
bool pgm_decay_pcp_high(struct pgm_zone *zone, unsigned int cpu)
{
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
	int high_min, to_drain, batch;
	unsigned long UP_flags;
	bool todo = false;

	pcp_spin_lock_maybe_irqsave(pcp, UP_flags);
	high_min = READ_ONCE(pcp->high_min);
	batch = READ_ONCE(pcp->batch);
	if (pcp->high > high_min) {
		pcp->high = max3(pcp->count - (batch << PGM_PCP_BATCH_SCALE_MAX),
				 pcp->high - (pcp->high >> 3), high_min);
		if (pcp->high > high_min)
			todo = true;
	}

	to_drain = pcp->count - pcp->high;
	pcp_spin_unlock_maybe_irqrestore(pcp, UP_flags);
	/*
	 * Upstream's CPU does this itself: the counts are @cpu's. The lock
	 * is taken a batch at a time, as there, however far high fell.
	 */
	while (to_drain > 0) {
		int to_drain_batched = min(to_drain, batch);

		pcp_spin_lock_maybe_irqsave(pcp, UP_flags);
		__free_pcppages_bulk(zone, to_drain_batched, pcp, 0, cpu);
		pcp_spin_unlock_maybe_irqrestore(pcp, UP_flags);
		todo = true;
		to_drain -= to_drain_batched;
	}

	return todo;
}

/*
 * The NUMA part of refresh_cpu_vm_stats(): a CPU whose fold found a diff
 * of the zone's counters (@armed) arms its pcp there for three refreshes;
 * a pcp of a remote zone still holding pages when they run out gives a
 * batch back (drain_zone_pages()), which changes the counters and arms it
 * again, so pages do not sit on another node's CPU for good. Local pcps
 * are never drained.
 */
static bool pgm_expire_remote_pcp(struct pgm_zone *zone, unsigned int cpu,
				  bool armed)
{
	struct pgm_instance *inst = zinst(zone);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
	unsigned long UP_flags;
	bool changed = false;

	pcp_spin_lock_maybe_irqsave(pcp, UP_flags);
	if (armed)
		pcp->expire = 3;
	if (!pcp->expire || !pcp->count)
		goto out;
	if (pgm_zone_to_nid(zone) == pgm_cpu_to_node(inst, cpu)) {
		pcp->expire = 0;
		goto out;
	}
	changed = true;
	if (--pcp->expire)
		goto out;
	__free_pcppages_bulk(zone, min(pcp->count, pcp->batch), pcp, 0, cpu);
out:
	pcp_spin_unlock_maybe_irqrestore(pcp, UP_flags);
	return changed;
}

/*
 * refresh_cpu_vm_stats(true) of pcp CPU @cpu. Return: whether it changed
 * anything: a fold whose sum over the zones or nodes is not 0
 * (fold_diff()), a decay or drain, or an expiry still counting down.
 */
static bool refresh_one_cpu(struct pgm_instance *inst, unsigned int cpu)
{
	int global[PGM_NR_VM_ZONE_STAT_ITEMS] = { 0 };
	int lru_global[PGM_NR_ZONE_LRU_ITEMS] = { 0 };
	int node_global[PGM_NR_VM_NODE_STAT_ITEMS] = { 0 };
	struct pgm_zone *zone;
	bool changed = false;
	unsigned int nid;

	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone)) {
		bool armed;

		if (!pgm_populated_zone(zone))
			continue;
		/* Fold first, as upstream: a diff left since arms the expiry */
		armed = pgm_fold_zone_stat_diffs(zone, cpu, global);
		if (pgm_fold_zone_lru_diffs(zone, cpu, lru_global))
			armed = true;
		if (pgm_decay_pcp_high(zone, cpu))
			changed = true;
		if (pgm_expire_remote_pcp(zone, cpu, armed))
			changed = true;
	}
	for (nid = 0; nid < inst->nr_nodes; nid++)
		pgm_fold_node_stat_diffs(&inst->node_data[nid], cpu,
					 node_global);
	return changed || memchr_inv(global, 0, sizeof(global)) ||
	       memchr_inv(lru_global, 0, sizeof(lru_global)) ||
	       memchr_inv(node_global, 0, sizeof(node_global));
}

/**
 * pgm_refresh_cpu_vm_stats - the pcp part of vmstat's refresh, every CPU
 * @inst: the instance
 *
 * What vmstat_refresh() does: refresh_cpu_vm_stats() on each CPU, without
 * touching which CPUs' periodic workers run (pgm_vmstat_tick()).
 *
 * Return: the number of pcp CPUs whose refresh changed something.
 */
int pgm_refresh_cpu_vm_stats(struct pgm_instance *inst)
{
	unsigned int cpu;
	int changes = 0;

	for (cpu = 0; cpu < inst->nr_cpus; cpu++)
		changes += refresh_one_cpu(inst, cpu);
	return changes;
}

/*
 * need_update(): does @cpu hold a delta of any zone's or node's counters?
 * Read racily, as upstream.
 */
static bool need_update(struct pgm_instance *inst, unsigned int cpu)
{
	struct pgm_zone *zone;
	unsigned int nid;

	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone))
		if (pgm_populated_zone(zone) &&
		    (memchr_inv(zone->vm_stat_diff[cpu], 0,
				sizeof(zone->vm_stat_diff[cpu])) ||
		     memchr_inv(zone->lru_stat_diff[cpu], 0,
				sizeof(zone->lru_stat_diff[cpu]))))
			return true;
	for (nid = 0; nid < inst->nr_nodes; nid++)
		if (memchr_inv(inst->node_data[nid].vm_node_stat_diff[cpu], 0,
			       sizeof(inst->node_data[nid].vm_node_stat_diff[cpu])))
			return true;
	return false;
}

/**
 * pgm_vmstat_tick - a second of upstream's vmstat workers and shepherd
 * @inst: the instance
 *
 * A pcp CPU whose last refresh changed something refreshes again, as its
 * vmstat_update() queues itself again; any other only when it holds a
 * counter delta, as vmstat_shepherd() queues a quiet CPU's worker. A quiet
 * CPU's pcp high therefore stays where the last refill raised it until
 * that CPU next leaves a delta.
 */
void pgm_vmstat_tick(struct pgm_instance *inst)
{
	unsigned int cpu;

	for (cpu = 0; cpu < inst->nr_cpus; cpu++) {
		if (test_bit(cpu, inst->vmstat_idle) && !need_update(inst, cpu))
			continue;
		assign_bit(cpu, inst->vmstat_idle, !refresh_one_cpu(inst, cpu));
	}
}

/**
 * pgm_drain_pages_zone - empty one pcp CPU's lists of one zone
 * @zone: the zone
 * @cpu: the pcp CPU
 */
void pgm_drain_pages_zone(struct pgm_zone *zone, unsigned int cpu)
{
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
	unsigned long UP_flags;
	int count;

	do {
		pcp_spin_lock_maybe_irqsave(pcp, UP_flags);
		count = pcp->count;
		if (count) {
			int to_drain = min(count,
					   pcp->batch << PGM_PCP_BATCH_SCALE_MAX);

			pgm_free_pcppages_bulk(zone, to_drain, pcp, 0);
			count -= to_drain;
		}
		pcp_spin_unlock_maybe_irqrestore(pcp, UP_flags);
	} while (count);
}

static void drain_all_locked(struct pgm_instance *inst, struct pgm_zone *zone)
{
	struct pgm_zone *z;
	unsigned int cpu;

	lockdep_assert_held(&inst->pcpu_drain_mutex);
	for (cpu = 0; cpu < inst->nr_cpus; cpu++) {
		if (zone) {
			pgm_drain_pages_zone(zone, cpu);
			continue;
		}
		for (z = pgm_first_zone(inst); z; z = pgm_next_zone(inst, z))
			if (pgm_populated_zone(z))
				pgm_drain_pages_zone(z, cpu);
	}
}

/**
 * pgm_drain_all_pages - empty the pcp lists of every CPU
 * @inst: the instance
 * @zone: only this zone, or NULL for all
 *
 * One drain at a time, as upstream's pcpu_drain_mutex: a drain of every
 * zone that finds another under way leaves the work to it and returns at
 * once, having drained nothing; a drain of one zone waits its turn.
 */
void pgm_drain_all_pages(struct pgm_instance *inst, struct pgm_zone *zone)
{
	if (!mutex_trylock(&inst->pcpu_drain_mutex)) {
		if (!zone)
			return;
		mutex_lock(&inst->pcpu_drain_mutex);
	}
	drain_all_locked(inst, zone);
	mutex_unlock(&inst->pcpu_drain_mutex);
}

/**
 * pgm_drain_all_pages_wait - empty every zone's pcp lists, now
 * @inst: the instance
 *
 * For pgmirror's own callers that must find the lists empty on return
 * (the drain command, a pcp policy turned off, the bench): it waits for a
 * drain under way rather than leaving the work to it.
 */
void pgm_drain_all_pages_wait(struct pgm_instance *inst)
{
	mutex_lock(&inst->pcpu_drain_mutex);
	drain_all_locked(inst, NULL);
	mutex_unlock(&inst->pcpu_drain_mutex);
}

/* ==================== rmqueue ==================== */

/*
 * Out of line: rmqueue() is inlined in the allocation's entry, and the buddy
 * path there would take the pcp hit's registers.
 */
static noinline struct pgm_page *
rmqueue_buddy(struct pgm_zone *preferred_zone, struct pgm_zone *zone,
	      unsigned int order, unsigned int alloc_flags, int migratetype)
{
	struct pgm_instance *inst = zinst(zone);
	struct pgm_page *page = NULL;
	unsigned long flags;

	if (pgm_hooks(alloc_flags))
		pgm_explain(inst,
			    "%s: order %u from the buddy lists under the zone lock",
			    __func__, order);
	spin_lock_irqsave(&zone->lock, flags);
	if (alloc_flags & PGM_ALLOC_HIGHATOMIC) {
		page = pgm___rmqueue_smallest(zone, order,
					      PGM_MIGRATE_HIGHATOMIC);
		if (page)
			pgm_explain(inst, "  HIGHATOMIC: pfn %lu from the highatomic reserve",
				    pgm_page_to_pfn(inst, page));
	}
	if (!page) {
		page = rmqueue_out(zone, order, migratetype, alloc_flags);
		/*
		 * Failing an OOM or atomic order-0 allocation now is worse
		 * than failing a high-order atomic one later.
		 */
		if (!page && (alloc_flags & (PGM_ALLOC_OOM |
					     PGM_ALLOC_NON_BLOCK))) {
			page = pgm___rmqueue_smallest(zone, order,
						      PGM_MIGRATE_HIGHATOMIC);
			if (page)
				pgm_explain(inst,
					    "  OOM or NON_BLOCK: pfn %lu from the highatomic reserve",
					    pgm_page_to_pfn(inst, page));
		}
		if (!page) {
			spin_unlock_irqrestore(&zone->lock, flags);
			return NULL;
		}
	}
	spin_unlock_irqrestore(&zone->lock, flags);

	count_pgalloc(inst, page, order);
	/* numa_node_id(): the CPU the task runs on now */
	zone_statistics(inst, preferred_zone, zone, 1, pgm_this_cpu(inst));
	return page;
}

static __always_inline struct pgm_page *
rmqueue(struct pgm_zone *preferred_zone, struct pgm_zone *zone,
	unsigned int order, gfp_t gfp_flags, unsigned int alloc_flags,
	int migratetype)
{
	struct pgm_page *page;

	if (likely(pgm_pcp_allowed_order(zinst(zone), order) &&
		   READ_ONCE(zinst(zone)->tun.pcp))) {
		page = rmqueue_pcplist(preferred_zone, zone, order,
				       migratetype, alloc_flags);
		if (likely(page))
			goto out;
	}

	page = rmqueue_buddy(preferred_zone, zone, order, alloc_flags,
			     migratetype);
out:
	/* A boosted zone wants kswapd to reclaim the boost back, pcp hit or not */
	if ((alloc_flags & PGM_ALLOC_KSWAPD) &&
	    unlikely(test_bit(PGM_ZONE_BOOSTED_WATERMARK, &zone->flags))) {
		clear_bit(PGM_ZONE_BOOSTED_WATERMARK, &zone->flags);
		pgm_wakeup_kswapd(zone, 0, 0, zone->idx);
	}

	return page;
}

/* ==================== watermarks ==================== */

/* Free pages this request may not count towards the watermark */
static inline long __zone_watermark_unusable_free(struct pgm_zone *z,
						  unsigned int order,
						  unsigned int alloc_flags)
{
	long unusable_free = (1 << order) - 1;

	/* Free highatomic pages are usable only with reserve flags */
	if (likely(!(alloc_flags & PGM_ALLOC_RESERVES)))
		unusable_free += READ_ONCE(z->nr_free_highatomic);

	if (!(alloc_flags & PGM_ALLOC_CMA))
		unusable_free += pgm_zone_page_state(z, PGM_NR_FREE_CMA_PAGES);

	return unusable_free;
}

/* The mark after the reserve flags lowered it */
static __always_inline long __zone_watermark_min(unsigned long mark,
						 unsigned int alloc_flags)
{
	long min = mark;

	if (unlikely(alloc_flags & PGM_ALLOC_RESERVES)) {
		/* __GFP_HIGH and atomic requests may dip into the reserve */
		if (alloc_flags & PGM_ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & PGM_ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		/* An OOM victim may go further still */
		if (alloc_flags & PGM_ALLOC_OOM)
			min -= min / 2;
	}
	return min;
}

/* A high-order request also needs a free block of that order it may use */
static __always_inline bool zone_usable_block(struct pgm_zone *z,
					      unsigned int order,
					      unsigned int alloc_flags)
{
	int o;

	for (o = order; o < PGM_NR_PAGE_ORDERS; o++) {
		struct pgm_free_area *area = &z->free_area[o];
		int mt;

		if (!READ_ONCE(area->nr_free))
			continue;

		for (mt = 0; mt < PGM_MIGRATE_PCPTYPES; mt++) {
			if (!pgm_free_area_empty(area, mt))
				return true;
		}

		if ((alloc_flags & PGM_ALLOC_CMA) &&
		    !pgm_free_area_empty(area, PGM_MIGRATE_CMA))
			return true;

		if ((alloc_flags & (PGM_ALLOC_HIGHATOMIC | PGM_ALLOC_OOM)) &&
		    !pgm_free_area_empty(area, PGM_MIGRATE_HIGHATOMIC))
			return true;
	}
	return false;
}

/**
 * pgm___zone_watermark_ok - __zone_watermark_ok()
 * @z: the zone
 * @order: the order requested
 * @mark: the watermark in pages
 * @highest_zoneidx: the highest zone the request may use
 * @alloc_flags: PGM_ALLOC_* flags
 * @free_pages: free pages of the zone
 *
 * Passes when the free pages left after this request stay above @mark
 * plus the lowmem reserve, with the reserve flags lowering @mark, and for
 * order > 0 when a block of at least @order is free on a usable list.
 *
 * Return: true if the allocation may proceed.
 */
bool pgm___zone_watermark_ok(struct pgm_zone *z, unsigned int order,
			     unsigned long mark, int highest_zoneidx,
			   unsigned int alloc_flags, long free_pages)
{
	/* free_pages may go negative, which is fine */
	free_pages -= __zone_watermark_unusable_free(z, order, alloc_flags);

	if (free_pages <= __zone_watermark_min(mark, alloc_flags) +
			  z->lowmem_reserve[highest_zoneidx])
		return false;

	if (!order)
		return true;

	return zone_usable_block(z, order, alloc_flags);
}

/**
 * pgm_zone_watermark_fast - zone_watermark_fast()
 * @z: the zone
 * @order: the order requested
 * @mark: the watermark in pages
 * @highest_zoneidx: the highest zone the request may use
 * @alloc_flags: PGM_ALLOC_* flags
 * @gfp_mask: the request's gfp mask
 *
 * Order-0 requests are decided from the free count alone when that
 * clearly passes; __GFP_HIGH order-0 requests ignore the boost.
 *
 * Return: true if the allocation may proceed.
 */
__always_inline bool pgm_zone_watermark_fast(struct pgm_zone *z,
					     unsigned int order,
					     unsigned long mark,
					     int highest_zoneidx,
					     unsigned int alloc_flags,
					     gfp_t gfp_mask)
{
	long free_pages = pgm_zone_page_state(z, PGM_NR_FREE_PAGES);

	if (!order) {
		long usable_free = free_pages;
		long reserved = __zone_watermark_unusable_free(z, 0,
							       alloc_flags);

		/* reserved may exceed free pages when CMA is not usable */
		usable_free -= min(usable_free, reserved);
		if (usable_free > mark + z->lowmem_reserve[highest_zoneidx])
			return true;
	}

	if (pgm___zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				    free_pages))
		return true;

	/* Ignore the boost for __GFP_HIGH order-0 requests at min */
	if (unlikely(!order && (alloc_flags & PGM_ALLOC_MIN_RESERVE) &&
		     z->watermark_boost &&
		     ((alloc_flags & PGM_ALLOC_WMARK_MASK) == PGM_WMARK_MIN))) {
		mark = z->_watermark[PGM_WMARK_MIN];
		return pgm___zone_watermark_ok(z, order, mark, highest_zoneidx,
					     alloc_flags, free_pages);
	}

	return false;
}

/* ==================== watermark and pcp sizing ==================== */

/**
 * pgm_totalram_pages() - totalram_pages() of an instance
 * @inst: the instance
 *
 * Return: the managed pages of all its zones, what the OOM killer
 * weighs footprints against and hugepage_init() sizes the machine by.
 */
unsigned long pgm_totalram_pages(struct pgm_instance *inst)
{
	unsigned long total = 0;
	struct pgm_zone *zone;

	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone))
		total += pgm_zone_managed_pages(zone);
	return total;
}

/**
 * pgm_nr_free_buffer_pages() - nr_free_buffer_pages() of an instance
 * @inst: the instance
 *
 * Return: the pages above high in the zones GFP_USER may use, along node
 * 0's zonelist.
 */
unsigned long pgm_nr_free_buffer_pages(struct pgm_instance *inst)
{
	struct pgm_zonelist *zl;
	struct pgm_zoneref *z;
	struct pgm_zone *zone;
	unsigned long sum = 0;

	zl = &inst->node_data[0].node_zonelists[PGM_ZONELIST_FALLBACK];
	for (z = pgm_next_zones_zonelist(zl->_zonerefs, PGM_ZONE_NORMAL, NULL);
	     (zone = z->zone);
	     z = pgm_next_zones_zonelist(z + 1, PGM_ZONE_NORMAL, NULL)) {
		unsigned long size = pgm_zone_managed_pages(zone);
		unsigned long high = pgm_high_wmark_pages(zone);

		if (size > high)
			sum += size - high;
	}

	return sum;
}

/**
 * pgm_calculate_min_free_kbytes - derive min_free_kbytes from the memory size
 * @inst: the instance; tunables_lock is held
 *
 * sqrt(lowmem_kbytes * 16), clamped to 128..262144, unless the user set a
 * larger value.
 */
void pgm_calculate_min_free_kbytes(struct pgm_instance *inst)
{
	unsigned long lowmem_kbytes;
	int new_min_free_kbytes;

	lowmem_kbytes = pgm_nr_free_buffer_pages(inst) * (PAGE_SIZE >> 10);
	new_min_free_kbytes = int_sqrt(lowmem_kbytes * 16);

	if (new_min_free_kbytes > inst->tun.user_min_free_kbytes)
		inst->tun.min_free_kbytes = clamp(new_min_free_kbytes,
						  PGM_MIN_FREE_KBYTES_LO,
						  PGM_MIN_FREE_KBYTES_HI);
}

static void calculate_totalreserve_pages(struct pgm_instance *inst)
{
	struct pgm_pglist_data *pgdat;
	unsigned long reserve_pages = 0;
	int i, j;

	for (pgdat = inst->node_data;
	     pgdat < inst->node_data + inst->nr_nodes; pgdat++) {
		pgdat->totalreserve_pages = 0;

		for (i = 0; i < PGM_MAX_NR_ZONES; i++) {
			struct pgm_zone *zone = pgdat->node_zones + i;
			unsigned long managed_pages = pgm_zone_managed_pages(zone);
			long max = 0;

			/* The largest reserve the zone keeps for a higher one */
			for (j = i; j < PGM_MAX_NR_ZONES; j++) {
				if (zone->lowmem_reserve[j] > max)
					max = zone->lowmem_reserve[j];
			}

			max += pgm_high_wmark_pages(zone);
			if (max > managed_pages)
				max = managed_pages;

			pgdat->totalreserve_pages += max;
			reserve_pages += max;
		}
	}
	inst->totalreserve_pages = reserve_pages;
}

/**
 * pgm_setup_per_zone_lowmem_reserve - lowmem_reserve from the ratios
 * @inst: the instance; tunables_lock is held
 *
 * A lower zone keeps, against a request that could have used a higher
 * zone, the managed pages of the zones above it divided by its ratio.
 */
void pgm_setup_per_zone_lowmem_reserve(struct pgm_instance *inst)
{
	struct pgm_pglist_data *pgdat;
	int i, j;

	for (pgdat = inst->node_data;
	     pgdat < inst->node_data + inst->nr_nodes; pgdat++) {
		for (i = 0; i < PGM_MAX_NR_ZONES - 1; i++) {
			struct pgm_zone *zone = &pgdat->node_zones[i];
			int ratio = inst->tun.lowmem_reserve_ratio[i];
			bool clear = !ratio || !pgm_zone_managed_pages(zone);
			unsigned long managed_pages = 0;

			for (j = i + 1; j < PGM_MAX_NR_ZONES; j++) {
				struct pgm_zone *upper = &pgdat->node_zones[j];

				managed_pages += pgm_zone_managed_pages(upper);
				if (clear)
					zone->lowmem_reserve[j] = 0;
				else
					zone->lowmem_reserve[j] =
						managed_pages / ratio;
			}
		}
	}

	calculate_totalreserve_pages(inst);
}

/**
 * pgm_zone_set_wmarks - set one zone's watermarks from the node-wide sums
 * @zone: the zone
 * @pages_min: min_free_kbytes in pages
 * @lowmem_pages: the managed pages of every zone but Movable, all nodes
 *
 * Split out so that the differential harness can hand in the host's
 * sums, which cover nodes an instance does not hold.
 */
void pgm_zone_set_wmarks(struct pgm_zone *zone, unsigned long pages_min,
			 unsigned long lowmem_pages)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long flags;
	u64 tmp = 0;

	spin_lock_irqsave(&zone->lock, flags);
	/* min is shared out in proportion to each lowmem zone's size */
	if (lowmem_pages) {
		tmp = (u64)pages_min * pgm_zone_managed_pages(zone);
		tmp = div64_ul(tmp, lowmem_pages);
	}
	if (zone->idx == PGM_ZONE_MOVABLE) {
		unsigned long min_pages;

		/* Movable pages cannot serve atomic requests: keep little */
		min_pages = pgm_zone_managed_pages(zone) / 1024;
		min_pages = clamp(min_pages, PGM_SWAP_CLUSTER_MAX, 128UL);
		zone->_watermark[PGM_WMARK_MIN] = min_pages;
	} else {
		zone->_watermark[PGM_WMARK_MIN] = tmp;
	}

	/* The gaps are a quarter of min or scale_factor of the zone */
	tmp = max_t(u64, tmp >> 2,
		    mult_frac(pgm_zone_managed_pages(zone),
			      (unsigned long)inst->tun.watermark_scale_factor,
			      10000));

	zone->watermark_boost = 0;
	zone->_watermark[PGM_WMARK_LOW] = pgm_min_wmark_pages(zone) + tmp;
	zone->_watermark[PGM_WMARK_HIGH] = pgm_low_wmark_pages(zone) + tmp;
	zone->_watermark[PGM_WMARK_PROMO] = pgm_high_wmark_pages(zone) + tmp;

	spin_unlock_irqrestore(&zone->lock, flags);
}

static void __setup_per_zone_wmarks(struct pgm_instance *inst)
{
	unsigned long pages_min = inst->tun.min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct pgm_zone *zone;

	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone)) {
		if (zone->idx != PGM_ZONE_MOVABLE)
			lowmem_pages += pgm_zone_managed_pages(zone);
	}

	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone))
		pgm_zone_set_wmarks(zone, pages_min, lowmem_pages);

	calculate_totalreserve_pages(inst);
}

/**
 * pgm_setup_per_zone_wmarks - recompute watermarks and the pcp sizes
 * @inst: the instance; tunables_lock is held
 */
void pgm_setup_per_zone_wmarks(struct pgm_instance *inst)
{
	struct pgm_zone *zone;

	lockdep_assert_held(&inst->tunables_lock);
	__setup_per_zone_wmarks(inst);

	/* pcp high follows the low watermark */
	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone))
		pgm_zone_pcp_update(zone);
}

/**
 * pgm_zone_batchsize - the pcp batch of a zone
 * @zone: the zone
 *
 * About 0.1% of the zone or 1 MiB, whichever is smaller, divided by four
 * and rounded to 2^n - 1 so that batches do not alias cache colours.
 *
 * Return: the batch; 0 below 4096 managed pages, which callers raise to 1.
 */
int pgm_zone_batchsize(struct pgm_zone *zone)
{
	int batch;

	batch = min(pgm_zone_managed_pages(zone) >> 10, SZ_1M / PAGE_SIZE);
	batch /= 4;
	if (batch < 1)
		batch = 1;

	return rounddown_pow_of_two(batch + batch / 2) - 1;
}

/**
 * pgm_zone_highsize - the pcp high of a zone
 * @zone: the zone
 * @batch: its batch
 * @cpu_online: CPUs being brought up (0 here)
 * @high_fraction: percpu_pagelist_high_fraction, 0 for the default
 *
 * The low watermark (or managed/fraction) split over the node's CPUs, and
 * at least four batches.
 *
 * Return: the high mark.
 */
int pgm_zone_highsize(struct pgm_zone *zone, int batch, int cpu_online,
		      int high_fraction)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long total_pages;
	int nr_split_cpus, high;

	if (!high_fraction)
		total_pages = pgm_low_wmark_pages(zone);
	else
		total_pages = pgm_zone_managed_pages(zone) / high_fraction;

	nr_split_cpus = pgm_node_nr_cpus(inst, pgm_zone_to_nid(zone)) +
			cpu_online;
	if (!nr_split_cpus)
		nr_split_cpus = inst->nr_cpus;
	high = total_pages / nr_split_cpus;

	return max(high, batch << 2);
}

/**
 * pgm_zone_pcp_update - resize the zone's pcp batch and high bounds
 * @zone: the zone
 */
void pgm_zone_pcp_update(struct pgm_zone *zone)
{
	struct pgm_instance *inst = zinst(zone);
	int fraction = inst->tun.percpu_pagelist_high_fraction;
	int new_high_min, new_high_max, new_batch;
	unsigned int cpu;
	int fixed_batch = READ_ONCE(inst->tun.pcp_batch);
	int fixed_high = READ_ONCE(inst->tun.pcp_high);

	new_batch = max(1, pgm_zone_batchsize(zone));
	if (fixed_batch)
		new_batch = fixed_batch;
	if (fixed_high) {
		/* A fixed high, like a manual fraction, stops auto-tuning */
		new_high_min = fixed_high;
		new_high_max = fixed_high;
	} else if (fraction) {
		new_high_min = pgm_zone_highsize(zone, new_batch, 0, fraction);
		/* A manual fraction turns auto-tuning off */
		new_high_max = new_high_min;
	} else {
		new_high_min = pgm_zone_highsize(zone, new_batch, 0, 0);
		new_high_max =
			pgm_zone_highsize(zone, new_batch, 0,
					  PGM_MIN_PERCPU_PAGELIST_HIGH_FRACTION);
	}

	if (zone->pageset_high_min == new_high_min &&
	    zone->pageset_high_max == new_high_max &&
	    zone->pageset_batch == new_batch)
		return;

	zone->pageset_high_min = new_high_min;
	zone->pageset_high_max = new_high_max;
	zone->pageset_batch = new_batch;

	for (cpu = 0; cpu < inst->nr_cpus; cpu++) {
		struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		WRITE_ONCE(pcp->batch, new_batch);
		WRITE_ONCE(pcp->high_min, new_high_min);
		WRITE_ONCE(pcp->high_max, new_high_max);
	}
}

/* ==================== zonelists ==================== */

/**
 * __pgm_next_zones_zonelist - pgm_next_zones_zonelist()'s walk
 * @z: where to start
 * @highest_zoneidx: the highest zone index usable
 * @nodes: allowed nodes, or NULL
 *
 * Return: the zoneref; its zone is NULL at the end of the list.
 */
struct pgm_zoneref *__pgm_next_zones_zonelist(struct pgm_zoneref *z,
					      enum pgm_zone_type highest_zoneidx,
					      const struct pgm_nodemask *nodes)
{
	while (z->zone &&
	       (z->zone_idx > highest_zoneidx ||
		(nodes && !test_bit(pgm_zone_to_nid(z->zone), nodes->bits))))
		z++;
	return z;
}

/* Nearest unused node first; ties go to the least loaded node. */
static int find_next_best_node(struct pgm_instance *inst, int node,
			       unsigned long *used, int *node_load)
{
	int n, val, min_val = INT_MAX, best_node = -1;

	if (!test_bit(node, used)) {
		__set_bit(node, used);
		return node;
	}

	for (n = 0; n < inst->nr_nodes; n++) {
		if (test_bit(n, used))
			continue;

		val = inst->distance[node][n];
		/* Prefer the next node over the previous ones */
		val += (n < node);
		/* Prefer nodes without CPUs: nobody else allocates there */
		if (pgm_node_nr_cpus(inst, n))
			val += PGM_PENALTY_FOR_NODE_WITH_CPUS;
		val *= PGM_NODE_LOAD_SCALE;
		val += node_load[n];

		if (val < min_val) {
			min_val = val;
			best_node = n;
		}
	}

	if (best_node >= 0)
		__set_bit(best_node, used);
	return best_node;
}

static int build_zonerefs_node(struct pgm_pglist_data *pgdat,
			       struct pgm_zoneref *zonerefs)
{
	int zone_type = PGM_MAX_NR_ZONES;
	int nr_zones = 0;

	/* Highest zone first: lower zones are the more precious */
	do {
		struct pgm_zone *zone;

		zone_type--;
		zone = pgdat->node_zones + zone_type;
		if (pgm_populated_zone(zone)) {
			zonerefs[nr_zones].zone = zone;
			zonerefs[nr_zones].zone_idx = zone_type;
			nr_zones++;
		}
	} while (zone_type);

	return nr_zones;
}

/**
 * pgm_build_all_zonelists - build every node's fallback and thisnode lists
 * @inst: the instance
 *
 * Nodes are ordered by distance; the first node of each new distance
 * group gets a load penalty so that equal-distance nodes take turns.
 */
void pgm_build_all_zonelists(struct pgm_instance *inst)
{
	int node_load[PGM_MAX_NUMNODES] = { 0 };
	struct pgm_pglist_data *pgdat;

	for (pgdat = inst->node_data;
	     pgdat < inst->node_data + inst->nr_nodes; pgdat++) {
		int node_order[PGM_MAX_NUMNODES];
		DECLARE_BITMAP(used, PGM_MAX_NUMNODES);
		int local = pgdat->node_id, prev = local;
		int node, nr_nodes = 0, i, n;
		struct pgm_zoneref *zonerefs;

		bitmap_zero(used, PGM_MAX_NUMNODES);
		while ((node = find_next_best_node(inst, local, used,
						   node_load)) >= 0) {
			if (inst->distance[local][node] !=
			    inst->distance[local][prev])
				node_load[node] += 1;
			node_order[nr_nodes++] = node;
			prev = node;
		}

		zonerefs = pgdat->node_zonelists[PGM_ZONELIST_FALLBACK]._zonerefs;
		for (i = 0; i < nr_nodes; i++) {
			n = build_zonerefs_node(&inst->node_data[node_order[i]],
						zonerefs);
			zonerefs += n;
		}
		zonerefs->zone = NULL;
		zonerefs->zone_idx = 0;

		zonerefs = pgdat->node_zonelists[PGM_ZONELIST_NOFALLBACK]._zonerefs;
		n = build_zonerefs_node(pgdat, zonerefs);
		zonerefs[n].zone = NULL;
		zonerefs[n].zone_idx = 0;
	}
}

/* ==================== the allocation context ==================== */

/**
 * pgm_gfp_to_alloc_flags - the slow path's alloc flags for a gfp mask
 * @inst: the instance, whose mobility grouping decides ALLOC_CMA
 * @gfp: the gfp mask
 * @order: the order
 *
 * Return: PGM_ALLOC_* flags: the min watermark, plus reserve access for
 * __GFP_HIGH and for requests that cannot reclaim.
 */
unsigned int pgm_gfp_to_alloc_flags(const struct pgm_instance *inst, gfp_t gfp,
				    unsigned int order)
{
	unsigned int alloc_flags = PGM_ALLOC_WMARK_MIN | PGM_ALLOC_CPUSET;

	if (gfp & __GFP_HIGH)
		alloc_flags |= PGM_ALLOC_MIN_RESERVE;
	if (gfp & __GFP_KSWAPD_RECLAIM)
		alloc_flags |= PGM_ALLOC_KSWAPD;

	if (!(gfp & __GFP_DIRECT_RECLAIM)) {
		/* __GFP_NOMEMALLOC: not worth trying harder */
		if (!(gfp & __GFP_NOMEMALLOC)) {
			alloc_flags |= PGM_ALLOC_NON_BLOCK;
			/* Only __GFP_HIGH high-order requests earn the reserve */
			if (order > 0 && (alloc_flags & PGM_ALLOC_MIN_RESERVE))
				alloc_flags |= PGM_ALLOC_HIGHATOMIC;
		}
		/* GFP_ATOMIC ignores cpuset mems rather than fail */
		if (alloc_flags & PGM_ALLOC_MIN_RESERVE)
			alloc_flags &= ~PGM_ALLOC_CPUSET;
	}

	if (pgm_inst_gfp_migratetype(inst, gfp) == PGM_MIGRATE_MOVABLE)
		alloc_flags |= PGM_ALLOC_CMA;

	return alloc_flags;
}

/**
 * pgm_alloc_flags_nofragment - ALLOC_NOFRAGMENT for the first pass
 * @inst: the instance
 * @zone: the preferred zone
 * @gfp: the gfp mask
 *
 * A NORMAL-zone request first refuses to fall back into foreign pageblocks
 * while a lower zone (DMA32) of the node may still serve it.
 *
 * Return: PGM_ALLOC_KSWAPD and PGM_ALLOC_NOFRAGMENT as they apply.
 */
unsigned int pgm_alloc_flags_nofragment(struct pgm_instance *inst,
					struct pgm_zone *zone, gfp_t gfp)
{
	unsigned int alloc_flags = 0;

	if (gfp & __GFP_KSWAPD_RECLAIM)
		alloc_flags |= PGM_ALLOC_KSWAPD;

	if (!zone || !READ_ONCE(inst->tun.alloc_nofragment))
		return alloc_flags;
	if (zone->idx != PGM_ZONE_NORMAL)
		return alloc_flags;
	/* With several nodes, an empty DMA32 means go straight to NORMAL */
	if (inst->nr_nodes > 1 && !pgm_populated_zone(zone - 1))
		return alloc_flags;

	return alloc_flags | PGM_ALLOC_NOFRAGMENT;
}

/**
 * pgm_prepare_alloc_pages - fill the allocation context
 * @inst: the instance
 * @gfp: the gfp mask
 * @order: the order
 * @preferred_nid: the node to start from
 * @nodemask: allowed nodes, or NULL
 * @ac: the context to fill; every field is set when this returns true, so
 *	callers need not clear it first
 * @alloc_flags: in/out PGM_ALLOC_* flags
 *
 * Return: false when the request cannot be served at all.
 */
__always_inline bool pgm_prepare_alloc_pages(struct pgm_instance *inst,
					     gfp_t gfp, unsigned int order,
					     int preferred_nid,
					     const struct pgm_nodemask *nodemask,
					     struct pgm_alloc_context *ac,
					     unsigned int *alloc_flags)
{
	int zoneidx = pgm_gfp_zone(gfp);
	int mt = pgm_gfp_migratetype(gfp);
	int list;

	if (zoneidx < 0 || mt < 0 || order > PGM_MAX_PAGE_ORDER ||
	    preferred_nid < 0 || preferred_nid >= inst->nr_nodes)
		return false;

	list = (gfp & __GFP_THISNODE) ? PGM_ZONELIST_NOFALLBACK :
					PGM_ZONELIST_FALLBACK;
	ac->inst = inst;
	ac->highest_zoneidx = zoneidx;
	ac->zonelist = &inst->node_data[preferred_nid].node_zonelists[list];
	ac->nodemask = nodemask;
	ac->cpuset_mems = NULL;
	ac->owner = NULL;
	/* page_group_by_mobility_disabled: one type for everything */
	if (!READ_ONCE(inst->tun.group_by_mobility))
		mt = PGM_MIGRATE_UNMOVABLE;
	ac->migratetype = mt;

	if (pgm_should_fail_alloc_page(inst, gfp, order))
		return false;

	if (mt == PGM_MIGRATE_MOVABLE)
		*alloc_flags |= PGM_ALLOC_CMA;

	/* Dirty balancing is only done in the fast path */
	ac->spread_dirty_pages = gfp & __GFP_WRITE;

	ac->preferred_zoneref = pgm_next_zones_zonelist(ac->zonelist->_zonerefs,
							ac->highest_zoneidx,
							ac->nodemask);
	return true;
}

/*
 * check_poison_mem(): every byte of a free page must still be PAGE_POISON.
 * A corrupted page is reported with its first bad offset and counted, and
 * handed out all the same, as upstream does.
 */
static void pgm_unpoison_page(struct pgm_instance *inst, struct pgm_page *page)
{
	const u8 *addr = pgm_page_address(inst, page), *bad;

	if (!addr)
		return;
	bad = memchr_inv(addr, PAGE_POISON, PAGE_SIZE);
	if (likely(!bad))
		return;
	pgm_count_vm_events(inst, PGM_POISON_CORRUPT, 1);
	pr_err_ratelimited("pgmirror %s: corrupted free page: pfn %lu, first bad byte at offset %ld\n",
			   inst->name, pgm_page_to_pfn(inst, page),
			   (long)(bad - addr));
}

/* kernel_poison_pages() and kernel_init_pages(), as free_pages_prepare() */
static noinline void pgm_free_page_debug(struct pgm_instance *inst,
					 struct pgm_page *page,
					 unsigned int order)
{
	bool poison = READ_ONCE(inst->tun.page_poisoning);
	unsigned long i;

	/* free_pages_prepare() calls this only with one of the two on */
	for (i = 0; i < (1UL << order); i++) {
		void *addr = pgm_page_address(inst, page + i);

		if (addr)
			memset(addr, poison ? PAGE_POISON : 0, PAGE_SIZE);
	}
}

/**
 * pgm_post_alloc_check - post_alloc_hook()'s poison check of a free block
 * @inst: the instance
 * @page: the first page of a block taken off the free lists
 * @order: its order
 *
 * For the blocks that do not go through prep_new_page(): compaction's
 * targets, which upstream's compaction_alloc() and release_free_list()
 * pass to post_alloc_hook(). With poisoning on, a page changed since its
 * free is reported and counted (poison_corrupt).
 */
void pgm_post_alloc_check(struct pgm_instance *inst, struct pgm_page *page,
			  unsigned int order)
{
	unsigned long i;

	if (!READ_ONCE(inst->tun.poison_check))
		return;
	for (i = 0; i < (1UL << order); i++)
		pgm_unpoison_page(inst, page + i);
}

/* post_alloc_hook(): mark the allocation, check and zero it as asked */
/*
 * prep_new_page()'s compound mark, checks and clearing, when a tunable or
 * the mask asks
 */
static noinline void prep_new_page_init(struct pgm_instance *inst,
					struct pgm_page *page,
					unsigned int order, gfp_t gfp)
{
	unsigned long i;

	/* prep_compound_page(): isolation looks at it from its head */
	if (order && (gfp & __GFP_COMP))
		page->flags |= PGM_PG_COMPOUND;
	if (READ_ONCE(inst->tun.poison_check))
		for (i = 0; i < (1UL << order); i++)
			pgm_unpoison_page(inst, page + i);
	/* Zeroed when it was freed: no init at all, even for __GFP_ZERO */
	if (READ_ONCE(inst->tun.free_zeroed))
		return;
	/* Poisoning takes precedence over init_on_alloc, as upstream */
	if (READ_ONCE(inst->tun.init_on_alloc) &&
	    !READ_ONCE(inst->tun.page_poisoning))
		gfp |= __GFP_ZERO;

	if (gfp & __GFP_ZERO) {
		for (i = 0; i < (1UL << order); i++) {
			void *addr = pgm_page_address(inst, page + i);

			if (addr)
				clear_page(addr);
		}
	}
}

static __always_inline void prep_new_page(struct pgm_instance *inst,
					  struct pgm_page *page,
					  unsigned int order, gfp_t gfp,
					  int migratetype)
{
	page->flags |= PGM_PG_HEAD;
	page->private = order;
	page->alloc_mt = migratetype;

	if (unlikely(READ_ONCE(inst->tun.poison_check) ||
		     READ_ONCE(inst->tun.init_on_alloc) ||
		     (gfp & (__GFP_ZERO | __GFP_COMP))))
		prep_new_page_init(inst, page, order, gfp);
}

/* node_reclaim_enabled(): any of the zone_reclaim_mode bits */
static bool node_reclaim_enabled(struct pgm_instance *inst)
{
	return READ_ONCE(inst->tun.node_reclaim_mode) & PGM_RECLAIM_MODE_MASK;
}

/* zone_allows_reclaim(): only nodes close to the preferred one */
static bool zone_allows_reclaim(struct pgm_zone *local_zone,
				struct pgm_zone *zone)
{
	struct pgm_instance *inst = zinst(zone);

	return inst->distance[pgm_zone_to_nid(local_zone)][pgm_zone_to_nid(zone)] <=
	       PGM_RECLAIM_DISTANCE;
}

/*
 * explain: a watermark check told in the numbers it compares, deciding it
 * too: with explain on this replaces zone_watermark_fast() (@fast) or
 * __zone_watermark_ok(), so the text cannot disagree with the decision.
 * @free is read once by the caller, as upstream's check reads it, and
 * @mark (@wmark's, with the boost if @boosted) is the caller's, computed
 * where upstream's is: the boost may change meanwhile. An
 * order-0 zone_watermark_fast() passes on the mark as it is when the
 * usable free pages clear it; otherwise the mark lowered by the reserve
 * flags decides, and a failed __GFP_HIGH order-0 check at min is told
 * again without the boost, as it is retried.
 */
static bool explain_watermark(struct pgm_zone *z, unsigned int order,
			      int wmark, unsigned long mark, bool boosted,
			      int highest_zoneidx, unsigned int alloc_flags,
			      bool fast, long free, const char *fails)
{
	static const char * const names[] = { "min", "low", "high", "promo" };
	long unusable = __zone_watermark_unusable_free(z, order, alloc_flags);
	long reserve = z->lowmem_reserve[highest_zoneidx];
	/* zone_watermark_fast()'s order-0 shortcut: usable free never < 0 */
	bool quick = fast && !order &&
		     free - min(free, unusable) > (long)mark + reserve;
	long min = quick ? (long)mark : __zone_watermark_min(mark, alloc_flags);
	bool enough = quick || free - unusable > min + reserve;
	bool block = enough && (!order ||
				zone_usable_block(z, order, alloc_flags));
	char boost[40] = "", lowered[64] = "", noblock[64] = "";

	if (boosted && mark > z->_watermark[wmark])
		snprintf(boost, sizeof(boost), " (boost %lu)",
			 mark - z->_watermark[wmark]);
	else if (!boosted)
		snprintf(boost, sizeof(boost), " (boost %lu ignored)",
			 z->watermark_boost);
	if (min != (long)mark)
		snprintf(lowered, sizeof(lowered), " lowered to %ld by %s%s%s",
			 min,
			 alloc_flags & PGM_ALLOC_MIN_RESERVE ? "MIN_RESERVE" : "",
			 (alloc_flags & (PGM_ALLOC_MIN_RESERVE | PGM_ALLOC_NON_BLOCK)) ==
			 (PGM_ALLOC_MIN_RESERVE | PGM_ALLOC_NON_BLOCK) ?
			 "|NON_BLOCK" : "",
			 !(alloc_flags & PGM_ALLOC_OOM) ? "" :
			 alloc_flags & PGM_ALLOC_MIN_RESERVE ? "|OOM" : "OOM");
	if (enough && !block)
		snprintf(noblock, sizeof(noblock),
			 ", but no free block of order %u or more it may use",
			 order);
	pgm_explain_add(zinst(z),
			"zone %s: %s %lu%s%s: free %ld - unusable %ld %s %ld + lowmem_reserve %ld%s: %s",
			pgm_zone_names[z->idx], names[wmark], mark, boost,
			lowered, free, unusable, enough ? ">" : "<=",
			min, reserve, noblock,
			block ? "passes" : fails);
	/* zone_watermark_fast() retries at min whichever mark it was given */
	if (!block && fast && boosted && !order && z->watermark_boost &&
	    (alloc_flags & PGM_ALLOC_MIN_RESERVE) &&
	    (alloc_flags & PGM_ALLOC_WMARK_MASK) == PGM_WMARK_MIN)
		return explain_watermark(z, order, PGM_WMARK_MIN,
					 z->_watermark[PGM_WMARK_MIN], false,
					 highest_zoneidx, alloc_flags, false,
					 free, "watermark fails");
	return block;
}

/*
 * zone_watermark_fast() of @zone at its mark @wmark (boosted), which is
 * @mark; with explain on, explain_watermark() decides and tells it. The
 * high check before the request's own mark only marks the zone on failure.
 */
static __always_inline bool zone_wmark_check(struct pgm_zone *zone,
					     unsigned int order,
					     unsigned long mark, int wmark,
					     unsigned int alloc_flags, gfp_t gfp,
					     const struct pgm_alloc_context *ac,
					     bool high)
{
	if (pgm_hooks(alloc_flags) && pgm_explaining(ac->inst))
		return explain_watermark(zone, order, wmark, mark, true,
					 ac->highest_zoneidx, alloc_flags, true,
					 pgm_zone_page_state(zone,
							     PGM_NR_FREE_PAGES),
					 high ? "below high: ZONE_BELOW_HIGH set" :
					 "watermark fails");
	return pgm_zone_watermark_fast(zone, order, mark, ac->highest_zoneidx,
				       alloc_flags, gfp);
}

/* pgmirror_zone_skip: the zone, why, and for a watermark its numbers */
static void trace_zone_skip(struct pgm_zone *zone, int reason,
			    unsigned int order, unsigned long mark,
			    const struct pgm_alloc_context *ac)
{
	static const char * const why[] = {
		[PGM_SKIP_CPUSET] = "not in the owner's nodes (cpuset): skipped",
		[PGM_SKIP_DIRTY] = "node over its dirty limit: skipped",
		[PGM_SKIP_NOFRAGMENT] = "remote under NOFRAGMENT: retry without NOFRAGMENT",
		[PGM_SKIP_NODE_RECLAIM] = "node_reclaim did not help: skipped",
	};

	/* A watermark's numbers were explained by explain_watermark() */
	if (reason != PGM_SKIP_WATERMARK)
		pgm_explain(zinst(zone), "zone %s: %s",
			    pgm_zone_names[zone->idx], why[reason]);
	if (!trace_pgmirror_zone_skip_enabled())
		return;
	trace_pgmirror_zone_skip(zinst(zone), pgm_zone_to_nid(zone),
				 pgm_zone_names[zone->idx], reason, order,
				 pgm_zone_page_state(zone, PGM_NR_FREE_PAGES),
				 mark, zone->lowmem_reserve[ac->highest_zoneidx]);
}

/*
 * get_page_from_freelist(), inlined in the allocation's entry, where the
 * fast path calls it while the hooks are off (PGM_ALLOC_HOOKS clear, so
 * the compiler drops their sites from that copy); the slow path's calls,
 * and the fast path's while they are on, go through
 * pgm_get_page_from_freelist(), which reads the hooks' key for them.
 */
static __always_inline struct pgm_page *
__get_page_from_freelist(gfp_t gfp, unsigned int order, int alloc_flags,
			 const struct pgm_alloc_context *ac)
{
	struct pgm_instance *inst = ac->inst;
	struct pgm_pglist_data *last_pgdat = NULL;
	bool last_pgdat_dirty_ok = false;
	struct pgm_zone *zone, *preferred;
	struct pgm_zoneref *z;
	bool no_fallback;

retry:
	no_fallback = alloc_flags & PGM_ALLOC_NOFRAGMENT;
	preferred = ac->preferred_zoneref->zone;
	for (z = ac->preferred_zoneref; (zone = z->zone);
	     z = pgm_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					 ac->nodemask)) {
		struct pgm_page *page;
		unsigned long mark;
		long free;

		if ((alloc_flags & PGM_ALLOC_CPUSET) &&
		    !pgm_cpuset_zone_allowed(ac, zone, gfp)) {
			trace_zone_skip(zone, PGM_SKIP_CPUSET, order, 0, ac);
			continue;
		}

		/*
		 * Page cache written to goes to nodes within their dirty
		 * limit, so no node holds more than its share of dirty pages
		 * and kswapd can balance it without writing back. The slow
		 * path drops this, rather than reclaim for it.
		 */
		if (ac->spread_dirty_pages) {
			if (last_pgdat != zone->zone_pgdat) {
				last_pgdat = zone->zone_pgdat;
				last_pgdat_dirty_ok = pgm_node_dirty_ok(last_pgdat);
			}
			if (!last_pgdat_dirty_ok) {
				trace_zone_skip(zone, PGM_SKIP_DIRTY, order, 0,
						ac);
				continue;
			}
		}

		/* Spread fragmentation over local zones before remote ones */
		if (no_fallback && inst->nr_nodes > 1 && zone != preferred &&
		    pgm_zone_to_nid(zone) != pgm_zone_to_nid(preferred)) {
			trace_zone_skip(zone, PGM_SKIP_NOFRAGMENT, order, 0,
					ac);
			alloc_flags &= ~PGM_ALLOC_NOFRAGMENT;
			pgm_count_vm_events(inst, PGM_NOFRAGMENT_RETRY, 1);
			goto retry;
		}

		/* A zone known to be below high skips the high check */
		if (test_bit(PGM_ZONE_BELOW_HIGH, &zone->flags))
			goto check_alloc_wmark;

		mark = pgm_high_wmark_pages(zone);
		if (zone_wmark_check(zone, order, mark, PGM_WMARK_HIGH,
				     alloc_flags, gfp, ac, true))
			goto try_this_zone;
		set_bit(PGM_ZONE_BELOW_HIGH, &zone->flags);

check_alloc_wmark:
		mark = pgm_wmark_pages(zone, alloc_flags & PGM_ALLOC_WMARK_MASK);
		if (!zone_wmark_check(zone, order, mark,
				      alloc_flags & PGM_ALLOC_WMARK_MASK,
				      alloc_flags, gfp, ac, false)) {
			if (alloc_flags & PGM_ALLOC_NO_WATERMARKS) {
				pgm_explain(inst, "zone %s: below the mark, but NO_WATERMARKS",
					    pgm_zone_names[zone->idx]);
				goto try_this_zone;
			}

			pgm_count_vm_events(inst, PGM_WMARK_CHECK_FAIL, 1);
			trace_zone_skip(zone, PGM_SKIP_WATERMARK, order, mark,
					ac);
			if (!node_reclaim_enabled(inst) ||
			    !zone_allows_reclaim(preferred, zone)) {
				pgm_explain(inst,
					    "  node_reclaim: zone_reclaim_mode %d or too far: skipped",
					    READ_ONCE(inst->tun.node_reclaim_mode));
				continue;
			}

			switch (pgm_node_reclaim(zone->zone_pgdat, gfp, order)) {
			case PGM_NODE_RECLAIM_NOSCAN:
			case PGM_NODE_RECLAIM_FULL:
				trace_zone_skip(zone, PGM_SKIP_NODE_RECLAIM,
						order, mark, ac);
				continue;
			default:
				/* Reclaimed: worth one more check */
				free = pgm_zone_page_state(zone,
							   PGM_NR_FREE_PAGES);
				if (pgm_hooks(alloc_flags) && pgm_explaining(inst)) {
					pgm_explain_add(inst,
							"  node_reclaim: reclaimed, the mark again");
					if (explain_watermark(zone, order,
							      alloc_flags & PGM_ALLOC_WMARK_MASK,
							      mark, true,
							      ac->highest_zoneidx,
							      alloc_flags, false,
							      free,
							      "watermark fails"))
						goto try_this_zone;
				} else if (pgm___zone_watermark_ok(zone, order, mark,
								   ac->highest_zoneidx,
								   alloc_flags,
								   free)) {
					goto try_this_zone;
				}
				trace_zone_skip(zone, PGM_SKIP_NODE_RECLAIM,
						order, mark, ac);
				continue;
			}
		}

try_this_zone:
		page = rmqueue(preferred, zone, order, gfp, alloc_flags,
			       ac->migratetype);
		if (!page)
			pgm_explain(inst, "zone %s: no block: next zone",
				    pgm_zone_names[zone->idx]);
		if (page) {
			prep_new_page(inst, page, order, gfp, ac->migratetype);

			/* A high-order atomic success reserves its block */
			if (unlikely(alloc_flags & PGM_ALLOC_HIGHATOMIC))
				pgm_reserve_highatomic_pageblock(page, order,
								 zone);
			return page;
		}
	}

	/* Every local zone is too fragmented: allow fallback now */
	if (no_fallback) {
		pgm_explain(inst,
			    "no zone without fragmenting a pageblock: retry without NOFRAGMENT");
		alloc_flags &= ~PGM_ALLOC_NOFRAGMENT;
		pgm_count_vm_events(inst, PGM_NOFRAGMENT_RETRY, 1);
		goto retry;
	}

	return NULL;
}

/**
 * pgm_get_page_from_freelist - walk the zonelist for a zone that can serve
 * @gfp: the gfp mask
 * @order: the order
 * @alloc_flags: PGM_ALLOC_* flags
 * @ac: the allocation context
 *
 * Each zone is tried in zonelist order against the watermark
 * @alloc_flags selects. With ALLOC_NOFRAGMENT set, reaching a remote node
 * or the end of the list retries without it, so that local zones may
 * fragment before remote ones are used.
 *
 * Return: the first page of the block, or NULL.
 */
struct pgm_page *pgm_get_page_from_freelist(gfp_t gfp, unsigned int order,
					    int alloc_flags,
					    const struct pgm_alloc_context *ac)
{
	return __get_page_from_freelist(gfp, order,
					alloc_flags | pgm_hooks_flag(), ac);
}

/* A zone of this type has memory somewhere in the instance */
static bool pgm_has_managed_zone(struct pgm_instance *inst,
				 enum pgm_zone_type idx)
{
	unsigned int n;

	for (n = 0; n < inst->nr_nodes; n++)
		if (pgm_zone_managed_pages(&inst->node_data[n].node_zones[idx]))
			return true;
	return false;
}

/*
 * warn_alloc(): one rate-limited line per failed allocation, unless the
 * caller asked for silence or wanted DMA from an instance without any,
 * with the request's nodemask and, as cpuset_print_current_mems_allowed()
 * adds, the owner ("/", the root cpuset, for none) and its nodes.
 */
static void pgm_warn_alloc(struct pgm_instance *inst, gfp_t gfp,
			   unsigned int order,
			   const struct pgm_alloc_context *ac)
{
	int nr = inst->nr_nodes;
	struct pgm_nodemask all;
	char nodes[24];

	if ((gfp & __GFP_NOWARN) || !__ratelimit(&inst->nopage_rs) ||
	    ((gfp & __GFP_DMA) && !pgm_has_managed_zone(inst, PGM_ZONE_DMA)))
		return;

	/* nodemask_pr_args() of NULL prints "(null)" */
	if (ac->nodemask)
		scnprintf(nodes, sizeof(nodes), "%*pbl", nr,
			  ac->nodemask->bits);
	else
		strscpy(nodes, "(null)", sizeof(nodes));
	bitmap_zero(all.bits, PGM_MAX_NUMNODES);
	bitmap_fill(all.bits, nr);
	pr_warn("pgmirror %s: %s: page allocation failure: order:%u, mode:%#x(%pGg), nodemask=%s,cpuset=%s,mems_allowed=%*pbl\n",
		inst->name, current->comm, order, (__force unsigned int)gfp,
		&gfp, nodes, ac->owner ? ac->owner->name : "/", nr,
		ac->owner ? ac->owner->mems_allowed.bits : all.bits);
}

/* oom_reserves_allowed(): the owner allocated for is an OOM victim */
static bool oom_reserves_allowed(const struct pgm_alloc_context *ac)
{
	return ac->owner && READ_ONCE(ac->owner->oom_victim);
}

/*
 * Reserve access that does not depend on the watermark flags. The mirror
 * runs in process context, where upstream grants ALLOC_OOM to an OOM
 * victim.
 */
static unsigned int gfp_pfmemalloc_flags(gfp_t gfp,
					 const struct pgm_alloc_context *ac)
{
	if (unlikely(gfp & __GFP_NOMEMALLOC))
		return 0;
	if (gfp & __GFP_MEMALLOC)
		return PGM_ALLOC_NO_WATERMARKS;
	if (oom_reserves_allowed(ac))
		return PGM_ALLOC_OOM;
	return 0;
}

/*
 * __alloc_pages_cpuset_fallback(): first within the owner's nodes, then,
 * when those are depleted, anywhere.
 */
static struct pgm_page *
__alloc_pages_cpuset_fallback(gfp_t gfp, unsigned int order,
			      unsigned int alloc_flags,
				const struct pgm_alloc_context *ac)
{
	struct pgm_page *page;

	page = pgm_get_page_from_freelist(gfp, order,
					  alloc_flags | PGM_ALLOC_CPUSET, ac);
	if (!page)
		page = pgm_get_page_from_freelist(gfp, order, alloc_flags, ac);
	return page;
}

/*
 * __alloc_pages_may_oom(): reclaim has failed, so kill an owner. A last
 * try at the high watermark comes first, as someone may have freed
 * memory meanwhile; the OOM killer is not used for costly orders,
 * __GFP_RETRY_MAYFAIL, __GFP_THISNODE or requests limited to zones below
 * NORMAL. The instance's oom_lock lets one context at a time kill; one
 * that finds it taken waits a tick and reports progress, as upstream.
 *
 * out_of_memory() does not kill for a !__GFP_FS request, whose reclaim
 * could not do IO, but reports progress, so that the caller loops until
 * someone else frees memory: *@oom_nofs says so. Where upstream WARNs
 * for a __GFP_NOFAIL request that found no victim, the mirror stays
 * silent (user space can ask for this), but grants the same
 * ALLOC_NO_WATERMARKS fallback. *@oom_killed tells the caller whether an
 * owner died, which bounds the __GFP_NOFAIL loop.
 */
static struct pgm_page *
__alloc_pages_may_oom(gfp_t gfp, unsigned int order,
		      const struct pgm_alloc_context *ac,
			unsigned long *did_some_progress, bool *oom_killed,
			bool *oom_busy, bool *oom_nofs)
{
	struct pgm_instance *inst = ac->inst;
	struct pgm_page *page;

	*did_some_progress = 0;
	*oom_killed = false;
	*oom_nofs = false;

	/* Someone else is killing: give it a tick and count it as progress */
	*oom_busy = !mutex_trylock(&inst->oom_lock);
	if (*oom_busy) {
		*did_some_progress = 1;
		schedule_timeout_uninterruptible(1);
		return NULL;
	}

	page = pgm_get_page_from_freelist((gfp | __GFP_HARDWALL) &
					  ~__GFP_DIRECT_RECLAIM, order,
					  PGM_ALLOC_WMARK_HIGH |
					  PGM_ALLOC_CPUSET, ac);
	if (page)
		goto out;

	if (order > PGM_PAGE_ALLOC_COSTLY_ORDER)
		goto out;
	if (gfp & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE))
		goto out;
	if (ac->highest_zoneidx < PGM_ZONE_NORMAL)
		goto out;

	if (gfp & __GFP_FS) {
		struct pgm_oom_control oc = {
			.inst	= inst,
			.ac	= ac,
			.gfp	= gfp,
		};

		*oom_killed = pgm_out_of_memory(&oc);
	} else {
		*oom_nofs = true;
	}
	if (*oom_killed || *oom_nofs || (gfp & __GFP_NOFAIL)) {
		*did_some_progress = 1;
		if (gfp & __GFP_NOFAIL)
			page = __alloc_pages_cpuset_fallback(gfp, order,
							     PGM_ALLOC_NO_WATERMARKS,
							       ac);
	}
out:
	mutex_unlock(&inst->oom_lock);
	return page;
}

/*
 * __alloc_pages_direct_reclaim(): reclaim, then try again; a failure right
 * after progress may be pages stuck on pcp lists or in the highatomic
 * reserve, so those are given back once and the freelists tried again.
 */
static struct pgm_page *
__alloc_pages_direct_reclaim(gfp_t gfp, unsigned int order,
			     unsigned int alloc_flags,
			       const struct pgm_alloc_context *ac,
			       unsigned long *did_some_progress)
{
	struct pgm_page *page;
	bool drained = false;

	/* The direct_reclaim knob: as a reclaim that found nothing */
	if (!READ_ONCE(ac->inst->tun.direct_reclaim)) {
		*did_some_progress = 0;
		return NULL;
	}
	*did_some_progress = pgm_try_to_free_pages(ac, order, gfp);
	if (!*did_some_progress)
		return NULL;
retry:
	page = pgm_get_page_from_freelist(gfp, order, alloc_flags, ac);
	if (!page && !drained) {
		pgm_explain(ac->inst,
			    "  reclaim made progress but no page: the highatomic reserve and pcp lists given back, the freelists again");
		pgm_unreserve_highatomic_pageblock(ac, false);
		pgm_drain_all_pages(ac->inst, NULL);
		drained = true;
		goto retry;
	}
	return page;
}

/*
 * should_reclaim_retry(): keep looping while some zone could pass its min
 * watermark if every reclaimable page were freed, and until
 * MAX_RECLAIM_RETRIES rounds in a row made no progress (costly orders
 * never count as progress). Before giving up, the last highatomic block
 * is returned.
 */
static bool should_reclaim_retry(gfp_t gfp, unsigned int order,
				 const struct pgm_alloc_context *ac,
				     unsigned int alloc_flags,
				     bool did_some_progress,
				     int *no_progress_loops, const char **why)
{
	struct pgm_zoneref *z;
	struct pgm_zone *zone;
	bool ret = false;

	if (did_some_progress && order <= PGM_PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;

	if (*no_progress_loops > PGM_MAX_RECLAIM_RETRIES)
		goto out;

	for (z = pgm_next_allowed_zone(ac, ac->zonelist->_zonerefs,
				       alloc_flags, gfp);
	     (zone = z->zone);
	     z = pgm_next_allowed_zone(ac, z + 1, alloc_flags, gfp)) {
		unsigned long available;

		available = pgm_zone_reclaimable_pages(zone);
		available += pgm_zone_page_state_snapshot(zone,
							  PGM_NR_FREE_PAGES,
							  ac->inst->nr_cpus);
		if (pgm___zone_watermark_ok(zone, order, pgm_min_wmark_pages(zone),
					    ac->highest_zoneidx, alloc_flags,
					  available)) {
			ret = true;
			break;
		}
	}
	cond_resched();
out:
	*why = "reclaim_retry";
	if (!ret) {
		/* Given back, the last reserved block is worth a round */
		*why = "highatomic_unreserved";
		return pgm_unreserve_highatomic_pageblock(ac, true);
	}
	return ret;
}

/* pgmirror_slowpath: one step and its outcome */
static void trace_slow(struct pgm_instance *inst, int step,
		       unsigned int order, gfp_t gfp, long result,
		       const char *why)
{
	static const char * const steps[] = {
		[PGM_SLOW_WAKE_KSWAPD] = "wake_kswapd",
		[PGM_SLOW_COMPACT] = "compact",
		[PGM_SLOW_RECLAIM] = "reclaim",
		[PGM_SLOW_RETRY] = "retry",
		[PGM_SLOW_OOM] = "oom",
		[PGM_SLOW_NOPAGE] = "nopage",
		[PGM_SLOW_SUCCESS] = "success",
	};

	/* Compaction's result by the name its own tracepoints use */
	static const char * const compact[] = {
		[PGM_COMPACT_NOT_SUITABLE_ZONE] = "not_suitable_zone",
		[PGM_COMPACT_SKIPPED] = "skipped",
		[PGM_COMPACT_DEFERRED] = "deferred",
		[PGM_COMPACT_NO_SUITABLE_PAGE] = "no_suitable_page",
		[PGM_COMPACT_CONTINUE] = "continue",
		[PGM_COMPACT_COMPLETE] = "complete",
		[PGM_COMPACT_PARTIAL_SKIPPED] = "partial_skipped",
		[PGM_COMPACT_CONTENDED] = "contended",
		[PGM_COMPACT_SUCCESS] = "success",
	};

	if (step == PGM_SLOW_COMPACT && result >= 0 &&
	    result < ARRAY_SIZE(compact))
		pgm_explain(inst, "slowpath: compact, result %s%s%s",
			    compact[result], why[0] ? ", " : "", why);
	else
		pgm_explain(inst, "slowpath: %s, result %ld%s%s", steps[step],
			    result, why[0] ? ", " : "", why);
	trace_pgmirror_slowpath(inst, step, order, gfp, result, why);
}

/* wake_all_kswapds(): each node of the allowed zonelist once */
static void wake_all_kswapds(unsigned int order, gfp_t gfp,
			     const struct pgm_alloc_context *ac)
{
	struct pgm_pglist_data *last_pgdat = NULL;
	struct pgm_zoneref *z;
	struct pgm_zone *zone;
	int woken = 0;

	for (z = pgm_next_zones_zonelist(ac->zonelist->_zonerefs,
					 ac->highest_zoneidx, ac->nodemask);
	     (zone = z->zone);
	     z = pgm_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					 ac->nodemask)) {
		if (zone->zone_pgdat == last_pgdat)
			continue;
		last_pgdat = zone->zone_pgdat;
		/* wakeup_kswapd(): not for a node the owner may not use */
		if (!pgm_cpuset_zone_allowed(ac, zone, gfp))
			continue;
		woken += pgm_wakeup_kswapd(zone, gfp, order,
					   ac->highest_zoneidx);
	}
	trace_slow(ac->inst, PGM_SLOW_WAKE_KSWAPD, order, gfp, woken, "");
}

/*
 * __alloc_pages_direct_compact(): compact, then take the block compaction
 * captured or, failing that, try the freelists again.
 */
static struct pgm_page *
__alloc_pages_direct_compact(gfp_t gfp, unsigned int order,
			     unsigned int alloc_flags,
			       struct pgm_alloc_context *ac,
			       enum pgm_compact_priority prio,
			       enum pgm_compact_result *compact_result)
{
	struct pgm_instance *inst = ac->inst;
	struct pgm_page *page = NULL;

	if (!order)
		return NULL;

	/* The direct_compaction knob: as compaction that could not run */
	if (!READ_ONCE(inst->tun.direct_compaction)) {
		*compact_result = PGM_COMPACT_SKIPPED;
		return NULL;
	}
	*compact_result = pgm_try_to_compact_pages(gfp, order, alloc_flags,
						   ac, prio, &page);
	if (*compact_result == PGM_COMPACT_SKIPPED)
		return NULL;

	pgm_count_vm_events(inst, PGM_COMPACTSTALL, 1);
	if (page) {
		pgm_explain(inst, "  compaction captured pfn %lu",
			    pgm_page_to_pfn(inst, page));
		prep_new_page(inst, page, order, gfp, ac->migratetype);
	} else {
		page = pgm_get_page_from_freelist(gfp, order, alloc_flags,
						  ac);
	}
	if (page) {
		struct pgm_zone *zone = pgm_page_zone(inst, page);

		/* It worked: no reason for kswapd to reset the skip bits */
		zone->compact_blockskip_flush = false;
		pgm_compaction_defer_reset(zone, order, true);
		pgm_count_vm_events(inst, PGM_COMPACTSUCCESS, 1);
		return page;
	}
	pgm_count_vm_events(inst, PGM_COMPACTFAIL, 1);
	cond_resched();
	return NULL;
}

/*
 * Where upstream's slow path goes round until memory comes back (a
 * __GFP_NOFAIL request, or one without __GFP_FS the OOM killer would not
 * kill for), a control write waits for it: it lets go of iface_lock, so
 * that other writers, kswapd and the OOM killer can free memory
 * meanwhile, sleeps HZ/10 and goes round again. A signal ends the wait
 * and the request fails; rmmod waits, as the open control file holds the
 * module. A replay never waits; any other caller holds locks the mirror
 * cannot let go of. Both fail at once.
 */
static bool pgm_memory_wait(struct pgm_alloc_context *ac)
{
	struct pgm_instance *inst = ac->inst;
	struct pgm_owner *owner = ac->owner;
	struct pgm_iface_writer *w = pgm_iface_current(inst);

	if (!w || !w->locked || !w->may_wait)
		return false;
	lockdep_assert_held(&inst->iface_lock);
	if (!signal_pending(current) && !READ_ONCE(inst->dying)) {
		/* The owner outlives the wait: destroy refuses it meanwhile */
		pgm_iface_drop(inst, owner);
		schedule_timeout_interruptible(HZ / 10);
		pgm_iface_retake(inst, owner);
		if (!signal_pending(current) && !READ_ONCE(inst->dying))
			return true;
	}
	/* The write's status says why it failed */
	w->wait_interrupted = signal_pending(current);
	return false;
}

/*
 * check_retry_cpuset(): a nodemask that does not meet the owner's nodes
 * is ignored, as MPOL_BIND's is when it misses the cpuset, and the slow
 * path starts over without it. Upstream also restarts when the cpuset's
 * mems_allowed or the zonelists changed meanwhile; an owner's nodes and
 * the instance's zonelists are fixed once made, so that cannot happen.
 */
static bool check_retry_cpuset(struct pgm_alloc_context *ac)
{
	if (ac->cpuset_mems && ac->nodemask &&
	    !bitmap_intersects(ac->nodemask->bits, ac->cpuset_mems->bits,
			       PGM_MAX_NUMNODES)) {
		ac->nodemask = NULL;
		pgm_explain(ac->inst,
			    "slowpath: the nodemask misses the owner's nodes: restart without it");
		return true;
	}
	return false;
}

/* explain: the slow path's alloc_flags, each time they change */
static void explain_slow_flags(struct pgm_instance *inst,
			       unsigned int alloc_flags, unsigned int *shown,
			       const char *why)
{
	char buf[96];

	if (!pgm_explaining(inst) || alloc_flags == *shown)
		return;
	*shown = alloc_flags;
	pgm_explain_add(inst, "slowpath: alloc_flags %s%s",
			pgm_alloc_flags_str(alloc_flags, buf, sizeof(buf)),
			why);
}

/* should_compact_retry(): retry compaction, raising its priority */
static bool should_compact_retry(const struct pgm_alloc_context *ac,
				 int order, unsigned int alloc_flags,
				     enum pgm_compact_result compact_result,
				     enum pgm_compact_priority *compact_priority,
				     int *compaction_retries)
{
	int max_retries = PGM_MAX_COMPACT_RETRIES;
	int min_priority;

	if (!order)
		return false;
	if (fatal_signal_pending(current))
		return false;

	/* Skipped for lack of order-0 targets: retry if reclaim can help */
	if (compact_result == PGM_COMPACT_SKIPPED)
		return pgm_compaction_zonelist_suitable(ac, order, alloc_flags);

	/* Compaction made the block but the allocation lost it: retry some */
	if (compact_result == PGM_COMPACT_SUCCESS) {
		if (order > PGM_PAGE_ALLOC_COSTLY_ORDER)
			max_retries /= 4;
		if (++(*compaction_retries) <= max_retries)
			return true;
	}

	/* Compaction failed: retry at a higher priority */
	min_priority = order > PGM_PAGE_ALLOC_COSTLY_ORDER ?
		       PGM_MIN_COMPACT_COSTLY_PRIORITY :
		       PGM_MIN_COMPACT_PRIORITY;
	if (*compact_priority > min_priority) {
		(*compact_priority)--;
		*compaction_retries = 0;
		return true;
	}
	return false;
}

/*
 * __alloc_pages_slowpath() as far as the mirror goes: retry at the min
 * watermark with the reserve flags the gfp mask earns, then with
 * __GFP_MEMALLOC's access to everything (or ALLOC_OOM for an OOM
 * victim), then, for a request that may sleep, the 6.12 direct reclaim
 * loop with direct compaction (compaction.c) before and after each
 * reclaim attempt as 6.12 orders them and, once reclaim and compaction
 * give up, the OOM killer, retrying for as long as it kills.
 *
 * __GFP_NOFAIL: as upstream, it gets ALLOC_NO_WATERMARKS from the OOM
 * step and then the cpuset fallback with ALLOC_MIN_RESERVE. Upstream
 * then loops until memory comes back. The mirror drains every pcp list
 * and goes round once more; then a control write waits for memory with
 * iface_lock let go (pgm_memory_wait()) and goes round again, for as long
 * as it takes, while other callers, which cannot let go of their locks,
 * give up with the warn_alloc report. A request without __GFP_FS that
 * the OOM killer would not kill for loops as well, with the same wait.
 */
static struct pgm_page *__alloc_pages_slowpath(gfp_t gfp, unsigned int order,
					       struct pgm_alloc_context *ac)
{
	bool can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
	bool costly_order = order > PGM_PAGE_ALLOC_COSTLY_ORDER;
	/* gfp_compaction_allowed(): CONFIG_COMPACTION is on upstream */
	bool can_compact = gfp & __GFP_IO;
	enum pgm_compact_priority compact_priority;
	enum pgm_compact_result compact_result;
	struct pgm_instance *inst = ac->inst;
	int compaction_retries;
	unsigned int alloc_flags, reserve_flags, shown_flags = UINT_MAX;
	bool nofail = gfp & __GFP_NOFAIL;
	unsigned long did_some_progress;
	int no_progress_loops;
	bool nofail_drained = false;
	bool oom_killed = false, oom_busy = false, oom_nofs = false;
	struct pgm_page *page;
	const char *why;

	pgm_count_vm_events(inst, PGM_ALLOC_SLOWPATH, 1);

restart:
	compaction_retries = 0;
	no_progress_loops = 0;
	compact_result = PGM_COMPACT_SKIPPED;
	compact_priority = PGM_DEF_COMPACT_PRIORITY;
	alloc_flags = pgm_gfp_to_alloc_flags(ac->inst, gfp, order);
	explain_slow_flags(inst, alloc_flags, &shown_flags, "");
	ac->preferred_zoneref = pgm_next_zones_zonelist(ac->zonelist->_zonerefs,
							ac->highest_zoneidx,
							ac->nodemask);
	why = "no_zone";
	if (!ac->preferred_zoneref->zone)
		goto nopage;

	if (alloc_flags & PGM_ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp, ac);

	page = pgm_get_page_from_freelist(gfp, order, alloc_flags, ac);
	why = "min_watermark";
	if (page)
		goto got_pg;

	/*
	 * Costly orders try direct compaction first, as there are likely
	 * enough base pages; so do non-movable high orders, to keep
	 * fallbacks from fragmenting more pageblocks.
	 */
	if (can_direct_reclaim && can_compact &&
	    (costly_order ||
	     (order > 0 && ac->migratetype != PGM_MIGRATE_MOVABLE)) &&
	    !gfp_pfmemalloc_flags(gfp, ac)) {
		page = __alloc_pages_direct_compact(gfp, order, alloc_flags,
						    ac,
						      PGM_INIT_COMPACT_PRIORITY,
						      &compact_result);
		trace_slow(inst, PGM_SLOW_COMPACT, order, gfp, compact_result,
			   "initial");
		why = "initial_compaction";
		if (page)
			goto got_pg;
		if (costly_order && (gfp & __GFP_NORETRY)) {
			why = "costly_noretry";
			if (compact_result == PGM_COMPACT_SKIPPED ||
			    compact_result == PGM_COMPACT_DEFERRED)
				goto nopage;
			/*
			 * A node-bound request (THP-style) would only thrash
			 * this one node's LRU by reclaiming: give up.
			 */
			why = "costly_thisnode";
			if (gfp & __GFP_THISNODE)
				goto nopage;
			compact_priority = PGM_INIT_COMPACT_PRIORITY;
		}
	}
retry:
	if (check_retry_cpuset(ac))
		goto restart;

	/* Ensure kswapd does not go to sleep while we loop */
	if (alloc_flags & PGM_ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp, ac);
	reserve_flags = gfp_pfmemalloc_flags(gfp, ac);
	if (reserve_flags) {
		alloc_flags = reserve_flags | (alloc_flags & PGM_ALLOC_KSWAPD);
		if (pgm_inst_gfp_migratetype(ac->inst, gfp) ==
		    PGM_MIGRATE_MOVABLE)
			alloc_flags |= PGM_ALLOC_CMA;
		explain_slow_flags(inst, alloc_flags, &shown_flags,
				   ", the reserves (gfp_pfmemalloc_flags())");
	}
	/*
	 * A request that ignores cpusets (atomic) or may use the reserves
	 * ignores the nodemask too, and the preferred zone may change.
	 */
	if (!(alloc_flags & PGM_ALLOC_CPUSET) || reserve_flags) {
		ac->nodemask = NULL;
		ac->preferred_zoneref =
			pgm_next_zones_zonelist(ac->zonelist->_zonerefs,
						ac->highest_zoneidx, NULL);
	}
	page = pgm_get_page_from_freelist(gfp, order, alloc_flags, ac);
	why = "retry";
	if (page)
		goto got_pg;

	why = "cannot_reclaim";
	if (!can_direct_reclaim)
		goto nopage;

	page = __alloc_pages_direct_reclaim(gfp, order, alloc_flags, ac,
					    &did_some_progress);
	trace_slow(inst, PGM_SLOW_RECLAIM, order, gfp, did_some_progress,
		   page ? "served" : "");
	why = "direct_reclaim";
	if (page)
		goto got_pg;

	page = __alloc_pages_direct_compact(gfp, order, alloc_flags, ac,
					    compact_priority,
					      &compact_result);
	/* Order 0 returns before compacting: no step to tell */
	if (order)
		trace_slow(inst, PGM_SLOW_COMPACT, order, gfp, compact_result,
			   page ? "served" : "");
	why = "direct_compaction";
	if (page)
		goto got_pg;

	why = "noretry";
	if (gfp & __GFP_NORETRY)
		goto nopage;

	why = "costly";
	if (costly_order && (!can_compact || !(gfp & __GFP_RETRY_MAYFAIL)))
		goto nopage;

	if (should_reclaim_retry(gfp, order, ac, alloc_flags,
				 did_some_progress > 0,
				     &no_progress_loops, &why)) {
		trace_slow(inst, PGM_SLOW_RETRY, order, gfp, no_progress_loops,
			   why);
		goto retry;
	}

	if (did_some_progress > 0 && can_compact &&
	    should_compact_retry(ac, order, alloc_flags, compact_result,
				 &compact_priority,
				     &compaction_retries)) {
		trace_slow(inst, PGM_SLOW_RETRY, order, gfp,
			   compaction_retries, "compact_retry");
		goto retry;
	}

	if (check_retry_cpuset(ac))
		goto restart;

	/* Reclaim has failed us, start killing things */
	page = __alloc_pages_may_oom(gfp, order, ac, &did_some_progress,
				     &oom_killed, &oom_busy, &oom_nofs);
	trace_slow(inst, PGM_SLOW_OOM, order, gfp, oom_killed,
		   page ? "served" : oom_killed ? "killed" :
		   oom_busy ? "oom_lock_busy" : oom_nofs ? "no_fs" :
		   "no_victim");
	why = "oom";
	if (page)
		goto got_pg;

	/* A victim that had the reserves and still failed must not loop */
	why = "oom_victim";
	if (oom_reserves_allowed(ac) &&
	    ((alloc_flags & PGM_ALLOC_OOM) || (gfp & __GFP_NOMEMALLOC)))
		goto nopage;

	/*
	 * Retry for as long as the OOM killer kills or another context holds
	 * oom_lock. Upstream also retries a __GFP_NOFAIL request it made no
	 * victim for; that is the bound.
	 */
	if (oom_killed || oom_busy) {
		no_progress_loops = 0;
		trace_slow(inst, PGM_SLOW_RETRY, order, gfp, 0,
			   oom_killed ? "oom_killed" : "oom_lock_busy");
		goto retry;
	}
	/*
	 * Without __GFP_FS out_of_memory() reported progress and killed
	 * nobody: upstream goes round until someone frees memory
	 */
	why = "nofs_gave_up";
	if (oom_nofs && !nofail) {
		if (!pgm_memory_wait(ac))
			goto nopage;
		no_progress_loops = 0;
		trace_slow(inst, PGM_SLOW_RETRY, order, gfp, 0, "nofs_waited");
		goto retry;
	}
	why = "oom_no_victim";

nopage:
	if (check_retry_cpuset(ac))
		goto restart;

	if (unlikely(nofail) && can_direct_reclaim) {
		page = __alloc_pages_cpuset_fallback(gfp, order,
						     PGM_ALLOC_MIN_RESERVE,
						       ac);
		why = "nofail_reserve";
		if (page)
			goto got_pg;
		/*
		 * Upstream loops until something frees memory; among what
		 * would, only the other CPUs' pcp pages can reach this
		 * context. Give those back and go round once more.
		 */
		if (!nofail_drained) {
			nofail_drained = true;
			pgm_drain_all_pages_wait(inst);
			trace_slow(inst, PGM_SLOW_RETRY, order, gfp, 0,
				   "nofail_drained");
			goto retry;
		}
		if (pgm_memory_wait(ac)) {
			nofail_drained = false;
			trace_slow(inst, PGM_SLOW_RETRY, order, gfp, 0,
				   "nofail_waited");
			goto retry;
		}
		why = "nofail_gave_up";
	}
	trace_slow(inst, PGM_SLOW_NOPAGE, order, gfp, 0, why);
	pgm_count_vm_events(inst, PGM_ALLOC_FAIL, 1);
	pgm_warn_alloc(inst, gfp, order, ac);
	return NULL;

got_pg:
	trace_slow(inst, PGM_SLOW_SUCCESS, order, gfp,
		   pgm_page_to_pfn(inst, page), why);
	return page;
}

/* The first line of an explanation: what was asked and where it starts */
/* explain's result line and mm_page_alloc, for a request with hooks on */
static noinline void hooks_alloc_done(struct pgm_instance *inst,
				      struct pgm_page *page, unsigned int order,
				      gfp_t gfp, int migratetype)
{
	if (page)
		pgm_explain_tail(inst, "result: pfn %lu (order %u)",
				 pgm_page_to_pfn(inst, page), order);
	else
		pgm_explain_tail(inst, "result: no page");
	pgm_trace(mm_page_alloc, inst,
		  page ? pgm_page_to_pfn(inst, page) : -1UL, order, gfp,
		  migratetype);
}

/* explain: a request prepare_alloc_pages() turned down */
static void explain_refused(struct pgm_instance *inst, gfp_t gfp,
			    unsigned int order, int preferred_nid)
{
	bool invalid = pgm_gfp_zone(gfp) < 0 || pgm_gfp_migratetype(gfp) < 0 ||
		       order > PGM_MAX_PAGE_ORDER || preferred_nid < 0 ||
		       preferred_nid >= inst->nr_nodes;

	pgm_explain_add(inst, "request order=%u gfp=%pGg -> node %d: %s",
			order, &gfp, preferred_nid,
			invalid ? "not a request the allocator takes" :
			"fail_page_alloc: a failure injected");
	pgm_explain_add_tail(inst, "result: no page");
}

static void explain_request(struct pgm_instance *inst, gfp_t gfp,
			    unsigned int order,
			    const struct pgm_alloc_context *ac,
			    unsigned int alloc_flags)
{
	struct pgm_zone *zone = ac->preferred_zoneref->zone;
	char flags[96];

	pgm_explain_add(inst, "request order=%u gfp=%pGg -> node %d %s, %s, alloc_flags=%s",
			order, &gfp, zone ? pgm_zone_to_nid(zone) : -1,
			zone ? pgm_zone_names[zone->idx] : "no zone",
			pgm_migratetype_names[ac->migratetype],
			pgm_alloc_flags_str(alloc_flags, flags, sizeof(flags)));
}

/*
 * __alloc_pages() itself, inlined twice: pgm_alloc_pages() has no owner,
 * and the compiler drops the cpuset's steps from its copy.
 */
static __always_inline struct pgm_page *
__alloc_pages_owner(struct pgm_instance *inst, gfp_t gfp, unsigned int order,
		    int preferred_nid, const struct pgm_nodemask *nodemask,
		    struct pgm_owner *owner)
{
	const struct pgm_nodemask *cpuset_mems =
		owner ? &owner->mems_allowed : NULL;
	unsigned int alloc_flags = PGM_ALLOC_WMARK_LOW;
	/* Filled whole by prepare: no automatic zeroing (a rep stos) */
	struct pgm_alloc_context ac __uninitialized;
	struct pgm_page *page;
	unsigned int hooks;

	if (!pgm_prepare_alloc_pages(inst, gfp, order, preferred_nid, nodemask,
				     &ac, &alloc_flags)) {
		if (pgm_explaining(inst))
			explain_refused(inst, gfp, order, preferred_nid);
		return NULL;
	}

	if (cpuset_mems &&
	    !bitmap_full(cpuset_mems->bits, inst->nr_nodes)) {
		ac.cpuset_mems = cpuset_mems;
		if (!nodemask) {
			ac.nodemask = cpuset_mems;
			ac.preferred_zoneref =
				pgm_next_zones_zonelist(ac.zonelist->_zonerefs,
							ac.highest_zoneidx,
							ac.nodemask);
		} else {
			alloc_flags |= PGM_ALLOC_CPUSET;
		}
	}
	ac.owner = owner;

	/* The first pass may not fragment until all local zones were tried */
	alloc_flags |= pgm_alloc_flags_nofragment(inst,
						  ac.preferred_zoneref->zone,
						  gfp);

	hooks = pgm_hooks_flag();
	if (pgm_hooks(hooks) && pgm_explaining(inst))
		explain_request(inst, gfp, order, &ac, alloc_flags);
	/*
	 * The fast path is hardwall, as prepare_alloc_pages() makes it. With
	 * the hooks off it runs a copy the compiler has emptied of them;
	 * with them on, the out-of-line walk.
	 */
	if (unlikely(pgm_hooks(hooks)))
		page = pgm_get_page_from_freelist(ac.cpuset_mems ?
						  gfp | __GFP_HARDWALL : gfp,
						  order, alloc_flags, &ac);
	else
		page = __get_page_from_freelist(ac.cpuset_mems ?
						gfp | __GFP_HARDWALL : gfp, order,
						alloc_flags & ~PGM_ALLOC_HOOKS,
						&ac);
	if (likely(page))
		goto out;

	pgm_explain(inst, "fast path failed: the slow path");
	ac.spread_dirty_pages = false;
	ac.nodemask = nodemask;
	page = __alloc_pages_slowpath(gfp, order, &ac);
out:
	if (pgm_hooks(hooks))
		hooks_alloc_done(inst, page, order, gfp, ac.migratetype);
	return page;
}

/**
 * pgm_alloc_pages_owner - __alloc_pages() on behalf of an owner
 * @inst: the instance
 * @gfp: the gfp mask (the kernel's own bits)
 * @order: the order
 * @preferred_nid: the node to start from
 * @nodemask: allowed nodes, or NULL
 * @owner: the owner allocated for, or NULL; it stands in for current
 *
 * An owner stands in for the task: with allowed nodes restricted, its
 * nodes are the cpuset, as with cpusets enabled upstream. Without a
 * nodemask, prepare_alloc_pages() makes the cpuset the fast path's
 * nodemask, so the preferred zone is the first one the owner may use (and
 * NOFRAGMENT, the NUMA counters and node reclaim follow from it); with a
 * nodemask the fast path checks the cpuset per zone (ALLOC_CPUSET). The
 * slow path starts again from the caller's nodemask and takes
 * ALLOC_CPUSET from the gfp mask, which drops it for GFP_ATOMIC-style
 * requests. An owner the OOM killer chose gets ALLOC_OOM in the slow
 * path.
 *
 * Return: the first page of the block, or NULL.
 */
struct pgm_page *pgm_alloc_pages_owner(struct pgm_instance *inst, gfp_t gfp,
				       unsigned int order, int preferred_nid,
				       const struct pgm_nodemask *nodemask,
				       struct pgm_owner *owner)
{
	return __alloc_pages_owner(inst, gfp, order, preferred_nid, nodemask,
				   owner);
}

/**
 * pgm_alloc_pages - __alloc_pages(): allocate 2^@order pages
 * @inst: the instance
 * @gfp: the gfp mask (the kernel's own bits)
 * @order: the order
 * @preferred_nid: the node to start from
 * @nodemask: allowed nodes, or NULL
 *
 * Return: the first page of the block, or NULL.
 */
struct pgm_page *pgm_alloc_pages(struct pgm_instance *inst, gfp_t gfp,
				 unsigned int order, int preferred_nid,
				 const struct pgm_nodemask *nodemask)
{
	return __alloc_pages_owner(inst, gfp, order, preferred_nid, nodemask,
				   NULL);
}

/**
 * pgm___alloc_pages_bulk - __alloc_pages_bulk(): many order-0 pages at once
 * @inst: the instance
 * @gfp: the gfp mask
 * @preferred_nid: the node to start from
 * @nodemask: allowed nodes, or NULL
 * @nr_pages: the size of @page_array
 * @page_array: filled from the first NULL slot on; slots already set are
 *	skipped, as upstream's array interface does
 *
 * As upstream: the first local zone (on the preferred node) that passes
 * its low watermark plus @nr_pages gives as many pages as its pcp list of
 * the request's migratetype can, refilled from the buddy in batches, under
 * one pcp lock. Where that is not possible (one page to get, no such
 * zone, a remote zone first, a pcp trylock that fails, or nothing on the
 * list) a single pgm_alloc_pages(), slow path and all, gets one page.
 *
 * Return: the number of populated slots of @page_array.
 */
unsigned long pgm___alloc_pages_bulk(struct pgm_instance *inst, gfp_t gfp,
				     int preferred_nid,
				   const struct pgm_nodemask *nodemask,
				   int nr_pages, struct pgm_page **page_array)
{
	unsigned int alloc_flags = PGM_ALLOC_WMARK_LOW;
	struct pgm_zone *zone = NULL, *preferred_zone;
	int nr_populated = 0, nr_account = 0;
	unsigned long __maybe_unused UP_flags;
	struct pgm_per_cpu_pages *pcp;
	unsigned int cpu;
	/* Filled whole by prepare: no automatic zeroing (a rep stos) */
	struct pgm_alloc_context ac __uninitialized;
	struct pgm_list *pcp_list;
	struct pgm_zoneref *z;
	struct pgm_page *page;

	/* Skip the slots already populated */
	while (nr_populated < nr_pages && page_array[nr_populated])
		nr_populated++;
	if (unlikely(nr_pages <= 0) || nr_pages == nr_populated)
		return nr_populated;

	/* The bulk allocator cannot charge a memcg: one page, from the rest */
	if (READ_ONCE(inst->memcg_kmem_online) && (gfp & __GFP_ACCOUNT))
		goto failed;

	/* One page, or no pcp lists to take many from: one at a time */
	if (nr_pages - nr_populated == 1 || !READ_ONCE(inst->tun.pcp))
		goto failed;

	if (!pgm_prepare_alloc_pages(inst, gfp, 0, preferred_nid, nodemask,
				     &ac, &alloc_flags))
		return nr_populated;
	preferred_zone = ac.preferred_zoneref->zone;
	alloc_flags |= pgm_hooks_flag();

	/* An allowed local zone that meets the low watermark */
	for (z = ac.preferred_zoneref; (zone = z->zone);
	     z = pgm_next_zones_zonelist(z + 1, ac.highest_zoneidx,
					 ac.nodemask)) {
		unsigned long mark;

		if (inst->nr_nodes > 1 && zone != preferred_zone &&
		    pgm_zone_to_nid(zone) != pgm_zone_to_nid(preferred_zone))
			goto failed;
		mark = pgm_wmark_pages(zone, alloc_flags & PGM_ALLOC_WMARK_MASK) +
		       nr_pages;
		if (pgm_zone_watermark_fast(zone, 0, mark, preferred_zone->idx,
					    alloc_flags, gfp))
			break;
	}
	if (unlikely(!zone))
		goto failed;

	/* A parallel drain may hold the pcp lock */
	pcp_trylock_prepare(UP_flags);
	pcp = pcp_spin_trylock(zone, &cpu);
	if (!pcp) {
		pcp_trylock_finish(UP_flags);
		goto failed;
	}

	pcp_list = &pcp->lists[pgm_order_to_pindex(ac.migratetype, 0)];
	while (nr_populated < nr_pages) {
		if (page_array[nr_populated]) {
			nr_populated++;
			continue;
		}
		page = __rmqueue_pcplist(zone, 0, ac.migratetype, alloc_flags,
					 pcp, pcp_list);
		if (unlikely(!page)) {
			/* At least one page, then: from the single allocator */
			if (!nr_account) {
				pcp_spin_unlock(pcp);
				pcp_trylock_finish(UP_flags);
				goto failed;
			}
			break;
		}
		nr_account++;
		prep_new_page(inst, page, 0, gfp, ac.migratetype);
		page_array[nr_populated++] = page;
	}
	pcp_spin_unlock(pcp);
	pcp_trylock_finish(UP_flags);

	__pgm_count_vm_events(inst, PGM_PGALLOC_DMA + zone->idx, nr_account);
	zone_statistics(inst, preferred_zone, zone, nr_account, cpu);
	return nr_populated;

failed:
	page = pgm_alloc_pages(inst, gfp, 0, preferred_nid, nodemask);
	if (page)
		page_array[nr_populated++] = page;
	return nr_populated;
}

/*
 * free_page_is_bad() and bad_page(): a double free, a free of a page that
 * is not the head of an allocation, or one of another order. Upstream
 * reports "Bad page state" and leaks the page rather than corrupt the
 * free lists; the mirror reports, counts bad_free and leaves the state as
 * it was, so an in-kernel caller's mistake never reaches the free lists.
 */
static noinline void bad_page(struct pgm_instance *inst, struct pgm_page *page,
			      unsigned int order, unsigned short flags)
{
	const char *why;

	if (flags & (PGM_PG_BUDDY | PGM_PG_PCP))
		why = "already free (double free)";
	else if (!(flags & PGM_PG_HEAD))
		why = "not the head of an allocation";
	else
		why = "freed with the wrong order";
	pgm_count_vm_events(inst, PGM_BAD_FREE, 1);
	pr_err_ratelimited("pgmirror %s: bad free of pfn %lu order %u: %s\n",
			   inst->name, pgm_page_to_pfn(inst, page), order, why);
}

static __always_inline bool free_page_is_bad(struct pgm_instance *inst,
					     struct pgm_page *page,
					     unsigned int order)
{
	unsigned short flags = READ_ONCE(page->flags);

	if (likely((flags & PGM_PG_HEAD) && page->private == order))
		return false;
	bad_page(inst, page, order, flags);
	return true;
}

/*
 * free_pages_prepare(): check the free, poison or zero as asked, and end
 * the allocation. Inline in both free paths, as upstream's.
 */
static __always_inline bool free_pages_prepare(struct pgm_instance *inst,
					       struct pgm_page *page,
					       unsigned int order)
{
	if (unlikely(free_page_is_bad(inst, page, order)))
		return false;
	if (unlikely(READ_ONCE(inst->tun.page_poisoning) ||
		     READ_ONCE(inst->tun.init_on_free)))
		pgm_free_page_debug(inst, page, order);
	pgm_trace(mm_page_free, inst, pgm_page_to_pfn(inst, page), order);
	page->flags &= ~(PGM_PG_HEAD | PGM_PG_COMPOUND);
	page->private = 0;
	page->alloc_mt = 0;
	return true;
}

/**
 * pgm_free_pages - __free_pages(): free a block from pgm_alloc_pages()
 * @inst: the instance
 * @page: the first page
 * @order: the order it was allocated with
 */
void pgm_free_pages(struct pgm_instance *inst, struct pgm_page *page,
		    unsigned int order)
{
	if (free_pages_prepare(inst, page, order))
		free_unref_page(inst, page, order);
}

/* One folio batch: prepared whole, then committed to the pcp lists */
static unsigned int free_unref_folio_batch(struct pgm_instance *inst,
					   struct pgm_page **pages,
					   const unsigned int *orders,
					   unsigned int nr)
{
	struct pgm_zone *locked_zone = NULL;
	struct pgm_per_cpu_pages *pcp = NULL;
	unsigned long __maybe_unused UP_flags;
	bool use_pcp = READ_ONCE(inst->tun.pcp);
	unsigned long to_pcp = 0;
	unsigned int i, cpu, freed = 0;

	/*
	 * The orders the pcp lists do not take reach the buddy here, before
	 * any commit below can drain a list into it.
	 */
	for (i = 0; i < nr; i++) {
		struct pgm_page *page = pages[i];

		if (!free_pages_prepare(inst, page, orders[i]))
			continue;
		freed++;
		if (!pgm_pcp_allowed_order(inst, orders[i]) || !use_pcp) {
			pages[i] = NULL;
			free_one_page(pgm_page_zone(inst, page), page,
				      pgm_page_to_pfn(inst, page), orders[i],
				      false);
			continue;
		}
		__set_bit(i, &to_pcp);
	}

	for_each_set_bit(i, &to_pcp, nr) {
		struct pgm_page *page = pages[i];
		unsigned long pfn = pgm_page_to_pfn(inst, page);
		struct pgm_zone *zone = pgm_page_zone(inst, page);
		unsigned int order = orders[i];
		int migratetype;

		pages[i] = NULL;
		migratetype = pgm_get_pfnblock_migratetype(inst, pfn);
		/* Another zone takes another pcp lock */
		if (zone != locked_zone || pgm_is_migrate_isolate(migratetype)) {
			if (pcp) {
				pcp_spin_unlock(pcp);
				pcp_trylock_finish(UP_flags);
				pcp = NULL;
				locked_zone = NULL;
			}
			if (pgm_is_migrate_isolate(migratetype)) {
				free_one_page(zone, page, pfn, order, false);
				continue;
			}
			/* Freeing may come from any context: only try */
			pcp_trylock_prepare(UP_flags);
			pcp = pcp_spin_trylock(zone, &cpu);
			if (unlikely(!pcp)) {
				pcp_trylock_finish(UP_flags);
				free_one_page(zone, page, pfn, order, false);
				continue;
			}
			locked_zone = zone;
		}
		/* Highatomic and CMA pages are cached as movable */
		if (unlikely(migratetype >= PGM_MIGRATE_PCPTYPES))
			migratetype = PGM_MIGRATE_MOVABLE;
		pgm_trace(mm_page_free_batched, inst, pfn);
		free_unref_page_commit(zone, pcp, page, migratetype, order);
	}
	if (pcp) {
		pcp_spin_unlock(pcp);
		pcp_trylock_finish(UP_flags);
	}
	return freed;
}

static_assert(PGM_FOLIO_BATCH_SIZE <= BITS_PER_LONG);

/**
 * pgm_free_unref_folios - free_unref_folios(): free many blocks at once
 * @inst: the instance
 * @pages: the first page of each block; entries freed are set to NULL
 * @orders: the order of each
 * @nr: how many
 *
 * As release_pages() does upstream, in batches of PGM_FOLIO_BATCH_SIZE:
 * each block of a batch is prepared first (bad frees refused,
 * mm_page_free) and the orders the pcp lists do not take go to the buddy
 * then; the rest are committed to the pcp lists with one pcp lock hold
 * per run of blocks of one zone (mm_page_free_batched each), falling back
 * to the buddy when the trylock fails.
 *
 * Return: how many blocks were freed.
 */
unsigned int pgm_free_unref_folios(struct pgm_instance *inst,
				   struct pgm_page **pages,
				   const unsigned int *orders, unsigned int nr)
{
	unsigned int done, freed = 0;

	for (done = 0; done < nr; done += PGM_FOLIO_BATCH_SIZE)
		freed += free_unref_folio_batch(inst, pages + done,
						orders + done,
						min_t(unsigned int, nr - done,
						      PGM_FOLIO_BATCH_SIZE));
	return freed;
}

/**
 * pgm_split_page - split_page(): make a block 2^@order order-0 allocations
 * @inst: the instance
 * @page: the first page of a block from pgm_alloc_pages()
 * @order: its order
 *
 * Each page may then be freed alone, as after upstream's split_page() of
 * a non-compound block. A page that is not the head of an allocation of
 * @order is left alone.
 */
void pgm_split_page(struct pgm_instance *inst, struct pgm_page *page,
		    unsigned int order)
{
	unsigned long i;

	if (!(page->flags & PGM_PG_HEAD) || page->private != order)
		return;
	page->private = 0;
	for (i = 1; i < (1UL << order); i++) {
		page[i].flags |= PGM_PG_HEAD;
		page[i].private = 0;
		page[i].alloc_mt = page->alloc_mt;
	}
}

/**
 * pgm_page_address - the kernel address of a page's memory
 * @inst: the instance
 * @page: the page
 *
 * Return: the address, or NULL when the instance has no memory behind it.
 */
void *pgm_page_address(struct pgm_instance *inst, struct pgm_page *page)
{
	if (!inst->backing)
		return NULL;
	return pgm_backing_page_address(inst->backing,
					pgm_page_to_pfn(inst, page));
}

/* ==================== tunables ==================== */

/**
 * pgm_set_min_free_kbytes - a write to vm.min_free_kbytes
 * @inst: the instance
 * @val: kbytes, any value >= 0, taken as the user's (so 0 means min
 *	watermarks of 0, as the sysctl does)
 *
 * Return: 0, or -EINVAL for a negative value.
 */
int pgm_set_min_free_kbytes(struct pgm_instance *inst, int val)
{
	/* min_free_kbytes_sysctl_handler(): proc_dointvec_minmax, min 0 */
	if (val < 0)
		return -EINVAL;

	mutex_lock(&inst->tunables_lock);
	inst->tun.min_free_kbytes = val;
	inst->tun.user_min_free_kbytes = val;
	pgm_setup_per_zone_wmarks(inst);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/*
 * zone_pcp_update_cacheinfo(): a CPU whose share of the last-level cache
 * holds more than three batches keeps a batch on its pcp through a run
 * of high-order frees, rather than draining at every one of them
 */
static void zone_pcp_update_cacheinfo(struct pgm_zone *zone, unsigned int cpu)
{
	struct pgm_instance *inst = zinst(zone);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
	unsigned int slice = inst->tun.per_cpu_data_slice_size;
	unsigned long UP_flags;

	pcp_spin_lock_maybe_irqsave(pcp, UP_flags);
	if ((slice >> PAGE_SHIFT) > 3 * pcp->batch)
		pcp->flags |= PGM_PCPF_FREE_HIGH_BATCH;
	else
		pcp->flags &= ~PGM_PCPF_FREE_HIGH_BATCH;
	pcp_spin_unlock_maybe_irqrestore(pcp, UP_flags);
}

/**
 * pgm_setup_pcp_cacheinfo - setup_pcp_cacheinfo() for every pcp CPU
 * @inst: the instance; tunables_lock is held
 *
 * Upstream runs it as cacheinfo brings a CPU online, not when a batch
 * changes later: the flag stays as the batch was then.
 */
void pgm_setup_pcp_cacheinfo(struct pgm_instance *inst)
{
	struct pgm_zone *zone;
	unsigned int cpu;

	lockdep_assert_held(&inst->tunables_lock);
	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone))
		if (pgm_populated_zone(zone))
			for (cpu = 0; cpu < inst->nr_cpus; cpu++)
				zone_pcp_update_cacheinfo(zone, cpu);
}

/**
 * pgm_set_per_cpu_data_slice_size - the CPUs' share of their cache
 * @inst: the instance
 * @bytes: cacheinfo's per_cpu_data_slice_size: the last-level cache over
 *	the CPUs that share it; 0 for a CPU without cacheinfo
 *
 * As the CPUs coming online again with that cache: every pcp's
 * PCPF_FREE_HIGH_BATCH is set anew against its batch.
 *
 * Return: 0, or -EINVAL when negative.
 */
int pgm_set_per_cpu_data_slice_size(struct pgm_instance *inst, int bytes)
{
	if (bytes < 0)
		return -EINVAL;

	mutex_lock(&inst->tunables_lock);
	WRITE_ONCE(inst->tun.per_cpu_data_slice_size, bytes);
	pgm_setup_pcp_cacheinfo(inst);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/**
 * pgm_set_watermark_scale_factor - vm.watermark_scale_factor
 * @inst: the instance
 * @val: 1..3000, in units of 0.01% of the zone
 *
 * Return: 0, or -EINVAL out of range.
 */
int pgm_set_watermark_scale_factor(struct pgm_instance *inst, int val)
{
	if (val < 1 || val > 3000)
		return -EINVAL;

	mutex_lock(&inst->tunables_lock);
	inst->tun.watermark_scale_factor = val;
	pgm_setup_per_zone_wmarks(inst);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/**
 * pgm_set_watermark_boost_factor - vm.watermark_boost_factor
 * @inst: the instance
 * @val: >= 0, in units of 0.01% of the high watermark; 0 disables boosting
 *
 * Return: 0, or -EINVAL when negative.
 */
int pgm_set_watermark_boost_factor(struct pgm_instance *inst, int val)
{
	if (val < 0)
		return -EINVAL;

	mutex_lock(&inst->tunables_lock);
	WRITE_ONCE(inst->tun.watermark_boost_factor, val);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/**
 * pgm_set_lowmem_reserve_ratio - lowmem_reserve_ratio_sysctl_handler()
 * @inst: the instance
 * @ratio: in, the first @nr zones' new ratios; out, every zone's as set
 * @nr: 1..PGM_MAX_NR_ZONES; as after a short write to the sysctl, the
 *	zones past the @nr-th keep theirs
 *
 * Any ratio below 1 is stored as 0, no reserve, as upstream's handler
 * leaves every entry.
 *
 * Return: 0, or -EINVAL for @nr out of range, with nothing changed.
 */
int pgm_set_lowmem_reserve_ratio(struct pgm_instance *inst,
				 int ratio[PGM_MAX_NR_ZONES], unsigned int nr)
{
	int i;

	if (!nr || nr > PGM_MAX_NR_ZONES)
		return -EINVAL;
	mutex_lock(&inst->tunables_lock);
	for (i = 0; i < PGM_MAX_NR_ZONES; i++) {
		if (i < nr)
			inst->tun.lowmem_reserve_ratio[i] = max(ratio[i], 0);
		ratio[i] = inst->tun.lowmem_reserve_ratio[i];
	}
	pgm_setup_per_zone_lowmem_reserve(inst);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/**
 * pgm_set_percpu_pagelist_high_fraction - vm.percpu_pagelist_high_fraction
 * @inst: the instance
 * @val: 0 for the default sizing, or at least 8
 *
 * Return: 0, or -EINVAL out of range.
 */
int pgm_set_percpu_pagelist_high_fraction(struct pgm_instance *inst, int val)
{
	struct pgm_zone *zone;

	if (val < 0 || (val && val < PGM_MIN_PERCPU_PAGELIST_HIGH_FRACTION))
		return -EINVAL;

	mutex_lock(&inst->tunables_lock);
	/*
	 * The same value resizes nothing: a recompute would read a low
	 * watermark raised by watermark_boost into high_min
	 */
	if (val != inst->tun.percpu_pagelist_high_fraction) {
		inst->tun.percpu_pagelist_high_fraction = val;
		for (zone = pgm_first_zone(inst); zone;
		     zone = pgm_next_zone(inst, zone))
			if (pgm_populated_zone(zone))
				pgm_zone_pcp_update(zone);
	}
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/**
 * pgm_set_policy_knob - switch one of upstream's policies off or back on
 * @inst: the instance
 * @what: which
 * @on: 1 for upstream's behaviour, 0 for off
 *
 * For experiments: page_group_by_mobility (off, every request is served
 * as unmovable and every fallback claims, as upstream with
 * page_group_by_mobility_disabled; pageblocks keep their types until set),
 * ALLOC_NOFRAGMENT, the highatomic reserve, the pcp lists (off, every
 * request and free goes to the buddy lists; the lists are drained first),
 * kswapd wakeups, direct reclaim, direct compaction and kcompactd (off, it
 * is never woken and makes no proactive pass).
 *
 * Return: 0.
 */
int pgm_set_policy_knob(struct pgm_instance *inst, enum pgm_policy what, int on)
{
	int *knob[] = {
		[PGM_POLICY_MOBILITY] = &inst->tun.group_by_mobility,
		[PGM_POLICY_NOFRAGMENT] = &inst->tun.alloc_nofragment,
		[PGM_POLICY_HIGHATOMIC] = &inst->tun.highatomic,
		[PGM_POLICY_PCP] = &inst->tun.pcp,
		[PGM_POLICY_KSWAPD] = &inst->tun.kswapd,
		[PGM_POLICY_DIRECT_RECLAIM] = &inst->tun.direct_reclaim,
		[PGM_POLICY_DIRECT_COMPACTION] = &inst->tun.direct_compaction,
		[PGM_POLICY_KCOMPACTD] = &inst->tun.kcompactd,
	};

	mutex_lock(&inst->tunables_lock);
	WRITE_ONCE(*knob[what], !!on);
	/* No request may find a page left cached once the lists are off */
	if (what == PGM_POLICY_PCP && !on)
		pgm_drain_all_pages_wait(inst);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/**
 * pgm_set_pcp_size - fix the pcp batch or high of every zone
 * @inst: the instance
 * @high: set high (true) or batch (false)
 * @val: pages; 0 returns to zone_batchsize() / zone_highsize()
 *
 * A fixed high also stops the auto-tuning between high_min and high_max,
 * as a percpu_pagelist_high_fraction does upstream. Pages already on the
 * lists stay until the next free or drain trims them, as after the sysctl.
 *
 * Return: 0, or -EINVAL out of range.
 */
int pgm_set_pcp_size(struct pgm_instance *inst, bool high, int val)
{
	struct pgm_zone *zone;

	if (val < 0 || val > (high ? PGM_PCP_HIGH_MAX : PGM_PCP_BATCH_MAX))
		return -EINVAL;

	mutex_lock(&inst->tunables_lock);
	WRITE_ONCE(*(high ? &inst->tun.pcp_high : &inst->tun.pcp_batch), val);
	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone))
		pgm_zone_pcp_update(zone);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/**
 * pgm_set_claim_threshold - move try_to_steal_block()'s claim point
 * @inst: the instance
 * @pages: free-or-alike pages a pageblock needs before a fallback claims
 *	it; 0 claims every time, PGM_PAGEBLOCK_NR_PAGES only wholly alike
 *	blocks
 *
 * Return: 0, or -EINVAL out of range.
 */
int pgm_set_claim_threshold(struct pgm_instance *inst, int pages)
{
	if (pages < 0 || pages > PGM_PAGEBLOCK_NR_PAGES)
		return -EINVAL;
	mutex_lock(&inst->tunables_lock);
	WRITE_ONCE(inst->tun.claim_threshold, pages);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/**
 * pgm_set_fallbacks - replace one row of fallbacks[]
 * @inst: the instance
 * @mt: the pcp type whose row changes
 * @row: the types @mt falls back to, in order; -1 ends the row early
 *
 * Readers take the row without a lock, one entry at a time: a request
 * racing with the write may see one old and one new entry, which is
 * still a valid order.
 *
 * Return: 0, or -EINVAL for a type out of range, @mt itself or a repeat.
 */
int pgm_set_fallbacks(struct pgm_instance *inst, int mt,
		      const int row[PGM_MIGRATE_PCPTYPES - 1])
{
	int i, j;

	if (mt < 0 || mt >= PGM_MIGRATE_PCPTYPES)
		return -EINVAL;
	for (i = 0; i < PGM_MIGRATE_PCPTYPES - 1; i++) {
		if (row[i] < -1 || row[i] >= PGM_MIGRATE_PCPTYPES ||
		    row[i] == mt)
			return -EINVAL;
		for (j = 0; j < i && row[i] >= 0; j++)
			if (row[j] == row[i] || row[j] < 0)
				return -EINVAL;
	}

	mutex_lock(&inst->tunables_lock);
	for (i = 0; i < PGM_MIGRATE_PCPTYPES - 1; i++)
		WRITE_ONCE(inst->tun.fallbacks[mt][i], row[i]);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/*
 * Fill every free page of @zone with @byte, PAGE_POISON or 0, so that
 * checks may begin or clearing may stop. A pfn walk, the zone lock held a
 * pageblock (or a larger free block) at a time: an instance's zone may be
 * gigabytes, too long to keep interrupts off. What merges behind the walk
 * was filled, or freed since the tunable went on and filled by its free.
 * Return: false if a fatal signal cut the walk short.
 */
static bool pgm_fill_free_pages(struct pgm_instance *inst,
				struct pgm_zone *zone, int byte)
{
	unsigned long pfn = zone->zone_start_pfn, end = pgm_zone_end_pfn(zone);
	unsigned long flags, i, stop;

	while (pfn < end) {
		stop = min(ALIGN(pfn + 1, PGM_PAGEBLOCK_NR_PAGES), end);
		spin_lock_irqsave(&zone->lock, flags);
		while (pfn < stop) {
			struct pgm_page *page = pgm_pfn_to_page(inst, pfn);
			unsigned long nr = 1;

			if (pgm_page_buddy(page)) {
				nr = 1UL << pgm_buddy_order(page);
				for (i = 0; i < nr; i++)
					memset(pgm_page_address(inst, page + i),
					       byte, PAGE_SIZE);
			}
			pfn += nr;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
		cond_resched();
		if (fatal_signal_pending(current))
			return false;
	}
	return true;
}

/* Every zone's free pages filled, the pcp lists drained first */
static bool pgm_fill_all_free_pages(struct pgm_instance *inst, int byte)
{
	struct pgm_zone *zone;

	pgm_drain_all_pages_wait(inst);
	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone))
		if (!pgm_fill_free_pages(inst, zone, byte))
			return false;
	return true;
}

/**
 * pgm_set_page_debug - page_poison=, init_on_free= and init_on_alloc= at
 * run time
 * @inst: the instance
 * @what: which
 * @on: 1 or 0
 *
 * Upstream sets them at boot, when nothing is free yet. Turning poisoning
 * on here first poisons every later free, then drains the pcp lists and
 * poisons what is already free, and only then starts checking, so no page
 * freed before is mistaken for a corrupted one. Poisoning takes precedence
 * over the other two, as upstream. With init_on_free in force, allocations
 * do not clear, __GFP_ZERO ones included, as upstream's post_alloc_hook():
 * every free page is zeroed first, after the pcp lists are drained. Callers
 * hold iface_lock exclusive: no free that read the tunables before the
 * change may still be on its way to a list once the pass is done. A fatal
 * signal ends either pass: poisoning is then left off; init_on_free stays
 * on, and allocations go on clearing.
 *
 * Return: 0, -EINVAL without a backing to write to, or -EINTR when turning
 * poisoning on was cut short (nothing changed).
 */
int pgm_set_page_debug(struct pgm_instance *inst, enum pgm_page_debug what,
		       int on)
{
	int was_zeroed, ret = 0;

	/* Off is already true without a backing: accepted, so tunables replay */
	if (!inst->backing)
		return on ? -EINVAL : 0;
	mutex_lock(&inst->tunables_lock);
	/* Allocations clear again until the free pages are known zero */
	was_zeroed = inst->tun.free_zeroed;
	WRITE_ONCE(inst->tun.free_zeroed, 0);
	switch (what) {
	case PGM_PAGE_POISONING:
		if (!on) {
			WRITE_ONCE(inst->tun.poison_check, 0);
			WRITE_ONCE(inst->tun.page_poisoning, 0);
			break;
		}
		WRITE_ONCE(inst->tun.page_poisoning, 1);
		if (!pgm_fill_all_free_pages(inst, PAGE_POISON)) {
			/* Killed: left off, what was poisoned changes nothing */
			WRITE_ONCE(inst->tun.page_poisoning, 0);
			ret = -EINTR;
			break;
		}
		WRITE_ONCE(inst->tun.poison_check, 1);
		break;
	case PGM_INIT_ON_FREE:
		WRITE_ONCE(inst->tun.init_on_free, !!on);
		break;
	case PGM_INIT_ON_ALLOC:
		WRITE_ONCE(inst->tun.init_on_alloc, !!on);
		break;
	}
	/*
	 * want_init_on_free(), not poisoning's: every later free zeroes,
	 * so once what is free now is zeroed too, allocations need not
	 */
	if (READ_ONCE(inst->tun.init_on_free) &&
	    !READ_ONCE(inst->tun.page_poisoning)) {
		/*
		 * Zeroed already, unless it or poisoning just changed. Killed
		 * meanwhile, allocations go on clearing until the next change
		 */
		if (was_zeroed || pgm_fill_all_free_pages(inst, 0))
			WRITE_ONCE(inst->tun.free_zeroed, 1);
	}
	mutex_unlock(&inst->tunables_lock);
	return ret;
}

/**
 * pgm_setup_min_ratios - setup_min_unmapped_ratio() and setup_min_slab_ratio()
 * @inst: the instance; tunables_lock held
 *
 * The floors below which node_reclaim() leaves a node's page cache and
 * slab alone, as a percentage of the managed pages of its zones.
 */
void pgm_setup_min_ratios(struct pgm_instance *inst)
{
	struct pgm_zone *zone;
	unsigned int n;

	lockdep_assert_held(&inst->tunables_lock);
	for (n = 0; n < inst->nr_nodes; n++) {
		WRITE_ONCE(inst->node_data[n].min_unmapped_pages, 0);
		WRITE_ONCE(inst->node_data[n].min_slab_pages, 0);
	}
	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone)) {
		struct pgm_pglist_data *pgdat = zone->zone_pgdat;
		unsigned long managed = pgm_zone_managed_pages(zone);

		WRITE_ONCE(pgdat->min_unmapped_pages,
			   pgdat->min_unmapped_pages +
			   managed * inst->tun.min_unmapped_ratio / 100);
		WRITE_ONCE(pgdat->min_slab_pages,
			   pgdat->min_slab_pages +
			   managed * inst->tun.min_slab_ratio / 100);
	}
}

/**
 * pgm_set_node_reclaim_tunable - vm.zone_reclaim_mode, vm.min_unmapped_ratio,
 * vm.min_slab_ratio or vm.dirty_ratio
 * @inst: the instance
 * @tunable: &inst->tun.node_reclaim_mode, .min_unmapped_ratio,
 *	     .min_slab_ratio or .dirty_ratio
 * @val: the mode (PGM_RECLAIM_* bits) or the percentage
 *
 * The ratios take effect at once, as their sysctl handlers recompute the
 * node floors.
 *
 * Return: 0, or -EINVAL out of range.
 */
int pgm_set_node_reclaim_tunable(struct pgm_instance *inst, int *tunable,
				 int val)
{
	struct pgm_tunables *tun = &inst->tun;

	if (tunable == &tun->node_reclaim_mode) {
		/* Any bits, as the sysctl: node_reclaim_enabled() masks them */
		if (val < 0)
			return -EINVAL;
	} else if (tunable == &tun->min_unmapped_ratio ||
		   tunable == &tun->min_slab_ratio ||
		   tunable == &tun->dirty_ratio) {
		if (val < 0 || val > 100)
			return -EINVAL;
	} else {
		return -EINVAL;
	}

	mutex_lock(&inst->tunables_lock);
	WRITE_ONCE(*tunable, val);
	pgm_setup_min_ratios(inst);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/* ========================= contiguous ranges ========================= */

#ifdef __GFP_SKIP_KASAN
#define PGM_GFP_SKIP_KASAN	__GFP_SKIP_KASAN
#else
#define PGM_GFP_SKIP_KASAN	0
#endif

/**
 * pgm_alloc_contig_verify_gfp - __alloc_contig_verify_gfp_mask()
 * @gfp: the mask given to alloc_contig_range()
 * @cc_gfp: set to the mask migration allocates with
 *
 * The range is given, so placement hints are dropped; only reclaim and a
 * few action modifiers are taken. What migrates the range out allocates
 * with the reclaim bits given, and always HARDWALL, MOVABLE and
 * RETRY_MAYFAIL.
 *
 * Return: 0, or -EINVAL for a modifier alloc_contig_range() refuses.
 */
int pgm_alloc_contig_verify_gfp(gfp_t gfp, gfp_t *cc_gfp)
{
	const gfp_t reclaim_mask = __GFP_IO | __GFP_FS | __GFP_RECLAIM;
	const gfp_t action_mask = __GFP_COMP | __GFP_RETRY_MAYFAIL |
		__GFP_NOWARN | __GFP_ZERO | __GFP_ZEROTAGS | __GFP_SKIP_ZERO |
		PGM_GFP_SKIP_KASAN;
	const gfp_t cc_action_mask = __GFP_RETRY_MAYFAIL | __GFP_NOWARN;

	gfp &= ~(GFP_ZONEMASK | __GFP_RECLAIMABLE | __GFP_WRITE |
		 __GFP_HARDWALL | __GFP_THISNODE | __GFP_MOVABLE);
	if (gfp & ~(reclaim_mask | action_mask))
		return -EINVAL;
	*cc_gfp = (gfp & (reclaim_mask | cc_action_mask)) | __GFP_HARDWALL |
		  __GFP_MOVABLE | __GFP_RETRY_MAYFAIL;
	return 0;
}

/**
 * pgm_alloc_migration_gfp() - alloc_migration_target()'s mask for a target
 * @zone: the source block's zone
 * @gfp: the migration's mask (migration_target_control's gfp_mask)
 * @order: the source block's order
 *
 * Return: the mask a target block like the source is allocated with.
 */
gfp_t pgm_alloc_migration_gfp(const struct pgm_zone *zone, gfp_t gfp,
			      unsigned int order)
{
	if (order) {
		/* A large folio allocates as THP does, without kswapd */
		gfp &= ~__GFP_RECLAIM;
		gfp |= GFP_TRANSHUGE;
	}
	if (zone->idx == PGM_ZONE_MOVABLE)
		gfp |= __GFP_HIGHMEM;
	/* __folio_alloc() makes a folio of any order: mm_page_alloc shows it */
	return gfp | __GFP_COMP;
}

/* An allocation at @pfn the contiguous path may take; lru_lock held */
static struct pgm_alloc *contig_candidate(struct pgm_instance *inst,
					  unsigned long pfn, gfp_t gfp)
{
	struct pgm_page *page = pgm_pfn_to_page(inst, pfn);

	if (!(page->flags & PGM_PG_LRU) ||
	    !pgm_alloc_isolatable(page->alloc, gfp))
		return NULL;
	return page->alloc;
}

/*
 * __alloc_contig_migrate_range(): empty [@start, @end) of what can move,
 * a batch at a time. isolate_migratepages_range() takes allocations from
 * the LRU up to COMPACT_CLUSTER_MAX pages (each counted in
 * compact_isolated); reclaim_clean_pages_from_list() then reclaims the
 * batch's clean page cache, and migrate_pages() moves the rest, highest
 * pfn first as it walks the list isolation built head first, to blocks
 * the allocator hands out; the sources are freed onto the isolated free
 * lists. Kernel, slab and pinned memory stays, for the caller to find
 * busy, and so does file memory when @gfp lacks __GFP_FS. On -ENOMEM the
 * rest of the batch stays put, as migrate_pages() bails out at once.
 * The batch is its heads' pfns: each is looked up again under lru_lock,
 * as another writer may free it while the lock is dropped.
 *
 * Return: 0, -ENOMEM when no target block could be allocated, or -EINTR
 * at a fatal signal.
 */
static int alloc_contig_migrate_range(struct pgm_zone *zone,
				      unsigned long start, unsigned long end,
				      gfp_t gfp, struct pgm_contig_info *info)
{
	struct pgm_pglist_data *pgdat = zone->zone_pgdat;
	struct pgm_instance *inst = zinst(zone);
	unsigned long batch[PGM_SWAP_CLUSTER_MAX];
	unsigned long pfn = start;

	while (pfn < end) {
		unsigned long want = 0;
		unsigned int nr = 0, i;

		if (fatal_signal_pending(current))
			return -EINTR;
		spin_lock(&pgdat->lru_lock);
		for (; pfn < end && want < PGM_SWAP_CLUSTER_MAX; pfn++) {
			struct pgm_alloc *a = contig_candidate(inst, pfn, gfp);

			if (!a)
				continue;
			batch[nr++] = pfn;
			want += 1UL << a->order;
			pfn += (1UL << a->order) - 1;
		}
		spin_unlock(&pgdat->lru_lock);
		pgm_count_vm_events(inst, PGM_COMPACTISOLATED, want);
		cond_resched();

		/* Clean page cache is dropped, not moved */
		for (i = 0; i < nr; i++) {
			struct pgm_alloc *a;
			bool reclaimed = false;

			spin_lock(&pgdat->lru_lock);
			a = contig_candidate(inst, batch[i], gfp);
			if (a && a->kind == PGM_KIND_FILE && !a->dirty)
				reclaimed = pgm_handle_isolate(inst, pgdat, a,
							       false, NULL);
			spin_unlock(&pgdat->lru_lock);
			if (!reclaimed)
				continue;
			info->reclaimed += 1UL << a->order;
			pgm_alloc_put(inst, a);
		}

		while (nr--) {
			struct pgm_page *page = pgm_pfn_to_page(inst, batch[nr]);
			unsigned int order;
			struct pgm_page *dst;
			struct pgm_alloc *a;

			spin_lock(&pgdat->lru_lock);
			a = contig_candidate(inst, batch[nr], gfp);
			order = a ? a->order : 0;
			spin_unlock(&pgdat->lru_lock);
			if (!a)
				continue;
			dst = pgm_alloc_pages(inst,
					      pgm_alloc_migration_gfp(zone, gfp,
								      order),
					      order, pgdat->node_id, NULL);
			if (!dst) {
				pgm_count_vm_events(inst, PGM_PGMIGRATE_FAIL,
						    1L << order);
				return -ENOMEM;
			}
			if (pgm_alloc_migrate(inst, a, page, dst, order)) {
				pgm_free_pages(inst, page, order);
				pgm_count_vm_events(inst, PGM_PGMIGRATE_SUCCESS,
						    1L << order);
				info->migrated += 1UL << order;
			} else {
				pgm_free_pages(inst, dst, order);
			}
			cond_resched();
		}
	}
	return 0;
}

/*
 * isolate_freepages_range() and split_free_pages(): take every free block
 * of [@start_pfn, @end_pfn) off the isolated free lists, a pageblock at a
 * time, and hand its pages out as order-0 allocations. The last block may
 * end past @end_pfn. A pageblock taken whole counts its blocks in
 * compact_isolated, as strict isolate_freepages_block() does; one with a
 * page not free counts nothing.
 *
 * Return: the pfn after the last block, or 0 when a page of the range was
 * not free; what was taken is freed again then.
 */
static unsigned long isolate_freepages_range(struct pgm_zone *zone,
					     unsigned long start_pfn,
					     unsigned long end_pfn, gfp_t gfp)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long pfn = start_pfn, flags;

	while (pfn < end_pfn) {
		unsigned long block_end = min(ALIGN(pfn + 1,
						    PGM_PAGEBLOCK_NR_PAGES),
					      end_pfn);
		unsigned long first = pfn;
		bool busy = false;

		spin_lock_irqsave(&zone->lock, flags);
		while (pfn < block_end) {
			struct pgm_page *page = pgm_pfn_to_page(inst, pfn);
			unsigned int order;

			if (!pgm_page_buddy(page)) {
				busy = true;
				break;
			}
			order = pgm_buddy_order(page);
			pgm_isolate_free_block_locked(zone, page, order);
			/* Marked now, prepared below without the lock */
			page->flags |= PGM_PG_HEAD;
			page->private = order;
			pfn += 1UL << order;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
		if (!busy)
			pgm_count_vm_events(inst, PGM_COMPACTISOLATED,
					    pfn - first);

		while (first < pfn) {
			struct pgm_page *page = pgm_pfn_to_page(inst, first);
			unsigned int order = page->private;

			/* As post_alloc_hook(): the type the mask asks for */
			prep_new_page(inst, page, order, gfp,
				      pgm_inst_gfp_migratetype(inst, gfp));
			pgm_split_page(inst, page, order);
			first += 1UL << order;
		}
		if (busy) {
			if (pfn > start_pfn)
				pgm_free_contig_range(inst, start_pfn,
						      pfn - start_pfn);
			return 0;
		}
		cond_resched();
	}
	return pfn;
}

/**
 * pgm_alloc_contig_range - alloc_contig_range(): allocate a given range
 * @inst: the instance
 * @start: first pfn
 * @end: pfn after the last; the range's pageblocks in one zone
 * @migratetype: PGM_MIGRATE_MOVABLE, or PGM_MIGRATE_CMA inside the CMA area
 * @gfp: reclaim and action modifiers (__GFP_NOWARN, __GFP_ZERO ...);
 *	placement hints are ignored. __GFP_COMP, which makes a gigantic
 *	folio upstream, is refused: pgmirror has no folios past MAX_ORDER.
 * @info: filled with what was migrated and, on -EBUSY, the busy pfn
 *
 * The pageblocks are isolated, the pcp lists drained, what can move is
 * moved out, and the range, free now, is taken off the free lists as
 * order-0 pages; free blocks that stuck out at either end are freed
 * again. The blocks then get @migratetype back, also on failure. A
 * failed isolation gives back only the blocks it isolated itself, where
 * upstream undoes the whole range, blocks someone else had isolated
 * included (see the admin guide).
 *
 * Return: 0 with every page of the range allocated (free them with
 * pgm_free_contig_range()); -EINVAL for a bad range, type or gfp; -EBUSY
 * when a page could not be freed up; -ENOMEM when migration found no
 * target; -EINTR at a fatal signal.
 */
int pgm_alloc_contig_range(struct pgm_instance *inst, unsigned long start,
			   unsigned long end, int migratetype, gfp_t gfp,
			   struct pgm_contig_info *info)
{
	unsigned long outer_start, outer_end;
	struct pgm_zone *zone;
	gfp_t cc_gfp;
	int ret;

	if (start >= end || end > inst->nr_pages ||
	    (migratetype != PGM_MIGRATE_MOVABLE &&
	     migratetype != PGM_MIGRATE_CMA) ||
	    (gfp & __GFP_COMP) || pgm_alloc_contig_verify_gfp(gfp, &cc_gfp))
		return -EINVAL;
	zone = pgm_page_zone(inst, pgm_pfn_to_page(inst, start));

	/*
	 * A failed isolation undid its own blocks. Upstream undoes the range
	 * again, which here would give a block the isolate command holds
	 * (or a CMA block) back as @migratetype: not this call's to undo.
	 */
	ret = pgm_start_isolate_page_range(inst, start, end, migratetype,
					   &info->busy_pfn);
	if (ret)
		return ret;
	pgm_drain_all_pages(inst, zone);

	/* What stays busy shows in the test below */
	ret = alloc_contig_migrate_range(zone, start, end, cc_gfp, info);
	if (ret && ret != -EBUSY)
		goto done;
	ret = 0;

	outer_start = find_large_buddy(inst, start);
	if (pgm_test_pages_isolated(inst, outer_start, end, &info->busy_pfn)) {
		ret = -EBUSY;
		goto done;
	}
	outer_end = isolate_freepages_range(zone, outer_start, end, gfp);
	if (!outer_end) {
		ret = -EBUSY;
		goto done;
	}
	if (start != outer_start)
		pgm_free_contig_range(inst, outer_start, start - outer_start);
	if (end != outer_end)
		pgm_free_contig_range(inst, end, outer_end - end);
done:
	pgm_undo_isolate_page_range(inst, start, end, migratetype);
	return ret;
}

/**
 * pgm_free_contig_range - free_contig_range(): free order-0 pages one by one
 * @inst: the instance
 * @pfn: the first
 * @nr_pages: how many
 *
 * Context: may sleep: it reschedules at the end of each pageblock.
 */
void pgm_free_contig_range(struct pgm_instance *inst, unsigned long pfn,
			   unsigned long nr_pages)
{
	for (; nr_pages--; pfn++) {
		pgm_free_pages(inst, pgm_pfn_to_page(inst, pfn), 0);
		/* A range may be TiBs of a metadata-only instance */
		if (!((pfn + 1) % PGM_PAGEBLOCK_NR_PAGES))
			cond_resched();
	}
}

/* pfn_range_valid_contig(): pgmirror has no holes, reserved or huge pages */
static bool pfn_range_valid_contig(struct pgm_zone *zone,
				   unsigned long start_pfn,
				   unsigned long nr_pages)
{
	struct pgm_instance *inst = zinst(zone);
	unsigned long pfn;

	for (pfn = start_pfn; pfn < start_pfn + nr_pages; pfn++)
		if (pgm_page_zone(inst, pgm_pfn_to_page(inst, pfn)) != zone)
			return false;
	return true;
}

/*
 * Where the next range may start, at or after @pfn; the walk steps by
 * nr_pages. Without an alignment this is upstream's walk, ALIGN(zone
 * start, nr_pages) first (@first) and then plain steps. With one, each
 * start is rounded up to it. A range that would cross a multiple of the
 * boundary moves up to that multiple.
 */
static unsigned long contig_next_pfn(unsigned long pfn, unsigned long nr_pages,
				     const struct pgm_contig_limits *lim,
				     bool first)
{
	for (;;) {
		if (lim->align)
			pfn = ALIGN(pfn, lim->align);
		else if (first)
			pfn = ALIGN(pfn, nr_pages);
		if (!lim->boundary ||
		    !((pfn ^ (pfn + nr_pages - 1)) & ~(lim->boundary - 1)))
			return pfn;
		pfn = ALIGN(pfn + 1, lim->boundary);
		first = true;
	}
}

/**
 * pgm_alloc_contig_pages - alloc_contig_pages(): find and allocate a range
 * @inst: the instance
 * @nr_pages: pages wanted, at least 1
 * @gfp: as pgm_alloc_contig_range(); its zone bits and @nid pick the
 *	zonelist searched
 * @nid: the node whose zonelist is searched
 * @nodemask: the nodes allowed, or NULL
 * @lim: FreeBSD's vm_phys_alloc_contig() constraints; a zeroed struct with
 *	@lim->high = inst->nr_pages is upstream's search
 * @info: what the last try did, and how many ranges were tried
 *
 * Each zone of the zonelist is walked from its start; every candidate is
 * handed to alloc_contig_range() for MIGRATE_MOVABLE, and the first that
 * succeeds is the result. Upstream takes the zone lock for the walk and
 * drops it for each try; so does this. A control write (the caller holds
 * iface_lock as its writer) lets go of it every PGM_IFACE_BATCH tries, and
 * a fatal signal ends the walk.
 *
 * Return: the first page of the range, or NULL.
 */
struct pgm_page *pgm_alloc_contig_pages(struct pgm_instance *inst,
					unsigned long nr_pages, gfp_t gfp,
					int nid,
					const struct pgm_nodemask *nodemask,
					const struct pgm_contig_limits *lim,
					struct pgm_contig_info *info)
{
	int highest = pgm_gfp_zone(gfp);
	struct pgm_zoneref *z;
	struct pgm_zone *zone;
	unsigned long pfn, flags;

	if (!nr_pages || highest < 0 || nid < 0 || nid >= inst->nr_nodes)
		return NULL;
	z = inst->node_data[nid].node_zonelists[(gfp & __GFP_THISNODE) ?
						PGM_ZONELIST_NOFALLBACK :
						PGM_ZONELIST_FALLBACK]._zonerefs;
	for (z = pgm_next_zones_zonelist(z, highest, nodemask);
	     (zone = z->zone);
	     z = pgm_next_zones_zonelist(z + 1, highest, nodemask)) {
		spin_lock_irqsave(&zone->lock, flags);
		pfn = contig_next_pfn(max(zone->zone_start_pfn, lim->low),
				      nr_pages, lim, true);
		while (pgm_zone_spans_pfn(zone, pfn + nr_pages - 1) &&
		       pfn + nr_pages <= lim->high) {
			if (pfn_range_valid_contig(zone, pfn, nr_pages)) {
				int ret;

				spin_unlock_irqrestore(&zone->lock, flags);
				info->tried++;
				info->busy_pfn = 0;
				ret = pgm_alloc_contig_range(inst, pfn,
							     pfn + nr_pages,
							     PGM_MIGRATE_MOVABLE,
							     gfp, info);
				if (!ret)
					return pgm_pfn_to_page(inst, pfn);
				/*
				 * A killed writer stops, as does one whose
				 * instance is being destroyed; upstream scans on
				 */
				if (ret == -EINTR || fatal_signal_pending(current) ||
				    READ_ONCE(inst->dying))
					return NULL;
				/*
				 * A control write lets readers and writers in
				 * between tries now and then, holding nothing
				 */
				if (!(info->tried % PGM_IFACE_BATCH) &&
				    pgm_iface_holder(inst) &&
				    !pgm_iface_relax(inst, NULL))
					return NULL;
				cond_resched();
				spin_lock_irqsave(&zone->lock, flags);
			}
			pfn = contig_next_pfn(pfn + nr_pages, nr_pages, lim,
					      false);
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	return NULL;
}
