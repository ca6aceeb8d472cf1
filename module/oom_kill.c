// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the mirror of mm/oom_kill.c.
 *
 * Owners stand in for processes: an owner's footprint is its rss (the
 * mirror has no swap and no page tables), its oom_score_adj is the
 * task's. Every OOM is global: badness is normalised by all the
 * instance's managed pages, as by totalram_pages() plus total_swap_pages
 * upstream.
 *
 * The victim is reaped at once, in the allocating context: every
 * allocation of its that has a handle is freed as the free command frees
 * it. An allocation an in-kernel caller keeps without a handle belongs to
 * that caller and stays.
 *
 * Locking: control writes, the callers that allocate with reclaim, hold
 * iface_lock; it serialises OOM kills as oom_lock does upstream and keeps
 * owners from being destroyed meanwhile. The victim's handles are freed
 * through the same claim reclaim uses, so an in-kernel caller without
 * iface_lock cannot free one twice.
 */

#include <linux/limits.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/xarray.h>

#include "pgmirror.h"
#include "lru.h"

/**
 * pgm_oom_badness() - oom_badness(): how much an owner deserves to die
 * @owner: the owner
 * @totalpages: pgm_oom_totalpages() of its instance
 *
 * The footprint, plus oom_score_adj times a thousandth of @totalpages
 * (the thousandth is taken first, in integer arithmetic, as 6.12 does).
 * The result may be zero or negative; it is not clamped.
 *
 * Return: the points, or LONG_MIN for an owner that must not be chosen:
 * oom_score_adj of OOM_SCORE_ADJ_MIN, a victim the reap left charged
 * (MMF_OOM_SKIP), or no footprint at all (a task without an mm).
 */
long pgm_oom_badness(struct pgm_owner *owner, unsigned long totalpages)
{
	long adj = owner->oom_score_adj;
	long points;

	if (adj == PGM_OOM_SCORE_ADJ_MIN || READ_ONCE(owner->oom_skip))
		return LONG_MIN;
	points = atomic_long_read(&owner->nr_pages);
	if (points <= 0)
		return LONG_MIN;

	adj *= totalpages / 1000;
	return points + adj;
}

/**
 * pgm_oom_totalpages() - the totalpages of a global OOM
 * @inst: the instance
 *
 * Return: the managed pages of all the instance's zones.
 */
unsigned long pgm_oom_totalpages(struct pgm_instance *inst)
{
	unsigned long total = 0;
	unsigned int n;
	int z;

	for (n = 0; n < inst->nr_nodes; n++)
		for (z = 0; z < PGM_MAX_NR_ZONES; z++)
			total += pgm_zone_managed_pages(&inst->node_data[n].node_zones[z]);
	return total;
}

/*
 * select_bad_process(): the owner with the most points. Owners are
 * visited in id order, and as oom_evaluate_task() only skips a candidate
 * with fewer points, the last of equals wins.
 */
static struct pgm_owner *pgm_select_bad_process(struct pgm_instance *inst,
						long *chosen_points)
{
	unsigned long totalpages = pgm_oom_totalpages(inst);
	struct pgm_owner *chosen = NULL, *o;
	unsigned long idx;

	*chosen_points = LONG_MIN;
	mutex_lock(&inst->owners_lock);
	xa_for_each(&inst->owners, idx, o) {
		long points = pgm_oom_badness(o, totalpages);

		if (points == LONG_MIN || points < *chosen_points)
			continue;
		chosen = o;
		*chosen_points = points;
	}
	mutex_unlock(&inst->owners_lock);
	return chosen;
}

/* oom_kill_process() plus the reaper: mark the victim and free its memory */
static void pgm_oom_kill_process(struct pgm_instance *inst,
				 struct pgm_owner *victim)
{
	long footprint = atomic_long_read(&victim->nr_pages);

	WRITE_ONCE(victim->oom_victim, true);
	pgm_count_vm_events(inst, PGM_OOM_KILL, 1);
	pr_warn("pgmirror %s: Out of memory: Killed owner %u (%s) footprint:%lukB oom_score_adj:%d\n",
		inst->name, victim->id, victim->name,
		(unsigned long)footprint << (PAGE_SHIFT - 10),
		victim->oom_score_adj);

	pgm_owner_handles_free(inst, victim);
	/* What is left has no handle and cannot be reaped: never again */
	if (atomic_long_read(&victim->nr_pages))
		WRITE_ONCE(victim->oom_skip, true);
}

/**
 * pgm_out_of_memory() - out_of_memory() for a global OOM
 * @inst: the instance; the caller normally holds iface_lock
 *
 * Chooses the owner with the highest pgm_oom_badness(), marks it an OOM
 * victim, frees all its allocations that have a handle and counts
 * oom_kill. Upstream panics when there is nothing to kill; the mirror
 * just reports that nothing was killed.
 *
 * Return: true if an owner was killed.
 */
bool pgm_out_of_memory(struct pgm_instance *inst)
{
	struct pgm_owner *victim;
	long points;

	victim = pgm_select_bad_process(inst, &points);
	if (!victim)
		return false;
	pgm_oom_kill_process(inst, victim);
	return true;
}
