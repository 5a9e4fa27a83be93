#!/bin/sh
# Distro tier, guest side, PID 1 before /sbin/init: install umucg's package the way an
# administrator does (dpkg -i, rc-update add umucg boot, the PAM line), queue the case
# runner after OpenRC's default runlevel, then exec the real init. Whatever fails here
# is logged to install.log for the runner to report; the boot always goes on.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
T=/var/lib/umucg-test
. "$T/env"
start=$(cut -d' ' -f1 /proc/uptime)
{
	echo "+ dpkg -i umucg.deb"
	dpkg -i "$T/umucg.deb" && echo "@@ installed $(dpkg-query -W -f '${Version}' umucg)" ||
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
	# The PAM line: the package's pam-auth-update profile when it has one, else the
	# line README gives, after pam_elogind in common-session (su, login and display
	# managers include it).
	if [ -n "${UMUCG_DISTRO_NO_PAM:-}" ]; then
		echo "# UMUCG_DISTRO_NO_PAM: no PAM line (a deliberate breakage)"
	elif [ -f /usr/share/pam-configs/umucg ]; then
		echo "+ pam-auth-update --enable umucg"
		pam-auth-update --package --enable umucg || echo "@@ install failed: pam-auth-update"
	elif pam=$(find /lib /usr/lib -name pam_umucg.so 2>/dev/null | head -n1) && [ -n "$pam" ]; then
		grep -q pam_umucg /etc/pam.d/common-session ||
			echo "session optional pam_umucg.so" >> /etc/pam.d/common-session
	elif [ -f /usr/share/doc/umucg/examples/pam/system-login.line ]; then
		# Before pam_umucg.so: the pam_exec hook the package documents.
		grep -v '^#' /usr/share/doc/umucg/examples/pam/system-login.line >> /etc/pam.d/common-session
	else
		echo "@@ no pam_umucg.so in the package: logins are not put in a umucg subtree"
	fi
	echo "+ /etc/pam.d/common-session:"
	grep -v '^#' /etc/pam.d/common-session | grep .
	echo "@@ install took $(awk "BEGIN { printf \"%.1f\", $(cut -d' ' -f1 /proc/uptime) - $start }")s"
} > "$T/install.log" 2>&1
echo "ut:2:once:$T/runner.sh" >> /etc/inittab
exec /sbin/init "$@"
