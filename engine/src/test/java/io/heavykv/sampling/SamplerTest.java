package io.heavykv.sampling;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SamplerTest {
    private static final int DRAWS = 20_000;

    @Test
    void greedyPicksTheMaximumAndTheLowestIndexOnTies() {
        Sampler greedy = Sampler.of(0f, 0.9f, 1);
        assertThat(greedy).isInstanceOf(GreedySampler.class);
        assertThat(greedy.sample(new float[] {0.1f, 3f, -2f, 2.9f})).isEqualTo(1);
        assertThat(greedy.sample(new float[] {1f, 5f, 5f, 5f})).isEqualTo(1);
        assertThat(greedy.sample(new float[] {Float.NEGATIVE_INFINITY, -1e30f})).isEqualTo(1);
        assertThatThrownBy(() -> greedy.sample(new float[] {1f, Float.NaN})).hasMessageContaining("NaN at index 1");
    }

    @Test
    void temperatureOneSamplesTheSoftmaxDistribution() {
        double[] freq = frequencies(new TemperatureSampler(1f, 1f, 42), logitsOf(0.5, 0.3, 0.2));
        assertThat(freq[0]).isCloseTo(0.5, within(0.02));
        assertThat(freq[1]).isCloseTo(0.3, within(0.02));
        assertThat(freq[2]).isCloseTo(0.2, within(0.02));
    }

    @Test
    void lowTemperatureSharpensTheDistribution() {
        // Temperature 0.5 squares the probabilities: 0.25, 0.09, 0.04 over 0.38.
        double[] freq = frequencies(new TemperatureSampler(0.5f, 1f, 7), logitsOf(0.5, 0.3, 0.2));
        assertThat(freq[0]).isCloseTo(0.25 / 0.38, within(0.02));
        assertThat(freq[1]).isCloseTo(0.09 / 0.38, within(0.02));
        assertThat(freq[2]).isCloseTo(0.04 / 0.38, within(0.02));
    }

    @Test
    void topPKeepsTheSmallestSetExceedingPAndRenormalizes() {
        // Sorted cumulative mass: 0.5, 0.8 > 0.7, so only the two most likely tokens remain, as 5/8 and 3/8.
        float[] logits = logitsOf(0.15, 0.5, 0.05, 0.3);
        double[] freq = frequencies(new TemperatureSampler(1f, 0.7f, 3), logits);
        assertThat(freq[1]).isCloseTo(0.625, within(0.02));
        assertThat(freq[3]).isCloseTo(0.375, within(0.02));
        assertThat(freq[0]).isZero();
        assertThat(freq[2]).isZero();
        // With p = 0.9 the cumulative mass first exceeds it at 0.95: three tokens, the 0.05 tail still excluded.
        double[] wider = frequencies(new TemperatureSampler(1f, 0.9f, 3), logits);
        assertThat(wider[1]).isCloseTo(0.5 / 0.95, within(0.02));
        assertThat(wider[3]).isCloseTo(0.3 / 0.95, within(0.02));
        assertThat(wider[0]).isCloseTo(0.15 / 0.95, within(0.02));
        assertThat(wider[2]).isZero();
    }

    @Test
    void tinyTopPOnAFlatDistributionKeepsTheTopToken() {
        // No token clears llama2.c's (1 - p) / (n - 1) = 0.495 cutoff here; the nucleus is still the top token.
        TemperatureSampler sampler = new TemperatureSampler(1f, 0.01f, 5);
        for (int i = 0; i < 100; i++) assertThat(sampler.sample(logitsOf(0.2, 0.45, 0.35))).isEqualTo(1);
    }

    @Test
    void sameSeedSameTokensDifferentSeedDifferentTokens() {
        float[] logits = new float[512];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) Math.sin(i);
        assertThat(draws(Sampler.of(0.8f, 0.9f, 1234), logits)).containsExactly(draws(Sampler.of(0.8f, 0.9f, 1234), logits));
        assertThat(draws(Sampler.of(0.8f, 0.9f, 1234), logits)).isNotEqualTo(draws(Sampler.of(0.8f, 0.9f, 1235), logits));
    }

    @Test
    void logitsAreLeftUnchanged() {
        float[] logits = {1f, 2f, 3f};
        Sampler.of(1f, 0.5f, 9).sample(logits);
        assertThat(logits).containsExactly(1f, 2f, 3f);
    }

    @Test
    void randomStreamIsUniform() {
        XorShiftRandom random = new XorShiftRandom(99);
        int[] buckets = new int[10];
        for (int i = 0; i < DRAWS; i++) {
            float u = random.nextFloat();
            assertThat(u).isGreaterThanOrEqualTo(0f).isLessThan(1f);
            buckets[(int) (u * 10)]++;
        }
        for (int b : buckets) assertThat(b).isBetween(DRAWS / 10 - 300, DRAWS / 10 + 300);
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThatThrownBy(() -> Sampler.of(-0.1f, 1f, 1)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> Sampler.of(Float.NaN, 1f, 1)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> Sampler.of(Float.POSITIVE_INFINITY, 1f, 1)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> Sampler.of(1f, 0f, 1)).hasMessageContaining("top-p");
        assertThatThrownBy(() -> Sampler.of(1f, 1.01f, 1)).hasMessageContaining("top-p");
        assertThatThrownBy(() -> Sampler.of(0f, Float.NaN, 1)).hasMessageContaining("top-p");
        assertThatThrownBy(() -> Sampler.of(1f, 1f, 0)).hasMessageContaining("seed");
        assertThatThrownBy(() -> Sampler.of(1f, 1f, 1).sample(new float[0])).hasMessageContaining("empty");
    }

    private static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) Math.log(probabilities[i]);
        return logits;
    }

    private static double[] frequencies(Sampler sampler, float[] logits) {
        double[] freq = new double[logits.length];
        for (int i = 0; i < DRAWS; i++) freq[sampler.sample(logits)] += 1.0 / DRAWS;
        return freq;
    }

    private static int[] draws(Sampler sampler, float[] logits) {
        int[] out = new int[50];
        Arrays.setAll(out, i -> sampler.sample(logits));
        return out;
    }
}
