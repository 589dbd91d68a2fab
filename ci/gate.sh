#!/usr/bin/env bash
# The end of 'mvn verify' (the allure module's verify phase runs it; run by hand it judges the last build):
# builds the Allure report, checks the report's failure categories, then gives the verdict, whose last line
# is "heavykv: N passed, N failed, N skipped". Exits non-zero when any of the three fails; the report is built
# even when tests failed, since that is when a person most needs to read it.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
"$root/ci/report.sh" || { echo "heavykv: the Allure report could not be built (see above)" >&2; status=1; }
python3 "$root/ci/check-categories.py" || status=1
python3 "$root/ci/check-results.py" || status=1
exit $status
