/* internal.h - helpers shared by libumucg's files; not installed. */
#ifndef UMUCG_INTERNAL_H
#define UMUCG_INTERNAL_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "umucg.h"
#include "parsers.h"

#define UMUCG_HIDDEN __attribute__((visibility("hidden")))

/* Cleanup attributes: fds and heap memory are released on every path. */
static inline void umucg_closep(int *fd)
{
	if (fd && *fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}
static inline void umucg_freep(void *p)
{
	free(*(void **)p);
}
#define cleanup_close __attribute__((cleanup(umucg_closep)))
#define cleanup_free __attribute__((cleanup(umucg_freep)))

/* Hands an fd out of a cleanup_close variable. */
static inline int umucg_steal_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}

/* error.c: fill err (may be NULL) and return code (a negative errno). */
int umucg_err(struct umucg_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Adds a hint to an error already set; returns err->code. */
int umucg_err_hint(struct umucg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Puts "PREFIX: " before err's message, keeping its code and hint; returns
 * err->code. */
int umucg_err_prefix(struct umucg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* fmt.c: texts without printf (the run path uses no printf: fmt.c says why).
 * fmt_ull/fmt_ll write v in decimal, NUL-terminated and truncated to cap;
 * str_copy copies like strlcpy; both return the untruncated length.
 * str_join: a[0..alen) sep b, malloc'd. */
size_t fmt_ull(char *buf, size_t cap, unsigned long long v);
size_t fmt_ll(char *buf, size_t cap, long long v);
size_t str_copy(char *dst, size_t cap, const char *src);
char *str_join(const char *a, size_t alen, const char *sep, const char *b);

/* confine.c: a flag of umucg_openat_beneath's how that forces the
 * component walk (the fallback for kernels without openat2), for tests. */
#define UMUCG_BENEATH_WALK (1u << 31)

/* confine.c: copies the next component of the path at *p into comp (cap
 * bytes), skipping slashes, and moves *p past it. Returns its length, 0 at
 * the end of the path, -ENAMETOOLONG. */
int path_next_component(const char **p, char *comp, size_t cap);

/* proc_cgroup.c: the cgroup2 path of pid (0: the caller) from
 * /proc/PID/cgroup, malloc'd; -ENOENT without a cgroup2 line. */
int proc_cgroup_path(pid_t pid, char **path);

/* cgdir.c: mkdir of name under parent that takes an existing directory
 * too, opened beneath parent on the same mount (path: for messages);
 * returns its fd. */
int cgdir_make(int parent, const char *name, mode_t mode, const char *path,
	       struct umucg_error *err);
/* a/b without doubled slashes (malloc'd, NULL without memory). */
char *path_join(const char *a, const char *b);
/* The part of path below mount ("" for mount itself), comparing components
 * (so "//" and "." do not matter), or NULL when path is not at or below
 * mount. */
const char *path_beneath(const char *path, const char *mount);

/* cgfile.c: the one way interface files are opened, read and written. */
int cgfile_open(int dir_fd, const char *name, int flags);
/* Reads the whole file (up to cap-1 bytes) into buf, NUL-terminated; returns
 * the length or -errno. */
ssize_t cgfile_read(int dir_fd, const char *name, char *buf, size_t cap);
/* The first line of a file, without its newline; 0 or -errno. */
int cgfile_read_line(int dir_fd, const char *name, char *buf, size_t cap);
/* Reads from an open fd at offset 0. */
ssize_t cgfile_pread_fd(int fd, char *buf, size_t cap);
/* Reads a whole file of any size into a malloc'd buffer. */
int cgfile_read_alloc(int dir_fd, const char *name, char **out, size_t *len);
/* Writes s in one write(2); a short write is -EIO. */
int cgfile_write(int dir_fd, const char *name, const char *s);
/* Value of "key N" in a flat-keyed file text (cgroup.events, memory.events). */
int cgfile_keyed_value(const char *text, const char *key, unsigned long long *out);

/* meta.c: sets the record's unapplied limits (set 0: none), keeping the
 * rest of it; -ENODATA when the group has no record. For a group made
 * before its limits were known to be unapplicable. */
int umucg_meta_set_unapplied(const struct umucg_meta_store *store, int group_fd,
			     const struct umucg_limits *unapplied, struct umucg_error *err);

/* wait.c: one value of a cgroup.events key to wait for. */
struct events_want {
	const char *key;
	unsigned long long value;
};
/* Waits on cgroup.events notifications until one of the n wants holds, at
 * most timeout seconds (negative: no limit; then -ETIMEDOUT); a wake_fd
 * (-1: none) that becomes readable makes it look again. A group removed
 * meanwhile counts as populated 0. */
int cgroup_events_wait(int group_fd, const struct events_want *want, size_t n, double timeout,
		       int wake_fd, struct umucg_error *err);

/* meta_file.c: the group record where cgroupfs has no user xattrs. */
int meta_file_write(const struct umucg_meta_store *store, int group_fd,
		    const struct umucg_meta *meta);
int meta_file_read(const struct umucg_meta_store *store, int group_fd, struct umucg_meta *meta);
/* Removes the records of base_fd's groups whose inode is not in live. */
int meta_file_prune(const struct umucg_meta_store *store, int base_fd,
		    const uint64_t *live_inodes, size_t n);

/* procinfo.c: one process as /proc/PID/stat shows it (umucg_proc_stat_parse
 * in parsers.h). */
int proc_stat_read(pid_t pid, struct proc_stat *ps);
/* argv joined by spaces, or "[comm]" when it has none; malloc'd. */
char *proc_cmdline(pid_t pid, const char *comm);

/* group.c: true when the group's directory was removed while we held it
 * open (its interface files are gone with it). */
bool umucg_group_gone(int group_fd);

/* clone_vm.c: clone3 with args (whose flags hold CLONE_VM, and whose stack
 * is the child's own); the child runs fn(arg) and exits with its value.
 * Returns the child's pid or -errno; -ENOSYS on architectures it has no
 * assembly for. */
long clone3_vm(void *args, size_t size, int (*fn)(void *), void *arg);
/* spawn.c: umucg_spawn, told which signals the caller handles (reset to
 * the default action in a child that shares the caller's memory) and
 * whether the caller leaves its working directory for "/" (leave_cwd:
 * before CMD starts there; back on failure). */
int spawn_start(const struct umucg_spawn_opts *opts, const sigset_t *handled, bool leave_cwd,
		pid_t *pid_out, int *exec_errno, struct umucg_error *err);
/* lock.c: the base's exclusive lock, held while a name is taken or a
 * group removed; waited for at most UMUCG_LOCK_WAIT_MS, then -EWOULDBLOCK
 * naming the holder (from /proc/locks). */
#define UMUCG_LOCK_WAIT_MS 2000
int umucg_base_lock(int base_fd, struct umucg_error *err);
void umucg_base_unlock(int base_fd);
/* Takes read and write permission from group and others on a directory
 * (make_it), so that no other user can open it and so hold its lock; without
 * make_it only says -EACCES when they have it. */
int base_protect_mode(int dir_fd, bool make_it);

/* privs.c: umucg_privileges_drop with libcap already loaded (spawn loads
 * it before the child exists, so that a missing libcap fails early). */
struct libcap;
int umucg_privileges_drop_with(const struct libcap *lc, uid_t uid, gid_t gid,
			       const gid_t *groups, size_t ngroups);

/* diagnose/v1.c: fills d->v1 (or d->v1_error) with the cgroup v1
 * hierarchies other than d->mount, asking libcgroup. */
void diagnose_v1(struct umucg_diagnosis *d);
/* diagnose/checks.c: judges the gathered facts into d->checks and the
 * verdicts. */
void diagnose_judge(struct umucg_diagnosis *d, const struct umucg_diagnose_opts *o);

/* pidfd.c: pidfd_open(pid) (the fd, or -errno: -ENOSYS before Linux 5.3,
 * -ESRCH when there is no such process); pidfd_send_signal (0 or -errno);
 * and whether the process is not reaped yet (its pid cannot have been
 * given to another process). */
int pidfd_of(pid_t pid);
int pidfd_signal(int pidfd, int sig);
bool pidfd_unreaped(int pidfd);
/* The id of the cgroup the pidfd's process is in now (PIDFD_GET_INFO,
 * Linux 6.13): 0, -ESRCH when it is gone, -EOPNOTSUPP when the kernel
 * cannot say. */
int pidfd_cgroup_id(int pidfd, uint64_t *id);
/* The id of the cgroup directory dir_fd (its file handle). */
int cgroup_id_of(int dir_fd, uint64_t *id);

/* procinfo.c: starttime of /proc/PID/stat (field 22). */
int umucg_proc_starttime(pid_t pid, unsigned long long *start);

/* procinfo.c: the signals pending for pid (bit N-1 for signal N). */
int proc_pending_signals(pid_t pid, uint64_t *pending);

/* group.c: thaws the group when its cgroup.freeze asks for frozen (so that
 * a signal just sent is delivered): 1 thawed, 0 it was not, -errno. */
int group_thaw_requested(int group_fd, struct umucg_error *err);

/* group.c: umucg_group_signal, but sparing the processes of process group
 * skip_pgid (0: none). */
int group_signal_except(int group_fd, int sig, pid_t skip_pgid, struct umucg_error *err);

/* A signal mask as the kernel takes it (rt_sigprocmask, signalfd4): the C
 * library's sigset_t cut to (NSIG - 1) / 8 bytes, bit N-1 for signal N. The
 * library's own calls leave out the signals it keeps for itself (glibc 32
 * and 33, musl 32 to 34); these do not. */
#define KSIGSET_BYTES ((NSIG - 1) / 8)
typedef unsigned long ksigset[(KSIGSET_BYTES + sizeof(unsigned long) - 1) / sizeof(unsigned long)];

/* run/signals.c: what a signal means to a run. */
enum run_signal_kind {
	RUN_SIGNAL_STOP,     /* TERM, INT, HUP, QUIT: end the tree */
	RUN_SIGNAL_JOB_STOP, /* TSTP, TTIN, TTOU: freeze the group, stop */
	RUN_SIGNAL_JOB_CONT, /* CONT: thaw */
	RUN_SIGNAL_CHILD,    /* CHLD: reap */
	RUN_SIGNAL_FORWARD,  /* anything else: to CMD, then to the tree */
};
enum run_signal_kind run_signal_kind(int sig);
/* true when the terminal (or job control) sent sig to umucg's whole process
 * group, judged by the signalfd's si_code. */
bool run_signal_from_terminal(int sig, int si_code);
/* The signals a run takes over: blocked and read from a signalfd. */
struct run_signals {
	sigset_t caught;    /* every catchable signal the caller does not ignore */
	sigset_t old_mask;  /* the caller's mask, given to CMD and given back */
	sigset_t handled;   /* the signals the caller has a handler for */
	int fd;             /* the signalfd, -1 when none */
	bool blocked;
	bool chld_ignored;  /* the caller ignored SIGCHLD (reset meanwhile) */
};
int run_signals_take(struct run_signals *rs, struct umucg_error *err);
/* Drops what arrived and was not read, restores the mask and SIGCHLD. */
void run_signals_give_back(struct run_signals *rs);

/* run/supervise.c: the event loop of a run. */
struct supervise_opts {
	int group_fd;        /* -1: plain subreaper, no group */
	pid_t main_pid;
	int signal_fd;
	int parent_fd;       /* pidfd of the parent to end with, or -1 */
	double grace, timeout, linger;
	bool kill_on_crash;
	enum umucg_kill_method kill_method;
};
/* Until main_pid has exited, the group is empty and every child is reaped;
 * fills result's status, timed_out, lingered, parent_exited, killed and
 * stop_signals. */
int supervise(const struct supervise_opts *opts, struct umucg_run_result *result,
	      struct umucg_error *err);

/* setup.c: memory, pids, cpu and io: what setup enables and users can get. */
#define UMUCG_ALL_CONTROLLERS (UMUCG_CTRL_MEMORY | UMUCG_CTRL_PIDS | UMUCG_CTRL_CPU | UMUCG_CTRL_IO | \
			       UMUCG_CTRL_CPUSET)
/* Enables want on every level from the mount root (root, an fd of mount)
 * down to (and in) the directory at rel, returning that directory's fd. A
 * missing last component is created. */
int setup_enable_along(int root, const char *mount, const char *rel, unsigned want,
		       struct umucg_error *err);
/* Hands the directory fd (at path, for messages) to uid:gid by the kernel's
 * rules, never following links, and marks it a delegation root. */
int setup_delegate_dir(int fd, const char *path, uid_t uid, gid_t gid, struct umucg_error *err);

/* base.c: the xattr that marks a delegation root (the convention of
 * systemd, Nix and others); its value is "1". */
#define UMUCG_DELEGATE_XATTR "user.delegate"
int delegation_mark(int dir_fd);
bool delegation_marked(int dir_fd);

/* login.c: a leaf 'session-N' that login_open made: no umucg record. */
bool login_is_leaf(const struct umucg_meta_store *store, int root_fd, const char *name);
/* Removes root_fd's empty session leaves; their names are added to
 * *removed (n of them) when removed is not NULL. */
int login_prune_leaves(const struct umucg_meta_store *store, int root_fd, char ***removed,
		       size_t *n);

#endif
