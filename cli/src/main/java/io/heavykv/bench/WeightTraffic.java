package io.heavykv.bench;

import io.heavykv.model.LayerWeights;
import io.heavykv.model.LlamaWeights;
import io.heavykv.tensor.WeightMatrix;

/**
 * Weight bytes one decode step must read: every layer matrix, the classifier, the norm vectors and one
 * embedding row. KV reads are left out: they depend on the context, and at benchmark lengths they are a
 * small share of a real model's weights.
 */
public final class WeightTraffic {
    private WeightTraffic() {
    }

    public static long bytesPerToken(LlamaWeights w) {
        long bytes = 0;
        for (LayerWeights l : w.layers()) {
            for (WeightMatrix m : new WeightMatrix[]{l.wq(), l.wk(), l.wv(), l.wo(), l.gate(), l.up(), l.down()}) {
                bytes += m.byteSize();
            }
            bytes += 4L * (l.attentionNorm().length + l.ffnNorm().length);
        }
        bytes += w.classifier().byteSize() + 4L * w.finalNorm().length;
        WeightMatrix embedding = w.tokenEmbedding();
        bytes += embedding.byteSize() / embedding.rows();
        return bytes;
    }
}
