#!/bin/sh
# VM tier, host side: build an initramfs holding busybox, the installed umucg and the
# cases, boot Debian's kernel under qemu (TCG), and report each case from the serial log.
#
# Run by `make check` (from the top build directory, $srcdir = top source directory)
# or by hand: tests/vm/run-vm-tests.sh [CASE...]. Environment knobs:
#   UMUCG_VM_KERNEL   kernel image (default: newest readable /boot/vmlinuz-*)
#   UMUCG_VM_QEMU     qemu binary (default: qemu-system-x86_64)
#   UMUCG_VM_DESTDIR  an already-installed tree (make install DESTDIR=...) to use as is
#   UMUCG_VM_CASES    cases to run, space-separated (default: every tests/vm/cases/*.sh)
#   UMUCG_VM_TIMEOUT  hard limit for the whole boot in seconds (default: the
#                     watchdog's + 40)
#   UMUCG_VM_WATCHDOG the in-VM watchdog in seconds (default: the sum of the
#                     cases' own "# vm-timeout:" limits, 60 each without one, + 30)
#   UMUCG_VM_KEEP=1   keep tests/vm/build (image, serial log) for inspection
# Exit: 0 all passed, 1 a failure, 77 skipped (no qemu/kernel/busybox), 99 hard error.

set -u

me=$(basename "$0")
vmsrc=$(cd "$(dirname "$0")" && pwd)
top_builddir=${UMUCG_VM_BUILDDIR:-${UMUCG_TOP_BUILDDIR:-$(pwd)}}
# In-tree runs by hand from elsewhere: fall back to the source tree's build.
[ -f "$top_builddir/Makefile" ] || top_builddir=$(cd "$vmsrc/../.." && pwd)
vmbuild=$top_builddir/tests/vm

skip() {
	{
		echo "##############################################################"
		echo "SKIP: VM tests did not run: $*"
		echo "SKIP: install qemu-system-x86 linux-image-amd64 busybox-static"
		echo "##############################################################"
	} | tee /dev/stderr
	# Under automake's TAP driver (make check) a skip is a TAP skip-all.
	[ "${UMUCG_VM_TAP:-0}" = 1 ] && { echo "1..0 # SKIP VM tests did not run: $*"; exit 0; }
	exit 77
}
hard_error() {
	echo "ERROR: $me: $*" >&2
	echo "ERROR: $*"
	[ "${UMUCG_VM_TAP:-0}" = 1 ] && echo "Bail out! $*"
	exit 99
}

# --- What the host must have --------------------------------------------------
[ "$(uname -m)" = x86_64 ] || skip "host is $(uname -m), the tier boots x86_64 binaries"
QEMU=${UMUCG_VM_QEMU:-qemu-system-x86_64}
command -v "$QEMU" > /dev/null 2>&1 || skip "$QEMU not found"
KERNEL=${UMUCG_VM_KERNEL:-}
if [ -z "$KERNEL" ]; then
	for k in $(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V); do
		[ -r "$k" ] && KERNEL=$k
	done
fi
[ -n "$KERNEL" ] && [ -r "$KERNEL" ] || skip "no readable kernel image (${UMUCG_VM_KERNEL:-/boot/vmlinuz-*})"
BUSYBOX=${UMUCG_VM_BUSYBOX:-$(command -v busybox 2>/dev/null || true)}
[ -n "$BUSYBOX" ] || [ ! -x /bin/busybox ] || BUSYBOX=/bin/busybox
[ -n "$BUSYBOX" ] && [ -x "$BUSYBOX" ] || skip "busybox not found"
for tool in ldd find timeout awk od; do
	command -v $tool > /dev/null 2>&1 || skip "$tool not found"
done
# GNU cpio, else busybox's own (it writes newc archives too).
if command -v cpio > /dev/null 2>&1; then CPIO=cpio; else CPIO="$BUSYBOX cpio"; fi

# --- Cases ---------------------------------------------------------------------
if [ $# -gt 0 ]; then
	CASES="$*"
elif [ -n "${UMUCG_VM_CASES:-}" ]; then
	CASES=$UMUCG_VM_CASES
else
	CASES=$(cd "$vmsrc/cases" && ls -1 *.sh | sed 's/\.sh$//' | sort | tr '\n' ' ')
fi
set -- $CASES
expected=$#
[ "$expected" -gt 0 ] || hard_error "no cases in $vmsrc/cases"

# --- Stage the root file system ---------------------------------------------------
stage=$vmbuild/build
root=$stage/root
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	[ "${UMUCG_VM_KEEP:-0}" = 1 ] || rm -rf "$stage"
}
trap cleanup EXIT
trap 'exit 99' INT TERM HUP
rm -rf "$stage"
mkdir -p "$root/bin" "$root/etc" "$root/tests/bin" "$root/tests/cases" || hard_error "cannot create $stage"

t0=$(date +%s)
if [ -n "${UMUCG_VM_DESTDIR:-}" ]; then
	dest=$UMUCG_VM_DESTDIR
else
	dest=$stage/dest
	# MAKEFLAGS from `make check` carry the jobserver; install needs nothing from it.
	env -u MAKEFLAGS -u MFLAGS make -C "$top_builddir" install DESTDIR="$dest" > "$stage/install.log" 2>&1 ||
		{ cat "$stage/install.log"; hard_error "make install DESTDIR=$dest failed (log above)"; }
fi
umucg_bin=$(find "$dest" -path '*/bin/umucg' \( -type f -o -type l \) | head -n1)
[ -n "$umucg_bin" ] || hard_error "no bin/umucg under $dest"
cp -a "$dest/." "$root/" || hard_error "cannot copy $dest"
in_vm_bindir=${umucg_bin#"$dest"}
in_vm_bindir=${in_vm_bindir%/umucg}
libdirs=$(find "$dest" -name 'libumucg.so*' -exec dirname {} \; | sort -u | tr '\n' ':')
in_vm_libdirs=$(echo "$libdirs" | tr ':' '\n' | sed "s|^$dest||" | grep . | tr '\n' ':')

cp "$BUSYBOX" "$root/bin/busybox" || hard_error "cannot copy $BUSYBOX"

# Test helpers: check_PROGRAMS built by make, else compiled here (runs by hand).
# Sanitizer builds (.ci/sanitize) get plain ones: a 1000-process tree of ASan
# processes does not fit in the VM, and the helpers are not what is under test.
sanitized() { ldd "$1" 2>/dev/null | grep -Eq 'lib(a|ub|t|m|l)san'; }
for h in memhog forkbomb proctree runas; do
	if [ -x "$vmbuild/$h" ] && [ "$vmbuild/$h" -nt "$vmsrc/$h.c" ] && ! sanitized "$vmbuild/$h"; then
		cp "$vmbuild/$h" "$root/tests/bin/$h"
	else
		cc -std=gnu11 -O2 -static -o "$root/tests/bin/$h" "$vmsrc/$h.c" ||
			cc -std=gnu11 -O2 -o "$root/tests/bin/$h" "$vmsrc/$h.c" ||
			hard_error "cannot build $h"
	fi
done

# jq for the cases that parse JSON output (a case without it skips, loudly).
if command -v jq > /dev/null 2>&1; then
	cp "$(command -v jq)" "$root/tests/bin/jq" || hard_error "cannot copy jq"
fi
# Kernel modules a case loads (mem-low: a RAM disk with ext4, for page cache
# that reclaim can take without swap), where the host has them for this kernel.
kver=${KERNEL##*/vmlinuz-}
for m in drivers/block/brd.ko crypto/crc32c_generic.ko lib/crc16.ko fs/mbcache.ko fs/jbd2/jbd2.ko \
	fs/ext4/ext4.ko; do
	src=/lib/modules/$kver/kernel/$m
	[ -f "$src" ] || continue
	mkdir -p "$root/lib/modules/$kver/kernel/${m%/*}" && cp "$src" "$root/lib/modules/$kver/kernel/$m" ||
		hard_error "cannot copy $src"
done

# Every shared library the binaries need, at the path the host's loader found it.
copy_libs() {
	LD_LIBRARY_PATH="${libdirs}${LD_LIBRARY_PATH:-}" ldd "$1" 2>/dev/null |
		awk '/=> \// { print $3 } /^[ \t]*\/[^ ]+ \(0x/ { print $1 }' |
		while read -r lib; do
			case $lib in "$dest"/*) continue;; esac
			[ -e "$root$lib" ] && continue
			mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib" ||
				{ echo "cannot copy $lib" >&2; exit 1; }
		done || return 1
	if LD_LIBRARY_PATH="${libdirs}${LD_LIBRARY_PATH:-}" ldd "$1" 2>/dev/null | grep -q 'not found'; then
		echo "$1: unresolved libraries:" >&2
		LD_LIBRARY_PATH="${libdirs}" ldd "$1" >&2
		return 1
	fi
}
for f in $(find "$root" -type f -perm -u+x); do
	case $(head -c 4 "$f" | od -An -c | tr -d ' ') in
	177ELF) copy_libs "$f" || hard_error "library collection failed for $f";;
	esac
done
# Libraries umucg dlopen()s where needed (libcap for run --user, setup and
# doctor; libcgroup for doctor), which ldd cannot see, with their own needs.
LDCONFIG=$(command -v ldconfig 2>/dev/null || echo /sbin/ldconfig)
for soname in libcap.so.2 libcgroup.so.2; do
	lib=$("$LDCONFIG" -p 2>/dev/null | awk -v n="$soname" '$1 == n && /x86-64/ { print $NF; exit }')
	[ -n "$lib" ] || hard_error "$soname not found on the host (ldconfig -p)"
	[ -e "$root$lib" ] || { mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib"; } ||
		hard_error "cannot copy $lib"
	copy_libs "$lib" || hard_error "library collection failed for $lib"
done
# The loader's own library directories: a libumucg from the install tree plus the host's.
all_libdirs=$(cd "$root" && find . -name '*.so*' -type f -exec dirname {} \; | sed 's|^\.||' | sort -u | tr '\n' ':')

cp "$vmsrc/init.sh" "$root/init" && chmod 755 "$root/init"
cp "$vmsrc/lib.sh" "$root/tests/lib.sh"
for c in "$@"; do
	[ -f "$vmsrc/cases/$c.sh" ] || hard_error "no case $vmsrc/cases/$c.sh"
	cp "$vmsrc/cases/$c.sh" "$root/tests/cases/$c.sh"
done
chmod -R a+rX "$root"
# Each case is killed at its own limit; the watchdog only catches what that misses.
budget=30
for c in "$@"; do
	t=$(sed -n 's/^# vm-timeout: *\([0-9][0-9]*\).*/\1/p' "$vmsrc/cases/$c.sh" | head -n1)
	budget=$((budget + ${t:-60}))
done
watchdog=${UMUCG_VM_WATCHDOG:-$budget}
cat > "$root/etc/passwd" << 'PW'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:unprivileged tester:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
cat > "$root/etc/group" << 'GR'
root:x:0:
user:x:1000:
nogroup:x:65534:
GR
printf 'passwd: files\ngroup: files\nshadow: files\n' > "$root/etc/nsswitch.conf"
cat > "$root/etc/umucg-vm.env" << ENV
export PATH=$in_vm_bindir:/tests/bin:/bin:/sbin:/usr/bin:/usr/sbin
export LD_LIBRARY_PATH=${in_vm_libdirs}${all_libdirs%:}
export UMUCG_VM_CASES="$*"
export UMUCG_VM_WATCHDOG=$watchdog
export HOME=/root
ENV
image=$stage/initramfs.cpio
(cd "$root" && find . | LC_ALL=C sort | $CPIO -o -H newc > "$image" 2> "$stage/cpio.log") ||
	{ cat "$stage/cpio.log"; hard_error "cpio failed"; }
t1=$(date +%s)

# --- Boot ----------------------------------------------------------------------
log=$stage/serial.log
hard=${UMUCG_VM_TIMEOUT:-$((watchdog + 40))}
echo "# kernel $KERNEL, qemu $($QEMU --version | head -n1), image $(du -h "$image" | cut -f1), staged in $((t1 - t0))s"
timeout -k 5 "$hard" "$QEMU" -accel tcg -cpu max -smp 2 -m 1024 \
	-nodefaults -no-user-config -display none -monitor none \
	-serial "file:$log" -no-reboot \
	-kernel "$KERNEL" -initrd "$image" \
	-append "console=ttyS0 panic=-1 quiet no_timer_check" < /dev/null &
qemu_pid=$!
wait "$qemu_pid"
qemu_rc=$?
qemu_pid=
t2=$(date +%s)

# --- Report --------------------------------------------------------------------
tr -d '\r' < "$log" > "$log.txt" 2>/dev/null || : > "$log.txt"
echo "# ---- serial console ----"
sed 's/^/# /' "$log.txt"
echo "# ---- end of serial console ----"
echo "# boot+tests took $((t2 - t1))s (qemu exit $qemu_rc)"
booted=$(sed -n 's/^@@VM BOOTED uptime=\([0-9.]*\).*/\1/p' "$log.txt")
[ -n "$booted" ] && echo "# kernel reached /init after ${booted}s of guest time"
[ "$qemu_rc" = 124 ] && echo "# qemu was killed after ${hard}s (hard timeout)"
grep -q '^@@VM WATCHDOG' "$log.txt" && echo "# the in-VM watchdog fired: a case hung"

passed=0
failed=0
skipped=0
n=0
tap() { [ "${UMUCG_VM_TAP:-0}" = 1 ] && echo "$*"; return 0; }
tap "1..$#"
for c in "$@"; do
	n=$((n + 1))
	line=$(grep -E "^@@VM (PASS|FAIL|SKIP) $c( |:|\$)" "$log.txt" | tail -n1)
	case $line in
	"@@VM PASS $c"*) echo "PASS: $c${line#"@@VM PASS $c"}"; passed=$((passed + 1))
		tap "ok $n - $c${line#"@@VM PASS $c"}";;
	"@@VM SKIP $c"*) echo "SKIP: $c${line#"@@VM SKIP $c"}"; skipped=$((skipped + 1))
		tap "ok $n - $c # SKIP${line#"@@VM SKIP $c"}";;
	"@@VM FAIL $c"*) echo "FAIL: $c${line#"@@VM FAIL $c"}"; failed=$((failed + 1))
		tap "not ok $n - $c${line#"@@VM FAIL $c"}";;
	*)
		if grep -q "^@@VM BEGIN $c\$" "$log.txt"; then
			echo "FAIL: $c: started but never finished (VM crashed, hung or was killed)"
		else
			echo "FAIL: $c: never ran (VM crashed, hung or did not boot)"
		fi
		tap "not ok $n - $c: never finished"
		failed=$((failed + 1));;
	esac
done
done_ok=0
grep -q '^@@VM DONE' "$log.txt" && done_ok=1
if [ $done_ok = 0 ] && [ $failed = 0 ]; then
	echo "FAIL: vm: the run did not finish (no @@VM DONE)"
	tap "Bail out! the VM run did not finish (no @@VM DONE)"
	failed=$((failed + 1))
fi
[ $skipped -gt 0 ] && echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ $failed = 0 ] && [ $((passed + skipped)) = "$expected" ] && [ $done_ok = 1 ] && exit 0
exit 1
