#!/usr/bin/env bash
# Fuzzes for MINUTES in total, restarting the target whenever a run stops
# (each link leaks a little, so runs end at the RSS limit), then merges
# what the runs found into tests/fuzz/found. Crashes stay in ARTIFACTS.
#
#   bash tests/fuzz/fuzz-loop.sh MINUTES [BUILD_DIR] [ARTIFACTS]
#
# BUILD_DIR must hold a -DXLD_FUZZ=ON build (see README.md). Runs at
# nice 19, one job: this machine is shared.
set -euo pipefail
minutes=${1:?usage: fuzz-loop.sh MINUTES [BUILD_DIR] [ARTIFACTS]}
here=$(cd "$(dirname "$0")" && pwd)
build=${2:-$here/../../build-fuzz}
artifacts=${3:-/tmp/xld-fuzz-artifacts}
fuzzer=$build/tests/fuzz/xld-fuzz
[ -x "$fuzzer" ] || { echo "no fuzz target at $fuzzer (configure with CC=clang -DXLD_FUZZ=ON)" >&2; exit 1; }
work=$(mktemp -d /tmp/xld-fuzz-corpus.XXXXXX)
mkdir -p "$artifacts"
cp "$here"/corpus/* "$here"/found/* "$work"/
end=$(( $(date +%s) + minutes * 60 ))
runs=0
while [ "$(date +%s)" -lt "$end" ]; do
  left=$(( end - $(date +%s) ))
  runs=$((runs + 1))
  # A crash, leak of memory past the limit or timeout ends the run; the
  # loop goes on (crashes are kept as artifacts to look at afterwards).
  ASAN_OPTIONS=detect_leaks=0 nice -n 19 "$fuzzer" -close_fd_mask=3 -max_len=65536 -rss_limit_mb=6000 \
    -timeout=20 -max_total_time="$left" -artifact_prefix="$artifacts/" -print_final_stats=1 "$work" \
    2>> "$artifacts/log" || true
done
echo "fuzz-loop: $runs runs in $minutes minutes; executions:" \
  "$(grep -h 'stat::number_of_executed_units' "$artifacts/log" | awk '{s += $2} END {print s + 0}')"
"$fuzzer" -merge=1 "$here/found" "$work" 2>> "$artifacts/log" > /dev/null
echo "fuzz-loop: crashes and timeouts: $(ls "$artifacts" | grep -c -E '^(crash|timeout)-' || true)" \
  "(runs ended by the RSS limit: $(ls "$artifacts" | grep -c '^oom-' || true))"
rm -rf "$work"
