package io.heavykv.model;

/**
 * Hyper-parameters of a Llama-family model, whatever file it came from.
 *
 * @param architecture  the GGUF architecture it is written as (names, key prefix)
 * @param rope          how query and key heads are rotated, scaling included
 * @param qkvBias       whether the Q, K and V projections add a bias
 * @param slidingWindow tokens each query may attend to (Mistral's sliding window), or 0 for no limit
 */
public record LlamaConfig(
        Architecture architecture,
        int dim,
        int hiddenDim,
        int layers,
        int heads,
        int kvHeads,
        int vocabSize,
        int contextLength,
        float rmsEps,
        RopeConfig rope,
        boolean qkvBias,
        int slidingWindow) {

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
        // An infinite epsilon passes "> 0" but turns every norm into a constant: garbage with no error.
        if (!(rmsEps > 0) || !Float.isFinite(rmsEps)) {
            throw new InvalidModelException("rms eps (attention.layer_norm_rms_epsilon) must be a finite positive number, got " + rmsEps);
        }
        if (rope.dimensions() > dim / heads) {
            throw new InvalidModelException("RoPE rotates " + rope.dimensions() + " dimensions but a head has " + dim / heads);
        }
        if (rope.style() != architecture.ropeStyle()) {
            throw new InvalidModelException(architecture.name() + " rotates " + architecture.ropeStyle() + " pairs, not " + rope.style());
        }
        if (qkvBias ? architecture.qkvBias() == Architecture.Bias.NONE : architecture.qkvBias() == Architecture.Bias.REQUIRED) {
            throw new InvalidModelException(architecture.name() + " models " + (qkvBias ? "have no" : "always have") + " Q/K/V biases");
        }
        if (slidingWindow < 0) {
            throw new InvalidModelException("sliding window must be positive (or 0 for none), got " + slidingWindow);
        }
    }

    /** A Llama 2 model: adjacent-pair RoPE over whole heads, unscaled, no biases, no sliding window. */
    public LlamaConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int contextLength,
                       float ropeTheta, float rmsEps) {
        this(Architectures.LLAMA, dim, hiddenDim, layers, heads, kvHeads, vocabSize, contextLength, rmsEps,
                RopeConfig.plain(wholeHead(dim, heads), ropeTheta), false, 0);
    }

    /** The head size, or 2 when the shape has none: the canonical constructor then names the real problem first. */
    private static int wholeHead(int dim, int heads) {
        return dim > 0 && heads > 0 && dim % heads == 0 && (dim / heads) % 2 == 0 ? dim / heads : 2;
    }

    public int headSize() { return dim / heads; }

    public int kvDim() { return kvHeads * headSize(); }

    /** Query heads that share one KV head (grouped-query attention). */
    public int groupSize() { return heads / kvHeads; }

    public float ropeTheta() { return rope.theta(); }

    /** This config with {@code layers} blocks (a smaller file of the same width). */
    public LlamaConfig withLayers(int layers) {
        return new LlamaConfig(architecture, dim, hiddenDim, layers, heads, kvHeads, vocabSize, contextLength, rmsEps, rope, qkvBias, slidingWindow);
    }

    /**
     * Refuses a context this engine would run wrongly: a sliding-window model attends only to its last
     * {@link #slidingWindow} tokens, which heavykv does not mask, so past the window its output would differ.
     */
    public void requireContextWithinWindow(int context) {
        if (slidingWindow > 0 && context > slidingWindow) {
            throw new IllegalArgumentException("this " + architecture.name() + " model attends through a sliding window of "
                    + slidingWindow + " tokens, which heavykv does not implement; a context of " + context
                    + " would give wrong output past the window (use --ctx " + slidingWindow + " or less)");
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) throw new InvalidModelException(name + " must be positive, got " + value);
    }
}
