#!/bin/sh
# Distro tier, guest side, PID 1 before /sbin/init: install umucg's package the way an
# administrator does (dpkg -i, rc-update add umucg, the PAM line), queue the case
# runner after OpenRC's default runlevel, then exec the real init. Whatever fails here
# is logged to install.log for the runner to report; the boot always goes on.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
T=/var/lib/umucg-test
. "$T/env"
start=$(cut -d' ' -f1 /proc/uptime)
{
	echo "+ dpkg -i $(cd "$T/debs" && echo *.deb)"
	dpkg -i "$T"/debs/*.deb && echo "@@ installed $(dpkg-query -W -f '${Package} ${Version}  ' umucg libpam-umucg libumucg0 2>&1)" ||
		echo "@@ install failed: dpkg -i exited $?"
	if [ -n "${UMUCG_DISTRO_BREAK_SERVICE:-}" ] && [ -f /etc/init.d/umucg ]; then
		# A deliberate breakage (to see the service case fail): a setup that fails.
		sed -i 's|"\$UMUCG" setup|"$UMUCG" setup --no-such-option|' /etc/init.d/umucg
	fi
	# Gentoo, Alpine and Artix run OpenRC's boot runlevel from inittab (`openrc boot`);
	# Debian's and Devuan's OpenRC never enter it (rcS runs `openrc sysinit`, rc 2
	# `openrc default`, and boot is not stacked into default there), so their boot-time
	# runlevel is sysinit: `rc-update add umucg boot` would leave umucg stopped.
	level=boot
	grep -q 'openrc boot' /etc/inittab || level=sysinit
	echo "$level" > "$T/runlevel"
	echo "+ rc-update add umucg $level"
	rc-update add umucg "$level" || echo "@@ install failed: rc-update add umucg $level"
	# The PAM line: libpam-umucg's pam-auth-update profile put it in common-session
	# (after pam_elogind) when the package was configured; su, login and display
	# managers include that file.
	if [ -n "${UMUCG_DISTRO_NO_PAM:-}" ]; then
		echo "+ pam-auth-update --disable umucg (UMUCG_DISTRO_NO_PAM: a deliberate breakage)"
		pam-auth-update --disable umucg
	elif ! grep -q pam_umucg /etc/pam.d/common-session; then
		echo "@@ install failed: no pam_umucg line in common-session after installing libpam-umucg"
	elif [ -n "${UMUCG_DISTRO_PAM_ARGS:-}" ]; then
		# Options for the module (a breakage such as base=/sys/fs/cgroup/umucg, which
		# puts sessions outside elogind's cgroup), as an administrator would edit them.
		sed -i "s|pam_umucg.so.*|pam_umucg.so $UMUCG_DISTRO_PAM_ARGS|" /etc/pam.d/common-session
	fi
	echo "+ /etc/pam.d/common-session:"
	grep -v '^#' /etc/pam.d/common-session | grep .
	echo "@@ install took $(awk "BEGIN { printf \"%.1f\", $(cut -d' ' -f1 /proc/uptime) - $start }")s"
} > "$T/install.log" 2>&1
echo "ut:2:once:$T/runner.sh" >> /etc/inittab
exec /sbin/init "$@"
