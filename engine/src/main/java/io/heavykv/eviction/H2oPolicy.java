package io.heavykv.eviction;

import io.heavykv.kvcache.KvGeometry;

/**
 * H2O: ranks blocks by their attention, summed over the step's queries and averaged over steps; a block's score is
 * its best KV head's. With AdaKV's configuration each KV head ranks by its own score and keeps its own tokens.
 */
final class H2oPolicy extends ScoringPolicy {
    private final BlockScores scores;

    H2oPolicy(H2oConfig config, KvGeometry geometry) {
        super(config, geometry);
        this.scores = new BlockScores(geometry, config.emaAlpha());
    }

    H2oPolicy(AdaKvConfig config, KvGeometry geometry) {
        super(config, geometry, config.headFloor());
        this.scores = new BlockScores(geometry, config.emaAlpha());
    }

    @Override
    protected void observeWeights(int layer, int head, float[] weights, int offset, int length) {
        scores.observe(layer, head, weights, offset, length);
    }

    @Override
    protected void update(CacheView view) {
        for (int l = 0; l < view.layers(); l++) {
            if (evicts(l)) scores.fold(l, view);
        }
    }

    @Override
    protected void score(int layer, int[] blockIds, int length, int from, int to, float[] out) {
        for (int s = from; s < to; s++) out[s] = scores.score(layer, blockIds[s]);
    }

    @Override
    protected void scoreHead(int layer, int kvHead, int[] blockIds, int length, int from, int to, float[] out) {
        for (int s = from; s < to; s++) out[s] = scores.headScore(layer, kvHead, blockIds[s]);
    }

    @Override
    protected void clearScores() { scores.reset(); }
}
