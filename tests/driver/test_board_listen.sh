#!/bin/sh
# axon-board's socket file appears only once the server listens: a client
# that connects the moment the file exists is served (listen() is slowed by
# 500 ms with a preloaded shim to make the old window visible).
# usage: test_board_listen.sh AXON_BOARD AXON SLOW_LISTEN_SO
set -u
board=$1
axon=$2
shim=$3
tmp=$(mktemp -d)
LD_PRELOAD="$shim" "$board" --listen "$tmp/r.sock" --board 'sim:?size=small' 2> "$tmp/err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
i=0
while [ ! -S "$tmp/r.sock" ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done
"$axon" info --device "socket:$tmp/r.sock" > "$tmp/info" 2>&1
rc=$?
if [ $rc -eq 0 ]; then echo "ok: served as soon as the socket file exists"; else echo "FAIL: exit $rc:"; cat "$tmp/info"; fi
[ $rc -eq 0 ]
