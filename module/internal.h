/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgmirror: the mirror of mm/internal.h.
 *
 * Allocation flags, the allocation context and the allocator's internal
 * entry points. The KUnit suites call these directly.
 */
#ifndef _PGMIRROR_INTERNAL_H
#define _PGMIRROR_INTERNAL_H

#include <linux/gfp.h>
#include <linux/jump_label.h>
#include "mmzone.h"

/* The ALLOC_ flags, with upstream's values */
#define PGM_ALLOC_WMARK_MIN		PGM_WMARK_MIN
#define PGM_ALLOC_WMARK_LOW		PGM_WMARK_LOW
#define PGM_ALLOC_WMARK_HIGH		PGM_WMARK_HIGH
#define PGM_ALLOC_NO_WATERMARKS		0x04
#define PGM_ALLOC_WMARK_MASK		(PGM_ALLOC_NO_WATERMARKS - 1)
#define PGM_ALLOC_OOM			0x08
#define PGM_ALLOC_NON_BLOCK		0x10
#define PGM_ALLOC_MIN_RESERVE		0x20
#define PGM_ALLOC_CPUSET		0x40
#define PGM_ALLOC_CMA			0x80
/* Upstream has it only with CONFIG_ZONE_DMA32; the mirror always does. */
#define PGM_ALLOC_NOFRAGMENT		0x100
#define PGM_ALLOC_HIGHATOMIC		0x200
#define PGM_ALLOC_KSWAPD		0x800
/*
 * pgmirror's own: explain or a pgmirror tracepoint is on. Read from one
 * static key as a request starts, so that the hook sites it passes test a
 * register, not a key each: UML has no jump labels, and there every key
 * is a load.
 */
#define PGM_ALLOC_HOOKS			0x1000

#define PGM_ALLOC_RESERVES \
	(PGM_ALLOC_NON_BLOCK | PGM_ALLOC_MIN_RESERVE | \
	 PGM_ALLOC_HIGHATOMIC | PGM_ALLOC_OOM)

DECLARE_STATIC_KEY_FALSE(pgm_hooks_key);
int pgm_trace_hooks_reg(void);
void pgm_trace_hooks_unreg(void);

/* PGM_ALLOC_HOOKS while any hook may fire, else 0 */
static __always_inline unsigned int pgm_hooks_flag(void)
{
#ifdef NOTRACE
	return 0;
#else
	return static_branch_unlikely(&pgm_hooks_key) ? PGM_ALLOC_HOOKS : 0;
#endif
}

/* A hook site of a request whose alloc_flags are @af */
#define pgm_hooks(af)	unlikely((af) & PGM_ALLOC_HOOKS)

/**
 * struct pgm_nodemask - a set of the instance's nodes
 * @bits: one bit per node
 */
struct pgm_nodemask {
	DECLARE_BITMAP(bits, PGM_MAX_NUMNODES);
};

/**
 * struct pgm_alloc_context - the mirror of struct alloc_context
 * @inst: the instance allocated from
 * @zonelist: the zonelist of the preferred node
 * @nodemask: allowed nodes, or NULL for all
 * @cpuset_mems: the owner's allowed nodes ALLOC_CPUSET checks, or NULL
 * @owner: the owner allocated for, whose OOM victim mark earns ALLOC_OOM,
 *	or NULL
 * @preferred_zoneref: first usable zone of @zonelist
 * @migratetype: from the gfp mask
 * @highest_zoneidx: from the gfp mask
 * @spread_dirty_pages: __GFP_WRITE in the fast path: skip nodes over their
 *	dirty limit (pgm_node_dirty_ok())
 */
struct pgm_alloc_context {
	struct pgm_instance *inst;
	struct pgm_zonelist *zonelist;
	const struct pgm_nodemask *nodemask;
	const struct pgm_nodemask *cpuset_mems;
	struct pgm_owner *owner;
	struct pgm_zoneref *preferred_zoneref;
	int migratetype;
	enum pgm_zone_type highest_zoneidx;
	bool spread_dirty_pages;
};

/* gfp.h mirror: x86_64 GFP_ZONE_TABLE semantics; -1 for a bad combination */
/* PageBuddy() and buddy_order(): a free block's head and its order */
static inline bool pgm_page_buddy(const struct pgm_page *page)
{
	return page->flags & PGM_PG_BUDDY;
}

static inline unsigned int pgm_buddy_order(const struct pgm_page *page)
{
	return page->private;
}

int pgm_gfp_zone(gfp_t gfp);
int pgm_gfp_migratetype(gfp_t gfp);

/*
 * gfp_migratetype() as the allocator reads it: with mobility grouping off
 * (page_group_by_mobility_disabled, here the instance's knob) every
 * request is unmovable.
 */
static inline int pgm_inst_gfp_migratetype(const struct pgm_instance *inst,
					   gfp_t gfp)
{
	if (unlikely(!READ_ONCE(inst->tun.group_by_mobility)))
		return PGM_MIGRATE_UNMOVABLE;
	return pgm_gfp_migratetype(gfp);
}

/* Zonelist walking */
struct pgm_zoneref *__pgm_next_zones_zonelist(struct pgm_zoneref *z,
					      enum pgm_zone_type highest_zoneidx,
					      const struct pgm_nodemask *nodes);

/**
 * pgm_next_zones_zonelist - the next usable zoneref at or after @z
 * @z: where to start
 * @highest_zoneidx: the highest zone index usable
 * @nodes: allowed nodes, or NULL
 *
 * As upstream, the usual case (no nodemask, @z usable or the end of the
 * list) needs no call: every request's first zone is found here.
 *
 * Return: the zoneref; its zone is NULL at the end of the list.
 */
static __always_inline struct pgm_zoneref *
pgm_next_zones_zonelist(struct pgm_zoneref *z,
			enum pgm_zone_type highest_zoneidx,
			const struct pgm_nodemask *nodes)
{
	if (likely(!nodes && z->zone_idx <= highest_zoneidx))
		return z;
	return __pgm_next_zones_zonelist(z, highest_zoneidx, nodes);
}

bool pgm_owner_oom_victim(const struct pgm_owner *owner);

/*
 * __cpuset_zone_allowed(): the owner's nodes play current->mems_allowed,
 * and an owner the OOM killer chose may take memory anywhere, as a task
 * tsk_is_oom_victim() finds may. A request without __GFP_HARDWALL may also
 * use the nodes of the nearest hardwall ancestor: owners have no parent
 * but the root, and cgroup v2 sets no mem_hardwall, so that is every node.
 * Hardwall are the fast path (prepare_alloc_pages() adds the flag), the
 * OOM killer's last attempt, direct reclaim's walk and GFP_USER masks.
 */
static inline bool pgm_cpuset_zone_allowed(const struct pgm_alloc_context *ac,
					   const struct pgm_zone *zone,
					   gfp_t gfp)
{
	if (!ac->cpuset_mems ||
	    test_bit(pgm_zone_to_nid(zone), ac->cpuset_mems->bits))
		return true;
	if (ac->owner && pgm_owner_oom_victim(ac->owner))
		return true;
	return !(gfp & __GFP_HARDWALL);
}

/*
 * The next zone at or after @z that the request may use: within its
 * highest zone and nodemask and, under ALLOC_CPUSET, on the owner's nodes.
 * As for_each_zone_zonelist_nodemask() with the __cpuset_zone_allowed()
 * check upstream's walks repeat.
 */
static inline struct pgm_zoneref *
pgm_next_allowed_zone(const struct pgm_alloc_context *ac,
		      struct pgm_zoneref *z, unsigned int alloc_flags, gfp_t gfp)
{
	for (z = pgm_next_zones_zonelist(z, ac->highest_zoneidx, ac->nodemask);
	     z->zone;
	     z = pgm_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					 ac->nodemask))
		if (!(alloc_flags & PGM_ALLOC_CPUSET) ||
		    pgm_cpuset_zone_allowed(ac, z->zone, gfp))
			break;
	return z;
}

/* pageblock flags */
int pgm_get_pfnblock_migratetype(struct pgm_instance *inst, unsigned long pfn);
bool pgm_get_pageblock_skip(struct pgm_instance *inst, unsigned long pfn);
void pgm_set_pageblock_skip(struct pgm_instance *inst, unsigned long pfn,
			    bool skip);
void pgm_set_pageblock_migratetype(struct pgm_instance *inst,
				   unsigned long pfn, int migratetype);

/* The buddy core; callers hold zone->lock */
void pgm___free_one_page(struct pgm_zone *zone, struct pgm_page *page,
			 unsigned long pfn, unsigned int order, int mt,
			      bool to_tail);
void pgm___free_pages_core(struct pgm_zone *zone, unsigned long pfn,
			   unsigned int order);
void pgm_isolate_free_block_locked(struct pgm_zone *zone,
				   struct pgm_page *page, unsigned int order);
struct pgm_page *pgm___rmqueue_smallest(struct pgm_zone *zone,
					unsigned int order, int migratetype);
struct pgm_page *pgm___rmqueue(struct pgm_zone *zone, unsigned int order,
			       int migratetype, unsigned int alloc_flags);
int pgm_find_suitable_fallback(struct pgm_zone *zone,
			       struct pgm_free_area *area, unsigned int order,
			       int migratetype, bool only_stealable,
			       bool *can_steal);
int pgm_move_freepages_block(struct pgm_zone *zone, struct pgm_page *page,
			     int old_mt, int new_mt);
bool pgm_boost_watermark(struct pgm_zone *zone);
bool pgm_move_freepages_block_isolate(struct pgm_zone *zone,
				      struct pgm_page *page, int migratetype);
extern const int pgm_fallbacks[PGM_MIGRATE_PCPTYPES][PGM_MIGRATE_PCPTYPES - 1];

/* Watermarks */
bool pgm___zone_watermark_ok(struct pgm_zone *z, unsigned int order,
			     unsigned long mark, int highest_zoneidx,
			   unsigned int alloc_flags, long free_pages);
bool pgm_zone_watermark_fast(struct pgm_zone *z, unsigned int order,
			     unsigned long mark, int highest_zoneidx,
			     unsigned int alloc_flags, gfp_t gfp_mask);
void pgm_setup_per_zone_wmarks(struct pgm_instance *inst);
void pgm_zone_set_wmarks(struct pgm_zone *zone, unsigned long pages_min,
			 unsigned long lowmem_pages);
void pgm_setup_min_ratios(struct pgm_instance *inst);
void pgm_setup_per_zone_lowmem_reserve(struct pgm_instance *inst);
void pgm_calculate_min_free_kbytes(struct pgm_instance *inst);
unsigned long pgm_nr_free_buffer_pages(struct pgm_instance *inst);
unsigned long pgm_totalram_pages(struct pgm_instance *inst);
void pgm_hugepage_init(struct pgm_instance *inst);
void pgm_setup_pcp_cacheinfo(struct pgm_instance *inst);

/* Highatomic reserve */
void pgm_reserve_highatomic_pageblock(struct pgm_page *page, int order,
				      struct pgm_zone *zone);
bool pgm_unreserve_highatomic_pageblock(const struct pgm_alloc_context *ac,
					bool force);

/* Allocation context and the fast path */
unsigned int pgm_gfp_to_alloc_flags(const struct pgm_instance *inst, gfp_t gfp,
				    unsigned int order);
unsigned int pgm_alloc_flags_nofragment(struct pgm_instance *inst,
					struct pgm_zone *zone, gfp_t gfp);
bool pgm_prepare_alloc_pages(struct pgm_instance *inst, gfp_t gfp,
			     unsigned int order, int preferred_nid,
			     const struct pgm_nodemask *nodemask,
			     struct pgm_alloc_context *ac,
			     unsigned int *alloc_flags);
struct pgm_page *pgm_get_page_from_freelist(gfp_t gfp, unsigned int order,
					    int alloc_flags,
					    const struct pgm_alloc_context *ac);

/* pcp */
int pgm_zone_batchsize(struct pgm_zone *zone);
int pgm_zone_highsize(struct pgm_zone *zone, int batch, int cpu_online,
		      int high_fraction);
void pgm_zone_pcp_update(struct pgm_zone *zone);
unsigned int pgm_order_to_pindex(int migratetype, int order);
int pgm_pindex_to_order(unsigned int pindex);
bool pgm_pcp_allowed_order(const struct pgm_instance *inst,
			   unsigned int order);
void pgm_free_pcppages_bulk(struct pgm_zone *zone, int count,
			    struct pgm_per_cpu_pages *pcp, int pindex);
void pgm_drain_pages_zone(struct pgm_zone *zone, unsigned int cpu);
bool pgm_decay_pcp_high(struct pgm_zone *zone, unsigned int cpu);
int pgm_refresh_cpu_vm_stats(struct pgm_instance *inst);
void pgm_post_alloc_check(struct pgm_instance *inst, struct pgm_page *page,
			  unsigned int order);
void pgm_vmstat_tick(struct pgm_instance *inst);
/* Per-CPU deltas of the zone counters (vmstat.c) */
void pgm_refresh_zone_stat_thresholds(struct pgm_instance *inst);
void pgm_boot_zone_stat_thresholds(struct pgm_instance *inst);
void pgm_set_pgdat_percpu_threshold(struct pgm_pglist_data *pgdat,
				    bool pressure);
bool pgm_fold_zone_stat_diffs(struct pgm_zone *zone, unsigned int cpu,
			      int *global);
bool pgm_zone_watermark_ok(struct pgm_zone *zone, unsigned int order,
			   unsigned long mark, int highest_zoneidx);
bool pgm_zone_watermark_ok_safe(struct pgm_zone *zone, unsigned int order,
				unsigned long mark, int highest_zoneidx);
unsigned int pgm_cpu_to_node(const struct pgm_instance *inst,
			     unsigned int cpu);
void pgm_bind_to_node(const struct pgm_instance *inst, int nid,
		      struct task_struct *p);
/**
 * pgm_this_cpu - the pcp CPU of the calling context
 * @inst: the instance
 *
 * The host CPU through a table made at create (no division on the hot
 * path), unless a test pinned every context to cpu_override.
 *
 * Return: 0..nr_cpus-1.
 */
static inline unsigned int pgm_this_cpu(const struct pgm_instance *inst)
{
	int cpu = READ_ONCE(inst->cpu_override);

	if (cpu >= 0)
		return cpu;
	return inst->pcp_cpu_of[raw_smp_processor_id()];
}

/* fail_page_alloc.c: fault injection, as mm/fail_page_alloc.c */
int pgm_fail_page_alloc_init(struct pgm_instance *inst);
void pgm_fail_page_alloc_exit(struct pgm_instance *inst);
bool __pgm_should_fail_alloc_page(struct pgm_instance *inst, gfp_t gfp,
				  unsigned int order);

/**
 * pgm_should_fail_alloc_page() - should_fail_alloc_page(): inject a failure?
 * @inst: the instance
 * @gfp: the request's gfp mask
 * @order: the request's order
 *
 * An instance without fault injection pays no call, as a kernel built
 * without CONFIG_FAIL_PAGE_ALLOC, whose should_fail_alloc_page() is an
 * inline false.
 *
 * Return: true to make the allocation fail before it looks at any zone.
 */
static inline bool pgm_should_fail_alloc_page(struct pgm_instance *inst,
					      gfp_t gfp, unsigned int order)
{
	if (likely(!inst->fail_page_alloc))
		return false;
	return __pgm_should_fail_alloc_page(inst, gfp, order);
}

/* vmscan.c: direct reclaim */
#define PGM_MAX_RECLAIM_RETRIES	16
unsigned long pgm_try_to_free_pages(const struct pgm_alloc_context *ac,
				    unsigned int order, gfp_t gfp);
unsigned long pgm_zone_reclaimable_pages(struct pgm_zone *zone);

/* node_reclaim(), mm/internal.h's return values */
#define PGM_NODE_RECLAIM_NOSCAN		-2
#define PGM_NODE_RECLAIM_FULL		-1
#define PGM_NODE_RECLAIM_SOME		0
#define PGM_NODE_RECLAIM_SUCCESS	1
#define PGM_NODE_RECLAIM_PRIORITY	4
int pgm_node_reclaim(struct pgm_pglist_data *pgdat, gfp_t gfp,
		     unsigned int order);
unsigned int pgm_node_nr_cpus(const struct pgm_instance *inst, int nid);

/* page-writeback.c */
unsigned long pgm_node_dirty_limit(struct pgm_pglist_data *pgdat);
bool pgm_node_dirty_ok(struct pgm_pglist_data *pgdat);
bool pgm_wakeup_kswapd(struct pgm_zone *zone, gfp_t gfp, int order,
		       enum pgm_zone_type highest_zoneidx);
unsigned long pgm_balance_pgdat(struct pgm_pglist_data *pgdat, int order,
				enum pgm_zone_type highest_zoneidx);

/* Zonelists */
void pgm_build_all_zonelists(struct pgm_instance *inst);

#endif /* _PGMIRROR_INTERNAL_H */
