/* fuzz_cmdline.c - the command line: umucg's global options and `run`'s
 * options, parsed by the real main() from NUL-separated arguments. The
 * harness makes sure nothing past parsing can happen (UMUCG_SPAWN is set to
 * a value run refuses after parsing), so every input must end in 125. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int umucg_cli_main(int argc, char **argv); /* src/cli/main.c, renamed */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setenv("UMUCG_SPAWN", "fuzz-never-spawns", 1);
	unsetenv("UMUCG_BASE");
	return 0;
}

/* Arguments that would leave the harness or end before `run`: --help exits,
 * --version returns 0, and a bare --base could swallow "run" and let another
 * word be taken as the command. */
static bool fuzz_arg_allowed(const char *a, bool global)
{
	if (strncmp(a, "--h", 3) == 0 || strcmp(a, "-h") == 0)
		return false;
	if (global)
		return a[0] == '-' && strcmp(a, "--base") != 0 && strcmp(a, "--") != 0 &&
		       strcmp(a, "--version") != 0 && strcmp(a, "-V") != 0;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	unsigned nglobal = data[0] % 4;
	char *buf = fuzz_strndup(data + 1, size - 1);
	size_t len = size - 1;
	char *argv[66];
	int argc = 0;
	argv[argc++] = (char *)"umucg";
	char *p = buf;
	for (unsigned g = 0; g < nglobal && p < buf + len && argc < 64; g++) {
		if (!fuzz_arg_allowed(p, true))
			goto out;
		argv[argc++] = p;
		p += strlen(p) + 1;
	}
	argv[argc++] = (char *)"run";
	while (p < buf + len && argc < 65) {
		if (!fuzz_arg_allowed(p, false))
			goto out;
		argv[argc++] = p;
		p += strlen(p) + 1;
	}
	argv[argc] = NULL;
	FUZZ_ASSERT(umucg_cli_main(argc, argv) == 125);
out:
	/* glibc's getopt keeps a pointer into the last argv; forget it */
	optind = 0;
	char *none[] = { (char *)"x", NULL };
	getopt(1, none, "+");
	free(buf);
	return 0;
}
