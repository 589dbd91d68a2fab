package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DedupPlaneCodecTest {
    private final CodecContext ctx = new CodecContext();
    private final FrameWriter writer = new FrameWriter(ctx);
    private final FrameReader reader = new FrameReader(ctx);

    @AfterEach
    void close() { ctx.close(); }

    /** 64 tokens drawn from 4 distinct random rows: what repeated tokens give in the first layer's V. */
    private static byte[] fourDistinctRows(BlockShape shape) {
        SplittableRandom r = new SplittableRandom(5);
        int rowBytes = shape.rawBytes() / shape.tokens();
        byte[] distinct = new byte[4 * rowBytes];
        r.nextBytes(distinct);
        byte[] block = new byte[shape.rawBytes()];
        for (int t = 0; t < shape.tokens(); t++) System.arraycopy(distinct, r.nextInt(4) * rowBytes, block, t * rowBytes, rowBytes);
        return block;
    }

    @Test
    void repeatedRowsCostAReferenceInsteadOfTheirBytes() {
        BlockShape shape = new BlockShape(KvDType.FP16, 64, 32);
        byte[] block = fourDistinctRows(shape);
        byte[] frame = writer.encode(shape, block, 0, CodecId.DEDUP_PLANES, null);
        assertThat(reader.decode(frame)).isEqualTo(block);
        // 4 random rows of 64 bytes, 60 references of 2 bytes, count, sections and header.
        assertThat(frame.length).isLessThanOrEqualTo(FrameHeader.BYTES + 4 * 64 + 60 * 2 + 1 + 2 * ZstdStage.SECTION_HEADER);
        // zstd finds the repeats in plain planes too, as matches that cost more than a reference.
        assertThat(frame.length).isLessThan(writer.encode(shape, block, 0, CodecId.PLANES, null).length);
    }

    @Test
    void rowsWithoutRepeatsCostOneByteMoreThanTokenMajorPlanes() {
        BlockShape shape = new BlockShape(KvDType.FP16, 32, 16);
        byte[] block = FrameTestSupport.smoothBlock(shape, 9);
        int planes = writer.encode(shape, block, 0, CodecId.PLANES, null).length;
        byte[] frame = writer.encode(shape, block, 0, CodecId.DEDUP_PLANES, null);
        assertThat(frame.length).isEqualTo(planes + 1);
        assertThat(reader.decode(frame)).isEqualTo(block);
    }

    @Test
    void narrowRowsAreNeverReferenced() {
        BlockShape shape = new BlockShape(KvDType.FP16, 8, 2);
        byte[] block = new byte[shape.rawBytes()];
        byte[] frame = writer.encode(shape, block, 0, CodecId.DEDUP_PLANES, null);
        assertThat(frame[FrameHeader.BYTES]).as("duplicate count").isZero();
        assertThat(reader.decode(frame)).isEqualTo(block);
    }

    @Test
    void rejectsMoreDuplicatesThanRows() {
        BlockShape shape = new BlockShape(KvDType.FP16, 8, 32);
        byte[] frame = writer.encode(shape, fourDistinctRows(shape), 0, CodecId.DEDUP_PLANES, null);
        frame[FrameHeader.BYTES] = 8;
        assertThatThrownBy(() -> reader.decode(frame)).isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("duplicate count 8 impossible for 8 rows");
    }

    @Test
    void rejectsAReferenceBeforeTheFirstRow() {
        BlockShape shape = new BlockShape(KvDType.FP16, 8, 32);
        byte[] block = fourDistinctRows(shape);
        byte[] frame = writer.encode(shape, block, 0, CodecId.DEDUP_PLANES, null);
        assertThat(frame[FrameHeader.BYTES]).as("duplicate count").isPositive();
        frame[FrameHeader.BYTES + 2] = 100;
        assertThatThrownBy(() -> reader.decode(frame)).isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("outside a block of 8 rows");
    }

    @Test
    void rejectsATruncatedReferenceList() {
        BlockShape shape = new BlockShape(KvDType.FP16, 8, 32);
        byte[] frame = writer.encode(shape, fourDistinctRows(shape), 0, CodecId.DEDUP_PLANES, null);
        byte[] header = java.util.Arrays.copyOf(frame, FrameHeader.BYTES + 2);
        LittleEndian.putInt(header, 20, 2);
        header[FrameHeader.BYTES + 1] = (byte) 0x80;
        assertThatThrownBy(() -> reader.decode(header)).isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("runs past the payload");
    }
}
