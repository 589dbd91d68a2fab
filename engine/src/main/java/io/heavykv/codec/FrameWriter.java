package io.heavykv.codec;

import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Encodes raw KV blocks into frames ({@link FrameHeader} + codec payload), with a forced codec or the
 * smallest of several. Owns scratch space; one writer per thread.
 */
public final class FrameWriter {
    private final CodecContext ctx;
    private final CRC32C crc = new CRC32C();
    private byte[] best = new byte[0];
    private byte[] trial = new byte[0];
    private CodecId lastCodec;

    public FrameWriter(CodecContext ctx) { this.ctx = Objects.requireNonNull(ctx, "ctx"); }

    /** Room a destination needs for any frame of this shape. */
    public static int maxFrameLength(BlockShape shape) { return FrameHeader.BYTES + BlockCodec.maxPayload(shape); }

    /**
     * Encodes the block at {@code src[srcOff]} with {@code codec} (and {@code dict}, may be null, used only when
     * the codec takes that kind) into {@code dst[dstOff]}, which needs {@link #maxFrameLength} bytes of room;
     * returns the frame length.
     */
    public int write(BlockShape shape, byte[] src, int srcOff, CodecId codec, BlockDictionary dict, byte[] dst, int dstOff) {
        checkRange("source", src, srcOff, shape.rawBytes());
        checkRange("destination", dst, dstOff, maxFrameLength(shape));
        return writeChecked(shape, src, srcOff, codec, dict, checksum(src, srcOff, shape.rawBytes()), dst, dstOff);
    }

    /** Encodes with every candidate and writes the smallest frame (ties go to the earlier candidate). */
    public int writeSmallest(BlockShape shape, byte[] src, int srcOff, List<CodecId> candidates, ZstdDictionary dict,
                             byte[] dst, int dstOff) {
        return writeSmallest(shape, src, srcOff, candidates, dict, null, dst, dstOff);
    }

    /**
     * As {@link #writeSmallest(BlockShape, byte[], int, List, ZstdDictionary, byte[], int)}, each candidate
     * with the dictionary of its kind: {@code dict} for the zstd codecs, {@code model} for the context-model codec.
     */
    public int writeSmallest(BlockShape shape, byte[] src, int srcOff, List<CodecId> candidates, ZstdDictionary dict,
                             ContextModel model, byte[] dst, int dstOff) {
        if (candidates.isEmpty()) throw new IllegalArgumentException("no candidate codecs");
        checkRange("source", src, srcOff, shape.rawBytes());
        checkRange("destination", dst, dstOff, maxFrameLength(shape));
        int sum = checksum(src, srcOff, shape.rawBytes());
        int max = maxFrameLength(shape);
        if (best.length < max) {
            best = new byte[max];
            trial = new byte[max];
        }
        int bestLength = Integer.MAX_VALUE;
        CodecId bestCodec = null;
        for (CodecId codec : candidates) {
            int length = writeChecked(shape, src, srcOff, codec, BlockCodecs.dictionaryFor(codec, dict, model), sum, trial, 0);
            if (length < bestLength) {
                byte[] t = best;
                best = trial;
                trial = t;
                bestLength = length;
                bestCodec = codec;
            }
        }
        System.arraycopy(best, 0, dst, dstOff, bestLength);
        lastCodec = bestCodec;
        return bestLength;
    }

    /** Convenience for tests and tools: a fresh array holding exactly the frame. */
    public byte[] encode(BlockShape shape, byte[] src, int srcOff, CodecId codec, BlockDictionary dict) {
        byte[] out = new byte[maxFrameLength(shape)];
        return java.util.Arrays.copyOf(out, write(shape, src, srcOff, codec, dict, out, 0));
    }

    /** The codec of the last frame written. */
    public CodecId lastCodec() { return lastCodec; }

    public CodecContext context() { return ctx; }

    private int writeChecked(BlockShape shape, byte[] src, int srcOff, CodecId codec, BlockDictionary dict, int sum,
                             byte[] dst, int dstOff) {
        BlockCodec impl = BlockCodecs.of(codec);
        BlockDictionary used = impl.takes(dict) ? dict : null;
        int payload = impl.encode(shape, src, srcOff, used, ctx, dst, dstOff + FrameHeader.BYTES);
        new FrameHeader(codec, shape.dtype(), shape.tokens(), shape.channels(), shape.rawBytes(), payload, sum,
                used == null ? 0 : used.id()).write(dst, dstOff);
        lastCodec = codec;
        return FrameHeader.BYTES + payload;
    }

    private int checksum(byte[] src, int off, int len) {
        crc.reset();
        crc.update(src, off, len);
        return (int) crc.getValue();
    }

    static void checkRange(String what, byte[] a, int off, int len) {
        if (off < 0 || len < 0 || off > a.length - len) {
            throw new IllegalArgumentException(what + " range [" + off + ", " + off + "+" + len + ") outside an array of " + a.length);
        }
    }
}
