package io.heavykv.tensor;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.FLOAT_LE;
import static io.heavykv.tensor.VectorKernels.SHORT_LE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Encodes floats into the storage types with GGML's reference rounding (quantize_row_q8_0_ref and
 * quantize_row_q4_0_ref), so files written here hold what llama.cpp's own converter would write.
 */
public final class Quantizer {
    private static final int BLOCK = 32;

    private Quantizer() {
    }

    /** Encodes {@code src[srcOff .. srcOff+n)} as {@code type} into {@code dst} at byte {@code dstOff}. */
    public static void encode(TensorType type, float[] src, int srcOff, int n, MemorySegment dst, long dstOff) {
        long bytes = type.byteSize(n);
        if (dstOff < 0 || dstOff + bytes > dst.byteSize()) {
            throw new IndexOutOfBoundsException(bytes + " bytes at " + dstOff + " do not fit " + dst.byteSize());
        }
        switch (type) {
            case F32 -> MemorySegment.copy(src, srcOff, dst, FLOAT_LE, dstOff, n);
            case F16 -> {
                for (int i = 0; i < n; i++) dst.set(SHORT_LE, dstOff + 2L * i, Float.floatToFloat16(src[srcOff + i]));
            }
            case Q8_0 -> {
                for (int b = 0; b < n / BLOCK; b++) q8Block(src, srcOff + b * BLOCK, dst, dstOff + b * 34L);
            }
            case Q4_0 -> {
                for (int b = 0; b < n / BLOCK; b++) q4Block(src, srcOff + b * BLOCK, dst, dstOff + b * 18L);
            }
        }
    }

    private static void q8Block(float[] x, int off, MemorySegment dst, long o) {
        float amax = 0;
        for (int j = 0; j < BLOCK; j++) amax = Math.max(amax, Math.abs(x[off + j]));
        float d = amax / 127;
        float id = d != 0 ? 1.0f / d : 0.0f;
        dst.set(SHORT_LE, o, Float.floatToFloat16(d));
        for (int j = 0; j < BLOCK; j++) dst.set(JAVA_BYTE, o + 2 + j, (byte) roundAway(x[off + j] * id));
    }

    private static void q4Block(float[] x, int off, MemorySegment dst, long o) {
        // The scale keeps the sign of the largest-magnitude value so that value maps exactly onto -8.
        float amax = 0;
        float max = 0;
        for (int j = 0; j < BLOCK; j++) {
            float v = x[off + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8;
        float id = d != 0 ? 1.0f / d : 0.0f;
        dst.set(SHORT_LE, o, Float.floatToFloat16(d));
        for (int j = 0; j < BLOCK / 2; j++) {
            int lo = Math.min(15, (int) (x[off + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[off + BLOCK / 2 + j] * id + 8.5f));
            dst.set(JAVA_BYTE, o + 2 + j, (byte) (lo | (hi << 4)));
        }
    }

    /** C's roundf: halves round away from zero (Math.round would send -2.5 to -2). */
    private static int roundAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }
}
