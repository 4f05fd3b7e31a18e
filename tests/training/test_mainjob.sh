#!/bin/sh
# The main job: `axon train yinyang` on the simulated board (die 1) for 2
# epochs writes the results folder (checkpoint, metrics, report, the four
# plots); a chip run killed with kill -9 after its first checkpoint resumes
# from it (resumed_from_epoch >= 1, the run completes); a software run killed
# and resumed ends with exactly the test result of an uninterrupted one (the
# chip's temporal noise makes a resumed chip run differ after the resume);
# resuming on another die, with another network or with the software backend
# is refused before anything is calibrated or written.
# usage: test_mainjob.sh AXON SOURCE_DIR
axon=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export AXON_CALIB_DIR="$tmp/calib"
unset AXON_DEVICE
fail=0
check() { # check WHAT CONDITION...
    what=$1; shift
    if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}
# wait_for FILE PID: until FILE exists (or PID ended)
wait_for() {
    while [ ! -s "$1" ] && kill -0 "$2" 2>/dev/null; do sleep 0.2; done
}

cd "$tmp" || exit 1
"$axon" train yinyang --epochs 2 >main.txt 2>&1
rc=$?
cat main.txt
check "axon train yinyang exits 0" test $rc -eq 0
dir=$(ls -d results/yinyang-* 2>/dev/null | head -1)
check "results folder named" test -n "$dir"
for f in checkpoint.axck metrics.jsonl report.txt learning-curves.png yinyang-decision.png \
    spike-raster.png membrane.png; do
    check "results: $f" test -s "$dir/$f"
done
check "report: die, calibration, accuracy" grep -q "die 1, calibration [0-9a-f]\{16\}, model" "$dir/report.txt"
check "report: test accuracy" grep -q "^test accuracy [0-9.]* %" "$dir/report.txt"
check "report: clipping" grep -q "clipped" "$dir/report.txt"
check "PNG files" sh -c "head -c 8 '$dir/membrane.png' | od -c | grep -q 'P   N   G'"

# the exported network: on the board (die 1, the cached calibration) and in software
"$axon" evaluate "$dir/network.axnet" >ev1.txt 2>&1
check "evaluate on the board: exit 0" test $? -eq 0
cat ev1.txt
check "evaluate on the board: accuracy and provenance" \
    grep -q "^test_accuracy 0\.[0-9]* on chip:sim:?die=1: die 1, calibration [0-9a-f]\{16\} (cached); trained on die 1" ev1.txt
"$axon" evaluate "$dir/network.axnet" --backend software >ev2.txt 2>&1
check "evaluate in software: exit 0" grep -q "^test_accuracy 0\.[0-9]* in software; trained on die 1" ev2.txt
head -c 100 "$dir/network.axnet" >cut.axnet
"$axon" evaluate cut.axnet >ev3.txt 2>&1
check "truncated network file: exit 1" test $? -eq 1
check "truncated network file: one line" sh -c "test \$(wc -l <ev3.txt) -eq 1 && grep -q 'cut.axnet: bad network file: checksum' ev3.txt"

# kill -9 on the chip after the first checkpoint, then resume
"$axon" train yinyang-chip --epochs 3 --checkpoint ck >k1.txt 2>&1 &
pid=$!
wait_for ck $pid
kill -9 $pid 2>/dev/null
wait $pid
check "chip run killed (exit 137)" test $? -eq 137
cp ck ck.killed
"$axon" train yinyang-chip --epochs 3 --resume ck --checkpoint ck --metrics m2.jsonl >k2.txt 2>&1
rc=$?
cat k2.txt
check "chip: resume after kill -9 exits 0" test $rc -eq 0
check "chip: resumed from a completed epoch" grep -q '"resumed_from_epoch":[12]' m2.jsonl
check "chip: 3 epochs in all" grep -q '"epochs":3' m2.jsonl

# refusals, before the board is touched: no calibration of die 2 appears
ls calib >calib.before
"$axon" train yinyang-chip --epochs 3 --resume ck.killed --die 2 >r1.txt 2>&1
check "other die: exit 1" test $? -eq 1
check "other die: says so" grep -q "made on die 1, this board is die 2; nothing was written" r1.txt
ls calib >calib.after
check "other die: nothing calibrated" cmp -s calib.before calib.after
sed 's/^sizes = \[4, 120, 3\].*/sizes = [4, 100, 3]/' "$src/training/configs/yinyang-chip.cfg" >small.cfg
"$axon" train small.cfg --epochs 3 --resume ck.killed >r2.txt 2>&1
check "other network: exit 1" test $? -eq 1
check "other network: says so" grep -q "a checkpoint of another network" r2.txt
"$axon" train yinyang-chip --backend software --epochs 3 --resume ck.killed >r3.txt 2>&1
check "software resume of a chip checkpoint: exit 1" test $? -eq 1
check "software resume: says so" grep -q "made on a board, this run is with the software backend" r3.txt
printf 'garbage' >bad.ck
"$axon" train yinyang-chip --epochs 3 --resume bad.ck >r4.txt 2>&1
check "corrupt checkpoint: exit 1, one line" sh -c "test \$(wc -l <r4.txt) -eq 1 && grep -q 'bad checkpoint' r4.txt"

# software: kill -9 and resume gives the uninterrupted run's result exactly
sw="--backend software --epochs 4"
"$axon" train yinyang-chip $sw --metrics full.jsonl >/dev/null 2>&1
"$axon" train yinyang-chip $sw --checkpoint sck >/dev/null 2>&1 &
pid=$!
wait_for sck $pid
kill -9 $pid 2>/dev/null
wait $pid
"$axon" train yinyang-chip $sw --resume sck --checkpoint sck --metrics res.jsonl >/dev/null 2>&1
check "software: resumed after kill -9" grep -q '"resumed_from_epoch":[1-3]' res.jsonl
a=$(grep '"test_accuracy"' full.jsonl | sed 's/"seconds".*//')
b=$(grep '"test_accuracy"' res.jsonl | sed 's/"seconds".*//')
check "software: resumed result equals the uninterrupted ($a)" test -n "$a" -a "$a" = "$b"
exit $fail
