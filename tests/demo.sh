#!/usr/bin/env bash
# The main job: installs dependencies, builds xld, assembles sysroots for
# aarch64 and x86-64 (glibc and musl) from Debian's packages, cross-links
# programs with xld for both architectures (static, static-pie and
# dynamically linked), runs them (aarch64 under qemu-aarch64) and shows
# their output; on the host also a shared library and its user.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/tests/install-deps.sh"
build=${XLD_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target xld
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/hello.c" <<'C'
#include <stdio.h>
int main(void) { printf("hello from a program linked by xld (%s)\n", HELLO_LIBC); return 0; }
C
cat > "$work/hello.cc" <<'CXX'
#include <iostream>
#include <stdexcept>
static int check(int v) { if (v > 1) throw std::runtime_error("thrown and caught across frames"); return v; }
int main() {
  try { check(2); } catch (const std::exception &e) { std::cout << "C++ exception: " << e.what() << "\n"; }
  return 0;
}
CXX
# "ELF 64-bit LSB pie executable, x86-64, dynamically linked": what file(1) says
# of it, cut to the type, the machine and how it is linked.
kind() {
  local f
  f=$(file -b "$1")
  echo "$(cut -d, -f1-2 <<< "$f"), $(sed -n 's/.*\(static-pie linked\|statically linked\|dynamically linked\).*/\1/p' <<< "$f")"
}
run() {  # name, then the command that builds it
  local out=$1; shift
  "$@" -o "$work/$out"
  printf '%-28s %s\n' "$out:" "$(kind "$work/$out")"
  "$work/$out" | sed 's/^/    /'
}
echo "xld: $("$build/xld" --version)"
run hello-glibc-static gcc -B "$build/libexec/xld" -static -DHELLO_LIBC='"glibc, static"' "$work/hello.c"
run hello-glibc-static-pie gcc -B "$build/libexec/xld" -static-pie -DHELLO_LIBC='"glibc, static-pie"' "$work/hello.c"
run hello-musl-static musl-gcc -B "$build/libexec/xld" -static -DHELLO_LIBC='"musl, static"' "$work/hello.c"
PATH="$build:$PATH" run hello-clang-static-pie clang -fuse-ld=xld -static-pie -DHELLO_LIBC='"glibc, clang, static-pie"' "$work/hello.c"
run cxx-static g++ -B "$build/libexec/xld" -static "$work/hello.cc"
PATH="$build:$PATH" run cxx-clang-static-pie clang++ -fuse-ld=xld -static-pie "$work/hello.cc"
run hello-glibc-dynamic gcc -B "$build/libexec/xld" -DHELLO_LIBC='"glibc, dynamically linked"' "$work/hello.c"
# A shared library built by xld, and a program built by xld that uses it.
cat > "$work/greet.c" <<'C'
#include <stdio.h>
void greet(const char *who) { printf("hello %s, from a shared library linked by xld\n", who); }
C
gcc -B "$build/libexec/xld" -fPIC -shared -Wl,-soname,libgreet.so "$work/greet.c" -o "$work/libgreet.so"
echo 'void greet(const char *); int main(void) { greet("main"); return 0; }' > "$work/main.c"
run uses-libgreet gcc -B "$build/libexec/xld" "$work/main.c" -L"$work" -lgreet -Wl,-rpath,"$work"

# Cross-links: clang compiles for the target; xld links against a sysroot
# (the wrappers in sysroots/bin pass --target, --sysroot and --ld-path).
bash "$root/sysroots/build-all.sh" >/dev/null
cross() {  # target, mode, source
  local target=$1 mode=$2 src=$3 out=cross-$1-$2
  local cc=$root/sysroots/bin/$target-cc; [[ $src == *.cc ]] && cc=$root/sysroots/bin/$target-c++ && out=$out-cxx
  XLD=$build/xld "$cc" "-$mode" -DHELLO_LIBC="\"$target, $mode\"" "$src" -o "$work/$out"
  printf '%-40s %s\n' "$out:" "$(kind "$work/$out")"
  # Dynamically linked aarch64 programs find their loader and libraries in the sysroot.
  local sysroot=${XLD_SYSROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots}/$target
  case $target in
    aarch64-*) qemu-aarch64 -L "$sysroot" "$work/$out" | sed 's/^/    /' ;;
    *) "$work/$out" | sed 's/^/    /' ;;
  esac
}
for mode in static static-pie pie; do
  for target in aarch64-linux-gnu aarch64-linux-musl x86_64-linux-gnu x86_64-linux-musl; do
    cross $target $mode "$work/hello.c"
    cross $target $mode "$work/hello.cc"
  done
done
echo "all programs linked by xld ran."
