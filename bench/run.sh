#!/usr/bin/env bash
# Benchmarks xld against GNU ld (bfd), gold, lld and mold on identical link
# jobs and prints one table per workload.
#
#   bash bench/run.sh [-r REPS] [--only REGEX] [--1g] [--single-thread] [--no-install]
#
#   -r REPS       timed runs per linker and workload (default 5)
#   --only REGEX  only the workloads whose name matches REGEX (extended regex)
#   --1g          also the 1 GB synthetic workload (compiling it takes hours)
#   --single-thread  also xld, lld and mold limited to one thread
#                 (xld-1t, lld-1t, mold-1t)
#   --no-install  do not apt-get missing tools; skip what is missing
#
# Inputs are prepared once and cached under ~/.cache/xld/bench (synthetic
# jobs by gen.py, real programs from Debian's static libraries); outputs go
# to a temporary directory under /tmp.  Raw measurements and the tables are
# kept in ~/.cache/xld/bench/results/<date>/.
#
# Every linker gets the same response file, taken from the compiler
# driver's `-###` output (see linkline.py), plus `-o OUT`.  Each linker's
# output is run once and its output compared before anything is timed; a
# linker that fails to link or produces a program that prints something
# else is reported, not timed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cache=${XDG_CACHE_HOME:-$HOME/.cache}/xld/bench
xld=${XLD:-$repo/build/xld}
sysroot_a64=${XDG_CACHE_HOME:-$HOME/.cache}/xld/sysroots/aarch64-linux-gnu
reps=5
only=.
with_1g=0
single=0
install=1

while [ $# -gt 0 ]; do
  case "$1" in
    -r) reps=$2; shift ;;
    --only) only=$2; shift ;;
    --1g) with_1g=1 ;;
    --single-thread) single=1 ;;
    --no-install) install=0 ;;
    *) echo "usage: run.sh [-r REPS] [--only REGEX] [--1g] [--single-thread] [--no-install]" >&2; exit 2 ;;
  esac
  shift
done

work=$(mktemp -d /tmp/xld-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
results=$cache/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
times=$results/times.tsv        # workload round linker wall user sys rss_kb bytes
failures=$results/failures.tsv  # workload linker message
: > "$times"
: > "$failures"

log() { echo "run.sh: $*" >&2; }

# ------------------------------------------------------------------ tools

# Debian package providing each command the benchmark needs.
declare -A package_of=(
  [ld.bfd]=binutils [ld.gold]=binutils [ld.lld]=lld [mold]=mold
  [/usr/bin/time]=time [clang]=clang [clang++]=clang [cmake]=cmake
  [aarch64-linux-gnu-ld.bfd]=binutils-aarch64-linux-gnu
  [aarch64-linux-gnu-ld.gold]=binutils-aarch64-linux-gnu
  [qemu-aarch64]=qemu-user [llvm-config-14]=llvm-14-dev [llvm-ar-14]=llvm-14
  [/usr/include/sqlite3.h]=libsqlite3-dev [/usr/include/lua5.4/lua.h]=liblua5.4-dev
  [/usr/include/zstd.h]=libzstd-dev [/usr/lib/x86_64-linux-gnu/libz.a]=zlib1g-dev
  [/usr/lib/x86_64-linux-gnu/libtinfo.a]=libncurses-dev
)

have() { [ -e "$1" ] || command -v "$1" > /dev/null; }

install_missing() {
  local missing=() packages thing
  for thing in "${!package_of[@]}"; do
    have "$thing" || missing+=("${package_of[$thing]}")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$install" = 1 ]; then
    log "installing ${missing[*]}"
    mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
    apt-get update -qq && apt-get install -y -qq "${packages[@]}"
  else
    log "missing (not installed): ${missing[*]}"
  fi
}

# xld is under development and may be rebuilt while the benchmark runs:
# every link uses a snapshot of the binary taken at the start, so all
# numbers of one run belong to one xld.
snapshot_xld() {
  if [ ! -x "$xld" ]; then
    log "building xld"
    cmake -B "$repo/build" -S "$repo" > /dev/null && cmake --build "$repo/build" -j2 > /dev/null
  fi
  cp "$xld" "$work/xld"
  xld_origin="$xld, built $(date -u -r "$xld" '+%Y-%m-%d %H:%M UTC'), tree $(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?')"
  xld=$work/xld
}

# ------------------------------------------------------------- workloads
#
# A workload is a line "NAME ARCH RSP EXPECTED": the response file to link
# and a file holding what the program must print ("-" for real programs:
# GNU ld's result is the reference).

wanted() { [[ $1 =~ $only ]]; }

synth_workloads() {
  local size=$1 arch=$2 debug=$3 dir name
  name=synth-$size-$arch${debug:+-g}
  dir=$cache/$name
  wanted "$name-static" || wanted "$name-static-pie" || return 0
  log "preparing $name (cached after the first time)"
  python3 "$here/gen.py" --size "$size" --arch "$arch" ${debug:+--debug} \
    --sysroot "$sysroot_a64" "$dir" >&2
  echo "$name-static $arch $dir/link-static.rsp $dir/expected.txt"
  # aarch64 is measured static only, to keep the run short.
  [ "$arch" = aarch64 ] || echo "$name-static-pie $arch $dir/link-static-pie.rsp $dir/expected.txt"
}

# Compiles a driver from real/ once and records the static link line the
# compiler driver would use for it with the given libraries.
real_workload() {
  local name=$1 driver=$2 src=$here/real/$3; shift 3
  local dir=$cache/real-$name cflags=()
  wanted "$name" || wanted "$name-static-pie" || return 0
  mkdir -p "$dir"
  case "$name" in
    lua) cflags=(-I/usr/include/lua5.4) ;;
    llvm) read -ra cflags <<< "$(llvm-config-14 --cxxflags)" ;;
  esac
  if [ ! -f "$dir/main.o" ] || [ "$src" -nt "$dir/main.o" ]; then
    log "compiling $src"
    "$driver" -O2 "${cflags[@]}" -c "$src" -o "$dir/main.o.tmp" && mv "$dir/main.o.tmp" "$dir/main.o"
  fi
  python3 "$here/linkline.py" "$dir/link-static.rsp" "$driver" -static "$dir/main.o" "$@"
  echo "$name x86_64 $dir/link-static.rsp -"
  # The large C++ link also as a static PIE (Debian's LLVM archives are PIC).
  if [ "$name" = llvm ]; then
    python3 "$here/linkline.py" "$dir/link-static-pie.rsp" "$driver" -static-pie "$dir/main.o" "$@"
    echo "$name-static-pie x86_64 $dir/link-static-pie.rsp -"
  fi
}

# LLVM's static libraries and the system libraries they need.  `--libs
# all` also names Polly, whose archives live in another package
# (libpolly-14-dev) that this program does not need: only archives that
# exist are kept.  llvm-config's system libraries list libz3.so and -lxml2;
# this program pulls in neither (and libz3 has no static archive), so they
# are left out.
llvm_libs() {
  local libs lib dir=/usr/lib/llvm-14/lib kept=()
  read -ra libs <<< "$(llvm-config-14 --link-static --libs all)"
  for lib in "${libs[@]}"; do
    [ -f "$dir/lib${lib#-l}.a" ] && kept+=("$lib")
  done
  echo "-L$dir -Wl,--start-group ${kept[*]} -Wl,--end-group -lz -ltinfo -lrt -ldl -lpthread -lm"
}

all_workloads() {
  synth_workloads 10M x86_64 ""
  synth_workloads 100M x86_64 ""
  synth_workloads 100M x86_64 1
  synth_workloads 100M aarch64 ""
  if [ "$with_1g" = 1 ]; then synth_workloads 1G x86_64 ""; fi
  real_workload sqlite clang sqlite.c -lsqlite3 -lm
  real_workload lua clang lua.c -llua5.4 -lm
  real_workload zstd clang zstd.c -lzstd
  # shellcheck disable=SC2046  # word splitting of the library list is intended
  real_workload llvm clang++ llvm.cpp $(llvm_libs)
}

# --------------------------------------------------------------- linkers

linkers_for() {  # display names, in the order of the first round
  echo xld bfd gold lld mold
  if [ "$single" = 1 ]; then echo xld-1t lld-1t mold-1t; fi
}

# The command for one linker on one architecture.  Debian's ld.bfd and
# ld.gold only know x86; the cross binutils provide aarch64's.
linker_cmd() {
  local linker=$1 arch=$2 prefix=
  [ "$arch" = aarch64 ] && prefix=aarch64-linux-gnu-
  case "$linker" in
    xld) echo "$xld" ;;
    bfd) echo "${prefix}ld.bfd" ;;
    gold) echo "${prefix}ld.gold" ;;
    lld) echo ld.lld ;;
    # Without --no-fork mold returns before its child has finished
    # writing, and the timing would miss part of the work.
    mold) echo "mold --no-fork" ;;
    xld-1t) echo "$xld --threads=1" ;;
    lld-1t) echo "ld.lld --threads=1" ;;
    mold-1t) echo "mold --no-fork --thread-count=1" ;;
  esac
}

run_program() {  # ARCH EXE: runs the program (aarch64 under qemu)
  if [ "$1" = aarch64 ]; then timeout 300 qemu-aarch64 "$2"; else timeout 300 "$2"; fi
}

link() {  # LINKER ARCH RSP OUT: links, diagnostics to $work/err
  local cmd
  read -ra cmd <<< "$(linker_cmd "$1" "$2")"
  rm -f "$4"
  "${cmd[@]}" "@$3" -o "$4" > "$work/err" 2>&1
}

fail() {  # WORKLOAD LINKER MESSAGE
  log "$1: $2 FAILED: $3"
  printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$failures"
}

oneline() {  # FILE BYTES: the start of a diagnostic, on one line
  head -c "$2" "$1" | tr '\n' ' ' | sed 's/ *$//'
}

# Links with one linker and runs the program; on failure records why (the
# full diagnostics are kept in the results directory) and returns 1.
check_linker() {
  local name=$1 linker=$2 arch=$3 rsp=$4 expected=$5 out=$work/out.$2 status=0
  if ! have "$(linker_cmd "$linker" "$arch" | cut -d' ' -f1)"; then
    fail "$name" "$linker" "not installed"
    return 1
  fi
  if ! link "$linker" "$arch" "$rsp" "$out"; then
    cp "$work/err" "$results/fail-$name-$linker.txt"
    fail "$name" "$linker" "link failed: $(oneline "$work/err" 2000)"
    return 1
  fi
  run_program "$arch" "$out" > "$work/got" 2> "$work/err" || status=$?
  if [ "$status" != 0 ]; then
    cp "$work/err" "$results/fail-$name-$linker.txt"
    fail "$name" "$linker" "program exited with status $status: $(oneline "$work/err" 500)"
    return 1
  fi
  if ! cmp -s "$work/got" "$expected"; then
    cp "$work/got" "$results/fail-$name-$linker.txt"
    fail "$name" "$linker" "program printed '$(oneline "$work/got" 200)' instead of '$(oneline "$expected" 200)'"
    return 1
  fi
}

# Links the workload with every linker and runs each program; prints the
# linkers whose program printed the expected output.
verify() {
  local name=$1 arch=$2 rsp=$3 expected=$4 linker ok=()
  if [ "$expected" = - ]; then
    # Real programs: what GNU ld's program prints is the reference.
    expected=$work/expected
    if ! link bfd "$arch" "$rsp" "$work/ref" || ! run_program "$arch" "$work/ref" > "$expected"; then
      fail "$name" bfd "reference link or run failed: $(oneline "$work/err" 2000)"
      return
    fi
    cp "$expected" "$results/expected-$name.txt"
  fi
  for linker in $(linkers_for "$arch"); do
    if check_linker "$name" "$linker" "$arch" "$rsp" "$expected"; then ok+=("$linker"); fi
  done
  echo "${ok[@]}"
}

# One timed command.  /usr/bin/time gives CPU time and peak RSS; the wall
# time is taken here from $EPOCHREALTIME, because time's %e has only 10 ms
# resolution and the small links take less than 100 ms.
timed() {
  local t0 t1
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%U\t%S\t%M' -o "$work/t" "$@" || return
  t1=$EPOCHREALTIME
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
}

record() {  # WORKLOAD ROUND LABEL FILE: one line of times.tsv
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$wall" "$(tail -1 "$work/t")" "$(stat -c %s "$4")" >> "$times"
}

# Times REPS rounds.  Every round runs every linker once, and the order
# rotates from round to round, so slow drifts of the shared machine (other
# jobs, page cache, thermal) spread over all linkers instead of hitting one.
measure() {
  local name=$1 arch=$2 rsp=$3; shift 3
  local linkers=("$@") round i k linker out floor_src cmd wall
  for ((round = 1; round <= reps; round++)); do
    for ((k = 0; k < ${#linkers[@]}; k++)); do
      linker=${linkers[$(((k + round - 1) % ${#linkers[@]}))]}
      out=$work/out.$linker
      rm -f "$out"
      read -ra cmd <<< "$(linker_cmd "$linker" "$arch")"
      if ! timed "${cmd[@]}" "@$rsp" -o "$out" > "$work/err" 2>&1; then
        fail "$name" "$linker" "timed run $round failed: $(oneline "$work/err" 2000)"
        continue
      fi
      record "$name" "$round" "$linker" "$out"
    done
    # The physical floor: copying an output of the same size (mold's, or
    # the first working linker's) to a new file.
    floor_src=$work/out.${linkers[0]}
    for i in "${linkers[@]}"; do [ "$i" = mold ] && floor_src=$work/out.mold; done
    rm -f "$work/copy"
    if [ -f "$floor_src" ] && timed cp "$floor_src" "$work/copy"; then
      record "$name" "$round" cp "$work/copy"
    fi
  done
}

machine_info() {
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "ram: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "xld: $("$xld" --version | head -1) ($xld_origin)"
  echo "bfd: $(ld.bfd --version | head -1)"
  echo "gold: $(ld.gold --version | head -1)"
  echo "lld: $(ld.lld --version | head -1)"
  echo "mold: $(mold --version | head -1)"
}

main() {
  install_missing
  snapshot_xld
  machine_info | tee "$results/machine.txt" >&2
  all_workloads > "$work/workloads"
  local name arch rsp expected ok
  while read -r name arch rsp expected; do
    wanted "$name" || continue
    log "$name: checking every linker's program"
    read -ra ok <<< "$(verify "$name" "$arch" "$rsp" "$expected")"
    [ ${#ok[@]} -gt 0 ] || continue
    log "$name: timing ${ok[*]} ($reps rounds)"
    measure "$name" "$arch" "$rsp" "${ok[@]}"
  done < "$work/workloads"
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/machine.txt" >&2
  python3 "$here/table.py" "$times" "$failures" | tee "$results/tables.md"
  log "results in $results"
}

main
