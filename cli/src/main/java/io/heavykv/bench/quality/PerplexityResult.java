package io.heavykv.bench.quality;

/**
 * One cache configuration's quality over the windows it was scored on.
 *
 * @param family              the configuration's family, see {@link io.heavykv.bench.CacheVariant}
 * @param budgetTokens        its fixed KV budget in tokens per layer, 0 for none
 * @param tokensScored        next-token predictions scored
 * @param perplexity          exp(mean negative log-likelihood), natural log
 * @param perplexityDelta     perplexity minus the full cache's on the same tokens
 * @param perplexityRelative  that delta as a share of the full cache's perplexity
 * @param meanKl              mean over steps of KL(full || this) of the next-token distributions, nats
 * @param maxKl               largest single-step KL, nats
 * @param keepRatio           tokens held / tokens seen over all layers, at the end of each window
 * @param lossyRatio          tokens seen / tokens held over all layers, at the end of each window
 * @param evictingLossyRatio  the same over the layers the policy evicts only
 * @param meanAttendedTokens  tokens per layer attention saw, averaged over steps: the KV budget in effect
 * @param peakKvBytes         largest K/V footprint of the cache during any window
 */
public record PerplexityResult(
        String label,
        String family,
        int budgetTokens,
        int windows,
        long tokensScored,
        double meanNll,
        double perplexity,
        double perplexityDelta,
        double perplexityRelative,
        double meanKl,
        double maxKl,
        double keepRatio,
        double lossyRatio,
        double evictingLossyRatio,
        double meanAttendedTokens,
        long peakKvBytes) {
}
