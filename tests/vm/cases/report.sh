# report: run --report prints one summary on stderr; with --json one JSON object whose
# CPU time, memory peak, process peak, IO bytes and event counters are the kept group's
# own files (cpu.stat, memory.peak, pids.peak, io.stat, memory.events, pids.events);
# status shows the same figures and the pressure stalls.
# vm-timeout: 90
. /tests/lib.sh

command -v jq > /dev/null || { echo "SKIP: jq is not in the image (install jq on the host)"; exit 77; }
g=$SYS/rep
cleanup_later "$g"

# Some CPU, 24M of memory, a few processes, throttling at memory.high.
umucg_run --json run --name rep --keep --report --mem 20M --pids 50 --io-weight 100 -- \
	sh -c 'memhog 21 > /dev/null & memhog 4 0.5 > /dev/null & i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; wait'
expect_eq "run --report --json status" "$RC" 0
expect_eq "stdout" "$OUT" ""
expect_eq "stderr parses as one object" "$(echo "$ERR" | jq -c type)" '"object"'
expect_eq "one line" "$(echo "$ERR" | wc -l | tr -d ' ')" 1
j() { echo "$ERR" | jq -r "$1"; }
expect_eq "group" "$(j .group)" rep
expect_eq "exit_code" "$(j .exit_code)" 0
expect_eq "cpu_usec = cpu.stat usage_usec" "$(j .cpu_usec)" "$(key "$g/cpu.stat" usage_usec)"
expect_eq "cpu_user_usec = cpu.stat user_usec" "$(j .cpu_user_usec)" "$(key "$g/cpu.stat" user_usec)"
expect_eq "cpu_system_usec = cpu.stat system_usec" "$(j .cpu_system_usec)" "$(key "$g/cpu.stat" system_usec)"
expect_ge "cpu_usec" "$(j .cpu_usec)" 1000
expect_eq "memory_peak_bytes = memory.peak" "$(j .memory_peak_bytes)" "$(cat "$g/memory.peak")"
expect_ge "memory_peak_bytes (the 21M hog ran)" "$(j .memory_peak_bytes)" $((12 << 20))
expect_eq "memory_peak_sampled" "$(j .memory_peak_sampled)" false
if [ -f "$g/pids.peak" ]; then
	expect_eq "pids_peak = pids.peak" "$(j .pids_peak)" "$(cat "$g/pids.peak")"
	expect_ge "pids_peak (sh and two hogs)" "$(j .pids_peak)" 3
else
	expect_eq "pids_peak without pids.peak" "$(j .pids_peak)" null
fi
expect_eq "io_read_bytes (io.stat, no block IO: 0, not null)" "$(j .io_read_bytes)" 0
expect_eq "memory_high_events = memory.events high" "$(j .memory_high_events)" "$(key "$g/memory.events" high)"
expect_ge "memory_high_events (throttled above 16M)" "$(j .memory_high_events)" 1
expect_eq "oom_kills" "$(j .oom_kills)" 0
expect_eq "pids_max_refusals" "$(j .pids_max_refusals)" 0
expect_ge "wall_usec" "$(j .wall_usec)" 500000
for r in cpu memory io; do
	if [ -f "$g/$r.pressure" ]; then
		tot=$(sed -n 's/^some .*total=//p' "$g/$r.pressure")
		expect_eq "pressure.$r.some_total_usec = $r.pressure" "$(j ".pressure.$r.some_total_usec")" "$tot"
	else
		expect_eq "pressure.$r without PSI" "$(j ".pressure.$r")" null
	fi
done
expect_eq "limit_hit" "$(echo "$ERR" | jq -c .limit_hit)" '{"memory":null,"pids":null}'

# status of the kept group: the same figures, for people and as JSON.
umucg_run status rep
expect_eq "status" "$RC" 0
case $OUT in *"      CPU: "*"(user "*", system "*) ok "status shows user and system CPU";; *) bad "status CPU line";; esac
case $OUT in *"       IO: read 0B, written "*) ok "status shows IO bytes";; *) bad "status IO line";; esac
case $OUT in *" Pressure: cpu some "*"memory some "*"full "*) ok "status shows pressure";; *) bad "status pressure";; esac
umucg_run status rep --json
expect_eq "status --json pressure.memory total" "$(echo "$OUT" | jq .pressure.memory.some_total_usec)" \
	"$(sed -n 's/^some .*total=//p' "$g/memory.pressure")"
expect_eq "status --json io.read_bytes" "$(echo "$OUT" | jq .io.read_bytes)" 0
expect_eq "status --json cpu.user_usec" "$(echo "$OUT" | jq .cpu.user_usec)" "$(key "$g/cpu.stat" user_usec)"
rmdir "$g" && ok "kept group removed"

# The text report, once.
umucg_run run --name rep --report -- true
expect_eq "run --report status" "$RC" 0
case $ERR in "umucg: report for rep (exit status 0)"*"memory peak"*"processes peak"*"forks refused  0 (pids.max)"*)
	ok "the text report";; *) bad "the text report: $ERR";; esac

finish
