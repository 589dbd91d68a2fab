package io.heavykv.model;

import io.heavykv.tensor.TensorType;
import io.heavykv.tensor.UnsupportedTensorTypeException;
import io.heavykv.tensor.WeightMatrices;
import io.heavykv.tensor.WeightMatrix;
import io.heavykv.tokenizer.Vocabulary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GGUF v2/v3 Llama models: config from the {@code llama.*} keys, weights as views of the mapped file except the
 * matmul weights that have a faster decode layout, which are copied into it (see {@link #REPACK_PROPERTY}).
 */
public final class GgufReader implements ModelReader {
    /** System property that turns the load-time repacking of Q8_0 weights off when set to {@code false}. */
    public static final String REPACK_PROPERTY = "heavykv.repack";

    @Override
    public boolean accepts(byte[] head) {
        return head.length >= 4 && (head[0] & 0xff | (head[1] & 0xff) << 8 | (head[2] & 0xff) << 16 | (head[3] & 0xff) << 24) == GgufParser.MAGIC;
    }

    /** Parses only the header of a GGUF file (metadata and tensor table), for tools and tests. */
    public static GgufFile header(Path path) throws IOException {
        try (MappedModelFile file = MappedModelFile.open(path)) {
            return GgufParser.parse(file.segment(), path.toString());
        }
    }

    @Override
    public Model read(MappedModelFile file) {
        GgufFile gguf = GgufParser.parse(file.segment(), file.path().toString());
        Metadata meta = new Metadata(gguf.metadata(), file.path());
        String arch = meta.string(LlamaGguf.ARCHITECTURE, null);
        if (!"llama".equals(arch)) {
            throw new InvalidModelException(file.path() + ": architecture " + (arch == null ? "(missing " + LlamaGguf.ARCHITECTURE + ")" : "'" + arch + "'")
                    + " is not supported (only llama)");
        }
        GgufTensorInfo embedding = gguf.tensors().get(LlamaTensor.TOKEN_EMBEDDING.ggufName(0));
        if (embedding == null) throw missing(file, LlamaTensor.TOKEN_EMBEDDING.ggufName(0));
        long[] embeddingDims = embedding.dims();
        if (embeddingDims.length != 2 || embeddingDims[1] > Integer.MAX_VALUE) {
            throw new InvalidModelException(file.path() + ": tensor " + embedding.name() + " has shape " + embedding.shape() + ", expected [dim, vocab]");
        }
        int heads = meta.integer(LlamaGguf.HEAD_COUNT, null);
        LlamaConfig config;
        try {
            config = new LlamaConfig(
                    meta.integer(LlamaGguf.EMBEDDING_LENGTH, null),
                    meta.integer(LlamaGguf.FEED_FORWARD_LENGTH, null),
                    meta.integer(LlamaGguf.BLOCK_COUNT, null),
                    heads,
                    meta.integer(LlamaGguf.HEAD_COUNT_KV, heads),
                    (int) embeddingDims[1],
                    meta.integer(LlamaGguf.CONTEXT_LENGTH, null),
                    meta.real(LlamaGguf.ROPE_FREQ_BASE, 10000f),
                    meta.real(LlamaGguf.RMS_EPS, 1e-5f));
        } catch (InvalidModelException e) {
            throw new InvalidModelException(file.path() + ": bad llama config: " + e.getMessage(), e);
        }
        GgufParser.requireBlocksWithin(gguf, config.layers(), file.path().toString());
        Tensors tensors = new Tensors(file, gguf, config, repack(file));
        LayerWeights[] layers = new LayerWeights[config.layers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new LayerWeights(
                    tensors.vector(LlamaTensor.ATTENTION_NORM, l),
                    tensors.weight(LlamaTensor.WQ, l), tensors.weight(LlamaTensor.WK, l),
                    tensors.weight(LlamaTensor.WV, l), tensors.weight(LlamaTensor.WO, l),
                    tensors.vector(LlamaTensor.FFN_NORM, l),
                    tensors.weight(LlamaTensor.GATE, l), tensors.weight(LlamaTensor.DOWN, l),
                    tensors.weight(LlamaTensor.UP, l));
        }
        boolean tied = !gguf.tensors().containsKey(LlamaTensor.OUTPUT.ggufName(0));
        // An untied embedding only serves row look-ups, which the file layout does as well.
        WeightMatrix tokenEmbedding = tied ? tensors.weight(LlamaTensor.TOKEN_EMBEDDING, 0) : tensors.matrix(LlamaTensor.TOKEN_EMBEDDING, 0);
        WeightMatrix classifier = tied ? tokenEmbedding : tensors.weight(LlamaTensor.OUTPUT, 0);
        LlamaWeights weights = new LlamaWeights(tokenEmbedding, layers, tensors.vector(LlamaTensor.OUTPUT_NORM, 0), classifier);
        String name = meta.string(LlamaGguf.NAME, file.path().getFileName().toString());
        return new Model(config, weights, vocabulary(meta, config, file.path()), "GGUF v" + gguf.version() + " " + name, file);
    }

    /**
     * Whether to copy the matmul weights into their decode layout ({@link WeightMatrices#repacked}): yes unless
     * {@code -Dheavykv.repack=false}, as long as the whole file would take at most half of the heap still free
     * (otherwise the weights stay views of the mapped file, slower but bounded by the page cache, not the heap).
     */
    private static boolean repack(MappedModelFile file) {
        if (!Boolean.parseBoolean(System.getProperty(REPACK_PROPERTY, "true"))) return false;
        Runtime rt = Runtime.getRuntime();
        long freeHeap = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return file.size() <= freeHeap / 2;
    }

    private static Optional<Vocabulary> vocabulary(Metadata meta, LlamaConfig config, Path path) {
        Object tokens = meta.raw(LlamaGguf.TOKENS);
        String model = meta.string(LlamaGguf.TOKENIZER_MODEL, null);
        if (tokens == null && model == null) return Optional.empty();
        if (!"llama".equals(model)) {
            throw new InvalidModelException(path + ": " + LlamaGguf.TOKENIZER_MODEL + " is "
                    + (model == null ? "missing" : "'" + model + "'")
                    + "; only the 'llama' (sentencepiece) tokenizer is supported");
        }
        if (!(tokens instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new InvalidModelException(path + ": " + LlamaGguf.TOKENS + " must be an array of strings");
        }
        @SuppressWarnings("unchecked")
        List<String> pieces = (List<String>) list;
        if (pieces.size() != config.vocabSize()) {
            throw new InvalidModelException(path + ": " + pieces.size() + " tokens but the embedding has " + config.vocabSize() + " rows");
        }
        Object scoreValue = meta.raw(LlamaGguf.SCORES);
        float[] scores;
        if (scoreValue == null) {
            scores = new float[pieces.size()];
        } else if (scoreValue instanceof float[] s && s.length == pieces.size()) {
            scores = s;
        } else {
            throw new InvalidModelException(path + ": " + LlamaGguf.SCORES + " must be a float32 array of " + pieces.size() + " scores");
        }
        int bos = meta.integer(LlamaGguf.BOS_ID, 1);
        int eos = meta.integer(LlamaGguf.EOS_ID, 2);
        for (int id : new int[] {bos, eos}) {
            if (id < 0 || id >= pieces.size()) throw new InvalidModelException(path + ": bos/eos token id " + id + " is outside the vocabulary of " + pieces.size());
        }
        return Optional.of(new Vocabulary(pieces, scores, bos, eos));
    }

    private static InvalidModelException missing(MappedModelFile file, String tensor) {
        return new InvalidModelException(file.path() + ": tensor " + tensor + " is missing");
    }

    /** Resolves tensors by role, checking presence, type and shape against the config. */
    private record Tensors(MappedModelFile file, GgufFile gguf, LlamaConfig config, boolean repack) {
        /** A matrix that decode multiplies by, in its decode layout when the model is repacked. */
        WeightMatrix weight(LlamaTensor role, int layer) {
            return matrix(role, layer, repack);
        }

        WeightMatrix matrix(LlamaTensor role, int layer) {
            return matrix(role, layer, false);
        }

        private WeightMatrix matrix(LlamaTensor role, int layer, boolean repack) {
            String name = role.ggufName(layer);
            GgufTensorInfo info = gguf.tensors().get(name);
            if (info == null) throw missing(file, name);
            int rows = role.rows(config);
            int cols = role.cols(config);
            long[] expected = role.isVector() ? new long[] {cols} : new long[] {cols, rows};
            if (!Arrays.equals(info.dims(), expected)) {
                throw new InvalidModelException(file.path() + ": tensor " + name + " has shape " + info.shape()
                        + ", the config implies " + Arrays.toString(expected));
            }
            TensorType type;
            try {
                type = TensorType.fromGgmlId(info.ggmlType());
            } catch (UnsupportedTensorTypeException e) {
                throw new UnsupportedTensorTypeException(name, info.ggmlType());
            }
            return file.matrix("tensor " + name, type, gguf.dataOffset() + info.offset(), rows, cols, repack);
        }

        float[] vector(LlamaTensor role, int layer) {
            float[] v = new float[role.cols(config)];
            matrix(role, layer).copyRow(0, v, 0);
            return v;
        }
    }

    /** Typed access to metadata with errors that name the key. */
    private record Metadata(Map<String, Object> values, Path path) {
        Object raw(String key) { return values.get(key); }

        String string(String key, String fallback) {
            Object v = values.get(key);
            if (v == null) return fallback;
            if (v instanceof String s) return s;
            throw new InvalidModelException(path + ": metadata " + key + " must be a string, got " + v);
        }

        int integer(String key, Integer fallback) {
            Object v = values.get(key);
            if (v == null) {
                if (fallback == null) throw new InvalidModelException(path + ": metadata " + key + " is missing");
                return fallback;
            }
            if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return (int) (long) l;
            throw new InvalidModelException(path + ": metadata " + key + " must be a 32-bit integer, got " + v);
        }

        float real(String key, float fallback) {
            Object v = values.get(key);
            if (v == null) return fallback;
            if (v instanceof Float f) return f;
            if (v instanceof Double d) return (float) (double) d;
            throw new InvalidModelException(path + ": metadata " + key + " must be a float, got " + v);
        }
    }
}
