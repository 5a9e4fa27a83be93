# logout: the session leaf a login got is removed when the session closes (the PAM
# module's close_session), and elogind's session is gone too.
# distro-timeout: 60
. /var/lib/umucg-test/lib.sh

as_user user "$T/logout.out" 'echo "cg=$(sed -n "s/^0:://p" /proc/self/cgroup) sid=$XDG_SESSION_ID"'
rc=$?
cat "$T/logout.out" | sed 's/^/  user| /'
expect_eq "the session ran" "$rc" 0
leaf=$(sed -n 's/^cg=\([^ ]*\) .*/\1/p' "$T/logout.out")
sid=$(sed -n 's/^cg=.* sid=//p' "$T/logout.out")
note "the session's leaf was $leaf (elogind session $sid)"
case $leaf in "" | / | "/$sid") bad "the session had no umucg leaf ($leaf)";; esac
wait_until 5 [ ! -e "$CG$leaf" ]
expect_absent "the session leaf after logout" "$CG$leaf"
wait_until 10 sh -c "! loginctl --no-pager --no-legend list-sessions | grep -q ."
expect_eq "elogind's sessions after logout" "$(sessions)" ""
# What stays: the delegation root (empty, reused by the next login) and elogind's own
# <mount>/<sid>, which elogind 246 never removes.
deleg=$(dirname "$leaf")
[ -d "$CG$deleg" ] && note "left: $deleg ($(find "$CG$deleg" -mindepth 1 -type d | wc -l) subdirectories)"
finish
