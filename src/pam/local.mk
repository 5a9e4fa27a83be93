# pam_umucg.so: the PAM session module. The library's objects are linked
# into it (as into the umucg binary) instead of libumucg.so: a login must not
# depend on a shared library being present and of the right soname, and the
# module must not put libumucg's symbols into login/sshd/su's namespace. The
# version script exports only pam_sm_open_session and pam_sm_close_session.
if HAVE_PAM
pammod_LTLIBRARIES = pam_umucg.la
pam_umucg_la_SOURCES = src/pam/pam_umucg.c
pam_umucg_la_CFLAGS = $(AM_CFLAGS) $(PAM_CFLAGS)
pam_umucg_la_LIBADD = libumucg_core.la $(PAM_LIBS)
pam_umucg_la_LDFLAGS = -module -avoid-version -shared -no-undefined \
	-Wl,--version-script=$(srcdir)/src/pam/pam_umucg.sym
EXTRA_pam_umucg_la_DEPENDENCIES = $(srcdir)/src/pam/pam_umucg.sym
endif
EXTRA_DIST += src/pam/pam_umucg.sym

# pammoddir defaults to the system's PAM directory, outside --prefix:
# distcheck installs into its own prefix.
AM_DISTCHECK_CONFIGURE_FLAGS = --with-pammoddir='$${libdir}/security'
