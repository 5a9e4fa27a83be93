/* test_fmt.c - the printf-free formatters of the run path (text/fmt.c)
 * write what snprintf would, truncate as it does, and return the same
 * untruncated length. snprintf is the oracle. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "internal.h"

static const unsigned long long ulls[] = {
	0, 1, 9, 10, 11, 99, 100, 12345, 4294967295ull, 4294967296ull, 1000000000000ull,
	ULLONG_MAX - 1, ULLONG_MAX,
};
static const long long lls[] = { 0, 1, -1, 42, -42, 1796198606, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };

Test(fmt, unsigned_numbers_as_snprintf_writes_them_at_every_size)
{
	for (size_t i = 0; i < sizeof ulls / sizeof *ulls; i++)
		for (size_t cap = 0; cap <= 24; cap++) {
			char want[32], got[32];
			memset(want, 'x', sizeof want);
			memset(got, 'x', sizeof got);
			int n = snprintf(want, cap, "%llu", ulls[i]);
			size_t m = fmt_ull(got, cap, ulls[i]);
			cr_expect_eq(m, (size_t)n, "%llu cap %zu: length %zu, want %d", ulls[i], cap, m, n);
			cr_expect(memcmp(want, got, sizeof want) == 0, "%llu cap %zu: '%.*s' want '%.*s'",
				  ulls[i], cap, (int)cap, got, (int)cap, want);
		}
}

Test(fmt, signed_numbers_as_snprintf_writes_them_at_every_size)
{
	for (size_t i = 0; i < sizeof lls / sizeof *lls; i++)
		for (size_t cap = 0; cap <= 24; cap++) {
			char want[32], got[32];
			memset(want, 'x', sizeof want);
			memset(got, 'x', sizeof got);
			int n = snprintf(want, cap, "%lld", lls[i]);
			size_t m = fmt_ll(got, cap, lls[i]);
			cr_expect_eq(m, (size_t)n, "%lld cap %zu: length %zu, want %d", lls[i], cap, m, n);
			cr_expect(memcmp(want, got, sizeof want) == 0, "%lld cap %zu: '%.*s' want '%.*s'",
				  lls[i], cap, (int)cap, got, (int)cap, want);
		}
}

Test(fmt, str_copy_truncates_as_snprintf_and_returns_the_whole_length)
{
	const char *srcs[] = { "", "a", "steam-1829980", "/sys/fs/cgroup/unified/umucg/system" };
	for (size_t i = 0; i < sizeof srcs / sizeof *srcs; i++)
		for (size_t cap = 0; cap <= 40; cap++) {
			char want[48], got[48];
			memset(want, 'x', sizeof want);
			memset(got, 'x', sizeof got);
			int n = snprintf(want, cap, "%s", srcs[i]);
			size_t m = str_copy(got, cap, srcs[i]);
			cr_expect_eq(m, (size_t)n);
			cr_expect(memcmp(want, got, sizeof want) == 0, "'%s' cap %zu", srcs[i], cap);
		}
}

Test(fmt, str_join_takes_a_prefix_of_the_first_string)
{
	char *s = str_join("/base///", 5, "/", "game");
	cr_assert_not_null(s);
	cr_expect_str_eq(s, "/base/game");
	free(s);
	s = str_join("", 0, "", "");
	cr_assert_not_null(s);
	cr_expect_str_eq(s, "");
	free(s);
}
