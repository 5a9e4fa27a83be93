/* cmd_freeze.c - umucg freeze and umucg thaw: cgroup.freeze, waiting until
 * cgroup.events confirms. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

static const char freeze_help[] =
	"Usage: umucg freeze NAME [--timeout D] [--force]\n"
	"Freeze every process of the group NAME (cgroup.freeze) and wait until\n"
	"cgroup.events says frozen. A group already frozen is an error. A\n"
	"directory that umucg did not make is refused unless --force; a group that\n"
	"holds umucg's caller (your shell) is always refused: nobody could thaw it\n"
	"from inside.\n\n"
	"Options:\n"
	"  --timeout D        how long to wait for the kernel (default 10s)\n"
	"  --force            freeze it even if umucg did not make it\n";

static const char thaw_help[] =
	"Usage: umucg thaw NAME [--timeout D] [--force]\n"
	"Thaw the frozen group NAME (cgroup.freeze) and wait until cgroup.events\n"
	"says it runs again. A group that is not frozen is an error. A directory\n"
	"that umucg did not make is refused unless --force.\n\n"
	"Options:\n"
	"  --timeout D        how long to wait for the kernel (default 10s)\n"
	"  --force            thaw it even if umucg did not make it\n";

enum { OPT_TIMEOUT = 0x100, OPT_FORCE };

static const struct option freeze_options[] = {
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

struct freeze_opts {
	double timeout;
	bool force;
};

static int freeze_option(void *ctx, int id, const char *arg)
{
	struct freeze_opts *o = ctx;
	if (id == OPT_FORCE) {
		o->force = true;
		return 0;
	}
	return cli_duration("--timeout", arg, &o->timeout);
}

static int freeze_or_thaw(struct cli_global *g, int argc, char **argv, bool frozen)
{
	const char *cmd = frozen ? "freeze" : "thaw";
	struct freeze_opts o = { .timeout = 10 };
	struct umucg_error err = { 0 };
	const struct cli_spec spec = {
		.cmd = cmd, .help = frozen ? freeze_help : thaw_help, .own = freeze_options,
		.option = freeze_option, .ctx = &o,
	};
	struct cli_args a;
	const char *name;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_one_name(cmd, argc, argv, &a, &name)))
		return r;

	struct umucg_base base;
	int code = EXIT_UMUCG;
	int fd = umucg_group_lookup(g->base, name, &base, &err);
	/* Thawing the caller's own group cannot hurt: it is not frozen, or
	 * nothing in it could be running this. */
	unsigned checks = CLI_GUARD_RECORD | (frozen ? CLI_GUARD_CALLER_ALWAYS : 0);
	if (fd >= 0 && cli_guard_group(g, cmd, name, fd, checks, o.force) != 0) {
		code = EXIT_UMUCG;
	} else if (fd >= 0 && umucg_group_freeze(fd, frozen, o.timeout, &err) == 0) {
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
