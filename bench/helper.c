/* helper.c - the workloads the benchmarks run under umucg and its
 * baselines: exit with a timestamp, leave an orphan, build a tree, block. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"usage: bench-helper stamp FD          write CLOCK_MONOTONIC ns to FD, exit\n"
	"       bench-helper orphan FD MS      fork; exit; the child exits MS ms later,\n"
	"                                      writing its timestamp to FD first\n"
	"       bench-helper tree N            fork N children that pause, then pause\n"
	"       bench-helper tree-noterm N     the same, every process ignoring SIGTERM\n"
	"       bench-helper block FD          exit when FD reaches end of file\n"
	"       bench-helper sleep S           sleep S seconds in one nanosleep\n";

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The last thing before _exit: the reader takes the difference to the
 * moment its waitpid returned. */
static void __attribute__((noreturn)) stamp_exit(int fd)
{
	uint64_t t = now_ns();
	if (write(fd, &t, sizeof t) != (ssize_t)sizeof t)
		_exit(2);
	_exit(0);
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int tree(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			for (;;)
				pause();
		}
		if (pid < 0) {
			fprintf(stderr, "bench-helper: fork %ld of %ld: %s\n", i + 1, n, strerror(errno));
			return 1;
		}
	}
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "stamp") == 0)
		stamp_exit(atoi(argv[2]));
	if (argc >= 4 && strcmp(argv[1], "orphan") == 0) {
		int fd = atoi(argv[2]);
		uint64_t ms = strtoull(argv[3], NULL, 10);
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid > 0)
			_exit(0);
		sleep_ns(ms * 1000000u);
		stamp_exit(fd);
	}
	if (argc >= 3 && strcmp(argv[1], "tree") == 0)
		return tree(strtol(argv[2], NULL, 10));
	if (argc >= 3 && strcmp(argv[1], "tree-noterm") == 0) {
		signal(SIGTERM, SIG_IGN); /* inherited by the children */
		return tree(strtol(argv[2], NULL, 10));
	}
	if (argc >= 3 && strcmp(argv[1], "block") == 0) {
		char c;
		ssize_t n;
		while ((n = read(atoi(argv[2]), &c, 1)) != 0)
			if (n < 0 && errno != EINTR)
				return 1;
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "sleep") == 0) {
		sleep_ns((uint64_t)(strtod(argv[2], NULL) * 1e9));
		return 0;
	}
	fputs(usage, stderr);
	return 2;
}
