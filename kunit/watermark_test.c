// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_watermark: __setup_per_zone_wmarks(), lowmem_reserve,
 * __zone_watermark_ok(), zone_watermark_fast() and the alloc flags of the
 * first slow-path step, pinned to upstream's arithmetic.
 */

#include <kunit/test.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include "test_util.h"
#include "cmd.h"

/*
 * One node of 256 MiB: DMA 16 MiB (4096 pages), DMA32 112 MiB (28672),
 * NORMAL 128 MiB (32768). Upstream's arithmetic for it:
 *   min_free_kbytes = int_sqrt(65536 pages * 4 KiB * 16) = 2048
 *   pages_min = 2048 >> 2 = 512, lowmem_pages = 65536
 */
static struct pgm_instance *x86_like(struct kunit *test, int wsf)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, 1, 4096, 28672, 32768, 0);
	if (wsf)
		topo.tun.watermark_scale_factor = wsf;
	return pgmt_create(test, &topo);
}

static void wmark_derived_min_free_kbytes(struct kunit *test)
{
	struct pgm_instance *inst = x86_like(test, 0);

	KUNIT_EXPECT_EQ(test, inst->tun.min_free_kbytes, 2048);
}

struct wmark_case {
	enum pgm_zone_type zone;
	unsigned long min, low, high, promo;
};

/*
 * min = 512 * managed / 65536; gap = max(min / 4, managed * 10 / 10000)
 *   DMA:    min  32, gap max( 8,  4) =  8
 *   DMA32:  min 224, gap max(56, 28) = 56
 *   NORMAL: min 256, gap max(64, 32) = 64
 */
static const struct wmark_case wmark_cases[] = {
	{ PGM_ZONE_DMA, 32, 40, 48, 56 },
	{ PGM_ZONE_DMA32, 224, 280, 336, 392 },
	{ PGM_ZONE_NORMAL, 256, 320, 384, 448 },
};

static void wmark_case_desc(const struct wmark_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", pgm_zone_names[c->zone]);
}

KUNIT_ARRAY_PARAM(wmark, wmark_cases, wmark_case_desc);

static void wmark_values(struct kunit *test)
{
	const struct wmark_case *c = test->param_value;
	struct pgm_instance *inst = x86_like(test, 0);
	struct pgm_zone *zone = pgmt_zone(inst, 0, c->zone);

	KUNIT_EXPECT_EQ(test, zone->_watermark[PGM_WMARK_MIN], c->min);
	KUNIT_EXPECT_EQ(test, zone->_watermark[PGM_WMARK_LOW], c->low);
	KUNIT_EXPECT_EQ(test, zone->_watermark[PGM_WMARK_HIGH], c->high);
	KUNIT_EXPECT_EQ(test, zone->_watermark[PGM_WMARK_PROMO], c->promo);
}

/* watermark_scale_factor 200: the gap is managed * 200 / 10000 when larger */
static void wmark_scale_factor(struct kunit *test)
{
	struct pgm_instance *inst = x86_like(test, 0);
	struct pgm_zone *dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	struct pgm_zone *dma = pgmt_zone(inst, 0, PGM_ZONE_DMA);

	/*
	 * A boost in place: __setup_per_zone_wmarks() drops it before it
	 * builds low on min_wmark_pages(), which would count it (861)
	 */
	spin_lock_irq(&dma32->lock);
	dma32->watermark_boost = 64;
	spin_unlock_irq(&dma32->lock);
	KUNIT_ASSERT_EQ(test, pgm_set_watermark_scale_factor(inst, 200), 0);
	/* DMA32: gap = max(56, 28672 * 200 / 10000 = 573) */
	KUNIT_EXPECT_EQ(test, dma32->watermark_boost, 0UL);
	KUNIT_EXPECT_EQ(test, dma32->_watermark[PGM_WMARK_MIN], 224UL);
	KUNIT_EXPECT_EQ(test, dma32->_watermark[PGM_WMARK_LOW], 797UL);
	KUNIT_EXPECT_EQ(test, dma32->_watermark[PGM_WMARK_HIGH], 1370UL);
	/* DMA: gap = max(8, 4096 * 200 / 10000 = 81) */
	KUNIT_EXPECT_EQ(test, dma->_watermark[PGM_WMARK_LOW], 113UL);

	/* Out of range changes nothing */
	KUNIT_EXPECT_EQ(test, pgm_set_min_free_kbytes(inst, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_set_min_free_kbytes(inst, INT_MIN), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_set_watermark_scale_factor(inst, 3001),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_set_watermark_scale_factor(inst, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma32->_watermark[PGM_WMARK_HIGH], 1370UL);
}

/* A user min_free_kbytes of 4096: pages_min 1024, so every min doubles */
static void wmark_min_free_kbytes(struct kunit *test)
{
	struct pgm_instance *inst = x86_like(test, 0);
	struct pgm_zone *normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	KUNIT_ASSERT_EQ(test, pgm_set_min_free_kbytes(inst, 4096), 0);
	KUNIT_EXPECT_EQ(test, normal->_watermark[PGM_WMARK_MIN], 512UL);
	KUNIT_EXPECT_EQ(test, normal->_watermark[PGM_WMARK_LOW], 640UL);
	KUNIT_EXPECT_EQ(test, normal->_watermark[PGM_WMARK_HIGH], 768UL);

	/*
	 * 0 is taken as written, as the sysctl takes it: min 0, and the gaps
	 * are the scale factor's alone, 32768 * 10 / 10000 = 32
	 */
	KUNIT_ASSERT_EQ(test, pgm_set_min_free_kbytes(inst, 0), 0);
	KUNIT_EXPECT_EQ(test, inst->tun.min_free_kbytes, 0);
	KUNIT_EXPECT_EQ(test, inst->tun.user_min_free_kbytes, 0);
	KUNIT_EXPECT_EQ(test, normal->_watermark[PGM_WMARK_MIN], 0UL);
	KUNIT_EXPECT_EQ(test, normal->_watermark[PGM_WMARK_LOW], 32UL);
	KUNIT_EXPECT_EQ(test, normal->_watermark[PGM_WMARK_HIGH], 64UL);

	/*
	 * INT_MAX: pages_min 536870911, NORMAL's share 536870911 * 32768 /
	 * 65536 = 268435455, gap a quarter of it, 67108863
	 */
	KUNIT_ASSERT_EQ(test, pgm_set_min_free_kbytes(inst, INT_MAX), 0);
	KUNIT_EXPECT_EQ(test, normal->_watermark[PGM_WMARK_MIN], 268435455UL);
	KUNIT_EXPECT_EQ(test, normal->_watermark[PGM_WMARK_LOW],
			268435455UL + 67108863UL);
}

/*
 * ZONE_MOVABLE takes no share of min: it gets managed / 1024 clamped to
 * 32..128. NORMAL 16384 + MOVABLE 16384: only NORMAL counts as lowmem,
 * min_free_kbytes = int_sqrt(65536 * 16) = 1024, pages_min 256.
 */
static void wmark_movable_clamp(struct kunit *test)
{
	struct pgm_zone *dma, *dma32, *normal, *movable;
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 1, 0, 0, 16384, 16384);
	inst = pgmt_create(test, &topo);
	dma = pgmt_zone(inst, 0, PGM_ZONE_DMA);
	dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	movable = pgmt_zone(inst, 0, PGM_ZONE_MOVABLE);

	/*
	 * An empty zone keeps no reserve (setup_per_zone_lowmem_reserve()'s
	 * clear), where its ratio of 256 would give 16384 / 256 = 64 against
	 * NORMAL requests; NORMAL's against MOVABLE is 16384 / 32 = 512
	 */
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[PGM_ZONE_NORMAL], 0L);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[PGM_ZONE_MOVABLE], 0L);
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[PGM_ZONE_MOVABLE], 0L);
	KUNIT_EXPECT_EQ(test, normal->lowmem_reserve[PGM_ZONE_MOVABLE], 512L);

	/* nr_free_buffer_pages() counts only zones up to NORMAL */
	KUNIT_EXPECT_EQ(test, inst->tun.min_free_kbytes, 1024);
	KUNIT_EXPECT_EQ(test, normal->_watermark[PGM_WMARK_MIN], 256UL);
	KUNIT_EXPECT_EQ(test, normal->_watermark[PGM_WMARK_LOW], 320UL);
	/* 16384 / 1024 = 16, clamped up to SWAP_CLUSTER_MAX */
	KUNIT_EXPECT_EQ(test, movable->_watermark[PGM_WMARK_MIN], 32UL);
	/* The gap still uses the unclamped share 256: max(64, 16) */
	KUNIT_EXPECT_EQ(test, movable->_watermark[PGM_WMARK_LOW], 96UL);
	KUNIT_EXPECT_EQ(test, movable->_watermark[PGM_WMARK_HIGH], 160UL);
}

/*
 * lowmem_reserve[j] of zone i = managed pages of zones i+1..j / ratio[i]:
 *   DMA (256):   DMA32 28672 / 256 = 112, + NORMAL 61440 / 256 = 240
 *   DMA32 (256): NORMAL 32768 / 256 = 128
 *   NORMAL (32): nothing above it
 */
static void wmark_lowmem_reserve(struct kunit *test)
{
	struct pgm_instance *inst = x86_like(test, 0);
	struct pgm_zone *dma = pgmt_zone(inst, 0, PGM_ZONE_DMA);
	struct pgm_zone *dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	struct pgm_zone *normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	int ratio[PGM_MAX_NR_ZONES] = { 128, 0, 32, 0 };
	/* The last two are not written: the setter reads back the stored */
	int two[PGM_MAX_NR_ZONES] = { -5, 64, 99, 99 };

	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[PGM_ZONE_DMA], 0L);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[PGM_ZONE_DMA32], 112L);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[PGM_ZONE_NORMAL], 240L);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[PGM_ZONE_MOVABLE], 240L);
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[PGM_ZONE_NORMAL], 128L);
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[PGM_ZONE_MOVABLE], 128L);
	KUNIT_EXPECT_EQ(test, normal->lowmem_reserve[PGM_ZONE_MOVABLE], 0L);

	/*
	 * totalreserve: per zone max(reserve) + high, capped at managed:
	 * DMA 240 + 48, DMA32 128 + 336, NORMAL 0 + 384
	 */
	KUNIT_EXPECT_EQ(test, inst->totalreserve_pages, 288UL + 464 + 384);

	/* A ratio of 0 clears the zone's reserve */
	KUNIT_ASSERT_EQ(test, pgm_set_lowmem_reserve_ratio(inst, ratio,
							   PGM_MAX_NR_ZONES), 0);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[PGM_ZONE_DMA32], 224L);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[PGM_ZONE_NORMAL], 480L);
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[PGM_ZONE_NORMAL], 0L);
	/* And totalreserve follows: DMA 480 + 48, DMA32 0 + 336, NORMAL 384 */
	KUNIT_EXPECT_EQ(test, inst->totalreserve_pages, 528UL + 336 + 384);

	/*
	 * A short write, as the sysctl takes one: DMA's -5 is stored as 0,
	 * DMA32 gets 64 (32768 / 64 = 512), NORMAL and MOVABLE keep 32 and 0
	 */
	KUNIT_ASSERT_EQ(test, pgm_set_lowmem_reserve_ratio(inst, two, 2), 0);
	KUNIT_EXPECT_EQ(test, two[0], 0);
	KUNIT_EXPECT_EQ(test, two[1], 64);
	KUNIT_EXPECT_EQ(test, two[2], 32);
	KUNIT_EXPECT_EQ(test, two[3], 0);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[PGM_ZONE_NORMAL], 0L);
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[PGM_ZONE_NORMAL], 512L);
	KUNIT_EXPECT_EQ(test, inst->totalreserve_pages, 48UL + 848 + 384);
	/* The setter's own bounds: the parsers never pass these */
	KUNIT_EXPECT_EQ(test, pgm_set_lowmem_reserve_ratio(inst, two, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_set_lowmem_reserve_ratio(inst, two, 5),
			-EINVAL);
}

struct boundary_case {
	const char *name;
	unsigned int alloc_flags;
	long min;	/* the effective min upstream derives from 256 */
};

/*
 * NORMAL's min is 256. MIN_RESERVE halves it: 128; NON_BLOCK on top takes a
 * quarter of that: 96; OOM halves it: 128; HIGHATOMIC and NON_BLOCK alone
 * leave it.
 */
static const struct boundary_case boundary_cases[] = {
	{ "none", 0, 256 },
	{ "MIN_RESERVE", PGM_ALLOC_MIN_RESERVE, 128 },
	{ "MIN_RESERVE|NON_BLOCK",
	  PGM_ALLOC_MIN_RESERVE | PGM_ALLOC_NON_BLOCK, 96 },
	{ "OOM", PGM_ALLOC_OOM, 128 },
	{ "MIN_RESERVE|OOM", PGM_ALLOC_MIN_RESERVE | PGM_ALLOC_OOM, 64 },
	{ "NON_BLOCK", PGM_ALLOC_NON_BLOCK, 256 },
	{ "HIGHATOMIC", PGM_ALLOC_HIGHATOMIC, 256 },
};

static void boundary_case_desc(const struct boundary_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(boundary, boundary_cases, boundary_case_desc);

/* Passes at free = min + lowmem_reserve + 1, fails at min + lowmem_reserve */
static void wmark_boundary(struct kunit *test)
{
	const struct boundary_case *c = test->param_value;
	struct pgm_instance *inst = x86_like(test, 0);
	struct pgm_zone *normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_zone *dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	unsigned long mark = normal->_watermark[PGM_WMARK_MIN];
	long dma32_min = 224, reserve = 128;

	KUNIT_ASSERT_EQ(test, mark, 256UL);
	KUNIT_EXPECT_TRUE(test, pgm___zone_watermark_ok(normal, 0, mark,
							PGM_ZONE_NORMAL,
						      c->alloc_flags,
						      c->min + 1));
	KUNIT_EXPECT_FALSE(test, pgm___zone_watermark_ok(normal, 0, mark,
							 PGM_ZONE_NORMAL,
						       c->alloc_flags, c->min));

	/* DMA32 for a NORMAL-capable request keeps lowmem_reserve[NORMAL] */
	dma32_min = dma32_min * c->min / 256;
	mark = dma32->_watermark[PGM_WMARK_MIN];
	KUNIT_EXPECT_TRUE(test, pgm___zone_watermark_ok(dma32, 0, mark,
							PGM_ZONE_NORMAL,
						      c->alloc_flags,
						      dma32_min + reserve + 1));
	KUNIT_EXPECT_FALSE(test, pgm___zone_watermark_ok(dma32, 0, mark,
							 PGM_ZONE_NORMAL,
						       c->alloc_flags,
						       dma32_min + reserve));
	/* ... and not for a request that could only use DMA32 */
	KUNIT_EXPECT_TRUE(test, pgm___zone_watermark_ok(dma32, 0, mark,
							PGM_ZONE_DMA32,
						      c->alloc_flags,
						      dma32_min + 1));
}

/*
 * Free highatomic pages count only for requests with a reserve flag (6.12's
 * __zone_watermark_unusable_free() discounts nr_free_highatomic, not the
 * whole reservation); free CMA pages only for ALLOC_CMA; order > 0
 * discounts 2^order - 1 pages.
 */
static void wmark_unusable_free(struct kunit *test)
{
	struct pgm_instance *inst = x86_like(test, 0);
	struct pgm_zone *normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	unsigned long mark = 256;

	/* A full pageblock reserved, 100 of its pages still free */
	normal->nr_reserved_highatomic = PGMT_PB;
	normal->nr_free_highatomic = 100;
	KUNIT_EXPECT_FALSE(test, pgm___zone_watermark_ok(normal, 0, mark,
							 PGM_ZONE_NORMAL, 0,
						       256 + 100));
	KUNIT_EXPECT_TRUE(test, pgm___zone_watermark_ok(normal, 0, mark,
							PGM_ZONE_NORMAL, 0,
						      256 + 101));
	KUNIT_EXPECT_TRUE(test, pgm___zone_watermark_ok(normal, 0, mark,
							PGM_ZONE_NORMAL,
						      PGM_ALLOC_HIGHATOMIC,
						      257));
	normal->nr_reserved_highatomic = 0;
	normal->nr_free_highatomic = 0;

	atomic_long_set(&normal->vm_stat[PGM_NR_FREE_CMA_PAGES], 100);
	KUNIT_EXPECT_FALSE(test, pgm___zone_watermark_ok(normal, 0, mark,
							 PGM_ZONE_NORMAL, 0,
						       356));
	KUNIT_EXPECT_TRUE(test, pgm___zone_watermark_ok(normal, 0, mark,
							PGM_ZONE_NORMAL,
						      PGM_ALLOC_CMA, 257));
	atomic_long_set(&normal->vm_stat[PGM_NR_FREE_CMA_PAGES], 0);

	/* Order 3 needs 7 more free pages: 256 + 7 + 1 */
	KUNIT_EXPECT_FALSE(test, pgm___zone_watermark_ok(normal, 3, mark,
							 PGM_ZONE_NORMAL, 0,
						       263));
	KUNIT_EXPECT_TRUE(test, pgm___zone_watermark_ok(normal, 3, mark,
							PGM_ZONE_NORMAL, 0,
						      264));
}

/*
 * Enough free pages but no free block of the order: a zone where every
 * other page is allocated holds 512 free pages, all of order 0.
 */
static void wmark_order_needs_block(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_page **pages;
	unsigned long i, free;

	pgmt_topology(&topo, 1, 0, 0, 1024, 0);
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	pages = kunit_kcalloc(test, 1024, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);

	pgmt_take_all(zone, pages, 1024);
	for (i = 0; i < 1024; i += 2)
		pgmt_give(zone, pages[i], 0);

	free = pgmt_nr_free(zone);
	KUNIT_ASSERT_EQ(test, free, 512UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[0].nr_free, 512UL);
	KUNIT_EXPECT_TRUE(test, pgm___zone_watermark_ok(zone, 0, 32,
							PGM_ZONE_NORMAL, 0, free));
	KUNIT_EXPECT_FALSE(test, pgm___zone_watermark_ok(zone, 1, 32,
							 PGM_ZONE_NORMAL, 0,
						       free));
	/* Freeing one buddy makes an order-1 block: now it passes */
	pgmt_give(zone, pages[1], 0);
	KUNIT_EXPECT_TRUE(test, pgm___zone_watermark_ok(zone, 1, 32,
							PGM_ZONE_NORMAL, 0,
						      pgmt_nr_free(zone)));
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	for (i = 3; i < 1024; i += 2)
		pgmt_give(zone, pages[i], 0);
	KUNIT_EXPECT_EQ(test, zone->free_area[PGM_MAX_PAGE_ORDER].nr_free, 1UL);
}

/* Order 0 under a boost: __GFP_HIGH at min ignores the boost */
static void wmark_fast_boost(struct kunit *test)
{
	struct pgm_instance *inst = x86_like(test, 0);
	struct pgm_zone *normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	unsigned int flags = PGM_ALLOC_WMARK_MIN | PGM_ALLOC_MIN_RESERVE;
	const int zidx = PGM_ZONE_NORMAL;
	long free = pgmt_nr_free(normal);
	unsigned long min, low;

	/* Even halved by MIN_RESERVE, min + boost sits above the free pages */
	KUNIT_ASSERT_EQ(test, free, 32768L);
	normal->watermark_boost = 2 * free;
	/* wmark_pages(): the mark plus the boost, min 256 and low 320 */
	min = pgm_min_wmark_pages(normal);
	low = pgm_low_wmark_pages(normal);
	KUNIT_ASSERT_EQ(test, min, 256UL + 65536);
	KUNIT_ASSERT_EQ(test, low, 320UL + 65536);
	KUNIT_EXPECT_FALSE(test, pgm_zone_watermark_fast(normal, 0, min, zidx,
							 PGM_ALLOC_WMARK_MIN,
							 GFP_KERNEL));
	KUNIT_EXPECT_TRUE(test, pgm_zone_watermark_fast(normal, 0, min, zidx,
							flags, GFP_ATOMIC));
	/* Not at order 1, nor at the low watermark */
	KUNIT_EXPECT_FALSE(test, pgm_zone_watermark_fast(normal, 1, min, zidx,
							 flags, GFP_ATOMIC));
	KUNIT_EXPECT_FALSE(test, pgm_zone_watermark_fast(normal, 0, low, zidx,
							 PGM_ALLOC_WMARK_LOW |
							 PGM_ALLOC_MIN_RESERVE,
							 GFP_ATOMIC));
	normal->watermark_boost = 0;
}

struct flags_case {
	const char *name;
	gfp_t gfp;
	unsigned int order;
	unsigned int flags;
};

/* gfp_to_alloc_flags(): ALLOC_MIN_RESERVE 0x20, KSWAPD 0x800, CPUSET 0x40 */
static const struct flags_case flags_cases[] = {
	{ "GFP_KERNEL", GFP_KERNEL, 0,
	  PGM_ALLOC_WMARK_MIN | PGM_ALLOC_CPUSET | PGM_ALLOC_KSWAPD },
	{ "GFP_ATOMIC", GFP_ATOMIC, 0,
	  PGM_ALLOC_MIN_RESERVE | PGM_ALLOC_KSWAPD | PGM_ALLOC_NON_BLOCK },
	{ "GFP_ATOMIC order 2", GFP_ATOMIC, 2,
	  PGM_ALLOC_MIN_RESERVE | PGM_ALLOC_KSWAPD | PGM_ALLOC_NON_BLOCK |
	  PGM_ALLOC_HIGHATOMIC },
	{ "GFP_ATOMIC|__GFP_NOMEMALLOC", GFP_ATOMIC | __GFP_NOMEMALLOC, 2,
	  PGM_ALLOC_MIN_RESERVE | PGM_ALLOC_KSWAPD },
	{ "GFP_NOWAIT", GFP_NOWAIT, 0,
	  PGM_ALLOC_CPUSET | PGM_ALLOC_KSWAPD | PGM_ALLOC_NON_BLOCK },
	/* No __GFP_HIGH: no highatomic access, whatever the order */
	{ "GFP_NOWAIT order 2", GFP_NOWAIT, 2,
	  PGM_ALLOC_CPUSET | PGM_ALLOC_KSWAPD | PGM_ALLOC_NON_BLOCK },
	{ "GFP_KERNEL|__GFP_HIGH", GFP_KERNEL | __GFP_HIGH, 0,
	  PGM_ALLOC_CPUSET | PGM_ALLOC_KSWAPD | PGM_ALLOC_MIN_RESERVE },
	{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE, 0,
	  PGM_ALLOC_CPUSET | PGM_ALLOC_KSWAPD | PGM_ALLOC_CMA },
};

static void flags_case_desc(const struct flags_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(flags, flags_cases, flags_case_desc);

static void wmark_gfp_to_alloc_flags(struct kunit *test)
{
	const struct flags_case *c = test->param_value;
	struct pgm_instance *inst = x86_like(test, 10);

	KUNIT_EXPECT_EQ(test, pgm_gfp_to_alloc_flags(inst, c->gfp, c->order),
			c->flags);
	/*
	 * Without mobility grouping gfp_migratetype() is unmovable for every
	 * mask, so no request gets ALLOC_CMA.
	 */
	KUNIT_ASSERT_EQ(test, pgm_set_policy_knob(inst, PGM_POLICY_MOBILITY, 0),
			0);
	KUNIT_EXPECT_EQ(test, pgm_gfp_to_alloc_flags(inst, c->gfp, c->order),
			c->flags & ~PGM_ALLOC_CMA);
}

/*
 * The slow path end to end: a zone whose free pages sit just above the
 * atomic min and below min fails GFP_KERNEL and serves GFP_ATOMIC.
 * NORMAL 1024 pages: min_free_kbytes = int_sqrt(4096 * 16) = 256,
 * min 64; GFP_ATOMIC's min is 64 - 32 - 8 = 24.
 */
static void wmark_atomic_dips_into_reserve(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_page *page, *keep;

	pgmt_topology(&topo, 1, 0, 0, 1024, 0);
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	KUNIT_ASSERT_EQ(test, zone->_watermark[PGM_WMARK_MIN], 64UL);

	/* Leave 40 free pages: 24 < 40 <= 64 */
	keep = pgmt_take(zone, 9, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, keep);
	while (pgmt_nr_free(zone) > 40)
		KUNIT_ASSERT_NOT_NULL(test, pgmt_take(zone, 0,
						      PGM_MIGRATE_MOVABLE));

	KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	page = pgm_alloc_pages(inst, GFP_ATOMIC, 0, 0, NULL);
	KUNIT_EXPECT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 2UL);
	/* __GFP_MEMALLOC ignores the watermarks altogether */
	KUNIT_EXPECT_NOT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL |
						    __GFP_MEMALLOC, 0, 0,
						    NULL));
}

/*
 * warn_alloc(): a failure is reported once per 10 seconds; __GFP_NOWARN
 * failures are never reported and do not use up the limit.
 */
static void wmark_warn_alloc_ratelimit(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	int i;

	pgmt_topology(&topo, 1, 0, 0, 1024, 0);
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	while (pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE))
		;

	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL |
							__GFP_NOWARN, 0, 0,
							NULL));
	KUNIT_EXPECT_EQ(test, inst->nopage_rs.printed, 0);
	KUNIT_EXPECT_EQ(test, inst->nopage_rs.missed, 0);

	for (i = 0; i < 12; i++)
		KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL, 2, 0,
							NULL));
	KUNIT_EXPECT_EQ(test, inst->nopage_rs.printed, 1);
	KUNIT_EXPECT_EQ(test, inst->nopage_rs.missed, 11);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 15UL);
}

/*
 * zoneinfo as Debian's 6.12 prints it: five zones a node (Device last,
 * empty) and five protection columns. setup_per_zone_lowmem_reserve():
 * DMA / 256 over DMA32 28672 = 112, over DMA32 + Normal 61440 = 240, and
 * Movable and Device add no pages: 240 again; DMA32 32768 / 256 = 128.
 */
static void wmark_zoneinfo_protection(struct kunit *test)
{
	struct pgm_instance *inst = x86_like(test, 0);
	struct seq_file m = { .size = SZ_64K, .private = inst };
	static const char * const want[] = {
		"Node 0, zone      DMA\n",
		"        protection: (0, 112, 240, 240, 240)\n",
		"Node 0, zone    DMA32\n",
		"        protection: (0, 0, 128, 128, 128)\n",
		"Node 0, zone   Normal\n",
		"        protection: (0, 0, 0, 0, 0)\n",
		"Node 0, zone  Movable\n",
		"        protection: (0, 0, 0, 0, 0)\n",
		"Node 0, zone   Device\n",
		"        protection: (0, 0, 0, 0, 0)\n",
	};
	const char *at;
	unsigned int i;

	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	KUNIT_ASSERT_EQ(test, pgm_zoneinfo_show(&m, NULL), 0);
	KUNIT_ASSERT_LT(test, m.count, m.size);
	m.buf[m.count] = '\0';

	/* In this order, each once */
	at = m.buf;
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const char *hit = strstr(at, want[i]);

		KUNIT_EXPECT_NOT_NULL_MSG(test, hit, "missing in order: %s",
					  want[i]);
		if (!hit)
			return;
		at = hit + strlen(want[i]);
	}
	KUNIT_EXPECT_NULL(test, strstr(at, "Node 0, zone"));
}

/* ========================= khugepaged ========================= */

static void thp_expect_wmarks(struct kunit *test, struct pgm_zone *zone,
			      unsigned long min, unsigned long low,
			      unsigned long high)
{
	KUNIT_EXPECT_EQ_MSG(test, pgm_min_wmark_pages(zone), min, "%s", zone->name);
	KUNIT_EXPECT_EQ_MSG(test, pgm_low_wmark_pages(zone), low, "%s", zone->name);
	KUNIT_EXPECT_EQ_MSG(test, pgm_high_wmark_pages(zone), high, "%s",
			    zone->name);
}

static struct pgm_instance *thp_normal(struct kunit *test,
				       unsigned long pages, int mode)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, 1, 0, 0, pages, 0);
	topo.tun.transparent_hugepage = mode;
	return pgmt_create(test, &topo);
}

/* One control line; its errno, the status in @status */
static int thp_set(struct pgm_instance *inst, const char *line, char *status)
{
	return pgm_control_run(inst, line, strlen(line), status);
}

/*
 * THP always on 1 GiB of NORMAL (262144 pages). init_per_zone_wmark_min()
 * first: int_sqrt(262144 * 4 * 16) = 4096 KiB, min 1024, gap max(256,
 * 262) = 262, high 1548. Then hugepage_init() starts khugepaged:
 * set_recommended_min_free_kbytes() asks 512 * 1 zone * (2 + 3 * 3) =
 * 5632 pages, under 5% of (262144 - 1548) = 13029, so 22528 KiB: min
 * 5632, gap max(1408, 262) = 1408. madvise counts as always.
 */
static void wmark_thp_always(struct kunit *test)
{
	int modes[] = { PGM_THP_ALWAYS, PGM_THP_MADVISE }, i;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		struct pgm_instance *inst = thp_normal(test, 262144, modes[i]);

		KUNIT_EXPECT_EQ(test, inst->tun.min_free_kbytes, 22528);
		KUNIT_EXPECT_EQ(test, inst->tun.user_min_free_kbytes, -1);
		KUNIT_EXPECT_EQ(test, inst->tun.transparent_hugepage, modes[i]);
		thp_expect_wmarks(test, pgmt_zone(inst, 0, PGM_ZONE_NORMAL),
				  5632, 7040, 8448);
	}
}

/*
 * THP never on a kernel built with it: khugepaged's start derives
 * min_free_kbytes again, from the memory less the high marks the first
 * derivation set: int_sqrt((262144 - 1548) * 4 * 16) = 4083, not 4096;
 * min 1020, gap max(255, 262) = 262. Without THP it stays 4096.
 */
static void wmark_thp_never_rederives(struct kunit *test)
{
	struct pgm_instance *inst = thp_normal(test, 262144, PGM_THP_NEVER);
	struct pgm_instance *none = thp_normal(test, 262144, PGM_THP_NONE);

	KUNIT_EXPECT_EQ(test, inst->tun.min_free_kbytes, 4083);
	thp_expect_wmarks(test, pgmt_zone(inst, 0, PGM_ZONE_NORMAL),
			  1020, 1282, 1544);
	KUNIT_EXPECT_EQ(test, none->tun.min_free_kbytes, 4096);
	thp_expect_wmarks(test, pgmt_zone(none, 0, PGM_ZONE_NORMAL),
			  1024, 1286, 1548);
}

/*
 * Below 512 MiB hugepage_init() turns THP off and starts nothing: 256 MiB
 * keeps 2048 KiB (min/low/high 512/640/768). Writing always then starts
 * khugepaged: 5632 pages is more than 5% of (65536 - 768) = 3238, so
 * 12952 KiB, min 3238, gap 809. Writing never derives again from the
 * pages above the new high: int_sqrt((65536 - 4856) * 4 * 16) = 1970,
 * min 492, gap max(123, 65) = 123. A bad word changes nothing.
 */
static void wmark_thp_small_then_set(struct kunit *test)
{
	struct pgm_instance *inst = thp_normal(test, 65536, PGM_THP_ALWAYS);
	struct pgm_zone *normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	char *status = kunit_kzalloc(test, PGM_STATUS_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, status);
	KUNIT_EXPECT_EQ(test, inst->tun.transparent_hugepage, PGM_THP_NEVER);
	KUNIT_EXPECT_EQ(test, inst->tun.min_free_kbytes, 2048);
	thp_expect_wmarks(test, normal, 512, 640, 768);

	KUNIT_EXPECT_EQ(test, thp_set(inst, "set transparent_hugepage=always",
				      status), 0);
	KUNIT_EXPECT_STREQ(test, status,
			   "ok: transparent_hugepage=always min_free_kbytes=12952 (was 2048)");
	thp_expect_wmarks(test, normal, 3238, 4047, 4856);

	KUNIT_EXPECT_EQ(test, thp_set(inst, "set transparent_hugepage=yes",
				      status), -EINVAL);
	KUNIT_EXPECT_STREQ(test, status,
			   "error: EINVAL: transparent_hugepage is always, madvise or never, not 'yes'");
	KUNIT_EXPECT_EQ(test, inst->tun.transparent_hugepage, PGM_THP_ALWAYS);
	KUNIT_EXPECT_EQ(test, inst->tun.min_free_kbytes, 12952);

	KUNIT_EXPECT_EQ(test, thp_set(inst, "set transparent_hugepage=never",
				      status), 0);
	KUNIT_EXPECT_STREQ(test, status,
			   "ok: transparent_hugepage=never min_free_kbytes=1970 (was 12952)");
	KUNIT_EXPECT_EQ(test, inst->tun.user_min_free_kbytes, -1);
	thp_expect_wmarks(test, normal, 492, 615, 738);
}

/*
 * khugepaged raises even a user's value, and a derivation below it never
 * takes it back. 256 MiB, min_free_kbytes 4000 (min 1000, gap 250, high
 * 1500); madvise: 5% of (65536 - 1500) is 3201 pages, 12804 KiB (min
 * 3201, gap 800). never: int_sqrt((65536 - 4801) * 64) = 1971, which is
 * not above the user's 4000, so 12804 stays (calculate_min_free_kbytes()
 * only warns there).
 */
static void wmark_thp_user_value(struct kunit *test)
{
	struct pgm_instance *inst = thp_normal(test, 65536, PGM_THP_NONE);
	struct pgm_zone *normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	char *status = kunit_kzalloc(test, PGM_STATUS_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, status);
	KUNIT_ASSERT_EQ(test, thp_set(inst, "set min_free_kbytes=4000", status),
			0);
	thp_expect_wmarks(test, normal, 1000, 1250, 1500);
	KUNIT_EXPECT_EQ(test, thp_set(inst, "set transparent_hugepage=madvise",
				      status), 0);
	KUNIT_EXPECT_EQ(test, inst->tun.min_free_kbytes, 12804);
	KUNIT_EXPECT_EQ(test, inst->tun.user_min_free_kbytes, 4000);
	thp_expect_wmarks(test, normal, 3201, 4001, 4801);
	KUNIT_EXPECT_EQ(test, thp_set(inst, "set transparent_hugepage=never",
				      status), 0);
	KUNIT_EXPECT_STREQ(test, status,
			   "ok: transparent_hugepage=never min_free_kbytes=12804 (was 12804)");
	thp_expect_wmarks(test, normal, 3201, 4001, 4801);
}

/*
 * Values given at creation are sysctls written after boot: the initcalls
 * ran with the boot's own, and the handlers redo only the watermarks.
 * - 1 GiB with THP and watermark_scale_factor 3000: khugepaged started
 *   with the boot's highs of 1548 (5% of 262144 - 1548 is 13029, more
 *   than 5632), so 22528 KiB stays: min 5632, gap
 *   mult_frac(262144, 3000, 10000) = 78643. With 3000 at khugepaged's
 *   start, 5% of the pages above 158310 would have been 5191.
 * - 4 GiB, 64 pcp CPUs, min_free_kbytes 65536: the stat threshold is
 *   2 * fls(64) * (1 + fls(1048576 >> 15)) = 98, max_drift 6272, above
 *   the boot's gap of max(512, 1048), so the drift mark is the boot's
 *   high 4144 + 6272 = 10416, which the sysctl leaves; the watermarks
 *   are min 16384, gap max(4096, 1048).
 */
static void wmark_create_values_after_boot(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *normal;

	pgmt_topology(&topo, 1, 0, 0, 262144, 0);
	topo.tun.transparent_hugepage = PGM_THP_ALWAYS;
	topo.tun.watermark_scale_factor = 3000;
	inst = pgmt_create(test, &topo);
	KUNIT_EXPECT_EQ(test, inst->tun.min_free_kbytes, 22528);
	KUNIT_EXPECT_EQ(test, inst->tun.watermark_scale_factor, 3000);
	thp_expect_wmarks(test, pgmt_zone(inst, 0, PGM_ZONE_NORMAL),
			  5632, 84275, 162918);

	pgmt_topology(&topo, 1, 0, 0, 1048576, 0);
	topo.nr_cpus = 64;
	topo.tun.min_free_kbytes = 65536;
	inst = pgmt_create_as_made(test, &topo);
	normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, inst->tun.min_free_kbytes, 65536);
	KUNIT_EXPECT_EQ(test, inst->tun.user_min_free_kbytes, 65536);
	KUNIT_EXPECT_EQ(test, normal->stat_threshold, 98);
	thp_expect_wmarks(test, normal, 16384, 20480, 24576);
	KUNIT_EXPECT_EQ(test, normal->percpu_drift_mark, 10416UL);
}

/*
 * Each populated zone up to NORMAL counts, MOVABLE not. DMA 4096, DMA32
 * 126976, NORMAL 131072 and MOVABLE 131072 pages: lowmem 262144, so 4096
 * KiB and highs of 24, 748 and 774 first (DMA32's gap is
 * mult_frac(126976, 10, 10000) = 126, NORMAL's 131). Three zones ask
 * 512 * 3 * 11 = 16896 pages; 5% of 4072 + 126228 + 130298 = 260598 is
 * 13029, so 52116 KiB, shared as pages_min 13029 * managed / 262144:
 * DMA 203, DMA32 6310, NORMAL 6514; MOVABLE keeps 128 with the gap of
 * its unclamped share, 6514 / 4.
 */
static void wmark_thp_zones(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 1, 4096, 126976, 131072, 131072);
	topo.tun.transparent_hugepage = PGM_THP_ALWAYS;
	inst = pgmt_create(test, &topo);
	KUNIT_EXPECT_EQ(test, inst->tun.min_free_kbytes, 52116);
	thp_expect_wmarks(test, pgmt_zone(inst, 0, PGM_ZONE_DMA), 203, 253, 303);
	thp_expect_wmarks(test, pgmt_zone(inst, 0, PGM_ZONE_DMA32),
			  6310, 7887, 9464);
	thp_expect_wmarks(test, pgmt_zone(inst, 0, PGM_ZONE_NORMAL),
			  6514, 8142, 9770);
	thp_expect_wmarks(test, pgmt_zone(inst, 0, PGM_ZONE_MOVABLE),
			  128, 1756, 3384);
}

/*
 * A maker's min_free_kbytes stands, as a sysctl written after boot
 * replaces what khugepaged set: 1 GiB, always, 8192 KiB given
 */
static void wmark_thp_maker_value(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 1, 0, 0, 262144, 0);
	topo.tun.transparent_hugepage = PGM_THP_ALWAYS;
	topo.tun.min_free_kbytes = 8192;
	inst = pgmt_create(test, &topo);
	KUNIT_EXPECT_EQ(test, inst->tun.min_free_kbytes, 8192);
	KUNIT_EXPECT_EQ(test, inst->tun.transparent_hugepage, PGM_THP_ALWAYS);
	/* min 2048, gap max(512, 262) */
	thp_expect_wmarks(test, pgmt_zone(inst, 0, PGM_ZONE_NORMAL),
			  2048, 2560, 3072);
}

static struct kunit_case pgmirror_watermark_cases[] = {
	KUNIT_CASE(wmark_derived_min_free_kbytes),
	KUNIT_CASE(wmark_zoneinfo_protection),
	KUNIT_CASE_PARAM(wmark_values, wmark_gen_params),
	KUNIT_CASE(wmark_scale_factor),
	KUNIT_CASE(wmark_min_free_kbytes),
	KUNIT_CASE(wmark_movable_clamp),
	KUNIT_CASE(wmark_lowmem_reserve),
	KUNIT_CASE_PARAM(wmark_boundary, boundary_gen_params),
	KUNIT_CASE(wmark_unusable_free),
	KUNIT_CASE(wmark_order_needs_block),
	KUNIT_CASE(wmark_fast_boost),
	KUNIT_CASE_PARAM(wmark_gfp_to_alloc_flags, flags_gen_params),
	KUNIT_CASE(wmark_atomic_dips_into_reserve),
	KUNIT_CASE(wmark_warn_alloc_ratelimit),
	KUNIT_CASE(wmark_thp_always),
	KUNIT_CASE(wmark_thp_never_rederives),
	KUNIT_CASE(wmark_create_values_after_boot),
	KUNIT_CASE(wmark_thp_small_then_set),
	KUNIT_CASE(wmark_thp_user_value),
	KUNIT_CASE(wmark_thp_zones),
	KUNIT_CASE(wmark_thp_maker_value),
	{}
};

static struct kunit_suite pgmirror_watermark_suite = {
	.name = "pgmirror_watermark",
	.test_cases = pgmirror_watermark_cases,
};

kunit_test_suite(pgmirror_watermark_suite);
