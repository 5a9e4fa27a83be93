/* bench.c - helpers shared by the benchmarks (see bench.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

extern char **environ;

static char base_path[512];

uint64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double bench_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool bench_quick(void)
{
	const char *q = getenv("BENCH_QUICK");
	return q && *q && strcmp(q, "0") != 0;
}

size_t bench_runs(size_t full, size_t quick)
{
	const char *s = getenv("BENCH_RUNS");
	if (s && *s) {
		long n = strtol(s, NULL, 10);
		if (n > 0)
			return (size_t)n;
	}
	return bench_quick() ? quick : full;
}

void bench_die(const char *fmt, ...)
{
	va_list ap;
	fputs("bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	bench_base_remove();
	exit(1);
}

static const char *env_path(const char *var)
{
	const char *p = getenv(var);
	if (!p || !*p)
		bench_die("%s is not set (run the benchmarks with `make bench`)", var);
	if (access(p, X_OK) < 0)
		bench_die("%s=%s: %s", var, p, strerror(errno));
	return p;
}

const char *bench_umucg(void)
{
	return env_path("UMUCG_ELF");
}

char *bench_umucg_b(void)
{
	char *b = getenv("BENCH_UMUCG_B");
	if (!b || !*b)
		return NULL;
	if (access(b, X_OK) < 0)
		bench_die("BENCH_UMUCG_B=%s: %s", b, strerror(errno));
	return b;
}

void bench_goal(const char *what, double figure, const char *unit, const char *peer,
		double peer_figure, double bound)
{
	const char *path = getenv("BENCH_GOALS");
	if (!path || !*path)
		return;
	FILE *f = fopen(path, "ae");
	if (!f)
		bench_die("%s: %s", path, strerror(errno));
	/* One line a goal, tab-separated (bench/summary.c reads it). */
	fprintf(f, "%s\t%.1f\t%s\t%s\t%.1f\t%.1f\n", what, figure, unit, peer, peer_figure, bound);
	fclose(f);
}

const char *bench_helper(void)
{
	return env_path("BENCH_HELPER");
}

pid_t bench_spawn(char *const argv[], bool verbose, int keep_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (!verbose)
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	(void)keep_fd; /* posix_spawn keeps every fd without O_CLOEXEC */
	pid_t pid;
	int r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0)
		bench_die("spawn %s: %s", argv[0], strerror(r));
	return pid;
}

int bench_wait(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			bench_die("waitpid %d: %s", (int)pid, strerror(errno));
	return status;
}

uint64_t bench_run_once(char *const argv[], int *status)
{
	uint64_t t0 = bench_now_ns();
	pid_t pid = bench_spawn(argv, false, -1);
	*status = bench_wait(pid);
	return bench_now_ns() - t0;
}

static char *cgroup2_mount(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		bench_die("/proc/self/mountinfo: %s", strerror(errno));
	char *line = NULL, *found = NULL;
	size_t cap = 0;
	while (!found && getline(&line, &cap, f) > 0) {
		/* "... mountpoint opts [optional...] - cgroup2 source superopts" */
		char *sep = strstr(line, " - cgroup2 ");
		if (!sep)
			continue;
		char mp[400];
		if (sscanf(line, "%*s %*s %*s %*s %399s", mp) == 1)
			found = strdup(mp);
	}
	free(line);
	fclose(f);
	if (!found)
		bench_die("no cgroup2 mount in /proc/self/mountinfo");
	return found;
}

const char *bench_base_create(void)
{
	if (base_path[0])
		return base_path;
	char *mount = cgroup2_mount();
	snprintf(base_path, sizeof base_path, "%s/umucg-bench-%d", mount, (int)getpid());
	free(mount);
	if (mkdir(base_path, 0755) < 0) {
		int e = errno;
		base_path[0] = '\0';
		bench_die("mkdir %s/umucg-bench-%d: %s (the benchmarks run as root)",
			  "<cgroup2 mount>", (int)getpid(), strerror(e));
	}
	return base_path;
}

static void write_file(const char *dir, const char *name, const char *s)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, s, strlen(s)) < 0) {
		/* best effort: the caller checks the result by rmdir */
	}
	close(fd);
}

/* Kills and removes dir and every group below it, deepest first. */
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		char sub[1024];
		snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
		remove_tree(sub);
	}
	closedir(d);
	for (int i = 0; i < 2000; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return;
		if (errno != EBUSY)
			break;
		/* Teardown only, not measured: wait for killed processes to go. */
		write_file(dir, "cgroup.kill", "1");
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "bench: warning: could not remove %s: %s\n", dir, strerror(errno));
}

void bench_base_remove(void)
{
	if (!base_path[0])
		return;
	remove_tree(base_path);
	base_path[0] = '\0';
}

static ssize_t read_file(const char *dir, const char *name, char *buf, size_t cap)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

long bench_count_procs(const char *dir)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/cgroup.procs", dir);
	FILE *f = fopen(p, "re");
	if (!f)
		return -1;
	long n = 0;
	int c;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

int bench_populated(const char *dir)
{
	char buf[256];
	if (read_file(dir, "cgroup.events", buf, sizeof buf) < 0)
		return -1;
	char *p = strstr(buf, "populated ");
	return p ? p[10] == '1' : -1;
}

bool bench_umucg_has(const char *sub)
{
	char *argv[] = { (char *)bench_umucg(), (char *)sub, "--help", NULL };
	int status;
	bench_run_once(argv, &status);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void bench_section(const char *title)
{
	printf("\n== %s\n", title);
	fflush(stdout);
}

void bench_line(const char *name, double median, const char *unit, double base)
{
	if (base > 0)
		printf("  %-34s %10.1f %-3s  x%-6.2f (%+.1f %s)\n", name, median, unit,
		       median / base, median - base, unit);
	else
		printf("  %-34s %10.1f %s\n", name, median, unit);
	fflush(stdout);
}
