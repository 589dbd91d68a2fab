package io.heavykv.eviction;

import io.heavykv.eviction.schedule.Schedule;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SnapKvTest {
    /** A 100-token prompt whose observation window (the last 8 queries) looks at 10 and 50, earlier queries at 30. */
    private static final SyntheticDriver.Attention VOTES = (layer, head, q, k) -> {
        if (q >= 92 && q < 100 && (k == 10 || k == 50)) return 100.0;
        if (q < 92 && k == 30) return 100.0;
        return 1.0;
    };

    private static SnapKvConfig snapKv(int kernel, SnapKvConfig.Decode decode, double keep) {
        return new SnapKvConfig(8, kernel, SnapKvConfig.Pooling.MAX, 0, decode, Schedule.defaults().withTargetKeepRatio(keep));
    }

    @Test
    void theObservationWindowVotesAtPrefill() {
        var driver = new SyntheticDriver(snapKv(1, SnapKvConfig.Decode.H2O, 0.2), VOTES);
        driver.step(100);
        driver.step(1);
        for (int l = 0; l < 3; l++) {
            int[] kept = driver.positions(l);
            // 20 of 100: the window 92-99, the two voted tokens, and the most recent of the tied rest; then the new token.
            assertThat(kept).hasSize(21).contains(10, 50).contains(IntStream.rangeClosed(92, 100).toArray()).doesNotContain(30);
        }
        assertThat(driver.stats().plansRejected()).isZero();
    }

    @Test
    void attentionOutsideTheWindowIsWhatH2oWouldKeep() {
        var h2o = new SyntheticDriver(new H2oConfig(1, 1.0, 0, 8, Schedule.defaults().withTargetKeepRatio(0.2)), VOTES);
        h2o.step(100);
        h2o.step(1);
        assertThat(h2o.positions(0)).contains(30);
    }

    @Test
    void poolingKeepsTheNeighboursOfAVotedToken() {
        var driver = new SyntheticDriver(snapKv(3, SnapKvConfig.Decode.H2O, 0.2), VOTES);
        driver.step(100);
        driver.step(1);
        assertThat(driver.positions(1)).contains(9, 10, 11, 49, 50, 51).doesNotContain(30);
    }

    @Test
    void decodingWithAWindowKeepsPromptTokensOfTheSelectionAndTheNewestGeneratedOnes() {
        var driver = new SyntheticDriver(snapKv(1, SnapKvConfig.Decode.WINDOW, 0.2), VOTES);
        driver.step(100);
        driver.step(1);
        int[] selected = Arrays.copyOf(driver.positions(0), 20);
        driver.run(59, 1);
        for (int l = 0; l < 3; l++) {
            int[] kept = driver.positions(l);
            assertThat(kept).hasSize(32);
            int[] prompt = IntStream.of(kept).filter(p -> p < 100).toArray();
            int[] generated = IntStream.of(kept).filter(p -> p >= 100).toArray();
            assertThat(selected).contains(prompt);
            // The window slides over the generated tokens: every one newer than the oldest kept is kept.
            assertThat(generated).containsExactly(IntStream.range(160 - generated.length, 160).toArray());
            // Prompt tokens outrank generated ones: the middle (24 slots) holds generated ones only beside them.
            assertThat(prompt.length + generated.length - 8).isEqualTo(24);
            assertThat(prompt.length).isGreaterThan(generated.length - 8);
        }
        assertThat(driver.stats().plansRejected()).isZero();
    }

    @Test
    void decodingAsH2oKeepsAGeneratedTokenTheQueriesLookAt() {
        // Generated queries look at token 100; a window would drop it as the newer tokens come.
        SyntheticDriver.Attention attention = (layer, head, q, k) -> q > 100 && k == 100 ? 100.0 : VOTES.weight(layer, head, q, k);
        var h2o = new SyntheticDriver(snapKv(1, SnapKvConfig.Decode.H2O, 0.2), attention);
        var window = new SyntheticDriver(snapKv(1, SnapKvConfig.Decode.WINDOW, 0.2), attention);
        for (SyntheticDriver d : new SyntheticDriver[] {h2o, window}) {
            d.step(100);
            d.run(60, 1);
        }
        assertThat(h2o.positions(0)).contains(100);
        assertThat(window.positions(0)).doesNotContain(100);
    }

    @Test
    void pyramidKvShrinksTheBudgetWithDepthAtTheSameTotal() {
        var flat = new SyntheticDriver(snapKv(1, SnapKvConfig.Decode.H2O, 0.5), VOTES);
        var pyramid = new SyntheticDriver(new PyramidKvConfig(snapKv(1, SnapKvConfig.Decode.H2O, 0.5), 4), VOTES);
        for (SyntheticDriver d : new SyntheticDriver[] {flat, pyramid}) {
            d.step(100);
            d.step(1);
            assertThat(d.stats().plansRejected()).isZero();
        }
        int[] kept = IntStream.range(0, 3).map(l -> pyramid.positions(l).length).toArray();
        assertThat(kept[0]).isGreaterThan(kept[1]);
        assertThat(kept[1]).isGreaterThan(kept[2]);
        // Every layer keeps the window and the voted tokens, however small its share.
        for (int l = 0; l < 3; l++) assertThat(pyramid.positions(l)).contains(10, 50, 92, 99);
        int flatTotal = IntStream.range(0, 3).map(l -> flat.positions(l).length).sum();
        assertThat(IntStream.of(kept).sum()).isBetween(flatTotal - 3, flatTotal);
    }

    @Test
    void badSettingsAreRefusedNamingThem() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PyramidKvConfig(SnapKvConfig.defaults(), 0.5))
                .hasMessageContaining("beta");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> snapKv(2, SnapKvConfig.Decode.H2O, 0.2))
                .hasMessageContaining("kernel_size");
    }
}
