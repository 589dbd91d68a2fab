package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bit patterns float arithmetic would disturb survive every codec. */
class SpecialValuesTest {
    private static final short[] HALF = {0x0000, (short) 0x8000, 0x0001, (short) 0x8001, 0x03FF, 0x7C00, (short) 0xFC00,
            0x7E00, 0x7C01, (short) 0xFE01, 0x7FFF, (short) 0xFFFF, 0x3C00, (short) 0xBC00, 0x7BFF};
    private static final int[] SINGLE = {0, 0x80000000, 1, 0x80000001, 0x7F800000, 0xFF800000, 0x7FC00000, 0x7F800001,
            0xFFBFFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 0x3F800000, 0x007FFFFF};

    @Test
    void halfPrecisionNaNPayloadsSignedZerosSubnormalsAndInfinities() {
        BlockShape shape = new BlockShape(KvDType.FP16, 3, HALF.length);
        byte[] raw = new byte[shape.rawBytes()];
        for (int t = 0; t < 3; t++) {
            for (int c = 0; c < HALF.length; c++) LittleEndian.putShort(raw, 2 * (t * HALF.length + c), HALF[(c + t) % HALF.length]);
        }
        assertEveryCodecRestores(shape, raw);
    }

    @Test
    void singlePrecisionNaNPayloadsSignedZerosSubnormalsAndInfinities() {
        BlockShape shape = new BlockShape(KvDType.FP32, 2, SINGLE.length);
        byte[] raw = new byte[shape.rawBytes()];
        for (int t = 0; t < 2; t++) {
            for (int c = 0; c < SINGLE.length; c++) LittleEndian.putInt(raw, 4 * (t * SINGLE.length + c), SINGLE[(c + 5 * t) % SINGLE.length]);
        }
        assertEveryCodecRestores(shape, raw);
    }

    @Test
    void deltaCodesASmallStepAcrossZeroAsASmallResidual() {
        // -0 -> +0 and the smallest negative -> smallest positive subnormal are 1 and 3 apart in numeric order.
        int[] v = {0x8000, 0x8001, 0x0000, 0x0001};
        Predictor.DELTA.encode(v, 4, 2, 16);
        assertThat(v[2]).isEqualTo(2);
        assertThat(v[3]).isEqualTo(6);
    }

    private static void assertEveryCodecRestores(BlockShape shape, byte[] raw) {
        try (CodecContext ctx = new CodecContext()) {
            FrameWriter writer = new FrameWriter(ctx);
            FrameReader reader = new FrameReader(ctx);
            for (CodecId codec : CodecId.all()) {
                assertThat(reader.decode(writer.encode(shape, raw, 0, codec, null))).as(codec.toString()).isEqualTo(raw);
            }
        }
    }
}
