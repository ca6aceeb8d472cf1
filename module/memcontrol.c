// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the memory controller's charge, as mm/memcontrol.c.
 *
 * An owner is a memory cgroup of its own, without a parent: its memory
 * counter is the owner's footprint, with memory.max and memory.high in
 * pages and memory.events' high, max, oom and oom_kill. An allocation
 * made for an owner is charged once the page allocator has handed out
 * its block, as mem_cgroup_charge() follows alloc_pages() upstream; a
 * charge that fails frees the block again.
 *
 * There is no per-CPU charge stock, so a charge is exact and draining the
 * stock frees nothing, though it still costs the retry it costs upstream.
 * Reclaim takes the owner's own LRU pages (try_to_free_mem_cgroup_pages()).
 * Pages charged over memory.high are reclaimed on the control write's way
 * back to user space (mem_cgroup_handle_over_high()), or at once past
 * MEMCG_CHARGE_BATCH of them. The throttle sleep that follows there when
 * reclaim cannot keep up is counted, not slept: a control write must not
 * hold up the tool that drives it for seconds.
 *
 * An owner's OOM takes the instance's oom_lock, as any OOM kill does.
 * Callers keep the owner alive: a control write holds iface_lock, which
 * owner destroy takes exclusively.
 */

#include <linux/gfp.h>
#include <linux/sched/signal.h>

#include "pgmirror.h"
#include "lru.h"

#define PGM_MAX_RECLAIM_RETRIES	16
/* MEMCG_CHARGE_BATCH: the pages over high a task may take into user space */
#define PGM_MEMCG_CHARGE_BATCH	64UL
/* The over-high throttle's fixed point and scale, as upstream's */
#define PGM_MEMCG_DELAY_PRECISION_SHIFT	20
#define PGM_MEMCG_DELAY_SCALING_SHIFT	14
#define PGM_MEMCG_MAX_HIGH_DELAY_JIFFIES	(2UL * HZ)

static void memcg_memory_event(struct pgm_owner *owner,
			       enum pgm_memcg_event event)
{
	atomic_long_inc(&owner->events[event]);
}

/* page_counter_try_charge(): charge, unless that goes over max */
static bool page_counter_try_charge(struct pgm_owner *owner,
				    unsigned long nr_pages)
{
	long new = atomic_long_add_return(nr_pages, &owner->nr_pages);

	if (new > (long)READ_ONCE(owner->max)) {
		atomic_long_sub(nr_pages, &owner->nr_pages);
		return false;
	}
	return true;
}

/* mem_cgroup_margin(): what may still be charged */
static unsigned long mem_cgroup_margin(struct pgm_owner *owner)
{
	long count = atomic_long_read(&owner->nr_pages);
	unsigned long max = READ_ONCE(owner->max);

	return count < (long)max ? max - count : 0;
}

/* task_is_dying(): the owner was chosen by the OOM killer, or the writer */
static bool task_is_dying(struct pgm_owner *owner)
{
	return READ_ONCE(owner->oom_victim) || fatal_signal_pending(current);
}

/*
 * mem_cgroup_out_of_memory(): the owner's own OOM, under oom_lock. Memory
 * freed meanwhile makes it unnecessary; otherwise the owner is the only
 * candidate. task_is_dying() is about the caller: the owner itself when it
 * charges (@charging), the writer of a limit otherwise.
 */
static bool mem_cgroup_out_of_memory(struct pgm_instance *inst,
				     struct pgm_owner *owner, gfp_t gfp,
				     unsigned int order, bool charging)
{
	struct pgm_oom_control oc = {
		.inst = inst,
		.memcg = owner,
		.gfp = gfp,
	};

	bool ret = true;

	/* A writer killed while it waits has nothing left to charge */
	if (mutex_lock_killable(&inst->oom_lock))
		return true;
	if (mem_cgroup_margin(owner) < (1UL << order))
		ret = (charging ? task_is_dying(owner) :
				  fatal_signal_pending(current)) ||
		      pgm_out_of_memory(&oc);
	mutex_unlock(&inst->oom_lock);
	return ret;
}

/* mem_cgroup_oom(): costly requests fail rather than kill */
static bool mem_cgroup_oom(struct pgm_instance *inst, struct pgm_owner *owner,
			   gfp_t gfp, unsigned int order)
{
	if (order > PGM_PAGE_ALLOC_COSTLY_ORDER)
		return false;
	memcg_memory_event(owner, PGM_MEMCG_OOM);
	return mem_cgroup_out_of_memory(inst, owner, gfp, order, true);
}

/* try_charge_memcg()'s mem_high: usage above memory.high */
static bool mem_high(struct pgm_owner *owner)
{
	return pgm_owner_usage(owner) > READ_ONCE(owner->high);
}

/* reclaim_high(): one pass of the over-high reclaim, counted as high */
static unsigned long reclaim_high(struct pgm_instance *inst,
				  struct pgm_owner *owner,
				  unsigned long nr_pages, gfp_t gfp)
{
	if (!mem_high(owner))
		return 0;
	memcg_memory_event(owner, PGM_MEMCG_HIGH);
	return pgm_try_to_free_owner_pages(inst, owner, nr_pages, gfp);
}

/* calculate_overage(): usage over high, relative to high, fixed point */
static u64 calculate_overage(unsigned long usage, unsigned long high)
{
	if (usage <= high)
		return 0;
	high = max(high, 1UL);
	return div64_u64((u64)(usage - high) << PGM_MEMCG_DELAY_PRECISION_SHIFT,
			 high);
}

/*
 * calculate_high_delay(): the throttle an overage earns, growing with its
 * square, in jiffies, scaled by the task's share of MEMCG_CHARGE_BATCH;
 * unsigned arithmetic wraps as upstream's does
 */
static unsigned long calculate_high_delay(unsigned long nr_pages,
					  u64 max_overage)
{
	unsigned long penalty_jiffies;

	if (!max_overage)
		return 0;
	penalty_jiffies = max_overage * max_overage * HZ;
	penalty_jiffies >>= PGM_MEMCG_DELAY_PRECISION_SHIFT;
	penalty_jiffies >>= PGM_MEMCG_DELAY_SCALING_SHIFT;
	return penalty_jiffies * nr_pages / PGM_MEMCG_CHARGE_BATCH;
}

/*
 * mem_cgroup_handle_over_high(): @nr_pages were charged over memory.high.
 * One reclaim pass asks for them all; while the overage left would earn
 * a throttle of more than HZ/100, passes of SWAP_CLUSTER_MAX follow as
 * long as they free pages, and MAX_RECLAIM_RETRIES times more. The sleep
 * upstream then throttles with is added to the owner's high_throttle
 * instead. A dying task (an owner the OOM killer chose, a killed writer)
 * does none of it.
 */
static void mem_cgroup_handle_over_high(struct pgm_instance *inst,
					struct pgm_owner *owner,
					unsigned long nr_pages, gfp_t gfp)
{
	int nr_retries = PGM_MAX_RECLAIM_RETRIES;
	unsigned long nr_reclaimed, penalty;
	bool in_retry = false;

retry_reclaim:
	if (task_is_dying(owner))
		return;
	nr_reclaimed = reclaim_high(inst, owner,
				    in_retry ? PGM_SWAP_CLUSTER_MAX : nr_pages,
				    gfp);
	penalty = calculate_high_delay(nr_pages,
				       calculate_overage(pgm_owner_usage(owner),
							 READ_ONCE(owner->high)));
	penalty = min(penalty, PGM_MEMCG_MAX_HIGH_DELAY_JIFFIES);
	if (penalty <= HZ / 100)
		return;
	if (nr_reclaimed || nr_retries--) {
		in_retry = true;
		goto retry_reclaim;
	}
	/*
	 * Reclaim cannot keep up: schedule_timeout_killable(penalty), which
	 * a writer killed since the last pass would not sleep at all
	 */
	if (!fatal_signal_pending(current))
		atomic_long_add(penalty, &owner->high_throttle);
}

/* What the write noted so far, reclaimed with @gfp */
static void writer_handle_over_high(struct pgm_instance *inst,
				    struct pgm_iface_writer *w, gfp_t gfp)
{
	unsigned long nr_pages = w->nr_pages_over_high;

	w->nr_pages_over_high = 0;
	if (nr_pages)
		mem_cgroup_handle_over_high(inst, w->over_high, nr_pages, gfp);
}

/**
 * pgm_owner_handle_over_high() - a control write's way back to user space
 * @inst: the instance
 * @w: the write, still holding iface_lock
 *
 * Reclaims, with GFP_KERNEL, what the write charged over memory.high and
 * has not reclaimed yet, as resume_user_mode_work() calls
 * mem_cgroup_handle_over_high(), then lets the owner go.
 */
void pgm_owner_handle_over_high(struct pgm_instance *inst,
				struct pgm_iface_writer *w)
{
	writer_handle_over_high(inst, w, GFP_KERNEL);
	if (w->over_high) {
		atomic_dec(&w->over_high->nr_waiting);
		w->over_high = NULL;
	}
}

/*
 * The end of a charge that leaves the owner over memory.high: the control
 * write notes the pages for its return to user space
 * (memcg_nr_pages_over_high, set_notify_resume()), pinning the owner as a
 * waiting write would, and reclaims them right away when more than
 * MEMCG_CHARGE_BATCH are noted and the charge may block. The count is the
 * pages charged: with no per-CPU stock there is no batch to charge ahead.
 * Upstream tests the count after every charge, over high or not; a write
 * charges with one gfp mask, so a charge under high could not find one
 * left over that may block. A charge outside a control write (KUnit's)
 * that may block reclaims at once, as if it returned to user space there.
 */
static void mem_cgroup_note_over_high(struct pgm_instance *inst,
				      struct pgm_owner *owner,
				      unsigned long nr_pages, gfp_t gfp)
{
	struct pgm_iface_writer *w;

	if (!mem_high(owner))
		return;
	w = pgm_iface_current(inst);
	if (!w) {
		if (gfpflags_allow_blocking(gfp))
			mem_cgroup_handle_over_high(inst, owner, nr_pages, gfp);
		return;
	}
	if (w->over_high != owner) {
		/* One owner per write; a second would take over the count */
		if (w->over_high)
			atomic_dec(&w->over_high->nr_waiting);
		atomic_inc(&owner->nr_waiting);
		w->over_high = owner;
	}
	w->nr_pages_over_high += nr_pages;
	if (w->nr_pages_over_high > PGM_MEMCG_CHARGE_BATCH &&
	    gfpflags_allow_blocking(gfp))
		writer_handle_over_high(inst, w, gfp);
}

/**
 * pgm_owner_try_charge - try_charge_memcg(): charge an owner for pages
 * @inst: the instance
 * @owner: the owner, kept alive by the caller
 * @gfp: the allocation's gfp mask
 * @nr_pages: the pages
 *
 * Over memory.max a request that may block counts a max event, reclaims
 * from the owner and retries: once more after the (empty) stock is
 * drained, again while reclaim made progress for a request of at most
 * 2^PAGE_ALLOC_COSTLY_ORDER pages, and MAX_RECLAIM_RETRIES times more.
 * __GFP_NORETRY stops after the first pass, __GFP_RETRY_MAYFAIL before
 * the OOM killer; otherwise the owner's OOM runs (it kills the owner
 * itself, if it may be killed) and the retries start over. A charge that
 * still fails goes over max anyway for __GFP_NOFAIL and __GFP_HIGH, as
 * upstream forces it, and is refused for the rest. A successful charge
 * that leaves the owner over memory.high is reclaimed on the control
 * write's way out (pgm_owner_handle_over_high()), or at once when it may
 * block and is past MEMCG_CHARGE_BATCH pages or outside a control write.
 *
 * Return: 0 when charged, -ENOMEM otherwise.
 */
int pgm_owner_try_charge(struct pgm_instance *inst, struct pgm_owner *owner,
			 gfp_t gfp, unsigned long nr_pages)
{
	int nr_retries = PGM_MAX_RECLAIM_RETRIES;
	bool drained = false, raised_max_event = false, passed_oom = false;
	unsigned long nr_reclaimed;

retry:
	if (page_counter_try_charge(owner, nr_pages))
		goto done;
	if (!gfpflags_allow_blocking(gfp))
		goto nomem;
	/* A victim the reap left charged has nothing more to give back */
	if (READ_ONCE(owner->oom_victim) && READ_ONCE(owner->oom_skip))
		goto nomem;

	memcg_memory_event(owner, PGM_MEMCG_MAX);
	raised_max_event = true;
	nr_reclaimed = pgm_try_to_free_owner_pages(inst, owner, nr_pages, gfp);
	if (mem_cgroup_margin(owner) >= nr_pages)
		goto retry;
	if (!drained) {
		drained = true;
		goto retry;
	}
	if (gfp & __GFP_NORETRY)
		goto nomem;
	/* Reclaim freed something: small requests try again at once */
	if (nr_reclaimed &&
	    nr_pages <= (1UL << PGM_PAGE_ALLOC_COSTLY_ORDER))
		goto retry;
	if (nr_retries--)
		goto retry;
	if (gfp & __GFP_RETRY_MAYFAIL)
		goto nomem;
	if (passed_oom && task_is_dying(owner))
		goto nomem;
	if (mem_cgroup_oom(inst, owner, gfp,
			   get_order(nr_pages << PAGE_SHIFT))) {
		passed_oom = true;
		nr_retries = PGM_MAX_RECLAIM_RETRIES;
		goto retry;
	}
nomem:
	/* No reserve in a memcg: such requests go over the limit */
	if (!(gfp & (__GFP_NOFAIL | __GFP_HIGH)))
		return -ENOMEM;
	if (!raised_max_event)
		memcg_memory_event(owner, PGM_MEMCG_MAX);
	atomic_long_add(nr_pages, &owner->nr_pages);
	return 0;

done:
	mem_cgroup_note_over_high(inst, owner, nr_pages, gfp);
	return 0;
}

/**
 * pgm_owner_set_limit - a write to memory.high or memory.max
 * @inst: the instance
 * @owner: the owner, kept alive by the caller
 * @high: memory.high, else memory.max
 * @pages: the limit, PGM_PAGE_COUNTER_MAX for none
 *
 * As memory_high_write() and memory_max_write(): the limit is set, then,
 * after the stock drain's free pass, the owner is reclaimed from until it
 * fits; MAX_RECLAIM_RETRIES passes that free nothing end it. A max it
 * still does not fit then counts an oom event and runs the owner's OOM,
 * again until it fits or nothing is killed. A signal ends the loop with
 * the limit set, as it ends upstream's.
 *
 * Return: 0.
 */
int pgm_owner_set_limit(struct pgm_instance *inst, struct pgm_owner *owner,
			bool high, unsigned long pages)
{
	unsigned int nr_retries = PGM_MAX_RECLAIM_RETRIES;
	bool drained = false;

	WRITE_ONCE(*(high ? &owner->high : &owner->max), pages);
	for (;;) {
		long nr = atomic_long_read(&owner->nr_pages);

		if (nr <= (long)pages || signal_pending(current))
			break;
		if (!drained) {
			drained = true;
			continue;
		}
		/* memory.high never kills: it gives up instead */
		if (high) {
			if (!pgm_try_to_free_owner_pages(inst, owner,
							 nr - pages,
							 GFP_KERNEL) &&
			    !nr_retries--)
				break;
			continue;
		}
		if (nr_retries) {
			if (!pgm_try_to_free_owner_pages(inst, owner,
							 nr - pages,
							 GFP_KERNEL))
				nr_retries--;
			continue;
		}
		memcg_memory_event(owner, PGM_MEMCG_OOM);
		if (!mem_cgroup_out_of_memory(inst, owner, GFP_KERNEL, 0,
					      false))
			break;
		cond_resched();
	}
	return 0;
}
