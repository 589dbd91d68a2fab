package io.heavykv.kvcache;

/**
 * The KV cache of one sequence, as the forward pass sees it. The forward pass only appends, reads and
 * reports attention weights; which tokens stay (eviction) and how they are stored (FP16/FP32, compressed)
 * is the implementation's business, so policies slot in without touching the model code.
 *
 * <p>One forward call is a <em>step</em>: a single decode token or a chunk of prompt tokens.
 * Per step the forward pass calls {@link #beginStep}, then for each layer {@link #append},
 * {@link #layer} and {@link #observe}, then {@link #endStep}.
 */
public interface KvCache extends AutoCloseable {

    int layers();

    /** Starts a step of {@code tokens} new tokens whose absolute positions begin at {@code position}. */
    void beginStep(int position, int tokens);

    /**
     * Stores K (not yet rotated) and V of the step's new tokens for one layer: the first
     * {@code tokens * kvDim} floats of {@code k} and {@code v}, token-major (the arrays may be longer,
     * so the forward pass can reuse buffers sized for its largest step). The cache must not keep them. The cache applies RoPE to keys itself because the
     * rotation depends on its position mode.
     */
    void append(int layer, float[] k, float[] v);

    /** The position the query of new token {@code tokenInStep} of {@code layer} must be rotated to. */
    int queryPosition(int layer, int tokenInStep);

    /** Read access for attention to the layer's cached tokens, the step's new ones last. */
    LayerKv layer(int layer);

    /**
     * Softmax weights of one query head over the first {@code length} slots of the layer (one call per
     * query token and head). Heavy-hitter policies accumulate them; others ignore them.
     */
    void observe(int layer, int head, float[] weights, int offset, int length);

    /** Ends the step; this is where a policy may plan the eviction it applies at the next step. */
    void endStep();

    /** Tokens currently held by a layer. */
    default int length(int layer) {
        return layer(layer).length();
    }

    /** Bytes the cache holds for K and V right now (all layers). */
    long residentBytes();

    /** Drops every token and all policy state (a new prompt). */
    void reset();

    @Override
    void close();
}
