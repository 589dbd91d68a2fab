package io.heavykv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.heavykv.bench.BenchJson;
import io.heavykv.model.Architectures;
import io.heavykv.model.LlamaConfig;
import io.heavykv.model.RandomModelGenerator;
import io.heavykv.model.RopeConfig;
import io.heavykv.model.RopeStyle;
import io.heavykv.tensor.TensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI on random qwen2 and mistral models: what info reports, runs, and the sliding-window refusal. */
class ArchitectureCommandsTest {
    private static final LlamaConfig QWEN2 = new LlamaConfig(Architectures.QWEN2, 64, 96, 2, 4, 2, 300, 128, 1e-6f,
            new RopeConfig(RopeStyle.NEOX, 16, 1000000f, 1f, new float[0]), true, 0);
    private static final LlamaConfig MISTRAL = new LlamaConfig(Architectures.MISTRAL, 64, 96, 2, 4, 2, 300, 128, 1e-5f,
            RopeConfig.plain(16, 10000f), false, 32);

    @TempDir
    Path tmp;

    private Path model(String name, LlamaConfig config) throws Exception {
        Path out = tmp.resolve(name + ".gguf");
        RandomModelGenerator.generate(config, TensorType.Q8_0, 5, name, out);
        return out;
    }

    /** Runs {@code command} with stdout and stderr captured: [exit code, stdout, stderr]. */
    private static String[] captured(IntSupplier command) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            code = command.getAsInt();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void infoShowsTheArchitectureRopeBiasesAndWindow() throws Exception {
        String qwen2 = model("qwen2", QWEN2).toString();
        String[] run = captured(() -> Main.run("info", "-m", qwen2, "--json"));
        assertThat(run[0]).isEqualTo("0");
        JsonNode info = BenchJson.MAPPER.readTree(run[1]);
        assertThat(info.get("architecture").asText()).isEqualTo("qwen2");
        assertThat(info.get("rope_style").asText()).isEqualTo("NEOX");
        assertThat(info.get("rope_theta").asDouble()).isEqualTo(1000000.0);
        assertThat(info.get("rope_scaling").asText()).isEqualTo("none");
        assertThat(info.get("qkv_bias").asBoolean()).isTrue();
        assertThat(info.get("sliding_window").asInt()).isZero();
        String mistral = model("mistral", MISTRAL).toString();
        JsonNode m = BenchJson.MAPPER.readTree(captured(() -> Main.run("info", "-m", mistral, "--json"))[1]);
        assertThat(m.get("architecture").asText()).isEqualTo("mistral");
        assertThat(m.get("rope_style").asText()).isEqualTo("NORMAL");
        assertThat(m.get("sliding_window").asInt()).isEqualTo(32);
    }

    /** bench feeds random token ids, so the synthetic vocabulary's lack of a text tokenizer does not matter. */
    private static String[] bench(String model) {
        return captured(() -> Main.run("bench", "-m", model, "--prompt-source", "random", "-p", "8", "-n", "4", "-r", "1", "--warmup", "0", "-q"));
    }

    @Test
    void qwen2AndMistralModelsRunAndAContextPastTheWindowIsRefused() throws Exception {
        String[] qwen2 = bench(model("qwen2", QWEN2).toString());
        assertThat(qwen2[0]).as(qwen2[2]).isEqualTo("0");
        String mistral = model("mistral", MISTRAL).toString();
        String[] within = bench(mistral);
        assertThat(within[0]).as(within[2]).isEqualTo("0");
        String[] refused = captured(() -> Main.run("generate", "-m", mistral, "-p", "ab", "-n", "4", "--ctx", "64"));
        assertThat(refused[0]).isEqualTo("1");
        assertThat(refused[2]).startsWith("heavykv: ").contains("sliding window of 32 tokens").contains("--ctx 32");
    }
}
