package io.heavykv.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Creates {@link WeightMatrix} views of little-endian storage. */
public final class WeightMatrices {
    private WeightMatrices() {
    }

    /**
     * A {@code rows x cols} matrix of {@code type} over {@code segment} (row-major, GGML block layout), which
     * must hold exactly the bytes that type and shape need. The segment is read, never copied.
     */
    public static WeightMatrix of(TensorType type, MemorySegment segment, int rows, int cols) {
        long expected = byteSize(type, rows, cols);
        if (segment.byteSize() != expected) {
            throw new IllegalArgumentException(type + " matrix " + rows + "x" + cols + " needs " + expected
                    + " bytes, the segment has " + segment.byteSize());
        }
        return switch (type) {
            case F32 -> new F32Matrix(segment, rows, cols);
            case F16 -> new F16Matrix(segment, rows, cols);
            case Q8_0 -> new Q8Matrix(segment, rows, cols);
            case BF16 -> new BF16Matrix(segment, rows, cols);
            case Q4_0 -> new Q4Matrix(segment, rows, cols);
            case Q4_1 -> new Q41Matrix(segment, rows, cols);
            case Q5_0 -> new Q50Matrix(segment, rows, cols);
            case Q5_1 -> new Q51Matrix(segment, rows, cols);
            case Q4_K, Q5_K -> new Q45KMatrix(type, segment, rows, cols);
            case Q6_K -> new Q6KMatrix(segment, rows, cols);
        };
    }

    /**
     * Whether {@link #repacked} gives a {@code rows x cols} matrix of {@code type} a faster decode layout
     * (Q8_0 small enough for its quants to fill one Java array).
     */
    public static boolean repackable(TensorType type, int rows, int cols) {
        return type == TensorType.Q8_0 && Q8PackedMatrix.fits(rows, cols);
    }

    /**
     * {@code m} copied into its decode layout on the Java heap when {@link #repackable} says there is one
     * (the copy takes as many bytes as {@code m}'s storage and no longer reads it), else {@code m} itself.
     */
    public static WeightMatrix repacked(WeightMatrix m) {
        if (m instanceof Q8Matrix q && repackable(q.type(), q.rows, q.cols)) return Q8PackedMatrix.copyOf(q);
        return m;
    }

    /** Bytes a {@code rows x cols} matrix of {@code type} occupies; checks the shape is storable in that type. */
    public static long byteSize(TensorType type, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix shape must be positive, got " + rows + "x" + cols);
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(type + " needs a multiple of " + type.blockSize()
                    + " columns, got " + cols);
        }
        return type.byteSize(cols) * rows;
    }

    /** An F32 matrix holding a copy of {@code values} (row-major), for tests and small generated models. */
    public static WeightMatrix f32(float[] values, int rows, int cols) {
        return quantize(TensorType.F32, values, rows, cols);
    }

    /** {@code values} (row-major) encoded in {@code type} with GGML's reference rounding, off the Java heap. */
    public static WeightMatrix quantize(TensorType type, float[] values, int rows, int cols) {
        if (values.length != (long) rows * cols) {
            throw new IllegalArgumentException(rows + "x" + cols + " matrix from " + values.length + " values");
        }
        // Native memory because the vector API reads heap segments only when they wrap a byte[].
        MemorySegment segment = Arena.ofAuto().allocate(Math.max(1, byteSize(type, rows, cols)), 64)
                .asSlice(0, byteSize(type, rows, cols));
        long rowBytes = type.byteSize(cols);
        for (int r = 0; r < rows; r++) Quantizer.encode(type, values, r * cols, cols, segment, r * rowBytes);
        return of(type, segment, rows, cols);
    }
}
