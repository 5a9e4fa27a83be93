/* wait.c - waiting on cgroup.events (populated, frozen) for stop, freeze
 * and thaw: poll(2) on the file's notifications, never a sleep loop. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "internal.h"

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A group removed meanwhile (its manager does that once it is empty) has
 * reached populated 0 for good; any other wait on it fails. */
static int wait_gone(const struct events_want *want, size_t n, struct umucg_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(want[i].key, "populated") == 0 && want[i].value == 0)
			return 0;
	return umucg_err(err, -ENOENT, "cgroup.events: the group was removed");
}

/* 1 when the cgroup.events text has one of the wanted values, 0 when not
 * (*first is then the first key's value). */
static int events_match(const char *text, const struct events_want *want, size_t n,
			unsigned long long *first, struct umucg_error *err)
{
	for (size_t i = 0; i < n; i++) {
		unsigned long long v;
		if (cgfile_keyed_value(text, want[i].key, &v) < 0)
			return umucg_err(err, -EOPNOTSUPP, "cgroup.events: no '%s' key", want[i].key);
		if (v == want[i].value)
			return 1;
		if (i == 0)
			*first = v;
	}
	return 0;
}

int cgroup_events_wait(int group_fd, const struct events_want *want, size_t n, double timeout,
		       int wake_fd, struct umucg_error *err)
{
	cleanup_close int ev = cgfile_open(group_fd, "cgroup.events", O_RDONLY);
	if (ev < 0 && umucg_group_gone(group_fd))
		return wait_gone(want, n, err);
	if (ev < 0)
		return umucg_err(err, ev, "cgroup.events: %s", strerror(-ev));
	double deadline = now_seconds() + timeout;
	for (;;) {
		/* Read after arming: a change between the read and poll still
		 * wakes the poll, since the read re-arms the notification. */
		char buf[256];
		ssize_t r = cgfile_pread_fd(ev, buf, sizeof buf);
		if (r < 0 && umucg_group_gone(group_fd))
			return wait_gone(want, n, err);
		if (r < 0)
			return umucg_err(err, (int)r, "cgroup.events: %s", strerror((int)-r));
		unsigned long long v = 0;
		int m = events_match(buf, want, n, &v, err);
		if (m != 0)
			return m < 0 ? m : 0;
		if (umucg_group_gone(group_fd))
			return wait_gone(want, n, err);
		int wait_ms = -1;
		if (timeout >= 0) {
			double left = deadline - now_seconds();
			if (left <= 0)
				return umucg_err(err, -ETIMEDOUT, "cgroup.events: '%s' is still %llu after %gs",
						 want[0].key, v, timeout);
			wait_ms = (int)(left * 1000) + 1;
		}
		struct pollfd pfd[2] = {
			{ .fd = ev, .events = POLLPRI },
			{ .fd = wake_fd, .events = POLLIN },
		};
		int p = poll(pfd, 2, wait_ms);
		if (p < 0 && errno != EINTR)
			return umucg_err(err, -errno, "poll: %s", strerror(errno));
		if (p > 0 && (pfd[1].revents & POLLIN))
			wake_fd = -1; /* once: it stays readable */
	}
}

/* Waits until KEY has value; also wakes when wake_fd (e.g. the pidfd of the
 * group's manager, which removes the group and so drops any pending
 * cgroup.events notification) becomes readable. */
static int wait_event_or(int group_fd, const char *key, unsigned long long value,
			 double timeout, int wake_fd, struct umucg_error *err)
{
	const struct events_want want = { key, value };
	return cgroup_events_wait(group_fd, &want, 1, timeout, wake_fd, err);
}

int umucg_group_wait_event(int group_fd, const char *key, unsigned long long value,
			   double timeout, struct umucg_error *err)
{
	return wait_event_or(group_fd, key, value, timeout, -1, err);
}

int umucg_group_freeze(int group_fd, bool frozen, double timeout,
		       struct umucg_error *err)
{
	char cur[8];
	ssize_t n = cgfile_read(group_fd, "cgroup.freeze", cur, sizeof cur);
	if (n == -ENOENT) {
		umucg_err(err, -EOPNOTSUPP, "cgroup.freeze: the kernel has no cgroup2 freezer");
		return umucg_err_hint(err, "freezing needs Linux 5.2 or later");
	}
	if (n < 0)
		return umucg_err(err, (int)n, "cgroup.freeze: %s", strerror((int)-n));
	if ((cur[0] == '1') == frozen)
		return umucg_err(err, -EALREADY, "%s", frozen ? "already frozen" : "not frozen");
	int r = umucg_group_set_frozen(group_fd, frozen, err);
	if (r < 0)
		return r;
	r = umucg_group_wait_event(group_fd, "frozen", frozen ? 1 : 0, timeout, err);
	if (r == -ETIMEDOUT && !frozen)
		umucg_err_hint(err, "a parent group is frozen");
	else if (r == -ETIMEDOUT)
		umucg_err_hint(err, "a process is stuck in the kernel (state D); try again later");
	return r;
}

/* The pidfd of the group's live manager, or -1. */
static int manager_pidfd(const struct umucg_meta_store *store, int group_fd)
{
	struct umucg_meta meta;
	if (umucg_meta_read(store, group_fd, &meta, NULL) < 0 || !umucg_meta_manager_alive(&meta))
		return -1;
	int fd = (int)syscall(SYS_pidfd_open, meta.manager_pid, 0);
	return fd < 0 ? -1 : fd;
}

int umucg_group_stop(const struct umucg_meta_store *store, int group_fd, int sig,
		     double grace, enum umucg_kill_method method, struct umucg_error *err)
{
	int r = umucg_group_populated(group_fd, err);
	if (r <= 0)
		return umucg_group_gone(group_fd) ? 0 : r;
	cleanup_close int manager = manager_pidfd(store, group_fd);
	r = umucg_group_signal(group_fd, sig, err);
	if (r < 0)
		return umucg_group_gone(group_fd) ? 0 : r;
	/* A frozen process gets the signal only once thawed. */
	if ((r = group_thaw_requested(group_fd, err)) < 0)
		return r;
	if (grace > 0) {
		r = wait_event_or(group_fd, "populated", 0, grace, manager, NULL);
		if (r == 0)
			return 0;
	}
	r = umucg_group_kill(group_fd, method, err);
	if (r < 0)
		return r;
	/* SIGKILL cannot be ignored; a process in uninterruptible sleep still
	 * takes a moment to go. */
	r = wait_event_or(group_fd, "populated", 0, 30, manager, err);
	return r < 0 ? r : 1;
}
