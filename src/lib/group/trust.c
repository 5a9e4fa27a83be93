/* trust.c - whether another user controls a cgroup directory: root must not
 * put its processes where a delegated user could move, freeze and kill them. */
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "internal.h"

/* true when st (a directory or its cgroup.procs) is someone else's: owned
 * by a uid that is neither root nor the caller, or writable by others. */
static bool foreign(const struct stat *st, uid_t me, uid_t *who)
{
	*who = st->st_uid;
	if (st->st_uid != 0 && st->st_uid != me)
		return true;
	return (st->st_mode & S_IWOTH) ||
	       ((st->st_mode & S_IWGRP) && st->st_gid != 0 && st->st_gid != getegid());
}

/* The path of the directory up levels above path, in out. */
static void ancestor_path(const char *path, unsigned up, char *out, size_t cap)
{
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	for (unsigned i = 0; i < up && len > 1; i++) {
		while (len > 1 && path[len - 1] != '/')
			len--;
		while (len > 1 && path[len - 1] == '/')
			len--;
	}
	snprintf(out, cap, "%.*s", (int)len, path);
}

static int refuse(const char *path, unsigned up, bool procs, uid_t who,
		  struct umucg_error *err)
{
	char at[4096];
	ancestor_path(path ? path : "the group", up, at, sizeof at);
	umucg_err(err, -EPERM, "%s: inside a subtree that uid %u controls (%s%s): that user "
		  "could move, freeze and kill every process put there", path ? path : "group",
		  (unsigned)who, at, procs ? "/cgroup.procs is writable by it" : " is owned by it");
	return umucg_err_hint(err, "use a base of your own (root: the default <cgroup2>/umucg/system), "
			      "or pass --force to accept that");
}

int umucg_dir_check_trusted(int dir_fd, const char *path, struct umucg_error *err)
{
	uid_t me = geteuid(), who;
	cleanup_close int fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return umucg_err(err, -errno, "%s: %s", path ? path : "group", strerror(errno));
	/* Up to, not including, the mount root: it is root's or, in a
	 * container, whoever the host gave it to; nobody below can change it. */
	for (unsigned up = 0; up < 4096; up++) {
		struct stat st, pst, procs;
		struct statfs sfs;
		cleanup_close int parent = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fstat(fd, &st) < 0 || parent < 0 || fstat(parent, &pst) < 0 ||
		    fstatfs(parent, &sfs) < 0)
			return umucg_err(err, -errno, "%s: %s", path ? path : "group", strerror(errno));
		if (sfs.f_type != CGROUP2_SUPER_MAGIC || pst.st_dev != st.st_dev || pst.st_ino == st.st_ino)
			return 0;
		if (foreign(&st, me, &who))
			return refuse(path, up, false, who, err);
		if (fstatat(fd, "cgroup.procs", &procs, AT_SYMLINK_NOFOLLOW) == 0 &&
		    foreign(&procs, me, &who))
			return refuse(path, up, true, who, err);
		close(fd);
		fd = umucg_steal_fd(&parent);
	}
	return umucg_err(err, -ELOOP, "%s: too deep", path ? path : "group");
}
