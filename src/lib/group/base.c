/* base.c - where groups live: --base / UMUCG_BASE, root's system base, or
 * the caller's delegated subtree (DESIGN.md, "Where groups live"). */
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>

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

int delegation_mark(int dir_fd)
{
	return fsetxattr(dir_fd, UMUCG_DELEGATE_XATTR, "1", 1, 0) < 0 ? -errno : 0;
}

bool delegation_marked(int dir_fd)
{
	char v[2];
	return fgetxattr(dir_fd, UMUCG_DELEGATE_XATTR, v, sizeof v) == 1 && v[0] == '1';
}

/* An unbroken run of directories owned by the caller, as the ends of
 * components in the cgroup path (0: none): where it starts, and its topmost
 * directory marked a delegation root. */
struct owned_run {
	size_t start, marked;
};

static void owned_run_step(struct owned_run *run, int fd, bool owned, size_t end)
{
	if (!owned) {
		run->start = run->marked = 0;
		return;
	}
	if (!run->start)
		run->start = end;
	if (!run->marked && delegation_marked(fd))
		run->marked = end;
}

/* The delegation root: walking down the caller's own cgroup path, the run
 * of directories owned by the caller that reaches the caller's cgroup; a
 * root-owned leaf right below such a directory (the login session's leaf)
 * is stepped over. In that run, the topmost directory marked
 * user.delegate=1, else the topmost. Returns its end in cg, 0 for none. */
static int delegated_walk(int mount_fd, const char *mount, const char *cg, size_t *root_end,
			  struct umucg_error *err)
{
	uid_t uid = geteuid();
	cleanup_close int fd = fcntl(mount_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return umucg_err(err, -errno, "%s: %s", mount, strerror(errno));
	struct owned_run run = { 0 }, before = { 0 };
	bool step_over = false;
	const char *p = cg;
	char comp[256];
	int len;
	while ((len = path_next_component(&p, comp, sizeof comp)) != 0) {
		if (len < 0)
			return umucg_err(err, len, "%s: component too long", cg);
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			return umucg_err(err, -errno, "%s%s: %s", mount, cg, strerror(errno));
		close(fd);
		fd = next;
		struct stat st;
		if (fstat(fd, &st) < 0)
			return umucg_err(err, -errno, "%s%s: %s", mount, cg, strerror(errno));
		before = run;
		step_over = st.st_uid == 0 && uid != 0 && run.start != 0;
		owned_run_step(&run, fd, st.st_uid == uid, (size_t)(p - cg));
	}
	if (step_over)
		run = before;
	*root_end = run.marked ? run.marked : run.start;
	return 0;
}

/* The caller is in no cgroup of its own. If 'umucg setup --user' has made
 * its subtree, what is missing is the session: the caller's login did not
 * go through pam_umucg.so (or the process left its leaf). Either way root
 * can put the process that started this one (a shell, usually) into a
 * leaf with --session. */
static int no_delegation(const struct umucg_base *b, const char *cg, uid_t uid,
			 struct umucg_error *err)
{
	char user[32];
	struct stat st;
	snprintf(user, sizeof user, "umucg/user-%u", (unsigned)uid);
	cleanup_close int root = umucg_open_dir_nofollow(b->mount, NULL);
	cleanup_close int fd = root < 0 ? -1 : umucg_openat_beneath(root, user, O_RDONLY | O_DIRECTORY,
								    UMUCG_BENEATH_SAME_MOUNT, NULL);
	pid_t parent = getppid();
	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_uid == uid) {
		umucg_err(err, -EACCES, "this session is not in the delegated subtree %s/%s: it runs in "
			  "%s%s", b->mount, user, b->mount, cg);
		return umucg_err_hint(err, "log in again (pam_umucg.so puts each login in a leaf of it), "
				      "or as root: umucg setup --user %u --session %d (%d started this "
				      "process)", (unsigned)uid, (int)parent, (int)parent);
	}
	umucg_err(err, -EACCES, "no delegated cgroup: %s%s is not owned by uid %u", b->mount, cg,
		  (unsigned)uid);
	return umucg_err_hint(err, "as root: umucg setup --user %u --session %d (%d started this "
			      "process); pam_umucg.so does this at each login; 'umucg doctor' explains",
			      (unsigned)uid, (int)parent, (int)parent);
}

static int base_delegated(struct umucg_base *b, struct umucg_error *err)
{
	cleanup_free char *cg = NULL;
	int r = proc_cgroup_path(0, &cg);
	if (r < 0)
		return umucg_err(err, r, "/proc/self/cgroup: %s",
				 r == -ENOENT ? "no cgroup2 entry" : strerror(-r));

	cleanup_close int mfd = umucg_open_dir_nofollow(b->mount, err);
	if (mfd < 0)
		return mfd;
	size_t end = 0;
	if ((r = delegated_walk(mfd, b->mount, cg, &end, err)) < 0)
		return r;
	if (end == 0)
		return no_delegation(b, cg, geteuid(), err);
	cg[end] = '\0';
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
		cleanup_close int top = cgdir_make(root, "umucg", 0755, top_path, err);
		if (top < 0)
			return top;
		if ((r = umucg_controllers_enable(top, controllers, err)) < 0)
			return r;
		if (b->fd < 0) {
			b->fd = cgdir_make(top, "system", 0711, b->path, err);
			if (b->fd < 0)
				return b->fd;
		}
	}
	if (!fd_is_cgroup2(b->fd))
		return umucg_err(err, -EINVAL, "base %s: not in a cgroup2 filesystem", b->path);
	/* The bases umucg chose are made unreadable to other users (lock.c):
	 * root's, and the caller's own delegation root. An explicit base is
	 * left as it is; its lock is only waited for a bounded time. A failure
	 * here leaves just that bounded wait. */
	if (b->source != UMUCG_BASE_EXPLICIT)
		base_protect_mode(b->fd, true);
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
