#!/usr/bin/env python3
"""Packs prepared link jobs into one self-contained tarball, so that the
same links can be timed on another machine (a many-core one, to measure
scaling) that has neither the compilers nor the sysroots.

  bench/bundle.py OUT.tar.xz JOBDIR[:RSP,...] ...

Each job's response files are rewritten to paths relative to the
unpacked tarball's root: the job's own objects and archives keep their
place under JOBNAME/, every other input (crt files, libc.a, libgcc.a, ...)
is copied into JOBNAME/sys/, and the -L directories become that one
directory. Run the links from the unpacked root: `LINKER @JOB/RSP -o OUT`.
Only static links are supported (the -l libraries are looked up as .a).
"""
import io
import lzma
import os
import sys
import tarfile


def rewrite(job, rsp_name, tar, added):
    name = os.path.basename(job.rstrip("/"))
    sysdir = name + "/sys"
    lines = open(os.path.join(job, rsp_name)).read().split("\n")
    search = [l[2:] for l in lines if l.startswith("-L")]
    out, first_l = [], True

    def add(path, arcname):
        if arcname not in added:
            tar.add(os.path.realpath(path), arcname)
            added.add(arcname)

    for line in lines:
        if not line or line.startswith("--sysroot="):
            continue
        if line.startswith("-L"):
            if first_l:
                out.append("-L" + sysdir)
                first_l = False
            continue
        if line.startswith("-l"):
            lib = "lib%s.a" % line[2:]
            found = next((os.path.join(d, lib) for d in search
                          if os.path.exists(os.path.join(d, lib))), None)
            if not found:
                sys.exit("bundle: %s: %s not found in the -L directories" % (rsp_name, lib))
            add(found, sysdir + "/" + lib)
            out.append(line)
            continue
        if line.startswith("/"):
            inside = os.path.relpath(line, job)
            if not inside.startswith(".."):
                arc = name + "/" + inside
            else:
                arc = sysdir + "/" + os.path.basename(line)
            add(line, arc)
            out.append(arc)
            continue
        out.append(line)
    text = ("\n".join(out) + "\n").encode()
    info = tarfile.TarInfo(name + "/" + rsp_name)
    info.size = len(text)
    tar.addfile(info, io.BytesIO(text))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with lzma.open(sys.argv[1], "wb", preset=6) as xz, \
            tarfile.open(fileobj=xz, mode="w") as tar:
        added = set()
        for spec in sys.argv[2:]:
            job, _, rsps = spec.partition(":")
            for rsp in (rsps.split(",") if rsps else ["link-static.rsp"]):
                rewrite(job, rsp, tar, added)
            if os.path.exists(os.path.join(job, "expected.txt")):
                tar.add(os.path.join(job, "expected.txt"),
                        os.path.basename(job.rstrip("/")) + "/expected.txt")


if __name__ == "__main__":
    main()
