/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgmirror: what memory holds.
 *
 * Owners (the consumers allocations are charged to, standing in for a
 * cpuset and a memcg), kinds (what an allocation is, which decides its
 * default gfp and what reclaim may do with it) and the allocation record
 * that ties a block to both and sits on an LRU list of its owner's lruvec
 * on its node (the root's when it has no owner).
 */
#ifndef _PGMIRROR_LRU_H
#define _PGMIRROR_LRU_H

#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/types.h>
#include "mmzone.h"
#include "internal.h"

/* Room for a tag or an owner name and its NUL */
#define PGM_TAG_LEN		32
#define PGM_OWNER_NAME_LEN	32
#define PGM_OOM_SCORE_ADJ_MIN	(-1000)
#define PGM_OOM_SCORE_ADJ_MAX	1000

enum pgm_kind {
	PGM_KIND_ANON,
	PGM_KIND_FILE,
	PGM_KIND_SLAB,
	PGM_KIND_KERNEL,
	PGM_KIND_PINNED,
	PGM_NR_KINDS
};

/* PAGE_COUNTER_MAX: no limit */
#define PGM_PAGE_COUNTER_MAX	(LONG_MAX / PAGE_SIZE)

/* memory.events, as enum memcg_memory_event */
enum pgm_memcg_event {
	PGM_MEMCG_LOW,
	PGM_MEMCG_HIGH,
	PGM_MEMCG_MAX,
	PGM_MEMCG_OOM,
	PGM_MEMCG_OOM_KILL,
	PGM_MEMCG_NR_EVENTS
};

/**
 * struct pgm_owner - a named consumer of an instance's memory
 * @name: 1..31 characters, unique in the instance
 * @id: its index in inst->owners
 * @mems_allowed: the nodes ALLOC_CPUSET lets it allocate from
 * @oom_score_adj: -1000..1000, as the OOM killer reads it
 * @nr_pages: pages of its live allocations
 * @nr_waiting: control writes using it with iface_lock let go (a
 *	__GFP_NOFAIL wait, a long alloc count=); they keep it from being
 *	destroyed
 * @oom_victim: set once the OOM killer chose it (tsk_is_oom_victim());
 *	its later allocations get ALLOC_OOM; READ_ONCE/WRITE_ONCE
 * @oom_skip: MMF_OOM_SKIP: a victim still charged after the reap (for
 *	allocations without a handle) is never chosen again; as @oom_victim
 * @min: memory.min in pages, 0 for none: global reclaim passes over the
 *	owner while its usage is no more; written under iface_lock exclusive,
 *	read with READ_ONCE
 * @low: memory.low in pages, as @min, but reclaimed once nothing else is
 * @max: memory.max in pages, PGM_PAGE_COUNTER_MAX for none; written under
 *	iface_lock exclusive, read with READ_ONCE
 * @high: memory.high in pages, as @max
 * @events: memory.events: low, high, max, oom and oom_kill
 * @high_throttle: jiffies memory.high's throttle would have put its
 *	writers to sleep for, which the mirror does not; atomic
 * @lruvec: its lruvec on each node: its LRU lists there and their
 *	inactive file pages by zone; lru_lock of the node
 * @verify_held: the pages its allocations hold, as verify adds them up;
 *	iface_lock exclusive
 *
 * @nr_pages is the memory counter: what is charged, as page_counter's
 * usage. All fields but @nr_pages, @nr_waiting, @oom_victim, @oom_skip,
 * @min, @low, @max, @high, @events, @high_throttle, @lruvec and
 * @verify_held are fixed
 * once it is created.
 */
struct pgm_owner {
	char name[PGM_OWNER_NAME_LEN];
	u32 id;
	struct pgm_nodemask mems_allowed;
	int oom_score_adj;
	atomic_long_t nr_pages;
	atomic_t nr_waiting;
	bool oom_victim;
	bool oom_skip;
	unsigned long min;
	unsigned long low;
	unsigned long max;
	unsigned long high;
	atomic_long_t events[PGM_MEMCG_NR_EVENTS];
	atomic_long_t high_throttle;
	struct pgm_lruvec lruvec[PGM_MAX_NUMNODES];
	long verify_held;
};

/* page_counter_read(): an owner's usage, never below 0 */
static inline unsigned long pgm_owner_usage(struct pgm_owner *owner)
{
	return max(atomic_long_read(&owner->nr_pages), 0L);
}

/*
 * Where an allocation's pages came from. A range is what upstream's
 * alloc_contig_range() hands back: order-0 pages, each with its own
 * reference, freed one by one by free_contig_range().
 */
enum pgm_alloc_src {
	PGM_SRC_BUDDY,		/* one block of @order from the allocator */
	PGM_SRC_CONTIG,		/* a range from alloc_contig_pages() */
	PGM_SRC_CMA,		/* a range from cma_alloc() */
	PGM_NR_ALLOC_SRCS
};

/**
 * struct pgm_alloc - one live allocation and what it holds
 * @page: head page of the block
 * @id: its handle, the index in inst->handles; set by the interface
 * @order: order of the block
 * @kind: enum pgm_kind
 * @dirty: a file allocation not yet written back; lru_lock of its node
 * @src: enum pgm_alloc_src: what made it, and so what frees it
 * @nr_pages: the order-0 pages of a range (PGM_SRC_CONTIG, PGM_SRC_CMA)
 * @owner: the owner charged, or NULL
 * @lru: link on an LRU list of its lruvec, or on its node's slab_lists[];
 *	lru_lock of its node
 * @tag: the tag given to alloc, empty when none
 * @rcu: the record is freed after a grace period: walkers of the handles
 *	xarray read it under rcu_read_lock() and claim it before use
 *
 * @id, @tag, @owner, @kind and @src are fixed once the handle is added.
 */
struct pgm_alloc {
	struct pgm_page *page;
	u32 id;
	u8 order;
	u8 kind;
	bool dirty;
	u8 src;
	u32 nr_pages;
	struct pgm_owner *owner;
	struct list_head lru;
	char tag[PGM_TAG_LEN];
	struct rcu_head rcu;
};

/* The pages an allocation holds */
static inline unsigned long pgm_alloc_nr_pages(const struct pgm_alloc *a)
{
	return a->src == PGM_SRC_BUDDY ? 1UL << a->order : a->nr_pages;
}

/*
 * What isolate_migratepages_block() may take for a request of @gfp: anon
 * memory, and file memory only when @gfp may enter the filesystem (its
 * folios have a mapping, whose migration may take fs locks). Pinned memory
 * fails the refcount check first; kernel and slab memory is not movable.
 */
static inline bool pgm_alloc_isolatable(const struct pgm_alloc *a, gfp_t gfp)
{
	return a->kind == PGM_KIND_ANON ||
	       (a->kind == PGM_KIND_FILE && (gfp & __GFP_FS));
}

extern const char * const pgm_kind_names[PGM_NR_KINDS];
extern const char * const pgm_alloc_src_names[PGM_NR_ALLOC_SRCS];
extern const char * const pgm_lru_list_names[PGM_NR_LRU_LISTS];
extern const char * const pgm_node_stat_names[PGM_NR_VM_NODE_STAT_ITEMS];

gfp_t pgm_kind_gfp(enum pgm_kind kind);
int pgm_kind_lru(enum pgm_kind kind);

/* Owners */
struct pgm_owner *pgm_owner_create(struct pgm_instance *inst,
				   const char *name,
				   const struct pgm_nodemask *nodes,
				   int oom_score_adj);
int pgm_owner_destroy(struct pgm_instance *inst, struct pgm_owner *owner);
struct pgm_owner *pgm_owner_find(struct pgm_instance *inst, const char *name);
extern const char * const pgm_memcg_event_names[PGM_MEMCG_NR_EVENTS];

/* The owner's charge, as the memory controller's (memcontrol.c) */
int pgm_owner_try_charge(struct pgm_instance *inst, struct pgm_owner *owner,
			 gfp_t gfp, unsigned long nr_pages);
int pgm_owner_set_limit(struct pgm_instance *inst, struct pgm_owner *owner,
			bool high, unsigned long pages);
unsigned long pgm_try_to_free_owner_pages(struct pgm_instance *inst,
					  struct pgm_owner *owner,
					  unsigned long nr_pages, gfp_t gfp);
void pgm_owners_release_all(struct pgm_instance *inst);

/* Allocations */
struct pgm_alloc *pgm_alloc_create(struct pgm_instance *inst, gfp_t gfp,
				   unsigned int order, int preferred_nid,
				   struct pgm_owner *owner,
				   enum pgm_kind kind);
struct pgm_alloc *pgm_alloc_adopt(struct pgm_instance *inst,
				  struct pgm_page *page, unsigned int order,
				  struct pgm_owner *owner, enum pgm_kind kind);
struct pgm_alloc *pgm_alloc_adopt_range(struct pgm_instance *inst,
					struct pgm_page *page,
					unsigned long nr_pages,
					enum pgm_alloc_src src);
bool pgm_alloc_migrate(struct pgm_instance *inst, struct pgm_alloc *a,
		       struct pgm_page *src, struct pgm_page *dst,
		       unsigned int order);
void pgm_copy_block(struct pgm_instance *inst, struct pgm_page *dst,
		    struct pgm_page *src, unsigned int order);
void pgm_alloc_put(struct pgm_instance *inst, struct pgm_alloc *a);
void pgm_alloc_release(struct pgm_instance *inst, struct pgm_alloc *a);
bool pgm_alloc_writeback_locked(struct pgm_instance *inst,
				struct pgm_pglist_data *pgdat,
				struct pgm_alloc *a);
int pgm_alloc_set_dirty(struct pgm_instance *inst, struct pgm_alloc *a);
bool pgm_alloc_writeback(struct pgm_instance *inst, struct pgm_alloc *a);
/* Handles: the allocations the control file made */
int pgm_handle_add(struct pgm_instance *inst, struct pgm_alloc *a, u32 *id);
struct pgm_alloc *pgm_handle_take(struct pgm_instance *inst, u32 id);
void pgm_handle_walk_begin(struct pgm_instance *inst);
void pgm_handle_walk_end(struct pgm_instance *inst);
bool pgm_handle_isolate(struct pgm_instance *inst,
			struct pgm_pglist_data *pgdat, struct pgm_alloc *a,
			bool writeback, unsigned long *nr_zone_taken);
unsigned long pgm_handles_free(struct pgm_instance *inst, const char *tag,
			       bool *stopped);
/* A long control command lets others in this often, in items */
#define PGM_IFACE_BATCH		256
/* FOLIO_BATCH_SIZE: blocks release_pages() frees under one pcp lock */
#define PGM_FOLIO_BATCH_SIZE	31

/**
 * struct pgm_iface_writer - a control write in progress, on its stack
 * @node: on its task's bucket of inst->iface_writers; the bucket's lock
 * @task: the writing task
 * @shared: it takes iface_lock shared (it only adds and claims handles)
 * @locked: it holds iface_lock now; only @task changes it
 * @may_wait: the slow path may let iface_lock go and sleep until memory
 *	comes back (a control write's alloc; a replay never waits)
 * @wait_interrupted: such a wait ended on a signal; only @task touches it
 * @status: its open file's own status line (PGM_STATUS_LEN), or NULL;
 *	status_lock
 * @nr_pages_over_high: pages it charged that left an owner over
 *	memory.high, to reclaim on its way back to user space
 *	(current->memcg_nr_pages_over_high); only @task touches it
 * @over_high: the owner they were charged to, pinned by nr_waiting until
 *	the write's end; only @task touches it
 */
struct pgm_iface_writer {
	struct hlist_node node;
	struct task_struct *task;
	bool shared;
	bool locked;
	bool may_wait;
	bool wait_interrupted;
	char *status;
	unsigned long nr_pages_over_high;
	struct pgm_owner *over_high;
};

void pgm_iface_lock(struct pgm_instance *inst);
void pgm_iface_unlock(struct pgm_instance *inst);
void pgm_iface_writer_add(struct pgm_instance *inst,
			  struct pgm_iface_writer *w);
void pgm_iface_writer_del(struct pgm_instance *inst,
			  struct pgm_iface_writer *w);
struct pgm_iface_writer *pgm_iface_current(struct pgm_instance *inst);
void pgm_owner_handle_over_high(struct pgm_instance *inst,
				struct pgm_iface_writer *w);
bool pgm_iface_holder(struct pgm_instance *inst);
int pgm_iface_write_lock(struct pgm_instance *inst,
			 struct pgm_iface_writer *w);
void pgm_iface_write_unlock(struct pgm_instance *inst,
			    struct pgm_iface_writer *w);
void pgm_iface_drop(struct pgm_instance *inst, struct pgm_owner *owner);
void pgm_iface_retake(struct pgm_instance *inst, struct pgm_owner *owner);
bool pgm_iface_relax(struct pgm_instance *inst, struct pgm_owner *owner);
unsigned long pgm_owner_handles_free(struct pgm_instance *inst,
				     struct pgm_owner *owner);

void pgm_update_lru_sizes(struct pgm_pglist_data *pgdat, int lru,
			  const unsigned long *nr_zone_taken);
void pgm_lru_putback_size(struct pgm_pglist_data *pgdat,
			  const struct pgm_alloc *a);
bool pgm_fold_zone_lru_diffs(struct pgm_zone *zone, unsigned int cpu,
			     int *global);
void pgm_fold_node_stat_diffs(struct pgm_pglist_data *pgdat, unsigned int cpu,
			      int *global);
unsigned long pgm_verify_lru(struct pgm_instance *inst,
			     unsigned long nr_on_lists[PGM_MAX_NUMNODES],
			     __printf(2, 3) void (*report)(void *ctx,
							   const char *fmt,
							   ...),
			     void *ctx);

/* The OOM killer (oom_kill.c) */
enum pgm_oom_constraint {
	PGM_CONSTRAINT_NONE,
	PGM_CONSTRAINT_CPUSET,
	PGM_CONSTRAINT_MEMORY_POLICY,
	PGM_CONSTRAINT_MEMCG,
};

/**
 * struct pgm_oom_control - the mirror of struct oom_control
 * @inst: the instance
 * @ac: the failed request's context, or NULL
 * @memcg: the owner over its memory.max, for its own OOM, or NULL
 * @gfp: its gfp mask
 * @totalpages: what badness is normalised by; set by pgm_out_of_memory()
 * @constraint: set by pgm_out_of_memory()
 */
struct pgm_oom_control {
	struct pgm_instance *inst;
	const struct pgm_alloc_context *ac;
	struct pgm_owner *memcg;
	gfp_t gfp;
	unsigned long totalpages;
	enum pgm_oom_constraint constraint;
};

long pgm_oom_badness(struct pgm_owner *owner, unsigned long totalpages);
bool pgm_out_of_memory(struct pgm_oom_control *oc);
int pgm_set_oom_kill_allocating_task(struct pgm_instance *inst, int val);

#endif /* _PGMIRROR_LRU_H */
