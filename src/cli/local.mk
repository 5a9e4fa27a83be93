# umucg: the command-line front end; one file per command.
bin_PROGRAMS += umucg
umucg_SOURCES = \
	src/cli/cli.h \
	src/cli/main.c \
	src/cli/report.c \
	src/cli/limits.c \
	src/cli/options.c \
	src/cli/cmd_run.c
umucg_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS) $(LIBCGROUP_CFLAGS)
# libcgroup is dlopen()ed by doctor, not linked: loading it cost every run.
# The library's objects are linked into umucg itself (as crun does with
# libcrun): one shared object fewer to load on every launch; libumucg.so
# stays for programs.
umucg_LDADD =
# managing groups (issue 4)
umucg_SOURCES += src/cli/cmd_create.c src/cli/cmd_join.c src/cli/cmd_move.c \
	src/cli/cmd_list.c src/cli/cmd_status.c src/cli/cmd_set.c src/cli/cmd_stop.c \
	src/cli/cmd_kill.c src/cli/cmd_freeze.c src/cli/cmd_gc.c
# setup and doctor (issue 5)
umucg_SOURCES += src/cli/cmd_setup.c src/cli/cmd_doctor.c
# every library file, compiled into umucg too (see umucg_LDADD)
umucg_SOURCES += $(libumucg_la_SOURCES)
