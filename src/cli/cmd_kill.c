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
	"  --signal SIG   a name (TERM, INT, HUP, USR1...) or number\n"
	"  --base PATH    where groups live (see umucg --help)\n"
	"  --help         this text\n";

enum { OPT_SIGNAL = 0x100 };

static const struct option kill_options[] = {
	{ "signal", required_argument, NULL, OPT_SIGNAL },
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

int cmd_kill(struct cli_global *g, int argc, char **argv)
{
	int sig = 0;
	struct umucg_error err = { 0 };
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":", kill_options, NULL)) != -1) {
		int common = cli_common_option(g, c, "kill", kill_help, argv);
		if (common == CLI_OPT_NEXT)
			continue;
		if (common != CLI_OPT_OWN)
			return common;
		if (c == OPT_SIGNAL) {
			if (umucg_parse_signal(optarg, &sig, &err) < 0) {
				cli_error(&err);
				return EXIT_UMUCG;
			}
		}
	}
	const char *name;
	int bad = cli_one_name("kill", argc, argv, &name);
	if (bad)
		return bad;

	struct umucg_base base;
	int code = EXIT_UMUCG;
	int fd = umucg_group_lookup(g->base, name, &base, &err);
	if (fd >= 0) {
		int r = sig ? umucg_group_signal(fd, sig, &err)
			    : umucg_group_kill(fd, UMUCG_KILL_AUTO, &err);
		code = r < 0 ? EXIT_UMUCG : 0;
		close(fd);
	}
	if (code)
		cli_error(&err);
	umucg_base_release(&base);
	return code;
}
