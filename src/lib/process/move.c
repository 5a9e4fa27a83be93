/* move.c - moving processes (and with --tree their descendants) into a
 * group, and a process moving itself ('join'). */
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>

#include "internal.h"

#define MOVE_ROUNDS_MAX 1000

int umucg_join(int group_fd, struct umucg_error *err)
{
	/* --path can name any directory: it must be a cgroup2 group. */
	struct statfs sfs;
	if (fstatfs(group_fd, &sfs) < 0)
		return umucg_err(err, -errno, "cannot join the group: %s", strerror(errno));
	if (sfs.f_type != CGROUP2_SUPER_MAGIC)
		return umucg_err(err, -EINVAL, "cannot join: not a cgroup2 directory");
	/* "0" is the writer itself. */
	int r = cgfile_write(group_fd, "cgroup.procs", "0");
	if (r < 0) {
		umucg_err(err, r, "cannot join the group: %s", strerror(-r));
		if (r == -EACCES || r == -EPERM)
			umucg_err_hint(err, "the group's cgroup.procs and the common ancestor's must be "
				       "writable by uid %u", (unsigned)geteuid());
		else if (r == -EBUSY || r == -EOPNOTSUPP)
			umucg_err_hint(err, "the group has child groups or is not a leaf");
	}
	return r;
}

/* A process to move is known by its pid and its start time. Just before
 * its pid is written to cgroup.procs (moving takes a number) it is pinned
 * by a pidfd and recognised by both (the stat read after the pidfd was
 * opened, with the process still unreaped after the read, is its own);
 * just after, the pidfd says whether it was still there during the write.
 * So a process that exited is skipped and its pid, if reused meanwhile, is
 * not written; one that exits during the write itself is reported. Without
 * pidfds (before 5.3) the number and start time are all there is. */
struct pidset {
	pid_t *v;
	unsigned long long *start;
	size_t n, cap;
};

static void pidset_free(struct pidset *s)
{
	free(s->v);
	free(s->start);
}

static ssize_t pidset_find(const struct pidset *s, pid_t pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == pid)
			return (ssize_t)i;
	return -1;
}

static int pidset_add(struct pidset *s, pid_t pid, unsigned long long start)
{
	if (pidset_find(s, pid) >= 0)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		pid_t *v = realloc(s->v, cap * sizeof *v);
		if (v)
			s->v = v;
		unsigned long long *st = v ? realloc(s->start, cap * sizeof *st) : NULL;
		if (!st)
			return -ENOMEM;
		s->start = st;
		s->cap = cap;
	}
	s->v[s->n] = pid;
	s->start[s->n++] = start;
	return 1;
}

/* 0 when the process is not reaped (its pid still names it), -ESRCH, or
 * -EPERM when it is not the caller's to signal. */
static int pin_check(int fd, pid_t pid)
{
	if (fd >= 0)
		return pidfd_signal(fd, 0);
	return kill(pid, 0) < 0 ? -errno : 0;
}

/* Pins pid (*fd: its pidfd, or -1 without pidfds) and reads its stat and
 * start time through the pin: 0, -ESRCH (gone, or a zombie), -EPERM. */
static int pin(pid_t pid, int *fd, struct proc_stat *ps, unsigned long long *start)
{
	*fd = pidfd_of(pid);
	if (*fd == -ESRCH)
		return -ESRCH;
	if (*fd < 0)
		*fd = -1; /* -ENOSYS: by number, as before pidfds */
	int r = proc_stat_read(pid, ps);
	if (r == 0) {
		*start = ps->starttime;
		r = pin_check(*fd, pid);
	}
	if (r == 0 && (ps->state == 'Z' || ps->state == 'X'))
		r = -ESRCH;
	if (r < 0 && *fd >= 0)
		close(*fd);
	return r == -ENOENT ? -ESRCH : r;
}

/* Everything checked before the first move, so that a bad pid changes
 * nothing; the process is added to set. */
static int check_pid(struct pidset *set, pid_t pid, struct umucg_error *err)
{
	struct proc_stat ps;
	unsigned long long start;
	int fd;
	if (pid <= 0)
		return umucg_err(err, -EINVAL, "pid %d: not a process id", (int)pid);
	int r = pin(pid, &fd, &ps, &start);
	if (r == 0 && fd >= 0)
		close(fd);
	if (r == -ESRCH)
		return umucg_err(err, -ESRCH, "pid %d: no such process", (int)pid);
	if (r == -EPERM) {
		umucg_err(err, r, "pid %d: not yours to move: %s", (int)pid, strerror(-r));
		return umucg_err_hint(err, "only its owner (or root) can move it");
	}
	if (r < 0)
		return umucg_err(err, r, "pid %d: %s", (int)pid, strerror(-r));
	if (ps.kthread)
		return umucg_err(err, -EINVAL, "pid %d: a kernel thread cannot be moved", (int)pid);
	if ((r = pidset_add(set, pid, start)) < 0)
		return umucg_err(err, r, "move: %s", strerror(-r));
	return 0;
}

/* pid, which /proc shows as a child of a member of set: added when its
 * parent is still that member (same start time). 1 added, 0 not, -ENOMEM. */
static int add_child(struct pidset *set, pid_t pid, pid_t ppid)
{
	ssize_t parent = pidset_find(set, ppid);
	unsigned long long pstart, start;
	if (parent < 0 || umucg_proc_starttime(ppid, &pstart) < 0 || pstart != set->start[parent] ||
	    umucg_proc_starttime(pid, &start) < 0)
		return 0;
	return pidset_add(set, pid, start);
}

/* Adds to set every live descendant of its members, from one pass over
 * /proc repeated until the set stops growing. */
static int add_descendants(struct pidset *set)
{
	for (bool grew = true; grew;) {
		grew = false;
		DIR *d = opendir("/proc");
		if (!d)
			return -errno;
		struct dirent *e;
		while ((e = readdir(d))) {
			char *end;
			long pid = strtol(e->d_name, &end, 10);
			if (*end || pid <= 0 || pidset_find(set, (pid_t)pid) >= 0)
				continue;
			struct proc_stat ps;
			if (proc_stat_read((pid_t)pid, &ps) < 0 || ps.state == 'Z' || ps.state == 'X' ||
			    pidset_find(set, ps.ppid) < 0)
				continue;
			int r = add_child(set, (pid_t)pid, ps.ppid);
			if (r < 0) {
				closedir(d);
				return r;
			}
			grew |= r > 0;
		}
		closedir(d);
	}
	return 0;
}

static int move_refused(pid_t pid, int r, struct umucg_error *err)
{
	umucg_err(err, r, "pid %d: cannot move: %s", (int)pid, strerror(-r));
	if (r == -EACCES || r == -EPERM)
		umucg_err_hint(err, "moving needs write access to cgroup.procs of the "
			       "group and of the common ancestor of both groups");
	return r;
}

/* Writes member i of want to cgroup.procs (procs_fd) if it is still the
 * process it was (pinned, same start time): 1 when moved, 0 when it
 * exited, -errno. */
static int move_one(int procs_fd, const struct pidset *want, size_t i, struct umucg_error *err)
{
	pid_t pid = want->v[i];
	struct proc_stat ps;
	unsigned long long start;
	int fd;
	int r = pin(pid, &fd, &ps, &start);
	if (r < 0 || start != want->start[i]) {
		if (r == 0 && fd >= 0)
			close(fd);
		return 0; /* gone; its pid, if in use, names another process */
	}
	cleanup_close int pidfd = fd;
	char buf[16];
	int len = snprintf(buf, sizeof buf, "%d", (int)pid);
	ssize_t n;
	do
		n = write(procs_fd, buf, (size_t)len);
	while (n < 0 && errno == EINTR);
	r = n < 0 ? -errno : n == len ? 0 : -EIO;
	if (r == -ESRCH)
		return 0;
	if (r < 0)
		return move_refused(pid, r, err);
	/* Reaped during the write: the number may have named another process
	 * by then, which the write moved. Rare beyond reason (the pid must come
	 * round again within one system call), but never silent. */
	if (pin_check(pidfd, pid) == -ESRCH) {
		umucg_err(err, -EAGAIN, "pid %d: exited while being moved; its pid may name "
			  "another process now, which would then be in the group", (int)pid);
		return umucg_err_hint(err, "check pid %d with 'umucg status'", (int)pid);
	}
	return 1;
}

/* Writes every member of want not yet in the group to cgroup.procs;
 * returns how many were written. A process that exited meanwhile is not
 * an error. */
static int move_missing(int group_fd, const struct pidset *want, struct umucg_error *err)
{
	cleanup_free pid_t *inside = NULL;
	size_t ninside = 0;
	int r = umucg_group_pids(group_fd, &inside, &ninside, err);
	if (r < 0)
		return r;
	cleanup_close int procs = -1;
	int moved = 0;
	for (size_t i = 0; i < want->n; i++) {
		bool there = false;
		for (size_t k = 0; k < ninside && !there; k++)
			there = inside[k] == want->v[i];
		if (there)
			continue;
		if (procs < 0 && (procs = cgfile_open(group_fd, "cgroup.procs", O_WRONLY)) < 0)
			return move_refused(want->v[i], procs, err);
		if ((r = move_one(procs, want, i, err)) < 0)
			return r;
		moved += r;
	}
	return moved;
}

int umucg_move(int group_fd, const pid_t *pids, size_t n, bool tree,
	       struct umucg_error *err)
{
	if (n == 0)
		return umucg_err(err, -EINVAL, "move: no process given");
	struct pidset want = { 0 };
	for (size_t i = 0; i < n; i++) {
		int r = check_pid(&want, pids[i], err);
		if (r < 0) {
			pidset_free(&want);
			return r;
		}
	}
	/* With the group frozen, a moved process stops before it can fork
	 * again; a child it forked before its move is found by the rescan.
	 * Without a freezer (before 5.2) the rescans alone settle it. */
	char was[8] = "";
	bool freeze = tree && cgfile_read(group_fd, "cgroup.freeze", was, sizeof was) >= 0 &&
		      was[0] == '0';
	if (freeze && cgfile_write(group_fd, "cgroup.freeze", "1") < 0)
		freeze = false;
	int total = 0, r = 0;
	for (int round = 0; round < MOVE_ROUNDS_MAX; round++) {
		if (tree && (r = add_descendants(&want)) < 0) {
			umucg_err(err, r, "move: reading /proc: %s", strerror(-r));
			break;
		}
		r = move_missing(group_fd, &want, err);
		if (r <= 0)
			break;
		total += r;
		if (!tree)
			break;
		r = 0;
	}
	if (freeze) {
		int t = cgfile_write(group_fd, "cgroup.freeze", "0");
		if (t < 0 && r >= 0)
			r = umucg_err(err, t, "cgroup.freeze: cannot thaw: %s", strerror(-t));
	}
	pidset_free(&want);
	return r < 0 ? r : total;
}
