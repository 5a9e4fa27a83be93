#!/bin/sh
# The C example builds against an *installed* libumucg found through
# pkg-config alone (make install DESTDIR=..., PKG_CONFIG_SYSROOT_DIR), and,
# where this machine has a cgroup2 mount and root, runs a command in a group.
# Speaks TAP (the .sh test driver of this tree).
set -u
echo "1..1"
: "${UMUCG_TOP_SRCDIR:?run through make check}" "${UMUCG_TOP_BUILDDIR:?}"
CC=${CC:-cc}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
dest=$(mktemp -d "${TMPDIR:-/tmp}/umucg-pc.XXXXXX") || exit 99
trap 'rm -rf "$dest"' EXIT
fail() { echo "not ok 1 - $*"; exit 1; }

env -u MAKEFLAGS -u MFLAGS make -s -C "$UMUCG_TOP_BUILDDIR" install DESTDIR="$dest" > "$dest.log" 2>&1 ||
	{ cat "$dest.log"; rm -f "$dest.log"; fail "make install DESTDIR failed"; }
rm -f "$dest.log"
pcdir=$(dirname "$(find "$dest" -name umucg.pc | head -n1)")
[ -f "$pcdir/umucg.pc" ] || fail "make install put no umucg.pc"
for f in umucg.1 libumucg.3; do
	find "$dest" -name "$f" | grep -q . || fail "make install put no man page $f"
done
find "$dest" -path '*bash-completion*' -name umucg | grep -q . || fail "no bash completion installed"
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_LIBDIR="$pcdir" PKG_CONFIG_SYSROOT_DIR="$dest"
flags=$($PKG_CONFIG --cflags --libs umucg) || fail "pkg-config does not know umucg"
echo "# pkg-config: $flags"
case $flags in *"$dest"*) ;; *) fail "pkg-config flags do not point into the install: $flags";; esac
# libumucg(3) shows the example whole: the page and the file must agree.
sed -n '/^\.SH EXAMPLE/,/^\.SH SEE ALSO/p' "$UMUCG_TOP_SRCDIR/man/libumucg.3" |
	awk '/^\.EE$/ { exit } on { print } /^\.EX$/ { on = 1 }' |
	sed 's/\\-/-/g; s/\\e/\\/g; s/^\\&//' > "$dest/man-example.c"
sed -n '/^#include <stdio.h>/,$p' "$UMUCG_TOP_SRCDIR/examples/libumucg-demo.c" > "$dest/file-example.c"
cmp -s "$dest/man-example.c" "$dest/file-example.c" ||
	{ diff "$dest/file-example.c" "$dest/man-example.c" | sed 's/^/# /'; fail "libumucg(3)'s EXAMPLE differs from examples/libumucg-demo.c"; }
$CC -std=gnu11 -Wall -Wextra -Werror -o "$dest/demo" "$UMUCG_TOP_SRCDIR/examples/libumucg-demo.c" $flags ||
	fail "the example does not build against the installed library"
libdir=$(dirname "$(find "$dest" -name 'libumucg.so' | head -n1)")
LD_LIBRARY_PATH=$libdir ldd "$dest/demo" | grep "libumucg" | grep -q "$dest" ||
	fail "the example is not linked against the installed libumucg"

# Running it needs root and cgroup2: a private base, removed after.
mnt=$(awk '$0 ~ / - cgroup2 / { print $5; exit }' /proc/self/mountinfo)
if [ "$(id -u)" != 0 ] || [ -z "$mnt" ]; then
	echo "ok 1 - built and linked with pkg-config (not run: needs root and a cgroup2 mount)"
	exit 0
fi
base=$mnt/umucg-test-pc-$$
mkdir "$base" || fail "cannot make $base"
out=$(LD_LIBRARY_PATH=$libdir "$dest/demo" --base "$base" sh -c 'cat /proc/self/cgroup; exit 7')
rc=$?
echo "$out" | sed "s/^/# /"
[ $rc = 7 ] || { rmdir "$base"; fail "demo exit $rc, want 7 (the command's own)"; }
echo "$out" | grep -q "^0::${base#$mnt}/sh$" || { rmdir "$base"; fail "the command did not run in $base/sh"; }

# --kill-on-crash: CMD dies of SIGSEGV and leaves a child behind; the child
# gets SIGTERM at once (not after the 10 s grace), the status is 139.
start=$(date +%s%N)
LD_LIBRARY_PATH=$libdir "$dest/demo" --base "$base" sh -c 'sleep 60 & kill -SEGV $$' 2>/dev/null
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
left=$(find "$base" -mindepth 1 -type d)
rmdir "$base"
echo "# crash: exit $rc after $ms ms"
[ $rc = 139 ] || fail "crashed CMD: demo exit $rc, want 139"
[ $ms -lt 5000 ] || fail "crashed CMD: the rest of the tree took $ms ms to end (want < 5 s: SIGTERM, not the grace)"
[ -z "$left" ] || fail "the demo left groups: $left"
echo "ok 1 - built with pkg-config, ran in ${base#$mnt}/sh, ended a crashed tree at once, removed its group"
