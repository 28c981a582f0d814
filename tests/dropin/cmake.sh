#!/usr/bin/env bash
# CMake configures and builds tests/dropin/cmake (a static library and an
# executable) with xld as the linker, chosen only by the flags a user passes:
#   cmake.sh XLD_BUILD_DIR REPO_DIR VARIANT [WORK_DIR]
# VARIANT
#   clang  CC=clang, CMAKE_EXE_LINKER_FLAGS="-fuse-ld=xld -static-pie"
#   gcc    CC=gcc,   CMAKE_EXE_LINKER_FLAGS="-B <dir of xld's ld> -static"
# Checks: configure succeeds (CMake's own compiler test links with xld),
# the program is the file xld wrote, static-pie/static without PT_INTERP,
# and prints expected.txt.
set -euo pipefail
build=$(cd "$1" && pwd)
repo=$(cd "$2" && pwd)
variant=$3
test_name=cmake.$variant
# shellcheck source=tests/dropin/lib.sh
. "$repo/tests/dropin/lib.sh"
fresh_work "${4:-}"
command -v cmake > /dev/null || skip "cmake is not installed"

log=$work/xld.log
make_logging_linker "$work/bin" "$log" "$build"
case $variant in
  clang)
    command -v clang > /dev/null || skip "clang is not installed"
    cc=clang
    # clang looks ld.xld up on PATH: the logging one, which runs build/ld.xld.
    export PATH="$work/bin:$PATH"
    ldflags="-fuse-ld=xld -static-pie" ;;
  gcc)
    cc=gcc
    # gcc runs the `ld` in the -B folder: the logging one, which runs
    # build/libexec/xld/ld (what users name with -B).
    ldflags="-B $work/bin -static" ;;
  *) fail "unknown variant $variant" ;;
esac

unset CFLAGS LDFLAGS CMAKE_GENERATOR CMAKE_BUILD_PARALLEL_LEVEL
if ! CC=$cc cmake -S "$repo/tests/dropin/cmake" -B "$work/b" -G "Unix Makefiles" \
     -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXE_LINKER_FLAGS="$ldflags" > "$work/configure.out" 2>&1; then
  cat "$work/configure.out" >&2
  [ -f "$work/b/CMakeFiles/CMakeError.log" ] && tail -50 "$work/b/CMakeFiles/CMakeError.log" >&2
  fail "cmake configure failed"
fi
grep -q '^output: .*cmTC_' "$log" || fail "CMake's compiler check did not link with xld (log: $log)"
if ! cmake --build "$work/b" -j2 -- VERBOSE=1 > "$work/build.out" 2>&1; then
  cat "$work/build.out" >&2
  fail "cmake --build failed"
fi
prog=$work/b/shapes_demo
assert_linked_by_xld "$log" "$prog"
grep -q 'libshapes\.a' <<< "$(grep '^argv:' "$log" | tail -1)" || fail "libshapes.a is not on xld's last command line"
if [ "$variant" = clang ]; then assert_static_pie "$prog"; else assert_static "$prog"; fi
"$prog" > "$work/out.txt" || fail "shapes_demo exited with $?"
diff -u "$repo/tests/dropin/cmake/expected.txt" "$work/out.txt" >&2 || fail "shapes_demo's output differs (above)"
echo "ok: cmake.$variant"
