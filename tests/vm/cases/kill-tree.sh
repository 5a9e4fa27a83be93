# kill-tree: a 1000-process tree (mostly double-forked orphans that ignore SIGTERM) is
# emptied by umucg on both spawn paths (clone3, fork fallback) and both kill paths
# (cgroup.kill, freeze fallback), and by --timeout; nothing is left. --kill-on-exit
# sends SIGTERM first: the orphans ignore it, so the kill comes after --grace.
# vm-timeout: 150
. /tests/lib.sh

for mode in "clone3 cgroup" "fork cgroup" "clone3 freeze" "fork freeze"; do
	set -- $mode
	spawn=$1 killer=$2
	g=$SYS/tree-$spawn-$killer
	cleanup_later "$g"
	if [ "$killer" = freeze ]; then
		export UMUCG_KILL=freeze
	else
		unset UMUCG_KILL
	fi
	UMUCG_SPAWN=$spawn umucg_run run --name "tree-$spawn-$killer" --keep --kill-on-exit --grace 1 -- proctree 1000
	expect_eq "[$mode] proctree status" "$RC" 0
	expect_eq "[$mode] the tree was whole inside the group" "$OUT" "proctree: ready=1000 procs=1001"
	expect_eq "[$mode] group empty after run" "$(key "$g/cgroup.events" populated)" 0
	expect_eq "[$mode] cgroup.procs empty" "$(count_lines "$g/cgroup.procs")" 0
	expect_eq "[$mode] group not left frozen" "$(key "$g/cgroup.events" frozen)" 0
	rmdir "$g" && ok "[$mode] kept group removed"
	expect_no_process proctree
done
unset UMUCG_KILL

# No --kill-on-exit: the root stays too and ignores SIGTERM, so only cgroup.kill after
# the grace period ends it.
umucg_run run --name tree-timeout --timeout 2 --grace 1 -- proctree 1000 --stay
expect_eq "timeout status" "$RC" 124
expect_absent "group removed by umucg" "$SYS/tree-timeout"
expect_no_process proctree

finish
