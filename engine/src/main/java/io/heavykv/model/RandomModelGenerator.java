package io.heavykv.model;

import io.heavykv.tensor.TensorType;
import io.heavykv.tokenizer.Vocabulary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes seeded random Llama-family models with the shapes of real deployments, for speed benchmarks and tests: what a
 * kernel costs depends on the shapes, not on the values. Weights are approximately N(0, 0.02) so
 * activations stay finite; norms are 1; the vocabulary is synthetic (control pieces, the 256 byte pieces,
 * then filler pieces).
 */
public final class RandomModelGenerator {
    private static final double STD = 0.02;

    /** Real model shapes. */
    public enum Preset {
        TINYLLAMA_1_1B(new LlamaConfig(2048, 5632, 22, 32, 4, 32000, 2048, 10000f, 1e-5f)),
        LLAMA2_7B(new LlamaConfig(4096, 11008, 32, 32, 32, 32000, 4096, 10000f, 1e-5f));

        private final LlamaConfig config;

        Preset(LlamaConfig config) {
            this.config = config;
        }

        public LlamaConfig config() { return config; }

        /** The preset's shapes with {@code layers} blocks instead (to make smaller files of the same width). */
        public LlamaConfig config(int layers) {
            return config.withLayers(layers);
        }
    }

    private RandomModelGenerator() {
    }

    /**
     * Writes a random model of {@code config} (any architecture: biases and RoPE frequency factors are written when
     * the config has them) to {@code out}; the same seed always gives the same file.
     */
    public static void generate(LlamaConfig config, TensorType type, long seed, String name, Path out) throws IOException {
        generate(config, syntheticVocabulary(config.vocabSize()), type, seed, name, out);
    }

    /** The same with a real vocabulary of {@code config.vocabSize()} pieces, so that text tokenizes into real pieces. */
    public static void generate(LlamaConfig config, Vocabulary vocab, TensorType type, long seed, String name, Path out) throws IOException {
        if (vocab.size() != config.vocabSize()) {
            throw new IllegalArgumentException("the vocabulary has " + vocab.size() + " pieces, the config " + config.vocabSize());
        }
        LlamaGguf.write(config, vocab, name, type, false, source(config, seed), out);
    }

    /** The weights {@link #generate} writes: norms of 1, every matrix and bias seeded by its role and layer. */
    static LlamaGguf.Source source(LlamaConfig config, long seed) {
        return new LlamaGguf.Source() {
            @Override
            public float[] vector(LlamaTensor role, int layer) {
                float[] v = new float[role.cols(config)];
                if (role == LlamaTensor.Q_BIAS || role == LlamaTensor.K_BIAS || role == LlamaTensor.V_BIAS) {
                    matrix(role, layer).row(0, v);
                    // Ten times the weights' spread, so that a bias left out changes the output unmistakably.
                    for (int i = 0; i < v.length; i++) v[i] *= 10;
                } else {
                    Arrays.fill(v, 1f);
                }
                return v;
            }

            @Override
            public GgufWriter.RowSource matrix(LlamaTensor role, int layer) {
                long tensorSeed = seed * 0x9E3779B97F4A7C15L + role.ordinal() * 1_000_003L + layer;
                return (row, dst) -> fill(new SplittableRandom(tensorSeed * 0xBF58476D1CE4E5B9L + row), dst);
            }
        };
    }

    /**
     * Approximately normal values from one random long each: the sum of four 16-bit uniforms (Irwin-Hall)
     * has the right mean and variance and a bounded tail, at a fraction of nextGaussian's cost, which
     * matters for the billions of weights of a 7B model.
     */
    private static void fill(SplittableRandom random, float[] dst) {
        // Sum of four uniforms on [0, 65536): mean 131070, variance 4 * 65536^2 / 12.
        double scale = STD / (65536 * Math.sqrt(4 / 12.0));
        for (int i = 0; i < dst.length; i++) {
            long bits = random.nextLong();
            long sum = (bits & 0xffff) + (bits >>> 16 & 0xffff) + (bits >>> 32 & 0xffff) + (bits >>> 48);
            dst[i] = (float) ((sum - 2 * 65535.0) * scale);
        }
    }

    /** {@code <unk>}, {@code <s>}, {@code </s>}, the byte pieces {@code <0x00>..<0xFF>}, then filler pieces. */
    public static Vocabulary syntheticVocabulary(int size) {
        if (size < 3 + 256) throw new IllegalArgumentException("a synthetic vocabulary needs at least 259 pieces, got " + size);
        List<String> pieces = new ArrayList<>(size);
        pieces.add("<unk>");
        pieces.add("<s>");
        pieces.add("</s>");
        for (int b = 0; b < 256; b++) pieces.add(String.format("<0x%02X>", b));
        for (int i = pieces.size(); i < size; i++) pieces.add("\u2581t" + i);
        float[] scores = new float[size];
        for (int i = 259; i < size; i++) scores[i] = -(i - 259);
        return new Vocabulary(pieces, scores, 1, 2);
    }
}
