package io.heavykv.codec;

import java.util.Arrays;

/**
 * Exact duplicate rows out, then byte planes. A token whose every channel equals an earlier token's in the
 * block is replaced by a back-reference: in the first layer V (and unrotated K) are a pure function of the
 * token id, so every repeated token repeats its row bit for bit. The remaining rows are split into
 * token-major byte planes, each a zstd-or-stored section (on real FP16 KV the token-major high plane
 * codes smaller than the channel-major or XOR-predicted one).
 *
 * <p>Payload: varint duplicate count {@code d}; {@code d} pairs of varints (gap to the previous duplicate's
 * token, minus one; distance back to the referenced token, minus one), in token order; then one section
 * per plane over the {@code tokens - d} kept rows. Rows narrower than {@link #MIN_ROW_BYTES} are never
 * deduplicated, so a reference never costs more than the row it replaces and the payload stays within
 * {@link BlockCodec#maxPayload}.
 */
final class DedupPlaneCodec implements BlockCodec {
    static final int MIN_ROW_BYTES = 8;

    @Override public CodecId id() { return CodecId.DEDUP_PLANES; }

    @Override
    public void forEachStream(BlockShape shape, byte[] src, int srcOff, CodecContext ctx, StreamSink sink) {
        int kept = shape.tokens() - findDuplicates(shape, src, srcOff, ctx);
        byte[] planes = toPlanes(shape, src, srcOff, kept, ctx);
        int n = kept * shape.channels();
        for (int p = 0; p < shape.dtype().bytes(); p++) sink.accept(planes, p * n, n);
    }

    @Override
    public int encode(BlockShape shape, byte[] src, int srcOff, BlockDictionary dict, CodecContext ctx, byte[] dst, int dstOff) {
        int duplicates = findDuplicates(shape, src, srcOff, ctx);
        int[] ref = ctx.rowRefs(shape.tokens());
        int pos = Varint.put(dst, dstOff, duplicates);
        for (int t = 0, last = -1; t < shape.tokens(); t++) {
            if (ref[t] != t) {
                pos = Varint.put(dst, pos, t - last - 1);
                pos = Varint.put(dst, pos, t - ref[t] - 1);
                last = t;
            }
        }
        int kept = shape.tokens() - duplicates;
        byte[] planes = toPlanes(shape, src, srcOff, kept, ctx);
        int n = kept * shape.channels();
        for (int p = 0; p < shape.dtype().bytes(); p++) {
            pos += ctx.zstd().writeSection(planes, p * n, n, (ZstdDictionary) dict, dst, pos);
        }
        return pos - dstOff;
    }

    /**
     * Fills the context's row references ({@code ref[t] == t}: kept, else the first earlier token with the
     * same row) and returns how many rows are duplicates.
     */
    private static int findDuplicates(BlockShape shape, byte[] src, int srcOff, CodecContext ctx) {
        int tokens = shape.tokens();
        int rowBytes = shape.channels() * shape.dtype().bytes();
        int[] ref = ctx.rowRefs(tokens);
        if (rowBytes < MIN_ROW_BYTES || tokens < 2) {
            for (int t = 0; t < tokens; t++) ref[t] = t;
            return 0;
        }
        int mask = rowTableMask(tokens);
        int[] table = emptyRowTable(ctx, mask);
        int duplicates = 0;
        for (int t = 0; t < tokens; t++) {
            int earlier = earlierEqualRow(src, srcOff, rowBytes, t, hash(src, srcOff + t * rowBytes, rowBytes), table, mask);
            ref[t] = earlier < 0 ? t : earlier;
            if (earlier >= 0) duplicates++;
        }
        return duplicates;
    }

    /** Mask (length minus one) of the open-addressing table {@link #earlierEqualRow} uses for {@code tokens} rows. */
    static int rowTableMask(int tokens) { return Integer.highestOneBit(2 * tokens - 1) * 2 - 1; }

    /** The context's row table, emptied up to {@code mask}. */
    static int[] emptyRowTable(CodecContext ctx, int mask) {
        int[] table = ctx.rowTable(mask + 1);
        Arrays.fill(table, 0, mask + 1, -1);
        return table;
    }

    /**
     * The first earlier row of the block equal to row {@code t} (whose {@link #hash} is {@code hash}), found
     * through {@code table}; or -1, after entering row {@code t} in the table as the first of its content.
     */
    static int earlierEqualRow(byte[] src, int srcOff, int rowBytes, int t, int hash, int[] table, int mask) {
        int off = srcOff + t * rowBytes;
        int slot = hash & mask;
        for (; table[slot] >= 0; slot = (slot + 1) & mask) {
            int other = srcOff + table[slot] * rowBytes;
            if (Arrays.equals(src, off, off + rowBytes, src, other, other + rowBytes)) return table[slot];
        }
        table[slot] = t;
        return -1;
    }

    static int hash(byte[] a, int off, int len) {
        int h = len;
        int i = 0;
        for (; i + 4 <= len; i += 4) h = h * 0x9E3779B1 + LittleEndian.getInt(a, off + i);
        for (; i < len; i++) h = h * 31 + a[off + i];
        return h ^ (h >>> 15);
    }

    /**
     * Plane split of the kept rows, token-major, straight from the little-endian bytes: plane {@code p}
     * takes byte {@code width-1-p} of every value (plane 0 is the high byte, as in {@link BytePlanes}).
     */
    private static byte[] toPlanes(BlockShape shape, byte[] src, int srcOff, int kept, CodecContext ctx) {
        int channels = shape.channels();
        int width = shape.dtype().bytes();
        int rowBytes = channels * width;
        int n = kept * channels;
        int[] ref = ctx.rowRefs(shape.tokens());
        byte[] planes = ctx.planes(n * width);
        for (int t = 0, r = 0; t < shape.tokens(); t++) {
            if (ref[t] != t) continue;
            int row = srcOff + t * rowBytes;
            for (int p = 0; p < width; p++) {
                int out = p * n + r * channels;
                int in = row + width - 1 - p;
                for (int i = 0; i < channels; i++) planes[out + i] = src[in + i * width];
            }
            r++;
        }
        return planes;
    }

    @Override
    public void decode(BlockShape shape, byte[] payload, int off, int len, BlockDictionary dict, CodecContext ctx,
                       byte[] dst, int dstOff) {
        int tokens = shape.tokens();
        int channels = shape.channels();
        int width = shape.dtype().bytes();
        int rowBytes = channels * width;
        int end = off + len;
        int[] ref = ctx.rowRefs(tokens);
        long duplicates = Varint.get(payload, off, end, "duplicate count");
        int pos = Varint.next(payload, off);
        if (duplicates > tokens - 1 || duplicates > 0 && rowBytes < MIN_ROW_BYTES) {
            throw new CorruptFrameException("duplicate count " + duplicates + " impossible for " + tokens + " rows of " + rowBytes + " bytes");
        }
        for (int t = 0; t < tokens; t++) ref[t] = t;
        for (int i = 0, last = -1; i < duplicates; i++) {
            long gap = Varint.get(payload, pos, end, "duplicate gap");
            pos = Varint.next(payload, pos);
            long distance = Varint.get(payload, pos, end, "duplicate distance");
            pos = Varint.next(payload, pos);
            long t = last + 1 + gap;
            long r = t - 1 - distance;
            if (t >= tokens || r < 0) {
                throw new CorruptFrameException("duplicate " + i + " at offset " + pos + ": row " + t + " referring to row "
                        + r + " outside a block of " + tokens + " rows");
            }
            ref[(int) t] = (int) r;
            last = (int) t;
        }
        int kept = tokens - (int) duplicates;
        int n = kept * channels;
        byte[] planes = ctx.planes(n * width);
        for (int p = 0; p < width; p++) pos = ctx.zstd().readSection(payload, pos, end, (ZstdDictionary) dict, planes, p * n, n);
        PlaneCodec.requireConsumed(pos, end);
        for (int t = 0, r = 0; t < tokens; t++) {
            int at = dstOff + t * rowBytes;
            if (ref[t] != t) {
                System.arraycopy(dst, dstOff + ref[t] * rowBytes, dst, at, rowBytes);
                continue;
            }
            for (int p = 0; p < width; p++) {
                int in = p * n + r * channels;
                int out = at + width - 1 - p;
                for (int i = 0; i < channels; i++) dst[out + i * width] = planes[in + i];
            }
            r++;
        }
    }
}
