# Unit tests: parsers and validators, no privileges, no cgroups.
# (TEST_LIBS/TEST_CFLAGS: named so automake does not take them for a
# program's _LDADD/_CFLAGS.)
TEST_LIBS = libumucg.la $(CRITERION_LIBS)
TEST_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) -I$(top_srcdir)/tests/lib
