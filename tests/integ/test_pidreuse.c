/* test_pidreuse.c - a pid reused at the worst moment (issue 16): umucg runs
 * under ptrace inside a new pid namespace; at a chosen system call the
 * tracer kills and reaps the process umucg is about to act on and, by
 * writing ns_last_pid, gives its pid to a new process outside the group.
 * kill --signal must not signal that process, move must not move it (and
 * must say so when the reuse falls inside the write itself), setup
 * --session must not put it in the session leaf. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"

static struct th_base base;

static void setup(void)
{
	th_base_make(&base);
}

static void teardown(void)
{
	th_base_discard(&base);
}

TestSuite(pidreuse, .init = setup, .fini = teardown, .timeout = 60);

enum trigger {
	AT_SIGNAL,        /* entry of kill(2) or pidfd_open(2) on a member */
	AT_OPEN_PROCS,    /* entry of an open of cgroup.procs for writing */
	AT_WRITE_PID,     /* entry of the write(2) of the victim's pid */
	AT_MKDIR_SESSION, /* entry of the mkdir of a session-N leaf */
};

/* What the namespace's init reports to the test. */
struct outcome {
	int status;       /* umucg's wait status */
	int fired;        /* the trigger was hit */
	pid_t victim, reused; /* the pid taken away, and its new owner's */
	int reused_alive; /* the new owner survived */
	int member_alive; /* the group's other member survived */
	char reused_cgroup[512]; /* where the new owner is at the end */
	char err[1024];   /* umucg's stderr */
};

struct scene {
	enum trigger at;
	const char *group;   /* the group's directory */
	pid_t victim, member; /* in the namespace; member may be 0 */
	char *const *argv;   /* umucg's */
	char *pid_arg;       /* an argument (16 bytes) that gets the victim's pid */
	bool no_pidfd_info;  /* umucg gets ENOTTY from PIDFD_GET_INFO, as before 6.13 */
};

/* PIDFD_GET_INFO: _IOWR(0xFF, 11, a 64-byte struct pidfd_info). */
#define PIDFD_GET_INFO_CMD 0xc040ff0bu

/* In umucg: PIDFD_GET_INFO fails as on a kernel before 6.13. */
static bool forbid_pidfd_info(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PIDFD_GET_INFO_CMD, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOTTY),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof filter / sizeof *filter, .filter = filter };
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	       prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static pid_t pausing_child(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void read_mem(pid_t t, __uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };
	memset(buf, 0, len);
	if (process_vm_readv(t, &local, 1, &remote, 1, 0) < 0)
		memset(buf, 0, len);
}

/* The pid this system call entry is about, when it is the trigger; 0. */
static pid_t triggered(pid_t t, const struct scene *s, const struct __ptrace_syscall_info *in)
{
	__uint64_t nr = in->entry.nr;
	const __uint64_t *a = in->entry.args;
	char text[64];
	switch (s->at) {
	case AT_SIGNAL:
		if ((nr == SYS_kill || nr == SYS_pidfd_open) &&
		    ((pid_t)a[0] == s->victim || (pid_t)a[0] == s->member))
			return (pid_t)a[0];
		return 0;
	case AT_OPEN_PROCS: {
		__uint64_t flags = a[2];
		if (nr == SYS_openat2)
			read_mem(t, a[2], &flags, sizeof flags);
		else if (nr != SYS_openat)
			return 0;
		read_mem(t, a[1], text, sizeof text - 1);
		size_t len = strlen(text);
		bool procs = len >= 12 && strcmp(text + len - 12, "cgroup.procs") == 0;
		return procs && (flags & O_ACCMODE) == O_WRONLY ? s->victim : 0;
	}
	case AT_WRITE_PID: {
		char want[16];
		snprintf(want, sizeof want, "%d", (int)s->victim);
		if (nr != SYS_write || a[2] != strlen(want))
			return 0;
		read_mem(t, a[1], text, strlen(want));
		return memcmp(text, want, strlen(want)) == 0 ? s->victim : 0;
	}
	case AT_MKDIR_SESSION:
		if (nr != SYS_mkdirat)
			return 0;
		read_mem(t, a[1], text, sizeof text - 1);
		return strncmp(text, "session-", 8) == 0 ? s->victim : 0;
	}
	return 0;
}

/* Takes pid away (kill, reap: we are its parent) and gives its number to
 * a new process here, outside the group; returns the new one. */
static pid_t reuse(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	sleep_ms(30); /* another clock tick: a start time of its own */
	char last[16];
	snprintf(last, sizeof last, "%d", (int)pid - 1);
	if (write_file("/proc/sys/kernel/ns_last_pid", last) < 0)
		return -1;
	return pausing_child();
}

/* Runs umucg (argv) traced to its end, springing the trigger once. */
static void trace(const struct scene *s, struct outcome *o, int err_fd)
{
	pid_t t = fork();
	if (t == 0) {
		dup2(err_fd, 2);
		if (s->no_pidfd_info && !forbid_pidfd_info())
			_exit(126);
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execv(s->argv[0], s->argv);
		_exit(127);
	}
	close(err_fd);
	int st;
	waitpid(t, &st, 0);
	ptrace(PTRACE_SETOPTIONS, t, NULL,
	       (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC));
	int sig = 0;
	for (;;) {
		ptrace(PTRACE_SYSCALL, t, NULL, (void *)(long)sig);
		sig = 0;
		if (waitpid(t, &st, 0) < 0 || WIFEXITED(st) || WIFSIGNALED(st))
			break;
		if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
			struct __ptrace_syscall_info in;
			if (!o->fired &&
			    ptrace(PTRACE_GET_SYSCALL_INFO, t, (void *)sizeof in, &in) > 0 &&
			    in.op == PTRACE_SYSCALL_INFO_ENTRY && (o->victim = triggered(t, s, &in))) {
				o->fired = 1;
				o->reused = reuse(o->victim);
				/* untraced from here on (LeakSanitizer, in the
				 * sanitizer build, refuses to run under ptrace) */
				ptrace(PTRACE_DETACH, t, NULL, NULL);
				while (waitpid(t, &st, 0) < 0 && errno == EINTR)
					;
				break;
			}
		} else if (st >> 16 == 0) {
			sig = WSTOPSIG(st); /* a real signal: deliver it */
		}
	}
	o->status = st;
}

static bool reaped_within(pid_t pid, int ms)
{
	for (int i = 0; i <= ms / 10; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return true;
		sleep_ms(10);
	}
	return false;
}

/* The init of the new pid namespace: the scene, then the outcome. */
static int ns_init(struct scene *s, int report)
{
	struct outcome o = { 0 };
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return 2;
	char procs[PATH_MAX], buf[16];
	snprintf(procs, sizeof procs, "%s/cgroup.procs", s->group);
	s->victim = pausing_child();
	/* kill --signal: the victim and another member in the group; the
	 * rest: the victim outside, to be moved */
	if (s->at == AT_SIGNAL) {
		s->member = pausing_child();
		pid_t in[] = { s->victim, s->member };
		for (size_t i = 0; i < 2; i++) {
			snprintf(buf, sizeof buf, "%d", (int)in[i]);
			if (write_file(procs, buf) < 0)
				return 3;
		}
	}
	if (s->pid_arg)
		snprintf(s->pid_arg, 16, "%d", (int)s->victim);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return 4;
	trace(s, &o, p[1]);
	ssize_t n = read(p[0], o.err, sizeof o.err - 1);
	o.err[n > 0 ? n : 0] = '\0';
	/* A signalled process takes a moment to die: the member gets up to
	 * 2 s, the reused pid 300 ms to show it was not signalled. */
	o.member_alive = s->member > 0 && !reaped_within(s->member, 2000);
	o.reused_alive = o.reused > 0 && !reaped_within(o.reused, 300);
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)o.reused);
	int fd = o.reused > 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		n = read(fd, o.reused_cgroup, sizeof o.reused_cgroup - 1);
		o.reused_cgroup[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	return write(report, &o, sizeof o) == sizeof o ? 0 : 5;
}

/* Plays the scene in a new pid (and mount) namespace; o gets the outcome. */
static void play(struct scene *s, struct outcome *o)
{
	int p[2];
	cr_assert(pipe2(p, O_CLOEXEC) == 0);
	pid_t c = fork();
	cr_assert(c >= 0);
	if (c == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0)
			_exit(10);
		pid_t init = fork();
		if (init == 0)
			_exit(ns_init(s, p[1]));
		int st;
		waitpid(init, &st, 0);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 11);
	}
	close(p[1]);
	memset(o, 0, sizeof *o);
	ssize_t n = read(p[0], o, sizeof *o);
	close(p[0]);
	int st;
	waitpid(c, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 10)
		cr_skip_test("SKIPPED: no new pid namespace here (unshare: not permitted)");
	cr_assert(n == (ssize_t)sizeof *o, "the namespace's init failed (exit %d)",
		  WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	cr_assert(o->fired, "the trigger never fired: umucg did not reach that call");
	cr_assert_eq(o->reused, o->victim, "pid %d was not reused (got %d)", (int)o->victim,
		     (int)o->reused);
}

/* ---- the scenes ---------------------------------------------------------- */

static const char *bin(void)
{
	const char *b = getenv("UMUCG_BIN");
	cr_assert(b && *b, "UMUCG_BIN is not set: run the tests through 'make check'");
	return b;
}

static void make_group(char *dir, size_t cap)
{
	struct th_result r;
	th_run(&r, NULL, "--base", base.path, "create", "g", NULL);
	cr_assert_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	snprintf(dir, cap, "%s/g", base.path);
}

static void end_group(void)
{
	struct th_result r;
	th_run(&r, NULL, "--base", base.path, "stop", "g", NULL);
	cr_expect_eq(r.code, 0, "%s", r.err);
	th_result_free(&r);
	th_end(&base);
}

static bool in_group(const struct outcome *o, const char *leaf)
{
	char tail[64];
	snprintf(tail, sizeof tail, "/%s\n", leaf);
	return strstr(o->reused_cgroup, tail) != NULL;
}

/* kill --signal reads cgroup.procs, then signals: between the two the
 * victim is reaped and its pid given to a process outside the group. */
Test(pidreuse, a_signal_never_reaches_a_reused_pid)
{
	char group[PATH_MAX + 16];
	make_group(group, sizeof group);
	char *argv[] = { (char *)bin(), "--base", base.path, "kill", "g", "--signal", "TERM", NULL };
	struct scene s = { .at = AT_SIGNAL, .group = group, .argv = argv };
	struct outcome o;
	play(&s, &o);
	cr_expect(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0, "umucg kill: %s", o.err);
	cr_expect(o.reused_alive, "pid %d, reused outside the group, got the group's signal",
		  (int)o.reused);
	cr_expect(!o.member_alive, "the group's other member did not get the signal");
	end_group();
}

/* The same on a kernel without PIDFD_GET_INFO: cgroup.procs read again
 * after the pidfds are opened. */
Test(pidreuse, a_signal_never_reaches_a_reused_pid_before_pidfd_info)
{
	char group[PATH_MAX + 16];
	make_group(group, sizeof group);
	char *argv[] = { (char *)bin(), "--base", base.path, "kill", "g", "--signal", "TERM", NULL };
	struct scene s = { .at = AT_SIGNAL, .group = group, .argv = argv, .no_pidfd_info = true };
	struct outcome o;
	play(&s, &o);
	cr_expect(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0, "umucg kill: %s", o.err);
	cr_expect(o.reused_alive, "pid %d, reused outside the group, got the group's signal",
		  (int)o.reused);
	cr_expect(!o.member_alive, "the group's other member did not get the signal");
	end_group();
}

/* move checks the pid, then writes it: between the two the process is
 * reaped and its pid given to another; that one must not be moved. */
Test(pidreuse, move_never_moves_a_reused_pid)
{
	char group[PATH_MAX + 16], pid[16] = "";
	make_group(group, sizeof group);
	char *argv[] = { (char *)bin(), "--base", base.path, "move", "g", pid, NULL };
	struct scene s = { .at = AT_OPEN_PROCS, .group = group, .argv = argv, .pid_arg = pid };
	struct outcome o;
	play(&s, &o);
	cr_expect(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0, "umucg move: %s", o.err);
	cr_expect(o.reused_alive && !in_group(&o, "g"), "pid %d, reused, was moved: %s",
		  (int)o.reused, o.reused_cgroup);
	end_group();
}

/* The pid reused during the write(2) itself: the move cannot be undone,
 * but move says so (125) instead of reporting success. */
Test(pidreuse, move_reports_a_pid_reused_during_the_write)
{
	char group[PATH_MAX + 16], pid[16] = "";
	make_group(group, sizeof group);
	char *argv[] = { (char *)bin(), "--base", base.path, "move", "g", pid, NULL };
	struct scene s = { .at = AT_WRITE_PID, .group = group, .argv = argv, .pid_arg = pid };
	struct outcome o;
	play(&s, &o);
	cr_expect(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 125,
		  "move succeeded although what it moved was another process: %s", o.err);
	cr_expect(strstr(o.err, "exited while being moved"), "%s", o.err);
	end_group();
}

/* setup --session: the session's process reaped before the leaf gets it,
 * its pid reused; the new process stays out of the user's leaf. */
Test(pidreuse, setup_session_never_moves_a_reused_pid)
{
	char system_base[PATH_MAX + 16], pid[16] = "";
	snprintf(system_base, sizeof system_base, "%s/system", base.path);
	char *argv[] = { (char *)bin(), "--base", system_base, "setup", "--user", "nobody",
			 "--session", pid, NULL };
	struct scene s = { .at = AT_MKDIR_SESSION, .group = base.path, .argv = argv, .pid_arg = pid };
	struct outcome o;
	play(&s, &o);
	cr_expect(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 125,
		  "setup --session succeeded with the session's process gone: %s", o.err);
	cr_expect(o.reused_alive && !strstr(o.reused_cgroup, "/session-"),
		  "pid %d, reused, was moved into the session leaf: %s", (int)o.reused, o.reused_cgroup);
	/* what setup made: the system base, and nobody's subtree (no leaf:
	 * a refused setup removes the one it made) */
	char dir[PATH_MAX + 32];
	snprintf(dir, sizeof dir, "%s/user-%u", base.path, (unsigned)getpwnam("nobody")->pw_uid);
	cr_expect_eq(rmdir(dir), 0, "%s: %s", dir, strerror(errno));
	cr_expect_eq(rmdir(system_base), 0, "%s: %s", system_base, strerror(errno));
	th_end(&base);
}
