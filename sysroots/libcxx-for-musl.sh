#!/usr/bin/env bash
# Makes Debian's libc++ (built for glibc) usable in a musl sysroot that
# make-sysroot.sh has just unpacked libc++-14-dev and libc++abi-14-dev into:
#   - headers to usr/include/c++/v1, libraries to usr/lib;
#   - usr/lib/libc++.a becomes a linker script naming libc++, libc++abi and
#     libxld_musl_compat.a (musl-compat/: the glibc-only symbols the
#     prebuilt archives call), so clang's plain -lc++ links them all;
#   - libgcc_eh.a becomes a script adding the same compat archive, for its
#     _dl_find_object;
#   - the headers are told they run on musl (_LIBCPP_HAS_MUSL_LIBC), and
#     where musl's headers would give a layout other than the one the
#     archive was compiled with, they are made to give glibc's:
#       ctype_base::mask and its bits (the archive hands out glibc's
#         __ctype_b_loc table; musl's __ctype_b_loc has the same layout);
#       std::mutex and std::recursive_mutex on aarch64, where glibc's
#         pthread_mutex_t is 48 bytes and musl's 40 (classes such as
#         timed_mutex place members after one).
#
#   libcxx-for-musl.sh ROOT CPU        (CPU: x86_64 | aarch64)
set -euo pipefail
root=${1:?usage: libcxx-for-musl.sh ROOT CPU}
cpu=${2:?usage: libcxx-for-musl.sh ROOT CPU}
here=$(cd "$(dirname "$0")" && pwd)
llvm=$root/usr/lib/llvm-14
inc=$root/usr/include/c++/v1

rm -rf "$inc"
mkdir -p "$root/usr/include/c++"
mv "$llvm/include/c++/v1" "$inc"
mv "$llvm/include/cxxabi.h" "$llvm/include/__cxxabi_config.h" "$inc/"
mv "$llvm/lib/libc++.a" "$root/usr/lib/libc++_glibc.a"
mv "$llvm/lib/libc++abi.a" "$root/usr/lib/libc++abi.a"
mv "$llvm/lib/libc++experimental.a" "$root/usr/lib/libc++experimental.a"
rm -rf "$llvm" "$root/usr/lib/$cpu-linux-gnu"/libc++*

# Replaces the one occurrence of FROM in a header by TO (literal strings).
replace_once() {  # $1 = file, $2 = FROM, $3 = TO
  local n
  n=$(FROM=$2 TO=$3 perl -0777 -i -pe '$n = s/\Q$ENV{FROM}\E/$ENV{TO}/g; END { print STDERR $n + 0 }' "$1" 2>&1 >/dev/null)
  [ "$n" = 1 ] || { echo "libcxx-for-musl.sh: '$2' occurs $n times in $1, want 1" >&2; exit 1; }
}

replace_once "$inc/__config_site" '#endif // _LIBCPP_CONFIG_SITE' \
'// xld sysroot: musl, with a libc++.a compiled against glibc.
#define _LIBCPP_HAS_MUSL_LIBC
#define _LIBCPP_XLD_GLIBC_BUILT_LIBRARY

#endif // _LIBCPP_CONFIG_SITE'

replace_once "$inc/__locale" 'public:
#if defined(_LIBCPP_PROVIDES_DEFAULT_RUNE_TABLE)
    typedef unsigned long mask;' \
'public:
#if defined(_LIBCPP_XLD_GLIBC_BUILT_LIBRARY)
    // The values of glibc (its _ISbit on little-endian): libc++.a hands out
    // the __ctype_b_loc table of musl, which has the layout of glibc.
    typedef unsigned short mask;
    static const mask space  = 0x2000;
    static const mask print  = 0x4000;
    static const mask cntrl  = 0x0002;
    static const mask upper  = 0x0100;
    static const mask lower  = 0x0200;
    static const mask alpha  = 0x0400;
    static const mask digit  = 0x0800;
    static const mask punct  = 0x0004;
    static const mask xdigit = 0x1000;
    static const mask blank  = 0x0001;
    static const mask __regex_word = 0x80;
#elif defined(_LIBCPP_PROVIDES_DEFAULT_RUNE_TABLE)
    typedef unsigned long mask;'
replace_once "$inc/__locale" 'static const mask* classic_table()  _NOEXCEPT;
#if defined(__GLIBC__) || defined(__EMSCRIPTEN__)' \
'static const mask* classic_table()  _NOEXCEPT;
#if defined(__GLIBC__) || defined(__EMSCRIPTEN__) || defined(_LIBCPP_XLD_GLIBC_BUILT_LIBRARY)'

if [ "$cpu" = aarch64 ]; then
  for member in '__libcpp_mutex_t __m_ = _LIBCPP_MUTEX_INITIALIZER;:__mutex_base' \
                '__libcpp_recursive_mutex_t __m_;:mutex'; do
    decl=${member%:*}
    replace_once "$inc/${member##*:}" "    $decl" "    $decl
#if defined(_LIBCPP_XLD_GLIBC_BUILT_LIBRARY) && defined(__aarch64__)
    // libc++.a was compiled with glibc's 48-byte pthread_mutex_t (musl's is 40).
    char __xld_glibc_size_pad_[48 - sizeof(${decl%% *})] = {};
#endif"
  done
fi

# The glibc-only symbols, compiled for the target against this sysroot.
obj=$(mktemp -d)
trap 'rm -rf "$obj"' EXIT
for src in "$here"/musl-compat/*.c; do
  clang --target="$cpu-linux-musl" --sysroot="$root" -O2 -fPIC -Wall -Werror \
    -c "$src" -o "$obj/$(basename "${src%.c}").o"
done
rm -f "$root/usr/lib/libxld_musl_compat.a"
ar rcsD "$root/usr/lib/libxld_musl_compat.a" "$obj"/*.o

printf '/* xld sysroot: Debian'"'"'s libc++ (built for glibc) and what it needs on musl. */\nGROUP ( libc++_glibc.a libc++abi.a libxld_musl_compat.a )\n' > "$root/usr/lib/libc++.a"
gccdir=$root/usr/lib/gcc/$cpu-unknown-linux-musl/12
mv "$gccdir/libgcc_eh.a" "$gccdir/libgcc_eh_glibc.a"
printf '/* xld sysroot: Debian'"'"'s libgcc_eh calls glibc'"'"'s _dl_find_object. */\nGROUP ( libgcc_eh_glibc.a libxld_musl_compat.a )\n' > "$gccdir/libgcc_eh.a"
