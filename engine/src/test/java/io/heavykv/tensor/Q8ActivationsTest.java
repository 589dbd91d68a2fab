package io.heavykv.tensor;

import jdk.incubator.vector.ByteVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The input quantizer and the integer block dot against the element-by-element reference, bit for bit. */
class Q8ActivationsTest {
    /** Powers of two spanning fp32 subnormals, fp16 subnormals and overflow, and ordinary activations. */
    private static final int[] EXPONENTS = {-149, -140, -126, -30, -24, -20, -14, -3, 0, 4, 15, 16, 17, 40, 127};

    @Test
    void quantizationMatchesTheReferenceBitForBitOverRandomBlocksOfExtremeScales() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int vectors = 1 + random.nextInt(3);
            int cols = 32 * (1 + random.nextInt(8));
            float[] x = new float[vectors * cols + 5];
            for (int b = 0; b < vectors * cols / 32; b++) fillBlock(random, x, 5 + b * 32);
            Q8Activations a = Q8Activations.of(x, 5, vectors, cols);
            ReferenceActivations expected = ReferenceActivations.of(x, 5, vectors, cols);
            for (int i = 0; i < vectors * cols; i++) {
                assertThat((int) a.quants[i]).as("trial %d element %d (x = %s)", trial, i, x[5 + i]).isEqualTo(expected.q()[i]);
            }
            for (int b = 0; b < vectors * cols / 32; b++) {
                assertThat(Float.floatToRawIntBits(a.scales[b])).as("trial %d scale of block %d", trial, b)
                        .isEqualTo(Float.floatToRawIntBits(expected.d()[b]));
                assertThat(Float.floatToRawIntBits(a.sums[b])).as("trial %d sum of block %d", trial, b)
                        .isEqualTo(Float.floatToRawIntBits(expected.s()[b]));
            }
        }
    }

    @Test
    void halfwayValuesRoundToEvenAndTheScaleIsTheMaxOver127() {
        float[] x = new float[32];
        float[] halves = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 126.5f};
        System.arraycopy(halves, 0, x, 0, halves.length);
        x[31] = -127f;   // max |x| = 127: the multiplier is exactly 1
        Q8Activations a = Q8Activations.of(x, 0, 1, 32);
        assertThat(new int[] {a.quants[0], a.quants[1], a.quants[2], a.quants[3], a.quants[4], a.quants[5], a.quants[6], a.quants[31]})
                .containsExactly(0, 2, 2, 0, -2, -2, 126, -127);
        assertThat(a.scales[0]).isEqualTo(1f);
        // 0 + 2 + 2 + 0 - 2 - 2 + 126 - 127 = -1
        assertThat(a.sums[0]).isEqualTo(-1f);
    }

    @Test
    void aZeroBlockHasZeroScaleAndQuants() {
        Q8Activations a = Q8Activations.of(new float[64], 0, 1, 64);
        assertThat(a.scales[0]).isZero();
        assertThat(a.scales[1]).isZero();
        for (int i = 0; i < 64; i++) assertThat(a.quants[i]).isZero();
    }

    @Test
    void integerBlockDotIsExactOverTheWholeInt8Range() {
        SplittableRandom random = new SplittableRandom(5);
        byte[] w = new byte[32];
        short[] q = new short[32];
        for (int trial = 0; trial < 2000; trial++) {
            for (int i = 0; i < 32; i++) {
                // Extremes first: all -128 weights against all +-127 inputs is the largest sum the kernel meets.
                w[i] = trial == 0 ? -128 : (byte) (trial == 1 ? 127 : random.nextInt(-128, 128));
                q[i] = (short) (trial < 2 ? (i % 2 == 0 ? -127 : 127) : trial == 2 ? -127 : random.nextInt(-127, 128));
            }
            long expected = 0;
            for (int i = 0; i < 32; i++) expected += w[i] * q[i];
            ByteVector lo = ByteVector.fromArray(VectorKernels.B16, w, 0);
            ByteVector hi = ByteVector.fromArray(VectorKernels.B16, w, 16);
            float lanes = VectorKernels.sum(VectorKernels.blockDot(lo, hi, q, 0));
            assertThat((long) lanes).as("trial %d", trial).isEqualTo(expected);
        }
    }

    private static void fillBlock(SplittableRandom random, float[] x, int off) {
        int kind = random.nextInt(10);
        if (kind == 0) return;   // all zeros
        float scale = Math.scalb(1f, EXPONENTS[random.nextInt(EXPONENTS.length)]);
        for (int i = 0; i < 32; i++) {
            float v = (float) (random.nextDouble() * 2 - 1);
            // Kind 1: small integers and halves against a max of 127, so x * 127 / max lands on ties.
            x[off + i] = kind == 1 ? random.nextInt(-254, 255) / 2f : v * scale;
        }
        if (kind == 1) x[off + random.nextInt(32)] = random.nextBoolean() ? 127f : -127f;
        if (kind == 2) x[off + random.nextInt(32)] = -scale;   // the max is negative
    }
}
