#!/usr/bin/env python3
"""Prints how long the Linux guest's ITs took, from failsafe's XML reports in REPORTS_DIR: one line per Guest*IT
class, then `guest ITs: N classes, M s summed (limit 360 s)` (issue 15: the guest ITs add at most 6 minutes to
`./mvnw -B verify` on 2 cores). Exits 1 when no guest IT ran at all; a sum over the limit is reported, not failed
(the time depends on the machine's load).

Usage: scripts/guest/it-times.py [REPORTS_DIR]  (default org.spice.runtime/target/failsafe-reports)
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

LIMIT_S = 360


def main(reports):
    times = {}
    for f in sorted(Path(reports).glob("TEST-*.Guest*IT.xml")):
        suite = ET.parse(f).getroot()
        times[suite.get("name").rsplit(".", 1)[-1]] = (float(suite.get("time")), int(suite.get("tests")))
    if not times:
        print("guest ITs: none ran (no failsafe report of a Guest*IT in %s)" % reports)
        return 1
    for name, (seconds, tests) in times.items():
        print("guest IT %s: %.1f s, %d test(s)" % (name, seconds, tests))
    print("guest ITs: %d classes, %.0f s summed (limit %d s)"
          % (len(times), sum(t for t, _ in times.values()), LIMIT_S))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "org.spice.runtime/target/failsafe-reports"))
