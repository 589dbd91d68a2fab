package io.heavykv.tensor;

import java.util.Arrays;

/**
 * Input vectors rounded as llama.cpp's CPU backend rounds them for its K-quant dot products, its Q8_K form (the
 * x86 build uses the reference quantizer). Per block of 256 values: {@code max} is the first value of the largest
 * magnitude, signed; {@code q = x * (-127 / max)} rounded half to even, at most 127; {@code d = 1 / (-127 / max)},
 * a float (not fp16, unlike the 32-value forms). The K-quant kernels then multiply the values q * d as floats: the
 * integer dot llama.cpp computes, up to float rounding.
 */
final class Q8KInput {
    static final int BLOCK = 256;

    private Q8KInput() {
    }

    /** Rounds {@code x[off .. off+n)} in place (n a multiple of 256) to the values its Q8_K form holds, q * d. */
    static void roundInPlace(float[] x, int off, int n) {
        for (int from = off; from < off + n; from += BLOCK) {
            float max = 0;
            float amax = 0;
            for (int i = from; i < from + BLOCK; i++) {
                float a = Math.abs(x[i]);
                if (a > amax) {
                    amax = a;
                    max = x[i];
                }
            }
            if (amax == 0) {
                Arrays.fill(x, from, from + BLOCK, 0f);
                continue;
            }
            float inverse = -127f / max;
            float d = 1f / inverse;
            for (int i = from; i < from + BLOCK; i++) {
                // rint rounds half to even, as the float adder does in llama.cpp's nearest_int.
                x[i] = (float) Math.min(127, Math.rint(inverse * x[i])) * d;
            }
        }
    }
}
