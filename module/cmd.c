// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the control-command and module-parameter parsers.
 *
 * A pure function of its input: it takes no lock, allocates nothing and
 * touches no instance, so KUnit can pin every error and a fuzzer can reach
 * it. Checking a handle or a tag against the live allocations is left to
 * the caller.
 */

#include <linux/bits.h>
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/numa.h>
#include <linux/overflow.h>
#include <linux/stdarg.h>
#include <linux/string.h>

#include "cmd.h"
#include "pgmirror.h"

/* ========================= gfp names ========================= */

struct pgm_gfp_name {
	const char *name;
	gfp_t gfp;
};

/* The host's own macros, so a mask means what it means to alloc_pages() */
#define PGM_GFP(x)	{ #x, x }
static const struct pgm_gfp_name pgm_gfp_names[] = {
	PGM_GFP(GFP_KERNEL),
	PGM_GFP(GFP_TRANSHUGE),
	PGM_GFP(GFP_TRANSHUGE_LIGHT),
	PGM_GFP(GFP_ATOMIC),
	PGM_GFP(GFP_NOWAIT),
	PGM_GFP(GFP_USER),
	PGM_GFP(GFP_HIGHUSER),
	PGM_GFP(GFP_HIGHUSER_MOVABLE),
	PGM_GFP(GFP_DMA),
	PGM_GFP(GFP_DMA32),
	PGM_GFP(GFP_NOIO),
	PGM_GFP(GFP_NOFS),
	PGM_GFP(GFP_KERNEL_ACCOUNT),
	PGM_GFP(__GFP_DMA),
	PGM_GFP(__GFP_DMA32),
	PGM_GFP(__GFP_HIGHMEM),
	PGM_GFP(__GFP_MOVABLE),
	PGM_GFP(__GFP_RECLAIMABLE),
	PGM_GFP(__GFP_HIGH),
	PGM_GFP(__GFP_IO),
	PGM_GFP(__GFP_FS),
	PGM_GFP(__GFP_ZERO),
	PGM_GFP(__GFP_NOWARN),
	PGM_GFP(__GFP_RETRY_MAYFAIL),
	PGM_GFP(__GFP_NOFAIL),
	PGM_GFP(__GFP_NORETRY),
	PGM_GFP(__GFP_MEMALLOC),
	PGM_GFP(__GFP_COMP),
	PGM_GFP(__GFP_NOMEMALLOC),
	PGM_GFP(__GFP_HARDWALL),
	PGM_GFP(__GFP_THISNODE),
	PGM_GFP(__GFP_ACCOUNT),
	PGM_GFP(__GFP_WRITE),
	PGM_GFP(__GFP_DIRECT_RECLAIM),
	PGM_GFP(__GFP_KSWAPD_RECLAIM),
	PGM_GFP(__GFP_RECLAIM),
};

/**
 * pgm_gfp_lookup() - the gfp bits of one flag name
 * @name: a name as show_gfp_flags() and the alloc command spell it
 * @gfp: set to its bits
 *
 * Return: 0, or -ENOENT for a name the table does not have.
 */
int pgm_gfp_lookup(const char *name, gfp_t *gfp)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pgm_gfp_names); i++) {
		if (!strcmp(name, pgm_gfp_names[i].name)) {
			*gfp = pgm_gfp_names[i].gfp;
			return 0;
		}
	}
	return -ENOENT;
}

static const char * const pgm_set_key_names[] = {
	[PGM_SET_WATERMARK_SCALE_FACTOR]	= "watermark_scale_factor",
	[PGM_SET_MIN_FREE_KBYTES]		= "min_free_kbytes",
	[PGM_SET_WATERMARK_BOOST_FACTOR]	= "watermark_boost_factor",
	[PGM_SET_LOWMEM_RESERVE_RATIO]		= "lowmem_reserve_ratio",
	[PGM_SET_PERCPU_PAGELIST_HIGH_FRACTION]	= "percpu_pagelist_high_fraction",
	[PGM_SET_ZONE_RECLAIM_MODE]		= "zone_reclaim_mode",
	[PGM_SET_MIN_UNMAPPED_RATIO]		= "min_unmapped_ratio",
	[PGM_SET_MIN_SLAB_RATIO]		= "min_slab_ratio",
	[PGM_SET_DIRTY_RATIO]			= "dirty_ratio",
	[PGM_SET_PAGE_POISONING]		= "page_poisoning",
	[PGM_SET_INIT_ON_FREE]			= "init_on_free",
	[PGM_SET_INIT_ON_ALLOC]			= "init_on_alloc",
	[PGM_SET_PAGE_GROUP_BY_MOBILITY]	= "page_group_by_mobility",
	[PGM_SET_ALLOC_NOFRAGMENT]		= "alloc_nofragment",
	[PGM_SET_HIGHATOMIC]			= "highatomic",
	[PGM_SET_PCP]				= "pcp",
	[PGM_SET_PCP_BATCH]			= "pcp_batch",
	[PGM_SET_PCP_HIGH]			= "pcp_high",
	[PGM_SET_CLAIM_THRESHOLD]		= "claim_threshold",
	[PGM_SET_KSWAPD]			= "kswapd",
	[PGM_SET_DIRECT_RECLAIM]		= "direct_reclaim",
	[PGM_SET_DIRECT_COMPACTION]		= "direct_compaction",
	[PGM_SET_FALLBACKS]			= "fallbacks",
	[PGM_SET_NUMA_STAT]			= "numa_stat",
	[PGM_SET_TRANSPARENT_HUGEPAGE]		= "transparent_hugepage",
	[PGM_SET_PER_CPU_DATA_SLICE_SIZE]	= "per_cpu_data_slice_size",
	[PGM_SET_COMPACTION_PROACTIVENESS]	= "compaction_proactiveness",
	[PGM_SET_KCOMPACTD]			= "kcompactd",
	[PGM_SET_EXTFRAG_THRESHOLD]		= "extfrag_threshold",
	[PGM_SET_OOM_KILL_ALLOCATING_TASK]	= "oom_kill_allocating_task",
};

static_assert(ARRAY_SIZE(pgm_set_key_names) == PGM_NR_SET_KEYS);

static const char * const pgm_thp_mode_names[] = {
	[PGM_THP_NEVER]		= "never",
	[PGM_THP_MADVISE]	= "madvise",
	[PGM_THP_ALWAYS]	= "always",
};

static_assert(ARRAY_SIZE(pgm_thp_mode_names) == PGM_NR_THP_MODES);

/**
 * pgm_thp_mode_name() - a transparent_hugepage mode's name
 * @mode: enum pgm_thp_mode
 *
 * Return: its name, as the enabled file takes it.
 */
const char *pgm_thp_mode_name(int mode)
{
	if ((unsigned int)mode >= PGM_NR_THP_MODES)
		return "?";
	return pgm_thp_mode_names[mode];
}

/**
 * pgm_set_key_name() - the tunable a set key stands for
 * @key: the key
 *
 * Return: the name the set command and the sysctl use.
 */
const char *pgm_set_key_name(enum pgm_set_key key)
{
	if ((unsigned int)key >= PGM_NR_SET_KEYS)
		return "?";
	return pgm_set_key_names[key];
}

struct pgm_errno_name {
	int err;
	const char *name;
};

static const struct pgm_errno_name pgm_errno_names[] = {
	{ EPERM, "EPERM" },
	{ ENOENT, "ENOENT" },
	{ EINTR, "EINTR" },
	{ EIO, "EIO" },
	{ E2BIG, "E2BIG" },
	{ EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" },
	{ EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" },
	{ EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" },
	{ ERANGE, "ERANGE" },
	{ EOPNOTSUPP, "EOPNOTSUPP" },
};

/* "00" to "99", for pgm_put_u32() */
const char pgm_dec_pairs[100][3] = {
	"00", "01", "02", "03", "04", "05", "06", "07", "08", "09",
	"10", "11", "12", "13", "14", "15", "16", "17", "18", "19",
	"20", "21", "22", "23", "24", "25", "26", "27", "28", "29",
	"30", "31", "32", "33", "34", "35", "36", "37", "38", "39",
	"40", "41", "42", "43", "44", "45", "46", "47", "48", "49",
	"50", "51", "52", "53", "54", "55", "56", "57", "58", "59",
	"60", "61", "62", "63", "64", "65", "66", "67", "68", "69",
	"70", "71", "72", "73", "74", "75", "76", "77", "78", "79",
	"80", "81", "82", "83", "84", "85", "86", "87", "88", "89",
	"90", "91", "92", "93", "94", "95", "96", "97", "98", "99",
};

/**
 * pgm_errno_name() - the symbolic name of an errno
 * @err: the errno, either sign
 *
 * The status line spells errors the way errno(3) does; %pe would print a
 * number on kernels built without CONFIG_SYMBOLIC_ERRNAME.
 *
 * Return: "EINVAL" and so on, or NULL for an errno the interface never
 * returns.
 */
const char *pgm_errno_name(int err)
{
	unsigned int i;

	if (err < 0)
		err = -err;
	for (i = 0; i < ARRAY_SIZE(pgm_errno_names); i++)
		if (pgm_errno_names[i].err == err)
			return pgm_errno_names[i].name;
	return NULL;
}

/* ========================= helpers ========================= */

/* Fill @err with a reason and return -@errnum */
static __printf(4, 5) int pgm_fail(char *err, size_t errlen, int errnum,
				   const char *fmt, ...)
{
	va_list args;

	if (err && errlen) {
		va_start(args, fmt);
		vsnprintf(err, errlen, fmt, args);
		va_end(args);
	}
	return -errnum;
}

#define pgm_einval(err, errlen, fmt, ...) \
	pgm_fail(err, errlen, EINVAL, fmt, ##__VA_ARGS__)

static bool pgm_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A byte of a tag or an owner name; the kernel's isalnum() takes Latin-1 */
static bool pgm_tag_char(char c)
{
	return isascii(c) && (isalnum(c) || c == '_' || c == '.' || c == '-');
}

/**
 * pgm_next_token() - split off the next blank-separated token
 * @pos: where to start; moved past the token and the blank after it
 *
 * Return: the token, NUL-terminated in place, or NULL at the end.
 */
char *pgm_next_token(char **pos)
{
	char *s = *pos, *tok;

	while (pgm_blank(*s))
		s++;
	if (!*s) {
		*pos = s;
		return NULL;
	}
	tok = s;
	while (*s && !pgm_blank(*s))
		s++;
	if (*s)
		*s++ = '\0';
	*pos = s;
	return tok;
}

/*
 * Split "key=value" in place. A token without '=' or with an empty key is
 * malformed; an empty value is reported by the caller, after the key is
 * known to be valid, as a missing value.
 */
static int pgm_split_kv(char *tok, char **key, char **val, char *err,
			size_t errlen)
{
	char *eq = strchr(tok, '=');

	if (!eq || eq == tok)
		return pgm_einval(err, errlen, "expected key=value, got '%.40s'",
				  tok);
	*eq = '\0';
	*key = tok;
	*val = eq + 1;
	return 0;
}

static int pgm_match(const char *s, const char * const *names, int n)
{
	int i;

	/* The first byte tells most names apart without a call */
	for (i = 0; i < n; i++)
		if (s[0] == names[i][0] && !strcmp(s, names[i]))
			return i;
	return -1;
}

/*
 * kstrtou32(@s, 10, @out) for a token, which holds no newline: an optional
 * '+', then digits only. In one loop: the control file's hot lines each
 * carry a number.
 */
static int pgm_kstrtou32(const char *s, u32 *out)
{
	const char *digits;
	bool over = false;
	u64 v = 0;

	if (*s == '+')
		s++;
	/* _parse_integer(): the digits, noting a u64 overflow */
	for (digits = s; *s >= '0' && *s <= '9'; s++) {
		unsigned int d = *s - '0';

		if (v > (U64_MAX - d) / 10)
			over = true;
		v = v * 10 + d;
	}
	/* kstrtoull(): no digits, then overflow, then what follows */
	if (s == digits)
		return -EINVAL;
	if (over)
		return -ERANGE;
	if (*s)
		return -EINVAL;
	/* kstrtou32(): a u64 too large for 32 bits */
	if (v > U32_MAX)
		return -ERANGE;
	*out = v;
	return 0;
}

/* A decimal u32; an overflow reads as U32_MAX so range checks reject it */
static bool pgm_parse_u32(const char *s, u32 *out)
{
	int ret = pgm_kstrtou32(s, out);

	if (ret == -ERANGE) {
		*out = U32_MAX;
		return true;
	}
	return ret == 0;
}

/*
 * The next KEY=VALUE token of @*pos: one of the first @nr @keys, not seen
 * before, with a value. Return: its index, -ENOENT at the end of the line,
 * or -EINVAL with @err filled.
 */
static int pgm_next_key(char **pos, const char * const *keys, int nr,
			const char *verb, unsigned long *seen, char **val,
			char *err, size_t errlen)
{
	char *tok = pgm_next_token(pos), *key;
	int k, ret;

	if (!tok)
		return -ENOENT;
	ret = pgm_split_kv(tok, &key, val, err, errlen);
	if (ret)
		return ret;
	k = pgm_match(key, keys, nr);
	if (k < 0)
		return pgm_einval(err, errlen, "unknown key '%.40s' for %s", key,
				  verb);
	if (*seen & BIT(k))
		return pgm_einval(err, errlen, "duplicate key '%s'", key);
	*seen |= BIT(k);
	if (!**val)
		return pgm_einval(err, errlen, "missing value for '%s'", key);
	return k;
}

/* A tag: 0..31 characters of the tag alphabet, checked as it is copied */
static int pgm_parse_tag(const char *val, char *tag, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; val[i]; i++) {
		char c = val[i];

		if (i == PGM_TAG_LEN - 1)
			break;
		if (!pgm_tag_char(c))
			break;
		tag[i] = c;
	}
	if (val[i] && strnlen(val, PGM_TAG_LEN) == PGM_TAG_LEN)
		return pgm_einval(err, errlen, "tag longer than %d characters",
				  PGM_TAG_LEN - 1);
	if (val[i])
		return pgm_einval(err, errlen, "invalid character in tag '%s'",
				  val);
	tag[i] = '\0';
	return 0;
}

/* An owner name: 1..31 characters of the tag alphabet */
static int pgm_parse_owner_name(const char *val, char *name, char *err,
				size_t errlen)
{
	size_t n = strlen(val), i;

	if (!n)
		return pgm_einval(err, errlen, "empty owner name");
	if (n >= PGM_OWNER_NAME_LEN)
		return pgm_einval(err, errlen,
				  "owner name longer than %d characters",
				  PGM_OWNER_NAME_LEN - 1);
	for (i = 0; i < n; i++) {
		char c = val[i];

		if (!pgm_tag_char(c))
			return pgm_einval(err, errlen,
					  "invalid character in owner name '%s'",
					  val);
	}
	strscpy(name, val, PGM_OWNER_NAME_LEN);
	return 0;
}

static int pgm_parse_gfp(char *val, gfp_t *out, char *err, size_t errlen)
{
	gfp_t gfp = 0, one;
	char *name;

	while ((name = strsep(&val, "|"))) {
		if (!*name)
			return pgm_einval(err, errlen, "empty gfp flag");
		if (pgm_gfp_lookup(name, &one))
			return pgm_einval(err, errlen,
					  "unknown gfp flag '%.40s'", name);
		gfp |= one;
	}
	if (pgm_gfp_zone(gfp) < 0)
		return pgm_einval(err, errlen,
				  "invalid zone combination in gfp mask %#x",
				  (__force unsigned int)gfp);
	if (pgm_gfp_migratetype(gfp) < 0)
		return pgm_einval(err, errlen,
				  "__GFP_MOVABLE and __GFP_RECLAIMABLE together in gfp mask %#x",
				  (__force unsigned int)gfp);
	*out = gfp;
	return 0;
}

/* ========================= commands ========================= */

enum pgm_alloc_key {
	PGM_KEY_ORDER,
	PGM_KEY_GFP,
	PGM_KEY_NID,
	PGM_KEY_COUNT,
	PGM_KEY_TAG,
	PGM_KEY_OWNER,
	PGM_KEY_KIND,
	PGM_KEY_EXPLAIN,
	PGM_NR_ALLOC_KEYS
};

static const char * const pgm_alloc_keys[] = {
	[PGM_KEY_ORDER]	= "order",
	[PGM_KEY_GFP]	= "gfp",
	[PGM_KEY_NID]	= "nid",
	[PGM_KEY_COUNT]	= "count",
	[PGM_KEY_TAG]	= "tag",
	[PGM_KEY_OWNER]	= "owner",
	[PGM_KEY_KIND]	= "kind",
	[PGM_KEY_EXPLAIN] = "explain",
};

static_assert(ARRAY_SIZE(pgm_alloc_keys) == PGM_NR_ALLOC_KEYS);

/* alloc_pages_bulk() serves the kernel: order 0, no memcg, no explain */
#define PGM_ALLOC_BULK_KEYS	(BIT(PGM_KEY_GFP) | BIT(PGM_KEY_NID) | \
				 BIT(PGM_KEY_COUNT) | BIT(PGM_KEY_TAG))

static int pgm_parse_order(const char *val, unsigned int *order, char *err,
			   size_t errlen)
{
	u32 v;

	if (!pgm_parse_u32(val, &v))
		return pgm_einval(err, errlen, "invalid order '%.20s'", val);
	if (v > PGM_MAX_PAGE_ORDER)
		return pgm_einval(err, errlen, "order %.20s exceeds max order %d",
				  val, PGM_MAX_PAGE_ORDER);
	*order = v;
	return 0;
}

/* @key=@val, a number in 1..@max */
static int pgm_parse_count(const char *key, const char *val, unsigned int max,
			   unsigned int *count, char *err, size_t errlen)
{
	u32 v;

	if (!pgm_parse_u32(val, &v))
		return pgm_einval(err, errlen, "invalid %s '%.20s'", key, val);
	if (v < 1 || v > max)
		return pgm_einval(err, errlen, "%s %.20s out of range 1..%u",
				  key, val, max);
	*count = v;
	return 0;
}

/* alloc, or with @bulk alloc_bulk, which takes PGM_ALLOC_BULK_KEYS only */
static int pgm_parse_alloc(char *pos, bool bulk, unsigned int nr_nodes,
			   struct pgm_cmd *cmd, char *err, size_t errlen)
{
	unsigned long seen = 0;
	char *val;
	u32 nid;
	int k, ret;

	cmd->alloc.order = 0;
	cmd->alloc.gfp = GFP_KERNEL;
	cmd->alloc.nid = NUMA_NO_NODE;
	cmd->alloc.count = 1;
	/* Padded: pgm_parse_tag() ends the tag with one NUL */
	memset(cmd->alloc.tag, 0, sizeof(cmd->alloc.tag));
	cmd->alloc.owner[0] = '\0';
	cmd->alloc.kind = PGM_KIND_KERNEL;
	cmd->alloc.explain = false;

	while ((k = pgm_next_key(&pos, pgm_alloc_keys, PGM_NR_ALLOC_KEYS,
				 bulk ? "alloc_bulk" : "alloc", &seen, &val,
				 err, errlen)) >= 0) {
		if (bulk && !(BIT(k) & PGM_ALLOC_BULK_KEYS))
			return pgm_einval(err, errlen,
					  "alloc_bulk takes count=, gfp=, nid= and tag= only");
		switch (k) {
		case PGM_KEY_ORDER:
			ret = pgm_parse_order(val, &cmd->alloc.order, err,
					      errlen);
			break;
		case PGM_KEY_GFP:
			ret = pgm_parse_gfp(val, &cmd->alloc.gfp, err, errlen);
			break;
		case PGM_KEY_NID:
			if (!pgm_parse_u32(val, &nid))
				return pgm_einval(err, errlen,
						  "invalid nid '%.20s'", val);
			if (nid >= nr_nodes)
				return pgm_einval(err, errlen,
						  "nid %.20s out of range 0..%d",
						  val, (int)nr_nodes - 1);
			cmd->alloc.nid = nid;
			ret = 0;
			break;
		case PGM_KEY_COUNT:
			ret = pgm_parse_count("count", val, PGM_CMD_MAX_COUNT,
					      &cmd->alloc.count, err, errlen);
			break;
		case PGM_KEY_TAG:
			ret = pgm_parse_tag(val, cmd->alloc.tag, err, errlen);
			break;
		case PGM_KEY_OWNER:
			ret = pgm_parse_owner_name(val, cmd->alloc.owner, err,
						   errlen);
			break;
		case PGM_KEY_KIND:
			k = pgm_match(val, pgm_kind_names, PGM_NR_KINDS);
			if (k < 0)
				return pgm_einval(err, errlen,
						  "unknown kind '%.20s'", val);
			cmd->alloc.kind = k;
			ret = 0;
			break;
		case PGM_KEY_EXPLAIN:
			if (strcmp(val, "0") && strcmp(val, "1"))
				return pgm_einval(err, errlen,
						  "explain is 0 or 1, not '%.20s'",
						  val);
			cmd->alloc.explain = val[0] == '1';
			ret = 0;
			break;
		}
		if (ret)
			return ret;
	}
	if (k != -ENOENT)
		return k;

	/* The kind decides the gfp mask unless the command gave one */
	if (!(seen & BIT(PGM_KEY_GFP)))
		cmd->alloc.gfp = pgm_kind_gfp(cmd->alloc.kind);

	/*
	 * Upstream WARNs on these __GFP_NOFAIL misuses; input from user
	 * space must never reach a WARN.
	 */
	if (cmd->alloc.gfp & __GFP_NOFAIL) {
		if (cmd->alloc.order > 1)
			return pgm_einval(err, errlen,
					  "__GFP_NOFAIL with order %u > 1",
					  cmd->alloc.order);
		if (!(cmd->alloc.gfp & __GFP_DIRECT_RECLAIM))
			return pgm_einval(err, errlen,
					  "__GFP_NOFAIL without __GFP_DIRECT_RECLAIM");
	}
	return 0;
}

/* "handle=N", "tag=STR" and, when @allow_all, "all" for @verb */
static int pgm_parse_selector(char *pos, const char *verb, bool allow_all,
			      struct pgm_cmd *cmd, char *err, size_t errlen)
{
	char *tok, *key, *val;
	int ret;

	cmd->free.handle = 0;
	cmd->free.tag[0] = '\0';
	tok = pgm_next_token(&pos);
	if (!tok)
		return pgm_einval(err, errlen, "%s needs handle=N, tag=STR%s",
				  verb, allow_all ? " or all" : "");
	if (pgm_next_token(&pos))
		return pgm_einval(err, errlen, "%s takes one selector", verb);

	if (allow_all && !strcmp(tok, "all")) {
		cmd->free.sel = PGM_FREE_ALL;
		return 0;
	}
	ret = pgm_split_kv(tok, &key, &val, err, errlen);
	if (ret)
		return ret;
	if (strcmp(key, "handle") && strcmp(key, "tag"))
		return pgm_einval(err, errlen, "unknown key '%.40s' for %s",
				  key, verb);
	if (!*val)
		return pgm_einval(err, errlen, "missing value for '%s'", key);

	if (!strcmp(key, "tag")) {
		cmd->free.sel = PGM_FREE_TAG;
		return pgm_parse_tag(val, cmd->free.tag, err, errlen);
	}
	cmd->free.sel = PGM_FREE_HANDLE;
	if (pgm_kstrtou32(val, &cmd->free.handle))
		return pgm_einval(err, errlen, "invalid handle '%.20s'", val);
	return 0;
}

/* "0,1", "0-1", "0-1,3": each node below @nr_nodes */
static int pgm_parse_nodelist(char *val, unsigned int nr_nodes,
			      struct pgm_nodemask *mask, char *err,
			      size_t errlen)
{
	char *s, *dash;
	u32 lo, hi;

	bitmap_zero(mask->bits, PGM_MAX_NUMNODES);
	while ((s = strsep(&val, ","))) {
		dash = strchr(s, '-');
		if (dash)
			*dash++ = '\0';
		if (!*s || kstrtou32(s, 10, &lo))
			return pgm_einval(err, errlen, "invalid node list");
		hi = lo;
		if (dash && (!*dash || kstrtou32(dash, 10, &hi)))
			return pgm_einval(err, errlen, "invalid node list");
		if (lo > hi)
			return pgm_einval(err, errlen,
					  "node range %u-%u is reversed", lo,
					  hi);
		if (hi >= nr_nodes)
			return pgm_einval(err, errlen,
					  "node %u out of range 0..%d", hi,
					  (int)nr_nodes - 1);
		bitmap_set(mask->bits, lo, hi - lo + 1);
	}
	return 0;
}

/* A memory.max or memory.high value: pages, or "max" for no limit */
static int pgm_parse_limit(const char *key, const char *val,
			   unsigned long *out, char *err, size_t errlen)
{
	unsigned long v;

	if (!strcmp(val, "max")) {
		*out = PGM_PAGE_COUNTER_MAX;
		return 0;
	}
	if (kstrtoul(val, 0, &v) || v > PGM_PAGE_COUNTER_MAX)
		return pgm_einval(err, errlen,
				  "%s is pages or 'max', not '%.20s'", key, val);
	*out = v;
	return 0;
}

/*
 * owner create name=NAME [nodes=LIST] [oom_score_adj=N] [min=P] [low=P]
 * [high=P] [max=P], owner set name=NAME [min=P] [low=P] [high=P] [max=P],
 * owner destroy name=NAME
 */
static int pgm_parse_owner(char *pos, unsigned int nr_nodes,
			   struct pgm_cmd *cmd, char *err, size_t errlen)
{
	bool seen_name = false, seen_nodes = false, seen_adj = false;
	char *verb, *tok, *key, *val;
	bool create, limits;
	int ret;

	verb = pgm_next_token(&pos);
	if (!verb)
		return pgm_einval(err, errlen,
				  "owner needs create, set or destroy");
	if (!strcmp(verb, "create"))
		cmd->op = PGM_CMD_OWNER_CREATE;
	else if (!strcmp(verb, "destroy"))
		cmd->op = PGM_CMD_OWNER_DESTROY;
	else if (!strcmp(verb, "set"))
		cmd->op = PGM_CMD_OWNER_SET;
	else
		return pgm_einval(err, errlen, "unknown owner command '%.40s'",
				  verb);
	create = cmd->op == PGM_CMD_OWNER_CREATE;
	limits = cmd->op != PGM_CMD_OWNER_DESTROY;

	bitmap_zero(cmd->owner.nodes.bits, PGM_MAX_NUMNODES);
	bitmap_set(cmd->owner.nodes.bits, 0, nr_nodes);
	cmd->owner.oom_score_adj = 0;
	cmd->owner.min = 0;
	cmd->owner.low = 0;
	cmd->owner.max = PGM_PAGE_COUNTER_MAX;
	cmd->owner.high = PGM_PAGE_COUNTER_MAX;

	while ((tok = pgm_next_token(&pos))) {
		bool *seen;

		ret = pgm_split_kv(tok, &key, &val, err, errlen);
		if (ret)
			return ret;
		if (!strcmp(key, "name"))
			seen = &seen_name;
		else if (create && !strcmp(key, "nodes"))
			seen = &seen_nodes;
		else if (create && !strcmp(key, "oom_score_adj"))
			seen = &seen_adj;
		else if (limits && !strcmp(key, "min"))
			seen = &cmd->owner.set_min;
		else if (limits && !strcmp(key, "low"))
			seen = &cmd->owner.set_low;
		else if (limits && !strcmp(key, "max"))
			seen = &cmd->owner.set_max;
		else if (limits && !strcmp(key, "high"))
			seen = &cmd->owner.set_high;
		else
			return pgm_einval(err, errlen,
					  "unknown key '%.40s' for owner %s",
					  key, verb);
		if (*seen)
			return pgm_einval(err, errlen, "duplicate key '%s'", key);
		*seen = true;
		if (!*val)
			return pgm_einval(err, errlen, "missing value for '%s'",
					  key);
		if (seen == &seen_name) {
			ret = pgm_parse_owner_name(val, cmd->owner.name, err,
						   errlen);
		} else if (seen == &seen_nodes) {
			ret = pgm_parse_nodelist(val, nr_nodes,
						 &cmd->owner.nodes, err,
						 errlen);
		} else if (seen == &cmd->owner.set_min) {
			ret = pgm_parse_limit("min", val, &cmd->owner.min, err,
					      errlen);
		} else if (seen == &cmd->owner.set_low) {
			ret = pgm_parse_limit("low", val, &cmd->owner.low, err,
					      errlen);
		} else if (seen == &cmd->owner.set_max) {
			ret = pgm_parse_limit("max", val, &cmd->owner.max, err,
					      errlen);
		} else if (seen == &cmd->owner.set_high) {
			ret = pgm_parse_limit("high", val, &cmd->owner.high,
					      err, errlen);
		} else {
			ret = kstrtoint(val, 10, &cmd->owner.oom_score_adj);
			if (ret || cmd->owner.oom_score_adj < PGM_OOM_SCORE_ADJ_MIN ||
			    cmd->owner.oom_score_adj > PGM_OOM_SCORE_ADJ_MAX)
				return pgm_einval(err, errlen,
						  "oom_score_adj '%.20s' out of range -1000..1000",
						  val);
		}
		if (ret)
			return ret;
	}
	if (!seen_name)
		return pgm_einval(err, errlen, "owner %s needs name=NAME", verb);
	if (cmd->op == PGM_CMD_OWNER_SET && !cmd->owner.set_min &&
	    !cmd->owner.set_low && !cmd->owner.set_max && !cmd->owner.set_high)
		return pgm_einval(err, errlen,
				  "owner set needs min=, low=, high= or max=");
	return 0;
}

static int pgm_parse_int(const char *key, const char *val, int min, int *out,
			 char *err, size_t errlen)
{
	if (kstrtoint(val, 10, out) || *out < min)
		return pgm_einval(err, errlen, "invalid %s '%.20s'", key, val);
	return 0;
}

/*
 * The sysctl's proc_dointvec_minmax() without bounds: 1 to 4 integers,
 * the first zones' ratios; any value, which the setter takes to 0 below 1
 */
static int pgm_parse_ratio(char *val, int ratio[PGM_MAX_NR_ZONES],
			   unsigned int *nr, char *err, size_t errlen)
{
	const char *key = pgm_set_key_names[PGM_SET_LOWMEM_RESERVE_RATIO];
	unsigned int n = 0;
	int ret;
	char *s;

	while ((s = strsep(&val, ","))) {
		if (n == PGM_MAX_NR_ZONES)
			return pgm_einval(err, errlen,
					  "%s takes at most %d values", key,
					  PGM_MAX_NR_ZONES);
		ret = pgm_parse_int(key, s, INT_MIN, &ratio[n], err, errlen);
		if (ret)
			return ret;
		n++;
	}
	*nr = n;
	return 0;
}

/* The pcp types by upstream's enum name; pagetypeinfo's names also do */
static const char * const pgm_fallback_type_names[] = {
	[PGM_MIGRATE_UNMOVABLE]		= "MIGRATE_UNMOVABLE",
	[PGM_MIGRATE_MOVABLE]		= "MIGRATE_MOVABLE",
	[PGM_MIGRATE_RECLAIMABLE]	= "MIGRATE_RECLAIMABLE",
};

/**
 * pgm_fallback_type_name() - upstream's enum name of a pcp migratetype
 * @mt: 0..PGM_MIGRATE_PCPTYPES - 1
 *
 * Return: "MIGRATE_UNMOVABLE" and so on, or "?".
 */
const char *pgm_fallback_type_name(int mt)
{
	if (mt < 0 || mt >= PGM_MIGRATE_PCPTYPES)
		return "?";
	return pgm_fallback_type_names[mt];
}

static int pgm_fallback_type(const char *s)
{
	int mt;

	for (mt = 0; mt < PGM_MIGRATE_PCPTYPES; mt++)
		if (!strcasecmp(s, pgm_fallback_type_names[mt]) ||
		    !strcasecmp(s, pgm_migratetype_names[mt]))
			return mt;
	return -1;
}

/*
 * One row of fallbacks[] as upstream's initialiser writes it, without the
 * blanks: [MIGRATE_UNMOVABLE]={MIGRATE_RECLAIMABLE,MIGRATE_MOVABLE}. An
 * empty {} leaves the type with no fallback at all.
 */
static int pgm_parse_fallbacks(char *val, struct pgm_cmd *cmd, char *err,
			       size_t errlen)
{
	char *close = strchr(val, ']'), *list, *s;
	size_t len = strlen(val);
	int n = 0, mt, i;

	if (val[0] != '[' || !close || close[1] != '=' || close[2] != '{' ||
	    len < 2 || val[len - 1] != '}')
		return pgm_einval(err, errlen,
				  "fallbacks is [TYPE]={TYPE,TYPE}, got '%.60s'",
				  val);
	*close = '\0';
	val[len - 1] = '\0';
	mt = pgm_fallback_type(val + 1);
	if (mt < 0)
		return pgm_einval(err, errlen,
				  "unknown migratetype '%.30s' (MIGRATE_UNMOVABLE, MIGRATE_MOVABLE or MIGRATE_RECLAIMABLE)",
				  val + 1);
	cmd->set.val = mt;
	for (i = 0; i < PGM_MIGRATE_PCPTYPES - 1; i++)
		cmd->set.row[i] = -1;

	list = close + 3;
	if (!*list)
		return 0;
	while ((s = strsep(&list, ","))) {
		int fb = pgm_fallback_type(s);

		if (fb < 0)
			return pgm_einval(err, errlen,
					  "unknown migratetype '%.30s' in fallbacks",
					  s);
		if (fb == mt)
			return pgm_einval(err, errlen,
					  "%s cannot fall back to itself",
					  pgm_fallback_type_names[mt]);
		for (i = 0; i < n; i++)
			if (cmd->set.row[i] == fb)
				return pgm_einval(err, errlen,
						  "%s listed twice in fallbacks",
						  pgm_fallback_type_names[fb]);
		/* Two others at most, so a third entry is always a repeat */
		cmd->set.row[n++] = fb;
	}
	return 0;
}

/* The int behind a single-valued set key */
static const int *pgm_tunable_int(const struct pgm_tunables *tun, int key)
{
	switch (key) {
	case PGM_SET_WATERMARK_SCALE_FACTOR:
		return &tun->watermark_scale_factor;
	case PGM_SET_MIN_FREE_KBYTES:
		return &tun->min_free_kbytes;
	case PGM_SET_WATERMARK_BOOST_FACTOR:
		return &tun->watermark_boost_factor;
	case PGM_SET_PERCPU_PAGELIST_HIGH_FRACTION:
		return &tun->percpu_pagelist_high_fraction;
	case PGM_SET_ZONE_RECLAIM_MODE:
		return &tun->node_reclaim_mode;
	case PGM_SET_MIN_UNMAPPED_RATIO:
		return &tun->min_unmapped_ratio;
	case PGM_SET_MIN_SLAB_RATIO:
		return &tun->min_slab_ratio;
	case PGM_SET_DIRTY_RATIO:
		return &tun->dirty_ratio;
	case PGM_SET_PAGE_POISONING:
		return &tun->page_poisoning;
	case PGM_SET_INIT_ON_FREE:
		return &tun->init_on_free;
	case PGM_SET_INIT_ON_ALLOC:
		return &tun->init_on_alloc;
	case PGM_SET_PAGE_GROUP_BY_MOBILITY:
		return &tun->group_by_mobility;
	case PGM_SET_ALLOC_NOFRAGMENT:
		return &tun->alloc_nofragment;
	case PGM_SET_HIGHATOMIC:
		return &tun->highatomic;
	case PGM_SET_PCP:
		return &tun->pcp;
	case PGM_SET_PCP_BATCH:
		return &tun->pcp_batch;
	case PGM_SET_PCP_HIGH:
		return &tun->pcp_high;
	case PGM_SET_CLAIM_THRESHOLD:
		return &tun->claim_threshold;
	case PGM_SET_KSWAPD:
		return &tun->kswapd;
	case PGM_SET_DIRECT_RECLAIM:
		return &tun->direct_reclaim;
	case PGM_SET_DIRECT_COMPACTION:
		return &tun->direct_compaction;
	case PGM_SET_NUMA_STAT:
		return &tun->numa_stat;
	case PGM_SET_PER_CPU_DATA_SLICE_SIZE:
		return &tun->per_cpu_data_slice_size;
	case PGM_SET_COMPACTION_PROACTIVENESS:
		return &tun->compaction_proactiveness;
	case PGM_SET_KCOMPACTD:
		return &tun->kcompactd;
	case PGM_SET_EXTFRAG_THRESHOLD:
		return &tun->extfrag_threshold;
	case PGM_SET_OOM_KILL_ALLOCATING_TASK:
		return &tun->oom_kill_allocating_task;
	}
	return NULL;
}

/**
 * pgm_format_tunable() - one tunable as the set command takes it
 * @tun: the tunables
 * @key: which
 * @mt: the row, for PGM_SET_FALLBACKS; ignored otherwise
 * @buf: filled with "key=value", NUL-terminated
 * @len: size of @buf
 *
 * Every line this prints is a valid argument of set, so a tunables file
 * read from one instance configures another the same way.
 *
 * Return: @buf.
 */
char *pgm_format_tunable(const struct pgm_tunables *tun, enum pgm_set_key key,
			 int mt, char *buf, size_t len)
{
	const char *name = pgm_set_key_name(key);
	const int *v = pgm_tunable_int(tun, key);
	const int *r = tun->lowmem_reserve_ratio;
	int n, i;

	if (key == PGM_SET_TRANSPARENT_HUGEPAGE) {
		snprintf(buf, len, "%s=%s", name,
			 pgm_thp_mode_name(READ_ONCE(tun->transparent_hugepage)));
	} else if (v) {
		snprintf(buf, len, "%s=%d", name, READ_ONCE(*v));
	} else if (key == PGM_SET_LOWMEM_RESERVE_RATIO) {
		snprintf(buf, len, "%s=%d,%d,%d,%d", name, READ_ONCE(r[0]),
			 READ_ONCE(r[1]), READ_ONCE(r[2]), READ_ONCE(r[3]));
	} else if (key == PGM_SET_FALLBACKS && mt >= 0 &&
		   mt < PGM_MIGRATE_PCPTYPES) {
		n = scnprintf(buf, len, "%s=[%s]={", name,
			      pgm_fallback_type_names[mt]);
		for (i = 0; i < PGM_MIGRATE_PCPTYPES - 1; i++) {
			int fb = READ_ONCE(tun->fallbacks[mt][i]);

			if (fb < 0)
				break;
			n += scnprintf(buf + n, len - n, "%s%s", i ? "," : "",
				       pgm_fallback_type_name(fb));
		}
		scnprintf(buf + n, len - n, "}");
	} else {
		snprintf(buf, len, "%s=?", name);
	}
	return buf;
}

/* compact [nid=N] */
static int pgm_parse_compact(char *pos, unsigned int nr_nodes,
			     struct pgm_cmd *cmd, char *err, size_t errlen)
{
	char *tok, *key, *val;
	u32 nid;
	int ret;

	cmd->compact.nid = NUMA_NO_NODE;
	tok = pgm_next_token(&pos);
	if (!tok)
		return 0;
	if (pgm_next_token(&pos))
		return pgm_einval(err, errlen, "compact takes nid=N only");
	ret = pgm_split_kv(tok, &key, &val, err, errlen);
	if (ret)
		return ret;
	if (strcmp(key, "nid"))
		return pgm_einval(err, errlen, "unknown key '%.40s' for compact",
				  key);
	if (!pgm_parse_u32(val, &nid) || nid >= nr_nodes)
		return pgm_einval(err, errlen, "nid '%.20s' out of range 0..%d",
				  val, nr_nodes - 1);
	cmd->compact.nid = nid;
	return 0;
}

/*
 * "pfn=A-B": from A up to B, B excluded, as alloc_contig_range() takes
 * them; decimal or 0x hex. The pageblocks they touch are what is isolated.
 */
static int pgm_parse_pfn_range(char *pos, const char *verb,
			       struct pgm_cmd *cmd, char *err, size_t errlen)
{
	char *tok, *key, *val, *dash;
	unsigned long a, b;
	int ret;

	tok = pgm_next_token(&pos);
	if (!tok)
		return pgm_einval(err, errlen, "%s needs pfn=START-END", verb);
	if (pgm_next_token(&pos))
		return pgm_einval(err, errlen, "%s takes pfn=START-END only",
				  verb);
	ret = pgm_split_kv(tok, &key, &val, err, errlen);
	if (ret)
		return ret;
	if (strcmp(key, "pfn"))
		return pgm_einval(err, errlen, "unknown key '%.40s' for %s",
				  key, verb);
	dash = strchr(val, '-');
	if (!dash)
		return pgm_einval(err, errlen, "pfn is START-END, got '%.40s'",
				  val);
	*dash = '\0';
	if (kstrtoul(val, 0, &a) || kstrtoul(dash + 1, 0, &b))
		return pgm_einval(err, errlen, "invalid pfn range '%.20s-%.20s'",
				  val, dash + 1);
	if (a >= b)
		return pgm_einval(err, errlen, "pfn range %lu-%lu is empty", a, b);
	cmd->range.start = a;
	cmd->range.end = b;
	return 0;
}

enum pgm_contig_key {
	PGM_CKEY_PAGES,
	PGM_CKEY_LOW,
	PGM_CKEY_HIGH,
	PGM_CKEY_ALIGN,
	PGM_CKEY_BOUNDARY,
	PGM_CKEY_GFP,
	PGM_CKEY_NID,
	PGM_CKEY_TAG,
	PGM_CKEY_COUNT,
	PGM_NR_CONTIG_KEYS
};

static const char * const pgm_contig_keys[] = {
	[PGM_CKEY_PAGES]	= "pages",
	[PGM_CKEY_LOW]		= "low",
	[PGM_CKEY_HIGH]		= "high",
	[PGM_CKEY_ALIGN]	= "align",
	[PGM_CKEY_BOUNDARY]	= "boundary",
	[PGM_CKEY_GFP]		= "gfp",
	[PGM_CKEY_NID]		= "nid",
	[PGM_CKEY_TAG]		= "tag",
	[PGM_CKEY_COUNT]	= "count",
};

static_assert(ARRAY_SIZE(pgm_contig_keys) == PGM_NR_CONTIG_KEYS);

/* cma_alloc align=: an order; pfns have 32 bits */
#define PGM_CMA_MAX_ALIGN	31

/* A pfn or page count, decimal or 0x hex, below PGM_MAX_NR_PAGES */
static int pgm_parse_pfn(const char *key, const char *val, unsigned long *out,
			 char *err, size_t errlen)
{
	unsigned long v;

	if (kstrtoul(val, 0, &v) || v > PGM_MAX_NR_PAGES)
		return pgm_einval(err, errlen, "invalid %s '%.20s'", key, val);
	*out = v;
	return 0;
}

/*
 * alloc_contig pages=N [low=PFN] [high=PFN] [align=PAGES] [boundary=PAGES]
 * [gfp=...] [nid=N] [tag=STR], and cma_alloc count=N [align=ORDER]
 * [tag=STR]. The range limits are FreeBSD's vm_phys_alloc_contig() ones.
 */
static int pgm_parse_contig(char *pos, unsigned int nr_nodes, bool cma,
			    struct pgm_cmd *cmd, char *err, size_t errlen)
{
	const char *verb = cma ? "cma_alloc" : "alloc_contig";
	unsigned long seen = 0, allowed, v;
	gfp_t cc_gfp;
	char *val;
	u32 nid;
	int k, ret;

	cmd->contig.gfp = GFP_KERNEL;
	cmd->contig.nid = NUMA_NO_NODE;
	allowed = cma ? BIT(PGM_CKEY_COUNT) | BIT(PGM_CKEY_ALIGN) |
			BIT(PGM_CKEY_TAG) :
			GENMASK(PGM_NR_CONTIG_KEYS - 1, 0) & ~BIT(PGM_CKEY_COUNT);

	while ((k = pgm_next_key(&pos, pgm_contig_keys, PGM_NR_CONTIG_KEYS,
				 verb, &seen, &val, err, errlen)) >= 0) {
		if (!(allowed & BIT(k)))
			return pgm_einval(err, errlen, "unknown key '%s' for %s",
					  pgm_contig_keys[k], verb);
		switch (k) {
		case PGM_CKEY_PAGES:
		case PGM_CKEY_COUNT:
			ret = pgm_parse_pfn(pgm_contig_keys[k], val,
					    &cmd->contig.nr_pages, err, errlen);
			if (!ret && !cmd->contig.nr_pages)
				return pgm_einval(err, errlen, "%s=0 asks for nothing",
						  pgm_contig_keys[k]);
			break;
		case PGM_CKEY_LOW:
			ret = pgm_parse_pfn("low", val, &cmd->contig.low, err,
					    errlen);
			break;
		case PGM_CKEY_HIGH:
			ret = pgm_parse_pfn("high", val, &cmd->contig.high,
					    err, errlen);
			if (!ret && !cmd->contig.high)
				return pgm_einval(err, errlen, "high=0 leaves no room");
			break;
		case PGM_CKEY_ALIGN:
			if (cma) {
				ret = pgm_parse_pfn("align", val, &v, err, errlen);
				if (!ret && v > PGM_CMA_MAX_ALIGN)
					return pgm_einval(err, errlen,
							  "align is an order 0..%d, not %lu",
							  PGM_CMA_MAX_ALIGN, v);
				cmd->contig.align = v;
				break;
			}
			ret = pgm_parse_pfn("align", val, &cmd->contig.align,
					    err, errlen);
			if (!ret && !is_power_of_2(cmd->contig.align))
				return pgm_einval(err, errlen,
						  "align=%lu is not a power of two",
						  cmd->contig.align);
			break;
		case PGM_CKEY_BOUNDARY:
			ret = pgm_parse_pfn("boundary", val,
					    &cmd->contig.boundary, err, errlen);
			if (!ret && !is_power_of_2(cmd->contig.boundary))
				return pgm_einval(err, errlen,
						  "boundary=%lu is not a power of two",
						  cmd->contig.boundary);
			break;
		case PGM_CKEY_GFP:
			ret = pgm_parse_gfp(val, &cmd->contig.gfp, err, errlen);
			break;
		case PGM_CKEY_NID:
			if (!pgm_parse_u32(val, &nid) || nid >= nr_nodes)
				return pgm_einval(err, errlen,
						  "nid '%.20s' out of range 0..%d",
						  val, (int)nr_nodes - 1);
			cmd->contig.nid = nid;
			ret = 0;
			break;
		default:
			ret = pgm_parse_tag(val, cmd->contig.tag, err, errlen);
			break;
		}
		if (ret)
			return ret;
	}
	if (k != -ENOENT)
		return k;
	if (!cmd->contig.nr_pages)
		return pgm_einval(err, errlen, "%s needs %s=N", verb,
				  cma ? "count" : "pages");
	if (cma)
		return 0;
	if (cmd->contig.high && cmd->contig.high <= cmd->contig.low)
		return pgm_einval(err, errlen, "high=%lu is not above low=%lu",
				  cmd->contig.high, cmd->contig.low);
	if (cmd->contig.high &&
	    cmd->contig.high - cmd->contig.low < cmd->contig.nr_pages)
		return pgm_einval(err, errlen, "%lu pages do not fit in %lu-%lu",
				  cmd->contig.nr_pages, cmd->contig.low,
				  cmd->contig.high);
	if (cmd->contig.boundary &&
	    cmd->contig.boundary < cmd->contig.nr_pages)
		return pgm_einval(err, errlen,
				  "%lu pages cannot fit inside boundary=%lu",
				  cmd->contig.nr_pages, cmd->contig.boundary);
	if (cmd->contig.gfp & __GFP_COMP)
		return pgm_einval(err, errlen,
				  "__GFP_COMP: pgmirror has no gigantic folios");
	if (pgm_alloc_contig_verify_gfp(cmd->contig.gfp, &cc_gfp))
		return pgm_einval(err, errlen,
				  "gfp takes only reclaim flags, __GFP_RETRY_MAYFAIL, __GFP_NOWARN and __GFP_ZERO here");
	return 0;
}

static int pgm_parse_set(char *pos, struct pgm_cmd *cmd, char *err,
			 size_t errlen)
{
	char *tok, *key, *val;
	int k, v, ret, max;

	tok = pgm_next_token(&pos);
	if (!tok)
		return pgm_einval(err, errlen, "set needs KEY=VALUE");
	if (pgm_next_token(&pos))
		return pgm_einval(err, errlen, "set takes one KEY=VALUE");
	ret = pgm_split_kv(tok, &key, &val, err, errlen);
	if (ret)
		return ret;
	k = pgm_match(key, pgm_set_key_names, PGM_NR_SET_KEYS);
	if (k < 0)
		return pgm_einval(err, errlen, "unknown tunable '%.40s'", key);
	if (!*val)
		return pgm_einval(err, errlen, "missing value for '%s'", key);
	cmd->set.key = k;

	if (k == PGM_SET_LOWMEM_RESERVE_RATIO)
		return pgm_parse_ratio(val, cmd->set.ratio, &cmd->set.nr_ratio,
				       err, errlen);
	if (k == PGM_SET_FALLBACKS)
		return pgm_parse_fallbacks(val, cmd, err, errlen);
	/* enabled_store()'s three words */
	if (k == PGM_SET_TRANSPARENT_HUGEPAGE) {
		v = pgm_match(val, pgm_thp_mode_names, PGM_NR_THP_MODES);
		if (v < 0)
			return pgm_einval(err, errlen,
					  "%s is always, madvise or never, not '%.20s'",
					  key, val);
		cmd->set.val = v;
		return 0;
	}

	ret = pgm_parse_int(key, val, INT_MIN, &v, err, errlen);
	if (ret)
		return ret;
	switch (k) {
	case PGM_SET_WATERMARK_SCALE_FACTOR:
		if (v < 1 || v > 3000)
			return pgm_einval(err, errlen,
					  "%s %d out of range 1..3000", key, v);
		break;
	case PGM_SET_MIN_FREE_KBYTES:
		if (v < 0)
			return pgm_einval(err, errlen, "%s %d is negative",
					  key, v);
		break;
	case PGM_SET_WATERMARK_BOOST_FACTOR:
	case PGM_SET_PER_CPU_DATA_SLICE_SIZE:
		if (v < 0)
			return pgm_einval(err, errlen, "%s %d is negative",
					  key, v);
		break;
	case PGM_SET_PERCPU_PAGELIST_HIGH_FRACTION:
		if (v != 0 && v < PGM_MIN_PERCPU_PAGELIST_HIGH_FRACTION)
			return pgm_einval(err, errlen,
					  "%s %d must be 0 or at least %d", key,
					  v, PGM_MIN_PERCPU_PAGELIST_HIGH_FRACTION);
		break;
	/* proc_dointvec_minmax() from 0: bits past 4 are kept, unused */
	case PGM_SET_ZONE_RECLAIM_MODE:
		if (v < 0)
			return pgm_einval(err, errlen,
					  "%s %d is negative (1 zone, 2 write, 4 unmap)",
					  key, v);
		break;
	case PGM_SET_MIN_UNMAPPED_RATIO:
	case PGM_SET_MIN_SLAB_RATIO:
	case PGM_SET_DIRTY_RATIO:
	case PGM_SET_COMPACTION_PROACTIVENESS:
		if (v < 0 || v > 100)
			return pgm_einval(err, errlen,
					  "%s %d out of range 0..100", key, v);
		break;
	case PGM_SET_PAGE_POISONING:
	case PGM_SET_INIT_ON_FREE:
	case PGM_SET_INIT_ON_ALLOC:
	case PGM_SET_PAGE_GROUP_BY_MOBILITY:
	case PGM_SET_ALLOC_NOFRAGMENT:
	case PGM_SET_HIGHATOMIC:
	case PGM_SET_PCP:
	case PGM_SET_KSWAPD:
	case PGM_SET_DIRECT_RECLAIM:
	case PGM_SET_DIRECT_COMPACTION:
	case PGM_SET_KCOMPACTD:
	case PGM_SET_NUMA_STAT:
		if (v != 0 && v != 1)
			return pgm_einval(err, errlen, "%s is 0 or 1, not %d",
					  key, v);
		break;
	case PGM_SET_PCP_BATCH:
	case PGM_SET_PCP_HIGH:
		max = k == PGM_SET_PCP_BATCH ? PGM_PCP_BATCH_MAX :
		      PGM_PCP_HIGH_MAX;
		if (v < 0 || v > max)
			return pgm_einval(err, errlen,
					  "%s %d out of range 0..%d (0 is upstream's sizing)",
					  key, v, max);
		break;
	/* proc_dointvec_minmax() from 0 to 1000 */
	case PGM_SET_EXTFRAG_THRESHOLD:
		if (v < 0 || v > PGM_EXTFRAG_THRESHOLD_MAX)
			return pgm_einval(err, errlen,
					  "%s %d out of range 0..%d", key, v,
					  PGM_EXTFRAG_THRESHOLD_MAX);
		break;
	case PGM_SET_CLAIM_THRESHOLD:
		if (v < 0 || v > PGM_PAGEBLOCK_NR_PAGES)
			return pgm_einval(err, errlen,
					  "%s %d out of range 0..%lu pages", key,
					  v, PGM_PAGEBLOCK_NR_PAGES);
		break;
	}
	cmd->set.val = v;
	return 0;
}

/*
 * Strip one trailing newline, bound the length and refuse control
 * characters, then copy into @buf so tokens can be split in place.
 */
static int pgm_copy_line(const char *line, size_t len,
			 char buf[PGM_CMD_MAX_LEN + 1], char *err,
			 size_t errlen)
{
	size_t i;

	if (len && line[len - 1] == '\n')
		len--;
	if (len > PGM_CMD_MAX_LEN)
		return pgm_einval(err, errlen, "command longer than %d bytes",
				  PGM_CMD_MAX_LEN);
	/* Byte by byte as it is checked: a line is short, a memcpy() dear */
	for (i = 0; i < len; i++) {
		unsigned char c = line[i];

		if (c != '\t' && (c < 0x20 || c > 0x7e))
			return pgm_einval(err, errlen,
					  "invalid character %#x at offset %zu",
					  c, i);
		buf[i] = c;
	}
	buf[len] = '\0';
	return 0;
}

/* The commands but alloc and free, into a zeroed @c */
static int pgm_parse_other(char *verb, char *pos, unsigned int nr_nodes,
			   struct pgm_cmd *c, char *err, size_t errlen)
{
	int ret = 0;

	memset(c, 0, sizeof(*c));
	if (!strcmp(verb, "alloc_bulk")) {
		/* alloc_pages_bulk(): order-0 pages for the kernel, no memcg */
		c->op = PGM_CMD_ALLOC_BULK;
		ret = pgm_parse_alloc(pos, true, nr_nodes, c, err, errlen);
	} else if (!strcmp(verb, "dirty")) {
		c->op = PGM_CMD_DIRTY;
		ret = pgm_parse_selector(pos, verb, false, c, err, errlen);
	} else if (!strcmp(verb, "writeback")) {
		c->op = PGM_CMD_WRITEBACK;
		ret = pgm_parse_selector(pos, verb, true, c, err, errlen);
	} else if (!strcmp(verb, "owner")) {
		ret = pgm_parse_owner(pos, nr_nodes, c, err, errlen);
	} else if (!strcmp(verb, "drain")) {
		c->op = PGM_CMD_DRAIN;
		if (pgm_next_token(&pos))
			ret = pgm_einval(err, errlen, "drain takes no arguments");
	} else if (!strcmp(verb, "stat_refresh")) {
		/* A write to /proc/sys/vm/stat_refresh */
		c->op = PGM_CMD_STAT_REFRESH;
		if (pgm_next_token(&pos))
			ret = pgm_einval(err, errlen,
					 "stat_refresh takes no arguments");
	} else if (!strcmp(verb, "compact")) {
		/* /proc/sys/vm/compact_memory, or a node's compact file */
		c->op = PGM_CMD_COMPACT;
		ret = pgm_parse_compact(pos, nr_nodes, c, err, errlen);
	} else if (!strcmp(verb, "set")) {
		c->op = PGM_CMD_SET;
		ret = pgm_parse_set(pos, c, err, errlen);
	} else if (!strcmp(verb, "alloc_contig")) {
		c->op = PGM_CMD_ALLOC_CONTIG;
		ret = pgm_parse_contig(pos, nr_nodes, false, c, err, errlen);
	} else if (!strcmp(verb, "cma_alloc")) {
		c->op = PGM_CMD_CMA_ALLOC;
		ret = pgm_parse_contig(pos, nr_nodes, true, c, err, errlen);
	} else if (!strcmp(verb, "isolate") || !strcmp(verb, "unisolate")) {
		c->op = verb[0] == 'i' ? PGM_CMD_ISOLATE : PGM_CMD_UNISOLATE;
		ret = pgm_parse_pfn_range(pos, verb, c, err, errlen);
	} else {
		ret = pgm_einval(err, errlen, "unknown command '%.40s'", verb);
	}
	return ret;
}

/* ========================= the control pair's lines ========================= */

/*
 * Digits up to a blank or the end, at most nine, so no u32 overflows;
 * anything longer or stranger is the general parser's to judge.
 */
static __always_inline bool pgm_hot_u32(const char **pos, const char *end,
					u32 *out)
{
	const char *s = *pos;
	u32 v = 0;

	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (s - *pos == 9)
			return false;
		v = v * 10 + *s - '0';
	}
	if (s == *pos || (s < end && !pgm_blank(*s)))
		return false;
	*pos = s;
	*out = v;
	return true;
}

/*
 * 1..PGM_TAG_LEN - 1 tag bytes up to a blank or the end, copied with
 * their NUL as they are checked: a memcpy() call after was dearer than
 * the tag. @tag may be written when 0 is returned. Return: the bytes
 * copied, NUL included, or 0.
 */
static __always_inline size_t pgm_hot_tag(const char **pos, const char *end,
					  char *tag)
{
	const char *s = *pos;
	size_t n;

	for (n = 0; s < end && pgm_tag_char(*s); s++, n++) {
		if (n == PGM_TAG_LEN - 1)
			return 0;
		tag[n] = *s;
	}
	if (!n || (s < end && !pgm_blank(*s)))
		return 0;
	tag[n] = '\0';
	*pos = s;
	return n + 1;
}

/*
 * @*pos starts with the literal @key: step past it. Inline, with the
 * length known, so that the compiler's own memcmp() becomes a word or two
 * compared against immediates: a loop over the literal was a load, a
 * compare and a branch per byte, the parser's largest part.
 */
static __always_inline bool pgm_hot_key(const char **pos, const char *end,
					const char *key)
{
	size_t len = strlen(key);

	if ((size_t)(end - *pos) < len)
		return false;
	if (__builtin_memcmp(*pos, key, len))
		return false;
	*pos += len;
	return true;
}

/* alloc's keys after the verb: order=, count=, nid= and tag=, once each */
static bool pgm_hot_alloc(const char *s, const char *end,
			  unsigned int nr_nodes, struct pgm_cmd *cmd)
{
	unsigned int order = 0, count = 1;
	unsigned long seen = 0;
	/* Padded, to be copied whole: a word a store, no memcpy() call */
	char tag[PGM_TAG_LEN] = {};
	int nid = NUMA_NO_NODE;
	u32 v;

	for (;;) {
		unsigned long key;

		while (s < end && pgm_blank(*s))
			s++;
		if (s == end)
			break;
		if (pgm_hot_key(&s, end, "order=")) {
			key = BIT(PGM_KEY_ORDER);
			if (!pgm_hot_u32(&s, end, &v) || v > PGM_MAX_PAGE_ORDER)
				return false;
			order = v;
		} else if (pgm_hot_key(&s, end, "tag=")) {
			key = BIT(PGM_KEY_TAG);
			if (!pgm_hot_tag(&s, end, tag))
				return false;
		} else if (pgm_hot_key(&s, end, "count=")) {
			key = BIT(PGM_KEY_COUNT);
			if (!pgm_hot_u32(&s, end, &v) || !v ||
			    v > PGM_CMD_MAX_COUNT)
				return false;
			count = v;
		} else if (pgm_hot_key(&s, end, "nid=")) {
			key = BIT(PGM_KEY_NID);
			if (!pgm_hot_u32(&s, end, &v) || v >= nr_nodes)
				return false;
			nid = v;
		} else {
			return false;
		}
		if (seen & key)
			return false;
		seen |= key;
	}
	/* pgm_parse_alloc()'s defaults: a kernel allocation */
	cmd->op = PGM_CMD_ALLOC;
	cmd->alloc.order = order;
	cmd->alloc.gfp = pgm_kind_gfp(PGM_KIND_KERNEL);
	cmd->alloc.nid = nid;
	cmd->alloc.count = count;
	memcpy(cmd->alloc.tag, tag, sizeof(tag));
	cmd->alloc.owner[0] = '\0';
	cmd->alloc.kind = PGM_KIND_KERNEL;
	cmd->alloc.explain = false;
	return true;
}

/* free's one selector: handle=N or tag=STR */
static bool pgm_hot_free(const char *s, const char *end, struct pgm_cmd *cmd)
{
	char tag[PGM_TAG_LEN];
	size_t tag_size = 0;
	u32 handle = 0;

	while (s < end && pgm_blank(*s))
		s++;
	if (pgm_hot_key(&s, end, "handle=")) {
		if (!pgm_hot_u32(&s, end, &handle))
			return false;
		tag[0] = '\0';
	} else if (pgm_hot_key(&s, end, "tag=")) {
		tag_size = pgm_hot_tag(&s, end, tag);
		if (!tag_size)
			return false;
	} else {
		return false;
	}
	while (s < end && pgm_blank(*s))
		s++;
	if (s != end)
		return false;
	cmd->op = PGM_CMD_FREE;
	cmd->free.sel = tag_size ? PGM_FREE_TAG : PGM_FREE_HANDLE;
	cmd->free.handle = handle;
	memcpy(cmd->free.tag, tag, max_t(size_t, tag_size, 1));
	return true;
}

/**
 * pgm_parse_hot() - pgm_parse_cmd()'s fast path
 * @line: the text written, not NUL-terminated
 * @len: bytes in @line; one trailing newline is allowed
 * @nr_nodes: nodes of the instance, bounding nid=
 * @cmd: filled if the line is taken, untouched otherwise
 *
 * The lines a control pair writes, "alloc" with order=, count=, nid= and
 * tag= only and "free handle=N" or "free tag=STR", read in one pass with
 * no copy: the general parser visits each byte four or five times, and was
 * a third of a pair. Whatever this does not take whole, an error above
 * all, goes to the general parser, so a line means the same and fails
 * the same either way (pgmirror_fuzz holds the two to that).
 *
 * Return: true if @cmd was filled.
 */
bool pgm_parse_hot(const char *line, size_t len, unsigned int nr_nodes,
		   struct pgm_cmd *cmd)
{
	const char *end, *s = line;

	if (len && line[len - 1] == '\n')
		len--;
	if (len > PGM_CMD_MAX_LEN)
		return false;
	end = line + len;
	if (pgm_hot_key(&s, end, "alloc") && (s == end || pgm_blank(*s)))
		return pgm_hot_alloc(s, end, nr_nodes, cmd);
	s = line;
	if (pgm_hot_key(&s, end, "free") && s < end && pgm_blank(*s))
		return pgm_hot_free(s, end, cmd);
	return false;
}

/**
 * pgm_parse_cmd() - parse one control command
 * @line: the text written, not NUL-terminated
 * @len: bytes in @line; one trailing newline is allowed
 * @nr_nodes: nodes of the instance, bounding nid=
 * @cmd: filled on success, untouched on error
 * @err: on error, a one-line reason without an "error:" prefix
 * @errlen: size of @err
 *
 * Grammar, one command per line of at most PGM_CMD_MAX_LEN bytes:
 * ``alloc [order=N] [gfp=FLAG|FLAG...] [nid=N] [count=N] [tag=STR]
 * [owner=NAME] [kind=KIND]``, ``alloc_bulk [count=N] [gfp=...] [nid=N]
 * [tag=STR]``, ``free handle=N``, ``free tag=STR``,
 * ``free all``, ``drain``, ``stat_refresh``, ``compact [nid=N]``,
 * ``set KEY=VALUE``,
 * ``owner create name=NAME [nodes=LIST] [oom_score_adj=N] [min=P] [low=P]
 * [high=P] [max=P]``,
 * ``owner set name=NAME [min=P] [low=P] [high=P] [max=P]``,
 * ``owner destroy name=NAME``,
 * ``dirty handle=N|tag=STR``, ``writeback handle=N|tag=STR|all``,
 * ``isolate|unisolate pfn=A-B``, ``alloc_contig pages=N [low=PFN]
 * [high=PFN] [align=PAGES] [boundary=PAGES] [gfp=...] [nid=N] [tag=STR]``
 * and ``cma_alloc count=N [align=ORDER] [tag=STR]``. Pure: takes no lock
 * and allocates nothing; whether an owner exists is the caller's to check.
 *
 * Return: 0, or -EINVAL with @err filled.
 */
int pgm_parse_cmd(const char *line, size_t len, unsigned int nr_nodes,
		  struct pgm_cmd *cmd, char *err, size_t errlen)
{
	if (pgm_parse_hot(line, len, nr_nodes, cmd))
		return 0;
	return pgm_parse_line(line, len, nr_nodes, cmd, err, errlen);
}

/**
 * pgm_parse_line() - pgm_parse_cmd() without its fast path
 * @line: the text written, not NUL-terminated
 * @len: bytes in @line; one trailing newline is allowed
 * @nr_nodes: nodes of the instance, bounding nid=
 * @cmd: filled on success, untouched on error
 * @err: on error, a one-line reason without an "error:" prefix
 * @errlen: size of @err
 *
 * The general parser, which every line the fast path does not take goes
 * to, and which pgmirror_fuzz holds the fast path to.
 *
 * Return: 0, or -EINVAL with @err filled.
 */
int pgm_parse_line(const char *line, size_t len, unsigned int nr_nodes,
		   struct pgm_cmd *cmd, char *err, size_t errlen)
{
	/* pgm_copy_line() terminates what it copies: no zeroing needed */
	char buf[PGM_CMD_MAX_LEN + 1] __uninitialized;
	/*
	 * alloc and free, a control pair's lines, set every field they use;
	 * the rest of the commands start from zeroes
	 */
	struct pgm_cmd c __uninitialized;
	char *pos = buf, *verb;
	int ret;

	ret = pgm_copy_line(line, len, buf, err, errlen);
	if (ret)
		return ret;
	verb = pgm_next_token(&pos);
	if (!verb)
		return pgm_einval(err, errlen, "empty command");

	if (!strcmp(verb, "alloc")) {
		c.op = PGM_CMD_ALLOC;
		ret = pgm_parse_alloc(pos, false, nr_nodes, &c, err, errlen);
	} else if (!strcmp(verb, "free")) {
		c.op = PGM_CMD_FREE;
		ret = pgm_parse_selector(pos, verb, true, &c, err, errlen);
	} else {
		ret = pgm_parse_other(verb, pos, nr_nodes, &c, err, errlen);
	}
	if (ret)
		return ret;
	*cmd = c;
	return 0;
}

static const char * const pgm_bench_keys[] = {
	"order", "count", "shape", "reps", "zero", "threads",
};

static const char * const pgm_bench_shape_names[] = {
	[PGM_BENCH_PAIR] = "pair",
	[PGM_BENCH_BURST] = "burst",
	[PGM_BENCH_BULK] = "bulk",
	[PGM_BENCH_FRAG] = "frag",
};

/**
 * pgm_bench_shape_name() - the name of a bench shape
 * @shape: enum pgm_bench_shape
 *
 * Return: its name, as the bench file takes and prints it.
 */
const char *pgm_bench_shape_name(int shape)
{
	return pgm_bench_shape_names[shape];
}

/**
 * pgm_parse_bench() - parse a write to the bench file
 * @line: the text written, not NUL-terminated
 * @len: bytes in @line; one trailing newline is allowed
 * @b: filled on success, untouched on error: order (0 by default), count
 *	(1..PGM_BENCH_MAX_COUNT, 10000 by default), shape (pair), reps
 *	(1..PGM_BENCH_MAX_REPS, 5), zero (0 or 1, 0) and threads
 *	(1..PGM_BENCH_MAX_THREADS, 1)
 * @err: on error, a one-line reason without an "error:" prefix
 * @errlen: size of @err
 *
 * Grammar: ``[order=K] [count=N] [shape=pair|burst|bulk|frag] [reps=R]
 * [zero=0|1] [threads=T]``, at least one of them; bulk is order 0 only,
 * frag one thread only.
 * Pure: whether T CPUs are online is the run's to check.
 *
 * Return: 0, or -EINVAL with @err filled.
 */
int pgm_parse_bench(const char *line, size_t len, struct pgm_bench_args *b,
		    char *err, size_t errlen)
{
	struct pgm_bench_args a = {
		.count = PGM_BENCH_DEFAULT_COUNT, .reps = PGM_BENCH_DEFAULT_REPS,
		.threads = 1,
	};
	char buf[PGM_CMD_MAX_LEN + 1];
	unsigned long seen = 0;
	char *pos = buf, *val;
	int k, ret;
	u32 v;

	ret = pgm_copy_line(line, len, buf, err, errlen);
	if (ret)
		return ret;
	while ((k = pgm_next_key(&pos, pgm_bench_keys,
				 ARRAY_SIZE(pgm_bench_keys), "bench", &seen,
				 &val, err, errlen)) >= 0) {
		switch (k) {
		case 0:
			ret = pgm_parse_order(val, &a.order, err, errlen);
			break;
		case 1:
			ret = pgm_parse_count("count", val, PGM_BENCH_MAX_COUNT,
					      &a.count, err, errlen);
			break;
		case 2:
			k = pgm_match(val, pgm_bench_shape_names,
				      ARRAY_SIZE(pgm_bench_shape_names));
			if (k < 0)
				return pgm_einval(err, errlen,
						  "shape=%.20s: pair, burst, bulk or frag",
						  val);
			a.shape = k;
			break;
		case 3:
			ret = pgm_parse_count("reps", val, PGM_BENCH_MAX_REPS,
					      &a.reps, err, errlen);
			break;
		case 5:
			if (!pgm_parse_u32(val, &v) || v < 1 ||
			    v > PGM_BENCH_MAX_THREADS)
				return pgm_einval(err, errlen,
						  "threads=%.20s: 1..%u", val,
						  PGM_BENCH_MAX_THREADS);
			a.threads = v;
			break;
		default:
			if (strcmp(val, "0") && strcmp(val, "1"))
				return pgm_einval(err, errlen,
						  "zero=%.20s: 0 or 1", val);
			a.zero = val[0] == '1';
			break;
		}
		if (ret)
			return ret;
	}
	if (k != -ENOENT)
		return k;
	if (!seen)
		return pgm_einval(err, errlen, "expected order=K count=N");
	if (a.shape == PGM_BENCH_BULK && a.order)
		return pgm_einval(err, errlen,
				  "shape=bulk allocates order-0 pages only");
	if (a.shape == PGM_BENCH_FRAG && a.threads > 1)
		return pgm_einval(err, errlen, "shape=frag runs in one thread");
	*b = a;
	return 0;
}

/* ========================= module parameters ========================= */

/* The suffixes memparse() knows, each ten more bits than the one before */
static const char pgm_size_suffixes[] = "KMGTPE";

/*
 * The shift a trailing size suffix asks for, or 0 with none. A hex number's
 * last digit is a digit, not a suffix: 0x1E is thirty, as memparse() reads it.
 */
static unsigned int pgm_size_suffix(const char *s, size_t len)
{
	const char *sfx;
	char c;

	if (!len)
		return 0;
	c = toupper(s[len - 1]);
	sfx = strchr(pgm_size_suffixes, c);
	if (!c || !sfx)
		return 0;
	if (len > 2 && s[0] == '0' && tolower(s[1]) == 'x' && isxdigit(c))
		return 0;
	return 10 * (sfx - pgm_size_suffixes + 1);
}

/* A number of @len bytes of @s, bounded before it is parsed */
static int pgm_parse_num(const char *s, size_t len, u64 *out)
{
	char num[24];

	if (!len)
		return -EINVAL;
	if (len >= sizeof(num))
		return -ERANGE;
	memcpy(num, s, len);
	num[len] = '\0';
	return kstrtoull(num, 0, out);
}

/* @len bytes of @s, times its suffix; @suffixed says whether it had one */
static int pgm_parse_suffixed(const char *s, size_t len, u64 *out,
			      bool *suffixed)
{
	unsigned int shift = pgm_size_suffix(s, len);
	u64 v;
	int ret;

	ret = pgm_parse_num(s, len - !!shift, &v);
	if (ret)
		return ret;
	if (v > U64_MAX >> shift)
		return -ERANGE;
	*out = v << shift;
	if (suffixed)
		*suffixed = shift;
	return 0;
}

/**
 * pgm_parse_size() - parse a byte count as memparse() spells it
 * @s: digits (decimal, 0x hex or 0 octal) with an optional K, M, G, T, P
 *	or E suffix, nothing else
 * @out: the bytes, on success
 *
 * Unlike memparse(), a value that does not fit in 64 bits is an error
 * rather than a silently wrapped number. Pure.
 *
 * Return: 0, -EINVAL when @s is not a size, -ERANGE when it overflows.
 */
int pgm_parse_size(const char *s, u64 *out)
{
	return pgm_parse_suffixed(s, s ? strlen(s) : 0, out, NULL);
}

static int pgm_zone_by_name(const char *s, size_t len)
{
	static const char * const names[PGM_MAX_NR_ZONES] = {
		"DMA", "DMA32", "NORMAL", "MOVABLE"
	};
	int z;

	for (z = 0; z < PGM_MAX_NR_ZONES; z++)
		if (strlen(names[z]) == len && !strncasecmp(s, names[z], len))
			return z;
	return -1;
}

/* One zone's SIZE: pages, or bytes with a suffix; at most @node_pages */
static int pgm_parse_zone_size(const char *s, size_t len,
			       unsigned long node_pages, unsigned long *pages)
{
	bool bytes;
	u64 v;
	int ret;

	ret = pgm_parse_suffixed(s, len, &v, &bytes);
	if (ret)
		return ret;
	/* A part page would be dropped without a word, as size= refuses */
	if (bytes && (v & ~PAGE_MASK))
		return -EDOM;
	if (bytes)
		v >>= PAGE_SHIFT;
	if (v > node_pages)
		return -ERANGE;
	*pages = v;
	return 0;
}

/*
 * "DMA:16M,DMA32:*": zones of one node in increasing order, sizes in pages
 * or with a K/M/G suffix in bytes, "*" for the rest of the node. Every size
 * is bounded by the node before it is added, so no sum can wrap.
 */
static int pgm_parse_zones(const char *spec, unsigned long node_pages,
			   unsigned long out[PGM_MAX_NR_ZONES], char *err,
			   size_t errlen)
{
	unsigned long used = 0;
	int last = -1, star = -1;
	const char *p = spec;

	memset(out, 0, sizeof(unsigned long) * PGM_MAX_NR_ZONES);
	while (*p) {
		const char *colon = strchr(p, ':');
		const char *comma = strchrnul(p, ',');
		const char *num;
		size_t len;
		int z;

		if (!colon || colon > comma)
			goto bad;
		z = pgm_zone_by_name(p, colon - p);
		if (z <= last)
			goto bad;
		last = z;
		num = colon + 1;
		len = comma - num;
		if (len == 1 && *num == '*') {
			if (star >= 0)
				goto bad;
			star = z;
		} else {
			int ret = pgm_parse_zone_size(num, len, node_pages,
						      &out[z]);

			if (ret == -ERANGE)
				return pgm_fail(err, errlen, EINVAL,
						"zones=%.32s: zone %s of '%.*s' is larger than a node (%lu pages)",
						spec, pgm_zone_names[z],
						(int)min_t(size_t, len, 24),
						num, node_pages);
			if (ret == -EDOM)
				return pgm_fail(err, errlen, EINVAL,
						"zones=%.32s: zone %s of '%.*s' is not a multiple of pages",
						spec, pgm_zone_names[z],
						(int)min_t(size_t, len, 24),
						num);
			if (ret)
				goto bad;
		}
		if (check_add_overflow(used, out[z], &used))
			goto too_big;
		p = *comma ? comma + 1 : comma;
	}
	if (last < 0)
		goto bad;
	if (used > node_pages || (star < 0 && used != node_pages))
		goto too_big;
	if (star >= 0)
		out[star] = node_pages - used;
	return 0;

too_big:
	return pgm_fail(err, errlen, EINVAL,
			"zones=%.32s: the zones take %lu pages but a node has %lu",
			spec, used, node_pages);
bad:
	return pgm_fail(err, errlen, EINVAL,
			"zones=%.32s: expected NAME:SIZE,... with DMA, DMA32, NORMAL, MOVABLE in order, at most one '*'",
			spec);
}

/**
 * pgm_nonprintable() - where a string stops being printable ASCII
 * @s: the string, or NULL
 *
 * Return: the offset of the first control or non-ASCII byte, or -1.
 */
int pgm_nonprintable(const char *s)
{
	int i;

	for (i = 0; s && s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return i;
	return -1;
}

/**
 * pgm_parse_params() - turn an instance's parameters into a topology
 * @p: the parameters as the user gave them
 * @topo: filled on success
 * @bytes: the size in bytes, on success
 * @err: on error, a one-line reason
 * @errlen: size of @err
 *
 * Checks every size, count and sum before use; validating the topology as
 * a whole (pageblock multiples, distances, tunable ranges) is left to
 * pgm_instance_create(). Pure but for the default pcp CPU count.
 *
 * Return: 0, -E2BIG for a size past PGM_MAX_NR_PAGES, or -EINVAL; @err
 * filled on error.
 */
int pgm_parse_params(const struct pgm_params *p, struct pgm_topology *topo,
		     u64 *bytes, char *err, size_t errlen)
{
	const char * const strs[] = {
		p->size, p->zones, p->cma, p->transparent_hugepage,
	};
	static const char * const keys[] = {
		"size", "zones", "cma", "transparent_hugepage",
	};
	unsigned long node_pages;
	unsigned int n, m;
	u64 size, cma_bytes = 0;
	int ret;

	/* Reasons quote these: a control character would break the line */
	for (n = 0; n < ARRAY_SIZE(strs); n++) {
		int bad = pgm_nonprintable(strs[n]);

		if (bad >= 0)
			return pgm_einval(err, errlen,
					  "%s= has a non-printable character at offset %d",
					  keys[n], bad);
	}

	ret = pgm_parse_size(p->size, &size);
	if (ret || !size)
		return pgm_einval(err, errlen, "size=%.32s is not a %ssize",
				  p->size ?: "", ret == -ERANGE ?
				  "64-bit " : "non-zero ");
	if (!IS_ALIGNED(size, PAGE_SIZE))
		return pgm_einval(err, errlen,
				  "size=%.32s is not a multiple of pages",
				  p->size);
	/* Named as the user wrote it, before the zones' checks see its pages */
	if ((size >> PAGE_SHIFT) > PGM_MAX_NR_PAGES)
		return pgm_fail(err, errlen, E2BIG,
				"size=%.32s is more than an instance's %lu pages (%lu GiB)",
				p->size, PGM_MAX_NR_PAGES,
				PGM_MAX_NR_PAGES >> (30 - PAGE_SHIFT));

	pgm_topology_default(topo);
	if (p->nodes < 1 || p->nodes > PGM_MAX_NUMNODES)
		return pgm_einval(err, errlen, "nodes=%u is outside 1..%d",
				  p->nodes, PGM_MAX_NUMNODES);
	topo->nr_nodes = p->nodes;
	if (p->nr_cpus)
		topo->nr_cpus = p->nr_cpus;

	node_pages = (size >> PAGE_SHIFT) / p->nodes;
	if ((u64)node_pages * p->nodes != size >> PAGE_SHIFT)
		return pgm_einval(err, errlen,
				  "size=%.32s does not split evenly over %u nodes",
				  p->size, p->nodes);
	for (n = 0; n < p->nodes; n++) {
		ret = pgm_parse_zones(p->zones ?: "", node_pages,
				      topo->zone_pages[n], err, errlen);
		if (ret)
			return ret;
	}

	if (p->nr_distance) {
		if (p->nr_distance != p->nodes * p->nodes)
			return pgm_einval(err, errlen,
					  "distance= needs %u values for %u nodes, got %u",
					  p->nodes * p->nodes, p->nodes,
					  p->nr_distance);
		for (n = 0; n < p->nodes; n++)
			for (m = 0; m < p->nodes; m++)
				topo->distance[n][m] =
					p->distance[n * p->nodes + m];
	}

	if (p->cma) {
		ret = pgm_parse_size(p->cma, &cma_bytes);
		if (ret || cma_bytes > size)
			return pgm_einval(err, errlen,
					  "cma=%.32s is not a size within size=",
					  p->cma);
		if (!IS_ALIGNED(cma_bytes, PAGE_SIZE))
			return pgm_einval(err, errlen,
					  "cma=%.32s is not a multiple of pages",
					  p->cma);
	}
	topo->cma_pages = cma_bytes >> PAGE_SHIFT;

	/* The first zones' ratios, as a short write to the sysctl; < 1 is 0 */
	if (p->nr_lowmem_reserve_ratio > PGM_MAX_NR_ZONES)
		return pgm_einval(err, errlen,
				  "lowmem_reserve_ratio= takes at most %d values",
				  PGM_MAX_NR_ZONES);
	for (n = 0; n < p->nr_lowmem_reserve_ratio; n++)
		topo->tun.lowmem_reserve_ratio[n] =
			max(p->lowmem_reserve_ratio[n], 0);
	topo->tun.min_free_kbytes = p->min_free_kbytes;
	topo->tun.watermark_scale_factor = p->watermark_scale_factor;
	topo->tun.watermark_boost_factor = p->watermark_boost_factor;
	if (p->transparent_hugepage) {
		int mode = pgm_match(p->transparent_hugepage,
				     pgm_thp_mode_names, PGM_NR_THP_MODES);

		if (mode < 0)
			return pgm_einval(err, errlen,
					  "transparent_hugepage=%.20s: always, madvise or never",
					  p->transparent_hugepage);
		topo->tun.transparent_hugepage = mode;
	}
	*bytes = size;
	return 0;
}

/* ========================= create and destroy ========================= */

/* "a,b,c" into @out: up to @max values, their number in @nr */
static int pgm_parse_int_list(const char *key, char *val, int *out,
			      unsigned int max, unsigned int *nr, char *err,
			      size_t errlen)
{
	unsigned int n = 0;
	char *s;

	while ((s = strsep(&val, ","))) {
		if (n == max)
			return pgm_einval(err, errlen, "%s takes at most %u values",
					  key, max);
		if (kstrtoint(s, 10, &out[n]))
			return pgm_einval(err, errlen, "invalid %s value '%.20s'",
					  key, s);
		n++;
	}
	*nr = n;
	return 0;
}

static const char * const pgm_create_keys[] = {
	"name", "size", "backing", "base", "nodes", "zones", "distance", "cma",
	"nr_cpus", "min_free_kbytes", "watermark_scale_factor",
	"watermark_boost_factor", "lowmem_reserve_ratio", "transparent_hugepage",
};

/**
 * pgm_parse_create() - parse a write to the top-level control file
 * @line: the text written, not NUL-terminated
 * @len: bytes in @line; one trailing newline is allowed
 * @c: filled on success; its strings point into c->buf
 * @err: on error, a one-line reason
 * @errlen: size of @err
 *
 * Grammar: ``create name=NAME size=SIZE [backing=borrow|carveout|none]
 * [base=ADDR] [nodes=N] [zones=SPEC] [distance=D,D,...] [cma=SIZE]
 * [nr_cpus=N] [min_free_kbytes=N] [watermark_scale_factor=N]
 * [watermark_boost_factor=N] [lowmem_reserve_ratio=R[,R[,R[,R]]]]
 * [transparent_hugepage=always|madvise|never]``, the module
 * parameters' keys, or ``destroy name=NAME``. The values are checked by
 * pgm_parse_params() when the instance is made. Pure.
 *
 * Return: 0, or -EINVAL with @err filled.
 */
int pgm_parse_create(const char *line, size_t len, struct pgm_create *c,
		     char *err, size_t errlen)
{
	unsigned long seen = 0;
	char *pos, *val, *verb;
	const char *key;
	int k, ret;

	memset(c, 0, sizeof(*c));
	ret = pgm_copy_line(line, len, c->buf, err, errlen);
	if (ret)
		return ret;
	pos = c->buf;
	verb = pgm_next_token(&pos);
	if (!verb)
		return pgm_einval(err, errlen, "empty command");
	if (!strcmp(verb, "destroy"))
		c->destroy = true;
	else if (strcmp(verb, "create"))
		return pgm_einval(err, errlen,
				  "unknown command '%.40s': create or destroy",
				  verb);

	c->backing = PGM_BACKING_BORROWED;
	c->params.nodes = 1;
	c->params.zones = "NORMAL:*";
	c->params.watermark_scale_factor = PGM_WATERMARK_SCALE_FACTOR;
	c->params.watermark_boost_factor = 15000;
	c->params.distance = c->distance;
	c->params.lowmem_reserve_ratio = c->ratio;

	/* destroy takes the first key, name=, alone */
	while ((k = pgm_next_key(&pos, pgm_create_keys,
				 c->destroy ? 1 : ARRAY_SIZE(pgm_create_keys),
				 verb, &seen, &val, err, errlen)) >= 0) {
		key = pgm_create_keys[k];
		switch (k) {
		case 0:
			c->name = val;
			break;
		case 1:
			c->params.size = val;
			break;
		case 2:
			if (!strcmp(val, "borrow"))
				c->backing = PGM_BACKING_BORROWED;
			else if (!strcmp(val, "carveout"))
				c->backing = PGM_BACKING_CARVEOUT;
			else if (!strcmp(val, "none"))
				c->backing = PGM_BACKING_NONE;
			else
				return pgm_einval(err, errlen,
						  "backing=%.20s: borrow, carveout or none",
						  val);
			break;
		case 3:
			c->base = val;
			break;
		case 4:
			if (kstrtouint(val, 10, &c->params.nodes))
				return pgm_einval(err, errlen,
						  "invalid nodes '%.20s'", val);
			break;
		case 5:
			c->params.zones = val;
			break;
		case 6:
			ret = pgm_parse_int_list(key, val, c->distance,
						 ARRAY_SIZE(c->distance),
						 &c->params.nr_distance, err,
						 errlen);
			break;
		case 7:
			c->params.cma = val;
			break;
		case 8:
			if (kstrtouint(val, 10, &c->params.nr_cpus))
				return pgm_einval(err, errlen,
						  "invalid nr_cpus '%.20s'", val);
			break;
		case 9:
			ret = pgm_parse_int(key, val, INT_MIN,
					    &c->params.min_free_kbytes, err,
					    errlen);
			break;
		case 10:
			ret = pgm_parse_int(key, val, INT_MIN,
					    &c->params.watermark_scale_factor,
					    err, errlen);
			break;
		case 11:
			ret = pgm_parse_int(key, val, INT_MIN,
					    &c->params.watermark_boost_factor,
					    err, errlen);
			break;
		case 12:
			ret = pgm_parse_int_list(key, val, c->ratio,
						 ARRAY_SIZE(c->ratio),
						 &c->params.nr_lowmem_reserve_ratio,
						 err, errlen);
			break;
		default:
			c->params.transparent_hugepage = val;
			break;
		}
		if (ret)
			return ret;
	}
	if (k != -ENOENT)
		return k;

	if (!c->name)
		return pgm_einval(err, errlen, "%s needs name=NAME", verb);
	if (c->destroy)
		return 0;
	if (!c->params.size)
		return pgm_einval(err, errlen, "create needs size=SIZE");
	/* base= alone means a carve-out, as for the module parameters */
	if (c->base && !(seen & BIT(2)))
		c->backing = PGM_BACKING_CARVEOUT;
	if (c->backing == PGM_BACKING_CARVEOUT ? !c->base : !!c->base)
		return pgm_einval(err, errlen,
				  "base= goes with backing=carveout, and only with it");
	return 0;
}
