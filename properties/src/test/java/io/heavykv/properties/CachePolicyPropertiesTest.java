package io.heavykv.properties;

import io.heavykv.eviction.EvictionStats;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.eviction.LayerStats;
import io.heavykv.eviction.PolicyConfig;
import io.heavykv.eviction.StreamingConfig;
import io.heavykv.eviction.SyntheticDriver;
import io.heavykv.eviction.TargetMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policies running on the real cache with random knobs, step sizes and attention: floors stay, plans
 * keep their rounded budget, and each layer holds exactly what was appended, in order.
 */
class CachePolicyPropertiesTest {

    @Provide
    Arbitrary<H2oConfig> h2oConfigs() {
        return Builders.withBuilder(H2oConfig::defaults)
                .use(Arbitraries.integers().between(1, 8)).in(H2oConfig::withBlockTokens)
                .use(Arbitraries.of(1.0, 0.5, 0.1)).in(H2oConfig::withEmaAlpha)
                .use(Arbitraries.integers().between(0, 8)).in(H2oConfig::withSinkTokens)
                .use(Arbitraries.integers().between(0, 16)).in(H2oConfig::withRecentTokens)
                .use(Arbitraries.of(1.0, 0.5, 0.3, 0.1)).in(H2oConfig::withTargetKeepRatio)
                .use(Arbitraries.of(0.0, 2.0, 4.0)).in((c, lossy) -> lossy == 0 ? c : c.withAdaptiveTarget(lossy))
                .use(Arbitraries.of(0, 1, 2)).in((c, start) -> c.withLayers(start, start == 0 ? -1 : 2))
                .use(Arbitraries.integers().between(1, 4)).in(H2oConfig::withUpdateInterval)
                .use(Arbitraries.integers().between(0, 40)).in(H2oConfig::withTriggerMinTokens)
                .use(Arbitraries.integers().between(0, 8)).in(H2oConfig::withSlack)
                .build();
    }

    /** Attention from a small table, so shrinking ends at simple patterns. */
    private static SyntheticDriver.Attention attention(List<Integer> table) {
        return (layer, head, q, k) -> 1 + table.get(Math.floorMod(k * 7 + head * 3 + layer, table.size()));
    }

    @Property(tries = 120)
    void h2oKeepsFloorsBudgetsAndAppendedTokens(@ForAll("h2oConfigs") H2oConfig config,
                                                @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 12) Integer> steps,
                                                @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 50) Integer> weights,
                                                @ForAll @IntRange(min = 1, max = 20) int pageTokens) {
        run(config, config.sinkTokens(), config.recentTokens(), config.blockTokens(), steps, weights, pageTokens);
    }

    @Property(tries = 60)
    void streamingKeepsSinkAndWindow(@ForAll @IntRange(min = 0, max = 8) int sink,
                                     @ForAll @IntRange(min = 1, max = 24) int window,
                                     @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 12) Integer> steps,
                                     @ForAll @IntRange(min = 1, max = 20) int pageTokens) {
        run(new StreamingConfig(sink, window), sink, window, 1, steps, List.of(0), pageTokens);
    }

    private static void run(PolicyConfig policy, int sink, int recent, int blockTokens, List<Integer> steps,
                            List<Integer> weights, int pageTokens) {
        SyntheticDriver driver = new SyntheticDriver(policy, pageTokens, attention(weights));
        long applied = 0;
        for (int tokens : steps) {
            int seenBefore = driver.cache().tokensSeen();
            int[][] lengthsBefore = new int[3][];
            for (int l = 0; l < 3; l++) lengthsBefore[l] = new int[] {driver.cache().length(l)};
            driver.step(tokens);
            EvictionStats stats = driver.stats();
            assertThat(stats.plansRejected()).as(stats.lastRejection()).isZero();
            boolean planApplied = stats.plansApplied() > applied;
            applied = stats.plansApplied();
            int seen = driver.cache().tokensSeen();
            for (int l = 0; l < 3; l++) {
                int[] positions = driver.positions(l);
                for (int i = 1; i < positions.length; i++) assertThat(positions[i]).isGreaterThan(positions[i - 1]);
                if (positions.length > 0) assertThat(positions[0]).isNotNegative();
                if (positions.length > 0) assertThat(positions[positions.length - 1]).isEqualTo(seen - 1);
                assertThat(driver.valuePositions(l, 1)).containsExactly(positions);
                LayerStats layer = stats.layers().get(l);
                if (!layer.evicting()) {
                    assertThat(positions).hasSize(seen);
                    continue;
                }
                // Floors: the sink, and the recent tokens of the length the last plan saw, then this step's.
                for (int p = 0; p < Math.min(sink, seen); p++) assertThat(positions).contains(p);
                for (int p = Math.max(0, seenBefore - recent); p < seen; p++) assertThat(positions).contains(p);
                if (planApplied && driver.controller().activePlan().covers(l)) {
                    assertThat(layer.quantizedKeep()).isEqualTo(positions.length - tokens);
                    int roundedOff = layer.effectiveKeep() - layer.quantizedKeep();
                    assertThat(roundedOff).isBetween(0, blockTokens - 1);
                    assertThat(layer.floorKeep()).isLessThanOrEqualTo(layer.effectiveKeep());
                } else {
                    assertThat(positions).hasSize(lengthsBefore[l][0] + tokens);
                }
            }
        }
    }
}
