#!/bin/sh
# The axon train / data / ttfs commands: outputs, metrics, checkpoints, and
# one-line errors naming the file and field for bad input.
# Usage: cli_test.sh AXON SOURCE_DIR
set -u
axon=$1
src=$2
tmp=$(mktemp -d /tmp/axon-cli-test-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect_fail MESSAGE COMMAND...: non-zero exit and MESSAGE on stderr.
expect_fail() {
    msg=$1
    shift
    if "$@" >"$tmp/out" 2>"$tmp/err"; then
        echo "FAIL: '$*' succeeded"
        fail=1
    elif ! grep -qF -- "$msg" "$tmp/err"; then
        echo "FAIL: '$*': stderr '$(cat "$tmp/err")', want '$msg'"
        fail=1
    fi
}

# expect_eq WHAT GOT WANT
expect_eq() {
    if [ "$2" != "$3" ]; then
        echo "FAIL: $1: got '$2', want '$3'"
        fail=1
    fi
}

# --- errors -------------------------------------------------------------------
expect_fail "yinyang-fastdeep.cfg has no [chip] section" "$axon" train yinyang-fastdeep --backend chip
expect_fail "--backend: expected 'software' or 'chip'" "$axon" train yinyang-fastdeep --backend gpu
expect_fail "training/configs/no-such-config.cfg: cannot open" "$axon" train no-such-config
printf '[data]\nset = "yinyang"\n[network]\nsizes = [4, 8, 3]\nfoo = 1\n' >"$tmp/bad.cfg"
expect_fail "$tmp/bad.cfg:5: unknown key 'foo' in [network]" "$axon" train "$tmp/bad.cfg"
printf '[data]\nset = "yinyang"\n[network]\nsizes = [4, 8, 3]\n[train]\nepochs = -1\n' >"$tmp/bad.cfg"
expect_fail "$tmp/bad.cfg:6: train.epochs: -1 is out of range" "$axon" train "$tmp/bad.cfg"
expect_fail "MNIST not found: looked in --data $tmp/nodata" "$axon" train mnist-16x16 --data "$tmp/nodata"
printf 'garbage' >"$tmp/garbage.ckpt"
expect_fail "$tmp/garbage.ckpt: bad checkpoint" "$axon" train yinyang-delgrad-h30ws --epochs 1 --resume "$tmp/garbage.ckpt"
expect_fail "--split: expected train, validation or test" "$axon" data yinyang --split dev
printf 'ttfs-eval 1\nsizes 2 1\nweights 1 0.5\n' >"$tmp/bad.txt"
expect_fail "$tmp/bad.txt:3: weights: expected 2 values" "$axon" ttfs eval "$tmp/bad.txt"

# --- axon data ----------------------------------------------------------------
"$axon" data yinyang --split train >"$tmp/train.csv" || fail=1
expect_eq "train lines" "$(wc -l <"$tmp/train.csv")" 5001
expect_eq "first sample" "$(sed -n 2p "$tmp/train.csv")" \
    "0.6803075385877797,0.45049925196954299,0.3196924614122203,0.54950074803045701,2"
expect_eq "test class 2 count" "$("$axon" data yinyang --split test | grep -c ',2$')" 334

# --- axon ttfs eval -----------------------------------------------------------
"$axon" ttfs eval "$src/training/examples/ttfs-eval-example.txt" >"$tmp/eval.txt" || fail=1
expect_eq "eval output time" "$(grep '^times 2' "$tmp/eval.txt" | head -1)" "times 2 2.3166016788007382"
expect_eq "eval dJ/dt_in" "$(grep '^dJ/dt_in' "$tmp/eval.txt" | head -1)" \
    "dJ/dt_in 0.10241648001020044 0.89758351998979957 0"

# The reader: a second sizes line is refused (it used to overflow the heap),
# sizes beyond the limits are refused with the reason, a wide layer works
# (its workspace used to be sized N0 x N0), pipes work (no seeking), --help.
printf 'ttfs-eval 1\nsizes 1 1\nweights 1 1.5\nsample 0\ngrad 1\nsizes 30000 1\n' >"$tmp/twice.txt"
expect_fail "$tmp/twice.txt:6: sizes: given twice (first on line 2)" "$axon" ttfs eval "$tmp/twice.txt"
printf 'ttfs-eval 1\nsizes 2 1\nsizes 3 1\n' >"$tmp/twice.txt"
expect_fail "$tmp/twice.txt:3: sizes: given twice" "$axon" ttfs eval "$tmp/twice.txt"
printf 'ttfs-eval 1\nsizes 100000 100000\nweights 1 1\n' >"$tmp/huge.txt"
expect_fail "$tmp/huge.txt:2: sizes: the network would have 10000000000 weights; this reader takes at most 16777216" \
    "$axon" ttfs eval "$tmp/huge.txt"
printf 'ttfs-eval 1\nsizes 100001 1\n' >"$tmp/huge.txt"
expect_fail "$tmp/huge.txt:2: sizes: 100001 out of range (1 to 100000 neurons per layer)" "$axon" ttfs eval "$tmp/huge.txt"
# 100000 inputs at t = 0 of weight 3e-5 each act as one of weight 3 (tau_m = tau_s):
# 3 T e^-T = 1, T = 0.619061...; dJ/dt_in sums to 1.
awk 'BEGIN { printf "ttfs-eval 1\nsizes 100000 1\nweights 1"; for (i = 0; i < 100000; i++) printf " 3e-5";
             printf "\nsample"; for (i = 0; i < 100000; i++) printf " 0"; printf "\n" }' >"$tmp/wide.txt"
"$axon" ttfs eval "$tmp/wide.txt" >"$tmp/wide.out" 2>"$tmp/err" || { echo "FAIL: wide layer: $(cat "$tmp/err")"; fail=1; }
expect_eq "wide layer time" "$(awk '/^times 1/ { printf "%.6f", $3 }' "$tmp/wide.out")" "0.619061"
expect_eq "wide layer dJ/dt_in sum" "$(awk '/^dJ\/dt_in/ { for (i = 2; i <= NF; i++) s += $i; printf "%.9f %d", s, NF - 1 }' "$tmp/wide.out")" "1.000000000 100000"
cat "$src/training/examples/ttfs-eval-example.txt" | "$axon" ttfs eval /dev/stdin >"$tmp/pipe.txt" 2>"$tmp/err" ||
    { echo "FAIL: eval from a pipe: $(cat "$tmp/err")"; fail=1; }
expect_eq "eval from /dev/stdin" "$(cmp "$tmp/eval.txt" "$tmp/pipe.txt" && echo same)" "same"
"$axon" ttfs eval - <"$src/training/examples/ttfs-eval-example.txt" >"$tmp/pipe.txt" 2>"$tmp/err" || fail=1
expect_eq "eval from -" "$(cmp "$tmp/eval.txt" "$tmp/pipe.txt" && echo same)" "same"
printf 'ttfs-eval 1\nsizes 2 1\nweights 1 0.5\n' | expect_fail "<stdin>:3: weights: expected 2 values" "$axon" ttfs eval -
"$axon" ttfs eval --help >"$tmp/out" 2>"$tmp/err" || { echo "FAIL: ttfs eval --help: $(cat "$tmp/err")"; fail=1; }
grep -q '^usage: axon ttfs eval FILE' "$tmp/out" || { echo "FAIL: ttfs eval --help prints no usage"; fail=1; }

# --- axon train: metrics, checkpoint, resume, plots -----------------------------
"$axon" train yinyang-delgrad-h30ws --epochs 2 --metrics "$tmp/m.jsonl" \
    --checkpoint "$tmp/run.ckpt" --plots "$tmp" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; fail=1; }
expect_eq "metrics lines" "$(wc -l <"$tmp/m.jsonl")" 4
grep -q '"provenance".*"config_hash":"[0-9a-f]\{16\}".*"git_revision":"[0-9a-f]' "$tmp/m.jsonl" ||
    { echo "FAIL: provenance line"; fail=1; }
grep -q '"time_unit":"tau_s"' "$tmp/m.jsonl" || { echo "FAIL: time unit"; fail=1; }
sed -n 3p "$tmp/m.jsonl" | grep -q '^{"epoch":2,"loss":[0-9.e-]*,"train_accuracy":[0-9.]*,"val_accuracy":[0-9.]*,"samples_per_s":' ||
    { echo "FAIL: epoch line '$(sed -n 3p "$tmp/m.jsonl")'"; fail=1; }
tail -1 "$tmp/m.jsonl" | grep -q '"selected_epoch":[0-9]*,"test_accuracy":0\.[0-9]*,"test_accuracy_last":0\.[0-9]*,"seconds":' || { echo "FAIL: final line"; fail=1; }
for png in learning-curves.png yinyang-decision.png; do
    expect_eq "$png signature" "$(head -c 4 "$tmp/$png" | tail -c 3)" "PNG"
done
"$axon" train yinyang-delgrad-h30ws --epochs 3 --resume "$tmp/run.ckpt" --metrics "$tmp/r.jsonl" >"$tmp/out" 2>&1 || fail=1
expect_eq "resumed epochs" "$(grep -c '"epoch":' "$tmp/r.jsonl")" 1
grep -q '"resumed_from_epoch":2' "$tmp/r.jsonl" || { echo "FAIL: resumed provenance"; fail=1; }
expect_fail "made with seed 1, not 7" "$axon" train yinyang-delgrad-h30ws --epochs 3 --seed 7 --resume "$tmp/run.ckpt"

[ "$fail" = 0 ] && echo "cli tests passed"
exit "$fail"
