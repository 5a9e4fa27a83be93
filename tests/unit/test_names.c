/* test_names.c - group names: validation, and the default name of a run
 * from UMU_ID, SteamAppId, SteamGameId or the command's basename. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "umucg.h"

Test(names, valid_names)
{
	char longest[UMUCG_NAME_MAX + 1];
	memset(longest, 'x', UMUCG_NAME_MAX);
	longest[UMUCG_NAME_MAX] = '\0';
	const char *const ok[] = {
		"a", "Z", "0", "steam-1829980", "umu-default", "game.exe", "a_b", "user@host",
		"a:b", "...", ".hidden", "a..b", "..a", longest, "trailing-", "a-",
		/* like an interface file's prefix, but not one */
		"cgroup", "memory", "memory_high", "cpus", "cpu-max", "iox.y", "Memory.high",
		"my.memory.high", "x-cgroup.procs", "misc", "rdma",
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		struct umucg_error err = { 0 };
		cr_expect_eq(umucg_name_validate(ok[i], &err), 0, "'%s': %s", ok[i], err.msg);
	}
}

Test(names, invalid_names)
{
	char too_long[UMUCG_NAME_MAX + 2];
	memset(too_long, 'x', UMUCG_NAME_MAX + 1);
	too_long[UMUCG_NAME_MAX + 1] = '\0';
	const char *const bad[] = {
		"", ".", "..", "/", "a/b", "../x", "x/..", "/abs", "a b", "a\tb", "a\nb", "a\\b",
		"$x", "a*", "a?", "~", "caf\xc3\xa9", "\xff", "\x01", "a\x7f", "name;rm", "a'b",
		"\"q\"", "a%b", too_long,
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct umucg_error err = { 0 };
		cr_expect_eq(umucg_name_validate(bad[i], &err), -EINVAL, "'%s' accepted", bad[i]);
		cr_expect_eq(err.code, -EINVAL);
		cr_expect(err.msg[0], "'%s': no message", bad[i]);
	}
	struct umucg_error err = { 0 };
	umucg_name_validate("a b", &err);
	cr_expect(strstr(err.msg, "a b") && err.hint[0], "msg '%s' hint '%s'", err.msg, err.hint);
}

/* Every command would read "-x" as an option; "cgroup.procs" and
 * "memory.high" are (or may become) interface files beside the groups. */
Test(names, reserved_names)
{
	const char *const bad[] = {
		"-", "-x", "--", "--help", "-1",
		"cgroup.procs", "cgroup.", "cgroup.anything", "memory.high", "memory.x",
		"pids.max", "cpu.weight", "cpu.", "cpuset.cpus", "io.weight", "hugetlb.2MB.max",
		"rdma.max", "misc.max",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct umucg_error err = { 0 };
		cr_expect_eq(umucg_name_validate(bad[i], &err), -EINVAL, "'%s' accepted", bad[i]);
		cr_expect(err.msg[0] && err.hint[0], "'%s': msg '%s' hint '%s'", bad[i], err.msg, err.hint);
	}
	struct umucg_error err = { 0 };
	umucg_name_validate("cgroup.procs", &err);
	cr_expect(strstr(err.msg, "interface file"), "%s", err.msg);
	umucg_name_validate("-x", &err);
	cr_expect(strstr(err.msg, "'-'"), "%s", err.msg);
}


/* A fake environment for umucg_name_default. */
static const char *const *fake_env;

static const char *fake_getenv(const char *key)
{
	size_t len = strlen(key);
	for (const char *const *e = fake_env; e && *e; e++)
		if (strncmp(*e, key, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

struct default_case {
	const char *env[4];
	const char *argv0;
	const char *want;
};

Test(names, default_name)
{
	const struct default_case cases[] = {
		{ { "UMU_ID=1234", NULL }, "/usr/bin/game", "umu-1234" },
		/* umu's ids carry the prefix already: not doubled */
		{ { "UMU_ID=umu-default", "SteamAppId=10", NULL }, "game", "umu-default" },
		{ { "UMU_ID=umu-1091500", NULL }, "game", "umu-1091500" },
		{ { "SteamAppId=1829980", NULL }, "game", "steam-1829980" },
		{ { "SteamAppId=1829980", "SteamGameId=5", NULL }, "game", "steam-1829980" },
		{ { "SteamGameId=5", NULL }, "game", "steam-5" },
		/* Steam sets 0 for non-Steam games: not an id */
		{ { "SteamAppId=0", "SteamGameId=5", NULL }, "game", "steam-5" },
		{ { "SteamAppId=0", "SteamGameId=0", NULL }, "/opt/game/run.sh", "run.sh" },
		{ { "SteamAppId=", NULL }, "game", "game" },
		{ { "UMU_ID=", "SteamAppId=7", NULL }, "game", "steam-7" },
		{ { NULL }, "/usr/bin/game", "game" },
		{ { NULL }, "game", "game" },
		{ { NULL }, "./game", "game" },
		{ { NULL }, "my game (x64).exe", "my_game__x64_.exe" },
		{ { NULL }, "/bin/caf\xc3\xa9", "caf__" },
		{ { "UMU_ID=a/../b c", NULL }, "game", "umu-a_.._b_c" },
		{ { "SteamAppId=../..", NULL }, "game", "steam-.._.." },
		/* nothing usable left: a fixed valid name */
		{ { NULL }, "", "cmd" },
		{ { NULL }, "/usr/bin/", "cmd" },
		{ { NULL }, "..", "cmd" },
		{ { NULL }, ".", "cmd" },
		{ { NULL }, "/a/..", "cmd" },
		{ { NULL }, NULL, "cmd" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		fake_env = cases[i].env;
		char out[UMUCG_NAME_MAX + 1];
		memset(out, '#', sizeof out);
		umucg_name_default(cases[i].argv0, fake_getenv, out);
		cr_expect_str_eq(out, cases[i].want, "case %zu (%s, argv0 '%s')", i,
				 cases[i].env[0] ? cases[i].env[0] : "no env",
				 cases[i].argv0 ? cases[i].argv0 : "(null)");
	}	/* Without a getenv_fn the library looks at no environment at all. */
	setenv("UMU_ID", "1234", 1);
	setenv("SteamAppId", "10", 1);
	char out[UMUCG_NAME_MAX + 1];
	umucg_name_default("/usr/bin/game", NULL, out);
	cr_expect_str_eq(out, "game", "the library read the environment");
	unsetenv("UMU_ID");
	unsetenv("SteamAppId");
}


Test(names, a_long_default_name_is_cut_to_the_limit)
{
	char id[200], argv0[300], env[220];
	memset(id, '7', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	snprintf(env, sizeof env, "SteamAppId=%s", id);
	const char *const e[] = { env, NULL };
	fake_env = e;
	char out[UMUCG_NAME_MAX + 1];
	umucg_name_default("game", fake_getenv, out);
	cr_expect_eq(strlen(out), UMUCG_NAME_MAX);
	cr_expect(strncmp(out, "steam-777", 9) == 0, "%s", out);
	fake_env = NULL;
	snprintf(argv0, sizeof argv0, "/usr/bin/%s", id);
	umucg_name_default(argv0, fake_getenv, out);
	cr_expect_eq(strlen(out), UMUCG_NAME_MAX);
}

Test(names, every_default_name_is_a_valid_name)
{
	/* random bytes in every source: the result must always validate */
	unsigned seed = 12345;
	for (int round = 0; round < 5000; round++) {
		char v[3][80];
		for (int k = 0; k < 3; k++) {
			size_t len = (size_t)(rand_r(&seed) % 79);
			for (size_t j = 0; j < len; j++)
				v[k][j] = (char)(1 + rand_r(&seed) % 255);
			v[k][len] = '\0';
		}
		char env[2][100];
		const char *keys[] = { "UMU_ID", "SteamAppId", "SteamGameId" };
		int which = rand_r(&seed) % 4;
		const char *e[3] = { NULL, NULL, NULL };
		if (which < 3) {
			snprintf(env[0], sizeof env[0], "%s=%s", keys[which], v[0]);
			e[0] = env[0];
		}
		fake_env = e;
		char out[UMUCG_NAME_MAX + 1];
		umucg_name_default(v[1], fake_getenv, out);
		struct umucg_error err = { 0 };
		cr_assert_eq(umucg_name_validate(out, &err), 0, "round %d: '%s' is invalid: %s", round, out,
			     err.msg);
	}
}

/* The default name is made valid, never rejected: a command called -x or
 * cgroup.procs still runs. */
Test(names, default_name_is_never_reserved)
{
	const struct default_case cases[] = {
		{ { NULL }, "-x", "_x" },
		{ { NULL }, "/bin/--help", "_-help" },
		{ { NULL }, "./cgroup.procs", "cgroup_procs" },
		{ { NULL }, "memory.high", "memory_high" },
		{ { NULL }, "cpu.weight", "cpu_weight" },
		{ { NULL }, "cpuset.cpus", "cpuset_cpus" },
		{ { NULL }, "io.x", "io_x" },
		{ { NULL }, "pids.max", "pids_max" },
		{ { NULL }, "hugetlb.1GB.max", "hugetlb_1GB.max" },
		{ { NULL }, "rdma.max", "rdma_max" },
		{ { NULL }, "misc.max", "misc_max" },
		{ { NULL }, "\xff.procs", "_.procs" },
		{ { "UMU_ID=-1", NULL }, "game", "umu--1" },
		{ { "SteamAppId=-5", NULL }, "game", "steam--5" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		fake_env = cases[i].env;
		char out[UMUCG_NAME_MAX + 1];
		umucg_name_default(cases[i].argv0, fake_getenv, out);
		cr_expect_str_eq(out, cases[i].want, "argv0 '%s'", cases[i].argv0);
		struct umucg_error err = { 0 };
		cr_expect_eq(umucg_name_validate(out, &err), 0, "'%s': %s", out, err.msg);
	}
}
