package io.heavykv.eviction;

/** Never evicts: every slot is a floor, so the only valid plan keeps everything. */
final class FullPolicy implements EvictionPolicy {
    @Override
    public boolean evicts(int layer) { return false; }

    @Override
    public LayerBudget budget(int layer, int length, int targetKeep) {
        return LayerBudget.of(length, length, 0, targetKeep, 1);
    }

    @Override
    public boolean endStep(CacheView view, ReservePlan plan) { return false; }
}
