# Peers' own test suites against umucg (test-peers.sh): dumb-init's pytest
# suite and tini's test programs, from Debian's source packages, fetched
# into the build tree on first use; skips loudly what the machine lacks.
TESTS += tests/peers/test-peers.sh
EXTRA_DIST += tests/peers/test-peers.sh tests/peers/tini-stages.py \
	tests/peers/umucg_stop_signals.py tests/peers/README

# The fetched sources are kept for later runs; make clean removes them.
clean-peers:
	rm -rf tests/peers/src
.PHONY: clean-peers
