/* options.c - what every command's option parsing shares: --base, --json,
 * --help, getopt's errors, and the one NAME most commands take. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int cli_common_option(struct cli_global *g, int c, const char *cmd, const char *help,
		      char **argv)
{
	switch (c) {
	case CLI_OPT_BASE:
		g->base = optarg;
		return CLI_OPT_NEXT;
	case CLI_OPT_JSON:
		g->json = true;
		return CLI_OPT_NEXT;
	case CLI_OPT_HELP:
		fputs(help, stdout);
		return 0;
	case ':':
		return cli_usage_error(cmd, "%s: needs a value", argv[optind - 1]);
	case '?':
		return cli_usage_error(cmd, "%s: unknown option", argv[optind - 1]);
	default:
		return CLI_OPT_OWN;
	}
}

int cli_one_name(const char *cmd, int argc, char **argv, const char **name)
{
	if (optind >= argc)
		return cli_usage_error(cmd, "no group NAME given");
	if (optind + 1 < argc)
		return cli_usage_error(cmd, "%s: unexpected argument", argv[optind + 1]);
	*name = argv[optind];
	return 0;
}
