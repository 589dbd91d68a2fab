package io.heavykv.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.B16;
import static io.heavykv.tensor.VectorKernels.F;
import static io.heavykv.tensor.VectorKernels.LE;
import static io.heavykv.tensor.VectorKernels.half;

/**
 * GGML Q5_1: blocks of fp16 d and m, a 32-bit qh (fifth bit of element i in bit i) and 16 bytes of low
 * nibbles (elements 0..15 low, 16..31 high); value = q * d + m.
 */
final class Q51Matrix extends MappedMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 24;

    Q51Matrix(MemorySegment segment, int rows, int cols) {
        super(segment, rows, cols);
    }

    @Override public TensorType type() { return TensorType.Q5_1; }

    @Override
    float dotAt(long base, float[] x, int xOff) {
        MemorySegment seg = segment;
        int blocks = cols / BLOCK;
        // The two halves of a block feed separate accumulators, halving the FMA dependency chain.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            float d = half(seg, o);
            float m = half(seg, o + 2);
            // Bytes 0..3 of this load are qh; the rest are ignored by fiveBits.
            ByteVector qh = ByteVector.fromMemorySegment(B16, seg, o + 4, LE);
            ByteVector packed = ByteVector.fromMemorySegment(B16, seg, o + 8, LE);
            int xi = xOff + blk * BLOCK;
            acc0 = VectorKernels.affineDot(VectorKernels.fiveBits(packed, qh, 0), d, m, x, xi, acc0);
            acc1 = VectorKernels.affineDot(VectorKernels.fiveBits(packed, qh, 1), d, m, x, xi + 16, acc1);
        }
        return VectorKernels.sum(acc0.add(acc1));
    }

    @Override
    void dequantizeAt(long base, float[] out, int outOff) {
        int blocks = cols / BLOCK;
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            float d = half(segment, o);
            float m = half(segment, o + 2);
            ByteVector qh = ByteVector.fromMemorySegment(B16, segment, o + 4, LE);
            ByteVector packed = ByteVector.fromMemorySegment(B16, segment, o + 8, LE);
            int oi = outOff + blk * BLOCK;
            VectorKernels.affineStore(VectorKernels.fiveBits(packed, qh, 0), d, m, out, oi);
            VectorKernels.affineStore(VectorKernels.fiveBits(packed, qh, 1), d, m, out, oi + 16);
        }
    }
}
