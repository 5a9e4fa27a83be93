/* test_doctor.c - umucg doctor on this machine, checked against the
 * kernel's own account (/proc/self/mountinfo, cgroup.controllers) read here
 * independently: mode, mount, controllers held by v1, the base and its
 * reason, a fix for every "no", and an exit status that matches the facts;
 * the same for doctor --json (parsed by jq(1)), whose checks and verdict
 * must agree with the text report's. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/xattr.h>
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

TestSuite(doctor, .init = setup, .fini = teardown, .timeout = 60);

/* The facts, from mountinfo: cgroup2 mounted, v1 mounted, and the v1
 * hierarchies' controllers (space-separated, with spaces around). */
struct facts {
	bool v1, v2;
	char v1_controllers[512];
};

static void read_facts(struct facts *f)
{
	static const char *const known[] = { "cpu", "cpuacct", "cpuset", "memory", "devices",
		"freezer", "blkio", "pids", "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "misc" };
	memset(f, 0, sizeof *f);
	snprintf(f->v1_controllers, sizeof f->v1_controllers, " ");
	FILE *m = fopen("/proc/self/mountinfo", "re");
	cr_assert(m);
	char line[4096];
	while (fgets(line, sizeof line, m)) {
		char *sep = strstr(line, " - ");
		if (!sep)
			continue;
		char fstype[64], source[256], opts[1024];
		if (sscanf(sep + 3, "%63s %255s %1023s", fstype, source, opts) != 3)
			continue;
		if (strcmp(fstype, "cgroup2") == 0)
			f->v2 = true;
		if (strcmp(fstype, "cgroup") != 0)
			continue;
		f->v1 = true;
		for (char *save, *t = strtok_r(opts, ",", &save); t; t = strtok_r(NULL, ",", &save))
			for (size_t i = 0; i < sizeof known / sizeof *known; i++)
				if (strcmp(t, known[i]) == 0) {
					size_t l = strlen(f->v1_controllers);
					snprintf(f->v1_controllers + l, sizeof f->v1_controllers - l, "%s ", t);
				}
	}
	fclose(m);
}

/* true when the whitespace-separated list has word. */
static bool has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += wl)
		if ((p == list || p[-1] == ' ' || p[-1] == '\n') && (p[wl] == ' ' || p[wl] == '\n' || !p[wl]))
			return true;
	return false;
}

/* The line starting with prefix, copied into buf ("" when none). */
static const char *line_of(const char *text, const char *prefix, char *buf, size_t cap)
{
	buf[0] = '\0';
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		if (strncmp(l, prefix, strlen(prefix)) == 0) {
			snprintf(buf, cap, "%.*s", (int)len, l);
			break;
		}
		l = nl ? nl + 1 : NULL;
	}
	return buf;
}

/* Every "no" line is followed by its fix. */
static void assert_fixes(const char *out)
{
	for (const char *l = out; l && *l;) {
		const char *nl = strchr(l, '\n');
		if (strncmp(l, "no   ", 5) == 0)
			cr_assert(nl && strncmp(nl + 1, "     fix: ", 10) == 0 && nl[11] != '\n',
				  "a 'no' without a fix: %.*s", (int)(nl ? nl - l : 80), l);
		l = nl ? nl + 1 : NULL;
	}
}

/* What the verdict must be: memory and pids in dir's cgroup.controllers. */
static bool limits_usable_in(const char *dir)
{
	char path[PATH_MAX * 2], text[512] = "";
	snprintf(path, sizeof path, "%s/cgroup.controllers", dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	return has_word(text, "memory") && has_word(text, "pids");
}

static void assert_verdict(const struct th_result *r, bool want)
{
	cr_assert_eq(r->code, want ? 0 : 1, "exit %d, want %d: %s%s", r->code, want ? 0 : 1, r->out, r->err);
	char buf[256];
	line_of(r->out, "verdict:", buf, sizeof buf);
	cr_assert(th_contains(buf, want ? " works " : " does NOT work "), "verdict line: '%s'", buf);
}

/* expect_jq with a formatted filter. */
static void expect_jqf(const char *json, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void expect_jqf(const char *json, const char *want, const char *fmt, ...)
{
	char filter[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(filter, sizeof filter, fmt, ap);
	va_end(ap);
	th_expect_jq(json, filter, want);
}

/* One JSON value and one newline, nothing else on stdout or stderr. */
static void assert_one_object(const struct th_result *r)
{
	cr_assert_str_empty(r->err, "doctor --json wrote to stderr: %s", r->err);
	size_t len = strlen(r->out);
	cr_assert(len > 2 && r->out[0] == '{' && r->out[len - 1] == '\n' &&
		  strchr(r->out, '\n') == r->out + len - 1, "not one object and a newline: %s", r->out);
	th_expect_jq(r->out, "type", "object");
}

/* The JSON report agrees with itself and with the text report of the same
 * situation: the verdict and exit status, every check as a text line, a fix
 * for every "no", and as many "no" lines. */
static void assert_json_agrees(const struct th_result *json, const struct th_result *text)
{
	cr_assert_eq(json->code, text->code, "exit %d with --json, %d without", json->code, text->code);
	cr_assert(json->code == 0 || json->code == 1, "exit %d: %s", json->code, json->err);
	th_expect_jq(json->out, ".run_with_limits_works | tostring", json->code == 0 ? "true" : "false");
	th_expect_jq(json->out, "[.checks[] | select(.blocking and .ok == false)] | length == 0 | tostring",
		  json->code == 0 ? "true" : "false");
	th_expect_jq(json->out, "[.checks[] | select(.ok == false and ((.fix // \"\") == \"\"))] | length | tostring", "0");
	th_expect_jq(json->out, "[.checks[] | select(.ok != false and .fix != null)] | length | tostring", "0");
	char *lines = th_jq(json->out, "[.checks[] | (if .ok == true then \"yes \" elif .ok == false then \"no  \" "
			 "else \"?   \" end) + \" \" + .what + \": \" + .detail + "
			 "(if .ok == false then \"\\n     fix: \" + .fix else \"\" end)] | join(\"\\u001e\")");
	cr_assert(lines, "checks: %s", json->out);
	/* each check with its fix line, as the text prints them together */
	for (char *save, *l = strtok_r(lines, "\x1e", &save); l; l = strtok_r(NULL, "\x1e", &save)) {
		char want[2048];
		snprintf(want, sizeof want, "\n%s\n", l);
		cr_assert(th_contains(text->out, want), "the text report lacks '%s':\n%s", l, text->out);
	}
	free(lines);
	unsigned nos = 0;
	for (const char *p = text->out; (p = strstr(p, "\nno   ")); p++)
		nos++;
	char want[32];
	snprintf(want, sizeof want, "%u", nos);
	th_expect_jq(json->out, ".nos | tostring", want);
	th_expect_jq(json->out, "[.checks[] | select(.ok == false)] | length | tostring", want);
	char buf[256];
	line_of(text->out, "verdict:", buf, sizeof buf);
	cr_assert(th_contains(buf, json->code == 0 ? " works " : " does NOT work "), "'%s'", buf);
}

/* A small file's text, whole (asserted readable). */
static void read_text(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	cr_assert(fd >= 0, "%s: %s", path, strerror(errno));
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	cr_assert(n >= 0, "%s: %s", path, strerror(errno));
	buf[n] = '\0';
}

/* controller's expected state from the kernel's files: held by a v1
 * hierarchy, else usable when the directory whose cgroup.controllers the
 * base's groups get offers it, else offered by the mount but not enabled,
 * else missing. */
static const char *controller_state(const struct facts *f, const char *ctrl, const char *avail_dir)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof path, "%s/cgroup.controllers", avail_dir);
	char avail[512], offered[512];
	read_text(path, avail, sizeof avail);
	snprintf(path, sizeof path, "%s/cgroup.controllers", th_cgroup2_mount());
	read_text(path, offered, sizeof offered);
	const char *v1name = strcmp(ctrl, "io") == 0 ? "blkio" : ctrl;
	const char *state = has_word(avail, ctrl) ? "usable" : has_word(f->v1_controllers, v1name) ?
			    "held-by-v1" : has_word(offered, ctrl) ? "not-enabled" : "missing";
	return state;
}

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

/* Reads fd to its end into a malloc'd string. */
static char *read_all(int fd)
{
	size_t cap = 16384, len = 0;
	char *text = malloc(cap);
	cr_assert(text);
	ssize_t n;
	while ((n = read(fd, text + len, cap - 1 - len)) > 0 || (n < 0 && errno == EINTR)) {
		len += n > 0 ? (size_t)n : 0;
		if (len + 1 >= cap) {
			text = realloc(text, cap *= 2);
			cr_assert(text);
		}
	}
	text[len] = '\0';
	return text;
}

/* umucg doctor [arg] as the user pw, without UMUCG_BASE. */
static void run_as(const struct passwd *pw, const char *arg, struct th_result *r)
{
	const char *bin = getenv("UMUCG_BIN");
	cr_assert(bin);
	int out[2], err[2];
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(err, O_CLOEXEC), 0);
	pid_t child = fork();
	cr_assert(child >= 0);
	if (child == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
			_exit(91);
		dup2(out[1], 1);
		dup2(err[1], 2);
		unsetenv("UMUCG_BASE");
		execl(bin, bin, "doctor", arg, (char *)NULL);
		_exit(92);
	}
	close(out[1]);
	close(err[1]);
	/* doctor's output is far below a pipe's capacity: reading one pipe
	 * to its end, then the other, cannot block the writer */
	r->out = read_all(out[0]);
	r->err = read_all(err[0]);
	close(out[0]);
	close(err[0]);
	cr_assert_eq(waitpid(child, &r->status, 0), child);
	cr_assert(WIFEXITED(r->status), "status %d", r->status);
	r->code = WEXITSTATUS(r->status);
}

/* A user outside any delegated subtree: "no", the setup command and the
 * PAM line as the fix, exit 1; in text and JSON alike. */
Test(doctor, a_user_without_delegation_is_told_the_fix)
{
	struct passwd *pw = getpwnam("nobody");
	cr_assert(pw, "no user 'nobody' here");
	struct th_result r;
	run_as(pw, NULL, &r);
	cr_assert_eq(r.code, 1, "exit %d: %s%s", r.code, r.out, r.err);
	cr_assert(th_contains(r.out, "no   delegated subtree: "), "%s", r.out);
	cr_assert(th_contains(r.out, "fix: as root: 'umucg setup --user nobody --session $$'") &&
		  th_contains(r.out, "pam_umucg.so"), "the fix is missing: %s", r.out);
	cr_assert(th_contains(r.out, "does NOT work for nobody"), "%s", r.out);

	struct th_result j;
	run_as(pw, "--json", &j);
	assert_one_object(&j);
	assert_json_agrees(&j, &r);
	th_expect_jq(j.out, ".caller.user", "nobody");
	expect_jqf(j.out, "true", ".caller.uid == %u and .caller.root == false | tostring", (unsigned)pw->pw_uid);
	th_expect_jq(j.out, ".base == null and .delegation_needed and .delegated_subtree == false | tostring", "true");
	th_expect_jq(j.out, ".base_error.message | length > 0 | tostring", "true");
	th_expect_jq(j.out, "[.checks[] | select(.id == \"delegated_subtree\")] | length | tostring", "1");
	th_expect_jq(j.out, ".checks[] | select(.id == \"delegated_subtree\") | .ok == false and .blocking "
		  "and (.fix | contains(\"umucg setup --user nobody --session $$\")) "
		  "and (.fix | contains(\"pam_umucg.so\")) | tostring", "true");
	/* setuid to a non-root user clears the effective set; setup's check
	 * is only asked for root */
	th_expect_jq(j.out, ".capabilities.effective == [] and .capabilities.enough_for_setup == null | tostring", "true");
	th_expect_jq(j.out, ".run_with_limits_works | tostring", "false");
	th_result_free(&j);
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
