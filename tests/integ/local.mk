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

# the one cgroup.events wait
check_PROGRAMS += tests/integ/test_wait
TESTS += tests/integ/test_wait
tests_integ_test_wait_SOURCES = tests/integ/test_wait.c $(TEST_HELPERS)
tests_integ_test_wait_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_wait_LDADD = $(TEST_LIBS)

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

# doctor: the report against the kernel's facts, and its fixes
DOCTOR_REPORT = tests/integ/doctor_report.c tests/integ/doctor_report.h
check_PROGRAMS += tests/integ/test_doctor tests/integ/test_doctor_hints
TESTS += tests/integ/test_doctor tests/integ/test_doctor_hints
tests_integ_test_doctor_SOURCES = tests/integ/test_doctor.c $(DOCTOR_REPORT) $(TEST_HELPERS)
tests_integ_test_doctor_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_doctor_LDADD = $(TEST_LIBS)
tests_integ_test_doctor_hints_SOURCES = tests/integ/test_doctor_hints.c $(DOCTOR_REPORT) \
	$(TEST_HELPERS)
tests_integ_test_doctor_hints_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_doctor_hints_LDADD = $(TEST_LIBS)

# The signal contract (issue 10): every catchable signal, the terminal, job
# control, how the rest of the tree ends. sigrecorder is their CMD.
check_PROGRAMS += tests/integ/sigrecorder
tests_integ_sigrecorder_SOURCES = tests/integ/sigrecorder.c

check_PROGRAMS += tests/integ/test_signals
TESTS += tests/integ/test_signals
tests_integ_test_signals_SOURCES = tests/integ/test_signals.c $(TEST_HELPERS) $(TEST_RECORDER)
tests_integ_test_signals_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_signals_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/integ/test_terminal
TESTS += tests/integ/test_terminal
tests_integ_test_terminal_SOURCES = tests/integ/test_terminal.c $(TEST_HELPERS) $(TEST_RECORDER)
tests_integ_test_terminal_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_terminal_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/integ/test_run_ending
TESTS += tests/integ/test_run_ending
tests_integ_test_run_ending_SOURCES = tests/integ/test_run_ending.c $(TEST_HELPERS) $(TEST_RECORDER)
tests_integ_test_run_ending_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_run_ending_LDADD = $(TEST_LIBS) -lpthread

# A real Wine tree (skips loudly without Debian's wine package).
check_PROGRAMS += tests/integ/test_wine
TESTS += tests/integ/test_wine
tests_integ_test_wine_SOURCES = tests/integ/test_wine.c $(TEST_HELPERS)
tests_integ_test_wine_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_wine_LDADD = $(TEST_LIBS)

# the refusals of stop, kill, freeze, thaw, set; reserved names (issue 10)
check_PROGRAMS += tests/integ/test_guard
TESTS += tests/integ/test_guard
tests_integ_test_guard_SOURCES = tests/integ/test_guard.c $(TEST_HELPERS)
tests_integ_test_guard_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_guard_LDADD = $(TEST_LIBS)

# create without a controller: warn, record, status; --strict (issue 10)
check_PROGRAMS += tests/integ/test_create_limits
TESTS += tests/integ/test_create_limits
tests_integ_test_create_limits_SOURCES = tests/integ/test_create_limits.c $(TEST_HELPERS)
tests_integ_test_create_limits_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_create_limits_LDADD = $(TEST_LIBS)

# gc --stop: groups whose umucg was killed (issue 10)
check_PROGRAMS += tests/integ/test_gc_stop
TESTS += tests/integ/test_gc_stop
tests_integ_test_gc_stop_SOURCES = tests/integ/test_gc_stop.c $(TEST_HELPERS)
tests_integ_test_gc_stop_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_gc_stop_LDADD = $(TEST_LIBS)

# hints that fit the situation (issue 10)
check_PROGRAMS += tests/integ/test_hints
TESTS += tests/integ/test_hints
tests_integ_test_hints_SOURCES = tests/integ/test_hints.c $(TEST_HELPERS)
tests_integ_test_hints_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_hints_LDADD = $(TEST_LIBS)

# usage reports, status/list figures, top (issue 14)
check_PROGRAMS += tests/integ/test_observe
TESTS += tests/integ/test_observe
tests_integ_test_observe_SOURCES = tests/integ/test_observe.c $(TEST_HELPERS)
tests_integ_test_observe_CFLAGS = $(TEST_CFLAGS)
tests_integ_test_observe_LDADD = $(TEST_LIBS)


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
