/* umucg/run.h - starting a command inside a group, and the whole run protocol (umucg run).
 * Part of libumucg's API: include <umucg.h>, which includes every part. */
#ifndef UMUCG_RUN_H
#define UMUCG_RUN_H

#include <signal.h>
#include <umucg/group.h>

#ifdef __cplusplus
extern "C" {
#endif

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
	bool force;              /* accept a base inside another user's subtree
				  * (umucg_dir_check_trusted): that user could
				  * move, freeze and kill CMD's processes */
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
	bool release_cwd;        /* chdir("/") before CMD starts (in the caller's) */
	bool release_stdio;      /* stdin and stdout become /dev/null once CMD
				  * runs (stderr stays, for reports) */
	bool drop_privileges;    /* (root) CMD runs as uid/gid/groups, no caps */
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t ngroups;
	enum umucg_spawn_method spawn;
	enum umucg_kill_method kill;
	unsigned usage;          /* UMUCG_USAGE_* read into the result as the
				  * tree ends (the OOM and pids counters are read
				  * anyway where the base has those controllers) */
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
	int64_t wall_usec;   /* from the start of CMD to the end of its tree */
	struct umucg_usage usage; /* what the group used (opts.usage), read just
			      * before it goes; umucg_usage_limit_hit says
			      * whether a limit killed processes */
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

#ifdef __cplusplus
}
#endif
#endif
