/* cmd_move.c - umucg move: move processes (with --tree their descendants)
 * into a group. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

static const char move_help[] =
	"Usage: umucg move NAME PID... [--tree]\n"
	"Move the processes PID... into the group NAME. Every PID is checked\n"
	"first: if one does not exist or is not yours, nothing moves.\n\n"
	"Options:\n"
	"  --tree             move all their descendants too; the group is frozen\n"
	"                     while the tree is rescanned, so that no child forked\n"
	"                     meanwhile is lost\n"
	"  --force            move into a group inside another user's subtree (that\n"
	"                     user could then move, freeze and kill the processes)\n";

enum { OPT_TREE = 0x100, OPT_FORCE };

static const struct option move_options[] = {
	{ "tree", no_argument, NULL, OPT_TREE },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

static int move_option(void *ctx, int id, const char *arg)
{
	(void)arg;
	bool *flags = ctx; /* [0] --tree, [1] --force */
	flags[id == OPT_FORCE] = true;
	return 0;
}

int cmd_move(struct cli_global *g, int argc, char **argv)
{
	bool flags[2] = { false, false }; /* --tree, --force */
	const struct cli_spec spec = {
		.cmd = "move", .help = move_help, .own = move_options,
		.option = move_option, .ctx = flags,
	};
	struct cli_args a;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON)
		return r;
	int next = a.rest;
	if (next >= argc)
		return cli_usage_error("move", "no group NAME given");
	const char *name = argv[next++];
	if (next >= argc)
		return cli_usage_error("move", "no PID given");
	size_t n = (size_t)(argc - next);
	pid_t *pids = calloc(n, sizeof *pids);
	if (!pids) {
		cli_errorf("move: out of memory");
		return EXIT_UMUCG;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = argv[next + (int)i];
		char *end;
		long v = strtol(s, &end, 10);
		if (s[0] < '0' || s[0] > '9' || *end || v <= 0 || v > 0x7fffffff) {
			free(pids);
			return cli_usage_error("move", "%s: not a process id", s);
		}
		pids[i] = (pid_t)v;
	}
	struct umucg_error err = { 0 };
	struct umucg_base base;
	int code = 0;
	int fd = umucg_group_lookup(g->base, name, &base, &err);
	char where[4096];
	snprintf(where, sizeof where, "%s/%s", base.path ? base.path : "", name);
	if (fd < 0 || (!flags[1] && umucg_dir_check_trusted(fd, where, &err) < 0) ||
	    umucg_move(fd, pids, n, flags[0], &err) < 0) {
		cli_error(&err);
		code = EXIT_UMUCG;
	}
	if (fd >= 0)
		close(fd);
	umucg_base_release(&base);
	free(pids);
	return code;
}
