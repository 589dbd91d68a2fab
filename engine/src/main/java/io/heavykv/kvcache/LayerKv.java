package io.heavykv.kvcache;

/**
 * One layer's cached keys and values, read by attention. Keys come back already rotated for the
 * cache's position mode. The storage layout stays hidden so the loops can run over whatever it is
 * (FP16 or FP32 pages, blocks restored from compressed frames).
 */
public interface LayerKv {
    /** Slots visible to attention: those of the KV head holding most, when heads keep their own tokens. */
    int length();

    /**
     * Slots of one KV head. Every head holds {@link #length()} unless heads keep their own tokens; either way the
     * step's new tokens are each head's last slots.
     */
    int length(int kvHead);

    /**
     * Tokens held, counted as whole tokens of the layer: the KV heads' slots summed and divided by the heads,
     * rounded up. {@link #length()} unless heads keep their own tokens.
     */
    int heldTokens();

    /**
     * {@code scores[scoresOffset + j * scoresStride + s] = q_j . key(s, kvHead)} for {@code s < count} and
     * {@code j < queries}, where query head {@code q_j} is {@code q[qOffset + j * headSize ..]}: the query heads
     * of one group (grouped-query attention) share the KV head, so its keys are read (and widened) once for all.
     */
    void keyScores(int kvHead, float[] q, int qOffset, int queries, float[] scores, int scoresOffset, int scoresStride,
                   int count);

    /**
     * {@code out[outOffset + j * headSize + i] += sum over s < count of weights[weightsOffset + j * weightsStride + s]
     * * value(s, kvHead)[i]} for {@code j < queries}: the values of one KV head, read once for its query heads.
     */
    void accumulateValues(int kvHead, float[] weights, int weightsOffset, int weightsStride, int queries, int count,
                          float[] out, int outOffset);

    /** {@link #keyScores(int, float[], int, int, float[], int, int, int)} for one query head. */
    default void keyScores(int kvHead, float[] q, int qOffset, float[] scores, int scoresOffset, int count) {
        keyScores(kvHead, q, qOffset, 1, scores, scoresOffset, 0, count);
    }

    /** {@link #accumulateValues(int, float[], int, int, int, int, float[], int)} for one query head. */
    default void accumulateValues(int kvHead, float[] weights, int weightsOffset, int count, float[] out, int outOffset) {
        accumulateValues(kvHead, weights, weightsOffset, 0, 1, count, out, outOffset);
    }
}
