/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgmirror: fault injection for the mirror's allocations, the per-instance
 * counterpart of the fail_page_alloc state in mm/fail_page_alloc.c.
 */
#ifndef _PGMIRROR_FAIL_PAGE_ALLOC_H
#define _PGMIRROR_FAIL_PAGE_ALLOC_H

#include <linux/fault-inject.h>
#include <linux/types.h>

struct dentry;
struct pgm_instance;

#ifdef CONFIG_FAULT_INJECTION
/**
 * struct pgm_fail_page_alloc - one instance's fail_page_alloc settings
 * @attr: the kernel's fault_attr: probability, interval, times, space,
 *	verbose, task-filter; its counters are atomics or tolerate races,
 *	as upstream's
 * @ignore_gfp_highmem: never fail requests with __GFP_HIGHMEM
 * @ignore_gfp_reclaim: never fail requests with __GFP_DIRECT_RECLAIM
 *	(the "ignore-gfp-wait" file)
 * @min_order: never fail requests below this order
 *
 * No lock: debugfs writes the fields and allocations read them without
 * one, as upstream does with its single global copy. Defined only with
 * CONFIG_FAULT_INJECTION (6.1 has no struct fault_attr without it);
 * inst->fail_page_alloc is NULL otherwise.
 */
struct pgm_fail_page_alloc {
	struct fault_attr attr;
	bool ignore_gfp_highmem;
	bool ignore_gfp_reclaim;
	u32 min_order;
};
#endif

void pgm_fail_page_alloc_debugfs(struct pgm_instance *inst,
				 struct dentry *dir);

#endif /* _PGMIRROR_FAIL_PAGE_ALLOC_H */
