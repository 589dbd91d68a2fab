package io.heavykv.model;

import io.heavykv.tensor.WeightMatrix;

import java.util.Optional;

/**
 * One transformer block: attention (q, k, v, o, and the biases some architectures add to q, k and v) and the
 * SwiGLU MLP (gate, down, up), with their RMSNorm weights.
 */
public record LayerWeights(
        float[] attentionNorm,   // (dim)
        WeightMatrix wq,         // (dim, dim): rows are outputs, so a matvec reads one row per output value
        WeightMatrix wk,         // (kvDim, dim), kvDim = kvHeads * headSize
        WeightMatrix wv,         // (kvDim, dim)
        WeightMatrix wo,         // (dim, dim)
        float[] ffnNorm,         // (dim)
        WeightMatrix gate,       // (hiddenDim, dim), w1 in llama2.c
        WeightMatrix down,       // (dim, hiddenDim), w2
        WeightMatrix up,         // (hiddenDim, dim), w3
        Optional<QkvBias> qkvBias) {

    /** A block without biases, as Llama has. */
    public LayerWeights(float[] attentionNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                        float[] ffnNorm, WeightMatrix gate, WeightMatrix down, WeightMatrix up) {
        this(attentionNorm, wq, wk, wv, wo, ffnNorm, gate, down, up, Optional.empty());
    }

    /** Biases added after the Q ([dim]), K and V ([kvDim]) projections. */
    public record QkvBias(float[] query, float[] key, float[] value) {
    }
}
