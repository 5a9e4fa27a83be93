# libumucg: the logic; one file per concern.
lib_LTLIBRARIES += libumucg.la
libumucg_la_SOURCES = \
	src/lib/internal.h \
	src/lib/error.c \
	src/lib/cgfile.c \
	src/lib/confine.c \
	src/lib/mount.c \
	src/lib/proc_cgroup.c \
	src/lib/base.c \
	src/lib/name.c \
	src/lib/limits.c \
	src/lib/duration.c \
	src/lib/controllers.c \
	src/lib/group.c \
	src/lib/kill.c \
	src/lib/meta.c \
	src/lib/libcap_dl.h \
	src/lib/libcap_dl.c \
	src/lib/privs.c \
	src/lib/spawn.c \
	src/lib/supervise.c \
	src/lib/json.c \
	src/lib/meta_file.c \
	src/lib/procinfo.c \
	src/lib/lookup.c \
	src/lib/state.c \
	src/lib/stats.c \
	src/lib/tree.c \
	src/lib/move.c \
	src/lib/wait.c \
	src/lib/gc.c \
	src/lib/signame.c
libumucg_la_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS)
# libcap is dlopen()ed where needed (libcap_dl.c), not linked.
libumucg_la_LIBADD =
libumucg_la_LDFLAGS = -version-info 0:0:0 -export-symbols-regex '^umucg_'
# setup and doctor's probes (issue 5)
libumucg_la_SOURCES += src/lib/setup.c src/lib/features.c
# login sessions: setup --session and pam_umucg (issue 11)
libumucg_la_SOURCES += src/lib/login.c
