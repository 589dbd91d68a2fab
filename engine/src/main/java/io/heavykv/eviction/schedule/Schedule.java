package io.heavykv.eviction.schedule;

import io.heavykv.eviction.TargetMode;

/**
 * The knobs of a {@link KeepSchedule}, shared by every scoring policy (their JSON keys sit beside the policy's
 * own). {@link #defaults()} is the one source of their defaults, for the CLI, the JSON configs and the tests.
 *
 * @param targetKeepRatio  share of the tokens seen to keep, in (0, 1] (the start value in adaptive mode)
 * @param targetMode       static share or adaptive steering toward {@code targetLossyRatio}
 * @param targetLossyRatio tokens seen / tokens kept that adaptive mode aims at, at least 1
 * @param layerStart       first evicting layer
 * @param layerEnd         last evicting layer, -1 for the model's last; layers outside keep everything
 * @param updateInterval   step boundaries at least between two plans
 * @param triggerMinTokens no eviction before this many tokens were seen
 * @param slack            lazy eviction: evict a layer only when it exceeds its budget by more than this
 * @param maxKeepTokens    cap on the budget in tokens per layer, 0 for none: with it the cache stops
 *                         growing (a fixed capacity), without it it grows with the share
 */
public record Schedule(
        double targetKeepRatio,
        TargetMode targetMode,
        double targetLossyRatio,
        int layerStart,
        int layerEnd,
        int updateInterval,
        int triggerMinTokens,
        int slack,
        int maxKeepTokens) {

    public Schedule {
        if (!(targetKeepRatio > 0 && targetKeepRatio <= 1)) throw invalid("target_keep_ratio", targetKeepRatio, "in (0, 1]");
        if (targetMode == null) throw new IllegalArgumentException("target_mode is missing");
        if (!(targetLossyRatio >= 1) || Double.isInfinite(targetLossyRatio)) {
            throw invalid("target_lossy_ratio", targetLossyRatio, "a finite number >= 1");
        }
        if (layerStart < 0) throw invalid("layer_start", layerStart, "not negative");
        if (layerEnd < -1) throw invalid("layer_end", layerEnd, ">= -1 (-1 = last layer)");
        if (layerEnd != -1 && layerEnd < layerStart) {
            throw new IllegalArgumentException("layer_end " + layerEnd + " is before layer_start " + layerStart);
        }
        if (updateInterval < 1) throw invalid("update_interval", updateInterval, "at least 1");
        if (triggerMinTokens < 0) throw invalid("trigger_min_tokens", triggerMinTokens, "not negative");
        if (slack < 0) throw invalid("slack", slack, "not negative");
        if (maxKeepTokens < 0) throw invalid("max_keep_tokens", maxKeepTokens, "not negative (0 = no cap)");
    }

    /** Keep a third (the 3x lossy goal) of the tokens seen, on every layer, at every step, with no cap. */
    public static Schedule defaults() {
        return new Schedule(0.3333, TargetMode.STATIC, 3.0, 0, -1, 1, 0, 0, 0);
    }

    /** Last evicting layer of a model with {@code layers} layers. */
    public int lastLayer(int layers) { return layerEnd == -1 ? layers - 1 : layerEnd; }

    /** The schedule for a model of {@code layers} layers, each target scaled by {@code depthWeights} when given. */
    public KeepSchedule build(int layers, double[] depthWeights) {
        if (layerStart >= layers || layerEnd >= layers) {
            throw new IllegalArgumentException("layers [" + layerStart + ", " + layerEnd + "] do not exist in a model of "
                    + layers + " layers");
        }
        KeepSchedule s = targetMode == TargetMode.ADAPTIVE
                ? new AdaptiveTarget(targetKeepRatio, targetLossyRatio) : new KeepRatio(targetKeepRatio);
        if (maxKeepTokens > 0) s = new FixedCapacity(s, maxKeepTokens);
        if (depthWeights != null) s = new DepthSchedule(s, depthWeights);
        if (layerStart > 0 || lastLayer(layers) < layers - 1) s = new LayerRange(s, layerStart, lastLayer(layers));
        if (slack > 0) s = new Slack(s, slack);
        if (triggerMinTokens > 0) s = new TriggerLength(s, triggerMinTokens);
        if (updateInterval > 1) s = new UpdateInterval(s, updateInterval);
        return s;
    }

    public Schedule withTargetKeepRatio(double v) { return new Schedule(v, targetMode, targetLossyRatio, layerStart, layerEnd, updateInterval, triggerMinTokens, slack, maxKeepTokens); }

    /** Adaptive mode aiming at {@code lossyRatio}. */
    public Schedule withAdaptiveTarget(double lossyRatio) { return new Schedule(targetKeepRatio, TargetMode.ADAPTIVE, lossyRatio, layerStart, layerEnd, updateInterval, triggerMinTokens, slack, maxKeepTokens); }

    public Schedule withLayers(int start, int end) { return new Schedule(targetKeepRatio, targetMode, targetLossyRatio, start, end, updateInterval, triggerMinTokens, slack, maxKeepTokens); }

    public Schedule withUpdateInterval(int v) { return new Schedule(targetKeepRatio, targetMode, targetLossyRatio, layerStart, layerEnd, v, triggerMinTokens, slack, maxKeepTokens); }

    public Schedule withTriggerMinTokens(int v) { return new Schedule(targetKeepRatio, targetMode, targetLossyRatio, layerStart, layerEnd, updateInterval, v, slack, maxKeepTokens); }

    public Schedule withSlack(int v) { return new Schedule(targetKeepRatio, targetMode, targetLossyRatio, layerStart, layerEnd, updateInterval, triggerMinTokens, v, maxKeepTokens); }

    /** Caps the budget at {@code tokens} per layer (0 = no cap). */
    public Schedule withMaxKeepTokens(int tokens) { return new Schedule(targetKeepRatio, targetMode, targetLossyRatio, layerStart, layerEnd, updateInterval, triggerMinTokens, slack, tokens); }

    private static IllegalArgumentException invalid(String knob, Object value, String expected) {
        return new IllegalArgumentException(knob + " must be " + expected + ", got " + value);
    }
}
