/* memhog: touch N MiB of anonymous memory, optionally keep re-touching it for S seconds. */
#ifndef _GNU_SOURCE /* config.h defines it in the automake build */
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: memhog MIB [SECONDS]\n");
		return 2;
	}
	long mib = strtol(argv[1], NULL, 10);
	double hold = argc == 3 ? strtod(argv[2], NULL) : 0;
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size_t)mib << 20;
	double start = now();

	char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "memhog: mmap %ld MiB: %s\n", mib, strerror(errno));
		return 3;
	}
	/* Touch every page; distinct values keep the pages from being merged or zero-mapped. */
	for (int pass = 0;; pass++) {
		for (size_t off = 0; off < len; off += page)
			mem[off] = (char)(pass + off / page);
		if (now() - start >= hold)
			break;
	}
	printf("memhog: touched %ld MiB in %.2f s\n", mib, now() - start);
	return 0;
}
