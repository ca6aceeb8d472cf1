// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: replaying a kmem trace through an instance.
 *
 * The input is the text ftrace prints for the kmem events, as
 * /sys/kernel/tracing/trace and trace-cmd report show it. Each
 * mm_page_alloc is requested again with its order and gfp mask on the pcp
 * CPU of the traced CPU; each mm_page_free and mm_page_free_batched frees
 * the block that stands for the traced pfn. pgmirror picks its own pfns,
 * so a map from traced pfn to pgmirror block is kept. Nothing is guessed:
 * a free of a pfn the trace never allocated is counted and skipped.
 *
 * The line parser is a pure function; the rest runs under iface_lock
 * exclusive, as most control writes do, and lets others in every
 * PGM_IFACE_BATCH lines and between the chunks of a write.
 */

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "cmd.h"
#include "internal.h"
#include "pgmirror.h"

/* ========================= the line parser ========================= */

/*
 * gfp names of other 6.x kernels, or of bits no allocator decision reads;
 * 6.1 has the two KASAN skips 6.12 made one
 */
static const char * const pgm_trace_gfp_ignored[] = {
	"__GFP_ZEROTAGS", "__GFP_SKIP_ZERO", "__GFP_SKIP_KASAN",
	"__GFP_SKIP_KASAN_POISON", "__GFP_SKIP_KASAN_UNPOISON",
	"__GFP_NOLOCKDEP", "__GFP_NO_OBJ_EXT", "__GFP_ATOMIC",
	"__GFP_NOTRACK", "__GFP_OTHER_NODE",
};

/*
 * show_gfp_flags(): names joined by '|', "none" for 0, and what no name
 * covers as a hex number. Bits are numbered differently from one kernel
 * to the next, so a number is dropped rather than trusted; @hex says one
 * was, @named that a name (or "none") was read.
 */
static int pgm_trace_gfp(char *val, gfp_t *out, bool *hex, bool *named)
{
	gfp_t gfp = 0, one;
	unsigned int i;
	char *name;

	*hex = false;
	*named = true;
	if (!strcmp(val, "none")) {
		*out = 0;
		return 0;
	}
	*named = false;
	while ((name = strsep(&val, "|"))) {
		if (!*name)
			return -EINVAL;
		if (name[0] == '0' && name[1] == 'x') {
			*hex = true;
			continue;
		}
		*named = true;
		if (!pgm_gfp_lookup(name, &one)) {
			gfp |= one;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(pgm_trace_gfp_ignored); i++)
			if (!strcmp(name, pgm_trace_gfp_ignored[i]))
				break;
		if (i == ARRAY_SIZE(pgm_trace_gfp_ignored))
			return -EINVAL;
	}
	*out = gfp;
	return 0;
}

/*
 * A trace repeats a handful of gfp strings: the last one parsed is kept,
 * which spares the name lookups on most lines.
 */
static int pgm_trace_gfp_cached(char *val, gfp_t *out, bool *hex,
				bool *named, struct pgm_trace_gfp_cache *cache)
{
	size_t n = strlen(val);
	int ret;

	/* len 0 is an empty cache, not the empty string: that one is parsed */
	if (cache && cache->len && cache->len == n &&
	    !memcmp(cache->str, val, n)) {
		*out = cache->gfp;
		*hex = cache->hex;
		*named = cache->named;
		return 0;
	}
	if (cache && n < sizeof(cache->str)) {
		memcpy(cache->str, val, n + 1);
		cache->len = 0;
	}
	/* pgm_trace_gfp() splits @val: parse the copy's original */
	ret = pgm_trace_gfp(val, out, hex, named);
	if (!ret && cache && n < sizeof(cache->str)) {
		cache->gfp = *out;
		cache->hex = *hex;
		cache->named = *named;
		cache->len = n;
	}
	return ret;
}

/*
 * %p of NULL: 0000000000000000 in the trace file (ptr_to_id() prints
 * NULL unhashed), "(nil)" or 0x0 from trace-cmd, "(null)" before 4.15
 */
static bool pgm_trace_null_page(const char *val)
{
	unsigned long p;

	if (!strcmp(val, "(null)") || !strcmp(val, "(nil)"))
		return true;
	return !kstrtoul(val, 16, &p) && !p;
}

/*
 * "CPU N is empty" (trace-cmd) is no event; "CPU:N [LOST M EVENTS]" and
 * "CPU:N [LOST EVENTS]" (print_trace_line() after an overrun), and
 * trace-cmd report's "CPU:N [M EVENTS DROPPED]" and "CPU:N [EVENTS
 * DROPPED]", count what the ring buffer dropped. Anything else starting
 * "CPU" is a task's name, as QEMU's "CPU 0/KVM" threads are called.
 */
static bool pgm_trace_cpu_line(const char *pos, struct pgm_trace_event *ev)
{
	static const char * const counted[] = {
		"CPU:%u [LOST %lu EVENTS]%n", "CPU:%u [%lu EVENTS DROPPED]%n",
	};
	static const char * const uncounted[] = {
		"CPU:%u [LOST EVENTS]%n", "CPU:%u [EVENTS DROPPED]%n",
	};
	unsigned int cpu, i;
	int n = 0;

	if (sscanf(pos, "CPU %u is empty%n", &cpu, &n) == 1 && n &&
	    !pos[n]) {
		ev->kind = PGM_TRACE_NONE;
		return true;
	}
	for (i = 0; i < ARRAY_SIZE(uncounted); i++) {
		n = 0;
		if (sscanf(pos, uncounted[i], &ev->cpu, &n) == 1 && n &&
		    !pos[n]) {
			ev->kind = PGM_TRACE_LOST;
			return true;
		}
	}
	for (i = 0; i < ARRAY_SIZE(counted); i++) {
		n = 0;
		if (sscanf(pos, counted[i], &ev->cpu, &ev->lost, &n) == 2 &&
		    n && !pos[n]) {
			ev->kind = PGM_TRACE_LOST;
			return true;
		}
	}
	ev->cpu = 0;
	ev->lost = 0;
	return false;
}

/* @s up to @end holds digits only, and at least one */
static bool pgm_trace_digits(const char *s, const char *end)
{
	if (s >= end)
		return false;
	for (; s < end; s++)
		if (!isdigit(*s))
			return false;
	return true;
}

/*
 * What comes just before the CPU field: "-PID" at the end of the task's
 * name (ftrace, trace-cmd), the PID alone or "PID/TID" (perf script), or
 * "(TGID)" (ftrace's record-tgid option)
 */
static bool pgm_trace_pid(const char *tok)
{
	const char *end = tok + strlen(tok), *p = end;

	if (end > tok && end[-1] == ')')
		return true;
	while (p > tok && isdigit(p[-1]))
		p--;
	if (p == end)
		return false;
	return p == tok || p[-1] == '-' || p[-1] == '/';
}

/*
 * The CPU field, "[001]": a bracketed number standing alone after the
 * PID, so that a task named "a[3]" or "x [3]" does not give CPU 3
 */
static char *pgm_trace_cpu(char *pos, unsigned int *cpu)
{
	char *tok, *prev = NULL;
	size_t n;

	while ((tok = pgm_next_token(&pos))) {
		n = strlen(tok);
		if (prev && n > 2 && tok[0] == '[' && tok[n - 1] == ']' &&
		    pgm_trace_digits(tok + 1, tok + n - 1) &&
		    pgm_trace_pid(prev)) {
			tok[n - 1] = '\0';
			if (kstrtouint(tok + 1, 10, cpu))
				return NULL;
			return pos;
		}
		prev = tok;
	}
	return NULL;
}

/**
 * pgm_parse_trace_line() - one line of a kmem trace
 * @line: the line, NUL-terminated, without its newline; split in place
 * @ev: filled with the event
 * @cache: the last gfp_flags string and its bits, or NULL
 *
 * Blank lines, '#' comments and trace-cmd's "cpus=N" and "CPU N is empty"
 * lines are no event; "CPU:N [LOST ...]" is PGM_TRACE_LOST. An event line
 * is "TASK-PID [CPU] [FLAGS] TIME: NAME: FIELDS", the name possibly with
 * its system ("kmem:mm_page_alloc:", as perf script prints it); only the
 * CPU, the name and, for the three events replayed, the page=, pfn=,
 * order=, migratetype= and gfp_flags= fields are read. A '\r' ending the
 * line (a trace saved with CRLF) is dropped.
 *
 * Return: 0 with @ev->kind set, or -EINVAL for a malformed line.
 */
int pgm_parse_trace_line(char *line, struct pgm_trace_event *ev,
			 struct pgm_trace_gfp_cache *cache)
{
	bool have_pfn = false, have_order = false, have_gfp = false;
	bool have_mt = false, null_page = false, named = true;
	char *pos, *tok, *name = NULL, *val;
	size_t n;

	memset(ev, 0, sizeof(*ev));
	n = strlen(line);
	if (n && line[n - 1] == '\r')
		line[n - 1] = '\0';
	pos = line;
	while (*pos == ' ' || *pos == '\t')
		pos++;
	/* options/stacktrace: each frame of the event before, " => func" */
	if (!*pos || *pos == '#' || !strncmp(pos, "cpus=", 5) ||
	    !strncmp(pos, "=>", 2)) {
		ev->kind = PGM_TRACE_NONE;
		return 0;
	}
	if (!strncmp(pos, "CPU", 3) && pgm_trace_cpu_line(pos, ev))
		return 0;

	pos = pgm_trace_cpu(pos, &ev->cpu);
	if (!pos)
		return -EINVAL;
	/* The flags and the timestamp, then the event's name */
	while ((tok = pgm_next_token(&pos))) {
		/* The head of a kernel or user stack: part of the event before */
		if (!strcmp(tok, "<stack") || !strcmp(tok, "<user")) {
			ev->kind = PGM_TRACE_NONE;
			return 0;
		}
		n = strlen(tok);
		if (n > 1 && tok[n - 1] == ':' &&
		    (isalpha(tok[0]) || tok[0] == '_')) {
			tok[n - 1] = '\0';
			name = tok;
			break;
		}
	}
	if (!name)
		return -EINVAL;
	/* perf script names the system too: the kernel's, or pgmirror's own */
	if (!strncmp(name, "kmem:", 5))
		name += 5;
	else if (!strncmp(name, "pgmirror:", 9))
		name += 9;

	if (!strcmp(name, "mm_page_alloc")) {
		ev->kind = PGM_TRACE_ALLOC;
	} else if (!strcmp(name, "mm_page_free")) {
		ev->kind = PGM_TRACE_FREE;
	} else if (!strcmp(name, "mm_page_free_batched")) {
		ev->kind = PGM_TRACE_FREE;
		ev->batched = true;
		have_order = true;
	} else {
		ev->kind = PGM_TRACE_OTHER;
		return 0;
	}

	while ((tok = pgm_next_token(&pos))) {
		val = strchr(tok, '=');
		if (!val)
			return -EINVAL;
		*val++ = '\0';
		if (!strcmp(tok, "pfn")) {
			if (kstrtoul(val, 16, &ev->pfn))
				return -EINVAL;
			have_pfn = true;
		} else if (!strcmp(tok, "order")) {
			if (kstrtouint(val, 10, &ev->order) ||
			    ev->order >= BITS_PER_LONG)
				return -EINVAL;
			have_order = true;
		} else if (!strcmp(tok, "migratetype")) {
			if (kstrtoint(val, 10, &ev->migratetype))
				return -EINVAL;
			have_mt = true;
		} else if (!strcmp(tok, "gfp_flags")) {
			if (pgm_trace_gfp_cached(val, &ev->gfp, &ev->gfp_hex,
						 &named, cache))
				return -EINVAL;
			have_gfp = true;
		} else if (!strcmp(tok, "page")) {
			null_page = pgm_trace_null_page(val);
		} else if (!strcmp(tok, "instance")) {
			if (!*val || strscpy(ev->instance, val,
					     sizeof(ev->instance)) < 0)
				return -EINVAL;
		}
	}
	if (!have_pfn || !have_order)
		return -EINVAL;
	if (ev->kind == PGM_TRACE_ALLOC && !have_gfp)
		return -EINVAL;
	/*
	 * A mask printed as a number alone names no mobility bit: the
	 * event's migratetype=, gfp_migratetype() of the mask, gives it back
	 * (MIGRATE_UNMOVABLE, _MOVABLE, _RECLAIMABLE are 0, 1, 2 in every 6.x)
	 */
	if (ev->kind == PGM_TRACE_ALLOC && !named) {
		if (!have_mt || ev->migratetype < 0 || ev->migratetype > 2)
			return -EINVAL;
		if (ev->migratetype == 1)
			ev->gfp = __GFP_MOVABLE;
		else if (ev->migratetype == 2)
			ev->gfp = __GFP_RECLAIMABLE;
	}
	/*
	 * kmem prints pfn=0x0 for a NULL page, and %p of a page whose hash is
	 * 0 prints zeros too: only both together are a failed allocation
	 */
	ev->failed = ev->kind == PGM_TRACE_ALLOC && null_page && !ev->pfn;
	/*
	 * No pfn reaches 2^52 bytes' worth (x86_64's MAX_PHYSMEM_BITS with
	 * five-level paging). Past that a block's end would wrap.
	 */
	if (ev->pfn >= PGM_REPLAY_PFN_LIMIT)
		return -EINVAL;
	/* mm_page_free_batched is order 0 whatever else the line says */
	if (ev->batched)
		ev->order = 0;
	return 0;
}

/* ========================= the replay ========================= */

/*
 * A map entry: the pgmirror pfn of the block and its order, as an xarray
 * value (orders fit in four bits). A traced pfn just freed, or whose free
 * the map did not know, keeps a tombstone (its place in the ring above
 * the flag) until its mm_page_free_batched commit or its next allocation:
 * overwriting a slot costs nothing, erasing and refilling one frees and
 * allocates xarray nodes. Most frees get no commit (free_unref_page()),
 * so the ring bounds them: the oldest goes when a new one comes.
 */
#define PGM_REPLAY_TOMBSTONE	16

static void *pgm_replay_entry(unsigned long pfn, unsigned int order)
{
	return xa_mk_value(pfn << 5 | order);
}

static unsigned long pgm_replay_entry_pfn(void *entry)
{
	return xa_to_value(entry) >> 5;
}

static unsigned int pgm_replay_entry_order(void *entry)
{
	return xa_to_value(entry) & 15;
}

static bool pgm_replay_is_tomb(void *entry)
{
	return entry && (xa_to_value(entry) & PGM_REPLAY_TOMBSTONE);
}

/*
 * Leave a tombstone at @traced for the commit that may follow its free.
 * The slot is there already for a block just freed; a new one the map
 * has no memory for is left out: its commit then counts as free_unknown.
 */
static void pgm_replay_tomb(struct pgm_replay *r, unsigned long traced)
{
	unsigned long place = r->nr_tombs % PGM_REPLAY_TOMBS, old;
	void *entry;

	if (r->nr_tombs >= PGM_REPLAY_TOMBS) {
		/* The oldest, unless a commit or an allocation took it */
		old = r->tombs[place];
		entry = xa_load(&r->map, old);
		if (entry == xa_mk_value(place << 5 | PGM_REPLAY_TOMBSTONE))
			xa_erase(&r->map, old);
	}
	if (xa_is_err(xa_store(&r->map, traced,
			       xa_mk_value(place << 5 | PGM_REPLAY_TOMBSTONE),
			       PGM_META_GFP)))
		return;
	r->tombs[place] = traced;
	r->nr_tombs++;
}

/* The block a map slot stands for, or NULL for none or a tombstone */
static void *pgm_replay_load(struct pgm_replay *r, unsigned long traced)
{
	void *entry = xa_load(&r->map, traced);

	return pgm_replay_is_tomb(entry) ? NULL : entry;
}

/**
 * pgm_replay_init() - give an instance an empty replay
 * @inst: the instance
 *
 * Return: 0 or -ENOMEM.
 */
int pgm_replay_init(struct pgm_instance *inst)
{
	struct pgm_replay *r = pgm_meta_zalloc(sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->tombs = pgm_meta_calloc(PGM_REPLAY_TOMBS, sizeof(*r->tombs));
	if (!r->tombs) {
		pgm_meta_free(r);
		return -ENOMEM;
	}
	xa_init(&r->map);
	inst->replay = r;
	return 0;
}

/* Free every block the replay holds and forget the counts; iface_lock exclusive */
static void pgm_replay_clear(struct pgm_instance *inst, struct pgm_replay *r)
{
	unsigned long idx;
	void *entry;

	xa_for_each(&r->map, idx, entry) {
		if (pgm_replay_is_tomb(entry))
			continue;
		pgm_free_pages(inst,
			       pgm_pfn_to_page(inst, pgm_replay_entry_pfn(entry)),
			       pgm_replay_entry_order(entry));
		cond_resched();
	}
	xa_destroy(&r->map);
	r->nr_tombs = 0;
	memset(&r->stats, 0, sizeof(r->stats));
	r->batch = 0;
	r->sourced = false;
}

/**
 * pgm_replay_release() - free what the replay holds, at rmmod or destroy
 * @inst: the instance; nobody can write its replay file any more
 */
void pgm_replay_release(struct pgm_instance *inst)
{
	if (!inst->replay)
		return;
	pgm_replay_clear(inst, inst->replay);
	pgm_meta_free(inst->replay->tombs);
	pgm_meta_free(inst->replay);
	inst->replay = NULL;
}

static void pgm_replay_note(unsigned long *count, unsigned long *first,
			    unsigned long line)
{
	if (!(*count)++)
		*first = line;
}

/* A block whose free the trace lost: ours goes, counted as untraced */
static void pgm_replay_drop(struct pgm_instance *inst, struct pgm_replay *r,
			    unsigned long traced, void *old)
{
	xa_erase(&r->map, traced);
	pgm_free_pages(inst, pgm_pfn_to_page(inst, pgm_replay_entry_pfn(old)),
		       pgm_replay_entry_order(old));
	r->stats.untraced_free++;
}

/*
 * The traced kernel split a block (split_page(), or a huge page split
 * before its pages were freed one by one): split ours the same way, so
 * that each page of it can be freed alone. A block the map still holds
 * inside it was freed untraced, or its slot would be lost with it.
 */
static int pgm_replay_split(struct pgm_instance *inst, struct pgm_replay *r,
			    unsigned long traced, void *entry)
{
	unsigned int order = pgm_replay_entry_order(entry);
	unsigned long pfn = pgm_replay_entry_pfn(entry), i;
	void *old;
	int ret;

	for (i = 1; i < (1UL << order); i++) {
		old = pgm_replay_load(r, traced + i);
		if (old)
			pgm_replay_drop(inst, r, traced + i, old);
	}
	for (i = 1; i < (1UL << order); i++) {
		ret = xa_err(xa_store(&r->map, traced + i,
				      pgm_replay_entry(pfn + i, 0),
				      PGM_META_GFP));
		if (ret) {
			while (--i)
				xa_erase(&r->map, traced + i);
			return ret;
		}
	}
	xa_store(&r->map, traced, pgm_replay_entry(pfn, 0), PGM_META_GFP);
	pgm_split_page(inst, pgm_pfn_to_page(inst, pfn), order);
	r->stats.split++;
	return 0;
}

/* The block of a larger traced allocation that @traced lies inside */
static unsigned long pgm_replay_containing(struct pgm_replay *r,
					   unsigned long traced, void **entry)
{
	unsigned int o;
	unsigned long head;

	for (o = 1; o <= PGM_MAX_PAGE_ORDER; o++) {
		head = traced & ~((1UL << o) - 1);
		*entry = pgm_replay_load(r, head);
		if (*entry && pgm_replay_entry_order(*entry) >= o)
			return head;
	}
	*entry = NULL;
	return 0;
}

/* A traced free; @tomb: an mm_page_free, whose commit may follow */
static int pgm_replay_free(struct pgm_instance *inst, struct pgm_replay *r,
			   const struct pgm_trace_event *ev, bool tomb)
{
	unsigned long p = ev->pfn, end = ev->pfn + (1UL << ev->order), head;
	unsigned int order;
	void *entry;
	int ret;

	entry = pgm_replay_load(r, p);
	if (!entry) {
		head = pgm_replay_containing(r, p, &entry);
		if (!entry) {
			pgm_replay_note(&r->stats.free_unknown,
					&r->stats.free_unknown_line,
					r->stats.lines);
			/* Its commit is no second unknown free */
			if (tomb)
				pgm_replay_tomb(r, ev->pfn);
			return 0;
		}
		ret = pgm_replay_split(inst, r, head, entry);
		if (ret)
			return ret;
	}

	/* One traced free may cover several of our blocks, or part of one */
	while (p < end) {
		entry = pgm_replay_load(r, p);
		if (!entry) {
			p++;
			continue;
		}
		order = pgm_replay_entry_order(entry);
		if (p + (1UL << order) > end) {
			ret = pgm_replay_split(inst, r, p, entry);
			if (ret)
				return ret;
			continue;
		}
		/* The traced pfn's own slot waits for its batched commit */
		if (p == ev->pfn && tomb)
			pgm_replay_tomb(r, p);
		else
			xa_erase(&r->map, p);
		pgm_free_pages(inst,
			       pgm_pfn_to_page(inst, pgm_replay_entry_pfn(entry)),
			       order);
		p += 1UL << order;
	}
	r->stats.free++;
	return 0;
}

/*
 * free_unref_folios() traces mm_page_free from free_pages_prepare() and
 * then mm_page_free_batched as it commits the same folio to the pcp list:
 * the second is no free of its own. Only a batched event no mm_page_free
 * came before (a trace of that event alone) frees: the whole folio, whose
 * order the event does not print ("order=0" always), so the block the
 * map holds at that pfn, or the one page of a larger block it lies in.
 */
static int pgm_replay_free_batched(struct pgm_instance *inst,
				   struct pgm_replay *r,
				   const struct pgm_trace_event *ev)
{
	void *entry = xa_load(&r->map, ev->pfn);
	struct pgm_trace_event whole = *ev;

	if (pgm_replay_is_tomb(entry)) {
		xa_erase(&r->map, ev->pfn);
		r->stats.batched++;
		return 0;
	}
	if (entry)
		whole.order = pgm_replay_entry_order(entry);
	/* No commit follows this one: no tombstone */
	return pgm_replay_free(inst, r, &whole, false);
}

/*
 * The traced kernel hands out [@traced, +2^@order) again: whatever block
 * the map still holds there had its free lost. Each one inside goes,
 * counted as untraced; one reaching outside is split first, as a partial
 * free would, so that its pages outside stay. Tombstones stay for their
 * commits, which the merge of the per-CPU buffers may put after this.
 */
static int pgm_replay_overlap(struct pgm_instance *inst, struct pgm_replay *r,
			      unsigned long traced, unsigned int order)
{
	unsigned long end = traced + (1UL << order), head, idx;
	void *entry;
	int ret;

	head = pgm_replay_containing(r, traced, &entry);
	if (entry && head < traced) {
		ret = pgm_replay_split(inst, r, head, entry);
		if (ret)
			return ret;
	}
	xa_for_each_range(&r->map, idx, entry, traced, end - 1) {
		if (pgm_replay_is_tomb(entry))
			continue;
		if (idx + (1UL << pgm_replay_entry_order(entry)) > end) {
			ret = pgm_replay_split(inst, r, idx, entry);
			if (ret)
				return ret;
			entry = pgm_replay_load(r, idx);
		}
		pgm_replay_drop(inst, r, idx, entry);
	}
	return 0;
}

static int pgm_replay_alloc(struct pgm_instance *inst, struct pgm_replay *r,
			    const struct pgm_trace_event *ev, unsigned int cpu)
{
	/* Zeroing decides nothing; a replay never waits */
	gfp_t gfp = ev->gfp & ~(__GFP_ZERO | __GFP_NOFAIL);
	struct pgm_page *page;
	int ret;

	if (ev->failed) {
		r->stats.traced_fail++;
		return 0;
	}
	if (pgm_gfp_zone(gfp) < 0 || pgm_gfp_migratetype(gfp) < 0) {
		pgm_replay_note(&r->stats.malformed, &r->stats.malformed_line,
				r->stats.lines);
		return 0;
	}
	/* The pfns are being handed out again: their frees were not traced */
	ret = pgm_replay_overlap(inst, r, ev->pfn, ev->order);
	if (ret)
		return ret;

	r->stats.alloc_order[ev->order]++;
	page = pgm_alloc_pages(inst, gfp, ev->order,
			       pgm_cpu_to_node(inst, cpu), NULL);
	if (!page) {
		pgm_replay_note(&r->stats.alloc_fail, &r->stats.alloc_fail_line,
				r->stats.lines);
		r->stats.alloc_fail_order[ev->order]++;
		return 0;
	}
	ret = xa_err(xa_store(&r->map, ev->pfn,
			      pgm_replay_entry(pgm_page_to_pfn(inst, page),
					       ev->order), PGM_META_GFP));
	if (ret) {
		pgm_free_pages(inst, page, ev->order);
		return ret;
	}
	r->stats.alloc++;
	return 0;
}

/* One complete line; iface_lock held exclusive */
static int pgm_replay_line(struct pgm_instance *inst, struct pgm_replay *r,
			   char *line)
{
	struct pgm_trace_event ev;
	unsigned int cpu;

	r->stats.lines++;
	if (pgm_parse_trace_line(line, &ev, &r->gfp_cache)) {
		pgm_replay_note(&r->stats.malformed, &r->stats.malformed_line,
				r->stats.lines);
		return 0;
	}
	if (ev.kind == PGM_TRACE_NONE)
		return 0;
	if (ev.kind == PGM_TRACE_LOST) {
		r->stats.lost++;
		r->stats.lost_events += ev.lost;
		return 0;
	}
	r->stats.events++;
	/*
	 * One source a replay, the first allocation's or free's: the host's
	 * kmem events and an instance's print alike but for instance=
	 */
	if (ev.kind != PGM_TRACE_OTHER && !r->sourced) {
		strscpy(r->source, ev.instance, sizeof(r->source));
		r->sourced = true;
	}
	if (ev.kind == PGM_TRACE_OTHER || strcmp(r->source, ev.instance) ||
	    (ev.kind == PGM_TRACE_ALLOC && ev.order > PGM_MAX_PAGE_ORDER)) {
		pgm_replay_note(&r->stats.skipped, &r->stats.skipped_line,
				r->stats.lines);
		return 0;
	}
	/* Larger than any block here, and never traced as allocated */
	if (ev.order > PGM_MAX_PAGE_ORDER) {
		pgm_replay_note(&r->stats.free_unknown,
				&r->stats.free_unknown_line, r->stats.lines);
		return 0;
	}

	if (ev.gfp_hex)
		pgm_replay_note(&r->stats.gfp_hex, &r->stats.gfp_hex_line,
				r->stats.lines);

	cpu = ev.cpu % inst->nr_cpus;
	WRITE_ONCE(inst->cpu_override, cpu);
	if (ev.kind == PGM_TRACE_ALLOC)
		return pgm_replay_alloc(inst, r, &ev, cpu);
	if (ev.batched)
		return pgm_replay_free_batched(inst, r, &ev);
	return pgm_replay_free(inst, r, &ev, true);
}

/**
 * pgm_replay_feed() - replay a chunk of trace text
 * @inst: the instance; the caller holds iface_lock exclusive
 * @wr: the writer the chunk comes from, which only the caller uses now
 * @buf: the text; a last line without a newline is kept in @wr for the
 *	writer's next chunk
 * @len: its length
 * @used: set to the bytes of @buf taken, all of them unless stopped
 *
 * Lines longer than PGM_REPLAY_LINE_MAX are counted as malformed. Every
 * PGM_IFACE_BATCH lines, counted over chunks, others get the lock for a
 * moment; a fatal signal or a dying instance ends the chunk there. Each
 * writer completes its own lines, so that two writers' never splice.
 *
 * An event the pfn map has no memory for is counted in nomem and skipped.
 *
 * Return: 0, or -EINTR when stopped early.
 */
int pgm_replay_feed(struct pgm_instance *inst, struct pgm_replay_writer *wr,
		    const char *buf, size_t len, size_t *used)
{
	struct pgm_replay *r = inst->replay;
	int saved_cpu = inst->cpu_override;
	const char *nl, *start = buf, *end = buf + len;
	size_t n;
	int ret = 0;

	while (buf < end) {
		nl = memchr(buf, '\n', end - buf);
		n = (nl ? nl : end) - buf;
		if (wr->overlong || wr->partial_len + n > PGM_REPLAY_LINE_MAX) {
			wr->overlong = true;
		} else {
			memcpy(wr->partial + wr->partial_len, buf, n);
			wr->partial_len += n;
		}
		buf += n;
		if (!nl)
			break;
		buf++;

		if (wr->overlong) {
			r->stats.lines++;
			pgm_replay_note(&r->stats.malformed,
					&r->stats.malformed_line,
					r->stats.lines);
		} else {
			wr->partial[wr->partial_len] = '\0';
			/* Out of map memory: that event is lost, not the rest */
			if (pgm_replay_line(inst, r, wr->partial))
				r->stats.nomem++;
		}
		pgm_replay_drop_partial(wr);

		if (++r->batch % PGM_IFACE_BATCH == 0) {
			WRITE_ONCE(inst->cpu_override, saved_cpu);
			if (!pgm_iface_relax(inst, NULL) ||
			    READ_ONCE(inst->dying)) {
				ret = -EINTR;
				break;
			}
		}
	}
	WRITE_ONCE(inst->cpu_override, saved_cpu);
	*used = buf - start;
	return ret;
}

/**
 * pgm_replay_drop_partial() - forget the start of a line a writer left
 * @wr: the writer, which only the caller uses now
 *
 * For a write that stops for good, or a writer that goes: the next line
 * starts afresh.
 */
void pgm_replay_drop_partial(struct pgm_replay_writer *wr)
{
	wr->partial_len = 0;
	wr->overlong = false;
}

/**
 * pgm_replay_reset() - free every block the replay holds, zero the counts
 * @inst: the instance; the caller holds iface_lock exclusive
 */
void pgm_replay_reset(struct pgm_instance *inst)
{
	pgm_replay_clear(inst, inst->replay);
}

/**
 * pgm_replay_show() - the counts, "name value" per line
 * @m: the seq_file
 * @inst: the instance
 *
 * Read without iface_lock, so that a reader never waits behind a replay:
 * each count is exact, the set may be mid-event.
 */
void pgm_replay_show(struct seq_file *m, struct pgm_instance *inst)
{
	const struct pgm_replay_stats *s = &inst->replay->stats;
	unsigned int o;

	seq_printf(m, "lines %lu\n", READ_ONCE(s->lines));
	seq_printf(m, "events %lu\n", READ_ONCE(s->events));
	seq_printf(m, "alloc %lu\n", READ_ONCE(s->alloc));
	seq_puts(m, "alloc_order");
	for (o = 0; o < PGM_NR_PAGE_ORDERS; o++)
		seq_printf(m, " %lu", READ_ONCE(s->alloc_order[o]));
	seq_putc(m, '\n');
	seq_printf(m, "alloc_fail %lu\n", READ_ONCE(s->alloc_fail));
	seq_printf(m, "alloc_fail_first_line %lu\n",
		   READ_ONCE(s->alloc_fail_line));
	seq_puts(m, "alloc_fail_order");
	for (o = 0; o < PGM_NR_PAGE_ORDERS; o++)
		seq_printf(m, " %lu", READ_ONCE(s->alloc_fail_order[o]));
	seq_putc(m, '\n');
	seq_printf(m, "traced_fail %lu\n", READ_ONCE(s->traced_fail));
	seq_printf(m, "gfp_hex %lu\n", READ_ONCE(s->gfp_hex));
	seq_printf(m, "gfp_hex_first_line %lu\n", READ_ONCE(s->gfp_hex_line));
	seq_printf(m, "free %lu\n", READ_ONCE(s->free));
	seq_printf(m, "free_unknown %lu\n", READ_ONCE(s->free_unknown));
	seq_printf(m, "free_unknown_first_line %lu\n",
		   READ_ONCE(s->free_unknown_line));
	seq_printf(m, "batched %lu\n", READ_ONCE(s->batched));
	seq_printf(m, "untraced_free %lu\n", READ_ONCE(s->untraced_free));
	seq_printf(m, "split %lu\n", READ_ONCE(s->split));
	seq_printf(m, "skipped %lu\n", READ_ONCE(s->skipped));
	seq_printf(m, "skipped_first_line %lu\n", READ_ONCE(s->skipped_line));
	seq_printf(m, "nomem %lu\n", READ_ONCE(s->nomem));
	seq_printf(m, "malformed %lu\n", READ_ONCE(s->malformed));
	seq_printf(m, "malformed_first_line %lu\n",
		   READ_ONCE(s->malformed_line));
	seq_printf(m, "lost %lu\n", READ_ONCE(s->lost));
	seq_printf(m, "lost_events %lu\n", READ_ONCE(s->lost_events));
}
