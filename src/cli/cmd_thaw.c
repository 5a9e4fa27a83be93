/* cmd_thaw.c - umucg thaw: cgroup.freeze, waiting for cgroup.events. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

static const char thaw_help[] =
	"Usage: umucg thaw NAME [--timeout S]\n"
	"Thaw the frozen group NAME (cgroup.freeze) and wait until cgroup.events\n"
	"says it runs again. A group that is not frozen is an error.\n\n"
	"Options:\n"
	"  --timeout S   how long to wait for the kernel (default 10 seconds)\n"
	"  --base PATH   where groups live (see umucg --help)\n"
	"  --help        this text\n";

enum { OPT_TIMEOUT = 0x100, OPT_BASE, OPT_JSON, OPT_HELP };

static const struct option thaw_options[] = {
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

int cmd_thaw(struct cli_global *g, int argc, char **argv)
{
	double timeout = 10;
	struct umucg_error err = { 0 };
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", thaw_options, NULL)) != -1) {
		if (c == OPT_TIMEOUT) {
			if (umucg_parse_duration(optarg, &timeout, &err) < 0) {
				cli_error(&err);
				return EXIT_UMUCG;
			}
		} else if (c == OPT_BASE) {
			g->base = optarg;
		} else if (c == OPT_JSON) {
			g->json = true;
		} else if (c == OPT_HELP) {
			return fputs(thaw_help, stdout), 0;
		} else if (c == ':') {
			return cli_usage_error("thaw", "%s: needs a value", argv[optind - 1]);
		} else {
			return cli_usage_error("thaw", "%s: unknown option", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("thaw", "no group NAME given");
	if (optind + 1 < argc)
		return cli_usage_error("thaw", "%s: unexpected argument", argv[optind + 1]);

	struct umucg_base base;
	int code = EXIT_UMUCG;
	int fd = umucg_group_lookup(g->base, argv[optind], &base, &err);
	if (fd >= 0 && umucg_group_freeze(fd, false, timeout, &err) == 0) {
		code = 0;
	} else {
		/* The library speaks of "the group": say which. */
		if (fd >= 0) {
			char msg[sizeof err.msg];
			snprintf(msg, sizeof msg, "%s", err.msg);
			snprintf(err.msg, sizeof err.msg, "group '%s': %.400s", argv[optind], msg);
		}
		cli_error(&err);
	}
	if (fd >= 0)
		close(fd);
	umucg_base_release(&base);
	return code;
}
