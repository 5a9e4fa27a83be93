# cpus: --cpus writes cpuset.cpus (the cpuset controller enabled down to the base) and pins
# CMD (its Cpus_allowed_list); CPUs the base does not have, and bad lists, are refused
# before anything is made; create and set take it too, max gives back every CPU;
# --mem-low writes memory.low. status shows both.
# vm-timeout: 90
. /tests/lib.sh

g=$SYS/pin
cleanup_later "$g" "$SYS/made"
ncpu=$(nproc)
note "the VM has $ncpu CPUs: $(cat $CG/cpuset.cpus.effective)"

# Start from no base at all: run must enable cpuset on the way down.
rmdir "$SYS" "$CG/umucg" 2>/dev/null
for cpus in 0 1 0-1; do
	umucg_run run --name pin --keep --cpus $cpus -- grep Cpus_allowed_list /proc/self/status
	expect_eq "--cpus $cpus: status" "$RC" 0
	expect_eq "--cpus $cpus: CMD's Cpus_allowed_list" "$OUT" "$(printf 'Cpus_allowed_list:\t%s' $cpus)"
	expect_eq "--cpus $cpus: cpuset.cpus" "$(cat "$g/cpuset.cpus")" $cpus
	rmdir "$g"
done
case " $(cat "$SYS/../cgroup.subtree_control") " in *" cpuset "*) ok "cpuset enabled above the base";;
*) bad "cpuset not enabled in $CG/umucg";; esac

# Children of a pinned CMD stay pinned.
umucg_run run --name pin --cpus 1 -- sh -c 'sh -c "grep Cpus_allowed_list /proc/self/status"'
expect_eq "a grandchild's Cpus_allowed_list" "$OUT" "$(printf 'Cpus_allowed_list:\t1')"

# CPUs that are not there: 125, naming them and what there is; nothing made.
umucg_run run --name pin --cpus 0-3 -- true
expect_eq "--cpus 0-3 on 2 CPUs" "$RC" 125
case $ERR in "umucg: --cpus 0-3: CPUs 2-3 are not available here"*"hint: "*"0-1"*) ok "the error names 2-3 and 0-1";;
*) bad "the error: $ERR";; esac
expect_absent "no group for --cpus 0-3" "$g"
umucg_run run --name pin --cpus 5 -- true
case $ERR in "umucg: --cpus 5: CPU 5 is not available here"*) ok "the error names CPU 5";; *) bad "the error: $ERR";; esac
for badlist in "" x 1-0 0, "0 1" -1 9999; do
	umucg_run run --name pin --cpus "$badlist" -- true
	expect_eq "--cpus '$badlist'" "$RC" 125
	case $ERR in "umucg: --cpus"*) ok "the error names --cpus";; *) bad "the error for '$badlist': $ERR";; esac
	expect_absent "no group for --cpus '$badlist'" "$g"
done

# create, set, max; --mem-low beside it.
umucg_run create made --cpus 1 --mem-low 32M
expect_eq "create --cpus 1 --mem-low 32M" "$RC" 0
expect_eq "cpuset.cpus after create" "$(cat "$SYS/made/cpuset.cpus")" 1
expect_eq "memory.low after create" "$(cat "$SYS/made/memory.low")" 33554432
umucg_run set made --cpus 0 --mem-low 1G
expect_eq "set --cpus 0 --mem-low 1G" "$RC" 0
expect_eq "cpuset.cpus after set" "$(cat "$SYS/made/cpuset.cpus")" 0
expect_eq "memory.low after set" "$(cat "$SYS/made/memory.low")" 1073741824
umucg_run status made
case $OUT in *"     CPUs: 0 (effective 0)"*) ok "status shows the CPUs";; *) bad "status CPUs line";; esac
case $OUT in *"memory.low 1.0G"*) ok "status shows memory.low";; *) bad "status memory.low";; esac
umucg_run status made --json
expect_eq "status --json cpuset" "$(echo "$OUT" | sed -n 's/.*"cpuset":\({[^}]*}\).*/\1/p')" '{"cpus":"0","cpus_effective":"0"}'
umucg_run set made --cpus 7
expect_eq "set --cpus 7" "$RC" 125
expect_eq "cpuset.cpus unchanged by a refused set" "$(cat "$SYS/made/cpuset.cpus")" 0
umucg_run set made --cpus max
expect_eq "set --cpus max" "$RC" 0
expect_eq "cpuset.cpus after max (empty: the parent's)" "$(cat "$SYS/made/cpuset.cpus")" ""
expect_eq "cpuset.cpus.effective after max" "$(cat "$SYS/made/cpuset.cpus.effective")" "$(cat "$SYS/cpuset.cpus.effective")"
umucg_run stop made
expect_eq "stop made" "$RC" 0

finish
