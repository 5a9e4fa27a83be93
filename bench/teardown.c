/* teardown.c - from the last process of a tree calling _exit to the moment
 * its parent (bare), or umucg, or tini, has exited and been reaped by us:
 * how long umucg takes to notice an empty group, remove it and leave. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

extern char **environ;

struct variant {
	const char *name;
	char *argv[12];
	double *samples;
};

static int stamp_rd;
static const char *base;

/* The kernel's part of umucg's teardown, without umucg: the helper runs in
 * a group of its own (clone3 into it); we reap it and rmdir the group. */
static uint64_t floor_run(char *const argv[])
{
	char dir[600];
	snprintf(dir, sizeof dir, "%s/tfloor", base);
	if (mkdir(dir, 0755) < 0)
		bench_die("mkdir %s: %s", dir, strerror(errno));
	int gfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct clone_args args;
	memset(&args, 0, sizeof args);
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = (unsigned long long)gfd;
	pid_t pid = gfd < 0 ? -1 : (pid_t)syscall(SYS_clone3, &args, sizeof args);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		execve(argv[0], argv, environ);
		_exit(127);
	}
	if (pid < 0)
		bench_die("clone3 into %s: %s", dir, strerror(errno));
	close(gfd);
	int status = bench_wait(pid);
	if (rmdir(dir) < 0 || status != 0)
		bench_die("teardown floor: rmdir %s: %s (status %d)", dir, strerror(errno), status);
	return bench_now_ns();
}

/* Runs argv to its end; returns (our waitpid returned) - (the stamp the last
 * process wrote just before its _exit), in ns. */
static double measure(struct variant *v, bool floor)
{
	int status = 0;
	uint64_t end;
	if (floor) {
		end = floor_run(v->argv);
	} else {
		pid_t pid = bench_spawn(v->argv, false, -1);
		status = bench_wait(pid);
		end = bench_now_ns();
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_die("%s: exited with status %d", v->name, status);
	uint64_t stamp;
	ssize_t n = read(stamp_rd, &stamp, sizeof stamp);
	if (n != (ssize_t)sizeof stamp)
		bench_die("%s: no timestamp from the last process (%zd)", v->name, n);
	return (double)(end - stamp);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	base = bench_base_create();
	char *umucg = (char *)bench_umucg(), *helper = (char *)bench_helper();
	char *umucg_b = bench_umucg_b();
	size_t runs = bench_runs(1000, 100), warm = runs / 10;
	int p[2];
	/* The write end stays open across exec: the last process writes to it. */
	if (pipe(p) < 0 || fcntl(p[0], F_SETFD, FD_CLOEXEC) < 0)
		bench_die("pipe: %s", strerror(errno));
	stamp_rd = p[0];
	char fd[16];
	snprintf(fd, sizeof fd, "%d", p[1]);

	struct variant vs[] = {
		{ "bare: helper exits, we reap it", { helper, "stamp", fd, NULL }, NULL },
		{ "umucg run: CMD is the last process",
		  { umucg, "--base", (char *)base, "run", "--", helper, "stamp", fd, NULL }, NULL },
		{ "umucg run: an orphan is the last",
		  { umucg, "--base", (char *)base, "run", "--", helper, "orphan", fd, "2", NULL }, NULL },
		{ "tini -s: CMD is the last process", { "tini", "-s", "--", helper, "stamp", fd, NULL }, NULL },
		{ "kernel floor: in a group, reap, rmdir", { helper, "stamp", fd, NULL }, NULL },
		/* A/B: another umucg build in the same run (BENCH_UMUCG_B). */
		{ "B: umucg run: CMD is the last",
		  { umucg_b, "--base", (char *)base, "run", "--", helper, "stamp", fd, NULL }, NULL },
	};
	size_t nv = sizeof vs / sizeof *vs - (umucg_b ? 0 : 1);
	for (size_t i = 0; i < nv; i++)
		vs[i].samples = calloc(runs, sizeof(double));

	bench_section("teardown: last process's _exit to its supervisor reaped (median, us)");
	printf("  %zu runs per variant after %zu warm-up runs, interleaved; the orphan exits\n"
	       "  2 ms after CMD, reparented to umucg (the subreaper)\n", runs, warm);
	for (size_t r = 0; r < warm + runs; r++)
		for (size_t k = 0; k < nv; k++) {
			struct variant *v = &vs[(k + r) % nv];
			double ns = measure(v, v == &vs[4]);
			if (r >= warm)
				v->samples[r - warm] = ns / 1000.0;
		}
	double bare = 0, med[6] = { 0 };
	for (size_t i = 0; i < nv; i++) {
		double m = med[i] = bench_median(vs[i].samples, runs);
		if (i == 0)
			bare = m;
		bench_line(vs[i].name, m, "us", i ? bare : 0);
		/* The slowest tenth shows whether any run waited for a poll or timer. */
		printf("  %-34s %10.1f us (90th percentile)\n", "", vs[i].samples[runs * 9 / 10]);
		free(vs[i].samples);
	}
	/* Goal: umucg notices the end, removes the group and leaves no later
	 * than tini -s, which has no group to remove. */
	bench_goal("2 teardown: CMD last, _exit to reaped", med[1], "us", "tini -s", med[3], med[3]);
	bench_goal("2 teardown: an orphan last", med[2], "us", "tini -s", med[3], med[3]);
	if (umucg_b)
		bench_goal("2 teardown, B build: CMD last", med[5], "us", "tini -s", med[3], med[3]);
	bench_base_remove();
	return 0;
}
