/* teardown.c - from the last process of a tree calling _exit to the moment
 * its parent (bare), or umucg, or tini, has exited and been reaped by us:
 * how long umucg takes to notice an empty group, remove it and leave. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

struct variant {
	const char *name;
	char *argv[12];
	double *samples;
};

static int stamp_rd;

/* Runs argv to its end; returns (our waitpid returned) - (the stamp the last
 * process wrote just before its _exit), in ns. */
static double measure(struct variant *v)
{
	pid_t pid = bench_spawn(v->argv, false, -1);
	int status = bench_wait(pid);
	uint64_t end = bench_now_ns();
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
	const char *base = bench_base_create();
	char *umucg = (char *)bench_umucg(), *helper = (char *)bench_helper();
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
	};
	size_t nv = sizeof vs / sizeof *vs;
	for (size_t i = 0; i < nv; i++)
		vs[i].samples = calloc(runs, sizeof(double));

	bench_section("teardown: last process's _exit to its supervisor reaped (median, us)");
	printf("  %zu runs per variant after %zu warm-up runs, interleaved; the orphan exits\n"
	       "  2 ms after CMD, reparented to umucg (the subreaper)\n", runs, warm);
	for (size_t r = 0; r < warm + runs; r++)
		for (size_t k = 0; k < nv; k++) {
			struct variant *v = &vs[(k + r) % nv];
			double ns = measure(v);
			if (r >= warm)
				v->samples[r - warm] = ns / 1000.0;
		}
	double bare = 0;
	for (size_t i = 0; i < nv; i++) {
		double m = bench_median(vs[i].samples, runs);
		if (i == 0)
			bare = m;
		bench_line(vs[i].name, m, "us", i ? bare : 0);
		/* The slowest tenth shows whether any run waited for a poll or timer. */
		printf("  %-34s %10.1f us (90th percentile)\n", "", vs[i].samples[runs * 9 / 10]);
		free(vs[i].samples);
	}
	bench_base_remove();
	return 0;
}
