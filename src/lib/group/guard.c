/* guard.c - whether a group holds the caller: the calling process, one of
 * its ancestors (the shell that ran it, the terminal, the login) or its
 * session's leader, so that stop, kill and freeze never end or freeze the
 * user's own session by a typo. */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* A cgroup hierarchy deeper than this is not walked: the answer would not
 * be known, and the caller refuses to act. */
#define GUARD_DEPTH_MAX 64
/* Ancestors followed up from the caller (a chain this long is a loop of
 * reused pids read at the wrong moment, not a real process tree). */
#define GUARD_ANCESTORS_MAX 4096

struct caller_set {
	pid_t *pids;
	size_t n, cap;
	size_t best; /* caller_rank of the best match so far; n: none */
};

static int caller_add(struct caller_set *s, pid_t pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->pids[i] == pid)
			return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 32;
		pid_t *bigger = realloc(s->pids, cap * sizeof *bigger);
		if (!bigger)
			return -ENOMEM;
		s->pids = bigger;
		s->cap = cap;
	}
	s->pids[s->n++] = pid;
	return 0;
}

/* The calling process, its ancestors up to PID 1 (or the first one outside
 * this pid namespace, which reads as parent 0) and its session's leader. */
static int caller_collect(struct caller_set *s)
{
	pid_t pid = getpid();
	for (int i = 0; i < GUARD_ANCESTORS_MAX && pid > 0; i++) {
		int r = caller_add(s, pid);
		if (r < 0)
			return r;
		struct proc_stat ps;
		if (pid == 1 || proc_stat_read(pid, &ps) < 0)
			break;
		pid = ps.ppid;
	}
	pid_t sid = getsid(0);
	return sid > 0 ? caller_add(s, sid) : 0;
}

/* How well pid names the caller in a message, lower is better: the shell
 * or program that ran umucg, umucg itself, then the nearer ancestors, the
 * session leader last; s->n when it is none of them. */
static size_t caller_rank(struct caller_set *s, pid_t pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->pids[i] == pid)
			return i == 1 ? 0 : i == 0 ? 1 : i;
	return s->n;
}

static int subtree_holds(int dir_fd, struct caller_set *s, unsigned depth, pid_t *who,
			 struct umucg_error *err);

/* Walks the child groups of dir_fd. */
static int children_hold(int dir_fd, struct caller_set *s, unsigned depth, pid_t *who,
			 struct umucg_error *err)
{
	int dup_fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
	if (dup_fd < 0)
		return umucg_err(err, -errno, "cgroup directory: %s", strerror(errno));
	DIR *d = fdopendir(dup_fd);
	if (!d) {
		int e = errno;
		close(dup_fd);
		return umucg_err(err, -e, "cgroup directory: %s", strerror(e));
	}
	rewinddir(d);
	int r = 0;
	struct dirent *e;
	while (r == 0 && (e = readdir(d))) {
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_type != DT_DIR &&
		    (e->d_type != DT_UNKNOWN || fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		     !S_ISDIR(st.st_mode)))
			continue;
		cleanup_close int child = openat(dir_fd, e->d_name,
						 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0)
			continue; /* removed meanwhile: it holds nobody */
		r = subtree_holds(child, s, depth + 1, who, err);
	}
	closedir(d);
	return r;
}

static int subtree_holds(int dir_fd, struct caller_set *s, unsigned depth, pid_t *who,
			 struct umucg_error *err)
{
	if (depth > GUARD_DEPTH_MAX)
		return umucg_err(err, -ELOOP, "more than %d levels of groups below it", GUARD_DEPTH_MAX);
	cleanup_free pid_t *pids = NULL;
	size_t n = 0;
	int r = umucg_group_pids(dir_fd, &pids, &n, NULL);
	if (r < 0 && depth > 0 && umucg_group_gone(dir_fd))
		return 0;
	if (r < 0)
		return umucg_err(err, r, "cgroup.procs: %s", strerror(-r));
	for (size_t i = 0; i < n; i++) {
		size_t rank = caller_rank(s, pids[i]);
		if (rank < s->best) {
			s->best = rank;
			*who = pids[i];
		}
	}
	return children_hold(dir_fd, s, depth, who, err);
}

int umucg_group_holds_caller(int group_fd, pid_t *who, struct umucg_error *err)
{
	struct caller_set s = { 0 };
	pid_t found = 0;
	int r = caller_collect(&s);
	if (r < 0) {
		r = umucg_err(err, r, "the caller's processes: %s", strerror(-r));
	} else {
		s.best = s.n;
		r = subtree_holds(group_fd, &s, 0, &found, err);
		if (r == 0 && s.best < s.n)
			r = 1;
	}
	free(s.pids);
	if (who)
		*who = r == 1 ? found : 0;
	return r;
}
