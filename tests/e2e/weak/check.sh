#!/usr/bin/env bash
# The COMMON symbol common_arr must get the larger of its two sizes (16 ints).
set -e
line=$("$NM" -S "$1" | awk '$4 == "common_arr"')
echo "nm: $line"
size=$(echo "$line" | awk '{ print $2 }')
[[ -n $size ]] || { echo "common_arr not in the symbol table"; exit 1; }
if ((16#$size != 64)); then echo "common_arr has size $((16#$size)), expected 64"; exit 1; fi
# The objects must really contain COMMON symbols (else -fcommon was lost).
"$READELF" -sW "$OBJ_DIR/common1.o" | grep -E ' COM +common_arr$' ||
  { echo "common1.o: common_arr is not COMMON"; exit 1; }
