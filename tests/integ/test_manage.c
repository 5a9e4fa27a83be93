/* test_manage.c - the management commands on the real cgroup2 mount:
 * create, join, move (with --tree racing forks), list, status, set, stop
 * (on a tree that ignores SIGTERM), kill, freeze, thaw, gc, the group record
 * fallback, and their errors. JSON output is parsed by jq(1). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
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

TestSuite(manage, .init = setup, .fini = teardown, .timeout = 60);

/* umucg --base <the test base> ARGS..., collected. The base goes first, as
 * a global option: after the subcommand it would land in run's CMD. */
#define UMUCG(r, ...) th_run((r), NULL, "--base", base.path, __VA_ARGS__, NULL)

static void create(const char *name)
{
	struct th_result r;
	UMUCG(&r, "create", name);
	cr_assert_eq(r.code, 0, "create %s: %s", name, r.err);
	char want[4200];
	snprintf(want, sizeof want, "%s/%s\n", base.path, name);
	cr_assert_str_eq(r.out, want);
	th_result_free(&r);
	cr_assert(th_group_exists(&base, name));
}

/* umucg join NAME -- CMD... in the background; waits for comm in the group. */
static void join_bg(struct th_proc *p, const char *name, const char *comm, const char *const *cmd)
{
	const char *args[32] = { "join", "--base", base.path, name, "--" };
	size_t n = 5;
	for (; *cmd && n < 31; cmd++)
		args[n++] = *cmd;
	args[n] = NULL;
	th_start(p, NULL, args);
	cr_assert(th_wait_comm(&base, name, comm, 10) > 0, "%s did not appear in %s", comm, name);
}

static bool in_procs(const char *name, pid_t pid)
{
	char *procs = th_group_read(&base, name, "cgroup.procs");
	bool found = false;
	for (char *p = procs; p && *p;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		found |= v == pid;
		p = end + (*end == '\n');
	}
	free(procs);
	return found;
}

static int events_key(const char *name, const char *key)
{
	char *ev = th_group_read(&base, name, "cgroup.events");
	int v = -1;
	char *k = ev ? strstr(ev, key) : NULL;
	if (k)
		v = atoi(k + strlen(key) + 1);
	free(ev);
	return v;
}

static pid_t spawn_sleeper(void)
{
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		execlp("sleep", "sleep", "100", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void rm_group(const char *name)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", base.path, name);
	cr_expect(rmdir(path) == 0, "rmdir %s: %s", path, strerror(errno));
}

/* Test-side cleanup of a group holding the test's own child pid. */
static void kill_group_and_reap(const char *name, pid_t pid)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s/cgroup.kill", base.path, name);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		cr_expect_eq(write(fd, "1", 1), 1);
		close(fd);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	cr_expect(th_wait_populated(&base, name, 0, 5));
	rm_group(name);
}

/* ---- create ------------------------------------------------------------ */

Test(manage, create_prints_path_and_records_no_manager)
{
	create("game");
	cr_expect_eq(th_group_nprocs(&base, "game"), 0);
	struct th_result r;
	UMUCG(&r, "list", "--json");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".groups | length | tostring", "1");
	th_expect_jq(r.out, ".groups[0].name", "game");
	th_expect_jq(r.out, ".groups[0].state", "empty");
	th_expect_jq(r.out, ".groups[0].manager_pid == null | tostring", "true");
	th_expect_jq(r.out, ".groups[0].processes | tostring", "0");
	th_result_free(&r);
	/* A second create of the same name changes nothing. */
	UMUCG(&r, "create", "game");
	cr_expect_eq(r.code, 125);
	cr_expect(th_contains(r.err, "already exists"), "%s", r.err);
	cr_expect_str_eq(r.out, "");
	th_result_free(&r);
	cr_expect(th_group_exists(&base, "game"));
	rm_group("game");
	th_end(&base);
}

/* Every command tells a missing value from an unknown option, wants its
 * NAME once, and answers --help with its usage and 0. */
Test(manage, usage_errors_say_what_is_wrong)
{
	static const struct {
		const char *cmd, *valued; /* an option of cmd that takes a value */
		bool takes_name;
	} cmds[] = {
		{ "create", "--mem", true }, { "set", "--pids", true },
		{ "stop", "--grace", true }, { "kill", "--signal", true },
		{ "freeze", "--timeout", true }, { "thaw", "--timeout", true },
		{ "status", "--base", true }, { "move", "--base", true },
		{ "list", "--base", false }, { "gc", "--min-age", false },
		{ "doctor", "--base", false }, { "setup", "--user", false },
	};
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		const char *c = cmds[i].cmd;
		struct th_result r;
		char want[64];
		if (cmds[i].takes_name)
			th_run(&r, NULL, c, "x", cmds[i].valued, NULL);
		else
			th_run(&r, NULL, c, cmds[i].valued, NULL);
		snprintf(want, sizeof want, "%s: %s: needs a value", c, cmds[i].valued);
		cr_expect_eq(r.code, 125, "%s", c);
		cr_expect(th_contains(r.err, want), "%s: want '%s': %s", c, want, r.err);
		th_result_free(&r);
		th_run(&r, NULL, c, "--bogus", "x", NULL);
		snprintf(want, sizeof want, "%s: --bogus: unknown option", c);
		cr_expect_eq(r.code, 125, "%s", c);
		cr_expect(th_contains(r.err, want), "%s: want '%s': %s", c, want, r.err);
		th_result_free(&r);
		if (cmds[i].takes_name && strcmp(c, "move") != 0) {
			UMUCG(&r, c);
			cr_expect_eq(r.code, 125, "%s", c);
			cr_expect(th_contains(r.err, "no group NAME given"), "%s: %s", c, r.err);
			th_result_free(&r);
			UMUCG(&r, c, "a", "b");
			cr_expect_eq(r.code, 125, "%s", c);
			cr_expect(th_contains(r.err, "b: unexpected argument"), "%s: %s", c, r.err);
			th_result_free(&r);
		}
		th_run(&r, NULL, c, "--help", NULL);
		snprintf(want, sizeof want, "Usage: umucg %s", c);
		cr_expect_eq(r.code, 0, "%s --help: %s", c, r.err);
		cr_expect(strncmp(r.out, want, strlen(want)) == 0, "%s --help: %s", c, r.out);
		th_result_free(&r);
	}
	th_end(&base);
}

Test(manage, bad_names_create_nothing)
{
	const char *names[] = { "../escape", "a/b", "", ".", "..", "/etc", "x y", NULL };
	for (const char **n = names; *n; n++) {
		const char *cmds[] = { "create", "status", "stop", "freeze", "kill", NULL };
		for (const char **c = cmds; *c; c++) {
			struct th_result r;
			UMUCG(&r, *c, *n);
			cr_expect_eq(r.code, 125, "%s '%s' -> %d", *c, *n, r.code);
			cr_expect(th_contains(r.err, "umucg: "), "%s '%s': %s", *c, *n, r.err);
			th_result_free(&r);
		}
	}
	int count;
	th_base_groups(&base, &count);
	cr_expect_eq(count, 0);
	struct stat st;
	char esc[4200];
	snprintf(esc, sizeof esc, "%s/../escape", base.path);
	cr_expect(stat(esc, &st) < 0, "a group was made outside the base");
	th_end(&base);
}

Test(manage, unknown_name_is_an_error)
{
	const char *cmds[] = { "status", "stop", "kill", "freeze", "thaw", "set", NULL };
	for (const char **c = cmds; *c; c++) {
		struct th_result r;
		if (strcmp(*c, "set") == 0)
			UMUCG(&r, *c, "nosuch", "--pids", "10");
		else
			UMUCG(&r, *c, "nosuch");
		cr_expect_eq(r.code, 125, "%s", *c);
		cr_expect(th_contains(r.err, "no such group"), "%s: %s", *c, r.err);
		th_result_free(&r);
	}
	struct th_result r;
	th_run(&r, NULL, "move", "--base", base.path, "nosuch", "1", NULL);
	cr_expect_eq(r.code, 125);
	th_result_free(&r);
	th_end(&base);
}

/* ---- join -------------------------------------------------------------- */

Test(manage, join_execs_inside_the_group)
{
	create("j");
	struct th_result r;
	char want[4200];
	snprintf(want, sizeof want, "0::%s/j\n", base.path + strlen(base.mount));
	th_run(&r, NULL, "join", "--base", base.path, "j", "--", "grep", "^0::", "/proc/self/cgroup", NULL);
	cr_expect_eq(r.code, 0, "%s", r.err);
	cr_expect_str_eq(r.out, want);
	th_result_free(&r);
	/* --path: no base lookup at all (a sandbox sees only this directory). */
	char path[4200];
	snprintf(path, sizeof path, "%s/j", base.path);
	const char *unset[] = { "UMUCG_BASE", NULL };
	struct th_run_opts o = { .env_unset = unset };
	th_run(&r, &o, "join", "j", "--path", path, "--", "sh", "-c", "grep ^0:: /proc/self/cgroup; exit 7", NULL);
	cr_expect_eq(r.code, 7, "%s", r.err);
	cr_expect_str_eq(r.out, want);
	th_result_free(&r);
	/* CMD's own options are left alone. */
	th_run(&r, NULL, "join", "--base", base.path, "j", "echo", "--path", "-n", NULL);
	cr_expect_eq(r.code, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "--path -n\n");
	th_result_free(&r);
	th_run(&r, NULL, "join", "--base", base.path, "j", "--", "/nonexistent/cmd", NULL);
	cr_expect_eq(r.code, 127);
	th_result_free(&r);
	th_run(&r, NULL, "join", "j", "--path", "/tmp", "--", "true", NULL);
	cr_expect_eq(r.code, 125, "joining a non-cgroup directory");
	cr_expect(th_contains(r.err, "not a cgroup2"), "%s", r.err);
	th_result_free(&r);
	cr_expect(th_wait_populated(&base, "j", 0, 5));
	rm_group("j");
	th_end(&base);
}

/* ---- move ------------------------------------------------------------- */

Test(manage, move_checks_every_pid_before_moving_any)
{
	create("m");
	pid_t a = spawn_sleeper();
	char sa[16];
	snprintf(sa, sizeof sa, "%d", (int)a);
	struct th_result r;
	/* pid 2 is kthreadd; 999999999 does not exist. */
	UMUCG(&r, "move", "m", sa, "999999999");
	cr_expect_eq(r.code, 125);
	cr_expect(th_contains(r.err, "no such process"), "%s", r.err);
	th_result_free(&r);
	UMUCG(&r, "move", "m", sa, "2");
	cr_expect_eq(r.code, 125);
	cr_expect(th_contains(r.err, "kernel thread"), "%s", r.err);
	th_result_free(&r);
	UMUCG(&r, "move", "m", "12abc");
	cr_expect_eq(r.code, 125);
	th_result_free(&r);
	cr_expect_eq(th_group_nprocs(&base, "m"), 0, "a failed move moved something");
	UMUCG(&r, "move", "m", sa);
	cr_expect_eq(r.code, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	th_result_free(&r);
	cr_expect(in_procs("m", a));
	kill_group_and_reap("m", a);
	th_end(&base);
}

/* A tree that keeps forking while it is moved: children that each fork a
 * grandchild, one every millisecond; when it is done it writes to a pipe. */
static pid_t forking_tree(int *done_fd)
{
	int p[2];
	cr_assert(pipe2(p, O_CLOEXEC) == 0);
	pid_t root = fork();
	cr_assert(root >= 0);
	if (root == 0) {
		close(p[0]);
		for (int i = 0; i < 150; i++) {
			pid_t c = fork();
			if (c == 0) {
				if (fork() == 0)
					for (;;)
						pause();
				for (;;)
					pause();
			}
			usleep(1000);
		}
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	*done_fd = p[0];
	return root;
}

/* Every process below root (from ps), at most max; returns how many. */
static int tree_pids(pid_t root, pid_t *out, int max)
{
	static pid_t pid[65536], ppid[65536];
	FILE *ps = popen("ps -e -o pid=,ppid=", "re");
	cr_assert(ps);
	int n = 0, found = 0;
	while (n < 65536 && fscanf(ps, "%d %d", &pid[n], &ppid[n]) == 2)
		n++;
	pclose(ps);
	for (int i = 0; i < n && found < max; i++) {
		pid_t q = pid[i];
		for (int depth = 0; depth < 5 && q > 1 && q != root; depth++) {
			int k;
			for (k = 0; k < n && pid[k] != q; k++)
				;
			q = k < n ? ppid[k] : 0;
		}
		if (q == root && pid[i] != root)
			out[found++] = pid[i];
	}
	return found;
}

Test(manage, move_tree_loses_no_child_forked_during_the_move)
{
	create("t");
	int done_fd;
	pid_t root = forking_tree(&done_fd);
	usleep(20000); /* some of the tree exists, more is coming */
	char sroot[16];
	snprintf(sroot, sizeof sroot, "%d", (int)root);
	struct th_result r;
	UMUCG(&r, "move", "t", sroot, "--tree");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	char c;
	cr_assert_eq(read(done_fd, &c, 1), 1, "the forking tree did not finish");
	close(done_fd);
	/* Count, then kill the whole tree (in the group or not) before any
	 * assertion can end the test. */
	/* "done" comes when the root has forked its 150 children; each forks
	 * its own child meanwhile: wait (bounded) for all 300. Those forked
	 * after the move must be in the group too. */
	static pid_t below[1024];
	int total = 0, outside = 0;
	for (int i = 0; i < 300 && (total = tree_pids(root, below, 1024)) < 300; i++)
		usleep(10000);
	for (int i = 0; i < total; i++)
		outside += !in_procs("t", below[i]);
	for (int i = 0; i < total; i++)
		kill(below[i], SIGKILL);
	cr_expect_eq(outside, 0, "%d of %d processes of the tree are outside the group", outside, total);
	cr_expect_eq(total, 300, "the tree has %d processes below its root, want 300", total);
	cr_expect(in_procs("t", root));
	char *fz = th_group_read(&base, "t", "cgroup.freeze");
	cr_expect(fz && fz[0] == '0', "move --tree left the group frozen");
	free(fz);
	cr_expect_eq(events_key("t", "frozen"), 0);
	kill_group_and_reap("t", root);
	th_end(&base);
}

/* ---- list and status ---------------------------------------------------- */

Test(manage, status_json_has_the_tree_with_command_lines)
{
	create("s");
	struct th_proc p;
	const char *cmd[] = { "sh", "-c", "sleep 100 & sleep 100 & wait", NULL };
	join_bg(&p, "s", "sleep", cmd);
	/* Both children have exec'd sleep (comm and cmdline change at exec;
	 * counting 3 pids would catch them still as forks of sh: seen under
	 * ASan in CI). */
	for (int i = 0; i < 500 && th_group_count_comm(&base, "s", "sleep") < 2; i++)
		usleep(10000);
	cr_assert_eq(th_group_count_comm(&base, "s", "sleep"), 2);
	struct th_result r;
	UMUCG(&r, "status", "s", "--json");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".name", "s");
	th_expect_jq(r.out, ".state", "running");
	th_expect_jq(r.out, ".populated | tostring", "true");
	th_expect_jq(r.out, ".processes | length | tostring", "3");
	th_expect_jq(r.out, ".processes[0].cmdline", "sh -c sleep 100 & sleep 100 & wait");
	th_expect_jq(r.out, ".processes[0].depth | tostring", "0");
	th_expect_jq(r.out, "[.processes[1:][] | select(.depth == 1 and .cmdline == \"sleep 100\")] | length | tostring", "2");
	char pidtxt[16];
	snprintf(pidtxt, sizeof pidtxt, "%d", (int)p.pid);
	th_expect_jq(r.out, ".processes[0].pid | tostring", pidtxt);
	th_expect_jq(r.out, ".cpu | has(\"usage_usec\") | tostring", "true");
	th_expect_jq(r.out, "[.limits, .usage, .memory_events, .pids_events] | map(type) | join(\",\")", "object,object,object,object");
	th_result_free(&r);
	/* The human form names the processes too. */
	UMUCG(&r, "status", "s");
	cr_expect_eq(r.code, 0);
	cr_expect(th_contains(r.out, "sleep 100"), "%s", r.out);
	cr_expect(th_contains(r.out, "running"), "%s", r.out);
	th_result_free(&r);
	UMUCG(&r, "stop", "s", "--grace", "5");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	th_finish(&p, &r);
	cr_expect_eq(r.code, 128 + SIGTERM);
	th_result_free(&r);
	th_end(&base);
}

/* A delegated base holds the login sessions' leaves (session-N, made by
 * setup, no record) beside the groups: list shows the groups only. */
Test(manage, list_leaves_out_login_session_leaves)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/session-7", base.path);
	cr_assert_eq(mkdir(path, 0755), 0, "%s: %s", path, strerror(errno));
	create("session-8"); /* a group that merely looks like one: listed */
	create("game");
	struct th_result r;
	UMUCG(&r, "list", "--json");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".groups | map(.name) | join(\",\")", "game,session-8");
	th_result_free(&r);
	cr_expect_eq(rmdir(path), 0);
	UMUCG(&r, "stop", "game");
	th_result_free(&r);
	UMUCG(&r, "stop", "session-8");
	th_result_free(&r);
	th_end(&base);
}

Test(manage, list_tells_a_dead_manager_from_a_live_one)
{
	/* A kept group of a finished run: its manager is gone. */
	struct th_result r;
	UMUCG(&r, "run", "--keep", "--name", "done", "--", "true");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	/* A live run. */
	struct th_proc live;
	const char *args[] = { "run", "--base", base.path, "--name", "live", "--", "sleep", "100", NULL };
	th_start(&live, NULL, args);
	cr_assert(th_wait_comm(&base, "live", "sleep", 10) > 0);
	UMUCG(&r, "list", "--json");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".groups | map(.name) | join(\",\")", "done,live");
	th_expect_jq(r.out, ".groups[0].state", "manager-gone");
	th_expect_jq(r.out, ".groups[0].manager_alive | tostring", "false");
	th_expect_jq(r.out, ".groups[0].command", "true");
	th_expect_jq(r.out, ".groups[1].state", "running");
	th_expect_jq(r.out, ".groups[1].manager_alive | tostring", "true");
	char pid[16];
	snprintf(pid, sizeof pid, "%d", (int)live.pid);
	th_expect_jq(r.out, ".groups[1].manager_pid | tostring", pid);
	th_expect_jq(r.out, ".groups[1].processes | tostring", "1");
	th_expect_jq(r.out, ".groups[1].command", "sleep 100");
	th_result_free(&r);
	UMUCG(&r, "list");
	cr_expect_eq(r.code, 0);
	cr_expect(th_contains(r.out, "manager-gone"), "%s", r.out);
	th_result_free(&r);
	kill(live.pid, SIGTERM);
	th_finish(&live, &r);
	cr_expect_eq(r.code, 128 + SIGTERM, "%s", r.err);
	th_result_free(&r);
	UMUCG(&r, "gc");
	cr_expect_eq(r.code, 0);
	th_result_free(&r);
	th_end(&base);
}

Test(manage, json_escapes_any_command_line)
{
	/* quotes, backslash, control characters, invalid UTF-8, valid UTF-8 */
	const char *arg = "q\"b\\s\x01\t\n\x7f\xff\xc3\x28\xed\xa0\x80 \xc3\xa9\xe2\x82\xac";
	struct th_result r;
	th_run(&r, NULL, "run", "--base", base.path, "--keep", "--name", "esc", "--",
	       "sh", "-c", "exit 0", arg, NULL);
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	UMUCG(&r, "list", "--json");
	cr_assert_eq(r.code, 0, "%s", r.err);
	/* jq decodes the string; invalid bytes became U+FFFD, one per byte. */
	th_expect_jq(r.out, ".groups[0].command",
		  "sh -c exit 0 q\"b\\s\x01\t\n\x7f\xef\xbf\xbd\xef\xbf\xbd\x28"
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xc3\xa9\xe2\x82\xac");
	th_result_free(&r);
	UMUCG(&r, "status", "esc", "--json");
	cr_assert_eq(r.code, 0, "%s", r.err);
	char *ok = th_jq(r.out, ".command | length > 0");
	cr_expect(ok, "status --json is not valid JSON: %s", r.out);
	free(ok);
	th_result_free(&r);
	UMUCG(&r, "gc", "--json");
	cr_expect_eq(r.code, 0);
	th_expect_jq(r.out, ".removed | join(\",\")", "esc");
	th_result_free(&r);
	th_end(&base);
}

/* ---- stop, kill, freeze, thaw ------------------------------------------ */

Test(manage, stop_kills_a_tree_that_ignores_sigterm)
{
	create("deaf");
	struct th_proc p;
	const char *cmd[] = { "sh", "-c", "trap '' TERM; sleep 100 & sleep 100 & wait", NULL };
	join_bg(&p, "deaf", "sleep", cmd);
	for (int i = 0; i < 500 && th_group_nprocs(&base, "deaf") < 3; i++)
		usleep(10000);
	double t0 = th_now();
	struct th_result r;
	UMUCG(&r, "stop", "deaf", "--grace", "0.7");
	double took = th_now() - t0;
	cr_expect_eq(r.code, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	th_result_free(&r);
	cr_expect(took >= 0.7, "stop did not wait the grace: %.2fs", took);
	cr_expect(took < 5, "stop took %.2fs", took);
	cr_expect(!th_group_exists(&base, "deaf"), "stop left the group");
	th_finish(&p, &r);
	cr_expect_eq(r.code, 128 + SIGKILL, "the tree died of %d", r.code);
	th_result_free(&r);
	th_end(&base);
}

Test(manage, stop_ends_early_when_the_tree_obeys)
{
	create("obey");
	struct th_proc p;
	/* (a non-interactive sh starts background jobs with SIGINT ignored) */
	const char *cmd[] = { "sh", "-c", "sleep 100 & wait", NULL };
	join_bg(&p, "obey", "sleep", cmd);
	double t0 = th_now();
	struct th_result r;
	UMUCG(&r, "stop", "obey", "--grace", "20", "--signal", "HUP");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	cr_expect(th_now() - t0 < 5, "stop waited the grace although the tree obeyed");
	cr_expect(!th_group_exists(&base, "obey"));
	th_finish(&p, &r);
	cr_expect_eq(r.code, 128 + SIGHUP);
	th_result_free(&r);
	UMUCG(&r, "stop", "obey", "--signal", "NOPE");
	cr_expect_eq(r.code, 125);
	th_result_free(&r);
	th_end(&base);
}

/* 'umucg run' removes its group as soon as it empties, while stop is still
 * waiting on it: stop must take the vanished group as stopped, promptly
 * (the pending cgroup.events notification goes with the removed file). */
Test(manage, stop_a_group_its_run_removes_meanwhile)
{
	for (int round = 0; round < 10; round++) {
		struct th_proc p;
		const char *args[] = { "run", "--base", base.path, "--name", "watched", "--",
				       "sleep", "100", NULL };
		th_start(&p, NULL, args);
		cr_assert(th_wait_populated(&base, "watched", 1, 10), "the run never started");
		double t0 = th_now();
		struct th_result r;
		UMUCG(&r, "stop", "watched", "--grace", "5");
		double took = th_now() - t0;
		cr_expect_eq(r.code, 0, "round %d: %s", round, r.err);
		cr_expect_str_eq(r.err, "", "round %d", round);
		th_result_free(&r);
		cr_expect(took < 3, "round %d: stop took %.2fs, as if it waited out the grace", round, took);
		th_finish(&p, &r);
		cr_expect_eq(r.code, 128 + SIGTERM, "round %d: the run ended with %d: %s", round, r.code, r.err);
		cr_expect_str_eq(r.err, "", "round %d: the run complained", round);
		th_result_free(&r);
		cr_expect(!th_group_exists(&base, "watched"), "round %d: the group is left", round);
	}
	th_end(&base);
}

Test(manage, kill_empties_the_group_and_keeps_it)
{
	create("k");
	struct th_proc p;
	const char *cmd[] = { "sh", "-c", "trap '' TERM USR1; sleep 100", NULL };
	join_bg(&p, "k", "sleep", cmd);
	struct th_result r;
	UMUCG(&r, "kill", "k", "--signal", "USR1");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	cr_expect_eq(th_group_populated(&base, "k"), 1, "USR1 is ignored: the tree stays");
	UMUCG(&r, "kill", "k");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	cr_expect(th_wait_populated(&base, "k", 0, 5), "cgroup.kill left processes");
	cr_expect(th_group_exists(&base, "k"), "kill removed the group");
	th_finish(&p, &r);
	cr_expect_eq(r.code, 128 + SIGKILL);
	th_result_free(&r);
	UMUCG(&r, "stop", "k");
	cr_expect_eq(r.code, 0, "stop of an empty group: %s", r.err);
	th_result_free(&r);
	cr_expect(!th_group_exists(&base, "k"));
	th_end(&base);
}

Test(manage, freeze_and_thaw_wait_for_cgroup_events)
{
	create("f");
	struct th_proc p;
	const char *cmd[] = { "sleep", "100", NULL };
	join_bg(&p, "f", "sleep", cmd);
	struct th_result r;
	UMUCG(&r, "freeze", "f");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	cr_expect_eq(events_key("f", "frozen"), 1, "freeze returned before cgroup.events said frozen");
	UMUCG(&r, "list", "--json");
	th_expect_jq(r.out, ".groups[0].state", "frozen");
	th_result_free(&r);
	UMUCG(&r, "freeze", "f");
	cr_expect_eq(r.code, 125);
	cr_expect(th_contains(r.err, "already frozen"), "%s", r.err);
	th_result_free(&r);
	cr_expect_eq(events_key("f", "frozen"), 1);
	UMUCG(&r, "thaw", "f");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	cr_expect_eq(events_key("f", "frozen"), 0);
	UMUCG(&r, "thaw", "f");
	cr_expect_eq(r.code, 125);
	cr_expect(th_contains(r.err, "not frozen"), "%s", r.err);
	th_result_free(&r);
	/* stop thaws a frozen group so that its signal arrives */
	UMUCG(&r, "freeze", "f");
	th_result_free(&r);
	UMUCG(&r, "stop", "f", "--grace", "10");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	th_finish(&p, &r);
	cr_expect_eq(r.code, 128 + SIGTERM);
	th_result_free(&r);
	th_end(&base);
}

/* ---- set ----------------------------------------------------------------- */

Test(manage, set_validates_before_it_writes)
{
	create("lim");
	struct th_result r;
	UMUCG(&r, "set", "lim");
	cr_expect_eq(r.code, 125, "set without a limit");
	th_result_free(&r);
	UMUCG(&r, "set", "lim", "--mem", "-1G");
	cr_expect_eq(r.code, 125);
	th_result_free(&r);
	char *ctrl = th_group_read(&base, "lim", "cgroup.controllers");
	cr_assert(ctrl);
	if (!strstr(ctrl, "memory")) {
		/* hybrid host: memory is v1's; the error names the controller */
		UMUCG(&r, "set", "lim", "--mem", "1G");
		cr_expect_eq(r.code, 125);
		cr_expect(th_contains(r.err, "memory"), "%s", r.err);
		th_result_free(&r);
	} else {
		UMUCG(&r, "set", "lim", "--mem", "1G");
		cr_expect_eq(r.code, 0, "%s", r.err);
		th_result_free(&r);
		char *high = th_group_read(&base, "lim", "memory.high");
		cr_expect_str_eq(high, "1073741824\n");
		free(high);
	}
	free(ctrl);
	rm_group("lim");
	th_end(&base);
}

/* ---- gc and the group record ------------------------------------------- */

Test(manage, gc_leaves_live_and_young_groups_alone)
{
	struct th_result r;
	/* manager gone, empty: collected */
	UMUCG(&r, "run", "--keep", "--name", "dead", "--", "true");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	/* manager alive: kept */
	struct th_proc live;
	const char *args[] = { "run", "--base", base.path, "--name", "live", "--", "sleep", "100", NULL };
	th_start(&live, NULL, args);
	cr_assert(th_wait_comm(&base, "live", "sleep", 10) > 0);
	/* created, empty and young: kept */
	create("young");
	/* created and populated: kept whatever its age */
	create("busy");
	struct th_proc b;
	const char *cmd[] = { "sleep", "100", NULL };
	join_bg(&b, "busy", "sleep", cmd);
	/* no record at all (not umucg's): kept */
	char foreign[4200];
	snprintf(foreign, sizeof foreign, "%s/foreign", base.path);
	cr_assert(mkdir(foreign, 0755) == 0);

	UMUCG(&r, "gc", "--json");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".removed | join(\",\")", "dead");
	th_result_free(&r);
	cr_expect(!th_group_exists(&base, "dead"));
	cr_expect(th_group_exists(&base, "live"));
	cr_expect(th_group_exists(&base, "young"));
	cr_expect(th_group_exists(&base, "busy"));
	cr_expect(th_group_exists(&base, "foreign"));
	cr_expect(in_procs("live", th_wait_comm(&base, "live", "sleep", 1)));

	UMUCG(&r, "gc", "--min-age", "0");
	cr_expect_eq(r.code, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	th_result_free(&r);
	cr_expect(!th_group_exists(&base, "young"), "an old enough empty created group stays");
	cr_expect(th_group_exists(&base, "busy"));
	cr_expect(th_group_exists(&base, "live"));

	UMUCG(&r, "stop", "busy", "--grace", "5");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	th_finish(&b, &r);
	th_result_free(&r);
	kill(live.pid, SIGTERM);
	th_finish(&live, &r);
	th_result_free(&r);
	rmdir(foreign);
	th_end(&base);
}

Test(manage, record_falls_back_to_a_runtime_file)
{
	char dir[] = "/tmp/umucg-test-meta-XXXXXX";
	cr_assert(mkdtemp(dir));
	char env_dir[128];
	snprintf(env_dir, sizeof env_dir, "UMUCG_META_DIR=%s", dir);
	const char *set[] = { "UMUCG_META=file", env_dir, NULL };
	struct th_run_opts o = { .env_set = set };
	struct th_result r;
	th_run(&r, &o, "run", "--base", base.path, "--keep", "--name", "fb", "--", "true", "marker", NULL);
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	/* no xattr on the group, one record file in the directory */
	char gpath[4200];
	snprintf(gpath, sizeof gpath, "%s/fb", base.path);
	char buf[64];
	cr_expect(getxattr(gpath, "user.umucg.manager", buf, sizeof buf) < 0 && errno == ENODATA,
		  "the record went to an xattr although the file was forced");
	char ls[256];
	snprintf(ls, sizeof ls, "ls -A %s | wc -l", dir);
	FILE *p = popen(ls, "re");
	int files = -1;
	cr_assert(p && fscanf(p, "%d", &files) == 1);
	pclose(p);
	cr_expect_eq(files, 1, "record files: %d", files);
	th_run(&r, &o, "list", "--base", base.path, "--json", NULL);
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".groups[0].command", "true marker");
	th_expect_jq(r.out, ".groups[0].state", "manager-gone");
	th_result_free(&r);
	/* without the fallback the group has no record: not gc's to remove */
	UMUCG(&r, "gc");
	th_result_free(&r);
	cr_expect(th_group_exists(&base, "fb"));
	/* with it, gc removes the group and prunes its record */
	th_run(&r, &o, "gc", "--base", base.path, NULL);
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	cr_expect(!th_group_exists(&base, "fb"));
	p = popen(ls, "re");
	cr_assert(p && fscanf(p, "%d", &files) == 1);
	pclose(p);
	cr_expect_eq(files, 0, "gc left %d record files", files);
	char rm[256];
	snprintf(rm, sizeof rm, "rm -rf %s", dir);
	cr_expect_eq(system(rm), 0);
	th_end(&base);
}
