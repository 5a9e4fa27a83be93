# doctor-verdicts: on a pure cgroup2 kernel doctor says yes to root, no (with the setup
# command and the PAM line) to a user outside any delegated subtree, and no (with the
# fix) for a base whose parent does not hand down the controllers.
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

runas 1000 1000 -- umucg doctor > /tmp/doc.out 2>&1
rc=$?
sed 's/^/#   /' /tmp/doc.out
expect_eq "doctor as a user without delegation" "$rc" 1
grep -q "^no   delegated subtree: " /tmp/doc.out && ok "says no delegation" || bad "no delegation line"
grep -q "fix: as root: 'umucg setup --user user --session \$\$'.*pam_umucg.so" /tmp/doc.out &&
	ok "gives the setup command and the PAM line" || bad "fix line"

# The base below a parent without controllers in its subtree_control.
umucg_run --base "$P/base" doctor
expect_eq "doctor for a bare base" "$RC" 1
case $OUT in *"no   memory controller: offered by cgroup2 but not enabled down to the base"*)
	ok "memory: not enabled down to the base";; *) bad "memory line";; esac
case $OUT in *"fix: as root: 'umucg setup'"*) ok "fix: umucg setup";; *) bad "fix for the bare base";; esac
finish
