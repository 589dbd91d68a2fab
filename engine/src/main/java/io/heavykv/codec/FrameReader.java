package io.heavykv.codec;

import java.util.Objects;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;

/**
 * Decodes frames back into the exact raw bytes: validates the header, decodes with a bounded output size,
 * then checks the CRC32C of the result. Any problem with the frame's content is a
 * {@link CorruptFrameException}; the destination's content is unspecified after one. One reader per thread.
 */
public final class FrameReader {
    private final CodecContext ctx;
    private final IntFunction<? extends BlockDictionary> dictionaries;
    private final CRC32C crc = new CRC32C();

    /** A reader for frames written without dictionaries. */
    public FrameReader(CodecContext ctx) { this(ctx, id -> null); }

    /** @param dictionaries resolves a frame's dictionary id, null when unknown */
    public FrameReader(CodecContext ctx, IntFunction<? extends BlockDictionary> dictionaries) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.dictionaries = Objects.requireNonNull(dictionaries, "dictionaries");
    }

    /**
     * Decodes the frame {@code frame[off, off+len)} into {@code dst[dstOff]}.
     *
     * @return the frame's header (its shape tells how many bytes were written)
     * @throws CorruptFrameException when the frame is not exactly a frame this library wrote, or its raw
     *         bytes would not fit in {@code dst} after {@code dstOff}
     */
    public FrameHeader read(byte[] frame, int off, int len, byte[] dst, int dstOff) {
        FrameWriter.checkRange("frame", frame, off, len);
        if (dstOff < 0 || dstOff > dst.length) throw new IllegalArgumentException("destination offset " + dstOff + " outside an array of " + dst.length);
        FrameHeader header = FrameHeader.parse(frame, off, len);
        if (header.rawLength() > dst.length - dstOff) {
            throw new CorruptFrameException("raw length " + header.rawLength() + " exceeds the destination's "
                    + (dst.length - dstOff) + " bytes");
        }
        BlockDictionary dict = null;
        if (header.dictionaryId() != 0) {
            dict = dictionaries.apply(header.dictionaryId());
            if (dict == null) throw new CorruptFrameException("unknown dictionary id " + header.dictionaryId());
            if (!BlockCodecs.of(header.codec()).takes(dict)) {
                throw new CorruptFrameException("dictionary id " + header.dictionaryId() + " is a " + dict.getClass().getSimpleName()
                        + ", codec " + header.codec() + " takes a " + BlockCodecs.of(header.codec()).dictionaryType().getSimpleName());
            }
        }
        BlockCodecs.of(header.codec()).decode(header.shape(), frame, off + FrameHeader.BYTES, header.payloadLength(),
                dict, ctx, dst, dstOff);
        crc.reset();
        crc.update(dst, dstOff, header.rawLength());
        int actual = (int) crc.getValue();
        if (actual != header.checksum()) {
            throw new CorruptFrameException(String.format("checksum mismatch: header 0x%08x, decoded data 0x%08x",
                    header.checksum(), actual));
        }
        return header;
    }

    /** Convenience for tests and tools: decodes a whole array into a fresh one. */
    public byte[] decode(byte[] frame) {
        FrameHeader header = FrameHeader.parse(frame, 0, frame.length);
        byte[] out = new byte[header.rawLength()];
        read(frame, 0, frame.length, out, 0);
        return out;
    }
}
