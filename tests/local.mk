# Tests: unit (parsers, no privileges), integ (the real binary on this
# machine's cgroup2 mount, as root), vm (a pure-cgroup2 kernel under qemu).
if HAVE_CRITERION
include $(srcdir)/tests/unit/local.mk
include $(srcdir)/tests/integ/local.mk
endif
include $(srcdir)/tests/vm/local.mk
EXTRA_DIST += tests/lib/helpers.h
