package io.heavykv.model;

import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.runtime.Session;
import io.heavykv.runtime.Transformer;
import io.heavykv.tensor.TensorType;
import io.heavykv.tokenizer.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each architecture's GGUF holds (llama.cpp's keys and names), and the clear refusals of broken files. */
class ArchitectureGgufTest {
    @TempDir
    Path tmp;

    private Path write(String name, LlamaConfig config, Consumer<GgufWriter> extra) {
        return ArchitectureModels.write(tmp, name, config, 3, false, extra);
    }

    /** Rewrites {@code file} with {@code patch} applied to its bytes. */
    private static Path patch(Path file, Consumer<byte[]> patch) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        patch.accept(bytes);
        return Files.write(file, bytes);
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The byte offset of the value of metadata {@code key} (after its key string and its u32 type). */
    private static int valueOf(byte[] bytes, String key) {
        return BadModelFileTest.indexOf(bytes, key) + key.length() + 4;
    }

    /** The byte offset of dimension {@code d} in tensor {@code name}'s entry of the tensor table. */
    private static int dimensionOf(byte[] bytes, String name, int d) {
        return BadModelFileTest.indexOf(bytes, name) + name.length() + 4 + 8 * d;
    }

    private static void assertRefused(Path file, String... parts) {
        assertThatThrownBy(() -> ModelLoader.load(file).close()).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(file.toString()).hasMessageContainingAll(parts);
    }

    /** A generated model's cache stamp is the config's text: it must not depend on a per-run hash order. */
    @Test
    void anArchitecturesTensorNamesReadInTheRolesOrder() {
        for (Architecture architecture : java.util.List.of(Architectures.LLAMA, Architectures.MISTRAL, Architectures.QWEN2)) {
            assertThat(architecture.tensorNames().keySet()).as(architecture.name()).containsExactly(LlamaTensor.values());
        }
    }

    @Test
    void qwen2FilesCarryItsKeysBiasesAndNoRopeScaling() throws Exception {
        GgufFile h = GgufReader.header(write("qwen2", ArchitectureModels.qwen2(), w -> { }));
        assertThat(h.metadata()).containsEntry("general.architecture", "qwen2")
                .containsEntry("qwen2.embedding_length", 64L)
                .containsEntry("qwen2.rope.dimension_count", 16L)
                .containsEntry("qwen2.rope.freq_base", 1000000f)
                .doesNotContainKeys("llama.embedding_length", "qwen2.rope.scaling.type");
        assertThat(h.tensors()).containsKeys("blk.0.attn_q.bias", "blk.1.attn_k.bias", "blk.1.attn_v.bias", "blk.1.attn_q.weight")
                .doesNotContainKey("rope_freqs.weight");
        assertThat(h.tensors().get("blk.1.attn_k.bias").dims()).containsExactly(32);
    }

    @Test
    void llama3FilesCarryFrequencyFactorsAndLinearScaling() throws Exception {
        GgufFile h = GgufReader.header(write("llama3", ArchitectureModels.llama3(), w -> { }));
        assertThat(h.metadata()).containsEntry("general.architecture", "llama")
                .containsEntry("llama.rope.scaling.type", "linear")
                .containsEntry("llama.rope.scaling.factor", 2f);
        assertThat(h.tensors().get("rope_freqs.weight").dims()).containsExactly(8);
        assertThat(h.tensors()).doesNotContainKey("blk.0.attn_q.bias");
    }

    @Test
    void mistralFilesCarryTheirSlidingWindow() throws Exception {
        GgufFile h = GgufReader.header(write("mistral", ArchitectureModels.mistral(), w -> { }));
        assertThat(h.metadata()).containsEntry("general.architecture", "mistral").containsEntry("mistral.attention.sliding_window", 96L);
    }

    @Test
    void aTiedModelUsesItsEmbeddingAsTheClassifier() throws Exception {
        Path file = ArchitectureModels.write(tmp, "tied", ArchitectureModels.qwen2(), 3, true, w -> { });
        assertThat(GgufReader.header(file).tensors()).doesNotContainKey("output.weight");
        try (Model m = ModelLoader.load(file)) {
            assertThat(m.weights().classifier()).isSameAs(m.weights().tokenEmbedding());
        }
    }

    @Test
    void convertingAQwen2ModelKeepsItsArchitectureAndBiases() throws Exception {
        Path out = tmp.resolve("converted.gguf");
        try (Model source = ModelLoader.load(write("qwen2", ArchitectureModels.qwen2(), w -> { }))) {
            Vocabulary vocab = source.vocabulary().orElseThrow();
            ModelConverter.convert(source, vocab, TensorType.F32, out);
            try (Model back = ModelLoader.load(out)) {
                assertThat(back.config()).isEqualTo(source.config());
                WeightAssertions.assertBitIdentical(source.weights(), back.weights());
            }
        }
    }

    @Test
    void anUnknownArchitectureIsNamedWithTheSupportedOnes() throws Exception {
        Path file = patch(write("other", ArchitectureModels.qwen2(), w -> { }), b -> b[BadModelFileTest.indexOf(b, "qwen2") + 4] = '9');
        assertRefused(file, "architecture 'qwen9' is not supported", "llama, mistral, qwen2");
    }

    @Test
    void aQwen2FileWithoutOneOfItsBiasesIsRefused() throws Exception {
        Path file = patch(write("nobias", ArchitectureModels.qwen2(), w -> { }), b -> b[BadModelFileTest.indexOf(b, "blk.1.attn_k.bias") + 13] = 'x');
        assertRefused(file, "tensor blk.1.attn_k.bias is missing");
    }

    @Test
    void aTensorTheArchitectureDoesNotRunIsRefusedRatherThanIgnored() {
        Path file = write("extra", ArchitectureModels.llama3(), w -> w.vector("blk.0.attn_output.bias", new float[64]));
        assertRefused(file, "tensor blk.0.attn_output.bias is not part of a llama model");
    }

    @Test
    void vocabularyAndTensorSizeMismatchesNameTheTensor() throws Exception {
        Path untied = patch(write("vocab", ArchitectureModels.qwen2(), w -> { }),
                b -> le(b).putLong(dimensionOf(b, "token_embd.weight", 1), 299));
        assertRefused(untied, "tensor output.weight has shape [64, 300], the config implies [64, 299]");
        Path tied = patch(ArchitectureModels.write(tmp, "tied", ArchitectureModels.qwen2(), 3, true, w -> { }),
                b -> le(b).putLong(dimensionOf(b, "token_embd.weight", 1), 299));
        assertRefused(tied, "300 tokens but the embedding has 299 rows");
        Path bias = patch(write("bias", ArchitectureModels.qwen2(), w -> { }),
                b -> le(b).putLong(dimensionOf(b, "blk.0.attn_q.bias", 0), 63));
        assertRefused(bias, "tensor blk.0.attn_q.bias has shape [63], the config implies [64]");
    }

    @Test
    void unsupportedOrMalformedRopeScalingIsRefusedNamingTheKey() throws Exception {
        assertRefused(write("yarn", ArchitectureModels.qwen2(), w -> w.putString("qwen2.rope.scaling.type", "yarn")),
                "metadata qwen2.rope.scaling.type is 'yarn'", "does not implement");
        assertRefused(write("fancy", ArchitectureModels.qwen2(), w -> w.putString("qwen2.rope.scaling.type", "fancy")),
                "metadata qwen2.rope.scaling.type is 'fancy', not a RoPE scaling type");
        assertRefused(write("number", ArchitectureModels.qwen2(), w -> w.putUInt32("qwen2.rope.scaling.type", 2)),
                "metadata qwen2.rope.scaling.type must be a string");
        assertRefused(write("negative", ArchitectureModels.mistral(), w -> w.putFloat32("mistral.rope.scale_linear", -2f)),
                "metadata mistral.rope.scale_linear must be a positive scaling factor, got -2.0");
        Path wide = patch(write("wide", ArchitectureModels.qwen2(), w -> { }),
                b -> le(b).putInt(valueOf(b, "qwen2.rope.dimension_count"), 32));
        assertRefused(wide, "bad qwen2 config", "RoPE rotates 32 dimensions but a head has 16");
        Path factors = write("factors", ArchitectureModels.llama3(), w -> { });
        GgufFile h = GgufReader.header(factors);
        long at = h.dataOffset() + h.tensors().get("rope_freqs.weight").offset() + 4 * 3;
        patch(factors, b -> le(b).putFloat(Math.toIntExact(at), -1f));
        assertRefused(factors, "RoPE frequency factor -1.0 (rope_freqs) is not positive");
    }

    @Test
    void headsOfAnotherSizeThanDimOverHeadsAreRefused() {
        assertRefused(write("keylength", ArchitectureModels.qwen2(), w -> w.putUInt32("qwen2.attention.key_length", 32)),
                "metadata qwen2.attention.key_length is 32 but qwen2.embedding_length / qwen2.attention.head_count is 16");
    }

    @Test
    void aSlidingWindowModelRunsOnlyWithinItsWindow() throws Exception {
        try (Model model = ModelLoader.load(write("mistral", ArchitectureModels.mistral(), w -> { }))) {
            Transformer transformer = new Transformer(model);
            assertThatThrownBy(() -> new Session(transformer, KvCacheConfig.defaults().open(model.config()), 97, 8))
                    .hasMessageContaining("sliding window of 96 tokens").hasMessageContaining("--ctx 96");
            assertThatCode(() -> new Session(transformer, KvCacheConfig.defaults().open(model.config()), 96, 8).close())
                    .doesNotThrowAnyException();
        }
    }
}
