#!/usr/bin/env bash
# Only the members that satisfy references are in the output.
set -e
syms=$("$NM" --defined-only "$1")
for s in a1 a2 b1 c_func c_data_only; do
  grep -qw "$s" <<<"$syms" || { echo "missing symbol $s"; exit 1; }
done
for s in a_unused weakly_referenced c_unused; do
  if grep -qw "$s" <<<"$syms"; then echo "symbol $s is present: its archive member was wrongly pulled in"; exit 1; fi
done
echo ok
