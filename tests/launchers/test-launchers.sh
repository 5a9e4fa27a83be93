#!/bin/bash
# test-launchers.sh - the launch lines the docs recommend (examples/launchers/,
# examples/steam/umucg-steam), read from those files and run as written, with
# the game's command replaced by tests/launchers/fakegame. Real gamemoderun
# and mangohud (Debian's gamemode and mangohud); gamescope real when it can
# start here, else a STAND-IN, said loudly; umu-run always a stand-in (not in
# Debian). For each line: the game's environment is exactly the one the same
# chain gives it without umucg (and the wrappers' libraries are mapped in
# it); every process of the chain is in the group (its cgroup.procs and each
# /proc/PID/cgroup); `umucg stop NAME` ends them all (no process of the chain
# left, group removed). Root and a cgroup2 mount; TAP (make check).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=${UMUCG_TOP_SRCDIR:-$(cd "$here/../.." && pwd)}
ex=$top/examples/launchers

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }
loud() { # a banner in the log, for what a reader must not miss
	echo "# ########################################################################"
	for l in "$@"; do echo "# $l"; done
	echo "# ########################################################################"
}

[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (groups on the cgroup2 mount)"; exit 0; }
mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo 2>/dev/null)
[ -n "$mnt" ] || { echo "1..0 # SKIP no cgroup2 mount"; exit 0; }
bin=${UMUCG_BIN:?UMUCG_BIN is not set: run through make check}
umucg_exe=$(readlink -f "$bin")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umucg-launchers.XXXXXX") || exit 99
base=$mnt/umucg-test-launchers-$$
mkdir "$base" || exit 99
tokens=umucg-launch-$$
daemons=()

token_pids() { # pids of live processes whose environment holds LAUNCH_TOKEN=$1
	grep -lsxz "LAUNCH_TOKEN=$1" /proc/[0-9]*/environ 2>/dev/null |
		sed 's|^/proc/\([0-9]*\)/environ$|\1|'
}
cleanup() {
	local p g
	for p in $(grep -lsz "^LAUNCH_TOKEN=$tokens-" /proc/[0-9]*/environ 2>/dev/null |
		sed 's|^/proc/\([0-9]*\)/environ$|\1|'); do
		kill -9 "$p" 2>/dev/null
	done
	for g in "$base"/*/; do
		[ -d "$g" ] || continue
		echo 1 >"$g/cgroup.kill" 2>/dev/null
		rmdir "$g" 2>/dev/null || { sleep 0.2; rmdir "$g" 2>/dev/null; }
	done
	rmdir "$base" 2>/dev/null || echo "# cleanup: could not remove $base"
	for p in "${daemons[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' HUP INT TERM

# ---- what this machine has --------------------------------------------------
# PATH as a desktop user's (Debian puts gamemoderun, gamescope in /usr/games);
# $tmp/bin holds umucg and, where needed, the stand-ins.
mkdir -p "$tmp/bin" "$tmp/home"
ln -s "$bin" "$tmp/bin/umucg"
path=$tmp/bin:/usr/local/bin:/usr/bin:/bin:/usr/games
have() { PATH=$path command -v "$1" >/dev/null 2>&1; }
missing=
for p in gamemoderun:gamemode mangohud:mangohud dbus-daemon:dbus-daemon dbus-monitor:dbus-bin; do
	have "${p%%:*}" || missing="$missing ${p#*:}"
done
if [ -n "$missing" ]; then
	loud "MISSING Debian packages:$missing" \
		"the launcher lines are NOT tested: apt-get install$missing (dev/packages has them)"
	echo "1..0 # SKIP missing Debian packages:$missing"
	exit 0
fi

# A private session bus. libgamemodeauto (preloaded by gamemoderun) asks
# gamemoded over the session bus to register the game, and without a bus it
# aborts the game. The bus has no service files, so no gamemoded starts and
# nothing on this machine changes; dbus-monitor records the request, and
# with it the pid gamemode was asked to register.
cat >"$tmp/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$tmp</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
dbus-daemon --config-file="$tmp/bus.conf" --nofork --print-address=3 3>"$tmp/bus.addr" 2>"$tmp/bus.err" &
daemons+=($!)
for _ in $(seq 100); do [ -s "$tmp/bus.addr" ] && break; sleep 0.05; done
bus=$(head -n1 "$tmp/bus.addr")
[ -n "$bus" ] || { echo "1..0 # SKIP dbus-daemon did not start: $(cat "$tmp/bus.err")"; exit 0; }
dbus-monitor --address "$bus" "interface='com.feralinteractive.GameMode'" >"$tmp/monitor.log" 2>&1 &
daemons+=($!)
for _ in $(seq 100); do grep -q NameAcquired "$tmp/monitor.log" 2>/dev/null && break; sleep 0.05; done

# gamescope: real if it starts here (nested in Xvfb; never without a display,
# where it would take the machine's DRM devices and VTs), else the stand-in.
gamescope=stand-in
display=
gs_why="gamescope is not installed"
if have gamescope; then
	if have Xvfb; then
		Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x720x24 3>"$tmp/xvfb.display" 2>"$tmp/xvfb.err" &
		daemons+=($!)
		for _ in $(seq 100); do [ -s "$tmp/xvfb.display" ] && break; sleep 0.05; done
		display=:$(head -n1 "$tmp/xvfb.display")
		env -i PATH="$path" HOME="$tmp/home" DISPLAY="$display" DBUS_SESSION_BUS_ADDRESS="$bus" \
			timeout -k 5 30 gamescope -W 640 -H 480 -- sh -c 'echo ran >"$1"' sh "$tmp/gs.ran" \
			>"$tmp/gs.log" 2>&1
		if [ -s "$tmp/gs.ran" ]; then
			gamescope=real
		else
			gs_why="gamescope $(dpkg-query -W -f '${Version}' gamescope 2>/dev/null) cannot start here (nested in Xvfb: '$(grep -v '^wlserver' "$tmp/gs.log" | tail -n 2 | tr '\n' ' ')')"
		fi
	else
		gs_why="gamescope is installed but Xvfb (xvfb) is not, to nest it in"
	fi
fi
if [ $gamescope = stand-in ]; then
	ln -s "$here/standin/gamescope" "$tmp/bin/gamescope"
	loud "REAL GAMESCOPE NOT TESTED: $gs_why." \
		"The gamescope lines run with tests/launchers/standin/gamescope, a STAND-IN" \
		"that forks a helper (as gamescope forks Xwayland) and runs the command after --."
	skip "real gamescope: $gs_why; the gamescope lines use a STAND-IN"
else
	echo "# gamescope: the real one, nested in Xvfb $display"
fi
# umu-launcher is not in Debian: always the stand-in (and never the real
# one, which downloads Proton).
ln -s "$here/standin/umu-run" "$tmp/bin/umu-run"
echo "# umu-run: tests/launchers/standin/umu-run, a STAND-IN (umu-launcher is not in Debian)"

# ---- one chain --------------------------------------------------------------
# Steam sets LD_PRELOAD (its overlay) for the whole launch line, umucg
# included; libm stands for the overlay: it must reach the game, with the
# wrappers' libraries added around it.
steam_env=(SteamAppId=1829980 SteamGameId=1829980 LD_PRELOAD=libm.so.6)
# A sanitized umucg (.ci/sanitize) must run with the preload before its
# runtime, and must keep writing its reports where the script reads them.
san_env=()
[ -n "${ASAN_OPTIONS:-}" ] && san_env+=("ASAN_OPTIONS=$ASAN_OPTIONS:verify_asan_link_order=0")
[ -n "${UBSAN_OPTIONS:-}" ] && san_env+=("UBSAN_OPTIONS=$UBSAN_OPTIONS")

# strip_umucg STRING: the same chain without "umucg run ... --" (the first
# "-- " after "umucg run" ends umucg's own options).
strip_umucg() {
	local s=$1 head rest
	case $s in *"umucg run "*) ;; *) printf '%s\n' "$s"; return ;; esac
	head=${s%%umucg run *}
	rest=${s#*umucg run }
	printf '%s%s\n' "$head" "${rest#*-- }"
}
clear_base() { # TOKEN: after a failure, so that the next line starts clean
	local g
	kill -9 $(token_pids "$1") 2>/dev/null
	for g in "$base"/*/; do
		[ -d "$g" ] || continue
		echo 1 >"$g/cgroup.kill" 2>/dev/null
		for _ in $(seq 20); do rmdir "$g" 2>/dev/null && break; sleep 0.05; done
	done
}
in_group() { # PID NAME: listed in the group's cgroup.procs and says so itself
	grep -qx "$1" "$base/$2/cgroup.procs" 2>/dev/null &&
		grep -qx "0::${base#"$mnt"}/$2" "/proc/$1/cgroup" 2>/dev/null
}
wait_gone() { # PID SECONDS: until PID is gone or a zombie
	local i=0 s
	while [ $i -lt $(($2 * 20)) ]; do
		s=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)
		[ -z "$s" ] || [ "$s" = Z ] && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# [chain_ref=REF] chain DESC NAME FLAGS COMMAND [VAR=VALUE...]
#   COMMAND: a shell command line with @GAME@ where the game's command goes;
#   REF: the same chain without umucg, when it is not COMMAND without its
#   "umucg run ... --".
#   NAME: the group the line must make. FLAGS (space-separated):
#     gm     gamemoderun: libgamemodeauto first in LD_PRELOAD, mapped in the
#            game, and gamemode asked (dbus) to register the game's pid
#     mh     mangohud: MANGOHUD=1, libMangoHud.so in LD_PRELOAD, mapped
#     dlsym  mangohud --dlsym or MANGOHUD_DLSYM=1: libMangoHud_dlsym.so too
#     gs     gamescope: it and its Xwayland in the group
#     umu    umu-run: UMU_ID given to the game, its wineserver in the group
#     steam  Steam's LD_PRELOAD (the overlay) kept
#     stubborn  the game's helper ignores SIGTERM: stop --grace 1 must kill it
#     sigterm   end it as Steam's Stop does, SIGTERM to the process Steam
#            started, instead of umucg stop
#     wrong  gamescope before umucg: gamescope and Xwayland must be OUTSIDE
chain() {
	local desc=$1 name=$2 flags=" $3 " cmd=$4
	shift 4
	local rec=$tmp/c$n token=$tokens-$n why="" p
	mkdir -p "$rec"
	local envs=(PATH="$path" HOME="$tmp/home" UMUCG_BASE="$base" DBUS_SESSION_BUS_ADDRESS="$bus"
		LAUNCH_TOKEN="$token" LAUNCH_REC="$rec" "${san_env[@]}" "$@")
	[ -n "$display" ] && envs+=(DISPLAY="$display")
	[[ $flags == *" gs "* || $flags == *" wrong "* ]] && [ $gamescope = stand-in ] &&
		desc="$desc [gamescope: STAND-IN]"
	[[ $flags == *" umu "* ]] && desc="$desc [umu-run: STAND-IN]"
	local gamecmd="'$here/fakegame' game"
	case $flags in *" stubborn "*) gamecmd="$gamecmd stubborn" ;; esac
	echo "# $desc: ${cmd//@GAME@/%command%}"

	# 1. the chain without umucg: the environment the game must get
	if [[ $flags != *" wrong "* ]]; then
		local ref
		ref=${chain_ref:-$(strip_umucg "$cmd")}
		env -i "${envs[@]}" timeout -k 5 30 sh -c "${ref//@GAME@/"'$here/fakegame' ref"}" \
			>"$rec/ref.out" 2>"$rec/ref.err" || why="$why; the chain without umucg failed ($(tail -n 3 "$rec/ref.err" | tr '\n' ' '))"
		# daemons it left (the stand-ins' wineserver), outside any group
		for _ in $(seq 40); do
			p=$(token_pids "$token")
			[ -z "$p" ] && break
			kill -9 $p 2>/dev/null
			sleep 0.05
		done
		[ -z "$p" ] || why="$why; processes of the chain without umucg would not die: $p"
		rm -f "$rec"/pid.*
	fi

	# 2. the documented line
	# a line that starts with umucg: umucg is the process the launcher started
	local run=${cmd//@GAME@/$gamecmd}
	[[ $run == "umucg "* ]] && run="exec $run"
	env -i "${envs[@]}" sh -c "$run" >"$rec/out" 2>"$rec/err" &
	local runner=$!
	for _ in $(seq 300); do [ -f "$rec/ready" ] && break; sleep 0.05; done
	if [ ! -f "$rec/ready" ]; then
		not_ok "$desc: the game never started: $(tail -n 5 "$rec/err" | tr '\n' ' ')"
		kill -9 "$runner" 2>/dev/null
		clear_base "$token"
		wait $runner 2>/dev/null
		return
	fi
	if [ $gamescope = real ] && [[ $flags == *" gs "* ]]; then
		for p in $(token_pids "$token"); do
			case $(cat "/proc/$p/comm" 2>/dev/null) in
			gamescope*) echo "$p" >"$rec/pid.gamescope" ;;
			Xwayland) echo "$p" >"$rec/pid.xwayland" ;;
			esac
		done
	fi
	local game helper
	game=$(cat "$rec/pid.game") helper=$(cat "$rec/pid.helper" 2>/dev/null)

	# 3. the environment and the libraries
	local envwhy=""
	if [[ $flags != *" wrong "* ]]; then
		if ! diff -u <(sort "$rec/ref.env") <(sort "$rec/game.env") >"$rec/env.diff"; then
			envwhy="$envwhy; differs from the chain's own without umucg: $(grep '^[-+][^-+]' "$rec/env.diff" | tr '\n' ' ')"
		fi
	fi
	local pre
	pre=$(sed -n 's/^LD_PRELOAD=//p' "$rec/game.env")
	expect_env() { grep -qxF -- "$1" "$rec/game.env" || envwhy="$envwhy; $1 missing"; }
	expect_map() { grep -q "/$1" "$rec/game.maps" || envwhy="$envwhy; $1 not mapped in the game"; }
	if [[ $flags == *" gm "* ]]; then
		[[ $pre == libgamemodeauto.so.0 || $pre == libgamemodeauto.so.0:* ]] || envwhy="$envwhy; LD_PRELOAD='$pre' does not start with libgamemodeauto.so.0"
		expect_map libgamemodeauto.so
		for _ in $(seq 40); do
			grep -A1 'member=RegisterGame$' "$tmp/monitor.log" | grep -qx "   int32 $game" && break
			sleep 0.05
		done
		grep -A1 'member=RegisterGame$' "$tmp/monitor.log" | grep -qx "   int32 $game" ||
			envwhy="$envwhy; gamemode was never asked to register the game ($game)"
	fi
	if [[ $flags == *" mh "* ]]; then
		expect_env MANGOHUD=1
		[[ :$pre: == *:libMangoHud.so:* ]] || envwhy="$envwhy; LD_PRELOAD='$pre' lacks libMangoHud.so"
		grep -q '^LD_LIBRARY_PATH=.*/usr/\$LIB/mangohud/' "$rec/game.env" || envwhy="$envwhy; LD_LIBRARY_PATH lacks /usr/\$LIB/mangohud/"
		expect_map libMangoHud.so
	fi
	if [[ $flags == *" dlsym "* ]]; then
		[[ :$pre: == *:libMangoHud_dlsym.so:* ]] || envwhy="$envwhy; LD_PRELOAD='$pre' lacks libMangoHud_dlsym.so"
		expect_map libMangoHud_dlsym.so
	fi
	[[ $flags == *" steam "* ]] && { [[ :$pre: == *:libm.so.6:* ]] || envwhy="$envwhy; Steam's LD_PRELOAD (libm.so.6) lost: '$pre'"; }
	[[ $flags == *" umu "* && $cmd =~ GAMEID=([^ ]+) ]] && expect_env "UMU_ID=${BASH_REMATCH[1]}"
	if [[ $flags == *" gs "* ]] && [ $gamescope = stand-in ]; then
		expect_env DISPLAY=:99
	fi
	if [[ $flags != *" wrong "* ]]; then
		if [ -z "$why$envwhy" ]; then
			ok "$desc: the game's environment is the chain's own, as without umucg (LD_PRELOAD '$pre')"
		else
			not_ok "$desc: environment${why}${envwhy}"
		fi
	fi

	# 4. every process of the chain in the group (and, in the wrong order,
	#    gamescope and its Xwayland outside it)
	local must=(game helper) mustnot=()
	[[ $flags == *" umu "* ]] && must+=(wineserver)
	if [[ $flags == *" wrong "* ]]; then
		mustnot=(gamescope xwayland)
	elif [[ $flags == *" gs "* ]]; then
		must+=(gamescope xwayland)
	fi
	for p in "${must[@]}" "${mustnot[@]}"; do # daemons write theirs on their own time
		for _ in $(seq 100); do [ -s "$rec/pid.$p" ] && break; sleep 0.05; done
	done
	local gwhy="" count=0 outside="" outside_pids=" "
	[ -d "$base/$name" ] || gwhy="$gwhy; no group $name (groups: $(ls "$base" | grep -v '^cgroup\.' | tr '\n' ' '))"
	for p in $(token_pids "$token"); do
		[ "$p" = "$runner" ] && continue # the shell that started the line, as Steam's own
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$umucg_exe" ] && continue
		if in_group "$p" "$name"; then
			count=$((count + 1))
		else
			outside="$outside $p($(cat "/proc/$p/comm" 2>/dev/null))"
			outside_pids="$outside_pids$p "
		fi
	done
	for p in "${must[@]}"; do
		if [ ! -s "$rec/pid.$p" ]; then
			gwhy="$gwhy; no $p process found"
		elif ! in_group "$(cat "$rec/pid.$p")" "$name"; then
			gwhy="$gwhy; $p ($(cat "$rec/pid.$p")) is not in the group"
		fi
	done
	if [[ $flags == *" wrong "* ]]; then
		for p in "${mustnot[@]}"; do
			if [ ! -s "$rec/pid.$p" ]; then
				gwhy="$gwhy; no $p process found"
			elif in_group "$(cat "$rec/pid.$p")" "$name"; then
				gwhy="$gwhy; $p ($(cat "$rec/pid.$p")) is in the group"
			else
				outside_pids=${outside_pids/ $(cat "$rec/pid.$p") / }
			fi
		done
		[ "$outside_pids" = " " ] || gwhy="$gwhy; outside too:$outside_pids(of$outside)"
		if [ -z "$gwhy" ]; then
			ok "$desc: gamescope ($(cat "$rec/pid.gamescope")) and its Xwayland ($(cat "$rec/pid.xwayland")) are outside group $name, the game ($game) and its helper in it: what the docs warn about"
		else
			not_ok "$desc: ${gwhy#; }"
		fi
	else
		[ -z "$outside" ] || gwhy="$gwhy; outside the group:$outside"
		if [ -z "$gwhy" ]; then
			ok "$desc: all $count processes of the chain are in group $name (${must[*]} among them)"
		else
			not_ok "$desc: ${gwhy#; }"
		fi
	fi

	# 5. Stop ends them all
	local swhy="" rc stopargs=()
	[[ $flags == *" stubborn "* ]] && stopargs=(--grace 1)
	if [[ $flags == *" sigterm "* ]]; then
		[ "$(readlink "/proc/$runner/exe" 2>/dev/null)" = "$umucg_exe" ] ||
			swhy="$swhy; the process the line started is not umucg"
		kill -TERM "$runner"
		local how="SIGTERM to umucg (Steam's Stop)"
	else
		"$bin" --base "$base" stop "${stopargs[@]}" "$name" >"$rec/stop.out" 2>&1 ||
			swhy="$swhy; umucg stop $name failed: $(cat "$rec/stop.out")"
		local how="umucg stop ${stopargs[*]}${stopargs[*]:+ }$name"
	fi
	if ! wait_gone "$runner" 20; then
		swhy="$swhy; the line still runs 20 s later"
		kill -9 "$runner" $(token_pids "$token") 2>/dev/null
	fi
	wait "$runner" 2>/dev/null
	rc=$?
	[ $rc = 143 ] || swhy="$swhy; exit status $rc, not 143 (128+SIGTERM): $(tail -n 3 "$rec/err" | tr '\n' ' ')"
	local left
	left=$(token_pids "$token" | tr '\n' ' ')
	[ -z "$left" ] || swhy="$swhy; left running: $left"
	for p in "$rec"/pid.*; do
		[ "$p" = "$rec/pid.ref" ] && continue
		wait_gone "$(cat "$p")" 1 || swhy="$swhy; ${p##*/pid.} ($(cat "$p")) left"
	done
	[ ! -d "$base/$name" ] || swhy="$swhy; group $name left behind"
	if [ -z "$swhy" ]; then
		ok "$desc: $how ends every process of the chain, removes the group, exit 143"
	else
		not_ok "$desc: $how: ${swhy#; }"
		clear_base "$token"
	fi
}

# ---- the documented lines ---------------------------------------------------
# lines FILE: the lines of an examples/launchers file, without comments
lines() { grep -v '^[[:space:]]*#' "$1" | grep -v '^[[:space:]]*$'; }

# Steam: %command% is the game's command.
mapfile -t steam < <(lines "$ex/steam.txt")
[ ${#steam[@]} = 4 ] || not_ok "steam.txt: expected its 4 lines, found ${#steam[@]}"
for l in "${steam[@]}"; do
	f="steam"
	[[ $l == *gamemoderun* ]] && f="$f gm"
	[[ $l == *mangohud* ]] && f="$f mh"
	[[ $l == *gamescope* ]] && f="$f gs"
	# the plain line ended as Steam's Stop does; gamemoderun mangohud with a
	# helper that ignores SIGTERM, so that only cgroup.kill ends it
	[[ $f == steam ]] && f="$f sigterm"
	[[ $f == "steam gm mh" ]] && f="$f stubborn"
	chain "Steam: $l" steam-1829980 "$f" "${l//%command%/@GAME@}" "${steam_env[@]}"
done
# What the docs say goes wrong: gamescope before umucg.
chain "Steam, the wrong order" steam-1829980 "wrong steam" \
	"gamescope -W 2560 -H 1440 -f -- umucg run -- @GAME@" "${steam_env[@]}"
# The Steam wrapper (its header's line), with the wrappers after it.
w=$(sed -n 's|^#[[:space:]]*/usr/share/doc/umucg/examples/steam/umucg-steam \(.*%command%\)$|\1|p' \
	"$top/examples/steam/umucg-steam" | grep gamemoderun | head -n1)
if [ -n "$w" ]; then
	# (the wrapper execs umucg: the chain without umucg is the rest of the line)
	chain_ref=${w//%command%/@GAME@} chain "Steam, examples/steam/umucg-steam $w" steam-1829980 \
		"steam gm mh" "'$top/examples/steam/umucg-steam' ${w//%command%/@GAME@}" "${steam_env[@]}"
else
	not_ok "examples/steam/umucg-steam: its header shows no line with gamemoderun"
fi

# Lutris: the command prefix, then what Lutris adds: with "FPS counter
# (MangoHud)" on, mangohud and MANGOHUD=1 MANGOHUD_DLSYM=1 after the prefix
# (lutris/runner_interpreter.py, get_launch_parameters). Lutris splits the
# prefix with shlex; the shell splits these lines the same way.
mapfile -t lutris < <(lines "$ex/lutris.txt")
[ ${#lutris[@]} = 3 ] || not_ok "lutris.txt: expected its 3 lines, found ${#lutris[@]}"
for l in "${lutris[@]}"; do
	f="mh dlsym"
	nm=mangohud
	[[ $l == *gamemoderun* ]] && { f="$f gm"; nm=gamemoderun; }
	[[ $l == *gamescope* ]] && { f="$f gs"; nm=gamescope; }
	chain "Lutris command prefix '$l' (MangoHud on)" "$nm" "$f" "$l mangohud @GAME@" \
		MANGOHUD=1 MANGOHUD_DLSYM=1
done

# Heroic: the wrapper rows in order, then Heroic's own MangoHud
# ("mangohud --dlsym") and GameMode ("gamemoderun") switches
# (src/backend/launcher.ts, setupWrappers).
heroic_setups=()
cur=
while IFS= read -r l; do
	if [[ $l =~ ^Wrapper:[[:space:]]*([^[:space:]]+)[[:space:]]+Arguments:[[:space:]]*(.*)$ ]]; then
		cur="$cur${cur:+ }${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
	elif [ -n "$cur" ]; then
		heroic_setups+=("$cur")
		cur=
	fi
done <"$ex/heroic.txt"
[ -n "$cur" ] && heroic_setups+=("$cur")
[ ${#heroic_setups[@]} = 2 ] || not_ok "heroic.txt: expected its 2 wrapper setups, found ${#heroic_setups[@]}"
for s in "${heroic_setups[@]}"; do
	f="gm mh dlsym"
	nm=mangohud
	[[ $s == *gamescope* ]] && { f="$f gs"; nm=gamescope; }
	chain "Heroic wrappers '$s' (MangoHud, GameMode on)" "$nm" "$f" \
		"$s mangohud --dlsym gamemoderun @GAME@"
done

# umu-run: the game is /path/to/game.exe.
mapfile -t umu < <(lines "$ex/umu-run.txt")
[ ${#umu[@]} = 1 ] || not_ok "umu-run.txt: expected its 1 line, found ${#umu[@]}"
for l in "${umu[@]}"; do
	nm=$(sed -n 's/.*--name \([^ ]*\) .*/\1/p' <<<"$l")
	chain "umu-run: $l" "$nm" "umu" "${l//\/path\/to\/game.exe/@GAME@}"
	# and what the file says of the default name: umu-run's, not umu-$UMU_ID
	nodef=${l/--name $nm /}
	chain "umu-run without --name: $nodef" umu-run "umu" "${nodef//\/path\/to\/game.exe/@GAME@}"
done

# A .desktop file: its Exec= line, the game at /path/to/game. Exec has no
# shell, but this line's quoting is the same in both.
exec_line=$(sed -n 's/^Exec=//p' "$ex/game.desktop")
if [ -n "$exec_line" ]; then
	nm=$(sed -n 's/.*--name \([^ ]*\) .*/\1/p' <<<"$exec_line")
	f=""
	[[ $exec_line == *gamemoderun* ]] && f="gm"
	chain ".desktop Exec=$exec_line" "$nm" "$f" "${exec_line//\/path\/to\/game/@GAME@}"
	if have desktop-file-validate; then
		if out=$(desktop-file-validate "$ex/game.desktop" 2>&1) && [ -z "$out" ]; then
			ok "examples/launchers/game.desktop passes desktop-file-validate"
		else
			not_ok "examples/launchers/game.desktop: desktop-file-validate: $out"
		fi
	else
		skip "desktop-file-validate is missing (desktop-file-utils)"
	fi
else
	not_ok "examples/launchers/game.desktop has no Exec= line"
fi

# ---- the docs show these lines and no others --------------------------------
# README.md and umucg(1) (with groff's escapes undone) hold every line above
# verbatim, so that what a user copies is what was tested.
man_text=$(sed -e 's/\\-/-/g' -e 's/\\(dq/"/g' -e 's/\\e/\\/g' -e 's/\\&//g' "$top/man/umucg.1")
dwhy=""
doc_lines=("${steam[@]}" "${lutris[@]}" "${umu[@]}" "Exec=$exec_line")
while IFS= read -r l; do doc_lines+=("$l"); done < <(grep '^Wrapper:' "$ex/heroic.txt")
doc_lines+=("gamescope -W 2560 -H 1440 -f -- umucg run -- %command%")
for l in "${doc_lines[@]}"; do
	grep -qF -- "$l" "$top/README.md" || dwhy="$dwhy; README.md lacks '$l'"
	grep -qF -- "$l" <<<"$man_text" || dwhy="$dwhy; umucg.1 lacks '$l'"
done
if [ -z "$dwhy" ]; then
	ok "README.md and umucg(1) show each tested line verbatim (${#doc_lines[@]} lines)"
else
	not_ok "docs drifted from examples/launchers:${dwhy#;}"
fi

echo "1..$n"
exit $failed
