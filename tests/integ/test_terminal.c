/* test_terminal.c - umucg as a user at a terminal runs it: an interactive
 * bash with job control on a pseudo-terminal the test opened itself, the
 * keys typed into it. Ctrl-C and Ctrl-\ reach every process of the tree
 * exactly once (CMD from the terminal, the setsid'd daemon from umucg);
 * Ctrl-Z stops the job with the whole group frozen, fg thaws it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "recorder.h"

static struct th_base base;
static struct th_rec rec;

struct shell {
	int master;
	pid_t pid;
	char out[65536]; /* everything the terminal showed */
	size_t len;
};
static struct shell sh = { .master = -1 };

static void setup(void)
{
	th_base_make(&base);
	th_rec_make(&rec);
}

static void teardown(void)
{
	if (sh.pid > 0) {
		kill(sh.pid, SIGKILL);
		waitpid(sh.pid, NULL, 0);
		sh.pid = 0;
	}
	if (sh.master >= 0)
		close(sh.master);
	sh.master = -1;
	th_base_discard(&base);
	th_rec_discard(&rec);
}

TestSuite(terminal, .init = setup, .fini = teardown, .timeout = 60);

/* Reads what the terminal shows until needle appears after from. */
static bool expect(const char *needle, size_t from, double timeout)
{
	double end = th_now() + timeout;
	for (;;) {
		sh.out[sh.len] = '\0';
		if (strstr(sh.out + from, needle))
			return true;
		double left = end - th_now();
		if (left <= 0 || sh.len + 1 >= sizeof sh.out)
			return false;
		struct pollfd pfd = { .fd = sh.master, .events = POLLIN };
		if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		ssize_t n = read(sh.master, sh.out + sh.len, sizeof sh.out - 1 - sh.len);
		if (n <= 0)
			return false;
		sh.len += (size_t)n;
	}
}

static size_t type(const char *keys)
{
	size_t mark = sh.len;
	cr_assert_eq(write(sh.master, keys, strlen(keys)), (ssize_t)strlen(keys));
	return mark;
}

/* bash -i on a new pseudo-terminal: its session, its controlling terminal,
 * job control on; the prompt is "umucg-test$ ". */
static void shell_start(void)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 200 };
	sh.len = 0;
	sh.pid = forkpty(&sh.master, NULL, NULL, &ws);
	cr_assert_geq(sh.pid, 0, "forkpty: %m");
	if (sh.pid == 0) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		for (int sig = 1; sig < NSIG; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				sigaction(sig, &dfl, NULL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setenv("PS1", "umucg-test$ ", 1);
		setenv("TERM", "dumb", 1);
		execl("/bin/bash", "bash", "--norc", "--noprofile", "-i", (char *)NULL);
		_exit(127);
	}
	cr_assert(expect("umucg-test$ ", 0, 10), "no prompt: %s", sh.out);
}

/* Types the run command line; returns once both recorders are ready. */
static void shell_run(const char *name)
{
	char line[3 * PATH_MAX + 128];
	snprintf(line, sizeof line,
		 "\"$UMUCG_BIN\" run --base %s --name %s -- %s %s\n",
		 base.path, name, th_rec_bin(), rec.dir);
	type(line);
	cr_assert(th_rec_wait_ready(&rec, 10), "the recorders did not start: %s", sh.out);
}

/* The status of the last job, as the shell saw it. */
static int shell_status(void)
{
	size_t mark = type("echo \"rc=$?.\"\n");
	cr_assert(expect(".\r\n", mark, 10) || expect(".\n", mark, 1), "no status: %s", sh.out);
	const char *p = strstr(sh.out + mark, "rc=");
	while (p && !(p[3] >= '0' && p[3] <= '9'))
		p = strstr(p + 3, "rc=");
	cr_assert(p, "no status: %s", sh.out + mark);
	return atoi(p + 3);
}

static void shell_end(void)
{
	type("exit\n");
	int status;
	cr_expect_eq(waitpid(sh.pid, &status, 0), sh.pid);
	sh.pid = 0;
	close(sh.master);
	sh.master = -1;
}

/* Three times in one shell: a CMD that has not yet taken the terminal's
 * signal when a second copy comes merges the two (a pending signal is one
 * bit), so one round alone could miss a doubled Ctrl-C. */
static void interrupt_reaches_each_process_once(const char *key, int sig)
{
	shell_start();
	for (int round = 0; round < 3; round++) {
		char name[16];
		snprintf(name, sizeof name, "tty%d", round);
		th_rec_discard(&rec);
		th_rec_make(&rec);
		shell_run(name);
		size_t mark = type(key);
		cr_assert(expect("umucg-test$ ", mark, 15), "the job did not end: %s", sh.out + mark);
		cr_expect_eq(shell_status(), 128 + sig, "%s", sh.out);
		cr_expect_eq(th_rec_count(&rec, "main", sig), 1, "round %d: CMD got signal %d %d times: %s",
			     round, sig, th_rec_count(&rec, "main", sig), th_rec_text(&rec, "main"));
		cr_expect_eq(th_rec_count(&rec, "daemon", sig), 1,
			     "round %d: the daemon got signal %d %d times", round, sig,
			     th_rec_count(&rec, "daemon", sig));
	}
	shell_end();
	th_end(&base);
}

Test(terminal, ctrl_c_reaches_each_process_exactly_once)
{
	interrupt_reaches_each_process_once("\x03", SIGINT);
}

Test(terminal, ctrl_backslash_reaches_each_process_exactly_once)
{
	interrupt_reaches_each_process_once("\x1c", SIGQUIT);
}

static bool group_frozen(const char *name, int want, double timeout)
{
	double end = th_now() + timeout;
	char key[16];
	snprintf(key, sizeof key, "frozen %d", want);
	do {
		char *ev = th_group_read(&base, name, "cgroup.events");
		bool hit = th_contains(ev, key);
		free(ev);
		if (hit)
			return true;
		usleep(5000);
	} while (th_now() < end);
	return false;
}

/* Ctrl-Z: the shell reports the job stopped, the whole group (the daemon
 * too) is frozen; fg: thawed, and the job goes on; it still ends cleanly. */
Test(terminal, ctrl_z_stops_the_job_with_the_group_frozen_and_fg_thaws_it)
{
	shell_start();
	shell_run("job");
	size_t mark = type("\x1a");
	cr_assert(expect("Stopped", mark, 10), "the shell saw no stopped job: %s", sh.out + mark);
	cr_assert(expect("umucg-test$ ", mark, 5), "no prompt: %s", sh.out + mark);
	cr_expect(group_frozen("job", 1, 5), "the group is not frozen");
	cr_expect(th_alive(rec.daemon), "the daemon died");
	cr_expect_eq(th_rec_total(&rec, "daemon"), 0, "the daemon got a signal");

	mark = type("fg\n");
	cr_expect(group_frozen("job", 0, 5), "fg did not thaw the group: %s", sh.out + mark);
	usleep(200 * 1000);
	cr_expect(th_alive(rec.main) && th_alive(rec.daemon), "the tree did not survive fg");
	/* The terminal gave CMD its SIGTSTP (handled once thawed) and fg its
	 * SIGCONT; the daemon, out of the terminal's reach, got nothing: it was
	 * frozen instead. umucg sent neither again. */
	cr_expect_eq(th_rec_count(&rec, "main", SIGTSTP), 1, "CMD: %d TSTP",
		     th_rec_count(&rec, "main", SIGTSTP));
	cr_expect_eq(th_rec_count(&rec, "main", SIGCONT), 1, "CMD: %d CONT",
		     th_rec_count(&rec, "main", SIGCONT));
	cr_expect_eq(th_rec_total(&rec, "daemon"), 0, "the daemon got a signal");
	/* Let it end on its own, in the foreground again. */
	th_rec_exit(&rec, "daemon", 0);
	th_rec_exit(&rec, "main", 5);
	cr_assert(expect("umucg-test$ ", mark, 10), "the job did not end: %s", sh.out + mark);
	cr_expect_eq(shell_status(), 5, "%s", sh.out);
	cr_expect_eq(th_rec_total(&rec, "daemon"), 0, "the daemon got a signal");
	shell_end();
	th_end(&base);
}
