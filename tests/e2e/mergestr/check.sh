#!/usr/bin/env bash
# The marker string is in four objects but once in the output.
set -e
for o in a b c main; do
  n=$(grep -a -o 'xld-mergestr-unique-marker-8c1f0e4a' "$OBJ_DIR/$o.o" | wc -l)
  [[ $n -ge 1 ]] || { echo "$o.o does not contain the marker"; exit 1; }
done
"$READELF" -SW "$OBJ_DIR/a.o" | grep -q '\.rodata\.str1\.1' || { echo "a.o has no .rodata.str1.1"; exit 1; }
n=$(grep -a -o 'xld-mergestr-unique-marker-8c1f0e4a' "$1" | wc -l)
echo "marker occurrences in the output: $n"
[[ $n == 1 ]]
