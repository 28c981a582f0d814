#!/usr/bin/env bash
# Paired comparison on one workload: runs LINKER_A and LINKER_B alternately,
# back to back, REPS times each, and prints the median wall and CPU time,
# peak RSS and the ratio A/B. On a shared machine whose speed drifts, runs
# taken in pairs compare better than runs minutes apart.
#
#   bash bench/pair.sh RSP REPS "LINKER_A ARGS" "LINKER_B ARGS"
#   bash bench/pair.sh ~/.cache/xld/bench/real-llvm/link-static.rsp 11 build/xld "mold --no-fork"
set -euo pipefail
rsp=$1 reps=$2 a=$3 b=$4
out=$(mktemp -d /tmp/xld-pair.XXXXXX)
trap 'rm -rf "$out"' EXIT
for ((i = 0; i < reps; i++)); do
  for side in A B; do
    if [ $side = A ]; then cmd=$a; else cmd=$b; fi
    rm -f "$out/prog"
    t0=$EPOCHREALTIME
    # shellcheck disable=SC2086  # the command's words split on purpose
    /usr/bin/time -f '%U %S %M' -o "$out/t" $cmd "@$rsp" -o "$out/prog" > /dev/null 2>&1
    t1=$EPOCHREALTIME
    echo "$side $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') $(cat "$out/t")"
  done
done > "$out/runs"
python3 - "$out/runs" "$a" "$b" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for side, name in (("A", sys.argv[2]), ("B", sys.argv[3])):
    r = [x for x in rows if x[0] == side]
    wall = statistics.median(float(x[1]) for x in r)
    cpu = statistics.median(float(x[2]) + float(x[3]) for x in r)
    rss = max(int(x[4]) for x in r) / 1024
    med[side] = wall
    print("%-40s wall %.3f s  cpu %.3f s  max RSS %.0f MB  (%d runs)" % (name, wall, cpu, rss, len(r)))
print("A/B wall: %.2f" % (med["A"] / med["B"]))
PY
