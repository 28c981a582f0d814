#!/usr/bin/env bash
# Error-path tests for xld: bad links must fail cleanly.
#
#   errors.sh [--bin-dir DIR] [--xld PATH] [--work DIR] [--target TRIPLE] <case>
#   errors.sh [--target TRIPLE] --list
#
# Cases:
#   undefined            xld -o out start.o            (start.o calls foo)
#   undefined-via-gcc    gcc -B <bin>/libexec/xld -static main.o -o out
#   undefined-via-clang  clang -fuse-ld=xld -static main.o -o out
#   duplicate            xld -o out start.o bar1.o bar2.o  (bar defined twice)
#   missing-lib          xld -o out start.o -L. -lnosuchlib
#   unknown-option       xld --no-such-option -o out start.o
#   wrong-arch           xld -o out start.o a64.o       (a64.o is aarch64)
#   truncated            xld -o out start.o trunc.o     (first half of a .o)
#
# --target TRIPLE (aarch64-linux-gnu, ...) builds the inputs with the sysroot
# wrapper sysroots/bin/<triple>-cc instead of gcc; then wrong-arch adds an
# x86-64 object (x64.o) to an aarch64 link, and the case
#   undefined-via-cc     <triple>-cc -static main.o -o out   (XLD=<xld>)
# replaces undefined-via-gcc and undefined-via-clang. Skipped (77) when the
# sysroot is missing (bash sysroots/build-all.sh builds it).
#
# For xld each case asserts:
#   - exit status 1 (a crash or any other status fails),
#   - a stderr line starting with `xld: error:` that names the symbol,
#     library, option or file (plus the case's extra lines, e.g.
#     `>>> referenced by ...start.o...` for undefined symbols),
#   - no output file is created, and nothing else is left in the directory,
#   - an existing output file is left untouched (same bytes and mode), and
#     again nothing else is left behind (not for undefined-via-clang: the
#     clang driver deletes its output file itself when the link fails).
#
# XLD_TEST_LINKER=bfd|gold|lld|mold|/path runs the same cases with that
# linker to validate the inputs: then only "fails", "names the culprit"
# and "creates no output" are asserted, since messages differ and GNU ld
# deletes an existing output file when a link fails.
#
# Exit status: 0 pass, 1 fail, 77 skip.

set -u
set -o pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$E2E_DIR/../.." && pwd)
BIN_DIR=${XLD_BIN_DIR:-$REPO_DIR/build}
XLD=${XLD:-}
WORK_ROOT=${XLD_E2E_WORK:-${TMPDIR:-/tmp}/xld-e2e}
CASES="undefined undefined-via-gcc undefined-via-clang duplicate missing-lib unknown-option wrong-arch truncated"
CROSS_CASES="undefined undefined-via-cc duplicate missing-lib unknown-option wrong-arch truncated"
CROSS_TRIPLES="x86_64-linux-gnu aarch64-linux-gnu x86_64-linux-musl aarch64-linux-musl"
TARGET=
LIST=0

while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --bin-dir) BIN_DIR=$2; shift 2 ;;
    --xld) XLD=$2; shift 2 ;;
    --work) WORK_ROOT=$2; shift 2 ;;
    --target) TARGET=$2; shift 2 ;;
    --list) LIST=1; shift ;;
    *) echo "errors.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -n $TARGET ]]; then
  [[ " $CROSS_TRIPLES " == *" $TARGET "* ]] ||
    { echo "errors.sh: unknown target '$TARGET' (targets: $CROSS_TRIPLES)" >&2; exit 2; }
  CASES=$CROSS_CASES
fi
((LIST)) && { echo "$CASES"; exit 0; }
[[ $# == 1 ]] || { sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
CASE=$1
[[ " $CASES " == *" $CASE "* ]] || { echo "errors.sh: unknown case '$CASE'${TARGET:+ for --target} (cases: $CASES)" >&2; exit 2; }
[[ -n $XLD ]] || XLD=$BIN_DIR/xld

LINKER=${XLD_TEST_LINKER:-xld}
LABEL="error.$CASE${TARGET:+.$TARGET} (linker: $LINKER)"
skip() { echo "SKIP: $LABEL: $*"; exit 77; }
fail() { echo "FAIL: $LABEL: $*"; exit 1; }

ARCH=$(uname -m)
if [[ -n $TARGET ]]; then
  ARCH=${TARGET%%-*}
  command -v clang >/dev/null || skip "clang is not installed (the $TARGET-cc wrapper runs it)"
  SYSROOTS=${XLD_SYSROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots}
  [[ -d $SYSROOTS/$TARGET ]] ||
    skip "no sysroot for $TARGET at $SYSROOTS/$TARGET; build the sysroots with: bash $REPO_DIR/sysroots/build-all.sh"
fi

WORK=$WORK_ROOT/errors/$CASE${TARGET:+.$TARGET}
[[ $LINKER != xld ]] && WORK=$WORK.${LINKER//\//_}
rm -rf "$WORK"
mkdir -p "$WORK/in" "$WORK/tools"
WORK=$(cd "$WORK" && pwd)
IN=$WORK/in

# ---------------------------------------------------------------- the linker
STRICT=1
if [[ $LINKER == xld ]]; then
  [[ -x $XLD ]] || fail "xld is not built: $XLD is missing (build first, or set XLD_TEST_LINKER=bfd)"
  LD=$XLD
  GNU_B=$BIN_DIR/libexec/xld
  PATH_DIR=$BIN_DIR
else
  STRICT=0
  case $LINKER in
    /*) LD=$LINKER ;;
    bfd | gold | lld | mold) LD=$(command -v "ld.$LINKER") || skip "ld.$LINKER is not installed" ;;
    *) fail "unknown XLD_TEST_LINKER '$LINKER'" ;;
  esac
  # GNU ld for a cross target is <cpu>-linux-gnu-ld (lld when there is none).
  if [[ -n $TARGET && $ARCH != "$(uname -m)" && ($LINKER == bfd || $LINKER == gold) ]]; then
    LD=$(command -v "$ARCH-linux-gnu-ld.$LINKER") || LD=$(command -v ld.lld) ||
      skip "no linker for $ARCH (install binutils-$ARCH-linux-gnu or lld)"
  fi
  for n in ld ld.xld; do
    printf '#!/bin/sh\nexec %q "$@"\n' "$LD" >"$WORK/tools/$n"
    chmod +x "$WORK/tools/$n"
  done
  GNU_B=$WORK/tools
  PATH_DIR=$WORK/tools
fi

# ---------------------------------------------------------------- inputs
if [[ -n $TARGET ]]; then
  CC=$REPO_DIR/sysroots/bin/$TARGET-cc
else
  CC=${CC:-gcc}
fi
command -v "$CC" >/dev/null || skip "$CC is not installed"
compile() {  # name, source text [, compiler and flags...]
  local name=$1 text=$2
  shift 2
  printf '%s\n' "$text" >"$IN/$name.c"
  local cc=("$@")
  ((${#cc[@]})) || cc=("$CC" -O2 -fno-pie)
  # (the sysroot wrapper warns that --ld-path is unused when compiling)
  "${cc[@]}" -c "$IN/$name.c" -o "$IN/$name.o" >"$WORK/compile-$name.log" 2>&1 ||
    { cat "$WORK/compile-$name.log"; fail "cannot compile $name.c"; }
}

# Every direct link has an entry point, so the only problem is the one tested.
START_OK='void _start(void) { for (;;) {} }'

# The command to run, run in directory $IN with output "out".
KEEP_EXISTING_CHECK=1
case $CASE in
  undefined)
    compile start 'int foo(void);
void _start(void) { foo(); for (;;) {} }'
    CMD=("$LD" -static -o out start.o)
    ;;
  undefined-via-gcc | undefined-via-clang | undefined-via-cc)
    compile main 'int foo(void);
int main(void) { return foo(); }'
    if [[ $CASE == undefined-via-cc ]]; then
      # The sysroot wrapper links with $XLD (clang --ld-path); clang deletes
      # its -o file itself when the link fails.
      CMD=(env "XLD=$LD" "$CC" -static main.o -o out)
      KEEP_EXISTING_CHECK=0
    elif [[ $CASE == undefined-via-gcc ]]; then
      CMD=(gcc -B "$GNU_B" -static main.o -o out)
    else
      command -v clang >/dev/null || skip "clang is not installed"
      CMD=(env "PATH=$PATH_DIR:$PATH" clang -fuse-ld=xld -static main.o -o out)
      # The clang driver itself deletes its -o file when the link fails, so
      # the "existing output untouched" half cannot apply here.
      KEEP_EXISTING_CHECK=0
    fi
    ;;
  duplicate)
    compile start "$START_OK"
    compile bar1 'int bar(void) { return 1; }'
    compile bar2 'int bar(void) { return 2; }'
    CMD=("$LD" -static -o out start.o bar1.o bar2.o)
    ;;
  missing-lib)
    compile start "$START_OK"
    CMD=("$LD" -static -o out start.o -L. -lnosuchlib)
    ;;
  unknown-option)
    compile start "$START_OK"
    CMD=("$LD" --no-such-option -static -o out start.o)
    ;;
  wrong-arch)
    command -v clang >/dev/null || skip "clang is not installed"
    compile start "$START_OK"
    if [[ $ARCH == aarch64 ]]; then FOREIGN=x64 FOREIGN_TARGET=x86_64-linux-gnu
    else FOREIGN=a64 FOREIGN_TARGET=aarch64-linux-gnu
    fi
    compile $FOREIGN 'int twice(int x) { return 2 * x; }' clang --target=$FOREIGN_TARGET -O2
    CMD=("$LD" -static -o out start.o $FOREIGN.o)
    ;;
  truncated)
    compile start "$START_OK"
    compile whole 'int table[64] = {1, 2, 3};
int get(int i) { return table[i]; }'
    size=$(stat -c %s "$IN/whole.o")
    head -c $((size / 2)) "$IN/whole.o" >"$IN/trunc.o"
    rm -f "$IN/whole.o" "$IN/whole.c"
    CMD=("$LD" -static -o out start.o trunc.o)
    ;;
esac

# What the messages must name. xld: a line starting with "xld: error:" that
# contains $NAME, plus every regex in EXTRA somewhere in stderr. Other
# linkers: $NAME somewhere in stderr.
case $CASE in
  undefined | undefined-via-gcc | undefined-via-clang | undefined-via-cc)
    NAME=foo
    XLD_LINE='^xld: error: undefined symbol: foo$'
    obj=start.o
    [[ $CASE != undefined ]] && obj=main.o
    EXTRA=("^>>> referenced by .*$obj")
    ;;
  duplicate)
    NAME=bar
    XLD_LINE='^xld: error: duplicate symbol: bar$'
    EXTRA=('^>>> (defined at |           ).*bar1\.o' '^>>> (defined at |           ).*bar2\.o')
    ;;
  missing-lib) NAME=nosuchlib; XLD_LINE='^xld: error: .*nosuchlib'; EXTRA=() ;;
  unknown-option) NAME=--no-such-option; XLD_LINE='^xld: error: .*--no-such-option'; EXTRA=() ;;
  wrong-arch) NAME=$FOREIGN.o; XLD_LINE="^xld: error: .*$FOREIGN\\.o"; EXTRA=() ;;
  truncated) NAME=trunc.o; XLD_LINE='^xld: error: .*trunc\.o'; EXTRA=() ;;
esac

# ---------------------------------------------------------------- checks
q() { (($#)) && printf '%q ' "$@"; return 0; }
STATUS=0
problem() { echo "  problem: $*"; STATUS=1; }

run_case() {  # $1 = title; runs CMD in $IN, checks rc and messages
  local title=$1 rc
  echo "== $title"
  echo "   \$ $(q "${CMD[@]}")"
  (cd "$IN" && exec timeout -k 5 60 "${CMD[@]}") >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
  rc=$?
  sed 's/^/   | /' "$WORK/stderr" | head -n 30
  echo "   exit status $rc"
  if ((STRICT)); then
    ((rc == 1)) || problem "exit status $rc, expected 1"
    grep -Eq -- "$XLD_LINE" "$WORK/stderr" || problem "no stderr line matching /$XLD_LINE/"
    for re in "${EXTRA[@]}"; do
      grep -Eq -- "$re" "$WORK/stderr" || problem "no stderr line matching /$re/"
    done
  else
    ((rc != 0)) || problem "the link succeeded"
    ((rc < 128)) || problem "exit status $rc: the linker crashed"
    grep -Fq -- "$NAME" "$WORK/stderr" || problem "stderr does not mention '$NAME'"
  fi
}

listing() { (cd "$IN" && ls -A | LC_ALL=C sort); }

# 1. No output exists before: none may exist after, and nothing else either.
rm -f "$IN/out"
before=$(listing)
run_case "fresh directory"
[[ -e $IN/out ]] && problem "an output file was created"
after=$(listing | grep -vx out || true)
[[ $before == "$after" ]] || problem "files left behind: $(comm -13 <(echo "$before") <(echo "$after") | tr '\n' ' ')"

# 2. An existing output must be left exactly as it was (xld only: GNU ld
#    deletes it, by design).
if ((STRICT && KEEP_EXISTING_CHECK)); then
  printf 'previous output, must survive a failed link\n' >"$IN/out"
  chmod 755 "$IN/out"
  cp -p "$IN/out" "$WORK/out.orig"
  before=$(listing)
  run_case "existing output file"
  if [[ ! -e $IN/out ]]; then
    problem "the existing output file was deleted"
  else
    cmp -s "$IN/out" "$WORK/out.orig" || problem "the existing output file was modified"
    [[ $(stat -c %a "$IN/out") == 755 ]] || problem "the existing output file's mode changed"
  fi
  after=$(listing)
  [[ $before == "$after" ]] || problem "files left behind: $(comm -13 <(echo "$before") <(echo "$after") | tr '\n' ' ')"
fi

if ((STATUS)); then
  echo "FAIL: $LABEL (work dir: $WORK)"
  exit 1
fi
echo "PASS: $LABEL"
exit 0
