#!/bin/sh
# test_sizes.sh - the house sizes hold in src/ and include/: no file over 600
# lines, no function over 80 (from its opening brace in column 0 to its
# closing one), so that a file keeps one job and a function fits on a
# screen. TAP.
set -u
echo "1..1"
top_srcdir=${UMUCG_TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
files=$(find "$top_srcdir/src" "$top_srcdir/include" -name '*.[ch]' | sort)
bad=$(for f in $files; do
	awk -v f="${f#"$top_srcdir"/}" '
		/^\{/ { start = NR }
		/^\}/ { if (start && NR - start + 1 > 80) printf "#   %s:%d: a function of %d lines (over 80)\n", f, start, NR - start + 1; start = 0 }
		END { if (NR > 600) printf "#   %s: %d lines (over 600)\n", f, NR }' "$f"
done)
if [ -n "$bad" ]; then
	echo "$bad"
	echo "not ok 1 - files or functions over the house sizes"
	exit 1
fi
echo "ok 1 - $(echo "$files" | wc -l) files in src/ and include/: none over 600 lines, no function over 80"
