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

/* Everything checked before the first move, so that a bad pid changes nothing. */
static int check_pid(pid_t pid, struct umucg_error *err)
{
	struct proc_stat ps;
	if (pid <= 0)
		return umucg_err(err, -EINVAL, "pid %d: not a process id", (int)pid);
	int r = proc_stat_read(pid, &ps);
	if (r == -ENOENT || (r == 0 && (ps.state == 'Z' || ps.state == 'X')))
		return umucg_err(err, -ESRCH, "pid %d: no such process", (int)pid);
	if (r < 0)
		return umucg_err(err, r, "pid %d: %s", (int)pid, strerror(-r));
	if (ps.kthread)
		return umucg_err(err, -EINVAL, "pid %d: a kernel thread cannot be moved", (int)pid);
	if (kill(pid, 0) < 0) {
		if (errno == ESRCH)
			return umucg_err(err, -ESRCH, "pid %d: no such process", (int)pid);
		umucg_err(err, -errno, "pid %d: not yours to move: %s", (int)pid, strerror(errno));
		return umucg_err_hint(err, "only its owner (or root) can move it");
	}
	return 0;
}

struct pidset {
	pid_t *v;
	size_t n, cap;
};

static bool pidset_has(const struct pidset *s, pid_t pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == pid)
			return true;
	return false;
}

static int pidset_add(struct pidset *s, pid_t pid)
{
	if (pidset_has(s, pid))
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		pid_t *bigger = realloc(s->v, cap * sizeof *bigger);
		if (!bigger)
			return -ENOMEM;
		s->v = bigger;
		s->cap = cap;
	}
	s->v[s->n++] = pid;
	return 1;
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
			if (*end || pid <= 0)
				continue;
			struct proc_stat ps;
			if (proc_stat_read((pid_t)pid, &ps) < 0 || ps.state == 'Z' || ps.state == 'X')
				continue;
			if (pidset_has(set, ps.ppid)) {
				int r = pidset_add(set, (pid_t)pid);
				if (r < 0) {
					closedir(d);
					return r;
				}
				grew |= r > 0;
			}
		}
		closedir(d);
	}
	return 0;
}

/* Writes every member of want not yet in the group to cgroup.procs;
 * returns how many were written. A process that exited meanwhile is not
 * an error. */
static int move_missing(int group_fd, const struct pidset *want, struct umucg_error *err)
{
	pid_t *inside = NULL;
	size_t ninside = 0;
	int r = umucg_group_pids(group_fd, &inside, &ninside, err);
	if (r < 0)
		return r;
	int moved = 0;
	for (size_t i = 0; i < want->n; i++) {
		bool there = false;
		for (size_t k = 0; k < ninside && !there; k++)
			there = inside[k] == want->v[i];
		struct proc_stat ps;
		if (there || proc_stat_read(want->v[i], &ps) < 0 || ps.state == 'Z' || ps.state == 'X')
			continue;
		char buf[16];
		snprintf(buf, sizeof buf, "%d", (int)want->v[i]);
		r = cgfile_write(group_fd, "cgroup.procs", buf);
		if (r == -ESRCH)
			continue;
		if (r < 0) {
			free(inside);
			umucg_err(err, r, "pid %d: cannot move: %s", (int)want->v[i], strerror(-r));
			if (r == -EACCES || r == -EPERM)
				umucg_err_hint(err, "moving needs write access to cgroup.procs of the "
					       "group and of the common ancestor of both groups");
			return r;
		}
		moved++;
	}
	free(inside);
	return moved;
}

int umucg_move(int group_fd, const pid_t *pids, size_t n, bool tree,
	       struct umucg_error *err)
{
	if (n == 0)
		return umucg_err(err, -EINVAL, "move: no process given");
	for (size_t i = 0; i < n; i++) {
		int r = check_pid(pids[i], err);
		if (r < 0)
			return r;
	}
	struct pidset want = { 0 };
	for (size_t i = 0; i < n; i++)
		if (pidset_add(&want, pids[i]) < 0) {
			free(want.v);
			return umucg_err(err, -ENOMEM, "move: %s", strerror(ENOMEM));
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
	free(want.v);
	return r < 0 ? r : total;
}
