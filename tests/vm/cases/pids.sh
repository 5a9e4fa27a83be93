# pids: --pids N contains a fork bomb: fork fails at the limit (pids.events max), umucg
# still returns, and nothing of the bomb is left.
# vm-timeout: 60
. /tests/lib.sh

g=$SYS/bomb
cleanup_later "$g" "$SYS/bomb-stay"
# The bomb exits 42 when fork fails with EAGAIN; --kill-on-exit takes its children.
umucg_run run --name bomb --pids 20 --keep --kill-on-exit -- forkbomb
expect_eq "forkbomb saw EAGAIN at the limit" "$RC" 42
expect_eq "pids.max" "$(cat "$g/pids.max")" 20
expect_ge "pids.events max (forks refused)" "$(key "$g/pids.events" max)" 1
expect_eq "pids.current after run" "$(cat "$g/pids.current")" 0
expect_eq "group empty after run" "$(key "$g/cgroup.events" populated)" 0
rmdir "$g" && ok "kept group removed"
expect_no_process forkbomb

# A bomb that never exits: the full group must still be killable, and umucg returns 124.
umucg_run run --name bomb-stay --pids 20 --timeout 2 --grace 1 -- forkbomb --stay
expect_eq "timeout on a full pids group" "$RC" 124
expect_absent "group removed by umucg" "$SYS/bomb-stay"
expect_no_process forkbomb

finish
