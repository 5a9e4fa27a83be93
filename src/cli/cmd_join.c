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
	"  --path PATH   the group's absolute directory, as 'umucg create' printed\n"
	"                it; the base is then not looked up (for sandboxes that\n"
	"                see only that directory). NAME is used only in messages.\n"
	"  --base PATH   where groups live (see umucg --help)\n"
	"  --help        this text\n\n"
	"Exit status: CMD's own; 125 if joining failed; 126 if CMD is not\n"
	"executable; 127 if not found.\n";

/* "--opt VALUE" or "--opt=VALUE"; returns the value or NULL. */
static const char *option_value(char **argv, int argc, int *i, const char *opt)
{
	size_t len = strlen(opt);
	if (strncmp(argv[*i], opt, len) != 0)
		return NULL;
	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (argv[*i][len] != '\0' || *i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

int cmd_join(struct cli_global *g, int argc, char **argv)
{
	const char *name = NULL, *path = NULL, *v;
	int i = 1;
	/* By hand, not getopt: CMD's own options must stay untouched. */
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--help") == 0) {
			return fputs(join_help, stdout), 0;
		} else if (strcmp(a, "--json") == 0) {
			g->json = true;
		} else if ((v = option_value(argv, argc, &i, "--path"))) {
			path = v;
		} else if ((v = option_value(argv, argc, &i, "--base"))) {
			g->base = v;
		} else if (a[0] == '-' && a[1] == '-') {
			return cli_usage_error("join", "%s: unknown option or missing value", a);
		} else if (!name) {
			name = a;
		} else {
			break;
		}
	}
	if (!name)
		return cli_usage_error("join", "no group NAME given");
	if (i >= argc)
		return cli_usage_error("join", "no command given");
	char **cmd = argv + i;

	struct umucg_error err = { 0 };
	struct umucg_base base = { .fd = -1 };
	int fd;
	if (path)
		fd = umucg_open_dir_nofollow(path, &err);
	else
		fd = umucg_group_lookup(g->base, name, &base, &err);
	umucg_base_release(&base);
	if (fd < 0 || umucg_join(fd, &err) < 0) {
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
