package io.heavykv.tensor;

import java.lang.foreign.MemorySegment;

import static io.heavykv.tensor.VectorKernels.SHORT_LE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Encoders of the 256-element K-quant super-blocks, following GGML's reference (no importance matrix) method:
 * Q4_K and Q5_K fit a scale and a min per 32 elements by weighted least squares over a sweep of trial scales,
 * Q6_K a signed scale per 16 elements by a sweep that maximises the captured energy; the sub-block scales are
 * then quantized to 6 or 8 bits against an fp16 super-scale and the elements re-rounded against what a
 * decoder will really use.
 */
final class KQuantizer {
    static final int BLOCK = 256;
    private static final int SUB = 32;
    private static final float GROUP_MAX_EPS = 1e-15f;

    private KQuantizer() {
    }

    /** One Q4_K super-block of {@code x[off ..]} at byte {@code o} (144 bytes). */
    static void q4K(float[] x, int off, MemorySegment dst, long o) {
        int[] levels = new int[BLOCK];
        scaleMinBlock(x, off, 15, -1f, 0.1f, 20, levels, dst, o);
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < SUB; l++) {
                int q = levels[64 * c + l] | (levels[64 * c + SUB + l] << 4);
                dst.set(JAVA_BYTE, o + 16 + SUB * c + l, (byte) q);
            }
        }
    }

    /** One Q5_K super-block of {@code x[off ..]} at byte {@code o} (176 bytes). */
    static void q5K(float[] x, int off, MemorySegment dst, long o) {
        int[] levels = new int[BLOCK];
        scaleMinBlock(x, off, 31, -0.5f, 0.1f, 15, levels, dst, o);
        for (int l = 0; l < SUB; l++) {
            int qh = 0;
            for (int c = 0; c < 4; c++) {
                int lo = levels[64 * c + l];
                int hi = levels[64 * c + SUB + l];
                qh |= (lo >>> 4) << (2 * c) | (hi >>> 4) << (2 * c + 1);
                dst.set(JAVA_BYTE, o + 48 + SUB * c + l, (byte) ((lo & 0x0f) | (hi & 0x0f) << 4));
            }
            dst.set(JAVA_BYTE, o + 16 + l, (byte) qh);
        }
    }

    /** One Q6_K super-block of {@code x[off ..]} at byte {@code o} (210 bytes). */
    static void q6K(float[] x, int off, MemorySegment dst, long o) {
        int[] levels = new int[BLOCK];
        float[] scales = new float[16];
        float maxScale = 0;
        float maxAbsScale = 0;
        for (int s = 0; s < 16; s++) {
            scales[s] = signedScale(x, off + 16 * s, levels, 16 * s);
            if (Math.abs(scales[s]) > maxAbsScale) {
                maxAbsScale = Math.abs(scales[s]);
                maxScale = scales[s];
            }
        }
        if (maxAbsScale < GROUP_MAX_EPS) {
            dst.asSlice(o, 210).fill((byte) 0);
            return;
        }
        // The largest scale maps onto -128, so the int8 scales use their whole range.
        float iscale = -128f / maxScale;
        dst.set(SHORT_LE, o + 208, Float.floatToFloat16(1 / iscale));
        float d = Float.float16ToFloat(Float.floatToFloat16(1 / iscale));
        for (int s = 0; s < 16; s++) {
            int sc = Math.min(127, nearest(iscale * scales[s]));
            dst.set(JAVA_BYTE, o + 192 + s, (byte) sc);
            float ds = d * sc;
            if (ds == 0) continue;
            for (int i = 16 * s; i < 16 * s + 16; i++) levels[i] = clamp(nearest(x[off + i] / ds), -32, 31) + 32;
        }
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < SUB; l++) {
                int base = 128 * h + l;
                int q0 = levels[base];
                int q1 = levels[base + 32];
                int q2 = levels[base + 64];
                int q3 = levels[base + 96];
                dst.set(JAVA_BYTE, o + 64 * h + l, (byte) ((q0 & 0x0f) | (q2 & 0x0f) << 4));
                dst.set(JAVA_BYTE, o + 64 * h + 32 + l, (byte) ((q1 & 0x0f) | (q3 & 0x0f) << 4));
                int qh = (q0 >>> 4) | (q1 >>> 4) << 2 | (q2 >>> 4) << 4 | (q3 >>> 4) << 6;
                dst.set(JAVA_BYTE, o + 128 + 32 * h + l, (byte) qh);
            }
        }
    }

    /**
     * Shared by Q4_K and Q5_K: fits each sub-block, writes d, dmin and the packed 6-bit scales and mins at
     * {@code o}, and leaves the final levels 0..nmax of all 256 elements in {@code levels}.
     */
    private static void scaleMinBlock(float[] x, int off, int nmax, float rmin, float rdelta, int nstep,
                                      int[] levels, MemorySegment dst, long o) {
        float[] scales = new float[KScales.SUB_BLOCKS];
        float[] mins = new float[KScales.SUB_BLOCKS];
        float[] weights = new float[SUB];
        float maxScale = 0;
        float maxMin = 0;
        for (int j = 0; j < KScales.SUB_BLOCKS; j++) {
            int at = off + SUB * j;
            float sumX2 = 0;
            for (int l = 0; l < SUB; l++) sumX2 += x[at + l] * x[at + l];
            // Weights favour large values over the sub-block's RMS, where errors cost most.
            float rms = (float) Math.sqrt(sumX2 / SUB);
            for (int l = 0; l < SUB; l++) weights[l] = rms + Math.abs(x[at + l]);
            scales[j] = fitScaleMin(x, at, nmax, weights, levels, SUB * j, mins, j, rmin, rdelta, nstep);
            maxScale = Math.max(maxScale, scales[j]);
            maxMin = Math.max(maxMin, mins[j]);
        }
        float invScale = maxScale > 0 ? 63f / maxScale : 0f;
        float invMin = maxMin > 0 ? 63f / maxMin : 0f;
        int[] ls = new int[KScales.SUB_BLOCKS];
        int[] lm = new int[KScales.SUB_BLOCKS];
        for (int j = 0; j < KScales.SUB_BLOCKS; j++) {
            ls[j] = clamp(nearest(invScale * scales[j]), 0, 63);
            lm[j] = clamp(nearest(invMin * mins[j]), 0, 63);
        }
        short d = Float.floatToFloat16(maxScale / 63f);
        short dmin = Float.floatToFloat16(maxMin / 63f);
        dst.set(SHORT_LE, o, d);
        dst.set(SHORT_LE, o + 2, dmin);
        KScales.pack(ls, lm, dst, o + 4);
        for (int j = 0; j < KScales.SUB_BLOCKS; j++) {
            float dj = Float.float16ToFloat(d) * ls[j];
            if (dj == 0) continue;
            float mj = Float.float16ToFloat(dmin) * lm[j];
            for (int i = SUB * j; i < SUB * j + SUB; i++) levels[i] = clamp(nearest((x[off + i] + mj) / dj), 0, nmax);
        }
    }

    /**
     * Levels 0..nmax for {@code x[at .. at+32)} with x ~ scale * level - min, into {@code levels[lOff ..]};
     * returns the scale and stores the min (subtracted, so non-negative) in {@code mins[j]}. Starts from the
     * plain min-max fit, then tries {@code nstep + 1} stretched scales, solving the weighted least squares for
     * scale and min at each, and keeps the one with the smallest weighted squared error.
     */
    private static float fitScaleMin(float[] x, int at, int nmax, float[] w, int[] levels, int lOff, float[] mins,
                                     int j, float rmin, float rdelta, int nstep) {
        int n = SUB;
        float min = x[at];
        float max = x[at];
        float sumW = w[0];
        float sumX = sumW * x[at];
        for (int i = 1; i < n; i++) {
            float v = x[at + i];
            if (v < min) min = v;
            if (v > max) max = v;
            sumW += w[i];
            sumX += w[i] * v;
        }
        if (min > 0) min = 0;
        if (max == min) {
            for (int i = 0; i < n; i++) levels[lOff + i] = 0;
            mins[j] = -min;
            return 0f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int l = clamp(nearest(iscale * (x[at + i] - min)), 0, nmax);
            levels[lOff + i] = l;
            float diff = scale * l + min - x[at + i];
            bestError += w[i] * diff * diff;
        }
        int[] trial = new int[n];
        for (int step = 0; step <= nstep; step++) {
            iscale = (rmin + rdelta * step + nmax) / (max - min);
            float sumL = 0;
            float sumL2 = 0;
            float sumXL = 0;
            for (int i = 0; i < n; i++) {
                int l = clamp(nearest(iscale * (x[at + i] - min)), 0, nmax);
                trial[i] = l;
                sumL += w[i] * l;
                sumL2 += w[i] * l * l;
                sumXL += w[i] * l * x[at + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det <= 0) continue;
            float thisScale = (sumW * sumXL - sumX * sumL) / det;
            float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
            // The format only subtracts a min; a fit wanting to add one is refitted through zero.
            if (thisMin > 0) {
                thisMin = 0;
                thisScale = sumXL / sumL2;
            }
            float error = 0;
            for (int i = 0; i < n; i++) {
                float diff = thisScale * trial[i] + thisMin - x[at + i];
                error += w[i] * diff * diff;
            }
            if (error < bestError) {
                System.arraycopy(trial, 0, levels, lOff, n);
                bestError = error;
                scale = thisScale;
                min = thisMin;
            }
        }
        mins[j] = -min;
        return scale;
    }

    /**
     * Q6_K's per-16 fit: levels 0..63 (stored offset by 32) for {@code x[at .. at+16)} into {@code levels[lOff ..]},
     * returning the signed scale. The value of largest magnitude maps onto -32; nineteen stretches of that
     * scale are tried and the one maximising (sum w x l)^2 / (sum w l^2) with w = x^2 wins.
     */
    private static float signedScale(float[] x, int at, int[] levels, int lOff) {
        int n = 16;
        int nmax = 32;
        float max = 0;
        float amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[at + i]);
            if (ax > amax) {
                amax = ax;
                max = x[at + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) levels[lOff + i] = 0;
            return 0f;
        }
        float iscale = -nmax / max;
        float sumLX = 0;
        float sumL2 = 0;
        for (int i = 0; i < n; i++) {
            float v = x[at + i];
            int l = clamp(nearest(iscale * v), -nmax, nmax - 1);
            levels[lOff + i] = l + nmax;
            float w = v * v;
            sumLX += w * v * l;
            sumL2 += w * l * l;
        }
        float scale = sumL2 != 0 ? sumLX / sumL2 : 0f;
        float best = scale * sumLX;
        for (int step = -9; step <= 9; step++) {
            if (step == 0) continue;
            iscale = -(nmax + 0.1f * step) / max;
            sumLX = 0;
            sumL2 = 0;
            for (int i = 0; i < n; i++) {
                float v = x[at + i];
                int l = clamp(nearest(iscale * v), -nmax, nmax - 1);
                float w = v * v;
                sumLX += w * v * l;
                sumL2 += w * l * l;
            }
            if (sumL2 > 0 && sumLX * sumLX > best * sumL2) {
                for (int i = 0; i < n; i++) levels[lOff + i] = nmax + clamp(nearest(iscale * x[at + i]), -nmax, nmax - 1);
                scale = sumLX / sumL2;
                best = scale * sumLX;
            }
        }
        return scale;
    }

    /** Round half to even, as GGML's nearest_int does for the magnitudes that occur here. */
    private static int nearest(float v) {
        return (int) Math.rint(v);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
