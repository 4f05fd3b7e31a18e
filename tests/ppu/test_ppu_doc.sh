#!/bin/sh
# The minimal example of docs/ppu.md section 6 is ppu/programs/hello.c (after
# its opening comment), so the example on the page is the one that builds.
# usage: test_ppu_doc.sh SOURCE_DIR
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/^## 6\./ { s = 1 } s && /^```c$/ { c = 1; next } c && /^```$/ { exit } c' \
    "$src/docs/ppu.md" > "$tmp/doc.c"
awk 'p; /\*\/$/ && !p { p = 1; getline; if ($0 != "") print }' "$src/ppu/programs/hello.c" \
    > "$tmp/hello.c"
if [ -s "$tmp/doc.c" ] && cmp -s "$tmp/doc.c" "$tmp/hello.c"; then
    echo "ok: docs/ppu.md's example is ppu/programs/hello.c"
else
    echo "FAIL: docs/ppu.md section 6's example differs from ppu/programs/hello.c:"
    diff "$tmp/doc.c" "$tmp/hello.c"
    exit 1
fi
