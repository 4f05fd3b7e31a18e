#!/bin/sh
# axon calibrate --sweep on the small chip (temporary cache folder): 3 dice
# with --jobs 2 (one row each, in the sweep's order, the device's die=
# replaced, calibrated spreads), the JSON lines of dice x target files (the
# same object as a single run's --json, cached runs from the cache), a
# failing run among good ones (reported with its message, the others still
# reported, exit 1), and bad sweep syntax (one line on stderr, exit 2).
set -eu
axon=$1
tdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export AXON_CALIB_DIR="$tmp/cache"
dev='sim:?size=small&die=9'
fail() { echo "FAIL: $*"; exit 1; }

# 1. the table: 3 dice, 2 processes at a time
"$axon" calibrate --device "$dev" --targets "$tdir/ttfs.cfg" --sweep dies=1-3 --jobs 2 \
  >"$tmp/table" 2>"$tmp/err" || fail "table sweep: $(cat "$tmp/err")"
cat "$tmp/table"
[ "$(grep -c '^sim:' "$tmp/table")" -eq 3 ] || fail "not 3 rows"
grep -q 'die=9' "$tmp/table" && fail "die=9 of the device was not replaced"
python3 - "$tmp/table" <<'PY' || fail "table content"
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.startswith("sim:")]
assert [r[0] for r in rows] == ["sim:?size=small&die=%d" % d for d in (1, 2, 3)], rows
for r in rows:
    assert r[1] == "ttfs" and float(r[2]) > 0 and int(r[3]) == 0, r
    cells = [tuple(float(x) for x in c.split("/")) for c in r[4:]]
    assert len(cells) == 9, r
    for k in range(3):               # leak, reset, threshold: sd after < 1 mV
        assert max(cells[k]) < 1.0, (r[0], k, cells[k])
    for k in range(3, 6):            # time constants 1 us: sd after < 1 %
        assert max(cells[k]) < 0.01, (r[0], k, cells[k])
    for k in (6, 7):                 # psp 0.03: sd after < 1 %
        assert max(cells[k]) < 0.0003, (r[0], k, cells[k])
    assert max(cells[8]) < 0.05, (r[0], cells[8])  # refractory 5 us
PY
[ "$(ls "$tmp/cache"/*.axcal | wc -l)" -eq 3 ] || fail "not 3 cache files"

# 2. JSON lines: 2 dice x 2 target files; the ttfs runs from the cache
"$axon" calibrate --device 'sim:?size=small' --apply --json --jobs 2 \
  --sweep dies=1,2 --sweep targets="$tdir/ttfs.cfg,$tdir/ttfs-tau2.cfg" >"$tmp/json" \
  || fail "json sweep"
"$axon" calibrate --device 'sim:?size=small&die=2' --targets "$tdir/ttfs.cfg" --apply --json \
  >"$tmp/single" || fail "single run"
python3 - "$tmp/json" "$tmp/single" <<'PY' || fail "json content: $(cat "$tmp/json")"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 4, lines
objs = [json.loads(l) for l in lines]
want = [(1, "ttfs"), (1, "ttfs-tau2"), (2, "ttfs"), (2, "ttfs-tau2")]
for o, (die, name) in zip(objs, want):
    assert o["device"] == "sim:?size=small&die=%d" % die and o["targets"] == name, o
    assert o["source"] == ("cache" if name == "ttfs" else "measured"), o
    assert o["flagged"] == 0
    for k, p in o["parameters"].items():
        tol = 0.02 * p["target"]
        assert abs(p["mean_after"] - p["target"]) <= tol, (k, p)
        assert abs(p["mean_after_true"] - p["target"]) <= tol, (k, p)
        assert p["std_after"] <= 0.1 * p["std_before"], (k, p)
    assert o["parameters"]["tau_m_us"]["target"] == (2.0 if name == "ttfs-tau2" else 1.0)
# the same object as the single run's --json
assert lines[2] == open(sys.argv[2]).read().strip(), (lines[2], open(sys.argv[2]).read())
PY

# 3. a failing run among good ones: die 2's cache file cannot be written
f3=$(ls "$tmp/cache"/die-0000000000000003-*.axcal) # die 3: ttfs only
t1=$(echo "$f3" | sed 's/.*-t\([0-9a-f]*\)\.axcal/\1/')
f2=$(ls "$tmp/cache"/die-0000000000000002-*-t"$t1".axcal)
rm -f "$f2" && mkdir "$f2"
if "$axon" calibrate --device 'sim:?size=small' --targets "$tdir/ttfs.cfg" --json --jobs 2 \
  --sweep dies=1,2,3 >"$tmp/part" 2>"$tmp/perr"; then
  fail "a failed run gave exit 0"
fi
python3 - "$tmp/part" <<'PY' || fail "partial: $(cat "$tmp/part")"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
assert [o["device"][-5:] for o in objs] == ["die=1", "die=2", "die=3"], objs
assert "error" not in objs[0] and "error" not in objs[2], objs
assert objs[0]["source"] == "measured" and objs[2]["flagged"] == 0
assert "error" in objs[1] and objs[1]["error"], objs[1]
PY
grep -q 'die=2 (targets ttfs): ' "$tmp/perr" || fail "no message for die 2: $(cat "$tmp/perr")"
rmdir "$f2"

# 4. usage errors: one line on stderr, exit 2, before any work
bad() {
  set +e
  "$axon" calibrate --device 'sim:?size=small' "$@" >/dev/null 2>"$tmp/uerr"
  rc=$?
  set -e
  [ "$rc" -eq 2 ] || fail "exit $rc for: $*"
  [ "$(wc -l <"$tmp/uerr")" -eq 1 ] || fail "not one line for $*: $(cat "$tmp/uerr")"
  grep -q '^axon: calibrate: ' "$tmp/uerr" || fail "message for $*: $(cat "$tmp/uerr")"
}
bad --sweep dies=1,2 --jobs 0
bad --sweep dies=1,2 --jobs x
bad --sweep dies=1 --jobs 65
bad --jobs 2
bad --sweep dies=
bad --sweep dies=1,,2
bad --sweep dies=a
bad --sweep dies=3-1
bad --sweep dies=1,1
bad --sweep dice=1
bad --sweep dies=1 --sweep dies=2
bad --sweep targets="$tmp/none.cfg"
bad --sweep targets=,
bad --sweep dies=1 --plots "$tmp"
bad --sweep targets="$tdir/ttfs.cfg" --targets "$tdir/ttfs.cfg"
set +e
"$axon" calibrate --device 'socket:/nonexistent' --sweep dies=1 >/dev/null 2>"$tmp/uerr"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "dies= on a non-sim device: exit $rc"
echo "calib.sweep: all checks passed"
