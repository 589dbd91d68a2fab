package io.heavykv.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RopeTest {
    private static final int HEAD = 8;
    private static final float THETA = 10000f;

    private static double angle(int position, int pair) {
        return position / Math.pow(THETA, 2.0 * pair / HEAD);
    }

    @Test
    void rotationMatchesADoublePrecisionReference() {
        Rope rope = new Rope(HEAD, THETA);
        Random random = new Random(3);
        for (int position : new int[] {0, 1, 17, 511, 3000}) {
            float[] v = new float[2 * HEAD + 1];
            for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
            float[] rotated = v.clone();
            rope.rotate(rotated, 1, 2, position);
            assertThat(rotated[0]).isEqualTo(v[0]);
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < HEAD / 2; i++) {
                    int o = 1 + h * HEAD + 2 * i;
                    double a = angle(position, i);
                    // Float angles lose precision at large positions, as in llama2.c: compare loosely there.
                    float tolerance = position > 1000 ? 2e-3f : 1e-5f;
                    assertThat(rotated[o]).isCloseTo((float) (v[o] * Math.cos(a) - v[o + 1] * Math.sin(a)), within(tolerance));
                    assertThat(rotated[o + 1]).isCloseTo((float) (v[o] * Math.sin(a) + v[o + 1] * Math.cos(a)), within(tolerance));
                }
            }
        }
    }

    @Test
    void tableHoldsEachPairsCosinesThenSinesPerPosition() {
        Rope rope = new Rope(HEAD, THETA);
        float[] small = rope.table(3);
        assertThat(small.length).isGreaterThanOrEqualTo(4 * rope.stride());
        float[] large = rope.table(700);
        assertThat(large.length).isGreaterThanOrEqualTo(701 * rope.stride());
        for (int p : new int[] {0, 3, 700}) {
            for (int j = 0; j < HEAD; j++) {
                double a = angle(p, j / 2);
                assertThat(large[p * rope.stride() + j]).isCloseTo((float) Math.cos(a), within(1e-4f));
                assertThat(large[p * rope.stride() + HEAD + j]).isCloseTo((float) Math.sin(a), within(1e-4f));
                if (p <= 3) assertThat(small[p * rope.stride() + j]).isEqualTo(large[p * rope.stride() + j]);
            }
        }
    }

    @Test
    void oneInstanceServesEachShape() {
        assertThat(Rope.of(HEAD, THETA)).isSameAs(Rope.of(HEAD, THETA));
        assertThat(Rope.of(HEAD, THETA)).isNotSameAs(Rope.of(HEAD, 500000f));
        assertThat(Rope.of(HEAD, THETA)).isNotSameAs(Rope.of(2 * HEAD, THETA));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new Rope(7, THETA)).hasMessageContaining("even head size, got 7");
        assertThatThrownBy(() -> new Rope(HEAD, THETA).table(-1)).hasMessageContaining("negative position -1");
    }
}
