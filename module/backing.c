// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the memory behind an instance's pfns.
 *
 * A carve-out is a range the boot command line reserved with memmap=; it is
 * claimed as "pgmirror" in /proc/iomem and mapped write-back. A borrowed
 * backing is max-order chunks of the host's own memory, handed back when
 * the instance goes. Either way a pgmirror pfn maps to a kernel address.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#ifdef CONFIG_X86
#include <asm/e820/api.h>
#endif

#include "pgmirror.h"

/* The host's largest order: MAX_PAGE_ORDER since 6.8, MAX_ORDER - 1 before */
#ifdef MAX_PAGE_ORDER
#define PGM_HOST_MAX_ORDER	MAX_PAGE_ORDER
#else
#define PGM_HOST_MAX_ORDER	(MAX_ORDER - 1)
#endif

#define PGM_CARVEOUT_ALIGN	(PGM_PAGEBLOCK_NR_PAGES << PAGE_SHIFT)

/* UML has no iomem: a carve-out cannot be mapped there */
static void *pgm_memremap(phys_addr_t base, u64 size)
{
#ifdef CONFIG_HAS_IOMEM
	return memremap(base, size, MEMREMAP_WB);
#else
	return NULL;
#endif
}

static void pgm_memunmap(void *addr)
{
#ifdef CONFIG_HAS_IOMEM
	memunmap(addr);
#endif
}

/*
 * request_mem_region() nests a claim in the innermost resource that holds
 * it whole, so that resource must be a reservation: anything else is a
 * device, or no resource at all (a hole) when the parent is the root.
 */
static int pgm_carveout_parent_ok(const struct resource *res, char *err,
				  size_t errlen)
{
	const struct resource *parent = res->parent;

	if (!parent || parent == &iomem_resource) {
		snprintf(err, errlen,
			 "%pa-%pa is not inside a reserved range; reserve it with memmap=SIZE$BASE",
			 &res->start, &res->end);
		return -EBUSY;
	}
	if (parent->desc != IORES_DESC_RESERVED ||
	    (parent->flags & IORESOURCE_SYSRAM)) {
		snprintf(err, errlen,
			 "%pa-%pa lies in '%s' (%pa-%pa), which is not a memmap= reservation",
			 &res->start, &res->end, parent->name ?: "?",
			 &parent->start, &parent->end);
		return -EBUSY;
	}
	return 0;
}

/*
 * memmap= reserves RAM: the firmware's own map (e820_table_firmware, which
 * memmap= leaves alone) still calls it RAM. A range the firmware reserved
 * itself (a flash window, ACPI tables) is a "Reserved" resource too, and
 * may be MMIO: never mapped write-back.
 */
static int pgm_carveout_firmware_ok(phys_addr_t base, u64 size, char *err,
				    size_t errlen)
{
#ifdef CONFIG_X86
	static const enum e820_type not_ram[] = {
		E820_TYPE_RESERVED, E820_TYPE_ACPI, E820_TYPE_NVS,
		E820_TYPE_UNUSABLE, E820_TYPE_PMEM, E820_TYPE_PRAM,
		E820_TYPE_SOFT_RESERVED,
	};
	phys_addr_t p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(not_ram); i++)
		if (e820__mapped_raw_any(base, base + size, not_ram[i]))
			goto bad;
	/* RAM page by page: a hole in the map has no type to look for */
	for (p = base; p < base + size; p += PAGE_SIZE) {
		if (!e820__mapped_raw_any(p, p + PAGE_SIZE, E820_TYPE_RAM))
			goto bad;
		if (!(p & (PGM_CARVEOUT_ALIGN - 1)))
			cond_resched();
	}
	return 0;
bad:
	snprintf(err, errlen,
		 "base=%pa size=%llu is not all RAM in the firmware's memory map: memmap= reserves RAM, firmware reservations may be devices",
		 &base, size);
	return -EBUSY;
#else
	return 0;
#endif
}

/**
 * pgm_backing_carveout - claim and map a memmap= reservation
 * @b: the backing to fill
 * @base: physical base, pageblock aligned
 * @size: bytes, a pageblock multiple
 * @err: a one-line reason on failure
 * @errlen: size of @err
 *
 * The range must lie wholly inside one range that memmap= marked reserved,
 * and touch nothing else: not System RAM, not a device's BAR, not a hole
 * with nothing behind it, not a range the firmware reserved (on x86 its
 * own memory map must call it RAM).
 *
 * Return: 0; -EINVAL for a zero or misaligned range, -EBUSY when it is not
 * wholly inside a reservation or overlaps a claimed resource, -ENOMEM when
 * it cannot be mapped.
 */
int pgm_backing_carveout(struct pgm_backing *b, phys_addr_t base, u64 size,
			 char *err, size_t errlen)
{
	int ret;

	memset(b, 0, sizeof(*b));
	if (!size || !IS_ALIGNED(base, PGM_CARVEOUT_ALIGN) ||
	    !IS_ALIGNED(size, PGM_CARVEOUT_ALIGN) || base + size < base) {
		snprintf(err, errlen,
			 "base=%pa size=%llu: both must be non-zero multiples of %lu KiB",
			 &base, size, PGM_CARVEOUT_ALIGN >> 10);
		return -EINVAL;
	}

	/* Memory the host allocator owns must never be handed out twice */
	if (region_intersects(base, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		snprintf(err, errlen,
			 "base=%pa size=%llu overlaps System RAM; reserve it with memmap=SIZE$BASE",
			 &base, size);
		return -EBUSY;
	}

	b->res = request_mem_region(base, size, "pgmirror");
	if (!b->res) {
		snprintf(err, errlen,
			 "base=%pa size=%llu conflicts with a claimed or partly overlapping resource in /proc/iomem",
			 &base, size);
		return -EBUSY;
	}
	ret = pgm_carveout_parent_ok(b->res, err, errlen);
	if (!ret)
		ret = pgm_carveout_firmware_ok(base, size, err, errlen);
	if (ret) {
		release_mem_region(base, size);
		b->res = NULL;
		return ret;
	}

	b->vaddr = pgm_memremap(base, size);
	if (!b->vaddr) {
		release_mem_region(base, size);
		b->res = NULL;
		snprintf(err, errlen, "base=%pa size=%llu cannot be mapped",
			 &base, size);
		return -ENOMEM;
	}

	b->kind = PGM_BACKING_CARVEOUT;
	b->base = base;
	b->nr_pages = size >> PAGE_SHIFT;
	return 0;
}

/**
 * pgm_backing_borrow - borrow memory from the host allocator
 * @b: the backing to fill
 * @size: bytes, a multiple of the chunk size (4 MiB on x86_64)
 * @err: a one-line reason on failure
 * @errlen: size of @err
 *
 * Return: 0; -EINVAL for a zero or misaligned size, -E2BIG for more than
 * the host's RAM, -ENOMEM for more than it has available or when it cannot
 * lend it, -EINTR on a fatal signal.
 */
int pgm_backing_borrow(struct pgm_backing *b, u64 size, char *err,
		       size_t errlen)
{
	unsigned int order = min(PGM_MAX_PAGE_ORDER, PGM_HOST_MAX_ORDER);
	u64 chunk = (u64)PAGE_SIZE << order;
	unsigned long i;

	memset(b, 0, sizeof(*b));
	if (!size || size % chunk) {
		snprintf(err, errlen,
			 "size=%llu must be a non-zero multiple of %llu KiB",
			 size, chunk >> 10);
		return -EINVAL;
	}

	/* Bounded first: the chunk table is sized by it */
	if (size > (u64)totalram_pages() << PAGE_SHIFT) {
		snprintf(err, errlen,
			 "size=%llu is more than the host's %lu MiB of RAM",
			 size, totalram_pages() >> (20 - PAGE_SHIFT));
		return -E2BIG;
	}
	/*
	 * Lending more than the host can spare without swapping pushes
	 * other tasks into reclaim and the OOM killer: refused, with why
	 */
	if (size > (u64)si_mem_available() << PAGE_SHIFT) {
		snprintf(err, errlen,
			 "size=%llu is more than the %lu MiB the host has available (MemAvailable)",
			 size, si_mem_available() >> (20 - PAGE_SHIFT));
		return -ENOMEM;
	}

	b->chunk_order = order;
	b->nr_chunks = size / chunk;
	b->chunks = pgm_meta_calloc(b->nr_chunks, sizeof(*b->chunks));
	if (!b->chunks) {
		pgm_backing_release(b);
		snprintf(err, errlen,
			 "out of memory for the table of %llu chunks",
			 size / chunk);
		return -ENOMEM;
	}

	for (i = 0; i < b->nr_chunks; i++) {
		/* A lend of gigabytes reclaims: its writer may give up */
		if (fatal_signal_pending(current)) {
			snprintf(err, errlen,
				 "interrupted by a fatal signal after %lu of %lu chunks",
				 i, b->nr_chunks);
			pgm_backing_release(b);
			return -EINTR;
		}
		if (pgm_meta_should_fail())
			goto nomem;
		b->chunks[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN |
					   __GFP_RETRY_MAYFAIL, order);
		if (!b->chunks[i])
			goto nomem;
		cond_resched();
	}

	b->kind = PGM_BACKING_BORROWED;
	b->nr_pages = size >> PAGE_SHIFT;
	return 0;

nomem:
	pgm_backing_release(b);
	snprintf(err, errlen, "the host cannot lend %llu bytes in order-%u chunks",
		 size, order);
	return -ENOMEM;
}

/**
 * pgm_backing_release - unmap and release, or hand back, the memory
 * @b: the backing; left empty
 */
void pgm_backing_release(struct pgm_backing *b)
{
	unsigned long i;

	if (b->vaddr)
		pgm_memunmap(b->vaddr);
	if (b->res)
		release_mem_region(b->base, b->nr_pages << PAGE_SHIFT);
	if (b->chunks) {
		for (i = 0; i < b->nr_chunks; i++)
			if (b->chunks[i])
				__free_pages(b->chunks[i], b->chunk_order);
		pgm_meta_free(b->chunks);
	}
	memset(b, 0, sizeof(*b));
}

/**
 * pgm_backing_page_address - the kernel address of a pgmirror pfn
 * @b: the backing
 * @pfn: the instance's pfn
 *
 * Return: the address, or NULL when the pfn has no memory behind it.
 */
void *pgm_backing_page_address(const struct pgm_backing *b, unsigned long pfn)
{
	if (pfn >= b->nr_pages)
		return NULL;

	switch (b->kind) {
	case PGM_BACKING_CARVEOUT:
		return b->vaddr + (pfn << PAGE_SHIFT);
	case PGM_BACKING_BORROWED:
		return page_address(b->chunks[pfn >> b->chunk_order]) +
		       ((pfn & ((1UL << b->chunk_order) - 1)) << PAGE_SHIFT);
	default:
		return NULL;
	}
}
