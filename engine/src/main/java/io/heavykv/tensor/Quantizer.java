package io.heavykv.tensor;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.FLOAT_LE;
import static io.heavykv.tensor.VectorKernels.SHORT_LE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Encodes floats into the storage types with GGML's reference rounding (the quantize_row_*_ref methods), so
 * files written here hold what llama.cpp's own converter would write without an importance matrix.
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
        int blocks = n / type.blockSize();
        int step = type.bytesPerBlock();
        switch (type) {
            case F32 -> MemorySegment.copy(src, srcOff, dst, FLOAT_LE, dstOff, n);
            case F16 -> {
                for (int i = 0; i < n; i++) dst.set(SHORT_LE, dstOff + 2L * i, Float.floatToFloat16(src[srcOff + i]));
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) dst.set(SHORT_LE, dstOff + 2L * i, bfloat16(src[srcOff + i]));
            }
            case Q8_0 -> {
                for (int b = 0; b < blocks; b++) q8Block(src, srcOff + b * BLOCK, dst, dstOff + (long) b * step);
            }
            case Q4_0, Q5_0 -> {
                int bits = type == TensorType.Q4_0 ? 4 : 5;
                for (int b = 0; b < blocks; b++) symmetricBlock(src, srcOff + b * BLOCK, bits, dst, dstOff + (long) b * step);
            }
            case Q4_1, Q5_1 -> {
                int bits = type == TensorType.Q4_1 ? 4 : 5;
                for (int b = 0; b < blocks; b++) offsetBlock(src, srcOff + b * BLOCK, bits, dst, dstOff + (long) b * step);
            }
            case Q4_K -> {
                for (int b = 0; b < blocks; b++) KQuantizer.q4K(src, srcOff + b * KQuantizer.BLOCK, dst, dstOff + (long) b * step);
            }
            case Q5_K -> {
                for (int b = 0; b < blocks; b++) KQuantizer.q5K(src, srcOff + b * KQuantizer.BLOCK, dst, dstOff + (long) b * step);
            }
            case Q6_K -> {
                for (int b = 0; b < blocks; b++) KQuantizer.q6K(src, srcOff + b * KQuantizer.BLOCK, dst, dstOff + (long) b * step);
            }
        }
    }

    /** fp32 to bf16, rounding to nearest even; a NaN stays a (quiet) NaN instead of rounding into infinity. */
    static short bfloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if ((bits & 0x7fffffff) > 0x7f800000) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    private static void q8Block(float[] x, int off, MemorySegment dst, long o) {
        float amax = 0;
        for (int j = 0; j < BLOCK; j++) amax = Math.max(amax, Math.abs(x[off + j]));
        float d = amax / 127;
        float id = d != 0 ? 1.0f / d : 0.0f;
        dst.set(SHORT_LE, o, Float.floatToFloat16(d));
        for (int j = 0; j < BLOCK; j++) dst.set(JAVA_BYTE, o + 2 + j, (byte) roundAway(x[off + j] * id));
    }

    /**
     * Q4_0 and Q5_0: value = (q - h) * d with h = 2^(bits-1). The scale keeps the sign of the largest-magnitude
     * value so that value maps exactly onto level 0 (-h steps).
     */
    private static void symmetricBlock(float[] x, int off, int bits, MemorySegment dst, long o) {
        int h = 1 << (bits - 1);
        float amax = 0;
        float max = 0;
        for (int j = 0; j < BLOCK; j++) {
            float v = x[off + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -h;
        float id = d != 0 ? 1.0f / d : 0.0f;
        int[] q = new int[BLOCK];
        for (int j = 0; j < BLOCK; j++) q[j] = Math.min(2 * h - 1, (int) (x[off + j] * id + (h + 0.5f)));
        dst.set(SHORT_LE, o, Float.floatToFloat16(d));
        writeQuants(q, bits, dst, o + 2);
    }

    /** Q4_1 and Q5_1: value = q * d + m with m the block's minimum and d spreading the range over every level. */
    private static void offsetBlock(float[] x, int off, int bits, MemorySegment dst, long o) {
        int top = (1 << bits) - 1;
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int j = 0; j < BLOCK; j++) {
            min = Math.min(min, x[off + j]);
            max = Math.max(max, x[off + j]);
        }
        float d = (max - min) / top;
        float id = d != 0 ? 1.0f / d : 0.0f;
        int[] q = new int[BLOCK];
        for (int j = 0; j < BLOCK; j++) q[j] = Math.min(top, (int) ((x[off + j] - min) * id + 0.5f));
        dst.set(SHORT_LE, o, Float.floatToFloat16(d));
        dst.set(SHORT_LE, o + 2, Float.floatToFloat16(min));
        writeQuants(q, bits, dst, o + 4);
    }

    /**
     * Levels 0..2^bits-1 of one 32-element block at {@code o}: for 5 bits first the 32-bit qh (fifth bit of
     * element j in bit j), then 16 bytes whose low nibbles are elements 0..15 and high nibbles 16..31.
     */
    private static void writeQuants(int[] q, int bits, MemorySegment dst, long o) {
        if (bits == 5) {
            int qh = 0;
            for (int j = 0; j < BLOCK; j++) qh |= ((q[j] >>> 4) & 1) << j;
            dst.set(VectorKernels.INT_LE, o, qh);
            o += 4;
        }
        for (int j = 0; j < BLOCK / 2; j++) dst.set(JAVA_BYTE, o + j, (byte) ((q[j] & 0x0f) | (q[j + BLOCK / 2] & 0x0f) << 4));
    }

    /** C's roundf: halves round away from zero (Math.round would send -2.5 to -2). */
    private static int roundAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }
}
