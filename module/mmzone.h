/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgmirror: the mirror of include/linux/mmzone.h.
 *
 * Nodes, zones, free areas, per-cpu page lists and the instance that owns
 * them. Nothing here is global: every structure hangs off a pgm_instance.
 */
#ifndef _PGMIRROR_MMZONE_H
#define _PGMIRROR_MMZONE_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/xarray.h>
#include <linux/bits.h>
#include <linux/ratelimit.h>
#include <linux/percpu.h>
#include <linux/cpumask.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

/* The mirror's own constants, fixed whatever the host's configuration is. */
#define PGM_MAX_NUMNODES		4
#define PGM_MAX_CPUS			64
#define PGM_MAX_PAGE_ORDER		10
/*
 * pfns fit in 32 bits, with U32_MAX left for the end of a page list: 16 TiB
 * of 4 KiB pages less one largest block
 */
#define PGM_MAX_NR_PAGES		(BIT(32) - BIT(PGM_MAX_PAGE_ORDER))
#define PGM_NR_PAGE_ORDERS		(PGM_MAX_PAGE_ORDER + 1)
#define PGM_MAX_ORDER_NR_PAGES		BIT(PGM_MAX_PAGE_ORDER)
#define PGM_PAGEBLOCK_ORDER		9
#define PGM_PAGEBLOCK_NR_PAGES		BIT(PGM_PAGEBLOCK_ORDER)
#define PGM_PAGE_ALLOC_COSTLY_ORDER	3
#define PGM_PCP_BATCH_SCALE_MAX		5
#define PGM_SWAP_CLUSTER_MAX		32UL
#define PGM_MIN_PERCPU_PAGELIST_HIGH_FRACTION	8
/* MAX_NUMNODES of an x86_64 distribution kernel (NODES_SHIFT 10). */
#define PGM_NODE_LOAD_SCALE		1024
#define PGM_PENALTY_FOR_NODE_WITH_CPUS	1
/* min_free_kbytes: 0 derives it, else the range the derivation clamps to */
#define PGM_MIN_FREE_KBYTES_LO		128
#define PGM_MIN_FREE_KBYTES_HI		262144
/* vm.watermark_scale_factor's default, what the boot computes with */
#define PGM_WATERMARK_SCALE_FACTOR	10

static inline bool pgm_min_free_kbytes_valid(int kbytes)
{
	return !kbytes || (kbytes >= PGM_MIN_FREE_KBYTES_LO &&
			   kbytes <= PGM_MIN_FREE_KBYTES_HI);
}

/* /sys/kernel/mm/transparent_hugepage/enabled, for khugepaged's watermarks */
enum pgm_thp_mode {
	PGM_THP_NONE = -1,	/* a kernel built without THP */
	PGM_THP_NEVER,
	PGM_THP_MADVISE,
	PGM_THP_ALWAYS,
	PGM_NR_THP_MODES
};

/* hugepage_init() leaves THP off below 512 MiB of memory */
#define PGM_THP_MIN_PAGES	(512UL << (20 - PAGE_SHIFT))

enum pgm_migratetype {
	PGM_MIGRATE_UNMOVABLE,
	PGM_MIGRATE_MOVABLE,
	PGM_MIGRATE_RECLAIMABLE,
	PGM_MIGRATE_PCPTYPES,
	PGM_MIGRATE_HIGHATOMIC = PGM_MIGRATE_PCPTYPES,
	PGM_MIGRATE_CMA,
	PGM_MIGRATE_ISOLATE,
	PGM_MIGRATE_TYPES
};

static inline bool pgm_is_migrate_highatomic(int mt)
{
	return mt == PGM_MIGRATE_HIGHATOMIC;
}

static inline bool pgm_is_migrate_cma(int mt)
{
	return mt == PGM_MIGRATE_CMA;
}

static inline bool pgm_is_migrate_isolate(int mt)
{
	return mt == PGM_MIGRATE_ISOLATE;
}

/* Only the pcp types may merge across pageblocks of another type. */
static inline bool pgm_migratetype_is_mergeable(int mt)
{
	return mt < PGM_MIGRATE_PCPTYPES;
}

enum pgm_zone_type {
	PGM_ZONE_DMA,
	PGM_ZONE_DMA32,
	PGM_ZONE_NORMAL,
	PGM_ZONE_MOVABLE,
	PGM_MAX_NR_ZONES
};

enum pgm_zone_watermarks {
	PGM_WMARK_MIN,
	PGM_WMARK_LOW,
	PGM_WMARK_HIGH,
	PGM_WMARK_PROMO,
	PGM_NR_WMARK
};

enum pgm_zone_stat_item {
	PGM_NR_FREE_PAGES,
	PGM_NR_FREE_CMA_PAGES,
	PGM_NR_VM_ZONE_STAT_ITEMS
};

/* NUMA events are per zone upstream too. */
enum pgm_numa_stat_item {
	PGM_NUMA_HIT,
	PGM_NUMA_MISS,
	PGM_NUMA_FOREIGN,
	PGM_NUMA_INTERLEAVE_HIT,
	PGM_NUMA_LOCAL,
	PGM_NUMA_OTHER,
	PGM_NR_VM_NUMA_EVENT_ITEMS
};

/*
 * Instance-wide events; stats prints them under their /proc/vmstat names,
 * and pgmirror's own (pcp_*, extfrag_*, bad_free, ...) under names of its
 * own.
 */
enum pgm_vm_event_item {
	PGM_PGALLOC_DMA,
	PGM_PGALLOC_DMA32,
	PGM_PGALLOC_NORMAL,
	PGM_PGALLOC_MOVABLE,
	PGM_PGFREE,
	PGM_PCP_REFILL,
	PGM_PCP_REFILL_PAGES,
	PGM_PCP_DRAIN,
	PGM_PCP_DRAIN_PAGES,
	PGM_PCP_TRYLOCK_FAIL,
	PGM_EXTFRAG_FALLBACK,
	PGM_EXTFRAG_CLAIM,
	PGM_EXTFRAG_STEAL,
	PGM_CMA_FALLBACK,
	PGM_HIGHATOMIC_RESERVE,
	PGM_HIGHATOMIC_UNRESERVE,
	PGM_WATERMARK_BOOST,
	PGM_WMARK_CHECK_FAIL,
	PGM_NOFRAGMENT_RETRY,
	PGM_ALLOC_SLOWPATH,
	PGM_ALLOC_FAIL,
	PGM_ALLOCSTALL_DMA,
	PGM_ALLOCSTALL_DMA32,
	PGM_ALLOCSTALL_NORMAL,
	PGM_ALLOCSTALL_MOVABLE,
	PGM_PGSKIP_DMA,
	PGM_PGSKIP_DMA32,
	PGM_PGSKIP_NORMAL,
	PGM_PGSKIP_MOVABLE,
	PGM_PGSCAN_DIRECT,
	PGM_PGSTEAL_DIRECT,
	PGM_PGSCAN_DIRECT_THROTTLE,
	PGM_PGSCAN_KSWAPD,
	PGM_PGSTEAL_KSWAPD,
	PGM_PAGEOUTRUN,
	PGM_KSWAPD_LOW_WMARK_HIT_QUICKLY,
	PGM_KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	PGM_PGSCAN_FILE,
	PGM_PGSTEAL_FILE,
	PGM_SLABS_SCANNED,
	PGM_NR_WRITTEN,
	PGM_OOM_KILL,
	PGM_PGMIGRATE_SUCCESS,
	PGM_PGMIGRATE_FAIL,
	PGM_COMPACTMIGRATE_SCANNED,
	PGM_COMPACTFREE_SCANNED,
	PGM_COMPACTISOLATED,
	PGM_COMPACTSTALL,
	PGM_COMPACTFAIL,
	PGM_COMPACTSUCCESS,
	PGM_KCOMPACTD_WAKE,
	PGM_KCOMPACTD_MIGRATE_SCANNED,
	PGM_KCOMPACTD_FREE_SCANNED,
	PGM_PGSCAN_ZONE_RECLAIM_SUCCESS,
	PGM_PGSCAN_ZONE_RECLAIM_FAILED,
	PGM_CMA_ALLOC_SUCCESS,
	PGM_CMA_ALLOC_FAIL,
	PGM_BAD_FREE,
	PGM_POISON_CORRUPT,
	PGM_NR_VM_EVENT_ITEMS
};

/* struct pgm_page flags */
#define PGM_PG_BUDDY	BIT(0)	/* on a buddy free list; order in private */
#define PGM_PG_PCP	BIT(1)	/* on a pcp list */
#define PGM_PG_HEAD	BIT(2)	/* first page of an allocation; order in private */
#define PGM_PG_LRU	BIT(3)	/* head of an allocation on an LRU; see @alloc */
#define PGM_PG_COMPOUND	BIT(4)	/* head of a compound block (__GFP_COMP, slab) */

/*
 * Page lists: the free lists, the pcp lists and compaction's private lists
 * link pages by their pfn in 32 bits (struct pgm_link, in the page), not
 * with a struct list_head, so that struct pgm_page fits in 16 bytes. A
 * list's head keeps its first and last pfn; an unlinking names the list,
 * which every caller knows, as upstream's callers know the migratetype.
 */
#define PGM_LIST_NIL	U32_MAX

/**
 * struct pgm_link - a page's place on a page list
 * @next: the next page's pfn, or PGM_LIST_NIL at the tail
 * @prev: the previous page's pfn, or PGM_LIST_NIL at the head
 */
struct pgm_link {
	u32 next;
	u32 prev;
};

/**
 * struct pgm_list - a page list
 * @first: the first page's pfn, or PGM_LIST_NIL when empty
 * @last: the last page's pfn, or PGM_LIST_NIL when empty
 */
struct pgm_list {
	u32 first;
	u32 last;
};

struct pgm_alloc;

/**
 * struct pgm_page - the mirror's page descriptor, 16 bytes
 * @buddy_list: link on a free list (PGM_PG_BUDDY), a pcp list (PGM_PG_PCP)
 *	or one of compaction's private lists; protected by the zone lock,
 *	the pcp lock, or owned by the compaction run
 * @alloc: with PGM_PG_LRU, the allocation whose head this is, as
 *	folio->lru leads upstream's scanners from a pfn to the folio; set
 *	and read under its node's lru_lock
 * @private: the buddy order of a free page, or the order of an allocation
 * @flags: PGM_PG_* bits
 * @zone_id: node * PGM_MAX_NR_ZONES + zone index, fixed at init
 * @alloc_mt: the migratetype an allocated head page was requested with
 */
struct pgm_page {
	union {
		struct pgm_link buddy_list;
		struct pgm_alloc *alloc;
	};
	u32 private;
	u16 flags;
	u8 zone_id;
	u8 alloc_mt;
};

/* What scales with the instance's size: see Documentation/design.rst */
static_assert(sizeof(struct pgm_page) == 16);

/* ==================== page lists ==================== */

static inline void pgm_list_init(struct pgm_list *list)
{
	list->first = PGM_LIST_NIL;
	list->last = PGM_LIST_NIL;
}

static inline bool pgm_list_empty(const struct pgm_list *list)
{
	return list->first == PGM_LIST_NIL;
}

/* The page at @pfn of @memmap, or NULL past either end */
static inline struct pgm_page *pgm_list_page(struct pgm_page *memmap, u32 pfn)
{
	return pfn == PGM_LIST_NIL ? NULL : memmap + pfn;
}

#define pgm_list_first(memmap, list)	pgm_list_page(memmap, (list)->first)
#define pgm_list_last(memmap, list)	pgm_list_page(memmap, (list)->last)
#define pgm_list_next(memmap, page)	\
	pgm_list_page(memmap, (page)->buddy_list.next)

static inline void pgm_list_add(struct pgm_page *memmap,
				struct pgm_page *page, struct pgm_list *list)
{
	u32 pfn = page - memmap;

	page->buddy_list.prev = PGM_LIST_NIL;
	page->buddy_list.next = list->first;
	if (list->first == PGM_LIST_NIL)
		list->last = pfn;
	else
		memmap[list->first].buddy_list.prev = pfn;
	list->first = pfn;
}

static inline void pgm_list_add_tail(struct pgm_page *memmap,
				     struct pgm_page *page,
				     struct pgm_list *list)
{
	u32 pfn = page - memmap;

	page->buddy_list.next = PGM_LIST_NIL;
	page->buddy_list.prev = list->last;
	if (list->last == PGM_LIST_NIL)
		list->first = pfn;
	else
		memmap[list->last].buddy_list.next = pfn;
	list->last = pfn;
}

/* With list debugging, a page that is not on @list is refused, not linked */
static inline bool pgm_list_del_valid(struct pgm_page *memmap,
				      struct pgm_page *page,
				      const struct pgm_list *list)
{
	u32 pfn = page - memmap, next = page->buddy_list.next;
	u32 prev = page->buddy_list.prev;

	if (!IS_ENABLED(CONFIG_DEBUG_LIST))
		return true;
	return !WARN_ONCE((prev == PGM_LIST_NIL ? list->first :
			   memmap[prev].buddy_list.next) != pfn ||
			  (next == PGM_LIST_NIL ? list->last :
			   memmap[next].buddy_list.prev) != pfn,
			  "pgmirror: pfn %u is not on this list\n", pfn);
}

static inline void pgm_list_del(struct pgm_page *memmap,
				struct pgm_page *page, struct pgm_list *list)
{
	u32 next = page->buddy_list.next, prev = page->buddy_list.prev;

	if (!pgm_list_del_valid(memmap, page, list))
		return;
	if (prev == PGM_LIST_NIL)
		list->first = next;
	else
		memmap[prev].buddy_list.next = next;
	if (next == PGM_LIST_NIL)
		list->last = prev;
	else
		memmap[next].buddy_list.prev = prev;
	page->buddy_list.next = PGM_LIST_NIL;
	page->buddy_list.prev = PGM_LIST_NIL;
}

static inline void pgm_list_move_tail(struct pgm_page *memmap,
				      struct pgm_page *page,
				      struct pgm_list *from,
				      struct pgm_list *to)
{
	pgm_list_del(memmap, page, from);
	pgm_list_add_tail(memmap, page, to);
}

#define pgm_list_prev(memmap, page)	\
	pgm_list_page(memmap, (page)->buddy_list.prev)

/*
 * Make @page the first of @list, the pages before it moved behind the
 * last in their order: list_cut_before() and list_splice_tail()
 */
static inline void pgm_list_rotate_to(struct pgm_page *memmap,
				      struct pgm_page *page,
				      struct pgm_list *list)
{
	u32 prev = page->buddy_list.prev;

	if (prev == PGM_LIST_NIL)
		return;
	memmap[list->last].buddy_list.next = list->first;
	memmap[list->first].buddy_list.prev = list->last;
	memmap[prev].buddy_list.next = PGM_LIST_NIL;
	page->buddy_list.prev = PGM_LIST_NIL;
	list->first = page - memmap;
	list->last = prev;
}

static inline unsigned long pgm_list_count(struct pgm_page *memmap,
					   const struct pgm_list *list)
{
	struct pgm_page *page;
	unsigned long n = 0;

	for (page = pgm_list_first(memmap, list); page;
	     page = pgm_list_next(memmap, page))
		n++;
	return n;
}

/* A zone's free blocks of one order; zone->lock */
struct pgm_free_area {
	struct pgm_list		free_list[PGM_MIGRATE_TYPES];
	unsigned long		nr_free;
};

/*
 * pcp lists: one per migratetype for orders 0..COSTLY, and two for
 * pageblock order (NR_PCP_THP): movable, and unmovable or reclaimable.
 */
#define PGM_NR_LOWORDER_PCP_LISTS \
	(PGM_MIGRATE_PCPTYPES * (PGM_PAGE_ALLOC_COSTLY_ORDER + 1))
#define PGM_NR_PCP_THP		2
#define PGM_NR_PCP_LISTS	(PGM_NR_LOWORDER_PCP_LISTS + PGM_NR_PCP_THP)

#define PGM_PCPF_PREV_FREE_HIGH_ORDER	BIT(0)
#define PGM_PCPF_FREE_HIGH_BATCH	BIT(1)

/**
 * struct pgm_per_cpu_pages - a per-cpu page cache of one zone
 * @lock: protects every other field but @cpu
 * @count: pages on the lists
 * @high: the current high mark; drain above it
 * @high_min: lower bound of @high
 * @high_max: upper bound of @high
 * @batch: chunk size for buddy add and remove
 * @flags: PGM_PCPF_*
 * @alloc_factor: batch scale factor during allocation
 * @free_count: consecutive free count; an int where upstream's is a short,
 *	since a pcp_batch above 1008 takes batch << PCP_BATCH_SCALE_MAX, its
 *	ceiling, past a short's range
 * @expire: refreshes left before a remote drain
 * @cpu: its index in the zone's per_cpu_pageset; fixed at init, so the
 *	pcp lookup gives the CPU without a second table
 * @lists: the lists, indexed by pgm_order_to_pindex()
 */
struct pgm_per_cpu_pages {
	spinlock_t lock;	/* protects the fields below but cpu */
	int count;
	int high;
	int high_min;
	int high_max;
	int batch;
	u8 flags;
	u8 alloc_factor;
	u8 expire;
	u8 cpu;		/* fixed at init */
	int free_count;
	struct pgm_list lists[PGM_NR_PCP_LISTS];
};

enum pgm_zone_flags {
	PGM_ZONE_BOOSTED_WATERMARK,
	PGM_ZONE_RECLAIM_ACTIVE,
	PGM_ZONE_BELOW_HIGH,
};

/* pgdat->flags */
enum pgm_pgdat_flags {
	PGM_PGDAT_RECLAIM_LOCKED,	/* one node_reclaim() at a time */
};

/* vm.zone_reclaim_mode bits, as uapi/linux/mempolicy.h */
#define PGM_RECLAIM_ZONE	BIT(0)
#define PGM_RECLAIM_WRITE	BIT(1)
#define PGM_RECLAIM_UNMAP	BIT(2)
#define PGM_RECLAIM_MODE_MASK	(PGM_RECLAIM_ZONE | PGM_RECLAIM_WRITE | \
				 PGM_RECLAIM_UNMAP)
/* node_reclaim_distance's default */
#define PGM_RECLAIM_DISTANCE	30

/* The mirror of enum lru_list: the inactive list of a type comes first */
enum pgm_lru_list {
	PGM_LRU_INACTIVE_ANON,
	PGM_LRU_ACTIVE_ANON,
	PGM_LRU_INACTIVE_FILE,
	PGM_LRU_ACTIVE_FILE,
	PGM_LRU_UNEVICTABLE,
	PGM_NR_LRU_LISTS
};

/* The zone counters after NR_ZONE_LRU_BASE + lru the mirror keeps */
#define PGM_NR_ZONE_WRITE_PENDING	PGM_NR_LRU_LISTS
#define PGM_NR_ZONE_LRU_ITEMS		(PGM_NR_LRU_LISTS + 1)

/*
 * The mirror of struct lruvec: one memcg's pages on one node, a list per
 * enum pgm_lru_list, and its inactive file pages by zone
 * (lru_zone_size); all under the node's lru_lock, read racily with
 * READ_ONCE() to size a scan. The root's holds what no owner is charged
 * for; each owner has one per node.
 */
struct pgm_lruvec {
	struct list_head lists[PGM_NR_LRU_LISTS];
	unsigned long inactive_file[PGM_MAX_NR_ZONES];
};

/**
 * pgm_lruvec_init() - lruvec_init(): empty lists, no pages
 * @lruvec: the lruvec
 */
static inline void pgm_lruvec_init(struct pgm_lruvec *lruvec)
{
	int lru;

	for (lru = 0; lru < PGM_NR_LRU_LISTS; lru++)
		INIT_LIST_HEAD(&lruvec->lists[lru]);
	memset(lruvec->inactive_file, 0, sizeof(lruvec->inactive_file));
}

/* mem_cgroup_iter()'s position at none: the next walk starts at the root */
#define PGM_MEMCG_ITER_NONE	(-1L)
/* ... and at the root; an owner's is its id */
#define PGM_MEMCG_ITER_ROOT	0L

/* The node_stat_item subset the mirror keeps, in upstream's order; pages */
enum pgm_node_stat_item {
	PGM_NR_INACTIVE_ANON,
	PGM_NR_ACTIVE_ANON,
	PGM_NR_INACTIVE_FILE,
	PGM_NR_ACTIVE_FILE,
	PGM_NR_UNEVICTABLE,
	PGM_NR_SLAB_RECLAIMABLE,
	PGM_NR_SLAB_UNRECLAIMABLE,
	PGM_NR_FILE_DIRTY,
	PGM_NR_VM_NODE_STAT_ITEMS
};

struct pgm_pglist_data;
struct pgm_instance;
struct pgm_owner;
struct pgm_capture_control;

/* A zone's NUMA events on one host CPU, as upstream's per_cpu_zonestat */
struct pgm_per_cpu_zonestat {
	unsigned long vm_numa_event[PGM_NR_VM_NUMA_EVENT_ITEMS];
};

/*
 * The mirror of struct zone. Watermarks are written under the zone lock
 * and the instance's tunables_lock; lowmem_reserve and the pcp high/batch
 * sizes under tunables_lock alone. The fast path reads all of them
 * locklessly, as upstream does.
 */
struct pgm_zone {
	unsigned long _watermark[PGM_NR_WMARK];
	unsigned long watermark_boost;		/* zone->lock */
	unsigned long nr_reserved_highatomic;	/* zone->lock */
	/* Pageblocks set MIGRATE_ISOLATE (page_isolation.c); zone->lock */
	unsigned long nr_isolate_pageblock;
	/* Free pages in highatomic pageblocks; zone->lock, read locklessly */
	unsigned long nr_free_highatomic;
	long lowmem_reserve[PGM_MAX_NR_ZONES];

	/* Fixed at creation, down to idx but for the pageset sizes */
	struct pgm_pglist_data *zone_pgdat;
	/* zone_pgdat->inst, one load nearer for the hot paths */
	struct pgm_instance *inst;
	struct pgm_per_cpu_pages *per_cpu_pageset;	/* nr_cpus entries */
	/*
	 * Each host CPU's pcp, as inst->pcp_cpu_of maps it: one load from
	 * the zone, as this_cpu_ptr() upstream; nr_cpu_ids entries, fixed
	 */
	struct pgm_per_cpu_pages **pcp_of;
	int pageset_high_min;				/* tunables_lock */
	int pageset_high_max;				/* tunables_lock */
	int pageset_batch;				/* tunables_lock */

	unsigned long zone_start_pfn;
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long managed_pages;
	unsigned long cma_pages;
	const char *name;
	enum pgm_zone_type idx;

	spinlock_t lock;	/* free_area, watermark_boost, highatomic */
	struct pgm_free_area free_area[PGM_NR_PAGE_ORDERS];
	unsigned long flags;	/* PGM_ZONE_*, atomic bitops */
	/*
	 * The capture controls of the zone's direct compactors, each what
	 * its task's current->capture_control is upstream; zone->lock
	 */
	struct list_head captures;

	/* Compaction deferral; unlocked and racy, as upstream's */
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	int compact_order_failed;
	/*
	 * Compaction's hints from one run to the next, unlocked and racy as
	 * upstream's: where the scanners go on (the migrate scanner's for
	 * async [0] and sync [1] runs), set back to the zone's ends when they
	 * meet; where a skip-bit reset found the first blocks worth a look;
	 * and a direct compactor's scanners having met, which lets kswapd
	 * reset the skip bits when it goes to sleep.
	 */
	unsigned long compact_cached_free_pfn;
	unsigned long compact_cached_migrate_pfn[2];
	unsigned long compact_init_migrate_pfn;
	unsigned long compact_init_free_pfn;
	bool compact_blockskip_flush;

	atomic_long_t vm_stat[PGM_NR_VM_ZONE_STAT_ITEMS];
	/*
	 * NR_ZONE_LRU_BASE + lru, then NR_ZONE_WRITE_PENDING: the zone's
	 * pages on each of its node's LRU lists and its dirty ones. As
	 * vm_stat, each pcp CPU's changes wait in lru_stat_diff until they
	 * pass stat_threshold, so the sum may lag or dip below 0. Both under
	 * the node's lru_lock, which changes them where vm_stat_diff's
	 * zone->lock would nest with it.
	 */
	long nr_zone_lru[PGM_NR_ZONE_LRU_ITEMS];
	s8 lru_stat_diff[PGM_MAX_CPUS][PGM_NR_ZONE_LRU_ITEMS];
	/*
	 * The pcp CPU whose vm_stat_diff the free counters change, -1 for the
	 * calling context's. The refresh sets it while it drains another pcp
	 * CPU's pages, which upstream that CPU drains itself; a bulk refill or
	 * drain sets it to the caller's, looked up once; zone->lock
	 */
	int stat_cpu;
	/*
	 * vm_stat_diff: what each pcp CPU changed vm_stat by and has not
	 * folded in yet, at most stat_threshold either way; zone->lock
	 */
	s8 vm_stat_diff[PGM_MAX_CPUS][PGM_NR_VM_ZONE_STAT_ITEMS];
	/*
	 * Every pcp CPU's stat_threshold (upstream keeps one per CPU, all
	 * equal); 0 folds each change at once. Written by the instance's
	 * set-up and kswapd, read locklessly.
	 */
	int stat_threshold;
	/* Below it, zone_watermark_ok_safe() reads a snapshot; fixed */
	unsigned long percpu_drift_mark;
	/* per_cpu_zonestats: NUMA events per host CPU, summed on read */
	struct pgm_per_cpu_zonestat __percpu *per_cpu_zonestats;
};

enum {
	PGM_ZONELIST_FALLBACK,
	PGM_ZONELIST_NOFALLBACK,
	PGM_MAX_ZONELISTS
};

struct pgm_zoneref {
	struct pgm_zone *zone;
	int zone_idx;
};

#define PGM_MAX_ZONES_PER_ZONELIST (PGM_MAX_NUMNODES * PGM_MAX_NR_ZONES)

struct pgm_zonelist {
	struct pgm_zoneref _zonerefs[PGM_MAX_ZONES_PER_ZONELIST + 1];
};

/* The mirror of pg_data_t */
struct pgm_pglist_data {
	/* Fixed at creation, down to inst but for totalreserve_pages */
	struct pgm_zone node_zones[PGM_MAX_NR_ZONES];
	struct pgm_zonelist node_zonelists[PGM_MAX_ZONELISTS];
	int nr_zones;			/* highest populated zone index + 1 */
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
	unsigned long totalreserve_pages;	/* tunables_lock */
	struct pgm_instance *inst;
	/* node_reclaim() floors, from the ratios; tunables_lock, read racily */
	unsigned long min_unmapped_pages;
	unsigned long min_slab_pages;
	unsigned long flags;		/* PGM_PGDAT_*, atomic bitops */

	/* Never nested with a zone lock: LRU work follows the buddy work */
	spinlock_t lru_lock;
	struct pgm_lruvec lruvec;	/* the root memcg's; lru_lock */
	/*
	 * Where partial walks of the memcgs stopped (mem_cgroup_iter()'s
	 * shared iter->position for this node): PGM_MEMCG_ITER_NONE, _ROOT
	 * or an owner's id; cmpxchg(), as upstream. memcg_gen counts the
	 * walks that reached the end (iter->generation): a walk that sees
	 * it move while it goes stops, the cycle being done.
	 */
	long memcg_iter;
	atomic_t memcg_gen;
	/*
	 * Slab-kind allocations: [0] the reclaimable ones, the shrinker's
	 * list_lru, which is all it walks; [1] the rest; lru_lock
	 */
	struct list_head slab_lists[2];
	/* The slab shrinker's nr_deferred[nid]: xchg and add, no lock */
	atomic_long_t slab_nr_deferred;
	/*
	 * The node's counters and each pcp CPU's changes not folded in yet,
	 * at most stat_threshold either way (per_cpu_nodestats), as the
	 * zones' vm_stat_diff; lru_lock, readers without it READ_ONCE().
	 * stat_threshold is the largest of its populated zones' normal
	 * thresholds, not kswapd's: set when the instance is made
	 * (refresh_zone_stat_thresholds(), under tunables_lock), read
	 * locklessly as the zones' is.
	 */
	long vm_stat[PGM_NR_VM_NODE_STAT_ITEMS];
	s8 vm_node_stat_diff[PGM_MAX_CPUS][PGM_NR_VM_NODE_STAT_ITEMS];
	int stat_threshold;

	/* kswapd: NULL in KUnit instances, which balance synchronously */
	struct task_struct *kswapd;
	wait_queue_head_t kswapd_wait;
	/* Written by wakers and kswapd with WRITE_ONCE(), as upstream */
	int kswapd_order;
	enum pgm_zone_type kswapd_highest_zoneidx; /* PGM_MAX_NR_ZONES: none */
	int kswapd_failures;		/* READ_ONCE()/WRITE_ONCE() */

	/* kcompactd: NULL in KUnit instances, which call its steps */
	struct task_struct *kcompactd;
	wait_queue_head_t kcompactd_wait;
	/*
	 * The largest order and lowest highest zone asked for since its
	 * last run; written by wakers and kcompactd, READ_ONCE() and
	 * WRITE_ONCE() as upstream reads and writes them racily
	 */
	int kcompactd_max_order;
	enum pgm_zone_type kcompactd_highest_zoneidx;
	/* A compaction_proactiveness write asks for a proactive pass */
	bool proactive_compact_trigger;	/* READ_ONCE()/WRITE_ONCE() */
};

/**
 * struct pgm_tunables - the sysctls of the mirror
 * @min_free_kbytes: vm.min_free_kbytes
 * @user_min_free_kbytes: the value a user set, or -1
 * @watermark_scale_factor: vm.watermark_scale_factor
 * @watermark_boost_factor: vm.watermark_boost_factor
 * @lowmem_reserve_ratio: vm.lowmem_reserve_ratio
 * @percpu_pagelist_high_fraction: vm.percpu_pagelist_high_fraction
 * @node_reclaim_mode: vm.zone_reclaim_mode, PGM_RECLAIM_* bits
 * @min_unmapped_ratio: vm.min_unmapped_ratio, percent of a node
 * @min_slab_ratio: vm.min_slab_ratio, percent of a node
 * @dirty_ratio: vm.dirty_ratio, percent of dirtyable memory
 * @page_poisoning: page_poison=: fill freed pages with PAGE_POISON
 * @poison_check: freed pages are all poisoned: check them at allocation
 * @init_on_free: init_on_free=: zero freed pages (not with poisoning)
 * @free_zeroed: init_on_free is in force and every free page was zeroed:
 *	allocations need not clear, as upstream's with want_init_on_free()
 * @init_on_alloc: init_on_alloc=: zero allocated pages (not with poisoning)
 *
 * @group_by_mobility: 0 is page_group_by_mobility_disabled: every request
 *	is unmovable
 * @alloc_nofragment: 0 never sets ALLOC_NOFRAGMENT
 * @highatomic: 0 never reserves a highatomic pageblock
 * @pcp: 0 sends every request and free to the buddy lists
 * @pcp_batch: fixed pcp batch, 0 for zone_batchsize()
 * @pcp_high: fixed pcp high (no auto-tuning), 0 for zone_highsize()
 * @claim_threshold: free-or-alike pages that let a fallback claim the
 *	whole pageblock; half a pageblock upstream
 * @kswapd: 0 never wakes kswapd
 * @direct_reclaim: 0 skips direct reclaim in the slow path
 * @direct_compaction: 0 skips direct compaction in the slow path
 * @compaction_proactiveness: vm.compaction_proactiveness, 0..100: how
 *	hard kcompactd compacts in the background, 0 never
 * @kcompactd: 0 never wakes kcompactd, nor lets it compact proactively
 * @extfrag_threshold: vm.extfrag_threshold, 0..1000: a costly order whose
 *	fragmentation index is at most this fails for lack of memory, and
 *	compaction is not worth trying for it
 * @oom_kill_allocating_task: vm.oom_kill_allocating_task: non-zero kills
 *	the requesting owner, if it may be killed, rather than the one with
 *	the most points
 * @numa_stat: vm.numa_stat: 0 stops the NUMA counters and clears them
 * @transparent_hugepage: enum pgm_thp_mode; khugepaged, which runs but
 *	under never, raises min_free_kbytes for fragmentation avoidance
 * @per_cpu_data_slice_size: bytes of last-level cache per CPU, as
 *	cacheinfo's; 0 is a CPU without cacheinfo
 * @fallbacks: fallbacks[]: the types each pcp type falls back to, in
 *	order; -1 ends a row early
 *
 * The page debugging four need a backing; the policy knobs default to
 * upstream's behaviour. Written under tunables_lock; READ_ONCE() on the
 * allocation paths.
 */
struct pgm_tunables {
	int min_free_kbytes;
	int user_min_free_kbytes;
	int watermark_scale_factor;
	int watermark_boost_factor;
	int lowmem_reserve_ratio[PGM_MAX_NR_ZONES];
	int percpu_pagelist_high_fraction;
	int node_reclaim_mode;
	int min_unmapped_ratio;
	int min_slab_ratio;
	int dirty_ratio;
	int page_poisoning;
	int poison_check;
	int init_on_free;
	int free_zeroed;
	int init_on_alloc;
	int group_by_mobility;
	int alloc_nofragment;
	int highatomic;
	int pcp;
	int pcp_batch;
	int pcp_high;
	int claim_threshold;
	int kswapd;
	int direct_reclaim;
	int direct_compaction;
	int compaction_proactiveness;
	int kcompactd;
	int extfrag_threshold;
	int oom_kill_allocating_task;
	int numa_stat;
	int transparent_hugepage;
	int per_cpu_data_slice_size;
	int fallbacks[PGM_MIGRATE_PCPTYPES][PGM_MIGRATE_PCPTYPES - 1];
};

/**
 * struct pgm_topology - what an instance is built from
 * @nr_nodes: 1..PGM_MAX_NUMNODES
 * @zone_pages: pages of each zone of each node; pageblock multiples
 * @distance: node distances, as in the SLIT
 * @cma_pages: pages of node 0's highest non-movable zone marked CMA
 * @nr_cpus: pcp CPUs, 1..PGM_MAX_CPUS, spread over nodes in blocks
 * @tun: initial tunables; min_free_kbytes 0 derives it
 */
struct pgm_topology {
	unsigned int nr_nodes;
	unsigned long zone_pages[PGM_MAX_NUMNODES][PGM_MAX_NR_ZONES];
	int distance[PGM_MAX_NUMNODES][PGM_MAX_NUMNODES];
	unsigned long cma_pages;
	unsigned int nr_cpus;
	struct pgm_tunables tun;
};

/* Why get_page_from_freelist() passed a zone by (pgmirror_zone_skip) */
enum pgm_skip_reason {
	PGM_SKIP_CPUSET,
	PGM_SKIP_DIRTY,
	PGM_SKIP_NOFRAGMENT,
	PGM_SKIP_WATERMARK,
	PGM_SKIP_NODE_RECLAIM,
};

/* The steps of the slow path (pgmirror_slowpath) */
enum pgm_slow_step {
	PGM_SLOW_WAKE_KSWAPD,
	PGM_SLOW_COMPACT,
	PGM_SLOW_RECLAIM,
	PGM_SLOW_RETRY,
	PGM_SLOW_OOM,
	PGM_SLOW_NOPAGE,
	PGM_SLOW_SUCCESS,
};

struct pgm_backing;
struct pgm_fail_page_alloc;
struct pgm_replay;
struct pgm_explain;

/* vm_event_states: the counters of one CPU */
struct pgm_vm_event_state {
	unsigned long event[PGM_NR_VM_EVENT_ITEMS];
};

/**
 * struct pgm_cma - the mirror of struct cma: the instance's CMA area
 * @base_pfn: its first pfn
 * @count: its pages; 0 when the instance has none
 * @bitmap: one bit per page (order_per_bit 0), set while cma_alloc() has it
 * @alloc_mutex: cma_mutex: one alloc_contig_range() of the area at a time
 * @lock: protects @bitmap
 */
struct pgm_cma {
	unsigned long base_pfn;
	unsigned long count;
	unsigned long *bitmap;
	struct mutex alloc_mutex;	/* the area's alloc_contig_range() */
	spinlock_t lock;		/* the bitmap */
};

#define PGM_NAME_LEN	32
#define PGM_STATUS_LEN	160
#define PGM_BENCH_LEN	512

/* Buckets of control writes in progress: more than the CPUs that write */
#define PGM_IFACE_BUCKET_BITS	5
#define PGM_IFACE_BUCKETS	BIT(PGM_IFACE_BUCKET_BITS)

/**
 * struct pgm_iface_bucket - control writes in progress whose tasks hash here
 * @writers: their struct pgm_iface_writer; @lock
 * @lock: protects @writers
 *
 * A cache line each, so that writers on other CPUs do not bounce one
 * another's lock.
 */
struct pgm_iface_bucket {
	struct hlist_head writers;
	spinlock_t lock;		/* @writers */
} ____cacheline_aligned_in_smp;

/* One mirror allocator and everything it owns */
struct pgm_instance {
	/* Fixed at creation: the shape and the arrays */
	char name[PGM_NAME_LEN];
	unsigned int nr_nodes;
	unsigned int nr_cpus;
	unsigned long nr_pages;
	int distance[PGM_MAX_NUMNODES][PGM_MAX_NUMNODES];

	struct pgm_page *memmap;
	/* 4 bits per pageblock: migratetype; zone->lock of the block's zone */
	unsigned long *pageblock_flags;

	/* Protects tunables and the watermark/pcp recomputation */
	struct mutex tunables_lock;
	struct pgm_tunables tun;	/* tunables_lock */
	unsigned long totalreserve_pages;	/* tunables_lock */

	/*
	 * >= 0 pins the pcp CPU every context uses: tests, and a replay for
	 * each event (iface_lock exclusive)
	 */
	int cpu_override;
	/* The pcp CPU of each host CPU: host cpu % nr_cpus; fixed */
	u8 *pcp_cpu_of;
	/*
	 * What every empty zone's per_cpu_pageset, pcp_of and
	 * per_cpu_zonestats point at for good, as upstream's unpopulated
	 * zones keep boot_pageset and boot_zonestats; fixed
	 */
	struct pgm_per_cpu_pages *boot_pageset;
	struct pgm_per_cpu_pages **boot_pcp_of;
	struct pgm_per_cpu_zonestat __percpu *boot_zonestats;
	/* The node of each pcp CPU (cpu_to_node()); fixed */
	u8 node_of_cpu[PGM_MAX_CPUS];

	/*
	 * On pgm_kcompactd_online's list while the kcompactd threads run,
	 * so that a CPU coming online rebinds them; cpuhp_state_mutex
	 */
	struct hlist_node kcompactd_cpuhp;
	bool kcompactd_cpuhp_added;	/* the threads' starter and stopper */

	/* Event counters, one array per CPU as vm_event_states; summed on read */
	struct pgm_vm_event_state __percpu *events;

	/* warn_alloc()'s rate limit: one report per 10 seconds */
	struct ratelimit_state nopage_rs;
	/* vmstat_update(): decays pcp high once a second while queued */
	struct delayed_work vmstat_work;
	/*
	 * The pcp CPUs whose vmstat_update() is not queued: the shepherd
	 * runs one only when its CPU holds a delta; pgm_vmstat_tick() only
	 */
	DECLARE_BITMAP(vmstat_idle, PGM_MAX_CPUS);

	struct pgm_backing *backing;	/* fixed */
	/* Module glue: the registry of instances; pgm_registry_lock */
	struct list_head registry;
	/*
	 * Being torn down, and destroy waits for every write: a __GFP_NOFAIL
	 * wait, bench, replay and the long walks (pgm_iface_relax(),
	 * alloc_contig, cma_alloc) give up; WRITE_ONCE()
	 */
	bool dying;
	/* fail_page_alloc fault injection; NULL without CONFIG_FAULT_INJECTION */
	struct pgm_fail_page_alloc *fail_page_alloc;

	/*
	 * The interface's state: allocation handles and the last status.
	 * iface_lock is shared by the control writes that only add and
	 * claim handles (alloc, free) and by kswapd, and exclusive for
	 * everything that reads records or other interface state.
	 */
	struct rw_semaphore iface_lock;
	struct xarray handles;			/* its own xa_lock */
	u32 next_handle;			/* the handles' xa_lock */
	u32 handle_anchor;			/* the handles' xa_lock */
	/*
	 * Walkers of the handles that read the records they find under
	 * rcu_read_lock() (pgm_handle_walk_begin()): while there are none,
	 * a record freed goes straight back to its cache
	 */
	atomic_t handle_walkers;
	char status[PGM_STATUS_LEN];		/* status_lock */
	char bench_result[PGM_BENCH_LEN];	/* status_lock */
	/*
	 * Readers of the status never wait for a long command. The lock
	 * comes after what it guards: on UP without lock debugging it has
	 * no size, and gcc's fortify then misjudges the array that follows.
	 */
	spinlock_t status_lock;
	/* Serialises bench runs (their mirror side takes iface_lock shared) */
	struct mutex bench_lock;
	/*
	 * Control writes in progress (struct pgm_iface_writer), hashed by
	 * task: a __GFP_NOFAIL wait or a long walk of theirs lets iface_lock
	 * go. Writers on other CPUs rarely share a bucket's lock.
	 */
	struct pgm_iface_bucket iface_writers[PGM_IFACE_BUCKETS];
	/* Its debugfs directory: written only by creation and teardown */
	struct dentry *dir;

	/* The replay file's state: pfn map and counts (replay.c) */
	struct pgm_replay *replay;		/* iface_lock exclusive */
	/* The last explained request (explain.c); NULL until the first */
	struct pgm_explain *explain;		/* explain_lock */
	/* Allocates the explanation, claims it, and reads it when unclaimed */
	struct mutex explain_lock;

	/* The CMA area, as cma_declare_contiguous() makes it (cma.c) */
	struct pgm_cma cma;

	/* oom_lock: one OOM kill at a time, global or an owner's own */
	struct mutex oom_lock;
	/* pcpu_drain_mutex: one drain_all_pages() at a time */
	struct mutex pcpu_drain_mutex;
	/* memcg_kmem_online(): an owner, a memcg, was ever made; never cleared */
	bool memcg_kmem_online;

	/* Owners of allocations; owners_lock serialises create and destroy */
	struct mutex owners_lock;
	struct xarray owners;			/* owners_lock for writers */
	/*
	 * The next owner id: ids only grow (until they wrap), so id order is
	 * creation order, the order of upstream's walk of the memcgs;
	 * owners_lock
	 */
	u32 owner_next_id;

	/*
	 * The nodes, nr_nodes of them: last, so that a small instance neither
	 * allocates nor zeroes the nodes it does not have; fixed
	 */
	struct pgm_pglist_data node_data[] __counted_by(nr_nodes);
};

/* Zones of all nodes in order: for (z = pgm_first_zone(i); z; z = pgm_next_zone(i, z)) */
static inline struct pgm_zone *pgm_first_zone(struct pgm_instance *inst)
{
	return inst->node_data[0].node_zones;
}

static inline struct pgm_zone *pgm_next_zone(struct pgm_instance *inst,
					     struct pgm_zone *zone)
{
	struct pgm_pglist_data *pgdat = zone->zone_pgdat;

	if (zone < pgdat->node_zones + PGM_MAX_NR_ZONES - 1)
		return zone + 1;
	if (pgdat->node_id + 1 < inst->nr_nodes)
		return inst->node_data[pgdat->node_id + 1].node_zones;
	return NULL;
}

static inline bool pgm_populated_zone(const struct pgm_zone *zone)
{
	return zone->present_pages != 0;
}

static inline int pgm_zone_to_nid(const struct pgm_zone *zone)
{
	return zone->zone_pgdat->node_id;
}

static inline unsigned long pgm_zone_managed_pages(const struct pgm_zone *zone)
{
	return READ_ONCE(zone->managed_pages);
}

static inline unsigned long pgm_zone_end_pfn(const struct pgm_zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

static inline bool pgm_zone_spans_pfn(const struct pgm_zone *zone,
				      unsigned long pfn)
{
	return zone->zone_start_pfn <= pfn && pfn < pgm_zone_end_pfn(zone);
}

static inline unsigned long pgm_wmark_pages(const struct pgm_zone *z, int i)
{
	return z->_watermark[i] + z->watermark_boost;
}

#define pgm_min_wmark_pages(z)	pgm_wmark_pages(z, PGM_WMARK_MIN)
#define pgm_low_wmark_pages(z)	pgm_wmark_pages(z, PGM_WMARK_LOW)
#define pgm_high_wmark_pages(z)	pgm_wmark_pages(z, PGM_WMARK_HIGH)
#define pgm_promo_wmark_pages(z) pgm_wmark_pages(z, PGM_WMARK_PROMO)

/* zone_page_state(): unfolded deltas may take the sum below zero: read 0 */
static inline long pgm_zone_page_state(const struct pgm_zone *zone,
				       enum pgm_zone_stat_item item)
{
	long x = atomic_long_read(&zone->vm_stat[item]);

	return x < 0 ? 0 : x;
}

/*
 * A count @x plus each of @nr_cpus CPUs' deltas, the first at @diff and
 * each next one @stride items on; clamped at 0, as upstream's readers
 */
static inline long pgm_stat_snapshot(long x, const s8 *diff, size_t stride,
				     unsigned int nr_cpus)
{
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpus; cpu++)
		x += READ_ONCE(diff[cpu * stride]);
	return x < 0 ? 0 : x;
}

/* zone_page_state_snapshot(): with every pcp CPU's delta, racy as upstream */
static inline long pgm_zone_page_state_snapshot(const struct pgm_zone *zone,
						enum pgm_zone_stat_item item,
						unsigned int nr_cpus)
{
	return pgm_stat_snapshot(atomic_long_read(&zone->vm_stat[item]),
				 (const s8 *)zone->vm_stat_diff + item,
				 PGM_NR_VM_ZONE_STAT_ITEMS, nr_cpus);
}

static inline void pgm_mod_zone_page_state(struct pgm_zone *zone,
					   enum pgm_zone_stat_item item,
					   long nr)
{
	atomic_long_add(nr, &zone->vm_stat[item]);
}

/*
 * __count_numa_events(): this CPU's counter of the zone, with raw_cpu_add()
 * as upstream; a migration between finding the CPU and adding may lose a
 * count, which upstream accepts for these
 */
static inline void pgm_count_numa_events(struct pgm_zone *zone,
					 enum pgm_numa_stat_item item, long nr)
{
	raw_cpu_add(zone->per_cpu_zonestats->vm_numa_event[item], nr);
}

/* zone_numa_event_state(): every CPU's count of @item in @zone */
static inline unsigned long
pgm_zone_numa_event_state(const struct pgm_zone *zone,
			  enum pgm_numa_stat_item item)
{
	unsigned long sum = 0;
	int cpu;

	if (!zone->per_cpu_zonestats)
		return 0;
	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(zone->per_cpu_zonestats, cpu)->vm_numa_event[item];
	return sum;
}

/* count_vm_events(): this CPU's counter, no shared cache line */
static inline void pgm_count_vm_events(struct pgm_instance *inst,
				       enum pgm_vm_event_item item, long nr)
{
	this_cpu_add(inst->events->event[item], nr);
}

/*
 * __count_vm_events(): the raw form, where upstream uses it and for the
 * mirror's own counters under a pcp or zone lock: the caller cannot
 * migrate, and nothing counts from an interrupt. Where this_cpu ops are
 * generic (UML), the other form saves and restores interrupts each time.
 */
static inline void __pgm_count_vm_events(struct pgm_instance *inst,
					 enum pgm_vm_event_item item, long nr)
{
	raw_cpu_add(inst->events->event[item], nr);
}

/* sum_vm_event(): every CPU's count of @item */
static inline unsigned long pgm_sum_vm_event(struct pgm_instance *inst,
					     enum pgm_vm_event_item item)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(inst->events, cpu)->event[item];
	return sum;
}

/* node_page_state(): the sum without the unfolded deltas; 0 below it */
static inline unsigned long
pgm_node_page_state(const struct pgm_pglist_data *pgdat,
		    enum pgm_node_stat_item item)
{
	long x = READ_ONCE(pgdat->vm_stat[item]);

	return x < 0 ? 0 : x;
}

/* The node's count with every pcp CPU's delta: exact under lru_lock */
static inline unsigned long
pgm_node_page_state_snapshot(const struct pgm_pglist_data *pgdat,
			     enum pgm_node_stat_item item,
			     unsigned int nr_cpus)
{
	return pgm_stat_snapshot(READ_ONCE(pgdat->vm_stat[item]),
				 (const s8 *)pgdat->vm_node_stat_diff + item,
				 PGM_NR_VM_NODE_STAT_ITEMS, nr_cpus);
}

/*
 * zone_page_state_snapshot() of NR_ZONE_LRU_BASE + @item (or
 * PGM_NR_ZONE_WRITE_PENDING): racy without lru_lock, as upstream
 */
static inline unsigned long
pgm_zone_lru_snapshot(const struct pgm_zone *zone, int item,
		      unsigned int nr_cpus)
{
	return pgm_stat_snapshot(READ_ONCE(zone->nr_zone_lru[item]),
				 (const s8 *)zone->lru_stat_diff + item,
				 PGM_NR_ZONE_LRU_ITEMS, nr_cpus);
}

static inline bool pgm_free_area_empty(const struct pgm_free_area *area,
				       int mt)
{
	return pgm_list_empty(&area->free_list[mt]);
}

/* pfn <-> page within an instance; pfns are the instance's own, 0..N-1 */
static inline struct pgm_page *pgm_pfn_to_page(struct pgm_instance *inst,
					       unsigned long pfn)
{
	return inst->memmap + pfn;
}

static inline unsigned long pgm_page_to_pfn(struct pgm_instance *inst,
					    const struct pgm_page *page)
{
	return page - inst->memmap;
}

static inline struct pgm_zone *pgm_page_zone(struct pgm_instance *inst,
					     const struct pgm_page *page)
{
	return &inst->node_data[page->zone_id / PGM_MAX_NR_ZONES]
		.node_zones[page->zone_id % PGM_MAX_NR_ZONES];
}

static inline int pgm_page_to_nid(const struct pgm_page *page)
{
	return page->zone_id / PGM_MAX_NR_ZONES;
}

static inline enum pgm_zone_type pgm_page_zonenum(const struct pgm_page *page)
{
	return page->zone_id % PGM_MAX_NR_ZONES;
}

#endif /* _PGMIRROR_MMZONE_H */
