# run-spawn: on pure cgroup2, CMD's first instruction already runs in its group with
# its limits written, on both spawn paths (clone3 CLONE_INTO_CGROUP, fork + join);
# limits whose controllers exist need no --best-effort and print nothing.
# vm-timeout: 60
. /tests/lib.sh

for m in clone3 fork; do
	g=$SYS/spawn-$m
	cleanup_later "$g"
	UMUCG_SPAWN=$m umucg_run run --name "spawn-$m" --mem 64M --pids 20 --cpu-weight 50 -- \
		cat /proc/self/cgroup "$g/memory.high" "$g/pids.max" "$g/cpu.weight"
	expect_eq "$m: status" "$RC" 0
	expect_eq "$m: cgroup, limits as CMD first sees them" "$(echo "$OUT" | tr '\n' ' ')" \
		"0::/umucg/system/spawn-$m 67108864 20 50 "
	expect_eq "$m: nothing on stderr" "$ERR" ""
	expect_absent "$m: group removed" "$g"
done

# --best-effort on a host that has every controller: same result, no warning
g=$SYS/spawn-be
cleanup_later "$g"
umucg_run run --best-effort --name spawn-be --mem 32M -- cat "$g/memory.high"
expect_eq "best-effort status" "$RC" 0
expect_eq "best-effort memory.high" "$OUT" 33554432
expect_eq "best-effort warns about nothing" "$ERR" ""

finish
