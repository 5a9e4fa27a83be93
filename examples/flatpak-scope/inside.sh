#!/bin/sh
# inside.sh - the flatpak-scope trick, sandbox side: move this process into
# the group made outside (it sees only that directory) and become the command.
#
#   inside.sh NAME CMD [ARG...]        (UMUCG_GROUP_PATH set by outside.sh)
#
# As a Steam launch option inside a Flatpak Steam, with the group made by
# outside.sh (or by hand: umucg create game --mem 4G):
#   UMUCG_GROUP_PATH=/sys/fs/cgroup/umucg/user-1000/game /path/to/inside.sh game %command%
set -eu

[ $# -ge 2 ] || { echo "usage: $0 NAME CMD [ARG...]" >&2; exit 125; }
name=$1
shift
: "${UMUCG_GROUP_PATH:?set UMUCG_GROUP_PATH to the path umucg create printed}"
exec "${UMUCG_BIN:-umucg}" join "$name" --path "$UMUCG_GROUP_PATH" -- "$@"
