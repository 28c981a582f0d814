#!/usr/bin/env bash
# Prints a digest of everything that decides a sysroot's contents (the
# scripts and the musl compatibility sources), recorded in VERSIONS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
cat make-sysroot.sh libcxx-for-musl.sh musl-compat/*.c | sha256sum | cut -c1-16
