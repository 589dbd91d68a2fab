package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;

import java.util.Objects;

/**
 * What a block of KV is: {@code tokens x channels} values of one dtype, token-major
 * (channels = n_kv_heads * head_size). The limits keep every derived length inside an int and stop a
 * corrupt header from asking for absurd buffers.
 */
public record BlockShape(KvDType dtype, int tokens, int channels) {
    public static final int MAX_TOKENS = 1 << 16;
    public static final int MAX_CHANNELS = 1 << 16;
    public static final int MAX_RAW_BYTES = 1 << 26;

    public BlockShape {
        Objects.requireNonNull(dtype, "dtype");
        String problem = problem(dtype, tokens, channels);
        if (problem != null) throw new IllegalArgumentException(problem);
    }

    /** Why a shape is not acceptable, or null when it is; shared by the constructor and frame validation. */
    static String problem(KvDType dtype, long tokens, long channels) {
        if (tokens < 1 || tokens > MAX_TOKENS) return "tokens " + tokens + " outside [1, " + MAX_TOKENS + "]";
        if (channels < 1 || channels > MAX_CHANNELS) return "channels " + channels + " outside [1, " + MAX_CHANNELS + "]";
        long raw = tokens * channels * dtype.bytes();
        if (raw > MAX_RAW_BYTES) return "block of " + raw + " bytes exceeds the limit of " + MAX_RAW_BYTES;
        return null;
    }

    public int values() { return tokens * channels; }

    public int rawBytes() { return values() * dtype.bytes(); }
}
