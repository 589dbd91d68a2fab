package io.heavykv.runtime;

import io.heavykv.kvcache.KvDType;
import io.heavykv.sampling.Sampler;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GreedyGenerationTest {
    /** From the model's README: what llama2.c's reference C implementation prints at temperature 0. */
    private static final String REFERENCE =
            "Once upon a time, there was a little girl named Lily. She loved to play outside in the park.";

    private static String generate(Engine engine, KvCacheConfig cache, int prefillChunk, int tokens) {
        try (Session session = engine.openSession(cache, 0, prefillChunk)) {
            int[] prompt = engine.tokenizer().encode("Once upon a time", true, false);
            Generator generator = new Generator(session, Sampler.of(0f, 1f, 1), engine::endsSequence);
            GenerationResult result = generator.generate(prompt, tokens, (prev, next) -> { });
            return engine.tokenizer().decode(result.tokens());
        }
    }

    @ParameterizedTest
    @EnumSource(KvDType.class)
    void greedyTextMatchesTheReferenceImplementation(KvDType dtype) throws Exception {
        try (Engine engine = Engine.load(SharedModels.defaultModel().resolve("stories260K.bin"), Optional.empty())) {
            String text = generate(engine, KvCacheConfig.defaults().withDType(dtype), 16, 40);
            assertThat(text).startsWith(REFERENCE);
        }
    }

    @Test
    void chunkedPrefillGivesTheSameTextAsTokenByTokenPrefill() throws Exception {
        try (Engine engine = Engine.load(SharedModels.defaultModel().resolve("stories260K.bin"), Optional.empty())) {
            KvCacheConfig fp32 = KvCacheConfig.defaults().withDType(KvDType.FP32);
            assertThat(generate(engine, fp32, 1, 60)).isEqualTo(generate(engine, fp32, 64, 60));
        }
    }

    @Test
    void aPromptLongerThanTheContextIsRejectedWithBothLengths() throws Exception {
        try (Engine engine = Engine.load(SharedModels.defaultModel().resolve("stories260K.bin"), Optional.empty());
             Session session = engine.openSession(KvCacheConfig.defaults(), 8, 4)) {
            int[] prompt = engine.tokenizer().encode("Once upon a time there was a big red ball in the park", true, false);
            assertThatThrownBy(() -> session.prefill(prompt))
                    .isInstanceOf(ContextOverflowException.class)
                    .hasMessageContaining(prompt.length + " tokens")
                    .hasMessageContaining("holds 8");
        }
    }

    @Test
    void aTokenizerOfAnotherModelIsRejected() {
        Path model = SharedModels.defaultModel().resolve("stories260K.bin");
        assertThatThrownBy(() -> Engine.load(model, Optional.of(Path.of("does-not-exist.bin"))))
                .hasMessageContaining("does-not-exist.bin");
    }
}
