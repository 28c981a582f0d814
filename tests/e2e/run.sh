#!/usr/bin/env bash
# End-to-end test driver for xld.
#
#   run.sh [--bin-dir DIR] [--xld PATH] [--work DIR] <test> <compiler> <mode> [extra flags...]
#   run.sh [options] --target TRIPLE <test> <mode> [extra flags...]
#
#   <test>      a folder under tests/e2e/ (hello, tls, ...)
#   <compiler>  gcc | clang | g++ | clang++ | musl-gcc, or a cross compiler
#               <triple>-cc | <triple>-c++ (sysroots/bin; implies --target)
#   <mode>      static | static-pie | pie | no-pie
#                 static      compile -fno-pie, link -static      ET_EXEC
#                 static-pie  compile -fPIE,    link -static-pie  ET_DYN
#                 pie         compile -fPIE,    link -pie         ET_DYN + PT_INTERP
#                 no-pie      compile -fno-pie, link -no-pie      ET_EXEC + PT_INTERP
#   --target    cross-link for TRIPLE (x86_64-linux-gnu, aarch64-linux-gnu,
#               x86_64-linux-musl, aarch64-linux-musl) with the sysroot
#               wrapper <triple>-cc (C) or <triple>-c++ (C++)
#   extra       flags added to every compile and to the link (e.g. -O0 -g)
#
# It compiles every *.c / *.cc of the test folder to objects, links them
# with xld through the compiler driver the way users do it
#   gcc/g++/musl-gcc:  -B <bin-dir>/libexec/xld        (gcc then runs our `ld`)
#   clang/clang++:     -fuse-ld=xld, <bin-dir> first on PATH (clang finds ld.xld)
# runs the program and compares its stdout and exit status with the files
# committed in the test folder.
#
# Cross targets (--target TRIPLE, or compiler <triple>-cc / <triple>-c++):
# the sources are compiled and linked with sysroots/bin/<triple>-cc (or
# -c++), which runs clang with --target, --sysroot and --ld-path=$XLD; the
# linker is chosen through that XLD variable (xld: --xld or <bin-dir>/xld).
# A program for another CPU runs under qemu-<cpu> (qemu-aarch64). The test
# is skipped (77) when the sysroot is missing: build the sysroots with
# `bash sysroots/build-all.sh` (into $XLD_SYSROOTS, default
# ~/.cache/xld/sysroots). The test is named e2e.<test>.<triple>.<mode>.
# The dynamic modes (pie, no-pie) need the target's shared libc, libm,
# dynamic loader and libgcc_s (and libstdc++ for C++) in the sysroot; the
# test is skipped (77) and names the missing files when they are not there.
# qemu-<cpu> then runs with -L <sysroot>, so that the program's interpreter
# and shared libraries are the sysroot's; a program for the host's CPU runs
# natively, with the host's loader and libraries.
# With XLD_TEST_LINKER=bfd a cross link uses GNU ld for the target
# (aarch64-linux-gnu-ld, or ld.bfd for x86-64); when no GNU ld for the
# target is installed, ld.lld is used instead (the log says so).
#
# Environment:
#   XLD_TEST_LINKER  xld (default) | bfd | gold | lld | mold | /path/to/a/linker
#                    link with that linker instead of xld, through the very
#                    same -B / -fuse-ld=xld mechanism (wrappers named `ld` and
#                    `ld.xld`). `XLD_TEST_LINKER=bfd` validates the tests.
#   XLD_BIN_DIR      default for --bin-dir (default: <repo>/build)
#   XLD_E2E_WORK     default for --work (default: $TMPDIR/xld-e2e)
#   XLD_E2E_JOBS     parallel compile jobs (default: number of CPUs)
#
# Per-test files (all optional except the expected output):
#   expected.txt          expected stdout; expected.<glibc|musl>.txt wins if present
#   expected_rc           expected exit status (default 0)
#   compare-bfd           also link the same objects with GNU ld, run that
#                         program too, and require identical stdout and status
#                         (a test needs expected.txt or compare-bfd, or both)
#   compilers, modes      the matrix this test runs in (read by CMake too);
#                         defaults: C: gcc clang musl-gcc, C++: g++ clang++;
#                         static static-pie (CMake adds pie no-pie with
#                         -DXLD_E2E_DYNAMIC=ON); run.sh runs any mode the
#                         `modes` file lists, or any mode without one
#   targets               the cross triples this test runs for (read by CMake
#                         too); an entry TRIPLE:MODE limits that triple to one
#                         mode. Default: every triple. CMake
#                         registers the ones in XLD_E2E_CROSS_TARGETS.
#   flags                 flags for every compile and for the link
#   cflags                flags for every compile only
#   ldflags               flags for the link only (before the objects)
#   libs                  link arguments after the objects (-lm, ...)
#   <source>.flags        extra compile flags for that one source (e.g. gd.c.flags)
#   <source>.<cpu>.flags  more for that source when compiling for that CPU
#                         (x86_64, aarch64; e.g. ld.c.aarch64.flags)
#   requires              files that must exist for a host build, else the test
#                         is skipped (77); cross builds use the sysroot
#   bfd-fallback-lld      cross triples for which GNU ld cannot link the test
#                         (the file says why): XLD_TEST_LINKER=bfd links it
#                         with ld.lld there
#   build.sh              hook run (bash) before compiling, in the work dir; it
#                         may write sources into $GEN_DIR (compiled with the
#                         test's own sources) and link arguments, one per line,
#                         into $LINK_ARGS_FILE (placed after the objects);
#                         exit status 77 skips the test (its last line says why)
#   check.sh              hook run (bash) after a successful run with the
#                         output path as $1; exit status != 0 fails the test.
#                         $LINK_SH <out> re-runs the exact same link.
# Hooks get: SRC_DIR WORK OBJ_DIR GEN_DIR LINK_ARGS_FILE LINK_SH CC CFLAGS
#            COMPILER MODE LIBC LINKER AR NM READELF TARGET (empty for host
#            compilers) ARCH (x86_64 | aarch64) RUNNER (qemu-aarch64, with
#            -L <sysroot> in the dynamic modes, or empty) (CC, CFLAGS and
#            RUNNER are shell-word strings).
#
# Exit status: 0 pass, 1 fail, 77 skip.

set -u
set -o pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$E2E_DIR/../.." && pwd)
BIN_DIR=${XLD_BIN_DIR:-$REPO_DIR/build}
XLD=${XLD:-}
WORK_ROOT=${XLD_E2E_WORK:-${TMPDIR:-/tmp}/xld-e2e}
TARGET=
CROSS_TRIPLES="x86_64-linux-gnu aarch64-linux-gnu x86_64-linux-musl aarch64-linux-musl"

usage() {
  sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --bin-dir) BIN_DIR=$2; shift 2 ;;
    --xld) XLD=$2; shift 2 ;;
    --work) WORK_ROOT=$2; shift 2 ;;
    --target) TARGET=$2; shift 2 ;;
    --target=*) TARGET=${1#--target=}; shift ;;
    --help) usage ;;
    --) shift; break ;;
    *) echo "run.sh: unknown option $1" >&2; usage ;;
  esac
done
# With --target the compiler may be left out (it follows from the test's
# language), or given as cc, c++ or <triple>-cc / <triple>-c++.
if [[ -n $TARGET ]]; then
  [[ " $CROSS_TRIPLES " == *" $TARGET "* ]] ||
    { echo "run.sh: unknown target '$TARGET' (targets: $CROSS_TRIPLES)" >&2; exit 2; }
  if [[ $# -ge 3 && ($2 == cc || $2 == c++ || $2 == "$TARGET-cc" || $2 == "$TARGET-c++") ]]; then
    TEST=$1 COMPILER=$2 MODE=$3
    shift 3
    [[ $COMPILER == cc || $COMPILER == c++ ]] && COMPILER=$TARGET-$COMPILER
  else
    [[ $# -ge 2 ]] || usage
    TEST=$1 COMPILER='' MODE=$2
    shift 2
  fi
else
  [[ $# -ge 3 ]] || usage
  TEST=$1 COMPILER=$2 MODE=$3
  shift 3
  for t in $CROSS_TRIPLES; do
    [[ $COMPILER == "$t-cc" || $COMPILER == "$t-c++" ]] && TARGET=$t
  done
fi
EXTRA=("$@")

SRC_DIR=$E2E_DIR/$TEST
LINKER=${XLD_TEST_LINKER:-xld}
if [[ -n $TARGET ]]; then
  LABEL="$TEST.$TARGET.$MODE (linker: $LINKER)"
else
  LABEL="$TEST.$COMPILER.$MODE (linker: $LINKER)"
fi

skip() { echo "SKIP: $LABEL: $*"; exit 77; }
fail() { echo "FAIL: $LABEL: $*"; exit 1; }

[[ -d $SRC_DIR ]] || { echo "run.sh: no test folder $SRC_DIR" >&2; exit 2; }

# ---------------------------------------------------------------- helpers
# Words of a flags file: '#' starts a comment, newlines are spaces, no globbing.
read_words() {  # $1 = file, $2 = name of the array to fill
  local -n _arr=$2
  _arr=()
  [[ -f $1 ]] || return 0
  read -r -a _arr <<<"$(sed 's/#.*//' "$1" | tr '\n' ' ')"
}

show_file() {  # $1 = title, $2 = file; prints at most 60 lines
  [[ -s $2 ]] || return 0
  echo "---- $1 ($2)"
  head -n 60 "$2"
  local n
  n=$(wc -l <"$2")
  ((n > 60)) && echo "... ($((n - 60)) more lines)"
  return 0
}

q() { (($#)) && printf '%q ' "$@"; return 0; }

# ---------------------------------------------------------------- the matrix
shopt -s nullglob
C_SRCS=("$SRC_DIR"/*.c)
CXX_SRCS=("$SRC_DIR"/*.cc)
shopt -u nullglob
if ((${#CXX_SRCS[@]})); then TEST_LANG=c++; else TEST_LANG=c; fi

# The target's CPU (ARCH), and the qemu-user that runs its programs when it
# is not the host's.
HOST_CPU=$(uname -m)
CROSS=0
RUN_WITH=()
if [[ -n $TARGET ]]; then
  CROSS=1
  [[ -n $COMPILER ]] || if [[ $TEST_LANG == c++ ]]; then COMPILER=$TARGET-c++; else COMPILER=$TARGET-cc; fi
  ARCH=${TARGET%%-*}
  [[ $ARCH == "$HOST_CPU" ]] || RUN_WITH=("qemu-$ARCH")
else
  ARCH=$HOST_CPU
fi

case $COMPILER in
  gcc)      CC_CMD=(gcc);      CLANG_LIKE=0; LIBC=glibc; CC_LANG=c ;;
  clang)    CC_CMD=(clang);    CLANG_LIKE=1; LIBC=glibc; CC_LANG=c ;;
  g++)      CC_CMD=(g++);      CLANG_LIKE=0; LIBC=glibc; CC_LANG=c++ ;;
  clang++)  CC_CMD=(clang++);  CLANG_LIKE=1; LIBC=glibc; CC_LANG=c++ ;;
  musl-gcc) CC_CMD=(musl-gcc); CLANG_LIKE=0; LIBC=musl;  CC_LANG=c ;;
  "$TARGET-cc" | "$TARGET-c++")
    CC_CMD=("$REPO_DIR/sysroots/bin/$COMPILER"); CLANG_LIKE=1
    if [[ $TARGET == *-musl ]]; then LIBC=musl; else LIBC=glibc; fi
    if [[ $COMPILER == *-c++ ]]; then CC_LANG=c++; else CC_LANG=c; fi ;;
  *) echo "run.sh: unknown compiler '$COMPILER'" >&2; exit 2 ;;
esac
# DYNAMIC: the output is a dynamically linked executable (PT_INTERP,
# shared libc); WANT_TYPE: its ELF type.
case $MODE in
  static)     MODE_CFLAGS=(-fno-pie); MODE_LDFLAGS=(-static);     DYNAMIC=0; WANT_TYPE=EXEC ;;
  static-pie) MODE_CFLAGS=(-fPIE);    MODE_LDFLAGS=(-static-pie); DYNAMIC=0; WANT_TYPE=DYN ;;
  pie)        MODE_CFLAGS=(-fPIE);    MODE_LDFLAGS=(-pie);        DYNAMIC=1; WANT_TYPE=DYN ;;
  no-pie)     MODE_CFLAGS=(-fno-pie); MODE_LDFLAGS=(-no-pie);     DYNAMIC=1; WANT_TYPE=EXEC ;;
  *) echo "run.sh: unknown mode '$MODE' (modes: static static-pie pie no-pie)" >&2; exit 2 ;;
esac

[[ $CC_LANG == "$TEST_LANG" ]] || skip "a $TEST_LANG test cannot be built with $COMPILER"
if ((CROSS)); then
  # The `targets` file, else every triple.
  if [[ -f $SRC_DIR/targets ]]; then
    read_words "$SRC_DIR/targets" allowed
    where="see $TEST/targets"
  else
    read -r -a allowed <<<"$CROSS_TRIPLES"
    where="not a known target"
  fi
  ok=0
  for a in "${allowed[@]}"; do
    [[ $a == "$TARGET" || $a == "$TARGET:$MODE" ]] && ok=1
  done
  if ((!ok)); then
    [[ " ${allowed[*]} " == *" $TARGET:"* ]] && skip "test runs for $TARGET only in some modes ($where)"
    skip "test does not run for target $TARGET ($where)"
  fi
elif [[ -f $SRC_DIR/compilers ]]; then
  read_words "$SRC_DIR/compilers" allowed
  [[ " ${allowed[*]} " == *" $COMPILER "* ]] || skip "test does not run with $COMPILER (see $TEST/compilers)"
fi
if [[ -f $SRC_DIR/modes ]]; then
  read_words "$SRC_DIR/modes" allowed
  [[ " ${allowed[*]} " == *" $MODE "* ]] || skip "test does not run in mode $MODE (see $TEST/modes)"
fi
if ((CROSS)); then
  command -v clang >/dev/null || skip "clang is not installed (the $COMPILER wrapper runs it)"
  SYSROOTS=${XLD_SYSROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots}
  [[ -d $SYSROOTS/$TARGET ]] ||
    skip "no sysroot for $TARGET at $SYSROOTS/$TARGET; build the sysroots with: bash $REPO_DIR/sysroots/build-all.sh"
  if ((${#RUN_WITH[@]})); then
    command -v "${RUN_WITH[0]}" >/dev/null || skip "${RUN_WITH[0]} is not installed (Debian package qemu-user)"
  fi
fi

# A dynamic cross link needs the target's shared libraries and dynamic
# loader in the sysroot (clang links -lc, -lm, -lgcc_s, and -lstdc++ for
# C++ on glibc; libc++ on musl is a static archive either way). Each missing
# file is named with what would provide it.
if ((CROSS && DYNAMIC)); then
  SYSROOT=$SYSROOTS/$TARGET
  case $ARCH in x86_64) debarch=amd64 ;; aarch64) debarch=arm64 ;; *) debarch=$ARCH ;; esac
  missing=()
  need() {  # $1 = what provides it, rest = paths in the sysroot (any one will do)
    local why=$1 p
    shift
    for p in "$@"; do [[ -e $SYSROOT/$p ]] && return 0; done
    missing+=("$1 ($why)")
  }
  # clang links -lgcc_s. Debian's libgcc_s.so (libgcc-12-dev) is a linker
  # script naming libgcc_s.so.1, which must then be there too; a script
  # that names other libraries instead (-lgcc_eh) needs nothing more.
  need_libgcc_s() {  # $1 = what would provide libgcc_s.so.1
    local scripts=("$SYSROOT"/usr/lib/gcc/*/*/libgcc_s.so) magic= text
    if [[ ! -e ${scripts[0]} ]]; then
      missing+=("usr/lib/gcc/<triple>/<version>/libgcc_s.so (clang links -lgcc_s: Debian package libgcc-12-dev:$debarch)")
      return
    fi
    read -r -n 4 magic <"${scripts[0]}" || true
    [[ $magic == $'\x7fELF' ]] && return 0  # a shared library itself
    # The script's text without its /* comments */.
    text=$(tr '\n' ' ' <"${scripts[0]}" | sed 's:/\*\([^*]\|\*[^/]\)*\*/::g')
    [[ $text == *libgcc_s.so.1* ]] || return 0
    need "clang links -lgcc_s, and the sysroot's ${scripts[0]#"$SYSROOT"/} names libgcc_s.so.1: $1" \
      "lib/$ma/libgcc_s.so.1" "usr/lib/$ma/libgcc_s.so.1" lib/libgcc_s.so.1 usr/lib/libgcc_s.so.1 \
      "$(dirname "${scripts[0]#"$SYSROOT"/}")/libgcc_s.so.1"
  }
  if [[ $LIBC == glibc ]]; then
    ma=$ARCH-linux-gnu
    case $ARCH in
      x86_64) LOADER=/lib64/ld-linux-x86-64.so.2 ;;
      aarch64) LOADER=/lib/ld-linux-aarch64.so.1 ;;
    esac
    need "the dynamic loader, Debian package libc6:$debarch" "${LOADER#/}"
    need "Debian package libc6:$debarch" "lib/$ma/libc.so.6"
    need "Debian package libc6:$debarch" "lib/$ma/libm.so.6"
    need "the -lc linker script, Debian package libc6-dev:$debarch" "usr/lib/$ma/libc.so"
    need_libgcc_s "Debian package libgcc-s1:$debarch"
    [[ $CC_LANG == c++ ]] &&
      need "what libstdc++.so (libstdc++-12-dev) links to: Debian package libstdc++6:$debarch" "usr/lib/$ma/libstdc++.so.6"
    fix="For dynamic links sysroots/make-sysroot.sh would have to unpack those Debian packages as well for glibc targets"
  else
    ma=$ARCH-linux-musl
    LOADER=/lib/ld-musl-$ARCH.so.1
    need "musl's shared libc, which -lc must find beside libc.a: Debian package musl:$debarch has it as lib/$ARCH-linux-musl/libc.so" \
      usr/lib/libc.so
    need "the dynamic loader, a link to that libc.so: Debian package musl:$debarch" "${LOADER#/}"
    need_libgcc_s "Debian's libgcc-s1 is built for glibc, so a musl build of it, or a libgcc_s.so script naming -lgcc_eh instead"
    if [[ $ARCH == aarch64 && $CC_LANG == c++ ]]; then
      # Debian's libgcc.a is built for glibc: its lse-init.o, which libc++'s
      # atomics pull in, calls __getauxval, which musl's libc.so does not
      # export (musl's libc.a has it, hidden: static links work).
      syms=$({ "${NM:-nm}" -D "$SYSROOT/usr/lib/libc.so"; "${NM:-nm}" "$SYSROOT/usr/lib/libxld_musl_compat.a"; } 2>/dev/null)
      [[ $syms =~ (^|$'\n')[0-9a-f]*\ [TW]\ __getauxval($'\n'|$) ]] ||
        missing+=("__getauxval (for C++: libgcc.a's lse-init.o, built for glibc, calls it and musl's libc.so does not export it; sysroots/musl-compat would need a __getauxval that calls getauxval, in libxld_musl_compat.a)")
    fi
    fix="For dynamic links sysroots/ (make-sysroot.sh, musl-compat/) would have to provide them for musl targets"
  fi
  if ((${#missing[@]})); then
    msg=$(printf '%s; ' "${missing[@]}")
    skip "the sysroot $SYSROOT lacks what a dynamic link needs: ${msg%; }. $fix (then: bash $REPO_DIR/sysroots/build-all.sh)"
  fi
  if ((${#RUN_WITH[@]})); then
    # qemu-user opens the interpreter and the libraries inside the sysroot.
    RUN_WITH+=(-L "$SYSROOT")
  elif [[ ! -e $LOADER ]]; then
    skip "the host has no $LOADER to run a dynamically linked $TARGET program"
  fi
fi
command -v "${CC_CMD[0]}" >/dev/null || skip "${CC_CMD[0]} is not installed"
if ((!CROSS)) && [[ -f $SRC_DIR/requires ]]; then
  read_words "$SRC_DIR/requires" reqs
  for r in "${reqs[@]}"; do
    [[ -e $r ]] || skip "required file $r is missing"
  done
fi
[[ -f $SRC_DIR/expected.txt || -f $SRC_DIR/expected.$LIBC.txt || -f $SRC_DIR/compare-bfd ]] ||
  { echo "run.sh: $TEST has neither expected.txt nor compare-bfd" >&2; exit 2; }

# ---------------------------------------------------------------- work dir
if ((CROSS)); then WORK=$WORK_ROOT/$TEST/$TARGET.$MODE; else WORK=$WORK_ROOT/$TEST/$COMPILER.$MODE; fi
[[ $LINKER != xld ]] && WORK=$WORK.${LINKER//\//_}
rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
OBJ_DIR=$WORK/obj
GEN_DIR=$WORK/gen
LINK_ARGS_FILE=$WORK/link-args
mkdir -p "$OBJ_DIR" "$GEN_DIR"
: >"$LINK_ARGS_FILE"
LOG=$WORK/log
: >"$LOG"

# ---------------------------------------------------------------- linkers
# The path of linker $1 (xld, bfd, gold, lld, mold or a path) for a cross
# link to $TARGET; prints a note on fd 3 when it falls back to another one.
cross_linker_path() {
  local name=$1 c
  case $name in
    xld)
      c=${XLD:-$BIN_DIR/xld}
      [[ -x $c ]] || return 1
      [[ $c == /* ]] || c=$PWD/$c  # the link runs in the work dir
      echo "$c"; return 0 ;;
    /*) [[ -x $name ]] && echo "$name"; return ;;
    bfd | gold)
      # A program GNU ld cannot link for this target (see the file) is
      # validated with lld instead.
      if [[ -f $SRC_DIR/bfd-fallback-lld ]]; then
        read_words "$SRC_DIR/bfd-fallback-lld" no_bfd
        if [[ " ${no_bfd[*]} " == *" $TARGET "* ]] && c=$(command -v ld.lld); then
          echo "note: GNU ld cannot link $TEST for $TARGET (see $TEST/bfd-fallback-lld); using $c" >&3
          echo "$c"; return 0
        fi
      fi
      # GNU ld (or gold) for the target; the host's for the host's CPU.
      for c in "$ARCH-linux-gnu-ld.$name" "$ARCH-linux-gnu-ld"; do
        [[ $name == gold && $c == *-ld ]] && continue
        c=$(command -v "$c") && { echo "$c"; return 0; }
      done
      if [[ $ARCH == "$HOST_CPU" ]]; then c=$(command -v "ld.$name") && { echo "$c"; return 0; }; fi
      # No GNU linker for the target: lld links every target.
      c=$(command -v ld.lld) || return 1
      echo "note: no GNU ld for $ARCH is installed (Debian package binutils-$ARCH-linux-gnu); using $c" >&3
      echo "$c"; return 0 ;;
    lld) command -v ld.lld ;;
    mold) command -v mold ;;
    *) return 1 ;;
  esac
}

# Makes $2 a directory holding `ld` and `ld.xld` that exec linker $1.
make_linker_dir() {
  local name=$1 dir=$2 real
  case $name in
    /*) real=$name ;;
    bfd | gold | lld | mold) real=$(command -v "ld.$name") || return 1 ;;
    *) return 1 ;;
  esac
  [[ -x $real ]] || return 1
  mkdir -p "$dir"
  for n in ld ld.xld; do
    printf '#!/bin/sh\nexec %q "$@"\n' "$real" >"$dir/$n"
    chmod +x "$dir/$n"
  done
}

# Sets LINK_SEL (driver flags) and LINK_ENV (env assignments) for linker $1,
# using $2 as scratch directory for wrapper scripts.
select_linker() {
  local name=$1 dir=$2 gnu_dir path_dir real
  if ((CROSS)); then
    # The sysroot wrapper passes --ld-path="$XLD" to clang.
    if ! real=$(cross_linker_path "$name" 3>>"$LOG"); then
      [[ $name == xld ]] && fail "xld is not built: ${XLD:-$BIN_DIR/xld} is missing (build first, or set XLD_TEST_LINKER=bfd)"
      skip "linker '$name' for $ARCH is not available"
    fi
    [[ $name == bfd && $real == */ld.lld ]] && LABEL=${LABEL/"(linker: bfd)"/"(linker: bfd, here lld)"}
    LINK_SEL=()
    LINK_ENV=("XLD=$real")
    return 0
  fi
  if [[ $name == xld ]]; then
    [[ -e $BIN_DIR/libexec/xld/ld && -e $BIN_DIR/ld.xld ]] ||
      fail "xld is not built: $BIN_DIR/libexec/xld/ld or $BIN_DIR/ld.xld is missing (build first, or set XLD_TEST_LINKER=bfd)"
    gnu_dir=$BIN_DIR/libexec/xld
    path_dir=$BIN_DIR
  else
    make_linker_dir "$name" "$dir" || skip "linker '$name' is not available"
    gnu_dir=$dir
    path_dir=$dir
  fi
  LINK_ENV=()
  if ((CLANG_LIKE)); then
    LINK_SEL=(-fuse-ld=xld)
    LINK_ENV+=("PATH=$path_dir:$PATH")
  else
    LINK_SEL=(-B "$gnu_dir")
  fi
  if [[ -n $MUSL_REALGCC ]]; then
    LINK_ENV+=("REALGCC=$MUSL_REALGCC")
  fi
}

# musl-gcc's spec file does not know -static-pie: it links Scrt1.o and asks
# for a dynamic PIE. musl-gcc lets REALGCC name the real compiler; ours adds
# one more spec file after musl's that links rcrt1.o and passes
# `-static -pie --no-dynamic-linker -z text`, as a musl-targeted gcc does.
# musl-gcc's spec links -pie and -no-pie dynamic executables as they are
# (-dynamic-linker /lib/ld-musl-x86_64.so.1, -lc finds musl's libc.so), but
# always with Scrt1.o and crtbeginS.o; for no-pie the same extra spec file
# links crt1.o, crtbegin.o and crtend.o instead, as a musl-targeted gcc does.
MUSL_REALGCC=
if [[ $COMPILER == musl-gcc ]]; then
  musl_specs=$(sed -n 's/.*-specs "\([^"]*\)".*/\1/p' "$(command -v musl-gcc)")
  [[ -f $musl_specs ]] || musl_specs=/usr/lib/x86_64-linux-musl/musl-gcc.specs
  [[ -f $musl_specs ]] || skip "cannot find musl-gcc.specs"
  musl_lib=$(dirname "$musl_specs")
  if ((DYNAMIC)); then
    # musl-dev has only the static libc.a; the shared one is in package musl.
    [[ -e $musl_lib/libc.so ]] || skip "musl has no shared $musl_lib/libc.so (Debian package musl)"
    [[ -e /lib/ld-musl-x86_64.so.1 ]] || skip "musl's dynamic loader /lib/ld-musl-x86_64.so.1 is missing (Debian package musl)"
  fi
fi
if [[ $COMPILER == musl-gcc && ($MODE == static-pie || $MODE == no-pie) ]]; then
  realgcc=$(sed -n 's/.*REALGCC:-\([^}]*\)}.*/\1/p' "$(command -v musl-gcc)")
  [[ -n $realgcc ]] || realgcc=gcc
  [[ $MODE != static-pie || -f $musl_lib/rcrt1.o ]] || skip "musl has no rcrt1.o (no static-pie support)"
  cat >"$WORK/musl-$MODE.specs" <<EOF
*startfile:
%{static-pie:$musl_lib/rcrt1.o;no-pie:$musl_lib/crt1.o;!shared:$musl_lib/Scrt1.o} $musl_lib/crti.o %{no-pie:crtbegin.o%s;:crtbeginS.o%s}

*endfile:
%{no-pie:crtend.o%s;:crtendS.o%s} $musl_lib/crtn.o

*link:
-nostdlib %{shared:-shared} %{static|static-pie:-static} %{static-pie:-pie --no-dynamic-linker -z text;:-dynamic-linker /lib/ld-musl-x86_64.so.1} %{rdynamic:-export-dynamic}

EOF
  MUSL_REALGCC=$WORK/musl-realgcc
  printf '#!/bin/sh\nexec %q "$@" -specs=%q\n' "$realgcc" "$WORK/musl-$MODE.specs" >"$MUSL_REALGCC"
  chmod +x "$MUSL_REALGCC"
fi

select_linker "$LINKER" "$WORK/linker"

# ---------------------------------------------------------------- flags
read_words "$SRC_DIR/flags" T_FLAGS
read_words "$SRC_DIR/cflags" T_CFLAGS
read_words "$SRC_DIR/ldflags" T_LDFLAGS
read_words "$SRC_DIR/libs" T_LIBS
if [[ $TEST_LANG == c++ ]]; then LANG_FLAGS=(-std=gnu++17); else LANG_FLAGS=(-std=gnu17); fi
C_FLAGS=("${MODE_CFLAGS[@]}" -O2 "${LANG_FLAGS[@]}" -I"$SRC_DIR" "${T_FLAGS[@]}" "${T_CFLAGS[@]}" "${EXTRA[@]}")

export SRC_DIR WORK OBJ_DIR GEN_DIR LINK_ARGS_FILE COMPILER MODE LIBC LINKER TARGET ARCH
export LINK_SH=$WORK/link.sh
export CC="$(q "${CC_CMD[@]}")" CFLAGS="$(q "${C_FLAGS[@]}")" RUNNER="$(q "${RUN_WITH[@]}")"
export AR=${AR:-ar} NM=${NM:-nm} READELF=${READELF:-readelf}

run_logged() {  # $1 = step name, rest = command; output to $WORK/<step>.log
  local step=$1
  shift
  echo "+ $(q "$@")" >>"$LOG"
  "$@" >"$WORK/$step.log" 2>&1
  local rc=$?
  [[ $step == build-hook && $rc == 77 ]] && skip "$step: $(tail -n 1 "$WORK/$step.log")"
  if ((rc != 0)); then
    echo "FAIL: $LABEL: $step failed"
    echo "---- command:"
    echo "$(q "$@")"
    show_file "$step output" "$WORK/$step.log"
    echo "(work dir: $WORK)"
    exit 1
  fi
}

# ---------------------------------------------------------------- build hook
if [[ -f $SRC_DIR/build.sh ]]; then
  run_logged build-hook bash -c 'cd "$WORK" && exec bash "$SRC_DIR/build.sh"'
fi

# ---------------------------------------------------------------- compile
# Link order: the test's sources, then generated ones, each by C-locale name.
csort() { (($#)) && printf '%s\0' "$@" | LC_ALL=C sort -z; }
shopt -s nullglob
GEN_SRCS=("$GEN_DIR"/*.c "$GEN_DIR"/*.cc)
shopt -u nullglob
mapfile -d '' -t SRCS < <(csort "${C_SRCS[@]}" "${CXX_SRCS[@]}")
mapfile -d '' -t GEN_SORTED < <(csort "${GEN_SRCS[@]}")
SRCS+=("${GEN_SORTED[@]}")
((${#SRCS[@]})) || fail "no sources"

OBJS=()
COMPILE_LIST=$WORK/compile.list
: >"$COMPILE_LIST"
for s in "${SRCS[@]}"; do
  base=$(basename "$s")
  [[ $s == "$GEN_DIR"/* ]] && base=gen-$base
  o=$OBJ_DIR/${base%.*}.o
  OBJS+=("$o")
  per=()
  [[ -f $s.flags ]] && read_words "$s.flags" per
  if [[ -f $s.$ARCH.flags ]]; then
    read_words "$s.$ARCH.flags" per_arch
    per+=("${per_arch[@]}")
  fi
  cmd=("${CC_CMD[@]}" "${C_FLAGS[@]}" "${per[@]}" -c "$s" -o "$o")
  echo "+ $(q "${cmd[@]}")" >>"$LOG"
  # One NUL-terminated shell command per source, run by xargs in parallel.
  printf '%s 2>%q || { echo "compile failed: %q"; cat %q; exit 1; }\0' \
    "$(q "${cmd[@]}")" "$o.err" "$s" "$o.err" >>"$COMPILE_LIST"
done
JOBS=${XLD_E2E_JOBS:-$(nproc 2>/dev/null || echo 2)}
if ! xargs -0 -P "$JOBS" -n 1 bash -c <"$COMPILE_LIST" >"$WORK/compile.log" 2>&1; then
  echo "FAIL: $LABEL: compile failed"
  show_file "compile output" "$WORK/compile.log"
  echo "(work dir: $WORK)"
  exit 1
fi

# ---------------------------------------------------------------- link
mapfile -t LINK_ARGS < <(grep -v '^[[:space:]]*$' "$LINK_ARGS_FILE" || true)
OUT=$WORK/prog
link_cmd() {  # $1 = output
  LINK_CMD=("${CC_CMD[@]}" "${LINK_SEL[@]}" "${MODE_LDFLAGS[@]}" "${T_FLAGS[@]}" "${T_LDFLAGS[@]}" "${EXTRA[@]}"
    "${OBJS[@]}" "${LINK_ARGS[@]}" "${T_LIBS[@]}" -o "$1")
}
link_cmd OUTPUT
{
  echo '#!/bin/sh'
  echo "# Re-runs the link of $TEST.$COMPILER.$MODE with linker $LINKER. Usage: link.sh <output>"
  echo "cd $(q "$WORK") || exit 1"
  echo "exec env $(q "${LINK_ENV[@]}")$(q "${LINK_CMD[@]:0:${#LINK_CMD[@]}-1}")\"\$1\""
} >"$LINK_SH"
chmod +x "$LINK_SH"
run_logged link "$LINK_SH" "$OUT"
[[ -x $OUT ]] || fail "link succeeded but $OUT is missing or not executable"

# A static executable is ET_EXEC, a static PIE is ET_DYN; neither asks for a
# program interpreter (musl-gcc passes -dynamic-linker even with -static;
# GNU ld ignores it there, and so must every linker under test). A dynamic
# PIE (pie) is ET_DYN, a dynamic non-PIE (no-pie) ET_EXEC; both have a
# PT_INTERP naming the loader the driver asked for, and a PT_DYNAMIC.
if ((DYNAMIC)); then
  if ((CROSS)); then WANT_INTERP=$LOADER
  elif [[ $LIBC == musl ]]; then WANT_INTERP=/lib/ld-musl-x86_64.so.1
  else
    case $HOST_CPU in
      x86_64) WANT_INTERP=/lib64/ld-linux-x86-64.so.2 ;;
      aarch64) WANT_INTERP=/lib/ld-linux-aarch64.so.1 ;;
      *) WANT_INTERP= ;;
    esac
  fi
fi
if command -v "$READELF" >/dev/null; then
  # (output captured first: under pipefail, `readelf | grep -q` can fail by SIGPIPE)
  elf_header=$("$READELF" -hW "$OUT" 2>&1)
  elf_type=$(sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p' <<<"$elf_header")
  [[ $elf_type == "$WANT_TYPE" ]] || fail "output is ELF type '$elf_type', expected $WANT_TYPE for $MODE"
  "$READELF" -lW "$OUT" >"$WORK/phdrs" 2>&1
  interp_phdrs=$(grep -c '^ *INTERP ' "$WORK/phdrs")
  interp=$(sed -n 's/^ *\[Requesting program interpreter: \(.*\)\]$/\1/p' "$WORK/phdrs")
  if ((!DYNAMIC)); then
    ((interp_phdrs == 0)) ||
      fail "output has a PT_INTERP segment (program interpreter${interp:+ $interp}): a $MODE executable must not"
  else
    ((interp_phdrs == 1)) ||
      fail "output has $interp_phdrs PT_INTERP segments (program interpreter): a $MODE executable needs one"
    [[ -z $WANT_INTERP || $interp == "$WANT_INTERP" ]] ||
      fail "the program interpreter is '$interp', expected $WANT_INTERP"
    dynamic_phdrs=$(grep -c '^ *DYNAMIC ' "$WORK/phdrs")
    ((dynamic_phdrs == 1)) ||
      fail "output has $dynamic_phdrs PT_DYNAMIC segments: a $MODE executable needs one"
  fi
  # What the kernel and the loader rely on: every PT_LOAD and PT_TLS has a
  # file offset congruent with its address modulo the page size, and no
  # more bytes in the file than in memory.
  grep -q 'Error' "$WORK/phdrs" && fail "readelf reports: $(grep Error "$WORK/phdrs" | head -1)"
  # (flags such as "R E" become one word)
  grep -E '^ *(LOAD|TLS) ' "$WORK/phdrs" | sed 's/ R E / RE /; s/ RW E / RWE /' >"$WORK/segments"
  page=1
  while read -r type off vaddr _ filesz memsz _ align; do
    [[ $type == LOAD ]] && ((align > page)) && page=$((align))
  done <"$WORK/segments"
  while read -r type off vaddr _ filesz memsz _; do
    ((off % page == vaddr % page)) || fail "$type segment at offset $off has address $vaddr: not congruent modulo the page size $page"
    ((filesz <= memsz)) || fail "$type segment at address $vaddr has file size $filesz > memory size $memsz"
  done <"$WORK/segments"
fi

# ---------------------------------------------------------------- run
# Programs for another CPU run under qemu-user ($RUNNER), given more time.
RUN_TIMEOUT=60
((${#RUN_WITH[@]})) && RUN_TIMEOUT=120
run_prog() {  # $1 = program, $2 = prefix for .stdout/.stderr/.rc files
  local rc
  (cd "$WORK" && exec timeout -k 5 "$RUN_TIMEOUT" "${RUN_WITH[@]}" "$1" </dev/null >"$2.stdout" 2>"$2.stderr")
  rc=$?
  echo "$rc" >"$2.rc"
  echo "+ run $(q "${RUN_WITH[@]}")$1 -> exit $rc" >>"$LOG"
}
run_prog "$OUT" "$WORK/prog"
ACTUAL_RC=$(cat "$WORK/prog.rc")

EXPECTED_RC=0
[[ -f $SRC_DIR/expected_rc ]] && EXPECTED_RC=$(tr -d '[:space:]' <"$SRC_DIR/expected_rc")
EXPECTED=
if [[ -f $SRC_DIR/expected.$LIBC.txt ]]; then EXPECTED=$SRC_DIR/expected.$LIBC.txt
elif [[ -f $SRC_DIR/expected.txt ]]; then EXPECTED=$SRC_DIR/expected.txt
fi

status=0
if [[ -n $EXPECTED ]] && ! diff -u --label "expected ($EXPECTED)" --label "actual stdout" \
  "$EXPECTED" "$WORK/prog.stdout" >"$WORK/diff" 2>&1; then
  status=1
fi
if [[ $ACTUAL_RC != "$EXPECTED_RC" ]]; then
  status=1
fi
if ((status)); then
  echo "FAIL: $LABEL: program output or exit status differs"
  echo "exit status: expected $EXPECTED_RC, got $ACTUAL_RC$( ((ACTUAL_RC == 124)) && echo ' (timed out)')$( ((ACTUAL_RC > 128 && ACTUAL_RC != 124)) && echo " (killed by signal $((ACTUAL_RC - 128)))")"
  show_file "diff" "$WORK/diff"
  show_file "program stderr" "$WORK/prog.stderr"
  show_file "link output" "$WORK/link.log"
  echo "---- link command: $LINK_SH $OUT"
  echo "(work dir: $WORK)"
  exit 1
fi

# ---------------------------------------------------------------- compare with GNU ld
if [[ -f $SRC_DIR/compare-bfd ]]; then
  SAVE_SEL=("${LINK_SEL[@]}") SAVE_ENV=("${LINK_ENV[@]}")
  select_linker bfd "$WORK/ref-linker"
  link_cmd "$WORK/prog.bfd"
  run_logged link-bfd env "${LINK_ENV[@]}" "${LINK_CMD[@]}"
  LINK_SEL=("${SAVE_SEL[@]}") LINK_ENV=("${SAVE_ENV[@]}")
  run_prog "$WORK/prog.bfd" "$WORK/prog.bfd"
  if ! diff -u --label "stdout of the program linked by GNU ld" --label "stdout of the program linked by $LINKER" \
    "$WORK/prog.bfd.stdout" "$WORK/prog.stdout" >"$WORK/diff.bfd" 2>&1 ||
    [[ $(cat "$WORK/prog.bfd.rc") != "$ACTUAL_RC" ]]; then
    echo "FAIL: $LABEL: output differs from the same program linked with GNU ld"
    echo "exit status: GNU ld build $(cat "$WORK/prog.bfd.rc"), $LINKER build $ACTUAL_RC"
    show_file "diff" "$WORK/diff.bfd"
    show_file "program stderr" "$WORK/prog.stderr"
    echo "(work dir: $WORK)"
    exit 1
  fi
fi

# ---------------------------------------------------------------- check hook
if [[ -f $SRC_DIR/check.sh ]]; then
  if ! (cd "$WORK" && bash "$SRC_DIR/check.sh" "$OUT") >"$WORK/check.log" 2>&1; then
    echo "FAIL: $LABEL: check.sh failed"
    show_file "check.sh output" "$WORK/check.log"
    echo "(work dir: $WORK)"
    exit 1
  fi
fi

echo "PASS: $LABEL"
exit 0
