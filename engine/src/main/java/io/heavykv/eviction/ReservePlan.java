package io.heavykv.eviction;

import java.util.Arrays;

/**
 * Which slot ranges of which layers to keep: one eviction, planned at the end of a step and applied at
 * the start of the next. Layers the plan does not cover keep everything. The arrays are reused from plan
 * to plan; each {@link EvictionController} owns two plans (the active one and the pending one), which never
 * share them.
 */
public final class ReservePlan {
    private final boolean[] covered;
    private final int[] expectedLength;
    private final int[] targetKeep;
    private final int[] quantizedKeep;
    private final int[] rangeCount;
    private final int[][] starts;
    private final int[][] ends;

    public ReservePlan(int layers) {
        covered = new boolean[layers];
        expectedLength = new int[layers];
        targetKeep = new int[layers];
        quantizedKeep = new int[layers];
        rangeCount = new int[layers];
        starts = new int[layers][8];
        ends = new int[layers][8];
    }

    public int layers() { return covered.length; }

    public void clear() {
        Arrays.fill(covered, false);
        Arrays.fill(rangeCount, 0);
    }

    public boolean isEmpty() {
        for (boolean c : covered) if (c) return false;
        return true;
    }

    /**
     * Starts the plan of a layer that holds {@code length} slots; {@code targetKeep} is the budget before
     * floors and block rounding, {@code quantizedKeep} the number of slots the ranges will keep.
     */
    public void begin(int layer, int length, int targetKeep, int quantizedKeep) {
        covered[layer] = true;
        expectedLength[layer] = length;
        this.targetKeep[layer] = targetKeep;
        this.quantizedKeep[layer] = quantizedKeep;
        rangeCount[layer] = 0;
    }

    /** Adds the range {@code [start, end)}; nothing is checked here, that is the validator's job. */
    public void keep(int layer, int start, int end) {
        int n = rangeCount[layer];
        if (n == starts[layer].length) {
            starts[layer] = Arrays.copyOf(starts[layer], 2 * n);
            ends[layer] = Arrays.copyOf(ends[layer], 2 * n);
        }
        starts[layer][n] = start;
        ends[layer][n] = end;
        rangeCount[layer] = n + 1;
    }

    /** Adds {@code [start, end)}, extending the previous range when they touch (planners emit slot order). */
    public void keepMerged(int layer, int start, int end) {
        if (end <= start) return;
        int n = rangeCount[layer];
        if (n > 0 && ends[layer][n - 1] == start) ends[layer][n - 1] = end;
        else keep(layer, start, end);
    }

    /** Makes this plan equal to {@code other}, copying its ranges into this plan's own arrays. */
    public void copyFrom(ReservePlan other) {
        if (other == this) return;
        if (other.layers() != layers()) {
            throw new IllegalArgumentException("plan for " + other.layers() + " layers, expected " + layers());
        }
        clear();
        for (int l = 0; l < layers(); l++) {
            if (!other.covered[l]) continue;
            begin(l, other.expectedLength[l], other.targetKeep[l], other.quantizedKeep[l]);
            for (int r = 0; r < other.rangeCount[l]; r++) keep(l, other.starts[l][r], other.ends[l][r]);
        }
    }

    public boolean covers(int layer) { return covered[layer]; }

    public int expectedLength(int layer) { return expectedLength[layer]; }

    public int targetKeep(int layer) { return targetKeep[layer]; }

    public int quantizedKeep(int layer) { return quantizedKeep[layer]; }

    public int rangeCount(int layer) { return rangeCount[layer]; }

    public int start(int layer, int range) { return starts[layer][range]; }

    public int end(int layer, int range) { return ends[layer][range]; }

    /** The range arrays themselves (first {@link #rangeCount} entries), handed to compaction without a copy. */
    int[] startsArray(int layer) { return starts[layer]; }

    int[] endsArray(int layer) { return ends[layer]; }

    /** True when the two plans share no storage (the double-buffering invariant). */
    boolean sharesNothingWith(ReservePlan other) {
        if (other == this) return false;
        for (int l = 0; l < covered.length; l++) {
            for (int m = 0; m < other.covered.length; m++) {
                if (starts[l] == other.starts[m] || ends[l] == other.ends[m]) return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ReservePlan[");
        for (int l = 0; l < covered.length; l++) {
            if (!covered[l]) continue;
            s.append(" layer ").append(l).append(" (length ").append(expectedLength[l]).append(", target ")
                    .append(targetKeep[l]).append(", keep ").append(quantizedKeep[l]).append("):");
            for (int r = 0; r < rangeCount[l]; r++) s.append(" [").append(starts[l][r]).append(',').append(ends[l][r]).append(')');
        }
        return s.append(" ]").toString();
    }
}
