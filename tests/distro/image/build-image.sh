#!/bin/sh
# Distro tier recipe: build the Debian bookworm image (OpenRC + elogind + Wine) into DIR.
#
# Usage: build-image.sh DIR   (as root; DIR must not exist; it is made atomically by
# the caller, see run-distro-tests.sh). Leaves in DIR:
#   base.img      raw ext4 file system of the root (no partition table; root=/dev/vda)
#   vmlinuz       the image's own Debian kernel, initrd.img its initramfs-tools initramfs
#   manifest      the packages and versions installed (dpkg-query)
#   build.log     mmdebstrap's log
# Knobs: UMUCG_DISTRO_MIRROR (default http://deb.debian.org/debian), UMUCG_DISTRO_SUITE
# (default bookworm). Everything in this directory is hashed into the cache key.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build-image.sh DIR}
mirror=${UMUCG_DISTRO_MIRROR:-http://deb.debian.org/debian}
suite=${UMUCG_DISTRO_SUITE:-bookworm}
[ "$(id -u)" = 0 ] || { echo "build-image.sh: needs root (mmdebstrap root mode, chroot)" >&2; exit 1; }
command -v mmdebstrap > /dev/null || { echo "build-image.sh: mmdebstrap not found" >&2; exit 1; }
command -v mkfs.ext4 > /dev/null || { echo "build-image.sh: mkfs.ext4 not found" >&2; exit 1; }

mkdir "$out"
root=$out/root
include=$(grep -v '^#' "$here/packages" | grep -v '^$' | tr '\n' ',' | sed 's/,$//')
# The security suite carries the current kernel; the main suite everything else.
sec=$(echo "$mirror" | sed 's|/debian$|/debian-security|')
# --variant=minbase: essential packages plus apt and the list above, nothing recommended.
# The customize hook configures the root from the host side (chroot where it must).
nice mmdebstrap --mode=root --variant=minbase --aptopt='APT::Install-Recommends "false"' \
	--include="$include" \
	--customize-hook="sh '$here/customize.sh' \"\$1\"" \
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
	"$suite" "$root" \
	"deb $mirror $suite main" "deb $mirror $suite-updates main" "deb $sec $suite-security main" \
	> "$out/build.log" 2>&1 || { tail -n 60 "$out/build.log" >&2; exit 1; }

# The kernel and initramfs the image's own packages made, for qemu's direct boot.
kver=$(ls -1 "$root/lib/modules" | sort -V | tail -n1)
cp "$root/boot/vmlinuz-$kver" "$out/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$out/initrd.img"
chroot "$root" dpkg-query -W -f '${Package} ${Version}\n' > "$out/manifest"

# The root file system: its size plus room for the tests' writes (a qcow2 overlay
# takes them at run time, the base stays untouched).
kib=$(du -sk "$root" | cut -f1)
size=$(( (kib * 13 / 10 + 512 * 1024) / 1024 ))M
nice mkfs.ext4 -q -F -L umucg-root -E root_owner=0:0 -d "$root" "$out/base.img" "$size" >> "$out/build.log" 2>&1 ||
	{ tail -n 20 "$out/build.log" >&2; exit 1; }
rm -rf "$root"
echo "kernel $kver, root $((kib / 1024)) MiB, image $size"
