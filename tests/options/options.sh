#!/usr/bin/env bash
# GNU ld command-line options with a visible effect, each checked on a real
# program that is linked, run and inspected with readelf/nm (and, where
# GNU ld can link the same inputs, compared with ld.bfd). One case per
# invocation:
#   options.sh XLD CASE SOURCE_DIR
set -euo pipefail
# grep -q ending a pipe exits at the first match; the writer may then die of
# SIGPIPE, which pipefail reports as a failure. has reads everything.
has() { grep "$@" > /dev/null; }
xld=$1
case_name=$2
src=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL ($case_name): $*" >&2; exit 1; }
skip() { echo "SKIP ($case_name): $*" >&2; exit 77; }

command -v gcc > /dev/null || skip "no gcc"

cat > main.c <<'C'
#include <stdio.h>
int counter = 3;
const char *greeting = "hello";
__attribute__((section("mysec"))) int in_mysec = 11;
int helper(int x) { return x + counter; }
int main(void) { printf("%s %d %d\n", greeting, helper(39), in_mysec); return 0; }
C
gcc -O1 -fno-pie -c main.c -o main.o
# gcc's own link line for a static program (as collect2 passes it to ld),
# without the plugin arguments and the output name; rsp_for OBJS puts OBJS
# in place of main.o.
gcc -no-pie -static main.o -o gcc-linked.out -v 2>&1 | grep collect2 | tr ' ' '\n' |
  awk 'skip {skip = 0; next} /^-plugin$|^-o$/ {skip = 1; next} /^-plugin-opt/ || /collect2$/ || /^$/ {next} {print}' > link.rsp || true
[ -s link.rsp ] || fail "could not capture gcc's link line"
rsp_for() { sed "s|^\(.*/\)\{0,1\}main\.o\$|$1|" link.rsp; }

# A program with no C library: _start writes a line and exits with 0.
cat > nolibc.c <<'C'
static const char msg[] = "hi from start\n";
int counter = 5;
long big[64];
void _start(void) {
  big[3] = counter;
  long r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(1), "D"(1), "S"(msg), "d"(sizeof msg - 1) : "rcx", "r11", "memory");
  __asm__ volatile("syscall" ::"a"(60), "D"(big[3] - 5));
  for (;;) {}
}
C
gcc -O1 -fno-pie -fno-asynchronous-unwind-tables -c nolibc.c -o nolibc.o

sec_addr() { readelf -SW "$1" | awk -v s="$2" '{sub(/^ *\[ *[0-9]+\] */, "")} $1 == s {print $3; exit}' | sed 's/^0*//'; }
sec_off() { readelf -SW "$1" | awk -v s="$2" '{sub(/^ *\[ *[0-9]+\] */, "")} $1 == s {print $4; exit}' | sed 's/^0*//'; }
sym_addr() { nm "$1" | awk -v s="$2" '$3 == s {print $1}' | sed 's/^0*//'; }
loads() { readelf -lW "$1" | awk '$1 == "LOAD"'; }
# link_nolibc LINKER FLAG: links nolibc.o with xld or GNU ld and FLAG (-N,
# -n) into n-LINKER, runs it and checks it has one RWX PT_LOAD; fails when
# GNU ld is not installed (the caller skips that comparison).
link_nolibc() {
  if [ "$1" = xld ]; then "$xld" -static nolibc.o "$2" -o n-$1; else
    command -v ld.bfd > /dev/null || return 1
    ld.bfd -static nolibc.o "$2" -o n-$1 2> /dev/null
  fi
  [ "$(./n-$1)" = "hi from start" ] || fail "$2 ($1): program output"
  [ "$(loads n-$1 | wc -l)" = 1 ] && loads n-$1 | has ' RWE ' || fail "$2 ($1): $(loads n-$1)"
}
# mawk has no strtonum: HEX is an awk function for "0x..." fields.
HEX='function hex(s,  i, v) { s = tolower(s); sub(/^0x/, "", s); v = 0
  for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }'

# Every PT_LOAD's offset congruent with its address modulo its alignment,
# and the PT_LOADs in ascending address order.
check_loads() {
  loads "$1" | awk "$HEX"'{
      off = hex($2); va = hex($3); al = hex($NF);
      if (al > 1 && off % al != va % al) { print "offset " $2 " not congruent with " $3 " mod " $NF; bad = 1 }
      if (va < prev) { print "PT_LOAD " $3 " after " prevs; bad = 1 }
      prev = va; prevs = $3 }
    END { exit bad }' || fail "$1: bad PT_LOADs: $(loads "$1")"
}

case $case_name in
  section-start)
    # -Ttext=ADDR (hex, as GNU ld), --section-start for a custom section,
    # the two-argument form -Tdata ADDR, and -Tbss.
    "$xld" @link.rsp -o prog -Ttext=800000 --section-start=mysec=0x900000 -Tdata 0xa00000
    [ "$(./prog)" = "hello 42 11" ] || fail "program output: $(./prog)"
    [ "$(sec_addr prog .text)" = 800000 ] || fail ".text at $(sec_addr prog .text)"
    [ "$(sec_addr prog mysec)" = 900000 ] || fail "mysec at $(sec_addr prog mysec)"
    [ "$(sec_addr prog .data)" = a00000 ] || fail ".data at $(sec_addr prog .data)"
    [ "$(sym_addr prog in_mysec)" = 900000 ] || fail "in_mysec at $(sym_addr prog in_mysec)"
    # .fini follows .text in the same segment; .text starts a PT_LOAD.
    fini=$(sec_addr prog .fini)
    (( 0x$fini > 0x800000 && 0x$fini < 0x900000 )) || fail ".fini at $fini does not follow .text"
    loads prog | awk '$3 == "0x0000000000800000"' | has 'R E' || fail "no RX PT_LOAD at 0x800000: $(loads prog)"
    # File offsets congruent with addresses (mod the page size).
    for s in .text mysec .data; do
      (( (0x$(sec_addr prog $s) - 0x$(sec_off prog $s)) % 4096 == 0 )) || fail "$s: offset not congruent"
    done
    check_loads prog
    "$xld" @link.rsp -o prog2 -Tbss=0xb00000 --Ttext=0x600000
    [ "$(./prog2)" = "hello 42 11" ] || fail "-Tbss program output"
    [ "$(sec_addr prog2 .bss)" = b00000 ] || fail ".bss at $(sec_addr prog2 .bss)"
    [ "$(sec_addr prog2 .text)" = 600000 ] || fail "--Ttext: .text at $(sec_addr prog2 .text)"
    check_loads prog2
    # The last of several starts for one section wins (GNU ld).
    "$xld" @link.rsp -o prog3 -Ttext=0x700000 --section-start=.text=0x680000
    [ "$(sec_addr prog3 .text)" = 680000 ] || fail "last start did not win: $(sec_addr prog3 .text)"
    ./prog3 > /dev/null || fail "prog3 does not run"
    ;;
  section-start-errors)
    # .text placed on top of .rodata: lld's overlap error, exit 1, no output.
    if "$xld" @link.rsp -o prog -Ttext=0x401000 2> err; then fail "overlapping .text linked"; fi
    grep -q "xld: error: section .text virtual address range overlaps with .rodata" err || fail "message: $(cat err)"
    grep -q ">>> .text range is \[0x401000, " err || fail "no range in: $(cat err)"
    [ ! -e prog ] || fail "output written despite the error"
    if "$xld" @link.rsp -o prog -Ttext=0xzz 2> err; then fail "bad address accepted"; fi
    grep -q "invalid hexadecimal address for -Ttext: 0xzz" err || fail "message: $(cat err)"
    if "$xld" @link.rsp -o prog --section-start=0x1000 2> err; then fail "bad --section-start accepted"; fi
    grep -q "section-start: expected SECTION=ADDRESS" err || fail "message: $(cat err)"
    ;;
  reloc-overflow)
    # -mcmodel=small code reaches .data through 32-bit fields: .data beyond
    # 2 GiB (here 4 GiB) from .text is a relocation overflow error.
    cat > small.c <<'C'
int value = 5;
int main(void) { return value - 5; }
C
    gcc -O1 -fno-pie -mcmodel=small -c small.c -o small.o
    rsp_for small.o > small.rsp
    "$xld" @small.rsp -o ok && ./ok || fail "the program does not link and run without -Tdata"
    # libc's own code overflows too, and relocations are applied in
    # parallel: without a limit, the first 20 errors may not include ours.
    if "$xld" @small.rsp -o prog -Tdata=0x100000000 --error-limit=0 2> err; then fail "linked with .data 4 GiB away"; fi
    [ ! -e prog ] || fail "output written despite the overflow"
    grep -Eq "small.o:\(\.text.*\) in function main: relocation R_X86_64_(PC32|32S?) out of range: .* references 'value'" err ||
      fail "message: $(head -3 err)"
    ;;
  image-base)
    for opt in --image-base=0x1000000 -Ttext-segment=1000000 "-Ttext-segment 0x1000000"; do
      # shellcheck disable=SC2086
      "$xld" @link.rsp -o prog $opt
      [ "$(./prog)" = "hello 42 11" ] || fail "$opt: program output"
      first=$(loads prog | head -1 | awk '{print $3, $2}')
      [ "$first" = "0x0000000001000000 0x000000" ] || fail "$opt: first PT_LOAD is $first"
      [ "$(sym_addr prog __ehdr_start)" = 1000000 ] || fail "$opt: __ehdr_start at $(sym_addr prog __ehdr_start)"
      check_loads prog
    done
    ;;
  omagic)
    # -N: one RWX PT_LOAD, no page alignment (every section's address minus
    # its offset is the image base), no PT_GNU_RELRO; GNU ld's layout.
    for opt in -N --omagic; do
      "$xld" @link.rsp -o prog $opt
      [ "$(./prog)" = "hello 42 11" ] || fail "$opt: program output"
      [ "$(loads prog | wc -l)" = 1 ] || fail "$opt: PT_LOADs: $(loads prog)"
      loads prog | has ' RWE ' || fail "$opt: PT_LOAD not RWX: $(loads prog)"
      ! readelf -lW prog | has GNU_RELRO || fail "$opt: PT_GNU_RELRO present"
      readelf -lW prog | grep GNU_STACK | has ' RW ' || fail "$opt: stack is executable"
    done
    for l in xld bfd; do
      link_nolibc $l -N || continue
      # Sections packed: address - offset is the same for every one.
      readelf -SW n-$l | awk "$HEX"'{sub(/^ *\[ *[0-9]+\] */, "")} $3 ~ /^0*4/ && $2 != "NOBITS" {print hex("0x" $3) - hex("0x" $4)}' |
        sort -u > deltas-$l
      [ "$(wc -l < deltas-$l)" = 1 ] || fail "-N ($l): sections not packed: $(cat deltas-$l)"
    done
    # --no-omagic undoes -N.
    "$xld" @link.rsp -o prog -N --no-omagic
    [ "$(loads prog | wc -l)" -ge 3 ] || fail "--no-omagic: $(loads prog)"
    readelf -lW prog | has GNU_RELRO || fail "--no-omagic: no PT_GNU_RELRO"
    ./prog > /dev/null
    # -omagic is -o magic (GNU ld: --omagic takes exactly two dashes).
    "$xld" @link.rsp -omagic
    [ "$(./magic)" = "hello 42 11" ] || fail "-omagic did not write 'magic'"
    ;;
  nmagic)
    # -n: as GNU ld, one RWX PT_LOAD; text and read-only data packed, and
    # the writable data on the next page at the same in-page offset.
    for l in xld bfd; do
      link_nolibc $l -n || continue
      data=$(sec_addr n-$l .data)
      (( 0x$data >= 0x401000 )) || fail "-n ($l): .data at $data, not on the next page"
      (( 0x$data - 0x$(sec_off n-$l .data) == 0x400000 )) || fail "-n ($l): .data offset not in the one segment"
      (( 0x$(sec_addr n-$l .text) < 0x401000 )) || fail "-n ($l): .text page-aligned"
    done
    for opt in -n --nmagic -nmagic; do
      "$xld" @link.rsp -o prog $opt
      [ "$(./prog)" = "hello 42 11" ] || fail "$opt: program output"
      [ "$(loads prog | wc -l)" = 1 ] || fail "$opt: $(loads prog)"
    done
    ;;
  single-dash)
    # GNU ld takes long options with one dash.
    cat > lib1.c <<'C'
int lib1_unused(void) { return 1; }
C
    gcc -O1 -c lib1.c && ar rcs libone.a lib1.o
    "$xld" @link.rsp -o prog -gc-sections -no-relax -gdb-index -export-dynamic -whole-archive libone.a \
      -no-whole-archive -print-gc-sections -build-id -eh-frame-hdr -sort-common 2> gc.txt ||
      fail "single-dash options refused"
    [ "$(./prog)" = "hello 42 11" ] || fail "program output"
    nm prog | has ' lib1_unused$' && fail "-gc-sections had no effect"
    grep -q "removing unused section" gc.txt || fail "-print-gc-sections printed nothing"
    readelf -nW prog | has "Build ID" || fail "-build-id: no note"
    readelf -lW prog | has GNU_EH_FRAME || fail "-eh-frame-hdr: no PT_GNU_EH_FRAME"
    # -lNAME is always -l (GNU ld): -library-path=x is -l ibrary-path=x.
    if "$xld" @link.rsp -o prog -library-path=. 2> err; then fail "-library-path=. taken as a long option"; fi
    grep -q "unable to find library -library-path=." err || fail "message: $(cat err)"
    # -output is -o utput; --output=FILE works.
    "$xld" @link.rsp --output=named
    ./named > /dev/null || fail "--output=named"
    if "$xld" @link.rsp -no-omagic-x 2> err; then fail "-no-omagic-x accepted"; fi
    ;;
  z-separate-code)
    # -z separate-code: code on pages of its own, in the file and in memory
    # (GNU ld's default on x86-64 Linux); -z noseparate-code (the default,
    # as lld) lets segments share file pages.
    "$xld" @link.rsp -o sep -z separate-code
    "$xld" @link.rsp -o nosep -z noseparate-code
    "$xld" @link.rsp -o default
    for p in sep nosep default; do
      [ "$(./$p)" = "hello 42 11" ] || fail "$p: program output"
      check_loads $p
    done
    rx() { loads "$1" | awk '/R E/ {print $2, $3, $5}'; }
    after_rx() { loads "$1" | awk 'found {print $2, $3; exit} /R E/ {found = 1}'; }
    read -r off va size < <(rx sep)
    (( off % 4096 == 0 && va % 4096 == 0 )) || fail "separate-code: RX at $off/$va"
    read -r noff nva < <(after_rx sep)
    (( noff % 4096 == 0 && nva % 4096 == 0 )) || fail "separate-code: segment after RX at $noff/$nva"
    (( noff >= off + size )) || fail "separate-code: next segment shares the code's page"
    read -r off va size < <(rx nosep)
    (( off % 4096 != 0 )) || fail "noseparate-code: RX page-aligned in the file ($off)"
    cmp -s nosep default || fail "default differs from -z noseparate-code"
    if command -v ld.bfd > /dev/null; then
      ld.bfd -static nolibc.o -z separate-code -o bfd-sep
      "$xld" -static nolibc.o -z separate-code -o xld-sep
      for p in bfd-sep xld-sep; do
        [ "$(./$p)" = "hi from start" ] || fail "$p: program output"
        read -r off va size < <(rx $p)
        (( off % 4096 == 0 && va % 4096 == 0 )) || fail "$p: RX at $off/$va"
      done
    fi
    ;;
  z-keywords)
    "$xld" @link.rsp -o prog -z max-page-size=0x200000 -z common-page-size=0x200000
    [ "$(./prog)" = "hello 42 11" ] || fail "max-page-size: program output"
    loads prog | awk '$NF != "0x200000" {exit 1}' || fail "max-page-size: $(loads prog)"
    check_loads prog
    relro_end=$(readelf -lW prog | awk "$HEX"'$1 == "GNU_RELRO" {print hex($3) + hex($6)}')
    (( relro_end % 0x200000 == 0 )) || fail "common-page-size: RELRO ends at $relro_end"
    "$xld" @link.rsp -o prog -z execstack
    readelf -lW prog | grep GNU_STACK | has RWE || fail "execstack: $(readelf -lW prog | grep GNU_STACK)"
    ./prog > /dev/null
    "$xld" @link.rsp -o prog -z execstack -z noexecstack
    readelf -lW prog | grep GNU_STACK | has ' RW ' || fail "noexecstack"
    "$xld" @link.rsp -o prog -z norelro
    ! readelf -lW prog | has GNU_RELRO || fail "norelro: PT_GNU_RELRO present"
    [ "$(./prog)" = "hello 42 11" ] || fail "norelro: program output"
    "$xld" @link.rsp -o prog -z norelro -z relro -z now -z lazy -znow
    readelf -lW prog | has GNU_RELRO || fail "relro: no PT_GNU_RELRO"
    ./prog > /dev/null
    ;;
  sort-section)
    cat > fns.c <<'C'
#include <stdio.h>
__attribute__((noinline)) int zeta(int x) { return x + 1; }
__attribute__((noinline)) int alpha(int x) { return x * 2; }
__attribute__((noinline)) int mid(int x) { return x - 3; }
__attribute__((section(".data.a1"))) char d_a1 = 1;
__attribute__((section(".data.b64"), aligned(64))) char d_b64 = 2;
__attribute__((section(".data.c8"), aligned(8))) char d_c8 = 3;
int main(void) { printf("%d\n", zeta(1) + alpha(2) + mid(3) + d_a1 + d_b64 + d_c8); return 0; }
C
    gcc -O1 -fno-pie -ffunction-sections -c fns.c -o fns.o
    rsp_for fns.o > fns.rsp
    "$xld" @fns.rsp -o plain
    "$xld" @fns.rsp -o byname --sort-section=name
    "$xld" @fns.rsp -o byalign --sort-section alignment
    for p in plain byname byalign; do [ "$(./$p)" = 12 ] || fail "$p: program output"; done
    a() { echo $((0x$(sym_addr "$1" "$2"))); }
    (( $(a plain zeta) < $(a plain alpha) && $(a plain alpha) < $(a plain mid) )) || fail "input order not kept by default"
    (( $(a byname alpha) < $(a byname mid) && $(a byname mid) < $(a byname zeta) )) || fail "--sort-section=name"
    (( $(a byname d_a1) < $(a byname d_b64) && $(a byname d_b64) < $(a byname d_c8) )) || fail "--sort-section=name (.data)"
    (( $(a byalign d_b64) < $(a byalign d_c8) && $(a byalign d_c8) < $(a byalign d_a1) )) || fail "--sort-section=alignment"
    if "$xld" @fns.rsp -o x --sort-section=size 2> err; then fail "--sort-section=size accepted"; fi
    grep -q "sort-section: unknown rule 'size'" err || fail "message: $(cat err)"
    ;;
  sort-common)
    cat > commons.c <<'C'
#include <stdio.h>
char c1;
short s2;
int i4 __attribute__((aligned(4)));
long l8;
long double ld16;
int main(void) { printf("%d\n", (int)(c1 + s2 + i4 + l8 + ld16)); return 0; }
C
    gcc -O1 -fno-pie -fcommon -c commons.c -o commons.o
    readelf -sW commons.o | has ' COM ' || skip "gcc made no COMMON symbols"
    rsp_for commons.o > commons.rsp
    order() { for s in c1 s2 i4 l8 ld16; do echo "$(sym_addr "$1" $s) $s"; done | sort | awk '{print $2}' | tr '\n' ' '; }
    "$xld" @commons.rsp -o desc --sort-common
    "$xld" @commons.rsp -o asc --sort-common=ascending
    "$xld" @commons.rsp -o plain
    for p in desc asc plain; do [ "$(./$p)" = 0 ] || fail "$p: program output"; done
    [ "$(order desc)" = "ld16 l8 i4 s2 c1 " ] || fail "--sort-common: $(order desc)"
    [ "$(order asc)" = "c1 s2 i4 l8 ld16 " ] || fail "--sort-common=ascending: $(order asc)"
    [ "$(order plain)" = "c1 s2 i4 l8 ld16 " ] || fail "default order: $(order plain)"
    if command -v ld.bfd > /dev/null; then
      ld.bfd @commons.rsp -o bfd-desc --sort-common
      [ "$(order bfd-desc)" = "$(order desc)" ] || fail "GNU ld's order $(order bfd-desc) differs from $(order desc)"
    fi
    ;;
  reproduce)
    # Archives through -L/-l, a linker script, a response file and a path
    # longer than ustar's name fields; the tarball replays the link
    # byte for byte.
    deep=src/$(printf 'directory-level-%02d/' $(seq 1 12))
    mkdir -p "$deep" out
    long=$(printf 'x%.0s' $(seq 1 110))
    cat > "$deep/f1.c" <<'C'
int f1(void) { return 1; }
C
    cat > "$deep/f2.c" <<'C'
int f2(void) { return 2; }
C
    cat > "$deep/unused.c" <<'C'
int unused(void) { return 3; }
C
    (cd "$deep" && gcc -O1 -c f1.c f2.c unused.c && ar rcs libfoo.a f1.o f2.o unused.o)
    cat > user.c <<'C'
#include <stdio.h>
int f1(void); int f2(void); int f3(void);
int main(void) { printf("sum %d\n", f1() + f2() + f3()); return 0; }
C
    echo 'int f3(void) { return 4; }' > f3.c
    gcc -O1 -fno-pie -c user.c f3.c
    cp f3.o "$long.o"
    ar rcs libbar.a "$long.o"
    echo "GROUP ( libbar.a )" > libscript.a
    rsp_for user.o > user.rsp
    printf '%s\n' "-L$deep" -lfoo > extra.rsp
    # The script's GROUP finds libbar.a along -L (GNU ld's rule), which the
    # response file rewrites into the tarball.
    "$xld" @user.rsp @extra.rsp -L. libscript.a --build-id=sha1 -o out/prog --reproduce=out/repro.tar
    [ "$(./out/prog)" = "sum 7" ] || fail "program output: $(./out/prog)"
    tar tf out/repro.tar > list || fail "tar cannot read the tarball"
    for f in repro/response.txt repro/version.txt "repro${PWD}/${deep%/}/libfoo.a" "repro${PWD}/libscript.a" \
             "repro${PWD}/libbar.a" "repro${PWD}/user.o"; do
      grep -qxF "$f" list || fail "$f not in the tarball: $(cat list)"
    done
    awk 'length($0) > 100 {n++} END {exit !n}' list || fail "no path longer than 100 bytes in the test"
    grep -q '^-\|--reproduce' <(grep -- '--reproduce' list) && fail "--reproduce kept"
    mkdir replay && tar xf out/repro.tar -C replay
    ! grep -q -- '--reproduce' replay/repro/response.txt || fail "response.txt keeps --reproduce"
    grep -qx -- "-o" replay/repro/response.txt && grep -qx "prog" replay/repro/response.txt || fail "-o not reduced to its base name"
    grep -q "xld " replay/repro/version.txt || fail "version.txt: $(cat replay/repro/version.txt)"
    # Replay from inside the extracted tree only (the original inputs moved away).
    mv src src.away
    (cd replay/repro && "$xld" @response.txt) || fail "replay failed"
    cmp replay/repro/prog out/prog || fail "replayed output differs"
    [ "$(./replay/repro/prog)" = "sum 7" ] || fail "replayed program output"
    # A member name longer than ustar's name and prefix fields: PAX header.
    mv src.away src
    mkdir -p "$work/$long" && cp user.o "$work/$long/$long.o"
    rsp_for "$work/$long/$long.o" > l2.rsp
    "$xld" @l2.rsp @extra.rsp f3.o -o out/prog2 --reproduce out/r2.tar
    [ "$(./out/prog2)" = "sum 7" ] || fail "prog2 output"
    tar tf out/r2.tar | has -xF "r2${work}/$long/$long.o" || fail "PAX path missing: $(tar tf out/r2.tar | grep xxx)"
    ;;
  archive-stats)
    for n in a b c d; do echo "int fn_$n(void) { return 1; }" > $n.c; done
    gcc -O1 -c a.c b.c c.c d.c
    ar rcs libabc.a a.o b.o c.o
    ar rcs libd.a d.o
    cat > use.c <<'C'
#include <stdio.h>
int fn_a(void); int fn_c(void);
int main(void) { printf("%d\n", fn_a() + fn_c()); return 0; }
C
    gcc -O1 -fno-pie -c use.c
    rsp_for use.o > use.rsp
    "$xld" @use.rsp -L. -labc --whole-archive libd.a --no-whole-archive -o prog --print-archive-stats=stats.txt \
      --why-extract=why.txt
    [ "$(./prog)" = 2 ] || fail "program output"
    [ "$(head -1 stats.txt)" = "$(printf 'members\textracted\tarchive')" ] || fail "header: $(head -1 stats.txt)"
    # Every archive of the link, each with ar's member count and the number
    # of members --why-extract lists for it.
    tail -n +2 stats.txt > rows
    [ "$(wc -l < rows)" -ge 4 ] || fail "too few archives: $(cat stats.txt)"
    while IFS=$'\t' read -r members extracted path; do
      [ "$members" = "$(ar t "$path" | wc -l)" ] || fail "$path: $members members, ar t says $(ar t "$path" | wc -l)"
      why=$(awk -F'\t' -v p="$path" 'index($2, p "(") == 1' why.txt | wc -l)
      [ "$extracted" = "$why" ] || fail "$path: $extracted extracted, --why-extract lists $why"
    done < rows
    grep -qP '^3\t2\t\./libabc\.a$' stats.txt || fail "libabc.a: $(grep libabc stats.txt)"
    grep -qP '^1\t1\tlibd\.a$' stats.txt || fail "libd.a: $(grep libd stats.txt)"
    ;;
  help)
    "$xld" --help > help.txt
    for opt in -Ttext= -Tdata= -Tbss= --section-start= -Ttext-segment --image-base -N, --omagic -n, --nmagic \
               --no-omagic separate-code noseparate-code max-page-size common-page-size execstack norelro \
               --sort-section= --sort-common --reproduce= --print-archive-stats= "one dash or two"; do
      grep -q -- "$opt" help.txt || fail "--help does not list $opt"
    done
    ;;
  aarch64-section-start)
    [ -n "$src" ] || skip "no source directory"
    cc=$src/sysroots/bin/aarch64-linux-gnu-cc
    sysroots=${XLD_SYSROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots}
    [ -d "$sysroots/aarch64-linux-gnu" ] || skip "no aarch64-linux-gnu sysroot in $sysroots"
    command -v qemu-aarch64 > /dev/null || skip "no qemu-aarch64"
    command -v clang > /dev/null || skip "no clang"
    export XLD=$xld
    "$cc" -O1 -static main.c -o prog -Wl,-Ttext=0x800000,--section-start=mysec=0x1000000,-Tdata,0x2000000
    [ "$(qemu-aarch64 ./prog)" = "hello 42 11" ] || fail "program output: $(qemu-aarch64 ./prog)"
    [ "$(sec_addr prog .text)" = 800000 ] || fail ".text at $(sec_addr prog .text)"
    [ "$(sec_addr prog mysec)" = 1000000 ] || fail "mysec at $(sec_addr prog mysec)"
    [ "$(sec_addr prog .data)" = 2000000 ] || fail ".data at $(sec_addr prog .data)"
    loads prog | awk '$NF != "0x10000" {exit 1}' || fail "aarch64 PT_LOAD alignment: $(loads prog)"
    check_loads prog
    "$cc" -O1 -static main.c -o sep -Wl,-z,separate-code
    [ "$(qemu-aarch64 ./sep)" = "hello 42 11" ] || fail "separate-code: program output"
    loads sep | awk "$HEX"'/R E/ {exit !(hex($2) % 65536 == 0 && hex($3) % 65536 == 0)}' ||
      fail "separate-code: RX not on a 64 KiB page: $(loads sep)"
    ;;
  *)
    fail "unknown case"
    ;;
esac
echo "ok ($case_name)"
