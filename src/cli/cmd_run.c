/* cmd_run.c - umucg run: CMD in a new group, supervised until its whole tree
 * is gone (the library's umucg_run_*). Parse and validate everything, then
 * act; print what the library reports. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char run_help[] =
	"Usage: umucg run [LIMITS] [OPTIONS] [--] CMD [ARG...]\n"
	"Run CMD in a new cgroup2 group, wait until every process of its tree is\n"
	"gone, then remove the group. umucg is the tree's subreaper.\n\n"
	"Options:\n"
	"  --name NAME        the group's name (default: umu-$UMU_ID, steam-$SteamAppId,\n"
	"                     steam-$SteamGameId, else CMD's basename, suffixed when\n"
	"                     taken)\n"
	"  --grace D          after SIGTERM/INT/HUP/QUIT is forwarded, wait D (default\n"
	"                     10s) before cgroup.kill; a second such signal kills now\n"
	"  --timeout D        after D end the tree as on SIGTERM and exit 124 (0: none)\n"
	"  --linger D         once CMD has exited, wait at most D for the rest of the\n"
	"                     tree, then end it as on SIGTERM (default: wait for all)\n"
	"  --kill-on-exit     the same as --linger 0\n"
	"  --kill-on-crash    --linger 0 only when CMD died of a signal or exited 128+N\n"
	"  --exit-with-parent end the tree as on SIGTERM when umucg's parent exits\n"
	"  --user U           (root) run CMD as user U with no capabilities\n"
	"  --keep             leave the (empty) group in place afterwards\n"
	"  --strict           a limit whose controller is missing here, or no usable\n"
	"                     cgroup2, is an error (125) instead of a warning\n"
	"  --best-effort      the default: warn and run without such limits\n"
	"  --report           at exit print wall time, CPU, peaks, IO, OOM kills,\n"
	"                     refused forks and pressure stalls on stderr (--json: JSON)\n"
	"  --force            use a base inside another user's subtree (that user could\n"
	"                     then move, freeze and kill CMD's processes)\n";

static const char run_help_tail[] =
	"\nD: a number of seconds with an optional s, m, h or d suffix.\n"
	"Signals: TERM, INT, HUP and QUIT end the tree (see --grace); TSTP, TTIN and\n"
	"TTOU freeze it and stop umucg, CONT thaws it; any other signal goes to CMD,\n"
	"or to the whole tree once CMD has exited.\n"
	"Exit status: CMD's own; 128+N if CMD died of signal N; 124 on --timeout;\n"
	"125 if umucg failed; 126 if CMD is not executable; 127 if not found.\n"
	"Environment: UMUCG_SPAWN=clone3|fork and UMUCG_KILL=cgroup-kill|freeze force\n"
	"one method (for tests).\n";

enum {
	OPT_NAME = 0x100, OPT_KILL_ON_EXIT, OPT_KILL_ON_CRASH, OPT_GRACE, OPT_TIMEOUT,
	OPT_LINGER, OPT_EXIT_WITH_PARENT, OPT_USER, OPT_KEEP, OPT_STRICT, OPT_BEST_EFFORT,
	OPT_REPORT, OPT_FORCE,
};

static const struct option run_options[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "kill-on-exit", no_argument, NULL, OPT_KILL_ON_EXIT },
	{ "kill-on-crash", no_argument, NULL, OPT_KILL_ON_CRASH },
	{ "grace", required_argument, NULL, OPT_GRACE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "linger", required_argument, NULL, OPT_LINGER },
	{ "exit-with-parent", no_argument, NULL, OPT_EXIT_WITH_PARENT },
	{ "user", required_argument, NULL, OPT_USER },
	{ "keep", no_argument, NULL, OPT_KEEP },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "best-effort", no_argument, NULL, OPT_BEST_EFFORT },
	{ "report", no_argument, NULL, OPT_REPORT },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

struct run_cli {
	struct umucg_run_opts run;
	struct umucg_limits limits;
	bool kill_on_exit, linger_given, report;
	const char *user;
	char name[UMUCG_NAME_MAX + 1];
	gid_t groups[256];
};

static int run_option(void *ctx, int id, const char *arg)
{
	struct run_cli *c = ctx;
	struct umucg_run_opts *o = &c->run;
	struct umucg_error err = { 0 };
	switch (id) {
	case OPT_NAME:
		if (umucg_name_validate(arg, &err) < 0) {
			cli_error_in("--name", &err);
			return EXIT_UMUCG;
		}
		o->name = arg;
		return 0;
	case OPT_KILL_ON_EXIT: c->kill_on_exit = true; return 0;
	case OPT_KILL_ON_CRASH: o->kill_on_crash = true; return 0;
	case OPT_EXIT_WITH_PARENT: o->exit_with_parent = true; return 0;
	case OPT_KEEP: o->keep = true; return 0;
	case OPT_STRICT: o->strict = true; return 0;
	case OPT_BEST_EFFORT: o->strict = false; return 0;
	case OPT_REPORT: c->report = true; o->usage = UMUCG_USAGE_ALL; return 0;
	case OPT_FORCE: o->force = true; return 0;
	case OPT_USER: c->user = arg; return 0;
	case OPT_GRACE: return cli_duration("--grace", arg, &o->grace);
	case OPT_TIMEOUT: return cli_duration("--timeout", arg, &o->timeout);
	default: /* OPT_LINGER */
		c->linger_given = true;
		return cli_duration("--linger", arg, &o->linger);
	}
}

/* UMUCG_SPAWN and UMUCG_KILL: test switches, read here, passed in. */
static int parse_methods(struct umucg_run_opts *o)
{
	const char *s = getenv("UMUCG_SPAWN");
	if (!s || !*s || strcmp(s, "auto") == 0)
		o->spawn = UMUCG_SPAWN_AUTO;
	else if (strcmp(s, "clone3") == 0)
		o->spawn = UMUCG_SPAWN_CLONE3;
	else if (strcmp(s, "fork") == 0)
		o->spawn = UMUCG_SPAWN_FORK;
	else
		return cli_usage_error("run", "UMUCG_SPAWN=%s: expected auto, clone3 or fork", s);
	s = getenv("UMUCG_KILL");
	if (!s || !*s || strcmp(s, "auto") == 0)
		o->kill = UMUCG_KILL_AUTO;
	else if (strcmp(s, "cgroup-kill") == 0)
		o->kill = UMUCG_KILL_CGROUP_KILL;
	else if (strcmp(s, "freeze") == 0)
		o->kill = UMUCG_KILL_FREEZE;
	else
		return cli_usage_error("run", "UMUCG_KILL=%s: expected auto, cgroup-kill or freeze", s);
	return 0;
}

/* CLI_GO_ON, or the exit code to return now. */
static int parse_args(struct cli_global *g, int argc, char **argv, struct run_cli *c)
{
	umucg_run_opts_init(&c->run, NULL);
	const struct cli_spec spec = {
		.cmd = "run", .help = run_help, .help_tail = run_help_tail, .own = run_options,
		.limits = &c->limits, .in_order = true, .option = run_option, .ctx = c,
	};
	struct cli_args a;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON)
		return r;
	if (a.rest >= argc)
		return cli_usage_error("run", "no command given");
	if (c->kill_on_exit && (c->linger_given || c->run.kill_on_crash))
		return cli_usage_error("run", "--kill-on-exit: not with --linger or --kill-on-crash");
	if (c->kill_on_exit)
		c->run.linger = 0;
	c->run.argv = argv + a.rest;
	c->run.base = g->base;
	c->run.store = &g->store;
	c->run.limits = &c->limits;
	if (!c->run.name) {
		umucg_name_default(c->run.argv[0], (const char *(*)(const char *))getenv, c->name);
		c->run.name = c->name;
		c->run.name_suffix = true;
	}
	/* umucg keeps nothing of the caller's but stderr while it supervises. */
	c->run.release_cwd = c->run.release_stdio = true;
	r = parse_methods(&c->run);
	return r ? r : CLI_GO_ON;
}

static int resolve_user(struct run_cli *c)
{
	const char *name = c->user;
	if (geteuid() != 0) {
		cli_errorf("--user %s: only root can run a command as another user", name);
		return EXIT_UMUCG;
	}
	struct passwd *pw = getpwnam(name);
	if (!pw) {
		char *end;
		unsigned long id = strtoul(name, &end, 10);
		if (*name && !*end)
			pw = getpwuid((uid_t)id);
	}
	if (!pw) {
		cli_errorf("--user %s: no such user", name);
		return EXIT_UMUCG;
	}
	int n = (int)(sizeof c->groups / sizeof *c->groups);
	if (getgrouplist(pw->pw_name, pw->pw_gid, c->groups, &n) < 0) {
		cli_errorf("--user %s: member of too many groups", name);
		return EXIT_UMUCG;
	}
	c->run.drop_privileges = true;
	c->run.uid = pw->pw_uid;
	c->run.gid = pw->pw_gid;
	c->run.groups = c->groups;
	c->run.ngroups = (size_t)n;
	return 0;
}

/* One warning for what the run goes without: a group, or some limits. */
static void warn_missing(const struct umucg_run_info *info, const char *base)
{
	if (info->no_group) {
		/* One line: a Steam game's log is no place for a lecture. */
		cli_warnf("no usable cgroup2 (%s): running CMD without a group%s", info->no_group->msg,
			  info->skipped ? " and without its limits" : "");
	} else if (info->skipped) {
		struct umucg_error w = { 0 };
		umucg_controllers_require(0, info->skipped, base, &w);
		size_t len = strlen(w.msg);
		snprintf(w.msg + len, sizeof w.msg - len, ": running without the limits that need %s "
			 "(--strict refuses)", (info->skipped & (info->skipped - 1)) ? "them" : "it");
		cli_warn(&w);
	}
}

int cmd_run(struct cli_global *g, int argc, char **argv)
{
	struct run_cli c = { 0 };
	int r = parse_args(g, argc, argv, &c);
	if (r != CLI_GO_ON)
		return r;
	if (c.user && (r = resolve_user(&c)))
		return r;

	struct umucg_error err = { 0 };
	struct umucg_run *run;
	if (umucg_run_open(&c.run, &run, &err) < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	const struct umucg_run_info *info = umucg_run_info(run);
	char base[4096] = "";
	if (info->group_path) {
		/* (not snprintf: the run path stays off printf, see src/lib/text/fmt.c) */
		size_t n = (size_t)(strrchr(info->group_path, '/') - info->group_path);
		memcpy(base, info->group_path, n < sizeof base ? n : sizeof base - 1);
		base[n < sizeof base ? n : sizeof base - 1] = '\0';
	}
	warn_missing(info, base);

	struct umucg_run_result res;
	int code;
	if (umucg_run_wait(run, &res, &err) < 0) {
		cli_error(&err);
		code = res.exec_errno ? umucg_run_exit_code(&res) : EXIT_UMUCG;
	} else {
		code = umucg_run_exit_code(&res);
	}
	/* Why it died (always), and what it used (--report). */
	if (info->pid > 0)
		cli_run_report(&res, info->group_name[0] ? info->group_name : NULL, c.report, g->json,
			       code);
	if (umucg_run_close(run, &err) < 0) {
		cli_error(&err);
		if (code == 0)
			code = EXIT_UMUCG;
	}
	return code;
}
