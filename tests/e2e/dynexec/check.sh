#!/usr/bin/env bash
# The output is a dynamically linked executable as the loader needs it:
# PT_INTERP and PT_DYNAMIC; NEEDED libc (and libm on glibc); puts undefined
# in .dynsym; on glibc a .gnu.version_r entry for libc.so.6 with a GLIBC_2.*
# version; PLT relocations (JUMP_SLOT); under no-pie copy relocations, one
# copy for environ and __environ, and a canonical PLT entry for puts (an
# undefined symbol with a non-zero value). Then the program runs again with
# LD_BIND_NOW=1 (every PLT slot resolved at startup) and must print the
# same. (musl: libm is in libc.so, and there are no symbol versions.)
set -euo pipefail
out=$1
fail() { echo "FAIL: $*"; exit 1; }
# (readelf's output is captured first: under pipefail `readelf | grep -q`
# can fail by SIGPIPE.)
has() { grep -Eq -- "$1" <<<"$2"; }  # $1 = regex, $2 = text

case ${ARCH:-x86_64} in
  x86_64) R=R_X86_64 ;;
  aarch64) R=R_AARCH64 ;;
  *) fail "no relocation names known for $ARCH" ;;
esac

phdrs=$("$READELF" -lW "$out")
has '^ *INTERP ' "$phdrs" || fail "no PT_INTERP"
has '^ *DYNAMIC ' "$phdrs" || fail "no PT_DYNAMIC"
echo "interpreter: $(sed -n 's/^ *\[Requesting program interpreter: \(.*\)\]$/\1/p' <<<"$phdrs")"

dynamic=$("$READELF" -dW "$out")
needed=$(sed -n 's/.*(NEEDED) *Shared library: \[\(.*\)\].*/\1/p' <<<"$dynamic")
echo "NEEDED: $(tr '\n' ' ' <<<"$needed")"
if [[ $LIBC == musl ]]; then
  want_needed=(libc.so)
else
  want_needed=(libc.so.6 libm.so.6)
fi
for lib in "${want_needed[@]}"; do
  has "^${lib//./\\.}\$" "$needed" || fail "no DT_NEEDED $lib; the dynamic section is:"$'\n'"$dynamic"
done

# Num: Value Size Type Bind Vis Ndx Name[@version]
dynsyms=$("$READELF" --dyn-syms -W "$out")
sym() {  # $1 = name: prints "value ndx" of its first .dynsym entry
  awk -v s="$1" '{ n = $8; sub(/@.*/, "", n) } n == s && NF >= 8 { print $2, $7; exit }' <<<"$dynsyms"
}
read -r puts_value puts_ndx <<<"$(sym puts)" || true
[[ ${puts_ndx:-} == UND ]] || fail "puts is not an undefined symbol in .dynsym (Ndx '${puts_ndx:-missing}')"

if [[ $LIBC == glibc ]]; then
  versions=$("$READELF" -VW "$out")
  has "section '\.gnu\.version_r'" "$versions" || fail "no .gnu.version_r section"
  # The GLIBC_2.* names listed under the libc.so.6 entry of .gnu.version_r.
  libc_versions=$(awk '
    /^Version (needs|symbols|definition) section/ { in_r = /\.gnu\.version_r/ }
    in_r && /File:/ { file = $0; sub(/.*File: */, "", file); sub(/ .*/, "", file) }
    in_r && /Name: GLIBC_2\./ && file == "libc.so.6" { v = $0; sub(/.*Name: */, "", v); sub(/ .*/, "", v); print v }
  ' <<<"$versions")
  [[ -n $libc_versions ]] || fail "no GLIBC_2.* version needed from libc.so.6; readelf -V says:"$'\n'"$versions"
  echo "versions needed from libc.so.6: $(tr '\n' ' ' <<<"$libc_versions")"
fi

relocs=$("$READELF" -rW "$out")
has "${R}_JUMP_SLOT " "$relocs" || fail "no ${R}_JUMP_SLOT relocation"
if [[ $MODE == no-pie ]]; then
  has "${R}_COPY " "$relocs" || fail "no ${R}_COPY relocation in a no-pie executable"
  # libc's data objects the program uses directly are copied into it; the
  # two names of environ must name one copy, both exported.
  for s in environ __environ optind stdout; do
    read -r value ndx <<<"$(sym $s)" || true
    [[ -n ${ndx:-} && $ndx != UND ]] || fail "$s is not defined in .dynsym (no copy of it in the executable)"
    eval "value_$s=\$value"
  done
  [[ $value_environ == "$value___environ" ]] ||
    fail "environ (0x$value_environ) and __environ (0x$value___environ) are two copies of one object"
  # &puts in no-pie code is the address of a PLT entry, which the
  # executable exports as the value of its undefined puts.
  ((16#$puts_value != 0)) || fail "puts has value 0 in .dynsym: no canonical PLT entry for &puts"
  echo "copy relocations: $(awk -v r="${R}_COPY" '$3 == r { n = $5; sub(/@.*/, "", n); printf "%s ", n }' <<<"$relocs")"
  echo "canonical PLT entry of puts: 0x$puts_value"
fi

# Again with every symbol bound at startup (glibc; musl always binds then).
runner=()
eval "runner=(${RUNNER:-})"
rc=0
(cd "$WORK" && LD_BIND_NOW=1 timeout -k 5 120 "${runner[@]}" "$out" </dev/null >"$WORK/prog.bindnow.stdout" 2>"$WORK/prog.bindnow.stderr") || rc=$?
((rc == 0)) || { cat "$WORK/prog.bindnow.stderr"; fail "with LD_BIND_NOW=1 the program exits with $rc"; }
diff -u --label "stdout" --label "stdout with LD_BIND_NOW=1" "$WORK/prog.stdout" "$WORK/prog.bindnow.stdout" ||
  fail "the output differs with LD_BIND_NOW=1"
echo ok
