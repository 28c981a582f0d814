#!/usr/bin/env bash
# Command-line behaviour of xld that users check by hand: the link map,
# refusing to overwrite inputs, output-path errors, --version/--help,
# response files and thread-count determinism. One case per invocation:
#   cli.sh XLD CASE
set -euo pipefail
xld=$1
case_name=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL ($case_name): $*" >&2; exit 1; }

cat > main.c <<'C'
#include <stdio.h>
int counter = 3;
const char *greeting = "hello";
int helper(int x) { return x + counter; }
int main(void) { printf("%s %d\n", greeting, helper(39)); return 0; }
C
cat > lib.c <<'C'
int lib_value(void) { return 7; }
C
gcc -O1 -fno-pie -c main.c -o main.o
gcc -O1 -fno-pie -c lib.c -o lib.o
# gcc's own link line (as collect2 passes it to ld), without the plugin
# arguments and the output name.
gcc -no-pie -static main.o lib.o -o gcc-linked.out -v 2>&1 | grep collect2 | tr ' ' '\n' |
  awk 'skip {skip = 0; next} /^-plugin$|^-o$/ {skip = 1; next} /^-plugin-opt/ || /collect2$/ || /^$/ {next} {print}' > link.rsp || true
# Fall back to a direct link line if the driver's could not be captured.
[ -s link.rsp ] || fail "could not capture gcc's link line"
# gcc's link line for the program OBJ alone (in place of main.o and lib.o).
rsp_for() { sed "s|^\(.*/\)\{0,1\}main\.o\$|$1|; /lib\.o\$/d" link.rsp; }

case $case_name in
  map)
    "$xld" @link.rsp -o prog -Map=prog.map
    [ "$(./prog)" = "hello 42" ] || fail "program output"
    for sym in main helper counter greeting; do
      want=$(nm prog | awk -v s="$sym" '$3 == s {print $1}' | sed 's/^0*//')
      got=$(awk -v s="$sym" '$NF == s {print $1}' prog.map)
      [ -n "$want" ] && [ "$want" = "$got" ] || fail "$sym: nm says $want, map says $got"
    done
    grep -q 'main.o:(.text' prog.map || fail "map does not name main.o's .text"
    addr=$(readelf -SW prog | awk '$2 == ".text" {print $4}' | sed 's/^0*//')
    awk '$NF == ".text" {print $1}' prog.map | grep -qx "$addr" || fail ".text address differs from readelf ($addr)"
    "$xld" @link.rsp -o prog2 -M > stdout.map
    grep -q ' main$' stdout.map || fail "-M printed no map"
    ;;
  output-is-input)
    cp main.o copy.o
    sed 's/main\.o/copy.o/' link.rsp > copy.rsp
    if "$xld" @copy.rsp -o copy.o 2> err; then fail "linked over an input"; fi
    grep -q "xld: error: output file copy.o is also an input" err || fail "message: $(cat err)"
    cmp -s main.o copy.o || fail "input was modified"
    ;;
  output-dir-missing)
    if "$xld" @link.rsp -o no/such/dir/prog 2> err; then fail "linked into a missing directory"; fi
    grep -q "xld: error: cannot open output file no/such/dir/prog: No such file or directory" err || fail "message: $(cat err)"
    ;;
  version)
    out=$("$xld" --version)
    [[ $out == "xld "*"compatible with GNU linkers"* ]] || fail "--version: $out"
    [ "$(echo "$out" | wc -l)" = 1 ] || fail "--version is not one line"
    [ "$("$xld" -v)" = "$out" ] || fail "-v differs from --version"
    ;;
  help)
    "$xld" --help > help.txt
    for opt in --gc-sections --build-id --start-group --whole-archive -static-pie --eh-frame-hdr -Map \
               --defsym --threads --error-limit --sysroot; do
      grep -q -- "$opt" help.txt || fail "--help does not list $opt"
    done
    ;;
  response-file)
    printf '%s\n' "-o" "'prog with space'" > out.rsp
    "$xld" @link.rsp @out.rsp
    [ "$("./prog with space")" = "hello 42" ] || fail "program output"
    ;;
  unknown-z)
    "$xld" @link.rsp -o prog -z no-such-keyword 2> err
    grep -q "xld: warning: unknown -z value: no-such-keyword" err || fail "message: $(cat err)"
    ;;
  gc-long-section-name)
    # A section kept by --gc-sections only through __start_NAME, with a
    # C-identifier NAME of 600 characters (longer than any fixed buffer).
    name=s$(printf 'x%.0s' $(seq 600))
    cat > long.c <<C
#include <stdio.h>
__attribute__((used, section("$name"))) static const int kept = 42;
extern const int __start_$name[];
int main(void) { printf("%d\\n", __start_$name[0]); return 0; }
C
    gcc -O1 -fno-pie -c long.c -o long.o
    rsp_for long.o > long.rsp
    "$xld" @long.rsp -o long.out --gc-sections
    [ "$(./long.out)" = 42 ] || fail "section named by a long __start_ symbol: $(./long.out 2>&1 | head -c 200)"
    # (Into a file first: grep -q stops at the match, and readelf, still
    # writing, would die of SIGPIPE and fail the pipeline under pipefail.)
    readelf -SW long.out > long.sections
    grep -q "$name" long.sections || fail "the long-named section was removed"
    ;;
  threads-determinism)
    for t in 1 2 8; do "$xld" @link.rsp -o prog.$t --threads=$t; done
    cmp prog.1 prog.2 && cmp prog.1 prog.8 || fail "outputs differ across thread counts"
    # --gc-sections marks in parallel: the same sections go at any count.
    for t in 1 2 8; do "$xld" @link.rsp -o gc.$t --threads=$t --gc-sections --print-gc-sections 2> gc.$t.log; done
    cmp gc.1 gc.2 && cmp gc.1 gc.8 || fail "--gc-sections outputs differ across thread counts"
    cmp gc.1.log gc.2.log && cmp gc.1.log gc.8.log || fail "--print-gc-sections differs across thread counts"
    grep -q "removing unused section" gc.1.log || fail "--gc-sections removed nothing: $(head -3 gc.1.log)"
    [ "$(./gc.8)" = "hello 42" ] || fail "program linked with --gc-sections"
    # Written in pieces (default), through a mapping, or whole from
    # memory: the same bytes, build-id included.
    for how in mmap no-mmap; do
      "$xld" @link.rsp -o prog.$how --$how-output-file --threads=2 --build-id
      "$xld" @link.rsp -o prog.pieces.$how --threads=2 --build-id
      cmp prog.pieces.$how prog.$how || fail "--$how-output-file gives other bytes"
      [ "$(./prog.$how)" = "hello 42" ] || fail "program written with --$how-output-file"
    done
    # The same files under another absolute path give the same output.
    mkdir other && cp main.o lib.o other/
    sed "s|$work/main.o|$work/other/main.o|; s|$work/lib.o|$work/other/lib.o|; s|^main.o$|other/main.o|; s|^lib.o$|other/lib.o|" link.rsp > other.rsp
    "$xld" @other.rsp -o prog.other
    cmp prog.1 prog.other || fail "output depends on the inputs' paths"
    ;;
  gnu-options)
    # GNU ld options build systems pass, each checked by its effect.
    cat > commons.c <<'C'
#include <stdio.h>
extern int shared_common;
int value(void);
int main(void) { printf("value %d common %d\n", value(), shared_common); return 0; }
C
    printf 'int shared_common;\n' > c1.c
    printf 'long shared_common[4];\n' > c2.c
    printf 'int shared_common = 5;\n' > def.c
    printf 'int value(void) { return 1; }\n' > v1.c
    printf 'int value(void) { return 2; }\n' > v2.c
    printf '#include <stdio.h>\n__attribute__((constructor)) static void hi(void) { puts("member loaded"); }\nint member_fn(void) { return 11; }\n' > m.c
    for f in commons c1 c2 def v1 v2 m; do gcc -O1 -fno-pie -fcommon -c $f.c -o $f.o; done
    cp c1.o c1b.o
    ar rcs libmember.a m.o
    # The link line of commons.o + v1.o + the objects given, in that order.
    line() { sed "s|^\(.*/\)\{0,1\}main\.o\$|commons.o\nv1.o|; s|^\(.*/\)\{0,1\}lib\.o\$|$*|" link.rsp | tr ' ' '\n'; }
    # --warn-common: GNU ld's cases, and --fatal-warnings turns them into errors.
    expect_warning() {  # OBJECTS MESSAGE
      line $1 > w.rsp
      "$xld" @w.rsp -o prog --warn-common 2> err || fail "--warn-common ($1) failed: $(cat err)"
      grep -qF "warning: $2" err || fail "--warn-common ($1): want '$2', got: $(cat err)"
      "$xld" @w.rsp -o prog 2> err && [ ! -s err ] || fail "warning without --warn-common ($1): $(cat err)"
    }
    expect_warning "c1.o c2.o" "c2.o: common of 'shared_common' overriding smaller common from c1.o"
    expect_warning "c2.o c1.o" "c1.o: common of 'shared_common' overridden by larger common from c2.o"
    expect_warning "c1.o c1b.o" "c1b.o: multiple common of 'shared_common'; previous common is in c1.o"
    expect_warning "c1.o def.o" "def.o: definition of 'shared_common' overriding common from c1.o"
    expect_warning "def.o c1.o" "c1.o: common of 'shared_common' overridden by definition from def.o"
    [ "$(./prog)" = "value 1 common 5" ] || fail "common overridden by a definition: $(./prog)"
    line c1.o c2.o > w.rsp
    rm -f prog
    if "$xld" @w.rsp -o prog --warn-common --fatal-warnings 2> err; then fail "--fatal-warnings linked"; fi
    grep -q "error: c2.o: common of 'shared_common'" err || fail "--fatal-warnings: $(cat err)"
    [ ! -e prog ] || fail "--fatal-warnings left an output"
    "$xld" @w.rsp -o prog --warn-common --fatal-warnings --no-fatal-warnings 2> /dev/null || fail "--no-fatal-warnings"
    # Duplicate definitions: an error, unless allowed (the first one wins).
    line v2.o c1.o > d.rsp
    if "$xld" @d.rsp -o prog 2> err; then fail "duplicate value() linked"; fi
    grep -q "duplicate symbol: value" err || fail "duplicate: $(cat err)"
    for opt in --allow-multiple-definition -z\ muldefs; do
      rm -f prog
      "$xld" @d.rsp -o prog $opt || fail "$opt"
      [ "$(./prog)" = "value 1 common 0" ] || fail "$opt: the first definition must win: $(./prog)"
    done
    # -u / --undefined / --require-defined pull an archive member nothing
    # else needs; --require-defined of a missing symbol is an error.
    sed "s|^\(.*/\)\{0,1\}lib\.o\$|c1.o\n-L.\n-lmember|; s|^\(.*/\)\{0,1\}main\.o\$|commons.o\nv1.o|" link.rsp > m.rsp
    "$xld" @m.rsp -o prog
    [ "$(./prog)" = "value 1 common 0" ] || fail "member loaded without a reference"
    for opt in "-u member_fn" "--undefined=member_fn" "--require-defined=member_fn" "--require-defined member_fn"; do
      # shellcheck disable=SC2086  # the option and its argument split on purpose
      "$xld" @m.rsp -o prog $opt || fail "$opt"
      [ "$(./prog | head -1)" = "member loaded" ] || fail "$opt did not load the member"
    done
    if "$xld" @m.rsp -o prog --require-defined=no_such_fn 2> err; then fail "--require-defined of a missing symbol linked"; fi
    grep -q "required symbol no_such_fn (--require-defined) is not defined" err || fail "require-defined: $(cat err)"
    # Accepted, and without effect on a static link.
    "$xld" @link.rsp -o prog --no-undefined --exclude-libs=ALL --no-warn-mismatch -Bsymbolic --hash-style=gnu
    [ "$(./prog)" = "hello 42" ] || fail "accepted options changed the program"
    # --stats: per-pass times and the object count of this link.
    "$xld" @link.rsp -o prog --stats 2> stats
    # Each pass: wall time, its serial part, and the threads' use of the rest.
    grep -qE "^ +pass +wall ms +serial ms +use" stats || fail "--stats: no column headings: $(cat stats)"
    grep -qE "^ +resolve symbols +[0-9.]+ +[0-9.]+" stats && grep -qE "^ +write output +[0-9.]+ +[0-9.]+ +[0-9]+%" stats ||
      fail "--stats: $(cat stats)"
    grep -qE '^xld: [0-9]+ objects' stats || fail "--stats: no object count"
    # -V prints the version line, as lld does.
    "$xld" -V > version.txt
    grep -q "^xld .*compatible with GNU linkers" version.txt || fail "-V: $(cat version.txt)"
    ;;
  why-extract)
    "$xld" @link.rsp -o prog --why-extract=why.txt
    head -1 why.txt | grep -qx $'reference\textracted\tsymbol' || fail "header: $(head -1 why.txt)"
    grep -qP '^main\.o\t.*libc\.a\(printf\.o\)\tprintf$' why.txt || fail "no line for printf: $(grep printf why.txt | head -3)"
    nm prog > syms.txt
    grep -q ' T printf$' syms.txt || fail "printf not linked"
    ;;
  trace-symbol)
    "$xld" @link.rsp -o prog -y helper --trace-symbol=printf 2> trace.txt
    grep -qx "main.o: definition of helper" trace.txt || fail "$(cat trace.txt)"
    grep -qx "main.o: reference to printf" trace.txt || fail "$(cat trace.txt)"
    grep -q "libc.a(printf.o): definition of printf" trace.txt || fail "$(cat trace.txt)"
    ;;
  time-trace)
    "$xld" @link.rsp -o prog --time-trace
    python3 - prog.time-trace <<'PY' || fail "bad trace"
import json, sys
events = json.load(open(sys.argv[1]))["traceEvents"]
names = [e["name"] for e in events]
for want in ("read inputs", "resolve symbols", "scan relocations", "layout", "write output"):
    assert want in names, want
assert all(e["ph"] == "X" and e["dur"] >= 0 for e in events)
PY
    ;;
  install)
    # The installed layout is what users point compilers at.
    cmake --install "$(dirname "$xld")" --prefix "$work/inst" > /dev/null
    [ -x inst/bin/xld ] && [ "$(readlink inst/bin/ld.xld)" = xld ] || fail "bin/xld, bin/ld.xld"
    [ "$(readlink -f inst/libexec/xld/ld)" = "$(readlink -f inst/bin/xld)" ] || fail "libexec/xld/ld"
    gcc -B inst/libexec/xld -static main.c -o prog-gcc
    [ "$(./prog-gcc)" = "hello 42" ] || fail "gcc -B program"
    PATH="$work/inst/bin:$PATH" clang -fuse-ld=xld -static-pie main.c -o prog-clang
    [ "$(./prog-clang)" = "hello 42" ] || fail "clang -fuse-ld=xld program"
    clang --ld-path="$work/inst/bin/xld" -static main.c -o prog-ldpath
    [ "$(./prog-ldpath)" = "hello 42" ] || fail "clang --ld-path program"
    ;;
  truncated-and-corrupt)
    # Truncations of a small object (every length) and of an archive, and
    # byte flips in their headers: xld must exit 0 or 1 with a message,
    # never die of a signal or hang.
    ar rcs libx.a lib.o main.o
    mkdir variants
    python3 - lib.o libx.a <<'PY'
import struct, sys
for name in sys.argv[1:]:
    data = open(name, 'rb').read()
    # Every length through the headers, then every 7th byte.
    for n in list(range(min(len(data), 320))) + list(range(320, len(data), 7)):
        open(f'variants/{name}.cut{n}', 'wb').write(data[:n])
    shoff = struct.unpack_from('<Q', data, 0x28)[0] if data[:4] == b'\x7fELF' else 8
    for n in range(128):
        for base in (0, shoff):
            if base + n < len(data):
                d = bytearray(data)
                d[base + n] ^= 0xff
                open(f'variants/{name}.flip{base}+{n}', 'wb').write(d)
PY
    for v in variants/*; do
      rc=0
      timeout 60 "$xld" -static "$v" -o out.bin -e 0 > /dev/null 2> err.txt || rc=$?
      [ $rc -lt 2 ] || fail "exit status $rc on $v: $(head -3 err.txt)"
      [ $rc = 0 ] || grep -q "^xld: error: " err.txt || fail "no error message on $v"
    done
    ;;
  comdat-groups)
    # C++ inline functions in two objects: one copy kept (COMDAT groups are
    # interned in parallel, then owned in load order), the program runs;
    # a group whose signature symbol index is 0 is an error naming it.
    printf 'inline int twice(int x) { return 2 * x; }\nint a(int x) { return twice(x); }\n' > a.cc
    printf 'inline int twice(int x) { return 2 * x; }\nint a(int);\nint main() { return a(3) + twice(4) == 14 ? 0 : 1; }\n' > b.cc
    g++ -O0 -c a.cc b.cc
    g++ -B "$(dirname "$xld")/libexec/xld" -static a.o b.o -o prog 2> err.txt || fail "link: $(cat err.txt)"
    ./prog || fail "the program returned $?"
    [ "$(nm prog | grep -c ' _Z5twicei$')" = 1 ] || fail "twice(int) kept $(nm prog | grep -c ' _Z5twicei$') times"
    python3 - a.o <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
shoff, = struct.unpack_from('<Q', d, 0x28)
shnum, = struct.unpack_from('<H', d, 0x3c)
for i in range(shnum):
    h = shoff + 64 * i
    if struct.unpack_from('<I', d, h + 4)[0] == 17:  # SHT_GROUP
        struct.pack_into('<I', d, h + 44, 0)          # sh_info
open('bad.o', 'wb').write(d)
PY
    rc=0
    "$xld" -static bad.o b.o -o bad -e main 2> err.txt || rc=$?
    [ $rc = 1 ] || fail "malformed group: exit status $rc"
    grep -q "^xld: error: bad.o: section group .* is malformed" err.txt || fail "malformed group: $(cat err.txt)"
    [ ! -e bad ] || fail "malformed group: an output was written"
    ;;
  archive-index-stray)
    # An archive whose index names an offset where no member starts: the
    # archive and the offset are named (index entries are resolved in
    # parallel; the first stray one is reported), exit 1, no output.
    printf 'int f(void) { return 1; }\n' > f.c
    printf 'int f(void);\nint main(void) { return f(); }\n' > m.c
    gcc -c f.c m.c && ar rcs libf.a f.o
    python3 - <<'PY'
import struct
d = bytearray(open('libf.a', 'rb').read())
assert d[8:10] == b'/ '                  # the index is the first member
struct.pack_into('>I', d, 72, 0x7777)    # its first entry's member offset
open('libbad.a', 'wb').write(d)
PY
    rc=0
    "$xld" -static m.o libbad.a -o bad -e main 2> err.txt || rc=$?
    [ $rc = 1 ] || fail "exit status $rc"
    grep -q "^xld: error: libbad.a: archive index refers to offset 0x7777 which is not a member" err.txt ||
      fail "message: $(cat err.txt)"
    [ ! -e bad ] || fail "an output was written"
    ;;
  common-from-archive)
    # GNU ld loads an archive member that gives a real definition to a
    # symbol that is only COMMON so far; the program sees its initialiser.
    printf '#include <stdio.h>\nint shared_x;\nint main(void) { printf("%%d\\n", shared_x); return 0; }\n' > c.c
    printf 'int shared_x = 5;\nint unused_b(void) { return 1; }\n' > d.c
    gcc -fcommon -c c.c && gcc -c d.c && ar rcs libd.a d.o
    gcc -B "$(dirname "$xld")/libexec/xld" -static c.o -L. -ld -o prog
    [ "$(./prog)" = 5 ] || fail "shared_x is $(./prog), GNU ld gives 5"
    ;;
  tbss-starts-segment)
    # .text of odd size, then a writable segment whose first section is an
    # aligned .tbss (no file space): the segment's file offset must still be
    # congruent with its address, or .data is mapped shifted.
    cat > t.s <<'S'
      .text
      .globl _start
_start:
      mov value(%rip), %edi
      mov $60, %eax
      syscall
      .section .tbss,"awT",@nobits
      .p2align 6
tls_var: .zero 8
      .data
      .p2align 3
value: .long 42
S
    gcc -c t.s -o t.o
    for mode in -static -static-pie; do
      "$xld" $mode -o prog t.o
      rc=0; ./prog || rc=$?
      [ $rc = 42 ] || fail "$mode: exit status $rc, want 42 (the .data value)"
      readelf -lW prog | sed 's/ R E / RE /' | awk -v mode="$mode" '
        $1 == "LOAD" || $1 == "TLS" {
          off = $2; va = $3
          if (substr(off, 1, 2) == "0x") off = substr(off, 3)
          if (substr(va, 1, 2) == "0x") va = substr(va, 3)
          # the low three hex digits: offset and address modulo 4 KiB
          if (substr(off, length(off) - 2) != substr(va, length(va) - 2)) {
            print mode ": " $1 " at offset " $2 " has address " $3; bad = 1
          }
        }
        END { exit bad }' || fail "segment offsets not congruent with addresses"
    done
    ;;
  aarch64-feature-property)
    # .note.gnu.property's AArch64 feature bits (BTI, PAC) are the AND over
    # the inputs, as GNU ld computes them; a BTI program runs under qemu
    # with BTI enforced (-cpu max).
    command -v clang >/dev/null && command -v qemu-aarch64 >/dev/null || { echo "SKIP: needs clang and qemu-aarch64"; exit 77; }
    cat > start.c <<'C'
int value(void);
void _start(void) {
  register long x0 __asm__("x0") = value();
  register long x8 __asm__("x8") = 93; /* exit */
  __asm__ volatile("svc 0" : : "r"(x0), "r"(x8));
  __builtin_unreachable();
}
C
    cat > value.c <<'C'
static int (*volatile indirect)(void);
static int forty_two(void) { return 42; }
int value(void) { indirect = forty_two; return indirect(); }
C
    cc_a64() { clang --target=aarch64-linux-gnu -O1 -ffreestanding -fno-pic -c "$@"; }
    cc_a64 -mbranch-protection=standard start.c -o start.o
    for v in standard:BTI,PAC bti:BTI pac-ret:PAC none:; do
      prot=${v%%:*} want=${v#*:}
      if [ "$prot" = none ]; then cc_a64 value.c -o value.o; else cc_a64 -mbranch-protection="$prot" value.c -o value.o; fi
      "$xld" -static -o prog start.o value.o
      got=$(readelf -n prog | sed -n 's/.*AArch64 feature: //p' | tr -d ' ')
      [ "$got" = "$want" ] || fail "start.o (BTI, PAC) + value.o ($prot): features '$got', want '$want'"
      rc=0; qemu-aarch64 -cpu max ./prog || rc=$?
      [ $rc = 42 ] || fail "$prot: program exit status $rc, want 42"
    done
    ;;
  ifunc-landing-pads)
    # In an output marked for BTI (aarch64) or IBT (x86-64), an IFUNC's
    # stub is its address, so an indirect call lands there: the stub must
    # start with a landing pad. The aarch64 program runs under qemu with
    # BTI enforced (without the pad: SIGILL); on x86-64 the stub must start
    # with endbr64 and the program run.
    command -v clang >/dev/null && command -v qemu-aarch64 >/dev/null || { echo "SKIP: needs clang and qemu-aarch64"; exit 77; }
    cat > ifunc.c <<'C'
typedef struct { unsigned long off, info; long addend; } Rela;
extern const Rela __rela_iplt_start[] __attribute__((weak)), __rela_iplt_end[] __attribute__((weak));
static int plus_two(int x) { return x + 2; }
static int (*choose(void))(int) { return plus_two; }
int add_two(int) __attribute__((ifunc("choose")));
int (*volatile indirect)(int) = add_two;  /* the address of the stub */
static void exit_with(long rc) {
#if defined(__x86_64__)
  __asm__ volatile("mov %0, %%rdi\n mov $60, %%eax\n syscall" : : "r"(rc) : "rdi", "rax");
#else
  register long x0 __asm__("x0") = rc;
  register long x8 __asm__("x8") = 93;
  __asm__ volatile("svc 0" : : "r"(x0), "r"(x8));
#endif
  __builtin_unreachable();
}
void _start(void) {
  for (const Rela *r = __rela_iplt_start; r < __rela_iplt_end; r++)
    *(unsigned long *)r->off = ((unsigned long (*)(void))r->addend)();
  exit_with(indirect(40));
}
C
    clang --target=aarch64-linux-gnu -O1 -ffreestanding -fno-pic -mbranch-protection=standard -c ifunc.c -o a64.o
    "$xld" -static -o a64 a64.o
    readelf -n a64 | grep -q 'AArch64 feature: BTI' || fail "aarch64: the output lost its BTI mark"
    rc=0; qemu-aarch64 -cpu max ./a64 || rc=$?
    [ $rc = 42 ] || fail "aarch64: indirect call to an IFUNC: exit status $rc, want 42"
    clang -O1 -ffreestanding -fno-pic -fcf-protection=full -c ifunc.c -o x64.o
    "$xld" -static -o x64 x64.o
    readelf -n x64 | grep -q 'x86 feature: IBT' || fail "x86-64: the output lost its IBT mark"
    objdump -d -j .iplt x64 > iplt.txt
    grep -A1 '<.iplt>:' iplt.txt | grep -q endbr64 || fail "x86-64: the IFUNC stub has no endbr64: $(head -12 iplt.txt)"
    rc=0; ./x64 || rc=$?
    [ $rc = 42 ] || fail "x86-64: indirect call to an IFUNC: exit status $rc, want 42"
    ;;
  wrap)
    # --wrap=compute: main's call goes to __wrap_compute, whose call to
    # __real_compute goes to compute; lib.o's own call to the compute it
    # defines is not wrapped (GNU ld's rule). Both come from archives, so
    # the renamed references also decide which members load.
    printf 'int compute(int);\nint twice(int);\n#include <stdio.h>\nint main(void) { printf("%%d %%d\\n", compute(20), twice(5)); return 0; }\n' > wmain.c
    printf 'int compute(int x) { return x * 2; }\nint twice(int x) { return compute(x) + compute(x); }\n' > wlib.c
    printf 'int __real_compute(int);\nint __wrap_compute(int x) { return __real_compute(x) + 1; }\n' > wwrap.c
    gcc -O0 -c wmain.c wlib.c wwrap.c && ar rcs libw.a wlib.o wwrap.o
    for linker in xld bfd; do
      if [ $linker = xld ]; then B=(-B "$(dirname "$xld")/libexec/xld"); else B=(-fuse-ld=bfd); fi
      gcc "${B[@]}" -static wmain.o -L. -lw -Wl,--wrap=compute -o prog.$linker
    done
    [ "$(./prog.xld)" = "41 20" ] || fail "output '$(./prog.xld)', want '41 20'"
    [ "$(./prog.xld)" = "$(./prog.bfd)" ] || fail "GNU ld's program prints '$(./prog.bfd)'"
    # --wrap SYM (separate argument) works too, and a missing __wrap_ is an
    # undefined symbol named as such.
    gcc -B "$(dirname "$xld")/libexec/xld" -static wmain.o wlib.o -Wl,--wrap,compute -o prog.nowrap 2> err && fail "linked without __wrap_compute"
    grep -q "undefined symbol: __wrap_compute" err || fail "message: $(cat err)"
    ;;
  undefined-hints)
    # An undefined symbol gets lld's kind of hint: a defined name one typo
    # or only case away, or the same function under the other linkage.
    printf 'int compte(int);\nint Helper(void);\nint cxxfn(int);\nint main(void) { return compte(1) + Helper() + cxxfn(2); }\n' > u1.c
    printf 'int compute(int x) { return x; }\nint helper(void) { return 1; }\n' > u2.c
    printf 'int cxxfn(int x) { return x; }\n' > u3.cc
    printf 'extern int compute2(int);\nint main() { return compute2(1); }\n' > u4.cc
    printf 'int compute2(int x) { return x; }\n' > u5.c
    gcc -c u1.c u2.c u5.c && g++ -c u3.cc u4.cc
    B=(-B "$(dirname "$xld")/libexec/xld")
    gcc "${B[@]}" -static u1.o u2.o u3.o -o u.out 2> err && fail "linked with undefined symbols"
    want_lines() {
      while [ $# -gt 0 ]; do grep -qF -- "$1" err || fail "no line '$1' in: $(cat err)"; shift; done
    }
    want_lines "undefined symbol: compte" ">>> did you mean: compute" ">>> defined in: u2.o" \
      "undefined symbol: Helper" ">>> did you mean: helper" \
      "undefined symbol: cxxfn" ">>> did you mean: cxxfn(int), the C++ function of that name?" ">>> defined in: u3.o"
    g++ "${B[@]}" -static u4.o u5.o -o u.out 2> err && fail "linked with an undefined C++ name"
    want_lines "undefined symbol: compute2(int)" ">>> did you mean: compute2, which has C linkage?" ">>> defined in: u5.o"
    # Nothing close: no hint.
    printf 'int zzz_unrelated(void);\nint main(void) { return zzz_unrelated(); }\n' > u6.c
    gcc -c u6.c && gcc "${B[@]}" -static u6.o u2.o -o u.out 2> err && fail "linked with an undefined symbol"
    grep -q "did you mean" err && fail "hint for a name nothing resembles: $(cat err)"
    ;;
  compress-debug-sections)
    # Each mode gives SHF_COMPRESSED .debug_* sections that binutils
    # decompresses to exactly the bytes of the uncompressed link, and the
    # program still runs; the output is the same at any thread count.
    printf '#include <stdio.h>\nstatic const char *names[] = {"alpha", "beta"};\nint square(int x) { return x * x; }\nint main(void) { printf("%%s %%d\\n", names[1], square(3)); return 0; }\n' > dbg.c
    gcc -g -O1 -c dbg.c
    rsp_for dbg.o > dbg.rsp
    "$xld" @dbg.rsp -o dbg.none
    [ "$(./dbg.none)" = "beta 9" ] || fail "uncompressed program"
    for m in zlib zstd; do
      "$xld" @dbg.rsp -o dbg.$m --compress-debug-sections=$m --threads=2
      "$xld" @dbg.rsp -o dbg.$m.1 --compress-debug-sections=$m --threads=1
      cmp dbg.$m dbg.$m.1 || fail "$m: output depends on the thread count"
      [ "$(./dbg.$m)" = "beta 9" ] || fail "$m: program"
      readelf -SW dbg.$m | awk '$2 == ".debug_info" && $8 !~ /C/ {bad = 1} END {exit bad}' || fail "$m: .debug_info not SHF_COMPRESSED"
      objcopy --decompress-debug-sections dbg.$m dbg.$m.plain
      for s in .debug_info .debug_str .debug_line .debug_abbrev; do
        objcopy -O binary --only-section=$s dbg.none want.bin
        objcopy -O binary --only-section=$s dbg.$m.plain got.bin
        cmp -s want.bin got.bin || fail "$m: $s decompresses to other bytes"
      done
    done
    "$xld" @dbg.rsp -o dbg.bare --compress-debug-sections
    readelf -SW dbg.bare > sections.txt  # (grep -q in a pipe could SIGPIPE readelf under pipefail)
    grep -q "debug_info.* C " sections.txt || fail "bare --compress-debug-sections compressed nothing"
    if "$xld" @dbg.rsp -o dbg.bad --compress-debug-sections=lzma 2> err; then fail "accepted lzma"; fi
    grep -q "xld: error: unknown --compress-debug-sections value 'lzma'" err || fail "message: $(cat err)"
    ;;
  odd-inputs)
    # Inputs that are not plain objects: each gets a clear error (exit 1,
    # "xld: error:"), or works where GNU ld's would.
    errors_with() {  # $1 = expected message part, rest = xld arguments
      local want=$1 rc=0
      shift
      timeout 60 "$xld" "$@" -o odd.out > err 2>&1 || rc=$?
      [ $rc = 1 ] || fail "xld $*: exit status $rc, want 1 ($(head -2 err))"
      grep -qF -- "xld: error: $want" err || fail "xld $*: message $(head -2 err), want '$want'"
      [ ! -e odd.out ] || fail "xld $*: left an output behind"
    }
    mkdir adir && : > empty.o && echo "@self.rsp" > self.rsp
    errors_with "cannot open adir: Is a directory" @link.rsp adir
    errors_with "unable to find library -lnosuchlib" @link.rsp -lnosuchlib
    errors_with "@self.rsp: response files nested too deeply" @self.rsp
    errors_with "no object files to link" -static empty.o
    # A pipe (a named FIFO with a writer, or bash's process substitution)
    # is read whole: the same program as from the file.
    mkfifo main.fifo
    sed 's|^\(.*/\)\{0,1\}main\.o$|main.fifo|' link.rsp > fifo.rsp
    grep -q '^main.fifo$' fifo.rsp || fail "could not point the link at the FIFO"
    (cat main.o > main.fifo &)
    timeout 60 "$xld" @fifo.rsp -o prog.fifo || fail "link through a FIFO"
    "$xld" @link.rsp -o prog.file
    cmp prog.fifo prog.file || fail "FIFO input gives another output"
    # An output that is a FIFO or a device is written into, never replaced
    # by a renamed temporary file (as root that would replace /dev/null).
    mkfifo out.fifo
    (cat out.fifo > from.fifo &)
    "$xld" @link.rsp -o out.fifo
    [ -p out.fifo ] || fail "the output FIFO was replaced"
    for _ in 1 2 3 4 5 6 7 8 9 10; do cmp -s from.fifo prog.file && break; sleep 0.5; done
    cmp from.fifo prog.file || fail "the program written into a FIFO differs"
    if [ "$(id -u)" = 0 ]; then
      mknod -m 666 null.dev c 1 3
      "$xld" @link.rsp -o null.dev
      [ -c null.dev ] || fail "the output device was replaced by a file"
    fi
    # Symbol names of 100 KiB, defined and undefined.
    long=$(head -c 102400 /dev/zero | tr '\0' x)
    printf 'int f%s(void) { return 7; }\nint main(void) { return f%s(); }\n' "$long" "$long" > long.c
    printf 'int g%s(void);\nint main(void) { return g%s(); }\n' "$long" "$long" > longu.c
    gcc -c long.c longu.c
    gcc -B "$(dirname "$xld")/libexec/xld" -static long.o -o long.out
    rc=0; ./long.out || rc=$?
    [ $rc = 7 ] || fail "program with a 100 KiB symbol name: exit status $rc"
    gcc -B "$(dirname "$xld")/libexec/xld" -static longu.o -o longu.out 2> err && fail "linked an undefined 100 KiB name"
    grep -q "xld: error: undefined symbol: gxxxxxxxxxx" err || fail "undefined 100 KiB name: $(head -c 200 err)"
    ;;
  safe-output)
    # Relinking a program while it runs works (the new file is renamed into
    # place; the running one keeps its inode), and killing xld with SIGKILL
    # at any moment of a link leaves the previous output intact.
    printf '#include <stdio.h>\n#include <unistd.h>\nint main(int c, char **v) { if (c > 1) sleep(3); puts("v1"); return 0; }\n' > run1.c
    printf '#include <stdio.h>\nint main(void) { puts("v2"); return 0; }\n' > run2.c
    gcc -c run1.c run2.c
    rsp_for run1.o > run1.rsp
    rsp_for run2.o > run2.rsp
    "$xld" @run1.rsp -o running
    ./running wait > running.out &
    pid=$!
    sleep 0.5
    "$xld" @run2.rsp -o running || fail "relinking a running program failed"
    wait $pid
    [ "$(cat running.out)" = v1 ] || fail "the running program was disturbed"
    [ "$(./running)" = v2 ] || fail "the relinked program is not the new one"
    # A link big enough to be killed mid-way: 64 MiB of initialised data.
    printf 'char big[64 << 20] = {1};\nint main(void) { return big[0] - 1; }\n' > big.c
    gcc -c big.c
    rsp_for big.o > big.rsp
    "$xld" @big.rsp -o victim
    cp victim victim.orig
    for delay in 0.01 0.03 0.05 0.08 0.12 0.2; do
      "$xld" @big.rsp -o victim --threads=2 &
      pid=$!
      sleep $delay
      kill -9 $pid 2>/dev/null || true
      wait $pid 2>/dev/null || true
      # Finished or not, the file is the old output or an identical new one.
      cmp -s victim victim.orig || fail "victim damaged after SIGKILL at ${delay}s"
      ./victim || fail "victim does not run after SIGKILL at ${delay}s"
      rm -f .victim.xld-*  # the killed link's temporary file
    done
    ;;
  *) fail "unknown case" ;;
esac
echo "PASS ($case_name)"
