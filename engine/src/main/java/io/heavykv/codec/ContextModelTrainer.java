package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;

import java.lang.ref.WeakReference;

import java.util.function.IntSupplier;

/**
 * Learns a {@link ContextModel} from the blocks of one FP16 stream as they go by, and hands out frozen
 * snapshots. Rows are kept in a {@link RowStore} that snapshots share (each sees only the rows it was
 * made with), up to {@link #MAX_ROW_STORE_BYTES}, and only while the stream's rows do repeat
 * ({@link #ROW_TRIAL}). A snapshot's own cost is its frequency tables ({@link ContextModel#tableBytes}).
 * Not thread-safe; snapshots are.
 */
public final class ContextModelTrainer {
    /** Bound on the distinct rows kept per stream, so memory stays small next to the KV it codes. */
    public static final int MAX_ROW_STORE_BYTES = 1 << 18;

    private final int channels;
    private final int rowBytes;
    /** Per channel, sign-and-exponent counts, until the channels' groups are fixed; then null. */
    private char[] channelCounts;
    /** Once fixed: per channel, its group; and per group, the counts of its channels together. */
    private int[] groupOf;
    private char[] groupCounts;
    private RowStore rows;
    /** The rows given up on after a failed trial, while snapshots that may use them still hold them. */
    private WeakReference<RowStore> abandoned = new WeakReference<>(null);
    private int blocks;
    private long rowsSeen;
    private long rowsRepeated;
    private boolean keepingRows;

    /**
     * Rows after which a stream whose rows hardly repeat (under 1 in 32) stops keeping new ones: past the
     * first layer a row depends on the context, not on the token alone, and never comes back, so storing
     * it would only double the KV in memory. Later snapshots hold no rows; the rows kept so far live on in
     * the earlier snapshots, for the frames that use them, until those are retired.
     */
    static final int ROW_TRIAL = 128;

    /**
     * Blocks after which the channels' groups are fixed: a channel's most common exponent and sign leaning show
     * within a block or two, and counting per group from then on keeps a model's memory small next to the KV.
     */
    static final int GROUPING_BLOCKS = 2;

    /** Pseudo-counts a context borrows from all contexts together (see {@link FrequencyTable#quantize}). */
    static final double PRIOR_WEIGHT = 16;

    public ContextModelTrainer(int channels) { this(channels, true); }

    /** @param keepRows whether to keep rows for references at all (see {@link #ROW_TRIAL} for when it stops) */
    public ContextModelTrainer(int channels, boolean keepRows) {
        if (channels < 1 || channels > BlockShape.MAX_CHANNELS) throw new IllegalArgumentException("channels " + channels);
        this.channels = channels;
        this.rowBytes = 2 * channels;
        this.keepingRows = keepRows;
        this.rows = new RowStore(rowBytes, keepRows ? MAX_ROW_STORE_BYTES / rowBytes : 0);
        this.channelCounts = new char[channels * ContextModel.SIGN_EXPONENTS];
    }

    /** Whether a block of this shape can teach this trainer (FP16 with its channel count). */
    public boolean fits(BlockShape shape) { return shape.dtype() == KvDType.FP16 && shape.channels() == channels; }

    /** Learns from one block (its rows and field statistics). */
    public void add(BlockShape shape, byte[] src, int srcOff) {
        if (!fits(shape)) throw new IllegalArgumentException("a context model for " + channels + " FP16 channels cannot learn from " + shape);
        for (int t = 0; t < shape.tokens(); t++) {
            int row = srcOff + t * rowBytes;
            for (int c = 0; c < channels; c++) {
                int v = LittleEndian.getShort(src, row + 2 * c);
                if (channelCounts != null) count(channelCounts, c * ContextModel.SIGN_EXPONENTS, v >>> 10, ContextModel.SIGN_EXPONENTS);
                else count(groupCounts, groupOf[c] * ContextModel.SIGN_EXPONENTS, v >>> 10, ContextModel.SIGN_EXPONENTS);
            }
            if (keepingRows) {
                rowsSeen++;
                if (rows.add(src, row)) rowsRepeated++;
            }
        }
        blocks++;
        if (channelCounts != null && blocks == GROUPING_BLOCKS) fixGroups();
        if (keepingRows && rowsSeen >= ROW_TRIAL && rowsRepeated * 32 < rowsSeen) {
            keepingRows = false;
            abandoned = new WeakReference<>(rows);
            rows = new RowStore(rowBytes, 0);
        }
    }

    /**
     * Counts {@code symbol} in the context of {@code symbols} counts at {@code base}, halving the context's
     * counts when one would overflow: frequencies are ratios, and a long stream's later values then weigh
     * a little more, which does no harm as a stream drifts. Halving rounds up, so a symbol once seen stays seen.
     */
    private static void count(char[] counts, int base, int symbol, int symbols) {
        if (counts[base + symbol] == Character.MAX_VALUE) {
            for (int s = base; s < base + symbols; s++) counts[s] = (char) ((counts[s] + 1) >>> 1);
        }
        counts[base + symbol]++;
    }

    /** Whether it still adds new rows to its store (see {@link #ROW_TRIAL}). */
    public boolean keepingRows() { return keepingRows; }

    /** Blocks learned from so far. */
    public int blocks() { return blocks; }

    /**
     * Whether a new snapshot pays after {@code blocks} blocks: after 1, 2, 4, 8, ... blocks. Early on the
     * model changes fast; later it has converged, while each snapshot costs a re-probe and its tables stay
     * in memory as long as frames name it, so doubling keeps the count logarithmic in the stream's length.
     */
    public static boolean snapshotDue(int blocks) {
        return blocks > 0 && Integer.bitCount(blocks) == 1;
    }

    /**
     * The online rule the runtime and the offline simulation share: learns from a block just coded (one of
     * another shape teaches nothing) and returns a new snapshot named by {@code ids} when one is
     * {@link #snapshotDue due}, else null.
     */
    public ContextModel learnOnline(BlockShape shape, byte[] src, int srcOff, IntSupplier ids) {
        if (!fits(shape)) return null;
        add(shape, src, srcOff);
        return snapshotDue(blocks) ? snapshot(ids.getAsInt()) : null;
    }

    /** A frozen model of everything learned so far, named {@code id} (not 0) in frames. */
    public ContextModel snapshot(int id) {
        if (id == 0) throw new IllegalArgumentException("model id 0 means 'no dictionary' in frames");
        return freeze(id);
    }

    /** The model of a trainer that has seen nothing: uniform fields, no rows. */
    static ContextModel uniform(int channels) { return new ContextModelTrainer(channels).freeze(0); }

    private ContextModel freeze(int id) {
        int symbols = ContextModel.SIGN_EXPONENTS;
        int[] groups = groupOf != null ? groupOf : groupChannels();
        int groupCount = 0;
        for (int g : groups) groupCount = Math.max(groupCount, g + 1);
        int[] grouped = new int[groupCount * symbols];
        if (groupCounts != null) {
            for (int i = 0; i < grouped.length; i++) grouped[i] = groupCounts[i];
        } else {
            for (int c = 0; c < channels; c++) {
                for (int s = 0; s < symbols; s++) grouped[groups[c] * symbols + s] += channelCounts[c * symbols + s];
            }
        }
        FrequencyTable table = FrequencyTable.quantize(grouped, groupCount, PRIOR_WEIGHT);
        char[] bases = new char[channels];
        for (int c = 0; c < channels; c++) bases[c] = (char) table.base(groups[c]);
        return new ContextModel(id, channels, rows, rows.rowCount(), table, bases);
    }

    /** Per channel, its group by {@link #groupKey} of the per-channel counts, groups numbered from 0 as met. */
    private int[] groupChannels() {
        int[] groupOfKey = new int[GROUP_KEYS];
        java.util.Arrays.fill(groupOfKey, -1);
        int[] groups = new int[channels];
        int next = 0;
        for (int c = 0; c < channels; c++) {
            int key = groupKey(channelCounts, c * ContextModel.SIGN_EXPONENTS);
            if (groupOfKey[key] < 0) groupOfKey[key] = next++;
            groups[c] = groupOfKey[key];
        }
        return groups;
    }

    /**
     * Fixes each channel's group from what the first {@link #GROUPING_BLOCKS} blocks showed, pools the counts
     * by group and drops the per-channel ones, which took most of a model's memory (64 counts a channel): from
     * here each value is counted in its group's context.
     */
    private void fixGroups() {
        int symbols = ContextModel.SIGN_EXPONENTS;
        int[] groups = groupChannels();
        int groupCount = 0;
        for (int g : groups) groupCount = Math.max(groupCount, g + 1);
        char[] pooled = new char[groupCount * symbols];
        for (int c = 0; c < channels; c++) {
            for (int s = 0; s < symbols; s++) {
                for (int n = channelCounts[c * symbols + s]; n > 0; n--) count(pooled, groups[c] * symbols, s, symbols);
            }
        }
        groupOf = groups;
        groupCounts = pooled;
        channelCounts = null;
    }

    /** Group keys: 0 for a channel not seen yet, else 1 + 3 x most common exponent + sign leaning. */
    private static final int GROUP_KEYS = 1 + 3 * 32;

    /**
     * The group a channel's sign-and-exponent counts put it in: its most common exponent (either sign) and
     * whether it leans positive (under a fifth negative), negative (over four fifths) or neither. Channels
     * alike in both code almost as tightly with their pooled counts (measured on stories260K KV: within 0.5%
     * of a table per channel), and a snapshot then holds a table per group, not per channel.
     */
    private static int groupKey(char[] counts, int base) {
        long total = 0;
        long negative = 0;
        int[] byExponent = new int[32];
        for (int s = 0; s < ContextModel.SIGN_EXPONENTS; s++) {
            int n = counts[base + s];
            total += n;
            if (s >= 32) negative += n;
            byExponent[s & 31] += n;
        }
        if (total == 0) return 0;
        int mode = 0;
        for (int e = 1; e < 32; e++) if (byExponent[e] > byExponent[mode]) mode = e;
        int lean = 5 * negative < total ? 0 : 5 * negative > 4 * total ? 2 : 1;
        return 1 + 3 * mode + lean;
    }

    /** Heap bytes of the stream's row store, which all its snapshots share, and of the counts. */
    public long bytes() {
        RowStore old = abandoned.get();
        long counts = channelCounts != null ? 2L * channelCounts.length : 2L * groupCounts.length + 4L * groupOf.length;
        return rows.bytes() + (old == null ? 0 : old.bytes()) + counts;
    }
}
