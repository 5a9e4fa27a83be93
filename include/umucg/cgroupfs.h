/* umucg/cgroupfs.h - the cgroup2 filesystem: the mount, where groups live (the base), opening paths beneath a directory, the cgroup mode and kernel features.
 * Part of libumucg's API: include <umucg.h>, which includes every part. */
#ifndef UMUCG_CGROUPFS_H
#define UMUCG_CGROUPFS_H

#include <umucg/text.h>

#ifdef __cplusplus
extern "C" {
#endif

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

/* 0 when no other user controls the cgroup directory dir_fd or any of its
 * ancestors below the mount root; -EPERM naming the first that another user
 * does (owned by a uid other than root and the caller, or its cgroup.procs
 * owned by or writable for one): that user could move, freeze and kill the
 * processes put there. For root about to put its processes into a base
 * (run, create, join, move). path (may be NULL) is for the message. */
int umucg_dir_check_trusted(int dir_fd, const char *path, struct umucg_error *err);

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

#ifdef __cplusplus
}
#endif
#endif
