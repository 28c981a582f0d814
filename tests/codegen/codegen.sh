#!/usr/bin/env bash
# Relocation coverage by compiler flags: compiles data.c, tls.c and main.c
# with each flag set a compiler offers for static and static-pie code
# (optimisation -O0..-O3 x PIC/PIE or not x code model x TLS dialect), links
# every set with xld, runs the program (aarch64 under qemu-aarch64) and
# compares its output with expected.txt. A last link mixes objects built
# with different flag sets. Each flag set makes the compiler pick other
# relocations and instruction sequences (GOT or direct, literal pools and
# MOVW for -mcmodel=large, TLS descriptors or __tls_get_addr), so every one
# is a separate check of xld's relocation and relaxation code.
#
#   codegen.sh --xld PATH --bin-dir DIR --work DIR TARGET COMPILER
#     TARGET    x86_64-linux-gnu (host compilers) | aarch64-linux-gnu |
#               aarch64-linux-musl (through the sysroots)
#     COMPILER  gcc | clang (gcc for aarch64: Debian's gcc-aarch64-linux-gnu,
#               compiling against xld's sysroot)
# Exit status: 0 pass, 1 fail, 77 skip (compiler, qemu or sysroot missing).
set -u
set -o pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
xld= bin_dir= work=
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --xld) xld=$2; shift 2 ;;
    --bin-dir) bin_dir=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "codegen.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $# == 2 && -n $xld && -n $bin_dir && -n $work ]] || { sed -n '12,18p' "$0" >&2; exit 2; }
target=$1 compiler=$2
label="codegen.$target.$compiler"
skip() { echo "SKIP: $label: $*"; exit 77; }

opts=(-O0 -O1 -O2 -O3)
# Flag sets as "MODE FLAGS...": MODE is the link mode they are made for.
case $target:$compiler in
  x86_64-linux-gnu:gcc | x86_64-linux-gnu:clang)
    cc=("$compiler")
    link=("$compiler" -B "$bin_dir/libexec/xld")
    [[ $compiler == clang ]] && link=(clang -fuse-ld=xld) && export PATH=$bin_dir:$PATH
    runner=()
    sets=("static -fno-pic -mcmodel=small" "static -fno-pic -mcmodel=medium" "static -fno-pic -mcmodel=large"
          "static-pie -fPIE" "static-pie -fPIC -mtls-dialect=gnu2" "static-pie -fPIC -mcmodel=large")
    [[ $compiler == clang ]] && sets=("static -fno-pic -mcmodel=small" "static -fno-pic -mcmodel=medium"
                                      "static -fno-pic -mcmodel=large" "static-pie -fPIE" "static-pie -fPIC")
    ;;
  aarch64-linux-gnu:gcc | aarch64-linux-gnu:clang | aarch64-linux-musl:clang)
    sysroot=${XLD_SYSROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots}/$target
    [[ -d $sysroot ]] || skip "no sysroot at $sysroot (bash sysroots/build-all.sh)"
    command -v qemu-aarch64 >/dev/null || skip "qemu-aarch64 is not installed"
    command -v clang >/dev/null || skip "clang is not installed"
    cc=("$repo/sysroots/bin/$target-cc")
    if [[ $compiler == gcc ]]; then
      command -v aarch64-linux-gnu-gcc >/dev/null || skip "aarch64-linux-gnu-gcc is not installed (Debian package gcc-aarch64-linux-gnu)"
      cc=(aarch64-linux-gnu-gcc --sysroot="$sysroot")
    fi
    link=(env XLD="$xld" "$repo/sysroots/bin/$target-cc")
    runner=(qemu-aarch64)
    sets=("static -fno-pic -mcmodel=small" "static-pie -fPIE" "static-pie -fPIC")
    if [[ $compiler == gcc ]]; then
      sets+=("static -fno-pic -mcmodel=large" "static -fno-pic -mtls-dialect=trad" "static-pie -fPIC -mtls-dialect=trad"
             "static-pie -fpic" "static-pie -fPIE -mcmodel=tiny")
    else
      # clang 14 makes -mcmodel=large code only for local-exec TLS.
      sets+=("static -fno-pic -mcmodel=large -ftls-model=local-exec")
    fi
    ;;
  *) echo "codegen.sh: unsupported target/compiler $target $compiler" >&2; exit 2 ;;
esac
command -v "${cc[0]}" >/dev/null || skip "${cc[0]} is not installed"

rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
# Every (opt, set) pair is a variant, numbered; its objects are v<N>.<src>.o.
variants=()
for o in "${opts[@]}"; do
  for s in "${sets[@]}"; do variants+=("$s $o"); done
done
jobs=$(nproc 2>/dev/null || echo 2)
for i in "${!variants[@]}"; do
  read -r -a v <<<"${variants[i]}"
  for src in data tls main; do
    printf '%s\0' "$(printf '%q ' "${cc[@]}" "${v[@]:1}" -std=gnu17 -pthread -I"$here" -c "$here/$src.c" -o "v$i.$src.o") 2>>v$i.compile.log"
  done
done | xargs -0 -P "$jobs" -n 1 bash -c || { echo "FAIL: $label: compiling failed"; cat v*.compile.log | head -30; exit 1; }

failures=0
check() {  # $1 = name, $2 = what it is, $3 = mode, rest = objects
  local name=$1 what=$2 mode=$3
  shift 3
  if ! "${link[@]}" "-$mode" -pthread "$@" -o "$name.prog" >"$name.link.log" 2>&1; then
    echo "FAIL: $name ($what): link failed"; head -20 "$name.link.log"; failures=$((failures + 1)); return
  fi
  timeout 60 "${runner[@]}" "./$name.prog" >"$name.out" 2>&1
  local rc=$?
  if ((rc != 0)) || ! diff -u "$here/expected.txt" "$name.out" >"$name.diff"; then
    echo "FAIL: $name ($what): exit status $rc"; head -30 "$name.diff"; failures=$((failures + 1)); return
  fi
  echo "ok: $name ($what)"
}
for i in "${!variants[@]}"; do
  read -r -a v <<<"${variants[i]}"
  check "v$i" "${variants[i]}" "${v[0]}" "v$i.data.o" "v$i.tls.o" "v$i.main.o"
done
# Mixed: the three files from three different variants of one link mode.
for mode in static static-pie; do
  picks=()
  for i in "${!variants[@]}"; do
    [[ ${variants[i]} == "$mode "* ]] && picks+=("$i")
  done
  n=${#picks[@]}
  ((n >= 3)) || continue
  a=${picks[0]} b=${picks[n / 2 + 1]} c=${picks[n - 1]}
  check "mixed-$mode" "data: ${variants[a]}; tls: ${variants[b]}; main: ${variants[c]}" "$mode" \
    "v$a.data.o" "v$b.tls.o" "v$c.main.o"
done
# What the compiler made xld handle.
if command -v readelf >/dev/null; then
  types=$(for o in v*.o; do readelf -rW "$o"; done | awk '$3 ~ /^R_/ {print $3}' | sort -u)
  echo "relocation types in the objects ($(echo "$types" | wc -l)): $(echo $types)"
fi
if ((failures)); then
  echo "FAIL: $label: $failures of the links failed (work dir: $work)"
  exit 1
fi
echo "PASS: $label (${#variants[@]} flag sets and the mixed links)"
