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

enum { OPT_SIGNAL = 0x100, OPT_BASE, OPT_JSON, OPT_HELP };

static const struct option kill_options[] = {
	{ "signal", required_argument, NULL, OPT_SIGNAL },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

int cmd_kill(struct cli_global *g, int argc, char **argv)
{
	int sig = 0;
	struct umucg_error err = { 0 };
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", kill_options, NULL)) != -1) {
		if (c == OPT_SIGNAL) {
			if (umucg_parse_signal(optarg, &sig, &err) < 0) {
				cli_error(&err);
				return EXIT_UMUCG;
			}
		} else if (c == OPT_BASE) {
			g->base = optarg;
		} else if (c == OPT_JSON) {
			g->json = true;
		} else if (c == OPT_HELP) {
			return fputs(kill_help, stdout), 0;
		} else if (c == ':') {
			return cli_usage_error("kill", "%s: needs a value", argv[optind - 1]);
		} else {
			return cli_usage_error("kill", "%s: unknown option", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("kill", "no group NAME given");
	if (optind + 1 < argc)
		return cli_usage_error("kill", "%s: unexpected argument", argv[optind + 1]);

	struct umucg_base base;
	int code = EXIT_UMUCG;
	int fd = umucg_group_lookup(g->base, argv[optind], &base, &err);
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
