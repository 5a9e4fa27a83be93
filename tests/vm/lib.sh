# Shared helpers for the VM cases (busybox sh): assertions that record and go on,
# group lookups, bounded waits, and cleanup that runs even when a case fails.

CG=/sys/fs/cgroup
SYS=$CG/umucg/system
FAILS=0
CLEANUP=

ok() { echo "ok: $*"; }
bad() { echo "NOT OK: $*"; FAILS=$((FAILS + 1)); }
note() { echo "# $*"; }

expect_eq() { # WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok "$1 = '$3'"; else bad "$1: got '$2', want '$3'"; fi
}

expect_ge() { # WHAT GOT MIN
	if [ -n "$2" ] && [ "$2" -ge "$3" ] 2>/dev/null; then ok "$1 = $2 (>= $3)"; else bad "$1: got '$2', want >= $3"; fi
}

expect_absent() { # WHAT PATH
	if [ -e "$2" ]; then bad "$1: $2 still exists"; else ok "$1: $2 is gone"; fi
}

expect_present() { # WHAT PATH
	if [ -e "$2" ]; then ok "$1: $2 exists"; else bad "$1: $2 does not exist"; fi
}

# One key of a flat-keyed file such as memory.events, pids.events, cgroup.events.
key() { # FILE KEY
	sed -n "s/^$2 //p" "$1" 2>/dev/null
}

# Bytes the way umucg prints them: "512B", "1.5K", "32.0M", "4.0G".
umucg_size() { # BYTES
	awk -v b="$1" 'BEGIN { u = "BKMGTPE"; i = 1; while (b >= 1024 && i < 7) { b /= 1024; i++ }
		if (i == 1) printf "%dB", b; else printf "%.1f%s", b, substr(u, i, 1) }'
}

count_lines() { # FILE
	wc -l < "$1" 2>/dev/null | tr -d ' '
}

# Run umucg, keeping stdout/stderr in $OUT/$ERR and the status in $RC; never aborts the case.
# Per-uid files: /tmp is sticky and the unprivileged part cannot overwrite root's.
TMPOUT=/tmp/umucg-$(id -u)
umucg_run() {
	umucg "$@" > "$TMPOUT.out" 2> "$TMPOUT.err"
	RC=$?
	OUT=$(cat "$TMPOUT.out")
	ERR=$(cat "$TMPOUT.err")
	note "umucg $* -> $RC"
	[ -n "$OUT" ] && echo "$OUT" | sed 's/^/#   out: /'
	[ -n "$ERR" ] && echo "$ERR" | sed 's/^/#   err: /'
	return 0
}

# Bounded wait for a shell condition, 50 ms steps (test-side only; the product uses events).
wait_until() { # SECONDS CMD...
	_n=$(($1 * 20))
	shift
	while [ $_n -gt 0 ]; do
		"$@" && return 0
		sleep 0.05
		_n=$((_n - 1))
	done
	"$@"
}

populated() { [ "$(key "$1/cgroup.events" populated)" = 1 ]; }
unpopulated() { [ "$(key "$1/cgroup.events" populated)" = 0 ]; }

# Processes whose command name is $1, alive or zombie, that were not there when the case began.
BASE_PIDS=" $(cd /proc && echo [0-9]*) "
pids_named() {
	for _d in /proc/[0-9]*; do
		case $BASE_PIDS in *" ${_d#/proc/} "*) continue;; esac
		[ "$(cat "$_d/comm" 2>/dev/null)" = "$1" ] && echo "${_d#/proc/}"
	done
}

expect_no_process() { # COMM
	_left=$(pids_named "$1" | tr '\n' ' ')
	if [ -n "$_left" ]; then bad "no $1 process left: still there: $_left"; else ok "no $1 process left"; fi
}

# Remove a group this case made (kill what is in it first); used by cleanup and after --keep.
remove_group() { # PATH
	[ -d "$1" ] || return 0
	for _child in "$1"/*/; do
		[ -d "$_child" ] && remove_group "${_child%/}"
	done
	if populated "$1"; then
		echo 1 > "$1/cgroup.kill" 2>/dev/null
		wait_until 5 unpopulated "$1"
	fi
	rmdir "$1"
}

# Groups to remove on exit whatever happens; the case's verdict comes from FAILS.
cleanup_later() { CLEANUP="$CLEANUP $*"; }
run_cleanup() {
	for _g in $CLEANUP; do
		[ -d "$_g" ] && { note "cleanup: removing $_g"; remove_group "$_g"; }
	done
}
trap run_cleanup EXIT

# End of a case: 0 when every check held.
finish() {
	run_cleanup
	CLEANUP=
	if [ "$FAILS" -eq 0 ]; then exit 0; fi
	echo "$FAILS check(s) failed"
	exit 1
}

# umucg must be here; without it every case fails loudly rather than skip.
command -v umucg > /dev/null || { bad "umucg is not on PATH ($PATH)"; exit 1; }
