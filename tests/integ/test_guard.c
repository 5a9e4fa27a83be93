/* test_guard.c - the refusals of the commands that act on a group (DESIGN.md,
 * "Commands that act on a group") on the real cgroup2 mount: a directory
 * without umucg's record (a login session's leaf) and a group holding the
 * caller (umucg itself, its shell, an ancestor, its session's leader) are
 * refused with a hint naming --force, and --force acts; reserved names. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

TestSuite(guard, .init = setup, .fini = teardown, .timeout = 90);

#define UMUCG(r, ...) th_run((r), NULL, "--base", base.path, __VA_ARGS__, NULL)

static void create(const char *name)
{
	struct th_result r;
	UMUCG(&r, "create", name);
	cr_assert_eq(r.code, 0, "create %s: %s", name, r.err);
	th_result_free(&r);
}

/* Moves pid into base/NAME (the test's own write, not umucg's). */
static void put_in(const char *name, pid_t pid)
{
	char path[PATH_MAX + 64], buf[16];
	snprintf(path, sizeof path, "%s/%s/cgroup.procs", base.path, name);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	int len = snprintf(buf, sizeof buf, "%d", (int)pid);
	cr_assert_eq(write(fd, buf, (size_t)len), len, "%s: %s", path, strerror(errno));
	close(fd);
}

static int events_frozen(const char *name)
{
	char *ev = th_group_read(&base, name, "cgroup.events");
	char *k = ev ? strstr(ev, "frozen ") : NULL;
	int v = k ? atoi(k + 7) : -1;
	free(ev);
	return v;
}

static pid_t spawn_sleeper(void)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		execlp("sleep", "sleep", "100", (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* A login session's leaf: a directory setup made, with no umucg record,
 * holding a process of the session. */
Test(guard, a_directory_without_a_record_is_refused_unless_force)
{
	char leaf[PATH_MAX + 32];
	snprintf(leaf, sizeof leaf, "%s/session-1", base.path);
	cr_assert_eq(mkdir(leaf, 0755), 0, "%s: %s", leaf, strerror(errno));
	pid_t sleeper = spawn_sleeper();
	put_in("session-1", sleeper);
	static const char *const cmds[][4] = {
		{ "stop", NULL }, { "stop", "--grace", "0", NULL }, { "kill", NULL },
		{ "kill", "--signal", "USR1", NULL }, { "freeze", NULL }, { "thaw", NULL },
		{ "set", "--pids", "10", NULL },
	};
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		const char *const *c = cmds[i];
		struct th_result r;
		th_run(&r, NULL, "--base", base.path, c[0], "session-1", c[1], c[2], c[3], NULL);
		cr_expect_eq(r.code, 125, "%s session-1: exit %d", c[0], r.code);
		cr_expect(th_contains(r.err, "not made by umucg"), "%s: %s", c[0], r.err);
		char hint[64];
		snprintf(hint, sizeof hint, "hint: to act on it all the same: umucg %s --force session-1", c[0]);
		cr_expect(th_contains(r.err, hint), "%s: no hint naming --force: %s", c[0], r.err);
		th_result_free(&r);
		cr_assert_eq(kill(sleeper, 0), 0, "%s session-1 ended the session's process", c[0]);
		cr_expect_eq(events_frozen("session-1"), 0, "%s session-1 froze it", c[0]);
		cr_expect(th_group_exists(&base, "session-1"));
	}
	/* list leaves it out; status still shows it (reading hurts nobody) */
	struct th_result r;
	UMUCG(&r, "freeze", "--force", "session-1");
	cr_expect_eq(r.code, 0, "freeze --force: %s", r.err);
	th_result_free(&r);
	cr_expect_eq(events_frozen("session-1"), 1);
	UMUCG(&r, "thaw", "session-1", "--force");
	cr_expect_eq(r.code, 0, "thaw --force: %s", r.err);
	th_result_free(&r);
	cr_expect_eq(events_frozen("session-1"), 0);
	UMUCG(&r, "stop", "--force", "session-1", "--grace", "5");
	cr_expect_eq(r.code, 0, "stop --force: %s", r.err);
	th_result_free(&r);
	int status;
	cr_expect_eq(waitpid(sleeper, &status, 0), sleeper);
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "status %#x", status);
	cr_expect(!th_group_exists(&base, "session-1"), "stop --force left the directory");
	th_end(&base);
}

/* The caller's shell lives in the group: umucg join mine -- sh -c SCRIPT,
 * whose umucg calls are in the group too. */
Test(guard, a_group_holding_the_callers_shell_is_refused)
{
	create("mine");
	const char *script =
		"for c in stop kill freeze; do \"$UMUCG_BIN\" --base \"$1\" $c mine; echo \"$c=$?\"; done; "
		"\"$UMUCG_BIN\" --base \"$1\" freeze --force mine; echo \"freeze-force=$?\"; "
		"\"$UMUCG_BIN\" --base \"$1\" kill --signal USR1 mine; echo \"usr1=$?\"; "
		"\"$UMUCG_BIN\" --base \"$1\" stop --grace 0 mine; echo \"stop0=$?\"";
	struct th_run_opts o = { .timeout = 40 };
	struct th_result r;
	th_run(&r, &o, "--base", base.path, "join", "mine", "--", "sh", "-c", script, "sh", base.path,
	       NULL);
	cr_expect_eq(r.code, 0, "the shell ended with %d: %s", r.code, r.err);
	cr_expect_str_eq(r.out, "stop=125\nkill=125\nfreeze=125\nfreeze-force=125\nusr1=125\nstop0=125\n");
	cr_expect(th_contains(r.err, "umucg: stop: group 'mine' holds the shell or program that ran umucg (pid "),
		  "%s", r.err);
	cr_expect(th_contains(r.err, "hint: if that is what you want: umucg stop --force mine"), "%s", r.err);
	cr_expect(th_contains(r.err, "hint: if that is what you want: umucg kill --force mine"), "%s", r.err);
	cr_expect(th_contains(r.err, "freezing it would freeze umucg's own caller"), "%s", r.err);
	cr_expect(!th_contains(r.err, "umucg freeze --force"), "freeze's hint offers --force: %s", r.err);
	th_result_free(&r);
	cr_expect_eq(events_frozen("mine"), 0);
	/* --force does what it says, even to its own shell */
	th_run(&r, &o, "--base", base.path, "join", "mine", "--", "sh", "-c",
	       "\"$UMUCG_BIN\" --base \"$1\" stop --force --grace 5 mine; echo survived", "sh",
	       base.path, NULL);
	cr_expect_eq(r.code, 128 + SIGTERM, "exit %d: %s", r.code, r.err);
	cr_expect(!th_contains(r.out, "survived"), "%s", r.out);
	th_result_free(&r);
	cr_expect(th_wait_populated(&base, "mine", 0, 5));
	UMUCG(&r, "stop", "mine");
	cr_expect_eq(r.code, 0, "stop from outside: %s", r.err);
	th_result_free(&r);
	th_end(&base);
}

/* join execs umucg stop inside the group: umucg itself is there, its
 * parent (this test) is not. */
Test(guard, a_group_holding_umucg_itself_is_refused)
{
	create("self");
	const char *bin = getenv("UMUCG_BIN");
	static const char *const cmds[] = { "stop", "kill", "freeze" };
	for (size_t i = 0; i < 3; i++) {
		struct th_run_opts o = { .timeout = 20 };
		struct th_result r;
		th_run(&r, &o, "--base", base.path, "join", "self", "--", bin, "--base", base.path,
		       cmds[i], "self", NULL);
		cr_expect_eq(r.code, 125, "%s: exit %d: %s", cmds[i], r.code, r.err);
		cr_expect(th_contains(r.err, "holds umucg itself (pid "), "%s: %s", cmds[i], r.err);
		th_result_free(&r);
		cr_expect_eq(events_frozen("self"), 0);
	}
	struct th_result r;
	UMUCG(&r, "stop", "self");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	th_end(&base);
}

/* The shell is in 'outer'; from it, a second shell joins 'other' and runs
 * umucg there: neither umucg nor its parent is in 'outer', its
 * grandparent is. */
Test(guard, a_group_holding_an_ancestor_is_refused)
{
	create("outer");
	create("other");
	const char *outer = "\"$UMUCG_BIN\" --base \"$1\" join other -- sh -c \"$2\" sh \"$1\"";
	const char *inner = "\"$UMUCG_BIN\" --base \"$1\" stop outer; echo \"rc=$?\"";
	struct th_run_opts o = { .timeout = 20 };
	struct th_result r;
	th_run(&r, &o, "--base", base.path, "join", "outer", "--", "sh", "-c", outer, "sh", base.path,
	       inner, NULL);
	cr_expect_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	cr_expect_str_eq(r.out, "rc=125\n", "%s", r.err);
	cr_expect(th_contains(r.err, "holds an ancestor of umucg (pid "), "%s", r.err);
	th_result_free(&r);
	UMUCG(&r, "stop", "outer");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	UMUCG(&r, "stop", "other");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	th_end(&base);
}

/* The session's leader sits in 'lead'; umucg runs in 'other' in that
 * session but is no descendant of the leader (its parent exited, as a
 * daemonized process's does). */
Test(guard, a_group_holding_the_session_leader_is_refused)
{
	create("lead");
	create("other");
	const char *bin = getenv("UMUCG_BIN");
	int out[2], hold[2];
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(hold, O_CLOEXEC), 0);
	pid_t leader = fork();
	cr_assert_geq(leader, 0);
	if (leader == 0) {
		char buf[16];
		snprintf(buf, sizeof buf, "%d", (int)getpid());
		setsid();
		close(hold[1]);
		char procs[PATH_MAX + 32];
		snprintf(procs, sizeof procs, "%s/lead/cgroup.procs", base.path);
		int fd = open(procs, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, buf, strlen(buf)) < 0)
			_exit(100);
		close(fd);
		pid_t mid = fork();
		if (mid == 0) {
			if (fork() == 0) {
				dup2(out[1], 1);
				dup2(out[1], 2);
				execl(bin, bin, "--base", base.path, "join", "other", "--", "sh", "-c",
				      "sleep 0.2; \"$0\" --base \"$1\" stop lead; echo \"rc=$?\"", bin,
				      base.path, (char *)NULL);
				_exit(127);
			}
			_exit(0);
		}
		close(out[1]);
		waitpid(mid, NULL, 0);
		(void)!read(hold[0], buf, 1); /* until the test is done */
		_exit(0);
	}
	close(out[1]);
	close(hold[0]);
	char text[4096];
	size_t len = 0;
	ssize_t n;
	while (len + 1 < sizeof text && (n = read(out[0], text + len, sizeof text - 1 - len)) > 0)
		len += (size_t)n;
	text[len] = '\0';
	close(out[0]);
	cr_expect(th_contains(text, "rc=125\n"), "%s", text);
	cr_expect(th_contains(text, "holds the leader of umucg's session (pid "), "%s", text);
	cr_expect_eq(kill(leader, 0), 0, "the session leader was ended");
	close(hold[1]);
	cr_expect_eq(waitpid(leader, NULL, 0), leader);
	/* the grandchild was reparented; if to this process, reap it */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	struct th_result r;
	UMUCG(&r, "stop", "lead");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	UMUCG(&r, "stop", "other");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	th_end(&base);
}

/* ---- reserved names -------------------------------------------------- */

Test(guard, reserved_names_are_refused_everywhere)
{
	static const char *const names[] = { "cgroup.procs", "memory.high", "pids.max", "-x", "--" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		struct th_result r;
		UMUCG(&r, "run", "--name", names[i], "--", "true");
		cr_expect_eq(r.code, 125, "run --name %s: exit %d", names[i], r.code);
		cr_expect(!th_contains(r.err, "umucg stop"), "a hint that cannot work: %s", r.err);
		th_result_free(&r);
		UMUCG(&r, "create", "--", names[i]);
		cr_expect_eq(r.code, 125, "create %s: exit %d", names[i], r.code);
		cr_expect(th_contains(r.err, "name '"), "create %s: %s", names[i], r.err);
		th_result_free(&r);
	}
	int count;
	th_base_groups(&base, &count);
	cr_expect_eq(count, 0, "groups made: %s", th_base_groups(&base, NULL));
	th_end(&base);
}

/* A command called -x or cgroup.procs still runs, in a valid group. */
Test(guard, default_names_are_made_valid)
{
	char dir[] = "/tmp/umucg-test-names-XXXXXX";
	cr_assert(mkdtemp(dir));
	static const char *const cmds[] = { "-x", "cgroup.procs" };
	static const char *const want[] = { "_x", "cgroup_procs" };
	for (size_t i = 0; i < 2; i++) {
		char path[128];
		snprintf(path, sizeof path, "%s/%s", dir, cmds[i]);
		FILE *f = fopen(path, "we");
		cr_assert(f);
		fputs("#!/bin/sh\nexit 0\n", f);
		fclose(f);
		cr_assert_eq(chmod(path, 0755), 0);
		struct th_result r;
		UMUCG(&r, "run", "--keep", "--", path);
		cr_expect_eq(r.code, 0, "%s: %s", cmds[i], r.err);
		th_result_free(&r);
		cr_expect(th_group_exists(&base, want[i]), "%s: groups: %s", cmds[i],
			  th_base_groups(&base, NULL));
		UMUCG(&r, "stop", want[i]);
		cr_expect_eq(r.code, 0, "stop %s: %s", want[i], r.err);
		th_result_free(&r);
		unlink(path);
	}
	rmdir(dir);
	th_end(&base);
}
