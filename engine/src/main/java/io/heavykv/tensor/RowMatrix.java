package io.heavykv.tensor;

/**
 * Shared driver of the matrices computed row by row: the rounding of the input to the layout's
 * {@link MatmulInput} form, the parallel split of matmul and the batched (prefill) path. Subclasses supply the
 * per-layout kernels: a fused dot for one row (with float or 8-bit input) and the dequantization of one row.
 */
abstract sealed class RowMatrix implements WeightMatrix permits MappedMatrix, Q8PackedMatrix {
    /** Rows dequantized together in the batched path: their floats stay in L2 while every batch vector passes. */
    private static final int ROW_TILE = 8;
    /** Rows per parallel chunk at batch 1, so a chunk streams enough bytes to amortise its hand-off. */
    private static final int MIN_ROWS_PER_CHUNK = 16;

    // Separate buffers, because the calling thread also works on a share of the rows while its rounded input is read.
    private static final ThreadLocal<float[]> INPUT = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[0]);

    final int rows;
    final int cols;

    RowMatrix(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
    }

    @Override public final int rows() { return rows; }
    @Override public final int cols() { return cols; }

    /** The form this layout's input vectors are rounded to before the dot, as in llama.cpp's CPU backend. */
    abstract MatmulInput input();

    /** Dot product of row {@code row} (in range) with {@code x[xOff ..]}, already in the {@link #input} form. */
    abstract float dotRow(int row, float[] x, int xOff);

    /** Dot product of row {@code row} (in range) with vector {@code vector} of {@code a}, for {@link MatmulInput#Q8}. */
    abstract float dotRowQ8(int row, Q8Activations a, int vector);

    /** What a kernel of the other input form throws: the drivers here call only the one {@link #input} names. */
    final IllegalStateException wrongInput() {
        return new IllegalStateException(this + " takes " + input() + " input");
    }

    /** Writes row {@code row} (in range) as floats into {@code out[outOff ..]}. */
    abstract void dequantizeRow(int row, float[] out, int outOff);

    @Override
    public final float dot(int row, float[] x, int xOffset) {
        checkRow(row);
        MatmulInput input = input();
        if (input == MatmulInput.Q8) return dotRowQ8(row, Q8Activations.of(x, xOffset, 1, cols), 0);
        if (input == MatmulInput.F32) return dotRow(row, x, xOffset);
        float[] rounded = scratch(cols);
        System.arraycopy(x, xOffset, rounded, 0, cols);
        input.round(rounded, 0, cols);
        return dotRow(row, rounded, 0);
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
        MatmulInput input = input();
        if (input == MatmulInput.Q8 && batch == 1) {
            Q8Activations a = Q8Activations.of(x, 0, 1, cols);
            Parallel.forWork(0, rows, cols, MIN_ROWS_PER_CHUNK, (from, to) -> {
                for (int r = from; r < to; r++) out[r] = dotRowQ8(r, a, 0);
            });
            return;
        }
        float[] in = x;
        if (input != MatmulInput.F32) {
            // The caller's thread rounds into its own scratch; the workers only read it.
            in = scratch(batch * cols);
            System.arraycopy(x, 0, in, 0, batch * cols);
            input.round(in, 0, batch * cols);
        }
        float[] xs = in;
        if (batch == 1) {
            Parallel.forWork(0, rows, cols, MIN_ROWS_PER_CHUNK, (from, to) -> {
                for (int r = from; r < to; r++) out[r] = dotRow(r, xs, 0);
            });
        } else {
            Parallel.forWork(0, rows, (long) cols * batch, ROW_TILE, (from, to) -> matmulBatched(xs, out, batch, from, to));
        }
    }

    /**
     * Each weight row is read (and dequantized) once, then dotted with every batch vector. For 8-bit inputs this
     * multiplies floats, the input rounded to the values its Q8 form holds: what the integer kernel computes up
     * to float rounding (and, for Q4_1 / Q5_1, up to the fp16 rounding of the block sum s), at the speed of the
     * float kernel. In Java an integer kernel without x86's byte multiply-add (pmaddubsw) cost about twice as
     * much per token here as this tile of floats reused across the batch.
     */
    private void matmulBatched(float[] x, float[] out, int batch, int from, int to) {
        float[] tile = tileScratch(ROW_TILE * cols);
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
        return grown(INPUT, size);
    }

    private static float[] tileScratch(int size) {
        return grown(TILE, size);
    }

    private static float[] grown(ThreadLocal<float[]> local, int size) {
        float[] s = local.get();
        if (s.length < size) {
            s = new float[size];
            local.set(s);
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
