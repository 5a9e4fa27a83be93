/* test_run.c - umucg run on the real cgroup2 mount: CMD runs inside
 * base/NAME from its first instruction, on both spawn paths; exit statuses;
 * stdin, stdout, stderr, environment, cwd and fds pass through. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

TestSuite(run, .init = setup, .fini = teardown, .timeout = 60);

/* The spawn paths forced through UMUCG_SPAWN; "auto" picks clone3 here. */
static const char *const spawn_methods[] = { "auto", "clone3", "fork" };
#define N_METHODS (sizeof spawn_methods / sizeof *spawn_methods)

static const char *spawn_env(size_t i, char *buf, size_t cap)
{
	snprintf(buf, cap, "UMUCG_SPAWN=%s", spawn_methods[i]);
	return buf;
}

/* "0::/<base relative to the mount>/NAME\n", what /proc/PID/cgroup of a
 * process in base/NAME says. */
static void expected_cgroup(const char *name, char *buf, size_t cap)
{
	snprintf(buf, cap, "0::%s/%s\n", base.path + strlen(base.mount), name);
}

Test(run, first_instruction_runs_in_the_group_on_every_spawn_path)
{
	for (size_t i = 0; i < N_METHODS; i++) {
		char env[64], want[4096];
		const char *set[] = { spawn_env(i, env, sizeof env), NULL };
		struct th_run_opts o = { .env_set = set };
		struct th_result r;
		/* cat is exec'd directly: its very first action reads its cgroup */
		th_run(&r, &o, "run", "--base", base.path, "--name", "first", "--",
		       "cat", "/proc/self/cgroup", NULL);
		expected_cgroup("first", want, sizeof want);
		cr_assert_eq(r.code, 0, "%s: exit %d, stderr: %s", spawn_methods[i], r.code, r.err);
		/* a pure-v2 host has one line; a hybrid host lists v1 first */
		cr_assert(th_contains(r.out, want), "%s: CMD's cgroup: got '%s', want '%s'",
			  spawn_methods[i], r.out, want);
		cr_assert_str_empty(r.err, "%s: umucg printed on success: %s", spawn_methods[i], r.err);
		cr_assert(!th_contains(r.out, "0::/\n"), "%s: CMD saw the root cgroup", spawn_methods[i]);
		cr_assert(!th_group_exists(&base, "first"), "%s: the group was not removed",
			  spawn_methods[i]);
		th_result_free(&r);
	}
	th_end(&base);
}

Test(run, cmd_is_in_base_name_while_it_runs)
{
	for (size_t i = 0; i < N_METHODS; i++) {
		char env[64];
		const char *set[] = { spawn_env(i, env, sizeof env), NULL };
		struct th_run_opts o = { .env_set = set };
		const char *args[] = { "run", "--base", base.path, "--name", "live", "--",
				       "sleep", "30", NULL };
		struct th_proc p;
		th_start(&p, &o, args);
		pid_t pid = th_wait_comm(&base, "live", "sleep", 10);
		cr_assert(pid > 0, "%s: no sleep process appeared in base/live", spawn_methods[i]);
		cr_assert_eq(th_group_populated(&base, "live"), 1);
		cr_assert_eq(th_group_nprocs(&base, "live"), 1,
			     "%s: base/live should hold CMD only, not umucg", spawn_methods[i]);

		char path[64], want[4096];
		snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
		FILE *f = fopen(path, "re");
		cr_assert(f);
		char line[4096], *found = NULL;
		expected_cgroup("live", want, sizeof want);
		while (fgets(line, sizeof line, f))
			if (strcmp(line, want) == 0)
				found = line;
		fclose(f);
		cr_assert(found, "%s: /proc/%d/cgroup does not say %s", spawn_methods[i], (int)pid, want);

		/* umucg itself stays where it was */
		snprintf(path, sizeof path, "/proc/%d/cgroup", (int)p.pid);
		f = fopen(path, "re");
		cr_assert(f);
		while (fgets(line, sizeof line, f))
			cr_assert(!th_contains(line, "/live"), "umucg moved itself into the group: %s", line);
		fclose(f);

		cr_assert_eq(kill(p.pid, SIGTERM), 0);
		struct th_result r;
		th_finish(&p, &r);
		cr_assert_eq(r.code, 128 + SIGTERM, "%s: SIGTERM forwarded to sleep: got %d, stderr: %s",
			     spawn_methods[i], r.code, r.err);
		cr_assert(!th_group_exists(&base, "live"));
		th_result_free(&r);
	}
	th_end(&base);
}

struct status_case {
	const char *what;
	const char *argv[6];
	int code;
};

Test(run, every_exit_status_of_the_contract)
{
	char noexec[] = "/tmp/umucg-test-noexec-XXXXXX";
	int fd = mkstemp(noexec);
	cr_assert(fd >= 0);
	cr_assert(write(fd, "#!/bin/sh\nexit 0\n", 17) == 17);
	close(fd);
	chmod(noexec, 0644);

	const struct status_case cases[] = {
		{ "success", { "true" }, 0 },
		{ "failure", { "false" }, 1 },
		{ "exit 3", { "sh", "-c", "exit 3" }, 3 },
		{ "exit 255", { "sh", "-c", "exit 255" }, 255 },
		{ "own 124 is not a timeout", { "sh", "-c", "exit 124" }, 124 },
		{ "SIGUSR1", { "sh", "-c", "kill -USR1 $$" }, 128 + SIGUSR1 },
		{ "SIGKILL", { "sh", "-c", "kill -KILL $$" }, 128 + SIGKILL },
		{ "SIGSEGV", { "sh", "-c", "kill -SEGV $$" }, 128 + SIGSEGV },
		{ "not executable", { noexec }, 126 },
		{ "a directory", { "/tmp" }, 126 },
		{ "not found", { "umucg-test-no-such-command" }, 127 },
		{ "not found by path", { "/nonexistent/cmd" }, 127 },
	};
	for (size_t m = 0; m < N_METHODS; m++) {
		for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
			const struct status_case *c = &cases[i];
			char env[64];
			const char *set[] = { spawn_env(m, env, sizeof env), NULL };
			struct th_run_opts o = { .env_set = set };
			const char *args[16] = { "run", "--base", base.path, "--" };
			size_t n = 4;
			for (size_t a = 0; a < 6 && c->argv[a]; a++)
				args[n++] = c->argv[a];
			args[n] = NULL;
			struct th_proc p;
			struct th_result r;
			th_start(&p, &o, args);
			th_finish(&p, &r);
			cr_assert_eq(r.code, c->code, "%s (%s): exit %d, want %d; stderr: %s", c->what,
				     spawn_methods[m], r.code, c->code, r.err);
			if (c->code == 126 || c->code == 127) {
				cr_assert(strncmp(r.err, "umucg: ", 7) == 0 &&
					  th_contains(r.err, c->argv[0]),
					  "%s: stderr should be 'umucg: %s: why', got '%s'", c->what,
					  c->argv[0], r.err);
			} else {
				cr_assert_str_empty(r.err, "%s: unexpected stderr: %s", c->what, r.err);
			}
			int groups;
			const char *left = th_base_groups(&base, &groups);
			cr_assert_eq(groups, 0, "%s (%s): groups left: %s", c->what, spawn_methods[m], left);
			th_result_free(&r);
		}
	}
	unlink(noexec);
	th_end(&base);
}

Test(run, stdin_stdout_stderr_pass_through)
{
	struct th_run_opts o = { .stdin_text = "hello\nworld\0binary\n" };
	struct th_result r;
	th_run(&r, &o, "run", "--base", base.path, "--", "cat", NULL);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "hello\nworld");
	cr_assert_str_empty(r.err);
	th_result_free(&r);

	th_run(&r, NULL, "run", "--base", base.path, "--", "sh", "-c",
	       "echo to-out; echo to-err >&2; exit 7", NULL);
	cr_assert_eq(r.code, 7);
	cr_assert_str_eq(r.out, "to-out\n");
	cr_assert_str_eq(r.err, "to-err\n", "stderr should be CMD's alone: '%s'", r.err);
	th_result_free(&r);

	/* a binary stream of every byte value, through a pipeline in the group */
	char text[256];
	for (int i = 0; i < 255; i++)
		text[i] = (char)(i + 1);
	text[255] = '\0';
	o.stdin_text = text;
	th_run(&r, &o, "run", "--base", base.path, "--", "sh", "-c", "cat | cat", NULL);
	cr_assert_eq(r.code, 0);
	cr_assert_str_eq(r.out, text);
	th_result_free(&r);
	th_end(&base);
}

/* Lines of an `env` output, each as "KEY=VALUE". */
static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

Test(run, environment_passes_through_unchanged)
{
	extern char **environ;
	const char *set[] = { "UMUCG_TEST_VAR=a b=c", "UMUCG_TEST_EMPTY=", NULL };
	struct th_run_opts o = { .env_set = set };
	struct th_result r;
	th_run(&r, &o, "run", "--base", base.path, "--", "env", NULL);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert(strncmp(r.out, "UMUCG_TEST_VAR=a b=c\n", 21) == 0 ||
		  th_contains(r.out, "\nUMUCG_TEST_VAR=a b=c\n"), "env: %s", r.out);
	cr_assert(strncmp(r.out, "UMUCG_TEST_EMPTY=\n", 18) == 0 ||
		  th_contains(r.out, "\nUMUCG_TEST_EMPTY=\n"), "env: %s", r.out);
	/* nothing added, nothing removed: as many entries as the helper passed */
	int expected = 2;
	static const char *const stripped[] = { "UMUCG_BASE=", "UMUCG_SPAWN=", "UMUCG_KILL=",
						"UMU_ID=", "SteamAppId=", "SteamGameId=",
						"UMUCG_TEST_VAR=", "UMUCG_TEST_EMPTY=",
						/* set by libtool's wrapper scripts of the
						 * uninstalled umucg, not by umucg */
						"LD_LIBRARY_PATH=" };
	for (char **e = environ; *e; e++) {
		bool skip = false;
		for (size_t i = 0; i < sizeof stripped / sizeof *stripped; i++)
			skip |= strncmp(*e, stripped[i], strlen(stripped[i])) == 0;
		if (strchr(*e, '\n'))
			skip = true; /* would count as two lines; not expected in a test env */
		if (!skip) {
			expected++;
			char line[8192];
			snprintf(line, sizeof line, "%s\n", *e);
			cr_assert(th_contains(r.out, line), "CMD lost or changed '%s'", *e);
		}
	}
	int got = count_lines(r.out) - (strncmp(r.out, "LD_LIBRARY_PATH=", 16) == 0 ||
					th_contains(r.out, "\nLD_LIBRARY_PATH="));
	cr_assert_eq(got, expected, "CMD's environment has %d entries, want %d:\n%s", got,
		     expected, r.out);
	th_result_free(&r);
	th_end(&base);
}

Test(run, cwd_passes_through)
{
	char dir[] = "/tmp/umucg-test-cwd XXXXXX";
	cr_assert(mkdtemp(dir));
	struct th_run_opts o = { .cwd = dir };
	struct th_result r;
	th_run(&r, &o, "run", "--base", base.path, "--", "sh", "-c", "pwd -P", NULL);
	char want[PATH_MAX];
	snprintf(want, sizeof want, "%s\n", dir);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, want);
	th_result_free(&r);
	/* a relative CMD is found from that cwd */
	char script[PATH_MAX];
	snprintf(script, sizeof script, "%s/hello.sh", dir);
	FILE *f = fopen(script, "we");
	cr_assert(f);
	fputs("#!/bin/sh\necho relative\n", f);
	fclose(f);
	chmod(script, 0755);
	th_run(&r, &o, "run", "--base", base.path, "--", "./hello.sh", NULL);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "relative\n");
	th_result_free(&r);
	unlink(script);
	rmdir(dir);
	th_end(&base);
}

/* The fds of a live process, as "N" numbers separated by spaces. */
static void list_fds(pid_t pid, char *buf, size_t cap, char *targets, size_t tcap)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	buf[0] = targets[0] = '\0';
	int nums[256], n = 0;
	DIR *d = opendir(path);
	cr_assert(d, "%s: %s", path, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d)) && n < 256)
		if (e->d_name[0] != '.')
			nums[n++] = atoi(e->d_name);
	closedir(d);
	/* sorted, so that the message and the comparison are stable */
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (nums[j] < nums[i]) {
				int t = nums[i];
				nums[i] = nums[j];
				nums[j] = t;
			}
	for (int i = 0; i < n; i++) {
		char link[128], target[PATH_MAX] = "?";
		snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)pid, nums[i]);
		ssize_t len = readlink(link, target, sizeof target - 1);
		if (len >= 0)
			target[len] = '\0';
		size_t used = strlen(buf);
		snprintf(buf + used, cap - used, "%s%d", i ? " " : "", nums[i]);
		used = strlen(targets);
		/* a listing for the failure message: long targets are cut */
		snprintf(targets + used, tcap - used, " %d->%.200s", nums[i], target);
	}
}

Test(run, no_fd_of_umucg_leaks_into_cmd)
{
	/* a high fd stands for what a launcher passes down: it must arrive;
	 * umucg's own (group, base, signalfd, epoll, pipes) must not */
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	cr_assert(null >= 0);
	int passed = fcntl(null, F_DUPFD_CLOEXEC, 40);
	cr_assert(passed >= 40);
	close(null);
	char want_fds[32], want_target[64];
	snprintf(want_fds, sizeof want_fds, "0 1 2 %d", passed);
	snprintf(want_target, sizeof want_target, " %d->/dev/null", passed);
	for (size_t m = 0; m < N_METHODS; m++) {
		char env[64];
		const char *set[] = { spawn_env(m, env, sizeof env), NULL };
		struct th_run_opts o = { .env_set = set, .pass_fd = passed };
		const char *args[] = { "run", "--base", base.path, "--kill-on-exit", "--grace", "5",
				       "--", "sleep", "30", NULL };
		struct th_proc p;
		th_start(&p, &o, args);
		pid_t pid = th_wait_comm(&base, "sleep", "sleep", 10);
		cr_assert(pid > 0, "%s: no sleep in base/sleep", spawn_methods[m]);
		char fds[256], targets[4096];
		/* sleep's dynamic loader holds libc open for a moment after the
		 * exec: look again until that has passed (bounded). */
		for (int tries = 0; tries < 100; tries++) {
			list_fds(pid, fds, sizeof fds, targets, sizeof targets);
			if (strcmp(fds, want_fds) == 0)
				break;
			usleep(10000);
		}
		cr_assert_str_eq(fds, want_fds, "%s: CMD's fds:%s", spawn_methods[m], targets);
		cr_assert(th_contains(targets, want_target), "%s: the passed fd:%s", spawn_methods[m],
			  targets);
		cr_assert_eq(kill(p.pid, SIGTERM), 0);
		struct th_result r;
		th_finish(&p, &r);
		cr_assert_eq(r.code, 128 + SIGTERM, "stderr: %s", r.err);
		th_result_free(&r);
	}
	close(passed);
	th_end(&base);
}

Test(run, fds_of_a_short_cmd_listed_from_inside)
{
	/* CMD lists its own fds: 0, 1, 2 and the directory ls itself opened */
	struct th_result r;
	th_run(&r, NULL, "run", "--base", base.path, "--", "ls", "-l", "/proc/self/fd/", NULL);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	int others = 0;
	for (char *line = r.out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char *arrow = strstr(line, " -> ");
		if (!arrow || arrow > strchr(line, '\n'))
			continue;
		/* the fd number is the last word before the arrow */
		char *num = arrow;
		while (num > line && num[-1] != ' ')
			num--;
		int fd = atoi(num);
		if (fd > 2 && strncmp(arrow + 4, "/proc/", 6) != 0)
			others++;
	}
	cr_assert_eq(others, 0, "CMD got fds it did not open:\n%s", r.out);
	th_result_free(&r);
	th_end(&base);
}

/* Runs `sh -c SCRIPT` with stdout captured into *out (malloc'd) and stderr
 * into *err; returns the wait status. */
static int sh_capture(const char *script, char **out, char **err)
{
	char errpath[] = "/tmp/umucg-test-err-XXXXXX";
	int efd = mkstemp(errpath);
	cr_assert(efd >= 0, "mkstemp: %s", strerror(errno));
	close(efd);
	char *cmd;
	cr_assert(asprintf(&cmd, "{ %s ; } 2>'%s'", script, errpath) > 0);
	FILE *p = popen(cmd, "r");
	cr_assert(p, "popen: %s", strerror(errno));
	size_t cap = 0;
	*out = NULL;
	ssize_t n = getdelim(out, &cap, '\0', p);
	if (n < 0) {
		free(*out);
		*out = strdup("");
	}
	int st = pclose(p);
	free(cmd);
	FILE *e = fopen(errpath, "re");
	cap = 0;
	*err = NULL;
	if (!e || getdelim(err, &cap, '\0', e) < 0) {
		free(*err);
		*err = strdup("");
	}
	if (e)
		fclose(e);
	unlink(errpath);
	return st;
}

static int count_newlines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The tree, in $TREE for the shells below: main exits 7 early, an orphan
 * prints after it; a subreaper still waits for the orphan. */
#define TREE_CMD "sh -c \"$TREE\""
static void tree_env(void)
{
	setenv("TREE", "(sleep 0.3; echo orphan-done) & echo main; exit 7", 1);
}

Test(run, without_a_cgroup2_mount_it_is_a_plain_subreaper_with_one_warning)
{
	/* cgroup2 unmounted in a private mount namespace: nothing outside it
	 * changes. */
	setenv("CG2", th_cgroup2_mount(), 1);
	tree_env();
	char *out, *err;
	int st = sh_capture("unshare --mount --propagation private sh -c "
			    "'umount -l \"$CG2\" && exec \"$UMUCG_BIN\" run -- " TREE_CMD "'",
			    &out, &err);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 7, "status %#x, stderr: %s", st, err);
	cr_expect_str_eq(out, "main\norphan-done\n", "the orphan was not waited for");
	cr_expect_eq(count_newlines(err), 1, "want one warning line, got: %s", err);
	cr_expect(strncmp(err, "umucg: warning: no usable cgroup2", 33) == 0, "%s", err);
	cr_expect(th_contains(err, "running CMD without a group"), "%s", err);
	free(out);
	free(err);
	/* A limit needs a group: the game still starts, with one warning that
	 * says the limit is not applied (DESIGN: a Steam line must start the
	 * game on any host)... */
	st = sh_capture("unshare --mount --propagation private sh -c "
			"'umount -l \"$CG2\" && exec \"$UMUCG_BIN\" run --mem 1G -- echo ran'",
			&out, &err);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x, stderr: %s", st, err);
	cr_expect_str_eq(out, "ran\n", "CMD did not run");
	cr_expect_eq(count_newlines(err), 1, "want one warning line, got: %s", err);
	cr_expect(th_contains(err, "without a group and without its limits"), "%s", err);
	free(out);
	free(err);
	/* ... and with --strict it is an error, and CMD never runs. */
	st = sh_capture("unshare --mount --propagation private sh -c "
			"'umount -l \"$CG2\" && exec \"$UMUCG_BIN\" run --strict --mem 1G -- echo ran'",
			&out, &err);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 125, "status %#x, stderr: %s", st, err);
	cr_expect_str_eq(out, "", "CMD ran without its limit");
	cr_expect(strncmp(err, "umucg: ", 7) == 0 && th_contains(err, "cgroup2"), "%s", err);
	free(out);
	free(err);
	th_end(&base);
}

Test(run, unprivileged_without_delegation_it_is_a_plain_subreaper_with_one_warning)
{
	/* nobody has no delegated subtree here: no group, one warning, the
	 * tree still supervised. */
	tree_env();
	char *out, *err;
	int st = sh_capture("cd / && setpriv --reuid=65534 --regid=65534 --clear-groups "
			    "\"$UMUCG_BIN\" run -- " TREE_CMD, &out, &err);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 7, "status %#x, stderr: %s", st, err);
	cr_expect_str_eq(out, "main\norphan-done\n", "the orphan was not waited for");
	cr_expect_eq(count_newlines(err), 1, "want one warning line, got: %s", err);
	cr_expect(th_contains(err, "umucg: warning: ") && th_contains(err, "running CMD without a group"),
		  "%s", err);
	free(out);
	free(err);
	th_end(&base);
}
