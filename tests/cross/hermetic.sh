#!/usr/bin/env bash
# Hermeticity of the cross compilers in sysroots/bin: what the wrapper
# <triple>-cc (and <triple>-c++) runs for a static link names no file of the
# host, only
#   - the target's sysroot ($XLD_SYSROOTS/<triple>, default ~/.cache/xld/sysroots),
#   - clang's own resource dir (clang -print-resource-dir) and the clang
#     binary that runs the compile jobs,
#   - the xld binary (XLD, the linker the wrapper passes as --ld-path),
#   - /tmp (the source, clang's temporary object, the working directory).
#
#   hermetic.sh [--xld PATH] TRIPLE            checks <triple>-cc and <triple>-c++
#   hermetic.sh [--xld PATH] --self-test TRIPLE
#       checks that the checker itself reports host paths: the same command
#       with -I/usr/include -L/usr/lib/x86_64-linux-gnu added must be
#       rejected, naming both.
#   hermetic.sh --links TRIPLE
#       checks that no symbolic link in the sysroot resolves outside it
#       (Debian's absolute links such as usr/lib/<triple>/libm.so ->
#       /lib/<triple>/libm.so.6 would reach the host's files).
#
# It runs `<triple>-cc -### -static hello.c` (clang prints its jobs without
# running them) with LIBRARY_PATH, CPATH, C_INCLUDE_PATH, CPLUS_INCLUDE_PATH
# and OBJC_INCLUDE_PATH unset and TMPDIR=/tmp, and checks every absolute
# path in every job (after resolving symlinks and `..`, so a sysroot symlink
# into the host counts as the host). It also checks that the link job runs
# xld with --sysroot, the sysroot's crt1.o and -lc, and the compile job gets
# -isysroot, so that the test fails if the jobs are not what it expects.
#
# Exit status: 0 pass, 1 fail, 77 skip (no clang, or the sysroot is missing).

set -u
set -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$HERE/../.." && pwd)
XLD=${XLD:-$REPO_DIR/build/xld}
SELF_TEST=0
LINKS=0
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --xld) XLD=$2; shift 2 ;;
    --self-test) SELF_TEST=1; shift ;;
    --links) LINKS=1; shift ;;
    *) echo "hermetic.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $# == 1 ]] || { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
TRIPLE=$1
case $TRIPLE in
  x86_64-linux-gnu | aarch64-linux-gnu | x86_64-linux-musl | aarch64-linux-musl) ;;
  *) echo "hermetic.sh: unknown triple '$TRIPLE'" >&2; exit 2 ;;
esac
LABEL="cross.hermetic.$TRIPLE$( ((SELF_TEST)) && echo .self-test)"
((LINKS)) && LABEL="cross.sysroot-links.$TRIPLE"
skip() { echo "SKIP: $LABEL: $*"; exit 77; }
fail() { echo "FAIL: $LABEL: $*"; exit 1; }

command -v clang >/dev/null || skip "clang is not installed"
SYSROOTS=${XLD_SYSROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots}
SYSROOT=$SYSROOTS/$TRIPLE
[[ -d $SYSROOT ]] || skip "no sysroot for $TRIPLE at $SYSROOT; build the sysroots with: bash $REPO_DIR/sysroots/build-all.sh"

if ((LINKS)); then
  root=$(realpath -m "$SYSROOT")
  n=0 bad=0
  while IFS= read -r -d '' l; do
    n=$((n + 1))
    r=$(realpath -m "$l")
    [[ $r == "$root" || $r == "$root"/* ]] && continue
    bad=$((bad + 1))
    echo "  ${l#"$SYSROOT"/} -> $(readlink "$l") (outside the sysroot)"
  done < <(find "$SYSROOT" -type l -print0 | sort -z)
  echo "$n symbolic links, $bad leading outside the sysroot"
  ((bad == 0)) || fail "$bad symbolic links lead outside the sysroot"
  echo "PASS: $LABEL"
  exit 0
fi
[[ -x $XLD ]] || fail "xld is not built: $XLD is missing"
XLD=$(realpath "$XLD")

WORK=$(mktemp -d /tmp/xld-hermetic.XXXXXX) || fail "cannot create a work directory in /tmp"
trap 'rm -rf "$WORK"' EXIT
printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' >"$WORK/hello.c"
printf '#include <iostream>\nint main() { std::cout << "hi\\n"; }\n' >"$WORK/hello.cc"

# Allowed places, resolved the same way as the paths checked.
ALLOW_DIRS=("$(realpath -m "$SYSROOT")" "$(realpath -m "$(clang -print-resource-dir)")" "$(realpath -m /tmp)")
ALLOW_FILES=("$XLD")
CLANG_BIN=$(realpath -m "$(command -v clang)")

allowed() {  # $1 = resolved path
  local d
  for d in "${ALLOW_DIRS[@]}"; do
    [[ $1 == "$d" || $1 == "$d"/* ]] && return 0
  done
  for d in "${ALLOW_FILES[@]}"; do
    [[ $1 == "$d" ]] && return 0
  done
  return 1
}

# The absolute paths in one argument: the argument itself, after '=' or ','
# (--sysroot=/x, -fdebug-compilation-dir=/x, -Wl,-L,/x) or after a one-letter
# option (-L/x, -I/x, -B/x).
# Appends them to the arrays ps (paths) and firsts ($2, the argument index).
paths_in() {
  local arg=$1 piece
  local IFS='=,'
  set -f
  for piece in $arg; do
    if [[ $piece == /* ]]; then ps+=("$piece"); firsts+=("$2")
    elif [[ $piece =~ ^-[A-Za-z](/.*)$ ]]; then ps+=("${BASH_REMATCH[1]}"); firsts+=("$2")
    fi
  done
  set +f
}

STATUS=0
problem() { echo "  problem: $*"; STATUS=1; }

# Checks the jobs of one driver command; $1 = title, rest = the command.
check() {
  local title=$1
  shift
  echo "== $title"
  echo "   \$ $*"
  local out
  out=$(cd "$WORK" && env -u LIBRARY_PATH -u CPATH -u C_INCLUDE_PATH -u CPLUS_INCLUDE_PATH -u OBJC_INCLUDE_PATH \
    TMPDIR=/tmp XLD="$XLD" "$@" 2>&1)
  local rc=$?
  if ((rc != 0)); then
    echo "$out" | sed 's/^/   | /'
    problem "the driver failed (exit status $rc)"
    return
  fi
  # Jobs are the lines that start with a space and a quoted program.
  local jobs=0 saw_link=0 saw_cc1=0 line arg p r k
  local -a args
  local -A reported=()
  while IFS= read -r line; do
    [[ $line == ' "'* ]] || continue
    jobs=$((jobs + 1))
    eval "args=($line)" || { problem "cannot parse the job: $line"; continue; }
    echo "   job $jobs: ${args[0]} (${#args[@]} arguments)"
    # Every absolute path of the job, then all of them resolved at once.
    local -a ps=() firsts=() rs=()
    for ((k = 0; k < ${#args[@]}; k++)); do
      paths_in "${args[k]}" "$k"
    done
    ((${#ps[@]})) && mapfile -t rs < <(realpath -m -- "${ps[@]}")
    ((${#rs[@]} == ${#ps[@]})) || { problem "realpath failed on the paths of job $jobs"; continue; }
    for ((k = 0; k < ${#ps[@]}; k++)); do
      p=${ps[k]} r=${rs[k]}
      # The clang that runs the compile job is clang itself.
      ((firsts[k] == 0)) && [[ $r == "$CLANG_BIN" ]] && continue
      allowed "$r" && continue
      [[ -n ${reported[$p]:-} ]] && continue
      reported[$p]=1
      if [[ $r == "$p" ]]; then problem "job $jobs names a host path: $p"
      else problem "job $jobs names a host path: $p (that is $r)"
      fi
    done
    if [[ $(realpath -m "${args[0]}") == "$XLD" ]]; then
      saw_link=1
      [[ " ${args[*]} " == *" --sysroot=$SYSROOT "* ]] || problem "the link job has no --sysroot=$SYSROOT"
      [[ " ${args[*]} " == *" -lc "* ]] || problem "the link job does not link -lc"
      local crt=0
      for arg in "${args[@]}"; do
        [[ $arg == "$SYSROOT"/*/crt1.o || $arg == "$SYSROOT"/*/rcrt1.o ]] && crt=1
      done
      ((crt)) || problem "the link job has no crt1.o (rcrt1.o) from the sysroot"
    elif [[ " ${args[*]} " == *" -cc1 "* ]]; then
      saw_cc1=1
      [[ " ${args[*]} " == *" -isysroot $SYSROOT "* ]] || problem "the compile job has no -isysroot $SYSROOT"
    fi
  done <<<"$out"
  ((saw_cc1)) || problem "no compile job (clang -cc1) among the $jobs jobs"
  ((saw_link)) || problem "no link job running $XLD among the $jobs jobs"
}

CC=$REPO_DIR/sysroots/bin/$TRIPLE-cc
CXX=$REPO_DIR/sysroots/bin/$TRIPLE-c++
if ((SELF_TEST)); then
  check "$TRIPLE-cc with host paths added (must be reported)" \
    "$CC" -### -static -I/usr/include hello.c -L/usr/lib/x86_64-linux-gnu
  if ((STATUS == 0)); then
    fail "the checker did not report -I/usr/include and -L/usr/lib/x86_64-linux-gnu"
  fi
  STATUS=0
  # ... and exactly those (nothing else of this command is a host path).
  out=$(check "again" "$CC" -### -static -I/usr/include hello.c -L/usr/lib/x86_64-linux-gnu)
  echo "$out" | grep 'problem:' | sed 's/^/   /'
  n=$(echo "$out" | grep -c 'problem: .*names a host path')
  echo "$out" | grep -q 'host path: /usr/include' || fail "-I/usr/include was not reported"
  echo "$out" | grep -q 'host path: /usr/lib/x86_64-linux-gnu' || fail "-L/usr/lib/x86_64-linux-gnu was not reported"
  ((n == 2)) || fail "expected exactly 2 host paths reported, got $n"
  echo "PASS: $LABEL"
  exit 0
fi

check "$TRIPLE-cc -### -static hello.c" "$CC" -### -static hello.c
check "$TRIPLE-cc -### -static-pie hello.c" "$CC" -### -static-pie hello.c
check "$TRIPLE-c++ -### -static hello.cc" "$CXX" -### -static hello.cc

if ((STATUS)); then
  echo "FAIL: $LABEL"
  exit 1
fi
echo "PASS: $LABEL"
exit 0
