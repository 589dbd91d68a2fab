package io.heavykv.bench.gate;

import io.heavykv.bench.RunRecord;
import io.heavykv.bench.gate.GateResult.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Judges run records against a {@link GateSpec}. Ratio gates take the best candidate (the question is whether
 * some configuration reaches the target, which is what a sweep asks); budget gates take the worst; the decode
 * gate compares per configuration and setting, since speeds at different prompt lengths are not comparable.
 * With a same-batch baseline, the baseline configuration's own runs are not candidates.
 */
public final class Gates {
    private static final String ALL = "candidates";

    private Gates() {
    }

    public static GateVerdict evaluate(GateSpec spec, List<RunRecord> records) {
        String baselineId = switch (spec.decodeBaseline()) {
            case DecodeBaseline.SameBatch same -> same.configId();
            case DecodeBaseline.Paired paired -> paired.configId();
            case null, default -> null;
        };
        List<RunRecord> candidates = records.stream().filter(r -> !r.configId().equals(baselineId)).toList();
        List<RunRecord> passing = candidates.stream().filter(RunRecord::passed).toList();
        List<GateResult> results = new ArrayList<>();
        if (spec.allRunsPass()) {
            long failed = records.stream().filter(r -> !r.passed()).count();
            String firstError = records.stream().filter(r -> !r.passed()).map(r -> r.configId() + "/" + r.promptId() + ": " + r.error())
                    .findFirst().orElse("");
            results.add(new GateResult("all_runs_pass", records.size() + " runs", failed == 0 ? Status.PASS : Status.FAIL,
                    failed, 0, failed == 0 ? "failed runs" : "failed runs, first: " + firstError));
        }
        spec.minLossyRatio().ifPresent(min -> results.add(atLeast("min_lossy_ratio", passing, RunRecord::lossyRatio, min)));
        spec.minLosslessRatio().ifPresent(min -> results.add(atLeast("min_lossless_ratio", lossless(passing), RunRecord::losslessRatio, min)));
        spec.maxDecompUs().ifPresent(max -> results.add(atMost("max_decomp_us", lossless(passing), RunRecord::losslessDecodeUs, max)));
        spec.maxQueuePeak().ifPresent(max -> results.add(atMost("max_queue_peak", lossless(passing), RunRecord::losslessQueuePeak, max)));
        spec.maxFallbacks().ifPresent(max -> results.add(atMost("max_fallbacks", lossless(passing), RunRecord::losslessFallbacks, max)));
        spec.maxAsyncWaitUs().ifPresent(max -> results.add(atMost("max_async_wait_us", lossless(passing), RunRecord::losslessAsyncWaitUs, max)));
        if (spec.requireCacheHit()) {
            OptionalDouble hits = lossless(passing).stream().mapToDouble(r -> r.losslessCacheHits()).max();
            boolean ok = hits.isPresent() && hits.getAsDouble() > 0;
            results.add(new GateResult("require_cache_hit", ALL, ok ? Status.PASS : Status.FAIL, hits.orElse(Double.NaN), 1,
                    hits.isPresent() ? "most decode-cache hits in a run" : "no run measured the lossless decode cache"));
        }
        spec.maxDecodeDrop().ifPresent(max -> results.addAll(decodeDrop(spec.decodeBaseline(), records, passing, max)));
        return new GateVerdict(results);
    }

    /** The key a rolling baseline matches on: same machine, model, configuration and setting. */
    public static String historyKey(RunRecord r) {
        return String.join("|", r.machine(), r.model(), r.configId(), r.promptId(), Integer.toString(r.generatedTokens()));
    }

    private static List<GateResult> decodeDrop(DecodeBaseline baseline, List<RunRecord> all, List<RunRecord> passing, double maxDrop) {
        if (baseline instanceof DecodeBaseline.Paired paired) return pairedDrop(paired.configId(), all, maxDrop);
        Map<String, List<RunRecord>> groups = group(passing, r -> r.configId() + " @ " + r.promptId() + "/" + r.generatedTokens());
        List<GateResult> results = new ArrayList<>();
        if (groups.isEmpty()) {
            results.add(new GateResult("max_decode_drop", ALL, Status.FAIL, Double.NaN, maxDrop, "no passing candidate run to judge"));
        }
        for (Map.Entry<String, List<RunRecord>> group : groups.entrySet()) {
            RunRecord sample = group.getValue().get(0);
            double best = group.getValue().stream().mapToDouble(RunRecord::decodeTokS).max().orElseThrow();
            Reference ref = reference(baseline, all, sample);
            if (ref.tokS().isEmpty()) {
                Status status = baseline instanceof DecodeBaseline.Rolling ? Status.SKIPPED : Status.FAIL;
                results.add(new GateResult("max_decode_drop", group.getKey(), status, Double.NaN, maxDrop, ref.source()));
                continue;
            }
            double base = ref.tokS().getAsDouble();
            double drop = (base - best) / base;
            results.add(new GateResult("max_decode_drop", group.getKey(), drop <= maxDrop ? Status.PASS : Status.FAIL, drop, maxDrop,
                    String.format(java.util.Locale.ROOT, "best decode %.3f tok/s vs %s %.3f tok/s", best, ref.source(), base)));
        }
        return results;
    }

    private static List<GateResult> pairedDrop(String baselineId, List<RunRecord> all, double maxDrop) {
        List<PairedDecode> comparisons = PairedDecode.of(baselineId, all);
        List<GateResult> results = new ArrayList<>();
        if (comparisons.isEmpty()) {
            results.add(new GateResult("max_decode_drop", ALL, Status.FAIL, Double.NaN, maxDrop, "no passing candidate run to judge"));
        }
        for (PairedDecode c : comparisons) {
            if (!c.paired()) {
                results.add(new GateResult("max_decode_drop", c.subject(), Status.FAIL, Double.NaN, maxDrop,
                        "no passing run of baseline '" + baselineId + "' in the same repeat"));
                continue;
            }
            double drop = c.drop();
            results.add(new GateResult("max_decode_drop", c.subject(), drop <= maxDrop ? Status.PASS : Status.FAIL, drop, maxDrop,
                    String.format(java.util.Locale.ROOT, "median of %d paired ratios %.4f (%.3f vs '%s' %.3f tok/s, medians)",
                            c.ratios().size(), c.medianRatio(), c.candidateMedianTokS(), baselineId, c.baselineMedianTokS())));
        }
        return results;
    }

    private record Reference(OptionalDouble tokS, String source) { }

    private static Reference reference(DecodeBaseline baseline, List<RunRecord> all, RunRecord candidate) {
        return switch (baseline) {
            case DecodeBaseline.Paired paired -> throw new IllegalStateException("paired baselines are judged by pairedDrop");
            case DecodeBaseline.Fixed fixed -> new Reference(OptionalDouble.of(fixed.decodeTokS()), "fixed baseline");
            case DecodeBaseline.SameBatch same -> {
                OptionalDouble best = all.stream()
                        .filter(r -> r.passed() && r.configId().equals(same.configId())
                                && Objects.equals(r.promptId(), candidate.promptId()) && r.generatedTokens() == candidate.generatedTokens())
                        .mapToDouble(RunRecord::decodeTokS).max();
                yield new Reference(best, best.isPresent() ? "same-batch '" + same.configId() + "' best"
                        : "no passing run of baseline '" + same.configId() + "' on " + candidate.promptId() + "/" + candidate.generatedTokens());
            }
            case DecodeBaseline.Rolling rolling -> {
                String key = historyKey(candidate);
                double[] speeds = rolling.history().stream().filter(r -> r.passed() && historyKey(r).equals(key))
                        .mapToDouble(RunRecord::decodeTokS).toArray();
                double[] window = java.util.Arrays.copyOfRange(speeds, Math.max(0, speeds.length - rolling.window()), speeds.length);
                yield new Reference(window.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(PairedDecode.median(window)),
                        window.length == 0 ? "no history for this machine and setting yet"
                                : "rolling median of " + window.length + " past runs");
            }
        };
    }

    private static GateResult atLeast(String gate, List<RunRecord> runs, ToDoubleFunction<RunRecord> figure, double min) {
        OptionalDouble best = runs.stream().mapToDouble(figure).max();
        if (best.isEmpty()) return new GateResult(gate, ALL, Status.FAIL, Double.NaN, min, missing(gate));
        return new GateResult(gate, ALL, best.getAsDouble() >= min ? Status.PASS : Status.FAIL, best.getAsDouble(), min,
                "best of " + runs.size() + " runs");
    }

    private static GateResult atMost(String gate, List<RunRecord> runs, Function<RunRecord, Number> figure, double max) {
        OptionalDouble worst = runs.stream().map(figure).filter(Objects::nonNull).mapToDouble(Number::doubleValue).max();
        if (worst.isEmpty()) return new GateResult(gate, ALL, Status.FAIL, Double.NaN, max, missing(gate));
        return new GateResult(gate, ALL, worst.getAsDouble() <= max ? Status.PASS : Status.FAIL, worst.getAsDouble(), max,
                "worst of " + runs.size() + " runs");
    }

    private static String missing(String gate) {
        return gate.contains("lossy") ? "no passing candidate run" : "no passing candidate run measured lossless figures";
    }

    private static List<RunRecord> lossless(List<RunRecord> runs) {
        return runs.stream().filter(RunRecord::hasLossless).toList();
    }

    private static <K> Map<K, List<RunRecord>> group(List<RunRecord> runs, Function<RunRecord, K> key) {
        Map<K, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord r : runs) groups.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r);
        return groups;
    }
}
