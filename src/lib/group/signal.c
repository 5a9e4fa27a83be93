/* signal.c - a signal to every process of a group, through pidfds: each
 * pid read from cgroup.procs is pinned by a pidfd and then checked to be a
 * member (its cgroup asked through the pidfd, or cgroup.procs read again),
 * so that a pid reused by a process outside the group between the read and
 * the signal is never signalled. */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "internal.h"

/* A process forked after cgroup.procs was read but before its parent got
 * the signal is not in the list: read again after each round and signal
 * the pids not signalled yet, until a read shows none new. A tree that
 * survives the signal and forks on can outrun the bounded rounds; callers
 * that must end it kill the group after their grace period. */
#define SIGNAL_ROUNDS 64

static int pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

/* pidfds opened and not yet signalled: as many as half the fd limit
 * allows (up to 4096), so that each re-read of cgroup.procs serves many.
 * With by_id (Linux 6.13+) there is no batch: each pidfd is asked for its
 * cgroup's id and signalled at once. */
struct batch {
	int *fd;
	pid_t *pid;
	size_t n, cap;
	int sig;
	pid_t skip_pgid; /* the terminal signalled this process group already */
	int sent;
	bool by_id;
	uint64_t id; /* the group's cgroup id */
};

static int batch_init(struct batch *b, int group_fd, int sig)
{
	struct rlimit rl;
	size_t cap = 256;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		cap = (size_t)rl.rlim_cur / 2;
	else if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		cap = 4096;
	cap = cap < 16 ? 16 : cap > 4096 ? 4096 : cap;
	*b = (struct batch){ .fd = calloc(cap, sizeof *b->fd), .pid = calloc(cap, sizeof *b->pid),
			     .cap = cap, .sig = sig };
	b->by_id = cgroup_id_of(group_fd, &b->id) == 0;
	return b->fd && b->pid ? 0 : -ENOMEM;
}

/* Signals each pidfd of the batch whose pid cgroup.procs lists in a read
 * made after the pidfds were opened. A listed pid whose pidfd's process is
 * not reaped is that very process, a member now; a pidfd whose process was
 * reaped meanwhile refuses (ESRCH) even when its number came back. */
static int batch_flush(int group_fd, struct batch *b)
{
	if (b->n == 0)
		return 0;
	pid_t *now = NULL;
	size_t nnow = 0;
	int r = umucg_group_pids(group_fd, &now, &nnow, NULL);
	if (r == 0) {
		qsort(now, nnow, sizeof *now, pid_cmp);
		for (size_t i = 0; i < b->n; i++)
			if (bsearch(&b->pid[i], now, nnow, sizeof *now, pid_cmp) &&
			    pidfd_signal(b->fd[i], b->sig) == 0)
				b->sent++;
	}
	free(now);
	for (size_t i = 0; i < b->n; i++)
		close(b->fd[i]);
	b->n = 0;
	return r;
}

static void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		close(b->fd[i]);
	free(b->fd);
	free(b->pid);
}

/* Pins pid with a pidfd into the batch, flushing it when full. */
static int batch_add(int group_fd, struct batch *b, pid_t pid)
{
	int fd = pidfd_of(pid);
	if (fd == -EMFILE && b->n > 0) {
		int r = batch_flush(group_fd, b);
		if (r < 0)
			return r;
		fd = pidfd_of(pid);
	}
	if (fd == -ENOSYS) {
		/* Before Linux 5.3 there are no pidfds: by number, as kill(1). */
		if (kill(pid, b->sig) == 0)
			b->sent++;
		return 0;
	}
	if (fd == -ESRCH)
		return 0; /* it exited meanwhile */
	if (fd < 0)
		return fd;
	uint64_t id;
	int r = b->by_id ? pidfd_cgroup_id(fd, &id) : -EOPNOTSUPP;
	if (r != -EOPNOTSUPP) {
		/* Asked through the pidfd after it was opened: this very process
		 * is a member now, or it is not (it left, or its pid was reused
		 * by a process elsewhere), or it is gone (-ESRCH). */
		if (r == 0 && id == b->id && pidfd_signal(fd, b->sig) == 0)
			b->sent++;
		close(fd);
		return 0;
	}
	b->by_id = false; /* before 6.13: read cgroup.procs again instead */
	b->fd[b->n] = fd;
	b->pid[b->n++] = pid;
	return b->n == b->cap ? batch_flush(group_fd, b) : 0;
}

/* The pids of this read not signalled in an earlier round, each added to
 * done (sorted on return) and to the batch. 1 when there were any. */
static int signal_new(int group_fd, struct batch *b, pid_t **done, size_t *ndone,
		      struct umucg_error *err)
{
	cleanup_free pid_t *pids = NULL;
	size_t n = 0;
	int r = umucg_group_pids(group_fd, &pids, &n, err);
	if (r < 0)
		return r;
	pid_t *grown = realloc(*done, (*ndone + n + 1) * sizeof **done);
	if (!grown)
		return umucg_err(err, -ENOMEM, "cgroup.procs: %s", strerror(ENOMEM));
	*done = grown;
	size_t before = *ndone;
	for (size_t i = 0; i < n; i++) {
		if (bsearch(&pids[i], *done, before, sizeof **done, pid_cmp))
			continue;
		(*done)[(*ndone)++] = pids[i];
		/* A reused pid skipped here is harmless: batch_add signals
		 * members only. */
		if (b->skip_pgid && getpgid(pids[i]) == b->skip_pgid)
			continue;
		if ((r = batch_add(group_fd, b, pids[i])) < 0)
			break;
	}
	if (r == 0)
		r = batch_flush(group_fd, b);
	if (r < 0)
		return umucg_err(err, r, "signal: %s", strerror(-r));
	qsort(*done, *ndone, sizeof **done, pid_cmp);
	return *ndone > before;
}

int umucg_group_signal(int group_fd, int sig, struct umucg_error *err)
{
	return group_signal_except(group_fd, sig, 0, err);
}

int group_signal_except(int group_fd, int sig, pid_t skip_pgid, struct umucg_error *err)
{
	cleanup_free pid_t *done = NULL;
	size_t ndone = 0;
	struct batch b;
	if (batch_init(&b, group_fd, sig) < 0) {
		batch_free(&b);
		return umucg_err(err, -ENOMEM, "signal: %s", strerror(ENOMEM));
	}
	b.skip_pgid = skip_pgid;
	int r = 0, round;
	for (round = 0; round < SIGNAL_ROUNDS; round++) {
		r = signal_new(group_fd, &b, &done, &ndone, round ? NULL : err);
		if (r <= 0)
			break;
	}
	int sent = b.sent;
	batch_free(&b);
	/* After the first round a failed read means the group went meanwhile. */
	return r < 0 && round == 0 ? r : sent;
}
