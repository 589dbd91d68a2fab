package io.heavykv.model;

import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The tensors of a Llama-family model by role, with their shapes (rows x cols, row = output) derived from the
 * config and whether a given model has them: the single description the GGUF reader checks against and the
 * writers produce. Their names in a file come from the {@link Architecture}.
 */
enum LlamaTensor {
    // The order is the order tensors are written in, and the random generator seeds each role by its position:
    // new roles go last so that existing generated models keep their weights.
    TOKEN_EMBEDDING(false, false, c -> true, LlamaConfig::vocabSize, LlamaConfig::dim),
    OUTPUT_NORM(false, true, c -> true, c -> 1, LlamaConfig::dim),
    OUTPUT(false, false, c -> true, LlamaConfig::vocabSize, LlamaConfig::dim),
    ATTENTION_NORM(true, true, c -> true, c -> 1, LlamaConfig::dim),
    WQ(true, false, c -> true, LlamaConfig::dim, LlamaConfig::dim),
    WK(true, false, c -> true, LlamaConfig::kvDim, LlamaConfig::dim),
    WV(true, false, c -> true, LlamaConfig::kvDim, LlamaConfig::dim),
    WO(true, false, c -> true, LlamaConfig::dim, LlamaConfig::dim),
    FFN_NORM(true, true, c -> true, c -> 1, LlamaConfig::dim),
    GATE(true, false, c -> true, LlamaConfig::hiddenDim, LlamaConfig::dim),
    DOWN(true, false, c -> true, LlamaConfig::dim, LlamaConfig::hiddenDim),
    UP(true, false, c -> true, LlamaConfig::hiddenDim, LlamaConfig::dim),
    Q_BIAS(true, true, LlamaConfig::qkvBias, c -> 1, LlamaConfig::dim),
    K_BIAS(true, true, LlamaConfig::qkvBias, c -> 1, LlamaConfig::kvDim),
    V_BIAS(true, true, LlamaConfig::qkvBias, c -> 1, LlamaConfig::kvDim),
    /** One frequency divisor per rotated pair (Llama 3's RoPE scaling), shared by every layer. */
    ROPE_FREQS(false, true, c -> c.rope().hasFrequencyFactors(), c -> 1, c -> c.rope().dimensions() / 2);

    private final boolean perLayer;
    private final boolean vector;
    private final Predicate<LlamaConfig> present;
    private final ToIntFunction<LlamaConfig> rows;
    private final ToIntFunction<LlamaConfig> cols;

    LlamaTensor(boolean perLayer, boolean vector, Predicate<LlamaConfig> present,
                ToIntFunction<LlamaConfig> rows, ToIntFunction<LlamaConfig> cols) {
        this.perLayer = perLayer;
        this.vector = vector;
        this.present = present;
        this.rows = rows;
        this.cols = cols;
    }

    boolean perLayer() { return perLayer; }

    /** Norm weights, biases and frequency factors: a single row, stored 1-D and written as F32. */
    boolean isVector() { return vector; }

    /** Whether a model of {@code config} has this tensor (the classifier is the caller's call: it may be tied). */
    boolean presentIn(LlamaConfig config) { return present.test(config); }

    int rows(LlamaConfig config) { return rows.applyAsInt(config); }

    int cols(LlamaConfig config) { return cols.applyAsInt(config); }
}
