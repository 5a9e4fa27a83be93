/* idle.c - what a supervisor costs while the game just runs: its CPU time
 * and wakeups (context switches) over an interval in which nothing
 * happens, and its peak RSS; umucg, tini, catatonit, dumb-init side by side. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

struct sample {
	long long vol, invol;  /* voluntary / involuntary context switches */
	long long ticks;       /* utime + stime, clock ticks */
	long long hwm_kb, rss_kb;
};

struct variant {
	const char *name;
	char *argv[12];
	pid_t pid;
	struct sample a, b;
};

static long long status_field(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

static int take(pid_t pid, struct sample *s)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	s->vol = status_field(buf, "\nvoluntary_ctxt_switches:");
	s->invol = status_field(buf, "\nnonvoluntary_ctxt_switches:");
	s->hwm_kb = status_field(buf, "\nVmHWM:");
	s->rss_kb = status_field(buf, "\nVmRSS:");
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *rp = strrchr(buf, ')');
	unsigned long long ut, st;
	/* After "pid (comm)": state is field 3; utime and stime are 14 and 15. */
	if (!rp || sscanf(rp + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			  &ut, &st) != 2)
		return -1;
	s->ticks = (long long)(ut + st);
	return 0;
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *base = bench_base_create();
	char *umucg = (char *)bench_umucg(), *helper = (char *)bench_helper();
	char *umucg_b = bench_umucg_b();
	double interval = bench_quick() ? 3 : 60, settle = 1;
	char life[32];
	snprintf(life, sizeof life, "%.0f", interval + 2 * settle + 1);

	struct variant vs[] = {
		{ "umucg run", { umucg, "--base", (char *)base, "run", "--", helper, "sleep", life, NULL }, 0, { 0 }, { 0 } },
		{ "tini -s", { "tini", "-s", "--", helper, "sleep", life, NULL }, 0, { 0 }, { 0 } },
		{ "catatonit", { "catatonit", "--", helper, "sleep", life, NULL }, 0, { 0 }, { 0 } },
		{ "dumb-init", { "dumb-init", helper, "sleep", life, NULL }, 0, { 0 }, { 0 } },
		/* A/B: another umucg build (BENCH_UMUCG_B), e.g. static musl. */
		{ "B: umucg run", { umucg_b, "--base", (char *)base, "run", "--", helper, "sleep", life, NULL }, 0, { 0 }, { 0 } },
	};
	size_t nv = sizeof vs / sizeof *vs - (umucg_b ? 0 : 1);
	for (size_t i = 0; i < nv; i++)
		vs[i].pid = bench_spawn(vs[i].argv, true, -1);
	sleep_s(settle);
	for (size_t i = 0; i < nv; i++)
		if (take(vs[i].pid, &vs[i].a) < 0)
			bench_die("%s: /proc/%d: gone before the interval", vs[i].name, (int)vs[i].pid);
	sleep_s(interval);
	for (size_t i = 0; i < nv; i++)
		if (take(vs[i].pid, &vs[i].b) < 0)
			bench_die("%s: /proc/%d: gone during the interval", vs[i].name, (int)vs[i].pid);

	bench_section("idle: the supervisor while its CMD sleeps, all four at once");
	printf("  interval %.0f s (after %.0f s to settle); CPU in clock ticks of %ld Hz\n",
	       interval, settle, sysconf(_SC_CLK_TCK));
	printf("  %-12s %10s %10s %8s %10s %10s\n", "supervisor", "wakeups", "preempted",
	       "CPU", "peak RSS", "RSS");
	long long tini_hwm = 0;
	for (size_t i = 0; i < nv; i++) {
		struct variant *v = &vs[i];
		printf("  %-12s %10lld %10lld %8lld %7lld kB %7lld kB", v->name, v->b.vol - v->a.vol,
		       v->b.invol - v->a.invol, v->b.ticks - v->a.ticks, v->b.hwm_kb, v->b.rss_kb);
		if (i == 1)
			tini_hwm = v->b.hwm_kb;
		if (i > 0 && vs[0].b.hwm_kb > 0)
			printf("   (umucg's peak RSS x%.2f)", (double)vs[0].b.hwm_kb / (double)v->b.hwm_kb);
		printf("\n");
	}
	long long wake = vs[0].b.vol - vs[0].a.vol;
	printf("  umucg wakeups while idle: %lld; peak RSS %lld kB vs tini %lld kB\n", wake,
	       vs[0].b.hwm_kb, tini_hwm);
	bench_goal("3 peak RSS of the supervisor", (double)vs[0].b.hwm_kb, "kB", "tini -s",
		   (double)tini_hwm, (double)tini_hwm);
	if (umucg_b)
		bench_goal("3 peak RSS, B build (static musl: 0.8 MB)", (double)vs[4].b.hwm_kb, "kB",
			   "fixed bound", -1, 800);
	bench_goal("  wakeups while idle (60 s)", (double)wake, "", "none", -1, 0);
	for (size_t i = 0; i < nv; i++) {
		int status = bench_wait(vs[i].pid);
		if (status != 0)
			fprintf(stderr, "bench: %s: exited with status %d\n", vs[i].name, status);
	}
	bench_base_remove();
	return 0;
}
