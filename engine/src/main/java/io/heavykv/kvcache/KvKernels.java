package io.heavykv.kvcache;

import io.heavykv.tensor.VectorKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two attention loops over rows of one head: dot products with a query and a weighted sum of rows.
 * Vectorised along the head dimension with the widest vector that fits in one head, so head size 8 uses
 * 256-bit and head size 64 the preferred (512-bit on AVX-512) species.
 */
final class KvKernels {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    // The Vector API compiles to SIMD only when the species is a constant where the loop is compiled:
    // hence static finals, passed as literal arguments to methods small enough for C2 to inline.
    private static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> S128 = FloatVector.SPECIES_128;

    private final int headSize;
    private final int width;

    KvKernels(int headSize) {
        this.headSize = headSize;
        this.width = headSize >= WIDE.length() ? WIDE.length()
                : headSize >= S256.length() ? S256.length()
                : headSize >= S128.length() ? S128.length() : 1;
    }

    /** Per-thread buffers: attention may run heads on several threads. */
    static final class Scratch {
        private float[] rows = new float[0];
        private float[] swapped = new float[0];
        private int[] positions = new int[0];

        /** At least {@code size} floats for rows decoded from storage. */
        float[] rows(int size) {
            if (rows.length < size) rows = new float[size];
            return rows;
        }

        /** At least {@code size} ints for positions a caller computes rather than reads from a page. */
        int[] positions(int size) {
            if (positions.length < size) positions = new int[size];
            return positions;
        }

        private float[] swapped(int size) {
            if (swapped.length < size) swapped = new float[size];
            return swapped;
        }
    }

    static Scratch scratch() {
        return SCRATCH.get();
    }

    /**
     * The query with each pair (a, b) replaced by (b, -a), into this thread's scratch, for
     * {@link #rotatedDotRows}: {@code q . R(p) k = (R(-p) q) . k} and {@code R(-p) q = q * cos + swap(q) * sin}
     * element by element with the per-element (pair-duplicated) tables of {@link io.heavykv.model.Rope}.
     */
    float[] swappedQuery(Scratch scratch, float[] q, int qOffset) {
        float[] out = scratch.swapped(headSize);
        for (int j = 0; j < headSize; j += 2) {
            out[j] = q[qOffset + j + 1];
            out[j + 1] = -q[qOffset + j];
        }
        return out;
    }

    /**
     * {@code out[outOffset + t] = q . R(positions[pOffset + t]) rows[base + t * headSize ...]} for t < n: the
     * score of keys stored unrotated, rotated inside the dot product. {@code table} is a RoPE table
     * ({@link io.heavykv.model.Rope#table}) covering every position; {@code swapped} is {@link #swappedQuery}.
     * Per key this costs two vector operations more than {@link #dotRows} and no scalar rotation.
     */
    void rotatedDotRows(float[] rows, int base, int n, float[] q, int qOffset, float[] swapped, float[] table,
                        int[] positions, int pOffset, float[] out, int outOffset) {
        int done;
        if (width == WIDE.length()) done = rotatedDotRows(WIDE, rows, base, n, q, qOffset, swapped, table, positions, pOffset, out, outOffset);
        else if (width == S256.length()) done = rotatedDotRows(S256, rows, base, n, q, qOffset, swapped, table, positions, pOffset, out, outOffset);
        else if (width == S128.length()) done = rotatedDotRows(S128, rows, base, n, q, qOffset, swapped, table, positions, pOffset, out, outOffset);
        else done = 0;
        if (done == headSize) return;
        int stride = 2 * headSize;
        for (int t = 0; t < n; t++) {
            int r = base + t * headSize;
            int c = positions[pOffset + t] * stride;
            float sum = done == 0 ? 0f : out[outOffset + t];
            for (int j = done; j < headSize; j++) {
                sum += rows[r + j] * (q[qOffset + j] * table[c + j] + swapped[j] * table[c + headSize + j]);
            }
            out[outOffset + t] = sum;
        }
    }

    /** Vector part of rotatedDotRows, writing each key's partial sum; returns how many leading elements it covered. */
    private int rotatedDotRows(VectorSpecies<Float> species, float[] rows, int base, int n, float[] q, int qOffset,
                               float[] swapped, float[] table, int[] positions, int pOffset, float[] out, int outOffset) {
        int lanes = species.length();
        int end = species.loopBound(headSize);
        int stride = 2 * headSize;
        for (int t = 0; t < n; t++) {
            int r = base + t * headSize;
            int c = positions[pOffset + t] * stride;
            FloatVector acc = FloatVector.zero(species);
            for (int i = 0; i < end; i += lanes) {
                FloatVector cos = FloatVector.fromArray(species, table, c + i);
                FloatVector sin = FloatVector.fromArray(species, table, c + headSize + i);
                FloatVector query = FloatVector.fromArray(species, swapped, i)
                        .fma(sin, FloatVector.fromArray(species, q, qOffset + i).mul(cos));
                acc = FloatVector.fromArray(species, rows, r + i).fma(query, acc);
            }
            out[outOffset + t] = VectorKernels.sum(acc);
        }
        return end;
    }

    /** {@code out[outOffset + t] = q . rows[base + t * headSize ...]} for t < n. */
    void dotRows(float[] rows, int base, int n, float[] q, int qOffset, float[] out, int outOffset) {
        if (width == WIDE.length()) dotRows(WIDE, rows, base, n, q, qOffset, out, outOffset);
        else if (width == S256.length()) dotRows(S256, rows, base, n, q, qOffset, out, outOffset);
        else if (width == S128.length()) dotRows(S128, rows, base, n, q, qOffset, out, outOffset);
        else dotRowsScalar(rows, base, n, q, qOffset, out, outOffset);
    }

    /** {@code out[outOffset + i] += sum over t < n of weights[wOffset + t] * rows[base + t * headSize + i]}. */
    void accumulateRows(float[] rows, int base, int n, float[] weights, int wOffset, float[] out, int outOffset) {
        int done = 0;
        if (width == WIDE.length()) done = accumulateRows(WIDE, rows, base, n, weights, wOffset, out, outOffset);
        else if (width == S256.length()) done = accumulateRows(S256, rows, base, n, weights, wOffset, out, outOffset);
        else if (width == S128.length()) done = accumulateRows(S128, rows, base, n, weights, wOffset, out, outOffset);
        for (int i = done; i < headSize; i++) {
            float acc = out[outOffset + i];
            for (int t = 0; t < n; t++) acc += weights[wOffset + t] * rows[base + t * headSize + i];
            out[outOffset + i] = acc;
        }
    }

    private void dotRows(VectorSpecies<Float> species, float[] rows, int base, int n, float[] q, int qOffset,
                         float[] out, int outOffset) {
        int lanes = species.length();
        int end = species.loopBound(headSize);
        for (int t = 0; t < n; t++) {
            int r = base + t * headSize;
            FloatVector acc = FloatVector.zero(species);
            for (int i = 0; i < end; i += lanes) {
                acc = FloatVector.fromArray(species, rows, r + i).fma(FloatVector.fromArray(species, q, qOffset + i), acc);
            }
            float sum = VectorKernels.sum(acc);
            for (int i = end; i < headSize; i++) sum += rows[r + i] * q[qOffset + i];
            out[outOffset + t] = sum;
        }
    }

    private void dotRowsScalar(float[] rows, int base, int n, float[] q, int qOffset, float[] out, int outOffset) {
        for (int t = 0; t < n; t++) {
            int r = base + t * headSize;
            float sum = 0f;
            for (int i = 0; i < headSize; i++) sum += rows[r + i] * q[qOffset + i];
            out[outOffset + t] = sum;
        }
    }

    /** Vector part of accumulateRows; returns how many leading elements it covered. */
    private int accumulateRows(VectorSpecies<Float> species, float[] rows, int base, int n, float[] weights, int wOffset,
                               float[] out, int outOffset) {
        int lanes = species.length();
        int end = species.loopBound(headSize);
        for (int i = 0; i < end; i += lanes) {
            FloatVector acc = FloatVector.fromArray(species, out, outOffset + i);
            for (int t = 0; t < n; t++) {
                acc = FloatVector.fromArray(species, rows, base + t * headSize + i)
                        .fma(FloatVector.broadcast(species, weights[wOffset + t]), acc);
            }
            acc.intoArray(out, outOffset + i);
        }
        return end;
    }
}
