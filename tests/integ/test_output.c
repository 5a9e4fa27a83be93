/* test_output.c - what list and status print for people when the text is
 * anyone's (issue 16): escape sequences in a group record, in a process's
 * argv and in a cgroup's name reach the terminal escaped; list shows every
 * populated directory under the base by kind; status of a chain of 5,000
 * processes is linear in size, fast, and needs little stack. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"

static struct th_base base;
static pid_t started[8];
static size_t nstarted;

static void setup(void)
{
	th_base_make(&base);
}

static void teardown(void)
{
	for (size_t i = 0; i < nstarted; i++) {
		kill(started[i], SIGKILL);
		waitpid(started[i], NULL, 0);
	}
	th_base_discard(&base);
}

TestSuite(output, .init = setup, .fini = teardown, .timeout = 120);

#define UMUCG(r, ...) th_run(r, NULL, "--base", base.path, __VA_ARGS__, NULL)

/* What an attacker writes: retitle the terminal (OSC), clear it, overwrite
 * a line (CR), fake table rows (newline), a C1 CSI (U+009B) and a raw 0x9b
 * byte, DEL, a bidi override (U+202E), a tab and invalid UTF-8. */
static const char evil[] = "A\033]0;pwned\007B\033[2J\033[HC\rD\nfake-row running 1\n"
			   "E\xc2\x9b" "31mF\x9bG\x7fH\xe2\x80\xaeI\tJ\xff";

/* Length of the valid UTF-8 sequence at p (1..4; 0: invalid) and its code
 * point, decoded here rather than by the code under test. */
static size_t utf8_at(const unsigned char *p, unsigned *cp)
{
	size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
		   : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
	*cp = len == 1 ? p[0] : len == 2 ? p[0] & 0x1fu : len == 3 ? p[0] & 0x0fu : p[0] & 0x07u;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3fu);
	}
	if ((len == 3 && (*cp < 0x800 || (*cp >= 0xd800 && *cp <= 0xdfff))) ||
	    (len == 4 && (*cp < 0x10000 || *cp > 0x10ffff)))
		return 0;
	return len;
}

/* Nothing a terminal acts on: no C0 byte but the newline, no DEL, no C1
 * control, no bidi override, and valid UTF-8 throughout. */
static void assert_inert(const char *what, const char *out)
{
	const unsigned char *p = (const unsigned char *)out;
	for (size_t i = 0; p && p[i];) {
		unsigned cp;
		size_t len = utf8_at(p + i, &cp);
		cr_assert(len > 0, "%s: invalid UTF-8 (byte 0x%02x) at %zu", what, p[i], i);
		cr_assert(cp >= 0x20 || cp == '\n', "%s: control byte 0x%02x at %zu", what, cp, i);
		cr_assert(cp != 0x7f && !(cp >= 0x80 && cp <= 0x9f) && cp != 0x202e,
			  "%s: U+%04X at %zu", what, cp, i);
		i += len;
	}
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

static pid_t child_pausing(void)
{
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	if (nstarted < sizeof started / sizeof *started)
		started[nstarted++] = pid;
	return pid;
}

static void put_into(const char *dir, pid_t pid)
{
	char path[PATH_MAX * 2], buf[16];
	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	snprintf(buf, sizeof buf, "%d", (int)pid);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	cr_assert(fd >= 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, buf, strlen(buf)), (ssize_t)strlen(buf), "%s: %s", path, strerror(errno));
	close(fd);
}

static void end_children(void)
{
	for (size_t i = 0; i < nstarted; i++) {
		kill(started[i], SIGKILL);
		while (waitpid(started[i], NULL, 0) < 0 && errno == EINTR)
			;
	}
	nstarted = 0;
}

/* ---- 2. escaping -------------------------------------------------------- */

Test(output, list_and_status_escape_records_argv_and_names)
{
	struct th_result r;
	/* a record's command from argv, and one written straight into the
	 * xattr, as the delegated user can */
	UMUCG(&r, "run", "--keep", "--name", "rec", "--", "sh", "-c", "exit 0", evil);
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	UMUCG(&r, "create", "xattr");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	char path[PATH_MAX * 2];
	snprintf(path, sizeof path, "%s/xattr", base.path);
	cr_assert_eq(setxattr(path, "user.umucg.command", evil, strlen(evil), 0), 0, "%s", strerror(errno));
	/* a live process whose argv holds it */
	struct th_proc live;
	const char *args[] = { "--base", base.path, "run", "--name", "live", "--", "sh", "-c",
			       "sleep 100; :", evil, NULL };
	th_start(&live, NULL, args);
	cr_assert_gt(th_wait_comm(&base, "live", "sleep", 10), 0);
	/* a cgroup named with escapes, with a process in it */
	char odd[PATH_MAX * 2];
	snprintf(odd, sizeof odd, "%s/odd\033]0;x\007\r\033[2J\xc2\x9b\t", base.path);
	cr_assert_eq(mkdir(odd, 0755), 0, "%s", strerror(errno));
	put_into(odd, child_pausing());

	UMUCG(&r, "list");
	cr_expect_eq(r.code, 0, "%s", r.err);
	assert_inert("list", r.out);
	cr_expect_eq(count_lines(r.out), 5, "list: a header and 4 rows, got:\n%s", r.out);
	cr_expect(th_contains(r.out, "A\\e]0;pwned\\aB\\e[2J\\e[HC\\rD\\nfake-row running 1\\nE\\u009b31mF"
				     "\\x9bG\\x7fH\\u202eI\\tJ\\xff"), "list: %s", r.out);
	cr_expect(th_contains(r.out, "odd\\e]0;x\\a\\r\\e[2J\\u009b\\t"), "list: %s", r.out);
	th_result_free(&r);
	const char *names[] = { "rec", "xattr", "live" };
	for (size_t i = 0; i < 3; i++) {
		UMUCG(&r, "status", names[i]);
		cr_expect_eq(r.code, 0, "%s", r.err);
		assert_inert("status", r.out);
		cr_expect(th_contains(r.out, "\\e]0;pwned\\aB"), "status %s: %s", names[i], r.out);
		cr_expect(!th_contains(r.out, "\nfake-row"), "status %s: %s", names[i], r.out);
		th_result_free(&r);
	}
	/* --json is unchanged: escaped by JSON's rules, decoded by jq */
	UMUCG(&r, "status", "live", "--json");
	th_expect_jq(r.out, ".processes[0].cmdline | contains(\"\\u001b]0;pwned\") | tostring", "true");
	th_result_free(&r);
	/* errors that echo a name or a path */
	UMUCG(&r, "status", "bad\033]0;x\007\r");
	cr_expect_eq(r.code, 125);
	assert_inert("status's error", r.err);
	cr_expect(th_contains(r.err, "bad\\e]0;x\\a\\r"), "%s", r.err);
	th_result_free(&r);
	th_run(&r, NULL, "--base", "/nonexistent\033[2J\n", "list", NULL);
	cr_expect_eq(r.code, 125);
	assert_inert("--base's error", r.err);
	th_result_free(&r);
	/* doctor names the base */
	th_run(&r, NULL, "--base", odd, "doctor", NULL);
	assert_inert("doctor", r.out);
	cr_expect(th_contains(r.out, "odd\\e]0;x\\a"), "doctor: %s", r.out);
	th_result_free(&r);

	kill(live.pid, SIGTERM);
	th_finish(&live, &r);
	th_result_free(&r);
	end_children();
	cr_expect_eq(rmdir(odd), 0, "%s", strerror(errno));
	UMUCG(&r, "gc", "--min-age", "0");
	th_result_free(&r);
	th_end(&base);
}

/* ---- 6. list shows everything that runs under the base ----------------- */

Test(output, list_shows_every_populated_directory_by_kind)
{
	struct th_result r;
	UMUCG(&r, "create", "game");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	char dir[PATH_MAX * 2];
	const char *made[] = { "session-3", "session-4", "other", "other/deep", "odd name", "empty",
			       "game/sub" };
	for (size_t i = 0; i < sizeof made / sizeof *made; i++) {
		snprintf(dir, sizeof dir, "%s/%s", base.path, made[i]);
		cr_assert_eq(mkdir(dir, 0755), 0, "%s: %s", dir, strerror(errno));
	}
	/* processes: a session leaf, deep in a foreign dir, an odd name, and a
	 * group's child directory; session-4, other's own level and empty have
	 * none */
	const char *with[] = { "session-3", "other/deep", "odd name", "game/sub" };
	for (size_t i = 0; i < sizeof with / sizeof *with; i++) {
		snprintf(dir, sizeof dir, "%s/%s", base.path, with[i]);
		put_into(dir, child_pausing());
	}
	UMUCG(&r, "list", "--json");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".groups | map(.name + \"=\" + .kind) | join(\",\")",
		     "game=group,game/sub=nested,odd name=foreign,other=foreign,other/deep=nested,"
		     "session-3=session");
	th_expect_jq(r.out, ".groups | map(.addressable | tostring) | join(\",\")",
		     "true,false,false,true,false,true");
	th_expect_jq(r.out, ".groups | map(.processes | tostring) | join(\",\")", "0,1,1,0,1,1");
	th_result_free(&r);
	UMUCG(&r, "list");
	cr_expect_eq(r.code, 0, "%s", r.err);
	cr_expect_eq(count_lines(r.out), 7, "%s", r.out);
	cr_expect(th_contains(r.out, "KIND") && th_contains(r.out, "session-3") &&
		  th_contains(r.out, "game/sub") && th_contains(r.out, "nested"), "%s", r.out);
	th_result_free(&r);
	end_children();
	for (size_t i = sizeof made / sizeof *made; i-- > 0;) {
		snprintf(dir, sizeof dir, "%s/%s", base.path, made[i]);
		for (int k = 0; k < 100 && rmdir(dir) < 0 && errno == EBUSY; k++)
			usleep(10000);
	}
	UMUCG(&r, "stop", "game");
	th_result_free(&r);
	th_end(&base);
}

/* ---- 5. status of a deep chain ------------------------------------------ */

#define CHAIN 5000

/* A chain of n processes, each the child of the one before (the helper
 * tests/integ/chain), in dir; the first is returned once the last exists. */
static pid_t chain_start(const char *dir, int n)
{
	const char *top = getenv("UMUCG_TOP_BUILDDIR");
	cr_assert(top, "UMUCG_TOP_BUILDDIR is not set: run the tests through 'make check'");
	char helper[PATH_MAX], count[16], fd[16];
	snprintf(helper, sizeof helper, "%s/tests/integ/chain", top);
	int p[2];
	cr_assert(pipe(p) == 0);
	snprintf(count, sizeof count, "%d", n);
	snprintf(fd, sizeof fd, "%d", p[1]);
	pid_t first = fork();
	cr_assert(first >= 0);
	if (first == 0) {
		close(p[0]);
		put_into(dir, getpid());
		execl(helper, "chain", count, fd, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (nstarted < sizeof started / sizeof *started)
		started[nstarted++] = first;
	char ok = 0;
	ssize_t got = read(p[0], &ok, 1);
	close(p[0]);
	cr_assert(got == 1 && ok == '!', "the chain was not built");
	return first;
}

Test(output, status_of_a_5000_deep_chain_is_linear_fast_and_shallow)
{
	struct th_result r;
	UMUCG(&r, "create", "chain");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	char dir[PATH_MAX * 2];
	snprintf(dir, sizeof dir, "%s/chain", base.path);
	chain_start(dir, CHAIN);
	cr_assert_eq(th_group_nprocs(&base, "chain"), CHAIN);
	/* 256 KiB of stack: the old recursion needed a frame per level */
	const struct th_run_opts o = { .timeout = 30, .stack_kb = 256 };
	th_run(&r, &o, "--base", base.path, "status", "chain", NULL);
	cr_expect_eq(r.code, 0, "status: %d: %.300s", r.code, r.err);
	cr_expect_lt(r.seconds, 2.0, "status took %.2fs", r.seconds);
	size_t bytes = r.out ? strlen(r.out) : 0;
	cr_expect_lt(bytes, (size_t)CHAIN * 160, "status printed %zu bytes for %d processes", bytes, CHAIN);
	int lines = count_lines(r.out);
	cr_expect(lines > CHAIN && lines < CHAIN + 20, "%d lines for %d processes", lines, CHAIN);
	char deepest[32];
	snprintf(deepest, sizeof deepest, "[%d] ", CHAIN - 1);
	cr_expect(th_contains(r.out, deepest), "the deepest process does not show its depth");
	th_result_free(&r);
	th_run(&r, &o, "--base", base.path, "status", "chain", "--json", NULL);
	cr_expect_eq(r.code, 0, "status --json: %d", r.code);
	th_expect_jq(r.out, ".processes | map(.depth) | max | tostring", "4999");
	th_result_free(&r);
	UMUCG(&r, "stop", "chain", "--grace", "0");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	end_children();
	th_end(&base);
}
