/* sigrecorder.c - a CMD for the signal tests: it and a daemon it starts
 * (setsid'd, out of umucg's process group, like wineserver) record every
 * signal they get, one line "SIG CODE SENDER" per signal in DIR/main and
 * DIR/daemon.
 *
 * Usage: sigrecorder DIR
 * Each of them writes its pid to DIR/<role>.ready once its handlers are in
 * place, and exits when DIR/<role>.exit appears, with the number written in
 * it (0 when empty). On SIGTERM, SIGINT, SIGHUP or
 * SIGQUIT it records the signal, then dies of it (as a program that does
 * not handle them would), unless DIR/<role>.polite-term exists: then SIGTERM
 * is recorded and it exits 0 (a daemon that ends cleanly on TERM, like
 * wineserver writing the registry). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[4096];
static const char *role = "main";
static int record_fd = -1;
static volatile sig_atomic_t polite_term;
static volatile sig_atomic_t quitting; /* the first SIGINT/SIGQUIT */

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	/* "SIG CODE PID": who sent it (SI_USER and a pid from kill(2),
	 * SI_KERNEL from the terminal), for the failure messages. */
	char line[48];
	int n = snprintf(line, sizeof line, "%d %d %d\n", sig, si->si_code, (int)si->si_pid);
	if (write(record_fd, line, (size_t)n) < 0)
		_exit(3);
	if (sig == SIGTERM && polite_term)
		_exit(0);
	if ((sig == SIGINT || sig == SIGQUIT) && !quitting) {
		quitting = sig;
		return;
	}
	if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

static int exists(const char *suffix)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s.%s", dir, role, suffix);
	return access(path, F_OK) == 0;
}

/* Writes DIR/<role>.ready with our pid: written whole, then renamed. */
static void ready(void)
{
	char path[4200], tmp[4300], text[32];
	snprintf(path, sizeof path, "%s/%s.ready", dir, role);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int n = snprintf(text, sizeof text, "%d\n", (int)getpid());
	if (fd < 0 || write(fd, text, (size_t)n) != n || close(fd) < 0 || rename(tmp, path) < 0)
		exit(2);
}

/* The code in DIR/<role>.exit, or -1 while it is not there. */
static int exit_code(void)
{
	char path[4200], text[16] = "";
	snprintf(path, sizeof path, "%s/%s.exit", dir, role);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	return n > 0 ? atoi(text) : 0;
}

static void record_and_wait(void)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, role);
	record_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (record_fd < 0)
		exit(2);
	polite_term = exists("polite-term");
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	sigfillset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
			sigaction(sig, &sa, NULL); /* 32, 33: refused by the C library */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	ready();
	struct timespec tick = { 0, 5 * 1000 * 1000 }, quit_at = { 0, 0 }, now;
	int code;
	while ((code = exit_code()) < 0) {
		nanosleep(&tick, NULL);
		if (!quitting)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!quit_at.tv_sec) {
			quit_at = now;
			quit_at.tv_nsec += 300 * 1000 * 1000; /* the clean shutdown */
			if (quit_at.tv_nsec >= 1000000000) {
				quit_at.tv_sec++;
				quit_at.tv_nsec -= 1000000000;
			}
		} else if (now.tv_sec > quit_at.tv_sec ||
			   (now.tv_sec == quit_at.tv_sec && now.tv_nsec >= quit_at.tv_nsec)) {
			int sig = quitting;
			signal(sig, SIG_DFL);
			raise(sig);
		}
	}
	exit(code);
}

int main(int argc, char **argv)
{
	if (argc != 2 || snprintf(dir, sizeof dir, "%s", argv[1]) >= (int)sizeof dir) {
		fprintf(stderr, "usage: sigrecorder DIR\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		/* The daemon: its own session, reparented to umucg once the
		 * intermediate child exits. */
		if (setsid() < 0)
			_exit(2);
		pid = fork();
		if (pid != 0)
			_exit(pid < 0 ? 2 : 0);
		role = "daemon";
		record_and_wait();
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	record_and_wait();
}
