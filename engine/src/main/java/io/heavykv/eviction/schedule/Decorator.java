package io.heavykv.eviction.schedule;

import io.heavykv.eviction.CacheView;
import io.heavykv.eviction.EvictionPolicy;

/** A schedule wrapping another: by default it passes every call through. */
abstract class Decorator implements KeepSchedule {
    final KeepSchedule inner;

    Decorator(KeepSchedule inner) { this.inner = inner; }

    @Override
    public boolean evicts(int layer) { return inner.evicts(layer); }

    @Override
    public boolean targets(CacheView view, EvictionPolicy policy, int[] targets) {
        return inner.targets(view, policy, targets);
    }

    @Override
    public void planned(int seen, int layers, long lengthsBefore, long keptAfter) {
        inner.planned(seen, layers, lengthsBefore, keptAfter);
    }

    @Override
    public void reset() { inner.reset(); }
}
