# pam_umucg.so through a real PAM stack (pamtester + libpam-wrapper), as
# root on this machine's cgroup2 mount; skips loudly without them.
TESTS += tests/pam/test-pam.sh
EXTRA_DIST += tests/pam/test-pam.sh tests/pam/probe.sh tests/pam/fake-elogind.sh
if HAVE_PAM
AM_TESTS_ENVIRONMENT += UMUCG_PAM_MODULE='$(abs_top_builddir)/.libs/pam_umucg.so'; export UMUCG_PAM_MODULE;
endif
