package io.heavykv.model;

import io.heavykv.tensor.TensorType;
import io.heavykv.tensor.WeightMatrix;
import io.heavykv.tokenizer.Llama2cTokenizerFile;
import io.heavykv.tokenizer.Tokenizer;
import io.heavykv.testing.SharedModels;
import io.heavykv.testing.TinyModels;
import io.heavykv.tokenizer.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GgufRoundTripTest {
    @TempDir
    Path tmp;

    private static Vocabulary tok512() throws Exception {
        return Llama2cTokenizerFile.read(SharedModels.stories260K("tok512.bin"));
    }

    @Test
    void f32ConversionReadsBackBitIdentical() throws Exception {
        Path out = tmp.resolve("s.gguf");
        Vocabulary vocab = tok512();
        try (Model source = ModelLoader.load(SharedModels.stories260K("stories260K.bin"))) {
            ModelConverter.convert(source, vocab, TensorType.F32, out);
            try (Model back = ModelLoader.load(out)) {
                assertThat(back.description()).startsWith("GGUF v3");
                assertThat(back.config()).isEqualTo(source.config());
                WeightAssertions.assertBitIdentical(source.weights(), back.weights());
                assertThat(back.weights().classifier()).isSameAs(back.weights().tokenEmbedding());
                Vocabulary v = back.vocabulary().orElseThrow();
                assertThat(v.pieces()).isEqualTo(vocab.toGgufSpelling().pieces());
                assertThat(v.scores()).containsExactly(vocab.scores());
                assertThat(v.bosId()).isEqualTo(1);
                assertThat(v.eosId()).isEqualTo(2);
                // The GGUF spelling (U+2581 for spaces) must not change a single id or character.
                Tokenizer original = new Tokenizer(vocab);
                Tokenizer converted = new Tokenizer(v);
                for (String text : List.of("Once upon a time, Lily saw a  big dog.\n\"Hi!\" she said. 日本 🚀", " x  ")) {
                    int[] ids = original.encode(text, true, false);
                    assertThat(converted.encode(text, true, false)).as(text).containsExactly(ids);
                    assertThat(converted.decode(ids)).isEqualTo(text);
                }
            }
        }
    }

    /** llama.cpp's own converter made stories260K-llamacpp.gguf from the same tok512.bin: the vocabularies must agree. */
    @Test
    void vocabularyIsWhatLlamaCppsConverterWrites() throws Exception {
        Path llamaCpp = SharedModels.assumeShared("models/stories260K/stories260K-llamacpp.gguf");
        Path out = tmp.resolve("s.gguf");
        try (Model source = ModelLoader.load(SharedModels.stories260K("stories260K.bin"))) {
            ModelConverter.convert(source, tok512(), TensorType.F32, out);
        }
        Map<String, Object> ours = GgufReader.header(out).metadata();
        Map<String, Object> theirs = GgufReader.header(llamaCpp).metadata();
        for (String key : List.of("tokenizer.ggml.model", "tokenizer.ggml.tokens", "tokenizer.ggml.bos_token_id",
                "tokenizer.ggml.eos_token_id", "tokenizer.ggml.unknown_token_id")) {
            assertThat(ours.get(key)).as(key).isEqualTo(theirs.get(key));
        }
        assertThat((long[]) ours.get("tokenizer.ggml.token_type")).containsExactly((long[]) theirs.get("tokenizer.ggml.token_type"));
        assertThat((float[]) ours.get("tokenizer.ggml.scores")).containsExactly((float[]) theirs.get("tokenizer.ggml.scores"));
    }

    @Test
    void headerCarriesLlamaCppMetadata() throws Exception {
        Path out = tmp.resolve("s.gguf");
        try (Model source = ModelLoader.load(SharedModels.stories260K("stories260K-v1.bin"))) {
            ModelConverter.convert(source, tok512(), TensorType.Q8_0, out);
        }
        GgufFile h = GgufReader.header(out);
        assertThat(h.version()).isEqualTo(3);
        assertThat(h.metadata()).containsEntry("general.architecture", "llama")
                .containsEntry("tokenizer.ggml.model", "llama")
                .containsEntry("llama.embedding_length", 64L)
                .containsEntry("llama.attention.head_count_kv", 4L);
        assertThat((String) h.metadata().get("general.name")).contains("stories260K-v1.bin");
        long[] types = (long[]) h.metadata().get("tokenizer.ggml.token_type");
        @SuppressWarnings("unchecked")
        List<String> tokens = (List<String>) h.metadata().get("tokenizer.ggml.tokens");
        assertThat(types[tokens.indexOf("<0x41>")]).isEqualTo(6);
        assertThat(types[1]).isEqualTo(3);
        assertThat(types[2]).isEqualTo(3);
        assertThat(types[tokens.indexOf("<unk>")]).isEqualTo(2);
        assertThat(types[300]).isEqualTo(1);
        // w2 / ffn_down has 172 columns: not a whole number of Q8_0 blocks, so it stays F32.
        assertThat(h.tensors().get("blk.0.ffn_down.weight").ggmlType()).isEqualTo(TensorType.F32.ggmlId());
        assertThat(h.tensors().get("blk.0.ffn_up.weight").ggmlType()).isEqualTo(TensorType.Q8_0.ggmlId());
        assertThat(h.tensors().get("blk.0.ffn_up.weight").dims()).containsExactly(64, 172);
        assertThat(h.tensors().get("output_norm.weight").ggmlType()).isEqualTo(TensorType.F32.ggmlId());
        assertThat(h.tensors()).doesNotContainKey("output.weight");
        for (GgufTensorInfo t : h.tensors().values()) assertThat(t.offset() % 32).isZero();
    }

    @Test
    void q8ConversionStaysWithinHalfAQuantizationStep() throws Exception {
        Path out = tmp.resolve("q8.gguf");
        try (Model source = ModelLoader.load(SharedModels.stories260K("stories260K.bin"))) {
            ModelConverter.convert(source, tok512(), TensorType.Q8_0, out);
            try (Model back = ModelLoader.load(out)) {
                assertThat(back.weights().layers()[0].wq().type()).isEqualTo(TensorType.Q8_0);
                assertThat(back.weights().layers()[0].down().type()).isEqualTo(TensorType.F32);
                for (int l = 0; l < source.config().layers(); l++) {
                    assertWithinQ8Step(source.weights().layers()[l].wq(), back.weights().layers()[l].wq());
                    assertWithinQ8Step(source.weights().layers()[l].gate(), back.weights().layers()[l].gate());
                    WeightAssertions.assertSameMatrix("down", source.weights().layers()[l].down(), back.weights().layers()[l].down());
                }
                assertWithinQ8Step(source.weights().tokenEmbedding(), back.weights().tokenEmbedding());
            }
        }
    }

    /** Per 32-value block: half a step (amax / 127 / 2) plus the fp16 rounding of the scale. */
    private static void assertWithinQ8Step(WeightMatrix exact, WeightMatrix q8) {
        for (int r = 0; r < exact.rows(); r++) {
            float[] a = WeightAssertions.row(exact, r);
            float[] b = WeightAssertions.row(q8, r);
            for (int blk = 0; blk < a.length / 32; blk++) {
                float amax = 0;
                for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(a[blk * 32 + j]));
                float bound = amax / 254 + amax * 0x1p-11f * 1.01f + 1e-9f;
                for (int j = blk * 32; j < blk * 32 + 32; j++) assertThat(b[j]).isCloseTo(a[j], within(bound));
            }
        }
    }

    @Test
    void randomModelsAreSeededAndShapedLikeTheirConfig() throws Exception {
        Path a = TinyModels.gguf(tmp, TinyModels.tinyConfig(), TensorType.Q8_0, 1);
        Path again = TinyModels.gguf(tmp.resolve(Files.createDirectory(tmp.resolve("again"))), TinyModels.tinyConfig(), TensorType.Q8_0, 1);
        Path other = TinyModels.gguf(tmp, TinyModels.tinyConfig(), TensorType.Q8_0, 2);
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(a));
        assertThat(Files.readAllBytes(other)).isNotEqualTo(Files.readAllBytes(a));
        try (Model m = ModelLoader.load(a)) {
            assertThat(m.config()).isEqualTo(TinyModels.tinyConfig());
            assertThat(m.weights().classifier()).isNotSameAs(m.weights().tokenEmbedding());
            assertThat(m.weights().finalNorm()).containsOnly(1f);
            assertThat(m.vocabulary().orElseThrow().pieces()).contains("<0xFF>", "<s>", "</s>");
            float[] up = new float[m.config().hiddenDim() * m.config().dim()];
            WeightMatrix w = m.weights().layers()[1].up();
            for (int r = 0; r < w.rows(); r++) w.copyRow(r, up, r * w.cols());
            double sum = 0, sq = 0;
            for (float v : up) {
                sum += v;
                sq += v * v;
            }
            double mean = sum / up.length;
            assertThat(mean).isCloseTo(0, within(0.002));
            assertThat(Math.sqrt(sq / up.length - mean * mean)).isCloseTo(0.02, within(0.001));
        }
    }

    @Test
    void everyStorageTypeRoundTripsThroughTheLoader() throws Exception {
        // The K-quants' 256-element super-blocks need wider matrices than the tiny model's (else they stay F32).
        LlamaConfig wide = new LlamaConfig(256, 512, 1, 4, 2, 300, 128, 10000f, 1e-5f);
        for (TensorType type : TensorType.values()) {
            LlamaConfig config = type.blockSize() > TinyModels.tinyConfig().dim() ? wide : TinyModels.tinyConfig();
            try (Model m = ModelLoader.load(TinyModels.gguf(tmp, config, type, 42))) {
                assertThat(m.weights().layers()[0].wq().type()).isEqualTo(type);
                float[] x = new float[m.config().dim()];
                x[3] = 1;
                float[] out = new float[m.config().dim()];
                m.weights().layers()[0].wq().matmul(x, out, 1);
                for (float v : out) assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }
}
