/* umucg.h - libumucg: cgroup-v2 groups for process trees, without systemd.
 *
 * A function returning int returns 0, or the non-negative value its comment
 * documents (a file descriptor, a count, 1 for yes), on success, and a
 * negative errno on failure, filling the caller's struct umucg_error (err
 * may be NULL) with a message ("what: why") and, where one exists, a hint.
 * Functions of other types cannot fail: void ones, bool answers, names
 * (static strings), masks. Nothing here prints, exits, reads the
 * environment or keeps global state.
 */
#ifndef UMUCG_H
#define UMUCG_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UMUCG_NAME_MAX 64
#define UMUCG_UNLIMITED UINT64_MAX /* "max" in a cgroup interface file */

/* ---- errors ---------------------------------------------------------- */

struct umucg_error {
	int code;        /* negative errno, 0 when no error */
	char msg[512];   /* "what: why" */
	char hint[256];  /* empty or a suggestion for the user */
};

/* ---- cgroup2 mount and base ------------------------------------------ */

/* Finds the first cgroup2 mount in /proc/self/mountinfo; *path is malloc'd. */
int umucg_cgroup2_mount(char **path, struct umucg_error *err);

enum umucg_base_source {
	UMUCG_BASE_EXPLICIT,  /* --base or UMUCG_BASE */
	UMUCG_BASE_SYSTEM,    /* root: <mount>/umucg/system */
	UMUCG_BASE_DELEGATED, /* the caller's delegated subtree */
};

struct umucg_base {
	int fd;                       /* O_DIRECTORY fd of the base, -1 until made */
	char *path;                   /* absolute path, for messages and output */
	char *mount;                  /* the cgroup2 mount it lies in */
	enum umucg_base_source source;
	unsigned available;           /* UMUCG_CTRL_* its groups can be given */
};

/* Resolves where groups live (DESIGN.md, "Where groups live"). explicit_path
 * may be NULL. Writes nothing: a system base not made yet has fd -1, and
 * available is then what the mount root offers. */
int umucg_base_resolve(const char *explicit_path, struct umucg_base *base,
		       struct umucg_error *err);
/* Makes the system base (root) and enables the UMUCG_CTRL_* controllers on
 * the path down to the base so that its groups get them. */
int umucg_base_prepare(struct umucg_base *base, unsigned controllers,
		       struct umucg_error *err);
void umucg_base_release(struct umucg_base *base);

/* Opens an absolute directory path without following any symlink. */
int umucg_open_dir_nofollow(const char *path, struct umucg_error *err);

/* Opens a relative path beneath dir_fd (flags as for openat, O_CLOEXEC
 * added) following no symlink and accepting no "..": -ELOOP, -EXDEV. With
 * UMUCG_BENEATH_SAME_MOUNT it also crosses no mount point (-EXDEV). Uses
 * openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS[|RESOLVE_NO_XDEV]) where the
 * kernel has it and a checked component walk elsewhere. Returns the fd. */
#define UMUCG_BENEATH_SAME_MOUNT 1u
int umucg_openat_beneath(int dir_fd, const char *path, int flags, unsigned how,
			 struct umucg_error *err);

/* ---- names ----------------------------------------------------------- */

/* 0 when name is a valid group name, -EINVAL with a message otherwise. */
int umucg_name_validate(const char *name, struct umucg_error *err);

/* Writes the default group name to out (UMUCG_NAME_MAX + 1 bytes): umu-$UMU_ID
 * (UMU_ID as it is when it starts with umu- already), else
 * steam-$SteamAppId / steam-$SteamGameId, else the basename of argv0, each
 * made valid by replacing odd bytes with '_'. The variables are looked up
 * with getenv_fn (pass getenv for the process's own); NULL: none, the
 * basename. */
void umucg_name_default(const char *argv0, const char *(*getenv_fn)(const char *),
			char out[UMUCG_NAME_MAX + 1]);

/* ---- limits ---------------------------------------------------------- */

enum {
	UMUCG_CTRL_MEMORY = 1u << 0,
	UMUCG_CTRL_PIDS = 1u << 1,
	UMUCG_CTRL_CPU = 1u << 2,
	UMUCG_CTRL_IO = 1u << 3,
};

enum {
	UMUCG_LIMIT_MEM_HIGH = 1u << 0,
	UMUCG_LIMIT_MEM_MAX = 1u << 1,
	UMUCG_LIMIT_SWAP_MAX = 1u << 2,
	UMUCG_LIMIT_PIDS_MAX = 1u << 3,
	UMUCG_LIMIT_CPU_WEIGHT = 1u << 4,
	UMUCG_LIMIT_CPU_MAX = 1u << 5,
	UMUCG_LIMIT_IO_WEIGHT = 1u << 6,
};

#define UMUCG_CPU_PERIOD_US 100000u

struct umucg_limits {
	unsigned set;          /* UMUCG_LIMIT_* bits of the fields given */
	uint64_t mem_high;     /* bytes or UMUCG_UNLIMITED */
	uint64_t mem_max;
	uint64_t swap_max;
	uint64_t pids_max;     /* count or UMUCG_UNLIMITED */
	uint32_t cpu_weight;   /* 1..10000 */
	uint32_t io_weight;    /* 1..10000 */
	uint64_t cpu_quota_us; /* per UMUCG_CPU_PERIOD_US, or UMUCG_UNLIMITED */
};

/* SIZE: integer or decimal, optional K/M/G/T (powers of 1024, any case,
 * optional B/iB), or "max" (-> UMUCG_UNLIMITED). */
int umucg_parse_size(const char *s, uint64_t *out, struct umucg_error *err);

/* Parses one LIMITS option: opt is its name without dashes ("mem",
 * "mem-max", "swap-max", "pids", "cpu-weight", "cpu-max", "io-weight"; see
 * umucg_limit_option) and value its argument. Returns 0, -EINVAL or -ERANGE
 * on a bad value, -ENOENT when opt is no limit option. */
int umucg_limits_parse_option(struct umucg_limits *limits, const char *opt,
			      const char *value, struct umucg_error *err);

/* Controllers the set limits need (UMUCG_CTRL_* mask). */
unsigned umucg_limits_controllers(const struct umucg_limits *limits);

/* Clears the limits that need any of the controllers in ctrl. */
void umucg_limits_drop_controllers(struct umucg_limits *limits, unsigned ctrl);

/* A set limit (a UMUCG_LIMIT_* bit): file, value written, for people ("4.0G"). */
int umucg_limit_describe(const struct umucg_limits *limits, unsigned bit, const char **file,
			 char value[64], char human[32]);

/* Writes the set limits into the group's interface files. */
int umucg_limits_apply(int group_fd, const struct umucg_limits *limits,
		       struct umucg_error *err);

/* The i-th LIMITS option name without dashes ("mem", "mem-max", ...), NULL
 * past the last. */
const char *umucg_limit_option(unsigned i);

/* DURATION: a non-negative decimal number with an optional s, m, h or d
 * suffix (timeout(1)'s grammar); the result is in seconds. */
int umucg_parse_duration(const char *s, double *seconds, struct umucg_error *err);

/* Name of one UMUCG_CTRL_* bit ("memory", "pids", "cpu", "io"). */
const char *umucg_controller_name(unsigned ctrl);
/* Reads a controllers file (cgroup.controllers, cgroup.subtree_control). */
int umucg_controllers_read(int dir_fd, const char *file, unsigned *mask,
			   struct umucg_error *err);
/* -EOPNOTSUPP naming the first controller of want missing from available,
 * with the fix as hint; where names the place for the message. */
int umucg_controllers_require(unsigned available, unsigned want, const char *where,
			      struct umucg_error *err);
/* Enables the controllers of want in dir_fd's cgroup.subtree_control. */
int umucg_controllers_enable(int dir_fd, unsigned want, struct umucg_error *err);

/* ---- groups ---------------------------------------------------------- */

/* Creates base/NAME. With allow_suffix, a taken name becomes NAME-2, NAME-3,
 * ... and the name used is written back to name (UMUCG_NAME_MAX + 1 bytes).
 * Without it a taken name fails with -EEXIST, except a group left empty by a
 * dead manager, which is reclaimed. meta (may be NULL) is recorded on the new
 * group while the base is locked. Returns the group's directory fd. */
struct umucg_meta;
struct umucg_meta_store;
int umucg_group_create(int base_fd, char *name, bool allow_suffix,
		       const struct umucg_meta *meta, const struct umucg_meta_store *store,
		       struct umucg_error *err);
/* Opens an existing base/NAME; returns its directory fd. */
int umucg_group_open(int base_fd, const char *name, struct umucg_error *err);
/* Removes base/NAME (an empty group). */
int umucg_group_remove(int base_fd, const char *name, struct umucg_error *err);

/* 1 when the group has processes, 0 when empty. */
int umucg_group_populated(int group_fd, struct umucg_error *err);
/* 1 when cgroup.events says frozen. */
int umucg_group_frozen(int group_fd, struct umucg_error *err);
/* The pids in cgroup.procs; *pids malloc'd. */
int umucg_group_pids(int group_fd, pid_t **pids, size_t *n, struct umucg_error *err);
/* Sends sig to every process of the group; returns how many were signalled. */
int umucg_group_signal(int group_fd, int sig, struct umucg_error *err);

enum umucg_kill_method {
	UMUCG_KILL_AUTO,        /* cgroup.kill where the kernel has it */
	UMUCG_KILL_CGROUP_KILL, /* cgroup.kill only */
	UMUCG_KILL_FREEZE,      /* freeze, SIGKILL each, thaw (kernels < 5.14) */
};
/* Kills every process of the group, including ones forked meanwhile. */
int umucg_group_kill(int group_fd, enum umucg_kill_method method,
		     struct umucg_error *err);

/* Writes 1 or 0 to cgroup.freeze (does not wait). */
int umucg_group_set_frozen(int group_fd, bool frozen, struct umucg_error *err);

/* ---- what a group knows about itself --------------------------------- */

/* Where group records are kept; NULL: UMUCG_META_AUTO, user.* xattrs on the
 * group, else (before 5.7) a file in /run/umucg/meta (root) or /run/user/UID/
 * umucg-meta; the directory must be the caller's own, not writable by others. */
enum umucg_meta_where {
	UMUCG_META_AUTO,  /* xattrs, else a file */
	UMUCG_META_XATTR, /* xattrs only */
	UMUCG_META_FILE,  /* a file only */
};
struct umucg_meta_store {
	enum umucg_meta_where where;
	const char *dir;  /* absolute directory of the files, or NULL: the default */
};

struct umucg_meta {
	pid_t manager_pid;            /* 0 when unknown */
	unsigned long long manager_start; /* /proc/PID/stat starttime, clock ticks */
	long long started;            /* unix time the group was made */
	char command[1024];           /* argv joined by spaces, may be truncated */
	struct umucg_limits unapplied; /* requested, not applied: no controller */
};

int umucg_meta_write(const struct umucg_meta_store *store, int group_fd,
		     const struct umucg_meta *meta, struct umucg_error *err);
int umucg_meta_read(const struct umucg_meta_store *store, int group_fd,
		    struct umucg_meta *meta, struct umucg_error *err);
/* Fills manager_pid/manager_start/started for the calling process. */
int umucg_meta_self(struct umucg_meta *meta, struct umucg_error *err);
/* Sets command to argv joined by spaces (truncated to fit). */
void umucg_meta_set_command(struct umucg_meta *meta, char *const *argv);
/* true when the manager recorded in meta still runs (same pid, same start). */
bool umucg_meta_manager_alive(const struct umucg_meta *meta);

/* ---- spawn and supervise --------------------------------------------- */

enum umucg_spawn_method {
	UMUCG_SPAWN_AUTO,   /* clone3(CLONE_INTO_CGROUP), fallback when missing */
	UMUCG_SPAWN_CLONE3, /* clone3 only */
	UMUCG_SPAWN_FORK,   /* fork, join the group, then exec */
};

struct umucg_spawn_opts {
	char *const *argv;             /* argv[0] is looked up in PATH */
	int group_fd;                  /* -1: no group (plain subreaper) */
	enum umucg_spawn_method method;
	const sigset_t *child_sigmask; /* the signal mask CMD gets, or NULL */
	bool drop_privileges;          /* become uid/gid/groups, clear caps */
	uid_t uid;
	gid_t gid;
	const gid_t *groups;           /* supplementary groups */
	size_t ngroups;
};

/* Starts argv inside the group. On success *pid is the running child (its
 * exec succeeded). On failure the child is reaped; when it was exec that
 * failed, *exec_errno is its errno (ENOENT: not found, 127; else 126). */
int umucg_spawn(const struct umucg_spawn_opts *opts, pid_t *pid,
		int *exec_errno, struct umucg_error *err);

/* In a child of root: setgroups, setresgid, setresuid; clears every
 * capability set (bounding and ambient included); sets no_new_privs. */
int umucg_privileges_drop(uid_t uid, gid_t gid, const gid_t *groups, size_t ngroups);

/* ---- the run protocol: what `umucg run` does --------------------------
 *
 * One call, umucg_run(), or its three steps: umucg_run_open() takes over
 * the signals, becomes the child subreaper and makes the group with its
 * limits; umucg_run_wait() starts CMD in it and supervises the whole tree
 * until every process of it is gone; umucg_run_close() removes the group
 * and gives the signals back. Signals (DESIGN.md, "run semantics"):
 * SIGTERM, SIGINT, SIGHUP, SIGQUIT end the tree (forwarded to every
 * process, cgroup.kill after the grace period, at once on a second one); a
 * signal the terminal gave the whole foreground process group (Ctrl-C) is
 * not sent again to the processes that have it; SIGTSTP, SIGTTIN, SIGTTOU
 * freeze the group and stop the calling process, SIGCONT thaws it; every
 * other catchable signal goes to CMD while it lives, then to the whole
 * tree. A signal the caller ignores stays ignored.
 *
 * The calling process must be single-threaded (or have blocked every
 * signal in its other threads): signals are taken over with the calling
 * thread's mask and a signalfd. It reaps every child of the process (it is
 * the tree's subreaper), so run it in a process of its own. */

struct umucg_run_opts {
	char *const *argv;       /* CMD; argv[0] is looked up in PATH */
	const char *base;        /* an explicit base (absolute path), or NULL */
	const char *name;        /* NULL: CMD's basename (umucg_name_default) */
	bool name_suffix;        /* a taken name becomes NAME-2, ... (always
				  * when name is NULL) */
	const struct umucg_limits *limits; /* NULL: none */
	bool strict;             /* a limit whose controller is missing, or no
				  * usable cgroup2, is an error instead of a
				  * run without it (see umucg_run_info) */
	bool keep;               /* leave the empty group behind */
	const struct umucg_meta_store *store; /* where the record goes; NULL: default */
	double grace;            /* seconds from the first signal to cgroup.kill */
	double timeout;          /* > 0: end the tree after that many seconds */
	double linger;           /* < 0: wait for the whole tree; else, once CMD
				  * has exited, end the rest after that many
				  * seconds (0: at once) */
	bool kill_on_crash;      /* linger 0 when CMD died of a signal or exited
				  * with 128+N */
	bool exit_with_parent;   /* end the tree when the calling process's
				  * parent (the process, not a thread) exits */
	bool release_cwd;        /* chdir("/") once CMD runs */
	bool release_stdio;      /* stdin and stdout become /dev/null once CMD
				  * runs (stderr stays, for reports) */
	bool drop_privileges;    /* (root) CMD runs as uid/gid/groups, no caps */
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t ngroups;
	enum umucg_spawn_method spawn;
	enum umucg_kill_method kill;
};

/* Fills opts with the defaults: grace 10 s, no timeout, linger -1, the
 * AUTO methods, everything else off. */
void umucg_run_opts_init(struct umucg_run_opts *opts, char *const *argv);

struct umucg_run_result {
	int status;          /* wait status of CMD (when it ran) */
	int exec_errno;      /* CMD could not be executed: its errno, else 0 */
	bool timed_out;      /* the timeout ended the tree */
	bool lingered;       /* the rest of the tree was ended after CMD exited */
	bool parent_exited;  /* exit_with_parent ended the tree */
	bool killed;         /* cgroup.kill (or its fallback) was used */
	int stop_signals;    /* stop signals received */
};

struct umucg_run;
struct umucg_run_info {
	const char *group_path;  /* the group's absolute path, NULL without one */
	const char *group_name;  /* "" without one */
	unsigned skipped;        /* UMUCG_CTRL_* the limits needed that the base
				  * does not offer: those limits are not applied */
	const struct umucg_error *no_group; /* why there is no group (no usable
				  * cgroup2): CMD runs under a plain subreaper */
	pid_t pid;               /* CMD, once it runs; 0 before */
};

/* Validates opts, takes over the signals, becomes the child subreaper and
 * makes the group with its limits (the base locked while the name is
 * taken). Nothing has started yet; *run is freed by umucg_run_close. On
 * failure nothing is left: no group, the signals given back. */
int umucg_run_open(const struct umucg_run_opts *opts, struct umucg_run **run,
		   struct umucg_error *err);
/* What umucg_run_open made (valid until umucg_run_close). */
const struct umucg_run_info *umucg_run_info(const struct umucg_run *run);
/* Starts CMD inside the group and supervises the tree until CMD has
 * exited, the group is empty and every child is reaped. -errno when CMD
 * could not start (result->exec_errno says when exec was what failed) or
 * supervision failed (the tree is killed then). */
int umucg_run_wait(struct umucg_run *run, struct umucg_run_result *result,
		   struct umucg_error *err);
/* Removes the group (unless keep), gives the signals back and frees run.
 * -errno when the group could not be removed (a child group made in it). */
int umucg_run_close(struct umucg_run *run, struct umucg_error *err);
/* open, wait and close in one call. */
int umucg_run(const struct umucg_run_opts *opts, struct umucg_run_result *result,
	      struct umucg_error *err);

/* The exit status of `umucg run` for a result: CMD's own, 128+N when it
 * died of signal N, 124 when the timeout ended it, 127 when CMD was not
 * found, 126 when it could not be executed. */
int umucg_run_exit_code(const struct umucg_run_result *result);

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

/* ---- what this system offers (doctor) --------------------------------- */

enum umucg_cgroup_mode {
	UMUCG_MODE_NONE,    /* no cgroup file system mounted */
	UMUCG_MODE_LEGACY,  /* cgroup v1 hierarchies only */
	UMUCG_MODE_HYBRID,  /* cgroup2 beside v1 hierarchies */
	UMUCG_MODE_UNIFIED, /* cgroup2 only */
};
/* The mode of this system, from /proc/self/mountinfo. */
int umucg_cgroup_mode(enum umucg_cgroup_mode *mode, struct umucg_error *err);
/* "none", "legacy", "hybrid", "pure". */
const char *umucg_cgroup_mode_name(enum umucg_cgroup_mode mode);

enum {
	UMUCG_FEATURE_CLONE_INTO_CGROUP = 1u << 0, /* clone3(CLONE_INTO_CGROUP), 5.7 */
	UMUCG_FEATURE_CGROUP_KILL = 1u << 1,       /* cgroup.kill, 5.14 */
	UMUCG_FEATURE_USER_XATTR = 1u << 2,        /* user.* xattrs on cgroupfs, 5.7 */
	UMUCG_FEATURE_FREEZE = 1u << 3,            /* cgroup.freeze, 5.2 */
};
struct umucg_features {
	unsigned known;    /* UMUCG_FEATURE_* bits probed */
	unsigned present;  /* of those, the ones the kernel has */
};
/* Probes the kernel, not its version: clone3 with a bad cgroup fd, the
 * interface files and xattrs of dir_fd (a non-root cgroup directory; -1
 * leaves those unknown). Writes nothing. */
void umucg_features_probe(int dir_fd, struct umucg_features *f);

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

/* ---- managing groups: lookup, state, stats, tree, moves, stop ------- */

/* Resolves the base (creating nothing) and opens its group NAME; returns the
 * group's directory fd. An unknown NAME is -ENOENT, a NAME that is not one
 * path component of the allowed characters -EINVAL. */
int umucg_group_lookup(const char *explicit_base, const char *name,
		       struct umucg_base *base, struct umucg_error *err);

/* The names of the base's groups (its child directories), sorted; free
 * them with umucg_names_free. */
int umucg_group_list(const struct umucg_meta_store *store, int base_fd, char ***names,
		     size_t *n, struct umucg_error *err);
void umucg_names_free(char **names, size_t n);

enum umucg_group_state {
	UMUCG_STATE_RUNNING,      /* has processes, manager alive or none recorded */
	UMUCG_STATE_FROZEN,       /* cgroup.events frozen 1 */
	UMUCG_STATE_EMPTY,        /* no processes, manager alive or none recorded */
	UMUCG_STATE_MANAGER_GONE, /* the umucg that made it is dead */
};
/* "running", "frozen", "empty", "manager-gone". */
const char *umucg_state_name(enum umucg_group_state state);

struct umucg_group_info {
	enum umucg_group_state state;
	size_t nprocs;           /* lines of cgroup.procs */
	bool populated;
	bool frozen;
	bool has_meta;           /* a record was found (xattrs or fallback) */
	struct umucg_meta meta;  /* zeroed when !has_meta */
	bool manager_alive;
	long long created;       /* unix time: meta.started, else the directory's */
};
int umucg_group_info(const struct umucg_meta_store *store, int group_fd,
		     struct umucg_group_info *info, struct umucg_error *err);

/* One counter or limit of a group, as the kernel reports it. */
enum umucg_stat_section {
	UMUCG_SECTION_USAGE,
	UMUCG_SECTION_LIMITS,
	UMUCG_SECTION_MEMORY_EVENTS,
	UMUCG_SECTION_PIDS_EVENTS,
	UMUCG_SECTION_CPU,
};
struct umucg_stat {
	const char *name;        /* "memory_current", "pids_max", "oom_kill", ... */
	enum umucg_stat_section section;
	bool present;            /* the kernel has this file and key here */
	uint64_t value;          /* UMUCG_UNLIMITED for "max" */
};
#define UMUCG_STATS_MAX 48
struct umucg_stats {
	size_t n;
	struct umucg_stat s[UMUCG_STATS_MAX];
};
/* Reads every counter and limit umucg knows of; absent ones have
 * present false. Fails only when the group itself cannot be read. */
int umucg_group_stats(int group_fd, struct umucg_stats *stats, struct umucg_error *err);
/* The stat of section called name, NULL when there is none. */
const struct umucg_stat *umucg_stats_get(const struct umucg_stats *stats,
					 enum umucg_stat_section section, const char *name);

/* Writes the stats of one section as a JSON object: a number, "max", or
 * null where the kernel has no such file. */
struct umucg_json;
void umucg_stats_json(struct umucg_json *j, const struct umucg_stats *stats,
		      enum umucg_stat_section section);
/* Bytes for people: "512B", "1.5K", "4.0G", or "max". */
void umucg_format_size(uint64_t bytes, char *out, size_t cap);
/* SIG: a name (TERM, SIGTERM, any case) or a number. */
int umucg_parse_signal(const char *s, int *sig, struct umucg_error *err);

/* One process of a group's tree. */
struct umucg_proc {
	pid_t pid;
	pid_t ppid;
	unsigned depth;          /* 0 for a process whose parent is not in the group */
	char *cmdline;           /* argv joined by spaces, or "[comm]" */
};
/* The group's processes in tree order (each parent before its children);
 * free with umucg_procs_free. */
int umucg_group_tree(int group_fd, struct umucg_proc **procs, size_t *n,
		     struct umucg_error *err);
void umucg_procs_free(struct umucg_proc *procs, size_t n);

/* Moves processes into the group, every one checked first: nothing moves
 * when one does not exist, is a kernel thread or is not the caller's to
 * signal. With tree, their descendants follow, rescanning until no new one
 * appears; the group is frozen meanwhile so that moved processes cannot fork
 * (and thawed after, unless it was frozen before). Returns how many
 * processes were moved. */
int umucg_move(int group_fd, const pid_t *pids, size_t n, bool tree,
	       struct umucg_error *err);
/* Moves the calling process into the group. */
int umucg_join(int group_fd, struct umucg_error *err);

/* Waits on cgroup.events notifications until KEY has value, at most
 * timeout seconds (negative: no limit); -ETIMEDOUT otherwise. */
int umucg_group_wait_event(int group_fd, const char *key, unsigned long long value,
			   double timeout, struct umucg_error *err);
/* Asks the kernel to freeze (or thaw) the group and waits until
 * cgroup.events says so. -EALREADY, changing nothing, when cgroup.freeze
 * already holds that value. */
int umucg_group_freeze(int group_fd, bool frozen, double timeout,
		       struct umucg_error *err);
/* Sends sig to every process (thawing a frozen group so that it is
 * delivered), waits up to grace seconds for the group to empty, then kills
 * what is left and waits until it is empty. Returns 1 when it had to kill,
 * 0 when the signal sufficed. Does not remove the group. */
int umucg_group_stop(const struct umucg_meta_store *store, int group_fd, int sig,
		     double grace, enum umucg_kill_method method, struct umucg_error *err);

/* 1 (*who: which) when the group or one below it holds the calling process,
 * an ancestor of it (its shell ... PID 1) or its session leader; else 0. */
int umucg_group_holds_caller(int group_fd, pid_t *who, struct umucg_error *err);

/* Removes the base's empty groups whose manager is gone, and the empty ones
 * 'create' made longer than min_age seconds ago; never one without a record.
 * *removed: their names (free with umucg_names_free). */
int umucg_gc(const struct umucg_meta_store *store, int base_fd, double min_age,
	     char ***removed, size_t *n, struct umucg_error *err);

/* gc --stop: ends the groups whose manager is gone but which have processes
 * (sig to all, grace seconds, then kill); never a live manager's, a created
 * one, one without a record; those holding the caller go to *spared. */
int umucg_gc_stop(const struct umucg_meta_store *store, int base_fd, int sig, double grace,
		  enum umucg_kill_method method, char ***stopped, size_t *nstopped,
		  char ***spared, size_t *nspared, struct umucg_error *err);

/* ---- JSON output ------------------------------------------------------ */

/* A JSON writer into a growing buffer; strings are escaped (quotes,
 * backslashes, control characters) and invalid UTF-8 bytes become U+FFFD,
 * so the text is valid JSON for any input. Errors are sticky and reported
 * by umucg_json_finish. */
struct umucg_json {
	char *buf;
	size_t len, cap;
	int depth;
	unsigned count[32];
	bool after_key;
	int error;
};
void umucg_json_init(struct umucg_json *j);
void umucg_json_free(struct umucg_json *j);
void umucg_json_begin_object(struct umucg_json *j);
void umucg_json_end_object(struct umucg_json *j);
void umucg_json_begin_array(struct umucg_json *j);
void umucg_json_end_array(struct umucg_json *j);
void umucg_json_key(struct umucg_json *j, const char *key);
void umucg_json_string(struct umucg_json *j, const char *s); /* NULL: null */
void umucg_json_uint(struct umucg_json *j, uint64_t v);
void umucg_json_int(struct umucg_json *j, int64_t v);
void umucg_json_bool(struct umucg_json *j, bool v);
void umucg_json_null(struct umucg_json *j);
/* The text (ending in a newline after the top-level value), or the error. */
int umucg_json_finish(struct umucg_json *j, const char **text, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
