/* cmd_join.c - umucg join: move this process into an existing group, then
 * exec CMD; nothing else, so that it works inside a sandbox that sees only
 * the group's directory (--path). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char join_help[] =
	"Usage: umucg join NAME [--path PATH] [--] CMD [ARG...]\n"
	"Move this process into the existing group NAME, then exec CMD in it.\n"
	"Nothing else happens: no supervision, no record, no cleanup.\n\n"
	"Options:\n"
	"  --path PATH        the group's absolute directory, as 'umucg create'\n"
	"                     printed it; the base is then not looked up (for\n"
	"                     sandboxes that see only that directory). NAME is then\n"
	"                     used only in messages.\n"
	"  --force            join a group inside another user's subtree (that user\n"
	"                     could then move, freeze and kill CMD)\n";

static const char join_help_tail[] =
	"\nExit status: CMD's own; 125 if joining failed; 126 if CMD is not\n"
	"executable; 127 if not found.\n";

enum { OPT_PATH = 0x100, OPT_FORCE };

static const struct option join_options[] = {
	{ "path", required_argument, NULL, OPT_PATH },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

struct join_opts {
	const char *path;
	bool force;
};

static int join_option(void *ctx, int id, const char *arg)
{
	struct join_opts *o = ctx;
	if (id == OPT_FORCE)
		o->force = true;
	else
		o->path = arg;
	return 0;
}

int cmd_join(struct cli_global *g, int argc, char **argv)
{
	struct join_opts o = { 0 };
	/* Options may come before and after NAME; CMD's own stay CMD's. */
	const struct cli_spec spec = {
		.cmd = "join", .help = join_help, .help_tail = join_help_tail,
		.own = join_options, .in_order = true, .leading = 1,
		.option = join_option, .ctx = &o,
	};
	struct cli_args a;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON)
		return r;
	if (a.nlead == 0)
		return cli_usage_error("join", "no group NAME given");
	const char *name = a.lead[0];
	if (a.rest >= argc)
		return cli_usage_error("join", "no command given");
	char **cmd = argv + a.rest;

	struct umucg_error err = { 0 };
	struct umucg_base base = { .fd = -1 };
	int fd;
	char where[4096];
	if (o.path)
		fd = umucg_open_dir_nofollow(o.path, &err);
	else
		fd = umucg_group_lookup(g->base, name, &base, &err);
	snprintf(where, sizeof where, "%s%s%s", o.path ? o.path : base.path ? base.path : "",
		 o.path ? "" : "/", o.path ? "" : name);
	umucg_base_release(&base);
	if (fd < 0 || (!o.force && umucg_dir_check_trusted(fd, where, &err) < 0) ||
	    umucg_join(fd, &err) < 0) {
		if (fd >= 0)
			close(fd);
		cli_error(&err);
		return EXIT_UMUCG;
	}
	close(fd);
	execvp(cmd[0], cmd);
	int e = errno;
	cli_errorf("%s: %s", cmd[0], strerror(e));
	return e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}
