package io.heavykv.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class QuantizerTest {

    @Test
    void q8ErrorIsAtMostHalfAStepPlusScaleRounding() {
        float[] x = blocks(64);
        float[] y = roundTrip(TensorType.Q8_0, x);
        for (int b = 0; b < x.length / 32; b++) {
            float amax = amax(x, b);
            // Half a quantization step, plus the fp16 rounding of the scale (2^-11 relative) times 127 steps.
            float bound = amax / 127 * 0.5f + amax * 0x1p-11f * 1.01f + 1e-7f;
            for (int j = b * 32; j < b * 32 + 32; j++) assertThat(y[j]).isCloseTo(x[j], within(bound));
        }
    }

    @Test
    void q4ErrorIsAtMostHalfAStepAndTheLargestValueIsExactUpToScaleRounding() {
        float[] x = blocks(64);
        float[] y = roundTrip(TensorType.Q4_0, x);
        for (int b = 0; b < x.length / 32; b++) {
            float amax = amax(x, b);
            float step = amax / 8;
            float bound = step * 0.5f + amax * 0x1p-11f * 1.01f + 1e-7f;
            for (int j = b * 32; j < b * 32 + 32; j++) {
                // The top code is 15 (7 steps) while -8 steps is representable: the positive extreme clips by one step.
                float allowed = Math.abs(x[j]) > 7.5f * step ? step + bound : bound;
                assertThat(y[j]).isCloseTo(x[j], within(allowed));
            }
        }
    }

    @Test
    void q4UsesTheGgmlNibbleOrderAndSignConvention() {
        float[] x = new float[32];
        x[0] = -8;   // largest magnitude, negative: d = 1, code 0
        x[1] = 7;    // code 15
        x[16] = 3;   // high nibble of byte 0: code 11
        MemorySegment s = Arena.ofAuto().allocate(18);
        Quantizer.encode(TensorType.Q4_0, x, 0, 32, s, 0);
        assertThat(Float.float16ToFloat(s.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0))).isEqualTo(1f);
        assertThat(s.get(ValueLayout.JAVA_BYTE, 2) & 0xff).isEqualTo(0xb0);
        assertThat(s.get(ValueLayout.JAVA_BYTE, 3) & 0xff).isEqualTo(0x8f);
    }

    @Test
    void q8RoundsHalvesAwayFromZeroLikeC() {
        float[] x = new float[32];
        x[0] = 127;    // d = 1
        x[1] = -2.5f;  // roundf -> -3, Math.round would give -2
        x[2] = 2.5f;
        float[] y = roundTrip(TensorType.Q8_0, x);
        assertThat(y[1]).isEqualTo(-3f);
        assertThat(y[2]).isEqualTo(3f);
    }

    @Test
    void f16IsExactForRepresentableValues() {
        float[] x = {0f, -0f, 1f, -2.5f, 65504f, 0x1p-24f, -0x1p-14f, 0.333251953125f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] y = roundTrip(TensorType.F16, x);
        assertThat(y).containsExactly(x);
        assertThat(roundTrip(TensorType.F16, new float[] {Float.NaN})[0]).isNaN();
    }

    @Test
    void allZeroBlocksStayZero() {
        for (TensorType t : TensorType.values()) {
            // Q4_0's scale is -0.0 for an all-zero block (max / -8), so compare magnitudes.
            for (float v : roundTrip(t, new float[256])) assertThat(Math.abs(v)).as(t.name()).isEqualTo(0f);
        }
    }

    @Test
    void offsetTypesErrIsAtMostHalfAStepPlusScaleAndMinRounding() {
        float[] x = blocks(64);
        for (TensorType type : new TensorType[] {TensorType.Q4_1, TensorType.Q5_1}) {
            int top = type == TensorType.Q4_1 ? 15 : 31;
            float[] y = roundTrip(type, x);
            for (int b = 0; b < x.length / 32; b++) {
                float min = Float.MAX_VALUE;
                float max = -Float.MAX_VALUE;
                for (int j = b * 32; j < b * 32 + 32; j++) {
                    min = Math.min(min, x[j]);
                    max = Math.max(max, x[j]);
                }
                float step = (max - min) / top;
                // Half a step, plus the fp16 rounding (2^-11 relative) of d times up to `top` steps and of the min.
                float bound = step * 0.5f + (step * top + Math.abs(min)) * 0x1p-11f * 1.01f + 1e-6f;
                for (int j = b * 32; j < b * 32 + 32; j++) assertThat(y[j]).as("%s %d", type, j).isCloseTo(x[j], within(bound));
            }
        }
    }

    @Test
    void q5ErrorIsAtMostHalfAStepExceptTheClippedPositiveExtreme() {
        float[] x = blocks(64);
        float[] y = roundTrip(TensorType.Q5_0, x);
        for (int b = 0; b < x.length / 32; b++) {
            float amax = amax(x, b);
            float step = amax / 16;
            float bound = step * 0.5f + amax * 0x1p-11f * 1.01f + 1e-7f;
            for (int j = b * 32; j < b * 32 + 32; j++) {
                // Level 31 is 15 steps up while 16 steps down is representable: as in Q4_0.
                float allowed = Math.abs(x[j]) > 15.5f * step ? step + bound : bound;
                assertThat(y[j]).isCloseTo(x[j], within(allowed));
            }
        }
    }

    /**
     * Every element of a K-quant lands within one step of its sub-block's own min-max grid: the fit may
     * stretch or shift the grid and the 6/8-bit sub-block scales round it, but a whole step off means a wrong
     * level, scale or bit position.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(names = {"Q4_K", "Q5_K", "Q6_K"})
    void kQuantElementsStayWithinAStepOfTheirSubBlockGrid(TensorType type) {
        float[] x = gaussian(256 * 16, 11);
        float[] y = roundTrip(type, x);
        int sub = type == TensorType.Q6_K ? 16 : 32;
        for (int s = 0; s < x.length / sub; s++) {
            float min = 0;
            float max = 0;
            for (int j = s * sub; j < s * sub + sub; j++) {
                min = Math.min(min, x[j]);
                max = Math.max(max, x[j]);
            }
            float step = switch (type) {
                case Q4_K -> (max - min) / 15;
                case Q5_K -> (max - min) / 31;
                default -> Math.max(max, -min) / 32;
            };
            for (int j = s * sub; j < s * sub + sub; j++) assertThat(y[j]).as("%s element %d", type, j).isCloseTo(x[j], within(step));
        }
    }

    /** The point of the K-quants: per-sub-block scales and mins beat the legacy types of about the same size. */
    @Test
    void kQuantsAreMoreAccurateThanTheLegacyTypesOfTheirWidth() {
        float[] x = gaussian(256 * 32, 5);
        assertThat(relativeRmse(TensorType.Q4_K, x)).isLessThan(relativeRmse(TensorType.Q4_1, x));
        assertThat(relativeRmse(TensorType.Q4_1, x)).isLessThan(relativeRmse(TensorType.Q4_0, x));
        assertThat(relativeRmse(TensorType.Q5_K, x)).isLessThan(relativeRmse(TensorType.Q5_1, x));
        assertThat(relativeRmse(TensorType.Q5_1, x)).isLessThan(relativeRmse(TensorType.Q5_0, x));
        // Q6_K spends 6.56 bits a weight; two more bits than Q4_K should cut the error about fourfold.
        assertThat(relativeRmse(TensorType.Q6_K, x)).isLessThan(relativeRmse(TensorType.Q4_K, x) / 3);
    }

    @Test
    void bf16RoundsToNearestEvenAndKeepsNaNs() {
        float tieDown = 1f + 0x1p-8f;       // halfway between 1 and 1 + 2^-7: the even one is 1
        float tieUp = 1f + 3 * 0x1p-8f;     // halfway between 1 + 2^-7 and 1 + 2^-6: the even one is 1 + 2^-6
        float[] x = {0f, -0f, 1f, -3.5f, tieDown, tieUp, 1f + 0x1p-7f, Float.MAX_VALUE, Float.MIN_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] y = roundTrip(TensorType.BF16, x);
        assertThat(y).startsWith(0f, -0f, 1f, -3.5f, 1f, 1f + 0x1p-6f, 1f + 0x1p-7f);
        assertThat(y[7]).isEqualTo(Float.POSITIVE_INFINITY);   // past the largest bf16, rounding overflows
        assertThat(y[8]).isEqualTo(0f);
        assertThat(y[9]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(y[10]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(y[11]).isNaN();
    }

    @Test
    void quantizedShapesNeedWholeBlocks() {
        assertThatThrownBy(() -> WeightMatrices.quantize(TensorType.Q8_0, new float[40], 1, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
        assertThatThrownBy(() -> WeightMatrices.quantize(TensorType.Q4_K, new float[288], 1, 288))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Q4_K needs a multiple of 256");
        assertThatThrownBy(() -> WeightMatrices.of(TensorType.Q4_0, Arena.ofAuto().allocate(17), 1, 32))
                .hasMessageContaining("needs 18 bytes").hasMessageContaining("has 17");
    }

    private static float[] roundTrip(TensorType type, float[] x) {
        WeightMatrix m = WeightMatrices.quantize(type, x, 1, x.length);
        float[] y = new float[x.length];
        m.copyRow(0, y, 0);
        return y;
    }

    private static double relativeRmse(TensorType type, float[] x) {
        float[] y = roundTrip(type, x);
        double error = 0;
        double energy = 0;
        for (int i = 0; i < x.length; i++) {
            error += (x[i] - y[i]) * (double) (x[i] - y[i]);
            energy += x[i] * (double) x[i];
        }
        return Math.sqrt(error / energy);
    }

    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) random.nextGaussian();
        return x;
    }

    private static float[] blocks(int n) {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (random.nextGaussian() * (1 + i / 32));
        return x;
    }

    private static float amax(float[] x, int block) {
        float m = 0;
        for (int j = block * 32; j < block * 32 + 32; j++) m = Math.max(m, Math.abs(x[j]));
        return m;
    }
}
