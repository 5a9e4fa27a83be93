#!/bin/sh
# Distro tier: a throwaway umucg .deb from `make install` of the build tree, laid out as
# the Debian packages install it (prefix /usr, /etc/init.d/umucg, pam_umucg.so in the
# system's PAM directory, the pam-auth-update profile). The tier uses `make deb` by
# default; this is UMUCG_DISTRO_DEB_FROM=install (no dist tarball, no lintian: faster
# while iterating on a case). Usage: make-deb.sh BUILDDIR SRCDIR OUT.deb
set -eu
builddir=$1 srcdir=$2 out=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
# MAKEFLAGS from `make check` carry the jobserver; install needs nothing from it.
env -u MAKEFLAGS -u MFLAGS make -C "$builddir" install DESTDIR="$root" \
	prefix=/usr exec_prefix=/usr sysconfdir=/etc \
	pammoddir="/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/security" \
	> "$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log" >&2; exit 1; }
install -D -m 755 "$srcdir/examples/openrc/umucg" "$root/etc/init.d/umucg"
install -D -m 644 "$srcdir/contrib/debian/pam-configs/umucg" "$root/usr/share/pam-configs/umucg"
version=$(sed -n 's/^PACKAGE_VERSION = //p' "$builddir/Makefile")
mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" << CONTROL
Package: umucg
Version: ${version:-0}~distro-tier
Architecture: $(dpkg --print-architecture)
Maintainer: umucg test suite <root@localhost>
Depends: libc6, libcap2, libcgroup2, libpam0g, libpam-runtime
Section: admin
Priority: optional
Description: cgroup-v2 manager for process trees (test build)
 Throwaway package of the distro tier (tests/distro/make-deb.sh).
CONTROL
echo /etc/init.d/umucg > "$root/DEBIAN/conffiles"
printf '#!/bin/sh\nset -e\nldconfig\n[ "$1" = configure ] && pam-auth-update --package\nexit 0\n' > "$root/DEBIAN/postinst"
chmod 755 "$root/DEBIAN/postinst"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$out" > /dev/null
