# man: umucg(1), every command; libumucg(3), the library.
dist_man_MANS += man/umucg.1 man/libumucg.3
