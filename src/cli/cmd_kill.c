/* cmd_kill.c - umucg kill: cgroup.kill now, or one signal to every process. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

static const char kill_help[] =
	"Usage: umucg kill NAME [--signal SIG] [--force]\n"
	"Kill every process of the group NAME at once with cgroup.kill (including\n"
	"processes forked meanwhile), or with --signal send SIG to each process.\n"
	"The group stays; 'umucg stop' also removes it. A directory that umucg did\n"
	"not make and a group that holds umucg's caller are refused unless --force.\n\n"
	"Options:\n"
	"  --signal SIG       a name (TERM, INT, HUP, USR1...) or number\n"
	"  --force            act even if umucg did not make it or it holds the caller\n";

enum { OPT_SIGNAL = 0x100, OPT_FORCE };

static const struct option kill_options[] = {
	{ "signal", required_argument, NULL, OPT_SIGNAL },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

struct kill_opts {
	int sig;
	bool force;
};

static int kill_option(void *ctx, int id, const char *arg)
{
	struct kill_opts *o = ctx;
	if (id == OPT_FORCE) {
		o->force = true;
		return 0;
	}
	return cli_signal("--signal", arg, &o->sig);
}

int cmd_kill(struct cli_global *g, int argc, char **argv)
{
	struct kill_opts o = { 0 };
	struct umucg_error err = { 0 };
	const struct cli_spec spec = {
		.cmd = "kill", .help = kill_help, .own = kill_options,
		.option = kill_option, .ctx = &o,
	};
	struct cli_args a;
	const char *name;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_one_name("kill", argc, argv, &a, &name)))
		return r;

	struct umucg_base base;
	int code = EXIT_UMUCG;
	int fd = umucg_group_lookup(g->base, name, &base, &err);
	if (fd >= 0 && cli_guard_group(g, "kill", name, fd, CLI_GUARD_RECORD | CLI_GUARD_CALLER,
				       o.force) != 0) {
		close(fd);
		umucg_base_release(&base);
		return EXIT_UMUCG;
	}
	if (fd >= 0) {
		r = o.sig ? umucg_group_signal(fd, o.sig, &err)
			  : umucg_group_kill(fd, UMUCG_KILL_AUTO, &err);
		code = r < 0 ? EXIT_UMUCG : 0;
		close(fd);
	}
	if (code)
		cli_error(&err);
	umucg_base_release(&base);
	return code;
}
