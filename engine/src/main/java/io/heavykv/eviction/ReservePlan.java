package io.heavykv.eviction;

import java.util.Arrays;

/**
 * Which slot ranges of which layers to keep: one eviction, planned at the end of a step and applied at
 * the start of the next. Layers the plan does not cover keep everything. A covered layer is planned either as a
 * whole ({@link #begin}: the same ranges for every KV head) or per KV head ({@link #beginHeads}, then
 * {@link #beginHead} for each head: ranges over that head's own slots, for caches that keep tokens per head).
 * The arrays are reused from plan to plan; each {@link EvictionController} owns two plans (the active one and
 * the pending one), which never share them.
 */
public final class ReservePlan {
    private final boolean[] covered;
    private final boolean[] perHead;
    private final int[] heads;
    private final int[] targetKeep;
    /** Per layer and lane (the layer's one lane, or one per KV head): */
    private final int[][] expectedLength;
    private final int[][] quantizedKeep;
    private final int[][] rangeCount;
    private final int[][][] starts;
    private final int[][][] ends;

    public ReservePlan(int layers) {
        covered = new boolean[layers];
        perHead = new boolean[layers];
        heads = new int[layers];
        targetKeep = new int[layers];
        expectedLength = new int[layers][1];
        quantizedKeep = new int[layers][1];
        rangeCount = new int[layers][1];
        starts = new int[layers][1][8];
        ends = new int[layers][1][8];
    }

    public int layers() { return covered.length; }

    public void clear() {
        Arrays.fill(covered, false);
        Arrays.fill(perHead, false);
        for (int[] counts : rangeCount) Arrays.fill(counts, 0);
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
        start(layer, false, 1, targetKeep);
        beginLane(layer, 0, length, quantizedKeep);
    }

    /**
     * Starts a per-KV-head plan of a layer with {@code kvHeads} heads; {@code targetKeep} is the layer's budget
     * per head before floors and block rounding. Each head then gets {@link #beginHead} and its ranges.
     */
    public void beginHeads(int layer, int kvHeads, int targetKeep) {
        if (kvHeads < 1) throw new IllegalArgumentException("a per-head plan needs at least one head, got " + kvHeads);
        start(layer, true, kvHeads, targetKeep);
    }

    /** Starts head {@code kvHead}'s part of a per-head plan: the head holds {@code length} slots and keeps {@code quantizedKeep}. */
    public void beginHead(int layer, int kvHead, int length, int quantizedKeep) {
        requirePerHead(layer, kvHead);
        beginLane(layer, kvHead, length, quantizedKeep);
    }

    private void start(int layer, boolean byHead, int lanes, int target) {
        covered[layer] = true;
        perHead[layer] = byHead;
        heads[layer] = lanes;
        targetKeep[layer] = target;
        if (starts[layer].length < lanes) {
            int old = starts[layer].length;
            expectedLength[layer] = Arrays.copyOf(expectedLength[layer], lanes);
            quantizedKeep[layer] = Arrays.copyOf(quantizedKeep[layer], lanes);
            rangeCount[layer] = Arrays.copyOf(rangeCount[layer], lanes);
            starts[layer] = Arrays.copyOf(starts[layer], lanes);
            ends[layer] = Arrays.copyOf(ends[layer], lanes);
            for (int h = old; h < lanes; h++) {
                starts[layer][h] = new int[8];
                ends[layer][h] = new int[8];
            }
        }
        Arrays.fill(rangeCount[layer], 0);
        Arrays.fill(expectedLength[layer], 0);
        Arrays.fill(quantizedKeep[layer], 0);
    }

    private void beginLane(int layer, int lane, int length, int keep) {
        expectedLength[layer][lane] = length;
        quantizedKeep[layer][lane] = keep;
        rangeCount[layer][lane] = 0;
    }

    /** Adds the range {@code [start, end)} to a whole-layer plan; nothing is checked here, that is the validator's job. */
    public void keep(int layer, int start, int end) { keepLane(layer, 0, start, end); }

    /** Adds the range {@code [start, end)} of one KV head's slots to a per-head plan; unchecked as {@link #keep(int, int, int)}. */
    public void keep(int layer, int kvHead, int start, int end) {
        requirePerHead(layer, kvHead);
        keepLane(layer, kvHead, start, end);
    }

    /** Adds {@code [start, end)}, extending the previous range when they touch (planners emit slot order). */
    public void keepMerged(int layer, int start, int end) { keepMergedLane(layer, 0, start, end); }

    /** As {@link #keepMerged(int, int, int)}, for one KV head of a per-head plan. */
    public void keepMerged(int layer, int kvHead, int start, int end) {
        requirePerHead(layer, kvHead);
        keepMergedLane(layer, kvHead, start, end);
    }

    private void keepMergedLane(int layer, int lane, int start, int end) {
        if (end <= start) return;
        int n = rangeCount[layer][lane];
        if (n > 0 && ends[layer][lane][n - 1] == start) ends[layer][lane][n - 1] = end;
        else keepLane(layer, lane, start, end);
    }

    private void keepLane(int layer, int lane, int start, int end) {
        int n = rangeCount[layer][lane];
        if (n == starts[layer][lane].length) {
            starts[layer][lane] = Arrays.copyOf(starts[layer][lane], 2 * n);
            ends[layer][lane] = Arrays.copyOf(ends[layer][lane], 2 * n);
        }
        starts[layer][lane][n] = start;
        ends[layer][lane][n] = end;
        rangeCount[layer][lane] = n + 1;
    }

    private void requirePerHead(int layer, int kvHead) {
        if (!covered[layer] || !perHead[layer]) {
            throw new IllegalStateException("layer " + layer + " has no per-head plan begun (beginHeads first)");
        }
        if (kvHead < 0 || kvHead >= heads[layer]) {
            throw new IndexOutOfBoundsException("kv head " + kvHead + " of a plan for " + heads[layer]);
        }
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
            start(l, other.perHead[l], other.heads[l], other.targetKeep[l]);
            for (int h = 0; h < other.heads[l]; h++) {
                beginLane(l, h, other.expectedLength[l][h], other.quantizedKeep[l][h]);
                for (int r = 0; r < other.rangeCount[l][h]; r++) keepLane(l, h, other.starts[l][h][r], other.ends[l][h][r]);
            }
        }
    }

    public boolean covers(int layer) { return covered[layer]; }

    /** Whether the layer is planned per KV head rather than as a whole. */
    public boolean perHead(int layer) { return covered[layer] && perHead[layer]; }

    /** KV heads a per-head plan covers; 1 for a whole-layer plan. */
    public int heads(int layer) { return heads[layer]; }

    public int targetKeep(int layer) { return targetKeep[layer]; }

    // Whole-layer plans; on a per-head plan these read head 0.

    public int expectedLength(int layer) { return expectedLength[layer][0]; }

    public int quantizedKeep(int layer) { return quantizedKeep[layer][0]; }

    public int rangeCount(int layer) { return rangeCount[layer][0]; }

    public int start(int layer, int range) { return starts[layer][0][range]; }

    public int end(int layer, int range) { return ends[layer][0][range]; }

    // One lane: head {@code kvHead} of a per-head plan, or 0 for the whole layer.

    public int expectedLength(int layer, int kvHead) { return expectedLength[layer][kvHead]; }

    public int quantizedKeep(int layer, int kvHead) { return quantizedKeep[layer][kvHead]; }

    public int rangeCount(int layer, int kvHead) { return rangeCount[layer][kvHead]; }

    public int start(int layer, int kvHead, int range) { return starts[layer][kvHead][range]; }

    public int end(int layer, int kvHead, int range) { return ends[layer][kvHead][range]; }

    /**
     * Tokens the layer keeps, as whole tokens of the layer: the declared keep of a whole-layer plan, or the heads'
     * declared keeps summed and divided by the heads, rounded up.
     */
    public int keptTokens(int layer) {
        long sum = 0;
        for (int h = 0; h < heads[layer]; h++) sum += quantizedKeep[layer][h];
        return (int) ((sum + heads[layer] - 1) / heads[layer]);
    }

    /** The range arrays of one lane (first {@link #rangeCount(int, int)} entries), handed to compaction without a copy. */
    int[] startsArray(int layer, int lane) { return starts[layer][lane]; }

    int[] endsArray(int layer, int lane) { return ends[layer][lane]; }

    /** True when the two plans share no storage (the double-buffering invariant). */
    boolean sharesNothingWith(ReservePlan other) {
        if (other == this) return false;
        for (int l = 0; l < covered.length; l++) {
            for (int[] mine : starts[l]) {
                for (int[][] theirs : other.starts) if (Arrays.asList(theirs).contains(mine)) return false;
            }
            for (int[] mine : ends[l]) {
                for (int[][] theirs : other.ends) if (Arrays.asList(theirs).contains(mine)) return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ReservePlan[");
        for (int l = 0; l < covered.length; l++) {
            if (!covered[l]) continue;
            s.append(" layer ").append(l).append(" (target ").append(targetKeep[l]).append("):");
            for (int h = 0; h < heads[l]; h++) {
                if (perHead[l]) s.append(" head ").append(h);
                s.append(" (length ").append(expectedLength[l][h]).append(", keep ").append(quantizedKeep[l][h]).append(')');
                for (int r = 0; r < rangeCount[l][h]; r++) s.append(" [").append(starts[l][h][r]).append(',').append(ends[l][h][r]).append(')');
            }
        }
        return s.append(" ]").toString();
    }
}
