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

    @Override
    public void close() { zstd.close(); }
}
