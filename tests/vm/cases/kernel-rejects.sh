# kernel-rejects: a limit umucg's parser takes but the kernel refuses (pids.max above
# PID_MAX_LIMIT: EINVAL) fails run and create with 125 and a message naming the file and
# the kernel's reason, and leaves no group, no process and no zombie; CMD never starts.
# On a live group, set fails the same way and changes no limit (those written
# before the refused one are put back) nor its tree.
# vm-timeout: 90
. /tests/lib.sh

g=$SYS/krej
live=$SYS/krej-live
probe=$SYS/krej-probe
flag=/tmp/krej-started
cleanup_later "$g" "$live" "$probe"
rm -f "$flag"

# The kernel's bound, asked of the kernel itself in a scratch group (pids_max_write:
# a limit >= PID_MAX_LIMIT + 1 is EINVAL; PID_MAX_LIMIT is 4194304 on 64-bit).
umucg_run create krej-probe --pids 1
expect_eq "probe group made" "$RC" 0
if echo 4194304 > "$probe/pids.max" 2>/dev/null; then ok "the kernel takes pids.max 4194304"; else bad "the kernel refuses pids.max 4194304"; fi
if echo 4194305 > "$probe/pids.max" 2>/dev/null; then
	bad "the kernel takes pids.max 4194305: this case needs another rejected value"
else
	ok "the kernel refuses pids.max 4194305"
fi
expect_eq "pids.max after the refused write" "$(cat "$probe/pids.max")" 4194304
rmdir "$probe" && ok "probe group removed"

too_many=4194305

# kernel_refused WHAT: the last command failed as a kernel refusal of pids.max should.
kernel_refused() {
	expect_eq "$1: status" "$RC" 125
	case $ERR in
	"umucg: "*"pids.max"*"$too_many"*"Invalid argument"*) ok "$1: the message names pids.max, the value and EINVAL";;
	*) bad "$1: message '$ERR'";;
	esac
	expect_absent "$1: no group" "$g"
}

# run: the group is made, limits are written, the kernel refuses the last one; the group
# must go and CMD must never run. Earlier limits (memory.high, written first) do not keep it.
for spawn in clone3 fork; do
	export UMUCG_SPAWN=$spawn
	umucg_run run --name krej --pids $too_many -- sh -c "echo > $flag; exec sleep 300"
	kernel_refused "run --pids $too_many ($spawn)"
	umucg_run run --name krej --mem 64M --cpu-weight 200 --pids $too_many -- sh -c "echo > $flag; exec sleep 300"
	kernel_refused "run --mem --cpu-weight --pids $too_many ($spawn)"
done
unset UMUCG_SPAWN
expect_absent "CMD never started" "$flag"
expect_no_process sleep
# Nothing else stayed in the base either (a stray group of any name).
left=$(cd "$SYS" && ls -d krej* 2>/dev/null | tr '\n' ' ')
expect_eq "groups named krej* left in the base" "$left" ""
expect_eq "base populated" "$(key "$SYS/cgroup.events" populated)" 0

# create: the same, with nothing to run.
umucg_run create krej --pids $too_many
kernel_refused "create --pids $too_many"
umucg_run create krej --mem 64M --pids $too_many
kernel_refused "create --mem --pids $too_many"

# set on a live group: refused, the limit and the tree are untouched, the group stays.
umucg_run create krej-live --pids 20
expect_eq "live group made" "$RC" 0
umucg join krej-live -- sleep 300 &
joined=$!
wait_until 5 populated "$live"
umucg_run set krej-live --pids $too_many
expect_eq "set --pids $too_many: status" "$RC" 125
case $ERR in
"umucg: "*"pids.max"*"Invalid argument"*) ok "set: the message names pids.max and EINVAL";;
*) bad "set: message '$ERR'";;
esac
expect_eq "pids.max unchanged by the refused set" "$(cat "$live/pids.max")" 20
# All or nothing: limits written before the refused one are put back.
old_high=$(cat "$live/memory.high") old_weight=$(cat "$live/cpu.weight")
umucg_run set krej-live --mem 64M --cpu-weight 50 --pids $too_many
expect_eq "set --mem --cpu-weight --pids $too_many: status" "$RC" 125
expect_eq "memory.high put back after the refused set" "$(cat "$live/memory.high")" "$old_high"
expect_eq "cpu.weight put back after the refused set" "$(cat "$live/cpu.weight")" "$old_weight"
expect_eq "the joined sleep is still in the group" "$(cat "$live/cgroup.procs")" "$joined"
umucg_run stop krej-live
expect_eq "stop status" "$RC" 0
expect_absent "live group stopped" "$live"
wait "$joined" 2>/dev/null
expect_no_process sleep

finish
