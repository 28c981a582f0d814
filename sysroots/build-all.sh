#!/usr/bin/env bash
# Builds the four sysroots xld's wrappers use, into DEST (default
# ${XLD_SYSROOTS:-~/.cache/xld/sysroots}). One that is present and was made
# by the current recipe (sysroots/*.sh, musl-compat/) is kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-${XLD_SYSROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots}}
recipe=$(bash "$here/recipe-digest.sh")
for t in x86_64-linux-gnu aarch64-linux-gnu x86_64-linux-musl aarch64-linux-musl; do
  if [ "$(head -1 "$dest/$t/VERSIONS" 2>/dev/null)" = "# recipe $recipe" ]; then
    echo "$t: present ($dest/$t)"
    continue
  fi
  bash "$here/make-sysroot.sh" "$t" "$dest/$t"
done
