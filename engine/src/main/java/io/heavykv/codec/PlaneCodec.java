package io.heavykv.codec;

/**
 * Byte-plane predictive coding: bit patterns, then a {@link Predictor}, then byte planes in a
 * {@link PlaneLayout}, each plane a separate zstd-or-stored section (so each gets its own entropy tables).
 */
final class PlaneCodec implements BlockCodec {
    private final CodecId id;
    private final Predictor predictor;
    private final PlaneLayout layout;

    PlaneCodec(CodecId id, Predictor predictor, PlaneLayout layout) {
        this.id = id;
        this.predictor = predictor;
        this.layout = layout;
    }

    @Override public CodecId id() { return id; }

    @Override
    public void forEachStream(BlockShape shape, byte[] src, int srcOff, CodecContext ctx, StreamSink sink) {
        byte[] planes = toPlanes(shape, src, srcOff, ctx);
        int n = shape.values();
        for (int p = 0; p < shape.dtype().bytes(); p++) sink.accept(planes, p * n, n);
    }

    @Override
    public int encode(BlockShape shape, byte[] src, int srcOff, BlockDictionary dict, CodecContext ctx, byte[] dst, int dstOff) {
        byte[] planes = toPlanes(shape, src, srcOff, ctx);
        int n = shape.values();
        int pos = dstOff;
        for (int p = 0; p < shape.dtype().bytes(); p++) {
            pos += ctx.zstd().writeSection(planes, p * n, n, (ZstdDictionary) dict, dst, pos);
        }
        return pos - dstOff;
    }

    /** Bit patterns, prediction, plane split: the planes land in the context's plane buffer. */
    private byte[] toPlanes(BlockShape shape, byte[] src, int srcOff, CodecContext ctx) {
        int n = shape.values();
        int width = shape.dtype().bytes();
        int[] v = ctx.values(n);
        byte[] planes = ctx.planes(n * width);
        BytePlanes.readValues(src, srcOff, n, width, v);
        predictor.encode(v, n, shape.channels(), 8 * width);
        BytePlanes.split(v, shape.tokens(), shape.channels(), width, layout, planes);
        return planes;
    }

    @Override
    public void decode(BlockShape shape, byte[] payload, int off, int len, BlockDictionary dict, CodecContext ctx,
                       byte[] dst, int dstOff) {
        int n = shape.values();
        int width = shape.dtype().bytes();
        int[] v = ctx.values(n);
        byte[] planes = ctx.planes(n * width);
        int pos = off;
        int end = off + len;
        for (int p = 0; p < width; p++) {
            pos = ctx.zstd().readSection(payload, pos, end, (ZstdDictionary) dict, planes, p * n, n);
        }
        requireConsumed(pos, end);
        BytePlanes.merge(planes, shape.tokens(), shape.channels(), width, layout, v);
        predictor.decode(v, n, shape.channels(), 8 * width);
        BytePlanes.writeValues(v, n, width, dst, dstOff);
    }

    static void requireConsumed(int pos, int end) {
        if (pos != end) {
            throw new CorruptFrameException("length mismatch: " + (end - pos) + " bytes after the last section at offset " + pos);
        }
    }
}
