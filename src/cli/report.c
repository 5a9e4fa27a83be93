/* report.c - the only place umucg prints errors and warnings; what they
 * echo (names, paths, commands, the kernel's words) is escaped (escape.c). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* One line on stderr: prefix, then text escaped, then a newline. */
static void line(const char *prefix, const char *what, const char *text)
{
	fputs(prefix, stderr);
	if (what) {
		cli_fputs_escaped(what, stderr);
		fputs(": ", stderr);
	}
	cli_fputs_escaped(text, stderr);
	fputc('\n', stderr);
}

static void error_lines(const char *what, const struct umucg_error *err)
{
	line("umucg: ", what, err->msg[0] ? err->msg : "unknown error");
	if (err->hint[0])
		line("hint: ", NULL, err->hint);
}

void cli_error(const struct umucg_error *err)
{
	error_lines(NULL, err);
}

void cli_error_in(const char *what, const struct umucg_error *err)
{
	error_lines(what, err);
}

void cli_warn(const struct umucg_error *w)
{
	fprintf(stderr, "umucg: warning: %s\n", w->msg[0] ? w->msg : "unknown problem");
	if (w->hint[0])
		fprintf(stderr, "hint: %s\n", w->hint);
}

void cli_errorf(const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	line("umucg: ", NULL, text);
}

void cli_warnf(const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	line("umucg: warning: ", NULL, text);
}

void cli_hintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("hint: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	line("umucg: ", cmd, text);
	fprintf(stderr, "hint: see 'umucg %s%s--help'\n", cmd ? cmd : "", cmd ? " " : "");
	return EXIT_UMUCG;
}

int cli_print_json(struct umucg_json *j, const char *cmd)
{
	const char *text;
	int r = umucg_json_finish(j, &text, NULL);
	if (r == 0)
		fputs(text, stdout);
	else
		cli_errorf("%s: JSON output: %s", cmd, strerror(-r));
	umucg_json_free(j);
	return r;
}
