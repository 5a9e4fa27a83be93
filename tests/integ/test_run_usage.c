/* test_run_usage.c - umucg run's usage errors (125, "umucg: " on stderr, no
 * side effect: no group, CMD never runs), --help and --version, limits whose
 * controller this host lacks, --best-effort, and the base options. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"

static struct th_base base;
static char flag[64];

static void setup(void)
{
	th_base_make(&base);
	snprintf(flag, sizeof flag, "/tmp/umucg-test-ran-%d", (int)getpid());
	unlink(flag);
}

static void teardown(void)
{
	unlink(flag);
	th_base_discard(&base);
}

TestSuite(run_usage, .init = setup, .fini = teardown, .timeout = 60);

/* Runs `umucg run ARGS... -- touch FLAG` (ARGS up to NULL; with_cmd false
 * leaves the command out) and asserts a usage failure without side effect. */
static void expect_refused(const char *why, const char *const *env, const char *const *argv,
			   bool with_cmd, const char *mention)
{
	const char *args[32];
	size_t n = 0;
	args[n++] = "run";
	args[n++] = "--base";
	args[n++] = base.path;
	for (; *argv && n < 24; argv++)
		args[n++] = *argv;
	if (with_cmd) {
		args[n++] = "--";
		args[n++] = "touch";
		args[n++] = flag;
	}
	args[n] = NULL;
	struct th_run_opts o = { .env_set = env };
	struct th_proc p;
	struct th_result r;
	th_start(&p, &o, args);
	th_finish(&p, &r);
	cr_assert_eq(r.code, 125, "%s: exit %d, stderr: %s", why, r.code, r.err);
	cr_assert(strncmp(r.err, "umucg: ", 7) == 0, "%s: stderr lacks the 'umucg: ' prefix: '%s'",
		  why, r.err);
	if (mention)
		cr_assert(th_contains(r.err, mention), "%s: stderr does not mention '%s': %s", why,
			  mention, r.err);
	cr_assert_str_empty(r.out, "%s: stdout: %s", why, r.out);
	cr_assert_neq(access(flag, F_OK), 0, "%s: CMD ran", why);
	int groups;
	const char *names = th_base_groups(&base, &groups);
	cr_assert_eq(groups, 0, "%s: made groups: %s", why, names);
	th_result_free(&r);
}

#define REFUSE(why, mention, ...) \
	expect_refused(why, NULL, (const char *const[]){ __VA_ARGS__, NULL }, true, mention)

Test(run_usage, bad_options_are_refused_before_any_side_effect)
{
	REFUSE("unknown option", "--frobnicate: unknown option", "--frobnicate");
	REFUSE("unknown short option", NULL, "-z");
	REFUSE("--name ..", "..", "--name", "..");
	REFUSE("--name .", NULL, "--name", ".");
	REFUSE("--name a/b", "a/b", "--name", "a/b");
	REFUSE("--name ../escape", NULL, "--name", "../escape");
	REFUSE("--name empty", NULL, "--name", "");
	REFUSE("--name 65 bytes", NULL, "--name",
	       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	REFUSE("--name space", NULL, "--name", "a b");
	REFUSE("--name newline", NULL, "--name", "a\nb");
	REFUSE("--name utf-8", NULL, "--name", "caf\xc3\xa9");
	REFUSE("--mem negative", "-1", "--mem", "-1");
	REFUSE("--mem junk", "4X", "--mem", "4X");
	REFUSE("--mem empty", NULL, "--mem", "");
	REFUSE("--mem overflow", NULL, "--mem", "99999999999999999999");
	REFUSE("--mem overflow with suffix", NULL, "--mem", "17179869184G");
	REFUSE("--mem-max 1.5.5G", NULL, "--mem-max", "1.5.5G");
	REFUSE("--swap-max G", NULL, "--swap-max", "G");
	REFUSE("--pids 0", NULL, "--pids", "0");
	REFUSE("--pids -5", NULL, "--pids", "-5");
	REFUSE("--pids 1.5", NULL, "--pids", "1.5");
	REFUSE("--cpu-weight 0", NULL, "--cpu-weight", "0");
	REFUSE("--cpu-weight 10001", NULL, "--cpu-weight", "10001");
	REFUSE("--io-weight abc", NULL, "--io-weight", "abc");
	REFUSE("--cpu-max 0%", NULL, "--cpu-max", "0%");
	REFUSE("--cpu-max 50%%", NULL, "--cpu-max", "50%%");
	REFUSE("--cpu-max -50%", NULL, "--cpu-max", "-50%");
	REFUSE("--grace abc", "--grace", "--grace", "abc");
	REFUSE("--grace -1", NULL, "--grace", "-1");
	REFUSE("--timeout 1x", "--timeout", "--timeout", "1x");
	REFUSE("--timeout empty", NULL, "--timeout", "");
	REFUSE("--timeout 1e3", NULL, "--timeout", "1e3");
	/* a later bad option: the earlier good ones must not have acted */
	REFUSE("good then bad", NULL, "--name", "fine", "--keep", "--pids", "nope");

	/* no command at all */
	expect_refused("missing CMD", NULL, (const char *const[]){ NULL }, false, NULL);
	expect_refused("only --", NULL, (const char *const[]){ "--", NULL }, false, NULL);
	expect_refused("option needing a value last", NULL, (const char *const[]){ "--name", NULL },
		       false, "--name: needs a value");
	expect_refused("limit needing a value last", NULL, (const char *const[]){ "--mem", NULL },
		       false, "--mem: needs a value");

	/* the test-only method switches are validated too */
	expect_refused("UMUCG_SPAWN=bogus", (const char *const[]){ "UMUCG_SPAWN=bogus", NULL },
		       (const char *const[]){ NULL }, true, "UMUCG_SPAWN");
	expect_refused("UMUCG_KILL=bogus", (const char *const[]){ "UMUCG_KILL=bogus", NULL },
		       (const char *const[]){ NULL }, true, "UMUCG_KILL");
	th_end(&base);
}

Test(run_usage, base_errors_are_refused)
{
	char dir[] = "/tmp/umucg-test-notcg-XXXXXX";
	cr_assert(mkdtemp(dir));
	const char *const bad[] = { "/nonexistent/umucg-test", dir, "relative/base" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct th_result r;
		th_run(&r, NULL, "run", "--base", bad[i], "--", "touch", flag, NULL);
		cr_assert_eq(r.code, 125, "--base %s: exit %d, stderr: %s", bad[i], r.code, r.err);
		cr_assert(strncmp(r.err, "umucg: ", 7) == 0, "--base %s: %s", bad[i], r.err);
		cr_assert_neq(access(flag, F_OK), 0, "--base %s: CMD ran", bad[i]);
		th_result_free(&r);
	}
	rmdir(dir);
	th_end(&base);
}

Test(run_usage, base_from_the_environment_and_before_the_subcommand)
{
	char env[4200];
	snprintf(env, sizeof env, "UMUCG_BASE=%s", base.path);
	const char *set[] = { env, NULL };
	struct th_run_opts o = { .env_set = set };
	struct th_result r;
	th_run(&r, &o, "run", "--keep", "--name", "from-env", "--", "true", NULL);
	cr_assert_eq(r.code, 0, "UMUCG_BASE: exit %d, stderr: %s", r.code, r.err);
	cr_assert(th_group_exists(&base, "from-env"), "UMUCG_BASE was not used");
	th_result_free(&r);

	th_run(&r, NULL, "--base", base.path, "run", "--keep", "--name", "global", "--", "true", NULL);
	cr_assert_eq(r.code, 0, "umucg --base B run: exit %d, stderr: %s", r.code, r.err);
	cr_assert(th_group_exists(&base, "global"), "the global --base was not used");
	th_result_free(&r);

	for (const char *const *n = (const char *const[]){ "from-env", "global", NULL }; *n; n++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", base.path, *n);
		cr_assert_eq(rmdir(path), 0, "rmdir %s: %s", path, strerror(errno));
	}
	th_end(&base);
}

Test(run_usage, help_and_version_exit_0)
{
	struct th_result r;
	th_run(&r, NULL, "--help", NULL);
	cr_assert_eq(r.code, 0);
	cr_assert(th_contains(r.out, "Usage") && th_contains(r.out, "run"), "%s", r.out);
	cr_assert_str_empty(r.err);
	th_result_free(&r);

	th_run(&r, NULL, "run", "--help", NULL);
	cr_assert_eq(r.code, 0);
	cr_assert(th_contains(r.out, "umucg run") && th_contains(r.out, "--kill-on-exit"), "%s", r.out);
	cr_assert_str_empty(r.err);
	th_result_free(&r);

	/* --help wins over what follows, and makes nothing */
	th_run(&r, NULL, "run", "--base", base.path, "--help", "--", "touch", flag, NULL);
	cr_assert_eq(r.code, 0);
	cr_assert_neq(access(flag, F_OK), 0, "run --help ran CMD");
	th_result_free(&r);

	th_run(&r, NULL, "--version", NULL);
	cr_assert_eq(r.code, 0);
	cr_assert(strncmp(r.out, "umucg ", 6) == 0 && r.out[6] >= '0' && r.out[6] <= '9', "%s", r.out);
	cr_assert_str_empty(r.err);
	th_result_free(&r);

	/* no command: usage on stderr, 125 */
	th_run(&r, NULL, NULL);
	cr_assert_eq(r.code, 125);
	cr_assert(!r.out[0] && r.err[0]);
	th_result_free(&r);
	th_end(&base);
}

/* One --help convention for every command (its own options, the shared
 * ones, LIMITS where it takes them), printed as text: no printf escapes
 * left in it ("150%%" was printed literally). */
Test(run_usage, every_command_s_help_is_one_convention)
{
	static const char *const cmds[] = { "run", "create", "join", "move", "list", "status", "set",
					    "stop", "kill", "freeze", "thaw", "gc", "setup", "doctor" };
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		struct th_result r;
		th_run(&r, NULL, cmds[i], "--help", NULL);
		char usage[64];
		snprintf(usage, sizeof usage, "Usage: umucg %s", cmds[i]);
		cr_expect_eq(r.code, 0, "%s --help: exit %d", cmds[i], r.code);
		cr_expect(strncmp(r.out, usage, strlen(usage)) == 0, "%s --help: %s", cmds[i], r.out);
		cr_expect(th_contains(r.out, "  --base PATH") && th_contains(r.out, "  --help "),
			  "%s --help lacks the shared options: %s", cmds[i], r.out);
		cr_expect(!th_contains(r.out, "%%"), "%s --help prints a printf escape", cmds[i]);
		cr_expect_str_empty(r.err, "%s --help: %s", cmds[i], r.err);
		th_result_free(&r);
	}
	struct th_result r;
	th_run(&r, NULL, "run", "--help", NULL);
	cr_expect(th_contains(r.out, "150% = one and a half CPUs"), "%s", r.out);
	/* --timeout 0 means none, as in timeout(1): said, not silent */
	cr_expect(th_contains(r.out, "(0: none)"), "run --help does not say what --timeout 0 is");
	th_result_free(&r);
	th_end(&base);
}

/* A bad value names its option (freeze --timeout abc did not). */
Test(run_usage, a_bad_value_names_its_option)
{
	static const char *const cases[][4] = {
		{ "freeze", "--timeout", "abc", "--timeout" },
		{ "thaw", "--timeout", "-1", "--timeout" },
		{ "stop", "--grace", "soon", "--grace" },
		{ "stop", "--signal", "NOPE", "--signal" },
		{ "kill", "--signal", "99999", "--signal" },
		{ "gc", "--min-age", "x", "--min-age" },
		{ "run", "--grace", "x", "--grace" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct th_result r;
		th_run(&r, NULL, cases[i][0], "--base", base.path, cases[i][1], cases[i][2], "g", NULL);
		cr_expect_eq(r.code, 125, "%s %s %s: exit %d", cases[i][0], cases[i][1], cases[i][2],
			     r.code);
		char want[64];
		snprintf(want, sizeof want, "umucg: %s: ", cases[i][3]);
		cr_expect(strncmp(r.err, want, strlen(want)) == 0, "%s %s %s: %s", cases[i][0],
			  cases[i][1], cases[i][2], r.err);
		th_result_free(&r);
	}
	th_end(&base);
}

struct limit_case {
	const char *option, *value, *controller;
};

static const struct limit_case limit_cases[] = {
	{ "--mem", "1G", "memory" },
	{ "--mem-max", "1G", "memory" },
	{ "--swap-max", "0", "memory" },
	{ "--pids", "100", "pids" },
	{ "--cpu-weight", "50", "cpu" },
	{ "--cpu-max", "50%", "cpu" },
	{ "--io-weight", "50", "io" },
	{ "--mem-low", "1G", "memory" },
	{ "--cpus", "0", "cpuset" },
};

/* true when the base's cgroup.controllers lists controller. */
static bool base_offers(const char *controller)
{
	char *text = th_group_read(&base, "", "cgroup.controllers");
	cr_assert(text, "cannot read %s/cgroup.controllers", base.path);
	bool found = false;
	for (char *save = NULL, *w = strtok_r(text, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
		found |= strcmp(w, controller) == 0;
	free(text);
	return found;
}

Test(run_usage, under_strict_a_limit_without_its_controller_is_125_naming_it)
{
	int checked = 0;
	for (size_t i = 0; i < sizeof limit_cases / sizeof *limit_cases; i++) {
		const struct limit_case *c = &limit_cases[i];
		if (base_offers(c->controller))
			continue; /* the VM tier (pure cgroup2) tests the limits themselves */
		checked++;
		char why[64];
		snprintf(why, sizeof why, "%s %s without %s", c->option, c->value, c->controller);
		expect_refused(why, NULL, (const char *const[]){ "--strict", c->option, c->value, NULL },
			       true, c->controller);
		/* ... with the fix as a hint */
		struct th_result r;
		th_run(&r, NULL, "run", "--base", base.path, "--strict", c->option, c->value, "--",
		       "true", NULL);
		cr_assert(th_contains(r.err, "\nhint: "), "%s: no hint: %s", why, r.err);
		th_result_free(&r);
	}
	if (!checked)
		cr_skip_test("SKIPPED: this host's cgroup2 offers every controller (not hybrid)");
	th_end(&base);
}

/* Without --strict (or with --best-effort, the default spelled out), a limit
 * whose controller is missing is one warning naming every such controller
 * and the fix, and the game runs in its group without those limits. */
static void warns_once_and_runs(const char *mode)
{
	const char *args[40] = { "run", "--base", base.path, "--keep", "--name", "be" };
	size_t n = 6;
	if (mode)
		args[n++] = mode;
	for (size_t i = 0; i < sizeof limit_cases / sizeof *limit_cases; i++) {
		args[n++] = limit_cases[i].option;
		args[n++] = limit_cases[i].value;
	}
	args[n++] = "--";
	args[n++] = "cat";
	args[n++] = "/proc/self/cgroup";
	args[n] = NULL;
	struct th_proc p;
	struct th_result r;
	th_start(&p, NULL, args);
	th_finish(&p, &r);
	cr_assert_eq(r.code, 0, "%s: exit %d, stderr: %s", mode, r.code, r.err);
	char want[4200];
	snprintf(want, sizeof want, "0::%s/be\n", base.path + strlen(base.mount));
	cr_assert(th_contains(r.out, want), "CMD's cgroup: %s", r.out);
	const char *warning = strstr(r.err, "umucg: warning: ");
	cr_assert(warning == r.err, "%s: stderr does not start with the warning: %s", mode, r.err);
	cr_assert(!strstr(warning + 1, "umucg: warning: "), "%s: warned twice: %s", mode, r.err);
	const char *hint = strstr(r.err, "\nhint: ");
	cr_assert(hint && strchr(hint + 1, '\n') == r.err + strlen(r.err) - 1,
		  "%s: want the warning line and one hint line: %s", mode, r.err);
	for (size_t i = 0; i < sizeof limit_cases / sizeof *limit_cases; i++) {
		const char *ctl = limit_cases[i].controller;
		if (!base_offers(ctl))
			cr_assert(strstr(warning, ctl) && strstr(warning, ctl) < hint,
				  "%s: the warning does not name %s: %s", mode, ctl, r.err);
	}
	cr_assert(th_contains(hint, "rc_cgroup_mode"), "%s: no fix in the hint: %s", mode, r.err);
	cr_assert_eq(th_group_populated(&base, "be"), 0);
	char path[4200];
	snprintf(path, sizeof path, "%s/be", base.path);
	cr_assert_eq(rmdir(path), 0);
	th_result_free(&r);
}

Test(run_usage, a_missing_controller_warns_once_and_runs_without_the_limit)
{
	const char *missing = NULL;
	for (size_t i = 0; i < sizeof limit_cases / sizeof *limit_cases && !missing; i++)
		if (!base_offers(limit_cases[i].controller))
			missing = limit_cases[i].controller;
	if (!missing)
		cr_skip_test("SKIPPED: this host's cgroup2 offers every controller (not hybrid)");
	warns_once_and_runs(NULL);
	warns_once_and_runs("--best-effort");
	th_end(&base);
}
