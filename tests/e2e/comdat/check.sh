#!/usr/bin/env bash
# The inputs really carry COMDAT groups, and the output defines the shared
# static local exactly once.
set -e
"$READELF" -gW "$OBJ_DIR/a.o" | grep -q 'COMDAT group' || { echo "a.o has no COMDAT group"; exit 1; }
n=$("$NM" "$1" | grep -c ' _ZZ14shared_countervE5count$' || true)
[[ $n == 1 ]] || { echo "shared_counter()::count defined $n times"; exit 1; }
echo ok
