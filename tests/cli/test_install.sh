#!/bin/sh
# libaxon installed as users get it: `cmake --install` into a fresh prefix,
# then a small program built against it twice, through pkg-config and through
# the CMake package, runs against the simulated board; the SONAME is
# libaxon.so.0 and the installed axon program finds its library.
# usage: test_install.sh BUILD_DIR
set -u
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # check NAME CONDITION_RC
    if [ "$2" -eq 0 ]; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi
}

cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log" 2>&1
check "cmake --install" $?
p=$tmp/prefix
lib=$(ls "$p"/lib*/libaxon.so.0 2>/dev/null | head -n 1)
[ -n "$lib" ]; check "libaxon.so.0 installed" $?
readelf -d "$lib" | grep -q 'SONAME.*\[libaxon\.so\.0\]'; check "SONAME libaxon.so.0" $?
for h in axon.h program.h chip.h chip_regs.h codec.h stream.h status.h config.h export.h; do
    [ -f "$p/include/axon/$h" ]; check "header axon/$h" $?
done
[ -f "$p/lib/udev/rules.d/60-axon.rules" ]; check "udev rules" $?
[ -f "$p/share/axon/configs/yinyang-fastdeep.cfg" ]; check "training configs" $?
[ -f "$p/share/axon/examples/ttfs-eval-example.txt" ]; check "examples" $?
sh "$(dirname "$0")/test_symbols.sh" "$p"; check "exported symbols = public headers" $?
# pkg-config on Debian's multiarch layout: the prefix is found from the .pc
# file's own place at any libdir depth.
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$tmp/ma/lib/x86_64-linux-gnu/pkgconfig"
cmake -DIN="$src/driver/core/axon.pc.in" -DOUT="$tmp/ma/lib/x86_64-linux-gnu/pkgconfig/axon.pc" \
    -DLIBDIR=lib/x86_64-linux-gnu -DINCLUDEDIR=include -DVERSION=0 -P "$src/cmake/gen-pc.cmake"
ma=$(PKG_CONFIG_PATH="$tmp/ma/lib/x86_64-linux-gnu/pkgconfig" pkg-config --variable=libdir axon)
[ "$(cd "$ma" 2>/dev/null && pwd)" = "$tmp/ma/lib/x86_64-linux-gnu" ]; check "axon.pc on a multiarch libdir ($ma)" $?
"$p/bin/axon" version > "$tmp/version" 2>&1; check "installed axon runs" $?

# The consumer: open the simulated board, a register round trip, the die seed.
cat > "$tmp/consumer.c" <<'C'
#include <stdio.h>
#include <axon/axon.h>
int main(void)
{
    ax_device *d;
    if (ax_open("sim:?size=small&die=4242", &d) < 0) {
        fprintf(stderr, "open: %s\n", ax_error_detail());
        return 1;
    }
    uint32_t v = 0;
    int r = ax_reg_write(d, AX_REG_SCRATCH, 0x5EED1234u);
    if (r == AX_OK)
        r = ax_reg_read(d, AX_REG_SCRATCH, &v);
    printf("%d %08x %llu\n", r, v,
           (unsigned long long)ax_device_ident(d)->die_seed);
    ax_close(d);
    return r < 0;
}
C

pc=$(ls -d "$p"/lib*/pkgconfig | head -n 1)
# shellcheck disable=SC2046
cc -std=c17 -o "$tmp/by-pkgconfig" "$tmp/consumer.c" \
    $(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs axon) -Wl,-rpath,"$(dirname "$lib")"
check "build with pkg-config" $?
out=$("$tmp/by-pkgconfig" 2>&1)
echo "  pkg-config program: $out"
[ "$out" = "0 5eed1234 4242" ]; check "pkg-config program runs" $?

mkdir -p "$tmp/cm"
cat > "$tmp/cm/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.16)
project(consumer C)
find_package(axon 0.1 REQUIRED)
add_executable(consumer ../consumer.c)
target_link_libraries(consumer PRIVATE axon::axon)
CM
cmake -S "$tmp/cm" -B "$tmp/cm/build" -DCMAKE_PREFIX_PATH="$p" > "$tmp/cm.log" 2>&1 &&
    cmake --build "$tmp/cm/build" >> "$tmp/cm.log" 2>&1
r=$?
[ $r -eq 0 ] || cat "$tmp/cm.log"
check "build with find_package(axon)" $r
out=$("$tmp/cm/build/consumer" 2>&1)
echo "  CMake program: $out"
[ "$out" = "0 5eed1234 4242" ]; check "CMake program runs" $?

[ $fails -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all install checks passed"
