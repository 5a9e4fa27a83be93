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
