/* login.c - login sessions, one implementation for 'umucg setup --session'
 * and pam_umucg: the user's delegation root (<top>/user-UID, or inside
 * elogind's session cgroup), the root-owned leaf that holds the session's
 * process, and its removal once the session has closed. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* elogind's name for the user's part of a session cgroup (its
 * DelegateSessionCgroups=yes makes it; pam_umucg does where it has not). */
#define ELOGIND_DELEGATED "delegated"

static bool is_leaf_name(const char *name)
{
	if (strncmp(name, "session-", 8) != 0 || !name[8])
		return false;
	return strspn(name + 8, "0123456789") == strlen(name + 8);
}

bool login_is_leaf(const struct umucg_meta_store *store, int root_fd, const char *name)
{
	if (!is_leaf_name(name))
		return false;
	cleanup_close int fd = umucg_openat_beneath(root_fd, name, O_RDONLY | O_DIRECTORY, 0, NULL);
	struct umucg_meta meta;
	/* A group 'umucg run --name session-3' made has its record. */
	return fd >= 0 && umucg_meta_read(store, fd, &meta, NULL) < 0;
}

static int names_add(char ***names, size_t *n, const char *name)
{
	char **bigger = realloc(*names, (*n + 1) * sizeof **names);
	if (!bigger)
		return -ENOMEM;
	*names = bigger;
	if (!(bigger[*n] = strdup(name)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* A leaf another login has just made (not yet holding its process) may go
 * too; that login then makes another (leaf_enter). */
int login_prune_leaves(const struct umucg_meta_store *store, int root_fd, char ***removed,
		       size_t *n)
{
	int dfd = fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
	if (dfd < 0)
		return -errno;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	rewinddir(d);
	int r = 0;
	struct dirent *e;
	while ((e = readdir(d)) && r == 0) {
		if (e->d_type != DT_DIR || !login_is_leaf(store, root_fd, e->d_name))
			continue;
		cleanup_close int fd = openat(root_fd, e->d_name,
					      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		/* EBUSY: it has children or a process arrived; keep it. */
		if (fd < 0 || umucg_group_populated(fd, NULL) != 0 ||
		    unlinkat(root_fd, e->d_name, AT_REMOVEDIR) < 0)
			continue;
		if (removed)
			r = names_add(removed, n, e->d_name);
	}
	closedir(d);
	return r;
}


static bool session_id_valid(const char *id)
{
	size_t len = strlen(id);
	return len > 0 && len < 200 && id[0] != '-' &&
	       strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == len;
}

int umucg_login_session_dir(const char *mount, pid_t pid, const char *session_id,
			    char **dir, struct umucg_error *err)
{
	*dir = NULL;
	if (!session_id || !session_id_valid(session_id))
		return umucg_err(err, -EINVAL, "elogind session '%s': not a session id",
				 session_id ? session_id : "(null)");
	cleanup_free char *cg = NULL;
	int r = proc_cgroup_path(pid, &cg);
	if (r < 0)
		return umucg_err(err, r, "/proc/%d/cgroup: %s", (int)pid, strerror(-r));
	cleanup_close int fd = umucg_open_dir_nofollow(mount, err);
	if (fd < 0)
		return fd;
	struct stat st;
	/* elogind names the cgroup after the session, with a '_' before a
	 * name that needs escaping (cg_escape); it lies below a root-owned
	 * directory (the root, or PID 1's cgroup), never in a user's subtree. */
	for (const char *p = cg;;) {
		if (fstat(fd, &st) < 0)
			return umucg_err(err, -errno, "%s%s: %s", mount, cg, strerror(errno));
		char comp[256];
		int len = path_next_component(&p, comp, sizeof comp);
		if (len <= 0)
			break;
		if (st.st_uid == 0 && (strcmp(comp, session_id) == 0 ||
				       (comp[0] == '_' && strcmp(comp + 1, session_id) == 0))) {
			char *prefix = strndup(cg, (size_t)(p - cg));
			*dir = prefix ? path_join(mount, prefix) : NULL;
			free(prefix);
			return *dir ? 0 : -ENOMEM;
		}
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			return umucg_err(err, -errno, "%s%s: %s", mount, cg, strerror(errno));
		close(fd);
		fd = next;
	}
	return umucg_err(err, -ENOENT, "process %d is not in elogind's session %s: its cgroup is %s",
			 (int)pid, session_id, cg);
}

/* An existing directory we may hand to uid: root's or already uid's. */
static int check_owner(int fd, const char *path, uid_t uid, struct umucg_error *err)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return umucg_err(err, -errno, "%s: %s", path, strerror(errno));
	if (st.st_uid != 0 && st.st_uid != uid)
		return umucg_err(err, -EPERM, "%s belongs to uid %u, not to %u", path,
				 (unsigned)st.st_uid, (unsigned)uid);
	return 0;
}

/* <session cgroup>/delegated, handed to the user; returns its fd. */
static int root_elogind(const struct umucg_setup *s, const struct umucg_login *l,
			struct umucg_login_session *out, struct umucg_error *err)
{
	cleanup_free char *dir = NULL;
	int r = umucg_login_session_dir(s->mount, l->pid, l->elogind_session, &dir, err);
	if (r < 0)
		return r;
	cleanup_close int sfd = umucg_open_dir_nofollow(dir, err);
	if (sfd < 0)
		return sfd;
	if ((r = check_owner(sfd, dir, l->uid, err)) < 0)
		return r;
	if (!(out->root = path_join(dir, ELOGIND_DELEGATED)))
		return -ENOMEM;
	/* 0711: no other user may open it, and so hold its lock (lock.c). */
	if (mkdirat(sfd, ELOGIND_DELEGATED, 0711) == 0)
		out->made_root = true;
	else if (errno != EEXIST)
		return umucg_err(err, -errno, "%s: cannot create: %s", out->root, strerror(errno));
	cleanup_close int fd = openat(sfd, ELOGIND_DELEGATED, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return umucg_err(err, -errno, "%s: %s", out->root, strerror(errno));
	if ((r = check_owner(fd, out->root, l->uid, err)) < 0 ||
	    (r = setup_delegate_dir(fd, out->root, l->uid, l->gid, err)) < 0)
		return r;
	if ((r = base_protect_mode(fd, true)) < 0)
		return umucg_err(err, r, "%s: chmod: %s", out->root, strerror(-r));
	out->elogind = true;
	return umucg_steal_fd(&fd);
}

/* A fresh session-N in the root, made by root and so root's; returns its fd. */
static int leaf_make(int root_fd, const char *root_path, char name[32], struct umucg_error *err)
{
	for (unsigned n = 1; n < 1000000; n++) {
		snprintf(name, 32, "session-%u", n);
		/* An existing one, even one the user made to look like ours, is
		 * never taken over. */
		if (mkdirat(root_fd, name, 0755) < 0) {
			if (errno == EEXIST)
				continue;
			return umucg_err(err, -errno, "%s/%s: cannot create: %s", root_path, name,
					 strerror(errno));
		}
		int fd = openat(root_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;
			unlinkat(root_fd, name, AT_REMOVEDIR);
			return umucg_err(err, -e, "%s/%s: %s", root_path, name, strerror(e));
		}
		return fd;
	}
	return umucg_err(err, -ENOSPC, "%s: no free session-N name", root_path);
}

/* Moves pid into a fresh leaf of the root, after pruning the empty ones. */
static int leaf_enter(int root_fd, const char *root_path, pid_t pid, char **leaf,
		      struct umucg_error *err)
{
	/* Pinned from here on (-1: no pidfds before Linux 5.3): a session
	 * process that exits is not moved, nor is what gets its pid after it. */
	cleanup_close int pidfd = pidfd_of(pid);
	if (pidfd == -ESRCH || (pidfd < 0 && kill(pid, 0) < 0 && errno == ESRCH))
		return umucg_err(err, -ESRCH, "session %d: no such process", (int)pid);
	login_prune_leaves(NULL, root_fd, NULL, NULL);
	char buf[32], name[32];
	snprintf(buf, sizeof buf, "%d", (int)pid);
	/* A concurrent prune ('umucg gc', another login) may remove our leaf
	 * before pid is in it: then another leaf. */
	for (int attempt = 0; attempt < 5; attempt++) {
		cleanup_close int fd = leaf_make(root_fd, root_path, name, err);
		if (fd < 0)
			return fd;
		int r = pidfd >= 0 ? pidfd_signal(pidfd, 0) : 0;
		if (r == 0)
			r = cgfile_write(fd, "cgroup.procs", buf);
		if (r == 0 && pidfd >= 0 && pidfd_signal(pidfd, 0) == -ESRCH) {
			umucg_err(err, -EAGAIN, "session %d: exited while being moved into %s/%s; its "
				  "pid may name another process now", (int)pid, root_path, name);
			return umucg_err_hint(err, "check what %s/%s holds", root_path, name);
		}
		if (r == 0) {
			*leaf = path_join(root_path, name);
			return *leaf ? 0 : -ENOMEM;
		}
		unlinkat(root_fd, name, AT_REMOVEDIR);
		if (r == -ENOENT || r == -ENODEV)
			continue;
		umucg_err(err, r, "session %d: cannot move it into %s/%s: %s", (int)pid, root_path,
			  name, strerror(-r));
		if (r == -ESRCH)
			umucg_err_hint(err, "the process exited meanwhile");
		else if (r == -EINVAL)
			umucg_err_hint(err, "kernel threads and exiting processes cannot move");
		return r;
	}
	return umucg_err(err, -EAGAIN, "session %d: its leaf in %s kept disappearing", (int)pid,
			 root_path);
}

/* elogind's session cgroup held the session's process until now: only
 * without it may its cgroup.subtree_control give controllers to the
 * user's part (the no-internal-process rule). Best effort: what the root
 * then lacks is reported in out->missing. */
static void enable_to_session(const struct umucg_setup *s, const char *root)
{
	size_t ml = strlen(s->mount), rl = strlen(root);
	size_t dl = rl - strlen("/" ELOGIND_DELEGATED);
	if (rl <= ml + strlen("/" ELOGIND_DELEGATED) || strncmp(root, s->mount, ml) != 0)
		return;
	char rel[4096];
	snprintf(rel, sizeof rel, "%.*s", (int)(dl - ml), root + ml);
	cleanup_close int mfd = umucg_open_dir_nofollow(s->mount, NULL);
	unsigned offered = 0;
	if (mfd < 0 || umucg_controllers_read(mfd, "cgroup.controllers", &offered, NULL) < 0)
		return;
	const char *r = rel;
	while (*r == '/')
		r++;
	cleanup_close int fd = setup_enable_along(mfd, s->mount, r, offered & UMUCG_ALL_CONTROLLERS,
						  NULL);
}

int umucg_login_open(const struct umucg_setup *s, const struct umucg_login *l,
		     struct umucg_login_session *out, struct umucg_error *err)
{
	memset(out, 0, sizeof *out);
	if (l->pid <= 1)
		return umucg_err(err, -EINVAL, "session %d: not a login session's process", (int)l->pid);
	if (kill(l->pid, 0) < 0 && errno == ESRCH)
		return umucg_err(err, -ESRCH, "session %d: no such process", (int)l->pid);
	cleanup_free char *cg = NULL;
	int r = proc_cgroup_path(l->pid, &cg);
	if (r < 0)
		return umucg_err(err, r, "/proc/%d/cgroup: %s", (int)l->pid, strerror(-r));
	out->mount = strdup(s->mount);
	out->origin = path_join(s->mount, cg);
	if (!out->mount || !out->origin) {
		umucg_login_release(out);
		return -ENOMEM;
	}
	char name[32];
	snprintf(name, sizeof name, "user-%u", (unsigned)l->uid);
	cleanup_close int root_fd = -1;
	if (l->elogind_session)
		root_fd = root_elogind(s, l, out, err);
	else if (!(out->root = path_join(s->top_path, name)))
		root_fd = -ENOMEM;
	else
		root_fd = umucg_setup_user(s, l->uid, l->gid, err);
	r = root_fd < 0 ? root_fd : leaf_enter(root_fd, out->root, l->pid, &out->leaf, err);
	if (r < 0) {
		umucg_login_release(out);
		return r;
	}
	if (out->elogind)
		enable_to_session(s, out->root);
	unsigned available = 0;
	umucg_controllers_read(root_fd, "cgroup.controllers", &available, NULL);
	out->missing = UMUCG_ALL_CONTROLLERS & ~available;
	return 0;
}

/* Moves pid out of the leaf: back where it came from, else to the root
 * cgroup (which takes any process: elogind's session cgroup refuses once
 * it gives controllers to its children). */
static int leave_leaf(const struct umucg_login_session *ls, pid_t pid, struct umucg_error *err)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%d", (int)pid);
	cleanup_close int ofd = umucg_open_dir_nofollow(ls->origin, NULL);
	if (ofd >= 0 && cgfile_write(ofd, "cgroup.procs", buf) == 0)
		return 0;
	cleanup_close int mfd = umucg_open_dir_nofollow(ls->mount, err);
	if (mfd < 0)
		return mfd;
	int r = cgfile_write(mfd, "cgroup.procs", buf);
	if (r < 0)
		return umucg_err(err, r, "session %d: cannot leave %s: %s", (int)pid, ls->leaf,
				 strerror(-r));
	return 0;
}

/* The delegated/ this login made in elogind's session cgroup goes with the
 * session when nothing is left in it (EBUSY: the user's groups still are;
 * elogind leaves the session cgroup itself behind, empty). */
static void remove_made_root(const struct umucg_login_session *ls)
{
	char *dir = strdup(ls->root);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	if (slash && slash != dir) {
		*slash = '\0';
		cleanup_close int sfd = umucg_open_dir_nofollow(dir, NULL);
		if (sfd >= 0)
			unlinkat(sfd, ELOGIND_DELEGATED, AT_REMOVEDIR);
	}
	free(dir);
}

int umucg_login_close(const struct umucg_login_session *ls, pid_t pid, struct umucg_error *err)
{
	struct umucg_error sub = { 0 };
	cleanup_close int leaf = umucg_open_dir_nofollow(ls->leaf, &sub);
	if (leaf == -ENOENT)
		return 1;
	if (leaf < 0) {
		*err = sub;
		return leaf;
	}
	cleanup_free char *cg = NULL;
	size_t ml = strlen(ls->mount);
	int r = proc_cgroup_path(pid, &cg);
	if (r == 0 && strncmp(ls->leaf, ls->mount, ml) == 0 &&
	    strcmp(ls->leaf + (ml > 1 ? ml : 0), cg) == 0 && (r = leave_leaf(ls, pid, err)) < 0)
		return r;
	if (umucg_group_populated(leaf, NULL) != 0)
		return 0;
	cleanup_close int root = umucg_open_dir_nofollow(ls->root, err);
	if (root < 0)
		return root;
	const char *name = strrchr(ls->leaf, '/') + 1;
	if (unlinkat(root, name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
		if (errno == EBUSY)
			return 0; /* a process (or a child cgroup) arrived meanwhile */
		return umucg_err(err, -errno, "%s: cannot remove: %s", ls->leaf, strerror(errno));
	}
	if (ls->elogind && ls->made_root)
		remove_made_root(ls);
	return 1;
}

void umucg_login_release(struct umucg_login_session *ls)
{
	free(ls->root);
	free(ls->leaf);
	free(ls->origin);
	free(ls->mount);
	memset(ls, 0, sizeof *ls);
}
