/* test_signals.c - every catchable signal sent to umucg with kill(2), as a
 * launcher would: umucg survives it, the right processes of the tree get it
 * exactly once, and nothing is left (DESIGN.md, "run semantics"). The tree
 * is tests/integ/sigrecorder: CMD and a setsid'd daemon that record every
 * signal they get. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "helpers.h"
#include "recorder.h"

static struct th_base base;
static struct th_rec rec;

static void setup(void)
{
	th_base_make(&base);
	th_rec_make(&rec);
}

static void teardown(void)
{
	th_base_discard(&base);
	th_rec_discard(&rec);
}

TestSuite(signals, .init = setup, .fini = teardown, .timeout = 60);

/* umucg run --grace 0.3 -- sigrecorder DIR, with both recorders ready. */
static void start(struct th_proc *p, const char *name)
{
	const char *args[] = { "run", "--base", base.path, "--name", name, "--grace", "0.3",
			       "--", th_rec_bin(), rec.dir, NULL };
	th_start(p, NULL, args);
	cr_assert(th_rec_wait_ready(&rec, 10), "the recorders did not start");
}

static void finish(struct th_proc *p, int want_code, const char *what)
{
	struct th_result r;
	th_finish(p, &r);
	cr_expect_eq(r.code, want_code, "%s: umucg exit %d, stderr: %s", what, r.code, r.err);
	cr_expect_str_empty(r.err, "%s: umucg said: %s", what, r.err);
	th_result_free(&r);
	th_end(&base);
}

/* Neither died of it, and no countdown ran: both recorders still live well
 * after the 0.3 s grace a stop signal would have started. */
static void expect_alive_after_grace(const struct th_proc *p, const char *what)
{
	usleep(500 * 1000);
	cr_expect(th_alive(p->pid), "%s: umucg died", what);
	cr_expect(th_alive(rec.main), "%s: CMD died (a countdown ended it?)", what);
	cr_expect(th_alive(rec.daemon), "%s: the daemon died (a countdown ended it?)", what);
}

/* The signals forwarded to CMD while it lives, to the whole tree after:
 * every catchable one from 1 to 31 that is not a stop, job-control or
 * SIGCHLD signal, and real-time ones. */
static int forwarded[] = {
	SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE,
	SIGALRM, SIGSTKFLT, SIGURG, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH,
	SIGIO, SIGPWR, SIGSYS, 0, 0, 0,
};

static void rt_signals(void)
{
	size_t n = sizeof forwarded / sizeof *forwarded;
	forwarded[n - 3] = SIGRTMIN;
	forwarded[n - 2] = SIGRTMIN + 3;
	forwarded[n - 1] = SIGRTMAX;
}

ParameterizedTestParameters(signals, forwarded_to_cmd_then_to_the_tree)
{
	rt_signals();
	return cr_make_param_array(int, forwarded, sizeof forwarded / sizeof *forwarded);
}

ParameterizedTest(int *sig, signals, forwarded_to_cmd_then_to_the_tree)
{
	char name[32], what[32];
	snprintf(name, sizeof name, "sig%d", *sig);
	snprintf(what, sizeof what, "signal %d (%s)", *sig, strsignal(*sig));
	struct th_proc p;
	start(&p, name);
	/* While CMD lives: CMD gets it, once; the daemon does not. */
	cr_assert_eq(kill(p.pid, *sig), 0);
	cr_expect(th_rec_wait_count(&rec, "main", *sig, 1, 5), "%s: CMD did not get it", what);
	expect_alive_after_grace(&p, what);
	cr_expect_eq(th_rec_count(&rec, "main", *sig), 1, "%s: CMD got it more than once", what);
	cr_expect_eq(th_rec_count(&rec, "daemon", *sig), 0, "%s: the daemon got it while CMD lived",
		     what);
	/* CMD gone, the daemon lingering (wineserver): the whole group gets it. */
	th_rec_exit(&rec, "main", 0);
	cr_assert(th_wait_gone(rec.main, 5), "%s: CMD did not exit", what);
	cr_assert(th_wait_populated(&base, name, 1, 1));
	cr_assert_eq(kill(p.pid, *sig), 0);
	cr_expect(th_rec_wait_count(&rec, "daemon", *sig, 1, 5), "%s: the daemon did not get it",
		  what);
	usleep(100 * 1000);
	cr_expect(th_alive(p.pid) && th_alive(rec.daemon), "%s: umucg or the daemon died", what);
	cr_expect_eq(th_rec_count(&rec, "daemon", *sig), 1, "%s: the daemon got it twice", what);
	cr_expect_eq(th_rec_total(&rec, "main"), 1, "%s: CMD got more signals", what);
	th_rec_exit(&rec, "daemon", 0);
	finish(&p, 0, what);
}

static int stops[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };

ParameterizedTestParameters(signals, stop_signals_end_the_tree)
{
	return cr_make_param_array(int, stops, sizeof stops / sizeof *stops);
}

/* From kill(2) (not the terminal): every process gets it once and, since
 * the recorders die of it, the tree ends well before the grace period. */
ParameterizedTest(int *sig, signals, stop_signals_end_the_tree)
{
	char name[32], what[32];
	snprintf(name, sizeof name, "stop%d", *sig);
	snprintf(what, sizeof what, "signal %d (%s)", *sig, strsignal(*sig));
	struct th_proc p;
	const char *args[] = { "run", "--base", base.path, "--name", name, "--grace", "20",
			       "--", th_rec_bin(), rec.dir, NULL };
	th_start(&p, NULL, args);
	cr_assert(th_rec_wait_ready(&rec, 10), "the recorders did not start");
	double t0 = th_now();
	cr_assert_eq(kill(p.pid, *sig), 0);
	struct th_result r;
	th_finish(&p, &r);
	cr_expect_eq(r.code, 128 + *sig, "%s: exit %d, stderr: %s", what, r.code, r.err);
	cr_expect_lt(th_now() - t0, 10, "%s: the tree took the grace period to end", what);
	cr_expect_eq(th_rec_count(&rec, "main", *sig), 1, "%s: CMD", what);
	cr_expect_eq(th_rec_count(&rec, "daemon", *sig), 1, "%s: the daemon", what);
	th_result_free(&r);
	th_end(&base);
}

static int job_stops[] = { SIGTSTP, SIGTTIN, SIGTTOU };

ParameterizedTestParameters(signals, job_control_freezes_the_group_and_stops_umucg)
{
	return cr_make_param_array(int, job_stops, sizeof job_stops / sizeof *job_stops);
}

/* kill -TSTP umucg: the whole group frozen (the daemon too, which no
 * terminal would reach) and umucg stopped; SIGCONT thaws it. None of the
 * tree gets the stop signal itself, nor SIGCONT. */
ParameterizedTest(int *sig, signals, job_control_freezes_the_group_and_stops_umucg)
{
	char name[32], what[32], events[64];
	snprintf(name, sizeof name, "job%d", *sig);
	snprintf(what, sizeof what, "signal %d (%s)", *sig, strsignal(*sig));
	struct th_proc p;
	start(&p, name);
	cr_assert_eq(kill(p.pid, *sig), 0);
	double end = th_now() + 5;
	while (th_proc_state(p.pid) != 'T' && th_now() < end)
		usleep(5000);
	cr_expect_eq(th_proc_state(p.pid), 'T', "%s: umucg is not stopped", what);
	char *ev = th_group_read(&base, name, "cgroup.events");
	snprintf(events, sizeof events, "%s", ev ? ev : "");
	free(ev);
	cr_expect(th_contains(events, "frozen 1"), "%s: the group is not frozen: %s", what, events);
	cr_assert_eq(kill(p.pid, SIGCONT), 0);
	end = th_now() + 5;
	do {
		ev = th_group_read(&base, name, "cgroup.events");
		snprintf(events, sizeof events, "%s", ev ? ev : "");
		free(ev);
	} while (!th_contains(events, "frozen 0") && th_now() < end && usleep(5000) == 0);
	cr_expect(th_contains(events, "frozen 0"), "%s: SIGCONT did not thaw: %s", what, events);
	expect_alive_after_grace(&p, what);
	cr_expect_eq(th_rec_total(&rec, "main"), 0, "%s: CMD got a signal", what);
	cr_expect_eq(th_rec_total(&rec, "daemon"), 0, "%s: the daemon got a signal", what);
	th_rec_exit(&rec, "daemon", 0);
	th_rec_exit(&rec, "main", 0);
	finish(&p, 0, what);
}

/* SIGCHLD is umucg's to reap by, SIGCONT without a stop of ours changes
 * nothing: neither is passed on, neither ends anything. */
Test(signals, chld_and_cont_are_umucg_s_own)
{
	struct th_proc p;
	start(&p, "own");
	cr_assert_eq(kill(p.pid, SIGCHLD), 0);
	cr_assert_eq(kill(p.pid, SIGCONT), 0);
	expect_alive_after_grace(&p, "CHLD, CONT");
	cr_expect_eq(th_rec_total(&rec, "main"), 0, "CMD got a signal");
	cr_expect_eq(th_rec_total(&rec, "daemon"), 0, "the daemon got a signal");
	th_rec_exit(&rec, "daemon", 0);
	th_rec_exit(&rec, "main", 3);
	finish(&p, 3, "CHLD, CONT");
}

/* A signal the caller ignores stays ignored (nohup): umucg does not take
 * it over, and CMD inherits it ignored. */
Test(signals, a_signal_the_caller_ignores_stays_ignored)
{
	char out_path[PATH_MAX + 8];
	snprintf(out_path, sizeof out_path, "%s/out", rec.dir);
	const char *bin = getenv("UMUCG_BIN");
	cr_assert(bin);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		/* What nohup(1) does, then umucg. */
		signal(SIGHUP, SIG_IGN);
		int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		/* A taken-over SIGHUP would start a 0.2 s countdown. */
		execl(bin, bin, "run", "--base", base.path, "--name", "nohup", "--grace", "0.2",
		      "--", "sh", "-c", "grep ^SigIgn /proc/self/status; sleep 1", (char *)NULL);
		_exit(127);
	}
	cr_assert(th_wait_populated(&base, "nohup", 1, 5), "the run did not start");
	cr_assert_eq(kill(pid, SIGHUP), 0);
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a SIGHUP ended the run: %#x",
		  status);
	FILE *f = fopen(out_path, "r");
	char line[256] = "";
	cr_assert(f && fgets(line, sizeof line, f), "no output");
	fclose(f);
	unlink(out_path);
	unsigned long long ign = strtoull(line + strlen("SigIgn:"), NULL, 16);
	cr_expect(ign & (1ULL << (SIGHUP - 1)), "CMD did not inherit SIGHUP ignored: %s", line);
	th_end(&base);
}

/* The signals the C library keeps for itself (glibc 32 and 33, musl 32 to
 * 34) are catchable too, and their default action ends a process: umucg
 * must not die of them, but pass them on. CMD (sleep, which has no handler
 * for them) dies of it, and umucg exits 128+N, itself alive to the end. */
Test(signals, the_c_library_s_reserved_signals_are_forwarded_not_fatal)
{
	for (int sig = 32; sig <= 34; sig++) {
		char name[16];
		snprintf(name, sizeof name, "rsv%d", sig);
		const char *args[] = { "run", "--base", base.path, "--name", name, "--grace", "0.3",
				       "--", "sleep", "30", NULL };
		struct th_proc p;
		th_start(&p, NULL, args);
		cr_assert(th_wait_comm(&base, name, "sleep", 10) > 0, "signal %d: no sleep", sig);
		cr_assert_eq(kill(p.pid, sig), 0);
		struct th_result r;
		th_finish(&p, &r);
		cr_expect(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 128 + sig,
			  "signal %d: umucg %s %d, stderr: %s", sig,
			  WIFSIGNALED(r.status) ? "died of signal" : "exited",
			  WIFSIGNALED(r.status) ? WTERMSIG(r.status) : WEXITSTATUS(r.status), r.err);
		th_result_free(&r);
	}
	th_end(&base);
}
