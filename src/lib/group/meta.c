/* meta.c - what a group knows about itself (manager pid and start time,
 * creation time, command, limits requested but not applied), kept as user.*
 * xattrs on its directory. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <time.h>

#include "internal.h"

#define XATTR_MANAGER "user.umucg.manager"
#define XATTR_STARTED "user.umucg.started"
#define XATTR_COMMAND "user.umucg.command"
#define XATTR_UNAPPLIED "user.umucg.unapplied"

static int set_attr(int fd, const char *name, const char *value)
{
	if (fsetxattr(fd, name, value, strlen(value), 0) < 0)
		return -errno;
	return 0;
}

/* The limits not applied, or no such attribute when there are none. */
static int set_unapplied_attr(int fd, const struct umucg_limits *unapplied)
{
	char text[1024]; /* every limit, a long CPU list included */
	if (!unapplied->set) {
		if (fremovexattr(fd, XATTR_UNAPPLIED) < 0 && errno != ENODATA)
			return -errno;
		return 0;
	}
	int n = umucg_limits_to_text(unapplied, text, sizeof text);
	return n < 0 ? n : set_attr(fd, XATTR_UNAPPLIED, text);
}

static enum umucg_meta_where where_of(const struct umucg_meta_store *store)
{
	return store ? store->where : UMUCG_META_AUTO;
}

int umucg_meta_write(const struct umucg_meta_store *store, int group_fd,
		     const struct umucg_meta *meta, struct umucg_error *err)
{
	char buf[64];
	bool force_file = where_of(store) == UMUCG_META_FILE;
	/* "PID START" (fmt.c: no printf on the run path) */
	size_t n = fmt_ll(buf, sizeof buf, (long long)meta->manager_pid);
	buf[n++] = ' ';
	fmt_ull(buf + n, sizeof buf - n, meta->manager_start);
	int r = force_file ? -EOPNOTSUPP : set_attr(group_fd, XATTR_MANAGER, buf);
	if (r == 0) {
		fmt_ll(buf, sizeof buf, meta->started);
		r = set_attr(group_fd, XATTR_STARTED, buf);
	}
	if (r == 0 && meta->command[0])
		r = set_attr(group_fd, XATTR_COMMAND, meta->command);
	if (r == 0)
		r = set_unapplied_attr(group_fd, &meta->unapplied);
	/* Without user xattrs on cgroupfs (before 5.7), or when the store says
	 * so, the record goes to a runtime file (meta_file.c). */
	if (force_file || ((r == -EOPNOTSUPP || r == -ENOTSUP) && where_of(store) == UMUCG_META_AUTO))
		r = meta_file_write(store, group_fd, meta);
	if (r < 0) {
		umucg_err(err, r, "group record: %s", strerror(-r));
		if (r == -EOPNOTSUPP || r == -ENOTSUP)
			umucg_err_hint(err, "the kernel has no user xattrs on cgroupfs (5.7+)");
	}
	return r;
}

static ssize_t get_attr(int fd, const char *name, char *buf, size_t cap)
{
	ssize_t n = fgetxattr(fd, name, buf, cap - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

int umucg_meta_read(const struct umucg_meta_store *store, int group_fd,
		    struct umucg_meta *meta, struct umucg_error *err)
{
	memset(meta, 0, sizeof *meta);
	char buf[64];
	ssize_t n = where_of(store) == UMUCG_META_FILE ? -ENODATA
		: get_attr(group_fd, XATTR_MANAGER, buf, sizeof buf);
	if ((n == -ENODATA || n == -EOPNOTSUPP || n == -ENOTSUP) &&
	    where_of(store) != UMUCG_META_XATTR) {
		int r = meta_file_read(store, group_fd, meta);
		if (r == 0)
			return 0;
		memset(meta, 0, sizeof *meta);
	}
	if (n < 0)
		return umucg_err(err, (int)n, "group record: %s", strerror((int)-n));
	int pid;
	unsigned long long start;
	/* pid 0: a group made by 'create', which no manager watches. */
	if (sscanf(buf, "%d %llu", &pid, &start) != 2 || pid < 0)
		return umucg_err(err, -EINVAL, "group record: malformed manager '%s'", buf);
	meta->manager_pid = pid;
	meta->manager_start = start;
	if (get_attr(group_fd, XATTR_STARTED, buf, sizeof buf) > 0)
		meta->started = strtoll(buf, NULL, 10);
	if (get_attr(group_fd, XATTR_COMMAND, meta->command, sizeof meta->command) < 0)
		meta->command[0] = '\0';
	/* A malformed list is left out rather than failing the whole record. */
	char text[1024];
	if (get_attr(group_fd, XATTR_UNAPPLIED, text, sizeof text) < 0 ||
	    umucg_limits_from_text(text, &meta->unapplied) < 0)
		memset(&meta->unapplied, 0, sizeof meta->unapplied);
	return 0;
}

int umucg_meta_set_unapplied(const struct umucg_meta_store *store, int group_fd,
			     const struct umucg_limits *unapplied, struct umucg_error *err)
{
	struct umucg_meta meta;
	int r = umucg_meta_read(store, group_fd, &meta, err);
	if (r < 0)
		return r;
	meta.unapplied = *unapplied;
	return umucg_meta_write(store, group_fd, &meta, err);
}

int umucg_meta_self(struct umucg_meta *meta, struct umucg_error *err)
{
	meta->manager_pid = getpid();
	int r = umucg_proc_starttime(meta->manager_pid, &meta->manager_start);
	if (r < 0)
		return umucg_err(err, r, "/proc/self/stat: %s", strerror(-r));
	meta->started = (long long)time(NULL);
	return 0;
}

void umucg_meta_set_command(struct umucg_meta *meta, char *const *argv)
{
	size_t o = 0, cap = sizeof meta->command;
	meta->command[0] = '\0';
	for (size_t i = 0; argv && argv[i] && o + 1 < cap; i++) {
		if (i)
			o += str_copy(meta->command + o, cap - o, " ");
		if (o + 1 < cap)
			o += str_copy(meta->command + o, cap - o, argv[i]);
	}
	if (o >= cap)
		meta->command[cap - 1] = '\0';
}

bool umucg_meta_manager_alive(const struct umucg_meta *meta)
{
	if (meta->manager_pid <= 0)
		return false;
	unsigned long long start;
	if (umucg_proc_starttime(meta->manager_pid, &start) < 0)
		return false;
	return start == meta->manager_start;
}
