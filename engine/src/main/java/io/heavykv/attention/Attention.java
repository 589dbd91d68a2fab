package io.heavykv.attention;

import io.heavykv.kvcache.KvCache;
import io.heavykv.kvcache.LayerKv;
import io.heavykv.model.LlamaConfig;
import io.heavykv.tensor.Parallel;
import io.heavykv.tensor.Softmax;

import java.util.Arrays;

/**
 * Causal grouped-query attention of one layer over whatever the KV cache holds. KV heads (each with its
 * group of query heads) run in parallel; the softmax weights are handed to the cache afterwards, on one thread, in a fixed order,
 * so score-keeping policies need no locking and see the same sequence whatever the core count.
 */
public final class Attention {
    private final int heads;
    private final int headSize;
    private final int kvHeads;
    private final int groupSize;
    private final int dim;
    private final float scale;
    private float[] weights = new float[0];

    public Attention(LlamaConfig config) {
        this.heads = config.heads();
        this.headSize = config.headSize();
        this.kvHeads = config.kvHeads();
        this.groupSize = config.groupSize();
        this.dim = config.dim();
        this.scale = (float) (1.0 / Math.sqrt(headSize));
    }

    /**
     * {@code out[t * dim ..]} = attention of query token {@code t} ({@code q[t * dim ..]}, already rotated)
     * over the cache's slots visible to it. The step's {@code tokens} new tokens are the last slots of every KV head.
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
        // A unit is one query token and one KV head with its group of query heads, so the KV head's keys and
        // values are read (and widened from FP16) once for the group. Each costs two passes over the visible
        // keys and values per query head.
        Parallel.forWork(0, tokens * kvHeads, 2L * groupSize * length * headSize, 1, (from, to) -> {
            for (int unit = from; unit < to; unit++) {
                int t = unit / kvHeads;
                int kvHead = unit % kvHeads;
                // Rows are laid out for the longest head; a head keeping fewer tokens fills a prefix of its rows.
                int visible = kv.length(kvHead) - tokens + t + 1;
                int base = (t * heads + kvHead * groupSize) * length;
                int qOffset = t * dim + kvHead * groupSize * headSize;
                kv.keyScores(kvHead, q, qOffset, groupSize, att, base, length, visible);
                for (int j = 0; j < groupSize; j++) {
                    int row = base + j * length;
                    for (int s = 0; s < visible; s++) {
                        att[row + s] *= scale;
                    }
                    Softmax.inPlace(att, row, visible);
                }
                Arrays.fill(out, qOffset, qOffset + groupSize * headSize, 0f);
                kv.accumulateValues(kvHead, att, base, length, groupSize, visible, out, qOffset);
            }
        });
        for (int row = 0; row < rows; row++) {
            int head = row % heads;
            cache.observe(layer, head, att, row * length, kv.length(head / groupSize) - tokens + row / heads + 1);
        }
    }
}
