# Integration tests: the real umucg binary ($UMUCG_BIN) on this machine's
# cgroup2 mount, as root; each test makes and removes its own base.
check_PROGRAMS += tests/integ/test_run
TESTS += tests/integ/test_run
tests_integ_test_run_SOURCES = tests/integ/test_run.c $(TEST_HELPERS)
tests_integ_test_run_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_run_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/integ/test_run_tree
TESTS += tests/integ/test_run_tree
tests_integ_test_run_tree_SOURCES = tests/integ/test_run_tree.c $(TEST_HELPERS)
tests_integ_test_run_tree_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_run_tree_LDADD = $(TEST_LIBS)
