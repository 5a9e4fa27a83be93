#!/bin/sh
# Distro tier: a throwaway umucg .deb from `make install` of the build tree, laid out as
# a Debian package installs it (prefix /usr, /etc/init.d/umucg, PAM module if built),
# until contrib/debian's `make deb` exists. Usage: make-deb.sh BUILDDIR SRCDIR OUT.deb
set -eu
builddir=$1 srcdir=$2 out=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
# MAKEFLAGS from `make check` carry the jobserver; install needs nothing from it.
env -u MAKEFLAGS -u MFLAGS make -C "$builddir" install DESTDIR="$root" \
	prefix=/usr exec_prefix=/usr sysconfdir=/etc > "$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log" >&2; exit 1; }
install -D -m 755 "$srcdir/examples/openrc/umucg" "$root/etc/init.d/umucg"
version=$(sed -n 's/^PACKAGE_VERSION = //p' "$builddir/Makefile")
mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" << CONTROL
Package: umucg
Version: ${version:-0}~distro-tier
Architecture: $(dpkg --print-architecture)
Maintainer: umucg test suite <root@localhost>
Depends: libc6, libcap2, libcgroup2, libpam0g
Section: admin
Priority: optional
Description: cgroup-v2 manager for process trees (test build)
 Throwaway package of the distro tier (tests/distro/make-deb.sh).
CONTROL
echo /etc/init.d/umucg > "$root/DEBIAN/conffiles"
printf '#!/bin/sh\nset -e\nldconfig\n' > "$root/DEBIAN/postinst"
chmod 755 "$root/DEBIAN/postinst"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$out" > /dev/null
