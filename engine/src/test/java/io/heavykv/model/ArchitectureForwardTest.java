package io.heavykv.model;

import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.KvStorage;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.runtime.Transformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each architecture's forward pass against {@link ScalarReference}, a naive double-precision implementation of the
 * published definitions: a prefill batch, then greedy decode steps, with keys rotated when stored and with keys
 * stored unrotated and rotated at every read (the pre-rope cache mode, which must rotate the model's way too).
 */
class ArchitectureForwardTest {
    private static final int[] PROMPT = {1, 17, 260, 5, 299, 42, 42};
    /** Past 0, so that RoPE angles (and the scaled ones) are far from trivial. */
    private static final int START = 45;
    private static final int DECODE = 3;
    /** Float32 against double over two layers, logits of order 1: about 1e-6 is measured, so a wrong rotation shows. */
    private static final double TOLERANCE = 1e-5;

    @TempDir
    Path tmp;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("llama3", ArchitectureModels.llama3()),
                Arguments.of("qwen2", ArchitectureModels.qwen2()),
                Arguments.of("qwen2-half-rotated", ArchitectureModels.qwen2HalfRotated()),
                Arguments.of("llama-with-biases", ArchitectureModels.llamaWithQwen2Weights()),
                Arguments.of("mistral", ArchitectureModels.mistral()));
    }

    /** Engine logits for the prompt's last token and each decode step (greedy), in order. */
    private static List<float[]> engineLogits(Model model, PositionMode mode) {
        Transformer transformer = new Transformer(model);
        var cache = PagedKvCache.full(KvGeometry.of(model.config()), new KvStorage(KvDType.FP32, 4, mode, 4));
        List<float[]> out = new ArrayList<>();
        float[] logits = transformer.forward(PROMPT, 0, PROMPT.length, START, cache);
        out.add(logits.clone());
        for (int s = 0; s < DECODE; s++) {
            logits = transformer.forward(new int[] {argmax(logits)}, 0, 1, START + PROMPT.length + s, cache);
            out.add(logits.clone());
        }
        return out;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    private static double maxDifference(float[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void loadsWithTheConfigItWasWrittenWith(String name, LlamaConfig config) throws Exception {
        try (Model model = ModelLoader.load(ArchitectureModels.write(tmp, name, config, 7))) {
            assertThat(model.config()).isEqualTo(config);
            assertThat(model.weights().layers()[1].qkvBias().isPresent()).isEqualTo(config.qkvBias());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void forwardPassMatchesTheScalarReference(String name, LlamaConfig config) throws Exception {
        try (Model model = ModelLoader.load(ArchitectureModels.write(tmp, name, config, 7))) {
            for (PositionMode mode : new PositionMode[] {PositionMode.ABSOLUTE, PositionMode.ABSOLUTE_PRE_ROPE}) {
                List<float[]> engine = engineLogits(model, mode);
                ScalarReference reference = new ScalarReference(model);
                double[] expected = null;
                for (int t = 0; t < PROMPT.length; t++) expected = reference.step(PROMPT[t], START + t);
                for (int s = 0; s <= DECODE; s++) {
                    if (s > 0) expected = reference.step(argmax(engine.get(s - 1)), START + PROMPT.length + s - 1);
                    double scale = 0;
                    for (double v : expected) scale = Math.max(scale, Math.abs(v));
                    assertThat(scale).as("logits are not negligible").isGreaterThan(0.1);
                    assertThat(maxDifference(engine.get(s), expected)).as("%s, %s, step %d", name, mode, s).isLessThan(TOLERANCE);
                }
            }
        }
    }

    @Test
    void neoxAndAdjacentPairsGiveDifferentLogitsForTheSameWeights() throws Exception {
        try (Model neox = ModelLoader.load(ArchitectureModels.write(tmp, "neox", ArchitectureModels.qwen2(), 7));
             Model normal = ModelLoader.load(ArchitectureModels.write(tmp, "normal", ArchitectureModels.llamaWithQwen2Weights(), 7))) {
            WeightAssertions.assertBitIdentical(neox.weights(), normal.weights());
            float[] a = engineLogits(neox, PositionMode.ABSOLUTE).getFirst();
            float[] b = engineLogits(normal, PositionMode.ABSOLUTE).getFirst();
            double[] bAsDouble = new double[b.length];
            for (int i = 0; i < b.length; i++) bAsDouble[i] = b[i];
            assertThat(maxDifference(a, bAsDouble)).isGreaterThan(1000 * TOLERANCE);
        }
    }
}
