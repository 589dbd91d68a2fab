package io.heavykv.tensor;

/** Numerically stable softmax, shared by attention scores and token sampling. */
public final class Softmax {
    private Softmax() {}

    /**
     * Replaces {@code x[offset .. offset+length)} by its softmax. The maximum is subtracted first so large
     * logits cannot overflow {@code exp}; {@code -Infinity} entries (masked positions) become exactly 0.
     *
     * @throws IllegalArgumentException if the range is empty, holds a NaN, or is entirely {@code -Infinity}
     */
    public static void inPlace(float[] x, int offset, int length) {
        if (length <= 0) throw new IllegalArgumentException("softmax over an empty range");
        int end = offset + length;
        float max = x[offset];
        for (int i = offset + 1; i < end; i++) {
            // Math.max propagates NaN, so one check after the loop catches any NaN input.
            max = Math.max(max, x[i]);
        }
        if (Float.isNaN(max)) throw new IllegalArgumentException("softmax input contains NaN");
        if (max == Float.NEGATIVE_INFINITY) throw new IllegalArgumentException("softmax input is all -Infinity");
        if (max == Float.POSITIVE_INFINITY) throw new IllegalArgumentException("softmax input contains +Infinity");
        float sum = 0f;
        for (int i = offset; i < end; i++) {
            float e = (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = offset; i < end; i++) x[i] *= inv;
    }
}
