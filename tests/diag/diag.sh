#!/usr/bin/env bash
# Diagnostics of failed links, checked line by line: C++ names demangled
# (or not, --no-demangle), source lines from DWARF .debug_line (gcc and
# clang, DWARF 4 and 5, compressed) and, for variables, .debug_info,
# lld's layout of undefined and duplicate symbol errors, corrupt line
# tables and debug info, --error-limit, colours,
# --unresolved-symbols & co., relocation overflow, and aarch64 objects.
# Every failed link must exit 1 and leave no output file.
#   diag.sh XLD CASE      (exit 0 pass, 1 fail, 77 skip)
set -euo pipefail
# grep -q ending a pipe exits at the first match; the writer may then die of
# SIGPIPE, which pipefail reports as a failure. has reads everything.
has() { grep "$@" > /dev/null; }
xld=$(readlink -f "$1")
case_name=$2
bin=$(dirname "$xld")
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL ($case_name): $*" >&2; exit 1; }
skip() { echo "SKIP ($case_name): $*"; exit 77; }

GCC=(gcc -B "$bin/libexec/xld")
GXX=(g++ -B "$bin/libexec/xld")
CLANG=(env "PATH=$bin:$PATH" clang -fuse-ld=xld)
CLANGXX=(env "PATH=$bin:$PATH" clang++ -fuse-ld=xld)
command -v clang >/dev/null || skip "clang is not installed"

# Runs a link that must fail: exit status 1, no OUT left; stderr in err
# without the compiler drivers' own closing lines.
must_fail() {  # OUT cmd...
  local out=$1 rc=0
  shift
  rm -f "$out"
  "$@" 2> err.raw || rc=$?
  [ $rc = 1 ] || { cat err.raw >&2; fail "exit status $rc, want 1: $*"; }
  [ -e "$out" ] && fail "output $out left behind by: $*"
  grep -v -e '^collect2: error:' -e '^clang: error: linker command failed' err.raw > err || true
}
# The messages with section offsets written as 0xN (they differ between
# compilers), compared with the expected text.
want_err() {  # expected text
  local got
  got=$(sed -E 's/\+0x[0-9a-f]+\)/+0xN)/g' err)
  [ "$got" = "$1" ] || fail "messages differ.
--- got:
$got
--- want:
$1"
}
want_line() {  # exact line
  grep -qxF -- "$1" err || fail "no line '$1' in:
$(cat err)"
}

case $case_name in
  demangle)
    cat > m.cc <<'C'
int foo(int);
namespace ns { struct S { void method(double); }; }
int main() {
  ns::S s;
  s.method(1.0);
  return foo(3);
}
namespace ns { int caller() { return foo(4); } }
C
    for cxx in g++ clang++; do
      $cxx -g -c m.cc -o m.o
      if [ $cxx = g++ ]; then link=("${GXX[@]}"); else link=("${CLANGXX[@]}"); fi
      must_fail m.out "${link[@]}" -static m.o -o m.out
      want_err "xld: error: undefined symbol: ns::S::method(double)
>>> referenced by m.cc:5
>>>               m.o:(.text+0xN) in function main
xld: error: undefined symbol: foo(int)
>>> referenced by m.cc:6
>>>               m.o:(.text+0xN) in function main
>>> referenced by m.cc:8
>>>               m.o:(.text+0xN) in function ns::caller()"
      must_fail m.out "${link[@]}" -static m.o -o m.out -Wl,--no-demangle
      want_err "xld: error: undefined symbol: _ZN2ns1S6methodEd
>>> referenced by m.cc:5
>>>               m.o:(.text+0xN) in function main
xld: error: undefined symbol: _Z3fooi
>>> referenced by m.cc:6
>>>               m.o:(.text+0xN) in function main
>>> referenced by m.cc:8
>>>               m.o:(.text+0xN) in function _ZN2ns6callerEv"
      # --demangle after --no-demangle: the last one wins.
      must_fail m.out "${link[@]}" -static m.o -o m.out -Wl,--no-demangle,--demangle
      want_line "xld: error: undefined symbol: foo(int)"
    done
    # Duplicates and hints name the C++ function too.
    printf 'int twice(int x) { return 2 * x; }\n' > d1.cc
    printf 'int twice(int x) { return x + x; }\nint main() { return twice(1); }\n' > d2.cc
    g++ -c d1.cc d2.cc
    must_fail d.out "$xld" -e main d1.o d2.o -o d.out
    want_err "xld: error: duplicate symbol: twice(int)
>>> defined at d1.o:(.text+0xN)
>>> defined at d2.o:(.text+0xN)"
    printf 'int cxxfn(int);\nint main(void) { return cxxfn(1); }\n' > h1.c
    printf 'int cxxfn(int x) { return x; }\n' > h2.cc
    gcc -c h1.c && g++ -c h2.cc
    must_fail h.out "$xld" -e main h1.o h2.o -o h.out
    want_line '>>> did you mean: cxxfn(int), the C++ function of that name? (declare it extern "C" where it is defined)'
    ;;

  undefined-source)
    # References in a .c file and in an inline function of a header, for
    # every compiler, DWARF version and section layout.
    mkdir src
    cat > src/u.h <<'C'
int header_missing(void);
static inline int from_header(void) {
  return header_missing();
}
C
    cat > src/u.c <<'C'
#include "u.h"
int missing_fn(int);
extern int missing_var;

int main(void) {
  int r = missing_fn(1);
  return r + missing_var + from_header();
}
C
    n=0
    for cc in gcc clang; do
      for g in -g -gdwarf-4 -gdwarf-5 "-gdwarf-4 -gz" "-gdwarf-5 -gz"; do
        [ $cc = clang ] && [[ $g == *-gz* ]] && continue  # (clang 14 compresses the same way)
        for opt in "-O0" "-O2 -ffunction-sections"; do
          # shellcheck disable=SC2086
          $cc $g $opt -fno-pie -c src/u.c -o u.o
          if [ $cc = gcc ]; then link=("${GCC[@]}"); else link=("${CLANG[@]}"); fi
          for how in driver direct; do
            if [ $how = driver ]; then must_fail u.out "${link[@]}" -static u.o -o u.out
            else must_fail u.out "$xld" -static -e main u.o -o u.out
            fi
            what="$cc $g $opt ($how)"
            for pair in "missing_fn u.c:6 (src/u.c:6)" "missing_var u.c:7 (src/u.c:7)" "header_missing u.h:3 (src/u.h:3)"; do
              sym=${pair%% *}
              src=${pair#* }
              block=$(grep -A2 -x "xld: error: undefined symbol: $sym" err) || fail "$what: no error for $sym: $(cat err)"
              [ "$(sed -n 2p <<< "$block")" = ">>> referenced by $src" ] || fail "$what: $sym: $block"
              sed -n 3p <<< "$block" | grep -Eqx '>>>               u\.o:\(\.text(\.[a-z_.]+)?\+0x[0-9a-f]+\) in function (main|from_header)' ||
                fail "$what: $sym: $block"
            done
            n=$((n + 1))
          done
        done
      done
    done
    # No debug information: lld's one-line form.
    gcc -O0 -fno-pie -c src/u.c -o u.o
    must_fail u.out "$xld" -static -e main u.o -o u.out
    grep -A1 -x "xld: error: undefined symbol: missing_fn" err | sed -n 2p |
      grep -Eqx '>>> referenced by u\.o:\(\.text\+0x[0-9a-f]+\) in function main' || fail "without -g: $(cat err)"
    echo "checked $n links"
    ;;

  duplicate-source)
    printf '/* a */\nint shared_value = 1;\nint twice(int x) { return 2 * x; }\n' > da.c
    printf '#include <stddef.h>\n\n\n\nint twice(int x) { return x + x; }\nvoid _start(void) { for (;;) {} }\n' > db.c
    for cc in gcc clang; do
      for g in -g -gdwarf-4 -gdwarf-5; do
        $cc $g -O1 -c da.c db.c
        must_fail d.out "$xld" -static da.o db.o -o d.out
        want_err "xld: error: duplicate symbol: twice
>>> defined at da.c:3
>>>            da.o:(.text+0xN)
>>> defined at db.c:5
>>>            db.o:(.text+0xN)"
        # The second definition in an archive member.
        rm -f libdb.a && ar rcs libdb.a db.o
        must_fail d.out "$xld" -static da.o --whole-archive libdb.a -o d.out
        want_line ">>>            libdb.a(db.o):(.text+0x0)"
      done
    done
    gcc -O1 -c da.c db.c
    must_fail d.out "$xld" -static da.o db.o -o d.out
    want_err "xld: error: duplicate symbol: twice
>>> defined at da.o:(.text+0xN)
>>> defined at db.o:(.text+0xN)"
    ;;

  corrupt-debug-line)
    # A damaged .debug_line (or its relocations) loses the location and
    # nothing else: the error is still reported, and xld does not crash.
    printf 'int missing_fn(int);\n\nint main(void) {\n  return missing_fn(1);\n}\n' > c.c
    gcc -g -O0 -c c.c -o good.o
    cat > damage.py <<'PY'
import random, struct, sys
sys.path.insert(0, sys.argv[5])
import elf_sections
src, dst, how, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
d = bytearray(open(src, 'rb').read())
secs = elf_sections.sections(d)
off, size = secs['.debug_line'][4], secs['.debug_line'][5]
rnd = random.Random(seed)
if how == 'ones':
    d[off:off + size] = b'\xff' * size
elif how == 'huge-unit':
    struct.pack_into('<I', d, off, 0xfffffff0)
elif how == 'huge-header':
    struct.pack_into('<I', d, off + 6, 0xfffffff0)
elif how == 'version':
    struct.pack_into('<H', d, off + 4, 99)
elif how == 'random':
    for _ in range(rnd.randint(1, 12)):
        d[off + rnd.randrange(size)] = rnd.randrange(256)
elif how == 'program':
    hl, = struct.unpack_from('<I', d, off + 6)
    start = off + 10 + hl
    for i in range(start, off + size):
        d[i] = rnd.randrange(256)
elif how == 'rela':
    r = secs['.rela.debug_line']
    for i in range(r[5] // 24):
        struct.pack_into('<q', d, r[4] + i * 24 + 16, -0x7fffffff)      # a wild addend
open(dst, 'wb').write(d)
PY
    runs=0
    for how in ones huge-unit huge-header version rela random program; do
      seeds=1
      [ $how = random ] || [ $how = program ] && seeds=40
      for seed in $(seq 1 $seeds); do
        python3 damage.py good.o c.o $how $seed "$repo/tests/diag"
        rc=0
        "$xld" -static -e main c.o -o c.out 2> err || rc=$?
        [ $rc = 1 ] || fail "$how/$seed: exit status $rc: $(head -5 err)"
        [ -e c.out ] && fail "$how/$seed: output left behind"
        grep -qx "xld: error: undefined symbol: missing_fn" err || fail "$how/$seed: $(cat err)"
        grep -q "^>>> referenced by" err || fail "$how/$seed: no reference line: $(cat err)"
        runs=$((runs + 1))
      done
    done
    # The undamaged object still gives its line.
    must_fail c.out "$xld" -static -e main good.o -o c.out
    want_line ">>> referenced by c.c:4"
    echo "$runs damaged objects"
    ;;

  error-limit)
    {
      for i in $(seq 0 24); do echo "int u$i(void);"; done
      echo "int main(void) { return 0"
      for i in $(seq 0 24); do echo " + u$i()"; done
      echo "; }"
    } > e.c
    gcc -O0 -c e.c
    count() { grep -c '^xld: error: undefined symbol: ' err || true; }
    stop="xld: error: too many errors emitted, stopping now (use --error-limit=0 to see all errors)"
    must_fail e.out "$xld" -static -e main e.o -o e.out
    [ "$(count)" = 20 ] || fail "default limit: $(count) errors"
    [ "$(tail -1 err)" = "$stop" ] || fail "last line: $(tail -1 err)"
    must_fail e.out "$xld" -static -e main e.o -o e.out --error-limit=0
    [ "$(count)" = 25 ] || fail "--error-limit=0: $(count) errors"
    grep -q "too many errors" err && fail "--error-limit=0 stopped"
    must_fail e.out "$xld" -static -e main e.o -o e.out --error-limit 5
    [ "$(count)" = 5 ] || fail "--error-limit 5: $(count) errors"
    [ "$(tail -1 err)" = "$stop" ] || fail "last line: $(tail -1 err)"
    must_fail e.out "$xld" -static -e main e.o -o e.out --error-limit=25
    [ "$(count)" = 25 ] || fail "--error-limit=25: $(count) errors"
    grep -q "too many errors" err && fail "--error-limit=25 stopped with 25 errors"
    true
    ;;

  color)
    printf 'int missing_fn(int);\nint main(void) { return missing_fn(1); }\n' > k.c
    gcc -O0 -c k.c
    red=$'\e[1mxld: \e[0m\e[0;1;31merror: \e[0mundefined symbol: missing_fn'
    magenta=$'\e[1mxld: \e[0m\e[0;1;35mwarning: \e[0mundefined symbol: missing_fn'
    plain='xld: error: undefined symbol: missing_fn'
    for opt in --color-diagnostics=always --color-diagnostics --no-color-diagnostics=x; do
      [ $opt = --no-color-diagnostics=x ] && continue
      must_fail k.out "$xld" -static -e main k.o -o k.out $opt
      [ "$(head -1 err)" = "$red" ] || fail "$opt: $(head -1 err | od -c | head -3)"
      [ "$(sed -n 2p err | cut -c1-18)" = ">>> referenced by " ] || fail "$opt: notes are not plain"
    done
    for opt in --color-diagnostics=never --no-color-diagnostics --color-diagnostics=auto ""; do
      must_fail k.out "$xld" -static -e main k.o -o k.out $opt
      [ "$(head -1 err)" = "$plain" ] || fail "'$opt' piped: $(head -1 err | od -c | head -3)"
    done
    "$xld" -static -e main k.o -o k.out --warn-unresolved-symbols --color-diagnostics=always 2> err
    [ "$(head -1 err)" = "$magenta" ] || fail "warning: $(head -1 err | od -c | head -3)"
    rm -f k.out
    must_fail k.out "$xld" -static -e main k.o -o k.out --color-diagnostics=sometimes
    want_line "xld: error: unknown --color-diagnostics value 'sometimes' (always, never or auto)"
    # auto on a terminal: colours; never on a terminal: none.
    cat > ptyrun.py <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b''
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace').replace('\r\n', '\n'))
sys.exit(os.waitstatus_to_exitcode(status))
PY
    rc=0
    python3 ptyrun.py "$xld" -static -e main k.o -o k.out > tty.txt || rc=$?
    [ $rc = 1 ] || fail "on a terminal: exit status $rc"
    [ "$(head -1 tty.txt)" = "$red" ] || fail "auto on a terminal: $(head -1 tty.txt | od -c | head -3)"
    rc=0
    python3 ptyrun.py "$xld" -static -e main k.o -o k.out --color-diagnostics=never > tty.txt || rc=$?
    [ "$(head -1 tty.txt)" = "$plain" ] || fail "never on a terminal: $(head -1 tty.txt | od -c | head -3)"
    [ -e k.out ] && fail "output left behind"
    true
    ;;

  unresolved-symbols)
    # GNU ld's semantics for a static executable, compared with GNU ld
    # itself: ignored references are 0 and the program links and runs.
    cat > r.c <<'C'
#include <stdio.h>
int missing_fn(int);
extern int missing_var;
int main(int argc, char **argv) {
  (void)argv;
  if (argc > 5) return missing_fn(argc);
  printf("%lx\n", (unsigned long)&missing_var);
  return 7;
}
C
    gcc -O0 -fno-pie -c r.c
    try() {  # expected: ok | error | warning; options...
      local want=$1 rc linker
      shift
      for linker in xld bfd; do
        if [ $linker = xld ]; then B=("${GCC[@]}"); else B=(gcc -fuse-ld=bfd); fi
        rm -f r.$linker
        rc=0
        "${B[@]}" -no-pie -static r.o -o r.$linker "$@" 2> err || rc=$?
        if [ $want = error ]; then
          [ $rc = 1 ] || fail "$linker $*: exit status $rc"
          [ -e r.$linker ] && fail "$linker $*: output left behind"
          [ $linker = xld ] && want_line "xld: error: undefined symbol: missing_fn"
        else
          [ $rc = 0 ] || fail "$linker $*: exit status $rc: $(cat err)"
          out=$(./r.$linker) && fail "$linker $*: exit status 0"
          [ "$out" = 0 ] || fail "$linker $*: &missing_var is not 0 ($out)"
          if [ $linker = xld ]; then
            if [ $want = warning ]; then
              want_line "xld: warning: undefined symbol: missing_fn"
              grep -q "^>>> referenced by r.o:(.text+0x" err || fail "$*: $(cat err)"
            else
              [ -s err ] && fail "$*: messages: $(cat err)"
            fi
          fi
        fi
      done
      true
    }
    try error
    try error -Wl,--unresolved-symbols=report-all
    try error -Wl,--unresolved-symbols=ignore-in-shared-libs
    try ok -Wl,--unresolved-symbols=ignore-all
    try ok -Wl,--unresolved-symbols=ignore-in-object-files
    try ok -Wl,--unresolved-symbols,ignore-all
    try warning -Wl,--warn-unresolved-symbols
    try error -Wl,--warn-unresolved-symbols,--error-unresolved-symbols
    try warning -Wl,--noinhibit-exec
    try error -Wl,--unresolved-symbols=ignore-all,--unresolved-symbols=report-all
    # static-pie too.
    gcc -O0 -fpie -c r.c
    "${GCC[@]}" -static-pie r.o -o r.pie -Wl,--unresolved-symbols=ignore-all
    rc=0
    ./r.pie > /dev/null || rc=$?
    [ $rc = 7 ] || fail "static-pie: exit status $rc"
    must_fail r.out "$xld" -static r.o --unresolved-symbols=some -o r.out
    want_line "xld: error: unknown --unresolved-symbols value 'some' (ignore-all, report-all, ignore-in-object-files or ignore-in-shared-libs)"
    ;;

  reloc-overflow)
    # n::tail lies 3 GiB after .text: main's PC-relative load cannot reach it.
    printf 'char big[3UL << 30];\n' > big.c
    printf 'namespace n { int tail; }\n' > tail.cc
    printf 'namespace n { extern int tail; }\nint main() {\n  return n::tail;\n}\n' > m.cc
    gcc -O1 -fno-pie -c big.c && g++ -O1 -fno-pie -c tail.cc && g++ -g -O1 -fno-pie -c m.cc
    # (directly, without libc, whose own .bss references would overflow too)
    must_fail m.out "$xld" -static -e main m.o big.o tail.o -o m.out
    head -1 err | grep -Eqx "xld: error: m\.o:\(\.text(\.startup)?\+0x[0-9a-f]+\) in function main: relocation R_X86_64_PC32 out of range: [0-9]+ is not in \[-2147483648, 2147483647\]; references 'n::tail'" ||
      fail "first line: $(cat err)"
    [ "$(sed -n 2p err)" = ">>> referenced by m.cc:3" ] || fail "second line: $(cat err)"
    [ "$(sed -n 3p err)" = ">>> defined in tail.o" ] || fail "third line: $(cat err)"
    must_fail m.out "$xld" -static -e main m.o big.o tail.o -o m.out --no-demangle
    head -1 err | has "references '_ZN1n4tailE'$" || fail "--no-demangle: $(head -1 err)"
    # With debug information in the defining object, its source line too.
    printf 'namespace n {\n\nint tail;\n}\n' > tail.cc
    g++ -g -O1 -fno-pie -c tail.cc
    must_fail m.out "$xld" -static -e main m.o big.o tail.o -o m.out
    [ "$(sed -n 3,4p err)" = ">>> defined at tail.cc:3
>>>            tail.o:(.bss+0x0)" ] || fail "defined at: $(cat err)"
    ;;

  aarch64)
    # The same for aarch64 objects: their .debug_line relocations are
    # R_AARCH64_ABS64 (addresses) and R_AARCH64_ABS32 (string offsets).
    cc=$repo/sysroots/bin/aarch64-linux-gnu-cc
    sysroots=${XLD_SYSROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots}
    [ -d "$sysroots/aarch64-linux-gnu" ] || skip "no aarch64-linux-gnu sysroot (bash sysroots/build-all.sh)"
    export XLD=$xld
    printf 'int missing_fn(int);\n\nint main(void) {\n  return missing_fn(1);\n}\n' > a.c
    printf 'int twice(int x) { return 2 * x; }\n' > t1.c
    printf '\nint twice(int x) { return x + x; }\n' > t2.c
    for g in -gdwarf-4 -gdwarf-5; do
      for opt in -O0 "-O2 -ffunction-sections"; do
        # shellcheck disable=SC2086
        "$cc" $g $opt -c a.c t1.c t2.c 2>/dev/null
        must_fail a.out "$cc" -static a.o -o a.out
        want_err "xld: error: undefined symbol: missing_fn
>>> referenced by a.c:4
>>>               a.o:($( [ "$opt" = -O0 ] && echo .text || echo .text.main)+0xN) in function main"
        must_fail t.out "$xld" -m aarch64linux -static -e twice t1.o t2.o -o t.out
        sec=.text
        [ "$opt" = -O0 ] || sec=.text.twice
        want_err "xld: error: duplicate symbol: twice
>>> defined at t1.c:1
>>>            t1.o:($sec+0xN)
>>> defined at t2.c:2
>>>            t2.o:($sec+0xN)"
      done
    done
    # ADRP reaches +-4 GiB: a symbol 5 GiB away overflows.
    printf 'char big[5UL << 30];\n' > big.c
    printf 'int tail;\n' > tail.c
    printf 'extern int tail;\nint main(void) {\n  return tail;\n}\n' > m.c
    "$cc" -O1 -fno-pie -c big.c tail.c 2>/dev/null && "$cc" -g -O1 -fno-pie -c m.c 2>/dev/null
    must_fail m.out "$xld" -m aarch64linux -static -e main m.o big.o tail.o -o m.out
    head -1 err | grep -Eqx "xld: error: m\.o:\(\.text\+0x[0-9a-f]+\) in function main: relocation R_AARCH64_ADR_PREL_PG_HI21 out of range: [0-9]+ is not in \[-4294967296, 4294967295\]; references 'tail'" ||
      fail "first line: $(cat err)"
    [ "$(sed -n 2p err)" = ">>> referenced by m.c:3" ] || fail "second line: $(cat err)"
    [ "$(sed -n 3p err)" = ">>> defined in tail.o" ] || fail "third line: $(cat err)"
    ;;

  duplicate-data)
    # Duplicate variables: no line table row covers data, so the place is
    # the variable's DW_AT_decl_file/DW_AT_decl_line from .debug_info
    # (DW_OP_addr, clang's DW_OP_addrx through .debug_addr, TLS offsets,
    # C++ definitions that refer to their declaration by
    # DW_AT_specification), for every compiler, DWARF version,
    # compression and optimisation level.
    mkdir src
    printf '/* shared */\nint in_header = 3;\n' > src/g.h
    cat > src/da.c <<'C'
#include "g.h"
int counter = 1;
const int table[3] = {1, 2, 3};
__thread int per_thread = 1;
int main(void) { return counter + table[0] + in_header + per_thread; }
C
    cat > src/db.c <<'C'
#include "g.h"


int counter = 2;

const int table[3] = {4, 5, 6};
__thread int per_thread = 2;
C
    printf 'struct Config {\n  static int level;\n};\n' > src/cfg.h
    cat > src/ca.cc <<'C'
#include "cfg.h"
int Config::level = 1;
namespace app {
int verbose = 3;
}
int main() { return Config::level + app::verbose; }
C
    cat > src/cb.cc <<'C'
#include "cfg.h"

namespace app { int verbose = 1; }
int Config::level = 2;
C
    # SYMBOL's error and its four ">>>" lines, offsets as 0xN.
    want_dup() {  # what symbol place1 obj1 place2 obj2
      local got want
      got=$(grep -A4 -xF "xld: error: duplicate symbol: $2" err | sed -E 's/\+0x[0-9a-f]+\)/+0xN)/g') ||
        fail "$1: no error for $2: $(cat err)"
      want="xld: error: duplicate symbol: $2
>>> defined at $3
>>>            $4
>>> defined at $5
>>>            $6"
      [ "$got" = "$want" ] || fail "$1: $2:
--- got:
$got
--- want:
$want"
    }
    n=0
    for cc in gcc clang; do
      if [ $cc = gcc ]; then cxx=g++; else cxx=clang++; fi
      for g in -g -gdwarf-4 -gdwarf-5 "-gdwarf-4 -gz" "-gdwarf-5 -gz"; do
        for opt in -O0 -O2; do
          what="$cc $g $opt"
          # shellcheck disable=SC2086
          $cc $g $opt -c src/da.c -o da.o && $cc $g $opt -c src/db.c -o db.o
          must_fail d.out "$xld" -static -e main da.o db.o -o d.out
          want_dup "$what" counter "da.c:2 (src/da.c:2)" "da.o:(.data+0xN)" "db.c:4 (src/db.c:4)" "db.o:(.data+0xN)"
          want_dup "$what" table "da.c:3 (src/da.c:3)" "da.o:(.rodata+0xN)" "db.c:6 (src/db.c:6)" "db.o:(.rodata+0xN)"
          want_dup "$what" per_thread "da.c:4 (src/da.c:4)" "da.o:(.tdata+0xN)" "db.c:7 (src/db.c:7)" "db.o:(.tdata+0xN)"
          want_dup "$what" in_header "g.h:2 (src/g.h:2)" "da.o:(.data+0xN)" "g.h:2 (src/g.h:2)" "db.o:(.data+0xN)"
          [ "$(grep -c '^xld: error:' err)" = 4 ] || fail "$what: $(cat err)"
          # shellcheck disable=SC2086
          $cxx $g $opt -c src/ca.cc -o ca.o && $cxx $g $opt -c src/cb.cc -o cb.o
          must_fail c.out "$xld" -static -e main ca.o cb.o -o c.out
          want_dup "$what" app::verbose "ca.cc:4 (src/ca.cc:4)" "ca.o:(.data+0xN)" "cb.cc:3 (src/cb.cc:3)" "cb.o:(.data+0xN)"
          # gcc gives the out-of-class definition its own line; clang
          # leaves it to the declaration in the class.
          if [ $cc = gcc ]; then
            want_dup "$what" Config::level "ca.cc:2 (src/ca.cc:2)" "ca.o:(.data+0xN)" "cb.cc:4 (src/cb.cc:4)" "cb.o:(.data+0xN)"
          else
            want_dup "$what" Config::level "cfg.h:2 (src/cfg.h:2)" "ca.o:(.data+0xN)" "cfg.h:2 (src/cfg.h:2)" "cb.o:(.data+0xN)"
          fi
          n=$((n + 1))
        done
      done
    done
    # Through the compiler driver, with the second definition in an
    # archive member; and with --no-demangle.
    gcc -g -c src/da.c -o da.o && gcc -g -c src/db.c -o db.o
    rm -f libdb.a && ar rcs libdb.a db.o
    must_fail d.out "${GCC[@]}" -static da.o -Wl,--whole-archive libdb.a -Wl,--no-whole-archive -o d.out
    want_dup "archive" counter "da.c:2 (src/da.c:2)" "da.o:(.data+0xN)" "db.c:4 (src/db.c:4)" "libdb.a(db.o):(.data+0xN)"
    clang++ -gdwarf-5 -O2 -c src/ca.cc -o ca.o && clang++ -gdwarf-5 -O2 -c src/cb.cc -o cb.o
    must_fail c.out "$xld" -static -e main ca.o cb.o -o c.out --no-demangle
    want_dup "--no-demangle" _ZN3app7verboseE "ca.cc:4 (src/ca.cc:4)" "ca.o:(.data+0xN)" "cb.cc:3 (src/cb.cc:3)" "cb.o:(.data+0xN)"
    # No debug information: the object place alone, as before.
    gcc -O2 -c src/da.c -o da.o && gcc -O2 -c src/db.c -o db.o
    must_fail d.out "$xld" -static -e main da.o db.o -o d.out
    block=$(grep -A2 -xF "xld: error: duplicate symbol: counter" err | sed -E 's/\+0x[0-9a-f]+\)/+0xN)/g')
    [ "$block" = "xld: error: duplicate symbol: counter
>>> defined at da.o:(.data+0xN)
>>> defined at db.o:(.data+0xN)" ] || fail "without -g: $block"
    echo "checked $n pairs of links"
    ;;

  corrupt-debug-info)
    # A damaged .debug_info, .debug_abbrev, .debug_str_offsets or
    # .debug_addr (or their relocations) loses the location and nothing
    # else: the duplicate is still reported, and xld does not crash.
    printf 'int counter = 1;\nint main(void) { return counter; }\n' > c1.c
    printf '\nint counter = 2;\n' > c2.c
    cat > damage.py <<'PY'
import random, struct, sys
sys.path.insert(0, sys.argv[5])
import elf_sections
# damage.py GOOD SECTION HOW COUNT HERE: writes bad1.o ... badCOUNT.o
src, sec, how, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
good = open(src, 'rb').read()
d = bytearray(good)
secs = elf_sections.sections(d)
if sec not in secs:
    sys.exit(3)
off, size = secs[sec][4], secs[sec][5]
for seed in range(1, count + 1):
    d = bytearray(good)
    rnd = random.Random(seed)
    if how == 'random':
        for _ in range(rnd.randint(1, 12)):
            d[off + rnd.randrange(size)] = rnd.randrange(256)
    elif how == 'tail':      # garbage from a random point on
        for i in range(off + rnd.randrange(size), off + size):
            d[i] = rnd.randrange(256)
    elif how == 'ones':
        d[off:off + size] = b'\xff' * size
    elif how == 'rela':      # wild addends
        for i in range(size // 24):
            struct.pack_into('<q', d, off + i * 24 + 16, rnd.choice([-0x7fffffff, 0x7fffffff, -1, 1 << 40]))
    open('bad%d.o' % seed, 'wb').write(d)
PY
    runs=0
    for flags in "gcc -gdwarf-4" "gcc -gdwarf-5" "clang -gdwarf-5 -O2"; do
      # shellcheck disable=SC2086
      $flags -c c1.c -o good.o && $flags -c c2.c -o c2.o
      for sec in .debug_info .debug_abbrev .debug_str_offsets .debug_addr .rela.debug_info .rela.debug_addr; do
        for how in ones random tail rela; do
          [[ $how == rela ]] && [[ $sec != .rela.* ]] && continue
          [[ $how != rela ]] && [[ $sec == .rela.* ]] && continue
          seeds=1
          [ $how = ones ] || seeds=25
          rc=0
          python3 damage.py good.o $sec $how $seeds "$repo/tests/diag" || rc=$?
          [ $rc = 3 ] && continue  # (no such section with these flags)
          [ $rc = 0 ] || fail "damage.py: $rc"
          for seed in $(seq 1 $seeds); do
            rc=0
            "$xld" -static -e main bad$seed.o c2.o -o c.out 2> err || rc=$?
            [ $rc = 1 ] || fail "$flags $sec $how/$seed: exit status $rc: $(head -5 err)"
            [ -e c.out ] && fail "$flags $sec $how/$seed: output left behind"
            has -x "xld: error: duplicate symbol: counter" err || fail "$flags $sec $how/$seed: $(cat err)"
            [ "$(grep -c '^>>> defined at' err)" = 2 ] || fail "$flags $sec $how/$seed: $(cat err)"
            runs=$((runs + 1))
          done
        done
      done
    done
    # The undamaged objects still give their lines.
    gcc -g -c c1.c -o c1.o
    must_fail c.out "$xld" -static -e main c1.o c2.o -o c.out
    want_line ">>> defined at c1.c:1"
    want_line ">>> defined at c2.c:2"
    echo "$runs damaged objects"
    ;;

  duplicate-data-aarch64)
    # The same for aarch64 objects: DW_OP_addr and .debug_addr entries are
    # R_AARCH64_ABS64, string offsets R_AARCH64_ABS32.
    cc=$repo/sysroots/bin/aarch64-linux-gnu-cc
    cxx=$repo/sysroots/bin/aarch64-linux-gnu-c++
    sysroots=${XLD_SYSROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots}
    [ -d "$sysroots/aarch64-linux-gnu" ] || skip "no aarch64-linux-gnu sysroot (bash sysroots/build-all.sh)"
    export XLD=$xld
    printf 'int counter = 1;\nconst int table[2] = {1, 2};\nint main(void) { return counter + table[1]; }\n' > a.c
    printf '\n\nint counter = 2;\nconst int table[2] = {3, 4};\n' > b.c
    printf 'namespace app {\nint verbose = 0;\n}\nint main() { return app::verbose; }\n' > a.cc
    printf '\nnamespace app { int verbose = 1; }\n' > b.cc
    pair() {  # what symbol place1 place2: the two "defined at" lines
      grep -A4 -xF "xld: error: duplicate symbol: $2" err > block || fail "$1: no error for $2: $(cat err)"
      [ "$(sed -n 2p block)" = ">>> defined at $3" ] && [ "$(sed -n 4p block)" = ">>> defined at $4" ] ||
        fail "$1: $(cat block)"
    }
    for g in -gdwarf-4 -gdwarf-5 "-gdwarf-5 -gz"; do
      for opt in -O0 -O2; do
        # shellcheck disable=SC2086
        "$cc" $g $opt -c a.c b.c 2>/dev/null
        must_fail t.out "$xld" -m aarch64linux -static -e main a.o b.o -o t.out
        got=$(grep -A4 -xF "xld: error: duplicate symbol: counter" err | sed -E 's/\+0x[0-9a-f]+\)/+0xN)/g')
        [ "$got" = "xld: error: duplicate symbol: counter
>>> defined at a.c:1
>>>            a.o:(.data+0xN)
>>> defined at b.c:3
>>>            b.o:(.data+0xN)" ] || fail "$g $opt: $(cat err)"
        pair "$g $opt" table a.c:2 b.c:4
        # shellcheck disable=SC2086
        "$cxx" $g $opt -c a.cc b.cc 2>/dev/null
        must_fail t.out "$xld" -m aarch64linux -static -e main a.o b.o -o t.out
        pair "$g $opt" app::verbose a.cc:2 b.cc:2
      done
    done
    ;;

  *) fail "unknown case $case_name" ;;
esac
echo "PASS ($case_name)"
