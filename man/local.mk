# man: umucg(1), every command; libumucg(3), the library.
dist_man_MANS += man/umucg.1 man/libumucg.3
# the management commands and JSON fields (issue 4), for umucg.1 to include
EXTRA_DIST += man/umucg-manage.1.inc
