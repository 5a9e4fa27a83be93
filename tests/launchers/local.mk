# Launcher chains and shell completions (issue 15): shell tests speaking TAP.
# test-launchers.sh runs the lines of examples/launchers/ as written, with
# real gamemoderun and mangohud (gamescope real where it can start, else a
# stand-in, said loudly); test-completion.sh loads each completion in its
# own shell (bash, zsh, fish). Both skip loudly what the machine lacks.
TESTS += tests/launchers/test-launchers.sh tests/launchers/test-completion.sh
EXTRA_DIST += tests/launchers/test-launchers.sh tests/launchers/test-completion.sh \
	tests/launchers/zcomplete.zsh tests/launchers/fakegame \
	tests/launchers/standin/gamescope tests/launchers/standin/umu-run
