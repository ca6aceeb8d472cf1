// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_lru: what memory holds. Kinds and their gfp, the LRU list and
 * node counter each kind lands on, owner footprints, the ALLOC_CPUSET
 * check against an owner's nodes, and the dirty/writeback counters.
 */

#include <kunit/test.h>
#include "test_util.h"
#include "explain.h"
#include "lru.h"

static unsigned long lru_stat(struct pgm_instance *inst, int nid, int item)
{
	return pgm_node_page_state(&inst->node_data[nid], item);
}

static unsigned long lru_len(struct pgm_instance *inst, int nid,
			     struct list_head *head)
{
	struct pgm_pglist_data *pgdat = &inst->node_data[nid];
	unsigned long n;

	spin_lock(&pgdat->lru_lock);
	n = list_count_nodes(head);
	spin_unlock(&pgdat->lru_lock);
	return n;
}

/* ========================= kinds ========================= */

struct kind_case {
	enum pgm_kind kind;
	gfp_t gfp;
	int mt;
	int lru;
	int stat;	/* node counter an order-1 block adds 2 to, or -1 */
};

static const struct kind_case kind_cases[] = {
	{ PGM_KIND_ANON, GFP_HIGHUSER_MOVABLE, PGM_MIGRATE_MOVABLE,
	  PGM_LRU_INACTIVE_ANON, PGM_NR_INACTIVE_ANON },
	{ PGM_KIND_FILE, GFP_HIGHUSER_MOVABLE, PGM_MIGRATE_MOVABLE,
	  PGM_LRU_INACTIVE_FILE, PGM_NR_INACTIVE_FILE },
	{ PGM_KIND_SLAB, GFP_KERNEL | __GFP_RECLAIMABLE,
	  PGM_MIGRATE_RECLAIMABLE, -1, PGM_NR_SLAB_RECLAIMABLE },
	{ PGM_KIND_KERNEL, GFP_KERNEL, PGM_MIGRATE_UNMOVABLE, -1, -1 },
	{ PGM_KIND_PINNED, GFP_HIGHUSER_MOVABLE, PGM_MIGRATE_MOVABLE,
	  PGM_LRU_UNEVICTABLE, PGM_NR_UNEVICTABLE },
};

static void kind_case_desc(const struct kind_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", pgm_kind_names[c->kind]);
}

KUNIT_ARRAY_PARAM(kind, kind_cases, kind_case_desc);

static void lru_kind_gfp(struct kunit *test)
{
	const struct kind_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, (__force unsigned int)pgm_kind_gfp(c->kind),
			(__force unsigned int)c->gfp);
	KUNIT_EXPECT_EQ(test, pgm_gfp_migratetype(pgm_kind_gfp(c->kind)),
			c->mt);
	KUNIT_EXPECT_EQ(test, pgm_kind_lru(c->kind), c->lru);
}

/* Each kind lands on its list and counter, and leaves them on release */
static void lru_kind_placement(struct kunit *test)
{
	const struct kind_case *c = test->param_value;
	unsigned long on_lists[PGM_MAX_NUMNODES];
	struct pgm_pglist_data *pgdat;
	struct pgm_page *page;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_alloc *a;
	int i;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	pgdat = &inst->node_data[0];

	a = pgm_alloc_create(inst, pgm_kind_gfp(c->kind), 1, 0, NULL, c->kind);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, (int)a->page->alloc_mt, c->mt);
	for (i = 0; i < PGM_NR_VM_NODE_STAT_ITEMS; i++)
		KUNIT_EXPECT_EQ_MSG(test, lru_stat(inst, 0, i),
				    i == c->stat ? 2UL : 0UL, "%s",
				    pgm_node_stat_names[i]);
	for (i = 0; i < PGM_NR_LRU_LISTS; i++)
		KUNIT_EXPECT_EQ(test, lru_len(inst, 0, &pgdat->lruvec.lists[i]),
				i == c->lru ? 1UL : 0UL);
	KUNIT_EXPECT_EQ(test, lru_len(inst, 0, &pgdat->slab_lists[0]),
			c->stat == PGM_NR_SLAB_RECLAIMABLE ? 1UL : 0UL);
	KUNIT_EXPECT_EQ(test, lru_len(inst, 0, &pgdat->slab_lists[1]),
			c->stat == PGM_NR_SLAB_UNRECLAIMABLE ? 1UL : 0UL);
	KUNIT_EXPECT_EQ(test, pgm_verify_lru(inst, on_lists, pgmt_report, test),
			0UL);
	KUNIT_EXPECT_EQ(test, on_lists[0], c->lru >= 0 ||
			c->kind == PGM_KIND_SLAB ? 1UL : 0UL);
	/* PG_lru and page->alloc: what a pfn walk finds the allocation by */
	page = a->page;
	KUNIT_EXPECT_EQ(test, !!(page->flags & PGM_PG_LRU), c->lru >= 0);
	if (c->lru >= 0)
		KUNIT_EXPECT_PTR_EQ(test, page->alloc, a);

	pgm_alloc_release(inst, a);
	KUNIT_EXPECT_FALSE(test, page->flags & PGM_PG_LRU);
	for (i = 0; i < PGM_NR_VM_NODE_STAT_ITEMS; i++)
		KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, i), 0UL);
	KUNIT_EXPECT_EQ(test, pgm_verify_lru(inst, on_lists, pgmt_report, test),
			0UL);
	KUNIT_EXPECT_EQ(test, on_lists[0], 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* The caller's gfp wins; a slab block without __GFP_RECLAIMABLE is unreclaimable */
static void lru_gfp_overrides_kind(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_alloc *s, *a;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);

	s = pgm_alloc_create(inst, GFP_KERNEL, 0, 0, NULL, PGM_KIND_SLAB);
	a = pgm_alloc_create(inst, GFP_KERNEL, 2, 0, NULL, PGM_KIND_ANON);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, (int)s->page->alloc_mt, PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, (int)a->page->alloc_mt, PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_SLAB_UNRECLAIMABLE), 1UL);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_SLAB_RECLAIMABLE), 0UL);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_INACTIVE_ANON), 4UL);
	pgm_alloc_release(inst, s);
	pgm_alloc_release(inst, a);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_SLAB_UNRECLAIMABLE), 0UL);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_INACTIVE_ANON), 0UL);
}

/*
 * Folios are compound at every order (__folio_alloc() adds __GFP_COMP),
 * slab above order 0 (s->allocflags), kernel memory only when asked:
 * order 2 of each kind, and slab at order 0, which no mark changes.
 */
static void lru_kind_compound(struct kunit *test)
{
	static const struct {
		enum pgm_kind kind;
		unsigned int order;
		bool compound;
	} cases[] = {
		{ PGM_KIND_ANON, 2, true }, { PGM_KIND_FILE, 2, true },
		{ PGM_KIND_PINNED, 2, true }, { PGM_KIND_SLAB, 2, true },
		{ PGM_KIND_SLAB, 0, false }, { PGM_KIND_KERNEL, 2, false },
	};
	struct pgm_topology topo;
	struct pgm_instance *inst;
	unsigned int i;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pgm_alloc *a;

		a = pgm_alloc_create(inst, pgm_kind_gfp(cases[i].kind),
				     cases[i].order, 0, NULL, cases[i].kind);
		KUNIT_ASSERT_NOT_NULL(test, a);
		KUNIT_EXPECT_EQ_MSG(test, !!(a->page->flags & PGM_PG_COMPOUND),
				    cases[i].compound, "case %u", i);
		pgm_alloc_release(inst, a);
	}
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* ========================= owners ========================= */

static void lru_owner_footprint(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_alloc *a, *b;
	struct pgm_owner *o;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);

	o = pgm_owner_create(inst, "web", NULL, 100);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o));
	KUNIT_EXPECT_EQ(test, o->id, 1U);
	KUNIT_EXPECT_EQ(test, o->mems_allowed.bits[0], 1UL);
	KUNIT_EXPECT_PTR_EQ(test, pgm_owner_find(inst, "web"), o);
	KUNIT_EXPECT_NULL(test, pgm_owner_find(inst, "db"));

	a = pgm_alloc_create(inst, GFP_KERNEL, 2, 0, o, PGM_KIND_ANON);
	b = pgm_alloc_create(inst, GFP_KERNEL, 0, 0, o, PGM_KIND_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&o->nr_pages), 5L);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, o), -EBUSY);

	pgm_alloc_release(inst, a);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&o->nr_pages), 1L);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, o), -EBUSY);
	pgm_alloc_release(inst, b);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&o->nr_pages), 0L);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, o), 0);
	KUNIT_EXPECT_NULL(test, pgm_owner_find(inst, "web"));
}

static void lru_owner_create_errors(struct kunit *test)
{
	struct pgm_nodemask only2 = { .bits = { BIT(2) } };
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_owner *o;

	pgmt_topology(&topo, 2, 0, 0, 2 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);

	o = pgm_owner_create(inst, "a", NULL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o));
	KUNIT_EXPECT_EQ(test, o->mems_allowed.bits[0], 3UL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(pgm_owner_create(inst, "a", NULL, 0)),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, PTR_ERR(pgm_owner_create(inst, "", NULL, 0)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(pgm_owner_create(inst, "b", NULL, 1001)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(pgm_owner_create(inst, "b", NULL, -1001)),
			-EINVAL);
	/* A node outside the instance leaves nothing to allocate from */
	KUNIT_EXPECT_EQ(test, PTR_ERR(pgm_owner_create(inst, "b", &only2, 0)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, o), 0);
}

/* ========================= ALLOC_CPUSET ========================= */

#define LRU_CPUSET_PAGES	(2 * PGMT_PB)

/* Two nodes of NORMAL only; the pcp CPU is on node 0 */
static struct pgm_instance *lru_two_nodes(struct kunit *test,
					  struct pgm_owner **node1)
{
	struct pgm_nodemask mask = { .bits = { BIT(1) } };
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 2, 0, 0, LRU_CPUSET_PAGES, 0);
	inst = pgmt_create(test, &topo);
	*node1 = pgm_owner_create(inst, "n1", &mask, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(*node1));
	return inst;
}

static void lru_cpuset_prefers_allowed_node(struct kunit *test)
{
	struct pgm_instance *inst;
	struct pgm_owner *o;
	struct pgm_alloc *a, *free_a;

	inst = lru_two_nodes(test, &o);

	/* Without an owner, node 0 serves a node-0 request */
	free_a = pgm_alloc_create(inst, GFP_KERNEL, 0, 0, NULL,
				  PGM_KIND_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, free_a);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(free_a->page), 0);

	a = pgm_alloc_create(inst, GFP_KERNEL, 0, 0, o, PGM_KIND_ANON);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(a->page), 1);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 1, PGM_NR_INACTIVE_ANON), 1UL);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_INACTIVE_ANON), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 0UL);
	pgm_alloc_release(inst, a);
	pgm_alloc_release(inst, free_a);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, o), 0);
}

/*
 * __GFP_THISNODE on node 0 for an owner of node 1: the fast path's
 * nodemask is the owner's, which node 0's list does not meet. A hardwall
 * mask (GFP_USER) fails; GFP_KERNEL is softwall in the slow path, where
 * the nearest hardwall ancestor, the root, allows node 0.
 */
static void lru_cpuset_thisnode_fails(struct kunit *test)
{
	struct pgm_instance *inst;
	struct pgm_owner *o;
	struct pgm_alloc *a;
	unsigned long stalls;

	inst = lru_two_nodes(test, &o);
	a = pgm_alloc_create(inst, GFP_USER | __GFP_THISNODE | __GFP_NOWARN,
			     0, 0, o, PGM_KIND_ANON);
	KUNIT_EXPECT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&o->nr_pages), 0L);
	stalls = pgmt_event(inst, PGM_ALLOCSTALL_NORMAL);

	a = pgm_alloc_create(inst, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN,
			     0, 0, o, PGM_KIND_ANON);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(a->page), 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), stalls);
	pgm_alloc_release(inst, a);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, o), 0);
}

struct lru_taken {
	struct pgm_page *page;
	unsigned int order;
};

/* Empty node 1's NORMAL zone, whatever its blocks' types; returns blocks */
static unsigned long lru_drain_node1(struct kunit *test,
				     struct pgm_instance *inst,
				     struct lru_taken *taken)
{
	struct pgm_zone *zone = pgmt_zone(inst, 1, PGM_ZONE_NORMAL);
	unsigned long n = 0;
	int order, mt;

	pgm_drain_all_pages(inst, NULL);
	for (order = PGM_MAX_PAGE_ORDER; order >= 0; order--) {
		for (mt = 0; mt < PGM_MIGRATE_PCPTYPES; mt++) {
			while (n < LRU_CPUSET_PAGES) {
				taken[n].page = pgmt_take(zone, order, mt);
				if (!taken[n].page)
					break;
				taken[n++].order = order;
			}
		}
	}
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 0L);
	return n;
}

static void lru_undrain_node1(struct pgm_instance *inst,
			      struct lru_taken *taken, unsigned long n)
{
	while (n--)
		pgmt_give(pgmt_zone(inst, 1, PGM_ZONE_NORMAL), taken[n].page,
			  taken[n].order);
}

/*
 * With node 1 empty: GFP_USER keeps the owner's node in the slow path and
 * fails; GFP_KERNEL keeps ALLOC_CPUSET there too, but is softwall, so the
 * root's nodes allow node 0; GFP_ATOMIC drops ALLOC_CPUSET in the slow
 * path and falls to node 0 as well.
 */
static void lru_cpuset_atomic(struct kunit *test)
{
	struct pgm_instance *inst;
	struct lru_taken *taken;
	struct pgm_owner *o;
	struct pgm_alloc *a, *k;
	unsigned long n, stalls;

	inst = lru_two_nodes(test, &o);
	taken = kunit_kcalloc(test, LRU_CPUSET_PAGES, sizeof(*taken),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, taken);

	/* Node 1 has room: the fast path serves from it */
	a = pgm_alloc_create(inst, GFP_ATOMIC, 0, 0, o, PGM_KIND_ANON);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(a->page), 1);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 0UL);
	pgm_alloc_release(inst, a);

	/* Drained back, node 1's 1024 pages are one order-10 block */
	n = lru_drain_node1(test, inst, taken);
	KUNIT_EXPECT_EQ(test, n, 1UL);

	/* GFP_USER: hardwall, node 0 stays out, and it fails */
	k = pgm_alloc_create(inst, GFP_USER | __GFP_NOWARN, 0, 0, o,
			     PGM_KIND_ANON);
	KUNIT_EXPECT_NULL(test, k);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	stalls = pgmt_event(inst, PGM_ALLOCSTALL_NORMAL);

	/* GFP_KERNEL: softwall, node 0 at the first slow-path attempt */
	k = pgm_alloc_create(inst, GFP_KERNEL | __GFP_NOWARN, 0, 0, o,
			     PGM_KIND_ANON);
	KUNIT_ASSERT_NOT_NULL(test, k);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(k->page), 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOCSTALL_NORMAL), stalls);

	/* GFP_ATOMIC falls to node 0 once the fast path failed */
	a = pgm_alloc_create(inst, GFP_ATOMIC, 0, 0, o, PGM_KIND_ANON);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(a->page), 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_SLOWPATH), 3UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_ALLOC_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_INACTIVE_ANON), 2UL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&o->nr_pages), 2L);

	pgm_alloc_release(inst, k);
	pgm_alloc_release(inst, a);
	lru_undrain_node1(inst, taken, n);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, o), 0);
}

/*
 * An owner allowed every node sets no ALLOC_CPUSET, as upstream's
 * cpusets_enabled() is false with one cpuset: node 0 serves, and a
 * nodemask of both nodes (an owner of node 1 alone gets ALLOC_CPUSET
 * with it, explain_cpuset) leaves the request's flags without it.
 */
#define LRU_ALL_NODES_LINE \
	"request order=0 gfp=GFP_KERNEL -> node 0 Normal, Unmovable, alloc_flags=WMARK_LOW|KSWAPD\n"

static void lru_cpuset_all_nodes(struct kunit *test)
{
	struct pgm_nodemask both = { };
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_owner *o;
	struct pgm_alloc *a;
	struct pgm_page *page;

	pgmt_topology(&topo, 2, 0, 0, LRU_CPUSET_PAGES, 0);
	inst = pgmt_create(test, &topo);
	o = pgm_owner_create(inst, "all", NULL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(o));
	a = pgm_alloc_create(inst, GFP_KERNEL, 0, 0, o, PGM_KIND_FILE);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(a->page), 0);
	pgm_alloc_release(inst, a);

	__set_bit(0, both.bits);
	__set_bit(1, both.bits);
	KUNIT_ASSERT_EQ(test, pgm_explain_begin(inst), 0);
	page = pgm_alloc_pages_owner(inst, GFP_KERNEL, 0, 0, &both, o);
	pgm_explain_end(inst);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, pgm_page_to_nid(page), 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(inst->explain->buf, LRU_ALL_NODES_LINE));
	pgm_free_pages(inst, page, 0);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, o), 0);
}

/* ========================= dirty ========================= */

static void lru_dirty_writeback(struct kunit *test)
{
	unsigned long on_lists[PGM_MAX_NUMNODES];
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_alloc *f, *g, *a;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);

	f = pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE, 1, 0, NULL,
			     PGM_KIND_FILE);
	g = pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE, 0, 0, NULL,
			     PGM_KIND_FILE);
	a = pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE, 0, 0, NULL,
			     PGM_KIND_ANON);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_ASSERT_NOT_NULL(test, a);

	KUNIT_EXPECT_EQ(test, pgm_alloc_set_dirty(inst, f), 0);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_FILE_DIRTY), 2UL);
	/* Dirtying twice counts once */
	KUNIT_EXPECT_EQ(test, pgm_alloc_set_dirty(inst, f), 0);
	KUNIT_EXPECT_EQ(test, pgm_alloc_set_dirty(inst, g), 0);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_FILE_DIRTY), 3UL);
	KUNIT_EXPECT_EQ(test, pgm_alloc_set_dirty(inst, a), -EINVAL);
	KUNIT_EXPECT_FALSE(test, a->dirty);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_INACTIVE_FILE), 3UL);
	KUNIT_EXPECT_EQ(test, pgm_verify_lru(inst, on_lists, pgmt_report, test),
			0UL);
	KUNIT_EXPECT_EQ(test, on_lists[0], 3UL);

	KUNIT_EXPECT_TRUE(test, pgm_alloc_writeback(inst, f));
	KUNIT_EXPECT_FALSE(test, pgm_alloc_writeback(inst, f));
	KUNIT_EXPECT_FALSE(test, pgm_alloc_writeback(inst, a));
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_FILE_DIRTY), 1UL);

	/* Freeing a dirty block drops it from the dirty count */
	pgm_alloc_release(inst, g);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_FILE_DIRTY), 0UL);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_INACTIVE_FILE), 2UL);
	pgm_alloc_release(inst, f);
	pgm_alloc_release(inst, a);
	KUNIT_EXPECT_EQ(test, pgm_verify_lru(inst, on_lists, pgmt_report, test),
			0UL);
	KUNIT_EXPECT_EQ(test, on_lists[0], 0UL);
}

/* A verify() reporter that only lets the count speak */
static __printf(2, 3) void lru_quiet(void *ctx, const char *fmt, ...)
{
}

/*
 * The LRU, dirty and slab counters drift as upstream's: one node of 32768
 * pages and two pcp CPUs give its zone, and so the node, a threshold of
 * 2 * fls(2) * (1 + fls(32768 >> 15)) = 8. Four order-1 file blocks put
 * +8 on pcp CPU 0's deltas, not past it: node_page_state() and the zone's
 * count read 0, the snapshots 8. A fifth block, order 0, makes +9, which
 * passes it and folds all. With vm.dirty_ratio 0 the dirty limit is 0:
 * dirtying the order-0 block leaves +1 in the deltas, so node_dirty_ok()
 * reads 0 and still says yes, as upstream's would, until the refresh
 * folds it. Freeing that block leaves -1 in the delta and the node's
 * count at 1, so node_dirty_ok() says no until the next refresh. The
 * four order-1 blocks go as -2 each: -9 folds at the last, 9 - 9 = 0.
 */
static void lru_counter_deltas(struct kunit *test)
{
	unsigned long on_lists[PGM_MAX_NUMNODES];
	struct pgm_pglist_data *pgdat;
	struct pgm_alloc *f[4], *g;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	unsigned int i;

	pgmt_topology(&topo, 1, 0, 0, 32768, 0);
	topo.nr_cpus = 2;
	inst = pgmt_create(test, &topo);
	pgm_refresh_zone_stat_thresholds(inst);
	pgdat = &inst->node_data[0];
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	KUNIT_ASSERT_EQ(test, zone->stat_threshold, 8);
	KUNIT_ASSERT_EQ(test, pgdat->stat_threshold, 8);

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		f[i] = pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE, 1, 0, NULL,
					PGM_KIND_FILE);
		KUNIT_ASSERT_NOT_NULL(test, f[i]);
	}
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_INACTIVE_FILE), 0UL);
	KUNIT_EXPECT_EQ(test, pgm_node_page_state_snapshot(pgdat,
							   PGM_NR_INACTIVE_FILE,
							   2), 8UL);
	KUNIT_EXPECT_EQ(test, zone->nr_zone_lru[PGM_LRU_INACTIVE_FILE], 0L);
	KUNIT_EXPECT_EQ(test, zone->lru_stat_diff[0][PGM_LRU_INACTIVE_FILE], 8);
	KUNIT_EXPECT_EQ(test, pgm_zone_lru_snapshot(zone, PGM_LRU_INACTIVE_FILE,
						    2), 8UL);

	g = pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE, 0, 0, NULL,
			     PGM_KIND_FILE);
	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_INACTIVE_FILE), 9UL);
	KUNIT_EXPECT_EQ(test, pgdat->vm_node_stat_diff[0][PGM_NR_INACTIVE_FILE],
			0);
	KUNIT_EXPECT_EQ(test, zone->nr_zone_lru[PGM_LRU_INACTIVE_FILE], 9L);
	KUNIT_EXPECT_EQ(test, zone->lru_stat_diff[0][PGM_LRU_INACTIVE_FILE], 0);

	WRITE_ONCE(inst->tun.dirty_ratio, 0);
	KUNIT_EXPECT_EQ(test, pgm_node_dirty_limit(pgdat), 0UL);
	KUNIT_EXPECT_EQ(test, pgm_alloc_set_dirty(inst, g), 0);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_FILE_DIRTY), 0UL);
	KUNIT_EXPECT_EQ(test, pgdat->vm_node_stat_diff[0][PGM_NR_FILE_DIRTY], 1);
	KUNIT_EXPECT_EQ(test, zone->lru_stat_diff[0][PGM_NR_ZONE_WRITE_PENDING],
			1);
	KUNIT_EXPECT_TRUE(test, pgm_node_dirty_ok(pgdat));
	/* The lists and the counters agree once the deltas are added in */
	KUNIT_EXPECT_EQ(test, pgm_verify_lru(inst, on_lists, pgmt_report, test),
			0UL);

	pgm_refresh_cpu_vm_stats(inst);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_FILE_DIRTY), 1UL);
	KUNIT_EXPECT_EQ(test, zone->nr_zone_lru[PGM_NR_ZONE_WRITE_PENDING], 1L);
	KUNIT_EXPECT_EQ(test, pgdat->vm_node_stat_diff[0][PGM_NR_FILE_DIRTY], 0);
	KUNIT_EXPECT_EQ(test, zone->lru_stat_diff[0][PGM_NR_ZONE_WRITE_PENDING],
			0);
	KUNIT_EXPECT_FALSE(test, pgm_node_dirty_ok(pgdat));

	pgm_alloc_release(inst, g);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_FILE_DIRTY), 1UL);
	KUNIT_EXPECT_EQ(test, pgdat->vm_node_stat_diff[0][PGM_NR_FILE_DIRTY], -1);
	KUNIT_EXPECT_EQ(test, pgm_node_page_state_snapshot(pgdat,
							   PGM_NR_FILE_DIRTY,
							   2), 0UL);
	KUNIT_EXPECT_FALSE(test, pgm_node_dirty_ok(pgdat));
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_INACTIVE_FILE), 9UL);
	KUNIT_EXPECT_EQ(test, pgdat->vm_node_stat_diff[0][PGM_NR_INACTIVE_FILE],
			-1);

	for (i = 0; i < ARRAY_SIZE(f); i++)
		pgm_alloc_release(inst, f[i]);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_INACTIVE_FILE), 0UL);
	KUNIT_EXPECT_EQ(test, pgdat->vm_node_stat_diff[0][PGM_NR_INACTIVE_FILE],
			0);
	KUNIT_EXPECT_EQ(test, zone->nr_zone_lru[PGM_LRU_INACTIVE_FILE], 0L);

	pgm_refresh_cpu_vm_stats(inst);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_FILE_DIRTY), 0UL);
	KUNIT_EXPECT_TRUE(test, pgm_node_dirty_ok(pgdat));
	KUNIT_EXPECT_EQ(test, pgm_verify_lru(inst, on_lists, pgmt_report, test),
			0UL);
	KUNIT_EXPECT_EQ(test, on_lists[0], 0UL);
}

/*
 * Migration moves the dirty counts only between zones
 * (__folio_migrate_mapping()): within one zone they stay as they are,
 * deltas included. A dirty order-2 file block counted exactly (4), then
 * thresholds of 2 and a dirty order-0 block leave +1 in the deltas. The
 * order-2 block moved within the zone leaves 4 and +1; taken off and put
 * back, it would fold -3 and then +4: 5 and 0.
 */
static void lru_migrate_dirty_same_zone(struct kunit *test)
{
	struct pgm_pglist_data *pgdat;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_page *dst, *src;
	struct pgm_alloc *a, *b;
	struct pgm_zone *zone;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	pgdat = &inst->node_data[0];
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	a = pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE, 2, 0, NULL,
			     PGM_KIND_FILE);
	b = pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE, 0, 0, NULL,
			     PGM_KIND_FILE);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, pgm_alloc_set_dirty(inst, a), 0);
	KUNIT_ASSERT_EQ(test, lru_stat(inst, 0, PGM_NR_FILE_DIRTY), 4UL);

	WRITE_ONCE(zone->stat_threshold, 2);
	WRITE_ONCE(pgdat->stat_threshold, 2);
	KUNIT_ASSERT_EQ(test, pgm_alloc_set_dirty(inst, b), 0);
	KUNIT_ASSERT_EQ(test, pgdat->vm_node_stat_diff[0][PGM_NR_FILE_DIRTY], 1);

	dst = pgm_alloc_pages(inst, GFP_HIGHUSER_MOVABLE, 2, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	KUNIT_ASSERT_PTR_EQ(test, pgm_page_zone(inst, dst), zone);
	src = a->page;
	KUNIT_ASSERT_TRUE(test, pgm_alloc_migrate(inst, a, src, dst, 2));
	KUNIT_EXPECT_PTR_EQ(test, a->page, dst);
	KUNIT_EXPECT_TRUE(test, a->dirty);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_FILE_DIRTY), 4UL);
	KUNIT_EXPECT_EQ(test, pgdat->vm_node_stat_diff[0][PGM_NR_FILE_DIRTY], 1);
	KUNIT_EXPECT_EQ(test, zone->nr_zone_lru[PGM_NR_ZONE_WRITE_PENDING], 4L);
	KUNIT_EXPECT_EQ(test, zone->lru_stat_diff[0][PGM_NR_ZONE_WRITE_PENDING],
			1);
	pgm_free_pages(inst, src, 2);
	pgm_alloc_release(inst, a);
	pgm_alloc_release(inst, b);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * NR_ZONE_WRITE_PENDING is a zone counter upstream, in the vm_stat_diff
 * the refresh folds, so dirtying a page alone arms the CPU's pcp expiry
 * in its zone. Two nodes as pcp_remote_expire's, thresholds 8: pcp CPU 0
 * (node 0) takes one file page of node 1, from a refill of a batch of 7,
 * so its pcp there holds 6. A refresh folds what that left and arms it;
 * with expire set back to 0 a second refresh finds nothing and leaves it
 * at 0. Dirtying the page puts +1 on CPU 0's write-pending delta: the next
 * refresh folds it, arms the pcp (3), and counts down at once (2), the
 * zone being remote; the pages stay.
 */
static void lru_write_pending_arms_expiry(struct kunit *test)
{
	struct pgm_per_cpu_pages *remote;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_alloc *a;

	pgmt_topology(&topo, 2, 0, 0, 32768, 0);
	topo.nr_cpus = 2;
	inst = pgmt_create(test, &topo);
	pgm_refresh_zone_stat_thresholds(inst);
	zone = pgmt_zone(inst, 1, PGM_ZONE_NORMAL);
	KUNIT_ASSERT_EQ(test, zone->stat_threshold, 8);
	KUNIT_ASSERT_EQ(test, pgm_cpu_to_node(inst, 0), 0);
	remote = &zone->per_cpu_pageset[0];
	KUNIT_ASSERT_EQ(test, remote->batch, 7);

	a = pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE, 0, 1,
			     NULL, PGM_KIND_FILE);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_EQ(test, pgm_page_to_nid(a->page), 1);
	KUNIT_ASSERT_EQ(test, remote->count, 6);

	pgm_refresh_cpu_vm_stats(inst);
	KUNIT_EXPECT_EQ(test, remote->expire, 2);
	WRITE_ONCE(remote->expire, 0);
	pgm_refresh_cpu_vm_stats(inst);
	KUNIT_EXPECT_EQ(test, remote->expire, 0);

	KUNIT_EXPECT_EQ(test, pgm_alloc_set_dirty(inst, a), 0);
	KUNIT_EXPECT_EQ(test, zone->lru_stat_diff[0][PGM_NR_ZONE_WRITE_PENDING],
			1);
	pgm_refresh_cpu_vm_stats(inst);
	KUNIT_EXPECT_EQ(test, zone->nr_zone_lru[PGM_NR_ZONE_WRITE_PENDING], 1L);
	KUNIT_EXPECT_EQ(test, remote->expire, 2);
	KUNIT_EXPECT_EQ(test, remote->count, 6);
	pgm_alloc_release(inst, a);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* verify() catches an LRU allocation whose head lost PG_lru */
static void lru_verify_stale_pg_lru(struct kunit *test)
{
	unsigned long on_lists[PGM_MAX_NUMNODES];
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_alloc *a;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	inst = pgmt_create(test, &topo);
	a = pgm_alloc_create(inst, pgm_kind_gfp(PGM_KIND_FILE), 0, 0, NULL,
			     PGM_KIND_FILE);
	KUNIT_ASSERT_NOT_NULL(test, a);
	a->page->flags &= ~PGM_PG_LRU;
	KUNIT_EXPECT_EQ(test, pgm_verify_lru(inst, on_lists, lru_quiet, NULL),
			1UL);
	a->page->flags |= PGM_PG_LRU;
	KUNIT_EXPECT_EQ(test, pgm_verify_lru(inst, on_lists, pgmt_report, test),
			0UL);
	pgm_alloc_release(inst, a);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* The zone of @a's block, and the type of its pageblock */
static int lru_zone_of(struct pgm_instance *inst, struct pgm_alloc *a)
{
	return pgm_page_zone(inst, a->page)->idx;
}

static int lru_block_mt(struct pgm_instance *inst, struct pgm_alloc *a)
{
	return pgm_get_pfnblock_migratetype(inst, pgm_page_to_pfn(inst,
								a->page));
}

/*
 * A pinned allocation of @order that had to move: its target came without
 * __GFP_MOVABLE (memalloc_pin_save()), so it was allocated unmovable
 */
static struct pgm_alloc *lru_pin_moved(struct kunit *test,
				       struct pgm_instance *inst,
				       unsigned int order)
{
	struct pgm_alloc *a = pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE,
					       order, 0, NULL,
					       PGM_KIND_PINNED);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, (int)a->page->alloc_mt, PGM_MIGRATE_UNMOVABLE);
	return a;
}

/*
 * A long-term pin in ZONE_MOVABLE: GFP_HIGHUSER_MOVABLE faults it into
 * the highest zone, MOVABLE, which folio_is_longterm_pinnable() refuses;
 * migrate_longterm_unpinnable_folios() moves it with GFP_USER, plus
 * __GFP_HIGHMEM for a ZONE_MOVABLE source and GFP_TRANSHUGE for a large
 * folio, all without __GFP_MOVABLE under memalloc_pin_save(): Normal,
 * unmovable. pgmigrate_success counts its pages, 1 and then 4. Anon
 * memory of the same mask stays in MOVABLE.
 */
static void lru_pinned_movable_zone(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_alloc *anon, *pin, *pin2;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 4 * PGMT_PB);
	inst = pgmt_create(test, &topo);

	anon = pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE, 0, 0, NULL,
				PGM_KIND_ANON);
	KUNIT_ASSERT_NOT_NULL(test, anon);
	KUNIT_EXPECT_EQ(test, lru_zone_of(inst, anon), PGM_ZONE_MOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 0UL);

	pin = lru_pin_moved(test, inst, 0);
	KUNIT_EXPECT_EQ(test, lru_zone_of(inst, pin), PGM_ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 1UL);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_UNEVICTABLE), 1UL);

	pin2 = lru_pin_moved(test, inst, 2);
	KUNIT_EXPECT_EQ(test, lru_zone_of(inst, pin2), PGM_ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 5UL);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_UNEVICTABLE), 5UL);

	pgm_alloc_release(inst, pin2);
	pgm_alloc_release(inst, pin);
	pgm_alloc_release(inst, anon);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_UNEVICTABLE), 0UL);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * A long-term pin in a CMA pageblock. A kernel page first takes a pcp
 * batch off the free count, so the area's free pages are more than half
 * the zone's and a movable request's __rmqueue() takes from CMA first:
 * anon memory lands there (the case's premise), and a pin that does is
 * migrated out, to an unmovable block outside the area.
 */
static void lru_pinned_cma(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_alloc *kernel, *anon, *pin;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGMT_PB, 0);
	topo.cma_pages = 2 * PGMT_PB;
	inst = pgmt_create(test, &topo);

	kernel = pgm_alloc_create(inst, GFP_KERNEL, 0, 0, NULL,
				  PGM_KIND_KERNEL);
	anon = pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE, 0, 0, NULL,
				PGM_KIND_ANON);
	KUNIT_ASSERT_NOT_NULL(test, kernel);
	KUNIT_ASSERT_NOT_NULL(test, anon);
	KUNIT_ASSERT_EQ(test, lru_block_mt(inst, anon), PGM_MIGRATE_CMA);

	/*
	 * The kernel page's fallback claimed the one order-10 block outside
	 * the area whole; memalloc_pin_save() drops __GFP_MOVABLE from the
	 * target, which comes from there
	 */
	pin = lru_pin_moved(test, inst, 0);
	KUNIT_EXPECT_EQ(test, lru_block_mt(inst, pin), PGM_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 1UL);

	pgm_alloc_release(inst, pin);
	pgm_alloc_release(inst, anon);
	pgm_alloc_release(inst, kernel);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * No block for the migration: with Normal full, a pin faulted into
 * MOVABLE cannot move, migrate_pages() fails (pgmigrate_fail 1) and so
 * does the pin; the block goes back and nothing is left counted.
 */
static void lru_pinned_no_target(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_page **pages;
	struct pgm_zone *normal, *movable;
	long free;

	pgmt_topology(&topo, 1, 0, 0, PGMT_PB, PGMT_PB);
	inst = pgmt_create(test, &topo);
	normal = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	movable = pgmt_zone(inst, 0, PGM_ZONE_MOVABLE);
	pages = kunit_kcalloc(test, PGMT_PB, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	pgmt_take_all(normal, pages, PGMT_PB);
	free = pgmt_nr_free(movable);

	KUNIT_EXPECT_NULL(test, pgm_alloc_create(inst, GFP_HIGHUSER_MOVABLE,
						 0, 0, NULL,
						 PGM_KIND_PINNED));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_PGMIGRATE_SUCCESS), 0UL);
	KUNIT_EXPECT_EQ(test, lru_stat(inst, 0, PGM_NR_UNEVICTABLE), 0UL);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(movable), free);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case lru_test_cases[] = {
	KUNIT_CASE_PARAM(lru_kind_gfp, kind_gen_params),
	KUNIT_CASE_PARAM(lru_kind_placement, kind_gen_params),
	KUNIT_CASE(lru_gfp_overrides_kind),
	KUNIT_CASE(lru_kind_compound),
	KUNIT_CASE(lru_pinned_movable_zone),
	KUNIT_CASE(lru_pinned_cma),
	KUNIT_CASE(lru_pinned_no_target),
	KUNIT_CASE(lru_owner_footprint),
	KUNIT_CASE(lru_owner_create_errors),
	KUNIT_CASE(lru_cpuset_prefers_allowed_node),
	KUNIT_CASE(lru_cpuset_thisnode_fails),
	KUNIT_CASE(lru_cpuset_atomic),
	KUNIT_CASE(lru_cpuset_all_nodes),
	KUNIT_CASE(lru_dirty_writeback),
	KUNIT_CASE(lru_counter_deltas),
	KUNIT_CASE(lru_write_pending_arms_expiry),
	KUNIT_CASE(lru_migrate_dirty_same_zone),
	KUNIT_CASE(lru_verify_stale_pg_lru),
	{}
};

static struct kunit_suite lru_test_suite = {
	.name = "pgmirror_lru",
	.test_cases = lru_test_cases,
};

kunit_test_suite(lru_test_suite);
