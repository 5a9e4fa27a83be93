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


static const struct option set_options[] = {
	CLI_LIMIT_LONGOPTS,
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

int cmd_set(struct cli_global *g, int argc, char **argv)
{
	struct umucg_limits limits = { 0 };
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":", set_options, NULL)) != -1) {
		int r = cli_common_option(g, c, "set", set_help, argv);
		if (r == CLI_OPT_NEXT)
			continue;
		if (r != CLI_OPT_OWN)
			return r;
		r = cli_limit_option(&limits, c, optarg);
		if (r)
			return r;
	}
	const char *name;
	int bad = cli_one_name("set", argc, argv, &name);
	if (bad)
		return bad;
	if (!limits.set)
		return cli_usage_error("set", "no limit given");

	struct umucg_error err = { 0 };
	struct umucg_base base;
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
