// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_fuzz: hostile input through the full path of a live instance.
 *
 *   pgmirror_fuzz control DIR LINES SEED
 *	Writes LINES fuzzed lines to DIR/control. After every write the
 *	parser refused (EINVAL) the instance must read exactly as before:
 *	buddyinfo, pagetypeinfo, stats and allocations unchanged, and the
 *	status line "error: EINVAL: <reason>". Lines the allocator took or
 *	refused for another reason start a new baseline.
 *
 *   pgmirror_fuzz params KO SETS SEED
 *	Tries SETS generated bad parameter sets with finit_module(). Each
 *	must fail with one "pgmirror:" line in the kernel log and no splat.
 *
 *   pgmirror_fuzz stall DIR DESTROY 0
 *	A child writes to DIR/control from a page that userfaultfd never
 *	fills, so the copy of its line stalls. Meanwhile reads of the
 *	instance's files and another control write must each finish within
 *	a second. With DESTROY 1, a destroy of the instance then waits for the stalled
 *	write, and while it does, the top-level control file must still be
 *	read and take a create and destroy of another instance within a
 *	second, and refuse the instance's own name with EBUSY. SIGKILL must
 *	end the stalled writer, and the destroy then finish.
 *
 * Prints KTAP-style "# " diagnostics and exits 0 on success, 1 on the first
 * broken rule, naming the seed and the line.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_STATE	(1 << 20)
#define LINE_MAX_LEN	300

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64*: small, seeded, the same on every run */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return n ? (uint32_t)((rng * 2685821657736338717ULL) >> 32) % n : 0;
}

#define PICK(a)	((a)[rnd(sizeof(a) / sizeof((a)[0]))])

static const char * const edge[] = {
	"0", "1", "-1", "2", "8", "10", "11", "100", "101", "1000", "1001",
	"-1001", "3000", "3001", "65536", "65537", "262144", "262145",
	"2147483647", "2147483648", "-2147483649", "4294967295", "4294967296",
	"9223372036854775808", "18446744073709551615", "18446744073709551616",
	"99999999999999999999999999", "0x10", "010", "1e3", "+1", "", "a",
	"all", "*", "16E", "GFP_KERNEL", "GFP_ATOMIC|__GFP_ZERO",
	"GFP_DMA|GFP_DMA32", "__GFP_MOVABLE|__GFP_RECLAIMABLE", "|", "anon",
	"file", "heap", "0-1", "1-0", "0,9", "web", "a/b",
	"abcdefghijklmnopqrstuvwxyz0123456",
};

static const char * const words[] = {
	"alloc", "free", "drain", "set", "owner", "create", "destroy", "dirty",
	"writeback", "order", "gfp", "nid", "count", "tag", "kind", "handle",
	"name", "nodes", "oom_score_adj", "all", "watermark_scale_factor",
	"min_free_kbytes", "watermark_boost_factor", "lowmem_reserve_ratio",
	"percpu_pagelist_high_fraction", "zone_reclaim_mode", "dirty_ratio",
	"alloc_contig", "cma_alloc", "pages", "low", "high", "align",
	"boundary", "max", "isolate", "unisolate", "pfn", "transparent_hugepage",
	"always", "madvise", "never", "per_cpu_data_slice_size",
};

static const char * const valid[] = {
	"alloc order=3 gfp=GFP_KERNEL count=4 tag=web",
	"alloc order=0 gfp=GFP_ATOMIC owner=db kind=anon", "free handle=17",
	"free tag=web", "drain", "set watermark_scale_factor=100",
	"set lowmem_reserve_ratio=256,256,32,0",
	"owner create name=db oom_score_adj=-500", "owner destroy name=db",
	"dirty tag=web", "writeback all",
	"alloc_contig pages=16 align=16 boundary=512 tag=web",
	"cma_alloc count=8 align=3", "owner set name=db max=100 high=50",
	"isolate pfn=600-700", "unisolate pfn=0x200-0x400",
};

static size_t cat(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (len + n >= LINE_MAX_LEN)
		n = LINE_MAX_LEN - 1 - len;
	memcpy(buf + len, s, n);
	buf[len + n] = '\0';
	return len + n;
}

static size_t gen_line(char *buf, unsigned long i)
{
	size_t len = 0, at;
	uint32_t n, k;

	buf[0] = '\0';
	switch (i % 4) {
	case 0:		/* random bytes */
		len = rnd(LINE_MAX_LEN);
		for (k = 0; k < len; k++)
			buf[k] = (char)rnd(256);
		return len;
	case 1:		/* the grammar with edge values */
		len = cat(buf, len, PICK(words));
		for (n = 1 + rnd(5); n; n--) {
			len = cat(buf, len, rnd(8) ? " " : "\t");
			len = cat(buf, len, PICK(words));
			if (rnd(8))
				len = cat(buf, len, "=");
			len = cat(buf, len, PICK(edge));
		}
		return len;
	case 2:		/* mutations of valid commands */
		len = cat(buf, len, PICK(valid));
		for (n = 1 + rnd(3); n; n--) {
			at = rnd(len + 1);
			if (rnd(2) && at < len) {
				buf[at] ^= (char)(1 << rnd(8));
			} else if (len + 1 < LINE_MAX_LEN) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = (char)rnd(256);
				len++;
			}
		}
		return len;
	default:	/* a valid key, an overflow value */
		len = cat(buf, len, rnd(2) ? "alloc count=" : "set min_free_kbytes=");
		return cat(buf, len, PICK(edge));
	}
}

static ssize_t slurp(const char *dir, const char *name, char *buf)
{
	char path[512];
	ssize_t n, total = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while (total < MAX_STATE - 1 &&
	       (n = read(fd, buf + total, MAX_STATE - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return total;
}

/*
 * kswapd runs on its own after a taken line raised the watermarks, and
 * counts every run even with nothing to reclaim; the once-a-second
 * refresh folds the pcp CPUs' deltas into nr_free_pages and nr_free_cma.
 * Neither is the refused line's doing (buddyinfo holds the free pages).
 */
static void strip_async(char *buf)
{
	char *in = buf, *out = buf;

	while (*in) {
		size_t len = strcspn(in, "\n") + (in[strcspn(in, "\n")] == '\n');

		if (strncmp(in, "pageoutrun ", 11) && !memmem(in, len, "kswapd", 6) &&
		    strncmp(in, "nr_free_pages ", 14) &&
		    strncmp(in, "nr_free_cma ", 12)) {
			memmove(out, in, len);
			out += len;
		}
		in += len;
	}
	*out = '\0';
}

static const char * const state_files[] = {
	"buddyinfo", "pagetypeinfo", "stats", "allocations", "tunables",
	"owners",
};

#define NR_STATE	(sizeof(state_files) / sizeof(state_files[0]))

static char *state[NR_STATE], *now;

static int snapshot(const char *dir)
{
	unsigned int f;

	for (f = 0; f < NR_STATE; f++) {
		if (slurp(dir, state_files[f], state[f]) < 0)
			return -1;
		if (!strcmp(state_files[f], "stats"))
			strip_async(state[f]);
	}
	return 0;
}

/* Returns the write's errno, 0 on success */
static int ctl(int fd, const char *line, size_t len)
{
	ssize_t n = write(fd, line, len);

	return n < 0 ? errno : 0;
}

/* The first line that differs, before and after */
static void diff_lines(const char *a, const char *b)
{
	size_t k = 0, start = 0;

	while (a[k] && a[k] == b[k]) {
		if (a[k] == '\n')
			start = k + 1;
		k++;
	}
	printf("# before: %.*s\n", (int)strcspn(a + start, "\n"), a + start);
	printf("# after:  %.*s\n", (int)strcspn(b + start, "\n"), b + start);
}

static void show(const char *what, const char *line, size_t len)
{
	size_t k;

	printf("# %s: '", what);
	for (k = 0; k < len && k < 120; k++)
		putchar(line[k] >= 0x20 && line[k] < 0x7f ? line[k] : '?');
	printf("' (%zu bytes)\n", len);
}

static int fuzz_control(const char *dir, unsigned long lines, uint64_t seed)
{
	unsigned long i, refused = 0, taken = 0, other = 0;
	char path[512], line[LINE_MAX_LEN + 1], status[512], want[32];
	unsigned int f;
	int fd, err;

	snprintf(path, sizeof(path), "%s/control", dir);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		printf("# cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	for (f = 0; f < NR_STATE; f++)
		state[f] = malloc(MAX_STATE);
	now = malloc(MAX_STATE);
	ctl(fd, "drain", 5);
	if (snapshot(dir))
		return 1;

	for (i = 0; i < lines; i++) {
		size_t len = gen_line(line, i);

		/* A __GFP_NOFAIL request may wait for memory, as documented */
		line[len] = '\0';
		if (memmem(line, len, "NOFAIL", 6))
			continue;
		err = ctl(fd, line, len);
		/*
		 * Refused before anything was done: by the parser, or for a
		 * handle, tag or owner that is not there, or an owner that is
		 */
		if (err != EINVAL && err != ENOENT && err != EEXIST) {
			/* Taken, or refused by the allocator: a new baseline */
			if (err) {
				other++;
			} else {
				taken++;
				ctl(fd, "free all", 8);
				ctl(fd, "drain", 5);
			}
			if (snapshot(dir))
				return 1;
			continue;
		}
		refused++;
		snprintf(want, sizeof(want), "error: %s: ",
			 err == EINVAL ? "EINVAL" : err == ENOENT ? "ENOENT" :
			 "EEXIST");
		if (slurp(dir, "control", status) < 0 ||
		    strncmp(status, want, strlen(want)) ||
		    strlen(status) < strlen(want) + 2) {
			show("no reason for", line, len);
			printf("# seed %llu line %lu: control reads '%s'\n",
			       (unsigned long long)seed, i, status);
			return 1;
		}
		for (f = 0; f < NR_STATE; f++) {
			if (slurp(dir, state_files[f], now) < 0)
				return 1;
			if (!strcmp(state_files[f], "stats"))
				strip_async(now);
			if (strcmp(now, state[f])) {
				show("a refused line changed the state", line,
				     len);
				printf("# seed %llu line %lu: %s differs\n",
				       (unsigned long long)seed, i,
				       state_files[f]);
				diff_lines(state[f], now);
				return 1;
			}
		}
	}
	ctl(fd, "free all", 8);
	close(fd);
	/* A fuzzer that never reaches the parser, or never gets past it, proves nothing */
	if (refused < lines / 4 || !taken) {
		printf("# only %lu of %lu lines refused by the parser, %lu taken\n",
		       refused, lines, taken);
		return 1;
	}
	printf("# fuzz: %lu control lines (seed %llu): %lu refused with EINVAL, ENOENT or EEXIST and the state unchanged, %lu taken, %lu refused otherwise\n",
	       lines, (unsigned long long)seed, refused, taken, other);
	return 0;
}

/* ========================= parameters ========================= */

static const char * const bad_params[] = {
	"size=0", "size=", "size=-1", "size=18446744073709551616",
	"size=16E", "size=17179869248M", "size=3M", "size=64M nodes=0",
	"size=64M nodes=5", "size=64M nodes=4294967297",
	"size=64M zones=DMA:9223372036854775808,NORMAL:9223372036854792192",
	"size=64M zones=DMA:9223372036854775808,DMA32:9223372036854775808,NORMAL:*",
	"size=64M zones=DMA:16E,NORMAL:*", "size=64M zones=NORMAL:16383",
	"size=64M zones=BOGUS:*", "size=64M zones=NORMAL:*,DMA:4M",
	"size=64M zones=DMA:3M,NORMAL:*", "size=64M zones=",
	"size=64M cma=16E", "size=64M cma=128M", "size=64M cma=1000",
	"size=64M min_free_kbytes=100", "size=64M min_free_kbytes=-1",
	"size=64M watermark_scale_factor=0", "size=64M watermark_scale_factor=3001",
	"size=64M watermark_boost_factor=-1", "size=64M nr_cpus=65",
	"size=64M transparent_hugepage=1", "size=64M transparent_hugepage=",
	"size=64M transparent_hugepage=[always]",
	"size=64M name=", "size=64M name=a/b", "size=64M name=..",
	"size=64M name=abcdefghijklmnopqrstuvwxyz0123456",
	"size=64M nodes=2 distance=10,20,20", "size=64M nodes=2 distance=10,5,5,10",
	"size=64M base=0x1000000", "size=16M base=0xfd000000",
	"size=16M base=0xc0000000", "size=16M base=0x40001000",
	"size=16M base=0xffffffffffe00000", "size=16M base=zz",
};

static int klog_pgmirror_lines(int kfd, int *splat)
{
	char rec[2048];
	ssize_t n;
	int lines = 0;

	while ((n = read(kfd, rec, sizeof(rec) - 1)) > 0) {
		rec[n] = '\0';
		/* The first load of an unsigned module says so, once a boot */
		if (strstr(rec, "pgmirror:") &&
		    !strstr(rec, "module verification failed"))
			lines++;
		if (strstr(rec, "WARNING:") || strstr(rec, "BUG:") ||
		    strstr(rec, "Oops") || strstr(rec, "Call Trace"))
			*splat = 1;
	}
	return lines;
}

static int fuzz_params(const char *ko, unsigned long sets, uint64_t seed)
{
	char params[512];
	unsigned long i;
	int fd, kfd, splat = 0;

	fd = open(ko, O_RDONLY | O_CLOEXEC);
	kfd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0 || kfd < 0) {
		printf("# cannot open %s or /dev/kmsg\n", ko);
		return 1;
	}
	lseek(kfd, 0, SEEK_END);
	rng = seed * 0x9e3779b97f4a7c15ULL + 7;
	for (i = 0; i < sets; i++) {
		size_t len = 0;
		uint32_t extra = rnd(3);
		long ret;
		int lines;

		params[0] = '\0';
		/* Good keys before a bad one change nothing; a later one wins */
		while (extra--)
			len = cat(params, len, rnd(2) ? "nr_cpus=2 " : "nodes=1 ");
		len = cat(params, len, PICK(bad_params));
		ret = syscall(SYS_finit_module, fd, params, 0);
		if (ret == 0) {
			printf("# seed %llu set %lu: insmod %s succeeded\n",
			       (unsigned long long)seed, i, params);
			syscall(SYS_delete_module, "pgmirror", O_NONBLOCK);
			return 1;
		}
		lines = klog_pgmirror_lines(kfd, &splat);
		if (lines != 1 || splat) {
			printf("# seed %llu set %lu: insmod %s: %d dmesg lines%s (errno %d)\n",
			       (unsigned long long)seed, i, params, lines,
			       splat ? ", a splat" : "", errno);
			return 1;
		}
	}
	printf("# fuzz: %lu bad parameter sets (seed %llu): each failed with one dmesg line, no splat\n",
	       sets, (unsigned long long)seed);
	return 0;
}

/* ========================= a stalled writer ========================= */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The child: a control write whose buffer userfaultfd never fills */
static void stalled_writer(const char *dir)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	long page = sysconf(_SC_PAGESIZE);
	char path[512];
	void *addr;
	int uffd, fd;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	addr = mmap(NULL, page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (uffd < 0 || addr == MAP_FAILED || ioctl(uffd, UFFDIO_API, &api))
		_exit(3);
	reg.range.start = (unsigned long)addr;
	reg.range.len = page;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		_exit(3);
	snprintf(path, sizeof(path), "%s/control", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		_exit(4);
	/* The kernel's copy of the line faults on the missing page */
	write(fd, addr, 16);
	_exit(0);
}

/* Read @name of @dir whole; the seconds it took, or -1 */
static double timed_read(const char *dir, const char *name, char *buf)
{
	double t0 = now_s();

	if (slurp(dir, name, buf) < 0)
		return -1;
	return now_s() - t0;
}

/* Write @line to @dir/control: 0, or the errno */
static int write_line(const char *dir, const char *line)
{
	char path[512];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "%s/control", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	n = write(fd, line, strlen(line));
	err = n < 0 ? errno : 0;
	close(fd);
	return err;
}

/*
 * Reap @pid within @secs: its exit code, or -1 for a signal; -2 if it
 * is still running, in which case it is killed and reaped
 */
static int reap_within(pid_t pid, double secs)
{
	double t0 = now_s();
	int status;

	while (waitpid(pid, &status, WNOHANG) != pid) {
		if (now_s() - t0 > secs) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -2;
		}
		usleep(10000);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Write @line to @dir/control in a child, which a destroy's wait may
 * hold: the errno (0 for success), or -1 if it failed otherwise or took
 * more than @secs (the child is killed). @line NULL reads the file.
 */
static int child_within(const char *dir, const char *line, double secs)
{
	pid_t pid;
	int rc;

	pid = fork();
	if (pid == 0) {
		char *buf = malloc(MAX_STATE);

		if (!line)
			_exit(buf && slurp(dir, "control", buf) >= 0 ? 0 : 1);
		_exit(write_line(dir, line));
	}
	rc = reap_within(pid, secs);
	return rc < 0 ? -1 : rc;
}

/*
 * Destroy the instance at @dir while @writer stalls in it: the top-level
 * file serves others meanwhile, and SIGKILL to @writer lets it finish
 */
static int stall_destroy(const char *dir, pid_t writer)
{
	char top[512], line[128], other[160];
	const char *name = strrchr(dir, '/');
	int status, ret = 0, err;
	pid_t destroyer;
	double t0;

	if (!name || name == dir || strlen(name + 1) > 32)
		return 1;
	snprintf(top, sizeof(top), "%.*s", (int)(name - dir), dir);
	name++;
	snprintf(line, sizeof(line), "destroy name=%s\n", name);
	destroyer = fork();
	if (destroyer == 0)
		_exit(write_line(top, line));
	sleep(1);
	if (waitpid(destroyer, &status, WNOHANG) == destroyer) {
		printf("# the destroy did not wait for the stalled write\n");
		return 1;
	}
	err = child_within(top, NULL, 1.0);
	printf("# reading the top-level control beside the destroy: %s\n",
	       err ? "stuck" : "ok");
	if (err)
		ret = 1;
	snprintf(other, sizeof(other),
		 "create name=%s size=8M backing=none\n", name);
	err = child_within(top, other, 1.0);
	printf("# creating %s again while it is destroyed: errno %d\n", name,
	       err);
	if (err != EBUSY)
		ret = 1;
	snprintf(other, sizeof(other),
		 "create name=%.28sx size=8M backing=none\n", name);
	err = child_within(top, other, 1.0);
	if (!err) {
		snprintf(other, sizeof(other), "destroy name=%.28sx\n", name);
		err = child_within(top, other, 1.0);
	}
	printf("# another instance made and destroyed beside it: errno %d\n",
	       err);
	if (err)
		ret = 1;

	kill(writer, SIGKILL);
	t0 = now_s();
	err = reap_within(destroyer, 5);
	if (err == -2) {
		printf("# the destroy outlived the stalled writer by 5 s\n");
		return 1;
	}
	printf("# the destroy finished %.3f s after SIGKILL: errno %d\n",
	       now_s() - t0, err);
	if (err || access(dir, F_OK) == 0)
		ret = 1;
	return ret;
}

static int fuzz_stall(const char *dir, bool destroy)
{
	static const char * const files[] = {
		"control", "stats", "buddyinfo", "allocations", "verify",
	};
	char path[512], *buf = malloc(MAX_STATE);
	double t, t0;
	unsigned int f;
	int fd, status, ret = 0;
	pid_t child;

	child = fork();
	if (child == 0)
		stalled_writer(dir);
	sleep(1);
	if (waitpid(child, &status, WNOHANG) == child) {
		printf("# the writer did not stall (exit %d): no userfaultfd?\n",
		       WEXITSTATUS(status));
		return 4;
	}
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		t = timed_read(dir, files[f], buf);
		printf("# reading %s beside the stalled writer: %.3f s\n",
		       files[f], t);
		if (t < 0 || t > 1.0)
			ret = 1;
	}
	snprintf(path, sizeof(path), "%s/control", dir);
	fd = open(path, O_WRONLY);
	t0 = now_s();
	if (fd < 0 || write(fd, "drain\n", 6) != 6)
		ret = 1;
	t = now_s() - t0;
	printf("# a control write beside it: %.3f s\n", t);
	if (t > 1.0)
		ret = 1;
	close(fd);

	if (destroy && stall_destroy(dir, child))
		ret = 1;
	kill(child, SIGKILL);
	t0 = now_s();
	if (reap_within(child, 5) == -2) {
		printf("# the stalled writer outlived SIGKILL by 5 s\n");
		return 1;
	}
	printf("# SIGKILL ended the stalled writer in %.3f s\n", now_s() - t0);
	free(buf);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned long n;
	uint64_t seed;

	if (argc != 5) {
		fprintf(stderr, "usage: %s control DIR LINES SEED | params KO SETS SEED | stall DIR DESTROY 0\n",
			argv[0]);
		return 2;
	}
	n = strtoul(argv[3], NULL, 0);
	seed = strtoull(argv[4], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "control"))
		return fuzz_control(argv[2], n, seed);
	if (!strcmp(argv[1], "params"))
		return fuzz_params(argv[2], n, seed);
	if (!strcmp(argv[1], "stall"))
		return fuzz_stall(argv[2], n);
	return 2;
}
