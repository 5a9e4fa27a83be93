/* test_doctor_hints.c - the fixes umucg doctor gives, right for the caller:
 * the setup command naming the shell to move by its pid (root's $$ would be
 * root's own shell), the PAM module and the boot service for every login, a
 * root whose base holds processes told to move them into a leaf (not to
 * delegate a subtree to itself); and, where limits do not work, what run
 * does without them: a group, only without the limits (and why), or a plain
 * subreaper. Text and JSON alike; each fails against the doctor of f089991. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "doctor_report.h"

static struct th_base base;

static void setup(void)
{
	th_base_make(&base);
}

static void teardown(void)
{
	th_base_discard(&base);
}

TestSuite(doctor_hints, .init = setup, .fini = teardown, .timeout = 60);

/* A user outside any delegated subtree: "no", the setup command and the
 * PAM line as the fix, exit 1; in text and JSON alike. */
Test(doctor_hints, a_user_without_delegation_is_told_the_fix)
{
	struct passwd *pw = getpwnam("nobody");
	cr_assert(pw, "no user 'nobody' here");
	struct th_result r;
	run_as(pw, NULL, &r);
	cr_assert_eq(r.code, 1, "exit %d: %s%s", r.code, r.out, r.err);
	cr_assert(th_contains(r.out, "no   delegated subtree: "), "%s", r.out);
	/* root runs the fix, so it names the process to move by its pid: in
	 * root's shell $$ would be root's own shell; doctor's parent is us */
	char want[256];
	snprintf(want, sizeof want, "fix: as root: 'umucg setup --user nobody --session %d' for this "
		 "shell (pid %d); ", (int)getpid(), (int)getpid());
	cr_assert(th_contains(r.out, want), "no '%s' in:\n%s", want, r.out);
	cr_assert(!th_contains(r.out, "$$"), "a $$ for root to expand: %s", r.out);
	/* every login: the PAM module and the boot service, not the old
	 * pam_exec script */
	cr_assert(th_contains(r.out, "'session optional pam_umucg.so' in the session stack "
			      "(/etc/pam.d/common-session or /etc/pam.d/system-login)") &&
		  th_contains(r.out, "'rc-update add umucg boot'") && !th_contains(r.out, "pam_exec"),
		  "the PAM fix: %s", r.out);
	cr_assert(th_contains(r.out, "does NOT work for nobody"), "%s", r.out);
	/* no group to be had: run says so and runs CMD as a plain subreaper */
	char buf[512];
	line_of(r.out, "without limits:", buf, sizeof buf);
	cr_assert(th_contains(buf, "'umucg run -- CMD' still runs CMD, with one warning, as a plain "
			      "subreaper: no group"), "'%s' in:\n%s", buf, r.out);

	struct th_result j;
	run_as(pw, "--json", &j);
	assert_one_object(&j);
	assert_json_agrees(&j, &r);
	th_expect_jq(j.out, ".caller.user", "nobody");
	expect_jqf(j.out, "true", ".caller.uid == %u and .caller.root == false | tostring", (unsigned)pw->pw_uid);
	th_expect_jq(j.out, ".base == null and .delegation_needed and .delegated_subtree == false | tostring", "true");
	th_expect_jq(j.out, ".base_error.message | length > 0 | tostring", "true");
	th_expect_jq(j.out, "[.checks[] | select(.id == \"delegated_subtree\")] | length | tostring", "1");
	expect_jqf(j.out, "true", ".checks[] | select(.id == \"delegated_subtree\") | .ok == false and "
		   ".blocking and (.fix | contains(\"umucg setup --user nobody --session %d\\u0027 for this shell\")) "
		   "and (.fix | contains(\"pam_umucg.so\")) and (.fix | contains(\"pam_exec\") | not) "
		   "| tostring", (int)getpid());
	th_expect_jq(j.out, ".supervision_works | tostring", "false");
	/* setuid to a non-root user clears the effective set; setup's check
	 * is only asked for root */
	th_expect_jq(j.out, ".capabilities.effective == [] and .capabilities.enough_for_setup == null | tostring", "true");
	th_expect_jq(j.out, ".run_with_limits_works | tostring", "false");
	th_result_free(&j);
	th_result_free(&r);
	th_end(&base);
}

/* mkdir, asserted. */
static void make_dir(const char *path)
{
	cr_assert(mkdir(path, 0755) == 0, "mkdir %s: %s", path, strerror(errno));
}

/* Where limits cannot work but a group can be made, doctor says that run
 * without limits works, and what is missing and why: on a hybrid host the
 * controllers bound to cgroup v1. A base below a parent that hands down no
 * controller is such a place on every host. */
Test(doctor_hints, run_without_limits_is_said_to_work_where_only_limits_are_missing)
{
	struct facts f;
	read_facts(&f);
	char parent[PATH_MAX + 8], bare[PATH_MAX + 16];
	snprintf(parent, sizeof parent, "%s/bare", base.path);
	snprintf(bare, sizeof bare, "%s/base", parent);
	make_dir(parent);
	make_dir(bare);
	struct th_result r, j;
	th_run(&r, NULL, "--base", bare, "doctor", NULL);
	th_run(&j, NULL, "--base", bare, "doctor", "--json", NULL);
	assert_verdict(&r, false);
	char buf[1024], path[PATH_MAX * 2];
	line_of(r.out, "without limits:", buf, sizeof buf);
	snprintf(path, sizeof path, "%s/cgroup.kill", bare);
	char want[256];
	snprintf(want, sizeof want, "without limits:  'umucg run -- CMD' works for root: a group, a "
		 "subreaper, cgroup.events and %s. Only the limits are missing: ",
		 access(path, F_OK) == 0 ? "cgroup.kill" : "killing by freezing");
	cr_assert(strncmp(buf, want, strlen(want)) == 0, "'%s', want '%s...'", buf, want);
	cr_assert(th_contains(buf, "; run warns and runs without those limits (with --strict it fails "
			      "instead)"), "'%s'", buf);
	/* each controller is named, and v1 as the reason where it holds them all */
	static const char *const ctrls[] = { "memory", "pids", "cpu", "io" };
	bool all_v1 = true;
	for (size_t i = 0; i < 4; i++)
		all_v1 = all_v1 && strcmp(controller_state(&f, ctrls[i], bare), "held-by-v1") == 0;
	cr_assert(th_contains(buf, "memory, pids, cpu and io "), "'%s'", buf);
	cr_assert(th_contains(buf, all_v1 ? " are bound to cgroup v1;" : " cannot be used here (see above);"),
		  "'%s' (all held by v1: %d)", buf, all_v1);
	assert_one_object(&j);
	assert_json_agrees(&j, &r);
	th_expect_jq(j.out, ".supervision_works and (.run_with_limits_works | not) | tostring", "true");
	th_result_free(&j);
	th_result_free(&r);

	/* root's own base: the line is there exactly when limits do not work */
	th_run(&r, NULL, "doctor", NULL);
	line_of(r.out, "without limits:", buf, sizeof buf);
	if (r.code == 0)
		cr_assert_str_empty(buf, "limits work, yet: '%s'", buf);
	else
		cr_assert(th_contains(buf, "'umucg run -- CMD' works for root: a group, a subreaper"),
			  "'%s' in:\n%s", buf, r.out);
	th_result_free(&r);
	cr_assert(rmdir(bare) == 0 && rmdir(parent) == 0, "rmdir: %s", strerror(errno));
	th_end(&base);
}

/* A base that holds processes itself: root is told to move them into a
 * leaf, not to delegate a subtree to itself. */
Test(doctor_hints, root_is_told_to_move_the_processes_of_its_base_into_a_leaf)
{
	char busy[PATH_MAX + 8], path[PATH_MAX + 32];
	snprintf(busy, sizeof busy, "%s/busy", base.path);
	make_dir(busy);
	pid_t child = fork();
	cr_assert(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof path, "%s/cgroup.procs", busy);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	char pid[32];
	int n = snprintf(pid, sizeof pid, "%d", (int)child);
	bool moved = fd >= 0 && write(fd, pid, (size_t)n) == n;
	int e = errno;
	if (fd >= 0)
		close(fd);
	struct th_result r, j;
	if (moved) {
		th_run(&r, NULL, "--base", busy, "doctor", NULL);
		th_run(&j, NULL, "--base", busy, "doctor", "--json", NULL);
	}
	kill(child, SIGKILL);
	cr_assert_eq(waitpid(child, NULL, 0), child);
	cr_assert(moved, "moving %d into %s: %s", (int)child, busy, strerror(e));
	char buf[1024];
	line_of(r.out, "no   base has no processes of its own: ", buf, sizeof buf);
	cr_assert(buf[0], "no such line in:\n%s", r.out);
	const char *fix = strstr(r.out, buf) + strlen(buf) + 1;
	line_of(fix, "     fix: ", buf, sizeof buf);
	cr_assert_str_eq(buf, "     fix: move them into a leaf below it (make a directory there and "
			 "write each pid to its cgroup.procs), or pass a base without processes of its own");
	cr_assert(!th_contains(r.out, "--user root"), "root told to delegate to itself: %s", r.out);
	/* without controllers a group can still be made beside them */
	line_of(r.out, "without limits:", buf, sizeof buf);
	cr_assert(th_contains(buf, "works for root: a group"), "'%s'", buf);
	assert_one_object(&j);
	assert_json_agrees(&j, &r);
	th_expect_jq(j.out, ".base.own_processes and .supervision_works | tostring", "true");
	th_expect_jq(j.out, "[.checks[] | select(.fix != null) | .fix | select(contains(\"setup --user\"))] "
		     "| length | tostring", "0");
	th_result_free(&j);
	th_result_free(&r);
	cr_assert(rmdir(busy) == 0, "rmdir %s: %s", busy, strerror(errno));
	th_end(&base);
}
