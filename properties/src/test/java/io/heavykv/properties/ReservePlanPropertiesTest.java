package io.heavykv.properties;

import io.heavykv.eviction.schedule.Schedule;
import io.heavykv.eviction.EvictionStats;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.eviction.ReservePlan;
import io.heavykv.eviction.SyntheticDriver;
import io.heavykv.eviction.TargetMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reserve plans submitted to a real cache: plans built by the rules here are applied, on any evicting layer,
 * and every kind of broken plan is rejected whole, on whichever layer it is broken, without touching any layer.
 */
class ReservePlanPropertiesTest {

    /**
     * Layers of {@code length} tokens, the policy's floors and blocks and its first evicting layer, a plan
     * target, and the layer a broken plan is broken on (an evicting one).
     */
    record Scenario(int length, int sink, int recent, int blockTokens, int targetKeep, int pageTokens, int layerStart,
                    int layer, long seed) {
        H2oConfig policy() {
            // Never plans by itself: only submitted plans touch the cache.
            return new H2oConfig(blockTokens, 1.0, sink, recent,
                    Schedule.defaults().withLayers(layerStart, -1).withTriggerMinTokens(Integer.MAX_VALUE));
        }

        int sinkEnd() { return Math.min(sink, length); }

        int recentStart() { return Math.max(sinkEnd(), length - recent); }

        int floorKeep() { return sinkEnd() + length - recentStart(); }

        int effectiveKeep() { return Math.min(length, Math.max(targetKeep, floorKeep())); }
    }

    enum Breakage { OVERLAPPING, UNSORTED, OUT_OF_RANGE, EMPTY_RANGE, MISSING_SINK, MISSING_RECENT, WRONG_COUNT,
        STALE_LENGTH, SPLIT_BLOCK, OVER_BUDGET, UNDER_BUDGET, TARGET_OUT_OF_RANGE, NON_EVICTING_LAYER }

    private static final int LAYERS = SyntheticDriver.GEOMETRY.layers();

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<int[]> layers = Arbitraries.integers().between(0, LAYERS - 1)
                .flatMap(start -> Arbitraries.integers().between(start, LAYERS - 1).map(layer -> new int[] {start, layer}));
        Arbitrary<Scenario> drawn = Arbitraries.integers().between(1, 160).flatMap(length -> Combinators.combine(
                Arbitraries.integers().between(0, 12),
                Arbitraries.integers().between(0, 24),
                Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, length),
                Arbitraries.integers().between(1, 40),
                layers,
                Arbitraries.longs())
                .as((sink, recent, block, target, page, layer, seed) ->
                        new Scenario(length, sink, recent, block, target, page, layer[0], layer[1], seed)));
        // Edge cases: the smallest scenario, and the largest on the last layer.
        return NamedEdgeCases.of(drawn, List.of(new Scenario(1, 0, 0, 1, 1, 1, 0, 0, 0),
                new Scenario(160, 12, 24, 12, 160, 40, LAYERS - 1, LAYERS - 1, 0)));
    }

    private static SyntheticDriver filled(Scenario s) {
        SyntheticDriver driver = new SyntheticDriver(s.policy(), s.pageTokens(), SyntheticDriver.uniform());
        driver.step(s.length());
        return driver;
    }

    /** Layer 0's plan per the rules: floors, then random whole middle blocks while they fit the budget. */
    private static List<int[]> validRanges(Scenario s) {
        boolean[] keep = new boolean[s.length()];
        for (int i = 0; i < s.sinkEnd(); i++) keep[i] = true;
        for (int i = s.recentStart(); i < s.length(); i++) keep[i] = true;
        List<int[]> units = new ArrayList<>();
        for (int i = s.sinkEnd(); i < s.recentStart(); ) {
            int end = Math.min(s.recentStart(), (i / s.blockTokens() + 1) * s.blockTokens());
            units.add(new int[] {i, end});
            i = end;
        }
        java.util.Collections.shuffle(units, new Random(s.seed()));
        int budget = s.effectiveKeep() - s.floorKeep();
        int kept = 0;
        for (int[] unit : units) {
            if (kept + unit[1] - unit[0] > budget) continue;
            for (int i = unit[0]; i < unit[1]; i++) keep[i] = true;
            kept += unit[1] - unit[0];
        }
        List<int[]> ranges = new ArrayList<>();
        for (int i = 0; i < keep.length; i++) {
            if (!keep[i]) continue;
            if (!ranges.isEmpty() && ranges.getLast()[1] == i) ranges.getLast()[1] = i + 1;
            else ranges.add(new int[] {i, i + 1});
        }
        return ranges;
    }

    /** A plan keeping {@code ranges} on {@code layer} and following the rules on every other evicting layer. */
    private static ReservePlan plan(Scenario s, int layer, int length, int target, int declared, List<int[]> ranges) {
        ReservePlan plan = new ReservePlan(LAYERS);
        for (int l = s.layerStart(); l < LAYERS; l++) {
            if (l == layer) continue;
            List<int[]> valid = validRanges(s);
            plan.begin(l, s.length(), s.targetKeep(), total(valid));
            for (int[] r : valid) plan.keep(l, r[0], r[1]);
        }
        plan.begin(layer, length, target, declared);
        for (int[] r : ranges) plan.keep(layer, r[0], r[1]);
        return plan;
    }

    private static int[] after(int[] before, int appended) {
        return IntStream.concat(IntStream.of(before), IntStream.of(appended)).toArray();
    }

    private static int total(List<int[]> ranges) {
        return ranges.stream().mapToInt(r -> r[1] - r[0]).sum();
    }

    @Property(tries = 300)
    void plansFollowingTheRulesAreApplied(@ForAll("scenarios") Scenario s) {
        SyntheticDriver driver = filled(s);
        List<int[]> ranges = validRanges(s);
        driver.controller().submit(plan(s, s.layer(), s.length(), s.targetKeep(), total(ranges), ranges));
        driver.step(1);
        EvictionStats stats = driver.stats();
        assertThat(stats.plansRejected()).as(stats.lastRejection()).isZero();
        assertThat(stats.plansApplied()).isEqualTo(1);
        int[] expected = after(ranges.stream().flatMapToInt(r -> IntStream.range(r[0], r[1])).toArray(), s.length());
        for (int l = 0; l < LAYERS; l++) {
            if (l < s.layerStart()) {
                assertThat(driver.positions(l)).as("layer %d, which does not evict", l).hasSize(s.length() + 1);
            } else {
                assertThat(driver.positions(l)).as("layer %d", l).containsExactly(expected);
                assertThat(driver.valuePositions(l, l % 2)).as("values of layer %d", l).containsExactly(expected);
            }
        }
    }

    @Property(tries = 800)
    void brokenPlansAreRejectedAndLeaveTheCacheUntouched(@ForAll("scenarios") Scenario s, @ForAll Breakage breakage) {
        SyntheticDriver driver = filled(s);
        List<int[]> ranges = validRanges(s);
        int declared = total(ranges);
        int length = s.length();
        int target = s.targetKeep();
        int layer = s.layer();
        // Whether the breakage could be made as named; otherwise the plan is broken by a range past the end.
        boolean asNamed = true;
        switch (breakage) {
            case OVERLAPPING -> {
                // Plans may keep nothing (no floors, a budget below one block): then overlap two new ranges.
                if (ranges.isEmpty()) ranges.add(new int[] {0, 1});
                int[] first = ranges.getFirst();
                ranges.add(1, new int[] {first[0], first[1]});
                declared = total(ranges);
            }
            case UNSORTED -> {
                if (ranges.size() >= 2) ranges.add(ranges.removeFirst());
                else {
                    ranges.add(0, new int[] {length - 1, length});
                    asNamed = ranges.size() == 2;
                }
            }
            case OUT_OF_RANGE -> ranges.add(new int[] {length, length + 2});
            case EMPTY_RANGE -> ranges.add(new int[] {length, length});
            case MISSING_SINK -> {
                if (s.sinkEnd() == 0) {
                    ranges.add(new int[] {-1, 0});
                    asNamed = false;
                } else {
                    ranges.getFirst()[0] = 1;
                }
            }
            case MISSING_RECENT -> {
                if (s.recentStart() == length) {
                    ranges.add(new int[] {length + 1, length + 3});
                    asNamed = false;
                } else {
                    ranges.getLast()[1] = length - 1;
                }
            }
            case WRONG_COUNT -> declared += declared == 0 ? 1 : -1;
            case STALE_LENGTH -> length += 1;
            case SPLIT_BLOCK -> {
                // Keep the first slot of an evicted middle block of two or more slots.
                int[] unit = evictedUnits(s, ranges).stream().filter(u -> u[1] - u[0] >= 2).findFirst().orElse(null);
                if (unit == null) {
                    ranges.add(new int[] {length, length + 1});
                    asNamed = false;
                } else {
                    addSorted(ranges, new int[] {unit[0], unit[0] + 1});
                }
                declared += 1;
            }
            case OVER_BUDGET -> {
                // Keep whole evicted blocks until the middle exceeds its budget.
                int middle = declared - s.floorKeep();
                int max = s.effectiveKeep() - s.floorKeep();
                for (int[] unit : evictedUnits(s, ranges)) {
                    if (middle > max) break;
                    addSorted(ranges, unit);
                    middle += unit[1] - unit[0];
                    declared += unit[1] - unit[0];
                }
                if (middle <= max) {
                    ranges.add(new int[] {length, length + 1});
                    asNamed = false;
                }
            }
            case UNDER_BUDGET -> {
                // Drop kept middle blocks until the middle falls below the fewest slots the budget allows.
                int middle = declared - s.floorKeep();
                int min = Math.max(0, s.effectiveKeep() - s.floorKeep() - s.blockTokens() + 1);
                for (int[] unit : keptUnits(s, ranges)) {
                    if (middle < min) break;
                    removeSlots(ranges, unit);
                    middle -= unit[1] - unit[0];
                    declared -= unit[1] - unit[0];
                }
                if (middle >= min) {
                    ranges.add(new int[] {length, length + 1});
                    asNamed = false;
                }
            }
            case TARGET_OUT_OF_RANGE -> target = s.seed() % 2 == 0 ? -1 : length + 1;
            case NON_EVICTING_LAYER -> {
                if (s.layerStart() > 0) layer = s.layerStart() - 1;
                else {
                    ranges.add(new int[] {length, length + 1});
                    asNamed = false;
                }
            }
        }
        Statistics.label("breakage made as named").collect(breakage, asNamed);
        Statistics.label("breakage made as named").coverage(c -> {
            // Each kind is made as named 15 to 60 times in 800 tries; a handful proves it is reached.
            for (Breakage b : Breakage.values()) c.check(b, true).count(n -> n >= 3);
        });
        int[][] before = new int[LAYERS][];
        for (int l = 0; l < LAYERS; l++) before[l] = driver.positions(l);
        driver.controller().submit(plan(s, layer, length, target, declared, ranges));
        driver.step(1);
        EvictionStats stats = driver.stats();
        assertThat(stats.plansApplied()).isZero();
        assertThat(stats.plansRejected()).isEqualTo(1);
        assertThat(stats.lastRejection()).startsWith("layer " + layer);
        for (int l = 0; l < LAYERS; l++) {
            assertThat(driver.positions(l)).as("layer %d", l).containsExactly(after(before[l], s.length()));
            assertThat(driver.valuePositions(l, 1)).as("values of layer %d", l).containsExactly(after(before[l], s.length()));
        }
    }

    /** A plan made for another layer count cannot even be queued: the cache's two plan buffers have its shape. */
    @Property(tries = 50)
    void plansForAnotherLayerCountAreRefused(@ForAll("scenarios") Scenario s, @ForAll boolean more) {
        SyntheticDriver driver = filled(s);
        ReservePlan wrong = new ReservePlan(more ? LAYERS + 1 : LAYERS - 1);
        List<int[]> ranges = validRanges(s);
        wrong.begin(0, s.length(), s.targetKeep(), total(ranges));
        for (int[] r : ranges) wrong.keep(0, r[0], r[1]);
        assertThatThrownBy(() -> driver.controller().submit(wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layers");
        driver.step(1);
        assertThat(driver.stats().plansApplied()).isZero();
        for (int l = 0; l < LAYERS; l++) assertThat(driver.positions(l)).hasSize(s.length() + 1);
    }

    /** Middle blocks (clipped to the middle) that the ranges do not keep. */
    private static List<int[]> evictedUnits(Scenario s, List<int[]> ranges) {
        List<int[]> units = new ArrayList<>();
        for (int i = s.sinkEnd(); i < s.recentStart(); ) {
            int end = Math.min(s.recentStart(), (i / s.blockTokens() + 1) * s.blockTokens());
            int slot = i;
            if (ranges.stream().noneMatch(r -> r[0] <= slot && slot < r[1])) units.add(new int[] {i, end});
            i = end;
        }
        return units;
    }

    /** Middle blocks (clipped to the middle) that the ranges keep whole. */
    private static List<int[]> keptUnits(Scenario s, List<int[]> ranges) {
        List<int[]> units = new ArrayList<>();
        for (int i = s.sinkEnd(); i < s.recentStart(); ) {
            int end = Math.min(s.recentStart(), (i / s.blockTokens() + 1) * s.blockTokens());
            int from = i;
            if (ranges.stream().anyMatch(r -> r[0] <= from && end <= r[1])) units.add(new int[] {i, end});
            i = end;
        }
        return units;
    }

    /** Removes slots {@code [unit[0], unit[1])} from the ranges, splitting the range that holds them. */
    private static void removeSlots(List<int[]> ranges, int[] unit) {
        for (int i = 0; i < ranges.size(); i++) {
            int[] r = ranges.get(i);
            if (r[0] > unit[0] || unit[1] > r[1]) continue;
            ranges.remove(i);
            if (unit[1] < r[1]) ranges.add(i, new int[] {unit[1], r[1]});
            if (r[0] < unit[0]) ranges.add(i, new int[] {r[0], unit[0]});
            return;
        }
    }

    private static void addSorted(List<int[]> ranges, int[] range) {
        ranges.add(range);
        ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
        mergeTouching(ranges);
    }

    private static void mergeTouching(List<int[]> ranges) {
        for (int i = ranges.size() - 1; i > 0; i--) {
            if (ranges.get(i - 1)[1] >= ranges.get(i)[0]) {
                ranges.get(i - 1)[1] = Math.max(ranges.get(i - 1)[1], ranges.get(i)[1]);
                ranges.remove(i);
            }
        }
    }
}
