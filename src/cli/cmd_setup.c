/* cmd_setup.c - umucg setup: (root) prepare the base, delegate a subtree to a
 * user, put a login session in a leaf of it (what pam_umucg.so does at each
 * login). It checks the user and the process exist before it changes
 * anything. */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char setup_help[] =
	"Usage: umucg setup [--user U [--session PID [--elogind-session ID]]]\n"
	"(root) Prepare this machine for umucg: find or mount cgroup2, enable the\n"
	"memory, pids, cpu and io controllers down to <cgroup2>/umucg and create the\n"
	"system base <cgroup2>/umucg/system (or --base PATH, whose parent then holds\n"
	"the user subtrees). Running it again changes nothing.\n\n"
	"Options:\n"
	"  --user U           also delegate <cgroup2>/umucg/user-UID to user U (name\n"
	"                     or uid): the directory, cgroup.procs, cgroup.threads and\n"
	"                     cgroup.subtree_control become U's; its limits stay root's\n"
	"  --session PID      move PID (a login session's process) into a fresh leaf\n"
	"                     session-N of that subtree, owned by root, after removing\n"
	"                     the empty session-N leaves of ended logins (pam_umucg.so\n"
	"                     does this at every login)\n"
	"  --elogind-session ID  PID lives in elogind's session ID ($XDG_SESSION_ID):\n"
	"                     delegate <cgroup2>/ID/delegated instead, so that elogind\n"
	"                     still finds the session of every process\n";

static const char setup_help_tail[] =
	"\nPrints nothing on success but a warning for controllers cgroup2 lacks here.\n"
	"Exit status: 0 done, 125 failed (nothing is moved then).\n";

enum { OPT_USER = 0x100, OPT_SESSION, OPT_ELOGIND };

static const struct option setup_options[] = {
	{ "user", required_argument, NULL, OPT_USER },
	{ "session", required_argument, NULL, OPT_SESSION },
	{ "elogind-session", required_argument, NULL, OPT_ELOGIND },
	{ NULL, 0, NULL, 0 },
};

struct setup_opts {
	const char *user;
	const char *session;
	const char *elogind;
	uid_t uid;
	gid_t gid;
	pid_t pid;
};

static int setup_option(void *ctx, int id, const char *arg)
{
	struct setup_opts *o = ctx;
	if (id == OPT_USER)
		o->user = arg;
	else if (id == OPT_SESSION)
		o->session = arg;
	else
		o->elogind = arg;
	return 0;
}

/* CLI_GO_ON, or the exit code to return now. */
static int parse_args(struct cli_global *g, int argc, char **argv, struct setup_opts *o)
{
	const struct cli_spec spec = {
		.cmd = "setup", .help = setup_help, .help_tail = setup_help_tail,
		.own = setup_options, .option = setup_option, .ctx = o,
	};
	struct cli_args a;
	int r = cli_parse(g, &spec, argc, argv, &a);
	if (r != CLI_GO_ON || (r = cli_no_operands("setup", argc, argv, &a)))
		return r;
	if (o->session && !o->user)
		return cli_usage_error("setup", "--session needs --user");
	if (o->elogind && !o->session)
		return cli_usage_error("setup", "--elogind-session needs --session");
	return CLI_GO_ON;
}

/* A user that exists, by name or number; a number without an account is
 * refused too, so a typo in a PAM line cannot hand a subtree to nobody. */
static int resolve_user(struct setup_opts *o)
{
	errno = 0;
	struct passwd *pw = getpwnam(o->user);
	if (!pw && o->user[0]) {
		char *end;
		errno = 0;
		unsigned long id = strtoul(o->user, &end, 10);
		if (!*end && errno == 0 && id == (uid_t)id && o->user[0] != '-')
			pw = getpwuid((uid_t)id);
	}
	if (!pw) {
		cli_errorf("setup: --user %s: no such user", o->user);
		return EXIT_UMUCG;
	}
	o->uid = pw->pw_uid;
	o->gid = pw->pw_gid;
	return 0;
}

static int resolve_session(struct setup_opts *o)
{
	char *end;
	errno = 0;
	long pid = strtol(o->session, &end, 10);
	if (!o->session[0] || *end || errno || pid <= 0 || pid != (pid_t)pid)
		return cli_usage_error("setup", "--session %s: not a process id", o->session);
	if (pid == 1 || pid == getpid()) {
		cli_errorf("setup: --session %ld: not a login session's process", pid);
		return EXIT_UMUCG;
	}
	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH) {
		cli_errorf("setup: --session %ld: no such process", pid);
		return EXIT_UMUCG;
	}
	o->pid = (pid_t)pid;
	return 0;
}

static void warn_missing(const struct umucg_setup *s)
{
	if (!s->missing)
		return;
	char names[64] = "";
	for (unsigned bit = 1; bit <= UMUCG_CTRL_CPUSET; bit <<= 1)
		if (s->missing & bit)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
				 names[0] ? ", " : "", umucg_controller_name(bit));
	cli_warnf("%s: not available in cgroup2 at %s (bound to cgroup v1?): groups get no "
		  "such limits; 'umucg doctor' says why and how to fix it", names, s->mount);
}

int cmd_setup(struct cli_global *g, int argc, char **argv)
{
	struct setup_opts o = { 0 };
	int r = parse_args(g, argc, argv, &o);
	if (r != CLI_GO_ON)
		return r;
	if (o.user && (r = resolve_user(&o)))
		return r;
	if (o.session && (r = resolve_session(&o)))
		return r;

	struct umucg_error err = { 0 };
	enum umucg_cgroup_mode mode = UMUCG_MODE_NONE;
	if (umucg_cgroup_mode(&mode, &err) < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	bool must_mount = mode == UMUCG_MODE_NONE || mode == UMUCG_MODE_LEGACY;
	if (umucg_setup_check_caps(must_mount, o.user != NULL, &err) < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	char *mount = NULL;
	bool mounted;
	if (umucg_setup_mount(&mount, &mounted, &err) < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	/* Checked before anything is made: PID must live in that session. */
	char *session_dir = NULL;
	if (o.elogind && umucg_login_session_dir(mount, o.pid, o.elogind, &session_dir, &err) < 0) {
		cli_error(&err);
		free(mount);
		return EXIT_UMUCG;
	}
	free(session_dir);
	struct umucg_setup s;
	r = umucg_setup_system(mount, g->base, &s, &err);
	free(mount);
	if (r < 0) {
		cli_error(&err);
		return EXIT_UMUCG;
	}
	warn_missing(&s);
	int code = 0;
	if (o.session) {
		struct umucg_login login = {
			.uid = o.uid, .gid = o.gid, .pid = o.pid, .elogind_session = o.elogind,
		};
		struct umucg_login_session ls;
		if (umucg_login_open(&s, &login, &ls, &err) < 0) {
			cli_error(&err);
			code = EXIT_UMUCG;
		}
		umucg_login_release(&ls);
	} else if (o.user) {
		int user_fd = umucg_setup_user(&s, o.uid, o.gid, &err);
		if (user_fd < 0) {
			cli_error(&err);
			code = EXIT_UMUCG;
		} else {
			close(user_fd);
		}
	}
	umucg_setup_release(&s);
	return code;
}
