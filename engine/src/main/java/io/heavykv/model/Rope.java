package io.heavykv.model;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rotary position embedding as Llama uses it: each head's adjacent pairs (2i, 2i+1) are rotated by
 * {@code position * theta^(-2i / headSize)}.
 *
 * <p>Cosines and sines are tabulated per position, each duplicated across its pair so that element j of a
 * head reads entry j: position p occupies {@code [p * stride(), (p + 1) * stride())} of {@link #table}, cosines
 * first, then sines. That layout lets a vector kernel rotate keys inside the attention score (keys stored
 * unrotated are rotated at every step). The table grows on demand and one instance per head size and theta
 * ({@link #of}) serves the forward pass and every cache.
 */
public final class Rope {
    private static final ConcurrentHashMap<Shape, Rope> SHARED = new ConcurrentHashMap<>();

    private final int headSize;
    private final float[] inverseFrequency;
    private volatile float[] table = new float[0];

    private record Shape(int headSize, float theta) {}

    public Rope(int headSize, float theta) {
        if (headSize <= 0 || headSize % 2 != 0) {
            throw new IllegalArgumentException("RoPE needs a positive even head size, got " + headSize);
        }
        this.headSize = headSize;
        this.inverseFrequency = new float[headSize / 2];
        for (int i = 0; i < inverseFrequency.length; i++) {
            inverseFrequency[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headSize));
        }
    }

    /** The instance shared by everything that rotates heads of this size with this theta. */
    public static Rope of(int headSize, float theta) {
        return SHARED.computeIfAbsent(new Shape(headSize, theta), s -> new Rope(s.headSize(), s.theta()));
    }

    public int headSize() { return headSize; }

    /** Floats per position in {@link #table}: headSize cosines, then headSize sines. */
    public int stride() { return 2 * headSize; }

    /**
     * The table covering at least positions {@code [0, maxPosition]}. The returned array never changes;
     * a later call may return a longer one.
     */
    public float[] table(int maxPosition) {
        ensure(maxPosition);
        return table;
    }

    /** Rotates {@code heads} consecutive heads of {@code v}, starting at {@code offset}, to {@code position}. */
    public void rotate(float[] v, int offset, int heads, int position) {
        float[] t = table(position);
        int base = position * stride();
        for (int h = 0; h < heads; h++) {
            int o = offset + h * headSize;
            for (int j = 0; j < headSize; j += 2) {
                float fc = t[base + j];
                float fs = t[base + headSize + j];
                float v0 = v[o + j];
                float v1 = v[o + j + 1];
                v[o + j] = v0 * fc - v1 * fs;
                v[o + j + 1] = v0 * fs + v1 * fc;
            }
        }
    }

    private void ensure(int position) {
        if (position < 0) throw new IllegalArgumentException("negative position " + position);
        int stride = stride();
        if ((long) (position + 1) * stride <= table.length) return;
        synchronized (this) {
            int have = table.length / stride;
            if (position < have) return;
            int positions = Math.max(position + 1, Math.max(64, have * 2));
            float[] t = Arrays.copyOf(table, Math.multiplyExact(positions, stride));
            for (int p = have; p < positions; p++) {
                for (int i = 0; i < inverseFrequency.length; i++) {
                    // Float arithmetic on purpose: it is what llama2.c and llama.cpp do, so greedy text matches theirs.
                    float angle = p * inverseFrequency[i];
                    float c = (float) Math.cos(angle);
                    float s = (float) Math.sin(angle);
                    int at = p * stride + 2 * i;
                    t[at] = t[at + 1] = c;
                    t[at + headSize] = t[at + headSize + 1] = s;
                }
            }
            table = t;
        }
    }
}
