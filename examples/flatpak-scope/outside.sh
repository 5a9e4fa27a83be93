#!/bin/sh
# outside.sh - the flatpak-scope trick, host side: make the group before the
# sandbox starts, then start the sandboxed game with the wrapper inside it.
#
#   outside.sh NAME FLATPAK-APP [ARG...]
#   e.g. outside.sh game com.valvesoftware.Steam
#
# The group gets the limits in UMUCG_LIMITS (default: --mem 4G); its path is
# passed into the sandbox, which is given write access to just that directory
# (--filesystem), so that inside.sh can move itself there with
# 'umucg join --path'. When the sandbox exits, the group is stopped and removed.
set -eu

[ $# -ge 2 ] || { echo "usage: $0 NAME FLATPAK-APP [ARG...]" >&2; exit 125; }
name=$1
app=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck disable=SC2086 # UMUCG_LIMITS is a list of options
path=$(umucg create "$name" ${UMUCG_LIMITS:---mem 4G})
trap 'umucg stop "$name" --grace 10 >/dev/null 2>&1 || :' EXIT INT TERM HUP

# umucg must be reachable inside the sandbox too: pass the host binary.
umucg_bin=$(command -v umucg)
status=0
flatpak run \
	--filesystem="$path" \
	--filesystem="$umucg_bin:ro" \
	--filesystem="$here/inside.sh:ro" \
	--env=UMUCG_GROUP_PATH="$path" \
	--env=UMUCG_BIN="$umucg_bin" \
	--command="$here/inside.sh" \
	"$app" "$name" "$@" || status=$?
exit "$status"
