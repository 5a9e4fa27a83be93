/* options.c - the one option parser of every command: the shared options
 * (--base, --json, --help), LIMITS mapped by name, getopt's errors, and the
 * operands most commands take. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define TABLE_MAX 48

enum { OPT_BASE = 0x7f00, OPT_JSON, OPT_HELP, OPT_LIMIT };

static const char common_help[] =
	"  --base PATH        where groups live (see umucg --help)\n"
	"  --help             this text\n";

static const char limits_default_heading[] =
	"\nLimits (a controller that is missing here is warned about and left out,\n"
	"unless --strict):\n";

static const char limits_help[] =
	"  --mem SIZE         memory.high: throttle and reclaim above SIZE\n"
	"  --mem-max SIZE     memory.max: OOM-kill above SIZE\n"
	"  --swap-max SIZE    memory.swap.max\n"
	"  --pids N           pids.max: at most N processes and threads\n"
	"  --cpu-weight N     cpu.weight, 1..10000 (default 100)\n"
	"  --cpu-max PCT      cpu.max, e.g. 150% = one and a half CPUs\n"
	"  --io-weight N      io.weight, 1..10000 (default 100)\n"
	"  --mem-low SIZE     memory.low: protect SIZE of its memory from reclaim\n"
	"  --cpus LIST        cpuset.cpus: only these CPUs, e.g. 0-7,16-23\n"
	"SIZE: a number with an optional K, M, G or T suffix (powers of 1024),\n"
	"or max. Any limit can be max.\n";

static void print_help(const struct cli_spec *s)
{
	fputs(s->help, stdout);
	fputs(common_help, stdout);
	if (s->limits) {
		fputs(s->limits_heading ? s->limits_heading : limits_default_heading, stdout);
		fputs(limits_help, stdout);
	}
	if (s->help_tail)
		fputs(s->help_tail, stdout);
}

/* The command's own options, then the LIMITS (by name), then the shared
 * ones, in one getopt_long table. */
static int build_table(const struct cli_spec *s, struct option *t)
{
	size_t n = 0;
	for (const struct option *o = s->own; o && o->name; o++) {
		if (n >= TABLE_MAX - 12)
			return -1;
		t[n++] = *o;
	}
	for (unsigned i = 0; s->limits && umucg_limit_option(i); i++) {
		if (n >= TABLE_MAX - 4)
			return -1;
		t[n++] = (struct option){ umucg_limit_option(i), required_argument, NULL, OPT_LIMIT };
	}
	t[n++] = (struct option){ "base", required_argument, NULL, OPT_BASE };
	t[n++] = (struct option){ "json", no_argument, NULL, OPT_JSON };
	t[n++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	t[n] = (struct option){ NULL, 0, NULL, 0 };
	return 0;
}

static int one_option(struct cli_global *g, const struct cli_spec *s, const struct option *t,
		      int c, int index, char **argv)
{
	struct umucg_error err = { 0 };
	switch (c) {
	case OPT_BASE:
		g->base = optarg;
		return CLI_GO_ON;
	case OPT_JSON:
		g->json = true;
		return CLI_GO_ON;
	case OPT_HELP:
		print_help(s);
		return 0;
	case OPT_LIMIT:
		if (umucg_limits_parse_option(s->limits, t[index].name, optarg, &err) < 0) {
			cli_error(&err);
			return EXIT_UMUCG;
		}
		return CLI_GO_ON;
	case ':':
		if (optopt > 0 && optopt < 0x100)
			return cli_usage_error(s->cmd, "-%c: needs a value", optopt);
		return cli_usage_error(s->cmd, "%s: needs a value", argv[optind - 1]);
	case '?':
		/* optopt is the letter of an unknown short option, 0 for a long one */
		if (optopt > 0 && optopt < 0x100)
			return cli_usage_error(s->cmd, "-%c: unknown option", optopt);
		return cli_usage_error(s->cmd, "%s: unknown option", argv[optind - 1]);
	default: {
		int r = s->option ? s->option(s->ctx, c, optarg) : EXIT_UMUCG;
		return r == 0 ? CLI_GO_ON : r;
	}
	}
}

int cli_parse(struct cli_global *g, const struct cli_spec *s, int argc, char **argv,
	      struct cli_args *out)
{
	struct option table[TABLE_MAX];
	if (build_table(s, table) < 0)
		return cli_usage_error(s->cmd, "too many options (a bug)");
	memset(out, 0, sizeof *out);
	/* "+": options end at the first operand past the leading ones, so that
	 * CMD's own options stay CMD's; ':' tells a missing value from an
	 * unknown option. */
	const char *optstring = s->in_order ? "+:" : ":";
	char with_short[32];
	if (s->shortopts) { /* no snprintf: run's launch cost counts every call */
		size_t n = strlen(optstring), m = strlen(s->shortopts);
		if (n + m >= sizeof with_short)
			return cli_usage_error(s->cmd, "too many options (a bug)");
		memcpy(with_short, optstring, n);
		memcpy(with_short + n, s->shortopts, m + 1);
		optstring = with_short;
	}
	optind = 1;
	opterr = 0;
	for (;;) {
		int index = -1;
		int c = getopt_long(argc, argv, optstring, table, &index);
		if (c == -1) {
			bool dashes = optind > 1 && strcmp(argv[optind - 1], "--") == 0;
			if (dashes || optind >= argc || out->nlead >= s->leading)
				break;
			out->lead[out->nlead++] = argv[optind++];
			continue;
		}
		int r = one_option(g, s, table, c, index, argv);
		if (r != CLI_GO_ON)
			return r;
	}
	out->rest = optind;
	return CLI_GO_ON;
}

int cli_one_name(const char *cmd, int argc, char **argv, const struct cli_args *a,
		 const char **name)
{
	if (a->rest >= argc)
		return cli_usage_error(cmd, "no group NAME given");
	if (a->rest + 1 < argc)
		return cli_usage_error(cmd, "%s: unexpected argument", argv[a->rest + 1]);
	*name = argv[a->rest];
	return 0;
}

int cli_no_operands(const char *cmd, int argc, char **argv, const struct cli_args *a)
{
	if (a->rest < argc)
		return cli_usage_error(cmd, "%s: unexpected argument", argv[a->rest]);
	return 0;
}

int cli_duration(const char *opt, const char *arg, double *seconds)
{
	struct umucg_error err = { 0 };
	if (umucg_parse_duration(arg, seconds, &err) < 0) {
		cli_error_in(opt, &err);
		return EXIT_UMUCG;
	}
	return 0;
}

int cli_signal(const char *opt, const char *arg, int *sig)
{
	struct umucg_error err = { 0 };
	if (umucg_parse_signal(arg, sig, &err) < 0) {
		cli_error_in(opt, &err);
		return EXIT_UMUCG;
	}
	return 0;
}
