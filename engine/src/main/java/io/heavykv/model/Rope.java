package io.heavykv.model;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rotary position embedding as a model's {@link RopeConfig} defines it: pair i of each head, whose elements
 * sit where the {@link RopeStyle} puts them, is rotated by {@code position * frequency(i)}.
 *
 * <p>Cosines and sines are tabulated per position, each duplicated onto both elements of its pair so that element
 * j of a head reads entry j (dimensions RoPE leaves alone read cosine 1 and sine 0): position p occupies
 * {@code [p * stride(), (p + 1) * stride())} of {@link #table}, cosines first, then sines. That layout lets a vector
 * kernel rotate keys inside the attention score whatever the pairing (keys stored unrotated are rotated at every
 * step, see {@link #swapPairs}). The table grows on demand and one instance per head size and RoPE ({@link #of})
 * serves the forward pass and every cache.
 */
public final class Rope {
    private static final ConcurrentHashMap<Shape, Rope> SHARED = new ConcurrentHashMap<>();

    private final int headSize;
    /** Per pair, the index in a head of its first and of its second element. */
    private final int[] first;
    private final int[] second;
    private final float[] frequency;
    private volatile float[] table = new float[0];

    private record Shape(int headSize, RopeConfig config) {}

    public Rope(int headSize, RopeConfig config) {
        if (headSize <= 0 || headSize % 2 != 0) {
            throw new IllegalArgumentException("RoPE needs a positive even head size, got " + headSize);
        }
        if (config.dimensions() > headSize) {
            throw new IllegalArgumentException("RoPE rotates " + config.dimensions() + " dimensions of a head of " + headSize);
        }
        this.headSize = headSize;
        int pairs = config.dimensions() / 2;
        this.first = new int[pairs];
        this.second = new int[pairs];
        this.frequency = new float[pairs];
        for (int i = 0; i < pairs; i++) {
            first[i] = config.style().first(i, config.dimensions());
            second[i] = config.style().second(i, config.dimensions());
            frequency[i] = (float) config.frequency(i);
        }
    }

    /** The instance shared by everything that rotates heads of this size this way. */
    public static Rope of(int headSize, RopeConfig config) {
        return SHARED.computeIfAbsent(new Shape(headSize, config), s -> new Rope(s.headSize(), s.config()));
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
            for (int i = 0; i < first.length; i++) {
                int a = first[i];
                int b = second[i];
                float fc = t[base + a];
                float fs = t[base + headSize + a];
                float v0 = v[o + a];
                float v1 = v[o + b];
                v[o + a] = v0 * fc - v1 * fs;
                v[o + b] = v0 * fs + v1 * fc;
            }
        }
    }

    /**
     * Writes one head of {@code src} to {@code dst} with each pair (a, b) replaced by (b, -a), and 0 where RoPE
     * leaves a dimension alone. Rotating by -p is then {@code v * cos + swapPairs(v) * sin} element by element with
     * this position's {@link #table} entries, and {@code q . R(p) k = (R(-p) q) . k}: what lets attention rotate
     * keys stored unrotated without touching them.
     */
    public void swapPairs(float[] src, int srcOffset, float[] dst, int dstOffset) {
        Arrays.fill(dst, dstOffset, dstOffset + headSize, 0f);
        for (int i = 0; i < first.length; i++) {
            dst[dstOffset + first[i]] = src[srcOffset + second[i]];
            dst[dstOffset + second[i]] = -src[srcOffset + first[i]];
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
                Arrays.fill(t, p * stride, p * stride + headSize, 1f);
                for (int i = 0; i < frequency.length; i++) {
                    // Float arithmetic on purpose: it is what llama2.c and llama.cpp do, so greedy text matches theirs.
                    float angle = p * frequency[i];
                    float c = (float) Math.cos(angle);
                    float s = (float) Math.sin(angle);
                    int at = p * stride;
                    t[at + first[i]] = t[at + second[i]] = c;
                    t[at + headSize + first[i]] = t[at + headSize + second[i]] = s;
                }
            }
            table = t;
        }
    }
}
