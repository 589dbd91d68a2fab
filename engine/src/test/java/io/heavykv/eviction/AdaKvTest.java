package io.heavykv.eviction;

import io.heavykv.eviction.schedule.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AdaKvTest {
    /** Sink 0, recent 0, per-token blocks, last step's attention only, keep a third, no guaranteed share. */
    private static final AdaKvConfig BARE = new AdaKvConfig(1, 1.0, 0.0, 0, 0, Schedule.defaults().withTargetKeepRatio(1.0 / 3));
    private static final int LAYER_TOKENS = 20;

    /** KV head 0's query heads (0 and 1) look almost only at keys 5 and 9; KV head 1's spread evenly. */
    private static final SyntheticDriver.Attention SPLIT = (layer, head, q, k) ->
            head < 2 ? (k == 5 || k == 9 ? 1000.0 : 1.0) : 1.0;

    private static void assertConsistent(SyntheticDriver driver) {
        for (int l = 0; l < driver.cache().layers(); l++) {
            for (int g = 0; g < SyntheticDriver.GEOMETRY.kvHeads(); g++) {
                int[] positions = driver.positions(l, g);
                for (int i = 1; i < positions.length; i++) assertThat(positions[i]).isGreaterThan(positions[i - 1]);
                assertThat(driver.valuePositions(l, g)).containsExactly(positions);
            }
        }
    }

    @Test
    void aHeadThatConcentratesItsAttentionCedesBudgetToOneThatSpreadsIt() {
        var driver = new SyntheticDriver(BARE, SPLIT);
        driver.run(60, 1);
        assertThat(driver.stats().plansRejected()).isZero();
        for (int l = 0; l < 3; l++) {
            int[] focused = driver.positions(l, 0);
            int[] spread = driver.positions(l, 1);
            assertThat(focused).contains(5, 9);
            assertThat(focused.length).isLessThan(8);
            assertThat(spread.length).isGreaterThan(30);
            // Together the heads keep what two heads keeping a third each would (the plan made after 59 tokens,
            // then token 59 appended to both).
            assertThat(focused.length + spread.length - 2).isLessThanOrEqualTo(2 * (59 / 3));
            assertThat(focused.length + spread.length - 2).isGreaterThanOrEqualTo(2 * (59 / 3) - 1);
        }
        assertConsistent(driver);
    }

    @Test
    void everyHeadKeepsItsGuaranteedShare() {
        var driver = new SyntheticDriver(BARE.withHeadFloor(0.5), SPLIT);
        driver.run(60, 1);
        for (int l = 0; l < 3; l++) {
            // Half an even split of the budget of 19 made after 59 tokens, before the 60th arrived.
            assertThat(driver.positions(l, 0).length - 1).isGreaterThanOrEqualTo(9);
            assertThat(driver.positions(l, 0)).contains(5, 9);
        }
        assertConsistent(driver);
    }

    @Test
    void tokensAHeadDroppedCostThatHeadNoBytes() {
        var adakv = new SyntheticDriver(BARE, SPLIT);
        var h2o = new SyntheticDriver(new H2oConfig(1, 1.0, 0, 0, BARE.schedule()), SPLIT);
        adakv.run(64, 1);
        h2o.run(64, 1);
        long slots = 0;
        for (int l = 0; l < 3; l++) {
            for (int g = 0; g < 2; g++) slots += adakv.positions(l, g).length;
        }
        // One-head pages of 8 tokens: K and V of 8 floats each per token; the pages hold the kept slots and less than
        // a page of room per head and layer.
        long perSlot = 2L * 8 * 4;
        long bytes = adakv.cache().residentBytes();
        assertThat(bytes).isGreaterThanOrEqualTo(slots * perSlot).isLessThan((slots + 3 * 2 * 8) * perSlot);
        // About what H2O holds at the same budget, though the heads keep different tokens.
        assertThat((double) bytes).isLessThan(1.25 * h2o.cache().residentBytes());
    }

    /** A driver whose policy never plans by itself, each head of layer 0 holding {@value #LAYER_TOKENS} slots. */
    private static SyntheticDriver idle(PolicyConfig policy) {
        var driver = new SyntheticDriver(policy, SyntheticDriver.uniform());
        driver.run(LAYER_TOKENS, 1);
        return driver;
    }

    /** Sink floor of 2 and a target of 5 per head: the heads' middles share 2 * (5 - 2) = 6 slots. */
    private static final AdaKvConfig IDLE = new AdaKvConfig(1, 1.0, 0.0, 2, 0,
            Schedule.defaults().withTargetKeepRatio(1.0 / 3).withTriggerMinTokens(1000));

    private static ReservePlan heads(int[][]... ranges) {
        ReservePlan plan = new ReservePlan(3);
        plan.beginHeads(0, ranges.length, 5);
        for (int g = 0; g < ranges.length; g++) {
            int keep = 0;
            for (int[] r : ranges[g]) keep += r[1] - r[0];
            plan.beginHead(0, g, LAYER_TOKENS, keep);
            for (int[] r : ranges[g]) plan.keep(0, g, r[0], r[1]);
        }
        return plan;
    }

    @Test
    void aValidPerHeadPlanKeepsEachHeadsOwnRanges() {
        var driver = idle(IDLE);
        driver.controller().submit(heads(new int[][] {{0, 3}}, new int[][] {{0, 2}, {10, 15}}));
        driver.step(1);
        assertThat(driver.stats().plansRejected()).as(driver.stats().lastRejection()).isZero();
        assertThat(driver.positions(0, 0)).containsExactly(0, 1, 2, 20);
        assertThat(driver.positions(0, 1)).containsExactly(0, 1, 10, 11, 12, 13, 14, 20);
        assertThat(driver.positions(1, 0)).hasSize(21);
        // Kept tokens of the layer: the heads' 3 + 7 slots over 2 heads, then the new token.
        assertThat(driver.stats().layers().get(0).kept()).isEqualTo(6);
        assertConsistent(driver);
    }

    static Stream<Arguments> malformed() {
        int[][] sinkOnly = {{0, 2}};
        return Stream.of(
                Arguments.of("a whole-layer plan", wholeLayer(), "whole-layer plan for a layer that keeps tokens per KV head"),
                Arguments.of("three heads", heads(sinkOnly, sinkOnly, sinkOnly), "covers 3 KV heads, the layer has 2"),
                Arguments.of("over the shared budget", heads(new int[][] {{0, 6}}, new int[][] {{0, 5}}), "shared budget"),
                Arguments.of("under the shared budget", heads(sinkOnly, new int[][] {{0, 4}}), "shared budget"),
                Arguments.of("a head's sink dropped", heads(new int[][] {{0, 5}}, new int[][] {{1, 6}}), "kv head 1: sink floor"),
                Arguments.of("unsorted ranges", heads(new int[][] {{0, 2}, {12, 14}, {4, 6}}, sinkOnly), "kv head 0: range 2"),
                Arguments.of("a wrong declared keep", declaring(7), "the plan declares 7"),
                Arguments.of("a stale length", stale(), "planned for 19 slots"));
    }

    private static ReservePlan wholeLayer() {
        ReservePlan plan = new ReservePlan(3);
        plan.begin(0, LAYER_TOKENS, 5, 5);
        plan.keep(0, 0, 5);
        return plan;
    }

    private static ReservePlan declaring(int declared) {
        ReservePlan plan = heads(new int[][] {{0, 5}}, new int[][] {{0, 5}});
        plan.beginHead(0, 1, LAYER_TOKENS, declared);
        plan.keep(0, 1, 0, 5);
        return plan;
    }

    private static ReservePlan stale() {
        ReservePlan plan = heads(new int[][] {{0, 5}}, new int[][] {{0, 5}});
        plan.beginHead(0, 1, LAYER_TOKENS - 1, 5);
        plan.keep(0, 1, 0, 5);
        return plan;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedPerHeadPlansAreRejectedAndLeaveTheCacheUntouched(String what, ReservePlan plan,
                                                                   String problem) {
        var driver = idle(IDLE);
        driver.controller().submit(plan);
        driver.step(1);
        EvictionStats stats = driver.stats();
        assertThat(stats.plansRejected()).isEqualTo(1);
        assertThat(stats.lastRejection()).contains("layer 0").contains(problem);
        for (int g = 0; g < 2; g++) assertThat(driver.positions(0, g)).containsExactly(IntStream.range(0, LAYER_TOKENS + 1).toArray());
        assertConsistent(driver);
    }

    @Test
    void aPerHeadPlanForALayerThatKeepsTokensPerLayerIsRejected() {
        var driver = idle(new H2oConfig(1, 1.0, 2, 0, IDLE.schedule()));
        driver.controller().submit(heads(new int[][] {{0, 5}}, new int[][] {{0, 5}}));
        driver.step(1);
        assertThat(driver.stats().plansRejected()).isEqualTo(1);
        assertThat(driver.stats().lastRejection()).contains("per-KV-head plan for a layer that keeps tokens per layer");
        assertThat(driver.positions(0)).containsExactly(IntStream.range(0, LAYER_TOKENS + 1).toArray());
    }
}
