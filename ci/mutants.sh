#!/usr/bin/env bash
# Mutation check, on demand: seeds one known bug at a time into a scratch copy of this tree (uncommitted changes
# included; the checkout itself is never touched), runs 'mvn verify' there and checks that the gate turns red
# with the failures filed under the expected report category. Prints each mutant's verdict and time.
#
#   ci/mutants.sh                 every mutant
#   ci/mutants.sh h2o-keeps-all   only the named ones (names below)
#   HEAVYKV_MUTANT_MAVEN_ARGS="-Dtest=... -Dsurefire.failIfNoSpecifiedTests=false" ci/mutants.sh ...   a narrower run
#
# A mutant "survives" when verify stays green: no test notices that bug, which is a hole to fill. A mutant is
# only "killed" when the build is red within the time limit (HEAVYKV_MUTANT_LIMIT seconds, 600 by default), at
# least one test failed, every failed or broken test of the report is filed under a "Product defects" category
# (none under test defects, environment problems or no category), and the mutant's expected category (an exact
# name from allure/categories.json) is among them. The table at the end gives each mutant's categories and time.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
models="${HEAVYKV_MODELS:-$root/../shared/models}"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/heavykv-mutants.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
tree="$scratch/tree"
limit="${HEAVYKV_MUTANT_LIMIT:-600}"

E=engine/src/main/java/io/heavykv
# name | file | sed expression (must change the file) | expected category (exact name)
MUTANTS=(
  # H2O's keep target comes from its schedule (KeepRatio, shared with the other scored policies) since the policies
  # became plug-ins: keeping every token seen there is "H2O keeps everything".
  "h2o-keeps-all|$E/eviction/schedule/KeepRatio.java|s/Arrays.fill(targets, share(ratio, view.tokensSeen()));/Arrays.fill(targets, view.tokensSeen());/|Product defects: a figure or output out of bounds"
  "streaming-keeps-all|$E/eviction/StreamingPolicy.java|s/if (budget.floorKeep() == length) continue;/if (budget.floorKeep() <= length) continue;/|Product defects: a figure or output out of bounds"
  "validator-accepts-any-plan|$E/eviction/PlanValidator.java|s/^\(    String check(ReservePlan plan, PagedKvCache<?> cache, EvictionPolicy policy) {\)$/\1 if (true) return null;/|Product defects: a figure or output out of bounds"
  # The frame's checksum catches the changed payload: the decoder refuses it (the engine throws) rather than
  # serve wrong KV, so the round-trip tests see an exception, not a wrong value.
  "codec-drops-nan-payload-bit|$E/codec/PlaneCodec.java|s/^\(        predictor.decode(v, n, shape.channels(), 8 \* width);\)$/\1 for (int i = 0; i < n; i++) { int e = width == 2 ? 0x7C00 : 0x7F800000, m = width == 2 ? 0x3FF : 0x7FFFFF; if ((v[i] \& e) == e \&\& (v[i] \& m) > 1) v[i] \&= ~1; }/|Product defects: the engine threw"
  "store-mode-flips-a-bit|$E/lossless/PageCodec.java|s/^\(        layout.join(k, v, frames.tokens(), page);\)$/\1 page[page.length \/ 2] ^= 1;/|Product defects: a figure or output out of bounds"
  "lossless-ratio-without-headers|$E/codec/eval/StatsAccumulator.java|s/compressed += frameBytes;/compressed += frameBytes - io.heavykv.codec.FrameHeader.BYTES;/|Product defects: a figure or output out of bounds"
  "every-codec-stored|$E/codec/FrameWriter.java|s/^\(        BlockCodec impl = BlockCodecs.of(codec);\)$/        codec = CodecId.STORED;\n\1/|Product defects: a figure or output out of bounds"
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
  rm -rf "$tree/target/allure-report"  # a run that builds no report must not be judged by the last one's
  start=$(date +%s)
  # Its own report history, so mutants never reach the real trend.
  (cd "$tree" && HEAVYKV_ALLURE_HISTORY="$scratch/history" mvn -B -ntp -o verify -Dheavykv.models="$models" \
      ${HEAVYKV_MUTANT_MAVEN_ARGS:-} > "$scratch/$name.log" 2>&1)
  code=$?
  seconds=$(( $(date +%s) - start ))
  cp "$scratch/original" "$tree/$file"
  line=$(grep -h '^heavykv: [0-9]* passed' "$scratch/$name.log" | tail -n 1)
  # "<verdict>|<categories seen>": ok when every failed or broken test is filed under a product category and
  # the expected one is among them.
  judged=$(python3 - "$tree/target/allure-report" "$expected" <<'EOF'
import json, os, sys
report, expected = sys.argv[1], sys.argv[2]
try:
    tree = json.load(open(os.path.join(report, "data", "categories.json")))
    statistic = json.load(open(os.path.join(report, "widgets", "summary.json")))["statistic"]
except (OSError, KeyError, ValueError):
    print("no report|(no report)")
    sys.exit()

def leaves(node):
    children = node.get("children")
    return [node] if children is None else [t for child in children for t in leaves(child)]

seen, product = {}, set()
for category in tree.get("children", []):
    uids = {t["uid"] for t in leaves(category)}
    seen[category["name"]] = len(uids)
    if category["name"].startswith("Product defects"):
        product |= uids
red = statistic.get("failed", 0) + statistic.get("broken", 0)
listing = "; ".join(f"{name}: {n}" for name, n in seen.items()) or "(none)"
if red == 0:
    verdict = "no test failed"
elif len(product) < red:
    verdict = f"{red - len(product)} of {red} failed tests not under a product category"
elif expected not in seen:
    verdict = f"not under '{expected}'"
else:
    verdict = "ok"
print(f"{verdict}|{listing}")
EOF
)
  verdict=${judged%%|*}
  categories=${judged#*|}
  if [ $code -eq 0 ]; then
    result="SURVIVED (verify stayed green)"; status=1
  elif [ "$verdict" != ok ]; then
    result="red, but $verdict"; status=1
  elif [ "$seconds" -gt "$limit" ]; then
    result="killed, but after more than ${limit}s"; status=1
  else
    result="killed"
  fi
  summary+=("$name: $result in ${seconds}s; ${line#heavykv: }; categories: $categories")
  cp "$scratch/$name.log" "$root/target/mutant-$name.log" 2>/dev/null || true
done

echo
for line in "${summary[@]}"; do echo "heavykv: mutant $line"; done
exit $status
