#!/usr/bin/env bash
# The README's test command, a thin caller of 'mvn verify': every unit test, property and quick acceptance
# scenario, the Allure report, and the verdict (the build finds a JDK 22+ itself, see pom.xml). Extra arguments
# go to Maven (for example -Pslow for the slow scenarios too). Exits non-zero when any test or gate fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v mvn >/dev/null 2>&1 || { echo "heavykv: Maven (mvn) is not on PATH; install Maven 3.8 or newer." >&2; exit 1; }
cd "$root"
rm -f target/test-summary.txt
status=0
mvn -B -ntp verify "$@" || status=$?
# Maven prints its own summary after the verdict (ci/check-results.py): repeat the verdict as the closing line.
if [ -f target/test-summary.txt ]; then
  cat target/test-summary.txt
else
  echo "heavykv: 0 passed, 1 failed, 0 skipped (the build stopped before its verdict; see above)"
  status=1
fi
exit $status
