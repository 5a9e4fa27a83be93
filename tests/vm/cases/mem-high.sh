# mem-high: --mem writes memory.high; a process that allocates past it is throttled
# (memory.events high rises, memory.pressure stalls) and is not killed.
# vm-timeout: 90
. /tests/lib.sh

g=$SYS/memhigh
cleanup_later "$g"
# No swap in the VM, so the kernel cannot reclaim the overage: it throttles instead.
# 2 MiB over a 16 MiB high keeps the penalty to a few seconds under TCG.
umucg_run run --name memhigh --mem 16M --keep -- memhog 18
expect_eq "memhog's exit status (throttled, not killed)" "$RC" 0
expect_eq "memory.high" "$(cat "$g/memory.high")" 16777216
expect_eq "memory.max untouched" "$(cat "$g/memory.max")" max
expect_ge "memory.events high" "$(key "$g/memory.events" high)" 1
expect_eq "memory.events max" "$(key "$g/memory.events" max)" 0
expect_eq "memory.events oom_kill" "$(key "$g/memory.events" oom_kill)" 0
expect_ge "memory.peak went past memory.high" "$(cat "$g/memory.peak")" 16777217
stall=$(sed -n 's/^some .*total=//p' "$g/memory.pressure")
expect_ge "memory.pressure some total (usec stalled)" "$stall" 1
expect_eq "group empty after run" "$(key "$g/cgroup.events" populated)" 0
rmdir "$g" && ok "kept group removed"
expect_no_process memhog

finish
