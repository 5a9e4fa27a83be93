/* test_run_names.c - umucg run's group names: defaults (UMU_ID, SteamAppId,
 * SteamGameId, basename), suffixes when taken (also 20 runs at once), an
 * explicit --name that is taken, reclaiming a dead group, --keep. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

TestSuite(run_names, .init = setup, .fini = teardown, .timeout = 60);

/* The group name CMD's /proc/self/cgroup shows under the base, or "". */
static const char *group_of(const char *cgroup_text, char *buf, size_t cap)
{
	char prefix[4200];
	snprintf(prefix, sizeof prefix, "0::%s/", base.path + strlen(base.mount));
	const char *p = strstr(cgroup_text, prefix);
	buf[0] = '\0';
	if (p) {
		p += strlen(prefix);
		snprintf(buf, cap, "%.*s", (int)strcspn(p, "/\n"), p);
	}
	return buf;
}

static void base_mkdir(const char *name)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", base.path, name);
	cr_assert_eq(mkdir(path, 0755), 0, "mkdir %s: %s", path, strerror(errno));
}

static void base_rmdir(const char *name)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", base.path, name);
	cr_assert_eq(rmdir(path), 0, "rmdir %s: %s", path, strerror(errno));
}

struct name_case {
	const char *env[4];
	const char *cmd;
	const char *want;
};

Test(run_names, default_names_from_the_environment_and_the_command)
{
	const struct name_case cases[] = {
		{ { "UMU_ID=umu-1829980x", NULL }, "cat", "umu-1829980x" }, /* not umu-umu- */
		{ { "UMU_ID=42", "SteamAppId=1829980", NULL }, "cat", "umu-42" },
		{ { "SteamAppId=1829980", "SteamGameId=77", NULL }, "cat", "steam-1829980" },
		{ { "SteamAppId=0", "SteamGameId=77", NULL }, "cat", "steam-77" },
		{ { "SteamGameId=77", NULL }, "cat", "steam-77" },
		{ { "SteamAppId=0", "SteamGameId=0", NULL }, "cat", "cat" },
		{ { "UMU_ID=", NULL }, "cat", "cat" },
		{ { "UMU_ID=a b/../c\xc3\xa9", NULL }, "cat", "umu-a_b_.._c__" },
		{ { NULL }, "/bin/cat", "cat" },
		{ { NULL }, "cat", "cat" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct name_case *c = &cases[i];
		struct th_run_opts o = { .env_set = c->env };
		struct th_result r;
		th_run(&r, &o, "run", "--base", base.path, "--", c->cmd, "/proc/self/cgroup", NULL);
		char got[128];
		cr_assert_eq(r.code, 0, "case %zu: exit %d, stderr: %s", i, r.code, r.err);
		cr_assert_str_eq(group_of(r.out, got, sizeof got), c->want, "case %zu (%s %s): group '%s'",
				 i, c->env[0] ? c->env[0] : "", c->cmd, got);
		int groups;
		th_base_groups(&base, &groups);
		cr_assert_eq(groups, 0, "case %zu: group left", i);
		th_result_free(&r);
	}
	th_end(&base);
}

Test(run_names, a_taken_default_name_gets_a_suffix)
{
	base_mkdir("cat");
	base_mkdir("cat-2");
	struct th_result r;
	th_run(&r, NULL, "run", "--base", base.path, "--", "cat", "/proc/self/cgroup", NULL);
	char got[128];
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert_str_eq(group_of(r.out, got, sizeof got), "cat-3");
	/* the taken groups are not touched; ours is removed */
	cr_assert(th_group_exists(&base, "cat") && th_group_exists(&base, "cat-2"));
	cr_assert(!th_group_exists(&base, "cat-3"));
	th_result_free(&r);

	/* a 64-byte default name is cut to make room for the suffix */
	char long_id[61], env[96], want[80];
	memset(long_id, 'x', 60);
	long_id[60] = '\0';
	snprintf(env, sizeof env, "UMU_ID=%s", long_id);
	snprintf(want, sizeof want, "umu-%s", long_id); /* 64 bytes */
	base_mkdir(want);
	const char *set[] = { env, NULL };
	struct th_run_opts o = { .env_set = set };
	th_run(&r, &o, "run", "--base", base.path, "--", "cat", "/proc/self/cgroup", NULL);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	group_of(r.out, got, sizeof got);
	cr_assert_eq(strlen(got), 64, "suffixed name '%s' is not 64 bytes", got);
	cr_assert_str_eq(got + 62, "-2", "'%s' has no -2 suffix", got);
	th_result_free(&r);

	base_rmdir(want);
	base_rmdir("cat");
	base_rmdir("cat-2");
	th_end(&base);
}

Test(run_names, twenty_concurrent_runs_with_the_same_default_name)
{
	enum { N = 20 };
	struct th_proc p[N];
	/* every run holds its group until all 20 exist: a name freed by a
	 * finished run may be taken again, two live groups may not share one */
	char go[64], script[256];
	snprintf(go, sizeof go, "/tmp/umucg-test-go-%d", (int)getpid());
	unlink(go);
	snprintf(script, sizeof script,
		 "cat /proc/self/cgroup; while [ ! -e %s ]; do sleep 0.02; done", go);
	const char *args[] = { "run", "--base", base.path, "--", "sh", "-c", script, NULL };
	for (int i = 0; i < N; i++)
		th_start(&p[i], NULL, args);
	int groups = 0;
	for (int i = 0; i < 1000 && groups < N; i++) {
		th_base_groups(&base, &groups);
		usleep(10000);
	}
	const char *names = th_base_groups(&base, &groups);
	cr_expect_eq(groups, N, "%d groups at once: %s", groups, names);
	FILE *f = fopen(go, "we");
	cr_assert(f);
	fclose(f);
	bool seen[N + 1] = { false };
	for (int i = 0; i < N; i++) {
		struct th_result r;
		th_finish(&p[i], &r);
		cr_assert_eq(r.code, 0, "run %d: exit %d, stderr: %s", i, r.code, r.err);
		char got[128];
		group_of(r.out, got, sizeof got);
		int n = strcmp(got, "sh") == 0 ? 1 : strncmp(got, "sh-", 3) == 0 ? atoi(got + 3) : 0;
		cr_assert(n >= 1 && n <= N, "run %d: unexpected group '%s'", i, got);
		cr_assert(!seen[n], "two runs shared the group '%s'", got);
		seen[n] = true;
		th_result_free(&r);
	}
	unlink(go);
	th_end(&base);
}

Test(run_names, an_explicit_name_taken_by_a_live_group_is_an_error)
{
	const char *args[] = { "run", "--base", base.path, "--name", "taken", "--", "sleep", "30", NULL };
	struct th_proc first;
	th_start(&first, NULL, args);
	cr_assert(th_wait_comm(&base, "taken", "sleep", 10) > 0);

	char flag[] = "/tmp/umucg-test-ran-XXXXXX", cmd[128];
	int fd = mkstemp(flag);
	cr_assert(fd >= 0);
	close(fd);
	unlink(flag);
	snprintf(cmd, sizeof cmd, "touch %s", flag);
	struct th_result r;
	th_run(&r, NULL, "run", "--base", base.path, "--name", "taken", "--", "sh", "-c", cmd, NULL);
	cr_assert_eq(r.code, 125, "exit %d, stderr: %s", r.code, r.err);
	cr_assert(strncmp(r.err, "umucg: ", 7) == 0 && th_contains(r.err, "taken"),
		  "stderr: %s", r.err);
	cr_assert_neq(access(flag, F_OK), 0, "CMD ran although the name was taken");
	const char *groups = th_base_groups(&base, NULL);
	cr_assert_str_eq(groups, "taken", "groups: '%s'", groups);
	cr_assert_eq(th_group_nprocs(&base, "taken"), 1, "the live group was disturbed");
	th_result_free(&r);

	cr_assert_eq(kill(first.pid, SIGTERM), 0);
	th_finish(&first, &r);
	cr_assert_eq(r.code, 128 + SIGTERM);
	th_result_free(&r);
	th_end(&base);
}

Test(run_names, keep_leaves_the_empty_group_and_a_dead_one_is_reclaimed)
{
	struct th_result r;
	th_run(&r, NULL, "run", "--base", base.path, "--keep", "--name", "kept", "--", "true", NULL);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert_str_empty(r.err);
	cr_assert(th_group_exists(&base, "kept"), "--keep removed the group");
	cr_assert_eq(th_group_populated(&base, "kept"), 0);
	cr_assert_eq(th_group_nprocs(&base, "kept"), 0);
	th_result_free(&r);

	/* its manager is gone and it is empty: an explicit --name takes it */
	th_run(&r, NULL, "run", "--base", base.path, "--name", "kept", "--", "cat", "/proc/self/cgroup",
	       NULL);
	char got[128];
	cr_assert_eq(r.code, 0, "reclaiming a dead group: exit %d, stderr: %s", r.code, r.err);
	cr_assert_str_eq(group_of(r.out, got, sizeof got), "kept");
	cr_assert(!th_group_exists(&base, "kept"));
	th_result_free(&r);
	th_end(&base);
}

Test(run_names, a_group_umucg_did_not_make_is_never_reclaimed)
{
	base_mkdir("foreign");
	struct th_result r;
	th_run(&r, NULL, "run", "--base", base.path, "--name", "foreign", "--", "true", NULL);
	cr_assert_eq(r.code, 125, "exit %d, stderr: %s", r.code, r.err);
	cr_assert(strncmp(r.err, "umucg: ", 7) == 0, "stderr: %s", r.err);
	cr_assert(th_group_exists(&base, "foreign"));
	th_result_free(&r);
	base_rmdir("foreign");
	th_end(&base);
}

Test(run_names, a_sigkilled_manager_leaves_its_group_which_stays_taken_while_populated)
{
	const char *args[] = { "run", "--base", base.path, "--name", "orphaned", "--", "sleep", "30",
			       NULL };
	struct th_proc p;
	th_start(&p, NULL, args);
	pid_t sleeper = th_wait_comm(&base, "orphaned", "sleep", 10);
	cr_assert(sleeper > 0);
	cr_assert_eq(kill(p.pid, SIGKILL), 0);
	struct th_result r;
	th_finish(&p, &r);
	cr_assert_eq(r.code, 128 + SIGKILL);
	th_result_free(&r);
	/* DESIGN: if umucg itself is SIGKILLed, the group stays */
	cr_assert(th_group_exists(&base, "orphaned"));
	cr_assert_eq(th_group_populated(&base, "orphaned"), 1);

	/* the manager is dead but the group is not empty: not reclaimable */
	th_run(&r, NULL, "run", "--base", base.path, "--name", "orphaned", "--", "true", NULL);
	cr_assert_eq(r.code, 125, "took a populated group: exit %d, stderr: %s", r.code, r.err);
	cr_assert_eq(th_group_nprocs(&base, "orphaned"), 1);
	th_result_free(&r);

	/* clean up what the dead manager left */
	char *procs = th_group_read(&base, "orphaned", "cgroup.procs");
	cr_assert(procs && atoi(procs) == sleeper);
	free(procs);
	char path[4200];
	snprintf(path, sizeof path, "%s/orphaned/cgroup.kill", base.path);
	FILE *f = fopen(path, "we");
	cr_assert(f);
	fputs("1", f);
	fclose(f);
	cr_assert(th_wait_populated(&base, "orphaned", 0, 10));
	for (int i = 0; i < 100; i++) {
		snprintf(path, sizeof path, "%s/orphaned", base.path);
		if (rmdir(path) == 0 || errno != EBUSY)
			break;
		usleep(10000);
	}
	cr_assert(!th_group_exists(&base, "orphaned"));
	th_end(&base);
}
