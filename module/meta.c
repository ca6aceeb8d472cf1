// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: its own metadata.
 *
 * Instances, their tables and per-CPU counters, owners and allocation
 * records all come from these wrappers and go back through their frees, so
 * that one fault_attr can fail each allocation site in turn and a count of
 * what is live shows a leak. Like failslab's, the setting is the module's,
 * not an instance's: it belongs to no allocator. So does the kmem_cache
 * the allocation records come from.
 */

#include <linux/atomic.h>
#include <linux/fault-inject.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "pgmirror.h"
#include "lru.h"

/* Blocks handed out and not yet freed */
static atomic_long_t pgm_meta_live = ATOMIC_LONG_INIT(0);

/* Allocation records: one per handle, all of one size, made and freed often */
static struct kmem_cache *pgm_record_cache;

#ifdef CONFIG_FAULT_INJECTION
static DECLARE_FAULT_ATTR(pgm_fail_meta);

/**
 * pgm_meta_should_fail() - inject a failure at a metadata allocation site?
 *
 * Sites that allocate through another API (xa_alloc(), the host's pages
 * behind a borrowed backing) ask before they call it.
 *
 * Return: true to fail this allocation.
 */
bool pgm_meta_should_fail(void)
{
	return should_fail(&pgm_fail_meta, 1);
}

/**
 * pgm_meta_fail_nth() - fail the @n-th metadata allocation of this task
 * @n: 1 for the next one; 0 stops injecting
 *
 * For KUnit: only the calling task is failed (the fault_attr's task
 * filter), once, silently.
 */
void pgm_meta_fail_nth(unsigned int n)
{
	struct fault_attr *attr = &pgm_fail_meta;

	current->make_it_fail = !!n;
	attr->task_filter = true;
	attr->verbose = 0;
	attr->probability = n ? 100 : 0;
	attr->interval = max(n, 1U);
	attr->count = 0;
	atomic_set(&attr->space, 0);
	atomic_set(&attr->times, n ? 1 : 0);
}
#else
bool pgm_meta_should_fail(void)
{
	return false;
}

void pgm_meta_fail_nth(unsigned int n)
{
}
#endif

static void *pgm_meta_account(void *p)
{
	if (p)
		atomic_long_inc(&pgm_meta_live);
	return p;
}

/**
 * pgm_meta_zalloc() - a zeroed metadata object of @size bytes
 * @size: bytes
 *
 * Return: the object, or NULL.
 */
void *pgm_meta_zalloc(size_t size)
{
	if (pgm_meta_should_fail())
		return NULL;
	return pgm_meta_account(kzalloc(size, GFP_KERNEL));
}

/**
 * pgm_meta_calloc() - a zeroed array, from the slab or from vmalloc
 * @n: elements
 * @size: bytes per element
 *
 * Return: the array, or NULL (silently: the size may be the user's).
 */
void *pgm_meta_calloc(size_t n, size_t size)
{
	if (pgm_meta_should_fail())
		return NULL;
	return pgm_meta_account(kvcalloc(n, size, GFP_KERNEL | __GFP_NOWARN));
}

/**
 * pgm_meta_vzalloc() - a large zeroed table, as the memmap
 * @size: bytes; may be more than kvmalloc() takes
 *
 * Large but legitimate: it fails quietly rather than OOM-kill for it.
 *
 * Return: the table, or NULL.
 */
void *pgm_meta_vzalloc(size_t size)
{
	if (pgm_meta_should_fail())
		return NULL;
	return pgm_meta_account(__vmalloc(size, GFP_KERNEL | __GFP_ZERO |
					  __GFP_NOWARN | __GFP_RETRY_MAYFAIL));
}

/*
 * Upstream's memmap is boot memory, physically contiguous and mapped with
 * large pages. A built-in pgmirror can have the same from
 * alloc_contig_pages(); a module cannot (it is not exported), nor can a
 * kernel without CONFIG_CONTIG_ALLOC. In UML it matters most: every page
 * of a vmalloc() area costs a host mmap() there.
 */
#if defined(CONFIG_CONTIG_ALLOC) && !defined(MODULE)
static void *pgm_meta_contig_alloc(size_t size)
{
	int nid = numa_node_id();
	nodemask_t local = nodemask_of_node(nid);
	struct page *page;

	/*
	 * It takes free pages with no watermark check: from this node only,
	 * and never more than half of what is free there, so that the zones
	 * keep their reserves
	 */
	if (PFN_UP(size) > sum_zone_node_page_state(nid, NR_FREE_PAGES) / 2)
		return NULL;
	page = alloc_contig_pages(PFN_UP(size), GFP_KERNEL | __GFP_NOWARN,
				  nid, &local);
	return page ? page_address(page) : NULL;
}

static void pgm_meta_contig_free(const void *p, size_t size)
{
	free_contig_range(PFN_DOWN(__pa(p)), PFN_UP(size));
}
#else
static void *pgm_meta_contig_alloc(size_t size)
{
	return NULL;
}

static void pgm_meta_contig_free(const void *p, size_t size)
{
}
#endif

/* Only areas larger than the slab gives out come from alloc_contig_pages() */
static bool pgm_meta_is_contig(const void *p, size_t size)
{
	return size > KMALLOC_MAX_SIZE && !is_vmalloc_addr(p);
}

/**
 * pgm_meta_kvmalloc() - a large area its caller initialises whole
 * @size: bytes
 *
 * For the memmap, which init_zone() writes page by page anyway: zeroing
 * it first would touch every byte twice. Contiguous pages when one quick
 * try finds them, as kvmalloc() (no page tables to build, and the direct
 * map's large pages behind it); past the slab's largest, a contiguous
 * range where the kernel can give one; else vmalloc(), which may retry
 * but fails rather than OOM-kill for it. Not kvmalloc() itself: given
 * __GFP_RETRY_MAYFAIL it would retry the contiguous try as hard.
 *
 * Return: the area, to be freed by pgm_meta_kvfree() with the same @size,
 * or NULL.
 */
void *pgm_meta_kvmalloc(size_t size)
{
	void *p = NULL;

	if (pgm_meta_should_fail())
		return NULL;
	if (size <= KMALLOC_MAX_SIZE)
		p = kmalloc(size, GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY);
	else
		p = pgm_meta_contig_alloc(size);
	if (!p)
		p = __vmalloc(size, GFP_KERNEL | __GFP_NOWARN |
			      __GFP_RETRY_MAYFAIL);
	return pgm_meta_account(p);
}

/**
 * pgm_meta_kvfree() - free what pgm_meta_kvmalloc() returned
 * @p: the area, or NULL
 * @size: the size it was asked for
 */
void pgm_meta_kvfree(const void *p, size_t size)
{
	if (!p || !pgm_meta_is_contig(p, size)) {
		pgm_meta_free(p);
		return;
	}
	atomic_long_dec(&pgm_meta_live);
	pgm_meta_contig_free(p, size);
}

/**
 * pgm_meta_free() - free what a pgm_meta_*alloc() returned
 * @p: the object, or NULL
 *
 * Not for pgm_meta_kvmalloc()'s areas: pgm_meta_kvfree() takes those.
 */
void pgm_meta_free(const void *p)
{
	if (!p)
		return;
	atomic_long_dec(&pgm_meta_live);
	kvfree(p);
}

/**
 * pgm_meta_percpu_alloc() - a zeroed per-CPU area, failed and counted as
 * the other metadata is
 * @size: bytes on each CPU
 * @align: its alignment
 *
 * Through pgm_meta_alloc_percpu(), which takes the type.
 *
 * Return: the area, to be freed by pgm_meta_percpu_free(), or NULL.
 */
void __percpu *pgm_meta_percpu_alloc(size_t size, size_t align)
{
	void __percpu *p;

	if (pgm_meta_should_fail())
		return NULL;
	p = __alloc_percpu(size, align);
	if (p)
		atomic_long_inc(&pgm_meta_live);
	return p;
}

/**
 * pgm_meta_percpu_free() - free what pgm_meta_percpu_alloc() returned
 * @p: the area, or NULL
 */
void pgm_meta_percpu_free(void __percpu *p)
{
	if (!p)
		return;
	atomic_long_dec(&pgm_meta_live);
	free_percpu(p);
}

/**
 * pgm_meta_nr_live() - metadata objects allocated and not freed
 *
 * Return: the count, over every instance.
 */
long pgm_meta_nr_live(void)
{
	return atomic_long_read(&pgm_meta_live);
}

/**
 * pgm_meta_init() - create the allocation records' kmem_cache
 *
 * Return: 0, or -ENOMEM.
 */
int pgm_meta_init(void)
{
	pgm_record_cache = KMEM_CACHE(pgm_alloc, 0);
	return pgm_record_cache ? 0 : -ENOMEM;
}

/**
 * pgm_meta_exit() - destroy it, every record being freed
 */
void pgm_meta_exit(void)
{
	/* Records still waiting for their grace period */
	rcu_barrier();
	kmem_cache_destroy(pgm_record_cache);
	pgm_record_cache = NULL;
}

/**
 * pgm_meta_record_alloc() - a struct pgm_alloc from the cache
 *
 * Not zeroed: the caller writes it whole, with the stores it needs anyway,
 * where a memset() call was a tenth of the record's cost.
 *
 * Return: the record, or NULL.
 */
void *pgm_meta_record_alloc(void)
{
	if (pgm_meta_should_fail())
		return NULL;
	return pgm_meta_account(kmem_cache_alloc(pgm_record_cache,
						 PGM_META_GFP));
}

static void pgm_meta_record_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(pgm_record_cache,
			container_of(head, struct pgm_alloc, rcu));
}

/**
 * pgm_meta_record_free() - free what pgm_meta_record_alloc() returned
 * @a: the record, or NULL
 *
 * It stops counting as live now and goes back to the cache after a grace
 * period, so that a walker of the handles xarray that found it under
 * rcu_read_lock() can still read it.
 */
void pgm_meta_record_free(struct pgm_alloc *a)
{
	if (!a)
		return;
	atomic_long_dec(&pgm_meta_live);
	call_rcu(&a->rcu, pgm_meta_record_free_rcu);
}

/**
 * pgm_meta_record_free_now() - pgm_meta_record_free() with no grace period
 * @a: the record, which no walker can reach
 */
void pgm_meta_record_free_now(struct pgm_alloc *a)
{
	atomic_long_dec(&pgm_meta_live);
	kmem_cache_free(pgm_record_cache, a);
}
