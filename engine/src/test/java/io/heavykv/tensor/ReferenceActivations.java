package io.heavykv.tensor;

/**
 * Input vectors quantized the way llama.cpp's x86 CPU backend does for its Q8_0 / Q8_1 dot products, written
 * out element by element, independently of {@link Q8Activations}: per 32-value block, d = max|x| / 127 rounded
 * to fp16, q = x * (127 / max|x|) rounded half to even, s = d * sum(q) rounded to fp16.
 */
record ReferenceActivations(int cols, int[] q, float[] d, float[] s) {
    static final int BLOCK = 32;

    static ReferenceActivations of(float[] x, int xOff, int vectors, int cols) {
        int blocks = vectors * cols / BLOCK;
        int[] q = new int[vectors * cols];
        float[] d = new float[blocks];
        float[] s = new float[blocks];
        for (int b = 0; b < blocks; b++) {
            float max = 0;
            for (int i = 0; i < BLOCK; i++) {
                float a = Math.abs(x[xOff + b * BLOCK + i]);
                if (a > max) max = a;
            }
            // A block whose 127 / max overflows is all zeros to llama.cpp (its scale is fp16 zero, its sums wrap to 0).
            float inverse = max == 0 || Float.isInfinite(127f / max) ? 0 : 127f / max;
            int sum = 0;
            for (int i = 0; i < BLOCK; i++) {
                int v = halfToEven(x[xOff + b * BLOCK + i] * inverse);
                q[b * BLOCK + i] = v;
                sum += v;
            }
            d[b] = fp16(max / 127f);
            s[b] = fp16(max / 127f * sum);
        }
        return new ReferenceActivations(cols, q, d, s);
    }

    /** The value of input element {@code i} (over all vectors) as the quantized form holds it, q * d. */
    double value(int i) {
        return (double) q[i] * d[i / BLOCK];
    }

    private static int halfToEven(float v) {
        double floor = Math.floor(v);
        double frac = v - floor;
        long f = (long) floor;
        if (frac > 0.5 || (frac == 0.5 && (f & 1) != 0)) f++;
        return (int) f;
    }

    private static float fp16(float v) {
        return Float.float16ToFloat(Float.floatToFloat16(v));
    }
}
