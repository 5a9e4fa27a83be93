/* chain.c - a chain of N processes, each the child of the one before:
 * `chain N FD` forks N - 1 descendants in a line and each waits in
 * pause(); the last one writes a byte to FD. Every 16 links one execs this
 * program afresh: each fork copies the chain of address-space links of its
 * ancestors since the last exec, so forking the whole chain from one image
 * would cost time in proportion to the depth at every link. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define LINKS_PER_EXEC 16

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	long n = strtol(argv[1], NULL, 10);
	int fd = atoi(argv[2]);
	for (int links = 0; n > 1; links++, n--) {
		if (links == LINKS_PER_EXEC) {
			char left[32];
			snprintf(left, sizeof left, "%ld", n);
			execl("/proc/self/exe", argv[0], left, argv[2], (char *)NULL);
			return 1;
		}
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid > 0) {
			close(fd);
			for (;;)
				pause();
		}
	}
	if (write(fd, "!", 1) != 1)
		return 1;
	for (;;)
		pause();
}
