package io.heavykv.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.B16;
import static io.heavykv.tensor.VectorKernels.F;
import static io.heavykv.tensor.VectorKernels.LE;
import static io.heavykv.tensor.VectorKernels.half;

/**
 * GGML Q4_K: 256-element super-blocks of fp16 d and dmin, {@link KScales 12 bytes of 6-bit scales and mins}
 * for eight 32-element sub-blocks, and 128 bytes of nibbles. Each 32 bytes hold two sub-blocks: low nibbles
 * sub-block 2c, high nibbles 2c + 1. value = (d * scale) * q - dmin * min.
 */
final class Q4KMatrix extends MappedMatrix {
    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 144;
    private static final int SCALES = 4;
    private static final int QS = 16;

    Q4KMatrix(MemorySegment segment, int rows, int cols) {
        super(segment, rows, cols);
    }

    @Override public TensorType type() { return TensorType.Q4_K; }

    @Override
    float dotAt(long base, float[] x, int xOff) {
        MemorySegment seg = segment;
        int blocks = cols / BLOCK;
        // Low-nibble and high-nibble sub-blocks feed separate accumulators, halving the FMA dependency chain.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            float d = half(seg, o);
            float dmin = half(seg, o + 2);
            for (int c = 0; c < 4; c++) {
                int j = 2 * c;
                float d0 = d * KScales.scale(seg, o + SCALES, j);
                float m0 = -(dmin * KScales.min(seg, o + SCALES, j));
                float d1 = d * KScales.scale(seg, o + SCALES, j + 1);
                float m1 = -(dmin * KScales.min(seg, o + SCALES, j + 1));
                ByteVector b0 = ByteVector.fromMemorySegment(B16, seg, o + QS + 32 * c, LE);
                ByteVector b1 = ByteVector.fromMemorySegment(B16, seg, o + QS + 32 * c + 16, LE);
                int xi = xOff + blk * BLOCK + 64 * c;
                acc0 = VectorKernels.affineDot(VectorKernels.lowNibbles(b0), d0, m0, x, xi, acc0);
                acc0 = VectorKernels.affineDot(VectorKernels.lowNibbles(b1), d0, m0, x, xi + 16, acc0);
                acc1 = VectorKernels.affineDot(VectorKernels.highNibbles(b0), d1, m1, x, xi + 32, acc1);
                acc1 = VectorKernels.affineDot(VectorKernels.highNibbles(b1), d1, m1, x, xi + 48, acc1);
            }
        }
        return VectorKernels.sum(acc0.add(acc1));
    }

    @Override
    void dequantizeAt(long base, float[] out, int outOff) {
        MemorySegment seg = segment;
        int blocks = cols / BLOCK;
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            float d = half(seg, o);
            float dmin = half(seg, o + 2);
            for (int c = 0; c < 4; c++) {
                int j = 2 * c;
                float d0 = d * KScales.scale(seg, o + SCALES, j);
                float m0 = -(dmin * KScales.min(seg, o + SCALES, j));
                float d1 = d * KScales.scale(seg, o + SCALES, j + 1);
                float m1 = -(dmin * KScales.min(seg, o + SCALES, j + 1));
                ByteVector b0 = ByteVector.fromMemorySegment(B16, seg, o + QS + 32 * c, LE);
                ByteVector b1 = ByteVector.fromMemorySegment(B16, seg, o + QS + 32 * c + 16, LE);
                int oi = outOff + blk * BLOCK + 64 * c;
                VectorKernels.affineStore(VectorKernels.lowNibbles(b0), d0, m0, out, oi);
                VectorKernels.affineStore(VectorKernels.lowNibbles(b1), d0, m0, out, oi + 16);
                VectorKernels.affineStore(VectorKernels.highNibbles(b0), d1, m1, out, oi + 32);
                VectorKernels.affineStore(VectorKernels.highNibbles(b1), d1, m1, out, oi + 48);
            }
        }
    }
}
