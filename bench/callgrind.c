/* callgrind.c - instructions executed by `umucg run -- /bin/true` (umucg's
 * own process, not the child's exec) under valgrind --tool=callgrind: a
 * figure that noise does not move, to hold the line on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static char outdir[] = "/tmp/umucg-bench-cg-XXXXXX";

/* Ir total from the "summary:" (or "totals:") line of a callgrind file. */
static long long read_total(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	char line[512];
	long long total = -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "summary:", 8) == 0 || (total < 0 && strncmp(line, "totals:", 7) == 0))
			total = strtoll(strchr(line, ':') + 1, NULL, 10);
	fclose(f);
	return total;
}

/* Runs cmd under callgrind; returns the instructions of the first process. */
static long long count(char *const cmd[])
{
	char outopt[128];
	snprintf(outopt, sizeof outopt, "--callgrind-out-file=%s/cg.%%p", outdir);
	char *argv[24] = { "valgrind", "--tool=callgrind", outopt, "--trace-children=no", NULL };
	size_t n = 4;
	for (size_t i = 0; cmd[i] && n < 23; i++)
		argv[n++] = cmd[i];
	argv[n] = NULL;
	pid_t pid = bench_spawn(argv, false, -1);
	int status = bench_wait(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_die("valgrind %s: exited with status %d", cmd[0], status);
	char path[128];
	snprintf(path, sizeof path, "%s/cg.%d", outdir, (int)pid);
	long long total = read_total(path);
	if (total < 0)
		bench_die("%s: no instruction total", path);
	return total;
}

static void cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", outdir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench: could not remove %s\n", outdir);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	bench_section("instructions under callgrind (umucg's process only; median of 3)");
	char *probe[] = { "valgrind", "--version", NULL };
	int status;
	bench_run_once(probe, &status);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("  valgrind: not installed (apt: valgrind): left out\n");
		return 0;
	}
	const char *base = bench_base_create();
	char *umucg = (char *)bench_umucg(), *umucg_b = bench_umucg_b();
	if (!mkdtemp(outdir))
		bench_die("mkdtemp: %s", strerror(errno));
	struct {
		const char *name;
		char *argv[10];
	} vs[] = {
		{ "umucg run -- /bin/true", { umucg, "--base", (char *)base, "run", "--", "/bin/true", NULL } },
		{ "umucg --version", { umucg, "--version", NULL } },
		{ "tini -s -- /bin/true", { "tini", "-s", "--", "/bin/true", NULL } },
		{ "/bin/true", { "/bin/true", NULL } },
		{ "B: umucg run -- /bin/true", { umucg_b, "--base", (char *)base, "run", "--", "/bin/true", NULL } },
		{ "B: umucg --version", { umucg_b, "--version", NULL } },
	};
	for (size_t i = 0; i < sizeof vs / sizeof *vs - (umucg_b ? 0 : 2); i++) {
		double c[3];
		for (int r = 0; r < 3; r++)
			c[r] = (double)count(vs[i].argv);
		double m = bench_median(c, 3);
		printf("  %-34s %12.0f Ir   (spread %.0f)\n", vs[i].name, m, c[2] - c[0]);
	}
	printf("  Ir include the dynamic loader; under valgrind clone3 may be refused\n"
	       "  (ENOSYS), so umucg takes its fork+join path there.\n");
	cleanup();
	bench_base_remove();
	return 0;
}
