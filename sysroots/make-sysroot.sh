#!/usr/bin/env bash
# Assembles a sysroot for one target from Debian's packages, without
# installing anything system-wide and without adding a dpkg architecture:
# a private apt state (APT::Architectures = the target's) downloads the
# .debs, dpkg-deb -x unpacks them, and the layout is adjusted where clang
# needs it. Package versions used are recorded in DEST/VERSIONS.
#
#   make-sysroot.sh TARGET DEST
#   TARGET: x86_64-linux-gnu | aarch64-linux-gnu | x86_64-linux-musl | aarch64-linux-musl
#
# Downloads are cached under ${XDG_CACHE_HOME:-~/.cache}/xld/debs.
# The glibc sysroots also get the static SQLite, Lua and zstd libraries
# (real programs for the tests, and for users); the musl ones get Debian's
# libc++ made to work on musl (libcxx-for-musl.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:?usage: make-sysroot.sh TARGET DEST}
dest=${2:?usage: make-sysroot.sh TARGET DEST}
case "$target" in
  x86_64-linux-gnu|x86_64-linux-musl) debarch=amd64; cpu=x86_64 ;;
  aarch64-linux-gnu|aarch64-linux-musl) debarch=arm64; cpu=aarch64 ;;
  *) echo "make-sysroot.sh: unknown target $target" >&2; exit 1 ;;
esac
libc=${target##*-}
gccver=12
cache=${XDG_CACHE_HOME:-$HOME/.cache}/xld
state=$cache/apt-$debarch
debs=$cache/debs
mkdir -p "$state"/{lists/partial,archives/partial,etc} "$debs"

apt_opts=(
  -o "APT::Architectures=$debarch" -o "APT::Architecture=$debarch"
  -o "Dir::State=$state" -o "Dir::State::Lists=$state/lists" -o "Dir::State::status=$state/status"
  -o "Dir::Cache=$state" -o "Dir::Cache::archives=$state/archives"
  -o "Dir::Etc::Preferences=/dev/null" -o "Dir::Etc::PreferencesParts=$state/etc"
  -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
)
touch "$state/status"
# Package lists are refreshed once a day at most.
if [ -z "$(find "$state/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
  apt-get "${apt_opts[@]}" update -qq
fi

if [ "$libc" = gnu ]; then
  # The runtime packages (libgcc-s1, libstdc++6, ...) hold the shared
  # libraries that dynamic links name and that qemu-user loads.
  pkgs=(libc6-dev libc6 linux-libc-dev libgcc-$gccver-dev libstdc++-$gccver-dev libcrypt-dev
        libsqlite3-dev liblua5.4-dev libzstd-dev libgcc-s1 libstdc++6 libcrypt1 libsqlite3-0 liblua5.4-0 libzstd1)
else
  # musl: the C library and its loader (/lib/ld-musl-<cpu>.so.1) for dynamic C programs.
  pkgs=(musl-dev musl linux-libc-dev libgcc-$gccver-dev libc++-14-dev libc++abi-14-dev)
fi
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
# The recipe's digest, so that build-all.sh rebuilds when the scripts change.
echo "# recipe $(bash "$here/recipe-digest.sh")" > "$dest.tmp/VERSIONS"
for p in "${pkgs[@]}"; do
  # (awk reads everything: an early exit would SIGPIPE apt-cache under pipefail)
  ver=$(apt-cache "${apt_opts[@]}" show "$p:$debarch" 2>/dev/null | awk '/^Version:/ && !v {v = $2} END {print v}')
  [ -n "$ver" ] || { echo "make-sysroot.sh: no package $p:$debarch" >&2; exit 1; }
  file=$(ls "$debs/${p}_"*"_$debarch.deb" 2>/dev/null | grep -F "_${ver//:/%3a}_" | head -1 || true)
  if [ -z "$file" ]; then
    (cd "$debs" && apt-get "${apt_opts[@]}" download -qq "$p:$debarch=$ver")
    file=$(ls "$debs/${p}_"*"_$debarch.deb" | grep -F "_${ver//:/%3a}_" | head -1)
  fi
  dpkg-deb -x "$file" "$dest.tmp"
  echo "$p:$debarch $ver" >> "$dest.tmp/VERSIONS"
done

if [ "$libc" = musl ]; then
  # Debian's musl lives in usr/lib/<cpu>-linux-musl and usr/include/<cpu>-linux-musl;
  # clang --target=<cpu>-linux-musl expects usr/lib and usr/include.
  r=$dest.tmp
  mkdir -p "$r/usr/lib" "$r/usr/include"
  cp -a "$r/usr/lib/$cpu-linux-musl/." "$r/usr/lib/"
  rm -rf "$r/usr/lib/$cpu-linux-musl"
  cp -a "$r/usr/include/$cpu-linux-musl/." "$r/usr/include/"
  rm -rf "$r/usr/include/$cpu-linux-musl"
  # Kernel headers from linux-libc-dev (usr/include/<cpu>-linux-gnu/asm).
  if [ -d "$r/usr/include/$cpu-linux-gnu" ]; then
    cp -a "$r/usr/include/$cpu-linux-gnu/." "$r/usr/include/"
    rm -rf "$r/usr/include/$cpu-linux-gnu"
  fi
  # clang 14 only looks for libgcc under the target's own triple.
  mkdir -p "$r/usr/lib/gcc/$cpu-unknown-linux-musl"
  mv "$r/usr/lib/gcc/$cpu-linux-gnu/$gccver" "$r/usr/lib/gcc/$cpu-unknown-linux-musl/$gccver"
  rm -rf "$r/usr/lib/gcc/$cpu-linux-gnu"
  bash "$here/libcxx-for-musl.sh" "$r" "$cpu"
  # The shared C library (from the musl package) where -lc finds it.
  ln -sfn "../../lib/$cpu-linux-musl/libc.so" "$r/usr/lib/libc.so"
  # Debian's libgcc_s.so.1 is built for glibc: a dynamic musl program
  # (clang asks for -lgcc_s) takes the unwinder from the static libgcc_eh.
  printf '/* xld sysroot: no libgcc_s.so.1 for musl */\nINPUT ( -lgcc_eh )\n' \
    > "$r/usr/lib/gcc/$cpu-unknown-linux-musl/$gccver/libgcc_s.so"
fi
# Absolute symlinks (libm.so -> /lib/...) would point into the host: make
# them relative so they resolve inside the sysroot.
find "$dest.tmp" -type l | while read -r link; do
  target=$(readlink "$link")
  case $target in
    /*) ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$dest.tmp$target")" "$link" ;;
  esac
done
# clang recognises Debian's multiarch layout by lib/<triple>.
[ "$libc" = gnu ] && mkdir -p "$dest.tmp/lib/$target"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "sysroot for $target in $dest"
