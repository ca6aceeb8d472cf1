// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: owners, kinds and the per-node LRU.
 *
 * The mirror of what mm/swap.c (lruvec_add_folio and friends),
 * include/linux/mm_inline.h and the cpuset's mems_allowed give upstream.
 * No upstream file holds all three, so this one is named after what it
 * keeps. Reclaim itself is in vmscan.c.
 *
 * lru_lock of a node protects its lists, the lru/dirty fields of the
 * allocations on them and its node counters. It is never taken with a
 * zone lock held, nor the other way round: the block is allocated before
 * it is put on a list and taken off the list before it is freed.
 */

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/lockdep.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "pgmirror.h"
#include "explain.h"
#include "lru.h"

const char * const pgm_kind_names[PGM_NR_KINDS] = {
	[PGM_KIND_ANON]		= "anon",
	[PGM_KIND_FILE]		= "file",
	[PGM_KIND_SLAB]		= "slab",
	[PGM_KIND_KERNEL]	= "kernel",
	[PGM_KIND_PINNED]	= "pinned",
};

const char * const pgm_memcg_event_names[PGM_MEMCG_NR_EVENTS] = {
	[PGM_MEMCG_LOW]		= "low",
	[PGM_MEMCG_HIGH]	= "high",
	[PGM_MEMCG_MAX]		= "max",
	[PGM_MEMCG_OOM]		= "oom",
	[PGM_MEMCG_OOM_KILL]	= "oom_kill",
};

const char * const pgm_alloc_src_names[PGM_NR_ALLOC_SRCS] = {
	[PGM_SRC_BUDDY]		= "buddy",
	[PGM_SRC_CONTIG]	= "contig",
	[PGM_SRC_CMA]		= "cma",
};

const char * const pgm_lru_list_names[PGM_NR_LRU_LISTS] = {
	[PGM_LRU_INACTIVE_ANON]	= "inactive_anon",
	[PGM_LRU_ACTIVE_ANON]	= "active_anon",
	[PGM_LRU_INACTIVE_FILE]	= "inactive_file",
	[PGM_LRU_ACTIVE_FILE]	= "active_file",
	[PGM_LRU_UNEVICTABLE]	= "unevictable",
};

/* node_stat_name() spelling; NR_FILE_DIRTY prints as nr_dirty */
const char * const pgm_node_stat_names[PGM_NR_VM_NODE_STAT_ITEMS] = {
	[PGM_NR_INACTIVE_ANON]		= "nr_inactive_anon",
	[PGM_NR_ACTIVE_ANON]		= "nr_active_anon",
	[PGM_NR_INACTIVE_FILE]		= "nr_inactive_file",
	[PGM_NR_ACTIVE_FILE]		= "nr_active_file",
	[PGM_NR_UNEVICTABLE]		= "nr_unevictable",
	[PGM_NR_SLAB_RECLAIMABLE]	= "nr_slab_reclaimable",
	[PGM_NR_SLAB_UNRECLAIMABLE]	= "nr_slab_unreclaimable",
	[PGM_NR_FILE_DIRTY]		= "nr_dirty",
};

/* Each LRU list has the node counter of the same index */
static_assert((int)PGM_NR_INACTIVE_ANON == (int)PGM_LRU_INACTIVE_ANON);
static_assert((int)PGM_NR_UNEVICTABLE == (int)PGM_LRU_UNEVICTABLE);

/* ========================= kinds ========================= */

/**
 * pgm_kind_gfp() - the gfp mask a kind allocates with by default
 * @kind: the kind
 *
 * Anon, file and pinned memory is user memory: movable. Slab is
 * reclaimable, kernel memory unmovable.
 *
 * Return: the gfp mask, GFP_KERNEL for an unknown kind.
 */
gfp_t pgm_kind_gfp(enum pgm_kind kind)
{
	switch (kind) {
	case PGM_KIND_ANON:
	case PGM_KIND_FILE:
	case PGM_KIND_PINNED:
		return GFP_HIGHUSER_MOVABLE;
	case PGM_KIND_SLAB:
		return GFP_KERNEL | __GFP_RECLAIMABLE;
	default:
		return GFP_KERNEL;
	}
}

/**
 * pgm_kind_lru() - the LRU list a new allocation of a kind goes on
 * @kind: the kind
 *
 * New memory starts inactive, as upstream's lru_add does without a
 * workingset refault; pinned memory cannot be evicted.
 *
 * Return: an enum pgm_lru_list, or -1 for slab and kernel memory, which
 * are on no LRU.
 */
int pgm_kind_lru(enum pgm_kind kind)
{
	switch (kind) {
	case PGM_KIND_ANON:
		return PGM_LRU_INACTIVE_ANON;
	case PGM_KIND_FILE:
		return PGM_LRU_INACTIVE_FILE;
	case PGM_KIND_PINNED:
		return PGM_LRU_UNEVICTABLE;
	default:
		return -1;
	}
}

/* ========================= owners ========================= */

/**
 * pgm_owner_find() - look an owner up by name
 * @inst: the instance
 * @name: its name
 *
 * The caller keeps the owner alive, as a control write does by holding
 * iface_lock across lookup and use: destroy takes it exclusively.
 *
 * Return: the owner, or NULL.
 */
struct pgm_owner *pgm_owner_find(struct pgm_instance *inst, const char *name)
{
	struct pgm_owner *o;
	unsigned long idx;

	xa_for_each(&inst->owners, idx, o)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

/**
 * pgm_owner_create() - make a new owner
 * @inst: the instance
 * @name: 1..PGM_OWNER_NAME_LEN - 1 characters, unique in @inst
 * @nodes: its allowed nodes, or NULL for every node of @inst
 * @oom_score_adj: PGM_OOM_SCORE_ADJ_MIN..PGM_OOM_SCORE_ADJ_MAX
 *
 * Return: the owner, or ERR_PTR(-EINVAL) for a bad argument or an empty
 * mask within the instance's nodes, -EEXIST for a taken name, -ENOMEM,
 * or -EBUSY when no id is left.
 */
struct pgm_owner *pgm_owner_create(struct pgm_instance *inst,
				   const char *name,
				   const struct pgm_nodemask *nodes,
				   int oom_score_adj)
{
	struct pgm_owner *o;
	size_t len = strlen(name);
	int ret, n;
	u32 id;

	if (!len || len >= PGM_OWNER_NAME_LEN ||
	    oom_score_adj < PGM_OOM_SCORE_ADJ_MIN ||
	    oom_score_adj > PGM_OOM_SCORE_ADJ_MAX)
		return ERR_PTR(-EINVAL);

	o = pgm_meta_zalloc(sizeof(*o));
	if (!o)
		return ERR_PTR(-ENOMEM);
	strscpy(o->name, name, sizeof(o->name));
	bitmap_set(o->mems_allowed.bits, 0, inst->nr_nodes);
	if (nodes)
		bitmap_and(o->mems_allowed.bits, o->mems_allowed.bits,
			   nodes->bits, PGM_MAX_NUMNODES);
	if (bitmap_empty(o->mems_allowed.bits, PGM_MAX_NUMNODES)) {
		pgm_meta_free(o);
		return ERR_PTR(-EINVAL);
	}
	o->oom_score_adj = oom_score_adj;
	for (n = 0; n < PGM_MAX_NUMNODES; n++)
		pgm_lruvec_init(&o->lruvec[n]);
	atomic_long_set(&o->nr_pages, 0);
	o->max = PGM_PAGE_COUNTER_MAX;
	o->high = PGM_PAGE_COUNTER_MAX;

	mutex_lock(&inst->owners_lock);
	if (pgm_owner_find(inst, name)) {
		ret = -EEXIST;
	} else if (pgm_meta_should_fail()) {
		ret = -ENOMEM;
	} else {
		ret = xa_alloc_cyclic(&inst->owners, &id, o,
				      XA_LIMIT(1, U32_MAX),
				      &inst->owner_next_id, GFP_KERNEL);
		if (ret >= 0) {
			o->id = id;
			ret = 0;
			/* memcg_online_kmem(): the key stays on from now */
			WRITE_ONCE(inst->memcg_kmem_online, true);
		}
	}
	mutex_unlock(&inst->owners_lock);
	if (ret) {
		pgm_meta_free(o);
		return ERR_PTR(ret);
	}
	return o;
}

/**
 * pgm_owner_destroy() - remove an owner without allocations
 * @inst: the instance
 * @owner: the owner
 *
 * Return: 0, or -EBUSY while it is charged for any page.
 */
int pgm_owner_destroy(struct pgm_instance *inst, struct pgm_owner *owner)
{
	unsigned int n;

	mutex_lock(&inst->owners_lock);
	if (atomic_long_read(&owner->nr_pages) ||
	    atomic_read(&owner->nr_waiting)) {
		mutex_unlock(&inst->owners_lock);
		return -EBUSY;
	}
	xa_erase(&inst->owners, owner->id);
	/*
	 * invalidate_reclaim_iterators(): a walk that stopped here starts
	 * again at the root. No reclaim runs: the caller holds iface_lock
	 * exclusively.
	 */
	for (n = 0; n < inst->nr_nodes; n++)
		cmpxchg(&inst->node_data[n].memcg_iter, (long)owner->id,
			PGM_MEMCG_ITER_NONE);
	mutex_unlock(&inst->owners_lock);
	pgm_meta_free(owner);
	return 0;
}

/**
 * pgm_owners_release_all() - free every owner of an instance
 * @inst: the instance; its allocations are already released
 */
void pgm_owners_release_all(struct pgm_instance *inst)
{
	struct pgm_owner *o;
	unsigned long idx;

	mutex_lock(&inst->owners_lock);
	xa_for_each(&inst->owners, idx, o) {
		WARN_ON_ONCE(atomic_long_read(&o->nr_pages));
		xa_erase(&inst->owners, idx);
		pgm_meta_free(o);
	}
	mutex_unlock(&inst->owners_lock);
}

/* ========================= the LRU ========================= */

static struct pgm_pglist_data *pgm_alloc_pgdat(struct pgm_instance *inst,
					       const struct pgm_alloc *a)
{
	return &inst->node_data[pgm_page_to_nid(a->page)];
}

/* Slab is counted by what its gfp made of it, as SLAB_RECLAIM_ACCOUNT */
static int pgm_slab_stat(const struct pgm_alloc *a)
{
	return a->page->alloc_mt == PGM_MIGRATE_RECLAIMABLE ?
		PGM_NR_SLAB_RECLAIMABLE : PGM_NR_SLAB_UNRECLAIMABLE;
}

/* mem_cgroup_lruvec(): the owner's lruvec on @pgdat, or the root's */
static struct pgm_lruvec *pgm_alloc_lruvec(struct pgm_pglist_data *pgdat,
					   const struct pgm_alloc *a)
{
	return a->owner ? &a->owner->lruvec[pgdat->node_id] : &pgdat->lruvec;
}

/*
 * A CPU's delta @p of the count @sum, folded in once it passes
 * @threshold either way; callers hold lru_lock, which stands in for
 * upstream's disabled interrupts
 */
static void pgm_mod_state(long *sum, s8 *p, int threshold, long delta)
{
	long x = delta + *p;

	if (unlikely(abs(x) > threshold)) {
		WRITE_ONCE(*sum, *sum + x);
		x = 0;
	}
	WRITE_ONCE(*p, x);
}

/* __mod_node_page_state(): the calling pcp CPU's delta of the node's */
static void pgm_mod_node_state(struct pgm_pglist_data *pgdat,
			       unsigned int cpu, enum pgm_node_stat_item item,
			       long delta)
{
	pgm_mod_state(&pgdat->vm_stat[item], &pgdat->vm_node_stat_diff[cpu][item],
		      READ_ONCE(pgdat->stat_threshold), delta);
}

/* __mod_zone_page_state() for the zone counters lru_lock guards */
static void pgm_mod_zone_lru_state(struct pgm_zone *zone, unsigned int cpu,
				   int item, long delta)
{
	pgm_mod_state(&zone->nr_zone_lru[item], &zone->lru_stat_diff[cpu][item],
		      READ_ONCE(zone->stat_threshold), delta);
}

/*
 * One CPU's @n deltas @diff folded into their counts @sum and added to
 * @global; callers hold lru_lock. Return: whether any was not 0.
 */
static bool pgm_fold_diffs(long *sum, s8 *diff, int n, int *global)
{
	bool folded = false;
	int i;

	for (i = 0; i < n; i++) {
		int v = diff[i];

		if (!v)
			continue;
		WRITE_ONCE(diff[i], 0);
		WRITE_ONCE(sum[i], sum[i] + v);
		global[i] += v;
		folded = true;
	}
	return folded;
}

/**
 * pgm_fold_zone_lru_diffs() - refresh_cpu_vm_stats()'s fold of a zone's
 *	LRU and write-pending deltas for one pcp CPU
 * @zone: the zone
 * @cpu: the pcp CPU
 * @global: each item's delta is added to it, for fold_diff()'s test
 *
 * Upstream keeps these in the zone's one vm_stat_diff, so a delta of them
 * arms the CPU's remote pcp expiry as a free-count delta does.
 *
 * Return: true if the CPU had a delta to fold in.
 */
bool pgm_fold_zone_lru_diffs(struct pgm_zone *zone, unsigned int cpu,
			     int *global)
{
	struct pgm_pglist_data *pgdat = zone->zone_pgdat;
	bool folded;

	spin_lock(&pgdat->lru_lock);
	folded = pgm_fold_diffs(zone->nr_zone_lru, zone->lru_stat_diff[cpu],
				PGM_NR_ZONE_LRU_ITEMS, global);
	spin_unlock(&pgdat->lru_lock);
	return folded;
}

/**
 * pgm_fold_node_stat_diffs() - refresh_cpu_vm_stats()'s fold of a node's
 *	deltas for one pcp CPU
 * @pgdat: the node
 * @cpu: the pcp CPU
 * @global: each item's delta is added to it, for fold_diff()'s test
 *
 * As upstream, a node delta arms no pcp expiry.
 */
void pgm_fold_node_stat_diffs(struct pgm_pglist_data *pgdat, unsigned int cpu,
			      int *global)
{
	spin_lock(&pgdat->lru_lock);
	pgm_fold_diffs(pgdat->vm_stat, pgdat->vm_node_stat_diff[cpu],
		       PGM_NR_VM_NODE_STAT_ITEMS, global);
	spin_unlock(&pgdat->lru_lock);
}

/* __update_lru_size()'s vmstat part: the node's and zone @zid's count */
static void pgm_mod_lru_size(struct pgm_pglist_data *pgdat, int lru, int zid,
			     long nr)
{
	unsigned int cpu = pgm_this_cpu(pgdat->inst);

	pgm_mod_node_state(pgdat, cpu, lru, nr);
	pgm_mod_zone_lru_state(&pgdat->node_zones[zid], cpu, lru, nr);
}

/**
 * pgm_update_lru_sizes() - update_lru_sizes(): what a batch isolated
 * @pgdat: the node, whose lru_lock the caller holds
 * @lru: the list the batch came from
 * @nr_zone_taken: its pages by zone
 *
 * One change per zone for the whole batch, as isolate_lru_folios()
 * makes, so the deltas fold where upstream's do.
 */
void pgm_update_lru_sizes(struct pgm_pglist_data *pgdat, int lru,
			  const unsigned long *nr_zone_taken)
{
	int zid;

	lockdep_assert_held(&pgdat->lru_lock);
	for (zid = 0; zid < PGM_MAX_NR_ZONES; zid++)
		if (nr_zone_taken[zid])
			pgm_mod_lru_size(pgdat, lru, zid, -nr_zone_taken[zid]);
}

/**
 * pgm_lru_putback_size() - a kept block's count back, as
 *	move_folios_to_lru() adds each folio it puts back
 * @pgdat: the node, whose lru_lock the caller holds
 * @a: the block, counted in a batch pgm_update_lru_sizes() took off but
 *	left on its list
 */
void pgm_lru_putback_size(struct pgm_pglist_data *pgdat,
			  const struct pgm_alloc *a)
{
	lockdep_assert_held(&pgdat->lru_lock);
	pgm_mod_lru_size(pgdat, pgm_kind_lru(a->kind),
			 pgm_page_zonenum(a->page), 1L << a->order);
}

/*
 * update_lru_size(): the node's, the zone's and the lruvec's count of
 * @lru, by @nr pages of @a's zone; callers hold lru_lock. The lruvec's
 * per-zone count is exact, as memcg's lru_zone_size is. With
 * @nr_zone_taken, a removal is left for pgm_update_lru_sizes().
 */
static void pgm_update_lru_size(struct pgm_pglist_data *pgdat,
				const struct pgm_alloc *a, int lru, long nr,
				unsigned long *nr_zone_taken)
{
	int zid = pgm_page_zonenum(a->page);

	if (nr_zone_taken)
		nr_zone_taken[zid] -= nr;
	else
		pgm_mod_lru_size(pgdat, lru, zid, nr);
	if (lru == PGM_LRU_INACTIVE_FILE)
		pgm_alloc_lruvec(pgdat, a)->inactive_file[zid] += nr;
}

/*
 * folio_account_dirtied() and its undoing: NR_FILE_DIRTY of @page's node
 * and NR_ZONE_WRITE_PENDING of its zone, by @nr pages; callers hold
 * lru_lock
 */
static void pgm_account_dirty(struct pgm_pglist_data *pgdat,
			      const struct pgm_page *page, long nr)
{
	unsigned int cpu = pgm_this_cpu(pgdat->inst);

	pgm_mod_node_state(pgdat, cpu, PGM_NR_FILE_DIRTY, nr);
	pgm_mod_zone_lru_state(&pgdat->node_zones[pgm_page_zonenum(page)],
			       cpu, PGM_NR_ZONE_WRITE_PENDING, nr);
}

/* The shrinker's list for reclaimable slab, else the other one */
static struct list_head *pgm_slab_list(struct pgm_pglist_data *pgdat,
				       const struct pgm_alloc *a)
{
	return &pgdat->slab_lists[pgm_slab_stat(a) != PGM_NR_SLAB_RECLAIMABLE];
}

/* lruvec_add_folio(): callers hold lru_lock */
static void pgm_lru_add(struct pgm_pglist_data *pgdat, struct pgm_alloc *a)
{
	long nr = 1L << a->order;
	int lru = pgm_kind_lru(a->kind);

	if (lru >= 0) {
		list_add(&a->lru, &pgm_alloc_lruvec(pgdat, a)->lists[lru]);
		pgm_update_lru_size(pgdat, a, lru, nr, NULL);
		/* PG_lru: a pfn walk can find the allocation now */
		a->page->alloc = a;
		a->page->flags |= PGM_PG_LRU;
	} else if (a->kind == PGM_KIND_SLAB) {
		list_add(&a->lru, pgm_slab_list(pgdat, a));
		pgm_mod_node_state(pgdat, pgm_this_cpu(pgdat->inst),
				   pgm_slab_stat(a), nr);
	}
}

/*
 * Only LRU and slab memory sits on a list of its node. The rest, kernel
 * memory, takes no lru_lock on the way in or out, as upstream's kernel
 * pages never reach a lruvec: writers on other CPUs share nothing there.
 * Only file memory is ever dirty, so nothing else has a count to drop.
 */
static bool pgm_alloc_listed(const struct pgm_alloc *a)
{
	return pgm_kind_lru(a->kind) >= 0 || a->kind == PGM_KIND_SLAB;
}

/*
 * lruvec_del_folio(), plus the dirty count; callers hold lru_lock. An
 * LRU block's count goes into @nr_zone_taken if not NULL.
 */
static void __pgm_lru_del(struct pgm_pglist_data *pgdat, struct pgm_alloc *a,
			  unsigned long *nr_zone_taken)
{
	long nr = 1L << a->order;
	int lru = pgm_kind_lru(a->kind);

	if (lru >= 0) {
		list_del_init(&a->lru);
		pgm_update_lru_size(pgdat, a, lru, -nr, nr_zone_taken);
		a->page->flags &= ~PGM_PG_LRU;
		a->page->alloc = NULL;
	} else if (a->kind == PGM_KIND_SLAB) {
		list_del_init(&a->lru);
		pgm_mod_node_state(pgdat, pgm_this_cpu(pgdat->inst),
				   pgm_slab_stat(a), -nr);
	}
	if (a->dirty) {
		a->dirty = false;
		pgm_account_dirty(pgdat, a->page, -nr);
	}
}

static void pgm_lru_del(struct pgm_pglist_data *pgdat, struct pgm_alloc *a)
{
	__pgm_lru_del(pgdat, a, NULL);
}

/* Off its node's list, if it is on one: @pgdat is @a's node */
static void pgm_alloc_unlist(struct pgm_pglist_data *pgdat,
			     struct pgm_alloc *a)
{
	if (!pgm_alloc_listed(a))
		return;
	spin_lock(&pgdat->lru_lock);
	pgm_lru_del(pgdat, a);
	spin_unlock(&pgdat->lru_lock);
}

/* The record and its LRU entry; the charge is the caller's */
static struct pgm_alloc *__pgm_alloc_adopt(struct pgm_instance *inst,
					   struct pgm_page *page,
					   unsigned int order,
					   struct pgm_owner *owner,
					   enum pgm_kind kind)
{
	struct pgm_pglist_data *pgdat;
	struct pgm_alloc *a;

	a = pgm_meta_record_alloc();
	if (!a)
		return NULL;
	/*
	 * Every field but @rcu, a store each: a struct assignment zeroes
	 * it all first with rep stos, whose start-up costs more than these
	 */
	a->page = page;
	a->id = 0;
	a->order = order;
	a->kind = kind;
	a->dirty = false;
	a->src = PGM_SRC_BUDDY;
	a->nr_pages = 0;
	a->owner = owner;
	memset(a->tag, 0, sizeof(a->tag));
	INIT_LIST_HEAD(&a->lru);
	if (!pgm_alloc_listed(a))
		return a;

	pgdat = pgm_alloc_pgdat(inst, a);
	spin_lock(&pgdat->lru_lock);
	pgm_lru_add(pgdat, a);
	spin_unlock(&pgdat->lru_lock);
	return a;
}

/*
 * check_and_migrate_movable_folios(): a long-term pin may not hold a block
 * in ZONE_MOVABLE or in a CMA (or isolated) pageblock, which must stay
 * free-able (folio_is_longterm_pinnable()). Such a block is migrated
 * first, to one allocated as migrate_longterm_unpinnable_folios() does,
 * GFP_USER on the block's node, inside memalloc_pin_save(), which takes
 * __GFP_MOVABLE off. The pinned block itself was faulted in before the
 * pin, with the kind's movable mask. Return: 0, or -ENOMEM when no target
 * could be had: the pin fails.
 */
static int pgm_pin_longterm(struct pgm_instance *inst, struct pgm_alloc *a)
{
	struct pgm_page *src = a->page, *dst;
	struct pgm_zone *zone = pgm_page_zone(inst, src);
	unsigned long pfn = pgm_page_to_pfn(inst, src);
	int mt = pgm_get_pfnblock_migratetype(inst, pfn);
	gfp_t gfp;

	if (zone->idx != PGM_ZONE_MOVABLE && mt != PGM_MIGRATE_CMA &&
	    mt != PGM_MIGRATE_ISOLATE)
		return 0;
	gfp = pgm_alloc_migration_gfp(zone, GFP_USER | __GFP_NOWARN, a->order);
	dst = pgm_alloc_pages_owner(inst, gfp & ~__GFP_MOVABLE, a->order,
				    pgm_page_to_nid(src), NULL, a->owner);
	if (!dst) {
		pgm_count_vm_events(inst, PGM_PGMIGRATE_FAIL, 1L << a->order);
		pgm_explain_tail(inst, "pin: no block to move pfn %lu to: the pin failed",
				 pfn);
		return -ENOMEM;
	}
	/* Nobody else reaches @a before its handle: this always moves it */
	if (!pgm_alloc_migrate(inst, a, src, dst, a->order)) {
		pgm_free_pages(inst, dst, a->order);
		return 0;
	}
	pgm_free_pages(inst, src, a->order);
	pgm_count_vm_events(inst, PGM_PGMIGRATE_SUCCESS, 1L << a->order);
	pgm_explain_tail(inst, "pin: pfn %lu is in %s: moved to pfn %lu",
			 pfn, zone->idx == PGM_ZONE_MOVABLE ? "ZONE_MOVABLE" :
			 pgm_migratetype_names[mt],
			 pgm_page_to_pfn(inst, dst));
	return 0;
}

/**
 * pgm_alloc_create() - allocate a block of a kind for an owner
 * @inst: the instance
 * @gfp: the gfp mask; pgm_kind_gfp() gives the kind's default
 * @order: the order
 * @preferred_nid: the node to start from
 * @owner: the owner charged, whose nodes ALLOC_CPUSET enforces, or NULL
 * @kind: what the block holds
 *
 * The block goes on its node's LRU (or slab list) and is charged to
 * @owner. The caller sets ->id and ->tag.
 *
 * Return: the allocation, or NULL when either the block or the record
 * could not be allocated.
 */
struct pgm_alloc *pgm_alloc_create(struct pgm_instance *inst, gfp_t gfp,
				   unsigned int order, int preferred_nid,
				   struct pgm_owner *owner,
				   enum pgm_kind kind)
{
	struct pgm_alloc *a;
	struct pgm_page *page;

	if ((unsigned int)kind >= PGM_NR_KINDS)
		return NULL;
	/*
	 * Folios are compound at every order (__folio_alloc()), slab asks
	 * for its high-order pages so (s->allocflags)
	 */
	if (pgm_kind_lru(kind) >= 0 || (kind == PGM_KIND_SLAB && order))
		gfp |= __GFP_COMP;
	page = pgm_alloc_pages_owner(inst, gfp, order, preferred_nid, NULL,
				     owner);
	if (!page)
		return NULL;
	/* mem_cgroup_charge(), once the block is there */
	if (owner && pgm_owner_try_charge(inst, owner, gfp, 1UL << order)) {
		pgm_explain_tail(inst, "memcg: the charge to owner %s failed: the block freed",
				 owner->name);
		pgm_free_pages(inst, page, order);
		return NULL;
	}
	a = __pgm_alloc_adopt(inst, page, order, owner, kind);
	if (!a) {
		if (owner)
			atomic_long_sub(1L << order, &owner->nr_pages);
		pgm_free_pages(inst, page, order);
		return NULL;
	}
	if (kind == PGM_KIND_PINNED && pgm_pin_longterm(inst, a)) {
		pgm_alloc_release(inst, a);
		return NULL;
	}
	return a;
}

/**
 * pgm_alloc_adopt() - make an allocation record for a block already taken
 * @inst: the instance
 * @page: the head page of an allocated block of @order
 * @order: its order
 * @owner: the owner charged, or NULL
 * @kind: enum pgm_kind
 *
 * The second half of pgm_alloc_create(), for callers (tests) that place
 * blocks themselves.
 *
 * Return: the allocation, on its LRU, or NULL without memory.
 */
struct pgm_alloc *pgm_alloc_adopt(struct pgm_instance *inst,
				  struct pgm_page *page, unsigned int order,
				  struct pgm_owner *owner, enum pgm_kind kind)
{
	struct pgm_alloc *a = __pgm_alloc_adopt(inst, page, order, owner,
						kind);

	/* Charged without a limit, as page_counter_charge() */
	if (a && owner)
		atomic_long_add(1L << order, &owner->nr_pages);
	return a;
}

/*
 * A record out of the handles goes back to its cache at once unless a
 * walker may hold it: the record's retire comes before this barrier, a
 * walker's count before its own (pgm_handle_walk_begin()), so either
 * this sees the walker or the walker cannot find the record.
 */
static void pgm_record_free(struct pgm_instance *inst, struct pgm_alloc *a)
{
	/* The retire before the count's read: pairs with the walker's */
	smp_mb();
	if (atomic_read(&inst->handle_walkers))
		pgm_meta_record_free(a);
	else
		pgm_meta_record_free_now(a);
}

/**
 * pgm_alloc_put() - free the block of an allocation nobody else can reach
 * @inst: the instance
 * @a: the allocation, out of the handles xarray and off its LRU
 *
 * The one place an allocation's pages and footprint go: the free command
 * and reclaim both end here.
 */
void pgm_alloc_put(struct pgm_instance *inst, struct pgm_alloc *a)
{
	if (a->owner)
		atomic_long_sub(1L << a->order, &a->owner->nr_pages);
	if (a->src == PGM_SRC_CMA)
		pgm_cma_release(inst, a->page, a->nr_pages);
	else if (a->src == PGM_SRC_CONTIG)
		pgm_free_contig_range(inst, pgm_page_to_pfn(inst, a->page),
				      a->nr_pages);
	else
		pgm_free_pages(inst, a->page, a->order);
	pgm_record_free(inst, a);
}

/**
 * pgm_alloc_adopt_range() - make the record of a contiguous range
 * @inst: the instance
 * @page: the first of @nr_pages order-0 pages, each allocated
 * @nr_pages: 1..U32_MAX
 * @src: PGM_SRC_CONTIG or PGM_SRC_CMA: what frees the range
 *
 * Ranges are kernel memory on no LRU and charged to nobody, as upstream's
 * alloc_contig_range() callers (CMA, gigantic pages, virtio-mem) hold
 * them.
 *
 * Return: the allocation, or NULL without memory.
 */
struct pgm_alloc *pgm_alloc_adopt_range(struct pgm_instance *inst,
					struct pgm_page *page,
					unsigned long nr_pages,
					enum pgm_alloc_src src)
{
	struct pgm_alloc *a = pgm_meta_record_alloc();

	if (!a)
		return NULL;
	/* A range is rare: written whole, rcu_head too, as the buddy's are not */
	*a = (struct pgm_alloc){
		.page = page,
		.kind = PGM_KIND_KERNEL,
		.src = src,
		.nr_pages = nr_pages,
	};
	INIT_LIST_HEAD(&a->lru);
	return a;
}

/**
 * pgm_copy_block() - folio_copy(): a migrated block's memory to its target
 * @inst: the instance; without a backing there is nothing to copy
 * @dst: the target block
 * @src: the source block
 * @order: their order
 */
void pgm_copy_block(struct pgm_instance *inst, struct pgm_page *dst,
		    struct pgm_page *src, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++) {
		void *from = pgm_page_address(inst, src + i);
		void *to = pgm_page_address(inst, dst + i);

		if (from && to)
			memcpy(to, from, PAGE_SIZE);
	}
}

/* Both nodes' lru_locks, the lower node's first */
static void pgm_lru_lock_two(struct pgm_pglist_data *a,
			     struct pgm_pglist_data *b)
{
	if (a == b) {
		spin_lock(&a->lru_lock);
		return;
	}
	if (a->node_id > b->node_id)
		swap(a, b);
	spin_lock(&a->lru_lock);
	spin_lock_nested(&b->lru_lock, SINGLE_DEPTH_NESTING);
}

static void pgm_lru_unlock_two(struct pgm_pglist_data *a,
			       struct pgm_pglist_data *b)
{
	if (a != b)
		spin_unlock(&b->lru_lock);
	spin_unlock(&a->lru_lock);
}

/**
 * pgm_alloc_migrate() - migrate_pages() for one LRU allocation
 * @inst: the instance
 * @a: the allocation
 * @src: the block @a was found at
 * @dst: the migration target, just allocated
 * @order: @dst's order, the order @a had when it was found
 *
 * The contents move to @dst and @a goes back on the LRU of @dst's node
 * at its head, as a migrated folio is put back; the dirty state moves
 * with it. @src stays allocated for the caller to free. @a may have been
 * freed since it was found (the target's allocation may reclaim it, or
 * let iface_lock go): it is only compared until lru_lock shows it live.
 *
 * Return: true if @a moved; false if it left @src meanwhile (freed,
 * reclaimed, claimed or migrated by someone else), and the caller frees
 * @dst.
 */
bool pgm_alloc_migrate(struct pgm_instance *inst, struct pgm_alloc *a,
		       struct pgm_page *src, struct pgm_page *dst,
		       unsigned int order)
{
	struct pgm_pglist_data *from = &inst->node_data[pgm_page_to_nid(src)];
	struct pgm_pglist_data *to = &inst->node_data[pgm_page_to_nid(dst)];
	unsigned long nr = 1UL << order;
	bool dirty;

	pgm_lru_lock_two(from, to);
	/*
	 * On @src's LRU it is live; a record reused at the same address may
	 * be of another order, and one claimed meanwhile is its claimer's.
	 */
	if (!(src->flags & PGM_PG_LRU) || src->alloc != a ||
	    a->order != order ||
	    (a->id && xa_load(&inst->handles, a->id) != a)) {
		pgm_lru_unlock_two(from, to);
		return false;
	}
	/* The dirty count moves only between zones, as upstream's */
	dirty = a->dirty;
	a->dirty = false;
	pgm_lru_del(from, a);
	pgm_copy_block(inst, dst, src, a->order);
	WRITE_ONCE(a->page, dst);
	pgm_lru_add(to, a);
	a->dirty = dirty;
	if (dirty && pgm_page_zone(inst, src) != pgm_page_zone(inst, dst)) {
		pgm_account_dirty(from, src, -nr);
		pgm_account_dirty(to, dst, nr);
	}
	pgm_lru_unlock_two(from, to);
	return true;
}

/* release_pages(): blocks gathered and freed with one pcp lock hold */
struct pgm_free_batch {
	unsigned int nr;
	struct pgm_page *pages[PGM_FOLIO_BATCH_SIZE];
	unsigned int orders[PGM_FOLIO_BATCH_SIZE];
};

static void pgm_free_batch_flush(struct pgm_instance *inst,
				 struct pgm_free_batch *fb)
{
	if (fb->nr)
		pgm_free_unref_folios(inst, fb->pages, fb->orders, fb->nr);
	fb->nr = 0;
}

/* As pgm_alloc_release(), with the block left in @fb to be freed */
static void pgm_alloc_release_batched(struct pgm_instance *inst,
				      struct pgm_alloc *a,
				      struct pgm_free_batch *fb)
{
	struct pgm_pglist_data *pgdat = pgm_alloc_pgdat(inst, a);

	if (a->src != PGM_SRC_BUDDY) {
		/* A range is freed a page at a time, never batched */
		pgm_alloc_put(inst, a);
		return;
	}
	pgm_alloc_unlist(pgdat, a);
	if (a->owner)
		atomic_long_sub(1L << a->order, &a->owner->nr_pages);
	fb->pages[fb->nr] = a->page;
	fb->orders[fb->nr++] = a->order;
	pgm_record_free(inst, a);
	if (fb->nr == PGM_FOLIO_BATCH_SIZE)
		pgm_free_batch_flush(inst, fb);
}

/**
 * pgm_alloc_release() - take an allocation off its LRU and free it
 * @inst: the instance
 * @a: the allocation, no longer reachable through the handles
 */
void pgm_alloc_release(struct pgm_instance *inst, struct pgm_alloc *a)
{
	/*
	 * Read before lru_lock: only alloc_contig's migration moves a record
	 * to another node, under iface_lock exclusive, which every path that
	 * frees holds shared or excludes (kswapd and the bench hold it too)
	 */
	struct pgm_pglist_data *pgdat = pgm_alloc_pgdat(inst, a);

	pgm_alloc_unlist(pgdat, a);
	pgm_alloc_put(inst, a);
}

/* ========================= handles ========================= */

/**
 * pgm_handle_add() - give an allocation a handle in inst->handles
 * @inst: the instance
 * @a: the allocation, fresh from pgm_alloc_create()
 * @id: where its handle goes, or NULL
 *
 * From here on another control write may free @a: the caller reads the
 * handle from @id, not from @a.
 *
 * Return: 0, or the __xa_alloc_cyclic() error; @a is not published
 * then.
 */
int pgm_handle_add(struct pgm_instance *inst, struct pgm_alloc *a, u32 *id)
{
	XA_STATE(xas, &inst->handles, 0);
	int ret = 0;
	u32 new;

	if (pgm_meta_should_fail())
		return -ENOMEM;
	/*
	 * Stored and numbered in one walk under the xarray's lock, which
	 * every claim takes: a free handle=N racing with this waits until
	 * the record has its id, and lockless walkers that see it before
	 * then see id 0, which nobody claims.
	 */
	xas_lock(&xas);
	/*
	 * The next number's slot is free and its node there unless the
	 * numbers wrapped or a node is due: one walk to it, where
	 * __xa_alloc_cyclic() searches the free marks first. Either way
	 * the slot is the lowest free one from next_handle on.
	 */
	new = inst->next_handle;
	xas_set(&xas, new);
	if (new && !xas_load(&xas) && !xas_error(&xas)) {
		xas_store(&xas, a);
		if (!xas_error(&xas)) {
			xas_clear_mark(&xas, XA_FREE_MARK);
			inst->next_handle = new + 1;
			goto stored;
		}
	}
	ret = __xa_alloc_cyclic(&inst->handles, &new, a, XA_LIMIT(1, U32_MAX),
				&inst->next_handle, PGM_META_GFP);
	if (ret < 0) {
		xas_unlock(&xas);
		return ret;
	}
stored:
	WRITE_ONCE(a->id, new);
	xas_unlock(&xas);
	if (id)
		*id = new;
	return 0;
}

/*
 * Retire handle @id if it names @a, or any record with @a NULL. Were the
 * last entry of an xarray node erased, the node would go, and with the
 * last live handle every node down to it, for the next allocation, one
 * number on, to allocate them all again. So the last entry of its node
 * keeps a reserved entry, which lookups and walks see as no handle and
 * no allocation takes, and the slot reserved before it is let go: one
 * reserved slot keeps the nodes the next numbers fill. An entry with
 * others beside it is erased, one store. Storing over a slot that
 * exists never allocates, so this is safe under lru_lock. Return: the
 * record retired, or NULL.
 */
static struct pgm_alloc *pgm_handle_retire(struct pgm_instance *inst, u32 id,
					   struct pgm_alloc *a)
{
	XA_STATE(xas, &inst->handles, id);
	struct pgm_alloc *cur;
	u32 prev;

	if (!id)
		return NULL;
	xas_lock(&xas);
	cur = xas_load(&xas);
	if (!cur || xa_is_zero(cur) || (a && cur != a)) {
		xas_unlock(&xas);
		return NULL;
	}
	/*
	 * Its node keeps other entries: erased, the node stays. The root
	 * node of an ALLOC1 array holds a reserved index 0 as well, and
	 * goes once that is all it holds (xas_shrink())
	 */
	if (xas_valid(&xas) && xas.xa_node &&
	    xas.xa_node->count > (xas.xa_node->parent ? 1 : 2)) {
		xas_store(&xas, NULL);
		xas_unlock(&xas);
		return cur;
	}
	/* One walk for the load and the store; the slot exists already */
	xas_store(&xas, XA_ZERO_ENTRY);
	if (WARN_ON_ONCE(xas_error(&xas))) {
		xas_unlock(&xas);
		return NULL;
	}
	prev = inst->handle_anchor;
	inst->handle_anchor = id;
	if (prev && prev != id) {
		/* Mostly the number before: a step, not a walk from the top */
		void *anchor;

		if (prev == id - 1) {
			anchor = xas_prev(&xas);
		} else {
			xas_set(&xas, prev);
			anchor = xas_load(&xas);
		}
		if (xa_is_zero(anchor))
			xas_store(&xas, NULL);
	}
	xas_unlock(&xas);
	return cur;
}

/*
 * Take @a out of the handles unless someone else did first. Only the
 * winner may free it; allocations without a handle (id 0) are never
 * claimed.
 */
static bool pgm_handle_claim(struct pgm_instance *inst, struct pgm_alloc *a)
{
	return pgm_handle_retire(inst, READ_ONCE(a->id), a) == a;
}

/**
 * pgm_handle_take() - claim the allocation behind a handle number
 * @inst: the instance
 * @id: the handle
 *
 * Retiring the handle is the claim: of two writers freeing one handle, or
 * a writer and reclaim, exactly one gets the allocation.
 *
 * Return: the allocation, now the caller's to pgm_alloc_release(), or
 * NULL if @id is no handle.
 */
struct pgm_alloc *pgm_handle_take(struct pgm_instance *inst, u32 id)
{
	return pgm_handle_retire(inst, id, NULL);
}

/**
 * pgm_handle_walk_begin() - start reading the records the handles lead to
 * @inst: the instance
 *
 * Until pgm_handle_walk_end(), a record another writer frees waits for
 * a grace period before it goes back to its cache, so that one this
 * walker found under rcu_read_lock() stays readable until it unlocks.
 */
void pgm_handle_walk_begin(struct pgm_instance *inst)
{
	atomic_inc(&inst->handle_walkers);
	/* Pairs with pgm_record_free()'s: the count before any lookup */
	smp_mb__after_atomic();
}

/**
 * pgm_handle_walk_end() - the walker is done with every record it found
 * @inst: the instance; the caller's read sections have ended
 */
void pgm_handle_walk_end(struct pgm_instance *inst)
{
	/* Every read of a record before the count goes */
	smp_mb__before_atomic();
	atomic_dec(&inst->handle_walkers);
}

/**
 * pgm_handle_isolate() - claim a handle's allocation for reclaim
 * @inst: the instance
 * @pgdat: its node, whose lru_lock the caller holds
 * @a: an allocation on one of @pgdat's lists
 * @writeback: write a dirty block back once claimed, as pageout() does
 *	for a folio isolated from its list
 * @nr_zone_taken: NULL, or where an LRU block's pages go by zone for the
 *	caller's pgm_update_lru_sizes()
 *
 * As the free command up to the free: the handle and the LRU entry and
 * counters go now, and the caller passes @a to pgm_alloc_put() once it
 * has dropped lru_lock. An allocation not claimed is not written back.
 *
 * Return: true if @a is now the caller's.
 */
bool pgm_handle_isolate(struct pgm_instance *inst,
			struct pgm_pglist_data *pgdat, struct pgm_alloc *a,
			bool writeback, unsigned long *nr_zone_taken)
{
	lockdep_assert_held(&pgdat->lru_lock);
	if (!pgm_handle_claim(inst, a))
		return false;
	if (writeback)
		pgm_alloc_writeback_locked(inst, pgdat, a);
	__pgm_lru_del(pgdat, a, nr_zone_taken);
	return true;
}

/* ========================= the interface lock ========================= */

/**
 * pgm_iface_lock() - take iface_lock exclusively
 * @inst: the instance
 *
 * For whatever reads records or other interface state: no control write
 * runs meanwhile, nor kswapd.
 */
void pgm_iface_lock(struct pgm_instance *inst)
{
	down_write(&inst->iface_lock);
}

/**
 * pgm_iface_unlock() - let go of what pgm_iface_lock() took
 * @inst: the instance
 */
void pgm_iface_unlock(struct pgm_instance *inst)
{
	up_write(&inst->iface_lock);
}

/* The bucket of control writes in progress that @task hashes to */
static struct pgm_iface_bucket *pgm_iface_bucket(struct pgm_instance *inst,
						 struct task_struct *task)
{
	return &inst->iface_writers[hash_ptr(task, PGM_IFACE_BUCKET_BITS)];
}

/**
 * pgm_iface_writer_add() - record a control write in progress
 * @inst: the instance
 * @w: the write's record, on its stack; @w->shared, @w->may_wait and
 *	@w->status set
 *
 * Until pgm_iface_writer_del(), status lines go to @w->status too, and
 * once pgm_iface_write_lock() took the lock the slow path and long walks
 * know they may let it go for a while.
 */
void pgm_iface_writer_add(struct pgm_instance *inst,
			  struct pgm_iface_writer *w)
{
	struct pgm_iface_bucket *b;

	w->task = current;
	w->locked = false;
	w->wait_interrupted = false;
	w->nr_pages_over_high = 0;
	w->over_high = NULL;
	b = pgm_iface_bucket(inst, current);
	spin_lock(&b->lock);
	hlist_add_head(&w->node, &b->writers);
	spin_unlock(&b->lock);
}

/**
 * pgm_iface_writer_del() - the end of a control write
 * @inst: the instance
 * @w: what pgm_iface_writer_add() recorded; the lock is not held
 */
void pgm_iface_writer_del(struct pgm_instance *inst,
			  struct pgm_iface_writer *w)
{
	struct pgm_iface_bucket *b = pgm_iface_bucket(inst, w->task);

	spin_lock(&b->lock);
	hlist_del(&w->node);
	spin_unlock(&b->lock);
}

/**
 * pgm_iface_current() - the control write current is making
 * @inst: the instance
 *
 * Return: its record, or NULL for any other context.
 */
struct pgm_iface_writer *pgm_iface_current(struct pgm_instance *inst)
{
	struct pgm_iface_bucket *b = pgm_iface_bucket(inst, current);
	struct pgm_iface_writer *w, *found = NULL;

	spin_lock(&b->lock);
	hlist_for_each_entry(w, &b->writers, node)
		if (w->task == current) {
			found = w;
			break;
		}
	spin_unlock(&b->lock);
	return found;
}

/**
 * pgm_iface_holder() - is current a control write holding iface_lock?
 * @inst: the instance
 *
 * Return: true if current may let iface_lock go with pgm_iface_drop().
 */
bool pgm_iface_holder(struct pgm_instance *inst)
{
	struct pgm_iface_writer *w = pgm_iface_current(inst);

	return w && w->locked;
}

/**
 * pgm_iface_write_lock() - take iface_lock for a control write
 * @inst: the instance
 * @w: the write, recorded by pgm_iface_writer_add()
 *
 * Shared for the commands that only add and claim handles, so that
 * writers on different CPUs allocate at once; exclusive for the rest.
 *
 * Return: 0, or -EINTR if a signal came first.
 */
int pgm_iface_write_lock(struct pgm_instance *inst, struct pgm_iface_writer *w)
{
	int ret;

	if (w->shared)
		ret = down_read_interruptible(&inst->iface_lock);
	else
		ret = down_write_killable(&inst->iface_lock);
	if (ret)
		return -EINTR;
	w->locked = true;
	return 0;
}

/**
 * pgm_iface_write_unlock() - let go of what pgm_iface_write_lock() took
 * @inst: the instance
 * @w: the write
 */
void pgm_iface_write_unlock(struct pgm_instance *inst,
			    struct pgm_iface_writer *w)
{
	w->locked = false;
	if (w->shared)
		up_read(&inst->iface_lock);
	else
		up_write(&inst->iface_lock);
}

/**
 * pgm_iface_drop() - let go of iface_lock in the middle of a control write
 * @inst: the instance; current holds iface_lock as a control writer, or
 *	exclusively without a writer's record
 * @owner: an owner the write goes on using, pinned until pgm_iface_retake(),
 *	or NULL
 */
void pgm_iface_drop(struct pgm_instance *inst, struct pgm_owner *owner)
{
	struct pgm_iface_writer *w = pgm_iface_current(inst);

	lockdep_assert_held(&inst->iface_lock);
	if (owner)
		atomic_inc(&owner->nr_waiting);
	if (w) {
		pgm_iface_write_unlock(inst, w);
		return;
	}
	/* A caller without a record (KUnit) holds it exclusively */
	up_write(&inst->iface_lock);
}

/**
 * pgm_iface_retake() - take iface_lock back after pgm_iface_drop()
 * @inst: the instance
 * @owner: the owner passed to pgm_iface_drop()
 */
void pgm_iface_retake(struct pgm_instance *inst, struct pgm_owner *owner)
{
	struct pgm_iface_writer *w = pgm_iface_current(inst);

	if (w && w->shared)
		down_read(&inst->iface_lock);
	else
		down_write(&inst->iface_lock);
	if (w)
		w->locked = true;
	if (owner)
		atomic_dec(&owner->nr_waiting);
}

/**
 * pgm_iface_relax() - let readers and other writers in between two steps
 * @inst: the instance; current holds iface_lock as a control writer
 * @owner: an owner the write goes on using, or NULL
 *
 * Long commands call it every PGM_IFACE_BATCH items, so that nobody waits
 * long behind them, and a fatal signal or the instance's destroy (which
 * waits for every write to return) ends them.
 *
 * Return: false when the command should end.
 */
bool pgm_iface_relax(struct pgm_instance *inst, struct pgm_owner *owner)
{
	pgm_iface_drop(inst, owner);
	cond_resched();
	pgm_iface_retake(inst, owner);
	return !fatal_signal_pending(current) && !READ_ONCE(inst->dying);
}

/*
 * The next handle at or after *@idx that @match accepts, claimed, or NULL
 * at the end. The record is read under rcu_read_lock() as a walker
 * (pgm_handle_walk_begin()), so one another writer frees meanwhile is
 * still there to compare; the claim decides.
 */
static struct pgm_alloc *
pgm_handle_claim_next(struct pgm_instance *inst, unsigned long *idx,
		      bool (*match)(const struct pgm_alloc *h, const void *arg),
		      const void *arg, bool *end)
{
	struct pgm_alloc *h, *claimed = NULL;

	pgm_handle_walk_begin(inst);
	rcu_read_lock();
	h = xa_find(&inst->handles, idx, U32_MAX, XA_PRESENT);
	*end = !h;
	if (h && match(h, arg) && pgm_handle_claim(inst, h))
		claimed = h;
	rcu_read_unlock();
	pgm_handle_walk_end(inst);
	(*idx)++;
	return claimed;
}

static bool pgm_handle_tagged(const struct pgm_alloc *h, const void *tag)
{
	return !tag || !strcmp(h->tag, tag);
}

/**
 * pgm_handles_free() - free every handle, or those tagged @tag
 * @inst: the instance; the caller holds iface_lock, in either mode
 * @tag: the tag, or NULL for all
 * @stopped: for a control write, let others in every PGM_IFACE_BATCH
 *	handles, stop at a fatal signal or the instance's destroy and set
 *	*@stopped then (false otherwise); rmmod passes NULL and frees
 *	everything
 *
 * Return: how many were freed.
 */
unsigned long pgm_handles_free(struct pgm_instance *inst, const char *tag,
			       bool *stopped)
{
	struct pgm_free_batch fb = { };
	unsigned long idx = 0, n = 0, seen = 0;
	struct pgm_alloc *h;
	bool end = false;

	lockdep_assert_held(&inst->iface_lock);
	if (stopped)
		*stopped = false;
	while (!end) {
		h = pgm_handle_claim_next(inst, &idx, pgm_handle_tagged, tag,
					  &end);
		if (h) {
			pgm_alloc_release_batched(inst, h, &fb);
			n++;
		}
		/* Counted by handles seen: millions may lie between tags */
		if (stopped && !(++seen % PGM_IFACE_BATCH)) {
			/* Nothing held back while others get the lock */
			pgm_free_batch_flush(inst, &fb);
			if (!pgm_iface_relax(inst, NULL)) {
				*stopped = true;
				break;
			}
		}
		cond_resched();
	}
	pgm_free_batch_flush(inst, &fb);
	return n;
}

static bool pgm_handle_owned(const struct pgm_alloc *h, const void *owner)
{
	return h->owner == owner;
}

/**
 * pgm_owner_handles_free() - free every handle charged to an owner
 * @inst: the instance
 * @owner: the owner
 *
 * The OOM reaper's path. The claim keeps a handle that a control write,
 * reclaim or another reap frees meanwhile from being freed twice.
 *
 * Return: the pages freed.
 */
unsigned long pgm_owner_handles_free(struct pgm_instance *inst,
				     struct pgm_owner *owner)
{
	unsigned long idx = 0, nr = 0;
	struct pgm_alloc *h;
	bool end = false;

	while (!end) {
		h = pgm_handle_claim_next(inst, &idx, pgm_handle_owned, owner,
					  &end);
		if (h) {
			nr += pgm_alloc_nr_pages(h);
			pgm_alloc_release(inst, h);
		}
		/* Others' handles too: millions may lie between the owner's */
		cond_resched();
	}
	return nr;
}

/**
 * pgm_alloc_set_dirty() - folio_mark_dirty() for a file allocation
 * @inst: the instance
 * @a: the allocation
 *
 * Return: 0, also when it was dirty already, or -EINVAL for any kind but
 * file.
 */
int pgm_alloc_set_dirty(struct pgm_instance *inst, struct pgm_alloc *a)
{
	struct pgm_pglist_data *pgdat = pgm_alloc_pgdat(inst, a);

	if (a->kind != PGM_KIND_FILE)
		return -EINVAL;
	spin_lock(&pgdat->lru_lock);
	if (!a->dirty) {
		a->dirty = true;
		pgm_account_dirty(pgdat, a->page, 1L << a->order);
	}
	spin_unlock(&pgdat->lru_lock);
	return 0;
}

/**
 * pgm_alloc_writeback_locked() - write back with lru_lock held
 * @inst: the instance
 * @pgdat: the allocation's node, whose lru_lock the caller holds
 * @a: the allocation
 *
 * There is no backing store: writeback only makes the block clean and
 * counts its pages in nr_written.
 *
 * Return: true if it was dirty.
 */
bool pgm_alloc_writeback_locked(struct pgm_instance *inst,
				struct pgm_pglist_data *pgdat,
				struct pgm_alloc *a)
{
	long nr = 1L << a->order;

	lockdep_assert_held(&pgdat->lru_lock);
	if (!a->dirty)
		return false;
	a->dirty = false;
	pgm_account_dirty(pgdat, a->page, -nr);
	pgm_count_vm_events(inst, PGM_NR_WRITTEN, nr);
	return true;
}

/**
 * pgm_alloc_writeback() - write a dirty file allocation back
 * @inst: the instance
 * @a: the allocation
 *
 * Return: true if it was dirty.
 */
bool pgm_alloc_writeback(struct pgm_instance *inst, struct pgm_alloc *a)
{
	struct pgm_pglist_data *pgdat = pgm_alloc_pgdat(inst, a);
	bool was_dirty;

	spin_lock(&pgdat->lru_lock);
	was_dirty = pgm_alloc_writeback_locked(inst, pgdat, a);
	spin_unlock(&pgdat->lru_lock);
	return was_dirty;
}

/*
 * Check one list of one node against its counter; @zone_pages, if not
 * NULL, gets the list's pages by zone, @zone_dirty its dirty pages.
 * Callers hold lru_lock.
 */
static unsigned long pgm_verify_list(struct pgm_pglist_data *pgdat,
				     struct list_head *head, const char *name,
				     unsigned long *entries,
				     unsigned long *pages,
				     unsigned long *zone_pages,
				     unsigned long *zone_dirty,
				     bool (*fits)(const struct pgm_alloc *a),
				     __printf(2, 3) void (*report)(void *ctx,
								   const char *fmt,
								   ...),
				     void *ctx)
{
	bool lru = head != &pgdat->slab_lists[0] &&
		   head != &pgdat->slab_lists[1];
	unsigned long bad = 0;
	struct pgm_alloc *a;

	list_for_each_entry(a, head, lru) {
		(*entries)++;
		/* PG_lru and page->alloc lead a pfn walk to the allocation */
		if (lru != !!(a->page->flags & PGM_PG_LRU) ||
		    (lru && a->page->alloc != a)) {
			report(ctx, "node %d %s: handle %u has a stale PG_lru",
			       pgdat->node_id, name, a->id);
			bad++;
		}
		*pages += 1UL << a->order;
		if (zone_pages)
			zone_pages[pgm_page_zonenum(a->page)] += 1UL << a->order;
		if (a->dirty)
			zone_dirty[pgm_page_zonenum(a->page)] += 1UL << a->order;
		if (pgm_page_to_nid(a->page) != pgdat->node_id) {
			report(ctx, "node %d %s: handle %u is on node %d",
			       pgdat->node_id, name, a->id,
			       pgm_page_to_nid(a->page));
			bad++;
		}
		if (!fits(a)) {
			report(ctx, "node %d %s: handle %u of kind %s",
			       pgdat->node_id, name, a->id,
			       a->kind < PGM_NR_KINDS ?
			       pgm_kind_names[a->kind] : "?");
			bad++;
		}
		if (a->dirty && a->kind != PGM_KIND_FILE) {
			report(ctx, "node %d: handle %u is dirty but not file",
			       pgdat->node_id, a->id);
			bad++;
		}
	}
	return bad;
}

static bool pgm_fits_anon(const struct pgm_alloc *a)
{
	return a->kind == PGM_KIND_ANON;
}

static bool pgm_fits_file(const struct pgm_alloc *a)
{
	return a->kind == PGM_KIND_FILE;
}

static bool pgm_fits_pinned(const struct pgm_alloc *a)
{
	return a->kind == PGM_KIND_PINNED;
}

static bool pgm_fits_slab_reclaimable(const struct pgm_alloc *a)
{
	return a->kind == PGM_KIND_SLAB &&
	       pgm_slab_stat(a) == PGM_NR_SLAB_RECLAIMABLE;
}

static bool pgm_fits_slab_unreclaimable(const struct pgm_alloc *a)
{
	return a->kind == PGM_KIND_SLAB &&
	       pgm_slab_stat(a) == PGM_NR_SLAB_UNRECLAIMABLE;
}

static bool (* const pgm_lru_fits[PGM_NR_LRU_LISTS])(const struct pgm_alloc *) = {
	[PGM_LRU_INACTIVE_ANON]	= pgm_fits_anon,
	[PGM_LRU_ACTIVE_ANON]	= pgm_fits_anon,
	[PGM_LRU_INACTIVE_FILE]	= pgm_fits_file,
	[PGM_LRU_ACTIVE_FILE]	= pgm_fits_file,
	[PGM_LRU_UNEVICTABLE]	= pgm_fits_pinned,
};

static unsigned long pgm_verify_stat(struct pgm_pglist_data *pgdat, int item,
				     unsigned long want,
				     __printf(2, 3) void (*report)(void *ctx,
								   const char *fmt,
								   ...),
				     void *ctx)
{
	unsigned long have = pgm_node_page_state_snapshot(pgdat, item,
							  pgdat->inst->nr_cpus);

	if (have == want)
		return 0;
	report(ctx, "node %d: %s is %lu, its list holds %lu",
	       pgdat->node_id, pgm_node_stat_names[item], have, want);
	return 1;
}

/* What a node's lruvecs hold, summed for its counters */
struct pgm_verify_lru_sums {
	unsigned long entries;
	unsigned long zdirty[PGM_MAX_NR_ZONES];
	unsigned long pages[PGM_NR_LRU_LISTS];
	unsigned long zpages[PGM_NR_LRU_LISTS][PGM_MAX_NR_ZONES];
};

/*
 * One lruvec, the root's (@owner NULL) or an owner's: each list holds
 * only allocations charged to it, and its inactive file count by zone
 * matches; callers hold lru_lock
 */
static unsigned long pgm_verify_lruvec(struct pgm_pglist_data *pgdat,
				       struct pgm_lruvec *lruvec,
				       const struct pgm_owner *owner,
				       struct pgm_verify_lru_sums *sums,
				       __printf(2, 3) void (*report)(void *ctx,
								     const char *fmt,
								     ...),
				       void *ctx)
{
	const char *name = owner ? owner->name : "root";
	unsigned long bad = 0, zpages[PGM_MAX_NR_ZONES];
	struct pgm_alloc *a;
	int lru, z;

	for (lru = 0; lru < PGM_NR_LRU_LISTS; lru++) {
		memset(zpages, 0, sizeof(zpages));
		bad += pgm_verify_list(pgdat, &lruvec->lists[lru],
				       pgm_lru_list_names[lru], &sums->entries,
				       &sums->pages[lru], zpages, sums->zdirty,
				       pgm_lru_fits[lru], report, ctx);
		list_for_each_entry(a, &lruvec->lists[lru], lru) {
			if (a->owner == owner)
				continue;
			report(ctx, "node %d: handle %u is on the lruvec of %s",
			       pgdat->node_id, a->id, name);
			bad++;
		}
		for (z = 0; z < PGM_MAX_NR_ZONES; z++) {
			sums->zpages[lru][z] += zpages[z];
			if (lru != PGM_LRU_INACTIVE_FILE ||
			    lruvec->inactive_file[z] == zpages[z])
				continue;
			report(ctx,
			       "node %d zone %s: %s's inactive_file counts %lu, its list holds %lu",
			       pgdat->node_id, pgm_zone_names[z], name,
			       lruvec->inactive_file[z], zpages[z]);
			bad++;
		}
	}
	return bad;
}

/*
 * A zone's LRU and write-pending counters, deltas included, against what
 * its node's lists hold; callers hold lru_lock
 */
static unsigned long pgm_verify_zone_lru(struct pgm_pglist_data *pgdat,
					 int z,
					 const struct pgm_verify_lru_sums *sums,
					 __printf(2, 3) void (*report)(void *ctx,
								       const char *fmt,
								       ...),
					 void *ctx)
{
	const struct pgm_zone *zone = &pgdat->node_zones[z];
	unsigned long bad = 0;
	int item;

	for (item = 0; item < PGM_NR_ZONE_LRU_ITEMS; item++) {
		unsigned long want = item == PGM_NR_ZONE_WRITE_PENDING ?
				     sums->zdirty[z] : sums->zpages[item][z];
		unsigned long have = pgm_zone_lru_snapshot(zone, item,
							   pgdat->inst->nr_cpus);

		if (have == want)
			continue;
		report(ctx, "node %d zone %s: %s counts %lu, its lists hold %lu",
		       pgdat->node_id, pgm_zone_names[z],
		       item == PGM_NR_ZONE_WRITE_PENDING ? "write_pending" :
		       pgm_lru_list_names[item], have, want);
		bad++;
	}
	return bad;
}

/**
 * pgm_verify_lru() - check every node's LRU lists against their counters
 * @inst: the instance
 * @nr_on_lists: filled with the entries on each node's lists, for the
 *	caller to compare with the allocations it knows
 * @report: called once per inconsistency
 * @ctx: passed to @report
 *
 * Return: the number of inconsistencies found.
 */
unsigned long pgm_verify_lru(struct pgm_instance *inst,
			     unsigned long nr_on_lists[PGM_MAX_NUMNODES],
			     __printf(2, 3) void (*report)(void *ctx,
							   const char *fmt,
							   ...),
			     void *ctx)
{
	unsigned long bad = 0;
	unsigned int n;

	for (n = 0; n < inst->nr_nodes; n++) {
		struct pgm_pglist_data *pgdat = &inst->node_data[n];
		struct pgm_verify_lru_sums sums = { };
		unsigned long rec = 0, unrec = 0, dirty = 0, idx;
		struct pgm_owner *o;
		int lru, z;

		spin_lock(&pgdat->lru_lock);
		bad += pgm_verify_lruvec(pgdat, &pgdat->lruvec, NULL, &sums,
					 report, ctx);
		/* Owner destroy needs iface_lock exclusive, as verify holds */
		xa_for_each(&inst->owners, idx, o)
			bad += pgm_verify_lruvec(pgdat, &o->lruvec[n], o, &sums,
						 report, ctx);
		for (lru = 0; lru < PGM_NR_LRU_LISTS; lru++)
			bad += pgm_verify_stat(pgdat, lru, sums.pages[lru],
					       report, ctx);
		bad += pgm_verify_list(pgdat, &pgdat->slab_lists[0],
				       "slab_lists[0]", &sums.entries, &rec, NULL,
				       sums.zdirty, pgm_fits_slab_reclaimable,
				       report, ctx);
		bad += pgm_verify_list(pgdat, &pgdat->slab_lists[1],
				       "slab_lists[1]", &sums.entries, &unrec,
				       NULL, sums.zdirty,
				       pgm_fits_slab_unreclaimable, report, ctx);
		bad += pgm_verify_stat(pgdat, PGM_NR_SLAB_RECLAIMABLE, rec,
				       report, ctx);
		bad += pgm_verify_stat(pgdat, PGM_NR_SLAB_UNRECLAIMABLE, unrec,
				       report, ctx);
		for (z = 0; z < PGM_MAX_NR_ZONES; z++) {
			dirty += sums.zdirty[z];
			bad += pgm_verify_zone_lru(pgdat, z, &sums, report,
						   ctx);
		}
		bad += pgm_verify_stat(pgdat, PGM_NR_FILE_DIRTY, dirty,
				       report, ctx);
		spin_unlock(&pgdat->lru_lock);
		nr_on_lists[n] = sums.entries;
	}
	return bad;
}
