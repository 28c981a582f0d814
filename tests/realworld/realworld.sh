#!/usr/bin/env bash
# Real C projects from their Debian source packages, built with xld as the
# linker by their own build systems, their shared library and their programs
# linked dynamically, then checked by their own test suites:
#   realworld.sh XLD_BUILD_DIR REPO_DIR PROJECT [WORK_DIR]
# PROJECT (Debian source package, build system, what runs)
#   zstd     libzstd, upstream's CMake build: lib/libzstd.so.1 and
#            programs/zstd linked against it; then its ctest test
#            playTests (tests/playTests.sh, the suite of `make check`)
#   sqlite3  sqlite3, autotools with Debian's configure options (no
#            amalgamation, so testfixture links libsqlite3.so and
#            interposes its SQLITE_TEST objects over the library's); then
#            upstream's test/testrunner.tcl on the veryquick scripts
#            matching the patterns in $sqlite_tests (about 400 scripts)
#   libpng   libpng1.6, autotools; then `make check` (all 33 tests)
# Sources come from `apt-get source` (deb-src entries are added, mirroring
# the machine's own Debian deb entries, when there are none) and are cached
# in ~/.cache/xld/realworld/<package> ($XLD_REALWORLD_CACHE); they are
# unpacked into WORK_DIR/src and built there, with CC=clang and
# LDFLAGS=-fuse-ld=xld, PATH starting with a logging ld.xld
# (tests/dropin/lib.sh) that records the checksum of every file xld writes.
# Checks: the library is ET_DYN with the expected DT_SONAME and no
# PT_INTERP, each program has PT_INTERP and DT_NEEDED on the library and
# resolves it (ldd) to the freshly built one; each of them is byte for byte
# a file xld wrote; the test suite passes with LD_LIBRARY_PATH on the new
# library. Exit 77 (skip) when the sources cannot be fetched.
# XLD_REALWORLD_LD=bfd builds with GNU ld instead (-fuse-ld=bfd, no xld
# checks): the reference when a suite fails. XLD_REALWORLD_JOBS: make -j
# (default 2).
set -euo pipefail
build=$(cd "$1" && pwd)
repo=$(cd "$2" && pwd)
project=$3
test_name=realworld.$project
# shellcheck source=tests/dropin/lib.sh
. "$repo/tests/dropin/lib.sh"
fresh_work "${4:-}"
cache=${XLD_REALWORLD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xld/realworld}
jobs=${XLD_REALWORLD_JOBS:-2}
linker=${XLD_REALWORLD_LD:-xld}

# The sqlite3 subset: test/testrunner.tcl's veryquick scripts whose names
# match these patterns (about 400 scripts, 84,000 test cases: SQL, the
# shell through libsqlite3.so, FTS3/4/5, R-tree, JSON, sessions, WAL,
# savepoints, backup, the pager). The whole veryquick set, 1100 scripts,
# passes too (less those below and 9 more that fail the same way with GNU
# ld), but its scripts take 5 minutes (2.5 on two cores).
sqlite_tests=(main% select% insert% update% delete% where% join% expr% func% trigger%
  index% alter% attach% view% with% window% json% fts3% fts4% fts5% rtree% session%
  shell% wal% savepoint% trans% vacuum% backup% pager%)
# Scripts of the subset that fail with GNU ld exactly as with xld, left out
# through upstream's QUICKTEST_OMIT: Debian's -DSQLITE_ALLOW_ROWID_IN_VIEW
# gives views a rowid that these expect to be missing...
sqlite_omit=(join5 join8 trigger9)
# ... and these expect chmod'ed files to be unwritable or refuse to run as
# root (CI runs as root).
sqlite_omit_root=(attach backup2 delete pager1 wal2)

case $project in
  zstd) pkg=libzstd ;;
  sqlite3) pkg=sqlite3 ;;
  libpng) pkg=libpng1.6 ;;
  *) fail "unknown project $project (zstd, sqlite3 or libpng)" ;;
esac

need() {  # COMMAND PACKAGE
  command -v "$1" > /dev/null || skip "$1 is not installed (Debian package $2; tests/install-deps.sh installs it)"
}
need clang clang
need make make
need readelf binutils
need ldd libc-bin
need dpkg-source dpkg-dev
case $project in
  sqlite3)
    need autoreconf autoconf
    need libtoolize libtool
    need aclocal automake
    need tclsh tcl
    ;;
  libpng)
    need autoreconf autoconf
    need libtoolize libtool
    need aclocal automake
    ;;
esac

# ---------------------------------------------------------------------------
# Sources.

# The codename of this Debian release: deb entries for it (and -updates,
# -security) are Debian's own archive.
codename() {
  local c=
  [ -f /etc/os-release ] && c=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  echo "$c"
}

# deb_src_entries: deb-src copies of this machine's deb entries for the
# Debian release (deb822 stanzas to stdout as "S:" lines, one-line entries
# as "L:" lines). Host names come from the machine's configuration only.
deb_src_entries() {
  local rel files=() f
  rel=$(codename)
  [ -n "$rel" ] || return 0
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    case $f in */xld-realworld-src.*) continue ;; esac
    files+=("$f")
  done
  [ ${#files[@]} -gt 0 ] || return 0
  for f in "${files[@]}"; do
    case $f in
      *.sources)
        awk -v rel="$rel" '
          BEGIN { RS = ""; FS = "\n" }
          {
            types = 0; suite = 0; off = 0
            for (i = 1; i <= NF; i++) {
              if ($i ~ /^Types:/ && $i ~ /[ \t]deb([ \t]|$)/) types = 1
              if ($i ~ /^Enabled:[ \t]*no/) off = 1
              if ($i ~ /^Suites:/) {
                n = split($i, w, /[ \t]+/)
                for (j = 2; j <= n; j++)
                  if (w[j] == rel || w[j] == rel "-updates" || w[j] == rel "-security" || w[j] == rel "/updates") suite = 1
              }
            }
            if (!types || !suite || off) next
            for (i = 1; i <= NF; i++) {
              line = $i
              if (line ~ /^#/) continue
              if (line ~ /^Types:/) line = "Types: deb-src"
              print "S:" line
            }
            print "S:"
          }' "$f"
        ;;
      *)
        awk -v rel="$rel" '
          $1 == "deb" {
            i = 2
            if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
            s = $(i + 1)
            if (s == rel || s == rel "-updates" || s == rel "-security" || s == rel "/updates") {
              sub(/^deb/, "deb-src"); print "L:" $0
            }
          }' "$f"
        ;;
    esac
  done
}

showsrc_versions() {  # PKG: its source versions known to apt, newest first
  local out
  out=$(apt-cache showsrc "$1" 2> /dev/null || true)
  awk '/^Version:/ { print $2 }' <<< "$out" | sort -Vru
}

# ensure_deb_src PKG: makes apt know PKG's sources, adding deb-src entries
# (files of our own in /etc/apt/sources.list.d) when the machine has none.
ensure_deb_src() {
  local v entries
  v=$(showsrc_versions "$1")
  [ -n "$v" ] && return 0
  if [ ! -f /etc/apt/sources.list.d/xld-realworld-src.sources ] && [ ! -f /etc/apt/sources.list.d/xld-realworld-src.list ]; then
    entries=$(deb_src_entries)
    [ -n "$entries" ] || return 1
    {
      echo "# Added by xld's tests/realworld: sources of Debian's packages, mirroring"
      echo "# this machine's deb entries. Safe to remove."
      echo
      sed -n 's/^S://p' <<< "$entries"
    } > "$work/src.sources"
    {
      echo "# Added by xld's tests/realworld (see xld-realworld-src.sources)."
      sed -n 's/^L://p' <<< "$entries"
    } > "$work/src.list"
    if grep -q '^Types:' "$work/src.sources"; then
      cp "$work/src.sources" /etc/apt/sources.list.d/xld-realworld-src.sources
    fi
    if grep -q '^deb-src' "$work/src.list"; then
      cp "$work/src.list" /etc/apt/sources.list.d/xld-realworld-src.list
    fi
  fi
  echo "+ apt-get update" >> "$work/fetch.log"
  apt-get update >> "$work/fetch.log" 2>&1 || true
  v=$(showsrc_versions "$1")
  [ -n "$v" ]
}

# fetch_source PKG: sets dsc to the newest .dsc of PKG in the cache,
# downloading it first when the cache has none.
fetch_source() {
  local dir=$cache/$1 tmp versions v ok=0
  mkdir -p "$dir"
  # One download at a time (ctest runs the projects in parallel).
  exec 9> "$cache/.lock"
  flock 9
  dsc=$(find "$dir" -maxdepth 1 -name "${1}_*.dsc" | sort -V | tail -n 1)
  if [ -z "$dsc" ]; then
    if [ "$(id -u)" != 0 ]; then
      skip "no cached source of $1 in $dir, and fetching it (apt-get source, deb-src entries) needs root"
    fi
    command -v apt-get > /dev/null || skip "no cached source of $1 in $dir and no apt-get to fetch it"
    ensure_deb_src "$1" ||
      skip "apt knows no source package $1: no deb-src entry could be made or apt-get update failed (see $work/fetch.log)"
    tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
    # Each version apt lists, newest first (a mirror may no longer hold the
    # newest one).
    versions=()
    while read -r v; do [ -n "$v" ] && versions+=("$1=$v"); done <<< "$(showsrc_versions "$1")"
    for v in "${versions[@]}"; do
      rm -f "$tmp"/*
      echo "+ apt-get source --download-only $v" >> "$work/fetch.log"
      if (cd "$tmp" && apt-get source --download-only -o APT::Sandbox::User=root "$v") >> "$work/fetch.log" 2>&1; then
        ok=1
        break
      fi
    done
    if [ $ok = 1 ]; then
      mv "$tmp"/* "$dir"/
    fi
    rm -rf "$tmp"
    [ $ok = 1 ] || skip "apt-get source $1 failed for every version apt knows (see $work/fetch.log)"
    dsc=$(find "$dir" -maxdepth 1 -name "${1}_*.dsc" | sort -V | tail -n 1)
    [ -n "$dsc" ] || skip "apt-get source $1 left no .dsc in $dir"
  fi
  flock -u 9
  exec 9>&-
}

fetch_source "$pkg"
echo "source: $(basename "$dsc")"
# Unpacked (Debian's patches applied) into the work folder; the cache stays
# as downloaded.
src=$work/src
if ! dpkg-source --no-copy -x "$dsc" "$src" > "$work/unpack.log" 2>&1; then
  cat "$work/unpack.log" >&2
  fail "dpkg-source -x $dsc failed (a damaged download? remove $cache/$pkg)"
fi

# ---------------------------------------------------------------------------
# The toolchain: clang, and xld through a logging ld.xld first on PATH.
log=$work/xld.log
case $linker in
  xld)
    make_logging_linker "$work/bin" "$log" "$build"
    export PATH="$work/bin:$PATH"
    ;;
  bfd) ;;
  *) fail "XLD_REALWORLD_LD must be xld or bfd, not $linker" ;;
esac
ldflags="-fuse-ld=$linker"
unset CFLAGS CPPFLAGS CXXFLAGS LDFLAGS LDLIBS MAKEFLAGS MFLAGS MAKELEVEL CONFIG_SITE
export CC=clang LC_ALL=C.UTF-8

# step NAME COMMAND...: runs COMMAND into WORK/NAME.log; on failure, its
# tail and a failure. Prints the seconds it took.
step() {
  local name=$1 t0=$SECONDS
  shift
  echo "+ $*" > "$work/$name.log"
  if ! "$@" >> "$work/$name.log" 2>&1; then
    tail -n 40 "$work/$name.log" | cut -c1-400 >&2
    fail "$name failed: $* (log: $work/$name.log)"
  fi
  echo "$name: $((SECONDS - t0)) s"
}

# The files' promises.
xld_made() {
  [ "$linker" = xld ] || return 0
  assert_linked_by_xld "$log" "$1"
}
check_lib() {  # FILE SONAME
  local h d l
  [ -f "$1" ] || fail "$1 was not built"
  h=$(readelf -hW "$1")
  d=$(readelf -dW "$1")
  l=$(readelf -lW "$1")
  grep -q 'Type: *DYN' <<< "$h" || fail "$1 is not ET_DYN"
  grep -qF "Library soname: [$2]" <<< "$d" || fail "$1 has no DT_SONAME $2: $(grep SONAME <<< "$d" || echo none)"
  if grep -q INTERP <<< "$l"; then fail "$1 (a library) has a PT_INTERP"; fi
  xld_made "$1"
  echo "library: $1 (DT_SONAME $2)"
}
check_prog() {  # FILE LIBDIR SONAME...: PT_INTERP, DT_NEEDED, ldd resolves into LIBDIR
  local f=$1 libdir=$2 d l r so
  shift 2
  [ -f "$f" ] || fail "$f was not built"
  d=$(readelf -dW "$f")
  l=$(readelf -lW "$f")
  grep -q INTERP <<< "$l" || fail "$f has no PT_INTERP (not dynamically linked)"
  r=$(LD_LIBRARY_PATH=$libdir ldd "$f" 2>&1) || fail "ldd $f failed: $r"
  for so in "$@"; do
    grep -qF "Shared library: [$so]" <<< "$d" || fail "$f has no DT_NEEDED $so"
    grep -qF "$so => $libdir/" <<< "$r" || fail "$f does not load $so from $libdir: $r"
  done
  xld_made "$f"
  echo "program: $f (DT_NEEDED $*)"
}
# lib_file DIR SONAME: the file a SONAME link in DIR points at.
lib_file() {
  [ -e "$1/$2" ] || fail "$1/$2 is missing"
  echo "$1/$(readlink "$1/$2" || basename "$2")"
}

# ---------------------------------------------------------------------------
case $project in
  zstd)
    # Upstream's CMake build (build/cmake, which Debian's rules configure
    # with BUILD_TESTING for the tests), with zstd linked against
    # libzstd.so (ZSTD_PROGRAMS_LINK_SHARED). upstream's Makefile target for
    # that, zstd-dll, does not link in 1.5.4 (fileio_asyncio.c calls POOL_*,
    # hidden in the Makefile's libzstd.so, with any linker).
    b=$work/build
    step configure env LDFLAGS="$ldflags" cmake -S "$src/build/cmake" -B "$b" -G "Unix Makefiles" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DZSTD_LEGACY_SUPPORT=ON -DZSTD_BUILD_TESTS=ON -DZSTD_PROGRAMS_LINK_SHARED=ON \
      -DZSTD_ZLIB_SUPPORT=ON -DZSTD_LZMA_SUPPORT=ON -DZSTD_LZ4_SUPPORT=ON
    step build cmake --build "$b" -j"$jobs" --target zstd datagen -- VERBOSE=1
    check_lib "$(lib_file "$b/lib" libzstd.so.1)" libzstd.so.1
    check_prog "$b/programs/zstd" "$b/lib" libzstd.so.1
    xld_made "$b/tests/datagen"
    v=$(LD_LIBRARY_PATH=$b/lib "$b/programs/zstd" -vV 2>&1) || fail "zstd -vV failed: $v"
    echo "zstd -vV: $v"
    # Like Debian's zstd: .gz, .xz and .lz4 too (playTests covers them).
    for f in gzip xz lz4; do
      grep -q "$f" <<< "$v" || fail "zstd was built without $f support: $v"
    done
    # The CMake project's playTests test: tests/playTests.sh on that zstd,
    # the suite that upstream's `make check` runs.
    step test env LD_LIBRARY_PATH="$b/lib" ctest --test-dir "$b" -R '^playTests$' --output-on-failure
    summary=$(grep -E 'tests passed' "$work/test.log" || true)
    grep -q 'out of 1$' <<< "$summary" || fail "ctest ran no playTests (log: $work/test.log)"
    echo "ctest: $summary"
    ;;

  sqlite3)
    # Debian's debian/rules: autoreconf, then configure with its options
    # and CFLAGS (without the hardening flags).
    step autoreconf bash -c "cd '$src' && autoreconf -f -i"
    multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2> /dev/null || gcc -print-multiarch)
    tcldir=/usr/lib/$multiarch/tcl8.6
    [ -f "$tcldir/tclConfig.sh" ] || skip "$tcldir/tclConfig.sh is missing (Debian package tcl-dev)"
    cflags="-O2 -fno-strict-aliasing -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA
      -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_RTREE=1 -DSQLITE_SOUNDEX=1
      -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_OMIT_LOOKASIDE=1 -DSQLITE_ENABLE_DBSTAT_VTAB
      -DSQLITE_ALLOW_ROWID_IN_VIEW -DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1 -DSQLITE_ENABLE_LOAD_EXTENSION
      -DSQLITE_ENABLE_JSON1 -DSQLITE_LIKE_DOESNT_MATCH_BLOBS -DSQLITE_THREADSAFE=1
      -DSQLITE_ENABLE_FTS3_TOKENIZER=1 -DSQLITE_USE_URI=1 -DSQLITE_MAX_SCHEMA_RETRY=25
      -DSQLITE_ENABLE_PREUPDATE_HOOK -DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_STMTVTAB
      -DSQLITE_MAX_VARIABLE_NUMBER=250000"
    cflags=$(tr -s ' \n' '  ' <<< "$cflags")
    b=$work/build
    mkdir -p "$b"
    step configure bash -c "cd '$b' && '$src/configure' CC=clang CFLAGS='$cflags' LDFLAGS='$ldflags -Wl,--as-needed' \
      --prefix=/usr --enable-threadsafe --enable-load-extension --enable-json --enable-fts4 --enable-fts5 \
      --disable-amalgamation --with-tcl='$tcldir' SHELL=/bin/sh"
    step build make -C "$b" -j"$jobs"
    # 3.40's Makefile.in lists ext/fts3/fts3_term.c in both TESTSRC and
    # TESTSRC2, which the non-amalgamation testfixture compiles both of:
    # sqlite3Fts3InitTerm defined twice (GNU ld refuses it too). Once is
    # enough.
    # shellcheck disable=SC2016 # make expands it
    step build-testfixture make -C "$b" -j"$jobs" testfixture \
      'TESTFIXTURE_SRC0=$(filter-out $(TOP)/ext/fts3/fts3_term.c,$(TESTSRC2)) libsqlite3.la'
    check_lib "$(lib_file "$b/.libs" libsqlite3.so.0)" libsqlite3.so.0
    check_prog "$b/.libs/sqlite3" "$b/.libs" libsqlite3.so.0
    check_prog "$b/.libs/testfixture" "$b/.libs" libsqlite3.so.0
    check_lib "$(lib_file "$b/.libs" libtclsqlite3.so)" libtclsqlite3.so
    # The shell tests run ./sqlite3 (the libtool wrapper, which runs
    # .libs/sqlite3); testfixture itself is .libs/testfixture.
    v=$(LD_LIBRARY_PATH=$b/.libs "$b/.libs/sqlite3" :memory: 'select sqlite_version(), sqlite_source_id();' 2>&1) ||
      fail "sqlite3 failed: $v"
    echo "sqlite3: $v"
    omit=("${sqlite_omit[@]}")
    [ "$(id -u)" != 0 ] || omit+=("${sqlite_omit_root[@]}")
    omit_re=$(printf '^%s\\.test$,' "${omit[@]}")
    export QUICKTEST_OMIT=${omit_re%,}
    echo "QUICKTEST_OMIT=$QUICKTEST_OMIT"
    # In the build folder, where the shell tests find ./sqlite3 (libtool's
    # wrapper of .libs/sqlite3).
    step test bash -c "cd '$b' && LD_LIBRARY_PATH='$b/.libs' '$b/.libs/testfixture' '$src/test/testrunner.tcl' --jobs $jobs veryquick ${sqlite_tests[*]}"
    summary=$(grep -E '^[0-9]+ errors? from [0-9]+ tests' "$work/test.log" || true)
    [ -n "$summary" ] || fail "no summary line from testrunner.tcl (log: $work/test.log)"
    echo "testrunner: $summary"
    n=$(awk '{ print $4 }' <<< "$summary")
    [ "$n" -ge 50000 ] || fail "only $n test cases ran (patterns no longer match? log: $work/test.log)"
    ;;

  libpng)
    # Debian's debian/rules: dh (autoreconf, configure), make, make check.
    step autoreconf bash -c "cd '$src' && autoreconf -f -i"
    chmod +x "$src/tests/pnggetset"
    b=$work/build
    mkdir -p "$b"
    step configure bash -c "cd '$b' && '$src/configure' CC=clang CFLAGS='-O2' LDFLAGS='$ldflags' --prefix=/usr"
    step build make -C "$b" -j"$jobs"
    step build-tests make -C "$b" -j"$jobs" check TESTS=
    check_lib "$(lib_file "$b/.libs" libpng16.so.16)" libpng16.so.16
    for p in pngtest pnggetset pngunknown pngstest pngvalid pngimage pngcp; do
      check_prog "$b/.libs/$p" "$b/.libs" libpng16.so.16
    done
    t0=$SECONDS
    if ! (cd "$b" && LD_LIBRARY_PATH=$b/.libs make -j"$jobs" check > "$work/test.log" 2>&1); then
      cat "$b/test-suite.log" >&2 || true
      fail "make check failed (log: $work/test.log, $b/test-suite.log)"
    fi
    echo "test: $((SECONDS - t0)) s"
    summary=$(grep -E '^# (TOTAL|PASS|FAIL|XFAIL|ERROR):' "$work/test.log" | tr '\n' ' ')
    echo "make check: $summary"
    grep -qE '^# FAIL: +0$' "$work/test.log" || fail "make check reports failures: $summary"
    grep -qE '^# PASS: +(3[0-9]|[4-9][0-9])$' "$work/test.log" || fail "make check ran fewer than 30 tests: $summary"
    ;;
esac
echo "ok: $test_name"
