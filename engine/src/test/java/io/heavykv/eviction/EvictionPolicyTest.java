package io.heavykv.eviction;

import io.heavykv.eviction.schedule.Schedule;
import io.heavykv.runtime.KvCacheConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvictionPolicyTest {
    /** Sink 0, recent 0, per-token blocks, every layer, every step, keep a third. */
    private static final H2oConfig BARE = new H2oConfig(1, 1.0, 0, 0, Schedule.defaults().withTargetKeepRatio(1.0 / 3));

    /** Attention that loves the keys in {@code hot} and barely looks at anything else. */
    private static SyntheticDriver.Attention hot(int... hot) {
        return (layer, head, q, k) -> Arrays.stream(hot).anyMatch(h -> h == k) ? 100.0 : 1.0;
    }

    private static void assertConsistent(SyntheticDriver driver) {
        for (int l = 0; l < driver.cache().layers(); l++) {
            int[] positions = driver.positions(l);
            for (int i = 1; i < positions.length; i++) assertThat(positions[i]).isGreaterThan(positions[i - 1]);
            assertThat(driver.valuePositions(l, 1)).containsExactly(positions);
        }
    }

    @Test
    void fullKeepsEverything() {
        var driver = new SyntheticDriver(new FullConfig(), SyntheticDriver.uniform());
        driver.run(40, 3);
        for (int l = 0; l < 3; l++) assertThat(driver.positions(l)).containsExactly(IntStream.range(0, 120).toArray());
        EvictionStats stats = driver.stats();
        assertThat(stats.lossyRatio()).isEqualTo(1.0);
        assertThat(stats.evictingLossyRatio()).isEqualTo(1.0);
        assertThat(stats.plansApplied()).isZero();
        assertThat(stats.peakResidentBytes()).isEqualTo(driver.cache().residentBytes());
    }

    @Test
    void streamingKeepsSinkAndWindow() {
        var driver = new SyntheticDriver(new StreamingConfig(4, 16), SyntheticDriver.uniform());
        driver.run(100, 1);
        // The plan made after position 98 kept 0-3 and 83-98; position 99 came after it.
        int[] expected = IntStream.concat(IntStream.range(0, 4), IntStream.range(83, 100)).toArray();
        for (int l = 0; l < 3; l++) assertThat(driver.positions(l)).containsExactly(expected);
        assertConsistent(driver);
        // Stats count what stays once the plan made after position 99 is applied: 4 + 16.
        assertThat(driver.stats().lossyRatio()).isCloseTo(100.0 / 20, within(1e-9));
        assertThat(driver.stats().plansRejected()).isZero();
    }

    @Test
    void h2oKeepsHeavyHittersAndDropsTheRest() {
        // Hot tokens arrive once the budget (a third of the tokens seen) exceeds the recent floor.
        var driver = new SyntheticDriver(BARE.withRecentTokens(4), hot(15, 27, 40));
        driver.run(90, 1);
        for (int l = 0; l < 3; l++) {
            assertThat(driver.positions(l)).contains(15, 27, 40, 86, 87, 88, 89);
            assertThat(driver.positions(l).length).isBetween(30, 31);
        }
        assertConsistent(driver);
        assertThat(driver.stats().evictingLossyRatio()).isGreaterThanOrEqualTo(3.0);
    }

    @Test
    void raisingSinkTokensKeepsMoreLeadingTokens() {
        var attention = hot(50, 51, 52);
        var small = new SyntheticDriver(BARE.withSinkTokens(2).withRecentTokens(4).withTargetKeepRatio(0.1), attention);
        var large = new SyntheticDriver(BARE.withSinkTokens(10).withRecentTokens(4).withTargetKeepRatio(0.1), attention);
        small.run(100, 1);
        large.run(100, 1);
        assertThat(leading(small.positions(0))).isEqualTo(2);
        assertThat(leading(large.positions(0))).isEqualTo(10);
    }

    @Test
    void raisingRecentTokensKeepsMoreTrailingTokens() {
        // A budget below the floor: exactly the floor stays.
        var attention = SyntheticDriver.uniform();
        var small = new SyntheticDriver(BARE.withRecentTokens(3).withTargetKeepRatio(0.01), attention);
        var large = new SyntheticDriver(BARE.withRecentTokens(12).withTargetKeepRatio(0.01), attention);
        small.run(100, 1);
        large.run(100, 1);
        // Plus one: the last token arrived after the last plan.
        assertThat(trailing(small.positions(0), 99)).isEqualTo(4);
        assertThat(trailing(large.positions(0), 99)).isEqualTo(13);
    }

    /** Leading run 0, 1, 2, ... of positions. */
    private static int leading(int[] positions) {
        int n = 0;
        while (n < positions.length && positions[n] == n) n++;
        return n;
    }

    /** Trailing run ..., last - 1, last of positions. */
    private static int trailing(int[] positions, int last) {
        int n = 0;
        while (n < positions.length && positions[positions.length - 1 - n] == last - n) n++;
        return n;
    }

    @Test
    void updateIntervalSpacesPlans() {
        var driver = new SyntheticDriver(BARE.withUpdateInterval(5), SyntheticDriver.uniform());
        List<Integer> planSteps = new ArrayList<>();
        long applied = 0;
        for (int step = 0; step < 60; step++) {
            driver.step(1);
            if (driver.stats().plansApplied() > applied) {
                planSteps.add(step);
                applied = driver.stats().plansApplied();
            }
        }
        assertThat(planSteps).hasSizeBetween(10, 12);
        for (int i = 1; i < planSteps.size(); i++) assertThat(planSteps.get(i) - planSteps.get(i - 1)).isGreaterThanOrEqualTo(5);
        var everyStep = new SyntheticDriver(BARE, SyntheticDriver.uniform());
        everyStep.run(60, 1);
        // A third of the steps need no eviction: the budget grew by one token, as did the cache.
        assertThat(everyStep.stats().plansApplied()).isGreaterThan(35);
    }

    @Test
    void triggerMinTokensDelaysEviction() {
        var driver = new SyntheticDriver(BARE.withTriggerMinTokens(40), SyntheticDriver.uniform());
        driver.run(39, 1);
        assertThat(driver.controller().hasPendingPlan()).isFalse();
        driver.run(1, 1);
        assertThat(driver.stats().plansApplied()).isZero();
        assertThat(driver.controller().hasPendingPlan()).isTrue();
        driver.run(1, 1);
        assertThat(driver.stats().plansApplied()).isEqualTo(1);
        assertThat(driver.positions(0)).hasSize(13 + 1);
    }

    @Test
    void layersOutsideTheRangeNeverEvict() {
        var driver = new SyntheticDriver(BARE.withLayers(1, 1), SyntheticDriver.uniform());
        driver.run(60, 1);
        assertThat(driver.positions(0)).hasSize(60);
        assertThat(driver.positions(2)).hasSize(60);
        // The last plan saw 59 tokens and kept floor(59 / 3); position 59 came after it.
        assertThat(driver.positions(1)).hasSize(19 + 1);
        EvictionStats stats = driver.stats();
        assertThat(stats.layers().get(0).evicting()).isFalse();
        assertThat(stats.layers().get(1).evicting()).isTrue();
        assertThat(stats.evictingLossyRatio()).isCloseTo(60.0 / 20, within(1e-9));
        assertThat(stats.lossyRatio()).isCloseTo(180.0 / 140, within(1e-9));
        var lastOnly = new SyntheticDriver(BARE.withLayers(2, -1), SyntheticDriver.uniform());
        lastOnly.run(30, 1);
        assertThat(lastOnly.positions(1)).hasSize(30);
        assertThat(lastOnly.positions(2)).hasSize(9 + 1);
    }

    @Test
    void adaptiveModeConvergesNearTheTargetLossyRatio() {
        // Floors and big blocks make a static ratio of 1/3 miss 3x by far; adaptive mode must compensate.
        H2oConfig config = BARE.withSinkTokens(4).withRecentTokens(24).withBlockTokens(8).withSlack(16)
                .withTargetKeepRatio(0.5);
        var fixed = new SyntheticDriver(config, hot(7, 100, 300));
        var adaptive = new SyntheticDriver(config.withAdaptiveTarget(3.0), hot(7, 100, 300));
        fixed.run(600, 1);
        adaptive.run(600, 1);
        assertThat(fixed.stats().evictingLossyRatio()).isLessThan(2.5);
        double sum = 0;
        for (int i = 0; i < 100; i++) {
            adaptive.step(1);
            sum += adaptive.stats().evictingLossyRatio();
        }
        assertThat(sum / 100).isCloseTo(3.0, within(0.3));
        assertConsistent(adaptive);
    }

    @Test
    void blockQuantizationKeepsWholeBlocks() {
        // Hot tokens come late enough for the budget to hold a few 8-token blocks.
        var blocks = new SyntheticDriver(BARE.withBlockTokens(8).withTargetKeepRatio(0.3), hot(100, 101));
        var tokens = new SyntheticDriver(BARE.withTargetKeepRatio(0.3), hot(100, 101));
        blocks.run(30, 8);
        tokens.run(30, 8);
        int[] kept = blocks.positions(0);
        // The last step's 8 tokens came after the last plan; all before form whole blocks.
        assertThat(kept.length % 8).isZero();
        for (int i = 0; i < kept.length; i += 8) {
            assertThat(kept[i] % 8).isZero();
            for (int j = 1; j < 8; j++) assertThat(kept[i + j]).isEqualTo(kept[i] + j);
        }
        assertThat(kept).contains(96, 97, 98, 99, 100, 101, 102, 103);
        assertThat(tokens.positions(0)).contains(100, 101);
        assertThat(tokens.positions(0).length % 8).isNotZero();
        LayerStats layer = blocks.stats().layers().get(0);
        assertThat(layer.quantizedKeep()).isLessThanOrEqualTo(layer.effectiveKeep())
                .isGreaterThan(layer.effectiveKeep() - 8);
    }

    @Test
    void slackDelaysEvictionUntilTheCacheExceedsTheBudgetBySlack() {
        var eager = new SyntheticDriver(BARE, SyntheticDriver.uniform());
        var lazy = new SyntheticDriver(BARE.withSlack(20), SyntheticDriver.uniform());
        int eagerFirst = firstPlanStep(eager);
        int lazyFirst = firstPlanStep(lazy);
        assertThat(eagerFirst).isLessThan(3);
        // Budget floor(n / 3); the first plan comes once n > floor(n / 3) + 20, that is n = 31.
        assertThat(lazyFirst).isEqualTo(30);
        lazy.run(100, 1);
        eager.run(lazyFirst - eagerFirst + 100, 1);
        int seen = lazy.stats().tokensSeen();
        for (int l = 0; l < 3; l++) {
            assertThat(lazy.positions(l).length).isLessThanOrEqualTo(seen / 3 + 20 + 1);
        }
        assertThat(lazy.stats().plansApplied()).isLessThan(eager.stats().plansApplied() / 5);
    }

    /** Steps until a plan is ready, counting from 0; a policy that never plans fails rather than loops. */
    private static int firstPlanStep(SyntheticDriver driver) {
        int limit = 1_000;
        for (int step = 0; step < limit; step++) {
            driver.step(1);
            if (driver.controller().hasPendingPlan()) return step;
        }
        throw new AssertionError("no reserve plan within " + limit + " steps");
    }

    @Test
    void emaAlphaSetsHowLongOldAttentionCounts() {
        // Position 30 is hot until position 60, then attention moves to position 70.
        SyntheticDriver.Attention shifting = (layer, head, q, k) -> (q < 60 ? k == 30 : k == 70) ? 50.0 : 1.0;
        H2oConfig config = BARE.withRecentTokens(2).withTargetKeepRatio(0.1);
        var forgetful = new SyntheticDriver(config.withEmaAlpha(1.0), shifting);
        var memory = new SyntheticDriver(config.withEmaAlpha(0.01), shifting);
        forgetful.run(120, 1);
        memory.run(120, 1);
        assertThat(forgetful.positions(0)).contains(70).doesNotContain(30);
        assertThat(memory.positions(0)).contains(30, 70);
    }

    @Test
    void headsOfAGroupAddIntoTheirKvHeadScore() {
        // Query heads 0 and 1 share KV head 0. Position 30 gets weight from both (about 0.2 + 0.34),
        // position 20 more from head 0 alone (about 0.4): the group sum ranks 30 first, a max over query
        // heads would rank 20 first. One plan, at 60 tokens, keeps the 2 recent tokens and one more.
        SyntheticDriver.Attention attention = (layer, head, q, k) -> {
            if (k == 30 && head < 2) return 30.0;
            if (k == 20 && head == 0) return 60.0;
            return 1.0;
        };
        H2oConfig once = BARE.withRecentTokens(2).withTargetKeepRatio(0.05).withTriggerMinTokens(60).withUpdateInterval(1000);
        var driver = new SyntheticDriver(once, attention);
        driver.run(61, 1);
        assertThat(driver.stats().plansApplied()).isEqualTo(1);
        assertThat(driver.positions(0)).containsExactly(30, 58, 59, 60);
    }

    @Test
    void invalidPlansAreRejectedAndLeaveTheCacheUntouched() {
        var driver = new SyntheticDriver(BARE.withTriggerMinTokens(1000), SyntheticDriver.uniform());
        driver.run(20, 1);
        ReservePlan bad = new ReservePlan(3);
        bad.begin(0, 20, 5, 6);
        bad.keep(0, 10, 16);
        bad.keep(0, 2, 5);
        driver.controller().submit(bad);
        driver.step(1);
        EvictionStats stats = driver.stats();
        assertThat(stats.plansRejected()).isEqualTo(1);
        assertThat(stats.lastRejection()).contains("layer 0").contains("sorted");
        assertThat(driver.positions(0)).containsExactly(IntStream.range(0, 21).toArray());
        assertConsistent(driver);

        ReservePlan good = new ReservePlan(3);
        good.begin(0, 21, 3, 3);
        good.keep(0, 0, 3);
        driver.controller().submit(good);
        driver.step(1);
        assertThat(driver.stats().plansApplied()).isEqualTo(1);
        assertThat(driver.positions(0)).containsExactly(0, 1, 2, 21);
        assertConsistent(driver);
    }

    @Test
    void activeAndPendingPlansNeverShareStorage() {
        var driver = new SyntheticDriver(BARE, SyntheticDriver.uniform());
        for (int i = 0; i < 30; i++) {
            driver.step(1);
            EvictionController controller = driver.controller();
            assertThat(controller.activePlan()).isNotSameAs(controller.pendingPlan());
            assertThat(controller.activePlan().sharesNothingWith(controller.pendingPlan())).isTrue();
        }
        assertThat(driver.stats().plansApplied()).isGreaterThan(15);
    }

    @Test
    void resetClearsPlansAndScores() {
        var hotPhase = new java.util.concurrent.atomic.AtomicBoolean(true);
        var driver = new SyntheticDriver(BARE.withRecentTokens(2).withTargetKeepRatio(0.1),
                (layer, head, q, k) -> hotPhase.get() && k == 35 ? 100.0 : 1.0);
        driver.run(51, 1);
        assertThat(driver.positions(0)).contains(35);
        assertThat(driver.controller().hasPendingPlan()).isTrue();
        driver.cache().reset();
        assertThat(driver.controller().hasPendingPlan()).isFalse();
        assertThat(driver.controller().activePlan().isEmpty()).isTrue();
        assertThat(driver.stats().plansApplied()).isZero();
        assertThat(driver.stats().tokensSeen()).isZero();
        assertThat(driver.cache().length(0)).isZero();
        // Old scores must not leak: position 35 is no longer hot, so it loses to newer tokens.
        hotPhase.set(false);
        driver.run(50, 1);
        assertThat(driver.positions(0)).doesNotContain(35);
    }

    @Test
    void configsRejectNonsense() {
        assertThatThrownBy(() -> BARE.withEmaAlpha(0)).hasMessageContaining("ema_alpha");
        assertThatThrownBy(() -> BARE.withTargetKeepRatio(1.5)).hasMessageContaining("target_keep_ratio");
        assertThatThrownBy(() -> BARE.withAdaptiveTarget(0.5)).hasMessageContaining("target_lossy_ratio");
        assertThatThrownBy(() -> BARE.withLayers(3, 1)).hasMessageContaining("before layer_start");
        assertThatThrownBy(() -> BARE.withUpdateInterval(0)).hasMessageContaining("update_interval");
        assertThatThrownBy(() -> BARE.withSlack(-1)).hasMessageContaining("slack");
        assertThatThrownBy(() -> BARE.withBlockTokens(0)).hasMessageContaining("block_tokens");
        assertThatThrownBy(() -> new StreamingConfig(4, 0)).hasMessageContaining("window");
        assertThatThrownBy(() -> BARE.withLayers(0, 7).create(SyntheticDriver.GEOMETRY)).hasMessageContaining("3 layers");
        assertThatThrownBy(() -> KvCacheConfig.defaults().withPageTokens(0)).hasMessageContaining("pageTokens");
        assertThatThrownBy(() -> KvCacheConfig.defaults().withPolicy(null)).hasMessageContaining("policy");
    }
}
