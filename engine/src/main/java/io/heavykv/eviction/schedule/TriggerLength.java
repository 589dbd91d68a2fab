package io.heavykv.eviction.schedule;

import io.heavykv.eviction.CacheView;
import io.heavykv.eviction.EvictionPolicy;

/** No plan before {@code minTokens} tokens were seen: short sequences run with the whole cache. */
public final class TriggerLength extends Decorator {
    private final int minTokens;

    public TriggerLength(KeepSchedule inner, int minTokens) {
        super(inner);
        this.minTokens = minTokens;
    }

    @Override
    public boolean targets(CacheView view, EvictionPolicy policy, int[] targets) {
        return view.tokensSeen() >= minTokens && inner.targets(view, policy, targets);
    }
}
