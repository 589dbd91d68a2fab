package io.heavykv.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static io.heavykv.tensor.VectorKernels.F;
import static io.heavykv.tensor.VectorKernels.L;

/**
 * Input vectors rounded as llama.cpp's CPU backend (its x86 SIMD path) rounds them for the integer dot with
 * 32-element weight blocks, its Q8_0 and Q8_1 forms. Per block of 32 values: {@code d = max|x| / 127}, kept as
 * fp16; {@code q = x * (127 / max|x|)} rounded half to even (the reciprocal of the unrounded max, not 1/d); and,
 * for the affine weight types (Q4_1, Q5_1), {@code s = d * sum(q)}, also kept as fp16. Q8_0 and Q8_1 share d
 * and q, so one form serves both.
 */
final class Q8Activations {
    static final int BLOCK = 32;
    private static final float ROUNDER = 0x1.8p23f;
    /** Shorts matching the float lanes one for one. */
    private static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    private static final ThreadLocal<Q8Activations> SCRATCH = ThreadLocal.withInitial(Q8Activations::new);

    /**
     * [vectors * cols] int8 quants, vector after vector, held as shorts: the integer dot multiplies 16-bit lanes,
     * and every weight row of a matmul reads the same input, so it is widened here once rather than per row.
     */
    short[] quants = new short[0];
    /** [vectors * cols / 32] block scales d, fp16 values widened to float. */
    float[] scales = new float[0];
    /** [vectors * cols / 32] block sums s = d * sum(q), fp16 values widened to float. */
    float[] sums = new float[0];
    int cols;

    private Q8Activations() {
    }

    /**
     * {@code vectors} consecutive vectors of {@code cols} values (a multiple of 32) from {@code x[xOff ..]},
     * quantized into this thread's reusable buffers: valid until the thread's next call.
     */
    static Q8Activations of(float[] x, int xOff, int vectors, int cols) {
        Q8Activations a = SCRATCH.get();
        a.reserve(vectors, cols);
        for (int v = 0; v < vectors; v++) a.quantize(x, xOff + v * cols, v);
        return a;
    }

    /** Rounds {@code x[off .. off+n)} in place to the values its 8-bit form holds, q * d (float kernels' input). */
    static void roundInPlace(float[] x, int off, int n) {
        for (int from = off; from < off + n; from += BLOCK) {
            float max = blockMax(x, from);
            float d = fp16(max / 127f);
            float inverse = inverse(max);
            for (int i = 0; i < BLOCK; i += L) quants(x, from + i, inverse).mul(d).intoArray(x, from + i);
        }
    }

    private void reserve(int vectors, int cols) {
        this.cols = cols;
        int n = vectors * cols;
        if (quants.length < n) quants = new short[n];
        if (scales.length < n / BLOCK) {
            scales = new float[n / BLOCK];
            sums = new float[n / BLOCK];
        }
    }

    private void quantize(float[] x, int xOff, int vector) {
        for (int blk = 0, blocks = cols / BLOCK; blk < blocks; blk++) {
            int from = xOff + blk * BLOCK;
            float max = blockMax(x, from);
            float d = max / 127f;
            float inverse = inverse(max);
            int q0 = vector * cols + blk * BLOCK;
            float sum = 0;
            for (int i = 0; i < BLOCK; i += L) {
                FloatVector q = quants(x, from + i, inverse);
                // Whole numbers of at most 32 * 127 in magnitude: every order of this sum is exact.
                sum += q.reduceLanes(VectorOperators.ADD);
                q.convertShape(VectorOperators.F2S, SHORTS, 0).reinterpretAsShorts().intoArray(quants, q0 + i);
            }
            int b = vector * (cols / BLOCK) + blk;
            scales[b] = fp16(d);
            sums[b] = fp16(d * sum);
        }
    }

    private static float blockMax(float[] x, int from) {
        FloatVector max = FloatVector.fromArray(F, x, from).abs();
        for (int i = L; i < BLOCK; i += L) max = max.max(FloatVector.fromArray(F, x, from + i).abs());
        return max.reduceLanes(VectorOperators.MAX);
    }

    /**
     * The multiplier 127 / max of the unrounded max (llama.cpp does not use 1 / d); 0 for a zero block, and for a
     * block so small (max below 127 / Float.MAX_VALUE) that it overflows: there llama.cpp's scale d is fp16 zero
     * and its quants saturate to sums that wrap to zero, so the block contributes nothing, as zero quants do.
     */
    private static float inverse(float max) {
        float inverse = 127f / max;
        return max != 0 && Float.isFinite(inverse) ? inverse : 0f;
    }

    /**
     * {@code x[i .. i+L) * inverse} rounded to whole numbers, ties to even as x86's round instruction does:
     * adding and taking away 1.5 * 2^23 leaves the rounding to the float adder (exact for |v| < 2^22; |v| is at
     * most 127 here, to within a rounding).
     */
    private static FloatVector quants(float[] x, int i, float inverse) {
        return FloatVector.fromArray(F, x, i).mul(inverse).add(ROUNDER).sub(ROUNDER);
    }

    private static float fp16(float v) {
        return Float.float16ToFloat(Float.floatToFloat16(v));
    }
}
