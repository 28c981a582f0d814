#!/usr/bin/env bash
# Robustness at the limits: inputs by the hundred thousand, inputs xld may
# not read or gets twice, relocations that cannot reach (x86-64 and
# aarch64, by a .bss of several GiB), an output larger than 4 GiB, and one
# that does not fit on its file system.
# One case per invocation:
#   robust.sh XLD CASE SOURCE_DIR
set -euo pipefail
xld=$(realpath "$1")
case_name=$2
src=${3:-$(dirname "$0")/../..}
src=$(realpath "$src")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL ($case_name): $*" >&2; exit 1; }
skip() { echo "SKIP ($case_name): $*" >&2; exit 77; }

# Runs xld, which must fail with exit status 1, an error containing every
# one of the given strings, and no output file. Usage:
#   must_fail "want1|want2|..." xld-arguments... (the output is prog)
must_fail() {
  local wants=$1 rc=0
  shift
  timeout 300 "$xld" "$@" -o prog > err 2>&1 || rc=$?
  [ $rc = 1 ] || fail "xld $*: exit status $rc, want 1 ($(head -c 600 err))"
  local IFS='|'
  for w in $wants; do grep -qF -- "$w" err || fail "xld $*: no '$w' in: $(head -c 600 err)"; done
  [ ! -e prog ] || fail "xld $*: an output file was left behind"
  if ls .prog.xld-* > /dev/null 2>&1; then fail "xld $*: a temporary file was left behind"; fi
}

# A freestanding _start: exits with main's value.
start_c='int main(void);
void _start(void) {
  long rc = main();
#if defined(__x86_64__)
  __asm__ volatile("mov %0, %%rdi\n mov $60, %%eax\n syscall" : : "r"(rc) : "rdi", "rax");
#else
  register long x0 __asm__("x0") = rc;
  register long x8 __asm__("x8") = 93;
  __asm__ volatile("svc 0" : : "r"(x0), "r"(x8));
#endif
  __builtin_unreachable();
}'

case $case_name in
  many-inputs)
    # 100 000 input objects, each defining one function f<N> that returns N,
    # linked with only 64 file descriptors allowed (xld must not hold one
    # per input) and past the kernel's default limit of 65530 mappings per
    # process (vm.max_map_count: xld must not map every input). The program
    # calls three of them.
    command -v as > /dev/null || skip "no assembler"
    printf '  .text\n  .globl f00000\n  .type f00000,@function\nf00000:\n  mov $0x12345678, %%eax\n  ret\n  .size f00000, .-f00000\n  .section .note.GNU-stack,"",@progbits\n' > f.s
    as f.s -o f.o
    python3 - <<'PY'
import os
t = open('f.o', 'rb').read()
assert t.count(b'f00000') == 1 and t.count(b'\x78\x56\x34\x12') == 1
os.mkdir('o')
with open('inputs.rsp', 'w') as rsp:
    for i in range(100000):
        open('o/%05d.o' % i, 'wb').write(t.replace(b'f00000', b'f%05d' % i).replace(b'\x78\x56\x34\x12', i.to_bytes(4, 'little')))
        rsp.write('o/%05d.o\n' % i)
PY
    printf 'int f00007(void), f54321(void), f99999(void);\nint main(void) { return f00007() + f54321() + f99999() == 154327 ? 42 : 1; }\n' > main.c
    echo "$start_c" > start.c
    gcc -O1 -fno-pie -ffreestanding -c main.c start.c
    (
      ulimit -n 64
      "$xld" -static -o prog start.o main.o @inputs.rsp
    ) || fail "link of 100 000 inputs under ulimit -n 64"
    rc=0; ./prog || rc=$?
    [ $rc = 42 ] || fail "program exit status $rc, want 42"
    nm prog > syms.txt
    [ "$(grep -c ' T f[0-9]' syms.txt)" = 100000 ] || fail "the output does not define all 100 000 functions"
    ;;
  unreadable-and-twice)
    printf 'int helper(void) { return 40; }\n' > lib.c
    printf 'int helper(void);\nint main(void) { return helper() + 2; }\n' > main.c
    echo "$start_c" > start.c
    gcc -O1 -fno-pie -ffreestanding -c lib.c main.c start.c
    ar rcs libh.a lib.o
    # An input that cannot be read. Root reads whatever the mode says, so
    # as root xld runs as nobody (setpriv), for whom mode 000 means no.
    cp lib.o unreadable.o
    chmod 000 unreadable.o
    run=()
    if [ "$(id -u)" = 0 ]; then
      command -v setpriv > /dev/null || skip "root without setpriv: cannot make a file unreadable"
      chmod 755 "$work"
      run=(setpriv --reuid=65534 --regid=65534 --clear-groups)
      cp "$xld" xld.copy && chmod 755 xld.copy  # the build tree may not be searchable by nobody
      chmod 777 "$work"
      xldrun=("${run[@]}" ./xld.copy)
    else
      xldrun=("$xld")
    fi
    rc=0
    "${xldrun[@]}" -static start.o main.o unreadable.o -o prog > err 2>&1 || rc=$?
    [ $rc = 1 ] || fail "unreadable input: exit status $rc, want 1 ($(head -3 err))"
    grep -qF "xld: error: cannot open unreadable.o: Permission denied" err || fail "unreadable input: $(head -3 err)"
    [ ! -e prog ] || fail "unreadable input: an output was written"
    # The same object twice: its symbols are defined twice (as GNU ld says).
    must_fail "xld: error: duplicate symbol: helper|>>> defined at lib.o:(.text" -static start.o main.o lib.o lib.o
    # The same archive twice, and an object that is also in an archive
    # given after it: both link (nothing is loaded twice).
    "$xld" -static -o prog start.o main.o libh.a libh.a
    rc=0; ./prog || rc=$?; [ $rc = 42 ] || fail "archive given twice: exit status $rc"
    rm -f prog
    "$xld" -static -o prog start.o main.o lib.o libh.a
    rc=0; ./prog || rc=$?; [ $rc = 42 ] || fail "object then its archive: exit status $rc"
    rm -f prog
    # The same file by two paths (a symbolic link): still the same object twice.
    ln -s lib.o alias.o
    must_fail "xld: error: duplicate symbol: helper" -static start.o main.o lib.o alias.o
    ;;
  x86-64-bss-overflow)
    # -mcmodel=small code reaches its data through 32-bit PC-relative
    # fields. A 3 GiB .bss array between the code and a variable puts that
    # variable out of reach: an error naming R_X86_64_PC32, the symbol and
    # the place, never a truncated value. With -mcmodel=large the same
    # program links and runs.
    printf 'char big[3UL << 30];\n' > big.c
    printf 'char tail[16];\n' > tail.c
    printf 'extern char big[], tail[];\nint main(void) { big[(3UL << 30) - 1] = 2; tail[3] = 40; return big[(3UL << 30) - 1] + tail[3]; }\n' > main.c
    echo "$start_c" > start.c
    for m in small large; do
      for f in big tail main start; do gcc -O1 -fno-pie -ffreestanding -mcmodel=$m -c $f.c -o $f-$m.o; done
    done
    must_fail "xld: error: main-small.o:(.text|in function main: relocation R_X86_64_PC32 out of range|references 'tail'|>>> defined in tail-small.o" \
      -static start-small.o main-small.o big-small.o tail-small.o
    "$xld" -static -o prog start-large.o main-large.o big-large.o tail-large.o
    rc=0; ./prog || rc=$?
    [ $rc = 42 ] || fail "-mcmodel=large program: exit status $rc, want 42"
    ;;
  aarch64-bss-overflow)
    # ADRP reaches +-4 GiB: a .bss of 5 GiB between the code and a variable
    # is an R_AARCH64_ADR_PREL_PG_HI21 overflow. With -mcmodel=large
    # (absolute MOVZ/MOVK sequences) the program links, and runs under
    # qemu-aarch64 where there is memory for its 5 GiB .bss.
    cc=$src/sysroots/bin/aarch64-linux-gnu-cc
    sysroot=${XLD_SYSROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots}/aarch64-linux-gnu
    command -v clang > /dev/null && [ -d "$sysroot" ] || skip "no clang or no aarch64-linux-gnu sysroot (bash sysroots/build-all.sh)"
    printf 'char big[5UL << 30];\n' > big.c
    printf 'char tail[16];\n' > tail.c
    printf 'extern char big[], tail[];\nint main(void) { big[(5UL << 30) - 1] = 2; tail[3] = 40; return big[(5UL << 30) - 1] + tail[3]; }\n' > main.c
    echo "$start_c" > start.c
    for m in small large; do
      for f in big tail main start; do XLD=$xld "$cc" -O1 -fno-pic -ffreestanding -mcmodel=$m -c $f.c -o $f-$m.o 2> /dev/null; done
    done
    must_fail "xld: error: main-small.o:(.text|in function main: relocation R_AARCH64_ADR_PREL_PG_HI21 out of range|references 'tail'|>>> defined in tail-small.o" \
      -static start-small.o main-small.o big-small.o tail-small.o
    "$xld" -static -o prog start-large.o main-large.o big-large.o tail-large.o
    readelf -lW prog > phdrs.txt
    grep -q "LOAD.* 0x1400000[0-9a-f][0-9a-f] RW" phdrs.txt || fail "no 5 GiB RW segment: $(cat phdrs.txt)"
    if command -v qemu-aarch64 > /dev/null && [ "$(awk '/MemAvailable/ {print $2}' /proc/meminfo)" -gt $((8 << 20)) ]; then
      rc=0; qemu-aarch64 ./prog || rc=$?
      [ $rc = 42 ] || fail "-mcmodel=large program under qemu-aarch64: exit status $rc, want 42"
    else
      echo "(no qemu-aarch64 or under 8 GiB of memory available: linked, not run)"
    fi
    ;;
  diagnostic-order)
    # What a failed link prints does not depend on the thread count: the
    # threads of a parallel pass hold their messages back and they are
    # printed in input order. 48 functions in 48 objects each reach a
    # variable past a 3 GiB .bss (an overflow apiece, found while the
    # output is written in parallel), and 6 truncated objects (found
    # while inputs are read in parallel).
    printf 'char big[3UL << 30];\n' > big.c
    printf 'char tail[16];\n' > tail.c
    echo "$start_c" > start.c
    printf 'int main(void) { return 0; }\n' > main.c
    objs=()
    for i in $(seq 1 48); do
      printf 'extern char tail[];\nint use%d(void) { return tail[%d]; }\n' "$i" "$i" > use$i.c
      objs+=(use$i.o)
    done
    for f in big tail start main "${objs[@]%.o}"; do gcc -O1 -fno-pie -ffreestanding -mcmodel=small -c $f.c -o $f.o; done
    for i in 1 2 3 4 5 6; do head -c $((100 * i)) use$i.o > cut$i.o; done
    for limit in 0 20; do
      for t in 1 2 3 8; do
        rc=0
        "$xld" -static --threads=$t --error-limit=$limit -o prog start.o main.o big.o tail.o "${objs[@]}" \
          > /dev/null 2> overflow-$limit-$t.txt || rc=$?
        [ $rc = 1 ] || fail "overflow link at --threads=$t: exit status $rc"
        rc=0
        "$xld" -static --threads=$t --error-limit=$limit -o prog start.o cut1.o cut2.o cut3.o cut4.o cut5.o cut6.o \
          > /dev/null 2> corrupt-$limit-$t.txt || rc=$?
        [ $rc = 1 ] || fail "corrupt inputs at --threads=$t: exit status $rc"
      done
      n=$(grep -c "relocation R_X86_64_PC32 out of range" overflow-$limit-1.txt || true)
      if [ $limit = 0 ]; then
        [ "$n" = 48 ] || fail "--error-limit=0: $n overflow errors, want 48: $(head -c 400 overflow-0-1.txt)"
      else
        [ "$n" = 20 ] || fail "--error-limit=20: $n overflow errors, want 20"
        grep -q "too many errors emitted" overflow-20-1.txt || fail "no 'too many errors' line"
      fi
      [ "$(grep -c "xld: error: cut" corrupt-$limit-1.txt)" = 6 ] || fail "corrupt inputs: $(head -c 400 corrupt-$limit-1.txt)"
      for t in 2 3 8; do
        cmp -s overflow-$limit-1.txt overflow-$limit-$t.txt ||
          fail "overflow errors differ between --threads=1 and $t (--error-limit=$limit): $(diff overflow-$limit-1.txt overflow-$limit-$t.txt | head -5)"
        cmp -s corrupt-$limit-1.txt corrupt-$limit-$t.txt ||
          fail "corrupt-input errors differ between --threads=1 and $t: $(diff corrupt-$limit-1.txt corrupt-$limit-$t.txt | head -5)"
      done
    done
    # In input order: use1.o's error before use2.o's, and so on.
    grep -o "use[0-9]*\.o:(.text" overflow-0-1.txt | sed 's/use\([0-9]*\).*/\1/' > order.txt
    seq 1 48 | cmp -s - order.txt || fail "overflow errors not in input order: $(tr '\n' ' ' < order.txt)"
    ;;
  disk-full)
    # An output that does not fit on its file system: an error naming the
    # output and the cause, exit status 1 and nothing left behind, however
    # the output is written. A 2 MiB tmpfs, a 6 MiB program.
    mkdir small
    mount -t tmpfs -o size=2m xld-disk-full small 2> /dev/null || skip "cannot mount a tmpfs here"
    trap 'umount "$work/small"; rm -rf "$work"' EXIT
    printf '  .data\n  .globl blob\nblob:\n  .fill %d, 1, 0x11\n  .section .note.GNU-stack,"",@progbits\n' $((6 << 20)) > data.s
    printf 'extern char blob[];\nint main(void) { return blob[12345]; }\n' > main.c
    echo "$start_c" > start.c
    gcc -O1 -fno-pie -ffreestanding -c main.c start.c
    as data.s -o data.o
    cd small
    for opt in "" --mmap-output-file --no-mmap-output-file; do
      must_fail "xld: error: cannot write prog: No space left on device" -static ../start.o ../main.o ../data.o $opt
    done
    cd ..
    ;;
  huge-output)
    # A program whose file is larger than 4 GiB: 4.25 GiB of initialised
    # .data (one input section) and a 4.5 GiB .bss, all reached through
    # 64-bit addresses (-mcmodel=large). Values deep inside both are
    # checked by the program; the output is written in pieces (the
    # default: the one large section through a mapping of its range),
    # through a mapping of the file, and whole from memory, with the same
    # bytes each way.
    avail=$(df -Pk . | awk 'NR == 2 {print $4}')
    [ "$avail" -gt $((14 << 20)) ] || skip "needs 14 GiB free in $work, has $((avail >> 20)) GiB"
    mem=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
    [ "$mem" -gt $((10 << 20)) ] || skip "needs 10 GiB of available memory"
    N=$((0x110000000))  # 4.25 GiB
    cat > data.s <<S
      .data
      .globl data_big
      .p2align 12
data_big:
      .byte 0x5a
      .fill $((N - 2)), 1, 0x11
      .byte 0xa5
      .globl data_after
data_after:
      .quad 0x0123456789abcdef
      .bss
      .globl bss_big
      .p2align 12
bss_big:
      .zero $((0x120000000))
      .section .note.GNU-stack,"",@progbits
S
    cat > main.c <<C
extern unsigned char data_big[], bss_big[];
extern unsigned long data_after;
int main(void) {
  if (data_big[0] != 0x5a || data_big[$N - 1] != 0xa5) return 1;
  if (data_big[1] != 0x11 || data_big[0x100000123] != 0x11 || data_big[0xfffffffe] != 0x11) return 2;
  if (data_after != 0x0123456789abcdef) return 3;
  if (bss_big[0x11fffffff] != 0 || bss_big[0x100000000] != 0) return 4;
  bss_big[0x11fffffff] = 7;
  return bss_big[0x11fffffff] == 7 ? 42 : 5;
}
C
    echo "$start_c" > start.c
    gcc -O1 -fno-pie -ffreestanding -mcmodel=large -c main.c start.c
    as data.s -o data.o
    for how in pieces mmap no-mmap; do
      opt=(); [ $how = pieces ] || opt=(--$how-output-file)
      rm -f prog
      "$xld" -static --build-id -o prog start.o main.o data.o "${opt[@]}" || fail "$how: link"
      size=$(stat -c %s prog)
      [ "$size" -gt "$N" ] || fail "$how: output is $size bytes, not over 4.25 GiB"
      rc=0; ./prog || rc=$?
      [ $rc = 42 ] || fail "$how: program exit status $rc, want 42"
      readelf -nW prog | sed -n 's/.*Build ID: //p' > id.$how
      [ -s id.$how ] || fail "$how: no build-id"
      sha1sum < prog > sum.$how
    done
    cmp sum.pieces sum.mmap || fail "--mmap-output-file gives other bytes"
    cmp sum.pieces sum.no-mmap || fail "--no-mmap-output-file gives other bytes"
    # The output file's layout: .data's file size and offset past 4 GiB
    # where they should be.
    readelf -SW prog > sections.txt
    awk '{sub(/^ *\[ *[0-9]+\] */, "")} $1 == ".data" {print $5}' sections.txt > data-size.txt
    [ $((0x$(cat data-size.txt))) -ge $N ] || fail ".data size $(cat data-size.txt)"
    rm -f prog data.o
    ;;
  *) fail "unknown case" ;;
esac
echo "PASS ($case_name)"
