#!/usr/bin/env python3
"""Checks that the report files each kind of failure under the right category.

steps/ runs scenarios that fail on purpose, one way each (steps/src/test/resources/categorytriggers), into
steps/target/category-trigger-results. This builds an Allure report from them with allure/categories.json, using
the same Allure command line as the real report, and checks that every scenario tagged @expect-product,
@expect-test or @expect-environment lands in exactly one category, whose name starts with "Product defects",
"Test defects" or "Environment" respectively. Run by ci/gate.sh; exits non-zero on any mismatch.
"""
import glob
import json
import os
import shutil
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
results = os.path.join(root, "steps", "target", "category-trigger-results")
report = os.path.join(root, "steps", "target", "category-trigger-report")
EXPECTED = {"expect-product": "Product defects", "expect-test": "Test defects", "expect-environment": "Environment"}


def fail(message):
    print(f"heavykv: category check: {message}", flush=True)
    sys.exit(1)


def allure_cli():
    found = sorted(glob.glob(os.path.join(root, "allure", "target", "allure-commandline", "allure-*", "bin", "allure")))
    if not found:
        fail("the Allure command line is missing under allure/target/allure-commandline")
    return found[-1]


def expectations():
    """Scenario name -> expected category prefix, from the trigger results' tags."""
    expected = {}
    for path in glob.glob(os.path.join(results, "*-result.json")):
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
        tags = [label["value"].lstrip("@") for label in result.get("labels", []) if label.get("name") == "tag"]
        wanted = [EXPECTED[t] for t in tags if t in EXPECTED]
        if len(wanted) != 1:
            fail(f"trigger scenario '{result.get('name')}' needs exactly one of the tags {sorted(EXPECTED)}")
        expected[result["name"]] = wanted[0]
    return expected


def categories_by_scenario():
    """Scenario name -> names of the categories the generated report files it under."""
    shutil.copy(os.path.join(root, "allure", "categories.json"), os.path.join(results, "categories.json"))
    env = dict(os.environ)
    if os.environ.get("HEAVYKV_REPORT_JAVA_HOME"):
        env["JAVA_HOME"] = os.environ["HEAVYKV_REPORT_JAVA_HOME"]
    subprocess.run([allure_cli(), "generate", "--clean", "-o", report, results], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(report, "data", "categories.json"), encoding="utf-8") as f:
        tree = json.load(f)
    found = {}

    def tests(node):  # a category holds its results grouped by status message
        children = node.get("children")
        return [node] if children is None else [t for child in children for t in tests(child)]

    for category in tree.get("children", []):
        for test in tests(category):
            found.setdefault(test["name"], []).append(category["name"])
    return found


expected = expectations()
if not expected:
    fail(f"no trigger results in {results} (the category-triggers execution of steps/pom.xml did not run)")
found = categories_by_scenario()
wrong = []
for name, prefix in sorted(expected.items()):
    got = found.get(name, [])
    verdict = "ok" if len(got) == 1 and got[0].startswith(prefix) else "WRONG"
    print(f"heavykv: category check {verdict}: '{name}' -> {got or ['(no category)']}, expected {prefix}")
    if verdict != "ok":
        wrong.append(name)
if wrong:
    fail(f"{len(wrong)} of {len(expected)} kinds of failure land in the wrong report category (allure/categories.json)")
print(f"heavykv: category check: all {len(expected)} kinds of failure land in their report category")
