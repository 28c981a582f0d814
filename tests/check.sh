#!/usr/bin/env bash
# The test command: installs dependencies, builds xld with warnings as
# errors, and runs the whole test suite (unit and end-to-end) with ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/tests/install-deps.sh"
# Sysroots for the cross tests, from Debian's packages (cached in ~/.cache/xld).
bash "$root/sysroots/build-all.sh"
build=${XLD_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXLD_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j"$(nproc)" "$@"
