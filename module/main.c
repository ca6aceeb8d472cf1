// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: module glue.
 *
 * Turns the module parameters into a topology and a backing, creates the
 * instance and its debugfs directory, and takes all of it down on rmmod,
 * live allocations included.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/ctype.h>
#include <linux/err.h>

#include "pgmirror.h"
#include "cmd.h"

static char *size;
module_param(size, charp, 0444);
MODULE_PARM_DESC(size, "Bytes of memory (K/M/G suffixes); required");

/* A physical address: root only, as /proc/iomem shows it */
static char *base;
module_param(base, charp, 0400);
MODULE_PARM_DESC(base, "Physical base of a memmap= reservation; without it the memory is borrowed");

static char *name = "pgm0";
module_param(name, charp, 0444);
MODULE_PARM_DESC(name, "Instance name: the debugfs directory");

static unsigned int nodes = 1;
module_param(nodes, uint, 0444);
MODULE_PARM_DESC(nodes, "NUMA nodes, 1..4; the memory is split evenly");

static char *zones = "NORMAL:*";
module_param(zones, charp, 0444);
MODULE_PARM_DESC(zones, "Per-node zone layout, e.g. DMA:16M,DMA32:64M,NORMAL:*");

static int distance[PGM_MAX_NUMNODES * PGM_MAX_NUMNODES];
static int nr_distance;
module_param_array(distance, int, &nr_distance, 0444);
MODULE_PARM_DESC(distance, "nodes*nodes SLIT distances, row by row (default 10/20)");

static char *cma;
module_param(cma, charp, 0444);
MODULE_PARM_DESC(cma, "Bytes of CMA at the end of node 0's highest non-movable zone");

static int min_free_kbytes;
module_param(min_free_kbytes, int, 0444);
MODULE_PARM_DESC(min_free_kbytes, "vm.min_free_kbytes; 0 derives it from the size");

static int watermark_scale_factor = 10;
module_param(watermark_scale_factor, int, 0444);
MODULE_PARM_DESC(watermark_scale_factor, "vm.watermark_scale_factor, 1..3000");

static int watermark_boost_factor = 15000;
module_param(watermark_boost_factor, int, 0444);
MODULE_PARM_DESC(watermark_boost_factor, "vm.watermark_boost_factor");

static int lowmem_reserve_ratio[PGM_MAX_NR_ZONES] = { 256, 256, 32, 0 };
static int nr_lowmem_reserve_ratio;
module_param_array(lowmem_reserve_ratio, int, &nr_lowmem_reserve_ratio, 0444);
MODULE_PARM_DESC(lowmem_reserve_ratio, "vm.lowmem_reserve_ratio: DMA,DMA32,NORMAL,MOVABLE");

static unsigned int nr_cpus;
module_param(nr_cpus, uint, 0444);
MODULE_PARM_DESC(nr_cpus, "pcp CPUs, 1..64; 0 means one per online CPU");

/* The instance insmod creates; module glue only, never allocator state */
static struct pgm_instance *pgm_default;
static struct pgm_backing pgm_default_backing;

/* A debugfs directory name: 1..31 of [A-Za-z0-9_.-], not . or .. */
static bool valid_name(const char *s)
{
	size_t i, len = s ? strlen(s) : 0;

	if (!len || len >= PGM_NAME_LEN || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

static int __init pgmirror_init(void)
{
	const struct pgm_params params = {
		.size = size,
		.nodes = nodes,
		.zones = zones,
		.distance = distance,
		.nr_distance = nr_distance,
		.cma = cma,
		.min_free_kbytes = min_free_kbytes,
		.watermark_scale_factor = watermark_scale_factor,
		.watermark_boost_factor = watermark_boost_factor,
		.lowmem_reserve_ratio = lowmem_reserve_ratio,
		.nr_lowmem_reserve_ratio = nr_lowmem_reserve_ratio,
		.nr_cpus = nr_cpus,
	};
	struct pgm_topology *topo;
	struct pgm_instance *inst;
	char err[PGM_STATUS_LEN] = "";
	u64 bytes, phys;
	int ret;

	if (!size) {
#ifndef MODULE
		/* Built in (the KUnit kernel): no instance unless asked for */
		return 0;
#endif
		pr_err("size= is required, e.g. size=256M\n");
		return -EINVAL;
	}
	if (!valid_name(name)) {
		pr_err("name= must be 1..%d characters of [A-Za-z0-9_.-]\n",
		       PGM_NAME_LEN - 1);
		return -EINVAL;
	}

	topo = kzalloc(sizeof(*topo), GFP_KERNEL);
	if (!topo)
		return -ENOMEM;
	ret = pgm_parse_params(&params, topo, &bytes, err, sizeof(err));
	if (ret)
		goto out_err;

	if (base) {
		if (pgm_parse_size(base, &phys)) {
			snprintf(err, sizeof(err), "base=%s is not an address",
				 base);
			ret = -EINVAL;
			goto out_err;
		}
		ret = pgm_backing_carveout(&pgm_default_backing, phys, bytes,
					   err, sizeof(err));
	} else {
		ret = pgm_backing_borrow(&pgm_default_backing, bytes, err,
					 sizeof(err));
	}
	if (ret)
		goto out_err;

	inst = pgm_instance_create(name, topo, &pgm_default_backing, err,
				   sizeof(err));
	if (IS_ERR(inst)) {
		ret = PTR_ERR(inst);
		goto out_backing;
	}

	ret = pgm_debugfs_init(inst);
	if (ret) {
		snprintf(err, sizeof(err), "cannot create debugfs directory %s",
			 name);
		goto out_inst;
	}

	ret = pgm_kswapd_run(inst);
	if (ret) {
		snprintf(err, sizeof(err), "cannot start kswapd");
		pgm_debugfs_exit(inst);
		goto out_inst;
	}
	pgm_default = inst;
	pgm_vmstat_start(inst);
	kfree(topo);
	pr_info("%s: %llu MiB %s, %u node(s), %u pcp cpu(s)\n", name,
		bytes >> 20, base ? "carved out" : "borrowed", inst->nr_nodes,
		inst->nr_cpus);
	return 0;

out_inst:
	pgm_instance_destroy(inst);
out_backing:
	pgm_backing_release(&pgm_default_backing);
out_err:
	kfree(topo);
	pr_err("%s\n", err);
	return ret;
}

static void __exit pgmirror_exit(void)
{
	if (!pgm_default)
		return;
	pgm_debugfs_exit(pgm_default);
	/* kswapd frees handles: stop it before they go */
	pgm_kswapd_stop(pgm_default);
	pgm_handles_release_all(pgm_default);
	pgm_instance_destroy(pgm_default);
	pgm_backing_release(&pgm_default_backing);
	pgm_default = NULL;
}

module_init(pgmirror_init);
module_exit(pgmirror_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A mirror of the Linux 6.12 page allocator over a reserved region");
MODULE_AUTHOR("The pgmirror developers");
