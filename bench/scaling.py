#!/usr/bin/env python3
"""Thread scaling: links one response file with each linker at each thread
count, alternately (every round runs every linker at every count, in an
order rotated each round), and prints median wall time, CPU time, peak RSS,
speed-up over one thread and the ratio to the reference linker.

  bench/scaling.py [-r REPS] [-t 1,2,4,8,16] [--check CMD] RSP \
      NAME='COMMAND --threads={n}' ...

The first linker named is the reference for the ratio column. {n} in a
command is replaced by the thread count. Every output of the first linker
is compared byte for byte with its one-thread output (determinism at every
thread count); --check CMD runs the one-thread output once ({} is its
path) and prints what it says.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def link(cmd, rsp, out):
    if os.path.exists(out):
        os.unlink(out)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd.split() + ["@" + rsp, "-o", out],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        sys.exit("scaling: %s failed:\n%s" % (cmd, err.decode(errors="replace")))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-r", "--reps", type=int, default=5)
    ap.add_argument("-t", "--threads", default="1,2,4,8,16")
    ap.add_argument("--check")
    ap.add_argument("rsp")
    ap.add_argument("linkers", nargs="+")
    a = ap.parse_args()
    counts = [int(x) for x in a.threads.split(",")]
    linkers = [l.split("=", 1) for l in a.linkers]
    tmp = tempfile.mkdtemp(prefix="xld-scaling.")
    ref_name = linkers[0][0]
    runs = {}
    jobs = [(name, cmd, n) for name, cmd in linkers for n in counts]
    base = os.path.join(tmp, "ref-1")
    link(linkers[0][1].replace("{n}", "1"), a.rsp, base)
    if a.check:
        print(subprocess.run(a.check.replace("{}", base), shell=True,
                             capture_output=True, text=True).stdout.strip())
    identical = True
    for rnd in range(a.reps):
        k = rnd % len(jobs)
        for name, cmd, n in jobs[k:] + jobs[:k]:
            out = os.path.join(tmp, "out")
            runs.setdefault((name, n), []).append(
                link(cmd.replace("{n}", str(n)), a.rsp, out))
            if name == ref_name and open(out, "rb").read() != open(base, "rb").read():
                identical = False
                print("%s --threads=%d: output differs from --threads=1" % (name, n))
    print("\n%s, %d rounds; medians\n" % (a.rsp, a.reps))
    print("| threads | " + " | ".join("%s wall (s) | speed-up | CPU (s) | RSS (MB)" % n
                                      for n, _ in linkers)
          + " | %s / %s |" % (ref_name, linkers[-1][0]))
    print("|---:|" + "---:|---:|---:|---:|" * len(linkers) + "---:|")
    for n in counts:
        cells, walls = [], []
        for name, _ in linkers:
            r = runs[(name, n)]
            wall = statistics.median(x[0] for x in r)
            one = statistics.median(x[0] for x in runs[(name, counts[0])])
            cells.append("%.3f | %.2f | %.3f | %.0f" % (
                wall, one / wall, statistics.median(x[1] for x in r), max(x[2] for x in r)))
            walls.append(wall)
        print("| %d | %s | %.2f |" % (n, " | ".join(cells), walls[0] / walls[-1]))
    print("\n%s output identical at every thread count: %s" % (ref_name, "yes" if identical else "NO"))
    subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
