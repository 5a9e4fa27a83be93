#!/bin/sh
# test-recipes.sh - what can be checked here of the Alpine, Gentoo and
# Artix/Arch recipes, which only those distributions can build: each parses
# (bash -n), defines the functions its builder calls, carries this tree's
# version, uses only configure options that exist, and installs from the
# tarball only files that the tree has; metadata.xml is well-formed; the
# Debian .install files name only files that exist. TAP.
set -u
top=${UMUCG_TOP_SRCDIR:?run through make check}
bld=${UMUCG_TOP_BUILDDIR:?run through make check}
command -v bash >/dev/null || { echo "1..0 # SKIP bash is missing"; exit 0; }
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
version=$(sed -n 's/^PACKAGE_VERSION = //p' "$bld/Makefile")
options=$("$top/configure" --help)

# recipe FILE FUNCTIONS...: parses; defines FUNCTIONS once sourced (with the
# builder's helpers stubbed); prints its pkgver
defines() {
	bash -c '
		inherit() { :; }; EGIT_REPO_URI=; f=$1; shift
		. "$f" >/dev/null 2>&1 || exit 1
		for fn; do declare -F "$fn" >/dev/null || { echo "no $fn" >&2; exit 1; }; done' sh "$@"
}
pkgver_of() { bash -c 'inherit() { :; }; . "$1" >/dev/null 2>&1; echo "${pkgver:-}"' sh "$1"; }
# files of the tree a recipe installs from the unpacked tarball
tree_files_exist() {
	for f in $(grep -o 'examples/[A-Za-z0-9_./-]*' "$1" | sort -u); do
		[ -e "$top/$f" ] || { echo "# $1 installs $f, which the tree lacks"; return 1; }
	done
}
options_exist() {
	for o in $(grep -o -- '--with[a-z-]*\|use_with [a-z]*' "$1" | sed 's/use_with /--with-/' | sort -u); do
		printf '%s\n' "$options" | grep -q -- "$o" || { echo "# $1 passes $o, configure has no such option"; return 1; }
	done
}

apk=$top/contrib/alpine/APKBUILD
check "APKBUILD parses" bash -n "$apk"
check "APKBUILD defines build, package and _pam" defines "$apk" build package _pam
check "APKBUILD is at version $version" test "$(pkgver_of "$apk")" = "$version"
check "APKBUILD's configure options exist" options_exist "$apk"
check "APKBUILD installs only files the tree has" tree_files_exist "$apk"

pkg=$top/contrib/arch/PKGBUILD
check "PKGBUILD parses" bash -n "$pkg"
check "PKGBUILD defines build and a package function per package" \
	defines "$pkg" build package_umucg package_umucg-openrc
check "PKGBUILD is at version $version" test "$(pkgver_of "$pkg")" = "$version"
check "PKGBUILD's configure options exist" options_exist "$pkg"
check "PKGBUILD installs only files the tree has" tree_files_exist "$pkg"

ebuild=$top/contrib/gentoo/sys-process/umucg/umucg-9999.ebuild
check "ebuild parses" bash -n "$ebuild"
check "ebuild defines src_prepare, src_configure, src_install" \
	defines "$ebuild" src_prepare src_configure src_install
check "ebuild's configure options exist" options_exist "$ebuild"
check "ebuild installs only files the tree has" tree_files_exist "$ebuild"
if command -v python3 >/dev/null; then
	check "metadata.xml is well-formed" python3 -c \
		'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' \
		"$top/contrib/gentoo/sys-process/umucg/metadata.xml"
fi

debian_sources_exist() {
	for f in $(awk 'NF == 2 { print $1 }' "$top"/contrib/debian/*.install); do
		case $f in debian/*) f=contrib/$f;; esac
		[ -e "$top/$f" ] || { echo "# a .install names $f, which the tree lacks"; return 1; }
	done
}
check "the Debian .install files name only files the tree has" debian_sources_exist
check "contrib/debian/changelog is at version $version" \
	grep -q "^umucg ($version-[0-9]*)" "$top/contrib/debian/changelog"

echo "1..$n"
exit $((failed > 0))
