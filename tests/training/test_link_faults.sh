#!/bin/sh
# Transient link faults during training: `axon train yinyang-chip` on a
# simulated board whose link corrupts 2 % of the frames in each direction
# (device option faults=0.02: bit flips, drops, duplicates, cut frames,
# reordering; docs/driver.md). The driver's link resends and the run goes on:
# exit 0, faults seen and repaired (resent and dropped frames in the report's
# link line), trials that lost events to a late program run again (never
# trained on), calibration programs likewise, and it learns like a run
# without faults. A bad faults= value is one line and exit 1.
# usage: test_link_faults.sh AXON
axon=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export AXON_CALIB_DIR="$tmp/calib"
unset AXON_DEVICE
fail=0
check() { # check WHAT CONDITION...
    what=$1; shift
    if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}
cd "$tmp" || exit 1

"$axon" train yinyang-chip --device 'sim:?die=1&faults=0.02&fault_seed=7' --epochs 3 \
    --metrics m.jsonl >t.txt 2>&1
rc=$?
cat t.txt
check "train over a faulty link exits 0" test $rc -eq 0
link=$(grep '^link: ' t.txt)
resent=$(echo "$link" | sed -n 's/.*(\([0-9]*\) resent).*/\1/p')
bad=$(echo "$link" | sed -n 's/.*NACKs, \([0-9]*\) bad frames.*/\1/p')
check "faults were repaired ($resent resent, $bad bad frames dropped)" \
    test "${resent:-0}" -gt 0 -a "${bad:-0}" -gt 0
# trials whose events the faults delayed ran again (a second loss would have
# stopped the run): the repeat path is taken, nothing is trained on a loss
rep=$(sed -n 's/^chip: .*, \([0-9]*\) repeated after a loss.*/\1/p' t.txt)
check "trials with a loss ran again ($rep)" test "${rep:-0}" -gt 0
acc=$(sed -n 's/.*"test_accuracy":\([0-9.]*\).*/\1/p' m.jsonl)
check "test accuracy $acc >= 0.75 after 3 epochs" awk -v a="$acc" 'BEGIN { exit !(a >= 0.75) }'

"$axon" train yinyang-chip --device 'sim:?die=1&faults=2' --epochs 1 >bad.txt 2>&1
rc=$?
cat bad.txt
check "faults=2: exit 1" test $rc -eq 1
check "faults=2: one line naming the option" \
    sh -c "test \$(wc -l <bad.txt) -eq 1 && grep -q 'faults: a probability per frame' bad.txt"
exit $fail
