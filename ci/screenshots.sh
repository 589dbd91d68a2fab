#!/usr/bin/env bash
# PNG screenshots of a built Allure report with headless Chromium: the Overview (the goals table, then the trend
# of earlier runs) and the Graphs page (the categories and duration trends). The report reads its data with
# fetch(), which browsers refuse on file:// pages, so it is served over HTTP on a free local port meanwhile.
#   ci/screenshots.sh [REPORT_DIR [OUT_DIR]]   (default target/allure-report, target/screenshots)
#   CHROMIUM=/path/to/chromium                 another browser binary (default: chromium on PATH, /usr/bin/chromium)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
report=$(cd "${1:-$root/target/allure-report}" && pwd)
out="${2:-$root/target/screenshots}"
chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || echo /usr/bin/chromium)}"
[ -x "$chromium" ] || { echo "heavykv: no Chromium at $chromium (set CHROMIUM)" >&2; exit 1; }
[ -f "$report/index.html" ] || { echo "heavykv: $report holds no Allure report (index.html)" >&2; exit 1; }
mkdir -p "$out"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$report" >/dev/null 2>&1 &
server=$!
profiles=$(mktemp -d "${TMPDIR:-/tmp}/heavykv-chromium.XXXXXX")
trap 'kill "$server" 2>/dev/null; rm -rf "$profiles"' EXIT
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/index.html', timeout=1)" 2>/dev/null && break
  sleep 0.2
done

# page (after index.html), file name, window size. Each shot gets a fresh profile, so nothing cached or synced
# from an earlier shot changes it; the virtual time budget lets the report's scripts load and draw first.
shot() {
  local profile
  profile=$(mktemp -d "$profiles/profile.XXXXXX")
  "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars --window-size="$3" \
    --virtual-time-budget=20000 --screenshot="$out/$2" "http://127.0.0.1:$port/index.html$1" >/dev/null 2>&1
  echo "heavykv: $out/$2"
}
shot "" overview.png 1400,1400
shot "#graph" graphs.png 1400,1400
