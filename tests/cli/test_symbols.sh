#!/bin/sh
# The binary face of each installed shared library is exactly what its public
# headers declare with AX_API: every exported function is declared there, and
# every declared function is exported (nothing of the driver's internals, the
# verilated model or Verilator's runtime leaks out).
# usage: test_symbols.sh PREFIX   (an installed tree)
set -u
p=$1
fails=0
face() { # face LIB HEADER... : compare nm -D with the AX_API declarations
    lib=$1
    shift
    nm -D --defined-only "$lib" | awk '$2 == "T" || $2 == "W" || $2 == "D" || $2 == "B" {print $3}' |
        sed 's/@.*//' | sort -u > "$tmp/exported"
    cat "$@" | tr '\n' ' ' | grep -oE 'AX_API [^;{]*\bax_[a-z0-9_]+\(' |
        grep -oE '\bax_[a-z0-9_]+\($' | tr -d '(' | sort -u > "$tmp/declared"
    n=$(wc -l < "$tmp/exported")
    if [ "$n" -eq 0 ] || ! diff -u "$tmp/declared" "$tmp/exported" > "$tmp/diff"; then
        echo "FAIL: $(basename "$lib") exports $n functions, not exactly its headers' AX_API ones:"
        cat "$tmp/diff"
        fails=$((fails + 1))
    else
        echo "ok: $(basename "$lib") exports exactly its $n declared functions"
    fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inc=$p/include/axon
libdir=$(dirname "$(ls "$p"/lib*/libaxon.so.0 "$p"/lib/*/libaxon.so.0 2>/dev/null | head -n 1)")
face "$libdir/libaxon_common.so.0" "$inc/bytes.h" "$inc/clock.h" "$inc/config.h" "$inc/outfile.h" "$inc/plot.h" \
    "$inc/provenance.h" "$inc/sha256.h" "$inc/status.h"
face "$libdir/libaxon.so.0" "$inc/axon.h" "$inc/chip.h" "$inc/codec.h" "$inc/ppu.h" "$inc/program.h" \
    "$inc/stream.h"
[ $fails -eq 0 ] || exit 1
echo "all symbol checks passed"
