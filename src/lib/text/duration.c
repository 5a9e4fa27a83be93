/* duration.c - DURATION arguments (--timeout, --grace): timeout(1)'s grammar. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int umucg_parse_duration(const char *s, double *seconds, struct umucg_error *err)
{
	const char *p = s;
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		goto bad;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			goto bad;
		while (isdigit((unsigned char)*p))
			p++;
	}
	double v = strtod(s, NULL), mult = 1;
	switch (*p) {
	case '\0': break;
	case 's': mult = 1; p++; break;
	case 'm': mult = 60; p++; break;
	case 'h': mult = 3600; p++; break;
	case 'd': mult = 86400; p++; break;
	default: goto bad;
	}
	if (*p)
		goto bad;
	v *= mult;
	/* timerfd takes a time_t; a century is more than any run needs */
	if (!isfinite(v) || v > 3155760000.0)
		return umucg_err(err, -ERANGE, "invalid duration '%s': too large", s);
	*seconds = v;
	return 0;
bad:
	umucg_err(err, -EINVAL, "invalid duration '%s'", s);
	return umucg_err_hint(err, "a duration is a number of seconds with an optional s, m, h or d suffix (e.g. 10, 1.5, 2m)");
}
