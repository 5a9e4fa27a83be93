/* cmd_freeze.c - umucg freeze and umucg thaw: cgroup.freeze, waiting until
 * cgroup.events confirms. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

static const char freeze_help[] =
	"Usage: umucg freeze NAME [--timeout D]\n"
	"Freeze every process of the group NAME (cgroup.freeze) and wait until\n"
	"cgroup.events says frozen. A group already frozen is an error.\n\n"
	"Options:\n"
	"  --timeout D        how long to wait for the kernel (default 10s)\n";

static const char thaw_help[] =
	"Usage: umucg thaw NAME [--timeout D]\n"
	"Thaw the frozen group NAME (cgroup.freeze) and wait until cgroup.events\n"
	"says it runs again. A group that is not frozen is an error.\n\n"
	"Options:\n"
	"  --timeout D        how long to wait for the kernel (default 10s)\n";

enum { OPT_TIMEOUT = 0x100 };

static const struct option freeze_options[] = {
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ NULL, 0, NULL, 0 },
};

static int freeze_option(void *ctx, int id, const char *arg)
{
	(void)id; /* OPT_TIMEOUT */
	return cli_duration("--timeout", arg, ctx);
}

static int freeze_or_thaw(struct cli_global *g, int argc, char **argv, bool frozen)
{
	const char *cmd = frozen ? "freeze" : "thaw";
	double timeout = 10;
	struct umucg_error err = { 0 };
	const struct cli_spec spec = {
		.cmd = cmd, .help = frozen ? freeze_help : thaw_help, .own = freeze_options,
		.option = freeze_option, .ctx = &timeout,
	};
	struct cli_args a;
	const char *name;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_one_name(cmd, argc, argv, &a, &name)))
		return r;

	struct umucg_base base;
	int code = EXIT_UMUCG;
	int fd = umucg_group_lookup(g->base, name, &base, &err);
	if (fd >= 0 && umucg_group_freeze(fd, frozen, timeout, &err) == 0) {
		code = 0;
	} else {
		/* The library speaks of "the group": say which. */
		if (fd >= 0) {
			char msg[sizeof err.msg];
			snprintf(msg, sizeof msg, "%s", err.msg);
			snprintf(err.msg, sizeof err.msg, "group '%s': %.400s", name, msg);
		}
		cli_error(&err);
	}
	if (fd >= 0)
		close(fd);
	umucg_base_release(&base);
	return code;
}

int cmd_freeze(struct cli_global *g, int argc, char **argv)
{
	return freeze_or_thaw(g, argc, argv, true);
}

int cmd_thaw(struct cli_global *g, int argc, char **argv)
{
	return freeze_or_thaw(g, argc, argv, false);
}
