/* doctor_report.c - what the doctor tests share: the kernel's facts read
 * here independently of umucg, and doctor's report read back (its lines, a
 * fix for every "no", its JSON agreeing with its text). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "doctor_report.h"

void read_facts(struct facts *f)
{
	static const char *const known[] = { "cpu", "cpuacct", "cpuset", "memory", "devices",
		"freezer", "blkio", "pids", "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "misc" };
	memset(f, 0, sizeof *f);
	snprintf(f->v1_controllers, sizeof f->v1_controllers, " ");
	FILE *m = fopen("/proc/self/mountinfo", "re");
	cr_assert(m);
	char line[4096];
	while (fgets(line, sizeof line, m)) {
		char *sep = strstr(line, " - ");
		if (!sep)
			continue;
		char fstype[64], source[256], opts[1024];
		if (sscanf(sep + 3, "%63s %255s %1023s", fstype, source, opts) != 3)
			continue;
		if (strcmp(fstype, "cgroup2") == 0)
			f->v2 = true;
		if (strcmp(fstype, "cgroup") != 0)
			continue;
		f->v1 = true;
		for (char *save, *t = strtok_r(opts, ",", &save); t; t = strtok_r(NULL, ",", &save))
			for (size_t i = 0; i < sizeof known / sizeof *known; i++)
				if (strcmp(t, known[i]) == 0) {
					size_t l = strlen(f->v1_controllers);
					snprintf(f->v1_controllers + l, sizeof f->v1_controllers - l, "%s ", t);
				}
	}
	fclose(m);
}

/* true when the whitespace-separated list has word. */
bool has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += wl)
		if ((p == list || p[-1] == ' ' || p[-1] == '\n') && (p[wl] == ' ' || p[wl] == '\n' || !p[wl]))
			return true;
	return false;
}

/* The line starting with prefix, copied into buf ("" when none). */
const char *line_of(const char *text, const char *prefix, char *buf, size_t cap)
{
	buf[0] = '\0';
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		if (strncmp(l, prefix, strlen(prefix)) == 0) {
			snprintf(buf, cap, "%.*s", (int)len, l);
			break;
		}
		l = nl ? nl + 1 : NULL;
	}
	return buf;
}

/* Every "no" line is followed by its fix. */
void assert_fixes(const char *out)
{
	for (const char *l = out; l && *l;) {
		const char *nl = strchr(l, '\n');
		if (strncmp(l, "no   ", 5) == 0)
			cr_assert(nl && strncmp(nl + 1, "     fix: ", 10) == 0 && nl[11] != '\n',
				  "a 'no' without a fix: %.*s", (int)(nl ? nl - l : 80), l);
		l = nl ? nl + 1 : NULL;
	}
}

/* What the verdict must be: memory and pids in dir's cgroup.controllers. */
bool limits_usable_in(const char *dir)
{
	char path[PATH_MAX * 2], text[512] = "";
	snprintf(path, sizeof path, "%s/cgroup.controllers", dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	return has_word(text, "memory") && has_word(text, "pids");
}

void assert_verdict(const struct th_result *r, bool want)
{
	cr_assert_eq(r->code, want ? 0 : 1, "exit %d, want %d: %s%s", r->code, want ? 0 : 1, r->out, r->err);
	char buf[256];
	line_of(r->out, "verdict:", buf, sizeof buf);
	cr_assert(th_contains(buf, want ? " works " : " does NOT work "), "verdict line: '%s'", buf);
}

void expect_jqf(const char *json, const char *want, const char *fmt, ...)
{
	char filter[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(filter, sizeof filter, fmt, ap);
	va_end(ap);
	th_expect_jq(json, filter, want);
}

/* One JSON value and one newline, nothing else on stdout or stderr. */
void assert_one_object(const struct th_result *r)
{
	cr_assert_str_empty(r->err, "doctor --json wrote to stderr: %s", r->err);
	size_t len = strlen(r->out);
	cr_assert(len > 2 && r->out[0] == '{' && r->out[len - 1] == '\n' &&
		  strchr(r->out, '\n') == r->out + len - 1, "not one object and a newline: %s", r->out);
	th_expect_jq(r->out, "type", "object");
}

/* The JSON report agrees with itself and with the text report of the same
 * situation: the verdict and exit status, every check as a text line, a fix
 * for every "no", and as many "no" lines. */
void assert_json_agrees(const struct th_result *json, const struct th_result *text)
{
	cr_assert_eq(json->code, text->code, "exit %d with --json, %d without", json->code, text->code);
	cr_assert(json->code == 0 || json->code == 1, "exit %d: %s", json->code, json->err);
	th_expect_jq(json->out, ".run_with_limits_works | tostring", json->code == 0 ? "true" : "false");
	th_expect_jq(json->out, "[.checks[] | select(.blocking and .ok == false)] | length == 0 | tostring",
		  json->code == 0 ? "true" : "false");
	th_expect_jq(json->out, "[.checks[] | select(.ok == false and ((.fix // \"\") == \"\"))] | length | tostring", "0");
	th_expect_jq(json->out, "[.checks[] | select(.ok != false and .fix != null)] | length | tostring", "0");
	char *lines = th_jq(json->out, "[.checks[] | (if .ok == true then \"yes \" elif .ok == false then \"no  \" "
			 "else \"?   \" end) + \" \" + .what + \": \" + .detail + "
			 "(if .ok == false then \"\\n     fix: \" + .fix else \"\" end)] | join(\"\\u001e\")");
	cr_assert(lines, "checks: %s", json->out);
	/* each check with its fix line, as the text prints them together */
	for (char *save, *l = strtok_r(lines, "\x1e", &save); l; l = strtok_r(NULL, "\x1e", &save)) {
		char want[2048];
		snprintf(want, sizeof want, "\n%s\n", l);
		cr_assert(th_contains(text->out, want), "the text report lacks '%s':\n%s", l, text->out);
	}
	free(lines);
	unsigned nos = 0;
	for (const char *p = text->out; (p = strstr(p, "\nno   ")); p++)
		nos++;
	char want[32];
	snprintf(want, sizeof want, "%u", nos);
	th_expect_jq(json->out, ".nos | tostring", want);
	th_expect_jq(json->out, "[.checks[] | select(.ok == false)] | length | tostring", want);
	char buf[256];
	line_of(text->out, "verdict:", buf, sizeof buf);
	cr_assert(th_contains(buf, json->code == 0 ? " works " : " does NOT work "), "'%s'", buf);
}

/* A small file's text, whole (asserted readable). */
void read_text(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	cr_assert(fd >= 0, "%s: %s", path, strerror(errno));
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	cr_assert(n >= 0, "%s: %s", path, strerror(errno));
	buf[n] = '\0';
}

/* controller's expected state from the kernel's files: held by a v1
 * hierarchy, else usable when the directory whose cgroup.controllers the
 * base's groups get offers it, else offered by the mount but not enabled,
 * else missing. */
const char *controller_state(const struct facts *f, const char *ctrl, const char *avail_dir)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof path, "%s/cgroup.controllers", avail_dir);
	char avail[512], offered[512];
	read_text(path, avail, sizeof avail);
	snprintf(path, sizeof path, "%s/cgroup.controllers", th_cgroup2_mount());
	read_text(path, offered, sizeof offered);
	const char *v1name = strcmp(ctrl, "io") == 0 ? "blkio" : ctrl;
	const char *state = has_word(avail, ctrl) ? "usable" : has_word(f->v1_controllers, v1name) ?
			    "held-by-v1" : has_word(offered, ctrl) ? "not-enabled" : "missing";
	return state;
}

/* Reads fd to its end into a malloc'd string. */
static char *read_all(int fd)
{
	size_t cap = 16384, len = 0;
	char *text = malloc(cap);
	cr_assert(text);
	ssize_t n;
	while ((n = read(fd, text + len, cap - 1 - len)) > 0 || (n < 0 && errno == EINTR)) {
		len += n > 0 ? (size_t)n : 0;
		if (len + 1 >= cap) {
			text = realloc(text, cap *= 2);
			cr_assert(text);
		}
	}
	text[len] = '\0';
	return text;
}

/* umucg doctor [arg] as the user pw, without UMUCG_BASE. */
void run_as(const struct passwd *pw, const char *arg, struct th_result *r)
{
	const char *bin = getenv("UMUCG_BIN");
	cr_assert(bin);
	int out[2], err[2];
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(err, O_CLOEXEC), 0);
	pid_t child = fork();
	cr_assert(child >= 0);
	if (child == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
			_exit(91);
		dup2(out[1], 1);
		dup2(err[1], 2);
		unsetenv("UMUCG_BASE");
		execl(bin, bin, "doctor", arg, (char *)NULL);
		_exit(92);
	}
	close(out[1]);
	close(err[1]);
	/* doctor's output is far below a pipe's capacity: reading one pipe
	 * to its end, then the other, cannot block the writer */
	r->out = read_all(out[0]);
	r->err = read_all(err[0]);
	close(out[0]);
	close(err[0]);
	cr_assert_eq(waitpid(child, &r->status, 0), child);
	cr_assert(WIFEXITED(r->status), "status %d", r->status);
	r->code = WEXITSTATUS(r->status);
}
