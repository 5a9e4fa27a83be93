/* fuzz_proc.c - /proc/PID/cgroup (the "0::/path" line) and /proc/PID/stat
 * (its fields past a comm that may hold spaces and parentheses). */
#include <stdio.h>

#include "fuzz.h"
#include "umucg.h"
#include "parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	struct proc_stat ps;
	r = umucg_proc_stat_parse(s, &ps);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == 0)
		FUZZ_ASSERT(strlen(ps.comm) < sizeof ps.comm && ps.state != '\0');
	free(s);
	return 0;
}
