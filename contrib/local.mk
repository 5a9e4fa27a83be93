# contrib/: packaging. Debian's is built here by 'make deb'; the Alpine,
# Gentoo and Artix/Arch recipes are for those distributions' own builders.
EXTRA_DIST += \
	contrib/debian/README \
	contrib/debian/changelog \
	contrib/debian/control \
	contrib/debian/copyright \
	contrib/debian/rules \
	contrib/debian/source/format \
	contrib/debian/umucg.install \
	contrib/debian/umucg.lintian-overrides \
	contrib/debian/libumucg0.install \
	contrib/debian/libumucg-dev.install \
	contrib/debian/libpam-umucg.install \
	contrib/debian/libpam-umucg.postinst \
	contrib/debian/libpam-umucg.prerm \
	contrib/debian/libumucg0.lintian-overrides \
	contrib/debian/libumucg-dev.lintian-overrides \
	contrib/debian/libpam-umucg.lintian-overrides \
	contrib/debian/pam-configs/umucg

# make deb: the Debian packages of this tree, built from its distribution
# tarball with contrib/debian as debian/ (dpkg-buildpackage -us -uc -b), then
# checked by lintian, which fails the target on any error or warning. The
# .debs are left in $(DEB_DIR) = <build dir>/deb/, a stable path (the distro
# tier installs from it).
DEB_DIR = $(abs_top_builddir)/deb
DEB_WORK = $(abs_top_builddir)/deb-build
deb: dist-gzip
	@for t in dpkg-buildpackage dh lintian; do \
	  command -v $$t >/dev/null || { echo "make deb: $$t is missing (apt-get install dpkg-dev debhelper lintian)" >&2; exit 1; }; \
	done
	@v=`sed -n '1s/^umucg (\(.*\)-[^-]*).*/\1/p' $(srcdir)/contrib/debian/changelog`; \
	test "$$v" = "$(PACKAGE_VERSION)" || { echo "make deb: contrib/debian/changelog is at $$v, configure.ac at $(PACKAGE_VERSION): add a changelog entry" >&2; exit 1; }
	rm -rf $(DEB_WORK) $(DEB_DIR)
	mkdir -p $(DEB_WORK) $(DEB_DIR)
	tar -C $(DEB_WORK) -xzf $(distdir).tar.gz
	cp -R $(DEB_WORK)/$(distdir)/contrib/debian $(DEB_WORK)/$(distdir)/debian
	cd $(DEB_WORK)/$(distdir) && dpkg-buildpackage -us -uc -b
	mv $(DEB_WORK)/*.deb $(DEB_WORK)/*.changes $(DEB_WORK)/*.buildinfo $(DEB_DIR)/
	lintian --fail-on error,warning --info $(DEB_DIR)/*.changes
	rm -rf $(DEB_WORK)
	@echo "make deb: packages in $(DEB_DIR):"; ls $(DEB_DIR)
.PHONY: deb

clean-deb:
	rm -rf $(DEB_WORK) $(DEB_DIR)
.PHONY: clean-deb

# What can be checked here of the recipes other distributions build.
TESTS += contrib/test-recipes.sh
EXTRA_DIST += contrib/test-recipes.sh \
	contrib/alpine/APKBUILD \
	contrib/arch/PKGBUILD \
	contrib/gentoo/sys-process/umucg/umucg-9999.ebuild \
	contrib/gentoo/sys-process/umucg/metadata.xml
