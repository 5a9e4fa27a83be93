/* confine.c - the one way libumucg opens a path beneath a directory fd:
 * no symlink followed, no "..", and (when asked) no mount point crossed.
 * openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS[|RESOLVE_NO_XDEV]) where the
 * kernel has it (5.6+), a checked component walk elsewhere. */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
/* The kernel's struct statx: musl (1.2.3) has no statx() wrapper or struct. */
#include <linux/stat.h>

#include "internal.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif


/* A mount's identity: statx's mount id where the kernel gives it (5.8+);
 * st_dev otherwise, which tells filesystems apart but not two bind mounts
 * of one filesystem. */
static int mount_identity(int fd, unsigned long long *id)
{
	struct statx stx;
	/* Through syscall(2): the same on glibc and musl. */
	if (syscall(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) == 0 &&
	    (stx.stx_mask & STATX_MNT_ID)) {
		*id = stx.stx_mnt_id;
		return 0;
	}
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	*id = (unsigned long long)st.st_dev;
	return 0;
}

/* The fallback: one component at a time, each opened O_NOFOLLOW (a symlink
 * fails with ELOOP, or ENOTDIR under O_DIRECTORY: told apart by lstat) and
 * checked to lie on the starting mount. */
static int open_walk(int dir_fd, const char *path, int flags, unsigned how)
{
	unsigned long long start_mnt = 0, mnt;
	int r;
	if ((how & UMUCG_BENEATH_SAME_MOUNT) && (r = mount_identity(dir_fd, &start_mnt)) < 0)
		return r;
	cleanup_close int cur = -1;
	const char *p = path;
	for (;;) {
		size_t len = strcspn(p, "/");
		const char *next = p + len;
		while (*next == '/')
			next++;
		bool last = *next == '\0';
		char comp[256];
		if (len >= sizeof comp)
			return -ENAMETOOLONG;
		memcpy(comp, p, len);
		comp[len] = '\0';
		int at = cur >= 0 ? cur : dir_fd;
		int fd;
		do
			fd = openat(at, comp, (last ? flags : O_PATH | O_DIRECTORY) |
				    O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
		while (fd < 0 && errno == EINTR);
		if (fd < 0) {
			int e = errno;
			struct stat st;
			if ((e == ENOTDIR || e == ELOOP) &&
			    fstatat(at, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
				e = ELOOP;
			return -e;
		}
		umucg_closep(&cur);
		cur = fd;
		if ((how & UMUCG_BENEATH_SAME_MOUNT) &&
		    ((r = mount_identity(cur, &mnt)) < 0 || mnt != start_mnt))
			return r < 0 ? r : -EXDEV;
		if (last)
			return umucg_steal_fd(&cur);
		p = next;
	}
}

static int open_openat2(int dir_fd, const char *path, int flags, unsigned how)
{
	struct open_how oh = {
		.flags = (unsigned long long)(flags | O_CLOEXEC | O_NOCTTY),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   ((how & UMUCG_BENEATH_SAME_MOUNT) ? RESOLVE_NO_XDEV : 0),
	};
	long fd;
	do
		fd = syscall(SYS_openat2, dir_fd, path, &oh, sizeof oh);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : (int)fd;
}

int umucg_openat_beneath(int dir_fd, const char *path, int flags, unsigned how,
			 struct umucg_error *err)
{
	/* The same refusals in both ways: openat2 would accept a ".." that
	 * stays beneath, the walk would not. */
	if (!path || !*path || path[0] == '/')
		return umucg_err(err, -EINVAL, "%s: not a relative path", path ? path : "(null)");
	for (const char *p = path; *p;) {
		size_t len = strcspn(p, "/");
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return umucg_err(err, -EXDEV, "%s: '..' is not allowed", path);
		p += len;
		while (*p == '/')
			p++;
	}
	int fd = -ENOSYS;
	if (!(how & UMUCG_BENEATH_WALK))
		fd = open_openat2(dir_fd, path, flags, how);
	/* ENOSYS: a kernel before 5.6; EPERM: a seccomp filter that does not
	 * know openat2 (older container runtimes). A real EPERM comes back
	 * from the walk too. */
	if (fd == -ENOSYS || fd == -EPERM)
		fd = open_walk(dir_fd, path, flags, how);
	if (fd >= 0)
		return fd;
	if (fd == -ELOOP)
		return umucg_err(err, fd, "%s: a symbolic link is on the way; umucg follows none", path);
	if (fd == -EXDEV)
		return umucg_err(err, fd, "%s: leaves the directory or crosses a mount point", path);
	return umucg_err(err, fd, "%s: %s", path, strerror(-fd));
}

int path_next_component(const char **p, char *comp, size_t cap)
{
	const char *s = *p;
	while (*s == '/')
		s++;
	size_t len = strcspn(s, "/");
	if (len >= cap)
		return -ENAMETOOLONG;
	memcpy(comp, s, len);
	comp[len] = '\0';
	*p = s + len;
	return (int)len;
}
