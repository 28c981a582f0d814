#!/usr/bin/env python3
"""Writes the link line a compiler driver would pass to ld, as a response
file, so that every linker benchmarked gets exactly the same arguments.

    linkline.py OUT.rsp DRIVER [DRIVER-ARGS...]

runs `DRIVER -### DRIVER-ARGS -o OUT`, takes the linker command it prints
(the last line), drops the linker's path and `-o OUT`, and writes one
argument per line, quoted for GNU ld's @FILE reader.  Use the result as
`LINKER @OUT.rsp -o OUTPUT`.
"""
import os
import shlex
import subprocess
import sys


def driver_link_line(driver_cmd):
    res = subprocess.run(driver_cmd[:1] + ["-###"] + driver_cmd[1:] + ["-o", "OUT"],
                         capture_output=True, text=True, check=True)
    argv = shlex.split(res.stderr.strip().splitlines()[-1])[1:]
    i = argv.index("-o")
    del argv[i:i + 2]
    return argv


def write_rsp(path, argv):
    with open(path + ".tmp", "w") as fh:
        fh.write("\n".join(shlex.quote(a) for a in argv) + "\n")
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    write_rsp(sys.argv[1], driver_link_line(sys.argv[2:]))
