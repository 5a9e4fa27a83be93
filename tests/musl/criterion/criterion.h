/* criterion.h - the part of Criterion's API that tests/unit uses, for
 * building those same test files with musl-gcc (Criterion itself is a glibc
 * library here). Each Test() registers itself; runner.c runs each in a child
 * process, as Criterion does, and prints TAP. cr_assert* ends the test,
 * cr_expect* records the failure and goes on. */
#ifndef UMUCG_MUSL_CRITERION_H
#define UMUCG_MUSL_CRITERION_H

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* An omitted message is an empty format string. */
#pragma GCC diagnostic ignored "-Wformat-zero-length"

struct crs_test {
	const char *suite, *name;
	void (*fn)(void);
};
void crs_register(const struct crs_test *t);
/* TestSuite(name, .init = f, .fini = g): run around each test of the suite,
 * in its child. */
struct crs_suite {
	const char *name;
	void (*init)(void);
	void (*fini)(void);
	double timeout;
};
void crs_register_suite(const struct crs_suite *s);
#define TestSuite(suite, ...)                                                      \
	__attribute__((constructor)) static void crs_regsuite_##suite(void)        \
	{                                                                          \
		static const struct crs_suite s = { .name = #suite, __VA_ARGS__ }; \
		crs_register_suite(&s);                                            \
	}
/* fatal: end the test on failure (cr_assert), else go on (cr_expect). */
void crs_check(bool fatal, bool ok, const char *expr, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void crs_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define Test(suite, name, ...)                                                     \
	static void crs_##suite##_##name(void);                                    \
	__attribute__((constructor)) static void crs_reg_##suite##_##name(void)    \
	{                                                                          \
		static const struct crs_test t = { #suite, #name, crs_##suite##_##name }; \
		crs_register(&t);                                                  \
	}                                                                          \
	static void crs_##suite##_##name(void)

#define CRS_(fatal, cond, expr, ...) \
	crs_check(fatal, (cond), expr, __FILE__, __LINE__, "" __VA_ARGS__)

#define cr_assert(c, ...) CRS_(true, (c), #c, __VA_ARGS__)
#define cr_expect(c, ...) CRS_(false, (c), #c, __VA_ARGS__)
#define cr_assert_eq(a, b, ...) CRS_(true, (a) == (b), #a " == " #b, __VA_ARGS__)
#define cr_expect_eq(a, b, ...) CRS_(false, (a) == (b), #a " == " #b, __VA_ARGS__)
#define cr_assert_neq(a, b, ...) CRS_(true, (a) != (b), #a " != " #b, __VA_ARGS__)
#define cr_expect_neq(a, b, ...) CRS_(false, (a) != (b), #a " != " #b, __VA_ARGS__)
#define cr_assert_lt(a, b, ...) CRS_(true, (a) < (b), #a " < " #b, __VA_ARGS__)
#define cr_expect_lt(a, b, ...) CRS_(false, (a) < (b), #a " < " #b, __VA_ARGS__)
#define cr_assert_leq(a, b, ...) CRS_(true, (a) <= (b), #a " <= " #b, __VA_ARGS__)
#define cr_expect_leq(a, b, ...) CRS_(false, (a) <= (b), #a " <= " #b, __VA_ARGS__)
#define cr_assert_gt(a, b, ...) CRS_(true, (a) > (b), #a " > " #b, __VA_ARGS__)
#define cr_expect_gt(a, b, ...) CRS_(false, (a) > (b), #a " > " #b, __VA_ARGS__)
#define cr_assert_geq(a, b, ...) CRS_(true, (a) >= (b), #a " >= " #b, __VA_ARGS__)
#define cr_expect_geq(a, b, ...) CRS_(false, (a) >= (b), #a " >= " #b, __VA_ARGS__)
#define cr_assert_null(p, ...) CRS_(true, (p) == NULL, #p " == NULL", __VA_ARGS__)
#define cr_expect_null(p, ...) CRS_(false, (p) == NULL, #p " == NULL", __VA_ARGS__)
#define cr_assert_not_null(p, ...) CRS_(true, (p) != NULL, #p " != NULL", __VA_ARGS__)
#define cr_expect_not_null(p, ...) CRS_(false, (p) != NULL, #p " != NULL", __VA_ARGS__)
#define cr_assert_str_eq(a, b, ...) CRS_(true, strcmp((a), (b)) == 0, #a " eq " #b, __VA_ARGS__)
#define cr_expect_str_eq(a, b, ...) CRS_(false, strcmp((a), (b)) == 0, #a " eq " #b, __VA_ARGS__)
#define cr_assert_str_empty(a, ...) CRS_(true, *(a) == '\0', #a " empty", __VA_ARGS__)
#define cr_expect_str_empty(a, ...) CRS_(false, *(a) == '\0', #a " empty", __VA_ARGS__)
#define cr_assert_float_eq(a, b, eps, ...) \
	CRS_(true, fabs((double)(a) - (double)(b)) <= (eps), #a " ~= " #b, __VA_ARGS__)
#define cr_expect_float_eq(a, b, eps, ...) \
	CRS_(false, fabs((double)(a) - (double)(b)) <= (eps), #a " ~= " #b, __VA_ARGS__)
#define cr_skip_test(...) crs_skip("" __VA_ARGS__)

#endif
