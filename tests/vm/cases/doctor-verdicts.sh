# doctor-verdicts: on a pure cgroup2 kernel doctor says yes to root, no (with the setup
# command for the user's shell by its pid, the PAM module and the boot service) to a
# user outside any delegated subtree, and no (with the fix) for a base whose parent does
# not hand down the controllers; where limits do not work it says what run does without
# them (a group where one can be made, else a plain subreaper).
# vm-timeout: 60
. /tests/lib.sh

# A cgroup directory to probe features in (a fresh boot may have none), and, below it,
# a base whose parent does not hand down the controllers.
P=$CG/doctor-bare
cleanup_later "$P"
mkdir -p "$P/base"

umucg_run doctor
expect_eq "doctor as root" "$RC" 0
case $OUT in *"cgroup mode:     pure "*) ok "mode pure";; *) bad "mode line";; esac
case $OUT in *"cgroup v1 holds: nothing"*) ok "nothing held by v1";; *) bad "v1 line";; esac
for f in "clone3 into cgroup" "cgroup.kill" "user xattrs"; do
	case $OUT in *"yes  $f: "*) ok "feature $f";; *) bad "feature $f not found";; esac
done
case $OUT in *"works for root"*) ok "verdict works";; *) bad "verdict";; esac
case $OUT in *"without limits:"*) bad "a without-limits line where limits work";;
*) ok "no without-limits line";; esac

runas 1000 1000 -- umucg doctor > /tmp/doc.out 2>&1
rc=$?
sed 's/^/#   /' /tmp/doc.out
expect_eq "doctor as a user without delegation" "$rc" 1
grep -q "^no   delegated subtree: " /tmp/doc.out && ok "says no delegation" || bad "no delegation line"
grep -q "fix: as root: 'umucg setup --user user --session [0-9][0-9]*' for this shell (pid [0-9][0-9]*); .*'session optional pam_umucg.so' in the session stack.*'rc-update add umucg boot'" /tmp/doc.out &&
	ok "gives the setup command with the shell's pid, the PAM module and the boot service" ||
	bad "fix line"
grep -q -e '\$\$' -e pam_exec /tmp/doc.out && bad "a \$\$ for root's shell, or pam_exec" || ok "no \$\$, no pam_exec"
grep -q "^without limits:  'umucg run -- CMD' still runs CMD, with one warning, as a plain subreaper" /tmp/doc.out &&
	ok "run without a group: a plain subreaper" || bad "without-limits line for the user"

# The base below a parent without controllers in its subtree_control.
umucg_run --base "$P/base" doctor
expect_eq "doctor for a bare base" "$RC" 1
case $OUT in *"no   memory controller: offered by cgroup2 but not enabled down to the base"*)
	ok "memory: not enabled down to the base";; *) bad "memory line";; esac
case $OUT in *"fix: as root: 'umucg setup'"*) ok "fix: umucg setup";; *) bad "fix for the bare base";; esac
case $OUT in *"without limits:  'umucg run -- CMD' works for root: a group, a subreaper, cgroup.events and cgroup.kill. Only the limits are missing: memory, pids, cpu and io cannot be used here (see above); run warns and runs without those limits (with --strict it fails instead)"*)
	ok "run without limits works in the bare base";; *) bad "without-limits line for the bare base";; esac
finish
