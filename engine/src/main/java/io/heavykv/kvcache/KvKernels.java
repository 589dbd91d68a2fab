package io.heavykv.kvcache;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two attention loops over rows of one head: dot products with a query and a weighted sum of rows.
 * Vectorised along the head dimension with the widest vector that fits in one head, so head size 8 uses
 * 256-bit and head size 64 the preferred (512-bit on AVX-512) species.
 */
final class KvKernels {
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
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

    /** A per-thread buffer of at least {@code size} floats: attention may run heads on several threads. */
    static float[] scratch(int size) {
        float[] buffer = SCRATCH.get();
        if (buffer.length < size) {
            buffer = new float[size];
            SCRATCH.set(buffer);
        }
        return buffer;
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
            float sum = acc.reduceLanes(VectorOperators.ADD);
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
