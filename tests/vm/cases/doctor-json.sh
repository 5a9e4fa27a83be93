# doctor-json: on a pure cgroup2 kernel doctor --json (and --json doctor) gives root the
# verdict true with every controller usable, a user outside any delegated subtree false
# with the setup fix (the shell's pid, the PAM module) and no supervision, and a base
# whose parent does not hand down the controllers "not-enabled" with supervision still
# working; the exit status matches the verdict. The image has no jq: the output
# is one compact line, so fixed substrings are matched.
# vm-timeout: 60
. /tests/lib.sh

has() { # WHAT TEXT NEEDLE
	case $2 in *"$3"*) ok "$1";; *) bad "$1: no '$3'";; esac
}

# A cgroup directory to probe features in, and below it a bare base.
P=$CG/doctor-json-bare
cleanup_later "$P"
mkdir -p "$P/base"

umucg_run doctor --json
expect_eq "doctor --json as root" "$RC" 0
expect_eq "one line of JSON" "$(count_lines "$TMPOUT.out")" 1
expect_eq "nothing on stderr" "$ERR" ""
J=$OUT
has "mode pure" "$J" '"cgroup_mode":"pure"'
has "mount" "$J" "\"cgroup2_mount\":\"$CG\""
has "nothing held by v1" "$J" '"hierarchies":[]'
for c in memory pids cpu io; do
	has "$c usable" "$J" "\"$c\":{\"state\":\"usable\",\"v1_path\":null}"
done
has "system base" "$J" "\"path\":\"$SYS\",\"source\":\"system\""
has "features" "$J" '"features":{"clone_into_cgroup":true,"cgroup_kill":true,"cgroup_freeze":true,"user_xattr":true}'
has "setup capabilities" "$J" '"enough_for_setup":true'
has "no no" "$J" '"nos":0,'
has "verdict true" "$J" '"supervision_works":true,"run_with_limits_works":true}'

umucg_run --json doctor
expect_eq "--json doctor as root" "$RC" 0
expect_eq "--json before or after doctor: the same object" "$OUT" "$J"

runas 1000 1000 -- umucg doctor --json > /tmp/docj.out 2>&1
rc=$?
sed 's/^/#   /' /tmp/docj.out
U=$(cat /tmp/docj.out)
expect_eq "doctor --json as a user without delegation" "$rc" 1
has "no base" "$U" '"base":null,'
has "not delegated" "$U" '"delegation_needed":true,"delegated_subtree":false'
has "delegation check with the setup fix" "$U" "\"id\":\"delegated_subtree\",\"what\":\"delegated subtree\",\"ok\":false,\"blocking\":true"
has "the setup command" "$U" "umucg setup --user user --session "
has "the PAM module" "$U" "'session optional pam_umucg.so'"
case $U in *'$$'*|*pam_exec*) bad "a \$\$ for root's shell, or pam_exec";; *) ok "no \$\$, no pam_exec";; esac
has "verdict false, no group" "$U" '"supervision_works":false,"run_with_limits_works":false}'

umucg_run --base "$P/base" doctor --json
expect_eq "doctor --json for a bare base" "$RC" 1
has "memory not enabled down to the base" "$OUT" '"memory":{"state":"not-enabled","v1_path":null}'
has "explicit base" "$OUT" "\"path\":\"$P/base\",\"source\":\"explicit\""
has "verdict false, a group" "$OUT" '"supervision_works":true,"run_with_limits_works":false}'
finish
