# Distro tier: a Debian bookworm image (sysvinit + OpenRC, elogind, Wine) made by
# mmdebstrap and cached outside the tree, umucg's .deb installed at boot, booted from
# disk under qemu (TCG). Skips loudly (TAP skip-all) without root or its tools.
TESTS += tests/distro/run-distro-tests.sh
# One qemu at a time on a 2-core machine: the distro tier waits for the VM tier.
tests/distro/run-distro-tests.log: tests/vm/run-vm-tests.log
EXTRA_DIST += \
	tests/distro/README \
	tests/distro/run-distro-tests.sh \
	tests/distro/make-deb.sh \
	tests/distro/image/build-image.sh \
	tests/distro/image/customize.sh \
	tests/distro/image/packages \
	tests/distro/guest/preinit.sh \
	tests/distro/guest/runner.sh \
	tests/distro/guest/lib.sh \
	tests/distro/cases/elogind.sh \
	tests/distro/cases/service.sh \
	tests/distro/cases/login.sh \
	tests/distro/cases/wine-run.sh \
	tests/distro/cases/wine-stop.sh \
	tests/distro/cases/logout.sh \
	tests/distro/cases/isolation.sh \
	tests/distro/cases/doctor.sh
