/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgmirror: the interface layer.
 *
 * The control-command parser (a pure function, so KUnit and a fuzzer can
 * reach it), the /proc-style printers of vmstat.c and the debugfs tree.
 */
#ifndef _PGMIRROR_CMD_H
#define _PGMIRROR_CMD_H

#include <linux/gfp.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/xarray.h>
#include "mmzone.h"
#include "lru.h"

struct seq_file;

extern const char pgm_dec_pairs[100][3];

/* @r < 100 in two digits at @p, from a table as put_dec() has */
static __always_inline void pgm_put_2digits(char *p, u32 r)
{
	p[0] = pgm_dec_pairs[r][0];
	p[1] = pgm_dec_pairs[r][1];
}

/**
 * pgm_put_u32() - write @v in decimal at @p, without vsnprintf()
 * @p: where; room for 10 digits
 * @v: the number
 *
 * The control file's hot status lines and KUnit's writer are built from
 * these, as seq_put_decimal_ull() spares /proc/stat vsnprintf()'s walk of
 * the format.
 *
 * Return: the byte after the last digit; nothing is terminated.
 */
static inline char *pgm_put_u32(char *p, u32 v)
{
	unsigned int n = 1, i;
	u32 t;

	/*
	 * Digits counted, then written by index, last first: a pointer
	 * stepped in the loop has FORTIFY_SOURCE track its room per step.
	 * Two at a time, as put_dec() does, halves the divisions of a
	 * handle's five digits.
	 */
	for (t = v; t >= 100; t /= 100)
		n += 2;
	if (t >= 10)
		n++;
	for (i = n; v >= 100; v /= 100) {
		i -= 2;
		pgm_put_2digits(p + i, v % 100);
	}
	if (v >= 10)
		pgm_put_2digits(p, v);
	else
		p[0] = '0' + v;
	return p + n;
}

/**
 * pgm_put_str() - copy @s, without its NUL, to @p
 * @p: where; room for strlen(@s) bytes
 * @s: a string, usually a literal whose length folds to a constant
 *
 * Return: the byte after the copy; nothing is terminated.
 */
static __always_inline char *pgm_put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* Longest command accepted, not counting one trailing newline */
#define PGM_CMD_MAX_LEN		256
#define PGM_CMD_MAX_COUNT	65536
#define PGM_BENCH_MAX_COUNT	1000000
#define PGM_BENCH_DEFAULT_COUNT	10000
/* A median of five, each side's runs alternating, unless asked otherwise */
#define PGM_BENCH_DEFAULT_REPS	5
#define PGM_BENCH_MAX_REPS	15
#define PGM_BENCH_MAX_THREADS	64
/* vm.extfrag_threshold's upper bound, as its sysctl's */
#define PGM_EXTFRAG_THRESHOLD_MAX	1000

/*
 * What a bench run times: alloc+free pairs, bursts of allocations,
 * bursts taken by alloc_pages_bulk() calls, or movable allocations in a
 * fragmented DMA zone
 */
enum pgm_bench_shape {
	PGM_BENCH_PAIR,
	PGM_BENCH_BURST,
	PGM_BENCH_BULK,
	PGM_BENCH_FRAG,
};

/**
 * struct pgm_bench_args - a parsed write to the bench file
 * @order: the order of every allocation
 * @count: allocations per run
 * @shape: enum pgm_bench_shape
 * @reps: runs of each side, alternating; the figures are their median
 * @zero: pass __GFP_ZERO to both sides
 * @threads: kthreads timed at once, each on its own CPU, @count each
 */
struct pgm_bench_args {
	unsigned int order;
	unsigned int count;
	unsigned int shape;
	unsigned int reps;
	bool zero;
	unsigned int threads;
};

enum pgm_cmd_op {
	PGM_CMD_ALLOC,
	PGM_CMD_ALLOC_BULK,
	PGM_CMD_FREE,
	PGM_CMD_DRAIN,
	PGM_CMD_SET,
	PGM_CMD_OWNER_CREATE,
	PGM_CMD_OWNER_DESTROY,
	PGM_CMD_OWNER_SET,
	PGM_CMD_DIRTY,
	PGM_CMD_WRITEBACK,
	PGM_CMD_ISOLATE,
	PGM_CMD_UNISOLATE,
	PGM_CMD_ALLOC_CONTIG,
	PGM_CMD_CMA_ALLOC,
	PGM_CMD_STAT_REFRESH,
	PGM_CMD_COMPACT,
};

enum pgm_free_sel {
	PGM_FREE_HANDLE,
	PGM_FREE_TAG,
	PGM_FREE_ALL,
};

enum pgm_set_key {
	PGM_SET_WATERMARK_SCALE_FACTOR,
	PGM_SET_MIN_FREE_KBYTES,
	PGM_SET_WATERMARK_BOOST_FACTOR,
	PGM_SET_LOWMEM_RESERVE_RATIO,
	PGM_SET_PERCPU_PAGELIST_HIGH_FRACTION,
	PGM_SET_ZONE_RECLAIM_MODE,
	PGM_SET_MIN_UNMAPPED_RATIO,
	PGM_SET_MIN_SLAB_RATIO,
	PGM_SET_DIRTY_RATIO,
	PGM_SET_PAGE_POISONING,
	PGM_SET_INIT_ON_FREE,
	PGM_SET_INIT_ON_ALLOC,
	PGM_SET_PAGE_GROUP_BY_MOBILITY,
	PGM_SET_ALLOC_NOFRAGMENT,
	PGM_SET_HIGHATOMIC,
	PGM_SET_PCP,
	PGM_SET_PCP_BATCH,
	PGM_SET_PCP_HIGH,
	PGM_SET_CLAIM_THRESHOLD,
	PGM_SET_KSWAPD,
	PGM_SET_DIRECT_RECLAIM,
	PGM_SET_DIRECT_COMPACTION,
	PGM_SET_FALLBACKS,
	PGM_SET_NUMA_STAT,
	PGM_SET_TRANSPARENT_HUGEPAGE,
	PGM_SET_PER_CPU_DATA_SLICE_SIZE,
	PGM_SET_COMPACTION_PROACTIVENESS,
	PGM_SET_KCOMPACTD,
	PGM_SET_EXTFRAG_THRESHOLD,
	PGM_SET_OOM_KILL_ALLOCATING_TASK,
	PGM_NR_SET_KEYS
};

/**
 * struct pgm_cmd - one parsed control command
 * @op: which command
 * @alloc: PGM_CMD_ALLOC and PGM_CMD_ALLOC_BULK arguments (bulk: order 0,
 *	no owner, kind kernel)
 * @alloc.order: 0..PGM_MAX_PAGE_ORDER
 * @alloc.gfp: host gfp_t bits, with a valid zone combination
 * @alloc.nid: preferred node, or NUMA_NO_NODE for the current pcp CPU's
 * @alloc.count: 1..PGM_CMD_MAX_COUNT
 * @alloc.tag: the tag, empty when none was given; NUL-padded to the end,
 *	so that it is copied whole, not as a string
 * @alloc.owner: the owner's name, empty when none was given
 * @alloc.kind: enum pgm_kind; PGM_KIND_KERNEL when none was given
 * @alloc.explain: write down the path of the first request (explain=1)
 * @free: PGM_CMD_FREE, PGM_CMD_DIRTY and PGM_CMD_WRITEBACK arguments
 * @free.sel: what selects the handles freed
 * @free.handle: the handle, for PGM_FREE_HANDLE
 * @free.tag: the tag, for PGM_FREE_TAG
 * @set: PGM_CMD_SET arguments
 * @set.key: the tunable
 * @set.val: the value, for every key but lowmem_reserve_ratio; the
 *	migratetype whose row changes, for PGM_SET_FALLBACKS
 * @set.ratio: the values, for PGM_SET_LOWMEM_RESERVE_RATIO
 * @set.nr_ratio: how many of @set.ratio were given, 1..PGM_MAX_NR_ZONES
 * @set.row: the fallback types, -1 after the last, for PGM_SET_FALLBACKS
 * @owner: PGM_CMD_OWNER_CREATE and PGM_CMD_OWNER_DESTROY arguments
 * @owner.name: 1..PGM_OWNER_NAME_LEN - 1 characters
 * @owner.nodes: allowed nodes; every node when none were given
 * @owner.oom_score_adj: -1000..1000, 0 by default
 * @owner.min: memory.min in pages, PGM_PAGE_COUNTER_MAX for "max"
 * @owner.low: memory.low in pages, as @owner.min
 * @owner.max: memory.max in pages, as @owner.min
 * @owner.high: memory.high in pages, as @owner.min
 * @owner.set_min: min= was given
 * @owner.set_low: low= was given
 * @owner.set_max: max= was given
 * @owner.set_high: high= was given
 * @range: PGM_CMD_ISOLATE and PGM_CMD_UNISOLATE arguments
 * @range.start: first pfn
 * @range.end: pfn after the last, above @range.start
 * @contig: PGM_CMD_ALLOC_CONTIG and PGM_CMD_CMA_ALLOC arguments
 * @contig.nr_pages: pages wanted, at least 1
 * @contig.low: lowest first pfn (alloc_contig)
 * @contig.high: pfn the range ends at or before, 0 for the instance's end
 * @contig.align: alloc_contig: pages, a power of two, 0 for upstream's
 *	ALIGN(zone start, pages); cma_alloc: an order
 * @contig.boundary: pages, a power of two no smaller than @nr_pages, or 0
 * @contig.gfp: alloc_contig_range()'s modifiers, GFP_KERNEL by default
 * @contig.nid: the node whose zonelist is searched, or NUMA_NO_NODE
 * @contig.tag: NUL-terminated tag, empty when none was given
 * @compact: PGM_CMD_COMPACT arguments
 * @compact.nid: the node compacted, or NUMA_NO_NODE for every node
 */
struct pgm_cmd {
	enum pgm_cmd_op op;
	union {
		struct {
			unsigned int order;
			gfp_t gfp;
			int nid;
			unsigned int count;
			char tag[PGM_TAG_LEN];
			char owner[PGM_OWNER_NAME_LEN];
			enum pgm_kind kind;
			bool explain;
		} alloc;
		struct {
			enum pgm_free_sel sel;
			u32 handle;
			char tag[PGM_TAG_LEN];
		} free;
		struct {
			enum pgm_set_key key;
			int val;
			int ratio[PGM_MAX_NR_ZONES];
			unsigned int nr_ratio;
			int row[PGM_MIGRATE_PCPTYPES - 1];
		} set;
		struct {
			char name[PGM_OWNER_NAME_LEN];
			struct pgm_nodemask nodes;
			int oom_score_adj;
			unsigned long min;
			unsigned long low;
			unsigned long max;
			unsigned long high;
			bool set_min;
			bool set_low;
			bool set_max;
			bool set_high;
		} owner;
		struct {
			unsigned long start;
			unsigned long end;
		} range;
		struct {
			unsigned long nr_pages;
			unsigned long low;
			unsigned long high;
			unsigned long align;
			unsigned long boundary;
			gfp_t gfp;
			int nid;
			char tag[PGM_TAG_LEN];
		} contig;
		struct {
			int nid;
		} compact;
	};
};

/**
 * struct pgm_params - an instance's parameters as the user wrote them
 * @size: bytes, with memparse()'s suffixes; required
 * @nodes: NUMA nodes, 1..PGM_MAX_NUMNODES
 * @zones: per-node zone layout, e.g. "DMA:16M,NORMAL:*"
 * @distance: @nodes * @nodes SLIT distances, row by row, or none
 * @nr_distance: entries in @distance; 0 keeps 10/20
 * @cma: bytes of CMA, or NULL for none
 * @min_free_kbytes: vm.min_free_kbytes; 0 derives it
 * @watermark_scale_factor: vm.watermark_scale_factor
 * @watermark_boost_factor: vm.watermark_boost_factor
 * @lowmem_reserve_ratio: one ratio per zone, or none
 * @nr_lowmem_reserve_ratio: entries in @lowmem_reserve_ratio; 0 keeps
 *	upstream's defaults
 * @nr_cpus: pcp CPUs; 0 means one per online CPU
 * @transparent_hugepage: always, madvise or never; NULL for never
 */
struct pgm_params {
	const char *size;
	unsigned int nodes;
	const char *zones;
	const int *distance;
	unsigned int nr_distance;
	const char *cma;
	int min_free_kbytes;
	int watermark_scale_factor;
	int watermark_boost_factor;
	const int *lowmem_reserve_ratio;
	unsigned int nr_lowmem_reserve_ratio;
	unsigned int nr_cpus;
	const char *transparent_hugepage;
};

/**
 * struct pgm_create - a parsed write to the top-level control file
 * @buf: the line, split in place; the strings below point into it
 * @destroy: ``destroy name=NAME`` rather than ``create``
 * @name: the instance's name
 * @backing: enum pgm_backing_kind
 * @base: the carve-out's physical base, as written, or NULL
 * @params: the rest, as the module parameters give them
 * @distance: storage for @params.distance
 * @ratio: storage for @params.lowmem_reserve_ratio
 */
struct pgm_create {
	char buf[PGM_CMD_MAX_LEN + 1];
	bool destroy;
	const char *name;
	int backing;
	const char *base;
	struct pgm_params params;
	int distance[PGM_MAX_NUMNODES * PGM_MAX_NUMNODES];
	int ratio[PGM_MAX_NR_ZONES];
};

/* cmd.c */
int pgm_parse_size(const char *s, u64 *out);
int pgm_nonprintable(const char *s);
int pgm_parse_create(const char *line, size_t len, struct pgm_create *c,
		     char *err, size_t errlen);
int pgm_parse_params(const struct pgm_params *p, struct pgm_topology *topo,
		     u64 *bytes, char *err, size_t errlen);
int pgm_parse_cmd(const char *line, size_t len, unsigned int nr_nodes,
		  struct pgm_cmd *cmd, char *err, size_t errlen);
int pgm_parse_line(const char *line, size_t len, unsigned int nr_nodes,
		   struct pgm_cmd *cmd, char *err, size_t errlen);
bool pgm_parse_hot(const char *line, size_t len, unsigned int nr_nodes,
		   struct pgm_cmd *cmd);
/*
 * shape=frag: the timed requests are movable, no reclaim; the fill is
 * unmovable and past the watermarks (ALLOC_NO_WATERMARKS), down to the
 * last free page. Both from the DMA zone, the only one a fill can take
 * whole on a running box: nothing but GFP_DMA requests needs it, and the
 * lowmem reserve keeps the rest out of it already.
 */
#define PGM_BENCH_FRAG_GFP	(__GFP_DMA | __GFP_MOVABLE | __GFP_NOWARN)
#define PGM_BENCH_FRAG_FILL_GFP	(__GFP_DMA | __GFP_MEMALLOC | __GFP_NOWARN)
/* The largest DMA zone shape=frag fills: 4 GiB of pages, 8 MiB of slots */
#define PGM_BENCH_FRAG_MAX_PAGES	BIT(20)

/**
 * struct pgm_bench_frag - one side of a fragmented-zone run
 * @inst: the mirror's instance, or NULL for the host's allocator
 * @nid: the mirror's node to allocate on
 * @pages: @max slots, for the fill and then the timed blocks
 * @max: slots in @pages: at least the free pages of the zone filled
 * @fill_gfp: the unmovable order-0 fill, down to the zone's last page
 * @gfp: the timed requests
 * @host_drain: drains the host's pcp lists (drain_all_pages(), which a
 *	module cannot call); with it both sides drain theirs between steps,
 *	without it neither does, and each keeps at most its pcp high
 * @stop: raised by another context when the writer was killed, or NULL
 * @dying: the bench's instance's dying flag (its destroy waits for the
 *	run), or NULL
 */
struct pgm_bench_frag {
	struct pgm_instance *inst;
	int nid;
	void **pages;
	unsigned long max;
	gfp_t fill_gfp;
	gfp_t gfp;
	void (*host_drain)(struct zone *zone);
	const bool *stop;
	const bool *dying;
};

int pgm_bench_frag_run(struct pgm_bench_frag *f, unsigned int order,
		       unsigned long count, u64 *ns, char *err, size_t errlen);
int pgm_bench_run(struct pgm_instance *inst, const struct pgm_bench_args *a,
		  char *err, size_t errlen);
int pgm_parse_bench(const char *line, size_t len, struct pgm_bench_args *b,
		    char *err, size_t errlen);
const char *pgm_bench_shape_name(int shape);
const char *pgm_set_key_name(enum pgm_set_key key);
const char *pgm_thp_mode_name(int mode);
const char *pgm_fallback_type_name(int mt);
int pgm_gfp_lookup(const char *name, gfp_t *gfp);
char *pgm_next_token(char **pos);
char *pgm_format_tunable(const struct pgm_tunables *tun, enum pgm_set_key key,
			 int mt, char *buf, size_t len);
/* Longest line pgm_format_tunable() prints, with its NUL */
#define PGM_TUNABLE_LEN		96
const char *pgm_errno_name(int err);

/* vmstat.c; m->private is the struct pgm_instance */
int pgm_buddyinfo_show(struct seq_file *m, void *v);
int pgm_pagetypeinfo_show(struct seq_file *m, void *v);
int pgm_zoneinfo_show(struct seq_file *m, void *v);
int pgm_extfrag_show(struct seq_file *m, void *v);
int pgm_unusable_show(struct seq_file *m, void *v);
extern const struct seq_operations pgm_pageblocks_sops;
int pgm_stats_show(struct seq_file *m, void *v);

/* debugfs.c */
struct pgm_instance;
struct dentry;
#define PGM_DEBUGFS_ROOT	"pgmirror"
int pgm_debugfs_init(struct pgm_instance *inst, struct dentry *root);
void pgm_debugfs_exit(struct pgm_instance *inst);
void pgm_handles_release_all(struct pgm_instance *inst);
int pgm_control_run(struct pgm_instance *inst, const char *buf, size_t len,
		    char *status);

/* ========================= replay (replay.c) ========================= */

/* Longest trace line replayed; a longer one is counted as malformed */
#define PGM_REPLAY_LINE_MAX	512

enum pgm_trace_kind {
	PGM_TRACE_NONE,		/* blank, comment or header: not an event */
	PGM_TRACE_ALLOC,	/* mm_page_alloc */
	PGM_TRACE_FREE,		/* mm_page_free, mm_page_free_batched */
	PGM_TRACE_OTHER,	/* any other event: counted and skipped */
	PGM_TRACE_LOST,		/* the ring buffer overran: events lost */
};

/* Traced pfns from here up are refused: 2^52 bytes of 4 KiB pages */
#define PGM_REPLAY_PFN_LIMIT	BIT(52 - 12)

/**
 * struct pgm_trace_event - one parsed line of a kmem trace
 * @kind: enum pgm_trace_kind
 * @cpu: the traced CPU
 * @pfn: the traced pfn
 * @order: the order (0 for mm_page_free_batched); may exceed
 *	PGM_MAX_PAGE_ORDER (a 1 GiB hugetlb page's free is order 18)
 * @migratetype: mm_page_alloc's migratetype=, 0 when not printed
 * @gfp: mm_page_alloc's gfp_flags, as the host's gfp bits; the mobility
 *	bit from @migratetype when the mask was printed as a number alone
 * @gfp_hex: gfp_flags had bits without a name (a hex part): dropped
 * @failed: an mm_page_alloc whose page was NULL: it failed when traced
 * @batched: mm_page_free_batched
 * @lost: PGM_TRACE_LOST: the events lost, 0 when the trace did not count
 * @instance: a pgmirror event's instance=, empty for the kernel's own
 */
struct pgm_trace_event {
	enum pgm_trace_kind kind;
	unsigned int cpu;
	unsigned long pfn;
	unsigned long lost;
	unsigned int order;
	int migratetype;
	gfp_t gfp;
	bool gfp_hex;
	bool failed;
	bool batched;
	char instance[PGM_NAME_LEN];
};

/**
 * struct pgm_trace_gfp_cache - the last gfp_flags string a parse read
 * @len: its length, 0 when empty
 * @gfp: its bits
 * @hex: it had a hex part
 * @named: it had a name, or was "none"
 * @str: the string
 */
struct pgm_trace_gfp_cache {
	size_t len;
	gfp_t gfp;
	bool hex;
	bool named;
	char str[128];
};

/**
 * struct pgm_replay_stats - what a replay did
 * @lines: lines read
 * @events: event lines among them
 * @alloc: mm_page_alloc events replayed with success
 * @alloc_order: mm_page_alloc events requested again, by order
 * @alloc_fail: mm_page_alloc events pgmirror failed
 * @alloc_fail_line: the line of the first
 * @alloc_fail_order: @alloc_fail by order
 * @traced_fail: mm_page_alloc events that had failed when traced: skipped
 * @gfp_hex: mm_page_alloc events whose gfp_flags had bits without a name,
 *	printed as a number: those bits were dropped
 * @gfp_hex_line: the line of the first
 * @free: free events replayed
 * @free_unknown: frees of a pfn the trace had not allocated: skipped
 * @free_unknown_line: the line of the first
 * @batched: mm_page_free_batched events that commit a free traced just
 *	before by mm_page_free (no free of their own)
 * @untraced_free: blocks freed because a traced allocation covered their
 *	traced pfns again without a traced free (lost events)
 * @split: blocks split because the trace freed part of one, or allocated
 *	part of one again
 * @skipped: other events
 * @skipped_line: the line of the first
 * @nomem: events skipped because the pfn map could not grow
 * @malformed: lines that could not be read: skipped
 * @malformed_line: the line of the first
 * @lost: the ring buffer's "[LOST ...]" lines: the trace misses events
 * @lost_events: the events they say were dropped, where they count them
 */
struct pgm_replay_stats {
	unsigned long lines;
	unsigned long events;
	unsigned long alloc;
	unsigned long alloc_order[PGM_NR_PAGE_ORDERS];
	unsigned long alloc_fail;
	unsigned long alloc_fail_line;
	unsigned long alloc_fail_order[PGM_NR_PAGE_ORDERS];
	unsigned long traced_fail;
	unsigned long gfp_hex;
	unsigned long gfp_hex_line;
	unsigned long free;
	unsigned long free_unknown;
	unsigned long free_unknown_line;
	unsigned long batched;
	unsigned long untraced_free;
	unsigned long split;
	unsigned long nomem;
	unsigned long skipped;
	unsigned long skipped_line;
	unsigned long malformed;
	unsigned long malformed_line;
	unsigned long lost;
	unsigned long lost_events;
};

/**
 * struct pgm_replay_writer - what one writer of a replay file has sent
 *	of a line whose end has not come yet; its owner keeps one writer at
 *	a time on it (the replay file: a mutex of the open file)
 * @partial: the start of a line whose end is in the next write
 * @partial_len: its length
 * @overlong: the line being read is longer than PGM_REPLAY_LINE_MAX
 */
struct pgm_replay_writer {
	char partial[PGM_REPLAY_LINE_MAX + 1];
	size_t partial_len;
	bool overlong;
};

/*
 * Tombstones kept at most: a traced mm_page_free waits this many later
 * frees for its mm_page_free_batched commit. 6.12 commits a folio batch
 * (31) right after preparing it; 6.1's lists run to a TLB gather's ~500.
 */
#define PGM_REPLAY_TOMBS	4096

/**
 * struct pgm_replay - an instance's replay; everything under iface_lock
 *	exclusive
 * @map: traced pfn -> the block standing for it (pfn and order), or a
 *	tombstone from an mm_page_free until its batched commit, its next
 *	allocation, or PGM_REPLAY_TOMBS tombstones later
 * @tombs: the traced pfns of the last PGM_REPLAY_TOMBS tombstones, a ring
 * @nr_tombs: tombstones made since the reset; the next one's place in
 *	@tombs is @nr_tombs % PGM_REPLAY_TOMBS
 * @stats: the counts; readers use READ_ONCE() without the lock
 * @batch: lines since others last had iface_lock, over chunks
 * @gfp_cache: the last gfp_flags string and its bits
 * @sourced: @source is set: an allocation or free was read since the reset
 * @source: whose events are replayed, the first allocation's or free's:
 *	an instance's name, or empty for the host's kmem events
 */
struct pgm_replay {
	struct xarray map;
	unsigned long *tombs;
	unsigned long nr_tombs;
	struct pgm_replay_stats stats;
	unsigned int batch;
	struct pgm_trace_gfp_cache gfp_cache;
	bool sourced;
	char source[PGM_NAME_LEN];
};

int pgm_parse_trace_line(char *line, struct pgm_trace_event *ev,
			 struct pgm_trace_gfp_cache *cache);
int pgm_replay_init(struct pgm_instance *inst);
void pgm_replay_release(struct pgm_instance *inst);
int pgm_replay_feed(struct pgm_instance *inst, struct pgm_replay_writer *wr,
		    const char *buf, size_t len, size_t *used);
void pgm_replay_reset(struct pgm_instance *inst);
void pgm_replay_drop_partial(struct pgm_replay_writer *wr);
void pgm_replay_show(struct seq_file *m, struct pgm_instance *inst);

#endif /* _PGMIRROR_CMD_H */
