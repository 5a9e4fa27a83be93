# oom-line: without any option, a run whose processes the kernel OOM-killed at memory.max,
# or whose forks it refused at pids.max, says so in one line naming the limit, its value
# and the peak; a run that hit nothing says nothing; an OOM kill for an enclosing group's
# memory.max says that the group had none of its own.
# vm-timeout: 90
. /tests/lib.sh

g=$SYS/oomline
cleanup_later "$g" "$SYS/quiet" "$CG/h-obs-encl"

umucg_run run --name oomline --keep --mem-max 32M -- memhog 128
expect_eq "exit status of the OOM-killed hog" "$RC" 137
kills=$(key "$g/memory.events" oom_kill)
expect_ge "memory.events oom_kill" "$kills" 1
if [ "$kills" = 1 ]; then what="1 process was"; else what="$kills processes were"; fi
expect_eq "the one line" "$ERR" "umucg: $what killed by the kernel's OOM killer at memory.max 32.0M (peak $(umucg_size "$(cat "$g/memory.peak")"))"
expect_eq "stdout" "$OUT" ""
rmdir "$g" && ok "kept group removed"

# Fork refusals at pids.max: the bomb exits 42 when fork fails.
umucg_run run --name oomline --keep --pids 20 --kill-on-exit -- forkbomb
expect_eq "forkbomb saw EAGAIN" "$RC" 42
refused=$(key "$g/pids.events" max)
expect_ge "pids.events max" "$refused" 1
if [ "$refused" = 1 ]; then what="1 fork was"; else what="$refused forks were"; fi
peak=
[ -f "$g/pids.peak" ] && peak=" (peak $(cat "$g/pids.peak"))"
expect_eq "the one line" "$ERR" "umucg: $what refused at pids.max 20$peak"
rmdir "$g" && ok "kept group removed"

# Limits that were not hit: not a word.
umucg_run run --name quiet --mem-max 64M --pids 50 -- memhog 8
expect_eq "a run within its limits" "$RC" 0
expect_eq "a run within its limits prints nothing" "$ERR" ""

# An enclosing group's memory.max: the group has none of its own.
E=$CG/h-obs-encl
mkdir "$E" && echo "+memory" > "$E/cgroup.subtree_control" && echo 32M > "$E/memory.max" ||
	bad "cannot make $E"
umucg_run --base "$E" run --name inner --keep -- memhog 128
expect_eq "exit status under an enclosing limit" "$RC" 137
case $ERR in
"umucg: "*" killed by the kernel's OOM killer: the machine or an enclosing group ran out of memory (no memory.max here) (peak "*")")
	ok "the line says the limit was not the group's own";;
*) bad "the line under an enclosing limit: '$ERR'";;
esac
rmdir "$E/inner" && ok "kept inner group removed"

# With --report --json stderr is one JSON object: the hit is in it, not a line beside it.
if command -v jq > /dev/null; then
	umucg_run --json run --name oomline --keep --mem-max 32M --report -- memhog 128
	expect_eq "exit status" "$RC" 137
	expect_eq "stderr parses as one object" "$(echo "$ERR" | jq -c type)" '"object"'
	expect_eq "limit_hit.memory" "$(echo "$ERR" | jq -c '.limit_hit.memory | [.limit, .value, .oom_kills]')" \
		"[\"memory.max\",33554432,$(key "$g/memory.events" oom_kill)]"
	expect_eq "oom_kills" "$(echo "$ERR" | jq .oom_kills)" "$(key "$g/memory.events" oom_kill)"
	rmdir "$g" && ok "kept group removed"
else
	note "jq is not in the image: the --report --json part is skipped"
fi
expect_no_process memhog
expect_no_process forkbomb

finish
