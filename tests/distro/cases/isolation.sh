# isolation: a second user cannot touch the first user's groups: list, stop, set, freeze
# and move of user's live group as user2 fail with 125 and change nothing (the group,
# its limits, its processes stay as they were).
# distro-timeout: 120
. /var/lib/umucg-test/lib.sh

show_later "$T/isolation.out" "$T/isolation2.out"
as_user_bg user "$T/isolation.out" 'umucg run --name mine --mem 128M -- sleep 120; echo "rc=$?"'
g=
wait_until 30 sh -c "find $CG -type d -name mine | grep -q ." && g=$(find "$CG" -type d -name mine | head -n1)
[ -n "$g" ] && wait_until 10 populated "$g" || { bad "user's group 'mine' never ran"; finish; }
base=$(dirname "$g")
game=$(pids_of user sleep)
note "user's group ${g#$CG}, its process $game"
before="$(cat "$g/memory.high") $(cat "$g/pids.max") $(cat "$g/cgroup.freeze") $(cat "$g/cgroup.procs" | tr '\n' ,)"

# Each attempt as user2, in a login session of their own; by name and with --base.
as_user user2 "$T/isolation2.out" "
try() { umucg \"\$@\" > /dev/null 2> /tmp/iso.err; echo \"rc=\$? umucg \$*: \$(head -n1 /tmp/iso.err)\"; }
try list
try --base $base list
try stop mine
try --base $base stop mine
try --base $base stop mine --signal KILL --grace 0
try --base $base set mine --mem 1G
try --base $base freeze mine
try --base $base kill mine
try --base $base move mine \$\$
try --base $base status mine
rm -f /tmp/iso.err"
sed 's/^/  user2| /' "$T/isolation2.out"
while read -r line; do
	case $line in rc=*) ;; *) continue;; esac
	rc=${line%% *}
	what=${line#* }
	what=${what%%:*}
	case $what in
	"umucg list") # user2's own (empty) base: fine, and user's group is not in it
		case $line in *mine*) bad "user2's list shows user's group";; *) ok "user2's own list does not show user's group";; esac;;
	*) expect_eq "$what as user2" "$rc" rc=125;;
	esac
done < "$T/isolation2.out"
after="$(cat "$g/memory.high") $(cat "$g/pids.max") $(cat "$g/cgroup.freeze") $(cat "$g/cgroup.procs" | tr '\n' ,)"
expect_eq "user's group (memory.high pids.max freeze procs) after user2's attempts" "$after" "$before"
expect_eq "user's game still runs" "$(pids_of user sleep)" "$game"
# Done: the user's own umucg run ends its group on TERM.
kill "$(pgrep -u user -x umucg)"
wait "$SU_PID"
sed 's/^/  user| /' "$T/isolation.out"
expect_absent "user's group after its run ended" "$g"
finish
