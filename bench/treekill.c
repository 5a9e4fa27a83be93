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
 * we are a subreaper, were reparented to us). */
static void reap(long n)
{
	for (long got = 0; got < n;) {
		if (waitpid(-1, NULL, 0) > 0)
			got++;
		else if (errno != EINTR)
			bench_die("waitpid: %s (%ld of %ld reaped)", strerror(errno), got, n);
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

/* umucg run holds the tree; we time `umucg stop` from spawn to its exit.
 * *stop_status gets its wait status: a failed stop is reported, not hidden,
 * and whatever it left is killed so the run can end. */
static double umucg_stop(long n, double *run_ms, int *stop_status)
{
	char *umucg = (char *)bench_umucg();
	char dir[600], count[32];
	snprintf(dir, sizeof dir, "%s/tree", base);
	snprintf(count, sizeof count, "%ld", n);
	char *run[] = { umucg, "--base", (char *)base, "run", "--name", "tree", "--",
			helper, "tree", count, NULL };
	pid_t sup = bench_spawn(run, true, -1);
	for (int i = 0; i < 10000 && access(dir, F_OK) < 0; i++)
		sleep_ms(1);
	wait_procs(dir, n + 1);
	char *stop[] = { umucg, "--base", (char *)base, "stop", "tree", NULL };
	uint64_t t0 = bench_now_ns();
	pid_t st = bench_spawn(stop, true, -1);
	int status;
	while (waitpid(st, &status, 0) < 0)
		if (errno != EINTR)
			bench_die("waitpid: %s", strerror(errno));
	double ms = (double)(bench_now_ns() - t0) / 1e6;
	*stop_status = status;
	if (status != 0) {
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
		bench_die("%s: still there after umucg stop and run ended", dir);
	return ms;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	base = bench_base_create();
	helper = (char *)bench_helper();
	/* The killed trees' orphans come to us to be reaped. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		bench_die("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
	bool have_stop = bench_umucg_has("stop");
	long sizes[] = { 10, 100, 1000, 10000 };
	size_t nsizes = bench_quick() ? 3 : 4;

	bench_section("tree kill: end a tree of N processes (median, ms)");
	if (!have_stop)
		printf("  umucg stop: not available yet (`umucg stop --help` fails): left out\n");
	printf("  %-8s %12s %12s %12s %12s %8s\n", "N", "kill-loop", "cgroup.kill",
	       "umucg stop", "(run ended)", "stop/loop");
	for (size_t s = 0; s < nsizes; s++) {
		long n = sizes[s];
		size_t runs = n >= 10000 ? bench_runs(3, 1) : n >= 1000 ? bench_runs(7, 3)
								 : bench_runs(21, 5);
		double *loop = calloc(runs, sizeof(double)), *kern = calloc(runs, sizeof(double));
		double *stop = calloc(runs, sizeof(double)), *run = calloc(runs, sizeof(double));
		int failed = 0, last_status = 0;
		for (size_t r = 0; r < runs; r++) {
			loop[r] = userspace_kill(n);
			kern[r] = kernel_kill(n);
			if (have_stop) {
				int st = 0;
				stop[r] = umucg_stop(n, &run[r], &st);
				if (st != 0) {
					failed++;
					last_status = st;
				}
			}
		}
		double ml = bench_median(loop, runs), mk = bench_median(kern, runs);
		if (have_stop) {
			double ms = bench_median(stop, runs), mr = bench_median(run, runs);
			printf("  %-8ld %12.2f %12.2f %12.2f %12.2f %7.2fx\n", n, ml, mk, ms, mr, ms / ml);
			if (failed)
				printf("  ^ umucg stop FAILED in %d of %zu runs (last: exit %d)\n", failed,
				       runs, WIFEXITED(last_status) ? WEXITSTATUS(last_status) : -1);
		} else {
			printf("  %-8ld %12.2f %12.2f %12s %12s\n", n, ml, mk, "n/a", "n/a");
		}
		free(loop);
		free(kern);
		free(stop);
		free(run);
	}
	printf("  kill-loop: one pass over /proc/*/stat for the descendants, SIGKILL each,\n"
	       "  reap; cgroup.kill: this process writes it and reaps (the kernel floor);\n"
	       "  umucg stop: spawn to exit; (run ended): until `umucg run` holding it exited\n");
	bench_base_remove();
	return 0;
}
