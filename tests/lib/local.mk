# Shared helpers of the integration tests (tests/lib/helpers.h). A test
# program lists $(TEST_HELPERS) in its _SOURCES and links $(TEST_LIBS); the
# helpers define a Criterion POST_ALL hook, so the program must not.
TEST_HELPERS = tests/lib/helpers.h tests/lib/helpers.c
# The signal tests' CMD and its driver (tests/lib/recorder.h).
TEST_RECORDER = tests/lib/recorder.h tests/lib/recorder.c
