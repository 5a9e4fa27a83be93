/* test_doctor.c - umucg doctor on this machine, checked against the
 * kernel's own account (/proc/self/mountinfo, cgroup.controllers) read here
 * independently: mode, mount, controllers held by v1, the base and its
 * reason, a fix for every "no", and an exit status that matches the facts. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
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
	assert_verdict(&r, limits_usable_in(access(sys, F_OK) == 0 ? sys : th_cgroup2_mount()));
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

/* A user outside any delegated subtree: "no", the setup command and the
 * PAM line as the fix, exit 1. */
Test(doctor, a_user_without_delegation_is_told_the_fix)
{
	struct passwd *pw = getpwnam("nobody");
	cr_assert(pw, "no user 'nobody' here");
	const char *bin = getenv("UMUCG_BIN");
	cr_assert(bin);
	int out[2];
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	pid_t child = fork();
	cr_assert(child >= 0);
	if (child == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
			_exit(91);
		dup2(out[1], 1);
		dup2(out[1], 2);
		unsetenv("UMUCG_BASE");
		execl(bin, bin, "doctor", (char *)NULL);
		_exit(92);
	}
	close(out[1]);
	char text[16384];
	size_t len = 0;
	ssize_t n;
	while (len + 1 < sizeof text && (n = read(out[0], text + len, sizeof text - 1 - len)) > 0)
		len += (size_t)n;
	text[len] = '\0';
	close(out[0]);
	int status;
	cr_assert_eq(waitpid(child, &status, 0), child);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %d: %s", status, text);
	cr_assert(th_contains(text, "no   delegated subtree: "), "%s", text);
	cr_assert(th_contains(text, "fix: as root: 'umucg setup --user nobody --session $$'") &&
		  th_contains(text, "pam_exec.so"), "the fix is missing: %s", text);
	cr_assert(th_contains(text, "does NOT work for nobody"), "%s", text);
	th_end(&base);
}
