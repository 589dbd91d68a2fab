package io.heavykv.properties;

import io.heavykv.eviction.EvictionPolicy;
import io.heavykv.eviction.EvictionStats;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.eviction.LayerBudget;
import io.heavykv.eviction.LayerStats;
import io.heavykv.eviction.Policies;
import io.heavykv.eviction.PolicyConfig;
import io.heavykv.eviction.PolicyType;
import io.heavykv.eviction.ScheduledConfig;
import io.heavykv.eviction.StreamingConfig;
import io.heavykv.eviction.SyntheticDriver;
import io.heavykv.eviction.TargetMode;
import io.heavykv.eviction.schedule.Schedule;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.lossless.LosslessConfig;
import io.heavykv.lossless.LosslessMode;
import io.heavykv.lossless.LosslessRuntime;
import io.heavykv.lossless.LosslessScope;
import io.heavykv.runtime.KvCacheConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policies running on the real cache with random knobs, step sizes, attention and storage (FP16 or FP32
 * pages, every position mode, with or without a store that holds settled pages as frames): floors stay,
 * plans keep their rounded budget, each layer holds exactly what was appended, in order, and H2O does evict
 * once a layer outgrows its budget. Every policy of the registry runs through the same invariants.
 */
class CachePolicyPropertiesTest {

    /** How the cache stores what the policy keeps; the policy itself is drawn separately. */
    record Storage(KvDType dtype, PositionMode positions, int pageTokens, boolean store) {
        KvCacheConfig with(PolicyConfig policy) {
            KvCacheConfig config = new KvCacheConfig(dtype, pageTokens, positions, policy);
            // A cache keeping tokens per KV head refuses lossless compression (PagedKvCacheTest): it runs raw.
            if (!store || policy.perHeadKeep()) return config;
            // Synchronous encoding, so which pages are frames at each step does not depend on thread timing.
            return config.withLossless(LosslessConfig.off().withMode(LosslessMode.STORE)
                    .withScope(LosslessScope.FRONT_N_AND_H2O_KEPT, 3).withHotZones(2, 4).withAsync(0, 64));
        }
    }

    @Provide
    Arbitrary<Storage> storages() {
        PositionMode[] modes = PositionMode.values();
        return NamedEdgeCases.of(Combinators.combine(Arbitraries.of(KvDType.values()), Arbitraries.of(modes),
                Arbitraries.integers().between(1, 20), Arbitraries.of(false, true)).as(Storage::new),
                List.of(new Storage(KvDType.FP16, modes[0], 1, true), new Storage(KvDType.FP32, modes[modes.length - 1], 20, false)));
    }

    @Provide
    Arbitrary<H2oConfig> h2oConfigs() {
        Arbitrary<H2oConfig> drawn = Builders.withBuilder(H2oConfig::defaults)
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
        // Edge cases: the defaults, and the tightest budget (one-token blocks, no floors, a tenth kept).
        return NamedEdgeCases.of(drawn, List.of(H2oConfig.defaults(),
                H2oConfig.defaults().withBlockTokens(1).withSinkTokens(0).withRecentTokens(0).withTargetKeepRatio(0.1)));
    }

    @Provide
    Arbitrary<Schedule> schedules() {
        return Builders.withBuilder(Schedule::defaults)
                .use(Arbitraries.of(1.0, 0.5, 0.3, 0.1)).in(Schedule::withTargetKeepRatio)
                .use(Arbitraries.of(0.0, 2.0, 4.0)).in((c, lossy) -> lossy == 0 ? c : c.withAdaptiveTarget(lossy))
                .use(Arbitraries.of(0, 1, 2)).in((c, start) -> c.withLayers(start, start == 0 ? -1 : 2))
                .use(Arbitraries.integers().between(1, 4)).in(Schedule::withUpdateInterval)
                .use(Arbitraries.integers().between(0, 40)).in(Schedule::withTriggerMinTokens)
                .use(Arbitraries.integers().between(0, 8)).in(Schedule::withSlack)
                .use(Arbitraries.of(0, 0, 24, 40)).in(Schedule::withMaxKeepTokens)
                .build();
    }

    /** Every registered policy: its defaults, with a random schedule when it has one. */
    @Provide
    Arbitrary<PolicyConfig> registered() {
        List<PolicyType> types = List.copyOf(Policies.all());
        // Edge cases: the first and the last registered policy as registered.
        return NamedEdgeCases.of(Arbitraries.of(types).flatMap(type -> type.defaults() instanceof ScheduledConfig scheduled
                ? schedules().map(scheduled::withSchedule) : Arbitraries.just(type.defaults())),
                List.of(types.getFirst().defaults(), types.getLast().defaults()));
    }

    /** Attention from a small table, so shrinking ends at simple patterns. */
    private static SyntheticDriver.Attention attention(List<Integer> table) {
        return (layer, head, q, k) -> 1 + table.get(Math.floorMod(k * 7 + head * 3 + layer, table.size()));
    }

    @Property(tries = 150)
    void h2oKeepsFloorsBudgetsAndAppendedTokens(@ForAll("h2oConfigs") H2oConfig config, @ForAll("storages") Storage storage,
                                                @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 12) Integer> steps,
                                                @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 50) Integer> weights) {
        Statistics.label("storage").collect(storage.dtype(), storage.positions(), storage.store() ? "store" : "raw");
        run(config, storage, config.sinkTokens(), config.recentTokens(), config.blockTokens(), steps, weights);
    }

    @Property(tries = 80)
    void streamingKeepsSinkAndWindow(@ForAll @IntRange(min = 0, max = 8) int sink,
                                     @ForAll @IntRange(min = 1, max = 24) int window,
                                     @ForAll("storages") Storage storage,
                                     @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 12) Integer> steps) {
        run(new StreamingConfig(sink, window), storage, sink, window, 1, steps, List.of(0));
    }

    /**
     * Whatever the policy: plans are valid, its floors stay, plans keep their rounded budget and the cache holds
     * what was appended, in order. Floors come from the policy's own budget rules, so a new policy needs no
     * entry here.
     */
    @Property(tries = 300)
    void everyRegisteredPolicyKeepsItsFloorsAndPlansValidly(@ForAll("registered") PolicyConfig config,
                                                            @ForAll("storages") Storage storage,
                                                            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 12) Integer> steps,
                                                            @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 50) Integer> weights) {
        String name = Policies.nameOf(config);
        Statistics.label("policy").collect(name);
        EvictionPolicy policy = config.create(SyntheticDriver.GEOMETRY);
        // The floors of a layer long enough to hold both whole.
        LayerBudget floors = policy.budget(0, 1 << 20, 0);
        run(config, storage, floors.sinkEnd(), floors.length() - floors.recentStart(), config.blockTokens(), steps, weights);
    }

    private static void run(PolicyConfig policy, Storage storage, int sink, int recent, int blockTokens,
                            List<Integer> steps, List<Integer> weights) {
        SyntheticDriver driver = new SyntheticDriver(storage.with(policy), attention(weights));
        try {
            long applied = 0;
            int[] stepsOverBudget = new int[3];
            long releasedPages = 0;
            int kvHeads = SyntheticDriver.GEOMETRY.kvHeads();
            for (int tokens : steps) {
                int seenBefore = driver.cache().tokensSeen();
                int[][] lengthsBefore = new int[3][kvHeads];
                for (int l = 0; l < 3; l++) {
                    for (int g = 0; g < kvHeads; g++) lengthsBefore[l][g] = driver.cache().layer(l).length(g);
                }
                driver.step(tokens);
                // Read before valuePositions, which brings released pages back.
                if (storage.store()) releasedPages += LosslessRuntime.statsOf(driver.cache(), 1.0).releasedPages();
                EvictionStats stats = driver.stats();
                assertThat(stats.plansRejected()).as(stats.lastRejection()).isZero();
                boolean planApplied = stats.plansApplied() > applied;
                applied = stats.plansApplied();
                int seen = driver.cache().tokensSeen();
                for (int l = 0; l < 3; l++) {
                    LayerStats layer = stats.layers().get(l);
                    // Every KV head holds the layer's tokens, or its own when the policy keeps tokens per head:
                    // the invariants hold head by head, and the layer's figures count the heads' mean, rounded up.
                    long slots = 0;
                    for (int g = 0; g < kvHeads; g++) {
                        int[] positions = driver.positions(l, g);
                        slots += positions.length;
                        for (int i = 1; i < positions.length; i++) assertThat(positions[i]).isGreaterThan(positions[i - 1]);
                        if (positions.length > 0) assertThat(positions[0]).isNotNegative();
                        if (positions.length > 0) assertThat(positions[positions.length - 1]).isEqualTo(seen - 1);
                        assertThat(driver.valuePositions(l, g)).containsExactly(positions);
                        if (!layer.evicting()) {
                            assertThat(positions).hasSize(seen);
                            continue;
                        }
                        // Floors: the sink, and the recent tokens of the length the last plan saw, then this step's.
                        for (int p = 0; p < Math.min(sink, seen); p++) assertThat(positions).contains(p);
                        for (int p = Math.max(0, seenBefore - recent); p < seen; p++) assertThat(positions).contains(p);
                        if (!(planApplied && driver.controller().activePlan().covers(l))) {
                            assertThat(positions).hasSize(lengthsBefore[l][g] + tokens);
                        }
                    }
                    if (!layer.evicting()) continue;
                    int held = (int) ((slots + kvHeads - 1) / kvHeads);
                    if (planApplied && driver.controller().activePlan().covers(l)) {
                        assertThat(layer.quantizedKeep()).isEqualTo(held - tokens);
                        int roundedOff = layer.effectiveKeep() - layer.quantizedKeep();
                        assertThat(roundedOff).isBetween(0, blockTokens - 1);
                        assertThat(layer.floorKeep()).isLessThanOrEqualTo(layer.effectiveKeep());
                    }
                    stepsOverBudget[l] = overBudget(policy, seen, held - tokens) ? stepsOverBudget[l] + 1 : 0;
                    // A policy plans at the first step boundary its update interval allows once a layer holds more
                    // than its budget, and the plan takes effect at the next step: no layer may stay over for
                    // more step boundaries than the interval.
                    assertThat(stepsOverBudget[l]).as("steps layer %d ended over its budget", l)
                            .isLessThanOrEqualTo(updateInterval(policy));
                }
            }
            if (storage.store()) {
                // A store that never released a page would leave compaction of framed pages untested.
                Statistics.label("store released pages").collect(releasedPages > 0);
                // A count far below the usual (about 45 of the H2O runs, 10 of the StreamingLLM ones): a share near
                // the usual rate would flip with the random seed.
                Statistics.label("store released pages").coverage(c -> c.check(true).count(n -> n >= 3));
            }
            Statistics.label("plans applied").collect(applied > 0);
            Statistics.label("plans applied").coverage(c -> c.check(true).count(n -> n >= 10));
        } finally {
            driver.cache().close();
        }
    }

    /**
     * Whether a layer that held {@code heldBefore} slots before this step's tokens exceeds what the policy
     * allows at {@code seen} tokens. StreamingLLM allows its sink and window; a static H2O target its share of
     * the tokens seen (rounded up, so never below the policy's own rounding), at least the floors, plus the
     * slack it tolerates. Adaptive targets move, and bound nothing here.
     */
    private static boolean overBudget(PolicyConfig policy, int seen, int heldBefore) {
        if (policy instanceof StreamingConfig streaming) return heldBefore > streaming.sink() + streaming.window();
        if (!(policy instanceof H2oConfig h2o) || h2o.schedule().targetMode() != TargetMode.STATIC
                || seen < h2o.schedule().triggerMinTokens()) {
            return false;
        }
        long budget = Math.max((long) Math.ceil(h2o.schedule().targetKeepRatio() * seen), h2o.sinkTokens() + h2o.recentTokens());
        if (h2o.schedule().maxKeepTokens() > 0) budget = Math.min(budget, Math.max(h2o.schedule().maxKeepTokens(), h2o.sinkTokens() + h2o.recentTokens()));
        return heldBefore > budget + h2o.schedule().slack();
    }

    private static int updateInterval(PolicyConfig policy) {
        return policy instanceof ScheduledConfig scheduled ? scheduled.schedule().updateInterval() : 1;
    }
}
