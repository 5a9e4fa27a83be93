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

# setup, doctor and run --user (issue 5)
check_PROGRAMS += tests/integ/test_setup
TESTS += tests/integ/test_setup
tests_integ_test_setup_SOURCES = tests/integ/test_setup.c $(TEST_HELPERS)
tests_integ_test_setup_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_setup_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/integ/test_confine
TESTS += tests/integ/test_confine
tests_integ_test_confine_SOURCES = tests/integ/test_confine.c $(TEST_HELPERS)
tests_integ_test_confine_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_confine_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/integ/test_run_names
TESTS += tests/integ/test_run_names
tests_integ_test_run_names_SOURCES = tests/integ/test_run_names.c $(TEST_HELPERS)
tests_integ_test_run_names_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_run_names_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/integ/test_run_usage
TESTS += tests/integ/test_run_usage
tests_integ_test_run_usage_SOURCES = tests/integ/test_run_usage.c $(TEST_HELPERS)
tests_integ_test_run_usage_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_run_usage_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/integ/test_fault
TESTS += tests/integ/test_fault
tests_integ_test_fault_SOURCES = tests/integ/test_fault.c $(TEST_HELPERS)
tests_integ_test_fault_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_fault_LDADD = $(TEST_LIBS)

# managing groups (issue 4)
check_PROGRAMS += tests/integ/test_manage
TESTS += tests/integ/test_manage
tests_integ_test_manage_SOURCES = tests/integ/test_manage.c $(TEST_HELPERS)
tests_integ_test_manage_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_manage_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/integ/test_soak
TESTS += tests/integ/test_soak
tests_integ_test_soak_SOURCES = tests/integ/test_soak.c $(TEST_HELPERS)
tests_integ_test_soak_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_soak_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/integ/test_doctor
TESTS += tests/integ/test_doctor
tests_integ_test_doctor_SOURCES = tests/integ/test_doctor.c $(TEST_HELPERS)
tests_integ_test_doctor_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_doctor_LDADD = $(TEST_LIBS)

# another local user against umucg (issue 16)
check_PROGRAMS += tests/integ/test_hostile
TESTS += tests/integ/test_hostile
tests_integ_test_hostile_SOURCES = tests/integ/test_hostile.c $(TEST_HELPERS)
tests_integ_test_hostile_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_hostile_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/integ/test_output tests/integ/chain
tests_integ_chain_SOURCES = tests/integ/chain.c
TESTS += tests/integ/test_output
tests_integ_test_output_SOURCES = tests/integ/test_output.c $(TEST_HELPERS)
tests_integ_test_output_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_output_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/integ/test_pidreuse
TESTS += tests/integ/test_pidreuse
tests_integ_test_pidreuse_SOURCES = tests/integ/test_pidreuse.c $(TEST_HELPERS)
tests_integ_test_pidreuse_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_pidreuse_LDADD = $(TEST_LIBS)
