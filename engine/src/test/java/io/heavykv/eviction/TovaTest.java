package io.heavykv.eviction;

import io.heavykv.eviction.schedule.Schedule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TovaTest {
    private static final Schedule TENTH = Schedule.defaults().withTargetKeepRatio(0.1);

    @Test
    void onlyTheStepsLastQueryCounts() {
        // Every query of a 60-token prompt looks at 7 but the last, which looks at 5.
        SyntheticDriver.Attention attention = (layer, head, q, k) -> (q < 59 && k == 7) || (q == 59 && k == 5) ? 100.0 : 1.0;
        var tova = new SyntheticDriver(new TovaConfig(0, 0, TENTH), attention);
        tova.step(60);
        tova.step(1);
        assertThat(tova.positions(0)).hasSize(7).contains(5).doesNotContain(7);
        // H2O sums every query of the step, so it keeps 7.
        var h2o = new SyntheticDriver(new H2oConfig(1, 1.0, 0, 0, TENTH), attention);
        h2o.step(60);
        h2o.step(1);
        assertThat(h2o.positions(0)).contains(7);
    }

    @Test
    void decodingOneTokenAtATimeItRanksAsH2oWithoutMemory() {
        // With one query per step, TOVA and H2O with alpha 1 (the last step only) see the same weights.
        SyntheticDriver.Attention attention = (layer, head, q, k) -> 1 + Math.floorMod(q * 31 + k * 17 + head * 5 + layer, 11);
        var tova = new SyntheticDriver(new TovaConfig(2, 3, TENTH), attention);
        var h2o = new SyntheticDriver(new H2oConfig(1, 1.0, 2, 3, TENTH), attention);
        for (int step = 0; step < 120; step++) {
            tova.step(1);
            h2o.step(1);
            for (int l = 0; l < 3; l++) assertThat(tova.positions(l)).as("layer %d after step %d", l, step).containsExactly(h2o.positions(l));
        }
        assertThat(tova.stats().plansApplied()).isGreaterThan(100);
        assertThat(tova.stats().plansRejected()).isZero();
    }

    @Test
    void aTokenTheCurrentQueryIgnoresGoesWhateverEarlierQueriesThought() {
        // Key 20 is hot for queries before 60 only.
        SyntheticDriver.Attention attention = (layer, head, q, k) -> q < 60 && k == 20 ? 1000.0 : 1.0;
        var tova = new SyntheticDriver(new TovaConfig(0, 4, Schedule.defaults().withTargetKeepRatio(0.5)), attention);
        tova.run(59, 1);
        assertThat(tova.positions(0)).contains(20);
        // Plans use the weights of the step they end: the first plan of query 60 is applied at step 62.
        tova.run(3, 1);
        assertThat(tova.positions(0)).doesNotContain(20);
    }
}
