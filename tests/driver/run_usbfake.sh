#!/bin/sh
# Runs test_usbfake under the umockdev preload. Under ASan the preload library
# comes before the ASan runtime in the link order, which ASan refuses unless
# told not to check (the preload only wraps libc calls).
# usage: run_usbfake.sh TEST_USBFAKE KIND [AXON_BINARY]
command -v umockdev-wrapper > /dev/null || { echo "SKIP: no umockdev-wrapper"; exit 77; }
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
exec umockdev-wrapper "$@"
