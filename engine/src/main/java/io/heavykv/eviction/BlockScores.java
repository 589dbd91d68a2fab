package io.heavykv.eviction;

import io.heavykv.kvcache.KvGeometry;

import java.util.Arrays;

/**
 * Attention accumulated per KV head and block. During a step, {@link #observe} only adds weights per query
 * head and slot. At the end of the step {@link #fold} sums the heads of each GQA group into their KV head,
 * per block of original positions, and folds that into the running score: an exponential moving average
 * with weight {@code alpha} for the step (H2O; alpha 1 keeps the last step only, as TOVA), or a plain sum
 * (SnapKV's votes). Scores are indexed by block id, so they survive compaction unchanged.
 */
final class BlockScores {
    private final KvGeometry geometry;
    private final float alpha;
    private final boolean cumulative;
    private final float[][][] slotWeights;   // [layer][head][slot], zero between steps
    private final boolean[] observed;        // per layer: any weights this step
    private final float[][][] blockEma;      // [layer][kvHead][blockId]
    private int[] blockIds = new int[0];

    /** Moving average of weight {@code alpha} in (0, 1]. */
    BlockScores(KvGeometry geometry, double alpha) {
        this(geometry, alpha, false);
    }

    private BlockScores(KvGeometry geometry, double alpha, boolean cumulative) {
        this.geometry = geometry;
        this.alpha = (float) alpha;
        this.cumulative = cumulative;
        this.slotWeights = new float[geometry.layers()][geometry.heads()][0];
        this.observed = new boolean[geometry.layers()];
        this.blockEma = new float[geometry.layers()][geometry.kvHeads()][0];
    }

    /** Sums of every step's weights, never decayed. */
    static BlockScores cumulative(KvGeometry geometry) {
        return new BlockScores(geometry, 1.0, true);
    }

    void observe(int layer, int head, float[] weights, int offset, int length) {
        float[] acc = slotWeights[layer][head];
        if (acc.length < length) {
            acc = Arrays.copyOf(acc, Math.max(length, 2 * acc.length));
            slotWeights[layer][head] = acc;
        }
        for (int s = 0; s < length; s++) acc[s] += weights[offset + s];
        observed[layer] = true;
    }

    /** Folds this step's weights of a layer into the block averages and clears them. */
    void fold(int layer, CacheView view) {
        if (!observed[layer]) return;
        int group = geometry.groupSize();
        for (int g = 0; g < geometry.kvHeads(); g++) {
            // A query head's slots are its KV head's: the layer's, or the head's own when heads keep their own tokens.
            int length = view.length(layer, g);
            if (length == 0) continue;
            if (blockIds.length < length) blockIds = new int[Math.max(length, 2 * blockIds.length)];
            view.blockIds(layer, g, blockIds);
            int lastBlock = blockIds[length - 1];
            float[] ema = blockEma[layer][g];
            if (ema.length <= lastBlock) {
                ema = Arrays.copyOf(ema, Math.max(lastBlock + 1, 2 * ema.length));
                blockEma[layer][g] = ema;
            }
            int runStart = 0;
            for (int s = 1; s <= length; s++) {
                if (s < length && blockIds[s] == blockIds[runStart]) continue;
                float sum = 0f;
                for (int h = g * group; h < (g + 1) * group; h++) {
                    float[] acc = slotWeights[layer][h];
                    for (int r = runStart; r < Math.min(s, acc.length); r++) sum += acc[r];
                }
                int block = blockIds[runStart];
                ema[block] = cumulative ? ema[block] + sum : alpha * sum + (1 - alpha) * ema[block];
                runStart = s;
            }
            // Observed prefixes never exceed the head's length, so clearing up to it clears every weight.
            for (int h = g * group; h < (g + 1) * group; h++) {
                float[] acc = slotWeights[layer][h];
                Arrays.fill(acc, 0, Math.min(length, acc.length), 0f);
            }
        }
        observed[layer] = false;
    }

    /** The block's score for ranking: the largest over KV heads, so a block one head relies on stays. */
    float score(int layer, int block) {
        float best = 0f;
        for (float[] ema : blockEma[layer]) {
            if (block < ema.length) best = Math.max(best, ema[block]);
        }
        return best;
    }

    /** One KV head's score of a block. */
    float headScore(int layer, int kvHead, int block) {
        float[] ema = blockEma[layer][kvHead];
        return block < ema.length ? ema[block] : 0f;
    }

    void reset() {
        for (int l = 0; l < geometry.layers(); l++) {
            for (float[] acc : slotWeights[l]) Arrays.fill(acc, 0f);
            for (int g = 0; g < geometry.kvHeads(); g++) blockEma[l][g] = new float[0];
            observed[l] = false;
        }
    }
}
