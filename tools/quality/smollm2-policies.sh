#!/usr/bin/env bash
# Perplexity and mean KL against the full cache of every registered policy on SmolLM2-135M-Instruct, on the held-out
# prose (Persuasion), at the budgets giving 2x, 3x and 5x lossy, in 2048- and 8192-token windows (one window each,
# its last 128 tokens scored). Each run's JSON lines are appended to records/quality/smollm2-ppl-<window>.jsonl,
# which features/smollm2_policy_table.feature holds the README's table to; remove that file first for a fresh table.
# A part of a table (a window, fewer ratios or policies) is run with the arguments, e.g.
#   tools/quality/smollm2-policies.sh 8192 3 streaming,h2o
# The 2048 table takes about 10 CPU-minutes (16 sessions), the 8192 one over half an hour of an idle 2-core machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
windows=${1:-2048 8192}
lossy=${2:-2,3,5}
policies=${3:-all}
mkdir -p "$root/records/quality"
for ctx in $windows; do
  out=$(mktemp -d)
  "$root/heavykv" ppl -m smollm2 --bundled heldout_persuasion.txt -c "$ctx" --windows 1 --tail 128 --lossy "$lossy" \
    --no-ratio-row --policies "$policies" -q --out "$out"
  cat "$out/ppl.jsonl" >> "$root/records/quality/smollm2-ppl-$ctx.jsonl"
  rm -r "$out"
done
