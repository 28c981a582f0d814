#!/usr/bin/env python3
"""Generates a synthetic link job for benchmarking linkers.

    gen.py --size 10M|100M|1G --arch x86_64|aarch64 [--debug] OUTDIR

OUTDIR receives:
  src/*.c               the generated program (deterministic for given options)
  obj/*.o               its objects, compiled with clang -O2 -ffunction-sections
                        -fdata-sections -fPIE (-g with --debug)
  lib/libbench.a        the second half of the file objects, as an archive
  link-static.rsp       the link line clang's driver would pass to ld for
  link-static-pie.rsp   -static / -static-pie, without the linker and -o:
                        run `LINKER @link-static.rsp -o OUT`
  expected.txt          what the program must print
  job.json              written last: the job is complete

The program has many small functions (each its own section), string
literals (a pool shared by every file, so SHF_MERGE deduplication matters,
plus one unique literal per function), calls and data references across
files, function-pointer tables (dynamic relocations in static-pie), .data,
.bss and .rodata, and TLS variables (initialised and zero) in every eighth
file.  main() runs everything once and prints a checksum which this script
also computes by simulating the program, so a link can be checked exactly.

Generation is incremental: sources are rewritten only when their text
changes, objects are recompiled only when older than their source, and a
complete job (job.json matching the options) is left alone.  Objects are
written under a temporary name and renamed, so an interrupted run never
leaves a truncated object that looks finished.
"""
import argparse
import collections
import concurrent.futures
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys

# Keep the repository clean: no __pycache__ beside the scripts.
sys.dont_write_bytecode = True
from linkline import driver_link_line, write_rsp  # noqa: E402

# Number of C files per size class.  Measured on x86_64: one generated
# file compiles to about 190 KB of object (without -g), so these give
# roughly 10 MB, 100 MB and 1 GB of objects.
FILES = {"10M": 52, "100M": 520, "1G": 5200}
NODES_PER_FILE = 300   # functions that file_N_run calls through a table
LEAVES_PER_FILE = 60   # functions other files call directly
SHARED_STRINGS = 500   # pool of literals used by every file
TLS_EVERY = 8          # files 0, 8, 16, ... define TLS variables
SEED = 0x12345678
M32 = 0xFFFFFFFF

TARGETS = {"x86_64": "x86_64-linux-gnu", "aarch64": "aarch64-linux-gnu"}
# GNU ld for each arch: Debian's ld.bfd only knows x86; the cross binutils
# (binutils-aarch64-linux-gnu) provide aarch64's.
GNU_LD = {"x86_64": "ld.bfd", "aarch64": "aarch64-linux-gnu-ld.bfd"}

WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo "
         "lima mike november oscar papa quebec romeo sierra tango uniform "
         "victor whiskey xray yankee zulu").split()


# One function node_I_J: a = x * mul + k_I[k]; a ^= hash(str);
# a += leaf_T_U(a ^ g_T_data[v]).
Node = collections.namedtuple("Node", "mul k str t u v")


def script_digest():
    """Identifies this generator's version: gen.py and linkline.py."""
    h = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("gen.py", "linkline.py"):
        with open(os.path.join(here, name), "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()[:16]


def fnv1a(s):
    """The program's bench_hash: 32-bit FNV-1a over the string's bytes."""
    h = 0x811C9DC5
    for b in s.encode():
        h = ((h ^ b) * 0x01000193) & M32
    return h


# ---------------------------------------------------------------- the model

class Model:
    """All constants of the program, drawn from one seeded generator so the
    same options always give the same sources."""

    def __init__(self, nfiles):
        rnd = random.Random(SEED + nfiles)
        self.n = nfiles
        self.shared = [self._sentence(rnd, "shared %d" % k) for k in range(SHARED_STRINGS)]
        self.files = [self._file(rnd, i) for i in range(nfiles)]

    @staticmethod
    def _sentence(rnd, tag):
        return "%s: %s" % (tag, " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 8))))

    def _file(self, rnd, i):
        f = {
            "data": [rnd.getrandbits(32) for _ in range(8)],
            "konst": [rnd.getrandbits(32) for _ in range(8)],
            "tls": i % TLS_EVERY == 0,
            "tls_init": rnd.getrandbits(16),
            "leaves": [(rnd.getrandbits(32), rnd.getrandbits(32) | 1, rnd.randint(1, 31))
                       for _ in range(LEAVES_PER_FILE)],
            "nodes": [],
        }
        for j in range(NODES_PER_FILE):
            # Half the functions use a shared literal, half their own.
            if rnd.random() < 0.5:
                s = self.shared[rnd.randrange(SHARED_STRINGS)]
            else:
                s = self._sentence(rnd, "file %d func %d" % (i, j))
            # A tuple, not a dict: the 1G class has over a million of them.
            f["nodes"].append(Node(
                mul=rnd.getrandbits(32) | 1,
                k=rnd.randrange(8),
                str=s,
                t=(i + 1 + rnd.randrange(max(1, self.n - 1))) % self.n,  # another file
                u=rnd.randrange(LEAVES_PER_FILE),
                v=rnd.randrange(8),
            ))
        return f

    # The simulation mirrors the C code below line by line.
    def expected_output(self):
        tls = [f["tls_init"] for f in self.files]
        tls_bss = [0] * self.n
        acc = SEED
        for i, f in enumerate(self.files):
            bss = [0] * 8
            for j, nd in enumerate(f["nodes"]):
                a = (acc * nd.mul + f["konst"][nd.k]) & M32
                a ^= fnv1a(nd.str)
                t = self.files[nd.t]
                c1, c2, s = t["leaves"][nd.u]
                x = a ^ t["data"][nd.v]
                a = (a + ((x ^ c1) * c2 + (x >> s))) & M32
                if f["tls"]:
                    tls[i] = (tls[i] + (a & 0xFF)) & M32
                    tls_bss[i] ^= a
                    a ^= (tls[i] + tls_bss[i]) & M32
                acc = a
                bss[j & 7] = (bss[j & 7] + acc) & M32
            acc ^= bss[acc & 7]
        acc ^= tls[0]
        return "checksum %08x\n" % acc


# ------------------------------------------------------------------ sources

def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def file_source(model, i):
    f = model.files[i]
    out = ["/* generated by bench/gen.py: file %d */" % i,
           "unsigned bench_hash(const char *s);"]
    # Declarations of what this file uses from other files.
    used = sorted({(nd.t, nd.u) for nd in f["nodes"]})
    for t in sorted({t for t, _ in used}):
        out.append("extern unsigned g_%d_data[8];" % t)
    for t, u in used:
        out.append("unsigned leaf_%d_%d(unsigned);" % (t, u))
    out.append("unsigned g_%d_data[8] = {%s};" % (i, ", ".join("%uu" % d for d in f["data"])))
    out.append("static const unsigned k_%d[8] = {%s};" % (i, ", ".join("%uu" % d for d in f["konst"])))
    out.append("static unsigned g_%d_bss[8];" % i)
    if f["tls"]:
        out.append("__thread unsigned tls_%d = %d;" % (i, f["tls_init"]))
        out.append("__thread unsigned tls_bss_%d;" % i)
    for u, (c1, c2, s) in enumerate(f["leaves"]):
        out.append("unsigned leaf_%d_%d(unsigned x) { return (x ^ %uu) * %uu + (x >> %d); }"
                   % (i, u, c1, c2, s))
    for j, nd in enumerate(f["nodes"]):
        body = ["unsigned node_%d_%d(unsigned x) {" % (i, j),
                "  unsigned a = x * %uu + k_%d[%d];" % (nd.mul, i, nd.k),
                "  a ^= bench_hash(%s);" % c_string(nd.str),
                "  a += leaf_%d_%d(a ^ g_%d_data[%d]);" % (nd.t, nd.u, nd.t, nd.v)]
        if f["tls"]:
            body += ["  tls_%d += a & 0xff;" % i,
                     "  tls_bss_%d ^= a;" % i,
                     "  a ^= tls_%d + tls_bss_%d;" % (i, i)]
        body += ["  return a;", "}"]
        out.extend(body)
    # A table of function pointers: absolute addresses, so static-pie
    # needs a RELATIVE dynamic relocation for every entry.
    out.append("static unsigned (*const node_tab[%d])(unsigned) = {" % NODES_PER_FILE)
    out.extend("  node_%d_%d," % (i, j) for j in range(NODES_PER_FILE))
    out.append("};")
    out += ["unsigned file_%d_run(unsigned acc) {" % i,
            "  for (unsigned j = 0; j < %d; j++) {" % NODES_PER_FILE,
            "    acc = node_tab[j](acc);",
            "    g_%d_bss[j & 7] += acc;" % i,
            "  }",
            "  return acc ^ g_%d_bss[acc & 7];" % i,
            "}", ""]
    return "\n".join(out)


def main_source(model):
    out = ["/* generated by bench/gen.py: main */",
           "#include <stdio.h>",
           "extern __thread unsigned tls_0;"]
    out += ["unsigned file_%d_run(unsigned);" % i for i in range(model.n)]
    out += ["unsigned bench_hash(const char *s) {",
            "  unsigned h = 0x811c9dc5u;",
            "  while (*s) h = (h ^ (unsigned char)*s++) * 0x01000193u;",
            "  return h;",
            "}",
            "int main(void) {",
            "  unsigned acc = %uu;" % SEED]
    out += ["  acc = file_%d_run(acc);" % i for i in range(model.n)]
    out += ["  acc ^= tls_0;",
            '  printf("checksum %08x\\n", acc);',
            "  return 0;",
            "}", ""]
    return "\n".join(out)


def write_if_changed(path, text):
    """Keeps the mtime of unchanged sources, so their objects stay valid."""
    try:
        with open(path) as fh:
            if fh.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path + ".tmp", "w") as fh:
        fh.write(text)
    os.replace(path + ".tmp", path)


# -------------------------------------------------------------- compilation

def default_sysroot():
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(cache, "xld", "sysroots", "aarch64-linux-gnu")


def ensure_sysroot(path):
    if os.path.exists(os.path.join(path, "VERSIONS")):
        return
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sysroots", "make-sysroot.sh")
    subprocess.run(["bash", script, "aarch64-linux-gnu", path], check=True)


def target_flags(args):
    if args.arch == "aarch64":
        return ["--target=aarch64-linux-gnu", "--sysroot=" + args.sysroot]
    return []


def compile_one(cmd, src, obj):
    if os.path.exists(obj) and os.path.getmtime(obj) >= os.path.getmtime(src):
        return
    tmp = obj + ".tmp"
    subprocess.run(cmd + ["-c", src, "-o", tmp], check=True)
    os.replace(tmp, obj)


def compile_all(args, pairs):
    cmd = ["clang", "-O2", "-ffunction-sections", "-fdata-sections", "-fPIE"] + target_flags(args)
    if args.debug:
        cmd.append("-g")
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(compile_one, cmd, s, o) for s, o in pairs]
        for n, fut in enumerate(concurrent.futures.as_completed(futures), 1):
            fut.result()
            if n % 100 == 0:
                print("gen.py: compiled %d/%d" % (n, len(pairs)), file=sys.stderr)


def make_archive(objs, path):
    # llvm-ar writes a symbol index for any target; Debian's GNU ar only
    # indexes the host's object format.
    # Rebuilt every time (it takes a moment): its member list follows the
    # size class, not the objects' dates.
    ar = shutil.which("llvm-ar") or shutil.which("llvm-ar-14") or "ar"
    if os.path.exists(path + ".tmp"):
        os.remove(path + ".tmp")
    subprocess.run([ar, "rcs", path + ".tmp"] + objs, check=True)
    os.replace(path + ".tmp", path)


# ---------------------------------------------------------------- link line

def link_line(args, mode, inputs):
    """What clang's driver passes to ld for this link (see linkline.py)."""
    return driver_link_line(["clang"] + target_flags(args) + [mode] + inputs)


def check_with_gnu_ld(args, rsp, expected):
    """Links once with GNU ld and runs the program: a job that GNU ld cannot
    link correctly is useless as a benchmark."""
    exe = os.path.join(args.outdir, "check.out")
    subprocess.run([GNU_LD[args.arch], "@" + rsp, "-o", exe], check=True)
    run = [exe] if args.arch == "x86_64" else ["qemu-aarch64", exe]
    got = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    os.remove(exe)
    if got != expected:
        sys.exit("gen.py: %s linked by GNU ld printed %r, expected %r" % (rsp, got, expected))


# --------------------------------------------------------------------- main

def parse_args():
    p = argparse.ArgumentParser(description="Generate a synthetic link job.")
    p.add_argument("--size", choices=sorted(FILES), required=True)
    p.add_argument("--arch", choices=sorted(TARGETS), default="x86_64")
    p.add_argument("--debug", action="store_true", help="compile with -g")
    p.add_argument("--jobs", type=int, default=2, help="parallel compilers (default 2)")
    p.add_argument("--sysroot", default=default_sysroot(), help="aarch64 sysroot")
    p.add_argument("outdir")
    args = p.parse_args()
    args.outdir = os.path.abspath(args.outdir)
    return args


def load_json(path):
    try:
        with open(path) as fh:
            return json.load(fh)
    except (FileNotFoundError, ValueError):
        return None


def prepare_outdir(outdir, flags, params):
    """True if OUTDIR already holds this complete job.  Otherwise makes the
    directories, dropping objects compiled with other flags."""
    stamp = os.path.join(outdir, "job.json")
    job = load_json(stamp)
    if job and job.get("params") == params:
        return True
    if job:
        os.remove(stamp)
    flagfile = os.path.join(outdir, "obj", "flags.json")
    if load_json(flagfile) != flags:
        shutil.rmtree(os.path.join(outdir, "obj"), ignore_errors=True)
    for d in ("src", "obj", "lib"):
        os.makedirs(os.path.join(outdir, d), exist_ok=True)
    with open(flagfile, "w") as fh:
        json.dump(flags, fh)
    return False


def main():
    args = parse_args()
    flags = {"arch": args.arch, "debug": args.debug,
             "sysroot": args.sysroot if args.arch == "aarch64" else None}
    # Any edit to this script regenerates the sources; only those whose text
    # changed are recompiled.
    params = dict(flags, size=args.size, generator=script_digest())
    if prepare_outdir(args.outdir, flags, params):
        print("gen.py: %s is complete" % args.outdir, file=sys.stderr)
        return
    if args.arch == "aarch64":
        ensure_sysroot(args.sysroot)

    model = Model(FILES[args.size])
    names = ["main"] + ["f%04d" % i for i in range(model.n)]
    srcs = [os.path.join(args.outdir, "src", n + ".c") for n in names]
    objs = [os.path.join(args.outdir, "obj", n + ".o") for n in names]
    write_if_changed(srcs[0], main_source(model))
    for i in range(model.n):
        write_if_changed(srcs[i + 1], file_source(model, i))
    compile_all(args, list(zip(srcs, objs)))

    # main.o and the first half of the files stay loose objects; the rest
    # are archive members that the linker must pull in by symbol.
    half = 1 + model.n // 2
    archive = os.path.join(args.outdir, "lib", "libbench.a")
    make_archive(objs[half:], archive)
    inputs = objs[:half] + [archive]

    expected = model.expected_output()
    with open(os.path.join(args.outdir, "expected.txt"), "w") as fh:
        fh.write(expected)
    for mode, name in (("-static", "link-static.rsp"), ("-static-pie", "link-static-pie.rsp")):
        rsp = os.path.join(args.outdir, name)
        write_rsp(rsp, link_line(args, mode, inputs))
        check_with_gnu_ld(args, rsp, expected)

    obj_bytes = sum(os.path.getsize(o) for o in objs)
    stamp = os.path.join(args.outdir, "job.json")
    with open(stamp + ".tmp", "w") as fh:
        json.dump({"params": params, "files": len(objs), "object_bytes": obj_bytes,
                   "expected": expected.strip()}, fh, indent=1)
    os.replace(stamp + ".tmp", stamp)  # last: marks the job complete
    print("gen.py: %s: %d objects, %.1f MB" % (args.outdir, len(objs), obj_bytes / 1e6), file=sys.stderr)


if __name__ == "__main__":
    main()
