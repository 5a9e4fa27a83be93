# smoke: the VM is pure cgroup2 with every controller, and umucg runs a command inside its own group.
. /tests/lib.sh

controllers=" $(cat $CG/cgroup.controllers) "
for c in cpu io memory pids; do
	case $controllers in
	*" $c "*) ok "controller $c is available";;
	*) bad "controller $c is missing from $CG/cgroup.controllers:$controllers";;
	esac
done

sed 's/^/# mountinfo: /' /proc/self/mountinfo

umucg_run --version
expect_eq "umucg --version status" "$RC" 0

umucg_run run -- true
expect_eq "run -- true" "$RC" 0
expect_eq "nothing on stderr on success" "$ERR" ""
umucg_run run -- sh -c 'exit 3'
expect_eq "run passes the command's exit status" "$RC" 3

cleanup_later "$SYS/smoke"
umucg_run run --keep --name smoke -- cat /proc/self/cgroup
expect_eq "run: status" "$RC" 0
expect_eq "run: the command's own cgroup" "$OUT" "0::/umucg/system/smoke"
expect_present "--keep leaves the group" "$SYS/smoke"
expect_eq "kept group is empty" "$(key "$SYS/smoke/cgroup.events" populated)" 0
rmdir "$SYS/smoke" && ok "kept group removed by the test"

finish
