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
        super(TensorType.Q5_1, segment, rows, cols);
    }

    @Override
    float dotAt(long base, float[] x, int xOff) {
        MemorySegment seg = segment;
        int blocks = cols / BLOCK;
        // Two accumulators over alternate block halves halve the FMA dependency chain; one kernel call site
        // keeps the method small enough for C2 to inline every vector operation.
        FloatVector acc = FloatVector.zero(F);
        FloatVector other = FloatVector.zero(F);
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            float d = half(seg, o);
            float m = half(seg, o + 2);
            // Bytes 0..3 of this load are qh; the rest are ignored by fiveBits.
            ByteVector qh = ByteVector.fromMemorySegment(B16, seg, o + 4, LE);
            ByteVector packed = ByteVector.fromMemorySegment(B16, seg, o + 8, LE);
            for (int part = 0; part < 2; part++) {
                ByteVector q = VectorKernels.fiveBits(packed, qh, part);
                acc = VectorKernels.affineDot(q, d, m, x, xOff + blk * BLOCK + 16 * part, acc);
                FloatVector swap = acc;
                acc = other;
                other = swap;
            }
        }
        return VectorKernels.sum(acc.add(other));
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
            for (int part = 0; part < 2; part++) {
                VectorKernels.affineStore(VectorKernels.fiveBits(packed, qh, part), d, m, out, outOff + blk * BLOCK + 16 * part);
            }
        }
    }
}
