#!/bin/sh
# test_abi.sh - libumucg.so exports exactly the functions include/umucg.h
# (with the parts it includes, include/umucg/*.h) declares, and the version script lists exactly those: an internal helper
# cannot leak into the ABI, and a declared function cannot go missing. TAP.
set -u
echo "1..1"
top_srcdir=${UMUCG_TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${UMUCG_TOP_BUILDDIR:-$(pwd)}
so=$(ls "$top_builddir"/.libs/libumucg.so.[0-9]* 2>/dev/null | head -n1)
[ -n "$so" ] || { echo "not ok 1 - no $top_builddir/.libs/libumucg.so.N (build first)"; exit 1; }
command -v nm >/dev/null || { echo "ok 1 # SKIP nm not found (binutils)"; exit 0; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# Declared: every umucg_* name followed by '(' in the public header.
cat "$top_srcdir/include/umucg.h" "$top_srcdir"/include/umucg/*.h |
	grep -oE '\bumucg_[a-z0-9_]+\(' | tr -d '(' | sort -u > "$tmp/declared"
# Exported: defined dynamic symbols of the library, without versions.
nm -D --defined-only "$so" | awk '{print $3}' | sed 's/@.*//' | grep -v '^LIBUMUCG_' | sort -u > "$tmp/exported"
# Listed: the version script's global names.
sed -n '/^global:/,/^local:/p' "$top_srcdir/src/lib/libumucg.sym" | grep -oE 'umucg_[a-z0-9_]+' | sort -u > "$tmp/listed"

status=0
check() { # $1 $2: files; $3: what it means when a name is in $1 only
	only=$(comm -23 "$1" "$2")
	if [ -n "$only" ]; then
		echo "# $3:"
		echo "$only" | sed 's/^/#   /'
		status=1
	fi
}
check "$tmp/exported" "$tmp/declared" "exported by libumucg.so but not declared in umucg.h"
check "$tmp/declared" "$tmp/exported" "declared in umucg.h but not exported"
check "$tmp/listed" "$tmp/declared" "in libumucg.sym but not declared in umucg.h"
if [ $status -eq 0 ]; then
	echo "ok 1 - libumucg.so exports the $(wc -l < "$tmp/declared") functions umucg.h declares, and nothing else"
else
	echo "not ok 1 - the exported symbols differ from umucg.h"
fi
exit $status
