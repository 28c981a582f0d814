#!/usr/bin/env bash
# Installs (as root, from Debian's packages) what building xld and running
# its tests need. Does nothing when everything is already installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pkgs=(cmake make gcc g++ clang pkg-config binutils file libxxhash-dev libzstd-dev zlib1g-dev libcriterion-dev libiberty-dev musl-tools qemu-user)
if [ -f "$here/e2e/DEPENDS" ]; then
  while read -r p; do
    p=${p%%#*}
    [ -n "${p// }" ] && pkgs+=("$p")
  done < "$here/e2e/DEPENDS"
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
  echo "error: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
