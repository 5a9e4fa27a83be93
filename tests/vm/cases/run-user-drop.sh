# run-user-drop: `umucg run --user` as root runs CMD as the user with no capability in any
# set, no_new_privs, the user's ids and groups, while the group stays root's; as the user
# it is refused.
# vm-timeout: 60
. /tests/lib.sh

cleanup_later "$SYS/dropped"
umucg_run run --user user --keep --name dropped -- sh -c 'cat /proc/self/status; id -G; if echo 0 > /sys/fs/cgroup/umucg/system/dropped/cgroup.procs; then echo escaped; fi'
expect_eq "run --user" "$RC" 0
st() { echo "$OUT" | sed -n "s/^$1:[[:space:]]*//p" | tr -s ' \t' ' ' | sed 's/ $//'; }
for f in CapInh CapPrm CapEff CapBnd CapAmb; do expect_eq "$f" "$(st $f)" 0000000000000000; done
expect_eq "NoNewPrivs" "$(st NoNewPrivs)" 1
expect_eq "Uid" "$(st Uid)" "1000 1000 1000 1000"
expect_eq "Gid" "$(st Gid)" "1000 1000 1000 1000"
expect_eq "Groups" "$(st Groups)" "1000"
case $OUT in *escaped*) bad "the user could write its group's cgroup.procs";; *) ok "the group's files stay closed to the user";; esac
expect_eq "the group is root's" "$(stat -c %u:%g $SYS/dropped)" 0:0
expect_eq "its cgroup.procs is root's" "$(stat -c %u $SYS/dropped/cgroup.procs)" 0
rmdir "$SYS/dropped" && ok "kept group removed"

runas 1000 1000 -- umucg run --user root -- true > /tmp/ru.out 2>&1
expect_eq "run --user as the user" "$?" 125
grep -q "only root" /tmp/ru.out && ok "says only root can" || bad "message: $(cat /tmp/ru.out)"
finish
