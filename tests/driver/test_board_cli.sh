#!/bin/sh
# axon-board's --listen: what a PATH and a HOST:PORT are, refusals with the
# real reason, and the socket file (never deletes what is not its own stale
# socket; a live one is "in use by pid N").
# usage: test_board_cli.sh AXON_BOARD AXON
set -u
board=$1
axon=$2
tmp=$(mktemp -d)
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$tmp"' EXIT
fails=0
check() { # check NAME EXPECTED_RC ACTUAL_RC
    if [ "$2" != "$3" ]; then echo "FAIL: $1: exit $3, expected $2"; fails=$((fails + 1)); else echo "ok: $1"; fi
}
contains() { # contains NAME FILE TEXT
    if grep -q -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1: '$3' not in:"; cat "$2"; fails=$((fails + 1)); fi
}
wait_for() { # wait_for PATH: until a socket is there (5 s at most)
    i=0; while [ ! -S "$1" ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done
}
b='sim:?size=small'
t='timeout 3' # a server that should refuse but serves instead is stopped
cd "$tmp" || exit 1

$t "$board" --listen 5555 --board "$b" 2> err; check "bare number refused" 2 $?
contains "bare number: hint" err "127.0.0.1:5555"
[ ! -e 5555 ] && echo "ok: no file 5555" || { echo "FAIL: file 5555 made"; fails=$((fails + 1)); }
$t "$board" --listen 127.0.0.1:99999 --board "$b" 2> err; check "port out of range" 2 $?
contains "port range named" err "1..65535"
$t "$board" --listen no-such-host.invalid:5555 --board "$b" 2> err; check "unknown host" 1 $?
if grep -q Success err; then echo "FAIL: stale 'Success' in:"; cat err; fails=$((fails + 1)); else echo "ok: real resolver error"; fi
$t "$board" --listen "$tmp/no/such/dir.sock" --board "$b" 2> err; check "listen error" 1 $?
contains "listen error: real reason" err "No such file or directory"
$t "$board" --listen 0.0.0.0:5555 --board "$b" 2> err; check "not loopback" 2 $?
contains "not loopback: needs a token" err "needs --token FILE"

echo data > "$tmp/file.sock"
$t "$board" --listen "$tmp/file.sock" --board "$b" 2> err; check "regular file kept" 1 $?
contains "regular file named" err "not a socket"
contains "regular file intact" "$tmp/file.sock" data

"$board" --listen "$tmp/b.sock" --board "$b" 2> a.err & a=$!; pids="$a"
wait_for "$tmp/b.sock"
$t "$board" --listen "$tmp/b.sock" --board "$b" 2> err; check "live socket kept" 1 $?
contains "live socket: in use by pid" err "in use by pid $a"
"$axon" info --device "socket:$tmp/b.sock" > info; check "first server still serves" 0 $?
kill -9 "$a"; wait "$a" 2>/dev/null
[ -S "$tmp/b.sock" ] || { echo "FAIL: no stale socket to test"; fails=$((fails + 1)); }
"$board" --listen "$tmp/b.sock" --board "$b" 2> c.err & c=$!; pids="$c"
sleep 0.3
"$axon" info --device "socket:$tmp/b.sock" > info; check "stale socket replaced" 0 $?
kill "$c"; wait "$c"; check "server exits 0 on SIGTERM" 0 $?
[ ! -e "$tmp/b.sock" ] && echo "ok: own socket removed at exit" || { echo "FAIL: socket left"; fails=$((fails + 1)); }

# A token (here on loopback): a file only its owner can read; a client without
# it, or with a wrong one, is refused; by URI option or AXON_TOKEN_FILE.
port=$((20000 + $$ % 20000))
printf 'secret-1\n' > tok; chmod 644 tok
$t "$board" --listen 127.0.0.1:$port --token tok --board "$b" 2> err; check "token readable by others" 2 $?
contains "token mode named" err "chmod 600"
chmod 600 tok; printf 'secret-2\n' > bad; chmod 600 bad
"$board" --listen 127.0.0.1:$port --token tok --board "$b" 2> e.err & e=$!; pids="$e"
i=0; until grep -q serving e.err || [ $i -gt 250 ]; do sleep 0.02; i=$((i + 1)); done
"$axon" info --device "socket:127.0.0.1:$port" > info 2> err; check "no token refused" 1 $?
contains "no token: said so" err "refused the token"
"$axon" info --device "socket:127.0.0.1:$port?token=$tmp/bad" > info 2> err; check "wrong token refused" 1 $?
"$axon" info --device "socket:127.0.0.1:$port?token=$tmp/tok" > info 2> err; check "token by URI" 0 $?
AXON_TOKEN_FILE="$tmp/tok" "$axon" info --device "socket:127.0.0.1:$port" > info 2> err; check "token by AXON_TOKEN_FILE" 0 $?
kill "$e"; wait "$e"

# The default socket without $XDG_RUNTIME_DIR: in a private per-user folder
# (made 0700), never in a folder others can write to (squatting).
priv="$tmp/axon-$(id -u)"
mkdir -m 0777 "$priv"; chmod 0777 "$priv"
XDG_RUNTIME_DIR= TMPDIR="$tmp" $t "$board" --board "$b" 2> err; check "shared folder refused" 1 $?
contains "shared folder named" err "not a private folder"
XDG_RUNTIME_DIR= TMPDIR="$tmp" "$axon" info --device socket: > info 2> err; check "client refuses it too" 1 $?
contains "client: shared folder named" err "not a private folder"
rmdir "$priv"
XDG_RUNTIME_DIR= TMPDIR="$tmp" "$board" --board "$b" 2> d.err & d=$!; pids="$d"
wait_for "$priv/axon-board.sock"
XDG_RUNTIME_DIR= TMPDIR="$tmp" "$axon" info --device socket: > info; check "default socket served" 0 $?
[ "$(stat -c %a "$priv")" = 700 ] && echo "ok: folder made 0700" || { echo "FAIL: folder mode $(stat -c %a "$priv")"; fails=$((fails + 1)); }
kill "$d"; wait "$d"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
