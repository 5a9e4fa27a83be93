/* setup.c - root's preparation of a machine: the cgroup2 mount, the system
 * base with controllers enabled down to it, and delegated user subtrees
 * (the kernel's cgroup-v2 "Delegation"); login sessions are in login.c. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "internal.h"
#include "process/libcap_dl.h"

/* The files a delegatee must own besides the directory (cgroup-v2.rst,
 * "Delegation Containment"); every other file, limits included, stays root's. */
static const char *const delegated_files[] = {
	"cgroup.procs", "cgroup.threads", "cgroup.subtree_control",
};

int umucg_setup_mount(char **path, bool *mounted, struct umucg_error *err)
{
	*mounted = false;
	struct umucg_error find_err = { 0 };
	int r = umucg_cgroup2_mount(path, &find_err);
	if (r != -ENOENT) {
		if (r < 0)
			*err = find_err;
		return r;
	}
	enum umucg_cgroup_mode mode;
	if ((r = umucg_cgroup_mode(&mode, err)) < 0)
		return r;
	/* v1 hierarchies sit in a tmpfs at /sys/fs/cgroup: cgroup2 goes beside them. */
	const char *target = mode == UMUCG_MODE_LEGACY ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup";
	if (mode == UMUCG_MODE_LEGACY) {
		cleanup_close int parent = umucg_open_dir_nofollow("/sys/fs/cgroup", err);
		if (parent < 0)
			return parent;
		if (mkdirat(parent, "unified", 0755) < 0 && errno != EEXIST)
			return umucg_err(err, -errno, "%s: cannot create: %s", target, strerror(errno));
	}
	unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME;
	/* nsdelegate makes cgroup namespaces delegation boundaries; only the
	 * initial namespace may ask for it. */
	if (mount("cgroup2", target, "cgroup2", flags, "nsdelegate") < 0 &&
	    (errno != EINVAL || mount("cgroup2", target, "cgroup2", flags, NULL) < 0)) {
		int e = errno;
		umucg_err(err, -e, "mount cgroup2 on %s: %s", target, strerror(e));
		if (e == EPERM)
			umucg_err_hint(err, "mounting needs CAP_SYS_ADMIN in the initial namespace");
		return -e;
	}
	*path = strdup(target);
	if (!*path)
		return -ENOMEM;
	*mounted = true;
	return 0;
}

int umucg_setup_check_caps(bool mount, bool with_user, struct umucg_error *err)
{
	__attribute__((cleanup(libcap_close))) struct libcap lc = { 0 };
	int r = libcap_open(&lc, err);
	if (r < 0)
		return r;
	cap_t caps = lc.get_proc();
	if (!caps)
		return umucg_err(err, -errno, "capabilities: %s", strerror(errno));
	static const struct {
		cap_value_t cap;
		const char *name, *why;
	} needs[] = {
		{ CAP_DAC_OVERRIDE, "CAP_DAC_OVERRIDE", "to write root's cgroup files" },
		{ CAP_SYS_ADMIN, "CAP_SYS_ADMIN", "to mount cgroup2" },
		{ CAP_CHOWN, "CAP_CHOWN", "to hand a subtree to a user" },
	};
	char missing[384] = "";
	size_t len = 0;
	for (size_t i = 0; i < sizeof needs / sizeof *needs; i++) {
		if (needs[i].cap == CAP_DAC_OVERRIDE && geteuid() == 0)
			continue; /* root owns the files it writes */
		if (needs[i].cap == CAP_SYS_ADMIN && !mount)
			continue;
		if (needs[i].cap == CAP_CHOWN && !with_user)
			continue;
		cap_flag_value_t v = CAP_CLEAR;
		if (lc.get_flag(caps, needs[i].cap, CAP_EFFECTIVE, &v) == 0 && v == CAP_SET)
			continue;
		int n = snprintf(missing + len, sizeof missing - len, "%s%s (%s)",
				 len ? ", " : "", needs[i].name, needs[i].why);
		if (n > 0 && (size_t)n < sizeof missing - len)
			len += (size_t)n;
	}
	lc.free(caps);
	if (!len)
		return 0;
	umucg_err(err, -EPERM, "setup: this process lacks %s", missing);
	return umucg_err_hint(err, "run 'umucg setup' as root, outside any container or capability-"
			      "dropping wrapper ('umucg doctor' lists the capabilities held)");
}



int setup_enable_along(int root, const char *mount, const char *rel, unsigned want,
			struct umucg_error *err)
{
	cleanup_close int fd = dup(root);
	if (fd < 0)
		return umucg_err(err, -errno, "dup: %s", strerror(errno));
	const char *p = rel;
	for (;;) {
		int r = umucg_controllers_enable(fd, want, err);
		if (r < 0)
			return umucg_err_prefix(err, "%s/%.*s", mount, (int)(p - rel), rel);
		char comp[256];
		int len = path_next_component(&p, comp, sizeof comp);
		if (len == 0)
			break;
		if (len < 0)
			return umucg_err(err, len, "%s: component too long", rel);
		if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0)
			return umucg_err(err, -EINVAL, "%s/%s: '.' and '..' are not allowed", mount, rel);
		int next = *p ? openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
			      : cgdir_make(fd, comp, 0755, rel, err);
		if (next < 0)
			return *p ? umucg_err(err, -errno, "%s/%s: %s", mount, rel, strerror(errno)) : next;
		close(fd);
		fd = next;
	}
	return umucg_steal_fd(&fd);
}

void umucg_setup_release(struct umucg_setup *s)
{
	umucg_closep(&s->top_fd);
	umucg_closep(&s->system_fd);
	free(s->mount);
	free(s->top_path);
	free(s->system_path);
	memset(s, 0, sizeof *s);
	s->top_fd = s->system_fd = -1;
}

int umucg_setup_system(const char *mount, const char *explicit_base,
		       struct umucg_setup *s, struct umucg_error *err)
{
	memset(s, 0, sizeof *s);
	s->top_fd = s->system_fd = -1;
	s->mount = strdup(mount);
	s->system_path = explicit_base ? strdup(explicit_base) : path_join(mount, "umucg/system");
	if (!s->mount || !s->system_path) {
		umucg_setup_release(s);
		return -ENOMEM;
	}
	/* Where the base lies relative to the mount, without trailing slashes. */
	size_t ml = strlen(mount);
	while (ml > 1 && mount[ml - 1] == '/')
		ml--;
	char *sp = s->system_path;
	size_t sl = strlen(sp);
	while (sl > 1 && sp[sl - 1] == '/')
		sp[--sl] = '\0';
	const char *rel = sp + ml;
	if (strncmp(sp, mount, ml) != 0 || (ml > 1 && *rel != '/'))
		rel = NULL;
	else if (*rel == '/')
		rel++;
	if (!rel || !*rel || rel[0] == '/' || !strchr(rel, '/')) {
		umucg_err(err, -EINVAL, "base %s: not a directory below the cgroup2 mount %s", sp, mount);
		umucg_err_hint(err, "setup makes the base and beside it the user subtrees: "
			       "give a path at least two levels below %s", mount);
		umucg_setup_release(s);
		return -EINVAL;
	}
	const char *slash = strrchr(rel, '/');
	char top_rel[4096];
	if ((size_t)(slash - rel) >= sizeof top_rel) {
		umucg_setup_release(s);
		return umucg_err(err, -ENAMETOOLONG, "base %s: too long", sp);
	}
	snprintf(top_rel, sizeof top_rel, "%.*s", (int)(slash - rel), rel);
	s->top_path = path_join(mount, top_rel);
	if (!s->top_path) {
		umucg_setup_release(s);
		return -ENOMEM;
	}

	cleanup_close int root = umucg_open_dir_nofollow(mount, err);
	if (root < 0) {
		umucg_setup_release(s);
		return root;
	}
	unsigned offered = 0;
	int r = umucg_controllers_read(root, "cgroup.controllers", &offered, err);
	if (r == 0) {
		s->missing = UMUCG_ALL_CONTROLLERS & ~offered;
		s->top_fd = setup_enable_along(root, s->mount, top_rel, offered & UMUCG_ALL_CONTROLLERS, err);
		r = s->top_fd < 0 ? s->top_fd : 0;
	}
	if (r == 0) {
		s->enabled = offered & UMUCG_ALL_CONTROLLERS;
		s->system_fd = cgdir_make(s->top_fd, slash + 1, 0711, s->system_path, err);
		r = s->system_fd < 0 ? s->system_fd : 0;
	}
	/* No other user may open the base and so hold its lock (lock.c). */
	if (r == 0 && (r = base_protect_mode(s->system_fd, true)) < 0)
		umucg_err(err, r, "%s: chmod: %s", s->system_path, strerror(-r));
	if (r < 0)
		umucg_setup_release(s);
	return r;
}

int setup_delegate_dir(int fd, const char *path, uid_t uid, gid_t gid, struct umucg_error *err)
{
	/* The mark that tells 'umucg' (and systemd, Nix, ...) where the
	 * delegation begins; a kernel without user xattrs on cgroupfs (before
	 * 5.7) refuses it, and the lookup then goes by ownership alone. */
	int r = delegation_mark(fd);
	if (r < 0 && r != -EOPNOTSUPP && r != -ENOTSUP)
		return umucg_err(err, r, "%s: %s: %s", path, UMUCG_DELEGATE_XATTR, strerror(-r));
	if (fchown(fd, uid, gid) < 0)
		return umucg_err(err, -errno, "%s: chown: %s", path, strerror(errno));
	for (size_t i = 0; i < sizeof delegated_files / sizeof *delegated_files; i++) {
		/* cgroup.threads is missing on kernels before 4.14: nothing to hand over. */
		if (fchownat(fd, delegated_files[i], uid, gid, AT_SYMLINK_NOFOLLOW) < 0 &&
		    !(errno == ENOENT && i == 1))
			return umucg_err(err, -errno, "%s/%s: chown: %s", path, delegated_files[i],
					 strerror(errno));
	}
	return 0;
}

int umucg_setup_user(const struct umucg_setup *s, uid_t uid, gid_t gid,
		     struct umucg_error *err)
{
	char name[32];
	snprintf(name, sizeof name, "user-%u", (unsigned)uid);
	cleanup_free char *path = path_join(s->top_path, name);
	if (!path)
		return -ENOMEM;
	cleanup_close int fd = cgdir_make(s->top_fd, name, 0711, path, err);
	if (fd < 0)
		return fd;
	int r = setup_delegate_dir(fd, path, uid, gid, err);
	/* The user's base: no other user may open it and hold its lock. */
	if (r == 0 && (r = base_protect_mode(fd, true)) < 0)
		umucg_err(err, r, "%s: chmod: %s", path, strerror(-r));
	return r < 0 ? r : umucg_steal_fd(&fd);
}
