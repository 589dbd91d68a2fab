package io.heavykv.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;

/**
 * The entropy stage: codes one byte stream as a <em>section</em> = a 4-byte little-endian header
 * (bit 31 set: zstd, clear: stored; low 31 bits: byte count) followed by the bytes. A stream is stored
 * whenever zstd would not make it smaller, so near-random mantissa planes cost only the header.
 * zstd runs magicless without checksum, content size or dictionary id: the frame header and its
 * CRC32C already carry that information, and on 16 KiB blocks those bytes matter.
 */
final class ZstdStage implements AutoCloseable {
    static final int SECTION_HEADER = 4;
    private static final int ZSTD_FLAG = 1 << 31;

    private final int level;
    private final ZstdCompressCtx plain = configure(new ZstdCompressCtx());
    private final ZstdDecompressCtx plainReader = new ZstdDecompressCtx().setMagicless(true);
    private ZstdCompressCtx withDict;
    private ZstdDictionary compressDict;
    private ZstdDecompressCtx withDictReader;
    private ZstdDictionary decompressDict;
    private byte[] scratch = new byte[0];

    ZstdStage(int level) {
        if (level < Zstd.minCompressionLevel() || level > Zstd.maxCompressionLevel()) {
            throw new IllegalArgumentException("zstd level " + level + " outside ["
                    + Zstd.minCompressionLevel() + ", " + Zstd.maxCompressionLevel() + "]");
        }
        this.level = level;
        plain.setLevel(level);
    }

    int level() { return level; }

    /** Writes {@code src[off, off+len)} as a section at {@code dstOff}; returns the bytes written. */
    int writeSection(byte[] src, int off, int len, ZstdDictionary dict, byte[] dst, int dstOff) {
        int bound = (int) Zstd.compressBound(len);
        if (scratch.length < bound) scratch = new byte[bound];
        int packed = compressor(dict).compressByteArray(scratch, 0, bound, src, off, len);
        if (packed < len) {
            LittleEndian.putInt(dst, dstOff, ZSTD_FLAG | packed);
            System.arraycopy(scratch, 0, dst, dstOff + SECTION_HEADER, packed);
            return SECTION_HEADER + packed;
        }
        LittleEndian.putInt(dst, dstOff, len);
        System.arraycopy(src, off, dst, dstOff + SECTION_HEADER, len);
        return SECTION_HEADER + len;
    }

    /**
     * Reads the section at {@code pos} (which must end by {@code end}) into exactly {@code expected} bytes
     * at {@code dst[dstOff]}; returns the position after the section.
     */
    int readSection(byte[] frame, int pos, int end, ZstdDictionary dict, byte[] dst, int dstOff, int expected) {
        if (end - pos < SECTION_HEADER) {
            throw new CorruptFrameException("truncated: section header at offset " + pos + " needs "
                    + SECTION_HEADER + " bytes, " + (end - pos) + " left");
        }
        int header = LittleEndian.getInt(frame, pos);
        int len = header & ~ZSTD_FLAG;
        int body = pos + SECTION_HEADER;
        if (len > end - body) {
            throw new CorruptFrameException("truncated: section at offset " + pos + " claims " + len
                    + " bytes, " + (end - body) + " left");
        }
        if ((header & ZSTD_FLAG) == 0) {
            if (len != expected) {
                throw new CorruptFrameException("length mismatch: stored section at offset " + pos + " has "
                        + len + " bytes, expected " + expected);
            }
            System.arraycopy(frame, body, dst, dstOff, len);
            return body + len;
        }
        int got;
        try {
            got = decompressor(dict).decompressByteArray(dst, dstOff, expected, frame, body, len);
        } catch (ZstdException e) {
            throw new CorruptFrameException("zstd section at offset " + pos + " does not decode: " + e.getMessage(), e);
        }
        if (got != expected) {
            throw new CorruptFrameException("length mismatch: zstd section at offset " + pos + " decoded to "
                    + got + " bytes, expected " + expected);
        }
        return body + len;
    }

    private ZstdCompressCtx compressor(ZstdDictionary dict) {
        if (dict == null) return plain;
        if (withDict == null) withDict = configure(new ZstdCompressCtx()).setLevel(level);
        if (compressDict != dict) {
            withDict.loadDict(dict.forCompression(level));
            compressDict = dict;
        }
        return withDict;
    }

    private ZstdDecompressCtx decompressor(ZstdDictionary dict) {
        if (dict == null) return plainReader;
        if (withDictReader == null) withDictReader = new ZstdDecompressCtx().setMagicless(true);
        if (decompressDict != dict) {
            withDictReader.loadDict(dict.forDecompression());
            decompressDict = dict;
        }
        return withDictReader;
    }

    private static ZstdCompressCtx configure(ZstdCompressCtx ctx) {
        return ctx.setMagicless(true).setChecksum(false).setContentSize(false).setDictID(false);
    }

    @Override
    public void close() {
        plain.close();
        plainReader.close();
        if (withDict != null) withDict.close();
        if (withDictReader != null) withDictReader.close();
    }
}
