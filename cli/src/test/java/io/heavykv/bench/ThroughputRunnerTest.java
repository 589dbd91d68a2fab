package io.heavykv.bench;

import io.heavykv.bench.throughput.ThroughputResult;
import io.heavykv.bench.throughput.ThroughputRunner;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThroughputRunnerTest {

    @Test
    void evictingCachesFitMoreSequencesIntoTheSameBudget() throws Exception {
        try (Engine engine = Engine.load(SharedModels.defaultModel().resolve("stories260K.bin"), Optional.empty())) {
            KvCacheConfig storage = KvCacheConfig.defaults().withPageTokens(16);
            List<int[]> prompts = List.of(engine.tokenizer().encode("Once upon a time", true, false),
                    engine.tokenizer().encode("The cat sat on the mat", true, false));
            // 640 bytes per token: a full sequence of about 200 tokens needs 13 pages of 10,240 bytes.
            long budget = 400_000;
            ThroughputRunner runner = new ThroughputRunner(engine, prompts, 192, budget, 20, 16);
            ThroughputResult full = runner.run(CacheVariant.full(storage), (l, r, n) -> { });
            ThroughputResult h2o = runner.run(CacheVariant.capacity(storage, H2oConfig.defaults().withRecentTokens(8), 48), (l, r, n) -> { });

            assertThat(full.sequences()).isEqualTo((int) (budget / full.perSequencePeakKvBytes()));
            assertThat(full.limitedBy()).isEqualTo("kv-budget");
            assertThat(h2o.sequences()).isGreaterThan(2 * full.sequences());
            for (ThroughputResult r : List.of(full, h2o)) {
                assertThat(r.peakTotalKvBytes()).isLessThanOrEqualTo(budget);
                assertThat(r.generatedTokens()).isEqualTo(192L * r.sequences());
                assertThat(r.decodeTokensPerSecond()).isPositive();
            }
        }
    }

    @Test
    void aBudgetTooSmallForOneSequenceAdmitsNone() throws Exception {
        try (Engine engine = Engine.load(SharedModels.defaultModel().resolve("stories260K.bin"), Optional.empty())) {
            ThroughputRunner runner = new ThroughputRunner(engine, List.of(new int[]{engine.tokenizer().bosId()}), 40, 1000, 8, 16);
            ThroughputResult result = runner.run(CacheVariant.full(KvCacheConfig.defaults()), (l, r, n) -> { });
            assertThat(result.sequences()).isZero();
            assertThat(result.generatedTokens()).isZero();
            assertThatThrownBy(() -> new ThroughputRunner(engine, List.of(new int[]{1}), 40, 0, 8, 16))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget");
        }
    }
}
