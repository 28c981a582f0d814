#!/usr/bin/env bash
# Linking the same objects again gives a byte-identical file with the same
# build-id, and readelf sees the note in both.
set -e
out2=$WORK/prog.again
rm -f "$out2"
"$LINK_SH" "$out2"
id1=$("$READELF" -n "$1" | sed -n 's/^ *Build ID: *//p')
id2=$("$READELF" -n "$out2" | sed -n 's/^ *Build ID: *//p')
echo "build-id 1: $id1"
echo "build-id 2: $id2"
[[ -n $id1 ]] || { echo "no build-id note in $1"; exit 1; }
[[ $(wc -l <<<"$id1") == 1 ]] || { echo "more than one build-id note"; exit 1; }
[[ $id1 == "$id2" ]] || { echo "build-ids differ"; exit 1; }
cmp "$1" "$out2" || { echo "the two links are not byte-identical"; exit 1; }
echo "identical"
