/* test_soak.c - soak: 1,000 sequential runs, 100 create/stop cycles and
 * 1,000 in-process library cycles, measuring fds, memory and leftover
 * groups at the start and the end. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "helpers.h"
#include "umucg.h"

static struct th_base base;
static char base_arg[PATH_MAX + 16];

static void setup(void)
{
	th_base_make(&base);
	snprintf(base_arg, sizeof base_arg, "--base=%s", base.path);
}

static void teardown(void)
{
	th_base_discard(&base);
}

TestSuite(soak, .init = setup, .fini = teardown, .timeout = 300);

/* Runs umucg with args, stdio to /dev/null; returns the exit code and the
 * peak RSS (KiB) of that umucg process. */
static int run_measured(char *const *args, long *maxrss_kb)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0), dup2(null, 1), dup2(null, 2);
		execv(getenv("UMUCG_BIN"), args);
		_exit(101);
	}
	int status;
	struct rusage ru;
	cr_assert_eq(wait4(pid, &status, 0, &ru), pid);
	*maxrss_kb = ru.ru_maxrss;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The cgroup2 count under the base from its cgroup.stat. */
static long base_descendants(void)
{
	char *stat = th_group_read(&base, "", "cgroup.stat");
	cr_assert_not_null(stat);
	char *p = strstr(stat, "nr_descendants ");
	long n = p ? strtol(p + 15, NULL, 10) : -1;
	free(stat);
	return n;
}

Test(soak, thousand_sequential_runs_leave_nothing_and_do_not_grow)
{
	cr_assert_not_null(getenv("UMUCG_BIN"));
	char *real[] = { getenv("UMUCG_BIN"), base_arg, "run", "--name", "soak", "--", "true", NULL };
	int fds_before = th_count_fds();
	long first_max = 0, last_max = 0;
	double t0 = th_now();
	for (int i = 0; i < 1000; i++) {
		long rss;
		int code = run_measured(real, &rss);
		cr_assert_eq(code, 0, "run %d: exit %d", i, code);
		if (i < 100 && rss > first_max)
			first_max = rss;
		if (i >= 900 && rss > last_max)
			last_max = rss;
	}
	double secs = th_now() - t0;
	int fds_after = th_count_fds();
	long left = base_descendants();
	cr_log_info("1000 runs: %.2f s (%.2f ms each); umucg peak RSS first 100: %ld KiB, "
		    "last 100: %ld KiB; test fds %d -> %d; groups left %ld",
		    secs, secs, first_max, last_max, fds_before, fds_after, left);
	cr_expect_eq(left, 0, "%ld groups left", left);
	cr_expect_eq(fds_after, fds_before);
	cr_expect_leq(last_max, first_max + 256, "peak RSS grew: %ld -> %ld KiB", first_max, last_max);
	th_end(&base);
}

Test(soak, hundred_create_stop_cycles_leave_nothing)
{
	int fds_before = th_count_fds();
	for (int i = 0; i < 100; i++) {
		struct th_result r;
		th_run(&r, NULL, base_arg, "create", "cyc", NULL);
		cr_assert_eq(r.code, 0, "create %d: %s", i, r.err);
		cr_assert(th_contains(r.out, "/cyc"), "create printed %s", r.out);
		th_result_free(&r);
		cr_assert(th_group_exists(&base, "cyc"));
		th_run(&r, NULL, base_arg, "stop", "cyc", "--grace", "0", NULL);
		cr_assert_eq(r.code, 0, "stop %d: %s", i, r.err);
		th_result_free(&r);
		cr_assert(!th_group_exists(&base, "cyc"), "cycle %d: stop left it", i);
	}
	cr_expect_eq(th_count_fds(), fds_before);
	cr_expect_eq(base_descendants(), 0);
	th_end(&base);
}

static long rss_kb(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "re");
	cr_assert_not_null(f);
	cr_assert_eq(fscanf(f, "%ld %ld", &pages, &resident), 2);
	fclose(f);
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void library_cycle(int i)
{
	struct umucg_error err = { 0 };
	struct umucg_base b;
	cr_assert_eq(umucg_base_resolve(base.path, &b, &err), 0, "%s", err.msg);
	char name[UMUCG_NAME_MAX + 1] = "lib";
	struct umucg_meta meta = { 0 };
	umucg_meta_self(&meta, NULL);
	int g = umucg_group_create(b.fd, name, true, &meta, NULL, &err);
	cr_assert_geq(g, 0, "cycle %d: %s", i, err.msg);
	cr_assert_eq(umucg_group_populated(g, &err), 0);
	pid_t *pids = NULL;
	size_t n = 0;
	cr_assert_eq(umucg_group_pids(g, &pids, &n, &err), 0);
	cr_assert_eq(n, 0);
	free(pids);
	struct umucg_meta back;
	umucg_meta_read(NULL, g, &back, NULL);
	close(g);
	cr_assert_eq(umucg_group_remove(b.fd, name, &err), 0, "%s", err.msg);
	umucg_base_release(&b);
}

Test(soak, thousand_library_cycles_in_process_do_not_grow)
{
	for (int i = 0; i < 50; i++) /* warm up allocator and caches */
		library_cycle(i);
	int fds_before = th_count_fds();
	long rss_before = rss_kb();
	for (int i = 0; i < 1000; i++)
		library_cycle(i);
	int fds_after = th_count_fds();
	long rss_after = rss_kb();
	cr_log_info("1000 library cycles: fds %d -> %d, RSS %ld -> %ld KiB",
		    fds_before, fds_after, rss_before, rss_after);
	cr_expect_eq(fds_after, fds_before);
#if defined(__SANITIZE_ADDRESS__)
	/* ASan keeps freed memory in quarantine, so RSS grows by design; its
	 * leak checker (.ci/sanitize) checks this loop instead. */
#else
	cr_expect_leq(rss_after, rss_before + 128, "RSS grew %ld -> %ld KiB", rss_before, rss_after);
#endif
	cr_expect_eq(base_descendants(), 0);
	th_end(&base);
}
