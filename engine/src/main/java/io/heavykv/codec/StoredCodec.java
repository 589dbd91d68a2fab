package io.heavykv.codec;

/** The raw bytes themselves: the floor every other codec must beat, and the cheapest to restore. */
final class StoredCodec implements BlockCodec {
    @Override public CodecId id() { return CodecId.STORED; }

    @Override public Class<? extends BlockDictionary> dictionaryType() { return null; }

    @Override
    public void forEachStream(BlockShape shape, byte[] src, int srcOff, CodecContext ctx, StreamSink sink) {}

    @Override
    public int encode(BlockShape shape, byte[] src, int srcOff, BlockDictionary dict, CodecContext ctx, byte[] dst, int dstOff) {
        System.arraycopy(src, srcOff, dst, dstOff, shape.rawBytes());
        return shape.rawBytes();
    }

    @Override
    public void decode(BlockShape shape, byte[] payload, int off, int len, BlockDictionary dict, CodecContext ctx,
                       byte[] dst, int dstOff) {
        if (len != shape.rawBytes()) {
            throw new CorruptFrameException("length mismatch: stored payload has " + len + " bytes, shape needs " + shape.rawBytes());
        }
        System.arraycopy(payload, off, dst, dstOff, len);
    }
}
