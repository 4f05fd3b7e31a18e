#!/bin/sh
# Chip in the loop, end to end: `axon train yinyang-chip` on the simulated
# board (die 1, calibrated into an empty cache first) for 5 epochs must learn:
# test accuracy >= 0.80 (chance 0.33). Measured 0.846 after 5 epochs (0.841 before
# the trainer got the injected input times, 0.823
# with the software backend; 0.762 without the arrival times of the hidden
# spikes, which this bound catches); the run is deterministic for a die, the
# margin is for changes of the chip model's noise. The metrics carry the
# board's provenance; `axon map` prints the placement; configs that do not
# fit are refused before the board is calibrated or written.
# usage: test_inloop.sh AXON SOURCE_DIR
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

"$axon" map yinyang-chip >"$tmp/map.txt" 2>&1
check "axon map exits 0" test $? -eq 0
check "axon map: 120 hidden neurons on hemisphere 0" grep -q "hemisphere 0: 120 of 256 neurons" "$tmp/map.txt"
check "axon map: 123 drivers of hemisphere 1" grep -q "123 of 128 drivers" "$tmp/map.txt"

# 200 hidden neurons do not fit the split layout (128 drivers in hemisphere 1): the joined layout;
# 254 hidden + 3 outputs fit neither layout, refused before the board is touched
sed 's/^sizes = \[4, 120, 3\].*/sizes = [4, 200, 3]/' "$src/training/configs/yinyang-chip.cfg" >"$tmp/mid.cfg"
"$axon" map "$tmp/mid.cfg" >"$tmp/mid.txt" 2>&1
check "200 hidden neurons: the joined layout" grep -q "layout joined" "$tmp/mid.txt"
check "200 hidden neurons: drivers of both hemispheres" grep -q "of hemisphere 1 (85 units)" "$tmp/mid.txt"
"$axon" map mnist-16x16-chip >"$tmp/mnist.txt" 2>&1
check "axon map mnist-16x16-chip: joined, every row, 247 shared drivers" \
    grep -q "joined columns 256, drivers shared by several units 128 + 119" "$tmp/mnist.txt"
sed 's/^sizes = \[4, 120, 3\].*/sizes = [4, 254, 3]/' "$src/training/configs/yinyang-chip.cfg" >"$tmp/big.cfg"
"$axon" train "$tmp/big.cfg" --epochs 1 >"$tmp/big.txt" 2>&1
check "254 hidden neurons: exit 1" test $? -eq 1
check "254 hidden neurons: names the drivers and the columns" \
    grep -q "no 1 free driver.*joined: .*'output' (3 neurons, joined) does not fit" "$tmp/big.txt"
check "254 hidden neurons: nothing calibrated" test ! -d "$tmp/calib"

# axonal delays: a delay_scale past the drivers' 1022 cycles is refused before
# the board is calibrated; yinyang-chip-delays maps and trains without a loss
sed 's/^delay_param = .*/delay_param = "sigmoid"\ndelay_scale = 30/' \
    "$src/training/configs/yinyang-chip-delays.cfg" >"$tmp/far.cfg"
"$axon" train "$tmp/far.cfg" --epochs 1 >"$tmp/far.txt" 2>&1
check "delays of 1500 cycles: exit 1" test $? -eq 1
check "delays of 1500 cycles: names the range" grep -q "delay_scale 30 tau_s = 1500 cycles, the drivers' delays reach 0..1022 cycles" "$tmp/far.txt"
check "delays of 1500 cycles: nothing calibrated" test ! -d "$tmp/calib"
"$axon" map yinyang-chip-delays >"$tmp/dmap.txt" 2>&1
check "axon map yinyang-chip-delays exits 0" test $? -eq 0

"$axon" train yinyang-chip --epochs 5 --metrics "$tmp/m.jsonl" >"$tmp/train.txt" 2>&1
rc=$?
cat "$tmp/train.txt"
check "train exits 0" test $rc -eq 0
check "metrics: die seed, calibration id, model version" \
    grep -q '"backend":"chip:sim:?die=1","die_seed":1,"calibration_id":"[0-9a-f]\{16\}","model_version":4' "$tmp/m.jsonl"
acc=$(sed -n 's/.*"test_accuracy":\([0-9.]*\).*/\1/p' "$tmp/m.jsonl")
check "test accuracy $acc >= 0.80 after 5 epochs" awk -v a="$acc" 'BEGIN { exit !(a >= 0.80) }'
check "no trial repeated or lost" grep -q " 0 repeated after a loss" "$tmp/train.txt"
"$axon" train yinyang-chip-delays --epochs 1 >"$tmp/delays.txt" 2>&1
check "yinyang-chip-delays: 1 epoch exits 0, no trial repeated" grep -q " 0 repeated after a loss" "$tmp/delays.txt"
exit $fail
