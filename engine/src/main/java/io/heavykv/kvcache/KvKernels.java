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

    private final int headSize;
    private final VectorSpecies<Float> species;
    private final int vectorEnd;

    KvKernels(int headSize) {
        this.headSize = headSize;
        this.species = speciesFor(headSize);
        this.vectorEnd = species == null ? 0 : species.loopBound(headSize);
    }

    private static VectorSpecies<Float> speciesFor(int headSize) {
        for (VectorSpecies<Float> s : java.util.List.of(FloatVector.SPECIES_PREFERRED, FloatVector.SPECIES_256,
                FloatVector.SPECIES_128)) {
            if (s.length() <= headSize) return s;
        }
        return null;
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
        for (int t = 0; t < n; t++) {
            int r = base + t * headSize;
            float sum = 0f;
            int i = 0;
            if (species != null) {
                FloatVector acc = FloatVector.zero(species);
                for (; i < vectorEnd; i += species.length()) {
                    acc = FloatVector.fromArray(species, rows, r + i).fma(FloatVector.fromArray(species, q, qOffset + i), acc);
                }
                sum = acc.reduceLanes(VectorOperators.ADD);
            }
            for (; i < headSize; i++) sum += rows[r + i] * q[qOffset + i];
            out[outOffset + t] = sum;
        }
    }

    /** {@code out[outOffset + i] += sum over t < n of weights[wOffset + t] * rows[base + t * headSize + i]}. */
    void accumulateRows(float[] rows, int base, int n, float[] weights, int wOffset, float[] out, int outOffset) {
        int i = 0;
        if (species != null) {
            for (; i < vectorEnd; i += species.length()) {
                FloatVector acc = FloatVector.fromArray(species, out, outOffset + i);
                for (int t = 0; t < n; t++) {
                    acc = FloatVector.fromArray(species, rows, base + t * headSize + i)
                            .fma(FloatVector.broadcast(species, weights[wOffset + t]), acc);
                }
                acc.intoArray(out, outOffset + i);
            }
        }
        for (; i < headSize; i++) {
            float acc = out[outOffset + i];
            for (int t = 0; t < n; t++) acc += weights[wOffset + t] * rows[base + t * headSize + i];
            out[outOffset + i] = acc;
        }
    }
}
