/* scale.c - 200 `umucg run` at once: time to have them all started, their
 * summed RSS, `umucg list` time against the number of groups, and the time
 * for all of them to end when their commands exit together. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define GROUPS 200
#define STEP 50

static long long rss_kb(pid_t pid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strstr(buf, "\nVmRSS:");
	return p ? strtoll(p + 7, NULL, 10) : 0;
}

static double time_list(char *umucg, const char *base, size_t runs)
{
	char *argv[] = { umucg, "--base", (char *)base, "list", NULL };
	double *v = calloc(runs, sizeof(double));
	for (size_t r = 0; r < runs; r++) {
		int status;
		v[r] = (double)bench_run_once(argv, &status) / 1000.0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bench_die("umucg list: exited with status %d", status);
	}
	double m = bench_median(v, runs);
	free(v);
	return m;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *base = bench_base_create();
	char *umucg = (char *)bench_umucg(), *helper = (char *)bench_helper();
	bool have_list = bench_umucg_has("list");
	size_t list_runs = bench_runs(21, 5);
	int p[2];
	/* Every command blocks on the read end until we close the write end. */
	if (pipe(p) < 0 || fcntl(p[1], F_SETFD, FD_CLOEXEC) < 0)
		bench_die("pipe: %s", strerror(errno));
	char fd[16];
	snprintf(fd, sizeof fd, "%d", p[0]);

	bench_section("scale: 200 groups supervised at once");
	if (!have_list)
		printf("  umucg list: not available yet (`umucg list --help` fails): left out\n");
	else
		printf("  %-34s %10.1f us\n", "umucg list, 0 groups", time_list(umucg, base, list_runs));
	static pid_t sup[GROUPS];
	uint64_t start_ns = 0;
	for (int g = 0; g < GROUPS; g += STEP) {
		uint64_t t0 = bench_now_ns();
		for (int i = g; i < g + STEP; i++) {
			char name[32];
			snprintf(name, sizeof name, "s%d", i);
			char *argv[] = { umucg, "--base", (char *)base, "run", "--name", name, "--",
					 helper, "block", fd, NULL };
			sup[i] = bench_spawn(argv, true, p[0]);
		}
		/* Started = its group holds its command. */
		for (int i = g; i < g + STEP; i++) {
			char dir[600];
			snprintf(dir, sizeof dir, "%s/s%d", base, i);
			for (int k = 0; bench_count_procs(dir) != 1; k++) {
				if (k > 200000)
					bench_die("%s never held its command", dir);
				struct timespec ts = { 0, 50000 };
				nanosleep(&ts, NULL);
			}
		}
		start_ns += bench_now_ns() - t0;
		if (have_list) {
			char label[64];
			snprintf(label, sizeof label, "umucg list, %d groups", g + STEP);
			printf("  %-34s %10.1f us\n", label, time_list(umucg, base, list_runs));
		}
	}
	long long rss = 0;
	for (int i = 0; i < GROUPS; i++)
		rss += rss_kb(sup[i]);
	printf("  %-34s %10.1f ms (%.1f us each, in batches of %d)\n", "start 200 umucg run",
	       (double)start_ns / 1e6, (double)start_ns / 1e3 / GROUPS, STEP);
	printf("  %-34s %10lld kB (%lld kB each)\n", "RSS of the 200 supervisors", rss, rss / GROUPS);

	uint64_t t0 = bench_now_ns();
	close(p[1]);
	int failed = 0;
	for (int i = 0; i < GROUPS; i++) {
		int status = bench_wait(sup[i]);
		failed += status != 0;
	}
	printf("  %-34s %10.1f ms\n", "all 200 end (commands exit at once)",
	       (double)(bench_now_ns() - t0) / 1e6);
	if (failed)
		bench_die("%d of the %d runs failed", failed, GROUPS);
	close(p[0]);
	bench_base_remove();
	return 0;
}
