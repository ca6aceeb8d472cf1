// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the mirror of the /proc printers of upstream's vmstat.
 *
 * The buddyinfo, pagetypeinfo and zoneinfo printers, in exactly the
 * layout of the 6.12 /proc files so that existing parsers read them, and
 * the counters under their /proc/vmstat names.
 */

#include <linux/build_bug.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "cmd.h"
#include "pgmirror.h"
#include "lru.h"
#include "compaction.h"

/* ========================= names ========================= */

const char * const pgm_migratetype_names[] = {
	[PGM_MIGRATE_UNMOVABLE]		= "Unmovable",
	[PGM_MIGRATE_MOVABLE]		= "Movable",
	[PGM_MIGRATE_RECLAIMABLE]	= "Reclaimable",
	[PGM_MIGRATE_HIGHATOMIC]	= "HighAtomic",
	[PGM_MIGRATE_CMA]		= "CMA",
	[PGM_MIGRATE_ISOLATE]		= "Isolate",
};

const char * const pgm_zone_names[] = {
	[PGM_ZONE_DMA]		= "DMA",
	[PGM_ZONE_DMA32]	= "DMA32",
	[PGM_ZONE_NORMAL]	= "Normal",
	[PGM_ZONE_MOVABLE]	= "Movable",
};

const char * const pgm_vm_event_names[] = {
	[PGM_PGALLOC_DMA]		= "pgalloc_dma",
	[PGM_PGALLOC_DMA32]		= "pgalloc_dma32",
	[PGM_PGALLOC_NORMAL]		= "pgalloc_normal",
	[PGM_PGALLOC_MOVABLE]		= "pgalloc_movable",
	[PGM_PGFREE]			= "pgfree",
	[PGM_PCP_REFILL]		= "pcp_refill",
	[PGM_PCP_REFILL_PAGES]		= "pcp_refill_pages",
	[PGM_PCP_DRAIN]			= "pcp_drain",
	[PGM_PCP_DRAIN_PAGES]		= "pcp_drain_pages",
	[PGM_PCP_TRYLOCK_FAIL]		= "pcp_trylock_fail",
	[PGM_EXTFRAG_FALLBACK]		= "extfrag_fallback",
	[PGM_EXTFRAG_CLAIM]		= "extfrag_claim",
	[PGM_EXTFRAG_STEAL]		= "extfrag_steal",
	[PGM_CMA_FALLBACK]		= "cma_fallback",
	[PGM_HIGHATOMIC_RESERVE]	= "highatomic_reserve",
	[PGM_HIGHATOMIC_UNRESERVE]	= "highatomic_unreserve",
	[PGM_WATERMARK_BOOST]		= "watermark_boost",
	[PGM_WMARK_CHECK_FAIL]		= "wmark_check_fail",
	[PGM_NOFRAGMENT_RETRY]		= "nofragment_retry",
	[PGM_ALLOC_SLOWPATH]		= "alloc_slowpath",
	[PGM_ALLOC_FAIL]		= "alloc_fail",
	[PGM_ALLOCSTALL_DMA]		= "allocstall_dma",
	[PGM_ALLOCSTALL_DMA32]		= "allocstall_dma32",
	[PGM_ALLOCSTALL_NORMAL]		= "allocstall_normal",
	[PGM_ALLOCSTALL_MOVABLE]	= "allocstall_movable",
	[PGM_PGSKIP_DMA]		= "pgskip_dma",
	[PGM_PGSKIP_DMA32]		= "pgskip_dma32",
	[PGM_PGSKIP_NORMAL]		= "pgskip_normal",
	[PGM_PGSKIP_MOVABLE]		= "pgskip_movable",
	[PGM_PGSCAN_DIRECT]		= "pgscan_direct",
	[PGM_PGSTEAL_DIRECT]		= "pgsteal_direct",
	[PGM_PGSCAN_DIRECT_THROTTLE]	= "pgscan_direct_throttle",
	[PGM_PGSCAN_KSWAPD]		= "pgscan_kswapd",
	[PGM_PGSTEAL_KSWAPD]		= "pgsteal_kswapd",
	[PGM_PAGEOUTRUN]		= "pageoutrun",
	[PGM_KSWAPD_LOW_WMARK_HIT_QUICKLY] = "kswapd_low_wmark_hit_quickly",
	[PGM_KSWAPD_HIGH_WMARK_HIT_QUICKLY] = "kswapd_high_wmark_hit_quickly",
	[PGM_PGSCAN_FILE]		= "pgscan_file",
	[PGM_PGSTEAL_FILE]		= "pgsteal_file",
	[PGM_SLABS_SCANNED]		= "slabs_scanned",
	[PGM_NR_WRITTEN]		= "nr_written",
	[PGM_OOM_KILL]			= "oom_kill",
	[PGM_PGMIGRATE_SUCCESS]		= "pgmigrate_success",
	[PGM_PGMIGRATE_FAIL]		= "pgmigrate_fail",
	[PGM_COMPACTMIGRATE_SCANNED]	= "compact_migrate_scanned",
	[PGM_COMPACTFREE_SCANNED]	= "compact_free_scanned",
	[PGM_COMPACTISOLATED]		= "compact_isolated",
	[PGM_COMPACTSTALL]		= "compact_stall",
	[PGM_COMPACTFAIL]		= "compact_fail",
	[PGM_COMPACTSUCCESS]		= "compact_success",
	[PGM_KCOMPACTD_WAKE]		= "compact_daemon_wake",
	[PGM_KCOMPACTD_MIGRATE_SCANNED]	= "compact_daemon_migrate_scanned",
	[PGM_KCOMPACTD_FREE_SCANNED]	= "compact_daemon_free_scanned",
	[PGM_PGSCAN_ZONE_RECLAIM_SUCCESS] = "zone_reclaim_success",
	[PGM_PGSCAN_ZONE_RECLAIM_FAILED] = "zone_reclaim_failed",
	[PGM_CMA_ALLOC_SUCCESS]		= "cma_alloc_success",
	[PGM_CMA_ALLOC_FAIL]		= "cma_alloc_fail",
	[PGM_BAD_FREE]			= "bad_free",
	[PGM_POISON_CORRUPT]		= "poison_corrupt",
};

static const char * const pgm_zone_stat_names[] = {
	[PGM_NR_FREE_PAGES]	= "nr_free_pages",
	[PGM_NR_FREE_CMA_PAGES]	= "nr_free_cma",
};

/* zone_stat_name() of NR_ZONE_LRU_BASE + lru, then NR_ZONE_WRITE_PENDING */
static const char * const pgm_zone_lru_stat_names[] = {
	[PGM_LRU_INACTIVE_ANON]		= "nr_zone_inactive_anon",
	[PGM_LRU_ACTIVE_ANON]		= "nr_zone_active_anon",
	[PGM_LRU_INACTIVE_FILE]		= "nr_zone_inactive_file",
	[PGM_LRU_ACTIVE_FILE]		= "nr_zone_active_file",
	[PGM_LRU_UNEVICTABLE]		= "nr_zone_unevictable",
	[PGM_NR_ZONE_WRITE_PENDING]	= "nr_zone_write_pending",
};

static const char * const pgm_numa_event_names[] = {
	[PGM_NUMA_HIT]		= "numa_hit",
	[PGM_NUMA_MISS]		= "numa_miss",
	[PGM_NUMA_FOREIGN]	= "numa_foreign",
	[PGM_NUMA_INTERLEAVE_HIT] = "numa_interleave",
	[PGM_NUMA_LOCAL]	= "numa_local",
	[PGM_NUMA_OTHER]	= "numa_other",
};

/* Sized by their initialisers, so a missing last name fails the build */
static_assert(ARRAY_SIZE(pgm_migratetype_names) == PGM_MIGRATE_TYPES);
static_assert(ARRAY_SIZE(pgm_zone_names) == PGM_MAX_NR_ZONES);
static_assert(ARRAY_SIZE(pgm_vm_event_names) == PGM_NR_VM_EVENT_ITEMS);
static_assert(ARRAY_SIZE(pgm_zone_stat_names) == PGM_NR_VM_ZONE_STAT_ITEMS);
static_assert(ARRAY_SIZE(pgm_zone_lru_stat_names) == PGM_NR_ZONE_LRU_ITEMS);
static_assert(ARRAY_SIZE(pgm_numa_event_names) ==
	      PGM_NR_VM_NUMA_EVENT_ITEMS);

/* Upstream caps a free-list walk so the zone lock is not held for long */
#define PGM_FREECOUNT_CAP	100000

/* ========================= helpers ========================= */

static const char *pgm_zone_name(const struct pgm_zone *zone)
{
	const struct pgm_pglist_data *pgdat = zone->zone_pgdat;

	return pgm_zone_names[zone - pgdat->node_zones];
}

/* Call @print for each zone of @pgdat with its zone lock held */
static void pgm_walk_zones_in_node(struct seq_file *m,
				   struct pgm_pglist_data *pgdat,
				   bool populated_only,
				   void (*print)(struct seq_file *m,
						 struct pgm_pglist_data *pgdat,
						 struct pgm_zone *zone))
{
	struct pgm_zone *zone;
	unsigned long flags;

	for (zone = pgdat->node_zones;
	     zone < pgdat->node_zones + PGM_MAX_NR_ZONES; zone++) {
		if (populated_only && !pgm_populated_zone(zone))
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		print(m, pgdat, zone);
		spin_unlock_irqrestore(&zone->lock, flags);
	}
}

/* ========================= per-CPU deltas ========================= */

/*
 * calculate_normal_threshold(): the drift each pcp CPU may keep grows
 * with the CPUs and with the zone's memory, in 128 MiB units; 125 at most.
 * At @boot (smp_init()) a zone's CMA pages are not managed yet: they join
 * at cma_init_reserved_areas().
 */
static int calculate_normal_threshold(struct pgm_zone *zone, bool boot)
{
	unsigned long managed = pgm_zone_managed_pages(zone);
	int mem = (managed - (boot ? min(managed, zone->cma_pages) : 0)) >>
		  (27 - PAGE_SHIFT);
	int threshold = 2 * fls(zone->inst->nr_cpus) * (1 + fls(mem));

	return min(125, threshold);
}

/*
 * calculate_pressure_threshold(): small enough that the drift of every
 * CPU together cannot carry a zone from low past min unseen
 */
static int calculate_pressure_threshold(struct pgm_zone *zone)
{
	int distance = pgm_low_wmark_pages(zone) - pgm_min_wmark_pages(zone);
	int threshold = max(1, distance / (int)zone->inst->nr_cpus);

	return min(125, threshold);
}

/*
 * zero_zones_numa_counters(): every CPU's NUMA events in every zone. A
 * CPU counting meanwhile may keep its count, as upstream's may.
 */
static void pgm_zero_numa_counters(struct pgm_instance *inst)
{
	struct pgm_zone *zone;
	int cpu;

	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone)) {
		if (!zone->per_cpu_zonestats)
			continue;
		for_each_possible_cpu(cpu)
			memset(per_cpu_ptr(zone->per_cpu_zonestats, cpu)->vm_numa_event,
			       0, sizeof_field(struct pgm_per_cpu_zonestat,
					       vm_numa_event));
	}
}

/**
 * pgm_set_numa_stat - sysctl_vm_numa_stat_handler(): vm.numa_stat
 * @inst: the instance
 * @on: 1 counts the NUMA events (upstream's default), 0 stops them
 *
 * Turning the counters off clears them, as invalid_numa_statistics()
 * does; on again, they count from there. Writing the value already set
 * changes nothing.
 *
 * Return: 0.
 */
int pgm_set_numa_stat(struct pgm_instance *inst, int on)
{
	mutex_lock(&inst->tunables_lock);
	if (inst->tun.numa_stat != !!on) {
		WRITE_ONCE(inst->tun.numa_stat, !!on);
		if (!on)
			pgm_zero_numa_counters(inst);
	}
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

static void refresh_zone_stat_thresholds(struct pgm_instance *inst,
					 bool boot)
{
	struct pgm_zone *zone;
	unsigned int nid;

	for (nid = 0; nid < inst->nr_nodes; nid++)
		WRITE_ONCE(inst->node_data[nid].stat_threshold, 0);
	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone)) {
		struct pgm_pglist_data *pgdat = zone->zone_pgdat;
		unsigned long max_drift, tolerate_drift;
		int threshold;

		if (!pgm_populated_zone(zone))
			continue;
		threshold = calculate_normal_threshold(zone, boot);
		WRITE_ONCE(zone->stat_threshold, threshold);
		/* The node's follows its largest populated zone */
		WRITE_ONCE(pgdat->stat_threshold,
			   max(threshold, pgdat->stat_threshold));
		tolerate_drift = pgm_low_wmark_pages(zone) -
				 pgm_min_wmark_pages(zone);
		max_drift = inst->nr_cpus * threshold;
		if (max_drift > tolerate_drift)
			zone->percpu_drift_mark = pgm_high_wmark_pages(zone) +
						  max_drift;
	}
}

/**
 * pgm_refresh_zone_stat_thresholds - refresh_zone_stat_thresholds()
 * @inst: the instance
 *
 * Every populated zone gets the normal threshold, and a drift mark when
 * the drift of all its pcp CPUs could exceed the gap between low and min;
 * as upstream, a mark is never cleared. Each node gets the largest of its
 * populated zones' thresholds.
 */
void pgm_refresh_zone_stat_thresholds(struct pgm_instance *inst)
{
	refresh_zone_stat_thresholds(inst, false);
}

/**
 * pgm_boot_zone_stat_thresholds - the refreshes of CPUs coming online
 * @inst: the instance, being created: no watermark yet
 *
 * vmstat_cpu_online() at smp_init(), before the watermarks and before
 * the CMA areas are given to the buddy.
 */
void pgm_boot_zone_stat_thresholds(struct pgm_instance *inst)
{
	refresh_zone_stat_thresholds(inst, true);
}

/**
 * pgm_set_pgdat_percpu_threshold - set_pgdat_percpu_threshold()
 * @pgdat: the node
 * @pressure: the pressure threshold (kswapd awake), else the normal one
 *
 * Only zones with a drift mark change: elsewhere no drift can matter.
 */
void pgm_set_pgdat_percpu_threshold(struct pgm_pglist_data *pgdat,
				    bool pressure)
{
	int i;

	for (i = 0; i < pgdat->nr_zones; i++) {
		struct pgm_zone *zone = &pgdat->node_zones[i];

		if (!zone->percpu_drift_mark)
			continue;
		WRITE_ONCE(zone->stat_threshold,
			   pressure ? calculate_pressure_threshold(zone) :
				      calculate_normal_threshold(zone, false));
	}
}

/**
 * pgm_fold_zone_stat_diffs - refresh_cpu_vm_stats()'s fold for one pcp CPU
 * @zone: the zone
 * @cpu: the pcp CPU
 * @global: if not NULL, each item's delta is added to it, as upstream sums
 *	a CPU's deltas over its zones for fold_diff()
 *
 * Return: true if the CPU had a delta to fold in.
 */
bool pgm_fold_zone_stat_diffs(struct pgm_zone *zone, unsigned int cpu,
			      int *global)
{
	unsigned long flags;
	bool folded = false;
	int i;

	spin_lock_irqsave(&zone->lock, flags);
	for (i = 0; i < PGM_NR_VM_ZONE_STAT_ITEMS; i++) {
		int v = zone->vm_stat_diff[cpu][i];

		if (!v)
			continue;
		zone->vm_stat_diff[cpu][i] = 0;
		pgm_mod_zone_page_state(zone, i, v);
		if (global)
			global[i] += v;
		folded = true;
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return folded;
}

/**
 * pgm_zone_watermark_ok - zone_watermark_ok(): the check without reserves
 * @zone: the zone
 * @order: the order
 * @mark: the watermark
 * @highest_zoneidx: the request's highest zone
 *
 * With no alloc_flags and the zone's global free count, as reclaim and
 * compaction ask it.
 *
 * Return: whether the zone meets @mark for @order.
 */
bool pgm_zone_watermark_ok(struct pgm_zone *zone, unsigned int order,
			   unsigned long mark, int highest_zoneidx)
{
	return pgm___zone_watermark_ok(zone, order, mark, highest_zoneidx, 0,
				       pgm_zone_page_state(zone,
							   PGM_NR_FREE_PAGES));
}

/**
 * pgm_zone_watermark_ok_safe - zone_watermark_ok_safe()
 * @zone: the zone
 * @order: the order
 * @mark: the watermark
 * @highest_zoneidx: the request's highest zone
 *
 * Below the drift mark the free count is a snapshot with every pcp CPU's
 * delta, which the fast path's check does not take.
 *
 * Return: whether the zone meets @mark for @order.
 */
bool pgm_zone_watermark_ok_safe(struct pgm_zone *zone, unsigned int order,
				unsigned long mark, int highest_zoneidx)
{
	long free = pgm_zone_page_state(zone, PGM_NR_FREE_PAGES);

	if (zone->percpu_drift_mark && free < zone->percpu_drift_mark)
		free = pgm_zone_page_state_snapshot(zone, PGM_NR_FREE_PAGES,
						    zone->inst->nr_cpus);
	return pgm___zone_watermark_ok(zone, order, mark, highest_zoneidx, 0,
				       free);
}

/* ========================= buddyinfo ========================= */

static void pgm_frag_show_print(struct seq_file *m,
				struct pgm_pglist_data *pgdat,
				struct pgm_zone *zone)
{
	int order;

	seq_printf(m, "Node %d, zone %8s ", pgdat->node_id,
		   pgm_zone_name(zone));
	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++)
		seq_printf(m, "%6lu ", zone->free_area[order].nr_free);
	seq_putc(m, '\n');
}

/**
 * pgm_buddyinfo_show() - print the instance's buddyinfo
 * @m: the seq_file; m->private is the struct pgm_instance
 * @v: unused
 *
 * One line per populated zone, as /proc/buddyinfo prints them.
 *
 * Return: 0.
 */
int pgm_buddyinfo_show(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;
	unsigned int nid;

	for (nid = 0; nid < inst->nr_nodes; nid++)
		pgm_walk_zones_in_node(m, &inst->node_data[nid], true,
				       pgm_frag_show_print);
	return 0;
}

/* ========================= pagetypeinfo ========================= */

/*
 * Free blocks per migratetype and order. The zone lock is taken per list
 * rather than per zone so that cond_resched() can run between the walks.
 */
static void pgm_pagetypeinfo_showfree_zone(struct seq_file *m,
					   struct pgm_pglist_data *pgdat,
					   struct pgm_zone *zone)
{
	int order, mt;

	for (mt = 0; mt < PGM_MIGRATE_TYPES; mt++) {
		seq_printf(m, "Node %4d, zone %8s, type %12s ",
			   pgdat->node_id, pgm_zone_name(zone),
			   pgm_migratetype_names[mt]);
		for (order = 0; order < PGM_NR_PAGE_ORDERS; order++) {
			struct pgm_list *list;
			struct pgm_page *curr;
			unsigned long freecount = 0;
			bool overflow = false;
			unsigned long flags;

			list = &zone->free_area[order].free_list[mt];
			spin_lock_irqsave(&zone->lock, flags);
			for (curr = pgm_list_first(pgdat->inst->memmap,
						   list);
			     curr; curr = pgm_list_next(pgdat->inst->memmap, curr)) {
				if (++freecount >= PGM_FREECOUNT_CAP) {
					overflow = true;
					break;
				}
			}
			spin_unlock_irqrestore(&zone->lock, flags);
			seq_printf(m, "%s%6lu ", overflow ? ">" : "", freecount);
			cond_resched();
		}
		seq_putc(m, '\n');
	}
}

static void pgm_pagetypeinfo_showblockcount_print(struct seq_file *m,
						  struct pgm_pglist_data *pgdat,
						  struct pgm_zone *zone)
{
	struct pgm_instance *inst = m->private;
	unsigned long count[PGM_MIGRATE_TYPES] = { 0 };
	unsigned long pfn, end_pfn = pgm_zone_end_pfn(zone);
	int mt;

	for (pfn = zone->zone_start_pfn; pfn < end_pfn;
	     pfn += PGM_PAGEBLOCK_NR_PAGES) {
		if (pgm_page_zone(inst, pgm_pfn_to_page(inst, pfn)) != zone)
			continue;
		mt = pgm_get_pfnblock_migratetype(inst, pfn);
		if (mt >= 0 && mt < PGM_MIGRATE_TYPES)
			count[mt]++;
	}

	seq_printf(m, "Node %d, zone %8s ", pgdat->node_id,
		   pgm_zone_name(zone));
	for (mt = 0; mt < PGM_MIGRATE_TYPES; mt++)
		seq_printf(m, "%12lu ", count[mt]);
	seq_putc(m, '\n');
}

static void pgm_pagetypeinfo_show_node(struct seq_file *m,
				       struct pgm_pglist_data *pgdat)
{
	struct pgm_zone *zone;
	int order, mt;

	/* A memoryless node prints nothing, as upstream */
	if (!pgdat->node_present_pages)
		return;

	seq_printf(m, "Page block order: %d\n", PGM_PAGEBLOCK_ORDER);
	seq_printf(m, "Pages per block:  %lu\n", PGM_PAGEBLOCK_NR_PAGES);
	seq_putc(m, '\n');

	seq_printf(m, "%-43s ", "Free pages count per migrate type at order");
	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++)
		seq_printf(m, "%6d ", order);
	seq_putc(m, '\n');
	for (zone = pgdat->node_zones;
	     zone < pgdat->node_zones + PGM_MAX_NR_ZONES; zone++)
		if (pgm_populated_zone(zone))
			pgm_pagetypeinfo_showfree_zone(m, pgdat, zone);

	seq_printf(m, "\n%-23s", "Number of blocks type ");
	for (mt = 0; mt < PGM_MIGRATE_TYPES; mt++)
		seq_printf(m, "%12s ", pgm_migratetype_names[mt]);
	seq_putc(m, '\n');
	pgm_walk_zones_in_node(m, pgdat, true,
			       pgm_pagetypeinfo_showblockcount_print);
}

/**
 * pgm_pagetypeinfo_show() - print the instance's pagetypeinfo
 * @m: the seq_file; m->private is the struct pgm_instance
 * @v: unused
 *
 * Per node, as /proc/pagetypeinfo prints it: the pageblock size, the free
 * blocks per migratetype and order, and the pageblocks per migratetype.
 * The "Number of mixed blocks" table needs page_owner and is left out, as
 * upstream leaves it out without it.
 *
 * Return: 0.
 */
int pgm_pagetypeinfo_show(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;
	unsigned int nid;

	for (nid = 0; nid < inst->nr_nodes; nid++)
		pgm_pagetypeinfo_show_node(m, &inst->node_data[nid]);
	return 0;
}

/* ========================= zoneinfo ========================= */

/* One "        name     value" line of the watermark block */
static void pgm_zoneinfo_field(struct seq_file *m, const char *name,
			       unsigned long val)
{
	seq_printf(m, "\n        %-8s %lu", name, val);
}

static bool pgm_is_zone_first_populated(struct pgm_pglist_data *pgdat,
					struct pgm_zone *zone)
{
	struct pgm_zone *z;

	for (z = pgdat->node_zones; z < pgdat->node_zones + PGM_MAX_NR_ZONES;
	     z++)
		if (pgm_populated_zone(z))
			return z == zone;
	return false;
}

static void pgm_zoneinfo_show_print(struct seq_file *m,
				    struct pgm_pglist_data *pgdat,
				    struct pgm_zone *zone)
{
	struct pgm_instance *inst = m->private;
	unsigned int cpu;
	int i;

	seq_printf(m, "Node %d, zone %8s", pgdat->node_id,
		   pgm_zone_name(zone));
	if (pgm_is_zone_first_populated(pgdat, zone)) {
		seq_puts(m, "\n  per-node stats");
		for (i = 0; i < PGM_NR_VM_NODE_STAT_ITEMS; i++)
			seq_printf(m, "\n      %-12s %lu",
				   pgm_node_stat_names[i],
				   pgm_node_page_state(pgdat, i));
	}
	seq_printf(m, "\n  pages free     %lu",
		   pgm_zone_page_state(zone, PGM_NR_FREE_PAGES));
	pgm_zoneinfo_field(m, "boost", zone->watermark_boost);
	pgm_zoneinfo_field(m, "min", pgm_min_wmark_pages(zone));
	pgm_zoneinfo_field(m, "low", pgm_low_wmark_pages(zone));
	pgm_zoneinfo_field(m, "high", pgm_high_wmark_pages(zone));
	pgm_zoneinfo_field(m, "promo", pgm_promo_wmark_pages(zone));
	pgm_zoneinfo_field(m, "spanned", zone->spanned_pages);
	pgm_zoneinfo_field(m, "present", zone->present_pages);
	pgm_zoneinfo_field(m, "managed", pgm_zone_managed_pages(zone));
	pgm_zoneinfo_field(m, "cma", zone->cma_pages);

	seq_printf(m, "\n        protection: (%ld", zone->lowmem_reserve[0]);
	for (i = 1; i < PGM_MAX_NR_ZONES; i++)
		seq_printf(m, ", %ld", zone->lowmem_reserve[i]);
	/*
	 * The host's ZONE_DEVICE column: it adds no pages to the sum a lower
	 * zone divides by its ratio, so it repeats Movable's; Movable's own
	 * is 0 for the same reason.
	 */
	seq_printf(m, ", %ld)", zone->idx < PGM_ZONE_MOVABLE ?
		   zone->lowmem_reserve[PGM_ZONE_MOVABLE] : 0);

	/* Nothing else means anything for an empty zone */
	if (!pgm_populated_zone(zone)) {
		seq_putc(m, '\n');
		return;
	}

	/* In upstream's order: the LRU counters come between these two */
	seq_printf(m, "\n      %-12s %lu", pgm_zone_stat_names[PGM_NR_FREE_PAGES],
		   pgm_zone_page_state(zone, PGM_NR_FREE_PAGES));
	for (i = 0; i < PGM_NR_ZONE_LRU_ITEMS; i++) {
		long x = READ_ONCE(zone->nr_zone_lru[i]);

		seq_printf(m, "\n      %-12s %ld", pgm_zone_lru_stat_names[i],
			   max(x, 0L));
	}
	/*
	 * Nothing is mlocked, bounced, in zsmalloc or unaccepted here; the
	 * last two are Debian's config (ZSMALLOC, UNACCEPTED_MEMORY)
	 */
	seq_printf(m, "\n      %-12s %d\n      %-12s %d\n      %-12s %d",
		   "nr_mlock", 0, "nr_bounce", 0, "nr_zspages", 0);
	seq_printf(m, "\n      %-12s %lu\n      %-12s %d",
		   pgm_zone_stat_names[PGM_NR_FREE_CMA_PAGES],
		   pgm_zone_page_state(zone, PGM_NR_FREE_CMA_PAGES),
		   "nr_unaccepted", 0);
	for (i = 0; i < PGM_NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(m, "\n      %-12s %lu", pgm_numa_event_names[i],
			   pgm_zone_numa_event_state(zone, i));

	seq_puts(m, "\n  pagesets");
	for (cpu = 0; cpu < inst->nr_cpus; cpu++) {
		struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		/* A racy snapshot: the pcp lock is not taken, as upstream */
		seq_printf(m, "\n    cpu: %u", cpu);
		seq_printf(m, "\n              count: %i", READ_ONCE(pcp->count));
		seq_printf(m, "\n              high:  %i", READ_ONCE(pcp->high));
		seq_printf(m, "\n              batch: %i", READ_ONCE(pcp->batch));
		seq_printf(m, "\n  vm stats threshold: %d",
			   READ_ONCE(zone->stat_threshold));
	}
	/* kswapd gave up on the node */
	seq_printf(m, "\n  node_unreclaimable:  %u",
		   READ_ONCE(pgdat->kswapd_failures) >= PGM_MAX_RECLAIM_RETRIES);
	seq_printf(m, "\n  start_pfn:           %lu", zone->zone_start_pfn);
	seq_putc(m, '\n');
}

/*
 * The host (x86_64, CONFIG_ZONE_DEVICE) has a fifth zone, always empty
 * here: print it as /proc/zoneinfo does, so a parser of the host's file
 * reads this one unchanged.
 */
static void pgm_zoneinfo_show_device(struct seq_file *m, unsigned int nid)
{
	static const char * const fields[] = {
		"boost", "min", "low", "high", "promo", "spanned", "present",
		"managed", "cma",
	};
	unsigned int i;

	seq_printf(m, "Node %u, zone %8s", nid, "Device");
	seq_printf(m, "\n  pages free     %lu", 0UL);
	for (i = 0; i < ARRAY_SIZE(fields); i++)
		pgm_zoneinfo_field(m, fields[i], 0);
	seq_puts(m, "\n        protection: (0, 0, 0, 0, 0)\n");
}

/**
 * pgm_zoneinfo_show() - print the instance's zoneinfo
 * @m: the seq_file; m->private is the struct pgm_instance
 * @v: unused
 *
 * Every zone of every node, populated or not, as /proc/zoneinfo prints
 * them: the effect of lowmem_reserve_ratio shows on empty zones too. The
 * host's five zones (Device last) and five protection columns.
 *
 * Return: 0.
 */
int pgm_zoneinfo_show(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;
	unsigned int nid;

	for (nid = 0; nid < inst->nr_nodes; nid++) {
		pgm_walk_zones_in_node(m, &inst->node_data[nid], false,
				       pgm_zoneinfo_show_print);
		pgm_zoneinfo_show_device(m, nid);
	}
	return 0;
}

/* ========================= fragmentation ========================= */

/* What the free lists hold, as seen by a request of suitable_order */
struct contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

static void fill_contig_page_info(struct pgm_zone *zone,
				  unsigned int suitable_order,
				  struct contig_page_info *info)
{
	unsigned int order;

	memset(info, 0, sizeof(*info));
	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++) {
		/* Read without the zone lock: an estimate, as upstream */
		unsigned long blocks = data_race(zone->free_area[order].nr_free);

		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable += blocks <<
						(order - suitable_order);
	}
}

/* 0..1000: towards 0 a failure is for lack of memory, towards 1000 for
 * fragmentation; -1000 when a block is free, so nothing would fail
 */
static int __fragmentation_index(unsigned int order,
				 const struct contig_page_info *info)
{
	unsigned long requested = 1UL << order;

	if (WARN_ON_ONCE(order > PGM_MAX_PAGE_ORDER))
		return 0;
	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return 1000 - div_u64(1000 + div_u64(info->free_pages * 1000ULL,
					     requested),
			      info->free_blocks_total);
}

/**
 * pgm_fragmentation_index() - fragmentation_index() of a zone for @order
 * @zone: the zone
 * @order: the order an allocation failed at
 *
 * Return: 0 when nothing is free, -1000 when a block of @order is free,
 * else 1000 - (1000 + free_pages * 1000 / 2^order) / free_blocks: towards
 * 0 a failure is for lack of memory, towards 1000 for fragmentation.
 */
int pgm_fragmentation_index(struct pgm_zone *zone, unsigned int order)
{
	struct contig_page_info info;

	fill_contig_page_info(zone, order, &info);
	return __fragmentation_index(order, &info);
}

/**
 * pgm_extfrag_for_order() - extfrag_for_order(): percent of the free pages
 * in blocks below @order
 * @zone: the zone
 * @order: the order
 *
 * Return: 0..100, 0 when nothing is free.
 */
unsigned int pgm_extfrag_for_order(struct pgm_zone *zone, unsigned int order)
{
	struct contig_page_info info;

	fill_contig_page_info(zone, order, &info);
	if (!info.free_pages)
		return 0;
	return div64_u64((info.free_pages -
			  (info.free_blocks_suitable << order)) * 100,
			 info.free_pages);
}

/* The share of free memory in blocks too small for @order, 0..1000 */
static int unusable_free_index(unsigned int order,
			       const struct contig_page_info *info)
{
	/* Nothing free: all of it is unusable */
	if (!info->free_pages)
		return 1000;
	return div_u64((info->free_pages -
			(info->free_blocks_suitable << order)) * 1000ULL,
		       info->free_pages);
}

/* The per-node debugfs files upstream has, for every node of the instance */
static void pgm_walk_populated_zones(struct seq_file *m,
				     void (*print)(struct seq_file *m,
						   struct pgm_pglist_data *pgdat,
						   struct pgm_zone *zone))
{
	struct pgm_instance *inst = m->private;
	unsigned int nid;

	for (nid = 0; nid < inst->nr_nodes; nid++)
		pgm_walk_zones_in_node(m, &inst->node_data[nid], true, print);
}

/* One line of unusable_index or extfrag_index, as upstream prints them */
static void pgm_index_show_print(struct seq_file *m,
				 struct pgm_pglist_data *pgdat,
				 struct pgm_zone *zone, bool fragmentation)
{
	struct contig_page_info info;
	unsigned int order;
	int index;

	seq_printf(m, "Node %d, zone %8s ", pgdat->node_id,
		   pgm_zone_name(zone));
	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++) {
		fill_contig_page_info(zone, order, &info);
		index = fragmentation ? __fragmentation_index(order, &info) :
					unusable_free_index(order, &info);
		/* extfrag's -1000 prints as -1.000 in its wider column */
		seq_printf(m, fragmentation ? "%2d.%03d " : "%d.%03d ",
			   index / 1000, index % 1000);
	}
	seq_putc(m, '\n');
}

static void unusable_show_print(struct seq_file *m,
				struct pgm_pglist_data *pgdat,
				struct pgm_zone *zone)
{
	pgm_index_show_print(m, pgdat, zone, false);
}

static void extfrag_show_print(struct seq_file *m,
			       struct pgm_pglist_data *pgdat,
			       struct pgm_zone *zone)
{
	pgm_index_show_print(m, pgdat, zone, true);
}

/**
 * pgm_unusable_show() - print unusable_index, as debugfs extfrag/ does
 * @m: the seq_file; m->private is the struct pgm_instance
 * @v: unused
 *
 * Per populated zone, for each order: the share of free pages in blocks
 * smaller than the order, 0.000 to 1.000.
 *
 * Return: 0.
 */
int pgm_unusable_show(struct seq_file *m, void *v)
{
	pgm_walk_populated_zones(m, unusable_show_print);
	return 0;
}

/**
 * pgm_extfrag_show() - print extfrag_index, as debugfs extfrag/ does
 * @m: the seq_file; m->private is the struct pgm_instance
 * @v: unused
 *
 * Per populated zone, for each order: fragmentation_index(), -1.000 where
 * a block of that order is free.
 *
 * Return: 0.
 */
int pgm_extfrag_show(struct seq_file *m, void *v)
{
	pgm_walk_populated_zones(m, extfrag_show_print);
	return 0;
}

/* ========================= pageblocks ========================= */

/*
 * The pages of the pageblock at @start on its zone's buddy free lists,
 * from the blocks themselves rather than the lists: bounded by the block
 * and by no link. Callers hold @zone's lock.
 */
static unsigned int pgm_pageblock_free(struct pgm_instance *inst,
				       struct pgm_zone *zone,
				       unsigned long start)
{
	unsigned long pfn, end = start + PGM_PAGEBLOCK_NR_PAGES;
	unsigned int order, nr = 0;
	struct pgm_page *page;

	/* A free block above pageblock order may start before this one */
	for (order = PGM_PAGEBLOCK_ORDER + 1; order < PGM_NR_PAGE_ORDERS;
	     order++) {
		pfn = ALIGN_DOWN(start, 1UL << order);
		page = pgm_pfn_to_page(inst, pfn);
		if (pgm_zone_spans_pfn(zone, pfn) && pgm_page_buddy(page) &&
		    pgm_buddy_order(page) >= order)
			return PGM_PAGEBLOCK_NR_PAGES;
	}
	for (pfn = start; pfn < end;) {
		page = pgm_pfn_to_page(inst, pfn);
		order = page->private;
		/* Free, cached and allocated blocks are stepped over whole */
		if (!(page->flags & (PGM_PG_BUDDY | PGM_PG_PCP | PGM_PG_HEAD)) ||
		    order > PGM_MAX_PAGE_ORDER)
			order = 0;
		if (pgm_page_buddy(page))
			nr += min(1UL << order, end - pfn);
		pfn += 1UL << order;
	}
	return nr;
}

/* The header, then one record per pageblock: v is its index plus 1 */
static void *pgm_pageblocks_start(struct seq_file *m, loff_t *pos)
{
	struct pgm_instance *inst = m->private;

	if (*pos > inst->nr_pages >> PGM_PAGEBLOCK_ORDER)
		return NULL;
	return (void *)(uintptr_t)(*pos + 1);
}

static void *pgm_pageblocks_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return pgm_pageblocks_start(m, pos);
}

static void pgm_pageblocks_stop(struct seq_file *m, void *v)
{
}

/*
 * Each block is read under its zone's lock on its own, so a read of a
 * huge instance holds the lock, with interrupts off, for one block at a
 * time, and a buffer that fills is refilled from the block it stopped at
 */
static int pgm_pageblocks_show(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;
	unsigned long pos = (uintptr_t)v - 1, pfn, flags;
	unsigned int free;
	struct pgm_zone *zone;
	int mt;

	if (!pos) {
		seq_puts(m, "pfn zone migratetype free\n");
		return 0;
	}
	pfn = (pos - 1) << PGM_PAGEBLOCK_ORDER;
	zone = pgm_page_zone(inst, pgm_pfn_to_page(inst, pfn));
	spin_lock_irqsave(&zone->lock, flags);
	free = pgm_pageblock_free(inst, zone, pfn);
	mt = pgm_get_pfnblock_migratetype(inst, pfn);
	spin_unlock_irqrestore(&zone->lock, flags);
	seq_printf(m, "%lu %s %s %u\n", pfn, pgm_zone_names[zone->idx],
		   pgm_migratetype_names[mt], free);
	cond_resched();
	return 0;
}

/*
 * pageblocks: ``pfn zone migratetype free`` per pageblock, the block's
 * first pfn, its zone, its pageblock migratetype and how many of its
 * pages are on a buddy free list (pcp pages are not counted), for
 * pictures of the instance
 */
const struct seq_operations pgm_pageblocks_sops = {
	.start	= pgm_pageblocks_start,
	.next	= pgm_pageblocks_next,
	.stop	= pgm_pageblocks_stop,
	.show	= pgm_pageblocks_show,
};

/* ========================= stats ========================= */

/**
 * pgm_stats_show() - print the instance's counters
 * @m: the seq_file; m->private is the struct pgm_instance
 * @v: unused
 *
 * "name value" lines as /proc/vmstat prints them: the pgalloc and pgfree
 * events, the NUMA events summed over zones, the mirror's own events, the
 * free page counts summed over zones, and the bytes of metadata that
 * scale with the instance's pages.
 *
 * Return: 0.
 */
int pgm_stats_show(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;
	unsigned long numa[PGM_NR_VM_NUMA_EVENT_ITEMS] = { 0 };
	long zstat[PGM_NR_VM_ZONE_STAT_ITEMS] = { 0 };
	struct pgm_zone *zone;
	size_t memmap, blocks;
	int i;

	for (zone = pgm_first_zone(inst); zone;
	     zone = pgm_next_zone(inst, zone)) {
		for (i = 0; i < PGM_NR_VM_NUMA_EVENT_ITEMS; i++)
			numa[i] += pgm_zone_numa_event_state(zone, i);
		for (i = 0; i < PGM_NR_VM_ZONE_STAT_ITEMS; i++)
			/*
			 * global_zone_page_state(): the zones' counters summed
			 * as they are, then clamped once, so that one zone's
			 * negative drift cancels another's surplus
			 */
			zstat[i] += atomic_long_read(&zone->vm_stat[i]);
	}

	for (i = 0; i <= PGM_PGFREE; i++)
		seq_printf(m, "%s %lu\n", pgm_vm_event_names[i],
			   pgm_sum_vm_event(inst, i));
	for (i = 0; i < PGM_NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(m, "%s %lu\n", pgm_numa_event_names[i], numa[i]);
	for (i = PGM_PGFREE + 1; i < PGM_NR_VM_EVENT_ITEMS; i++)
		seq_printf(m, "%s %lu\n", pgm_vm_event_names[i],
			   pgm_sum_vm_event(inst, i));
	for (i = 0; i < PGM_NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(m, "%s %ld\n", pgm_zone_stat_names[i],
			   max(zstat[i], 0L));
	/* What scales with the instance's size: the memmap and the pageblock bits */
	memmap = array_size(inst->nr_pages, sizeof(*inst->memmap));
	blocks = BITS_TO_LONGS((inst->nr_pages >> PGM_PAGEBLOCK_ORDER) * 4) *
		 sizeof(unsigned long);
	seq_printf(m, "memmap_bytes %zu\n", memmap);
	seq_printf(m, "pageblock_flags_bytes %zu\n", blocks);
	seq_printf(m, "metadata_bytes %zu\n", memmap + blocks);
	return 0;
}
