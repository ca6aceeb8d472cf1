// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_node_reclaim: node_reclaim() and zone_allows_reclaim() inside
 * get_page_from_freelist(), and the per-node dirty limit that spreads
 * __GFP_WRITE allocations.
 *
 * Two nodes, each with a NORMAL zone of four pageblocks (2048 pages), at
 * distance 20; the one pcp CPU is on node 0, so node 1 has memory only.
 * File pages with handles fill node 0 until the fast path spills onto
 * node 1, i.e. until node 0 fails its low watermark.
 *
 * The numbers: node reclaim shrinks from NODE_RECLAIM_PRIORITY (4) with
 * nr_to_reclaim = max(1, SWAP_CLUSTER_MAX). Over 1900 inactive file pages
 * give (size >> 4) > 32 to scan, and the first batch of 32 reaches
 * nr_to_reclaim, so one call frees exactly 32 pages. The floors are
 * min_unmapped_ratio 1% and min_slab_ratio 5% of 2048: 20 and 102.
 */

#include <kunit/test.h>
#include "test_util.h"
#include "lru.h"
#include "explain.h"

#define NRC_CAP		(8 * PGMT_PB)

struct nrc {
	struct pgm_instance *inst;
	struct pgm_alloc **file;
	unsigned long nr_file;
};

/* @nr_cpus pcp CPUs: the first on node 0, a second on node 1 */
static struct nrc *nrc_setup_cpus(struct kunit *test, unsigned int nr_cpus)
{
	struct nrc *n = kunit_kzalloc(test, sizeof(*n), GFP_KERNEL);
	struct pgm_topology topo;

	KUNIT_ASSERT_NOT_NULL(test, n);
	n->file = kunit_kcalloc(test, NRC_CAP, sizeof(*n->file), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, n->file);
	pgmt_topology(&topo, 2, 0, 0, 4 * PGMT_PB, 0);
	topo.nr_cpus = nr_cpus;
	n->inst = pgmt_mem_setup_topo(test, &topo)->inst;
	KUNIT_ASSERT_EQ(test, n->inst->node_data[0].min_unmapped_pages, 20UL);
	KUNIT_ASSERT_EQ(test, n->inst->node_data[0].min_slab_pages, 102UL);
	return n;
}

static struct nrc *nrc_setup(struct kunit *test)
{
	return nrc_setup_cpus(test, 1);
}

/* A file page with a handle, preferring node 0; never reclaims itself */
static struct pgm_alloc *nrc_file(struct kunit *test, struct nrc *n,
				  gfp_t extra)
{
	gfp_t gfp = (pgm_kind_gfp(PGM_KIND_FILE) & ~__GFP_RECLAIM) | extra;
	struct pgm_alloc *a = pgmt_mem_alloc(n->inst, gfp, 0, PGM_KIND_FILE);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_LT(test, n->nr_file, NRC_CAP);
	n->file[n->nr_file++] = a;
	return a;
}

/* Fill node 0 with file pages until one lands on node 1 */
static void nrc_fill_node0(struct kunit *test, struct nrc *n)
{
	while (pgm_page_to_nid(nrc_file(test, n, 0)->page) == 0)
		;
}

/* Allocate and free one page, preferring @nid; the node it came from */
static int nrc_alloc_from(struct kunit *test, struct nrc *n, gfp_t gfp,
			  int nid_pref)
{
	struct pgm_page *page = pgm_alloc_pages(n->inst, gfp, 0, nid_pref,
						NULL);
	int nid;

	KUNIT_ASSERT_NOT_NULL(test, page);
	nid = pgm_page_to_nid(page);
	pgm_free_pages(n->inst, page, 0);
	return nid;
}

static void nrc_set(struct kunit *test, struct nrc *n, int *tunable, int val)
{
	KUNIT_ASSERT_EQ(test, pgm_set_node_reclaim_tunable(n->inst, tunable,
							   val), 0);
}

/*
 * zone_reclaim_mode 0 falls back to node 1. Mode 1 reclaims in the fast
 * path, without a stall, but the 32 pages freed go to the pcp list as
 * upstream's reclaimed folios do: 31 + 32 stays under the pcp high of 80
 * (high_min, the zone being below high), the buddy still has 65 free
 * against a low watermark of 80, and the request falls back all the
 * same. The second round's frees cross pcp high and drain: 32 pages
 * reach the buddy, the recheck sees 97 free and passes, and the request
 * is served on node 0 by a refill of one page from the buddy (96 left).
 */
static void node_reclaim_local_first(struct kunit *test)
{
	struct nrc *n = nrc_setup(test);
	struct pgm_instance *inst = n->inst;
	struct pgm_zone *zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	static const char * const reclaimed[] = {
		"zone Normal: low 80: free 65 - unusable 0 <= 80 + lowmem_reserve 0: watermark fails",
		"  node_reclaim: reclaimed, the mark again",
		"zone Normal: low 80: free 65 - unusable 0 <= 80 + lowmem_reserve 0: watermark fails",
		"zone Normal: node_reclaim did not help: skipped",
	};
	static const char * const served[] = {
		"zone Normal: low 80: free 65 - unusable 0 <= 80 + lowmem_reserve 0: watermark fails",
		"  node_reclaim: reclaimed, the mark again",
		"zone Normal: low 80: free 97 - unusable 0 > 80 + lowmem_reserve 0: passes",
	};

	nrc_fill_node0(test, n);
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, GFP_KERNEL, 0), 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_SUCCESS),
			0UL);
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone), 65L);
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(zone), 80UL);
	KUNIT_ASSERT_EQ(test, pcp->count, 31);

	nrc_set(test, n, &inst->tun.node_reclaim_mode, PGM_RECLAIM_ZONE);
	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, GFP_KERNEL, 0), 1);
	pgm_explain_end(inst);
	/* Node 0 fails low, reclaims 32 to the pcp, still fails: skipped */
	pgmt_expect_lines(test, inst->explain->buf, reclaimed,
			  ARRAY_SIZE(reclaimed));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_SUCCESS),
			1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 32UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 65L);
	KUNIT_EXPECT_EQ(test, pcp->count, 63);
	KUNIT_EXPECT_EQ(test, pcp->high, 80);

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, GFP_KERNEL, 0), 0);
	pgm_explain_end(inst);
	/* This time the drains leave the buddy 97 free: the recheck passes */
	pgmt_expect_lines(test, inst->explain->buf, served, ARRAY_SIZE(served));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_SUCCESS),
			2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_FAILED),
			0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 64UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 64UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 96L);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * No scan: a request that may not sleep, and a node whose reclaimable page
 * cache and slab are at or below their floors (min_unmapped_ratio 100).
 */
/*
 * Slab freed counts once the memcg walk is done (flush_reclaim_state()),
 * so the walk's stop-early check sees LRU pages only. One node of 4096
 * pages, mode 1:
 * 1024 reclaimable slab pages and no page cache at the root, an owner
 * with 600 clean file pages. At priority 4 the root's slab pass asks for
 * (1024 >> 4) * 4 / DEFAULT_SEEKS = 128 and frees them; the walk has 0 of
 * its nr_to_reclaim, so it goes on to the owner, 600 >> 4 = 37 to scan.
 */
static struct pgm_instance *nrc_slab_setup(struct kunit *test,
					   struct pgm_owner **o)
{
	struct pgmt_mem_ctx *c = pgmt_mem_setup_nodes(test, 1, 8 * PGMT_PB);
	struct pgm_instance *inst = c->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];

	*o = pgmt_node_owner(test, inst, "a", 0);
	pgmt_mem_fill(test, c, PGM_KIND_SLAB, 1024, true);
	KUNIT_ASSERT_EQ(test, pgmt_owner_fill(inst, *o, PGM_KIND_FILE, 600),
			600UL);
	KUNIT_ASSERT_EQ(test, pgm_node_page_state(pgdat,
						  PGM_NR_SLAB_RECLAIMABLE),
			1024UL);
	KUNIT_ASSERT_EQ(test, pgm_set_node_reclaim_tunable(inst,
							   &inst->tun.node_reclaim_mode,
							   PGM_RECLAIM_ZONE),
			0);
	return inst;
}

/* After node_reclaim() of @order: slab pages and file pages it took */
static void nrc_slab_expect(struct kunit *test, struct pgm_instance *inst,
			    struct pgm_owner *o, unsigned int order,
			    unsigned long file)
{
	struct pgm_pglist_data *pgdat = &inst->node_data[0];

	KUNIT_EXPECT_EQ(test, pgm_node_reclaim(pgdat, GFP_KERNEL, order),
			PGM_NODE_RECLAIM_SUCCESS);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_SLABS_SCANNED), 128UL);
	KUNIT_EXPECT_EQ(test, pgm_node_page_state(pgdat,
						  PGM_NR_SLAB_RECLAIMABLE),
			1024UL - 128);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), file);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&o->nr_pages), 600L - file);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
	pgm_iface_lock(inst);
	pgm_handles_free(inst, NULL, NULL);
	pgm_iface_unlock(inst);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, o), 0);
}

/*
 * Order 0, nr_to_reclaim 32: the owner's first batch of 32 reclaims 32
 * and ends the lruvec (no anon to balance); 32 >= 32 stops the walk, and
 * 128 + 32 = 160 is the node's. Counting the slab in the walk would have
 * stopped it before the owner.
 */
static void node_reclaim_slab_after_walk(struct kunit *test)
{
	struct pgm_owner *o;
	struct pgm_instance *inst = nrc_slab_setup(test, &o);

	nrc_slab_expect(test, inst, o, 0, 32);
}

/*
 * Order 7, nr_to_reclaim 128: the owner's 37 go in batches of 32 and 5,
 * 37 < 128. The flush makes the pass 128 + 37 = 165 >= 128 pages: one
 * priority. Without the slab in it, 37 < 128 would go on to priority 3.
 */
static void node_reclaim_slab_counts(struct kunit *test)
{
	struct pgm_owner *o;
	struct pgm_instance *inst = nrc_slab_setup(test, &o);

	nrc_slab_expect(test, inst, o, 7, 37);
}

/* nrc_alloc_from() explained; @want, a line the explanation has */
static int nrc_alloc_explained(struct kunit *test, struct nrc *n, gfp_t gfp,
			       const char *want)
{
	int nid;

	KUNIT_ASSERT_EQ(test, pgm_explain_begin(n->inst), 0);
	nid = nrc_alloc_from(test, n, gfp, 0);
	pgm_explain_end(n->inst);
	pgmt_expect_lines(test, n->inst->explain->buf, &want, 1);
	return nid;
}

/*
 * node_reclaim() returns NOSCAN for a request that may not block, FULL
 * for a node at its floors (min_unmapped_ratio 100: 2048 pages of page
 * cache wanted, fewer on the node), and NOSCAN for a node another
 * reclaimer holds, before any scan: each falls back to node 1.
 */
static void node_reclaim_noscan_full(struct kunit *test)
{
	static const char noscan[] =
		"  node_reclaim: the request may not block: no scan";
	static const char full[] =
		"  node_reclaim: node 0 at its page cache and slab floors: nothing to reclaim";
	static const char locked[] =
		"  node_reclaim: another node reclaim runs on node 0: no scan";
	struct nrc *n = nrc_setup(test);
	struct pgm_instance *inst = n->inst;
	unsigned long *flags = &inst->node_data[0].flags;

	nrc_fill_node0(test, n);
	nrc_set(test, n, &inst->tun.node_reclaim_mode, PGM_RECLAIM_ZONE);
	KUNIT_EXPECT_EQ(test, nrc_alloc_explained(test, n, GFP_NOWAIT, noscan),
			1);
	nrc_set(test, n, &inst->tun.min_unmapped_ratio, 100);
	KUNIT_EXPECT_EQ(test, inst->node_data[0].min_unmapped_pages, 2048UL);
	KUNIT_EXPECT_EQ(test, nrc_alloc_explained(test, n, GFP_KERNEL, full),
			1);
	/* Another reclaimer holds PGDAT_RECLAIM_LOCKED: no second one */
	nrc_set(test, n, &inst->tun.min_unmapped_ratio, 1);
	set_bit(PGM_PGDAT_RECLAIM_LOCKED, flags);
	KUNIT_EXPECT_EQ(test, nrc_alloc_explained(test, n, GFP_KERNEL, locked),
			1);
	KUNIT_EXPECT_TRUE(test, test_bit(PGM_PGDAT_RECLAIM_LOCKED, flags));
	clear_bit(PGM_PGDAT_RECLAIM_LOCKED, flags);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_SUCCESS) +
			pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_FAILED), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A node with CPUs of its own is left to them (node_state(N_CPU) and not
 * numa_node_id()): with the caller on pcp CPU 1, node 1's, node 0 above
 * its floors and below low is passed by with NOSCAN, before any scan,
 * and node 1 serves. Back on CPU 0 the same request reclaims node 0.
 */
static void node_reclaim_remote_cpus(struct kunit *test)
{
	static const char remote[] =
		"  node_reclaim: node 0 has CPUs of its own and is not this CPU's: no scan";
	struct nrc *n = nrc_setup_cpus(test, 2);
	struct pgm_instance *inst = n->inst;

	KUNIT_ASSERT_EQ(test, pgm_cpu_to_node(inst, 1), 1);
	nrc_fill_node0(test, n);
	nrc_set(test, n, &inst->tun.node_reclaim_mode, PGM_RECLAIM_ZONE);
	inst->cpu_override = 1;
	KUNIT_EXPECT_EQ(test, nrc_alloc_explained(test, n, GFP_KERNEL, remote),
			1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_SUCCESS) +
			pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_FAILED), 0UL);

	inst->cpu_override = 0;
	nrc_alloc_from(test, n, GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 32UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_SUCCESS),
			1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * Dirty page cache counts only when RECLAIM_WRITE may write it: all dirty,
 * mode 1 finds nothing above the floor; mode 3 writes back and frees 32.
 */
static void node_reclaim_write(struct kunit *test)
{
	struct nrc *n = nrc_setup(test);
	struct pgm_instance *inst = n->inst;
	unsigned long i, dirty = 0;

	nrc_fill_node0(test, n);
	for (i = 0; i < n->nr_file; i++) {
		if (pgm_page_to_nid(n->file[i]->page))
			continue;
		KUNIT_ASSERT_EQ(test, pgm_alloc_set_dirty(inst, n->file[i]), 0);
		dirty++;
	}
	KUNIT_ASSERT_EQ(test, pgm_node_page_state(&inst->node_data[0],
						  PGM_NR_FILE_DIRTY), dirty);

	nrc_set(test, n, &inst->tun.node_reclaim_mode, PGM_RECLAIM_ZONE);
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, GFP_KERNEL, 0), 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 0UL);

	/*
	 * pgmirror's documented difference (admin-guide, "Direct reclaim"):
	 * RECLAIM_WRITE lets node reclaim write the dirty pages back and free
	 * them. 6.12's shrink_folio_list() writes no file folio outside
	 * kswapd: it would move them to the active list and fall back.
	 * The 32 pages land on the pcp list; see node_reclaim_local_first.
	 */
	nrc_set(test, n, &inst->tun.node_reclaim_mode,
		PGM_RECLAIM_ZONE | PGM_RECLAIM_WRITE);
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, GFP_KERNEL, 0), 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_NR_WRITTEN), 32UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 32UL);
	KUNIT_EXPECT_EQ(test, pgm_node_page_state(&inst->node_data[0],
						  PGM_NR_FILE_DIRTY),
			dirty - 32);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_SUCCESS),
			1UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * zone_allows_reclaim(): a movable request preferring node 1, with node 1
 * at its low watermark, reaches node 0 only after node 1's own node
 * reclaim found nothing (FULL). Node 0, the caller's node, is reclaimed
 * for it at distance 30 (RECLAIM_DISTANCE), and not at 40. Either way the
 * 32 pages stay on the pcp list (see node_reclaim_local_first), and the
 * slow path's min-watermark retry takes the page from node 1. Only
 * get_page_from_freelist() reads the distance after the zonelists are
 * built.
 */
static void node_reclaim_too_far(struct kunit *test)
{
	struct nrc *n = nrc_setup(test);
	struct pgm_instance *inst = n->inst;
	struct pgm_zone *zone1 = pgmt_zone(inst, 1, PGM_ZONE_NORMAL);

	nrc_fill_node0(test, n);
	/* 4096 pages over both nodes: min 128 split 64 a zone, low 64 + 16 */
	KUNIT_ASSERT_EQ(test, pgm_low_wmark_pages(zone1), 80UL);
	while (pgmt_nr_free(zone1) > (long)pgm_low_wmark_pages(zone1))
		KUNIT_ASSERT_NOT_NULL(test, pgmt_take(zone1, 0,
						      PGM_MIGRATE_MOVABLE));
	KUNIT_ASSERT_EQ(test, pgmt_nr_free(zone1), 80L);
	nrc_set(test, n, &inst->tun.node_reclaim_mode, PGM_RECLAIM_ZONE);

	inst->distance[0][1] = 40;
	inst->distance[1][0] = 40;
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, GFP_HIGHUSER_MOVABLE, 1),
			1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_DIRECT), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_SUCCESS),
			0UL);

	inst->distance[0][1] = 30;
	inst->distance[1][0] = 30;
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, GFP_HIGHUSER_MOVABLE, 1),
			1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 32UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_SUCCESS),
			1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_FAILED),
			0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * node_dirty_ok() at its boundary. Allocating a file page moves a page
 * from free to the file LRU, so with the pcp lists drained a node's
 * dirtyable memory stays 2048 - totalreserve and the limit 20% of it.
 * 6.12's numbers for two nodes of 2048 pages: min_free_kbytes
 * int_sqrt(16384 * 16) = 512, 128 pages, 64 a zone; low and high add
 * max(64 / 4, 2048 * 10 / 10000) = 16 each, so high is 96, and with no
 * lowmem_reserve above a node's only zone totalreserve_pages is 96.
 * Dirtyable 1952: the limit is 390 at 20%, 780 at 40%. Up to the limit
 * __GFP_WRITE stays on node 0; one dirty page more sends it to node 1,
 * while a request without __GFP_WRITE still gets node 0.
 */
static void node_dirty_spread(struct kunit *test)
{
	struct nrc *n = nrc_setup(test);
	struct pgm_instance *inst = n->inst;
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	unsigned long limit, i;
	gfp_t write = GFP_HIGHUSER_MOVABLE | __GFP_WRITE;
	const char *over = "zone Normal: node over its dirty limit: skipped";

	KUNIT_ASSERT_EQ(test, pgdat->totalreserve_pages, 96UL);
	limit = 390;
	KUNIT_ASSERT_EQ(test, pgm_node_dirty_limit(pgdat), limit);
	for (i = 0; i <= limit; i++)
		nrc_file(test, n, 0);
	for (i = 0; i < limit; i++)
		KUNIT_ASSERT_EQ(test, pgm_alloc_set_dirty(inst, n->file[i]), 0);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgm_node_dirty_limit(pgdat), limit);
	KUNIT_EXPECT_TRUE(test, pgm_node_dirty_ok(pgdat));
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, write, 0), 0);

	KUNIT_ASSERT_EQ(test, pgm_alloc_set_dirty(inst, n->file[limit]), 0);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgm_node_dirty_limit(pgdat), limit);
	KUNIT_EXPECT_FALSE(test, pgm_node_dirty_ok(pgdat));
	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, write, 0), 1);
	pgm_explain_end(inst);
	pgmt_expect_lines(test, inst->explain->buf, &over, 1);
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, GFP_HIGHUSER_MOVABLE, 0), 0);

	nrc_set(test, n, &inst->tun.dirty_ratio, 40);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgm_node_dirty_limit(pgdat), 780UL);
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, write, 0), 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * The dirty limit is the fast path's alone: __alloc_pages_noprof() drops
 * spread_dirty_pages before the slow path. With vm.dirty_ratio 0 (limit
 * 0) and a dirty file page on each node, __GFP_WRITE finds no node in
 * its fast path, and the slow path's first attempt serves it on node 0.
 */
static void node_dirty_all_over(struct kunit *test)
{
	struct nrc *n = nrc_setup(test);
	struct pgm_instance *inst = n->inst;
	gfp_t write = GFP_HIGHUSER_MOVABLE | __GFP_WRITE;
	struct pgm_alloc *f[2];
	unsigned long slow;
	int nid;

	nrc_set(test, n, &inst->tun.dirty_ratio, 0);
	for (nid = 0; nid < 2; nid++) {
		f[nid] = pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE |
					  __GFP_THISNODE, 0, nid, NULL,
					  PGM_KIND_FILE);
		KUNIT_ASSERT_NOT_NULL(test, f[nid]);
		KUNIT_ASSERT_EQ(test, pgm_alloc_set_dirty(inst, f[nid]), 0);
		KUNIT_ASSERT_EQ(test, pgm_node_dirty_limit(&inst->node_data[nid]),
				0UL);
		KUNIT_ASSERT_FALSE(test, pgm_node_dirty_ok(&inst->node_data[nid]));
	}
	slow = pgmt_event(inst, PGM_ALLOC_SLOWPATH);
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, write, 0), 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH) - slow, 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_MOVABLE), 0UL);
	for (nid = 0; nid < 2; nid++)
		pgm_alloc_release(inst, f[nid]);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * node_reclaim() that frees less than the request's pages returns
 * NODE_RECLAIM_SOME and counts zone_reclaim_failed; the watermark is
 * checked again, fails, and the request goes to node 1. Node 0 filled as
 * in node_reclaim_local_first, all but its 30 oldest file pages dirty:
 * without the write bit node_pagecache_reclaimable() is 30, above the
 * floor of 20, so reclaim runs; an order-6 request wants 64 pages and
 * every priority from 4 to 0 finds only the 30 clean ones.
 */
static void node_reclaim_some(struct kunit *test)
{
	struct nrc *n = nrc_setup(test);
	struct pgm_instance *inst = n->inst;
	struct pgm_page *page;
	unsigned long i;

	nrc_fill_node0(test, n);
	for (i = 30; i + 1 < n->nr_file; i++)
		KUNIT_ASSERT_EQ(test, pgm_alloc_set_dirty(inst, n->file[i]), 0);
	nrc_set(test, n, &inst->tun.node_reclaim_mode, PGM_RECLAIM_ZONE);

	page = pgm_alloc_pages(inst, GFP_KERNEL, 6, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(page), 1);
	pgm_free_pages(inst, page, 6);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_FAILED),
			1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_SUCCESS),
			0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSTEAL_DIRECT), 30UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_NR_WRITTEN), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* Bad tunables are refused and change nothing */
static void node_reclaim_tunables(struct kunit *test)
{
	struct nrc *n = nrc_setup(test);
	struct pgm_instance *inst = n->inst;
	struct pgm_tunables *tun = &inst->tun;

	/* The sysctl takes any int from 0; node_reclaim_enabled() masks it */
	KUNIT_EXPECT_EQ(test, pgm_set_node_reclaim_tunable(inst,
							   &tun->node_reclaim_mode,
							   8), 0);
	KUNIT_EXPECT_EQ(test, tun->node_reclaim_mode, 8);
	/* Node 0 below low and no reclaim bit: node 1 serves, no scan */
	nrc_fill_node0(test, n);
	KUNIT_EXPECT_EQ(test, nrc_alloc_from(test, n, GFP_KERNEL, 0), 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_SUCCESS) +
			pgmt_event(inst, PGM_PGSCAN_ZONE_RECLAIM_FAILED), 0UL);
	KUNIT_EXPECT_EQ(test, pgm_set_node_reclaim_tunable(inst,
							   &tun->node_reclaim_mode,
							   -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_set_node_reclaim_tunable(inst,
							   &tun->node_reclaim_mode,
							   0), 0);
	KUNIT_EXPECT_EQ(test, pgm_set_node_reclaim_tunable(inst,
							   &tun->min_slab_ratio,
							   101), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_set_node_reclaim_tunable(inst,
							   &tun->dirty_ratio,
							   -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_set_node_reclaim_tunable(inst,
							   &tun->watermark_boost_factor,
							   1), -EINVAL);
	KUNIT_EXPECT_EQ(test, inst->tun.node_reclaim_mode, 0);
	KUNIT_EXPECT_EQ(test, inst->tun.min_slab_ratio, 5);
	KUNIT_EXPECT_EQ(test, inst->tun.dirty_ratio, 20);
	KUNIT_EXPECT_EQ(test, inst->tun.watermark_boost_factor, 15000);
	nrc_set(test, n, &inst->tun.min_slab_ratio, 50);
	KUNIT_EXPECT_EQ(test, inst->node_data[1].min_slab_pages, 1024UL);
}

static struct kunit_case node_reclaim_cases[] = {
	KUNIT_CASE(node_reclaim_local_first),
	KUNIT_CASE(node_reclaim_noscan_full),
	KUNIT_CASE(node_reclaim_remote_cpus),
	KUNIT_CASE(node_reclaim_slab_after_walk),
	KUNIT_CASE(node_reclaim_slab_counts),
	KUNIT_CASE(node_reclaim_write),
	KUNIT_CASE(node_reclaim_too_far),
	KUNIT_CASE(node_dirty_spread),
	KUNIT_CASE(node_dirty_all_over),
	KUNIT_CASE(node_reclaim_some),
	KUNIT_CASE(node_reclaim_tunables),
	{}
};

static struct kunit_suite node_reclaim_suite = {
	.name = "pgmirror_node_reclaim",
	.test_cases = node_reclaim_cases,
};

kunit_test_suite(node_reclaim_suite);
