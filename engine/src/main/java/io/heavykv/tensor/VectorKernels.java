package io.heavykv.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Vector building blocks shared by the matrix kernels; all weight loads are little-endian. */
public final class VectorKernels {
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);

    /** The preferred float species, capped at 16 lanes so one quantization block holds whole vectors. */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.length() > 16
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    // Lane i meets lane i ^ k in sum; shuffles for k >= L are never used (sum checks L first).
    private static final VectorShuffle<Float> X8 = partner(8);
    private static final VectorShuffle<Float> X4 = partner(4);
    private static final VectorShuffle<Float> X2 = partner(2);
    private static final VectorShuffle<Float> X1 = partner(1);
    /** Half-precision lanes matching F lane for lane. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /** 16 shorts: one 16-byte load widened. */
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_256;
    /**
     * The integer kernels' float lanes: the 8 ints that 16 widened shorts pair into, whatever {@link #F} is, so
     * their accumulators are 256 bits wide (AVX2's width) and reduce with {@link #sum8}.
     */
    static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final VectorShuffle<Float> Y4 = VectorShuffle.fromOp(F8, i -> i ^ 4);
    private static final VectorShuffle<Float> Y2 = VectorShuffle.fromOp(F8, i -> i ^ 2);
    private static final VectorShuffle<Float> Y1 = VectorShuffle.fromOp(F8, i -> i ^ 1);
    /** One 16-byte load: half a Q8_0 block or the nibbles of a whole Q4_0 block. */
    static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    /** Float vectors per 16 bytes widened to floats. */
    static final int PARTS16 = 16 / L;
    // Byte lane i of a Q5 block half reads qh byte i / 8 (or 2 + i / 8) and tests bit i % 8 of it.
    private static final VectorShuffle<Byte> QH_LOW = VectorShuffle.fromOp(B16, i -> i / 8);
    private static final VectorShuffle<Byte> QH_HIGH = VectorShuffle.fromOp(B16, i -> 2 + i / 8);
    private static final ByteVector LANE_BIT = ByteVector.fromArray(B16, laneBits(), 0);
    // Byte lane k * L moved to lane 0, for part k of {@link #widen} (parts reach 3 with 4-lane floats).
    private static final VectorShuffle<Byte> PART1 = startingAt(L);
    private static final VectorShuffle<Byte> PART2 = startingAt(2 * L);
    private static final VectorShuffle<Byte> PART3 = startingAt(3 * L);

    private VectorKernels() {
    }

    /**
     * Sum of the lanes (up to 16) in a fixed order: a halving tree in which lane i meets lane i ^ k, the result
     * landing in every lane. {@code reduceLanes(ADD)} leaves the order open, and the interpreter and C2 do
     * differ, so logits would change in their last bits once the JIT kicks in; with a fixed order the same input
     * gives the same logits at every tier. A tree rather than a lane-by-lane loop matters once per matvec row
     * and once per attention key; shuffles rather than {@code reinterpretShape} because C2 keeps these inlined
     * and unboxed inside the attention kernels.
     */
    public static float sum(FloatVector v) {
        if (L >= 16) v = v.add(v.rearrange(X8));
        if (L >= 8) v = v.add(v.rearrange(X4));
        if (L >= 4) v = v.add(v.rearrange(X2));
        if (L >= 2) v = v.add(v.rearrange(X1));
        return v.lane(0);
    }

    /** {@link #sum} for {@link #F8} vectors, in the same fixed halving order. */
    static float sum8(FloatVector v) {
        v = v.add(v.rearrange(Y4));
        v = v.add(v.rearrange(Y2));
        v = v.add(v.rearrange(Y1));
        return v.lane(0);
    }

    private static byte[] laneBits() {
        byte[] bits = new byte[16];
        for (int i = 0; i < 16; i++) bits[i] = (byte) (1 << (i % 8));
        return bits;
    }

    private static VectorShuffle<Byte> startingAt(int lane) {
        return VectorShuffle.fromOp(B16, i -> (i + lane) & 15);
    }

    private static VectorShuffle<Float> partner(int k) {
        return VectorShuffle.fromOp(F, i -> (i ^ k) & (L - 1));
    }

    /** Dot product of {@code a[aOff .. aOff+n)} and {@code b[bOff .. bOff+n)}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(F, a, aOff + i + L).fma(FloatVector.fromArray(F, b, bOff + i + L), acc1);
        }
        float s = sum(acc0.add(acc1));
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /**
     * Four dot products at once: rows {@code tile[tOff + k*stride ..]} (k &lt; 4) with {@code x[xOff ..]},
     * into {@code out[outOff + k]}. Each x vector is loaded once for four rows (the prefill micro-kernel).
     */
    static void dot4(float[] tile, int tOff, int stride, float[] x, int xOff, float[] out, int outOff) {
        int n = stride;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            a0 = FloatVector.fromArray(F, tile, tOff + i).fma(xv, a0);
            a1 = FloatVector.fromArray(F, tile, tOff + stride + i).fma(xv, a1);
            a2 = FloatVector.fromArray(F, tile, tOff + 2 * stride + i).fma(xv, a2);
            a3 = FloatVector.fromArray(F, tile, tOff + 3 * stride + i).fma(xv, a3);
        }
        float s0 = sum(a0);
        float s1 = sum(a1);
        float s2 = sum(a2);
        float s3 = sum(a3);
        for (; i < n; i++) {
            float xi = x[xOff + i];
            s0 += tile[tOff + i] * xi;
            s1 += tile[tOff + stride + i] * xi;
            s2 += tile[tOff + 2 * stride + i] * xi;
            s3 += tile[tOff + 3 * stride + i] * xi;
        }
        out[outOff] = s0;
        out[outOff + 1] = s1;
        out[outOff + 2] = s2;
        out[outOff + 3] = s3;
    }

    /** L half-precision values at {@code offset} widened to floats (F16C-free bit arithmetic, exact). */
    static FloatVector halfs(MemorySegment seg, long offset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, seg, offset, LE).convertShape(VectorOperators.S2I, I, 0);
        IntVector magnitude = h.and(0x7fff);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        // Rebiasing the exponent by a multiply by 2^112 turns fp16 normals and subnormals into the exact fp32
        // value; infinities and NaNs (exponent 31) need their exponent forced to 255 instead.
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        IntVector bits = finite.blend(shifted.or(0x70000000), magnitude.compare(VectorOperators.GE, 0x7c00));
        return bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    /** Low nibbles of {@code packed}, 0..15 (the first half of a Q4 block). */
    static ByteVector lowNibbles(ByteVector packed) {
        return packed.and((byte) 0x0f);
    }

    /** High nibbles of {@code packed}, 0..15 (the second half of a Q4 block). */
    static ByteVector highNibbles(ByteVector packed) {
        return bits(packed, 4, (byte) 0x0f);
    }

    /**
     * {@code (b >>> shift) & mask} per byte. x86 has no byte shift, so this shifts 16-bit lanes (native) and
     * relies on {@code mask} dropping every bit that crossed over from the neighbouring byte.
     */
    static ByteVector bits(ByteVector b, int shift, byte mask) {
        return b.reinterpretAsShorts().lanewise(VectorOperators.LSHR, shift).reinterpretAsBytes().and(mask);
    }

    /** {@code v << 4} per byte for lanes below 16, where no bit crosses into the next byte. */
    static ByteVector times16(ByteVector v) {
        return v.reinterpretAsShorts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes();
    }

    /**
     * 5-bit quants 0..31 of elements 0..15 ({@code half} 0, low nibbles of {@code packed}) or 16..31 ({@code half}
     * 1, high nibbles) of a Q5_0/Q5_1 block, from a vector whose first four bytes are the block's 32-bit qh
     * (the fifth bit of element i in bit i).
     */
    static ByteVector fiveBits(ByteVector packed, ByteVector qh, int half) {
        ByteVector nibbles = half == 0 ? lowNibbles(packed) : highNibbles(packed);
        VectorMask<Byte> set = qh.rearrange(half == 0 ? QH_LOW : QH_HIGH).and(LANE_BIT).compare(VectorOperators.NE, 0);
        return nibbles.lanewise(VectorOperators.OR, (byte) 0x10, set);
    }

    /**
     * Part {@code part} (L lanes) of 16 signed bytes, widened to floats. Parts past the first are moved down to
     * lane 0 by a byte shuffle and then converted as part 0: {@code convertShape} with a later part slices the
     * source, which is not intrinsified on AVX2 and ran its Java fall-back (68% of SmolLM2's decode samples
     * while the kernels used it).
     */
    static FloatVector widen(ByteVector bytes, int part) {
        ByteVector first = switch (part) {
            case 0 -> bytes;
            case 1 -> bytes.rearrange(PART1);
            case 2 -> bytes.rearrange(PART2);
            default -> bytes.rearrange(PART3);
        };
        return (FloatVector) first.convertShape(VectorOperators.B2F, F, 0);
    }

    /**
     * Integer dot of one 32-element weight block, given as signed bytes (elements 0..15 in {@code lo}, 16..31 in
     * {@code hi}), with the int8 quants {@code a[ai .. ai+32)} of an input block (held as shorts), as 8 int lanes
     * converted to floats (exact: each lane is at most 4 * 128 * 127 in magnitude); the caller applies both block
     * scales once per block. Integer sums are exact, so lane order cannot move a bit.
     */
    static FloatVector blockDot(ByteVector lo, ByteVector hi, short[] a, int ai) {
        ShortVector plo = widenShorts(lo).mul(ShortVector.fromArray(S16, a, ai));
        ShortVector phi = widenShorts(hi).mul(ShortVector.fromArray(S16, a, ai + 16));
        // Weights lie in -128..127 and input quants in -127..127, so two products sum to at most 32512: no overflow.
        ShortVector pairs = plo.add(phi);
        // Adjacent shorts summed into ints by shifts within 32-bit lanes (x86's pmaddwd, in lane-wise operations
        // that C2 compiles; a part-wise S2I conversion does not stay intrinsic).
        IntVector ints = pairs.reinterpretAsInts();
        IntVector sum = ints.lanewise(VectorOperators.ASHR, 16).add(ints.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
        return (FloatVector) sum.convert(VectorOperators.I2F, 0);
    }

    private static ShortVector widenShorts(ByteVector bytes) {
        return (ShortVector) bytes.convertShape(VectorOperators.B2S, S16, 0);
    }

    /** Writes one 32-element block (as in {@link #blockDot}) times {@code d} into {@code out[oi ..]}. */
    static void blockStore(ByteVector lo, ByteVector hi, float d, float[] out, int oi) {
        for (int p = 0; p < PARTS16; p++) {
            widen(lo, p).mul(d).intoArray(out, oi + p * L);
            widen(hi, p).mul(d).intoArray(out, oi + 16 + p * L);
        }
    }

    /** Unscaled dot of 16 signed byte quants with {@code x[xi .. xi+16)}. */
    static FloatVector halfBlockDot(ByteVector q, float[] x, int xi) {
        FloatVector sum = widen(q, 0).mul(FloatVector.fromArray(F, x, xi));
        for (int p = 1; p < PARTS16; p++) sum = widen(q, p).fma(FloatVector.fromArray(F, x, xi + p * L), sum);
        return sum;
    }

    /** Writes 16 signed byte quants times {@code d} into {@code out[oi ..]}. */
    static void halfBlockStore(ByteVector q, float d, float[] out, int oi) {
        for (int p = 0; p < PARTS16; p++) widen(q, p).mul(d).intoArray(out, oi + p * L);
    }

    /**
     * {@code acc} plus the dot of the weights {@code q * d + m} (16 quants) with {@code x[xi .. xi+16)}. Each
     * weight is rounded twice, exactly as {@link #affineStore} rounds it, so the dot sums the very weights
     * dequantization gives; only the order of the sum differs.
     */
    static FloatVector affineDot(ByteVector q, float d, float m, float[] x, int xi, FloatVector acc) {
        for (int p = 0; p < PARTS16; p++) acc = widen(q, p).mul(d).add(m).fma(FloatVector.fromArray(F, x, xi + p * L), acc);
        return acc;
    }

    /** Writes the weights {@code q * d + m} of 16 quants into {@code out[oi ..]}. */
    static void affineStore(ByteVector q, float d, float m, float[] out, int oi) {
        for (int p = 0; p < PARTS16; p++) widen(q, p).mul(d).add(m).intoArray(out, oi + p * L);
    }

    /** L bfloat16 values at {@code offset} widened to floats (exact: bf16 is the top half of an fp32). */
    static FloatVector bfloat16s(MemorySegment seg, long offset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, seg, offset, LE).convertShape(VectorOperators.S2I, I, 0);
        return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    static float bfloat16(MemorySegment seg, long offset) {
        return Float.intBitsToFloat(seg.get(SHORT_LE, offset) << 16);
    }

    static float half(MemorySegment seg, long offset) {
        return Float.float16ToFloat(seg.get(SHORT_LE, offset));
    }
}
