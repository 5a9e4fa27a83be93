/* fuzz_proc.c - /proc/PID/cgroup (the "0::/path" line) and /proc/PID/stat
 * (starttime past a comm that may hold spaces and parentheses). */
#include <stdio.h>

#include "fuzz.h"
#include "umucg.h"
#include "parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* internal.h's parser, linked from the library's objects */
int umucg_stat_parse_starttime(const char *text, unsigned long long *start);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);
	char *path = NULL;
	int r = umucg_proc_cgroup_parse(s, &path);
	FUZZ_ASSERT(r == 0 || r == -ENOENT || r == -EINVAL);
	if (r == 0) {
		FUZZ_ASSERT(path && path[0] == '/' && !strchr(path, '\n'));
		free(path);
	}
	unsigned long long start = 0;
	r = umucg_stat_parse_starttime(s, &start);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	free(s);
	return 0;
}
