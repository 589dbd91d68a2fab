package io.heavykv.model;

import io.heavykv.tensor.TensorType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Small random GGUF models of each supported architecture, in F32 so that a reference can read the exact weights.
 * Matrices are five times the generator's spread: attention is then far from uniform, so RoPE visibly matters.
 */
final class ArchitectureModels {
    static final int DIM = 64;
    static final int HEAD = 16;
    static final float[] LLAMA3_FACTORS = {1, 1, 1, 1.5f, 2, 4, 8, 8};

    private ArchitectureModels() {
    }

    static LlamaConfig config(Architecture arch, RopeConfig rope, boolean qkvBias, int slidingWindow) {
        return new LlamaConfig(arch, DIM, 96, 2, DIM / HEAD, 2, 300, 128, 1e-5f, rope, qkvBias, slidingWindow);
    }

    /** Llama 3's shape of RoPE: a large base, frequency factors, and here also linear interpolation. */
    static LlamaConfig llama3() {
        return config(Architectures.LLAMA, new RopeConfig(RopeStyle.NORMAL, HEAD, 500000f, 2f, LLAMA3_FACTORS), false, 0);
    }

    static LlamaConfig qwen2() {
        return config(Architectures.QWEN2, new RopeConfig(RopeStyle.NEOX, HEAD, 1000000f, 1f, new float[0]), true, 0);
    }

    /** Qwen2's weights run as llama with biases: only the RoPE pairing differs from {@link #qwen2()}. */
    static LlamaConfig llamaWithQwen2Weights() {
        return config(Architectures.LLAMA, new RopeConfig(RopeStyle.NORMAL, HEAD, 1000000f, 1f, new float[0]), true, 0);
    }

    static LlamaConfig qwen2HalfRotated() {
        return config(Architectures.QWEN2, new RopeConfig(RopeStyle.NEOX, HEAD / 2, 10000f, 1f, new float[0]), true, 0);
    }

    static LlamaConfig mistral() {
        return config(Architectures.MISTRAL, RopeConfig.plain(HEAD, 10000f), false, 96);
    }

    static Path write(Path dir, String name, LlamaConfig config, long seed) {
        return write(dir, name, config, seed, false, w -> { });
    }

    /** Writes {@code config}'s model, letting {@code extra} add metadata or tensors first. */
    static Path write(Path dir, String name, LlamaConfig config, long seed, boolean tied, Consumer<GgufWriter> extra) {
        LlamaGguf.Source random = RandomModelGenerator.source(config, seed);
        LlamaGguf.Source scaled = new LlamaGguf.Source() {
            @Override
            public float[] vector(LlamaTensor role, int layer) {
                return random.vector(role, layer);
            }

            @Override
            public GgufWriter.RowSource matrix(LlamaTensor role, int layer) {
                GgufWriter.RowSource rows = random.matrix(role, layer);
                return (row, out) -> {
                    rows.row(row, out);
                    for (int i = 0; i < out.length; i++) out[i] *= 5;
                };
            }
        };
        Path out = dir.resolve(name + ".gguf");
        GgufWriter w = LlamaGguf.writer(config, RandomModelGenerator.syntheticVocabulary(config.vocabSize()), name,
                TensorType.F32, tied, scaled);
        extra.accept(w);
        try {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
