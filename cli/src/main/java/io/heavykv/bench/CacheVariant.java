package io.heavykv.bench;

import io.heavykv.eviction.FullConfig;
import io.heavykv.eviction.Policies;
import io.heavykv.eviction.ScheduledConfig;
import io.heavykv.eviction.StreamingConfig;
import io.heavykv.eviction.TargetMode;
import io.heavykv.lossless.LosslessConfig;
import io.heavykv.runtime.KvCacheConfig;

import java.util.Locale;

/**
 * A KV cache configuration under a short label, named as the results tables name them:
 * {@code streaming_<sink>_<window>} and {@code <policy>_<sink>_<recent>_<capacity>}, e.g. {@code h2o_4_32_96}.
 *
 * @param family       the policy's registered name ({@code full}, {@code streaming}, {@code h2o}, ... at a
 *                     fixed capacity) or {@code <policy>-ratio}; charts draw one series per family
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
     * A scoring policy with a fixed capacity of {@code budgetTokens} per layer: it keeps everything until the
     * cache is full, then the floors plus the best-scored blocks. It rounds its middle down to whole blocks, so
     * with the same budget it never holds more than {@link #streaming}.
     */
    public static CacheVariant capacity(KvCacheConfig storage, ScheduledConfig policy, int budgetTokens) {
        requireBudget(budgetTokens, policy.sinkTokens() + policy.recentTokens());
        ScheduledConfig capped = policy.withSchedule(policy.schedule().withTargetKeepRatio(1.0).withMaxKeepTokens(budgetTokens));
        String name = Policies.nameOf(policy);
        return new CacheVariant(name + "_" + policy.sinkTokens() + "_" + policy.recentTokens() + "_" + budgetTokens, name,
                budgetTokens, storage.withPolicy(capped));
    }

    /** A scoring policy keeping a share of the tokens seen (its budget grows with the sequence). */
    public static CacheVariant ratio(KvCacheConfig storage, ScheduledConfig policy) {
        String name = Policies.nameOf(policy);
        String label = String.format(Locale.ROOT, "%s_%d_%d_r%.3f%s", name, policy.sinkTokens(), policy.recentTokens(),
                policy.schedule().targetKeepRatio(), policy.schedule().targetMode() == TargetMode.ADAPTIVE
                        ? String.format(Locale.ROOT, "_lossy%.1f", policy.schedule().targetLossyRatio()) : "");
        return new CacheVariant(label, name + "-ratio", 0, storage.withPolicy(policy));
    }

    /**
     * This variant with its kept pages compressed as {@code lossless} sets (e.g. store mode): labelled and charted
     * apart from the variant without, as {@code <label>+<mode>}.
     */
    public CacheVariant withLossless(LosslessConfig lossless) {
        String suffix = "+" + lossless.mode();
        return new CacheVariant(label + suffix, family + suffix, budgetTokens, config.withLossless(lossless));
    }

    private static void requireBudget(int budgetTokens, int floors) {
        if (budgetTokens <= floors) {
            throw new IllegalArgumentException("KV budget of " + budgetTokens + " tokens leaves nothing beyond the "
                    + floors + " floor tokens (sink/recent); choose a larger budget");
        }
    }
}
