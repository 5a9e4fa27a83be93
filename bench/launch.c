/* launch.c - the cost of starting and ending /bin/true under umucg run, a
 * bare fork/exec, the kernel's own cgroup work, tini, catatonit, dumb-init
 * and cgexec; every variant interleaved in the same run, median of N. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
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
	char *argv[12];          /* NULL argv[0]: a built-in measured in C */
	uint64_t (*builtin)(void);
	const char *skip;        /* why it cannot run here, or NULL */
	double *samples;
	double median;
};

static const char *base;

/* The kernel's part of a umucg run, without umucg: mkdir a group, clone3
 * /bin/true straight into it, wait, rmdir. What is left over is ours. */
static uint64_t kernel_floor(void)
{
	char dir[600];
	snprintf(dir, sizeof dir, "%s/floor", base);
	uint64_t t0 = bench_now_ns();
	if (mkdir(dir, 0755) < 0)
		bench_die("mkdir %s: %s", dir, strerror(errno));
	int gfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (gfd < 0)
		bench_die("open %s: %s", dir, strerror(errno));
	struct clone_args args;
	memset(&args, 0, sizeof args);
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = (unsigned long long)gfd;
	pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		char *argv[] = { "/bin/true", NULL };
		execve(argv[0], argv, environ);
		_exit(127);
	}
	if (pid < 0)
		bench_die("clone3 into %s: %s", dir, strerror(errno));
	close(gfd);
	int status = bench_wait(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_die("kernel floor: /bin/true failed (status %d)", status);
	if (rmdir(dir) < 0)
		bench_die("rmdir %s: %s", dir, strerror(errno));
	return bench_now_ns() - t0;
}

static bool in_path(const char *prog)
{
	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	char *copy = strdup(path), *save = NULL;
	bool found = false;
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char p[1024];
		snprintf(p, sizeof p, "%s/%s", d, prog);
		found = access(p, X_OK) == 0;
	}
	free(copy);
	return found;
}

/* true when a cgroup v1 hierarchy is mounted (a hybrid host). */
static bool v1_mounted(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024];
	bool v1 = false;
	while (f && !v1 && fgets(line, sizeof line, f))
		v1 = strstr(line, " - cgroup ") != NULL;
	if (f)
		fclose(f);
	return v1;
}

/* cgexec (libcgroup 2.0) needs "-g CONTROLLERS:PATH" and the group must
 * exist in every hierarchy named: on a hybrid host the controllers are all
 * v1 (and "*" takes in every v1 hierarchy) while the unified mount has none
 * to name, so cgexec would need v1 groups, and the benchmarks never write
 * to v1. Tried with the v1 mounts made read-only in a private mount
 * namespace: "cgexec -g '*:/G'" fails "cgroup change of group failed" before
 * writing anything; ":/G" is a parse error. On a pure cgroup2 host it runs
 * when asked to (BENCH_CGEXEC=1), into base/cgexec. */
static const char *cgexec_skip(void)
{
	if (!in_path("cgexec"))
		return "not installed (apt: cgroup-tools)";
	if (v1_mounted())
		return "cannot run here: hybrid host, cgexec needs v1 groups (see launch.c)";
	if (getenv("BENCH_CGEXEC") == NULL)
		return "set BENCH_CGEXEC=1 to measure it (pure cgroup2 host)";
	char dir[600];
	snprintf(dir, sizeof dir, "%s/cgexec", base);
	if (mkdir(dir, 0755) < 0)
		bench_die("mkdir %s: %s", dir, strerror(errno));
	return NULL;
}

static void check_once(struct variant *v)
{
	if (v->skip)
		return;
	if (v->builtin) {
		v->builtin();
		return;
	}
	pid_t pid = bench_spawn(v->argv, true, -1);
	int status = bench_wait(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: %s: exited with status %d; left out\n", v->name, status);
		v->skip = "failed its trial run (see above)";
	}
}

static uint64_t measure(struct variant *v)
{
	if (v->builtin)
		return v->builtin();
	int status;
	uint64_t ns = bench_run_once(v->argv, &status);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_die("%s: exited with status %d", v->name, status);
	return ns;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	base = bench_base_create();
	char *umucg = (char *)bench_umucg(), *umucg_b = bench_umucg_b();
	size_t runs = bench_runs(2000, 200), warm = runs / 10;
	/* base is <cgroup2 mount>/umucg-bench-PID: the group relative to the mount */
	char cgexec_group[128];
	snprintf(cgexec_group, sizeof cgexec_group, "*:%s/cgexec", strrchr(base, '/'));

	struct variant vs[] = {
		{ .name = "bare fork/exec /bin/true", .argv = { "/bin/true", NULL } },
		{ .name = "kernel floor (mkdir+clone3+rmdir)", .builtin = kernel_floor },
		{ .name = "umucg run -- /bin/true",
		  .argv = { umucg, "--base", (char *)base, "run", "--", "/bin/true", NULL } },
		{ .name = "umucg --version (exec+load only)", .argv = { umucg, "--version", NULL } },
		{ .name = "tini --version (exec+load only)", .argv = { "tini", "--version", NULL } },
		{ .name = "tini -s -- /bin/true", .argv = { "tini", "-s", "--", "/bin/true", NULL } },
		{ .name = "catatonit -- /bin/true", .argv = { "catatonit", "--", "/bin/true", NULL } },
		{ .name = "dumb-init /bin/true", .argv = { "dumb-init", "/bin/true", NULL } },
		{ .name = "cgexec -g '*:B/cgexec' /bin/true", .skip = cgexec_skip(),
		  .argv = { "cgexec", "-g", cgexec_group, "/bin/true", NULL } },
		/* A/B: another umucg build measured in the same run (BENCH_UMUCG_B). */
		{ .name = "B: umucg run -- /bin/true", .skip = umucg_b ? NULL : "",
		  .argv = { umucg_b, "--base", (char *)base, "run", "--", "/bin/true", NULL } },
		{ .name = "B: umucg --version", .skip = umucg_b ? NULL : "",
		  .argv = { umucg_b, "--version", NULL } },
	};
	size_t nv = sizeof vs / sizeof *vs;
	for (size_t i = 0; i < nv; i++) {
		if (!vs[i].skip && !vs[i].builtin && !in_path(vs[i].argv[0]))
			vs[i].skip = "not installed";
		check_once(&vs[i]);
		vs[i].samples = calloc(runs, sizeof(double));
	}

	bench_section("launch: start and end /bin/true (median, us; ratio and difference to bare)");
	printf("  %zu runs per variant after %zu warm-up runs, interleaved; umucg: %s\n",
	       runs, warm, umucg);
	for (size_t r = 0; r < warm + runs; r++) {
		for (size_t k = 0; k < nv; k++) {
			/* Rotate the order so no variant always follows another. */
			struct variant *v = &vs[(k + r) % nv];
			if (v->skip)
				continue;
			uint64_t ns = measure(v);
			if (r >= warm)
				v->samples[r - warm] = (double)ns / 1000.0;
		}
	}
	double bare = 0, ours = 0, tini = 0, floor = 0, ours_exec = 0, ours_b = 0;
	for (size_t i = 0; i < nv; i++) {
		struct variant *v = &vs[i];
		if (v->skip) {
			if (*v->skip)
				printf("  %-34s %s\n", v->name, v->skip);
			continue;
		}
		v->median = bench_median(v->samples, runs);
		if (i == 0)
			bare = v->median;
		bench_line(v->name, v->median, "us", i == 0 ? 0 : bare);
		if (i == 1)
			floor = v->median;
		if (i == 2)
			ours = v->median;
		if (i == 3)
			ours_exec = v->median;
		if (i == 5)
			tini = v->median;
		if (i == nv - 2)
			ours_b = v->median;
	}
	if (bare <= 0 || ours <= 0)
		bench_die("launch: the bare or the umucg variant did not run");
	double over = ours - bare;
	printf("  umucg overhead over bare: %.1f us\n", over);
	if (floor > 0 && ours_exec > 0)
		printf("  of which: the kernel's cgroup work %.1f us, exec+load of umucg %.1f us,\n"
		       "  the rest (umucg's own work) %.1f us\n",
		       floor - bare, ours_exec, ours - floor - ours_exec);
	if (tini > 0) {
		/* Goal: umucg does the cgroup work and still costs no more than a
		 * wrapper that does none. */
		double tover = tini - bare;
		printf("  umucg overhead / tini -s overhead: %.2f (goal <= 1)\n", tover > 0 ? over / tover : 0);
		bench_goal("1 launch: overhead over bare /bin/true", over, "us", "tini -s", tover, tover);
		if (ours_b > 0)
			bench_goal("1 launch, B build", ours_b - bare, "us", "tini -s", tover, tover);
	}
	for (size_t i = 0; i < nv; i++)
		free(vs[i].samples);
	bench_base_remove();
	return 0;
}
