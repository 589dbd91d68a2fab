package io.heavykv.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.B16;
import static io.heavykv.tensor.VectorKernels.F;
import static io.heavykv.tensor.VectorKernels.LE;
import static io.heavykv.tensor.VectorKernels.half;

/**
 * GGML Q4_K and Q5_K, which share their 256-element super-block: fp16 d and dmin, {@link KScales 12 bytes of
 * 6-bit scales and mins} for eight 32-element sub-blocks, Q5_K's 32 bytes of qh, then 128 bytes of nibbles.
 * Each 32 nibble bytes hold two sub-blocks: element l of sub-block j is in the low (j even) or high nibble of
 * byte 32 * (j / 2) + l, and for Q5_K its fifth bit is bit j of qh[l]. value = (d * scale) * q - dmin * min.
 */
final class Q45KMatrix extends MappedMatrix {
    static final int BLOCK = 256;
    private static final int SCALES = 4;
    private static final int QH = 16;

    private final boolean fiveBit;
    private final int blockBytes;
    private final int nibbles;

    Q45KMatrix(TensorType type, MemorySegment segment, int rows, int cols) {
        super(type, segment, rows, cols);
        if (type != TensorType.Q4_K && type != TensorType.Q5_K) throw new IllegalArgumentException(type + " is no Q4_K/Q5_K");
        this.fiveBit = type == TensorType.Q5_K;
        this.blockBytes = type.bytesPerBlock();
        this.nibbles = fiveBit ? QH + 32 : QH;
    }

    // One kernel call site per loop keeps the compiled method small enough for C2 to inline every vector
    // operation; unrolled by hand (a call per half sub-block) it gave up inlining and ran ~20x slower.

    @Override
    MatmulInput input() { return MatmulInput.Q8K; }

    @Override
    float dotAt(long base, float[] x, int xOff) {
        MemorySegment seg = segment;
        int blocks = cols / BLOCK;
        // Two accumulators over alternate 16-element halves halve the FMA dependency chain.
        FloatVector acc = FloatVector.zero(F);
        FloatVector other = FloatVector.zero(F);
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * blockBytes;
            float d = half(seg, o);
            float dmin = half(seg, o + 2);
            long scales = KScales.scales(seg, o + SCALES);
            long mins = KScales.mins(seg, o + SCALES);
            for (int j = 0; j < KScales.SUB_BLOCKS; j++) {
                float dj = d * KScales.of(scales, j);
                float mj = -(dmin * KScales.of(mins, j));
                for (int part = 0; part < 2; part++) {
                    int xi = xOff + blk * BLOCK + 32 * j + 16 * part;
                    acc = VectorKernels.affineDot(quants(seg, o, j, part), dj, mj, x, xi, acc);
                    FloatVector swap = acc;
                    acc = other;
                    other = swap;
                }
            }
        }
        return VectorKernels.sum(acc.add(other));
    }

    @Override
    void dequantizeAt(long base, float[] out, int outOff) {
        MemorySegment seg = segment;
        int blocks = cols / BLOCK;
        for (int blk = 0; blk < blocks; blk++) {
            long o = base + (long) blk * blockBytes;
            float d = half(seg, o);
            float dmin = half(seg, o + 2);
            long scales = KScales.scales(seg, o + SCALES);
            long mins = KScales.mins(seg, o + SCALES);
            for (int j = 0; j < KScales.SUB_BLOCKS; j++) {
                float dj = d * KScales.of(scales, j);
                float mj = -(dmin * KScales.of(mins, j));
                for (int part = 0; part < 2; part++) {
                    int oi = outOff + blk * BLOCK + 32 * j + 16 * part;
                    VectorKernels.affineStore(quants(seg, o, j, part), dj, mj, out, oi);
                }
            }
        }
    }

    /** Quants of elements 16 * part .. +16 of sub-block {@code j} of the super-block at {@code o}. */
    private ByteVector quants(MemorySegment seg, long o, int j, int part) {
        ByteVector packed = ByteVector.fromMemorySegment(B16, seg, o + nibbles + 32 * (j >> 1) + 16 * part, LE);
        ByteVector q = VectorKernels.bits(packed, 4 * (j & 1), (byte) 0x0f);
        if (!fiveBit) return q;
        ByteVector qh = ByteVector.fromMemorySegment(B16, seg, o + QH + 16 * part, LE);
        return q.or(VectorKernels.times16(VectorKernels.bits(qh, j, (byte) 1)));
    }
}
