# wine-run: the user, unprivileged in their login session, runs a Windows program under
# 64-bit Wine (prefix made when the image was built): `umucg run --mem 256M --pids 64 --
# wine cmd /c exit 3` returns 3 once wineserver is gone; memory.high and pids.max of the
# group, read while it runs, are the limits; the group is removed after.
# distro-timeout: 240
. /var/lib/umucg-test/lib.sh

show_later "$T/wine-run.out"
as_user_bg user "$T/wine-run.out" 'export WINEDEBUG=-all
umucg run --name wine-exit --mem 256M --pids 64 -- wine cmd /c exit 3
echo "rc=$?"
echo "wineserver-after=$(ps -o pid=,comm= -u user | awk "\$2 ~ /^wineserver(64)?\$/")"'
# The group, found wherever the user's base is; its limits while Wine runs.
g=
wait_until 60 sh -c "find $CG -type d -name wine-exit | grep -q ." && g=$(find "$CG" -type d -name wine-exit | head -n1)
if [ -n "$g" ]; then
	high=$(cat "$g/memory.high" 2>/dev/null)
	max=$(cat "$g/pids.max" 2>/dev/null)
	pop=$(key "$g/cgroup.events" populated)
	procs=$(for p in $(cat "$g/cgroup.procs" 2>/dev/null); do cat /proc/$p/comm; done 2>/dev/null | tr '\n' ' ')
	note "group ${g#$CG}, populated=$pop, processes: $procs"
	expect_eq "memory.high while it runs" "$high" 268435456
	expect_eq "pids.max while it runs" "$max" 64
	expect_eq "the user owns the group" "$(owner "$g")" user:user
else
	bad "the group wine-exit never appeared"
fi
wait "$SU_PID"
cat "$T/wine-run.out" | sed 's/^/  user| /'
expect_eq "umucg run's exit status (cmd's)" "$(sed -n 's/^rc=//p' "$T/wine-run.out")" 3
expect_eq "wineserver when run returned" "$(sed -n 's/^wineserver-after=//p' "$T/wine-run.out")" ""
[ -n "$g" ] && expect_absent "the group after run" "$g"
expect_eq "the user's processes left" "$(procs_matching '.*' user)" ""
finish
