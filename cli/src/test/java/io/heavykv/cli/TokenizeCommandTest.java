package io.heavykv.cli;

import io.heavykv.model.GgufWriter;
import io.heavykv.tokenizer.GgufVocabulary;
import io.heavykv.tokenizer.SpecialTokens;
import io.heavykv.tokenizer.TokenType;
import io.heavykv.tokenizer.TokenizerKind;
import io.heavykv.tokenizer.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code heavykv tokenize} on a vocabulary-only GGUF file (no tensors, as llama.cpp's vocab files are). */
@Timeout(30)
class TokenizeCommandTest {
    @TempDir
    Path dir;

    /** unk, BOS, EOS, then pieces that merge " Hi!" (spelled "▁Hi!") into ▁Hi (5) and ! (6). */
    private Path vocabularyFile() throws Exception {
        List<String> pieces = List.of("<unk>", "<s>", "</s>", "\u2581", "\u2581H", "\u2581Hi", "!", "H", "i");
        TokenType[] types = {TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL, TokenType.NORMAL,
                TokenType.NORMAL, TokenType.NORMAL, TokenType.NORMAL, TokenType.NORMAL, TokenType.NORMAL};
        float[] scores = {0, 0, 0, -1, -2, -3, -4, -5, -6};
        Vocabulary v = new Vocabulary(TokenizerKind.SENTENCEPIECE, pieces, scores, types, List.of(), null,
                new SpecialTokens(1, 2, 0, -1, -1, -1, true, false, true));
        GgufWriter w = new GgufWriter();
        GgufVocabulary.write(w, v);
        Path file = dir.resolve("vocab.gguf");
        w.write(file);
        return file;
    }

    private static String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertThat(Main.run(args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsIdsAndOnRequestPieces() throws Exception {
        String model = vocabularyFile().toString();
        assertThat(run("tokenize", "-m", model, "-p", "Hi!")).isEqualTo("[1, 5, 6]" + System.lineSeparator());
        assertThat(run("tokenize", "-m", model, "-p", "Hi!", "--ids-only", "--no-bos")).startsWith("[5, 6]");
        assertThat(run("tokenize", "-m", model, "-p", "Hi!", "--show-pieces").lines())
                .containsExactly("     1 -> '<s>'", "     5 -> ' Hi'", "     6 -> '!'");
        assertThat(run("tokenize", "-m", model, "-p", "Hi</s>", "--no-bos", "--parse-special")).startsWith("[5, 2]");
    }

    @Test
    void conflictingFlagsAreRefused() throws Exception {
        String model = vocabularyFile().toString();
        assertThat(Main.run("tokenize", "-m", model, "-p", "Hi", "--ids-only", "--show-pieces")).isEqualTo(1);
        assertThat(Main.run("tokenize", "-m", model)).isEqualTo(1);
    }
}
