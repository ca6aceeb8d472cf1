/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgmirror KUnit helpers: small instances and direct control of the free
 * lists, so that each case sets up exactly the state upstream's rules
 * are defined on.
 */
#ifndef _PGMIRROR_TEST_UTIL_H
#define _PGMIRROR_TEST_UTIL_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/seq_file.h>
#include "pgmirror.h"

struct pgm_iface_writer;

/* The host's vm.min_free_kbytes (mm/internal.h): the suites are built in */
extern int min_free_kbytes;

void pgmt_topology(struct pgm_topology *topo, unsigned int nr_nodes,
		   unsigned long dma, unsigned long dma32,
		   unsigned long normal, unsigned long movable);
struct pgm_instance *pgmt_create_as_made(struct kunit *test,
					 const struct pgm_topology *topo);
struct pgm_instance *pgmt_create(struct kunit *test,
				 const struct pgm_topology *topo);
struct pgm_instance *pgmt_create_backed(struct kunit *test, u64 bytes);
void pgmt_exact_counters(struct pgm_instance *inst);
int pgmt_thread_done(struct completion *done);
__printf(2, 3) void pgmt_report(void *ctx, const char *fmt, ...);
struct pgm_page *pgmt_mark(struct pgm_page *page, unsigned int order, int mt);
struct pgm_page *pgmt_take(struct pgm_zone *zone, unsigned int order, int mt);
void pgmt_give(struct pgm_zone *zone, struct pgm_page *page,
	       unsigned int order);
void pgmt_take_all(struct pgm_zone *zone, struct pgm_page **pages,
		   unsigned long nr);
unsigned long pgmt_verify(struct kunit *test, struct pgm_instance *inst);
void pgmt_expect_lines(struct kunit *test, const char *text,
		       const char * const *want, unsigned int n);
char *pgmt_render(struct kunit *test, struct pgm_instance *inst,
		  int (*show)(struct seq_file *m, void *v));
char *pgmt_render_seq(struct kunit *test, struct pgm_instance *inst,
		      const struct seq_operations *ops, loff_t pos);
void pgmt_half_free_block(struct kunit *test, struct pgm_instance *inst,
			  unsigned long nr_free);
void pgmt_block0_unmovable(struct kunit *test, struct pgm_instance *inst,
			   int nr_free);
struct pgm_page *pgmt_highatomic_alloc(struct kunit *test,
				       struct pgm_instance *inst,
				       unsigned int order,
				       struct pgm_alloc_context *ac,
				       unsigned int *alloc_flags);

static inline struct pgm_zone *pgmt_zone(struct pgm_instance *inst, int nid,
					 enum pgm_zone_type z)
{
	return &inst->node_data[nid].node_zones[z];
}

static inline unsigned long pgmt_pfn(struct pgm_instance *inst,
				     struct pgm_page *page)
{
	return pgm_page_to_pfn(inst, page);
}

static inline unsigned long pgmt_event(struct pgm_instance *inst,
				       enum pgm_vm_event_item item)
{
	return pgm_sum_vm_event(inst, item);
}

static inline long pgmt_nr_free(struct pgm_zone *zone)
{
	return pgm_zone_page_state(zone, PGM_NR_FREE_PAGES);
}

static inline int pgmt_pcp_list_len(struct pgm_instance *inst,
				    struct pgm_per_cpu_pages *pcp, int mt,
				    int order)
{
	return pgm_list_count(inst->memmap,
			      &pcp->lists[pgm_order_to_pindex(mt, order)]);
}

#define PGMT_PB	PGM_PAGEBLOCK_NR_PAGES

/*
 * Allocstalls of a direct reclaim that gets nothing back: 6.12's
 * do_try_to_free_pages() counts one, then tries again with full memcg
 * walks (memcg_full_walk), counting another
 */
#define PGMT_NO_PROGRESS_STALLS	2UL

/*
 * What each of those scans of an inactive file list of 1024 pages that
 * gives nothing back: 1024 >> priority at each priority from 12 to 0,
 * 1 + 2 + ... + 1024. Pages reclaim cannot free are taken and kept, as
 * shrink_folio_list() keeps a folio someone else holds, so the list never
 * shrinks.
 */
#define PGMT_NO_PROGRESS_SCAN_1024	2047UL

struct pgm_alloc;
struct pgm_owner;
enum pgm_kind;
void pgmt_free_handles_at_end(struct kunit *test, struct pgm_instance *inst);
long pgmt_pages_out(struct pgm_instance *inst);
struct pgm_alloc *pgmt_adopt(struct kunit *test, struct pgm_instance *inst,
			     struct pgm_page *page, unsigned int order,
			     enum pgm_kind kind);

/**
 * struct pgmt_mem_ctx - a memory-pressure test's instance
 * @inst: the instance
 * @owned: allocations without a handle, released after the test
 * @nr_owned: entries in @owned
 */
struct pgmt_mem_ctx {
	struct pgm_instance *inst;
	struct pgm_alloc **owned;
	unsigned long nr_owned;
};

struct pgmt_mem_ctx *pgmt_mem_setup_pages(struct kunit *test,
					  unsigned long nr_pages);
struct pgmt_mem_ctx *pgmt_mem_setup(struct kunit *test);
struct pgmt_mem_ctx *pgmt_mem_setup_topo(struct kunit *test,
					 const struct pgm_topology *topo);
struct pgmt_mem_ctx *pgmt_mem_setup_nodes(struct kunit *test,
					  unsigned int nr_nodes,
					  unsigned long nr_pages);
struct pgm_alloc *pgmt_owner_alloc(struct pgm_instance *inst, gfp_t gfp,
				   unsigned int order, struct pgm_owner *owner,
				   enum pgm_kind kind);
void pgmt_handle_free(struct kunit *test, struct pgm_instance *inst,
		      struct pgm_alloc *a);
void pgmt_writer_begin(struct pgm_instance *inst, struct pgm_iface_writer *w,
		       bool shared);
void pgmt_writer_end(struct pgm_instance *inst, struct pgm_iface_writer *w);

/**
 * struct pgmt_iface_reader - a reader queued on iface_lock behind a writer
 * @inst: the instance
 * @watch: read when the reader gets the lock
 * @seen: *@watch then
 * @done: completed once @seen is set
 * @task: the reader's thread
 */
struct pgmt_iface_reader {
	struct pgm_instance *inst;
	const unsigned long *watch;
	unsigned long seen;
	struct completion done;
	struct task_struct *task;
};

void pgmt_iface_reader_start(struct kunit *test, struct pgm_instance *inst,
			     const unsigned long *watch,
			     struct pgmt_iface_reader *r);
unsigned long pgmt_iface_reader_stop(struct pgmt_iface_reader *r);
bool pgmt_oom_kill(struct pgm_instance *inst);
struct pgm_owner *pgmt_node_owner(struct kunit *test,
				  struct pgm_instance *inst, const char *name,
				  int nid);
struct pgm_alloc *pgmt_mem_alloc(struct pgm_instance *inst, gfp_t gfp,
				 unsigned int order, enum pgm_kind kind);
unsigned long pgmt_owner_fill(struct pgm_instance *inst,
			      struct pgm_owner *owner, enum pgm_kind kind,
			      unsigned long n);
void pgmt_mem_fill(struct kunit *test, struct pgmt_mem_ctx *c,
		   enum pgm_kind kind, unsigned long n, bool handles);
void pgmt_mem_to(struct kunit *test, struct pgm_instance *inst,
		 unsigned long nr, bool block);
void pgmt_mem_to_min(struct kunit *test, struct pgm_instance *inst,
		     bool block);
void pgmt_mem_to_pageblock(struct kunit *test, struct pgm_instance *inst);

#endif /* _PGMIRROR_TEST_UTIL_H */
