# exit-codes: the command's status, 128+N, 124, 125, 126, 127 as DESIGN.md says, and
# a failed start leaves no group behind.
# vm-timeout: 60
. /tests/lib.sh

umucg_run run --name ec -- sh -c 'exit 7'
expect_eq "command's own status" "$RC" 7
umucg_run run --name ec -- sh -c 'kill -TERM $$'
expect_eq "killed by SIGTERM" "$RC" 143
umucg_run run --name ec --timeout 1 -- sleep 30
expect_eq "--timeout" "$RC" 124
umucg_run run --name ec -- /no/such/command
expect_eq "command not found" "$RC" 127
umucg_run run --name ec -- /etc/passwd
expect_eq "command not executable" "$RC" 126
umucg_run run --no-such-option -- true
expect_eq "unknown option" "$RC" 125
case $ERR in umucg:*) ok "error message starts with 'umucg:'";; *) bad "error message: '$ERR'";; esac
umucg_run run --name ../escape -- true
expect_eq "name with a slash" "$RC" 125
expect_absent "nothing made outside the base" "$CG/umucg/escape"
expect_absent "no group left by failed runs" "$SYS/ec"
expect_no_process sleep

finish
