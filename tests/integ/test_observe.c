/* test_observe.c - what umucg says about a group's use of the machine, on
 * this host's cgroup2 mount: run --report (text and JSON, checked against
 * the kept group's cpu.stat), no word when no limit was hit, the usage and
 * pressure figures of status and list --json, and top: batch and JSON
 * output checked against the kernel's files, escaping of what comes from
 * the system, usage errors, and the live screen through a pseudo-terminal
 * this test opens (read back, sorted with 'm', quit with 'q', restored on
 * SIGTERM and SIGINT, given back while stopped by Ctrl-Z). Limits and controllers: the VM tier (tests/vm/cases). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
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

TestSuite(observe, .init = setup, .fini = teardown, .timeout = 60);

#define UMUCG(r, ...) th_run((r), NULL, "--base", base.path, __VA_ARGS__, NULL)

/* A key of a flat-keyed file of base/NAME, or -1. */
static long long file_key(const char *name, const char *file, const char *key)
{
	char *text = th_group_read(&base, name, file);
	long long v = -1;
	size_t klen = strlen(key);
	for (char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, key, klen) == 0 && l[klen] == ' ')
			v = strtoll(l + klen + 1, NULL, 10);
	free(text);
	return v;
}

static bool base_has(const char *file)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", base.path, file);
	return access(path, F_OK) == 0;
}

/* Expects the value at path of json to be null (absent) or not. */
static void expect_null(const char *json, const char *path, bool null)
{
	char filter[256];
	snprintf(filter, sizeof filter, "%s %s null", path, null ? "==" : "!=");
	th_expect_jq(json, filter, "true");
}

static void remove_group(const char *name)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", base.path, name);
	cr_assert_eq(rmdir(path), 0, "rmdir %s: %s", path, strerror(errno));
}

/* A group running CMD under a live `umucg run`, until stop_group. */
static void start_group(struct th_proc *p, const char *name, const char *script)
{
	const char *args[] = { "--base", base.path, "run", "--name", name, "--", "sh", "-c", script,
			       NULL };
	th_start(p, NULL, args);
	cr_assert(th_wait_populated(&base, name, 1, 10), "%s never ran", name);
}

static void stop_group(struct th_proc *p, const char *name)
{
	struct th_result r;
	UMUCG(&r, "stop", name, "--grace", "1");
	cr_expect_eq(r.code, 0, "stop %s: %s", name, r.err);
	th_result_free(&r);
	th_finish(p, &r);
	th_result_free(&r);
}

/* ---- run --report and the limit line -------------------------------------- */

Test(observe, nothing_is_said_when_no_limit_was_hit)
{
	struct th_result r;
	UMUCG(&r, "run", "--", "sh", "-c", "exit 3");
	cr_expect_eq(r.code, 3);
	cr_expect_str_eq(r.err, "", "a run that hit no limit printed: %s", r.err);
	th_result_free(&r);
	th_end(&base);
}

Test(observe, report_as_text)
{
	struct th_result r;
	UMUCG(&r, "run", "--report", "--name", "rep", "--", "sh", "-c",
	      "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exit 7");
	cr_expect_eq(r.code, 7, "CMD's status passes through --report: %d", r.code);
	const char *want[] = { "umucg: report for rep (exit status 7)\n", "  wall time ", "  CPU ",
			       "(user ", "  memory peak ", "  processes peak ", "  IO ", "  OOM kills ",
			       "  forks refused ", "  throttled ", "  pressure " };
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		cr_expect(th_contains(r.err, want[i]), "no '%s' in: %s", want[i], r.err);
	cr_expect_str_eq(r.out, "", "the report went to stdout");
	/* Absent is not zero: on a base without memory the peak is "-". */
	if (!base_has("memory.current") && !base_has("memory.max"))
		cr_expect(th_contains(r.err, "  memory peak    -\n"), "%s", r.err);
	th_result_free(&r);
	th_end(&base);
}

Test(observe, report_as_json_agrees_with_the_kernel)
{
	struct th_result r;
	UMUCG(&r, "--json", "run", "--report", "--keep", "--name", "rj", "--", "sh", "-c",
	      "i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done; sleep 0.2");
	cr_assert_eq(r.code, 0, "%s", r.err);
	/* stderr is one JSON object and nothing else */
	char *all = th_jq(r.err, "type");
	cr_assert(all, "stderr is not JSON: %s", r.err);
	cr_expect_str_eq(all, "object");
	free(all);
	cr_expect_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "more than one line: %s", r.err);
	th_expect_jq(r.err, ".group", "rj");
	th_expect_jq(r.err, ".exit_code", "0");
	th_expect_jq(r.err, ".wall_usec >= 200000", "true");
	/* The group is kept and empty: its cpu.stat holds the same figures. */
	char want[64];
	snprintf(want, sizeof want, "%lld", file_key("rj", "cpu.stat", "usage_usec"));
	th_expect_jq(r.err, ".cpu_usec", want);
	snprintf(want, sizeof want, "%lld", file_key("rj", "cpu.stat", "user_usec"));
	th_expect_jq(r.err, ".cpu_user_usec", want);
	snprintf(want, sizeof want, "%lld", file_key("rj", "cpu.stat", "system_usec"));
	th_expect_jq(r.err, ".cpu_system_usec", want);
	th_expect_jq(r.err, ".cpu_usec > 10000", "true");
	/* What this kernel has not got is null, never 0. */
	char *mp = th_group_read(&base, "rj", "memory.peak");
	if (mp)
		th_expect_jq(r.err, ".memory_peak_bytes", strtok(mp, "\n"));
	else
		expect_null(r.err, ".memory_peak_bytes", true);
	free(mp);
	char *pe = th_group_read(&base, "rj", "pids.events");
	expect_null(r.err, ".pids_max_refusals", !pe);
	free(pe);
	char *cp = th_group_read(&base, "rj", "cpu.pressure");
	expect_null(r.err, ".pressure.cpu", !cp);
	if (cp)
		th_expect_jq(r.err, ".pressure.cpu.some_total_usec >= 0", "true");
	free(cp);
	th_expect_jq(r.err, ".limit_hit.memory == null and .limit_hit.pids == null", "true");
	remove_group("rj");
	th_result_free(&r);
	th_end(&base);
}

/* ---- status and list ------------------------------------------------------ */

Test(observe, status_and_list_show_cpu_io_and_pressure)
{
	struct th_proc p;
	start_group(&p, "st", "while :; do :; done");
	usleep(300000);
	struct th_result r;
	UMUCG(&r, "status", "st");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_expect(th_contains(r.out, "      CPU: ") && th_contains(r.out, "(user "), "%s", r.out);
	cr_expect(th_contains(r.out, "       IO: read "), "%s", r.out);
	cr_expect(th_contains(r.out, " Pressure: "), "%s", r.out);
	cr_expect(th_contains(r.out, "memory.low "), "%s", r.out);
	bool psi = th_group_read(&base, "st", "cpu.pressure") != NULL;
	if (psi)
		cr_expect(th_contains(r.out, " Pressure: cpu some "), "%s", r.out);
	th_result_free(&r);

	UMUCG(&r, "status", "st", "--json");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".pressure | keys | join(\",\")", "cpu,io,memory");
	expect_null(r.out, ".pressure.cpu", !psi);
	if (psi)
		th_expect_jq(r.out, ".pressure.cpu.some_avg10 >= 0 and .pressure.cpu.some_total_usec >= 0",
			     "true");
	th_expect_jq(r.out, ".io | keys | join(\",\")", "read_bytes,write_bytes");
	th_expect_jq(r.out, ".cpu.usage_usec > 0", "true");
	bool cpuset = th_group_read(&base, "st", "cpuset.cpus") != NULL;
	expect_null(r.out, ".cpuset", !cpuset);
	th_result_free(&r);

	UMUCG(&r, "list", "--json");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".groups[0].name", "st");
	expect_null(r.out, ".groups[0].pressure.cpu", !psi);
	th_result_free(&r);
	stop_group(&p, "st");
	th_end(&base);
}

/* ---- top, batch ------------------------------------------------------------ */

Test(observe, top_batch_lists_every_group_with_its_figures)
{
	struct th_proc busy, idle;
	start_group(&busy, "busy", "while :; do :; done");
	start_group(&idle, "idle", "sleep 60");
	struct th_result r;
	UMUCG(&r, "top", "-b", "-n", "2", "-d", "0.5");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_expect_str_eq(r.err, "");
	/* two samples, each a header and a line per group; the busy one first */
	const char *second = strstr(r.out, "\n\numucg top - ");
	cr_assert(second, "no second sample: %s", r.out);
	cr_expect(strstr(r.out, "umucg top - ") == r.out, "%s", r.out);
	const char *b = strstr(second, "\nbusy "), *i = strstr(second, "\nidle ");
	cr_assert(b && i, "a group is missing: %s", second);
	cr_expect_lt(b, i, "not sorted by CPU: %s", second);
	int cpu_line_procs = atoi(b + 21);
	cr_expect_eq(cpu_line_procs, th_group_nprocs(&base, "busy"), "%s", second);
	th_result_free(&r);

	UMUCG(&r, "top", "-n", "2", "-d", "0.5", "--json");
	cr_assert_eq(r.code, 0, "%s", r.err);
	char *nl = strchr(r.out, '\n');
	cr_assert(nl && nl[1] && strchr(nl + 1, '\n') == r.out + strlen(r.out) - 1,
		  "want two lines: %s", r.out);
	*nl = '\0';
	const char *first = r.out, *next = nl + 1;
	th_expect_jq(first, ".iteration", "1");
	th_expect_jq(first, "[.groups[].cpu_percent == null] | all", "true");
	th_expect_jq(next, ".iteration", "2");
	th_expect_jq(next, "[.groups[].name] | join(\",\")", "busy,idle");
	/* one busy shell: at most one CPU's worth, and visibly busy */
	th_expect_jq(next, ".groups[0].cpu_percent > 5 and .groups[0].cpu_percent <= 110", "true");
	th_expect_jq(next, ".interval_seconds >= 0.4", "true");
	/* against the kernel: cgroup.procs, and cpu.stat read after the sample */
	long long usage = file_key("busy", "cpu.stat", "usage_usec");
	char *got = th_jq(next, ".groups[0].cpu_usec");
	cr_assert(got);
	cr_expect(atoll(got) > 0 && atoll(got) <= usage, "cpu_usec %s, cpu.stat %lld", got, usage);
	free(got);
	char want[32];
	snprintf(want, sizeof want, "%d", th_group_nprocs(&base, "idle"));
	th_expect_jq(next, ".groups[1].processes", want);
	th_expect_jq(next, ".groups[1].command", "sh -c sleep 60");
	bool mem = th_group_read(&base, "busy", "memory.current") != NULL;
	expect_null(next, ".groups[0].memory_current", !mem);
	th_result_free(&r);
	stop_group(&busy, "busy");
	stop_group(&idle, "idle");
	th_end(&base);
}

Test(observe, top_escapes_what_comes_from_the_system)
{
	struct th_proc p;
	start_group(&p, "esc", "sleep 60; : \033]0;owned\007\033[2J");
	struct th_result r;
	UMUCG(&r, "top", "-b", "-n", "1");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_expect(!strchr(r.out, '\033') && !strchr(r.out, '\007'), "raw escape in: %s", r.out);
	cr_expect(th_contains(r.out, "\\e]0;owned\\a\\e[2J"), "%s", r.out);
	th_result_free(&r);
	stop_group(&p, "esc");
	th_end(&base);
}

Test(observe, top_usage_errors)
{
	const char *const bad[][3] = {
		{ "-n", "0", NULL }, { "-n", "x", NULL }, { "-n", "-1", NULL }, { "-d", "0", NULL },
		{ "-d", "x", NULL }, { "-d", NULL, NULL }, { "extra", NULL, NULL }, { "-z", NULL, NULL },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *args[8] = { "--base", base.path, "top", "-b" };
		size_t n = 4;
		for (size_t k = 0; k < 3 && bad[i][k]; k++)
			args[n++] = bad[i][k];
		args[n] = NULL;
		struct th_proc p;
		struct th_result r;
		th_start(&p, NULL, args);
		th_finish(&p, &r);
		cr_expect_eq(r.code, 125, "top %s %s: %d", bad[i][0], bad[i][1] ? bad[i][1] : "", r.code);
		cr_expect(strncmp(r.err, "umucg: top: ", 12) == 0, "%s", r.err);
		cr_expect_str_eq(r.out, "");
		th_result_free(&r);
	}
	th_end(&base);
}

/* ---- top on a terminal ------------------------------------------------------ */

struct pty_run {
	pid_t pid;
	int master;
	char screen[1 << 16];
	size_t len;
};

/* umucg --base B top ARGS on a new pseudo-terminal of 30x120 that is its
 * controlling terminal, as from a shell. */
static void pty_start(struct pty_run *t, const char *const *args)
{
	memset(t, 0, sizeof *t);
	t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	cr_assert(t->master >= 0 && grantpt(t->master) == 0 && unlockpt(t->master) == 0);
	const char *slave = ptsname(t->master);
	cr_assert(slave);
	struct winsize ws = { .ws_row = 30, .ws_col = 120 };
	cr_assert_eq(ioctl(t->master, TIOCSWINSZ, &ws), 0);
	const char *bin = getenv("UMUCG_BIN");
	cr_assert(bin);
	const char *argv[16] = { bin, "--base", base.path, "top" };
	size_t n = 4;
	for (; *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	t->pid = fork();
	cr_assert(t->pid >= 0);
	if (t->pid == 0) {
		setsid();
		int fd = open(slave, O_RDWR);
		if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0)
			_exit(250);
		dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		for (int sig = 1; sig < NSIG; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				sigaction(sig, &dfl, NULL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execv(bin, (char *const *)argv);
		_exit(253);
	}
}

/* Reads the terminal until what appears after from (an offset into the
 * screen text), at most timeout seconds; its offset, or -1. */
static long pty_wait_for(struct pty_run *t, size_t from, const char *what, double timeout)
{
	double end = th_now() + timeout;
	for (;;) {
		t->screen[t->len] = '\0';
		const char *at = strstr(t->screen + from, what);
		if (at)
			return at - t->screen;
		double left = end - th_now();
		if (left <= 0 || t->len + 1 >= sizeof t->screen)
			return -1;
		struct pollfd pfd = { t->master, POLLIN, 0 };
		if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		ssize_t n = read(t->master, t->screen + t->len, sizeof t->screen - 1 - t->len);
		if (n <= 0)
			return -1; /* EIO: the other side is closed */
		t->len += (size_t)n;
	}
}

static int pty_finish(struct pty_run *t, double timeout)
{
	pty_wait_for(t, t->len, "\001never\001", 0.3); /* drain what is left */
	int status = 0;
	double end = th_now() + timeout;
	pid_t w;
	while ((w = waitpid(t->pid, &status, WNOHANG)) == 0 && th_now() < end)
		usleep(20000);
	if (w == 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, &status, 0);
		cr_assert_fail("top did not end within %.0f s", timeout);
	}
	return status;
}

static void expect_terminal_restored(struct pty_run *t)
{
	struct termios tio;
	cr_assert_eq(tcgetattr(t->master, &tio), 0);
	cr_expect(tio.c_lflag & ICANON, "the terminal was left in non-canonical mode");
	cr_expect(tio.c_lflag & ECHO, "the terminal was left without echo");
	t->screen[t->len] = '\0';
	const char *leave = strstr(t->screen, "\033[?1049l");
	cr_expect(leave, "the alternate screen was not left");
	cr_expect(strstr(t->screen, "\033[?25h"), "the cursor was not shown again");
	close(t->master);
}

Test(observe, top_live_on_a_terminal)
{
	struct th_proc busy;
	start_group(&busy, "spin", "while :; do :; done");
	struct pty_run t;
	pty_start(&t, (const char *const[]){ "-d", "0.3", NULL });
	long at = pty_wait_for(&t, 0, "\033[?1049h", 10);
	cr_assert_geq(at, 0, "no alternate screen: %s", t.screen);
	cr_assert_geq(pty_wait_for(&t, 0, "spin ", 10), 0, "the group is not shown: %s", t.screen);
	cr_expect_geq(pty_wait_for(&t, 0, "by CPU", 1), 0);
	/* it updates: a later frame shows the busy group's CPU % */
	long frame2 = pty_wait_for(&t, (size_t)at + 10, "\033[H", 5);
	cr_assert_geq(frame2, 0);
	long frame3 = pty_wait_for(&t, (size_t)frame2 + 3, "\033[H", 5);
	cr_expect_geq(frame3, 0, "only one frame: %s", t.screen);
	/* redrawn in place: no full clear per frame, lines cleared to their end */
	cr_expect(!strstr(t.screen, "\033[2J"), "a full clear per frame");
	cr_expect(strstr(t.screen, "\033[K"), "lines are not cleared to their end");
	size_t before = t.len;
	cr_assert_eq(write(t.master, "m", 1), 1);
	cr_expect_geq(pty_wait_for(&t, before, "by memory", 5), 0, "'m' did not sort by memory");
	before = t.len;
	cr_assert_eq(write(t.master, "i", 1), 1);
	cr_expect_geq(pty_wait_for(&t, before, "by IO", 5), 0, "'i' did not sort by IO");
	cr_assert_eq(write(t.master, "q", 1), 1);
	int st = pty_finish(&t, 10);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "q: status %#x", st);
	expect_terminal_restored(&t);
	stop_group(&busy, "spin");
	th_end(&base);
}

Test(observe, top_restores_the_terminal_on_sigterm_and_sigint)
{
	const int sigs[] = { SIGTERM, SIGINT };
	for (size_t i = 0; i < 2; i++) {
		struct pty_run t;
		pty_start(&t, (const char *const[]){ "-d", "0.2", NULL });
		cr_assert_geq(pty_wait_for(&t, 0, "umucg top - ", 10), 0, "%s", t.screen);
		kill(t.pid, sigs[i]);
		int st = pty_finish(&t, 10);
		cr_expect(WIFSIGNALED(st) && WTERMSIG(st) == sigs[i], "signal %d: status %#x", sigs[i], st);
		expect_terminal_restored(&t);
	}
	th_end(&base);
}

Test(observe, top_gives_the_terminal_back_while_stopped)
{
	struct pty_run t;
	pty_start(&t, (const char *const[]){ "-d", "0.2", NULL });
	cr_assert_geq(pty_wait_for(&t, 0, "umucg top - ", 10), 0, "%s", t.screen);
	/* Ctrl-Z from the terminal: SIGTSTP to the foreground process group */
	size_t before = t.len;
	cr_assert_eq(write(t.master, "\032", 1), 1);
	int st = 0;
	double end = th_now() + 10;
	pid_t w;
	while ((w = waitpid(t.pid, &st, WNOHANG | WUNTRACED)) == 0 && th_now() < end)
		usleep(20000);
	cr_assert_eq(w, t.pid, "top did not stop");
	cr_assert(WIFSTOPPED(st), "status %#x", st);
	cr_expect_geq(pty_wait_for(&t, before, "\033[?1049l", 5), 0, "the screen was not left");
	struct termios tio;
	cr_assert_eq(tcgetattr(t.master, &tio), 0);
	cr_expect(tio.c_lflag & ICANON && tio.c_lflag & ECHO, "the terminal is raw while stopped");
	/* fg: the screen is taken again and drawn */
	before = t.len;
	kill(t.pid, SIGCONT);
	cr_expect_geq(pty_wait_for(&t, before, "\033[?1049h", 5), 0, "the screen was not taken again");
	cr_expect_geq(pty_wait_for(&t, before, "umucg top - ", 5), 0, "not drawn again");
	cr_assert_eq(write(t.master, "q", 1), 1);
	st = pty_finish(&t, 10);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "q: status %#x", st);
	expect_terminal_restored(&t);
	th_end(&base);
}
