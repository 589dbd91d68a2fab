#!/usr/bin/env bash
# Installs the llama.cpp reference tool (tools/llamacpp-ref) once and prints the folder holding its
# node_modules as the last line of stdout. The install lives outside the checkout, in
# ${HEAVYKV_CACHE:-~/.cache/heavykv}/llamacpp-ref/<lockfile hash>/, so clean clones and CI runs reuse it;
# a new lockfile gets a new folder. Only the npm registry is contacted: node-llama-cpp's install script,
# which could download or compile llama.cpp, is not run, and the prebuilt CPU binary comes from the
# pinned @node-llama-cpp/linux-x64 package.
# With --check it installs nothing: it prints the folder if the install is there, else says what to run.
# Exit codes: 0 ready, 1 something is missing or failed (one "heavykv: ..." line on stderr says what).
set -euo pipefail
check=0
if [ "${1:-}" = "--check" ]; then check=1; fi
root=$(cd "$(dirname "$0")/.." && pwd)
tool="$root/tools/llamacpp-ref"
fail() { echo "heavykv: llama.cpp reference tool: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || fail "node is not on PATH (Node.js 20 or newer is needed)"
command -v npm >/dev/null 2>&1 || fail "npm is not on PATH (it comes with Node.js)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node.js $(node --version) is too old: 20 or newer is needed"
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] \
  || fail "only the linux-x64 prebuilt llama.cpp is pinned in $tool/package.json, this is $(uname -s)-$(uname -m)"

key=$(sha256sum "$tool/package-lock.json" | cut -c1-16)
cache="${HEAVYKV_CACHE:-$HOME/.cache/heavykv}/llamacpp-ref/$key"
if [ ! -f "$cache/.complete" ] && [ "$check" = 1 ]; then
  fail "not installed in $cache: run ci/llamacpp.sh once (it fetches node-llama-cpp 3.21.1 from npm)"
fi
if [ ! -f "$cache/.complete" ]; then
  echo "heavykv: installing the llama.cpp reference tool into $cache (once per lockfile)" >&2
  mkdir -p "$(dirname "$cache")"
  staging=$(mktemp -d "$(dirname "$cache")/.staging.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  cp "$tool/package.json" "$tool/package-lock.json" "$staging/"
  # --omit=optional drops node-llama-cpp's other prebuilt variants (CUDA, Vulkan, other CPUs: ~700 MB);
  # the CPU build we use is a direct dependency. --ignore-scripts: nothing may be downloaded or compiled.
  if ! (cd "$staging" && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm ci --omit=optional --ignore-scripts \
        --no-audit --no-fund --loglevel=error >"$staging/npm.log" 2>&1); then
    tail -n 5 "$staging/npm.log" >&2
    registry=$(npm config get registry 2>/dev/null || echo "the npm registry")
    fail "npm ci failed (is $registry reachable? the lines above are npm's own)"
  fi
  touch "$staging/.complete"
  rm -f "$staging/npm.log"
  # Another run may have finished the same install meanwhile; either copy is complete.
  if ! mv -T "$staging" "$cache" 2>/dev/null; then rm -rf "$staging"; fi
  trap - EXIT
fi
[ -f "$cache/node_modules/node-llama-cpp/package.json" ] || fail "$cache is incomplete: delete it and run again"
echo "$cache/node_modules"
