# top: batch mode lists the live groups with figures that agree with the kernel's files
# (processes, memory now, its limit, a busy group's CPU %), as a table and as JSON; and a
# user runs it unprivileged in a delegated subtree, seeing the groups there and not the
# login session's leaf.
# vm-timeout: 120
. /tests/lib.sh

command -v jq > /dev/null || { echo "SKIP: jq is not in the image (install jq on the host)"; exit 77; }
D=$CG/umucg/user-1000
S=$D/session-1

if [ "${1:-}" = --as-user ]; then
	expect_eq "running as" "$(id -u)" 1000
	umucg run --name u-busy -- sh -c 'while :; do :; done' > /dev/null 2>&1 &
	wait_until 10 populated "$D/u-busy" || bad "u-busy never ran"
	umucg_run top -b -n 2 -d 0.5 --json
	expect_eq "unprivileged top" "$RC" 0
	last=$(echo "$OUT" | tail -n 1)
	expect_eq "the groups of the delegated subtree" "$(echo "$last" | jq -r '[.groups[].name] | join(",")')" u-busy
	expect_eq "base" "$(echo "$last" | jq -r .base)" "$D"
	cpu=$(echo "$last" | jq '.groups[0].cpu_percent | floor')
	expect_ge "u-busy's CPU %" "$cpu" 20
	umucg_run stop u-busy --grace 1
	expect_eq "stop u-busy" "$RC" 0
	wait
	finish
fi

cleanup_later "$SYS/busy" "$SYS/mem" "$SYS/idle" "$D"
umucg run --name busy --cpu-weight 100 -- sh -c 'while :; do :; done' > /dev/null 2>&1 &
umucg run --name mem --mem-max 200M --mem 150M -- memhog 40 100 > /dev/null 2>&1 &
umucg run --name idle --pids 10 -- sleep 100 > /dev/null 2>&1 &
for n in busy mem idle; do wait_until 10 populated "$SYS/$n" || bad "$n never ran"; done
wait_until 10 sh -c "[ \$(cat $SYS/mem/memory.current) -ge $((40 << 20)) ]" || bad "memhog never touched 40M"

umucg_run top -b -n 2 -d 0.5
expect_eq "top -b -n 2" "$RC" 0
expect_eq "two samples" "$(echo "$OUT" | grep -c '^umucg top - ')" 2
second=$(echo "$OUT" | awk '/^umucg top - /{n++} n==2')
# (memhog busy-loops over its pages too: busy and mem both take a CPU)
expect_eq "the idle group is last in the second sample" "$(echo "$second" | tail -n 1 | awk '{print $1}')" idle
for n in busy mem idle; do
	line=$(echo "$second" | awk -v n=$n '$1 == n')
	[ -n "$line" ] && ok "$n is listed" || bad "$n is not listed"
done
expect_eq "mem's limit column (memory.max)" "$(echo "$second" | awk '$1 == "mem" { print $6 }')" 200.0M

umucg_run top -b -n 2 -d 0.5 --json
expect_eq "top --json" "$RC" 0
expect_eq "one object per line" "$(echo "$OUT" | jq -c .iteration | tr '\n' ' ')" "1 2 "
last=$(echo "$OUT" | tail -n 1)
jg() { echo "$last" | jq -r ".groups[] | select(.name == \"$1\") | $2"; }
expect_eq "sorted by CPU %" "$(echo "$last" | jq '[.groups[].cpu_percent] | . == (sort | reverse)')" true
expect_eq "idle last" "$(echo "$last" | jq -r '.groups[-1].name')" idle
expect_ge "busy's CPU %" "$(jg busy '.cpu_percent | floor')" 30
expect_eq "idle's processes = cgroup.procs" "$(jg idle .processes)" "$(count_lines "$SYS/idle/cgroup.procs")"
expect_eq "mem's memory_max = memory.max" "$(jg mem .memory_max)" "$(cat "$SYS/mem/memory.max")"
expect_eq "mem's memory_high = memory.high" "$(jg mem .memory_high)" "$(cat "$SYS/mem/memory.high")"
expect_eq "idle's pids_max = pids.max" "$(jg idle .pids_max)" 10
now=$(cat "$SYS/mem/memory.current")
got=$(jg mem .memory_current)
expect_ge "mem's memory_current (>= 40M)" "$got" $((40 << 20))
diff=$((got - now)); [ $diff -lt 0 ] && diff=$((-diff))
if [ $diff -le $((4 << 20)) ]; then ok "memory_current $got is within 4M of memory.current $now"
else bad "memory_current $got vs memory.current $now"; fi
expect_ge "mem's peak >= its current" "$(jg mem .memory_peak)" "$got"
expect_eq "mem's command" "$(jg mem .command)" "memhog 40 100"
psi=$(jg mem '.pressure.memory.some_avg10')
case $psi in [0-9]*) ok "memory pressure is a number: $psi";; *) bad "memory pressure: $psi";; esac

for n in busy mem idle; do
	umucg_run stop $n --grace 1
	expect_eq "stop $n" "$RC" 0
done
wait

# The unprivileged half, in a subtree delegated by hand (as user.sh does).
DELEGATED="cpu io memory pids"
mkdir -p "$CG/umucg" && for c in $DELEGATED; do echo "+$c" > "$CG/umucg/cgroup.subtree_control"; done
mkdir "$D" "$S" || bad "mkdir $D $S"
for c in $DELEGATED; do echo "+$c" > "$D/cgroup.subtree_control" || bad "enable $c in $D"; done
for dir in "$D" "$S"; do
	chown 1000:1000 "$dir" "$dir/cgroup.procs" "$dir/cgroup.threads" "$dir/cgroup.subtree_control" || bad "chown $dir"
done
sh -c 'echo 0 > "$1/cgroup.procs" && exec runas 1000 1000 -- sh "$2" --as-user' sh "$S" "$0"
expect_eq "the unprivileged half" "$?" 0
remove_group "$D" && ok "delegated subtree removed"

finish
