#!/usr/bin/env bash
# Cargo builds a std-only workspace (tests/dropin/cargo: a library crate and
# a binary crate using it) with xld as the linker, configured the way a user
# does it, in .cargo/config.toml:
#   cargo.sh XLD_BUILD_DIR REPO_DIR VARIANT [WORK_DIR]
# VARIANT
#   clang         linker = "clang", -C link-arg=-fuse-ld=xld, +crt-static:
#                 a static-pie program
#   clang-static  the same with -C relocation-model=static: ET_EXEC
#   clang-debug   as clang, in the dev profile (unoptimised, full debug
#                 info): the backtrace must show file:line read from the
#                 program's own DWARF
#   cc-wrapper    linker = "<repo>/sysroots/bin/x86_64-linux-gnu-cc" (clang
#                 with xld's sysroot and --ld-path=$XLD), +crt-static
#   debian-rustc  as clang, with Debian's cargo and rustc (/usr/bin)
# The toolchain is rustup's (~/.cargo/bin) when present, else Debian's
# `cargo` package; neither: exit 77. The program must be a file xld wrote,
# static(-pie) with no PT_INTERP, print tests/dropin/cargo/expected.txt,
# unwind (catch_unwind, drops during unwinding, a backtrace), and with the
# argument `panic` die of a real panic: status 101 and the message.
set -euo pipefail
build=$(cd "$1" && pwd)
repo=$(cd "$2" && pwd)
variant=$3
test_name=cargo.$variant
# shellcheck source=tests/dropin/lib.sh
. "$repo/tests/dropin/lib.sh"
fresh_work "${4:-}"

[ "$(uname -m)" = x86_64 ] || skip "the Cargo tests build for x86_64-unknown-linux-gnu on an x86-64 host"
command -v clang > /dev/null || skip "clang is not installed"

# The toolchain.
if [ "$variant" = debian-rustc ]; then
  if [ ! -x /usr/bin/cargo ] || [ ! -x /usr/bin/rustc ]; then
    skip "Debian's cargo and rustc are not installed (apt-get install cargo)"
  fi
  cargo=/usr/bin/cargo
  export RUSTC=/usr/bin/rustc
  toolpath=/usr/bin
else
  cargo=
  for c in "$HOME/.cargo/bin/cargo" /root/.cargo/bin/cargo; do
    if [ -x "$c" ]; then cargo=$c; break; fi
  done
  [ -n "$cargo" ] || cargo=$(command -v cargo || true)
  [ -n "$cargo" ] || skip "no cargo: install rustup's toolchain or Debian's cargo package (apt-get install cargo)"
  toolpath=$(dirname "$cargo")
fi
# Nothing from the caller's environment steers the build.
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER CARGO_BUILD_TARGET \
  CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS \
  CARGO_BUILD_RUSTFLAGS XLD
export CARGO_HOME=$work/cargo-home CARGO_TARGET_DIR=$work/target CARGO_TERM_COLOR=never
"$cargo" --version > "$work/toolchain.txt" 2>&1 || skip "$cargo does not run: $(cat "$work/toolchain.txt")"
"${RUSTC:-$toolpath/rustc}" --version >> "$work/toolchain.txt" 2>&1 || true

# The linker, logged: clang finds ld.xld on PATH; the wrapper takes $XLD.
log=$work/xld.log
make_logging_linker "$work/bin" "$log" "$build"
export PATH="$work/bin:$toolpath:$PATH"

cp -r "$repo/tests/dropin/cargo" "$work/src"
rm -rf "$work/src/target" "$work/src/Cargo.lock"
mkdir -p "$work/src/.cargo"
triple=x86_64-unknown-linux-gnu
case $variant in
  clang|clang-debug|debian-rustc)
    linker=clang
    rustflags='"-C", "link-arg=-fuse-ld=xld", "-C", "target-feature=+crt-static"' ;;
  clang-static)
    linker=clang
    rustflags='"-C", "link-arg=-fuse-ld=xld", "-C", "target-feature=+crt-static", "-C", "relocation-model=static"' ;;
  cc-wrapper)
    linker=$repo/sysroots/bin/x86_64-linux-gnu-cc
    sysroot=${XLD_SYSROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots}/x86_64-linux-gnu
    [ -d "$sysroot" ] || skip "no sysroot at $sysroot; build it with: bash sysroots/build-all.sh"
    export XLD=$work/bin/xld
    rustflags='"-C", "target-feature=+crt-static"' ;;
  *) fail "unknown variant $variant" ;;
esac
cat > "$work/src/.cargo/config.toml" <<TOML
[target.$triple]
linker = "$linker"
rustflags = [$rustflags]
TOML

cd "$work/src"
profile=release
[ "$variant" = clang-debug ] && profile=debug
release_flag=--release
[ "$profile" = debug ] && release_flag=
# shellcheck disable=SC2086 # release_flag is one word or none
if ! "$cargo" build $release_flag --offline --target "$triple" > "$work/cargo.out" 2>&1; then
  cat "$work/cargo.out" >&2
  fail "cargo build failed (toolchain: $(tr '\n' ' ' < "$work/toolchain.txt"); xld's log: $log)"
fi
app=$CARGO_TARGET_DIR/$triple/$profile/app
assert_linked_by_xld "$log" "$app"
# The rlibs were on xld's command line, and they are archives with a
# member that is not ELF (lib.rmeta).
link_line=$(grep '^argv:.* -o [^ ]*/deps/app-' "$log" | tail -1)
[ -n "$link_line" ] || fail "xld's log has no link of app"
greet_rlib=$(tr ' ' '\n' <<< "$link_line" | grep '/libgreet-[^/]*\.rlib$' || true)
greet_rlib=${greet_rlib%%$'\n'*}
[ -n "$greet_rlib" ] || fail "libgreet's rlib is not on xld's command line: $link_line"
grep -q '/libstd-[^/]*\.rlib$' <<< "$(tr ' ' '\n' <<< "$link_line")" || fail "libstd's rlib is not on xld's command line"
members=$(ar t "$greet_rlib")
grep -qx 'lib.rmeta' <<< "$members" || fail "$greet_rlib has no lib.rmeta member: $(tr '\n' ' ' <<< "$members")"

if [ "$variant" = clang-static ]; then assert_static "$app"; else assert_static_pie "$app"; fi

# What it prints.
RUST_BACKTRACE=0 "$app" > "$work/out.txt" 2> "$work/err.txt" || fail "app exited with $? (stderr: $(cat "$work/err.txt"))"
diff -u "$repo/tests/dropin/cargo/expected.txt" "$work/out.txt" >&2 || fail "app's output differs (above)"

# A real panic: status 101 and the message on stderr.
rc=0
RUST_BACKTRACE=0 "$app" panic > "$work/panic.out" 2> "$work/panic.err" || rc=$?
[ "$rc" = 101 ] || fail "app panic exited with $rc, not 101 (stderr: $(cat "$work/panic.err"))"
grep -q "greet::boom called with a real panic" "$work/panic.err" || fail "no panic message: $(cat "$work/panic.err")"
grep -q "panicked at" "$work/panic.err" || fail "no 'panicked at': $(cat "$work/panic.err")"
[ ! -s "$work/panic.out" ] || fail "app panic printed to stdout: $(cat "$work/panic.out")"

# The backtrace walks .eh_frame through the binary's own frames, named from
# its symbol table.
rc=0
RUST_BACKTRACE=1 "$app" panic > /dev/null 2> "$work/backtrace.err" || rc=$?
[ "$rc" = 101 ] || fail "app panic with RUST_BACKTRACE=1 exited with $rc"
grep -Eq '^ *[0-9]+: +app::main' "$work/backtrace.err" || fail "the backtrace has no app::main frame: $(cat "$work/backtrace.err")"
if [ "$variant" = clang-debug ]; then
  grep -q '\.debug_line' <<< "$(readelf -SW "$app")" || fail "the debug build has no .debug_line"
  grep -Eq '^ +at .*app/src/main\.rs:[0-9]+' "$work/backtrace.err" ||
    fail "the backtrace has no file:line from DWARF for app::main: $(cat "$work/backtrace.err")"
fi
echo "ok: cargo.$variant ($(tr '\n' ' ' < "$work/toolchain.txt"))"
