// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_model: seeded random operation streams through the allocator,
 * checked against a model written from the buddy algorithm's definition.
 *
 * The model knows only what a buddy allocator promises: which pages the
 * caller holds (a bitmap), that a block of order k is 2^k pages aligned to
 * its size, that free memory is kept as maximal blocks, and that a request
 * that fails hands nothing out. After every operation the allocator's own
 * structures are read and held to it:
 *
 * - every page is in exactly one of: held by the caller, in a block on a
 *   buddy free list, in a block on a pcp list (free + pcp + held = managed);
 * - no two allocations overlap, and each lies in a zone its gfp allows;
 * - each free block is aligned, inside its zone, on the free list of its
 *   pageblock's migratetype, and has no free buddy of its order that it
 *   should have merged with (upstream keeps buddies apart only at or above
 *   pageblock order when one of the two types is not mergeable);
 * - nr_free of each order equals its lists' length, NR_FREE_PAGES,
 *   NR_FREE_CMA_PAGES and nr_free_highatomic equal the pages the lists
 *   hold;
 * - the CMA pageblocks never change type and the highatomic reserve is
 *   the size of the highatomic pageblocks. The streams' instance is under
 *   the 100 pageblocks a zone needs for a reserve
 *   (reserve_highatomic_pageblock()'s 1% rule), so there that holds at 0;
 *   pgm_model_highatomic runs shorter streams over a zone of 104, filled
 *   first, where atomic requests in the slow path reserve blocks and
 *   failing reclaim gives them back;
 * - a failed request leaves the held pages and the free total unchanged.
 *
 * A failure prints the seed and the step. Booting with
 * model_test.model_seed=N (kunit.py --kernel_args) runs seed N alone, ten
 * times longer, to replay it.
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "test_util.h"

/* UML runs at native speed; the sanitizer run under TCG takes a sample */
#define PGMT_MODEL_SEEDS	(IS_ENABLED(CONFIG_UML) ? 20 : 4)
#define PGMT_MODEL_STEPS	(IS_ENABLED(CONFIG_UML) ? 50000 : 2500)
#define PGMT_MODEL_CPUS		2
/* A zone just large enough for a highatomic reserve: 1% of it >= a block */
#define PGMT_MODEL_HA_BLOCKS	104

static unsigned int model_seed;
module_param(model_seed, uint, 0444);
MODULE_PARM_DESC(model_seed, "pgmirror_model: replay this seed alone");

/* make soak: more seeds, longer streams */
static unsigned int model_seeds = PGMT_MODEL_SEEDS;
module_param(model_seeds, uint, 0444);
MODULE_PARM_DESC(model_seeds, "pgmirror_model: seeds to run");

static unsigned long model_steps = PGMT_MODEL_STEPS;
module_param(model_steps, ulong, 0444);
MODULE_PARM_DESC(model_steps, "pgmirror_model: operations per seed");

struct pgmt_block {
	unsigned long pfn;
	unsigned int order;
};

struct pgmt_model {
	struct kunit *test;
	struct pgm_instance *inst;
	struct rnd_state rs;
	u32 seed;
	unsigned long step;
	unsigned long nr_pages;
	/* The model: the pages the caller holds, and its allocations */
	unsigned long *held;
	struct pgmt_block *blocks;
	unsigned long nr_blocks;
	unsigned long max_blocks;
	/* The first pfn of the CMA area, at the end; nr_pages without one */
	unsigned long cma_start;
	/* Scratch: pages seen on a free list, on a pcp list */
	unsigned long *buddy;
	unsigned long *pcp;
	/* Zones of pgm_model_highatomic's shape, not the streams' */
	bool highatomic;
	/*
	 * That shape's one zone: its highatomic pageblocks at the last
	 * check, and how many checks saw them rise and fall
	 */
	unsigned long ha_blocks, ha_rose, ha_fell;
	/* Operation counts, for the report */
	unsigned long allocs, failed, frees, drains, tunes;
};

static u32 pgmt_r(struct pgmt_model *m, u32 n)
{
	return prandom_u32_state(&m->rs) % n;
}

#define pgmt_model_fail(m, fmt, ...) do {				\
	struct pgmt_model *__m = (m);					\
									\
	KUNIT_FAIL(__m->test, "seed %u step %lu: " fmt, __m->seed,	\
		   __m->step, ##__VA_ARGS__);				\
} while (0)

/* ========================= the model's checks ========================= */

/* A free block: aligned, in its zone, on its pageblock's list, merged */
static bool pgmt_check_free_block(struct pgmt_model *m, struct pgm_zone *zone,
				  struct pgm_page *page, unsigned int order,
				  int mt)
{
	struct pgm_instance *inst = m->inst;
	unsigned long pfn = pgm_page_to_pfn(inst, page), buddy_pfn;
	unsigned long end = zone->zone_start_pfn + zone->spanned_pages;
	int block_mt, buddy_mt;
	struct pgm_page *buddy;

	if (!(page->flags & PGM_PG_BUDDY) || page->private != order ||
	    !IS_ALIGNED(pfn, 1UL << order) || pfn < zone->zone_start_pfn ||
	    pfn + (1UL << order) > end) {
		pgmt_model_fail(m, "zone %s: bad free block pfn %lu order %u",
				zone->name, pfn, order);
		return false;
	}
	if (find_next_bit(m->buddy, pfn + (1UL << order), pfn) <
	    pfn + (1UL << order)) {
		pgmt_model_fail(m, "free blocks overlap at pfn %lu", pfn);
		return false;
	}
	bitmap_set(m->buddy, pfn, 1UL << order);

	block_mt = pgm_get_pfnblock_migratetype(inst, pfn);
	if (block_mt != mt) {
		pgmt_model_fail(m, "pfn %lu order %u on the %s list in a %s pageblock",
				pfn, order, pgm_migratetype_names[mt],
				pgm_migratetype_names[block_mt]);
		return false;
	}

	/* Canonical merge: a free buddy of the same order must be kept apart */
	if (order >= PGM_MAX_PAGE_ORDER)
		return true;
	buddy_pfn = pfn ^ (1UL << order);
	if (buddy_pfn < zone->zone_start_pfn || buddy_pfn >= end)
		return true;
	buddy = pgm_pfn_to_page(inst, buddy_pfn);
	if (!(buddy->flags & PGM_PG_BUDDY) || buddy->private != order)
		return true;
	buddy_mt = pgm_get_pfnblock_migratetype(inst, buddy_pfn);
	if (order >= PGM_PAGEBLOCK_ORDER && buddy_mt != block_mt &&
	    (!pgm_migratetype_is_mergeable(block_mt) ||
	     !pgm_migratetype_is_mergeable(buddy_mt)))
		return true;
	pgmt_model_fail(m, "free pfn %lu and its buddy %lu, both order %u, not merged",
			pfn, buddy_pfn, order);
	return false;
}

static bool pgmt_check_zone(struct pgmt_model *m, struct pgm_zone *zone,
			    unsigned long *free_total)
{
	unsigned long nr_free = 0, nr_cma = 0, nr_ha = 0, nr_ha_blocks = 0, pfn;
	unsigned int order, mt, cpu, pindex;

	for (order = 0; order < PGM_NR_PAGE_ORDERS; order++) {
		struct pgm_free_area *area = &zone->free_area[order];
		unsigned long listed = 0;

		for (mt = 0; mt < PGM_MIGRATE_TYPES; mt++) {
			struct pgm_page *page;

			for (page = pgm_list_first(m->inst->memmap,
						   &area->free_list[mt]);
			     page; page = pgm_list_next(m->inst->memmap, page)) {
				if (!pgmt_check_free_block(m, zone, page, order,
							   mt))
					return false;
				listed++;
				nr_free += 1UL << order;
				if (mt == PGM_MIGRATE_CMA)
					nr_cma += 1UL << order;
				if (mt == PGM_MIGRATE_HIGHATOMIC)
					nr_ha += 1UL << order;
			}
		}
		if (listed != area->nr_free) {
			pgmt_model_fail(m, "zone %s order %u: nr_free %lu, lists hold %lu",
					zone->name, order, area->nr_free,
					listed);
			return false;
		}
	}
	if (nr_free != pgm_zone_page_state(zone, PGM_NR_FREE_PAGES) ||
	    nr_cma != pgm_zone_page_state(zone, PGM_NR_FREE_CMA_PAGES)) {
		pgmt_model_fail(m, "zone %s: NR_FREE_PAGES %ld / CMA %ld, lists hold %lu / %lu",
				zone->name,
				pgm_zone_page_state(zone, PGM_NR_FREE_PAGES),
				pgm_zone_page_state(zone, PGM_NR_FREE_CMA_PAGES),
				nr_free, nr_cma);
		return false;
	}
	if (nr_ha != zone->nr_free_highatomic) {
		pgmt_model_fail(m, "zone %s: nr_free_highatomic %lu, lists hold %lu",
				zone->name, zone->nr_free_highatomic, nr_ha);
		return false;
	}
	*free_total += nr_free;

	for (cpu = 0; cpu < m->inst->nr_cpus; cpu++) {
		struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		long count = 0;

		for (pindex = 0; pindex < PGM_NR_PCP_LISTS; pindex++) {
			unsigned int o = pgm_pindex_to_order(pindex);
			struct pgm_page *page;

			for (page = pgm_list_first(m->inst->memmap,
						   &pcp->lists[pindex]);
			     page; page = pgm_list_next(m->inst->memmap, page)) {
				pfn = pgm_page_to_pfn(m->inst, page);
				if (!IS_ALIGNED(pfn, 1UL << o) ||
				    find_next_bit(m->pcp, pfn + (1UL << o), pfn) <
				    pfn + (1UL << o)) {
					pgmt_model_fail(m, "pcp pfn %lu order %u: bad or twice",
							pfn, o);
					return false;
				}
				bitmap_set(m->pcp, pfn, 1UL << o);
				count += 1L << o;
			}
		}
		if (count != pcp->count) {
			pgmt_model_fail(m, "zone %s cpu %u: pcp count %d, lists hold %ld",
					zone->name, cpu, pcp->count, count);
			return false;
		}
		*free_total += count;
	}

	for (pfn = zone->zone_start_pfn;
	     pfn < zone->zone_start_pfn + zone->spanned_pages;
	     pfn += PGM_PAGEBLOCK_NR_PAGES) {
		int t = pgm_get_pfnblock_migratetype(m->inst, pfn);

		if (t == PGM_MIGRATE_HIGHATOMIC)
			nr_ha_blocks++;
		if (t == PGM_MIGRATE_ISOLATE) {
			pgmt_model_fail(m, "pageblock at %lu isolated", pfn);
			return false;
		}
	}
	/*
	 * The streams' zones are under 100 pageblocks: 1% of them is less
	 * than a pageblock, and reserve_highatomic_pageblock() reserves none
	 */
	if (!m->highatomic && nr_ha_blocks) {
		pgmt_model_fail(m, "zone %s: %lu highatomic pageblocks, under the 1%% rule",
				zone->name, nr_ha_blocks);
		return false;
	}
	if (zone->nr_reserved_highatomic !=
	    nr_ha_blocks * PGM_PAGEBLOCK_NR_PAGES) {
		pgmt_model_fail(m, "zone %s: nr_reserved_highatomic %lu, %lu highatomic pageblocks",
				zone->name, zone->nr_reserved_highatomic,
				nr_ha_blocks);
		return false;
	}
	if (m->highatomic) {
		m->ha_rose += nr_ha_blocks > m->ha_blocks;
		m->ha_fell += nr_ha_blocks < m->ha_blocks;
		m->ha_blocks = nr_ha_blocks;
	}
	return true;
}

/* Every invariant of the file comment; false after the first failure */
static bool pgmt_model_check(struct pgmt_model *m)
{
	struct pgm_instance *inst = m->inst;
	unsigned long free_total = 0, held = 0, i, pfn;
	struct pgm_zone *zone;

	bitmap_zero(m->buddy, m->nr_pages);
	bitmap_zero(m->pcp, m->nr_pages);
	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone))
		if (pgm_populated_zone(zone) &&
		    !pgmt_check_zone(m, zone, &free_total))
			return false;

	/* Each page in exactly one place */
	for (i = 0; i < BITS_TO_LONGS(m->nr_pages); i++) {
		unsigned long h = m->held[i], b = m->buddy[i], p = m->pcp[i];

		if ((h & b) || (h & p) || (b & p) || (h | b | p) != ~0UL) {
			pgmt_model_fail(m, "pages %lu..%lu: held %lx buddy %lx pcp %lx",
					i * BITS_PER_LONG,
					(i + 1) * BITS_PER_LONG - 1, h, b, p);
			return false;
		}
		held += hweight_long(h);
	}
	/*
	 * The three sets cover every page once, so free + held is the
	 * instance's pages by construction; what must hold too is that
	 * they are the topology's: 4096, or 104 pageblocks
	 */
	if (m->nr_pages != (m->highatomic ? PGMT_MODEL_HA_BLOCKS * PGMT_PB :
			    8 * PGMT_PB) ||
	    free_total + held != m->nr_pages) {
		pgmt_model_fail(m, "free %lu + held %lu, %lu pages",
				free_total, held, m->nr_pages);
		return false;
	}

	/* The CMA area's pageblocks, and only they, stay CMA */
	for (pfn = 0; pfn < m->nr_pages; pfn += PGM_PAGEBLOCK_NR_PAGES) {
		bool cma = pgm_get_pfnblock_migratetype(inst, pfn) ==
			   PGM_MIGRATE_CMA;
		bool want = pfn >= m->cma_start;

		if (cma != want) {
			pgmt_model_fail(m, "pageblock of pfn %lu: CMA %d, want %d",
					pfn, cma, want);
			return false;
		}
	}
	return true;
}

/* Free pages the allocator holds, buddy and pcp */
static unsigned long pgmt_free_total(struct pgm_instance *inst)
{
	unsigned long total = 0;
	struct pgm_zone *zone;
	unsigned int cpu;

	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone)) {
		if (!pgm_populated_zone(zone))
			continue;
		total += pgm_zone_page_state(zone, PGM_NR_FREE_PAGES);
		for (cpu = 0; cpu < inst->nr_cpus; cpu++)
			total += zone->per_cpu_pageset[cpu].count;
	}
	return total;
}

/* ========================= operations ========================= */

static const gfp_t pgmt_model_gfps[] = {
	GFP_KERNEL | __GFP_NORETRY,
	GFP_ATOMIC,
	GFP_NOWAIT,
	GFP_HIGHUSER_MOVABLE | __GFP_NORETRY,
	GFP_KERNEL | __GFP_RECLAIMABLE | __GFP_NORETRY,
	GFP_DMA | __GFP_NORETRY,
	GFP_ATOMIC | __GFP_MOVABLE,
	GFP_NOWAIT | __GFP_RECLAIMABLE,
	GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN | __GFP_COMP,
	GFP_ATOMIC | __GFP_HIGH | __GFP_NOWARN,
	GFP_NOWAIT | __GFP_NOMEMALLOC,
	GFP_USER | __GFP_NORETRY,
	/*
	 * The highatomic shape's alone: with no reclaimable page, only
	 * should_reclaim_retry() giving up gives a reserve back
	 */
	GFP_KERNEL | __GFP_RETRY_MAYFAIL,
};

/* Mostly small orders, as real workloads ask; sometimes up to max */
static unsigned int pgmt_pick_order(struct pgmt_model *m)
{
	u32 r = pgmt_r(m, 100);

	if (r < 55)
		return 0;
	if (r < 75)
		return 1 + pgmt_r(m, 3);
	if (r < 92)
		return 4 + pgmt_r(m, 5);
	return 9 + pgmt_r(m, 2);
}

static bool pgmt_op_alloc(struct pgmt_model *m)
{
	struct pgm_instance *inst = m->inst;
	gfp_t gfp = pgmt_model_gfps[pgmt_r(m, ARRAY_SIZE(pgmt_model_gfps) -
					   !m->highatomic)];
	unsigned int order = pgmt_pick_order(m);
	unsigned long before = pgmt_free_total(inst), pfn;
	struct pgm_page *page;
	int zone_limit;

	if (m->nr_blocks == m->max_blocks)
		return true;
	page = pgm_alloc_pages(inst, gfp, order, 0, NULL);
	m->allocs++;
	if (!page) {
		m->failed++;
		if (pgmt_free_total(inst) != before) {
			pgmt_model_fail(m, "failed order-%u gfp %#x request moved free %lu -> %lu",
					order, (__force u32)gfp, before,
					pgmt_free_total(inst));
			return false;
		}
		return true;
	}

	pfn = pgm_page_to_pfn(inst, page);
	zone_limit = pgm_gfp_zone(gfp);
	/*
	 * Written out, not from the table: __GFP_DMA is the DMA zone, the
	 * streams' first 1024 pages; the highatomic shape has none
	 */
	if ((gfp & __GFP_DMA) &&
	    (m->highatomic || pfn + (1UL << order) > 2 * PGMT_PB)) {
		pgmt_model_fail(m, "order-%u GFP_DMA request at pfn %lu",
				order, pfn);
		return false;
	}
	if (!IS_ALIGNED(pfn, 1UL << order) ||
	    pfn + (1UL << order) > m->nr_pages ||
	    find_next_bit(m->held, pfn + (1UL << order), pfn) <
	    pfn + (1UL << order) ||
	    pgm_page_zonenum(page) > zone_limit ||
	    pgm_page_zonenum(pgm_pfn_to_page(inst, pfn + (1UL << order) - 1)) !=
	    pgm_page_zonenum(page)) {
		pgmt_model_fail(m, "order-%u gfp %#x: pfn %lu zone %d (limit %d) misplaced",
				order, (__force u32)gfp, pfn,
				pgm_page_zonenum(page), zone_limit);
		return false;
	}
	bitmap_set(m->held, pfn, 1UL << order);
	m->blocks[m->nr_blocks++] = (struct pgmt_block){ pfn, order };
	return true;
}

static void pgmt_op_free(struct pgmt_model *m)
{
	unsigned long i;
	struct pgmt_block b;

	if (!m->nr_blocks)
		return;
	i = pgmt_r(m, m->nr_blocks);
	b = m->blocks[i];
	m->blocks[i] = m->blocks[--m->nr_blocks];
	pgm_free_pages(m->inst, pgm_pfn_to_page(m->inst, b.pfn), b.order);
	bitmap_clear(m->held, b.pfn, 1UL << b.order);
	m->frees++;
}

/* A sysctl write, as an administrator makes one mid-workload */
static void pgmt_op_tune(struct pgmt_model *m)
{
	struct pgm_instance *inst = m->inst;
	int ratio[PGM_MAX_NR_ZONES] = { 256, 256, 32, 0 };

	m->tunes++;
	switch (pgmt_r(m, 4)) {
	case 0:
		pgm_set_watermark_scale_factor(inst, 1 + pgmt_r(m, 3000));
		break;
	case 1:
		pgm_set_min_free_kbytes(inst, 128 + pgmt_r(m, 512));
		break;
	case 2:
		ratio[pgmt_r(m, PGM_MAX_NR_ZONES)] = pgmt_r(m, 2) ?
						     pgmt_r(m, 1024) : INT_MAX;
		pgm_set_lowmem_reserve_ratio(inst, ratio, PGM_MAX_NR_ZONES);
		break;
	default:
		pgm_set_percpu_pagelist_high_fraction(inst, pgmt_r(m, 2) ?
						      0 : 8 + pgmt_r(m, 100));
		break;
	}
}

static bool pgmt_model_step(struct pgmt_model *m)
{
	u32 r = pgmt_r(m, 1000);

	/* Switch the pcp CPU now and then: pcp lists are per CPU */
	if (r < 20)
		WRITE_ONCE(m->inst->cpu_override, pgmt_r(m, PGMT_MODEL_CPUS));
	/* The highatomic shape's streams drift towards a full zone */
	if (r < (m->highatomic ? 530 : 480)) {
		if (!pgmt_op_alloc(m))
			return false;
	} else if (r < 950) {
		pgmt_op_free(m);
	} else if (r < 975) {
		pgm_drain_all_pages(m->inst, NULL);
		m->drains++;
	} else if (r < 985) {
		pgmt_op_tune(m);
	} else {
		/* A burst of frees, so that large blocks form again */
		u32 n = pgmt_r(m, 64);

		while (n-- && m->nr_blocks)
			pgmt_op_free(m);
	}
	return pgmt_model_check(m);
}

/*
 * DMA 2 pageblocks, Normal 6 of which the last 2 are CMA: 4096 pages.
 * Or, for @highatomic, Normal alone, PGMT_MODEL_HA_BLOCKS pageblocks.
 */
static struct pgm_instance *pgmt_model_instance(struct kunit *test,
						bool highatomic)
{
	struct pgm_topology topo;

	if (highatomic) {
		pgmt_topology(&topo, 1, 0, 0, PGMT_MODEL_HA_BLOCKS * PGMT_PB, 0);
	} else {
		pgmt_topology(&topo, 1, 2 * PGMT_PB, 0, 6 * PGMT_PB, 0);
		topo.cma_pages = 2 * PGMT_PB;
	}
	topo.nr_cpus = PGMT_MODEL_CPUS;
	return pgmt_create(test, &topo);
}

static bool pgmt_model_run(struct kunit *test, struct pgmt_model *m, u32 seed,
			   unsigned long steps)
{
	m->inst = pgmt_model_instance(test, m->highatomic);
	m->seed = seed;
	m->nr_pages = m->inst->nr_pages;
	m->nr_blocks = 0;
	m->ha_blocks = 0;
	bitmap_zero(m->held, m->nr_pages);
	prandom_seed_state(&m->rs, seed);
	m->cma_start = m->nr_pages - (m->highatomic ? 0 : 2 * PGMT_PB);

	/*
	 * Down to the low watermark, checked once at the end: the streams,
	 * which allocate more than they free, then stay by the watermarks,
	 * where requests take the slow path
	 */
	if (m->highatomic) {
		struct pgm_zone *zone = pgmt_zone(m->inst, 0, PGM_ZONE_NORMAL);
		unsigned long tries = 4 * m->max_blocks;

		while (pgmt_nr_free(zone) > (long)pgm_low_wmark_pages(zone) &&
		       tries--)
			if (!pgmt_op_alloc(m))
				return false;
		if (!pgmt_model_check(m))
			return false;
	}
	for (m->step = 0; m->step < steps; m->step++) {
		if (!pgmt_model_step(m))
			return false;
		if (!(m->step & 1023))
			cond_resched();
	}
	/* Everything back: the zones end as they began, whole */
	while (m->nr_blocks)
		pgmt_op_free(m);
	pgm_drain_all_pages(m->inst, NULL);
	return pgmt_model_check(m);
}

static struct pgmt_model *pgmt_model_alloc(struct kunit *test,
					   bool highatomic)
{
	unsigned long pages = (highatomic ? PGMT_MODEL_HA_BLOCKS : 8) * PGMT_PB;
	struct pgmt_model *m;
	unsigned long words;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->test = test;
	m->highatomic = highatomic;
	/* Each shape's instance has a fixed size */
	words = BITS_TO_LONGS(pages);
	m->held = kunit_kcalloc(test, words, sizeof(long), GFP_KERNEL);
	m->buddy = kunit_kcalloc(test, words, sizeof(long), GFP_KERNEL);
	m->pcp = kunit_kcalloc(test, words, sizeof(long), GFP_KERNEL);
	m->max_blocks = pages;
	m->blocks = kunit_kcalloc(test, m->max_blocks, sizeof(*m->blocks),
				  GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, m->held && m->buddy && m->pcp && m->blocks);
	return m;
}

/* A replay: the one seed asked for, ten times longer */
static void pgmt_model_replay(u32 *first, u32 *last, unsigned long *steps)
{
	if (!model_seed)
		return;
	*first = model_seed;
	*last = model_seed;
	*steps *= 10;
}

static void pgm_model_streams(struct kunit *test)
{
	struct pgmt_model *m = pgmt_model_alloc(test, false);
	u32 seed, first = 1, last = max(model_seeds, 1U);
	unsigned long ops = 0, steps = model_steps;

	pgmt_model_replay(&first, &last, &steps);
	for (seed = first; seed <= last; seed++) {
		if (!pgmt_model_run(test, m, seed, steps))
			return;
		ops += m->step;
	}
	kunit_info(test, "model: %lu operations over %u seeds (%lu allocations, %lu failed, %lu frees, %lu drains, %lu tunable writes), every invariant held",
		   ops, last - first + 1, m->allocs, m->failed, m->frees,
		   m->drains, m->tunes);
	/* The streams must reach both outcomes of a request */
	KUNIT_EXPECT_GT(test, m->failed, 0);
	KUNIT_EXPECT_GT(test, m->allocs - m->failed, m->failed);
}

/*
 * The same streams from a full zone large enough for a highatomic reserve.
 * A reserve is made by a few atomic requests in a stream and given back by
 * fewer, so at least 8 seeds of 5000 steps on every arch (a check costs
 * what the free blocks and bitmap words do: the zone is mostly held). The
 * reserve must have been made and given back, and every invariant, the
 * reserve's size among them, held throughout.
 */
static void pgm_model_highatomic(struct kunit *test)
{
	struct pgmt_model *m = pgmt_model_alloc(test, true);
	u32 seed, first = 1, last = max(model_seeds / 2, 8U);
	unsigned long steps = max(model_steps / 10, 5000UL);
	unsigned long reserved = 0, unreserved = 0;

	pgmt_model_replay(&first, &last, &steps);
	for (seed = first; seed <= last; seed++) {
		if (!pgmt_model_run(test, m, seed, steps))
			return;
		reserved += pgmt_event(m->inst, PGM_HIGHATOMIC_RESERVE);
		unreserved += pgmt_event(m->inst, PGM_HIGHATOMIC_UNRESERVE);
	}
	kunit_info(test, "model: %u seeds of %lu steps from a full zone (%lu allocations, %lu failed), %lu highatomic reserves, %lu given back (the pageblocks seen to rise %lu times, fall %lu), every invariant held",
		   last - first + 1, steps, m->allocs, m->failed, reserved,
		   unreserved, m->ha_rose, m->ha_fell);
	/* pgmirror counts every change the checks between steps saw */
	KUNIT_EXPECT_GE(test, reserved, m->ha_rose);
	KUNIT_EXPECT_GE(test, unreserved, m->ha_fell);
	/*
	 * The pageblocks themselves, not pgmirror's counters, show both. A
	 * replay of one seed need not reach both
	 */
	if (model_seed)
		return;
	KUNIT_EXPECT_GT(test, m->ha_rose, 0UL);
	KUNIT_EXPECT_GT(test, m->ha_fell, 0UL);
}

static struct kunit_case pgm_model_cases[] = {
	KUNIT_CASE_SLOW(pgm_model_streams),
	KUNIT_CASE_SLOW(pgm_model_highatomic),
	{}
};

static struct kunit_suite pgm_model_test_suite = {
	.name = "pgmirror_model",
	.test_cases = pgm_model_cases,
};

kunit_test_suite(pgm_model_test_suite);
