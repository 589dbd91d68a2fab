package io.heavykv.eviction.schedule;

import io.heavykv.eviction.CacheView;
import io.heavykv.eviction.EvictionPolicy;

/** Caps every layer's target at {@code maxTokens}: with it the cache stops growing (H2O's fixed-capacity form). */
public final class FixedCapacity extends Decorator {
    private final int maxTokens;

    public FixedCapacity(KeepSchedule inner, int maxTokens) {
        super(inner);
        this.maxTokens = maxTokens;
    }

    @Override
    public boolean targets(CacheView view, EvictionPolicy policy, int[] targets) {
        if (!inner.targets(view, policy, targets)) return false;
        for (int l = 0; l < targets.length; l++) {
            if (targets[l] != SKIP) targets[l] = Math.min(targets[l], maxTokens);
        }
        return true;
    }
}
