# limits: --cpu-weight, --cpu-max, --io-weight, --swap-max (and the memory and pids
# limits) are written with the values and syntax the kernel expects; bad ones create nothing.
# vm-timeout: 60
. /tests/lib.sh

g=$SYS/limits
cleanup_later "$g"

# A base first made by a run without limits must still get its controllers enabled
# when a later run asks for limits: start from no base at all, whatever ran before.
rmdir "$SYS" "$CG/umucg" 2>/dev/null
umucg_run run --name limits-first -- true
expect_eq "run without limits on a fresh base" "$RC" 0
umucg_run run --name limits --keep --mem 64M --pids 10 -- true
expect_eq "run with limits on a base made without them" "$RC" 0
expect_eq "memory.high on that base" "$(cat "$g/memory.high" 2>/dev/null)" 67108864
rmdir "$g" 2>/dev/null
# Whatever that found, the rest of this case starts from a fresh base again.
rmdir "$SYS" "$CG/umucg" 2>/dev/null
umucg_run run --name limits --keep --cpu-weight 250 --cpu-max 150% --io-weight 300 \
	--swap-max 64M --mem 1.5G --mem-max 2G --pids 77 -- true
expect_eq "run status" "$RC" 0
expect_eq "cpu.weight" "$(cat "$g/cpu.weight")" 250
expect_eq "cpu.max for 150%" "$(cat "$g/cpu.max")" "150000 100000"
expect_eq "io.weight" "$(cat "$g/io.weight")" "default 300"
expect_eq "memory.swap.max" "$(cat "$g/memory.swap.max")" 67108864
expect_eq "memory.high for 1.5G" "$(cat "$g/memory.high")" 1610612736
expect_eq "memory.max" "$(cat "$g/memory.max")" 2147483648
expect_eq "pids.max" "$(cat "$g/pids.max")" 77
rmdir "$g" && ok "kept group removed"

umucg_run run --name limits --keep --cpu-max 50% --mem max --swap-max 0 -- true
expect_eq "run status" "$RC" 0
expect_eq "cpu.max for 50%" "$(cat "$g/cpu.max")" "50000 100000"
expect_eq "memory.high for max" "$(cat "$g/memory.high")" max
expect_eq "memory.swap.max for 0" "$(cat "$g/memory.swap.max")" 0
rmdir "$g" && ok "kept group removed"

# Parse, validate, then act: a bad limit is a usage error and makes no group.
for bad in "--mem 12Q" "--mem -1" "--cpu-weight 0" "--cpu-weight 10001" "--io-weight 0" "--pids x" "--cpu-max abc%" "--cpu-max -50%" "--swap-max 1X"; do
	umucg_run run --name limits $bad -- true
	expect_eq "run $bad" "$RC" 125
	case $ERR in umucg:*) ok "error message starts with 'umucg:'";; *) bad "error message for $bad: '$ERR'";; esac
	expect_absent "no group for $bad" "$g"
done

finish
