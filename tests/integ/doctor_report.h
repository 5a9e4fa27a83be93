/* doctor_report.h - what the doctor tests share (doctor_report.c). */
#ifndef DOCTOR_REPORT_H
#define DOCTOR_REPORT_H

#include <pwd.h>
#include <stdbool.h>
#include <stddef.h>

#include "helpers.h"

/* The facts, from mountinfo: cgroup2 mounted, v1 mounted, and the v1
 * hierarchies' controllers (space-separated, with spaces around). */
struct facts {
	bool v1, v2;
	char v1_controllers[512];
};
void read_facts(struct facts *f);

/* true when the whitespace-separated list has word. */
bool has_word(const char *list, const char *word);
/* The line starting with prefix, copied into buf ("" when none). */
const char *line_of(const char *text, const char *prefix, char *buf, size_t cap);
/* Every "no" line is followed by its fix. */
void assert_fixes(const char *out);
/* What the verdict must be: memory and pids in dir's cgroup.controllers. */
bool limits_usable_in(const char *dir);
/* The exit status and the verdict line say want. */
void assert_verdict(const struct th_result *r, bool want);
/* th_expect_jq with a formatted filter. */
void expect_jqf(const char *json, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* One JSON value and one newline, nothing else on stdout or stderr. */
void assert_one_object(const struct th_result *r);
/* The JSON report agrees with itself and with the text report of the same
 * situation: the verdict and exit status, every check as a text line, a fix
 * for every "no", and as many "no" lines. */
void assert_json_agrees(const struct th_result *json, const struct th_result *text);
/* A small file's text, whole (asserted readable). */
void read_text(const char *path, char *buf, size_t cap);
/* controller's expected state from the kernel's files: held by a v1
 * hierarchy, else usable when avail_dir's cgroup.controllers offers it,
 * else offered by the mount but not enabled, else missing. */
const char *controller_state(const struct facts *f, const char *ctrl, const char *avail_dir);
/* umucg doctor [arg] as the user pw, without UMUCG_BASE. */
void run_as(const struct passwd *pw, const char *arg, struct th_result *r);

#endif
