// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_differential: the host's allocator and pgmirror, fed the same
 * requests from the same state, compared after every step.
 * pgmirror_differential_zones: the same on node 2, with DMA32 and Normal.
 *
 * make check boots the x86_64 KUnit kernel with three NUMA nodes, nodes 1
 * and 2 with memory and no CPUs, so that nothing but these suites
 * allocates there. Each case drains the node's pcp lists, copies its zones
 * into a fresh instance (free lists in list order, pageblock types,
 * watermarks, lowmem_reserve, pcp sizes; pgmirror pfn = host pfn - one
 * offset per zone) and runs one sequence on both:
 * alloc_pages_node(nid, gfp | __GFP_THISNODE) and
 * __free_pages() on one pinned CPU, pgm_alloc_pages() and pgm_free_pages()
 * on pgmirror's pcp CPU 0. After every step it compares the pfn returned,
 * the free blocks per order and migratetype (and the order of every
 * list), the pageblock types, NR_FREE_PAGES, the pcp's count and high, the
 * zone's below-high and boosted flags, its boost and highatomic reserve,
 * and fragmentation_index() and extfrag_for_order() at every order (what
 * compaction's suitability and kcompactd's proactive score read).
 *
 * What would move the host's side by itself is switched off by design:
 *  - vmstat_update() (pcp high decay, the remote pcp drain, the folding of
 *    counters) is held off by a long stat interval for the suite;
 *  - kswapd and kcompactd for the node: its kswapd_failures is set to
 *    MAX_RECLAIM_RETRIES on both sides, so no wakeup reaches kswapd, and
 *    no sequence wakes kcompactd (that needs an order > 0 request that is
 *    not allowed to reclaim to fail the low watermark with kswapd's flag);
 *  - the host's counters of the node's zones are made exact, as pgmirror's
 *    are (see design.rst): every CPU's stat_threshold there is 0 for the
 *    case, so each change is folded into the global count at once, which
 *    a watermark check inside a free or a drain reads; the deltas left
 *    from before are folded at the start and before each request.
 *
 * The pages the suite holds are kernel pages on both sides, on no LRU, so
 * a claim counts them as movable on neither, whatever their gfp.
 *
 * Elsewhere (UML, or a kernel booted without such a node) every case skips.
 */

#include <kunit/test.h>
#include <linux/cacheinfo.h>
#include <linux/compaction.h>
#include <linux/gfp.h>
#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/page-isolation.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmstat.h>
#include <linux/delay.h>
#include <linux/moduleparam.h>
#include "test_util.h"
#include "internal.h"
#include "explain.h"
#include "compaction.h"

#define DIFF_NID	1
/* pgmirror_differential_zones: a node whose Normal zone falls back to DMA32 */
#define DIFF_ZONES_NID	2
#define DIFF_MAX_ZONES	2

static unsigned long differential_seed;
module_param(differential_seed, ulong, 0444);
MODULE_PARM_DESC(differential_seed,
		 "seed of the random mixes (0: a fixed default)");

/* make soak: many seeds in one boot */
static unsigned int differential_seeds = 1;
module_param(differential_seeds, uint, 0444);
MODULE_PARM_DESC(differential_seeds,
		 "random mixes: how many seeds to run, from the seed up");

struct diff_held {
	struct page *page;
	struct pgm_page *mirror;
	unsigned int order;
};

/* One side's state, as the comparison sees it */
struct diff_state {
	unsigned int nr_blocks[PGM_NR_PAGE_ORDERS][PGM_MIGRATE_TYPES];
	u32 hash[PGM_NR_PAGE_ORDERS][PGM_MIGRATE_TYPES];
	long nr_free;
	int pcp_count;
	int pcp_high;
	/* Each pcp list's blocks and their pfns in list order */
	unsigned int pcp_nr[PGM_NR_PCP_LISTS];
	u32 pcp_hash[PGM_NR_PCP_LISTS];
	/* Whether each watermark check failed shows in these */
	bool below_high;
	bool boosted;
	unsigned long boost;
	unsigned long highatomic;
	/*
	 * What compaction decides from: fragmentation_index() (suitability)
	 * and extfrag_for_order() (kcompactd's proactive score) at each order
	 */
	int fragindex[PGM_NR_PAGE_ORDERS];
	unsigned int extfrag[PGM_NR_PAGE_ORDERS];
};

/* The host's pcp lists, index for index, fit the mirror's */
static_assert(NR_PCP_LISTS <= PGM_NR_PCP_LISTS);

struct diff_ctx {
	struct kunit *test;
	int nid;			/* the host node compared */
	/*
	 * The node's populated zones, highest first: the order a request
	 * tries them in. zones[0] is the one the cases fill and hold.
	 */
	unsigned int nr_zones;
	struct zone *zones[DIFF_MAX_ZONES];
	struct pgm_zone *pzs[DIFF_MAX_ZONES];
	/* host pfn - pgmirror pfn in each zone */
	unsigned long bases[DIFF_MAX_ZONES];
	/*
	 * Each zone's pageblocks with a memmap, in pgmirror's pfns: node 2's
	 * DMA32 spans the hole below 4 GiB, 1440 of its 1504 blocks
	 */
	unsigned long *blocks[DIFF_MAX_ZONES];
	unsigned int nr_blocks[DIFF_MAX_ZONES];
	struct zone *zone;		/* zones[0] */
	unsigned long base;		/* bases[0] */
	int cpu;			/* the host CPU the case runs on */
	struct pgm_instance *inst;
	struct pgm_zone *pz;		/* pzs[0] */
	struct diff_held *held;
	unsigned int nr_held;
	unsigned int max_held;
	unsigned long steps;
	/* A step diverged: every sequence stops at the next check */
	bool failed;
	/* diff_detects: count divergences instead of failing the case */
	bool quiet;
	unsigned int nr_reports;
	/* pgm_explain_begin() was called: the key is on for the case */
	bool explaining;
	int saved_failures;
	/* per zone and possible CPU, or NULL */
	s8 *saved_threshold[DIFF_MAX_ZONES];
	/* zones[0]'s, after a comparison */
	struct diff_state real;
	struct diff_state mirror;
	/* The host's pcp pages and free pages over all zones, last seen */
	long mark_free;
	int mark_pcp;
	/* The zone a report is about, "" where the node has one */
	const char *where;
	char op[96];
};

#ifdef CONFIG_SMP
static int saved_stat_interval;
#endif

/* The host's migratetype as pgmirror's: the same order, CMA/ISOLATE optional */
static int diff_mt(int mt)
{
	if (mt < MIGRATE_PCPTYPES || mt == MIGRATE_HIGHATOMIC)
		return mt;
	if (is_migrate_cma(mt))
		return PGM_MIGRATE_CMA;
	return PGM_MIGRATE_ISOLATE;
}

/* The host's zone type as pgmirror's, or -1 (HIGHMEM, DEVICE) */
static int diff_zone_type(enum zone_type z)
{
#ifdef CONFIG_ZONE_DMA
	if (z == ZONE_DMA)
		return PGM_ZONE_DMA;
#endif
#ifdef CONFIG_ZONE_DMA32
	if (z == ZONE_DMA32)
		return PGM_ZONE_DMA32;
#endif
	if (z == ZONE_NORMAL)
		return PGM_ZONE_NORMAL;
	if (z == ZONE_MOVABLE)
		return PGM_ZONE_MOVABLE;
	return -1;
}

/*
 * @nid's populated zones into @zones, highest first; how many there are, or
 * 0 if that is not @want or the node is offline
 */
static unsigned int diff_host_zones(int nid, unsigned int want,
				    struct zone **zones)
{
	unsigned int n = 0;
	pg_data_t *pgdat;
	int i;

	if (!IS_ENABLED(CONFIG_NUMA) || nid >= MAX_NUMNODES ||
	    !node_online(nid))
		return 0;
	pgdat = NODE_DATA(nid);
	for (i = MAX_NR_ZONES - 1; i >= 0; i--) {
		if (!populated_zone(&pgdat->node_zones[i]))
			continue;
		if (n == want)
			return 0;
		zones[n++] = &pgdat->node_zones[i];
	}
	return n == want ? n : 0;
}

/* Why a suite cannot run on @nid here, or NULL */
static const char *diff_unsupported(int nid, unsigned int want)
{
	unsigned int max_order = MAX_PAGE_ORDER, pb_order = pageblock_order;
	struct zone *zones[DIFF_MAX_ZONES];
	unsigned int i;

	if (!diff_host_zones(nid, want, zones))
		return want == 1 ?
		       "needs node 1 with one populated zone (x86_64 KUnit with -numa)" :
		       "needs node 2 with DMA32 and Normal (x86_64 KUnit, max-ram-below-4g)";
	if (node_state(nid, N_CPU))
		return "the node has CPUs";
	if (max_order != PGM_MAX_PAGE_ORDER || pb_order != PGM_PAGEBLOCK_ORDER)
		return "host orders differ (needs MAX_PAGE_ORDER 10 and THP)";
	for (i = 0; i < want; i++) {
		int type = diff_zone_type(zone_idx(zones[i]));

		if (!IS_ALIGNED(zones[i]->zone_start_pfn, MAX_ORDER_NR_PAGES) ||
		    !IS_ALIGNED(zones[i]->spanned_pages, MAX_ORDER_NR_PAGES))
			return "a zone of the node is not MAX_PAGE_ORDER aligned";
		if (type < 0 || type == PGM_ZONE_MOVABLE)
			return "a zone of the node is not DMA, DMA32 or Normal";
	}
	return NULL;
}

/* One free block of a list, in list order: its count and the list's hash */
static void diff_note_block(struct diff_state *s, unsigned int order, int mt,
			    unsigned long pfn)
{
	s->nr_blocks[order][mt]++;
	s->hash[order][mt] = jhash_1word(pfn, s->hash[order][mt]);
}

/* A host page's pfn in pgmirror's numbering, -2 outside the compared zones */
static long diff_host_pfn(struct diff_ctx *c, struct page *page)
{
	unsigned int z;

	for (z = 0; z < c->nr_zones; z++)
		if (page_zone(page) == c->zones[z])
			return page_to_pfn(page) - c->bases[z];
	return -2;
}

static void diff_read_real(struct diff_ctx *c, unsigned int z,
			   struct diff_state *s)
{
	struct zone *zone = c->zones[z];
	struct per_cpu_pages *pcp;
	unsigned long flags;
	unsigned int order;
	int mt;

	memset(s, 0, sizeof(*s));
	spin_lock_irqsave(&zone->lock, flags);
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			int pmt = diff_mt(mt);
			struct page *page;

			list_for_each_entry(page,
					    &zone->free_area[order].free_list[mt],
					    buddy_list) {
				diff_note_block(s, order, pmt,
						page_to_pfn(page) - c->bases[z]);
			}
		}
	}
	s->boost = zone->watermark_boost;
	s->highatomic = zone->nr_reserved_highatomic;
	spin_unlock_irqrestore(&zone->lock, flags);
	s->below_high = test_bit(ZONE_BELOW_HIGH, &zone->flags);
	s->boosted = test_bit(ZONE_BOOSTED_WATERMARK, &zone->flags);
	s->nr_free = zone_page_state_snapshot(zone, NR_FREE_PAGES);
	pcp = per_cpu_ptr(zone->per_cpu_pageset, c->cpu);
	spin_lock_irqsave(&pcp->lock, flags);
	for (order = 0; order < NR_PCP_LISTS; order++) {
		struct page *page;

		list_for_each_entry(page, &pcp->lists[order], pcp_list) {
			s->pcp_nr[order]++;
			s->pcp_hash[order] = jhash_1word(page_to_pfn(page) -
							 c->bases[z],
							 s->pcp_hash[order]);
		}
	}
	s->pcp_count = pcp->count;
	s->pcp_high = pcp->high;
	spin_unlock_irqrestore(&pcp->lock, flags);
#ifdef CONFIG_COMPACTION
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		s->fragindex[order] = fragmentation_index(zone, order);
		s->extfrag[order] = extfrag_for_order(zone, order);
	}
#endif
}

static void diff_read_mirror(struct diff_ctx *c, unsigned int z,
			     struct diff_state *s)
{
	struct pgm_zone *zone = c->pzs[z];
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	unsigned long flags;
	unsigned int order;
	int mt;

	memset(s, 0, sizeof(*s));
	spin_lock_irqsave(&zone->lock, flags);
	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++) {
		for (mt = 0; mt < PGM_MIGRATE_TYPES; mt++) {
			struct pgm_page *page;

			for (page = pgm_list_first(c->inst->memmap,
						   &zone->free_area[order].free_list[mt]);
			     page; page = pgm_list_next(c->inst->memmap, page)) {
				diff_note_block(s, order, mt,
						pgm_page_to_pfn(c->inst, page));
			}
		}
	}
	s->boost = zone->watermark_boost;
	s->highatomic = zone->nr_reserved_highatomic;
	spin_unlock_irqrestore(&zone->lock, flags);
	s->below_high = test_bit(PGM_ZONE_BELOW_HIGH, &zone->flags);
	s->boosted = test_bit(PGM_ZONE_BOOSTED_WATERMARK, &zone->flags);
	s->nr_free = pgm_zone_page_state(zone, PGM_NR_FREE_PAGES);
	spin_lock_irqsave(&pcp->lock, flags);
	for (order = 0; order < PGM_NR_PCP_LISTS; order++) {
		struct pgm_page *page;

		for (page = pgm_list_first(c->inst->memmap, &pcp->lists[order]);
		     page; page = pgm_list_next(c->inst->memmap, page)) {
			s->pcp_nr[order]++;
			s->pcp_hash[order] =
				jhash_1word(pgm_page_to_pfn(c->inst, page),
					    s->pcp_hash[order]);
		}
	}
	s->pcp_count = pcp->count;
	s->pcp_high = pcp->high;
	spin_unlock_irqrestore(&pcp->lock, flags);
#ifdef CONFIG_COMPACTION
	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++) {
		s->fragindex[order] = pgm_fragmentation_index(zone, order);
		s->extfrag[order] = pgm_extfrag_for_order(zone, order);
	}
#endif
}

/* The first few pfns of one free list on each side, for a report */
static void diff_dump_list(struct diff_ctx *c, unsigned int z,
			   unsigned int order, int pmt)
{
	struct zone *zone = c->zones[z];
	struct pgm_zone *pz = c->pzs[z];
	char real[128] = "", mirror[128] = "";
	struct pgm_page *mpage;
	struct page *page;
	unsigned long flags;
	int n, mt, len;

	len = 0;
	n = 0;
	spin_lock_irqsave(&zone->lock, flags);
	for (mt = 0; mt < MIGRATE_TYPES; mt++) {
		if (diff_mt(mt) != pmt)
			continue;
		list_for_each_entry(page,
				    &zone->free_area[order].free_list[mt],
				    buddy_list) {
			if (n++ == 8)
				break;
			len += scnprintf(real + len, sizeof(real) - len, " %lu",
					 page_to_pfn(page) - c->bases[z]);
		}
	}
	spin_unlock_irqrestore(&zone->lock, flags);

	len = 0;
	n = 0;
	spin_lock_irqsave(&pz->lock, flags);
	for (mpage = pgm_list_first(c->inst->memmap,
				    &pz->free_area[order].free_list[pmt]);
	     mpage; mpage = pgm_list_next(c->inst->memmap, mpage)) {
		if (n++ == 8)
			break;
		len += scnprintf(mirror + len, sizeof(mirror) - len, " %lu",
				 pgm_page_to_pfn(c->inst, mpage));
	}
	spin_unlock_irqrestore(&pz->lock, flags);
	kunit_info(c->test, "  %sorder %u %s list: host%s / pgmirror%s\n",
		   c->where, order, pgm_migratetype_names[pmt], real, mirror);
}

/* The first pageblock of zone @z whose type differs, or -1 */
static long diff_pageblocks(struct diff_ctx *c, unsigned int z, int *real_mt,
			    int *mirror_mt)
{
	unsigned int i;

	for (i = 0; i < c->nr_blocks[z]; i++) {
		unsigned long pfn = c->blocks[z][i];
		int r, m;

		r = diff_mt(get_pageblock_migratetype(pfn_to_page(c->bases[z] +
								  pfn)));
		m = pgm_get_pfnblock_migratetype(c->inst, pfn);
		if (r != m) {
			*real_mt = r;
			*mirror_mt = m;
			return pfn;
		}
	}
	return -1;
}

/* One difference: a failure of the case, or a count in quiet mode */
static __printf(2, 3) void diff_report(struct diff_ctx *c, const char *fmt,
				       ...)
{
	char buf[192];
	va_list args;

	c->nr_reports++;
	if (c->quiet)
		return;
	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	KUNIT_FAIL(c->test, "step %lu (%s): %s%s", c->steps, c->op, c->where,
		   buf);
}

/* The host's pcp count and free pages as the case last left them */
static void diff_host_mark(struct diff_ctx *c)
{
	unsigned int z;

	c->mark_pcp = 0;
	c->mark_free = 0;
	for (z = 0; z < c->nr_zones; z++) {
		struct zone *zone = c->zones[z];
		int count = READ_ONCE(per_cpu_ptr(zone->per_cpu_pageset,
						  c->cpu)->count);
		long nr_free = zone_page_state_snapshot(zone, NR_FREE_PAGES);

		c->mark_pcp += count;
		c->mark_free += nr_free;
		if (!z) {
			c->real.pcp_count = count;
			c->real.nr_free = nr_free;
		}
	}
}

/* Zone @z on both sides, read into c->real and c->mirror */
static bool diff_compare_zone(struct diff_ctx *c, unsigned int z)
{
	struct diff_state *r = &c->real, *m = &c->mirror;
	int rmt = 0, mmt = 0;
	unsigned int order;
	bool same = true;
	long pb;
	int mt;

	diff_read_real(c, z, r);
	diff_read_mirror(c, z, m);
	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++) {
		for (mt = 0; mt < PGM_MIGRATE_TYPES; mt++) {
			if (r->nr_blocks[order][mt] != m->nr_blocks[order][mt]) {
				diff_report(c, "order %u %s: host %u free blocks, pgmirror %u",
					    order, pgm_migratetype_names[mt],
					    r->nr_blocks[order][mt],
					    m->nr_blocks[order][mt]);
				same = false;
			} else if (r->hash[order][mt] != m->hash[order][mt]) {
				diff_report(c, "order %u %s: same count, different list order",
					    order, pgm_migratetype_names[mt]);
				diff_dump_list(c, z, order, mt);
				same = false;
			}
		}
	}
	pb = diff_pageblocks(c, z, &rmt, &mmt);
	if (pb >= 0) {
		diff_report(c, "pageblock at pfn %ld: host %s, pgmirror %s", pb,
			    pgm_migratetype_names[rmt],
			    pgm_migratetype_names[mmt]);
		same = false;
	}
	if (r->nr_free != m->nr_free) {
		diff_report(c, "NR_FREE_PAGES host %ld, pgmirror %ld",
			    r->nr_free, m->nr_free);
		same = false;
	}
	if (r->below_high != m->below_high || r->boosted != m->boosted ||
	    r->boost != m->boost || r->highatomic != m->highatomic) {
		diff_report(c,
			    "below high/boosted/boost/highatomic host %d/%d/%lu/%lu, pgmirror %d/%d/%lu/%lu",
			    r->below_high, r->boosted, r->boost, r->highatomic,
			    m->below_high, m->boosted, m->boost, m->highatomic);
		same = false;
	}
	if (r->pcp_count != m->pcp_count || r->pcp_high != m->pcp_high) {
		diff_report(c, "pcp count/high host %d/%d, pgmirror %d/%d",
			    r->pcp_count, r->pcp_high, m->pcp_count,
			    m->pcp_high);
		same = false;
	}
	/* Which list holds a cached block, and where, decides what it serves */
	for (order = 0; order < PGM_NR_PCP_LISTS; order++) {
		if (r->pcp_nr[order] == m->pcp_nr[order] &&
		    r->pcp_hash[order] == m->pcp_hash[order])
			continue;
		diff_report(c, "pcp list %u: host %u blocks, pgmirror %u%s",
			    order, r->pcp_nr[order], m->pcp_nr[order],
			    r->pcp_nr[order] == m->pcp_nr[order] ?
			    ", in a different order" : "");
		same = false;
	}
	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++) {
		if (r->fragindex[order] == m->fragindex[order] &&
		    r->extfrag[order] == m->extfrag[order])
			continue;
		diff_report(c, "order %u fragmentation index/extfrag host %d/%u, pgmirror %d/%u",
			    order, r->fragindex[order], r->extfrag[order],
			    m->fragindex[order], m->extfrag[order]);
		same = false;
	}
	return same;
}

/*
 * Compare both sides after the step in c->op, which returned @real_pfn
 * and @mirror_pfn (-1 for a failure). Reports every difference. The
 * first zone is read last, so that c->real and c->mirror hold its state.
 */
static bool diff_compare(struct diff_ctx *c, long real_pfn, long mirror_pfn)
{
	bool same = true;
	int z;

	c->steps++;
	c->where = "";
	if (real_pfn != mirror_pfn) {
		diff_report(c, "host pfn %ld, pgmirror pfn %ld (-1: failed)",
			    real_pfn, mirror_pfn);
		same = false;
	}
	for (z = c->nr_zones - 1; z >= 0; z--) {
		/* A report names the zone where the node has more than one */
		c->where = "";
		if (c->nr_zones > 1)
			c->where = z ? "DMA32: " : "Normal: ";
		if (!diff_compare_zone(c, z))
			same = false;
	}
	c->where = "";
	diff_host_mark(c);
	if (!same && !c->quiet)
		c->failed = true;
	return same;
}

/*
 * pgmirror's counters are exact; the host's watermark checks read a global
 * that lags by this CPU's vm_stat_diff. Fold it so both see the same count.
 */
static void diff_fold(struct diff_ctx *c)
{
	long nr_free = c->mark_free;
	int count = c->mark_pcp;

	local_irq_disable();
	cpu_vm_stats_fold(c->cpu);
	local_irq_enable();

	/*
	 * Only the case allocates from its node, but CPU 0's pcp lists take
	 * any page of it freed there (an RCU callback, a kworker's slab
	 * page): one that moved since the case last looked is named as such,
	 * before the step's comparison reports its difference as pgmirror's
	 */
	if (!c->steps)
		return;
	diff_host_mark(c);
	if (count != c->mark_pcp || nr_free != c->mark_free)
		diff_report(c,
			    "before it, outside the case, the host's pcp count went from %d to %d and its free pages from %ld to %ld: host activity, not pgmirror",
			    count, c->mark_pcp, nr_free, c->mark_free);
}

/*
 * A stat_threshold of 0 folds every change of the zone's counters into the
 * global at once (__mod_zone_page_state() folds above the threshold), so
 * the host's watermark checks inside a free or a drain read what
 * pgmirror's read. kswapd, which resets thresholds under pressure, stays
 * asleep: node 1's kswapd_failures is at its limit. Without SMP there is
 * no delta to fold.
 */
static void diff_exact_counters(struct diff_ctx *c)
{
#ifdef CONFIG_SMP
	unsigned int z;
	int cpu;

	for (z = 0; z < c->nr_zones; z++) {
		s8 *saved = kunit_kcalloc(c->test, nr_cpu_ids, sizeof(*saved),
					  GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(c->test, saved);
		c->saved_threshold[z] = saved;
		for_each_possible_cpu(cpu) {
			struct per_cpu_zonestat *pzs;

			pzs = per_cpu_ptr(c->zones[z]->per_cpu_zonestats, cpu);
			saved[cpu] = READ_ONCE(pzs->stat_threshold);
			WRITE_ONCE(pzs->stat_threshold, 0);
		}
	}
#endif
}

static void diff_restore_thresholds(struct diff_ctx *c)
{
#ifdef CONFIG_SMP
	unsigned int z;
	int cpu;

	for (z = 0; z < c->nr_zones && c->saved_threshold[z]; z++)
		for_each_possible_cpu(cpu)
			WRITE_ONCE(per_cpu_ptr(c->zones[z]->per_cpu_zonestats,
					       cpu)->stat_threshold,
				   c->saved_threshold[z][cpu]);
#endif
}

/* Every CPU's deltas, each folded on its own CPU with interrupts off */
static void diff_fold_this_cpu(void *unused)
{
	cpu_vm_stats_fold(smp_processor_id());
}

static const char *diff_gfp_name(gfp_t gfp)
{
	switch ((__force unsigned long)gfp) {
	case (__force unsigned long)GFP_KERNEL:
		return "GFP_KERNEL";
	case (__force unsigned long)GFP_ATOMIC:
		return "GFP_ATOMIC";
	case (__force unsigned long)GFP_NOWAIT:
		return "GFP_NOWAIT";
	case (__force unsigned long)GFP_USER:
		return "GFP_USER";
	case (__force unsigned long)GFP_HIGHUSER_MOVABLE:
		return "GFP_HIGHUSER_MOVABLE";
	case (__force unsigned long)(GFP_KERNEL | __GFP_RECLAIMABLE):
		return "GFP_KERNEL|__GFP_RECLAIMABLE";
	case (__force unsigned long)__GFP_HIGH:
		return "__GFP_HIGH";
	default:
		return "gfp";
	}
}

/*
 * pgmirror explains every request of a case (diff_init() turned it on)
 * unless the case chose its own path (diff_unexplained()); the text of
 * the one that diverged is printed with the differences.
 */
static void diff_explain_reset(struct diff_ctx *c)
{
	struct pgm_explain *e = c->inst->explain;

	if (!c->explaining)
		return;
	e->len = 0;
	e->truncated = false;
	e->buf[0] = '\0';
}

static void diff_explain_print(struct diff_ctx *c)
{
	char *text = c->inst->explain->buf, *line;

	if (!c->explaining) {
		kunit_info(c->test, "pgmirror's path for %s: not explained (the allocator's own)\n",
			   c->op);
		return;
	}
	kunit_info(c->test, "pgmirror's path for %s:\n", c->op);
	while ((line = strsep(&text, "\n")))
		if (*line)
			kunit_info(c->test, "  %s\n", line);
}

/*
 * The rest of the case unexplained. An explained request takes the hooks'
 * copy of get_page_from_freelist(), whose watermark checks are
 * explain_watermark()'s; the allocator's own checks
 * (zone_watermark_fast()) are compared only with the explanation off.
 */
static void diff_unexplained(struct diff_ctx *c)
{
	if (!c->explaining)
		return;
	pgm_explain_end(c->inst);
	c->explaining = false;
}

/*
 * One request on both sides; the pages are kept. True if both sides
 * allocated; a divergence sets c->failed.
 */
static bool diff_alloc(struct diff_ctx *c, gfp_t gfp, unsigned int order)
{
	gfp_t mask = gfp | __GFP_THISNODE | __GFP_NOWARN;
	long real_pfn = -1, mirror_pfn = -1;
	unsigned int reports;
	struct pgm_page *mp;
	struct page *page;

	if (c->failed)
		return false;
	scnprintf(c->op, sizeof(c->op), "alloc order %u %s (%#x)", order,
		  diff_gfp_name(gfp), (__force unsigned int)gfp);
	diff_fold(c);
	page = alloc_pages_node(c->nid, mask, order);
	diff_explain_reset(c);
	mp = pgm_alloc_pages(c->inst, mask, order, 0, NULL);
	if (page)
		real_pfn = diff_host_pfn(c, page);
	if (mp)
		mirror_pfn = pgm_page_to_pfn(c->inst, mp);
	reports = c->nr_reports;
	diff_compare(c, real_pfn, mirror_pfn);
	if (c->nr_reports != reports && !c->quiet)
		diff_explain_print(c);
	if (page && mp && real_pfn == mirror_pfn && !c->failed &&
	    c->nr_held < c->max_held) {
		c->held[c->nr_held++] = (struct diff_held) {
			.page = page, .mirror = mp, .order = order,
		};
		return true;
	}
	if (page)
		__free_pages(page, order);
	if (mp)
		pgm_free_pages(c->inst, mp, order);
	diff_host_mark(c);
	return false;
}

/*
 * Whether a free block of @order or more waits on a list the fast path
 * takes from (or steals from). Without one the request would enter the
 * slow path for its order, and the host's compaction would run.
 */
static bool diff_order_free(struct diff_ctx *c, unsigned int order)
{
	for (; order < PGM_NR_PAGE_ORDERS; order++)
		if (c->mirror.nr_blocks[order][PGM_MIGRATE_UNMOVABLE] ||
		    c->mirror.nr_blocks[order][PGM_MIGRATE_MOVABLE] ||
		    c->mirror.nr_blocks[order][PGM_MIGRATE_RECLAIMABLE])
			return true;
	return false;
}

/*
 * One bulk request of @nr order-0 pages on both sides: the counts, then
 * the pfns slot by slot, then the state. The pages are kept.
 */
static bool diff_bulk(struct diff_ctx *c, gfp_t gfp, unsigned int nr)
{
	gfp_t mask = gfp | __GFP_THISNODE | __GFP_NOWARN;
	unsigned long real_nr, mirror_nr, i;
	struct pgm_page **mpages;
	struct page **pages;

	if (c->failed)
		return false;
	pages = kcalloc(nr, sizeof(*pages), GFP_KERNEL);
	mpages = kcalloc(nr, sizeof(*mpages), GFP_KERNEL);
	if (!pages || !mpages) {
		kfree(pages);
		kfree(mpages);
		KUNIT_FAIL(c->test, "no memory for %u slots", nr);
		c->failed = true;
		return false;
	}
	scnprintf(c->op, sizeof(c->op), "alloc_bulk %u %s (%#x)", nr,
		  diff_gfp_name(gfp), (__force unsigned int)gfp);
	diff_fold(c);
	real_nr = alloc_pages_bulk_array_node(mask, c->nid, nr, pages);
	diff_explain_reset(c);
	mirror_nr = pgm___alloc_pages_bulk(c->inst, mask, 0, NULL, nr, mpages);
	if (real_nr != mirror_nr)
		diff_report(c, "host filled %lu slots, pgmirror %lu", real_nr,
			    mirror_nr);
	for (i = 0; i < nr; i++) {
		long rp = pages[i] ? diff_host_pfn(c, pages[i]) : -1;
		long mp = mpages[i] ? pgm_page_to_pfn(c->inst, mpages[i]) : -1;

		if (rp != mp) {
			diff_report(c, "slot %lu: host pfn %ld, pgmirror pfn %ld",
				    i, rp, mp);
			break;
		}
	}
	diff_compare(c, -1, -1);
	for (i = 0; i < nr; i++) {
		if (pages[i] && mpages[i] && !c->failed &&
		    c->nr_held < c->max_held) {
			c->held[c->nr_held++] = (struct diff_held) {
				.page = pages[i], .mirror = mpages[i],
			};
			continue;
		}
		if (pages[i])
			__free_pages(pages[i], 0);
		if (mpages[i])
			pgm_free_pages(c->inst, mpages[i], 0);
	}
	diff_host_mark(c);
	kfree(pages);
	kfree(mpages);
	return !c->failed;
}

/* Free held allocation @i on both sides; the last one takes its place. */
static bool diff_free(struct diff_ctx *c, unsigned int i)
{
	struct diff_held h = c->held[i];

	if (c->failed)
		return false;
	c->held[i] = c->held[--c->nr_held];
	scnprintf(c->op, sizeof(c->op), "free order %u pfn %lu", h.order,
		  pgm_page_to_pfn(c->inst, h.mirror));
	diff_fold(c);
	__free_pages(h.page, h.order);
	pgm_free_pages(c->inst, h.mirror, h.order);
	return diff_compare(c, -1, -1);
}

static bool diff_drain(struct diff_ctx *c)
{
	unsigned int z;

	if (c->failed)
		return false;
	scnprintf(c->op, sizeof(c->op), "drain");
	diff_fold(c);
	for (z = 0; z < c->nr_zones; z++) {
		drain_all_pages(c->zones[z]);
		pgm_drain_all_pages(c->inst, c->pzs[z]);
	}
	return diff_compare(c, -1, -1);
}

/* Free everything still held, newest first; no comparison */
static void diff_release(struct diff_ctx *c)
{
	while (c->nr_held) {
		struct diff_held *h = &c->held[--c->nr_held];

		__free_pages(h->page, h->order);
		pgm_free_pages(c->inst, h->mirror, h->order);
	}
}

/* Copy host zone @z's state into the instance's zone; both are quiet. */
static void diff_import(struct diff_ctx *c, unsigned int z)
{
	struct zone *zone = c->zones[z];
	struct pgm_zone *pz = c->pzs[z];
	unsigned long start = pz->zone_start_pfn;
	struct per_cpu_pages *pcp;
	struct pgm_per_cpu_pages *ppcp = &pz->per_cpu_pageset[0];
	unsigned long flags, pfn;
	unsigned int order;
	int mt, i;

	spin_lock_irqsave(&pz->lock, flags);
	/* Empty pgmirror's free lists: every page is taken until copied */
	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++) {
		for (mt = 0; mt < PGM_MIGRATE_TYPES; mt++) {
			struct pgm_list *list =
				&pz->free_area[order].free_list[mt];
			struct pgm_page *page;

			while ((page = pgm_list_first(c->inst->memmap, list))) {
				pgm_list_del(c->inst->memmap, page, list);
				page->flags &= ~PGM_PG_BUDDY;
				page->private = 0;
			}
		}
		pz->free_area[order].nr_free = 0;
	}
	atomic_long_set(&pz->vm_stat[PGM_NR_FREE_PAGES], 0);
	atomic_long_set(&pz->vm_stat[PGM_NR_FREE_CMA_PAGES], 0);
	pz->nr_free_highatomic = 0;

	for (pfn = start; pfn < start + pz->spanned_pages;
	     pfn += pageblock_nr_pages) {
		if (!pfn_valid(c->bases[z] + pfn))
			continue;
		mt = get_pageblock_migratetype(pfn_to_page(c->bases[z] + pfn));
		pgm_set_pageblock_migratetype(c->inst, pfn, diff_mt(mt));
	}

	/* The host's free blocks, list by list, in list order */
	spin_lock(&zone->lock);
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			int pmt = diff_mt(mt);
			struct page *page;

			list_for_each_entry(page,
					    &zone->free_area[order].free_list[mt],
					    buddy_list) {
				struct pgm_page *p;

				p = pgm_pfn_to_page(c->inst,
						    page_to_pfn(page) - c->bases[z]);
				p->private = order;
				p->flags |= PGM_PG_BUDDY;
				pgm_list_add_tail(c->inst->memmap, p,
						  &pz->free_area[order].free_list[pmt]);
				pz->free_area[order].nr_free++;
				if (pgm_is_migrate_isolate(pmt))
					continue;
				atomic_long_add(1 << order,
						&pz->vm_stat[PGM_NR_FREE_PAGES]);
				if (pgm_is_migrate_cma(pmt))
					atomic_long_add(1 << order,
							&pz->vm_stat[PGM_NR_FREE_CMA_PAGES]);
				if (pgm_is_migrate_highatomic(pmt))
					pz->nr_free_highatomic += 1 << order;
			}
		}
	}

	for (i = 0; i < NR_WMARK; i++)
		pz->_watermark[i] = zone->_watermark[i];
	pz->watermark_boost = zone->watermark_boost;
	pz->nr_reserved_highatomic = zone->nr_reserved_highatomic;
	for (i = 0; i < MAX_NR_ZONES; i++)
		if (diff_zone_type(i) >= 0)
			pz->lowmem_reserve[diff_zone_type(i)] =
				zone->lowmem_reserve[i];
	pz->present_pages = zone->present_pages;
	pz->managed_pages = zone_managed_pages(zone);
	pz->flags = 0;
	if (test_bit(ZONE_BOOSTED_WATERMARK, &zone->flags))
		set_bit(PGM_ZONE_BOOSTED_WATERMARK, &pz->flags);
	if (test_bit(ZONE_RECLAIM_ACTIVE, &zone->flags))
		set_bit(PGM_ZONE_RECLAIM_ACTIVE, &pz->flags);
	if (test_bit(ZONE_BELOW_HIGH, &zone->flags))
		set_bit(PGM_ZONE_BELOW_HIGH, &pz->flags);
	pz->compact_considered = zone->compact_considered;
	pz->compact_defer_shift = zone->compact_defer_shift;
	pz->compact_order_failed = zone->compact_order_failed;
	spin_unlock(&zone->lock);

	pcp = per_cpu_ptr(zone->per_cpu_pageset, c->cpu);
	ppcp->high = READ_ONCE(pcp->high);
	ppcp->high_min = READ_ONCE(pcp->high_min);
	ppcp->high_max = READ_ONCE(pcp->high_max);
	ppcp->batch = READ_ONCE(pcp->batch);
	ppcp->flags = READ_ONCE(pcp->flags);
	ppcp->alloc_factor = READ_ONCE(pcp->alloc_factor);
	ppcp->free_count = READ_ONCE(pcp->free_count);
	pz->pageset_high_min = zone->pageset_high_min;
	pz->pageset_high_max = zone->pageset_high_max;
	pz->pageset_batch = zone->pageset_batch;
	spin_unlock_irqrestore(&pz->lock, flags);
}

static void diff_kvfree(void *p)
{
	kvfree(p);
}

/* Free pages of the compared zones, deltas included */
static long diff_node_free(struct diff_ctx *c)
{
	long nr_free = 0;
	unsigned int z;

	for (z = 0; z < c->nr_zones; z++)
		nr_free += zone_page_state_snapshot(c->zones[z], NR_FREE_PAGES);
	return nr_free;
}

/* Every case of a suite: @nid's @want zones copied into a fresh instance */
static int diff_init_node(struct kunit *test, int nid, unsigned int want)
{
	const char *why = diff_unsupported(nid, want);
	struct pgm_topology topo;
	long before, after, lag = 0;
	unsigned int z;
	int tries;
	struct diff_ctx *c;

	if (why)
		kunit_skip(test, "%s", why);

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->test = test;
	c->nid = nid;
	c->where = "";
	c->nr_zones = diff_host_zones(nid, want, c->zones);
	KUNIT_ASSERT_EQ(test, c->nr_zones, want);
	for (z = 0; z < c->nr_zones; z++)
		c->max_held += c->zones[z]->spanned_pages;
	c->held = kvcalloc(c->max_held, sizeof(*c->held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->held);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, diff_kvfree,
							   c->held));
	test->priv = c;

	/* One CPU for the whole case: its pcp is the one compared */
	c->cpu = cpumask_first(cpu_online_mask);
	KUNIT_ASSERT_EQ(test, 0, set_cpus_allowed_ptr(current,
						      cpumask_of(c->cpu)));

	c->saved_failures = READ_ONCE(NODE_DATA(nid)->kswapd_failures);
	WRITE_ONCE(NODE_DATA(nid)->kswapd_failures, PGM_MAX_RECLAIM_RETRIES);

	/*
	 * Made first: its own allocations are over before the host settles.
	 * Its zones lie in enum order from pfn 0, each as long as the host's:
	 * a zone's pfns differ from the host's by one offset per zone.
	 */
	pgmt_topology(&topo, 1, 0, 0, 0, 0);
	for (z = 0; z < c->nr_zones; z++)
		topo.zone_pages[0][diff_zone_type(zone_idx(c->zones[z]))] =
			c->zones[z]->spanned_pages;
	topo.nr_cpus = num_online_cpus();
	/*
	 * Built as the host, for its order-9 pcp lists; the mode only moves
	 * min_free_kbytes, and diff_import() copies the watermarks
	 */
	topo.tun.transparent_hugepage =
		IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) ? PGM_THP_ALWAYS :
							  PGM_THP_NONE;
	c->inst = pgmt_create(test, &topo);
	for (z = 0; z < c->nr_zones; z++) {
		struct zone *zone = c->zones[z];

		c->pzs[z] = pgmt_zone(c->inst, 0,
				      diff_zone_type(zone_idx(zone)));
		KUNIT_ASSERT_EQ(test, c->pzs[z]->spanned_pages,
				zone->spanned_pages);
		c->bases[z] = zone->zone_start_pfn - c->pzs[z]->zone_start_pfn;
	}
	for (z = 0; z < c->nr_zones; z++) {
		unsigned long pfn = c->pzs[z]->zone_start_pfn;
		unsigned long end = pfn + c->pzs[z]->spanned_pages;

		c->blocks[z] = kvcalloc(DIV_ROUND_UP(end - pfn,
						     pageblock_nr_pages),
					sizeof(*c->blocks[z]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, c->blocks[z]);
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test, diff_kvfree,
							  c->blocks[z]));
		for (; pfn < end; pfn += pageblock_nr_pages)
			if (pfn_valid(c->bases[z] + pfn))
				c->blocks[z][c->nr_blocks[z]++] = pfn;
	}
	c->zone = c->zones[0];
	c->pz = c->pzs[0];
	c->base = c->bases[0];
	c->inst->node_data[0].kswapd_failures = PGM_MAX_RECLAIM_RETRIES;

	diff_exact_counters(c);
	/*
	 * What the last case freed through RCU (its records' slabs) lands on
	 * a pcp whenever the callbacks run, which the idle check below, on
	 * NR_FREE_PAGES, would not see: run them before the drain
	 */
	rcu_barrier();
	for (z = 0; z < c->nr_zones; z++) {
		struct zone *zone = c->zones[z];

		drain_all_pages(zone);
		/*
		 * Another CPU's unfolded delta (a drain of its pcp, say) would
		 * make the host's watermark checks read a count off by that
		 * much.
		 */
		lag += zone_page_state_snapshot(zone, NR_FREE_PAGES) -
		       zone_page_state(zone, NR_FREE_PAGES);
		/* A boost left by the last case would only shrink this one's room */
		spin_lock_irq(&zone->lock);
		zone->watermark_boost = 0;
		clear_bit(ZONE_BOOSTED_WATERMARK, &zone->flags);
		spin_unlock_irq(&zone->lock);
	}
	on_each_cpu(diff_fold_this_cpu, NULL, 1);

	/*
	 * Nothing else may allocate there while the case runs: a passing
	 * allocation gets five tries to settle, as make check's x86_64 run
	 * fails on any skip
	 */
	for (tries = 0; tries < 5; tries++) {
		before = diff_node_free(c);
		msleep(100);
		after = diff_node_free(c);
		if (before == after)
			break;
	}
	if (before != after)
		kunit_skip(test, "node %d is not idle: %ld free pages, then %ld",
			   nid, before, after);

	KUNIT_ASSERT_EQ(test, 0, pgm_explain_begin(c->inst));
	c->explaining = true;
	for (z = 0; z < c->nr_zones; z++)
		diff_import(c, z);
	scnprintf(c->op, sizeof(c->op), "import");
	KUNIT_ASSERT_TRUE(test, diff_compare(c, -1, -1));
	c->steps = 0;
	for (z = 0; z < c->nr_zones; z++) {
		struct zone *zone = c->zones[z];

		kunit_info(test, "node %d %s: pfn %lu+%lu, managed %lu, free %ld (%ld unfolded), wmarks %lu/%lu/%lu, lowmem_reserve %ld, pcp batch %d high %d\n",
			   nid, zone->name, zone->zone_start_pfn,
			   zone->spanned_pages, zone_managed_pages(zone),
			   zone_page_state_snapshot(zone, NR_FREE_PAGES), lag,
			   min_wmark_pages(zone), low_wmark_pages(zone),
			   high_wmark_pages(zone),
			   zone->lowmem_reserve[zone_idx(c->zones[0])],
			   c->pzs[z]->per_cpu_pageset[0].batch,
			   READ_ONCE(per_cpu_ptr(zone->per_cpu_pageset,
						 c->cpu)->high));
	}
	return 0;
}

static int diff_init(struct kunit *test)
{
	return diff_init_node(test, DIFF_NID, 1);
}

static void diff_exit(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	unsigned int z;

	if (!c)
		return;
	diff_release(c);
	if (c->explaining)
		pgm_explain_end(c->inst);
	for (z = 0; z < c->nr_zones; z++)
		drain_all_pages(c->zones[z]);
	diff_restore_thresholds(c);
	WRITE_ONCE(NODE_DATA(c->nid)->kswapd_failures, c->saved_failures);
	kunit_info(test, "%lu steps compared\n", c->steps);
}

/*
 * Hold off vmstat_update() and the shepherd: a queued run still comes,
 * then the next is an hour away.
 */
static void diff_hold_vmstat(void)
{
#ifdef CONFIG_SMP
	saved_stat_interval = READ_ONCE(sysctl_stat_interval);
	WRITE_ONCE(sysctl_stat_interval, 3600 * HZ);
	msleep(2 * jiffies_to_msecs(saved_stat_interval) + 500);
#endif
}

static int diff_suite_init(struct kunit_suite *suite)
{
	if (!diff_unsupported(DIFF_NID, 1))
		diff_hold_vmstat();
	return 0;
}

static void diff_suite_exit(struct kunit_suite *suite)
{
#ifdef CONFIG_SMP
	if (saved_stat_interval)
		WRITE_ONCE(sysctl_stat_interval, saved_stat_interval);
	saved_stat_interval = 0;
#endif
}

/* ==================== sequences ==================== */

/* A request both sides must grant; a shared failure is reported too */
static bool diff_get(struct diff_ctx *c, gfp_t gfp, unsigned int order)
{
	if (diff_alloc(c, gfp, order))
		return true;
	if (!c->failed)
		KUNIT_FAIL(c->test, "step %lu (%s): both sides failed",
			   c->steps, c->op);
	c->failed = true;
	return false;
}

/*
 * Free every held block, newest first or oldest first: diff_free() fills
 * a freed slot with the newest block, so the oldest go to the end first
 */
static bool diff_put_all(struct diff_ctx *c, bool oldest_first)
{
	unsigned int i;

	for (i = 0; oldest_first && i < c->nr_held / 2; i++)
		swap(c->held[i], c->held[c->nr_held - 1 - i]);
	while (c->nr_held)
		if (!diff_free(c, c->nr_held - 1))
			return false;
	return true;
}

static const gfp_t diff_matrix_gfps[] = {
	GFP_KERNEL, GFP_ATOMIC, GFP_USER, GFP_HIGHUSER_MOVABLE,
	GFP_KERNEL | __GFP_RECLAIMABLE, GFP_NOWAIT,
};

/* Orders 0..10 under six masks: two of each, then both freed */
static void diff_fresh_matrix(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	unsigned int g, order;

	for (g = 0; g < ARRAY_SIZE(diff_matrix_gfps); g++) {
		for (order = 0; order < NR_PAGE_ORDERS; order++) {
			if (!diff_get(c, diff_matrix_gfps[g], order) ||
			    !diff_get(c, diff_matrix_gfps[g], order) ||
			    !diff_free(c, c->nr_held - 2) ||
			    !diff_free(c, c->nr_held - 1))
				return;
		}
	}
	/* The same again, all held until the end, then freed oldest first */
	for (g = 0; g < ARRAY_SIZE(diff_matrix_gfps); g++)
		for (order = 0; order < NR_PAGE_ORDERS; order++)
			if (!diff_get(c, diff_matrix_gfps[g], order))
				return;
	diff_put_all(c, true);
}

/*
 * The pcp: order-0 runs across batch and high in both directions, the
 * order 1..3 lists, and the two pageblock-order lists.
 */
static void diff_pcp(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	int batch = c->pz->per_cpu_pageset[0].batch;
	int i, n = 3 * c->real.pcp_high + batch;
	unsigned int order;

	for (i = 0; i < n; i++)
		if (!diff_get(c, GFP_KERNEL, 0))
			return;
	if (!diff_put_all(c, false))
		return;
	for (i = 0; i < n; i++)
		if (!diff_get(c, i & 1 ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL, 0))
			return;
	if (!diff_put_all(c, true) || !diff_drain(c))
		return;
	for (order = 1; order <= PAGE_ALLOC_COSTLY_ORDER; order++) {
		for (i = 0; i < 4 * batch; i++)
			if (!diff_get(c, GFP_KERNEL, order))
				return;
		if (!diff_put_all(c, false))
			return;
	}
	/* A freed movable order-9 block must not serve an unmovable one */
	for (i = 0; i < 3; i++)
		if (!diff_get(c, GFP_HIGHUSER_MOVABLE, pageblock_order))
			return;
	if (!diff_put_all(c, false))
		return;
	for (i = 0; i < 3; i++)
		if (!diff_get(c, GFP_KERNEL, pageblock_order))
			return;
	if (diff_put_all(c, true))
		diff_drain(c);
}

/*
 * Whether a block of @order can go with more than @margin pages left
 * above the high watermark, boost included (fallbacks raise it).
 */
static bool diff_room(struct diff_ctx *c, unsigned int order, long margin)
{
	return c->mirror.nr_free - (1L << order) >
	       (long)high_wmark_pages(c->zone) + margin;
}

/*
 * Allocate @gfp blocks of @order while diff_room() allows and the fast
 * path can serve the order.
 */
static bool diff_fill(struct diff_ctx *c, gfp_t gfp, unsigned int order,
		      long margin)
{
	while (diff_room(c, order, margin) &&
	       diff_order_free(c, order) && c->nr_held < c->max_held)
		if (!diff_get(c, gfp, order))
			return false;
	return !c->failed;
}

static unsigned long diff_pfn(struct diff_ctx *c, unsigned int i)
{
	return pgm_page_to_pfn(c->inst, c->held[i].mirror);
}

/* Free pages on @mt's buddy lists, in the last comparison */
static unsigned long diff_type_pages(struct diff_ctx *c, int mt)
{
	unsigned long pages = 0;
	unsigned int order;

	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++)
		pages += (unsigned long)c->mirror.nr_blocks[order][mt] << order;
	return pages;
}

/* Take every free block of @mt's lists from @min_order up, largest first */
static bool diff_take_type(struct diff_ctx *c, gfp_t gfp, int mt,
			   int min_order, long margin)
{
	int order;

	for (order = MAX_PAGE_ORDER; order >= min_order; order--)
		while (c->mirror.nr_blocks[order][mt] &&
		       diff_room(c, order, margin))
			if (!diff_get(c, gfp, order))
				return false;
	return !c->failed;
}

/* The host's pageblocks of @mt in the compared zone */
static unsigned long diff_host_blocks(struct diff_ctx *c, int mt)
{
	unsigned long pfn, end = c->pz->spanned_pages, n = 0;

	for (pfn = 0; pfn < end; pfn += pageblock_nr_pages)
		if (pfn_valid(c->base + pfn) &&
		    diff_mt(get_pageblock_migratetype(pfn_to_page(c->base +
								  pfn))) == mt)
			n++;
	return n;
}

/*
 * Steal and claim. A movable order-10 block is held aside. Unmovable
 * pageblocks with three 16-page runs free in eight (192 free pages of
 * 512) are made, and every movable and reclaimable free block is taken,
 * and every unmovable one past those runs (order 6 and up). Once the
 * movable pages the pcp and the drain hold are used, a movable request
 * finds only those blocks:
 * free + alike is 192 at most, below half a block (the held pages are on
 * no LRU, so none is alike), and it steals: no block changes type on the
 * host. Then the movable order-10 block comes back and order-6 movable
 * requests use 832 of its pages, the tail 192 free in its second block.
 * A reclaimable request, which finds nothing free of its own, looks from
 * the top order down: the first fallback it meets is that block's free
 * order-7 run, and a movable block counts every page in use as alike:
 * 192 + 320, so it claims the block, as the host does.
 */
static void diff_steal_claim(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	long margin = MAX_ORDER_NR_PAGES;
	unsigned long claims, steals, unmovable;
	struct page *block;
	unsigned int i;
	long n, nr;

	/* The movable block the claim comes to, held until then */
	if (!diff_get(c, GFP_HIGHUSER_MOVABLE, MAX_PAGE_ORDER))
		return;
	block = c->held[0].page;
	KUNIT_ASSERT_EQ(test, get_pageblock_migratetype(block), MIGRATE_MOVABLE);

	/*
	 * Three quarters of the free pages, in whole pageblocks: the 3/8 of
	 * them freed again leave room for the boost the fallbacks raise (up
	 * to 1.5 times high).
	 */
	nr = round_down(c->real.nr_free * 3 / 4, pageblock_nr_pages);
	for (n = 0; n < nr; n++)
		if (!diff_get(c, GFP_KERNEL, 0))
			return;
	for (i = 0; i < c->nr_held;) {
		if (!c->held[i].order && (diff_pfn(c, i) >> 4) % 8 < 3) {
			if (!diff_free(c, i))
				return;
			continue;
		}
		i++;
	}
	if (!diff_drain(c) ||
	    !diff_take_type(c, GFP_KERNEL | __GFP_RECLAIMABLE,
			    PGM_MIGRATE_RECLAIMABLE, 0, margin) ||
	    !diff_take_type(c, GFP_HIGHUSER_MOVABLE, PGM_MIGRATE_MOVABLE, 0,
			    margin) ||
	    !diff_drain(c))
		return;
	/*
	 * What the drain gave back: unmovable blocks past the runs, and
	 * reclaimable ones a pcp refill claimed, from order 4 up (what is
	 * left is too small for a movable request to claim with)
	 */
	if (!diff_take_type(c, GFP_KERNEL, PGM_MIGRATE_UNMOVABLE, 6, margin) ||
	    !diff_take_type(c, GFP_KERNEL | __GFP_RECLAIMABLE,
			    PGM_MIGRATE_RECLAIMABLE, 4, margin))
		return;
	kunit_info(test, "%ld free (high %lu with boost); buddy pages unmovable %lu, movable %lu, reclaimable %lu\n",
		   c->mirror.nr_free, high_wmark_pages(c->zone),
		   diff_type_pages(c, PGM_MIGRATE_UNMOVABLE),
		   diff_type_pages(c, PGM_MIGRATE_MOVABLE),
		   diff_type_pages(c, PGM_MIGRATE_RECLAIMABLE));
	claims = pgmt_event(c->inst, PGM_EXTFRAG_CLAIM);
	steals = pgmt_event(c->inst, PGM_EXTFRAG_STEAL);
	unmovable = diff_host_blocks(c, PGM_MIGRATE_UNMOVABLE);
	/*
	 * The pcp's cached movable pages and what the drain gave back go
	 * first; then the requests steal. Sixty-four more after the first.
	 */
	for (n = 0, nr = 64; nr && diff_room(c, 2, margin); n++) {
		if (!diff_get(c, GFP_HIGHUSER_MOVABLE, n % 3))
			return;
		if (pgmt_event(c->inst, PGM_EXTFRAG_STEAL) > steals)
			nr--;
	}
	KUNIT_EXPECT_GT(test, pgmt_event(c->inst, PGM_EXTFRAG_STEAL), steals);
	KUNIT_EXPECT_EQ(test, pgmt_event(c->inst, PGM_EXTFRAG_CLAIM), claims);
	KUNIT_EXPECT_EQ(test, diff_host_blocks(c, PGM_MIGRATE_UNMOVABLE),
			unmovable);

	/* The movable order-10 block back, 832 of its pages used */
	for (i = 0; c->held[i].page != block; i++)
		;
	if (!diff_free(c, i))
		return;
	for (n = 0; n < 13; n++)
		if (!diff_get(c, GFP_HIGHUSER_MOVABLE, 6))
			return;
	/* Split low half first: the thirteenth is at 768, 192 free after */
	KUNIT_ASSERT_PTR_EQ(test, c->held[c->nr_held - 1].page,
			    block + 12 * 64);
	/*
	 * What the drains gave back to the reclaimable lists goes too, from
	 * order 4 up: the pcp's order-9 refill finds no second block to take
	 */
	if (!diff_drain(c) ||
	    !diff_take_type(c, GFP_KERNEL | __GFP_RECLAIMABLE,
			    PGM_MIGRATE_RECLAIMABLE, 4, 0))
		return;
	claims = pgmt_event(c->inst, PGM_EXTFRAG_CLAIM);
	for (n = 0; n < 64; n++)
		if (!diff_get(c, GFP_KERNEL | __GFP_RECLAIMABLE, n % 4))
			return;
	kunit_info(test, "claims %lu\n",
		   pgmt_event(c->inst, PGM_EXTFRAG_CLAIM) - claims);
	KUNIT_EXPECT_EQ(test, get_pageblock_migratetype(block),
			MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test,
			get_pageblock_migratetype(block + pageblock_nr_pages),
			MIGRATE_RECLAIMABLE);
	KUNIT_EXPECT_GT(test, pgmt_event(c->inst, PGM_EXTFRAG_CLAIM), claims);
	if (diff_put_all(c, false))
		diff_drain(c);
}

/*
 * The watermark boundaries. GFP_NOWAIT fails below min (after its slow
 * path retry at min), GFP_ATOMIC below its share of the reserve. Below
 * low, high-order requests that may not block reserve a highatomic block
 * (__GFP_HIGH alone: kswapd's flag would wake the host's kcompactd). One
 * GFP_KERNEL request below min then reclaims nothing, gives a reserved
 * block back if one has free pages left (as the real allocator does, in
 * the same run) and tries the high watermark before the OOM killer (which
 * __GFP_THISNODE skips): whether it then gets a page is the host's to
 * say, with the drain before it and the block given back.
 */
static void diff_watermarks(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	int bound = zone_managed_pages(c->zone);
	unsigned long reserve, unreserve, real_reserved;
	bool reserves, gave_back;
	unsigned int order;
	int n;

	for (order = MAX_PAGE_ORDER; order > 0; order--)
		if (!diff_fill(c, GFP_KERNEL, order, 2 * MAX_ORDER_NR_PAGES))
			return;
	/* Down through low to min with order-0 pages, until one fails */
	for (n = 0; n < bound; n++)
		if (!diff_alloc(c, GFP_NOWAIT, 0))
			break;
	if (c->failed)
		return;
	KUNIT_EXPECT_LT_MSG(test, n, bound, "GFP_NOWAIT never failed");

	/*
	 * No drain first: the pcp's pages do not count as free, and a drain
	 * could lift the zone back above low.
	 */

	reserve = pgmt_event(c->inst, PGM_HIGHATOMIC_RESERVE);
	for (order = 1; order <= PAGE_ALLOC_COSTLY_ORDER; order++)
		for (n = 0; n < 2; n++)
			diff_alloc(c, __GFP_HIGH, order);
	for (n = 0; n < bound; n++)
		if (!diff_alloc(c, GFP_ATOMIC, 0))
			break;
	if (c->failed || !diff_drain(c))
		return;
	KUNIT_EXPECT_LT_MSG(test, n, bound, "GFP_ATOMIC never failed");
	kunit_info(test, "GFP_ATOMIC stopped at %ld free (min %lu); %lu highatomic pages reserved\n",
		   c->real.nr_free, min_wmark_pages(c->zone),
		   c->zone->nr_reserved_highatomic);
	/*
	 * No reservation at all where 1% of the zone is under a pageblock;
	 * make check sizes node 1 so that there is one to compare
	 */
	reserves = zone_managed_pages(c->zone) / 100 >= pageblock_nr_pages;
	KUNIT_EXPECT_EQ(test, pgmt_event(c->inst, PGM_HIGHATOMIC_RESERVE) >
			reserve, reserves);
	KUNIT_EXPECT_TRUE_MSG(test, reserves,
			      "node 1 (%lu managed) holds no highatomic reserve",
			      zone_managed_pages(c->zone));

	/*
	 * A reserved block goes back only if one still has free pages, which
	 * the GFP_ATOMIC run may have used up: the real allocator decides.
	 */
	unreserve = pgmt_event(c->inst, PGM_HIGHATOMIC_UNRESERVE);
	real_reserved = READ_ONCE(c->zone->nr_reserved_highatomic);
	diff_alloc(c, GFP_KERNEL, 0);
	if (c->failed)
		return;
	gave_back = READ_ONCE(c->zone->nr_reserved_highatomic) < real_reserved;
	kunit_info(test, "GFP_KERNEL below min: %s\n",
		   gave_back ? "a reserved block given back" :
			       "no reserved block with free pages to give back");
	KUNIT_EXPECT_EQ(test, pgmt_event(c->inst, PGM_HIGHATOMIC_UNRESERVE) >
			unreserve, gave_back);

	/* And back up, with a GFP_NOWAIT probe after every eighth free */
	for (n = 0; c->nr_held; n++) {
		if (!diff_free(c, c->nr_held - 1))
			return;
		if (n % 8 == 7 && diff_alloc(c, GFP_NOWAIT, 0) &&
		    !diff_free(c, c->nr_held - 1))
			return;
	}
	diff_drain(c);
}

/*
 * alloc_pages_bulk(): runs served from the pcp list under one lock, the
 * one-page request that goes to the single-page path, a run longer than
 * pcp high, and runs after frees and a drain.
 */
static void diff_bulk_runs(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	unsigned int high = c->real.pcp_high;

	if (!diff_bulk(c, GFP_KERNEL, 100) ||
	    !diff_bulk(c, GFP_HIGHUSER_MOVABLE, 300) ||
	    !diff_bulk(c, GFP_KERNEL, 1) ||
	    !diff_bulk(c, GFP_USER, 2 * high + 7))
		return;
	/* Far above the watermarks every slot is filled */
	KUNIT_EXPECT_EQ(test, c->nr_held, 401 + 2 * high + 7);
	if (!diff_put_all(c, false) ||
	    !diff_bulk(c, GFP_KERNEL, 500) ||
	    !diff_drain(c) ||
	    !diff_bulk(c, GFP_HIGHUSER_MOVABLE, 64))
		return;
	diff_put_all(c, true);
}

#ifdef CONFIG_MEMORY_ISOLATION
/*
 * The largest free block of at least a pageblock in the copy, or NULL:
 * earlier cases may have left the large blocks on any of the three lists
 */
static struct pgm_page *diff_largest_free_block(struct diff_ctx *c)
{
	struct pgm_page *first = NULL;
	unsigned int order;
	int mt;

	for (order = MAX_PAGE_ORDER; order >= pageblock_order && !first;
	     order--)
		for (mt = 0; mt < PGM_MIGRATE_PCPTYPES && !first; mt++)
			first = pgm_list_first(c->inst->memmap,
					       &c->pz->free_area[order].free_list[mt]);
	return first;
}

/* Both sides returned the same errno, and then have the same state */
static int diff_errnos(struct diff_ctx *c, int r, int m)
{
	if (r != m)
		diff_report(c, "host returned %d, pgmirror %d", r, m);
	diff_compare(c, -1, -1);
	return c->failed ? -EIO : r;
}

/* start_isolate_page_range() on both sides: the same errno, then the state */
static int diff_isolate(struct diff_ctx *c, unsigned long start,
			unsigned long end)
{
	unsigned long bad = 0;
	int r, m;

	if (c->failed)
		return -EIO;
	scnprintf(c->op, sizeof(c->op), "isolate pfn %lu-%lu", start, end);
	diff_fold(c);
	r = start_isolate_page_range(c->base + start, c->base + end,
				     MIGRATE_MOVABLE, 0, GFP_KERNEL);
	m = pgm_start_isolate_page_range(c->inst, start, end,
					 PGM_MIGRATE_MOVABLE, &bad);
	return diff_errnos(c, r, m);
}

static void diff_unisolate(struct diff_ctx *c, unsigned long start,
			   unsigned long end)
{
	if (c->failed)
		return;
	scnprintf(c->op, sizeof(c->op), "unisolate pfn %lu-%lu", start, end);
	diff_fold(c);
	undo_isolate_page_range(c->base + start, c->base + end,
				MIGRATE_MOVABLE);
	pgm_undo_isolate_page_range(c->inst, start, end, PGM_MIGRATE_MOVABLE);
	diff_compare(c, -1, -1);
}

/* test_pages_isolated() on both sides */
static int diff_test_isolated(struct diff_ctx *c, unsigned long start,
			      unsigned long end)
{
	unsigned long busy = 0;
	int r, m;

	scnprintf(c->op, sizeof(c->op), "test_pages_isolated pfn %lu-%lu",
		  start, end);
	r = test_pages_isolated(c->base + start, c->base + end, 0);
	m = pgm_test_pages_isolated(c->inst, start, end, &busy);
	if (r != m)
		diff_report(c, "host returned %d, pgmirror %d", r, m);
	diff_compare(c, -1, -1);
	return r;
}

/*
 * Pageblock isolation: the largest free block (order 10 or 9) isolated
 * (its pages leave NR_FREE_PAGES and the lists requests use), requests
 * served around it,
 * the isolation undone (the block is free again where it was), and
 * ranges holding a page in use refused with EBUSY, unmovable or movable
 * alike: the host's pages are not on an LRU.
 */
static void diff_isolation(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	struct pgm_page *first;
	unsigned long start, end, pb;
	int n;

	first = diff_largest_free_block(c);
	if (!first)
		kunit_skip(test, "no free block of a pageblock or more on node 1");
	start = pgm_page_to_pfn(c->inst, first);
	end = start + (1UL << pgm_buddy_order(first));
	KUNIT_EXPECT_EQ(test, diff_isolate(c, start, end), 0);
	KUNIT_EXPECT_EQ(test, diff_test_isolated(c, start, end), 0);
	for (n = 0; n < 4; n++)
		if (!diff_get(c, GFP_KERNEL, MAX_PAGE_ORDER))
			return;
	for (n = 0; n < 100; n++)
		if (!diff_get(c, GFP_HIGHUSER_MOVABLE, n % 4))
			return;
	diff_unisolate(c, start, end);

	/* Unaligned: both sides widen the range to the blocks it touches */
	KUNIT_EXPECT_EQ(test, diff_isolate(c, start + 37, start + 300), 0);
	diff_test_isolated(c, start + 37, start + 300);
	diff_unisolate(c, start + 37, start + 300);

	/* A block with a page in use, unmovable, then movable */
	if (!diff_get(c, GFP_KERNEL, 0))
		return;
	pb = round_down(diff_pfn(c, c->nr_held - 1), pageblock_nr_pages);
	KUNIT_EXPECT_EQ(test, diff_isolate(c, pb, pb + pageblock_nr_pages),
			-EBUSY);
	if (!diff_get(c, GFP_HIGHUSER_MOVABLE, 0))
		return;
	pb = round_down(diff_pfn(c, c->nr_held - 1), pageblock_nr_pages);
	KUNIT_EXPECT_EQ(test, diff_isolate(c, pb, pb + pageblock_nr_pages),
			-EBUSY);
	diff_put_all(c, false);
}
#endif

#ifdef CONFIG_CONTIG_ALLOC
/* alloc_contig_range() on both sides: the same errno, then the state */
static int diff_contig_range(struct diff_ctx *c, unsigned long start,
			     unsigned long end)
{
	struct pgm_contig_info info = {};
	int r, m;

	if (c->failed)
		return -EIO;
	scnprintf(c->op, sizeof(c->op), "alloc_contig_range pfn %lu-%lu",
		  start, end);
	diff_fold(c);
	r = alloc_contig_range(c->base + start, c->base + end,
			       MIGRATE_MOVABLE, GFP_KERNEL | __GFP_NOWARN);
	m = pgm_alloc_contig_range(c->inst, start, end, PGM_MIGRATE_MOVABLE,
				   GFP_KERNEL | __GFP_NOWARN, &info);
	return diff_errnos(c, r, m);
}

/* free_contig_range() on both sides, a page at a time through the pcp */
static bool diff_free_contig(struct diff_ctx *c, unsigned long start,
			     unsigned long nr)
{
	if (c->failed)
		return false;
	scnprintf(c->op, sizeof(c->op), "free_contig_range pfn %lu+%lu",
		  start, nr);
	diff_fold(c);
	free_contig_range(c->base + start, nr);
	pgm_free_contig_range(c->inst, start, nr);
	return diff_compare(c, -1, -1);
}

/*
 * alloc_contig_range() over an unaligned range inside the largest free
 * block: both sides isolate the same pageblocks, take the same outer
 * blocks, free the same head and tail page by page, and end with the
 * same free lists; the range freed again merges the same way. A range
 * whose pageblock holds a page in use is refused with EBUSY by both.
 */
static void diff_contig(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	struct pgm_page *first;
	unsigned long start, end, pfn;
	unsigned int order;

	first = diff_largest_free_block(c);
	if (!first)
		kunit_skip(test, "no free block of a pageblock or more on node 1");
	order = pgm_buddy_order(first);
	start = pgm_page_to_pfn(c->inst, first) + 37;
	end = pgm_page_to_pfn(c->inst, first) + (3UL << order) / 4 + 5;
	KUNIT_ASSERT_EQ(test, diff_contig_range(c, start, end), 0);
	if (!diff_free_contig(c, start, end - start) || !diff_drain(c))
		return;

	if (!diff_get(c, GFP_KERNEL, 0))
		return;
	pfn = diff_pfn(c, c->nr_held - 1);
	KUNIT_EXPECT_EQ(test, diff_contig_range(c, pfn, pfn + 1),
			-EBUSY);
	diff_put_all(c, false);
}
#endif

static const struct {
	gfp_t gfp;
	int weight;
} diff_mix_gfps[] = {
	{ GFP_KERNEL, 4 },
	{ GFP_HIGHUSER_MOVABLE, 4 },
	{ GFP_USER, 2 },
	{ GFP_KERNEL | __GFP_RECLAIMABLE, 2 },
	{ GFP_ATOMIC, 1 },
	{ GFP_NOWAIT, 1 },
};

/* Orders weighted as real traffic: mostly 0, the pcp orders, some high */
static unsigned int diff_mix_order(struct rnd_state *rnd)
{
	u32 r = prandom_u32_state(rnd) % 100;

	if (r < 60)
		return 0;
	if (r < 85)
		return 1 + r % 3;
	if (r < 95)
		return r % 2 ? pageblock_order : 4;
	return r % NR_PAGE_ORDERS;
}

static gfp_t diff_mix_gfp(struct rnd_state *rnd)
{
	int total = 0, i, r;

	for (i = 0; i < ARRAY_SIZE(diff_mix_gfps); i++)
		total += diff_mix_gfps[i].weight;
	r = prandom_u32_state(rnd) % total;
	for (i = 0; r >= diff_mix_gfps[i].weight; i++)
		r -= diff_mix_gfps[i].weight;
	return diff_mix_gfps[i].gfp;
}

/*
 * On a node of two zones, one request in four is DMA32's own: its
 * highest zone is DMA32, whose lowmem_reserve for it is 0 (not a
 * movable request into Normal, which would need __GFP_HIGHMEM)
 */
static gfp_t diff_zone_gfp(struct diff_ctx *c, struct rnd_state *rnd,
			   gfp_t gfp)
{
	if (c->nr_zones > 1 && !(prandom_u32_state(rnd) % 4))
		gfp = (gfp & ~__GFP_HIGHMEM) | __GFP_DMA32;
	return gfp;
}

/*
 * A seeded mix of 10,000 steps: allocations (one in fifty a bulk run of
 * up to 64 pages), frees of random held blocks and drains, with at most
 * half the zone held, so that no request nears the watermarks, and a
 * request only for an order some free list can serve.
 */
static void diff_random_mix_one(struct kunit *test, struct diff_ctx *c,
				u64 seed)
{
	long floor = c->real.nr_free / 2;
	struct rnd_state rnd;
	int step;

	prandom_seed_state(&rnd, seed);
	kunit_info(test, "seed %llu (differential_test.differential_seed=N)\n",
		   seed);
	for (step = 0; step < 10000 && !c->failed; step++) {
		u32 r = prandom_u32_state(&rnd) % 100;
		unsigned int order = diff_mix_order(&rnd);

		if (r < 1)
			diff_drain(c);
		else if (r < 3 && c->mirror.nr_free - 64 >= floor)
			diff_bulk(c, diff_zone_gfp(c, &rnd, diff_mix_gfp(&rnd)),
				  1 + prandom_u32_state(&rnd) % 64);
		else if (c->nr_held &&
			 (r < 45 || c->mirror.nr_free - (1L << order) < floor ||
			  !diff_order_free(c, order)))
			diff_free(c, prandom_u32_state(&rnd) % c->nr_held);
		else if (diff_order_free(c, order))
			diff_alloc(c, diff_zone_gfp(c, &rnd, diff_mix_gfp(&rnd)),
				   order);
	}
	while (c->nr_held && !c->failed)
		diff_free(c, prandom_u32_state(&rnd) % c->nr_held);
}

/* The @k-th seed of a random mix: differential_seed's, or @dflt, and up */
static u64 diff_seed(u64 dflt, unsigned int k)
{
	return (differential_seed ? differential_seed : dflt) + k;
}

static void diff_random_mix(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	unsigned int k;

	for (k = 0; k < max(differential_seeds, 1U) && !c->failed; k++)
		diff_random_mix_one(test, c, diff_seed(20261128, k));
}

/* Requests that cannot block, each as likely: nothing reclaims or compacts */
static gfp_t diff_low_gfp(struct rnd_state *rnd, unsigned int order)
{
	/* __GFP_NOMEMALLOC: the reserve's first half only, no highatomic */
	static const gfp_t order0[] = {
		GFP_NOWAIT, GFP_NOWAIT | __GFP_MOVABLE,
		GFP_NOWAIT | __GFP_RECLAIMABLE, GFP_ATOMIC,
		GFP_ATOMIC | __GFP_MOVABLE, __GFP_HIGH,
		GFP_ATOMIC | __GFP_NOMEMALLOC,
	};
	static const gfp_t high_order[] = {
		__GFP_HIGH, __GFP_HIGH | __GFP_MOVABLE,
		__GFP_HIGH | __GFP_RECLAIMABLE, 0, __GFP_MOVABLE,
		__GFP_HIGH | __GFP_NOMEMALLOC,
	};
	u32 r = prandom_u32_state(rnd);

	/* An order > 0 with kswapd's flag would wake the host's kcompactd */
	if (order)
		return high_order[r % ARRAY_SIZE(high_order)];
	return order0[r % ARRAY_SIZE(order0)];
}

/*
 * A seeded mix of 10,000 steps kept at the watermarks: the zone is filled
 * to just above high, then allocations take it down and frees lift it
 * back. Rounds of 1000 steps take turns at where that is: at low, where
 * the fast path's check (a bulk run's too, raised by its length) starts
 * to fail; at min, where an order-0 GFP_NOWAIT request fails; and deeper,
 * where only the reserve __GFP_HIGH opens to a request that cannot block
 * fails (min less a half and then a quarter). Requests of every order and
 * bulk runs of up to 64 pages so meet low and min from both sides, with
 * the pcp's high shrunk below high and fallbacks from short lists. Only
 * requests that cannot block, so that neither side reclaims, compacts or
 * kills: which fail, and where, is the host's to say.
 */
static unsigned long diff_random_low_one(struct kunit *test,
					 struct diff_ctx *c, u64 seed)
{
	unsigned long fails = 0, steps, below_min = 0, reserved;
	bool failed_last = false;
	struct rnd_state rnd;
	unsigned int order;

	for (order = MAX_PAGE_ORDER; order > 0; order--)
		if (!diff_fill(c, GFP_KERNEL, order, 2 * MAX_ORDER_NR_PAGES))
			return 0;
	prandom_seed_state(&rnd, seed);
	kunit_info(test, "seed %llu (differential_test.differential_seed=N)\n",
		   seed);
	reserved = pgmt_event(c->inst, PGM_HIGHATOMIC_RESERVE);
	for (steps = 0; steps < 10000 && !c->failed; steps++) {
		u32 r = prandom_u32_state(&rnd) % 100;
		long above = c->mirror.nr_free - (long)high_wmark_pages(c->zone);
		bool at_low = steps / 1000 % 3 == 0, deep = steps / 1000 % 3 == 2;
		bool below_low = c->mirror.nr_free <
				 (long)low_wmark_pages(c->zone);
		gfp_t gfp;

		order = diff_mix_order(&rnd);
		gfp = diff_zone_gfp(c, &rnd, diff_low_gfp(&rnd, order));
		if (r < 1) {
			diff_drain(c);
		} else if (r < 3) {
			diff_bulk(c, diff_zone_gfp(c, &rnd, diff_low_gfp(&rnd, 0)),
				  1 + prandom_u32_state(&rnd) % 64);
		} else if (c->nr_held && above < MAX_ORDER_NR_PAGES &&
			   (failed_last || (at_low && below_low) || r < 10)) {
			diff_free(c, prandom_u32_state(&rnd) % c->nr_held);
			failed_last = false;
		} else if (!diff_alloc(c, gfp, order)) {
			fails++;
			/* The round's floor: where its order-0 requests stop */
			failed_last = !order && (!deep || (gfp & __GFP_HIGH));
		} else {
			below_min += c->mirror.nr_free <
				     (long)min_wmark_pages(c->zone);
		}
	}
	reserved = pgmt_event(c->inst, PGM_HIGHATOMIC_RESERVE) - reserved;
	kunit_info(test, "%lu steps, %lu requests failed on both sides, %lu granted below min, %lu highatomic reserves\n",
		   steps, fails, below_min, reserved);
	/* The mix must reach the watermarks it is written for */
	if (!c->failed) {
		KUNIT_EXPECT_GT(test, fails, 100UL);
		KUNIT_EXPECT_GT(test, below_min, 0UL);
	}
	while (c->nr_held && !c->failed)
		diff_free(c, prandom_u32_state(&rnd) % c->nr_held);
	diff_drain(c);
	return reserved;
}

static void diff_random_low(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	unsigned long reserved = 0;
	unsigned int k;

	/* diff_watermarks compares the explained checks at the marks */
	diff_unexplained(c);
	for (k = 0; k < max(differential_seeds, 1U) && !c->failed; k++)
		reserved += diff_random_low_one(test, c, diff_seed(20261201, k));
	/*
	 * High-order requests below low reserve where the zone allows one
	 * (nothing gives a block back, so only the first seeds may)
	 */
	if (!c->failed &&
	    zone_managed_pages(c->zone) / 100 >= pageblock_nr_pages)
		KUNIT_EXPECT_GT(test, reserved, 0UL);
}

/* The copy's pageblock at @pfn retyped is one report, retyped back none */
static void diff_retype_detected(struct diff_ctx *c, unsigned long pfn)
{
	int old = pgm_get_pfnblock_migratetype(c->inst, pfn);
	unsigned int reports = c->nr_reports;

	pgm_set_pageblock_migratetype(c->inst, pfn, old == PGM_MIGRATE_MOVABLE ?
				      PGM_MIGRATE_UNMOVABLE :
				      PGM_MIGRATE_MOVABLE);
	scnprintf(c->op, sizeof(c->op), "the pageblock at pfn %lu retyped",
		  pfn);
	KUNIT_EXPECT_FALSE(c->test, diff_compare(c, -1, -1));
	KUNIT_EXPECT_EQ(c->test, c->nr_reports, reports + 1);
	pgm_set_pageblock_migratetype(c->inst, pfn, old);
	KUNIT_EXPECT_TRUE(c->test, diff_compare(c, -1, -1));
}

/*
 * The comparison can fail: a copy that differs from the host in one list's
 * order, one pageblock's type or the pcp's high is caught.
 */
static void diff_detects(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	struct pgm_per_cpu_pages *pcp = &c->pz->per_cpu_pageset[0];
	struct pgm_list *list = NULL;
	struct pgm_page *first;
	unsigned int order = 0, reports, pindex;
	unsigned long flags;
	int mt;

	c->quiet = true;
	diff_retype_detected(c, 0);

	pcp->high++;
	scnprintf(c->op, sizeof(c->op), "pcp high moved");
	reports = c->nr_reports;
	KUNIT_EXPECT_FALSE(test, diff_compare(c, -1, -1));
	KUNIT_EXPECT_EQ(test, c->nr_reports, reports + 1);
	pcp->high--;
	KUNIT_EXPECT_TRUE(test, diff_compare(c, -1, -1));

	/*
	 * A refill leaves a batch on the order-0 movable pcp list; its first
	 * block moved to the tail is one report, moved back none
	 */
	c->quiet = false;
	KUNIT_ASSERT_TRUE(test, diff_get(c, GFP_HIGHUSER_MOVABLE, 0));
	KUNIT_ASSERT_TRUE(test, diff_free(c, 0));
	c->quiet = true;
	pindex = pgm_order_to_pindex(PGM_MIGRATE_MOVABLE, 0);
	list = &pcp->lists[pindex];
	KUNIT_ASSERT_GE(test, c->mirror.pcp_nr[pindex], 2U);
	spin_lock_irqsave(&pcp->lock, flags);
	first = pgm_list_first(c->inst->memmap, list);
	pgm_list_move_tail(c->inst->memmap, first, list, list);
	spin_unlock_irqrestore(&pcp->lock, flags);
	scnprintf(c->op, sizeof(c->op), "order-0 movable pcp list rotated");
	reports = c->nr_reports;
	KUNIT_EXPECT_FALSE(test, diff_compare(c, -1, -1));
	KUNIT_EXPECT_EQ(test, c->nr_reports, reports + 1);
	spin_lock_irqsave(&pcp->lock, flags);
	pgm_list_del(c->inst->memmap, first, list);
	pgm_list_add(c->inst->memmap, first, list);
	spin_unlock_irqrestore(&pcp->lock, flags);
	KUNIT_EXPECT_TRUE(test, diff_compare(c, -1, -1));
	list = NULL;

	/* The movable list with two blocks or more, of the highest order */
	mt = PGM_MIGRATE_MOVABLE;
	for (order = MAX_PAGE_ORDER; order > 0; order--) {
		if (c->mirror.nr_blocks[order][mt] >= 2) {
			list = &c->pz->free_area[order].free_list[mt];
			break;
		}
	}
	KUNIT_ASSERT_NOT_NULL(test, list);
	spin_lock_irqsave(&c->pz->lock, flags);
	/* The first block moves to the tail */
	first = pgm_list_first(c->inst->memmap, list);
	pgm_list_move_tail(c->inst->memmap, first, list, list);
	spin_unlock_irqrestore(&c->pz->lock, flags);
	scnprintf(c->op, sizeof(c->op), "order %u movable list rotated", order);
	KUNIT_EXPECT_FALSE(test, diff_compare(c, -1, -1));
	/* The next request of that order takes a different block */
	reports = c->nr_reports;
	diff_alloc(c, GFP_HIGHUSER_MOVABLE, order);
	KUNIT_EXPECT_GT(test, c->nr_reports, reports);
	KUNIT_EXPECT_EQ(test, c->nr_held, 0);
	c->quiet = false;
}

/*
 * zone_pcp_update_cacheinfo(): handed this CPU's cache share, the mirror
 * sets PCPF_FREE_HIGH_BATCH on the compared pcp exactly when the host
 * did, against the batch it works out as the host did
 * (zone_set_pageset_high_and_batch()); then on each side of the boundary
 * there
 */
static void diff_cacheinfo(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	struct pgm_per_cpu_pages *ppcp = &c->pz->per_cpu_pageset[0];
	struct per_cpu_pages *pcp = per_cpu_ptr(c->zone->per_cpu_pageset,
						c->cpu);
	unsigned int slice = get_cpu_cacheinfo(c->cpu)->per_cpu_data_slice_size;
	bool host = READ_ONCE(pcp->flags) & PCPF_FREE_HIGH_BATCH;
	int batch = max(1, pgm_zone_batchsize(c->pz));

	KUNIT_ASSERT_EQ(test, batch, READ_ONCE(pcp->batch));
	KUNIT_ASSERT_LE(test, slice, (unsigned int)INT_MAX);
	KUNIT_ASSERT_EQ(test, pgm_set_per_cpu_data_slice_size(c->inst, 0), 0);
	KUNIT_EXPECT_FALSE(test, ppcp->flags & PGM_PCPF_FREE_HIGH_BATCH);
	KUNIT_ASSERT_EQ(test, pgm_set_per_cpu_data_slice_size(c->inst, slice),
			0);
	kunit_info(test, "cpu %d: per_cpu_data_slice_size %u, batch %d: PCPF_FREE_HIGH_BATCH host %d, mirror %d\n",
		   c->cpu, slice, batch, host,
		   !!(ppcp->flags & PGM_PCPF_FREE_HIGH_BATCH));
	KUNIT_EXPECT_EQ(test, !!(ppcp->flags & PGM_PCPF_FREE_HIGH_BATCH), host);

	slice = (3 * batch) << PAGE_SHIFT;
	KUNIT_ASSERT_EQ(test, pgm_set_per_cpu_data_slice_size(c->inst, slice),
			0);
	KUNIT_EXPECT_FALSE(test, ppcp->flags & PGM_PCPF_FREE_HIGH_BATCH);
	slice += PAGE_SIZE;
	KUNIT_ASSERT_EQ(test, pgm_set_per_cpu_data_slice_size(c->inst, slice),
			0);
	KUNIT_EXPECT_TRUE(test, ppcp->flags & PGM_PCPF_FREE_HIGH_BATCH);
}

/*
 * What pgmirror works out from a node's sizes, against what the host
 * worked out from the same: every zone's watermarks from its share of
 * min_free_kbytes (__setup_per_zone_wmarks()), its lowmem_reserve from the
 * managed pages of the zones above it (setup_per_zone_lowmem_reserve()),
 * the node's totalreserve_pages from both (calculate_totalreserve_pages()),
 * and the pcp batch and high bounds from the managed pages, the new low
 * mark and the CPUs (zone_pcp_update()). The import copied the host's;
 * they are zeroed and worked out again from the copied sizes. The ratios
 * and watermark_scale_factor are upstream's defaults on both sides
 * (nothing sets the host's sysctls).
 */
static void diff_derived(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	struct pgm_pglist_data *pgdat = &c->inst->node_data[0];
	pg_data_t *host = NODE_DATA(c->nid);
	unsigned long lowmem_pages = 0;
	struct zone *hz;
	unsigned int z;
	int i, j;

	/*
	 * The host shares min_free_kbytes out over the lowmem zones of every
	 * node; an instance holds one, so the sums are the host's, read now.
	 * That assumes no managed page count moved since the host last set
	 * its marks (khugepaged's start, before any test runs).
	 */
	for_each_zone(hz)
		if (!is_highmem(hz) && zone_idx(hz) != ZONE_MOVABLE)
			lowmem_pages += zone_managed_pages(hz);

	mutex_lock(&c->inst->tunables_lock);
	for (z = 0; z < c->nr_zones; z++) {
		memset(c->pzs[z]->_watermark, 0,
		       sizeof(c->pzs[z]->_watermark));
		pgm_zone_set_wmarks(c->pzs[z],
				    min_free_kbytes >> (PAGE_SHIFT - 10),
				    lowmem_pages);
	}
	pgdat->totalreserve_pages = 0;
	for (i = 0; i < PGM_MAX_NR_ZONES; i++)
		memset(pgdat->node_zones[i].lowmem_reserve, 0,
		       sizeof(pgdat->node_zones[i].lowmem_reserve));
	pgm_setup_per_zone_lowmem_reserve(c->inst);
	for (z = 0; z < c->nr_zones; z++) {
		c->pzs[z]->pageset_batch = 0;
		c->pzs[z]->pageset_high_min = 0;
		c->pzs[z]->pageset_high_max = 0;
		pgm_zone_pcp_update(c->pzs[z]);
	}
	mutex_unlock(&c->inst->tunables_lock);

	for (i = 0; i < MAX_NR_ZONES; i++) {
		int pi = diff_zone_type(i);

		for (j = 0; pi >= 0 && j < MAX_NR_ZONES; j++) {
			int pj = diff_zone_type(j);

			if (pj < 0)
				continue;
			KUNIT_EXPECT_EQ_MSG(test,
					    pgdat->node_zones[pi].lowmem_reserve[pj],
					    host->node_zones[i].lowmem_reserve[j],
					    "%s's lowmem_reserve for %s",
					    pgm_zone_names[pi], pgm_zone_names[pj]);
		}
	}
	/* Each zone's high mark and largest reserve, summed for the node */
	kunit_info(test, "node %d: totalreserve_pages %lu, host %lu\n", c->nid,
		   pgdat->totalreserve_pages, host->totalreserve_pages);
	KUNIT_EXPECT_EQ(test, pgdat->totalreserve_pages,
			host->totalreserve_pages);
	for (z = 0; z < c->nr_zones; z++) {
		struct zone *zone = c->zones[z];
		struct pgm_zone *pz = c->pzs[z];

		kunit_info(test, "%s: lowmem_reserve for Normal %ld; pcp batch %d, high %d..%d; host %ld, %d, %d..%d\n",
			   zone->name, pz->lowmem_reserve[PGM_ZONE_NORMAL],
			   pz->pageset_batch, pz->pageset_high_min,
			   pz->pageset_high_max,
			   zone->lowmem_reserve[ZONE_NORMAL],
			   zone->pageset_batch, zone->pageset_high_min,
			   zone->pageset_high_max);
		kunit_info(test, "%s: min/low/high/promo %lu/%lu/%lu/%lu, host %lu/%lu/%lu/%lu (min_free_kbytes %d over %lu lowmem pages)\n",
			   zone->name, pz->_watermark[PGM_WMARK_MIN],
			   pz->_watermark[PGM_WMARK_LOW],
			   pz->_watermark[PGM_WMARK_HIGH],
			   pz->_watermark[PGM_WMARK_PROMO],
			   zone->_watermark[WMARK_MIN],
			   zone->_watermark[WMARK_LOW],
			   zone->_watermark[WMARK_HIGH],
			   zone->_watermark[WMARK_PROMO], min_free_kbytes,
			   lowmem_pages);
		for (i = 0; i < NR_WMARK; i++)
			KUNIT_EXPECT_EQ_MSG(test, pz->_watermark[i],
					    zone->_watermark[i],
					    "%s's watermark %d", zone->name, i);
		KUNIT_EXPECT_EQ(test, pz->pageset_batch, zone->pageset_batch);
		KUNIT_EXPECT_EQ(test, pz->pageset_high_min,
				zone->pageset_high_min);
		KUNIT_EXPECT_EQ(test, pz->pageset_high_max,
				zone->pageset_high_max);
	}
}

static struct kunit_case diff_cases[] = {
	KUNIT_CASE(diff_detects),
	KUNIT_CASE(diff_fresh_matrix),
	KUNIT_CASE_SLOW(diff_pcp),
	KUNIT_CASE_SLOW(diff_steal_claim),
	KUNIT_CASE_SLOW(diff_watermarks),
	KUNIT_CASE(diff_bulk_runs),
	KUNIT_CASE(diff_cacheinfo),
	KUNIT_CASE(diff_derived),
#ifdef CONFIG_MEMORY_ISOLATION
	KUNIT_CASE(diff_isolation),
#endif
#ifdef CONFIG_CONTIG_ALLOC
	KUNIT_CASE(diff_contig),
#endif
	KUNIT_CASE_SLOW(diff_random_mix),
	KUNIT_CASE_SLOW(diff_random_low),
	{}
};

static struct kunit_suite diff_suite = {
	.name = "pgmirror_differential",
	.suite_init = diff_suite_init,
	.suite_exit = diff_suite_exit,
	.init = diff_init,
	.exit = diff_exit,
	.test_cases = diff_cases,
};

/* ==================== two zones ==================== */

static int diff_zones_init(struct kunit *test)
{
	return diff_init_node(test, DIFF_ZONES_NID, 2);
}

static int diff_zones_suite_init(struct kunit_suite *suite)
{
	if (!diff_unsupported(DIFF_ZONES_NID, 2))
		diff_hold_vmstat();
	return 0;
}

/* The zone of held block @i: 0 the first a request tries, 1 the next */
static unsigned int diff_held_zone(struct diff_ctx *c, unsigned int i)
{
	unsigned long pfn = diff_pfn(c, i);
	unsigned int z;

	for (z = 0; z < c->nr_zones; z++)
		if (pgm_zone_spans_pfn(c->pzs[z], pfn))
			break;
	return z;
}

/*
 * Free everything held on both sides in the same order, compared once
 * after a drain: where the frees are not what a case is about
 */
static void diff_release_all(struct diff_ctx *c)
{
	if (c->failed)
		return;
	diff_release(c);
	diff_host_mark(c);
	diff_drain(c);
}

/* Order-0 @gfp requests until one fails; how many DMA32 served */
static unsigned int diff_zones_drain_down(struct diff_ctx *c, gfp_t gfp,
					  unsigned int *granted)
{
	unsigned long bound = c->max_held;
	unsigned int from_dma32 = 0;

	for (*granted = 0; *granted < bound; (*granted)++) {
		if (!diff_alloc(c, gfp, 0))
			break;
		from_dma32 += diff_held_zone(c, c->nr_held - 1) == 1;
	}
	KUNIT_EXPECT_LT_MSG(c->test, *granted, bound, "%s never failed",
			    diff_gfp_name(gfp));
	return from_dma32;
}

/* diff_order_free() for zone @z of the copy, read from its lists */
static bool diff_zone_order_free(struct diff_ctx *c, unsigned int z,
				 unsigned int order)
{
	struct pgm_zone *pz = c->pzs[z];
	unsigned long flags;
	bool found = false;
	int mt;

	spin_lock_irqsave(&pz->lock, flags);
	for (; order < PGM_NR_PAGE_ORDERS && !found; order++)
		for (mt = 0; mt < PGM_MIGRATE_PCPTYPES; mt++)
			if (pgm_list_first(c->inst->memmap,
					   &pz->free_area[order].free_list[mt]))
				found = true;
	spin_unlock_irqrestore(&pz->lock, flags);
	return found;
}

/*
 * DMA32 to just above high plus its reserve for Normal, as diff_fill()
 * takes Normal: DMA32's own requests, which only DMA32 serves.
 */
static bool diff_fill_dma32(struct diff_ctx *c, long margin)
{
	struct zone *zone = c->zones[1];
	long floor = high_wmark_pages(zone) +
		     zone->lowmem_reserve[zone_idx(c->zones[0])] + margin;
	unsigned int order;

	for (order = MAX_PAGE_ORDER; order > 0; order--)
		while (pgm_zone_page_state(c->pzs[1], PGM_NR_FREE_PAGES) -
		       (1L << order) > floor &&
		       diff_zone_order_free(c, 1, order))
			if (!diff_get(c, GFP_KERNEL | __GFP_DMA32, order))
				return false;
	return !c->failed;
}

/*
 * The zonelist of a node with Normal and DMA32. Both are filled to just
 * above high (DMA32 above high plus its lowmem_reserve for a Normal
 * request); GFP_NOWAIT bulk runs of 64 take each zone in turn to its low
 * mark plus 64 (plus the reserve), until one is short. Order-0
 * GFP_NOWAIT requests then take Normal to low, go on in DMA32 down to low
 * plus that reserve, and, after kswapd's wakeup (which goes nowhere),
 * down to min (plus the reserve) in both. DMA32's
 * own requests (__GFP_DMA32) then get pages a Normal request could not:
 * the reserve holds only against higher zones. GFP_ATOMIC goes into both
 * zones' reserves, and __GFP_HIGH orders 1 to 3 after it. Which zone
 * serves, and where each stops, is the host's to say.
 */
static void diff_zones_fallback_run(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	long reserve = c->zones[1]->lowmem_reserve[zone_idx(c->zones[0])];
	unsigned int order, n, dma32;

	/* Upstream's ratio for DMA32 (256) leaves a reserve to compare */
	KUNIT_ASSERT_GT(test, reserve, 0L);
	for (order = MAX_PAGE_ORDER; order > 0; order--)
		if (!diff_fill(c, GFP_KERNEL, order, 2 * MAX_ORDER_NR_PAGES))
			return;
	if (!diff_fill_dma32(c, 2 * MAX_ORDER_NR_PAGES))
		return;

	/*
	 * Bulk runs of 64 while they fill every slot: a run takes the first
	 * zone whose mark, raised by 64, it passes, and falls back to one
	 * page through the single-page path when none does
	 */
	for (n = 0, dma32 = 0; n < 128; n++) {
		unsigned int held = c->nr_held;

		if (!diff_bulk(c, GFP_NOWAIT, 64) || c->nr_held - held < 64)
			break;
		dma32 += diff_held_zone(c, c->nr_held - 1) == 1;
	}
	if (c->failed)
		return;
	kunit_info(test, "bulk runs of 64: %u filled, %u of them from DMA32\n",
		   n, dma32);
	KUNIT_EXPECT_GT_MSG(test, dma32, 0U, "no bulk run fell back to DMA32");
	KUNIT_EXPECT_LT_MSG(test, n, 128U, "every bulk run filled");

	dma32 = diff_zones_drain_down(c, GFP_NOWAIT, &n);
	if (c->failed)
		return;
	kunit_info(test, "GFP_NOWAIT: %u granted, %u of them from DMA32; free Normal %ld DMA32 %ld\n",
		   n, dma32,
		   zone_page_state_snapshot(c->zones[0], NR_FREE_PAGES),
		   zone_page_state_snapshot(c->zones[1], NR_FREE_PAGES));
	KUNIT_EXPECT_GT_MSG(test, dma32, 0U,
			    "no GFP_NOWAIT request fell back to DMA32");

	dma32 = diff_zones_drain_down(c, GFP_NOWAIT | __GFP_DMA32, &n);
	if (c->failed)
		return;
	kunit_info(test, "GFP_NOWAIT|__GFP_DMA32 after it: %u granted (lowmem_reserve %ld)\n",
		   n, reserve);
	KUNIT_EXPECT_EQ(test, dma32, n);
	KUNIT_EXPECT_GT_MSG(test, n, 0U,
			    "DMA32's own requests were held off by the reserve for Normal's");

	diff_zones_drain_down(c, GFP_ATOMIC, &n);
	for (order = 1; order <= PAGE_ALLOC_COSTLY_ORDER; order++)
		for (n = 0; n < 2; n++)
			diff_alloc(c, __GFP_HIGH, order);
	if (c->failed || !diff_drain(c))
		return;
	kunit_info(test, "after GFP_ATOMIC and __GFP_HIGH: free Normal %ld DMA32 %ld (min %lu, %lu)\n",
		   zone_page_state_snapshot(c->zones[0], NR_FREE_PAGES),
		   zone_page_state_snapshot(c->zones[1], NR_FREE_PAGES),
		   min_wmark_pages(c->zones[0]), min_wmark_pages(c->zones[1]));
	diff_release_all(c);
}

/* The allocator's own watermark checks */
static void diff_zones_fallback(struct kunit *test)
{
	diff_unexplained(test->priv);
	diff_zones_fallback_run(test);
}

/* The same with every request explained: explain_watermark()'s checks */
static void diff_zones_fallback_explained(struct kunit *test)
{
	diff_zones_fallback_run(test);
}

/*
 * ALLOC_NOFRAGMENT, which upstream sets for a request whose first zone is
 * Normal over a populated DMA32: Normal is taken in movable order-8
 * blocks, every other one freed again, so that it is well above high with
 * free pages only in movable blocks below a pageblock. Unmovable order-0
 * requests, once Normal's own unmovable pages are gone, must not steal
 * such a block (min_order is pageblock_order under NOFRAGMENT): they go
 * to DMA32 with Normal above high, which the case requires to happen.
 */
static void diff_zones_nofragment(struct kunit *test)
{
	struct diff_ctx *c = test->priv;
	unsigned int n, nofrag = 0;
	int i;

	diff_unexplained(c);
	/* Normal's blocks of a pageblock and more go, then its order 8s */
	while (diff_room(c, 8, 2 * MAX_ORDER_NR_PAGES) &&
	       diff_zone_order_free(c, 0, 8)) {
		if (!diff_get(c, GFP_HIGHUSER_MOVABLE, 8))
			return;
		if (diff_held_zone(c, c->nr_held - 1))
			break;
	}
	for (i = c->nr_held - 1; i >= 0; i -= 2)
		if (!diff_held_zone(c, i) && !diff_free(c, i))
			return;
	if (!diff_drain(c))
		return;
	kunit_info(test, "Normal: %ld free (high %lu) after every other block went back\n",
		   c->mirror.nr_free, high_wmark_pages(c->zone));

	for (n = 0; n < c->max_held && !nofrag; n++) {
		long normal_free = c->mirror.nr_free;

		if (!diff_alloc(c, GFP_NOWAIT, 0))
			break;
		if (diff_held_zone(c, c->nr_held - 1) &&
		    normal_free > (long)high_wmark_pages(c->zone))
			nofrag++;
	}
	if (c->failed)
		return;
	kunit_info(test, "%u unmovable pages, then one from DMA32 with Normal above high\n",
		   n);
	KUNIT_EXPECT_GT_MSG(test, nofrag, 0U,
			    "no request went to DMA32 while Normal had room");
	diff_release_all(c);
}

/*
 * The comparison covers both zones: the first pageblock of DMA32 or of
 * Normal retyped in the copy is one report, and retyped back none.
 */
static void diff_zones_detects(struct kunit *test)
{
	struct diff_ctx *c = test->priv;

	c->quiet = true;
	diff_retype_detected(c, c->pzs[1]->zone_start_pfn);
	diff_retype_detected(c, c->pzs[0]->zone_start_pfn);
	c->quiet = false;
}

static struct kunit_case diff_zones_cases[] = {
	KUNIT_CASE(diff_zones_detects),
	KUNIT_CASE(diff_derived),
	KUNIT_CASE_SLOW(diff_zones_fallback),
	KUNIT_CASE_SLOW(diff_zones_fallback_explained),
	KUNIT_CASE(diff_zones_nofragment),
	KUNIT_CASE_SLOW(diff_random_low),
	{}
};

/*
 * The same harness on node 2, whose Normal zone falls back to its DMA32
 * zone: the zonelist's order, DMA32's lowmem_reserve for Normal's
 * requests, ALLOC_NOFRAGMENT (which upstream sets for a request whose
 * first zone is Normal over a populated DMA32, and drops to retry) and
 * DMA32's own requests, compared zone by zone.
 */
static struct kunit_suite diff_zones_suite = {
	.name = "pgmirror_differential_zones",
	.suite_init = diff_zones_suite_init,
	.suite_exit = diff_suite_exit,
	.init = diff_zones_init,
	.exit = diff_exit,
	.test_cases = diff_zones_cases,
};

kunit_test_suites(&diff_suite, &diff_zones_suite);
