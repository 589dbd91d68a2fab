package io.heavykv.eviction.schedule;

import io.heavykv.eviction.CacheView;
import io.heavykv.eviction.EvictionPolicy;

/** Evicts only the layers {@code [first, last]}; the others keep every token. */
public final class LayerRange extends Decorator {
    private final int first;
    private final int last;

    public LayerRange(KeepSchedule inner, int first, int last) {
        super(inner);
        this.first = first;
        this.last = last;
    }

    @Override
    public boolean evicts(int layer) { return layer >= first && layer <= last && inner.evicts(layer); }

    @Override
    public boolean targets(CacheView view, EvictionPolicy policy, int[] targets) {
        if (!inner.targets(view, policy, targets)) return false;
        for (int l = 0; l < targets.length; l++) {
            if (l < first || l > last) targets[l] = SKIP;
        }
        return true;
    }
}
