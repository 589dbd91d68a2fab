package io.heavykv.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.heavykv.tensor.VectorKernels.B16;
import static io.heavykv.tensor.VectorKernels.F8;
import static io.heavykv.tensor.VectorKernels.SHORT_LE;

/**
 * Q8_0 rearranged for decode: the int8 quants of every row back to back in one heap array, the fp16 block
 * scales in another. In the file's 34-byte blocks every quant load sits at an odd offset behind a scale read
 * through the segment's checks; here the kernel streams plain array loads at a 32-byte stride, which measured
 * about a quarter faster per core. Same byte count as the file layout.
 */
final class Q8PackedMatrix extends RowMatrix {
    /** Largest element count one Java array can hold on common JVMs. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Rows per chunk of the parallel copy. */
    private static final int COPY_ROWS = 64;

    private final byte[] quants;
    private final short[] scales;
    private final int blocks;

    private Q8PackedMatrix(int rows, int cols) {
        super(rows, cols);
        this.blocks = cols / Q8Matrix.BLOCK;
        this.quants = new byte[rows * cols];
        this.scales = new short[rows * blocks];
    }

    /** Whether a {@code rows x cols} matrix fits the packed layout (its quants fill one array). */
    static boolean fits(int rows, int cols) {
        return (long) rows * cols <= MAX_ARRAY;
    }

    /** A packed copy of {@code source}, which must {@link #fits fit}. */
    static Q8PackedMatrix copyOf(Q8Matrix source) {
        if (!fits(source.rows, source.cols)) throw new IllegalArgumentException(source + " is too large to pack");
        Q8PackedMatrix packed = new Q8PackedMatrix(source.rows, source.cols);
        Parallel.forRange(0, source.rows, COPY_ROWS, (from, to) -> packed.copyRows(source, from, to));
        return packed;
    }

    private void copyRows(Q8Matrix source, int from, int to) {
        MemorySegment seg = source.segment;
        for (int r = from; r < to; r++) {
            for (int blk = 0, b = r * blocks; blk < blocks; blk++, b++) {
                long o = r * source.rowBytes + (long) blk * Q8Matrix.BLOCK_BYTES;
                scales[b] = seg.get(SHORT_LE, o);
                MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, o + 2, quants, b * Q8Matrix.BLOCK, Q8Matrix.BLOCK);
            }
        }
    }

    @Override public TensorType type() { return TensorType.Q8_0; }

    @Override public long byteSize() { return TensorType.Q8_0.byteSize(cols) * rows; }

    @Override
    MatmulInput input() { return MatmulInput.Q8; }

    @Override
    float dotRow(int row, float[] x, int xOff) {
        throw wrongInput();
    }

    @Override
    float dotRowQ8(int row, Q8Activations a, int vector) {
        byte[] q = quants;
        short[] s = scales;
        int first = row * blocks;
        int base = row * cols;
        int a0 = vector * cols;
        int s0 = vector * blocks;
        // Two accumulators over alternate blocks halve the FMA dependency chain that bounds this loop.
        FloatVector acc = FloatVector.zero(F8);
        FloatVector other = FloatVector.zero(F8);
        for (int blk = 0; blk < blocks; blk++) {
            int o = base + blk * Q8Matrix.BLOCK;
            float d = Float.float16ToFloat(s[first + blk]) * a.scales[s0 + blk];
            ByteVector lo = ByteVector.fromArray(B16, q, o);
            ByteVector hi = ByteVector.fromArray(B16, q, o + 16);
            acc = VectorKernels.blockDot(lo, hi, a.quants, a0 + blk * Q8Matrix.BLOCK).fma(FloatVector.broadcast(F8, d), acc);
            FloatVector swap = acc;
            acc = other;
            other = swap;
        }
        return VectorKernels.sum8(acc.add(other));
    }

    @Override
    void dequantizeRow(int row, float[] out, int outOff) {
        int first = row * blocks;
        for (int blk = 0; blk < blocks; blk++) {
            int o = (first + blk) * Q8Matrix.BLOCK;
            float d = Float.float16ToFloat(scales[first + blk]);
            ByteVector lo = ByteVector.fromArray(B16, quants, o);
            ByteVector hi = ByteVector.fromArray(B16, quants, o + 16);
            VectorKernels.blockStore(lo, hi, d, out, outOff + blk * Q8Matrix.BLOCK);
        }
    }
}
