# examples: installed under $(docdir)/examples; the C program is built by
# 'make check' against the build tree's libumucg, and
# examples/test-pkgconfig.sh builds it against an installed copy.
examplesdir = $(docdir)/examples
dist_examples_DATA = examples/distros.md examples/libumucg-demo.c
dist_examples_SCRIPTS = examples/demo-tree.sh
exampleopenrcdir = $(examplesdir)/openrc
dist_exampleopenrc_SCRIPTS = examples/openrc/umucg
examplepamdir = $(examplesdir)/pam
dist_examplepam_DATA = examples/pam/README
examplesteamdir = $(examplesdir)/steam
dist_examplesteam_SCRIPTS = examples/steam/umucg-steam

check_PROGRAMS += examples/libumucg-demo
examples_libumucg_demo_SOURCES = examples/libumucg-demo.c
examples_libumucg_demo_LDADD = libumucg.la

TESTS += examples/test-pkgconfig.sh
EXTRA_DIST += examples/test-pkgconfig.sh

# the flatpak-scope trick (issue 4): create outside, join inside
exampleflatpakdir = $(examplesdir)/flatpak-scope
dist_exampleflatpak_SCRIPTS = examples/flatpak-scope/outside.sh examples/flatpak-scope/inside.sh
TESTS += examples/flatpak-scope/test-flatpak-scope.sh
EXTRA_DIST += examples/flatpak-scope/test-flatpak-scope.sh

# launch lines for other launchers and wrappers (issue 15), tested as written
# by tests/launchers/test-launchers.sh
examplelaunchersdir = $(examplesdir)/launchers
dist_examplelaunchers_DATA = examples/launchers/steam.txt examples/launchers/lutris.txt \
	examples/launchers/heroic.txt examples/launchers/umu-run.txt examples/launchers/game.desktop
