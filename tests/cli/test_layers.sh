#!/bin/sh
# The layers' one direction of dependency (docs/architecture.md), checked on
# the sources: a layer includes no header of a layer above it.
# usage: test_layers.sh SOURCE_DIR
src=$1
fail=0
driver='axon/(axon|chip|program|codec|stream)\.h'
calib='axon/calib\.h'
net='axon/net\.h'
ttfs='axon/ttfs[a-z_]*\.h'
forbid() { # forbid FOLDER REGEX WHY
    hits=$(grep -rlE "#include [<\"]($2)[>\"]" "$src/$1" --include='*.c' --include='*.h' --include='*.cpp' 2>/dev/null)
    if [ -n "$hits" ]; then
        echo "FAIL: $3:"; echo "$hits" | sed 's/^/  /'; fail=1
    else
        echo "ok: $3"
    fi
}
forbid common "$driver|$calib|$net|$ttfs|axsim.*\.h" "common/ includes no other layer"
forbid rtl-model "$driver|$calib|$net|$ttfs" "rtl-model/ includes no driver, calibration, network or trainer"
forbid driver "$calib|$net|$ttfs" "driver/ includes no calibration, network or trainer"
forbid calib "$net|$ttfs" "calib/ includes no network description or trainer"
forbid network "$calib|$ttfs|axsim.*\.h" "network/ includes no calibration, trainer or model"
forbid training/src "$driver|$calib|$net|axsim.*\.h" "the trainer (training/src) includes no driver, calibration, network or model"
forbid training/include "$driver|$calib|$net" "the trainer's headers include no driver, calibration or network"
forbid ppu "$driver|$calib|$net|$ttfs" "ppu/ includes no host library"
exit $fail
