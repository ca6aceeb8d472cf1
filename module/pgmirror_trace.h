/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgmirror: the pgmirror trace system.
 *
 * The kmem page events with kmem's field names and print formats, each
 * with the instance's name in front and without page= (pgmirror prints
 * its own pfns, never a pointer), and the decisions upstream makes without
 * an event: a zone skipped, a fallback claimed or stolen, a highatomic
 * block reserved or given back; and each step of the slow path, where
 * the wakeup, reclaim and compaction steps stand in for upstream's vmscan
 * and compaction events, which have no mirror.
 *
 * Built into a kernel (the KUnit kernels), the kmem names would clash with
 * kmem's own tracepoints, so there they carry a pgm_ prefix.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pgmirror

#if !defined(_PGMIRROR_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PGMIRROR_TRACE_H

#include <linux/tracepoint.h>
#include <trace/events/mmflags.h>
#include "mmzone.h"

/* Each event's first probe and last unprobe turn pgm_hooks_key */
int pgm_trace_hooks_reg(void);
void pgm_trace_hooks_unreg(void);

#ifndef PGM_EV
#ifdef MODULE
#define PGM_EV(x)	x
#else
#define PGM_EV(x)	pgm_##x
#endif
/* pgm_trace(mm_page_alloc, ...) calls trace_mm_page_alloc() or its twin */
#define PGM_TRACE_CALL_(x)	trace_##x
#define PGM_TRACE_CALL(x)	PGM_TRACE_CALL_(x)
#define pgm_trace(ev, ...)	PGM_TRACE_CALL(PGM_EV(ev))(__VA_ARGS__)
#define PGM_TRACE_ON_(x)	trace_##x##_enabled
#define PGM_TRACE_ON(x)		PGM_TRACE_ON_(x)
#define pgm_trace_enabled(ev)	PGM_TRACE_ON(PGM_EV(ev))()
#define PGM_REGISTER_(x)	register_trace_##x
#define PGM_REGISTER(x)		PGM_REGISTER_(x)
#define pgm_register_trace(ev, ...) PGM_REGISTER(PGM_EV(ev))(__VA_ARGS__)
#define PGM_UNREGISTER_(x)	unregister_trace_##x
#define PGM_UNREGISTER(x)	PGM_UNREGISTER_(x)
#define pgm_unregister_trace(ev, ...) PGM_UNREGISTER(PGM_EV(ev))(__VA_ARGS__)
#endif

#define PGM_TRACE_INSTANCE				\
	__array(char, instance, PGM_NAME_LEN)

#define pgm_trace_assign_instance(inst)			\
	strscpy(__entry->instance, (inst)->name, PGM_NAME_LEN)

TRACE_EVENT_FN(PGM_EV(mm_page_alloc),
	       TP_PROTO(struct pgm_instance *inst, unsigned long pfn,
			unsigned int order, gfp_t gfp_flags, int migratetype),

	TP_ARGS(inst, pfn, order, gfp_flags, migratetype),

	TP_STRUCT__entry(PGM_TRACE_INSTANCE
		__field(unsigned long, pfn)
		__field(unsigned int, order)
		__field(unsigned long, gfp_flags)
		__field(int, migratetype)
	),

	TP_fast_assign(pgm_trace_assign_instance(inst);
		__entry->pfn = pfn;
		__entry->order = order;
		__entry->gfp_flags = (__force unsigned long)gfp_flags;
		__entry->migratetype = migratetype;
	),

	/* A failed request prints kmem's NULL page, so a replay skips it */
	TP_printk("instance=%s%s pfn=0x%lx order=%d migratetype=%d gfp_flags=%s",
		  __entry->instance,
		  __entry->pfn == -1UL ? " page=(null)" : "",
		  __entry->pfn != -1UL ? __entry->pfn : 0,
		  __entry->order, __entry->migratetype,
		  show_gfp_flags(__entry->gfp_flags)),

	pgm_trace_hooks_reg, pgm_trace_hooks_unreg
);

TRACE_EVENT_FN(PGM_EV(mm_page_free),
	       TP_PROTO(struct pgm_instance *inst, unsigned long pfn,
			unsigned int order),

	TP_ARGS(inst, pfn, order),

	TP_STRUCT__entry(PGM_TRACE_INSTANCE
		__field(unsigned long, pfn)
		__field(unsigned int, order)
	),

	TP_fast_assign(pgm_trace_assign_instance(inst);
		__entry->pfn = pfn;
		__entry->order = order;
	),

	TP_printk("instance=%s pfn=0x%lx order=%d", __entry->instance,
		  __entry->pfn, __entry->order),

	pgm_trace_hooks_reg, pgm_trace_hooks_unreg
);

TRACE_EVENT_FN(PGM_EV(mm_page_free_batched),
	       TP_PROTO(struct pgm_instance *inst, unsigned long pfn),

	TP_ARGS(inst, pfn),

	TP_STRUCT__entry(PGM_TRACE_INSTANCE
		__field(unsigned long, pfn)
	),

	TP_fast_assign(pgm_trace_assign_instance(inst);
		__entry->pfn = pfn;
	),

	TP_printk("instance=%s pfn=0x%lx order=0", __entry->instance,
		  __entry->pfn),

	pgm_trace_hooks_reg, pgm_trace_hooks_unreg
);

TRACE_EVENT_FN(PGM_EV(mm_page_alloc_zone_locked),
	       TP_PROTO(struct pgm_instance *inst, unsigned long pfn,
			unsigned int order, int migratetype, int percpu_refill),

	TP_ARGS(inst, pfn, order, migratetype, percpu_refill),

	TP_STRUCT__entry(PGM_TRACE_INSTANCE
		__field(unsigned long, pfn)
		__field(unsigned int, order)
		__field(int, migratetype)
		__field(int, percpu_refill)
	),

	TP_fast_assign(pgm_trace_assign_instance(inst);
		__entry->pfn = pfn;
		__entry->order = order;
		__entry->migratetype = migratetype;
		__entry->percpu_refill = percpu_refill;
	),

	TP_printk("instance=%s pfn=0x%lx order=%u migratetype=%d percpu_refill=%d",
		  __entry->instance, __entry->pfn, __entry->order,
		  __entry->migratetype, __entry->percpu_refill),

	pgm_trace_hooks_reg, pgm_trace_hooks_unreg
);

TRACE_EVENT_FN(PGM_EV(mm_page_pcpu_drain),
	       TP_PROTO(struct pgm_instance *inst, unsigned long pfn,
			unsigned int order, int migratetype),

	TP_ARGS(inst, pfn, order, migratetype),

	TP_STRUCT__entry(PGM_TRACE_INSTANCE
		__field(unsigned long, pfn)
		__field(unsigned int, order)
		__field(int, migratetype)
	),

	TP_fast_assign(pgm_trace_assign_instance(inst);
		__entry->pfn = pfn;
		__entry->order = order;
		__entry->migratetype = migratetype;
	),

	TP_printk("instance=%s pfn=0x%lx order=%d migratetype=%d",
		  __entry->instance, __entry->pfn, __entry->order,
		  __entry->migratetype),

	pgm_trace_hooks_reg, pgm_trace_hooks_unreg
);

TRACE_EVENT_FN(PGM_EV(mm_page_alloc_extfrag),
	       TP_PROTO(struct pgm_instance *inst, unsigned long pfn,
			int alloc_order, int fallback_order, int alloc_migratetype,
		 int fallback_migratetype, int change_ownership),

	TP_ARGS(inst, pfn, alloc_order, fallback_order, alloc_migratetype,
		fallback_migratetype, change_ownership),

	TP_STRUCT__entry(PGM_TRACE_INSTANCE
		__field(unsigned long, pfn)
		__field(int, alloc_order)
		__field(int, fallback_order)
		__field(int, alloc_migratetype)
		__field(int, fallback_migratetype)
		__field(int, change_ownership)
	),

	TP_fast_assign(pgm_trace_assign_instance(inst);
		__entry->pfn = pfn;
		__entry->alloc_order = alloc_order;
		__entry->fallback_order = fallback_order;
		__entry->alloc_migratetype = alloc_migratetype;
		__entry->fallback_migratetype = fallback_migratetype;
		__entry->change_ownership = change_ownership;
	),

	TP_printk("instance=%s pfn=0x%lx alloc_order=%d fallback_order=%d pageblock_order=%d alloc_migratetype=%d fallback_migratetype=%d fragmenting=%d change_ownership=%d",
		  __entry->instance, __entry->pfn, __entry->alloc_order,
		  __entry->fallback_order, PGM_PAGEBLOCK_ORDER,
		  __entry->alloc_migratetype, __entry->fallback_migratetype,
		  __entry->fallback_order < PGM_PAGEBLOCK_ORDER,
		  __entry->change_ownership),

	pgm_trace_hooks_reg, pgm_trace_hooks_unreg
);

TRACE_DEFINE_ENUM(PGM_SKIP_CPUSET);
TRACE_DEFINE_ENUM(PGM_SKIP_DIRTY);
TRACE_DEFINE_ENUM(PGM_SKIP_NOFRAGMENT);
TRACE_DEFINE_ENUM(PGM_SKIP_WATERMARK);
TRACE_DEFINE_ENUM(PGM_SKIP_NODE_RECLAIM);
TRACE_DEFINE_ENUM(PGM_SLOW_WAKE_KSWAPD);
TRACE_DEFINE_ENUM(PGM_SLOW_COMPACT);
TRACE_DEFINE_ENUM(PGM_SLOW_RECLAIM);
TRACE_DEFINE_ENUM(PGM_SLOW_RETRY);
TRACE_DEFINE_ENUM(PGM_SLOW_OOM);
TRACE_DEFINE_ENUM(PGM_SLOW_NOPAGE);
TRACE_DEFINE_ENUM(PGM_SLOW_SUCCESS);

TRACE_EVENT_FN(pgmirror_zone_skip,
	       TP_PROTO(struct pgm_instance *inst, int nid, const char *zone,
			int reason, unsigned int order, long free,
		 unsigned long mark, long lowmem_reserve),

	TP_ARGS(inst, nid, zone, reason, order, free, mark, lowmem_reserve),

	TP_STRUCT__entry(PGM_TRACE_INSTANCE
		__field(int, nid)
		__array(char, zone, 8)
		__field(int, reason)
		__field(unsigned int, order)
		__field(long, free)
		__field(unsigned long, mark)
		__field(long, lowmem_reserve)
	),

	TP_fast_assign(pgm_trace_assign_instance(inst);
		__entry->nid = nid;
		strscpy(__entry->zone, zone, sizeof(__entry->zone));
		__entry->reason = reason;
		__entry->order = order;
		__entry->free = free;
		__entry->mark = mark;
		__entry->lowmem_reserve = lowmem_reserve;
	),

	TP_printk("instance=%s nid=%d zone=%s reason=%s order=%u free=%ld mark=%lu lowmem_reserve=%ld",
		  __entry->instance, __entry->nid, __entry->zone,
		  __print_symbolic(__entry->reason,
				   { PGM_SKIP_CPUSET, "cpuset" },
				   { PGM_SKIP_DIRTY, "dirty_limit" },
				   { PGM_SKIP_NOFRAGMENT, "nofragment" },
				   { PGM_SKIP_WATERMARK, "watermark" },
				   { PGM_SKIP_NODE_RECLAIM, "node_reclaim" }),
		  __entry->order, __entry->free, __entry->mark,
		  __entry->lowmem_reserve),

	pgm_trace_hooks_reg, pgm_trace_hooks_unreg
);

TRACE_EVENT_FN(pgmirror_fallback,
	       TP_PROTO(struct pgm_instance *inst, unsigned long pfn,
			int start_migratetype, int fallback_migratetype,
		 unsigned int order, unsigned int fallback_order,
		 const char *decision, int free_pages, int alike_pages,
		 int threshold),

	TP_ARGS(inst, pfn, start_migratetype, fallback_migratetype, order,
		fallback_order, decision, free_pages, alike_pages, threshold),

	TP_STRUCT__entry(PGM_TRACE_INSTANCE
		__field(unsigned long, pfn)
		__field(int, start_migratetype)
		__field(int, fallback_migratetype)
		__field(unsigned int, order)
		__field(unsigned int, fallback_order)
		__array(char, decision, 8)
		__field(int, free_pages)
		__field(int, alike_pages)
		__field(int, threshold)
	),

	TP_fast_assign(pgm_trace_assign_instance(inst);
		__entry->pfn = pfn;
		__entry->start_migratetype = start_migratetype;
		__entry->fallback_migratetype = fallback_migratetype;
		__entry->order = order;
		__entry->fallback_order = fallback_order;
		strscpy(__entry->decision, decision, sizeof(__entry->decision));
		__entry->free_pages = free_pages;
		__entry->alike_pages = alike_pages;
		__entry->threshold = threshold;
	),

	TP_printk("instance=%s pfn=0x%lx start_migratetype=%d fallback_migratetype=%d order=%u fallback_order=%u decision=%s free_pages=%d alike_pages=%d threshold=%d",
		  __entry->instance, __entry->pfn, __entry->start_migratetype,
		  __entry->fallback_migratetype, __entry->order,
		  __entry->fallback_order, __entry->decision,
		  __entry->free_pages, __entry->alike_pages,
		  __entry->threshold),

	pgm_trace_hooks_reg, pgm_trace_hooks_unreg
);

TRACE_EVENT_FN(pgmirror_highatomic,
	       TP_PROTO(struct pgm_instance *inst, unsigned long pfn, bool reserve,
			unsigned long nr_reserved),

	TP_ARGS(inst, pfn, reserve, nr_reserved),

	TP_STRUCT__entry(PGM_TRACE_INSTANCE
		__field(unsigned long, pfn)
		__field(bool, reserve)
		__field(unsigned long, nr_reserved)
	),

	TP_fast_assign(pgm_trace_assign_instance(inst);
		__entry->pfn = pfn;
		__entry->reserve = reserve;
		__entry->nr_reserved = nr_reserved;
	),

	TP_printk("instance=%s pfn=0x%lx action=%s nr_reserved_highatomic=%lu",
		  __entry->instance, __entry->pfn,
		  __entry->reserve ? "reserve" : "unreserve",
		  __entry->nr_reserved),

	pgm_trace_hooks_reg, pgm_trace_hooks_unreg
);

TRACE_EVENT_FN(pgmirror_slowpath,
	       TP_PROTO(struct pgm_instance *inst, int step, unsigned int order,
			gfp_t gfp_flags, long result, const char *why),

	TP_ARGS(inst, step, order, gfp_flags, result, why),

	TP_STRUCT__entry(PGM_TRACE_INSTANCE
		__field(int, step)
		__field(unsigned int, order)
		__field(unsigned long, gfp_flags)
		__field(long, result)
		__array(char, why, 24)
	),

	TP_fast_assign(pgm_trace_assign_instance(inst);
		__entry->step = step;
		__entry->order = order;
		__entry->gfp_flags = (__force unsigned long)gfp_flags;
		__entry->result = result;
		strscpy(__entry->why, why, sizeof(__entry->why));
	),

	TP_printk("instance=%s step=%s order=%u gfp_flags=%s result=%ld why=%s",
		  __entry->instance,
		  __print_symbolic(__entry->step,
				   { PGM_SLOW_WAKE_KSWAPD, "wake_kswapd" },
				   { PGM_SLOW_COMPACT, "compact" },
				   { PGM_SLOW_RECLAIM, "reclaim" },
				   { PGM_SLOW_RETRY, "retry" },
				   { PGM_SLOW_OOM, "oom" },
				   { PGM_SLOW_NOPAGE, "nopage" },
				   { PGM_SLOW_SUCCESS, "success" }),
		  __entry->order, show_gfp_flags(__entry->gfp_flags),
		  __entry->result, __entry->why),

	pgm_trace_hooks_reg, pgm_trace_hooks_unreg
);

#endif /* _PGMIRROR_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE pgmirror_trace
#include <trace/define_trace.h>
