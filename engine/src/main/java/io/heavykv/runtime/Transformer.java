package io.heavykv.runtime;

import io.heavykv.attention.Attention;
import io.heavykv.kvcache.KvCache;
import io.heavykv.model.InvalidModelException;
import io.heavykv.model.LayerWeights;
import io.heavykv.model.LlamaConfig;
import io.heavykv.model.LlamaWeights;
import io.heavykv.model.Model;
import io.heavykv.model.Rope;

/**
 * The Llama forward pass in one readable sweep: embed, then per layer RMSNorm, Q/K/V (plus their biases when the
 * architecture has them), RoPE, attention
 * through the KV cache, output projection, residual, RMSNorm, SwiGLU MLP, residual; then the final norm
 * and the classifier. A step takes a batch of consecutive tokens, so prefill runs matrix-matrix.
 * Scratch buffers are sized for the largest batch seen and reused, keeping decode allocation-free.
 */
public final class Transformer {
    private final String source;
    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final Rope rope;
    private final Attention attention;
    private final float[] logits;
    private int capacity;
    /** Wall time inside attention since construction; two clock reads per layer cost nothing next to a layer. */
    private long attentionNanos;
    private float[] x, xb, xb2, q, k, v, hb, hb2;

    public Transformer(Model model) {
        this.source = model.source();
        this.config = model.config();
        this.weights = model.weights();
        this.rope = Rope.of(config.headSize(), config.rope());
        this.attention = new Attention(config);
        this.logits = new float[config.vocabSize()];
    }

    public LlamaConfig config() { return config; }

    /** Total wall time spent in attention (scores, softmax, values, observation) by all forward calls so far. */
    public long attentionNanos() { return attentionNanos; }

    /**
     * Runs {@code count} tokens starting at absolute position {@code position} through the model, extending
     * {@code cache}, and returns the logits of the last token (a view that the next call overwrites).
     */
    public float[] forward(int[] tokens, int offset, int count, int position, KvCache cache) {
        if (count <= 0) throw new IllegalArgumentException("a step needs at least one token");
        ensureCapacity(count);
        int dim = config.dim();
        for (int t = 0; t < count; t++) {
            int token = tokens[offset + t];
            if (token < 0 || token >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + config.vocabSize());
            }
            weights.tokenEmbedding().copyRow(token, x, t * dim);
        }
        cache.beginStep(position, count);
        for (int l = 0; l < config.layers(); l++) {
            LayerWeights layer = weights.layers()[l];
            rmsNorm(xb, x, layer.attentionNorm(), count);
            layer.wq().matmul(xb, q, count);
            layer.wk().matmul(xb, k, count);
            layer.wv().matmul(xb, v, count);
            if (layer.qkvBias().isPresent()) {
                LayerWeights.QkvBias bias = layer.qkvBias().get();
                addRows(q, bias.query(), count);
                addRows(k, bias.key(), count);
                addRows(v, bias.value(), count);
            }
            for (int t = 0; t < count; t++) {
                rope.rotate(q, t * dim, config.heads(), cache.queryPosition(l, t));
            }
            cache.append(l, k, v);
            long attentionStart = System.nanoTime();
            try {
                attention.compute(cache, l, q, xb2, count);
            } catch (IllegalArgumentException e) {
                if (!finite(q, count * dim)) throw damaged("the query of layer " + l + " at position " + position, e);
                throw e;
            }
            attentionNanos += System.nanoTime() - attentionStart;
            layer.wo().matmul(xb2, xb, count);
            add(x, xb, count * dim);

            rmsNorm(xb, x, layer.ffnNorm(), count);
            layer.gate().matmul(xb, hb, count);
            layer.up().matmul(xb, hb2, count);
            swiGlu(hb, hb2, count * config.hiddenDim());
            layer.down().matmul(hb, xb, count);
            add(x, xb, count * dim);
        }
        cache.endStep();
        int last = (count - 1) * dim;
        rmsNormRow(xb, 0, x, last, weights.finalNorm());
        weights.classifier().matmul(xb, logits, 1);
        if (!finite(logits, logits.length)) throw damaged("the logits at position " + (position + count - 1), null);
        return logits;
    }

    private static boolean finite(float[] values, int n) {
        for (int i = 0; i < n; i++) if (!Float.isFinite(values[i])) return false;
        return true;
    }

    /**
     * Healthy weights never give NaN or infinite activations; damaged ones that passed every check at load (a
     * retyped tensor, a wrong general.alignment shifting the data) do, and the file is what to name.
     */
    private InvalidModelException damaged(String where, Throwable cause) {
        return new InvalidModelException(source + ": " + where + " is not finite: the weights are damaged or not what the file's"
                + " header says (a retyped tensor? a wrong general.alignment?)", cause);
    }

    private void ensureCapacity(int count) {
        if (count <= capacity) return;
        capacity = count;
        x = new float[count * config.dim()];
        xb = new float[count * config.dim()];
        xb2 = new float[count * config.dim()];
        q = new float[count * config.dim()];
        k = new float[count * config.kvDim()];
        v = new float[count * config.kvDim()];
        hb = new float[count * config.hiddenDim()];
        hb2 = new float[count * config.hiddenDim()];
    }

    private void rmsNorm(float[] out, float[] in, float[] weight, int count) {
        for (int t = 0; t < count; t++) {
            rmsNormRow(out, t * config.dim(), in, t * config.dim(), weight);
        }
    }

    private void rmsNormRow(float[] out, int outOffset, float[] in, int inOffset, float[] weight) {
        int dim = config.dim();
        float ss = 0f;
        for (int i = 0; i < dim; i++) {
            float value = in[inOffset + i];
            ss += value * value;
        }
        float inv = (float) (1.0 / Math.sqrt(ss / dim + config.rmsEps()));
        for (int i = 0; i < dim; i++) {
            out[outOffset + i] = weight[i] * (inv * in[inOffset + i]);
        }
    }

    /** Adds {@code row} to each of the first {@code count} rows of {@code into}. */
    private static void addRows(float[] into, float[] row, int count) {
        for (int t = 0; t < count; t++) {
            int o = t * row.length;
            for (int i = 0; i < row.length; i++) into[o + i] += row[i];
        }
    }

    private static void add(float[] into, float[] delta, int n) {
        for (int i = 0; i < n; i++) into[i] += delta[i];
    }

    private static void swiGlu(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            float g = gate[i];
            gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
        }
    }
}
