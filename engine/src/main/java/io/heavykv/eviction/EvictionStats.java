package io.heavykv.eviction;

import java.util.List;

/**
 * The figures every run reports, as of the last step boundary. "Kept" counts what a layer retains once
 * the eviction decided at that boundary is applied (a pending plan counts as done; should it be rejected
 * at the next step, the figures then show the unevicted cache), like the budgets the H2O paper quotes.
 * {@link #peakResidentBytes} is the real peak, new tokens and all, before any eviction.
 *
 * @param tokensSeen          tokens appended per layer since the last reset
 * @param keepRatio           tokens kept / tokens seen over all layers
 * @param lossyRatio          tokens seen / tokens kept over all layers
 * @param evictingLossyRatio  the same over the layers the policy may evict only (1 when there are none)
 * @param floorKeep           sum over layers of the floors of their last applied plans
 * @param effectiveKeep       the same for the budget raised to the floors
 * @param quantizedKeep       the same for the budget rounded to whole blocks (what the plans kept)
 * @param evictionMicros      time spent planning, validating and compacting
 * @param lastRejection       why the last rejected plan was rejected, empty if none was
 * @param peakResidentBytes   largest K/V footprint at a step boundary
 */
public record EvictionStats(
        int tokensSeen,
        List<LayerStats> layers,
        double keepRatio,
        double lossyRatio,
        double evictingLossyRatio,
        long floorKeep,
        long effectiveKeep,
        long quantizedKeep,
        long evictionMicros,
        long plansApplied,
        long plansRejected,
        String lastRejection,
        long peakResidentBytes) {

    public EvictionStats {
        layers = List.copyOf(layers);
    }
}
