#!/bin/sh
# axon ppu: bad ELF files (one line naming the problem, exit 2, checked before
# a device is opened), usage errors, and on the simulated board (which must
# have the processors) the programs: hello's
# text and exit code, a runaway program stopped by --timeout (124) with the
# board (an axon-board server, so the state outlives one command) still
# usable, a trap's one line (133), status and stop.
# usage: test_ppu_cli.sh AXON TEST_PPU_LOAD PPU_DIR
set -u
axon=$1
mk=$2
ppu=$3
dev='sim:?size=small'
tmp=$(mktemp -d)
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$tmp"' EXIT
fails=0
check() { # check NAME EXPECTED_RC ACTUAL_RC
    if [ "$2" != "$3" ]; then echo "FAIL: $1: exit $3, expected $2"; fails=$((fails + 1)); else echo "ok: $1"; fi
}
contains() { # contains NAME FILE TEXT
    if grep -q -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1: '$3' not in:"; cat "$2"; fails=$((fails + 1)); fi
}
lines() { # lines NAME FILE N
    n=$(wc -l < "$2"); if [ "$n" -eq "$3" ]; then echo "ok: $1"; else echo "FAIL: $1: $n lines, expected $3"; cat "$2"; fails=$((fails + 1)); fi
}

"$mk" --write "$tmp" || exit 1
# Each bad file: exit 2, one line, the problem named. The device URI names a
# socket that does not exist: a command that opened it would fail with 1.
nodev="socket:$tmp/none.sock"
bad() { # bad FILE TEXT
    "$axon" ppu run "$tmp/$1" --device "$nodev" > "$tmp/out" 2> "$tmp/err"; check "$1: exit 2" 2 $?
    lines "$1: one line" "$tmp/err" 1
    contains "$1: names the problem" "$tmp/err" "$2"
    lines "$1: nothing on stdout" "$tmp/out" 0
}
bad elf64.elf "64-bit ELF (ELFCLASS64)"
bad x86.elf "machine 62 (x86-64), not RISC-V"
bad big-endian.elf "big-endian ELF"
bad at-0x4000.elf "lies outside the SRAM"
bad 17k.elf "17408 bytes, larger than the 16 KiB SRAM"
bad truncated.elf "ELF header truncated"
bad not-elf.elf "not an ELF file"
bad overlap.elf "overlaps an earlier one"
bad entry-outside.elf "is not inside a loaded segment"
bad float.elf "hard-float ABI"
contains "the path is named" "$tmp/err" "$tmp/float.elf: "
"$axon" ppu run "$tmp/missing.elf" > /dev/null 2> "$tmp/err"; check "missing file" 2 $?
contains "missing file named" "$tmp/err" "missing.elf: cannot open"

"$axon" ppu --help > "$tmp/help"; check "ppu --help" 0 $?
contains "help: usage" "$tmp/help" "usage: axon ppu run PROGRAM.elf"
contains "help: exit codes" "$tmp/help" "124 no exit within S seconds"
"$axon" ppu > /dev/null 2> "$tmp/err"; check "no subcommand" 2 $?
"$axon" ppu run > /dev/null 2> "$tmp/err"; check "run without a file" 2 $?
"$axon" ppu run "$ppu/hello.elf" --hemisphere 2 > /dev/null 2> "$tmp/err"; check "hemisphere 2" 2 $?
contains "hemisphere named" "$tmp/err" "expected 0 or 1"
"$axon" ppu run "$ppu/hello.elf" --timeout 0 > /dev/null 2> "$tmp/err"; check "timeout 0" 2 $?
"$axon" ppu frobnicate > /dev/null 2> "$tmp/err"; check "unknown subcommand" 2 $?

# The simulated board has the processors (model 4): a board without them
# fails here instead of skipping the run checks (the refusal of a board
# without them is checked on the fake board by ppu_load).
if ! "$axon" info --json --device "$dev" | grep -q '"ppu":true'; then
    echo "FAIL: the simulated board reports no processors (axon info: ppu false)"
    exit 1
fi

"$axon" ppu run "$ppu/hello.elf" --device "$dev" > "$tmp/out" 2> "$tmp/err"; check "hello: exit 42" 42 $?
printf 'hello from PPU 0\n' | cmp -s - "$tmp/out" && echo "ok: hello: its text" ||
    { echo "FAIL: hello printed:"; cat "$tmp/out"; fails=$((fails + 1)); }
lines "hello: nothing on stderr" "$tmp/err" 0
"$axon" ppu run "$ppu/hello.elf" --hemisphere 1 --device "$dev" > "$tmp/out"; check "hello on 1" 42 $?
contains "hello on 1: its text" "$tmp/out" "hello from PPU 1"
"$axon" ppu run "$ppu/trap.elf" --device "$dev" > "$tmp/out" 2> "$tmp/err"; check "trap: exit 133" 133 $?
lines "trap: one line" "$tmp/err" 1
contains "trap: cause, pc, tval" "$tmp/err" "axon: ppu: trap: illegal instruction at pc 0x0000[0-9a-f]* (tval 0x00000000)"
contains "trap: the text before it" "$tmp/out" "about to trap"

# One board for several commands: axon-board serving the simulated board.
board=$(dirname "$axon")/axon-board
sock="$tmp/board.sock"
"$board" --listen "$sock" --board "$dev" 2> "$tmp/board.err" &
pids=$!
i=0; while [ ! -S "$sock" ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done
s="socket:$sock"
"$axon" ppu run "$ppu/spin.elf" --timeout 1 --device "$s" > "$tmp/out" 2> "$tmp/err"; check "spin: exit 124" 124 $?
lines "spin: one line" "$tmp/err" 1
contains "spin: names the timeout" "$tmp/err" "ppu 0: no exit within 1 s (pc 0x"
"$axon" ppu status --device "$s" > "$tmp/out"; check "status after the timeout" 0 $?
contains "status: stopped" "$tmp/out" "ppu 0:       stopped"
"$axon" ppu run "$ppu/hello.elf" --device "$s" > "$tmp/out"; check "the board runs the next program" 42 $?
"$axon" ppu status --device "$s" > "$tmp/out"; check "status" 0 $?
contains "status: exit code" "$tmp/out" "halted, exited with code 42"
contains "status: mailbox" "$tmp/out" "mailbox:     17 bytes"
"$axon" ppu stop --device "$s"; check "stop" 0 $?
"$axon" ppu status --device "$s" > "$tmp/out"
contains "stopped after stop" "$tmp/out" "ppu 0:       stopped"

[ $fails -eq 0 ] && echo "all ppu CLI checks passed" || echo "$fails check(s) failed"
[ $fails -eq 0 ]
