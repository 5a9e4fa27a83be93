# umucg: the command-line front end; one file per command.
bin_PROGRAMS += umucg
umucg_SOURCES = \
	src/cli/cli.h \
	src/cli/main.c \
	src/cli/report.c \
	src/cli/escape.c \
	src/cli/options.c \
	src/cli/guard.c \
	src/cli/usage_report.c \
	src/cli/cmd_run.c \
	src/cli/cmd_create.c \
	src/cli/cmd_join.c \
	src/cli/cmd_move.c \
	src/cli/cmd_list.c \
	src/cli/cmd_status.c \
	src/cli/cmd_set.c \
	src/cli/cmd_stop.c \
	src/cli/cmd_kill.c \
	src/cli/cmd_freeze.c \
	src/cli/cmd_gc.c \
	src/cli/cmd_setup.c \
	src/cli/cmd_doctor.c \
	src/cli/top.h \
	src/cli/top_render.c \
	src/cli/cmd_top.c
# The CLI sees only the public header: src/lib is not on its include path,
# so no command can reach the library's internals.
umucg_CPPFLAGS = -include $(top_builddir)/config.h -I$(top_srcdir)/include
umucg_CFLAGS = $(AM_CFLAGS)
# The library's objects, linked in (see src/lib/local.mk); libcgroup and
# libcap are dlopen()ed by the library where it needs them, not linked.
umucg_LDADD = libumucg_core.la
# --enable-static-cli (musl): -all-static or -Wc,-static-pie (configure.ac).
umucg_LDFLAGS = $(UMUCG_CLI_LDFLAGS)
