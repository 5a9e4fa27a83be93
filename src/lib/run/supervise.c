/* supervise.c - the one event loop of a run: signals (signalfd), the group's
 * cgroup.events (POLLPRI) and timers (timerfd) in one poll(2) that sleeps
 * until one of them fires; no sleeping, no polling loop. Ends when CMD has exited, the group is empty and every child,
 * orphans included, is reaped. */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <poll.h>
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
	/* Made on first use: most runs never need it. */
	s->grace_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (s->grace_fd < 0)
		return umucg_err(s->err, -errno, "timerfd: %s", strerror(errno));
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

int umucg_supervise(const struct umucg_supervise_opts *opts,
		    struct umucg_supervise_result *res, struct umucg_error *err)
{
	memset(res, 0, sizeof *res);
	struct supervisor s = {
		.opts = opts, .res = res, .err = err,
		.events_fd = -1, .grace_fd = -1, .children = true,
	};
	cleanup_close int timeout_fd = -1;
	cleanup_close int events_fd = -1;
	int r = 0;
	if (opts->group_fd >= 0) {
		events_fd = cgfile_open(opts->group_fd, "cgroup.events", O_RDONLY);
		r = events_fd < 0 ? events_fd : 0;
		s.events_fd = events_fd;
	}
	if (r == 0 && opts->timeout_seconds > 0) {
		timeout_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		r = timeout_fd < 0 ? -errno : timer_arm(timeout_fd, opts->timeout_seconds);
	}
	if (r < 0)
		return umucg_err(err, r, "supervise: %s", strerror(-r));

	/* CMD may have exited before the signalfd was watched. */
	r = reap(&s);
	while (r == 0 && !(s.main_done && !s.children && !s.populated)) {
		/* poll ignores negative fds: the timers not (yet) made. */
		struct pollfd pfd[4] = {
			{ .fd = opts->signal_fd, .events = POLLIN },
			{ .fd = events_fd, .events = POLLPRI },
			{ .fd = s.grace_fd, .events = POLLIN },
			{ .fd = timeout_fd, .events = POLLIN },
		};
		if (poll(pfd, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			r = umucg_err(err, -errno, "poll: %s", strerror(errno));
			break;
		}
		if (pfd[0].revents)
			r = on_signals(&s);
		if (r == 0 && pfd[1].revents)
			refresh_populated(&s);
		if (r == 0 && pfd[2].revents) {
			r = drain_timer(s.grace_fd);
			if (r == 0)
				r = kill_tree(&s);
		}
		if (r == 0 && pfd[3].revents) {
			r = drain_timer(timeout_fd);
			res->timed_out = true;
			if (r == 0)
				r = terminate(&s, SIGTERM);
		}
	}
	if (s.grace_fd >= 0)
		close(s.grace_fd);
	return r;
}
