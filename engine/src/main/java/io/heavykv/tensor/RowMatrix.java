package io.heavykv.tensor;

/**
 * Shared driver of the matrices computed row by row: the parallel split of matmul and the batched (prefill)
 * path. Subclasses supply the per-layout kernels: a fused dot for one row and the dequantization of one row.
 */
abstract sealed class RowMatrix implements WeightMatrix permits MappedMatrix, Q8PackedMatrix {
    /** Rows dequantized together in the batched path: their floats stay in L2 while every batch vector passes. */
    private static final int ROW_TILE = 8;
    /** Rows per parallel chunk at batch 1, so a chunk streams enough bytes to amortise its hand-off. */
    private static final int MIN_ROWS_PER_CHUNK = 16;

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    final int rows;
    final int cols;

    RowMatrix(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
    }

    @Override public final int rows() { return rows; }
    @Override public final int cols() { return cols; }

    /** Dot product of row {@code row} (in range) with {@code x[xOff ..]}. */
    abstract float dotRow(int row, float[] x, int xOff);

    /** Writes row {@code row} (in range) as floats into {@code out[outOff ..]}. */
    abstract void dequantizeRow(int row, float[] out, int outOff);

    @Override
    public final float dot(int row, float[] x, int xOffset) {
        checkRow(row);
        return dotRow(row, x, xOffset);
    }

    @Override
    public final void copyRow(int row, float[] out, int outOffset) {
        checkRow(row);
        dequantizeRow(row, out, outOffset);
    }

    @Override
    public final void matmul(float[] x, float[] out, int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch must be positive, got " + batch);
        if (x.length < (long) batch * cols || out.length < (long) batch * rows) {
            throw new IllegalArgumentException("matmul " + rows + "x" + cols + " batch " + batch + ": x has "
                    + x.length + " floats, out has " + out.length);
        }
        if (batch == 1) {
            Parallel.forWork(0, rows, cols, MIN_ROWS_PER_CHUNK, (from, to) -> {
                for (int r = from; r < to; r++) out[r] = dotRow(r, x, 0);
            });
        } else {
            Parallel.forWork(0, rows, (long) cols * batch, ROW_TILE, (from, to) -> matmulBatched(x, out, batch, from, to));
        }
    }

    /** Each weight row is read (and dequantized) once, then dotted with every batch vector. */
    private void matmulBatched(float[] x, float[] out, int batch, int from, int to) {
        float[] tile = scratch(ROW_TILE * cols);
        for (int r0 = from; r0 < to; r0 += ROW_TILE) {
            int n = Math.min(ROW_TILE, to - r0);
            for (int t = 0; t < n; t++) dequantizeRow(r0 + t, tile, t * cols);
            for (int b = 0; b < batch; b++) {
                int xOff = b * cols;
                int outOff = b * rows + r0;
                int t = 0;
                for (; t + 4 <= n; t += 4) VectorKernels.dot4(tile, t * cols, cols, x, xOff, out, outOff + t);
                for (; t < n; t++) out[outOff + t] = VectorKernels.dot(tile, t * cols, x, xOff, cols);
            }
        }
    }

    private static float[] scratch(int size) {
        float[] s = SCRATCH.get();
        if (s.length < size) {
            s = new float[size];
            SCRATCH.set(s);
        }
        return s;
    }

    private void checkRow(int row) {
        if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row + " of " + rows);
    }

    @Override
    public String toString() {
        return type() + "[" + rows + "x" + cols + "]";
    }
}
