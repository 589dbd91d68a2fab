package io.heavykv.eviction;

import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;

import java.util.Arrays;

/**
 * H2O: keep the sink and recent floors plus the middle blocks with the highest accumulated attention,
 * up to a budget that is a share of the tokens seen, rounded down to whole blocks.
 */
final class H2oPolicy implements EvictionPolicy {
    /** Adaptive mode never lets the ratio reach 0, where the budget would be floors only forever. */
    private static final double MIN_ADAPTIVE_RATIO = 1e-3;

    private final H2oConfig config;
    private final int lastLayer;
    private final BlockScores scores;
    private double keepRatio;
    private int stepsSincePlan;
    private int[] blockIds = new int[0];
    private int[] unitStart = new int[0];
    private long[] rankKeys = new long[0];
    private boolean[] chosen = new boolean[0];

    H2oPolicy(H2oConfig config, KvGeometry geometry) {
        this.config = config;
        this.lastLayer = config.lastLayer(geometry.layers());
        this.scores = new BlockScores(geometry, config.emaAlpha());
        reset();
    }

    @Override
    public boolean evicts(int layer) {
        return layer >= config.layerStart() && layer <= lastLayer;
    }

    @Override
    public LayerBudget budget(int layer, int length, int targetKeep) {
        return LayerBudget.of(length, config.sinkTokens(), config.recentTokens(), targetKeep, config.blockTokens());
    }

    @Override
    public void observe(int layer, int head, float[] weights, int offset, int length) {
        if (evicts(layer)) scores.observe(layer, head, weights, offset, length);
    }

    @Override
    public boolean endStep(PagedKvCache<?> cache, ReservePlan plan) {
        for (int l = config.layerStart(); l <= lastLayer; l++) scores.fold(l, cache.layer(l));
        stepsSincePlan++;
        int seen = cache.tokensSeen();
        if (seen < config.triggerMinTokens() || stepsSincePlan < config.updateInterval()) return false;
        // Rounded down (with a guard against 1/3 * 600 = 199.99...): the budget is a limit, not a goal.
        int target = (int) Math.min(seen, Math.floor(keepRatio * seen + 1e-9));
        long lengths = 0;
        long kept = 0;
        boolean any = false;
        for (int l = config.layerStart(); l <= lastLayer; l++) {
            PagedLayer layer = cache.layer(l);
            int length = layer.length();
            LayerBudget budget = budget(l, length, target);
            lengths += length;
            if (length <= budget.effectiveKeep() + config.slack()) {
                kept += length;
                continue;
            }
            kept += planLayer(l, layer, budget, plan);
            any = true;
        }
        if (!any) return false;
        stepsSincePlan = 0;
        if (config.targetMode() == TargetMode.ADAPTIVE) steer(seen, lengths, kept);
        return true;
    }

    /**
     * Moves the keep ratio so the lossy ratio approaches the target. The cache lives between its size
     * after this plan and the size just before the next one, so the measure is taken halfway; the square
     * root damps the correction because floors and block rounding make the response non-linear.
     */
    private void steer(int seen, long lengthsBefore, long keptAfter) {
        int layers = lastLayer - config.layerStart() + 1;
        double typicalKept = (lengthsBefore + keptAfter) / 2.0;
        double measured = (double) seen * layers / typicalKept;
        keepRatio *= Math.sqrt(measured / config.targetLossyRatio());
        keepRatio = Math.max(MIN_ADAPTIVE_RATIO, Math.min(1.0, keepRatio));
    }

    /** Writes the layer's plan: floors plus the best-scored middle blocks; returns the tokens kept. */
    private int planLayer(int l, PagedLayer layer, LayerBudget budget, ReservePlan plan) {
        int length = layer.length();
        if (blockIds.length < length) blockIds = new int[Math.max(length, 2 * blockIds.length)];
        layer.blockIds(blockIds);
        int units = middleUnits(budget);
        for (int u = 0; u < units; u++) {
            // Scores are sums of softmax weights, never negative, so their float bits order like the values;
            // the unit index in the low bits breaks ties toward the more recent block.
            float score = Math.max(0f, scores.score(l, blockIds[unitStart[u]]));
            rankKeys[u] = ((long) Float.floatToIntBits(score) << 32) | u;
            chosen[u] = false;
        }
        Arrays.sort(rankKeys, 0, units);
        // Best first; a block that no longer fits is skipped for smaller ones further down. Blocks hold at
        // most blockTokens slots, so this stops less than a block short of the budget.
        int middleKept = 0;
        for (int i = units - 1; i >= 0 && middleKept < budget.middleBudget(); i--) {
            int u = (int) rankKeys[i];
            int size = unitStart[u + 1] - unitStart[u];
            if (middleKept + size > budget.middleBudget()) continue;
            chosen[u] = true;
            middleKept += size;
        }
        int keep = budget.floorKeep() + middleKept;
        plan.begin(l, length, budget.targetKeep(), keep);
        plan.keepMerged(l, 0, budget.sinkEnd());
        for (int u = 0; u < units; u++) {
            if (chosen[u]) plan.keepMerged(l, unitStart[u], unitStart[u + 1]);
        }
        plan.keepMerged(l, budget.recentStart(), length);
        return keep;
    }

    /** Splits the middle into runs of one block id; unit u is [unitStart[u], unitStart[u + 1]). */
    private int middleUnits(LayerBudget budget) {
        int capacity = budget.middleLength() + 1;
        if (unitStart.length < capacity) {
            unitStart = new int[capacity];
            rankKeys = new long[capacity];
            chosen = new boolean[capacity];
        }
        int units = 0;
        for (int s = budget.sinkEnd(); s < budget.recentStart(); s++) {
            if (s == budget.sinkEnd() || blockIds[s] != blockIds[s - 1]) unitStart[units++] = s;
        }
        unitStart[units] = budget.recentStart();
        return units;
    }

    @Override
    public void reset() {
        scores.reset();
        keepRatio = config.targetKeepRatio();
        stepsSincePlan = config.updateInterval();
    }
}
