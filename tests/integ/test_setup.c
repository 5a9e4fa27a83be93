/* test_setup.c - umucg setup on this machine's cgroup2 mount, with the
 * test's base standing in for <mount>/umucg: the system base, a subtree
 * delegated by the kernel's rules (checked file by file), session leaves,
 * refusals that change nothing, and an unprivileged user running a group in
 * the delegated subtree. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"

static struct th_base base;
static char system_base[PATH_MAX * 2];
static uid_t nobody_uid;
static gid_t nobody_gid;

static void setup(void)
{
	th_base_make(&base);
	snprintf(system_base, sizeof system_base, "%s/system", base.path);
	struct passwd *pw = getpwnam("nobody");
	cr_assert(pw, "these tests delegate to the user 'nobody', which this system lacks");
	nobody_uid = pw->pw_uid;
	nobody_gid = pw->pw_gid;
}

static void teardown(void)
{
	th_base_discard(&base);
}

TestSuite(setup, .init = setup, .fini = teardown, .timeout = 60);

/* stderr of a successful setup: nothing, or warnings only (a hybrid host
 * lacks controllers in cgroup2). */
static void assert_only_warnings(const char *err)
{
	for (const char *l = err; l && *l;) {
		cr_assert(strncmp(l, "umucg: warning: ", 16) == 0, "setup printed more than warnings: %s", err);
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
}

static void user_dir(char *buf, size_t cap, const char *leaf)
{
	snprintf(buf, cap, "%s/user-%u%s%s", base.path, (unsigned)nobody_uid, leaf ? "/" : "",
		 leaf ? leaf : "");
}

static void assert_owner(const char *path, uid_t uid, gid_t gid)
{
	struct stat st;
	cr_assert_eq(lstat(path, &st), 0, "%s: %s", path, strerror(errno));
	cr_assert(st.st_uid == uid && st.st_gid == gid, "%s: owned by %u:%u, want %u:%u", path,
		  (unsigned)st.st_uid, (unsigned)st.st_gid, (unsigned)uid, (unsigned)gid);
}

/* The kernel's delegation rule, file by file: the directory, cgroup.procs,
 * cgroup.threads and cgroup.subtree_control are the user's; everything
 * else (limits, cgroup.kill, cgroup.freeze, ...) stays root's. */
static void assert_delegated(const char *dir)
{
	assert_owner(dir, nobody_uid, nobody_gid);
	DIR *d = opendir(dir);
	cr_assert(d, "%s: %s", dir, strerror(errno));
	struct dirent *e;
	int delegated = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_type == DT_DIR)
			continue;
		char path[PATH_MAX * 2];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		bool mine = strcmp(e->d_name, "cgroup.procs") == 0 ||
			    strcmp(e->d_name, "cgroup.threads") == 0 ||
			    strcmp(e->d_name, "cgroup.subtree_control") == 0;
		assert_owner(path, mine ? nobody_uid : 0, mine ? nobody_gid : 0);
		delegated += mine;
	}
	closedir(d);
	cr_assert_eq(delegated, 3, "%s: %d of the 3 delegated files found", dir, delegated);
}

/* A session leaf: root's, every file in it too; the user reaches its
 * processes only through the delegation root above it. */
static void assert_root_leaf(const char *dir)
{
	assert_owner(dir, 0, 0);
	DIR *d = opendir(dir);
	cr_assert(d, "%s: %s", dir, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d))) {
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		cr_assert_eq(fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW), 0);
		cr_assert(st.st_uid == 0 && st.st_gid == 0, "%s/%s: owned by %u:%u, want root's", dir,
			  e->d_name, (unsigned)st.st_uid, (unsigned)st.st_gid);
	}
	closedir(d);
}

/* The delegation root carries user.delegate=1 (where the kernel has user
 * xattrs on cgroupfs, 5.7+). */
static void assert_marked(const char *dir)
{
	char v[8];
	ssize_t n = getxattr(dir, "user.delegate", v, sizeof v);
	if (n < 0 && (errno == EOPNOTSUPP || errno == ENOTSUP))
		return;
	cr_assert(n == 1 && v[0] == '1', "%s: user.delegate is %s", dir,
		  n < 0 ? strerror(errno) : "not 1");
}

static void run_setup(struct th_result *r, const char *user, const char *session)
{
	if (session)
		th_run(r, NULL, "--base", system_base, "setup", "--user", user, "--session", session, NULL);
	else if (user)
		th_run(r, NULL, "--base", system_base, "setup", "--user", user, NULL);
	else
		th_run(r, NULL, "--base", system_base, "setup", NULL);
}

/* A child that waits in pause() until killed. */
static pid_t start_sleeper(void)
{
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		/* a failed assertion ends the test process: go with it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	return pid;
}

static void stop_child(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* The cgroup2 path of pid, relative to the mount ("" when none). */
static void proc_cgroup(pid_t pid, char *buf, size_t cap)
{
	char path[64], line[PATH_MAX * 2];
	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	FILE *f = fopen(path, "re");
	buf[0] = '\0';
	cr_assert(f, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "0::", 3) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, cap, "%s", line + 3);
		}
	fclose(f);
}

/* Removes what setup made under the base, innermost first. */
static void remove_setup_dirs(void)
{
	char path[PATH_MAX * 2];
	for (int n = 1; n < 10; n++) {
		char leaf[32];
		snprintf(leaf, sizeof leaf, "session-%d", n);
		user_dir(path, sizeof path, leaf);
		rmdir(path);
	}
	user_dir(path, sizeof path, NULL);
	rmdir(path);
	rmdir(system_base);
}

Test(setup, system_base_is_made_and_setup_is_idempotent)
{
	for (int i = 0; i < 2; i++) {
		struct th_result r;
		run_setup(&r, NULL, NULL);
		cr_assert_eq(r.code, 0, "setup #%d: exit %d: %s", i + 1, r.code, r.err);
		assert_only_warnings(r.err);
		cr_assert_str_empty(r.out, "setup printed on stdout: %s", r.out);
		th_result_free(&r);
		int n;
		const char *groups = th_base_groups(&base, &n);
		cr_assert(n == 1 && strcmp(groups, "system") == 0, "setup #%d left '%s'", i + 1, groups);
		assert_owner(system_base, 0, 0);
		cr_assert_eq(th_group_populated(&base, "system"), 0);
	}
	/* The controllers cgroup2 offers are enabled for the base's children. */
	char *offered = th_group_read(&base, "", "cgroup.controllers");
	char *enabled = th_group_read(&base, "", "cgroup.subtree_control");
	cr_assert(offered && enabled);
	static const char *const four[] = { "memory", "pids", "cpu", "io" };
	for (size_t i = 0; i < 4; i++)
		if (th_contains(offered, four[i]))
			cr_assert(th_contains(enabled, four[i]), "%s offered but not enabled: %s",
				  four[i], enabled);
	free(offered);
	free(enabled);
	remove_setup_dirs();
	th_end(&base);
}

Test(setup, user_subtree_is_delegated_by_the_kernels_rules)
{
	char dir[PATH_MAX * 2];
	user_dir(dir, sizeof dir, NULL);
	char uid[16];
	snprintf(uid, sizeof uid, "%u", (unsigned)nobody_uid);
	/* by name, then again by uid: the same subtree, nothing else */
	const char *who[] = { "nobody", uid };
	for (int i = 0; i < 2; i++) {
		struct th_result r;
		run_setup(&r, who[i], NULL);
		cr_assert_eq(r.code, 0, "setup --user %s: exit %d: %s", who[i], r.code, r.err);
		assert_only_warnings(r.err);
		th_result_free(&r);
		assert_delegated(dir);
		assert_marked(dir);
		int n;
		const char *groups = th_base_groups(&base, &n);
		cr_assert_eq(n, 2, "after setup --user %s: %s", who[i], groups);
	}
	/* the base and the system base stay root's */
	assert_owner(base.path, 0, 0);
	assert_owner(system_base, 0, 0);
	remove_setup_dirs();
	th_end(&base);
}

Test(setup, session_moves_a_process_into_a_fresh_leaf)
{
	pid_t a = start_sleeper(), b = start_sleeper(), c = start_sleeper();
	char pid[16], leaf[PATH_MAX * 2], want[PATH_MAX * 2], got[PATH_MAX * 2], *procs;
	struct th_result r;

	snprintf(pid, sizeof pid, "%d", (int)a);
	run_setup(&r, "nobody", pid);
	cr_assert_eq(r.code, 0, "setup --session %s: %d: %s", pid, r.code, r.err);
	th_result_free(&r);
	user_dir(leaf, sizeof leaf, "session-1");
	assert_root_leaf(leaf);
	user_dir(leaf, sizeof leaf, NULL);
	assert_delegated(leaf);
	assert_marked(leaf);
	snprintf(want, sizeof want, "%s/user-%u/session-1", base.path + strlen(base.mount),
		 (unsigned)nobody_uid);
	proc_cgroup(a, got, sizeof got);
	cr_assert_str_eq(got, want, "the session's process is in %s, want %s", got, want);
	char rel[64];
	snprintf(rel, sizeof rel, "user-%u/session-1", (unsigned)nobody_uid);
	procs = th_group_read(&base, rel, "cgroup.procs");
	cr_assert(procs && atoi(procs) == a && th_group_nprocs(&base, rel) == 1,
		  "session-1/cgroup.procs: %s", procs);
	free(procs);

	/* a second login while the first lives: session-2 */
	snprintf(pid, sizeof pid, "%d", (int)b);
	run_setup(&r, "nobody", pid);
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	snprintf(want, sizeof want, "%s/user-%u/session-2", base.path + strlen(base.mount),
		 (unsigned)nobody_uid);
	proc_cgroup(b, got, sizeof got);
	cr_assert_str_eq(got, want);

	/* the first login ends; the next one reuses its emptied leaf, and the
	 * living session-2 is left alone */
	stop_child(a);
	cr_assert(th_wait_populated(&base, rel, 0, 5), "session-1 did not empty");
	snprintf(pid, sizeof pid, "%d", (int)c);
	run_setup(&r, "nobody", pid);
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	snprintf(want, sizeof want, "%s/user-%u/session-1", base.path + strlen(base.mount),
		 (unsigned)nobody_uid);
	proc_cgroup(c, got, sizeof got);
	cr_assert_str_eq(got, want, "the emptied leaf was not swept and reused: %s", got);
	snprintf(rel, sizeof rel, "user-%u/session-2", (unsigned)nobody_uid);
	cr_assert_eq(th_group_populated(&base, rel), 1, "session-2 lost its process");
	user_dir(leaf, sizeof leaf, "session-3");
	cr_assert(access(leaf, F_OK) < 0, "a third leaf was made");

	stop_child(b);
	stop_child(c);
	snprintf(rel, sizeof rel, "user-%u/session-1", (unsigned)nobody_uid);
	th_wait_populated(&base, rel, 0, 5);
	snprintf(rel, sizeof rel, "user-%u/session-2", (unsigned)nobody_uid);
	th_wait_populated(&base, rel, 0, 5);
	remove_setup_dirs();
	th_end(&base);
}

Test(setup, refusals_change_nothing)
{
	pid_t a = start_sleeper();
	char pid[16], link[256], through_link[PATH_MAX * 2], dotdot[PATH_MAX * 2];
	snprintf(pid, sizeof pid, "%d", (int)a);
	snprintf(link, sizeof link, "/tmp/umucg-test-link-%d", (int)getpid());
	unlink(link);
	cr_assert_eq(symlink(base.path, link), 0, "%s: %s", link, strerror(errno));
	snprintf(through_link, sizeof through_link, "%s/system", link);
	snprintf(dotdot, sizeof dotdot, "%s/../%s/system", base.path, strrchr(base.path, '/') + 1);

	struct {
		const char *why;
		const char *args[12];
		const char *says;
	} cases[] = {
		{ "unknown user", { "--base", system_base, "setup", "--user", "no-such-user-umucg" }, "no such user" },
		{ "uid without an account", { "--base", system_base, "setup", "--user", "3999999" }, "no such user" },
		{ "pid that does not exist", { "--base", system_base, "setup", "--user", "nobody", "--session", "2147483647" }, "no such process" },
		{ "init", { "--base", system_base, "setup", "--user", "nobody", "--session", "1" }, "session" },
		{ "pid that is no number", { "--base", system_base, "setup", "--user", "nobody", "--session", "12x" }, "not a process id" },
		{ "session without user", { "--base", system_base, "setup", "--session", pid }, "needs --user" },
		{ "base through a symlink", { "--base", through_link, "setup", "--user", "nobody", "--session", pid }, "base" },
		{ "base with ..", { "--base", dotdot, "setup", "--user", "nobody", "--session", pid }, ".." },
		{ "stray argument", { "--base", system_base, "setup", "extra" }, "unexpected" },
		{ "elogind session without a session", { "--base", system_base, "setup", "--user", "nobody", "--elogind-session", "3" }, "needs --session" },
		{ "elogind session id that is a path", { "--base", system_base, "setup", "--user", "nobody", "--session", pid, "--elogind-session", "../x" }, "not a session id" },
		{ "pid not in that elogind session", { "--base", system_base, "setup", "--user", "nobody", "--session", pid, "--elogind-session", "c999999" }, "not in elogind's session" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct th_proc p;
		struct th_result r;
		th_start(&p, NULL, cases[i].args);
		th_finish(&p, &r);
		cr_assert_eq(r.code, 125, "%s: exit %d, want 125: %s", cases[i].why, r.code, r.err);
		cr_assert(th_contains(r.err, "umucg: ") && th_contains(r.err, cases[i].says),
			  "%s: stderr does not say '%s': %s", cases[i].why, cases[i].says, r.err);
		int n;
		const char *groups = th_base_groups(&base, &n);
		cr_assert_eq(n, 0, "%s: setup made '%s'", cases[i].why, groups);
		th_result_free(&r);
	}
	char got[PATH_MAX * 2];
	proc_cgroup(a, got, sizeof got);
	cr_assert(!th_contains(got, base.path + strlen(base.mount)), "the process moved: %s", got);
	unlink(link);
	stop_child(a);
	th_end(&base);
}

/* The point of it all: a user whose session setup placed in its leaf makes
 * and runs groups without any privilege, and doctor says it is delegated. */
Test(setup, delegated_user_runs_groups_unprivileged)
{
	const char *bin = getenv("UMUCG_BIN");
	cr_assert(bin);
	struct th_result r;
	run_setup(&r, "nobody", NULL);
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);

	int go[2], out[2];
	cr_assert_eq(pipe2(go, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	pid_t child = fork();
	cr_assert(child >= 0);
	if (child == 0) {
		char c;
		if (read(go[0], &c, 1) != 1)
			_exit(90);
		if (setgroups(0, NULL) < 0 || setresgid(nobody_gid, nobody_gid, nobody_gid) < 0 ||
		    setresuid(nobody_uid, nobody_uid, nobody_uid) < 0)
			_exit(91);
		dup2(out[1], 1);
		dup2(out[1], 2);
		unsetenv("UMUCG_BASE");
		char cmd[PATH_MAX * 2];
		snprintf(cmd, sizeof cmd,
			 "'%s' run --name mine -- cat /proc/self/cgroup; echo run=$?; "
			 "'%s' doctor; echo doctor=$?", bin, bin);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(92);
	}
	close(go[0]);
	close(out[1]);
	char pid[16];
	snprintf(pid, sizeof pid, "%d", (int)child);
	run_setup(&r, "nobody", pid);
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	cr_assert_eq(write(go[1], "g", 1), 1);
	close(go[1]);
	char text[16384];
	size_t len = 0;
	ssize_t n;
	while (len + 1 < sizeof text && (n = read(out[0], text + len, sizeof text - 1 - len)) > 0)
		len += (size_t)n;
	text[len] = '\0';
	close(out[0]);
	int status;
	cr_assert_eq(waitpid(child, &status, 0), child);
	cr_assert(WIFEXITED(status), "the user's shell died: %s", text);

	char want[PATH_MAX * 2];
	snprintf(want, sizeof want, "0::%s/user-%u/mine\n", base.path + strlen(base.mount),
		 (unsigned)nobody_uid);
	cr_assert(th_contains(text, want), "the user's group is not in the delegated subtree "
		  "(want %s): %s", want, text);
	cr_assert(th_contains(text, "run=0\n"), "run as the user failed: %s", text);
	char delegated[PATH_MAX * 2];
	snprintf(delegated, sizeof delegated, "yes  delegated subtree: the caller's cgroup lies in %s/user-%u",
		 base.path, (unsigned)nobody_uid);
	cr_assert(th_contains(text, delegated), "doctor does not see the delegation: %s", text);
	/* the run removed its group: only the (now empty) session leaf is left */
	char rel[64];
	snprintf(rel, sizeof rel, "user-%u/mine", (unsigned)nobody_uid);
	cr_assert(!th_group_exists(&base, rel), "the user's group was left behind");
	snprintf(rel, sizeof rel, "user-%u/session-1", (unsigned)nobody_uid);
	cr_assert_eq(th_group_populated(&base, rel), 0);
	remove_setup_dirs();
	th_end(&base);
}

/* run --user from root: the command has the user's ids and nothing else;
 * the group stays root's. */
Test(setup, run_user_drops_everything)
{
	struct th_result r;
	th_run(&r, NULL, "run", "--base", base.path, "--name", "dropped", "--keep", "--user", "nobody",
	       "--", "sh", "-c", "cat /proc/self/status", NULL);
	cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	char want[128];
	snprintf(want, sizeof want, "Uid:\t%u\t%u\t%u\t%u\n", (unsigned)nobody_uid, (unsigned)nobody_uid,
		 (unsigned)nobody_uid, (unsigned)nobody_uid);
	cr_assert(th_contains(r.out, want), "uids: %s", r.out);
	snprintf(want, sizeof want, "Gid:\t%u\t%u\t%u\t%u\n", (unsigned)nobody_gid, (unsigned)nobody_gid,
		 (unsigned)nobody_gid, (unsigned)nobody_gid);
	cr_assert(th_contains(r.out, want), "gids: %s", r.out);
	/* supplementary groups: exactly those of the account */
	gid_t groups[64];
	int ng = 64;
	cr_assert(getgrouplist("nobody", nobody_gid, groups, &ng) >= 0);
	const char *gl = strstr(r.out, "Groups:");
	cr_assert(gl, "%s", r.out);
	char line[256];
	snprintf(line, sizeof line, " %.*s ", (int)strcspn(gl + 7, "\n"), gl + 7);
	for (char *t = line; *t; t++)
		if (*t == '\t')
			*t = ' ';
	for (int i = 0; i < ng; i++) {
		char g[32];
		snprintf(g, sizeof g, " %u ", (unsigned)groups[i]);
		cr_assert(strstr(line, g), "group %s missing from the Groups line '%s'", g, line);
	}
	if (nobody_gid != 0)
		cr_assert(!strstr(line, " 0 "), "root's group kept: '%s'", line);
	static const char *const zero[] = { "CapInh:\t0000000000000000\n", "CapPrm:\t0000000000000000\n",
		"CapEff:\t0000000000000000\n", "CapBnd:\t0000000000000000\n", "CapAmb:\t0000000000000000\n",
		"NoNewPrivs:\t1\n" };
	for (size_t i = 0; i < sizeof zero / sizeof *zero; i++)
		cr_assert(th_contains(r.out, zero[i]), "want %s in: %s", zero[i], r.out);
	th_result_free(&r);
	char group[PATH_MAX * 2];
	snprintf(group, sizeof group, "%s/dropped", base.path);
	assert_owner(group, 0, 0);
	snprintf(group, sizeof group, "%s/dropped/cgroup.procs", base.path);
	assert_owner(group, 0, 0);
	cr_assert_eq(th_group_populated(&base, "dropped"), 0);
	snprintf(group, sizeof group, "%s/dropped", base.path);
	cr_assert_eq(rmdir(group), 0);

	/* a user that does not exist changes nothing */
	th_run(&r, NULL, "run", "--base", base.path, "--name", "never", "--user", "no-such-user-umucg",
	       "--", "true", NULL);
	cr_assert_eq(r.code, 125, "%s", r.err);
	cr_assert(th_contains(r.err, "no such user"), "%s", r.err);
	cr_assert(!th_group_exists(&base, "never"));
	th_result_free(&r);
	th_end(&base);
}
