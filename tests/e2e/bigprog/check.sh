#!/usr/bin/env bash
# Determinism on the largest program of the suite: the same link at 1, 2, 3
# and 8 threads gives byte-identical files (xld only: other linkers have no
# --threads with this meaning).
set -euo pipefail
[ "${XLD_TEST_LINKER:-xld}" = xld ] || { echo "not xld: skipped"; exit 0; }
for t in 1 2 3 8; do
  sed 's/"\$1"$/"$1" -Wl,--threads='$t'/' "$LINK_SH" > "$WORK/link.t$t.sh"
  grep -q -- "--threads=$t" "$WORK/link.t$t.sh" || { echo "cannot add --threads to $LINK_SH"; exit 1; }
  rm -f "$WORK/prog.t$t"
  sh "$WORK/link.t$t.sh" "$WORK/prog.t$t"
  cmp "$1" "$WORK/prog.t$t" || { echo "--threads=$t gives other bytes"; exit 1; }
done
echo "identical at 1, 2, 3 and 8 threads"
