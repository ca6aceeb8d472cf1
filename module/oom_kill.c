// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the mirror of mm/oom_kill.c.
 *
 * Owners stand in for processes: an owner's footprint is its rss (the
 * mirror has no swap and no page tables), its oom_score_adj is the
 * task's, its nodes its cpuset's mems_allowed. As upstream, an OOM is
 * constrained when the request's nodemask leaves nodes out
 * (CONSTRAINT_MEMORY_POLICY) or the requesting owner's nodes do
 * (CONSTRAINT_CPUSET): badness is then normalised by the present pages of
 * those nodes only, and, outside a memory-policy OOM, only owners whose
 * nodes meet the requester's are candidates. Otherwise badness is
 * normalised by all the instance's managed pages, as by totalram_pages()
 * plus total_swap_pages upstream.
 *
 * The victim is reaped at once, in the allocating context: every
 * allocation of its that has a handle is freed as the free command frees
 * it. An allocation an in-kernel caller keeps without a handle belongs to
 * that caller and stays.
 *
 * Locking: the caller holds the instance's oom_lock, so that one kill
 * runs at a time, as upstream's oom_lock does. Owners are not destroyed
 * meanwhile: the control writes that allocate hold iface_lock, which
 * owner destroy takes exclusively. The victim's handles are freed
 * through the same claim reclaim and the free command use, so none is
 * freed twice.
 */

#include <linux/limits.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/xarray.h>

#include "pgmirror.h"
#include "lru.h"

/**
 * pgm_owner_oom_victim() - tsk_is_oom_victim() for an owner
 * @owner: the owner
 *
 * Return: true once the OOM killer chose @owner.
 */
bool pgm_owner_oom_victim(const struct pgm_owner *owner)
{
	return READ_ONCE(owner->oom_victim);
}

/**
 * pgm_oom_badness() - oom_badness(): how much an owner deserves to die
 * @owner: the owner
 * @totalpages: pgm_totalram_pages() of its instance
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

static const char * const pgm_oom_constraint_text[] = {
	[PGM_CONSTRAINT_NONE]		= "CONSTRAINT_NONE",
	[PGM_CONSTRAINT_CPUSET]		= "CONSTRAINT_CPUSET",
	[PGM_CONSTRAINT_MEMORY_POLICY]	= "CONSTRAINT_MEMORY_POLICY",
	[PGM_CONSTRAINT_MEMCG]		= "CONSTRAINT_MEMCG",
};

/* The present pages of the nodes in @mask */
static unsigned long pgm_nodes_present_pages(struct pgm_instance *inst,
					     const struct pgm_nodemask *mask)
{
	unsigned long total = 0;
	unsigned int n;

	for (n = 0; n < inst->nr_nodes; n++)
		if (test_bit(n, mask->bits))
			total += inst->node_data[n].node_present_pages;
	return total;
}

/*
 * constrained_alloc(): is this OOM limited to some nodes, and how many
 * pages do those nodes have? The nodes with memory are all the
 * instance's.
 */
static enum pgm_oom_constraint
pgm_constrained_alloc(struct pgm_oom_control *oc)
{
	struct pgm_instance *inst = oc->inst;
	const struct pgm_alloc_context *ac = oc->ac;
	struct pgm_zoneref *z;
	struct pgm_zone *zone;
	bool cpuset_limited = false;

	/* mem_cgroup_get_max(): memory.max, there being no swap */
	if (oc->memcg) {
		oc->totalpages = READ_ONCE(oc->memcg->max) ?: 1;
		return PGM_CONSTRAINT_MEMCG;
	}
	oc->totalpages = pgm_totalram_pages(inst);
	if (!ac || (oc->gfp & __GFP_THISNODE))
		return PGM_CONSTRAINT_NONE;

	if (ac->nodemask && find_first_zero_bit(ac->nodemask->bits,
						inst->nr_nodes) <
			    inst->nr_nodes) {
		oc->totalpages = pgm_nodes_present_pages(inst, ac->nodemask);
		return PGM_CONSTRAINT_MEMORY_POLICY;
	}

	for (z = pgm_next_zones_zonelist(ac->zonelist->_zonerefs,
					 ac->highest_zoneidx, ac->nodemask);
	     (zone = z->zone);
	     z = pgm_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					 ac->nodemask))
		if (!pgm_cpuset_zone_allowed(ac, zone, oc->gfp))
			cpuset_limited = true;
	if (cpuset_limited) {
		oc->totalpages = pgm_nodes_present_pages(inst,
							 ac->cpuset_mems);
		return PGM_CONSTRAINT_CPUSET;
	}
	return PGM_CONSTRAINT_NONE;
}

/*
 * oom_cpuset_eligible(): outside a memory-policy OOM, killing an owner
 * whose nodes do not meet the requester's frees nothing it can use.
 * Owners have no memory policy, so a memory-policy OOM takes anyone.
 */
static bool oom_cpuset_eligible(struct pgm_owner *o,
				const struct pgm_oom_control *oc)
{
	const struct pgm_nodemask *mems = oc->ac ? oc->ac->cpuset_mems : NULL;

	if (oc->constraint == PGM_CONSTRAINT_MEMORY_POLICY || !mems)
		return true;
	return bitmap_intersects(o->mems_allowed.bits, mems->bits,
				 PGM_MAX_NUMNODES);
}

/*
 * select_bad_process(): the eligible owner with the most points. Owners
 * are visited in id order, and as oom_evaluate_task() only skips a
 * candidate with fewer points, the last of equals wins.
 */
static struct pgm_owner *select_bad_process(struct pgm_oom_control *oc,
					    long *chosen_points)
{
	struct pgm_instance *inst = oc->inst;
	struct pgm_owner *chosen = NULL, *o;
	unsigned long idx;

	*chosen_points = LONG_MIN;
	mutex_lock(&inst->owners_lock);
	xa_for_each(&inst->owners, idx, o) {
		long points;

		/* mem_cgroup_scan_tasks(): an owner is its memcg's one task */
		if (oc->memcg && o != oc->memcg)
			continue;
		if (!oc->memcg && !oom_cpuset_eligible(o, oc))
			continue;
		points = pgm_oom_badness(o, oc->totalpages);
		if (points == LONG_MIN || points < *chosen_points)
			continue;
		chosen = o;
		*chosen_points = points;
	}
	mutex_unlock(&inst->owners_lock);
	return chosen;
}

/*
 * oom_kill_process() plus the reaper: mark the victim and free its memory.
 * The first line is dump_oom_victim()'s summary; @message says which OOM
 * chose it.
 */
static void oom_kill_process(struct pgm_oom_control *oc,
			     struct pgm_owner *victim, const char *message)
{
	struct pgm_instance *inst = oc->inst;
	const struct pgm_nodemask *mask = oc->ac ? oc->ac->nodemask : NULL;
	long footprint = atomic_long_read(&victim->nr_pages);

	WRITE_ONCE(victim->oom_victim, true);
	pgm_count_vm_events(inst, PGM_OOM_KILL, 1);
	atomic_long_inc(&victim->events[PGM_MEMCG_OOM_KILL]);
	if (oc->memcg)
		pr_info("pgmirror %s: oom-kill:constraint=%s,nodemask=(null),oom_memcg=%s,owner=%s,id=%u\n",
			inst->name, pgm_oom_constraint_text[oc->constraint],
			oc->memcg->name, victim->name, victim->id);
	else if (mask && oc->constraint == PGM_CONSTRAINT_MEMORY_POLICY)
		pr_info("pgmirror %s: oom-kill:constraint=%s,nodemask=%*pbl,owner=%s,id=%u\n",
			inst->name, pgm_oom_constraint_text[oc->constraint],
			(int)inst->nr_nodes, mask->bits, victim->name,
			victim->id);
	else
		pr_info("pgmirror %s: oom-kill:constraint=%s,nodemask=(null),owner=%s,id=%u\n",
			inst->name, pgm_oom_constraint_text[oc->constraint],
			victim->name, victim->id);
	pr_warn("pgmirror %s: %s: Killed owner %u (%s) footprint:%lukB oom_score_adj:%d\n",
		inst->name, message, victim->id, victim->name,
		(unsigned long)footprint << (PAGE_SHIFT - 10),
		victim->oom_score_adj);

	pgm_owner_handles_free(inst, victim);
	/* What is left has no handle and cannot be reaped: never again */
	if (atomic_long_read(&victim->nr_pages))
		WRITE_ONCE(victim->oom_skip, true);
}

/**
 * pgm_out_of_memory() - out_of_memory()
 * @oc: the instance, the failed request's context (NULL for a global OOM
 *	without one) and gfp mask; constraint and totalpages are filled in.
 *	The caller holds the instance's oom_lock.
 *
 * Chooses the requesting owner when oom_kill_allocating_task is set and
 * it may be killed, else the eligible owner with the highest
 * pgm_oom_badness(); marks it an OOM victim, frees all its allocations
 * that have a handle and counts oom_kill. Upstream panics when there is
 * nothing to kill in any OOM but a memcg's (or sysrq's); the mirror just
 * reports that nothing was killed.
 *
 * Return: true if an owner was killed.
 */
bool pgm_out_of_memory(struct pgm_oom_control *oc)
{
	struct pgm_owner *victim;
	long points;

	lockdep_assert_held(&oc->inst->oom_lock);
	oc->constraint = pgm_constrained_alloc(oc);

	/*
	 * The requesting owner is current: its oom_score_adj and cpuset
	 * decide, not its points. A request without one is a kernel
	 * thread's, and an owner without pages a task without an mm
	 * (pgm_oom_badness()): neither is killed for it.
	 */
	victim = oc->ac ? oc->ac->owner : NULL;
	if (!oc->memcg && victim &&
	    READ_ONCE(oc->inst->tun.oom_kill_allocating_task) &&
	    atomic_long_read(&victim->nr_pages) > 0 &&
	    oom_cpuset_eligible(victim, oc) &&
	    victim->oom_score_adj != PGM_OOM_SCORE_ADJ_MIN) {
		oom_kill_process(oc, victim,
				 "Out of memory (oom_kill_allocating_task)");
		return true;
	}

	victim = select_bad_process(oc, &points);
	if (!victim)
		return false;
	oom_kill_process(oc, victim, oc->memcg ? "Memory cgroup out of memory" :
			 "Out of memory");
	return true;
}

/**
 * pgm_set_oom_kill_allocating_task() - a vm.oom_kill_allocating_task write
 * @inst: the instance
 * @val: any int, as proc_dointvec() takes; non-zero is on
 *
 * Read by the next pgm_out_of_memory().
 *
 * Return: 0.
 */
int pgm_set_oom_kill_allocating_task(struct pgm_instance *inst, int val)
{
	mutex_lock(&inst->tunables_lock);
	WRITE_ONCE(inst->tun.oom_kill_allocating_task, val);
	mutex_unlock(&inst->tunables_lock);
	return 0;
}
