#!/usr/bin/env bash
# Shared libraries built by xld, end to end:
#   shared.sh XLD_BUILD_DIR REPO_DIR TARGET CASE [WORK_DIR]
# TARGET  x86_64 (the host's gcc, g++ and GNU ld) or aarch64 (the sysroot
#         wrappers sysroots/bin/aarch64-linux-gnu-cc/c++, GNU ld from
#         binutils-aarch64-linux-gnu, programs run under qemu-aarch64)
# CASE
#   interpose  library and program by xld: functions, data, TLS (GD, LD,
#              descriptors (x86-64 -mtls-dialect=gnu2; aarch64 by default) and
#              the program's IE), interposition of the library's function
#              by the program's, a hidden symbol; -Bsymbolic binds it
#              locally; LD_BIND_NOW and -z now
#   mixed      an xld library under a GNU ld program, and the reverse
#   dlopen     dlopen/dlsym of an xld library
#   cxx        C++ exceptions thrown in the library, caught by type in the
#              program; a thread_local shared across the boundary
#   readelf    what the library promises: ET_DYN without PT_INTERP,
#              DT_SONAME, exported and hidden symbols, JUMP_SLOT for the
#              interposable call, DTPMOD64 for its TLS
#   versions   a version script (nodes, a dependency, local: *, extern
#              "C++"); two versions of one symbol, both called by a program
#              (linked by xld, and by GNU ld); readelf -V of both
#   needed     DT_NEEDED: --as-needed drops an unused library, keeps a used
#              one; --push-state/--pop-state restore --no-as-needed;
#              -rpath as DT_RUNPATH, or DT_RPATH with --disable-new-dtags;
#              $ORIGIN with -z origin; -l prefers .so to .a but for -Bstatic;
#              --hash-style=sysv|gnu|both
#   errors     --no-undefined and -z defs report an undefined symbol;
#              position-dependent code is refused; a program whose library
#              needs a symbol nobody defines is refused unless
#              --allow-shlib-undefined; no output left behind
#   exclude    --exclude-libs keeps an archive's symbols out of .dynsym
#   landing    every input marked BTI (aarch64) or IBT (x86-64), linked
#              with its own _start: the output keeps the mark and the PLT
#              gets landing pads ("bti c"; endbr64 in both halves of x86-64's
#              IBT entries), and the program runs (aarch64 under qemu -cpu max)
#   dynlist    --export-dynamic-symbol and --dynamic-list: an executable
#              exports just those (found by dlsym), --export-dynamic all; a library keeps them
#              interposable under -Bsymbolic (a dynamic list implies it for
#              the rest); -z nodelete/-z initfirst set DF_1 flags; -init
#   textrel    pointers in a read-only section of a library: refused with a
#              message naming -z notext; with it, DT_TEXTREL and a library
#              that works
#   llvm       (x86_64) a C++ program against LLVM 14's libLLVM-14.so (tens of
#              thousands of versioned symbols): same output as GNU ld's link
#   relr       -z pack-relative-relocs: .relr.dyn and DT_RELR in a library
#              and a PIE (GLIBC_ABI_DT_RELR needed), no RELATIVE left in
#              .rela.dyn but the unaligned one; same output as without;
#              a static-pie with it
set -euo pipefail
build=$(cd "$1" && pwd)
repo=$(cd "$2" && pwd)
target=$3
case_name=$4
test_name=shared.$target.$case_name
# shellcheck source=tests/dropin/lib.sh
. "$repo/tests/dropin/lib.sh"
fresh_work "${5:-}"
cd "$work"
src=$repo/tests/shared/src
xld=$build/xld

case $target in
  x86_64)
    # gcc runs the `ld` it finds first in -B's folder: xld, or GNU ld.
    mkdir -p xldbin
    ln -sf "$xld" xldbin/ld
    cc_xld=(gcc -B xldbin) cxx_xld=(g++ -B xldbin) cc_bfd=(gcc -fuse-ld=bfd) cxx_bfd=(g++ -fuse-ld=bfd)
    run=() readelf=readelf arch_rel=R_X86_64
    ;;
  aarch64)
    sysroot=${XLD_SYSROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots}/aarch64-linux-gnu
    [ -f "$sysroot/lib/aarch64-linux-gnu/libc.so.6" ] || skip "no aarch64-linux-gnu sysroot with shared libraries (bash sysroots/build-all.sh)"
    command -v qemu-aarch64 > /dev/null || skip "qemu-aarch64 is not installed (qemu-user)"
    bfd=$(command -v aarch64-linux-gnu-ld || true)
    [ -n "$bfd" ] || skip "aarch64-linux-gnu-ld is not installed (binutils-aarch64-linux-gnu)"
    w=$repo/sysroots/bin
    # clang inlines interposable functions unless told not to.
    cc_xld=(env "XLD=$xld" "$w/aarch64-linux-gnu-cc" -fsemantic-interposition)
    cxx_xld=(env "XLD=$xld" "$w/aarch64-linux-gnu-c++")
    cc_bfd=(env "XLD=$bfd" "$w/aarch64-linux-gnu-cc" -fsemantic-interposition)
    cxx_bfd=(env "XLD=$bfd" "$w/aarch64-linux-gnu-c++")
    run=(qemu-aarch64 -L "$sysroot")
    readelf=readelf arch_rel=R_AARCH64
    ;;
  *) fail "unknown target $target" ;;
esac

log() { echo "+ $*" >> log; }
# build CC... : runs a compile or link, failing the test with its output.
build() {
  log "$@"
  "$@" >> log 2>&1 || fail "command failed: $* (see $work/log)"
}
# run_to FILE [VAR=VALUE...] PROGRAM [ARGS]: runs PROGRAM with the
# libraries of this folder and the variables given, into FILE.
run_to() {
  local out=$1 vars=("LD_LIBRARY_PATH=$work")
  shift
  while [[ $1 == *=* ]]; do vars+=("$1"); shift; done
  log "run ${vars[*]} $*"
  if [ ${#run[@]} -gt 0 ]; then
    local qemu_env=()
    for v in "${vars[@]}"; do qemu_env+=(-E "$v"); done
    "${run[@]}" "${qemu_env[@]}" "$@" > "$out" 2>&1 || fail "$* failed: $(cat "$out")"
  else
    env "${vars[@]}" "$@" > "$out" 2>&1 || fail "$* failed: $(cat "$out")"
  fi
}
expect() {  # FILE, expected text on stdin
  local want
  want=$(cat)
  [ "$(cat "$1")" = "$want" ] || fail "$1: expected
$want
but got
$(cat "$1")"
}
has() { grep -qE "$1" <<< "$2"; }

lib_xld() { build "${cc_xld[@]}" -O2 -fPIC -shared -Wl,-soname,libt.so "$@" "$src/lib.c" -o libt.so; }
interposed_output() {
  cat <<OUT
hello main from lib (10)
calls $1
tls 11
tls 25
counter 11 11 same 1
hidden 5
OUT
}

case $case_name in
  interpose)
    lib_xld
    for mode in pie no-pie; do
      flag=-fPIE
      [ $mode = no-pie ] && flag=-fno-pie
      build "${cc_xld[@]}" -O2 $flag -$mode "$src/main.c" -o main-$mode -L. -lt
      run_to out-$mode ./main-$mode
      interposed_output 101 | expect out-$mode
      # Every function bound before main runs.
      run_to out-now-$mode LD_BIND_NOW=1 ./main-$mode
      interposed_output 101 | expect out-now-$mode
    done
    build "${cc_xld[@]}" -O2 -fPIE -pie -Wl,-z,now "$src/main.c" -o main-znow -L. -lt
    has 'BIND_NOW' "$($readelf -d main-znow)" || fail "-z now: no BIND_NOW in .dynamic"
    run_to out-znow ./main-znow
    interposed_output 101 | expect out-znow
    # -Bsymbolic: the library calls its own lib_value. (Its data binds
    # locally too, so a program that copied `counter` sees another one:
    # only the call is compared.)
    lib_xld -Wl,-Bsymbolic
    run_to out-symbolic ./main-pie
    has '^calls 43$' "$(cat out-symbolic)" || fail "-Bsymbolic: $(cat out-symbolic)"
    lib_xld -Wl,-Bsymbolic-functions
    run_to out-symbolic-functions ./main-pie
    interposed_output 43 | expect out-symbolic-functions
    # TLS descriptors (aarch64's default; x86-64 with -mtls-dialect=gnu2).
    if [ $target = x86_64 ]; then
      lib_xld -mtls-dialect=gnu2
      has 'R_X86_64_TLSDESC' "$($readelf -rW libt.so)" || fail "-mtls-dialect=gnu2: no R_X86_64_TLSDESC"
      run_to out-tlsdesc ./main-pie
      interposed_output 101 | expect out-tlsdesc
    fi
    ;;
  mixed)
    lib_xld
    build "${cc_bfd[@]}" -O2 -fPIE -pie "$src/main.c" -o main-bfd -L. -lt
    run_to out-bfd ./main-bfd
    interposed_output 101 | expect out-bfd
    build "${cc_bfd[@]}" -O2 -fPIC -shared -Wl,-soname,libt.so "$src/lib.c" -o libt.so
    build "${cc_xld[@]}" -O2 -fPIE -pie "$src/main.c" -o main-xld -L. -lt
    run_to out-xld ./main-xld
    interposed_output 101 | expect out-xld
    ;;
  dlopen)
    lib_xld
    build "${cc_xld[@]}" -O2 -fPIE -pie "$src/dl.c" -o dl -ldl
    run_to out ./dl "$work/libt.so"
    echo "dl tls 11 calls 43 hidden absent" | expect out
    ;;
  cxx)
    build "${cxx_xld[@]}" -O2 -fPIC -shared "$src/ex.cc" -o libex.so
    for mode in pie no-pie; do
      flag=-fPIE
      [ $mode = no-pie ] && flag=-fno-pie
      build "${cxx_xld[@]}" -O2 $flag -$mode "$src/exm.cc" -o exm-$mode -L. -lex -pthread
      run_to out-$mode ./exm-$mode
      printf 'caught from lib 3\ntl 11\nthread tl 2\n' | expect out-$mode
    done
    ;;
  readelf)
    lib_xld
    h=$($readelf -h libt.so) l=$($readelf -lW libt.so) d=$($readelf -dW libt.so)
    s=$($readelf --dyn-syms -W libt.so) r=$($readelf -rW libt.so)
    has 'Type: +DYN' "$h" || fail "not ET_DYN: $h"
    ! has 'INTERP' "$l" || fail "a shared library has PT_INTERP"
    has 'DYNAMIC' "$l" || fail "no PT_DYNAMIC"
    has 'SONAME.*\[libt.so\]' "$d" || fail "no DT_SONAME libt.so: $d"
    has 'NEEDED.*\[libc.so.6\]' "$d" || fail "no DT_NEEDED libc.so.6: $d"
    ! has 'FLAGS_1.*PIE' "$d" || fail "DF_1_PIE in a shared library"
    for sym in lib_value lib_calls lib_tls lib_counter lib_hello counter tls_gd; do
      has "GLOBAL +DEFAULT +[0-9]+ $sym\$" "$s" || fail "$sym is not exported: $s"
    done
    ! has 'hidden_value|tls_ld' "$s" || fail "a hidden or static symbol is exported"
    has "${arch_rel}_JUMP_SLOT.* lib_value" "$r" || fail "the interposable call has no JUMP_SLOT: $r"
    has "${arch_rel}_(TLS_)?DTPMOD64|${arch_rel}_TLSDESC" "$r" || fail "no module-id or descriptor relocation for the TLS: $r"
    ;;
  versions)
    build "${cc_xld[@]}" -O2 -fPIC -c "$src/ver.c" -o ver.o
    build "${cxx_xld[@]}" -O2 -fPIC -c "$src/ver_cxx.cc" -o ver_cxx.o
    build "${cc_xld[@]}" -shared ver.o ver_cxx.o -o libver.so -Wl,-soname,libver.so -Wl,--version-script="$src/ver.map"
    s=$($readelf --dyn-syms -W libver.so) v=$($readelf -VW libver.so)
    has ' foo@VER_1$' "$s" || fail "no hidden foo@VER_1: $s"
    has ' foo@@VER_2$' "$s" || fail "no default foo@@VER_2: $s"
    has ' bar@@VER_1$' "$s" || fail "no bar@@VER_1: $s"
    has '_ZN3api5twiceEi@@VER_1$' "$s" || fail "extern \"C++\" { api::*; } did not export api::twice: $s"
    ! has 'internal_helper|_ZN6detail' "$s" || fail "local: * did not hide the helpers: $s"
    has 'Flags: BASE +Index: 1 +Cnt: 1 +Name: libver.so' "$v" || fail "no base version: $v"
    has 'Index: 3 +Cnt: 2 +Name: VER_2' "$v" || fail "no VER_2 with its parent: $v"
    has 'Parent 1: VER_1' "$v" || fail "VER_2 does not name VER_1: $v"
    for linker in xld bfd; do
      if [ $linker = xld ]; then cc=("${cc_xld[@]}"); else cc=("${cc_bfd[@]}"); fi
      build "${cc[@]}" -O2 -fPIE -pie "$src/usever.c" -o usever-$linker -L. -lver
      run_to out-$linker ./usever-$linker
      echo "new 2 old 1 bar 3" | expect out-$linker
    done
    has 'File: libver.so +Cnt: 2' "$($readelf -VW usever-xld)" || fail "the program needs no versions of libver.so"
    ;;
  needed)
    lib_xld
    build "${cc_xld[@]}" -O2 -fPIE -c "$src/dl.c" -o dl.o
    # dl.o uses libdl (dlopen) and nothing of libt.so or libm.
    build "${cc_xld[@]}" -pie dl.o -o as-needed -L. -Wl,--as-needed -lt -lm -ldl -Wl,--no-as-needed
    d=$($readelf -dW as-needed)
    ! has '\[libt.so\]|\[libm.so' "$d" || fail "--as-needed kept an unused library: $d"
    has 'NEEDED.*\[libc.so' "$d" || fail "no libc.so.6: $d"
    build "${cc_xld[@]}" -pie dl.o -o pushed -L. -Wl,--as-needed -Wl,--push-state,--no-as-needed -lt \
      -Wl,--pop-state -lm -ldl -Wl,-rpath,/opt/xld-test/lib
    d=$($readelf -dW pushed)
    has 'NEEDED.*\[libt.so\]' "$d" || fail "--push-state --no-as-needed: no libt.so: $d"
    ! has '\[libm.so' "$d" || fail "--pop-state did not restore --as-needed: $d"
    has 'RUNPATH.*\[/opt/xld-test/lib\]' "$d" || fail "no DT_RUNPATH: $d"
    # -lt finds libt.so before libt.a, unless -Bstatic; $ORIGIN with -z origin.
    build "${cc_xld[@]}" -O2 -fPIC -c "$src/lib.c" -o lib_static.o
    ar rcs libt.a lib_static.o
    build "${cc_xld[@]}" -O2 -fPIE -c "$src/main.c" -o main.o
    mkdir -p app/bin app/lib
    cp libt.so app/lib/
    build "${cc_xld[@]}" -pie main.o -o app/bin/main -L. -lt '-Wl,-rpath,$ORIGIN/../lib' -Wl,-z,origin
    d=$($readelf -dW app/bin/main)
    has 'NEEDED.*\[libt.so\]' "$d" || fail "-lt did not take libt.so: $d"
    has 'RUNPATH.*\[\$ORIGIN/../lib\]' "$d" && has 'FLAGS.*ORIGIN' "$d" || fail "no \$ORIGIN run path or DF_ORIGIN: $d"
    log "run app/bin/main (no LD_LIBRARY_PATH)"
    if [ ${#run[@]} -gt 0 ]; then "${run[@]}" app/bin/main > out-origin 2>&1 || fail "\$ORIGIN: $(cat out-origin)"
    else app/bin/main > out-origin 2>&1 || fail "\$ORIGIN: $(cat out-origin)"; fi
    interposed_output 101 | expect out-origin
    echo 'int lib_calls(void); int main(void) { return lib_calls() != 43; }' > calls.c
    build "${cc_xld[@]}" -pie calls.c -o main-bstatic -L. -Wl,-Bstatic -lt -Wl,-Bdynamic
    ! has '\[libt.so\]' "$($readelf -dW main-bstatic)" || fail "-Bstatic -lt took libt.so"
    run_to out-bstatic ./main-bstatic
    # --hash-style: which tables a library has; the loader uses either.
    for style in sysv gnu both; do
      build "${cc_xld[@]}" -O2 -fPIC -shared -Wl,-soname,libt.so -Wl,--hash-style=$style "$src/lib.c" -o libt.so
      S=$($readelf -SW libt.so)
      case $style in
        sysv) has ' \.hash ' "$S" && ! has '\.gnu\.hash' "$S" || fail "--hash-style=sysv: $S" ;;
        gnu) has '\.gnu\.hash' "$S" && ! has ' \.hash ' "$S" || fail "--hash-style=gnu: $S" ;;
        both) has ' \.hash ' "$S" && has '\.gnu\.hash' "$S" || fail "--hash-style=both: $S" ;;
      esac
      run_to out-$style ./app/bin/main
      interposed_output 101 | expect out-$style
    done
    build "${cc_xld[@]}" -pie dl.o -o rpath -ldl -Wl,-rpath,/opt/a -Wl,-rpath,/opt/b -Wl,--disable-new-dtags
    has 'RPATH.*\[/opt/a:/opt/b\]' "$($readelf -dW rpath)" || fail "no DT_RPATH /opt/a:/opt/b: $($readelf -dW rpath)"
    run_to out ./pushed "$work/libt.so"
    echo "dl tls 11 calls 43 hidden absent" | expect out
    ;;
  errors)
    build "${cc_xld[@]}" -O2 -fPIC -c "$src/undef.c" -o undef.o
    build "${cc_xld[@]}" -shared undef.o -o libundef.so  # allowed by default
    has 'UND not_defined_anywhere' "$($readelf --dyn-syms -W libundef.so)" || fail "the undefined symbol is not in .dynsym"
    for opt in -Wl,--no-undefined -Wl,-z,defs; do
      rm -f libundef2.so
      if "${cc_xld[@]}" -shared $opt undef.o -o libundef2.so > err 2>&1; then fail "$opt: linked"; fi
      has 'xld: error: undefined symbol: not_defined_anywhere' "$(cat err)" || fail "$opt: $(cat err)"
      [ ! -e libundef2.so ] || fail "$opt: output left behind"
    done
    build "${cc_xld[@]}" -O2 -fno-pic -c "$src/nopic.c" -o nopic.o
    if "${cc_xld[@]}" -shared nopic.o -o libnopic.so > err 2>&1; then fail "position-dependent code linked into a shared library"; fi
    has 'xld: error: .*shared_global.*recompile with -fPIC' "$(cat err)" || fail "$(cat err)"
    [ ! -e libnopic.so ] || fail "output left behind"
    build "${cc_xld[@]}" -O2 -fPIC -shared "$src/needs_missing.c" -o libneedsmissing.so
    echo 'int calls_missing(void); int main(void) { return calls_missing(); }' > usemissing.c
    if "${cc_xld[@]}" usemissing.c -o usemissing -L. -lneedsmissing > err 2>&1; then
      fail "a library's undefined reference went unreported"
    fi
    has 'xld: error: undefined reference: missing_in_lib' "$(cat err)" || fail "$(cat err)"
    has 'referenced by .*libneedsmissing.so' "$(cat err)" || fail "$(cat err)"
    [ ! -e usemissing ] || fail "output left behind"
    build "${cc_xld[@]}" usemissing.c -o usemissing -L. -lneedsmissing -Wl,--allow-shlib-undefined
    # Damaged shared libraries: a clear error naming the file, exit 1.
    head -c 100 libneedsmissing.so > libtrunc.so
    python3 - libneedsmissing.so libbadsym.so <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
shoff, = struct.unpack_from('<Q', d, 0x28)
shnum, = struct.unpack_from('<H', d, 0x3c)
for i in range(shnum):
    if struct.unpack_from('<I', d, shoff + i * 64 + 4)[0] == 11:  # SHT_DYNSYM: offset past the end
        struct.pack_into('<Q', d, shoff + i * 64 + 0x18, 0x7fffffff)
open(sys.argv[2], 'wb').write(d)
PY
    for lib in libtrunc.so libbadsym.so; do
      rc=0
      "${cc_xld[@]}" usemissing.c -o bad "$work/$lib" > err 2>&1 || rc=$?
      [ $rc = 1 ] || fail "$lib: exit status $rc: $(cat err)"
      has "xld: error: .*$lib: (section header table|\.dynsym)" "$(cat err)" || fail "$lib: $(cat err)"
      [ ! -e bad ] || fail "$lib: output left behind"
    done
    ;;
  landing)
    if [ $target = aarch64 ]; then cflags=(-mbranch-protection=standard); else cflags=(-fcf-protection=full); fi
    build "${cc_xld[@]}" "${cflags[@]}" -O2 -fPIC -shared "$src/landing_lib.c" -o liblanding.so
    build "${cc_xld[@]}" "${cflags[@]}" -O2 -fPIE -c "$src/landing_main.c" -o landing_main.o
    build "${cc_xld[@]}" -c "$src/start_$target.S" -o start.o
    [ $target = aarch64 ] && loader=/lib/ld-linux-aarch64.so.1 || loader=/lib64/ld-linux-x86-64.so.2
    build "$xld" -pie start.o landing_main.o liblanding.so -o landing --dynamic-linker=$loader
    n=$($readelf -nW landing)
    if [ $target = aarch64 ]; then
      has 'AArch64 feature: BTI, PAC' "$n" || fail "the BTI mark is lost: $n"
      plt=$(llvm-objdump-14 -d -j .plt landing 2> /dev/null || aarch64-linux-gnu-objdump -d -j .plt landing)
      pads=$(grep -cE 'hint[[:space:]]+#(34|0x22)$|bti[[:space:]]+c' <<< "$plt" || true)
      [ "$pads" -ge 3 ] || fail "the PLT has $pads landing pads (want the header and 2 entries): $plt"
      run=(qemu-aarch64 -cpu max -L "$sysroot")
    else
      has 'x86 feature: IBT, SHSTK' "$n" || fail "the IBT/SHSTK mark is lost: $n"
      plt=$(objdump -d -j .plt landing)
      pads=$(grep -c 'endbr64' <<< "$plt" || true)
      [ "$pads" -ge 4 ] || fail "the PLT has $pads endbr64 (want 2 per entry): $plt"
    fi
    rc=0
    if [ ${#run[@]} -gt 0 ]; then "${run[@]}" -E LD_LIBRARY_PATH="$work" ./landing || rc=$?
    else LD_LIBRARY_PATH=$work ./landing || rc=$?; fi
    [ $rc = 42 ] || fail "the program exited with $rc (want 42)"
    ;;
  dynlist)
    build "${cc_xld[@]}" -O2 -fPIE -pie "$src/exported.c" -o exported -ldl \
      -Wl,--export-dynamic-symbol=plugin_api_ver* -Wl,--dynamic-list="$src/dynlist.txt" \
      -Wl,--export-dynamic-symbol,plugin_api_other
    run_to out ./exported
    echo "version 3 other 4 helper absent" | expect out
    build "${cc_xld[@]}" -O2 -fPIE -pie "$src/exported.c" -o exported-all -ldl -Wl,--export-dynamic
    run_to out-all ./exported-all
    echo "version 3 other 4 helper exported" | expect out-all
    lib_xld -Wl,-Bsymbolic -Wl,--export-dynamic-symbol=lib_value -Wl,-z,nodelete -Wl,-z,initfirst
    build "${cc_xld[@]}" -O2 -fPIE -pie "$src/main.c" -o main -L. -lt
    run_to out-eds ./main
    has '^calls 101$' "$(cat out-eds)" || fail "--export-dynamic-symbol under -Bsymbolic: $(cat out-eds)"
    has 'FLAGS_1.*NODELETE.*INITFIRST|FLAGS_1.*INITFIRST.*NODELETE' "$($readelf -dW libt.so)" ||
      fail "no NODELETE/INITFIRST: $($readelf -dW libt.so)"
    # A dynamic list keeps lib_value interposable and binds lib_tls's data
    # locally; the output is the interposed one.
    lib_xld -Wl,--dynamic-list="$src/dynlist.txt"
    run_to out-dl ./main
    has '^calls 101$' "$(cat out-dl)" || fail "--dynamic-list: $(cat out-dl)"
    lib_xld -Wl,-init=lib_calls
    init=$($readelf -dW libt.so | sed -n 's/.*(INIT) *//p')
    addr=$($readelf --dyn-syms -W libt.so | awk '$8 == "lib_calls" {print $2}')
    [ -n "$init" ] && [ $((init)) = $((16#$addr)) ] || fail "-init=lib_calls: DT_INIT $init, lib_calls $addr"
    ;;
  textrel)
    build "${cc_xld[@]}" -O2 -fPIC -c "$src/textrel.c" -o textrel.o
    if "${cc_xld[@]}" -shared textrel.o -o libtextrel.so > err 2>&1; then fail "text relocations linked without -z notext"; fi
    has 'xld: error: .*read-only section .rodata.ptrs.*-z notext' "$(cat err)" || fail "$(cat err)"
    [ ! -e libtextrel.so ] || fail "output left behind"
    build "${cc_xld[@]}" -shared textrel.o -o libtextrel.so -Wl,-z,notext
    has 'TEXTREL' "$($readelf -dW libtextrel.so)" || fail "no DT_TEXTREL: $($readelf -dW libtextrel.so)"
    echo 'int read_through(void); int printf(const char *, ...); int main(void) { printf("%d\n", read_through()); return 0; }' > usetextrel.c
    build "${cc_xld[@]}" usetextrel.c -o usetextrel -L. -ltextrel
    run_to out ./usetextrel
    echo 12 | expect out
    ;;
  llvm)
    [ $target = x86_64 ] || skip "x86_64 only"
    command -v llvm-config-14 > /dev/null && [ -f /usr/lib/llvm-14/lib/libLLVM-14.so ] ||
      skip "LLVM 14 is not installed (llvm-14-dev)"
    read -ra llvm_flags <<< "$(llvm-config-14 --cxxflags)"
    build "${cxx_xld[@]}" -O1 "${llvm_flags[@]}" -c "$repo/bench/real/llvm.cpp" -o llvm.o
    build "${cxx_xld[@]}" llvm.o -o llvm-xld -L/usr/lib/llvm-14/lib -lLLVM-14
    build "${cxx_bfd[@]}" llvm.o -o llvm-bfd -L/usr/lib/llvm-14/lib -lLLVM-14
    has 'NEEDED.*\[libLLVM-14.so.1\]' "$($readelf -dW llvm-xld)" || fail "no DT_NEEDED libLLVM-14.so.1"
    run_to out-xld ./llvm-xld
    run_to out-bfd ./llvm-bfd
    cmp -s out-xld out-bfd || fail "output differs from GNU ld's link: $(diff out-bfd out-xld | head)"
    [ -s out-xld ] || fail "no output"
    ;;
  relr)
    lib_xld -Wl,-z,pack-relative-relocs
    for relr in pack nopack; do
      build "${cc_xld[@]}" -O2 -fPIE -pie -Wl,-z,${relr}-relative-relocs "$src/relr.c" -o relr-$relr -L. -lt
      run_to out-$relr ./relr-$relr
      echo "sum 199 odd 7 gamma delta counter 10" | expect out-$relr
    done
    for f in relr-pack libt.so; do
      d=$($readelf -dW $f) r=$($readelf -rW $f) S=$($readelf -SW $f)
      has '\(RELR\) ' "$d" || fail "$f: no DT_RELR: $d"
      has '\.relr\.dyn +RELR' "$S" || fail "$f: no .relr.dyn section: $S"
    done
    has 'Name: GLIBC_ABI_DT_RELR' "$($readelf -VW relr-pack)" || fail "no GLIBC_ABI_DT_RELR needed"
    # Only the packed struct's unaligned pointer keeps a RELATIVE in .rela.dyn.
    n=$($readelf -rW relr-pack | grep -c "${arch_rel}_RELATIVE" || true)
    [ "$n" = 1 ] || fail "$n RELATIVE relocations left in .rela.dyn (expected 1): $($readelf -rW relr-pack)"
    m=$($readelf -rW relr-nopack | grep -c "${arch_rel}_RELATIVE" || true)
    [ "$m" -gt 10 ] || fail "without packing only $m RELATIVE relocations"
    # static-pie: the C library's start-up code applies .relr.dyn itself.
    build "${cc_xld[@]}" -O2 -fPIE -static-pie -DSTATIC_PIE -Wl,-z,pack-relative-relocs "$src/relr.c" -o relr-static
    has '\(RELR\) ' "$($readelf -dW relr-static)" || fail "static-pie: no DT_RELR"
    run_to out-static ./relr-static
    echo "sum 199 odd 7 gamma delta counter 10" | expect out-static
    ;;
  exclude)
    build "${cc_xld[@]}" -O2 -fPIC -c "$src/helper.c" -o helper.o
    ar rcs libhelper.a helper.o
    build "${cc_xld[@]}" -O2 -fPIC -c "$src/uses_helper.c" -o uses_helper.o
    build "${cc_xld[@]}" -shared uses_helper.o -o libexported.so -L. -lhelper
    has ' helper_fn$' "$($readelf --dyn-syms -W libexported.so)" || fail "helper_fn is not exported without --exclude-libs"
    for x in libhelper.a ALL; do
      build "${cc_xld[@]}" -shared uses_helper.o -o libexcluded.so -L. -lhelper -Wl,--exclude-libs,$x
      s=$($readelf --dyn-syms -W libexcluded.so)
      ! has ' helper_fn$' "$s" || fail "--exclude-libs=$x: helper_fn is exported: $s"
      has ' api_fn$' "$s" || fail "--exclude-libs=$x: api_fn is not exported: $s"
    done
    echo 'int api_fn(int); int printf(const char *, ...); int main(void) { printf("%d\n", api_fn(20)); return 0; }' > useapi.c
    build "${cc_xld[@]}" useapi.c -o useapi -L. -lexcluded
    run_to out ./useapi
    echo 42 | expect out
    ;;
  *) fail "unknown case $case_name" ;;
esac
echo "PASS ($test_name)"
