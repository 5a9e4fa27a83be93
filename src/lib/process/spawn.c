/* spawn.c - starting CMD directly inside a group: clone3 with
 * CLONE_INTO_CGROUP, or fork, join cgroup.procs, then exec. Either way no
 * instruction of CMD runs outside the group. */
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "internal.h"
#include "libcap_dl.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* What the child reports on its error pipe before it gives up. */
enum spawn_stage { STAGE_JOIN = 1, STAGE_CWD = 2, STAGE_PRIVS = 3, STAGE_EXEC = 4 };
struct spawn_report {
	int stage;
	int error;
};

static void child_report(int fd, int stage, int error)
{
	struct spawn_report rep = { stage, error };
	ssize_t n;
	do
		n = write(fd, &rep, sizeof rep);
	while (n < 0 && errno == EINTR);
}

/* Runs in the child: never returns. cwd_fd >= 0: the directory CMD
 * starts in, which the caller has already left. */
static void __attribute__((noreturn))
child_exec(const struct umucg_spawn_opts *opts, const struct libcap *lc, int report_fd, bool join,
	   int cwd_fd)
{
	if (join) {
		int r = cgfile_write(opts->group_fd, "cgroup.procs", "0");
		if (r < 0) {
			child_report(report_fd, STAGE_JOIN, -r);
			_exit(125);
		}
	}
	if (opts->group_fd >= 0)
		close(opts->group_fd);
	if (cwd_fd >= 0 && fchdir(cwd_fd) < 0) {
		child_report(report_fd, STAGE_CWD, errno);
		_exit(125);
	}
	if (opts->drop_privileges) {
		int r = umucg_privileges_drop_with(lc, opts->uid, opts->gid, opts->groups,
						   opts->ngroups);
		if (r < 0) {
			child_report(report_fd, STAGE_PRIVS, -r);
			_exit(125);
		}
	}
	if (opts->child_sigmask)
		sigprocmask(SIG_SETMASK, opts->child_sigmask, NULL);
	execvp(opts->argv[0], opts->argv);
	int e = errno;
	child_report(report_fd, STAGE_EXEC, e);
	_exit(e == ENOENT ? 127 : 126);
}

/* The child of spawn_vm: it shares our memory (and runs on a stack of its
 * own) until its exec, while we wait in clone3; what it reports, it writes
 * into rep. */
struct vm_child {
	const struct umucg_spawn_opts *opts;
	const sigset_t *handled;   /* signals the caller handles */
	const sigset_t *mask;      /* the mask CMD gets */
	int cwd_fd;                /* where CMD starts, or -1: here */
	struct spawn_report rep;
};

static int vm_child_main(void *p)
{
	struct vm_child *c = p;
	/* Every signal is blocked here. A handler of the caller's must not run
	 * in this child, which shares the caller's memory: back to the default
	 * action first (exec would reset it anyway), then the mask CMD gets. */
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(c->handled, sig) == 1)
			sigaction(sig, &dfl, NULL);
	if (c->opts->group_fd >= 0)
		close(c->opts->group_fd);
	if (c->cwd_fd >= 0 && fchdir(c->cwd_fd) < 0) {
		c->rep = (struct spawn_report){ STAGE_CWD, errno };
		_exit(125);
	}
	sigprocmask(SIG_SETMASK, c->mask, NULL);
	execvp(c->opts->argv[0], c->opts->argv);
	c->rep = (struct spawn_report){ STAGE_EXEC, errno };
	_exit(c->rep.error == ENOENT ? 127 : 126);
}

/* clone3 into the group with CLONE_VM | CLONE_VFORK: the child runs until
 * its exec on a stack of its own, sharing our memory, and we resume once it
 * has exec'd (or given up). No page tables to copy, no copy-on-write faults
 * after (on this machine about a tenth of a launch). Returns the pid,
 * -ENOSYS where clone3_vm has no assembly for this architecture, or
 * -errno; *rep is what the child reported (stage 0: its exec succeeded). */
static pid_t spawn_vm(const struct umucg_spawn_opts *opts, const sigset_t *handled,
		      int cwd_fd, struct spawn_report *rep)
{
	size_t argc = 0;
	while (opts->argv[argc])
		argc++;
	/* execvp's path buffer is at most PATH_MAX, its script fallback puts
	 * argc + 2 pointers on the stack; 64 KiB covers the rest. */
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t size = (65536 + (argc + 3) * sizeof(char *) + page - 1) / page * page;
	void *stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return -errno;
	/* Every signal blocked around the clone, the C library's own too (its
	 * sigfillset and sigprocmask leave those out, and would unblock the
	 * ones the run blocked through the kernel): the kernel's calls. */
	ksigset all, saved;
	memset(all, 0xff, sizeof all);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, all, saved, KSIGSET_BYTES);
	sigset_t saved_set;
	sigemptyset(&saved_set);
	memcpy(&saved_set, saved, sizeof saved);
	struct vm_child c = {
		.opts = opts, .handled = handled,
		.mask = opts->child_sigmask ? opts->child_sigmask : &saved_set, .cwd_fd = cwd_fd,
	};
	struct clone_args args;
	memset(&args, 0, sizeof args);
	args.flags = CLONE_VM | CLONE_VFORK | CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.stack = (unsigned long long)(uintptr_t)stack;
	args.stack_size = size;
	args.cgroup = (unsigned long long)opts->group_fd;
	long pid = clone3_vm(&args, sizeof args, vm_child_main, &c);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, saved, NULL, KSIGSET_BYTES);
	munmap(stack, size);
	*rep = c.rep;
	return (pid_t)pid;
}

/* The signals whose disposition is a handler of the caller's. */
static void handled_signals(sigset_t *set)
{
	sigemptyset(set);
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL &&
		    sa.sa_handler != SIG_IGN)
			sigaddset(set, sig);
	}
}

static pid_t clone3_into(int group_fd)
{
	struct clone_args args;
	memset(&args, 0, sizeof args);
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = (unsigned long long)group_fd;
	return (pid_t)syscall(SYS_clone3, &args, sizeof args);
}

#define HINT_MOVE "moving into the group needs write access to the cgroup.procs of it " \
	"and of the common ancestor ('umucg doctor' explains)"

/* The child, by clone3 into the group, or by fork (then *join: it joins the
 * group itself). 0 in the child, its pid in the parent, or -errno. */
static pid_t start_child(const struct umucg_spawn_opts *opts, bool *join, struct umucg_error *err)
{
	*join = false;
	if (opts->group_fd >= 0 && opts->method != UMUCG_SPAWN_FORK) {
		pid_t pid = clone3_into(opts->group_fd);
		if (pid >= 0)
			return pid;
		int e = errno;
		/* ENOSYS: no clone3 (< 5.3); E2BIG/EINVAL: no CLONE_INTO_CGROUP (< 5.7) */
		bool unsupported = e == ENOSYS || e == E2BIG || e == EINVAL;
		if (!unsupported || opts->method == UMUCG_SPAWN_CLONE3) {
			umucg_err(err, -e, "spawn: clone3 into the group: %s", strerror(e));
			if (e == EACCES || e == EPERM)
				umucg_err_hint(err, HINT_MOVE);
			else if (e == EBUSY)
				umucg_err_hint(err, "the group has child groups with controllers; "
					       "processes live only in leaves");
			return -e;
		}
	}
	*join = opts->group_fd >= 0;
	pid_t pid = fork();
	return pid < 0 ? umucg_err(err, -errno, "spawn: fork: %s", strerror(errno)) : pid;
}

/* The child reported rep before it gave up (n bytes of it read): why. */
static int spawn_failed(const struct umucg_spawn_opts *opts, const struct spawn_report *rep,
			ssize_t n, int *exec_errno, struct umucg_error *err)
{
	if (n != (ssize_t)sizeof *rep)
		return umucg_err(err, -EIO, "spawn: the child died before exec");
	switch (rep->stage) {
	case STAGE_JOIN:
		umucg_err(err, -rep->error, "cgroup.procs: cannot join the group: %s",
			  strerror(rep->error));
		if (rep->error == EACCES || rep->error == EPERM)
			umucg_err_hint(err, HINT_MOVE);
		return -rep->error;
	case STAGE_CWD:
		return umucg_err(err, -rep->error, "spawn: cannot enter the working directory: %s",
				 strerror(rep->error));
	case STAGE_PRIVS:
		return umucg_err(err, -rep->error, "cannot drop privileges: %s", strerror(rep->error));
	default:
		if (exec_errno)
			*exec_errno = rep->error;
		return umucg_err(err, -rep->error, "%s: %s", opts->argv[0], strerror(rep->error));
	}
}

/* clone3 (fork semantics) or fork, with the error pipe: the path that
 * drops privileges, and the one for kernels or architectures without
 * spawn_vm. */
static int spawn_fork(const struct umucg_spawn_opts *opts, int cwd_fd, pid_t *pid_out,
		      int *exec_errno, struct umucg_error *err)
{
	int pipefd[2];
	/* The child drops privileges through libcap: load it while failing is
	 * still cheap. Released when this returns (the child has its copy). */
	__attribute__((cleanup(libcap_close))) struct libcap lc = { 0 };
	if (opts->drop_privileges) {
		int r = libcap_open(&lc, err);
		if (r < 0)
			return r;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return umucg_err(err, -errno, "spawn: pipe: %s", strerror(errno));
	cleanup_close int rd = pipefd[0];
	cleanup_close int wr = pipefd[1];

	bool join;
	pid_t pid = start_child(opts, &join, err);
	if (pid < 0)
		return pid;
	if (pid == 0) {
		close(rd);
		child_exec(opts, &lc, wr, join, cwd_fd);
	}
	close(wr);
	wr = -1;

	/* EOF: the exec succeeded (the pipe was close-on-exec). */
	struct spawn_report rep;
	ssize_t n;
	do
		n = read(rd, &rep, sizeof rep);
	while (n < 0 && errno == EINTR);
	if (n == 0) {
		*pid_out = pid;
		return 0;
	}
	/* The child failed before or at exec: reap it and say why. */
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return spawn_failed(opts, &rep, n, exec_errno, err);
}

static int spawn_in(const struct umucg_spawn_opts *opts, const sigset_t *handled, int cwd_fd,
		    pid_t *pid_out, int *exec_errno, struct umucg_error *err)
{
	/* Dropping privileges calls into libcap, which allocates: not in a
	 * child that shares our memory. */
	if (opts->group_fd >= 0 && opts->method != UMUCG_SPAWN_FORK && !opts->drop_privileges) {
		struct spawn_report rep = { 0, 0 };
		pid_t pid = spawn_vm(opts, handled, cwd_fd, &rep);
		if (pid > 0 && rep.stage == 0) {
			*pid_out = pid;
			return 0;
		}
		if (pid > 0) {
			int status;
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return spawn_failed(opts, &rep, sizeof rep, exec_errno, err);
		}
		if (pid == -ENOMEM)
			return umucg_err(err, pid, "spawn: %s", strerror(-pid));
		/* Anything else: the clone3 below fails the same way and says
		 * why, or (no clone3, no CLONE_INTO_CGROUP) fork takes over. */
	}
	return spawn_fork(opts, cwd_fd, pid_out, exec_errno, err);
}

int spawn_start(const struct umucg_spawn_opts *opts, const sigset_t *handled, bool leave_cwd,
		pid_t *pid_out, int *exec_errno, struct umucg_error *err)
{
	if (exec_errno)
		*exec_errno = 0;
	if (!opts->argv || !opts->argv[0])
		return umucg_err(err, -EINVAL, "spawn: no command");
	/* Leaving the directory before CMD starts, not after: CMD must never
	 * see us still in it. The child goes back to it before its exec. Where
	 * it cannot be opened, we leave it once CMD runs (best effort). */
	cleanup_close int cwd_fd = -1;
	if (leave_cwd && (cwd_fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0 &&
	    chdir("/") < 0) {
		close(cwd_fd);
		cwd_fd = -1;
	}
	int r = spawn_in(opts, handled, cwd_fd, pid_out, exec_errno, err);
	if (r < 0 && cwd_fd >= 0 && fchdir(cwd_fd) < 0)
		r = umucg_err(err, -errno, "spawn: cannot return to the working directory: %s",
			      strerror(errno));
	if (r == 0 && leave_cwd && cwd_fd < 0 && chdir("/") < 0) {
		/* best effort: we keep what we had */
	}
	return r;
}

int umucg_spawn(const struct umucg_spawn_opts *opts, pid_t *pid_out,
		int *exec_errno, struct umucg_error *err)
{
	sigset_t handled;
	handled_signals(&handled);
	return spawn_start(opts, &handled, false, pid_out, exec_errno, err);
}
