/* recorder.h - driving tests/integ/sigrecorder, the CMD of the signal tests:
 * it and its setsid'd daemon record every signal they get, one line each,
 * in a directory of the test's own (see sigrecorder.c). */
#ifndef UMUCG_TEST_RECORDER_H
#define UMUCG_TEST_RECORDER_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

struct th_rec {
	char dir[PATH_MAX]; /* "" when none */
	pid_t main, daemon; /* once ready */
};

/* The recorder's path (built beside the tests). */
const char *th_rec_bin(void);
/* A fresh, empty record directory; skips nothing, asserts. */
void th_rec_make(struct th_rec *r);
/* Removes the directory and what is in it (for .fini too). */
void th_rec_discard(struct th_rec *r);
/* Makes role ("main", "daemon") exit 0 on SIGTERM instead of dying of it;
 * before the run starts. */
void th_rec_polite_term(const struct th_rec *r, const char *role);
/* Waits until both have their handlers in place; fills main and daemon. */
bool th_rec_wait_ready(struct th_rec *r, double timeout);
/* How many times role recorded sig (0 when it recorded nothing). */
int th_rec_count(const struct th_rec *r, const char *role, int sig);
/* What role recorded, "SIG CODE SENDER" a line (static buffer). */
const char *th_rec_text(const struct th_rec *r, const char *role);
/* How many signals role recorded in all. */
int th_rec_total(const struct th_rec *r, const char *role);
/* Waits until role has recorded sig want times. */
bool th_rec_wait_count(const struct th_rec *r, const char *role, int sig, int want,
		       double timeout);
/* Tells role to exit with code. */
void th_rec_exit(const struct th_rec *r, const char *role, int code);
/* true while pid exists and is not a zombie. */
bool th_alive(pid_t pid);
/* Waits until pid is gone or a zombie. */
bool th_wait_gone(pid_t pid, double timeout);
/* The state letter of /proc/PID/stat (R, S, T, Z...), or 0. */
char th_proc_state(pid_t pid);

#endif
