/* cli.h - what the umucg command's files share. */
#ifndef UMUCG_CLI_H
#define UMUCG_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "umucg.h"

#define EXIT_UMUCG 125      /* umucg itself failed */
#define EXIT_TIMEDOUT 124   /* --timeout expired */
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND 127

/* Options given before the subcommand (and accepted after it). */
struct cli_global {
	const char *base;   /* --base, else $UMUCG_BASE, else NULL */
	bool json;
	/* Where group records go: $UMUCG_META (auto, xattr, file: for tests)
	 * and $UMUCG_META_DIR, else $XDG_RUNTIME_DIR/umucg-meta for users. */
	struct umucg_meta_store store;
	char store_dir[4096];
};

/* main.c: reads the environment into g (UMUCG_BASE, UMUCG_META...); 125
 * after printing when a value is bad, else 0. */
int cli_global_from_env(struct cli_global *g);

struct cli_command {
	const char *name;
	int (*run)(struct cli_global *g, int argc, char **argv);
	const char *summary;
};

/* report.c: "umucg: what: why" and "hint: ..." on stderr. */
void cli_error(const struct umucg_error *err);
/* The error with "WHAT: " before its message. */
void cli_error_in(const char *what, const struct umucg_error *err);
/* A warning with its hint: "umucg: warning: what: why", "hint: ...". */
void cli_warn(const struct umucg_error *w);
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "hint: ..." on stderr, after an error or warning printed another way. */
void cli_hintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Finishes j, prints it to stdout (or the error), frees it; 0 or -errno. */
struct umucg_json;
int cli_print_json(struct umucg_json *j, const char *cmd);
/* The usage error of a subcommand: message, "try umucg CMD --help", 125. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* escape.c: text for a terminal. Printable ASCII and valid UTF-8 pass;
 * a backslash is doubled; \a \b \t \n \v \f \r and ESC (\e) get their C
 * escapes; other C0 bytes, DEL and each byte of invalid UTF-8 become \xNN;
 * C1 controls (U+0080..U+009F) and the bidirectional and zero-width format
 * characters become \uNNNN. Everything umucg prints for people that it did
 * not write itself (names, paths, commands, argv, kernel text) goes through
 * one of these; --json output has its own escaping. */
/* Escapes s into out (cap bytes, NUL-terminated, cut between whole escaped
 * characters); returns the length the whole escaped text needs. */
size_t cli_escape(char *out, size_t cap, const char *s);
/* The escaped text, malloc'd (NULL when out of memory). */
char *cli_escape_dup(const char *s);
void cli_fputs_escaped(const char *s, FILE *f);

/* options.c: the one option parser of every command. A command describes
 * itself in a cli_spec; cli_parse handles --base, --json and --help (the
 * help is spec->help, then the shared options, the LIMITS when the command
 * takes them, then spec->help_tail), parses LIMITS into spec->limits by
 * option name, reports unknown options and missing values (125), and hands
 * every other option to spec->option. */
struct cli_spec {
	const char *cmd;             /* "stop": for messages */
	const char *help;            /* usage, description, the command's own options */
	const char *help_tail;       /* after the shared options and LIMITS, or NULL */
	const struct option *own;    /* the command's own options (val >= 0x100), or NULL */
	const char *shortopts;       /* getopt letters of its short options ("bn:d:"),
				      * handed to option with the letter as id, or NULL */
	struct umucg_limits *limits; /* non-NULL: the command takes LIMITS */
	const char *limits_heading;  /* the LIMITS' heading in --help, or NULL: the
				      * default (missing controllers: --strict) */
	bool in_order;               /* options end at the first operand past the
				      * leading ones: CMD's own options stay CMD's */
	unsigned leading;            /* operands (at most 2) that options may follow
				      * when in_order (join NAME -- CMD) */
	/* 0, or the exit code to return now (after printing the error). */
	int (*option)(void *ctx, int id, const char *arg);
	void *ctx;
};
struct cli_args {
	const char *lead[2]; /* the leading operands */
	unsigned nlead;
	int rest;            /* argv index of the first operand after them */
};
#define CLI_GO_ON (-1)
/* CLI_GO_ON, or the exit code to return now: 0 after --help, 125 after a
 * usage error. */
int cli_parse(struct cli_global *g, const struct cli_spec *spec, int argc, char **argv,
	      struct cli_args *args);
/* The single NAME operand, or a usage error (125). */
int cli_one_name(const char *cmd, int argc, char **argv, const struct cli_args *a,
		 const char **name);
/* 0 when no operand is left, else a usage error (125). */
int cli_no_operands(const char *cmd, int argc, char **argv, const struct cli_args *a);
/* An option's DURATION or SIG value; errors name the option (125). */
int cli_duration(const char *opt, const char *arg, double *seconds);
int cli_signal(const char *opt, const char *arg, int *sig);

/* usage_report.c: a group's usage for people and scripts. */
struct umucg_usage;
struct umucg_limit_hit;
/* The one line (on out) naming the limit at which the kernel killed
 * processes or refused forks; nothing when none was hit. */
void cli_limit_hit_line(FILE *out, const struct umucg_limit_hit *hit);
struct cli_report {
	const char *group;              /* the group's name */
	int exit_code;                  /* what umucg exits with */
	int64_t wall_usec;              /* from the start of CMD to its end */
	const struct umucg_usage *usage;
};
/* run --report: the summary on stderr, as text or one JSON object. */
int cli_usage_report(const struct cli_report *report, bool json);
/* The usage figures as members of the JSON object being written. */
void cli_usage_json_members(struct umucg_json *j, const struct umucg_usage *u);
/* {"cpu": {...} or null, "memory": ..., "io": ...}: pressure stalls. */
void cli_pressure_json(struct umucg_json *j, const struct umucg_usage *u);
/* The end of a run: the limit line when a limit killed processes, and with
 * report the summary of what the group (NULL: none) used. */
struct umucg_run_result;
void cli_run_report(const struct umucg_run_result *res, const char *group, bool report,
		    bool json, int exit_code);
/* CLOCK_MONOTONIC in nanoseconds. */
int64_t cli_now_ns(void);
/* status: the CPU, IO and pressure lines. */
void cli_usage_status_lines(FILE *out, const struct umucg_usage *u);
/* guard.c: the refusals of the commands that act on a group (DESIGN.md,
 * "Commands that act on a group"). 0 when cmd may act on the group NAME
 * (open as fd), else prints why with a hint and returns 125. RECORD: only a
 * group with umucg's record; CALLER: not one that holds umucg, its caller,
 * an ancestor or its session leader; force lifts both, except
 * CALLER_ALWAYS (freeze), which force does not lift. */
enum { CLI_GUARD_RECORD = 1, CLI_GUARD_CALLER = 2, CLI_GUARD_CALLER_ALWAYS = 4 };
int cli_guard_group(const struct cli_global *g, const char *cmd, const char *name, int fd,
		    unsigned checks, bool force);

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
int cmd_top(struct cli_global *g, int argc, char **argv);

#endif
