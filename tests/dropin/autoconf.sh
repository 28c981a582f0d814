#!/usr/bin/env bash
# What configure scripts do to a compiler whose linker is xld, replayed
# command for command (no autoconf needed):
#   autoconf.sh XLD_BUILD_DIR REPO_DIR CASE COMPILER [WORK_DIR]
# COMPILER: gcc (gcc -B <dir of xld's ld>) or clang (clang -fuse-ld=xld,
# ld.xld on PATH). CASE:
#   gnu-ld      libtool's _LT_PATH_LD_GNU (and gettext's lib-ld.m4): the
#               linker is GNU-compatible when `$LD -v` matches *GNU* or
#               *'with BFD'*; LD as libtool finds it ($CC -print-prog-name=ld
#               for gcc) and as a user sets it (LD=ld.xld)
#   wl-version  `$CC -Wl,--version` succeeds, prints xld's version line and
#               links nothing (GNU ld's --version exits at once)
#   wl-help     `$CC -Wl,--help` lists the options configure scripts grep
#               for (libtool: no-whole-archive; gcc's configure: build-id,
#               sysroot, -pie, --push-state; others: --as-needed, ...)
#   link-tests  AC_PROG_CC's checks (the compiler works, a.out, exeext,
#               running the program), AC_CHECK_FUNC for functions that exist
#               (links) and one that does not (must fail), AC_CHECK_LIB(m,
#               cos), with LDFLAGS="-static-pie" (clang) or "-static" (gcc)
set -euo pipefail
build=$(cd "$1" && pwd)
repo=$(cd "$2" && pwd)
case_name=$3
compiler=$4
test_name=autoconf.$case_name.$compiler
# shellcheck source=tests/dropin/lib.sh
. "$repo/tests/dropin/lib.sh"
fresh_work "${5:-}"
cd "$work"

log=$work/xld.log
make_logging_linker "$work/bin" "$log" "$build"
case $compiler in
  gcc) CC="gcc -B $work/bin"; static=-static ;;
  clang)
    command -v clang > /dev/null || skip "clang is not installed"
    export PATH="$work/bin:$PATH"
    CC="clang -fuse-ld=xld"; static=-static-pie ;;
  *) fail "unknown compiler $compiler" ;;
esac

# libtool.m4's test, verbatim in substance.
is_gnu_ld() {
  case $("$1" -v 2>&1 < /dev/null) in
    *GNU* | *'with BFD'*) return 0 ;;
    *) return 1 ;;
  esac
}

case $case_name in
  gnu-ld)
    is_gnu_ld "$build/ld.xld" || fail "libtool would not take ld.xld for GNU ld: $("$build/ld.xld" -v 2>&1)"
    is_gnu_ld "$build/libexec/xld/ld" || fail "libtool would not take libexec/xld/ld for GNU ld"
    if [ "$compiler" = gcc ]; then
      # libtool: LD=`$CC -print-prog-name=ld`
      LD=$($CC -print-prog-name=ld)
      [ "$LD" = "$work/bin/ld" ] || fail "gcc -B finds $LD as its ld, not xld's"
      is_gnu_ld "$LD" || fail "libtool would not take $LD for GNU ld"
      grep -q '^argv: -v$' "$log" || fail "libtool's probe did not reach xld"
    fi
    # The pattern still agrees with the installed gettext/libtool macros.
    for m4 in /usr/share/aclocal/libtool.m4 /usr/share/aclocal/lib-ld.m4; do
      [ -f "$m4" ] || continue
      grep -Fq "*GNU* | *'with BFD'*)" "$m4" || fail "$m4 no longer tests *GNU* | *'with BFD'*: update this test"
    done
    ;;
  wl-version)
    out=$($CC -Wl,--version 2> err) || fail "$CC -Wl,--version failed: $(cat err)"
    grep -q '^xld .*compatible with GNU linkers' <<< "$out" || fail "$CC -Wl,--version printed: $out"
    [ ! -e a.out ] || fail "$CC -Wl,--version wrote a.out"
    grep -q -- '--version' "$log" || fail "the driver did not run xld"
    # -v, by contrast, prints the version and links on (as GNU ld).
    printf 'int main(void) { return 0; }\n' > v.c
    out=$($CC $static -Wl,-v v.c -o v 2> err) || fail "$CC -Wl,-v v.c failed: $(cat err)"
    grep -q '^xld ' <<< "$out" || fail "-Wl,-v printed no version: $out"
    assert_linked_by_xld "$log" v
    ;;
  wl-help)
    $CC -Wl,--help > help.txt 2> err || fail "$CC -Wl,--help failed: $(cat err)"
    for opt in no-whole-archive --whole-archive --build-id --sysroot -pie --push-state --as-needed \
               --gc-sections --eh-frame-hdr --hash-style -static-pie --start-group; do
      grep -q -e "$opt" help.txt || fail "$CC -Wl,--help does not list $opt"
    done
    [ ! -e a.out ] || fail "$CC -Wl,--help wrote a.out"
    ;;
  link-tests)
    LDFLAGS=$static
    CFLAGS="-O2"
    # "checking whether the C compiler works": a.out from conftest.c.
    cat > conftest.c <<'C'
int
main (void)
{

  ;
  return 0;
}
C
    $CC $CFLAGS $LDFLAGS conftest.c > conftest.log 2>&1 || fail "the C compiler does not work: $(cat conftest.log)"
    [ -f a.out ] || fail "no a.out"
    assert_linked_by_xld "$log" a.out
    rm -f a.out
    # "checking for suffix of executables" and "whether we are cross compiling".
    cat > conftest.c <<'C'
#include <stdio.h>
int
main (void)
{
FILE *f = fopen ("conftest.out", "w");
 return ferror (f) || fclose (f) != 0;

  ;
  return 0;
}
C
    $CC -o conftest $CFLAGS $LDFLAGS conftest.c > conftest.log 2>&1 || fail "link: $(cat conftest.log)"
    assert_linked_by_xld "$log" conftest
    ./conftest || fail "configure would think it is cross compiling: conftest exited with $?"
    [ -f conftest.out ] || fail "conftest did not write conftest.out"
    if [ "$compiler" = clang ]; then assert_static_pie conftest; else assert_static conftest; fi
    # AC_CHECK_FUNC.
    check_func() {
      cat > conftest.c <<C
#define $1 innocuous_$1
#include <limits.h>
#undef $1
char $1 ();
#if defined __stub_$1 || defined __stub___$1
choke me
#endif
int
main (void)
{
return $1 ();
  ;
  return 0;
}
C
      rm -f conftest
      # shellcheck disable=SC2086 # $2: extra libraries, or nothing
      $CC -o conftest $CFLAGS $LDFLAGS conftest.c ${2:-} > conftest.log 2>&1 && [ -s conftest ] && [ -x conftest ]
    }
    for f in pthread_create clock_gettime memfd_create qsort_r getrandom; do
      check_func $f || fail "AC_CHECK_FUNC($f) would say no: $(cat conftest.log)"
      assert_linked_by_xld "$log" conftest
    done
    if check_func xld_dropin_no_such_function; then fail "AC_CHECK_FUNC of a missing function linked"; fi
    grep -q "undefined symbol: xld_dropin_no_such_function" conftest.log ||
      fail "the missing function's link failed without naming it: $(cat conftest.log)"
    [ ! -e conftest ] || fail "a failed link left conftest behind"
    # AC_CHECK_LIB(m, cos).
    check_func cos -lm || fail "AC_CHECK_LIB(m, cos) would say no: $(cat conftest.log)"
    assert_linked_by_xld "$log" conftest
    ;;
  *) fail "unknown case $case_name" ;;
esac
echo "ok: $test_name"
