#!/usr/bin/env bash
# Unreachable sections are gone; reachable and retained ones are present.
set -e
syms=$("$NM" --defined-only "$1")
status=0
for s in unused_function_xyz unused_data_xyz unused_caller_xyz; do
  if grep -qw "$s" <<<"$syms"; then echo "BUG: $s survived --gc-sections"; status=1; fi
done
for s in main used_function_abc used_via_pointer_def used_pointer_table used_data_ghi retained_function_qrs keep_one; do
  if ! grep -qw "$s" <<<"$syms"; then echo "BUG: $s is missing"; status=1; fi
done
# Sanity: the object did define the unused function in its own section.
"$READELF" -SW "$OBJ_DIR/lib.o" | grep -q '\.text\.unused_function_xyz' ||
  { echo "lib.o has no .text.unused_function_xyz section"; status=1; }
[[ $status == 0 ]] && echo ok
exit $status
