# service: OpenRC started the umucg service at boot (the script the package installs as
# /etc/init.d/umucg, added with `rc-update add umucg sysinit`: Debian's OpenRC never runs
# the boot runlevel, see guest/preinit.sh); `rc-service umucg status` answers
# started; OpenRC mounted pure cgroup2 (rc_cgroup_mode="unified") and the service made
# umucg's system base with the controllers enabled.
# distro-timeout: 60
. /var/lib/umucg-test/lib.sh

expect_eq "rc_cgroup_mode" "$(sed -n 's/^rc_cgroup_mode=//p' /etc/rc.conf)" '"unified"'
expect_present "the package's service script" /etc/init.d/umucg
level=$(cat "$T/runlevel")
expect_eq "it is in the runlevel OpenRC starts at boot ($level)" "$(readlink /etc/runlevels/$level/umucg)" /etc/init.d/umucg
out=$(rc-service umucg status 2>&1)
rc=$?
note "rc-service umucg status -> $rc: $out"
expect_eq "rc-service umucg status exit" "$rc" 0
case $out in *"status: started"*) ok "rc-service says started";; *) bad "rc-service does not say started";; esac
case $(rc-status "$level" 2>&1 | grep -w umucg) in *started*) ok "rc-status $level: umucg started";;
*) bad "rc-status $level: $(rc-status "$level" 2>&1 | grep -w umucg)";; esac
if [ "$FAILS" != 0 ]; then
	note "rc-status --all; softlevel $(cat /run/openrc/softlevel 2>/dev/null); RC_ in rc.conf: $(grep -E '^rc_(default|boot)' /etc/rc.conf)"
	rc-status --all 2>&1 | tr -d '\033' | sed 's/\[[0-9;]*m//g; s/^/#   /'
fi
expect_present "the system base" "$CG/umucg/system"
expect_eq "its owner" "$(owner "$CG/umucg/system")" root:root
for c in cpu io memory pids; do
	case " $(cat "$CG/umucg/cgroup.subtree_control") " in
	*" $c "*) ok "$c enabled below $CG/umucg";; *) bad "$c not enabled in $CG/umucg";; esac
done
# OpenRC keeps each service in its own cgroup; the setup service leaves nothing running.
expect_eq "processes left in the service's cgroup" "$(cat "$CG/umucg/cgroup.procs" 2>/dev/null)" ""
umucg_out=$(umucg run --mem 64M -- cat /proc/self/cgroup 2>&1)
case $umucg_out in "0::/umucg/system/"*) ok "root's run lands in the system base: $umucg_out";;
*) bad "root's run: $umucg_out";; esac
finish
