// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the CMA area, as mm/cma.c.
 *
 * One area per instance, the cma= pages at the end of node 0's highest
 * non-movable zone. Its pageblocks are MIGRATE_CMA: movable allocations
 * may use them, and cma_alloc() takes ranges back with
 * alloc_contig_range(), a bitmap recording which pages it handed out.
 */

#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>

#include "pgmirror.h"
#include "lru.h"

/**
 * pgm_cma_init - cma_init_reserved_mem(): set up the instance's area
 * @inst: the instance, its pageblocks already marked MIGRATE_CMA and
 *	the area's locks initialised
 * @base_pfn: first pfn of the area
 * @count: its pages, 0 for none
 *
 * Return: 0, or -ENOMEM for the bitmap.
 */
int pgm_cma_init(struct pgm_instance *inst, unsigned long base_pfn,
		 unsigned long count)
{
	struct pgm_cma *cma = &inst->cma;

	if (!count)
		return 0;
	cma->bitmap = pgm_meta_vzalloc(BITS_TO_LONGS(count) * sizeof(long));
	if (!cma->bitmap)
		return -ENOMEM;
	cma->base_pfn = base_pfn;
	cma->count = count;
	return 0;
}

/**
 * pgm_cma_destroy - free the area's bitmap
 * @inst: the instance, with nothing allocated from its area any more
 */
void pgm_cma_destroy(struct pgm_instance *inst)
{
	pgm_meta_free(inst->cma.bitmap);
	inst->cma.bitmap = NULL;
	mutex_destroy(&inst->cma.alloc_mutex);
}

/* cma_clear_bitmap(), order_per_bit 0 */
static void cma_clear_bitmap(struct pgm_cma *cma, unsigned long pfn,
			     unsigned long count)
{
	unsigned long flags;

	spin_lock_irqsave(&cma->lock, flags);
	bitmap_clear(cma->bitmap, pfn - cma->base_pfn, count);
	spin_unlock_irqrestore(&cma->lock, flags);
}

/**
 * pgm_cma_alloc - cma_alloc(): allocate pages from the CMA area
 * @inst: the instance
 * @count: pages wanted
 * @align: the first pfn is a multiple of 1 << @align
 * @no_warn: __GFP_NOWARN
 * @info: what the last alloc_contig_range() did
 *
 * The bitmap is searched for @count clear bits at the alignment, counted
 * from pfn 0 rather than the area's start (cma_bitmap_aligned_offset()).
 * The range found is marked, then handed to alloc_contig_range() for
 * MIGRATE_CMA; on -EBUSY its bits are cleared and the search goes on
 * after it, one alignment step up. Any other error ends the call, and so
 * does a fatal signal; a control write lets iface_lock go every
 * PGM_IFACE_BATCH tries.
 *
 * Return: the first page, or NULL; cma_alloc_success or cma_alloc_fail
 * counts the outcome.
 */
struct pgm_page *pgm_cma_alloc(struct pgm_instance *inst, unsigned long count,
			       unsigned int align, bool no_warn,
			       struct pgm_contig_info *info)
{
	gfp_t gfp = GFP_KERNEL | (no_warn ? __GFP_NOWARN : 0);
	struct pgm_cma *cma = &inst->cma;
	unsigned long mask, offset, start = 0, bitmap_no, pfn;
	struct pgm_page *page = NULL;
	int ret = -ENOMEM;

	if (!cma->count || !cma->bitmap || !count)
		return NULL;
	if (align >= BITS_PER_LONG)
		goto out;
	mask = align ? (1UL << align) - 1 : 0;
	offset = cma->base_pfn & ((1UL << align) - 1);
	/* More than the area holds: NULL, uncounted and unreported */
	if (count > cma->count)
		return NULL;

	for (;;) {
		spin_lock_irq(&cma->lock);
		bitmap_no = bitmap_find_next_zero_area_off(cma->bitmap,
							   cma->count, start,
							   count, mask, offset);
		if (bitmap_no >= cma->count) {
			spin_unlock_irq(&cma->lock);
			break;
		}
		/* Ours now: the lock can go while the range is freed up */
		bitmap_set(cma->bitmap, bitmap_no, count);
		spin_unlock_irq(&cma->lock);

		pfn = cma->base_pfn + bitmap_no;
		mutex_lock(&cma->alloc_mutex);
		info->busy_pfn = 0;
		ret = pgm_alloc_contig_range(inst, pfn, pfn + count,
					     PGM_MIGRATE_CMA, gfp, info);
		mutex_unlock(&cma->alloc_mutex);
		info->tried++;
		if (!ret) {
			page = pgm_pfn_to_page(inst, pfn);
			break;
		}
		cma_clear_bitmap(cma, pfn, count);
		if (ret != -EBUSY)
			break;
		start = bitmap_no + mask + 1;
		/*
		 * A large area can take many tries: a control write lets
		 * others in now and then, and a fatal signal or a destroy
		 * ends it
		 */
		if (fatal_signal_pending(current) || READ_ONCE(inst->dying) ||
		    (!(info->tried % PGM_IFACE_BATCH) &&
		     pgm_iface_holder(inst) &&
		     !pgm_iface_relax(inst, NULL)))
			break;
		cond_resched();
	}
out:
	if (ret && !no_warn)
		pr_err_ratelimited("pgmirror %s: cma_alloc of %lu pages failed: %d\n",
				   inst->name, count, ret);
	pgm_count_vm_events(inst, page ? PGM_CMA_ALLOC_SUCCESS :
				  PGM_CMA_ALLOC_FAIL, 1);
	return page;
}

/**
 * pgm_cma_release - cma_release(): give pages back to the CMA area
 * @inst: the instance
 * @pages: the first page, as pgm_cma_alloc() returned it
 * @count: the pages it was asked for
 *
 * Return: false, freeing nothing, when @pages does not start inside the
 * area (cma_pages_valid()) or @count runs past its end, which upstream
 * only catches under CONFIG_DEBUG_VM (a BUG) and would free regardless;
 * true otherwise.
 */
bool pgm_cma_release(struct pgm_instance *inst, struct pgm_page *pages,
		     unsigned long count)
{
	struct pgm_cma *cma = &inst->cma;
	unsigned long pfn;

	if (!cma->count || !pages)
		return false;
	pfn = pgm_page_to_pfn(inst, pages);
	if (pfn < cma->base_pfn || pfn >= cma->base_pfn + cma->count ||
	    count > cma->base_pfn + cma->count - pfn)
		return false;
	pgm_free_contig_range(inst, pfn, count);
	cma_clear_bitmap(cma, pfn, count);
	return true;
}

/**
 * pgm_cma_used - pages of the area cma_alloc() has handed out
 * @inst: the instance
 *
 * Return: the bits set in the bitmap, as debugfs cma/used reads them.
 */
unsigned long pgm_cma_used(struct pgm_instance *inst)
{
	struct pgm_cma *cma = &inst->cma;
	unsigned long flags, used;

	if (!cma->count)
		return 0;
	spin_lock_irqsave(&cma->lock, flags);
	used = bitmap_weight(cma->bitmap, cma->count);
	spin_unlock_irqrestore(&cma->lock, flags);
	return used;
}
