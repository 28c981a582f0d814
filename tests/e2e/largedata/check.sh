#!/usr/bin/env bash
# The 6 MiB of data are in the file, the 72 MiB of bss are not.
set -e
size=$(stat -c %s "$1")
echo "file size: $size"
((size > 6 * 1024 * 1024)) || { echo "output is smaller than its initialised data"; exit 1; }
((size < 40 * 1024 * 1024)) || { echo "output is too large: is .bss written to the file?"; exit 1; }
# A segment with memsz - filesz >= 72 MiB carries the bss.
found=0
while read -r type _ _ _ filesz memsz _; do
  [[ $type == LOAD ]] || continue
  ((memsz - filesz >= 72 * 1024 * 1024)) && found=1
done < <("$READELF" -lW "$1")
((found)) || { echo "no PT_LOAD has 72 MiB of zero-fill"; exit 1; }
echo ok
