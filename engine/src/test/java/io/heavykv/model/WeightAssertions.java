package io.heavykv.model;

import io.heavykv.tensor.WeightMatrix;

import static org.assertj.core.api.Assertions.assertThat;

/** Compares whole models tensor by tensor, through the same WeightMatrix view the engine computes with. */
final class WeightAssertions {
    private WeightAssertions() {
    }

    static void assertBitIdentical(LlamaWeights a, LlamaWeights b) {
        assertSameMatrix("token embedding", a.tokenEmbedding(), b.tokenEmbedding());
        assertSameMatrix("classifier", a.classifier(), b.classifier());
        assertThat(b.finalNorm()).as("final norm").containsExactly(a.finalNorm());
        assertThat(b.layers()).hasSameSizeAs(a.layers());
        for (int l = 0; l < a.layers().length; l++) {
            LayerWeights x = a.layers()[l];
            LayerWeights y = b.layers()[l];
            assertThat(y.attentionNorm()).as("attention norm %d", l).containsExactly(x.attentionNorm());
            assertThat(y.ffnNorm()).as("ffn norm %d", l).containsExactly(x.ffnNorm());
            assertSameMatrix("wq " + l, x.wq(), y.wq());
            assertSameMatrix("wk " + l, x.wk(), y.wk());
            assertSameMatrix("wv " + l, x.wv(), y.wv());
            assertSameMatrix("wo " + l, x.wo(), y.wo());
            assertSameMatrix("gate " + l, x.gate(), y.gate());
            assertSameMatrix("down " + l, x.down(), y.down());
            assertSameMatrix("up " + l, x.up(), y.up());
            assertThat(y.qkvBias().isPresent()).as("biases %d", l).isEqualTo(x.qkvBias().isPresent());
            if (x.qkvBias().isPresent()) {
                assertThat(y.qkvBias().get().query()).as("q bias %d", l).containsExactly(x.qkvBias().get().query());
                assertThat(y.qkvBias().get().key()).as("k bias %d", l).containsExactly(x.qkvBias().get().key());
                assertThat(y.qkvBias().get().value()).as("v bias %d", l).containsExactly(x.qkvBias().get().value());
            }
        }
    }

    static void assertSameMatrix(String what, WeightMatrix a, WeightMatrix b) {
        assertThat(b.rows()).as(what + " rows").isEqualTo(a.rows());
        assertThat(b.cols()).as(what + " cols").isEqualTo(a.cols());
        float[] ra = new float[a.cols()];
        float[] rb = new float[b.cols()];
        for (int r = 0; r < a.rows(); r++) {
            a.copyRow(r, ra, 0);
            b.copyRow(r, rb, 0);
            for (int c = 0; c < ra.length; c++) {
                if (Float.floatToRawIntBits(ra[c]) != Float.floatToRawIntBits(rb[c])) {
                    throw new AssertionError(what + " differs at [" + r + "][" + c + "]: " + ra[c] + " vs " + rb[c]);
                }
            }
        }
    }

    static float[] row(WeightMatrix m, int r) {
        float[] out = new float[m.cols()];
        m.copyRow(r, out, 0);
        return out;
    }
}
