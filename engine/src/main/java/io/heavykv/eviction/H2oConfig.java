package io.heavykv.eviction;

import io.heavykv.eviction.schedule.Schedule;
import io.heavykv.kvcache.KvGeometry;

/**
 * Heavy-hitter oracle (H2O; Zhang et al., "H2O: Heavy-Hitter Oracle for Efficient Generative Inference of
 * Large Language Models", NeurIPS 2023): keeps the tokens whose accumulated attention is highest.
 *
 * @param blockTokens  tokens per score block; scores are attention weights summed per block, and
 *                     eviction keeps or drops whole blocks (outside the floors)
 * @param emaAlpha     weight of the newest step in the block scores' moving average, in (0, 1];
 *                     1 ranks by the last step's attention only
 * @param sinkTokens   leading tokens never evicted
 * @param recentTokens trailing tokens never evicted
 * @param schedule     how much to keep, where and when
 */
public record H2oConfig(int blockTokens, double emaAlpha, int sinkTokens, int recentTokens, Schedule schedule)
        implements ScheduledConfig {

    public H2oConfig {
        if (blockTokens < 1) throw invalid("block_tokens", blockTokens, "at least 1");
        if (!(emaAlpha > 0 && emaAlpha <= 1)) throw invalid("ema_alpha", emaAlpha, "in (0, 1]");
        if (sinkTokens < 0) throw invalid("sink_tokens", sinkTokens, "not negative");
        if (recentTokens < 0) throw invalid("recent_tokens", recentTokens, "not negative");
        if (schedule == null) throw new IllegalArgumentException("H2O schedule is missing");
    }

    /**
     * 4-token blocks, EMA alpha 0.1, 4 sink and 32 recent tokens and the default schedule (a third kept).
     * Alpha and block size were tuned on eval_1 with stories260K (perplexity at budgets of 96-171 tokens in
     * 512-token windows) and confirmed on eval_2.
     */
    public static H2oConfig defaults() {
        return new H2oConfig(4, 0.1, 4, 32, Schedule.defaults());
    }

    @Override
    public EvictionPolicy create(KvGeometry geometry) { return new H2oPolicy(this, geometry); }

    @Override
    public H2oConfig withSchedule(Schedule s) { return new H2oConfig(blockTokens, emaAlpha, sinkTokens, recentTokens, s); }

    public H2oConfig withBlockTokens(int v) { return new H2oConfig(v, emaAlpha, sinkTokens, recentTokens, schedule); }

    public H2oConfig withEmaAlpha(double v) { return new H2oConfig(blockTokens, v, sinkTokens, recentTokens, schedule); }

    public H2oConfig withSinkTokens(int v) { return new H2oConfig(blockTokens, emaAlpha, v, recentTokens, schedule); }

    public H2oConfig withRecentTokens(int v) { return new H2oConfig(blockTokens, emaAlpha, sinkTokens, v, schedule); }

    // The schedule's knobs, for callers that tune H2O alone.

    public H2oConfig withTargetKeepRatio(double v) { return withSchedule(schedule.withTargetKeepRatio(v)); }

    public H2oConfig withAdaptiveTarget(double lossyRatio) { return withSchedule(schedule.withAdaptiveTarget(lossyRatio)); }

    public H2oConfig withLayers(int start, int end) { return withSchedule(schedule.withLayers(start, end)); }

    public H2oConfig withUpdateInterval(int v) { return withSchedule(schedule.withUpdateInterval(v)); }

    public H2oConfig withTriggerMinTokens(int v) { return withSchedule(schedule.withTriggerMinTokens(v)); }

    public H2oConfig withSlack(int v) { return withSchedule(schedule.withSlack(v)); }

    public H2oConfig withMaxKeepTokens(int tokens) { return withSchedule(schedule.withMaxKeepTokens(tokens)); }

    private static IllegalArgumentException invalid(String knob, Object value, String expected) {
        return new IllegalArgumentException("H2O " + knob + " must be " + expected + ", got " + value);
    }
}
