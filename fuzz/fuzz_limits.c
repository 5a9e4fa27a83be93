/* fuzz_limits.c - every LIMITS option (the first byte picks which) with the
 * rest as its value; a parsed limit must format into an interface file value
 * the kernel would take, and into the group record's text that parses back
 * to the same limit. The same bytes as a record text (the delegated user
 * can write it) must parse or be refused, never crash. */
#include <inttypes.h>
#include <stdio.h>

#include "fuzz.h"
#include "umucg.h"
#include "parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned n = 0;
	while (umucg_limit_option(n))
		n++;
	const char *opt = umucg_limit_option(data[0] % (n + 1)); /* n: not a limit */
	char *value = fuzz_strndup(data + 1, size - 1);
	struct umucg_limits l = { 0 };
	struct umucg_error err = { 0 };
	int r = umucg_limits_parse_option(&l, opt ? opt : "no-such-limit", value, &err);
	if (r < 0) {
		FUZZ_ASSERT(err.code == r && err.msg[0] && l.set == 0);
	} else {
		FUZZ_ASSERT(opt && l.set && (l.set & (l.set - 1)) == 0);
		const char *file = NULL;
		char out[UMUCG_LIMIT_TEXT_LEN];
		FUZZ_ASSERT(umucg_limits_format(&l, l.set, &file, out, sizeof out) == 0);
		FUZZ_ASSERT(file && out[0] && strlen(out) < sizeof out - 1);
		FUZZ_ASSERT(umucg_limits_controllers(&l) != 0);
		if (l.set & (UMUCG_LIMIT_CPU_WEIGHT | UMUCG_LIMIT_IO_WEIGHT))
			FUZZ_ASSERT((l.cpu_weight >= 1 && l.cpu_weight <= 10000) ||
				    (l.io_weight >= 1 && l.io_weight <= 10000));
		if (l.set & UMUCG_LIMIT_CPU_MAX)
			FUZZ_ASSERT(l.cpu_quota_us >= 1000);
		char text[512], value_out[UMUCG_LIMIT_TEXT_LEN], human[UMUCG_LIMIT_TEXT_LEN];
		struct umucg_limits back;
		FUZZ_ASSERT(umucg_limits_to_text(&l, text, sizeof text) > 0);
		FUZZ_ASSERT(umucg_limits_from_text(text, &back) == 0 && back.set == l.set);
		FUZZ_ASSERT(umucg_limits_format(&back, back.set, &file, value_out, sizeof value_out) == 0 &&
			    strcmp(value_out, out) == 0);
		/* status shows the value written, whole */
		FUZZ_ASSERT(umucg_limit_describe(&l, l.set, &file, value_out, human) == 0 && human[0] &&
			    strcmp(value_out, out) == 0);
		umucg_limits_drop_controllers(&l, umucg_limits_controllers(&l));
		FUZZ_ASSERT(l.set == 0);
	}
	struct umucg_limits rec;
	if (umucg_limits_from_text(value, &rec) == 0) {
		char text[512];
		FUZZ_ASSERT(umucg_limits_to_text(&rec, text, sizeof text) >= 0);
	}
	free(value);
	return 0;
}
