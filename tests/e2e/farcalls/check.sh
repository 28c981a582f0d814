#!/usr/bin/env bash
# The objects really branch across the padding in both directions, with
# both BL (CALL26) and B (JUMP26), and the output really puts more than
# 128 MiB (the reach of B/BL) between the two sides (and, in the dynamic
# modes, between one side and the PLT).
set -e
need() {  # object, relocation type, symbol
  if ! "$READELF" -rW "$OBJ_DIR/$1" | grep -Eq "$2 +[0-9a-f]+ +$3 "; then
    echo "$1 has no $2 relocation against $3; relocations are:"
    "$READELF" -rW "$OBJ_DIR/$1"
    exit 1
  fi
}
need a_near.o R_AARCH64_CALL26 far_add
need a_near.o R_AARCH64_JUMP26 far_add
need a_near.o R_AARCH64_CALL26 printf
need c_far.o R_AARCH64_CALL26 near_add
need c_far.o R_AARCH64_JUMP26 near_twice
need c_far.o R_AARCH64_CALL26 snprintf
addr() { "$NM" "$1" | awk -v s="$2" '$3 == s { print $1 }'; }
near=$(addr "$1" near_add) far=$(addr "$1" far_add) main=$(addr "$1" main)
echo "near_add 0x$near, main 0x$main, far_add 0x$far"
[[ -n $near && -n $far && -n $main ]] || { echo "symbols missing"; exit 1; }
limit=$((128 << 20))
((16#$far - 16#$near > limit)) || { echo "far_add is not more than 128 MiB after near_add"; exit 1; }
case ${MODE:-static} in
  pie | no-pie)
    # libc is a shared library: its functions are called through the PLT,
    # which one side of the padding reaches only through thunks.
    plt=$("$READELF" -SW "$1" | awk '{ sub(/^ *\[ *[0-9]+\]/, "") } $1 == ".plt" { print $3 }')
    echo ".plt 0x$plt"
    [[ -n $plt ]] || { echo "no .plt section"; exit 1; }
    d1=$((16#$plt - 16#$near)) d2=$((16#$plt - 16#$far))
    ((d1 < 0)) && d1=$((-d1))
    ((d2 < 0)) && d2=$((-d2))
    ((d1 > limit || d2 > limit)) || { echo ".plt is within 128 MiB of both near_add and far_add"; exit 1; }
    ;;
  *)
    printf=$(addr "$1" printf)
    echo "printf 0x$printf"
    [[ -n $printf ]] || { echo "symbols missing"; exit 1; }
    ((16#$printf - 16#$main > limit)) || { echo "printf is not more than 128 MiB after main"; exit 1; }
    ;;
esac
echo ok
