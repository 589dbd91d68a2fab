package io.heavykv.model;

/**
 * Rotary position embedding as Llama uses it: each head's adjacent pairs (2i, 2i+1) are rotated by
 * {@code position * theta^(-2i / headSize)}. Cosines and sines are tabulated per position and the table
 * grows on demand, because cache-relative keys are re-rotated at every step.
 */
public final class Rope {
    private final int headSize;
    private final float[] inverseFrequency;
    private volatile float[] cos = new float[0];
    private volatile float[] sin = new float[0];

    public Rope(int headSize, float theta) {
        this.headSize = headSize;
        this.inverseFrequency = new float[headSize / 2];
        for (int i = 0; i < inverseFrequency.length; i++) {
            inverseFrequency[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headSize));
        }
    }

    public int headSize() { return headSize; }

    /** Rotates {@code heads} consecutive heads of {@code v}, starting at {@code offset}, to {@code position}. */
    public void rotate(float[] v, int offset, int heads, int position) {
        int half = headSize / 2;
        ensure(position);
        float[] c = cos;
        float[] s = sin;
        int base = position * half;
        for (int h = 0; h < heads; h++) {
            int o = offset + h * headSize;
            for (int i = 0; i < half; i++) {
                float fc = c[base + i];
                float fs = s[base + i];
                float v0 = v[o + 2 * i];
                float v1 = v[o + 2 * i + 1];
                v[o + 2 * i] = v0 * fc - v1 * fs;
                v[o + 2 * i + 1] = v0 * fs + v1 * fc;
            }
        }
    }

    private void ensure(int position) {
        if (position < 0) throw new IllegalArgumentException("negative position " + position);
        int half = headSize / 2;
        if ((position + 1) * half <= cos.length) return;
        synchronized (this) {
            int have = cos.length / half;
            if (position < have) return;
            int positions = Math.max(position + 1, Math.max(64, have * 2));
            float[] c = java.util.Arrays.copyOf(cos, positions * half);
            float[] s = java.util.Arrays.copyOf(sin, positions * half);
            for (int p = have; p < positions; p++) {
                for (int i = 0; i < half; i++) {
                    // Float arithmetic on purpose: it is what llama2.c and llama.cpp do, so greedy text matches theirs.
                    float angle = p * inverseFrequency[i];
                    c[p * half + i] = (float) Math.cos(angle);
                    s[p * half + i] = (float) Math.sin(angle);
                }
            }
            sin = s;
            cos = c;
        }
    }
}
