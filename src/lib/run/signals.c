/* signals.c - the signals of a run: which ones umucg takes over (every
 * catchable signal the caller does not ignore), what each one means
 * (DESIGN.md, "run semantics"), and taking them over and giving them back. */
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>

#include "internal.h"

enum run_signal_kind run_signal_kind(int sig)
{
	switch (sig) {
	case SIGTERM: case SIGINT: case SIGHUP: case SIGQUIT:
		return RUN_SIGNAL_STOP;
	case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return RUN_SIGNAL_JOB_STOP;
	case SIGCONT:
		return RUN_SIGNAL_JOB_CONT;
	case SIGCHLD:
		return RUN_SIGNAL_CHILD;
	default:
		return RUN_SIGNAL_FORWARD;
	}
}

bool run_signal_from_terminal(int sig, int si_code)
{
	/* The terminal (and the kernel's job control) signals a whole process
	 * group with si_code SI_KERNEL; kill(2) gives SI_USER, sigqueue
	 * SI_QUEUE. Other SI_KERNEL signals (SIGXCPU, SIGIO...) are the
	 * process's own. */
	if (si_code != SI_KERNEL)
		return false;
	switch (sig) {
	case SIGINT: case SIGQUIT: case SIGTSTP: case SIGTTIN: case SIGTTOU:
	case SIGHUP: case SIGWINCH: case SIGCONT:
		return true;
	default:
		return false;
	}
}

/* A signal the caller ignores stays ignored (nohup, a background job of a
 * shell without job control): CMD inherits that, and umucg leaves it be. */
static bool ignored(int sig)
{
	struct sigaction sa;
	return sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN;
}

/* SIG_IGN, SIG_DFL or the caller's handler. */
static void (*disposition(int sig))(int)
{
	struct sigaction sa;
	return sigaction(sig, NULL, &sa) == 0 ? sa.sa_handler : SIG_DFL;
}

/* The signals the C library keeps for itself (glibc 32 and 33, musl 32 to
 * 34: below SIGRTMIN) are catchable all the same, and their default action
 * ends the process: kill -34 must not separate umucg from its tree. The
 * library's sigprocmask and sigaddset refuse them, so they are blocked, and
 * read from the signalfd, through the kernel's own calls (ksigset). */

static void reserved_signals(ksigset set)
{
	memset(set, 0, sizeof(ksigset));
	for (int sig = 32; sig < SIGRTMIN; sig++)
		set[(sig - 1) / (8 * sizeof(unsigned long))] |= 1ul << ((sig - 1) % (8 * sizeof(unsigned long)));
}

/* Blocks the reserved signals and makes the signalfd of caught and them. */
static int signalfd_with_reserved(const sigset_t *caught)
{
	ksigset reserved, all;
	reserved_signals(reserved);
	memcpy(all, caught, sizeof all);
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		all[i] |= reserved[i];
	if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, reserved, NULL, KSIGSET_BYTES) < 0)
		return -errno;
	int fd = (int)syscall(SYS_signalfd4, -1, all, KSIGSET_BYTES, SFD_CLOEXEC | SFD_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

int run_signals_take(struct run_signals *rs, struct umucg_error *err)
{
	memset(rs, 0, sizeof *rs);
	rs->fd = -1;
	sigemptyset(&rs->caught);
	sigemptyset(&rs->handled);
	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || (sig > 31 && sig < SIGRTMIN))
			continue; /* uncatchable, or reserved by the C library */
		void (*h)(int) = disposition(sig);
		if (sig == SIGCHLD || h != SIG_IGN)
			sigaddset(&rs->caught, sig);
		if (h != SIG_IGN && h != SIG_DFL)
			sigaddset(&rs->handled, sig); /* spawn resets it in CMD's child */
	}
	/* A SIGCHLD ignored by our parent would reap every child unseen. */
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	rs->chld_ignored = ignored(SIGCHLD);
	if (rs->chld_ignored && sigaction(SIGCHLD, &dfl, NULL) < 0)
		return umucg_err(err, -errno, "run: SIGCHLD: %s", strerror(errno));
	/* From here on a signal is queued for the supervisor: none can end
	 * umucg between creating the group and watching it. */
	if (sigprocmask(SIG_BLOCK, &rs->caught, &rs->old_mask) < 0) {
		int e = errno;
		run_signals_give_back(rs);
		return umucg_err(err, -e, "run: sigprocmask: %s", strerror(e));
	}
	rs->blocked = true;
	rs->fd = signalfd_with_reserved(&rs->caught);
	if (rs->fd < 0) {
		int e = -rs->fd;
		rs->fd = -1;
		run_signals_give_back(rs);
		return umucg_err(err, -e, "run: signalfd: %s", strerror(e));
	}
	return 0;
}

void run_signals_give_back(struct run_signals *rs)
{
	int saved = errno;
	if (rs->fd >= 0) {
		/* What arrived and was not read is dropped, not delivered with its
		 * default action once unblocked: it was meant for the run. */
		struct signalfd_siginfo si;
		while (read(rs->fd, &si, sizeof si) == (ssize_t)sizeof si)
			;
		close(rs->fd);
		rs->fd = -1;
	}
	if (rs->blocked) {
		ksigset reserved;
		reserved_signals(reserved);
		syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, reserved, NULL, KSIGSET_BYTES);
		sigprocmask(SIG_SETMASK, &rs->old_mask, NULL);
	}
	rs->blocked = false;
	if (rs->chld_ignored) {
		struct sigaction ign = { .sa_handler = SIG_IGN };
		sigaction(SIGCHLD, &ign, NULL);
		rs->chld_ignored = false;
	}
	errno = saved;
}
