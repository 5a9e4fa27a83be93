# login: a user logs in through the real PAM stack (`su -l`: /etc/pam.d/su, common-session
# with pam_elogind and umucg's PAM line) and lands in a session leaf: root-owned leaf,
# user-owned delegation root (user.delegate=1) inside elogind's session cgroup; loginctl and
# GetSessionByPID still map the shell and a game started with `umucg run` to the session.
# distro-timeout: 90
. /var/lib/umucg-test/lib.sh

if [ "${1:-}" = --as-user ]; then
	# uid 1000, in the login shell's session
	sid=$XDG_SESSION_ID
	got=$(loginctl --no-pager session-status 2>&1 | head -n1)
	expect_eq "loginctl session-status in the shell" "${got%% *}" "$sid"
	out=$(umucg run --name login-game -- sh -c 'cat /proc/self/cgroup; loginctl --no-pager session-status 2>&1 | head -n1' 2>&1)
	rc=$?
	note "umucg run -- sh -c 'cat /proc/self/cgroup; loginctl session-status' -> $rc"
	echo "$out" | sed 's/^/#   /'
	expect_eq "umucg run as the user" "$rc" 0
	game_cg=$(echo "$out" | sed -n 's/^0:://p')
	expect_eq "the game's group is beside the session leaf" "${game_cg%/*}" "$(dirname "$(cgroup_of $$)")"
	line=$(echo "$out" | tail -n1)
	expect_eq "loginctl session-status in the game" "${line%% *}" "$sid"
	# The same from outside, for a game that stays a while.
	umucg run --name login-live -- sleep 30 &
	live=$!
	wait_until 10 pgrep -u user -x sleep > /dev/null
	echo "live-game=$(pgrep -u user -x sleep)"
	wait_until 20 [ -e /tmp/login-checked ]
	kill "$live" 2>/dev/null
	wait "$live"
	finish
fi

rm -f /tmp/login-checked
show_later "$T/login.out"
as_user_bg user "$T/login.out" "echo \"shell=\$\$ sid=\$XDG_SESSION_ID\"; sh $T/cases/login.sh --as-user"
wait_until 30 grep -q '^live-game=' "$T/login.out"
shell=$(sed -n 's/^shell=\([0-9]*\).*/\1/p' "$T/login.out")
sid=$(sed -n 's/^shell=.* sid=//p' "$T/login.out")
game=$(sed -n 's/^live-game=//p' "$T/login.out")
note "session '$sid', login shell $shell, live game $game"
leaf=$(cgroup_of "$shell")
note "the shell's cgroup: $leaf"
expect_eq "the session is elogind's" "$(echo "$leaf" | cut -d/ -f2)" "$sid"
case $leaf in "/$sid") bad "the shell is still in elogind's $leaf itself, not in a umucg leaf";; esac
deleg=$(dirname "$leaf")
expect_eq "the session leaf is root's" "$(owner "$CG$leaf")" root:root
expect_eq "the delegation root is the user's" "$(owner "$CG$deleg")" user:user
for f in cgroup.procs cgroup.threads cgroup.subtree_control; do
	expect_eq "$f of the delegation root" "$(owner "$CG$deleg/$f")" user:user
done
expect_eq "user.delegate on it" "$(getfattr --only-values -n user.delegate "$CG$deleg" 2>/dev/null)" 1
expect_eq "GetSessionByPID(shell)" "$(session_of_pid "$shell")" "$sid"
expect_eq "GetSessionByPID(su, the leader)" "$(session_of_pid "$SU_PID")" "$sid"
expect_eq "the live game's group" "$(cgroup_of "$game")" "$deleg/login-live"
expect_eq "GetSessionByPID(game)" "$(session_of_pid "$game")" "$sid"
case $(loginctl --no-pager --no-legend list-sessions) in *"$sid"*user*) ok "loginctl list-sessions shows $sid of user";;
*) bad "loginctl list-sessions: $(loginctl --no-pager --no-legend list-sessions)";; esac
touch /tmp/login-checked
wait "$SU_PID"
rc=$?
sed 's/^/  user| /' "$T/login.out"
expect_eq "the user's half" "$rc" 0
rm -f /tmp/login-checked
finish
