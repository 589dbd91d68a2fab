package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameReaderTest {
    private final CodecContext ctx = new CodecContext();
    private final FrameWriter writer = new FrameWriter(ctx);
    private final FrameReader reader = new FrameReader(ctx);
    private final BlockShape shape = new BlockShape(KvDType.FP16, 8, 16);
    private final byte[] raw = FrameTestSupport.smoothBlock(shape, 1);

    @AfterEach
    void close() { ctx.close(); }

    private byte[] frame(CodecId codec) { return writer.encode(shape, raw, 0, codec, null); }

    @ParameterizedTest
    @EnumSource(CodecId.class)
    void everyCodecRestoresTheBlockAndRecordsItsShape(CodecId codec) {
        byte[] frame = frame(codec);
        byte[] out = new byte[raw.length];
        FrameHeader header = reader.read(frame, 0, frame.length, out, 0);
        assertThat(out).isEqualTo(raw);
        assertThat(header.codec()).isEqualTo(codec);
        assertThat(header.shape()).isEqualTo(shape);
        assertThat(header.frameLength()).isEqualTo(frame.length);
    }

    @Test
    void planeCodecsCompressStructuredData() {
        BlockShape big = new BlockShape(KvDType.FP16, 32, 64);
        byte[] block = FrameTestSupport.smoothBlock(big, 2);
        assertThat(writer.encode(big, block, 0, CodecId.PLANES_CM, null).length).isLessThan(block.length);
        assertThat(writer.encode(big, block, 0, CodecId.STORED, null).length).isEqualTo(block.length + FrameHeader.BYTES);
    }

    @Test
    void readsAFrameInTheMiddleOfAnArrayIntoTheMiddleOfAnother() {
        byte[] frame = frame(CodecId.DELTA_PLANES_CM);
        byte[] padded = new byte[frame.length + 10];
        System.arraycopy(frame, 0, padded, 7, frame.length);
        byte[] out = new byte[raw.length + 5];
        reader.read(padded, 7, frame.length, out, 5);
        assertThat(Arrays.copyOfRange(out, 5, out.length)).isEqualTo(raw);
    }

    @Test
    void rejectsBadMagic() { assertCorrupt(set(frame(CodecId.PLANES), 0, 'X'), "bad magic"); }

    @Test
    void rejectsUnknownVersion() { assertCorrupt(set(frame(CodecId.PLANES), 4, 9), "unsupported version 9"); }

    @Test
    void rejectsUnknownCodecId() { assertCorrupt(set(frame(CodecId.PLANES), 5, 200), "unknown codec id 200"); }

    @Test
    void rejectsUnknownDtype() { assertCorrupt(set(frame(CodecId.PLANES), 6, 3), "unknown dtype code 3"); }

    @Test
    void rejectsUnknownFlags() { assertCorrupt(set(frame(CodecId.PLANES), 7, 1), "unknown flags"); }

    @Test
    void rejectsZeroTokens() { assertCorrupt(setInt(frame(CodecId.PLANES), 8, 0), "bad shape: tokens 0"); }

    @Test
    void rejectsAbsurdChannels() { assertCorrupt(setInt(frame(CodecId.PLANES), 12, -1), "bad shape: channels 4294967295"); }

    @Test
    void rejectsRawLengthThatDisagreesWithTheShape() {
        assertCorrupt(setInt(frame(CodecId.PLANES), 16, raw.length + 2), "length mismatch: raw length");
    }

    @Test
    void rejectsPayloadLengthBeyondTheBound() {
        assertCorrupt(setInt(frame(CodecId.PLANES), 20, Integer.MAX_VALUE), "exceeds the bound");
    }

    @Test
    void rejectsTruncatedFrames() {
        byte[] frame = frame(CodecId.PLANES);
        assertCorrupt(Arrays.copyOf(frame, 10), "truncated: 10 bytes");
        assertCorrupt(Arrays.copyOf(frame, frame.length - 1), "truncated: header says");
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] frame = frame(CodecId.PLANES);
        assertCorrupt(Arrays.copyOf(frame, frame.length + 3), "length mismatch: header says");
    }

    @Test
    void rejectsAWrongChecksum() {
        byte[] frame = frame(CodecId.PLANES_CM);
        frame[24] ^= 1;
        assertCorrupt(frame, "checksum mismatch");
    }

    @Test
    void rejectsAFlippedStoredByteThroughTheChecksum() {
        byte[] frame = frame(CodecId.STORED);
        frame[FrameHeader.BYTES + 3] ^= 0x10;
        assertCorrupt(frame, "checksum mismatch");
    }

    @Test
    void rejectsAnInconsistentSectionLength() {
        byte[] frame = frame(CodecId.PLANES);
        int section = LittleEndian.getInt(frame, FrameHeader.BYTES);
        assertCorrupt(setInt(frame, FrameHeader.BYTES, section + 1), "section");
    }

    @Test
    void rejectsGarbageInAZstdSection() {
        byte[] frame = frame(CodecId.PLANES_CM);
        assertThat(LittleEndian.getInt(frame, FrameHeader.BYTES)).as("first plane is zstd-coded").isNegative();
        Arrays.fill(frame, FrameHeader.BYTES + 4, FrameHeader.BYTES + 12, (byte) 0xA5);
        assertThatThrownBy(() -> reader.decode(frame)).isInstanceOf(CorruptFrameException.class);
    }

    @Test
    void rejectsAFrameNamingAnUnknownDictionary() {
        byte[] frame = setInt(frame(CodecId.PLANES), 28, 77);
        assertCorrupt(frame, "unknown dictionary id 77");
    }

    @Test
    void rejectsADictionaryOnTheStoredCodec() {
        assertCorrupt(setInt(frame(CodecId.STORED), 28, 5), "takes no dictionary");
    }

    @Test
    void rejectsARawLengthLargerThanTheDestination() {
        byte[] frame = frame(CodecId.PLANES);
        assertThatThrownBy(() -> reader.read(frame, 0, frame.length, new byte[raw.length - 1], 0))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("exceeds the destination");
    }

    @Test
    void writeSmallestPicksTheSmallestCandidate() {
        byte[] dst = new byte[FrameWriter.maxFrameLength(shape)];
        int best = writer.writeSmallest(shape, raw, 0, CodecId.all(), null, dst, 0);
        for (CodecId codec : CodecId.all()) assertThat(best).isLessThanOrEqualTo(frame(codec).length);
        assertThat(reader.decode(Arrays.copyOf(dst, best))).isEqualTo(raw);
    }

    private void assertCorrupt(byte[] frame, String message) {
        assertThatThrownBy(() -> reader.read(frame, 0, frame.length, new byte[raw.length], 0))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining(message);
    }

    private static byte[] set(byte[] frame, int at, int value) {
        frame[at] = (byte) value;
        return frame;
    }

    private static byte[] setInt(byte[] frame, int at, int value) {
        LittleEndian.putInt(frame, at, value);
        return frame;
    }
}
