package io.heavykv.eviction;

import io.heavykv.kvcache.KvGeometry;

/**
 * Heavy-hitter oracle (H2O) eviction with all its knobs.
 *
 * @param blockTokens      tokens per score block; scores are attention weights summed per block, and
 *                         eviction keeps or drops whole blocks (outside the floors)
 * @param emaAlpha         weight of the newest step in the block scores' moving average, in (0, 1];
 *                         1 ranks by the last step's attention only
 * @param sinkTokens       leading tokens never evicted
 * @param recentTokens     trailing tokens never evicted
 * @param targetKeepRatio  share of the tokens seen to keep, in (0, 1] (the start value in adaptive mode)
 * @param targetMode       static ratio or adaptive steering toward {@code targetLossyRatio}
 * @param targetLossyRatio tokens seen / tokens kept that adaptive mode aims at, at least 1
 * @param layerStart       first evicting layer
 * @param layerEnd         last evicting layer, -1 for the model's last; layers outside keep everything
 * @param updateInterval   steps at least between two plans
 * @param triggerMinTokens no eviction before this many tokens were seen
 * @param slack            lazy eviction: evict a layer only when it exceeds its budget by more than this
 * @param maxKeepTokens    cap on the budget in tokens per layer, 0 for none: with it the cache stops
 *                         growing (the fixed-capacity H2O of the paper), without it it grows with the ratio
 */
public record H2oConfig(
        int blockTokens,
        double emaAlpha,
        int sinkTokens,
        int recentTokens,
        double targetKeepRatio,
        TargetMode targetMode,
        double targetLossyRatio,
        int layerStart,
        int layerEnd,
        int updateInterval,
        int triggerMinTokens,
        int slack,
        int maxKeepTokens) implements PolicyConfig {

    /** Without a token cap: the budget is the keep ratio alone. */
    public H2oConfig(int blockTokens, double emaAlpha, int sinkTokens, int recentTokens, double targetKeepRatio,
                     TargetMode targetMode, double targetLossyRatio, int layerStart, int layerEnd, int updateInterval,
                     int triggerMinTokens, int slack) {
        this(blockTokens, emaAlpha, sinkTokens, recentTokens, targetKeepRatio, targetMode, targetLossyRatio, layerStart,
                layerEnd, updateInterval, triggerMinTokens, slack, 0);
    }

    public H2oConfig {
        if (blockTokens < 1) throw invalid("block_tokens", blockTokens, "at least 1");
        if (!(emaAlpha > 0 && emaAlpha <= 1)) throw invalid("ema_alpha", emaAlpha, "in (0, 1]");
        if (sinkTokens < 0) throw invalid("sink_tokens", sinkTokens, "not negative");
        if (recentTokens < 0) throw invalid("recent_tokens", recentTokens, "not negative");
        if (!(targetKeepRatio > 0 && targetKeepRatio <= 1)) throw invalid("target_keep_ratio", targetKeepRatio, "in (0, 1]");
        if (targetMode == null) throw new IllegalArgumentException("H2O target_mode is missing");
        if (!(targetLossyRatio >= 1) || Double.isInfinite(targetLossyRatio)) {
            throw invalid("target_lossy_ratio", targetLossyRatio, "a finite number >= 1");
        }
        if (layerStart < 0) throw invalid("layer_start", layerStart, "not negative");
        if (layerEnd < -1) throw invalid("layer_end", layerEnd, ">= -1 (-1 = last layer)");
        if (layerEnd != -1 && layerEnd < layerStart) {
            throw new IllegalArgumentException("H2O layer_end " + layerEnd + " is before layer_start " + layerStart);
        }
        if (updateInterval < 1) throw invalid("update_interval", updateInterval, "at least 1");
        if (triggerMinTokens < 0) throw invalid("trigger_min_tokens", triggerMinTokens, "not negative");
        if (slack < 0) throw invalid("slack", slack, "not negative");
        if (maxKeepTokens < 0) throw invalid("max_keep_tokens", maxKeepTokens, "not negative (0 = no cap)");
    }

    /**
     * A reasonable start: keep half, 4-token blocks, EMA alpha 0.1, 4 sink and 32 recent tokens, every layer,
     * every step. Alpha and block size were tuned on eval_1 with stories260K (perplexity at budgets of 96-171
     * tokens in 512-token windows) and confirmed on eval_2; see the evalharness report.
     */
    public static H2oConfig defaults() {
        return new H2oConfig(4, 0.1, 4, 32, 0.5, TargetMode.STATIC, 2.0, 0, -1, 1, 0, 0);
    }

    @Override
    public EvictionPolicy create(KvGeometry geometry) {
        if (layerStart >= geometry.layers() || layerEnd >= geometry.layers()) {
            throw new IllegalArgumentException("H2O layers [" + layerStart + ", " + layerEnd + "] do not exist in a model of "
                    + geometry.layers() + " layers");
        }
        return new H2oPolicy(this, geometry);
    }

    /** Last evicting layer of a model with {@code layers} layers. */
    public int lastLayer(int layers) { return layerEnd == -1 ? layers - 1 : layerEnd; }

    public H2oConfig withBlockTokens(int v) { return new H2oConfig(v, emaAlpha, sinkTokens, recentTokens, targetKeepRatio, targetMode, targetLossyRatio, layerStart, layerEnd, updateInterval, triggerMinTokens, slack, maxKeepTokens); }

    public H2oConfig withEmaAlpha(double v) { return new H2oConfig(blockTokens, v, sinkTokens, recentTokens, targetKeepRatio, targetMode, targetLossyRatio, layerStart, layerEnd, updateInterval, triggerMinTokens, slack, maxKeepTokens); }

    public H2oConfig withSinkTokens(int v) { return new H2oConfig(blockTokens, emaAlpha, v, recentTokens, targetKeepRatio, targetMode, targetLossyRatio, layerStart, layerEnd, updateInterval, triggerMinTokens, slack, maxKeepTokens); }

    public H2oConfig withRecentTokens(int v) { return new H2oConfig(blockTokens, emaAlpha, sinkTokens, v, targetKeepRatio, targetMode, targetLossyRatio, layerStart, layerEnd, updateInterval, triggerMinTokens, slack, maxKeepTokens); }

    public H2oConfig withTargetKeepRatio(double v) { return new H2oConfig(blockTokens, emaAlpha, sinkTokens, recentTokens, v, targetMode, targetLossyRatio, layerStart, layerEnd, updateInterval, triggerMinTokens, slack, maxKeepTokens); }

    /** Adaptive mode aiming at {@code lossyRatio}. */
    public H2oConfig withAdaptiveTarget(double lossyRatio) { return new H2oConfig(blockTokens, emaAlpha, sinkTokens, recentTokens, targetKeepRatio, TargetMode.ADAPTIVE, lossyRatio, layerStart, layerEnd, updateInterval, triggerMinTokens, slack, maxKeepTokens); }

    public H2oConfig withLayers(int start, int end) { return new H2oConfig(blockTokens, emaAlpha, sinkTokens, recentTokens, targetKeepRatio, targetMode, targetLossyRatio, start, end, updateInterval, triggerMinTokens, slack, maxKeepTokens); }

    public H2oConfig withUpdateInterval(int v) { return new H2oConfig(blockTokens, emaAlpha, sinkTokens, recentTokens, targetKeepRatio, targetMode, targetLossyRatio, layerStart, layerEnd, v, triggerMinTokens, slack, maxKeepTokens); }

    public H2oConfig withTriggerMinTokens(int v) { return new H2oConfig(blockTokens, emaAlpha, sinkTokens, recentTokens, targetKeepRatio, targetMode, targetLossyRatio, layerStart, layerEnd, updateInterval, v, slack, maxKeepTokens); }

    public H2oConfig withSlack(int v) { return new H2oConfig(blockTokens, emaAlpha, sinkTokens, recentTokens, targetKeepRatio, targetMode, targetLossyRatio, layerStart, layerEnd, updateInterval, triggerMinTokens, v, maxKeepTokens); }

    /** Caps the budget at {@code tokens} per layer (0 = no cap). */
    public H2oConfig withMaxKeepTokens(int tokens) { return new H2oConfig(blockTokens, emaAlpha, sinkTokens, recentTokens, targetKeepRatio, targetMode, targetLossyRatio, layerStart, layerEnd, updateInterval, triggerMinTokens, slack, tokens); }

    private static IllegalArgumentException invalid(String knob, Object value, String expected) {
        return new IllegalArgumentException("H2O " + knob + " must be " + expected + ", got " + value);
    }
}
