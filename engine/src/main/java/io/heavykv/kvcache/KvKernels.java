package io.heavykv.kvcache;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import io.heavykv.model.Rope;
import io.heavykv.tensor.VectorKernels;

/**
 * The attention loops over rows of one head: dot products with a query (plain, or with the key rotated
 * inside the product) and a weighted sum of rows. Vectorised along the head dimension.
 *
 * <p>Every loop uses the one preferred species, masked only where a head ends inside a vector (head size 8 on
 * AVX-512 fills half a vector). The Vector API compiles to SIMD only where the species is a constant; a
 * species passed as an argument is one only if C2 inlines the callee, and kernels this size are often not
 * inlined, which left them an order of magnitude slower.
 *
 * <p>Each dot product ends in {@link VectorKernels#sum}, a fixed halving tree of lane-wise adds: the same order at every
 * JIT tier (which {@code reduceLanes} does not promise) at a fraction of the cost of adding lanes one by one,
 * which dominated the score loop for short heads.
 */
final class KvKernels {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** The matrix kernels' species: preferred, capped at the 16 lanes {@link VectorKernels#sum} handles. */
    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = F.length();

    private final Rope rope;
    private final int headSize;
    /** headSize rounded up to whole vectors: the query copies are padded so every load stays in range. */
    private final int padded;
    /**
     * headSize rounded down to whole vectors. The loops run plain loads up to here and a masked one only for the
     * rest: a masked load (and building its mask) costs several times a plain one, and the two read the same
     * values, so the sums come out bit for bit the same.
     */
    private final int whole;

    /** Kernels for heads of {@code rope}'s size, rotating keys inside scores the way {@code rope} does. */
    KvKernels(Rope rope) {
        this.rope = rope;
        this.headSize = rope.headSize();
        this.padded = (headSize + L - 1) / L * L;
        this.whole = headSize / L * L;
    }

    /** Per-thread buffers: attention may run heads on several threads. */
    static final class Scratch {
        private float[] rows = new float[0];
        private float[] query = new float[0];
        private int[] positions = new int[0];

        /** At least {@code size} floats (plus a vector of slack) for rows decoded from storage. */
        float[] rows(int size) {
            if (rows.length < size + L) rows = new float[size + L];
            return rows;
        }

        /** At least {@code size} ints for positions a caller computes rather than reads from a page. */
        int[] positions(int size) {
            if (positions.length < size) positions = new int[size];
            return positions;
        }

        private float[] query(int size) {
            if (query.length < size) query = new float[size];
            return query;
        }
    }

    static Scratch scratch() {
        return SCRATCH.get();
    }

    /**
     * {@code queries} consecutive heads of a query, from {@code q[qOffset]}, prepared for {@link #dotRows} and
     * {@link #rotatedDotRows} in this thread's scratch, head j from {@code j * }{@link #queryStride()}: the head at
     * [0, headSize), and, when {@code rotating}, at [padded, padded + headSize) its pairs swapped
     * ({@link Rope#swapPairs}), so that {@code R(-p) q = q * cos + swapped * sin} element by element with the
     * pair-duplicated tables of {@link Rope}, whichever way the model pairs dimensions.
     */
    float[] queries(Scratch scratch, float[] q, int qOffset, int queries, boolean rotating) {
        float[] out = scratch.query(queries * queryStride());
        for (int j = 0; j < queries; j++) {
            int from = qOffset + j * headSize;
            System.arraycopy(q, from, out, j * queryStride(), headSize);
            if (rotating) rope.swapPairs(q, from, out, j * queryStride() + padded);
        }
        return out;
    }

    /** Distance between two heads prepared by {@link #queries}. */
    int queryStride() {
        return 2 * padded;
    }

    /**
     * {@code out[outOffset + t] = query . rows[base + t * headSize ...]} for t < n; the query head is the one
     * {@link #queries} put at {@code at}.
     */
    void dotRows(float[] rows, int base, int n, float[] query, int at, float[] out, int outOffset) {
        for (int t = 0; t < n; t++) {
            int r = base + t * headSize;
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (; i < whole; i += L) {
                acc = FloatVector.fromArray(F, rows, r + i).fma(FloatVector.fromArray(F, query, at + i), acc);
            }
            if (i < headSize) {
                VectorMask<Float> m = F.indexInRange(i, headSize);
                acc = FloatVector.fromArray(F, rows, r + i, m).fma(FloatVector.fromArray(F, query, at + i, m), acc);
            }
            out[outOffset + t] = VectorKernels.sum(acc);
        }
    }

    /**
     * {@code out[outOffset + t] = q . R(positions[t]) rows[base + t * headSize ...]} for t < n: the
     * score of keys stored unrotated, rotated inside the dot product. {@code table} is a RoPE table
     * ({@link io.heavykv.model.Rope#table}) covering every position; the query head is the one {@link #queries}
     * put at {@code at}, rotating.
     * Per key this costs two vector operations more than {@link #dotRows} and no scalar rotation.
     */
    void rotatedDotRows(float[] rows, int base, int n, float[] query, int at, float[] table, int[] positions,
                        float[] out, int outOffset) {
        int stride = 2 * headSize;
        for (int t = 0; t < n; t++) {
            int r = base + t * headSize;
            int c = positions[t] * stride;
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (; i < whole; i += L) {
                FloatVector cos = FloatVector.fromArray(F, table, c + i);
                FloatVector sin = FloatVector.fromArray(F, table, c + headSize + i);
                FloatVector rotated = FloatVector.fromArray(F, query, at + padded + i)
                        .fma(sin, FloatVector.fromArray(F, query, at + i).mul(cos));
                acc = FloatVector.fromArray(F, rows, r + i).fma(rotated, acc);
            }
            if (i < headSize) {
                VectorMask<Float> m = F.indexInRange(i, headSize);
                FloatVector cos = FloatVector.fromArray(F, table, c + i, m);
                FloatVector sin = FloatVector.fromArray(F, table, c + headSize + i, m);
                FloatVector rotated = FloatVector.fromArray(F, query, at + padded + i, m)
                        .fma(sin, FloatVector.fromArray(F, query, at + i, m).mul(cos));
                acc = FloatVector.fromArray(F, rows, r + i, m).fma(rotated, acc);
            }
            out[outOffset + t] = VectorKernels.sum(acc);
        }
    }

    /** {@code out[outOffset + i] += sum over t < n of weights[wOffset + t] * rows[base + t * headSize + i]}. */
    void accumulateRows(float[] rows, int base, int n, float[] weights, int wOffset, float[] out, int outOffset) {
        int i = 0;
        // Four vectors of the head at a time: one chain of dependent FMAs per vector leaves the FMA unit waiting on
        // its latency, four independent ones keep it busy. Each element still adds its rows in order: same sums.
        for (; i + 4 * L <= whole; i += 4 * L) {
            int o = outOffset + i;
            FloatVector a0 = FloatVector.fromArray(F, out, o);
            FloatVector a1 = FloatVector.fromArray(F, out, o + L);
            FloatVector a2 = FloatVector.fromArray(F, out, o + 2 * L);
            FloatVector a3 = FloatVector.fromArray(F, out, o + 3 * L);
            for (int t = 0; t < n; t++) {
                FloatVector w = FloatVector.broadcast(F, weights[wOffset + t]);
                int r = base + t * headSize + i;
                a0 = FloatVector.fromArray(F, rows, r).fma(w, a0);
                a1 = FloatVector.fromArray(F, rows, r + L).fma(w, a1);
                a2 = FloatVector.fromArray(F, rows, r + 2 * L).fma(w, a2);
                a3 = FloatVector.fromArray(F, rows, r + 3 * L).fma(w, a3);
            }
            a0.intoArray(out, o);
            a1.intoArray(out, o + L);
            a2.intoArray(out, o + 2 * L);
            a3.intoArray(out, o + 3 * L);
        }
        for (; i < whole; i += L) {
            FloatVector acc = FloatVector.fromArray(F, out, outOffset + i);
            for (int t = 0; t < n; t++) {
                acc = FloatVector.fromArray(F, rows, base + t * headSize + i).fma(FloatVector.broadcast(F, weights[wOffset + t]), acc);
            }
            acc.intoArray(out, outOffset + i);
        }
        if (i < headSize) {
            VectorMask<Float> m = F.indexInRange(i, headSize);
            FloatVector acc = FloatVector.fromArray(F, out, outOffset + i, m);
            for (int t = 0; t < n; t++) {
                acc = FloatVector.fromArray(F, rows, base + t * headSize + i, m)
                        .fma(FloatVector.broadcast(F, weights[wOffset + t]), acc);
            }
            acc.intoArray(out, outOffset + i, m);
        }
    }
}
