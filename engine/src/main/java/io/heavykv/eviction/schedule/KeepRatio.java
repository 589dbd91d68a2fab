package io.heavykv.eviction.schedule;

import io.heavykv.eviction.CacheView;
import io.heavykv.eviction.EvictionPolicy;

import java.util.Arrays;

/** The root schedule: every layer keeps a fixed share of the tokens seen, and plans at every boundary. */
public final class KeepRatio implements KeepSchedule {
    private final double ratio;

    public KeepRatio(double ratio) { this.ratio = ratio; }

    /** The share of {@code seen}, rounded down: the budget is a limit, not a goal. */
    static int share(double ratio, int seen) {
        // The 1e-9 guards against 1/3 * 600 = 199.99...
        return (int) Math.min(seen, Math.floor(ratio * seen + 1e-9));
    }

    @Override
    public boolean evicts(int layer) { return true; }

    @Override
    public boolean targets(CacheView view, EvictionPolicy policy, int[] targets) {
        Arrays.fill(targets, share(ratio, view.tokensSeen()));
        return true;
    }
}
