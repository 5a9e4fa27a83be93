# manage-set-freeze: create with limits, set changes them live (memory, pids, cpu),
# a live pids limit is hit and counted, freeze/thaw wait for cgroup.events, stop
# removes the group; bad input changes nothing.
# vm-timeout: 90
. /tests/lib.sh

g=$SYS/msf
cleanup_later "$g"

umucg_run create msf --mem 64M --pids 20
expect_eq "create status" "$RC" 0
expect_eq "create prints the path" "$OUT" "$g"
expect_eq "memory.high from create" "$(cat "$g/memory.high")" 67108864
expect_eq "pids.max from create" "$(cat "$g/pids.max")" 20

umucg join msf -- sleep 300 &
joined=$!
wait_until 5 populated "$g"
expect_eq "the joined sleep is in the group" "$(cat "$g/cgroup.procs")" "$joined"

umucg_run set msf --mem 128M --mem-max 256M --pids 50 --cpu-max 50% --cpu-weight 300
expect_eq "set status" "$RC" 0
expect_eq "memory.high after set" "$(cat "$g/memory.high")" 134217728
expect_eq "memory.max after set" "$(cat "$g/memory.max")" 268435456
expect_eq "pids.max after set" "$(cat "$g/pids.max")" 50
expect_eq "cpu.max after set" "$(cat "$g/cpu.max")" "50000 100000"
expect_eq "cpu.weight after set" "$(cat "$g/cpu.weight")" 300
umucg_run set msf --mem max
expect_eq "set --mem max" "$(cat "$g/memory.high")" max
expect_eq "set leaves the other limits alone" "$(cat "$g/pids.max")" 50

# Parse, validate, then act: nothing changes on a bad value.
umucg_run set msf --pids 7 --mem 12Q
expect_eq "set with a bad value" "$RC" 125
expect_eq "pids.max unchanged by a failed set" "$(cat "$g/pids.max")" 50
umucg_run set msf
expect_eq "set without limits" "$RC" 125

# A live pids limit: the group already has 1 process; with pids.max 3 only two
# more fit, so the shell's third background fork fails and pids.events counts it.
umucg_run set msf --pids 3
expect_eq "set --pids 3" "$(cat "$g/pids.max")" 3
before=$(key "$g/pids.events" max)
umucg join msf -- sh -c 'sleep 2 & sleep 2 & sleep 2 & wait' 2>/dev/null
after=$(key "$g/pids.events" max)
expect_ge "pids.events max grew" "$((after - before))" 1
umucg_run status msf
expect_eq "status status" "$RC" 0
case $OUT in *"pids.max 3"*) ok "status shows pids.max";; *) bad "status lacks pids.max 3";; esac
case $OUT in *"Events: pids max $after"*) ok "status shows the pids.events counter";; *) bad "status lacks 'Events: pids max $after'";; esac
case $OUT in *"sleep 300"*) ok "status shows the process tree";; *) bad "status lacks the sleep";; esac
umucg_run set msf --pids max
expect_eq "set --pids max" "$(cat "$g/pids.max")" max

# freeze / thaw: the command returns once cgroup.events agrees.
umucg_run freeze msf
expect_eq "freeze status" "$RC" 0
expect_eq "frozen right after freeze returns" "$(key "$g/cgroup.events" frozen)" 1
umucg_run list
case $OUT in *msf*frozen*) ok "list says frozen";; *) bad "list does not say frozen";; esac
umucg_run freeze msf
expect_eq "freezing a frozen group" "$RC" 125
expect_eq "still frozen" "$(key "$g/cgroup.events" frozen)" 1
umucg_run thaw msf
expect_eq "thaw status" "$RC" 0
expect_eq "thawed right after thaw returns" "$(key "$g/cgroup.events" frozen)" 0
umucg_run thaw msf
expect_eq "thawing a running group" "$RC" 125

# stop: TERM, then the group goes.
umucg_run stop msf --grace 5
expect_eq "stop status" "$RC" 0
wait $joined
expect_eq "the sleep died of SIGTERM" "$?" 143
expect_absent "stop removes the group" "$g"

finish
