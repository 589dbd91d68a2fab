package io.heavykv.eviction.schedule;

import io.heavykv.eviction.CacheView;
import io.heavykv.eviction.EvictionPolicy;

/** At least {@code steps} step boundaries between two plans; the first boundary may plan. */
public final class UpdateInterval extends Decorator {
    private final int steps;
    private int sincePlan;

    public UpdateInterval(KeepSchedule inner, int steps) {
        super(inner);
        this.steps = steps;
        this.sincePlan = steps;
    }

    @Override
    public boolean targets(CacheView view, EvictionPolicy policy, int[] targets) {
        sincePlan++;
        return sincePlan >= steps && inner.targets(view, policy, targets);
    }

    @Override
    public void planned(int seen, int layers, long lengthsBefore, long keptAfter) {
        sincePlan = 0;
        inner.planned(seen, layers, lengthsBefore, keptAfter);
    }

    @Override
    public void reset() {
        sincePlan = steps;
        inner.reset();
    }
}
