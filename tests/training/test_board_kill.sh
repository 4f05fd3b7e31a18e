#!/bin/sh
# An unrecoverable link fault in the middle of training: `axon train
# yinyang-chip` on a board served by axon-board (socket:, die 1); the server
# is killed (SIGKILL) after the first checkpoint. The run must stop with exit
# 1, say which epoch failed and why ("device disconnected") and where the last
# complete epoch is; the checkpoint resumes on a restarted board and the run
# completes.
# usage: test_board_kill.sh AXON AXON_BOARD
axon=$1
board=$2
tmp=$(mktemp -d)
bpid=
trap 'test -n "$bpid" && kill $bpid 2>/dev/null; rm -rf "$tmp"' EXIT
export AXON_CALIB_DIR="$tmp/calib"
unset AXON_DEVICE
fail=0
check() { # check WHAT CONDITION...
    what=$1; shift
    if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}
serve() { # a board on $tmp/b.sock, its pid in bpid
    rm -f "$tmp/b.sock"
    "$board" --listen "$tmp/b.sock" --board 'sim:?die=1' --idle-timeout 0 >>"$tmp/board.txt" 2>&1 &
    bpid=$!
    n=0
    while [ ! -S "$tmp/b.sock" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
}
cd "$tmp" || exit 1
dev="socket:$tmp/b.sock"

serve
"$axon" train yinyang-chip --device "$dev" --epochs 3 --checkpoint ck >t1.txt 2>&1 &
tpid=$!
while [ ! -s ck ] && kill -0 $tpid 2>/dev/null; do sleep 0.2; done
kill -9 $bpid
wait $bpid 2>/dev/null
bpid=
wait $tpid
rc=$?
cat t1.txt
check "killed board: train exits 1" test $rc -eq 1
check "killed board: names the epoch and the cause" \
    grep -q "^axon: train: epoch [23]: .*device disconnected" t1.txt
check "killed board: points at the checkpoint" \
    grep -q "^axon: train: the last complete epoch is in ck: continue with --resume ck" t1.txt

serve
"$axon" train yinyang-chip --device "$dev" --epochs 3 --resume ck --checkpoint ck \
    --metrics m.jsonl >t2.txt 2>&1
rc=$?
cat t2.txt
check "restarted board: resume exits 0" test $rc -eq 0
check "restarted board: resumed from a completed epoch" grep -q '"resumed_from_epoch":[12]' m.jsonl
check "restarted board: die 1 in the metrics" grep -q '"die_seed":1,' m.jsonl
check "restarted board: 3 epochs" grep -q '"epochs":3' m.jsonl
exit $fail
