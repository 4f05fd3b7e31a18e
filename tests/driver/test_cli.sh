#!/bin/sh
# The axon CLI's device commands on the simulated board (small chip): output
# fields, exit codes 0/1/2, one-line errors, record's CSV checks.
# usage: test_cli.sh AXON_BINARY
set -u
axon=$1
dev='sim:?size=small&die=11'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # check NAME EXPECTED_RC ACTUAL_RC
    if [ "$2" != "$3" ]; then echo "FAIL: $1: exit $3, expected $2"; fails=$((fails + 1)); else echo "ok: $1"; fi
}
contains() { # contains NAME FILE TEXT
    if grep -q -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1: '$3' not in:"; cat "$2"; fails=$((fails + 1)); fi
}
lines() { # lines NAME FILE N
    n=$(wc -l < "$2"); if [ "$n" -eq "$3" ]; then echo "ok: $1"; else echo "FAIL: $1: $n lines, expected $3"; cat "$2"; fails=$((fails + 1)); fi
}

"$axon" info --json --device "$dev" > "$tmp/info" 2> "$tmp/err"; check "info --json" 0 $?
for k in '"protocol_version":"1.2"' '"model_version":' '"chip_id":' '"die_seed":11' '"variant":"usb3"' '"neurons_per_hemisphere":32'; do
    contains "info has $k" "$tmp/info" "$k"
done
"$axon" info --device 'sim:?size=small&variant=usb2' > "$tmp/info2"; check "info usb2" 0 $?
contains "usb2 variant" "$tmp/info2" "usb2 (1-byte port)"

for c in list info selftest reset peek poke record; do
    "$axon" $c --help > "$tmp/help" 2>&1; check "$c --help" 0 $?
    contains "$c --help usage" "$tmp/help" "usage: axon $c"
done

"$axon" info --device 'bogus:x' > /dev/null 2> "$tmp/err"; check "unknown scheme" 1 $?
lines "unknown scheme: one line" "$tmp/err" 1
contains "unknown scheme named" "$tmp/err" "bogus"
"$axon" info --device 'sim:?size=tiny' > /dev/null 2> "$tmp/err"; check "bad sim option" 1 $?
contains "bad option named" "$tmp/err" "size=tiny"
"$axon" info --device 'socket:/nonexistent/board.sock' > /dev/null 2> "$tmp/err"; check "missing socket" 1 $?
contains "missing socket named" "$tmp/err" "/nonexistent/board.sock"
# URI numbers are decimal (0x hex where documented); repeated or empty values are errors.
"$axon" info --json --device 'sim:?size=small&die=010' > "$tmp/info" 2> "$tmp/err"; check "die=010" 0 $?
contains "die=010 is decimal 10" "$tmp/info" '"die_seed":10'
"$axon" info --device 'sim:?die=1&size=small&die=2' > /dev/null 2> "$tmp/err"; check "repeated option" 1 $?
lines "repeated option: one line" "$tmp/err" 1
contains "repeated option named" "$tmp/err" "repeated option 'die'"
"$axon" info --device 'sim:?size=small&die=' > /dev/null 2> "$tmp/err"; check "empty option value" 1 $?
contains "empty value named" "$tmp/err" "empty value for 'die'"
"$axon" info --device '' > /dev/null 2> "$tmp/err"; check "empty --device" 2 $?
contains "empty --device named" "$tmp/err" "empty device URI"
AXON_DEVICE= "$axon" info > /dev/null 2> "$tmp/err"; check "empty AXON_DEVICE" 2 $?
contains "empty AXON_DEVICE named" "$tmp/err" "AXON_DEVICE is empty"
"$axon" info --bogus > /dev/null 2> "$tmp/err"; check "unknown option" 2 $?
"$axon" peek --device "$dev" 0x1000000 > /dev/null 2> "$tmp/err"; check "peek out of range" 2 $?
"$axon" poke --device "$dev" 0x0D 0x100000000 > /dev/null 2> "$tmp/err"; check "poke value out of range" 2 $?
contains "poke names the value" "$tmp/err" "0x100000000"
"$axon" poke --device "$dev" 0x00 5 > /dev/null 2> "$tmp/err"; check "poke read-only register" 1 $?
lines "poke read-only: one line" "$tmp/err" 1
contains "poke read-only names the reason" "$tmp/err" "ADDRESS: no such register, or access not allowed"

"$axon" peek --json --device "$dev" 0x03 2 > "$tmp/peek"; check "peek --json" 0 $?
contains "peek die seed" "$tmp/peek" '{"addr":3,"value":11}'
"$axon" selftest --json --device "$dev" > "$tmp/st"; check "selftest" 0 $?
contains "selftest passed" "$tmp/st" '"passed":true'
"$axon" reset --device "$dev"; check "reset" 0 $?

# No injections: the chip in rtl-model/ is still a placeholder that takes no
# input events (an INJECT would stall the board; libaxon reports that).
printf 'time_us,label\n' > "$tmp/in.csv"
"$axon" record --device "$dev" --duration 10 --input "$tmp/in.csv" --spikes "$tmp/out.csv"; check "record" 0 $?
contains "record header" "$tmp/out.csv" "time_us,label"
lines "record: no spikes from an idle chip" "$tmp/out.csv" 1
printf 'time_us,label\n1.0,5\n2.5,' > "$tmp/trunc.csv"
"$axon" record --device "$dev" --duration 10 --input "$tmp/trunc.csv" --spikes "$tmp/o2.csv" 2> "$tmp/err"; check "truncated csv" 1 $?
contains "truncated csv names file:line" "$tmp/err" "trunc.csv:3"
[ ! -e "$tmp/o2.csv" ] && echo "ok: nothing written" || { echo "FAIL: output written"; fails=$((fails + 1)); }
printf '1.0,70000\n' > "$tmp/bad.csv"
"$axon" record --device "$dev" --duration 10 --input "$tmp/bad.csv" 2> "$tmp/err"; check "label out of range" 1 $?
contains "bad label line" "$tmp/err" "bad.csv:1"
"$axon" record --device "$dev" --input "$tmp/in.csv" 2> "$tmp/err"; check "record needs duration" 2 $?
printf '1.0,0x10\n' > "$tmp/hex.csv"
"$axon" record --device "$dev" --duration 10 --input "$tmp/hex.csv" 2> "$tmp/err"; check "label is decimal" 1 $?
contains "hex label line" "$tmp/err" "hex.csv:1"


echo "$fails failure(s)"
[ "$fails" -eq 0 ]
