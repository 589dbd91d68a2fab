package io.heavykv.model;

import io.heavykv.tensor.WeightMatrix;

/** One transformer block: attention (q, k, v, o) and the SwiGLU MLP (gate, down, up), with their RMSNorm weights. */
public record LayerWeights(
        float[] attentionNorm,
        WeightMatrix wq,
        WeightMatrix wk,
        WeightMatrix wv,
        WeightMatrix wo,
        float[] ffnNorm,
        WeightMatrix gate,
        WeightMatrix down,
        WeightMatrix up) {
}
