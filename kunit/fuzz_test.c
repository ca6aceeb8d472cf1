// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_fuzz: the command, bench and parameter parsers under a stream
 * of hostile inputs.
 *
 * Four kinds of input, each from a seeded PRNG so that a failure replays:
 * random bytes, commands built from the grammar with values from the edges
 * (0, -1, INT_MAX, U32_MAX, 2^64 ...), mutations of valid commands, and
 * the overflow values alone. Every input must be accepted with fields in
 * range or refused with EINVAL, a one-line reason and the output left as
 * it was. A failure prints the seed and the input's number.
 */

#include <kunit/test.h>
#include <linux/moduleparam.h>
#include <linux/numa.h>
#include <linux/prandom.h>
#include <linux/string.h>

#include "cmd.h"
#include "pgmirror.h"

/* UML runs at native speed; TCG runs the same inputs about 30x slower */
#define PGMT_FUZZ_INPUTS	(IS_ENABLED(CONFIG_UML) ? 1000000 : 100000)
#define PGMT_FUZZ_SEEDS		4

/* make soak: the same inputs from other seeds */
static unsigned int fuzz_seed = 1;
module_param(fuzz_seed, uint, 0444);
MODULE_PARM_DESC(fuzz_seed, "pgmirror_fuzz: first of the seeds to run");

static const char * const pgmt_edge_values[] = {
	"0", "1", "-1", "2", "7", "8", "10", "11", "100", "101", "512",
	"1000", "1001", "-1000", "-1001", "3000", "3001", "65536", "65537",
	"262144", "262145", "2147483647", "2147483648", "-2147483648",
	"-2147483649", "4294967295", "4294967296", "9223372036854775807",
	"9223372036854775808", "18446744073709551615", "18446744073709551616",
	"99999999999999999999999999", "0x10", "010", "1e3", "+1", "", " ",
	"a", "all", "*", "16E", "4M", "GFP_KERNEL", "GFP_ATOMIC|__GFP_ZERO",
	"__GFP_NOFAIL", "GFP_KERNEL|__GFP_NOFAIL", "GFP_DMA|GFP_DMA32",
	"__GFP_MOVABLE|__GFP_RECLAIMABLE", "GFP_NOWAIT|__GFP_NOFAIL", "|",
	"anon", "file", "slab", "kernel", "pinned", "0-1", "1-0", "0,1",
	"0-3", "web", "a/b", "abcdefghijklmnopqrstuvwxyz0123456",
};

static const char * const pgmt_words[] = {
	"alloc_bulk", "create", "size", "backing", "base", "zones", "distance",
	"cma",
	"alloc", "free", "drain", "set", "owner", "create", "destroy", "dirty",
	"writeback", "order", "gfp", "nid", "count", "tag", "kind", "handle",
	"name", "nodes", "oom_score_adj", "all", "watermark_scale_factor",
	"min_free_kbytes", "watermark_boost_factor", "lowmem_reserve_ratio",
	"percpu_pagelist_high_fraction", "zone_reclaim_mode",
	"min_unmapped_ratio", "min_slab_ratio", "dirty_ratio",
	"alloc_contig", "cma_alloc", "pages", "low", "high", "align",
	"boundary", "max", "high", "min", "transparent_hugepage", "always",
	"madvise", "never", "per_cpu_data_slice_size", "compact",
	"compaction_proactiveness", "kcompactd", "extfrag_threshold",
	"oom_kill_allocating_task",
};

static const char * const pgmt_valid_cmds[] = {
	"alloc", "alloc order=3 gfp=GFP_KERNEL|__GFP_ZERO count=100 tag=web",
	"alloc order=0 gfp=GFP_ATOMIC nid=1 owner=db kind=anon",
	"free handle=17", "free tag=web", "free all", "drain",
	"alloc_bulk count=64 gfp=GFP_ATOMIC tag=rx",
	"set watermark_scale_factor=100", "set lowmem_reserve_ratio=256,256,32,0",
	"owner create name=db nodes=0-1 oom_score_adj=-500",
	"owner destroy name=db", "dirty tag=web", "writeback all",
	"owner set name=db min=16 low=max high=0x40 max=128",
	"set min_free_kbytes=1024", "set transparent_hugepage=madvise",
	"alloc_contig pages=512 low=0x100 high=4096 align=512 boundary=1024",
	"cma_alloc count=16 align=4 tag=c",
	"compact", "compact nid=1", "set compaction_proactiveness=30",
	/* The fast path's lines, at its edges */
	"alloc order=0 tag=ctl\n", "alloc\ttag=a.b-c_9\torder=10 ",
	"alloc count=65536 nid=1 order=3 tag=abcdefghijklmnopqrstuvwxyz01234",
	"free handle=999999999", "free handle=0001234567\n", "free  tag=web ",
	"set fallbacks=[MIGRATE_MOVABLE]={MIGRATE_RECLAIMABLE,MIGRATE_UNMOVABLE}",
	"set fallbacks=[MIGRATE_UNMOVABLE]={}",
	/* The bench and create parsers' */
	"order=3 count=1000 shape=burst reps=7 zero=1 threads=2",
	"shape=frag order=9 count=16", "shape=bulk count=64 threads=4",
	"create name=t size=64M nodes=2 cma=4M zones=DMA:16M,NORMAL:*",
	"create name=c size=4M base=0x100000000", "destroy name=t",
};

static u32 pgmt_rand(struct rnd_state *rs, u32 n)
{
	return n ? prandom_u32_state(rs) % n : 0;
}

static const char *pgmt_pick(struct rnd_state *rs, const char * const *v,
			     u32 n)
{
	return v[pgmt_rand(rs, n)];
}

/* Appends @s to @buf of @size, keeping *len below size */
static void pgmt_cat(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = min(strlen(s), size - 1 - *len);

	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

/* Random bytes, any value, any length up to past the line limit */
static size_t pgmt_gen_bytes(struct rnd_state *rs, char *buf, size_t size)
{
	size_t len = pgmt_rand(rs, size), i;

	for (i = 0; i < len; i++)
		buf[i] = pgmt_rand(rs, 256);
	return len;
}

/* Words of the grammar joined with '=', ' ' and edge values */
static size_t pgmt_gen_grammar(struct rnd_state *rs, char *buf, size_t size)
{
	u32 n = 1 + pgmt_rand(rs, 6), i;
	size_t len = 0;

	buf[0] = '\0';
	pgmt_cat(buf, size, &len,
		 pgmt_pick(rs, pgmt_words, ARRAY_SIZE(pgmt_words)));
	for (i = 0; i < n; i++) {
		pgmt_cat(buf, size, &len, pgmt_rand(rs, 8) ? " " : "\t");
		pgmt_cat(buf, size, &len,
			 pgmt_pick(rs, pgmt_words, ARRAY_SIZE(pgmt_words)));
		if (pgmt_rand(rs, 8))
			pgmt_cat(buf, size, &len, "=");
		pgmt_cat(buf, size, &len,
			 pgmt_pick(rs, pgmt_edge_values, ARRAY_SIZE(pgmt_edge_values)));
		if (!pgmt_rand(rs, 6)) {
			pgmt_cat(buf, size, &len, ",");
			pgmt_cat(buf, size, &len,
				 pgmt_pick(rs, pgmt_edge_values, ARRAY_SIZE(pgmt_edge_values)));
		}
	}
	if (!pgmt_rand(rs, 4))
		pgmt_cat(buf, size, &len, "\n");
	return len;
}

/* A valid command with a few bytes flipped, inserted or cut */
static size_t pgmt_gen_mutation(struct rnd_state *rs, char *buf, size_t size)
{
	size_t len = 0;
	u32 n = 1 + pgmt_rand(rs, 4);

	buf[0] = '\0';
	pgmt_cat(buf, size, &len,
		 pgmt_pick(rs, pgmt_valid_cmds, ARRAY_SIZE(pgmt_valid_cmds)));
	while (n--) {
		size_t at = pgmt_rand(rs, len + 1);

		switch (pgmt_rand(rs, 3)) {
		case 0:
			if (at < len)
				buf[at] ^= 1 << pgmt_rand(rs, 8);
			break;
		case 1:
			if (len + 1 < size) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = pgmt_rand(rs, 256);
				len++;
			}
			break;
		default:
			if (at < len) {
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
			}
			break;
		}
	}
	return len;
}

/* A valid key with an overflow value */
static size_t pgmt_gen_overflow(struct rnd_state *rs, char *buf, size_t size)
{
	static const char * const prefixes[] = {
		"alloc order=", "alloc count=", "alloc nid=", "free handle=",
		"set min_free_kbytes=", "set watermark_boost_factor=",
		"set lowmem_reserve_ratio=", "owner create name=a oom_score_adj=",
		"set dirty_ratio=", "set percpu_pagelist_high_fraction=",
		"owner set name=a low=", "owner create name=a min=",
		"set per_cpu_data_slice_size=",
	};
	size_t len = 0;

	buf[0] = '\0';
	pgmt_cat(buf, size, &len,
		 pgmt_pick(rs, prefixes, ARRAY_SIZE(prefixes)));
	pgmt_cat(buf, size, &len,
		 pgmt_pick(rs, pgmt_edge_values, ARRAY_SIZE(pgmt_edge_values)));
	return len;
}

static const char * const pgmt_bench_keys[] = {
	"order", "count", "shape", "reps", "zero", "threads", "nid",
};

static const char * const pgmt_bench_values[] = {
	"0", "1", "3", "9", "10", "11", "-1", "15", "16", "64", "65",
	"1000000", "1000001", "pair", "burst", "bulk", "frag", "Pair", "",
};

static const char * const pgmt_create_keys[] = {
	"size", "backing", "base", "nodes", "zones", "distance", "cma",
	"nr_cpus", "min_free_kbytes", "watermark_scale_factor",
	"watermark_boost_factor", "lowmem_reserve_ratio",
	"transparent_hugepage", "name", "order",
};

static const char * const pgmt_destroy_keys[] = { "name", "size" };

static const char * const pgmt_create_values[] = {
	"4M", "64M", "16E", "0", "-1", "2", "borrow", "carveout", "none",
	"0x100000000", "DMA:16M,NORMAL:*", "10,20,20,10", "256,32",
	"madvise", "a", "",
};

/* Every tunable set takes, and one it does not */
static const char * const pgmt_set_keys[] = {
	"watermark_scale_factor", "min_free_kbytes", "watermark_boost_factor",
	"lowmem_reserve_ratio", "percpu_pagelist_high_fraction",
	"zone_reclaim_mode", "min_unmapped_ratio", "min_slab_ratio",
	"dirty_ratio", "page_poisoning", "init_on_free", "init_on_alloc",
	"page_group_by_mobility", "alloc_nofragment", "highatomic", "pcp",
	"pcp_batch", "pcp_high", "claim_threshold", "kswapd",
	"direct_reclaim", "direct_compaction", "numa_stat",
	"transparent_hugepage", "per_cpu_data_slice_size",
	"compaction_proactiveness", "kcompactd", "extfrag_threshold",
	"oom_kill_allocating_task", "swappiness",
};

/* Appends " key=value" pairs, keys from @keys and values from @vals or the edges */
static void pgmt_cat_pairs(struct rnd_state *rs, char *buf, size_t size,
			   size_t *len, u32 n, const char * const *keys,
			   u32 nr_keys, const char * const *vals, u32 nr_vals)
{
	while (n--) {
		if (*len)
			pgmt_cat(buf, size, len, " ");
		pgmt_cat(buf, size, len, pgmt_pick(rs, keys, nr_keys));
		pgmt_cat(buf, size, len, "=");
		pgmt_cat(buf, size, len, pgmt_rand(rs, 4) ?
			 pgmt_pick(rs, vals, nr_vals) :
			 pgmt_pick(rs, pgmt_edge_values,
				   ARRAY_SIZE(pgmt_edge_values)));
	}
}

/*
 * Lines of the bench, create and set grammars, each key with a value
 * near its bounds: the other generators' first words seldom make one
 * that the bench or create parser takes
 */
static size_t pgmt_gen_keyed(struct rnd_state *rs, char *buf, size_t size)
{
	u32 n = pgmt_rand(rs, 4);
	size_t len = 0;

	buf[0] = '\0';
	switch (pgmt_rand(rs, 4)) {
	case 0:
		pgmt_cat_pairs(rs, buf, size, &len, 1 + n, pgmt_bench_keys,
			       ARRAY_SIZE(pgmt_bench_keys), pgmt_bench_values,
			       ARRAY_SIZE(pgmt_bench_values));
		break;
	case 1:
		pgmt_cat(buf, size, &len, pgmt_rand(rs, 8) ?
			 "create name=i size=" : "create size=");
		pgmt_cat(buf, size, &len,
			 pgmt_pick(rs, pgmt_create_values,
				   ARRAY_SIZE(pgmt_create_values)));
		pgmt_cat_pairs(rs, buf, size, &len, n, pgmt_create_keys,
			       ARRAY_SIZE(pgmt_create_keys), pgmt_create_values,
			       ARRAY_SIZE(pgmt_create_values));
		break;
	case 2:
		pgmt_cat(buf, size, &len, "destroy");
		pgmt_cat_pairs(rs, buf, size, &len, 1 + !n, pgmt_destroy_keys,
			       ARRAY_SIZE(pgmt_destroy_keys),
			       pgmt_create_values,
			       ARRAY_SIZE(pgmt_create_values));
		break;
	default:
		pgmt_cat(buf, size, &len, "set");
		pgmt_cat_pairs(rs, buf, size, &len, 1, pgmt_set_keys,
			       ARRAY_SIZE(pgmt_set_keys), pgmt_edge_values,
			       ARRAY_SIZE(pgmt_edge_values));
		break;
	}
	if (!pgmt_rand(rs, 4))
		pgmt_cat(buf, size, &len, "\n");
	return len;
}

typedef size_t (*pgmt_gen_fn)(struct rnd_state *rs, char *buf, size_t size);

static const pgmt_gen_fn pgmt_gens[] = {
	pgmt_gen_bytes, pgmt_gen_grammar, pgmt_gen_mutation, pgmt_gen_overflow,
	pgmt_gen_keyed,
};

/* One reason line: not empty, no newline, NUL-terminated in its buffer */
static bool pgmt_reason_ok(const char *err, size_t errlen)
{
	size_t n = strnlen(err, errlen);

	return n && n < errlen && !strchr(err, '\n');
}

/* alloc's tag is copied whole into the record: NULs to its end */
static bool pgmt_tag_padded(const char *tag)
{
	size_t n = strnlen(tag, PGM_TAG_LEN);

	return n < PGM_TAG_LEN && !memchr_inv(tag + n, 0, PGM_TAG_LEN - n);
}

/*
 * Each tunable's bounds, from its sysctl's proc_dointvec_minmax() limits
 * (or the boot parameter's, a bool) and pgmirror's own for its knobs
 */
static const struct {
	int min;
	int max;
} pgmt_set_range[PGM_NR_SET_KEYS] = {
	[PGM_SET_WATERMARK_SCALE_FACTOR]	= { 1, 3000 },
	[PGM_SET_MIN_FREE_KBYTES]		= { 0, INT_MAX },
	[PGM_SET_WATERMARK_BOOST_FACTOR]	= { 0, INT_MAX },
	[PGM_SET_PERCPU_PAGELIST_HIGH_FRACTION]	= { 0, INT_MAX },
	[PGM_SET_ZONE_RECLAIM_MODE]		= { 0, INT_MAX },
	[PGM_SET_MIN_UNMAPPED_RATIO]		= { 0, 100 },
	[PGM_SET_MIN_SLAB_RATIO]		= { 0, 100 },
	[PGM_SET_DIRTY_RATIO]			= { 0, 100 },
	[PGM_SET_PAGE_POISONING]		= { 0, 1 },
	[PGM_SET_INIT_ON_FREE]			= { 0, 1 },
	[PGM_SET_INIT_ON_ALLOC]			= { 0, 1 },
	[PGM_SET_PAGE_GROUP_BY_MOBILITY]	= { 0, 1 },
	[PGM_SET_ALLOC_NOFRAGMENT]		= { 0, 1 },
	[PGM_SET_HIGHATOMIC]			= { 0, 1 },
	[PGM_SET_PCP]				= { 0, 1 },
	[PGM_SET_PCP_BATCH]			= { 0, PGM_PCP_BATCH_MAX },
	[PGM_SET_PCP_HIGH]			= { 0, PGM_PCP_HIGH_MAX },
	[PGM_SET_CLAIM_THRESHOLD]		= { 0, PGM_PAGEBLOCK_NR_PAGES },
	[PGM_SET_KSWAPD]			= { 0, 1 },
	[PGM_SET_DIRECT_RECLAIM]		= { 0, 1 },
	[PGM_SET_DIRECT_COMPACTION]		= { 0, 1 },
	[PGM_SET_FALLBACKS]			= { 0, PGM_MIGRATE_PCPTYPES - 1 },
	[PGM_SET_NUMA_STAT]			= { 0, 1 },
	[PGM_SET_TRANSPARENT_HUGEPAGE]		= { PGM_THP_NEVER,
						    PGM_NR_THP_MODES - 1 },
	[PGM_SET_PER_CPU_DATA_SLICE_SIZE]	= { 0, INT_MAX },
	[PGM_SET_COMPACTION_PROACTIVENESS]	= { 0, 100 },
	[PGM_SET_KCOMPACTD]			= { 0, 1 },
	[PGM_SET_EXTFRAG_THRESHOLD]		= { 0, 1000 },
	[PGM_SET_OOM_KILL_ALLOCATING_TASK]	= { INT_MIN, INT_MAX },
};

/* A fallbacks row: other pcp types, each once, then -1 to its end */
static bool pgmt_row_sane(const struct pgm_cmd *c)
{
	int i, j;

	for (i = 0; i < PGM_MIGRATE_PCPTYPES - 1; i++) {
		int fb = c->set.row[i];

		if (fb == -1) {
			for (j = i; j < PGM_MIGRATE_PCPTYPES - 1; j++)
				if (c->set.row[j] != -1)
					return false;
			return true;
		}
		if (fb < 0 || fb >= PGM_MIGRATE_PCPTYPES || fb == c->set.val)
			return false;
		for (j = 0; j < i; j++)
			if (c->set.row[j] == fb)
				return false;
	}
	return true;
}

static bool pgmt_set_sane(const struct pgm_cmd *c)
{
	int v = c->set.val;

	if (c->set.key >= PGM_NR_SET_KEYS)
		return false;
	/* Any ints, as the sysctl's: only how many */
	if (c->set.key == PGM_SET_LOWMEM_RESERVE_RATIO)
		return c->set.nr_ratio >= 1 &&
		       c->set.nr_ratio <= PGM_MAX_NR_ZONES;
	/* percpu_pagelist_high_fraction_sysctl_handler(): 0, or 8 and up */
	if (c->set.key == PGM_SET_PERCPU_PAGELIST_HIGH_FRACTION &&
	    v > 0 && v < 8)
		return false;
	if (c->set.key == PGM_SET_FALLBACKS && !pgmt_row_sane(c))
		return false;
	return v >= pgmt_set_range[c->set.key].min &&
	       v <= pgmt_set_range[c->set.key].max;
}

/* What an accepted command must hold, whatever the input */
static bool pgmt_cmd_sane(const struct pgm_cmd *c, unsigned int nr_nodes)
{
	switch (c->op) {
	case PGM_CMD_ALLOC_BULK:
		if (c->alloc.order || c->alloc.owner[0] ||
		    c->alloc.kind != PGM_KIND_KERNEL)
			return false;
		fallthrough;
	case PGM_CMD_ALLOC:
		return c->alloc.order <= PGM_MAX_PAGE_ORDER &&
		       c->alloc.count >= 1 &&
		       c->alloc.count <= PGM_CMD_MAX_COUNT &&
		       (c->alloc.nid == NUMA_NO_NODE ||
			(c->alloc.nid >= 0 && c->alloc.nid < nr_nodes)) &&
		       pgmt_tag_padded(c->alloc.tag) &&
		       strnlen(c->alloc.owner, PGM_OWNER_NAME_LEN) <
		       PGM_OWNER_NAME_LEN &&
		       c->alloc.kind < PGM_NR_KINDS &&
		       pgm_gfp_zone(c->alloc.gfp) >= 0 &&
		       pgm_gfp_migratetype(c->alloc.gfp) >= 0;
	case PGM_CMD_FREE:
	case PGM_CMD_DIRTY:
	case PGM_CMD_WRITEBACK:
		return c->free.sel <= PGM_FREE_ALL &&
		       strnlen(c->free.tag, PGM_TAG_LEN) < PGM_TAG_LEN;
	case PGM_CMD_DRAIN:
	case PGM_CMD_STAT_REFRESH:
		return true;
	case PGM_CMD_COMPACT:
		return c->compact.nid == NUMA_NO_NODE ||
		       (c->compact.nid >= 0 && c->compact.nid < nr_nodes);
	case PGM_CMD_SET:
		return pgmt_set_sane(c);
	case PGM_CMD_OWNER_CREATE:
	case PGM_CMD_OWNER_DESTROY:
	case PGM_CMD_OWNER_SET:
		return c->owner.name[0] &&
		       c->owner.min <= PGM_PAGE_COUNTER_MAX &&
		       c->owner.low <= PGM_PAGE_COUNTER_MAX &&
		       c->owner.high <= PGM_PAGE_COUNTER_MAX &&
		       c->owner.max <= PGM_PAGE_COUNTER_MAX &&
		       strnlen(c->owner.name, PGM_OWNER_NAME_LEN) <
		       PGM_OWNER_NAME_LEN &&
		       c->owner.oom_score_adj >= -1000 &&
		       c->owner.oom_score_adj <= 1000;
	case PGM_CMD_ISOLATE:
	case PGM_CMD_UNISOLATE:
		return c->range.start < c->range.end;
	case PGM_CMD_ALLOC_CONTIG:
		return c->contig.nr_pages >= 1 &&
		       c->contig.nr_pages <= PGM_MAX_NR_PAGES &&
		       (!c->contig.high ||
			c->contig.high - c->contig.low >= c->contig.nr_pages) &&
		       (!c->contig.align || is_power_of_2(c->contig.align)) &&
		       (!c->contig.boundary ||
			(is_power_of_2(c->contig.boundary) &&
			 c->contig.boundary >= c->contig.nr_pages)) &&
		       !(c->contig.gfp & __GFP_COMP) &&
		       (c->contig.nid == NUMA_NO_NODE ||
			(c->contig.nid >= 0 && c->contig.nid < nr_nodes)) &&
		       strnlen(c->contig.tag, PGM_TAG_LEN) < PGM_TAG_LEN;
	case PGM_CMD_CMA_ALLOC:
		return c->contig.nr_pages >= 1 && c->contig.align < 32 &&
		       strnlen(c->contig.tag, PGM_TAG_LEN) < PGM_TAG_LEN;
	}
	return false;
}

struct pgmt_fuzz_stats {
	unsigned long inputs;
	unsigned long accepted;
	unsigned long hot;
	unsigned long create;
	unsigned long params;
	unsigned long bench;
};

/* What an accepted create or destroy must hold */
static bool pgmt_create_sane(const struct pgm_create *c)
{
	if (!c->name || !*c->name)
		return false;
	/* destroy takes name= alone */
	if (c->destroy)
		return !c->params.size && !c->base;
	/* The values are pgm_parse_params()' to check */
	if (!c->params.size)
		return false;
	switch (c->backing) {
	case PGM_BACKING_CARVEOUT:
		return c->base;
	case PGM_BACKING_BORROWED:
	case PGM_BACKING_NONE:
		return !c->base;
	}
	return false;
}

/* What an accepted bench line must hold */
static bool pgmt_bench_sane(const struct pgm_bench_args *b)
{
	return b->order <= PGM_MAX_PAGE_ORDER && b->count >= 1 &&
	       b->count <= PGM_BENCH_MAX_COUNT && b->reps >= 1 &&
	       b->reps <= PGM_BENCH_MAX_REPS && b->shape <= PGM_BENCH_FRAG &&
	       b->threads >= 1 && b->threads <= PGM_BENCH_MAX_THREADS &&
	       !(b->shape == PGM_BENCH_BULK && b->order) &&
	       !(b->shape == PGM_BENCH_FRAG && b->threads > 1);
}

/*
 * Parameters are refused with EINVAL, or E2BIG for a size past an
 * instance's pages, a reason and no size; or accepted with every node's
 * zones adding up to exactly its share and no zone on a node past them
 */
static bool pgmt_params_ok(struct kunit *test, const struct pgm_params *p,
			   struct pgm_topology *topo, unsigned long *ok)
{
	char err[PGM_STATUS_LEN] = "";
	unsigned long node_pages;
	unsigned int n, z;
	u64 bytes = 0;
	int ret;

	ret = pgm_parse_params(p, topo, &bytes, err, sizeof(err));
	if (ret && ((ret != -EINVAL &&
		     (ret != -E2BIG || !strstr(err, "more than an instance's"))) ||
		    !pgmt_reason_ok(err, sizeof(err)) || bytes)) {
		kunit_info(test, "size '%*pE' zones '%*pE' ret %d err '%s'",
			   (int)strlen(p->size), p->size, (int)strlen(p->zones),
			   p->zones, ret, err);
		return false;
	}
	if (ret)
		return true;

	(*ok)++;
	if (!bytes || p->nodes < 1 || p->nodes > PGM_MAX_NUMNODES ||
	    topo->nr_nodes != p->nodes)
		return false;
	node_pages = (bytes >> PAGE_SHIFT) / p->nodes;
	for (n = 0; n < PGM_MAX_NUMNODES; n++) {
		unsigned long sum = 0;

		for (z = 0; z < PGM_MAX_NR_ZONES; z++) {
			if (topo->zone_pages[n][z] > node_pages)
				return false;
			sum += topo->zone_pages[n][z];
		}
		if (sum != (n < p->nodes ? node_pages : 0))
			return false;
	}
	return topo->cma_pages <= bytes >> PAGE_SHIFT;
}

/* An alloc or free the fast path took means what the general parser's does */
static bool pgmt_cmd_same(const struct pgm_cmd *a, const struct pgm_cmd *b)
{
	if (a->op != b->op)
		return false;
	if (a->op == PGM_CMD_FREE)
		return a->free.sel == b->free.sel &&
		       a->free.handle == b->free.handle &&
		       !strcmp(a->free.tag, b->free.tag);
	return a->op == PGM_CMD_ALLOC && a->alloc.order == b->alloc.order &&
	       a->alloc.gfp == b->alloc.gfp && a->alloc.nid == b->alloc.nid &&
	       a->alloc.count == b->alloc.count &&
	       !memcmp(a->alloc.tag, b->alloc.tag, PGM_TAG_LEN) &&
	       !strcmp(a->alloc.owner, b->alloc.owner) &&
	       a->alloc.kind == b->alloc.kind &&
	       a->alloc.explain == b->alloc.explain;
}

/*
 * A line pgm_parse_hot() takes, the general parser takes too, into the
 * same command; one it leaves goes to the general parser unchanged
 */
static bool pgmt_fuzz_hot(const char *buf, size_t len, unsigned int nr_nodes,
			  struct pgmt_fuzz_stats *st)
{
	struct pgm_cmd hot, line, before;
	char err[PGM_STATUS_LEN];

	memset(&hot, 0x5a, sizeof(hot));
	before = hot;
	if (!pgm_parse_hot(buf, len, nr_nodes, &hot))
		return !memcmp(&hot, &before, sizeof(hot));
	st->hot++;
	return !pgm_parse_line(buf, len, nr_nodes, &line, err, sizeof(err)) &&
	       pgmt_cmd_same(&hot, &line);
}

/* Feeds one input to the command and bench parsers */
static bool pgmt_fuzz_cmd_one(struct kunit *test, const char *buf, size_t len,
			      struct pgm_create *create,
			      struct pgm_topology *topo,
			      struct pgmt_fuzz_stats *st)
{
	unsigned int nr_nodes = 1 + (len % PGM_MAX_NUMNODES);
	char err[PGM_STATUS_LEN];
	struct pgm_cmd cmd, before;
	struct pgm_bench_args b, b_before;
	int ret;

	memset(&cmd, 0xa5, sizeof(cmd));
	before = cmd;
	err[0] = '\0';
	ret = pgm_parse_cmd(buf, len, nr_nodes, &cmd, err, sizeof(err));
	st->inputs++;
	if (ret) {
		if (ret != -EINVAL || !pgmt_reason_ok(err, sizeof(err)) ||
		    memcmp(&cmd, &before, sizeof(cmd)))
			return false;
	} else {
		st->accepted++;
		if (!pgmt_cmd_sane(&cmd, nr_nodes))
			return false;
	}
	if (!pgmt_fuzz_hot(buf, len, nr_nodes, st))
		return false;

	/* The top-level control's parser sees the same lines */
	err[0] = '\0';
	ret = pgm_parse_create(buf, len, create, err, sizeof(err));
	if (ret && (ret != -EINVAL || !pgmt_reason_ok(err, sizeof(err))))
		return false;
	/* and what it takes, the instance's parameters' parser */
	if (!ret) {
		st->create++;
		if (!pgmt_create_sane(create) ||
		    (!create->destroy &&
		     !pgmt_params_ok(test, &create->params, topo,
				     &st->params)))
			return false;
	}

	memset(&b, 0x77, sizeof(b));
	b_before = b;
	err[0] = '\0';
	ret = pgm_parse_bench(buf, len, &b, err, sizeof(err));
	if (ret)
		return ret == -EINVAL && pgmt_reason_ok(err, sizeof(err)) &&
		       !memcmp(&b, &b_before, sizeof(b));
	st->bench++;
	return pgmt_bench_sane(&b);
}

static void pgm_fuzz_cmd(struct kunit *test)
{
	struct pgmt_fuzz_stats st = {};
	char buf[PGM_CMD_MAX_LEN + 64];
	unsigned long i, per_seed = PGMT_FUZZ_INPUTS / PGMT_FUZZ_SEEDS;
	struct pgm_topology *topo;
	struct pgm_create *create;
	u32 seed;

	create = kunit_kzalloc(test, sizeof(*create), GFP_KERNEL);
	topo = kunit_kzalloc(test, sizeof(*topo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, create);
	KUNIT_ASSERT_NOT_NULL(test, topo);
	for (seed = fuzz_seed; seed - fuzz_seed < PGMT_FUZZ_SEEDS; seed++) {
		struct rnd_state rs;

		prandom_seed_state(&rs, seed);
		for (i = 0; i < per_seed; i++) {
			pgmt_gen_fn gen = pgmt_gens[i % ARRAY_SIZE(pgmt_gens)];
			size_t len = gen(&rs, buf, sizeof(buf));

			if (!pgmt_fuzz_cmd_one(test, buf, len, create, topo,
					       &st)) {
				KUNIT_FAIL(test,
					   "seed %u input %lu: '%.*s' (%zu bytes) broke a parser rule",
					   seed, i, (int)min_t(size_t, len, 80),
					   buf, len);
				return;
			}
			if (!(i & 4095))
				cond_resched();
		}
	}
	kunit_info(test, "fuzz: %lu command inputs over %d seeds, %lu accepted, %lu by the fast path, %lu by create (%lu with parameters taken), %lu by bench",
		   st.inputs, PGMT_FUZZ_SEEDS, st.accepted, st.hot, st.create,
		   st.params, st.bench);
	/* The generators must reach every parser's accepting path too */
	KUNIT_EXPECT_GT(test, st.accepted, st.inputs / 100);
	KUNIT_EXPECT_GT(test, st.hot, st.inputs / 1000);
	KUNIT_EXPECT_GT(test, st.create, st.inputs / 1000);
	KUNIT_EXPECT_GT(test, st.params, st.inputs / 10000);
	KUNIT_EXPECT_GT(test, st.bench, st.inputs / 1000);
}

/* ========================= module parameters ========================= */

static const char * const pgmt_sizes[] = {
	"64M", "128M", "4M", "2M", "0", "1", "4096", "16E", "15E",
	"18446744073709551615", "18446744073709551616", "17179869248M",
	"0x4000000", "64m", "64MB", "", "-64M", "1G", "3M", "6M",
};

static const char * const pgmt_zone_names[] = {
	"DMA", "DMA32", "NORMAL", "MOVABLE", "dma", "Normal", "BOGUS", "",
};

static const char * const pgmt_zone_sizes[] = {
	"*", "512", "1024", "4096", "16384", "8192", "16M", "2M", "3M", "0",
	"9223372036854775808", "9223372036854792192", "18446744073709551615",
	"18446744073709551616", "16E", "1E", "", "**", "-1", "0x200",
};

static void pgmt_gen_zones(struct rnd_state *rs, char *buf, size_t size)
{
	u32 n = pgmt_rand(rs, 5), i;
	size_t len = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			pgmt_cat(buf, size, &len, pgmt_rand(rs, 10) ? "," : ",,");
		pgmt_cat(buf, size, &len,
			 pgmt_pick(rs, pgmt_zone_names, ARRAY_SIZE(pgmt_zone_names)));
		if (pgmt_rand(rs, 10))
			pgmt_cat(buf, size, &len, ":");
		pgmt_cat(buf, size, &len,
			 pgmt_pick(rs, pgmt_zone_sizes, ARRAY_SIZE(pgmt_zone_sizes)));
	}
}

static bool pgmt_fuzz_params_one(struct kunit *test, struct rnd_state *rs,
				 struct pgm_topology *topo, unsigned long *ok)
{
	static const int dist[16] = { 10, 20, 20, 20, 20, 10, 20, 20,
				      20, 20, 10, 20, 20, 20, 20, 10 };
	static const int ratio[PGM_MAX_NR_ZONES] = { 256, 256, 32, 0 };
	char zones[96], bytes_in[3][40];
	struct pgm_params p = {
		.size = pgmt_pick(rs, pgmt_sizes, ARRAY_SIZE(pgmt_sizes)),
		.nodes = pgmt_rand(rs, 4) ? 1 + pgmt_rand(rs, 4) :
			 prandom_u32_state(rs),
		.zones = zones,
		.distance = dist,
		.nr_distance = pgmt_rand(rs, 3) ? 0 : pgmt_rand(rs, 17),
		.cma = pgmt_rand(rs, 3) ? NULL : pgmt_pick(rs, pgmt_sizes, ARRAY_SIZE(pgmt_sizes)),
		.lowmem_reserve_ratio = ratio,
		.nr_lowmem_reserve_ratio = pgmt_rand(rs, 5),
		.nr_cpus = pgmt_rand(rs, 70),
	};
	unsigned int n;

	pgmt_gen_zones(rs, zones, sizeof(zones));
	/* One set in four: random bytes for the three strings */
	if (!pgmt_rand(rs, 4)) {
		for (n = 0; n < 3; n++) {
			size_t len = pgmt_gen_bytes(rs, bytes_in[n],
						    sizeof(bytes_in[n]));

			/* Module parameters are C strings */
			bytes_in[n][len] = '\0';
		}
		p.size = bytes_in[0];
		p.zones = bytes_in[1];
		p.cma = bytes_in[2];
	}
	return pgmt_params_ok(test, &p, topo, ok);
}

static void pgm_fuzz_params(struct kunit *test)
{
	unsigned long i, ok = 0, per_seed = PGMT_FUZZ_INPUTS / PGMT_FUZZ_SEEDS;
	struct pgm_topology *topo;
	u32 seed;

	topo = kunit_kzalloc(test, sizeof(*topo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, topo);
	for (seed = fuzz_seed; seed - fuzz_seed < PGMT_FUZZ_SEEDS; seed++) {
		struct rnd_state rs;

		prandom_seed_state(&rs, seed);
		for (i = 0; i < per_seed; i++) {
			if (!pgmt_fuzz_params_one(test, &rs, topo, &ok)) {
				KUNIT_FAIL(test,
					   "seed %u input %lu broke a parameter rule",
					   seed, i);
				return;
			}
			if (!(i & 4095))
				cond_resched();
		}
	}
	kunit_info(test, "fuzz: %lu parameter sets over %d seeds, %lu accepted",
		   per_seed * PGMT_FUZZ_SEEDS, PGMT_FUZZ_SEEDS, ok);
	KUNIT_EXPECT_GT(test, ok, 0);
}

static struct kunit_case pgm_fuzz_cases[] = {
	KUNIT_CASE_SLOW(pgm_fuzz_cmd),
	KUNIT_CASE_SLOW(pgm_fuzz_params),
	{}
};

static struct kunit_suite pgm_fuzz_test_suite = {
	.name = "pgmirror_fuzz",
	.test_cases = pgm_fuzz_cases,
};

kunit_test_suite(pgm_fuzz_test_suite);
