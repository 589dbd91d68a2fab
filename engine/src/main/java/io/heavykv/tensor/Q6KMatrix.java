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

    Q6KMatrix(MemorySegment segment, int rows, int cols) {
        super(segment, rows, cols);
    }

    @Override public TensorType type() { return TensorType.Q6_K; }

    @Override
    float dotAt(long base, float[] x, int xOff) {
        MemorySegment seg = segment;
        int blocks = cols / BLOCK;
        // The two 16-element halves of every 32 feed separate accumulators, halving the FMA dependency chain.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * BLOCK_BYTES;
            float d = half(seg, o + D);
            for (int h = 0; h < 2; h++) {
                long ql = o + 64L * h;
                long qh = o + QH + 32L * h;
                ByteVector h0 = ByteVector.fromMemorySegment(B16, seg, qh, LE);
                ByteVector h1 = ByteVector.fromMemorySegment(B16, seg, qh + 16, LE);
                for (int g = 0; g < 4; g++) {
                    ByteVector l0 = ByteVector.fromMemorySegment(B16, seg, ql + 32 * (g & 1), LE);
                    ByteVector l1 = ByteVector.fromMemorySegment(B16, seg, ql + 32 * (g & 1) + 16, LE);
                    int s = 8 * h + 2 * g;
                    int xi = xOff + blk * BLOCK + 128 * h + 32 * g;
                    acc0 = VectorKernels.halfBlockDot(quants(l0, h0, g), x, xi).fma(FloatVector.broadcast(F, d * scale(seg, o, s)), acc0);
                    acc1 = VectorKernels.halfBlockDot(quants(l1, h1, g), x, xi + 16).fma(FloatVector.broadcast(F, d * scale(seg, o, s + 1)), acc1);
                }
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
            float d = half(seg, o + D);
            for (int h = 0; h < 2; h++) {
                long ql = o + 64L * h;
                long qh = o + QH + 32L * h;
                ByteVector h0 = ByteVector.fromMemorySegment(B16, seg, qh, LE);
                ByteVector h1 = ByteVector.fromMemorySegment(B16, seg, qh + 16, LE);
                for (int g = 0; g < 4; g++) {
                    ByteVector l0 = ByteVector.fromMemorySegment(B16, seg, ql + 32 * (g & 1), LE);
                    ByteVector l1 = ByteVector.fromMemorySegment(B16, seg, ql + 32 * (g & 1) + 16, LE);
                    int s = 8 * h + 2 * g;
                    int oi = outOff + blk * BLOCK + 128 * h + 32 * g;
                    VectorKernels.halfBlockStore(quants(l0, h0, g), d * scale(seg, o, s), out, oi);
                    VectorKernels.halfBlockStore(quants(l1, h1, g), d * scale(seg, o, s + 1), out, oi + 16);
                }
            }
        }
    }

    /** Signed quants of group {@code g}: a nibble of {@code ql}, bits 2g and 2g + 1 of {@code qh} on top, minus 32. */
    private static ByteVector quants(ByteVector ql, ByteVector qh, int g) {
        ByteVector low = g < 2 ? VectorKernels.lowNibbles(ql) : VectorKernels.highNibbles(ql);
        // Moves bits 2g, 2g + 1 to bits 4, 5.
        return low.or(VectorKernels.bits(qh, 2 * g - 4, (byte) 0x30)).sub((byte) 32);
    }

    private static int scale(MemorySegment seg, long o, int s) {
        return seg.get(ValueLayout.JAVA_BYTE, o + SCALES + s);
    }
}
