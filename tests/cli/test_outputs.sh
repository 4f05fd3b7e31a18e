#!/bin/sh
# axon train's output files as a careless user gives them: every path is
# checked before the first epoch, a missing plots folder is made, two outputs
# on one file are refused, a full disk is an error, a user's own PATH.tmp and a
# symlinked checkpoint survive.
axon=$1
fail=0
check() { if [ "$1" = 0 ]; then echo "ok: $2"; else echo "FAIL: $2"; fail=1; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
train() { "$axon" train yinyang-fastdeep --epochs 1 "$@" > "$tmp/out" 2> "$tmp/err"; }

train --plots "$tmp/no/such/folder"
rc=$?
[ $rc -eq 1 ] && grep -q "cannot make the folder" "$tmp/err" && ! grep -q "^epoch" "$tmp/out"
check $? "--plots in a missing folder fails before the first epoch (exit $rc: $(cat "$tmp/err"))"

train --checkpoint "$tmp/x/ck.bin"
[ $? -eq 1 ] && grep -q "does not exist" "$tmp/err" && ! grep -q "^epoch" "$tmp/out"
check $? "--checkpoint in a missing folder fails before the first epoch"

train --checkpoint "$tmp/same" --metrics "$tmp/./same"
[ $? -eq 1 ] && grep -q "name the same file" "$tmp/err"
check $? "--checkpoint and --metrics on one file refused"

train --metrics /dev/full
[ $? -eq 1 ] && grep -q "cannot write" "$tmp/err"
check $? "--metrics on a full disk is an error ($(cat "$tmp/err"))"

echo "mine" > "$tmp/ck.tmp"
echo "old" > "$tmp/real.ck"
ln -s real.ck "$tmp/ck"
train --checkpoint "$tmp/ck" --plots "$tmp/plots"
check $? "a run with a symlinked checkpoint and a new plots folder"
[ "$(cat "$tmp/ck.tmp")" = "mine" ]; check $? "the user's own ck.tmp untouched"
[ -L "$tmp/ck" ] && [ "$(head -c 8 "$tmp/real.ck")" = "AXTTFSCK" ]
check $? "the symlink kept, its target is the checkpoint"
[ -s "$tmp/plots/learning-curves.png" ] && [ -s "$tmp/plots/yinyang-decision.png" ]
check $? "the plots folder was made and holds both plots"
[ -z "$(find "$tmp" -name '.*' -type f)" ]; check $? "no temporary files left"
exit $fail
