/* test_run_ending.c - how the rest of the tree ends once CMD has exited
 * (--linger, --kill-on-exit, --kill-on-crash: SIGTERM first, then the grace,
 * then cgroup.kill), --exit-with-parent with a multi-threaded parent, and
 * what umucg keeps of its caller while it supervises. The daemon of
 * tests/integ/sigrecorder stands in for wineserver: it ends cleanly on
 * SIGTERM and records that it got it. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "recorder.h"

static struct th_base base;
static struct th_rec rec;

static void setup(void)
{
	th_base_make(&base);
	th_rec_make(&rec);
	th_rec_polite_term(&rec, "daemon");
}

static void teardown(void)
{
	th_base_discard(&base);
	th_rec_discard(&rec);
}

TestSuite(ending, .init = setup, .fini = teardown, .timeout = 60);

/* Starts umucg run OPTS... -- sigrecorder (a long grace, so that an end by
 * cgroup.kill instead of SIGTERM would show as a long wait). */
static void start(struct th_proc *p, const char *name, const char *opt1, const char *opt2)
{
	const char *args[16] = { "run", "--base", base.path, "--name", name, "--grace", "20" };
	size_t n = 7;
	if (opt1)
		args[n++] = opt1;
	if (opt2)
		args[n++] = opt2;
	args[n++] = "--";
	args[n++] = th_rec_bin();
	args[n++] = rec.dir;
	args[n] = NULL;
	th_start(p, NULL, args);
	cr_assert(th_rec_wait_ready(&rec, 10), "the recorders did not start");
}

static double finish(struct th_proc *p, int want_code, const char *what)
{
	double t0 = th_now();
	struct th_result r;
	th_finish(p, &r);
	cr_expect_eq(r.code, want_code, "%s: exit %d, stderr: %s", what, r.code, r.err);
	th_result_free(&r);
	return th_now() - t0;
}

/* --kill-on-exit: the daemon gets SIGTERM as soon as CMD exits, and the run
 * ends then, not after the 20 s grace (it used to get SIGKILL at once). */
Test(ending, kill_on_exit_ends_the_rest_with_sigterm_first)
{
	struct th_proc p;
	start(&p, "koe", "--kill-on-exit", NULL);
	th_rec_exit(&rec, "main", 4);
	double took = finish(&p, 4, "--kill-on-exit");
	cr_expect_lt(took, 5, "the daemon took %.1f s to end", took);
	cr_expect_eq(th_rec_count(&rec, "daemon", SIGTERM), 1, "the daemon got no SIGTERM: %s",
		     th_rec_text(&rec, "daemon"));
	th_end(&base);
}

/* --linger 1: the daemon lives on for a second after CMD, then gets
 * SIGTERM. */
Test(ending, linger_waits_then_ends_the_rest_with_sigterm)
{
	struct th_proc p;
	start(&p, "linger", "--linger", "1");
	th_rec_exit(&rec, "main", 0);
	cr_assert(th_wait_gone(rec.main, 5));
	double t0 = th_now();
	usleep(500 * 1000);
	cr_expect(th_alive(rec.daemon), "the daemon was ended before --linger's time");
	cr_expect_eq(th_rec_total(&rec, "daemon"), 0, "the daemon got a signal early");
	finish(&p, 0, "--linger 1");
	double took = th_now() - t0;
	cr_expect(took >= 0.9 && took < 5, "the rest ended %.2f s after CMD (want about 1)", took);
	cr_expect_eq(th_rec_count(&rec, "daemon", SIGTERM), 1, "the daemon got no SIGTERM: %s",
		     th_rec_text(&rec, "daemon"));
	th_end(&base);
}

/* --kill-on-crash: a clean exit leaves the daemon be (the default: wait for
 * the whole tree)... */
Test(ending, kill_on_crash_waits_when_cmd_exits_cleanly)
{
	struct th_proc p;
	start(&p, "kocok", "--kill-on-crash", NULL);
	th_rec_exit(&rec, "main", 0);
	cr_assert(th_wait_gone(rec.main, 5));
	usleep(500 * 1000);
	cr_expect(th_alive(rec.daemon), "the daemon was ended though CMD exited 0");
	th_rec_exit(&rec, "daemon", 0);
	finish(&p, 0, "--kill-on-crash, clean exit");
	cr_expect_eq(th_rec_total(&rec, "daemon"), 0, "the daemon got a signal");
	th_end(&base);
}

/* ... and a CMD killed by a signal, or exiting 128+N like a wrapper passing
 * a crash on, ends it at once, SIGTERM first. */
Test(ending, kill_on_crash_ends_the_rest_when_cmd_crashed)
{
	struct th_proc p;
	start(&p, "kocsig", "--kill-on-crash", NULL);
	cr_assert_eq(kill(rec.main, SIGKILL), 0);
	double took = finish(&p, 137, "--kill-on-crash, SIGKILL");
	cr_expect_lt(took, 5, "the daemon took %.1f s to end", took);
	cr_expect_eq(th_rec_count(&rec, "daemon", SIGTERM), 1, "the daemon got no SIGTERM");

	th_rec_discard(&rec);
	th_rec_make(&rec);
	th_rec_polite_term(&rec, "daemon");
	start(&p, "koc139", "--kill-on-crash", NULL);
	th_rec_exit(&rec, "main", 139);
	took = finish(&p, 139, "--kill-on-crash, exit 139");
	cr_expect_lt(took, 5, "the daemon took %.1f s to end", took);
	cr_expect_eq(th_rec_count(&rec, "daemon", SIGTERM), 1, "the daemon got no SIGTERM");
	th_end(&base);
}

/* A daemon that ignores SIGTERM is killed after the grace period. */
Test(ending, linger_then_grace_then_cgroup_kill)
{
	const char *args[] = { "run", "--base", base.path, "--name", "stubborn", "--linger", "0.2",
			       "--grace", "0.5", "--", "sh", "-c",
			       "(trap '' TERM; setsid sleep 60 & wait) & exit 3", NULL };
	struct th_proc p;
	th_start(&p, NULL, args);
	struct th_result r;
	th_finish(&p, &r);
	cr_expect_eq(r.code, 3, "exit %d: %s", r.code, r.err);
	cr_expect(r.seconds > 0.6 && r.seconds < 5, "took %.2f s (want linger + grace)", r.seconds);
	th_result_free(&r);
	th_end(&base);
}

static int usage_error(const char *a, const char *b)
{
	struct th_result r;
	th_run(&r, NULL, "run", "--base", base.path, a, b, "--", "true", NULL);
	int code = r.code;
	cr_expect(strncmp(r.err, "umucg: ", 7) == 0 && th_contains(r.err, a), "%s %s: %s", a, b,
		  r.err);
	th_result_free(&r);
	return code;
}

Test(ending, conflicting_or_bad_options_are_usage_errors)
{
	cr_expect_eq(usage_error("--kill-on-exit", "--kill-on-crash"), 125);
	cr_expect_eq(usage_error("--linger", "-1"), 125);
	cr_expect_eq(usage_error("--linger", "soon"), 125);
	int n;
	th_base_groups(&base, &n);
	cr_expect_eq(n, 0, "a usage error made a group");
	th_end(&base);
}

/* ---- --exit-with-parent ---------------------------------------------- */

struct launcher {
	char **argv;
	int report; /* umucg's pid goes here */
};

/* A thread of the launcher starts umucg and then ends: the death signal
 * (PR_SET_PDEATHSIG) would fire now; --exit-with-parent must not. */
static void *start_from_a_thread(void *arg)
{
	struct launcher *l = arg;
	pid_t pid = fork();
	if (pid == 0) {
		execv(getenv("UMUCG_BIN"), l->argv);
		_exit(127);
	}
	if (write(l->report, &pid, sizeof pid) != sizeof pid)
		_exit(2);
	return NULL;
}

/* The launcher (like Steam: many threads): starts umucg from a thread
 * that exits at once, then lives until told to exit by the test. */
static pid_t launcher(char **argv, pid_t *umucg, int *release)
{
	int to_test[2], from_test[2];
	cr_assert(pipe(to_test) == 0 && pipe(from_test) == 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(to_test[0]);
		close(from_test[1]);
		struct launcher l = { .argv = argv, .report = to_test[1] };
		pthread_t t;
		if (pthread_create(&t, NULL, start_from_a_thread, &l) != 0 || pthread_join(t, NULL) != 0)
			_exit(2);
		char c;
		(void)!read(from_test[0], &c, 1);
		_exit(0); /* umucg is orphaned: reparented to the test (a subreaper) */
	}
	close(to_test[1]);
	close(from_test[0]);
	cr_assert_eq(read(to_test[0], umucg, sizeof *umucg), (ssize_t)sizeof *umucg);
	close(to_test[0]);
	*release = from_test[1];
	return pid;
}

Test(ending, exit_with_parent_ends_the_tree_when_the_launcher_process_exits)
{
	cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	char *argv[] = { "umucg", "run", "--base", base.path, "--name", "ewp", "--grace", "20",
			 "--exit-with-parent", "--", (char *)th_rec_bin(), rec.dir, NULL };
	pid_t umucg, release;
	int release_fd;
	release = launcher(argv, &umucg, &release_fd);
	cr_assert(th_rec_wait_ready(&rec, 10), "the recorders did not start");
	/* The thread that forked umucg has ended: the tree must live on. */
	usleep(300 * 1000);
	cr_expect(th_alive(umucg) && th_alive(rec.main) && th_alive(rec.daemon),
		  "the tree ended with the launcher's thread");
	cr_expect_eq(th_rec_total(&rec, "main"), 0, "CMD got a signal");
	/* The launcher process exits: the tree ends as on SIGTERM. */
	close(release_fd);
	int status;
	cr_assert_eq(waitpid(release, &status, 0), release);
	double t0 = th_now();
	cr_assert_eq(waitpid(umucg, &status, 0), umucg);
	cr_expect_lt(th_now() - t0, 5, "the tree took the grace period to end");
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM, "umucg: %#x", status);
	cr_expect_eq(th_rec_count(&rec, "main", SIGTERM), 1, "CMD got no SIGTERM");
	cr_expect_eq(th_rec_count(&rec, "daemon", SIGTERM), 1, "the daemon got no SIGTERM");
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	th_end(&base);
}

/* ---- what umucg holds of its caller while it supervises --------------- */

static char *link_of(pid_t pid, const char *what)
{
	char path[64], target[PATH_MAX];
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, what);
	ssize_t n = readlink(path, target, sizeof target - 1);
	if (n < 0)
		return strdup("?");
	target[n] = '\0';
	return strdup(target);
}

Test(ending, umucg_holds_no_cwd_stdin_or_stdout_of_its_caller)
{
	struct th_run_opts o = { .cwd = rec.dir };
	const char *args[] = { "run", "--base", base.path, "--name", "cwd", "--", th_rec_bin(),
			       rec.dir, NULL };
	struct th_proc p;
	th_start(&p, &o, args);
	cr_assert(th_rec_wait_ready(&rec, 10));
	char *cwd = link_of(p.pid, "cwd"), *in = link_of(p.pid, "fd/0"),
	     *out = link_of(p.pid, "fd/1"), *cmd_cwd = link_of(rec.main, "cwd");
	cr_expect_str_eq(cwd, "/", "umucg's cwd");
	cr_expect_str_eq(in, "/dev/null", "umucg's stdin");
	cr_expect_str_eq(out, "/dev/null", "umucg's stdout");
	cr_expect_str_eq(cmd_cwd, rec.dir, "CMD's cwd");
	free(cwd), free(in), free(out), free(cmd_cwd);
	th_rec_exit(&rec, "daemon", 0);
	th_rec_exit(&rec, "main", 0);
	finish(&p, 0, "cwd");
	th_end(&base);
}

/* umucg leaves the caller's directory before CMD starts, not after: CMD's
 * first look at its parent finds it in "/" already, on both spawn paths.
 * Left after the spawn, umucg lost that race in 3.5% of runs here (found by
 * dumb-init's cwd_test, tests/peers), so 60 runs a path. */
Test(ending, umucg_has_left_the_callers_directory_before_cmd_starts)
{
	char *dir = realpath(rec.dir, NULL), want[4200];
	cr_assert(dir);
	snprintf(want, sizeof want, "/\n%s\n", dir);
	const char *methods[] = { "UMUCG_SPAWN=auto", "UMUCG_SPAWN=fork" };
	for (size_t m = 0; m < 2; m++) {
		const char *set[] = { methods[m], NULL };
		struct th_run_opts o = { .cwd = rec.dir, .env_set = set };
		for (int i = 0; i < 60; i++) {
			struct th_result r;
			th_run(&r, &o, "run", "--base", base.path, "--", "sh", "-c",
			       "readlink /proc/$PPID/cwd; pwd -P", NULL);
			cr_assert_eq(r.code, 0, "%s: exit %d: %s", methods[m], r.code, r.err);
			cr_assert_str_eq(r.out, want, "%s, run %d: umucg's cwd, then CMD's", methods[m], i);
			th_result_free(&r);
		}
	}
	free(dir);
	th_end(&base);
}
