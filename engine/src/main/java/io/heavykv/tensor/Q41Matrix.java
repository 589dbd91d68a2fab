package io.heavykv.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.B16;
import static io.heavykv.tensor.VectorKernels.F;
import static io.heavykv.tensor.VectorKernels.LE;
import static io.heavykv.tensor.VectorKernels.half;

/**
 * GGML Q4_1: blocks of fp16 d and m and 16 bytes of nibbles (low nibbles elements 0..15, high 16..31);
 * value = q * d + m.
 */
final class Q41Matrix extends MappedMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 20;

    Q41Matrix(MemorySegment segment, int rows, int cols) {
        super(segment, rows, cols);
    }

    @Override public TensorType type() { return TensorType.Q4_1; }

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
            ByteVector packed = ByteVector.fromMemorySegment(B16, seg, o + 4, LE);
            int xi = xOff + blk * BLOCK;
            acc0 = VectorKernels.affineDot(VectorKernels.lowNibbles(packed), d, m, x, xi, acc0);
            acc1 = VectorKernels.affineDot(VectorKernels.highNibbles(packed), d, m, x, xi + 16, acc1);
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
            ByteVector packed = ByteVector.fromMemorySegment(B16, segment, o + 4, LE);
            int oi = outOff + blk * BLOCK;
            VectorKernels.affineStore(VectorKernels.lowNibbles(packed), d, m, out, oi);
            VectorKernels.affineStore(VectorKernels.highNibbles(packed), d, m, out, oi + 16);
        }
    }
}
