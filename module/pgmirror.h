/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgmirror: the interface between the allocator core, its backing, the
 * debugfs interface and the module glue.
 */
#ifndef _PGMIRROR_H
#define _PGMIRROR_H

#include <linux/gfp.h>
#include <linux/types.h>
#include "mmzone.h"
#include "internal.h"

/* Where an instance's memory comes from */
enum pgm_backing_kind {
	PGM_BACKING_NONE,	/* metadata only: no page has memory behind it */
	PGM_BACKING_CARVEOUT,	/* base= + size=: a memmap= reservation */
	PGM_BACKING_BORROWED,	/* size= alone: max-order chunks of host memory */
};

/**
 * struct pgm_backing - the memory behind an instance's pfns
 * @kind: enum pgm_backing_kind
 * @nr_pages: pages covered
 * @base: physical base of a carve-out
 * @vaddr: memremap() mapping of a carve-out
 * @res: the "pgmirror" iomem resource of a carve-out
 * @chunks: host pages borrowed, one per chunk
 * @chunk_order: order of each borrowed chunk
 * @nr_chunks: entries in @chunks
 *
 * Fixed from the instance's creation to its destruction.
 */
struct pgm_backing {
	enum pgm_backing_kind kind;
	unsigned long nr_pages;
	phys_addr_t base;
	void *vaddr;
	struct resource *res;
	struct page **chunks;
	unsigned int chunk_order;
	unsigned long nr_chunks;
};

int pgm_backing_carveout(struct pgm_backing *b, phys_addr_t base, u64 size,
			 char *err, size_t errlen);
int pgm_backing_borrow(struct pgm_backing *b, u64 size, char *err,
		       size_t errlen);
void pgm_backing_release(struct pgm_backing *b);
void *pgm_backing_page_address(const struct pgm_backing *b, unsigned long pfn);

/* pgmirror's own metadata (meta.c) */
struct pgm_alloc;

/*
 * What grows with a user's requests, not with the instance: the records
 * and the maps to them. A metadata-only instance can ask for more than
 * the host has, and that must fail into the status line, not wake the
 * host's OOM killer.
 */
#define PGM_META_GFP	(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN)

void *pgm_meta_zalloc(size_t size);
void *pgm_meta_calloc(size_t n, size_t size);
void *pgm_meta_vzalloc(size_t size);
void *pgm_meta_kvmalloc(size_t size);
void pgm_meta_kvfree(const void *p, size_t size);
void pgm_meta_free(const void *p);
void __percpu *pgm_meta_percpu_alloc(size_t size, size_t align);
void pgm_meta_percpu_free(void __percpu *p);
#define pgm_meta_alloc_percpu(type)					\
	((type __percpu *)pgm_meta_percpu_alloc(sizeof(type),		\
						__alignof__(type)))
bool pgm_meta_should_fail(void);
void pgm_meta_fail_nth(unsigned int n);
long pgm_meta_nr_live(void);
int pgm_meta_init(void);
void pgm_meta_exit(void);
void *pgm_meta_record_alloc(void);
void pgm_meta_record_free(struct pgm_alloc *a);
void pgm_meta_record_free_now(struct pgm_alloc *a);

/* Instance lifecycle (mm_init.c) */
void pgm_topology_default(struct pgm_topology *topo);
int pgm_instance_check(const struct pgm_topology *topo,
		       unsigned long *nr_pages, char *err, size_t errlen);
struct pgm_instance *pgm_instance_create(const char *name,
					 const struct pgm_topology *topo,
					 struct pgm_backing *backing,
					 char *err, size_t errlen);
void pgm_instance_destroy(struct pgm_instance *inst);
void pgm_vmstat_start(struct pgm_instance *inst);
int pgm_kswapd_run(struct pgm_instance *inst);
void pgm_kswapd_stop(struct pgm_instance *inst);

/* Allocation and freeing (page_alloc.c) */
struct pgm_page *pgm_alloc_pages(struct pgm_instance *inst, gfp_t gfp,
				 unsigned int order, int preferred_nid,
				 const struct pgm_nodemask *nodemask);
struct pgm_page *pgm_alloc_pages_owner(struct pgm_instance *inst, gfp_t gfp,
				       unsigned int order, int preferred_nid,
				       const struct pgm_nodemask *nodemask,
				       struct pgm_owner *owner);
unsigned long pgm___alloc_pages_bulk(struct pgm_instance *inst, gfp_t gfp,
				     int preferred_nid,
				   const struct pgm_nodemask *nodemask,
				   int nr_pages, struct pgm_page **page_array);
void pgm_free_pages(struct pgm_instance *inst, struct pgm_page *page,
		    unsigned int order);
void pgm_split_page(struct pgm_instance *inst, struct pgm_page *page,
		    unsigned int order);
int pgm_start_isolate_page_range(struct pgm_instance *inst,
				 unsigned long start_pfn,
				 unsigned long end_pfn, int migratetype,
				 unsigned long *bad_pfn);
int pgm_undo_isolate_page_range(struct pgm_instance *inst,
				unsigned long start_pfn, unsigned long end_pfn,
				int migratetype);
int pgm_test_pages_isolated(struct pgm_instance *inst, unsigned long start_pfn,
			    unsigned long end_pfn, unsigned long *busy_pfn);
/**
 * struct pgm_contig_limits - where alloc_contig_pages() may place a range
 * @low: lowest first pfn
 * @high: pfn the range must end at or before
 * @align: the first pfn is a multiple of it (a power of two); 0 for
 *	upstream's ALIGN(zone start, nr_pages) and steps of nr_pages
 * @boundary: no range crosses a multiple of it (a power of two), or 0
 *
 * FreeBSD's vm_phys_alloc_contig() constraints, in pfns.
 */
struct pgm_contig_limits {
	unsigned long low;
	unsigned long high;
	unsigned long align;
	unsigned long boundary;
};

/**
 * struct pgm_contig_info - what one alloc_contig_range() did
 * @migrated: pages migrated out of the range
 * @reclaimed: clean file pages reclaimed instead
 * @busy_pfn: on -EBUSY, the pfn that was not free
 * @tried: ranges tried by alloc_contig_pages()
 */
struct pgm_contig_info {
	unsigned long migrated;
	unsigned long reclaimed;
	unsigned long busy_pfn;
	unsigned long tried;
};

int pgm_alloc_contig_verify_gfp(gfp_t gfp, gfp_t *cc_gfp);
gfp_t pgm_alloc_migration_gfp(const struct pgm_zone *zone, gfp_t gfp,
			      unsigned int order);
int pgm_alloc_contig_range(struct pgm_instance *inst, unsigned long start,
			   unsigned long end, int migratetype, gfp_t gfp,
			   struct pgm_contig_info *info);
void pgm_free_contig_range(struct pgm_instance *inst, unsigned long pfn,
			   unsigned long nr_pages);
struct pgm_page *pgm_alloc_contig_pages(struct pgm_instance *inst,
					unsigned long nr_pages, gfp_t gfp,
					int nid,
					const struct pgm_nodemask *nodemask,
					const struct pgm_contig_limits *lim,
					struct pgm_contig_info *info);

/* The CMA area (cma.c) */
int pgm_cma_init(struct pgm_instance *inst, unsigned long base_pfn,
		 unsigned long count);
void pgm_cma_destroy(struct pgm_instance *inst);
struct pgm_page *pgm_cma_alloc(struct pgm_instance *inst, unsigned long count,
			       unsigned int align, bool no_warn,
			       struct pgm_contig_info *info);
bool pgm_cma_release(struct pgm_instance *inst, struct pgm_page *pages,
		     unsigned long count);
unsigned long pgm_cma_used(struct pgm_instance *inst);

unsigned int pgm_free_unref_folios(struct pgm_instance *inst,
				   struct pgm_page **pages,
				   const unsigned int *orders, unsigned int nr);
void pgm_drain_all_pages(struct pgm_instance *inst, struct pgm_zone *zone);
void pgm_drain_all_pages_wait(struct pgm_instance *inst);
void *pgm_page_address(struct pgm_instance *inst, struct pgm_page *page);

/* Tunables; each returns -EINVAL and changes nothing when out of range */
int pgm_set_min_free_kbytes(struct pgm_instance *inst, int val);
int pgm_start_stop_khugepaged(struct pgm_instance *inst, int mode);
int pgm_set_watermark_scale_factor(struct pgm_instance *inst, int val);
int pgm_set_watermark_boost_factor(struct pgm_instance *inst, int val);
int pgm_set_lowmem_reserve_ratio(struct pgm_instance *inst,
				 int ratio[PGM_MAX_NR_ZONES], unsigned int nr);
int pgm_set_percpu_pagelist_high_fraction(struct pgm_instance *inst, int val);
int pgm_set_node_reclaim_tunable(struct pgm_instance *inst, int *tunable,
				 int val);

/* Page debugging (page_alloc.c): which of the three, and on or off */
enum pgm_page_debug {
	PGM_PAGE_POISONING,
	PGM_INIT_ON_FREE,
	PGM_INIT_ON_ALLOC,
};

int pgm_set_page_debug(struct pgm_instance *inst, enum pgm_page_debug what,
		       int on);

/* Policy knobs (page_alloc.c), upstream's behaviour when on */
enum pgm_policy {
	PGM_POLICY_MOBILITY,
	PGM_POLICY_NOFRAGMENT,
	PGM_POLICY_HIGHATOMIC,
	PGM_POLICY_PCP,
	PGM_POLICY_KSWAPD,
	PGM_POLICY_DIRECT_RECLAIM,
	PGM_POLICY_DIRECT_COMPACTION,
	PGM_POLICY_KCOMPACTD,
};

int pgm_set_policy_knob(struct pgm_instance *inst, enum pgm_policy what, int on);

/* Bounds of the fixed pcp sizes: batch << PCP_BATCH_SCALE_MAX fits an int */
#define PGM_PCP_BATCH_MAX	65536
#define PGM_PCP_HIGH_MAX	0x1000000	/* 2^24 pages */

int pgm_set_pcp_size(struct pgm_instance *inst, bool high, int val);
int pgm_set_claim_threshold(struct pgm_instance *inst, int pages);
int pgm_set_numa_stat(struct pgm_instance *inst, int on);
int pgm_set_per_cpu_data_slice_size(struct pgm_instance *inst, int bytes);
int pgm_set_fallbacks(struct pgm_instance *inst, int mt,
		      const int row[PGM_MIGRATE_PCPTYPES - 1]);

/* Consistency check; report() is called once per inconsistency */
unsigned long pgm_verify(struct pgm_instance *inst,
			 __printf(2, 3) void (*report)(void *ctx,
						       const char *fmt, ...),
			 void *ctx);

extern const char * const pgm_migratetype_names[PGM_MIGRATE_TYPES];
extern const char * const pgm_zone_names[PGM_MAX_NR_ZONES];
extern const char * const pgm_vm_event_names[PGM_NR_VM_EVENT_ITEMS];

#endif /* _PGMIRROR_H */
