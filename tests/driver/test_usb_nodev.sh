#!/bin/sh
# usb: and ftdi: through the real libusb/libftdi code paths with no board:
# under umockdev-run (an empty testbed) both must refuse with a one-line
# "no board" error and exit 1. Skips (77) without umockdev.
# usage: test_usb_nodev.sh AXON_BINARY
command -v umockdev-run > /dev/null || { echo "SKIP: no umockdev-run"; exit 77; }
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0
for uri in usb: 'usb:0403:601f?serial=X' 'ftdi:0403:6010?interface=A' ftdi:; do
    umockdev-run -- "$1" info --device "$uri" > /dev/null 2> "$tmp/err"; rc=$?
    if [ $rc -ne 1 ] || [ "$(wc -l < "$tmp/err")" -ne 1 ] || ! grep -q "no board\|not found" "$tmp/err"; then
        echo "FAIL: $uri: exit $rc:"; cat "$tmp/err"; fails=$((fails + 1))
    else
        echo "ok: $uri: $(cat "$tmp/err")"
    fi
done
umockdev-run -- "$1" list --json > "$tmp/list" || fails=$((fails + 1))
grep -q '"uri":"usb:\|"uri":"ftdi:' "$tmp/list" && { echo "FAIL: list shows a USB board"; fails=$((fails + 1)); }
[ $fails -eq 0 ]
