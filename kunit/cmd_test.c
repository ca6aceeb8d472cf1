// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_cmd: the control-command parser, pinned case by case.
 *
 * The parser is pure, so these cases need no instance: every error of the
 * interface spec must give its errno and a reason, and every valid command
 * must come out with exactly the fields it names.
 */

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/numa.h>
#include <linux/prandom.h>
#include <linux/string.h>

#include "cmd.h"
#include "pgmirror.h"

/* ========================= errors ========================= */

struct pgm_cmd_err_case {
	const char *desc;
	const char *line;
	unsigned int nr_nodes;
	int err;
	const char *reason;	/* the reason's exact text, where pinned */
};

#define PGM_BULK_ONLY "alloc_bulk takes count=, gfp=, nid= and tag= only"

static const struct pgm_cmd_err_case pgm_cmd_err_cases[] = {
	/* the line */
	{ "empty line", "", 1, -EINVAL },
	{ "blank line", "  \t", 1, -EINVAL },
	{ "newline only", "\n", 1, -EINVAL },
	{ "control character", "drain\x01", 1, -EINVAL },
	{ "embedded newline", "drain\nfree all", 1, -EINVAL },
	{ "non-ascii byte", "alloc tag=caf\xe9", 1, -EINVAL },
	/* the verb */
	{ "unknown verb", "frobnicate", 1, -EINVAL },
	{ "verb is case sensitive", "ALLOC", 1, -EINVAL },
	{ "verb with a value", "alloc=1", 1, -EINVAL },
	/* alloc keys */
	{ "unknown key", "alloc colour=red", 1, -EINVAL },
	{ "key without value", "alloc order", 1, -EINVAL },
	{ "value without key", "alloc =3", 1, -EINVAL },
	{ "missing value", "alloc order=", 1, -EINVAL },
	{ "missing gfp value", "alloc gfp=", 1, -EINVAL },
	{ "duplicate key", "alloc order=1 order=2", 1, -EINVAL },
	{ "duplicate tag", "alloc tag=a count=2 tag=b", 1, -EINVAL },
	/* order */
	{ "order 11", "alloc order=11", 1, -EINVAL },
	{ "order overflow", "alloc order=99999999999", 1, -EINVAL },
	{ "negative order", "alloc order=-1", 1, -EINVAL },
	{ "order not a number", "alloc order=three", 1, -EINVAL },
	{ "order trailing junk", "alloc order=3k", 1, -EINVAL },
	/* gfp */
	{ "unknown gfp flag", "alloc gfp=GFP_BOGUS", 1, -EINVAL },
	{ "gfp is case sensitive", "alloc gfp=gfp_kernel", 1, -EINVAL },
	{ "gfp numeric", "alloc gfp=0xcc0", 1, -EINVAL },
	{ "gfp empty flag", "alloc gfp=GFP_KERNEL||__GFP_ZERO", 1, -EINVAL },
	{ "gfp trailing bar", "alloc gfp=GFP_KERNEL|", 1, -EINVAL },
	{ "gfp DMA|DMA32", "alloc gfp=__GFP_DMA|__GFP_DMA32", 1, -EINVAL },
	{ "gfp GFP_DMA|GFP_DMA32", "alloc gfp=GFP_DMA|GFP_DMA32", 1, -EINVAL },
	{ "gfp MOVABLE|RECLAIMABLE", "alloc gfp=GFP_KERNEL|__GFP_MOVABLE|__GFP_RECLAIMABLE", 1,
	  -EINVAL },
	{ "gfp DMA|HIGHMEM", "alloc gfp=GFP_KERNEL|__GFP_DMA|__GFP_HIGHMEM", 1,
	  -EINVAL },
	{ "nofail above order 1",
	  "alloc order=2 gfp=GFP_KERNEL|__GFP_NOFAIL", 1, -EINVAL },
	{ "nofail without direct reclaim",
	  "alloc gfp=GFP_ATOMIC|__GFP_NOFAIL", 1, -EINVAL },
	/* count */
	{ "count 0", "alloc count=0", 1, -EINVAL },
	{ "count 65537", "alloc count=65537", 1, -EINVAL },
	{ "count overflow", "alloc count=4294967296", 1, -EINVAL },
	{ "negative count", "alloc count=-5", 1, -EINVAL },
	/* nid */
	{ "nid 1 of one node", "alloc nid=1", 1, -EINVAL },
	{ "nid 4 of four nodes", "alloc nid=4", 4, -EINVAL },
	{ "negative nid", "alloc nid=-1", 2, -EINVAL },
	{ "nid not a number", "alloc nid=zero", 2, -EINVAL },
	/* tag */
	{ "tag with slash", "alloc tag=a/b", 1, -EINVAL },
	{ "tag with colon", "alloc tag=web:1", 1, -EINVAL },
	{ "tag of 32 chars", "alloc tag=abcdefghijklmnopqrstuvwxyz012345", 1,
	  -EINVAL },
	{ "missing tag", "alloc tag=", 1, -EINVAL },
	/* free */
	{ "free without selector", "free", 1, -EINVAL },
	{ "free with two selectors", "free handle=1 tag=web", 1, -EINVAL },
	{ "free all and a handle", "free all handle=1", 1, -EINVAL },
	{ "free unknown key", "free order=1", 1, -EINVAL },
	{ "free bare word", "free everything", 1, -EINVAL },
	{ "free missing handle", "free handle=", 1, -EINVAL },
	{ "free bad handle", "free handle=x1", 1, -EINVAL },
	{ "free negative handle", "free handle=-1", 1, -EINVAL },
	{ "free handle overflow", "free handle=4294967296", 1, -EINVAL },
	{ "free bad tag", "free tag=a*", 1, -EINVAL },
	{ "free missing tag", "free tag=", 1, -EINVAL },
	/* drain */
	{ "drain with argument", "drain now", 1, -EINVAL },
	/* alloc owner= and kind= */
	{ "alloc unknown kind", "alloc kind=heap", 1, -EINVAL },
	{ "alloc kind is case sensitive", "alloc kind=ANON", 1, -EINVAL },
	{ "alloc missing kind", "alloc kind=", 1, -EINVAL },
	{ "alloc duplicate kind", "alloc kind=anon kind=file", 1, -EINVAL },
	{ "alloc missing owner", "alloc owner=", 1, -EINVAL },
	{ "alloc bad owner name", "alloc owner=a/b", 1, -EINVAL },
	{ "alloc owner name 32 chars",
	  "alloc owner=abcdefghijklmnopqrstuvwxyz012345", 1, -EINVAL },
	{ "alloc duplicate owner", "alloc owner=a owner=b", 1, -EINVAL },
	{ "alloc kind=file NOFAIL order 2",
	  "alloc kind=file order=2 gfp=GFP_KERNEL|__GFP_NOFAIL", 1, -EINVAL },
	/* owner */
	{ "owner alone", "owner", 1, -EINVAL },
	{ "owner unknown verb", "owner rename name=a", 1, -EINVAL },
	{ "owner create without name", "owner create", 1, -EINVAL },
	{ "owner create only nodes", "owner create nodes=0", 1, -EINVAL },
	{ "owner create empty name", "owner create name=", 1, -EINVAL },
	{ "owner create bad name", "owner create name=a*b", 1, -EINVAL },
	{ "owner create name 32 chars",
	  "owner create name=abcdefghijklmnopqrstuvwxyz012345", 1, -EINVAL },
	{ "owner create duplicate name", "owner create name=a name=b", 1,
	  -EINVAL },
	{ "owner create unknown key", "owner create name=a colour=red", 1,
	  -EINVAL },
	{ "owner create bare word", "owner create name=a now", 1, -EINVAL },
	{ "owner create node out of range", "owner create name=a nodes=2", 2,
	  -EINVAL },
	{ "owner create range out of range", "owner create name=a nodes=0-4",
	  4, -EINVAL },
	{ "owner create reversed range", "owner create name=a nodes=1-0", 2,
	  -EINVAL },
	{ "owner create empty node", "owner create name=a nodes=0,,1", 2,
	  -EINVAL },
	{ "owner create trailing comma", "owner create name=a nodes=0,", 2,
	  -EINVAL },
	{ "owner create open range", "owner create name=a nodes=0-", 2,
	  -EINVAL },
	{ "owner create node not a number", "owner create name=a nodes=x", 2,
	  -EINVAL },
	{ "owner create missing nodes", "owner create name=a nodes=", 2,
	  -EINVAL },
	{ "owner create duplicate nodes",
	  "owner create name=a nodes=0 nodes=1", 2, -EINVAL },
	{ "owner create oom_score_adj 1001",
	  "owner create name=a oom_score_adj=1001", 1, -EINVAL },
	{ "owner create oom_score_adj -1001",
	  "owner create name=a oom_score_adj=-1001", 1, -EINVAL },
	{ "owner create oom_score_adj junk",
	  "owner create name=a oom_score_adj=1k", 1, -EINVAL },
	{ "owner create missing oom_score_adj",
	  "owner create name=a oom_score_adj=", 1, -EINVAL },
	{ "owner destroy without name", "owner destroy", 1, -EINVAL },
	{ "owner destroy with nodes", "owner destroy name=a nodes=0", 1,
	  -EINVAL },
	{ "owner set without a limit", "owner set name=db", 1, -EINVAL },
	{ "owner set nodes", "owner set name=db nodes=0 max=1", 1, -EINVAL },
	{ "owner create max=-1", "owner create name=a max=-1", 1, -EINVAL },
	{ "owner destroy max=", "owner destroy name=a max=1", 1, -EINVAL },
	{ "owner set high=ten", "owner set name=a high=ten", 1, -EINVAL },
	{ "owner set two max", "owner set name=a max=1 max=2", 1, -EINVAL },
	{ "owner set two low", "owner set name=a low=1 low=2", 1, -EINVAL },
	{ "owner set min=-1", "owner set name=a min=-1", 1, -EINVAL },
	{ "owner create low junk", "owner create name=a low=1k", 1, -EINVAL },
	{ "owner create missing min", "owner create name=a min=", 1, -EINVAL },
	{ "owner destroy low=", "owner destroy name=a low=1", 1, -EINVAL },
	{ "owner set max beyond", "owner set name=a max=0x8000000000000000", 1,
	  -EINVAL },
	/* dirty and writeback */
	{ "dirty without selector", "dirty", 1, -EINVAL },
	{ "dirty all", "dirty all", 1, -EINVAL },
	{ "dirty two selectors", "dirty handle=1 tag=a", 1, -EINVAL },
	{ "dirty unknown key", "dirty owner=a", 1, -EINVAL },
	{ "dirty bad handle", "dirty handle=x", 1, -EINVAL },
	{ "dirty bad tag", "dirty tag=a*", 1, -EINVAL },
	{ "writeback without selector", "writeback", 1, -EINVAL },
	{ "writeback unknown key", "writeback kind=file", 1, -EINVAL },
	{ "writeback all and a tag", "writeback all tag=a", 1, -EINVAL },
	{ "writeback missing handle", "writeback handle=", 1, -EINVAL },
	/* set */
	{ "set without pair", "set", 1, -EINVAL },
	{ "set two pairs",
	  "set watermark_scale_factor=10 watermark_boost_factor=0", 1,
	  -EINVAL },
	{ "set bare key", "set watermark_scale_factor", 1, -EINVAL },
	{ "set unknown key", "set swappiness=60", 1, -EINVAL },
	{ "set missing value", "set watermark_scale_factor=", 1, -EINVAL },
	{ "set not a number", "set watermark_scale_factor=ten", 1, -EINVAL },
	{ "wsf 0", "set watermark_scale_factor=0", 1, -EINVAL },
	{ "wsf 3001", "set watermark_scale_factor=3001", 1, -EINVAL },
	{ "min_free_kbytes -1", "set min_free_kbytes=-1", 1, -EINVAL },
	{ "boost factor -1", "set watermark_boost_factor=-1", 1, -EINVAL },
	{ "boost factor overflow", "set watermark_boost_factor=2147483648", 1,
	  -EINVAL },
	{ "high fraction 7", "set percpu_pagelist_high_fraction=7", 1,
	  -EINVAL },
	{ "high fraction -8", "set percpu_pagelist_high_fraction=-8", 1,
	  -EINVAL },
	{ "zone_reclaim_mode -1", "set zone_reclaim_mode=-1", 1, -EINVAL },
	{ "min_unmapped_ratio 101", "set min_unmapped_ratio=101", 1, -EINVAL },
	{ "min_slab_ratio -1", "set min_slab_ratio=-1", 1, -EINVAL },
	{ "dirty_ratio 101", "set dirty_ratio=101", 1, -EINVAL },
	/* proc_dointvec_minmax() over 0..100, as the sysctl */
	{ "compaction_proactiveness 101", "set compaction_proactiveness=101", 1,
	  -EINVAL, "compaction_proactiveness 101 out of range 0..100" },
	{ "compaction_proactiveness -1", "set compaction_proactiveness=-1", 1,
	  -EINVAL },
	/* proc_dointvec_minmax() over 0..1000, as the sysctl */
	{ "extfrag_threshold 1001", "set extfrag_threshold=1001", 1, -EINVAL,
	  "extfrag_threshold 1001 out of range 0..1000" },
	{ "extfrag_threshold -1", "set extfrag_threshold=-1", 1, -EINVAL },
	{ "lowmem ratio 5 values", "set lowmem_reserve_ratio=256,256,32,0,1",
	  1, -EINVAL },
	{ "lowmem ratio empty value", "set lowmem_reserve_ratio=256,,32,0", 1,
	  -EINVAL },
	{ "lowmem ratio junk", "set lowmem_reserve_ratio=256,x", 1, -EINVAL },
	{ "lowmem ratio trailing comma",
	  "set lowmem_reserve_ratio=256,256,32,0,", 1, -EINVAL },
	{ "explain 2", "alloc explain=2", 1, -EINVAL },
	{ "isolate bare", "isolate", 1, -EINVAL },
	{ "isolate no dash", "isolate pfn=512", 1, -EINVAL },
	{ "isolate empty", "isolate pfn=1024-512", 1, -EINVAL },
	{ "isolate bad number", "isolate pfn=x-512", 1, -EINVAL },
	{ "isolate other key", "isolate start=0", 1, -EINVAL },
	{ "isolate other key, a range", "isolate start=0-512", 1, -EINVAL },
	{ "isolate two keys", "unisolate pfn=0-512 pfn=0-512", 1, -EINVAL },
	{ "explain yes", "alloc explain=yes", 1, -EINVAL },
	{ "alloc_bulk explain", "alloc_bulk count=2 explain=1", 1, -EINVAL,
	  PGM_BULK_ONLY },
	{ "alloc_bulk explain 0", "alloc_bulk explain=0", 1, -EINVAL,
	  PGM_BULK_ONLY },
	{ "alloc_bulk order 0", "alloc_bulk order=0", 1, -EINVAL,
	  PGM_BULK_ONLY },
	{ "alloc_bulk order 1", "alloc_bulk count=4 order=1", 1, -EINVAL,
	  PGM_BULK_ONLY },
	{ "alloc_bulk owner", "alloc_bulk owner=a", 1, -EINVAL,
	  PGM_BULK_ONLY },
	{ "alloc_bulk kind kernel", "alloc_bulk kind=kernel", 1, -EINVAL,
	  PGM_BULK_ONLY },
	{ "alloc_bulk unknown key", "alloc_bulk colour=red", 1, -EINVAL,
	  "unknown key 'colour' for alloc_bulk" },
	{ "alloc unknown key", "alloc colour=red", 1, -EINVAL,
	  "unknown key 'colour' for alloc" },
	{ "stat_refresh with an argument", "stat_refresh all", 1, -EINVAL },
	{ "compact nid past the nodes", "compact nid=2", 2, -EINVAL,
	  "nid '2' out of range 0..1" },
	{ "compact unknown key", "compact order=3", 1, -EINVAL,
	  "unknown key 'order' for compact" },
	{ "compact two keys", "compact nid=0 nid=0", 1, -EINVAL,
	  "compact takes nid=N only" },
	{ "compact nid not a number", "compact nid=x", 1, -EINVAL },
	{ "alloc_contig bare", "alloc_contig", 1, -EINVAL },
	{ "alloc_contig pages=0", "alloc_contig pages=0", 1, -EINVAL },
	{ "alloc_contig count=", "alloc_contig count=4", 1, -EINVAL },
	{ "alloc_contig align 3", "alloc_contig pages=4 align=3", 1, -EINVAL },
	{ "alloc_contig boundary 6", "alloc_contig pages=4 boundary=6", 1,
	  -EINVAL },
	{ "alloc_contig boundary below pages",
	  "alloc_contig pages=8 boundary=4", 1, -EINVAL },
	{ "alloc_contig high not above low",
	  "alloc_contig pages=1 low=100 high=100", 1, -EINVAL },
	{ "alloc_contig high below low",
	  "alloc_contig pages=1 low=200 high=100", 1, -EINVAL },
	{ "alloc_contig pages do not fit",
	  "alloc_contig pages=8 low=100 high=107", 1, -EINVAL },
	{ "alloc_contig high=0", "alloc_contig pages=1 high=0", 1, -EINVAL },
	{ "alloc_contig __GFP_COMP", "alloc_contig pages=4 gfp=GFP_KERNEL|__GFP_COMP",
	  1, -EINVAL },
	{ "alloc_contig __GFP_NOFAIL",
	  "alloc_contig pages=4 gfp=GFP_KERNEL|__GFP_NOFAIL", 1, -EINVAL },
	{ "alloc_contig __GFP_NORETRY",
	  "alloc_contig pages=4 gfp=GFP_KERNEL|__GFP_NORETRY", 1, -EINVAL },
	{ "alloc_contig nid 1 of 1", "alloc_contig pages=4 nid=1", 1, -EINVAL },
	{ "alloc_contig huge pages", "alloc_contig pages=0x100000000", 1,
	  -EINVAL },
	{ "cma_alloc bare", "cma_alloc", 1, -EINVAL },
	{ "cma_alloc pages=", "cma_alloc pages=4", 1, -EINVAL },
	{ "cma_alloc low=", "cma_alloc count=4 low=0", 1, -EINVAL },
	{ "cma_alloc align 32", "cma_alloc count=4 align=32", 1, -EINVAL },
	{ "cma_alloc gfp", "cma_alloc count=4 gfp=GFP_KERNEL", 1, -EINVAL },
	{ "pcp_batch -1", "set pcp_batch=-1", 1, -EINVAL },
	{ "pcp_batch 65537", "set pcp_batch=65537", 1, -EINVAL },
	{ "pcp_high 2^24+1", "set pcp_high=16777217", 1, -EINVAL },
	{ "claim_threshold 513", "set claim_threshold=513", 1, -EINVAL },
	{ "claim_threshold -1", "set claim_threshold=-1", 1, -EINVAL },
	{ "kswapd 2", "set kswapd=2", 1, -EINVAL },
	{ "direct_reclaim -1", "set direct_reclaim=-1", 1, -EINVAL },
	{ "direct_compaction on", "set direct_compaction=on", 1, -EINVAL },
	{ "numa_stat 2", "set numa_stat=2", 1, -EINVAL },
	{ "numa_stat -1", "set numa_stat=-1", 1, -EINVAL },
	/* enabled_store()'s words only: no number, no case folding */
	{ "transparent_hugepage 1", "set transparent_hugepage=1", 1, -EINVAL },
	{ "transparent_hugepage Always", "set transparent_hugepage=Always", 1,
	  -EINVAL },
	{ "transparent_hugepage [madvise]",
	  "set transparent_hugepage=[madvise]", 1, -EINVAL },
	{ "transparent_hugepage empty", "set transparent_hugepage=", 1,
	  -EINVAL },
	{ "per_cpu_data_slice_size -1", "set per_cpu_data_slice_size=-1", 1,
	  -EINVAL },
	{ "per_cpu_data_slice_size 2^31", "set per_cpu_data_slice_size=2147483648",
	  1, -EINVAL },
	{ "fallbacks without brackets",
	  "set fallbacks=MIGRATE_MOVABLE={MIGRATE_UNMOVABLE}", 1, -EINVAL },
	{ "fallbacks without braces",
	  "set fallbacks=[MIGRATE_MOVABLE]=MIGRATE_UNMOVABLE", 1, -EINVAL },
	{ "fallbacks unknown row", "set fallbacks=[MIGRATE_CMA]={}", 1,
	  -EINVAL },
	{ "fallbacks highatomic entry",
	  "set fallbacks=[MIGRATE_MOVABLE]={MIGRATE_HIGHATOMIC}", 1, -EINVAL },
	{ "fallbacks to itself",
	  "set fallbacks=[MIGRATE_MOVABLE]={MIGRATE_MOVABLE}", 1, -EINVAL },
	{ "fallbacks repeated",
	  "set fallbacks=[Unmovable]={Movable,MIGRATE_MOVABLE}", 1, -EINVAL },
	{ "fallbacks three entries",
	  "set fallbacks=[Unmovable]={Movable,Reclaimable,Movable}", 1,
	  -EINVAL },
	{ "fallbacks trailing comma",
	  "set fallbacks=[Unmovable]={Movable,}", 1, -EINVAL },
	{ "fallbacks leading comma",
	  "set fallbacks=[Unmovable]={,Movable}", 1, -EINVAL },
	{ "fallbacks text after brace",
	  "set fallbacks=[Unmovable]={Movable}x", 1, -EINVAL },
};

static void pgm_cmd_err_desc(const struct pgm_cmd_err_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pgm_cmd_err, pgm_cmd_err_cases, pgm_cmd_err_desc);

static void pgm_cmd_test_error(struct kunit *test)
{
	const struct pgm_cmd_err_case *c = test->param_value;
	struct pgm_cmd cmd, before;
	char err[PGM_STATUS_LEN] = "";
	int ret;

	memset(&cmd, 0xa5, sizeof(cmd));
	memcpy(&before, &cmd, sizeof(cmd));
	ret = pgm_parse_cmd(c->line, strlen(c->line), c->nr_nodes, &cmd, err,
			    sizeof(err));
	KUNIT_EXPECT_EQ_MSG(test, ret, c->err, "line '%s': %s", c->line, err);
	KUNIT_EXPECT_GT_MSG(test, strlen(err), (size_t)0, "no reason given");
	if (c->reason)
		KUNIT_EXPECT_STREQ(test, err, c->reason);
	KUNIT_EXPECT_NULL(test, strchr(err, '\n'));
	KUNIT_EXPECT_NE(test, strncmp(err, "error", 5), 0);
	/* A rejected command leaves the output alone */
	KUNIT_EXPECT_EQ(test, memcmp(&cmd, &before, sizeof(cmd)), 0);
}

/* ========================= valid commands ========================= */

struct pgm_cmd_ok_case {
	const char *desc;
	const char *line;
	unsigned int nr_nodes;
	struct pgm_cmd want;
};

#define PGM_ALLOC(o, g, n, c, t) \
	{ .op = PGM_CMD_ALLOC, \
	  .alloc = { .order = (o), .gfp = (g), .nid = (n), .count = (c), \
		     .tag = t, .kind = PGM_KIND_KERNEL } }
#define PGM_ALLOC_KIND(g, own, k) \
	{ .op = PGM_CMD_ALLOC, \
	  .alloc = { .gfp = (g), .nid = NUMA_NO_NODE, .count = 1, \
		     .owner = own, .kind = (k) } }
#define PGM_OWNER(op_, n, mask, adj) \
	{ .op = (op_), \
	  .owner = { .name = n, .nodes = { .bits = { mask } }, \
		     .oom_score_adj = (adj), .max = PGM_PAGE_COUNTER_MAX, \
		     .high = PGM_PAGE_COUNTER_MAX } }
#define PGM_SET(k, v) \
	{ .op = PGM_CMD_SET, .set = { .key = (k), .val = (v) } }

static const struct pgm_cmd_ok_case pgm_cmd_ok_cases[] = {
	{ "alloc with every key",
	  "alloc order=3 gfp=GFP_KERNEL|__GFP_ZERO nid=1 count=100 tag=web", 2,
	  PGM_ALLOC(3, GFP_KERNEL | __GFP_ZERO, 1, 100, "web") },
	{ "alloc defaults", "alloc", 1,
	  PGM_ALLOC(0, GFP_KERNEL, NUMA_NO_NODE, 1, "") },
	{ "alloc trailing newline", "alloc order=1\n", 1,
	  PGM_ALLOC(1, GFP_KERNEL, NUMA_NO_NODE, 1, "") },
	{ "alloc any key order",
	  "alloc tag=x count=2 nid=0 gfp=GFP_ATOMIC order=2", 1,
	  PGM_ALLOC(2, GFP_ATOMIC, 0, 2, "x") },
	{ "alloc blanks", "  alloc \t order=10   count=65536  ", 1,
	  PGM_ALLOC(10, GFP_KERNEL, NUMA_NO_NODE, 65536, "") },
	{ "alloc GFP_DMA", "alloc gfp=GFP_DMA", 1,
	  PGM_ALLOC(0, GFP_DMA, NUMA_NO_NODE, 1, "") },
	{ "alloc GFP_DMA32", "alloc gfp=GFP_DMA32", 1,
	  PGM_ALLOC(0, GFP_DMA32, NUMA_NO_NODE, 1, "") },
	{ "alloc GFP_HIGHUSER_MOVABLE", "alloc gfp=GFP_HIGHUSER_MOVABLE", 1,
	  PGM_ALLOC(0, GFP_HIGHUSER_MOVABLE, NUMA_NO_NODE, 1, "") },
	{ "alloc reclaimable nowait",
	  "alloc gfp=GFP_NOWAIT|__GFP_RECLAIMABLE|__GFP_NOWARN nid=3", 4,
	  PGM_ALLOC(0, GFP_NOWAIT | __GFP_RECLAIMABLE | __GFP_NOWARN, 3, 1,
		    "") },
	{ "alloc raw bits",
	  "alloc gfp=__GFP_IO|__GFP_FS|__GFP_RECLAIM|__GFP_HIGH|__GFP_COMP", 1,
	  PGM_ALLOC(0, __GFP_IO | __GFP_FS | __GFP_RECLAIM | __GFP_HIGH |
		    __GFP_COMP, NUMA_NO_NODE, 1, "") },
	{ "alloc nofail order 1", "alloc order=1 gfp=GFP_KERNEL|__GFP_NOFAIL",
	  1, PGM_ALLOC(1, GFP_KERNEL | __GFP_NOFAIL, NUMA_NO_NODE, 1, "") },
	{ "alloc tag of 31 chars",
	  "alloc tag=abcdefghijklmnopqrstuvwxyz-_.09", 1,
	  PGM_ALLOC(0, GFP_KERNEL, NUMA_NO_NODE, 1,
		    "abcdefghijklmnopqrstuvwxyz-_.09") },
	{ "alloc_bulk with every key",
	  "alloc_bulk count=64 gfp=GFP_ATOMIC nid=1 tag=rx", 2,
	  { .op = PGM_CMD_ALLOC_BULK,
	    .alloc = { .gfp = GFP_ATOMIC, .nid = 1, .count = 64, .tag = "rx",
		       .kind = PGM_KIND_KERNEL } } },
	{ "free handle", "free handle=17", 1,
	  { .op = PGM_CMD_FREE,
	    .free = { .sel = PGM_FREE_HANDLE, .handle = 17 } } },
	{ "free largest handle", "free handle=4294967295", 1,
	  { .op = PGM_CMD_FREE,
	    .free = { .sel = PGM_FREE_HANDLE, .handle = 4294967295U } } },
	{ "free tag", "free tag=web\n", 1,
	  { .op = PGM_CMD_FREE, .free = { .sel = PGM_FREE_TAG, .tag = "web" } } },
	{ "free all", "free all", 1,
	  { .op = PGM_CMD_FREE, .free = { .sel = PGM_FREE_ALL } } },
	{ "drain", "drain\n", 1, { .op = PGM_CMD_DRAIN } },
	{ "wsf 1", "set watermark_scale_factor=1", 1,
	  PGM_SET(PGM_SET_WATERMARK_SCALE_FACTOR, 1) },
	{ "wsf 3000", "set watermark_scale_factor=3000", 1,
	  PGM_SET(PGM_SET_WATERMARK_SCALE_FACTOR, 3000) },
	{ "min_free_kbytes 0", "set min_free_kbytes=0", 1,
	  PGM_SET(PGM_SET_MIN_FREE_KBYTES, 0) },
	{ "min_free_kbytes 128", "set min_free_kbytes=128", 1,
	  PGM_SET(PGM_SET_MIN_FREE_KBYTES, 128) },
	{ "min_free_kbytes 262144", "set min_free_kbytes=262144\n", 1,
	  PGM_SET(PGM_SET_MIN_FREE_KBYTES, 262144) },
	/* The sysctl takes any int >= 0 (proc_dointvec_minmax, min 0) */
	{ "min_free_kbytes 127", "set min_free_kbytes=127", 1,
	  PGM_SET(PGM_SET_MIN_FREE_KBYTES, 127) },
	{ "min_free_kbytes INT_MAX", "set min_free_kbytes=2147483647", 1,
	  PGM_SET(PGM_SET_MIN_FREE_KBYTES, INT_MAX) },
	{ "boost factor 0", "set watermark_boost_factor=0", 1,
	  PGM_SET(PGM_SET_WATERMARK_BOOST_FACTOR, 0) },
	{ "boost factor 15000", "set watermark_boost_factor=15000", 1,
	  PGM_SET(PGM_SET_WATERMARK_BOOST_FACTOR, 15000) },
	{ "high fraction 0", "set percpu_pagelist_high_fraction=0", 1,
	  PGM_SET(PGM_SET_PERCPU_PAGELIST_HIGH_FRACTION, 0) },
	{ "high fraction 8", "set percpu_pagelist_high_fraction=8", 1,
	  PGM_SET(PGM_SET_PERCPU_PAGELIST_HIGH_FRACTION, 8) },
	{ "zone_reclaim_mode 7", "set zone_reclaim_mode=7", 1,
	  PGM_SET(PGM_SET_ZONE_RECLAIM_MODE, 7) },
	{ "min_unmapped_ratio 0", "set min_unmapped_ratio=0", 1,
	  PGM_SET(PGM_SET_MIN_UNMAPPED_RATIO, 0) },
	{ "min_slab_ratio 100", "set min_slab_ratio=100", 1,
	  PGM_SET(PGM_SET_MIN_SLAB_RATIO, 100) },
	{ "dirty_ratio 20", "set dirty_ratio=20", 1,
	  PGM_SET(PGM_SET_DIRTY_RATIO, 20) },
	{ "lowmem ratio", "set lowmem_reserve_ratio=256,256,32,0", 1,
	  { .op = PGM_CMD_SET,
	    .set = { .key = PGM_SET_LOWMEM_RESERVE_RATIO,
		     .ratio = { 256, 256, 32, 0 }, .nr_ratio = 4 } } },
	/* As the sysctl: a short write, and any int (the setter makes < 1 0) */
	{ "lowmem ratio 2 values", "set lowmem_reserve_ratio=128,-5", 1,
	  { .op = PGM_CMD_SET,
	    .set = { .key = PGM_SET_LOWMEM_RESERVE_RATIO,
		     .ratio = { 128, -5 }, .nr_ratio = 2 } } },
	{ "pcp_batch 0", "set pcp_batch=0", 1, PGM_SET(PGM_SET_PCP_BATCH, 0) },
	{ "pcp_batch 65536", "set pcp_batch=65536", 1,
	  PGM_SET(PGM_SET_PCP_BATCH, 65536) },
	{ "pcp_high 2^24", "set pcp_high=16777216", 1,
	  PGM_SET(PGM_SET_PCP_HIGH, 16777216) },
	{ "claim_threshold 512", "set claim_threshold=512", 1,
	  PGM_SET(PGM_SET_CLAIM_THRESHOLD, 512) },
	{ "kswapd 0", "set kswapd=0", 1, PGM_SET(PGM_SET_KSWAPD, 0) },
	{ "direct_reclaim 0", "set direct_reclaim=0", 1,
	  PGM_SET(PGM_SET_DIRECT_RECLAIM, 0) },
	{ "direct_compaction 1", "set direct_compaction=1", 1,
	  PGM_SET(PGM_SET_DIRECT_COMPACTION, 1) },
	{ "numa_stat 0", "set numa_stat=0", 1, PGM_SET(PGM_SET_NUMA_STAT, 0) },
	{ "transparent_hugepage always", "set transparent_hugepage=always", 1,
	  PGM_SET(PGM_SET_TRANSPARENT_HUGEPAGE, PGM_THP_ALWAYS) },
	{ "transparent_hugepage madvise", "set transparent_hugepage=madvise\n",
	  1, PGM_SET(PGM_SET_TRANSPARENT_HUGEPAGE, PGM_THP_MADVISE) },
	{ "transparent_hugepage never", "set transparent_hugepage=never", 1,
	  PGM_SET(PGM_SET_TRANSPARENT_HUGEPAGE, PGM_THP_NEVER) },
	{ "per_cpu_data_slice_size 2 MiB", "set per_cpu_data_slice_size=2097152",
	  1, PGM_SET(PGM_SET_PER_CPU_DATA_SLICE_SIZE, 2097152) },
	{ "per_cpu_data_slice_size 0", "set per_cpu_data_slice_size=0", 1,
	  PGM_SET(PGM_SET_PER_CPU_DATA_SLICE_SIZE, 0) },
	{ "fallbacks as upstream writes them",
	  "set fallbacks=[MIGRATE_UNMOVABLE]={MIGRATE_MOVABLE,MIGRATE_RECLAIMABLE}",
	  1, { .op = PGM_CMD_SET,
	       .set = { .key = PGM_SET_FALLBACKS, .val = PGM_MIGRATE_UNMOVABLE,
			.row = { PGM_MIGRATE_MOVABLE,
				 PGM_MIGRATE_RECLAIMABLE } } } },
	{ "fallbacks by pagetypeinfo names",
	  "set fallbacks=[reclaimable]={Movable}", 1,
	  { .op = PGM_CMD_SET,
	    .set = { .key = PGM_SET_FALLBACKS, .val = PGM_MIGRATE_RECLAIMABLE,
		     .row = { PGM_MIGRATE_MOVABLE, -1 } } } },
	{ "fallbacks none", "set fallbacks=[MIGRATE_MOVABLE]={}", 1,
	  { .op = PGM_CMD_SET,
	    .set = { .key = PGM_SET_FALLBACKS, .val = PGM_MIGRATE_MOVABLE,
		     .row = { -1, -1 } } } },
	{ "alloc explain=1", "alloc order=2 explain=1", 1,
	  { .op = PGM_CMD_ALLOC,
	    .alloc = { .order = 2, .gfp = GFP_KERNEL, .nid = NUMA_NO_NODE,
		       .count = 1, .kind = PGM_KIND_KERNEL, .explain = true } } },
	{ "isolate", "isolate pfn=512-1536", 1,
	  { .op = PGM_CMD_ISOLATE, .range = { .start = 512, .end = 1536 } } },
	{ "isolate unaligned", "isolate pfn=1-513", 1,
	  { .op = PGM_CMD_ISOLATE, .range = { .start = 1, .end = 513 } } },
	{ "unisolate hex", "unisolate pfn=0x200-0x400", 1,
	  { .op = PGM_CMD_UNISOLATE, .range = { .start = 512, .end = 1024 } } },
	{ "stat_refresh", "stat_refresh\n", 1, { .op = PGM_CMD_STAT_REFRESH } },
	{ "compact every node", "compact\n", 2,
	  { .op = PGM_CMD_COMPACT, .compact = { .nid = NUMA_NO_NODE } } },
	{ "compact node 1", "compact nid=1", 2,
	  { .op = PGM_CMD_COMPACT, .compact = { .nid = 1 } } },
	{ "kcompactd 0", "set kcompactd=0", 1, PGM_SET(PGM_SET_KCOMPACTD, 0) },
	{ "compaction_proactiveness 0", "set compaction_proactiveness=0", 1,
	  PGM_SET(PGM_SET_COMPACTION_PROACTIVENESS, 0) },
	{ "compaction_proactiveness 100", "set compaction_proactiveness=100", 1,
	  PGM_SET(PGM_SET_COMPACTION_PROACTIVENESS, 100) },
	{ "extfrag_threshold 0", "set extfrag_threshold=0", 1,
	  PGM_SET(PGM_SET_EXTFRAG_THRESHOLD, 0) },
	{ "extfrag_threshold 1000", "set extfrag_threshold=1000", 1,
	  PGM_SET(PGM_SET_EXTFRAG_THRESHOLD, 1000) },
	/* proc_dointvec(): any int, non-zero on */
	{ "oom_kill_allocating_task 1", "set oom_kill_allocating_task=1", 1,
	  PGM_SET(PGM_SET_OOM_KILL_ALLOCATING_TASK, 1) },
	{ "oom_kill_allocating_task -2", "set oom_kill_allocating_task=-2", 1,
	  PGM_SET(PGM_SET_OOM_KILL_ALLOCATING_TASK, -2) },
	{ "alloc_contig defaults", "alloc_contig pages=3", 1,
	  { .op = PGM_CMD_ALLOC_CONTIG,
	    .contig = { .nr_pages = 3, .gfp = GFP_KERNEL,
			.nid = NUMA_NO_NODE } } },
	{ "alloc_contig FreeBSD limits",
	  "alloc_contig pages=512 low=0x100 high=4096 align=512 boundary=1024 gfp=GFP_KERNEL|__GFP_NOWARN nid=1 tag=dma",
	  2, { .op = PGM_CMD_ALLOC_CONTIG,
	       .contig = { .nr_pages = 512, .low = 256, .high = 4096,
			   .align = 512, .boundary = 1024,
			   .gfp = GFP_KERNEL | __GFP_NOWARN, .nid = 1,
			   .tag = "dma" } } },
	{ "cma_alloc", "cma_alloc count=16 align=4 tag=c", 1,
	  { .op = PGM_CMD_CMA_ALLOC,
	    .contig = { .nr_pages = 16, .align = 4, .gfp = GFP_KERNEL,
			.nid = NUMA_NO_NODE, .tag = "c" } } },
	{ "alloc kind=anon", "alloc kind=anon", 1,
	  PGM_ALLOC_KIND(GFP_HIGHUSER_MOVABLE, "", PGM_KIND_ANON) },
	{ "alloc kind=file", "alloc kind=file", 1,
	  PGM_ALLOC_KIND(GFP_HIGHUSER_MOVABLE, "", PGM_KIND_FILE) },
	{ "alloc kind=pinned", "alloc kind=pinned", 1,
	  PGM_ALLOC_KIND(GFP_HIGHUSER_MOVABLE, "", PGM_KIND_PINNED) },
	{ "alloc kind=slab", "alloc kind=slab", 1,
	  PGM_ALLOC_KIND(GFP_KERNEL | __GFP_RECLAIMABLE, "", PGM_KIND_SLAB) },
	{ "alloc kind=kernel", "alloc kind=kernel", 1,
	  PGM_ALLOC_KIND(GFP_KERNEL, "", PGM_KIND_KERNEL) },
	{ "alloc gfp= overrides the kind", "alloc gfp=GFP_ATOMIC kind=anon",
	  1, PGM_ALLOC_KIND(GFP_ATOMIC, "", PGM_KIND_ANON) },
	{ "alloc with owner", "alloc owner=web-1 kind=file", 1,
	  PGM_ALLOC_KIND(GFP_HIGHUSER_MOVABLE, "web-1", PGM_KIND_FILE) },
	{ "owner name 31 chars",
	  "alloc owner=abcdefghijklmnopqrstuvwxyz01234", 1,
	  PGM_ALLOC_KIND(GFP_KERNEL, "abcdefghijklmnopqrstuvwxyz01234",
			 PGM_KIND_KERNEL) },
	{ "owner create defaults", "owner create name=db", 2,
	  PGM_OWNER(PGM_CMD_OWNER_CREATE, "db", 0x3, 0) },
	{ "owner create nodes list", "owner create name=db nodes=0,2", 4,
	  PGM_OWNER(PGM_CMD_OWNER_CREATE, "db", 0x5, 0) },
	{ "owner create nodes range", "owner create name=db nodes=1-3", 4,
	  PGM_OWNER(PGM_CMD_OWNER_CREATE, "db", 0xe, 0) },
	{ "owner create mixed", "owner create nodes=0,2-3 name=x oom_score_adj=-1000",
	  4, PGM_OWNER(PGM_CMD_OWNER_CREATE, "x", 0xd, -1000) },
	{ "owner create adj 1000", "owner create name=x oom_score_adj=1000",
	  1, PGM_OWNER(PGM_CMD_OWNER_CREATE, "x", 0x1, 1000) },
	{ "owner create with limits", "owner create name=db max=100 high=0x50",
	  2, { .op = PGM_CMD_OWNER_CREATE,
	       .owner = { .name = "db", .nodes = { .bits = { 0x3 } },
			  .max = 100, .high = 80, .set_max = true,
			  .set_high = true } } },
	{ "owner create with protections",
	  "owner create name=db min=16 low=0x40 max=128", 2,
	  { .op = PGM_CMD_OWNER_CREATE,
	    .owner = { .name = "db", .nodes = { .bits = { 0x3 } },
		       .min = 16, .low = 64, .max = 128,
		       .high = PGM_PAGE_COUNTER_MAX, .set_min = true,
		       .set_low = true, .set_max = true } } },
	{ "owner set low alone", "owner set name=db low=max", 2,
	  { .op = PGM_CMD_OWNER_SET,
	    .owner = { .name = "db", .nodes = { .bits = { 0x3 } },
		       .low = PGM_PAGE_COUNTER_MAX,
		       .max = PGM_PAGE_COUNTER_MAX,
		       .high = PGM_PAGE_COUNTER_MAX, .set_low = true } } },
	{ "owner set min alone", "owner set name=db min=0", 2,
	  { .op = PGM_CMD_OWNER_SET,
	    .owner = { .name = "db", .nodes = { .bits = { 0x3 } },
		       .max = PGM_PAGE_COUNTER_MAX,
		       .high = PGM_PAGE_COUNTER_MAX, .set_min = true } } },
	{ "owner set max=max", "owner set name=db max=max", 2,
	  { .op = PGM_CMD_OWNER_SET,
	    .owner = { .name = "db", .nodes = { .bits = { 0x3 } },
		       .max = PGM_PAGE_COUNTER_MAX,
		       .high = PGM_PAGE_COUNTER_MAX, .set_max = true } } },
	{ "owner destroy", "owner destroy name=db", 2,
	  PGM_OWNER(PGM_CMD_OWNER_DESTROY, "db", 0x3, 0) },
	{ "dirty handle", "dirty handle=7", 1,
	  { .op = PGM_CMD_DIRTY,
	    .free = { .sel = PGM_FREE_HANDLE, .handle = 7 } } },
	{ "dirty tag", "dirty tag=f", 1,
	  { .op = PGM_CMD_DIRTY, .free = { .sel = PGM_FREE_TAG, .tag = "f" } } },
	{ "writeback all", "writeback all", 1,
	  { .op = PGM_CMD_WRITEBACK, .free = { .sel = PGM_FREE_ALL } } },
	{ "writeback tag", "writeback tag=f", 1,
	  { .op = PGM_CMD_WRITEBACK,
	    .free = { .sel = PGM_FREE_TAG, .tag = "f" } } },
};

static void pgm_cmd_ok_desc(const struct pgm_cmd_ok_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pgm_cmd_ok, pgm_cmd_ok_cases, pgm_cmd_ok_desc);

static void pgm_cmd_test_valid(struct kunit *test)
{
	const struct pgm_cmd_ok_case *c = test->param_value;
	const struct pgm_cmd *want = &c->want;
	char err[PGM_STATUS_LEN] = "";
	struct pgm_cmd cmd;
	int i, ret;

	memset(&cmd, 0xa5, sizeof(cmd));
	ret = pgm_parse_cmd(c->line, strlen(c->line), c->nr_nodes, &cmd, err,
			    sizeof(err));
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "line '%s': %s", c->line, err);
	KUNIT_ASSERT_EQ(test, cmd.op, want->op);

	switch (want->op) {
	case PGM_CMD_ALLOC:
	case PGM_CMD_ALLOC_BULK:
		KUNIT_EXPECT_EQ(test, cmd.alloc.order, want->alloc.order);
		KUNIT_EXPECT_EQ(test, (__force unsigned int)cmd.alloc.gfp,
				(__force unsigned int)want->alloc.gfp);
		KUNIT_EXPECT_EQ(test, cmd.alloc.nid, want->alloc.nid);
		KUNIT_EXPECT_EQ(test, cmd.alloc.count, want->alloc.count);
		KUNIT_EXPECT_STREQ(test, cmd.alloc.tag, want->alloc.tag);
		KUNIT_EXPECT_STREQ(test, cmd.alloc.owner, want->alloc.owner);
		KUNIT_EXPECT_EQ(test, cmd.alloc.kind, want->alloc.kind);
		KUNIT_EXPECT_EQ(test, cmd.alloc.explain, want->alloc.explain);
		break;
	case PGM_CMD_OWNER_CREATE:
	case PGM_CMD_OWNER_DESTROY:
	case PGM_CMD_OWNER_SET:
		KUNIT_EXPECT_EQ(test, cmd.owner.min, want->owner.min);
		KUNIT_EXPECT_EQ(test, cmd.owner.low, want->owner.low);
		KUNIT_EXPECT_EQ(test, cmd.owner.max, want->owner.max);
		KUNIT_EXPECT_EQ(test, cmd.owner.high, want->owner.high);
		KUNIT_EXPECT_EQ(test, cmd.owner.set_min, want->owner.set_min);
		KUNIT_EXPECT_EQ(test, cmd.owner.set_low, want->owner.set_low);
		KUNIT_EXPECT_EQ(test, cmd.owner.set_max, want->owner.set_max);
		KUNIT_EXPECT_EQ(test, cmd.owner.set_high,
				want->owner.set_high);
		KUNIT_EXPECT_STREQ(test, cmd.owner.name, want->owner.name);
		KUNIT_EXPECT_EQ(test, cmd.owner.nodes.bits[0],
				want->owner.nodes.bits[0]);
		KUNIT_EXPECT_EQ(test, cmd.owner.oom_score_adj,
				want->owner.oom_score_adj);
		break;
	case PGM_CMD_DIRTY:
	case PGM_CMD_WRITEBACK:
	case PGM_CMD_FREE:
		KUNIT_EXPECT_EQ(test, cmd.free.sel, want->free.sel);
		if (want->free.sel == PGM_FREE_HANDLE)
			KUNIT_EXPECT_EQ(test, cmd.free.handle,
					want->free.handle);
		if (want->free.sel == PGM_FREE_TAG)
			KUNIT_EXPECT_STREQ(test, cmd.free.tag, want->free.tag);
		break;
	case PGM_CMD_DRAIN:
	case PGM_CMD_STAT_REFRESH:
		break;
	case PGM_CMD_COMPACT:
		KUNIT_EXPECT_EQ(test, cmd.compact.nid, want->compact.nid);
		break;
	case PGM_CMD_ISOLATE:
	case PGM_CMD_UNISOLATE:
		KUNIT_EXPECT_EQ(test, cmd.range.start, want->range.start);
		KUNIT_EXPECT_EQ(test, cmd.range.end, want->range.end);
		break;
	case PGM_CMD_ALLOC_CONTIG:
	case PGM_CMD_CMA_ALLOC:
		KUNIT_EXPECT_EQ(test, cmd.contig.nr_pages, want->contig.nr_pages);
		KUNIT_EXPECT_EQ(test, cmd.contig.low, want->contig.low);
		KUNIT_EXPECT_EQ(test, cmd.contig.high, want->contig.high);
		KUNIT_EXPECT_EQ(test, cmd.contig.align, want->contig.align);
		KUNIT_EXPECT_EQ(test, cmd.contig.boundary,
				want->contig.boundary);
		KUNIT_EXPECT_EQ(test, (__force unsigned int)cmd.contig.gfp,
				(__force unsigned int)want->contig.gfp);
		KUNIT_EXPECT_EQ(test, cmd.contig.nid, want->contig.nid);
		KUNIT_EXPECT_STREQ(test, cmd.contig.tag, want->contig.tag);
		break;
	case PGM_CMD_SET:
		KUNIT_EXPECT_EQ(test, cmd.set.key, want->set.key);
		if (want->set.key == PGM_SET_FALLBACKS)
			for (i = 0; i < PGM_MIGRATE_PCPTYPES - 1; i++)
				KUNIT_EXPECT_EQ(test, cmd.set.row[i],
						want->set.row[i]);
		if (want->set.key != PGM_SET_LOWMEM_RESERVE_RATIO) {
			KUNIT_EXPECT_EQ(test, cmd.set.val, want->set.val);
			break;
		}
		KUNIT_EXPECT_EQ(test, cmd.set.nr_ratio, want->set.nr_ratio);
		for (i = 0; i < want->set.nr_ratio; i++)
			KUNIT_EXPECT_EQ(test, cmd.set.ratio[i],
					want->set.ratio[i]);
		break;
	}
}

/* ========================= the line as a whole ========================= */

/* Fill @buf with "drain" padded by blanks to @len bytes */
static void pgm_cmd_padded(char *buf, size_t len)
{
	memset(buf, ' ', len);
	memcpy(buf, "drain", 5);
}

static void pgm_cmd_test_line_length(struct kunit *test)
{
	char buf[PGM_CMD_MAX_LEN + 64], err[PGM_STATUS_LEN];
	struct pgm_cmd cmd;

	/* 256 bytes, with or without a newline, is the longest line */
	pgm_cmd_padded(buf, PGM_CMD_MAX_LEN);
	KUNIT_EXPECT_EQ(test, pgm_parse_cmd(buf, PGM_CMD_MAX_LEN, 1, &cmd, err,
					    sizeof(err)), 0);
	buf[PGM_CMD_MAX_LEN] = '\n';
	KUNIT_EXPECT_EQ(test, pgm_parse_cmd(buf, PGM_CMD_MAX_LEN + 1, 1, &cmd,
					    err, sizeof(err)), 0);

	pgm_cmd_padded(buf, PGM_CMD_MAX_LEN + 1);
	err[0] = '\0';
	KUNIT_EXPECT_EQ(test, pgm_parse_cmd(buf, PGM_CMD_MAX_LEN + 1, 1, &cmd,
					    err, sizeof(err)), -EINVAL);
	KUNIT_EXPECT_GT(test, strlen(err), (size_t)0);
	buf[PGM_CMD_MAX_LEN + 1] = '\n';
	KUNIT_EXPECT_EQ(test, pgm_parse_cmd(buf, PGM_CMD_MAX_LEN + 2, 1, &cmd,
					    err, sizeof(err)), -EINVAL);
	pgm_cmd_padded(buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, pgm_parse_cmd(buf, sizeof(buf), 1, &cmd, err,
					    sizeof(err)), -EINVAL);
}

/*
 * The parser reads numbers in one loop of its own: each value gives
 * "free handle=V" and "alloc order=V" exactly what the kernel's
 * kstrtou32(V, 10) gives, overflow and signs included
 */
static void pgm_cmd_test_numbers_as_kstrtou32(struct kunit *test)
{
	static const char * const vals[] = {
		"0", "1", "+1", "007", "10", "+0010", "4294967295",
		"4294967296", "42949672950", "99999999999999999999999",
		"-1", "-0", "1a", "a", "+", "++1", "+-1", "0x10", "1+",
		"18446744073709551616", "4294967295x", "18446744073709551616x",
		"18446744073709551615", "18446744073709551615x",
	};
	char line[64], err[PGM_STATUS_LEN];
	struct pgm_cmd cmd;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		u32 want = 0;
		int kret = kstrtou32(vals[i], 10, &want);
		int ret;

		snprintf(line, sizeof(line), "free handle=%s", vals[i]);
		ret = pgm_parse_cmd(line, strlen(line), 1, &cmd, err,
				    sizeof(err));
		KUNIT_EXPECT_EQ_MSG(test, ret, kret ? -EINVAL : 0, "%s", line);
		if (!ret && !kret)
			KUNIT_EXPECT_EQ_MSG(test, cmd.free.handle, want, "%s",
					    line);

		/* An overflow is a number too large, not an invalid one */
		snprintf(line, sizeof(line), "alloc order=%s", vals[i]);
		ret = pgm_parse_cmd(line, strlen(line), 1, &cmd, err,
				    sizeof(err));
		if (!kret && want <= PGM_MAX_PAGE_ORDER) {
			KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s", line);
			KUNIT_EXPECT_EQ_MSG(test, cmd.alloc.order, want, "%s",
					    line);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, ret, -EINVAL, "%s", line);
			KUNIT_EXPECT_EQ_MSG(test, !!strstr(err, "exceeds"),
					    kret == 0 || kret == -ERANGE,
					    "%s: %s", line, err);
		}
	}
}

static void pgm_cmd_test_embedded_nul(struct kunit *test)
{
	static const char line[] = "drain\0free all";
	char err[PGM_STATUS_LEN];
	struct pgm_cmd cmd;

	KUNIT_EXPECT_EQ(test, pgm_parse_cmd(line, sizeof(line) - 1, 1, &cmd,
					    err, sizeof(err)), -EINVAL);
	/* Only @len bytes are read: a prefix that is a command parses */
	KUNIT_EXPECT_EQ(test, pgm_parse_cmd(line, 5, 1, &cmd, err,
					    sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, cmd.op, PGM_CMD_DRAIN);
}

static void pgm_cmd_test_short_err_buffer(struct kunit *test)
{
	char err[16];
	struct pgm_cmd cmd;

	memset(err, 'x', sizeof(err));
	KUNIT_EXPECT_EQ(test, pgm_parse_cmd("alloc order=11", 14, 1, &cmd, err,
					    8), -EINVAL);
	KUNIT_EXPECT_EQ(test, strlen(err), (size_t)7);
	KUNIT_EXPECT_EQ(test, err[8], 'x');
	/* No buffer at all is allowed too */
	KUNIT_EXPECT_EQ(test, pgm_parse_cmd("alloc order=11", 14, 1, &cmd, NULL,
					    0), -EINVAL);
}

static void pgm_cmd_test_reason_text(struct kunit *test)
{
	char err[PGM_STATUS_LEN];
	struct pgm_cmd cmd;

	pgm_parse_cmd("alloc order=11", 14, 1, &cmd, err, sizeof(err));
	KUNIT_EXPECT_STREQ(test, err, "order 11 exceeds max order 10");
}

/* ========================= bench ========================= */

struct pgm_bench_case {
	const char *desc;
	const char *line;
	int err;
	unsigned int order;
	unsigned int count;
	unsigned int shape;
	unsigned int reps;
	bool zero;
	unsigned int threads;
	const char *reason;	/* the error's exact text, where pinned */
};

static const struct pgm_bench_case pgm_bench_cases[] = {
	{ "both", "order=3 count=1000\n", 0, 3, 1000 },
	{ "count only", "count=1000000", 0, 0, 1000000 },
	{ "order only", "order=10", 0, 10, 10000 },
	{ "count 1", "count=1 order=0", 0, 0, 1 },
	{ "empty", "", -EINVAL },
	{ "count 0", "count=0", -EINVAL,
	  .reason = "count 0 out of range 1..1000000" },
	{ "count 1000001", "count=1000001", -EINVAL },
	{ "order 11", "order=11", -EINVAL },
	{ "duplicate", "order=1 order=2", -EINVAL },
	{ "unknown key", "gfp=GFP_KERNEL", -EINVAL },
	{ "missing value", "order=", -EINVAL },
	{ "bare word", "fast", -EINVAL },
	{ "burst, 5 reps, zeroed", "order=3 shape=burst reps=5 zero=1", 0, 3,
	  10000, PGM_BENCH_BURST, 5, true },
	{ "pairs", "shape=pair", 0, 0, 10000, PGM_BENCH_PAIR, 5 },
	{ "unknown shape", "shape=fragmented", -EINVAL },
	{ "frag", "shape=frag order=3 count=60 reps=5", 0, 3, 60,
	  PGM_BENCH_FRAG, 5 },
	{ "frag, 2 threads", "shape=frag threads=2", -EINVAL },
	{ "bulk", "shape=bulk count=512", 0, 0, 512, PGM_BENCH_BULK, 5 },
	{ "bulk order 1", "shape=bulk order=1", -EINVAL },
	{ "reps 0", "reps=0", -EINVAL,
	  .reason = "reps 0 out of range 1..15" },
	{ "reps 16", "reps=16", -EINVAL,
	  .reason = "reps 16 out of range 1..15" },
	{ "reps word", "reps=many", -EINVAL, .reason = "invalid reps 'many'" },
	{ "one rep", "reps=1", 0, 0, 10000, PGM_BENCH_PAIR, 1 },
	{ "zero 2", "zero=2", -EINVAL },
	{ "duplicate shape", "shape=pair shape=burst", -EINVAL },
	{ "4 threads", "threads=4 count=100", 0, 0, 100, PGM_BENCH_PAIR, 5,
	  false, 4 },
	{ "64 threads", "threads=64", 0, 0, 10000, PGM_BENCH_PAIR, 5, false,
	  64 },
	{ "threads 0", "threads=0", -EINVAL },
	{ "threads 65", "threads=65", -EINVAL },
	{ "threads word", "threads=all", -EINVAL },
};

static void pgm_bench_desc(const struct pgm_bench_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pgm_bench, pgm_bench_cases, pgm_bench_desc);

static void pgm_cmd_test_bench(struct kunit *test)
{
	const struct pgm_bench_case *c = test->param_value;
	struct pgm_bench_args a = { .order = 99, .count = 99 };
	char err[PGM_STATUS_LEN] = "";
	int ret;

	ret = pgm_parse_bench(c->line, strlen(c->line), &a, err, sizeof(err));
	KUNIT_ASSERT_EQ_MSG(test, ret, c->err, "line '%s': %s", c->line, err);
	if (ret) {
		KUNIT_EXPECT_GT(test, strlen(err), (size_t)0);
		if (c->reason)
			KUNIT_EXPECT_STREQ(test, err, c->reason);
		KUNIT_EXPECT_EQ(test, a.order, 99U);
		KUNIT_EXPECT_EQ(test, a.count, 99U);
		return;
	}
	KUNIT_EXPECT_EQ(test, a.order, c->order);
	KUNIT_EXPECT_EQ(test, a.count, c->count);
	KUNIT_EXPECT_EQ(test, a.shape, c->shape);
	/* Five by default: a median, as the docs say */
	KUNIT_EXPECT_EQ(test, a.reps, c->reps ?: 5);
	KUNIT_EXPECT_EQ(test, a.zero, c->zero);
	KUNIT_EXPECT_EQ(test, a.threads, c->threads ?: 1);
}

/* pgm_put_u32() and pgm_put_str() against vsnprintf()'s %u and %s */
static void pgm_cmd_test_put(struct kunit *test)
{
	static const u32 vals[] = {
		0, 7, 9, 10, 11, 99, 100, 101, 999, 1000, 9999, 10000, 65535,
		65536, 99999, 100000, 999999, 1000000, 9999999, 10000000,
		99999999, 100000000, 999999999, 1000000000, U32_MAX - 1,
		U32_MAX,
	};
	char want[32], got[32], *p;
	struct rnd_state rs;
	unsigned int i;
	u32 v;
	int n;

	/* Every digit count's edges, then numbers of every size at random */
	prandom_seed_state(&rs, 1);
	for (i = 0; i < ARRAY_SIZE(vals) + 10000; i++) {
		v = i < ARRAY_SIZE(vals) ? vals[i] :
		    prandom_u32_state(&rs) >> (i % 32);
		n = snprintf(want, sizeof(want), "handle=%u-", v);
		p = pgm_put_str(got, "handle=");
		p = pgm_put_u32(p, v);
		p = pgm_put_str(p, "-");
		*p = '\0';
		KUNIT_EXPECT_STREQ(test, got, want);
		KUNIT_EXPECT_EQ(test, p - got, n);
	}
}

static void pgm_cmd_test_errno_name(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, pgm_errno_name(-EINVAL), "EINVAL");
	KUNIT_EXPECT_STREQ(test, pgm_errno_name(ENOENT), "ENOENT");
	KUNIT_EXPECT_STREQ(test, pgm_errno_name(-ENOMEM), "ENOMEM");
	KUNIT_EXPECT_NULL(test, pgm_errno_name(-9999));
}

/*
 * The defaults print as upstream's own table reads, and every line of a
 * tunables file is accepted by set with the value it printed.
 */
/*
 * The tunables file's line for @key (row @mt of fallbacks) as a set
 * command, into @line, parsed into @cmd; the test stops if it is refused
 */
static void cmd_set_line(struct kunit *test, const struct pgm_tunables *tun,
			 int key, int mt, char *line, struct pgm_cmd *cmd)
{
	char err[PGM_STATUS_LEN];

	strscpy(line, "set ", PGM_TUNABLE_LEN + 4);
	pgm_format_tunable(tun, key, mt, line + 4, PGM_TUNABLE_LEN);
	KUNIT_ASSERT_EQ_MSG(test, pgm_parse_cmd(line, strlen(line), 1, cmd,
						err, sizeof(err)),
			    0, "'%s': %s", line, err);
}

static void pgm_cmd_test_tunables_round_trip(struct kunit *test)
{
	static const char * const upstream_rows[] = {
		"fallbacks=[MIGRATE_UNMOVABLE]={MIGRATE_RECLAIMABLE,MIGRATE_MOVABLE}",
		"fallbacks=[MIGRATE_MOVABLE]={MIGRATE_RECLAIMABLE,MIGRATE_UNMOVABLE}",
		"fallbacks=[MIGRATE_RECLAIMABLE]={MIGRATE_UNMOVABLE,MIGRATE_MOVABLE}",
	};
	char line[PGM_TUNABLE_LEN + 4];
	struct pgm_topology topo;
	struct pgm_tunables *t = &topo.tun, *def;
	const struct {
		int key;
		int *field;
		int val;
	} vals[] = {
		{ PGM_SET_WATERMARK_SCALE_FACTOR, &t->watermark_scale_factor, 11 },
		{ PGM_SET_MIN_FREE_KBYTES, &t->min_free_kbytes, 1234 },
		{ PGM_SET_WATERMARK_BOOST_FACTOR, &t->watermark_boost_factor,
		  15001 },
		{ PGM_SET_PERCPU_PAGELIST_HIGH_FRACTION,
		  &t->percpu_pagelist_high_fraction, 9 },
		{ PGM_SET_ZONE_RECLAIM_MODE, &t->node_reclaim_mode, 3 },
		{ PGM_SET_MIN_UNMAPPED_RATIO, &t->min_unmapped_ratio, 2 },
		{ PGM_SET_MIN_SLAB_RATIO, &t->min_slab_ratio, 6 },
		{ PGM_SET_DIRTY_RATIO, &t->dirty_ratio, 21 },
		{ PGM_SET_PAGE_POISONING, &t->page_poisoning, 1 },
		{ PGM_SET_INIT_ON_FREE, &t->init_on_free, 1 },
		{ PGM_SET_INIT_ON_ALLOC, &t->init_on_alloc, 1 },
		{ PGM_SET_PAGE_GROUP_BY_MOBILITY, &t->group_by_mobility, 0 },
		{ PGM_SET_ALLOC_NOFRAGMENT, &t->alloc_nofragment, 0 },
		{ PGM_SET_HIGHATOMIC, &t->highatomic, 0 },
		{ PGM_SET_PCP, &t->pcp, 0 },
		{ PGM_SET_PCP_BATCH, &t->pcp_batch, 5 },
		{ PGM_SET_PCP_HIGH, &t->pcp_high, 77 },
		{ PGM_SET_CLAIM_THRESHOLD, &t->claim_threshold, 255 },
		{ PGM_SET_KSWAPD, &t->kswapd, 0 },
		{ PGM_SET_DIRECT_RECLAIM, &t->direct_reclaim, 0 },
		{ PGM_SET_DIRECT_COMPACTION, &t->direct_compaction, 0 },
		{ PGM_SET_NUMA_STAT, &t->numa_stat, 0 },
		{ PGM_SET_TRANSPARENT_HUGEPAGE, &t->transparent_hugepage,
		  PGM_THP_MADVISE },
		{ PGM_SET_PER_CPU_DATA_SLICE_SIZE, &t->per_cpu_data_slice_size,
		  1310720 },
		{ PGM_SET_COMPACTION_PROACTIVENESS,
		  &t->compaction_proactiveness, 37 },
		{ PGM_SET_KCOMPACTD, &t->kcompactd, 0 },
		{ PGM_SET_EXTFRAG_THRESHOLD, &t->extfrag_threshold, 777 },
		{ PGM_SET_OOM_KILL_ALLOCATING_TASK,
		  &t->oom_kill_allocating_task, 1 },
	};
	unsigned int checked = 0;
	struct pgm_cmd cmd;
	int key, mt, i;

	pgm_topology_default(&topo);
	KUNIT_EXPECT_STREQ(test, pgm_format_tunable(&topo.tun,
						    PGM_SET_CLAIM_THRESHOLD, 0,
						    line, PGM_TUNABLE_LEN),
			   "claim_threshold=256");
	topo.tun.fallbacks[PGM_MIGRATE_MOVABLE][1] = -1;
	/* Each single-valued tunable a value of its own, none a default */
	for (i = 0; i < ARRAY_SIZE(vals); i++)
		*vals[i].field = vals[i].val;
	for (mt = 0; mt < PGM_MIGRATE_PCPTYPES; mt++) {
		pgm_format_tunable(&topo.tun, PGM_SET_FALLBACKS, mt, line,
				   PGM_TUNABLE_LEN);
		if (mt == PGM_MIGRATE_MOVABLE)
			KUNIT_EXPECT_STREQ(test, line,
					   "fallbacks=[MIGRATE_MOVABLE]={MIGRATE_RECLAIMABLE}");
		else
			KUNIT_EXPECT_STREQ(test, line, upstream_rows[mt]);
	}

	for (key = 0; key < PGM_NR_SET_KEYS; key++) {
		for (mt = 0; mt < PGM_MIGRATE_PCPTYPES; mt++) {
			cmd_set_line(test, &topo.tun, key, mt, line, &cmd);
			KUNIT_EXPECT_EQ(test, cmd.set.key, key);
			if (key == PGM_SET_FALLBACKS) {
				KUNIT_EXPECT_EQ(test, cmd.set.val, mt);
				for (i = 0; i < PGM_MIGRATE_PCPTYPES - 1; i++)
					KUNIT_EXPECT_EQ(test, cmd.set.row[i],
							topo.tun.fallbacks[mt][i]);
				continue;
			}
			if (key == PGM_SET_LOWMEM_RESERVE_RATIO) {
				for (i = 0; i < PGM_MAX_NR_ZONES; i++)
					KUNIT_EXPECT_EQ(test, cmd.set.ratio[i],
							topo.tun.lowmem_reserve_ratio[i]);
				checked++;
			}
			for (i = 0; i < ARRAY_SIZE(vals); i++) {
				if (vals[i].key != key)
					continue;
				KUNIT_EXPECT_EQ_MSG(test, cmd.set.val,
						    vals[i].val, "'%s'", line);
				checked++;
			}
			break;
		}
	}
	/* Every key but fallbacks had its value read back */
	KUNIT_EXPECT_EQ(test, checked, PGM_NR_SET_KEYS - 1U);

	/*
	 * One tunable at a time off its default: every key reads its own
	 * field, which two tunables given the same value above cannot show
	 */
	def = kunit_kmalloc(test, sizeof(*def), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, def);
	pgm_topology_default(&topo);
	/* The default is the host's mode, not one set takes */
	topo.tun.transparent_hugepage = PGM_THP_NEVER;
	*def = topo.tun;
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		size_t off = (char *)vals[i].field - (char *)t;

		KUNIT_EXPECT_NE(test, vals[i].val, *(int *)((char *)def + off));
	}
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		int j;

		topo.tun = *def;
		*vals[i].field = vals[i].val;
		for (j = 0; j < ARRAY_SIZE(vals); j++) {
			size_t off = (char *)vals[j].field - (char *)t;
			int want = j == i ? vals[j].val :
					    *(int *)((char *)def + off);

			cmd_set_line(test, &topo.tun, vals[j].key, 0, line,
				     &cmd);
			KUNIT_EXPECT_EQ_MSG(test, cmd.set.val, want,
					    "'%s' with only key %d set", line,
					    vals[i].key);
		}
	}
}

static struct kunit_case pgm_cmd_test_cases[] = {
	KUNIT_CASE_PARAM(pgm_cmd_test_error, pgm_cmd_err_gen_params),
	KUNIT_CASE_PARAM(pgm_cmd_test_valid, pgm_cmd_ok_gen_params),
	KUNIT_CASE(pgm_cmd_test_line_length),
	KUNIT_CASE(pgm_cmd_test_numbers_as_kstrtou32),
	KUNIT_CASE(pgm_cmd_test_embedded_nul),
	KUNIT_CASE(pgm_cmd_test_short_err_buffer),
	KUNIT_CASE(pgm_cmd_test_reason_text),
	KUNIT_CASE_PARAM(pgm_cmd_test_bench, pgm_bench_gen_params),
	KUNIT_CASE(pgm_cmd_test_put),
	KUNIT_CASE(pgm_cmd_test_errno_name),
	KUNIT_CASE(pgm_cmd_test_tunables_round_trip),
	{}
};

static struct kunit_suite pgm_cmd_test_suite = {
	.name = "pgmirror_cmd",
	.test_cases = pgm_cmd_test_cases,
};

kunit_test_suite(pgm_cmd_test_suite);
