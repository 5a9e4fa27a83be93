# setup: `umucg setup --user` delegates <cgroup2>/umucg/user-UID by the kernel's rules,
# `--session PID` puts a login's process in a leaf, and from that leaf the user runs
# umucg unprivileged with limits. Skips while `umucg setup` does not exist.
# vm-timeout: 60
. /tests/lib.sh

umucg setup --help > /dev/null 2>&1 || { echo "umucg setup is not implemented"; exit 77; }
D=$CG/umucg/user-1000
go=/tmp/setup.go
res=/tmp/setup-user.out
rm -f "$go" "$res"
mkfifo -m 666 "$go"
cleanup_later "$D"

# A stand-in login session: uid 1000's shell, waiting until root has placed it.
runas 1000 1000 -- sh -c '
	read word < /tmp/setup.go
	cat /proc/self/cgroup > /tmp/setup-user.out
	umucg run --name s1 --keep --mem 32M --pids 30 -- cat /proc/self/cgroup >> /tmp/setup-user.out 2>&1
	echo "rc=$?" >> /tmp/setup-user.out' &
session=$!

umucg_run setup --user nosuchuser --session "$session"
expect_eq "setup for a user that does not exist" "$RC" 125
expect_absent "nothing delegated to nobody" "$CG/umucg/user-nosuchuser"

umucg_run setup --user 1000 --session "$session"
expect_eq "setup --user 1000 --session PID" "$RC" 0
expect_eq "setup prints nothing" "$OUT" ""
for f in "" /cgroup.procs /cgroup.threads /cgroup.subtree_control; do
	expect_eq "owner of user-1000$f" "$(stat -c %u:%g "$D$f" 2>/dev/null)" 1000:1000
done
expect_eq "owner of user-1000/memory.max (limits stay root's)" "$(stat -c %u "$D/memory.max" 2>/dev/null)" 0
leaf=$(sed -n 's/^0:://p' "/proc/$session/cgroup")
case $leaf in
/umucg/user-1000/session-*) ok "the session is in a leaf: $leaf";;
*) bad "the session's cgroup is '$leaf', want /umucg/user-1000/session-N";;
esac
for c in cpu io memory pids; do
	case " $(cat "$D/cgroup.controllers" 2>/dev/null) " in
	*" $c "*) ok "$c is available in the delegated subtree";;
	*) bad "$c is missing from $D/cgroup.controllers";;
	esac
done
umucg_run setup --user 1000
expect_eq "setup again (idempotent)" "$RC" 0

echo go > "$go"
wait "$session"
expect_eq "the session's own run" "$(sed -n 's/^rc=//p' "$res")" 0
expect_eq "the session saw itself in its leaf" "$(sed -n 1p "$res")" "0::$leaf"
expect_eq "the user's group is beside the session" "$(sed -n 2p "$res")" "0::/umucg/user-1000/s1"
expect_eq "memory.high of the user's group" "$(cat "$D/s1/memory.high" 2>/dev/null)" 33554432
expect_eq "pids.max of the user's group" "$(cat "$D/s1/pids.max" 2>/dev/null)" 30
expect_eq "owner of the user's group" "$(stat -c %u "$D/s1" 2>/dev/null)" 1000
rm -f "$go" "$res"

finish
