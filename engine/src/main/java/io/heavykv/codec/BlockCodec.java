package io.heavykv.codec;

/**
 * One way of turning a block's raw bytes into a frame payload and back. Implementations are stateless;
 * buffers and native contexts come from the caller's {@link CodecContext}.
 */
public interface BlockCodec {
    CodecId id();

    /**
     * Encodes the raw block at {@code src[srcOff]} into {@code dst[dstOff]}, which has room for
     * {@link #maxPayload(BlockShape)} bytes; returns the payload length.
     */
    int encode(BlockShape shape, byte[] src, int srcOff, BlockDictionary dict, CodecContext ctx, byte[] dst, int dstOff);

    /**
     * Decodes exactly {@code payload[off, off+len)} into {@code shape.rawBytes()} bytes at {@code dst[dstOff]}.
     *
     * @throws CorruptFrameException when the payload is malformed (the checksum is the frame reader's job)
     */
    void decode(BlockShape shape, byte[] payload, int off, int len, BlockDictionary dict, CodecContext ctx,
                byte[] dst, int dstOff);

    /**
     * Hands {@code sink} each byte stream this codec would give the entropy stage for the block, in
     * order: what a zstd dictionary for this codec must be trained on. The arrays are scratch, valid only
     * during the call.
     */
    void forEachStream(BlockShape shape, byte[] src, int srcOff, CodecContext ctx, StreamSink sink);

    /** Receives the streams of {@link #forEachStream}. */
    @FunctionalInterface
    interface StreamSink {
        void accept(byte[] bytes, int off, int len);
    }

    /**
     * The kind of dictionary this codec takes, null for none (the stored codec). {@code encode} and
     * {@code decode} only ever get a dictionary of this type, or null.
     */
    default Class<? extends BlockDictionary> dictionaryType() { return ZstdDictionary.class; }

    /** Whether {@code dict} is one this codec takes. */
    default boolean takes(BlockDictionary dict) {
        return dict != null && dictionaryType() != null && dictionaryType().isInstance(dict);
    }

    /**
     * Largest payload any codec writes for a shape: every plane stored, plus section headers, plus
     * {@link #CODEC_HEADER_BYTES} of a codec's own fields (such as a count that is zero).
     */
    static int maxPayload(BlockShape shape) {
        return shape.rawBytes() + shape.dtype().bytes() * ZstdStage.SECTION_HEADER + CODEC_HEADER_BYTES;
    }

    /** Room a codec may take beyond its sections when its transform saves nothing. */
    int CODEC_HEADER_BYTES = 8;
}
