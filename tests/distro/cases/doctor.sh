# doctor: `umucg doctor` says yes to everything, as the user in their login session and
# as root (exit 0, every verdict line a yes, no NOT in the summary).
# distro-timeout: 60
. /var/lib/umucg-test/lib.sh

check() { # WHO FILE RC
	expect_eq "doctor as $1: exit" "$3" 0
	sed 's/^/#   /' "$2"
	nos=$(grep -E '^(no|warn)' "$2" | head -n5)
	expect_eq "doctor as $1: verdicts that are not yes" "$nos" ""
	grep -q '^yes ' "$2" && ok "doctor as $1 has yes verdicts" || bad "doctor as $1 said no 'yes' at all"
	grep -q 'NOT' "$2" && bad "doctor as $1: $(grep NOT "$2")"
}
umucg doctor > "$T/doctor-root.out" 2>&1
check root "$T/doctor-root.out" $?
as_user user "$T/doctor-user.out" 'umucg doctor'
check user "$T/doctor-user.out" $?
finish
