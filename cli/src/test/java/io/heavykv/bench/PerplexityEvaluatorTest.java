package io.heavykv.bench;

import io.heavykv.bench.quality.EvalText;
import io.heavykv.bench.quality.PerplexityEvaluator;
import io.heavykv.bench.quality.PerplexityReport;
import io.heavykv.bench.quality.PerplexityResult;
import io.heavykv.bench.quality.TokenScore;
import io.heavykv.bench.quality.TokenScorer;
import io.heavykv.bench.quality.WindowResult;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.runtime.Session;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PerplexityEvaluatorTest {
    private static final String TEXT = "Once upon a time, there was a little dog named Max. Max liked to run in the park. "
            + "One day, Max saw a big red ball. He ran to the ball and pushed it with his nose. The ball rolled away, and Max ran after it. "
            + "A girl named Sue saw Max and laughed. She threw the ball for him again and again.";
    private static Engine engine;

    @BeforeAll
    static void load() throws Exception {
        engine = Engine.load(SharedModels.defaultModel().resolve("stories260K.bin"), Optional.empty());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static EvalText text() {
        return new EvalText("tiny", engine.tokenizer().encode(TEXT, false, false));
    }

    @Test
    void fullCachePerplexityIsExpOfTheMeanNllComputedFromTheLogits() {
        EvalText text = text();
        PerplexityReport report = new PerplexityEvaluator(engine, KvCacheConfig.defaults(), 0).evaluate(List.of(text), List.of());

        // Independently: one session, BOS then the text, softmax by hand in float-free double arithmetic.
        int[] tokens = new int[text.length() + 1];
        tokens[0] = engine.tokenizer().bosId();
        System.arraycopy(text.tokens(), 0, tokens, 1, text.length());
        double nll = 0;
        try (Session session = engine.openSession(KvCacheConfig.defaults(), tokens.length, 1)) {
            for (int i = 0; i + 1 < tokens.length; i++) {
                float[] logits = session.decode(tokens[i]);
                double max = Double.NEGATIVE_INFINITY;
                for (float l : logits) max = Math.max(max, l);
                double z = 0;
                for (float l : logits) z += Math.exp(l - max);
                nll -= logits[tokens[i + 1]] - max - Math.log(z);
            }
        }
        PerplexityResult full = report.rows().getFirst();
        assertThat(full.tokensScored()).isEqualTo(tokens.length - 1);
        assertThat(full.perplexity()).isCloseTo(Math.exp(nll / (tokens.length - 1)), within(1e-9));
        // A trained model on simple English is far better than uniform over 512 tokens, and no better than certain.
        assertThat(full.perplexity()).isBetween(1.0, 512.0 / 4);
        assertThat(full.meanKl()).isZero();
    }

    @Test
    void aConfigurationComparedWithItselfHasZeroKlAndTheSamePerplexity() {
        KvCacheConfig storage = KvCacheConfig.defaults();
        // A capacity the window never reaches: H2O must then be the full cache exactly.
        List<CacheVariant> variants = List.of(CacheVariant.full(storage),
                CacheVariant.capacity(storage, H2oConfig.defaults(), 400));
        PerplexityReport report = new PerplexityEvaluator(engine, storage, 0).evaluate(List.of(text()), variants);
        PerplexityResult reference = report.rows().get(0);
        for (PerplexityResult row : report.rows().subList(1, 3)) {
            assertThat(row.meanKl()).isZero();
            assertThat(row.maxKl()).isZero();
            assertThat(row.perplexity()).isEqualTo(reference.perplexity());
            assertThat(row.lossyRatio()).isEqualTo(1.0);
        }
    }

    @Test
    void evictionShowsUpAsKlAndKeepRatio() {
        KvCacheConfig storage = KvCacheConfig.defaults();
        List<CacheVariant> variants = List.of(CacheVariant.streaming(storage, 4, 16),
                CacheVariant.capacity(storage, H2oConfig.defaults().withRecentTokens(4).withBlockTokens(1), 16));
        PerplexityReport report = new PerplexityEvaluator(engine, storage, 0).evaluate(List.of(text()), variants);
        int scored = text().length();
        for (PerplexityResult row : report.rows().subList(1, 3)) {
            assertThat(row.meanKl()).isPositive();
            assertThat(row.maxKl()).isGreaterThanOrEqualTo(row.meanKl());
            // Kept counts what stays once the eviction planned at the last step applies: the 16-token budget.
            assertThat(row.keepRatio()).isCloseTo(16.0 / scored, within(1e-12));
            assertThat(row.evictingLossyRatio()).isCloseTo(scored / 16.0, within(1e-9));
            assertThat(row.perplexityDelta()).isEqualTo(row.perplexity() - report.rows().getFirst().perplexity());
        }
    }

    @Test
    void windowsStartAfreshAndCoverTheTextWithoutOverlap() {
        int[] tokens = new int[1000];
        Arrays.fill(tokens, engine.tokenizer().idOf("a"));
        EvalText text = new EvalText("as", tokens);
        PerplexityEvaluator evaluator = new PerplexityEvaluator(engine, KvCacheConfig.defaults(), 400);
        List<WindowResult> windows = new ArrayList<>();
        PerplexityReport report = evaluator.evaluate(List.of(text), List.of(), new PerplexityEvaluator.Listener() {
            @Override
            public void window(WindowResult result) { windows.add(result); }
        });
        // 399 text tokens per window after its BOS; the 202-token rest is more than half a window, so it counts.
        assertThat(windows).extracting(WindowResult::firstToken).containsExactly(0, 399, 798);
        assertThat(windows).extracting(WindowResult::tokens).containsExactly(400, 400, 203);
        assertThat(evaluator.steps(List.of(text))).isEqualTo(1000);
        assertThat(report.rows().getFirst().tokensScored()).isEqualTo(1000);
    }

    @Test
    void aScoredTailMatchesTheSameTokensScoredStepByStepAfterAPrefilledPrefix() {
        EvalText text = text();
        int tail = 12;
        int window = text.length() + 1;
        PerplexityReport report = new PerplexityEvaluator(engine, KvCacheConfig.defaults(), window, tail).evaluate(List.of(text), List.of());

        // Independently: every token decoded one by one, the last `tail` predictions scored.
        int[] tokens = new int[window];
        tokens[0] = engine.tokenizer().bosId();
        System.arraycopy(text.tokens(), 0, tokens, 1, text.length());
        double nll = 0;
        try (Session session = engine.openSession(KvCacheConfig.defaults(), window, 1)) {
            List<TokenScore> scores = TokenScorer.score(session, tokens);
            for (var score : scores.subList(scores.size() - tail, scores.size())) nll -= score.logProb();
        }
        PerplexityResult full = report.rows().getFirst();
        assertThat(full.tokensScored()).isEqualTo(tail);
        // The prefix goes through a batched prefill, whose sums may round differently from decode steps'.
        assertThat(full.perplexity()).isCloseTo(Math.exp(nll / tail), within(1e-4 * full.perplexity()));
    }

    @Test
    void withATailOnlyWholeWindowsAreScored() {
        EvalText text = new EvalText("short", new int[450]);
        PerplexityEvaluator evaluator = new PerplexityEvaluator(engine, KvCacheConfig.defaults(), 200, 30);
        // 199 text tokens a window: two whole windows; the 52-token rest is left out.
        assertThat(evaluator.steps(List.of(text))).isEqualTo(60);
        assertThatThrownBy(() -> new PerplexityEvaluator(engine, KvCacheConfig.defaults(), 200, 199))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scored tail of 199 tokens");
        assertThatThrownBy(() -> new PerplexityEvaluator(engine, KvCacheConfig.defaults(), 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scored tail of 10 tokens");
    }

    @Test
    void shortRestsAreNotScored() {
        EvalText text = new EvalText("short", new int[450]);
        assertThat(new PerplexityEvaluator(engine, KvCacheConfig.defaults(), 400).steps(List.of(text))).isEqualTo(399);
    }

    @Test
    void badArgumentsAreRejectedByName() {
        assertThatThrownBy(() -> new PerplexityEvaluator(engine, KvCacheConfig.defaults(), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window of 2 tokens");
        assertThatThrownBy(() -> new EvalText("one", new int[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one");
        assertThatThrownBy(() -> CacheVariant.capacity(KvCacheConfig.defaults(), H2oConfig.defaults(), 36))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("36");
        assertThatThrownBy(() -> new PerplexityEvaluator(engine, KvCacheConfig.defaults(), 0).evaluate(List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no texts");
    }
}
