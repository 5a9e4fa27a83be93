/* runas: drop to UID:GID with no supplementary groups and exec CMD (busybox su wants passwords). */
#ifndef _GNU_SOURCE /* config.h defines it in the automake build */
#define _GNU_SOURCE
#endif
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i = 3;

	if (argc > 3 && strcmp(argv[3], "--") == 0)
		i = 4;
	if (argc <= i) {
		fprintf(stderr, "usage: runas UID GID [--] CMD [ARG...]\n");
		return 125;
	}
	uid_t uid = (uid_t)strtoul(argv[1], NULL, 10);
	gid_t gid = (gid_t)strtoul(argv[2], NULL, 10);

	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0) {
		perror("runas: dropping privileges");
		return 125;
	}
	execvp(argv[i], argv + i);
	perror("runas: exec");
	return 127;
}
