/* test_doctor.c - umucg doctor on this machine, checked against the
 * kernel's own account (/proc/self/mountinfo, cgroup.controllers) read here
 * independently: mode, mount, controllers held by v1, the base and its
 * reason, features, a fix for every "no", and an exit status that matches
 * the facts; the same for doctor --json (parsed by jq(1)), whose checks and
 * verdict must agree with the text report's; and the library's
 * umucg_diagnose, which reads no environment. The fixes and what run does
 * without limits: test_doctor_hints.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "doctor_report.h"
#include "umucg.h"

static struct th_base base;

static void setup(void)
{
	th_base_make(&base);
}

static void teardown(void)
{
	th_base_discard(&base);
}

TestSuite(doctor, .init = setup, .fini = teardown, .timeout = 60);

Test(doctor, reports_this_host_as_the_kernel_does)
{
	struct facts f;
	read_facts(&f);
	struct th_result r;
	th_run(&r, NULL, "doctor", NULL);
	cr_assert_str_empty(r.err, "doctor wrote to stderr: %s", r.err);
	char buf[1024];
	const char *mode = f.v2 ? (f.v1 ? "hybrid" : "pure") : (f.v1 ? "legacy" : "none");
	line_of(r.out, "cgroup mode:", buf, sizeof buf);
	cr_assert(strstr(buf, mode), "mode line '%s', want %s", buf, mode);
	line_of(r.out, "cgroup2 mount:", buf, sizeof buf);
	cr_assert(has_word(buf, th_cgroup2_mount()), "mount line '%s', want %s", buf, th_cgroup2_mount());

	/* every controller a v1 hierarchy holds is named (libcgroup's view
	 * against mountinfo's) */
	line_of(r.out, "cgroup v1 holds:", buf, sizeof buf);
	char *at = strstr(buf, " (at ");
	if (at)
		*at = '\0';
	for (char *c = buf; *c; c++)
		if (*c == ',')
			*c = ' ';
	for (char *save, *t = strtok_r(f.v1_controllers, " ", &save); t; t = strtok_r(NULL, " ", &save))
		cr_assert(has_word(buf, t), "v1 holds %s, doctor says '%s'", t, buf);
	if (!f.v1)
		cr_assert(th_contains(buf, "nothing"), "'%s'", buf);
	/* the held ones are named as such on their controller's line */
	if (strstr(buf, "memory")) {
		line_of(r.out, "no   memory controller:", buf, sizeof buf);
		cr_assert(th_contains(buf, "held by cgroup v1"), "memory line: '%s'", buf);
		cr_assert(th_contains(r.out, "cgroup_no_v1=all") && th_contains(r.out, "rc_cgroup_mode=\"unified\""),
			  "the fix for v1-held controllers is missing: %s", r.out);
	}
	assert_fixes(r.out);

	/* root's base: the system base, judged by its controllers (or, not
	 * made yet, the mount root's) */
	char sys[PATH_MAX * 2];
	snprintf(sys, sizeof sys, "%s/umucg/system", th_cgroup2_mount());
	line_of(r.out, "base:", buf, sizeof buf);
	cr_assert(strncmp(buf + 17, sys, strlen(sys)) == 0 && th_contains(buf, "root's system base"),
		  "base line '%s', want %s", buf, sys);
	/* the system base's groups get what the mount root offers (root
	 * enables it down the path) */
	assert_verdict(&r, limits_usable_in(th_cgroup2_mount()));
	cr_assert(th_contains(r.out, "capabilities:"));
	th_result_free(&r);
	th_end(&base);
}

Test(doctor, an_explicit_base_is_named_and_judged)
{
	struct th_result r;
	th_run(&r, NULL, "--base", base.path, "doctor", NULL);
	char buf[1024], want[PATH_MAX * 2];
	snprintf(want, sizeof want, "base:            %s (given by --base or UMUCG_BASE)", base.path);
	line_of(r.out, "base:", buf, sizeof buf);
	cr_assert_str_eq(buf, want);
	cr_assert(th_contains(r.out, "yes  base writable"), "%s", r.out);
	cr_assert(th_contains(r.out, "yes  base has no processes of its own"), "%s", r.out);
	assert_fixes(r.out);
	assert_verdict(&r, limits_usable_in(base.path));
	th_result_free(&r);

	/* the same through the environment, and doctor makes nothing */
	const char *set[] = { NULL, NULL };
	char env[PATH_MAX * 2];
	snprintf(env, sizeof env, "UMUCG_BASE=%s", base.path);
	set[0] = env;
	struct th_run_opts o = { .env_set = set };
	th_run(&r, &o, "doctor", NULL);
	line_of(r.out, "base:", buf, sizeof buf);
	cr_assert_str_eq(buf, want);
	th_result_free(&r);
	int n;
	th_base_groups(&base, &n);
	cr_assert_eq(n, 0, "doctor made groups");

	th_run(&r, NULL, "doctor", "extra", NULL);
	cr_assert_eq(r.code, 125, "%s", r.err);
	th_result_free(&r);
	th_end(&base);
}

/* A capability's bit in the CapBnd of /proc/self/status: what a program
 * root starts gets as its effective set. */
static bool bounding_has(unsigned cap)
{
	char text[4096];
	read_text("/proc/self/status", text, sizeof text);
	const char *l = strstr(text, "\nCapBnd:");
	cr_assert(l);
	unsigned long long mask = strtoull(l + 8, NULL, 16);
	return mask & (1ull << cap);
}

/* The kernel is at least major.minor (a test oracle independent of doctor's
 * probes, which never look at the version). */
static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	cr_assert_eq(uname(&u), 0);
	int ma = 0, mi = 0;
	cr_assert_eq(sscanf(u.release, "%d.%d", &ma, &mi), 2, "%s", u.release);
	return ma > major || (ma == major && mi >= minor);
}

Test(doctor, json_reports_this_host_as_the_kernel_does)
{
	struct facts f;
	read_facts(&f);
	struct th_result text, after, before;
	th_run(&text, NULL, "doctor", NULL);
	th_run(&after, NULL, "doctor", "--json", NULL);
	th_run(&before, NULL, "--json", "doctor", NULL);
	assert_one_object(&after);
	assert_one_object(&before);
	/* --json is a global option: before and after the command alike */
	cr_assert_str_eq(after.out, before.out);
	cr_assert_eq(after.code, before.code);
	assert_json_agrees(&after, &text);
	const char *j = after.out;

	th_expect_jq(j, ".caller.user", "root");
	th_expect_jq(j, ".caller.uid == 0 and .caller.root | tostring", "true");
	th_expect_jq(j, ".cgroup_mode", f.v2 ? (f.v1 ? "hybrid" : "pure") : (f.v1 ? "legacy" : "none"));
	th_expect_jq(j, ".cgroup2_mount", th_cgroup2_mount());

	/* every controller a v1 hierarchy holds (mountinfo's account) is
	 * listed, at a path that is a directory */
	for (char *save, *t = strtok_r(f.v1_controllers, " ", &save); t; t = strtok_r(NULL, " ", &save))
		expect_jqf(j, "true", "[.cgroup_v1.hierarchies[].controller] | index(\"%s\") != null | tostring", t);
	read_facts(&f); /* strtok_r took it apart */
	th_expect_jq(j, ".cgroup_v1.error == null | tostring", "true");
	th_expect_jq(j, ".cgroup_v1.hierarchies | length > 0 | tostring", f.v1 ? "true" : "false");
	char *paths = th_jq(j, "[.cgroup_v1.hierarchies[].path] | join(\"\\n\")");
	cr_assert(paths);
	struct stat st;
	for (char *save, *p = strtok_r(paths, "\n", &save); p; p = strtok_r(NULL, "\n", &save))
		cr_assert(stat(p, &st) == 0 && S_ISDIR(st.st_mode), "v1 path %s", p);
	free(paths);

	/* controllers: what the mount root's cgroup.controllers offers */
	static const char *const ctrls[] = { "memory", "pids", "cpu", "io" };
	char path[PATH_MAX * 2], offered[512];
	snprintf(path, sizeof path, "%s/cgroup.controllers", th_cgroup2_mount());
	read_text(path, offered, sizeof offered);
	for (size_t i = 0; i < 4; i++) {
		expect_jqf(j, has_word(offered, ctrls[i]) ? "true" : "false",
			   ".cgroup2_controllers | index(\"%s\") != null | tostring", ctrls[i]);
		const char *want = controller_state(&f, ctrls[i], th_cgroup2_mount());
		expect_jqf(j, want, ".controllers.%s.state", ctrls[i]);
		expect_jqf(j, strcmp(want, "held-by-v1") == 0 ? "string" : "null",
			   ".controllers.%s.v1_path | type", ctrls[i]);
	}

	/* root's base: the system base, no delegation needed */
	char sys[PATH_MAX * 2];
	snprintf(sys, sizeof sys, "%s/umucg/system", th_cgroup2_mount());
	th_expect_jq(j, ".base.path", sys);
	th_expect_jq(j, ".base.source", "system");
	th_expect_jq(j, ".base.exists | tostring", access(sys, F_OK) == 0 ? "true" : "false");
	th_expect_jq(j, ".base_error == null and .delegation_needed == false and .delegated_subtree == null | tostring", "true");
	th_expect_jq(j, "[.features[] | select(. != null and . != true and . != false)] | length | tostring", "0");

	/* capabilities: as the kernel gives root's programs */
	th_expect_jq(j, ".capabilities.text | length > 0 | tostring", "true");
	th_expect_jq(j, ".capabilities.effective | index(\"cap_sys_admin\") != null | tostring",
		  bounding_has(21) ? "true" : "false");
	th_expect_jq(j, ".capabilities.effective | index(\"cap_chown\") != null | tostring",
		  bounding_has(0) ? "true" : "false");
	th_expect_jq(j, ".capabilities.enough_for_setup | type", "boolean");

	/* the verdict: memory and pids usable at the base */
	bool usable = has_word(offered, "memory") && has_word(offered, "pids");
	cr_assert_eq(after.code, usable ? 0 : 1, "exit %d: %s", after.code, j);
	th_result_free(&text);
	th_result_free(&after);
	th_result_free(&before);
	th_end(&base);
}

Test(doctor, json_judges_an_explicit_base)
{
	struct facts f;
	read_facts(&f);
	struct th_result text, r;
	th_run(&text, NULL, "--base", base.path, "doctor", NULL);
	th_run(&r, NULL, "doctor", "--base", base.path, "--json", NULL);
	assert_one_object(&r);
	assert_json_agrees(&r, &text);
	th_expect_jq(r.out, ".base.path", base.path);
	th_expect_jq(r.out, ".base.source", "explicit");
	th_expect_jq(r.out, ".base.reason", "given by --base or UMUCG_BASE");
	th_expect_jq(r.out, ".base.exists and .base.writable and .base.own_processes == false | tostring", "true");

	/* the base's own cgroup.controllers is what its groups get */
	char path[PATH_MAX * 2], avail[512];
	snprintf(path, sizeof path, "%s/cgroup.controllers", base.path);
	read_text(path, avail, sizeof avail);
	static const char *const ctrls[] = { "memory", "pids", "cpu", "io" };
	for (size_t i = 0; i < 4; i++) {
		expect_jqf(r.out, has_word(avail, ctrls[i]) ? "true" : "false",
			   ".base.controllers | index(\"%s\") != null | tostring", ctrls[i]);
		expect_jqf(r.out, controller_state(&f, ctrls[i], base.path), ".controllers.%s.state", ctrls[i]);
	}
	cr_assert_eq(r.code, has_word(avail, "memory") && has_word(avail, "pids") ? 0 : 1);

	/* features, probed in the base: its interface files and xattrs as
	 * this test sees them */
	snprintf(path, sizeof path, "%s/cgroup.kill", base.path);
	th_expect_jq(r.out, ".features.cgroup_kill | tostring", access(path, F_OK) == 0 ? "true" : "false");
	snprintf(path, sizeof path, "%s/cgroup.freeze", base.path);
	th_expect_jq(r.out, ".features.cgroup_freeze | tostring", access(path, F_OK) == 0 ? "true" : "false");
	char c;
	errno = 0;
	cr_assert(getxattr(base.path, "user.umucg.doctor-test", &c, sizeof c) < 0);
	cr_assert(errno == ENODATA || errno == EOPNOTSUPP, "getxattr: %s", strerror(errno));
	th_expect_jq(r.out, ".features.user_xattr | tostring", errno == ENODATA ? "true" : "false");
	th_expect_jq(r.out, ".features.clone_into_cgroup | tostring", kernel_at_least(5, 7) ? "true" : "false");
	th_result_free(&r);

	/* the same base through the environment, and --json before doctor */
	char env[PATH_MAX * 2];
	snprintf(env, sizeof env, "UMUCG_BASE=%s", base.path);
	const char *set[] = { env, NULL };
	struct th_run_opts o = { .env_set = set };
	th_run(&r, &o, "--json", "doctor", NULL);
	assert_one_object(&r);
	th_expect_jq(r.out, ".base.path", base.path);
	th_expect_jq(r.out, ".base.source", "explicit");
	cr_assert_eq(r.code, text.code);
	th_result_free(&r);
	th_result_free(&text);

	/* a usage error stays one, with nothing on stdout */
	th_run(&r, NULL, "doctor", "--json", "extra", NULL);
	cr_assert_eq(r.code, 125, "%s", r.err);
	cr_assert_str_empty(r.out);
	th_result_free(&r);

	int n;
	th_base_groups(&base, &n);
	cr_assert_eq(n, 0, "doctor made groups");
	th_end(&base);
}

/* The library takes what it needs from its caller, never from the
 * environment: UMUCG_BASE is the CLI's business. */
Test(doctor, the_diagnosis_reads_no_environment)
{
	cr_assert_eq(setenv("UMUCG_BASE", base.path, 1), 0);
	struct umucg_diagnosis d;
	struct umucg_error err = { 0 };
	cr_assert_eq(umucg_diagnose(NULL, &d, &err), 0, "%s", err.msg);
	cr_assert(!d.base_ok || d.base.source == UMUCG_BASE_SYSTEM, "UMUCG_BASE was read");
	cr_assert_str_eq(d.user, "0", "no user given: the uid");
	/* every check once, every "no" with its fix */
	for (size_t i = 0; i < d.nchecks; i++) {
		for (size_t k = 0; k < i; k++)
			cr_assert_str_neq(d.checks[i].id, d.checks[k].id);
		cr_assert(d.checks[i].ok != UMUCG_ANSWER_NO || d.checks[i].fix[0], "%s", d.checks[i].id);
	}
	umucg_diagnosis_release(&d);
	unsetenv("UMUCG_BASE");

	const struct umucg_diagnose_opts opts = { .explicit_base = base.path, .user = "someone" };
	cr_assert_eq(umucg_diagnose(&opts, &d, &err), 0, "%s", err.msg);
	cr_assert(d.base_ok && d.base.source == UMUCG_BASE_EXPLICIT, "%s", d.base_err.msg);
	cr_assert_str_eq(d.base.path, base.path);
	cr_assert_str_eq(d.user, "someone");
	umucg_diagnosis_release(&d);
	th_end(&base);
}

/* The mount root as the base: its own directory has no cgroup.kill or
 * cgroup.freeze (the root cgroup never has), so the kernel's features are
 * probed in a group below it, as the groups run makes there would have them. */
Test(doctor, features_of_a_base_at_the_mount_root_are_those_of_its_groups)
{
	struct th_result r;
	th_run(&r, NULL, "--base", th_cgroup2_mount(), "doctor", "--json", NULL);
	assert_one_object(&r);
	th_expect_jq(r.out, ".base.path", th_cgroup2_mount());
	char path[PATH_MAX * 2];
	snprintf(path, sizeof path, "%s/cgroup.kill", base.path);
	th_expect_jq(r.out, ".features.cgroup_kill | tostring", access(path, F_OK) == 0 ? "true" : "false");
	snprintf(path, sizeof path, "%s/cgroup.freeze", base.path);
	th_expect_jq(r.out, ".features.cgroup_freeze | tostring", access(path, F_OK) == 0 ? "true" : "false");
	th_result_free(&r);
	th_end(&base);
}
