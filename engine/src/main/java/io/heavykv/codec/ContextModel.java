package io.heavykv.codec;

/**
 * What {@link CodecId#CONTEXT_MODEL} learned from earlier blocks of one FP16 stream (the K or the V of one
 * layer), frozen: the distinct rows seen so far, which later blocks reference instead of coding again (in
 * the first layer a row is a function of the token, and tokens repeat), and the field frequencies the
 * entropy coder uses for the rows that are new. Made by {@link ContextModelTrainer}; immutable, so a frame
 * names it by id as it names a zstd dictionary.
 *
 * <p>Fields of a value: sign, in the context of its channel and of the same channel's sign one token
 * earlier (unrotated keys keep their sign along a channel); exponent, in the context of channel and sign
 * (channels differ in magnitude); the top two mantissa bits, in the context of the exponent. The low
 * mantissa byte is noise and is stored as it is.
 */
public final class ContextModel implements BlockDictionary {
    static final int EXPONENTS = 32;
    static final int TOP_MANTISSAS = 4;

    private final int id;
    private final int channels;
    private final byte[] rows;
    private final int rowCount;
    private final int[] index;
    final FrequencyTable sign;
    final FrequencyTable exponent;
    final FrequencyTable mantissa;

    /**
     * @param rows  row store whose first {@code rowCount} rows belong to this model; the trainer may append
     *              behind them later, never change them
     * @param index open-addressing table of row numbers (-1: empty), power-of-two size; this model's own copy
     */
    ContextModel(int id, int channels, byte[] rows, int rowCount, int[] index, FrequencyTable sign, FrequencyTable exponent,
                 FrequencyTable mantissa) {
        this.id = id;
        this.channels = channels;
        this.rows = rows;
        this.rowCount = rowCount;
        this.index = index;
        this.sign = sign;
        this.exponent = exponent;
        this.mantissa = mantissa;
    }

    @Override public int id() { return id; }

    /** Channels of the blocks this model is for; blocks of other shapes are coded as if there were no model. */
    public int channels() { return channels; }

    /** Distinct rows it holds. */
    public int rows() { return rowCount; }

    int rowBytes() { return channels * 2; }

    /** The number of the row equal to {@code a[off, off+rowBytes)}, or -1. */
    int findRow(byte[] a, int off) {
        if (rowCount == 0) return -1;
        int rowBytes = rowBytes();
        int mask = index.length - 1;
        for (int slot = DedupPlaneCodec.hash(a, off, rowBytes) & mask; index[slot] >= 0; slot = (slot + 1) & mask) {
            int r = index[slot];
            if (r < rowCount && java.util.Arrays.equals(a, off, off + rowBytes, rows, r * rowBytes, (r + 1) * rowBytes)) return r;
        }
        return -1;
    }

    void copyRow(int row, byte[] dst, int dstOff) {
        System.arraycopy(rows, row * rowBytes(), dst, dstOff, rowBytes());
    }

    /** Nothing native to free; a model is plain heap data. */
    @Override
    public void close() {}
}
