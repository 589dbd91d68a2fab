package io.heavykv.eviction.schedule;

import io.heavykv.eviction.CacheView;
import io.heavykv.eviction.EvictionPolicy;

import java.util.Arrays;

/**
 * A root schedule whose keep share is steered after every plan so the measured lossy ratio (tokens seen /
 * tokens kept) approaches {@code targetLossy} despite floors, block rounding and slack.
 */
public final class AdaptiveTarget implements KeepSchedule {
    /** The share never reaches 0, where the budget would be floors only forever. */
    private static final double MIN_RATIO = 1e-3;

    private final double startRatio;
    private final double targetLossy;
    private double ratio;

    public AdaptiveTarget(double startRatio, double targetLossy) {
        this.startRatio = startRatio;
        this.targetLossy = targetLossy;
        this.ratio = startRatio;
    }

    @Override
    public boolean evicts(int layer) { return true; }

    @Override
    public boolean targets(CacheView view, EvictionPolicy policy, int[] targets) {
        Arrays.fill(targets, KeepRatio.share(ratio, view.tokensSeen()));
        return true;
    }

    /**
     * The cache lives between its size after this plan and the size just before the next one, so the measure
     * is taken halfway; the square root damps the correction because floors and block rounding make the
     * response non-linear.
     */
    @Override
    public void planned(int seen, int layers, long lengthsBefore, long keptAfter) {
        double typicalKept = (lengthsBefore + keptAfter) / 2.0;
        double measured = (double) seen * layers / typicalKept;
        ratio *= Math.sqrt(measured / targetLossy);
        ratio = Math.max(MIN_RATIO, Math.min(1.0, ratio));
    }

    @Override
    public void reset() { ratio = startRatio; }
}
