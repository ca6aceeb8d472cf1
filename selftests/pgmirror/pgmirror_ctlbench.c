// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_ctlbench: control-write throughput. WRITERS processes, each
 * pinned to its own CPU, each write "alloc order=0 tag=ctlN" and then
 * "free tag=ctlN" to an instance's control file COUNT times, all started
 * at once; prints the wall time per alloc+free pair over all writers.
 * make bench runs it in the VM (a static binary: the guest is busybox).
 *
 * With "check", each writer opens the file read-write instead, reads its
 * own status back after every write (pread at 0), takes its handle from
 * it, frees that handle and checks the status of the free: each open
 * file's status must be its own while the others write. The selftests
 * run this mode.
 *
 *   pgmirror_ctlbench CONTROL WRITERS COUNT [check]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Read this file's own status; 0 if it starts with @prefix */
static int status_is(int fd, const char *prefix, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strncmp(buf, prefix, strlen(prefix)) ? -1 : 0;
}

/* One checked pair: alloc, its handle from the status, free that handle */
static int checked_pair(int fd, const char *alloc, int la)
{
	char buf[256], cmd[64], want[64];
	unsigned int first, last;
	int n;

	if (write(fd, alloc, la) != la ||
	    status_is(fd, "ok: allocated 1 of 1 order-0, handles ", buf,
		      sizeof(buf)) ||
	    sscanf(buf, "ok: allocated 1 of 1 order-0, handles %u-%u",
		   &first, &last) != 2 || first != last) {
		fprintf(stderr, "alloc: status '%s'\n", buf);
		return 1;
	}
	n = snprintf(cmd, sizeof(cmd), "free handle=%u\n", first);
	snprintf(want, sizeof(want), "ok: freed handle %u (order-0)", first);
	if (write(fd, cmd, n) != n || status_is(fd, want, buf, sizeof(buf))) {
		fprintf(stderr, "free %u: status '%s'\n", first, buf);
		return 1;
	}
	return 0;
}

/* One writer: pinned, ready, waits for the start, then COUNT pairs */
static int writer(const char *path, int w, long count, int ready, int go,
		  int check)
{
	char alloc[64], free_cmd[64], c;
	int la, lf, fd;
	cpu_set_t set;
	long i;

	CPU_ZERO(&set);
	CPU_SET(w, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return 2;
	fd = open(path, check ? O_RDWR : O_WRONLY);
	if (fd < 0)
		return 2;
	la = snprintf(alloc, sizeof(alloc), "alloc order=0 tag=ctl%d\n", w);
	lf = snprintf(free_cmd, sizeof(free_cmd), "free tag=ctl%d\n", w);
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		return 2;
	for (i = 0; i < count; i++) {
		if (check) {
			if (checked_pair(fd, alloc, la))
				return 1;
			continue;
		}
		if (write(fd, alloc, la) != la || write(fd, free_cmd, lf) != lf)
			return 1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int ready[2], go[2], w, writers, status, check, bad = 0;
	long long start;
	char c;
	long count;

	check = argc == 5 && !strcmp(argv[4], "check");
	if (argc != 4 && !check) {
		fprintf(stderr, "usage: %s CONTROL WRITERS COUNT [check]\n",
			argv[0]);
		return 2;
	}
	writers = atoi(argv[2]);
	count = atol(argv[3]);
	if (writers < 1 || writers > 64 || count < 1 || pipe(ready) || pipe(go))
		return 2;
	for (w = 0; w < writers; w++) {
		pid_t pid = fork();

		if (pid < 0)
			return 2;
		if (!pid)
			_exit(writer(argv[1], w, count, ready[1], go[0], check));
	}
	for (w = 0; w < writers; w++)
		if (read(ready[0], &c, 1) != 1)
			return 2;
	start = now_ns();
	for (w = 0; w < writers; w++)
		if (write(go[1], "g", 1) != 1)
			return 2;
	for (w = 0; w < writers; w++)
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			bad = 1;
	if (bad) {
		fprintf(stderr, "a writer failed\n");
		return 1;
	}
	printf("writers=%d count=%ld ns_per_pair=%lld\n", writers, count,
	       (now_ns() - start) / (writers * count));
	return 0;
}
