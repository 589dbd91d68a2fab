#!/usr/bin/env python3
"""The build's verdict: fails when any test failed or erred, when a test module left no report, or when none ran.

The test modules record failures and let Maven go on (so every module runs and the report shows everything);
this, run last by ci/gate.sh in the allure module's verify phase, is where failures fail the build. It prints
every failure, then "heavykv: N passed, N failed, N skipped" as its last line (also kept in
target/test-summary.txt for ci/test.sh to repeat after Maven's own summary).
"""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEST_MODULES = ("engine", "cli", "steps", "properties")
TIME_LIMIT = "time limit exceeded: "

totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
broken = []
for module in TEST_MODULES:
    reports = sorted(glob.glob(os.path.join(root, module, "target", "surefire-reports", "TEST-*.xml")))
    if not reports:
        # Surefire writes a class's report when the class ends: none means the test JVM died first (a time limit
        # reached, a crash) or the module never got to its tests (a compilation error upstream).
        broken.append(f"FAILED: {module}: no test report; its tests did not run or their JVM stopped early (see the build log above)")
        totals["tests"] += 1
        totals["errors"] += 1
    for path in reports:
        try:
            suite = ET.parse(path).getroot()
        except ET.ParseError as e:
            broken.append(f"FAILED: {os.path.relpath(path, root)}: unreadable report ({e})")
            totals["tests"] += 1
            totals["errors"] += 1
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

# A test stopped at its time limit ended its JVM before Surefire could report it; io.heavykv.testing.TestTimeLimit
# left its name in the Allure results.
for path in sorted(glob.glob(os.path.join(root, "target", "allure-results", "*-result.json"))):
    with open(path, encoding="utf-8") as f:
        result = json.load(f)
    message = (result.get("statusDetails") or {}).get("message") or ""
    if message.startswith(TIME_LIMIT):
        broken.append(f"FAILED: {message}")
        totals["tests"] += 1
        totals["errors"] += 1

for line in broken:
    print(line)
failed = totals["failures"] + totals["errors"]
passed = totals["tests"] - failed - totals["skipped"]
summary = f"heavykv: {passed} passed, {failed} failed, {totals['skipped']} skipped"
os.makedirs(os.path.join(root, "target"), exist_ok=True)
with open(os.path.join(root, "target", "test-summary.txt"), "w", encoding="utf-8") as f:
    f.write(summary + "\n")
if totals["tests"] == 0:
    print("heavykv: no test ran", file=sys.stderr)
    broken.append("no test ran")
print(summary)
sys.exit(1 if broken else 0)
