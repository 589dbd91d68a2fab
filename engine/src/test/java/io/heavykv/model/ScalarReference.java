package io.heavykv.model;

import io.heavykv.tensor.WeightMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately naive forward pass in double precision, written from the published definitions rather than from
 * the engine: RMSNorm (Zhang and Sennrich), RoPE (Su et al., RoFormer) with the pair layouts llama.cpp names NORMAL
 * and NEOX, linear position interpolation and per-pair frequency divisors, grouped-query causal softmax attention,
 * and the SwiGLU MLP (Shazeer). One token per call; keys and values are kept rotated, in double.
 */
final class ScalarReference {
    private final LlamaConfig c;
    private final double[][] embedding;
    private final double[][] classifier;
    private final double[] finalNorm;
    private final Layer[] layers;
    private final List<double[][]> keys = new ArrayList<>();
    private final List<double[][]> values = new ArrayList<>();

    private record Layer(double[] attentionNorm, double[][] wq, double[][] wk, double[][] wv, double[][] wo,
                         double[] bq, double[] bk, double[] bv, double[] ffnNorm,
                         double[][] gate, double[][] down, double[][] up) {}

    ScalarReference(Model model) {
        this.c = model.config();
        LlamaWeights w = model.weights();
        this.embedding = matrix(w.tokenEmbedding());
        this.classifier = matrix(w.classifier());
        this.finalNorm = vector(w.finalNorm());
        this.layers = new Layer[c.layers()];
        for (int l = 0; l < layers.length; l++) {
            LayerWeights lw = w.layers()[l];
            double[] zeroQ = new double[c.dim()];
            double[] zeroKv = new double[c.kvDim()];
            layers[l] = new Layer(vector(lw.attentionNorm()), matrix(lw.wq()), matrix(lw.wk()), matrix(lw.wv()), matrix(lw.wo()),
                    lw.qkvBias().map(b -> vector(b.query())).orElse(zeroQ),
                    lw.qkvBias().map(b -> vector(b.key())).orElse(zeroKv),
                    lw.qkvBias().map(b -> vector(b.value())).orElse(zeroKv),
                    vector(lw.ffnNorm()), matrix(lw.gate()), matrix(lw.down()), matrix(lw.up()));
            keys.add(new double[0][]);
            values.add(new double[0][]);
        }
    }

    /** Runs {@code token} at {@code position} (after every earlier call's tokens) and returns its logits. */
    double[] step(int token, int position) {
        double[] x = embedding[token].clone();
        int hs = c.headSize();
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            double[] xn = rmsNorm(x, layer.attentionNorm());
            double[] q = add(matVec(layer.wq(), xn), layer.bq());
            double[] k = add(matVec(layer.wk(), xn), layer.bk());
            double[] v = add(matVec(layer.wv(), xn), layer.bv());
            for (int h = 0; h < c.heads(); h++) rotate(q, h * hs, position);
            for (int h = 0; h < c.kvHeads(); h++) rotate(k, h * hs, position);
            keys.set(l, append(keys.get(l), k));
            values.set(l, append(values.get(l), v));
            double[][] ks = keys.get(l);
            double[][] vs = values.get(l);
            double[] attended = new double[c.dim()];
            for (int h = 0; h < c.heads(); h++) {
                int kvOffset = (h / c.groupSize()) * hs;
                double[] scores = new double[ks.length];
                double max = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < ks.length; t++) {
                    double dot = 0;
                    for (int i = 0; i < hs; i++) dot += q[h * hs + i] * ks[t][kvOffset + i];
                    scores[t] = dot / Math.sqrt(hs);
                    max = Math.max(max, scores[t]);
                }
                double sum = 0;
                for (int t = 0; t < ks.length; t++) sum += scores[t] = Math.exp(scores[t] - max);
                for (int t = 0; t < ks.length; t++) {
                    for (int i = 0; i < hs; i++) attended[h * hs + i] += scores[t] / sum * vs[t][kvOffset + i];
                }
            }
            x = add(x, matVec(layer.wo(), attended));
            double[] xf = rmsNorm(x, layer.ffnNorm());
            double[] g = matVec(layer.gate(), xf);
            double[] u = matVec(layer.up(), xf);
            for (int i = 0; i < g.length; i++) g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
            x = add(x, matVec(layer.down(), g));
        }
        return matVec(classifier, rmsNorm(x, finalNorm));
    }

    /**
     * RoFormer's rotation of one head: pair i turns by position * theta^(-2i/d) / (linear factor * factor i); the
     * pair is (2i, 2i+1) in the NORMAL layout and (i, i + d/2) in the NEOX one, d the rotated dimensions.
     */
    private void rotate(double[] v, int offset, int position) {
        RopeConfig rope = c.rope();
        int d = rope.dimensions();
        float[] factors = rope.frequencyFactors();
        for (int i = 0; i < d / 2; i++) {
            double angle = position / Math.pow(rope.theta(), 2.0 * i / d) / rope.linearFactor()
                    / (factors.length == 0 ? 1 : factors[i]);
            int a = offset + (rope.style() == RopeStyle.NORMAL ? 2 * i : i);
            int b = offset + (rope.style() == RopeStyle.NORMAL ? 2 * i + 1 : i + d / 2);
            double va = v[a], vb = v[b];
            v[a] = va * Math.cos(angle) - vb * Math.sin(angle);
            v[b] = va * Math.sin(angle) + vb * Math.cos(angle);
        }
    }

    private double[] rmsNorm(double[] x, double[] weight) {
        double ss = 0;
        for (double value : x) ss += value * value;
        double inv = 1 / Math.sqrt(ss / x.length + c.rmsEps());
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = weight[i] * x[i] * inv;
        return out;
    }

    private static double[] matVec(double[][] m, double[] x) {
        double[] out = new double[m.length];
        for (int r = 0; r < m.length; r++) {
            double s = 0;
            for (int i = 0; i < x.length; i++) s += m[r][i] * x[i];
            out[r] = s;
        }
        return out;
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] + b[i];
        return out;
    }

    private static double[][] append(double[][] rows, double[] row) {
        double[][] out = java.util.Arrays.copyOf(rows, rows.length + 1);
        out[rows.length] = row;
        return out;
    }

    private static double[][] matrix(WeightMatrix m) {
        double[][] out = new double[m.rows()][];
        float[] row = new float[m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            m.copyRow(r, row, 0);
            out[r] = vector(row);
        }
        return out;
    }

    private static double[] vector(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }
}
