/* test_duration.c - DURATION (--grace, --timeout): timeout(1)'s grammar. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include "umucg.h"

struct dur_ok {
	const char *in;
	double want;
};

Test(duration, accepts_numbers_with_s_m_h_d)
{
	const struct dur_ok cases[] = {
		{ "0", 0 }, { "10", 10 }, { "007", 7 }, { "1.5", 1.5 }, { "0.25", 0.25 }, { ".5", 0.5 },
		{ "10s", 10 }, { "0.5s", 0.5 }, { "2m", 120 }, { "1.5m", 90 }, { "1h", 3600 },
		{ "1d", 86400 }, { "0d", 0 }, { "36525d", 36525.0 * 86400 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct umucg_error err = { 0 };
		double v = -1;
		int r = umucg_parse_duration(cases[i].in, &v, &err);
		cr_expect_eq(r, 0, "'%s': %d %s", cases[i].in, r, err.msg);
		cr_expect_float_eq(v, cases[i].want, 1e-9, "'%s' = %f, want %f", cases[i].in, v,
				   cases[i].want);
	}
}

struct dur_bad {
	const char *in;
	int code;
};

Test(duration, refuses_negatives_junk_and_overflow)
{
	const struct dur_bad cases[] = {
		{ "", -EINVAL }, { "-1", -EINVAL }, { "+1", -EINVAL }, { " 1", -EINVAL },
		{ "1 ", -EINVAL }, { "s", -EINVAL }, { ".", -EINVAL }, { "5.", -EINVAL },
		{ "1..5", -EINVAL }, { "1x", -EINVAL }, { "1ms", -EINVAL }, { "1ss", -EINVAL },
		{ "1S", -EINVAL }, { "1e3", -EINVAL }, { "0x10", -EINVAL }, { "inf", -EINVAL },
		{ "nan", -EINVAL }, { "infinity", -EINVAL }, { "1h30m", -EINVAL }, { "1,5", -EINVAL },
		{ "36526d", -ERANGE }, { "99999999999999999999999999", -ERANGE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct umucg_error err = { 0 };
		double v = 42;
		int r = umucg_parse_duration(cases[i].in, &v, &err);
		cr_expect_eq(r, cases[i].code, "'%s': got %d, want %d", cases[i].in, r, cases[i].code);
		cr_expect_float_eq(v, 42, 0, "'%s': the output was written on failure", cases[i].in);
		cr_expect(err.msg[0], "'%s': no message", cases[i].in);
		cr_expect(strstr(err.msg, cases[i].in), "'%s': the message does not quote it: %s",
			  cases[i].in, err.msg);
	}
}
