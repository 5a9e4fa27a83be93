#!/bin/busybox sh
# /init of the test VM: mount a pure-cgroup2 world, run each case, report on the serial console.
#
# Protocol (parsed by run-vm-tests.sh): "@@VM BEGIN name", the case's output
# prefixed with "| ", then "@@VM PASS name", "@@VM FAIL name: why" or
# "@@VM SKIP name: why"; "@@VM DONE" before poweroff. Nothing else is trusted.

/bin/busybox --install -s /bin
export PATH=/tests/bin:/bin
# The cpio archive carries the builder's uid; the VM's files belong to root.
for d in /*; do
	case $d in /proc | /sys | /dev) ;; *) chown -R 0:0 "$d";; esac
done
# /tmp stays on the rootfs: the install prefix may live under it (make distcheck's does).
mkdir -p /proc /sys /dev /tmp /run /home/user
chmod 1777 /tmp
chown 1000:1000 /home/user
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
# Keep kernel messages (OOM reports) off the console so they cannot split a protocol line.
dmesg -n 1
. /etc/umucg-vm.env

say() { echo "@@VM $*"; }

# The kernel only accepts a newline-free token list on its command line.
tests=
for arg in $(cat /proc/cmdline); do
	case $arg in umucg.tests=*) tests=$(echo "${arg#umucg.tests=}" | tr , ' ');; esac
done
[ -n "$tests" ] || tests=$UMUCG_VM_CASES

say "BOOTED uptime=$(cut -d' ' -f1 /proc/uptime) kernel=$(uname -r) ncpu=$(nproc)"
say "INFO controllers=$(cat /sys/fs/cgroup/cgroup.controllers)"

# VM-wide watchdog: a hung case must not hang the run.
( sleep "${UMUCG_VM_WATCHDOG:-240}"; say "WATCHDOG fired after ${UMUCG_VM_WATCHDOG:-240}s"; poweroff -f ) &
watchdog=$!

# Every controller the kernel has, enabled from the root down, like a systemd host.
for c in $(cat /sys/fs/cgroup/cgroup.controllers); do
	echo "+$c" > /sys/fs/cgroup/cgroup.subtree_control || say "INFO cannot enable $c at the root"
done

# What is alive ("pid:state" in $PIDS) without forking: a subshell would list itself.
user_pids() {
	_out=
	for _d in /proc/[0-9]*; do
		_p=${_d#/proc/}
		read -r _stat 2>/dev/null < "$_d/stat" || continue
		_rest=${_stat##*) }
		set -- $_rest
		# Kernel threads are kthreadd (2) and its children.
		[ "$_p" = 2 ] || [ "$2" = 2 ] && continue
		[ "$_p" = $$ ] && continue
		_out="$_out $_p:$1"
	done
	PIDS=$_out
}
# umucg's own base directories are made once and meant to stay.
groups_now() { find /sys/fs/cgroup -type d | grep -vxE '/sys/fs/cgroup/umucg(/system)?' | sort; }

# Remove what a failed case left, so the next case starts clean.
sweep() {
	for _pid in $1; do kill -9 "${_pid%%:*}" 2>/dev/null; done
	for _g in $2; do
		[ -d "$_g" ] || continue
		echo 1 > "$_g/cgroup.kill" 2>/dev/null
	done
	sleep 0.3
	for _g in $(echo "$2" | tr ' ' '\n' | sort -r); do rmdir "$_g" 2>/dev/null; done
}

# Anything alive now that was not before, and every zombie; retried briefly
# because a process killed a moment ago may still be waiting to be reaped.
leftovers() {
	_try=0
	while :; do
		_procs=
		_zombies=
		user_pids
		for _e in $PIDS; do
			case " $base_pids " in *" ${_e%%:*}:"*) continue;; esac
			if [ "${_e#*:}" = Z ]; then
				_zombies="$_zombies ${_e%%:*}"
			else
				_procs="$_procs ${_e%%:*}"
			fi
		done
		_groups=$(groups_now | grep -vxF "$base_groups" | tr '\n' ' ')
		[ -z "$_procs$_zombies$_groups" ] && return 0
		_try=$((_try + 1))
		[ $_try -ge 20 ] && break
		sleep 0.1
	done
	left_procs=$_procs
	left_zombies=$_zombies
	left_groups=$_groups
	return 1
}

describe() {
	for _p in $1; do echo "$_p($(tr '\0' ' ' < /proc/$_p/cmdline 2>/dev/null | cut -c1-60))"; done | tr '\n' ' '
}

ran=0
for name in $tests; do
	file=/tests/cases/$name.sh
	say "BEGIN $name"
	if [ ! -f "$file" ]; then
		say "FAIL $name: no such case in the image"
		continue
	fi
	limit=$(sed -n 's/^# vm-timeout: *\([0-9][0-9]*\).*/\1/p' "$file" | head -n1)
	user_pids
	base_pids=$PIDS
	base_groups=$(groups_now)
	start=$(cut -d' ' -f1 /proc/uptime)
	( cd /tmp && exec timeout -s KILL "${limit:-60}" sh "$file" ) > /tmp/case.out 2>&1
	rc=$?
	end=$(cut -d' ' -f1 /proc/uptime)
	sed 's/^/| /' /tmp/case.out
	secs=$(awk "BEGIN { printf \"%.1f\", $end - $start }")
	verdict=PASS
	why=
	case $rc in
	0) ;;
	77) verdict=SKIP why="case skipped itself";;
	137) verdict=FAIL why="killed after ${limit:-60}s (case timeout)";;
	*) verdict=FAIL why="exit status $rc";;
	esac
	if ! leftovers; then
		[ -n "$left_procs" ] && echo "| leftover processes: $(describe "$left_procs")"
		[ -n "$left_zombies" ] && echo "| leftover zombies: $left_zombies"
		[ -n "$left_groups" ] && echo "| leftover groups: $left_groups"
		verdict=FAIL
		why="${why:+$why; }left processes, zombies or groups behind"
		sweep "$left_procs" "$left_groups"
	fi
	# Each case starts on a machine where umucg never ran: a base left from an
	# earlier case (and its controllers, or lack of them) must not decide the next.
	rmdir /sys/fs/cgroup/umucg/system /sys/fs/cgroup/umucg 2>/dev/null
	ran=$((ran + 1))
	say "$verdict $name${why:+: $why} (${secs}s)"
done
kill "$watchdog" 2>/dev/null
say "DONE ran=$ran uptime=$(cut -d' ' -f1 /proc/uptime)"
sync
poweroff -f
