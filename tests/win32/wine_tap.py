# SPDX-License-Identifier: MIT
"""TAP for the Python drivers of the Windows tests (compare_wine.py,
compare_details.py, events_wine.py), and `ip -j` in the namespace."""
import json
import subprocess
import sys

points = []


def check(ok, what):
    """One test point; returns ok."""
    points.append(ok)
    print("%sok %d - %s" % ("" if ok else "not ", len(points), what))
    sys.stdout.flush()
    return ok


def ip_json(*args):
    return json.loads(subprocess.check_output(("ip", "-j") + args))


def finish():
    """The plan, and an exit status that says whether every point passed."""
    print("1..%d" % len(points))
    sys.exit(0 if all(points) else 1)
