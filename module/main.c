// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: module glue.
 *
 * Turns the module parameters, or a create line written to the top-level
 * control file, into a topology and a backing; creates the instance and
 * its debugfs directory; keeps the instances in a registry; and takes an
 * instance down on destroy, and all of them on rmmod, live allocations
 * included.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "pgmirror.h"
#include "cmd.h"
#include "compaction.h"

static char *size;
module_param(size, charp, 0444);
MODULE_PARM_DESC(size, "Bytes of memory (K/M/G suffixes); without it no instance is made");

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

static int watermark_scale_factor = PGM_WATERMARK_SCALE_FACTOR;
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

static char *transparent_hugepage;
module_param(transparent_hugepage, charp, 0444);
MODULE_PARM_DESC(transparent_hugepage, "always, madvise or never: a kernel with THP, whose khugepaged sets min_free_kbytes; unset, one without");

/*
 * The instances, made at insmod or through the top-level control file.
 * Module glue, not allocator state: each instance owns all of its own.
 */
#define PGM_MAX_INSTANCES	64

static DEFINE_MUTEX(pgm_registry_lock);
static LIST_HEAD(pgm_registry);			/* pgm_registry_lock */
/* Off pgm_registry, waiting for their files' users to leave */
static LIST_HEAD(pgm_dying);			/* pgm_registry_lock */
static unsigned int pgm_nr_instances;		/* pgm_registry_lock */
static char pgm_top_status[PGM_STATUS_LEN];	/* pgm_top_status_lock */
/* Its own lock: a write that could not get pgm_registry_lock says so */
static DEFINE_SPINLOCK(pgm_top_status_lock);
static struct dentry *pgm_root;

static const char * const pgm_backing_names[] = {
	[PGM_BACKING_NONE] = "none",
	[PGM_BACKING_CARVEOUT] = "carveout",
	[PGM_BACKING_BORROWED] = "borrow",
};

/* A debugfs directory name: 1..31 of [A-Za-z0-9_.-], not . or .. */
static bool valid_name(const char *s)
{
	size_t i, len = s ? strlen(s) : 0;

	if (!len || len >= PGM_NAME_LEN || !strcmp(s, ".") || !strcmp(s, "..") ||
	    !strcmp(s, "control"))
		return false;
	/* isalnum() takes Latin-1 letters too: ASCII only */
	for (i = 0; i < len; i++)
		if (!isascii(s[i]) || (!isalnum(s[i]) && !strchr("_.-", s[i])))
			return false;
	return true;
}

static struct pgm_instance *pgm_list_find(struct list_head *list,
					  const char *name)
{
	struct pgm_instance *inst;

	lockdep_assert_held(&pgm_registry_lock);
	list_for_each_entry(inst, list, registry)
		if (!strcmp(inst->name, name))
			return inst;
	return NULL;
}

static struct pgm_instance *pgm_registry_find(const char *name)
{
	return pgm_list_find(&pgm_registry, name);
}

/* Everything an instance has but its directory, in reverse order */
static void pgm_instance_release(struct pgm_instance *inst)
{
	struct pgm_backing *b = inst->backing;

	/* kswapd and kcompactd move or free handles: stop them before */
	pgm_kcompactd_stop(inst);
	pgm_kswapd_stop(inst);
	pgm_handles_release_all(inst);
	pgm_replay_release(inst);
	pgm_instance_destroy(inst);
	if (b) {
		pgm_backing_release(b);
		pgm_meta_free(b);
	}
}

static void pgm_instance_teardown(struct pgm_instance *inst)
{
	/* A __GFP_NOFAIL writer stops waiting; debugfs_remove() waits for it */
	WRITE_ONCE(inst->dying, true);
	pgm_debugfs_exit(inst);
	pgm_instance_release(inst);
}

/*
 * Make an instance from @c: the backing, the allocator, its directory and
 * threads. Nothing is left behind on failure. Callers hold
 * pgm_registry_lock.
 */
static int pgm_instance_add(const struct pgm_create *c, char *err,
			    size_t errlen)
{
	struct pgm_backing *b = NULL;
	struct pgm_topology *topo;
	struct pgm_instance *inst;
	unsigned long nr_pages;
	u64 bytes, phys;
	int ret;

	lockdep_assert_held(&pgm_registry_lock);
	if (!valid_name(c->name)) {
		snprintf(err, errlen,
			 "name= must be 1..%d characters of [A-Za-z0-9_.-], not control",
			 PGM_NAME_LEN - 1);
		return -EINVAL;
	}
	if (pgm_registry_find(c->name)) {
		snprintf(err, errlen, "an instance named %s exists", c->name);
		return -EEXIST;
	}
	if (pgm_list_find(&pgm_dying, c->name)) {
		snprintf(err, errlen, "%s is still being destroyed", c->name);
		return -EBUSY;
	}
	if (pgm_nr_instances >= PGM_MAX_INSTANCES) {
		snprintf(err, errlen, "%d instances already", PGM_MAX_INSTANCES);
		return -ENOSPC;
	}

	topo = kzalloc(sizeof(*topo), GFP_KERNEL);
	if (!topo) {
		snprintf(err, errlen, "no memory for the topology");
		return -ENOMEM;
	}
	ret = pgm_parse_params(&c->params, topo, &bytes, err, errlen);
	if (ret)
		goto out_topo;
	/* A topology the instance refuses borrows and maps nothing first */
	ret = pgm_instance_check(topo, &nr_pages, err, errlen);
	if (ret)
		goto out_topo;

	if (c->backing != PGM_BACKING_NONE) {
		b = pgm_meta_zalloc(sizeof(*b));
		ret = -ENOMEM;
		if (!b) {
			snprintf(err, errlen, "no memory for the backing");
			goto out_topo;
		}
		if (c->backing == PGM_BACKING_CARVEOUT) {
			int bad = pgm_nonprintable(c->base);

			ret = -EINVAL;
			if (bad >= 0) {
				snprintf(err, errlen,
					 "base= has a non-printable character at offset %d",
					 bad);
				goto out_meta;
			}
			if (pgm_parse_size(c->base, &phys)) {
				snprintf(err, errlen, "base=%.32s is not an address",
					 c->base);
				goto out_meta;
			}
			ret = pgm_backing_carveout(b, phys, bytes, err, errlen);
		} else {
			ret = pgm_backing_borrow(b, bytes, err, errlen);
		}
		if (ret)
			goto out_meta;
	}

	inst = pgm_instance_create(c->name, topo, b, err, errlen);
	if (IS_ERR(inst)) {
		ret = PTR_ERR(inst);
		goto out_backing;
	}
	ret = pgm_replay_init(inst);
	if (ret) {
		snprintf(err, errlen, "no memory for the replay state");
		goto out_inst;
	}
	ret = pgm_debugfs_init(inst, pgm_root);
	if (ret) {
		snprintf(err, errlen, "cannot create debugfs directory %s",
			 c->name);
		goto out_replay;
	}
	ret = pgm_kswapd_run(inst);
	if (!ret) {
		ret = pgm_kcompactd_run(inst);
		if (ret)
			pgm_kswapd_stop(inst);
	}
	if (ret) {
		snprintf(err, errlen, "cannot start kswapd or kcompactd");
		/* The control file was live: a writer may have made handles */
		WRITE_ONCE(inst->dying, true);
		pgm_debugfs_exit(inst);
		pgm_handles_release_all(inst);
		goto out_replay;
	}
	pgm_vmstat_start(inst);
	list_add_tail(&inst->registry, &pgm_registry);
	pgm_nr_instances++;
	kfree(topo);
	snprintf(err, errlen, "created %s: %llu MiB %s, %u node(s), %u pcp cpu(s)",
		 c->name, bytes >> 20, pgm_backing_names[c->backing],
		 inst->nr_nodes, inst->nr_cpus);
	pr_info("%s\n", err);
	return 0;

out_replay:
	pgm_replay_release(inst);
out_inst:
	pgm_instance_destroy(inst);
out_backing:
	if (b)
		pgm_backing_release(b);
out_meta:
	pgm_meta_free(b);
out_topo:
	kfree(topo);
	return ret;
}

/*
 * Callers hold pgm_registry_lock. It is let go while debugfs_remove()
 * waits for the instance's file operations, one of which may sit in a
 * page fault on its user buffer for as long as userfaultfd leaves it:
 * other instances are made and destroyed meanwhile.
 */
static int pgm_instance_remove(const char *name, char *err, size_t errlen)
{
	struct pgm_instance *inst = pgm_registry_find(name);

	if (!inst) {
		if (pgm_list_find(&pgm_dying, name)) {
			snprintf(err, errlen, "%.32s is already being destroyed",
				 name);
			return -EBUSY;
		}
		snprintf(err, errlen, "no instance named %.32s", name);
		return -ENOENT;
	}
	list_move(&inst->registry, &pgm_dying);
	WRITE_ONCE(inst->dying, true);
	mutex_unlock(&pgm_registry_lock);
	pgm_debugfs_exit(inst);
	mutex_lock(&pgm_registry_lock);
	list_del(&inst->registry);
	pgm_nr_instances--;
	pgm_instance_release(inst);
	snprintf(err, errlen, "destroyed %.32s", name);
	return 0;
}

/* ========================= the top-level control file ========================= */

/* The status line: "ok: MSG" for 0, else "error: NAME: MSG" */
static void pgm_top_status_set(int ret, const char *msg)
{
	spin_lock(&pgm_top_status_lock);
	if (!ret)
		snprintf(pgm_top_status, sizeof(pgm_top_status), "ok: %s", msg);
	else if (pgm_errno_name(ret))
		snprintf(pgm_top_status, sizeof(pgm_top_status),
			 "error: %s: %s", pgm_errno_name(ret), msg);
	else
		snprintf(pgm_top_status, sizeof(pgm_top_status),
			 "error: %d: %s", ret, msg);
	spin_unlock(&pgm_top_status_lock);
}

static int pgm_top_show(struct seq_file *m, void *v)
{
	char status[PGM_STATUS_LEN];
	struct pgm_instance *inst;

	/* A create of many gigabytes holds the lock: a reader may give up */
	if (mutex_lock_killable(&pgm_registry_lock))
		return -EINTR;
	spin_lock(&pgm_top_status_lock);
	memcpy(status, pgm_top_status, sizeof(status));
	spin_unlock(&pgm_top_status_lock);
	seq_printf(m, "%s\n", status);
	seq_puts(m, "name size backing nodes\n");
	list_for_each_entry(inst, &pgm_registry, registry)
		seq_printf(m, "%s %llu %s %u\n", inst->name,
			   (u64)inst->nr_pages << PAGE_SHIFT,
			   pgm_backing_names[inst->backing ? inst->backing->kind :
					     PGM_BACKING_NONE],
			   inst->nr_nodes);
	mutex_unlock(&pgm_registry_lock);
	return 0;
}

static int pgm_top_open(struct inode *inode, struct file *file)
{
	return single_open(file, pgm_top_show, NULL);
}

static ssize_t pgm_top_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	char buf[PGM_CMD_MAX_LEN + 2], err[PGM_STATUS_LEN] = "";
	size_t n = min(len, sizeof(buf));
	struct pgm_create *c;
	int ret;

	if (copy_from_user(buf, ubuf, n)) {
		pgm_top_status_set(-EFAULT, "bad user buffer");
		return -EFAULT;
	}
	c = kmalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		pgm_top_status_set(-ENOMEM, "no memory for the command");
		return -ENOMEM;
	}
	ret = pgm_parse_create(buf, n, c, err, sizeof(err));
	if (mutex_lock_interruptible(&pgm_registry_lock)) {
		kfree(c);
		pgm_top_status_set(-EINTR,
				   "interrupted while waiting for another create or destroy");
		return -EINTR;
	}
	if (!ret)
		ret = c->destroy ? pgm_instance_remove(c->name, err, sizeof(err)) :
				   pgm_instance_add(c, err, sizeof(err));
	pgm_top_status_set(ret, err);
	mutex_unlock(&pgm_registry_lock);
	kfree(c);
	return ret ? ret : len;
}

static const struct file_operations pgm_top_fops = {
	.owner		= THIS_MODULE,
	.open		= pgm_top_open,
	.read		= seq_read,
	.write		= pgm_top_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* ========================= init and exit ========================= */

static void pgm_registry_release_all(void)
{
	struct pgm_instance *inst, *next;

	mutex_lock(&pgm_registry_lock);
	list_for_each_entry_safe(inst, next, &pgm_registry, registry) {
		list_del(&inst->registry);
		pgm_instance_teardown(inst);
	}
	pgm_nr_instances = 0;
	mutex_unlock(&pgm_registry_lock);
}

/* Whether any instance parameter differs from its default */
static bool __init pgm_params_without_size(void)
{
	return base || strcmp(name, "pgm0") || nodes != 1 ||
	       strcmp(zones, "NORMAL:*") || nr_distance || cma ||
	       min_free_kbytes ||
	       watermark_scale_factor != PGM_WATERMARK_SCALE_FACTOR ||
	       watermark_boost_factor != 15000 || nr_lowmem_reserve_ratio ||
	       nr_cpus || transparent_hugepage;
}

static int __init pgmirror_init(void)
{
	struct pgm_create *c;
	char err[PGM_STATUS_LEN] = "";
	int ret;

	ret = pgm_meta_init();
	if (ret) {
		pr_err("cannot create the allocation records' cache\n");
		return ret;
	}
	ret = pgm_kcompactd_init();
	if (ret) {
		pr_err("cannot register kcompactd's CPU hotplug callback\n");
		pgm_meta_exit();
		return ret;
	}
	pgm_root = debugfs_create_dir(PGM_DEBUGFS_ROOT, NULL);
	if (IS_ERR(pgm_root)) {
		pr_err("cannot create debugfs directory %s\n", PGM_DEBUGFS_ROOT);
		pgm_kcompactd_exit();
		pgm_meta_exit();
		return PTR_ERR(pgm_root);
	}
	pgm_top_status_set(0, "ready");

	/*
	 * Without size= no instance: make them through the control file.
	 * The file comes after size='s instance, so that no create of the
	 * user's can race with the module's init or outlive its failure.
	 */
	if (!size) {
		if (!pgm_params_without_size())
			goto control;
		snprintf(err, sizeof(err),
			 "base=, name=, nodes=, zones= and the rest describe the instance of size=, which was not given");
		ret = -EINVAL;
		goto out;
	}

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		ret = -ENOMEM;
		goto out;
	}
	c->name = name;
	c->backing = base ? PGM_BACKING_CARVEOUT : PGM_BACKING_BORROWED;
	c->base = base;
	c->params = (struct pgm_params) {
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
		.transparent_hugepage = transparent_hugepage,
	};
	mutex_lock(&pgm_registry_lock);
	ret = pgm_instance_add(c, err, sizeof(err));
	mutex_unlock(&pgm_registry_lock);
	kfree(c);
out:
	if (ret) {
		pr_err("%s\n", err[0] ? err : "out of memory");
		pgm_registry_release_all();
		debugfs_remove(pgm_root);
		pgm_kcompactd_exit();
		pgm_meta_exit();
		return ret;
	}
control:
	debugfs_create_file("control", 0600, pgm_root, NULL, &pgm_top_fops);
	return 0;
}

static void __exit pgmirror_exit(void)
{
	pgm_registry_release_all();
	debugfs_remove(pgm_root);
	pgm_kcompactd_exit();
	pgm_meta_exit();
}

module_init(pgmirror_init);
module_exit(pgmirror_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A mirror of the Linux 6.12 page allocator over a reserved region");
MODULE_AUTHOR("The pgmirror developers");
