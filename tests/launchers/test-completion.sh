#!/bin/bash
# test-completion.sh - the bash, zsh and fish completions as `make install`
# puts them (DESTDIR), each loaded the way its shell finds it there
# (bash-completion's loader over XDG_DATA_DIRS, zsh's fpath + compinit,
# fish's vendor_completions.d over XDG_DATA_DIRS), asked what it offers:
# the commands; every option of every command, as umucg's synopsis has them
# (below) and as `umucg CMD --help` lists them; the command to run after
# `run [--] ` and `join NAME [--] `; signal names; and, as root on a cgroup2
# mount, group names from `umucg list --json` under --base (before or after
# the command). A shell that is missing skips loudly. TAP (make check).
set -u
here=$(cd "$(dirname "$0")" && pwd)
builddir=${UMUCG_TOP_BUILDDIR:?UMUCG_TOP_BUILDDIR is not set: run through make check}
bin=${UMUCG_BIN:?UMUCG_BIN is not set: run through make check}

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umucg-completion.XXXXXX") || exit 99
base=
cleanup() {
	local g
	if [ -n "$base" ]; then
		for g in "$base"/*/; do [ -d "$g" ] && rmdir "$g"; done
		rmdir "$base"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' HUP INT TERM

# ---- the CLI the completions must cover -------------------------------------
# umucg's synopsis (the product contract, including options being added), and
# what the binary's --help lists today; a completion must offer both.
commands="run create join move list status top set stop kill freeze thaw gc setup doctor"
limits="--mem --mem-max --swap-max --mem-low --pids --cpu-weight --cpu-max --io-weight --cpus"
synopsis_options() {
	case $1 in
	"") echo "--base --json --help --version" ;;
	run) echo "$limits --name --grace --timeout --linger --kill-on-exit --kill-on-crash
		--exit-with-parent --report --user --keep --strict --best-effort" ;;
	create) echo "$limits --strict" ;;
	move) echo "--tree" ;;
	list | status | doctor) echo "--json" ;;
	top) echo "-b -n -d" ;;
	set) echo "$limits" ;;
	stop) echo "--grace --signal --force" ;;
	kill) echo "--signal --force" ;;
	gc) echo "--stop" ;;
	setup) echo "--user --session" ;;
	esac
	[ -n "$1" ] && echo "--base --help"
}
help_options() { # the options `umucg [CMD] --help` lists (first word of a line)
	"$bin" $1 --help 2>/dev/null | sed -n 's/^ \{1,4\}\(-\{1,2\}[a-zA-Z][-a-zA-Z]*\).*/\1/p'
}

# ---- install, as a user would -------------------------------------------------
dest=$tmp/dest
if ! env -u MAKEFLAGS -u MFLAGS make -s -C "$builddir" install DESTDIR="$dest" >"$tmp/install.log" 2>&1; then
	sed 's/^/# /' "$tmp/install.log" | tail -n 20
	echo "1..1"
	echo "not ok 1 - make install DESTDIR failed"
	exit 1
fi
bashfile=$(find "$dest" -path '*/share/bash-completion/completions/umucg')
# zsh's and fish's directories are configure's (--with-zshcompletiondir,
# --with-fishcompletiondir): by default the upstream ones below
zshfile=$(find "$dest" -path '*/share/zsh/*/_umucg' | head -n1)
fishfile=$(find "$dest" -path '*/share/fish/*/umucg.fish' | head -n1)
where=""
[ -f "$bashfile" ] || where="$where; no \$(datadir)/bash-completion/completions/umucg"
[ -f "$zshfile" ] || where="$where; no _umucg (default: \$(datadir)/zsh/site-functions)"
[ -f "$fishfile" ] || where="$where; no umucg.fish (default: \$(datadir)/fish/vendor_completions.d)"
if [ -z "$where" ]; then
	ok "make install puts the completions where bash, zsh and fish look: ${bashfile#"$dest"}, ${zshfile#"$dest"}, ${fishfile#"$dest"}"
else
	not_ok "make install:${where#;}"
fi
share=${bashfile%/bash-completion/completions/umucg}

# umucg on PATH for the completions' own calls (umucg list --json)
mkdir -p "$tmp/bin" "$tmp/home"
ln -s "$bin" "$tmp/bin/umucg"
cenv=(env -i PATH="$tmp/bin:/usr/bin:/bin" HOME="$tmp/home" TERM=dumb
	XDG_CONFIG_HOME="$tmp/home/config" XDG_DATA_HOME="$tmp/home/data"
	XDG_CACHE_HOME="$tmp/home/cache" XDG_DATA_DIRS="$share:/usr/share")
# a sanitized umucg (.ci/sanitize) keeps writing its reports where they are read
[ -n "${ASAN_OPTIONS:-}" ] && cenv+=("ASAN_OPTIONS=$ASAN_OPTIONS")
[ -n "${UBSAN_OPTIONS:-}" ] && cenv+=("UBSAN_OPTIONS=$UBSAN_OPTIONS")

# ---- one completion per shell: LINE -> the candidates, one a line -------------
complete_bash() {
	"${cenv[@]}" bash --norc --noprofile -c '
		. /usr/share/bash-completion/bash_completion || exit 2
		__load_completion umucg || { echo "bash-completion did not load umucg" >&2; exit 2; }
		line=$1
		COMP_LINE=$line COMP_POINT=${#line}
		read -ra COMP_WORDS <<<"$line"
		[[ $line == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		f=$(complete -p umucg | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
		"$f" umucg "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' bash "$1"
}
complete_zsh() {
	"${cenv[@]}" zsh -f "$here/zcomplete.zsh" "$(dirname "$zshfile")" "$tmp/zsh.out" "$1" &&
		{ grep -v '^<END>$' "$tmp/zsh.out" || true; }
}
complete_fish() {
	"${cenv[@]}" fish -c 'complete -C $argv[1]' "$1" | cut -f1
}

# check SHELL DESC LINE [!]WORD...: what SHELL offers for LINE holds every
# WORD and none of the !WORDs
check() {
	local sh=$1 desc=$2 line=$3 got missing="" extra="" w
	shift 3
	got=$("complete_$sh" "$line" 2>"$tmp/err") || {
		not_ok "$sh: $desc ('$line'): the completion failed: $(head -n 3 "$tmp/err")"
		return
	}
	for w in "$@"; do
		if [[ $w == !* ]]; then
			grep -qxF -- "${w#!}" <<<"$got" && extra="$extra ${w#!}"
		else
			grep -qxF -- "$w" <<<"$got" || missing="$missing $w"
		fi
	done
	if [ -z "$missing$extra" ]; then
		ok "$sh: $desc ('$line')"
	else
		not_ok "$sh: $desc ('$line'):${missing:+ missing$missing}${extra:+; offered but must not be:$extra}"
		echo "$got" | head -n 40 | sed 's/^/#   offered: /'
	fi
}

# Groups to complete: root on a cgroup2 mount only.
mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo 2>/dev/null)
if [ "$(id -u)" = 0 ] && [ -n "$mnt" ] && mkdir "$mnt/umucg-test-completion-$$" 2>/dev/null; then
	base=$mnt/umucg-test-completion-$$
	"$bin" --base "$base" create g-one >/dev/null && "$bin" --base "$base" create g.two@x >/dev/null ||
		echo "# could not create the groups to complete"
fi

for sh in bash zsh fish; do
	case $sh in
	bash) [ -r /usr/share/bash-completion/bash_completion ] && have=1 || have="" pkg=bash-completion ;;
	zsh) command -v zsh >/dev/null && have=1 || have="" pkg=zsh ;;
	fish) command -v fish >/dev/null && have=1 || have="" pkg=fish ;;
	esac
	if [ -z "$have" ]; then
		echo "# ####################################################################"
		echo "# $sh completion NOT TESTED: apt-get install $pkg (dev/packages has it)"
		echo "# ####################################################################"
		skip "$sh completion: $pkg is not installed"
		continue
	fi
	check $sh "the commands" "umucg " $commands '!--base'
	check $sh "the global options" "umucg -" $(synopsis_options "") $(help_options "")
	for c in $commands; do
		check $sh "$c's options" "umucg $c -" $(synopsis_options $c) $(help_options $c)
	done
	check $sh "run's options after a limit" "umucg run --mem 4G --" --mem-low --kill-on-crash --report --linger
	check $sh "the command after run --" "umucg run --mem 4G -- ech" echo
	check $sh "the command after run's options" "umucg run --mem 4G ech" echo
	check $sh "no umucg option after run --" "umucg run -- --" '!--mem' '!--name'
	check $sh "the command after join NAME --" "umucg join game -- ech" echo
	check $sh "signal names" "umucg stop --signal " TERM KILL HUP USR1 "!EXIT"
	if [ -n "$base" ]; then
		check $sh "group names, --base first" "umucg --base $base stop " g-one g.two@x
		check $sh "group names, --base after the command" "umucg status --base $base g" g-one g.two@x
		check $sh "no group name for a second NAME" "umucg --base $base freeze g-one " '!g-one' '!g.two@x'
	else
		skip "$sh: group names: needs root and a cgroup2 mount to make groups"
	fi
done

echo "1..$n"
exit $failed
