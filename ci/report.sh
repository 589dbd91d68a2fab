#!/usr/bin/env bash
# Builds the HTML Allure report from the results every module's tests wrote to target/allure-results,
# offline, with the Allure command line the allure module unpacks from Maven Central. 'mvn verify' runs it
# (through ci/gate.sh); run it by hand to rebuild the report from the last results.
#   results:  target/allure-results   (written by Surefire in engine, cli, steps, properties)
#   report:   target/allure-report/index.html
#   history:  ~/.cache/heavykv/allure-history (or $HEAVYKV_ALLURE_HISTORY), outside the checkout so a fresh
#             clone or 'mvn clean' keeps the trend charts and each goal's trend: the report's history of earlier
#             runs, the run counter and the goals' figures run by run (goals-history.jsonl).
# The report loads its data with fetch(), which browsers refuse for file:// pages: serve it over HTTP.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# The Allure command line runs on any JDK: the one Maven runs on (ci/gate.sh passes it), or the engine's.
if [ -n "${HEAVYKV_REPORT_JAVA_HOME:-}" ] && [ -x "$HEAVYKV_REPORT_JAVA_HOME/bin/java" ]; then
  export JAVA_HOME="$HEAVYKV_REPORT_JAVA_HOME"
else
  . "$root/ci/jdk.sh"
  heavykv_find_jdk
fi

results="$root/target/allure-results"
report="$root/target/allure-report"
history="${HEAVYKV_ALLURE_HISTORY:-${XDG_CACHE_HOME:-$HOME/.cache}/heavykv/allure-history}"
models="${HEAVYKV_MODELS:-$root/models}"

if [ ! -d "$results" ] || [ -z "$(ls -A "$results")" ]; then
  echo "heavykv: no test results in $results; run ./ci/test.sh (or mvn verify) first." >&2
  exit 1
fi

allure_cli() {
  local found
  found=$(ls -d "$root"/allure/target/allure-commandline/allure-*/bin/allure 2>/dev/null | sort -V | tail -n 1 || true)
  echo "$found"
}
allure=$(allure_cli)
if [ -z "$allure" ]; then
  echo "heavykv: unpacking the Allure command line (allure module, prepare-package)"
  (cd "$root" && mvn -B -q -ntp -pl allure prepare-package)
  allure=$(allure_cli)
  [ -n "$allure" ] || { echo "heavykv: the Allure command line is missing under allure/target/allure-commandline" >&2; exit 1; }
fi
# The goals widget is an Allure plugin of ours, installed beside the command line's own.
rm -rf "$(dirname "$allure")/../plugins/goals-plugin"
cp -r "$root/allure/goals-plugin" "$(dirname "$allure")/../plugins/goals-plugin"

# java_property HOME NAME: a system property of the JDK at HOME.
java_property() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n "s/^ *$2 = //p" | head -n 1
}

cpu_model() {
  if [ -r /proc/cpuinfo ]; then
    sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1
  else
    sysctl -n machdep.cpu.brand_string 2>/dev/null || uname -p
  fi
}

# The SIMD features the engine's Vector API and F16 paths depend on; they explain speed differences between runs.
cpu_features() {
  local flags f out=""
  flags=$(sed -n 's/^flags[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
  for f in avx2 fma f16c avx512f avx512_fp16 asimd; do
    case " $flags " in *" $f "*) out="$out $f" ;; esac
  done
  echo "${out# }"
}

model_list() {
  local d names=""
  for d in "$models"/*/; do
    [ -d "$d" ] && names="$names $(basename "$d")"
  done
  echo "${names# }"
}

# Allure shows this file as the report's Environment widget. Values are plain text, escaped for .properties.
write_environment() {
  local commit dirty="" tests_jdk
  # The tests ran on the JDK 22+ the build selects (as ci/jdk.sh finds it), not on the one running Maven or Allure.
  tests_jdk=$( . "$root/ci/jdk.sh" && heavykv_find_jdk >/dev/null 2>&1 && echo "$JAVA_HOME" ) || tests_jdk="$JAVA_HOME"
  commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    dirty=" (with uncommitted changes)"
  fi
  {
    echo "JDK=$(java_property "$tests_jdk" java.version) ($(java_property "$tests_jdk" java.vendor), $(java_property "$tests_jdk" java.vm.name))"
    echo "JDK.home=$tests_jdk"
    echo "OS=$( (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME, ") )$(uname -srm)"
    echo "CPU=$(cpu_model)"
    echo "CPU.cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)"
    echo "CPU.simd=$(cpu_features)"
    echo "Models.dir=$(cd "$models" 2>/dev/null && pwd || echo "$models (missing)")"
    echo "Models=$(model_list)"
    echo "Git.commit=$commit$dirty"
    echo "Git.branch=$(git -C "$root" rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)"
    echo "Date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } | sed 's/\\/\\\\/g' > "$results/environment.properties"
}

# buildOrder numbers the runs on the trend charts; the counter lives beside the history.
write_executor() {
  local order=1
  [ -f "$history/build-order" ] && order=$(( $(cat "$history/build-order") + 1 ))
  mkdir -p "$history"
  echo "$order" > "$history/build-order"
  cat > "$results/executor.json" <<EOF
{"name": "heavykv mvn verify on $(uname -n)", "type": "local", "buildOrder": $order, "buildName": "heavykv run #$order", "reportName": "heavykv"}
EOF
}

cp "$root/allure/categories.json" "$results/categories.json"
write_environment
write_executor
rm -rf "$results/history"
[ -d "$history/history" ] && cp -r "$history/history" "$results/history"
# One result per goal and model (the "1. Goals" epic) and the overview widget's data, from the figures the
# scenarios attached and the goals' earlier figures.
python3 "$root/ci/goals.py" --results "$results" --history "$history/goals-history.jsonl" \
  --goals "$root/allure/goals.json" --widget "$root/target/goals-widget.json" --run "$(cat "$history/build-order")"

"$allure" generate --clean --name heavykv --config "$root/allure/allure.yml" -o "$report" "$results"
cp "$root/target/goals-widget.json" "$report/widgets/goals.json"

rm -rf "$history/history"
cp -r "$report/history" "$history/history"
python3 "$root/ci/goals.py" --record --widget "$root/target/goals-widget.json" --history "$history/goals-history.jsonl"

cat <<EOF
heavykv: Allure report in $report/index.html
  The page loads its data over HTTP (opened as file:// it stays on "Loading..."). To read it:
    python3 -m http.server --bind 127.0.0.1 --directory "$report" 8000   then open http://127.0.0.1:8000/
  or: $allure open "$report"
EOF
