package io.heavykv.bench.results;

import io.heavykv.bench.RunRecord;
import io.heavykv.bench.gate.PairedDecode;
import io.heavykv.bench.quality.PerplexityResult;

import java.util.List;

/**
 * One model's line of the results table, derived from its records alone.
 *
 * @param lossyRatio      tokens seen / tokens held over all layers at the end of a bench run
 * @param losslessRatio   raw / stored bytes over all kept KV, as the runtime settled it
 * @param totalRatio      the two multiplied
 * @param perplexity      the candidate's perplexity on the held-out window; {@code fullPerplexity} the full cache's
 * @param meanKl          mean KL(full || candidate) of the next-token distributions, nats
 * @param decodeRatio     median over repeats of candidate / full decode tok/s, each pair from one repeat
 * @param heldBytes       K/V bytes the candidate holds at the end of a run, frames and caches counted
 * @param fullHeldBytes   K/V bytes the full cache holds at the end of the same setting
 */
public record ResultsRow(String model, String configuration, int promptTokens, int generatedTokens, int repeats,
                         double lossyRatio, double losslessRatio, double totalRatio,
                         double perplexity, double fullPerplexity, double perplexityRelative, double meanKl, long tokensScored,
                         double decodeRatio, double decodeRatioMin, double decodeRatioMax,
                         long heldBytes, long fullHeldBytes) {

    /**
     * @throws IllegalArgumentException when the records are not a results run: a failed run, no full-cache
     *                                  baseline, no candidate, or repeats whose deterministic figures differ
     */
    public static ResultsRow of(ModelResults results) {
        String where = "results records of " + results.model();
        for (RunRecord r : results.bench()) {
            if (!r.passed()) throw new IllegalArgumentException(where + ": run " + r.configId() + " repeat " + r.repeat() + " failed: " + r.error());
        }
        List<RunRecord> full = results.bench().stream().filter(r -> r.configId().equals(ResultsRun.FULL)).toList();
        List<RunRecord> candidates = results.bench().stream().filter(r -> !r.configId().equals(ResultsRun.FULL)).toList();
        if (full.isEmpty() || candidates.isEmpty()) {
            throw new IllegalArgumentException(where + ": needs bench runs of '" + ResultsRun.FULL + "' and of one other configuration");
        }
        RunRecord c = candidates.getFirst();
        if (!c.hasLossless()) throw new IllegalArgumentException(where + ": configuration " + c.configId() + " ran without lossless compression");
        for (RunRecord r : candidates) {
            if (!r.configId().equals(c.configId()) || r.lossyRatio() != c.lossyRatio() || !r.losslessRatio().equals(c.losslessRatio())
                    || !r.losslessHeldBytes().equals(c.losslessHeldBytes())) {
                throw new IllegalArgumentException(where + ": repeat " + r.repeat() + " of " + r.configId()
                        + " differs from repeat " + c.repeat() + " of " + c.configId() + " in a figure that must be deterministic");
            }
        }
        PairedDecode paired = PairedDecode.of(ResultsRun.FULL, results.bench()).getFirst();
        if (!paired.paired()) throw new IllegalArgumentException(where + ": no repeat ran both configurations");
        PerplexityResult fullQuality = quality(results, "full", where);
        PerplexityResult quality = quality(results, c.configId(), where);
        double min = paired.ratios().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = paired.ratios().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return new ResultsRow(results.model(), c.configId(), c.promptTokens(), c.generatedTokens(), paired.ratios().size(),
                c.lossyRatio(), c.losslessRatio(), c.totalRatio(),
                quality.perplexity(), fullQuality.perplexity(), quality.perplexityRelative(), quality.meanKl(), quality.tokensScored(),
                paired.medianRatio(), min, max, c.losslessHeldBytes(), full.getFirst().kvResidentBytes());
    }

    private static PerplexityResult quality(ModelResults results, String label, String where) {
        return results.quality().stream().filter(q -> q.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(where + ": no perplexity row for " + label));
    }
}
