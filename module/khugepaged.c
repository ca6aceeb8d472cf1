// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the mirror of what mm/khugepaged.c does to the watermarks.
 *
 * The mirror collapses no huge pages. What the page allocator sees of
 * khugepaged is min_free_kbytes: a kernel built with transparent huge
 * pages starts khugepaged at boot, and whenever the enabled mode is
 * written, and each start raises min_free_kbytes so that enough
 * pageblocks stay free for fragmentation avoidance. With THP never, the
 * same step derives min_free_kbytes again from the memory size, now less
 * the high watermarks as they stand (the boot's, or khugepaged's own).
 *
 * An instance made without transparent_hugepage= is a kernel built
 * without THP, whose min_free_kbytes init_per_zone_wmark_min() alone set.
 */

#include "pgmirror.h"

/*
 * set_recommended_min_free_kbytes(): two free pageblocks per lowmem zone,
 * and one more for each pair of pcp migratetypes, so that a fallback
 * finds a block to claim and the next one does not fall back again; at
 * most 5% of the pages above high. ZONE_MOVABLE holds movable pages
 * only and is left out. Only ever raises the value, even a user's.
 */
static void set_recommended_min_free_kbytes(struct pgm_instance *inst)
{
	unsigned long recommended_min;
	struct pgm_zone *zone;
	int nr_zones = 0;

	if (inst->tun.transparent_hugepage == PGM_THP_NEVER) {
		pgm_calculate_min_free_kbytes(inst);
		goto update_wmarks;
	}

	for (zone = pgm_first_zone(inst); zone; zone = pgm_next_zone(inst, zone))
		if (pgm_populated_zone(zone) && zone->idx <= PGM_ZONE_NORMAL)
			nr_zones++;

	recommended_min = PGM_PAGEBLOCK_NR_PAGES * nr_zones *
			  (2 + PGM_MIGRATE_PCPTYPES * PGM_MIGRATE_PCPTYPES);
	recommended_min = min(recommended_min,
			      pgm_nr_free_buffer_pages(inst) / 20);
	recommended_min <<= PAGE_SHIFT - 10;
	if (recommended_min > inst->tun.min_free_kbytes)
		inst->tun.min_free_kbytes = recommended_min;

update_wmarks:
	pgm_setup_per_zone_wmarks(inst);
}

/**
 * pgm_hugepage_init() - khugepaged's first start, as the instance is made
 * @inst: the instance, its boot watermarks set; tunables_lock is held
 *
 * hugepage_init(): below 512 MiB of memory THP is turned off and
 * khugepaged never starts, whatever the mode asked for. A
 * min_free_kbytes the maker gave is written after, as a sysctl would be.
 */
void pgm_hugepage_init(struct pgm_instance *inst)
{
	lockdep_assert_held(&inst->tunables_lock);
	if (inst->tun.transparent_hugepage == PGM_THP_NONE)
		return;
	if (pgm_totalram_pages(inst) < PGM_THP_MIN_PAGES) {
		inst->tun.transparent_hugepage = PGM_THP_NEVER;
		return;
	}
	set_recommended_min_free_kbytes(inst);
}

/**
 * pgm_start_stop_khugepaged() - a write to transparent_hugepage/enabled
 * @inst: the instance
 * @mode: enum pgm_thp_mode
 *
 * enabled_store() then start_stop_khugepaged(): every write, the mode
 * changed or not, sets the recommended min_free_kbytes (or, for never,
 * derives it again) and recomputes the watermarks. An instance made
 * without THP becomes one made with it.
 *
 * Return: 0, or -EINVAL for no mode.
 */
int pgm_start_stop_khugepaged(struct pgm_instance *inst, int mode)
{
	if ((unsigned int)mode >= PGM_NR_THP_MODES)
		return -EINVAL;

	mutex_lock(&inst->tunables_lock);
	WRITE_ONCE(inst->tun.transparent_hugepage, mode);
	set_recommended_min_free_kbytes(inst);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}
