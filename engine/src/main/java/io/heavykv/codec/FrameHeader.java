package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;

/**
 * The fixed 32-byte header in front of every compressed block. All fields little-endian:
 * <pre>
 *  0  magic "HKVB"          16  raw length (bytes)
 *  4  version (1)           20  payload length (bytes after the header)
 *  5  codec id ({@link CodecId})  24  CRC32C of the raw bytes
 *  6  dtype (1 FP16, 2 FP32)     28  dictionary id (0: none)
 *  7  flags (0)
 *  8  tokens                12  channels
 * </pre>
 * The raw length is redundant with the shape on purpose: a flipped shape bit then shows as a mismatch
 * before anything is decoded.
 */
public record FrameHeader(CodecId codec, KvDType dtype, int tokens, int channels, int rawLength,
                          int payloadLength, int checksum, int dictionaryId) {
    public static final int BYTES = 32;
    public static final int VERSION = 1;
    private static final int MAGIC = 'H' | 'K' << 8 | 'V' << 16 | 'B' << 24;

    public BlockShape shape() { return new BlockShape(dtype, tokens, channels); }

    public int frameLength() { return BYTES + payloadLength; }

    void write(byte[] dst, int off) {
        LittleEndian.putInt(dst, off, MAGIC);
        dst[off + 4] = VERSION;
        dst[off + 5] = (byte) codec.id();
        dst[off + 6] = (byte) dtypeCode(dtype);
        dst[off + 7] = 0;
        LittleEndian.putInt(dst, off + 8, tokens);
        LittleEndian.putInt(dst, off + 12, channels);
        LittleEndian.putInt(dst, off + 16, rawLength);
        LittleEndian.putInt(dst, off + 20, payloadLength);
        LittleEndian.putInt(dst, off + 24, checksum);
        LittleEndian.putInt(dst, off + 28, dictionaryId);
    }

    /**
     * Reads and validates the header of the frame {@code frame[off, off+len)}: every field against its
     * limits, the lengths against each other and against {@code len}.
     *
     * @throws CorruptFrameException naming the first field that is wrong
     */
    public static FrameHeader parse(byte[] frame, int off, int len) {
        if (len < BYTES) throw new CorruptFrameException("truncated: " + len + " bytes, a frame header needs " + BYTES);
        int magic = LittleEndian.getInt(frame, off);
        if (magic != MAGIC) throw new CorruptFrameException(String.format("bad magic 0x%08x, expected 0x%08x", magic, MAGIC));
        int version = frame[off + 4] & 0xFF;
        if (version != VERSION) throw new CorruptFrameException("unsupported version " + version + ", expected " + VERSION);
        int codecId = frame[off + 5] & 0xFF;
        CodecId codec = CodecId.ofId(codecId);
        if (codec == null) throw new CorruptFrameException("unknown codec id " + codecId);
        int dtypeCode = frame[off + 6] & 0xFF;
        KvDType dtype = switch (dtypeCode) {
            case 1 -> KvDType.FP16;
            case 2 -> KvDType.FP32;
            default -> throw new CorruptFrameException("unknown dtype code " + dtypeCode + ", expected 1 (FP16) or 2 (FP32)");
        };
        int flags = frame[off + 7] & 0xFF;
        if (flags != 0) throw new CorruptFrameException("unknown flags 0x" + Integer.toHexString(flags));
        long tokens = Integer.toUnsignedLong(LittleEndian.getInt(frame, off + 8));
        long channels = Integer.toUnsignedLong(LittleEndian.getInt(frame, off + 12));
        String shapeProblem = BlockShape.problem(dtype, tokens, channels);
        if (shapeProblem != null) throw new CorruptFrameException("bad shape: " + shapeProblem);
        long raw = Integer.toUnsignedLong(LittleEndian.getInt(frame, off + 16));
        long expectedRaw = tokens * channels * dtype.bytes();
        if (raw != expectedRaw) {
            throw new CorruptFrameException("length mismatch: raw length " + raw + ", shape " + tokens + "x" + channels
                    + " " + dtype + " needs " + expectedRaw);
        }
        long payload = Integer.toUnsignedLong(LittleEndian.getInt(frame, off + 20));
        BlockShape shape = new BlockShape(dtype, (int) tokens, (int) channels);
        if (payload > BlockCodec.maxPayload(shape)) {
            throw new CorruptFrameException("payload length " + payload + " exceeds the bound " + BlockCodec.maxPayload(shape)
                    + " for raw length " + raw);
        }
        if (BYTES + payload != len) {
            throw new CorruptFrameException((BYTES + payload > len ? "truncated" : "length mismatch") + ": header says "
                    + (BYTES + payload) + " frame bytes, got " + len);
        }
        int dictionaryId = LittleEndian.getInt(frame, off + 28);
        if (dictionaryId != 0 && BlockCodecs.of(codec).dictionaryType() == null) {
            throw new CorruptFrameException("codec " + codec + " takes no dictionary, header names dictionary " + dictionaryId);
        }
        return new FrameHeader(codec, dtype, (int) tokens, (int) channels, (int) raw, (int) payload,
                LittleEndian.getInt(frame, off + 24), dictionaryId);
    }

    private static int dtypeCode(KvDType dtype) {
        return switch (dtype) {
            case FP16 -> 1;
            case FP32 -> 2;
        };
    }
}
