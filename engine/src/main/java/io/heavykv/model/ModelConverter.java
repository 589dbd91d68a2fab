package io.heavykv.model;

import io.heavykv.tensor.TensorType;
import io.heavykv.tensor.WeightMatrix;
import io.heavykv.tokenizer.Vocabulary;

import java.io.IOException;
import java.nio.file.Path;

/** Converts a loaded model to GGUF under its own architecture, re-encoding its matrices row by row (norms and biases stay F32). */
public final class ModelConverter {
    private ModelConverter() {
    }

    /**
     * Writes {@code source} with {@code vocab} to {@code out} as GGUF v3, matrices in {@code target} (F32 for
     * any matrix whose column count is no whole number of {@code target}'s blocks).
     */
    public static void convert(Model source, Vocabulary vocab, TensorType target, Path out) throws IOException {
        LlamaWeights w = source.weights();
        boolean tied = w.classifier() == w.tokenEmbedding();
        LlamaGguf.write(source.config(), vocab, source.description(), target, tied, new LlamaGguf.Source() {
            @Override
            public float[] vector(LlamaTensor role, int layer) {
                LayerWeights l = w.layers()[layer];
                return switch (role) {
                    case OUTPUT_NORM -> w.finalNorm();
                    case ATTENTION_NORM -> l.attentionNorm();
                    case FFN_NORM -> l.ffnNorm();
                    case Q_BIAS -> l.qkvBias().orElseThrow().query();
                    case K_BIAS -> l.qkvBias().orElseThrow().key();
                    case V_BIAS -> l.qkvBias().orElseThrow().value();
                    default -> throw new IllegalArgumentException(role + " is not a vector");
                };
            }

            @Override
            public GgufWriter.RowSource matrix(LlamaTensor role, int layer) {
                WeightMatrix m = matrixOf(w, role, layer);
                return (row, dst) -> m.copyRow(row, dst, 0);
            }
        }, out);
    }

    private static WeightMatrix matrixOf(LlamaWeights w, LlamaTensor role, int layer) {
        return switch (role) {
            case TOKEN_EMBEDDING -> w.tokenEmbedding();
            case OUTPUT -> w.classifier();
            case WQ -> w.layers()[layer].wq();
            case WK -> w.layers()[layer].wk();
            case WV -> w.layers()[layer].wv();
            case WO -> w.layers()[layer].wo();
            case GATE -> w.layers()[layer].gate();
            case DOWN -> w.layers()[layer].down();
            case UP -> w.layers()[layer].up();
            default -> throw new IllegalArgumentException(role + " is not a matrix");
        };
    }
}
