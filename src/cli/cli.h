/* cli.h - what the umucg command's files share. */
#ifndef UMUCG_CLI_H
#define UMUCG_CLI_H

#include <stdbool.h>

#include "umucg.h"

#define EXIT_UMUCG 125      /* umucg itself failed */
#define EXIT_TIMEDOUT 124   /* --timeout expired */
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND 127

/* Options given before the subcommand (and accepted after it). */
struct cli_global {
	const char *base;   /* --base, else $UMUCG_BASE, else NULL */
	bool json;
};

struct cli_command {
	const char *name;
	int (*run)(struct cli_global *g, int argc, char **argv);
	const char *summary;
};

/* report.c: "umucg: what: why" and "hint: ..." on stderr. */
void cli_error(const struct umucg_error *err);
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Finishes j, prints it to stdout (or the error), frees it; 0 or -errno. */
struct umucg_json;
int cli_print_json(struct umucg_json *j, const char *cmd);
/* The usage error of a subcommand: message, "try umucg CMD --help", 125. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* options.c: the options every command shares. Commands put
 * CLI_COMMON_LONGOPTS in their getopt_long table, start their optstring
 * with ':' (so that a missing value is told from an unknown option), and
 * pass each option to cli_common_option first. */
enum { CLI_OPT_BASE = 0x200, CLI_OPT_JSON, CLI_OPT_HELP };
#define CLI_COMMON_LONGOPTS                                    \
	{ "base", required_argument, NULL, CLI_OPT_BASE },     \
	{ "json", no_argument, NULL, CLI_OPT_JSON },           \
	{ "help", no_argument, NULL, CLI_OPT_HELP }
#define CLI_OPT_OWN (-1)  /* not a shared option: the command's own */
#define CLI_OPT_NEXT (-2) /* handled: parse on */
/* CLI_OPT_OWN, CLI_OPT_NEXT, or the exit code to return now (0 after
 * --help, 125 after a usage error). */
int cli_common_option(struct cli_global *g, int c, const char *cmd, const char *help,
		      char **argv);
/* The single NAME left after the options, or a usage error (125). */
int cli_one_name(const char *cmd, int argc, char **argv, const char **name);

/* limits.c: the LIMITS options shared by run, create and set. */
#define CLI_OPT_LIMIT 0x1000
#define CLI_LIMIT_LONGOPTS                                             \
	{ "mem", required_argument, NULL, CLI_OPT_LIMIT + 0 },         \
	{ "mem-max", required_argument, NULL, CLI_OPT_LIMIT + 1 },     \
	{ "swap-max", required_argument, NULL, CLI_OPT_LIMIT + 2 },    \
	{ "pids", required_argument, NULL, CLI_OPT_LIMIT + 3 },        \
	{ "cpu-weight", required_argument, NULL, CLI_OPT_LIMIT + 4 },  \
	{ "cpu-max", required_argument, NULL, CLI_OPT_LIMIT + 5 },     \
	{ "io-weight", required_argument, NULL, CLI_OPT_LIMIT + 6 }
#define CLI_LIMITS_HELP                                                        \
	"Limits:\n"                                                            \
	"  --mem SIZE         memory.high: throttle and reclaim above SIZE\n"   \
	"  --mem-max SIZE     memory.max: OOM-kill above SIZE\n"               \
	"  --swap-max SIZE    memory.swap.max\n"                               \
	"  --pids N           pids.max: at most N processes and threads\n"     \
	"  --cpu-weight N     cpu.weight, 1..10000 (default 100)\n"            \
	"  --cpu-max PCT      cpu.max, e.g. 150%% = one and a half CPUs\n"      \
	"  --io-weight N      io.weight, 1..10000 (default 100)\n"             \
	"SIZE: a number with an optional K, M, G or T suffix (powers of 1024),\n" \
	"or max. Any limit can be max.\n"
/* Parses the limit option val (CLI_OPT_LIMIT + i); 0, or prints and
 * returns 125. */
int cli_limit_option(struct umucg_limits *limits, int val, const char *arg);

/* Commands, one file each. */
int cmd_run(struct cli_global *g, int argc, char **argv);
/* managing groups (issue 4) */
int cmd_create(struct cli_global *g, int argc, char **argv);
int cmd_join(struct cli_global *g, int argc, char **argv);
int cmd_move(struct cli_global *g, int argc, char **argv);
int cmd_list(struct cli_global *g, int argc, char **argv);
int cmd_status(struct cli_global *g, int argc, char **argv);
int cmd_set(struct cli_global *g, int argc, char **argv);
int cmd_stop(struct cli_global *g, int argc, char **argv);
int cmd_kill(struct cli_global *g, int argc, char **argv);
int cmd_freeze(struct cli_global *g, int argc, char **argv);
int cmd_thaw(struct cli_global *g, int argc, char **argv);
int cmd_gc(struct cli_global *g, int argc, char **argv);
int cmd_setup(struct cli_global *g, int argc, char **argv);
int cmd_doctor(struct cli_global *g, int argc, char **argv);

#endif
