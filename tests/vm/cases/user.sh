# user: a subtree delegated to uid 1000 by the kernel's rules, with the user's shell in
# a leaf session-1: the user runs, lists, sets and stops groups there without privileges,
# and gets exit 125 for anything outside it.
# vm-timeout: 120
. /tests/lib.sh

D=$CG/umucg/user-1000
S=$D/session-1
DELEGATED="cpu io memory pids"

if [ "${1:-}" != --as-user ]; then
	# Root's half: what `umucg setup --user` and a PAM hook will do, made by hand here.
	mkdir -p "$CG/umucg" && ok "made $CG/umucg"
	for c in $DELEGATED; do echo "+$c" > "$CG/umucg/cgroup.subtree_control" || bad "enable $c in $CG/umucg"; done
	mkdir "$D" "$S" || bad "mkdir $D $S"
	for c in $DELEGATED; do echo "+$c" > "$D/cgroup.subtree_control" || bad "enable $c in $D"; done
	# The delegation root is the user's; the session leaf stays root's (as
	# setup --session and pam_umucg make it).
	chown 1000:1000 "$D" "$D/cgroup.procs" "$D/cgroup.threads" "$D/cgroup.subtree_control" ||
		bad "chown $D"
	# The user's shell starts in the session leaf, then drops to uid 1000.
	sh -c 'echo 0 > "$1/cgroup.procs" && exec runas 1000 1000 -- sh "$2" --as-user' sh "$S" "$0"
	expect_eq "the unprivileged half" "$?" 0
	left=$(find "$D" -mindepth 1 -type d ! -path "$S" | tr '\n' ' ')
	expect_eq "groups the user left in $D" "$left" ""
	remove_group "$D" && ok "delegated subtree removed"
	finish
fi

# --- uid 1000 from here on ------------------------------------------------------------
expect_eq "running as" "$(id -u):$(id -g)" "1000:1000"
expect_eq "the user's shell is in the session leaf" "$(cat /proc/self/cgroup)" "0::/umucg/user-1000/session-1"

umucg_run run -- true
expect_eq "unprivileged run -- true" "$RC" 0

cleanup_later "$D/u1"
umucg_run run --name u1 --keep --mem 32M --pids 50 --cpu-weight 50 -- cat /proc/self/cgroup
expect_eq "unprivileged run status" "$RC" 0
expect_eq "the group is made in the delegation root, beside the session" "$OUT" "0::/umucg/user-1000/u1"
expect_eq "group owner" "$(stat -c %u "$D/u1" 2>/dev/null)" 1000
expect_eq "memory.high" "$(cat "$D/u1/memory.high")" 33554432
expect_eq "pids.max" "$(cat "$D/u1/pids.max")" 50
expect_eq "cpu.weight" "$(cat "$D/u1/cpu.weight")" 50
rmdir "$D/u1" && ok "kept group removed by the user"

umucg_run run --name u-oom --mem-max 16M -- memhog 64
expect_eq "unprivileged --mem-max OOM" "$RC" 137
expect_absent "OOM group removed" "$D/u-oom"

for spawn in clone3 fork; do
	UMUCG_SPAWN=$spawn umucg_run run --name u-tree --kill-on-exit -- proctree 200
	expect_eq "[$spawn] unprivileged kill of a 200-process tree" "$RC" 0
	expect_eq "[$spawn] the tree was whole inside the group" "$OUT" "proctree: ready=200 procs=201"
	expect_absent "[$spawn] tree group removed" "$D/u-tree"
	expect_no_process proctree
done

# Outside the delegated subtree: a clear 125, and nothing made there.
for outside in "$CG/umucg" "$CG"; do
	umucg_run --base "$outside" run --name u-out -- true
	expect_eq "--base $outside (root-owned)" "$RC" 125
	case $ERR in umucg:*) ok "error message starts with 'umucg:'";; *) bad "error message: '$ERR'";; esac
	expect_absent "nothing made in $outside" "$outside/u-out"
done

# list, set, move, stop of a live group, unprivileged.
umucg run --name u-live -- sleep 300 > /dev/null 2>&1 &
runner=$!
cleanup_later "$D/u-live"
wait_until 5 populated "$D/u-live" && ok "live group is populated" || bad "live group never appeared"
umucg_run list
expect_eq "unprivileged list" "$RC" 0
case $OUT in *u-live*) ok "list shows u-live";; *) bad "list does not show u-live";; esac
# the login session's leaf has processes: list shows it, as a session, not a group
if echo "$OUT" | grep -Eq '^session-1 +session '; then ok "list shows session-1 as a session leaf"
else bad "list does not show session-1 as a session leaf"; fi
umucg_run set u-live --mem 64M --pids 40
expect_eq "unprivileged set" "$RC" 0
expect_eq "memory.high after set" "$(cat "$D/u-live/memory.high")" 67108864
expect_eq "pids.max after set" "$(cat "$D/u-live/pids.max")" 40
# Another user's process (init, root's) is not the caller's to move.
init_cg=$(cat /proc/1/cgroup)
umucg_run move u-live 1
expect_eq "moving root's pid 1" "$RC" 125
case $ERR in *"not yours to move"*) ok "the refusal says why";; *) bad "the refusal does not say why: $ERR";; esac
expect_eq "pid 1 stayed where it was" "$(cat /proc/1/cgroup)" "$init_cg"
expect_eq "nothing joined u-live" "$(count_lines "$D/u-live/cgroup.procs")" 1
umucg_run stop u-live --grace 1
expect_eq "unprivileged stop" "$RC" 0
umucg_run stop u-outside-nothing
expect_eq "stop of a group that does not exist" "$RC" 125
wait "$runner"
st=$?
case $st in
143 | 137) ok "the supervising run returned $st after the stop";;
*) bad "the supervising run returned $st after the stop, want 143 or 137";;
esac
wait_until 5 test ! -d "$D/u-live"
expect_absent "stopped group removed" "$D/u-live"
expect_no_process sleep

finish
