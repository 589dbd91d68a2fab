package io.heavykv.tensor;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** The K-quants' input rounding on hand-made blocks: llama.cpp's Q8_K values, q * d with d = max / -127. */
class Q8KInputTest {

    @Test
    void halfwayValuesRoundToEvenAgainstTheScaleOfTheLargestMagnitude() {
        float[] x = new float[256];
        float[] halves = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 126.5f};
        System.arraycopy(halves, 0, x, 0, halves.length);
        x[200] = 127f;   // iscale = -1: q = -x, rounded half to even, and d = -1 turns it back
        MatmulInput.Q8K.round(x, 0, 256);
        assertThat(Arrays.copyOf(x, 7)).containsExactly(0f, 2f, 2f, -0f, -2f, -2f, 126f);
        assertThat(x[200]).isEqualTo(127f);
    }

    @Test
    void eachBlockOf256HasItsOwnScale() {
        float[] x = new float[512];
        x[0] = 0.3f;
        x[1] = 254f;       // block 0: step 2, so 0.3 rounds to 0
        x[256] = 0.3f;
        x[257] = -1.27f;   // block 1: step 0.01, so 0.3 keeps 30 steps
        MatmulInput.Q8K.round(x, 0, 512);
        assertThat(x[0]).isZero();
        assertThat(x[1]).isEqualTo(254f);
        assertThat(x[256]).isCloseTo(0.3f, offset(1e-6f));
        assertThat(x[257]).isCloseTo(-1.27f, offset(1e-6f));
    }

    @Test
    void aZeroBlockStaysZero() {
        float[] x = new float[256];
        MatmulInput.Q8K.round(x, 0, 256);
        assertThat(x).containsOnly(0f);
    }
}
