/* test_gc_stop.c - groups whose umucg was SIGKILLed while their processes
 * run on: list and status say how to end them; gc --stop ends them (SIGTERM
 * first, cgroup.kill after the grace, then removes them) and never touches
 * a group whose manager lives, one made by create, one without a record,
 * nor one that holds its caller. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
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

TestSuite(gc_stop, .init = setup, .fini = teardown, .timeout = 90);

#define UMUCG(r, ...) th_run((r), NULL, "--base", base.path, __VA_ARGS__, NULL)

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static bool gone_within(pid_t pid, double seconds)
{
	for (double t0 = th_now(); th_now() - t0 < seconds; sleep_ms(10))
		if (kill(pid, 0) < 0 && errno == ESRCH)
			return true;
	return false;
}

/* umucg run --name NAME -- sh -c SCRIPT, SIGKILLed once comm shows up in
 * its group: the group and its processes stay, the manager is gone.
 * Returns the pid of comm. */
static pid_t orphan(const char *name, const char *script, const char *comm)
{
	const char *args[] = { "--base", base.path, "run", "--name", name, "--", "sh", "-c", script, NULL };
	struct th_proc p;
	th_start(&p, NULL, args);
	pid_t pid = th_wait_comm(&base, name, comm, 10);
	cr_assert_gt(pid, 0, "%s never appeared in %s", comm, name);
	cr_assert_eq(kill(p.pid, SIGKILL), 0);
	struct th_result r;
	th_finish(&p, &r);
	cr_assert_eq(r.code, 128 + SIGKILL);
	th_result_free(&r);
	return pid;
}

Test(gc_stop, ends_the_groups_whose_manager_is_gone_and_only_those)
{
	char mark[] = "/tmp/umucg-test-gcstop-XXXXXX";
	int mfd = mkstemp(mark);
	cr_assert_geq(mfd, 0);
	close(mfd);
	char script[256];
	/* obeys SIGTERM, and says it got it first */
	snprintf(script, sizeof script, "trap 'echo TERM > %s; exit 0' TERM; sleep 100 & wait", mark);
	pid_t obeys = orphan("obeys", script, "sleep");
	/* ignores SIGTERM (and so does its sleep): only cgroup.kill ends it */
	pid_t deaf = orphan("deaf", "trap '' TERM; sleep 100", "sleep");
	/* frozen: thawed so that its SIGTERM arrives before the kill */
	char iced_mark[sizeof mark + 8];
	snprintf(iced_mark, sizeof iced_mark, "%s.iced", mark);
	snprintf(script, sizeof script, "trap 'echo TERM > %s; exit 0' TERM; sleep 100 & wait", iced_mark);
	pid_t iced = orphan("iced", script, "sleep");
	struct th_result fr;
	th_run(&fr, NULL, "--base", base.path, "freeze", "iced", NULL);
	cr_assert_eq(fr.code, 0, "%s", fr.err);
	th_result_free(&fr);

	/* left alone: a live run, a created group with a process, a directory
	 * without a record with a process */
	const char *live_args[] = { "--base", base.path, "run", "--name", "live", "--", "sleep", "100", NULL };
	struct th_proc live;
	th_start(&live, NULL, live_args);
	cr_assert_gt(th_wait_comm(&base, "live", "sleep", 10), 0);
	struct th_result r;
	UMUCG(&r, "create", "made");
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	struct th_proc joined;
	const char *join_args[] = { "--base", base.path, "join", "made", "--", "sleep", "100", NULL };
	th_start(&joined, NULL, join_args);
	cr_assert_gt(th_wait_comm(&base, "made", "sleep", 10), 0);
	char foreign[PATH_MAX + 32], procs[PATH_MAX + 64];
	snprintf(foreign, sizeof foreign, "%s/foreign", base.path);
	cr_assert_eq(mkdir(foreign, 0755), 0);
	pid_t stranger = fork();
	cr_assert_geq(stranger, 0);
	if (stranger == 0) {
		execlp("sleep", "sleep", "100", (char *)NULL);
		_exit(127);
	}
	snprintf(procs, sizeof procs, "%s/cgroup.procs", foreign);
	FILE *f = fopen(procs, "we");
	cr_assert(f);
	fprintf(f, "%d", (int)stranger);
	cr_assert_eq(fclose(f), 0);

	double t0 = th_now();
	UMUCG(&r, "gc", "--stop", "--grace", "1", "--json");
	double took = th_now() - t0;
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".stopped | join(\",\")", "deaf,iced,obeys");
	th_expect_jq(r.out, ".removed | join(\",\")", "deaf,iced,obeys");
	th_expect_jq(r.out, ".spared | length | tostring", "0");
	cr_expect_str_eq(r.err, "");
	th_result_free(&r);
	cr_expect(took >= 1 && took < 8, "gc --stop took %.2fs (grace 1s, then the kill)", took);
	cr_expect(gone_within(obeys, 5), "the obeying tree survived");
	cr_expect(gone_within(deaf, 5), "the deaf tree survived the kill");
	FILE *m = fopen(mark, "re");
	char got[16] = "";
	cr_expect(m && fgets(got, sizeof got, m), "no mark: it did not get SIGTERM first");
	cr_expect_str_eq(got, "TERM\n");
	if (m)
		fclose(m);
	unlink(mark);
	cr_expect(gone_within(iced, 5), "the frozen tree survived");
	m = fopen(iced_mark, "re");
	got[0] = '\0';
	cr_expect(m && fgets(got, sizeof got, m), "the frozen tree was killed without a SIGTERM first");
	if (m)
		fclose(m);
	unlink(iced_mark);
	cr_expect(!th_group_exists(&base, "iced"));
	cr_expect(!th_group_exists(&base, "obeys"));
	cr_expect(!th_group_exists(&base, "deaf"));
	cr_expect_eq(th_group_populated(&base, "live"), 1, "the live run's group was touched");
	cr_expect_eq(th_group_populated(&base, "made"), 1, "the created group was touched");
	cr_expect_eq(kill(stranger, 0), 0, "the directory without a record was touched");

	kill(stranger, SIGKILL);
	waitpid(stranger, NULL, 0);
	rmdir(foreign);
	kill(live.pid, SIGTERM);
	th_finish(&live, &r);
	th_result_free(&r);
	UMUCG(&r, "stop", "made");
	th_result_free(&r);
	th_finish(&joined, &r);
	th_result_free(&r);
	th_end(&base);
}

Test(gc_stop, list_and_status_say_how_to_end_them)
{
	orphan("lost", "sleep 100", "sleep");
	struct th_result r;
	UMUCG(&r, "list");
	cr_expect_eq(r.code, 0, "%s", r.err);
	cr_expect(th_contains(r.out, "manager-gone"), "%s", r.out);
	cr_expect(th_contains(r.err, "hint: 'lost' runs on without its manager"), "%s", r.err);
	cr_expect(th_contains(r.err, "'umucg stop NAME'"), "%s", r.err);
	cr_expect(th_contains(r.err, "'umucg gc --stop'"), "%s", r.err);
	th_result_free(&r);
	UMUCG(&r, "status", "lost");
	cr_expect_eq(r.code, 0, "%s", r.err);
	cr_expect(th_contains(r.out, "'umucg stop lost'"), "%s", r.out);
	cr_expect(th_contains(r.out, "'umucg gc --stop'"), "%s", r.out);
	th_result_free(&r);
	/* plain gc leaves a group with processes alone */
	UMUCG(&r, "gc", "--json");
	th_expect_jq(r.out, ".removed | length | tostring", "0");
	th_result_free(&r);
	cr_expect_eq(th_group_populated(&base, "lost"), 1);
	UMUCG(&r, "gc", "--stop", "--grace", "5");
	cr_expect_eq(r.code, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	th_result_free(&r);
	cr_expect(!th_group_exists(&base, "lost"));
	/* nothing to point at any more */
	UMUCG(&r, "list");
	cr_expect(!th_contains(r.err, "gc --stop"), "%s", r.err);
	th_result_free(&r);
	th_end(&base);
}

/* gc --stop run from inside such a group (its shell is there) leaves it. */
Test(gc_stop, spares_the_group_that_holds_its_caller)
{
	orphan("home", "sleep 100", "sleep");
	const char *bin = getenv("UMUCG_BIN");
	struct th_result r;
	UMUCG(&r, "join", "home", "--", bin, "--base", base.path, "gc", "--stop", "--grace", "0",
	      "--json");
	cr_expect_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	th_expect_jq(r.out, ".spared | join(\",\")", "home");
	th_expect_jq(r.out, ".stopped | length | tostring", "0");
	cr_expect(th_contains(r.err, "umucg: warning: gc --stop: left 'home' running"), "%s", r.err);
	th_result_free(&r);
	cr_expect_eq(th_group_populated(&base, "home"), 1);
	UMUCG(&r, "gc", "--stop", "--grace", "5", "--json");
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_expect_jq(r.out, ".stopped | join(\",\")", "home");
	th_result_free(&r);
	cr_expect(!th_group_exists(&base, "home"));
	th_end(&base);
}

Test(gc_stop, grace_without_stop_is_a_usage_error)
{
	struct th_result r;
	UMUCG(&r, "gc", "--grace", "1");
	cr_expect_eq(r.code, 125);
	cr_expect(th_contains(r.err, "--grace: only with --stop"), "%s", r.err);
	th_result_free(&r);
	UMUCG(&r, "gc", "--stop", "--grace", "soon");
	cr_expect_eq(r.code, 125);
	cr_expect(th_contains(r.err, "--grace"), "%s", r.err);
	th_result_free(&r);
	th_end(&base);
}
