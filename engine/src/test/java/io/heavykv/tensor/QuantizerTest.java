package io.heavykv.tensor;

import org.junit.jupiter.api.Test;

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
        for (TensorType t : new TensorType[] {TensorType.Q8_0, TensorType.Q4_0}) {
            // Q4_0's scale is -0.0 for an all-zero block (max / -8), so compare magnitudes.
            for (float v : roundTrip(t, new float[32])) assertThat(Math.abs(v)).isEqualTo(0f);
        }
    }

    @Test
    void quantizedShapesNeedWholeBlocks() {
        assertThatThrownBy(() -> WeightMatrices.quantize(TensorType.Q8_0, new float[40], 1, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
        assertThatThrownBy(() -> WeightMatrices.of(TensorType.Q4_0, Arena.ofAuto().allocate(17), 1, 32))
                .hasMessageContaining("needs 18 bytes").hasMessageContaining("has 17");
    }

    private static float[] roundTrip(TensorType type, float[] x) {
        WeightMatrix m = WeightMatrices.quantize(type, x, 1, x.length);
        float[] y = new float[x.length];
        m.copyRow(0, y, 0);
        return y;
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
