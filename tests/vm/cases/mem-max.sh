# mem-max: --mem-max writes memory.max; a command that allocates past it dies of OOM
# (exit 137, memory.events oom_kill), and the group is cleaned up.
# vm-timeout: 60
. /tests/lib.sh

g=$SYS/memmax
cleanup_later "$g" "$SYS/memmax-gone"
umucg_run run --name memmax --mem-max 32M --keep -- memhog 128
expect_eq "exit status of an OOM-killed command" "$RC" 137
expect_eq "memory.max" "$(cat "$g/memory.max")" 33554432
expect_ge "memory.events oom_kill" "$(key "$g/memory.events" oom_kill)" 1
expect_eq "group empty after run" "$(key "$g/cgroup.events" populated)" 0
rmdir "$g" && ok "kept group removed"

# Without --keep umucg removes the group itself.
umucg_run run --name memmax-gone --mem-max 32M -- memhog 128
expect_eq "exit status of an OOM-killed command (no --keep)" "$RC" 137
expect_absent "group removed by umucg" "$SYS/memmax-gone"
expect_no_process memhog

finish
