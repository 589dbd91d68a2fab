package io.heavykv.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.B16;
import static io.heavykv.tensor.VectorKernels.F8;
import static io.heavykv.tensor.VectorKernels.LE;
import static io.heavykv.tensor.VectorKernels.half;

/**
 * GGML Q4_1: blocks of fp16 d and m and 16 bytes of nibbles (low nibbles elements 0..15, high 16..31);
 * value = q * d + m. A class of its own rather than sharing Q5_1's with a flag: one kernel compiled for
 * both types measured ~4x slower once both had run.
 */
final class Q41Matrix extends MappedMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 20;

    Q41Matrix(MemorySegment segment, int rows, int cols) {
        super(TensorType.Q4_1, segment, rows, cols);
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
        // The offset m meets the input block only through its sum s, added apart from the integer part as
        // llama.cpp does (its Q8_1 form exists for this term).
        float offsets = 0;
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            float d = half(seg, o) * a.scales[s0 + blk];
            offsets += half(seg, o + 2) * a.sums[s0 + blk];
            ByteVector packed = ByteVector.fromMemorySegment(B16, seg, o + 4, LE);
            ByteVector lo = VectorKernels.lowNibbles(packed);
            ByteVector hi = VectorKernels.highNibbles(packed);
            acc = VectorKernels.blockDot(lo, hi, a.quants, a0 + blk * BLOCK).fma(FloatVector.broadcast(F8, d), acc);
            FloatVector swap = acc;
            acc = other;
            other = swap;
        }
        return VectorKernels.sum8(acc.add(other)) + offsets;
    }

    @Override
    void dequantizeAt(long base, float[] out, int outOff) {
        int blocks = cols / BLOCK;
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            float d = half(segment, o);
            float m = half(segment, o + 2);
            ByteVector packed = ByteVector.fromMemorySegment(B16, segment, o + 4, LE);
            for (int part = 0; part < 2; part++) {
                ByteVector q = VectorKernels.bits(packed, 4 * part, (byte) 0x0f);
                VectorKernels.affineStore(q, d, m, out, outOff + blk * BLOCK + 16 * part);
            }
        }
    }
}
