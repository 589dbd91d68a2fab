package io.heavykv.bench;

import io.heavykv.bench.stress.StressPoint;
import io.heavykv.bench.stress.StressReport;
import io.heavykv.bench.stress.StressRun;
import io.heavykv.bench.stress.StressRunner;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.kvcache.KvDType;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StressRunnerTest {
    /** stories260K, FP16: 5 layers x 4 KV heads x 8 x 2 bytes x (K, V) = 640 bytes per token, 16-token pages. */
    private static final KvCacheConfig STORAGE = KvCacheConfig.defaults().withDType(KvDType.FP16).withPageTokens(16);
    private static final long BYTES_PER_TOKEN = 640;
    private static Engine engine;

    @BeforeAll
    static void load() throws Exception {
        engine = Engine.load(SharedModels.defaultModel().resolve("stories260K.bin"), Optional.empty());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static int[] prompt() {
        return engine.tokenizer().encode("Once upon a time", true, false);
    }

    @Test
    void evictingCachesStayFlatPastTheirBudgetWhileTheFullCacheGrows() {
        StressRunner runner = new StressRunner(engine, prompt(), List.of(64, 128, 256, 384), 0, 16);
        List<StressRun> finished = new ArrayList<>();
        StressReport report = runner.runAll(List.of(
                CacheVariant.streaming(STORAGE, 4, 48),
                CacheVariant.capacity(STORAGE, H2oConfig.defaults().withRecentTokens(8), 48),
                CacheVariant.full(STORAGE)), (label, tokens, total) -> { }, finished::add);
        assertThat(finished).extracting(StressRun::label).containsExactlyElementsOf(report.runs().stream().map(StressRun::label).toList());

        for (StressRun run : report.runs()) {
            assertThat(run.points()).extracting(StressPoint::tokens).containsExactly(64, 128, 256, 384);
            assertThat(run.exceededBudget()).isFalse();
            assertThat(run.tokensReached()).isEqualTo(384);
        }
        StressRun full = report.runs().get(2);
        for (StressPoint p : full.points()) {
            // Every token held, in whole 16-token pages.
            assertThat(p.heldTokens()).isEqualTo(p.tokens());
            assertThat(p.kvBytes()).isEqualTo(BYTES_PER_TOKEN * ((p.tokens() + 15) / 16 * 16));
        }
        for (StressRun evicting : report.runs().subList(0, 2)) {
            // Past the budget the cache holds at most the budget plus the newest token, whatever the length. Those
            // 49 tokens need 4 whole pages; compaction leaves some partly filled (kept ranges are scattered), so
            // the bound is one page more per layer: flat up to page granularity.
            assertThat(evicting.points()).allSatisfy(p -> {
                assertThat(p.heldTokens()).isBetween(46.0, 49.0);
                assertThat(p.kvBytes()).isLessThanOrEqualTo(BYTES_PER_TOKEN * 80);
            });
            assertThat(evicting.peakKvBytes()).isLessThanOrEqualTo(BYTES_PER_TOKEN * 80);
            assertThat(evicting.peakKvBytes()).isLessThan(full.peakKvBytes() / 4);
        }
    }

    @Test
    void aConfigurationOverTheKvBudgetStopsThereAndIsReportedAsSuch() {
        long budget = BYTES_PER_TOKEN * 100;
        StressRunner runner = new StressRunner(engine, prompt(), List.of(64, 128, 256), budget, 16);
        StressRun full = runner.run(CacheVariant.full(STORAGE), (label, tokens, total) -> { });
        StressRun streaming = runner.run(CacheVariant.streaming(STORAGE, 4, 48), (label, tokens, total) -> { });

        // Pages of 16: 112 tokens take 7 pages (71,680 bytes > 64,000), first reached at token 97.
        assertThat(full.exceededAt()).isEqualTo(97);
        assertThat(full.budgetNote()).isEqualTo("exceeded budget at 97 tokens");
        assertThat(full.tokensReached()).isEqualTo(97);
        assertThat(full.points()).extracting(StressPoint::tokens).containsExactly(64);
        assertThat(streaming.exceededBudget()).isFalse();
        assertThat(streaming.budgetNote()).isEmpty();
        assertThat(streaming.tokensReached()).isEqualTo(256);
    }

    @Test
    void badLengthsAreRejected() {
        int[] prompt = prompt();
        assertThatThrownBy(() -> new StressRunner(engine, prompt, List.of(128, 64), 0, 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increase");
        assertThatThrownBy(() -> new StressRunner(engine, prompt, List.of(2), 0, 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter than the");
        assertThatThrownBy(() -> new StressRunner(engine, prompt, List.of(64), -1, 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget");
    }
}
