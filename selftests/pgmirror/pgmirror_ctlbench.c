// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror_ctlbench: control-write throughput. WRITERS processes, each
 * pinned to its own CPU and with its own open file, each make COUNT pairs
 * at once; prints the wall time per pair over all writers. A pair is the
 * lines the UML bench hands the control code (kunit/bench_test.c):
 * "alloc order=0 tag=ctlN", the handle read back from the file's own
 * status (pread at 0), and "free handle=N": three system calls. make
 * bench runs it in the VM (a static binary: the guest is busybox).
 *
 * With "syscalls", each pair is three getppid() calls instead: the
 * system calls alone, which shows how far the machine runs W processes'
 * calls in parallel at all.
 *
 * With "check", each writer also checks the status of each free: each
 * open file's status must be its own while the others write. The
 * selftests run this mode.
 *
 *   pgmirror_ctlbench CONTROL WRITERS COUNT [syscalls|check]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
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

/*
 * One pair as a writer makes it: "alloc", its handle read back from this
 * file's own status, "free handle=N". With @check the status must name
 * the one handle as "handles N-N", and the free's status must name it.
 */
static int pair(int fd, const char *alloc, int la, int check)
{
	static const char ok[] = "ok: allocated 1 of 1 order-0, handles ";
	char buf[256] = "", cmd[64], want[64];
	unsigned int first = 0, last;
	const char *s;
	int n;

	if (write(fd, alloc, la) != la || status_is(fd, ok, buf, sizeof(buf)))
		goto bad_alloc;
	for (s = buf + sizeof(ok) - 1; *s >= '0' && *s <= '9'; s++)
		first = first * 10 + (unsigned int)(*s - '0');
	if (check && (s == buf + sizeof(ok) - 1 ||
		      sscanf(s, "-%u", &last) != 1 || last != first))
		goto bad_alloc;
	n = snprintf(cmd, sizeof(cmd), "free handle=%u\n", first);
	if (write(fd, cmd, n) != n)
		goto bad_free;
	if (!check)
		return 0;
	snprintf(want, sizeof(want), "ok: freed handle %u (order-0)", first);
	if (status_is(fd, want, buf, sizeof(buf)))
		goto bad_free;
	return 0;
bad_alloc:
	fprintf(stderr, "alloc: status '%s'\n", buf);
	return 1;
bad_free:
	fprintf(stderr, "free %u: status '%s'\n", first, buf);
	return 1;
}

enum { MODE_HANDLE, MODE_SYSCALLS, MODE_CHECK };

/* One writer: pinned, ready, waits for the start, then COUNT pairs */
static int writer(const char *path, int w, long count, int ready, int go,
		  int mode)
{
	char alloc[64], c;
	int la, fd, ret = 0;
	cpu_set_t set;
	long i;

	CPU_ZERO(&set);
	CPU_SET(w, &set);
	fd = sched_setaffinity(0, sizeof(set), &set) ? -1 : open(path, O_RDWR);
	/* A writer that cannot start says so: nobody waits for it */
	if (fd < 0) {
		perror(path);
		return write(ready, "f", 1) == 1 ? 2 : 3;
	}
	la = snprintf(alloc, sizeof(alloc), "alloc order=0 tag=ctl%d\n", w);
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		return 2;
	for (i = 0; i < count && !ret; i++) {
		switch (mode) {
		case MODE_HANDLE:
		case MODE_CHECK:
			ret = pair(fd, alloc, la, mode == MODE_CHECK);
			break;
		case MODE_SYSCALLS:
			syscall(SYS_getppid);
			syscall(SYS_getppid);
			syscall(SYS_getppid);
			break;
		}
	}
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	int ready[2], go[2], w, writers, status, bad = 0;
	int mode = MODE_HANDLE;
	long long start;
	char c;
	long count;

	if (argc == 5 && !strcmp(argv[4], "syscalls"))
		mode = MODE_SYSCALLS;
	else if (argc == 5 && !strcmp(argv[4], "check"))
		mode = MODE_CHECK;
	else if (argc != 4)
		mode = -1;
	if (mode < 0) {
		fprintf(stderr,
			"usage: %s CONTROL WRITERS COUNT [syscalls|check]\n",
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
			_exit(writer(argv[1], w, count, ready[1], go[0], mode));
	}
	for (w = 0; w < writers; w++)
		if (read(ready[0], &c, 1) != 1 || c != 'r')
			bad = 1;
	/* Those that did start run, and end, either way */
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
