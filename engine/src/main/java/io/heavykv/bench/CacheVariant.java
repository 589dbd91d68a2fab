package io.heavykv.bench;

import io.heavykv.eviction.FullConfig;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.eviction.KvCacheConfig;
import io.heavykv.eviction.StreamingConfig;

/**
 * A KV cache configuration under a short label, named as the results tables name them:
 * {@code streaming_<sink>_<window>} and {@code h2o_<sink>_<recent>_<capacity>}.
 *
 * @param family       {@code full}, {@code streaming}, {@code h2o} (fixed capacity) or {@code h2o-ratio}; charts draw one series per family
 * @param budgetTokens tokens per layer the cache holds at most, 0 when it has no fixed budget
 */
public record CacheVariant(String label, String family, int budgetTokens, KvCacheConfig config) {

    public CacheVariant {
        if (label == null || label.isBlank()) throw new IllegalArgumentException("a cache variant needs a label");
        if (config == null) throw new IllegalArgumentException("cache variant " + label + " has no KV cache config");
    }

    public static CacheVariant full(KvCacheConfig storage) {
        return new CacheVariant("full", "full", 0, storage.withPolicy(new FullConfig()));
    }

    /** StreamingLLM keeping {@code budgetTokens} in all: {@code sink} leading plus the most recent rest. */
    public static CacheVariant streaming(KvCacheConfig storage, int sink, int budgetTokens) {
        requireBudget(budgetTokens, sink);
        int window = budgetTokens - sink;
        return new CacheVariant("streaming_" + sink + "_" + window, "streaming", budgetTokens, storage.withPolicy(new StreamingConfig(sink, window)));
    }

    /**
     * H2O with a fixed capacity of {@code budgetTokens} per layer: it keeps everything until the cache is
     * full, then the floors plus the heaviest blocks. H2O rounds its middle down to whole blocks, so with
     * the same budget it never holds more than {@link #streaming}.
     */
    public static CacheVariant h2oCapacity(KvCacheConfig storage, H2oConfig h2o, int budgetTokens) {
        requireBudget(budgetTokens, h2o.sinkTokens() + h2o.recentTokens());
        H2oConfig capped = h2o.withTargetKeepRatio(1.0).withMaxKeepTokens(budgetTokens);
        return new CacheVariant("h2o_" + h2o.sinkTokens() + "_" + h2o.recentTokens() + "_" + budgetTokens, "h2o", budgetTokens, storage.withPolicy(capped));
    }

    /** H2O keeping a share of the tokens seen (its budget grows with the sequence). */
    public static CacheVariant h2oRatio(KvCacheConfig storage, H2oConfig h2o) {
        String label = String.format(java.util.Locale.ROOT, "h2o_%d_%d_r%.3f%s", h2o.sinkTokens(), h2o.recentTokens(),
                h2o.targetKeepRatio(), h2o.targetMode() == io.heavykv.eviction.TargetMode.ADAPTIVE
                        ? String.format(java.util.Locale.ROOT, "_lossy%.1f", h2o.targetLossyRatio()) : "");
        return new CacheVariant(label, "h2o-ratio", 0, storage.withPolicy(h2o));
    }

    private static void requireBudget(int budgetTokens, int floors) {
        if (budgetTokens <= floors) {
            throw new IllegalArgumentException("KV budget of " + budgetTokens + " tokens leaves nothing beyond the "
                    + floors + " floor tokens (sink/recent); choose a larger budget");
        }
    }
}
