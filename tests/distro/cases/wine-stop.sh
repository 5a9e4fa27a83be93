# wine-stop: `umucg stop` during a Wine program ends the whole Wine tree: wineserver
# (double-forked), services.exe, winedevice.exe, the program; nothing left in the group
# or in the process table. The user does it unprivileged, from the same login session.
# distro-timeout: 300
. /var/lib/umucg-test/lib.sh
# What a Wine tree is made of here (Debian's wine64: the loader is wine64, the server
# wineserver64); the program is Wine's ping (no network in the guest: it fails each
# echo after a second, and so runs for about two minutes).
WINE_PROCS='wine64|wine|wineserver|wineserver64|wine64-preloader|services.exe|winedevice.exe|plugplay.exe|explorer.exe|rpcss.exe|svchost.exe|start.exe|cmd.exe|ping|ping.exe|wineboot.exe|winemenubuilder'

if [ "${1:-}" = --as-user ]; then
	export WINEDEBUG=-all
	umucg run --name wine-stop -- wine cmd /c ping -n 120 127.0.0.1 > /tmp/wine-stop-run.out 2>&1 &
	run=$!
	g=
	wait_until 30 sh -c "find $CG -type d -name wine-stop | grep -q ." && g=$(find "$CG" -type d -name wine-stop | head -n1)
	[ -n "$g" ] || { bad "no group wine-stop"; kill "$run"; wait "$run"; finish; }
	tree() { for p in $(cat "$g/cgroup.procs" 2>/dev/null); do cat "/proc/$p/comm" 2>/dev/null; done | sort | tr '\n' ' '; }
	has() { case " $(tree) " in *" $1 "*) return 0;; esac; return 1; }
	# Wine under TCG takes a minute or two to bring its services up.
	end=$(($(now) + 170))
	until { has wineserver || has wineserver64; } && has services.exe && has winedevice.exe && { has ping || has ping.exe; }; do
		[ "$(now)" -ge $end ] && break
		sleep 0.5
	done
	note "the tree before stop: $(tree)"
	{ has wineserver || has wineserver64; } && ok "wineserver runs in the group" || bad "wineserver never ran in the group"
	for p in services.exe winedevice.exe; do has "$p" && ok "$p runs in the group" || bad "$p never ran in the group"; done
	has ping || has ping.exe && ok "the program (ping) runs" || bad "ping never ran"
	umucg stop wine-stop
	expect_eq "umucg stop" "$?" 0
	# stop is signal, grace, cgroup.kill, remove: when it returns the tree is gone
	# (not later, when the program would have ended by itself).
	expect_eq "the user's Wine processes when stop returned" "$(procs_matching "$WINE_PROCS" user)" ""
	[ -d "$g" ] && populated "$g" && bad "the group is still populated when stop returned"
	wait_until 30 sh -c "! kill -0 $run 2>/dev/null" || bad "umucg run still runs 30 s after stop"
	wait "$run"
	note "umucg run exited $?: $(tr '\n' ' ' < /tmp/wine-stop-run.out | head -c 200)"
	expect_eq "the user's Wine processes when run returned" "$(procs_matching "$WINE_PROCS" user)" ""
	expect_absent "the group after stop" "$g"
	finish
fi

show_later "$T/wine-stop.out" /tmp/wine-stop-run.out
as_user user "$T/wine-stop.out" "sh $T/cases/wine-stop.sh --as-user"
rc=$?
sed 's/^/  user| /' "$T/wine-stop.out"
expect_eq "the user's half" "$rc" 0
left=$(ps -o pid=,comm= -u user | tr -s ' \n' ' ')
expect_eq "the user's processes after stop and logout" "$left" ""
expect_eq "Wine processes in the process table" "$(procs_matching "$WINE_PROCS")" ""
rm -f /tmp/wine-stop-run.out
finish
