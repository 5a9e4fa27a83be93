/* pam_umucg.c - PAM session module: at open_session, the process running
 * the PAM stack (login, su, sshd's session process) moves into a root-owned
 * leaf of its user's delegated cgroup2 subtree, as 'umucg setup --user U
 * --session PID' does; at close_session the leaf goes once it is empty.
 * It never fails a login: every error is logged and the session opens. */
#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#define PAM_SM_SESSION
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "umucg.h"

#define EXPORT __attribute__((visibility("default")))
/* The session this module opened, for close_session (pam_set_data). */
#define DATA_KEY "pam_umucg_session"

struct options {
	bool debug;
	const char *base; /* the parent of the user-UID subtrees */
};

static void parse_options(pam_handle_t *pamh, int argc, const char **argv, struct options *o)
{
	o->debug = false;
	o->base = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "debug") == 0)
			o->debug = true;
		else if (strncmp(argv[i], "base=", 5) == 0)
			o->base = argv[i] + 5;
		else
			pam_syslog(pamh, LOG_WARNING, "unknown option '%s' ignored", argv[i]);
	}
}

#define DEBUG(pamh, o, ...)                                  \
	do {                                                 \
		if ((o)->debug)                              \
			pam_syslog(pamh, LOG_DEBUG, __VA_ARGS__); \
	} while (0)

static void log_error(pam_handle_t *pamh, const char *what, const struct umucg_error *err)
{
	pam_syslog(pamh, LOG_ERR, "%s: %s%s%s%s; the session opens without it", what, err->msg,
		   err->hint[0] ? " (" : "", err->hint, err->hint[0] ? ")" : "");
}

/* The user's uid and primary gid; -1 (logged) when there is none. */
static int user_ids(pam_handle_t *pamh, uid_t *uid, gid_t *gid)
{
	const char *user = NULL;
	int r = pam_get_user(pamh, &user, NULL);
	if (r != PAM_SUCCESS || !user || !*user) {
		pam_syslog(pamh, LOG_ERR, "no user: %s; the session opens without a cgroup",
			   pam_strerror(pamh, r));
		return -1;
	}
	struct passwd pw, *found = NULL;
	size_t cap = 16384;
	char *buf = NULL;
	for (;;) {
		char *bigger = realloc(buf, cap);
		if (!bigger)
			break;
		buf = bigger;
		r = getpwnam_r(user, &pw, buf, cap, &found);
		if (r != ERANGE || cap >= (1u << 20))
			break;
		cap *= 2;
	}
	if (found) {
		*uid = pw.pw_uid;
		*gid = pw.pw_gid;
	}
	free(buf);
	if (!found)
		pam_syslog(pamh, LOG_ERR, "user '%s': %s; the session opens without a cgroup", user,
			   r ? strerror(r) : "no such user");
	return found ? 0 : -1;
}

static void session_free(pam_handle_t *pamh, void *data, int error_status)
{
	(void)pamh;
	(void)error_status;
	umucg_login_release(data);
	free(data);
}

/* elogind's session (XDG_SESSION_ID, set by pam_elogind before us) when
 * this process lives in its cgroup: the user's subtree then goes inside
 * it, where elogind still maps every process to the session. *skip: the
 * process already belongs to a session this login did not open (su inside
 * a session: pam_elogind opened none), which must keep it. */
static const char *elogind_session(pam_handle_t *pamh, const struct options *o,
				   const char *mount, bool *skip)
{
	struct umucg_error err = { 0 };
	char *dir = NULL;
	const char *sid = pam_getenv(pamh, "XDG_SESSION_ID");
	*skip = false;
	if (sid) {
		if (umucg_login_session_dir(mount, getpid(), sid, &dir, &err) == 0) {
			free(dir);
			return sid;
		}
		/* elogind on a hybrid host keeps sessions in its own v1 hierarchy */
		DEBUG(pamh, o, "XDG_SESSION_ID=%s: %s: the subtree goes under the base", sid, err.msg);
		return NULL;
	}
	const char *inherited = getenv("XDG_SESSION_ID");
	if (inherited && umucg_login_session_dir(mount, getpid(), inherited, &dir, NULL) == 0) {
		pam_syslog(pamh, LOG_INFO, "already in elogind session %s (%s), which this login did "
			   "not open: left there", inherited, dir);
		free(dir);
		*skip = true;
	}
	return NULL;
}

static void open_for(pam_handle_t *pamh, const struct options *o, uid_t uid, gid_t gid)
{
	struct umucg_error err = { 0 };
	char *mount = NULL, *system = NULL;
	if (umucg_cgroup2_mount(&mount, &err) < 0) {
		log_error(pamh, "cgroup2", &err);
		return;
	}
	bool skip;
	const char *sid = elogind_session(pamh, o, mount, &skip);
	struct umucg_setup s;
	struct umucg_login_session *ls = calloc(1, sizeof *ls);
	if (skip || !ls || (o->base && asprintf(&system, "%s/system", o->base) < 0)) {
		if (!skip)
			pam_syslog(pamh, LOG_ERR, "out of memory; the session opens without a cgroup");
	} else if (umucg_setup_system(mount, o->base ? system : NULL, &s, &err) < 0) {
		log_error(pamh, "base", &err);
	} else {
		struct umucg_login login = {
			.uid = uid, .gid = gid, .pid = getpid(), .elogind_session = sid,
		};
		int r = umucg_login_open(&s, &login, ls, &err);
		umucg_setup_release(&s);
		if (r < 0) {
			log_error(pamh, "session", &err);
		} else {
			DEBUG(pamh, o, "pid %d in %s, delegation root %s%s", (int)login.pid, ls->leaf,
			      ls->root, ls->elogind ? " (in elogind's session cgroup)" : "");
			if (pam_set_data(pamh, DATA_KEY, ls, session_free) == PAM_SUCCESS)
				ls = NULL;
			else
				pam_syslog(pamh, LOG_ERR, "pam_set_data failed: close_session will "
					   "leave %s to the next login", ls->leaf);
		}
	}
	if (ls)
		session_free(pamh, ls, 0);
	free(system);
	free(mount);
}

EXPORT int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)flags;
	struct options o;
	parse_options(pamh, argc, argv, &o);
	uid_t uid = 0;
	gid_t gid = 0;
	if (user_ids(pamh, &uid, &gid) < 0)
		return PAM_SUCCESS;
	/* root's groups live in the system base: nothing to delegate */
	if (uid == 0) {
		DEBUG(pamh, &o, "root: nothing to delegate");
		return PAM_SUCCESS;
	}
	open_for(pamh, &o, uid, gid);
	return PAM_SUCCESS;
}

EXPORT int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)flags;
	struct options o;
	parse_options(pamh, argc, argv, &o);
	const void *data = NULL;
	if (pam_get_data(pamh, DATA_KEY, &data) != PAM_SUCCESS || !data) {
		DEBUG(pamh, &o, "no session leaf of ours: nothing to remove");
		return PAM_SUCCESS;
	}
	const struct umucg_login_session *ls = data;
	struct umucg_error err = { 0 };
	int r = umucg_login_close(ls, getpid(), &err);
	if (r < 0)
		pam_syslog(pamh, LOG_ERR, "close: %s", err.msg);
	else if (r == 0)
		DEBUG(pamh, &o, "%s still holds processes: left for the next login or 'umucg gc'",
		      ls->leaf);
	else
		DEBUG(pamh, &o, "%s removed", ls->leaf);
	return PAM_SUCCESS;
}
