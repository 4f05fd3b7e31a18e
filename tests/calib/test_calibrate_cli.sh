#!/bin/sh
# axon calibrate on the small chip (temporary cache folder): the table, the
# JSON object (every parameter, truth on the simulated board, a calibration
# id), the cache (--apply finds it), the plots, usage errors.
set -eu
axon=$1
targets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export AXON_CALIB_DIR="$tmp/cache"
dev='sim:?size=small&die=3'
fail() { echo "FAIL: $*"; exit 1; }

"$axon" calibrate --device "$dev" --targets "$targets" >"$tmp/table" || fail "table run"
grep -q '^calibration [0-9a-f]\{16\} of ' "$tmp/table" || fail "no header line: $(cat "$tmp/table")"
for k in leak_mv reset_mv threshold_mv tau_m_us tau_se_us tau_si_us psp_e psp_i refractory_us; do
  grep -q "^$k " "$tmp/table" || fail "no row for $k"
done
ls "$tmp/cache"/*.axcal >/dev/null 2>&1 || fail "nothing in the cache"

mkdir "$tmp/plots"
"$axon" calibrate --device "$dev" --targets "$targets" --apply --json --plots "$tmp/plots" \
  >"$tmp/json" || fail "json run"
python3 - "$tmp/json" <<'PY' || fail "json content: $(cat "$tmp/json")"
import json, math, sys
o = json.load(open(sys.argv[1]))
assert o["source"] == "cache", o["source"]
assert len(o["calibration_id"]) == 16
assert o["flagged"] == 0 and o["seconds"] >= 0
keys = ["leak_mv", "reset_mv", "threshold_mv", "tau_m_us", "tau_se_us", "tau_si_us",
        "psp_e", "psp_i", "refractory_us"]
assert sorted(o["parameters"]) == sorted(keys)
for k in keys:
    p = o["parameters"][k]
    for f in ["target", "mean_before", "std_before", "mean_after", "std_after",
              "mean_after_true", "std_after_true"]:
        assert f in p, (k, f)
    if p["mean_after"] is not None:
        assert abs(p["mean_after"] - p["target"]) <= 0.02 * p["target"], (k, p)
        assert abs(p["mean_after_true"] - p["target"]) <= 0.02 * p["target"], (k, p)
PY
for k in leak_mv threshold_mv tau_m_us refractory_us; do
  [ -s "$tmp/plots/calib-$k.png" ] || fail "no plot for $k"
done
id1=$(sed -n 's/^calibration \([0-9a-f]*\) .*/\1/p' "$tmp/table")
grep -q "\"calibration_id\": \"$id1\"" "$tmp/json" || fail "--apply did not use the cached $id1"

if "$axon" calibrate --device "$dev" --plots "$tmp/nonexistent/dir" >/dev/null 2>&1; then
  fail "a missing plots folder accepted"
fi
if "$axon" calibrate --device "$dev" --bogus >/dev/null 2>&1; then fail "unknown option accepted"; fi
printf '[targets]\nleak_mv = 300\n' >"$tmp/bad.cfg"
if "$axon" calibrate --device "$dev" --targets "$tmp/bad.cfg" >/dev/null 2>"$tmp/err"; then
  fail "incomplete targets accepted"
fi
grep -q 'is missing' "$tmp/err" || fail "error message: $(cat "$tmp/err")"
echo "calib.cli: all checks passed"
