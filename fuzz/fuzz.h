/* fuzz.h - what the libFuzzer targets share: turning the fuzzer's bytes into
 * the NUL-terminated strings the parsers take. */
#ifndef UMUCG_FUZZ_H
#define UMUCG_FUZZ_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An exact-size heap copy, so that ASan sees any read past the NUL. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* The oracle: a broken invariant is a finding, like a crash. */
#define FUZZ_ASSERT(cond)                                                    \
	do {                                                                 \
		if (!(cond))                                                 \
			__builtin_trap();                                    \
	} while (0)

#endif
