#!/usr/bin/env bash
# The objects must really use the TLS model each file stands for, or the test
# would not exercise the linker's handling of it.
set -e
need() {  # object, relocation type (a regex)
  if ! "$READELF" -rW "$OBJ_DIR/$1" | grep -Eq "$2"; then
    echo "$1 has no $2 relocation; relocations are:"
    "$READELF" -rW "$OBJ_DIR/$1"
    exit 1
  fi
}
case ${ARCH:-x86_64} in
  x86_64)
    need gd.o R_X86_64_TLSGD
    need ld.o R_X86_64_TLSLD
    need ld.o R_X86_64_DTPOFF32
    need ie.o R_X86_64_GOTTPOFF
    need le.o R_X86_64_TPOFF32
    ;;
  aarch64)
    # General dynamic is a TLS descriptor sequence per variable.
    for r in ADR_PAGE21 LD64_LO12 ADD_LO12 CALL; do need gd.o "R_AARCH64_TLSDESC_$r +[0-9a-f]+ +shared_init"; done
    # Local dynamic (ld.c.aarch64.flags): one descriptor for the module
    # (_TLS_MODULE_BASE_) plus DTPREL offsets of each variable.
    need ld.o 'R_AARCH64_TLSDESC_ADR_PAGE21 +[0-9a-f]+ +_TLS_MODULE_BASE_'
    need ld.o 'R_AARCH64_TLSLD_ADD_DTPREL_HI12 +[0-9a-f]+ +ld_init'
    need ld.o 'R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC +[0-9a-f]+ +ld_init'
    # Initial exec loads the offset from a GOT slot; local exec adds it.
    need ie.o R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21
    need ie.o R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC
    need le.o R_AARCH64_TLSLE_ADD_TPREL_HI12
    need le.o R_AARCH64_TLSLE_ADD_TPREL_LO12_NC
    ;;
  *) echo "tls/check.sh: no relocation names known for $ARCH"; exit 1 ;;
esac
# The output has one PT_TLS segment, aligned for the 64-byte variable.
n=0
while read -r type _ _ _ _ _ _ align; do
  [[ $type == TLS ]] || continue
  n=$((n + 1))
  if ((align < 64)); then echo "PT_TLS alignment $align < 64"; exit 1; fi
done < <("$READELF" -lW "$1")
if ((n != 1)); then echo "expected one PT_TLS segment, found $n"; exit 1; fi
echo ok
