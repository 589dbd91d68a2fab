package io.heavykv.model;

import io.heavykv.tensor.TensorType;
import io.heavykv.tensor.UnsupportedTensorTypeException;
import io.heavykv.tensor.WeightMatrices;
import io.heavykv.tensor.WeightMatrix;
import io.heavykv.tokenizer.GgufVocabulary;
import io.heavykv.tokenizer.Vocabulary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * GGUF v2/v3 Llama-family models ({@link Architectures}): config from the architecture's keys, weights as views of the mapped file except the
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
        Architecture arch = Architectures.named(meta.string(LlamaGguf.ARCHITECTURE, null), file.path());
        String embeddingName = arch.tensorName(LlamaTensor.TOKEN_EMBEDDING, 0);
        GgufTensorInfo embedding = gguf.tensors().get(embeddingName);
        if (embedding == null) throw missing(file, embeddingName);
        long[] embeddingDims = embedding.dims();
        if (embeddingDims.length != 2 || embeddingDims[1] > Integer.MAX_VALUE) {
            throw new InvalidModelException(file.path() + ": tensor " + embedding.name() + " has shape " + embedding.shape() + ", expected [dim, vocab]");
        }
        boolean qkvBias = switch (arch.qkvBias()) {
            case NONE -> false;
            case REQUIRED -> true;
            case OPTIONAL -> gguf.tensors().containsKey(arch.tensorName(LlamaTensor.Q_BIAS, 0));
        };
        LlamaConfig config = config(meta, arch, (int) embeddingDims[1], qkvBias, new float[0]);
        GgufParser.requireBlocksWithin(gguf, config.layers(), file.path().toString());
        // No shape depends on the frequency factors, so the tensors resolve against the config read without them.
        Tensors tensors = new Tensors(file, gguf, config, repack(file));
        String factorsName = arch.tensorName(LlamaTensor.ROPE_FREQS, 0);
        if (gguf.tensors().containsKey(factorsName)) {
            config = config(meta, arch, config.vocabSize(), qkvBias, tensors.vector(LlamaTensor.ROPE_FREQS, 0));
        }
        LayerWeights[] layers = new LayerWeights[config.layers()];
        for (int l = 0; l < layers.length; l++) {
            Optional<LayerWeights.QkvBias> bias = qkvBias
                    ? Optional.of(new LayerWeights.QkvBias(tensors.vector(LlamaTensor.Q_BIAS, l),
                            tensors.vector(LlamaTensor.K_BIAS, l), tensors.vector(LlamaTensor.V_BIAS, l)))
                    : Optional.empty();
            layers[l] = new LayerWeights(
                    tensors.vector(LlamaTensor.ATTENTION_NORM, l),
                    tensors.weight(LlamaTensor.WQ, l), tensors.weight(LlamaTensor.WK, l),
                    tensors.weight(LlamaTensor.WV, l), tensors.weight(LlamaTensor.WO, l),
                    tensors.vector(LlamaTensor.FFN_NORM, l),
                    tensors.weight(LlamaTensor.GATE, l), tensors.weight(LlamaTensor.DOWN, l),
                    tensors.weight(LlamaTensor.UP, l), bias);
        }
        boolean tied = !gguf.tensors().containsKey(arch.tensorName(LlamaTensor.OUTPUT, 0));
        // An untied embedding only serves row look-ups, which the file layout does as well.
        WeightMatrix tokenEmbedding = tied ? tensors.weight(LlamaTensor.TOKEN_EMBEDDING, 0) : tensors.matrix(LlamaTensor.TOKEN_EMBEDDING, 0);
        WeightMatrix classifier = tied ? tokenEmbedding : tensors.weight(LlamaTensor.OUTPUT, 0);
        LlamaWeights weights = new LlamaWeights(tokenEmbedding, layers, tensors.vector(LlamaTensor.OUTPUT_NORM, 0), classifier);
        tensors.requireAllUsed();
        Optional<Vocabulary> vocabulary = vocabulary(gguf, config, file.path());
        GgufParser.requireLayout(gguf, file.segment().byteSize(), file.path().toString());
        String name = meta.string(LlamaGguf.NAME, file.path().getFileName().toString());
        return new Model(config, weights, vocabulary, "GGUF v" + gguf.version() + " " + name, file);
    }

    /** The hyper-parameters under {@code arch}'s keys; errors name the file and the key or the rule broken. */
    private static LlamaConfig config(Metadata meta, Architecture arch, int vocabSize, boolean qkvBias, float[] frequencyFactors) {
        int heads = meta.integer(arch.key(LlamaGguf.HEAD_COUNT), null);
        int dim = meta.integer(arch.key(LlamaGguf.EMBEDDING_LENGTH), null);
        int headSize = heads > 0 ? dim / heads : 0;
        for (String key : new String[] {LlamaGguf.KEY_LENGTH, LlamaGguf.VALUE_LENGTH}) {
            int length = meta.integer(arch.key(key), headSize);
            if (length != headSize) {
                throw new InvalidModelException(meta.path() + ": metadata " + arch.key(key) + " is " + length + " but "
                        + arch.key(LlamaGguf.EMBEDDING_LENGTH) + " / " + arch.key(LlamaGguf.HEAD_COUNT) + " is " + headSize
                        + "; heads of another size are not supported");
            }
        }
        int ropeDimensions = meta.integer(arch.key(LlamaGguf.ROPE_DIMENSION_COUNT), headSize);
        float ropeBase = meta.real(arch.key(LlamaGguf.ROPE_FREQ_BASE), 10000f);
        float linearFactor = linearFactor(meta, arch);
        int hiddenDim = meta.integer(arch.key(LlamaGguf.FEED_FORWARD_LENGTH), null);
        int layers = meta.integer(arch.key(LlamaGguf.BLOCK_COUNT), null);
        int kvHeads = meta.integer(arch.key(LlamaGguf.HEAD_COUNT_KV), heads);
        int context = meta.integer(arch.key(LlamaGguf.CONTEXT_LENGTH), null);
        float rmsEps = meta.real(arch.key(LlamaGguf.RMS_EPS), 1e-5f);
        int slidingWindow = meta.integer(arch.key(LlamaGguf.SLIDING_WINDOW), 0);
        try {
            RopeConfig rope = new RopeConfig(arch.ropeStyle(), ropeDimensions, ropeBase, linearFactor, frequencyFactors);
            return new LlamaConfig(arch, dim, hiddenDim, layers, heads, kvHeads, vocabSize, context, rmsEps, rope, qkvBias, slidingWindow);
        } catch (InvalidModelException e) {
            throw new InvalidModelException(meta.path() + ": bad " + arch.name() + " config: " + e.getMessage(), e);
        }
    }

    /**
     * The linear RoPE scaling factor, read as llama.cpp does: the type defaults to linear, the factor to none
     * (0 counts as none), the older {@code rope.scale_linear} key stands in for {@code rope.scaling.factor}.
     */
    private static float linearFactor(Metadata meta, Architecture arch) {
        String typeKey = arch.key(LlamaGguf.ROPE_SCALING_TYPE);
        String type = meta.string(typeKey, "linear");
        String factorKey = arch.key(meta.raw(arch.key(LlamaGguf.ROPE_SCALING_FACTOR)) != null || meta.raw(arch.key(LlamaGguf.ROPE_SCALE_LINEAR)) == null
                ? LlamaGguf.ROPE_SCALING_FACTOR : LlamaGguf.ROPE_SCALE_LINEAR);
        float factor = meta.real(factorKey, 0f);
        return switch (type) {
            case "none" -> 1f;
            case "linear" -> {
                if (factor == 0f) yield 1f;
                if (!(factor > 0) || !Float.isFinite(factor)) {
                    throw new InvalidModelException(meta.path() + ": metadata " + factorKey + " must be a positive scaling factor, got " + factor);
                }
                yield factor;
            }
            case "yarn", "longrope" -> throw new InvalidModelException(meta.path() + ": metadata " + typeKey + " is '" + type
                    + "', a RoPE scaling heavykv does not implement (it runs none, linear, and Llama 3 frequency factors from rope_freqs.weight)");
            default -> throw new InvalidModelException(meta.path() + ": metadata " + typeKey + " is '" + type
                    + "', not a RoPE scaling type (none, linear, yarn, longrope)");
        };
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

    private static Optional<Vocabulary> vocabulary(GgufFile gguf, LlamaConfig config, Path path) {
        Optional<Vocabulary> vocabulary = GgufVocabulary.read(gguf, path);
        vocabulary.ifPresent(v -> {
            if (v.size() != config.vocabSize()) {
                throw new InvalidModelException(path + ": " + v.size() + " tokens but the embedding has " + config.vocabSize() + " rows");
            }
        });
        return vocabulary;
    }

    private static InvalidModelException missing(MappedModelFile file, String tensor) {
        return new InvalidModelException(file.path() + ": tensor " + tensor + " is missing");
    }

    /** Resolves tensors by role, checking presence, type and shape against the config, and remembers which it used. */
    private static final class Tensors {
        private final MappedModelFile file;
        private final GgufFile gguf;
        private final LlamaConfig config;
        private final boolean repack;
        private final Set<String> used = new HashSet<>();

        Tensors(MappedModelFile file, GgufFile gguf, LlamaConfig config, boolean repack) {
            this.file = file;
            this.gguf = gguf;
            this.config = config;
            this.repack = repack;
        }

        /** A matrix that decode multiplies by, in its decode layout when the model is repacked. */
        WeightMatrix weight(LlamaTensor role, int layer) {
            return matrix(role, layer, repack);
        }

        WeightMatrix matrix(LlamaTensor role, int layer) {
            return matrix(role, layer, false);
        }

        private WeightMatrix matrix(LlamaTensor role, int layer, boolean repack) {
            String name = config.architecture().tensorName(role, layer);
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
            used.add(name);
            return file.matrix("tensor " + name, type, gguf.dataOffset() + info.offset(), rows, cols, repack);
        }

        float[] vector(LlamaTensor role, int layer) {
            float[] v = new float[role.cols(config)];
            matrix(role, layer).copyRow(0, v, 0);
            return v;
        }

        /**
         * Refuses a file with tensors the model did not take (an output bias, a bias on an architecture without
         * them): running without them would give wrong output, so llama.cpp refuses such files too.
         */
        void requireAllUsed() {
            for (String name : gguf.tensors().keySet()) {
                if (!used.contains(name)) {
                    throw new InvalidModelException(file.path() + ": tensor " + name + " is not part of a "
                            + config.architecture().name() + " model as heavykv runs it, which would ignore it");
                }
            }
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
