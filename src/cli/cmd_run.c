/* cmd_run.c - umucg run: CMD in a new group, supervised until its whole tree
 * is gone. Parse and validate everything, then act. */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli.h"

static const char run_help[] =
	"Usage: umucg run [LIMITS] [OPTIONS] [--] CMD [ARG...]\n"
	"Run CMD in a new cgroup2 group, wait until every process of its tree is\n"
	"gone, then remove the group. umucg is the tree's subreaper.\n\n"
	"Options:\n"
	"  --name NAME        the group's name (default: umu-$UMU_ID, steam-$SteamAppId,\n"
	"                     steam-$SteamGameId, else CMD's basename, suffixed when taken)\n"
	"  --kill-on-exit     kill the rest of the tree as soon as CMD exits\n"
	"  --grace S          after SIGTERM/INT/HUP/QUIT is forwarded, wait S seconds\n"
	"                     before cgroup.kill (default 10); a second signal kills now\n"
	"  --timeout D        after D (s, m, h, d) end the tree as on SIGTERM; exit 124\n"
	"  --user U           (root) run CMD as user U with no capabilities\n"
	"  --keep             leave the (empty) group in place afterwards\n"
	"  --best-effort      warn and run without limits whose controller is missing\n"
	"  --force            use a base inside another user's subtree (that user could\n"
	"                     then move, freeze and kill CMD's processes)\n"
	;

static const char run_help_tail[] =
	"\nExit status: CMD's own; 128+N if CMD died of signal N; 124 on --timeout;\n"
	"125 if umucg failed; 126 if CMD is not executable; 127 if not found.\n"
	"Environment: UMUCG_SPAWN=clone3|fork and UMUCG_KILL=cgroup-kill|freeze force\n"
	"one method (for tests).\n";

enum {
	OPT_NAME = 0x100, OPT_KILL_ON_EXIT, OPT_GRACE, OPT_TIMEOUT, OPT_USER,
	OPT_KEEP, OPT_BEST_EFFORT, OPT_FORCE,
};

static const struct option run_options[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "kill-on-exit", no_argument, NULL, OPT_KILL_ON_EXIT },
	{ "grace", required_argument, NULL, OPT_GRACE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "user", required_argument, NULL, OPT_USER },
	{ "keep", no_argument, NULL, OPT_KEEP },
	{ "best-effort", no_argument, NULL, OPT_BEST_EFFORT },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

struct run_opts {
	struct umucg_limits limits;
	const char *name;
	bool kill_on_exit, keep, best_effort, force;
	double grace, timeout;
	const char *user;
	char **argv;
	enum umucg_spawn_method spawn;
	enum umucg_kill_method kill;
};

struct run_user {
	uid_t uid;
	gid_t gid;
	gid_t groups[256];
	int ngroups;
};

static int parse_methods(struct run_opts *o)
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

static int run_option(void *ctx, int id, const char *arg)
{
	struct run_opts *o = ctx;
	struct umucg_error err = { 0 };
	switch (id) {
	case OPT_NAME:
		if (umucg_name_validate(arg, &err) < 0) {
			cli_error_in("--name", &err);
			return EXIT_UMUCG;
		}
		o->name = arg;
		return 0;
	case OPT_KILL_ON_EXIT: o->kill_on_exit = true; return 0;
	case OPT_KEEP: o->keep = true; return 0;
	case OPT_BEST_EFFORT: o->best_effort = true; return 0;
	case OPT_FORCE: o->force = true; return 0;
	case OPT_USER: o->user = arg; return 0;
	case OPT_GRACE: return cli_duration("--grace", arg, &o->grace);
	default: return cli_duration("--timeout", arg, &o->timeout);
	}
}

/* CLI_GO_ON, or the exit code to return now. */
static int parse_args(struct cli_global *g, int argc, char **argv, struct run_opts *o)
{
	o->grace = 10;
	const struct cli_spec spec = {
		.cmd = "run", .help = run_help, .help_tail = run_help_tail, .own = run_options,
		.limits = &o->limits, .in_order = true, .option = run_option, .ctx = o,
	};
	struct cli_args a;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON)
		return r;
	if (a.rest >= argc)
		return cli_usage_error("run", "no command given");
	o->argv = argv + a.rest;
	r = parse_methods(o);
	return r ? r : CLI_GO_ON;
}

static int resolve_user(const char *name, struct run_user *u)
{
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
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	u->ngroups = (int)(sizeof u->groups / sizeof *u->groups);
	if (getgrouplist(pw->pw_name, pw->pw_gid, u->groups, &u->ngroups) < 0) {
		cli_errorf("--user %s: member of too many groups", name);
		return EXIT_UMUCG;
	}
	return 0;
}

/* Not where another user could move, freeze and kill CMD's tree: 0, or
 * -2 after printing. */
static int refuse_foreign(const struct run_opts *o, const struct umucg_base *base)
{
	struct umucg_error err = { 0 };
	if (o->force || umucg_dir_check_trusted(base->fd, base->path, &err) == 0)
		return 0;
	cli_error(&err);
	return -2;
}

/* Where the group goes, with what; a failure here has changed nothing but
 * the system base. Returns the group fd, or -1 to run without a group (only
 * when no limit, base or name was asked for), or -2 after printing. */
static int make_group(struct cli_global *g, struct run_opts *o, struct umucg_base *base,
		      char name[UMUCG_NAME_MAX + 1])
{
	struct umucg_error err = { 0 };
	unsigned want = umucg_limits_controllers(&o->limits);
	bool may_skip = !want && !g->base && !o->name;
	int r = umucg_base_resolve(g->base, base, &err);
	/* Checked before anything is written there; a system base not made
	 * yet is checked once made. */
	bool made_here = r == 0 && base->fd < 0;
	if (r == 0 && !made_here && refuse_foreign(o, base))
		return -2;
	if (r == 0) {
		unsigned missing = want & ~base->available;
		if (missing && o->best_effort) {
			for (unsigned bit = 1; bit <= UMUCG_CTRL_IO; bit <<= 1)
				if (missing & bit)
					cli_warnf("%s controller: not available in cgroup2 at %s: "
						  "running without its limits", umucg_controller_name(bit),
						  base->path);
			umucg_limits_drop_controllers(&o->limits, missing);
			want &= ~missing;
		} else if (missing) {
			umucg_controllers_require(base->available, want, base->path, &err);
			cli_error(&err);
			return -2;
		}
		r = umucg_base_prepare(base, want, &err);
	}
	if (r < 0) {
		if (may_skip) {
			cli_warnf("no usable cgroup2 (%s): running without a group", err.msg);
			return -1;
		}
		cli_error(&err);
		return -2;
	}
	if (made_here && refuse_foreign(o, base))
		return -2;
	if (o->name)
		snprintf(name, UMUCG_NAME_MAX + 1, "%s", o->name);
	else
		umucg_name_default(o->argv[0], NULL, name);
	struct umucg_meta meta = { 0 };
	umucg_meta_self(&meta, NULL);
	umucg_meta_set_command(&meta, o->argv);
	int fd = umucg_group_create(base->fd, name, !o->name, &meta, &g->store, &err);
	if (fd < 0) {
		if (may_skip && fd != -EEXIST) {
			cli_warnf("no usable cgroup2 (%s): running without a group", err.msg);
			return -1;
		}
		cli_error(&err);
		return -2;
	}
	if (umucg_limits_apply(fd, &o->limits, &err) < 0) {
		cli_error(&err);
		close(fd);
		umucg_group_remove(base->fd, name, NULL);
		return -2;
	}
	return fd;
}

static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };

int cmd_run(struct cli_global *g, int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct run_user user = { 0 };
	int r = parse_args(g, argc, argv, &o);
	if (r != CLI_GO_ON)
		return r;
	if (o.user && (r = resolve_user(o.user, &user)))
		return r;

	/* From here on a termination signal is queued for the supervisor, so
	 * none can end umucg between creating the group and watching it. A
	 * SIGCHLD ignored by our parent would hide every exit status. */
	signal(SIGCHLD, SIG_DFL);
	sigset_t mask, old;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++)
		sigaddset(&mask, forwarded[i]);
	sigprocmask(SIG_BLOCK, &mask, &old);

	struct umucg_base base = { .fd = -1 };
	char name[UMUCG_NAME_MAX + 1] = "";
	int group_fd = make_group(g, &o, &base, name);
	if (group_fd == -2) {
		umucg_base_release(&base);
		return EXIT_UMUCG;
	}

	int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	struct umucg_error err = { 0 };
	int code = EXIT_UMUCG;
	if (sfd < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		cli_errorf("run: %s: %s", sfd < 0 ? "signalfd" : "PR_SET_CHILD_SUBREAPER", strerror(errno));
		goto out;
	}

	struct umucg_spawn_opts sp = {
		.argv = o.argv, .group_fd = group_fd, .method = o.spawn, .child_sigmask = &old,
		.drop_privileges = o.user != NULL, .uid = user.uid, .gid = user.gid,
		.groups = user.groups, .ngroups = (size_t)user.ngroups,
	};
	pid_t pid;
	int exec_errno = 0;
	if (umucg_spawn(&sp, &pid, &exec_errno, &err) < 0) {
		cli_error(&err);
		code = exec_errno == ENOENT ? EXIT_NOT_FOUND : exec_errno ? EXIT_CANNOT_EXEC : EXIT_UMUCG;
		goto out;
	}

	struct umucg_supervise_opts so = {
		.group_fd = group_fd, .main_pid = pid, .signal_fd = sfd,
		.grace_seconds = o.grace, .timeout_seconds = o.timeout,
		.kill_on_exit = o.kill_on_exit, .kill_method = o.kill,
	};
	struct umucg_supervise_result res;
	if (umucg_supervise(&so, &res, &err) < 0) {
		cli_error(&err);
		/* Leave nothing running behind a failed supervisor. */
		if (group_fd >= 0)
			umucg_group_kill(group_fd, o.kill, NULL);
		goto out;
	}
	code = res.timed_out ? EXIT_TIMEDOUT : umucg_exit_code(res.main_status);
out:
	if (sfd >= 0)
		close(sfd);
	if (group_fd >= 0) {
		close(group_fd);
		/* ENOENT: 'umucg stop' (or gc) removed the emptied group first. */
		if (!o.keep && umucg_group_remove(base.fd, name, &err) < 0 && err.code != -ENOENT) {
			cli_error(&err);
			if (code == 0)
				code = EXIT_UMUCG;
		}
	}
	umucg_base_release(&base);
	return code;
}
