#!/usr/bin/env python3
"""Fails when any Surefire report under the repository shows a failed or erroring test, or none ran.

ci/test.sh lets Maven run every module's tests even after a failure (so the Allure report is complete),
and then decides the verdict here from the reports themselves.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
broken = []
for path in sorted(glob.glob(os.path.join(root, "*", "target", "surefire-reports", "TEST-*.xml"))):
    try:
        suite = ET.parse(path).getroot()
    except ET.ParseError as e:
        broken.append(f"{os.path.relpath(path, root)}: unreadable report ({e})")
        continue
    for key in totals:
        totals[key] += int(suite.get(key, "0"))
    for case in suite.iter("testcase"):
        for kind in ("failure", "error"):
            node = case.find(kind)
            if node is not None:
                message = (node.get("message") or "").strip().splitlines()
                broken.append(f"{kind.upper()}: {case.get('classname')} > {case.get('name')}"
                              + (f": {message[0][:300]}" if message else ""))

for line in broken:
    print(line)
passed = totals["tests"] - totals["failures"] - totals["errors"] - totals["skipped"]
print(f"heavykv: {passed} passed, {totals['failures'] + totals['errors']} failed, {totals['skipped']} skipped")
if totals["tests"] == 0:
    print("heavykv: no test ran", file=sys.stderr)
    sys.exit(1)
sys.exit(1 if broken else 0)
