package io.heavykv.cli;

import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Arguments a new user might try that once were silently taken for something else: each is refused, naming itself. */
@Timeout(60)
class BadArgumentsTest {
    private static final String MODEL = SharedModels.defaultModel().resolve("stories260K.bin").toString();

    @TempDir
    Path dir;

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(new String[] {"stress", "--kv-budget-mb", "1e-9", "--lengths", "64"}, "--kv-budget-mb 1.0E-9 is less than one byte"),
                Arguments.of(new String[] {"stress", "--kv-budget-mb", "NaN", "--lengths", "64"}, "--kv-budget-mb must be a number of MB"),
                Arguments.of(new String[] {"throughput", "--kv-budget-mb", "NaN"}, "--kv-budget-mb must be a number of MB"),
                Arguments.of(new String[] {"stress", "--quick", "--lengths", "64"}, "--lengths and --quick both choose the lengths"),
                Arguments.of(new String[] {"bench", "--synthetic", "tinyllama", "--layers", "-1"}, "--layers must be in [0, 22]"),
                Arguments.of(new String[] {"bench", "--synthetic", "tinyllama", "--layers", "100000"}, "--layers must be in [0, 22]"),
                Arguments.of(new String[] {"bench", "-p", "2000000000", "-n", "1"}, "prompt length (-p, prompt_tokens) must be in [1, 1048576]"),
                Arguments.of(new String[] {"bench", "-p", "16", "-n", "2147483647"}, "generation length (-n, generate_tokens) must be in"),
                Arguments.of(new String[] {"bench", "-c", "8", "-p", "16", "-n", "4", "-q"}, "every run failed"),
                Arguments.of(new String[] {"bench", "--reference", "ollama"}, "--reference must be llama.cpp, got ollama"),
                Arguments.of(new String[] {"bench", "--reference", "llama.cpp", "-p", "1", "-n", "8"}, "prompts of at least 2 tokens (-p)"),
                Arguments.of(new String[] {"bench", "--reference", "llama.cpp", "-p", "8", "-n", "0"}, "at least 1 generated token (-n)"),
                Arguments.of(new String[] {"generate", "-c", "-1", "-p", "hi", "-n", "2"}, "context length (-c/--ctx) must be positive"),
                Arguments.of(new String[] {"kvdump", "-n", "-1", "-o", "x.kvd"}, "-n/--n-predict must be >= 0"),
                Arguments.of(new String[] {"lossless-eval", "--dict-bytes", "2000000000", "no-dump.kvd"}, "dictionary bytes (--dict-bytes) must be in"),
                Arguments.of(new String[] {"generate", "-p", "hi", "-n", "2", "--kv-policy", "lru"}, "unknown KV policy 'lru' (known: full, streaming, h2o"),
                Arguments.of(new String[] {"generate", "-p", "hi", "-n", "2", "--kv-policy", "snapkv", "--kv-policy-arg", "kernel_size=4"},
                        "SnapKV kernel_size must be odd and positive, got 4"),
                Arguments.of(new String[] {"generate", "-p", "hi", "-n", "2", "--kv-policy", "snapkv", "--kv-policy-arg", "block_tokens=4"},
                        "--kv-policy snapkv: key 'block_tokens' does not apply to policy snapkv"),
                Arguments.of(new String[] {"generate", "-p", "hi", "-n", "2", "--kv-policy", "h2o", "--kv-policy-arg", "target_keep_ratio"},
                        "--kv-policy-arg 'target_keep_ratio' is not KEY=VALUE"),
                Arguments.of(new String[] {"stress", "--lengths", "64", "--policies", "h2o,lru"}, "unknown KV policy 'lru'"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void isRefusedNamingTheArgument(String[] args, String expected) throws Exception {
        String[] withModel = args[0].equals("lossless-eval") ? args : Stream.concat(Stream.of(args), Stream.of("-m", MODEL)).toArray(String[]::new);
        assertThat(OutputSafetyTest.stderrOf(() -> Main.run(withModel))).contains(expected);
    }

    @Test
    void settingsWithNullOrADuplicateKeyAreRefused() throws Exception {
        Path nulls = Files.writeString(dir.resolve("null.json"), "{\"policy\": \"h2o\", \"target_keep_ratio\": null}");
        assertThat(OutputSafetyTest.stderrOf(() -> Main.run("bench", "-m", MODEL, "--config", nulls.toString(), "-p", "8", "-n", "1", "-q")))
                .contains("key 'target_keep_ratio' is null");
        Path twice = Files.writeString(dir.resolve("twice.json"), "{\"policy\": \"h2o\", \"policy\": \"full\"}");
        assertThat(OutputSafetyTest.stderrOf(() -> Main.run("bench", "-m", MODEL, "--config", twice.toString(), "-p", "8", "-n", "1", "-q")))
                .contains("Duplicate field 'policy'");
    }

    @Test
    void aGateBaselineWithoutTheDropItIsForIsRefused() throws Exception {
        Path preset = Files.writeString(dir.resolve("p.json"), "{\"name\": \"t\", \"matrix\": {\"prompt_tokens\": [8], \"generate_tokens\": [1]},"
                + " \"baseline\": {\"name\": \"baseline\"}, \"configs\": [{\"name\": \"s\", \"policy\": \"streaming\", \"sink\": 2, \"window\": 8}],"
                + " \"gates\": {\"min_lossy_ratio\": 1.0, \"baseline\": \"paired\"}}");
        assertThat(OutputSafetyTest.stderrOf(() -> Main.run("sweep", "--preset", preset.toString(), "-m", MODEL, "--warmup", "0", "-q")))
                .contains("key 'baseline' is given without 'max_decode_drop'");
    }

    @Test
    void flagsThePolicyIgnoresAreWarnedAbout() throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("generate", "-m", MODEL, "-p", "hi", "-n", "2", "--h2o-keep-ratio", "0.5", "--kv-lossless-decode-budget", "0.1");
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("warning: --h2o-keep-ratio: not a setting of --kv-policy full; ignored")
                .contains("warning: --kv-lossless-decode-budget: only with --kv-lossless probe, full or store; ignored");
    }

    @Test
    void inputFilesThatAreNoFilesOrNoTextAreNamed() throws Exception {
        Path fifo = dir.resolve("pipe");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        // Each of these once blocked forever on the pipe.
        assertThat(OutputSafetyTest.stderrOf(() -> Main.run("generate", "-m", MODEL, "-f", fifo.toString(), "-n", "1")))
                .contains("prompt file " + fifo + " is not a regular file");
        assertThat(OutputSafetyTest.stderrOf(() -> Main.run("generate", "-m", MODEL, "--tokenizer", fifo.toString(), "-n", "1")))
                .contains("tokenizer " + fifo + " is not a regular file");
        assertThat(OutputSafetyTest.stderrOf(() -> Main.run("lossless-eval", fifo.toString()))).contains("KV dump " + fifo + " is not a regular file");

        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9, '!'});
        assertThat(OutputSafetyTest.stderrOf(() -> Main.run("generate", "-m", MODEL, "-f", latin1.toString(), "-n", "1")))
                .contains("prompt file " + latin1 + " is not UTF-8 text: invalid byte 0xe9 at byte offset 3");
        Path missing = dir.resolve("missing.txt");
        assertThat(OutputSafetyTest.stderrOf(() -> Main.run("generate", "-m", MODEL, "-f", missing.toString(), "-n", "1")))
                .contains("no such file: " + missing);
        assertThat(OutputSafetyTest.stderrOf(() -> Main.run("bench", "-m", MODEL, "--config", dir.toString(), "-p", "8", "-n", "1")))
                .contains("config file " + dir + " is a folder");
    }

    @Test
    void runningOutOfContextWhileDecodingSaysSo() throws Exception {
        assertThat(OutputSafetyTest.stderrOf(() -> Main.run("kvdump", "-m", MODEL, "-p", "Once upon a time", "-c", "8", "-n", "20",
                "-o", dir.resolve("kv.kvd").toString())))
                .contains("decoding reached the end of the context (8 tokens").doesNotContain("the prompt has").doesNotContain("eviction");
    }

    @Test
    void weightsThatComputeNaNNameTheFile() throws Exception {
        // llama2.c layout: seven int32 (dim, hidden, layers, heads, KV heads, vocab, context), the embedding table
        // (vocab x dim), the attention norms (layers x dim), then layer 0's query matrix, poisoned here.
        byte[] bytes = Files.readAllBytes(SharedModels.defaultModel().resolve("stories260K.bin"));
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int dim = header.getInt(0);
        int layers = header.getInt(8);
        int vocab = Math.abs(header.getInt(20));
        int wq = 28 + 4 * (vocab * dim + layers * dim);
        for (int i = 0; i < dim; i++) header.putFloat(wq + 4 * i, Float.NaN);
        Path poisoned = Files.write(dir.resolve("poisoned.bin"), bytes);
        Path tokenizer = SharedModels.defaultModel().resolve("tok512.bin");
        assertThat(OutputSafetyTest.stderrOf(() -> Main.run("generate", "-m", poisoned.toString(), "--tokenizer", tokenizer.toString(),
                "-p", "Once", "-n", "4")))
                .contains(poisoned + ": the query of layer 0 at position 0 is not finite");
    }
}
