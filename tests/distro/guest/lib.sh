# Shared helpers of the distro cases (dash): assertions that record and go on, bounded
# waits, running things as a logged-in user through the real PAM stack, and elogind
# look-ups. Sourced by each case; the case runs as root, started by guest/runner.sh.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin SYSTEMD_PAGER=cat PAGER=cat
CG=/sys/fs/cgroup
T=/var/lib/umucg-test
FAILS=0
CLEANUP_PIDS=

ok() { echo "ok: $*"; }
bad() { echo "NOT OK: $*"; FAILS=$((FAILS + 1)); }
note() { echo "# $*"; }

expect_eq() { # WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok "$1 = '$3'"; else bad "$1: got '$2', want '$3'"; fi
}
expect_absent() { # WHAT PATH
	if [ -e "$2" ]; then bad "$1: $2 still exists"; else ok "$1: $2 is gone"; fi
}
expect_present() { # WHAT PATH
	if [ -e "$2" ]; then ok "$1: $2 exists"; else bad "$1: $2 does not exist"; fi
}
key() { sed -n "s/^$2 //p" "$1" 2>/dev/null; }
owner() { stat -c %U:%G "$1" 2>/dev/null; }
populated() { [ "$(key "$1/cgroup.events" populated)" = 1 ]; }
cgroup_of() { sed -n 's/^0:://p' "/proc/$1/cgroup" 2>/dev/null; }

# Bounded wait for a condition, by the clock: under TCG a fork can take a second, so
# counting tries would stretch the bound many times over (test side only).
now() { cut -d. -f1 /proc/uptime; }
wait_until() { # SECONDS CMD...
	_end=$(($(now) + $1))
	shift
	while [ "$(now)" -lt $_end ]; do
		"$@" && return 0
		sleep 0.2
	done
	"$@"
}

# Run CMD as USER in a fresh login session: `su -l` through /etc/pam.d/su, which
# includes common-session (pam_unix, pam_elogind, pam_umucg). Output to FILE.
as_user() { # USER FILE CMD
	su -l "$1" -c "$3" > "$2" 2>&1
}
# The same in the background; the su process's pid is in $SU_PID.
as_user_bg() { # USER FILE CMD
	su -l "$1" -c "$3" > "$2" 2>&1 &
	SU_PID=$!
	CLEANUP_PIDS="$CLEANUP_PIDS $SU_PID"
}

# Pids of USER's processes named COMM (exact).
pids_of() { pgrep -u "$1" -x "$2" | tr '\n' ' ' | sed 's/ $//'; }
# "pid:comm" of the processes whose name matches the extended regex RE exactly, of USER
# or everyone (pgrep would match nothing at all for a pattern over 15 characters).
procs_matching() { # RE [USER]
	if [ -n "${2:-}" ]; then _sel="-u $2"; else _sel=-e; fi
	ps -o pid=,user=,comm= $_sel | awk -v re="^($1)\$" '$3 ~ re { printf "%s:%s ", $1, $3 }'
}
# Every process of the test users, described.
user_procs() { ps -o pid=,user=,comm= -u user,user2 2>/dev/null; }

# elogind: the session a pid belongs to ('' when none), asked over D-Bus as polkit does.
# Object paths escape bytes as _XX (session "1" is .../session/_31).
session_of_pid() {
	_o=$(busctl call org.freedesktop.login1 /org/freedesktop/login1 \
		org.freedesktop.login1.Manager GetSessionByPID u "$1" 2>/dev/null |
		sed -n 's|^o "/org/freedesktop/login1/session/\(.*\)"$|\1|p')
	[ -n "$_o" ] && /usr/bin/printf '%b\n' "$(echo "$_o" | sed 's/_\([0-9a-f][0-9a-f]\)/\\x\1/g')"
}
sessions() { loginctl --no-pager --no-legend list-sessions 2>/dev/null | awk '{ print $1 }' | tr '\n' ' '; }

# Ends what a case started (its su sessions) even when a check failed; a case's user
# half (not root) only reports.
SHOW=
TIMED_OUT=
show_later() { SHOW="$SHOW $*"; }
case_cleanup() {
	[ "$(id -u)" = 0 ] || return 0
	# A case stopped by its timeout never printed what its user half said: show it.
	[ -n "$TIMED_OUT" ] && for _f in $SHOW; do [ -f "$_f" ] && { echo "# --- $_f:"; sed 's/^/#   /' "$_f"; }; done
	for _p in $CLEANUP_PIDS; do kill "$_p" 2>/dev/null; done
	for _p in $(pgrep -u user,user2 2>/dev/null); do kill -9 "$_p" 2>/dev/null; done
}
trap case_cleanup EXIT
# The runner's timeout sends TERM first: exit through the EXIT trap.
trap 'TIMED_OUT=1; echo "NOT OK: case timed out"; exit 143' TERM

finish() {
	if [ "$FAILS" -eq 0 ]; then exit 0; fi
	echo "$FAILS check(s) failed"
	exit 1
}

command -v umucg > /dev/null || { bad "umucg is not installed ($PATH)"; exit 1; }
