package io.heavykv.model;

/** Hyper-parameters of a Llama-family model, whatever file it came from. */
public record LlamaConfig(
        int dim,
        int hiddenDim,
        int layers,
        int heads,
        int kvHeads,
        int vocabSize,
        int contextLength,
        float ropeTheta,
        float rmsEps) {

    public LlamaConfig {
        requirePositive("dim", dim);
        requirePositive("hidden_dim", hiddenDim);
        requirePositive("n_layers", layers);
        requirePositive("n_heads", heads);
        requirePositive("n_kv_heads", kvHeads);
        requirePositive("vocab_size", vocabSize);
        requirePositive("context_length", contextLength);
        if (dim % heads != 0) {
            throw new InvalidModelException("dim " + dim + " is not a multiple of n_heads " + heads);
        }
        if (heads % kvHeads != 0) {
            throw new InvalidModelException("n_heads " + heads + " is not a multiple of n_kv_heads " + kvHeads);
        }
        if ((dim / heads) % 2 != 0) {
            throw new InvalidModelException("head size " + dim / heads + " is odd; RoPE needs pairs");
        }
        // Infinite values pass "> 0" but turn every norm or rotation into NaN or a constant: garbage with no error.
        if (!(ropeTheta > 0) || !Float.isFinite(ropeTheta)) {
            throw new InvalidModelException("rope theta (rope.freq_base) must be a finite positive number, got " + ropeTheta);
        }
        if (!(rmsEps > 0) || !Float.isFinite(rmsEps)) {
            throw new InvalidModelException("rms eps (attention.layer_norm_rms_epsilon) must be a finite positive number, got " + rmsEps);
        }
    }

    public int headSize() { return dim / heads; }

    public int kvDim() { return kvHeads * headSize(); }

    /** Query heads that share one KV head (grouped-query attention). */
    public int groupSize() { return heads / kvHeads; }

    private static void requirePositive(String name, int value) {
        if (value <= 0) throw new InvalidModelException(name + " must be positive, got " + value);
    }
}
