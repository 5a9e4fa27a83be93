/* test_hints.c - hints that fit the situation: an unprivileged user with no
 * delegated subtree, or with one that their session is not in, is told how
 * to put the session there (not to run setup again); a name taken by a
 * directory that is not umucg's is not "end it with umucg stop"; with no
 * cgroup2 mounted, the hint never says to mount it over /sys/fs/cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
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

TestSuite(hints, .init = setup, .fini = teardown, .timeout = 60);

/* Runs sh -c SCRIPT (with $0 = umucg) in a child after prepare(uid);
 * returns everything it wrote (stdout and stderr) in text. */
static void run_as(void (*prepare)(uid_t), uid_t uid, const char *script, char *text, size_t cap)
{
	int out[2];
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		prepare(uid);
		dup2(out[1], 1);
		dup2(out[1], 2);
		unsetenv("UMUCG_BASE");
		execl("/bin/sh", "sh", "-c", script, getenv("UMUCG_BIN"), (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	size_t len = 0;
	ssize_t n;
	while (len + 1 < cap && (n = read(out[0], text + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	text[len] = '\0';
	close(out[0]);
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x: %s", status, text);
}

static void become(uid_t uid)
{
	if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0)
		_exit(100);
}

/* "pid=N" printed by the script: the shell that ran umucg. */
static int shell_pid(const char *text)
{
	const char *p = strstr(text, "pid=");
	return p ? atoi(p + 4) : -1;
}

static const char list_script[] = "\"$0\" list; echo \"rc=$?\"; echo \"pid=$$\"";

Test(hints, no_delegated_subtree_names_the_session_fix)
{
	struct passwd *pw = getpwnam("nobody");
	cr_assert(pw, "these tests need the user 'nobody'");
	char text[4096], want[128];
	run_as(become, pw->pw_uid, list_script, text, sizeof text);
	cr_expect(th_contains(text, "rc=125\n"), "%s", text);
	cr_expect(th_contains(text, "umucg: no delegated cgroup: "), "%s", text);
	snprintf(want, sizeof want, "hint: as root: umucg setup --user %u --session %d (",
		 (unsigned)pw->pw_uid, shell_pid(text));
	cr_expect(th_contains(text, want), "want '%s': %s", want, text);
	cr_expect(th_contains(text, "pam_umucg.so"), "%s", text);
	th_end(&base);
}

/* 'umucg setup --user' was done (<mount>/umucg/user-UID is the user's),
 * but this session never went into it. */
Test(hints, a_subtree_without_the_session_says_the_session_is_missing)
{
	uid_t uid = 3000000000u + (uid_t)(getpid() % 100000);
	char top[PATH_MAX + 16], user[PATH_MAX + 48];
	snprintf(top, sizeof top, "%s/umucg", base.mount);
	snprintf(user, sizeof user, "%s/user-%u", top, (unsigned)uid);
	bool made_top = mkdir(top, 0755) == 0;
	cr_assert(made_top || errno == EEXIST, "%s: %s", top, strerror(errno));
	cr_assert_eq(mkdir(user, 0755), 0, "%s: %s", user, strerror(errno));
	cr_assert_eq(chown(user, uid, uid), 0);
	char text[4096], want[PATH_MAX + 160];
	run_as(become, uid, list_script, text, sizeof text);
	rmdir(user);
	if (made_top)
		rmdir(top);
	cr_expect(th_contains(text, "rc=125\n"), "%s", text);
	snprintf(want, sizeof want, "umucg: this session is not in the delegated subtree %s", user);
	cr_expect(th_contains(text, want), "want '%s': %s", want, text);
	cr_expect(th_contains(text, "hint: log in again (pam_umucg.so"), "%s", text);
	snprintf(want, sizeof want, "umucg setup --user %u --session %d (", (unsigned)uid,
		 shell_pid(text));
	cr_expect(th_contains(text, want), "want '%s': %s", want, text);
	th_end(&base);
}

Test(hints, a_name_taken_by_a_directory_that_is_not_umucgs)
{
	char leaf[PATH_MAX + 32];
	snprintf(leaf, sizeof leaf, "%s/session-1", base.path);
	cr_assert_eq(mkdir(leaf, 0755), 0);
	struct th_result r;
	th_run(&r, NULL, "--base", base.path, "run", "--name", "session-1", "--", "true", NULL);
	cr_expect_eq(r.code, 125);
	cr_expect(th_contains(r.err, "already exists"), "%s", r.err);
	cr_expect(th_contains(r.err, "hint: choose another name: 'session-1' is not umucg's"), "%s", r.err);
	cr_expect(!th_contains(r.err, "umucg stop"), "a hint that would be refused: %s", r.err);
	th_result_free(&r);
	th_run(&r, NULL, "--base", base.path, "create", "session-1", NULL);
	cr_expect_eq(r.code, 125);
	cr_expect(!th_contains(r.err, "umucg stop"), "a hint that would be refused: %s", r.err);
	th_result_free(&r);
	/* a umucg group of that name: stop is the way */
	th_run(&r, NULL, "--base", base.path, "create", "game", NULL);
	th_result_free(&r);
	th_run(&r, NULL, "--base", base.path, "create", "game", NULL);
	cr_expect(th_contains(r.err, "end it with 'umucg stop game'"), "%s", r.err);
	th_result_free(&r);
	th_run(&r, NULL, "--base", base.path, "stop", "game", NULL);
	th_result_free(&r);
	cr_expect_eq(rmdir(leaf), 0);
	th_end(&base);
}

static void no_cgroup2(uid_t uid)
{
	(void)uid;
	/* only this child's mount namespace loses the cgroup2 mount */
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    umount2(th_cgroup2_mount(), MNT_DETACH) < 0)
		_exit(100);
}

Test(hints, no_cgroup2_mount_is_no_advice_to_mount_it_over_cgroup_v1)
{
	char text[4096];
	run_as(no_cgroup2, 0, list_script, text, sizeof text);
	cr_expect(th_contains(text, "rc=125\n"), "%s", text);
	cr_expect(th_contains(text, "no cgroup2 filesystem is mounted"), "%s", text);
	cr_expect(th_contains(text, "hint: as root, run 'umucg setup'"), "%s", text);
	cr_expect(!th_contains(text, "mount -t cgroup2 none /sys/fs/cgroup"), "%s", text);
	th_end(&base);
}

/* A command line with a newline (and an escape sequence) is one line of
 * status's tree, shown escaped: it cannot fake a process or move the
 * cursor. */
Test(hints, status_tree_one_line_per_process)
{
	const char *args[] = { "--base", base.path, "run", "--name", "nl", "--", "sh", "-c",
			       "sleep 100; :", "x\n  999 fake\033[2J", NULL };
	struct th_proc p;
	th_start(&p, NULL, args);
	cr_assert_gt(th_wait_comm(&base, "nl", "sleep", 10), 0);
	struct th_result r;
	th_run(&r, NULL, "--base", base.path, "status", "nl", NULL);
	cr_expect_eq(r.code, 0, "%s", r.err);
	const char *tree = strstr(r.out, "Processes:\n");
	cr_assert(tree, "%s", r.out);
	int lines = 0;
	for (const char *c = tree + strlen("Processes:\n"); *c; c++)
		lines += *c == '\n';
	cr_expect_eq(lines, 2, "the tree of 2 processes has %d lines:\n%s", lines, tree);
	cr_expect(!strchr(tree, '\033'), "an escape sequence reached the terminal: %s", tree);
	cr_expect(th_contains(tree, "x\\n  999 fake\\e[2J"), "%s", tree);
	th_result_free(&r);
	kill(p.pid, SIGTERM);
	th_finish(&p, &r);
	th_result_free(&r);
	th_end(&base);
}
