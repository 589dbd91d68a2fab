package io.heavykv.tokenizer;

import io.heavykv.model.GgufReader;
import io.heavykv.testing.LlamaCppVocabSuites;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * llama.cpp's own tokenizer suites (shared/reference/llama.cpp-vocab): every input must tokenize to exactly the
 * ids llama.cpp produced, with add_special and parse_special off as llama.cpp's test ran them.
 */
@Timeout(60)
class LlamaCppVocabConformanceTest {
    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    static Stream<Arguments> llamaSpm() throws IOException { return cases("ggml-vocab-llama-spm"); }

    static Stream<Arguments> gpt2() throws IOException { return cases("ggml-vocab-gpt-2"); }

    static Stream<Arguments> starcoder() throws IOException { return cases("ggml-vocab-starcoder"); }

    @ParameterizedTest(name = "llama-spm #{index}: {0}")
    @MethodSource("llamaSpm")
    void llamaSpmMatchesLlamaCpp(String input, int[] expected, String suite) {
        assertThat(tokenizer(suite).tokenize(input, false, false)).containsExactly(expected);
    }

    @ParameterizedTest(name = "gpt-2 #{index}: {0}")
    @MethodSource("gpt2")
    void gpt2MatchesLlamaCpp(String input, int[] expected, String suite) {
        assertThat(tokenizer(suite).tokenize(input, false, false)).containsExactly(expected);
    }

    @ParameterizedTest(name = "starcoder #{index}: {0}")
    @MethodSource("starcoder")
    void starcoderMatchesLlamaCpp(String input, int[] expected, String suite) {
        assertThat(tokenizer(suite).tokenize(input, false, false)).containsExactly(expected);
    }

    /**
     * One case per input: the input (named by its escaped form), its expected ids, and the suite. Without the shared
     * folder, one placeholder case that skips (so the report shows the suite as skipped, not absent).
     */
    private static Stream<Arguments> cases(String suite) throws IOException {
        Optional<Path> gguf = SharedModels.shared(LlamaCppVocabSuites.DIR + suite + ".gguf");
        if (gguf.isEmpty()) return Stream.of(Arguments.of(Named.of("(shared folder missing)", ""), new int[0], suite));
        return LlamaCppVocabSuites.read(gguf.get()).stream()
                .map(c -> Arguments.of(Named.of(escape(c.input()), c.input()), c.expected(), suite));
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (cp < 0x20 || Character.getType(cp) == Character.FORMAT) sb.append(String.format("\\u%04X", cp));
                    else sb.appendCodePoint(cp);
                }
            }
        });
        return sb.append('"').toString();
    }

    private static Tokenizer tokenizer(String suite) {
        return TOKENIZERS.computeIfAbsent(suite, s -> {
            Path file = SharedModels.assumeShared(LlamaCppVocabSuites.DIR + s + ".gguf");
            try {
                return new Tokenizer(GgufVocabulary.read(GgufReader.header(file), file).orElseThrow());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
