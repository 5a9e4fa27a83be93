/* cmd_gc.c - umucg gc: remove the empty groups nobody will clean up. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char gc_help[] =
	"Usage: umucg gc [--min-age D] [--json]\n"
	"Remove the empty groups under the base whose manager ('umucg run') is\n"
	"gone, and the empty groups made by 'umucg create' (which have no manager)\n"
	"that are older than D (default 10m), so that a group made for a sandbox\n"
	"that has not joined it yet survives. Groups with processes, with child\n"
	"groups, or with no umucg record are left alone. Prints nothing, or with\n"
	"--json the names removed.\n\n"
	"Options:\n"
	"  --min-age D        minimum age of an empty created group (s, m, h, d)\n"
	"  --json             print {\"removed\": [NAME...]}\n";

enum { OPT_MIN_AGE = 0x100 };

static const struct option gc_options[] = {
	{ "min-age", required_argument, NULL, OPT_MIN_AGE },
	{ NULL, 0, NULL, 0 },
};

static int gc_option(void *ctx, int id, const char *arg)
{
	(void)id; /* OPT_MIN_AGE */
	return cli_duration("--min-age", arg, ctx);
}

static int print_removed(char **names, size_t n)
{
	struct umucg_json j;
	umucg_json_init(&j);
	umucg_json_begin_object(&j);
	umucg_json_key(&j, "removed");
	umucg_json_begin_array(&j);
	for (size_t i = 0; i < n; i++)
		umucg_json_string(&j, names[i]);
	umucg_json_end_array(&j);
	umucg_json_end_object(&j);
	return cli_print_json(&j, "gc");
}

int cmd_gc(struct cli_global *g, int argc, char **argv)
{
	double min_age = 600;
	struct umucg_error err = { 0 };
	const struct cli_spec spec = {
		.cmd = "gc", .help = gc_help, .own = gc_options,
		.option = gc_option, .ctx = &min_age,
	};
	struct cli_args a;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_no_operands("gc", argc, argv, &a)))
		return r;

	struct umucg_base base;
	if (umucg_base_resolve(g->base, &base, &err) < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	char **removed = NULL;
	size_t n = 0;
	int code = 0;
	if (base.fd >= 0 && umucg_gc(&g->store, base.fd, min_age, &removed, &n, &err) < 0) {
		cli_error(&err);
		code = EXIT_UMUCG;
	} else if (g->json && print_removed(removed, n) < 0) {
		code = EXIT_UMUCG;
	}
	if (fflush(stdout) != 0)
		code = EXIT_UMUCG;
	umucg_names_free(removed, n);
	umucg_base_release(&base);
	return code;
}
