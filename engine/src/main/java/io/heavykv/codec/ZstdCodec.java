package io.heavykv.codec;

/** zstd over the raw interleaved bytes: the baseline that shows what the plane transforms add. */
final class ZstdCodec implements BlockCodec {
    @Override public CodecId id() { return CodecId.ZSTD; }

    @Override
    public void forEachStream(BlockShape shape, byte[] src, int srcOff, CodecContext ctx, StreamSink sink) {
        sink.accept(src, srcOff, shape.rawBytes());
    }

    @Override
    public int encode(BlockShape shape, byte[] src, int srcOff, BlockDictionary dict, CodecContext ctx, byte[] dst, int dstOff) {
        return ctx.zstd().writeSection(src, srcOff, shape.rawBytes(), (ZstdDictionary) dict, dst, dstOff);
    }

    @Override
    public void decode(BlockShape shape, byte[] payload, int off, int len, BlockDictionary dict, CodecContext ctx,
                       byte[] dst, int dstOff) {
        int end = ctx.zstd().readSection(payload, off, off + len, (ZstdDictionary) dict, dst, dstOff, shape.rawBytes());
        PlaneCodec.requireConsumed(end, off + len);
    }
}
