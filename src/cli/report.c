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
	line("umucg: warning: ", NULL, w->msg[0] ? w->msg : "unknown problem");
	if (w->hint[0])
		line("hint: ", NULL, w->hint);
}

/* A formatted line, escaped like the others. */
static void vline(const char *prefix, const char *fmt, va_list ap)
{
	char text[2048];
	vsnprintf(text, sizeof text, fmt, ap);
	line(prefix, NULL, text);
}

void cli_errorf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline("umucg: ", fmt, ap);
	va_end(ap);
}

void cli_warnf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline("umucg: warning: ", fmt, ap);
	va_end(ap);
}

void cli_hintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline("hint: ", fmt, ap);
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
