/* cmd_kill.c - umucg kill: cgroup.kill now, or one signal to every process. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

static const char kill_help[] =
	"Usage: umucg kill NAME [--signal SIG]\n"
	"Kill every process of the group NAME at once with cgroup.kill (including\n"
	"processes forked meanwhile), or with --signal send SIG to each process.\n"
	"The group stays; 'umucg stop' also removes it.\n\n"
	"Options:\n"
	"  --signal SIG       a name (TERM, INT, HUP, USR1...) or number\n";

enum { OPT_SIGNAL = 0x100 };

static const struct option kill_options[] = {
	{ "signal", required_argument, NULL, OPT_SIGNAL },
	{ NULL, 0, NULL, 0 },
};

static int kill_option(void *ctx, int id, const char *arg)
{
	(void)id; /* OPT_SIGNAL */
	return cli_signal("--signal", arg, ctx);
}

int cmd_kill(struct cli_global *g, int argc, char **argv)
{
	int sig = 0;
	struct umucg_error err = { 0 };
	const struct cli_spec spec = {
		.cmd = "kill", .help = kill_help, .own = kill_options,
		.option = kill_option, .ctx = &sig,
	};
	struct cli_args a;
	const char *name;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_one_name("kill", argc, argv, &a, &name)))
		return r;

	struct umucg_base base;
	int code = EXIT_UMUCG;
	int fd = umucg_group_lookup(g->base, name, &base, &err);
	if (fd >= 0) {
		r = sig ? umucg_group_signal(fd, sig, &err)
			    : umucg_group_kill(fd, UMUCG_KILL_AUTO, &err);
		code = r < 0 ? EXIT_UMUCG : 0;
		close(fd);
	}
	if (code)
		cli_error(&err);
	umucg_base_release(&base);
	return code;
}
