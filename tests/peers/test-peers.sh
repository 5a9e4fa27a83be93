#!/bin/sh
# test-peers.sh - the public test suites of two peers, dumb-init's (pytest)
# and tini's (its test programs), run against `umucg run` as root on this
# machine's cgroup2 mount, in a private base. Their sources are Debian's
# source packages, fetched by apt-get (checked against the signed Sources
# index) into the build tree once and reused; nothing of theirs is in this
# repository. What is run, what is left out and why: tests/peers/README. TAP.
set -u
skip() { echo "1..0 # SKIP $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root"
mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo 2>/dev/null)
[ -n "$mnt" ] || skip "no cgroup2 mount"
bin=${UMUCG_BIN:?UMUCG_BIN is not set: run through make check}
here=$(cd "$(dirname "$0")" && pwd)
src=${UMUCG_TOP_BUILDDIR:-.}/tests/peers/src
for t in setsid tar cc; do
	command -v "$t" >/dev/null || skip "$t is missing"
done
py=
for p in /usr/bin/python3 python3; do
	"$p" -c 'import pytest, pytest_timeout, psutil' 2>/dev/null && { py=$p; break; }
done
[ -n "$py" ] || skip "python3 with pytest, pytest-timeout and psutil is missing" \
	"(apt-get install python3-pytest python3-pytest-timeout python3-psutil)"

# Debian's source packages of the versions this release of Debian has:
# apt-get source with a sources list of our own (deb-src lines for the
# Debian mirrors apt already uses), so the machine's apt setup is untouched.
fetch() {
	apt=$(mktemp -d) || return 1
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	opt=
	[ -f "$keyring" ] && opt="[signed-by=$keyring] "
	apt-cache policy 2>/dev/null | awk -v opt="$opt" '
		$2 ~ /^https?:\/\// && $NF == "Packages" && split($3, s, "/") == 2 {
			print "deb-src " opt $2 " " s[1] " " s[2] }' | sort -u >"$apt/sources.list"
	set -- -o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/parts" \
		-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" \
		-o APT::Sandbox::User=root -qq
	ok=
	if [ -s "$apt/sources.list" ] && apt-get "$@" update >"$apt/log" 2>&1 &&
		mkdir -p "$src" && (cd "$src" && apt-get "$@" --download-only --tar-only source tini dumb-init \
			>>"$apt/log" 2>&1); then
		ok=1
		for t in "$src"/tini_*.orig.tar.* "$src"/dumb-init_*.orig.tar.*; do
			tar -xf "$t" -C "$src" || ok=
		done
	fi
	[ -n "$ok" ] || sed 's/^/# apt: /' "$apt/log" "$apt/sources.list"
	rm -rf "$apt"
	[ -n "$ok" ]
}
tini_src=$(ls -d "$src"/tini-[0-9]* 2>/dev/null | tail -n 1)
di_src=$(ls -d "$src"/dumb-init-[0-9]* 2>/dev/null | tail -n 1)
if [ -z "$tini_src" ] || [ -z "$di_src" ]; then
	command -v apt-get >/dev/null || skip "apt-get is missing: no way to fetch the peers' sources"
	fetch || skip "could not fetch the Debian source packages of tini and dumb-init"
	tini_src=$(ls -d "$src"/tini-[0-9]* | tail -n 1)
	di_src=$(ls -d "$src"/dumb-init-[0-9]* | tail -n 1)
fi

tmp=$(mktemp -d)
base=$mnt/umucg-test-peers-$$
# A failed peer test leaves its tree running (their harnesses clean up only
# after a pass): everything in the private base is ours to end. The
# supervisors then remove their groups; gc takes those of killed ones.
cleanup() {
	if [ -d "$base" ]; then
		echo 1 >"$base/cgroup.kill"
		i=0
		while [ $i -lt 20 ] && [ -n "$(find "$base" -mindepth 1 -type d)" ]; do
			sleep 0.1
			i=$((i + 1))
		done
		"$bin" --base "$base" gc >/dev/null 2>&1
		rmdir "$base" || echo "# could not remove $base"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' INT TERM
mkdir "$base" || exit 99

echo "# umucg: $bin"
echo "# dumb-init's suite: $di_src; tini's: $tini_src (Debian source packages)"

# dumb-init's tests run `dumb-init ARGS` from PATH: here that is umucg.
mkdir "$tmp/bin"
cat >"$tmp/bin/dumb-init" <<EOF
#!/bin/sh
exec "$bin" --base "$base" run -- "\$@"
EOF
chmod +x "$tmp/bin/dumb-init"
# The tests that exercise what any subreaper must do; the rest test
# dumb-init's own options and modes (tests/peers/README says which and why).
# umucg_stop_signals.py narrows the signals test_proxies_signals sends.
set -- tests/exit_status_test.py tests/cwd_test.py \
	tests/tty_test.py::test_tty tests/tty_test.py::test_child_gets_controlling_tty_if_we_had_one \
	tests/child_processes_test.py::test_setsid_signals_entire_group \
	tests/proxies_signals_test.py::test_proxies_signals
out=$(cd "$di_src" && PATH="$tmp/bin:$PATH" PYTHONPATH="$here" PYTHONDONTWRITEBYTECODE=1 \
	timeout 600 "$py" -m pytest -q -p no:cacheprovider -p umucg_stop_signals -rf "$@" 2>&1)
rc=$?
summary=$(printf '%s\n' "$out" | tail -n 1)
n=1 failed=0
if [ $rc -eq 0 ]; then
	echo "ok $n - dumb-init's suite: $summary"
else
	echo "not ok $n - dumb-init's suite: $summary"
	printf '%s\n' "$out" | tail -n 60 | sed 's/^/# /'
	failed=$((failed + 1))
fi

# tini's test programs, checked the way tini's runner checks them.
"$py" "$here/tini-stages.py" "$tini_src" "$bin" "$base" "$tmp" >"$tmp/tini.tap" 2>&1
grep -v '^ok\|^not ok' "$tmp/tini.tap" | sed 's/^\([^#]\)/# \1/'
grep '^ok\|^not ok' "$tmp/tini.tap" >"$tmp/tini.lines"
while read -r line; do
	n=$((n + 1))
	case $line in
	"not ok"*) echo "not ok $n${line#not ok}"; failed=$((failed + 1)) ;;
	*) echo "ok $n${line#ok}" ;;
	esac
done <"$tmp/tini.lines"
[ $n -ge 7 ] || { n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - tini's stages did not all run"; }

# Every run ended: no group is left in the base (one would be a run that
# lost its supervisor, or a tree it did not wait for).
n=$((n + 1))
left=$(cd "$base" && find . -mindepth 1 -type d | sed 's|^\./||')
if [ -z "$left" ]; then
	echo "ok $n - no group left behind"
else
	echo "not ok $n - groups left behind:" $left
	failed=$((failed + 1))
fi
echo "1..$n"
exit $((failed > 0))
