package io.heavykv.bench.gate;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Which gates to apply and their thresholds; every gate is optional. Start from {@link #none()} and add.
 *
 * @param allRunsPass      every run must have completed without error
 * @param minLossyRatio    best lossy ratio (tokens seen / kept) over the candidate runs must reach this
 * @param minLosslessRatio best lossless ratio over the candidate runs must reach this
 * @param maxDecodeDrop    per configuration and setting, (baseline - best decode tok/s) / baseline must not exceed this
 * @param decodeBaseline   where the baseline speed comes from; needed when {@code maxDecodeDrop} is set
 * @param maxDecompUs      worst lossless decode time must not exceed this
 * @param maxQueuePeak     worst async encode queue peak must not exceed this
 * @param maxFallbacks     worst lossless fallback count must not exceed this
 * @param maxAsyncWaitUs   worst async wait must not exceed this
 * @param requireCacheHit  some run must show a decode-cache hit
 */
public record GateSpec(
        boolean allRunsPass,
        OptionalDouble minLossyRatio,
        OptionalDouble minLosslessRatio,
        OptionalDouble maxDecodeDrop,
        DecodeBaseline decodeBaseline,
        OptionalDouble maxDecompUs,
        OptionalLong maxQueuePeak,
        OptionalLong maxFallbacks,
        OptionalDouble maxAsyncWaitUs,
        boolean requireCacheHit) {

    public GateSpec {
        if (maxDecodeDrop.isPresent() && decodeBaseline == null) {
            throw new IllegalArgumentException("the decode drop gate needs a baseline: same_batch, rolling or fixed");
        }
        maxDecodeDrop.ifPresent(v -> requireFinite("max_decode_drop", v, 0));
        minLossyRatio.ifPresent(v -> requireFinite("min_lossy_ratio", v, 0));
        minLosslessRatio.ifPresent(v -> requireFinite("min_lossless_ratio", v, 0));
        maxDecompUs.ifPresent(v -> requireFinite("max_decomp_us", v, 0));
        maxAsyncWaitUs.ifPresent(v -> requireFinite("max_async_wait_us", v, 0));
        maxQueuePeak.ifPresent(v -> requireFinite("max_queue_peak", v, 0));
        maxFallbacks.ifPresent(v -> requireFinite("max_fallbacks", v, 0));
    }

    /** No gate at all. */
    public static GateSpec none() {
        return new GateSpec(false, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), null,
                OptionalDouble.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty(), false);
    }

    /** Whether any gate is enabled. */
    public boolean enabled() {
        return allRunsPass || minLossyRatio.isPresent() || minLosslessRatio.isPresent() || maxDecodeDrop.isPresent()
                || maxDecompUs.isPresent() || maxQueuePeak.isPresent() || maxFallbacks.isPresent()
                || maxAsyncWaitUs.isPresent() || requireCacheHit;
    }

    public GateSpec withAllRunsPass(boolean v) { return new GateSpec(v, minLossyRatio, minLosslessRatio, maxDecodeDrop, decodeBaseline, maxDecompUs, maxQueuePeak, maxFallbacks, maxAsyncWaitUs, requireCacheHit); }

    public GateSpec withMinLossyRatio(double v) { return new GateSpec(allRunsPass, OptionalDouble.of(v), minLosslessRatio, maxDecodeDrop, decodeBaseline, maxDecompUs, maxQueuePeak, maxFallbacks, maxAsyncWaitUs, requireCacheHit); }

    public GateSpec withMinLosslessRatio(double v) { return new GateSpec(allRunsPass, minLossyRatio, OptionalDouble.of(v), maxDecodeDrop, decodeBaseline, maxDecompUs, maxQueuePeak, maxFallbacks, maxAsyncWaitUs, requireCacheHit); }

    public GateSpec withMaxDecodeDrop(double v, DecodeBaseline baseline) { return new GateSpec(allRunsPass, minLossyRatio, minLosslessRatio, OptionalDouble.of(v), baseline, maxDecompUs, maxQueuePeak, maxFallbacks, maxAsyncWaitUs, requireCacheHit); }

    public GateSpec withMaxDecompUs(double v) { return new GateSpec(allRunsPass, minLossyRatio, minLosslessRatio, maxDecodeDrop, decodeBaseline, OptionalDouble.of(v), maxQueuePeak, maxFallbacks, maxAsyncWaitUs, requireCacheHit); }

    public GateSpec withMaxQueuePeak(long v) { return new GateSpec(allRunsPass, minLossyRatio, minLosslessRatio, maxDecodeDrop, decodeBaseline, maxDecompUs, OptionalLong.of(v), maxFallbacks, maxAsyncWaitUs, requireCacheHit); }

    public GateSpec withMaxFallbacks(long v) { return new GateSpec(allRunsPass, minLossyRatio, minLosslessRatio, maxDecodeDrop, decodeBaseline, maxDecompUs, maxQueuePeak, OptionalLong.of(v), maxAsyncWaitUs, requireCacheHit); }

    public GateSpec withMaxAsyncWaitUs(double v) { return new GateSpec(allRunsPass, minLossyRatio, minLosslessRatio, maxDecodeDrop, decodeBaseline, maxDecompUs, maxQueuePeak, maxFallbacks, OptionalDouble.of(v), requireCacheHit); }

    public GateSpec withRequireCacheHit(boolean v) { return new GateSpec(allRunsPass, minLossyRatio, minLosslessRatio, maxDecodeDrop, decodeBaseline, maxDecompUs, maxQueuePeak, maxFallbacks, maxAsyncWaitUs, v); }

    private static void requireFinite(String key, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("gate " + key + " must be a finite number >= " + min + ", got " + value);
        }
    }
}
