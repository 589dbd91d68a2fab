package io.heavykv.eviction.schedule;

import io.heavykv.eviction.CacheView;
import io.heavykv.eviction.EvictionPolicy;

/**
 * Scales the part of each layer's target above its floors by a weight of its depth, for budgets that differ
 * between layers at the same total: the floors (sinks, the recent window) stay whole on every layer, as in
 * PyramidKV, where the observation window is kept everywhere and only the selected tokens follow the pyramid.
 * {@link #pyramid} gives PyramidKV's weights.
 */
public final class DepthSchedule extends Decorator {
    private final double[] weights;

    public DepthSchedule(KeepSchedule inner, double[] weights) {
        super(inner);
        this.weights = weights.clone();
    }

    /**
     * Weights of mean 1 over the layers {@code [first, last]} of {@code layers}: the last evicting layer
     * gets {@code 1/beta}, the first {@code 2 - 1/beta}, linear in between (others 1, they do not evict).
     */
    public static double[] pyramid(int layers, int first, int last, double beta) {
        double[] w = new double[layers];
        java.util.Arrays.fill(w, 1.0);
        int n = last - first + 1;
        double bottom = 1.0 / beta;
        double top = 2.0 - bottom;
        for (int l = first; l <= last; l++) {
            w[l] = n == 1 ? 1.0 : top - (top - bottom) * (l - first) / (n - 1);
        }
        return w;
    }

    @Override
    public boolean targets(CacheView view, EvictionPolicy policy, int[] targets) {
        if (!inner.targets(view, policy, targets)) return false;
        for (int l = 0; l < targets.length; l++) {
            if (targets[l] == SKIP) continue;
            int floors = policy.budget(l, view.length(l), 0).floorKeep();
            if (targets[l] > floors) targets[l] = floors + (int) Math.floor((targets[l] - floors) * weights[l] + 1e-9);
        }
        return true;
    }
}
