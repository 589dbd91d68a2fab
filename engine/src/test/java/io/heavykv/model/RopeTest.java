package io.heavykv.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RopeTest {
    private static final int HEAD = 8;
    private static final float THETA = 10000f;
    private static final RopeConfig PLAIN = RopeConfig.plain(HEAD, THETA);

    /** RoFormer's angle for pair i of d rotated dimensions, in double. */
    private static double angle(int position, int pair, int dims) {
        return position / Math.pow(THETA, 2.0 * pair / dims);
    }

    private static float[] gaussian(int n, long seed) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        return v;
    }

    /** Expects element a and b of each head of {@code rotated} to be those of {@code v} turned by {@code angle}. */
    private static void assertPairRotated(float[] v, float[] rotated, int o, int a, int b, double angle, float tolerance) {
        assertThat(rotated[o + a]).isCloseTo((float) (v[o + a] * Math.cos(angle) - v[o + b] * Math.sin(angle)), within(tolerance));
        assertThat(rotated[o + b]).isCloseTo((float) (v[o + a] * Math.sin(angle) + v[o + b] * Math.cos(angle)), within(tolerance));
    }

    @Test
    void adjacentPairsMatchADoublePrecisionReference() {
        Rope rope = new Rope(HEAD, PLAIN);
        for (int position : new int[] {0, 1, 17, 511, 3000}) {
            float[] v = gaussian(2 * HEAD + 1, position);
            float[] rotated = v.clone();
            rope.rotate(rotated, 1, 2, position);
            assertThat(rotated[0]).isEqualTo(v[0]);
            // Float angles lose precision at large positions, as in llama2.c: compare loosely there.
            float tolerance = position > 1000 ? 2e-3f : 1e-5f;
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < HEAD / 2; i++) {
                    assertPairRotated(v, rotated, 1 + h * HEAD, 2 * i, 2 * i + 1, angle(position, i, HEAD), tolerance);
                }
            }
        }
    }

    @Test
    void neoxRotatesHalvesAndLeavesDimensionsPastTheRotatedOnesAlone() {
        int dims = 4;
        Rope rope = new Rope(HEAD, new RopeConfig(RopeStyle.NEOX, dims, THETA, 1f, new float[0]));
        float[] v = gaussian(2 * HEAD, 5);
        float[] rotated = v.clone();
        rope.rotate(rotated, 0, 2, 37);
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < dims / 2; i++) {
                assertPairRotated(v, rotated, h * HEAD, i, i + dims / 2, angle(37, i, dims), 1e-5f);
            }
            for (int j = dims; j < HEAD; j++) assertThat(rotated[h * HEAD + j]).isEqualTo(v[h * HEAD + j]);
        }
    }

    @Test
    void neoxAndAdjacentPairsGiveDifferentRotations() {
        float[] normal = gaussian(HEAD, 9);
        float[] neox = normal.clone();
        new Rope(HEAD, PLAIN).rotate(normal, 0, 1, 5);
        new Rope(HEAD, new RopeConfig(RopeStyle.NEOX, HEAD, THETA, 1f, new float[0])).rotate(neox, 0, 1, 5);
        double diff = 0;
        for (int j = 0; j < HEAD; j++) diff += Math.abs(normal[j] - neox[j]);
        assertThat(diff).isGreaterThan(0.1);
    }

    @Test
    void linearScalingAndFrequencyFactorsSlowEachPairDown() {
        float[] factors = {1f, 2f, 4f, 8f};
        Rope rope = new Rope(HEAD, new RopeConfig(RopeStyle.NORMAL, HEAD, THETA, 3f, factors));
        float[] v = gaussian(HEAD, 11);
        float[] rotated = v.clone();
        rope.rotate(rotated, 0, 1, 300);
        for (int i = 0; i < HEAD / 2; i++) {
            // Linear scaling divides the position, a frequency factor divides its pair's frequency.
            assertPairRotated(v, rotated, 0, 2 * i, 2 * i + 1, angle(300, i, HEAD) / 3 / factors[i], 1e-4f);
        }
    }

    @Test
    void swappedPairsAndTheTableUndoARotation() {
        for (RopeConfig config : new RopeConfig[] {PLAIN, new RopeConfig(RopeStyle.NEOX, 6, THETA, 1f, new float[0])}) {
            Rope rope = new Rope(HEAD, config);
            float[] q = gaussian(HEAD, 13);
            float[] k = gaussian(HEAD, 14);
            float[] rotatedK = k.clone();
            rope.rotate(rotatedK, 0, 1, 42);
            float[] swapped = new float[HEAD + 2];
            rope.swapPairs(q, 0, swapped, 2);
            float[] t = rope.table(42);
            double expected = 0, viaTable = 0;
            for (int j = 0; j < HEAD; j++) {
                expected += q[j] * (double) rotatedK[j];
                float unrotatedQ = q[j] * t[42 * rope.stride() + j] + swapped[2 + j] * t[42 * rope.stride() + HEAD + j];
                viaTable += unrotatedQ * (double) k[j];
            }
            assertThat(viaTable).as("%s", config).isCloseTo(expected, within(1e-4));
        }
    }

    @Test
    void tableHoldsEachPairsCosinesThenSinesPerPosition() {
        Rope rope = new Rope(HEAD, PLAIN);
        float[] small = rope.table(3);
        assertThat(small.length).isGreaterThanOrEqualTo(4 * rope.stride());
        float[] large = rope.table(700);
        assertThat(large.length).isGreaterThanOrEqualTo(701 * rope.stride());
        for (int p : new int[] {0, 3, 700}) {
            for (int j = 0; j < HEAD; j++) {
                double a = angle(p, j / 2, HEAD);
                assertThat(large[p * rope.stride() + j]).isCloseTo((float) Math.cos(a), within(1e-4f));
                assertThat(large[p * rope.stride() + HEAD + j]).isCloseTo((float) Math.sin(a), within(1e-4f));
                if (p <= 3) assertThat(small[p * rope.stride() + j]).isEqualTo(large[p * rope.stride() + j]);
            }
        }
    }

    @Test
    void oneInstanceServesEachShape() {
        assertThat(Rope.of(HEAD, PLAIN)).isSameAs(Rope.of(HEAD, RopeConfig.plain(HEAD, THETA)));
        assertThat(Rope.of(HEAD, PLAIN)).isNotSameAs(Rope.of(HEAD, RopeConfig.plain(HEAD, 500000f)));
        assertThat(Rope.of(HEAD, PLAIN)).isNotSameAs(Rope.of(2 * HEAD, PLAIN));
        assertThat(Rope.of(HEAD, PLAIN)).isNotSameAs(Rope.of(HEAD, new RopeConfig(RopeStyle.NORMAL, HEAD, THETA, 1f, new float[] {1, 1, 1, 2})));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new Rope(7, RopeConfig.plain(6, THETA))).hasMessageContaining("even head size, got 7");
        assertThatThrownBy(() -> new Rope(HEAD, PLAIN).table(-1)).hasMessageContaining("negative position -1");
        assertThatThrownBy(() -> new Rope(HEAD, RopeConfig.plain(2 * HEAD, THETA))).hasMessageContaining("rotates 16 dimensions of a head of 8");
        assertThatThrownBy(() -> new RopeConfig(RopeStyle.NORMAL, 7, THETA, 1f, new float[0])).hasMessageContaining("positive and even, got 7");
        assertThatThrownBy(() -> new RopeConfig(RopeStyle.NORMAL, HEAD, THETA, 0f, new float[0])).hasMessageContaining("linear scaling factor");
        assertThatThrownBy(() -> new RopeConfig(RopeStyle.NORMAL, HEAD, THETA, 1f, new float[3])).hasMessageContaining("3 frequency factors, expected one per pair: 4");
        assertThatThrownBy(() -> new RopeConfig(RopeStyle.NORMAL, HEAD, THETA, 1f, new float[] {1, 1, -1, 1})).hasMessageContaining("frequency factor -1.0");
    }
}
