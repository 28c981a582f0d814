#!/usr/bin/env bash
# The manual page doc/xld.1:
#   man.sh XLD_BUILD_DIR REPO_DIR CASE [WORK_DIR]
# CASE
#   render       groff and man render it without a single warning
#   help-sync    every option and -z keyword `xld --help` prints is in it
#   source-sync  every option and -z keyword linker/options.c accepts is in
#                it (flag/with_arg/joined_arg/short_arg names, bare
#                arguments, parse_z's keywords)
#   install      `cmake --install` puts it in share/man/man1, where man finds it
set -euo pipefail
build=$(cd "$1" && pwd)
repo=$(cd "$2" && pwd)
case_name=$3
test_name=man.$case_name
# shellcheck source=tests/dropin/lib.sh
. "$repo/tests/dropin/lib.sh"
fresh_work "${4:-}"
cd "$work"
page=$repo/doc/xld.1
[ -f "$page" ] || fail "$page is missing"
command -v groff > /dev/null || skip "groff is not installed (Debian package groff-base)"

# The page as plain text: ASCII hyphens, no overstriking, long lines.
groff -man -Tascii -P-cbou -rLL=250n "$page" > page.txt 2> /dev/null
# has OPTION FILE: OPTION occurs in FILE as a word of its own.
has() {
  local o=$1 tail='(?![\w-])'
  case $o in *=|*-) tail= ;; esac
  grep -qP "(?<![\w-])\Q$o\E$tail" "$2"
}
# The -z keywords section of the page.
sed -n '/^ *-z keywords/,/^ *Reports and diagnostics/p' page.txt > zsection.txt
[ -s zsection.txt ] || fail "the page has no '-z keywords' section"

missing=()
case $case_name in
  render)
    groff -man -Tutf8 -ww -z "$page" 2> groff.err || fail "groff failed: $(cat groff.err)"
    [ ! -s groff.err ] || fail "groff warns: $(cat groff.err)"
    if command -v man > /dev/null; then
      MANWIDTH=80 man --warnings -E UTF-8 -l "$page" > man.txt 2> man.err || fail "man -l failed: $(cat man.err)"
      [ ! -s man.err ] || fail "man warns: $(cat man.err)"
      if ! grep -q '^NAME' man.txt || ! grep -q '^OPTIONS' man.txt; then
        fail "man rendered no NAME/OPTIONS: $(head man.txt)"
      fi
    fi
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' 'SEE ALSO'; do
      grep -q "^$section" page.txt || fail "the page has no $section section"
    done
    ;;
  help-sync)
    "$build/xld" --help > help.txt
    # Options: words starting with - or -- (and the group brackets -( -)).
    # A placeholder glued to an option (-lNAME) is dropped.
    grep -oP '(?<![\w-])--?(?:[A-Za-z][\w-]*|[()])' help.txt | sed -E 's/^(-+[a-z][a-z-]*)[A-Z]{2,}$/\1/' |
      sort -u > help-options.txt
    [ "$(wc -l < help-options.txt)" -gt 40 ] || fail "found only $(wc -l < help-options.txt) options in --help"
    while read -r o; do has "$o" page.txt || missing+=("$o"); done < help-options.txt
    # -z keywords: the block after "-z keywords:", the keyword column of
    # each line (up to two spaces) that is not a continuation, and the
    # "(kw, kw ... and others are accepted" list.
    sed -n '/^-z keywords:/,/^$/p' help.txt | sed '1d; /^   /d; s/^  //; s/  .*//; s/ and others.*//; s/ are accepted.*//; s/(//' |
      sed 's/[, ]/\n/g; s/=N$/=/' | grep -E '^[a-z][a-z0-9-]*=?$' | sort -u > help-z.txt
    [ "$(wc -l < help-z.txt)" -gt 10 ] || fail "found only $(wc -l < help-z.txt) -z keywords in --help"
    while read -r k; do has "$k" zsection.txt || missing+=("-z $k"); done < help-z.txt
    [ ${#missing[@]} = 0 ] || fail "xld --help lists options doc/xld.1 does not: ${missing[*]}"
    echo "checked $(wc -l < help-options.txt) options and $(wc -l < help-z.txt) -z keywords"
    ;;
  source-sync)
    src=$repo/linker/options.c
    {
      grep -oP '(?:flag2?|with_arg2?|joined_arg)\(&a, "\K[^"]+' "$src" | sed 's/^/-/'
      grep -oP "short_arg\(&a, '\K.(?=')" "$src" | sed 's/^/-/'
      grep -oP 'strcmp\(arg, "\K-[^"]+' "$src"
    } | sort -u > src-options.txt
    [ "$(wc -l < src-options.txt)" -gt 80 ] || fail "found only $(wc -l < src-options.txt) options in $src"
    while read -r o; do
      # A long option may be written with one dash or two.
      has "$o" page.txt || has "-$o" page.txt || missing+=("$o")
    done < src-options.txt
    awk '/^static void parse_z\(/ {on = 1} on && /^}/ {on = 0} on' "$src" |
      grep -oP '(?:strcmp|strncmp)\(kw, "\K[^"]+' | sort -u > src-z.txt
    [ "$(wc -l < src-z.txt)" -gt 20 ] || fail "found only $(wc -l < src-z.txt) -z keywords in parse_z"
    while read -r k; do has "$k" zsection.txt || missing+=("-z $k"); done < src-z.txt
    [ ${#missing[@]} = 0 ] || fail "linker/options.c accepts options doc/xld.1 does not describe: ${missing[*]}"
    echo "checked $(wc -l < src-options.txt) options and $(wc -l < src-z.txt) -z keywords"
    ;;
  install)
    cmake --install "$build" --prefix "$work/inst" > install.log 2>&1 || fail "cmake --install failed: $(cat install.log)"
    installed=$work/inst/share/man/man1/xld.1
    [ -f "$installed" ] || fail "cmake --install did not install share/man/man1/xld.1: $(grep -i man install.log)"
    cmp -s "$page" "$installed" || fail "the installed page differs from doc/xld.1 (re-run cmake?)"
    if command -v man > /dev/null; then
      found=$(MANPATH=$work/inst/share/man man -w xld 2> man.err) || fail "man -w xld does not find it: $(cat man.err)"
      [ "$found" = "$installed" ] || fail "man -w xld found $found"
      grep -q '^ACCEPTED AND IGNORED' <<< "$(MANPATH=$work/inst/share/man MANWIDTH=80 man xld 2> /dev/null)" ||
        fail "man xld does not show the page"
    fi
    ;;
  *) fail "unknown case $case_name" ;;
esac
echo "ok: $test_name"
