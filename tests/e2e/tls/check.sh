#!/usr/bin/env bash
# The objects must really use the TLS model each file stands for, or the test
# would not exercise the linker's handling of it.
set -e
need() {  # object, relocation type
  if ! "$READELF" -rW "$OBJ_DIR/$1" | grep -q "$2"; then
    echo "$1 has no $2 relocation; relocations are:"
    "$READELF" -rW "$OBJ_DIR/$1"
    exit 1
  fi
}
need gd.o R_X86_64_TLSGD
need ld.o R_X86_64_TLSLD
need ld.o R_X86_64_DTPOFF32
need ie.o R_X86_64_GOTTPOFF
need le.o R_X86_64_TPOFF32
# The output has one PT_TLS segment, aligned for the 64-byte variable.
n=0
while read -r type _ _ _ _ _ _ align; do
  [[ $type == TLS ]] || continue
  n=$((n + 1))
  if ((align < 64)); then echo "PT_TLS alignment $align < 64"; exit 1; fi
done < <("$READELF" -lW "$1")
if ((n != 1)); then echo "expected one PT_TLS segment, found $n"; exit 1; fi
