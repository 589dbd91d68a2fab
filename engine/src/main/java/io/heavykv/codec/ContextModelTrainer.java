package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;

import java.lang.ref.WeakReference;

import java.util.function.IntSupplier;

/**
 * Learns a {@link ContextModel} from the blocks of one FP16 stream as they go by, and hands out frozen
 * snapshots. Rows are kept in a {@link RowStore} that snapshots share (each sees only the rows it was
 * made with), up to {@link #MAX_ROW_STORE_BYTES}, and only while the stream's rows do repeat
 * ({@link #ROW_TRIAL}). The field counts go to {@link GroupCounts}, which streams of one kind may share (the
 * runtime shares them across layers); a snapshot holds the table frozen from them and its channels' bases,
 * and after the first {@link #GROUPING_BLOCKS} blocks every snapshot of a stream shares one bases array.
 * Not thread-safe; snapshots are.
 */
public final class ContextModelTrainer {
    /** Bound on the distinct rows kept per stream, so memory stays small next to the KV it codes. */
    public static final int MAX_ROW_STORE_BYTES = 1 << 18;

    private final int channels;
    private final int rowBytes;
    /** Per channel, sign-and-exponent counts, until the channels' groups are fixed; then null. */
    private char[] channelCounts;
    private final GroupCounts groupCounts;
    /** Once fixed: per channel, its group's number in {@link #groupCounts}, and its context base (shared by snapshots). */
    private byte[] groupOf;
    private char[] bases;
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
     * Blocks after which the channels' groups are fixed, before their values are counted: a channel's most
     * common exponent and sign leaning show within a block (the runtime's are pages of 64 tokens), and
     * counting per group keeps a model's memory small next to the KV. Fixing them at the first block also lets
     * every snapshot of the stream share one array of bases (a snapshot made before would hold its own).
     */
    static final int GROUPING_BLOCKS = 1;

    /** Pseudo-counts a context borrows from all contexts together (see {@link FrequencyTable#quantize}). */
    static final double PRIOR_WEIGHT = 16;

    public ContextModelTrainer(int channels) { this(channels, true); }

    /** A trainer whose field counts are its own. */
    public ContextModelTrainer(int channels, boolean keepRows) { this(channels, keepRows, new GroupCounts()); }

    /**
     * @param keepRows    whether to keep rows for references at all (see {@link #ROW_TRIAL} for when it stops)
     * @param groupCounts where the field counts go, pooled with every trainer given the same
     */
    public ContextModelTrainer(int channels, boolean keepRows, GroupCounts groupCounts) {
        this.groupCounts = groupCounts;
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
            if (channelCounts != null) {
                for (int c = 0; c < channels; c++) {
                    int v = LittleEndian.getShort(src, row + 2 * c);
                    GroupCounts.count(channelCounts, c * ContextModel.SIGN_EXPONENTS, v >>> 10, ContextModel.SIGN_EXPONENTS);
                }
            }
            if (keepingRows) {
                rowsSeen++;
                if (rows.add(src, row)) rowsRepeated++;
            }
        }
        blocks++;
        if (channelCounts != null && blocks == GROUPING_BLOCKS) fixGroups();
        groupCounts.add(groupOf, shape, src, srcOff);
        if (keepingRows && rowsSeen >= ROW_TRIAL && rowsRepeated * 32 < rowsSeen) {
            keepingRows = false;
            abandoned = new WeakReference<>(rows);
            rows = new RowStore(rowBytes, 0);
        }
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

    /** A snapshot; a trainer that has seen nothing puts every channel in the group of unseen channels. */
    private ContextModel freeze(int id) {
        byte[] groups = groupOf != null ? groupOf : groupChannels();
        FrequencyTable table = groupCounts.table(highest(groups));
        return new ContextModel(id, channels, rows, rows.rowCount(), table, bases != null ? bases : bases(groups));
    }

    private static char[] bases(byte[] groups) {
        char[] bases = new char[groups.length];
        for (int c = 0; c < groups.length; c++) bases[c] = (char) FrequencyTable.base(groups[c]);
        return bases;
    }

    private static int highest(byte[] groups) {
        int highest = 0;
        for (byte g : groups) highest = Math.max(highest, g);
        return highest;
    }

    /** Per channel, the number in {@link #groupCounts} of the group {@link #groupKey} of its counts puts it in. */
    private byte[] groupChannels() {
        byte[] groups = new byte[channels];
        for (int c = 0; c < channels; c++) groups[c] = (byte) groupCounts.group(groupKey(channelCounts, c * ContextModel.SIGN_EXPONENTS));
        return groups;
    }

    /**
     * Fixes each channel's group from what the first {@link #GROUPING_BLOCKS} blocks showed and drops the
     * per-channel counts, which took most of a model's memory (64 counts a channel): from here each value is
     * counted in its group's context, and every snapshot shares one array of bases.
     */
    private void fixGroups() {
        groupOf = groupChannels();
        bases = bases(groupOf);
        channelCounts = null;
    }

    /** Group keys: 0 for a channel not seen yet, else 1 + 3 x most common exponent + sign leaning. */
    static final int GROUP_KEYS = 1 + 3 * 32;

    /**
     * The group a channel's sign-and-exponent counts put it in: its most common exponent (either sign) and
     * whether it leans positive (under a fifth negative), negative (over four fifths) or neither. Channels
     * alike in both code almost as tightly with their pooled counts (measured on stories260K KV: within 0.5%
     * of a table per channel), and a snapshot then holds a table per group, not per channel.
     */
    static int groupKey(char[] counts, int base) {
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

    /**
     * Heap bytes of the stream's row store, which all its snapshots share, and of its own counts or groups; the
     * pooled counts are {@link GroupCounts#bytes}, the bases its snapshots share are counted with them.
     */
    public long bytes() {
        RowStore old = abandoned.get();
        long counts = channelCounts != null ? 2L * channelCounts.length : groupOf.length;
        return rows.bytes() + (old == null ? 0 : old.bytes()) + counts;
    }
}
