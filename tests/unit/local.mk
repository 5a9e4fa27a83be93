# Unit tests: parsers and validators, no privileges, no cgroups.
# (TEST_LIBS/TEST_CFLAGS: named so automake does not take them for a
# program's _LDADD/_CFLAGS.)
# Tests link the library's objects (libumucg_core.la), so that they reach its
# internal parsers; examples/ and tests/unit/test_abi.sh use the sealed .so.
TEST_LIBS = libumucg_core.la $(CRITERION_LIBS)
TEST_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) -I$(top_srcdir)/tests/lib

check_PROGRAMS += tests/unit/test_limits tests/unit/test_duration tests/unit/test_names \
	tests/unit/test_procfs tests/unit/test_usage tests/unit/test_fmt
TESTS += tests/unit/test_limits tests/unit/test_duration tests/unit/test_names \
	tests/unit/test_procfs tests/unit/test_usage tests/unit/test_fmt
tests_unit_test_limits_SOURCES = tests/unit/test_limits.c
tests_unit_test_limits_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_limits_LDADD = $(TEST_LIBS)
tests_unit_test_duration_SOURCES = tests/unit/test_duration.c
tests_unit_test_duration_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_duration_LDADD = $(TEST_LIBS)
tests_unit_test_names_SOURCES = tests/unit/test_names.c
tests_unit_test_names_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_names_LDADD = $(TEST_LIBS)
tests_unit_test_usage_SOURCES = tests/unit/test_usage.c
tests_unit_test_usage_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_usage_LDADD = $(TEST_LIBS)
tests_unit_test_procfs_SOURCES = tests/unit/test_procfs.c
tests_unit_test_procfs_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_procfs_LDADD = $(TEST_LIBS)
tests_unit_test_fmt_SOURCES = tests/unit/test_fmt.c
tests_unit_test_fmt_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_fmt_LDADD = $(TEST_LIBS)

# The CLI's escaping of text for terminals (one CLI file, no library).
check_PROGRAMS += tests/unit/test_escape
TESTS += tests/unit/test_escape
tests_unit_test_escape_SOURCES = tests/unit/test_escape.c src/cli/escape.c
tests_unit_test_escape_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/src/cli
tests_unit_test_escape_LDADD = $(CRITERION_LIBS)

# The sealed ABI: libumucg.so exports exactly what umucg.h declares.
TESTS += tests/unit/test_abi.sh
EXTRA_DIST += tests/unit/test_abi.sh

# limits as the group record keeps them, described, split; /proc/cgroups
check_PROGRAMS += tests/unit/test_limits_text
TESTS += tests/unit/test_limits_text
tests_unit_test_limits_text_SOURCES = tests/unit/test_limits_text.c
tests_unit_test_limits_text_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_limits_text_LDADD = $(TEST_LIBS)

# The house sizes: no file over 600 lines, no function over 80.
TESTS += tests/unit/test_sizes.sh
EXTRA_DIST += tests/unit/test_sizes.sh
