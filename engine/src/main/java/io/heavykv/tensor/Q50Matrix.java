package io.heavykv.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.B16;
import static io.heavykv.tensor.VectorKernels.F8;
import static io.heavykv.tensor.VectorKernels.LE;
import static io.heavykv.tensor.VectorKernels.half;

/**
 * GGML Q5_0: blocks of fp16 d, a 32-bit qh holding the fifth bit of element i in bit i, and 16 bytes of low
 * nibbles (elements 0..15 low, 16..31 high); value = (q - 16) * d.
 */
final class Q50Matrix extends MappedMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 22;

    Q50Matrix(MemorySegment segment, int rows, int cols) {
        super(TensorType.Q5_0, segment, rows, cols);
    }

    @Override
    MatmulInput input() { return MatmulInput.Q8; }

    @Override
    float dotAtQ8(long base, Q8Activations a, int vector) {
        MemorySegment seg = segment;
        int blocks = cols / BLOCK;
        int a0 = vector * cols;
        int s0 = vector * blocks;
        // Two accumulators over alternate blocks halve the FMA dependency chain that bounds this loop.
        FloatVector acc = FloatVector.zero(F8);
        FloatVector other = FloatVector.zero(F8);
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            float d = half(seg, o) * a.scales[s0 + blk];
            // Bytes 0..3 of this load are qh; the rest are ignored by fiveBits.
            ByteVector qh = ByteVector.fromMemorySegment(B16, seg, o + 2, LE);
            ByteVector packed = ByteVector.fromMemorySegment(B16, seg, o + 6, LE);
            ByteVector lo = VectorKernels.fiveBits(packed, qh, 0).sub((byte) 16);
            ByteVector hi = VectorKernels.fiveBits(packed, qh, 1).sub((byte) 16);
            acc = VectorKernels.blockDot(lo, hi, a.quants, a0 + blk * BLOCK).fma(FloatVector.broadcast(F8, d), acc);
            FloatVector swap = acc;
            acc = other;
            other = swap;
        }
        return VectorKernels.sum8(acc.add(other));
    }

    @Override
    void dequantizeAt(long base, float[] out, int outOff) {
        int blocks = cols / BLOCK;
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            ByteVector qh = ByteVector.fromMemorySegment(B16, segment, o + 2, LE);
            ByteVector packed = ByteVector.fromMemorySegment(B16, segment, o + 6, LE);
            ByteVector lo = VectorKernels.fiveBits(packed, qh, 0).sub((byte) 16);
            ByteVector hi = VectorKernels.fiveBits(packed, qh, 1).sub((byte) 16);
            VectorKernels.blockStore(lo, hi, half(segment, o), out, outOff + blk * BLOCK);
        }
    }
}
