/* group.c - a group's lifecycle beneath its base's directory fd: create
 * (with name suffixes or reclaiming a dead group), open, remove, and reading
 * its state from cgroup.events and cgroup.procs. */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* A group's directory beneath its base: no symlink, no other mount. */
static int group_openat(int base_fd, const char *name)
{
	int fd = umucg_openat_beneath(base_fd, name, O_RDONLY | O_DIRECTORY,
				      UMUCG_BENEATH_SAME_MOUNT, NULL);
	if (fd < 0)
		errno = -fd;
	return fd < 0 ? -1 : fd;
}

int umucg_group_open(int base_fd, const char *name, struct umucg_error *err)
{
	int r = umucg_name_validate(name, err);
	if (r < 0)
		return r;
	int fd = group_openat(base_fd, name);
	if (fd < 0) {
		int e = errno;
		umucg_err(err, -e, "group '%s': %s", name,
			  e == ENOENT ? "no such group" : strerror(e));
		if (e == ENOENT)
			umucg_err_hint(err, "'umucg list' shows the groups");
		return -e;
	}
	/* An interface file is not a group: a directory of the same fs is. */
	struct stat st, bst;
	if (fstat(fd, &st) < 0 || fstat(base_fd, &bst) < 0 || st.st_dev != bst.st_dev) {
		close(fd);
		return umucg_err(err, -EXDEV, "group '%s': not a group of this base", name);
	}
	return fd;
}

/* The base's lock (lock.c) is held while a name is taken, so that
 * reclaiming a dead group cannot race another umucg taking the name. */
static void base_unlock(int *base_fd)
{
	umucg_base_unlock(*base_fd);
}

/* A taken name can be reused when its group is empty and the manager that
 * recorded itself there is gone. A group without a record is never reused. */
static bool group_reclaimable(const struct umucg_meta_store *store, int base_fd,
			      const char *name)
{
	cleanup_close int fd = group_openat(base_fd, name);
	if (fd < 0)
		return false;
	struct umucg_meta meta;
	if (umucg_meta_read(store, fd, &meta, NULL) < 0 || meta.manager_pid <= 0)
		return false;
	if (umucg_meta_manager_alive(&meta))
		return false;
	return umucg_group_populated(fd, NULL) == 0;
}

static int group_mkdir(int base_fd, const char *name, const struct umucg_meta *meta,
		       const struct umucg_meta_store *store, struct umucg_error *err)
{
	if (mkdirat(base_fd, name, 0755) < 0)
		return -errno;
	int fd = group_openat(base_fd, name);
	if (fd < 0) {
		int e = errno;
		unlinkat(base_fd, name, AT_REMOVEDIR);
		return umucg_err(err, -e, "group '%s': %s", name, strerror(e));
	}
	/* A kernel without user xattrs keeps no record; the group still works. */
	if (meta)
		umucg_meta_write(store, fd, meta, NULL);
	return fd;
}

/* -EEXIST, with a hint that fits what holds the name: 'umucg stop' ends
 * only umucg's own groups. */
static int taken(const struct umucg_meta_store *store, int base_fd, const char *name,
		 struct umucg_error *err)
{
	cleanup_close int fd = group_openat(base_fd, name);
	struct umucg_meta meta;
	umucg_err(err, -EEXIST, "group '%s': already exists", name);
	if (fd >= 0 && umucg_meta_read(store, fd, &meta, NULL) < 0)
		return umucg_err_hint(err, "choose another name: '%s' is not umucg's (a login "
				      "session's leaf or another manager's group)", name);
	return umucg_err_hint(err, "choose another name, or end it with 'umucg stop %s'", name);
}

int umucg_group_create(int base_fd, char *name, bool allow_suffix,
		       const struct umucg_meta *meta, const struct umucg_meta_store *store,
		       struct umucg_error *err)
{
	int r = umucg_name_validate(name, err);
	if (r < 0)
		return r;
	if ((r = umucg_base_lock(base_fd, err)) < 0)
		return r;
	__attribute__((cleanup(base_unlock))) int locked = base_fd;
	(void)locked;

	char candidate[UMUCG_NAME_MAX + 1];
	str_copy(candidate, sizeof candidate, name);
	for (unsigned n = 2; n < 100000; n++) {
		int fd = group_mkdir(base_fd, candidate, meta, store, err);
		if (fd >= 0) {
			memcpy(name, candidate, sizeof candidate);
			return fd;
		}
		if (fd != -EEXIST) {
			if (err && err->code == fd)
				return fd;
			umucg_err(err, fd, "group '%s': cannot create: %s", candidate, strerror(-fd));
			if (fd == -EACCES || fd == -EPERM)
				umucg_err_hint(err, "the base is not writable by uid %u; 'umucg doctor' explains",
					       (unsigned)geteuid());
			return fd;
		}
		if (!allow_suffix) {
			if (group_reclaimable(store, base_fd, candidate) &&
			    unlinkat(base_fd, candidate, AT_REMOVEDIR) == 0) {
				fd = group_mkdir(base_fd, candidate, meta, store, err);
				if (fd >= 0)
					return fd;
			}
			return taken(store, base_fd, name, err);
		}
		char suffix[16];
		int slen = snprintf(suffix, sizeof suffix, "-%u", n);
		size_t keep = strlen(name);
		if (keep > (size_t)(UMUCG_NAME_MAX - slen))
			keep = (size_t)(UMUCG_NAME_MAX - slen);
		snprintf(candidate, sizeof candidate, "%.*s%s", (int)keep, name, suffix);
	}
	return umucg_err(err, -EEXIST, "group '%s': no free name", name);
}

int umucg_group_remove(int base_fd, const char *name, struct umucg_error *err)
{
	int r = umucg_name_validate(name, err);
	if (r < 0)
		return r;
	/* The kernel may still be tearing down the last task when populated
	 * reads 0: wait for the group's next event, a bounded number of times. */
	for (int attempt = 0; attempt < 50; attempt++) {
		if (unlinkat(base_fd, name, AT_REMOVEDIR) == 0)
			return 0;
		if (errno != EBUSY)
			break;
		cleanup_close int g = group_openat(base_fd, name);
		cleanup_close int ev = g >= 0 ? cgfile_open(g, "cgroup.events", O_RDONLY) : -1;
		if (ev < 0)
			continue;
		char buf[256];
		cgfile_pread_fd(ev, buf, sizeof buf);
		struct pollfd pfd = { .fd = ev, .events = POLLPRI };
		poll(&pfd, 1, 20);
	}
	int e = errno;
	umucg_err(err, -e, "group '%s': cannot remove: %s", name, strerror(e));
	if (e == EBUSY)
		umucg_err_hint(err, "it still has processes or child groups: 'umucg stop %s'", name);
	return -e;
}

bool umucg_group_gone(int group_fd)
{
	/* Every live cgroup has cgroup.procs; a removed one has no files. */
	return faccessat(group_fd, "cgroup.procs", F_OK, AT_SYMLINK_NOFOLLOW) < 0 &&
	       (errno == ENOENT || errno == ENODEV);
}

static int events_value(int group_fd, const char *key, struct umucg_error *err)
{
	char buf[256];
	ssize_t n = cgfile_read(group_fd, "cgroup.events", buf, sizeof buf);
	if (n < 0)
		return umucg_err(err, (int)n, "cgroup.events: %s", strerror((int)-n));
	unsigned long long v;
	int r = cgfile_keyed_value(buf, key, &v);
	if (r < 0)
		return umucg_err(err, r, "cgroup.events: no '%s' key", key);
	return v ? 1 : 0;
}

int umucg_group_populated(int group_fd, struct umucg_error *err)
{
	return events_value(group_fd, "populated", err);
}

int umucg_group_frozen(int group_fd, struct umucg_error *err)
{
	return events_value(group_fd, "frozen", err);
}

int umucg_group_pids(int group_fd, pid_t **pids, size_t *n, struct umucg_error *err)
{
	cleanup_free char *text = NULL;
	int r = cgfile_read_alloc(group_fd, "cgroup.procs", &text, NULL);
	if (r < 0)
		return umucg_err(err, r, "cgroup.procs: %s", strerror(-r));
	size_t count = 0, cap = 16;
	pid_t *out = malloc(cap * sizeof *out);
	if (!out)
		return -ENOMEM;
	for (char *p = text; *p;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		if (count == cap) {
			pid_t *bigger = realloc(out, 2 * cap * sizeof *out);
			if (!bigger) {
				free(out);
				return -ENOMEM;
			}
			out = bigger;
			cap *= 2;
		}
		/* A process outside the reader's pid namespace reads as 0, and
		 * kill(0) or kill(-1) would hit umucg's own process group or
		 * everything: list only pids that name one process. */
		if (v > 0 && v <= INT_MAX)
			out[count++] = (pid_t)v;
		p = end;
		while (*p == '\n')
			p++;
	}
	*pids = out;
	*n = count;
	return 0;
}

int group_thaw_requested(int group_fd, struct umucg_error *err)
{
	/* cgroup.freeze is what was asked; cgroup.events' "frozen" flips to 0
	 * for a moment whenever a signal wakes a frozen task, so it is no
	 * guide here. */
	char cur[8];
	if (cgfile_read(group_fd, "cgroup.freeze", cur, sizeof cur) <= 0 || cur[0] != '1')
		return 0;
	int r = umucg_group_set_frozen(group_fd, false, err);
	return r < 0 ? r : 1;
}

int umucg_group_set_frozen(int group_fd, bool frozen, struct umucg_error *err)
{
	int r = cgfile_write(group_fd, "cgroup.freeze", frozen ? "1" : "0");
	if (r < 0)
		return umucg_err(err, r, "cgroup.freeze: %s", strerror(-r));
	return 0;
}
