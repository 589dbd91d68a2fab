package io.heavykv.codec;

import java.util.Arrays;

/**
 * Sign-and-exponent counts by channel group, pooled by every stream that shares them (in the runtime, the K
 * streams of all layers, and apart from them the V streams), and the frozen {@link FrequencyTable}s made from
 * them. A group is named by its {@linkplain ContextModelTrainer#groupKey key} (most common exponent and sign
 * leaning), which means much the same thing in every layer. On SmolLM2's KV under H2O, pooling the 30 layers
 * costs the frames 0.5-0.7% (V more than K: its layers differ more given the key) while one set of tables a kind
 * replaces a set per stream: the models went from 0.38 MB to 0.1 MB, which at a few hundred tokens is a tenth of
 * the KV store mode holds.
 *
 * <p>Groups are numbered densely as met, so a table holds only the groups some stream uses; numbers never
 * change, so a stream's context bases ({@code number x (SYMBOLS + 1)}) stay valid in every later table. Encode
 * workers of different streams share it, so it locks itself; a frozen table is immutable.
 */
public final class GroupCounts {
    private static final int SYMBOLS = ContextModel.SIGN_EXPONENTS;

    /** Per key, its group's number, or -1 before a stream used it. */
    private final int[] groupOfKey = new int[ContextModelTrainer.GROUP_KEYS];
    private int groups;
    /** Per group number, {@link #SYMBOLS} counts. */
    private char[] counts = new char[0];
    private long blocks;
    private FrequencyTable table;
    private int tableGroups;
    private long frozenAt;

    public GroupCounts() { Arrays.fill(groupOfKey, -1); }

    /** The group number of {@code key}, numbering it if it is new (below {@link ContextModelTrainer#GROUP_KEYS}, so a byte holds it). */
    synchronized int group(int key) {
        if (groupOfKey[key] < 0) {
            groupOfKey[key] = groups++;
            counts = Arrays.copyOf(counts, groups * SYMBOLS);
        }
        return groupOfKey[key];
    }

    /** Counts one block's values, channel {@code c} in the group numbered {@code groupOf[c]}. */
    synchronized void add(byte[] groupOf, BlockShape shape, byte[] src, int srcOff) {
        int channels = shape.channels();
        for (int t = 0; t < shape.tokens(); t++) {
            int row = srcOff + 2 * t * channels;
            for (int c = 0; c < channels; c++) {
                count(counts, groupOf[c] * SYMBOLS, LittleEndian.getShort(src, row + 2 * c) >>> 10, SYMBOLS);
            }
        }
        blocks++;
    }

    /**
     * The latest frozen table, frozen again when it lacks a group numbered up to {@code highestGroup} or the
     * blocks counted doubled since it was frozen (as {@link ContextModelTrainer#snapshotDue} does per stream:
     * early counts change fast, later ones hardly, and each table lives as long as a frame needs it).
     */
    synchronized FrequencyTable table(int highestGroup) {
        if (table == null || highestGroup >= tableGroups || blocks >= 2 * frozenAt) {
            int[] pooled = new int[groups * SYMBOLS];
            for (int i = 0; i < pooled.length; i++) pooled[i] = counts[i];
            table = FrequencyTable.quantize(pooled, groups, ContextModelTrainer.PRIOR_WEIGHT);
            tableGroups = groups;
            frozenAt = Math.max(1, blocks);
        }
        return table;
    }

    /** Heap bytes of the counts (the tables are counted by the models that use them). */
    public synchronized long bytes() { return 2L * counts.length + 4L * groupOfKey.length; }

    /**
     * Counts {@code symbol} in the context of {@code symbols} counts at {@code base}, halving the context's
     * counts when one would overflow: frequencies are ratios, and a long stream's later values then weigh
     * a little more, which does no harm as a stream drifts. Halving rounds up, so a symbol once seen stays seen.
     */
    static void count(char[] counts, int base, int symbol, int symbols) {
        if (counts[base + symbol] == Character.MAX_VALUE) {
            for (int s = base; s < base + symbols; s++) counts[s] = (char) ((counts[s] + 1) >>> 1);
        }
        counts[base + symbol]++;
    }
}
