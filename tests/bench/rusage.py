#!/usr/bin/python3
"""rusage.py OUT CMD ARGS... - run CMD, then write to OUT its wall time,
user and system CPU (from getrusage of the child: microseconds, not the
10 ms of GNU time's report) and peak resident size in KB, one line:
"wall user sys maxrss_kb". Exits with CMD's status."""
import os, resource, subprocess, sys, time

out, cmd = sys.argv[1], sys.argv[2:]
before = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.monotonic()
with open(os.devnull, "wb") as null:
    rc = subprocess.call(cmd, stdout=null, stderr=open(out + ".err", "wb"))
wall = time.monotonic() - t0
after = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    f.write("%.6f %.6f %.6f %d\n" % (wall, after.ru_utime - before.ru_utime,
                                     after.ru_stime - before.ru_stime, after.ru_maxrss))
sys.exit(rc)
