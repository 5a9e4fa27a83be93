/* report.c - the only place umucg prints errors and warnings. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_error(const struct umucg_error *err)
{
	fprintf(stderr, "umucg: %s\n", err->msg[0] ? err->msg : "unknown error");
	if (err->hint[0])
		fprintf(stderr, "hint: %s\n", err->hint);
}

void cli_error_in(const char *what, const struct umucg_error *err)
{
	fprintf(stderr, "umucg: %s: %s\n", what, err->msg[0] ? err->msg : "unknown error");
	if (err->hint[0])
		fprintf(stderr, "hint: %s\n", err->hint);
}

void cli_warn(const struct umucg_error *w)
{
	fprintf(stderr, "umucg: warning: %s\n", w->msg[0] ? w->msg : "unknown problem");
	if (w->hint[0])
		fprintf(stderr, "hint: %s\n", w->hint);
}

void cli_errorf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("umucg: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void cli_warnf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("umucg: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
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
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "umucg: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nhint: see 'umucg %s%s--help'\n", cmd ? cmd : "", cmd ? " " : "");
	va_end(ap);
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
