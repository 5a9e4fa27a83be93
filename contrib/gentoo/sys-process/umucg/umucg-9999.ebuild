# Copyright 2026 Gentoo Authors
# Distributed under the terms of the GNU General Public License v2

EAPI=8

inherit autotools git-r3 pam

DESCRIPTION="cgroup-v2 manager for process trees without systemd"
HOMEPAGE="https://example.invalid/umucg"
# Set to the project's repository (or use a release tarball in SRC_URI).
EGIT_REPO_URI="https://example.invalid/umucg.git"

LICENSE="all-rights-reserved"
SLOT="0"
IUSE="+pam"
# The suite needs root, a cgroup2 mount and qemu.
RESTRICT="test"

# libcap and libcgroup are dlopen()ed at run time; their headers are needed
# to build.
DEPEND="
	dev-libs/libcgroup
	sys-libs/libcap
	pam? ( sys-libs/pam )
"
RDEPEND="${DEPEND}"
BDEPEND="virtual/pkgconfig"

src_prepare() {
	default
	eautoreconf
}

src_configure() {
	econf \
		$(use_with pam) \
		--with-pammoddir="$(getpam_mod_dir)"
}

src_install() {
	default
	find "${ED}" -name '*.la' -delete || die
	newinitd examples/openrc/umucg umucg
}

pkg_postinst() {
	elog "Prepare cgroup2 at boot (with rc_cgroup_mode=\"unified\" in /etc/rc.conf):"
	elog "    rc-update add umucg boot"
	if use pam; then
		elog "Put each login in the user's delegated subtree: in /etc/pam.d/system-login,"
		elog "after the pam_elogind line, add"
		elog "    session    optional    pam_umucg.so"
	fi
}
