// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the mirror of mm/mm_init.c.
 *
 * Builds an instance from a topology: the memmap, the pageblock bits, the
 * nodes and zones, the zonelists, the initial free lists, the watermarks
 * and the pcp sizes. Destroys it again.
 */

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/cpumask.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/workqueue.h>
#include <asm/cpufeature.h>

#include "pgmirror.h"
#include "lru.h"
#include "compaction.h"
#include "explain.h"

static const int default_lowmem_reserve_ratio[PGM_MAX_NR_ZONES] = {
	[PGM_ZONE_DMA] = 256,
	[PGM_ZONE_DMA32] = 256,
	[PGM_ZONE_NORMAL] = 32,
	[PGM_ZONE_MOVABLE] = 0,
};

/**
 * pgm_topology_default - upstream's defaults for a one-node topology
 * @topo: filled with one empty node, SLIT distances 10/20, one pcp CPU per
 *	online CPU and the default sysctl values; zone sizes are left 0
 */
void pgm_topology_default(struct pgm_topology *topo)
{
	int i, j;

	memset(topo, 0, sizeof(*topo));
	topo->nr_nodes = 1;
	for (i = 0; i < PGM_MAX_NUMNODES; i++)
		for (j = 0; j < PGM_MAX_NUMNODES; j++)
			topo->distance[i][j] = i == j ? 10 : 20;
	topo->nr_cpus = clamp_t(unsigned int, num_online_cpus(), 1,
				PGM_MAX_CPUS);
	topo->tun.min_free_kbytes = 0;
	topo->tun.user_min_free_kbytes = -1;
	topo->tun.watermark_scale_factor = PGM_WATERMARK_SCALE_FACTOR;
	topo->tun.watermark_boost_factor = 15000;
	memcpy(topo->tun.lowmem_reserve_ratio, default_lowmem_reserve_ratio,
	       sizeof(default_lowmem_reserve_ratio));
	topo->tun.percpu_pagelist_high_fraction = 0;
	topo->tun.node_reclaim_mode = 0;
	topo->tun.min_unmapped_ratio = 1;
	topo->tun.min_slab_ratio = 5;
	topo->tun.dirty_ratio = 20;
	topo->tun.group_by_mobility = 1;
	topo->tun.alloc_nofragment = 1;
	topo->tun.highatomic = 1;
	topo->tun.pcp = 1;
	topo->tun.claim_threshold = PGM_PAGEBLOCK_NR_PAGES / 2;
	topo->tun.kswapd = 1;
	topo->tun.direct_reclaim = 1;
	topo->tun.direct_compaction = 1;
	topo->tun.compaction_proactiveness = 20;
	topo->tun.extfrag_threshold = PGM_EXTFRAG_THRESHOLD;
	topo->tun.kcompactd = 1;
	topo->tun.numa_stat = 1;
	topo->tun.transparent_hugepage = PGM_THP_NONE;
	memcpy(topo->tun.fallbacks, pgm_fallbacks, sizeof(pgm_fallbacks));
}

/* The zone CMA is carved from: node 0's highest populated non-movable zone */
static int cma_zone(const struct pgm_topology *topo)
{
	int z;

	for (z = PGM_ZONE_NORMAL; z >= PGM_ZONE_DMA; z--)
		if (topo->zone_pages[0][z])
			return z;
	return -1;
}

/* Checks a topology and sums its pages, without letting the sum wrap */
static int validate_topology(const struct pgm_topology *topo,
			     unsigned long *nr_pages, char *err, size_t errlen)
{
	const struct pgm_tunables *tun = &topo->tun;
	unsigned long sum = 0;
	unsigned int n, m;
	int z;

	if (topo->nr_nodes < 1 || topo->nr_nodes > PGM_MAX_NUMNODES) {
		snprintf(err, errlen, "nodes=%u is outside 1..%d",
			 topo->nr_nodes, PGM_MAX_NUMNODES);
		return -EINVAL;
	}
	if (topo->nr_cpus < 1 || topo->nr_cpus > PGM_MAX_CPUS) {
		snprintf(err, errlen, "nr_cpus=%u is outside 1..%d",
			 topo->nr_cpus, PGM_MAX_CPUS);
		return -EINVAL;
	}
	for (n = 0; n < topo->nr_nodes; n++) {
		unsigned long total = 0;

		for (z = 0; z < PGM_MAX_NR_ZONES; z++) {
			unsigned long pages = topo->zone_pages[n][z];

			if (pages % PGM_PAGEBLOCK_NR_PAGES) {
				snprintf(err, errlen,
					 "node %u zone %s: %lu pages is not a multiple of a pageblock (%lu pages)",
					 n, pgm_zone_names[z], pages,
					 PGM_PAGEBLOCK_NR_PAGES);
				return -EINVAL;
			}
			if (check_add_overflow(total, pages, &total))
				goto too_big;
		}
		if (!total) {
			snprintf(err, errlen, "node %u has no memory", n);
			return -EINVAL;
		}
		if (check_add_overflow(sum, total, &sum) ||
		    sum > PGM_MAX_NR_PAGES)
			goto too_big;
		for (m = 0; m < topo->nr_nodes; m++) {
			int d = topo->distance[n][m];

			if (n == m ? d != 10 : (d <= 10 || d > 254)) {
				snprintf(err, errlen,
					 "distance %u->%u is %d: local must be 10, remote 11..254",
					 n, m, d);
				return -EINVAL;
			}
		}
	}
	if (topo->cma_pages) {
		z = cma_zone(topo);
		if (topo->cma_pages % PGM_PAGEBLOCK_NR_PAGES || z < 0 ||
		    topo->cma_pages > topo->zone_pages[0][z]) {
			snprintf(err, errlen,
				 "cma of %lu pages must be whole pageblocks inside node 0's highest non-movable zone",
				 topo->cma_pages);
			return -EINVAL;
		}
	}
	if (!pgm_min_free_kbytes_valid(tun->min_free_kbytes)) {
		snprintf(err, errlen,
			 "min_free_kbytes=%d is outside %d..%d (0 derives it)",
			 tun->min_free_kbytes, PGM_MIN_FREE_KBYTES_LO,
			 PGM_MIN_FREE_KBYTES_HI);
		return -EINVAL;
	}
	if (tun->watermark_boost_factor < 0 ||
	    tun->watermark_scale_factor < 1 ||
	    tun->watermark_scale_factor > 3000) {
		snprintf(err, errlen,
			 "watermark_boost_factor must be >= 0 and watermark_scale_factor 1..3000");
		return -EINVAL;
	}
	if (tun->per_cpu_data_slice_size < 0) {
		snprintf(err, errlen, "per_cpu_data_slice_size must not be negative");
		return -EINVAL;
	}
	if (tun->transparent_hugepage < PGM_THP_NONE ||
	    tun->transparent_hugepage >= PGM_NR_THP_MODES) {
		snprintf(err, errlen, "transparent_hugepage is never, madvise or always");
		return -EINVAL;
	}
	if (tun->percpu_pagelist_high_fraction < 0 ||
	    (tun->percpu_pagelist_high_fraction &&
	     tun->percpu_pagelist_high_fraction <
	     PGM_MIN_PERCPU_PAGELIST_HIGH_FRACTION)) {
		snprintf(err, errlen, "percpu_pagelist_high_fraction must be 0 or >= %d",
			 PGM_MIN_PERCPU_PAGELIST_HIGH_FRACTION);
		return -EINVAL;
	}
	if (tun->node_reclaim_mode & ~PGM_RECLAIM_MODE_MASK ||
	    tun->node_reclaim_mode < 0) {
		snprintf(err, errlen, "zone_reclaim_mode must be 0..7");
		return -EINVAL;
	}
	if (tun->min_unmapped_ratio < 0 || tun->min_unmapped_ratio > 100 ||
	    tun->min_slab_ratio < 0 || tun->min_slab_ratio > 100 ||
	    tun->dirty_ratio < 0 || tun->dirty_ratio > 100) {
		snprintf(err, errlen,
			 "min_unmapped_ratio, min_slab_ratio and dirty_ratio must be 0..100");
		return -EINVAL;
	}
	*nr_pages = sum;
	return 0;

too_big:
	snprintf(err, errlen, "the zones add up to more than %lu pages",
		 PGM_MAX_NR_PAGES);
	return -E2BIG;
}

static void per_cpu_pages_init(struct pgm_per_cpu_pages *pcp)
{
	unsigned int pindex;

	memset(pcp, 0, sizeof(*pcp));
	spin_lock_init(&pcp->lock);
	for (pindex = 0; pindex < PGM_NR_PCP_LISTS; pindex++)
		pgm_list_init(&pcp->lists[pindex]);

	/* The boot pageset: no caching until the zone is sized */
	pcp->high_min = 0;
	pcp->high_max = 0;
	pcp->batch = 1;
}

/* x86_64's PAGES_PER_SECTION: deferred_init_memmap()'s least chunk */
#define PGM_INIT_MIN_CHUNK	BIT(15)

/* Pages of template copied at a time: 4 KiB, which stays in the L1 */
#define PGM_INIT_PATTERN	256

/*
 * A template block of pages copied over the rest: gcc inlines the copy
 * as a string move (rep movsq), which on CPUs with fast strings (ERMS)
 * stores up to a cache line at a time where a loop stores 8 bytes
 */
static void init_memmap_copy(struct pgm_page *page, unsigned long nr,
			     const struct pgm_page *tmpl)
{
	unsigned long n = min_t(unsigned long, nr, PGM_INIT_PATTERN), done, i;

	for (i = 0; i < n; i++)
		page[i] = *tmpl;
	for (done = n; done < nr; done += n) {
		n = min_t(unsigned long, nr - done, PGM_INIT_PATTERN);
		memcpy(page + done, page, n * sizeof(*page));
	}
}

/*
 * Without fast strings a string move loads and stores each word, twice a
 * memset()'s accesses: the template's words go straight from registers
 * instead, four pages a step as memset_orig unrolls its stores
 */
static void init_memmap_stores(struct pgm_page *page, unsigned long nr,
			       const struct pgm_page *tmpl)
{
	const struct pgm_page t = *tmpl;
	unsigned long i;

	for (i = 0; i + 4 <= nr; i += 4) {
		page[i] = t;
		page[i + 1] = t;
		page[i + 2] = t;
		page[i + 3] = t;
	}
	for (; i < nr; i++)
		page[i] = t;
}

static bool init_memmap_by_copy(void)
{
#ifdef CONFIG_X86_64
	return boot_cpu_has(X86_FEATURE_ERMS);
#else
	return true;
#endif
}

/*
 * Every page of a zone starts the same: written a section at a time,
 * with a resched point after each, as deferred init has one a block
 */
static void init_memmap_range(struct pgm_page *page, unsigned long nr,
			      u8 zone_id)
{
	const struct pgm_page tmpl = { .zone_id = zone_id };
	bool copy = init_memmap_by_copy();
	unsigned long done, n;

	for (done = 0; done < nr; done += n) {
		n = min_t(unsigned long, nr - done, PGM_INIT_MIN_CHUNK);
		if (copy)
			init_memmap_copy(page + done, n, &tmpl);
		else
			init_memmap_stores(page + done, n, &tmpl);
		cond_resched();
	}
}

struct pgm_init_work {
	struct work_struct work;
	struct pgm_page *page;
	unsigned long nr;
	u8 zone_id;
};

static void init_memmap_work(struct work_struct *work)
{
	struct pgm_init_work *iw = container_of(work, struct pgm_init_work,
						work);

	init_memmap_range(iw->page, iw->nr, iw->zone_id);
}

/*
 * deferred_init_memmap() shares a node's memmap out through padata: the
 * caller and a helper per other CPU, unbound work items, chunks of at
 * least a section. padata's is __init, so the same split here. Only the
 * memmap is shared: the pages go to the buddy afterwards in pfn order,
 * so the free lists are those of a serial init.
 */
static void init_memmap(struct pgm_page *page, unsigned long nr, u8 zone_id)
{
	unsigned long nworks, chunk, i;
	struct pgm_init_work *iw = NULL;

	nworks = min_t(unsigned long, nr / PGM_INIT_MIN_CHUNK,
		       num_online_cpus());
	if (nworks > 1)
		iw = kcalloc(nworks - 1, sizeof(*iw), GFP_KERNEL | __GFP_NOWARN);
	/* Without helpers it is only slower */
	if (!iw)
		nworks = 1;
	chunk = roundup(DIV_ROUND_UP(nr, nworks), PGM_INIT_MIN_CHUNK);
	for (i = 0; i + 1 < nworks && (i + 1) * chunk < nr; i++) {
		iw[i].page = page + (i + 1) * chunk;
		iw[i].nr = min(chunk, nr - (i + 1) * chunk);
		iw[i].zone_id = zone_id;
		INIT_WORK(&iw[i].work, init_memmap_work);
		queue_work(system_unbound_wq, &iw[i].work);
	}
	init_memmap_range(page, min(chunk, nr), zone_id);
	while (i--)
		flush_work(&iw[i].work);
	kfree(iw);
}

/*
 * A set of pcps, one per pcp CPU, with the map from each host CPU to its
 * own and the per-CPU NUMA counters: a populated zone's, or the boot set
 * the empty ones share. Partly made on failure: pagesets_free() undoes it.
 */
static int pagesets_alloc(struct pgm_instance *inst,
			  struct pgm_per_cpu_pages **pagesetp,
			  struct pgm_per_cpu_pages ***pcp_ofp,
			  struct pgm_per_cpu_zonestat __percpu **statsp)
{
	struct pgm_per_cpu_pages *pageset, **pcp_of;
	unsigned int cpu;

	pageset = pgm_meta_calloc(inst->nr_cpus, sizeof(*pageset));
	*pagesetp = pageset;
	if (!pageset)
		return -ENOMEM;
	for (cpu = 0; cpu < inst->nr_cpus; cpu++) {
		per_cpu_pages_init(&pageset[cpu]);
		pageset[cpu].cpu = cpu;
	}
	pcp_of = pgm_meta_calloc(nr_cpu_ids, sizeof(*pcp_of));
	*pcp_ofp = pcp_of;
	if (!pcp_of)
		return -ENOMEM;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		pcp_of[cpu] = &pageset[inst->pcp_cpu_of[cpu]];
	*statsp = pgm_meta_alloc_percpu(struct pgm_per_cpu_zonestat);
	return *statsp ? 0 : -ENOMEM;
}

static void pagesets_free(struct pgm_per_cpu_pages *pageset,
			  struct pgm_per_cpu_pages **pcp_of,
			  struct pgm_per_cpu_zonestat __percpu *stats)
{
	pgm_meta_free(pcp_of);
	pgm_meta_free(pageset);
	pgm_meta_percpu_free(stats);
}

static int init_zone(struct pgm_instance *inst, struct pgm_pglist_data *pgdat,
		     enum pgm_zone_type idx, unsigned long start_pfn,
		     unsigned long pages)
{
	struct pgm_zone *zone = &pgdat->node_zones[idx];
	unsigned int order, mt;
	unsigned long pfn;

	zone->zone_pgdat = pgdat;
	zone->inst = inst;
	zone->idx = idx;
	zone->name = pgm_zone_names[idx];
	zone->zone_start_pfn = start_pfn;
	zone->spanned_pages = pages;
	zone->present_pages = pages;
	zone->managed_pages = pages;
	/*
	 * Upstream leaves the cached scanner positions 0, which
	 * compact_zone() replaces by the zone's ends in any zone not at pfn
	 * 0; an instance's first zone is at pfn 0, where 0 would put the
	 * free scanner on the migrate scanner. So: the ends from the start.
	 */
	if (pages) {
		zone->compact_cached_migrate_pfn[0] = start_pfn;
		zone->compact_cached_migrate_pfn[1] = start_pfn;
		zone->compact_cached_free_pfn =
			(start_pfn + pages - 1) & ~(PGM_PAGEBLOCK_NR_PAGES - 1);
	}
	spin_lock_init(&zone->lock);
	INIT_LIST_HEAD(&zone->captures);
	zone->stat_cpu = -1;
	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++)
		for (mt = 0; mt < PGM_MIGRATE_TYPES; mt++)
			pgm_list_init(&zone->free_area[order].free_list[mt]);

	/*
	 * zone_pcp_init() points every zone at the boot pageset, and only
	 * populated ones get their own (setup_per_cpu_pageset()): nothing is
	 * ever cached for an empty zone, whose pcp sizes land in the shared
	 * set as upstream's do in boot_pageset
	 */
	if (!pages) {
		zone->per_cpu_pageset = inst->boot_pageset;
		zone->pcp_of = inst->boot_pcp_of;
		zone->per_cpu_zonestats = inst->boot_zonestats;
	} else if (pagesets_alloc(inst, &zone->per_cpu_pageset, &zone->pcp_of,
				  &zone->per_cpu_zonestats)) {
		return -ENOMEM;
	}

	/*
	 * memmap_init(): each page whole, and every pageblock starts
	 * movable. The zones tile the pfns, so no page is missed.
	 */
	init_memmap(inst->memmap + start_pfn, pages,
		    pgdat->node_id * PGM_MAX_NR_ZONES + idx);
	for (pfn = start_pfn; pfn < start_pfn + pages;
	     pfn += PGM_PAGEBLOCK_NR_PAGES)
		pgm_set_pageblock_migratetype(inst, pfn, PGM_MIGRATE_MOVABLE);

	return 0;
}

/* memblock_free_all(): hand each zone to the buddy in aligned blocks */
static void free_zone_memory(struct pgm_instance *inst, struct pgm_zone *zone)
{
	unsigned long pfn = zone->zone_start_pfn, end = pgm_zone_end_pfn(zone);

	while (pfn < end) {
		unsigned int order = PGM_MAX_PAGE_ORDER;

		if (pfn)
			order = min_t(unsigned int, order, __ffs(pfn));
		while (pfn + (1UL << order) > end)
			order--;
		pgm___free_pages_core(zone, pfn, order);
		pfn += 1UL << order;
	}
}

/* Once a second, every pcp CPU's vmstat_update() and the shepherd */
static void vmstat_update(struct work_struct *work)
{
	struct pgm_instance *inst = container_of(to_delayed_work(work),
						 struct pgm_instance,
						 vmstat_work);

	pgm_vmstat_tick(inst);
	schedule_delayed_work(&inst->vmstat_work, HZ);
}

/**
 * pgm_vmstat_start - start the periodic pcp decay of an instance
 * @inst: the instance; pgm_instance_destroy() stops it
 *
 * KUnit instances leave it off so that every pcp step is the test's own.
 */
void pgm_vmstat_start(struct pgm_instance *inst)
{
	schedule_delayed_work(&inst->vmstat_work, HZ);
}

/**
 * pgm_instance_check - would pgm_instance_create() take this topology?
 * @topo: the topology
 * @nr_pages: set to the instance's pages when it would
 * @err: the reason when not
 * @errlen: size of @err
 *
 * The checks that need no memory, so that a caller can make them before
 * it borrows or maps any.
 *
 * Return: 0, -EINVAL for a bad topology, or -E2BIG for more than
 * PGM_MAX_NR_PAGES or metadata larger than half the host's RAM.
 */
int pgm_instance_check(const struct pgm_topology *topo,
		       unsigned long *nr_pages, char *err, size_t errlen)
{
	size_t memmap_bytes;
	int ret;

	*nr_pages = 0;
	ret = validate_topology(topo, nr_pages, err, errlen);
	if (ret)
		return ret;
	memmap_bytes = array_size(*nr_pages, sizeof(struct pgm_page));
	if (memmap_bytes > (totalram_pages() << PAGE_SHIFT) / 2) {
		snprintf(err, errlen,
			 "%lu pages need %zu MiB of metadata, more than half the host's RAM",
			 *nr_pages, memmap_bytes >> 20);
		return -E2BIG;
	}
	return 0;
}

/**
 * pgm_instance_create - build an instance
 * @name: the debugfs directory name
 * @topo: nodes, zones, CPUs and tunables
 * @backing: the memory behind the pfns, or NULL for metadata only; its
 *	page count must equal the topology's
 * @err: a one-line reason on failure
 * @errlen: size of @err
 *
 * Return: the instance, or an ERR_PTR; -EINVAL for a bad topology, -E2BIG
 * for more than PGM_MAX_NR_PAGES or metadata larger than half the host's
 * RAM, -ENOMEM when the metadata cannot be allocated.
 */
struct pgm_instance *pgm_instance_create(const char *name,
					 const struct pgm_topology *topo,
					 struct pgm_backing *backing,
					 char *err, size_t errlen)
{
	struct pgm_instance *inst;
	unsigned long pfn = 0, nr_pages, nr_blocks;
	size_t memmap_bytes;
	struct pgm_zone *zone;
	unsigned int n;
	int z, ret, user_min, user_scale;

	ret = pgm_instance_check(topo, &nr_pages, err, errlen);
	if (ret)
		return ERR_PTR(ret);
	memmap_bytes = array_size(nr_pages, sizeof(*inst->memmap));
	if (backing && backing->nr_pages != nr_pages) {
		snprintf(err, errlen,
			 "the zones add up to %lu pages but the memory has %lu",
			 nr_pages, backing->nr_pages);
		return ERR_PTR(-EINVAL);
	}

	inst = pgm_meta_zalloc(struct_size(inst, node_data, topo->nr_nodes));
	if (!inst)
		goto nomem;
	strscpy(inst->name, name, sizeof(inst->name));
	inst->nr_nodes = topo->nr_nodes;
	inst->nr_cpus = topo->nr_cpus;
	inst->nr_pages = nr_pages;
	inst->cpu_override = -1;
	inst->backing = backing;
	memcpy(inst->distance, topo->distance, sizeof(inst->distance));
	inst->tun = topo->tun;
	mutex_init(&inst->tunables_lock);
	init_rwsem(&inst->iface_lock);
	for (n = 0; n < PGM_IFACE_BUCKETS; n++) {
		INIT_HLIST_HEAD(&inst->iface_writers[n].writers);
		spin_lock_init(&inst->iface_writers[n].lock);
	}
	mutex_init(&inst->oom_lock);
	mutex_init(&inst->pcpu_drain_mutex);
	mutex_init(&inst->explain_lock);
	spin_lock_init(&inst->cma.lock);
	mutex_init(&inst->cma.alloc_mutex);
	spin_lock_init(&inst->status_lock);
	mutex_init(&inst->bench_lock);
	xa_init_flags(&inst->handles, XA_FLAGS_ALLOC1);
	mutex_init(&inst->owners_lock);
	xa_init_flags(&inst->owners, XA_FLAGS_ALLOC1);
	ratelimit_state_init(&inst->nopage_rs, 10 * HZ, 1);
	INIT_DELAYED_WORK(&inst->vmstat_work, vmstat_update);
	/* As at boot: no CPU's worker queued until the shepherd finds a delta */
	bitmap_fill(inst->vmstat_idle, PGM_MAX_CPUS);
	strscpy(inst->status, "ok: ready", sizeof(inst->status));

	inst->pcp_cpu_of = pgm_meta_calloc(nr_cpu_ids, sizeof(u8));
	if (!inst->pcp_cpu_of)
		goto nomem_free;
	for (n = 0; n < nr_cpu_ids; n++)
		inst->pcp_cpu_of[n] = n % inst->nr_cpus;
	/* CPUs spread over the nodes in equal consecutive blocks */
	for (n = 0; n < inst->nr_cpus; n++)
		inst->node_of_cpu[n] = n * inst->nr_nodes / inst->nr_cpus;
	inst->events = pgm_meta_alloc_percpu(struct pgm_vm_event_state);
	if (!inst->events)
		goto nomem_free;
	if (pagesets_alloc(inst, &inst->boot_pageset, &inst->boot_pcp_of,
			   &inst->boot_zonestats))
		goto nomem_free;
	/* Not zeroed: init_zone() writes every page of every zone whole */
	inst->memmap = pgm_meta_kvmalloc(memmap_bytes);
	nr_blocks = nr_pages >> PGM_PAGEBLOCK_ORDER;
	inst->pageblock_flags = pgm_meta_calloc(BITS_TO_LONGS(nr_blocks * 4),
						sizeof(unsigned long));
	if (!inst->memmap || !inst->pageblock_flags)
		goto nomem_free;

	for (n = 0; n < inst->nr_nodes; n++) {
		struct pgm_pglist_data *pgdat = &inst->node_data[n];

		pgdat->node_id = n;
		pgdat->inst = inst;
		spin_lock_init(&pgdat->lru_lock);
		init_waitqueue_head(&pgdat->kswapd_wait);
		pgdat->kswapd_highest_zoneidx = PGM_MAX_NR_ZONES;
		init_waitqueue_head(&pgdat->kcompactd_wait);
		pgm_lruvec_init(&pgdat->lruvec);
		pgdat->memcg_iter = PGM_MEMCG_ITER_NONE;
		INIT_LIST_HEAD(&pgdat->slab_lists[0]);
		INIT_LIST_HEAD(&pgdat->slab_lists[1]);
		pgdat->node_start_pfn = pfn;
		for (z = 0; z < PGM_MAX_NR_ZONES; z++) {
			unsigned long pages = topo->zone_pages[n][z];

			if (init_zone(inst, pgdat, z, pfn, pages))
				goto nomem_free;
			if (pages)
				pgdat->nr_zones = z + 1;
			pfn += pages;
		}
		pgdat->node_spanned_pages = pfn - pgdat->node_start_pfn;
		pgdat->node_present_pages = pgdat->node_spanned_pages;
		/* As kcompactd() starts: no request yet */
		pgdat->kcompactd_highest_zoneidx = max(pgdat->nr_zones - 1, 0);
	}

	if (topo->cma_pages) {
		zone = &inst->node_data[0].node_zones[cma_zone(topo)];
		zone->cma_pages = topo->cma_pages;
		for (pfn = pgm_zone_end_pfn(zone) - topo->cma_pages;
		     pfn < pgm_zone_end_pfn(zone); pfn += PGM_PAGEBLOCK_NR_PAGES)
			pgm_set_pageblock_migratetype(inst, pfn, PGM_MIGRATE_CMA);
		if (pgm_cma_init(inst, pgm_zone_end_pfn(zone) - topo->cma_pages,
				 topo->cma_pages))
			goto nomem_free;
	}

	if (pgm_fail_page_alloc_init(inst))
		goto nomem_free;

	pgm_build_all_zonelists(inst);
	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone))
		if (pgm_populated_zone(zone))
			free_zone_memory(inst, zone);

	mutex_lock(&inst->tunables_lock);
	/*
	 * At boot each secondary CPU's vmstat_cpu_online() refreshes the
	 * thresholds before any watermark exists (smp_init() runs ahead of
	 * init_per_zone_wmark_min()): with low - min of 0, every zone gets a
	 * drift mark of max_drift, and the refresh below only overwrites it
	 * when max_drift exceeds the real gap.
	 */
	if (inst->nr_cpus > 1)
		pgm_boot_zone_stat_thresholds(inst);

	/*
	 * init_per_zone_wmark_min(), with the boot's own values: vm.*
	 * sysctls on the command line are written after the initcalls
	 * (do_sysctl_args()), so the maker's come last
	 */
	user_min = inst->tun.min_free_kbytes;
	user_scale = inst->tun.watermark_scale_factor;
	inst->tun.watermark_scale_factor = PGM_WATERMARK_SCALE_FACTOR;
	inst->tun.user_min_free_kbytes = -1;
	pgm_calculate_min_free_kbytes(inst);
	pgm_setup_per_zone_wmarks(inst);
	/* Counted exactly while the memory was freed in; drift from now on */
	pgm_refresh_zone_stat_thresholds(inst);
	pgm_setup_per_zone_lowmem_reserve(inst);
	pgm_setup_min_ratios(inst);
	/* hugepage_init(), a subsys_initcall: after the watermarks */
	pgm_hugepage_init(inst);
	/* cacheinfo's CPU online step, a device_initcall: the batches are set */
	pgm_setup_pcp_cacheinfo(inst);
	/*
	 * The sysctls' handlers: the watermarks and pcp sizes again, not the
	 * drift marks nor khugepaged's value, which the boot's set
	 */
	if (user_min || user_scale != PGM_WATERMARK_SCALE_FACTOR) {
		inst->tun.watermark_scale_factor = user_scale;
		if (user_min) {
			inst->tun.min_free_kbytes = user_min;
			inst->tun.user_min_free_kbytes = user_min;
		}
		pgm_setup_per_zone_wmarks(inst);
	}
	mutex_unlock(&inst->tunables_lock);

	return inst;

nomem_free:
	pgm_instance_destroy(inst);
nomem:
	snprintf(err, errlen, "out of memory for the instance's metadata");
	return ERR_PTR(-ENOMEM);
}

/**
 * pgm_instance_destroy - free an instance's metadata
 * @inst: the instance; its handles are already released, and its backing
 *	is the caller's to release
 */
void pgm_instance_destroy(struct pgm_instance *inst)
{
	unsigned int n;
	int z;

	if (!inst)
		return;
	pgm_kcompactd_stop(inst);
	pgm_kswapd_stop(inst);
	cancel_delayed_work_sync(&inst->vmstat_work);
	pgm_fail_page_alloc_exit(inst);
	pgm_explain_release(inst);
	for (n = 0; n < inst->nr_nodes; n++)
		for (z = 0; z < PGM_MAX_NR_ZONES; z++) {
			struct pgm_zone *zone = &inst->node_data[n].node_zones[z];

			if (zone->per_cpu_pageset != inst->boot_pageset)
				pagesets_free(zone->per_cpu_pageset,
					      zone->pcp_of,
					      zone->per_cpu_zonestats);
		}
	pagesets_free(inst->boot_pageset, inst->boot_pcp_of,
		      inst->boot_zonestats);
	xa_destroy(&inst->handles);
	pgm_owners_release_all(inst);
	xa_destroy(&inst->owners);
	pgm_cma_destroy(inst);
	pgm_meta_free(inst->pageblock_flags);
	pgm_meta_kvfree(inst->memmap,
			array_size(inst->nr_pages, sizeof(*inst->memmap)));
	pgm_meta_percpu_free(inst->events);
	pgm_meta_free(inst->pcp_cpu_of);
	mutex_destroy(&inst->owners_lock);
	mutex_destroy(&inst->bench_lock);
	mutex_destroy(&inst->oom_lock);
	mutex_destroy(&inst->pcpu_drain_mutex);
	mutex_destroy(&inst->tunables_lock);
	pgm_meta_free(inst);
}
