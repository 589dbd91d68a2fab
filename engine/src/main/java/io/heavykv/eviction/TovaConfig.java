package io.heavykv.eviction;

import io.heavykv.eviction.schedule.Schedule;
import io.heavykv.kvcache.KvGeometry;

/**
 * TOVA, Token Omission Via Attention (Oren et al., "Transformers are Multi-State RNNs", 2024): at each step
 * the tokens the current query attends least go. Only the step's last query counts, and nothing is carried
 * over from earlier steps. Each KV head sums its query heads' weights and a token stays when any KV head
 * ranks it high, since the cache keeps tokens per layer. No floors by default: the paper has none.
 */
public record TovaConfig(int sinkTokens, int recentTokens, Schedule schedule) implements ScheduledConfig {

    public TovaConfig {
        if (sinkTokens < 0) throw new IllegalArgumentException("TOVA sink_tokens must not be negative, got " + sinkTokens);
        if (recentTokens < 0) throw new IllegalArgumentException("TOVA recent_tokens must not be negative, got " + recentTokens);
        if (schedule == null) throw new IllegalArgumentException("TOVA schedule is missing");
    }

    public static TovaConfig defaults() { return new TovaConfig(0, 0, Schedule.defaults()); }

    @Override
    public TovaConfig withSchedule(Schedule s) { return new TovaConfig(sinkTokens, recentTokens, s); }

    @Override
    public EvictionPolicy create(KvGeometry geometry) { return new Tova(this, geometry); }

    private static final class Tova extends ScoringPolicy {
        /** Alpha 1: a block's score is the last step's weight alone. */
        private final BlockScores lastQuery;

        Tova(TovaConfig config, KvGeometry geometry) {
            super(config, geometry);
            this.lastQuery = new BlockScores(geometry, 1.0);
        }

        @Override
        protected void observeWeights(int layer, int head, float[] weights, int offset, int length) {
            // The step's last query is the one that sees every slot.
            if (length == view().length(layer)) lastQuery.observe(layer, head, weights, offset, length);
        }

        @Override
        protected void update(CacheView view) {
            for (int l = 0; l < view.layers(); l++) {
                if (evicts(l)) lastQuery.fold(l, view);
            }
        }

        @Override
        protected void score(int layer, int[] blockIds, int length, int from, int to, float[] out) {
            for (int s = from; s < to; s++) out[s] = lastQuery.score(layer, blockIds[s]);
        }

        @Override
        protected void clearScores() { lastQuery.reset(); }
    }
}
