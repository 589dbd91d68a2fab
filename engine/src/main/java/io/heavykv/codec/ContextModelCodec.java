package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;

/**
 * Context modelling with a {@link ContextModel} trained on earlier blocks of the stream: rows the model or
 * the block already holds become references, the other rows are split into fields coded by rANS with the
 * model's per-channel frequencies, and their low mantissa bytes are stored. Without a model (or for a block
 * the model does not fit) it codes with uniform frequencies and in-block references only, which rarely
 * beats the plane codecs. FP32 blocks are always stored: the model is FP16's.
 *
 * <p>Payload: a mode byte. Mode {@value #STORED}: the raw block. Mode {@value #CODED}: varint reference
 * count {@code d}; {@code d} pairs of varints (gap to the previous reference's token, minus one; source:
 * a model row below the model's row count, else that count plus an earlier token of the block); varint
 * length of the rANS stream, 0 when every row is a reference; the rANS stream (see {@link Rans}: the final
 * states of its lanes, then the words that code, row by row and value by value, the sign-and-exponent
 * symbol and the top mantissa bits of each value); the low bytes of those values, which run to the end of
 * the payload. The coder picks the stored mode whenever coding would not be smaller, so a payload never exceeds
 * the raw block plus one byte.
 */
final class ContextModelCodec implements BlockCodec {
    static final int STORED = 0;
    static final int CODED = 1;

    @Override public CodecId id() { return CodecId.CONTEXT_MODEL; }

    @Override public Class<? extends BlockDictionary> dictionaryType() { return ContextModel.class; }

    /** It gives zstd nothing to train on. */
    @Override
    public void forEachStream(BlockShape shape, byte[] src, int srcOff, CodecContext ctx, StreamSink sink) {}

    @Override
    public int encode(BlockShape shape, byte[] src, int srcOff, BlockDictionary dict, CodecContext ctx, byte[] dst, int dstOff) {
        int raw = shape.rawBytes();
        if (shape.dtype() == KvDType.FP16) {
            int coded = encodeFields(shape, src, srcOff, model(shape, dict, ctx), ctx);
            if (coded < raw + 1) {
                System.arraycopy(ctx.scratch(0), 0, dst, dstOff, coded);
                return coded;
            }
        }
        dst[dstOff] = STORED;
        System.arraycopy(src, srcOff, dst, dstOff + 1, raw);
        return raw + 1;
    }

    /** The model to code {@code shape} with: the frame's when it fits the shape, else the uniform one. */
    private static ContextModel model(BlockShape shape, BlockDictionary dict, CodecContext ctx) {
        return dict instanceof ContextModel m && m.channels() == shape.channels() ? m : ctx.uniformModel(shape.channels());
    }

    /** Codes the block into the context's scratch buffer (from 0); returns the length. */
    private static int encodeFields(BlockShape shape, byte[] src, int srcOff, ContextModel model, CodecContext ctx) {
        int tokens = shape.tokens();
        int channels = shape.channels();
        int rowBytes = 2 * channels;
        int[] ref = findReferences(shape, src, srcOff, model, ctx);
        int references = 0;
        for (int t = 0; t < tokens; t++) if (ref[t] >= 0) references++;
        int kept = tokens - references;
        int headerRoom = 16 + 10 * tokens;
        // A word per value at most, and one written below the stream's start that does not go out.
        int ransRoom = Rans.WORD_BYTES * (kept * channels + 1) + Rans.FLUSH_BYTES;
        byte[] out = ctx.scratch(headerRoom + ransRoom + kept * channels);
        int lowAt = headerRoom + ransRoom;

        Rans.Encoder rans = ctx.ransEncoder();
        rans.reset(out, lowAt);
        for (int t = tokens - 1; t >= 0; t--) {
            if (ref[t] < 0) rans.encodeRow(model, src, srcOff + t * rowBytes, channels);
        }
        // A block of references only has no rANS stream: its lanes' states would be all it held.
        int ransAt = kept == 0 ? lowAt : rans.finish();
        int ransLength = lowAt - ransAt;

        int pos = 0;
        out[pos++] = CODED;
        pos = Varint.put(out, pos, references);
        for (int t = 0, last = -1; t < tokens; t++) {
            if (ref[t] >= 0) {
                pos = Varint.put(out, pos, t - last - 1);
                pos = Varint.put(out, pos, ref[t]);
                last = t;
            }
        }
        pos = Varint.put(out, pos, ransLength);
        System.arraycopy(out, ransAt, out, pos, ransLength);
        pos += ransLength;
        for (int t = 0; t < tokens; t++) {
            if (ref[t] >= 0) continue;
            int row = srcOff + t * rowBytes;
            for (int c = 0; c < channels; c++) out[pos++] = src[row + 2 * c];
        }
        return pos;
    }

    /**
     * Per token, the source a row can be copied from ({@code -1}: none): a model row, else the model's row
     * count plus the first earlier token of the block with the same row. Rows narrower than
     * {@link DedupPlaneCodec#MIN_ROW_BYTES} are never referenced: the reference would cost about as much.
     */
    private static int[] findReferences(BlockShape shape, byte[] src, int srcOff, ContextModel model, CodecContext ctx) {
        int tokens = shape.tokens();
        int rowBytes = 2 * shape.channels();
        int[] ref = ctx.rowRefs(tokens);
        if (rowBytes < DedupPlaneCodec.MIN_ROW_BYTES) {
            java.util.Arrays.fill(ref, 0, tokens, -1);
            return ref;
        }
        int mask = DedupPlaneCodec.rowTableMask(tokens);
        int[] table = DedupPlaneCodec.emptyRowTable(ctx, mask);
        for (int t = 0; t < tokens; t++) {
            int off = srcOff + t * rowBytes;
            int hash = model.hashRow(src, off);
            ref[t] = model.findRow(src, off, hash);
            if (ref[t] >= 0) continue;
            int earlier = DedupPlaneCodec.earlierEqualRow(src, srcOff, rowBytes, t, hash, table, mask);
            ref[t] = earlier < 0 ? -1 : model.rows() + earlier;
        }
        return ref;
    }

    @Override
    public void decode(BlockShape shape, byte[] payload, int off, int len, BlockDictionary dict, CodecContext ctx,
                       byte[] dst, int dstOff) {
        int raw = shape.rawBytes();
        if (len < 1) throw new CorruptFrameException("truncated: empty context-model payload");
        int mode = payload[off];
        if (mode == STORED) {
            if (len != raw + 1) {
                throw new CorruptFrameException("length mismatch: stored context-model payload has " + (len - 1) + " bytes, shape needs " + raw);
            }
            System.arraycopy(payload, off + 1, dst, dstOff, raw);
            return;
        }
        if (mode != CODED) throw new CorruptFrameException("unknown context-model mode " + mode + " at offset " + off);
        if (shape.dtype() != KvDType.FP16) throw new CorruptFrameException("context-model coded mode on a " + shape.dtype() + " block");
        decodeFields(shape, payload, off + 1, off + len, model(shape, dict, ctx), ctx, dst, dstOff);
    }

    private static void decodeFields(BlockShape shape, byte[] payload, int pos, int end, ContextModel model, CodecContext ctx,
                                     byte[] dst, int dstOff) {
        int tokens = shape.tokens();
        int channels = shape.channels();
        int rowBytes = 2 * channels;
        int[] ref = ctx.rowRefs(tokens);
        java.util.Arrays.fill(ref, 0, tokens, -1);
        long references = Varint.get(payload, pos, end, "reference count");
        pos = Varint.next(payload, pos);
        if (references > tokens || references > 0 && rowBytes < DedupPlaneCodec.MIN_ROW_BYTES) {
            throw new CorruptFrameException("reference count " + references + " impossible for " + tokens + " rows of " + rowBytes + " bytes");
        }
        for (int i = 0, last = -1; i < references; i++) {
            long gap = Varint.get(payload, pos, end, "reference gap");
            pos = Varint.next(payload, pos);
            long source = Varint.get(payload, pos, end, "reference source");
            pos = Varint.next(payload, pos);
            long t = last + 1 + gap;
            if (t >= tokens || source >= model.rows() + t) {
                throw new CorruptFrameException("reference " + i + " at offset " + pos + ": row " + t + " copying source " + source
                        + ", the model has " + model.rows() + " rows and the block " + tokens);
            }
            ref[(int) t] = (int) source;
            last = (int) t;
        }
        long ransLength = Varint.get(payload, pos, end, "rANS length");
        pos = Varint.next(payload, pos);
        int kept = tokens - (int) references;
        if (ransLength > end - pos || end - pos - ransLength != (long) kept * channels) {
            throw new CorruptFrameException("length mismatch: rANS stream of " + ransLength + " bytes and " + kept * channels
                    + " low bytes need " + (ransLength + (long) kept * channels) + " bytes at offset " + pos + ", " + (end - pos) + " left");
        }
        if (kept == 0 && ransLength != 0) throw new CorruptFrameException("a block of references only has a rANS stream of " + ransLength + " bytes");
        int low = pos + (int) ransLength;
        Rans.Decoder rans = ctx.ransDecoder();
        if (kept > 0) rans.reset(payload, pos, low);
        for (int t = 0; t < tokens; t++) {
            int row = dstOff + t * rowBytes;
            int source = ref[t];
            if (source >= 0) {
                if (source < model.rows()) model.copyRow(source, dst, row);
                else System.arraycopy(dst, dstOff + (source - model.rows()) * rowBytes, dst, row, rowBytes);
                continue;
            }
            rans.decodeRow(model, payload, low, dst, row, channels);
            if (rans.overrun()) throw new CorruptFrameException("truncated: rANS stream runs past offset " + (pos + ransLength) + " in row " + t);
            low += channels;
        }
        if (kept > 0) rans.finish();
    }
}
