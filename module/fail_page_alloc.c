// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the mirror of mm/fail_page_alloc.c.
 *
 * Each instance has its own fault_attr and its own fail_page_alloc/
 * directory, so failures injected into one instance never touch another
 * or the host's allocator. It needs CONFIG_FAULT_INJECTION (and the
 * directory CONFIG_FAULT_INJECTION_DEBUG_FS); without it nothing is ever
 * failed and inst->fail_page_alloc stays NULL.
 */

#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>

#include "fail_page_alloc.h"
#include "pgmirror.h"

#ifdef CONFIG_FAULT_INJECTION

/*
 * should_fail_ex() is not exported, so the module build uses should_fail(),
 * which is: it cannot be told __GFP_NOWARN, and so reports every injected
 * failure that the fault_attr's verbose setting asks for.
 */
static bool pgm_should_fail_ex(struct fault_attr *attr, ssize_t size,
			       int flags)
{
#ifdef MODULE
	return should_fail(attr, size);
#else
	return should_fail_ex(attr, size, flags);
#endif
}

/**
 * pgm_fail_page_alloc_init() - give an instance its fault injection state
 * @inst: the instance, being created
 *
 * The defaults are upstream's: a FAULT_ATTR_INITIALIZER attribute (so
 * probability 0: nothing fails until configured), min-order 1, and
 * requests that may sleep or that ask for highmem left alone.
 *
 * Return: 0, or -ENOMEM.
 */
int pgm_fail_page_alloc_init(struct pgm_instance *inst)
{
	struct pgm_fail_page_alloc *f;
	struct ratelimit_state *rs;

	f = pgm_meta_zalloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->attr = (struct fault_attr)FAULT_ATTR_INITIALIZER;
	/*
	 * The initializer's lock is meant for static storage; lockdep wants a
	 * real init for one on the heap. Keep its interval and burst.
	 */
	rs = &f->attr.ratelimit_state;
	ratelimit_state_init(rs, rs->interval, rs->burst);
	f->ignore_gfp_highmem = true;
	f->ignore_gfp_reclaim = true;
	f->min_order = 1;

	inst->fail_page_alloc = f;
	return 0;
}

#ifdef FAULT_ATTR_DNAME_LEN
static void pgm_fault_attr_dir_put(struct fault_attr *attr)
{
}
#else
/*
 * Older kernels (6.1 among them): fault_create_debugfs_attr() keeps a
 * reference on the directory it made (attr->dname, a dentry), which its
 * owner puts when the attr goes; later ones keep only the name.
 */
static void pgm_fault_attr_dir_put(struct fault_attr *attr)
{
	dput(attr->dname);
}
#endif

/**
 * pgm_fail_page_alloc_exit() - free an instance's fault injection state
 * @inst: the instance, being destroyed; its debugfs files are gone
 */
void pgm_fail_page_alloc_exit(struct pgm_instance *inst)
{
	if (inst->fail_page_alloc)
		pgm_fault_attr_dir_put(&inst->fail_page_alloc->attr);
	pgm_meta_free(inst->fail_page_alloc);
	inst->fail_page_alloc = NULL;
}

/**
 * __pgm_should_fail_alloc_page() - should_fail_alloc_page(): inject a failure?
 * @inst: the instance, with fault injection set up
 * @gfp: the request's gfp mask
 * @order: the request's order
 *
 * __GFP_NOFAIL requests, requests below min-order and, while their ignore
 * switches are on, requests that may enter direct reclaim or that ask for
 * highmem are never failed. The rest are up to the fault_attr, which sees
 * the request as 2^@order units of its "space".
 *
 * Return: true to make the allocation fail before it looks at any zone.
 */
bool __pgm_should_fail_alloc_page(struct pgm_instance *inst, gfp_t gfp,
				  unsigned int order)
{
	struct pgm_fail_page_alloc *f = inst->fail_page_alloc;
	int flags = 0;

	if (order < f->min_order)
		return false;
	if (gfp & __GFP_NOFAIL)
		return false;
	if (f->ignore_gfp_highmem && (gfp & __GFP_HIGHMEM))
		return false;
	if (f->ignore_gfp_reclaim && (gfp & __GFP_DIRECT_RECLAIM))
		return false;

	/* A caller that asked for no warning gets no report either */
	if (gfp & __GFP_NOWARN)
		flags |= FAULT_NOWARN;

	return pgm_should_fail_ex(&f->attr, 1 << order, flags);
}

#else /* !CONFIG_FAULT_INJECTION */

int pgm_fail_page_alloc_init(struct pgm_instance *inst)
{
	return 0;
}

void pgm_fail_page_alloc_exit(struct pgm_instance *inst)
{
}

bool __pgm_should_fail_alloc_page(struct pgm_instance *inst, gfp_t gfp,
				  unsigned int order)
{
	return false;
}

#endif /* CONFIG_FAULT_INJECTION */

/**
 * pgm_fail_page_alloc_debugfs() - create an instance's fail_page_alloc/
 * @inst: the instance
 * @dir: the instance's debugfs directory
 *
 * Creates @dir/fail_page_alloc/ with the fault_attr files of
 * fault_create_debugfs_attr() and ignore-gfp-wait, ignore-gfp-highmem and
 * min-order, all root-only as upstream's. Removing @dir recursively
 * removes them. Does nothing without CONFIG_FAULT_INJECTION_DEBUG_FS.
 */
void pgm_fail_page_alloc_debugfs(struct pgm_instance *inst,
				 struct dentry *dir)
{
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	struct pgm_fail_page_alloc *f = inst->fail_page_alloc;
	const umode_t mode = 0600;
	struct dentry *fdir;

	if (!f)
		return;
	fdir = fault_create_debugfs_attr("fail_page_alloc", dir, &f->attr);
	if (IS_ERR(fdir))
		return;
	debugfs_create_bool("ignore-gfp-wait", mode, fdir,
			    &f->ignore_gfp_reclaim);
	debugfs_create_bool("ignore-gfp-highmem", mode, fdir,
			    &f->ignore_gfp_highmem);
	debugfs_create_u32("min-order", mode, fdir, &f->min_order);
#endif
}
