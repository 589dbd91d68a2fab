package io.heavykv.tokenizer;

import io.heavykv.model.GgufFile;
import io.heavykv.model.GgufReader;
import io.heavykv.model.GgufWriter;
import io.heavykv.model.InvalidModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GGUF's tokenizer.ggml.* metadata: llama.cpp's defaults, a write/read round trip, and bad metadata named. */
@Timeout(30)
class GgufVocabularyTest {
    private static final Path FILE = Path.of("bad-vocab.gguf");

    @TempDir
    Path tmp;

    /** A well-formed byte-level BPE header: four pieces, one merge. */
    private static Map<String, Object> bpe() {
        Map<String, Object> m = new HashMap<>();
        m.put("tokenizer.ggml.model", "gpt2");
        m.put("tokenizer.ggml.pre", "qwen2");
        m.put("tokenizer.ggml.tokens", List.of("a", "b", "ab", "<|im_end|>"));
        m.put("tokenizer.ggml.token_type", new long[] {1, 1, 1, 3});
        m.put("tokenizer.ggml.merges", List.of("a b"));
        m.put("tokenizer.ggml.eos_token_id", 3L);
        m.put("tokenizer.ggml.bos_token_id", 0xFFFF_FFFFL);
        return m;
    }

    private static Vocabulary read(Map<String, Object> metadata) {
        return GgufVocabulary.read(new GgufFile(3, metadata, Map.of(), 0, 32), FILE).orElseThrow();
    }

    @Test
    void llamaCppDefaultsApplyToAbsentKeys() {
        Vocabulary v = read(bpe());
        assertThat(v.kind()).isEqualTo(TokenizerKind.BYTE_LEVEL_BPE);
        assertThat(v.bosId()).as("0xFFFFFFFF means no token").isEqualTo(SpecialTokens.NONE);
        assertThat(v.special().addBos()).isFalse();
        assertThat(v.special().unknown()).isEqualTo(SpecialTokens.NONE);
        Map<String, Object> spm = new HashMap<>();
        spm.put("tokenizer.ggml.model", "llama");
        spm.put("tokenizer.ggml.tokens", List.of("<unk>", "<s>", "</s>", "\u2581a"));
        Vocabulary s = read(spm);
        assertThat(s.special()).isEqualTo(new SpecialTokens(1, 2, 0, -1, -1, -1, true, false, true));
        assertThat(s.types()).containsOnly(TokenType.NORMAL);
        assertThat(GgufVocabulary.read(new GgufFile(3, Map.of(), Map.of(), 0, 32), FILE)).isEmpty();
    }

    @Test
    void plainSpacePiecesOfOlderHeavykvFilesAreReadAsLlama2cSpellsThem() {
        Map<String, Object> m = new HashMap<>();
        m.put("tokenizer.ggml.model", "llama");
        m.put("tokenizer.ggml.tokens", List.of("<unk>", "\n<s>\n", "\n</s>\n", " ", "a", " a"));
        m.put("tokenizer.ggml.scores", new float[] {0, 0, 0, -3, -2, -1});
        Vocabulary v = read(m);
        assertThat(v.kind()).isEqualTo(TokenizerKind.LLAMA2C);
        assertThat(new Tokenizer(v).tokenize("a", true, false)).containsExactly(1, 5);
    }

    @Test
    void aVocabularyOnlyFileRoundTrips() throws Exception {
        Vocabulary v = read(bpe());
        GgufWriter w = new GgufWriter();
        GgufVocabulary.write(w, v);
        Path out = tmp.resolve("vocab.gguf");
        w.write(out);
        Vocabulary back = GgufVocabulary.read(GgufReader.header(out), out).orElseThrow();
        assertThat(back.pieces()).isEqualTo(v.pieces());
        assertThat(back.types()).containsExactly(v.types());
        assertThat(back.merges()).isEqualTo(v.merges());
        assertThat(back.preTokenizer()).isEqualTo("qwen2");
        assertThat(back.special()).isEqualTo(v.special());
        Tokenizer t = new Tokenizer(back);
        assertThat(t.tokenize("ab<|im_end|>", false, true)).containsExactly(2, 3);
        assertThat(t.endsGeneration(3)).isTrue();
    }

    private static void assertBad(Map<String, Object> metadata, String key, String problem) {
        assertThatThrownBy(() -> read(metadata)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(FILE.toString()).hasMessageContaining(key).hasMessageContaining(problem);
    }

    @Test
    void badArraysAreNamedWithTheirKey() {
        Map<String, Object> m = bpe();
        m.put("tokenizer.ggml.tokens", new long[] {1, 2});
        assertBad(m, "tokenizer.ggml.tokens", "array of strings");

        m = bpe();
        m.put("tokenizer.ggml.scores", new float[3]);
        assertBad(m, "tokenizer.ggml.scores", "array of 4 numbers");

        m = bpe();
        m.put("tokenizer.ggml.token_type", new long[] {1, 1, 1});
        assertBad(m, "tokenizer.ggml.token_type", "array of 4 integers");

        m = bpe();
        m.put("tokenizer.ggml.token_type", new float[4]);
        assertBad(m, "tokenizer.ggml.token_type", "float array");

        m = bpe();
        m.put("tokenizer.ggml.token_type", new long[] {1, 1, 9, 1});
        assertBad(m, "tokenizer.ggml.token_type", "unknown type 9");

        m = bpe();
        m.remove("tokenizer.ggml.merges");
        assertBad(m, "tokenizer.ggml.merges", "missing");

        m = bpe();
        m.put("tokenizer.ggml.merges", new long[] {1});
        assertBad(m, "tokenizer.ggml.merges", "array of strings");
    }

    @Test
    void outOfRangeIdsAndUnknownNamesAreNamed() {
        Map<String, Object> m = bpe();
        m.put("tokenizer.ggml.eos_token_id", 4L);
        assertBad(m, "tokenizer.ggml.eos_token_id", "outside the vocabulary of 4");

        m = bpe();
        m.put("tokenizer.ggml.eot_token_id", "three");
        assertBad(m, "tokenizer.ggml.eot_token_id", "must be an integer");

        m = bpe();
        m.put("tokenizer.ggml.add_bos_token", true);
        assertBad(m, "tokenizer.ggml.add_bos_token", "no BOS");

        m = bpe();
        m.put("tokenizer.ggml.model", "bert");
        assertBad(m, "tokenizer.ggml.model", "'bert'; supported: 'llama' (sentencepiece), 'gpt2' (byte-level BPE)");

        m = bpe();
        m.put("tokenizer.ggml.pre", "klingon");
        assertBad(m, "tokenizer.ggml.pre", "'klingon'");
        assertBad(m, "tokenizer.ggml.pre", "llama-bpe, falcon3");
        assertBad(m, "tokenizer.ggml.pre", "starcoder, refact, command-r, smollm");
    }
}
