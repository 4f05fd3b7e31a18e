#!/bin/sh
# The layers' one direction of dependency (docs/architecture.md), checked on
# the sources: a layer includes no header of a layer above it.
# usage: test_layers.sh SOURCE_DIR
src=$1
fail=0
driver='axon/(axon|chip|program|codec|stream)\.h'
calib='axon/calib\.h'
ttfs='axon/ttfs[a-z_]*\.h'
forbid() { # forbid FOLDER REGEX WHY
    hits=$(grep -rlE "#include [<\"]($2)[>\"]" "$src/$1" --include='*.c' --include='*.h' --include='*.cpp' 2>/dev/null)
    if [ -n "$hits" ]; then
        echo "FAIL: $3:"; echo "$hits" | sed 's/^/  /'; fail=1
    else
        echo "ok: $3"
    fi
}
forbid common "$driver|$calib|$ttfs|axsim.*\.h" "common/ includes no other layer"
forbid rtl-model "$driver|$calib|$ttfs" "rtl-model/ includes no driver, calibration or trainer"
forbid driver "$calib|$ttfs" "driver/ includes no calibration or trainer"
forbid calib "$ttfs" "calib/ includes no trainer"
forbid training/src "$driver|$calib|axsim.*\.h" "the trainer (training/src) includes no driver, calibration or model"
forbid training/include "$driver|$calib" "the trainer's headers include no driver or calibration"
forbid ppu "$driver|$calib|$ttfs" "ppu/ includes no host library"
exit $fail
