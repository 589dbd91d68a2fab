package io.heavykv.model;

import io.heavykv.tensor.TensorType;
import io.heavykv.tokenizer.GgufVocabulary;
import io.heavykv.tokenizer.Vocabulary;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The GGUF metadata keys of a Llama-family model, and the one routine that writes a whole model as GGUF. The
 * hyper-parameter keys are suffixes after the architecture's prefix ({@link Architecture#key}).
 */
final class LlamaGguf {
    static final String ARCHITECTURE = "general.architecture";
    static final String NAME = "general.name";
    static final String FILE_TYPE = "general.file_type";
    static final String CONTEXT_LENGTH = "context_length";
    static final String EMBEDDING_LENGTH = "embedding_length";
    static final String BLOCK_COUNT = "block_count";
    static final String FEED_FORWARD_LENGTH = "feed_forward_length";
    static final String ROPE_DIMENSION_COUNT = "rope.dimension_count";
    static final String HEAD_COUNT = "attention.head_count";
    static final String HEAD_COUNT_KV = "attention.head_count_kv";
    static final String KEY_LENGTH = "attention.key_length";
    static final String VALUE_LENGTH = "attention.value_length";
    static final String ROPE_FREQ_BASE = "rope.freq_base";
    static final String ROPE_SCALING_TYPE = "rope.scaling.type";
    static final String ROPE_SCALING_FACTOR = "rope.scaling.factor";
    /** The older name of {@link #ROPE_SCALING_FACTOR}, still read by llama.cpp. */
    static final String ROPE_SCALE_LINEAR = "rope.scale_linear";
    static final String RMS_EPS = "attention.layer_norm_rms_epsilon";
    static final String SLIDING_WINDOW = "attention.sliding_window";

    /** Supplies the weights of a model being written, by role (the RoPE frequency factors are the config's). */
    interface Source {
        float[] vector(LlamaTensor role, int layer);

        GgufWriter.RowSource matrix(LlamaTensor role, int layer);
    }

    private LlamaGguf() {
    }

    static void write(LlamaConfig c, Vocabulary vocab, String name, TensorType type, boolean tiedClassifier,
                      Source source, Path out) throws IOException {
        writer(c, vocab, name, type, tiedClassifier, source).write(out);
    }

    /** The whole model ready to write, for callers (tests) that add metadata of their own first. */
    static GgufWriter writer(LlamaConfig c, Vocabulary vocab, String name, TensorType type, boolean tiedClassifier, Source source) {
        if (vocab.size() != c.vocabSize()) {
            throw new IllegalArgumentException("vocabulary has " + vocab.size() + " pieces, the model " + c.vocabSize());
        }
        Architecture arch = c.architecture();
        GgufWriter w = new GgufWriter()
                .putString(ARCHITECTURE, arch.name())
                .putString(NAME, name)
                .putUInt32(FILE_TYPE, fileType(type))
                .putUInt32(arch.key(CONTEXT_LENGTH), c.contextLength())
                .putUInt32(arch.key(EMBEDDING_LENGTH), c.dim())
                .putUInt32(arch.key(BLOCK_COUNT), c.layers())
                .putUInt32(arch.key(FEED_FORWARD_LENGTH), c.hiddenDim())
                .putUInt32(arch.key(ROPE_DIMENSION_COUNT), c.rope().dimensions())
                .putUInt32(arch.key(HEAD_COUNT), c.heads())
                .putUInt32(arch.key(HEAD_COUNT_KV), c.kvHeads())
                .putFloat32(arch.key(ROPE_FREQ_BASE), c.ropeTheta())
                .putFloat32(arch.key(RMS_EPS), c.rmsEps());
        if (c.rope().linearFactor() != 1f) {
            w.putString(arch.key(ROPE_SCALING_TYPE), "linear").putFloat32(arch.key(ROPE_SCALING_FACTOR), c.rope().linearFactor());
        }
        if (c.slidingWindow() > 0) w.putUInt32(arch.key(SLIDING_WINDOW), c.slidingWindow());
        GgufVocabulary.write(w, vocab);
        for (LlamaTensor role : LlamaTensor.values()) {
            if (!role.presentIn(c) || role == LlamaTensor.OUTPUT && tiedClassifier) continue;
            for (int l = 0; l < (role.perLayer() ? c.layers() : 1); l++) {
                String tensor = arch.tensorName(role, l);
                if (role == LlamaTensor.ROPE_FREQS) {
                    w.vector(tensor, c.rope().frequencyFactors());
                } else if (role.isVector()) {
                    w.vector(tensor, source.vector(role, l));
                } else {
                    w.matrix(tensor, type, role.rows(c), role.cols(c), source.matrix(role, l));
                }
            }
        }
        return w;
    }

    /**
     * llama.cpp's general.file_type for a model whose matrices are mostly {@code type} (Q4_K and Q5_K as
     * their "_S" mixes, the ones closest to a single type).
     */
    private static int fileType(TensorType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q8_0 -> 7;
            case Q5_0 -> 8;
            case Q5_1 -> 9;
            case Q4_K -> 14;
            case Q5_K -> 16;
            case Q6_K -> 18;
            case BF16 -> 32;
        };
    }
}
