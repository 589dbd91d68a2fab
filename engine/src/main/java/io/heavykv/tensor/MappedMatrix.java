package io.heavykv.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Matrices read in place from little-endian storage in the file's (GGML) layout. Subclasses supply the
 * per-type kernels addressed by the byte offset of a row.
 */
abstract sealed class MappedMatrix extends RowMatrix permits F32Matrix, F16Matrix, BF16Matrix, Q8Matrix, Q4Matrix,
        Q41Matrix, Q50Matrix, Q51Matrix, Q45KMatrix, Q6KMatrix {
    final MemorySegment segment;
    final long rowBytes;
    private final TensorType type;

    MappedMatrix(TensorType type, MemorySegment segment, int rows, int cols) {
        super(rows, cols);
        this.type = type;
        this.segment = segment;
        this.rowBytes = type.byteSize(cols);
    }

    @Override public final TensorType type() { return type; }

    @Override public final long byteSize() { return rowBytes * rows; }

    /** Dot product of the row starting at byte {@code base} with {@code x[xOff ..]}, for float inputs. */
    float dotAt(long base, float[] x, int xOff) {
        throw wrongInput();
    }

    /** Dot product of the row starting at byte {@code base} with vector {@code vector} of {@code a}. */
    float dotAtQ8(long base, Q8Activations a, int vector) {
        throw wrongInput();
    }

    /** Writes the row starting at byte {@code base} as floats into {@code out[outOff ..]}. */
    abstract void dequantizeAt(long base, float[] out, int outOff);

    @Override
    final float dotRow(int row, float[] x, int xOff) {
        return dotAt(row * rowBytes, x, xOff);
    }

    @Override
    final float dotRowQ8(int row, Q8Activations a, int vector) {
        return dotAtQ8(row * rowBytes, a, vector);
    }

    @Override
    final void dequantizeRow(int row, float[] out, int outOff) {
        dequantizeAt(row * rowBytes, out, outOff);
    }
}
