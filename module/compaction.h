/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgmirror: the mirror of include/linux/compaction.h.
 */
#ifndef _PGMIRROR_COMPACTION_H
#define _PGMIRROR_COMPACTION_H

#include <linux/list.h>
#include "mmzone.h"
#include "internal.h"

/* enum compact_priority: lower is more thorough */
enum pgm_compact_priority {
	PGM_COMPACT_PRIO_SYNC_FULL,
	PGM_MIN_COMPACT_PRIORITY = PGM_COMPACT_PRIO_SYNC_FULL,
	PGM_COMPACT_PRIO_SYNC_LIGHT,
	PGM_MIN_COMPACT_COSTLY_PRIORITY = PGM_COMPACT_PRIO_SYNC_LIGHT,
	PGM_DEF_COMPACT_PRIORITY = PGM_COMPACT_PRIO_SYNC_LIGHT,
	PGM_COMPACT_PRIO_ASYNC,
	PGM_INIT_COMPACT_PRIORITY = PGM_COMPACT_PRIO_ASYNC
};

/* enum compact_result, in upstream's order: callers compare with max() */
enum pgm_compact_result {
	PGM_COMPACT_NOT_SUITABLE_ZONE,
	PGM_COMPACT_SKIPPED,
	PGM_COMPACT_DEFERRED,
	PGM_COMPACT_NO_SUITABLE_PAGE,
	PGM_COMPACT_CONTINUE,
	PGM_COMPACT_COMPLETE,
	PGM_COMPACT_PARTIAL_SKIPPED,
	PGM_COMPACT_CONTENDED,
	PGM_COMPACT_SUCCESS,
};

#define PGM_COMPACT_MAX_DEFER_SHIFT	6
/* What proactive compaction scores against: a PMD-sized huge page */
#define PGM_COMPACTION_HPAGE_ORDER	9
/* How often kcompactd checks the node's fragmentation score */
#define PGM_HPAGE_FRAG_CHECK_INTERVAL_MSEC	500
#define PGM_MAX_COMPACT_RETRIES		16
/* vm.extfrag_threshold's default */
#define PGM_EXTFRAG_THRESHOLD		500

/**
 * struct pgm_compact_control - the mirror of struct compact_control
 * @freepages: isolated free blocks, by order; order in page->private
 * @nr_freepages: pages on @freepages
 * @zone: the zone compacted
 * @migrate_pfn: the migrate scanner, going up from the zone start
 * @free_pfn: the free scanner's next pageblock, going down from the end
 * @order: the order wanted, -1 to compact the whole zone
 * @gfp_mask: the allocation's; without __GFP_FS only anon memory moves
 * @migratetype: the migratetype of the allocation; pgm_compact_zone()
 *	sets it from @gfp_mask
 * @alloc_flags: its PGM_ALLOC_* flags
 * @highest_zoneidx: its highest usable zone
 * @priority: enum pgm_compact_priority
 * @direct_compaction: for an allocation, not for the whole zone
 * @async: MIGRATE_ASYNC (PGM_COMPACT_PRIO_ASYNC), else MIGRATE_SYNC_LIGHT
 * @sync: MIGRATE_SYNC, as compact_node() compacts; not with @async
 * @ignore_skip_hint: MIN_COMPACT_PRIORITY or compact_node(): no rescan of
 *	a pageblock after a failure
 * @finish_pageblock: the migrate scanner takes the rest of its pageblock
 *	in one batch; set by pgm_compact_zone()
 * @whole_zone: the run covers the zone (compact_node()); set too by
 *	pgm_compact_zone() for a run from at or below the zone's
 *	compact_init_migrate_pfn
 * @ignore_block_suitable: any pageblock may hold targets
 *	(MIN_COMPACT_PRIORITY)
 * @search_order: the order fast_isolate_freepages() searches first; the
 *	caller sets it (compact_zone_order(): the order wanted)
 * @fast_search_fail: free-list searches that found nothing in a row,
 *	shortening fast_find_migrateblock()'s
 * @fast_start_pfn: the lowest pfn fast_find_migrateblock() jumped to, 0
 *	before any, ULONG_MAX once the migrate scanner went back there
 * @proactive_compaction: kcompactd's background pass: the run ends once
 *	the zone's fragmentation score is at most the low mark
 * @total_migrate_scanned: pfns the migrate scanner read this run
 * @total_free_scanned: pfns the free scanner read this run
 */
struct pgm_compact_control {
	struct pgm_list freepages[PGM_NR_PAGE_ORDERS];
	unsigned long nr_freepages;
	struct pgm_zone *zone;
	unsigned long migrate_pfn;
	unsigned long free_pfn;
	int order;
	gfp_t gfp_mask;
	int migratetype;
	unsigned int alloc_flags;
	enum pgm_zone_type highest_zoneidx;
	enum pgm_compact_priority priority;
	bool direct_compaction;
	bool async;
	bool sync;
	bool ignore_skip_hint;
	bool finish_pageblock;
	bool whole_zone;
	bool ignore_block_suitable;
	int search_order;
	unsigned short fast_search_fail;
	unsigned long fast_start_pfn;
	bool proactive_compaction;
	unsigned long total_migrate_scanned;
	unsigned long total_free_scanned;
};

/**
 * struct pgm_capture_control - the mirror of struct capture_control
 * @cc: the compaction it serves
 * @page: the block captured, or NULL
 * @task: the compacting task; upstream hangs the control off current
 * @list: on its zone's captures while @task compacts it; zone->lock
 */
struct pgm_capture_control {
	struct pgm_compact_control *cc;
	struct pgm_page *page;
	struct task_struct *task;
	struct list_head list;
};

void pgm_capture_begin(struct pgm_zone *zone,
		       struct pgm_capture_control *capc);
void pgm_capture_end(struct pgm_zone *zone, struct pgm_capture_control *capc);

/**
 * pgm_compact_gap() - compact_gap(): free pages compaction wants for @order
 * @order: the order compacted for
 *
 * A run isolates up to 2^@order pages as targets at once; twice that
 * leaves room for them and for the allocation.
 *
 * Return: the gap in pages.
 */
static inline unsigned long pgm_compact_gap(unsigned int order)
{
	return 2UL << order;
}

int pgm_fragmentation_index(struct pgm_zone *zone, unsigned int order);
unsigned int pgm_extfrag_for_order(struct pgm_zone *zone, unsigned int order);
bool pgm_compaction_suitable(struct pgm_zone *zone, int order,
			     int highest_zoneidx);
void pgm_reset_isolation_suitable(struct pgm_pglist_data *pgdat);
void pgm_defer_compaction(struct pgm_zone *zone, int order);
bool pgm_compaction_deferred(struct pgm_zone *zone, int order);
void pgm_compaction_defer_reset(struct pgm_zone *zone, int order,
				bool alloc_success);
bool pgm_compaction_restarting(struct pgm_zone *zone, int order);
enum pgm_compact_result pgm_compact_zone(struct pgm_compact_control *cc,
					 struct pgm_capture_control *capc);
enum pgm_compact_result
pgm_try_to_compact_pages(gfp_t gfp, unsigned int order,
			 unsigned int alloc_flags,
			 const struct pgm_alloc_context *ac,
			 enum pgm_compact_priority prio,
			 struct pgm_page **capture);
bool pgm_compaction_zonelist_suitable(const struct pgm_alloc_context *ac,
				      int order, unsigned int alloc_flags);
unsigned int pgm_fragmentation_score_node(struct pgm_pglist_data *pgdat);
bool pgm_should_proactive_compact_node(struct pgm_pglist_data *pgdat);
int pgm_compact_node(struct pgm_pglist_data *pgdat, bool proactive);
int pgm_set_compaction_proactiveness(struct pgm_instance *inst, int val);
int pgm_set_extfrag_threshold(struct pgm_instance *inst, int val);
void pgm_kcompactd_do_work(struct pgm_pglist_data *pgdat);
bool pgm_wakeup_kcompactd(struct pgm_pglist_data *pgdat, int order,
			  enum pgm_zone_type highest_zoneidx);
unsigned int pgm_kcompactd_proactive(struct pgm_pglist_data *pgdat);
int pgm_kcompactd_cpu_online(unsigned int cpu, struct hlist_node *node);
int pgm_kcompactd_init(void);
void pgm_kcompactd_exit(void);
int pgm_kcompactd_run(struct pgm_instance *inst);
void pgm_kcompactd_stop(struct pgm_instance *inst);

#endif /* _PGMIRROR_COMPACTION_H */
