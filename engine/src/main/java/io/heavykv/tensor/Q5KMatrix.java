package io.heavykv.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.B16;
import static io.heavykv.tensor.VectorKernels.F;
import static io.heavykv.tensor.VectorKernels.LE;
import static io.heavykv.tensor.VectorKernels.half;

/**
 * GGML Q5_K: Q4_K's super-block with 32 bytes qh before the nibbles. Sub-block j's element l has its low four
 * bits in nibble (j odd: high) of byte 32 * (j / 2) + l and its fifth bit in bit j of qh[l].
 * value = (d * scale) * q - dmin * min.
 */
final class Q5KMatrix extends MappedMatrix {
    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 176;
    private static final int SCALES = 4;
    private static final int QH = 16;
    private static final int QS = 48;

    Q5KMatrix(MemorySegment segment, int rows, int cols) {
        super(segment, rows, cols);
    }

    @Override public TensorType type() { return TensorType.Q5_K; }

    @Override
    float dotAt(long base, float[] x, int xOff) {
        MemorySegment seg = segment;
        int blocks = cols / BLOCK;
        // Even and odd sub-blocks feed separate accumulators, halving the FMA dependency chain.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            float d = half(seg, o);
            float dmin = half(seg, o + 2);
            ByteVector h0 = ByteVector.fromMemorySegment(B16, seg, o + QH, LE);
            ByteVector h1 = ByteVector.fromMemorySegment(B16, seg, o + QH + 16, LE);
            for (int c = 0; c < 4; c++) {
                int j = 2 * c;
                float d0 = d * KScales.scale(seg, o + SCALES, j);
                float m0 = -(dmin * KScales.min(seg, o + SCALES, j));
                float d1 = d * KScales.scale(seg, o + SCALES, j + 1);
                float m1 = -(dmin * KScales.min(seg, o + SCALES, j + 1));
                ByteVector b0 = ByteVector.fromMemorySegment(B16, seg, o + QS + 32 * c, LE);
                ByteVector b1 = ByteVector.fromMemorySegment(B16, seg, o + QS + 32 * c + 16, LE);
                int xi = xOff + blk * BLOCK + 64 * c;
                acc0 = VectorKernels.affineDot(quants(VectorKernels.lowNibbles(b0), h0, j), d0, m0, x, xi, acc0);
                acc0 = VectorKernels.affineDot(quants(VectorKernels.lowNibbles(b1), h1, j), d0, m0, x, xi + 16, acc0);
                acc1 = VectorKernels.affineDot(quants(VectorKernels.highNibbles(b0), h0, j + 1), d1, m1, x, xi + 32, acc1);
                acc1 = VectorKernels.affineDot(quants(VectorKernels.highNibbles(b1), h1, j + 1), d1, m1, x, xi + 48, acc1);
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
            ByteVector h0 = ByteVector.fromMemorySegment(B16, seg, o + QH, LE);
            ByteVector h1 = ByteVector.fromMemorySegment(B16, seg, o + QH + 16, LE);
            for (int c = 0; c < 4; c++) {
                int j = 2 * c;
                float d0 = d * KScales.scale(seg, o + SCALES, j);
                float m0 = -(dmin * KScales.min(seg, o + SCALES, j));
                float d1 = d * KScales.scale(seg, o + SCALES, j + 1);
                float m1 = -(dmin * KScales.min(seg, o + SCALES, j + 1));
                ByteVector b0 = ByteVector.fromMemorySegment(B16, seg, o + QS + 32 * c, LE);
                ByteVector b1 = ByteVector.fromMemorySegment(B16, seg, o + QS + 32 * c + 16, LE);
                int oi = outOff + blk * BLOCK + 64 * c;
                VectorKernels.affineStore(quants(VectorKernels.lowNibbles(b0), h0, j), d0, m0, out, oi);
                VectorKernels.affineStore(quants(VectorKernels.lowNibbles(b1), h1, j), d0, m0, out, oi + 16);
                VectorKernels.affineStore(quants(VectorKernels.highNibbles(b0), h0, j + 1), d1, m1, out, oi + 32);
                VectorKernels.affineStore(quants(VectorKernels.highNibbles(b1), h1, j + 1), d1, m1, out, oi + 48);
            }
        }
    }

    /** The 5-bit quants of sub-block {@code j}: its nibbles plus 16 where bit j of qh is set. */
    private static ByteVector quants(ByteVector nibbles, ByteVector qh, int j) {
        return VectorKernels.withFifthBit(nibbles, qh.and((byte) (1 << j)).compare(VectorOperators.NE, 0));
    }
}
