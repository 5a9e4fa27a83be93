/* treekill.c - ending trees of 10 to 10,000 processes: `umucg stop` against
 * a userspace kill-loop (find the descendants in /proc, SIGKILL each, reap)
 * and the kernel floor (cgroup.kill from here); ms, median of a few runs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static const char *base;
static char *helper;

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Waits (setup, not measured) until dir holds want processes. */
static void wait_procs(const char *dir, long want)
{
	for (int i = 0; i < 120000; i++) {
		long n = bench_count_procs(dir);
		if (n == want)
			return;
		sleep_ms(1);
	}
	bench_die("%s: the tree never reached %ld processes (have %ld)", dir, want,
		  bench_count_procs(dir));
}

/* Starts `helper tree n` inside a fresh group dir (made and joined before
 * exec) and waits until all n + 1 processes are there. */
static pid_t tree_in_group(const char *dir, long n)
{
	if (mkdir(dir, 0755) < 0)
		bench_die("mkdir %s: %s", dir, strerror(errno));
	char procs[600], count[32];
	snprintf(procs, sizeof procs, "%s/cgroup.procs", dir);
	snprintf(count, sizeof count, "%ld", n);
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open(procs, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(125);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		char *argv[] = { helper, "tree", count, NULL };
		execv(helper, argv);
		_exit(127);
	}
	wait_procs(dir, n + 1);
	return pid;
}

/* Reaps until n processes have been reaped (they are our children or, as
 * we are a subreaper, were reparented to us): block for one, then take
 * every zombie there is without blocking, as umucg's supervisor does. */
static void reap(long n)
{
	for (long got = 0; got < n;) {
		if (waitpid(-1, NULL, 0) < 0) {
			if (errno == EINTR)
				continue;
			bench_die("waitpid: %s (%ld of %ld reaped)", strerror(errno), got, n);
		}
		got++;
		while (got < n && waitpid(-1, NULL, WNOHANG) > 0)
			got++;
	}
}

static double kernel_kill(long n)
{
	char dir[600];
	snprintf(dir, sizeof dir, "%s/floor", base);
	tree_in_group(dir, n);
	char kill_path[640];
	snprintf(kill_path, sizeof kill_path, "%s/cgroup.kill", dir);
	uint64_t t0 = bench_now_ns();
	int fd = open(kill_path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "1", 1) != 1)
		bench_die("%s: %s", kill_path, strerror(errno));
	close(fd);
	reap(n + 1);
	double ms = (double)(bench_now_ns() - t0) / 1e6;
	if (bench_populated(dir) != 0 || rmdir(dir) < 0)
		bench_die("%s: not empty after cgroup.kill and reaping", dir);
	return ms;
}

/* The descendants of root (root included) from one pass over /proc. */
static size_t descendants(pid_t root, pid_t *out, size_t cap)
{
	static pid_t pids[65536], ppids[65536];
	size_t np = 0, nout = 0;
	DIR *d = opendir("/proc");
	if (!d)
		bench_die("/proc: %s", strerror(errno));
	struct dirent *e;
	while ((e = readdir(d)) && np < 65536) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		char path[300], buf[512];
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t len = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		char *rp = strrchr(buf, ')');
		int ppid;
		if (!rp || sscanf(rp + 2, "%*c %d", &ppid) != 1)
			continue;
		pids[np] = atoi(e->d_name);
		ppids[np++] = ppid;
	}
	closedir(d);
	out[nout++] = root;
	/* Breadth first over the parent links, as a kill-loop script would. */
	for (size_t i = 0; i < nout; i++)
		for (size_t j = 0; j < np && nout < cap; j++)
			if (ppids[j] == out[i])
				out[nout++] = pids[j];
	return nout;
}

static double userspace_kill(long n)
{
	char dir[600];
	snprintf(dir, sizeof dir, "%s/loop", base);
	/* The group is only for counting and clean-up; the loop never uses it. */
	pid_t root = tree_in_group(dir, n);
	pid_t *pids = calloc((size_t)n + 1, sizeof *pids);
	uint64_t t0 = bench_now_ns();
	size_t found = descendants(root, pids, (size_t)n + 1);
	for (size_t i = found; i-- > 0;)
		kill(pids[i], SIGKILL);
	reap(n + 1);
	double ms = (double)(bench_now_ns() - t0) / 1e6;
	free(pids);
	if ((long)found != n + 1)
		bench_die("kill-loop found %zu of %ld processes", found, n + 1);
	if (bench_populated(dir) != 0 || rmdir(dir) < 0)
		bench_die("%s: not empty after the kill-loop", dir);
	return ms;
}

/* umucg run holds the tree (helper MODE n); we time `umucg ACTION...` from
 * spawn to its exit (the returned ms) and to the exit of the run (*run_ms).
 * *status gets the action's wait status: a failed stop or kill is
 * reported, not hidden, and whatever it left is killed so the run can end. */
static double umucg_ends(long n, const char *mode, char *const action[], double *run_ms,
			 int *status)
{
	char *umucg = (char *)bench_umucg();
	char dir[600], count[32];
	snprintf(dir, sizeof dir, "%s/tree", base);
	snprintf(count, sizeof count, "%ld", n);
	char *run[] = { umucg, "--base", (char *)base, "run", "--name", "tree", "--",
			helper, (char *)mode, count, NULL };
	pid_t sup = bench_spawn(run, true, -1);
	for (int i = 0; i < 10000 && access(dir, F_OK) < 0; i++)
		sleep_ms(1);
	wait_procs(dir, n + 1);
	char *argv[12] = { umucg, "--base", (char *)base };
	for (size_t i = 0; action[i] && i < 8; i++)
		argv[3 + i] = action[i];
	uint64_t t0 = bench_now_ns();
	pid_t st = bench_spawn(argv, true, -1);
	while (waitpid(st, status, 0) < 0)
		if (errno != EINTR)
			bench_die("waitpid: %s", strerror(errno));
	double ms = (double)(bench_now_ns() - t0) / 1e6;
	if (*status != 0) {
		char kill_path[640];
		snprintf(kill_path, sizeof kill_path, "%s/cgroup.kill", dir);
		int fd = open(kill_path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (write(fd, "1", 1) != 1)
				fprintf(stderr, "bench: %s: %s\n", kill_path, strerror(errno));
			close(fd);
		}
	}
	bench_wait(sup);
	*run_ms = (double)(bench_now_ns() - t0) / 1e6;
	if (access(dir, F_OK) == 0)
		bench_die("%s: still there after umucg %s and run ended", dir, action[0]);
	return ms;
}

struct figures {
	double loop, floor, stop, stop_run, kill, kill_run, noterm;
};

/* One size, runs times each; medians into *f. noterm: also stop a tree
 * that ignores SIGTERM (--grace 0.5). */
static void measure(long n, size_t runs, bool noterm, struct figures *f)
{
	double *v[7];
	for (int k = 0; k < 7; k++)
		v[k] = calloc(runs, sizeof(double));
	char *stop[] = { "stop", "tree", NULL };
	char *kill_[] = { "kill", "tree", NULL };
	char *stop_grace[] = { "stop", "--grace", "0.5", "tree", NULL };
	int failed = 0, last_status = 0;
	for (size_t r = 0; r < runs; r++) {
		int st[3] = { 0, 0, 0 };
		v[0][r] = userspace_kill(n);
		v[1][r] = kernel_kill(n);
		v[2][r] = umucg_ends(n, "tree", stop, &v[3][r], &st[0]);
		v[4][r] = umucg_ends(n, "tree", kill_, &v[5][r], &st[1]);
		if (noterm)
			v[6][r] = umucg_ends(n, "tree-noterm", stop_grace, &(double){ 0 }, &st[2]);
		for (int k = 0; k < 3; k++)
			if (st[k] != 0) {
				failed++;
				last_status = st[k];
			}
	}
	double *out[7] = { &f->loop, &f->floor, &f->stop, &f->stop_run, &f->kill, &f->kill_run,
			   &f->noterm };
	for (int k = 0; k < 7; k++) {
		*out[k] = bench_median(v[k], runs);
		free(v[k]);
	}
	if (failed)
		printf("  ^ umucg stop/kill FAILED in %d of %zu runs (last: exit %d)\n", failed, runs,
		       WIFEXITED(last_status) ? WEXITSTATUS(last_status) : -1);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	base = bench_base_create();
	helper = (char *)bench_helper();
	/* The killed trees' orphans come to us to be reaped. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		bench_die("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
	long sizes[] = { 10, 100, 1000, 10000 };
	size_t nsizes = bench_quick() ? 3 : 4;

	bench_section("tree kill: end a tree of N processes (median, ms)");
	printf("  %-6s %10s %10s %10s %10s %10s %10s %9s\n", "N", "kill-loop", "floor",
	       "umucg kill", "(run end)", "umucg stop", "(run end)", "stop/floor");
	struct figures f = { 0 };
	long n = 0;
	for (size_t s = 0; s < nsizes; s++) {
		n = sizes[s];
		size_t runs = n >= 10000 ? bench_runs(3, 1) : n >= 1000 ? bench_runs(7, 3)
								 : bench_runs(21, 5);
		measure(n, runs, s == nsizes - 1, &f);
		printf("  %-6ld %10.2f %10.2f %10.2f %10.2f %10.2f %10.2f %8.2fx\n", n, f.loop, f.floor,
		       f.kill, f.kill_run, f.stop, f.stop_run, f.stop / f.floor);
	}
	printf("  a tree of %ld that ignores SIGTERM: umucg stop --grace 0.5  %.2f ms\n", n, f.noterm);
	printf("  kill-loop: one pass over /proc/*/stat for the descendants, SIGKILL each,\n"
	       "  reap; floor: this process writes cgroup.kill and reaps (the kernel's part);\n"
	       "  umucg kill/stop: spawn to exit, the tree held by a live `umucg run`;\n"
	       "  (run end): until that `umucg run` has reaped the tree, removed the group, exited\n");
	char what[64];
	/* Goal: kill and stop cost what the kernel's cgroup.kill and reaping
	 * cost, within 1.2x; stop's grace on top where SIGTERM is ignored. */
	snprintf(what, sizeof what, "4 umucg kill, %ld processes (run ended)", n);
	bench_goal(what, f.kill_run, "ms", "cgroup.kill+reap", f.floor, 1.2 * f.floor);
	snprintf(what, sizeof what, "4 umucg stop, %ld processes", n);
	bench_goal(what, f.stop, "ms", "cgroup.kill+reap", f.floor, 1.2 * f.floor);
	snprintf(what, sizeof what, "4 umucg stop, %ld ignoring TERM, grace 0.5", n);
	bench_goal(what, f.noterm, "ms", "cgroup.kill+reap", f.floor, 1.2 * f.floor + 500);
	bench_base_remove();
	return 0;
}
