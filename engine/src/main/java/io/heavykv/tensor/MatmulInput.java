package io.heavykv.tensor;

/**
 * The form a matmul's input vectors take before the dot with a weight layout, chosen as llama.cpp's CPU backend
 * does for that weight type (its "vec_dot_type"), so that heavykv's logits follow the reference engine's
 * rounding instead of differing from it by a systematic bias.
 */
enum MatmulInput {
    /** Exact floats (F32 weights). */
    F32,
    /** Rounded to fp16 (F16 weights): the products are then exact in float, the sums float as in llama.cpp. */
    F16,
    /** Rounded to bfloat16 (BF16 weights). */
    BF16,
    /** 32-value blocks of int8 with an fp16 scale ({@link Q8Activations}), dotted in integers. */
    Q8,
    /** 256-value blocks of int8 with a float scale ({@link Q8KInput}), the K-quants' input, dotted as floats. */
    Q8K;

    /** {@code x[off .. off+n)} rounded in place to this input form's values (n a multiple of 32 for Q8, 256 for Q8K). */
    void round(float[] x, int off, int n) {
        switch (this) {
            case F16 -> {
                for (int i = off; i < off + n; i++) x[i] = Float.float16ToFloat(Float.floatToFloat16(x[i]));
            }
            case BF16 -> {
                for (int i = off; i < off + n; i++) x[i] = toBfloat16(x[i]);
            }
            case Q8 -> Q8Activations.roundInPlace(x, off, n);
            case Q8K -> Q8KInput.roundInPlace(x, off, n);
            case F32 -> { }
        }
    }

    /** Round to nearest even on the upper 16 bits; NaNs stay quiet NaNs of the same sign. */
    static float toBfloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return Float.intBitsToFloat((bits | 0x00400000) & 0xffff0000);
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(rounded & 0xffff0000);
    }
}
