package io.heavykv.eviction;

import io.heavykv.eviction.schedule.Schedule;
import io.heavykv.kvcache.KvGeometry;

/**
 * Ada-KV (Feng et al., "Ada-KV: Optimizing KV Cache Eviction by Adaptive Budget Allocation", 2024): each KV head
 * keeps its own tokens, and the layer's budget is split across heads by their attention. Tokens are scored as H2O
 * scores them, per KV head (attention summed over the head's query heads, per block, EMA-smoothed); the heads'
 * blocks are ranked together, so a head that concentrates its attention on few tokens cedes budget to one that
 * spreads it, and every head is guaranteed {@code headFloor} of an even split first (the paper's safeguard).
 *
 * @param blockTokens  tokens per score block; heads keep or drop whole blocks (outside the floors)
 * @param emaAlpha     weight of the newest step in the blocks' moving average, in (0, 1]
 * @param headFloor    share of an even split of the middle budget each head keeps whatever its scores, in [0, 1]
 * @param sinkTokens   leading tokens every head keeps
 * @param recentTokens trailing tokens every head keeps
 * @param schedule     how much to keep (per head, on average), where and when
 */
public record AdaKvConfig(int blockTokens, double emaAlpha, double headFloor, int sinkTokens, int recentTokens,
                          Schedule schedule) implements ScheduledConfig {

    public AdaKvConfig {
        if (blockTokens < 1) throw invalid("block_tokens", blockTokens, "at least 1");
        if (!(emaAlpha > 0 && emaAlpha <= 1)) throw invalid("ema_alpha", emaAlpha, "in (0, 1]");
        if (!(headFloor >= 0 && headFloor <= 1)) throw invalid("head_floor", headFloor, "in [0, 1]");
        if (sinkTokens < 0) throw invalid("sink_tokens", sinkTokens, "not negative");
        if (recentTokens < 0) throw invalid("recent_tokens", recentTokens, "not negative");
        if (schedule == null) throw new IllegalArgumentException("AdaKV schedule is missing");
    }

    /** H2O's defaults (4-token blocks, alpha 0.1, 4 sink and 32 recent tokens, a third kept) and the paper's floor of 0.2. */
    public static AdaKvConfig defaults() {
        return new AdaKvConfig(4, 0.1, 0.2, 4, 32, Schedule.defaults());
    }

    @Override
    public boolean perHeadKeep() { return true; }

    @Override
    public EvictionPolicy create(KvGeometry geometry) { return new H2oPolicy(this, geometry); }

    @Override
    public AdaKvConfig withSchedule(Schedule s) {
        return new AdaKvConfig(blockTokens, emaAlpha, headFloor, sinkTokens, recentTokens, s);
    }

    public AdaKvConfig withHeadFloor(double v) {
        return new AdaKvConfig(blockTokens, emaAlpha, v, sinkTokens, recentTokens, schedule);
    }

    private static IllegalArgumentException invalid(String knob, Object value, String expected) {
        return new IllegalArgumentException("AdaKV " + knob + " must be " + expected + ", got " + value);
    }
}
