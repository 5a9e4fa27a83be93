/* umucg/setup.h - (root) preparing a machine: the system base, delegated user subtrees, login sessions; and the diagnosis of what works here (doctor).
 * Part of libumucg's API: include <umucg.h>, which includes every part. */
#ifndef UMUCG_SETUP_H
#define UMUCG_SETUP_H

#include <umucg/group.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- setup (root): the system base and delegated user subtrees ------- */

/* Finds the cgroup2 mount, or mounts cgroup2 (at /sys/fs/cgroup, or at
 * /sys/fs/cgroup/unified when cgroup v1 hierarchies live there); *mounted
 * says whether it had to. *path is malloc'd. */
int umucg_setup_mount(char **path, bool *mounted, struct umucg_error *err);

/* -EPERM naming every capability the caller lacks for setup's work:
 * CAP_DAC_OVERRIDE (unless euid 0), CAP_SYS_ADMIN to mount, CAP_CHOWN to
 * delegate (with_user). */
int umucg_setup_check_caps(bool mount, bool with_user, struct umucg_error *err);

struct umucg_setup {
	int top_fd;        /* <mount>/umucg, or the parent of an explicit base */
	int system_fd;     /* the system base: <top>/system or the explicit base */
	char *mount;
	char *top_path;
	char *system_path;
	unsigned enabled;  /* UMUCG_CTRL_* enabled down to the top */
	unsigned missing;  /* of the four, those the cgroup2 mount lacks */
};

/* Makes the system base (explicit_base, or <mount>/umucg/system), enabling
 * memory, pids, cpu and io (those cgroup2 offers) on every level from the
 * mount down to the top, so that the system base and the user subtrees get
 * them. Idempotent. Release with umucg_setup_release. */
int umucg_setup_system(const char *mount, const char *explicit_base,
		       struct umucg_setup *s, struct umucg_error *err);
void umucg_setup_release(struct umucg_setup *s);

/* Delegates <top>/user-UID to uid:gid by the kernel's rules: the directory,
 * cgroup.procs, cgroup.threads and cgroup.subtree_control become the user's;
 * its limit files stay root's. Marks it a delegation root with the xattr
 * user.delegate=1 (where the kernel has user xattrs on cgroupfs, 5.7+).
 * Idempotent. Returns its directory fd. */
int umucg_setup_user(const struct umucg_setup *s, uid_t uid, gid_t gid,
		     struct umucg_error *err);

/* ---- login sessions: 'setup --session' and pam_umucg ----------------- */

struct umucg_login {
	uid_t uid;
	gid_t gid;
	pid_t pid;                   /* the session's process */
	const char *elogind_session; /* elogind's session id (XDG_SESSION_ID), or NULL */
};

struct umucg_login_session {
	char *root;        /* the user's delegation root (absolute path) */
	char *leaf;        /* the session leaf, root-owned, inside root */
	char *origin;      /* the cgroup pid was in before */
	char *mount;
	bool elogind;      /* root lies inside elogind's session cgroup */
	bool made_root;    /* ... and this login made it (elogind had not) */
	unsigned missing;  /* of memory, pids, cpu, io: those root cannot give its groups */
};

/* The cgroup of elogind's session session_id that pid lives in (*dir
 * malloc'd, absolute): the first component of pid's cgroup path that is
 * session_id (or elogind's escaped "_" form), below a root-owned parent.
 * -ENOENT when pid is not in it, -EINVAL for an id that is not one
 * component of [A-Za-z0-9_-]. */
int umucg_login_session_dir(const char *mount, pid_t pid, const char *session_id,
			    char **dir, struct umucg_error *err);

/* Opens a login session for pid (DESIGN.md, "Where groups live"): delegates
 * the user's subtree (<top>/user-UID; with elogind_session,
 * <session cgroup>/delegated, which pid must already live in), removes its
 * empty session-N leaves, moves pid into a fresh root-owned leaf session-N
 * of it, and enables the controllers down to it. What was made is filled in
 * *out (release with umucg_login_release). */
int umucg_login_open(const struct umucg_setup *s, const struct umucg_login *login,
		     struct umucg_login_session *out, struct umucg_error *err);

/* Ends a session umucg_login_open opened, from its own process pid: moves
 * pid out of the leaf (back to its origin, or to the mount's root cgroup
 * when the kernel refuses that) and removes the leaf when it is empty (and
 * an empty delegation root it made inside elogind's session cgroup).
 * Never waits: returns 1 when the leaf is gone, 0 when other processes
 * still hold it (the next login, 'umucg gc' or 'umucg setup' removes it
 * once it empties). */
int umucg_login_close(const struct umucg_login_session *ls, pid_t pid,
		      struct umucg_error *err);
void umucg_login_release(struct umucg_login_session *ls);

/* ---- diagnosis: what works here for the caller, and the fix (doctor) -- */

enum umucg_answer { UMUCG_ANSWER_NO, UMUCG_ANSWER_YES, UMUCG_ANSWER_UNKNOWN };

/* The part of the report a check belongs to. */
enum umucg_diag_section {
	UMUCG_DIAG_MOUNT, UMUCG_DIAG_BASE, UMUCG_DIAG_CONTROLLERS, UMUCG_DIAG_FEATURES,
	UMUCG_DIAG_CAPABILITIES,
};

/* One verdict on the facts. */
struct umucg_diag_check {
	const char *id;            /* stable: "base_writable", "memory_controller", ... */
	const char *what;          /* for people: "base writable" */
	enum umucg_diag_section section;
	enum umucg_answer ok;
	bool blocking;             /* a "no" here means run with memory and pids limits fails */
	char detail[512];
	char fix[768];             /* the fix for a "no"; empty otherwise */
};

enum umucg_controller_state {
	UMUCG_CONTROLLER_USABLE,      /* the base's groups can be given it */
	UMUCG_CONTROLLER_HELD_BY_V1,  /* bound to a cgroup v1 hierarchy */
	UMUCG_CONTROLLER_NO_BASE,     /* no base to use it in */
	UMUCG_CONTROLLER_NOT_ENABLED, /* cgroup2 offers it, not enabled down to the base */
	UMUCG_CONTROLLER_MISSING,     /* the kernel's cgroup2 lacks it */
};

struct umucg_diagnose_opts {
	const char *explicit_base; /* judge this base as 'run --base' would; NULL: the default */
	const char *user;          /* the caller's name, for messages; NULL: the uid */
	pid_t shell_pid;           /* the caller's shell, named in the setup fix; 0: unknown */
};

#define UMUCG_DIAG_CHECKS_MAX 24
struct umucg_diagnosis {
	uid_t uid;                    /* the caller */
	bool root;
	char user[64];
	enum umucg_cgroup_mode mode;
	struct umucg_error mode_err;  /* code 0 when the mode is known */
	char *mount;                  /* the cgroup2 mount; NULL when none */
	unsigned offered;             /* UMUCG_CTRL_* in the mount root's cgroup.controllers */
	struct {
		char controller[64];  /* its v1 name: "memory", "blkio", "cpuacct", ... */
		char path[256];
	} v1[32];                     /* the cgroup v1 hierarchies, as libcgroup lists them */
	size_t nv1;
	char v1_error[256];           /* why they are unknown ("libcgroup: ..."); "" when listed */
	bool base_tried;              /* there was a mount or an explicit base to resolve */
	bool base_ok;
	struct umucg_base base;       /* when base_ok */
	struct umucg_error base_err;  /* when base_tried and not base_ok */
	enum umucg_answer delegated;  /* the caller lies in a delegated subtree */
	enum umucg_answer writable;   /* the caller can make groups there and move into them */
	enum umucg_answer own_procs;  /* the base has processes of its own */
	struct {
		enum umucg_controller_state state;
		char v1_path[256];    /* the v1 hierarchy holding it; "" otherwise */
	} controllers[4];             /* memory, pids, cpu, io: [i] is controller 1u << i */
	struct umucg_features features;
	char *caps_text;              /* the caller's, as cap_to_text(3) writes; NULL: unknown */
	bool caps_known;
	char caps_effective[64][32];  /* names: "cap_chown", ... */
	size_t ncaps_effective;
	enum umucg_answer setup_caps; /* enough for 'umucg setup' (asked for root only) */
	struct umucg_error setup_caps_err;
	struct umucg_diag_check checks[UMUCG_DIAG_CHECKS_MAX]; /* in report order */
	size_t nchecks;
	unsigned nos;                 /* checks that say no */
	bool usable;                  /* run with memory and pids limits works */
	bool supervised;              /* run without limits gets a group here */
	unsigned limits_missing;      /* UMUCG_CTRL_* whose limits run cannot apply here */
};

/* Gathers what this system offers the calling process and judges it: every
 * "no" gets its fix. Changes nothing; opts may be NULL. Facts it cannot
 * learn are unknown, not a failure: it fails only for want of memory.
 * libcap, and on a host with cgroup v1 libcgroup, are loaded for the time
 * of the call. Release d with umucg_diagnosis_release, also after a failure. */
int umucg_diagnose(const struct umucg_diagnose_opts *opts, struct umucg_diagnosis *d,
		   struct umucg_error *err);
void umucg_diagnosis_release(struct umucg_diagnosis *d);

#ifdef __cplusplus
}
#endif
#endif
