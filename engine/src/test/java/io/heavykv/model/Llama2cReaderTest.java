package io.heavykv.model;

import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Llama2cReaderTest {
    @Test
    void legacyCheckpointHasTheDocumentedArchitecture() throws Exception {
        try (Model m = ModelLoader.load(SharedModels.stories260K("stories260K.bin"))) {
            // From the model's README: dim 64, hidden 172, 5 layers, 8 heads, 4 KV heads, vocab 512, context 512.
            assertThat(m.config()).isEqualTo(new LlamaConfig(64, 172, 5, 8, 4, 512, 512, 10000f, 1e-5f));
            assertThat(m.weights().classifier()).isSameAs(m.weights().tokenEmbedding());
            assertThat(m.vocabulary()).isEmpty();
            assertThat(m.description()).contains("legacy");
        }
    }

    @Test
    void legacyAndVersion1ExportsHoldTheSameModel() throws Exception {
        try (Model legacy = ModelLoader.load(SharedModels.stories260K("stories260K.bin"));
             Model v1 = ModelLoader.load(SharedModels.stories260K("stories260K-v1.bin"))) {
            assertThat(v1.description()).contains("v1");
            assertThat(v1.config()).isEqualTo(legacy.config());
            WeightAssertions.assertBitIdentical(legacy.weights(), v1.weights());
        }
    }

    @Test
    void weightsLookTrained() throws Exception {
        // A layout error (wrong order or offset) shows as norms that are not around 1 or matrices of garbage.
        try (Model m = ModelLoader.load(SharedModels.stories260K("stories260K.bin"))) {
            for (LayerWeights l : m.weights().layers()) {
                for (float v : l.attentionNorm()) assertThat(v).isBetween(-5f, 5f);
            }
            float[] row = WeightAssertions.row(m.weights().layers()[0].wq(), 0);
            double sum = 0;
            for (float v : row) sum += v * v;
            assertThat(Math.sqrt(sum / row.length)).isBetween(0.01, 2.0);
        }
    }
}
