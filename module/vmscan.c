// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the mirror of mm/vmscan.c, direct reclaim.
 *
 * pgm_try_to_free_pages() walks the priorities from DEF_PRIORITY down,
 * as do_try_to_free_pages() does, shrinking the inactive file list of each
 * memcg's lruvec on each allowed node, and the node's reclaimable slab,
 * until SWAP_CLUSTER_MAX pages are back. The mirror has no swap, so anon
 * memory is never reclaimed (can_reclaim_anon_pages() is false); pinned,
 * kernel and unreclaimable slab memory never is either.
 *
 * Only allocations with a handle can be reclaimed: reclaim frees them as
 * the free command does. An allocation an in-kernel caller made with
 * pgm_alloc_create() and kept to itself is owned by that caller, stays
 * on the LRU and is skipped.
 *
 * Locking: reclaim runs in the allocating context. The claim on the
 * handles xarray, under lru_lock, keeps a handle from being freed twice
 * by reclaim, kswapd, the OOM reaper and free commands running at once;
 * kswapd and the bench's timed runs hold iface_lock shared only so that
 * verify and the other commands that take it exclusively see no reclaim
 * in flight. lru_lock is held while a batch is isolated and dropped
 * before any of it goes back to the buddy lists, so lru_lock never nests
 * with a zone or pcp lock.
 */

#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>

#include "pgmirror.h"
#include "lru.h"
#include "compaction.h"
#include "explain.h"

#define PGM_DEF_PRIORITY	12
#define PGM_DEFAULT_SEEKS	2
/* SHRINK_BATCH: objects a shrinker is asked to scan at a time */
#define PGM_SHRINK_BATCH	128

/**
 * struct pgm_scan_control - the mirror of struct scan_control
 * @nr_to_reclaim: pages to get back before stopping
 * @nr_scanned: LRU pages isolated during this call
 * @nr_reclaimed: pages freed during this call, slab included once flushed
 * @slab_reclaimed: slab pages freed in this shrink_node() pass and not yet
 *	in @nr_reclaimed: current->reclaim_state
 * @priority: scan 1/2^priority of each list
 * @reclaim_idx: highest zone whose pages may be reclaimed
 * @gfp_mask: the allocation's gfp mask
 * @order: the order reclaim is for; kswapd drops it to 0 once it has
 *	reclaimed compact_gap() of it
 * @may_writepage: dirty file pages may be written back and freed
 * @kswapd: kswapd's reclaim, counted as pgscan_kswapd/pgsteal_kswapd
 * @memcg_full_walk: visit every memcg, from the root, not stopping once
 *	nr_to_reclaim is back; a direct reclaim's retry
 * @compaction_ready: a zone skipped as compaction could already make the
 *	costly order
 * @memcg_low_reclaim: owners within memory.low are reclaimed too, the
 *	last retry of a direct reclaim
 * @memcg_low_skipped: an owner's memory.low kept some of its pages from
 *	this reclaim
 * @force_deactivate: active lists may be deactivated whatever their
 *	ratio; a direct reclaim's retry
 * @skipped_deactivate: an active list was to be scanned but might not be
 *	deactivated
 * @no_cache_trim_mode: kswapd's second run, cache trim mode off
 * @cache_trim_mode_failed: a pass in cache trim mode reclaimed nothing
 * @target: the owner whose pages alone are reclaimed (target_mem_cgroup),
 *	or NULL for global reclaim
 */
struct pgm_scan_control {
	unsigned long nr_to_reclaim;
	unsigned long nr_scanned;
	unsigned long nr_reclaimed;
	unsigned long slab_reclaimed;
	int priority;
	int order;
	enum pgm_zone_type reclaim_idx;
	gfp_t gfp_mask;
	bool may_writepage;
	bool kswapd;
	bool memcg_full_walk;
	bool compaction_ready;
	bool memcg_low_reclaim;
	bool memcg_low_skipped;
	bool force_deactivate;
	bool skipped_deactivate;
	bool no_cache_trim_mode;
	bool cache_trim_mode_failed;
	struct pgm_owner *target;
};

/*
 * Isolate up to @nr_to_scan pages from the tail (the oldest end) of @src,
 * as isolate_lru_folios(). Pages of zones above reclaim_idx are skipped:
 * they do not count towards @nr_to_scan but are in *@nr_scanned, the
 * pgscan count, and go back to the head of the list, counted as pgskip_*.
 * Every other block counts towards both. One whose handle another writer
 * is freeing fails isolation, as a folio whose last reference is going,
 * and moves to the head at once: a batch that outlasts the list meets it
 * again and counts it again. An allocation without a handle is taken and
 * kept, as shrink_folio_list() keeps a folio its in-kernel user holds a
 * reference to (__remove_mapping() cannot freeze the count); so is a
 * dirty page that may not be written back. Kept blocks go back to the
 * head last, in front of the skipped ones, as move_folios_to_lru() puts
 * them back after the isolation. The list's counters lose what was taken
 * once per zone, as update_lru_sizes() does, and get each kept block
 * back. Callers hold lru_lock.
 *
 * Return: the pages taken, which shrink_folio_list() would count in
 * sc->nr_scanned.
 */
static unsigned long pgm_isolate_lru(struct pgm_instance *inst,
				     struct pgm_pglist_data *pgdat,
				     struct list_head *src,
				     unsigned long nr_to_scan,
				     struct pgm_scan_control *sc,
				     struct list_head *dst,
				     unsigned long *nr_scanned)
{
	unsigned long nr_skipped[PGM_MAX_NR_ZONES] = { 0 };
	unsigned long nr_zone_taken[PGM_MAX_NR_ZONES] = { 0 };
	unsigned long scan = 0, total_scan = 0, nr_taken = 0;
	struct pgm_alloc *a;
	LIST_HEAD(skipped);
	LIST_HEAD(kept);
	int zid;

	while (scan < nr_to_scan && !list_empty(src)) {
		unsigned long nr;

		a = list_last_entry(src, struct pgm_alloc, lru);
		nr = 1UL << a->order;
		zid = pgm_page_zonenum(a->page);
		total_scan += nr;
		if (zid > sc->reclaim_idx) {
			nr_skipped[zid] += nr;
			list_move(&a->lru, &skipped);
			continue;
		}
		scan += nr;
		if (!READ_ONCE(a->id) || (a->dirty && !sc->may_writepage)) {
			list_move(&a->lru, &kept);
			nr_zone_taken[zid] += nr;
		} else if (pgm_handle_isolate(inst, pgdat, a, true,
					      nr_zone_taken)) {
			/* Dirty file pages were written back as it was taken */
			list_add(&a->lru, dst);
		} else {
			list_move(&a->lru, src);
			continue;
		}
		nr_taken += nr;
	}
	pgm_update_lru_sizes(pgdat, PGM_LRU_INACTIVE_FILE, nr_zone_taken);
	/* At the head: the next batch would only skip them again */
	list_splice(&skipped, src);
	list_for_each_entry(a, &kept, lru)
		pgm_lru_putback_size(pgdat, a);
	list_splice(&kept, src);
	for (zid = 0; zid <= PGM_ZONE_MOVABLE; zid++)
		if (nr_skipped[zid])
			pgm_count_vm_events(inst, PGM_PGSKIP_DMA + zid,
					    nr_skipped[zid]);
	*nr_scanned = total_scan;
	return nr_taken;
}

/* Free what was isolated; lru_lock is not held. Return: pages freed. */
static unsigned long pgm_free_isolated(struct pgm_instance *inst,
				       struct list_head *list)
{
	struct pgm_alloc *a, *tmp;
	unsigned long nr = 0;

	list_for_each_entry_safe(a, tmp, list, lru) {
		list_del(&a->lru);
		nr += 1UL << a->order;
		pgm_alloc_put(inst, a);
	}
	return nr;
}

/* shrink_inactive_list() for the file list: isolate, drop the lock, free */
static unsigned long shrink_inactive_list(unsigned long nr_to_scan,
					  struct pgm_pglist_data *pgdat,
					  struct pgm_lruvec *lruvec,
					  struct pgm_scan_control *sc)
{
	struct pgm_instance *inst = pgdat->inst;
	unsigned long nr_scanned, nr_taken, nr_reclaimed;
	LIST_HEAD(folio_list);

	spin_lock(&pgdat->lru_lock);
	nr_taken = pgm_isolate_lru(inst, pgdat,
				   &lruvec->lists[PGM_LRU_INACTIVE_FILE],
				   nr_to_scan, sc, &folio_list, &nr_scanned);
	spin_unlock(&pgdat->lru_lock);

	/* A memcg's reclaim counts in its own stats, not the global ones */
	if (nr_scanned && !sc->target)
		pgm_count_vm_events(inst, sc->kswapd ? PGM_PGSCAN_KSWAPD :
				    PGM_PGSCAN_DIRECT, nr_scanned);
	if (nr_scanned)
		pgm_count_vm_events(inst, PGM_PGSCAN_FILE, nr_scanned);
	if (!nr_taken)
		return 0;
	sc->nr_scanned += nr_taken;

	nr_reclaimed = pgm_free_isolated(inst, &folio_list);
	if (!sc->target)
		pgm_count_vm_events(inst, sc->kswapd ? PGM_PGSTEAL_KSWAPD :
				    PGM_PGSTEAL_DIRECT, nr_reclaimed);
	pgm_count_vm_events(inst, PGM_PGSTEAL_FILE, nr_reclaimed);
	return nr_reclaimed;
}

/*
 * lruvec_lru_size() of the inactive file list up to @zone_idx: the
 * lruvec's pages in the managed zones (mem_cgroup_get_zone_lru_size())
 */
static unsigned long pgm_lruvec_inactive_file(struct pgm_pglist_data *pgdat,
					      const struct pgm_lruvec *lruvec,
					      int zone_idx)
{
	unsigned long size = 0;
	int zid;

	for (zid = 0; zid <= zone_idx; zid++) {
		if (!pgm_zone_managed_pages(&pgdat->node_zones[zid]))
			continue;
		size += READ_ONCE(lruvec->inactive_file[zid]);
	}
	return size;
}

/*
 * get_scan_count()'s protection: the list of an owner with memory.min or
 * memory.low is scanned in proportion to how much of its usage lies
 * above the protection (low, unless low is being reclaimed or is no more
 * than min), at least SWAP_CLUSTER_MAX. A reclaim aimed at the owner
 * itself ignores its protection.
 */
static unsigned long scan_protected(struct pgm_owner *owner,
				    struct pgm_scan_control *sc,
				    unsigned long size)
{
	unsigned long min, low, usage, protection;

	if (!owner || owner == sc->target)
		return size;
	min = READ_ONCE(owner->min);
	low = READ_ONCE(owner->low);
	if (!min && !low)
		return size;
	usage = pgm_owner_usage(owner);
	if (!sc->memcg_low_reclaim && low > min) {
		protection = low;
		sc->memcg_low_skipped = true;
	} else {
		protection = min;
	}
	usage = max(usage, protection);
	size -= div64_u64((u64)size * protection, usage + 1);
	/*
	 * The active file list, always empty here, gets the same floor: it
	 * is to be scanned, but with no inactive shortage and no refaults
	 * shrink_list() may not deactivate it, and notes that for a retry
	 */
	if (!sc->force_deactivate && PGM_SWAP_CLUSTER_MAX >> sc->priority)
		sc->skipped_deactivate = true;
	return max(size, PGM_SWAP_CLUSTER_MAX);
}

/*
 * shrink_lruvec() with get_scan_count()'s SCAN_FILE: without swap only the
 * inactive file list is scanned, size >> priority pages of it (less an
 * owner's protection), in batches of SWAP_CLUSTER_MAX. At DEF_PRIORITY
 * direct reclaim scans the whole target (proportional global reclaim;
 * never kswapd); otherwise scanning stops once nr_to_reclaim pages are
 * back, since there is no anon target left to balance against.
 */
static void shrink_lruvec(struct pgm_pglist_data *pgdat,
			  struct pgm_lruvec *lruvec, struct pgm_owner *owner,
			  struct pgm_scan_control *sc)
{
	unsigned long size, nr, nr_reclaimed = 0;

	size = pgm_lruvec_inactive_file(pgdat, lruvec, sc->reclaim_idx);
	nr = scan_protected(owner, sc, size) >> sc->priority;
	while (nr) {
		unsigned long batch = min(nr, PGM_SWAP_CLUSTER_MAX);
		unsigned long got;

		nr -= batch;
		got = shrink_inactive_list(batch, pgdat, lruvec, sc);
		nr_reclaimed += got;
		cond_resched();
		/*
		 * Nothing eligible left: upstream would walk the pages above
		 * reclaim_idx once per batch to the end of its budget
		 */
		if (!got && !pgm_lruvec_inactive_file(pgdat, lruvec,
						      sc->reclaim_idx))
			break;
		if (nr_reclaimed < sc->nr_to_reclaim ||
		    (!sc->kswapd && !sc->target &&
		     sc->priority == PGM_DEF_PRIORITY))
			continue;
		break;
	}
	sc->nr_reclaimed += nr_reclaimed;
}

/*
 * The shrinker's scan_objects(): a walk of @nr_to_scan pages of the
 * node's reclaimable slab-kind allocations from the tail, freeing those
 * it can claim. Every one walked counts, as list_lru_walk_one() counts
 * each item against nr_to_walk whether it isolates it or not. Shrinkers
 * are not zone-aware: reclaim_idx does not limit the walk. Return: the
 * pages freed.
 */
static unsigned long shrink_slab_scan(struct pgm_pglist_data *pgdat,
				      unsigned long nr_to_scan)
{
	struct pgm_instance *inst = pgdat->inst;
	struct pgm_alloc *a, *tmp;
	unsigned long walked = 0;
	LIST_HEAD(freeing);
	LIST_HEAD(busy);

	spin_lock(&pgdat->lru_lock);
	list_for_each_entry_safe_reverse(a, tmp, &pgdat->slab_lists[0], lru) {
		if (walked >= nr_to_scan)
			break;
		walked += 1UL << a->order;
		/* Busy: rotated, so the next walk starts past it (LRU_ROTATE) */
		if (!pgm_handle_isolate(inst, pgdat, a, false, NULL)) {
			list_move(&a->lru, &busy);
			continue;
		}
		list_add(&a->lru, &freeing);
	}
	list_splice(&busy, &pgdat->slab_lists[0]);
	spin_unlock(&pgdat->lru_lock);
	return pgm_free_isolated(inst, &freeing);
}

/*
 * shrink_slab() and do_shrink_slab() for the node: the slab-kind
 * allocations made reclaimable are one NUMA-aware shrinker with
 * DEFAULT_SEEKS, its objects pages. A pass is asked for
 * (freeable >> priority) * 4 / seeks pages plus its share of the work
 * earlier passes left (nr_deferred >> priority), at most twice what is
 * freeable, and scans it SHRINK_BATCH pages at a time while a batch is
 * left, or all of it once it exceeds the freeable pages; what it did not
 * do is deferred to the next pass. What is freed goes to the reclaim
 * state, as mm_account_reclaimed_pages() puts it in current->reclaim_state,
 * and reaches nr_reclaimed only when shrink_node() flushes it.
 */
static void shrink_slab(struct pgm_pglist_data *pgdat,
			struct pgm_scan_control *sc)
{
	struct pgm_instance *inst = pgdat->inst;
	long freeable, nr, delta, total_scan, next_deferred, scanned = 0;

	freeable = pgm_node_page_state(pgdat, PGM_NR_SLAB_RECLAIMABLE);
	if (!freeable)
		return;
	/* xchg_nr_deferred(): concurrent passes do not repeat the work */
	nr = atomic_long_xchg(&pgdat->slab_nr_deferred, 0);
	delta = (freeable >> sc->priority) * 4 / PGM_DEFAULT_SEEKS;
	total_scan = min((nr >> sc->priority) + delta, 2 * freeable);

	while (total_scan >= PGM_SHRINK_BATCH || total_scan >= freeable) {
		long nr_to_scan = min_t(long, PGM_SHRINK_BATCH, total_scan);
		unsigned long freed = shrink_slab_scan(pgdat, nr_to_scan);

		/* No SHRINK_STOP: each batch walks its share, freed or not */
		sc->slab_reclaimed += freed;
		pgm_count_vm_events(inst, PGM_SLABS_SCANNED, nr_to_scan);
		total_scan -= nr_to_scan;
		scanned += nr_to_scan;
		cond_resched();
	}

	next_deferred = clamp(nr + delta - scanned, 0L, 2 * freeable);
	atomic_long_add(next_deferred, &pgdat->slab_nr_deferred);
}

/*
 * in_reclaim_compaction(): reclaim for a high order that compaction will
 * then assemble, costly or under pressure
 */
static bool in_reclaim_compaction(const struct pgm_scan_control *sc)
{
	return (sc->gfp_mask & __GFP_IO) && sc->order &&
	       (sc->order > PGM_PAGE_ALLOC_COSTLY_ORDER ||
		sc->priority < PGM_DEF_PRIORITY - 2);
}

/*
 * should_continue_reclaim(): for reclaim/compaction, go on while the last
 * pass made progress, no eligible zone can allocate the order at min or
 * compact for it, and the inactive list holds more than compaction needs.
 */
static bool should_continue_reclaim(struct pgm_pglist_data *pgdat,
				    unsigned long nr_reclaimed,
				    struct pgm_scan_control *sc)
{
	int z;

	if (!in_reclaim_compaction(sc) || !nr_reclaimed)
		return false;

	for (z = 0; z <= sc->reclaim_idx; z++) {
		struct pgm_zone *zone = &pgdat->node_zones[z];

		if (!pgm_zone_managed_pages(zone))
			continue;
		if (pgm_zone_watermark_ok(zone, sc->order,
					  pgm_min_wmark_pages(zone),
					  sc->reclaim_idx))
			return false;
		if (pgm_compaction_suitable(zone, sc->order, sc->reclaim_idx))
			return false;
	}
	return pgm_node_page_state(pgdat, PGM_NR_INACTIVE_FILE) >
	       pgm_compact_gap(sc->order);
}

/*
 * mem_cgroup_iter()'s pre-order walk below the root: the memcg after
 * @pos (PGM_MEMCG_ITER_NONE, _ROOT or an owner's id): the root first,
 * then the owners in id order, then none. The owners do not change under
 * a reclaimer: destroying one takes iface_lock exclusively.
 */
static long pgm_memcg_next(struct pgm_instance *inst, long pos,
			   struct pgm_owner **owner)
{
	unsigned long idx = pos + 1;

	*owner = NULL;
	if (pos == PGM_MEMCG_ITER_NONE)
		return PGM_MEMCG_ITER_ROOT;
	*owner = xa_find(&inst->owners, &idx, U32_MAX, XA_PRESENT);
	return *owner ? (long)idx : PGM_MEMCG_ITER_NONE;
}

/*
 * mem_cgroup_iter() with a reclaim cookie: the memcg after the node's
 * shared position, which moves to it. A lost cmpxchg() starts again from
 * the position the winner left; a walk that reaches the end counts a
 * generation and, if it has seen nothing yet (@first), wraps to the
 * root; a walk that sees the generation move after its start ends,
 * the cycle being done. *@gen is the walk's cookie generation.
 */
static long pgm_memcg_iter(struct pgm_pglist_data *pgdat, bool first,
			   int *gen, struct pgm_owner **owner)
{
	long pos, next;
	int cur;

restart:
	cur = atomic_read(&pgdat->memcg_gen);
	if (first)
		*gen = cur;
	else if (*gen != cur)
		return PGM_MEMCG_ITER_NONE;
	pos = READ_ONCE(pgdat->memcg_iter);
	next = pgm_memcg_next(pgdat->inst, pos, owner);
	if (cmpxchg(&pgdat->memcg_iter, pos, next) != pos)
		goto restart;
	if (next == PGM_MEMCG_ITER_NONE) {
		atomic_inc(&pgdat->memcg_gen);
		if (first)
			goto restart;
	}
	return next;
}

/*
 * shrink_node_memcgs(): a memcg's own reclaim shrinks its lruvec alone;
 * global reclaim each memcg's in turn, the root's (with the slab
 * shrinker, which is not memcg aware and so runs for the root only) and
 * then each owner's. kswapd and a direct reclaim's full-walk retry visit
 * them all. Otherwise direct and node reclaim walk from the node's shared
 * position (pgm_memcg_iter()) and stop once nr_to_reclaim is back,
 * leaving the position at the last lruvec visited
 * (mem_cgroup_iter_break()). An owner whose usage is within its
 * memory.min is passed over; within memory.low, passed over too unless
 * the reclaim is the retry that reclaims low (counted as a low event).
 */
static void shrink_node_memcgs(struct pgm_pglist_data *pgdat,
			       struct pgm_scan_control *sc)
{
	bool partial = !sc->kswapd && !sc->memcg_full_walk;
	long pos = PGM_MEMCG_ITER_NONE;
	struct pgm_owner *owner;
	bool first = true;
	int gen;

	if (sc->target) {
		shrink_lruvec(pgdat, &sc->target->lruvec[pgdat->node_id],
			      sc->target, sc);
		return;
	}
	for (;;) {
		if (partial)
			pos = pgm_memcg_iter(pgdat, first, &gen, &owner);
		else
			pos = pgm_memcg_next(pgdat->inst, pos, &owner);
		if (pos == PGM_MEMCG_ITER_NONE)
			break;
		first = false;
		cond_resched();
		if (owner) {
			unsigned long usage = pgm_owner_usage(owner);

			/* No usage at all is within any protection */
			if (READ_ONCE(owner->min) >= usage)
				continue;
			if (READ_ONCE(owner->low) >= usage) {
				if (!sc->memcg_low_reclaim) {
					sc->memcg_low_skipped = true;
					continue;
				}
				atomic_long_inc(&owner->events[PGM_MEMCG_LOW]);
			}
			shrink_lruvec(pgdat, &owner->lruvec[pgdat->node_id],
				      owner, sc);
		} else {
			shrink_lruvec(pgdat, &pgdat->lruvec, NULL, sc);
			shrink_slab(pgdat, sc);
		}
		if (partial && sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
}

/*
 * The inactive file pages of the reclaim's target lruvec on @pgdat, as
 * prepare_scan_control() reads them: the node's for global reclaim, the
 * owner's own for its reclaim (owners have no children)
 */
static unsigned long target_inactive_file(struct pgm_pglist_data *pgdat,
					  const struct pgm_scan_control *sc)
{
	if (!sc->target)
		return pgm_node_page_state(pgdat, PGM_NR_INACTIVE_FILE);
	return pgm_lruvec_inactive_file(pgdat,
					&sc->target->lruvec[pgdat->node_id],
					PGM_MAX_NR_ZONES - 1);
}

/*
 * shrink_node(): the memcgs' lruvecs and slab (shrink_node_memcgs()),
 * again while reclaim for compaction should go on; progress resets
 * kswapd_failures
 */
static void shrink_node(struct pgm_pglist_data *pgdat,
			struct pgm_scan_control *sc)
{
	unsigned long nr_reclaimed, nr_node_reclaimed;
	bool reclaimable = false, cache_trim_mode;

again:
	/*
	 * prepare_scan_control()'s cache trim mode: inactive file pages at
	 * this priority, and the file list not to be deactivated (forced
	 * only; the active lists are empty here and nothing refaults)
	 */
	cache_trim_mode = (target_inactive_file(pgdat, sc) >> sc->priority) &&
			  !sc->force_deactivate && !sc->no_cache_trim_mode;
	nr_reclaimed = sc->nr_reclaimed;
	shrink_node_memcgs(pgdat, sc);
	/*
	 * flush_reclaim_state(): the slab freed counts once the walk is
	 * done, so the walk's stop-early check saw LRU pages only
	 */
	sc->nr_reclaimed += sc->slab_reclaimed;
	sc->slab_reclaimed = 0;
	nr_node_reclaimed = sc->nr_reclaimed - nr_reclaimed;
	if (nr_node_reclaimed)
		reclaimable = true;
	if (should_continue_reclaim(pgdat, nr_node_reclaimed, sc))
		goto again;
	if (reclaimable)
		WRITE_ONCE(pgdat->kswapd_failures, 0);
	else if (cache_trim_mode)
		sc->cache_trim_mode_failed = true;
}

/* What compaction_ready() found, for explain */
enum {
	PGM_CPT_NOT_READY,
	PGM_CPT_READY_MIN,	/* sc->order already passes the min mark */
	PGM_CPT_READY_GAP,	/* high + compact_gap() free at order 0 */
};

/*
 * compaction_ready(): a zone that can already make sc->order at min, or
 * that compaction can work in and that has high + compact_gap() free,
 * needs no reclaim for it
 */
static int compaction_ready(struct pgm_zone *zone,
			    const struct pgm_scan_control *sc)
{
	unsigned long watermark;

	/* gfp_compaction_allowed(): CONFIG_COMPACTION is on upstream */
	if (!(sc->gfp_mask & __GFP_IO))
		return PGM_CPT_NOT_READY;
	if (pgm_zone_watermark_ok(zone, sc->order, pgm_min_wmark_pages(zone),
				  sc->reclaim_idx))
		return PGM_CPT_READY_MIN;
	if (!pgm_compaction_suitable(zone, sc->order, sc->reclaim_idx))
		return PGM_CPT_NOT_READY;
	watermark = pgm_high_wmark_pages(zone) + pgm_compact_gap(sc->order);
	if (pgm_zone_watermark_ok_safe(zone, 0, watermark, sc->reclaim_idx))
		return PGM_CPT_READY_GAP;
	return PGM_CPT_NOT_READY;
}

/* explain: a zone compaction_ready() passed over, and the check that did */
static void explain_compaction_ready(struct pgm_zone *zone,
				     const struct pgm_scan_control *sc,
				     int ready)
{
	struct pgm_instance *inst = zone->zone_pgdat->inst;

	if (ready == PGM_CPT_READY_MIN)
		pgm_explain(inst,
			    "  reclaim: node %d %s ready for order-%d compaction at priority %d (order %d passes min %lu): passed over",
			    zone->zone_pgdat->node_id,
			    pgm_zone_names[zone->idx], sc->order, sc->priority,
			    sc->order, pgm_min_wmark_pages(zone));
	else
		pgm_explain(inst,
			    "  reclaim: node %d %s ready for order-%d compaction at priority %d (free %ld, high %lu + gap %lu): passed over",
			    zone->zone_pgdat->node_id,
			    pgm_zone_names[zone->idx], sc->order, sc->priority,
			    pgm_zone_page_state(zone, PGM_NR_FREE_PAGES),
			    pgm_high_wmark_pages(zone),
			    pgm_compact_gap(sc->order));
}

/*
 * shrink_zones(): each allowed node of the zonelist once per priority. A
 * zone where compaction could already make a costly order is passed over
 * (only costly orders: reclaiming for them is what disrupts), and its
 * node shrunk only for a later zone of the list. A memcg's reclaim (no
 * @ac) walks the whole zonelist of the writer's node.
 */
static void shrink_zones(struct pgm_zonelist *zonelist,
			 const struct pgm_alloc_context *ac,
			 struct pgm_scan_control *sc)
{
	const struct pgm_nodemask *nodemask = ac ? ac->nodemask : NULL;
	struct pgm_pglist_data *last_pgdat = NULL;
	struct pgm_zoneref *z;
	struct pgm_zone *zone;

	for (z = pgm_next_zones_zonelist(zonelist->_zonerefs, sc->reclaim_idx,
					 nodemask);
	     (zone = z->zone);
	     z = pgm_next_zones_zonelist(z + 1, sc->reclaim_idx, nodemask)) {
		/* The cpuset's hardwall, as cpuset_zone_allowed() */
		if (ac && !pgm_cpuset_zone_allowed(ac, zone,
						   GFP_KERNEL | __GFP_HARDWALL))
			continue;
		if (!sc->target && sc->order > PGM_PAGE_ALLOC_COSTLY_ORDER) {
			int ready = compaction_ready(zone, sc);

			if (ready) {
				explain_compaction_ready(zone, sc, ready);
				sc->compaction_ready = true;
				continue;
			}
		}
		if (zone->zone_pgdat == last_pgdat)
			continue;
		last_pgdat = zone->zone_pgdat;
		shrink_node(last_pgdat, sc);
	}
}

/*
 * do_try_to_free_pages(): the nodes at falling priority until
 * nr_to_reclaim is back or a zone is compaction-ready; global reclaim
 * counts an allocstall against reclaim_idx on each attempt. A reclaim
 * that got nothing back but stopped for compaction reports progress, so
 * the allocation compacts rather than OOMs; one that got nothing at all
 * tries once more with full memcg walks, since walks shared with other
 * reclaimers may each have seen too few memcgs; then, if an active list
 * was left alone, with deactivation forced; then, if memory.low kept
 * pages out of it, once more reclaiming within memory.low.
 */
static unsigned long do_try_to_free_pages(struct pgm_instance *inst,
					  struct pgm_zonelist *zonelist,
					  const struct pgm_alloc_context *ac,
					  struct pgm_scan_control *sc)
{
	int initial_priority = sc->priority;

retry:
	if (!sc->target)
		pgm_count_vm_events(inst, PGM_ALLOCSTALL_DMA + sc->reclaim_idx,
				    1);
	do {
		shrink_zones(zonelist, ac, sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
		if (sc->compaction_ready)
			break;
	} while (--sc->priority >= 0);
	pgm_explain(inst, "  reclaim: priority %d down to %d%s%s%s: %lu back of %lu",
		    initial_priority, max(sc->priority, 0),
		    sc->memcg_full_walk ? ", full memcg walks" : "",
		    sc->force_deactivate ? ", deactivation forced" : "",
		    sc->memcg_low_reclaim ? ", memory.low reclaimed" : "",
		    sc->nr_reclaimed, sc->nr_to_reclaim);

	if (sc->nr_reclaimed)
		return sc->nr_reclaimed;
	if (sc->compaction_ready)
		return 1;
	if (!sc->memcg_full_walk) {
		sc->priority = initial_priority;
		sc->memcg_full_walk = true;
		goto retry;
	}
	/* Active lists kept by their ratio: deactivate them anyway */
	if (sc->skipped_deactivate) {
		sc->priority = initial_priority;
		sc->force_deactivate = true;
		sc->skipped_deactivate = false;
		goto retry;
	}
	/* Protected by memory.low alone: reclaim it rather than OOM */
	if (sc->memcg_low_skipped) {
		sc->priority = initial_priority;
		sc->force_deactivate = false;
		sc->memcg_low_reclaim = true;
		sc->memcg_low_skipped = false;
		goto retry;
	}
	return 0;
}

/*
 * allow_direct_reclaim(): the node's zones up to Normal that have pages to
 * reclaim hold more than half their min reserves between them. Otherwise
 * a waiting kswapd is woken, for Normal at most.
 */
static bool allow_direct_reclaim(struct pgm_pglist_data *pgdat)
{
	struct pgm_instance *inst = pgdat->inst;
	unsigned long reserve = 0, free = 0;
	int i;

	if (READ_ONCE(pgdat->kswapd_failures) >= PGM_MAX_RECLAIM_RETRIES)
		return true;
	for (i = 0; i <= PGM_ZONE_NORMAL; i++) {
		struct pgm_zone *zone = &pgdat->node_zones[i];

		if (!pgm_zone_managed_pages(zone) ||
		    !pgm_zone_reclaimable_pages(zone))
			continue;
		reserve += pgm_min_wmark_pages(zone);
		free += max(pgm_zone_page_state_snapshot(zone, PGM_NR_FREE_PAGES,
							 inst->nr_cpus), 0L);
	}
	if (!reserve || free > reserve / 2)
		return true;

	if (!READ_ONCE(inst->tun.kswapd))
		return false;
	/* Lockless: a kswapd at work needs no wakeup, as pgm_wakeup_kswapd() */
	if (!READ_ONCE(pgdat->kswapd) || waitqueue_active(&pgdat->kswapd_wait)) {
		if (READ_ONCE(pgdat->kswapd_highest_zoneidx) > PGM_ZONE_NORMAL)
			WRITE_ONCE(pgdat->kswapd_highest_zoneidx, PGM_ZONE_NORMAL);
		wake_up_interruptible(&pgdat->kswapd_wait);
	}
	return false;
}

/*
 * throttle_direct_reclaim(), counted and not slept. Upstream a task (never
 * a kernel thread) whose first node with a zone up to Normal fails
 * allow_direct_reclaim() waits for kswapd to bring it back; here the wait
 * is counted and kswapd woken, and reclaim goes on at once: a control
 * write must not hang on a kswapd that, with no swap, may never free
 * enough. Return: true for a task killed meanwhile, which upstream's
 * reclaim then leaves at once.
 */
static bool throttle_direct_reclaim(const struct pgm_alloc_context *ac)
{
	struct pgm_pglist_data *pgdat = NULL;
	struct pgm_zoneref *z;

	if ((current->flags & PF_KTHREAD) || fatal_signal_pending(current))
		return false;
	for (z = pgm_next_zones_zonelist(ac->zonelist->_zonerefs,
					 ac->highest_zoneidx, ac->nodemask);
	     z->zone;
	     z = pgm_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					 ac->nodemask)) {
		if (z->zone->idx > PGM_ZONE_NORMAL)
			continue;
		pgdat = z->zone->zone_pgdat;
		if (allow_direct_reclaim(pgdat))
			return false;
		break;
	}
	if (!pgdat)
		return false;
	pgm_count_vm_events(ac->inst, PGM_PGSCAN_DIRECT_THROTTLE, 1);
	return fatal_signal_pending(current);
}

/**
 * pgm_try_to_free_pages() - try_to_free_pages(): direct reclaim
 * @ac: the allocation context of the stalled allocation
 * @order: its order, for which reclaim may go on until compaction can run
 * @gfp: its gfp mask
 *
 * Counts an allocstall against ac->highest_zoneidx, then shrinks the
 * allowed nodes at falling priority until SWAP_CLUSTER_MAX pages are back,
 * a costly order's zone is compaction-ready or priority 0 has been tried;
 * having got nothing, once more with full memcg walks (a second stall),
 * then with deactivation forced if a protected owner's active list was
 * to be scanned, and within memory.low if that kept pages out.
 *
 * Return: the pages reclaimed, the progress the slow path sees; 1 if
 * nothing was but a zone is ready for compaction.
 */
unsigned long pgm_try_to_free_pages(const struct pgm_alloc_context *ac,
				    unsigned int order, gfp_t gfp)
{
	struct pgm_scan_control sc = {
		.nr_to_reclaim	= PGM_SWAP_CLUSTER_MAX,
		.priority	= PGM_DEF_PRIORITY,
		.order		= order,
		.reclaim_idx	= ac->highest_zoneidx,
		.gfp_mask	= gfp,
		.may_writepage	= true,
	};

	if (throttle_direct_reclaim(ac))
		return 1;
	return do_try_to_free_pages(ac->inst, ac->zonelist, ac, &sc);
}

/**
 * pgm_try_to_free_owner_pages() - try_to_free_mem_cgroup_pages()
 * @inst: the instance
 * @owner: the owner whose LRU pages are reclaimed
 * @nr_pages: pages wanted; at least SWAP_CLUSTER_MAX are asked for
 * @gfp: the charge's gfp mask
 *
 * Every zone is eligible, and the zonelist of the writer's node puts the
 * same pressure on every node; priorities fall from DEF_PRIORITY until
 * enough is back, and once more if nothing was. No allocstall or global
 * pgscan/pgsteal is counted: a memcg's reclaim is not the page
 * allocator's.
 *
 * Return: the pages reclaimed.
 */
unsigned long pgm_try_to_free_owner_pages(struct pgm_instance *inst,
					  struct pgm_owner *owner,
					  unsigned long nr_pages, gfp_t gfp)
{
	struct pgm_scan_control sc = {
		.nr_to_reclaim	= max_t(unsigned long, nr_pages,
					PGM_SWAP_CLUSTER_MAX),
		.priority	= PGM_DEF_PRIORITY,
		.reclaim_idx	= PGM_MAX_NR_ZONES - 1,
		.gfp_mask	= gfp,
		.may_writepage	= true,
		.target		= owner,
	};
	int nid = pgm_cpu_to_node(inst, pgm_this_cpu(inst));
	struct pgm_zonelist *zonelist =
		&inst->node_data[nid].node_zonelists[PGM_ZONELIST_FALLBACK];

	return do_try_to_free_pages(inst, zonelist, NULL, &sc);
}

/*
 * node_pagecache_reclaimable(): the file pages node reclaim may take. The
 * mirror maps nothing and has no swap cache, so the unmapped file pages
 * and NR_FILE_PAGES are both the file LRU; dirty pages count only when
 * RECLAIM_WRITE lets them be written.
 */
static unsigned long node_pagecache_reclaimable(struct pgm_pglist_data *pgdat,
						int mode)
{
	unsigned long nr, delta = 0;

	nr = pgm_node_page_state(pgdat, PGM_NR_INACTIVE_FILE) +
	     pgm_node_page_state(pgdat, PGM_NR_ACTIVE_FILE);
	if (!(mode & PGM_RECLAIM_WRITE))
		delta = pgm_node_page_state(pgdat, PGM_NR_FILE_DIRTY);
	return nr - min(delta, nr);
}

/* Above either floor, node reclaim has something to take */
static bool pgm_node_over_floors(struct pgm_pglist_data *pgdat, int mode)
{
	return node_pagecache_reclaimable(pgdat, mode) >
	       READ_ONCE(pgdat->min_unmapped_pages) ||
	       pgm_node_page_state(pgdat, PGM_NR_SLAB_RECLAIMABLE) >
	       READ_ONCE(pgdat->min_slab_pages);
}

/*
 * __node_reclaim(): shrink the node from NODE_RECLAIM_PRIORITY down until
 * the allocation's pages are back. Writeback only with RECLAIM_WRITE;
 * RECLAIM_UNMAP has nothing to act on, as nothing is mapped.
 */
static bool pgm_node_reclaim_one(struct pgm_pglist_data *pgdat, gfp_t gfp,
				 unsigned int order, int mode)
{
	const unsigned long nr_pages = 1UL << order;
	struct pgm_scan_control sc = {
		.nr_to_reclaim	= max(nr_pages, PGM_SWAP_CLUSTER_MAX),
		.priority	= PGM_NODE_RECLAIM_PRIORITY,
		.order		= order,
		.reclaim_idx	= pgm_gfp_zone(gfp),
		.gfp_mask	= gfp,
		.may_writepage	= mode & PGM_RECLAIM_WRITE,
	};

	cond_resched();
	if (pgm_node_over_floors(pgdat, mode)) {
		do {
			shrink_node(pgdat, &sc);
		} while (sc.nr_reclaimed < nr_pages && --sc.priority >= 0);
	}
	return sc.nr_reclaimed >= nr_pages;
}

/**
 * pgm_node_reclaim() - node_reclaim(): reclaim on the node rather than
 * fall back to a remote one
 * @pgdat: the node whose zone failed its watermark
 * @gfp: the allocation's gfp mask
 * @order: its order
 *
 * Nothing is done for a node at or below both the page cache and the slab
 * floors, for a request that may not sleep, for a node with CPUs other
 * than the caller's, or while another node reclaim runs on the node.
 *
 * Return: PGM_NODE_RECLAIM_FULL, _NOSCAN, _SOME (tried, not enough) or
 * _SUCCESS.
 */
int pgm_node_reclaim(struct pgm_pglist_data *pgdat, gfp_t gfp,
		     unsigned int order)
{
	struct pgm_instance *inst = pgdat->inst;
	int mode = READ_ONCE(inst->tun.node_reclaim_mode);
	bool ret;

	if (!pgm_node_over_floors(pgdat, mode)) {
		pgm_explain(inst,
			    "  node_reclaim: node %d at its page cache and slab floors: nothing to reclaim",
			    pgdat->node_id);
		return PGM_NODE_RECLAIM_FULL;
	}
	if (!gfpflags_allow_blocking(gfp)) {
		pgm_explain(inst,
			    "  node_reclaim: the request may not block: no scan");
		return PGM_NODE_RECLAIM_NOSCAN;
	}
	/* Keep remote nodes with CPUs of their own for those CPUs */
	if (pgm_node_nr_cpus(inst, pgdat->node_id) &&
	    pgdat->node_id != pgm_cpu_to_node(inst, pgm_this_cpu(inst))) {
		pgm_explain(inst,
			    "  node_reclaim: node %d has CPUs of its own and is not this CPU's: no scan",
			    pgdat->node_id);
		return PGM_NODE_RECLAIM_NOSCAN;
	}
	if (test_and_set_bit(PGM_PGDAT_RECLAIM_LOCKED, &pgdat->flags)) {
		pgm_explain(inst,
			    "  node_reclaim: another node reclaim runs on node %d: no scan",
			    pgdat->node_id);
		return PGM_NODE_RECLAIM_NOSCAN;
	}

	ret = pgm_node_reclaim_one(pgdat, gfp, order, mode);
	clear_bit_unlock(PGM_PGDAT_RECLAIM_LOCKED, &pgdat->flags);

	pgm_count_vm_events(inst, ret ? PGM_PGSCAN_ZONE_RECLAIM_SUCCESS :
				  PGM_PGSCAN_ZONE_RECLAIM_FAILED, 1);
	return ret ? PGM_NODE_RECLAIM_SUCCESS : PGM_NODE_RECLAIM_SOME;
}

/**
 * pgm_zone_reclaimable_pages() - zone_reclaimable_pages() without swap
 * @zone: the zone
 *
 * The file LRU pages (inactive and active) of the zone, from snapshots of
 * its counters, every pcp CPU's delta included, as upstream's. Anon
 * counts only with swap, which the mirror has not. A zone with none
 * counts its free pages instead, as 6.12.y does since the fix for the endless
 * throttle_direct_reclaim() loop, so that a zone with free memory is not
 * written off: should_reclaim_retry() then keeps retrying while twice
 * the free pages pass min.
 *
 * Return: the pages.
 */
unsigned long pgm_zone_reclaimable_pages(struct pgm_zone *zone)
{
	unsigned int nr_cpus = zone->zone_pgdat->inst->nr_cpus;
	unsigned long nr;

	nr = pgm_zone_lru_snapshot(zone, PGM_LRU_INACTIVE_FILE, nr_cpus) +
	     pgm_zone_lru_snapshot(zone, PGM_LRU_ACTIVE_FILE, nr_cpus);
	if (!nr)
		nr = pgm_zone_page_state_snapshot(zone, PGM_NR_FREE_PAGES,
						  nr_cpus);
	return nr;
}

/* ==================== kswapd ==================== */

/*
 * pgdat_balanced(): true once any eligible zone up to @highest_zoneidx
 * meets its high watermark (boost included) for @order, or when the node
 * has no managed zone at all. zone_watermark_ok_safe() reads a snapshot
 * below the zone's drift mark.
 */
static bool pgdat_balanced(struct pgm_pglist_data *pgdat, int order,
			   enum pgm_zone_type highest_zoneidx)
{
	bool managed = false;
	int i;

	for (i = 0; i <= highest_zoneidx; i++) {
		struct pgm_zone *zone = pgdat->node_zones + i;

		if (!pgm_zone_managed_pages(zone))
			continue;
		managed = true;
		if (pgm_zone_watermark_ok_safe(zone, order,
					       pgm_high_wmark_pages(zone),
					       highest_zoneidx))
			return true;
	}
	return !managed;
}

/* pgdat_watermark_boosted(): any eligible zone has a boost pending */
static bool pgdat_watermark_boosted(struct pgm_pglist_data *pgdat,
				    enum pgm_zone_type highest_zoneidx)
{
	int i;

	for (i = highest_zoneidx; i >= 0; i--)
		if (READ_ONCE(pgdat->node_zones[i].watermark_boost))
			return true;
	return false;
}

/*
 * update_reclaim_active(): while kswapd works on a zone, frees to its pcp
 * lists drain early (nr_pcp_high()), so reclaimed pages reach the buddy
 * lists where the balance check can see them.
 */
static void update_reclaim_active(struct pgm_pglist_data *pgdat,
				  int highest_zoneidx, bool active)
{
	int i;

	for (i = 0; i <= highest_zoneidx; i++) {
		struct pgm_zone *zone = pgdat->node_zones + i;

		if (!pgm_zone_managed_pages(zone))
			continue;
		if (active)
			set_bit(PGM_ZONE_RECLAIM_ACTIVE, &zone->flags);
		else
			clear_bit(PGM_ZONE_RECLAIM_ACTIVE, &zone->flags);
	}
}

/*
 * kswapd_shrink_node(): one pass asking for max(high, SWAP_CLUSTER_MAX)
 * pages of every eligible zone. Once twice the request's block is back,
 * the order drops to 0: what is left is fragmentation, compaction's to
 * fix. True when the pass scanned or reclaimed enough to keep the
 * priority where it is.
 */
static bool kswapd_shrink_node(struct pgm_pglist_data *pgdat,
			       struct pgm_scan_control *sc)
{
	unsigned long nr_reclaimed = sc->nr_reclaimed;
	int i;

	sc->nr_to_reclaim = 0;
	for (i = 0; i <= sc->reclaim_idx; i++) {
		struct pgm_zone *zone = pgdat->node_zones + i;

		if (!pgm_zone_managed_pages(zone))
			continue;
		sc->nr_to_reclaim += max(pgm_high_wmark_pages(zone),
					 PGM_SWAP_CLUSTER_MAX);
	}
	shrink_node(pgdat, sc);
	if (sc->order && sc->nr_reclaimed >= pgm_compact_gap(sc->order))
		sc->order = 0;
	return max(sc->nr_scanned, sc->nr_reclaimed - nr_reclaimed) >=
	       sc->nr_to_reclaim;
}

/*
 * balance_pgdat(): shrink the node at falling priority until
 * pgdat_balanced() holds at the high watermark plus the boost, for the
 * order reclaim ends at. With a boost pending and the node already
 * balanced, boosted reclaim, which writes nothing back, takes the sum of
 * the boosts back first; an unbalanced node drops the boosted round and
 * restarts as normal reclaim. The priority falls when a pass scanned and
 * reclaimed less than it asked for, or reclaimed nothing. A run down to
 * priority 1 that reclaimed nothing, with a pass in cache trim mode among
 * them, goes round once more without it; a whole run that reclaims
 * nothing counts a kswapd failure. The boosts taken into account
 * are removed at the end, balanced or not. Returns the order reclaim ended
 * at, the pages reclaimed in *@reclaimed.
 */
static int balance_pgdat(struct pgm_pglist_data *pgdat, int order,
			 enum pgm_zone_type highest_zoneidx,
			 unsigned long *reclaimed)
{
	struct pgm_instance *inst = pgdat->inst;
	unsigned long zone_boosts[PGM_MAX_NR_ZONES] = { 0 };
	unsigned long nr_boost_reclaim = 0;
	struct pgm_scan_control sc = {
		.gfp_mask	= GFP_KERNEL,
		.order		= order,
		.kswapd		= true,
	};
	bool boosted;
	int i;

	pgm_count_vm_events(inst, PGM_PAGEOUTRUN, 1);

	for (i = 0; i <= highest_zoneidx; i++) {
		struct pgm_zone *zone = pgdat->node_zones + i;
		unsigned long flags;

		if (!pgm_zone_managed_pages(zone))
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		zone_boosts[i] = zone->watermark_boost;
		spin_unlock_irqrestore(&zone->lock, flags);
		nr_boost_reclaim += zone_boosts[i];
	}
	boosted = nr_boost_reclaim;

restart:
	update_reclaim_active(pgdat, highest_zoneidx, true);
	sc.priority = PGM_DEF_PRIORITY;
	do {
		unsigned long nr_reclaimed = sc.nr_reclaimed;
		bool raise_priority = true;
		bool balanced;

		sc.reclaim_idx = highest_zoneidx;
		balanced = pgdat_balanced(pgdat, sc.order, highest_zoneidx);
		if (!balanced && nr_boost_reclaim) {
			nr_boost_reclaim = 0;
			goto restart;
		}
		if (!nr_boost_reclaim && balanced)
			goto out;
		if (nr_boost_reclaim && sc.priority == PGM_DEF_PRIORITY - 2)
			raise_priority = false;

		/* Boosted reclaim relieves pressure: no writeback for it */
		sc.may_writepage = !nr_boost_reclaim;
		if (sc.priority < PGM_DEF_PRIORITY - 2)
			sc.may_writepage = true;

		sc.nr_scanned = 0;
		if (kswapd_shrink_node(pgdat, &sc))
			raise_priority = false;

		if (pgdat->kswapd && kthread_should_stop())
			break;

		nr_reclaimed = sc.nr_reclaimed - nr_reclaimed;
		nr_boost_reclaim -= min(nr_boost_reclaim, nr_reclaimed);
		if (nr_boost_reclaim && !nr_reclaimed)
			break;
		if (raise_priority || !nr_reclaimed)
			sc.priority--;
	} while (sc.priority >= 1);

	/* Down to priority 1 for nothing in cache trim mode: once without */
	if (!sc.nr_reclaimed && sc.priority < 1 && !sc.no_cache_trim_mode &&
	    sc.cache_trim_mode_failed) {
		sc.no_cache_trim_mode = true;
		goto restart;
	}

	if (!sc.nr_reclaimed)
		WRITE_ONCE(pgdat->kswapd_failures,
			   READ_ONCE(pgdat->kswapd_failures) + 1);

out:
	update_reclaim_active(pgdat, highest_zoneidx, false);
	if (boosted) {
		for (i = 0; i <= highest_zoneidx; i++) {
			struct pgm_zone *zone = pgdat->node_zones + i;
			unsigned long flags;

			if (!zone_boosts[i])
				continue;
			spin_lock_irqsave(&zone->lock, flags);
			zone->watermark_boost -= min(zone->watermark_boost,
						     zone_boosts[i]);
			spin_unlock_irqrestore(&zone->lock, flags);
		}
		/* There is likely room now: defragment pageblocks */
		pgm_wakeup_kcompactd(pgdat, PGM_PAGEBLOCK_ORDER,
				     highest_zoneidx);
	}
	*reclaimed = sc.nr_reclaimed;
	return sc.order;
}

/**
 * pgm_balance_pgdat() - balance_pgdat(): kswapd's reclaim of one node
 * @pgdat: the node
 * @order: the order kswapd was woken for
 * @highest_zoneidx: the highest zone it was woken for
 *
 * One run of kswapd's reclaim, as the thread makes it; KUnit instances,
 * which have no thread, call it directly. The kswapd thread holds
 * iface_lock shared around each run.
 *
 * Return: the pages reclaimed.
 */
unsigned long pgm_balance_pgdat(struct pgm_pglist_data *pgdat, int order,
				enum pgm_zone_type highest_zoneidx)
{
	unsigned long reclaimed;

	balance_pgdat(pgdat, order, highest_zoneidx, &reclaimed);
	return reclaimed;
}

/* kswapd_highest_zoneidx(): the zone asked for, or @prev when none was */
static enum pgm_zone_type kswapd_highest_zoneidx(struct pgm_pglist_data *pgdat,
						 enum pgm_zone_type prev)
{
	enum pgm_zone_type curr = READ_ONCE(pgdat->kswapd_highest_zoneidx);

	return curr == PGM_MAX_NR_ZONES ? prev : curr;
}

/* prepare_kswapd_sleep(): balanced, or given up on */
static bool prepare_kswapd_sleep(struct pgm_pglist_data *pgdat, int order,
				 enum pgm_zone_type highest_zoneidx)
{
	return READ_ONCE(pgdat->kswapd_failures) >= PGM_MAX_RECLAIM_RETRIES ||
	       pgdat_balanced(pgdat, order, highest_zoneidx);
}

/*
 * kswapd_try_to_sleep(): once balanced for the order reclaim ended at,
 * reset the skip bits of zones a direct compactor gave up on, wake
 * kcompactd for the order asked for (the memory is free, compaction can
 * make the block) and nap for HZ/10 first. A wakeup during the nap means the low watermark was
 * hit again quickly, and the request keeps at least this order; a node not
 * balanced when it would sleep (after the nap, or straight after a run
 * that did not balance it, with no nap), the high one. Otherwise sleep
 * until woken.
 */
static void kswapd_try_to_sleep(struct pgm_pglist_data *pgdat,
				int alloc_order, int reclaim_order,
				enum pgm_zone_type highest_zoneidx)
{
	struct pgm_instance *inst = pgdat->inst;
	long remaining = 0;
	DEFINE_WAIT(wait);

	if (kthread_should_stop())
		return;

	prepare_to_wait(&pgdat->kswapd_wait, &wait, TASK_INTERRUPTIBLE);
	if (prepare_kswapd_sleep(pgdat, reclaim_order, highest_zoneidx)) {
		/* Reclaim may have made room where compaction gave up */
		pgm_reset_isolation_suitable(pgdat);
		pgm_wakeup_kcompactd(pgdat, alloc_order, highest_zoneidx);
		remaining = schedule_timeout(HZ / 10);
		if (remaining) {
			WRITE_ONCE(pgdat->kswapd_highest_zoneidx,
				   kswapd_highest_zoneidx(pgdat,
							  highest_zoneidx));
			if (READ_ONCE(pgdat->kswapd_order) < reclaim_order)
				WRITE_ONCE(pgdat->kswapd_order, reclaim_order);
		}
		finish_wait(&pgdat->kswapd_wait, &wait);
		prepare_to_wait(&pgdat->kswapd_wait, &wait, TASK_INTERRUPTIBLE);
	}

	if (!remaining &&
	    prepare_kswapd_sleep(pgdat, reclaim_order, highest_zoneidx)) {
		/*
		 * Asleep, the normal thresholds; awake, the pressure ones, so
		 * that drift cannot hide a breach of min while it reclaims
		 */
		pgm_set_pgdat_percpu_threshold(pgdat, false);
		if (!kthread_should_stop())
			schedule();
		pgm_set_pgdat_percpu_threshold(pgdat, true);
	} else if (remaining) {
		pgm_count_vm_events(inst, PGM_KSWAPD_LOW_WMARK_HIT_QUICKLY, 1);
	} else {
		pgm_count_vm_events(inst, PGM_KSWAPD_HIGH_WMARK_HIT_QUICKLY, 1);
	}
	finish_wait(&pgdat->kswapd_wait, &wait);
}

/*
 * kswapd(): try to sleep for the request in hand, then take the largest
 * order and highest zone asked for since (the zone of the last run when
 * none was) and balance the node for them, under iface_lock shared, which
 * keeps verify out while it frees handles. A run that had to drop to
 * order 0 tries to sleep at once, for the order it ended at. The
 * allocating context never waits for it.
 */
static int kswapd(void *data)
{
	struct pgm_pglist_data *pgdat = data;
	enum pgm_zone_type highest_zoneidx = PGM_MAX_NR_ZONES - 1;
	int alloc_order, reclaim_order;
	unsigned long reclaimed;

	pgm_bind_to_node(pgdat->inst, pgdat->node_id, current);
	/* What was asked before the thread ran is not its first request */
	WRITE_ONCE(pgdat->kswapd_order, 0);
	WRITE_ONCE(pgdat->kswapd_highest_zoneidx, PGM_MAX_NR_ZONES);
	for (;;) {
		alloc_order = READ_ONCE(pgdat->kswapd_order);
		reclaim_order = alloc_order;
		highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
kswapd_try_sleep:
		kswapd_try_to_sleep(pgdat, alloc_order, reclaim_order,
				    highest_zoneidx);

		alloc_order = READ_ONCE(pgdat->kswapd_order);
		highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
		WRITE_ONCE(pgdat->kswapd_order, 0);
		WRITE_ONCE(pgdat->kswapd_highest_zoneidx, PGM_MAX_NR_ZONES);
		if (kthread_should_stop())
			break;

		down_read(&pgdat->inst->iface_lock);
		reclaim_order = balance_pgdat(pgdat, alloc_order,
					      highest_zoneidx, &reclaimed);
		up_read(&pgdat->inst->iface_lock);
		cond_resched();
		if (reclaim_order < alloc_order)
			goto kswapd_try_sleep;
	}
	return 0;
}

/**
 * pgm_wakeup_kswapd() - wakeup_kswapd(): ask the zone's node for reclaim
 * @zone: a zone the allocation may use
 * @gfp: the allocation's gfp mask
 * @order: its order
 * @highest_zoneidx: its highest zone
 *
 * Records the largest order and zone asked for, then wakes kswapd unless
 * it is not waiting (at work, it reads them when it next looks), it has
 * failed MAX_RECLAIM_RETRIES times in a row or the node is balanced
 * without a boost pending; then a caller without __GFP_DIRECT_RECLAIM
 * wakes kcompactd for the order instead. With the kswapd knob off nothing
 * is recorded for kswapd nor woken, but the hand-off to kcompactd stays.
 * Any context; never waits.
 *
 * Return: true if kswapd was woken (or would be, without a thread: KUnit
 * instances have none, and a waiting one is assumed).
 */
bool pgm_wakeup_kswapd(struct pgm_zone *zone, gfp_t gfp, int order,
		       enum pgm_zone_type highest_zoneidx)
{
	struct pgm_pglist_data *pgdat = zone->zone_pgdat;
	bool on = READ_ONCE(pgdat->inst->tun.kswapd);
	enum pgm_zone_type curr;
	bool hopeless;

	if (!pgm_zone_managed_pages(zone))
		return false;

	/* The kswapd knob off: nothing recorded, nothing woken, but kcompactd */
	if (on) {
		curr = READ_ONCE(pgdat->kswapd_highest_zoneidx);
		if (curr == PGM_MAX_NR_ZONES || curr < highest_zoneidx)
			WRITE_ONCE(pgdat->kswapd_highest_zoneidx,
				   highest_zoneidx);
		if (READ_ONCE(pgdat->kswapd_order) < order)
			WRITE_ONCE(pgdat->kswapd_order, order);
	}

	/* A kswapd at work takes the request when it next looks */
	if (READ_ONCE(pgdat->kswapd) && !waitqueue_active(&pgdat->kswapd_wait))
		return false;

	hopeless = READ_ONCE(pgdat->kswapd_failures) >= PGM_MAX_RECLAIM_RETRIES;
	if (hopeless || (pgdat_balanced(pgdat, order, highest_zoneidx) &&
			 !pgdat_watermark_boosted(pgdat, highest_zoneidx))) {
		/*
		 * Free memory may be too fragmented for the order: a caller
		 * that cannot compact itself leaves it to kcompactd, which
		 * checks whether compaction can help and defers if not
		 */
		if (order && !(gfp & __GFP_DIRECT_RECLAIM)) {
			bool woke = pgm_wakeup_kcompactd(pgdat, order,
							 highest_zoneidx);

			pgm_explain(pgdat->inst,
				    "  node %d %s: kcompactd asked for order %d, %s",
				    pgdat->node_id,
				    hopeless ? "given up by kswapd" : "balanced",
				    order, woke ? "woken" : "not woken");
		}
		return false;
	}
	if (!on)
		return false;

	wake_up_interruptible(&pgdat->kswapd_wait);
	return true;
}

/**
 * pgm_kswapd_run() - start one kswapd thread per node of the instance
 * @inst: the instance; pgm_kswapd_stop() stops them
 *
 * KUnit instances leave them off and call pgm_balance_pgdat() directly.
 *
 * Return: 0 or the kthread_run() error, with no thread left running.
 */
int pgm_kswapd_run(struct pgm_instance *inst)
{
	unsigned int n;

	for (n = 0; n < inst->nr_nodes; n++) {
		struct pgm_pglist_data *pgdat = &inst->node_data[n];
		struct task_struct *t;

		t = kthread_run(kswapd, pgdat, "pgm_kswapd/%s/%u",
				inst->name, n);
		if (IS_ERR(t)) {
			pgm_kswapd_stop(inst);
			return PTR_ERR(t);
		}
		WRITE_ONCE(pgdat->kswapd, t);
	}
	return 0;
}

/**
 * pgm_kswapd_stop() - stop the instance's kswapd threads
 * @inst: the instance
 *
 * Waits for a balance in progress to finish; callers must not hold
 * iface_lock.
 */
void pgm_kswapd_stop(struct pgm_instance *inst)
{
	unsigned int n;

	for (n = 0; n < inst->nr_nodes; n++) {
		struct pgm_pglist_data *pgdat = &inst->node_data[n];

		if (!pgdat->kswapd)
			continue;
		kthread_stop(pgdat->kswapd);
		WRITE_ONCE(pgdat->kswapd, NULL);
	}
}
