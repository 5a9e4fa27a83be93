#!/bin/sh
# Distro tier, host side: a Debian bookworm image (sysvinit + OpenRC, elogind, Wine) built
# by mmdebstrap and cached outside the tree, umucg's .deb installed into a qcow2 overlay
# of it at boot, booted from disk under qemu (TCG); each case reported from the guest's
# second serial port. See tests/distro/README.
#
# Run by `make check` (from the top build directory) or by hand:
# tests/distro/run-distro-tests.sh [CASE...]. Environment knobs:
#   UMUCG_DISTRO_CACHE    image cache (default /var/cache/umucg-distro); one directory
#                         per recipe hash, the two most recently used are kept
#   UMUCG_DISTRO_BUILD=0  never build the image: skip when it is not cached
#   UMUCG_DISTRO_BUILD_TIMEOUT  hard limit for the image build (default 1800 s)
#   UMUCG_DISTRO_DEB_FROM deb (default: `make deb` in the build tree) or install
#                         (make-deb.sh: make install packed by dpkg-deb, faster)
#   UMUCG_DISTRO_DEBS     a directory of already-built .debs to test as they are
#   UMUCG_DISTRO_CASES    cases to run, space-separated (default: every cases/*.sh)
#   UMUCG_DISTRO_TIMEOUT  hard limit for qemu in seconds (default 900)
#   UMUCG_DISTRO_QEMU     qemu binary (default qemu-system-x86_64)
#   UMUCG_DISTRO_SMP, UMUCG_DISTRO_MEM  guest vCPUs and MiB (default 2, 2048)
#   UMUCG_DISTRO_KEEP=1   keep tests/distro/build (overlay, payload, serial logs)
#   UMUCG_DISTRO_BREAK_SERVICE=1, UMUCG_DISTRO_NO_PAM=1, UMUCG_DISTRO_PAM_ARGS=...
#                         deliberate breakages (the service's setup fails; no PAM line;
#                         options on the pam_umucg line), to see cases fail
#   UMUCG_DISTRO_MIRROR, UMUCG_DISTRO_SUITE  passed to the image build
# Exit: 0 all passed, 1 a failure, 77 skipped (tools missing, not root), 99 hard error.

set -u

me=$(basename "$0")
# Under automake's TAP driver (make check, the .sh driver the VM tier set up) each case is a TAP line.
tapmode=${UMUCG_DISTRO_TAP:-${UMUCG_VM_TAP:-0}}
dsrc=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "$dsrc/../.." && pwd)
top_builddir=${UMUCG_TOP_BUILDDIR:-$(pwd)}
[ -f "$top_builddir/Makefile" ] || top_builddir=$top_srcdir/build
dbuild=$top_builddir/tests/distro

skip() {
	{
		echo "##############################################################"
		echo "SKIP: distro tests did not run: $*"
		echo "SKIP: they need root and: mmdebstrap qemu-system-x86 qemu-utils e2fsprogs"
		echo "##############################################################"
	} | tee /dev/stderr
	[ "$tapmode" = 1 ] && { echo "1..0 # SKIP distro tests did not run: $*"; exit 0; }
	exit 77
}
hard_error() {
	echo "ERROR: $me: $*" >&2
	[ "$tapmode" = 1 ] && echo "Bail out! $*"
	exit 99
}

# --- What the host must have ---------------------------------------------------------
# .ci/sanitize's second make check: the tier tests a package on a real system,
# which that run's sanitizer-built binaries cannot be; the main make check runs it.
[ -n "${UMUCG_DISTRO_SKIP:-}" ] && skip "$UMUCG_DISTRO_SKIP"
[ "$(uname -m)" = x86_64 ] || skip "host is $(uname -m), the image is amd64"
[ "$(id -u)" = 0 ] || skip "not root (mmdebstrap's root mode and chroot need it)"
QEMU=${UMUCG_DISTRO_QEMU:-qemu-system-x86_64}
for tool in "$QEMU" qemu-img mkfs.ext4 dpkg-deb tar timeout sha256sum flock; do
	command -v "$tool" > /dev/null 2>&1 || skip "$tool not found"
done

# --- Cases -----------------------------------------------------------------------------
if [ $# -gt 0 ]; then
	CASES="$*"
elif [ -n "${UMUCG_DISTRO_CASES:-}" ]; then
	CASES=$UMUCG_DISTRO_CASES
else
	# The order of a session's life: boot, login, games, logout, other users, doctor.
	CASES="elogind service login wine-run wine-stop logout isolation doctor"
fi
set -- $CASES
expected=$#
for c in "$@"; do [ -f "$dsrc/cases/$c.sh" ] || hard_error "no case $dsrc/cases/$c.sh"; done

# Remove an image directory: never across a mount point (a build killed mid-way could
# leave the chroot's /proc or /dev mounted); lazily unmount whatever is left first.
remove_tree() {
	[ -e "$1" ] || return 0
	awk -v p="$1/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m"; done
	rm -rf --one-file-system "$1"
}

# --- The image: cached by the hash of its recipe -----------------------------------------
cache=${UMUCG_DISTRO_CACHE:-/var/cache/umucg-distro}
key=$( (cd "$dsrc/image" && cat build-image.sh customize.sh packages; echo "${UMUCG_DISTRO_SUITE:-bookworm}") |
	sha256sum | cut -c1-16)
img=$cache/$key
mkdir -p "$cache" || hard_error "cannot create $cache"
t0=$(date +%s)
built=cached
if [ ! -f "$img/ok" ]; then
	[ "${UMUCG_DISTRO_BUILD:-1}" = 0 ] && skip "no cached image $img and UMUCG_DISTRO_BUILD=0"
	command -v mmdebstrap > /dev/null 2>&1 || skip "mmdebstrap not found (needed to build the image)"
	# One build at a time; a second runner waits for it and then uses it.
	exec 9> "$cache/.lock"
	flock 9
	if [ ! -f "$img/ok" ]; then
		echo "# building the image $img (recipe changed or not cached)"
		remove_tree "$img"
		remove_tree "$img.tmp"
		# Bounded too: a stalled mirror must not hang make check (a build takes 2-4 min).
		timeout -k 10 "${UMUCG_DISTRO_BUILD_TIMEOUT:-1800}" "$dsrc/image/build-image.sh" "$img.tmp" ||
			{ remove_tree "$img.tmp"; hard_error "image build failed"; }
		touch "$img.tmp/ok" && mv "$img.tmp" "$img" || hard_error "cannot move the image into $img"
		built=built
	fi
	flock -u 9
	exec 9>&-
fi
touch "$img/ok" "$img"
# Keep the two most recently used images; older recipes go.
ls -1dt "$cache"/*/ 2>/dev/null | tail -n +3 | while read -r old; do
	case $old in *.tmp/) continue;; esac
	echo "# removing the old image $old"
	remove_tree "${old%/}"
done
t1=$(date +%s)

# --- The per-run payload: umucg's .deb, the guest scripts, the cases ------------------------
stage=$dbuild/build
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	[ "${UMUCG_DISTRO_KEEP:-0}" = 1 ] || rm -rf "$stage"
}
trap cleanup EXIT
trap 'exit 99' INT TERM HUP
rm -rf "$stage"
mkdir -p "$stage/payload/cases" || hard_error "cannot create $stage"
pl=$stage/payload
mkdir -p "$pl/debs"
if [ -n "${UMUCG_DISTRO_DEBS:-}" ]; then
	cp "$UMUCG_DISTRO_DEBS"/*.deb "$pl/debs/" || hard_error "no .deb in $UMUCG_DISTRO_DEBS"
elif [ "${UMUCG_DISTRO_DEB_FROM:-deb}" = install ]; then
	"$dsrc/make-deb.sh" "$top_builddir" "$top_srcdir" "$pl/debs/umucg.deb" || hard_error "make-deb.sh failed"
else
	# The packages under test: `make deb` (contrib/debian, lintian-checked) in the build
	# tree. MAKEFLAGS from `make check` carry the jobserver; make deb needs nothing of it.
	env -u MAKEFLAGS -u MFLAGS nice make -C "$top_builddir" deb > "$stage/deb.log" 2>&1 ||
		{ tail -n 40 "$stage/deb.log"; hard_error "make deb failed (log above)"; }
	for p in umucg libumucg0 libpam-umucg; do
		d=$(ls -1t "$top_builddir/deb/${p}_"*.deb 2>/dev/null | head -n1)
		[ -n "$d" ] || hard_error "make deb made no ${p}_*.deb in $top_builddir/deb"
		cp "$d" "$pl/debs/"
	done
fi
cp "$dsrc/guest/preinit.sh" "$dsrc/guest/runner.sh" "$dsrc/guest/lib.sh" "$pl/" || hard_error "cannot copy the guest scripts"
for c in "$@"; do cp "$dsrc/cases/$c.sh" "$pl/cases/" || hard_error "cannot copy case $c"; done
{
	echo "UMUCG_DISTRO_CASES=\"$*\""
	echo "UMUCG_DISTRO_WATCHDOG=${UMUCG_DISTRO_WATCHDOG:-$(( ${UMUCG_DISTRO_TIMEOUT:-900} - 60 ))}"
	echo "UMUCG_DISTRO_BREAK_SERVICE=${UMUCG_DISTRO_BREAK_SERVICE:-}"
	echo "UMUCG_DISTRO_NO_PAM=${UMUCG_DISTRO_NO_PAM:-}"
	echo "UMUCG_DISTRO_PAM_ARGS='${UMUCG_DISTRO_PAM_ARGS:-}'"
} > "$pl/env"
chmod -R a+rX "$pl"
# A plain tar archive is the second disk; the image's init unpacks it from /dev/vdb.
tar -C "$pl" --owner=0 --group=0 -cf "$stage/payload.tar" . || hard_error "tar failed"
qemu-img create -q -f qcow2 -b "$img/base.img" -F raw "$stage/root.qcow2" || hard_error "qemu-img failed"
t2=$(date +%s)

# --- Boot ----------------------------------------------------------------------------
console=$stage/console.log
results=$stage/results.log
hard=${UMUCG_DISTRO_TIMEOUT:-900}
# No SMAP: qemu 7.2's TCG reads the user stack with supervisor rights in iretq from
# ring 3, which Wine's syscall return path uses; with SMAP every Wine process oopses.
CPU=${UMUCG_DISTRO_CPU:-max,-smap}
echo "# image $img ($built in $((t1 - t0))s), $(grep -c . "$img/manifest") packages; packages and payload made in $((t2 - t1))s: $(cd "$pl/debs" && echo *.deb)"
echo "# qemu: $($QEMU --version | head -n1), TCG -cpu $CPU, ${UMUCG_DISTRO_SMP:-2} vCPUs, ${UMUCG_DISTRO_MEM:-2048} MiB, hard timeout ${hard}s"
nice timeout -k 5 "$hard" "$QEMU" -accel tcg -cpu "$CPU" -smp "${UMUCG_DISTRO_SMP:-2}" -m "${UMUCG_DISTRO_MEM:-2048}" \
	-nodefaults -no-user-config -display none -monitor none -no-reboot \
	-serial "file:$console" -serial "file:$results" \
	-kernel "$img/vmlinuz" -initrd "$img/initrd.img" \
	-append "root=/dev/vda rw console=ttyS0 init=/usr/local/sbin/umucg-test-init panic=-1 quiet loglevel=4" \
	-drive "file=$stage/root.qcow2,if=virtio,format=qcow2,cache=unsafe" \
	-drive "file=$stage/payload.tar,if=virtio,format=raw,readonly=on" < /dev/null &
qemu_pid=$!
wait "$qemu_pid"
qemu_rc=$?
qemu_pid=
t3=$(date +%s)

# --- Report ----------------------------------------------------------------------------
tr -d '\r' < "$results" > "$results.txt" 2>/dev/null || : > "$results.txt"
tr -d '\r' < "$console" 2>/dev/null | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' > "$console.txt" || : > "$console.txt"
echo "# ---- guest report (second serial port) ----"
sed 's/^/# /' "$results.txt"
echo "# ---- end of guest report ----"
booted=$(sed -n 's/^@@DISTRO BOOTED uptime=\([0-9.]*\).*/\1/p' "$results.txt")
echo "# boot+cases took $((t3 - t2))s (qemu exit $qemu_rc)${booted:+; the runner started ${booted}s after the kernel}"
[ "$qemu_rc" = 124 ] && echo "# qemu was killed after ${hard}s (hard timeout)"
grep -q '^@@DISTRO WATCHDOG' "$results.txt" && echo "# the in-guest watchdog fired: a case hung"

passed=0 failed=0 skipped=0 n=0
tap() { [ "$tapmode" = 1 ] && echo "$*"; return 0; }
tap "1..$#"
for c in "$@"; do
	n=$((n + 1))
	line=$(grep -E "^@@DISTRO (PASS|FAIL|SKIP) $c( |:|\$)" "$results.txt" | tail -n1)
	case $line in
	"@@DISTRO PASS $c"*) echo "PASS: $c${line#"@@DISTRO PASS $c"}"; passed=$((passed + 1))
		tap "ok $n - $c${line#"@@DISTRO PASS $c"}";;
	"@@DISTRO SKIP $c"*) echo "SKIP: $c${line#"@@DISTRO SKIP $c"}"; skipped=$((skipped + 1))
		tap "ok $n - $c # SKIP${line#"@@DISTRO SKIP $c"}";;
	"@@DISTRO FAIL $c"*) echo "FAIL: $c${line#"@@DISTRO FAIL $c"}"; failed=$((failed + 1))
		tap "not ok $n - $c${line#"@@DISTRO FAIL $c"}";;
	*)
		if grep -q "^@@DISTRO BEGIN $c\$" "$results.txt"; then
			why="started but never finished (guest crashed, hung or was killed)"
		else
			why="never ran (guest crashed, hung or did not boot)"
		fi
		echo "FAIL: $c: $why"
		tap "not ok $n - $c: $why"
		failed=$((failed + 1));;
	esac
done
done_ok=0
grep -q '^@@DISTRO DONE' "$results.txt" && done_ok=1
if [ $done_ok = 0 ] && [ $failed = 0 ]; then
	echo "FAIL: distro: the run did not finish (no @@DISTRO DONE)"
	tap "Bail out! the distro run did not finish (no @@DISTRO DONE)"
	failed=$((failed + 1))
fi
if [ $failed != 0 ] || [ $done_ok = 0 ]; then
	echo "# ---- last 60 lines of the guest's console (ttyS0) ----"
	tail -n 60 "$console.txt" | sed 's/^/# /'
fi
[ $skipped -gt 0 ] && echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ $failed = 0 ] && [ $((passed + skipped)) = "$expected" ] && [ $done_ok = 1 ] && exit 0
exit 1
