// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_robust: the edges a hostile user reaches first.
 *
 * Sizes and sums that wrap, a size larger than the host, a carve-out over
 * a device or a hole, and the largest values every command key takes.
 * Each must fail with its errno and a reason, having built and claimed
 * nothing.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/ioport.h>
#include <linux/kthread.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cmd.h"
#include "lru.h"
#include "test_util.h"

/* ========================= sizes ========================= */

struct pgmt_size_case {
	const char *s;
	int ret;
	u64 bytes;
};

static const struct pgmt_size_case pgmt_size_cases[] = {
	{ "4096", 0, 4096 },
	{ "64M", 0, 64ULL << 20 },
	{ "64m", 0, 64ULL << 20 },
	{ "1G", 0, 1ULL << 30 },
	{ "0x40000000", 0, 0x40000000 },
	/* a hex digit is never a suffix, as memparse() reads it */
	{ "0x1E", 0, 0x1e },
	{ "0x10M", 0, 16ULL << 20 },
	{ "15E", 0, 15ULL << 60 },
	{ "17179869248M", 0, 17179869248ULL << 20 },
	{ "18446744073709551615", 0, U64_MAX },
	/* 2^64 and above: memparse() would wrap these */
	{ "18446744073709551616", -ERANGE, 0 },
	{ "16E", -ERANGE, 0 },
	{ "17592186044416M", -ERANGE, 0 },
	{ "99999999999999999999999999999", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ "M", -EINVAL, 0 },
	{ "12Q", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "1 M", -EINVAL, 0 },
	{ "1MM", -EINVAL, 0 },
};

static void pgmt_size_desc(const struct pgmt_size_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s'", c->s);
}

KUNIT_ARRAY_PARAM(pgmt_size, pgmt_size_cases, pgmt_size_desc);

static void pgm_robust_parse_size(struct kunit *test)
{
	const struct pgmt_size_case *c = test->param_value;
	u64 bytes = 12345;

	KUNIT_EXPECT_EQ(test, pgm_parse_size(c->s, &bytes), c->ret);
	KUNIT_EXPECT_EQ(test, bytes, c->ret ? 12345 : c->bytes);
}

/* ========================= module parameters ========================= */

static const int pgmt_ratio[PGM_MAX_NR_ZONES] = { 256, 256, 32, 0 };

#define pgmt_params(sz, zn) {					\
	.size = (sz), .nodes = 1, .zones = (zn),			\
	.watermark_scale_factor = 10, .watermark_boost_factor = 15000,	\
	.lowmem_reserve_ratio = pgmt_ratio,				\
}

struct pgmt_params_case {
	const char *desc;
	struct pgm_params p;
	const char *reason;
};

static const int pgmt_distance3[3] = { 10, 20, 20 };

static const struct pgmt_params_case pgmt_params_bad[] = {
	/* the first crash line of the issue: the two zones wrap to 64M */
	{ "zones wrap to the node size",
	  pgmt_params("64M", "DMA:9223372036854775808,NORMAL:9223372036854792192"),
	  "larger than a node" },
	{ "two huge zones and a star",
	  pgmt_params("64M", "DMA:9223372036854775808,DMA32:9223372036854775808,NORMAL:*"),
	  "larger than a node" },
	{ "a zone of 2^64 pages",
	  pgmt_params("64M", "DMA:18446744073709551616,NORMAL:*"),
	  "larger than a node" },
	{ "a zone in bytes that wraps",
	  pgmt_params("64M", "DMA:16E,NORMAL:*"), "larger than a node" },
	/* 2050K is 512 pages and a half, which was dropped unsaid */
	{ "a zone of part of a page", pgmt_params("64M", "DMA:2050K,NORMAL:*"),
	  "zone DMA of '2050K' is not a multiple of pages" },
	{ "zones one page over", pgmt_params("64M", "DMA:8192,NORMAL:8193"),
	  "take 16385 pages but a node has 16384" },
	{ "zones short of the node", pgmt_params("64M", "NORMAL:16383"),
	  "take 16383 pages" },
	{ "size 2^64", pgmt_params("18446744073709551616", "NORMAL:*"),
	  "64-bit" },
	{ "size zero", pgmt_params("0", "NORMAL:*"), "non-zero" },
	/* Found by pgmirror_fuzz: the reason must stay one line */
	{ "size with a newline", pgmt_params("64M\nX", "NORMAL:*"),
	  "size= has a non-printable character at offset 3" },
	{ "zones with a control byte", pgmt_params("64M", "NORMAL:\x01"),
	  "zones= has a non-printable character at offset 7" },
	{ "size U64_MAX", pgmt_params("18446744073709551615", "NORMAL:*"),
	  "multiple of pages" },
	{ "no size", pgmt_params(NULL, "NORMAL:*"), "non-zero" },
	{ "zones missing", pgmt_params("64M", NULL), "expected NAME:SIZE" },
	{ "zones out of order", pgmt_params("64M", "NORMAL:*,DMA:4096"),
	  "expected NAME:SIZE" },
	{ "zone size empty", pgmt_params("64M", "DMA:,NORMAL:*"),
	  "expected NAME:SIZE" },
	{ "two stars", pgmt_params("64M", "DMA:*,NORMAL:*"),
	  "expected NAME:SIZE" },
	/* A long one is quoted short: the whole reason fits the status */
	{ "zones long and wrong",
	  pgmt_params("64M", "DMA:4096,DMA32:4096,NORMAL:4096,MOVABLE:4096,XX:1"),
	  "in order, at most one '*'" },
	{ "nodes 0", { .size = "64M", .nodes = 0, .zones = "NORMAL:*" },
	  "nodes=0 is outside 1..4" },
	{ "nodes 4294967295",
	  { .size = "64M", .nodes = UINT_MAX, .zones = "NORMAL:*" },
	  "nodes=4294967295 is outside 1..4" },
	{ "uneven split", { .size = "12K", .nodes = 4, .zones = "NORMAL:*" },
	  "does not split evenly" },
	{ "distance count", { .size = "64M", .nodes = 2, .zones = "NORMAL:*",
			      .distance = pgmt_distance3, .nr_distance = 3 },
	  "needs 4 values for 2 nodes, got 3" },
	{ "cma larger than size",
	  { .size = "64M", .nodes = 1, .zones = "NORMAL:*", .cma = "128M" },
	  "not a size within size=" },
	{ "cma wraps",
	  { .size = "64M", .nodes = 1, .zones = "NORMAL:*", .cma = "16E" },
	  "not a size within size=" },
	{ "transparent_hugepage unknown",
	  { .size = "64M", .nodes = 1, .zones = "NORMAL:*",
	    .transparent_hugepage = "sometimes" },
	  "transparent_hugepage=sometimes: always, madvise or never" },
	{ "transparent_hugepage control character",
	  { .size = "64M", .nodes = 1, .zones = "NORMAL:*",
	    .transparent_hugepage = "always\x7f" },
	  "transparent_hugepage= has a non-printable character at offset 6" },
	{ "ratio count",
	  { .size = "64M", .nodes = 1, .zones = "NORMAL:*",
	    .lowmem_reserve_ratio = pgmt_ratio, .nr_lowmem_reserve_ratio = 5 },
	  "takes at most 4 values" },
};

static void pgmt_params_desc(const struct pgmt_params_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pgmt_params_bad, pgmt_params_bad, pgmt_params_desc);

static void pgm_robust_params_bad(struct kunit *test)
{
	const struct pgmt_params_case *c = test->param_value;
	struct pgm_topology *topo;
	char err[PGM_STATUS_LEN] = "";
	u64 bytes = 7;

	topo = kunit_kzalloc(test, sizeof(*topo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, topo);
	KUNIT_EXPECT_EQ(test, pgm_parse_params(&c->p, topo, &bytes, err,
					       sizeof(err)), -EINVAL);
	KUNIT_EXPECT_EQ(test, bytes, 7);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(err, c->reason), "reason: %s",
				  err);
	KUNIT_EXPECT_NULL(test, strchr(err, '\n'));
	/* Room for the status line's "error: EINVAL: " in front */
	KUNIT_EXPECT_LT_MSG(test, strlen(err) + sizeof("error: EINVAL: ") - 1,
			    (size_t)PGM_STATUS_LEN - 1, "reason: %s", err);
}

/*
 * A size past an instance's PGM_MAX_NR_PAGES is named as the user wrote
 * it, E2BIG, before the zones' checks would speak of its pages: exactly
 * the limit parses, one page more does not.
 */
static void pgm_robust_params_too_big(struct kunit *test)
{
	struct pgm_params p = { .nodes = 1, .zones = "NORMAL:*" };
	char size[32], err[PGM_STATUS_LEN] = "";
	struct pgm_topology *topo;
	u64 bytes = 0;

	topo = kunit_kzalloc(test, sizeof(*topo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, topo);
	p.size = size;
	snprintf(size, sizeof(size), "%llu",
		 (u64)PGM_MAX_NR_PAGES << PAGE_SHIFT);
	KUNIT_EXPECT_EQ_MSG(test, pgm_parse_params(&p, topo, &bytes, err,
						   sizeof(err)), 0, "%s", err);
	KUNIT_EXPECT_EQ(test, bytes, (u64)PGM_MAX_NR_PAGES << PAGE_SHIFT);
	snprintf(size, sizeof(size), "%llu",
		 ((u64)PGM_MAX_NR_PAGES + 1) << PAGE_SHIFT);
	bytes = 7;
	KUNIT_EXPECT_EQ(test, pgm_parse_params(&p, topo, &bytes, err,
					       sizeof(err)), -E2BIG);
	KUNIT_EXPECT_EQ(test, bytes, 7);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(err, "more than an instance's"),
				  "reason: %s", err);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(err, size), "reason: %s", err);
}

/* A good set comes out exactly as written */
static void pgm_robust_params_good(struct kunit *test)
{
	static const int dist[4] = { 10, 30, 30, 10 };
	static const int ratio[PGM_MAX_NR_ZONES] = { INT_MAX, 1, 0, 7 };
	const struct pgm_params p = {
		.size = "128M", .nodes = 2, .zones = "DMA:4M,DMA32:2048,NORMAL:*",
		.distance = dist, .nr_distance = 4, .cma = "4M",
		.min_free_kbytes = 1024, .watermark_scale_factor = 3000,
		.watermark_boost_factor = 0, .lowmem_reserve_ratio = ratio,
		.nr_lowmem_reserve_ratio = PGM_MAX_NR_ZONES, .nr_cpus = 3,
	};
	struct pgm_topology *topo;
	char err[PGM_STATUS_LEN] = "";
	unsigned int n;
	u64 bytes = 0;

	topo = kunit_kzalloc(test, sizeof(*topo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, topo);
	KUNIT_ASSERT_EQ_MSG(test, pgm_parse_params(&p, topo, &bytes, err,
						   sizeof(err)), 0, "%s", err);
	KUNIT_EXPECT_EQ(test, bytes, 128ULL << 20);
	KUNIT_EXPECT_EQ(test, topo->nr_nodes, 2);
	KUNIT_EXPECT_EQ(test, topo->nr_cpus, 3);
	for (n = 0; n < 2; n++) {
		/* 64 MiB a node: 1024 + 2048 + the rest of 16384 pages */
		KUNIT_EXPECT_EQ(test, topo->zone_pages[n][PGM_ZONE_DMA], 1024);
		KUNIT_EXPECT_EQ(test, topo->zone_pages[n][PGM_ZONE_DMA32], 2048);
		KUNIT_EXPECT_EQ(test, topo->zone_pages[n][PGM_ZONE_NORMAL],
				16384 - 1024 - 2048);
		KUNIT_EXPECT_EQ(test, topo->zone_pages[n][PGM_ZONE_MOVABLE], 0);
	}
	KUNIT_EXPECT_EQ(test, topo->distance[0][1], 30);
	KUNIT_EXPECT_EQ(test, topo->distance[1][1], 10);
	KUNIT_EXPECT_EQ(test, topo->cma_pages, 1024);
	/* Unset: a kernel built without THP */
	KUNIT_EXPECT_EQ(test, topo->tun.transparent_hugepage, PGM_THP_NONE);
	KUNIT_EXPECT_EQ(test, topo->tun.min_free_kbytes, 1024);
	KUNIT_EXPECT_EQ(test, topo->tun.watermark_scale_factor, 3000);
	KUNIT_EXPECT_EQ(test, topo->tun.watermark_boost_factor, 0);
	KUNIT_EXPECT_EQ(test, topo->tun.lowmem_reserve_ratio[0], INT_MAX);
	KUNIT_EXPECT_EQ(test, topo->tun.lowmem_reserve_ratio[3], 7);
}

/* ========================= instance size ========================= */

static void pgmt_expect_create_fails(struct kunit *test,
				     const struct pgm_topology *topo, int errno,
				     const char *reason)
{
	char err[PGM_STATUS_LEN] = "";
	struct pgm_instance *inst;

	inst = pgm_instance_create("pgmt", topo, NULL, err, sizeof(err));
	KUNIT_EXPECT_TRUE(test, IS_ERR(inst));
	if (!IS_ERR(inst)) {
		pgm_instance_destroy(inst);
		return;
	}
	KUNIT_EXPECT_EQ(test, PTR_ERR(inst), (long)errno);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(err, reason), "reason: %s", err);
}

/* Zone sizes that wrap when added never reach the memmap */
static void pgm_robust_create_wrap(struct kunit *test)
{
	struct pgm_topology *topo;

	topo = kunit_kzalloc(test, sizeof(*topo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, topo);
	pgm_topology_default(topo);
	/* 2^63 + 2^63 + 16384 wraps to 16384, a plausible 64 MiB */
	topo->zone_pages[0][PGM_ZONE_DMA] = 1UL << 63;
	topo->zone_pages[0][PGM_ZONE_DMA32] = 1UL << 63;
	topo->zone_pages[0][PGM_ZONE_NORMAL] = 16384;
	pgmt_expect_create_fails(test, topo, -E2BIG, "add up to more than");

	/* Per node each is fine; the nodes together wrap */
	pgm_topology_default(topo);
	topo->nr_nodes = 2;
	topo->zone_pages[0][PGM_ZONE_NORMAL] = 1UL << 63;
	topo->zone_pages[1][PGM_ZONE_NORMAL] = 1UL << 63;
	pgmt_expect_create_fails(test, topo, -E2BIG, "add up to more than");

	/* One pageblock over the pfn limit */
	pgm_topology_default(topo);
	topo->zone_pages[0][PGM_ZONE_NORMAL] = PGM_MAX_NR_PAGES +
					       PGM_PAGEBLOCK_NR_PAGES;
	pgmt_expect_create_fails(test, topo, -E2BIG, "add up to more than");
}

/* Metadata the host cannot spare is refused before it is asked for */
static void pgm_robust_create_metadata(struct kunit *test)
{
	/* As many pages as make a memmap the size of the host's RAM */
	unsigned long pages = totalram_pages() *
			      (PAGE_SIZE / sizeof(struct pgm_page));
	struct pgm_topology *topo;

	topo = kunit_kzalloc(test, sizeof(*topo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, topo);
	pgm_topology_default(topo);
	topo->zone_pages[0][PGM_ZONE_NORMAL] = ALIGN(pages,
						     PGM_PAGEBLOCK_NR_PAGES);
	pgmt_expect_create_fails(test, topo, -E2BIG, "more than half");
}

/* ========================= backing ========================= */

/* The second crash line: size=17179869248M borrowed */
static void pgm_robust_borrow_huge(struct kunit *test)
{
	char err[PGM_STATUS_LEN] = "";
	struct pgm_backing b;
	u64 bytes;

	KUNIT_ASSERT_EQ(test, pgm_parse_size("17179869248M", &bytes), 0);
	KUNIT_EXPECT_EQ(test, pgm_backing_borrow(&b, bytes, err, sizeof(err)),
			-E2BIG);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(err, "more than the host's"),
				  "reason: %s", err);
	KUNIT_EXPECT_NULL(test, b.chunks);
	KUNIT_EXPECT_EQ(test, b.nr_pages, 0);

	/* One chunk more than the host has, the smallest refusal */
	bytes = ((u64)totalram_pages() << PAGE_SHIFT) +
		((u64)PAGE_SIZE << min(PGM_MAX_PAGE_ORDER, MAX_PAGE_ORDER));
	bytes = round_down(bytes, (u64)PAGE_SIZE <<
			   min(PGM_MAX_PAGE_ORDER, MAX_PAGE_ORDER));
	KUNIT_EXPECT_EQ(test, pgm_backing_borrow(&b, bytes, err, sizeof(err)),
			-E2BIG);
}

/*
 * Within the host's RAM but past what it has available: refused before a
 * page is lent, ENOMEM with the reason, rather than reclaim and OOM kills
 * elsewhere. Two chunks past MemAvailable, in case it moves meanwhile.
 * A host with nearly all its RAM available (a fresh UML boot) first
 * lends the test four chunks of its own, so that there is room.
 */
static void pgm_robust_borrow_unavailable(struct kunit *test)
{
	unsigned int order = min(PGM_MAX_PAGE_ORDER, MAX_PAGE_ORDER), i;
	u64 chunk = (u64)PAGE_SIZE << order;
	u64 total = (u64)totalram_pages() << PAGE_SHIFT;
	char err[PGM_STATUS_LEN] = "";
	struct page *held[4] = { };
	struct pgm_backing b;
	u64 bytes = 0;

	for (i = 0; i <= ARRAY_SIZE(held); i++) {
		bytes = round_up(((u64)si_mem_available() << PAGE_SHIFT) +
				 2 * chunk, chunk);
		if (bytes <= total || i == ARRAY_SIZE(held))
			break;
		held[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	}
	if (bytes <= total) {
		KUNIT_EXPECT_EQ(test, pgm_backing_borrow(&b, bytes, err,
							 sizeof(err)),
				-ENOMEM);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(err, "has available"),
					  "reason: %s", err);
		KUNIT_EXPECT_NULL(test, b.chunks);
		KUNIT_EXPECT_EQ(test, b.nr_pages, 0);
	}
	for (i = 0; i < ARRAY_SIZE(held); i++)
		if (held[i])
			__free_pages(held[i], order);
	if (bytes > total)
		kunit_skip(test, "MemAvailable is within two chunks of MemTotal");
}

/*
 * A stretch of physical address space no resource covers, so the test can
 * lay its own resources there; 0 when there is none.
 */
static resource_size_t pgmt_free_phys(resource_size_t size)
{
	static const u64 candidates[] = {
		0xf000000000ULL, 0x7f00000000ULL, 0x3f00000000ULL,
		0x1f00000000ULL,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(candidates); i++) {
		resource_size_t start = candidates[i];

		if (start + size - 1 > iomem_resource.end)
			continue;
		if (region_intersects(start, size, IORESOURCE_MEM,
				      IORES_DESC_NONE) == REGION_DISJOINT &&
		    region_intersects(start, size, IORESOURCE_MEM,
				      IORES_DESC_RESERVED) == REGION_DISJOINT)
			return start;
	}
	return 0;
}

struct pgmt_res_ctx {
	struct resource bar;
	struct resource reserved;
	resource_size_t base;
};

static void pgmt_res_exit(void *data)
{
	struct pgmt_res_ctx *c = data;

	if (c->bar.parent)
		release_resource(&c->bar);
	if (c->reserved.parent)
		release_resource(&c->reserved);
}

#define PGMT_SZ_2M	(2ULL << 20)

/*
 * Lays out, at a free stretch: [0, 2M) nothing, [2M, 6M) a device BAR,
 * [8M, 12M) a reservation as memmap= makes one.
 */
static struct pgmt_res_ctx *pgmt_res_setup(struct kunit *test)
{
	struct pgmt_res_ctx *c;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->base = pgmt_free_phys(16 * PGMT_SZ_2M);
	if (!c->base)
		kunit_skip(test, "no free physical range to lay test resources in");

	c->bar = DEFINE_RES_MEM_NAMED(c->base + PGMT_SZ_2M, 2 * PGMT_SZ_2M,
				      "pgmt-bar");
	c->reserved = DEFINE_RES_MEM_NAMED(c->base + 4 * PGMT_SZ_2M,
					   2 * PGMT_SZ_2M, "Reserved");
	c->reserved.desc = IORES_DESC_RESERVED;
	KUNIT_ASSERT_EQ(test, insert_resource(&iomem_resource, &c->bar), 0);
	KUNIT_ASSERT_EQ(test, insert_resource(&iomem_resource, &c->reserved),
			0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, pgmt_res_exit, c),
			0);
	return c;
}

static void pgmt_expect_carveout_busy(struct kunit *test,
				      struct pgmt_res_ctx *c,
				      resource_size_t base, u64 size,
				      const char *reason)
{
	char err[PGM_STATUS_LEN] = "";
	struct pgm_backing b;

	KUNIT_EXPECT_EQ(test, pgm_backing_carveout(&b, base, size, err,
						   sizeof(err)), -EBUSY);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(err, reason), "reason: %s", err);
	KUNIT_EXPECT_NULL(test, b.res);
	KUNIT_EXPECT_NULL(test, b.vaddr);
	/* Nothing claimed is left behind */
	KUNIT_EXPECT_NULL(test, c->bar.child);
	KUNIT_EXPECT_NULL(test, c->reserved.child);
}

/* A hole: no resource at all behind the range */
static void pgm_robust_carveout_hole(struct kunit *test)
{
	struct pgmt_res_ctx *c = pgmt_res_setup(test);
	struct resource *probe;

	pgmt_expect_carveout_busy(test, c, c->base, PGMT_SZ_2M,
				  "not inside a reserved range");
	/*
	 * The claim made there before the check went right under
	 * iomem_resource, where neither of ours sees it: the range must be
	 * free to claim again
	 */
	probe = request_mem_region(c->base, PGMT_SZ_2M, "pgmt-probe");
	KUNIT_EXPECT_NOT_NULL(test, probe);
	if (probe)
		release_mem_region(c->base, PGMT_SZ_2M);
	/* Half reservation, half hole: the claim itself fails */
	pgmt_expect_carveout_busy(test, c, c->base + 5 * PGMT_SZ_2M,
				  2 * PGMT_SZ_2M, "conflicts with");
}

/* A device's BAR, as QEMU's VGA framebuffer at 0xfd000000 */
static void pgm_robust_carveout_device(struct kunit *test)
{
	struct pgmt_res_ctx *c = pgmt_res_setup(test);

	pgmt_expect_carveout_busy(test, c, c->base + PGMT_SZ_2M, PGMT_SZ_2M,
				  "lies in 'pgmt-bar'");
	pgmt_expect_carveout_busy(test, c, c->base + PGMT_SZ_2M,
				  2 * PGMT_SZ_2M, "lies in 'pgmt-bar'");
	/* Straddling the BAR's end is refused by the claim itself */
	pgmt_expect_carveout_busy(test, c, c->base + 2 * PGMT_SZ_2M,
				  2 * PGMT_SZ_2M, "conflicts with");
}

/*
 * Inside the reservation the claim passes; mapping is the arch's to do. On
 * x86 the range must be RAM in the firmware's own map, as memmap='s is:
 * this one, a hole the test reserved, is refused and its claim let go.
 */
static void pgm_robust_carveout_reserved(struct kunit *test)
{
	struct pgmt_res_ctx *c = pgmt_res_setup(test);
	char err[PGM_STATUS_LEN] = "";
	struct pgm_backing b;
	int ret;

	if (IS_ENABLED(CONFIG_X86)) {
		pgmt_expect_carveout_busy(test, c, c->base + 4 * PGMT_SZ_2M,
					  PGMT_SZ_2M,
					  "not all RAM in the firmware's memory map");
		return;
	}
	ret = pgm_backing_carveout(&b, c->base + 4 * PGMT_SZ_2M, PGMT_SZ_2M,
				   err, sizeof(err));
	if (ret) {
		/* UML has no iomem to map; the claim was made and let go */
		KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "%s", err);
		KUNIT_EXPECT_NOT_NULL(test, strstr(err, "cannot be mapped"));
	} else {
		KUNIT_EXPECT_PTR_EQ(test, c->reserved.child, b.res);
		KUNIT_EXPECT_EQ(test, b.nr_pages, PGMT_SZ_2M >> PAGE_SHIFT);
		pgm_backing_release(&b);
	}
	KUNIT_EXPECT_NULL(test, c->reserved.child);
}

/* ========================= command keys at their limits ========================= */

/* The field an accepted edge must land in, whole */
enum pgmt_edge_field {
	PGMT_EDGE_NONE,
	PGMT_EDGE_COUNT,
	PGMT_EDGE_HANDLE,
	PGMT_EDGE_RATIO0,
	PGMT_EDGE_SETVAL,
};

struct pgmt_cmd_edge {
	const char *line;
	int ret;
	enum pgmt_edge_field field;
	long long want;
};

static const struct pgmt_cmd_edge pgmt_cmd_edges[] = {
	{ "alloc count=65536", 0, PGMT_EDGE_COUNT, 65536 },
	{ "alloc count=65537", -EINVAL },
	{ "alloc count=4294967295", -EINVAL },
	{ "alloc count=4294967296", -EINVAL },
	{ "alloc count=18446744073709551616", -EINVAL },
	{ "alloc order=4294967296", -EINVAL },
	{ "alloc nid=2147483648", -EINVAL },
	{ "free handle=4294967295", 0, PGMT_EDGE_HANDLE, 4294967295LL },
	{ "free handle=4294967296", -EINVAL },
	{ "free handle=18446744073709551615", -EINVAL },
	{ "free handle=18446744073709551616", -EINVAL },
	/* proc_dointvec_minmax: INT_MAX is the largest a sysctl int takes */
	{ "set lowmem_reserve_ratio=2147483647,2147483647,2147483647,2147483647", 0,
	  PGMT_EDGE_RATIO0, INT_MAX },
	{ "set lowmem_reserve_ratio=2147483648,256,32,0", -EINVAL },
	{ "set lowmem_reserve_ratio=4294967295,256,32,0", -EINVAL },
	{ "set lowmem_reserve_ratio=18446744073709551615,256,32,0", -EINVAL },
	{ "set lowmem_reserve_ratio=-2147483648,256,32,0", 0, PGMT_EDGE_RATIO0,
	  INT_MIN },
	{ "set lowmem_reserve_ratio=-2147483649,256,32,0", -EINVAL },
	{ "set watermark_boost_factor=2147483647", 0, PGMT_EDGE_SETVAL, INT_MAX },
	{ "set watermark_boost_factor=2147483648", -EINVAL },
	{ "set watermark_scale_factor=2147483647", -EINVAL },
	{ "set watermark_scale_factor=-2147483648", -EINVAL },
	{ "set watermark_scale_factor=-2147483649", -EINVAL },
	{ "set min_free_kbytes=2147483647", 0, PGMT_EDGE_SETVAL, INT_MAX },
	{ "set min_free_kbytes=2147483648", -EINVAL },
	{ "set percpu_pagelist_high_fraction=2147483647", 0, PGMT_EDGE_SETVAL,
	  INT_MAX },
	{ "set dirty_ratio=4294967396", -EINVAL },
	{ "set compaction_proactiveness=2147483647", -EINVAL },
	{ "set extfrag_threshold=2147483647", -EINVAL },
	{ "set pcp_high=2147483647", -EINVAL },
	{ "set claim_threshold=2147483647", -EINVAL },
	{ "alloc_contig pages=18446744073709551616", -EINVAL },
	{ "compact nid=2147483648", -EINVAL },
	{ "owner create name=a oom_score_adj=4294966296", -EINVAL },
	{ "owner create name=a oom_score_adj=-2147483649", -EINVAL },
};

static void pgmt_cmd_edge_desc(const struct pgmt_cmd_edge *c, char *desc)
{
	strscpy(desc, c->line, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pgmt_cmd_edge, pgmt_cmd_edges, pgmt_cmd_edge_desc);

static void pgm_robust_cmd_edges(struct kunit *test)
{
	const struct pgmt_cmd_edge *c = test->param_value;
	char err[PGM_STATUS_LEN] = "";
	struct pgm_cmd cmd;
	long long got = 0;

	KUNIT_EXPECT_EQ_MSG(test, pgm_parse_cmd(c->line, strlen(c->line), 2,
						&cmd, err, sizeof(err)),
			    c->ret, "%s", err);
	if (c->ret) {
		KUNIT_EXPECT_GT(test, strlen(err), 0);
		return;
	}
	switch (c->field) {
	case PGMT_EDGE_NONE:
		return;
	case PGMT_EDGE_COUNT:
		got = cmd.alloc.count;
		break;
	case PGMT_EDGE_HANDLE:
		got = cmd.free.handle;
		break;
	case PGMT_EDGE_RATIO0:
		got = cmd.set.ratio[0];
		KUNIT_EXPECT_EQ(test, cmd.set.nr_ratio, 4U);
		break;
	case PGMT_EDGE_SETVAL:
		got = cmd.set.val;
		break;
	}
	KUNIT_EXPECT_EQ(test, got, c->want);
}

/* The largest ratio reaches the reserve arithmetic without overflow */
static void pgm_robust_lowmem_ratio_max(struct kunit *test)
{
	int ratio[PGM_MAX_NR_ZONES] = { INT_MAX, INT_MAX, INT_MAX, INT_MAX };
	struct pgm_topology *topo;
	struct pgm_instance *inst;
	char err[PGM_STATUS_LEN];
	struct pgm_zone *dma;

	topo = kunit_kzalloc(test, sizeof(*topo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, topo);
	pgm_topology_default(topo);
	topo->zone_pages[0][PGM_ZONE_DMA] = 4 * PGM_PAGEBLOCK_NR_PAGES;
	topo->zone_pages[0][PGM_ZONE_NORMAL] = 60 * PGM_PAGEBLOCK_NR_PAGES;
	inst = pgm_instance_create("pgmt", topo, NULL, err, sizeof(err));
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(inst), "%s", err);
	KUNIT_EXPECT_EQ(test, pgm_set_lowmem_reserve_ratio(inst, ratio,
							   PGM_MAX_NR_ZONES), 0);
	dma = &inst->node_data[0].node_zones[PGM_ZONE_DMA];
	/* 30720 Normal pages / INT_MAX: setup_per_zone_lowmem_reserve() gives 0 */
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[PGM_ZONE_NORMAL], 0);
	KUNIT_EXPECT_EQ(test, inst->tun.lowmem_reserve_ratio[PGM_ZONE_DMA],
			INT_MAX);
	pgm_instance_destroy(inst);
}

/* ========================= create and destroy lines ========================= */

struct pgmt_create_case {
	const char *line;
	int ret;
};

static const struct pgmt_create_case pgmt_create_cases[] = {
	{ "create name=a size=64M", 0 },
	{ "destroy name=a", 0 },
	{ "create name=a size=64G backing=none nodes=4", 0 },
	{ "create name=a size=16M base=0x40000000", 0 },
	{ "create name=a size=16M backing=carveout base=0x40000000", 0 },
	{ "create name=a size=16M backing=borrow base=0x40000000", -EINVAL },
	{ "create name=a size=16M backing=carveout", -EINVAL },
	{ "create name=a size=16M backing=floppy", -EINVAL },
	{ "create size=16M", -EINVAL },
	{ "create name=a", -EINVAL },
	{ "create name=a size=16M size=32M", -EINVAL },
	{ "create name=a size=16M colour=red", -EINVAL },
	{ "create name=a size=16M nodes=-1", -EINVAL },
	{ "create name=a size=16M nodes=4294967296", -EINVAL },
	/* 17 distances: more than four nodes can have */
	{ "create name=a size=16M distance=1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1",
	  -EINVAL },
	{ "create name=a size=16M lowmem_reserve_ratio=1,2,3,4,5", -EINVAL },
	{ "create name=a size=16M min_free_kbytes=2147483648", -EINVAL },
	{ "destroy name=a size=16M", -EINVAL },
	{ "destroy", -EINVAL },
	{ "make name=a size=16M", -EINVAL },
	{ "", -EINVAL },
};

static void pgmt_create_desc(const struct pgmt_create_case *c, char *desc)
{
	strscpy(desc, c->line[0] ? c->line : "(empty)", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pgmt_create, pgmt_create_cases, pgmt_create_desc);

static void pgm_robust_create_lines(struct kunit *test)
{
	const struct pgmt_create_case *c = test->param_value;
	char err[PGM_STATUS_LEN] = "";
	struct pgm_create *cr;

	cr = kunit_kzalloc(test, sizeof(*cr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cr);
	KUNIT_EXPECT_EQ_MSG(test, pgm_parse_create(c->line, strlen(c->line),
						   cr, err, sizeof(err)),
			    c->ret, "%s", err);
	if (c->ret)
		KUNIT_EXPECT_GT(test, strlen(err), 0);
}

/* Every key lands where the module parameter of that name would */
static void pgm_robust_create_fields(struct kunit *test)
{
	static const char * const keys[] = {
		"create name=ab size=128M backing=none nodes=2",
		"zones=DMA:4M,NORMAL:* distance=10,30,30,10 cma=4M nr_cpus=3",
		"min_free_kbytes=1024 watermark_scale_factor=3000",
		"watermark_boost_factor=0 lowmem_reserve_ratio=1,2,3,4",
		"transparent_hugepage=madvise",
	};
	char line[PGM_CMD_MAX_LEN] = "", err[PGM_STATUS_LEN] = "";
	unsigned int i;
	struct pgm_topology *topo;
	struct pgm_create *c;
	u64 bytes;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	topo = kunit_kzalloc(test, sizeof(*topo), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, c && topo);
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		strlcat(line, keys[i], sizeof(line));
		strlcat(line, " ", sizeof(line));
	}
	KUNIT_ASSERT_EQ_MSG(test, pgm_parse_create(line, strlen(line), c,
						   err, sizeof(err)), 0,
			    "%s", err);
	KUNIT_EXPECT_FALSE(test, c->destroy);
	KUNIT_EXPECT_STREQ(test, c->name, "ab");
	KUNIT_EXPECT_EQ(test, c->backing, PGM_BACKING_NONE);
	KUNIT_EXPECT_NULL(test, c->base);
	KUNIT_ASSERT_EQ_MSG(test, pgm_parse_params(&c->params, topo, &bytes,
						   err, sizeof(err)), 0,
			    "%s", err);
	KUNIT_EXPECT_EQ(test, bytes, 128ULL << 20);
	KUNIT_EXPECT_EQ(test, topo->nr_nodes, 2);
	KUNIT_EXPECT_EQ(test, topo->zone_pages[1][PGM_ZONE_DMA], 1024UL);
	KUNIT_EXPECT_EQ(test, topo->zone_pages[1][PGM_ZONE_NORMAL], 15360UL);
	KUNIT_EXPECT_EQ(test, topo->distance[0][1], 30);
	KUNIT_EXPECT_EQ(test, topo->cma_pages, 1024UL);
	KUNIT_EXPECT_EQ(test, topo->nr_cpus, 3);
	KUNIT_EXPECT_EQ(test, topo->tun.min_free_kbytes, 1024);
	KUNIT_EXPECT_EQ(test, topo->tun.watermark_scale_factor, 3000);
	KUNIT_EXPECT_EQ(test, topo->tun.watermark_boost_factor, 0);
	KUNIT_EXPECT_EQ(test, topo->tun.lowmem_reserve_ratio[3], 4);
	KUNIT_EXPECT_EQ(test, topo->tun.transparent_hugepage, PGM_THP_MADVISE);
}

/* ========================= metadata allocation failures ========================= */

/* Fail each of the instance's own allocations in turn: -ENOMEM, no leak */
static void pgm_robust_meta_create(struct kunit *test)
{
	struct pgm_topology *topo;
	struct pgm_instance *inst;
	unsigned int n, failures = 0;
	char err[PGM_STATUS_LEN];
	long live;

	topo = kunit_kzalloc(test, sizeof(*topo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, topo);
	pgm_topology_default(topo);
	topo->nr_nodes = 2;
	topo->nr_cpus = 2;
	for (n = 0; n < 2; n++) {
		topo->zone_pages[n][PGM_ZONE_DMA] = PGM_PAGEBLOCK_NR_PAGES;
		topo->zone_pages[n][PGM_ZONE_NORMAL] = 3 * PGM_PAGEBLOCK_NR_PAGES;
	}
	topo->cma_pages = PGM_PAGEBLOCK_NR_PAGES;

	for (n = 1; n < 100; n++) {
		live = pgm_meta_nr_live();
		err[0] = '\0';
		pgm_meta_fail_nth(n);
		inst = pgm_instance_create("pgmt", topo, NULL, err, sizeof(err));
		pgm_meta_fail_nth(0);
		if (!IS_ERR(inst)) {
			/* n is past the last site: the create went through */
			pgm_instance_destroy(inst);
			KUNIT_EXPECT_EQ(test, pgm_meta_nr_live(), live);
			break;
		}
		failures++;
		KUNIT_EXPECT_EQ(test, PTR_ERR(inst), -ENOMEM);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(err, "out of memory"),
					  "site %u: %s", n, err);
		KUNIT_EXPECT_EQ_MSG(test, pgm_meta_nr_live(), live,
				    "site %u leaked", n);
	}
	KUNIT_EXPECT_LT(test, n, 100);
	/* The instance, its memmap and pageblock bits, a pcp set per zone */
	KUNIT_EXPECT_GE(test, failures, 3 + 2 * PGM_MAX_NR_ZONES);
}

/* Owner create fails cleanly at either of its allocations */
static void pgm_robust_meta_owner(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_owner *o;
	unsigned int n;
	long live;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGM_PAGEBLOCK_NR_PAGES, 0);
	inst = pgmt_create(test, &topo);
	for (n = 1; n < 10; n++) {
		live = pgm_meta_nr_live();
		pgm_meta_fail_nth(n);
		o = pgm_owner_create(inst, "web", NULL, 0);
		pgm_meta_fail_nth(0);
		if (!IS_ERR(o))
			break;
		KUNIT_EXPECT_EQ(test, PTR_ERR(o), -ENOMEM);
		KUNIT_EXPECT_EQ(test, pgm_meta_nr_live(), live);
		KUNIT_EXPECT_TRUE(test, xa_empty(&inst->owners));
	}
	KUNIT_ASSERT_FALSE(test, IS_ERR(o));
	KUNIT_EXPECT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, pgm_owner_destroy(inst, o), 0);
	KUNIT_EXPECT_EQ(test, pgm_meta_nr_live(), live);
}

/*
 * A control write of many handles, with one metadata allocation failing
 * at every position in turn: what was made is freed whole, and the pages
 * and metadata all come back.
 */
struct pgmt_second_writer {
	struct pgm_instance *inst;
	struct completion done;
	bool locked;
};

/* A second control write taking iface_lock shared, on its own task */
static int pgmt_second_writer(void *data)
{
	struct pgmt_second_writer *s = data;
	struct pgm_iface_writer w;

	pgmt_writer_begin(s->inst, &w, true);
	s->locked = pgm_iface_holder(s->inst);
	pgmt_writer_end(s->inst, &w);
	complete(&s->done);
	return 0;
}

/* One of the writers pgm_robust_writer_buckets() has in progress at once */
struct pgmt_bucket_writer {
	struct pgm_instance *inst;
	struct completion added;	/* its record is in */
	struct completion *go;		/* the test's: look it up, then leave */
	struct completion done;
	bool found_self;
	bool gone;
};

static int pgmt_bucket_writer(void *data)
{
	struct pgmt_bucket_writer *b = data;
	struct pgm_iface_writer w = { };

	pgm_iface_writer_add(b->inst, &w);
	complete(&b->added);
	wait_for_completion(b->go);
	b->found_self = pgm_iface_current(b->inst) == &w;
	pgm_iface_writer_del(b->inst, &w);
	b->gone = !pgm_iface_current(b->inst);
	complete(&b->done);
	return 0;
}

/*
 * Control writes in progress are hashed by task into PGM_IFACE_BUCKETS
 * lists. With one writer more than there are buckets two share a list,
 * and each still finds its own record, then none once it has left; a
 * task that writes nothing finds none, and every list ends empty.
 */
static void pgm_robust_writer_buckets(struct kunit *test)
{
	const int n = PGM_IFACE_BUCKETS + 1;
	struct pgmt_bucket_writer *b;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	int i, started = 0, longest = 0;
	struct completion go;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGM_PAGEBLOCK_NR_PAGES, 0);
	inst = pgmt_create(test, &topo);
	b = kunit_kcalloc(test, n, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	init_completion(&go);
	for (i = 0; i < n; i++) {
		struct task_struct *t;

		b[i].inst = inst;
		b[i].go = &go;
		init_completion(&b[i].added);
		init_completion(&b[i].done);
		t = kthread_run(pgmt_bucket_writer, &b[i], "pgmt_bw%d", i);
		if (IS_ERR(t))
			break;
		wait_for_completion(&b[i].added);
		started++;
	}
	for (i = 0; i < PGM_IFACE_BUCKETS; i++) {
		struct pgm_iface_bucket *bucket = &inst->iface_writers[i];
		struct pgm_iface_writer *w;
		int len = 0;

		spin_lock(&bucket->lock);
		hlist_for_each_entry(w, &bucket->writers, node)
			len++;
		spin_unlock(&bucket->lock);
		longest = max(longest, len);
	}
	KUNIT_EXPECT_NULL(test, pgm_iface_current(inst));
	complete_all(&go);
	for (i = 0; i < started; i++) {
		wait_for_completion(&b[i].done);
		KUNIT_EXPECT_TRUE_MSG(test, b[i].found_self, "writer %d", i);
		KUNIT_EXPECT_TRUE_MSG(test, b[i].gone, "writer %d", i);
	}
	KUNIT_ASSERT_EQ(test, started, n);
	KUNIT_EXPECT_GE(test, longest, 2);
	for (i = 0; i < PGM_IFACE_BUCKETS; i++)
		KUNIT_EXPECT_TRUE(test,
				  hlist_empty(&inst->iface_writers[i].writers));
}

/* Reclaim's claim on @a, on node 0's LRU, under lru_lock as reclaim takes it */
static bool pgmt_reclaim_claim(struct pgm_instance *inst, struct pgm_alloc *a)
{
	struct pgm_pglist_data *pgdat = &inst->node_data[0];
	bool claimed;

	spin_lock(&pgdat->lru_lock);
	claimed = pgm_handle_isolate(inst, pgdat, a, false, NULL);
	spin_unlock(&pgdat->lru_lock);
	return claimed;
}

/* A handle tagged @tag, made as a shared control write makes one */
static struct pgm_alloc *pgmt_tagged(struct kunit *test,
				     struct pgm_instance *inst,
				     const char *tag, u32 *id)
{
	struct pgm_alloc *a = pgm_alloc_create(inst, GFP_KERNEL, 0, 0, NULL,
					       PGM_KIND_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	strscpy(a->tag, tag, sizeof(a->tag));
	KUNIT_ASSERT_EQ(test, pgm_handle_add(inst, a, id), 0);
	return a;
}

/*
 * alloc and free writes hold iface_lock shared: a second writer gets it
 * while the first holds it, an exclusive taker does not. Of two claims
 * on one handle exactly one wins, free tag= skips a handle another
 * writer took, and a number reserved before its record is stored (as
 * pgm_handle_add() does) is nothing a free can take, nor a record stored
 * before its id is.
 */
static void pgm_robust_parallel_writers(struct kunit *test)
{
	struct pgmt_second_writer s = { };
	struct pgm_iface_writer w;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct task_struct *t;
	struct pgm_alloc *a, *rec;
	u32 ida, idb, idr;
	bool stopped;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGM_PAGEBLOCK_NR_PAGES, 0);
	inst = pgmt_create(test, &topo);
	s.inst = inst;
	init_completion(&s.done);

	pgmt_writer_begin(inst, &w, true);
	KUNIT_EXPECT_TRUE(test, pgm_iface_holder(inst));
	KUNIT_EXPECT_FALSE(test, down_write_trylock(&inst->iface_lock));
	t = kthread_run(pgmt_second_writer, &s, "pgmt_writer2");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	if (!wait_for_completion_timeout(&s.done, 60 * HZ)) {
		KUNIT_FAIL(test, "a second shared writer waited for the first");
		pgmt_writer_end(inst, &w);
		wait_for_completion(&s.done);
		return;
	}
	KUNIT_EXPECT_TRUE(test, s.locked);

	a = pgmt_tagged(test, inst, "x", &ida);
	pgmt_tagged(test, inst, "x", &idb);
	KUNIT_EXPECT_EQ(test, idb, ida + 1);
	KUNIT_EXPECT_PTR_EQ(test, pgm_handle_take(inst, ida), a);
	KUNIT_EXPECT_NULL(test, pgm_handle_take(inst, ida));
	/* Reclaim's claim, on the LRU it is still on, fails too */
	KUNIT_EXPECT_FALSE(test, pgmt_reclaim_claim(inst, a));
	KUNIT_EXPECT_EQ(test, pgm_handles_free(inst, "x", &stopped), 1UL);
	KUNIT_EXPECT_NULL(test, xa_load(&inst->handles, idb));
	KUNIT_EXPECT_EQ(test, pgm_handles_free(inst, "x", &stopped), 0UL);

	/* A number reserved, its record not stored yet: nothing to free */
	KUNIT_ASSERT_GE(test, xa_alloc_cyclic(&inst->handles, &idr, NULL,
					      XA_LIMIT(1, U32_MAX),
					      &inst->next_handle, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, idr, idb + 1);
	KUNIT_EXPECT_EQ(test, pgm_handles_free(inst, NULL, &stopped), 0UL);
	KUNIT_EXPECT_NULL(test, pgm_handle_take(inst, idr));

	/*
	 * A record stored, its id not yet written (pgm_handle_add() part
	 * way): the walk finds it and loses the claim, so it stays
	 */
	rec = pgm_alloc_create(inst, GFP_KERNEL, 0, 0, NULL, PGM_KIND_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_GE(test, xa_alloc_cyclic(&inst->handles, &idr, rec,
					      XA_LIMIT(1, U32_MAX),
					      &inst->next_handle, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, pgm_handles_free(inst, NULL, &stopped), 0UL);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&inst->handles, idr), rec);
	KUNIT_EXPECT_PTR_EQ(test, xa_erase(&inst->handles, idr), rec);
	pgm_alloc_release(inst, rec);
	pgm_alloc_release(inst, a);
	pgmt_writer_end(inst, &w);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* The raw slot of handle @id: a record, XA_ZERO_ENTRY (reserved) or NULL */
static void *pgmt_handle_slot(struct pgm_instance *inst, u32 id)
{
	XA_STATE(xas, &inst->handles, id);
	void *entry;

	rcu_read_lock();
	entry = xas_load(&xas);
	rcu_read_unlock();
	return entry;
}

/*
 * A record a walker found under rcu_read_lock() stays readable when
 * another writer frees it meanwhile: the free sees the walker's count
 * and waits for a grace period, where without a walker it would go
 * straight back to the cache (KASAN, in the sanitizer run, reports the
 * read below if it did).
 */
static void pgm_robust_walker_keeps_record(struct kunit *test)
{
	struct pgm_alloc *a, *found;
	struct pgm_iface_writer w;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	unsigned long idx = 0;
	u32 id;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGM_PAGEBLOCK_NR_PAGES, 0);
	inst = pgmt_create(test, &topo);
	pgmt_writer_begin(inst, &w, true);
	a = pgmt_tagged(test, inst, "walked", &id);

	pgm_handle_walk_begin(inst);
	KUNIT_EXPECT_EQ(test, atomic_read(&inst->handle_walkers), 1);
	rcu_read_lock();
	found = xa_find(&inst->handles, &idx, U32_MAX, XA_PRESENT);
	KUNIT_EXPECT_PTR_EQ(test, found, a);
	/* Another writer's free, meanwhile */
	KUNIT_EXPECT_PTR_EQ(test, pgm_handle_take(inst, id), a);
	pgm_alloc_release(inst, a);
	KUNIT_EXPECT_NULL(test, xa_load(&inst->handles, id));
	if (found)
		KUNIT_EXPECT_STREQ(test, found->tag, "walked");
	rcu_read_unlock();
	pgm_handle_walk_end(inst);
	KUNIT_EXPECT_EQ(test, atomic_read(&inst->handle_walkers), 0);

	pgmt_writer_end(inst, &w);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * The last entry of an xarray node, freed, leaves a reserved slot, which
 * no lookup, walk or claim sees and no allocation takes, until the next
 * last entry of a node is freed; an entry with others in its node is
 * erased. With one live handle, allocating and freeing in turn reuses
 * one xarray node instead of allocating and RCU-freeing the path to it
 * every time.
 */
static void pgm_robust_handle_anchor(struct kunit *test)
{
	struct pgm_iface_writer w;
	struct pgm_topology topo;
	struct pgm_instance *inst;
	unsigned long idx = 0;
	struct pgm_alloc *a;
	u32 ida, idb, idc, id;
	bool stopped;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGM_PAGEBLOCK_NR_PAGES, 0);
	inst = pgmt_create(test, &topo);
	pgmt_writer_begin(inst, &w, true);

	/* Alone in its node: reserved */
	a = pgmt_tagged(test, inst, "x", &ida);
	KUNIT_EXPECT_PTR_EQ(test, pgm_handle_take(inst, ida), a);
	pgm_alloc_release(inst, a);
	KUNIT_EXPECT_PTR_EQ(test, pgmt_handle_slot(inst, ida), XA_ZERO_ENTRY);
	KUNIT_EXPECT_EQ(test, inst->handle_anchor, ida);
	KUNIT_EXPECT_NULL(test, xa_load(&inst->handles, ida));
	KUNIT_EXPECT_NULL(test, xa_find(&inst->handles, &idx, U32_MAX,
					XA_PRESENT));
	KUNIT_EXPECT_NULL(test, pgm_handle_take(inst, ida));
	KUNIT_EXPECT_EQ(test, pgm_handles_free(inst, NULL, &stopped), 0UL);

	/* Not reused: the next number, beside the reserved slot, erased */
	pgmt_tagged(test, inst, "y", &idb);
	KUNIT_EXPECT_EQ(test, idb, ida + 1);
	KUNIT_EXPECT_PTR_EQ(test, pgmt_handle_slot(inst, ida), XA_ZERO_ENTRY);
	KUNIT_EXPECT_EQ(test, pgm_handles_free(inst, "y", &stopped), 1UL);
	KUNIT_EXPECT_NULL(test, pgmt_handle_slot(inst, idb));
	KUNIT_EXPECT_PTR_EQ(test, pgmt_handle_slot(inst, ida), XA_ZERO_ENTRY);
	KUNIT_EXPECT_EQ(test, inst->handle_anchor, ida);

	/* A claim that loses moves nothing */
	a = pgmt_tagged(test, inst, "z", &idc);
	KUNIT_EXPECT_EQ(test, idc, idb + 1);
	KUNIT_EXPECT_PTR_EQ(test, pgmt_handle_slot(inst, idc), a);
	KUNIT_EXPECT_PTR_EQ(test, pgm_handle_take(inst, idc), a);
	KUNIT_EXPECT_NULL(test, pgmt_handle_slot(inst, idc));
	KUNIT_EXPECT_FALSE(test, pgmt_reclaim_claim(inst, a));
	KUNIT_EXPECT_EQ(test, inst->handle_anchor, ida);
	KUNIT_EXPECT_PTR_EQ(test, pgmt_handle_slot(inst, ida), XA_ZERO_ENTRY);
	pgm_alloc_release(inst, a);

	/*
	 * On into the next node, one live handle at a time: its first entry
	 * is alone there, so it is reserved and the slot before let go
	 */
	do {
		a = pgmt_tagged(test, inst, "n", &id);
		KUNIT_EXPECT_PTR_EQ(test, pgm_handle_take(inst, id), a);
		pgm_alloc_release(inst, a);
	} while (id % XA_CHUNK_SIZE);
	KUNIT_EXPECT_GT(test, id, ida);
	KUNIT_EXPECT_PTR_EQ(test, pgmt_handle_slot(inst, id), XA_ZERO_ENTRY);
	KUNIT_EXPECT_NULL(test, pgmt_handle_slot(inst, ida));
	KUNIT_EXPECT_NULL(test, pgmt_handle_slot(inst, id - 1));
	KUNIT_EXPECT_EQ(test, inst->handle_anchor, id);
	pgmt_writer_end(inst, &w);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static void pgm_robust_meta_handles(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	unsigned int n, i, made, failed_at;
	long live, free0;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGM_PAGEBLOCK_NR_PAGES, 0);
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	free0 = pgmt_nr_free(zone);
	live = pgm_meta_nr_live();

	pgm_iface_lock(inst);
	for (n = 1; n <= 2 * 16; n++) {
		made = 0;
		failed_at = 0;
		pgm_meta_fail_nth(n);
		for (i = 0; i < 16; i++) {
			struct pgm_alloc *h;

			h = pgm_alloc_create(inst, GFP_KERNEL, 0, 0, NULL,
					     PGM_KIND_KERNEL);
			if (!h) {
				failed_at = i + 1;
				continue;
			}
			if (pgm_handle_add(inst, h, NULL)) {
				pgm_alloc_release(inst, h);
				failed_at = i + 1;
				continue;
			}
			made++;
		}
		pgm_meta_fail_nth(0);
		KUNIT_EXPECT_EQ_MSG(test, made, 15, "site %u", n);
		KUNIT_EXPECT_EQ(test, failed_at, (n + 1) / 2);
		KUNIT_EXPECT_EQ(test, pgm_handles_free(inst, NULL, NULL), 15);
		pgm_drain_all_pages(inst, NULL);
		KUNIT_EXPECT_EQ_MSG(test, pgmt_nr_free(zone), free0,
				    "site %u lost pages", n);
		KUNIT_EXPECT_EQ_MSG(test, pgm_meta_nr_live(), live,
				    "site %u leaked", n);
	}
	pgm_iface_unlock(inst);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0);
}

/* ========================= bad frees ========================= */

/*
 * free_page_is_bad(): a double free (from a pcp list and from the buddy),
 * a free of a tail page, of a page never allocated and with the wrong
 * order are each refused and counted, and change nothing.
 */
static void pgm_robust_bad_free(struct kunit *test)
{
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	struct pgm_page *p0, *p3;
	long free0, pcp0;

	pgmt_topology(&topo, 1, 0, 0, 8 * PGM_PAGEBLOCK_NR_PAGES, 0);
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	p0 = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	p3 = pgm_alloc_pages(inst, GFP_KERNEL, 3, 0, NULL);
	KUNIT_ASSERT_TRUE(test, p0 && p3);

	/* Wrong order, then a tail page: refused, p3 still allocated */
	free0 = pgmt_nr_free(zone);
	pcp0 = zone->per_cpu_pageset[0].count;
	pgm_free_pages(inst, p3, 2);
	pgm_free_pages(inst, p3 + 1, 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_BAD_FREE), 2UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free0);
	KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[0].count, pcp0);

	/* p0 goes to the pcp list; freeing it again is refused */
	pgm_free_pages(inst, p0, 0);
	pcp0 = zone->per_cpu_pageset[0].count;
	pgm_free_pages(inst, p0, 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_BAD_FREE), 3UL);
	KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[0].count, pcp0);

	/* ... and again once drained to the buddy */
	pgm_drain_all_pages(inst, NULL);
	free0 = pgmt_nr_free(zone);
	pgm_free_pages(inst, p0, 0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_BAD_FREE), 4UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free0);

	/* A page in the middle of a free block was never allocated */
	pgm_free_pages(inst, pgm_pfn_to_page(inst, 7 * PGM_PAGEBLOCK_NR_PAGES + 5),
		       0);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_BAD_FREE), 5UL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free0);

	/* The right free still works */
	pgm_free_pages(inst, p3, 3);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_BAD_FREE), 5UL);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone),
			(long)(8 * PGM_PAGEBLOCK_NR_PAGES));
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* ========================= page poisoning ========================= */

static bool pgmt_page_is(struct pgm_instance *inst, struct pgm_page *page,
			 u8 byte)
{
	const u8 *addr = pgm_page_address(inst, page);

	return addr && !memchr_inv(addr, byte, PAGE_SIZE);
}

/*
 * page_poison: turned on, every free page holds PAGE_POISON (0xaa); a
 * freed page is filled again; a byte written into a free page is found
 * at the next allocation of that page, reported with its offset and
 * counted, and the allocation still succeeds. Poisoning wins over
 * init_on_alloc, as upstream.
 */
static void pgm_robust_page_poisoning(struct kunit *test)
{
	struct pgm_instance *inst = pgmt_create_backed(test, SZ_4M);
	struct pgm_page *page, *again;
	u8 *addr;

	KUNIT_ASSERT_EQ(test, pgm_set_page_debug(inst, PGM_PAGE_POISONING, 1),
			0);
	KUNIT_ASSERT_EQ(test, pgm_set_page_debug(inst, PGM_INIT_ON_ALLOC, 1),
			0);
	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_TRUE(test, pgmt_page_is(inst, page, PAGE_POISON));
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_POISON_CORRUPT), 0UL);

	addr = pgm_page_address(inst, page);
	memset(addr, 0x5a, PAGE_SIZE);
	pgm_free_pages(inst, page, 0);
	KUNIT_EXPECT_TRUE(test, pgmt_page_is(inst, page, PAGE_POISON));

	/* A use after free: one byte at offset 100 */
	addr[100] = 0;
	again = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_EXPECT_PTR_EQ(test, again, page);
	KUNIT_EXPECT_EQ(test, pgmt_event(inst, PGM_POISON_CORRUPT), 1UL);
	pgm_free_pages(inst, again, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* init_on_free zeroes what is freed, init_on_alloc what is handed out */
static void pgm_robust_init_on_free(struct kunit *test)
{
	struct pgm_instance *inst = pgmt_create_backed(test, SZ_4M);
	struct pgm_page *page;
	struct pgm_topology topo;
	struct pgm_instance *bare;

	KUNIT_ASSERT_EQ(test, pgm_set_page_debug(inst, PGM_INIT_ON_FREE, 1), 0);
	page = pgm_alloc_pages(inst, GFP_KERNEL, 2, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(pgm_page_address(inst, page + 3), 0x5a, PAGE_SIZE);
	pgm_free_pages(inst, page, 2);
	KUNIT_EXPECT_TRUE(test, pgmt_page_is(inst, page + 3, 0));

	KUNIT_ASSERT_EQ(test, pgm_set_page_debug(inst, PGM_INIT_ON_FREE, 0), 0);
	KUNIT_ASSERT_EQ(test, pgm_set_page_debug(inst, PGM_INIT_ON_ALLOC, 1),
			0);
	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(pgm_page_address(inst, page), 0x5a, PAGE_SIZE);
	pgm_free_pages(inst, page, 0);
	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_EXPECT_TRUE(test, pgmt_page_is(inst, page, 0));
	pgm_free_pages(inst, page, 0);

	/* No memory behind the pages: refused */
	pgmt_topology(&topo, 1, 0, 0, 4 * PGM_PAGEBLOCK_NR_PAGES, 0);
	bare = pgmt_create(test, &topo);
	KUNIT_EXPECT_EQ(test, pgm_set_page_debug(bare, PGM_PAGE_POISONING, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, bare->tun.page_poisoning, 0);
}

/*
 * post_alloc_hook() clears nothing while want_init_on_free(): the page was
 * zeroed when it was freed, so even __GFP_ZERO takes it as it is. Turned
 * on, init_on_free first zeroes what is already free (a page freed dirty
 * just before); a page then written after its free (an in-kernel caller's
 * use after free) comes back with those bytes. Turned off, __GFP_ZERO
 * clears again.
 */
static void pgm_robust_init_on_free_no_alloc_init(struct kunit *test)
{
	struct pgm_instance *inst = pgmt_create_backed(test, SZ_4M);
	struct pgm_page *page, *again;

	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(pgm_page_address(inst, page), 0x5a, PAGE_SIZE);
	pgm_free_pages(inst, page, 0);
	KUNIT_ASSERT_EQ(test, pgm_set_page_debug(inst, PGM_INIT_ON_FREE, 1), 0);
	KUNIT_EXPECT_TRUE(test, pgmt_page_is(inst, page, 0));

	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pgm_free_pages(inst, page, 0);
	memset(pgm_page_address(inst, page), 0x5a, PAGE_SIZE);
	again = pgm_alloc_pages(inst, GFP_KERNEL | __GFP_ZERO, 0, 0, NULL);
	KUNIT_ASSERT_PTR_EQ(test, again, page);
	KUNIT_EXPECT_TRUE(test, pgmt_page_is(inst, again, 0x5a));
	pgm_free_pages(inst, again, 0);

	KUNIT_ASSERT_EQ(test, pgm_set_page_debug(inst, PGM_INIT_ON_FREE, 0), 0);
	page = pgm_alloc_pages(inst, GFP_KERNEL, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(pgm_page_address(inst, page), 0x5a, PAGE_SIZE);
	pgm_free_pages(inst, page, 0);
	again = pgm_alloc_pages(inst, GFP_KERNEL | __GFP_ZERO, 0, 0, NULL);
	KUNIT_ASSERT_PTR_EQ(test, again, page);
	KUNIT_EXPECT_TRUE(test, pgmt_page_is(inst, again, 0));
	pgm_free_pages(inst, again, 0);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * The alloc and free handle= status lines are built without vsnprintf();
 * each must read exactly as the format it replaced prints it, in the
 * instance's status and the writer's own.
 */
static void pgm_robust_status_lines(struct kunit *test)
{
	char *status = kunit_kzalloc(test, PGM_STATUS_LEN, GFP_KERNEL);
	char want[PGM_STATUS_LEN], cmd[48];
	struct pgm_topology topo;
	struct pgm_instance *inst;
	u32 first, last;
	int len;

	KUNIT_ASSERT_NOT_NULL(test, status);
	pgmt_topology(&topo, 1, 0, 0, 4 * PGM_PAGEBLOCK_NR_PAGES, 0);
	inst = pgmt_create(test, &topo);

	len = snprintf(cmd, sizeof(cmd), "alloc order=2 count=3 tag=s\n");
	KUNIT_ASSERT_EQ(test, pgm_control_run(inst, cmd, len, status), 0);
	len = sscanf(status, "ok: allocated 3 of 3 order-2, handles %u-%u",
		     &first, &last);
	KUNIT_ASSERT_EQ(test, len, 2);
	/* A fresh instance numbers its handles from 1 */
	KUNIT_EXPECT_EQ(test, first, 1U);
	KUNIT_EXPECT_EQ(test, last, first + 2);
	snprintf(want, sizeof(want),
		 "ok: allocated %u of %u order-%u, handles %u-%u", 3, 3, 2,
		 first, last);
	KUNIT_EXPECT_STREQ(test, status, want);
	KUNIT_EXPECT_STREQ(test, inst->status, want);

	len = snprintf(cmd, sizeof(cmd), "free handle=%u", first + 1);
	KUNIT_ASSERT_EQ(test, pgm_control_run(inst, cmd, len, status), 0);
	snprintf(want, sizeof(want), "ok: freed handle %u (order-%u)",
		 first + 1, 2);
	KUNIT_EXPECT_STREQ(test, status, want);
	KUNIT_EXPECT_STREQ(test, inst->status, want);

	/* The vsnprintf() lines still end where they did */
	len = snprintf(cmd, sizeof(cmd), "free tag=s");
	KUNIT_ASSERT_EQ(test, pgm_control_run(inst, cmd, len, status), 0);
	KUNIT_EXPECT_STREQ(test, status, "ok: freed 2 handles tagged 's'");
	len = snprintf(cmd, sizeof(cmd), "free handle=%u", first);
	KUNIT_EXPECT_EQ(test, pgm_control_run(inst, cmd, len, status),
			-ENOENT);
	snprintf(want, sizeof(want),
		 "error: ENOENT: handle %u is not allocated (double free or unknown handle)",
		 first);
	KUNIT_EXPECT_STREQ(test, status, want);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);

	/*
	 * Fewer than asked: 2048 pages, min 90. The fourth order-9 block
	 * would leave 512 - 511 = 1 page, not above min: 3 of 8
	 */
	inst = pgmt_create(test, &topo);
	len = snprintf(cmd, sizeof(cmd), "alloc order=9 count=8 gfp=GFP_NOWAIT");
	KUNIT_ASSERT_EQ(test, pgm_control_run(inst, cmd, len, status), 0);
	KUNIT_EXPECT_STREQ(test, status,
			   "ok: allocated 3 of 8 order-9, handles 1-3");
	KUNIT_EXPECT_STREQ(test, inst->status, status);
	len = snprintf(cmd, sizeof(cmd), "free handle=2");
	KUNIT_ASSERT_EQ(test, pgm_control_run(inst, cmd, len, status), 0);
	KUNIT_EXPECT_STREQ(test, status, "ok: freed handle 2 (order-9)");
	pgm_iface_lock(inst);
	pgm_handles_free(inst, NULL, NULL);
	pgm_iface_unlock(inst);
}

/* One bench run as the bench file makes it; its errno */
static int pgmt_bench(struct pgm_instance *inst, const struct pgm_bench_args *a,
		      char *err, size_t errlen)
{
	int ret;

	mutex_lock(&inst->bench_lock);
	ret = pgm_bench_run(inst, a, err, errlen);
	mutex_unlock(&inst->bench_lock);
	return ret;
}

struct pgmt_bench_thread {
	struct pgm_instance *inst;
	struct pgm_bench_args a;
	struct completion done;
	char err[PGM_STATUS_LEN];
	int ret;
};

static int pgmt_bench_thread(void *data)
{
	struct pgmt_bench_thread *b = data;

	b->ret = pgmt_bench(b->inst, &b->a, b->err, sizeof(b->err));
	complete(&b->done);
	return 0;
}

/*
 * A bench's mirror side reclaims and OOM-kills as kswapd does, so it
 * holds iface_lock shared as kswapd does: while verify, dirty or owner
 * destroy holds it exclusively the bench waits, and it runs once the
 * lock is let go.
 */
static void pgm_robust_bench_waits_for_writer(struct kunit *test)
{
	struct pgmt_bench_thread b = {
		.a = { .order = 0, .count = 64, .reps = 1, .threads = 1 },
	};
	struct pgm_topology topo;
	struct task_struct *t;

	pgmt_topology(&topo, 1, 0, 0, 4 * PGM_PAGEBLOCK_NR_PAGES, 0);
	b.inst = pgmt_create(test, &topo);
	init_completion(&b.done);
	down_write(&b.inst->iface_lock);
	t = kthread_run(pgmt_bench_thread, &b, "pgmt_bench");
	if (IS_ERR(t)) {
		up_write(&b.inst->iface_lock);
		KUNIT_FAIL(test, "no bench thread");
		return;
	}
	KUNIT_EXPECT_FALSE_MSG(test, wait_for_completion_timeout(&b.done,
								 HZ / 5),
			       "the bench ran beside an exclusive holder");
	up_write(&b.inst->iface_lock);
	wait_for_completion(&b.done);
	KUNIT_EXPECT_EQ_MSG(test, b.ret, 0, "%s", b.err);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, b.inst), 0UL);
}

/* A control write from a thread of its own, which a test may kill */
struct pgmt_ctl_thread {
	struct pgm_instance *inst;
	const char *line;
	int ret;
	char status[PGM_STATUS_LEN];
	struct completion done;
};

static int pgmt_ctl_thread_fn(void *arg)
{
	struct pgmt_ctl_thread *c = arg;

	/* A kernel thread takes no signal it does not ask for */
	allow_signal(SIGKILL);
	c->ret = pgm_control_run(c->inst, c->line, strlen(c->line), c->status);
	return pgmt_thread_done(&c->done);
}

/*
 * Write @line from a thread while the test holds iface_lock exclusively,
 * kill the thread once it waits for the lock, and return its errno with
 * the status it was left
 */
static int pgmt_killed_write(struct kunit *test, struct pgm_instance *inst,
			     const char *line, char *status)
{
	struct pgmt_ctl_thread c = { .inst = inst, .line = line };
	struct task_struct *t;
	int i;

	init_completion(&c.done);
	down_write(&inst->iface_lock);
	t = kthread_run(pgmt_ctl_thread_fn, &c, "pgmt_ctl");
	if (IS_ERR(t)) {
		up_write(&inst->iface_lock);
		KUNIT_FAIL(test, "no writer thread");
		return 0;
	}
	get_task_struct(t);
	for (i = 0; i < 1000 && !rwsem_is_contended(&inst->iface_lock); i++)
		schedule_timeout_uninterruptible(1);
	KUNIT_EXPECT_TRUE(test, rwsem_is_contended(&inst->iface_lock));
	send_sig(SIGKILL, t, 1);
	wait_for_completion(&c.done);
	up_write(&inst->iface_lock);
	kthread_stop(t);
	put_task_struct(t);
	strscpy(status, c.status, PGM_STATUS_LEN);
	return c.ret;
}

/*
 * A write killed while it waits for iface_lock, shared (alloc) or
 * exclusive (drain), returns EINTR with the reason and does nothing: no
 * handle, no page out of the free lists.
 */
static void pgm_robust_write_killed(struct kunit *test)
{
	static const char want[] =
		"error: EINTR: interrupted while waiting for the interface lock";
	char *status = kunit_kzalloc(test, PGM_STATUS_LEN, GFP_KERNEL);
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	long free;

	KUNIT_ASSERT_NOT_NULL(test, status);
	pgmt_topology(&topo, 1, 0, 0, 4 * PGM_PAGEBLOCK_NR_PAGES, 0);
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_NORMAL);
	free = pgmt_nr_free(zone);

	KUNIT_EXPECT_EQ(test, pgmt_killed_write(test, inst,
						"alloc order=0 tag=k\n",
						status), -EINTR);
	KUNIT_EXPECT_STREQ(test, status, want);
	KUNIT_EXPECT_EQ(test, pgmt_killed_write(test, inst, "drain\n",
						status), -EINTR);
	KUNIT_EXPECT_STREQ(test, status, want);
	KUNIT_EXPECT_TRUE(test, xa_empty(&inst->handles));
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), free);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* As pgmt_ctl_thread_fn(), with a fatal signal pending before it writes */
static int pgmt_self_killed_fn(void *arg)
{
	allow_signal(SIGKILL);
	send_sig(SIGKILL, current, 1);
	return pgmt_ctl_thread_fn(arg);
}

/* Write @line from a thread killed before it starts; its errno and status */
static int pgmt_self_killed_write(struct kunit *test,
				  struct pgm_instance *inst, const char *line,
				  char *status)
{
	struct pgmt_ctl_thread c = { .inst = inst, .line = line };
	struct task_struct *t;

	init_completion(&c.done);
	t = kthread_run(pgmt_self_killed_fn, &c, "pgmt_ctl");
	if (IS_ERR(t)) {
		KUNIT_FAIL(test, "no writer thread");
		return 0;
	}
	get_task_struct(t);
	wait_for_completion(&c.done);
	kthread_stop(t);
	put_task_struct(t);
	strscpy(status, c.status, PGM_STATUS_LEN);
	return c.ret;
}

static int pgmt_write(struct pgm_instance *inst, const char *line,
		      char *status)
{
	return pgm_control_run(inst, line, strlen(line), status);
}

/*
 * free tag=, free all and dirty tag= look for a fatal signal every 256
 * handles they look at, not only every 256 they act on. Killed before
 * they start (an uncontended lock never looks), each acts on the 256th
 * handle and stops there: tag b's two handles are the 256th and 257th,
 * so dirty and free of b take the first and leave the second, and free
 * all, the 256th gone, frees the 255 a's before it and the 257th.
 */
static void pgm_robust_walk_killed(struct kunit *test)
{
	char *status = kunit_kzalloc(test, PGM_STATUS_LEN, GFP_KERNEL);
	struct pgm_topology topo;
	struct pgm_instance *inst;
	unsigned long idx = 0;
	struct pgm_alloc *b0, *b1;

	KUNIT_ASSERT_NOT_NULL(test, status);
	pgmt_topology(&topo, 1, 0, 0, 4 * PGM_PAGEBLOCK_NR_PAGES, 0);
	inst = pgmt_create(test, &topo);
	KUNIT_ASSERT_EQ(test, pgmt_write(inst, "alloc count=255 tag=a\n",
					 status), 0);
	KUNIT_ASSERT_EQ(test, pgmt_write(inst, "alloc count=2 kind=file tag=b\n",
					 status), 0);
	KUNIT_ASSERT_STREQ(test, status,
			   "ok: allocated 2 of 2 order-0, handles 256-257");
	KUNIT_ASSERT_EQ(test, pgmt_write(inst, "alloc count=344 tag=a\n",
					 status), 0);
	b0 = xa_load(&inst->handles, 256);
	b1 = xa_load(&inst->handles, 257);
	KUNIT_ASSERT_NOT_NULL(test, b0);
	KUNIT_ASSERT_NOT_NULL(test, b1);

	KUNIT_EXPECT_EQ(test, pgmt_self_killed_write(test, inst,
						     "dirty tag=b\n", status),
			0);
	KUNIT_EXPECT_STREQ(test, status, "ok: dirtied 1 handles (interrupted)");
	KUNIT_EXPECT_TRUE(test, b0->dirty);
	KUNIT_EXPECT_FALSE(test, b1->dirty);
	KUNIT_EXPECT_EQ(test, pgmt_self_killed_write(test, inst,
						     "free tag=b\n", status),
			0);
	KUNIT_EXPECT_STREQ(test, status,
			   "ok: freed 1 handles tagged 'b' (interrupted)");
	KUNIT_EXPECT_NULL(test, xa_load(&inst->handles, 256));
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&inst->handles, 257), b1);
	KUNIT_EXPECT_EQ(test, pgmt_self_killed_write(test, inst, "free all\n",
						     status), 0);
	KUNIT_EXPECT_STREQ(test, status, "ok: freed 256 handles (interrupted)");
	KUNIT_EXPECT_NULL(test, xa_load(&inst->handles, 257));
	KUNIT_EXPECT_NOT_NULL(test, xa_load(&inst->handles, 258));

	/* Not killed, each goes to the end */
	KUNIT_EXPECT_EQ(test, pgmt_write(inst, "free all\n", status), 0);
	KUNIT_EXPECT_STREQ(test, status, "ok: freed 344 handles");
	/* A reserved entry may stay behind, as no handle */
	KUNIT_EXPECT_NULL(test, xa_find(&inst->handles, &idx, U32_MAX,
					XA_PRESENT));
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * threads=N puts each thread on a pcp CPU of its own: where the CPUs
 * would do, a caller pinned to one (cpu_override, as KUnit's instances
 * are) is refused with the pin named; too few CPUs are refused first.
 * Nothing runs either way.
 */
static void pgm_robust_bench_threads_pinned(struct kunit *test)
{
	const struct pgm_bench_args a = {
		.order = 0, .count = 64, .shape = PGM_BENCH_PAIR, .reps = 1,
		.threads = 2,
	};
	char err[PGM_STATUS_LEN] = "", want[PGM_STATUS_LEN];
	struct pgm_topology topo;
	struct pgm_instance *inst;

	pgmt_topology(&topo, 1, 0, 0, 8 * PGM_PAGEBLOCK_NR_PAGES, 0);
	topo.nr_cpus = 2;
	inst = pgmt_create(test, &topo);
	KUNIT_ASSERT_EQ(test, inst->cpu_override, 0);
	if (num_online_cpus() < 2)
		snprintf(want, sizeof(want),
			 "threads=2: %u CPUs online, 2 pcp CPUs in the instance",
			 num_online_cpus());
	else
		strscpy(want, "threads=2: every caller is pinned to pcp CPU 0",
			sizeof(want));
	KUNIT_EXPECT_EQ(test, pgmt_bench(inst, &a, err, sizeof(err)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err, want);
	KUNIT_EXPECT_EQ(test, inst->bench_result[0], '\0');
}

/*
 * shape=frag as the bench file runs it: an instance without a DMA zone is
 * refused with the reason before anything runs, and so is zero=1 on one
 * without memory, in any shape. With one, a kernel with
 * ZONE_DMA (x86_64) fragments both sides and gives them back: the
 * mirror's zone whole, its pcp sizes its own again, the result line
 * written. A kernel without (UML) refuses the host's side.
 */
static void pgm_robust_bench_frag(struct kunit *test)
{
	const struct pgm_bench_args a = {
		.order = 3, .count = 40, .shape = PGM_BENCH_FRAG, .reps = 3,
		.threads = 1,
	};
	static const char prefix[] =
		"order=3 count=40 shape=frag reps=3 zero=0 threads=1 pgmirror_ns_per_op=";
	struct pgm_bench_args z = a;
	char err[PGM_STATUS_LEN] = "", line[PGM_BENCH_LEN];
	struct pgm_topology topo;
	struct pgm_instance *inst;
	struct pgm_zone *zone;
	int batch, ret;

	pgmt_topology(&topo, 1, 0, 0, 8 * PGM_PAGEBLOCK_NR_PAGES, 0);
	inst = pgmt_create(test, &topo);
	KUNIT_EXPECT_EQ(test, pgmt_bench(inst, &a, err, sizeof(err)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err,
			   "shape=frag fragments each side's DMA zone: the instance has none (zones=DMA:16M,...)");
	KUNIT_EXPECT_EQ(test, inst->bench_result[0], '\0');

	/* The mirror has no memory to zero: not a fair run */
	z.zero = true;
	z.shape = PGM_BENCH_PAIR;
	KUNIT_EXPECT_EQ(test, pgmt_bench(inst, &z, err, sizeof(err)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err,
			   "zero=1 on an instance without memory (backing=none)");
	KUNIT_EXPECT_EQ(test, inst->bench_result[0], '\0');

	pgmt_topology(&topo, 1, 8 * PGM_PAGEBLOCK_NR_PAGES, 0, 0, 0);
	inst = pgmt_create(test, &topo);
	zone = pgmt_zone(inst, 0, PGM_ZONE_DMA);
	batch = zone->per_cpu_pageset[0].batch;
	ret = pgmt_bench(inst, &a, err, sizeof(err));
	if (IS_ENABLED(CONFIG_ZONE_DMA)) {
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s", err);
		strscpy(line, inst->bench_result, sizeof(line));
		KUNIT_EXPECT_TRUE_MSG(test, str_has_prefix(line, prefix), "%s",
				      line);
	} else {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
		KUNIT_EXPECT_STREQ(test, err,
				   "shape=frag fragments each side's DMA zone: host node 0 has none");
	}
	KUNIT_EXPECT_EQ(test, zone->per_cpu_pageset[0].batch, batch);
	pgm_drain_all_pages(inst, NULL);
	KUNIT_EXPECT_EQ(test, pgmt_nr_free(zone), 8L * PGM_PAGEBLOCK_NR_PAGES);
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/*
 * The bench line says when the mirror zeroes what it hands out: not by
 * default, with init_on_alloc, and not once page poisoning takes over
 */
static void pgm_robust_bench_init_on_alloc(struct kunit *test)
{
	static const char * const want[] = {
		" pgmirror_init_on_alloc=0 ", " pgmirror_init_on_alloc=1 ",
		" pgmirror_init_on_alloc=0 ",
	};
	const struct pgm_bench_args a = {
		.order = 0, .count = 64, .shape = PGM_BENCH_PAIR, .reps = 1,
		.threads = 1,
	};
	struct pgm_instance *inst = pgmt_create_backed(test, SZ_4M);
	char err[PGM_STATUS_LEN] = "";
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		if (i == 1)
			KUNIT_ASSERT_EQ(test, pgm_set_page_debug(inst,
								 PGM_INIT_ON_ALLOC,
								 1), 0);
		if (i == 2)
			KUNIT_ASSERT_EQ(test, pgm_set_page_debug(inst,
								 PGM_PAGE_POISONING,
								 1), 0);
		KUNIT_ASSERT_EQ_MSG(test, pgmt_bench(inst, &a, err, sizeof(err)),
				    0, "%s", err);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(inst->bench_result,
						       want[i]),
					  "%s", inst->bench_result);
	}
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

/* The number after " @key=" in @line, or -1 */
static long pgmt_bench_field(const char *line, const char *key)
{
	char pat[40];
	const char *p;
	long v;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	if (!p || sscanf(p + strlen(pat), "%ld", &v) != 1)
		return -1;
	return v;
}

/*
 * shape=burst crosses batch and high on both sides: pcp high grows with
 * a run of frees up to high_max, so a burst is high_max and two batches
 * of the pcp sizes both sides run with (at least 256 blocks), and no
 * more than half the instance. The result line says how long, and gives
 * each side's fastest and slowest run.
 */
static void pgm_robust_bench_burst_len(struct kunit *test)
{
	struct pgm_bench_args a = {
		.count = 1, .shape = PGM_BENCH_BURST, .reps = 3, .threads = 1,
	};
	const unsigned long pages = 64 * PGM_PAGEBLOCK_NR_PAGES;
	char err[PGM_STATUS_LEN] = "";
	struct pgm_topology topo;
	struct pgm_instance *inst;
	static const unsigned int orders[] = { 0, 3, 9 };
	unsigned int i;

	pgmt_topology(&topo, 1, 0, 0, pages, 0);
	inst = pgmt_create(test, &topo);
	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		const char *line = inst->bench_result;
		long batch, high_max, want;

		a.order = orders[i];
		KUNIT_ASSERT_EQ_MSG(test, pgmt_bench(inst, &a, err, sizeof(err)),
				    0, "%s", err);
		batch = pgmt_bench_field(line, "pcp_batch");
		high_max = pgmt_bench_field(line, "pcp_high_max");
		KUNIT_ASSERT_GT(test, batch, 0L);
		want = DIV_ROUND_UP(high_max + 2 * batch, 1L << a.order);
		want = max(want, 256L);
		want = min_t(long, want, (pages / 2) >> a.order);
		KUNIT_EXPECT_EQ_MSG(test, pgmt_bench_field(line, "burst"), want,
				    "%s", line);
		KUNIT_EXPECT_LE(test, pgmt_bench_field(line, "pgmirror_ns_min"),
				pgmt_bench_field(line, "pgmirror_ns_per_op"));
		KUNIT_EXPECT_LE(test, pgmt_bench_field(line, "pgmirror_ns_per_op"),
				pgmt_bench_field(line, "pgmirror_ns_max"));
		KUNIT_EXPECT_LE(test, pgmt_bench_field(line, "host_ns_min"),
				pgmt_bench_field(line, "host_ns_per_op"));
		KUNIT_EXPECT_LE(test, pgmt_bench_field(line, "host_ns_per_op"),
				pgmt_bench_field(line, "host_ns_max"));
	}
	KUNIT_EXPECT_EQ(test, pgmt_verify(test, inst), 0UL);
}

static struct kunit_case pgm_robust_cases[] = {
	KUNIT_CASE_PARAM(pgm_robust_parse_size, pgmt_size_gen_params),
	KUNIT_CASE_PARAM(pgm_robust_params_bad, pgmt_params_bad_gen_params),
	KUNIT_CASE(pgm_robust_params_good),
	KUNIT_CASE(pgm_robust_create_wrap),
	KUNIT_CASE(pgm_robust_create_metadata),
	KUNIT_CASE(pgm_robust_borrow_huge),
	KUNIT_CASE(pgm_robust_params_too_big),
	KUNIT_CASE(pgm_robust_borrow_unavailable),
	KUNIT_CASE(pgm_robust_carveout_hole),
	KUNIT_CASE(pgm_robust_carveout_device),
	KUNIT_CASE(pgm_robust_carveout_reserved),
	KUNIT_CASE_PARAM(pgm_robust_cmd_edges, pgmt_cmd_edge_gen_params),
	KUNIT_CASE(pgm_robust_lowmem_ratio_max),
	KUNIT_CASE_PARAM(pgm_robust_create_lines, pgmt_create_gen_params),
	KUNIT_CASE(pgm_robust_create_fields),
	KUNIT_CASE(pgm_robust_bad_free),
	KUNIT_CASE(pgm_robust_page_poisoning),
	KUNIT_CASE(pgm_robust_init_on_free),
	KUNIT_CASE(pgm_robust_init_on_free_no_alloc_init),
	KUNIT_CASE(pgm_robust_meta_create),
	KUNIT_CASE(pgm_robust_meta_owner),
	KUNIT_CASE(pgm_robust_meta_handles),
	KUNIT_CASE(pgm_robust_parallel_writers),
	KUNIT_CASE(pgm_robust_writer_buckets),
	KUNIT_CASE(pgm_robust_handle_anchor),
	KUNIT_CASE(pgm_robust_walker_keeps_record),
	KUNIT_CASE(pgm_robust_status_lines),
	KUNIT_CASE(pgm_robust_bench_waits_for_writer),
	KUNIT_CASE(pgm_robust_write_killed),
	KUNIT_CASE(pgm_robust_walk_killed),
	KUNIT_CASE(pgm_robust_bench_threads_pinned),
	KUNIT_CASE(pgm_robust_bench_frag),
	KUNIT_CASE(pgm_robust_bench_init_on_alloc),
	KUNIT_CASE(pgm_robust_bench_burst_len),
	{}
};

static struct kunit_suite pgm_robust_test_suite = {
	.name = "pgmirror_robust",
	.test_cases = pgm_robust_cases,
};

kunit_test_suite(pgm_robust_test_suite);
