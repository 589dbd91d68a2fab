package io.heavykv.eviction;

import io.heavykv.eviction.schedule.Schedule;
import io.heavykv.kvcache.KvGeometry;

/**
 * SnapKV (Li et al., "SnapKV: LLM Knows What You are Looking for Before Generation", 2024): the last
 * {@code windowTokens} queries of the prompt (the observation window) vote with their attention; votes are
 * pooled over {@code kernelSize} neighbouring positions so a kept token keeps its context, and each layer
 * keeps the window plus the best-voted tokens when the prompt is in. While decoding it goes on either as H2O
 * (the votes keep accumulating every query's attention) or with a window (the prompt's selection stays, the
 * generated tokens are kept newest first).
 *
 * @param windowTokens observation window; those tokens are also the recent floor
 * @param kernelSize   pooling width over positions, odd
 * @param pooling      max or average of the votes within the kernel
 * @param sinkTokens   leading tokens never evicted (SnapKV has none; votes usually keep them)
 * @param decode       how decoding steps rank tokens
 */
public record SnapKvConfig(int windowTokens, int kernelSize, Pooling pooling, int sinkTokens, Decode decode,
                           Schedule schedule) implements ScheduledConfig {

    public enum Pooling { MAX, AVG }

    public enum Decode { H2O, WINDOW }

    public SnapKvConfig {
        if (windowTokens < 1) throw new IllegalArgumentException("SnapKV window_tokens must be at least 1, got " + windowTokens);
        if (kernelSize < 1 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException("SnapKV kernel_size must be odd and positive, got " + kernelSize);
        }
        if (pooling == null) throw new IllegalArgumentException("SnapKV pooling is missing");
        if (sinkTokens < 0) throw new IllegalArgumentException("SnapKV sink_tokens must not be negative, got " + sinkTokens);
        if (decode == null) throw new IllegalArgumentException("SnapKV decode is missing");
        if (schedule == null) throw new IllegalArgumentException("SnapKV schedule is missing");
    }

    /** The paper's observation window of 32 with max pooling over 7 positions, decoding as H2O. */
    public static SnapKvConfig defaults() {
        return new SnapKvConfig(32, 7, Pooling.MAX, 0, Decode.H2O, Schedule.defaults());
    }

    @Override
    public int recentTokens() { return windowTokens; }

    @Override
    public SnapKvConfig withSchedule(Schedule s) { return new SnapKvConfig(windowTokens, kernelSize, pooling, sinkTokens, decode, s); }

    @Override
    public EvictionPolicy create(KvGeometry geometry) {
        return new SnapKvPolicy(this, geometry, schedule.build(geometry.layers(), null));
    }
}
