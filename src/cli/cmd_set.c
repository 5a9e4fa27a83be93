/* cmd_set.c - umucg set: change the limits of a live group. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

static const char set_help[] =
	"Usage: umucg set NAME LIMITS\n"
	"Change the limits of the group NAME while it runs. Only the limits given\n"
	"change; 'max' lifts one.\n\n"
	"Options:\n";

int cmd_set(struct cli_global *g, int argc, char **argv)
{
	struct umucg_limits limits = { 0 };
	const struct cli_spec spec = { .cmd = "set", .help = set_help, .limits = &limits };
	struct cli_args a;
	const char *name;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_one_name("set", argc, argv, &a, &name)))
		return r;
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
