#!/bin/sh
# test-pam.sh - pam_umucg.so in a real PAM stack without a real login:
# pamtester under libpam-wrapper (cwrap), which reads the test's own service
# files, as root on this machine's cgroup2 mount in a private base. elogind
# is played by fake-elogind.sh + pam_env (what pam_elogind makes elogind do);
# probe.sh records what the kernel says while the session is open. TAP.
set -u
skip() { echo "1..0 # SKIP $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root"
mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo 2>/dev/null)
[ -n "$mnt" ] || skip "no cgroup2 mount"
module=${UMUCG_PAM_MODULE:-}
[ -n "$module" ] && [ -f "$module" ] ||
	skip "pam_umucg.so was not built (configure says why: Debian needs libpam0g-dev)"
command -v pamtester >/dev/null || skip "pamtester is missing (apt-get install pamtester)"
wrapper=$(ldconfig -p 2>/dev/null | awk '/libpam_wrapper\.so / { print $NF; exit }')
[ -n "$wrapper" ] || skip "libpam_wrapper.so is missing (apt-get install libpam-wrapper)"
secdir=
for d in /lib/*/security /lib/security /usr/lib/*/security /usr/lib/security; do
	[ -f "$d/pam_exec.so" ] && [ -f "$d/pam_env.so" ] && { secdir=$d; break; }
done
[ -n "$secdir" ] || skip "pam_exec.so and pam_env.so not found"
for t in setpriv getfattr unshare timeout; do
	command -v $t >/dev/null || skip "$t is missing"
done
uid=$(id -u nobody 2>/dev/null) gid=$(id -g nobody 2>/dev/null)
[ -n "$uid" ] || skip "no user 'nobody' to log in"
bin=${UMUCG_BIN:?UMUCG_BIN is not set: run through make check}
# A module built with sanitizers (.ci/sanitize) needs their runtimes loaded
# first, and pam_wrapper's RTLD_DEEPBIND off (pam_wrapper(1)).
preload=$(ldd "$module" 2>/dev/null | awk '/lib(asan|ubsan)\.so/ { printf "%s ", $3 }')
[ -z "$preload" ] || export PAM_WRAPPER_DISABLE_DEEPBIND=1
preload="$preload$wrapper"
here=$(cd "$(dirname "$0")" && pwd)

tmp=$(mktemp -d)
chmod 755 "$tmp"
base=$mnt/umucg-test-pam-$$
rel=${base#"$mnt"}
n=0 failed=0
cleanup() {
	for f in "$tmp"/*.linger; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done
	if [ -d "$base" ]; then
		find "$base" -depth -mindepth 1 -type d | while read -r d; do
			echo 1 >"$d/cgroup.kill" 2>/dev/null
			rmdir "$d" 2>/dev/null || { sleep 0.2; rmdir "$d"; }
		done
		rmdir "$base" || echo "# could not remove $base"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' INT TERM
mkdir "$base" || exit 99
mkdir "$tmp/svc"
# libpam reads the default service 'other' too (and logs an error without it)
echo "# nothing: only the test's own services are used" >"$tmp/svc/other"
# user xattrs on cgroupfs (5.7+): where missing, no mark can be asked for
mark=1
setfattr -n user.umucg.probe -v 1 "$base" 2>/dev/null || mark=

ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# expect DESCRIPTION GOT WANT
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else nok "$1"; echo "#   got '$2', want '$3'"; fi
}
# check DESCRIPTION COMMAND...
check() { d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
get() { sed -n "s/^$1=//p" "$2" 2>/dev/null; }
# service NAME LINE...: a PAM service file for pam_wrapper
service() {
	name=$1
	shift
	printf '%s\n' "$@" >"$tmp/svc/$name"
}
# pam SERVICE USER [PREFIX...]: pamtester open_session close_session (PREFIX
# runs it, e.g. in another cgroup: exec, so that only pamtester is there); sets
# rc, the log (pam_syslog lines on stderr) in $tmp/log, and secs.
pam() {
	svc=$1 user=$2
	shift 2
	start=$(date +%s)
	timeout 30 "$@" env LD_PRELOAD="$preload" PAM_WRAPPER=1 \
		PAM_WRAPPER_SERVICE_DIR="$tmp/svc" PAM_WRAPPER_DEBUGLEVEL=2 \
		pamtester "$svc" "$user" open_session close_session >"$tmp/out" 2>"$tmp/log"
	rc=$?
	secs=$(($(date +%s) - start))
}
logged() { grep -q "SYSLOG($1): .*$2" "$tmp/log"; }
no_errors() { ! grep -q 'SYSLOG(3)' "$tmp/log" || { sed 's/^/#   /' "$tmp/log" >&2; false; }; }
layout() { (cd "$1" && find . -mindepth 1 -type d -printf '%P %U:%G\n' | sort | tr '\n' ';'); }
# required, not optional: a module that failed the session would show
umod="session required $module base=$base debug"
probe() { echo "session optional $secdir/pam_exec.so $here/probe.sh $tmp/$1 $bin ${2:-} ${3:-}"; }

# ---- a login without elogind ------------------------------------------
service classic "$umod" "$(probe classic)"
pam classic nobody
expect "classic: pamtester succeeds" "$rc" 0
check "classic: no error logged" no_errors
check "classic: debug logs each step" logged 7 "pid [0-9]* in $base/user-$uid/session-1"
o=$tmp/classic
expect "classic: the session process is in the leaf" "$(get cgroup "$o")" "$rel/user-$uid/session-1"
expect "classic: the leaf's cgroup.procs holds it" "$(get leaf_has_session "$o")" 1
expect "classic: the leaf is root's" "$(get leaf_owner "$o")" 0:0
expect "classic: every file of the leaf is root's" "$(get leaf_files_not_root "$o")" 0
expect "classic: the delegation root is the user's" "$(get root_owner "$o")" "$uid:$gid"
expect "classic: its cgroup.procs, cgroup.threads, cgroup.subtree_control are the user's" \
	"$(get root_procs_owner "$o") $(get root_threads_owner "$o") $(get root_subtree_control_owner "$o")" \
	"$uid $uid $uid"
expect "classic: cgroup.kill of the delegation root stays root's" "$(get root_kill_owner "$o")" 0
expect "classic: the delegation root carries user.delegate=1" "$(get root_mark "$o")" "$mark"
expect "classic: the user's unprivileged umucg run makes its group in the delegation root" \
	"$(get user_run "$o")" "$rel/user-$uid/probe rc=0"
expect "classic: at close the process is back where it came from" \
	"$(cat "$o.close" 2>/dev/null)" "$(sed -n 's/^0:://p' /proc/self/cgroup)"
check "classic: close removed the empty leaf" test ! -e "$base/user-$uid/session-1"
check "classic: the delegation root stays" test -d "$base/user-$uid"
module_layout=$(get layout "$o")

# the cgroup it came from is gone at close: the root cgroup takes it (as it
# does when elogind's session cgroup refuses it, its controllers enabled)
mkdir "$base/origin"
service drop "$umod" "$(probe drop drop "$base/origin")"
pam drop nobody sh -c "echo \$\$ >'$base/origin/cgroup.procs' && exec \"\$@\"" sh
expect "origin gone: pamtester succeeds" "$rc" 0
check "origin gone: it was removed while the session was open" test ! -e "$base/origin"
expect "origin gone: at close the process is in the root cgroup" "$(cat "$tmp/drop.close" 2>/dev/null)" /
check "origin gone: close removed the leaf" test ! -e "$base/user-$uid/session-1"

# ---- the same layout from 'umucg setup --user U --session PID' ----------
base2=$base/cli
mkdir "$base2"
sleep 300 &
sleeper=$!
"$bin" --base "$base2/system" setup --user nobody --session "$sleeper" >"$tmp/out" 2>&1
expect "setup --session: exit 0" "$?" 0
expect "setup --session: the same layout as the module's" "$(layout "$base2")" "$module_layout"
expect "setup --session: the same mark" \
	"$(getfattr --only-values -n user.delegate "$base2/user-$uid" 2>/dev/null)" "$mark"
kill "$sleeper"
wait "$sleeper" 2>/dev/null

# ---- a session whose processes outlive it ---------------------------------
service linger "$umod" "$(probe linger linger)"
pam linger nobody
expect "linger: pamtester succeeds" "$rc" 0
check "linger: close_session did not wait for the leaf to empty" test "$secs" -lt 10
check "linger: the leaf that still holds a process stays" \
	grep -qx "$(cat "$tmp/linger.linger")" "$base/user-$uid/session-1/cgroup.procs"
kill -9 "$(cat "$tmp/linger.linger")"
rm -f "$tmp/linger.linger"
for _ in $(seq 50); do grep -q 'populated 0' "$base/user-$uid/session-1/cgroup.events" && break; sleep 0.1; done
pam classic nobody
expect "linger: the next login prunes the emptied leaf and takes its name" \
	"$(get cgroup "$tmp/classic")" "$rel/user-$uid/session-1"
pam linger nobody
kill -9 "$(cat "$tmp/linger.linger")"
rm -f "$tmp/linger.linger"
for _ in $(seq 50); do grep -q 'populated 0' "$base/user-$uid/session-1/cgroup.events" && break; sleep 0.1; done
setpriv --reuid="$uid" --regid="$gid" --clear-groups "$bin" --base "$base/user-$uid" gc >"$tmp/out" 2>&1
expect "linger: the user's own 'umucg gc' exits 0" "$?" 0
check "linger: ... and removes the emptied root-owned leaf" test ! -e "$base/user-$uid/session-1"

# ---- errors never block a login ----------------------------------------
before=$(layout "$base")
pam classic no-such-user-umucg
expect "no such user: the session opens" "$rc" 0
check "no such user: logged" logged 3 "no-such-user-umucg"
expect "no such user: nothing made" "$(layout "$base")" "$before"
service root "$umod" "$(probe root where)"
pam root root
expect "root: the session opens" "$rc" 0
check "root: left where it was" test "$(get cgroup "$tmp/root")" = "$(sed -n 's/^0:://p' /proc/self/cgroup)"
expect "root: nothing made" "$(layout "$base")" "$before"
service notcg "session required $module base=$tmp/not-cgroup" "$(probe notcg where)"
pam notcg nobody
expect "base outside cgroup2: the session opens" "$rc" 0
check "base outside cgroup2: logged" logged 3 "base $tmp/not-cgroup/system: not a directory below"
check "base outside cgroup2: the process did not move" \
	test "$(get cgroup "$tmp/notcg")" = "$(sed -n 's/^0:://p' /proc/self/cgroup)"
pam classic nobody unshare -m sh -c "umount -l '$mnt' && exec \"\$@\"" sh
expect "no cgroup2 mounted: the session opens" "$rc" 0
check "no cgroup2 mounted: logged" logged 3 "cgroup2: no cgroup2 filesystem is mounted"
expect "no cgroup2 mounted: nothing made" "$(layout "$base")" "$before"
pam classic nobody unshare -m sh -c "mount -o remount,bind,ro '$mnt' && exec \"\$@\"" sh
expect "read-only cgroup2: the session opens" "$rc" 0
check "read-only cgroup2: logged" logged 3 "Read-only file system"
expect "read-only cgroup2: nothing made" "$(layout "$base")" "$before"
service unknown "$umod frobnicate" "$(probe unknown)"
pam unknown nobody
expect "unknown option: the session opens" "$rc" 0
check "unknown option: logged" logged 4 "unknown option 'frobnicate' ignored"
expect "unknown option: the session is still placed" "$(get cgroup "$tmp/unknown")" \
	"$rel/user-$uid/session-1"

# ---- elogind: the user's groups inside the session's cgroup --------------
# elogind maps a process to its session by the first component of its cgroup
# path (cg_path_get_session); here the session cgroups lie in the base.
elogind_service() { # NAME SID [delegate]
	echo "XDG_SESSION_ID DEFAULT=$2" >"$tmp/env-$1"
	service "$1" "session optional $secdir/pam_exec.so $here/fake-elogind.sh $base/$2 ${3:-}" \
		"session optional $secdir/pam_env.so conffile=$tmp/env-$1 readenv=0 user_readenv=0" \
		"$umod" "$(probe "$1")"
}
sid=s$$
elogind_service elogind "$sid"
pam elogind nobody
o=$tmp/elogind
elogind_layout=$(get layout "$o")
expect "elogind: pamtester succeeds" "$rc" 0
check "elogind: no error logged" no_errors
expect "elogind: the session process is in a leaf of <session>/delegated" \
	"$(get cgroup "$o")" "$rel/$sid/delegated/session-1"
expect "elogind: the leaf is root's" "$(get leaf_owner "$o") $(get leaf_files_not_root "$o")" "0:0 0"
expect "elogind: delegated is the user's" "$(get root_owner "$o")" "$uid:$gid"
expect "elogind: delegated carries user.delegate=1" "$(get root_mark "$o")" "$mark"
check "elogind: the session cgroup stays root's" test "$(stat -c %u "$base/$sid")" = 0
expect "elogind: the user's umucg run stays in the session's cgroup" \
	"$(get user_run "$o")" "$rel/$sid/delegated/probe rc=0"
expect "elogind: at close the process is back in the session cgroup" \
	"$(cat "$o.close" 2>/dev/null)" "$rel/$sid"
check "elogind: close removed the leaf" test ! -e "$base/$sid/delegated/session-1"
check "elogind: ... and the delegated/ it made, now empty" test ! -e "$base/$sid/delegated"
check "elogind: the session cgroup stays (it is elogind's)" test -d "$base/$sid"

sid2=d$$
elogind_service delegate "$sid2" delegate
pam delegate nobody
o=$tmp/delegate
expect "DelegateSessionCgroups=yes: pamtester succeeds" "$rc" 0
check "DelegateSessionCgroups=yes: no error logged" no_errors
expect "DelegateSessionCgroups=yes: the process moves from session/ to a leaf of delegated/" \
	"$(get cgroup "$o")" "$rel/$sid2/delegated/session-1"
expect "DelegateSessionCgroups=yes: delegated is marked" "$(get root_mark "$o")" "$mark"
expect "DelegateSessionCgroups=yes: the user's run goes to delegated/, not the session cgroup" \
	"$(get user_run "$o")" "$rel/$sid2/delegated/probe rc=0"
expect "DelegateSessionCgroups=yes: at close the process is back in session/" \
	"$(cat "$o.close" 2>/dev/null)" "$rel/$sid2/session"
check "DelegateSessionCgroups=yes: close removed the leaf" test ! -e "$base/$sid2/delegated/session-1"
check "DelegateSessionCgroups=yes: elogind's delegated/ stays" test -d "$base/$sid2/delegated"

sid3=u$$
mkdir "$base/$sid3"
pam classic nobody sh -c "echo \$\$ >'$base/$sid3/cgroup.procs' && exec env XDG_SESSION_ID=$sid3 \"\$@\"" sh
expect "inside another session (su): the session opens" "$rc" 0
expect "inside another session (su): left in that session" "$(get cgroup "$tmp/classic")" "$rel/$sid3"
check "inside another session (su): nothing made in it" test ! -e "$base/$sid3/delegated"
check "inside another session (su): logged" logged 6 "already in elogind session $sid3"

sid4=c$$
mkdir "$base/$sid4"
sleep 300 &
sleeper=$!
echo "$sleeper" >"$base/$sid4/cgroup.procs"
"$bin" --base "$base2/system" setup --user nobody --session "$sleeper" --elogind-session "x$sid4" \
	>"$tmp/out" 2>&1
expect "setup --elogind-session, another session's id: 125" "$?" 125
check "setup --elogind-session, another session's id: says why" grep -q "not in elogind's session" "$tmp/out"
check "setup --elogind-session, another session's id: nothing made" test ! -e "$base/$sid4/delegated"
"$bin" --base "$base2/system" setup --user nobody --session "$sleeper" --elogind-session "$sid4"
expect "setup --elogind-session: exit 0" "$?" 0
expect "setup --elogind-session: the same layout as the module's" \
	"$(layout "$base/$sid4")" "$elogind_layout"
expect "setup --elogind-session: the same mark" \
	"$(getfattr --only-values -n user.delegate "$base/$sid4/delegated" 2>/dev/null)" "$mark"
kill "$sleeper"
wait "$sleeper" 2>/dev/null

echo "1..$n"
exit $((failed > 0))
