/* supervise.c - the one event loop of a run: signals (signalfd), the group's
 * cgroup.events (POLLPRI), the parent's pidfd and timers (timerfd) in one
 * poll(2) that sleeps until one of them fires; no sleeping, no polling
 * loop. Ends when CMD has exited, the group is empty and every child,
 * orphans included, is reaped. What each signal means: DESIGN.md. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>

#include "internal.h"

enum { FD_SIGNAL, FD_EVENTS, FD_GRACE, FD_TIMEOUT, FD_LINGER, FD_PARENT, NFDS };

struct supervisor {
	const struct supervise_opts *opts;
	struct umucg_run_result *res;
	struct umucg_error *err;
	int fd[NFDS];      /* poll ignores the negative ones */
	bool main_done;
	bool children;     /* waitpid saw at least one live child */
	bool populated;
	bool terminating;  /* the tree was asked to end: grace, then kill */
	bool job_frozen;   /* frozen by job control (SIGTSTP...) until SIGCONT */
	unsigned reads;    /* reads of cgroup.events so far */
};

static int timer_start(struct supervisor *s, int which, double seconds)
{
	if (s->fd[which] < 0) {
		/* Made on first use: most runs never need one. */
		s->fd[which] = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (s->fd[which] < 0)
			return umucg_err(s->err, -errno, "timerfd: %s", strerror(errno));
	}
	struct itimerspec its;
	memset(&its, 0, sizeof its);
	if (seconds < 0.000001)
		seconds = 0.000001; /* a zero it_value would disarm */
	its.it_value.tv_sec = (time_t)seconds;
	its.it_value.tv_nsec = (long)((seconds - (double)its.it_value.tv_sec) * 1e9);
	if (timerfd_settime(s->fd[which], 0, &its, NULL) < 0)
		return umucg_err(s->err, -errno, "timerfd: %s", strerror(errno));
	return 0;
}

/* A fired timer is done with: closed, so that poll no longer sees it. */
static void timer_done(struct supervisor *s, int which)
{
	close(s->fd[which]);
	s->fd[which] = -1;
}

static void refresh_populated(struct supervisor *s)
{
	if (s->opts->group_fd < 0) {
		s->populated = false;
		return;
	}
	char buf[256];
	unsigned long long v = 0;
	s->reads++;
	/* A group removed from outside had to be empty first. */
	if (cgfile_pread_fd(s->fd[FD_EVENTS], buf, sizeof buf) < 0 ||
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

/* Sends sig to every process of the tree but those of process group
 * skip_pgid (0: none), which the terminal has signalled already. */
static void signal_tree(struct supervisor *s, int sig, pid_t skip_pgid)
{
	if (s->opts->group_fd >= 0 &&
	    group_signal_except(s->opts->group_fd, sig, skip_pgid, NULL) >= 0)
		return;
	if (!s->main_done && (!skip_pgid || getpgid(s->opts->main_pid) != skip_pgid))
		kill(s->opts->main_pid, sig);
}

/* Ends the tree as on SIGTERM: sig to every process, then after the grace
 * period cgroup.kill. */
static int start_ending(struct supervisor *s, int sig, pid_t skip_pgid)
{
	s->terminating = true;
	signal_tree(s, sig, skip_pgid);
	if (s->opts->grace <= 0)
		return kill_tree(s);
	return timer_start(s, FD_GRACE, s->opts->grace);
}

/* The terminal gave our process group its stop signal too: let its members
 * take it (a handler runs, or they stop) before the group is frozen, or the
 * SIGCONT of 'fg' would discard it still pending. Bounded: a process that
 * blocks it keeps it pending. */
static void let_terminal_stop_land(struct supervisor *s)
{
	const uint64_t stops = 1ull << (SIGTSTP - 1) | 1ull << (SIGTTIN - 1) | 1ull << (SIGTTOU - 1);
	pid_t pgrp = getpgrp();
	for (int tries = 0; tries < 100; tries++) {
		pid_t *pids = NULL;
		size_t n = 0;
		if (umucg_group_pids(s->opts->group_fd, &pids, &n, NULL) < 0)
			return;
		bool pending = false;
		for (size_t i = 0; i < n && !pending; i++) {
			uint64_t mask;
			pending = getpgid(pids[i]) == pgrp &&
				  proc_pending_signals(pids[i], &mask) == 0 && (mask & stops);
		}
		free(pids);
		if (!pending)
			return;
		struct timespec ms = { 0, 1000 * 1000 };
		nanosleep(&ms, NULL);
	}
}

/* The whole group frozen and umucg stopped, so that the shell sees the job
 * stopped; on SIGCONT (job_continue) the group is thawed. */
static int job_stop(struct supervisor *s, bool from_terminal)
{
	if (s->opts->group_fd >= 0 && from_terminal)
		let_terminal_stop_land(s);
	if (s->opts->group_fd >= 0 && !s->job_frozen) {
		int r = umucg_group_set_frozen(s->opts->group_fd, true, s->err);
		if (r < 0)
			return r == -ENOENT && umucg_group_gone(s->opts->group_fd) ? 0 : r;
		s->job_frozen = true;
		/* A process in the middle of a syscall takes a moment to freeze;
		 * one stuck in the kernel must not keep umucg running. */
		umucg_group_wait_event(s->opts->group_fd, "frozen", 1, 1.0, NULL);
	} else if (s->opts->group_fd < 0 && !s->main_done && !from_terminal) {
		kill(s->opts->main_pid, SIGSTOP);
	}
	sigset_t pending;
	/* A SIGCONT that came first would leave umucg stopped for good. */
	if (sigpending(&pending) == 0 && sigismember(&pending, SIGCONT))
		return 0;
	kill(getpid(), SIGSTOP);
	return 0;
}

static int job_continue(struct supervisor *s)
{
	if (s->opts->group_fd < 0) {
		if (!s->main_done)
			kill(s->opts->main_pid, SIGCONT);
		return 0;
	}
	if (!s->job_frozen)
		return 0; /* continued by the shell without a stop of ours */
	s->job_frozen = false;
	int r = umucg_group_set_frozen(s->opts->group_fd, false, s->err);
	return r == -ENOENT && umucg_group_gone(s->opts->group_fd) ? 0 : r;
}

static int reap(struct supervisor *s);

/* Any other signal goes to CMD while it lives, to the whole tree after. */
static int forward(struct supervisor *s, int sig, pid_t skip_pgid)
{
	/* signalfd hands out the lowest signal first: a SIGCHLD saying CMD is
	 * gone may still wait behind this one. */
	int r = s->main_done ? 0 : reap(s);
	if (r < 0)
		return r;
	if (s->main_done)
		signal_tree(s, sig, skip_pgid);
	else if (!skip_pgid || getpgid(s->opts->main_pid) != skip_pgid)
		kill(s->opts->main_pid, sig);
	return 0;
}

static bool crashed(int status)
{
	if (WIFSIGNALED(status))
		return true;
	/* A wrapper (Steam's reaper, a shell) passes a crash on as 128+N. */
	return WIFEXITED(status) && WEXITSTATUS(status) > 128 &&
	       WEXITSTATUS(status) < 128 + NSIG;
}

/* CMD has exited; the rest of the tree may live on (wineserver). */
static int main_exited(struct supervisor *s)
{
	double linger = s->opts->linger;
	if (s->opts->kill_on_crash && crashed(s->res->status))
		linger = 0;
	if (linger < 0 || s->terminating || s->opts->group_fd < 0)
		return 0;
	refresh_populated(s);
	if (!s->populated)
		return 0;
	s->res->lingered = true;
	if (linger > 0)
		return timer_start(s, FD_LINGER, linger);
	return start_ending(s, SIGTERM, 0);
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
				s->res->status = status;
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
	if (main_now) {
		int r = main_exited(s);
		if (r < 0)
			return r;
	}
	/* cgroup.events notifications are rate-limited: read it ourselves. */
	refresh_populated(s);
	return 0;
}

static int on_signal(struct supervisor *s, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;
	bool tty = run_signal_from_terminal(sig, si->ssi_code);
	/* The terminal signalled umucg's whole process group: its members
	 * have it already. */
	pid_t skip = tty ? getpgrp() : 0;
	switch (run_signal_kind(sig)) {
	case RUN_SIGNAL_CHILD:
		return reap(s);
	case RUN_SIGNAL_STOP:
		s->res->stop_signals++;
		return s->terminating ? kill_tree(s) : start_ending(s, sig, skip);
	case RUN_SIGNAL_JOB_STOP:
		return job_stop(s, tty);
	case RUN_SIGNAL_JOB_CONT:
		return job_continue(s);
	case RUN_SIGNAL_FORWARD:
		return forward(s, sig, skip);
	}
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
		int r = on_signal(s, &si);
		if (r < 0)
			return r;
	}
}

/* Something other than a signal asks the tree to end (the timeout, the
 * linger time, the parent's exit): a grace period already running goes on. */
static int end_unless_ending(struct supervisor *s)
{
	return s->terminating ? 0 : start_ending(s, SIGTERM, 0);
}

static int on_ready(struct supervisor *s, const struct pollfd *pfd)
{
	int r = 0;
	unsigned reads = s->reads;
	if (pfd[FD_SIGNAL].revents)
		r = on_signals(s);
	/* A read re-arms the notification: one after the reaping will do. */
	if (r == 0 && pfd[FD_EVENTS].revents && s->reads == reads)
		refresh_populated(s);
	if (r == 0 && pfd[FD_GRACE].revents) {
		timer_done(s, FD_GRACE);
		r = kill_tree(s);
	}
	if (r == 0 && pfd[FD_TIMEOUT].revents) {
		timer_done(s, FD_TIMEOUT);
		s->res->timed_out = true;
		r = end_unless_ending(s);
	}
	if (r == 0 && pfd[FD_LINGER].revents) {
		timer_done(s, FD_LINGER);
		r = end_unless_ending(s);
	}
	if (r == 0 && pfd[FD_PARENT].revents) {
		s->fd[FD_PARENT] = -1; /* the caller's pidfd: not ours to close */
		s->res->parent_exited = true;
		r = end_unless_ending(s);
	}
	return r;
}

static int supervise_loop(struct supervisor *s)
{
	/* CMD may have exited before the signalfd was watched. */
	int r = reap(s);
	while (r == 0 && !(s->main_done && !s->children && !s->populated)) {
		struct pollfd pfd[NFDS];
		for (int i = 0; i < NFDS; i++)
			pfd[i] = (struct pollfd){ .fd = s->fd[i], .events = POLLIN };
		pfd[FD_EVENTS].events = POLLPRI;
		if (poll(pfd, NFDS, -1) < 0) {
			if (errno == EINTR)
				continue;
			return umucg_err(s->err, -errno, "poll: %s", strerror(errno));
		}
		r = on_ready(s, pfd);
	}
	return r;
}

int supervise(const struct supervise_opts *opts, struct umucg_run_result *res,
	      struct umucg_error *err)
{
	struct supervisor s = { .opts = opts, .res = res, .err = err, .children = true };
	for (int i = 0; i < NFDS; i++)
		s.fd[i] = -1;
	s.fd[FD_SIGNAL] = opts->signal_fd;
	s.fd[FD_PARENT] = opts->parent_fd;
	cleanup_close int events_fd = -1;
	int r = 0;
	if (opts->group_fd >= 0) {
		events_fd = cgfile_open(opts->group_fd, "cgroup.events", O_RDONLY);
		if (events_fd < 0)
			r = umucg_err(err, events_fd, "cgroup.events: %s", strerror(-events_fd));
		s.fd[FD_EVENTS] = events_fd;
	}
	if (r == 0 && opts->timeout > 0)
		r = timer_start(&s, FD_TIMEOUT, opts->timeout);
	if (r == 0)
		r = supervise_loop(&s);
	for (int i = FD_GRACE; i <= FD_LINGER; i++)
		if (s.fd[i] >= 0)
			close(s.fd[i]);
	/* A group left frozen by a stop of ours would hold a later run. */
	if (s.job_frozen && opts->group_fd >= 0)
		umucg_group_set_frozen(opts->group_fd, false, NULL);
	return r;
}
