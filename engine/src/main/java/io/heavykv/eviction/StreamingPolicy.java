package io.heavykv.eviction;

/** Keeps the sink and the recent window of every layer, nothing in between. */
final class StreamingPolicy implements EvictionPolicy {
    private final StreamingConfig config;

    StreamingPolicy(StreamingConfig config) { this.config = config; }

    @Override
    public boolean evicts(int layer) { return true; }

    @Override
    public LayerBudget budget(int layer, int length, int targetKeep) {
        return LayerBudget.of(length, config.sink(), config.window(), targetKeep, 1);
    }

    @Override
    public boolean endStep(CacheView view, ReservePlan plan) {
        boolean any = false;
        for (int l = 0; l < view.layers(); l++) {
            int length = view.length(l);
            LayerBudget budget = budget(l, length, 0);
            if (budget.floorKeep() == length) continue;
            plan.begin(l, length, 0, budget.floorKeep());
            plan.keepMerged(l, 0, budget.sinkEnd());
            plan.keepMerged(l, budget.recentStart(), length);
            any = true;
        }
        return any;
    }
}
