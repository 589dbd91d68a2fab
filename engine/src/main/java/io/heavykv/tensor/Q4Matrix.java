package io.heavykv.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.B16;
import static io.heavykv.tensor.VectorKernels.F8;
import static io.heavykv.tensor.VectorKernels.LE;
import static io.heavykv.tensor.VectorKernels.half;

/**
 * GGML Q4_0: blocks of an fp16 scale d and 16 bytes; the low nibbles are elements 0..15 of the block, the
 * high nibbles elements 16..31, and value = (nibble - 8) * d.
 */
final class Q4Matrix extends MappedMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 18;

    Q4Matrix(MemorySegment segment, int rows, int cols) {
        super(TensorType.Q4_0, segment, rows, cols);
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
            ByteVector packed = ByteVector.fromMemorySegment(B16, seg, o + 2, LE);
            ByteVector lo = VectorKernels.lowNibbles(packed).sub((byte) 8);
            ByteVector hi = VectorKernels.highNibbles(packed).sub((byte) 8);
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
            float d = half(segment, o);
            ByteVector packed = ByteVector.fromMemorySegment(B16, segment, o + 2, LE);
            ByteVector lo = VectorKernels.lowNibbles(packed).sub((byte) 8);
            ByteVector hi = VectorKernels.highNibbles(packed).sub((byte) 8);
            VectorKernels.blockStore(lo, hi, d, out, outOff + blk * BLOCK);
        }
    }
}
