package io.heavykv.runtime;

import io.heavykv.sampling.Sampler;
import io.heavykv.testing.SharedModels;
import io.heavykv.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** stories260K as llama.cpp's own converter wrote it: U+2581 pieces, token types, "<s>"/"</s>". */
@Timeout(60)
class LlamaCppGgufGenerationTest {
    /** llama.cpp's greedy text from "Once upon a time" on this file (shared/models/stories260K/README.md). */
    private static final String REFERENCE = "Once upon a time, there was a little girl named Lily. She loved to play "
            + "outside in the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high.";

    @Test
    void greedyTextIsLlamaCppsAndThePromptTokenizesAsLlama2cDoes() throws Exception {
        Path gguf = SharedModels.assumeShared("models/stories260K/stories260K-llamacpp.gguf");
        try (Engine engine = Engine.load(gguf, Optional.empty());
             Engine llama2c = Engine.load(gguf.resolveSibling("stories260K.bin"), Optional.empty())) {
            Tokenizer tokenizer = engine.tokenizer();
            int[] prompt = tokenizer.tokenize("Once upon a time", true, true);
            assertThat(prompt).containsExactly(llama2c.tokenizer().encode("Once upon a time", true, false));
            try (Session session = engine.openSession(KvCacheConfig.defaults(), 0, 16)) {
                GenerationResult result = new Generator(session, Sampler.of(0f, 1f, 1), engine::endsSequence)
                        .generate(prompt, 64, (previous, token) -> { });
                assertThat(tokenizer.decode(result.tokens())).startsWith(REFERENCE);
            }
        }
    }

    @Test
    void bothTokenizersAgreeOnStoryText() throws Exception {
        Path gguf = SharedModels.assumeShared("models/stories260K/stories260K-llamacpp.gguf");
        Tokenizer spm = Engine.loadTokenizer(gguf, Optional.empty());
        Tokenizer llama2c = Engine.loadTokenizer(gguf.resolveSibling("stories260K.bin"), Optional.empty());
        String text = "Lily and Ben went to the park.\n\"Look!\" said Ben. \"A big, red ball!\"  They played all day. 日本 🚀";
        int[] ids = llama2c.encode(text, true, false);
        assertThat(spm.encode(text, true, false)).containsExactly(ids);
        assertThat(spm.decode(ids)).isEqualTo(text);
        assertThat(spm.endOfGenerationIds()).containsExactly(2);
    }
}
