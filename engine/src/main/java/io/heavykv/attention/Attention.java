package io.heavykv.attention;

import io.heavykv.kvcache.KvCache;
import io.heavykv.kvcache.LayerKv;
import io.heavykv.model.LlamaConfig;
import io.heavykv.tensor.Parallel;
import io.heavykv.tensor.Softmax;

import java.util.Arrays;

/**
 * Causal grouped-query attention of one layer over whatever the KV cache holds. Query heads run in
 * parallel; the softmax weights are handed to the cache afterwards, on one thread, in a fixed order,
 * so score-keeping policies need no locking and see the same sequence whatever the core count.
 */
public final class Attention {
    private static final int MIN_WORK_PER_CHUNK = 1 << 14;
    private final int heads;
    private final int headSize;
    private final int groupSize;
    private final int dim;
    private final float scale;
    private float[] weights = new float[0];

    public Attention(LlamaConfig config) {
        this.heads = config.heads();
        this.headSize = config.headSize();
        this.groupSize = config.groupSize();
        this.dim = config.dim();
        this.scale = (float) (1.0 / Math.sqrt(headSize));
    }

    /**
     * {@code out[t * dim ..]} = attention of query token {@code t} ({@code q[t * dim ..]}, already rotated)
     * over the cache's slots visible to it. The step's {@code tokens} new tokens are the layer's last slots.
     */
    public void compute(KvCache cache, int layer, float[] q, float[] out, int tokens) {
        LayerKv kv = cache.layer(layer);
        int length = kv.length();
        int before = length - tokens;
        if (before < 0) {
            throw new IllegalStateException("layer " + layer + " holds " + length + " slots, fewer than the step's " + tokens + " new tokens");
        }
        int rows = tokens * heads;
        if (weights.length < (long) rows * length) {
            weights = new float[Math.toIntExact((long) rows * length)];
        }
        float[] att = weights;
        // Hand a core at least ~16k multiply-adds: below that the hand-off costs more than it saves.
        int minRows = Math.max(1, MIN_WORK_PER_CHUNK / Math.max(1, length * headSize));
        Parallel.forRange(0, rows, minRows, (from, to) -> {
            for (int row = from; row < to; row++) {
                int t = row / heads;
                int h = row % heads;
                int visible = before + t + 1;
                int base = row * length;
                int qOffset = t * dim + h * headSize;
                kv.keyScores(h / groupSize, q, qOffset, att, base, visible);
                for (int s = 0; s < visible; s++) {
                    att[base + s] *= scale;
                }
                Softmax.inPlace(att, base, visible);
                Arrays.fill(out, qOffset, qOffset + headSize, 0f);
                kv.accumulateValues(h / groupSize, att, base, visible, out, qOffset);
            }
        });
        for (int row = 0; row < rows; row++) {
            cache.observe(layer, row % heads, att, row * length, before + row / heads + 1);
        }
    }
}
