package io.heavykv.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Decodes GGML storage element by element, straight from the block layout definitions. */
final class ScalarReference {
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ScalarReference() {
    }

    static float[] decode(WeightMatrix m, TensorType type, int rows, int cols) {
        return decode(((MappedMatrix) m).segment, type, rows, cols);
    }

    static float[] decode(MemorySegment s, TensorType type, int rows, int cols) {
        float[] out = new float[rows * cols];
        for (int i = 0; i < out.length; i++) {
            long block = (long) (i / type.blockSize()) * type.bytesPerBlock();
            int j = i % type.blockSize();
            out[i] = switch (type) {
                case F32 -> s.getAtIndex(FLOAT, i);
                case F16 -> Float.float16ToFloat(s.getAtIndex(HALF, i));
                case BF16 -> Float.intBitsToFloat((s.getAtIndex(HALF, i) & 0xffff) << 16);
                case Q8_0 -> half(s, block) * s.get(ValueLayout.JAVA_BYTE, block + 2 + j);
                case Q4_0 -> half(s, block) * (nibble(s, block + 2, j) - 8);
                case Q4_1 -> nibble(s, block + 4, j) * half(s, block) + half(s, block + 2);
                case Q5_0 -> half(s, block) * ((nibble(s, block + 6, j) | fifthBit(s, block + 2, j)) - 16);
                case Q5_1 -> (nibble(s, block + 8, j) | fifthBit(s, block + 4, j)) * half(s, block) + half(s, block + 2);
                case Q4_K -> kQuant(s, block, j, false);
                case Q5_K -> kQuant(s, block, j, true);
                case Q6_K -> q6K(s, block, j);
            };
        }
        return out;
    }

    /**
     * An exact dot product, the sum of the magnitudes of its terms and of its offset terms m * s alone (for
     * error bounds).
     */
    record Dot(double value, double magnitude, double offsets) {
    }

    /**
     * Row {@code row}'s dot with vector {@code vector} of {@code a}, as llama.cpp's integer kernels define it
     * for the 32-element types, in double: per block d_w * d_a * sum(q_w * q_a), plus m * s_a for the affine types.
     */
    static Dot q8Dot(MemorySegment s, TensorType type, int row, int cols, ReferenceActivations a, int vector) {
        boolean affine = type == TensorType.Q4_1 || type == TensorType.Q5_1;
        double value = 0;
        double magnitude = 0;
        double offsets = 0;
        for (int blk = 0; blk < cols / 32; blk++) {
            long block = ((long) row * cols / 32 + blk) * type.bytesPerBlock();
            int ab = vector * cols / 32 + blk;
            double scale = (double) half(s, block) * a.d()[ab];
            for (int j = 0; j < 32; j++) {
                double term = scale * weightQuant(s, type, block, j) * a.q()[ab * 32 + j];
                value += term;
                magnitude += Math.abs(term);
            }
            if (affine) {
                double offset = (double) half(s, block + 2) * a.s()[ab];
                value += offset;
                magnitude += Math.abs(offset);
                offsets += Math.abs(offset);
            }
        }
        return new Dot(value, magnitude, offsets);
    }

    private static int weightQuant(MemorySegment s, TensorType type, long block, int j) {
        return switch (type) {
            case Q8_0 -> s.get(ValueLayout.JAVA_BYTE, block + 2 + j);
            case Q4_0 -> nibble(s, block + 2, j) - 8;
            case Q4_1 -> nibble(s, block + 4, j);
            case Q5_0 -> (nibble(s, block + 6, j) | fifthBit(s, block + 2, j)) - 16;
            case Q5_1 -> nibble(s, block + 8, j) | fifthBit(s, block + 4, j);
            default -> throw new IllegalArgumentException(type + " has no 8-bit input kernel");
        };
    }

    private static int nibble(MemorySegment s, long qs, int j) {
        int packed = u8(s, qs + j % 16);
        return j < 16 ? packed & 0x0f : packed >>> 4;
    }

    private static int fifthBit(MemorySegment s, long qh, int j) {
        return ((s.get(INT, qh) >>> j) & 1) << 4;
    }

    /** Q4_K / Q5_K element j (0..255) of the super-block at {@code block}. */
    private static float kQuant(MemorySegment s, long block, int j, boolean fiveBit) {
        int sub = j / 32;
        int l = j % 32;
        long scales = block + 4;
        int sc;
        int m;
        if (sub < 4) {
            sc = u8(s, scales + sub) & 63;
            m = u8(s, scales + sub + 4) & 63;
        } else {
            sc = (u8(s, scales + sub + 4) & 15) | ((u8(s, scales + sub - 4) >>> 6) << 4);
            m = (u8(s, scales + sub + 4) >>> 4) | ((u8(s, scales + sub) >>> 6) << 4);
        }
        long qs = block + (fiveBit ? 48 : 16);
        int packed = u8(s, qs + 32 * (sub / 2) + l);
        int q = sub % 2 == 0 ? packed & 15 : packed >>> 4;
        if (fiveBit) q |= ((u8(s, block + 16 + l) >>> sub) & 1) << 4;
        return half(s, block) * sc * q - half(s, block + 2) * m;
    }

    private static float q6K(MemorySegment s, long block, int j) {
        int h = j / 128;
        int g = j % 128 / 32;
        int l = j % 32;
        int packed = u8(s, block + 64 * h + 32 * (g % 2) + l);
        int low = g < 2 ? packed & 15 : packed >>> 4;
        int high = (u8(s, block + 128 + 32 * h + l) >>> (2 * g)) & 3;
        int scale = s.get(ValueLayout.JAVA_BYTE, block + 192 + 8 * h + 2 * g + l / 16);
        return half(s, block + 208) * scale * ((low | high << 4) - 32);
    }

    private static float half(MemorySegment s, long o) {
        return Float.float16ToFloat(s.get(HALF, o));
    }

    private static int u8(MemorySegment s, long o) {
        return s.get(ValueLayout.JAVA_BYTE, o) & 0xff;
    }
}
