package io.heavykv.model;

import io.heavykv.tensor.WeightMatrix;

/** All weights of a Llama model; {@code classifier} is the embedding itself when the model ties them. */
public record LlamaWeights(
        WeightMatrix tokenEmbedding,  // (vocabSize, dim): one row per token
        LayerWeights[] layers,        // (layers)
        float[] finalNorm,            // (dim)
        WeightMatrix classifier) {    // (vocabSize, dim)
}
