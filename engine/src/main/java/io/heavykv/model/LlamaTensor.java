package io.heavykv.model;

import java.util.function.ToIntFunction;

/**
 * The tensors of a Llama model, with their GGUF names and shapes (rows x cols, row = output) derived
 * from the config: the single description the GGUF reader checks against and the writers produce.
 */
enum LlamaTensor {
    TOKEN_EMBEDDING("token_embd", false, LlamaConfig::vocabSize, LlamaConfig::dim),
    OUTPUT_NORM("output_norm", false, c -> 1, LlamaConfig::dim),
    OUTPUT("output", false, LlamaConfig::vocabSize, LlamaConfig::dim),
    ATTENTION_NORM("attn_norm", true, c -> 1, LlamaConfig::dim),
    WQ("attn_q", true, LlamaConfig::dim, LlamaConfig::dim),
    WK("attn_k", true, LlamaConfig::kvDim, LlamaConfig::dim),
    WV("attn_v", true, LlamaConfig::kvDim, LlamaConfig::dim),
    WO("attn_output", true, LlamaConfig::dim, LlamaConfig::dim),
    FFN_NORM("ffn_norm", true, c -> 1, LlamaConfig::dim),
    GATE("ffn_gate", true, LlamaConfig::hiddenDim, LlamaConfig::dim),
    DOWN("ffn_down", true, LlamaConfig::dim, LlamaConfig::hiddenDim),
    UP("ffn_up", true, LlamaConfig::hiddenDim, LlamaConfig::dim);

    private final String stem;
    private final boolean perLayer;
    private final ToIntFunction<LlamaConfig> rows;
    private final ToIntFunction<LlamaConfig> cols;

    LlamaTensor(String stem, boolean perLayer, ToIntFunction<LlamaConfig> rows, ToIntFunction<LlamaConfig> cols) {
        this.stem = stem;
        this.perLayer = perLayer;
        this.rows = rows;
        this.cols = cols;
    }

    boolean perLayer() { return perLayer; }

    /** Norm weights: a single row, stored 1-D and always as F32. */
    boolean isVector() { return this == OUTPUT_NORM || this == ATTENTION_NORM || this == FFN_NORM; }

    int rows(LlamaConfig config) { return rows.applyAsInt(config); }

    int cols(LlamaConfig config) { return cols.applyAsInt(config); }

    /** GGUF tensor name, e.g. {@code blk.3.attn_q.weight}; {@code layer} is ignored for global tensors. */
    String ggufName(int layer) {
        return perLayer ? "blk." + layer + "." + stem + ".weight" : stem + ".weight";
    }
}
