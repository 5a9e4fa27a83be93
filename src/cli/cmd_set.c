/* cmd_set.c - umucg set: change the limits of a live group. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

static const char set_help[] =
	"Usage: umucg set NAME LIMITS\n"
	"Change the limits of the group NAME while it runs. Only the limits given\n"
	"change; 'max' lifts one.\n\n"
	CLI_LIMITS_HELP
	"\nOptions:\n"
	"  --base PATH   where groups live (see umucg --help)\n"
	"  --help        this text\n";

enum { OPT_BASE = 0x100, OPT_JSON, OPT_HELP };

static const struct option set_options[] = {
	CLI_LIMIT_LONGOPTS,
	{ "base", required_argument, NULL, OPT_BASE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

int cmd_set(struct cli_global *g, int argc, char **argv)
{
	struct umucg_limits limits = { 0 };
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", set_options, NULL)) != -1) {
		int r = 0;
		if (c >= CLI_OPT_LIMIT)
			r = cli_limit_option(&limits, c, optarg);
		else if (c == OPT_BASE)
			g->base = optarg;
		else if (c == OPT_JSON)
			g->json = true;
		else if (c == OPT_HELP)
			return fputs(set_help, stdout), 0;
		else if (c == ':')
			return cli_usage_error("set", "%s: needs a value", argv[optind - 1]);
		else
			return cli_usage_error("set", "%s: unknown option", argv[optind - 1]);
		if (r)
			return r;
	}
	if (optind >= argc)
		return cli_usage_error("set", "no group NAME given");
	if (optind + 1 < argc)
		return cli_usage_error("set", "%s: unexpected argument", argv[optind + 1]);
	if (!limits.set)
		return cli_usage_error("set", "no limit given");

	struct umucg_error err = { 0 };
	struct umucg_base base;
	const char *name = argv[optind];
	int code = EXIT_UMUCG;
	unsigned available = 0, want = umucg_limits_controllers(&limits);
	int fd = umucg_group_lookup(g->base, name, &base, &err);
	/* Every controller needed is checked before the first limit is written:
	 * one the base offers but has not enabled for its groups yet (the group
	 * was made with other limits) is enabled in the base first. */
	if (fd >= 0 && umucg_controllers_require(base.available, want, base.path, &err) == 0 &&
	    umucg_base_prepare(&base, want, &err) == 0 &&
	    umucg_controllers_read(fd, "cgroup.controllers", &available, &err) == 0 &&
	    umucg_controllers_require(available, want, name, &err) == 0 &&
	    umucg_limits_apply(fd, &limits, &err) == 0)
		code = 0;
	else
		cli_error(&err);
	if (fd >= 0)
		close(fd);
	umucg_base_release(&base);
	return code;
}
