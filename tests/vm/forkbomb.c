/* forkbomb: fork until the kernel refuses (EAGAIN), then exit 42 (or, with --stay, wait to be killed). */
#ifndef _GNU_SOURCE /* config.h defines it in the automake build */
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Safety cap so a missing pids limit fails the test instead of taking the VM down. */
#define MAX_FORKS 3000

static void child(void)
{
	/* Every child forks one more level once, so the bomb is a tree, not a fan. */
	pid_t p = fork();

	(void)p;
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int stay = argc > 1 && strcmp(argv[1], "--stay") == 0;

	for (int n = 0; n < MAX_FORKS; n++) {
		pid_t p = fork();

		if (p == 0)
			child();
		if (p < 0) {
			printf("forkbomb: fork failed after %d forks: %s\n", n, strerror(errno));
			fflush(stdout);
			if (errno != EAGAIN)
				return 1;
			while (stay)
				pause();
			return 42;
		}
	}
	printf("forkbomb: %d forks and no limit hit\n", MAX_FORKS);
	return 1;
}
