# libumucg: the logic, one concern per file, in folders by layer:
#   text/      parsing and printing: names, LIMITS, durations, signals, JSON, errors
#   cgroupfs/  the cgroup2 filesystem: mount, confinement, interface files,
#              controllers, kernel features, cgroup.events waits
#   process/   processes: /proc readers, trees, moves, privileges, spawn
#   group/     groups beneath a base: base, lifecycle, record, state, stats,
#              limits, kill, gc, setup
#   run/       the run protocol: signals, supervision
#   diagnose/  what works here, and the fix (doctor): facts gathered through
#              the folders above and libcgroup, judged by one table of checks
# Everything is built once into a convenience library, linked into umucg (one
# shared object fewer to load on every launch, as crun does with libcrun), into
# the tests (which reach the internal parsers) and, sealed by a version script,
# into libumucg.so for programs.
noinst_LTLIBRARIES += libumucg_core.la
libumucg_core_la_SOURCES = \
	src/lib/internal.h \
	src/lib/parsers.h \
	src/lib/text/error.c \
	src/lib/text/name.c \
	src/lib/text/limits.c \
	src/lib/text/limits_text.c \
	src/lib/text/duration.c \
	src/lib/text/signame.c \
	src/lib/text/json.c \
	src/lib/text/fmt.c \
	src/lib/text/cpulist.c \
	src/lib/cgroupfs/cgfile.c \
	src/lib/cgroupfs/cgdir.c \
	src/lib/cgroupfs/confine.c \
	src/lib/cgroupfs/mount.c \
	src/lib/cgroupfs/controllers.c \
	src/lib/cgroupfs/features.c \
	src/lib/cgroupfs/wait.c \
	src/lib/process/proc_cgroup.c \
	src/lib/process/procinfo.c \
	src/lib/process/pidfd.c \
	src/lib/process/tree.c \
	src/lib/process/move.c \
	src/lib/process/libcap_dl.h \
	src/lib/process/libcap_dl.c \
	src/lib/process/privs.c \
	src/lib/process/clone_vm.c \
	src/lib/process/spawn.c \
	src/lib/group/base.c \
	src/lib/group/group.c \
	src/lib/group/signal.c \
	src/lib/group/lock.c \
	src/lib/group/trust.c \
	src/lib/group/lookup.c \
	src/lib/group/entries.c \
	src/lib/group/meta.c \
	src/lib/group/meta_file.c \
	src/lib/group/state.c \
	src/lib/group/stats.c \
	src/lib/group/usage.c \
	src/lib/group/cpuset.c \
	src/lib/group/limits_apply.c \
	src/lib/group/kill.c \
	src/lib/group/gc.c \
	src/lib/group/gc_stop.c \
	src/lib/group/guard.c \
	src/lib/group/setup.c \
	src/lib/group/login.c \
	src/lib/run/signals.c \
	src/lib/run/supervise.c \
	src/lib/run/run.c \
	src/lib/diagnose/facts.c \
	src/lib/diagnose/checks.c \
	src/lib/diagnose/v1.c
libumucg_core_la_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS) $(LIBCGROUP_CFLAGS)

# The shared library exports exactly what include/umucg.h declares
# (libumucg.sym; tests/unit/test_abi.sh compares the two).
lib_LTLIBRARIES += libumucg.la
libumucg_la_SOURCES =
# libcap and libcgroup are dlopen()ed where needed (process/libcap_dl.c,
# diagnose/v1.c), not linked.
libumucg_la_LIBADD = libumucg_core.la
libumucg_la_LDFLAGS = -version-info 0:0:0 \
	-Wl,--version-script=$(top_srcdir)/src/lib/libumucg.sym
EXTRA_libumucg_la_DEPENDENCIES = $(top_srcdir)/src/lib/libumucg.sym
EXTRA_DIST += src/lib/libumucg.sym
