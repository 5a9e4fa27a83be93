# VM tier: boots the installed kernel under qemu (TCG) with a busybox initramfs holding
# `make install`'s umucg and tests/vm/cases/, on a pure cgroup2 with every controller.
# Skips (exit 77, loudly) without qemu-system-x86, a kernel in /boot, or busybox.
TESTS += tests/vm/run-vm-tests.sh
# The runner speaks TAP under make check, so each VM case gets its own line.
TEST_EXTENSIONS = .sh
SH_LOG_DRIVER = env AM_TAP_AWK='$(AWK)' UMUCG_VM_TAP=1 $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
check_PROGRAMS += \
	tests/vm/memhog \
	tests/vm/forkbomb \
	tests/vm/proctree \
	tests/vm/runas
tests_vm_memhog_SOURCES = tests/vm/memhog.c
tests_vm_forkbomb_SOURCES = tests/vm/forkbomb.c
tests_vm_proctree_SOURCES = tests/vm/proctree.c
tests_vm_runas_SOURCES = tests/vm/runas.c
EXTRA_DIST += \
	tests/vm/run-vm-tests.sh \
	tests/vm/init.sh \
	tests/vm/lib.sh \
	tests/vm/cases/exit-codes.sh \
	tests/vm/cases/kill-tree.sh \
	tests/vm/cases/limits.sh \
	tests/vm/cases/manage-set-freeze.sh \
	tests/vm/cases/mem-high.sh \
	tests/vm/cases/mem-max.sh \
	tests/vm/cases/pids.sh \
	tests/vm/cases/run-spawn.sh \
	tests/vm/cases/setup.sh \
	tests/vm/cases/smoke.sh \
	tests/vm/cases/user.sh
# setup, doctor and run --user cases (issue 5)
EXTRA_DIST += tests/vm/cases/setup-delegation.sh tests/vm/cases/doctor-verdicts.sh \
	tests/vm/cases/run-user-drop.sh
# doctor --json
EXTRA_DIST += tests/vm/cases/doctor-json.sh
# a limit the kernel rejects leaves nothing behind (issue 7)
EXTRA_DIST += tests/vm/cases/kernel-rejects.sh
# usage: the OOM/pids line, run --report, --cpus, --mem-low, top (issue 14)
EXTRA_DIST += tests/vm/cases/oom-line.sh tests/vm/cases/report.sh tests/vm/cases/cpus.sh \
	tests/vm/cases/mem-low.sh tests/vm/cases/top.sh
