package io.heavykv.kvcache;

/**
 * One layer's cached keys and values, read by attention. Keys come back already rotated for the
 * cache's position mode. The storage layout stays hidden so the loops can run over whatever it is
 * (FP16 or FP32 pages, blocks restored from compressed frames).
 */
public interface LayerKv {
    /** Slots visible to attention. */
    int length();

    /** {@code scores[scoresOffset + s] = q . key(s, kvHead)} for {@code s < count}; {@code q} holds one head. */
    void keyScores(int kvHead, float[] q, int qOffset, float[] scores, int scoresOffset, int count);

    /** {@code out[outOffset + i] += sum over s < count of weights[weightsOffset + s] * value(s, kvHead)[i]}. */
    void accumulateValues(int kvHead, float[] weights, int weightsOffset, int count, float[] out, int outOffset);
}
