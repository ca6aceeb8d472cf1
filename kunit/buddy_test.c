// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_buddy: expand(), __free_one_page() merging, the pageblock and
 * zone boundaries a merge may not cross, the to_tail heuristic,
 * __GFP_ZERO on backed memory, and the memmap and free lists an instance
 * starts with.
 */

#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include "test_util.h"

static struct pgm_instance *one_zone(struct kunit *test, unsigned long pages)
{
	struct pgm_topology topo;

	pgmt_topology(&topo, 1, 0, 0, pages, 0);
	return pgmt_create(test, &topo);
}

/* An order-0 page from an order-10 block leaves one free block per order */
static void buddy_expand(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 1024);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;
	unsigned int order;

	KUNIT_ASSERT_EQ(test, zone->free_area[PGM_MAX_PAGE_ORDER].nr_free, 1UL);
	page = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), 0UL);
	for (order = 0; order < PGM_MAX_PAGE_ORDER; order++) {
		struct pgm_page *half;

		KUNIT_EXPECT_EQ(test, zone->free_area[order].nr_free, 1UL);
		half = pgm_list_first(inst->memmap,
				      &zone->free_area[order]
				      .free_list[PGM_MIGRATE_MOVABLE]);
		/* The upper half of each split: pfn 2^order */
		KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, half), 1UL << order);
	}
	KUNIT_EXPECT_EQ(test, zone->free_area[PGM_MAX_PAGE_ORDER].nr_free, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 1023L);

	pgmt_give(zone, page, 0);
	KUNIT_EXPECT_EQ(test, zone->free_area[PGM_MAX_PAGE_ORDER].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 1024L);
}

/*
 * A free block's head holds PG_buddy and nothing else, the pages behind it
 * no flag: what set_buddy_order()'s plain store relies on. Each half
 * expand() split off, and the block a free merged back, is checked by
 * verify, which must see a stray flag on either, and an order no block
 * can have.
 */
static void buddy_free_block_flags(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 1024);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page, *half;
	unsigned int order;

	page = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, page);
	for (order = 0; order < PGM_MAX_PAGE_ORDER; order++) {
		half = &inst->memmap[1UL << order];
		KUNIT_EXPECT_EQ(test, half->flags, (u16)PGM_PG_BUDDY);
		KUNIT_EXPECT_EQ(test, half->private, order);
	}
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	/* pfn 517 lies inside the free order-9 block at 512 */
	inst->memmap[517].flags = PGM_PG_LRU;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 1UL);
	inst->memmap[517].flags = 0;
	inst->memmap[512].flags |= PGM_PG_HEAD;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 1UL);
	inst->memmap[512].flags = PGM_PG_BUDDY;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	/*
	 * An order past the largest on the order-0 block at pfn 1: wrong for
	 * its list and for the walk, which steps over it by one page rather
	 * than shift by it
	 */
	inst->memmap[1].private = 64;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 2UL);
	inst->memmap[1].private = 0;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	pgmt_give(zone, page, 0);
	KUNIT_EXPECT_EQ(test, inst->memmap[0].flags, (u16)PGM_PG_BUDDY);
	KUNIT_EXPECT_EQ(test, inst->memmap[0].private, (u32)PGM_MAX_PAGE_ORDER);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * verify walks a corrupt free list without following it off the memmap
 * or round a cycle: after an order-0 take, pfn 1 is alone on the order-0
 * movable list. Linked to pfn 5000 of a 1024-page instance: that link
 * alone is wrong. Linked to itself: the walk stops at the 1025th link,
 * having listed pfn 1 1024 times, so nr_free (1), the free page count
 * (1023 in all) and the free blocks the pfn walk finds (1023 pages
 * against 2046 listed) disagree with it too, and pfn 1 does not link
 * back to itself (reported once a list). A back link or a list's last
 * that disagrees with the forward walk is one problem each.
 */
static void buddy_verify_corrupt_list(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 1024);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page;

	page = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, zone->free_area[0]
			.free_list[PGM_MIGRATE_MOVABLE].first, 1U);
	KUNIT_ASSERT_EQ(test, inst->memmap[1].buddy_list.next, PGM_LIST_NIL);

	inst->memmap[1].buddy_list.next = 5000;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 1UL);
	inst->memmap[1].buddy_list.next = 1;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 5UL);
	inst->memmap[1].buddy_list.next = PGM_LIST_NIL;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	inst->memmap[1].buddy_list.prev = 5;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 1UL);
	inst->memmap[1].buddy_list.prev = PGM_LIST_NIL;
	zone->free_area[0].free_list[PGM_MIGRATE_MOVABLE].last = 7;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 1UL);
	zone->free_area[0].free_list[PGM_MIGRATE_MOVABLE].last = 1;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	pgmt_give(zone, page, 0);
}

/*
 * Corruptions every count agrees with: a page marked free but on no list
 * (its pages taken off the counters as an allocation does), and a block
 * headed inside an allocated one. Each is one problem.
 */
static void buddy_verify_unlisted_and_inside(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 1024);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *page, *buddy, *block;
	u32 private;
	u16 flags;

	/* Its buddy taken too, so that only the missing list entry is wrong */
	page = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	buddy = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_NOT_NULL(test, buddy);
	KUNIT_ASSERT_EQ(test, pgmt_pfn(inst, buddy), 1UL);
	flags = page->flags;
	private = page->private;
	page->flags = PGM_PG_BUDDY;
	page->private = 0;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 1UL);
	page->flags = flags;
	page->private = private;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	pgmt_give(zone, buddy, 0);
	pgmt_give(zone, page, 0);

	block = pgm_alloc_pages(inst, GFP_KERNEL, 3, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, block);
	block[2].flags |= PGM_PG_HEAD;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 1UL);
	block[2].flags &= ~PGM_PG_HEAD;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	pgm_free_pages(inst, block, 3);
}

/*
 * Free buddies of one order within a pageblock always merge: pfn 0 put
 * back on the order-0 list beside its free buddy at pfn 1, every count
 * agreeing, is one problem. Freed through the buddy it merges, and none.
 */
static void buddy_verify_unmerged(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 1024);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_list *list = &zone->free_area[0].free_list[PGM_MIGRATE_MOVABLE];
	struct pgm_page *page;
	u32 private;
	u16 flags;

	page = pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, pgmt_pfn(inst, page), 0UL);
	KUNIT_ASSERT_EQ(test, inst->memmap[1].flags, (u16)PGM_PG_BUDDY);
	flags = page->flags;
	private = page->private;
	page->flags = PGM_PG_BUDDY;
	page->private = 0;
	pgm_list_add(inst->memmap, page, list);
	zone->free_area[0].nr_free++;
	pgm_mod_zone_page_state(zone, PGM_NR_FREE_PAGES, 1);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 1UL);

	pgm_list_del(inst->memmap, page, list);
	zone->free_area[0].nr_free--;
	pgm_mod_zone_page_state(zone, PGM_NR_FREE_PAGES, -1);
	page->flags = flags;
	page->private = private;
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	pgmt_give(zone, page, 0);
	KUNIT_EXPECT_EQ(test, zone->free_area[PGM_MAX_PAGE_ORDER].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Allocate everything, in orders 0..3, through the allocator with its pcp
 * lists, free it all, drain: the zone is four order-10 blocks again.
 */
static void buddy_merge_to_max_order(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 4096);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	const gfp_t gfp = GFP_KERNEL | __GFP_MEMALLOC;
	struct pgm_page **pages;
	unsigned int *orders, order;
	unsigned long n = 0, i;

	pages = kunit_kcalloc(test, 4096, sizeof(*pages), GFP_KERNEL);
	orders = kunit_kcalloc(test, 4096, sizeof(*orders), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_NOT_NULL(test, orders);

	for (order = 3;; order = (order + 1) % 4) {
		struct pgm_page *page = pgm_alloc_pages(inst, gfp, order, 0,
							NULL);

		if (!page) {
			/* Take the last pages one at a time */
			page = pgm_alloc_pages(inst, gfp, 0, 0, NULL);
			if (!page)
				break;
			order = 0;
		}
		pages[n] = page;
		orders[n++] = order;
	}
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 0L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	for (i = 0; i < n; i++)
		pgm_free_pages(inst, pages[i], orders[i]);
	pgm_drain_all_pages(inst, NULL);

	for (order = 0; order < PGM_MAX_PAGE_ORDER; order++)
		KUNIT_EXPECT_EQ(test, zone->free_area[order].nr_free, 0UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[PGM_MAX_PAGE_ORDER].nr_free, 4UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 4096L);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * At pageblock order a highatomic block never merges with a movable one;
 * two pcp types do, and the buddy's block takes the freed block's type.
 */
static void buddy_pageblock_boundary(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 2 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_page *b0, *b1;

	b0 = pgmt_take(zone, 9, PGM_MIGRATE_MOVABLE);
	b1 = pgmt_take(zone, 9, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_EQ(test, pgmt_pfn(inst, b0), 0UL);
	KUNIT_ASSERT_EQ(test, pgmt_pfn(inst, b1), PGMT_PB);

	pgm_set_pageblock_migratetype(inst, 0, PGM_MIGRATE_HIGHATOMIC);
	pgmt_give(zone, b0, 9);
	pgmt_give(zone, b1, 9);
	KUNIT_EXPECT_EQ(test, zone->free_area[9].nr_free, 2UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[10].nr_free, 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	b0 = pgmt_take(zone, 9, PGM_MIGRATE_HIGHATOMIC);
	b1 = pgmt_take(zone, 9, PGM_MIGRATE_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, b0);
	KUNIT_ASSERT_NOT_NULL(test, b1);
	pgm_set_pageblock_migratetype(inst, 0, PGM_MIGRATE_RECLAIMABLE);
	pgmt_give(zone, b0, 9);
	pgmt_give(zone, b1, 9);
	KUNIT_EXPECT_EQ(test, zone->free_area[9].nr_free, 0UL);
	KUNIT_EXPECT_EQ(test, zone->free_area[10].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst, 0),
			PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* Two adjacent zones: their order-9 blocks are buddies but never merge */
static void buddy_zone_boundary(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *dma32, *normal;

	pgmt_topology(&topo, 1, 0, PGMT_PB, PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	dma32 = pgmt_zone(inst, 0, PGM_ZONE_DMA32);
	normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);

	KUNIT_EXPECT_EQ(test, dma32->free_area[9].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, normal->free_area[9].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, dma32->free_area[10].nr_free, 0UL);
	KUNIT_EXPECT_EQ(test, normal->free_area[10].nr_free, 0UL);
}

static unsigned long first_pfn(struct pgm_instance *inst, struct pgm_list *l)
{
	return pgmt_pfn(inst, pgm_list_first(inst->memmap, l));
}

static unsigned long last_pfn(struct pgm_instance *inst, struct pgm_list *l)
{
	return pgmt_pfn(inst, pgm_list_last(inst->memmap, l));
}

/*
 * A freed block whose next-higher buddy is free goes to the tail, where it
 * is reused last and so is likely to merge first.
 */
static void buddy_to_tail(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_list *list =
		&zone->free_area[0].free_list[PGM_MIGRATE_MOVABLE];
	struct pgm_page **pages;

	pages = kunit_kcalloc(test, PGMT_PB, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_take_all(zone, pages, PGMT_PB);

	/* pfns 0 and 1 merge into a free order-1 block */
	pgmt_give(zone, pages[0], 0);
	pgmt_give(zone, pages[1], 0);
	KUNIT_EXPECT_EQ(test, zone->free_area[1].nr_free, 1UL);

	/* pfn 100: its order-1 buddy (102) is allocated: head */
	pgmt_give(zone, pages[100], 0);
	/* pfn 2: its order-1 buddy (0) is free: tail */
	pgmt_give(zone, pages[2], 0);
	KUNIT_EXPECT_EQ(test, first_pfn(inst, list), 100UL);
	KUNIT_EXPECT_EQ(test, last_pfn(inst, list), 2UL);
	pgmt_give(zone, pages[200], 0);
	KUNIT_EXPECT_EQ(test, first_pfn(inst, list), 200UL);
	KUNIT_EXPECT_EQ(test, last_pfn(inst, list), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * __isolate_free_page(), as compaction's free scanner takes a block: one
 * of at least half a pageblock makes its pageblock movable and moves the
 * block's other free pages to the movable lists (move_freepages_block());
 * a smaller one leaves the pageblock alone. Pageblock 0 is unmovable with
 * pfn 5 and an order-8 block at 256 free; pageblock 1 is unmovable with
 * pfn 517 and an order-7 block at 640 free.
 */
static void buddy_isolate_free_retypes(struct kunit *test)
{
	struct pgm_instance *inst = one_zone(test, 2 * PGMT_PB);
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_free_area *area = zone->free_area;
	static const struct { unsigned long block, one, big, order; } b[] = {
		{ 0, 5, 256, 8 },
		{ PGMT_PB, PGMT_PB + 5, PGMT_PB + 128, 7 },
	};
	struct pgm_page **pages;
	unsigned long flags, i;
	int k;

	pages = kunit_kcalloc(test, 2 * PGMT_PB, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_take_all(zone, pages, 2 * PGMT_PB);
	for (k = 0; k < ARRAY_SIZE(b); k++) {
		pgm_set_pageblock_migratetype(inst, b[k].block,
					      PGM_MIGRATE_UNMOVABLE);
		pgmt_give(zone, pages[b[k].one], 0);
		for (i = 1; i < 1UL << b[k].order; i++) {
			pages[b[k].big + i]->flags &= ~PGM_PG_HEAD;
			pages[b[k].big + i]->private = 0;
		}
		pgmt_give(zone, pages[b[k].big], b[k].order);
	}
	KUNIT_ASSERT_EQ(test, area[8].nr_free, 1UL);
	KUNIT_ASSERT_EQ(test, area[7].nr_free, 1UL);
	KUNIT_ASSERT_EQ(test, area[0].nr_free, 2UL);

	for (k = 0; k < ARRAY_SIZE(b); k++) {
		spin_lock_irqsave(&zone->lock, flags);
		pgm_isolate_free_block_locked(zone, pages[b[k].big],
					      b[k].order);
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	KUNIT_EXPECT_EQ(test, area[8].nr_free, 0UL);
	KUNIT_EXPECT_EQ(test, area[7].nr_free, 0UL);
	/* Half a pageblock: the block and pfn 5 are movable now */
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst, 0),
			PGM_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test,
			first_pfn(inst,
				  &area[0].free_list[PGM_MIGRATE_MOVABLE]),
			5UL);
	/* Less: the block and pfn 517 stay unmovable */
	KUNIT_EXPECT_EQ(test, pgm_get_pfnblock_migratetype(inst, PGMT_PB),
			PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test,
			first_pfn(inst,
				  &area[0].free_list[PGM_MIGRATE_UNMOVABLE]),
			PGMT_PB + 5);

	for (k = 0; k < ARRAY_SIZE(b); k++)
		pgmt_give(zone, pages[b[k].big], b[k].order);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* __GFP_ZERO really zeroes memory that has a backing */
static void buddy_gfp_zero(struct kunit *test)
{
	struct pgm_backing *b;
	struct pgm_instance *inst;
	struct pgm_page *page;
	unsigned long i;
	u8 *addr;

	inst = pgmt_create_backed(test, SZ_4M);
	b = inst->backing;

	/* Dirty every page, so that only zeroing can make one clean */
	for (i = 0; i < inst->nr_pages; i++)
		memset(pgm_backing_page_address(b, i), 0xaa, PAGE_SIZE);

	page = pgm_alloc_pages(inst, GFP_KERNEL, 2, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	addr = pgm_page_address(inst, page);
	KUNIT_ASSERT_NOT_NULL(test, addr);
	KUNIT_EXPECT_EQ(test, addr[PAGE_SIZE - 1], 0xaa);

	page = pgm_alloc_pages(inst, GFP_KERNEL | __GFP_ZERO, 2, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	for (i = 0; i < 4; i++) {
		addr = pgm_page_address(inst, page + i);
		KUNIT_EXPECT_TRUE(test, !memchr_inv(addr, 0, PAGE_SIZE));
	}
	pgm_free_pages(inst, page, 2);
}

/* The pfns of @list from first to last, and from last to first */
static void expect_list(struct kunit *test, struct pgm_page *memmap,
			struct pgm_list *list, const u32 *want, unsigned int n)
{
	struct pgm_page *page;
	unsigned int i = 0;

	for (page = pgm_list_first(memmap, list); page;
	     page = pgm_list_next(memmap, page)) {
		KUNIT_ASSERT_LT(test, i, n);
		KUNIT_EXPECT_EQ(test, (u32)(page - memmap), want[i]);
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, n);
	for (page = pgm_list_last(memmap, list); page;
	     page = pgm_list_page(memmap, page->buddy_list.prev)) {
		KUNIT_ASSERT_GT(test, i, 0U);
		KUNIT_EXPECT_EQ(test, (u32)(page - memmap), want[--i]);
	}
	KUNIT_EXPECT_EQ(test, i, 0U);
}

/*
 * The 32-bit page lists behave as list.h's: add at the head, add at the
 * tail, unlink the first, a middle and the last page, move between lists.
 */
static void buddy_page_lists(struct kunit *test)
{
	struct pgm_page memmap[8] = {};
	struct pgm_list a, b;
	const u32 a1[] = { 5, 1, 2, 3 }, a2[] = { 1, 3 }, b1[] = { 7, 2 };

	pgm_list_init(&a);
	pgm_list_init(&b);
	KUNIT_EXPECT_TRUE(test, pgm_list_empty(&a));
	KUNIT_EXPECT_NULL(test, pgm_list_first(memmap, &a));
	KUNIT_EXPECT_NULL(test, pgm_list_last(memmap, &a));

	pgm_list_add_tail(memmap, &memmap[1], &a);
	pgm_list_add_tail(memmap, &memmap[2], &a);
	pgm_list_add_tail(memmap, &memmap[3], &a);
	pgm_list_add(memmap, &memmap[5], &a);
	expect_list(test, memmap, &a, a1, ARRAY_SIZE(a1));
	KUNIT_EXPECT_EQ(test, pgm_list_count(memmap, &a), 4UL);

	pgm_list_del(memmap, &memmap[5], &a);
	pgm_list_move_tail(memmap, &memmap[2], &a, &b);
	pgm_list_add(memmap, &memmap[7], &b);
	expect_list(test, memmap, &a, a2, ARRAY_SIZE(a2));
	expect_list(test, memmap, &b, b1, ARRAY_SIZE(b1));
	KUNIT_EXPECT_EQ(test, memmap[5].buddy_list.next, PGM_LIST_NIL);

	pgm_list_del(memmap, &memmap[3], &a);
	pgm_list_del(memmap, &memmap[1], &a);
	KUNIT_EXPECT_TRUE(test, pgm_list_empty(&a));
	KUNIT_EXPECT_EQ(test, a.last, PGM_LIST_NIL);
	KUNIT_EXPECT_EQ(test, sizeof(struct pgm_page), 16UL);
}

/*
 * memmap_init() and memblock_free_all() over zones of several sections
 * each, which an SMP kernel initialises on several CPUs: every page
 * carries its zone and nothing else but the free block heads, and each
 * zone went to the buddy in blocks as large as their alignment and the
 * zone's end allow, in pfn order, none merged across the boundary.
 * DMA32, 0 to 98816: 96 max-order blocks, then 512 pages; NORMAL, from
 * 98816: 512 pages up to the next max-order boundary, then 65 blocks.
 * The two halves of 98304's block are in different zones.
 */
static void buddy_memmap_init(struct kunit *test)
{
	const unsigned long dma32 = 3 * 32768 + 512, normal = 2 * 32768 + 1536;
	static const unsigned long nr_free[][PGM_NR_PAGE_ORDERS] = {
		[PGM_ZONE_DMA32] = { [9] = 1, [10] = 96 },
		[PGM_ZONE_NORMAL] = { [9] = 1, [10] = 65 },
	};
	static const enum pgm_zone_type zones[] = {
		PGM_ZONE_DMA32, PGM_ZONE_NORMAL,
	};
	unsigned long pfn, *heads, nr_heads = 0;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	unsigned int i, o, mt;

	pgmt_topology(&topo, 1, 0, dma32, normal, 0);
	inst = pgmt_create(test, &topo);
	heads = kunit_kcalloc(test, BITS_TO_LONGS(dma32 + normal),
			      sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, heads);

	for (i = 0; i < ARRAY_SIZE(zones); i++) {
		struct pgm_zone *zone = pgmt_zone(inst, 0, zones[i]);
		unsigned long next = i ? 99328 : 0;
		struct pgm_list *list;
		struct pgm_page *page;

		KUNIT_EXPECT_EQ(test, zone->zone_start_pfn, i ? dma32 : 0UL);
		list = &zone->free_area[PGM_MAX_PAGE_ORDER]
			.free_list[PGM_MIGRATE_MOVABLE];
		for (page = pgm_list_first(inst->memmap, list); page;
		     page = pgm_list_next(inst->memmap, page)) {
			KUNIT_EXPECT_EQ(test, pgmt_pfn(inst, page), next);
			next += 1024;
		}
		for (o = 0; o < PGM_NR_PAGE_ORDERS; o++) {
			KUNIT_EXPECT_EQ_MSG(test, zone->free_area[o].nr_free,
					    nr_free[zones[i]][o], "order %u", o);
			for (mt = 0; mt < PGM_MIGRATE_TYPES; mt++) {
				list = &zone->free_area[o].free_list[mt];
				for (page = pgm_list_first(inst->memmap, list);
				     page;
				     page = pgm_list_next(inst->memmap, page)) {
					__set_bit(pgmt_pfn(inst, page), heads);
					nr_heads++;
				}
			}
		}
	}
	KUNIT_EXPECT_EQ(test, nr_heads, 163UL);

	for (pfn = 0; pfn < dma32 + normal; pfn++) {
		struct pgm_page *page = pgm_pfn_to_page(inst, pfn);

		KUNIT_ASSERT_EQ_MSG(test, pgm_page_zonenum(page),
				    pfn < dma32 ? PGM_ZONE_DMA32 :
						  PGM_ZONE_NORMAL,
				    "pfn %lu", pfn);
		KUNIT_ASSERT_EQ_MSG(test, pgm_page_to_nid(page), 0,
				    "pfn %lu", pfn);
		if (test_bit(pfn, heads)) {
			KUNIT_ASSERT_EQ_MSG(test, page->flags,
					    (u16)PGM_PG_BUDDY, "pfn %lu", pfn);
			continue;
		}
		KUNIT_ASSERT_EQ_MSG(test, page->flags, 0, "pfn %lu", pfn);
		KUNIT_ASSERT_EQ_MSG(test, page->private, 0U, "pfn %lu", pfn);
		KUNIT_ASSERT_EQ_MSG(test, page->alloc_mt, 0, "pfn %lu", pfn);
		KUNIT_ASSERT_EQ_MSG(test, page->buddy_list.next, 0U,
				    "pfn %lu", pfn);
		KUNIT_ASSERT_EQ_MSG(test, page->buddy_list.prev, 0U,
				    "pfn %lu", pfn);
	}
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case pgmirror_buddy_cases[] = {
	KUNIT_CASE(buddy_page_lists),
	KUNIT_CASE(buddy_expand),
	KUNIT_CASE(buddy_free_block_flags),
	KUNIT_CASE(buddy_verify_corrupt_list),
	KUNIT_CASE(buddy_verify_unlisted_and_inside),
	KUNIT_CASE(buddy_verify_unmerged),
	KUNIT_CASE(buddy_merge_to_max_order),
	KUNIT_CASE(buddy_pageblock_boundary),
	KUNIT_CASE(buddy_zone_boundary),
	KUNIT_CASE(buddy_to_tail),
	KUNIT_CASE(buddy_isolate_free_retypes),
	KUNIT_CASE(buddy_gfp_zero),
	KUNIT_CASE(buddy_memmap_init),
	{}
};

static struct kunit_suite pgmirror_buddy_suite = {
	.name = "pgmirror_buddy",
	.test_cases = pgmirror_buddy_cases,
};

kunit_test_suite(pgmirror_buddy_suite);
