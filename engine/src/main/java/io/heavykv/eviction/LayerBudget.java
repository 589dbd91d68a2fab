package io.heavykv.eviction;

/**
 * What a plan for one layer must keep, derived from the layer's length, the policy's floors and the
 * plan's target. The planner and the validator both use it, so they cannot disagree about the rules.
 *
 * <p>Slots split into the sink floor {@code [0, sinkEnd)}, the middle {@code [sinkEnd, recentStart)}
 * and the recent floor {@code [recentStart, length)}. Floors are always kept. The middle keeps
 * {@link #middleBudget()} tokens rounded down to whole blocks: at most the budget (so the budget is a
 * hard limit beyond the floors), and less than a block below it.
 */
public record LayerBudget(int length, int sinkEnd, int recentStart, int targetKeep, int blockTokens) {

    public LayerBudget {
        if (length < 0 || sinkEnd < 0 || sinkEnd > recentStart || recentStart > length) {
            throw new IllegalArgumentException("inconsistent floors: sinkEnd " + sinkEnd + ", recentStart "
                    + recentStart + ", length " + length);
        }
        if (targetKeep < 0) throw new IllegalArgumentException("targetKeep must not be negative, got " + targetKeep);
        if (blockTokens < 1) throw new IllegalArgumentException("blockTokens must be positive, got " + blockTokens);
    }

    /** Floors of {@code sinkTokens} leading and {@code recentTokens} trailing slots, clipped to the length. */
    public static LayerBudget of(int length, int sinkTokens, int recentTokens, int targetKeep, int blockTokens) {
        int sinkEnd = Math.min(sinkTokens, length);
        int recentStart = Math.max(sinkEnd, length - recentTokens);
        return new LayerBudget(length, sinkEnd, recentStart, targetKeep, blockTokens);
    }

    public int floorKeep() { return sinkEnd + (length - recentStart); }

    /** The target raised to the floors and capped at the length. */
    public int effectiveKeep() { return Math.min(length, Math.max(targetKeep, floorKeep())); }

    public int middleLength() { return recentStart - sinkEnd; }

    public int middleBudget() { return effectiveKeep() - floorKeep(); }

    /** Fewest middle tokens a plan may keep: the budget minus less than one block. */
    public int minMiddleKeep() {
        return Math.max(0, middleBudget() - blockTokens + 1);
    }
}
