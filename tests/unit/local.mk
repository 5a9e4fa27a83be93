# Unit tests: parsers and validators, no privileges, no cgroups.
UNIT_LDADD = libumucg.la $(CRITERION_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
