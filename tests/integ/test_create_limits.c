/* test_create_limits.c - create on a host whose cgroup2 lacks a controller
 * (this hybrid host: memory, pids, cpu and io are cgroup v1's): one warning
 * naming the controllers and the fix, the group made without those limits
 * and the limits recorded with it (xattr or record file), status showing
 * each as not applied; --strict makes it an error that creates nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "internal.h" /* umucg_meta_set_unapplied */

static struct th_base base;

static void setup(void)
{
	th_base_make(&base);
}

static void teardown(void)
{
	th_base_discard(&base);
}

TestSuite(create_limits, .init = setup, .fini = teardown, .timeout = 60);

#define UMUCG(r, ...) th_run((r), NULL, "--base", base.path, __VA_ARGS__, NULL)

/* Whether controllers (cgroup.controllers' text) names controller, as a
 * whole word. */
static bool has_controller(const char *controllers, const char *controller)
{
	bool found = false;
	char *copy = strdup(controllers), *save = NULL;
	cr_assert(copy);
	for (char *w = strtok_r(copy, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
		found |= strcmp(w, controller) == 0;
	free(copy);
	return found;
}

/* The controllers of memory, pids, cpu, io that the base lacks (a
 * UMUCG_CTRL_* mask); skips the test loudly when it lacks none. */
static unsigned missing_or_skip(void)
{
	char *text = th_group_read(&base, "", "cgroup.controllers");
	cr_assert(text);
	static const char *const names[] = { "memory", "pids", "cpu", "io" };
	unsigned missing = 0;
	for (unsigned i = 0; i < 4; i++)
		if (!has_controller(text, names[i]))
			missing |= 1u << i;
	free(text);
	if (!(missing & UMUCG_CTRL_MEMORY))
		cr_skip_test("SKIPPED: this host's cgroup2 has the memory controller (not hybrid); "
			     "the VM tier tests limits that apply");
	return missing;
}

/* /proc/cgroups gives memory a v1 hierarchy (this hybrid host). */
static bool memory_in_v1(void)
{
	FILE *f = fopen("/proc/cgroups", "re");
	char line[256];
	int hierarchy = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "memory %d", &hierarchy) == 1)
			break;
	if (f)
		fclose(f);
	return hierarchy > 0;
}

static int count_lines(const char *text, const char *prefix)
{
	int n = 0;
	size_t len = strlen(prefix);
	for (const char *l = text; l && *l;) {
		n += strncmp(l, prefix, len) == 0;
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	return n;
}

Test(create_limits, a_missing_controller_warns_once_and_is_recorded)
{
	unsigned missing = missing_or_skip();
	struct th_result r;
	UMUCG(&r, "create", "game", "--mem", "4G", "--pids", "512", "--cpu-max", "150%");
	cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	char want[PATH_MAX + 16];
	snprintf(want, sizeof want, "%s/game\n", base.path);
	cr_expect_str_eq(r.out, want);
	cr_expect_eq(count_lines(r.err, "umucg: warning: "), 1, "%s", r.err);
	cr_expect(th_contains(r.err, "umucg: warning: memory"), "%s", r.err);
	cr_expect(th_contains(r.err, "without --mem"), "%s", r.err);
	cr_expect_eq(count_lines(r.err, "hint: "), 1, "no fix given: %s", r.err);
	cr_expect(!th_contains(r.err, "--best-effort"), "%s", r.err);
	th_result_free(&r);
	cr_expect(th_group_exists(&base, "game"));

	char path[PATH_MAX + 16], attr[256] = "";
	snprintf(path, sizeof path, "%s/game", base.path);
	ssize_t n = getxattr(path, "user.umucg.unapplied", attr, sizeof attr - 1);
	cr_expect_gt(n, 0, "no user.umucg.unapplied: %s", strerror(errno));
	cr_expect(th_contains(attr, "mem=4294967296"), "%s", attr);

	UMUCG(&r, "status", "game");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_expect(th_contains(r.out, "memory.high: 4.0G (not applied: no memory controller here)"),
		  "%s", r.out);
	if (missing & UMUCG_CTRL_PIDS)
		cr_expect(th_contains(r.out, "pids.max: 512 (not applied: no pids controller here)"),
			  "%s", r.out);
	if (missing & UMUCG_CTRL_CPU)
		cr_expect(th_contains(r.out, "cpu.max: 150% (not applied: no cpu controller here)"),
			  "%s", r.out);
	th_result_free(&r);
	UMUCG(&r, "status", "game", "--json");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".unapplied[0].file", "memory.high");
	th_expect_jq(r.out, ".unapplied[0].value", "4294967296");
	th_expect_jq(r.out, ".unapplied[0].controller", "memory");
	th_expect_jq(r.out, "[.unapplied[].file] | index(\"memory.high\") | tostring", "0");
	th_result_free(&r);
	UMUCG(&r, "stop", "game");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	th_end(&base);
}

/* A CPU list the host cannot apply (no cpuset controller in cgroup2) is
 * shown whole by status, not cut at 63 bytes (a fuzz finding: every other
 * CPU of a big machine, to keep a game off the SMT siblings). */
Test(create_limits, an_unapplied_cpu_list_is_shown_whole)
{
	char *text = th_group_read(&base, "", "cgroup.controllers");
	cr_assert(text);
	bool has_cpuset = has_controller(text, "cpuset");
	free(text);
	if (has_cpuset)
		cr_skip_test("SKIPPED: this host's cgroup2 has the cpuset controller; the VM tier "
			     "tests --cpus applied");
	char list[160] = "";
	for (unsigned c = 0; c <= 100; c += 2)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%u", c ? "," : "", c);
	struct th_result r;
	UMUCG(&r, "create", "game", "--cpus", list);
	cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	th_result_free(&r);
	UMUCG(&r, "status", "game");
	cr_assert_eq(r.code, 0, "%s", r.err);
	char want[256];
	snprintf(want, sizeof want, "cpuset.cpus: %s (not applied: no cpuset controller here)", list);
	cr_expect(th_contains(r.out, want), "want '%s' in:\n%s", want, r.out);
	th_result_free(&r);
	UMUCG(&r, "status", "game", "--json");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".unapplied[0].value", list);
	th_result_free(&r);
	UMUCG(&r, "stop", "game");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	th_end(&base);
}

Test(create_limits, strict_refuses_and_creates_nothing)
{
	missing_or_skip();
	struct th_result r;
	UMUCG(&r, "create", "game", "--mem", "4G", "--strict");
	cr_expect_eq(r.code, 125, "exit %d: %s", r.code, r.err);
	cr_expect(th_contains(r.err, "umucg: memory controller: not available in cgroup2"), "%s", r.err);
	cr_expect(th_contains(r.err, "\nhint: "), "%s", r.err);
	if (memory_in_v1())
		cr_expect(th_contains(r.err, "hint: memory: bound to cgroup v1 here (a hybrid host); "
				      "boot with cgroup_no_v1=all"), "not this host's fix: %s", r.err);
	cr_expect_str_eq(r.out, "");
	th_result_free(&r);
	cr_expect(!th_group_exists(&base, "game"), "--strict made the group");
	/* --best-effort: the default, for symmetry with run; the last wins */
	UMUCG(&r, "create", "be", "--mem", "4G", "--strict", "--best-effort");
	cr_expect_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	th_result_free(&r);
	UMUCG(&r, "create", "be2", "--best-effort", "--mem", "1G", "--strict");
	cr_expect_eq(r.code, 125, "exit %d: %s", r.code, r.err);
	th_result_free(&r);
	cr_expect(!th_group_exists(&base, "be2"));
	/* no limit: nothing to warn about, nothing recorded */
	UMUCG(&r, "create", "plain", "--strict");
	cr_expect_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	cr_expect_str_eq(r.err, "");
	th_result_free(&r);
	UMUCG(&r, "status", "plain", "--json");
	th_expect_jq(r.out, ".unapplied | length | tostring", "0");
	th_result_free(&r);
	UMUCG(&r, "stop", "be");
	th_result_free(&r);
	UMUCG(&r, "stop", "plain");
	th_result_free(&r);
	th_end(&base);
}

/* Where cgroupfs has no user xattrs the record is a file: the limits not
 * applied are in it too. */
Test(create_limits, recorded_in_the_record_file_too)
{
	missing_or_skip();
	char dir[] = "/tmp/umucg-test-meta-XXXXXX";
	cr_assert(mkdtemp(dir));
	char env_dir[128];
	snprintf(env_dir, sizeof env_dir, "UMUCG_META_DIR=%s", dir);
	const char *set[] = { "UMUCG_META=file", env_dir, NULL };
	struct th_run_opts o = { .env_set = set };
	struct th_result r;
	th_run(&r, &o, "--base", base.path, "create", "fb", "--mem", "2G", NULL);
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "cat %s/*", dir);
	FILE *p = popen(cmd, "re");
	char text[1024] = "";
	size_t len = p ? fread(text, 1, sizeof text - 1, p) : 0;
	text[len] = '\0';
	if (p)
		pclose(p);
	cr_expect(th_contains(text, "\nunapplied mem=2147483648\n"), "record file: %s", text);
	th_run(&r, &o, "--base", base.path, "status", "fb", NULL);
	cr_expect(th_contains(r.out, "memory.high: 2.0G (not applied: no memory controller here)"),
		  "%s", r.out);
	th_result_free(&r);
	th_run(&r, &o, "--base", base.path, "stop", "fb", NULL);
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_expect_eq(system(cmd), 0);
	th_end(&base);
}

/* The library's internal call for recording on an existing group the
 * limits it skipped, in both stores. */
Test(create_limits, meta_set_unapplied_keeps_the_rest_of_the_record)
{
	char dir[] = "/tmp/umucg-test-meta-XXXXXX";
	cr_assert(mkdtemp(dir));
	const struct umucg_meta_store stores[] = {
		{ UMUCG_META_XATTR, NULL }, { UMUCG_META_FILE, dir },
	};
	for (size_t s = 0; s < 2; s++) {
		struct umucg_error err = { 0 };
		struct umucg_meta meta = { .manager_pid = 0, .started = 1234567 };
		snprintf(meta.command, sizeof meta.command, "the command");
		char name[UMUCG_NAME_MAX + 1] = "lib";
		int fd = umucg_group_create(base.fd, name, false, &meta, &stores[s], &err);
		cr_assert_geq(fd, 0, "%s", err.msg);
		struct umucg_limits u = { 0 };
		umucg_limits_parse_option(&u, "pids", "64", NULL);
		umucg_limits_parse_option(&u, "io-weight", "7", NULL);
		cr_expect_eq(umucg_meta_set_unapplied(&stores[s], fd, &u, &err), 0, "%s", err.msg);
		struct umucg_meta back;
		cr_assert_eq(umucg_meta_read(&stores[s], fd, &back, &err), 0, "%s", err.msg);
		cr_expect_eq(back.unapplied.set, UMUCG_LIMIT_PIDS_MAX | UMUCG_LIMIT_IO_WEIGHT);
		cr_expect_eq(back.unapplied.pids_max, 64);
		cr_expect_eq(back.unapplied.io_weight, 7);
		cr_expect_eq(back.started, 1234567);
		cr_expect_str_eq(back.command, "the command");
		/* none: the field goes */
		struct umucg_limits none = { 0 };
		cr_expect_eq(umucg_meta_set_unapplied(&stores[s], fd, &none, &err), 0, "%s", err.msg);
		cr_assert_eq(umucg_meta_read(&stores[s], fd, &back, &err), 0, "%s", err.msg);
		cr_expect_eq(back.unapplied.set, 0u);
		close(fd);
		cr_expect_eq(umucg_group_remove(base.fd, "lib", &err), 0, "%s", err.msg);
	}
	/* a group without a record has nothing to add to */
	cr_assert_eq(mkdirat(base.fd, "bare", 0755), 0);
	int fd = umucg_group_open(base.fd, "bare", NULL);
	struct umucg_limits u = { .set = UMUCG_LIMIT_PIDS_MAX, .pids_max = 1 };
	cr_expect_lt(umucg_meta_set_unapplied(&stores[0], fd, &u, NULL), 0);
	close(fd);
	cr_expect_eq(unlinkat(base.fd, "bare", AT_REMOVEDIR), 0);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_expect_eq(system(cmd), 0);
	th_end(&base);
}

/* run records the limits it ran without the same way. */
Test(create_limits, run_records_the_limits_it_ran_without)
{
	missing_or_skip();
	struct th_result r;
	UMUCG(&r, "run", "--keep", "--name", "ran", "--mem", "3G", "--", "true");
	cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	th_result_free(&r);
	UMUCG(&r, "status", "ran");
	cr_expect(th_contains(r.out, "memory.high: 3.0G (not applied: no memory controller here)"),
		  "%s", r.out);
	th_result_free(&r);
	UMUCG(&r, "gc");
	th_result_free(&r);
	th_end(&base);
}
