#!/usr/bin/env bash
# The test command: installs dependencies, builds xld with warnings as
# errors, and runs the whole test suite (unit and end-to-end) with ctest,
# then once more with xld built with ASan and UBSan.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/tests/install-deps.sh"
# Sysroots for the cross tests, from Debian's packages (cached in ~/.cache/xld).
bash "$root/sysroots/build-all.sh"
build=${XLD_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXLD_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
(cd "$build" && ctest --output-on-failure -j"$(nproc)" "$@")
# The whole suite again with xld built with AddressSanitizer and
# UndefinedBehaviorSanitizer (XLD_CHECK_SANITIZE=0 skips this second run),
# but for the real-world projects (label realworld): minutes of compiling
# and of the projects' own test suites, which the sanitizers would not make
# check xld any harder than the rest of the suite does.
if [ "${XLD_CHECK_SANITIZE:-1}" != 0 ]; then
  asan=${XLD_ASAN_BUILD_DIR:-$build-asan}
  cmake -S "$root" -B "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXLD_WERROR=ON -DXLD_SANITIZE=ON >/dev/null
  cmake --build "$asan" -j"$(nproc)"
  cd "$asan"
  ctest --output-on-failure -j"$(nproc)" -LE realworld "$@"
fi
