package io.heavykv.eviction;

import io.heavykv.eviction.schedule.Schedule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class H2oCapacityTest {
    private static final H2oConfig KEEP_ALL_CAPPED =
            new H2oConfig(1, 0.3, 2, 4, Schedule.defaults().withTargetKeepRatio(1.0).withMaxKeepTokens(20));

    @Test
    void capStopsTheCacheGrowingWhileTheRatioAloneWouldKeepEverything() {
        var capped = new SyntheticDriver(KEEP_ALL_CAPPED, SyntheticDriver.uniform());
        var uncapped = new SyntheticDriver(KEEP_ALL_CAPPED.withMaxKeepTokens(0), SyntheticDriver.uniform());
        capped.run(200, 1);
        uncapped.run(200, 1);
        // The plan made after token 199 has not been applied yet: 20 kept plus the newest one.
        for (int l = 0; l < 3; l++) {
            assertThat(capped.positions(l).length).isEqualTo(21);
            assertThat(uncapped.positions(l).length).isEqualTo(200);
        }
        assertThat(capped.stats().plansRejected()).isZero();
        assertThat(capped.positions(0)).startsWith(0, 1).endsWith(196, 197, 198, 199);
    }

    @Test
    void negativeCapIsRejectedByName() {
        assertThatThrownBy(() -> KEEP_ALL_CAPPED.withMaxKeepTokens(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_keep_tokens");
    }
}
