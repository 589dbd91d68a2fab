package io.heavykv.model;

import io.heavykv.tensor.TensorType;
import io.heavykv.tensor.WeightMatrix;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * llama2.c checkpoints: the legacy format (a 7-int header, then fp32 tensors grouped by kind) and the
 * "version 1" export (magic "ak42", a 256-byte header, norms first). Weights stay in the mapped file;
 * only the norm vectors are copied. These files carry no RoPE theta or eps: llama2.c uses 10000 and 1e-5.
 */
public final class Llama2cReader implements ModelReader {
    static final int MAGIC_V1 = 0x616b3432;
    private static final int LEGACY_HEADER = 7 * 4;
    private static final int V1_HEADER = 256;
    private static final float ROPE_THETA = 10000f;
    private static final float RMS_EPS = 1e-5f;

    @Override
    public boolean accepts(byte[] head) {
        if (head.length < LEGACY_HEADER) return false;
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) == MAGIC_V1) return true;
        // The legacy format has no magic: accept a header that describes a plausible model.
        int dim = b.getInt(0), hidden = b.getInt(4), layers = b.getInt(8), heads = b.getInt(12);
        int kvHeads = b.getInt(16), vocab = b.getInt(20), seqLen = b.getInt(24);
        return dim > 0 && dim <= 1 << 16 && hidden > 0 && hidden <= 1 << 18 && layers > 0 && layers <= 1 << 10
                && heads > 0 && dim % heads == 0 && kvHeads > 0 && heads % kvHeads == 0
                && vocab != 0 && Math.abs((long) vocab) <= 1 << 24 && seqLen > 0 && seqLen <= 1 << 24;
    }

    @Override
    public Model read(MappedModelFile file) {
        boolean v1 = file.size() >= 4 && file.segment().get(MappedModelFile.INT_LE, 0) == MAGIC_V1;
        int headerBytes = v1 ? V1_HEADER : LEGACY_HEADER;
        file.slice("llama2.c header (" + headerBytes + " bytes)", 0, headerBytes);
        int base = v1 ? 8 : 0;
        if (v1) {
            int version = file.segment().get(MappedModelFile.INT_LE, 4);
            if (version != 1) {
                throw new InvalidModelException(file.path() + ": llama2.c export version " + version
                        + " is not supported (only version 1 and the legacy format)");
            }
        }
        int[] h = new int[7];
        for (int i = 0; i < 7; i++) h[i] = file.segment().get(MappedModelFile.INT_LE, base + 4L * i);
        boolean shared = v1 ? file.segment().get(ValueLayout.JAVA_BYTE, 36) != 0 : h[5] > 0;
        LlamaConfig config;
        try {
            config = new LlamaConfig(h[0], h[1], h[2], h[3], h[4], Math.abs(h[5]), h[6], ROPE_THETA, RMS_EPS);
        } catch (InvalidModelException e) {
            throw new InvalidModelException(file.path() + ": bad llama2.c header: " + e.getMessage(), e);
        }
        requirePlausibleSize(file, config, headerBytes, v1, shared);
        Cursor in = new Cursor(file, headerBytes, config);
        LlamaWeights weights = v1 ? readV1(in, shared) : readLegacy(in, shared);
        if (in.position != file.size()) {
            throw new InvalidModelException(file.path() + ": the header describes " + in.position
                    + " bytes of checkpoint but the file has " + file.size());
        }
        String description = "llama2.c " + (v1 ? "v1 export " : "legacy checkpoint ") + file.path().getFileName();
        return new Model(config, weights, Optional.empty(), description, file);
    }

    /**
     * Rejects a header whose tensors cannot fit the file before any per-layer array is allocated (an absurd
     * layer count would otherwise cost memory first). Doubles cannot overflow here; the exact size is checked
     * tensor by tensor afterwards.
     */
    private static void requirePlausibleSize(MappedModelFile file, LlamaConfig c, int headerBytes, boolean v1, boolean shared) {
        double dim = c.dim();
        double perLayer = 2 * dim + 2 * dim * dim + 2.0 * c.kvDim() * dim + 3.0 * c.hiddenDim() * dim;
        double floats = c.vocabSize() * dim * (shared ? 1 : 2) + c.layers() * perLayer + dim
                + (v1 ? 0 : (double) c.contextLength() * c.headSize());
        double bytes = headerBytes + 4 * floats;
        if (bytes > file.size()) {
            throw new InvalidModelException(file.path() + ": the header (" + c + ") implies " + (long) bytes
                    + " bytes of weights but the file has " + file.size() + " (truncated or corrupt?)");
        }
    }

    private static LlamaWeights readLegacy(Cursor in, boolean shared) {
        LlamaConfig c = in.config;
        WeightMatrix embedding = in.matrices("token_embedding", 1, c.vocabSize(), c.dim())[0];
        float[][] attNorm = in.vectors("rms_att_weight", c.dim());
        WeightMatrix[] wq = in.matrices("wq", c.layers(), c.dim(), c.dim());
        WeightMatrix[] wk = in.matrices("wk", c.layers(), c.kvDim(), c.dim());
        WeightMatrix[] wv = in.matrices("wv", c.layers(), c.kvDim(), c.dim());
        WeightMatrix[] wo = in.matrices("wo", c.layers(), c.dim(), c.dim());
        float[][] ffnNorm = in.vectors("rms_ffn_weight", c.dim());
        WeightMatrix[] w1 = in.matrices("w1", c.layers(), c.hiddenDim(), c.dim());
        WeightMatrix[] w2 = in.matrices("w2", c.layers(), c.dim(), c.hiddenDim());
        WeightMatrix[] w3 = in.matrices("w3", c.layers(), c.hiddenDim(), c.dim());
        float[] finalNorm = in.vector("rms_final_weight", c.dim());
        // Precomputed RoPE tables (freq_cis_real, freq_cis_imag): the engine computes its own.
        in.skip("freq_cis_real and freq_cis_imag", 2L * 4 * c.contextLength() * (c.headSize() / 2));
        WeightMatrix classifier = shared ? embedding : in.matrices("wcls", 1, c.vocabSize(), c.dim())[0];
        return new LlamaWeights(embedding, layers(attNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3), finalNorm, classifier);
    }

    private static LlamaWeights readV1(Cursor in, boolean shared) {
        LlamaConfig c = in.config;
        float[][] attNorm = in.vectors("attention_norm", c.dim());
        float[][] ffnNorm = in.vectors("ffn_norm", c.dim());
        float[] finalNorm = in.vector("norm", c.dim());
        WeightMatrix embedding = in.matrices("tok_embeddings", 1, c.vocabSize(), c.dim())[0];
        WeightMatrix[] wq = in.matrices("wq", c.layers(), c.dim(), c.dim());
        WeightMatrix[] wk = in.matrices("wk", c.layers(), c.kvDim(), c.dim());
        WeightMatrix[] wv = in.matrices("wv", c.layers(), c.kvDim(), c.dim());
        WeightMatrix[] wo = in.matrices("wo", c.layers(), c.dim(), c.dim());
        WeightMatrix[] w1 = in.matrices("w1", c.layers(), c.hiddenDim(), c.dim());
        WeightMatrix[] w2 = in.matrices("w2", c.layers(), c.dim(), c.hiddenDim());
        WeightMatrix[] w3 = in.matrices("w3", c.layers(), c.hiddenDim(), c.dim());
        WeightMatrix classifier = shared ? embedding : in.matrices("output", 1, c.vocabSize(), c.dim())[0];
        return new LlamaWeights(embedding, layers(attNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3), finalNorm, classifier);
    }

    /** llama2.c's w1 is the gate, w2 the down projection and w3 the up projection. */
    private static LayerWeights[] layers(float[][] attNorm, WeightMatrix[] wq, WeightMatrix[] wk, WeightMatrix[] wv,
                                         WeightMatrix[] wo, float[][] ffnNorm, WeightMatrix[] w1, WeightMatrix[] w2,
                                         WeightMatrix[] w3) {
        LayerWeights[] layers = new LayerWeights[wq.length];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new LayerWeights(attNorm[l], wq[l], wk[l], wv[l], wo[l], ffnNorm[l], w1[l], w2[l], w3[l]);
        }
        return layers;
    }

    /** Walks the tensors in file order; each view is bounds-checked against the file before use. */
    private static final class Cursor {
        final MappedModelFile file;
        final LlamaConfig config;
        long position;

        Cursor(MappedModelFile file, long position, LlamaConfig config) {
            this.file = file;
            this.position = position;
            this.config = config;
        }

        WeightMatrix[] matrices(String name, int count, int rows, int cols) {
            WeightMatrix[] m = new WeightMatrix[count];
            long bytes = 4L * rows * cols;
            for (int i = 0; i < count; i++) {
                String what = count == 1 ? "tensor " + name : "tensor " + name + " of layer " + i;
                m[i] = file.matrix(what, TensorType.F32, position, rows, cols);
                position += bytes;
            }
            return m;
        }

        float[][] vectors(String name, int n) {
            float[][] v = new float[config.layers()][];
            for (int l = 0; l < v.length; l++) v[l] = vector(name + " of layer " + l, n);
            return v;
        }

        float[] vector(String name, int n) {
            float[] v = file.floats("tensor " + name, position, n);
            position += 4L * n;
            return v;
        }

        void skip(String what, long bytes) {
            file.slice(what, position, bytes);
            position += bytes;
        }
    }
}
