package io.heavykv.model;

import io.heavykv.tensor.TensorType;
import io.heavykv.tokenizer.Vocabulary;

import java.io.IOException;
import java.nio.file.Path;

/** The GGUF metadata keys of a Llama model, and the one routine that writes a whole Llama model as GGUF. */
final class LlamaGguf {
    static final String ARCHITECTURE = "general.architecture";
    static final String NAME = "general.name";
    static final String FILE_TYPE = "general.file_type";
    static final String CONTEXT_LENGTH = "llama.context_length";
    static final String EMBEDDING_LENGTH = "llama.embedding_length";
    static final String BLOCK_COUNT = "llama.block_count";
    static final String FEED_FORWARD_LENGTH = "llama.feed_forward_length";
    static final String ROPE_DIMENSION_COUNT = "llama.rope.dimension_count";
    static final String HEAD_COUNT = "llama.attention.head_count";
    static final String HEAD_COUNT_KV = "llama.attention.head_count_kv";
    static final String ROPE_FREQ_BASE = "llama.rope.freq_base";
    static final String RMS_EPS = "llama.attention.layer_norm_rms_epsilon";
    static final String TOKENIZER_MODEL = "tokenizer.ggml.model";
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String SCORES = "tokenizer.ggml.scores";
    static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    static final String BOS_ID = "tokenizer.ggml.bos_token_id";
    static final String EOS_ID = "tokenizer.ggml.eos_token_id";
    static final String UNKNOWN_ID = "tokenizer.ggml.unknown_token_id";

    // llama.cpp's token types.
    private static final int NORMAL = 1;
    private static final int UNKNOWN = 2;
    private static final int CONTROL = 3;
    private static final int BYTE = 6;

    /** Supplies the weights of a model being written, by role. */
    interface Source {
        float[] vector(LlamaTensor role, int layer);

        GgufWriter.RowSource matrix(LlamaTensor role, int layer);
    }

    private LlamaGguf() {
    }

    static void write(LlamaConfig c, Vocabulary vocab, String name, TensorType type, boolean tiedClassifier,
                      Source source, Path out) throws IOException {
        if (vocab.size() != c.vocabSize()) {
            throw new IllegalArgumentException("vocabulary has " + vocab.size() + " pieces, the model " + c.vocabSize());
        }
        GgufWriter w = new GgufWriter()
                .putString(ARCHITECTURE, "llama")
                .putString(NAME, name)
                .putUInt32(FILE_TYPE, fileType(type))
                .putUInt32(CONTEXT_LENGTH, c.contextLength())
                .putUInt32(EMBEDDING_LENGTH, c.dim())
                .putUInt32(BLOCK_COUNT, c.layers())
                .putUInt32(FEED_FORWARD_LENGTH, c.hiddenDim())
                .putUInt32(ROPE_DIMENSION_COUNT, c.headSize())
                .putUInt32(HEAD_COUNT, c.heads())
                .putUInt32(HEAD_COUNT_KV, c.kvHeads())
                .putFloat32(ROPE_FREQ_BASE, c.ropeTheta())
                .putFloat32(RMS_EPS, c.rmsEps());
        writeVocabulary(w, vocab);
        for (LlamaTensor role : LlamaTensor.values()) {
            if (role == LlamaTensor.OUTPUT && tiedClassifier) continue;
            for (int l = 0; l < (role.perLayer() ? c.layers() : 1); l++) {
                if (role.isVector()) {
                    w.vector(role.ggufName(l), source.vector(role, l));
                } else {
                    w.matrix(role.ggufName(l), type, role.rows(c), role.cols(c), source.matrix(role, l));
                }
            }
        }
        w.write(out);
    }

    private static void writeVocabulary(GgufWriter w, Vocabulary vocab) {
        int[] types = new int[vocab.size()];
        int unknown = -1;
        for (int i = 0; i < types.length; i++) {
            String piece = vocab.pieces().get(i);
            if (i == vocab.bosId() || i == vocab.eosId()) {
                types[i] = CONTROL;
            } else if (piece.equals("<unk>")) {
                types[i] = UNKNOWN;
                unknown = i;
            } else if (piece.matches("<0x[0-9A-Fa-f]{2}>")) {
                types[i] = BYTE;
            } else {
                types[i] = NORMAL;
            }
        }
        w.putString(TOKENIZER_MODEL, "llama")
                .putStrings(TOKENS, vocab.pieces())
                .putFloat32s(SCORES, vocab.scores())
                .putInt32s(TOKEN_TYPE, types)
                .putUInt32(BOS_ID, vocab.bosId())
                .putUInt32(EOS_ID, vocab.eosId());
        if (unknown >= 0) w.putUInt32(UNKNOWN_ID, unknown);
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
