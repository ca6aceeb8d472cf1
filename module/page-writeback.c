// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the mirror of mm/page-writeback.c, the per-node dirty limit
 * that spreads __GFP_WRITE allocations over the nodes.
 *
 * Writeback is synchronous in the mirror (a write-back command or reclaim
 * cleans a page at once), so NR_WRITEBACK is always zero, and there is
 * neither vm.dirty_bytes nor a real-time caller to raise the limit.
 */

#include "pgmirror.h"
#include "lru.h"

/*
 * node_dirtyable_memory(): free pages above the node's reserves, plus its
 * file LRU, which writeback and reclaim can turn back into free pages.
 */
static unsigned long node_dirtyable_memory(struct pgm_pglist_data *pgdat)
{
	unsigned long nr_pages = 0;
	int z;

	for (z = 0; z < PGM_MAX_NR_ZONES; z++) {
		struct pgm_zone *zone = &pgdat->node_zones[z];

		if (!pgm_populated_zone(zone))
			continue;
		nr_pages += pgm_zone_page_state(zone, PGM_NR_FREE_PAGES);
	}
	nr_pages -= min(nr_pages, READ_ONCE(pgdat->totalreserve_pages));

	nr_pages += pgm_node_page_state(pgdat, PGM_NR_INACTIVE_FILE);
	nr_pages += pgm_node_page_state(pgdat, PGM_NR_ACTIVE_FILE);
	return nr_pages;
}

/**
 * pgm_node_dirty_limit() - node_dirty_limit(): vm.dirty_ratio percent of
 * the node's dirtyable memory
 * @pgdat: the node
 *
 * Return: the most dirty pages the node should hold.
 */
unsigned long pgm_node_dirty_limit(struct pgm_pglist_data *pgdat)
{
	unsigned long dirty = (unsigned long)READ_ONCE(pgdat->inst->tun.dirty_ratio) *
			      node_dirtyable_memory(pgdat) / 100;

	return min_t(unsigned long, dirty, UINT_MAX);
}

/**
 * pgm_node_dirty_ok() - node_dirty_ok(): is the node within its dirty limit?
 * @pgdat: the node
 *
 * Return: true if its dirty pages do not exceed pgm_node_dirty_limit().
 */
bool pgm_node_dirty_ok(struct pgm_pglist_data *pgdat)
{
	return pgm_node_page_state(pgdat, PGM_NR_FILE_DIRTY) <=
	       pgm_node_dirty_limit(pgdat);
}
