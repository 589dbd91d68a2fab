package io.heavykv.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Decodes GGML storage element by element, straight from the block layout definitions. */
final class ScalarReference {
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ScalarReference() {
    }

    static float[] decode(WeightMatrix m, TensorType type, int rows, int cols) {
        return decode(((MappedMatrix) m).segment, type, rows, cols);
    }

    static float[] decode(MemorySegment s, TensorType type, int rows, int cols) {
        float[] out = new float[rows * cols];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (type) {
                case F32 -> s.getAtIndex(FLOAT, i);
                case F16 -> Float.float16ToFloat(s.getAtIndex(HALF, i));
                case Q8_0 -> {
                    long block = (i / 32) * 34L;
                    yield Float.float16ToFloat(s.get(HALF, block)) * s.get(ValueLayout.JAVA_BYTE, block + 2 + i % 32);
                }
                case Q4_0 -> {
                    long block = (i / 32) * 18L;
                    int j = i % 32;
                    int packed = s.get(ValueLayout.JAVA_BYTE, block + 2 + j % 16) & 0xff;
                    int nibble = j < 16 ? packed & 0x0f : packed >>> 4;
                    yield Float.float16ToFloat(s.get(HALF, block)) * (nibble - 8);
                }
            };
        }
        return out;
    }
}
