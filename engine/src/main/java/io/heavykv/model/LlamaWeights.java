package io.heavykv.model;

import io.heavykv.tensor.WeightMatrix;

import java.util.ArrayList;
import java.util.List;

/** All weights of a Llama model; {@code classifier} is the embedding itself when the model ties them. */
public record LlamaWeights(
        WeightMatrix tokenEmbedding,  // (vocabSize, dim): one row per token
        LayerWeights[] layers,        // (layers)
        float[] finalNorm,            // (dim)
        WeightMatrix classifier) {    // (vocabSize, dim)

    /** Every matrix once: the embedding, each block's seven, and the classifier unless it is the embedding. */
    public List<WeightMatrix> matrices() {
        List<WeightMatrix> all = new ArrayList<>();
        all.add(tokenEmbedding);
        for (LayerWeights l : layers) all.addAll(List.of(l.wq(), l.wk(), l.wv(), l.wo(), l.gate(), l.down(), l.up()));
        if (classifier != tokenEmbedding) all.add(classifier);
        return all;
    }
}
