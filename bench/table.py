#!/usr/bin/env python3
"""Summarises run.sh's measurements as one Markdown table per workload.

    table.py TIMES.tsv [FAILURES.tsv]

TIMES.tsv rows: workload round linker wall user sys maxrss_kb out_bytes
FAILURES.tsv rows: workload linker message (message may hold tabs' worth
of text; everything after the second tab).
Medians are over the rounds; RSS is the maximum over the rounds; "wall /
mold" divides each median wall time by mold's; the last column is the
fastest and slowest wall time.
"""
import collections
import statistics
import sys


def read_times(path):
    runs = collections.OrderedDict()  # workload -> linker -> [rows]
    with open(path) as fh:
        for line in fh:
            w, _round, linker, wall, user, sys_, rss, size = line.rstrip("\n").split("\t")
            runs.setdefault(w, collections.OrderedDict()).setdefault(linker, []).append(
                (float(wall), float(user) + float(sys_), int(rss), int(size)))
    return runs


def read_failures(path):
    fails = collections.defaultdict(list)
    if path:
        with open(path) as fh:
            for line in fh:
                w, linker, msg = line.rstrip("\n").split("\t", 2)
                fails[w].append((linker, msg))
    return fails


def table(linkers):
    mold = statistics.median(r[0] for r in linkers["mold"]) if "mold" in linkers else None
    # The wall-time range shows how noisy the machine was during the runs.
    out = ["| linker | wall (s) | CPU (s) | max RSS (MB) | output (MB) | wall / mold | wall min–max (s) |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for name, rows in linkers.items():
        wall = statistics.median(r[0] for r in rows)
        cpu = statistics.median(r[1] for r in rows)
        rss = max(r[2] for r in rows) / 1024
        size = rows[-1][3] / 1e6
        ratio = "%.2f" % (wall / mold) if mold else "-"
        spread = "%.3f–%.3f" % (min(r[0] for r in rows), max(r[0] for r in rows))
        out.append("| %s | %.3f | %.3f | %.0f | %.1f | %s | %s |" % (name, wall, cpu, rss, size, ratio, spread))
    return out


def main():
    runs = read_times(sys.argv[1])
    fails = read_failures(sys.argv[2] if len(sys.argv) > 2 else None)
    for w in list(runs) + [w for w in fails if w not in runs]:
        print("### %s\n" % w)
        if w in runs:
            print("\n".join(table(runs[w])))
            print("\n(%d runs each)" % max(len(r) for r in runs[w].values()))
        for linker, msg in fails.get(w, []):
            print("\n**%s failed:** `%s`" % (linker, msg))
        print()


if __name__ == "__main__":
    main()
