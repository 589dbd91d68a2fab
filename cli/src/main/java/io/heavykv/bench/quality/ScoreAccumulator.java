package io.heavykv.bench.quality;

import io.heavykv.bench.CacheVariant;
import io.heavykv.eviction.EvictionStats;
import io.heavykv.eviction.LayerStats;

/** Sums one configuration's per-step scores and per-window eviction figures. */
final class ScoreAccumulator {
    private final CacheVariant variant;
    private int windows;
    private long steps;
    private double nll;
    private double kl;
    private double maxKl;
    private double attended;
    private long seenAll;
    private long keptAll;
    private long seenEvicting;
    private long keptEvicting;
    private long peakKvBytes;

    ScoreAccumulator(CacheVariant variant) {
        this.variant = variant;
    }

    void step(double negativeLogLikelihood, double klVsReference, double attendedTokens) {
        steps++;
        nll += negativeLogLikelihood;
        kl += klVsReference;
        maxKl = Math.max(maxKl, klVsReference);
        attended += attendedTokens;
    }

    void windowEnd(EvictionStats stats, long peakBytes) {
        windows++;
        for (LayerStats layer : stats.layers()) {
            seenAll += stats.tokensSeen();
            keptAll += layer.kept();
            if (layer.evicting()) {
                seenEvicting += stats.tokensSeen();
                keptEvicting += layer.kept();
            }
        }
        peakKvBytes = Math.max(peakKvBytes, peakBytes);
    }

    void add(ScoreAccumulator other) {
        windows += other.windows;
        steps += other.steps;
        nll += other.nll;
        kl += other.kl;
        maxKl = Math.max(maxKl, other.maxKl);
        attended += other.attended;
        seenAll += other.seenAll;
        keptAll += other.keptAll;
        seenEvicting += other.seenEvicting;
        keptEvicting += other.keptEvicting;
        peakKvBytes = Math.max(peakKvBytes, other.peakKvBytes);
    }

    double perplexity() { return Math.exp(nll / steps); }

    /** The figures so far; {@code referencePerplexity} is the full cache's over the same steps. */
    PerplexityResult result(double referencePerplexity) {
        double ppl = perplexity();
        return new PerplexityResult(variant.label(), variant.family(), variant.budgetTokens(), windows, steps, nll / steps, ppl, ppl - referencePerplexity,
                (ppl - referencePerplexity) / referencePerplexity, kl / steps, maxKl,
                ratio(keptAll, seenAll), ratio(seenAll, keptAll),
                seenEvicting == 0 ? 1.0 : ratio(seenEvicting, keptEvicting), attended / steps, peakKvBytes);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.POSITIVE_INFINITY : (double) a / b;
    }
}
