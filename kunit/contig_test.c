// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_contig: alloc_contig_range(), alloc_contig_pages() with
 * FreeBSD's limits, free_contig_range(), and cma_alloc()/cma_release().
 *
 * Every case builds a zone of four pageblocks (two free order-10 blocks)
 * and places pages by pfn: all pages are taken as order-0 and all but the
 * chosen ones given back, so that the buddy arithmetic of the expected
 * free lists can be done by hand from upstream's rules.
 */

#include <kunit/test.h>
#include <linux/string.h>
#include "test_util.h"
#include "cmd.h"
#include "lru.h"

#define CONTIG_PAGES	(4 * PGMT_PB)

struct contig_ctx {
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_page *pages[CONTIG_PAGES];
};

/* Keep the pages of @keep (pfns, -1 ends it) allocated, free the rest */
static void contig_place(struct kunit *test, struct contig_ctx *c,
			 const long *keep)
{
	unsigned long pfn;
	int i;

	pgmt_take_all(c->zone, c->pages, CONTIG_PAGES);
	for (pfn = 0; pfn < CONTIG_PAGES; pfn++) {
		bool kept = false;

		KUNIT_ASSERT_NOT_NULL(test, c->pages[pfn]);
		for (i = 0; keep && keep[i] >= 0; i++)
			kept |= keep[i] == pfn;
		if (!kept)
			pgmt_give(c->zone, c->pages[pfn], 0);
	}
}

static struct contig_ctx *contig_setup(struct kunit *test, unsigned long cma)
{
	struct contig_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct pgm_topology topo;

	KUNIT_ASSERT_NOT_NULL(test, c);
	pgmt_topology(&topo, 1, 0, 0, CONTIG_PAGES, 0);
	topo.cma_pages = cma;
	c->inst = pgmt_create(test, &topo);
	c->zone = pgmt_zone(c->inst, 0, PGM_ZONE_NORMAL);
	return c;
}

static unsigned long nr_free_at(struct pgm_zone *zone, unsigned int order)
{
	return zone->free_area[order].nr_free;
}

/* Every page of [start, end) an order-0 allocation of its own */
static void expect_range_allocated(struct kunit *test,
				   struct pgm_instance *inst,
				   unsigned long start, unsigned long end)
{
	unsigned long pfn, bad = 0;

	for (pfn = start; pfn < end; pfn++) {
		struct pgm_page *page = pgm_pfn_to_page(inst, pfn);

		if (!(page->flags & PGM_PG_HEAD) || page->private ||
		    (page->flags & (PGM_PG_BUDDY | PGM_PG_PCP)))
			bad++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0UL);
}

/*
 * An unaligned range over free memory, [100, 700). Blocks 0 and 1 are
 * isolated (the order-10 block at 0 splits into two order-9 blocks),
 * find_large_buddy(100) is 0, and isolate_freepages_range() takes both
 * order-9 blocks, ending at 1024. The head [0, 100) and the tail
 * [700, 1024) are freed page by page and merge as the buddy does:
 * orders 6, 5, 2 at 0, 64, 96 and orders 2, 6, 8 at 700, 704, 768. The
 * order-10 block at 1024 is untouched. Freed again, everything merges.
 * Strict isolate_freepages_block() counts each pageblock's take in
 * compact_isolated: 512 in [0, 512), the order-9 block at 512 in
 * [512, 700), 1024 in all.
 */
static void contig_range_unaligned(struct kunit *test)
{
	struct contig_ctx *c = contig_setup(test, 0);
	struct pgm_contig_info info = {};

	KUNIT_ASSERT_EQ(test, nr_free_at(c->zone, 10), 2UL);
	KUNIT_ASSERT_EQ(test, pgm_alloc_contig_range(c->inst, 100, 700,
						     PGM_MIGRATE_MOVABLE,
						     GFP_KERNEL, &info), 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(c->inst, PGM_COMPACTISOLATED), 1024UL);
	expect_range_allocated(test, c->inst, 100, 700);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(c->zone), (long)(2048 - 600));
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 10), 1UL);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 8), 1UL);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 6), 2UL);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 5), 1UL);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 2), 2UL);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 9), 0UL);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 0), 0UL);
	KUNIT_EXPECT_EQ(test, c->zone->nr_isolate_pageblock, 0UL);
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(c->inst, 0),
			PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(c->inst, PGMT_PB),
			PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, info.migrated, 0UL);

	pgm_free_contig_range(c->inst, 100, 600);
	pgm_drain_all_pages(c->inst, c->zone);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 10), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(c->zone), 2048L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, c->inst), 0UL);
}

/*
 * An unmovable page anywhere in a pageblock the range touches stops it at
 * the isolation, as set_migratetype_isolate() looks at the whole block:
 * a kernel page at pfn 5 refuses [100, 200) with -EBUSY naming pfn 5, and
 * nothing changes. A range beyond the zone, an empty one, a type other
 * than MOVABLE or CMA and __GFP_NOFAIL are refused with -EINVAL, as
 * upstream refuses them; __GFP_COMP too, which upstream takes for a
 * gigantic folio and pgmirror, with no folios past MAX_ORDER, refuses (a
 * deviation the admin guide describes).
 */
static void contig_range_refused(struct kunit *test)
{
	static const long keep[] = { 5, -1 };
	struct contig_ctx *c = contig_setup(test, 0);
	struct pgm_contig_info info = {};
	long free;

	contig_place(test, c, keep);
	free = pgmt_nr_free(c->zone);
	KUNIT_EXPECT_EQ(test, pgm_alloc_contig_range(c->inst, 100, 200,
						     PGM_MIGRATE_MOVABLE,
						     GFP_KERNEL, &info),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, info.busy_pfn, 5UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(c->zone), free);
	KUNIT_EXPECT_EQ(test, c->zone->nr_isolate_pageblock, 0UL);
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(c->inst, 0),
			PGM_MIGRATE_MOVABLE);

	KUNIT_EXPECT_EQ(test, pgm_alloc_contig_range(c->inst, 2000, 2100,
						     PGM_MIGRATE_MOVABLE,
						     GFP_KERNEL, &info),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_alloc_contig_range(c->inst, 600, 600,
						     PGM_MIGRATE_MOVABLE,
						     GFP_KERNEL, &info),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_alloc_contig_range(c->inst, 600, 700,
						     PGM_MIGRATE_UNMOVABLE,
						     GFP_KERNEL, &info),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_alloc_contig_range(c->inst, 600, 700,
						     PGM_MIGRATE_MOVABLE,
						     GFP_KERNEL | __GFP_COMP,
						     &info),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_alloc_contig_range(c->inst, 600, 700,
						     PGM_MIGRATE_MOVABLE,
						     GFP_KERNEL | __GFP_NOFAIL,
						     &info),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(c->zone), free);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, c->inst), 0UL);
}

/* An LRU allocation of @kind at @page, with a handle as the control file's */
static struct pgm_alloc *contig_lru(struct kunit *test,
				    struct pgm_instance *inst,
				    struct pgm_page *page, enum pgm_kind kind)
{
	struct pgm_alloc *a = pgm_alloc_adopt(inst, page, 0, NULL, kind);

	KUNIT_ASSERT_NOT_NULL(test, a);
	pgm_iface_lock(inst);
	KUNIT_ASSERT_EQ(test, pgm_handle_add(inst, a, NULL), 0);
	pgm_iface_unlock(inst);
	return a;
}

/* alloc_contig_range() of pageblock 1, [512, 1024), as MOVABLE */
static int contig_block1(struct pgm_instance *inst, gfp_t gfp,
			 struct pgm_contig_info *info)
{
	memset(info, 0, sizeof(*info));
	return pgm_alloc_contig_range(inst, PGMT_PB, 2 * PGMT_PB,
				      PGM_MIGRATE_MOVABLE, gfp, info);
}

/* Pageblock 1 taken whole: give it back, and every handle with it */
static void contig_block1_free(struct kunit *test, struct pgm_instance *inst)
{
	expect_range_allocated(test, inst, PGMT_PB, 2 * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	pgm_free_contig_range(inst, PGMT_PB, PGMT_PB);
	pgm_iface_lock(inst);
	pgm_handles_free(inst, NULL, NULL);
	pgm_iface_unlock(inst);
}

/*
 * __alloc_contig_migrate_range() over pageblock 1 of a backed instance:
 * an anon page and a dirty file page are migrated out, their contents and
 * dirty state with them; a clean file page is reclaimed instead
 * (reclaim_clean_pages_from_list()) and its handle goes. A pinned page
 * stays on its LRU (isolate_migratepages_block()'s refcount check) and
 * cannot move: the range is busy at its pfn, the migrations stay done,
 * as upstream's do, and the block is
 * movable again. With the pinned page gone the range is taken.
 * compact_isolated: the first call's isolate_migratepages_block() takes
 * 600, 601 and 602 off the LRU (the pinned page fails its refcount check
 * first), 3, and never reaches the free pages; the second takes no folio
 * and the order-9 block at 512, 512 more.
 */
static void contig_range_migrates(struct kunit *test)
{
	struct pgm_instance *inst = pgmt_create_backed(test, 8 << 20);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page **pages;
	struct pgm_contig_info info = {};
	struct pgm_alloc *anon, *clean, *dirty, *pinned;
	unsigned long pfn, migrate0;
	u32 clean_id;
	u8 *mem;

	pages = kunit_kcalloc(test, CONTIG_PAGES, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_take_all(zone, pages, CONTIG_PAGES);
	for (pfn = 0; pfn < CONTIG_PAGES; pfn++)
		if (pfn < 600 || pfn > 603)
			pgmt_give(zone, pages[pfn], 0);
	anon = contig_lru(test, inst, pages[600], PGM_KIND_ANON);
	clean = contig_lru(test, inst, pages[601], PGM_KIND_FILE);
	dirty = contig_lru(test, inst, pages[602], PGM_KIND_FILE);
	pinned = contig_lru(test, inst, pages[603], PGM_KIND_PINNED);
	KUNIT_ASSERT_EQ(test, pgm_alloc_set_dirty(inst, dirty), 0);
	clean_id = clean->id;
	mem = pgm_page_address(inst, anon->page);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	memset(mem, 0x5a, PAGE_SIZE);
	migrate0 = pgmt_event(inst, PGM_PGMIGRATE_SUCCESS);

	KUNIT_EXPECT_EQ(test, contig_block1(inst, GFP_KERNEL, &info), -EBUSY);
	KUNIT_EXPECT_EQ(test, info.busy_pfn, 603UL);
	KUNIT_EXPECT_EQ(test, info.migrated, 2UL);
	KUNIT_EXPECT_EQ(test, info.reclaimed, 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTISOLATED), 3UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS) - migrate0,
			2UL);
	KUNIT_EXPECT_NULL(test, xa_load(&inst->handles, clean_id));
	/*
	 * The list is 602, 601, 600 (each isolated to its head) and 601 was
	 * reclaimed; with a batch of 1 each target is split off the smallest
	 * movable block, the order-9 one at 0: 602 to pfn 0, 600 to pfn 1
	 */
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, dirty->page), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, anon->page), 1UL);
	KUNIT_EXPECT_TRUE(test, dirty->dirty);
	KUNIT_EXPECT_EQ(test, inst->node_data[0].vm_stat[PGM_NR_FILE_DIRTY],
			1L);
	mem = pgm_page_address(inst, anon->page);
	KUNIT_EXPECT_EQ(test, mem[0], 0x5a);
	KUNIT_EXPECT_EQ(test, mem[PAGE_SIZE - 1], 0x5a);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, pinned->page), 603UL);
	KUNIT_EXPECT_EQ(test, zone->nr_isolate_pageblock, 0UL);
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst, PGMT_PB),
			PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	pgmt_handle_free(test, inst, pinned);
	KUNIT_EXPECT_EQ(test, contig_block1(inst, GFP_KERNEL, &info), 0);
	KUNIT_EXPECT_EQ(test, info.migrated, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTISOLATED), 515UL);
	contig_block1_free(test, inst);
}

/*
 * migrate_pages() walks the batch highest pfn first: isolation put each
 * folio at the head of the list. Anon pages at 600 and 700, everything
 * else free: with pageblock 1 isolated and the pcp drained, the first
 * target's refill splits the movable order-9 block at 0 (the one at 1024
 * is order 10), handing out pfn 0 and then pfn 1 from the pcp list. So
 * the page at 700 moves to 0 and the one at 600 to 1.
 */
static void contig_range_migrate_order(struct kunit *test)
{
	static const long keep[] = { 600, 700, -1 };
	struct contig_ctx *c = contig_setup(test, 0);
	struct pgm_contig_info info = {};
	struct pgm_alloc *low, *high;

	contig_place(test, c, keep);
	low = contig_lru(test, c->inst, c->pages[600], PGM_KIND_ANON);
	high = contig_lru(test, c->inst, c->pages[700], PGM_KIND_ANON);
	KUNIT_ASSERT_EQ(test, nr_free_at(c->zone, 9), 1UL);
	KUNIT_ASSERT_EQ(test, nr_free_at(c->zone, 10), 1UL);

	KUNIT_EXPECT_EQ(test, contig_block1(c->inst, GFP_KERNEL, &info), 0);
	KUNIT_EXPECT_EQ(test, info.migrated, 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(c->inst, high->page), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(c->inst, low->page), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(c->inst, PGM_COMPACTISOLATED),
			2UL + PGMT_PB);
	contig_block1_free(test, c->inst);
}

/*
 * Without __GFP_FS, isolate_migratepages_block() leaves a folio with a
 * mapping where it is: over pageblock 1, an anon page at 600 is migrated
 * (counted in compact_isolated, 1) and a clean file page at 601 is
 * neither reclaimed nor moved, so the range is busy there and the file
 * page keeps its handle. With GFP_KERNEL the file page is reclaimed and
 * the range taken: 1 more for the page, 512 for the free block.
 */
static void contig_range_nofs(struct kunit *test)
{
	struct pgm_instance *inst = pgmt_create_backed(test, 8 << 20);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_contig_info info = {};
	struct pgm_alloc *anon, *clean;
	struct pgm_page **pages;
	unsigned long pfn;
	u32 clean_id;

	pages = kunit_kcalloc(test, CONTIG_PAGES, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_take_all(zone, pages, CONTIG_PAGES);
	for (pfn = 0; pfn < CONTIG_PAGES; pfn++)
		if (pfn != 600 && pfn != 601)
			pgmt_give(zone, pages[pfn], 0);
	anon = contig_lru(test, inst, pages[600], PGM_KIND_ANON);
	clean = contig_lru(test, inst, pages[601], PGM_KIND_FILE);
	clean_id = clean->id;

	KUNIT_EXPECT_EQ(test, contig_block1(inst, GFP_NOFS, &info), -EBUSY);
	KUNIT_EXPECT_EQ(test, info.busy_pfn, 601UL);
	KUNIT_EXPECT_EQ(test, info.migrated, 1UL);
	KUNIT_EXPECT_EQ(test, info.reclaimed, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTISOLATED), 1UL);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&inst->handles, clean_id),
			    (void *)clean);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, clean->page), 601UL);
	/* The target: the first page of the order-9 movable block at 0 */
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, anon->page), 0UL);
	KUNIT_EXPECT_EQ(test, zone->nr_isolate_pageblock, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	KUNIT_EXPECT_EQ(test, contig_block1(inst, GFP_KERNEL, &info), 0);
	KUNIT_EXPECT_EQ(test, info.reclaimed, 1UL);
	KUNIT_EXPECT_NULL(test, xa_load(&inst->handles, clean_id));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_COMPACTISOLATED), 514UL);
	contig_block1_free(test, inst);
}

static struct pgm_page *contig_pages(struct contig_ctx *c, unsigned long nr,
				     unsigned long low, unsigned long high,
				     unsigned long align,
				     unsigned long boundary,
				     struct pgm_contig_info *info)
{
	struct pgm_contig_limits lim = {
		.low = low, .high = high, .align = align, .boundary = boundary,
	};

	memset(info, 0, sizeof(*info));
	return pgm_alloc_contig_pages(c->inst, nr, GFP_KERNEL, 0, NULL, &lim,
				      info);
}

/*
 * alloc_contig_pages()'s own walk: ALIGN(max(zone start, low), nr_pages),
 * then steps of nr_pages. With a kernel page at pfn 8, every window of
 * four pages in pageblock 0 fails at the isolation, 8 to 508 (126 tries),
 * and the 127th, at 512, succeeds.
 */
static void contig_pages_walk(struct kunit *test)
{
	static const long keep[] = { 8, -1 };
	struct contig_ctx *c = contig_setup(test, 0);
	struct pgm_contig_info info;
	struct pgm_page *page;

	contig_place(test, c, keep);
	page = contig_pages(c, 4, 5, CONTIG_PAGES, 0, 0, &info);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(c->inst, page), 512UL);
	KUNIT_EXPECT_EQ(test, info.tried, 127UL);
	expect_range_allocated(test, c->inst, 512, 516);
	pgm_free_contig_range(c->inst, 512, 4);

	/*
	 * Below high=8 only [0, 4) and [4, 8) fit, in the busy block: the
	 * isolation of its whole pageblock meets pfn 8 (has_unmovable_pages())
	 */
	page = contig_pages(c, 4, 0, 8, 0, 0, &info);
	KUNIT_EXPECT_EQ(test, info.tried, 2UL);
	KUNIT_EXPECT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, info.busy_pfn, 8UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, c->inst), 0UL);
}

/*
 * A control write's walk lets iface_lock go every 256 tries and takes it
 * back: one page from pfn 9 with a kernel page at 8 fails at every pfn
 * of pageblock 0, 9 to 511 (503 tries), and takes pfn 512 at the 504th,
 * with the writer holding iface_lock again at the end. A reader queued
 * before the walk gets in after the 256th try, not at the write's end.
 */
static void contig_pages_walk_relaxes(struct kunit *test)
{
	static const long keep[] = { 8, -1 };
	struct contig_ctx *c = contig_setup(test, 0);
	struct pgm_instance *inst = c->inst;
	struct pgmt_iface_reader r;
	struct pgm_iface_writer w;
	struct pgm_contig_info info;
	struct pgm_page *page;

	contig_place(test, c, keep);
	pgmt_writer_begin(inst, &w, false);
	pgmt_iface_reader_start(test, inst, &info.tried, &r);
	page = contig_pages(c, 1, 9, CONTIG_PAGES, 0, 0, &info);
	KUNIT_EXPECT_TRUE(test, rwsem_is_locked(&inst->iface_lock));
	KUNIT_EXPECT_TRUE(test, pgm_iface_holder(inst));
	pgmt_writer_end(inst, &w);
	KUNIT_EXPECT_EQ(test, pgmt_iface_reader_stop(&r),
			(unsigned long)PGM_IFACE_BATCH);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 512UL);
	KUNIT_EXPECT_EQ(test, info.tried, 504UL);
	pgm_free_contig_range(inst, 512, 1);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * FreeBSD's vm_phys_alloc_contig() limits, at their edges:
 *  - 3 pages from 6, align 1, boundary 4: [6, 9) crosses 8, so the range
 *    moves up to 8;
 *  - 3 pages from 5, align 4, boundary 8: 8;
 *  - 3 pages from 5, align 1, boundary 4: [5, 8) stays inside [4, 8): 5;
 *  - 4 pages from 2044 with align 8 would start at 2048: beyond high,
 *    nothing is tried;
 *  - 512 pages from 100, align 1, boundary 512: [100, 612) crosses 512:
 *    512;
 *  - 8 pages ending exactly at high, [2040, 2048): taken.
 */
static void contig_pages_freebsd_limits(struct kunit *test)
{
	static const struct {
		unsigned long nr, low, high, align, boundary;
		long want;
	} cases[] = {
		{ 3, 6, CONTIG_PAGES, 1, 4, 8 },
		{ 3, 5, CONTIG_PAGES, 4, 8, 8 },
		{ 3, 5, CONTIG_PAGES, 1, 4, 5 },
		{ 4, 2044, CONTIG_PAGES, 8, 0, -1 },
		{ 512, 100, CONTIG_PAGES, 1, 512, 512 },
		{ 8, 2040, CONTIG_PAGES, 8, 0, 2040 },
	};
	struct contig_ctx *c = contig_setup(test, 0);
	struct pgm_contig_info info;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pgm_page *page = contig_pages(c, cases[i].nr,
						     cases[i].low,
						     cases[i].high,
						     cases[i].align,
						     cases[i].boundary, &info);

		if (cases[i].want < 0) {
			KUNIT_EXPECT_NULL_MSG(test, page, "case %u", i);
			KUNIT_EXPECT_EQ_MSG(test, info.tried, 0UL, "case %u", i);
			continue;
		}
		KUNIT_ASSERT_NOT_NULL_MSG(test, page, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, pgmt_pfn(c->inst, page),
				    (unsigned long)cases[i].want, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, info.tried, 1UL, "case %u", i);
		pgm_free_contig_range(c->inst, pgmt_pfn(c->inst, page),
				      cases[i].nr);
		pgm_drain_all_pages(c->inst, c->zone);
	}
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 10), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, c->inst), 0UL);
}

/*
 * cma_alloc() over an area of pageblocks 2 and 3 (base pfn 1024): 10
 * pages at bit 0; 10 more aligned to order 4 at bit 16 (the offset is
 * base_pfn & 15 = 0). Released, and with a kernel page left inside block
 * 2, an order-9-aligned request of 512 tries bit 0, finds the range busy,
 * goes on at bit 0 + 511 + 1 and takes block 3. Nothing is left for 1024
 * pages; a release outside the area frees nothing.
 */
static void contig_cma(struct kunit *test)
{
	struct contig_ctx *c = contig_setup(test, 2 * PGMT_PB);
	struct pgm_instance *inst = c->inst;
	struct pgm_contig_info info = {};
	unsigned long ok0 = pgmt_event(inst, PGM_CMA_ALLOC_SUCCESS);
	unsigned long fail0 = pgmt_event(inst, PGM_CMA_ALLOC_FAIL);
	struct pgm_page *a, *b, *busy;

	KUNIT_ASSERT_EQ(test, inst->cma.base_pfn, 2 * PGMT_PB);
	KUNIT_ASSERT_EQ(test, inst->cma.count, 2 * PGMT_PB);
	a = pgm_cma_alloc(inst, 10, 0, true, &info);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a), 1024UL);
	b = pgm_cma_alloc(inst, 10, 4, true, &info);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, b), 1040UL);
	KUNIT_EXPECT_EQ(test, pgm_cma_used(inst), 20UL);
	expect_range_allocated(test, inst, 1040, 1050);
	KUNIT_EXPECT_TRUE(test, pgm_cma_release(inst, a, 10));
	KUNIT_EXPECT_TRUE(test, pgm_cma_release(inst, b, 10));
	KUNIT_EXPECT_EQ(test, pgm_cma_used(inst), 0UL);
	pgm_drain_all_pages(inst, c->zone);

	busy = pgmt_take(c->zone, 0, PGM_MIGRATE_CMA);
	KUNIT_ASSERT_NOT_NULL(test, busy);
	KUNIT_ASSERT_TRUE(test, pgmt_pfn(inst, busy) >= 1024 &&
			  pgmt_pfn(inst, busy) < 1536);
	memset(&info, 0, sizeof(info));
	a = pgm_cma_alloc(inst, PGMT_PB, PGM_PAGEBLOCK_ORDER, true, &info);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, a), 1536UL);
	KUNIT_EXPECT_EQ(test, info.tried, 2UL);
	KUNIT_EXPECT_NULL(test, pgm_cma_alloc(inst, 2 * PGMT_PB, 0, true,
					      &info));
	/* More than the area: NULL before anything is counted */
	KUNIT_EXPECT_NULL(test, pgm_cma_alloc(inst, 2 * PGMT_PB + 1, 0, true,
					      &info));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_CMA_ALLOC_SUCCESS) - ok0,
			3UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_CMA_ALLOC_FAIL) - fail0,
			1UL);
	KUNIT_EXPECT_FALSE(test, pgm_cma_release(inst,
						 pgm_pfn_to_page(inst, 0), 1));
	KUNIT_EXPECT_FALSE(test, pgm_cma_release(inst, a, 2 * PGMT_PB));
	KUNIT_EXPECT_EQ(test, pgm_cma_used(inst), (unsigned long)PGMT_PB);
	KUNIT_EXPECT_TRUE(test, pgm_cma_release(inst, a, PGMT_PB));
	pgmt_give(c->zone, busy, 0);
	pgm_drain_all_pages(inst, c->zone);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(c->zone), (long)CONTIG_PAGES);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * cma_alloc()'s alignment counts from pfn 0, not from the area
 * (cma_bitmap_aligned_offset()): an area of three pageblocks ends the
 * zone at 512, so at align 10 the bitmap's offset is 512 & 1023 = 512,
 * and the first bit whose pfn is a multiple of 1024 is bit 512: pfn 1024,
 * not the area's first page.
 */
static void contig_cma_align_offset(struct kunit *test)
{
	struct contig_ctx *c = contig_setup(test, 3 * PGMT_PB);
	struct pgm_instance *inst = c->inst;
	struct pgm_contig_info info = {};
	struct pgm_page *page;

	KUNIT_ASSERT_EQ(test, inst->cma.base_pfn, PGMT_PB);
	page = pgm_cma_alloc(inst, 64, 10, true, &info);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 2 * PGMT_PB);
	KUNIT_EXPECT_TRUE(test, pgm_cma_release(inst, page, 64));
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * cma_alloc() of one page over an area whose first 300 pages are in use:
 * bits 0 to 299 are tried and found busy, one after another, and bit 300
 * (pfn 1324) is taken at the 301st try. As a control writer the call lets
 * iface_lock go at the 256th, where a reader queued before gets in, and
 * holds it again at the end.
 */
static void contig_cma_many_tries(struct kunit *test)
{
	struct contig_ctx *c = contig_setup(test, 2 * PGMT_PB);
	struct pgm_instance *inst = c->inst;
	struct pgm_contig_info info = {};
	struct pgmt_iface_reader r;
	struct pgm_iface_writer w;
	struct pgm_page **busy, *page;
	unsigned int i;

	busy = kunit_kcalloc(test, 300, sizeof(*busy), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, busy);
	for (i = 0; i < 300; i++) {
		busy[i] = pgmt_take(c->zone, 0, PGM_MIGRATE_CMA);
		KUNIT_ASSERT_NOT_NULL(test, busy[i]);
		KUNIT_ASSERT_EQ(test, pgmt_pfn(inst, busy[i]), 1024UL + i);
	}
	pgmt_writer_begin(inst, &w, false);
	pgmt_iface_reader_start(test, inst, &info.tried, &r);
	page = pgm_cma_alloc(inst, 1, 0, true, &info);
	KUNIT_EXPECT_TRUE(test, rwsem_is_locked(&inst->iface_lock));
	KUNIT_EXPECT_TRUE(test, pgm_iface_holder(inst));
	pgmt_writer_end(inst, &w);
	KUNIT_EXPECT_EQ(test, pgmt_iface_reader_stop(&r),
			(unsigned long)PGM_IFACE_BATCH);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 1324UL);
	KUNIT_EXPECT_EQ(test, info.tried, 301UL);
	KUNIT_EXPECT_TRUE(test, pgm_cma_release(inst, page, 1));
	for (i = 0; i < 300; i++)
		pgmt_give(c->zone, busy[i], 0);
	pgm_drain_all_pages(inst, c->zone);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(c->zone), (long)CONTIG_PAGES);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * isolate_single_pageblock(): an order-10 LRU folio at 0 crosses the
 * boundary at 512, so isolating [600, 700) fails with -EBUSY at pfn 0 and
 * block 1 is given back. A kernel block of order 10 is a plain high-order
 * page: the isolation goes through, and its tail is what test_pages_isolated()
 * then finds busy.
 */
static void contig_straddling_folio(struct kunit *test)
{
	struct contig_ctx *c = contig_setup(test, 0);
	struct pgm_contig_info info = {};
	struct pgm_page *block;
	struct pgm_alloc *a;
	unsigned long bad = 0, base;

	block = pgmt_take(c->zone, 10, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, block);
	KUNIT_ASSERT_EQ(test, pgmt_pfn(c->inst, block) % 1024, 0UL);
	a = pgm_alloc_adopt(c->inst, block, 10, NULL, PGM_KIND_ANON);
	KUNIT_ASSERT_NOT_NULL(test, a);
	base = pgmt_pfn(c->inst, block);
	KUNIT_EXPECT_EQ(test, pgm_start_isolate_page_range(c->inst, base + 600,
							   base + 700,
							   PGM_MIGRATE_MOVABLE,
							   &bad), -EBUSY);
	KUNIT_EXPECT_EQ(test, bad, base);
	KUNIT_EXPECT_EQ(test, c->zone->nr_isolate_pageblock, 0UL);
	pgm_alloc_release(c->inst, a);
	pgm_drain_all_pages(c->inst, c->zone);

	block = pgmt_take(c->zone, 10, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, block);
	base = pgmt_pfn(c->inst, block);
	KUNIT_EXPECT_EQ(test, pgm_alloc_contig_range(c->inst, base + 600,
						     base + 700,
						     PGM_MIGRATE_MOVABLE,
						     GFP_KERNEL, &info),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, info.busy_pfn, base + 600);
	KUNIT_EXPECT_EQ(test, c->zone->nr_isolate_pageblock, 0UL);
	pgmt_give(c->zone, block, 10);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 10), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, c->inst), 0UL);
}

/*
 * Ranges held by handles go back as rmmod frees them: a contiguous range
 * page by page, a CMA range through cma_release(), and no record is left.
 */
static void contig_handles_released(struct kunit *test)
{
	struct contig_ctx *c = contig_setup(test, 2 * PGMT_PB);
	struct pgm_instance *inst = c->inst;
	struct pgm_contig_info info = {};
	struct pgm_contig_limits lim = { .high = CONTIG_PAGES };
	long live = pgm_meta_nr_live();
	struct pgm_page *range, *cma;
	struct pgm_alloc *a, *b;

	range = pgm_alloc_contig_pages(inst, 100, GFP_KERNEL, 0, NULL, &lim,
				       &info);
	KUNIT_ASSERT_NOT_NULL(test, range);
	cma = pgm_cma_alloc(inst, 64, 0, true, &info);
	KUNIT_ASSERT_NOT_NULL(test, cma);
	/* The first candidate, ALIGN(0, 100); the area's first bit */
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, range), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, cma), 2 * PGMT_PB);
	/*
	 * Each page records the type its mask asks for, as page_owner does
	 * from post_alloc_hook(): GFP_KERNEL, cma_alloc()'s too, is
	 * unmovable, not the Isolate its blocks were while it was taken
	 */
	KUNIT_EXPECT_EQ(test, range->alloc_mt, PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, pgm_pfn_to_page(inst, pgmt_pfn(inst, range) +
					      99)->alloc_mt,
			PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, pgm_pfn_to_page(inst, pgmt_pfn(inst, cma) +
					      63)->alloc_mt,
			PGM_MIGRATE_UNMOVABLE);
	a = pgm_alloc_adopt_range(inst, range, 100, PGM_SRC_CONTIG);
	b = pgm_alloc_adopt_range(inst, cma, 64, PGM_SRC_CMA);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	pgm_iface_lock(inst);
	KUNIT_ASSERT_EQ(test, pgm_handle_add(inst, a, NULL), 0);
	KUNIT_ASSERT_EQ(test, pgm_handle_add(inst, b, NULL), 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	KUNIT_EXPECT_EQ(test, pgm_handles_free(inst, NULL, NULL), 2UL);
	pgm_iface_unlock(inst);
	pgm_drain_all_pages(inst, c->zone);
	KUNIT_EXPECT_EQ(test, pgm_cma_used(inst), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(c->zone), (long)CONTIG_PAGES);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 10), 2UL);
	KUNIT_EXPECT_EQ(test, pgm_meta_nr_live(), live);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* One control line on @inst that must succeed */
static void contig_ctl(struct kunit *test, struct pgm_instance *inst,
		       const char *line)
{
	char *status = kunit_kzalloc(test, PGM_STATUS_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, status);
	KUNIT_ASSERT_EQ_MSG(test, pgm_control_run(inst, line, strlen(line),
						  status), 0, "%s", status);
}

/*
 * A range another caller holds isolated (here the isolate command, on a
 * CMA block) fails alloc_contig_range() with EBUSY at its first block and
 * stays isolated: the failed try undoes only what it isolated, so the
 * block does not come back Movable, and unisolate gives it back as CMA.
 * (Upstream's failed alloc_contig_range() undoes the whole range, the
 * other caller's block included; see the admin guide.)
 */
static void contig_failed_leaves_isolation(struct kunit *test)
{
	struct contig_ctx *c = contig_setup(test, 2 * PGMT_PB);
	struct pgm_instance *inst = c->inst;
	struct pgm_contig_info info = {};

	KUNIT_ASSERT_EQ(test, inst->cma.base_pfn, 2 * PGMT_PB);
	contig_ctl(test, inst, "isolate pfn=1024-1536\n");
	KUNIT_EXPECT_EQ(test, pgm_alloc_contig_range(inst, 2 * PGMT_PB,
						     3 * PGMT_PB,
						     PGM_MIGRATE_MOVABLE,
						     GFP_KERNEL, &info),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, info.busy_pfn, 2 * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst, 2 * PGMT_PB),
			PGM_MIGRATE_ISOLATE);
	KUNIT_EXPECT_EQ(test, c->zone->nr_isolate_pageblock, 1UL);
	contig_ctl(test, inst, "unisolate pfn=1024-1536\n");
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst, 2 * PGMT_PB),
			PGM_MIGRATE_CMA);
	KUNIT_EXPECT_EQ(test, c->zone->nr_isolate_pageblock, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * start_isolate_page_range() and undo_isolate_page_range() over the CMA
 * area's first block, as cma_alloc()'s alloc_contig_range() does them:
 * isolating it splits the area's order-10 block into two order-9 ones
 * (move_freepages_block_isolate()); the undo's unset_migratetype_isolate()
 * takes the isolated one off its list and puts it back, so it merges
 * with its CMA buddy into order 10 again.
 */
static void contig_undo_merges(struct kunit *test)
{
	struct contig_ctx *c = contig_setup(test, 2 * PGMT_PB);
	struct pgm_instance *inst = c->inst;
	unsigned long bad = 0;

	KUNIT_ASSERT_EQ(test, inst->cma.base_pfn, 2 * PGMT_PB);
	KUNIT_ASSERT_EQ(test, nr_free_at(c->zone, 10), 2UL);
	KUNIT_ASSERT_EQ(test, pgm_start_isolate_page_range(inst, 2 * PGMT_PB,
							   3 * PGMT_PB,
							   PGM_MIGRATE_CMA,
							   &bad), 0);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 10), 1UL);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 9), 2UL);
	pgm_undo_isolate_page_range(inst, 2 * PGMT_PB, 3 * PGMT_PB,
				    PGM_MIGRATE_CMA);
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst, 2 * PGMT_PB),
			PGM_MIGRATE_CMA);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 10), 2UL);
	KUNIT_EXPECT_EQ(test, nr_free_at(c->zone, 9), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A destroy waits for every write to return: an alloc_contig walk whose
 * instance is dying stops after the candidate it was trying. With the
 * first two pageblocks isolated every one-page candidate below pfn 1024
 * fails, and the walk ends after the first.
 */
static void contig_walk_ends_when_dying(struct kunit *test)
{
	struct contig_ctx *c = contig_setup(test, 2 * PGMT_PB);
	struct pgm_instance *inst = c->inst;
	struct pgm_contig_limits lim = { .high = 2 * PGMT_PB };
	struct pgm_contig_info info = {};

	contig_ctl(test, inst, "isolate pfn=0-1024\n");
	WRITE_ONCE(inst->dying, true);
	KUNIT_EXPECT_NULL(test, pgm_alloc_contig_pages(inst, 1, GFP_KERNEL, 0,
						       NULL, &lim, &info));
	WRITE_ONCE(inst->dying, false);
	KUNIT_EXPECT_EQ(test, info.tried, 1UL);
	info.tried = 0;
	KUNIT_EXPECT_NULL(test, pgm_alloc_contig_pages(inst, 1, GFP_KERNEL, 0,
						       NULL, &lim, &info));
	KUNIT_EXPECT_EQ(test, info.tried, 2 * PGMT_PB);
	contig_ctl(test, inst, "unisolate pfn=0-1024\n");
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * isolate and unisolate take one migratetype for the whole range, as
 * every caller of start_isolate_page_range() passes one: a range from
 * below the CMA area into it is refused with nothing isolated, where its
 * CMA blocks would otherwise come back movable.
 */
static void contig_isolate_across_cma(struct kunit *test)
{
	struct contig_ctx *c = contig_setup(test, 2 * PGMT_PB);
	struct pgm_instance *inst = c->inst;
	char *status = kunit_kzalloc(test, PGM_STATUS_LEN, GFP_KERNEL);
	static const char cmd[] = "isolate pfn=512-1536\n";
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, status);
	KUNIT_ASSERT_EQ(test, inst->cma.base_pfn, 2 * PGMT_PB);
	KUNIT_EXPECT_EQ(test, pgm_control_run(inst, cmd, sizeof(cmd) - 1,
					      status), -EINVAL);
	KUNIT_EXPECT_STREQ(test, status,
			   "error: EINVAL: pfn 512-1536 crosses the start of the CMA area at pfn 1024: one side at a time");
	for (pfn = PGMT_PB; pfn < 3 * PGMT_PB; pfn += PGMT_PB)
		KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst, pfn),
				pfn < 2 * PGMT_PB ? PGM_MIGRATE_MOVABLE :
						    PGM_MIGRATE_CMA);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* An alloc_contig window no range fits is EINVAL, not a failed search */
static void contig_window_too_small(struct kunit *test)
{
	struct contig_ctx *c = contig_setup(test, 0);
	char *status = kunit_kzalloc(test, PGM_STATUS_LEN, GFP_KERNEL);
	static const char cmd[] = "alloc_contig pages=16 low=2040\n";

	KUNIT_ASSERT_NOT_NULL(test, status);
	KUNIT_ASSERT_EQ(test, c->inst->nr_pages, 2048UL);
	KUNIT_EXPECT_EQ(test, pgm_control_run(c->inst, cmd, sizeof(cmd) - 1,
					      status), -EINVAL);
	KUNIT_EXPECT_STREQ(test, status,
			   "error: EINVAL: 16 pages from pfn 2040 do not fit below pfn 2048");
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(c->zone), 2048L);
}

static struct kunit_case contig_cases[] = {
	KUNIT_CASE(contig_range_unaligned),
	KUNIT_CASE(contig_range_refused),
	KUNIT_CASE(contig_range_migrates),
	KUNIT_CASE(contig_range_nofs),
	KUNIT_CASE(contig_range_migrate_order),
	KUNIT_CASE(contig_pages_walk),
	KUNIT_CASE(contig_pages_walk_relaxes),
	KUNIT_CASE(contig_pages_freebsd_limits),
	KUNIT_CASE(contig_cma),
	KUNIT_CASE(contig_isolate_across_cma),
	KUNIT_CASE(contig_failed_leaves_isolation),
	KUNIT_CASE(contig_walk_ends_when_dying),
	KUNIT_CASE(contig_window_too_small),
	KUNIT_CASE(contig_cma_align_offset),
	KUNIT_CASE(contig_undo_merges),
	KUNIT_CASE(contig_cma_many_tries),
	KUNIT_CASE(contig_straddling_folio),
	KUNIT_CASE(contig_handles_released),
	{}
};

static struct kunit_suite contig_suite = {
	.name = "pgmirror_contig",
	.test_cases = contig_cases,
};

kunit_test_suite(contig_suite);
