/* recorder.c - see recorder.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "recorder.h"

const char *th_rec_bin(void)
{
	static char path[PATH_MAX];
	const char *top = getenv("UMUCG_TOP_BUILDDIR");
	cr_assert(top && *top, "UMUCG_TOP_BUILDDIR is not set: run the tests through 'make check'");
	snprintf(path, sizeof path, "%s/tests/integ/sigrecorder", top);
	return path;
}

void th_rec_make(struct th_rec *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->dir, sizeof r->dir, "%s/umucg-test-rec-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	cr_assert(mkdtemp(r->dir), "mkdtemp: %m");
}

void th_rec_discard(struct th_rec *r)
{
	if (!r->dir[0])
		return;
	static const char *const names[] = { "main", "daemon" };
	static const char *const suffixes[] = { "", ".ready", ".ready.tmp", ".exit", ".polite-term" };
	for (size_t i = 0; i < 2; i++)
		for (size_t j = 0; j < sizeof suffixes / sizeof *suffixes; j++) {
			char path[PATH_MAX + 32];
			snprintf(path, sizeof path, "%s/%s%s", r->dir, names[i], suffixes[j]);
			unlink(path);
		}
	rmdir(r->dir);
	r->dir[0] = '\0';
}

static void write_file(const struct th_rec *r, const char *name, const char *text)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 40];
	snprintf(path, sizeof path, "%s/%s", r->dir, name);
	snprintf(tmp, sizeof tmp, "%s.t", path);
	FILE *f = fopen(tmp, "w");
	cr_assert(f && fputs(text, f) >= 0 && fclose(f) == 0, "%s: %m", tmp);
	cr_assert_eq(rename(tmp, path), 0, "%s: %m", path);
}

void th_rec_polite_term(const struct th_rec *r, const char *role)
{
	char name[64];
	snprintf(name, sizeof name, "%s.polite-term", role);
	write_file(r, name, "");
}

void th_rec_exit(const struct th_rec *r, const char *role, int code)
{
	char name[64], text[16];
	snprintf(name, sizeof name, "%s.exit", role);
	snprintf(text, sizeof text, "%d\n", code);
	write_file(r, name, text);
}

static pid_t ready_pid(const struct th_rec *r, const char *role)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/%s.ready", r->dir, role);
	FILE *f = fopen(path, "r");
	int pid = 0;
	if (f) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	return (pid_t)pid;
}

bool th_rec_wait_ready(struct th_rec *r, double timeout)
{
	double end = th_now() + timeout;
	do {
		r->main = ready_pid(r, "main");
		r->daemon = ready_pid(r, "daemon");
		if (r->main > 0 && r->daemon > 0)
			return true;
		usleep(5000);
	} while (th_now() < end);
	return false;
}

static int count_lines(const struct th_rec *r, const char *role, int sig)
{
	char path[PATH_MAX + 32], line[32];
	snprintf(path, sizeof path, "%s/%s", r->dir, role);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int n = 0;
	while (fgets(line, sizeof line, f))
		if (sig == 0 || atoi(line) == sig)
			n++;
	fclose(f);
	return n;
}

int th_rec_count(const struct th_rec *r, const char *role, int sig)
{
	return count_lines(r, role, sig);
}

const char *th_rec_text(const struct th_rec *r, const char *role)
{
	static char text[4096];
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/%s", r->dir, role);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
	if (f)
		fclose(f);
	text[n] = '\0';
	return text;
}

int th_rec_total(const struct th_rec *r, const char *role)
{
	return count_lines(r, role, 0);
}

bool th_rec_wait_count(const struct th_rec *r, const char *role, int sig, int want,
		       double timeout)
{
	double end = th_now() + timeout;
	do {
		if (count_lines(r, role, sig) >= want)
			return true;
		usleep(5000);
	} while (th_now() < end);
	return false;
}

char th_proc_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

bool th_alive(pid_t pid)
{
	char s = th_proc_state(pid);
	return s && s != 'Z' && s != 'X';
}

bool th_wait_gone(pid_t pid, double timeout)
{
	double end = th_now() + timeout;
	do {
		if (!th_alive(pid))
			return true;
		usleep(5000);
	} while (th_now() < end);
	return false;
}
