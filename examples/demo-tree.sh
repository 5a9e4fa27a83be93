#!/bin/sh
# demo-tree.sh - a small stand-in for a game launch: the main process exits
# early while a double-forked helper (think wineserver) lives on. Under
# `umucg run` the run ends only when the helper is gone too.
echo "demo: main process $$ in cgroup $(sed -n 's/^0:://p' /proc/self/cgroup)"
( setsid sh -c 'sleep 1; echo "demo: double-forked helper $$ done"' & )
echo "demo: main process exits now; umucg waits for the helper"
