package io.heavykv.bench.reference;

import io.heavykv.bench.BenchConfig;
import io.heavykv.bench.BenchRunner;
import io.heavykv.bench.RandomPrompts;
import io.heavykv.bench.RunMatrix;
import io.heavykv.bench.RunRecord;
import io.heavykv.kvcache.KvDType;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The interleaving, with the real engine on stories260K and a stand-in for llama.cpp that logs what it was asked. */
@Timeout(60)
class SideBySideTest {
    @TempDir
    Path dir;

    @Test
    void enginesTakeTurnsAndLlamaCppGetsHeavykvsPromptIdsThreadsAndKvType() throws Exception {
        Path ref = Files.writeString(dir.resolve("ref.mjs"), """
                echo "$*" >> "$(dirname "$0")/calls"
                echo '{"prompt_tokens":5,"generated":3,"prefill_seconds":0.5,"decode_seconds":0.25}'
                """);
        Path model = SharedModels.defaultModel().resolve("stories260K.bin");
        try (Engine engine = Engine.load(model, Optional.empty())) {
            RandomPrompts prompts = RandomPrompts.forModel(engine);
            SideBySide sideBySide = new SideBySide(new BenchRunner(engine, model, "bench", 0, 64), prompts,
                    new LlamaCppTool(ref, dir, "sh"), model, 3);
            List<RunRecord> sunk = new ArrayList<>();
            List<RunRecord> records = sideBySide.run(List.of(new BenchConfig("full", KvCacheConfig.defaults())),
                    new RunMatrix(List.of(5), List.of(3), 3), sunk::add, done -> { });

            assertThat(records).extracting(r -> r.configId() + "#" + r.repeat())
                    .containsExactly("llama.cpp#1", "full#1", "full#2", "llama.cpp#2", "llama.cpp#3", "full#3");
            assertThat(sunk).isEqualTo(records);
            assertThat(records).allMatch(RunRecord::passed).allMatch(r -> r.promptId().equals("random:5") && r.generatedTokens() == 3);
            String ids = Arrays.stream(prompts.tokens(5)).mapToObj(String::valueOf).collect(Collectors.joining(","));
            String dtype = KvCacheConfig.defaults().dtype() == KvDType.FP16 ? "f16" : "f32";
            assertThat(Files.readAllLines(dir.resolve("calls"))).containsOnly(
                    "speed --model " + model + " --ids " + ids + " --n 3 --threads 3 --kv-type " + dtype);
            assertThat(records.getFirst().decodeTokS()).isEqualTo(12.0);
        }
    }

    @Test
    void configurationsWithDifferentKvTypesAreRefused() {
        KvCacheConfig fp16 = KvCacheConfig.defaults();
        KvCacheConfig fp32 = new KvCacheConfig(KvDType.FP32, fp16.pageTokens(), fp16.positionMode(), fp16.policy(), fp16.lossless());
        assertThatThrownBy(() -> SideBySide.kvType(List.of(new BenchConfig("a", fp16), new BenchConfig("b", fp32))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one KV type");
        assertThat(SideBySide.kvType(List.of(new BenchConfig("b", fp32)))).isEqualTo("f32");
    }
}
