#!/bin/sh
# A command whose output cannot be written fails: stdout on a full disk
# (/dev/full) gives "cannot write to stdout" and exit 1, never exit 0.
axon=$1
fail=0
check() { if [ "$1" = 0 ]; then echo "ok: $2"; else echo "FAIL: $2"; fail=1; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for cmd in "version" "--help" "data yinyang" "peek --device sim:?size=small 0x0D" "info --device sim:?size=small"; do
    # shellcheck disable=SC2086
    "$axon" $cmd > /dev/full 2> "$tmp/err"
    rc=$?
    [ $rc -eq 1 ] && grep -q "cannot write to stdout" "$tmp/err"
    check $? "axon $cmd > /dev/full: exit $rc, $(head -c 80 "$tmp/err")"
    # shellcheck disable=SC2086
    "$axon" $cmd > "$tmp/out" 2> "$tmp/err"
    check $? "axon $cmd to a file: exit 0"
done
exit $fail
