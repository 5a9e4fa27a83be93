# Tests: unit (parsers, no privileges), integ (the real binary on this
# machine's cgroup2 mount, as root), vm (a pure-cgroup2 kernel under qemu).
# UMUCG_TEST_BIN tests another umucg binary (.ci/musl: the musl build).
AM_TESTS_ENVIRONMENT = \
	UMUCG_BIN="$${UMUCG_TEST_BIN:-$(abs_top_builddir)/umucg}"; export UMUCG_BIN; \
	UMUCG_TOP_SRCDIR='$(abs_top_srcdir)'; export UMUCG_TOP_SRCDIR; \
	UMUCG_TOP_BUILDDIR='$(abs_top_builddir)'; export UMUCG_TOP_BUILDDIR;
if HAVE_CRITERION
include $(srcdir)/tests/unit/local.mk
include $(srcdir)/tests/lib/local.mk
include $(srcdir)/tests/integ/local.mk
endif
include $(srcdir)/tests/vm/local.mk
include $(srcdir)/tests/pam/local.mk
include $(srcdir)/tests/launchers/local.mk
include $(srcdir)/tests/distro/local.mk
include $(srcdir)/tests/peers/local.mk

# test_wine's prefix, made once per build tree (wineboot -i) and reused by
# later runs; make clean removes it (make distcheck checks nothing is left).
clean-wineprefix:
	rm -rf tests/integ/wineprefix
.PHONY: clean-wineprefix
