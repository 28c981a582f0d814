#!/usr/bin/env python3
"""Per-pass time of xld on two or more link jobs, from `--stats`, and how
each pass grows from the first job to the last: the passes that grow
faster than the input are where a link stops being linear.

    python3 bench/passes.py [-r REPS] [--xld build/xld] RSP RSP...
    python3 bench/passes.py ~/.cache/xld/bench/synth-100M-x86_64/link-static.rsp \\
                            ~/.cache/xld/bench/synth-1G-x86_64/link-static.rsp

Each job is linked REPS times (default 3), alternating jobs; the table
gives the median wall and serial (outside the thread pool) milliseconds of
every pass, and the last job's over the first's. A timing tool, not a test.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

PASS_LINE = re.compile(r"^(\s+\S.*?)\s+([0-9.]+)\s+([0-9.]+)")


def run_once(xld, rsp, out):
    p = subprocess.run([xld, "@" + rsp, "-o", out, "--stats"], capture_output=True, text=True,
                       cwd=os.path.dirname(os.path.abspath(rsp)))
    if p.returncode != 0:
        sys.exit("xld failed on %s:\n%s" % (rsp, p.stderr[-2000:]))
    times = {}
    for line in p.stderr.splitlines():
        m = PASS_LINE.match(line)
        if m:
            times[m.group(1).rstrip()] = (float(m.group(2)), float(m.group(3)))
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-r", "--reps", type=int, default=3)
    ap.add_argument("--xld", default="build/xld")
    ap.add_argument("rsps", nargs="+")
    args = ap.parse_args()
    if len(args.rsps) < 2:
        sys.exit("give at least two response files")
    xld = os.path.abspath(args.xld)
    runs = {rsp: [] for rsp in args.rsps}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        for _ in range(args.reps):
            for rsp in args.rsps:
                runs[rsp].append(run_once(xld, rsp, out))
                os.unlink(out)
    med = {}
    for rsp, rs in runs.items():
        med[rsp] = {k: (statistics.median(r[k][0] for r in rs if k in r), statistics.median(r[k][1] for r in rs if k in r))
                    for k in rs[0]}
    first, last = med[args.rsps[0]], med[args.rsps[-1]]
    names = [os.path.basename(os.path.dirname(r)) for r in args.rsps]
    print("%-26s" % "pass" + "".join("%19s" % n[-18:] for n in names) + "   growth  (serial ms per job)")
    for k in first:
        if all(med[r].get(k, (0, 0))[0] < 0.5 for r in args.rsps):
            continue
        row = "%-26s" % k + "".join("%19.1f" % med[r].get(k, (0, 0))[0] for r in args.rsps)
        growth = last.get(k, (0, 0))[0] / first[k][0] if first[k][0] >= 0.05 else float("nan")
        serial = " ".join("%.1f" % med[r].get(k, (0, 0))[1] for r in args.rsps)
        print(row + "   x%5.1f   (%s)" % (growth, serial))


if __name__ == "__main__":
    main()
