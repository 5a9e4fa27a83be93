# man: umucg(1), every command; libumucg(3), the library; pam_umucg(8).
dist_man_MANS += man/umucg.1 man/libumucg.3
# pam_umucg(8) with the module (automake distributes it either way)
if HAVE_PAM
dist_man_MANS += man/pam_umucg.8
endif
