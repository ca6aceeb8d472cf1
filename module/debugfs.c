// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the debugfs interface.
 *
 * /sys/kernel/debug/pgmirror/<name>/ holds one instance's control file,
 * its allocation handles, its counters, the consistency check, the
 * benchmark, the /proc-style views of its zones and, with
 * CONFIG_FAULT_INJECTION_DEBUG_FS, its fail_page_alloc/ directory.
 * Everything the files need hangs off the instance; the shared "pgmirror"
 * directory and its top-level control file are the module glue's.
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/numa.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "explain.h"
#include "cmd.h"
#include "fail_page_alloc.h"
#include "pgmirror.h"
#include "lru.h"
#include "compaction.h"

/* ========================= status line ========================= */

/*
 * The status line has its own lock, so that reading it never waits for a
 * long command; the line is formatted first and copied in whole. A
 * control write's line also goes to its open file's own status, which
 * another writer cannot overwrite.
 */
static void pgm_status_set(struct pgm_instance *inst, const char *line,
			   size_t len)
{
	struct pgm_iface_writer *w = pgm_iface_current(inst);

	/* @len < PGM_STATUS_LEN: every caller bounds its line */
	spin_lock(&inst->status_lock);
	memcpy(inst->status, line, len + 1);
	if (w && w->status)
		memcpy(w->status, line, len + 1);
	spin_unlock(&inst->status_lock);
}

static __printf(2, 3) void pgm_status_ok(struct pgm_instance *inst,
					 const char *fmt, ...)
{
	static const char ok[] = "ok: ";
	/* Written whole below: no zeroing by INIT_STACK_ALL_ZERO */
	char line[PGM_STATUS_LEN] __uninitialized;
	va_list args;
	size_t len;

	/* A literal needs no vsnprintf() */
	memcpy(line, ok, sizeof(ok) - 1);
	va_start(args, fmt);
	len = vscnprintf(line + sizeof(ok) - 1,
			 sizeof(line) - sizeof(ok) + 1, fmt, args);
	va_end(args);
	pgm_status_set(inst, line, sizeof(ok) - 1 + len);
}

static void pgm_status_err(struct pgm_instance *inst, int err,
			   const char *reason)
{
	const char *name = pgm_errno_name(err);
	char line[PGM_STATUS_LEN];
	size_t len;

	if (name)
		len = scnprintf(line, sizeof(line), "error: %s: %s", name,
				reason);
	else
		len = scnprintf(line, sizeof(line), "error: %d: %s", err,
				reason);
	pgm_status_set(inst, line, len);
}

/*
 * Why a control write's request failed, if a wait for memory in the slow
 * path (pgm_memory_wait()) ended on a signal; NULL otherwise
 */
static const char *pgm_wait_interrupted(struct pgm_instance *inst, gfp_t gfp)
{
	struct pgm_iface_writer *w = pgm_iface_current(inst);

	if (!w || !w->wait_interrupted)
		return NULL;
	return gfp & __GFP_NOFAIL ?
	       "interrupted while __GFP_NOFAIL waited for memory" :
	       "interrupted while a request without __GFP_FS waited for memory";
}

/* No memory to zero behind a metadata-only instance: refused, with why */
static bool pgm_zero_refused(struct pgm_instance *inst, gfp_t gfp)
{
	if (inst->backing || !(gfp & __GFP_ZERO))
		return false;
	pgm_status_err(inst, -EINVAL,
		       "__GFP_ZERO on an instance without memory (backing=none)");
	return true;
}

/*
 * The two lines every alloc+free pair writes, built without vsnprintf():
 * its walk of the format was two fifths of a control write.
 */
#define PGM_ALLOCATED_FMT "ok: allocated  of  order-, handles - (interrupted)"
static_assert(sizeof(PGM_ALLOCATED_FMT) + 5 * 10 <= PGM_STATUS_LEN);

static void pgm_status_allocated(struct pgm_instance *inst, u32 done,
				 u32 count, unsigned int order, u32 first,
				 u32 last, bool interrupted)
{
	char line[PGM_STATUS_LEN] __uninitialized;
	char *p = line;

	p = pgm_put_str(p, "ok: allocated ");
	p = pgm_put_u32(p, done);
	p = pgm_put_str(p, " of ");
	p = pgm_put_u32(p, count);
	p = pgm_put_str(p, " order-");
	p = pgm_put_u32(p, order);
	p = pgm_put_str(p, ", handles ");
	p = pgm_put_u32(p, first);
	p = pgm_put_str(p, "-");
	p = pgm_put_u32(p, last);
	if (interrupted)
		p = pgm_put_str(p, " (interrupted)");
	*p = '\0';
	pgm_status_set(inst, line, p - line);
}

#define PGM_FREED_FMT "ok: freed handle  (order-)"
static_assert(sizeof(PGM_FREED_FMT) + 2 * 10 <= PGM_STATUS_LEN);

static void pgm_status_freed(struct pgm_instance *inst, u32 id,
			     unsigned int order)
{
	char line[PGM_STATUS_LEN] __uninitialized;
	char *p = line;

	p = pgm_put_str(p, "ok: freed handle ");
	p = pgm_put_u32(p, id);
	p = pgm_put_str(p, " (order-");
	p = pgm_put_u32(p, order);
	p = pgm_put_str(p, ")");
	*p = '\0';
	pgm_status_set(inst, line, p - line);
}

/* ========================= handles ========================= */

/**
 * pgm_handles_release_all() - free every allocation the control file made
 * @inst: the instance
 *
 * Called by the module glue at rmmod, after pgm_debugfs_exit() and before
 * the instance is destroyed, so that every page is back in the instance's
 * free lists when it goes; the owners go with the instance.
 */
void pgm_handles_release_all(struct pgm_instance *inst)
{
	pgm_iface_lock(inst);
	pgm_handles_free(inst, NULL, NULL);
	xa_destroy(&inst->handles);
	pgm_iface_unlock(inst);
}

/* ========================= control ========================= */

/* The parser pads the tag: copied whole, a word a store */
static_assert(sizeof_field(struct pgm_alloc, tag) ==
	      sizeof_field(struct pgm_cmd, alloc.tag));

/*
 * Callers hold iface_lock shared. Once a handle is added another writer
 * may free it: only its number is used.
 */
static int pgm_cmd_alloc(struct pgm_instance *inst, const struct pgm_cmd *cmd)
{
	unsigned int order = cmd->alloc.order, done = 0;
	struct pgm_owner *owner = NULL;
	bool interrupted = false, explain;
	u32 first = 0, last = 0;
	int nid = cmd->alloc.nid;
	const char *why;
	/* Not zeroed whole: the pair's alloc line comes here every time */
	char reason[128] __uninitialized;
	int ret = 0;

	reason[0] = '\0';
	if (pgm_zero_refused(inst, cmd->alloc.gfp))
		return -EINVAL;
	if (cmd->alloc.owner[0]) {
		owner = pgm_owner_find(inst, cmd->alloc.owner);
		if (!owner) {
			snprintf(reason, sizeof(reason), "no owner named '%s'",
				 cmd->alloc.owner);
			pgm_status_err(inst, -ENOENT, reason);
			return -ENOENT;
		}
	}
	if (nid == NUMA_NO_NODE)
		nid = pgm_cpu_to_node(inst, pgm_this_cpu(inst));

	while (done < cmd->alloc.count) {
		struct pgm_alloc *h;
		u32 id;

		/* explain=1: the first request is written down */
		explain = cmd->alloc.explain && !done;
		ret = explain ? pgm_explain_begin(inst) : 0;
		if (ret) {
			snprintf(reason, sizeof(reason), "%s",
				 ret == -EBUSY ?
				 "another explained request is in progress" :
				 ret == -EINTR ?
				 "interrupted while waiting for the explanation" :
				 "no memory for the explanation");
			break;
		}
		h = pgm_alloc_create(inst, cmd->alloc.gfp, order, nid, owner,
				     cmd->alloc.kind);
		if (!h) {
			if (explain)
				pgm_explain_end(inst);
			ret = -ENOMEM;
			if (owner)
				snprintf(reason, sizeof(reason),
					 "no order-%u page could be allocated on node %d and charged to '%s'",
					 order, nid, owner->name);
			else
				snprintf(reason, sizeof(reason),
					 "no order-%u page could be allocated on node %d",
					 order, nid);
			why = pgm_wait_interrupted(inst, cmd->alloc.gfp);
			if (why) {
				ret = -EINTR;
				strscpy(reason, why, sizeof(reason));
			}
			break;
		}
		memcpy(h->tag, cmd->alloc.tag, sizeof(h->tag));
		ret = pgm_handle_add(inst, h, &id);
		if (explain) {
			if (!ret)
				pgm_explain_add_tail(inst, "handle %u", id);
			pgm_explain_end(inst);
		}
		if (ret < 0) {
			snprintf(reason, sizeof(reason), "no free handle");
			pgm_alloc_release(inst, h);
			break;
		}
		if (!done)
			first = id;
		last = id;
		done++;
		if (!(done % PGM_IFACE_BATCH) && done < cmd->alloc.count &&
		    !pgm_iface_relax(inst, owner)) {
			interrupted = true;
			break;
		}
		cond_resched();
	}

	/* A partial success is a success; the status says how much */
	if (!done) {
		pgm_status_err(inst, ret, reason);
		return ret;
	}
	pgm_status_allocated(inst, done, cmd->alloc.count, order, first, last,
			     interrupted);
	return 0;
}

/*
 * alloc_bulk: one alloc_pages_bulk() call for count pages, then a handle
 * each. Callers hold iface_lock shared.
 */
static int pgm_cmd_alloc_bulk(struct pgm_instance *inst,
			      const struct pgm_cmd *cmd)
{
	unsigned int count = cmd->alloc.count, i, done = 0;
	int nid = cmd->alloc.nid;
	struct pgm_page **pages;
	u32 first = 0, last = 0;
	int ret = 0;

	if (pgm_zero_refused(inst, cmd->alloc.gfp))
		return -EINVAL;
	if (nid == NUMA_NO_NODE)
		nid = pgm_cpu_to_node(inst, pgm_this_cpu(inst));
	pages = pgm_meta_calloc(count, sizeof(*pages));
	if (!pages) {
		pgm_status_err(inst, -ENOMEM, "no memory for the page array");
		return -ENOMEM;
	}
	count = pgm___alloc_pages_bulk(inst, cmd->alloc.gfp, nid, NULL, count,
				       pages);
	for (i = 0; i < count; i++) {
		struct pgm_alloc *h = pgm_alloc_adopt(inst, pages[i], 0, NULL,
						      PGM_KIND_KERNEL);

		if (h) {
			u32 id;

			memcpy(h->tag, cmd->alloc.tag, sizeof(h->tag));
			ret = pgm_handle_add(inst, h, &id);
			if (!ret) {
				if (!done++)
					first = id;
				last = id;
				continue;
			}
			pgm_alloc_release(inst, h);
		} else {
			pgm_free_pages(inst, pages[i], 0);
		}
		ret = -ENOMEM;
	}
	pgm_meta_free(pages);
	if (!done) {
		const char *why = count ? NULL :
				  pgm_wait_interrupted(inst, cmd->alloc.gfp);

		ret = why ? -EINTR : -ENOMEM;
		pgm_status_err(inst, ret, why ? why : count ?
			       "no handle for the pages" :
			       "no order-0 page could be allocated");
		return ret;
	}
	pgm_status_ok(inst, "bulk allocated %u of %u order-0, handles %u-%u",
		      done, cmd->alloc.count, first, last);
	return 0;
}

/* Callers hold iface_lock shared: every free is a claim */
static int pgm_cmd_free(struct pgm_instance *inst, const struct pgm_cmd *cmd)
{
	struct pgm_alloc *h;
	unsigned long n;
	bool stopped;
	/* Each failure writes it before the status reads it */
	char reason[80] __uninitialized;

	switch (cmd->free.sel) {
	case PGM_FREE_HANDLE:
		h = pgm_handle_take(inst, cmd->free.handle);
		if (!h) {
			snprintf(reason, sizeof(reason),
				 "handle %u is not allocated (double free or unknown handle)",
				 cmd->free.handle);
			pgm_status_err(inst, -ENOENT, reason);
			return -ENOENT;
		}
		if (h->src == PGM_SRC_BUDDY)
			pgm_status_freed(inst, cmd->free.handle, h->order);
		else
			pgm_status_ok(inst, "freed handle %u (%u pages, %s)",
				      cmd->free.handle, h->nr_pages,
				      pgm_alloc_src_names[h->src]);
		pgm_alloc_release(inst, h);
		return 0;
	case PGM_FREE_TAG:
		n = pgm_handles_free(inst, cmd->free.tag, &stopped);
		/* Stopped early, none may be the tag's so far */
		if (!n && !stopped) {
			snprintf(reason, sizeof(reason), "no handles tagged '%s'",
				 cmd->free.tag);
			pgm_status_err(inst, -ENOENT, reason);
			return -ENOENT;
		}
		pgm_status_ok(inst, "freed %lu handles tagged '%s'%s", n,
			      cmd->free.tag, stopped ? " (interrupted)" : "");
		return 0;
	case PGM_FREE_ALL:
		n = pgm_handles_free(inst, NULL, &stopped);
		pgm_status_ok(inst, "freed %lu handles%s", n,
			      stopped ? " (interrupted)" : "");
		return 0;
	}
	return -EINVAL;
}

/* The tunable behind a node-reclaim or dirty-limit key */
static int *pgm_reclaim_tunable(struct pgm_tunables *tun, int key)
{
	switch (key) {
	case PGM_SET_ZONE_RECLAIM_MODE:
		return &tun->node_reclaim_mode;
	case PGM_SET_MIN_UNMAPPED_RATIO:
		return &tun->min_unmapped_ratio;
	case PGM_SET_MIN_SLAB_RATIO:
		return &tun->min_slab_ratio;
	default:
		return &tun->dirty_ratio;
	}
}

/* Callers hold iface_lock exclusive */
static int pgm_cmd_set(struct pgm_instance *inst, const struct pgm_cmd *cmd)
{
	const char *key = pgm_set_key_name(cmd->set.key);
	int r[PGM_MAX_NR_ZONES];
	int val = cmd->set.val;
	char line[PGM_TUNABLE_LEN];
	char reason[80];
	int ret, old;

	switch (cmd->set.key) {
	case PGM_SET_WATERMARK_SCALE_FACTOR:
		ret = pgm_set_watermark_scale_factor(inst, val);
		break;
	case PGM_SET_MIN_FREE_KBYTES:
		ret = pgm_set_min_free_kbytes(inst, val);
		break;
	case PGM_SET_WATERMARK_BOOST_FACTOR:
		ret = pgm_set_watermark_boost_factor(inst, val);
		break;
	case PGM_SET_LOWMEM_RESERVE_RATIO:
		memcpy(r, cmd->set.ratio, sizeof(r));
		ret = pgm_set_lowmem_reserve_ratio(inst, r, cmd->set.nr_ratio);
		if (ret)
			break;
		pgm_status_ok(inst, "%s=%d,%d,%d,%d", key, r[0], r[1], r[2],
			      r[3]);
		return 0;
	case PGM_SET_PERCPU_PAGELIST_HIGH_FRACTION:
		ret = pgm_set_percpu_pagelist_high_fraction(inst, val);
		break;
	case PGM_SET_PAGE_POISONING:
	case PGM_SET_INIT_ON_FREE:
	case PGM_SET_INIT_ON_ALLOC:
		ret = pgm_set_page_debug(inst, cmd->set.key -
					 PGM_SET_PAGE_POISONING, val);
		if (ret == -EINVAL) {
			pgm_status_err(inst, ret,
				       "page debugging needs memory behind the pages (a backing)");
			return ret;
		}
		if (ret == -EINTR) {
			pgm_status_err(inst, ret,
				       "interrupted by a fatal signal while poisoning the free pages: page_poisoning left 0");
			return ret;
		}
		break;
	case PGM_SET_PAGE_GROUP_BY_MOBILITY:
	case PGM_SET_ALLOC_NOFRAGMENT:
	case PGM_SET_HIGHATOMIC:
	case PGM_SET_PCP:
		ret = pgm_set_policy_knob(inst, cmd->set.key -
				     PGM_SET_PAGE_GROUP_BY_MOBILITY, val);
		break;
	case PGM_SET_KSWAPD:
	case PGM_SET_DIRECT_RECLAIM:
	case PGM_SET_DIRECT_COMPACTION:
		ret = pgm_set_policy_knob(inst, PGM_POLICY_KSWAPD +
					  cmd->set.key - PGM_SET_KSWAPD, val);
		break;
	case PGM_SET_PCP_BATCH:
	case PGM_SET_PCP_HIGH:
		ret = pgm_set_pcp_size(inst, cmd->set.key == PGM_SET_PCP_HIGH,
				       val);
		break;
	case PGM_SET_CLAIM_THRESHOLD:
		ret = pgm_set_claim_threshold(inst, val);
		break;
	case PGM_SET_NUMA_STAT:
		ret = pgm_set_numa_stat(inst, val);
		break;
	case PGM_SET_PER_CPU_DATA_SLICE_SIZE:
		ret = pgm_set_per_cpu_data_slice_size(inst, val);
		break;
	case PGM_SET_COMPACTION_PROACTIVENESS:
		ret = pgm_set_compaction_proactiveness(inst, val);
		break;
	case PGM_SET_KCOMPACTD:
		ret = pgm_set_policy_knob(inst, PGM_POLICY_KCOMPACTD, val);
		break;
	case PGM_SET_EXTFRAG_THRESHOLD:
		ret = pgm_set_extfrag_threshold(inst, val);
		break;
	case PGM_SET_OOM_KILL_ALLOCATING_TASK:
		ret = pgm_set_oom_kill_allocating_task(inst, val);
		break;
	case PGM_SET_TRANSPARENT_HUGEPAGE:
		old = inst->tun.min_free_kbytes;
		ret = pgm_start_stop_khugepaged(inst, val);
		if (ret)
			break;
		/* Where khugepaged moved it, raised or derived again */
		pgm_status_ok(inst, "%s=%s min_free_kbytes=%d (was %d)", key,
			      pgm_thp_mode_name(val), inst->tun.min_free_kbytes,
			      old);
		return 0;
	case PGM_SET_FALLBACKS:
		ret = pgm_set_fallbacks(inst, val, cmd->set.row);
		if (ret)
			break;
		pgm_status_ok(inst, "%s", pgm_format_tunable(&inst->tun,
							     PGM_SET_FALLBACKS,
							     val, line,
							     sizeof(line)));
		return 0;
	case PGM_SET_ZONE_RECLAIM_MODE:
	case PGM_SET_MIN_UNMAPPED_RATIO:
	case PGM_SET_MIN_SLAB_RATIO:
	case PGM_SET_DIRTY_RATIO:
		ret = pgm_set_node_reclaim_tunable(inst,
						   pgm_reclaim_tunable(&inst->tun,
								       cmd->set.key),
						   val);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	if (ret) {
		snprintf(reason, sizeof(reason), "%s rejected by the allocator",
			 key);
		pgm_status_err(inst, ret, reason);
		return ret;
	}
	pgm_status_ok(inst, "%s=%d", key, val);
	return 0;
}

/*
 * isolate/unisolate: start_isolate_page_range() and, after a drain of the
 * pcp lists, test_pages_isolated(); undo_isolate_page_range() gives the
 * blocks MIGRATE_MOVABLE back, or MIGRATE_CMA inside the CMA area.
 * Callers hold iface_lock exclusive.
 */
static int pgm_cmd_isolate(struct pgm_instance *inst, const struct pgm_cmd *cmd)
{
	unsigned long a = cmd->range.start, b = cmd->range.end, pfn = 0;
	/* The pageblocks the range touches */
	unsigned long pa = ALIGN_DOWN(a, PGM_PAGEBLOCK_NR_PAGES);
	unsigned long pb = ALIGN(b, PGM_PAGEBLOCK_NR_PAGES);
	struct pgm_zone *zone;
	char reason[PGM_STATUS_LEN];
	int mt, ret;

	if (b > inst->nr_pages) {
		snprintf(reason, sizeof(reason),
			 "pfn range %lu-%lu ends beyond the instance's %lu pages",
			 a, b, inst->nr_pages);
		pgm_status_err(inst, -EINVAL, reason);
		return -EINVAL;
	}
	zone = pgm_page_zone(inst, pgm_pfn_to_page(inst, pa));
	if (!pgm_zone_spans_pfn(zone, pb - 1)) {
		snprintf(reason, sizeof(reason),
			 "the pageblocks of pfn %lu-%lu cross the end of zone %s",
			 a, b, pgm_zone_names[zone->idx]);
		pgm_status_err(inst, -EINVAL, reason);
		return -EINVAL;
	}
	/*
	 * One type for the whole range, as every upstream caller has: one
	 * that starts below the CMA area and ends in it would give the CMA
	 * blocks back as movable
	 */
	mt = PGM_MIGRATE_MOVABLE;
	if (zone->cma_pages) {
		unsigned long cma = pgm_zone_end_pfn(zone) - zone->cma_pages;

		if (pa < cma && pb > cma) {
			snprintf(reason, sizeof(reason),
				 "pfn %lu-%lu crosses the start of the CMA area at pfn %lu: one side at a time",
				 a, b, cma);
			pgm_status_err(inst, -EINVAL, reason);
			return -EINVAL;
		}
		if (pa >= cma)
			mt = PGM_MIGRATE_CMA;
	}

	if (cmd->op == PGM_CMD_UNISOLATE) {
		pgm_undo_isolate_page_range(inst, a, b, mt);
		pgm_status_ok(inst, "unisolated pfn %lu-%lu: %s", a, b,
			      pgm_migratetype_names[mt]);
		return 0;
	}
	ret = pgm_start_isolate_page_range(inst, a, b, mt, &pfn);
	if (ret) {
		snprintf(reason, sizeof(reason),
			 "pfn %lu blocks the isolation (isolated already, or not movable)",
			 pfn);
		pgm_status_err(inst, ret, reason);
		return ret;
	}
	pgm_drain_all_pages(inst, zone);
	ret = pgm_test_pages_isolated(inst, a, b, &pfn);
	if (ret)
		pgm_status_ok(inst,
			      "isolated pfn %lu-%lu: %lu pageblocks; pfn %lu is in use",
			      a, b, (pb - pa) / PGM_PAGEBLOCK_NR_PAGES, pfn);
	else
		pgm_status_ok(inst,
			      "isolated pfn %lu-%lu: %lu pageblocks, all free",
			      a, b, (pb - pa) / PGM_PAGEBLOCK_NR_PAGES);
	return 0;
}

/* A handle for a range just allocated, or the range freed again */
static int pgm_contig_handle(struct pgm_instance *inst, struct pgm_page *page,
			     unsigned long nr_pages, enum pgm_alloc_src src,
			     const char *tag, u32 *id)
{
	struct pgm_alloc *h = pgm_alloc_adopt_range(inst, page, nr_pages, src);

	if (!h) {
		if (src == PGM_SRC_CMA)
			pgm_cma_release(inst, page, nr_pages);
		else
			pgm_free_contig_range(inst, pgm_page_to_pfn(inst, page),
					      nr_pages);
		return -ENOMEM;
	}
	strscpy(h->tag, tag, sizeof(h->tag));
	if (pgm_handle_add(inst, h, id)) {
		pgm_alloc_put(inst, h);
		return -ENOMEM;
	}
	return 0;
}

/*
 * alloc_contig: alloc_contig_pages() with FreeBSD's limits; cma_alloc:
 * cma_alloc() from the instance's area. One handle holds the range.
 * Callers hold iface_lock exclusive.
 */
static int pgm_cmd_alloc_contig(struct pgm_instance *inst,
				const struct pgm_cmd *cmd)
{
	bool cma = cmd->op == PGM_CMD_CMA_ALLOC;
	unsigned long nr = cmd->contig.nr_pages, pfn;
	struct pgm_contig_limits lim = {
		.low = cmd->contig.low,
		.high = cmd->contig.high ?: inst->nr_pages,
		.align = cmd->contig.align,
		.boundary = cmd->contig.boundary,
	};
	struct pgm_contig_info info = {};
	char reason[PGM_STATUS_LEN];
	struct pgm_page *page;
	int nid = cmd->contig.nid;
	u32 id;
	int ret;

	if (cma && !inst->cma.count) {
		pgm_status_err(inst, -EINVAL,
			       "the instance has no CMA area (create it with cma=)");
		return -EINVAL;
	}
	if (nr > (cma ? inst->cma.count : inst->nr_pages) ||
	    lim.high > inst->nr_pages) {
		snprintf(reason, sizeof(reason),
			 "%lu pages up to pfn %lu do not fit the %s of %lu pages",
			 nr, lim.high, cma ? "CMA area" : "instance",
			 cma ? inst->cma.count : inst->nr_pages);
		pgm_status_err(inst, -EINVAL, reason);
		return -EINVAL;
	}
	/* A window no range can fit is bad input, not a failed search */
	if (!cma && (nr > lim.high || lim.low > lim.high - nr)) {
		snprintf(reason, sizeof(reason),
			 "%lu pages from pfn %lu do not fit below pfn %lu",
			 nr, lim.low, lim.high);
		pgm_status_err(inst, -EINVAL, reason);
		return -EINVAL;
	}
	if (pgm_zero_refused(inst, cmd->contig.gfp))
		return -EINVAL;
	if (nid == NUMA_NO_NODE)
		nid = pgm_cpu_to_node(inst, pgm_this_cpu(inst));
	if (cma)
		page = pgm_cma_alloc(inst, nr, cmd->contig.align, false, &info);
	else
		page = pgm_alloc_contig_pages(inst, nr, cmd->contig.gfp, nid,
					      NULL, &lim, &info);
	if (!page) {
		ret = fatal_signal_pending(current) ? -EINTR : -ENOMEM;
		snprintf(reason, sizeof(reason),
			 "no range of %lu pages could be freed up: %lu tried, last busy pfn %lu",
			 nr, info.tried, info.busy_pfn);
		pgm_status_err(inst, ret, reason);
		return ret;
	}
	pfn = pgm_page_to_pfn(inst, page);
	ret = pgm_contig_handle(inst, page, nr,
				cma ? PGM_SRC_CMA : PGM_SRC_CONTIG,
				cmd->contig.tag, &id);
	if (ret) {
		pgm_status_err(inst, ret, "no handle for the range");
		return ret;
	}
	pgm_status_ok(inst,
		      "%s pfn %lu-%lu (%lu pages), handle %u; migrated %lu, reclaimed %lu, %lu ranges tried",
		      cma ? "cma_alloc" : "alloc_contig", pfn, pfn + nr, nr, id,
		      info.migrated, info.reclaimed, info.tried);
	return 0;
}

/* A limit as memory.max prints it: pages, or "max" */
#define PGM_LIMIT_LEN	24
static const char *pgm_limit_str(unsigned long pages,
				 char buf[PGM_LIMIT_LEN])
{
	if (pages == PGM_PAGE_COUNTER_MAX)
		return "max";
	snprintf(buf, PGM_LIMIT_LEN, "%lu", pages);
	return buf;
}

/* Callers hold iface_lock exclusive */
static int pgm_cmd_owner(struct pgm_instance *inst, const struct pgm_cmd *cmd)
{
	const char *name = cmd->owner.name;
	struct pgm_owner *o;
	char reason[80];
	int ret;

	if (cmd->op == PGM_CMD_OWNER_CREATE) {
		o = pgm_owner_create(inst, name, &cmd->owner.nodes,
				     cmd->owner.oom_score_adj);
		if (IS_ERR(o)) {
			ret = PTR_ERR(o);
			snprintf(reason, sizeof(reason),
				 ret == -EEXIST ? "owner '%s' exists" :
				 "owner '%s' could not be created", name);
			pgm_status_err(inst, ret, reason);
			return ret;
		}
		/* Nothing is charged yet: setting the limits reclaims nothing */
		WRITE_ONCE(o->min, cmd->owner.min);
		WRITE_ONCE(o->low, cmd->owner.low);
		WRITE_ONCE(o->max, cmd->owner.max);
		WRITE_ONCE(o->high, cmd->owner.high);
		pgm_status_ok(inst, "owner %s created, id %u", name, o->id);
		return 0;
	}

	o = pgm_owner_find(inst, name);
	if (!o) {
		snprintf(reason, sizeof(reason), "no owner named '%s'", name);
		pgm_status_err(inst, -ENOENT, reason);
		return -ENOENT;
	}
	if (cmd->op == PGM_CMD_OWNER_SET) {
		char lim[4][PGM_LIMIT_LEN];

		/*
		 * As writes to memory.min, memory.low, memory.high, then
		 * memory.max: a protection is only stored
		 */
		if (cmd->owner.set_min)
			WRITE_ONCE(o->min, cmd->owner.min);
		if (cmd->owner.set_low)
			WRITE_ONCE(o->low, cmd->owner.low);
		if (cmd->owner.set_high)
			pgm_owner_set_limit(inst, o, true, cmd->owner.high);
		if (cmd->owner.set_max)
			pgm_owner_set_limit(inst, o, false, cmd->owner.max);
		pgm_status_ok(inst,
			      "owner %s: %ld pages, min %s, low %s, high %s, max %s",
			      name, atomic_long_read(&o->nr_pages),
			      pgm_limit_str(READ_ONCE(o->min), lim[0]),
			      pgm_limit_str(READ_ONCE(o->low), lim[1]),
			      pgm_limit_str(READ_ONCE(o->high), lim[2]),
			      pgm_limit_str(READ_ONCE(o->max), lim[3]));
		return 0;
	}
	ret = pgm_owner_destroy(inst, o);
	if (ret) {
		snprintf(reason, sizeof(reason),
			 "owner '%s' has allocations or a waiting alloc", name);
		pgm_status_err(inst, ret, reason);
		return ret;
	}
	pgm_status_ok(inst, "owner %s destroyed", name);
	return 0;
}

/*
 * dirty and writeback: a handle must be a file allocation; a tag selects
 * the file allocations among those it names and fails with -EINVAL when
 * it names only others. Callers hold iface_lock exclusive.
 */
static int pgm_cmd_dirty(struct pgm_instance *inst, const struct pgm_cmd *cmd)
{
	bool dirty = cmd->op == PGM_CMD_DIRTY;
	const char *verb = dirty ? "dirty" : "writeback";
	unsigned long idx, matched = 0, done = 0, seen = 0;
	bool interrupted = false;
	struct pgm_alloc *h;
	char reason[96];

	if (cmd->free.sel == PGM_FREE_HANDLE) {
		h = xa_load(&inst->handles, cmd->free.handle);
		if (!h) {
			snprintf(reason, sizeof(reason),
				 "handle %u is not allocated", cmd->free.handle);
			pgm_status_err(inst, -ENOENT, reason);
			return -ENOENT;
		}
		if (h->kind != PGM_KIND_FILE) {
			snprintf(reason, sizeof(reason),
				 "handle %u is %s, only file allocations can be %s",
				 h->id, pgm_kind_names[h->kind],
				 dirty ? "dirtied" : "written back");
			pgm_status_err(inst, -EINVAL, reason);
			return -EINVAL;
		}
		if (dirty)
			pgm_alloc_set_dirty(inst, h);
		else
			done = pgm_alloc_writeback(inst, h);
		pgm_status_ok(inst, "%s handle %u%s", verb, h->id,
			      !dirty && !done ? " (was clean)" : "");
		return 0;
	}

	xa_for_each(&inst->handles, idx, h) {
		if (cmd->free.sel != PGM_FREE_TAG ||
		    !strcmp(h->tag, cmd->free.tag)) {
			matched++;
			if (h->kind == PGM_KIND_FILE && dirty)
				done += !pgm_alloc_set_dirty(inst, h);
			else if (h->kind == PGM_KIND_FILE)
				done += pgm_alloc_writeback(inst, h);
		}
		/* @h is not read again: others may free it meanwhile */
		if (!(++seen % PGM_IFACE_BATCH) && !pgm_iface_relax(inst, NULL)) {
			interrupted = true;
			break;
		}
		cond_resched();
	}
	if (interrupted) {
		pgm_status_ok(inst, "%s %lu handles (interrupted)",
			      dirty ? "dirtied" : "wrote back", done);
		return 0;
	}
	if (cmd->free.sel == PGM_FREE_TAG && !matched) {
		snprintf(reason, sizeof(reason), "no handles tagged '%s'",
			 cmd->free.tag);
		pgm_status_err(inst, -ENOENT, reason);
		return -ENOENT;
	}
	if (cmd->free.sel == PGM_FREE_TAG && dirty && !done) {
		snprintf(reason, sizeof(reason),
			 "no file allocations tagged '%s'", cmd->free.tag);
		pgm_status_err(inst, -EINVAL, reason);
		return -EINVAL;
	}
	pgm_status_ok(inst, "%s %lu handles", dirty ? "dirtied" :
		      "wrote back", done);
	return 0;
}

/*
 * compact_nodes() for every node, or a node's compact file for one:
 * compact_node() each zone whole. Callers hold iface_lock shared, as
 * kcompactd does; writers allocate and free meanwhile. As upstream, a
 * fatal signal fails the write for every node, not for one (whose sysfs
 * store ignores it).
 */
static int pgm_cmd_compact(struct pgm_instance *inst, int nid)
{
	unsigned int before[PGM_MAX_NUMNODES], n, first, last;
	char line[80];
	int len = 0;

	first = nid == NUMA_NO_NODE ? 0 : nid;
	last = nid == NUMA_NO_NODE ? inst->nr_nodes - 1 : nid;
	for (n = first; n <= last; n++) {
		before[n] = pgm_fragmentation_score_node(&inst->node_data[n]);
		if (pgm_compact_node(&inst->node_data[n], false) &&
		    nid == NUMA_NO_NODE) {
			pgm_status_err(inst, -EINTR,
				       "compaction interrupted by a fatal signal");
			return -EINTR;
		}
	}
	for (n = first; n <= last; n++)
		len += scnprintf(line + len, sizeof(line) - len, " %u:%u->%u",
				 n, before[n],
				 pgm_fragmentation_score_node(&inst->node_data[n]));
	pgm_status_ok(inst, "compacted; fragmentation score by node%s", line);
	return 0;
}

/* Callers hold iface_lock exclusive, but for pgm_cmd_shared() commands */
static int pgm_do_cmd(struct pgm_instance *inst, const struct pgm_cmd *cmd)
{
	switch (cmd->op) {
	case PGM_CMD_ALLOC:
		return pgm_cmd_alloc(inst, cmd);
	case PGM_CMD_ALLOC_BULK:
		return pgm_cmd_alloc_bulk(inst, cmd);
	case PGM_CMD_FREE:
		return pgm_cmd_free(inst, cmd);
	case PGM_CMD_DRAIN:
		pgm_drain_all_pages_wait(inst);
		pgm_status_ok(inst, "drained the pcp lists of every zone");
		return 0;
	case PGM_CMD_SET:
		return pgm_cmd_set(inst, cmd);
	case PGM_CMD_OWNER_CREATE:
	case PGM_CMD_OWNER_DESTROY:
	case PGM_CMD_OWNER_SET:
		return pgm_cmd_owner(inst, cmd);
	case PGM_CMD_DIRTY:
	case PGM_CMD_WRITEBACK:
		return pgm_cmd_dirty(inst, cmd);
	case PGM_CMD_ISOLATE:
	case PGM_CMD_UNISOLATE:
		return pgm_cmd_isolate(inst, cmd);
	case PGM_CMD_ALLOC_CONTIG:
	case PGM_CMD_CMA_ALLOC:
		return pgm_cmd_alloc_contig(inst, cmd);
	case PGM_CMD_STAT_REFRESH:
		/* vmstat_refresh(): refresh_cpu_vm_stats() for every CPU */
		pgm_refresh_cpu_vm_stats(inst);
		pgm_status_ok(inst, "folded every pcp CPU's counter deltas");
		return 0;
	case PGM_CMD_COMPACT:
		return pgm_cmd_compact(inst, cmd->compact.nid);
	}
	return -EINVAL;
}

/**
 * struct pgm_control_file - one open of the control file
 * @inst: the instance
 * @status: the status of this file's last write, empty before the first;
 *	status_lock
 */
struct pgm_control_file {
	struct pgm_instance *inst;
	char status[PGM_STATUS_LEN];
};

/*
 * The status of this file's own last write, so that writers in parallel
 * each read theirs; a file that wrote nothing shows the instance's last.
 */
static int pgm_control_show(struct seq_file *m, void *v)
{
	struct pgm_control_file *ctl = m->private;
	struct pgm_instance *inst = ctl->inst;
	char line[PGM_STATUS_LEN];

	spin_lock(&inst->status_lock);
	if (ctl->status[0])
		strscpy(line, ctl->status, sizeof(line));
	else
		strscpy(line, inst->status[0] ? inst->status :
			"ok: no command yet", sizeof(line));
	spin_unlock(&inst->status_lock);
	seq_printf(m, "%s\n", line);
	return 0;
}

static int pgm_control_open(struct inode *inode, struct file *file)
{
	struct pgm_control_file *ctl = kzalloc(sizeof(*ctl), GFP_KERNEL);
	int ret;

	if (!ctl)
		return -ENOMEM;
	ctl->inst = inode->i_private;
	ret = single_open(file, pgm_control_show, ctl);
	if (ret)
		kfree(ctl);
	return ret;
}

static int pgm_control_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct pgm_control_file *ctl = m->private;

	single_release(inode, file);
	kfree(ctl);
	return 0;
}

/*
 * Commands that only add handles or claim them take iface_lock shared:
 * writers on different CPUs allocate and free at once. explain=1 too:
 * it claims the instance's one explanation (pgm_explain_begin()), and
 * kswapd and other writers go on as they would without it.
 */
static bool pgm_cmd_shared(const struct pgm_cmd *cmd)
{
	switch (cmd->op) {
	case PGM_CMD_ALLOC:
	case PGM_CMD_ALLOC_BULK:
	case PGM_CMD_FREE:
	case PGM_CMD_COMPACT:
		return true;
	default:
		return false;
	}
}

/*
 * Copy at most one byte past the longest line plus its newline: a longer
 * write is rejected as over-long without copying the rest.
 */
#define PGM_WRITE_BUF	(PGM_CMD_MAX_LEN + 2)

/**
 * pgm_control_run() - one line of the control file, copied in already
 * @inst: the instance
 * @buf: the line
 * @len: its length
 * @status: the writer's own status line (PGM_STATUS_LEN bytes), or NULL
 *
 * The control file's write after the copy from user space; KUnit's bench
 * times the interface through it at the CPU's own speed.
 *
 * Return: 0, or the command's negative errno.
 */
int pgm_control_run(struct pgm_instance *inst, const char *buf, size_t len,
		    char *status)
{
	/* pgm_iface_writer_add() sets the rest: no zeroing of it all */
	struct pgm_iface_writer w __uninitialized;
	/* Both filled by the parser before any read */
	char err[PGM_STATUS_LEN] __uninitialized;
	struct pgm_cmd cmd __uninitialized;
	int ret;

	w.status = status;
	w.shared = false;
	w.may_wait = true;
	pgm_iface_writer_add(inst, &w);
	ret = pgm_parse_cmd(buf, len, inst->nr_nodes, &cmd, err, sizeof(err));
	if (ret) {
		pgm_status_err(inst, ret, err);
		goto out;
	}
	w.shared = pgm_cmd_shared(&cmd);
	ret = pgm_iface_write_lock(inst, &w);
	if (ret) {
		pgm_status_err(inst, ret,
			       "interrupted while waiting for the interface lock");
		goto out;
	}
	ret = pgm_do_cmd(inst, &cmd);
	/* The way back to user space: memory.high's reclaim of the write */
	pgm_owner_handle_over_high(inst, &w);
	pgm_iface_write_unlock(inst, &w);
out:
	pgm_iface_writer_del(inst, &w);
	return ret;
}

static ssize_t pgm_control_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct pgm_control_file *ctl = m->private;
	struct pgm_instance *inst = ctl->inst;
	/* Only the @n bytes copied in are read */
	char buf[PGM_WRITE_BUF] __uninitialized;
	size_t n = min_t(size_t, len, sizeof(buf));
	int ret;

	/* A stalled user buffer must not stall everyone else: copy first */
	if (copy_from_user(buf, ubuf, n)) {
		struct pgm_iface_writer w = { .status = ctl->status };

		pgm_iface_writer_add(inst, &w);
		pgm_status_err(inst, -EFAULT, "bad user buffer");
		pgm_iface_writer_del(inst, &w);
		return -EFAULT;
	}
	ret = pgm_control_run(inst, buf, n, ctl->status);
	return ret ? ret : len;
}

static const struct file_operations pgm_control_fops = {
	.owner		= THIS_MODULE,
	.open		= pgm_control_open,
	.read		= seq_read,
	.write		= pgm_control_write,
	.llseek		= seq_lseek,
	.release	= pgm_control_release,
};

/* ========================= allocations ========================= */

/*
 * The seq position is a handle: 0 is the header, then each live handle
 * in order, so a read split across buffers resumes where it stopped.
 */
static void *pgm_allocations_find(struct pgm_instance *inst, loff_t *pos,
				  unsigned long from)
{
	unsigned long idx = from;
	void *h;

	h = xa_find(&inst->handles, &idx, U32_MAX, XA_PRESENT);
	*pos = h ? idx : from;
	return h;
}

/*
 * iface_lock shared, as alloc and free take it: a reader holds up no
 * writer, and a killed reader stops waiting for one. A record a writer
 * or reclaim frees meanwhile stays readable until the RCU read section
 * ends, after its line, so it is printed once more at most.
 */
static void *pgm_allocations_start(struct seq_file *m, loff_t *pos)
{
	struct pgm_instance *inst = m->private;

	if (down_read_killable(&inst->iface_lock))
		return ERR_PTR(-EINTR);
	pgm_handle_walk_begin(inst);
	rcu_read_lock();
	if (!*pos)
		return SEQ_START_TOKEN;
	if (*pos > U32_MAX)
		return NULL;
	return pgm_allocations_find(inst, pos, *pos);
}

static void *pgm_allocations_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct pgm_instance *inst = m->private;
	unsigned long from = *pos + 1;

	/*
	 * A seek far into millions of handles formats each on the way: the
	 * next record is looked up afresh, so the read section may end here
	 */
	rcu_read_unlock();
	cond_resched();
	rcu_read_lock();
	if (from > U32_MAX) {
		*pos = from;
		return NULL;
	}
	return pgm_allocations_find(inst, pos, from);
}

static void pgm_allocations_stop(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;

	/* start was killed before it took anything */
	if (IS_ERR(v))
		return;
	rcu_read_unlock();
	pgm_handle_walk_end(inst);
	up_read(&inst->iface_lock);
}

static int pgm_allocations_show(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;
	struct pgm_alloc *h = v;
	struct pgm_page *page;
	unsigned int mt;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "handle order pfn node zone migratetype tag owner kind dirty pages source\n");
		return 0;
	}
	/* Compaction may move it meanwhile: one block, read once */
	page = READ_ONCE(h->page);
	mt = page->alloc_mt;
	/*
	 * The handle is the position, which needs no read of a record that
	 * may be on its way out; owner destroy needs iface_lock exclusively
	 */
	seq_printf(m, "%u %u %lu %d %s %s %s %s %s %d %lu %s\n",
		   (u32)m->index, h->order,
		   pgm_page_to_pfn(inst, page), pgm_page_to_nid(page),
		   pgm_zone_names[pgm_page_zonenum(page)],
		   mt < PGM_MIGRATE_TYPES ? pgm_migratetype_names[mt] : "?",
		   h->tag[0] ? h->tag : "-", h->owner ? h->owner->name : "-",
		   pgm_kind_names[h->kind], READ_ONCE(h->dirty),
		   pgm_alloc_nr_pages(h), pgm_alloc_src_names[h->src]);
	return 0;
}

static const struct seq_operations pgm_allocations_sops = {
	.start	= pgm_allocations_start,
	.next	= pgm_allocations_next,
	.stop	= pgm_allocations_stop,
	.show	= pgm_allocations_show,
};
DEFINE_SEQ_ATTRIBUTE(pgm_allocations);

/* ========================= owners ========================= */

static void pgm_owner_limit_show(struct seq_file *m, unsigned long pages)
{
	char buf[PGM_LIMIT_LEN];

	seq_printf(m, " %s", pgm_limit_str(pages, buf));
}

static int pgm_owners_show(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;
	struct pgm_owner *o;
	unsigned long idx;

	/* Shared: owner destroy, which frees them, takes it exclusively */
	if (down_read_killable(&inst->iface_lock))
		return -EINTR;
	seq_puts(m, "name id nodes oom_score_adj pages min low high max low_events high_events max_events oom_events oom_kill_events high_throttle_ms\n");
	xa_for_each(&inst->owners, idx, o) {
		int e;

		seq_printf(m, "%s %u %*pbl %d %ld", o->name, o->id,
			   (int)inst->nr_nodes, o->mems_allowed.bits,
			   o->oom_score_adj, atomic_long_read(&o->nr_pages));
		pgm_owner_limit_show(m, READ_ONCE(o->min));
		pgm_owner_limit_show(m, READ_ONCE(o->low));
		pgm_owner_limit_show(m, READ_ONCE(o->high));
		pgm_owner_limit_show(m, READ_ONCE(o->max));
		for (e = 0; e < PGM_MEMCG_NR_EVENTS; e++)
			seq_printf(m, " %ld", atomic_long_read(&o->events[e]));
		seq_printf(m, " %u\n",
			   jiffies_to_msecs(atomic_long_read(&o->high_throttle)));
	}
	up_read(&inst->iface_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pgm_owners);

/* ========================= stats ========================= */

static int pgm_debugfs_stats_show(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;
	unsigned long idx, n = 0;
	struct pgm_alloc *h;

	pgm_stats_show(m, v);
	/* The xarray's own RCU walk: a long command does not hold this up */
	xa_for_each(&inst->handles, idx, h)
		if (!(++n % 4096))
			cond_resched();
	seq_printf(m, "nr_handles %lu\n", n);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pgm_debugfs_stats);

/* ========================= verify ========================= */

/*
 * The problem lines one read prints: past them seq_file would double its
 * buffer and run the whole check again, time after time, for an instance
 * with millions of problems
 */
#define PGM_VERIFY_OUT_MAX	SZ_64K

static __printf(2, 3) void pgm_verify_report(void *ctx, const char *fmt, ...)
{
	struct seq_file *m = ctx;
	size_t len = strlen(fmt);
	va_list args;

	if (m->count >= PGM_VERIFY_OUT_MAX)
		return;
	va_start(args, fmt);
	seq_vprintf(m, fmt, args);
	va_end(args);
	if (!len || fmt[len - 1] != '\n')
		seq_putc(m, '\n');
}

/*
 * Every page of a range must be an order-0 allocation of its own, and a
 * CMA range must lie in the area with its bits set
 */
static unsigned long pgm_verify_range(struct seq_file *m,
				      struct pgm_instance *inst,
				      const struct pgm_alloc *h)
{
	unsigned long pfn = pgm_page_to_pfn(inst, h->page);
	unsigned long nr = h->nr_pages, i, bad = 0;
	struct pgm_cma *cma = &inst->cma;

	if (pfn >= inst->nr_pages || nr > inst->nr_pages - pfn) {
		pgm_verify_report(m, "handle %u: pfn %lu + %lu pages outside the instance",
				  h->id, pfn, nr);
		return 1;
	}
	for (i = 0; i < nr; i++) {
		unsigned short flags = READ_ONCE(h->page[i].flags);

		if (!(flags & PGM_PG_HEAD) || READ_ONCE(h->page[i].private) ||
		    (flags & (PGM_PG_BUDDY | PGM_PG_PCP | PGM_PG_LRU))) {
			pgm_verify_report(m, "handle %u: range pfn %lu is not order-0 allocated",
					  h->id, pfn + i);
			bad++;
		}
	}
	if (h->src == PGM_SRC_CMA &&
	    (pfn < cma->base_pfn || pfn + nr > cma->base_pfn + cma->count ||
	     find_next_zero_bit(cma->bitmap, pfn - cma->base_pfn + nr,
				pfn - cma->base_pfn) < pfn - cma->base_pfn + nr)) {
		pgm_verify_report(m, "handle %u: pfn %lu-%lu is not taken in the CMA bitmap",
				  h->id, pfn, pfn + nr);
		bad++;
	}
	return bad;
}

/* An allocation must be a head of its order with no page on a free list */
static unsigned long pgm_verify_handle(struct seq_file *m,
				       struct pgm_instance *inst,
				       const struct pgm_alloc *h)
{
	unsigned long pfn = pgm_page_to_pfn(inst, h->page);
	unsigned long nr = 1UL << h->order, i, bad = 0;
	unsigned short flags;

	if (h->src != PGM_SRC_BUDDY)
		return pgm_verify_range(m, inst, h);

	if (pfn >= inst->nr_pages || nr > inst->nr_pages - pfn) {
		pgm_verify_report(m, "handle %u: pfn %lu order %u outside the instance",
				  h->id, pfn, h->order);
		return 1;
	}
	flags = READ_ONCE(h->page->flags);
	if (!(flags & PGM_PG_HEAD)) {
		pgm_verify_report(m, "handle %u: pfn %lu is not an allocation head",
				  h->id, pfn);
		bad++;
	}
	if (READ_ONCE(h->page->private) != h->order) {
		pgm_verify_report(m, "handle %u: pfn %lu has order %u, allocated as %u",
				  h->id, pfn, READ_ONCE(h->page->private),
				  h->order);
		bad++;
	}
	for (i = 0; i < nr; i++) {
		flags = READ_ONCE(h->page[i].flags);
		if (flags & (PGM_PG_BUDDY | PGM_PG_PCP)) {
			pgm_verify_report(m, "handle %u: allocated pfn %lu is on a %s list",
					  h->id, pfn + i,
					  flags & PGM_PG_BUDDY ? "buddy" : "pcp");
			bad++;
		}
	}
	return bad;
}

/*
 * Every slab and LRU-kind allocation must be on its node's lists and
 * nothing else may be, and each owner's footprint must add up.
 */
static unsigned long pgm_verify_lru_handles(struct seq_file *m,
					    struct pgm_instance *inst)
{
	unsigned long on_lists[PGM_MAX_NUMNODES] = {};
	unsigned long want[PGM_MAX_NUMNODES] = {};
	unsigned long idx, bad, walked = 0;
	struct pgm_alloc *h;
	struct pgm_owner *o;
	unsigned int n;

	bad = pgm_verify_lru(inst, on_lists, pgm_verify_report, m);
	/* One walk of the handles adds up every owner's footprint too */
	xa_for_each(&inst->owners, idx, o)
		o->verify_held = 0;
	xa_for_each(&inst->handles, idx, h) {
		if (pgm_kind_lru(h->kind) >= 0 || h->kind == PGM_KIND_SLAB)
			want[pgm_page_to_nid(h->page)]++;
		if (h->owner)
			h->owner->verify_held += pgm_alloc_nr_pages(h);
		if (!(++walked % PGM_IFACE_BATCH))
			cond_resched();
	}
	for (n = 0; n < inst->nr_nodes; n++) {
		if (want[n] == on_lists[n])
			continue;
		pgm_verify_report(m, "node %u: %lu allocations on its lists, %lu expected",
				  n, on_lists[n], want[n]);
		bad++;
	}
	xa_for_each(&inst->owners, idx, o) {
		if (o->verify_held == atomic_long_read(&o->nr_pages))
			continue;
		pgm_verify_report(m, "owner %s: footprint %ld, allocations hold %ld",
				  o->name, atomic_long_read(&o->nr_pages),
				  o->verify_held);
		bad++;
	}
	return bad;
}

static int pgm_debugfs_verify_show(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;
	struct pgm_alloc *h;
	unsigned long idx, bad;

	if (down_write_killable(&inst->iface_lock))
		return -EINTR;
	bad = pgm_verify(inst, pgm_verify_report, m);
	xa_for_each(&inst->handles, idx, h) {
		bad += pgm_verify_handle(m, inst, h);
		if (fatal_signal_pending(current))
			break;
		cond_resched();
	}
	if (!fatal_signal_pending(current))
		bad += pgm_verify_lru_handles(m, inst);
	pgm_iface_unlock(inst);
	if (fatal_signal_pending(current))
		return -EINTR;
	if (!bad)
		seq_puts(m, "ok\n");
	else if (m->count >= PGM_VERIFY_OUT_MAX)
		seq_printf(m, "%lu problems in all; the lines past 64 KiB are left out\n",
			   bad);
	return 0;
}

/*
 * A buffer the capped report fits in from the start: seq_file would
 * otherwise run the whole check again for each doubling of its buffer
 */
static int pgm_debugfs_verify_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, pgm_debugfs_verify_show,
				inode->i_private, PGM_VERIFY_OUT_MAX + SZ_1K);
}

static const struct file_operations pgm_debugfs_verify_fops = {
	.owner		= THIS_MODULE,
	.open		= pgm_debugfs_verify_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* ========================= bench ========================= */

/*
 * Between batches of a long run: stop at a fatal signal, when the writer
 * of a threads= run was killed (@stop), or when the instance is going
 * away (@dying: its destroy waits for the bench), else reschedule
 */
static bool pgm_bench_interrupted(const bool *stop, const bool *dying,
				  char *err, size_t errlen)
{
	if (dying && READ_ONCE(*dying)) {
		snprintf(err, errlen, "bench stopped: the instance is going away");
		return true;
	}
	if (fatal_signal_pending(current) || (stop && READ_ONCE(*stop))) {
		snprintf(err, errlen, "bench interrupted by a fatal signal");
		return true;
	}
	cond_resched();
	return false;
}

/* A burst takes this many blocks before it frees them all */
#define PGM_BENCH_BURST_LEN	256

/*
 * Let a writer waiting for iface_lock in between two batches of a bench
 * run. False, with the lock let go, at a fatal signal.
 */
static bool pgm_bench_iface_relax(struct pgm_instance *inst)
{
	if (!rwsem_is_contended(&inst->iface_lock))
		return true;
	up_read(&inst->iface_lock);
	return !down_read_killable(&inst->iface_lock);
}

/*
 * One timed run of the mirror: pairs, or bursts then frees. Its reclaim
 * and OOM kills free handles, as kswapd's do: iface_lock is held shared
 * as kswapd holds it, so that the commands that take it exclusively to
 * walk the records, and owner destroy, never run beside them. A writer
 * waiting for it gets it between two checks of the run.
 */
static int pgm_bench_mirror(struct pgm_instance *inst,
			    const struct pgm_bench_args *a, unsigned int burst,
			    gfp_t gfp, int nid, struct pgm_page **slots,
			    const bool *stop, u64 *ns, char *err, size_t errlen)
{
	unsigned int i = 0, j, n, checked = 0;
	int ret = 0;
	u64 start;

	if (down_read_killable(&inst->iface_lock))
		goto killed;
	start = ktime_get_ns();
	while (i < a->count) {
		n = min(a->count - i, burst);
		if (a->shape == PGM_BENCH_BULK) {
			/* The array's empty slots are what a call fills */
			memset(slots, 0, n * sizeof(*slots));
			n = pgm___alloc_pages_bulk(inst, gfp, nid, NULL, n,
						   slots);
			j = n;
			n = max(n, 1U);
		} else {
			for (j = 0; j < n; j++) {
				slots[j] = pgm_alloc_pages(inst, gfp, a->order,
							   nid, NULL);
				if (!slots[j])
					break;
			}
		}
		if (j < n) {
			while (j--)
				pgm_free_pages(inst, slots[j], a->order);
			snprintf(err, errlen,
				 "pgmirror order-%u allocation failed at iteration %u",
				 a->order, i);
			ret = -ENOMEM;
			break;
		}
		for (j = 0; j < n; j++)
			pgm_free_pages(inst, slots[j], a->order);
		i += n;
		if ((i - checked) << a->order >= 1024) {
			checked = i;
			if (pgm_bench_interrupted(stop, &inst->dying, err,
						  errlen)) {
				ret = -EINTR;
				break;
			}
			if (!pgm_bench_iface_relax(inst))
				goto killed;
		}
	}
	*ns = ktime_get_ns() - start;
	up_read(&inst->iface_lock);
	return ret;
killed:
	snprintf(err, errlen, "bench interrupted by a fatal signal");
	return -EINTR;
}

/* The same run of the host's allocator */
static int pgm_bench_host(const struct pgm_bench_args *a, unsigned int burst,
			  gfp_t gfp, struct page **slots, const bool *stop,
			  const bool *dying, u64 *ns, char *err, size_t errlen)
{
	unsigned int i = 0, j, n, checked = 0;
	u64 start = ktime_get_ns();

	while (i < a->count) {
		n = min(a->count - i, burst);
		if (a->shape == PGM_BENCH_BULK) {
			memset(slots, 0, n * sizeof(*slots));
			n = alloc_pages_bulk_array(gfp, n, slots);
			j = n;
			n = max(n, 1U);
		} else {
			for (j = 0; j < n; j++) {
				slots[j] = alloc_pages(gfp, a->order);
				if (!slots[j])
					break;
			}
		}
		if (j < n) {
			while (j--)
				__free_pages(slots[j], a->order);
			snprintf(err, errlen,
				 "host order-%u allocation failed at iteration %u",
				 a->order, i);
			return -ENOMEM;
		}
		for (j = 0; j < n; j++)
			__free_pages(slots[j], a->order);
		i += n;
		if ((i - checked) << a->order >= 1024) {
			checked = i;
			if (pgm_bench_interrupted(stop, dying, err, errlen))
				return -EINTR;
		}
	}
	*ns = max_t(u64, ktime_get_ns() - start, 1);
	return 0;
}

static void *pgm_frag_alloc(struct pgm_bench_frag *f, gfp_t gfp,
			    unsigned int order)
{
	if (f->inst)
		return pgm_alloc_pages(f->inst, gfp, order, f->nid, NULL);
	return alloc_pages(gfp, order);
}

static void pgm_frag_free(struct pgm_bench_frag *f, void *page,
			  unsigned int order)
{
	if (f->inst)
		pgm_free_pages(f->inst, page, order);
	else
		__free_pages(page, order);
}

/* Pages on a pcp list would come back free as other migratetypes */
static void pgm_frag_drain(struct pgm_bench_frag *f)
{
	if (!f->host_drain)
		return;
	if (f->inst)
		pgm_drain_all_pages_wait(f->inst);
	else
		f->host_drain(NULL);
}

/* Give the kept fill back */
static void pgm_frag_release(struct pgm_bench_frag *f, unsigned long kept)
{
	unsigned long i;

	for (i = 0; i < kept; i++)
		pgm_frag_free(f, f->pages[i], 0);
	pgm_frag_drain(f);
}

/*
 * Fill with unmovable order-0 pages (the fill's own fallbacks turn the
 * movable pageblocks unmovable), then free every page of each odd
 * @order-aligned chunk: each free block is of @order with its buddy held,
 * and every pageblock keeps half its pages free. A fatal signal ends the
 * fill early: an instance's DMA zone may be gigabytes. Return: the pages
 * kept, at the front of @f->pages; *@blocks is the free blocks of @order.
 */
static unsigned long pgm_frag_fill(struct pgm_bench_frag *f,
				   unsigned int order, unsigned long *blocks)
{
	unsigned long n = 0, kept = 0, i, pfn;

	pgm_frag_drain(f);
	while (n < f->max &&
	       (f->pages[n] = pgm_frag_alloc(f, f->fill_gfp, 0))) {
		if (!(++n % 1024)) {
			if (fatal_signal_pending(current))
				break;
			cond_resched();
		}
	}
	for (i = 0; i < n; i++) {
		if (f->inst)
			pfn = pgm_page_to_pfn(f->inst, f->pages[i]);
		else
			pfn = page_to_pfn((struct page *)f->pages[i]);
		if ((pfn >> order) & 1)
			pgm_frag_free(f, f->pages[i], 0);
		else
			f->pages[kept++] = f->pages[i];
	}
	pgm_frag_drain(f);
	*blocks = (n - kept) >> order;
	return kept;
}

/**
 * pgm_bench_frag_run() - time allocations in a fragmented zone
 * @f: the side, its zone and masks
 * @order: the order timed
 * @count: allocations timed
 * @ns: on success, the time they took, in all
 * @err: on error, a one-line reason
 * @errlen: size of @err
 *
 * The zone is filled and every odd @order-aligned chunk freed; the movable
 * lists are then empty, and each timed request falls back. A quarter of the
 * free blocks at a time are taken, timed, and freed untimed. Below
 * pageblock_order / 2 a movable request may not claim a foreign pageblock
 * (can_steal_fallback()), so each block a refill or rmqueue_buddy() takes
 * is stolen (__rmqueue_steal()); the pageblock stays unmovable, and once
 * the blocks are freed the zone is as before, so the next quarter is taken
 * from the same fill. From there a request claims its pageblock
 * (__rmqueue_claim()) and the rest of the block's free pages move to the
 * movable lists, where the next requests find them: the zone is filled
 * again for each quarter.
 * A fatal signal ends the run between quarters, or within 1024 pages of
 * a fill.
 *
 * Return: 0; -ENOMEM when the zone has no free block of @order once
 * fragmented or a timed request fails; -EINTR. @err is filled on error.
 */
int pgm_bench_frag_run(struct pgm_bench_frag *f, unsigned int order,
		       unsigned long count, u64 *ns, char *err, size_t errlen)
{
	const char *side = f->inst ? "pgmirror" : "host";
	bool claim = order >= PGM_PAGEBLOCK_ORDER / 2, filled = false, locked;
	unsigned long kept = 0, per = 0, done = 0, n, got, i;
	u64 sum = 0, t;
	int ret = 0;

	/* The mirror's side holds iface_lock shared, as pgm_bench_mirror() */
	if (f->inst && down_read_killable(&f->inst->iface_lock)) {
		snprintf(err, errlen, "bench interrupted by a fatal signal");
		return -EINTR;
	}
	locked = !!f->inst;
	while (done < count) {
		if (!filled) {
			kept = pgm_frag_fill(f, order, &per);
			filled = true;
			if (pgm_bench_interrupted(f->stop, f->dying, err, errlen)) {
				ret = -EINTR;
				break;
			}
			per = DIV_ROUND_UP(per, 4);
			if (!per) {
				snprintf(err, errlen,
					 "%s: no free order-%u block in the fragmented zone",
					 side, order);
				ret = -ENOMEM;
				break;
			}
		}
		n = min(per, count - done);
		t = ktime_get_ns();
		for (got = 0; got < n; got++) {
			f->pages[kept + got] = pgm_frag_alloc(f, f->gfp, order);
			if (!f->pages[kept + got])
				break;
		}
		sum += ktime_get_ns() - t;
		for (i = 0; i < got; i++)
			pgm_frag_free(f, f->pages[kept + i], order);
		if (got < n) {
			snprintf(err, errlen,
				 "%s order-%u allocation failed in the fragmented zone at iteration %lu",
				 side, order, done + got);
			ret = -ENOMEM;
			break;
		}
		done += n;
		if (claim) {
			pgm_frag_release(f, kept);
			filled = false;
		} else {
			pgm_frag_drain(f);
		}
		if (pgm_bench_interrupted(f->stop, f->dying, err, errlen)) {
			ret = -EINTR;
			break;
		}
		if (locked && !pgm_bench_iface_relax(f->inst)) {
			snprintf(err, errlen, "bench interrupted by a fatal signal");
			/*
			 * The fill goes back under the lock all the same: the
			 * exclusive holder it waited for may be changing what a
			 * free does (init_on_free, page_poisoning, pcp) or be
			 * walking the pages
			 */
			down_read(&f->inst->iface_lock);
			ret = -EINTR;
			break;
		}
	}
	if (filled)
		pgm_frag_release(f, kept);
	if (locked)
		up_read(&f->inst->iface_lock);
	*ns = max_t(u64, sum, 1);
	return ret;
}

/*
 * A bench with threads=N: N kthreads, each bound to its own CPU, run each
 * phase (the mirror's, then the host's) at once; the phase lasts from the
 * start signal until the last of them is done.
 */
struct pgm_bench_team {
	struct pgm_instance *inst;
	const struct pgm_bench_args *a;
	unsigned int burst;
	gfp_t gfp;
	int nid;
	bool host;			/* the phase times the host's allocator */
	struct pgm_bench_frag *frag;	/* shape=frag: mirror, host */
	bool stop;			/* the writer was killed: end the phase */
	unsigned int phase;		/* bumped to start one */
	atomic_t running;		/* workers still in the phase */
	wait_queue_head_t wq;
};

struct pgm_bench_worker {
	struct pgm_bench_team *team;
	struct task_struct *task;
	void **slots;
	int ret;
	u64 ns;
	char err[PGM_STATUS_LEN];
};

/* One phase of one side, on the calling CPU; the mirror's from node @nid */
static int pgm_bench_side(struct pgm_bench_team *t, void **slots, int nid,
			  u64 *ns, char *err, size_t errlen)
{
	if (t->frag)
		return pgm_bench_frag_run(&t->frag[t->host], t->a->order,
					  t->a->count, ns, err, errlen);
	if (t->host)
		return pgm_bench_host(t->a, t->burst, t->gfp,
				      (struct page **)slots, &t->stop,
				      &t->inst->dying, ns, err, errlen);
	return pgm_bench_mirror(t->inst, t->a, t->burst, t->gfp, nid,
				(struct pgm_page **)slots, &t->stop, ns, err,
				errlen);
}

static int pgm_bench_worker_fn(void *data)
{
	struct pgm_bench_worker *w = data;
	struct pgm_bench_team *t = w->team;
	/* Bound to its CPU: the node of its own pcp CPU, as the host's is local */
	int nid = pgm_cpu_to_node(t->inst, pgm_this_cpu(t->inst));
	unsigned int seen = 0;

	for (;;) {
		wait_event_interruptible(t->wq, READ_ONCE(t->phase) != seen ||
					 kthread_should_stop());
		if (kthread_should_stop())
			return 0;
		/* Pairs with the release in pgm_bench_phase(): t->host */
		seen = smp_load_acquire(&t->phase);
		w->ret = pgm_bench_side(t, w->slots, nid, &w->ns, w->err,
					sizeof(w->err));
		if (atomic_dec_and_test(&t->running))
			wake_up_all(&t->wq);
	}
}

/*
 * Run one phase of @t on every worker (or, with none, on the calling CPU)
 * and time it as a whole: the throughput of all of them together.
 */
static int pgm_bench_phase(struct pgm_bench_team *t,
			   struct pgm_bench_worker *w, unsigned int nr,
			   bool host, u64 *ns, char *err, size_t errlen)
{
	unsigned int i;
	u64 start;

	t->host = host;
	if (!nr)
		return pgm_bench_side(t, w->slots, t->nid, ns, err, errlen);
	atomic_set(&t->running, nr);
	start = ktime_get_ns();
	/* Publishes t->host and t->running to the workers that see the bump */
	smp_store_release(&t->phase, t->phase + 1);
	wake_up_all(&t->wq);
	/*
	 * A second at a time, so that a long phase is no hung task; a fatal
	 * signal to the writer stops the workers within 1024 pages. The
	 * acquire orders the workers' results after their countdown.
	 */
	while (!wait_event_timeout(t->wq, !atomic_read_acquire(&t->running),
				   HZ))
		if (fatal_signal_pending(current))
			WRITE_ONCE(t->stop, true);
	*ns = max_t(u64, ktime_get_ns() - start, 1);
	for (i = 0; i < nr; i++) {
		if (w[i].ret) {
			strscpy(err, w[i].err, errlen);
			return w[i].ret;
		}
	}
	return 0;
}

/* Start a worker on each of the first @nr online CPUs */
static int pgm_bench_team_start(struct pgm_bench_team *t,
				struct pgm_bench_worker *w, unsigned int nr,
				char *err, size_t errlen)
{
	unsigned int i = 0;
	u64 pcps = 0;
	int cpu;

	for_each_online_cpu(cpu) {
		unsigned int pcp = t->inst->pcp_cpu_of[cpu];

		if (i == nr)
			break;
		/* Two threads on one pcp would contend where the host's do not */
		if (pcps & BIT_ULL(pcp)) {
			snprintf(err, errlen,
				 "threads=%u: CPU %d would share pcp CPU %u with another thread",
				 nr, cpu, pcp);
			return -EINVAL;
		}
		pcps |= BIT_ULL(pcp);
		w[i].team = t;
		w[i].task = kthread_create_on_cpu(pgm_bench_worker_fn, &w[i],
						  cpu, "pgm_bench/%u");
		if (IS_ERR(w[i].task)) {
			snprintf(err, errlen, "cannot start a bench thread on CPU %d",
				 cpu);
			return PTR_ERR(w[i].task);
		}
		wake_up_process(w[i].task);
		i++;
	}
	/* A CPU went offline since the check: a phase would wait for ever */
	if (i < nr) {
		snprintf(err, errlen, "threads=%u: %u CPUs online", nr, i);
		return -EINVAL;
	}
	return 0;
}

static void pgm_bench_team_stop(struct pgm_bench_worker *w, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (!IS_ERR_OR_NULL(w[i].task))
			kthread_stop(w[i].task);
}

/* The pcp sizes of one zone, as the bench borrows and restores them */
struct pgm_bench_pcp {
	int batch;
	int high;
	int high_min;
	int high_max;
};

/*
 * The host zone a request of @gfp starts from on this CPU (the first of
 * its zonelist: the highest populated zone of the local node the mask
 * allows), and its pcp
 */
static struct zone *pgm_bench_host_pcp(gfp_t gfp, struct pgm_bench_pcp *hp)
{
	pg_data_t *pgdat = NODE_DATA(numa_node_id());
	struct per_cpu_pages *pcp;
	struct zone *zone = NULL;
	int z;

	for (z = gfp_zone(gfp); z >= 0 && !zone; z--)
		if (populated_zone(&pgdat->node_zones[z]))
			zone = &pgdat->node_zones[z];
	if (!zone)
		return NULL;
	pcp = per_cpu_ptr(zone->per_cpu_pageset, raw_smp_processor_id());
	hp->batch = READ_ONCE(pcp->batch);
	hp->high = READ_ONCE(pcp->high);
	/* high_min and high_max came in 6.7, with the PCPF_ flags */
#ifdef PCPF_PREV_FREE_HIGH_ORDER
	hp->high_min = READ_ONCE(pcp->high_min);
	hp->high_max = READ_ONCE(pcp->high_max);
#else
	hp->high_min = hp->high;
	hp->high_max = hp->high;
#endif
	return zone;
}

/*
 * Swap the sizes of every pcp of @zone with @v[cpu], under tunables_lock
 * and the pcp lock, as a tunable write. With @expect, a pcp whose sizes
 * are not @expect's any more is left alone: a tunable write during the run
 * has the last word.
 */
static void pgm_bench_swap_pcp(struct pgm_instance *inst, struct pgm_zone *zone,
			       struct pgm_bench_pcp *v,
			       const struct pgm_bench_pcp *expect)
{
	unsigned int cpu;

	mutex_lock(&inst->tunables_lock);
	for (cpu = 0; cpu < inst->nr_cpus; cpu++) {
		struct pgm_per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		struct pgm_bench_pcp cur;

		spin_lock(&pcp->lock);
		cur.batch = pcp->batch;
		cur.high = pcp->high;
		cur.high_min = pcp->high_min;
		cur.high_max = pcp->high_max;
		if (!expect || (cur.batch == expect->batch &&
				cur.high_min == expect->high_min &&
				cur.high_max == expect->high_max)) {
			WRITE_ONCE(pcp->batch, v[cpu].batch);
			WRITE_ONCE(pcp->high_min, v[cpu].high_min);
			WRITE_ONCE(pcp->high_max, v[cpu].high_max);
			pcp->high = v[cpu].high;
			v[cpu] = cur;
		}
		spin_unlock(&pcp->lock);
	}
	mutex_unlock(&inst->tunables_lock);
}

/* shape=frag needs the host's DMA zone: a kernel without one has none */
static bool pgm_bench_host_dma(const struct zone *zone)
{
#ifdef CONFIG_ZONE_DMA
	return zone && zone_idx(zone) == ZONE_DMA;
#else
	return false;
#endif
}

/*
 * Set up the two sides of shape=frag: the host's DMA zone @hz and the
 * mirror's @mz, one array of slots for both, as large as the larger zone
 */
static int pgm_bench_frag_setup(struct pgm_instance *inst, int nid,
				struct zone *hz, struct pgm_zone *mz,
				struct pgm_bench_frag *fs, char *err,
				size_t errlen)
{
	unsigned long max;
	void **pages;

	if (!mz || mz->idx != PGM_ZONE_DMA) {
		snprintf(err, errlen,
			 "shape=frag fragments each side's DMA zone: the instance has none (zones=DMA:16M,...)");
		return -EINVAL;
	}
	if (!pgm_bench_host_dma(hz)) {
		snprintf(err, errlen,
			 "shape=frag fragments each side's DMA zone: host node %d has none",
			 numa_node_id());
		return -EINVAL;
	}
	/* One pointer a page: a DMA zone of any size would ask for GiBs */
	if (pgm_zone_managed_pages(mz) > PGM_BENCH_FRAG_MAX_PAGES) {
		snprintf(err, errlen,
			 "shape=frag fills the DMA zone: at most %lu pages, this one has %lu",
			 PGM_BENCH_FRAG_MAX_PAGES, pgm_zone_managed_pages(mz));
		return -EINVAL;
	}
	max = max(zone_managed_pages(hz), pgm_zone_managed_pages(mz));
	pages = kvmalloc_array(max, sizeof(*pages),
			       GFP_KERNEL | __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
	if (!pages) {
		snprintf(err, errlen, "no memory for the bench");
		return -ENOMEM;
	}
	fs[0] = (struct pgm_bench_frag){
		.inst = inst, .nid = nid, .pages = pages,
		.max = pgm_zone_managed_pages(mz),
		.fill_gfp = PGM_BENCH_FRAG_FILL_GFP,
	};
	fs[1] = (struct pgm_bench_frag){
		.pages = pages, .max = zone_managed_pages(hz),
		.fill_gfp = PGM_BENCH_FRAG_FILL_GFP,
	};
	return 0;
}

static int pgm_bench_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/**
 * pgm_bench_run() - time the mirror against the host's alloc_pages()
 * @inst: the instance
 * @a: what to time
 * @err: on error, a one-line reason
 * @errlen: size of @err
 *
 * @a->reps runs of each side, alternating (mirror, host, mirror, host ...)
 * so that drift in the machine hits both alike; the median with the range
 * of the ratio goes to @inst->bench_result. __GFP_NOWARN on both keeps a
 * failed host high-order allocation out of dmesg. With @a->threads above
 * one, that many kthreads on as many CPUs (each with its own pcp) run each
 * side at once, @a->count operations each, and ns per op is the wall time
 * over all their operations.
 *
 * The mirror's allocator is called as any in-kernel caller calls it; its
 * timed runs hold iface_lock shared, as kswapd's balancing does, and let a
 * waiting writer in between batches. Callers hold bench_lock; a fatal
 * signal ends the run.
 *
 * Return: 0, or a negative errno with @err filled.
 */
int pgm_bench_run(struct pgm_instance *inst, const struct pgm_bench_args *a,
		  char *err, size_t errlen)
{
	bool frag = a->shape == PGM_BENCH_FRAG;
	gfp_t gfp = (frag ? PGM_BENCH_FRAG_GFP : GFP_KERNEL | __GFP_NOWARN) |
		    (a->zero ? __GFP_ZERO : 0);
	struct pgm_bench_frag fs[2] = { };
	u64 mirror[PGM_BENCH_MAX_REPS], host[PGM_BENCH_MAX_REPS];
	u64 ratio[PGM_BENCH_MAX_REPS];
	unsigned int nr = a->threads > 1 ? a->threads : 0, slot_sets = nr ?: 1;
	struct pgm_bench_team team = { .inst = inst, .a = a, .gfp = gfp };
	struct pgm_bench_worker *w;
	struct pgm_bench_pcp hp, *saved;
	u64 ops = (u64)a->count * (nr ?: 1);
	struct pgm_zone *mz;
	struct zone *hz;
	unsigned int r, i, mid = (a->reps - 1) / 2;
	bool mirror_init, mirror_init_free;
	int ret = 0, pinned, nid;

	/* The host would zero what the mirror, with no memory, could not */
	if (a->zero && !inst->backing) {
		snprintf(err, errlen,
			 "zero=1 on an instance without memory (backing=none)");
		return -EINVAL;
	}
	/*
	 * A replay pins cpu_override for each line only while it holds
	 * iface_lock: read under it, what is left is a pin of the caller's
	 */
	if (down_read_killable(&inst->iface_lock)) {
		snprintf(err, errlen, "bench interrupted by a fatal signal");
		return -EINTR;
	}
	pinned = READ_ONCE(inst->cpu_override);
	nid = pgm_cpu_to_node(inst, pgm_this_cpu(inst));
	up_read(&inst->iface_lock);
	team.nid = nid;
	/* Each thread on its own CPU, with its own pcp of the mirror's */
	if (nr && (nr > num_online_cpus() || nr > inst->nr_cpus)) {
		snprintf(err, errlen,
			 "threads=%u: %u CPUs online, %u pcp CPUs in the instance",
			 nr, num_online_cpus(), inst->nr_cpus);
		return -EINVAL;
	}
	if (nr && pinned >= 0) {
		snprintf(err, errlen,
			 "threads=%u: every caller is pinned to pcp CPU %d",
			 nr, pinned);
		return -EINVAL;
	}

	mz = pgm_next_zones_zonelist(inst->node_data[nid]
				     .node_zonelists[PGM_ZONELIST_FALLBACK]
				     ._zonerefs, pgm_gfp_zone(gfp), NULL)->zone;
	hz = pgm_bench_host_pcp(gfp, &hp);
	if (frag) {
		ret = pgm_bench_frag_setup(inst, nid, hz, mz, fs, err, errlen);
		if (ret)
			return ret;
		for (i = 0; i < ARRAY_SIZE(fs); i++) {
			fs[i].gfp = gfp;
			fs[i].stop = &team.stop;
			fs[i].dying = &inst->dying;
		}
		team.frag = fs;
	} else if (!mz || !hz) {
		snprintf(err, errlen, "no zone for GFP_KERNEL on one side");
		return -ENOMEM;
	}

	/*
	 * A bulk call takes 256 blocks, or a quarter of the instance over
	 * the threads if that is less. A burst crosses batch and high on both
	 * sides: pcp high grows with a run of frees up to high_max, so it
	 * takes high_max and two batches' worth of the host zone's pcp sizes
	 * (the mirror's zone has them for the run), at least 256 blocks, at
	 * most half the instance over the threads.
	 */
	team.burst = 1;
	if (a->shape == PGM_BENCH_BURST)
		team.burst = min_t(unsigned long,
				   max_t(unsigned long, PGM_BENCH_BURST_LEN,
					 DIV_ROUND_UP(hp.high_max + 2 * hp.batch,
						      1U << a->order)),
				   (inst->nr_pages / 2 / slot_sets) >> a->order);
	else if (a->shape != PGM_BENCH_PAIR)
		team.burst = min_t(unsigned long,
				   (inst->nr_pages / 4 / slot_sets) >> a->order,
				   PGM_BENCH_BURST_LEN);
	team.burst = max(team.burst, 1U);
	init_waitqueue_head(&team.wq);
	w = kcalloc(slot_sets, sizeof(*w), GFP_KERNEL);
	saved = kmalloc_array(inst->nr_cpus, sizeof(*saved), GFP_KERNEL);
	for (i = 0; w && i < slot_sets; i++) {
		w[i].slots = kvmalloc_array(team.burst, sizeof(*w[i].slots),
					    GFP_KERNEL);
		if (!w[i].slots)
			break;
	}
	if (!w || !saved || i < slot_sets) {
		snprintf(err, errlen, "no memory for the bench");
		ret = -ENOMEM;
		goto out_free;
	}
	ret = pgm_bench_team_start(&team, w, nr, err, errlen);
	if (ret)
		goto out_stop;
	/*
	 * Both sides refill and drain in the same steps: for the run, the
	 * mirror's zone takes the pcp sizes of the host zone it is timed
	 * against (a smaller zone has a smaller batch and high).
	 */
	for (i = 0; i < inst->nr_cpus; i++)
		saved[i] = hp;
	pgm_bench_swap_pcp(inst, mz, saved, NULL);
	for (r = 0; r < a->reps && !ret; r++) {
		ret = pgm_bench_phase(&team, w, nr, false, &mirror[r], err,
				      errlen);
		if (!ret)
			ret = pgm_bench_phase(&team, w, nr, true, &host[r], err,
					      errlen);
		/* Hundredths, rounded, without floating point */
		if (!ret)
			ratio[r] = div64_u64(mirror[r] * 100 + host[r] / 2,
					     host[r]);
	}
	pgm_bench_swap_pcp(inst, mz, saved, &hp);
out_stop:
	pgm_bench_team_stop(w, nr);
out_free:
	for (i = 0; w && i < slot_sets; i++)
		kvfree(w[i].slots);
	kfree(w);
	kfree(saved);
	kvfree(fs[0].pages);
	if (ret)
		return ret;

	sort(mirror, a->reps, sizeof(u64), pgm_bench_cmp, NULL);
	sort(host, a->reps, sizeof(u64), pgm_bench_cmp, NULL);
	sort(ratio, a->reps, sizeof(u64), pgm_bench_cmp, NULL);
	/*
	 * With init_on_alloc a side zeroes every page it hands out (the
	 * mirror's gives way to page poisoning, as upstream's): say so, so
	 * that nobody compares unlike work.
	 */
	mirror_init = READ_ONCE(inst->tun.init_on_alloc) &&
		      !READ_ONCE(inst->tun.page_poisoning);
	mirror_init_free = READ_ONCE(inst->tun.init_on_free) &&
			   !READ_ONCE(inst->tun.page_poisoning);
	spin_lock(&inst->status_lock);
	scnprintf(inst->bench_result, sizeof(inst->bench_result),
		  "order=%u count=%u shape=%s reps=%u zero=%d threads=%u pgmirror_ns_per_op=%llu host_ns_per_op=%llu ratio=%llu.%02llu ratio_min=%llu.%02llu ratio_max=%llu.%02llu host_init_on_alloc=%d pgmirror_init_on_alloc=%d pcp_batch=%d pcp_high_min=%d pcp_high_max=%d burst=%u pgmirror_ns_min=%llu pgmirror_ns_max=%llu host_ns_min=%llu host_ns_max=%llu host_init_on_free=%d pgmirror_init_on_free=%d",
		  a->order, a->count, pgm_bench_shape_name(a->shape), a->reps,
		  a->zero, nr ?: 1, div64_u64(mirror[mid], ops),
		  div64_u64(host[mid], ops),
		  div_u64(ratio[mid], 100), ratio[mid] % 100,
		  div_u64(ratio[0], 100), ratio[0] % 100,
		  div_u64(ratio[a->reps - 1], 100), ratio[a->reps - 1] % 100,
		  want_init_on_alloc(GFP_KERNEL), mirror_init, hp.batch,
		  hp.high_min, hp.high_max, frag ? 0 : team.burst,
		  div64_u64(mirror[0], ops),
		  div64_u64(mirror[a->reps - 1], ops),
		  div64_u64(host[0], ops), div64_u64(host[a->reps - 1], ops),
		  want_init_on_free(), mirror_init_free);
	spin_unlock(&inst->status_lock);
	return 0;
}

static int pgm_bench_show(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;
	char err[PGM_STATUS_LEN], line[PGM_BENCH_LEN];
	int ret = 0;

	if (mutex_lock_killable(&inst->bench_lock))
		return -EINTR;
	/* Before any write, a read runs the default benchmark */
	if (!READ_ONCE(inst->bench_result[0])) {
		const struct pgm_bench_args a = {
			.count = PGM_BENCH_DEFAULT_COUNT,
			.reps = PGM_BENCH_DEFAULT_REPS, .threads = 1,
		};

		ret = pgm_bench_run(inst, &a, err, sizeof(err));
		if (ret)
			pgm_status_err(inst, ret, err);
	}
	mutex_unlock(&inst->bench_lock);
	if (ret)
		return ret;
	spin_lock(&inst->status_lock);
	strscpy(line, inst->bench_result, sizeof(line));
	spin_unlock(&inst->status_lock);
	seq_printf(m, "%s\n", line);
	return 0;
}

static int pgm_bench_open(struct inode *inode, struct file *file)
{
	return single_open(file, pgm_bench_show, inode->i_private);
}

static ssize_t pgm_bench_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct pgm_instance *inst = m->private;
	char buf[PGM_WRITE_BUF], err[PGM_STATUS_LEN];
	size_t n = min_t(size_t, len, sizeof(buf));
	struct pgm_bench_args a;
	int ret;

	if (copy_from_user(buf, ubuf, n)) {
		pgm_status_err(inst, -EFAULT, "bad user buffer");
		return -EFAULT;
	}
	ret = pgm_parse_bench(buf, n, &a, err, sizeof(err));
	if (ret) {
		pgm_status_err(inst, ret, err);
		return ret;
	}
	if (mutex_lock_killable(&inst->bench_lock)) {
		pgm_status_err(inst, -EINTR,
			       "interrupted while waiting for the bench in progress");
		return -EINTR;
	}
	ret = pgm_bench_run(inst, &a, err, sizeof(err));
	mutex_unlock(&inst->bench_lock);
	if (ret) {
		pgm_status_err(inst, ret, err);
		return ret;
	}
	pgm_status_ok(inst, "bench order=%u count=%u shape=%s reps=%u done; read bench",
		      a.order, a.count, pgm_bench_shape_name(a.shape), a.reps);
	return len;
}

static const struct file_operations pgm_bench_fops = {
	.owner		= THIS_MODULE,
	.open		= pgm_bench_open,
	.read		= seq_read,
	.write		= pgm_bench_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* ========================= replay ========================= */

/*
 * An open replay file: its own unfinished line, so that two writers, or a
 * writer killed between two writes and the next one, never splice lines
 */
struct pgm_replay_file {
	struct pgm_instance *inst;
	struct mutex lock;		/* one write at a time through this file */
	struct pgm_replay_writer wr;	/* under @lock */
};

static int pgm_replay_file_show(struct seq_file *m, void *v)
{
	struct pgm_replay_file *rf = m->private;

	pgm_replay_show(m, rf->inst);
	return 0;
}

static int pgm_replay_open(struct inode *inode, struct file *file)
{
	struct pgm_replay_file *rf = kzalloc(sizeof(*rf), GFP_KERNEL);
	int ret;

	if (!rf)
		return -ENOMEM;
	rf->inst = inode->i_private;
	mutex_init(&rf->lock);
	ret = single_open(file, pgm_replay_file_show, rf);
	if (ret) {
		mutex_destroy(&rf->lock);
		kfree(rf);
	}
	return ret;
}

/* A line left without its end by the last write is dropped with the file */
static int pgm_replay_file_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct pgm_replay_file *rf = m->private;

	mutex_destroy(&rf->lock);
	kfree(rf);
	return single_release(inode, file);
}

/* Copied a chunk at a time with no lock held, then replayed under iface_lock */
#define PGM_REPLAY_CHUNK	(4 * PAGE_SIZE)

/* Why a replay write stopped before its end: a status line, an errno */
static int pgm_replay_stopped(struct pgm_instance *inst, size_t done)
{
	char why[PGM_STATUS_LEN];

	snprintf(why, sizeof(why), "replay: %s; %zu bytes of the write replayed",
		 READ_ONCE(inst->dying) ? "the instance is going away" :
		 "interrupted by a fatal signal", done);
	pgm_status_err(inst, -EINTR, why);
	return -EINTR;
}

static ssize_t pgm_replay_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct pgm_replay_file *rf = m->private;
	struct pgm_instance *inst = rf->inst;
	struct pgm_iface_writer w = { };
	size_t done = 0, n, used;
	char *buf;
	int ret = 0;

	/* A failure is the status line's to report */
	buf = kmalloc(PGM_REPLAY_CHUNK, GFP_KERNEL | __GFP_NOWARN);
	if (!buf) {
		pgm_status_err(inst, -ENOMEM,
			       "replay: no memory for the copy buffer");
		return -ENOMEM;
	}
	/* Two threads writing one file would share its unfinished line */
	if (mutex_lock_killable(&rf->lock)) {
		kfree(buf);
		return pgm_replay_stopped(inst, 0);
	}
	pgm_iface_writer_add(inst, &w);
	while (done < len) {
		n = min_t(size_t, len - done, PGM_REPLAY_CHUNK);
		if (copy_from_user(buf, ubuf + done, n)) {
			pgm_status_err(inst, -EFAULT, "replay: bad user buffer");
			ret = -EFAULT;
			break;
		}
		/* An uncontended lock never looks at signals: look here */
		if (fatal_signal_pending(current) || READ_ONCE(inst->dying) ||
		    pgm_iface_write_lock(inst, &w)) {
			/* No retry comes: its half line must not start the next */
			pgm_replay_drop_partial(&rf->wr);
			ret = pgm_replay_stopped(inst, done);
			break;
		}
		/* "reset" alone in a write: free what the replay holds */
		if (!done && (len == 5 || len == 6) && !memcmp(buf, "reset", 5) &&
		    (len == 5 || buf[5] == '\n')) {
			pgm_replay_reset(inst);
			pgm_replay_drop_partial(&rf->wr);
			pgm_status_ok(inst, "replay reset");
			pgm_iface_write_unlock(inst, &w);
			done = len;
			break;
		}
		ret = pgm_replay_feed(inst, &rf->wr, buf, n, &used);
		pgm_iface_write_unlock(inst, &w);
		/* What was replayed is written: a retry must not replay it again */
		done += used;
		if (ret) {
			ret = pgm_replay_stopped(inst, done);
			break;
		}
	}
	pgm_iface_writer_del(inst, &w);
	mutex_unlock(&rf->lock);
	kfree(buf);
	return done ? done : ret;
}

static const struct file_operations pgm_replay_fops = {
	.owner		= THIS_MODULE,
	.open		= pgm_replay_open,
	.read		= seq_read,
	.write		= pgm_replay_write,
	.llseek		= seq_lseek,
	.release	= pgm_replay_file_release,
};

/* ========================= explain ========================= */

static int pgm_explain_show(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;

	/* The text is the claimant's to write until its request ends */
	if (mutex_lock_killable(&inst->explain_lock))
		return -EINTR;
	if (inst->explain && inst->explain->task)
		seq_puts(m, "an explained request is in progress: read again once its write returns\n");
	else if (inst->explain && inst->explain->len)
		seq_puts(m, inst->explain->buf);
	else
		seq_puts(m, "no request explained yet: alloc ... explain=1\n");
	mutex_unlock(&inst->explain_lock);
	return 0;
}

/* Every tunable as a set argument: one instance's file configures another */
static int pgm_tunables_show(struct seq_file *m, void *v)
{
	struct pgm_instance *inst = m->private;
	char line[PGM_TUNABLE_LEN];
	int key, mt;

	/* A fallbacks row or the reserve ratios are written a field at a time */
	if (mutex_lock_killable(&inst->tunables_lock))
		return -EINTR;
	for (key = 0; key < PGM_NR_SET_KEYS; key++) {
		/* A kernel built without THP has no enabled file */
		if (key == PGM_SET_TRANSPARENT_HUGEPAGE &&
		    READ_ONCE(inst->tun.transparent_hugepage) == PGM_THP_NONE)
			continue;
		if (key != PGM_SET_FALLBACKS) {
			seq_printf(m, "%s\n", pgm_format_tunable(&inst->tun, key,
								 0, line,
								 sizeof(line)));
			continue;
		}
		for (mt = 0; mt < PGM_MIGRATE_PCPTYPES; mt++)
			seq_printf(m, "%s\n", pgm_format_tunable(&inst->tun, key,
								 mt, line,
								 sizeof(line)));
	}
	mutex_unlock(&inst->tunables_lock);
	return 0;
}

/* ========================= the tree ========================= */

DEFINE_SHOW_ATTRIBUTE(pgm_tunables);
DEFINE_SHOW_ATTRIBUTE(pgm_explain);

DEFINE_SHOW_ATTRIBUTE(pgm_buddyinfo);
DEFINE_SHOW_ATTRIBUTE(pgm_pagetypeinfo);
DEFINE_SHOW_ATTRIBUTE(pgm_zoneinfo);
DEFINE_SHOW_ATTRIBUTE(pgm_extfrag);
DEFINE_SHOW_ATTRIBUTE(pgm_unusable);
DEFINE_SEQ_ATTRIBUTE(pgm_pageblocks);

/**
 * pgm_debugfs_init() - create an instance's debugfs directory
 * @inst: the instance; its name names the directory
 * @root: the module's /sys/kernel/debug/pgmirror/
 *
 * Creates @root/<name>/ and its files.
 *
 * Return: 0, -EEXIST if something of that name is already there, or the
 * error debugfs gave.
 */
int pgm_debugfs_init(struct pgm_instance *inst, struct dentry *root)
{
	struct dentry *dir;

	dir = debugfs_lookup(inst->name, root);
	if (dir) {
		dput(dir);
		return -EEXIST;
	}
	dir = debugfs_create_dir(inst->name, root);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	inst->dir = dir;

	debugfs_create_file("control", 0600, dir, inst, &pgm_control_fops);
	debugfs_create_file("allocations", 0400, dir, inst,
			    &pgm_allocations_fops);
	debugfs_create_file("owners", 0400, dir, inst, &pgm_owners_fops);
	debugfs_create_file("stats", 0400, dir, inst,
			    &pgm_debugfs_stats_fops);
	debugfs_create_file("verify", 0400, dir, inst, &pgm_debugfs_verify_fops);
	debugfs_create_file("bench", 0600, dir, inst, &pgm_bench_fops);
	debugfs_create_file("buddyinfo", 0400, dir, inst,
			    &pgm_buddyinfo_fops);
	debugfs_create_file("pagetypeinfo", 0400, dir, inst,
			    &pgm_pagetypeinfo_fops);
	debugfs_create_file("zoneinfo", 0400, dir, inst, &pgm_zoneinfo_fops);
	debugfs_create_file("extfrag_index", 0400, dir, inst,
			    &pgm_extfrag_fops);
	debugfs_create_file("unusable_index", 0400, dir, inst,
			    &pgm_unusable_fops);
	debugfs_create_file("pageblocks", 0400, dir, inst, &pgm_pageblocks_fops);
	debugfs_create_file("tunables", 0400, dir, inst, &pgm_tunables_fops);
	debugfs_create_file("replay", 0600, dir, inst, &pgm_replay_fops);
	debugfs_create_file("explain", 0400, dir, inst, &pgm_explain_fops);
	pgm_fail_page_alloc_debugfs(inst, dir);
	return 0;
}

/**
 * pgm_debugfs_exit() - remove an instance's debugfs directory
 * @inst: the instance
 *
 * Waits for file operations in flight, so the instance may be destroyed
 * afterwards.
 */
void pgm_debugfs_exit(struct pgm_instance *inst)
{
	if (IS_ERR_OR_NULL(inst->dir))
		return;
	debugfs_remove(inst->dir);
	inst->dir = NULL;
}
