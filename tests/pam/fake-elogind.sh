#!/bin/sh
# fake-elogind.sh - run by pam_exec before pam_umucg in a test service, it does
# to the cgroups what pam_elogind makes elogind do at CreateSession (read in
# elogind's src/login/logind-session.c, session_start_cgroup): make the
# session's cgroup and move the session's process ($PPID) into it. The test
# service sets XDG_SESSION_ID with pam_env, as pam_elogind does.
#   fake-elogind.sh SESSION_DIR [delegate]
# delegate: elogind's DelegateSessionCgroups=yes: SESSION_DIR/session (where
# the process goes) and SESSION_DIR/delegated, all three handed to the user.
[ "$PAM_TYPE" = open_session ] || exit 0
dir=$1
mkdir -p "$dir" || exit 1
target=$dir
if [ "${2:-}" = delegate ]; then
	mkdir -p "$dir/session" "$dir/delegated" || exit 1
	target=$dir/session
	ids="$(id -u "$PAM_USER"):$(id -g "$PAM_USER")"
	for d in "$dir" "$dir/session" "$dir/delegated"; do
		chown "$ids" "$d" "$d/cgroup.procs" "$d/cgroup.threads" "$d/cgroup.subtree_control" || exit 1
	done
fi
echo "$PPID" >"$target/cgroup.procs"
