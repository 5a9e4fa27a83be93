/* limits.c - the LIMITS options of run, create and set. */
#include <getopt.h>

#include "cli.h"

int cli_limit_option(struct umucg_limits *limits, int val, const char *arg)
{
	const char *name = umucg_limit_option((unsigned)(val - CLI_OPT_LIMIT));
	struct umucg_error err = { 0 };
	if (!name || umucg_limits_parse_option(limits, name, arg, &err) < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	return 0;
}
