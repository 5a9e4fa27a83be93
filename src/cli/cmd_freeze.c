/* cmd_freeze.c - umucg freeze and umucg thaw: cgroup.freeze, waiting until
 * cgroup.events confirms. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

static const char freeze_help[] =
	"Usage: umucg freeze NAME [--timeout S]\n"
	"Freeze every process of the group NAME (cgroup.freeze) and wait until\n"
	"cgroup.events says frozen. A group already frozen is an error.\n\n"
	"Options:\n"
	"  --timeout S   how long to wait for the kernel (default 10 seconds)\n"
	"  --base PATH   where groups live (see umucg --help)\n"
	"  --help        this text\n";

static const char thaw_help[] =
	"Usage: umucg thaw NAME [--timeout S]\n"
	"Thaw the frozen group NAME (cgroup.freeze) and wait until cgroup.events\n"
	"says it runs again. A group that is not frozen is an error.\n\n"
	"Options:\n"
	"  --timeout S   how long to wait for the kernel (default 10 seconds)\n"
	"  --base PATH   where groups live (see umucg --help)\n"
	"  --help        this text\n";

enum { OPT_TIMEOUT = 0x100 };

static const struct option freeze_options[] = {
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

static int freeze_or_thaw(struct cli_global *g, int argc, char **argv, bool frozen)
{
	const char *cmd = frozen ? "freeze" : "thaw";
	double timeout = 10;
	struct umucg_error err = { 0 };
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":", freeze_options, NULL)) != -1) {
		int r = cli_common_option(g, c, cmd, frozen ? freeze_help : thaw_help, argv);
		if (r == CLI_OPT_NEXT)
			continue;
		if (r != CLI_OPT_OWN)
			return r;
		/* OPT_TIMEOUT */
		if (umucg_parse_duration(optarg, &timeout, &err) < 0) {
			cli_error(&err);
			return EXIT_UMUCG;
		}
	}
	const char *name;
	int r = cli_one_name(cmd, argc, argv, &name);
	if (r)
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
