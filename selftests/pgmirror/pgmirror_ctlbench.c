// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_ctlbench: control-write throughput. WRITERS processes, each
 * pinned to its own CPU, each write "alloc order=0 tag=ctlN" and then
 * "free tag=ctlN" to an instance's control file COUNT times, all started
 * at once; prints the wall time per alloc+free pair over all writers.
 * make bench runs it in the VM (a static binary: the guest is busybox).
 *
 *   pgmirror_ctlbench CONTROL WRITERS COUNT
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

/* One writer: pinned, ready, waits for the start, then COUNT pairs */
static int writer(const char *path, int w, long count, int ready, int go)
{
	char alloc[64], free_cmd[64], c;
	int la, lf, fd;
	cpu_set_t set;
	long i;

	CPU_ZERO(&set);
	CPU_SET(w, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return 2;
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return 2;
	la = snprintf(alloc, sizeof(alloc), "alloc order=0 tag=ctl%d\n", w);
	lf = snprintf(free_cmd, sizeof(free_cmd), "free tag=ctl%d\n", w);
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		return 2;
	for (i = 0; i < count; i++)
		if (write(fd, alloc, la) != la || write(fd, free_cmd, lf) != lf)
			return 1;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int ready[2], go[2], w, writers, status, bad = 0;
	long long start;
	char c;
	long count;

	if (argc != 4) {
		fprintf(stderr, "usage: %s CONTROL WRITERS COUNT\n", argv[0]);
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
			_exit(writer(argv[1], w, count, ready[1], go[0]));
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
