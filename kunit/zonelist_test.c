// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_zonelist: gfp to zone and migratetype with x86_64's
 * GFP_ZONE_TABLE, build_zonelists() node order by distance with the
 * node_load round-robin, __GFP_THISNODE, and the zonelist walk.
 */

#include <kunit/test.h>
#include "test_util.h"
#include "lru.h"

struct gfp_case {
	const char *name;
	gfp_t gfp;
	int zone;
	int mt;
};

static const struct gfp_case gfp_cases[] = {
	{ "GFP_KERNEL", GFP_KERNEL, PGM_ZONE_NORMAL, PGM_MIGRATE_UNMOVABLE },
	{ "GFP_ATOMIC", GFP_ATOMIC, PGM_ZONE_NORMAL, PGM_MIGRATE_UNMOVABLE },
	{ "GFP_DMA", GFP_KERNEL | GFP_DMA, PGM_ZONE_DMA,
	  PGM_MIGRATE_UNMOVABLE },
	{ "GFP_DMA32", GFP_KERNEL | GFP_DMA32, PGM_ZONE_DMA32,
	  PGM_MIGRATE_UNMOVABLE },
	/* No highmem on x86_64: __GFP_HIGHMEM alone is NORMAL */
	{ "GFP_HIGHUSER", GFP_HIGHUSER, PGM_ZONE_NORMAL,
	  PGM_MIGRATE_UNMOVABLE },
	{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE, PGM_ZONE_MOVABLE,
	  PGM_MIGRATE_MOVABLE },
	/* __GFP_MOVABLE without __GFP_HIGHMEM stays in NORMAL */
	{ "GFP_KERNEL|__GFP_MOVABLE", GFP_KERNEL | __GFP_MOVABLE,
	  PGM_ZONE_NORMAL, PGM_MIGRATE_MOVABLE },
	{ "__GFP_MOVABLE|__GFP_DMA32", GFP_KERNEL | __GFP_MOVABLE | __GFP_DMA32,
	  PGM_ZONE_DMA32, PGM_MIGRATE_MOVABLE },
	{ "__GFP_MOVABLE|__GFP_DMA", GFP_KERNEL | __GFP_MOVABLE | __GFP_DMA,
	  PGM_ZONE_DMA, PGM_MIGRATE_MOVABLE },
	{ "GFP_KERNEL|__GFP_RECLAIMABLE", GFP_KERNEL | __GFP_RECLAIMABLE,
	  PGM_ZONE_NORMAL, PGM_MIGRATE_RECLAIMABLE },
	/* Combinations upstream's table marks bad */
	{ "__GFP_DMA|__GFP_DMA32", __GFP_DMA | __GFP_DMA32, -1,
	  PGM_MIGRATE_UNMOVABLE },
	{ "__GFP_DMA|__GFP_HIGHMEM", __GFP_DMA | __GFP_HIGHMEM, -1,
	  PGM_MIGRATE_UNMOVABLE },
	{ "__GFP_DMA32|__GFP_HIGHMEM", __GFP_DMA32 | __GFP_HIGHMEM, -1,
	  PGM_MIGRATE_UNMOVABLE },
	{ "__GFP_MOVABLE|__GFP_RECLAIMABLE", __GFP_MOVABLE | __GFP_RECLAIMABLE,
	  PGM_ZONE_NORMAL, -1 },
};

static void gfp_case_desc(const struct gfp_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(gfp, gfp_cases, gfp_case_desc);

static void zonelist_gfp_zone(struct kunit *test)
{
	const struct gfp_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pgm_gfp_zone(c->gfp), c->zone);
	KUNIT_EXPECT_EQ(test, pgm_gfp_migratetype(c->gfp), c->mt);
}

/*
 * The running kernel's gfp_zone() in the mirror's terms, where it has
 * x86_64's zones (the x86_64 KUnit kernel); -2 where it has fewer (UML),
 * whose table folds DMA and DMA32 into NORMAL.
 */
static int host_gfp_zone(gfp_t gfp)
{
	if (!IS_ENABLED(CONFIG_ZONE_DMA) || !IS_ENABLED(CONFIG_ZONE_DMA32) ||
	    IS_ENABLED(CONFIG_HIGHMEM))
		return -2;
	switch (gfp_zone(gfp)) {
#ifdef CONFIG_ZONE_DMA
	case ZONE_DMA:
		return PGM_ZONE_DMA;
#endif
#ifdef CONFIG_ZONE_DMA32
	case ZONE_DMA32:
		return PGM_ZONE_DMA32;
#endif
	case ZONE_NORMAL:
		return PGM_ZONE_NORMAL;
	case ZONE_MOVABLE:
		return PGM_ZONE_MOVABLE;
	default:
		return -3;
	}
}

/*
 * Every mix of the four zone bits, against the running kernel's own
 * GFP_ZONE_BAD: refused exactly where upstream BUGs, and otherwise the
 * zone the running kernel's gfp_zone() gives where it has the same zones.
 * Elsewhere, the zone the same bits without __GFP_MOVABLE give, or
 * MOVABLE with __GFP_HIGHMEM.
 */
static void zonelist_gfp_zone_bits(struct kunit *test)
{
	unsigned int bits, compared = 0;

	for (bits = 0; bits <= (__force unsigned int)GFP_ZONEMASK; bits++) {
		gfp_t gfp = (__force gfp_t)bits;
		bool bad = (GFP_ZONE_BAD >> bits) & 1;
		int zone = pgm_gfp_zone(gfp);
		int host;

		KUNIT_EXPECT_EQ_MSG(test, zone < 0, bad, "zone bits %#x", bits);
		if (bad)
			continue;
		host = host_gfp_zone(gfp);
		if (host != -2) {
			KUNIT_EXPECT_EQ_MSG(test, zone, host, "zone bits %#x",
					    bits);
			compared++;
			continue;
		}
		if (!(gfp & __GFP_MOVABLE))
			continue;
		KUNIT_EXPECT_EQ_MSG(test, zone, (gfp & __GFP_HIGHMEM) ?
				    PGM_ZONE_MOVABLE :
				    pgm_gfp_zone(gfp & ~__GFP_MOVABLE),
				    "zone bits %#x", bits);
	}
	/* Sixteen mixes, of which GFP_ZONE_BAD marks eight */
	if (host_gfp_zone(0) != -2)
		KUNIT_EXPECT_EQ(test, compared, 8U);
}

/* Each valid class lands in its zone on a node with all four zones */
static void zonelist_alloc_lands_in_zone(struct kunit *test)
{
	const struct gfp_case *c = test->param_value;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_page *page;

	pgmt_topology(&topo, 1, 2 * PGMT_PB, 2 * PGMT_PB, 2 * PGMT_PB,
		      2 * PGMT_PB);
	inst = pgmt_create(test, &topo);
	page = pgm_alloc_pages(inst, c->gfp, 0, 0, NULL);
	if (c->zone < 0 || c->mt < 0) {
		KUNIT_EXPECT_NULL(test, page);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, (int)pgm_page_zonenum(page), c->zone);
	KUNIT_EXPECT_EQ(test, (int)page->alloc_mt, c->mt);
}

static void expect_zonelist(struct kunit *test, struct pgm_zonelist *zl,
			    const int *nids, int nr_nodes, int nr_zones,
			    const int *zones)
{
	struct pgm_zoneref *z = zl->_zonerefs;
	int n, i;

	for (n = 0; n < nr_nodes; n++) {
		for (i = 0; i < nr_zones; i++, z++) {
			KUNIT_ASSERT_NOT_NULL(test, z->zone);
			KUNIT_EXPECT_EQ(test, pgm_zone_to_nid(z->zone), nids[n]);
			KUNIT_EXPECT_EQ(test, z->zone_idx, zones[i]);
		}
	}
	KUNIT_EXPECT_NULL(test, z->zone);
}

static const int normal_dma32[] = { PGM_ZONE_NORMAL, PGM_ZONE_DMA32 };

/*
 * Four nodes on a ring: 10 local, 20 to neighbours, 30 across.
 * find_next_best_node() scores distance (+1 for lower node ids) * 1024 +
 * node_load; the first node of each new distance band gets +1 load, so
 * later nodes rotate among equals:
 *   node 0: 0 1 3 2   node 1: 1 2 0 3   node 2: 2 3 1 0   node 3: 3 0 2 1
 */
static void zonelist_ring_order(struct kunit *test)
{
	static const int ring[4][4] = {
		{ 10, 20, 30, 20 },
		{ 20, 10, 20, 30 },
		{ 30, 20, 10, 20 },
		{ 20, 30, 20, 10 },
	};
	static const int order[4][4] = {
		{ 0, 1, 3, 2 }, { 1, 2, 0, 3 }, { 2, 3, 1, 0 }, { 3, 0, 2, 1 },
	};
	struct pgm_topology topo;
	struct pgm_instance *inst;
	int n;

	pgmt_topology(&topo, 4, 0, PGMT_PB, PGMT_PB, 0);
	/* One CPU per node: the CPU penalty is the same everywhere */
	topo.nr_cpus = 4;
	memcpy(topo.distance, ring, sizeof(ring));
	inst = pgmt_create(test, &topo);
	for (n = 0; n < 4; n++)
		expect_zonelist(test, &inst->node_data[n]
				.node_zonelists[PGM_ZONELIST_FALLBACK],
				order[n], 4, 2, normal_dma32);
}

/* All remote nodes equally far: each node's list rotates the others */
static void zonelist_round_robin(struct kunit *test)
{
	static const int order[3][3] = { { 0, 1, 2 }, { 1, 2, 0 }, { 2, 0, 1 } };
	struct pgm_topology topo;
	struct pgm_instance *inst;
	int n;

	pgmt_topology(&topo, 3, 0, PGMT_PB, PGMT_PB, 0);
	topo.nr_cpus = 3;
	inst = pgmt_create(test, &topo);
	for (n = 0; n < 3; n++)
		expect_zonelist(test, &inst->node_data[n]
				.node_zonelists[PGM_ZONELIST_FALLBACK],
				order[n], 3, 2, normal_dma32);
}

/*
 * Only node 0 has a CPU: it scores PENALTY_FOR_NODE_WITH_CPUS more, so
 * node 2 now prefers node 1 (21 * 1024 + load 1) over node 0 (22 * 1024).
 */
static void zonelist_cpu_penalty(struct kunit *test)
{
	static const int order[3][3] = { { 0, 1, 2 }, { 1, 2, 0 }, { 2, 1, 0 } };
	struct pgm_topology topo;
	struct pgm_instance *inst;
	int n;

	pgmt_topology(&topo, 3, 0, PGMT_PB, PGMT_PB, 0);
	KUNIT_ASSERT_EQ(test, topo.nr_cpus, 1U);
	inst = pgmt_create(test, &topo);
	for (n = 0; n < 3; n++)
		expect_zonelist(test, &inst->node_data[n]
				.node_zonelists[PGM_ZONELIST_FALLBACK],
				order[n], 3, 2, normal_dma32);
}

/* The __GFP_THISNODE list holds the local node's zones only */
static void zonelist_thisnode(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	int n;

	pgmt_topology(&topo, 2, 0, PGMT_PB, PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	for (n = 0; n < 2; n++)
		expect_zonelist(test, &inst->node_data[n]
				.node_zonelists[PGM_ZONELIST_NOFALLBACK],
				&n, 1, 2, normal_dma32);
}

static void exhaust(struct pgm_zone *zone)
{
	while (pgmt_take(zone, 0, PGM_MIGRATE_MOVABLE))
		;
}

/*
 * With node 0's NORMAL and DMA32 empty, a GFP_KERNEL request preferring
 * node 0 is served by node 1 (a NUMA miss and foreign); __GFP_THISNODE
 * fails instead.
 */
static void zonelist_falls_to_next_node(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *n0, *n1;
	struct pgm_page *page;

	pgmt_topology(&topo, 2, 0, PGMT_PB, PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	n0 = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	n1 = pgmt_zone(inst, 1, PGM_ZONE_NORMAL);
	exhaust(n0);
	exhaust(pgmt_zone(inst, 0, PGM_ZONE_DMA32));

	KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL |
						__GFP_THISNODE, 0, 0, NULL));
	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_PTR_EQ(test, pgm_page_zone(inst, page), n1);
	KUNIT_EXPECT_EQ(test, pgm_zone_numa_event_state(n1, PGM_NUMA_MISS),
			1L);
	KUNIT_EXPECT_EQ(test,
			pgm_zone_numa_event_state(n0, PGM_NUMA_FOREIGN),
			1L);
	/* The pcp CPU sits on node 0: the page is "other" for node 1 */
	KUNIT_EXPECT_EQ(test,
			pgm_zone_numa_event_state(n1, PGM_NUMA_OTHER),
			1L);
}

/*
 * prepare_alloc_pages() for a task in a cpuset: with no nodemask the
 * cpuset is the nodemask, so an owner on node 1 whose request prefers node
 * 0 (its CPU's) has node 1's NORMAL as preferred zone: a NUMA hit there,
 * no miss and no foreign on node 0; "other", as the CPU is on node 0.
 */
static void zonelist_cpuset_preferred_zone(struct kunit *test)
{
	struct pgm_nodemask only1 = { };
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *n0, *n1;
	struct pgm_owner *owner;
	struct pgm_page *page;

	pgmt_topology(&topo, 2, 0, 0, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	n0 = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	n1 = pgmt_zone(inst, 1, PGM_ZONE_NORMAL);
	__set_bit(1, only1.bits);
	owner = pgm_owner_create(inst, "n1", &only1, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(owner));

	page = pgm_alloc_pages_owner(inst, GFP_KERNEL, 0, 0, NULL, owner);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_PTR_EQ(test, pgm_page_zone(inst, page), n1);
	KUNIT_EXPECT_EQ(test, pgm_zone_numa_event_state(n1, PGM_NUMA_HIT),
			1L);
	KUNIT_EXPECT_EQ(test, pgm_zone_numa_event_state(n1, PGM_NUMA_MISS),
			0L);
	KUNIT_EXPECT_EQ(test,
			pgm_zone_numa_event_state(n0, PGM_NUMA_FOREIGN),
			0L);
	KUNIT_EXPECT_EQ(test,
			pgm_zone_numa_event_state(n1, PGM_NUMA_OTHER),
			1L);
	pgm_free_pages(inst, page, 0);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, owner), 0);
}

/* A DMA32 request skips NORMAL zones: it goes to node 1's DMA32 */
static void zonelist_highest_zoneidx(struct kunit *test)
{
	struct pgm_nodemask only0 = { };
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_page *page;

	pgmt_topology(&topo, 2, 0, PGMT_PB, PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	exhaust(pgmt_zone(inst, 0, PGM_ZONE_DMA32));

	page = pgm_alloc_pages(inst, GFP_KERNEL | GFP_DMA32, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_PTR_EQ(test, pgm_page_zone(inst, page),
			    pgmt_zone(inst, 1, PGM_ZONE_DMA32));

	/* A nodemask without node 1 leaves nothing */
	__set_bit(0, only0.bits);
	KUNIT_EXPECT_NULL(test, pgm_alloc_pages(inst, GFP_KERNEL | GFP_DMA32,
						0, 0, &only0));
}

static struct kunit_case pgmirror_zonelist_cases[] = {
	KUNIT_CASE_PARAM(zonelist_gfp_zone, gfp_gen_params),
	KUNIT_CASE(zonelist_gfp_zone_bits),
	KUNIT_CASE_PARAM(zonelist_alloc_lands_in_zone, gfp_gen_params),
	KUNIT_CASE(zonelist_ring_order),
	KUNIT_CASE(zonelist_round_robin),
	KUNIT_CASE(zonelist_cpu_penalty),
	KUNIT_CASE(zonelist_thisnode),
	KUNIT_CASE(zonelist_falls_to_next_node),
	KUNIT_CASE(zonelist_cpuset_preferred_zone),
	KUNIT_CASE(zonelist_highest_zoneidx),
	{}
};

static struct kunit_suite pgmirror_zonelist_suite = {
	.name = "pgmirror_zonelist",
	.test_cases = pgmirror_zonelist_cases,
};

kunit_test_suite(pgmirror_zonelist_suite);
