#!/bin/sh
# probe.sh - run by pam_exec after pam_umucg in a test service: records, while
# the session is open, what the kernel says about the session's process
# ($PPID, the process running the PAM stack) and runs umucg as the session's
# user, unprivileged, from inside the session.
#   probe.sh OUT UMUCG_BIN [linger|where|drop DIR]
# OUT gets KEY=VALUE lines (OUT.close the process's cgroup at close_session,
# after pam_umucg's); where: only the cgroup; drop: also remove the cgroup
# DIR the process came from (close_session must then use the root); linger a process is left in the session
# (its pid in OUT.linger), as a user's background job outlives a logout.
out=$1 bin=$2 mode=${3:-}
# at close (after pam_umucg's close_session): where the session process is now
if [ "$PAM_TYPE" = close_session ]; then
	sed -n 's/^0:://p' "/proc/$PPID/cgroup" >"$out.close"
	exit 0
fi
[ "$PAM_TYPE" = open_session ] || exit 0
if [ "$mode" = where ]; then
	echo "cgroup=$(sed -n 's/^0:://p' "/proc/$PPID/cgroup")" >"$out"
	exit 0
fi
mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
cg=$(sed -n 's/^0:://p' "/proc/$PPID/cgroup")
leaf=$mnt$cg
root=${leaf%/*}
uid=$(id -u "$PAM_USER") gid=$(id -g "$PAM_USER")
{
	echo "cgroup=$cg"
	echo "self_cgroup=$(sed -n 's/^0:://p' /proc/self/cgroup)"
	echo "leaf_owner=$(stat -c %u:%g "$leaf")"
	echo "leaf_files_not_root=$(find "$leaf" -mindepth 1 -maxdepth 1 ! -user 0 | wc -l)"
	echo "leaf_has_session=$(grep -cx "$PPID" "$leaf/cgroup.procs")"
	echo "root_owner=$(stat -c %u:%g "$root")"
	for f in cgroup.procs cgroup.threads cgroup.subtree_control memory.max cgroup.kill; do
		[ -e "$root/$f" ] && echo "root_${f#cgroup.}_owner=$(stat -c %u "$root/$f")" | tr . _
	done
	echo "root_mark=$(getfattr --only-values -n user.delegate "$root" 2>/dev/null)"
	echo "layout=$(cd "$root/.." && find . -mindepth 1 -type d -printf '%P %U:%G\n' | sort | tr '\n' ';')"
	# the user's own umucg, unprivileged, from inside the session
	echo "user_run=$(setpriv --reuid="$uid" --regid="$gid" --clear-groups \
		"$bin" run --name probe -- sed -n 's/^0:://p' /proc/self/cgroup 2>&1) rc=$?"
} >"$out.tmp"
if [ "$mode" = drop ]; then
	rmdir "$4" || echo "drop=failed" >>"$out.tmp"
fi
if [ "$mode" = linger ]; then
	setsid sleep 300 </dev/null >/dev/null 2>&1 &
	echo $! >"$out.linger"
fi
mv "$out.tmp" "$out"
