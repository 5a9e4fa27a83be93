#!/bin/sh
# test-flatpak-scope.sh - runs the flatpak-scope pair without flatpak: the
# "sandbox" is a child that is given only the group's path. Root only, on a
# cgroup2 mount; a TAP skip otherwise. Run by 'make check', whose driver for
# .sh tests speaks TAP.
#   1: create outside, inside.sh joins by path, stop
#   2: outside.sh itself, with its default limit (--mem 4G) and a stand-in
#      for 'flatpak run': on a host whose cgroup2 lacks the memory controller
#      (hybrid) it warns once, without advice that create rejects, and the
#      game still runs inside the group; the status passes through and the
#      group is gone afterwards.
set -u
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }
mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo 2>/dev/null)
[ -n "$mnt" ] || { echo "1..0 # SKIP no cgroup2 mount"; exit 0; }
echo "1..2"
here=$(cd "$(dirname "$0")" && pwd)
bin=${UMUCG_BIN:?UMUCG_BIN is not set: run through make check}
base=$mnt/umucg-example-$$
tmp=$(mktemp -d) || exit 99
mkdir "$base" || exit 99
trap 'rm -rf "$tmp"' EXIT

fail=0
path=$("$bin" --base "$base" create fpk) || fail=1
[ "$path" = "$base/fpk" ] || { echo "# create printed '$path'"; fail=1; }
# inside: only the path is known; no UMUCG_BASE, no mountinfo lookup needed
got=$(env -u UMUCG_BASE UMUCG_BIN="$bin" UMUCG_GROUP_PATH="$path" \
	"$here/inside.sh" fpk sh -c 'grep "^0::" /proc/self/cgroup')
[ "$got" = "0::${path#"$mnt"}" ] || { echo "# inside ran in '$got', want 0::${path#"$mnt"}"; fail=1; }
"$bin" --base "$base" stop fpk || fail=1
[ ! -d "$path" ] || { echo "# stop left $path"; fail=1; }
if [ $fail = 0 ]; then echo "ok 1 - flatpak-scope pair: create outside, join --path inside, stop"; else echo "not ok 1 - flatpak-scope pair"; fi

# 2: outside.sh as a user runs it: umucg on PATH, flatpak replaced by a
# script that applies --env and --command and runs the command.
fail2=0
mkdir "$tmp/bin"
ln -s "$bin" "$tmp/bin/umucg"
cat > "$tmp/bin/flatpak" <<'EOF'
#!/bin/sh
[ "$1" = run ] || exit 99
shift
cmd=
while [ $# -gt 0 ]; do
	case $1 in
	--filesystem=*) ;;
	--env=*) export "${1#--env=}" ;;
	--command=*) cmd=${1#--command=} ;;
	--*) echo "flatpak stand-in: unknown option $1" >&2; exit 98 ;;
	*) break ;;
	esac
	shift
done
shift # the application id
exec "$cmd" "$@"
EOF
chmod +x "$tmp/bin/flatpak"
PATH="$tmp/bin:$PATH" UMUCG_BASE=$base "$here/outside.sh" game org.example.Game \
	sh -c 'grep "^0::" /proc/self/cgroup > "$0"; exit 3' "$tmp/where" 2> "$tmp/err"
status=$?
[ $status = 3 ] || { echo "# outside.sh exited $status, want the game's 3"; fail2=1; }
want="0::${base#"$mnt"}/game"
[ "$(cat "$tmp/where" 2>/dev/null)" = "$want" ] ||
	{ echo "# the game ran in '$(cat "$tmp/where" 2>/dev/null)', want $want"; fail2=1; }
[ ! -d "$base/game" ] || { echo "# outside.sh left $base/game"; fail2=1; }
if grep -qw memory "$base/cgroup.controllers"; then
	[ ! -s "$tmp/err" ] || { echo "# stderr with every controller here:"; fail2=1; }
else
	# hybrid: one warning naming the controller, a hint with the fix
	[ "$(grep -c '^umucg: warning: memory controller' "$tmp/err")" = 1 ] ||
		{ echo "# want one warning about memory:"; fail2=1; }
	grep -q '^hint: ' "$tmp/err" || { echo "# no hint with the fix:"; fail2=1; }
fi
! grep -q -- '--best-effort' "$tmp/err" || { echo "# a hint create would reject:"; fail2=1; }
[ $fail2 = 0 ] || sed 's/^/#   /' "$tmp/err"
if [ $fail2 = 0 ]; then echo "ok 2 - outside.sh with --mem 4G runs the game in its group on this host"; else echo "not ok 2 - outside.sh"; fi

rmdir "$base/fpk" "$base/game" 2>/dev/null
rmdir "$base" || fail=1
[ $fail = 0 ] && [ $fail2 = 0 ]
