#!/bin/sh
# axon demo on the small simulated board: with both noises off the neurons
# spike in the order of their weights, weak ones stay silent and the on-chip
# routed neuron of hemisphere 1 fires after the first hidden spike; two dice
# give different spike times; bad arguments fail with exit code 2.
axon=$1
fail=0
check() { if [ "$1" = 0 ]; then echo "ok: $2"; else echo "FAIL: $2"; fail=1; fi; }

out=$("$axon" demo --device "sim:?size=small&fpn=0&noise=0") || { echo "FAIL: demo exit $?"; exit 1; }
echo "$out"
# table rows: neuron hemi weight spikes first
echo "$out" | awk '
  $2 == "0" && $1 ~ /^[0-9]+$/ { n = $1; s[n] = $4; f[n] = $5 }
  $2 == "1" && $3 == "on-chip" { os = $4; of = $5 }
  END {
    bad = 0
    for (k = 0; k < 4; k++) if (s[k] < 1) { print "neuron " k " silent"; bad = 1 }
    for (k = 1; k < 4; k++) if (!(f[k] > f[k-1])) { print "order " k; bad = 1 }
    for (k = 4; k < 8; k++) if (s[k] != 0) { print "neuron " k " spiked"; bad = 1 }
    if (os < 1 || !(of > f[0])) { print "output neuron"; bad = 1 }
    if (f[0] < 1.0 || f[0] > 3.0) { print "first spike " f[0] " outside 1..3 us"; bad = 1 }
    exit bad }'
check $? "spike order follows the weights, routed neuron fires"

a=$("$axon" demo --json --device "sim:?size=small&die=1")
b=$("$axon" demo --json --device "sim:?size=small&die=7")
a2=$("$axon" demo --json --device "sim:?size=small&die=1")
[ "$a" != "$b" ]; check $? "two dice differ"
[ "$a" = "$a2" ]; check $? "same seeds, same result"

"$axon" demo --bogus >/dev/null 2>&1; [ $? = 2 ]; check $? "bad argument exits 2"
err=$("$axon" demo --device "nosuch:" 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q "unknown device type"; check $? "unknown device named, exit 1"
exit $fail
