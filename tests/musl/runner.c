/* runner.c - runs the tests that criterion.h (the musl stand-in for
 * Criterion) registered, each in a child process, and prints TAP: one line
 * per test, failures with their file, line, expression and message. Exit
 * status 1 when a test failed or crashed. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "criterion/criterion.h"

#define MAX_TESTS 256
#define EXIT_SKIP 77

static const struct crs_test *tests[MAX_TESTS];
static size_t ntests;
static bool failed; /* in the child: an expectation failed */

void crs_register(const struct crs_test *t)
{
	if (ntests < MAX_TESTS)
		tests[ntests++] = t;
	else
		fprintf(stderr, "runner: more than %d tests\n", MAX_TESTS);
}

#define MAX_SUITES 16
static const struct crs_suite *suites[MAX_SUITES];
static size_t nsuites;

void crs_register_suite(const struct crs_suite *s)
{
	if (nsuites < MAX_SUITES)
		suites[nsuites++] = s;
	else
		fprintf(stderr, "runner: more than %d suites\n", MAX_SUITES);
}

static const struct crs_suite *suite_of(const char *name)
{
	for (size_t i = 0; i < nsuites; i++)
		if (strcmp(suites[i]->name, name) == 0)
			return suites[i];
	return NULL;
}

void crs_check(bool fatal, bool ok, const char *expr, const char *file, int line,
	       const char *fmt, ...)
{
	if (ok)
		return;
	printf("#   %s:%d: %s failed", file, line, expr);
	if (*fmt) {
		va_list ap;
		va_start(ap, fmt);
		printf(": ");
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	failed = true;
	if (fatal) {
		fflush(stdout);
		_exit(1);
	}
}

void crs_skip(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("#   skipped: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
	_exit(EXIT_SKIP);
}

int main(void)
{
	int bad = 0;
	printf("1..%zu\n", ntests);
	for (size_t i = 0; i < ntests; i++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			const struct crs_suite *suite = suite_of(tests[i]->suite);
			if (suite && suite->init)
				suite->init();
			tests[i]->fn();
			if (suite && suite->fini)
				suite->fini();
			fflush(stdout);
			_exit(failed ? 1 : 0);
		}
		int status;
		while (waitpid(pid, &status, 0) < 0)
			;
		const char *s = tests[i]->suite, *n = tests[i]->name;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			printf("ok %zu - %s::%s\n", i + 1, s, n);
		} else if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SKIP) {
			printf("ok %zu - %s::%s # SKIP\n", i + 1, s, n);
		} else {
			bad++;
			if (WIFSIGNALED(status))
				printf("not ok %zu - %s::%s (crashed: signal %d)\n", i + 1, s, n,
				       WTERMSIG(status));
			else
				printf("not ok %zu - %s::%s\n", i + 1, s, n);
		}
	}
	return bad ? 1 : 0;
}
