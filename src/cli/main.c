/* main.c - umucg's entry point: global options, then one subcommand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "run", cmd_run, "run CMD in a new group and supervise its whole tree" },
	{ "create", cmd_create, "make a group, print its absolute path" },
	{ "join", cmd_join, "move itself into a group, then exec CMD" },
	{ "move", cmd_move, "move processes (--tree: with all descendants) into a group" },
	{ "list", cmd_list, "groups under the base, with usage" },
	{ "status", cmd_status, "limits, usage, peaks, events and process tree of a group" },
	{ "top", cmd_top, "live view of every group: CPU, memory, IO, pressure" },
	{ "set", cmd_set, "change limits of a live group" },
	{ "stop", cmd_stop, "signal a group, wait, then cgroup.kill, and remove it" },
	{ "kill", cmd_kill, "cgroup.kill now (or send a signal to every process)" },
	{ "freeze", cmd_freeze, "freeze every process of a group (cgroup.freeze)" },
	{ "thaw", cmd_thaw, "thaw a frozen group" },
	{ "gc", cmd_gc, "remove empty groups whose manager is gone (--stop: end them)" },
	{ "setup", cmd_setup, "(root) prepare the base; delegate a subtree to a user" },
	{ "doctor", cmd_doctor, "explain what works here, what does not, and the fix" },
};

static void print_help(FILE *out)
{
	fprintf(out,
		"Usage: umucg [--base PATH] [--json] COMMAND [ARGS...]\n"
		"cgroup-v2 groups for process trees, without systemd.\n\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\nGlobal options (also accepted after COMMAND):\n"
		"  --base PATH  where groups live (default: $UMUCG_BASE, else\n"
		"               <cgroup2>/umucg/system for root, else the caller's\n"
		"               delegated subtree)\n"
		"  --json       machine-readable output where a command prints any\n"
		"  --help       this text; 'umucg COMMAND --help' for a command\n"
		"  --version    the version\n\n"
		"Exit status of run: CMD's own; 128+N when CMD died of signal N;\n"
		"124 timeout; 125 umucg failed; 126 CMD not executable; 127 not found.\n");
}

int cli_global_from_env(struct cli_global *g)
{
	g->base = getenv("UMUCG_BASE");
	const char *where = getenv("UMUCG_META");
	if (!where || !*where || strcmp(where, "auto") == 0)
		g->store.where = UMUCG_META_AUTO;
	else if (strcmp(where, "xattr") == 0)
		g->store.where = UMUCG_META_XATTR;
	else if (strcmp(where, "file") == 0)
		g->store.where = UMUCG_META_FILE;
	else
		return cli_usage_error(NULL, "UMUCG_META=%s: expected auto, xattr or file", where);
	const char *dir = getenv("UMUCG_META_DIR"), *xdg = getenv("XDG_RUNTIME_DIR");
	int n = 0;
	if (dir && *dir)
		n = snprintf(g->store_dir, sizeof g->store_dir, "%s", dir);
	else if (geteuid() != 0 && xdg && xdg[0] == '/')
		n = snprintf(g->store_dir, sizeof g->store_dir, "%s/umucg-meta", xdg);
	if (n < 0 || (size_t)n >= sizeof g->store_dir || (n && g->store_dir[0] != '/'))
		return cli_usage_error(NULL, "UMUCG_META_DIR or XDG_RUNTIME_DIR: not an absolute path");
	g->store.dir = n ? g->store_dir : NULL;
	return 0;
}

int main(int argc, char **argv)
{
	static struct cli_global g;
	int i = cli_global_from_env(&g);
	if (i)
		return i;
	i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			print_help(stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			printf("umucg %s\n", PACKAGE_VERSION);
			return 0;
		} else if (strcmp(a, "--json") == 0) {
			g.json = true;
		} else if (strcmp(a, "--base") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error(NULL, "--base: needs a PATH");
			g.base = argv[++i];
		} else if (strncmp(a, "--base=", 7) == 0) {
			g.base = a + 7;
		} else {
			return cli_usage_error(NULL, "%s: unknown option", a);
		}
	}
	if (i >= argc) {
		print_help(stderr);
		return EXIT_UMUCG;
	}
	for (size_t c = 0; c < sizeof commands / sizeof *commands; c++)
		if (strcmp(argv[i], commands[c].name) == 0)
			return commands[c].run(&g, argc - i, argv + i);
	return cli_usage_error(NULL, "%s: unknown command", argv[i]);
}
