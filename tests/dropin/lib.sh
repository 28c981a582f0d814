# shellcheck shell=bash
# Shared by the drop-in tests (sourced): the work folder, failure reports,
# and a logging stand-in for xld that proves which linker made a file.
#
# make_logging_linker DIR LOG XLD_BUILD puts in DIR
#   ld.xld  (clang -fuse-ld=xld finds it on PATH)  -> BUILD/ld.xld
#   ld      (gcc -B DIR runs it)                    -> BUILD/libexec/xld/ld
#   xld     (--ld-path=DIR/xld, XLD=DIR/xld)       -> BUILD/xld
# each a script that appends its arguments to LOG, runs the real program
# through the build tree's own name for it (so those symlinks are tested
# too), and after a successful link appends "output: SHA256 PATH" for the
# file it wrote. assert_linked_by_xld LOG FILE then checks that FILE is
# byte for byte what xld wrote.

# shellcheck disable=SC2154 # test_name is set by the script sourcing this
fail() { echo "FAIL ($test_name): $*" >&2; exit 1; }
skip() { echo "SKIP ($test_name): $*" >&2; exit 77; }

# fresh_work DIR: an empty work folder (under the build tree, or mktemp -d
# when DIR is empty).
fresh_work() {
  if [ -n "${1:-}" ]; then
    rm -rf "$1"
    mkdir -p "$1"
    work=$(cd "$1" && pwd)
  else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
  fi
}

make_logging_linker() {
  local dir=$1 log=$2 build=$3 name target
  mkdir -p "$dir"
  : > "$log"
  for name in ld.xld ld xld; do
    case $name in
      ld.xld) target=$build/ld.xld ;;
      ld) target=$build/libexec/xld/ld ;;
      xld) target=$build/xld ;;
    esac
    [ -x "$target" ] || fail "$target is missing (build xld first)"
    grep -q '^xld ' <<< "$("$target" --version 2>&1)" || fail "$target is not xld: $("$target" --version 2>&1 | head -1)"
    cat > "$dir/$name" <<SH
#!/bin/sh
out=a.out
prev=
for a in "\$@"; do
  [ "\$prev" = -o ] && out=\$a
  case \$a in --output=*) out=\${a#--output=} ;; -o?*) out=\${a#-o} ;; esac
  prev=\$a
done
{ printf 'argv:'; printf ' %s' "\$@"; printf '\n'; } >> '$log'
'$target' "\$@"
rc=\$?
if [ \$rc = 0 ] && [ -f "\$out" ]; then
  printf 'output: %s %s\n' "\$(sha256sum < "\$out" | cut -d' ' -f1)" "\$out" >> '$log'
fi
exit \$rc
SH
    chmod +x "$dir/$name"
  done
}

assert_linked_by_xld() {
  local log=$1 file=$2 sum
  [ -f "$file" ] || fail "$file was not produced"
  sum=$(sha256sum < "$file" | cut -d' ' -f1)
  grep -q "^output: $sum " "$log" ||
    fail "$file is not a file xld wrote (xld's log: $log; $(grep -c '^argv:' "$log") invocations)"
}

# assert_static_pie FILE / assert_static FILE: ELF type, no PT_INTERP, and
# what file(1) says.
assert_static_pie() {
  grep -q 'Type: *DYN' <<< "$(readelf -hW "$1")" || fail "$1 is not ET_DYN: $(readelf -hW "$1" | grep Type:)"
  if grep -q INTERP <<< "$(readelf -lW "$1")"; then fail "$1 has a PT_INTERP"; fi
  if command -v file > /dev/null; then
    grep -q 'static-pie linked' <<< "$(file "$1")" || fail "file(1) does not call it static-pie: $(file "$1")"
  fi
}
assert_static() {
  grep -q 'Type: *EXEC' <<< "$(readelf -hW "$1")" || fail "$1 is not ET_EXEC: $(readelf -hW "$1" | grep Type:)"
  if grep -q INTERP <<< "$(readelf -lW "$1")"; then fail "$1 has a PT_INTERP"; fi
  if command -v file > /dev/null; then
    grep -q 'statically linked' <<< "$(file "$1")" || fail "file(1) does not call it statically linked: $(file "$1")"
  fi
}
