#!/bin/sh
# Distro tier, guest side: started by init (/etc/inittab, once, after OpenRC's default
# runlevel) as root in the root cgroup; runs each case, reports on the second serial
# port (/dev/ttyS1), powers off.
#
# Protocol (parsed by run-distro-tests.sh): "@@DISTRO BEGIN name", the case's output
# prefixed with "| ", then "@@DISTRO PASS name", "@@DISTRO FAIL name: why" or
# "@@DISTRO SKIP name: why"; "@@DISTRO DONE" before poweroff.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin SYSTEMD_PAGER=cat PAGER=cat
T=/var/lib/umucg-test
CG=/sys/fs/cgroup
exec > /dev/ttyS1 2>&1 < /dev/null
. "$T/env"
say() { echo "@@DISTRO $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

say "BOOTED uptime=$(uptime_s) kernel=$(uname -r) ncpu=$(nproc) mem=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)kB"
sed 's/^/| install: /' "$T/install.log"
installed=yes
grep -q '^@@ install failed' "$T/install.log" && installed=no
grep -q '^@@ installed' "$T/install.log" || installed=no

( sleep "${UMUCG_DISTRO_WATCHDOG:-900}"; say "WATCHDOG fired after ${UMUCG_DISTRO_WATCHDOG:-900}s"; sync; poweroff -f ) &
watchdog=$!

# New cgroups a case left: populated ones, and empty ones outside elogind's session
# directories (elogind 246 never removes /<session id>; see /work/brief/elogind.md) and
# umucg's bases. What sits in closed sessions' directories is listed as a note.
new_dirs() { find "$CG" -mindepth 1 -type d | sort | comm -13 "$T/dirs.before" -; }
leftovers() {
	left=
	for _try in 1 2 3 4 5 6 7 8 9 10; do
		left=
		procs=$(ps -o pid=,user=,comm= -u user,user2 2>/dev/null | tr -s ' \n' ' ')
		[ -n "$procs" ] && left="processes of the test users:$procs"
		for d in $(new_dirs); do
			rel=${d#"$CG"/}
			if [ "$(sed -n 's/^populated //p' "$d/cgroup.events")" = 1 ]; then
				left="$left populated:$rel"
				continue
			fi
			case $rel in
			umucg | umucg/system) ;;
			umucg/user-[0-9]*) case ${rel#umucg/user-} in */*) left="$left $rel";; esac;;
			c[0-9]* | [0-9]*) case ${rel%%/*} in *[!c0-9]*) left="$left $rel";; *) echo "| note: left in elogind's $rel";; esac;;
			*) left="$left $rel";;
			esac
		done
		[ -z "$left" ] && return 0
		sleep 0.5
	done
	return 1
}

ran=0
for name in $UMUCG_DISTRO_CASES; do
	file=$T/cases/$name.sh
	say "BEGIN $name"
	if [ ! -f "$file" ]; then
		say "FAIL $name: no such case in the payload"
		continue
	fi
	if [ $installed = no ]; then
		say "FAIL $name: umucg's package did not install (install.log above)"
		continue
	fi
	limit=$(sed -n 's/^# distro-timeout: *\([0-9][0-9]*\).*/\1/p' "$file" | head -n1)
	find "$CG" -mindepth 1 -type d | sort > "$T/dirs.before"
	start=$(uptime_s)
	( cd / && exec timeout -k 15 "${limit:-120}" sh "$file" ) > "$T/case.out" 2>&1
	rc=$?
	end=$(uptime_s)
	sed 's/^/| /' "$T/case.out"
	secs=$(awk "BEGIN { printf \"%.1f\", $end - $start }")
	verdict=PASS
	why=
	case $rc in
	0) ;;
	77) verdict=SKIP why="case skipped itself";;
	124 | 137 | 143) verdict=FAIL why="stopped after ${limit:-120}s (case timeout)";;
	*) verdict=FAIL why="exit status $rc";;
	esac
	if ! leftovers; then
		echo "| leftovers: $left"
		verdict=FAIL
		why="${why:+$why; }left processes or groups behind"
		for p in $(pgrep -u user,user2); do kill -9 "$p" 2>/dev/null; done
	fi
	ran=$((ran + 1))
	say "$verdict $name${why:+: $why} (${secs}s)"
done
kill "$watchdog" 2>/dev/null
say "DONE ran=$ran uptime=$(uptime_s)"
sync
poweroff -f
