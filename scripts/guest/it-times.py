#!/usr/bin/env python3
"""Prints how long the Linux guest's ITs took, from failsafe's XML reports in REPORTS_DIR: one line per Guest*IT
class, then `guest ITs: N classes, M s summed (limit 360 s)` (issue 15: the guest ITs add at most 6 minutes to
`./mvnw -B verify` on 2 cores). With --newer FILE only reports written after FILE count (reports of an earlier run
stay in target/ until a clean). Exits 1 when no guest IT ran; a sum over the limit is reported, not failed (the time
depends on the machine's load).

Usage: scripts/guest/it-times.py [--newer FILE] [REPORTS_DIR]  (default org.spice.runtime/target/failsafe-reports)
"""
import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

LIMIT_S = 360


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--newer", type=Path)
    parser.add_argument("reports", nargs="?", default="org.spice.runtime/target/failsafe-reports", type=Path)
    args = parser.parse_args()
    since = args.newer.stat().st_mtime if args.newer else 0
    times = {}
    for f in sorted(args.reports.glob("TEST-*.Guest*IT.xml")):
        if f.stat().st_mtime < since:
            continue
        suite = ET.parse(f).getroot()
        times[suite.get("name").rsplit(".", 1)[-1]] = (float(suite.get("time")), int(suite.get("tests")))
    if not times:
        print("guest ITs: none ran (no failsafe report of a Guest*IT in %s)" % args.reports)
        return 1
    for name, (seconds, tests) in times.items():
        print("guest IT %s: %.1f s, %d test(s)" % (name, seconds, tests))
    print("guest ITs: %d classes, %.0f s summed (limit %d s)"
          % (len(times), sum(t for t, _ in times.values()), LIMIT_S))
    return 0


if __name__ == "__main__":
    sys.exit(main())
