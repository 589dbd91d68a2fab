package io.heavykv.eviction;

import io.heavykv.eviction.schedule.KeepSchedule;
import io.heavykv.kvcache.KvGeometry;

/** SnapKV's scoring (see {@link SnapKvConfig}); PyramidKV runs it with a depth schedule. */
final class SnapKvPolicy extends ScoringPolicy {
    /** Above every position, so in window mode the prompt's selection outranks every generated token. */
    private static final float PROMPT = (float) (1 << 30);

    private final SnapKvConfig config;
    private final int kvHeads;
    private final BlockScores votes;
    private int promptEnd;

    SnapKvPolicy(SnapKvConfig config, KvGeometry geometry, KeepSchedule schedule) {
        super(config, geometry, schedule);
        this.config = config;
        this.kvHeads = geometry.kvHeads();
        this.votes = BlockScores.cumulative(geometry);
    }

    @Override
    protected void observeWeights(int layer, int head, float[] weights, int offset, int length) {
        CacheView view = view();
        if (view.prefill()) {
            // Only the step's last windowTokens queries vote.
            if (length > view.length(layer) - config.windowTokens()) votes.observe(layer, head, weights, offset, length);
        } else if (config.decode() == SnapKvConfig.Decode.H2O) {
            votes.observe(layer, head, weights, offset, length);
        }
    }

    @Override
    protected void update(CacheView view) {
        if (view.prefill()) promptEnd = view.tokensSeen();
        for (int l = 0; l < view.layers(); l++) {
            if (evicts(l)) votes.fold(l, view);
        }
    }

    @Override
    protected void score(int layer, int[] blockIds, int length, int from, int to, float[] out) {
        if (view().prefill()) {
            pooled(layer, blockIds, length, from, to, out);
        } else if (config.decode() == SnapKvConfig.Decode.H2O) {
            for (int s = from; s < to; s++) out[s] = votes.score(layer, blockIds[s]);
        } else {
            for (int s = from; s < to; s++) out[s] = blockIds[s] < promptEnd ? PROMPT : blockIds[s];
        }
    }

    /** Per KV head, the votes pooled over the kernel around each slot; a slot's score is its best head's. */
    private void pooled(int layer, int[] blockIds, int length, int from, int to, float[] out) {
        int half = config.kernelSize() / 2;
        for (int s = from; s < to; s++) {
            int lo = Math.max(0, s - half);
            int hi = Math.min(length, s + half + 1);
            float best = 0f;
            for (int g = 0; g < kvHeads; g++) {
                float pooled = 0f;
                for (int j = lo; j < hi; j++) {
                    float v = votes.headScore(layer, g, blockIds[j]);
                    pooled = config.pooling() == SnapKvConfig.Pooling.MAX ? Math.max(pooled, v) : pooled + v;
                }
                if (config.pooling() == SnapKvConfig.Pooling.AVG) pooled /= config.kernelSize();
                best = Math.max(best, pooled);
            }
            out[s] = best;
        }
    }

    @Override
    protected void clearScores() {
        votes.reset();
        promptEnd = 0;
    }
}
