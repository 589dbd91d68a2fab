package io.heavykv.eviction;

import io.heavykv.kvcache.KvGeometry;

/**
 * StreamingLLM (Xiao et al., "Efficient Streaming Language Models with Attention Sinks", ICLR 2024): keep
 * the first {@code sink} tokens (attention sinks) and the {@code window} most recent.
 * Best paired with cache-relative positions so the model never sees positions beyond the window.
 */
public record StreamingConfig(int sink, int window) implements PolicyConfig {

    public StreamingConfig {
        if (sink < 0) throw new IllegalArgumentException("streaming sink must not be negative, got " + sink);
        if (window < 1) throw new IllegalArgumentException("streaming window must be at least 1, got " + window);
    }

    /** 4 sinks and a window of 252: 256 tokens, half of stories260K's context. */
    public static StreamingConfig defaults() { return new StreamingConfig(4, 252); }

    @Override
    public EvictionPolicy create(KvGeometry geometry) { return new StreamingPolicy(this); }
}
