/* fuzz_size.c - SIZE, count, percentage and DURATION grammars: any input
 * either fails cleanly with a message or yields a value in range. */
#include <stdio.h>

#include "fuzz.h"
#include "umucg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);
	struct umucg_error err = { 0 };
	uint64_t v = 0;
	int r = umucg_parse_size(s, &v, &err);
	if (r == 0)
		FUZZ_ASSERT(v != UMUCG_UNLIMITED || (s[0] | 0x20) == 'm');
	else
		FUZZ_ASSERT(r == err.code && err.msg[0] && memchr(err.msg, '\0', sizeof err.msg));

	double secs = -1;
	struct umucg_error derr = { 0 };
	r = umucg_parse_duration(s, &secs, &derr);
	if (r == 0)
		FUZZ_ASSERT(secs >= 0 && secs <= 3155760000.0);
	else
		FUZZ_ASSERT(r == derr.code && derr.msg[0]);
	free(s);
	return 0;
}
