/* test_fault.c - fault injection: umucg SIGKILLed at any point (before or
 * after spawn, during a kill) leaves a group that stop/gc clean; a
 * read-only or unwritable base creates nothing; EINTR from stop/continue;
 * the group removed from outside while umucg watches it; a CMD that closes
 * its inherited fds; 100 concurrent runs with one explicit name; a signal
 * forwarded to a tree that forks meanwhile. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"

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

TestSuite(fault, .init = setup, .fini = teardown, .timeout = 120);

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static bool gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

/* umucg ARGS...; asserts the exit code. */
static void umucg_expect(int want, const char *what, const char *a1, const char *a2,
			 const char *a3, const char *a4)
{
	struct th_result r;
	th_run(&r, NULL, base_arg, a1, a2, a3, a4, NULL);
	cr_expect_eq(r.code, want, "%s: exit %d: %s", what, r.code, r.err);
	th_result_free(&r);
}

Test(fault, sigkill_after_spawn_leaves_a_group_that_stop_cleans)
{
	const char *args[] = { base_arg, "run", "--name", "k1", "--", "sleep", "60", NULL };
	struct th_proc p;
	th_start(&p, NULL, args);
	pid_t sleeper = th_wait_comm(&base, "k1", "sleep", 10);
	cr_assert_gt(sleeper, 0, "sleep never appeared in k1");
	cr_assert_eq(kill(p.pid, SIGKILL), 0);
	struct th_result r;
	th_finish(&p, &r);
	cr_expect_eq(r.code, 128 + SIGKILL);
	th_result_free(&r);
	/* the group stays, with its process, findable by list */
	cr_assert(th_group_exists(&base, "k1"));
	cr_expect_eq(th_group_populated(&base, "k1"), 1);
	th_run(&r, NULL, base_arg, "list", NULL);
	cr_expect(th_contains(r.out, "k1"), "list: %s", r.out);
	th_result_free(&r);
	umucg_expect(0, "stop", "stop", "k1", "--grace", "0.2");
	cr_expect(!th_group_exists(&base, "k1"), "stop left the group");
	for (int i = 0; i < 200 && !gone(sleeper); i++)
		sleep_ms(10);
	cr_expect(gone(sleeper), "sleep %d survived stop", (int)sleeper);
	th_end(&base);
}

Test(fault, sigkill_during_a_kill_leaves_a_group_that_stop_cleans)
{
	/* CMD ignores TERM, so the forwarded TERM starts a 30 s grace, during
	 * which umucg dies */
	const char *args[] = { base_arg, "run", "--name", "k2", "--grace", "30", "--",
			       "sh", "-c", "trap '' TERM; sleep 60 & wait", NULL };
	struct th_proc p;
	th_start(&p, NULL, args);
	cr_assert_gt(th_wait_comm(&base, "k2", "sleep", 10), 0);
	cr_assert_eq(kill(p.pid, SIGTERM), 0);
	sleep_ms(100);
	cr_assert_eq(kill(p.pid, SIGKILL), 0);
	struct th_result r;
	th_finish(&p, &r);
	th_result_free(&r);
	cr_expect_eq(th_group_populated(&base, "k2"), 1, "the group should still hold the tree");
	umucg_expect(0, "stop", "stop", "k2", "--grace", "0.2");
	cr_expect(!th_group_exists(&base, "k2"));
	th_end(&base);
}

/* SIGKILL at random points from exec to exit, 40 times: whatever state it
 * leaves (no group, an empty group, a group with CMD), gc then stop clean it. */
Test(fault, sigkill_at_any_point_leaves_nothing_gc_and_stop_cannot_clean)
{
	srand((unsigned)getpid());
	for (int i = 0; i < 40; i++) {
		char name[32];
		snprintf(name, sizeof name, "r%d", i);
		const char *args[] = { base_arg, "run", "--name", name, "--", "sleep", "0.3", NULL };
		struct th_proc p;
		th_start(&p, NULL, args);
		sleep_ms(rand() % 8); /* 0..7 ms: before mkdir, before and after spawn */
		kill(p.pid, SIGKILL);
		struct th_result r;
		th_finish(&p, &r);
		th_result_free(&r);
		if (th_group_exists(&base, name)) {
			/* empty: gc takes it (its manager is dead); else stop */
			struct th_result g;
			th_run(&g, NULL, base_arg, "gc", NULL);
			cr_expect_eq(g.code, 0, "gc: %s", g.err);
			th_result_free(&g);
			/* killed between mkdir and the record: an empty directory
			 * that is not umucg's to judge; stop says --force */
			char path[PATH_MAX + 64], rec[64];
			snprintf(path, sizeof path, "%s/%s", base.path, name);
			bool no_record = getxattr(path, "user.umucg.manager", rec, sizeof rec) < 0;
			if (th_group_exists(&base, name) && no_record) {
				cr_expect_eq(th_group_populated(&base, name), 0);
				umucg_expect(125, "stop without a record", "stop", name, "--grace", "0");
				umucg_expect(0, "stop --force", "stop", "--force", name, "--grace=0");
			} else if (th_group_exists(&base, name)) {
				umucg_expect(0, "stop", "stop", name, "--grace", "0");
			}
			cr_expect(!th_group_exists(&base, name), "%s: neither gc nor stop removed it", name);
		}
	}
	th_end(&base);
}

/* Runs umucg with args in a forked child after prepare() (a mount
 * namespace, another uid); returns the exit code and stderr. */
static int run_in_child(void (*prepare)(void), const char *const *args, char *err, size_t cap)
{
	int pipefd[2];
	cr_assert_eq(pipe2(pipefd, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		prepare();
		dup2(pipefd[1], 2);
		execv(getenv("UMUCG_BIN"), (char *const *)args);
		_exit(101);
	}
	close(pipefd[1]);
	size_t len = 0;
	ssize_t n;
	while (len + 1 < cap && (n = read(pipefd[0], err + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	err[len] = '\0';
	close(pipefd[0]);
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "status %#x", status);
	return WEXITSTATUS(status);
}

static void prepare_readonly(void)
{
	/* only this child's copy of the cgroup2 mount becomes read-only */
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount(NULL, th_cgroup2_mount(), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
		_exit(100);
}

static void prepare_nobody(void)
{
	struct passwd *pw = getpwnam("nobody");
	if (!pw || setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
		_exit(100);
}

Test(fault, readonly_or_unwritable_base_creates_nothing)
{
	cr_assert_not_null(getenv("UMUCG_BIN"));
	const char *args[] = { "umucg", base_arg, "run", "--name", "ro", "--", "true", NULL };
	char err[4096];
	int code = run_in_child(prepare_readonly, args, err, sizeof err);
	cr_expect_eq(code, 125, "read-only: exit %d: %s", code, err);
	cr_expect(th_contains(err, "Read-only"), "read-only: %s", err);
	code = run_in_child(prepare_nobody, args, err, sizeof err);
	cr_expect_eq(code, 125, "unwritable: exit %d: %s", code, err);
	cr_expect(th_contains(err, "hint:"), "unwritable: no hint: %s", err);
	cr_expect(!th_group_exists(&base, "ro"));
	th_end(&base);
}

/* SIGSTOP/SIGCONT make poll, epoll_wait, read and wait return EINTR. */
Test(fault, eintr_from_stop_and_continue_changes_nothing)
{
	const char *args[] = { base_arg, "run", "--name", "intr", "--", "sh", "-c",
			       "sleep 0.3 & sleep 0.6; wait; exit 7", NULL };
	struct th_proc p;
	th_start(&p, NULL, args);
	for (int i = 0; i < 150 && !gone(p.pid); i++) {
		kill(p.pid, SIGSTOP);
		sleep_ms(1);
		kill(p.pid, SIGCONT);
		sleep_ms(4);
	}
	struct th_result r;
	th_finish(&p, &r);
	cr_expect_eq(r.code, 7, "exit %d: %s", r.code, r.err);
	cr_expect_eq(r.err[0], '\0', "stderr: %s", r.err);
	th_result_free(&r);
	cr_expect(!th_group_exists(&base, "intr"));
	th_end(&base);
}

Test(fault, group_killed_and_removed_from_outside_ends_the_run)
{
	const char *args[] = { base_arg, "run", "--name", "ext", "--", "sleep", "60", NULL };
	struct th_proc p;
	th_start(&p, NULL, args);
	cr_assert_gt(th_wait_comm(&base, "ext", "sleep", 10), 0);
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/ext/cgroup.kill", base.path);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "1", 1), 1);
	close(fd);
	/* race umucg for the rmdir */
	snprintf(path, sizeof path, "%s/ext", base.path);
	for (int i = 0; i < 500 && rmdir(path) < 0 && errno == EBUSY; i++)
		sleep_ms(1);
	struct th_result r;
	th_finish(&p, &r); /* must end, not hang */
	cr_expect_eq(r.code, 128 + SIGKILL, "exit %d: %s", r.code, r.err);
	th_result_free(&r);
	cr_expect(!th_group_exists(&base, "ext"));
	th_end(&base);
}

/* A signal umucg forwards while the tree forks reaches the children forked
 * between umucg's read of cgroup.procs and its kill() of their parent: with
 * forkers listed after 400 sleeps, one read and one pass of kill() missed
 * them every time and the run lasted the whole grace period. */
Test(fault, a_forwarded_signal_reaches_children_forked_meanwhile)
{
	const char *args[] = { base_arg, "run", "--name", "fs", "--grace", "20", "--", "sh", "-c",
			       "for i in $(seq 400); do sleep 60 & done; "
			       "for k in 1 2 3 4; do (while :; do sleep 60 & done) & done; wait", NULL };
	for (int trial = 0; trial < 3; trial++) {
		struct th_proc p;
		th_start(&p, NULL, args);
		int n = 0;
		for (int i = 0; i < 3000 && (n = th_group_nprocs(&base, "fs")) < 600; i++)
			sleep_ms(10);
		cr_assert_geq(n, 600, "trial %d: the tree did not grow to 600 processes (%d)", trial, n);
		double t0 = th_now();
		cr_assert_eq(kill(p.pid, SIGHUP), 0);
		struct th_result r;
		th_finish(&p, &r);
		double took = th_now() - t0;
		cr_assert_eq(r.code, 128 + SIGHUP, "trial %d: exit %d: %s", trial, r.code, r.err);
		cr_assert_lt(took, 10, "trial %d: %.2f s: a child forked meanwhile missed the SIGHUP "
			     "and lived until the grace period's kill", trial, took);
		cr_assert(!th_group_exists(&base, "fs"), "trial %d: the group is left", trial);
		th_result_free(&r);
	}
	th_end(&base);
}

Test(fault, cmd_that_closes_or_redirects_its_fds)
{
	static const char *const scripts[] = {
		"exec 0<&- 1>&- 2>&-; sleep 0.1 & exit 0",
		"exec >/dev/null 2>&1 </dev/null; echo hidden; exit 4",
		"exec 1>&2; echo to-stderr; exit 0",
	};
	static const int codes[] = { 0, 4, 0 };
	for (size_t i = 0; i < 3; i++) {
		struct th_result r;
		th_run(&r, NULL, base_arg, "run", "--", "sh", "-c", scripts[i], NULL);
		cr_expect_eq(r.code, codes[i], "%s: exit %d: %s", scripts[i], r.code, r.err);
		th_result_free(&r);
	}
	th_end(&base);
}

Test(fault, hundred_concurrent_runs_with_one_name_exactly_one_wins)
{
	enum { N = 100 };
	static struct th_proc p[N];
	/* The winner's CMD waits for a file the test makes once the other 99
	 * have ended: a run that starts late (100 starts take seconds under a
	 * sanitizer) must still find the name taken, not freed again. */
	char flag[PATH_MAX + 16], cmd[PATH_MAX + 64];
	snprintf(flag, sizeof flag, "/tmp/umucg-test-fault-flag-%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "while [ ! -e %s ]; do sleep 0.05; done", flag);
	const char *args[] = { base_arg, "run", "--name", "same", "--", "sh", "-c", cmd, NULL };
	for (int i = 0; i < N; i++)
		th_start(&p[i], NULL, args);
	int ended = 0;
	double end = th_now() + 60;
	while (ended < N - 1 && th_now() < end) {
		struct pollfd pfd[N];
		for (int i = 0; i < N; i++)
			pfd[i] = (struct pollfd){ .fd = p[i].pidfd, .events = POLLIN };
		poll(pfd, N, 100);
		ended = 0;
		for (int i = 0; i < N; i++)
			ended += pfd[i].revents != 0;
	}
	cr_expect_eq(ended, N - 1, "%d runs ended before the winner was let go", ended);
	int fd = open(flag, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0);
	close(fd);
	int won = 0, lost = 0, other = 0;
	for (int i = 0; i < N; i++) {
		struct th_result r;
		th_finish(&p[i], &r);
		if (r.code == 0)
			won++;
		else if (r.code == 125 && th_contains(r.err, "already exists"))
			lost++;
		else {
			other++;
			cr_expect_fail("run %d: exit %d: %s", i, r.code, r.err);
		}
		th_result_free(&r);
	}
	unlink(flag);
	cr_expect_eq(won, 1, "%d won", won);
	cr_expect_eq(lost, N - 1, "%d lost, %d other", lost, other);
	cr_expect(!th_group_exists(&base, "same"));
	th_end(&base);
}
