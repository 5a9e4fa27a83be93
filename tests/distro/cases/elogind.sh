# elogind: the premises umucg's layout rests on, checked on this system before umucg's
# own cases: a `su -l` session gets elogind's root-owned cgroup <mount>/<sid>; a process
# moved into a subdirectory of it still belongs to the session (GetSessionByPID, as
# polkit asks, and loginctl), one moved outside it does not. See /work/brief/elogind.md.
# distro-timeout: 60
. /var/lib/umucg-test/lib.sh

expect_eq "cgroup2 at /sys/fs/cgroup" "$(awk '$5 == "/sys/fs/cgroup" { print $(NF-2) }' /proc/self/mountinfo)" cgroup2
expect_eq "no cgroup v1 hierarchy" "$(awk '$(NF-2) == "cgroup"' /proc/self/mountinfo | wc -l)" 0
expect_eq "elogind runs" "$(pgrep -c -x elogind-daemon)" 1

show_later "$T/elogind.out"
as_user_bg user "$T/elogind.out" 'echo "sid=$XDG_SESSION_ID"; exec sleep 60'
wait_until 20 grep -q '^sid=' "$T/elogind.out"
sid=$(sed -n 's/^sid=//p' "$T/elogind.out")
shell=$(pids_of user sleep)
note "session '$sid', the user's shell (exec'd into sleep) is $shell, su is $SU_PID"
[ -n "$sid" ] && [ -n "$shell" ] || { bad "no session or no shell"; cat "$T/elogind.out"; finish; }
expect_eq "loginctl lists the session" "$(sessions)" "$sid "
expect_present "elogind's session cgroup" "$CG/$sid"
expect_eq "its owner" "$(owner "$CG/$sid")" root:root
expect_eq "su, the session leader, is in it (or below)" "$(cgroup_of "$SU_PID" | cut -d/ -f2)" "$sid"
expect_eq "GetSessionByPID(shell)" "$(session_of_pid "$shell")" "$sid"

# A root-made subdirectory two levels down, without controllers: still the session.
probe=$CG/$sid/elogind-probe
mkdir -p "$probe/sub" && echo "$shell" > "$probe/sub/cgroup.procs"
expect_eq "the shell's cgroup" "$(cgroup_of "$shell")" "/$sid/elogind-probe/sub"
expect_eq "GetSessionByPID in a subdirectory" "$(session_of_pid "$shell")" "$sid"
got=$(sh -c "echo \$\$ > $probe/sub/cgroup.procs && exec setpriv --reuid 1000 --regid 1000 --init-groups loginctl --no-pager session-status" 2>&1 | head -n1)
expect_eq "loginctl session-status from the subdirectory" "${got%% *}" "$sid"

# Outside the session's cgroup: no session.
out=$CG/elogind-probe-outside
mkdir -p "$out" && echo "$shell" > "$out/cgroup.procs"
expect_eq "GetSessionByPID outside" "$(session_of_pid "$shell")" ""
got=$(sh -c "echo \$\$ > $out/cgroup.procs && exec setpriv --reuid 1000 --regid 1000 --init-groups loginctl --no-pager session-status" 2>&1 | head -n1)
case $got in *"Unknown object"*|*"not"*) ok "loginctl from outside: $got";; *) bad "loginctl from outside still found a session: $got";; esac

echo "$shell" > "$probe/sub/cgroup.procs"
kill "$shell"
wait "$SU_PID"
rmdir "$out" "$probe/sub" "$probe"
wait_until 10 sh -c "[ -z \"\$(loginctl --no-pager --no-legend list-sessions)\" ]"
expect_eq "the session closed at logout" "$(sessions)" ""
finish
