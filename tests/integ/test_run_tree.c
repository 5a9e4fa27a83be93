/* test_run_tree.c - umucg run supervising a whole tree: double-forked
 * orphans are waited for (subreaper), --kill-on-exit, forwarded signals with
 * --grace, a second signal, --timeout, and both kill methods. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"

static struct th_base base;

static void setup(void)
{
	th_base_make(&base);
}

static void teardown(void)
{
	th_base_discard(&base);
}

TestSuite(run_tree, .init = setup, .fini = teardown, .timeout = 60);

static const char *const kill_methods[] = { "auto", "cgroup-kill", "freeze" };
#define N_KILL (sizeof kill_methods / sizeof *kill_methods)

static const char *const spawn_methods[] = { "clone3", "fork" };
#define N_SPAWN (sizeof spawn_methods / sizeof *spawn_methods)

static pid_t ppid_of(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	char state;
	int ppid;
	return p && sscanf(p + 1, " %c %d", &state, &ppid) == 2 ? ppid : -1;
}

static bool alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno != ESRCH;
}

Test(run_tree, double_forked_setsid_grandchild_is_waited_for)
{
	for (size_t m = 0; m < N_SPAWN; m++) {
		char flag[] = "/tmp/umucg-test-flag-XXXXXX", env[64], script[512];
		int fd = mkstemp(flag);
		cr_assert(fd >= 0);
		close(fd);
		unlink(flag);
		snprintf(env, sizeof env, "UMUCG_SPAWN=%s", spawn_methods[m]);
		/* the subshell forks setsid and exits: the grandchild is an orphan
		 * in its own session, and CMD itself is gone long before it */
		snprintf(script, sizeof script,
			 "(setsid sh -c 'sleep 0.6; echo done > %s' &); exit 5", flag);
		const char *set[] = { env, NULL };
		struct th_run_opts o = { .env_set = set };
		const char *args[] = { "run", "--base", base.path, "--name", "tree", "--",
				       "sh", "-c", script, NULL };
		struct th_proc p;
		th_start(&p, &o, args);
		pid_t sleeper = th_wait_comm(&base, "tree", "sleep", 10);
		cr_assert(sleeper > 0, "%s: the grandchild's sleep is not in base/tree", spawn_methods[m]);
		pid_t grandchild = ppid_of(sleeper);
		/* once the subshell is gone the orphan belongs to umucg, the subreaper */
		for (int i = 0; i < 200 && ppid_of(grandchild) != p.pid; i++)
			usleep(5000);
		cr_assert_eq(ppid_of(grandchild), p.pid, "%s: the orphan %d was reparented to %d, not umucg %d",
			     spawn_methods[m], (int)grandchild, (int)ppid_of(grandchild), (int)p.pid);
		cr_assert_neq(getsid(grandchild), getsid(p.pid), "the grandchild did not setsid");
		struct th_result r;
		th_finish(&p, &r);
		cr_assert_eq(r.code, 5, "%s: exit %d (CMD's is 5), stderr: %s", spawn_methods[m], r.code, r.err);
		cr_assert_eq(access(flag, F_OK), 0,
			     "%s: umucg returned after %.2f s, before the grandchild finished", spawn_methods[m],
			     r.seconds);
		cr_assert(!alive(sleeper) && !alive(grandchild));
		cr_assert(!th_group_exists(&base, "tree"));
		unlink(flag);
		th_result_free(&r);
	}
	th_end(&base);
}

Test(run_tree, kill_on_exit_kills_the_orphans_with_each_kill_method)
{
	for (size_t m = 0; m < N_KILL; m++) {
		char env[64];
		snprintf(env, sizeof env, "UMUCG_KILL=%s", kill_methods[m]);
		const char *set[] = { env, NULL };
		struct th_run_opts o = { .env_set = set };
		struct th_result r;
		/* the orphan prints its pid; it would live 30 s */
		th_run(&r, &o, "run", "--base", base.path, "--kill-on-exit", "--keep", "--name", "koe", "--",
		       "sh", "-c", "(setsid sh -c 'echo $$; exec sleep 30' &); sleep 0.2; exit 4", NULL);
		cr_assert_eq(r.code, 4, "%s: exit %d, stderr: %s", kill_methods[m], r.code, r.err);
		cr_assert_lt(r.seconds, 10, "%s: umucg waited for the orphan", kill_methods[m]);
		pid_t orphan = (pid_t)atoi(r.out);
		cr_assert_gt(orphan, 0, "no pid printed: '%s'", r.out);
		cr_assert(!alive(orphan), "%s: the orphan %d still lives", kill_methods[m], (int)orphan);
		/* --keep: the group stays, empty and thawed, for us to look at */
		cr_assert(th_group_exists(&base, "koe"));
		cr_assert_eq(th_group_populated(&base, "koe"), 0);
		char *freeze = th_group_read(&base, "koe", "cgroup.freeze");
		cr_assert(freeze && strcmp(freeze, "0\n") == 0, "%s: cgroup.freeze left at '%s'",
			  kill_methods[m], freeze ? freeze : "(unreadable)");
		free(freeze);
		char *events = th_group_read(&base, "koe", "cgroup.events");
		cr_assert(th_contains(events, "frozen 0"), "%s: cgroup.events: %s", kill_methods[m], events);
		free(events);
		char path[4200];
		snprintf(path, sizeof path, "%s/koe", base.path);
		cr_assert_eq(rmdir(path), 0, "rmdir %s: %s", path, strerror(errno));
		th_result_free(&r);
	}
	th_end(&base);
}

Test(run_tree, without_kill_on_exit_the_tree_outlives_cmd)
{
	struct th_result r;
	/* longer than umucg_group_remove's own retries (about 1 s) on a busy
	 * group, so that only waiting for the tree passes */
	th_run(&r, NULL, "run", "--base", base.path, "--", "sh", "-c",
	       "(sleep 1.5 &); exit 0", NULL);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert_geq(r.seconds, 1.45, "umucg returned after %.2f s, before the orphan's 1.5 s",
		      r.seconds);
	cr_assert_str_empty(r.err);
	th_result_free(&r);
	th_end(&base);
}

/* Starts CMD (a tree that ignores SIGTERM when ignore_term) and waits until
 * its sleep is in base/NAME. */
static pid_t start_tree(struct th_proc *p, const char *kill_method, const char *grace,
			bool ignore_term)
{
	static char env[64];
	snprintf(env, sizeof env, "UMUCG_KILL=%s", kill_method);
	static const char *set[2];
	set[0] = env;
	set[1] = NULL;
	struct th_run_opts o = { .env_set = set };
	/* The ignored dispositions are inherited by the orphan and by sleep.
	 * sh starts background commands with INT and QUIT ignored (POSIX, no
	 * job control); env gives the polite orphan its default back. */
	const char *script = ignore_term
		? "trap '' TERM INT HUP QUIT; (sleep 30 &); sleep 30; exit 0"
		: "(env --default-signal=INT,QUIT sleep 30 &); sleep 30; exit 0";
	const char *args[] = { "run", "--base", base.path, "--name", "sig", "--grace", grace,
			       "--", "sh", "-c", script, NULL };
	th_start(p, &o, args);
	pid_t pid = th_wait_comm(&base, "sig", "sleep", 10);
	cr_assert(pid > 0, "the tree did not start in base/sig");
	/* settled: sh and both sleeps, the subshell gone (a process forked
	 * while umucg signals the group would miss the signal) */
	for (int i = 0; i < 1000 && !(th_group_nprocs(&base, "sig") == 3 &&
				      th_group_count_comm(&base, "sig", "sleep") == 2); i++)
		usleep(10000);
	cr_assert_eq(th_group_nprocs(&base, "sig"), 3, "sh and two sleeps");
	cr_assert_eq(th_group_count_comm(&base, "sig", "sleep"), 2, "two sleeps");
	return pid;
}

Test(run_tree, sigterm_then_grace_then_kill_on_a_tree_ignoring_term)
{
	for (size_t m = 0; m < N_KILL; m++) {
		struct th_proc p;
		start_tree(&p, kill_methods[m], "0.8", true);
		double t0 = th_now();
		cr_assert_eq(kill(p.pid, SIGTERM), 0);
		usleep(300000);
		cr_assert_eq(th_group_nprocs(&base, "sig"), 3,
			     "%s: the tree was killed before the grace period ended", kill_methods[m]);
		struct th_result r;
		th_finish(&p, &r);
		double took = th_now() - t0;
		cr_assert_eq(r.code, 128 + SIGKILL, "%s: exit %d, stderr: %s", kill_methods[m], r.code, r.err);
		cr_assert_geq(took, 0.75, "%s: killed after %.2f s, grace is 0.8 s", kill_methods[m], took);
		cr_assert_lt(took, 8, "%s: took %.2f s", kill_methods[m], took);
		cr_assert_str_empty(r.err, "%s: %s", kill_methods[m], r.err);
		th_result_free(&r);
	}
	th_end(&base);
}

Test(run_tree, sigterm_ends_a_polite_tree_before_the_grace_period)
{
	struct th_proc p;
	start_tree(&p, "auto", "30", false);
	cr_assert_eq(kill(p.pid, SIGTERM), 0);
	struct th_result r;
	th_finish(&p, &r);
	cr_assert_eq(r.code, 128 + SIGTERM, "exit %d, stderr: %s", r.code, r.err);
	cr_assert_lt(r.seconds, 10, "umucg waited for the grace period");
	th_result_free(&r);
	th_end(&base);
}

Test(run_tree, int_hup_quit_are_forwarded_to_the_whole_tree)
{
	const int sigs[] = { SIGINT, SIGHUP, SIGQUIT };
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		struct th_proc p;
		start_tree(&p, "auto", "30", false);
		/* the orphan sleep must get it too, or umucg would wait 30 s */
		cr_log_info("sending %s to umucg %d", strsignal(sigs[i]), (int)p.pid);
		cr_assert_eq(kill(p.pid, sigs[i]), 0);
		struct th_result r;
		th_finish(&p, &r);
		cr_assert_eq(r.code, 128 + sigs[i], "%s: exit %d, stderr: %s", strsignal(sigs[i]), r.code,
			     r.err);
		cr_assert_lt(r.seconds, 10, "%s: not forwarded to every process", strsignal(sigs[i]));
		th_result_free(&r);
	}
	th_end(&base);
}

Test(run_tree, a_second_sigterm_kills_at_once)
{
	struct th_proc p;
	start_tree(&p, "auto", "60", true);
	cr_assert_eq(kill(p.pid, SIGTERM), 0);
	usleep(300000);
	cr_assert_eq(th_group_nprocs(&base, "sig"), 3, "the first SIGTERM killed the tree");
	double t0 = th_now();
	cr_assert_eq(kill(p.pid, SIGTERM), 0);
	struct th_result r;
	th_finish(&p, &r);
	double took = th_now() - t0;
	cr_assert_eq(r.code, 128 + SIGKILL, "exit %d, stderr: %s", r.code, r.err);
	cr_assert_lt(took, 3, "the second SIGTERM took %.2f s to end the tree", took);
	th_result_free(&r);
	th_end(&base);
}

Test(run_tree, timeout_ends_the_tree_and_exits_124)
{
	struct th_result r;
	th_run(&r, NULL, "run", "--base", base.path, "--timeout", "0.3", "--", "sh", "-c",
	       "(sleep 30 &); sleep 30", NULL);
	cr_assert_eq(r.code, 124, "exit %d, stderr: %s", r.code, r.err);
	cr_assert(r.seconds >= 0.29 && r.seconds < 8, "took %.2f s for a 0.3 s timeout", r.seconds);
	th_result_free(&r);

	/* a tree ignoring the TERM is killed after the grace period */
	th_run(&r, NULL, "run", "--base", base.path, "--timeout", "0.3s", "--grace", "0.4", "--",
	       "sh", "-c", "trap '' TERM; (sleep 30 &); sleep 30", NULL);
	cr_assert_eq(r.code, 124, "exit %d, stderr: %s", r.code, r.err);
	cr_assert(r.seconds >= 0.65 && r.seconds < 8, "took %.2f s for 0.3 s + 0.4 s grace", r.seconds);
	th_result_free(&r);

	/* a CMD that ends first keeps its own status */
	th_run(&r, NULL, "run", "--base", base.path, "--timeout", "1m", "--", "sh", "-c", "exit 9", NULL);
	cr_assert_eq(r.code, 9);
	cr_assert_lt(r.seconds, 10);
	th_result_free(&r);
	th_end(&base);
}

Test(run_tree, a_forking_tree_is_killed_whole_with_each_kill_method)
{
	for (size_t m = 0; m < N_KILL; m++) {
		char env[64];
		snprintf(env, sizeof env, "UMUCG_KILL=%s", kill_methods[m]);
		const char *set[] = { env, NULL };
		struct th_run_opts o = { .env_set = set };
		struct th_result r;
		/* keeps forking while it is being killed */
		th_run(&r, &o, "run", "--base", base.path, "--timeout", "0.5", "--grace", "0", "--",
		       "sh", "-c", "trap '' TERM; while :; do (sleep 30 &); done", NULL);
		cr_assert_eq(r.code, 124, "%s: exit %d, stderr: %s", kill_methods[m], r.code, r.err);
		cr_assert_lt(r.seconds, 15, "%s: took %.2f s", kill_methods[m], r.seconds);
		int groups;
		th_base_groups(&base, &groups);
		cr_assert_eq(groups, 0, "%s: the group is left", kill_methods[m]);
		th_result_free(&r);
	}
	th_end(&base);
}
