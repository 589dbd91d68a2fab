package io.heavykv.codec;

/**
 * Per-thread working memory of the codecs: value and plane buffers that grow to the largest block seen,
 * and the native zstd contexts. Reusing one keeps encode/decode allocation-free; it is not thread-safe.
 */
public final class CodecContext implements AutoCloseable {
    public static final int DEFAULT_LEVEL = 3;

    private final ZstdStage zstd;
    private int[] values = new int[0];
    private byte[] planes = new byte[0];
    private int[] rowRefs = new int[0];
    private int[] rowTable = new int[0];
    private byte[] scratch = new byte[0];
    private final Rans.Encoder ransEncoder = new Rans.Encoder();
    private final Rans.Decoder ransDecoder = new Rans.Decoder();
    private ContextModel uniformModel;

    public CodecContext() { this(DEFAULT_LEVEL); }

    /** @param zstdLevel zstd compression level (negative levels are zstd's fast modes) */
    public CodecContext(int zstdLevel) { this.zstd = new ZstdStage(zstdLevel); }

    public int zstdLevel() { return zstd.level(); }

    ZstdStage zstd() { return zstd; }

    int[] values(int n) {
        if (values.length < n) values = new int[n];
        return values;
    }

    byte[] planes(int bytes) {
        if (planes.length < bytes) planes = new byte[bytes];
        return planes;
    }

    /** Per row of a block: the row itself or the earlier row it repeats. */
    int[] rowRefs(int tokens) {
        if (rowRefs.length < tokens) rowRefs = new int[tokens];
        return rowRefs;
    }

    /** Open-addressing hash table of rows, {@code size} a power of two. */
    int[] rowTable(int size) {
        if (rowTable.length < size) rowTable = new int[size];
        return rowTable;
    }

    /** A codec's private output buffer, of at least {@code bytes}. */
    byte[] scratch(int bytes) {
        if (scratch.length < bytes) scratch = new byte[bytes];
        return scratch;
    }

    Rans.Encoder ransEncoder() { return ransEncoder; }

    Rans.Decoder ransDecoder() { return ransDecoder; }

    /** The model of {@link ContextModelCodec} blocks without one, built once per channel count. */
    ContextModel uniformModel(int channels) {
        if (uniformModel == null || uniformModel.channels() != channels) uniformModel = ContextModelTrainer.uniform(channels);
        return uniformModel;
    }

    @Override
    public void close() { zstd.close(); }
}
