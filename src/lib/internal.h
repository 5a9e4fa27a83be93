/* internal.h - helpers shared by libumucg's files; not installed. */
#ifndef UMUCG_INTERNAL_H
#define UMUCG_INTERNAL_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "umucg.h"

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

/* confine.c: copies the next component of the path at *p into comp (cap
 * bytes), skipping slashes, and moves *p past it. Returns its length, 0 at
 * the end of the path, -ENAMETOOLONG. */
int path_next_component(const char **p, char *comp, size_t cap);

/* proc_cgroup.c: the cgroup2 path of pid (0: the caller) from
 * /proc/PID/cgroup, malloc'd; -ENOENT without a cgroup2 line. */
int proc_cgroup_path(pid_t pid, char **path);
/* proc_cgroup.c: the text of /proc/PID/stat. */
ssize_t proc_stat_text(pid_t pid, char *buf, size_t cap);

/* cgfile.c: the one way interface files are opened, read and written. */
int cgfile_open(int dir_fd, const char *name, int flags);
/* Reads the whole file (up to cap-1 bytes) into buf, NUL-terminated; returns
 * the length or -errno. */
ssize_t cgfile_read(int dir_fd, const char *name, char *buf, size_t cap);
/* Reads from an open fd at offset 0. */
ssize_t cgfile_pread_fd(int fd, char *buf, size_t cap);
/* Reads a whole file of any size into a malloc'd buffer. */
int cgfile_read_alloc(int dir_fd, const char *name, char **out, size_t *len);
/* Writes s in one write(2); a short write is -EIO. */
int cgfile_write(int dir_fd, const char *name, const char *s);
/* Value of "key N" in a flat-keyed file text (cgroup.events, memory.events). */
int cgfile_keyed_value(const char *text, const char *key, unsigned long long *out);

/* meta_file.c: the group record where cgroupfs has no user xattrs. */
int meta_file_write(int group_fd, const struct umucg_meta *meta);
int meta_file_read(int group_fd, struct umucg_meta *meta);
/* Removes the records of base_fd's groups whose inode is not in live. */
int meta_file_prune(int base_fd, const uint64_t *live_inodes, size_t n);

/* procinfo.c: one process as /proc shows it. */
struct proc_stat {
	char comm[64];
	char state;     /* R, S, D, Z, ... */
	pid_t ppid;
	bool kthread;
};
int proc_stat_read(pid_t pid, struct proc_stat *ps);
/* argv joined by spaces, or "[comm]" when it has none; malloc'd. */
char *proc_cmdline(pid_t pid, const char *comm);

/* group.c: true when the group's directory was removed while we held it
 * open (its interface files are gone with it). */
bool umucg_group_gone(int group_fd);

/* privs.c: umucg_privileges_drop with libcap already loaded (spawn loads
 * it before the child exists, so that a missing libcap fails early). */
struct libcap;
int umucg_privileges_drop_with(const struct libcap *lc, uid_t uid, gid_t gid,
			       const gid_t *groups, size_t ngroups);

/* proc.c helpers: starttime of /proc/PID/stat (field 22). */
int umucg_proc_starttime(pid_t pid, unsigned long long *start);
/* Parses the starttime out of a /proc/PID/stat text. */
int umucg_stat_parse_starttime(const char *text, unsigned long long *start);

/* setup.c: memory, pids, cpu and io: what setup enables and users can get. */
#define UMUCG_ALL_CONTROLLERS (UMUCG_CTRL_MEMORY | UMUCG_CTRL_PIDS | UMUCG_CTRL_CPU | UMUCG_CTRL_IO)
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
bool login_is_leaf(int root_fd, const char *name);
/* Removes root_fd's empty session leaves; their names are added to
 * *removed (n of them) when removed is not NULL. */
int login_prune_leaves(int root_fd, char ***removed, size_t *n);

#endif
