/* helpers.h - what the Criterion tests that drive umucg on this machine's
 * real cgroup2 mount share: a private base per test, running the binary,
 * and checks that nothing is left behind (groups, processes, zombies, fds).
 *
 * A test program links tests/lib/helpers.c (see tests/lib/local.mk). The
 * usual shape:
 *
 *	static struct th_base base;
 *	TestSuite(run, .init = setup, .fini = teardown, .timeout = 30);
 *	static void setup(void) { th_base_make(&base); }
 *	static void teardown(void) { th_base_discard(&base); }
 *
 *	Test(run, in_group) {
 *		struct th_result r;
 *		th_run(&r, NULL, "run", "--base", base.path, "--", "true", NULL);
 *		cr_assert_eq(r.code, 0, "%s", r.err);
 *		th_result_free(&r);
 *		th_end(&base);       // asserts nothing is left; removes the base
 *	}
 *
 * th_end asserts; the .fini safety net (th_base_discard) only cleans up,
 * because Criterion does not fail a test on an assertion in .fini. A base
 * left by a crashed or timed-out test is removed (and reported) by a
 * POST_ALL hook in the runner process.
 */
#ifndef UMUCG_TEST_HELPERS_H
#define UMUCG_TEST_HELPERS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- the cgroup2 mount and a private base ------------------------------ */

struct th_base {
	char path[PATH_MAX]; /* absolute; "" when there is none */
	char mount[PATH_MAX];
	int fd;              /* O_DIRECTORY fd of path, -1 when none */
	int fds_at_start;    /* open fds of the test process when it was made */
};

/* The first cgroup2 mount point in /proc/self/mountinfo (parsed here, not by
 * libumucg, so that the tests do not trust the code they test), or NULL. The
 * string is static. */
const char *th_cgroup2_mount(void);

/* Makes <cgroup2 mount>/umucg-test-<runner pid>-<pid>-<n>. Skips the test
 * loudly (cr_skip_test) when not root or when there is no usable cgroup2. */
void th_base_make(struct th_base *b);

/* Ends a test: asserts that the base has no group and no process left, that
 * the test process has no child (zombie or not) and no more open fds than
 * when the base was made; removes the base either way. */
void th_end(struct th_base *b);

/* Cleanup only (for .fini): kills what is left (cgroup.kill), removes the
 * base recursively; returns how many groups + processes were found. */
int th_base_discard(struct th_base *b);

/* Names of the child groups of the base, space-separated ("" when none),
 * in a static buffer; *count gets how many (may be NULL). */
const char *th_base_groups(const struct th_base *b, int *count);

/* ---- group files ------------------------------------------------------- */

/* The whole text of base/NAME/FILE (NAME may be "" for the base itself), or
 * NULL when it cannot be read; malloc'd. */
char *th_group_read(const struct th_base *b, const char *name, const char *file);
/* true when base/NAME is a directory. */
bool th_group_exists(const struct th_base *b, const char *name);
/* "populated" of base/NAME/cgroup.events: 1, 0, or -1 when unreadable. */
int th_group_populated(const struct th_base *b, const char *name);
/* How many pids base/NAME/cgroup.procs lists (-1 when unreadable). */
int th_group_nprocs(const struct th_base *b, const char *name);
/* Waits (bounded, test-side polling every 10 ms) until base/NAME has a
 * process whose /proc/PID/comm is comm; returns its pid, or 0 on timeout. */
pid_t th_wait_comm(const struct th_base *b, const char *name, const char *comm,
		   double timeout);
/* How many processes of base/NAME have /proc/PID/comm equal to comm. */
int th_group_count_comm(const struct th_base *b, const char *name, const char *comm);
/* Waits until base/NAME exists and is populated (1) or not (0); returns
 * true when it happened within timeout. */
bool th_wait_populated(const struct th_base *b, const char *name, int want,
		       double timeout);

/* ---- running the binary ------------------------------------------------ */

struct th_run_opts {
	const char *stdin_text;      /* fed as stdin (a memfd); NULL: /dev/null */
	const char *const *env_set;  /* "KEY=VALUE" entries, NULL-terminated */
	const char *const *env_unset;/* keys to remove, NULL-terminated */
	const char *cwd;             /* NULL: the test's cwd */
	int pass_fd;                 /* an fd (> 2) passed through open; 0: none */
	double timeout;              /* seconds before SIGKILL + failure; 0: 30 */
	bool no_openat2;             /* umucg sees ENOSYS for openat2 (seccomp), as
				      * on a kernel before 5.6 */
	const char *join;            /* a cgroup directory umucg starts in (joined
				      * as root, before as_user); NULL: the test's */
	unsigned long stack_kb;      /* RLIMIT_STACK for umucg; 0: the test's */
	bool as_user;                /* run as uid:gid, no supplementary groups */
	uid_t uid;
	gid_t gid;
};
/* By default the environment is the test's own without UMUCG_BASE,
 * UMUCG_SPAWN, UMUCG_KILL, UMU_ID, SteamAppId and SteamGameId (env_set puts
 * any of them back). Every fd but 0, 1, 2 (and pass_fd) is closed; every
 * signal has its default disposition and none is blocked. */

struct th_proc {
	pid_t pid;
	int pidfd, out_fd, err_fd;
	double started;   /* CLOCK_MONOTONIC seconds */
	double timeout;
};

struct th_result {
	int status;       /* wait status of umucg */
	int code;         /* exit code, or 128+N when killed by signal N */
	char *out, *err;  /* everything it wrote, NUL-terminated */
	double seconds;   /* wall time from start to exit */
};

/* Starts $UMUCG_BIN with args (NULL-terminated, without argv[0]). */
void th_start(struct th_proc *p, const struct th_run_opts *o, const char *const *args);
/* Collects output until umucg exits; fails the test if it outlives timeout
 * (after SIGKILLing it). */
void th_finish(struct th_proc *p, struct th_result *r);
/* th_start + th_finish with the args as a NULL-terminated list. */
void th_run(struct th_result *r, const struct th_run_opts *o, ...)
	__attribute__((sentinel));
void th_result_free(struct th_result *r);

/* ---- JSON ------------------------------------------------------------ */

/* jq -e -j FILTER over json: its output (malloc'd), or NULL when jq fails
 * (invalid JSON, a false or null result). FILTER may not hold a quote. */
char *th_jq(const char *json, const char *filter);
/* Expects jq FILTER over json to print want. */
void th_expect_jq(const char *json, const char *filter, const char *want);

/* ---- the test process itself ------------------------------------------- */

/* Installs a seccomp filter that makes openat2 fail with ENOSYS in the
 * calling process and its children, as on a kernel before 5.6; false when
 * the filter could not be installed. Async-signal-safe. */
bool th_forbid_openat2(void);

/* Open fds of the calling process (without the one used to count them). */
int th_count_fds(void);
/* Children of the calling process; *zombies (may be NULL) gets how many of
 * them are zombies. */
int th_count_children(int *zombies);
/* CLOCK_MONOTONIC in seconds. */
double th_now(void);
/* true when text contains needle (for messages: NULL text is false). */
bool th_contains(const char *text, const char *needle);

#endif
