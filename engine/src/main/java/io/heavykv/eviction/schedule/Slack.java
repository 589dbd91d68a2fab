package io.heavykv.eviction.schedule;

import io.heavykv.eviction.CacheView;
import io.heavykv.eviction.EvictionPolicy;

/**
 * Lazy eviction: a layer is left alone until it holds more than {@code slack} tokens beyond its budget, so
 * plans (and the compaction they cost) come every {@code slack} tokens rather than at every step.
 */
public final class Slack extends Decorator {
    private final int slack;

    public Slack(KeepSchedule inner, int slack) {
        super(inner);
        this.slack = slack;
    }

    @Override
    public boolean targets(CacheView view, EvictionPolicy policy, int[] targets) {
        if (!inner.targets(view, policy, targets)) return false;
        for (int l = 0; l < targets.length; l++) {
            if (targets[l] == SKIP) continue;
            int length = view.length(l);
            if (length <= policy.budget(l, length, targets[l]).effectiveKeep() + slack) targets[l] = SKIP;
        }
        return true;
    }
}
