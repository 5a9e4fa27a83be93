/* fuzz_mountinfo.c - one /proc/self/mountinfo line: a cgroup2 line yields an
 * absolute, unescaped mount point; anything else is 0 or -EINVAL. */
#include <stdio.h>

#include "fuzz.h"
#include "umucg.h"
#include "parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);
	char *mp = NULL;
	int r = umucg_mountinfo_parse_line(s, &mp);
	FUZZ_ASSERT(r == 0 || r == 1 || r == -EINVAL);
	if (r == 1) {
		FUZZ_ASSERT(mp && mp[0] == '/' && strlen(mp) <= size);
		free(mp);
	} else {
		FUZZ_ASSERT(mp == NULL);
	}
	free(s);
	return 0;
}
