package io.heavykv.codec.eval;

import io.heavykv.kvcache.KvDType;

import java.util.Objects;

/** What a KV dump holds: model, geometry, dtype and how many tokens each layer has. */
public record KvDumpHeader(String model, int layers, int kvHeads, int headSize, KvDType dtype, int tokens) {
    public static final int MAX_LAYERS = 4096;
    public static final int MAX_CHANNELS = 1 << 16;
    public static final int MAX_TOKENS = 1 << 24;
    public static final int MAX_MODEL_NAME_BYTES = 1024;

    public KvDumpHeader {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dtype, "dtype");
        String problem = problem(layers, kvHeads, headSize, tokens);
        if (problem != null) throw new IllegalArgumentException(problem);
    }

    /** Why the geometry is unacceptable, or null; shared with the reader so both apply the same limits. */
    static String problem(long layers, long kvHeads, long headSize, long tokens) {
        if (layers < 1 || layers > MAX_LAYERS) return "layers " + layers + " outside [1, " + MAX_LAYERS + "]";
        if (kvHeads < 1 || headSize < 1 || kvHeads * headSize > MAX_CHANNELS) {
            return "kv heads " + kvHeads + " x head size " + headSize + " outside [1, " + MAX_CHANNELS + "] channels";
        }
        if (tokens < 0 || tokens > MAX_TOKENS) return "tokens " + tokens + " outside [0, " + MAX_TOKENS + "]";
        return null;
    }

    /** Values per token and layer for K (and for V): n_kv_heads * head_size. */
    public int channels() { return kvHeads * headSize; }

    /** Bytes of K (or of V) of one layer. */
    public long streamBytes() { return (long) tokens * channels() * dtype.bytes(); }
}
