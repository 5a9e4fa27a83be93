#!/bin/sh
# test-flatpak-scope.sh - runs the flatpak-scope pair without flatpak: the
# "sandbox" is a child that is given only the group's path. Root only, on a
# cgroup2 mount; a TAP skip otherwise. Run by 'make check', whose driver for
# .sh tests speaks TAP.
set -u
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }
mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo 2>/dev/null)
[ -n "$mnt" ] || { echo "1..0 # SKIP no cgroup2 mount"; exit 0; }
echo "1..1"
here=$(cd "$(dirname "$0")" && pwd)
bin=${UMUCG_BIN:?UMUCG_BIN is not set: run through make check}
base=$mnt/umucg-example-$$
mkdir "$base" || exit 99
fail=0
path=$("$bin" --base "$base" create fpk) || fail=1
[ "$path" = "$base/fpk" ] || { echo "# create printed '$path'"; fail=1; }
# inside: only the path is known; no UMUCG_BASE, no mountinfo lookup needed
got=$(env -u UMUCG_BASE UMUCG_BIN="$bin" UMUCG_GROUP_PATH="$path" \
	"$here/inside.sh" fpk sh -c 'grep "^0::" /proc/self/cgroup')
[ "$got" = "0::${path#"$mnt"}" ] || { echo "# inside ran in '$got', want 0::${path#"$mnt"}"; fail=1; }
"$bin" --base "$base" stop fpk || fail=1
[ ! -d "$path" ] || { echo "# stop left $path"; fail=1; }
rmdir "$base" || fail=1
if [ $fail = 0 ]; then echo "ok 1 - flatpak-scope pair: create outside, join --path inside, stop"; else echo "not ok 1 - flatpak-scope pair"; fi
exit $fail
