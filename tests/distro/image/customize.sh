#!/bin/sh
# Distro tier recipe, mmdebstrap's customize hook: configure the root at $1 from the host
# (chroot where a program of the image must run). Part of the image's cache key.
set -eu
r=${1:?root directory}

echo umucg-distro > "$r/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 umucg-distro\n' > "$r/etc/hosts"
# Root on the first virtio disk; no fsck under TCG (the disk is a fresh overlay each run).
printf '/dev/vda / ext4 rw,errors=remount-ro 0 0\n' > "$r/etc/fstab"

# OpenRC on a pure cgroup2 hierarchy, the way OpenRC users set it.
if grep -q '^#*rc_cgroup_mode=' "$r/etc/rc.conf"; then
	sed -i 's/^#*rc_cgroup_mode=.*/rc_cgroup_mode="unified"/' "$r/etc/rc.conf"
else
	echo 'rc_cgroup_mode="unified"' >> "$r/etc/rc.conf"
fi
grep -q '^rc_cgroup_mode="unified"$' "$r/etc/rc.conf"

# No virtual consoles (qemu runs without a display): drop the gettys of tty1-6.
sed -i '/^[1-6]:[0-9]*:respawn:.*getty/s/^/#/' "$r/etc/inittab"

# Two unprivileged users with login shells and home directories.
chroot "$r" useradd -m -u 1000 -U -s /bin/bash user
chroot "$r" useradd -m -u 1001 -U -s /bin/bash user2

# The test entry point (init=/usr/local/sbin/umucg-test-init on the kernel's command
# line): unpack the per-run payload from the second disk (a plain tar archive on
# /dev/vdb) and hand over to its preinit, which installs umucg and execs /sbin/init.
# Everything that changes between runs lives in the payload, not in the image.
mkdir -p "$r/usr/local/sbin"
cat > "$r/usr/local/sbin/umucg-test-init" << 'INIT'
#!/bin/sh
# umucg distro tier: unpack the payload disk, run its preinit (which execs /sbin/init).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
d=/var/lib/umucg-test
rm -rf "$d" && mkdir -p "$d" && tar -xf /dev/vdb -C "$d" && [ -x "$d/preinit.sh" ] &&
	exec "$d/preinit.sh" "$@"
echo "umucg-test-init: no payload on /dev/vdb; booting normally" > /dev/console
exec /sbin/init "$@"
INIT
chmod 755 "$r/usr/local/sbin/umucg-test-init"

# The test user's Wine prefix, made here natively so the VM never runs wineboot
# under TCG. wine needs /proc in the chroot (mmdebstrap mounts it in root mode; if
# not, mount it for the duration).
mounted=
if [ ! -e "$r/proc/self/stat" ]; then
	mount -t proc proc "$r/proc"
	mounted=1
fi
asuser() {
	chroot --userspec=1000:1000 "$r" env -i HOME=/home/user USER=user LOGNAME=user \
		PATH=/usr/bin:/bin WINEPREFIX=/home/user/.wine WINEDEBUG=-all \
		WINEDLLOVERRIDES='mscoree,mshtml=' "$@"
}
st=0
asuser wine wineboot -i || st=$?
asuser wineserver -w || :
# The prefix works: a Windows console program's exit status comes back.
rc=0
asuser wine cmd /c exit 3 || rc=$?
asuser wineserver -w || :
rm -rf "$r/tmp/.wine-1000"
[ -n "$mounted" ] && umount "$r/proc"
[ "$st" = 0 ] || { echo "customize: wineboot -i failed ($st)" >&2; exit 1; }
[ "$rc" = 3 ] || { echo "customize: wine cmd /c exit 3 returned $rc, not 3" >&2; exit 1; }
[ -f "$r/home/user/.wine/system.reg" ] || { echo "customize: no Wine prefix made" >&2; exit 1; }
echo "customize: Wine prefix of user ready (wine cmd /c exit 3 -> 3)"
