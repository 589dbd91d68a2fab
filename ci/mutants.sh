#!/usr/bin/env bash
# Mutation check, on demand: seeds one known bug at a time into a scratch copy of this tree (uncommitted changes
# included; the checkout itself is never touched), runs 'mvn verify' there and checks that the gate turns red
# with the failures filed under the expected report category. Prints each mutant's verdict and time.
#
#   ci/mutants.sh                 every mutant
#   ci/mutants.sh h2o-keeps-all   only the named ones (names below)
#   HEAVYKV_MUTANT_MAVEN_ARGS="-Dtest=... -Dsurefire.failIfNoSpecifiedTests=false" ci/mutants.sh ...   a narrower run
#
# A mutant "survives" when verify stays green: no test notices that bug, which is a hole to fill.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
models="${HEAVYKV_MODELS:-$root/../shared/models}"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/heavykv-mutants.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
tree="$scratch/tree"

E=engine/src/main/java/io/heavykv
# name | file | sed expression (must change the file) | expected category prefix
MUTANTS=(
  "h2o-keeps-all|$E/eviction/H2oPolicy.java|s/int target = (int) Math.min(seen, Math.floor(keepRatio \* seen + 1e-9));/int target = seen;/|Product defects"
  "streaming-keeps-all|$E/eviction/StreamingPolicy.java|s/if (budget.floorKeep() == length) continue;/if (budget.floorKeep() <= length) continue;/|Product defects"
  "validator-accepts-any-plan|$E/eviction/PlanValidator.java|s/^\(    String check(ReservePlan plan, PagedKvCache<?> cache, EvictionPolicy policy) {\)$/\1 if (true) return null;/|Product defects"
  "codec-drops-nan-payload-bit|$E/codec/PlaneCodec.java|s/^\(        predictor.decode(v, n, shape.channels(), 8 \* width);\)$/\1 for (int i = 0; i < n; i++) { int e = width == 2 ? 0x7C00 : 0x7F800000, m = width == 2 ? 0x3FF : 0x7FFFFF; if ((v[i] \& e) == e \&\& (v[i] \& m) > 1) v[i] \&= ~1; }/|Product defects"
  "store-mode-flips-a-bit|$E/lossless/PageCodec.java|s/^\(        layout.join(k, v, frames.tokens(), page);\)$/\1 page[page.length \/ 2] ^= 1;/|Product defects"
  "lossless-ratio-without-headers|$E/codec/eval/StatsAccumulator.java|s/compressed += frameBytes;/compressed += frameBytes - io.heavykv.codec.FrameHeader.BYTES;/|Product defects"
  "every-codec-stored|$E/codec/FrameWriter.java|s/^\(        BlockCodec impl = BlockCodecs.of(codec);\)$/        codec = CodecId.STORED;\n\1/|Product defects"
)

wanted=("$@")
selected() {
  [ ${#wanted[@]} -eq 0 ] && return 0
  local w; for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}

echo "heavykv: copying the tree to $tree"
mkdir -p "$tree"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -C "$tree" -xf -

mkdir -p "$root/target"
summary=()
status=0
for entry in "${MUTANTS[@]}"; do
  IFS='|' read -r name file expr expected <<<"$entry"
  selected "$name" || continue
  cp "$tree/$file" "$scratch/original"
  sed -i "$expr" "$tree/$file"
  if cmp -s "$tree/$file" "$scratch/original"; then
    summary+=("$name: NOT APPLIED (the code it mutates changed; update ci/mutants.sh)")
    status=1
    continue
  fi
  echo "heavykv: mutant $name: $(diff "$scratch/original" "$tree/$file" | grep '^>' | head -n 2 | cut -c1-160)"
  start=$(date +%s)
  # Its own report history, so mutants never reach the real trend.
  (cd "$tree" && HEAVYKV_ALLURE_HISTORY="$scratch/history" mvn -B -ntp -o verify -Dheavykv.models="$models" \
      ${HEAVYKV_MUTANT_MAVEN_ARGS:-} > "$scratch/$name.log" 2>&1)
  code=$?
  seconds=$(( $(date +%s) - start ))
  cp "$scratch/original" "$tree/$file"
  verdict=$(grep -h '^heavykv: [0-9]* passed' "$scratch/$name.log" | tail -n 1)
  categories=$(python3 - "$tree/target/allure-report/data/categories.json" <<'EOF'
import json, sys
try:
    tree = json.load(open(sys.argv[1]))
except OSError:
    print("(no report)")
    sys.exit()
print("; ".join(f"{c['name']}: {len(c.get('children', []))}" for c in tree.get("children", [])) or "(none)")
EOF
)
  if [ $code -eq 0 ]; then
    result="SURVIVED (verify stayed green)"; status=1
  elif [[ "$categories" == *"$expected"* ]]; then
    result="killed"
  else
    result="killed, but not under '$expected'"; status=1
  fi
  summary+=("$name: $result in ${seconds}s; ${verdict#heavykv: }; categories: $categories")
  cp "$scratch/$name.log" "$root/target/mutant-$name.log" 2>/dev/null || true
done

echo
for line in "${summary[@]}"; do echo "heavykv: mutant $line"; done
exit $status
