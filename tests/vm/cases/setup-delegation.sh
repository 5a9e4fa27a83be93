# setup-delegation: `umucg setup` prepares the base with every controller; `--user 1000`
# delegates user-1000 by the kernel's rules; `--session PID` puts a login's process in a
# leaf; the user then runs limited groups unprivileged, and doctor agrees. Also: setup
# mounts cgroup2 itself where none is mounted (in a private mount namespace).
# vm-timeout: 150
. /tests/lib.sh

D=$CG/umucg/user-1000
owner() { stat -c %u:%g "$1" 2>/dev/null; }

if [ "${1:-}" = --as-user ]; then
	# --- uid 1000, a login shell whose process setup moves into a session leaf --------
	wait_until 10 grep -q "^0::/umucg/user-1000/session-" /proc/self/cgroup
	expect_eq "the session's cgroup" "$(sed -n 's/^0:://p' /proc/self/cgroup)" "/umucg/user-1000/session-1"
	umucg_run doctor
	expect_eq "doctor in the delegated session" "$RC" 0
	case $OUT in *"yes  delegated subtree: the caller's cgroup lies in $D"*) ok "doctor names the subtree";;
	*) bad "doctor does not see the delegation";; esac
	umucg_run run --mem 64M --pids 50 --keep --name game -- cat /proc/self/cgroup
	expect_eq "run as the user" "$RC" 0
	expect_eq "the user's group" "$OUT" "0::/umucg/user-1000/game"
	expect_eq "its memory.high" "$(cat $D/game/memory.high)" 67108864
	expect_eq "its pids.max" "$(cat $D/game/pids.max)" 50
	expect_eq "its owner" "$(owner $D/game)" 1000:1000
	rmdir "$D/game" && ok "the user removes its own group"
	if echo 1M > "$D/memory.max" 2>/dev/null; then bad "the user changed the subtree's own limit"
	else ok "the subtree's limits stay root's"; fi
	umucg_run run --user root -- true
	expect_eq "run --user as a user" "$RC" 125
	umucg_run setup --user 1000
	expect_eq "setup as a user" "$RC" 125
	case $ERR in *CAP_CHOWN*) ok "setup names the missing capability";; *) bad "setup: $ERR";; esac
	finish
fi

had_top=no
[ -d "$CG/umucg" ] && had_top=yes
[ $had_top = yes ] || cleanup_later "$CG/umucg"
cleanup_later "$D"

umucg_run setup
expect_eq "setup" "$RC" 0
expect_eq "setup prints nothing" "$OUT$ERR" ""
expect_present "the system base" "$CG/umucg/system"
for c in cpu io memory pids; do
	for dir in "$CG" "$CG/umucg"; do
		case " $(cat $dir/cgroup.subtree_control) " in
		*" $c "*) ok "$c enabled in $dir";; *) bad "$c not enabled in $dir";; esac
	done
done

for i in 1 2; do
	umucg_run setup --user user
	expect_eq "setup --user user (#$i)" "$RC" 0
	expect_eq "user-1000 owner" "$(owner $D)" 1000:1000
	for f in cgroup.procs cgroup.threads cgroup.subtree_control; do
		expect_eq "$f owner" "$(owner $D/$f)" 1000:1000
	done
	for f in memory.max memory.high pids.max cpu.max io.weight cgroup.kill cgroup.freeze cgroup.max.descendants; do
		[ -e "$D/$f" ] || { bad "$D/$f is missing"; continue; }
		expect_eq "$f stays root's" "$(owner $D/$f)" 0:0
	done
	expect_eq "user-1000 gets every controller" "$(cat $D/cgroup.controllers)" "cpuset cpu io memory pids"
done
umucg_run setup --user 4242
expect_eq "setup --user of no account" "$RC" 125
expect_absent "no subtree for it" "$CG/umucg/user-4242"

# The user's login: a process setup moves, which then drops to uid 1000.
runas 1000 1000 -- sh "$0" --as-user > /tmp/setup-user.out 2>&1 &
login=$!
umucg_run setup --user 1000 --session $login
expect_eq "setup --session" "$RC" 0
wait $login
expect_eq "the user's half" "$?" 0
sed 's/^/  user| /' /tmp/setup-user.out
expect_eq "session-1 stays root's" "$(owner $D/session-1)" 0:0
expect_eq "session-1 is empty after logout" "$(key $D/session-1/cgroup.events populated)" 0

# The next login sweeps the empty leaf and reuses its name.
sleep 30 &
s2=$!
umucg_run setup --user 1000 --session $s2
expect_eq "second login" "$RC" 0
expect_eq "it got session-1 again" "$(sed -n 's/^0:://p' /proc/$s2/cgroup)" "/umucg/user-1000/session-1"
kill $s2; wait $s2 2>/dev/null

# No cgroup2 mounted at all: setup mounts it (in a private mount namespace).
out=$(unshare -m sh -c 'umount -l /sys/fs/cgroup && ! grep -q " - cgroup2 " /proc/self/mountinfo &&
	umucg setup && grep " - cgroup2 " /proc/self/mountinfo' 2>&1)
case $out in *" /sys/fs/cgroup "*" - cgroup2 "*) ok "setup mounted cgroup2 at /sys/fs/cgroup";;
*) bad "setup did not mount cgroup2: $out";; esac

finish
