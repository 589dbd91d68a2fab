package io.heavykv.eviction;

import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.GenerationResult;
import io.heavykv.runtime.Generator;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.runtime.Session;
import io.heavykv.sampling.Sampler;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** H2O on the real stories260K model: its trained attention drives the scores. */
class H2oGenerationTest {
    private static final int PROMPT_TOKENS = 600;
    private static final int NEW_TOKENS = 48;

    private static String resource(String name) throws IOException {
        try (InputStream in = H2oGenerationTest.class.getResourceAsStream("/heavykv/prompts/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @EnumSource(PositionMode.class)
    void greedyGenerationWithAThirdOfTheCacheReachesThreeTimesLossy(PositionMode mode) throws Exception {
        try (Engine engine = Engine.load(SharedModels.defaultModel().resolve("stories260K.bin"), Optional.empty())) {
            int[] tokens = engine.tokenizer().encode(resource("prompt_512_1.txt") + "\n" + resource("prompt_512_2.txt"), true, false);
            assertThat(tokens.length).isGreaterThan(PROMPT_TOKENS);
            int[] prompt = Arrays.copyOf(tokens, PROMPT_TOKENS);
            KvCacheConfig config = new KvCacheConfig(KvDType.FP16, 32, mode,
                    H2oConfig.defaults().withTargetKeepRatio(1.0 / 3));
            PagedKvCache<EvictionController> cache = config.open(engine.model().config());
            // Absolute positions run past the 512 trained ones here; the model must still run without errors.
            try (Session session = new Session(engine.transformer(), cache, PROMPT_TOKENS + NEW_TOKENS + 1, 64)) {
                Generator generator = new Generator(session, Sampler.of(0f, 1f, 1), token -> false);
                GenerationResult result = generator.generate(prompt, NEW_TOKENS, (previous, token) -> { });
                assertThat(result.generated()).hasSize(NEW_TOKENS);
                assertThat(engine.tokenizer().decode(result.generated())).isNotBlank();
            }
            EvictionStats stats = cache.hooks().stats();
            assertThat(stats.tokensSeen()).isEqualTo(PROMPT_TOKENS + NEW_TOKENS - 1);
            assertThat(stats.plansRejected()).as(stats.lastRejection()).isZero();
            // Every 64-token prefill chunk outgrows the budget, and each plan is applied at the following step.
            assertThat(stats.plansApplied()).isGreaterThanOrEqualTo(PROMPT_TOKENS / 64 + 1);
            assertThat(stats.evictingLossyRatio()).isGreaterThanOrEqualTo(3.0);
            for (LayerStats layer : stats.layers()) {
                assertThat(layer.lossyRatio()).as("layer %d", layer.layer()).isGreaterThanOrEqualTo(3.0);
            }
            long fullCacheBytes = 2L * stats.tokensSeen() * engine.model().config().kvDim() * 2 * engine.model().config().layers();
            assertThat(stats.peakResidentBytes()).isLessThan(fullCacheBytes);
        }
    }
}
