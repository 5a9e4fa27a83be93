/* spawn.c - starting CMD directly inside a group: clone3 with
 * CLONE_INTO_CGROUP, or fork, join cgroup.procs, then exec. Either way no
 * instruction of CMD runs outside the group. */
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "internal.h"
#include "libcap_dl.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* What the child reports on its error pipe before it gives up. */
enum spawn_stage { STAGE_JOIN = 1, STAGE_PRIVS = 2, STAGE_EXEC = 3 };
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

/* Runs in the child: never returns. */
static void __attribute__((noreturn))
child_exec(const struct umucg_spawn_opts *opts, const struct libcap *lc, int report_fd, bool join)
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
	case STAGE_PRIVS:
		return umucg_err(err, -rep->error, "cannot drop privileges: %s", strerror(rep->error));
	default:
		if (exec_errno)
			*exec_errno = rep->error;
		return umucg_err(err, -rep->error, "%s: %s", opts->argv[0], strerror(rep->error));
	}
}

int umucg_spawn(const struct umucg_spawn_opts *opts, pid_t *pid_out,
		int *exec_errno, struct umucg_error *err)
{
	int pipefd[2];
	if (exec_errno)
		*exec_errno = 0;
	if (!opts->argv || !opts->argv[0])
		return umucg_err(err, -EINVAL, "spawn: no command");
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
		child_exec(opts, &lc, wr, join);
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
