/* error.c - filling the caller's struct umucg_error. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

int umucg_err(struct umucg_error *err, int code, const char *fmt, ...)
{
	if (code > 0)
		code = -code;
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		err->hint[0] = '\0';
		err->code = code;
	}
	return code;
}

int umucg_err_hint(struct umucg_error *err, const char *fmt, ...)
{
	if (!err)
		return -EINVAL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof err->hint, fmt, ap);
	va_end(ap);
	return err->code;
}

int umucg_err_prefix(struct umucg_error *err, const char *fmt, ...)
{
	if (!err)
		return -EINVAL;
	char prefix[256], msg[sizeof err->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof msg, "%s", err->msg);
	/* Too long a message loses its end, never its start. */
	int n = snprintf(err->msg, sizeof err->msg, "%s: ", prefix);
	if (n > 0 && (size_t)n < sizeof err->msg - 1) {
		size_t used = (size_t)n, keep = strnlen(msg, sizeof err->msg - 1 - used);
		memcpy(err->msg + used, msg, keep);
		err->msg[used + keep] = '\0';
	}
	return err->code;
}
