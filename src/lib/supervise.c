/* supervise.c - the one event loop of a run: signals (signalfd), the group's
 * cgroup.events (epoll EPOLLPRI) and timers (timerfd); no sleeping, no
 * polling. Ends when CMD has exited, the group is empty and every child,
 * orphans included, is reaped. */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

#include "internal.h"

struct supervisor {
	const struct umucg_supervise_opts *opts;
	struct umucg_supervise_result *res;
	struct umucg_error *err;
	int events_fd;
	int grace_fd;
	bool main_done;
	bool children;     /* waitpid saw at least one live child */
	bool populated;
	bool terminating;  /* a signal or the timeout asked the tree to end */
};

static int timer_arm(int tfd, double seconds)
{
	struct itimerspec its;
	memset(&its, 0, sizeof its);
	if (seconds < 0.000001)
		seconds = 0.000001; /* a zero it_value would disarm */
	its.it_value.tv_sec = (time_t)seconds;
	its.it_value.tv_nsec = (long)((seconds - (double)its.it_value.tv_sec) * 1e9);
	return timerfd_settime(tfd, 0, &its, NULL) < 0 ? -errno : 0;
}

static void refresh_populated(struct supervisor *s)
{
	if (s->opts->group_fd < 0) {
		s->populated = false;
		return;
	}
	char buf[256];
	unsigned long long v = 0;
	/* A group removed from outside had to be empty first. */
	if (cgfile_pread_fd(s->events_fd, buf, sizeof buf) < 0 ||
	    cgfile_keyed_value(buf, "populated", &v) < 0)
		v = 0;
	s->populated = v != 0;
}

static int kill_tree(struct supervisor *s)
{
	s->res->killed = true;
	if (s->opts->group_fd < 0) {
		if (!s->main_done)
			kill(s->opts->main_pid, SIGKILL);
		return 0;
	}
	return umucg_group_kill(s->opts->group_fd, s->opts->kill_method, s->err);
}

static void forward(struct supervisor *s, int sig)
{
	if (s->opts->group_fd >= 0) {
		if (umucg_group_signal(s->opts->group_fd, sig, NULL) >= 0)
			return;
	}
	if (!s->main_done)
		kill(s->opts->main_pid, sig);
}

/* First request: forward it and start the grace period; later ones kill. */
static int terminate(struct supervisor *s, int sig)
{
	if (s->terminating)
		return kill_tree(s);
	s->terminating = true;
	forward(s, sig);
	if (s->opts->grace_seconds <= 0)
		return kill_tree(s);
	int r = timer_arm(s->grace_fd, s->opts->grace_seconds);
	return r < 0 ? umucg_err(s->err, r, "timerfd: %s", strerror(-r)) : 0;
}

static int reap(struct supervisor *s)
{
	bool main_now = false;
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			if (pid == s->opts->main_pid) {
				s->main_done = main_now = true;
				s->res->main_status = status;
			}
			continue;
		}
		if (pid == 0) {
			s->children = true;
			break;
		}
		if (errno == EINTR)
			continue;
		s->children = false; /* ECHILD */
		break;
	}
	if (main_now && s->opts->kill_on_exit && s->opts->group_fd >= 0) {
		int r = kill_tree(s);
		if (r < 0)
			return r;
	}
	/* cgroup.events notifications are rate-limited: read it ourselves. */
	refresh_populated(s);
	return 0;
}

static int on_signals(struct supervisor *s)
{
	for (;;) {
		struct signalfd_siginfo si;
		ssize_t n = read(s->opts->signal_fd, &si, sizeof si);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			return umucg_err(s->err, -errno, "signalfd: %s", strerror(errno));
		}
		if (n != (ssize_t)sizeof si)
			return umucg_err(s->err, -EIO, "signalfd: short read");
		int r = 0;
		if (si.ssi_signo == SIGCHLD) {
			r = reap(s);
		} else {
			s->res->signals_seen++;
			r = terminate(s, (int)si.ssi_signo);
		}
		if (r < 0)
			return r;
	}
}

static int drain_timer(int fd)
{
	uint64_t ticks;
	ssize_t n = read(fd, &ticks, sizeof ticks);
	return n < 0 && errno != EAGAIN && errno != EINTR ? -errno : 0;
}

static int epoll_add(int epfd, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };
	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

int umucg_supervise(const struct umucg_supervise_opts *opts,
		    struct umucg_supervise_result *res, struct umucg_error *err)
{
	memset(res, 0, sizeof *res);
	struct supervisor s = {
		.opts = opts, .res = res, .err = err,
		.events_fd = -1, .grace_fd = -1, .children = true,
	};
	cleanup_close int epfd = epoll_create1(EPOLL_CLOEXEC);
	cleanup_close int grace_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	cleanup_close int timeout_fd = -1;
	cleanup_close int events_fd = -1;
	if (epfd < 0 || grace_fd < 0)
		return umucg_err(err, -errno, "supervise: %s", strerror(errno));
	s.grace_fd = grace_fd;
	int r = epoll_add(epfd, opts->signal_fd, EPOLLIN);
	if (r == 0)
		r = epoll_add(epfd, grace_fd, EPOLLIN);
	if (r == 0 && opts->group_fd >= 0) {
		events_fd = cgfile_open(opts->group_fd, "cgroup.events", O_RDONLY);
		r = events_fd < 0 ? events_fd : epoll_add(epfd, events_fd, EPOLLPRI);
		s.events_fd = events_fd;
	}
	if (r == 0 && opts->timeout_seconds > 0) {
		timeout_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		r = timeout_fd < 0 ? -errno : timer_arm(timeout_fd, opts->timeout_seconds);
		if (r == 0)
			r = epoll_add(epfd, timeout_fd, EPOLLIN);
	}
	if (r < 0)
		return umucg_err(err, r, "supervise: %s", strerror(-r));

	/* CMD may have exited before the signalfd was watched. */
	if ((r = reap(&s)) < 0)
		return r;
	while (!(s.main_done && !s.children && !s.populated)) {
		struct epoll_event evs[4];
		int n = epoll_wait(epfd, evs, 4, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return umucg_err(err, -errno, "epoll_wait: %s", strerror(errno));
		}
		for (int i = 0; i < n && r == 0; i++) {
			int fd = evs[i].data.fd;
			if (fd == opts->signal_fd) {
				r = on_signals(&s);
			} else if (fd == events_fd) {
				refresh_populated(&s);
			} else if (fd == grace_fd) {
				r = drain_timer(grace_fd);
				if (r == 0)
					r = kill_tree(&s);
			} else if (fd == timeout_fd) {
				r = drain_timer(timeout_fd);
				res->timed_out = true;
				if (r == 0)
					r = terminate(&s, SIGTERM);
			}
		}
		if (r < 0)
			return r;
	}
	return 0;
}
