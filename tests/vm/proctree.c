/* proctree: build a tree of N processes (most double-forked orphans) that ignore polite signals;
 * the root reports and exits (or, with --stay, stays too). */
#ifndef _GNU_SOURCE /* config.h defines it in the automake build */
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LEAVES_PER_BRANCH 19

static void ignore_polite_signals(void)
{
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
}

/* Report "alive" on the ready pipe, then wait to be killed. */
static void linger(int ready_fd)
{
	if (write(ready_fd, "x", 1) != 1)
		_exit(1);
	close(ready_fd);
	for (;;)
		pause();
}

/* A leaf whose parent exits at once, so it is reparented to the subreaper. */
static int spawn_orphan(int ready_fd)
{
	pid_t mid = fork();

	if (mid < 0)
		return -1;
	if (mid == 0) {
		pid_t leaf = fork();

		if (leaf == 0)
			linger(ready_fd);
		_exit(leaf < 0);
	}
	int st;
	if (waitpid(mid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return 0;
}

static void branch(int ready_fd, int leaves)
{
	for (int i = 0; i < leaves; i++)
		if (spawn_orphan(ready_fd) < 0)
			_exit(1);
	linger(ready_fd);
}

/* Count the processes in our own cgroup, as the kernel lists them. */
static int count_group_procs(void)
{
	const char *mnt = getenv("CGROUP_MNT") ? getenv("CGROUP_MNT") : "/sys/fs/cgroup";
	char line[4096], path[4200];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int n = 0;

	if (!f || !fgets(line, sizeof(line), f) || strncmp(line, "0::", 3) != 0)
		return -1;
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	snprintf(path, sizeof(path), "%s%s/cgroup.procs", mnt, line + 3);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	int want = argc > 1 ? atoi(argv[1]) : 1000;
	int stay = argc > 2 && strcmp(argv[2], "--stay") == 0;
	int pfd[2], made = 0;
	char buf[256];

	if (want < 1 || pipe(pfd) < 0)
		return 2;
	ignore_polite_signals();
	while (made < want) {
		int leaves = want - made - 1;

		if (leaves > LEAVES_PER_BRANCH)
			leaves = LEAVES_PER_BRANCH;
		pid_t b = fork();
		if (b < 0) {
			perror("proctree: fork");
			return 1;
		}
		if (b == 0) {
			close(pfd[0]);
			branch(pfd[1], leaves);
		}
		made += leaves + 1;
	}
	close(pfd[1]);
	int got = 0;
	ssize_t r;
	while (got < want && (r = read(pfd[0], buf, sizeof(buf))) > 0)
		got += r;
	printf("proctree: ready=%d procs=%d\n", got, count_group_procs());
	fflush(stdout);
	while (stay)
		pause();
	return got == want ? 0 : 1;
}
