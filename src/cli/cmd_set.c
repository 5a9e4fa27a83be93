/* cmd_set.c - umucg set: change the limits of a live group. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

static const char set_help[] =
	"Usage: umucg set NAME LIMITS [--force]\n"
	"Change the limits of the group NAME while it runs. Only the limits given\n"
	"change; 'max' lifts one. A directory that umucg did not make is refused\n"
	"unless --force.\n\n"
	"Options:\n"
	"  --force            change it even if umucg did not make it\n";

enum { OPT_FORCE = 0x100 };

static const struct option set_options[] = {
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

static int set_option(void *ctx, int id, const char *arg)
{
	(void)id; /* OPT_FORCE */
	(void)arg;
	*(bool *)ctx = true;
	return 0;
}

int cmd_set(struct cli_global *g, int argc, char **argv)
{
	struct umucg_limits limits = { 0 };
	bool force = false;
	const struct cli_spec spec = {
		.cmd = "set", .help = set_help, .limits = &limits,
		.limits_heading = "\nLimits (one whose controller is missing here is an error):\n",
		.own = set_options,
		.option = set_option, .ctx = &force,
	};
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
	if (fd >= 0 && cli_guard_group(g, "set", name, fd, CLI_GUARD_RECORD, force) != 0) {
		close(fd);
		umucg_base_release(&base);
		return EXIT_UMUCG;
	}
	/* Every controller needed is checked before the first limit is written:
	 * one the base offers but has not enabled for its groups yet (the group
	 * was made with other limits) is enabled in the base first. */
	if (fd >= 0 && umucg_controllers_require(base.available, want, base.path, &err) == 0 &&
	    umucg_base_prepare(&base, want, &err) == 0 &&
	    umucg_limits_check(base.fd, &limits, &err) == 0 &&
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
