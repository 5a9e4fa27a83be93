/* base.c - where groups live: --base / UMUCG_BASE, root's system base, or
 * the caller's delegated subtree (DESIGN.md, "Where groups live"). */
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "internal.h"

int umucg_open_dir_nofollow(const char *path, struct umucg_error *err)
{
	if (!path || path[0] != '/')
		return umucg_err(err, -EINVAL, "%s: not an absolute path", path ? path : "(null)");
	cleanup_close int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return umucg_err(err, -errno, "/: %s", strerror(errno));
	const char *rel = path;
	while (*rel == '/')
		rel++;
	if (!*rel)
		return umucg_steal_fd(&root);
	struct umucg_error sub = { 0 };
	int fd = umucg_openat_beneath(root, rel, O_RDONLY | O_DIRECTORY, 0, &sub);
	if (fd == -EXDEV) /* the only EXDEV without UMUCG_BENEATH_SAME_MOUNT */
		return umucg_err(err, -EINVAL, "%s: '..' is not allowed in a cgroup path", path);
	if (fd == -ELOOP)
		return umucg_err(err, fd, "%s: a symbolic link is on the way; umucg follows none", path);
	if (fd < 0)
		return umucg_err(err, fd, "%s: %s", path, strerror(-fd));
	return fd;
}

static bool fd_is_cgroup2(int fd)
{
	struct statfs sfs;
	return fstatfs(fd, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

static char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	return str_join(a, la, (la == 1 || !*b) ? "" : "/", b);
}

/* The part of path below mount ("" for mount itself), comparing
 * components (so "//" and "." do not matter), or NULL when path is not
 * at or below mount. */
static const char *path_beneath(const char *path, const char *mount)
{
	const char *p = path, *m = mount;
	for (;;) {
		while (*m == '/' || (m[0] == '.' && (m[1] == '/' || !m[1])))
			m++;
		while (*p == '/' || (p[0] == '.' && (p[1] == '/' || !p[1])))
			p++;
		if (!*m)
			return p;
		size_t ml = strcspn(m, "/"), pl = strcspn(p, "/");
		if (ml != pl || strncmp(m, p, ml) != 0)
			return NULL;
		m += ml;
		p += pl;
	}
}

static int base_explicit(const char *path, struct umucg_base *b, struct umucg_error *err)
{
	int fd = umucg_open_dir_nofollow(path, err);
	if (fd < 0) {
		if (fd == -ENOENT)
			umucg_err_hint(err, "the base must be an existing directory in a cgroup2 mount");
		return fd;
	}
	b->fd = fd;
	if (!fd_is_cgroup2(fd)) {
		umucg_err(err, -EINVAL, "base %s: not a directory of a cgroup2 filesystem", path);
		return umucg_err_hint(err, "pass a directory under the cgroup2 mount (%s)",
				      b->mount ? b->mount : "see 'umucg doctor'");
	}
	/* Reopen it beneath the cgroup2 mount without crossing a mount point:
	 * a bind mount of some cgroup2 directory elsewhere, or anything
	 * mounted inside the hierarchy, is not a base. */
	const char *rel = b->mount ? path_beneath(path, b->mount) : NULL;
	if (!rel) {
		umucg_err(err, -EXDEV, "base %s: not beneath the cgroup2 mount %s", path,
			  b->mount ? b->mount : "(none found)");
		return umucg_err_hint(err, "pass a directory under %s (a bind mount of one is refused)",
				      b->mount ? b->mount : "the cgroup2 mount");
	}
	if (*rel) {
		cleanup_close int mfd = umucg_open_dir_nofollow(b->mount, err);
		if (mfd < 0)
			return mfd;
		struct umucg_error sub = { 0 };
		int beneath = umucg_openat_beneath(mfd, rel, O_RDONLY | O_DIRECTORY,
						   UMUCG_BENEATH_SAME_MOUNT, &sub);
		if (beneath < 0) {
			umucg_err(err, beneath, "base %s: %s", path, sub.msg);
			if (beneath == -EXDEV)
				umucg_err_hint(err, "a mount point lies between %s and the base", b->mount);
			return beneath;
		}
		close(b->fd);
		b->fd = beneath;
	}
	b->source = UMUCG_BASE_EXPLICIT;
	b->path = path_join(path, "");
	return b->path ? 0 : -ENOMEM;
}

static int base_system(struct umucg_base *b, struct umucg_error *err)
{
	b->source = UMUCG_BASE_SYSTEM;
	b->path = path_join(b->mount, "umucg/system");
	if (!b->path)
		return -ENOMEM;
	cleanup_close int root = umucg_open_dir_nofollow(b->mount, err);
	if (root < 0)
		return root;
	b->fd = umucg_openat_beneath(root, "umucg/system", O_RDONLY | O_DIRECTORY,
				     UMUCG_BENEATH_SAME_MOUNT, NULL);
	if (b->fd < 0 && b->fd != -ENOENT)
		return umucg_err(err, b->fd, "base %s: %s", b->path, strerror(-b->fd));
	if (b->fd == -ENOENT)
		b->fd = -1; /* made by umucg_base_prepare */
	/* Root enables controllers down from the mount root in
	 * umucg_base_prepare, so its groups can get whatever the root offers. */
	return umucg_controllers_read(root, "cgroup.controllers", &b->available, err);
}

/* The delegation root: walking up from the caller's own cgroup, the topmost
 * directory of an unbroken run owned by the caller. */
static int base_delegated(struct umucg_base *b, struct umucg_error *err)
{
	cleanup_close int self = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
	char text[4096];
	if (self < 0)
		return umucg_err(err, -errno, "/proc/self/cgroup: %s", strerror(errno));
	ssize_t n = cgfile_pread_fd(self, text, sizeof text);
	if (n < 0)
		return umucg_err(err, (int)n, "/proc/self/cgroup: %s", strerror((int)-n));
	cleanup_free char *cg = NULL;
	int r = umucg_proc_cgroup_parse(text, &cg);
	if (r < 0)
		return umucg_err(err, r, "/proc/self/cgroup: no cgroup2 entry");

	uid_t uid = geteuid();
	cleanup_close int fd = umucg_open_dir_nofollow(b->mount, err);
	if (fd < 0)
		return fd;
	size_t owned_from = 0; /* offset in cg where the owned run starts, 0 = none */
	const char *p = cg;
	char comp[256];
	int len;
	while ((len = path_next_component(&p, comp, sizeof comp)) != 0) {
		if (len < 0)
			return umucg_err(err, len, "%s: component too long", cg);
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			return umucg_err(err, -errno, "%s%s: %s", b->mount, cg, strerror(errno));
		close(fd);
		fd = next;
		struct stat st;
		if (fstat(fd, &st) < 0)
			return umucg_err(err, -errno, "%s%s: %s", b->mount, cg, strerror(errno));
		if (st.st_uid != uid)
			owned_from = 0;
		else if (owned_from == 0)
			owned_from = (size_t)(p - cg); /* the end of this component */
	}
	if (owned_from == 0) {
		umucg_err(err, -EACCES, "no delegated cgroup: %s%s is not owned by uid %u",
			  b->mount, cg, (unsigned)uid);
		return umucg_err_hint(err, "as root, run 'umucg setup --user %u' and log in again "
				      "(see the PAM line in umucg(1)); 'umucg doctor' explains", (unsigned)uid);
	}
	cg[owned_from] = '\0';
	b->path = path_join(b->mount, cg);
	if (!b->path)
		return -ENOMEM;
	b->fd = umucg_open_dir_nofollow(b->path, err);
	b->source = UMUCG_BASE_DELEGATED;
	return b->fd < 0 ? b->fd : 0;
}

int umucg_base_resolve(const char *explicit_path, struct umucg_base *b,
		       struct umucg_error *err)
{
	memset(b, 0, sizeof *b);
	b->fd = -1;
	struct umucg_error mount_err = { 0 };
	int r = umucg_cgroup2_mount(&b->mount, &mount_err);
	if (explicit_path && *explicit_path)
		r = base_explicit(explicit_path, b, err);
	else if (r < 0)
		*err = mount_err;
	else if (geteuid() == 0)
		r = base_system(b, err);
	else
		r = base_delegated(b, err);
	if (r < 0) {
		umucg_base_release(b);
		return r;
	}
	/* What children of the base can use: the base's own cgroup.controllers
	 * (base_system has read the mount root's). */
	if (b->source != UMUCG_BASE_SYSTEM)
		r = umucg_controllers_read(b->fd, "cgroup.controllers", &b->available, err);
	if (r < 0)
		umucg_base_release(b);
	return r;
}

/* mkdir that accepts an existing directory; returns its fd. */
static int mkdir_open(int parent, const char *name, const char *path, struct umucg_error *err)
{
	if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
		return umucg_err(err, -errno, "%s: cannot create: %s", path, strerror(errno));
	int fd = umucg_openat_beneath(parent, name, O_RDONLY | O_DIRECTORY,
				      UMUCG_BENEATH_SAME_MOUNT, NULL);
	if (fd < 0)
		return umucg_err(err, fd, "%s: %s", path, strerror(-fd));
	return fd;
}

int umucg_base_prepare(struct umucg_base *b, unsigned controllers,
		       struct umucg_error *err)
{
	int r;
	/* An existing system base needs the path down to it only to enable
	 * controllers. */
	if (b->source == UMUCG_BASE_SYSTEM && (b->fd < 0 || controllers)) {
		cleanup_close int root = umucg_open_dir_nofollow(b->mount, err);
		if (root < 0)
			return root;
		if ((r = umucg_controllers_enable(root, controllers, err)) < 0)
			return r;
		cleanup_free char *top_path = path_join(b->mount, "umucg");
		if (!top_path)
			return -ENOMEM;
		cleanup_close int top = mkdir_open(root, "umucg", top_path, err);
		if (top < 0)
			return top;
		if ((r = umucg_controllers_enable(top, controllers, err)) < 0)
			return r;
		if (b->fd < 0) {
			b->fd = mkdir_open(top, "system", b->path, err);
			if (b->fd < 0)
				return b->fd;
		}
	}
	if (!fd_is_cgroup2(b->fd))
		return umucg_err(err, -EINVAL, "base %s: not in a cgroup2 filesystem", b->path);
	r = umucg_controllers_enable(b->fd, controllers, err);
	return r < 0 ? umucg_err_prefix(err, "base %s", b->path) : 0;
}

void umucg_base_release(struct umucg_base *b)
{
	if (b->fd >= 0)
		close(b->fd);
	free(b->path);
	free(b->mount);
	b->fd = -1;
	b->path = b->mount = NULL;
}
