package io.heavykv.tensor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SoftmaxTest {
    @Test
    void matchesTheDefinition() {
        float[] x = {1f, 2f, 3f};
        Softmax.inPlace(x, 0, 3);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertThat(x[0]).isCloseTo((float) (Math.exp(1) / z), within(1e-6f));
        assertThat(x[1]).isCloseTo((float) (Math.exp(2) / z), within(1e-6f));
        assertThat(x[2]).isCloseTo((float) (Math.exp(3) / z), within(1e-6f));
    }

    @Test
    void largeLogitsDoNotOverflow() {
        float[] x = {1000f, 1001f};
        Softmax.inPlace(x, 0, 2);
        float e = (float) Math.E;
        assertThat(x[0]).isCloseTo(1f / (1f + e), within(1e-6f));
        assertThat(x[1]).isCloseTo(e / (1f + e), within(1e-6f));
    }

    @Test
    void touchesOnlyItsRangeAndMaskedEntriesBecomeZero() {
        float[] x = {7f, 0f, Float.NEGATIVE_INFINITY, 0f, 7f};
        Softmax.inPlace(x, 1, 3);
        assertThat(x).containsExactly(7f, 0.5f, 0f, 0.5f, 7f);
    }

    @Test
    void badInputIsAnError() {
        assertThatThrownBy(() -> Softmax.inPlace(new float[] {1f, Float.NaN}, 0, 2)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> Softmax.inPlace(new float[] {Float.NaN, 1f}, 0, 2)).hasMessageContaining("NaN");
        float ninf = Float.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> Softmax.inPlace(new float[] {ninf, ninf}, 0, 2)).hasMessageContaining("-Infinity");
        assertThatThrownBy(() -> Softmax.inPlace(new float[] {1f}, 0, 0)).hasMessageContaining("empty");
    }
}
