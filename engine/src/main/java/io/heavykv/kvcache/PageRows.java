package io.heavykv.kvcache;

import java.nio.ByteBuffer;

/**
 * The K (or the V) of one page in its element format, as one array of {@code [kvHead][token][headSize]} elements.
 * The formats are exactly the {@link KvDType}s, each a class of its own, so a page holds no untyped arrays and
 * asks no format questions: only {@link #allocate} chooses.
 */
sealed interface PageRows permits PageRows.Fp16, PageRows.Fp32 {

    static PageRows allocate(KvDType dtype, int elements) {
        return switch (dtype) {
            case FP16 -> new Fp16(new short[elements]);
            case FP32 -> new Fp32(new float[elements]);
        };
    }

    KvDType dtype();

    int elements();

    /** Stores {@code src[from, from + n)} at element {@code at}, rounding to the format. */
    void write(int at, float[] src, int from, int n);

    /** Widens elements {@code [at, at + n)} into {@code dst[0, n)}. */
    void read(int at, int n, float[] dst);

    /** Moves elements {@code [from, from + n)} to {@code to} within this array. */
    void move(int from, int to, int n);

    /** Copies elements {@code [from, from + n)} of {@code source}, of the same format, to {@code at}. */
    void copy(PageRows source, int from, int at, int n);

    /** Writes elements {@code [at, at + n)} to {@code raw} little-endian, advancing it. */
    void toRaw(ByteBuffer raw, int at, int n);

    /** Reads elements {@code [at, at + n)} from {@code raw}, advancing it. */
    void fromRaw(ByteBuffer raw, int at, int n);

    /** An independent copy of the array. */
    PageRows copy();

    /**
     * Elements {@code [at, at + n)} as floats for a kernel to read: this array itself when it holds floats (no copy),
     * else widened into {@code scratch}; they start at {@link #readableAt(int) readableAt(at)} of the array returned.
     */
    float[] readable(int at, int n, float[] scratch);

    /** Where {@link #readable} puts element {@code at}. */
    int readableAt(int at);

    /** IEEE half precision: half the bytes, rounded to nearest even. */
    final class Fp16 implements PageRows {
        private final short[] a;

        Fp16(short[] a) { this.a = a; }

        @Override
        public KvDType dtype() { return KvDType.FP16; }

        @Override
        public int elements() { return a.length; }

        @Override
        public void write(int at, float[] src, int from, int n) {
            for (int i = 0; i < n; i++) a[at + i] = Float.floatToFloat16(src[from + i]);
        }

        @Override
        public void read(int at, int n, float[] dst) {
            // A plain loop: C2 turns it into vector half-to-float conversions on F16C/AVX-512 machines.
            for (int i = 0; i < n; i++) dst[i] = Float.float16ToFloat(a[at + i]);
        }

        @Override
        public void move(int from, int to, int n) { System.arraycopy(a, from, a, to, n); }

        @Override
        public void copy(PageRows source, int from, int at, int n) { System.arraycopy(((Fp16) source).a, from, a, at, n); }

        @Override
        public void toRaw(ByteBuffer raw, int at, int n) {
            raw.asShortBuffer().put(a, at, n);
            raw.position(raw.position() + 2 * n);
        }

        @Override
        public void fromRaw(ByteBuffer raw, int at, int n) {
            raw.asShortBuffer().get(a, at, n);
            raw.position(raw.position() + 2 * n);
        }

        @Override
        public PageRows copy() { return new Fp16(a.clone()); }

        @Override
        public float[] readable(int at, int n, float[] scratch) {
            read(at, n, scratch);
            return scratch;
        }

        @Override
        public int readableAt(int at) { return 0; }
    }

    /** IEEE single precision: activations exactly. */
    final class Fp32 implements PageRows {
        private final float[] a;

        Fp32(float[] a) { this.a = a; }

        @Override
        public KvDType dtype() { return KvDType.FP32; }

        @Override
        public int elements() { return a.length; }

        @Override
        public void write(int at, float[] src, int from, int n) { System.arraycopy(src, from, a, at, n); }

        @Override
        public void read(int at, int n, float[] dst) { System.arraycopy(a, at, dst, 0, n); }

        @Override
        public void move(int from, int to, int n) { System.arraycopy(a, from, a, to, n); }

        @Override
        public void copy(PageRows source, int from, int at, int n) { System.arraycopy(((Fp32) source).a, from, a, at, n); }

        @Override
        public void toRaw(ByteBuffer raw, int at, int n) {
            raw.asFloatBuffer().put(a, at, n);
            raw.position(raw.position() + 4 * n);
        }

        @Override
        public void fromRaw(ByteBuffer raw, int at, int n) {
            raw.asFloatBuffer().get(a, at, n);
            raw.position(raw.position() + 4 * n);
        }

        @Override
        public PageRows copy() { return new Fp32(a.clone()); }

        @Override
        public float[] readable(int at, int n, float[] scratch) { return a; }

        @Override
        public int readableAt(int at) { return at; }
    }
}
