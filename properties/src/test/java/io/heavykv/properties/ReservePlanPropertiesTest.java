package io.heavykv.properties;

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

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reserve plans submitted to a real cache: plans built by the rules here are applied, and every kind of
 * broken plan is rejected without touching the cache.
 */
class ReservePlanPropertiesTest {

    /** A layer of {@code length} tokens, the policy's floors and blocks, and a plan target. */
    record Scenario(int length, int sink, int recent, int blockTokens, int targetKeep, int pageTokens, long seed) {
        H2oConfig policy() {
            // Never plans by itself: only submitted plans touch the cache.
            return new H2oConfig(blockTokens, 1.0, sink, recent, 0.5, TargetMode.STATIC, 2.0, 0, -1, 1,
                    Integer.MAX_VALUE, 0);
        }

        int sinkEnd() { return Math.min(sink, length); }

        int recentStart() { return Math.max(sinkEnd(), length - recent); }

        int floorKeep() { return sinkEnd() + length - recentStart(); }

        int effectiveKeep() { return Math.min(length, Math.max(targetKeep, floorKeep())); }
    }

    enum Breakage { OVERLAPPING, UNSORTED, OUT_OF_RANGE, EMPTY_RANGE, MISSING_SINK, MISSING_RECENT, WRONG_COUNT,
        STALE_LENGTH, SPLIT_BLOCK, OVER_BUDGET }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.integers().between(1, 160).flatMap(length -> Combinators.combine(
                Arbitraries.integers().between(0, 12),
                Arbitraries.integers().between(0, 24),
                Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, length),
                Arbitraries.integers().between(1, 40),
                Arbitraries.longs())
                .as((sink, recent, block, target, page, seed) -> new Scenario(length, sink, recent, block, target, page, seed)));
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

    private static ReservePlan plan(int length, int target, int declared, List<int[]> ranges) {
        ReservePlan plan = new ReservePlan(SyntheticDriver.GEOMETRY.layers());
        plan.begin(0, length, target, declared);
        for (int[] r : ranges) plan.keep(0, r[0], r[1]);
        return plan;
    }

    private static int total(List<int[]> ranges) {
        return ranges.stream().mapToInt(r -> r[1] - r[0]).sum();
    }

    @Property(tries = 300)
    void plansFollowingTheRulesAreApplied(@ForAll("scenarios") Scenario s) {
        SyntheticDriver driver = filled(s);
        List<int[]> ranges = validRanges(s);
        driver.controller().submit(plan(s.length(), s.targetKeep(), total(ranges), ranges));
        driver.step(1);
        EvictionStats stats = driver.stats();
        assertThat(stats.plansRejected()).as(stats.lastRejection()).isZero();
        assertThat(stats.plansApplied()).isEqualTo(1);
        int[] expected = IntStream.concat(ranges.stream().flatMapToInt(r -> IntStream.range(r[0], r[1])),
                IntStream.of(s.length())).toArray();
        assertThat(driver.positions(0)).containsExactly(expected);
        assertThat(driver.valuePositions(0, 0)).containsExactly(expected);
        assertThat(driver.positions(1)).hasSize(s.length() + 1);
    }

    @Property(tries = 500)
    void brokenPlansAreRejectedAndLeaveTheCacheUntouched(@ForAll("scenarios") Scenario s, @ForAll Breakage breakage) {
        SyntheticDriver driver = filled(s);
        List<int[]> ranges = validRanges(s);
        int declared = total(ranges);
        int length = s.length();
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
                else ranges.add(0, new int[] {length - 1, length});
            }
            case OUT_OF_RANGE -> ranges.add(new int[] {length, length + 2});
            case EMPTY_RANGE -> ranges.add(new int[] {length, length});
            case MISSING_SINK -> {
                if (s.sinkEnd() == 0) ranges.add(new int[] {-1, 0});
                else ranges.getFirst()[0] = 1;
            }
            case MISSING_RECENT -> {
                if (s.recentStart() == length) ranges.add(new int[] {length + 1, length + 3});
                else ranges.getLast()[1] = length - 1;
            }
            case WRONG_COUNT -> declared += declared == 0 ? 1 : -1;
            case STALE_LENGTH -> length += 1;
            case SPLIT_BLOCK -> {
                // Keep the first slot of an evicted middle block of two or more slots.
                int[] unit = evictedUnits(s, ranges).stream().filter(u -> u[1] - u[0] >= 2).findFirst().orElse(null);
                if (unit == null) ranges.add(new int[] {length, length + 1});
                else addSorted(ranges, new int[] {unit[0], unit[0] + 1});
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
                if (middle <= max) ranges.add(new int[] {length, length + 1});
            }
        }
        int[] before = driver.positions(0);
        driver.controller().submit(plan(length, s.targetKeep(), declared, ranges));
        driver.step(1);
        EvictionStats stats = driver.stats();
        assertThat(stats.plansApplied()).isZero();
        assertThat(stats.plansRejected()).isEqualTo(1);
        assertThat(stats.lastRejection()).startsWith("layer 0");
        int[] expected = IntStream.concat(IntStream.of(before), IntStream.of(s.length())).toArray();
        assertThat(driver.positions(0)).containsExactly(expected);
        assertThat(driver.valuePositions(0, 1)).containsExactly(expected);
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
