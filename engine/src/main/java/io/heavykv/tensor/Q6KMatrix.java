package io.heavykv.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.heavykv.tensor.VectorKernels.B16;
import static io.heavykv.tensor.VectorKernels.F;
import static io.heavykv.tensor.VectorKernels.LE;
import static io.heavykv.tensor.VectorKernels.half;

/**
 * GGML Q6_K: 256-element super-blocks of 128 bytes ql (low four bits), 64 bytes qh (top two bits), 16 int8
 * scales (one per 16 elements) and fp16 d, in two halves of 128 elements. In half h, element 32g + l (g &lt; 4,
 * l &lt; 32) takes the low (g &lt; 2) or high nibble of ql[64h + 32(g % 2) + l] and bits 2g, 2g + 1 of
 * qh[32h + l]; value = (d * scale) * (q - 32).
 */
final class Q6KMatrix extends MappedMatrix {
    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 210;
    private static final int QH = 128;
    private static final int SCALES = 192;
    private static final int D = 208;
    private static final int GROUPS = 16;

    Q6KMatrix(MemorySegment segment, int rows, int cols) {
        super(TensorType.Q6_K, segment, rows, cols);
    }

    // One kernel call site per loop keeps the compiled method small enough for C2 to inline every vector
    // operation (see Q45KMatrix).

    @Override
    MatmulInput input() { return MatmulInput.Q8K; }

    @Override
    float dotAt(long base, float[] x, int xOff) {
        MemorySegment seg = segment;
        int blocks = cols / BLOCK;
        // Two accumulators over alternate groups of 16 halve the FMA dependency chain.
        FloatVector acc = FloatVector.zero(F);
        FloatVector other = FloatVector.zero(F);
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            float d = half(seg, o + D);
            for (int s = 0; s < GROUPS; s++) {
                FloatVector scale = FloatVector.broadcast(F, d * seg.get(ValueLayout.JAVA_BYTE, o + SCALES + s));
                acc = VectorKernels.halfBlockDot(quants(seg, o, s), x, xOff + blk * BLOCK + 16 * s).fma(scale, acc);
                FloatVector swap = acc;
                acc = other;
                other = swap;
            }
        }
        return VectorKernels.sum(acc.add(other));
    }

    @Override
    void dequantizeAt(long base, float[] out, int outOff) {
        MemorySegment seg = segment;
        int blocks = cols / BLOCK;
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            float d = half(seg, o + D);
            for (int s = 0; s < GROUPS; s++) {
                float scale = d * seg.get(ValueLayout.JAVA_BYTE, o + SCALES + s);
                VectorKernels.halfBlockStore(quants(seg, o, s), scale, out, outOff + blk * BLOCK + 16 * s);
            }
        }
    }

    /**
     * Signed quants of elements 16s .. 16s + 16 (scale s) of the super-block at {@code o}: half h = s / 8,
     * group g = s % 8 / 2, l from 16 * (s % 2).
     */
    private static ByteVector quants(MemorySegment seg, long o, int s) {
        int h = s >> 3;
        int g = (s & 7) >> 1;
        int part = s & 1;
        ByteVector ql = ByteVector.fromMemorySegment(B16, seg, o + 64 * h + 32 * (g & 1) + 16 * part, LE);
        ByteVector qh = ByteVector.fromMemorySegment(B16, seg, o + QH + 32 * h + 16 * part, LE);
        ByteVector low = VectorKernels.bits(ql, 4 * (g >> 1), (byte) 0x0f);
        return low.or(VectorKernels.times16(VectorKernels.bits(qh, 2 * g, (byte) 3))).sub((byte) 32);
    }
}
